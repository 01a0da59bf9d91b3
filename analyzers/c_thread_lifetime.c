/* c_thread_lifetime.c - thread-leak for C/C++ beyond pthread handles: a std::thread destroyed while
 * joinable (std::terminate), a heap std::thread nobody joins, a thread routine that never ends while
 * someone joins it or the thread is started per connection. */
#include <stdlib.h>
#include <string.h>

#include "analyzers.h"
#include "c_threads.h"

static const omen_rule rule_destroyed = {
    .id = "thread-leak/thread-destroyed-joinable",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A std::thread can be destroyed while still joinable, which calls std::terminate",
    .what = "Flags a local `std::thread` started in a function when some path leaves its scope before "
            "`join()` or `detach()`: a `return`, a `throw`, or a `break`/`continue` out of the loop it is "
            "declared in, between the construction and the first statement that joins or detaches it on "
            "every path (also a `return` inside a macro, such as gtest's `ASSERT_*` on failure); the end "
            "of its scope when nothing joins or detaches it, or only some branches "
            "do; and a temporary `std::thread(f);` that is dropped at once. Also flags a `std::thread` "
            "member started by a class none of whose methods joins or detaches it (checked only when "
            "every method of the class is defined in the file), and a local `std::vector` (deque, "
            "list) of threads that the function fills (`emplace_back`, `push_back`) and uses for nothing "
            "else (no loop or index joins them, it is not returned or moved). Stays quiet for "
            "`std::jthread`, threads moved elsewhere (`std::move(t)`, returned, passed to a function, "
            "captured by a lambda), threads used in a `try` block or jumped over with `goto` (the paths "
            "are not followed), and scopes whose end is never reached (`exit`, `abort`, a loop that "
            "never ends).",
    .why = "The destructor of a `std::thread` that is still joinable calls `std::terminate()`: the whole "
           "process aborts, usually on an error path (the early return after a failed step, an exception) "
           "that tests rarely take. For a member, every object destroyed with its thread running "
           "(shutdown, a failed start, a reload) kills the process.",
    .example = "int serve(Config cfg) {\n"
               "  std::thread poller(poll_loop, &cfg);\n"
               "  if (!open_listener(cfg))\n"
               "    return -1; // poller is joinable here: std::terminate\n"
               "  run();\n"
               "  poller.join();\n"
               "  return 0;\n"
               "}",
    .instead = "int serve(Config cfg) {\n"
               "  if (!open_listener(cfg))\n"
               "    return -1;\n"
               "  std::thread poller(poll_loop, &cfg);\n"
               "  run();\n"
               "  poller.join();\n"
               "  return 0;\n"
               "}\n"
               "// or std::jthread (C++20), which joins itself",
    .fix = "Unsafe: inserts `t.join();` before each leaving `return`, `throw`, `break` or `continue` "
           "that stands in a braced block, or at the end of the scope when nothing joins or detaches the "
           "thread; no fix when a leaving statement is an unbraced branch or comes from a macro, for "
           "members, containers and temporaries. Joining waits for the thread to finish: if it runs until "
           "told to stop, tell it "
           "first (or detach it, or move the start after the failing step).",
    .lang = "c++",
};

static const omen_rule rule_heap = {
    .id = "thread-leak/heap-thread-not-joined",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A std::thread allocated with new is never joined or detached",
    .what = "Flags `new std::thread(...)` whose pointer is dropped at once, or kept only in a local "
            "pointer that the function never uses to `join()` or `detach()` the thread (it may `delete` "
            "it, which destroys a joinable thread). Stays quiet when the pointer is stored in a field, a "
            "global or a container, returned, passed to a function (a smart pointer's constructor "
            "included) or captured.",
    .why = "When the pointer is lost nothing can ever join the thread: its stack and handle leak for the "
           "life of the process and nothing waits for its work. Deleting the pointer while the thread "
           "is joinable calls `std::terminate()`.",
    .example = "void Cache::refresh_async() {\n"
               "  auto *t = new std::thread(&Cache::refresh, this);\n"
               "  (void)t;\n"
               "}",
    .instead = "void Cache::refresh_async() {\n"
               "  std::thread(&Cache::refresh, this).detach();\n"
               "}\n"
               "// or keep the thread in a member and join it in the destructor",
    .fix = "No fix: whether to join, detach, or keep the thread in a member is a design decision.",
    .lang = "c++",
};

static const omen_rule rule_no_exit = {
    .id = "thread-leak/thread-no-exit",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "A thread routine loops forever while its thread is joined or started per connection",
    .what = "Flags a `for (;;)`, `while (1)` or `do ... while (1)` loop in a thread's start routine (a "
            "function, member function or lambda started with pthread_create, thrd_create, "
            "std::thread or std::async) that nothing can leave: no `return`, `break`, `goto` or `throw`, "
            "no call to `pthread_exit`, `exit` or another noreturn function, no `pthread_testcancel` (in "
            "the loop or in a function of the file it calls); and the file never calls `pthread_cancel`. "
            "A routine that only calls such a looping function of the file counts too. It is reported only "
            "when the code that starts "
            "the thread also joins it (the join then never returns), or when the thread is started in "
            "a loop that never ends or that accepts connections (one more never-ending thread per "
            "client). Threads started once that run for the life of the process (signal handlers, "
            "timers, worker pools) are not reported.",
    .why = "A join on a thread that never ends blocks forever: shutdown, reload or the test hangs. A "
           "server that starts a never-ending thread per connection keeps every one of them, with its "
           "stack and its descriptors, until it runs out of memory or thread slots.",
    .example = "static void *pump(void *arg) {\n"
               "  struct queue *q = arg;\n"
               "  for (;;)\n"
               "    deliver(queue_pop(q));\n"
               "}\n"
               "...\n"
               "pthread_create(&t, NULL, pump, q);\n"
               "...\n"
               "pthread_join(t, NULL); /* never returns */",
    .instead = "static void *pump(void *arg) {\n"
               "  struct queue *q = arg;\n"
               "  while (!atomic_load(&q->closed))\n"
               "    deliver(queue_pop(q));\n"
               "  return NULL;\n"
               "}",
    .fix = "No fix: the thread needs a stop condition (a flag or closed queue it checks, a message that "
           "makes it return) that the code stopping it sets before joining.",
    .lang = "c/c++",
};

static const omen_rule *const rules[] = {&rule_destroyed, &rule_heap, &rule_no_exit, NULL};
static const omen_analyzer *const requires[] = {&omen_c_inspect, &omen_c_threads, NULL};

typedef struct ctx {
  omen_pass *pass;
  const omen_c_index *in;
  const omen_c_thread_info *th;
  const omen_file *file;
} ctx;

/* ---- small helpers ---- */

