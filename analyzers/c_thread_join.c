/* c_thread_join.c - thread-leak/thread-not-joined: a pthread started into a local handle that is
 * never joined or detached, or overwritten in a loop so that only the last thread can be joined. */
#include <string.h>

#include "analyzers.h"
#include "c_inspect.h"

static const omen_rule rule_not_joined = {
    .id = "thread-leak/thread-not-joined",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A thread is started with pthread_create but never joined or detached",
    .what = "Flags `pthread_create(&t, attr, fn, arg)` where `t` is a local variable of the function, the "
            "thread is created joinable (`attr` is NULL or a local attribute object never set to "
            "`PTHREAD_CREATE_DETACHED`), and the function never calls `pthread_join(t, ...)` or "
            "`pthread_detach(t)`. Also flags a handle overwritten by `pthread_create` on every iteration of "
            "a loop and joined or detached only after the loop. It stays quiet when the handle escapes "
            "(its address or value is passed to any other function, stored, assigned or returned) and when "
            "it is a parameter, a global, a static, a struct field or an array element.",
    .why = "A joinable thread keeps its stack and its slot until someone joins it, even after it has "
           "finished. A thread that is neither joined nor detached leaks them for the life of the process, "
           "its return value is lost, and nothing waits for it to finish its work; a server that does this "
           "per request eventually fails to create threads. When a loop reuses one handle, only the last "
           "thread can be joined: the earlier ones are unreachable.",
    .example = "int start(void) {\n"
               "  pthread_t t;\n"
               "  if (pthread_create(&t, NULL, worker, NULL) != 0)\n"
               "    return -1;\n"
               "  return 0;\n"
               "}",
    .instead = "int start(void) {\n"
               "  pthread_t t;\n"
               "  if (pthread_create(&t, NULL, worker, NULL) != 0)\n"
               "    return -1;\n"
               "  pthread_detach(t); /* or pthread_join(t, NULL) where the result is needed */\n"
               "  return 0;\n"
               "}",
    .fix = "Unsafe: inserts `pthread_detach(t);` after the statement that creates the thread, when that "
           "statement is the call itself, an assignment or initialization from it, or an `if` with no "
           "`else` that tests it for failure (`if (pthread_create(...) != 0)`) and whose branch leaves "
           "(return, goto, break, continue, throw, exit, abort). Detaching changes behavior when the "
           "program relied on the thread's result or on waiting for it (the right fix may be a join), and "
           "after an unchecked `rc = pthread_create(...)` that failed the handle is not valid. No fix "
           "inside macros, and none for the loop case: detaching there would make the later join "
           "undefined.",
    .lang = "c/c++",
};

static const omen_rule *const rules[] = {&rule_not_joined, NULL};
static const omen_analyzer *const requires[] = {&omen_c_inspect, NULL};

static bool direct_call_named(const omen_c_index *in, uint32_t call, const char *name) {
  return call != OMEN_C_NONE && in->calls[call].direct && strcmp(in->calls[call].name, name) == 0;
}

/* Is the thread created joinable? attr must be NULL, or &a for a local pthread_attr_t used only
 * by pthread_attr_* calls and never set to anything but PTHREAD_CREATE_JOINABLE. Anything else
 * (unknown attributes) counts as possibly detached. */
static bool created_joinable(const omen_c_index *in, CXCursor attr) {
  if (omen_c_is_null(attr))
    return true;
  bool addr = false;
  CXCursor decl = omen_c_named_decl(attr, &addr);
  uint32_t v = omen_c_var_find(in, decl);
  if (!addr || v == OMEN_C_NONE || in->vars[v].is_static)
    return false;
  for (uint32_t r = omen_c_ref_first(in, decl); r != OMEN_C_NONE; r = omen_c_ref_next(in, r)) {
    const omen_c_ref *ref = &in->refs[r];
    if (!(ref->flags & OMEN_C_REF_ARG) || !(ref->flags & OMEN_C_REF_ADDR) || !in->calls[ref->call].direct)
      return false;
    const omen_c_call *c = &in->calls[ref->call];
    if (strcmp(c->name, "pthread_create") == 0 && ref->arg == 1)
      continue;
    if (strncmp(c->name, "pthread_attr_", 13) != 0 || ref->arg != 0)
      return false;
    if (strcmp(c->name, "pthread_attr_setdetachstate") == 0) {
      if (c->nargs < 2)
        return false;
      CXCursor state = omen_c_strip(c->args[1]);
      CXCursor named = clang_getCursorReferenced(state);
      if (clang_getCursorKind(state) != CXCursor_DeclRefExpr || clang_Cursor_isNull(named))
        return false;
      CXString s = clang_getCursorSpelling(named);
      const char *cs = clang_getCString(s);
      bool joinable = cs && strcmp(cs, "PTHREAD_CREATE_JOINABLE") == 0;
      clang_disposeString(s);
      if (!joinable)
        return false;
    }
  }
  return true;
}