/* The first call (in source order) starting at offset off, or OMEN_C_NONE. */
static uint32_t first_call_at(const omen_c_index *in, uint32_t off) {
  uint32_t i = omen_c_call_at(in, off);
  return i < in->ncalls && in->calls[i].start == off ? i : OMEN_C_NONE;
}

/* The std::thread member call made on the object at [start, end) (t.join(), p->detach()), or NONE. */
static uint32_t thread_call_on(const ctx *c, uint32_t start, uint32_t end) {
  for (uint32_t i = first_call_at(c->in, start);
       i != OMEN_C_NONE && i < c->in->ncalls && c->in->calls[i].start == start; i++) {
    const omen_c_call *call = &c->in->calls[i];
    if (!call->direct || !omen_c_is_std_thread_member(call->callee, NULL))
      continue;
    /* t = std::thread(...) is an operator call whose first argument is t */
    CXCursor obj = strcmp(call->name, "operator=") == 0 && call->nargs == 2
                       ? omen_c_strip(call->args[0])
                       : omen_c_member_object(call->cursor);
    uint32_t s, e;
    if (!clang_Cursor_isNull(obj) && omen_c_range(c->pass, obj, &s, &e) && s == start && e == end)
      return i;
  }
  return OMEN_C_NONE;
}

static bool is_finish(const omen_c_call *call) {
  return strcmp(call->name, "join") == 0 || strcmp(call->name, "detach") == 0;
}

static const char *const noreturn_names[] = {"exit",       "_exit",        "_Exit",     "quick_exit",
                                             "abort",      "pthread_exit", "thrd_exit", "longjmp",
                                             "siglongjmp", "terminate",    NULL};

static bool call_noreturn(const omen_c_call *call) {
  for (size_t i = 0; noreturn_names[i]; i++)
    if (strcmp(call->name, noreturn_names[i]) == 0)
      return true;
  if (!call->direct)
    return false;
  CXString ts = clang_getTypeSpelling(clang_getCursorType(call->callee));
  const char *t = clang_getCString(ts);
  bool yes = t && strstr(t, "noreturn") != NULL;
  clang_disposeString(ts);
  return yes;
}

/* Does a call to a noreturn function start within [start, end) in function f? */
/* Can function f of the unit end the thread or the process: a call to a noreturn function (or to
 * also), in f or in what f calls within the unit, depth bounded? */
static bool func_may_exit(const ctx *c, uint32_t f, const char *also, int depth) {
  const omen_c_func *fn = &c->in->funcs[f];
  for (uint32_t i = omen_c_call_at(c->in, fn->start); i < c->in->ncalls && c->in->calls[i].start < fn->end;
       i++) {
    const omen_c_call *call = &c->in->calls[i];
    if (call->func == f && (call_noreturn(call) || (also && strcmp(call->name, also) == 0)))
      return true;
  }
  if (depth <= 0)
    return false;
  const uint32_t *callees;
  uint32_t n = omen_c_threads_callees(c->th, f, &callees);
  for (uint32_t k = 0; k < n; k++)
    if (callees[k] != f && func_may_exit(c, callees[k], also, depth - 1))
      return true;
  return false;
}

/* Does a call in [start, end) of function f end the thread or the process, directly or through a
 * function of the unit it calls (`check_shutdown()` calling pthread_exit)? */
static bool noreturn_within(const ctx *c, uint32_t f, uint32_t start, uint32_t end, const char *also) {
  for (uint32_t i = omen_c_call_at(c->in, start); i < c->in->ncalls && c->in->calls[i].start < end; i++) {
    const omen_c_call *call = &c->in->calls[i];
    if (call->func != f)
      continue;
    if (call_noreturn(call) || (also && strcmp(call->name, also) == 0))
      return true;
    uint32_t g = call->direct ? omen_c_threads_func_of(c->pass, c->th, call->callee) : OMEN_C_NONE;
    if (g != OMEN_C_NONE && g != f && func_may_exit(c, g, also, 2))
      return true;
  }
  return false;
}

typedef struct kids {
  CXCursor c[256];
  uint32_t n;
  bool more;
} kids;

static enum CXChildVisitResult kid(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  kids *k = data;
  if (k->n == sizeof k->c / sizeof k->c[0]) {
    k->more = true;
    return CXChildVisit_Break;
  }
  k->c[k->n++] = c;
  return CXChildVisit_Continue;
}

/* The children of c (at most 256; more sets ->more), or NULL when out of memory. Caller frees. */
static kids *children_of(CXCursor c) {
  kids *kd = malloc(sizeof *kd);
  if (!kd)
    return NULL;
  kd->n = 0;
  kd->more = false;
  clang_visitChildren(c, kid, kd);
  return kd;
}

/* ---- is a loop's condition constant true? ---- */

static bool evaluates_true(CXCursor e) {
  if (clang_Cursor_isNull(e))
    return false;
  CXEvalResult r = clang_Cursor_Evaluate(e);
  bool yes = r && clang_EvalResult_getKind(r) == CXEval_Int && clang_EvalResult_getAsLongLong(r) != 0;
  if (r)
    clang_EvalResult_dispose(r);
  return yes;
}

static bool blank(const omen_file *f, uint32_t s, uint32_t e) {
  for (uint32_t i = s; i < e && i < f->len; i++)
    if (f->text[i] != ' ' && f->text[i] != '\t' && f->text[i] != '\n' && f->text[i] != '\r')
      return false;
  return true;
}

static bool loop_forever(const ctx *c, const omen_c_loop *l) {
  const omen_file *f = c->file;
  if (l->kind == CXCursor_WhileStmt) {
    if (l->start + 5 > f->len || memcmp(f->text + l->start, "while", 5) != 0)
      return false;
    return evaluates_true(omen_c_expr_child(l->cursor, 0));
  }
  if (l->kind == CXCursor_DoStmt) {
    if (l->start + 2 > f->len || memcmp(f->text + l->start, "do", 2) != 0)
      return false;
    /* the condition is the last expression child */
    CXCursor cond = clang_getNullCursor();
    for (unsigned i = 0; i < 4; i++) {
      CXCursor e = omen_c_expr_child(l->cursor, i);
      if (clang_Cursor_isNull(e))
        break;
      cond = e;
    }
    uint32_t s, e;
    return !clang_Cursor_isNull(cond) && omen_c_range(c->pass, cond, &s, &e) && s > l->body_end &&
           evaluates_true(cond);
  }
  if (l->kind != CXCursor_ForStmt || l->start + 3 > f->len || memcmp(f->text + l->start, "for", 3) != 0)
    return false;
  /* for (init; cond; inc): find the two semicolons at depth 1 */
  uint32_t i = l->start + 3, lim = l->body_start ? l->body_start : l->end;
  while (i < lim && (f->text[i] == ' ' || f->text[i] == '\t'))
    i++;
  if (i >= lim || f->text[i] != '(')
    return false;
  int depth = 0;
  uint32_t semi[2], ns = 0;
  for (; i < lim && ns < 2; i++) {
    char ch = f->text[i];
    if (ch == '(')
      depth++;
    else if (ch == ')')
      depth--;
    else if (ch == ';' && depth == 1)
      semi[ns++] = i;
    else if (ch == '"' || ch == '\'' || ch == '/')
      return false; /* strings or comments in the header: do not guess */
  }
  if (ns < 2)
    return false;
  if (blank(f, semi[0] + 1, semi[1]))
    return true;
  for (unsigned k = 0; k < 4; k++) {
    CXCursor e = omen_c_expr_child(l->cursor, k);
    uint32_t s, en;
    if (clang_Cursor_isNull(e))
      break;
    if (omen_c_range(c->pass, e, &s, &en) && s > semi[0] && en <= semi[1])
      return evaluates_true(e);
  }
  return false;
}

/* ---- statement scans ---- */

/* What leaves a scope, found by scan(). */
typedef struct leave {
  uint32_t start, end; /* the leaving statement */
  bool braced;         /* it stands directly in a compound statement */
} leave;

typedef struct scan_state {
  const ctx *c;
  uint32_t func;
  bool in_loop_scope; /* the scope is inside a loop body: break/continue at depth 0 leave it */
  leave out[8];
  uint32_t nout;
  bool too_many;
  bool has_goto;
  bool has_finish;       /* a join/detach of the thread somewhere in what was scanned */
  bool finish_in_switch; /* one of them inside a switch: its cases are not followed */
  int switch_depth;
  CXCursor var; /* the thread variable */
} scan_state;

static bool is_finish_stmt(const scan_state *ss, CXCursor stmt);

static void add_leave(scan_state *ss, CXCursor stmt, bool braced) {
  uint32_t s, e;
  if (!omen_c_range(ss->c->pass, stmt, &s, &e))
    return;
  if (ss->nout == sizeof ss->out / sizeof ss->out[0]) {
    ss->too_many = true;
    return;
  }
  uint32_t j = e;
  while (j < ss->c->file->len && (ss->c->file->text[j] == ' ' || ss->c->file->text[j] == '\t'))
    j++;
  if (j < ss->c->file->len && ss->c->file->text[j] == ';')
    e = j + 1;
  ss->out[ss->nout++] = (leave){s, e, braced};
}

/* Scans stmt for paths leaving the scope; finished: a join/detach already ran on this path;
 * breakable/continuable: inside a loop or switch nested in the scanned statements. */
static void scan(scan_state *ss, CXCursor stmt, bool finished, bool breakable, bool continuable, bool braced,
                 int depth) {
  if (depth > 200) {
    ss->has_goto = true; /* too deep: give up on this scope */
    return;
  }
  enum CXCursorKind k = clang_getCursorKind(stmt);
  switch (k) {
  case CXCursor_LambdaExpr:
  case CXCursor_ClassDecl:
  case CXCursor_StructDecl:
    return;
  case CXCursor_ReturnStmt:
  case CXCursor_CXXThrowExpr:
    if (!finished)
      add_leave(ss, stmt, braced);
    return;
  case CXCursor_BreakStmt:
    if (!breakable && !finished && ss->in_loop_scope)
      add_leave(ss, stmt, braced);
    return;
  case CXCursor_ContinueStmt:
    if (!continuable && !finished && ss->in_loop_scope)
      add_leave(ss, stmt, braced);
    return;
  case CXCursor_GotoStmt:
  case CXCursor_IndirectGotoStmt:
  case CXCursor_CXXTryStmt:
    ss->has_goto = true; /* jumps and handlers: the paths are not followed */
    return;
  default:
    break;
  }
  if (k == CXCursor_CallExpr && !clang_Cursor_isNull(ss->var) && is_finish_stmt(ss, stmt)) {
    ss->has_finish = true; /* a join or detach of it nested in an expression or a branch */
    ss->finish_in_switch |= ss->switch_depth > 0;
  }
  kids *kd = children_of(stmt);
  if (!kd) {
    ss->has_goto = true;
    return;
  }
  if (kd->more)
    ss->has_goto = true;
  bool loop = k == CXCursor_ForStmt || k == CXCursor_WhileStmt || k == CXCursor_DoStmt ||
              k == CXCursor_CXXForRangeStmt;
  bool compound = k == CXCursor_CompoundStmt;
  for (uint32_t i = 0; i < kd->n; i++) {
    CXCursor ch = kd->c[i];
    if (compound && is_finish_stmt(ss, ch)) {
      finished = true;
      ss->has_finish = true;
      ss->finish_in_switch |= ss->switch_depth > 0;
    }
    bool wrapper = k == CXCursor_UnexposedExpr || k == CXCursor_ParenExpr;
    ss->switch_depth += k == CXCursor_SwitchStmt;
    scan(ss, ch, finished, breakable || loop || k == CXCursor_SwitchStmt, continuable || loop,
         compound || (wrapper && braced), depth + 1);
    ss->switch_depth -= k == CXCursor_SwitchStmt;
  }
  free(kd);
}

/* Is e (stripped) a reference to the thread variable? */
static bool names_var(const scan_state *ss, CXCursor e) {
  e = omen_c_strip(e);
  return clang_getCursorKind(e) == CXCursor_DeclRefExpr &&
         clang_equalCursors(clang_getCursorReferenced(e), ss->var);
}

/* Does stmt join or detach the thread on every path: `t.join();`, `if (t.joinable()) t.join();`,
 * an if/else whose branches both do, a block with such a statement? */
static bool is_finish_stmt(const scan_state *ss, CXCursor stmt) {
  stmt = omen_c_strip(stmt);
  enum CXCursorKind k = clang_getCursorKind(stmt);
  if (k == CXCursor_CallExpr) {
    CXCursor callee = clang_getCursorReferenced(stmt);
    return (omen_c_name_is(callee, "join") || omen_c_name_is(callee, "detach")) &&
           omen_c_is_std_thread_member(callee, NULL) && names_var(ss, omen_c_member_object(stmt));
  }
  if (k == CXCursor_CompoundStmt) {
    kids *kd = children_of(stmt);
    if (!kd)
      return false;
    bool yes = false;
    for (uint32_t i = 0; i < kd->n && !yes; i++) {
      enum CXCursorKind ck = clang_getCursorKind(kd->c[i]);
      if (ck == CXCursor_ReturnStmt || ck == CXCursor_BreakStmt || ck == CXCursor_ContinueStmt ||
          ck == CXCursor_GotoStmt || ck == CXCursor_IfStmt)
        break; /* left or branched before it */
      yes = is_finish_stmt(ss, kd->c[i]);
    }
    free(kd);
    return yes;
  }
  if (k != CXCursor_IfStmt)
    return false;
  omen_c_if parts;
  if (!omen_c_if_split(ss->c->pass, stmt, &parts))
    return false;
  if (parts.has_else)
    return is_finish_stmt(ss, parts.then_stmt) && is_finish_stmt(ss, parts.else_stmt);
  /* if (t.joinable()) t.join(); */
  CXCursor cond = omen_c_strip(omen_c_expr_child(stmt, 0));
  if (clang_getCursorKind(cond) != CXCursor_CallExpr)
    return false;
  CXCursor callee = clang_getCursorReferenced(cond);
  return omen_c_name_is(callee, "joinable") && omen_c_is_std_thread_member(callee, NULL) &&
         names_var(ss, omen_c_member_object(cond)) && is_finish_stmt(ss, parts.then_stmt);
}