/* Is e the create's status: the call itself or (rc = call)? */
static bool is_status(const omen_pass *pass, CXCursor e, const omen_c_call *call) {
  uint32_t s, end;
  char op[8];
  e = omen_c_strip(e);
  if (clang_getCursorKind(e) == CXCursor_CallExpr)
    return omen_c_range(pass, e, &s, &end) && s == call->start && end == call->end;
  return clang_getCursorKind(e) == CXCursor_BinaryOperator && omen_c_operator(pass, e, op, sizeof op) &&
         strcmp(op, "=") == 0 && is_status(pass, omen_c_expr_child(e, 1), call);
}

/* Does the if's condition hold exactly when the create failed: if (create), if (create != 0),
 * if ((rc = create) != 0)? (Not if (create == 0): the branch would be the success path.) */
static bool tests_failure(const omen_pass *pass, const omen_c_call *call, const omen_c_if *parts) {
  CXCursor cond = clang_getNullCursor();
  for (unsigned i = 0; i < 8; i++) {
    CXCursor c = omen_c_expr_child(call->stmt.cursor, i);
    uint32_t s, e;
    if (clang_Cursor_isNull(c))
      break;
    if (omen_c_range(pass, c, &s, &e) && s <= call->start && call->end <= e && e <= parts->cond_end) {
      cond = c;
      break;
    }
  }
  if (clang_Cursor_isNull(cond))
    return false;
  if (is_status(pass, cond, call))
    return true;
  cond = omen_c_strip(cond);
  char op[8];
  if (clang_getCursorKind(cond) != CXCursor_BinaryOperator || !omen_c_operator(pass, cond, op, sizeof op) ||
      strcmp(op, "!=") != 0)
    return false;
  CXCursor a = omen_c_expr_child(cond, 0), b = omen_c_expr_child(cond, 1);
  return (is_status(pass, a, call) && omen_c_is_null(b)) || (is_status(pass, b, call) && omen_c_is_null(a));
}

/* Where pthread_detach(t) can go after the creating call's statement: the insertion offset, or
 * OMEN_C_NONE; *eol tells whether it is the end of the line (else code follows on that line). */
static uint32_t detach_point(const omen_pass *pass, const omen_c_call *call, bool *eol) {
  const omen_file *f = omen_pass_c_file(pass);
  static const char name[] = "pthread_create";
  uint32_t at = call->start;
  if (at + 2 <= f->len && f->text[at] == ':' && f->text[at + 1] == ':')
    at += 2;
  /* the call must be written out here, not produced by a macro */
  if (call->in_macro || at + sizeof name - 1 > f->len || memcmp(f->text + at, name, sizeof name - 1) != 0)
    return OMEN_C_NONE;
  switch (call->shape) {
  case OMEN_C_SHAPE_BARE:
  case OMEN_C_SHAPE_ASSIGN:
  case OMEN_C_SHAPE_INIT:
    break;
  case OMEN_C_SHAPE_COND: {
    /* if (pthread_create(...) != 0) { ...; return; }: past the if, the thread exists */
    omen_c_if parts;
    if (call->stmt.kind != CXCursor_IfStmt || !omen_c_if_split(pass, call->stmt.cursor, &parts) ||
        parts.has_else || !omen_c_stmt_leaves(parts.then_stmt) || !tests_failure(pass, call, &parts))
      return OMEN_C_NONE;
    break;
  }
  default:
    return OMEN_C_NONE;
  }
  return omen_c_after_stmt(f, call->stmt.end, eol);
}

static void add_detach_fix(omen_pass *pass, omen_diag *d, const omen_c_call *call, const char *var) {
  const omen_file *f = omen_pass_c_file(pass);
  bool eol = false;
  uint32_t at = detach_point(pass, call, &eol);
  if (at == OMEN_C_NONE)
    return;
  uint32_t indent;
  uint32_t line = omen_c_line_start(f, call->stmt.start, &indent);
  /* on a new line with the statement's indentation, or after it when code follows on its line */
  char *text = eol ? omen_arena_printf(omen_pass_arena(pass), "\n%.*spthread_detach(%s);", (int)indent,
                                       f->text + line, var)
                   : omen_arena_printf(omen_pass_arena(pass), " pthread_detach(%s);", var);
  if (!text)
    return;
  omen_fix *fx = omen_diag_add_fix(pass, d, f, OMEN_FIX_UNSAFE, "detach the thread");
  omen_fix_add_edit(pass, fx, at, at, text);
}

/* The variable the create's status is stored in (rc = pthread_create(...), int rc = ...), or a null
 * cursor. */
static CXCursor status_decl(const omen_c_index *in, const omen_c_call *call) {
  if (call->shape == OMEN_C_SHAPE_ASSIGN) {
    bool addr = false;
    CXCursor lhs = omen_c_named_decl(omen_c_expr_child(omen_c_strip(call->stmt.cursor), 0), &addr);
    return addr ? clang_getNullCursor() : lhs;
  }
  if (call->shape == OMEN_C_SHAPE_INIT) {
    for (uint32_t i = 0; i < in->nvars; i++)
      if (in->vars[i].start <= call->start && call->start < in->vars[i].end &&
          in->vars[i].start >= call->stmt.start)
        return in->vars[i].cursor;
  }
  return clang_getNullCursor();
}