/* ---- scope of a local ---- */

/* The innermost compound statement with a direct child containing off: *idx gets that child. */
typedef struct block_find {
  const omen_pass *pass;
  uint32_t off;
  CXCursor block;
  bool found;
  int depth;
} block_find;

static enum CXChildVisitResult block_visit(CXCursor c, CXCursor parent, CXClientData data) {
  block_find *b = data;
  uint32_t s, e;
  if (!omen_c_range(b->pass, c, &s, &e) || b->off < s || b->off >= e)
    return CXChildVisit_Continue;
  if (clang_getCursorKind(c) == CXCursor_LambdaExpr && b->depth > 0)
    return CXChildVisit_Break;
  if (clang_getCursorKind(parent) == CXCursor_CompoundStmt) {
    b->block = parent;
    b->found = true;
  }
  if (b->depth++ < 200)
    clang_visitChildren(c, block_visit, b);
  return CXChildVisit_Break;
}

/* The statements of the block whose direct child declares var, or NULL. Caller frees. */
static kids *scope_of(const ctx *c, const omen_c_var *var) {
  block_find bf = {.pass = c->pass, .off = var->start, .block = clang_getNullCursor()};
  clang_visitChildren(c->in->funcs[var->func].cursor, block_visit, &bf);
  return bf.found ? children_of(bf.block) : NULL;
}

/* Byte offset just past stmt, including its ';'. */
static uint32_t stmt_end(const ctx *c, CXCursor stmt) {
  uint32_t s, e;
  if (!omen_c_range(c->pass, stmt, &s, &e))
    return 0;
  uint32_t j = e;
  while (j < c->file->len && (c->file->text[j] == ' ' || c->file->text[j] == '\t'))
    j++;
  return j < c->file->len && c->file->text[j] == ';' ? j + 1 : e;
}

static uint32_t line_of(const omen_file *f, uint32_t off) {
  uint32_t line = 1;
  for (uint32_t i = 0; i < off && i < f->len; i++)
    line += f->text[i] == '\n';
  return line;
}

/* Is stmt an endless loop with no way out (the scope's end is never reached)? */
static bool never_completes(const ctx *c, CXCursor stmt) {
  if (omen_c_stmt_leaves(stmt))
    return true;
  uint32_t s, e;
  if (!omen_c_range(c->pass, stmt, &s, &e))
    return false;
  for (uint32_t l = 0; l < c->in->nloops; l++)
    if (c->in->loops[l].start == s && c->in->loops[l].end == e)
      return !c->in->loops[l].has_break && !c->in->loops[l].has_goto && loop_forever(c, &c->in->loops[l]);
  return false;
}

/* The keyword written where a leaving statement starts, or NULL when it is not written there (the
 * statement comes from a macro such as gtest's ASSERT_EQ, which returns on failure). */
static const char *leave_keyword(const omen_file *f, const leave *lv) {
  static const char *const kws[] = {"return", "throw", "break", "continue", "co_return", NULL};
  for (size_t i = 0; kws[i]; i++) {
    size_t n = strlen(kws[i]);
    if (lv->start + n <= f->len && memcmp(f->text + lv->start, kws[i], n) == 0 &&
        (lv->start + n == f->len || !(f->text[lv->start + n] == '_' ||
                                      (f->text[lv->start + n] >= 'a' && f->text[lv->start + n] <= 'z') ||
                                      (f->text[lv->start + n] >= 'A' && f->text[lv->start + n] <= 'Z') ||
                                      (f->text[lv->start + n] >= '0' && f->text[lv->start + n] <= '9'))))
      return kws[i];
  }
  return NULL;
}

static void insert_join(const ctx *c, omen_fix *fx, const leave *lv, const char *var) {
  uint32_t indent;
  uint32_t line = omen_c_line_start(c->file, lv->start, &indent);
  char *text;
  if (line + indent == lv->start)
    text = omen_arena_printf(omen_pass_arena(c->pass), "%s.join();\n%.*s", var, (int)indent,
                             c->file->text + line);
  else
    text = omen_arena_printf(omen_pass_arena(c->pass), "%s.join(); ", var);
  if (text)
    omen_fix_add_edit(c->pass, fx, lv->start, lv->start, text);
}

static void check_local(const ctx *c, const omen_c_thread_start *st) {
  const omen_c_index *in = c->in;
  const omen_c_var *var = &in->vars[st->handle_var];
  uint32_t f = var->func;
  if (f == OMEN_C_NONE || in->funcs[f].incomplete || !in->funcs[f].body_end)
    return;
  /* every use of the variable: join/detach/joinable/get_id on it, or the start itself */
  for (uint32_t r = omen_c_ref_first(in, var->cursor); r != OMEN_C_NONE; r = omen_c_ref_next(in, r)) {
    const omen_c_ref *ref = &in->refs[r];
    if (ref->func != f)
      return; /* used by a lambda or local class */
    uint32_t call = thread_call_on(c, ref->start, ref->end);
    if (call == OMEN_C_NONE)
      return; /* moved, passed, returned, captured... */
    const char *n = in->calls[call].name;
    if (is_finish(&in->calls[call]) || strcmp(n, "joinable") == 0 || strcmp(n, "get_id") == 0)
      continue;
    if (strcmp(n, "operator=") == 0 && in->calls[st->call].start >= in->calls[call].start &&
        in->calls[st->call].end <= in->calls[call].end)
      continue;
    return;
  }
  /* the scope: the block whose direct child declares it; the start must be a direct child too */
  kids *kd = scope_of(c, var);
  if (!kd)
    return;
  const omen_c_call *sc = &in->calls[st->call];
  uint32_t decl_idx = OMEN_C_NONE, start_idx = OMEN_C_NONE;
  for (uint32_t i = 0; i < kd->n; i++) {
    uint32_t s, e;
    if (!omen_c_range(c->pass, kd->c[i], &s, &e))
      continue;
    if (s <= var->start && var->start < e)
      decl_idx = i;
    if (s <= sc->start && sc->end <= e && s == sc->stmt.start)
      start_idx = i;
  }
  if (kd->more || decl_idx == OMEN_C_NONE || start_idx == OMEN_C_NONE || start_idx < decl_idx ||
      clang_getCursorKind(kd->c[decl_idx]) != CXCursor_DeclStmt) {
    free(kd);
    return;
  }
  scan_state ss = {.c = c, .func = f, .var = var->cursor, .in_loop_scope = var->loop != OMEN_C_NONE};
  bool guaranteed = false;
  uint32_t i = start_idx + 1;
  for (; i < kd->n; i++) {
    if (is_finish_stmt(&ss, kd->c[i])) {
      guaranteed = true;
      break;
    }
    scan(&ss, kd->c[i], false, false, false, true, 0);
  }
  bool scope_end = !guaranteed && !never_completes(c, kd->c[kd->n - 1]);
  uint32_t last_end = stmt_end(c, kd->c[kd->n - 1]);
  CXCursor last = kd->c[kd->n - 1];
  free(kd);
  if (ss.has_goto || ss.too_many || (ss.nout == 0 && (!scope_end || ss.finish_in_switch)))
    return;
  const omen_file *file = c->file;
  omen_diag *d;
  if (ss.nout > 0) {
    const leave *lv = &ss.out[0];
    const char *kw = leave_keyword(file, lv);
    const char *what = kw ? kw : "return in the macro";
    d = omen_pass_report(
        c->pass, &rule_destroyed, file, sc->start, sc->end,
        "thread %s can be destroyed while joinable: the %s on line %u leaves its scope before "
        "it is joined or detached, and std::terminate aborts the process",
        var->name, what, line_of(file, lv->start));
    for (uint32_t k = 0; k < ss.nout; k++)
      omen_diag_add_related(c->pass, d, file, ss.out[k].start, ss.out[k].end, "%s is still joinable here",
                            var->name);
  } else {
    d = omen_pass_report(c->pass, &rule_destroyed, file, sc->start, sc->end,
                         ss.has_finish
                             ? "thread %s is not joined or detached on every path before the end of "
                               "its scope: its destructor then calls std::terminate and aborts the "
                               "process"
                             : "thread %s is never joined or detached before the end of its scope: its "
                               "destructor calls std::terminate and aborts the process",
                         var->name);
  }
  if (var->name_start != sc->start)
    omen_diag_add_related(c->pass, d, file, var->name_start, var->name_end, "thread declared here");
  /* the fix: join before each leaving statement, and at the end of the scope */
  bool clear = !(scope_end && ss.has_finish) && !sc->in_macro;
  for (uint32_t k = 0; k < ss.nout; k++)
    clear = clear && ss.out[k].braced && leave_keyword(file, &ss.out[k]) != NULL;
  if (!clear)
    return;
  omen_fix *fx =
      omen_diag_add_fix(c->pass, d, file, OMEN_FIX_UNSAFE, "join the thread before it is destroyed");
  for (uint32_t k = 0; k < ss.nout; k++)
    insert_join(c, fx, &ss.out[k], var->name);
  if (scope_end) {
    bool eol = false;
    uint32_t s, e, indent;
    if (!omen_c_range(c->pass, last, &s, &e))
      return;
    uint32_t line = omen_c_line_start(file, s, &indent);
    uint32_t at = omen_c_after_stmt(file, last_end, &eol);
    char *text = eol ? omen_arena_printf(omen_pass_arena(c->pass), "\n%.*s%s.join();", (int)indent,
                                         file->text + line, var->name)
                     : omen_arena_printf(omen_pass_arena(c->pass), " %s.join();", var->name);
    if (text)
      omen_fix_add_edit(c->pass, fx, at, at, text);
  }
}

/* ---- members ---- */

typedef struct method_check {
  const ctx *c;
  bool all_here;
  CXCursor dtor;
} method_check;

static enum CXChildVisitResult method_visit(CXCursor m, CXCursor parent, CXClientData data) {
  (void)parent;
  method_check *mc = data;
  enum CXCursorKind k = clang_getCursorKind(m);
  if (k != CXCursor_CXXMethod && k != CXCursor_Constructor && k != CXCursor_Destructor &&
      k != CXCursor_FunctionTemplate)
    return CXChildVisit_Continue;
  if (k == CXCursor_CXXMethod && clang_CXXMethod_isPureVirtual(m))
    return CXChildVisit_Continue;
  CXCursor def = clang_getCursorDefinition(m);
  uint32_t off;
  if (clang_Cursor_isNull(def) || !omen_pass_c_in_main(mc->c->pass, clang_getCursorLocation(def), &off)) {
    mc->all_here = false;
    return CXChildVisit_Break;
  }
  if (k == CXCursor_Destructor)
    mc->dtor = def;
  return CXChildVisit_Continue;
}

/* Is the field used (outside the start sites) as anything but the object of joinable/get_id? A
 * join or detach sets *finish. Only calls are looked at: moves, swaps and arguments are calls. */
static bool field_escapes_or_finished(const ctx *c, CXCursor field, uint32_t *finish) {
  const omen_c_index *in = c->in;
  *finish = OMEN_C_NONE;
  for (uint32_t i = 0; i < in->ncalls; i++) {
    const omen_c_call *call = &in->calls[i];
    if (call->func == OMEN_C_NONE)
      continue;
    if (call->direct && omen_c_is_std_thread_member(call->callee, NULL)) {
      CXCursor obj = omen_c_member_object(call->cursor);
      if (clang_getCursorKind(obj) == CXCursor_MemberRefExpr &&
          clang_equalCursors(clang_getCursorReferenced(obj), field)) {
        if (is_finish(call)) {
          *finish = i;
          return true;
        }
        if (strcmp(call->name, "joinable") != 0 && strcmp(call->name, "get_id") != 0 &&
            strcmp(call->name, "operator=") != 0)
          return true;
        continue;
      }
    }
    bool thread_assign = strcmp(call->name, "operator=") == 0;
    for (uint32_t a = thread_assign ? 1 : 0; a < call->nargs; a++) {
      CXCursor e = omen_c_strip(call->args[a]);
      if (omen_c_is_addr_of(e))
        e = omen_c_strip(omen_c_expr_child(e, 0));
      if (clang_getCursorKind(e) == CXCursor_MemberRefExpr &&
          clang_equalCursors(clang_getCursorReferenced(e), field))
        return true;
    }
  }
  return false;
}