/* The loop that overwrites the handle before it is joined after the loop, or OMEN_C_NONE. */
static uint32_t overwriting_loop(const omen_c_index *in, const omen_c_call *call, const omen_c_var *var,
                                 const uint32_t *fins, uint32_t nfins) {
  CXCursor status = status_decl(in, call);
  for (uint32_t l = call->loop; l != OMEN_C_NONE; l = in->loops[l].parent) {
    const omen_c_loop *lp = &in->loops[l];
    if (lp->func != call->func || (var->start >= lp->start && var->start < lp->end))
      return OMEN_C_NONE; /* a fresh handle each iteration */
    if (lp->once)
      continue;
    /* created in the loop header (a retry loop), or the loop may stop early or skip ahead (so
     * it may retry a failed create): perhaps one thread only */
    if (call->start < lp->body_start || call->start >= lp->body_end || lp->has_break || lp->has_goto ||
        lp->has_continue)
      return OMEN_C_NONE;
    /* do { rc = pthread_create(&t, ...); } while (rc == EAGAIN): the condition tests the create */
    for (uint32_t r = omen_c_ref_first(in, status); r != OMEN_C_NONE; r = omen_c_ref_next(in, r)) {
      uint32_t at = in->refs[r].start;
      if (at >= lp->start && at < lp->end && (at < lp->body_start || at >= lp->body_end))
        return OMEN_C_NONE;
    }
    for (uint32_t k = 0; k < nfins; k++)
      if (in->calls[fins[k]].start >= lp->start && in->calls[fins[k]].start < lp->end)
        return OMEN_C_NONE; /* joined or detached within the loop */
    return l;
  }
  return OMEN_C_NONE;
}

static void check_create(omen_pass *pass, const omen_c_index *in, uint32_t ci) {
  const omen_c_call *call = &in->calls[ci];
  if (!call->direct || call->nargs < 4 || call->func == OMEN_C_NONE || in->funcs[call->func].incomplete)
    return;
  bool addr = false;
  CXCursor decl = omen_c_named_decl(call->args[0], &addr);
  uint32_t v = omen_c_var_find(in, decl);
  if (!addr || v == OMEN_C_NONE)
    return; /* not &local: a parameter, global, field or element keeps its own books */
  const omen_c_var *var = &in->vars[v];
  if (var->is_static || var->func != call->func || !created_joinable(in, call->args[1]))
    return;
  /* every use of the handle must be a create, join or detach */
  uint32_t fins[64], nfins = 0;
  for (uint32_t r = omen_c_ref_first(in, decl); r != OMEN_C_NONE; r = omen_c_ref_next(in, r)) {
    const omen_c_ref *ref = &in->refs[r];
    if (!(ref->flags & OMEN_C_REF_ARG) || ref->arg != 0)
      return;
    bool is_addr = (ref->flags & OMEN_C_REF_ADDR) != 0;
    if (is_addr && direct_call_named(in, ref->call, "pthread_create"))
      continue;
    if (is_addr || !(direct_call_named(in, ref->call, "pthread_join") ||
                     direct_call_named(in, ref->call, "pthread_detach")))
      return;
    if (nfins == sizeof fins / sizeof fins[0])
      return; /* that many joins: not a leak worth guessing about */
    fins[nfins++] = ref->call;
  }
  const omen_file *f = omen_pass_c_file(pass);
  omen_diag *d;
  if (nfins == 0) {
    d = omen_pass_report(pass, &rule_not_joined, f, call->start, call->end,
                         "thread started here is never joined or detached: its stack and handle leak until "
                         "the process exits, and its result is lost");
    omen_diag_add_related(pass, d, f, var->name_start, var->name_end, "thread handle declared here");
    add_detach_fix(pass, d, call, var->name);
    return;
  }
  uint32_t l = overwriting_loop(in, call, var, fins, nfins);
  if (l == OMEN_C_NONE)
    return;
  d = omen_pass_report(
      pass, &rule_not_joined, f, call->start, call->end,
      "thread handle %s is overwritten on every iteration but joined or detached only after the loop: "
      "earlier threads cannot be joined, so their stacks and handles leak",
      var->name);
  omen_diag_add_related(pass, d, f, var->name_start, var->name_end, "thread handle declared here");
  omen_diag_add_related(pass, d, f, in->calls[fins[0]].start, in->calls[fins[0]].end,
                        "only the last thread is joined or detached here");
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const omen_c_index *in = omen_pass_result(pass, &omen_c_inspect);
  if (!in)
    return OMEN_OK;
  for (uint32_t i = omen_c_call_first(in, "pthread_create"); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
    check_create(pass, in, i);
  return OMEN_OK;
}

const omen_analyzer omen_c_thread_join = {
    .name = "c-thread-join",
    .title = "Finds pthreads that are never joined or detached",
    .doc = "Reports thread-leak/thread-not-joined: pthread_create into a local handle that the function "
           "never joins or detaches and that does not escape, and handles overwritten in a loop before "
           "the join after it.",
    .langs = OMEN_LANG_CFAMILY,
    .requires = requires,
    .rules = rules,
    .run = run,
};