static void check_member(const ctx *c, const omen_c_thread_start *st, CXCursor *done, uint32_t *ndone) {
  CXCursor field = st->handle_decl;
  for (uint32_t i = 0; i < *ndone; i++)
    if (clang_equalCursors(done[i], field))
      return;
  if (*ndone == 64)
    return; /* that many thread members: stop rather than report one twice */
  done[(*ndone)++] = field;
  if (!omen_c_is_std_thread_type(clang_getCursorType(field), NULL))
    return;
  bool jthread = false;
  omen_c_is_std_thread_type(clang_getCursorType(field), &jthread);
  if (jthread)
    return;
  CXCursor cls = clang_getCursorSemanticParent(field);
  CXCursor def = clang_getCursorDefinition(cls);
  if (clang_Cursor_isNull(def))
    return;
  method_check mc = {.c = c, .all_here = true, .dtor = clang_getNullCursor()};
  clang_visitChildren(def, method_visit, &mc);
  uint32_t finish;
  if (!mc.all_here || field_escapes_or_finished(c, field, &finish))
    return;
  const omen_c_call *sc = &c->in->calls[st->call];
  CXString cs = clang_getCursorSpelling(cls), fs = clang_getCursorSpelling(field);
  omen_diag *d =
      omen_pass_report(c->pass, &rule_destroyed, c->file, sc->start, sc->end,
                       "thread member %s is never joined or detached by any method of %s: destroying a "
                       "%s while it runs calls std::terminate and aborts the process",
                       clang_getCString(fs), clang_getCString(cs), clang_getCString(cs));
  clang_disposeString(cs);
  clang_disposeString(fs);
  uint32_t s, e;
  if (omen_c_range(c->pass, field, &s, &e))
    omen_diag_add_related(c->pass, d, c->file, s, e, "member declared here");
  if (!clang_Cursor_isNull(mc.dtor) && omen_c_range(c->pass, mc.dtor, &s, &e))
    omen_diag_add_related(c->pass, d, c->file, s, s, "the destructor does not join it");
}

/* ---- local containers of threads ---- */

/* Is the container's type a standard container of std::thread? */
static bool thread_container(CXCursor var) {
  CXType t = clang_getCanonicalType(clang_getCursorType(var));
  if (t.kind != CXType_Record || clang_Type_getNumTemplateArguments(t) < 1)
    return false;
  bool jthread = false;
  return omen_c_is_std_thread_type(clang_Type_getTemplateArgumentAsType(t, 0), &jthread) && !jthread;
}

/* A local std::vector<std::thread> (deque, list) filled with threads and destroyed with them: every use
 * of it is a member call that adds threads or asks its size, so nothing joins, detaches or moves them. */
static void check_container(const ctx *c, const omen_c_thread_start *st, CXCursor *done, uint32_t *ndone) {
  const omen_c_index *in = c->in;
  uint32_t v = omen_c_var_find(in, st->handle_decl);
  if (v == OMEN_C_NONE || in->vars[v].is_static || !thread_container(st->handle_decl))
    return;
  for (uint32_t i = 0; i < *ndone; i++)
    if (clang_equalCursors(done[i], st->handle_decl))
      return;
  if (*ndone == 64)
    return;
  done[(*ndone)++] = st->handle_decl;
  const omen_c_var *var = &in->vars[v];
  if (var->func == OMEN_C_NONE || in->funcs[var->func].incomplete)
    return;
  static const char *const ok[] = {"push_back", "emplace_back", "push_front", "emplace_front", "emplace",
                                   "reserve",   "size",         "empty",      "capacity",      NULL};
  for (uint32_t r = omen_c_ref_first(in, var->cursor); r != OMEN_C_NONE; r = omen_c_ref_next(in, r)) {
    const omen_c_ref *ref = &in->refs[r];
    if (ref->func != var->func)
      return;
    bool fine = false;
    for (uint32_t ci = first_call_at(in, ref->start);
         !fine && ci != OMEN_C_NONE && ci < in->ncalls && in->calls[ci].start == ref->start; ci++) {
      CXCursor obj = omen_c_member_object(in->calls[ci].cursor);
      uint32_t os, oe;
      if (clang_Cursor_isNull(obj) || !omen_c_range(c->pass, obj, &os, &oe) || os != ref->start ||
          oe != ref->end)
        continue;
      for (size_t k = 0; ok[k]; k++)
        fine = fine || strcmp(in->calls[ci].name, ok[k]) == 0;
      if (!fine)
        return;
    }
    if (!fine)
      return;
  }
  /* the end of its scope must be reachable */
  kids *kd = scope_of(c, var);
  if (!kd)
    return;
  bool ends = kd->n > 0 && !kd->more && !never_completes(c, kd->c[kd->n - 1]);
  free(kd);
  if (!ends)
    return;
  const omen_c_call *sc = &in->calls[st->call];
  omen_diag *d =
      omen_pass_report(c->pass, &rule_destroyed, c->file, sc->start, sc->end,
                       "the threads put into %s are never joined or detached: when %s is destroyed at the "
                       "end of its scope, the first joinable thread calls std::terminate and aborts the "
                       "process",
                       var->name, var->name);
  omen_diag_add_related(c->pass, d, c->file, var->name_start, var->name_end, "container declared here");
}

/* ---- heap threads ---- */

static bool preceded_by_delete(const omen_file *f, uint32_t off) {
  uint32_t i = off;
  while (i > 0 && (f->text[i - 1] == ' ' || f->text[i - 1] == '\t' || f->text[i - 1] == '\n'))
    i--;
  if (i >= 2 && f->text[i - 1] == ']' && f->text[i - 2] == '[') {
    i -= 2;
    while (i > 0 && (f->text[i - 1] == ' ' || f->text[i - 1] == '\t'))
      i--;
  }
  return i >= 6 && memcmp(f->text + i - 6, "delete", 6) == 0 &&
         (i == 6 || !(f->text[i - 7] == '_' || (f->text[i - 7] >= 'a' && f->text[i - 7] <= 'z') ||
                      (f->text[i - 7] >= 'A' && f->text[i - 7] <= 'Z') ||
                      (f->text[i - 7] >= '0' && f->text[i - 7] <= '9')));
}

static void check_heap(const ctx *c, const omen_c_thread_start *st) {
  const omen_c_index *in = c->in;
  const omen_c_call *sc = &in->calls[st->call];
  if (st->discarded) {
    omen_pass_report(
        c->pass, &rule_heap, c->file, sc->start, sc->end,
        "thread allocated here is never joined or detached and its pointer is dropped: nothing can "
        "ever join it, so its stack, handle and the std::thread object leak");
    return;
  }
  if (st->handle_var == OMEN_C_NONE)
    return;
  const omen_c_var *var = &in->vars[st->handle_var];
  if (var->func == OMEN_C_NONE || in->funcs[var->func].incomplete)
    return;
  /* the declaration's own initializer is not a ref; an assignment p = new ... is */
  uint32_t deleted = OMEN_C_NONE;
  for (uint32_t r = omen_c_ref_first(in, var->cursor); r != OMEN_C_NONE; r = omen_c_ref_next(in, r)) {
    const omen_c_ref *ref = &in->refs[r];
    if (ref->func != var->func)
      return;
    if (preceded_by_delete(c->file, ref->start)) {
      deleted = r;
      continue;
    }
    uint32_t call = thread_call_on(c, ref->start, ref->end);
    if (call == OMEN_C_NONE) {
      /* p = new std::thread(...): the assignment holding the start */
      if (ref->start < sc->start && sc->start - ref->start < 64 && sc->stmt.start == ref->start)
        continue;
      return;
    }
    if (is_finish(&in->calls[call]))
      return;
    if (strcmp(in->calls[call].name, "joinable") != 0 && strcmp(in->calls[call].name, "get_id") != 0)
      return;
  }
  omen_diag *d;
  if (deleted != OMEN_C_NONE) {
    d = omen_pass_report(
        c->pass, &rule_heap, c->file, sc->start, sc->end,
        "thread %s is deleted without being joined or detached: deleting a joinable std::thread "
        "calls std::terminate and aborts the process",
        var->name);
    omen_diag_add_related(c->pass, d, c->file, in->refs[deleted].start, in->refs[deleted].end,
                          "deleted here");
    return;
  }
  d = omen_pass_report(
      c->pass, &rule_heap, c->file, sc->start, sc->end,
      "thread %s is never joined or detached and its pointer is lost when the function returns: "
      "nothing can ever join it, so its stack, handle and the std::thread object leak",
      var->name);
  omen_diag_add_related(c->pass, d, c->file, var->name_start, var->name_end, "pointer declared here");
}

/* ---- routines that never end ---- */

static bool refers_to(CXCursor e, CXCursor decl) {
  e = omen_c_strip(e);
  enum CXCursorKind k = clang_getCursorKind(e);
  if (k == CXCursor_ArraySubscriptExpr ||
      (k == CXCursor_CallExpr && omen_c_name_is(clang_getCursorReferenced(e), "operator[]")))
    e = omen_c_strip(omen_c_expr_child(e, 0));
  k = clang_getCursorKind(e);
  return (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr) &&
         clang_equalCursors(clang_getCursorReferenced(e), decl);
}

/* Is func main()? A main that waits forever on its threads is the usual daemon shape. */
static bool in_main(const ctx *c, uint32_t func) {
  return func != OMEN_C_NONE && clang_getCursorKind(c->in->funcs[func].cursor) == CXCursor_FunctionDecl &&
         strcmp(c->in->funcs[func].name, "main") == 0;
}

/* A call joining start st's thread (same variable, field or array) outside main, or OMEN_C_NONE. */
static uint32_t join_of(const ctx *c, const omen_c_thread_start *st) {
  const omen_c_index *in = c->in;
  if (clang_Cursor_isNull(st->handle_decl))
    return OMEN_C_NONE;
  if (st->api == OMEN_C_THREAD_PTHREAD || st->api == OMEN_C_THREAD_C11) {
    const char *name = st->api == OMEN_C_THREAD_PTHREAD ? "pthread_join" : "thrd_join";
    for (uint32_t i = omen_c_call_first(in, name); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
      if (in->calls[i].nargs >= 1 && !in_main(c, in->calls[i].func) &&
          refers_to(in->calls[i].args[0], st->handle_decl))
        return i;
    return OMEN_C_NONE;
  }
  const char *name = st->api == OMEN_C_THREAD_ASYNC ? "get" : "join";
  for (uint32_t i = omen_c_call_first(in, name); i != OMEN_C_NONE; i = omen_c_call_next(in, i)) {
    const omen_c_call *call = &in->calls[i];
    CXCursor obj = omen_c_member_object(call->cursor);
    if (clang_Cursor_isNull(obj) || in_main(c, call->func))
      continue;
    if (refers_to(obj, st->handle_decl))
      return i;
    /* for (auto &t : threads) t.join(); */
    CXCursor v = clang_getCursorReferenced(obj);
    uint32_t vi = omen_c_var_find(in, v);
    if (clang_getCursorKind(obj) != CXCursor_DeclRefExpr || vi == OMEN_C_NONE ||
        in->vars[vi].loop == OMEN_C_NONE)
      continue;
    const omen_c_loop *l = &in->loops[in->vars[vi].loop];
    if (l->kind == CXCursor_CXXForRangeStmt && in->vars[vi].start < l->body_start &&
        refers_to(omen_c_expr_child(l->cursor, 0), st->handle_decl))
      return i;
  }
  return OMEN_C_NONE;
}

/* Is the start in a loop that never ends or that accepts connections? */
static bool per_connection(const ctx *c, const omen_c_thread_start *st) {
  if (st->loop == OMEN_C_NONE)
    return false;
  const omen_c_loop *l = &c->in->loops[st->loop];
  if (loop_forever(c, l))
    return true;
  for (uint32_t i = omen_c_call_first(c->in, "accept"); i != OMEN_C_NONE; i = omen_c_call_next(c->in, i))
    if (c->in->calls[i].start >= l->start && c->in->calls[i].start < l->end)
      return true;
  for (uint32_t i = omen_c_call_first(c->in, "accept4"); i != OMEN_C_NONE; i = omen_c_call_next(c->in, i))
    if (c->in->calls[i].start >= l->start && c->in->calls[i].start < l->end)
      return true;
  return false;
}

/* The endless loop of routine r, or OMEN_C_NONE. */
static uint32_t endless_loop(const ctx *c, uint32_t r) {
  const omen_c_index *in = c->in;
  for (uint32_t i = 0; i < in->nloops; i++) {
    const omen_c_loop *l = &in->loops[i];
    if (l->func != r || l->has_break || l->has_goto || !loop_forever(c, l))
      continue;
    if (noreturn_within(c, r, l->start, l->end, "pthread_testcancel"))
      continue;
    scan_state ss = {.c = c, .func = r, .var = clang_getNullCursor()};
    scan(&ss, l->cursor, false, true, true, false, 0);
    if (ss.nout || ss.has_goto || ss.too_many)
      continue;
    return i;
  }
  return OMEN_C_NONE;
}

/* The endless loop the thread of routine r runs: one in r itself, or in a function of the unit that r
 * calls as a statement of its body (`static void *main_thread(void *a) { serve(a); return NULL; }`);
 * *via gets that call, or OMEN_C_NONE. */
static uint32_t thread_endless_loop(const ctx *c, uint32_t r, uint32_t *via) {
  const omen_c_index *in = c->in;
  *via = OMEN_C_NONE;
  uint32_t l = endless_loop(c, r);
  if (l != OMEN_C_NONE || !in->funcs[r].body_end)
    return l;
  kids *fk = children_of(in->funcs[r].cursor);
  if (!fk)
    return OMEN_C_NONE;
  CXCursor body = fk->n ? fk->c[fk->n - 1] : clang_getNullCursor();
  free(fk);
  if (clang_getCursorKind(body) != CXCursor_CompoundStmt)
    return OMEN_C_NONE;
  kids *kd = children_of(body);
  for (uint32_t i = 0; kd && i < kd->n && l == OMEN_C_NONE; i++) {
    CXCursor e = omen_c_strip(kd->c[i]);
    uint32_t s, en;
    if (clang_getCursorKind(e) != CXCursor_CallExpr || !omen_c_range(c->pass, e, &s, &en))
      continue;
    uint32_t ci = first_call_at(in, s);
    for (; ci != OMEN_C_NONE && ci < in->ncalls && in->calls[ci].start == s; ci++)
      if (in->calls[ci].end == en)
        break;
    if (ci == OMEN_C_NONE || ci >= in->ncalls || in->calls[ci].start != s || !in->calls[ci].direct)
      continue;
    uint32_t g = omen_c_threads_func_of(c->pass, c->th, in->calls[ci].callee);
    if (g == OMEN_C_NONE || g == r || in->funcs[g].incomplete)
      continue;
    l = endless_loop(c, g);
    if (l != OMEN_C_NONE)
      *via = ci;
  }
  free(kd);
  return l;
}

static void check_no_exit(const ctx *c, const omen_c_thread_start *st, uint32_t *reported,
                          uint32_t *nreported) {
  const omen_c_index *in = c->in;
  if (st->routine == OMEN_C_NONE || in->funcs[st->routine].incomplete || st->launch == OMEN_C_LAUNCH_DEFERRED)
    return;
  if (st->api == OMEN_C_THREAD_PTHREAD && omen_c_call_first(in, "pthread_cancel") != OMEN_C_NONE)
    return;
  uint32_t via = OMEN_C_NONE;
  uint32_t l = thread_endless_loop(c, st->routine, &via);
  if (l == OMEN_C_NONE)
    return;
  for (uint32_t i = 0; i < *nreported; i++)
    if (reported[i] == l)
      return;
  bool future_waits = st->api == OMEN_C_THREAD_ASYNC && !in_main(c, st->func) &&
                      (st->handle == OMEN_C_HANDLE_LOCAL || st->handle == OMEN_C_HANDLE_TEMP);
  uint32_t join = join_of(c, st);
  bool per_conn = per_connection(c, st);
  if (join == OMEN_C_NONE && !future_waits && !per_conn)
    return;
  if (*nreported == 64)
    return; /* that many endless routines: stop rather than report one twice */
  reported[(*nreported)++] = l;
  const omen_c_loop *lp = &in->loops[l];
  const omen_c_call *sc = &in->calls[st->call];
  uint32_t head_end = lp->body_start > lp->start ? lp->body_start : lp->end;
  while (head_end > lp->start && (c->file->text[head_end - 1] == ' ' || c->file->text[head_end - 1] == '\n' ||
                                  c->file->text[head_end - 1] == '\t' || c->file->text[head_end - 1] == '\r'))
    head_end--;
  omen_diag *d;
  if (join != OMEN_C_NONE || future_waits) {
    uint32_t at = join != OMEN_C_NONE ? in->calls[join].start : sc->start;
    d = omen_pass_report(
        c->pass, &rule_no_exit, c->file, lp->start, head_end,
        "this thread routine loops forever with no way out, but its thread is waited for on line "
        "%u: that wait never returns, so shutdown hangs",
        line_of(c->file, at));
    if (join != OMEN_C_NONE)
      omen_diag_add_related(c->pass, d, c->file, in->calls[join].start, in->calls[join].end,
                            "waits for the thread here");
    else
      omen_diag_add_related(c->pass, d, c->file, sc->start, sc->end,
                            "the future returned by std::async waits for the thread when destroyed");
  } else {
    d = omen_pass_report(
        c->pass, &rule_no_exit, c->file, lp->start, head_end,
        "this thread routine loops forever with no way out, and the loop on line %u starts a new "
        "thread running it on every iteration: the threads pile up until the process runs out "
        "of memory or threads",
        line_of(c->file, in->loops[st->loop].start));
  }
  if (via != OMEN_C_NONE)
    omen_diag_add_related(c->pass, d, c->file, in->calls[via].start, in->calls[via].end,
                          "the thread's routine runs it through this call");
  omen_diag_add_related(c->pass, d, c->file, sc->start, sc->end, "the thread is started here");
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const omen_c_index *in = omen_pass_result(pass, &omen_c_inspect);
  const omen_c_thread_info *th = omen_pass_result(pass, &omen_c_threads);
  if (!in || !th || th->nstarts == 0)
    return OMEN_OK;
  ctx c = {.pass = pass, .in = in, .th = th, .file = omen_pass_c_file(pass)};
  CXCursor done[64];
  uint32_t ndone = 0, reported[64], nreported = 0;
  for (uint32_t i = 0; i < th->nstarts; i++) {
    const omen_c_thread_start *st = &th->starts[i];
    const omen_c_call *call = &in->calls[st->call];
    if (call->func != OMEN_C_NONE && in->funcs[call->func].incomplete)
      continue;
    if (st->api == OMEN_C_THREAD_STD) {
      if (st->handle == OMEN_C_HANDLE_LOCAL)
        check_local(&c, st);
      else if (st->handle == OMEN_C_HANDLE_FIELD)
        check_member(&c, st, done, &ndone);
      else if (st->handle == OMEN_C_HANDLE_HEAP)
        check_heap(&c, st);
      else if (st->handle == OMEN_C_HANDLE_ELEMENT && !clang_Cursor_isNull(st->handle_decl))
        check_container(&c, st, done, &ndone);
      else if (st->handle == OMEN_C_HANDLE_TEMP && st->discarded)
        omen_pass_report(
            pass, &rule_destroyed, c.file, call->start, call->end,
            "this thread is destroyed as soon as it starts, still joinable: std::terminate aborts the "
            "process");
    }
    check_no_exit(&c, st, reported, &nreported);
  }
  return OMEN_OK;
}

const omen_analyzer omen_c_thread_lifetime = {
    .name = "c-thread-lifetime",
    .title = "Finds std::threads destroyed while joinable, leaked heap threads and endless thread routines",
    .doc = "Reports thread-leak/thread-destroyed-joinable (a std::thread that can reach its destructor "
           "joinable: early returns, throws, the end of its scope, members nothing joins), "
           "thread-leak/heap-thread-not-joined (new std::thread nobody joins) and thread-leak/thread-no-exit "
           "(a thread routine that loops forever while its thread is joined or started per connection).",
    .langs = OMEN_LANG_CFAMILY,
    .requires = requires,
    .rules = rules,
    .run = run,
};
