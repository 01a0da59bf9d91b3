/* c_deadlock.c - the deadlock family for C/C++: returns that leave a mutex locked, double locks,
 * lock-order inversions, unlocking a mutex no longer held, and blocking while holding a mutex. */
#include <stdio.h>
#include <string.h>

#include "analyzers.h"
#include "c_locks.h"

static const omen_rule rule_leak = {
    .id = "deadlock/lock-leak-on-return",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A return between lock and unlock leaves the mutex locked",
    .what = "Flags a `return` reached with a mutex locked by the function itself (pthread_mutex_lock, "
            "pthread_rwlock_*lock, pthread_spin_lock, mtx_lock, std::mutex::lock and relatives) when the "
            "function's other exits unlock it: typically an error path added between the lock and the "
            "unlock. Functions whose every exit keeps the mutex locked are lock helpers (their callers "
            "unlock) and are not flagged; neither are RAII guards (std::lock_guard, std::unique_lock, "
            "std::scoped_lock), which unlock at scope exit, nor functions with backward or computed gotos.",
    .why = "The next thread that locks the mutex blocks forever, and so does every thread after it: the "
           "server stops serving requests with no crash and no log line, usually only once the rare error "
           "path runs in production.",
    .example = "int table_put(struct table *t, const char *k, void *v) {\n"
               "  pthread_mutex_lock(&t->lock);\n"
               "  if (t->n == t->cap)\n"
               "    return -1;\n"
               "  t->items[t->n++] = make_item(k, v);\n"
               "  pthread_mutex_unlock(&t->lock);\n"
               "  return 0;\n"
               "}",
    .instead = "int table_put(struct table *t, const char *k, void *v) {\n"
               "  pthread_mutex_lock(&t->lock);\n"
               "  if (t->n == t->cap) {\n"
               "    pthread_mutex_unlock(&t->lock);\n"
               "    return -1;\n"
               "  }\n"
               "  t->items[t->n++] = make_item(k, v);\n"
               "  pthread_mutex_unlock(&t->lock);\n"
               "  return 0;\n"
               "}",
    .fix = "Safe: inserts the function's own unlock statement (copied from its other exits) before the "
           "return (or goto), with its indentation; when it is the unbraced branch of an `if` or `else`, "
           "the branch gets braces. No fix when the unlock or the return comes from a macro. C++, unsafe "
           "alternative: when `m.lock();` is a plain statement of the function's outer block and every "
           "`m.unlock();` directly precedes a return or the end of the function, replaces the lock by "
           "`std::lock_guard<...> guard(m);` and removes the unlocks (unsafe: the mutex is then held "
           "until the end of the function, also over code that ran unlocked after an unlock).",
    .lang = "c/c++",
};

static const omen_rule rule_double = {
    .id = "deadlock/mutex-double-lock",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A non-recursive mutex is locked again while already held",
    .what = "Flags locking a mutex that is held on every path to that point, either directly or by calling "
            "a function of the same file that locks it (the call chain is shown); a project's own lock "
            "functions count when Clang thread-safety annotations say what they lock (openvswitch's "
            "ovs_mutex_lock). Recursive mutexes (std::recursive_mutex; a pthread, C11 or annotated mutex "
            "the file initializes as recursive, e.g. with PTHREAD_MUTEX_RECURSIVE or "
            "ovs_mutex_init_recursive, or never initializes while it speaks of recursive mutexes) and "
            "try-locks are not flagged, nor shared (reader) locks taken twice, nor a lock whose result is "
            "stored and checked (`rc = pthread_mutex_lock(...)`: error-checking mutexes report EDEADLK).",
    .why = "A default pthread mutex, std::mutex or mtx_t locked twice by the same thread deadlocks that "
           "thread (or is undefined behavior); every other thread that needs the mutex then blocks too.",
    .example = "void cache_evict(struct cache *c) {\n"
               "  pthread_mutex_lock(&c->lock);\n"
               "  /* ... */\n"
               "  pthread_mutex_unlock(&c->lock);\n"
               "}\n"
               "void cache_put(struct cache *c, struct entry *e) {\n"
               "  pthread_mutex_lock(&c->lock);\n"
               "  if (c->n == c->cap)\n"
               "    cache_evict(c);\n"
               "  /* ... */\n"
               "  pthread_mutex_unlock(&c->lock);\n"
               "}",
    .instead = "Split the helper into a locked entry point and an `_locked` variant that expects the "
               "caller to hold the mutex, and call the variant under the lock.",
    .fix = "None: which side should not lock depends on the design.",
    .lang = "c/c++",
};

static const omen_rule rule_order = {
    .id = "deadlock/mutex-order-inversion",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Two mutexes are locked in opposite orders on two paths",
    .what = "Flags a pair of mutexes A and B (named by declaration: a global, or a field of a struct or "
            "class) that one path of the file locks A then B and another path locks B then A, directly "
            "or through calls to functions of the same file. Both acquisitions are shown. Not flagged when "
            "both paths hold a third mutex at the time (it serializes them), nor for std::scoped_lock.",
    .why = "When two threads run the two paths at once, each can take its first mutex and wait forever "
           "for the other's: a deadlock that shows up only under load.",
    .example = "void transfer(void) {\n"
               "  pthread_mutex_lock(&accounts_lock);\n"
               "  pthread_mutex_lock(&log_lock);\n"
               "  /* ... */\n"
               "}\n"
               "void rotate(void) {\n"
               "  pthread_mutex_lock(&log_lock);\n"
               "  pthread_mutex_lock(&accounts_lock);\n"
               "  /* ... */\n"
               "}",
    .instead = "Pick one global order (accounts_lock before log_lock) and follow it everywhere, or release "
               "the first mutex before taking the second; in C++ std::scoped_lock takes several at once.",
    .fix = "None: the right order is a design decision.",
    .lang = "c/c++",
};

static const omen_rule rule_order_xtu = {
    .id = "deadlock/mutex-order-inversion-across-files",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Two mutexes are locked in opposite orders in two different files",
    .what = "When omen analyzes several C/C++ files in one run (a directory, several files, or a compile "
            "database with `-p`), flags a pair of mutexes A and B that code in one file locks A then B and "
            "code in another file locks B then A, directly, through calls to functions of the same file, or "
            "through a call to a function (with external linkage) defined in another file that locks B, "
            "itself or through its own calls in its file. Only mutexes that are the same object in both "
            "files count: a global with external "
            "linkage that a header declares (matched by its linker-level name, USR, and that header), or a "
            "field of a struct or class declared in a header (`struct conn`'s `lock` vs `struct pool`'s "
            "`lock`, whatever object it is reached through). Locals, `static` globals (also when a header "
            "declares them: each file gets its own copy), globals no header declares (separate programs in "
            "one directory, such as tests, often define the same names) and fields of structs declared in a "
            "`.c` file never match across files. Reported once, "
            "at the second acquisition in the first file (by path), with the other file's acquisitions as "
            "related locations. Not flagged when both paths hold a third shared mutex at the time, nor "
            "when one file already takes both orders (deadlock/mutex-order-inversion reports that).",
    .why = "When two threads run the two paths at once, each can take its first mutex and wait forever "
           "for the other's. With the two orders in different files, no review of either file shows it.",
    .example = "/* conn.c */\n"
               "void conn_close(struct conn *c) {\n"
               "  pthread_mutex_lock(&c->lock);\n"
               "  pthread_mutex_lock(&c->pool->lock); /* conn, then pool */\n"
               "  /* ... */\n"
               "}\n"
               "/* pool.c */\n"
               "void pool_drain(struct pool *p) {\n"
               "  pthread_mutex_lock(&p->lock);\n"
               "  pthread_mutex_lock(&p->head->lock); /* pool, then conn */\n"
               "  /* ... */\n"
               "}",
    .instead = "Document one order (pool before conn) in the header that declares both structs and follow it "
               "in every file, or release the first mutex before taking the second.",
    .fix = "None: the right order is a design decision.",
    .lang = "c/c++",
};

static const omen_rule rule_unheld = {
    .id = "deadlock/unlock-not-held",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A mutex is unlocked again after the function already unlocked it",
    .what = "Flags an unlock of a mutex that the function locked and then already unlocked on some path "
            "to this point, without locking it again on that path: a double unlock, typically an error path "
            "that unlocks and "
            "then falls through to the common unlock. An unlock that is itself conditional is flagged only "
            "when every path already unlocked (`if (!keep) unlock(); ... if (keep) unlock();` is fine). "
            "Unlocks of mutexes the caller locked, of read-write locks and of recursive mutexes are not "
            "flagged.",
    .why = "Unlocking a mutex the thread does not hold is undefined behavior for default pthread mutexes, "
           "std::mutex and mtx_t: it may release another thread's critical section, corrupting the data "
           "the mutex protects, or abort.",
    .example = "pthread_mutex_lock(&q->lock);\n"
               "if (q->closed) {\n"
               "  pthread_mutex_unlock(&q->lock);\n"
               "  err = -EPIPE;\n"
               "}\n"
               "pthread_mutex_unlock(&q->lock);",
    .instead = "pthread_mutex_lock(&q->lock);\n"
               "if (q->closed)\n"
               "  err = -EPIPE;\n"
               "pthread_mutex_unlock(&q->lock);",
    .fix = "None: which unlock to remove depends on the paths.",
    .lang = "c/c++",
};

static const omen_rule rule_blocking = {
    .id = "deadlock/blocking-while-locked",
    .severity = OMEN_SEV_NOTE,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "A blocking call (sleep, join, another condition's wait) runs while a mutex is held",
    .what = "Flags sleep, usleep, nanosleep, std::this_thread::sleep_for/sleep_until, pthread_join, "
            "thrd_join, std::thread::join, and pthread_cond_wait/timedwait or "
            "std::condition_variable::wait/wait_for/wait_until on a different mutex, called while a mutex is "
            "held on every path "
            "to the call (locked in this function or by a lock helper it called).",
    .why = "Every other thread that needs the mutex stalls for as long as the call blocks; if the thread "
           "being joined or the condition's signaller needs that mutex, it never finishes: a deadlock.",
    .example = "pthread_mutex_lock(&pool->lock);\n"
               "pool->stop = 1;\n"
               "pthread_join(pool->worker, NULL);\n"
               "pthread_mutex_unlock(&pool->lock);",
    .instead = "pthread_mutex_lock(&pool->lock);\n"
               "pool->stop = 1;\n"
               "pthread_mutex_unlock(&pool->lock);\n"
               "pthread_join(pool->worker, NULL);",
    .fix = "None: move the blocking call out of the critical section.",
    .lang = "c/c++",
};

static const omen_rule *const rules[] = {&rule_leak,     &rule_double,    &rule_order, &rule_unheld,
                                         &rule_blocking, &rule_order_xtu, NULL};
static const omen_analyzer *const requires[] = {&omen_c_inspect, &omen_c_locks, NULL};

static bool func_ok(const omen_c_lockinfo *lk, uint32_t f) {
  return f != OMEN_C_NONE && !lk->in->funcs[f].incomplete && !lk->funcs[f].uncertain;
}

static const char *mutex_name(const omen_c_lockinfo *lk, uint32_t m) { return lk->mutexes[m].key; }

/* ---- lock-leak-on-return ---- */

/* Is the text [s, e) a single statement written out in the file (not from a macro)? */
static bool plain_text(const omen_file *f, uint32_t s, uint32_t e) {
  if (s >= e || e > f->len)
    return false;
  for (uint32_t i = s; i < e; i++)
    if (f->text[i] == '\n' || f->text[i] == '#')
      return false;
  return true;
}

/* The text of an unlock statement for mutex m in function fn: an unlock op's bare statement. */
static bool unlock_text(const omen_pass *pass, const omen_c_lockinfo *lk, uint32_t fn, uint32_t m,
                        uint32_t *s, uint32_t *e) {
  const omen_file *f = omen_pass_c_file(pass);
  for (uint32_t i = 0; i < lk->nops; i++) {
    const omen_c_lockop *op = &lk->ops[i];
    if (op->func != fn || op->mutex != m || op->kind != OMEN_C_OP_UNLOCK || op->guard != OMEN_C_NONE)
      continue;
    const omen_c_call *call = &lk->in->calls[op->call];
    if (call->in_macro || call->shape != OMEN_C_SHAPE_BARE)
      continue;
    if (plain_text(f, call->stmt.start, call->stmt.end)) {
      *s = call->stmt.start;
      *e = call->stmt.end;
      return true;
    }
  }
  return false;
}

/* Indentation text of the line holding off, and whether off is the first non-blank of its line. */
static uint32_t indent_of(const omen_file *f, uint32_t off, uint32_t *line, bool *first) {
  uint32_t ind;
  *line = omen_c_line_start(f, off, &ind);
  *first = *line + ind == off;
  return ind;
}

static void add_leak_fix(omen_pass *pass, omen_diag *d, const omen_c_lockinfo *lk, const omen_c_exit *x,
                         uint32_t m) {
  const omen_file *f = omen_pass_c_file(pass);
  omen_arena *a = omen_pass_arena(pass);
  uint32_t us, ue;
  if (!unlock_text(pass, lk, x->func, m, &us, &ue) || !plain_text(f, x->start, x->end))
    return;
  /* the return or goto must be written here: it starts with the keyword */
  const char *kw = x->label == OMEN_C_NONE ? "return" : "goto";
  size_t kwl = strlen(kw);
  if (x->start + kwl > f->len || memcmp(f->text + x->start, kw, kwl) != 0)
    return;
  int ulen = (int)(ue - us);
  const char *utext = f->text + us;
  uint32_t rline, rind;
  bool rfirst;
  rind = indent_of(f, x->start, &rline, &rfirst);
  if (!x->in_branch) {
    if (!rfirst)
      return;
    char *text = omen_arena_printf(a, "%.*s%.*s\n", (int)rind, f->text + rline, ulen, utext);
    omen_fix *fx = omen_diag_add_fix(pass, d, f, OMEN_FIX_SAFE, "unlock %s before %s", mutex_name(lk, m),
                                     x->label == OMEN_C_NONE ? "returning" : "jumping");
    if (text)
      omen_fix_add_edit(pass, fx, rline, rline, text);
    return;
  }
  if (clang_getCursorKind(x->parent) != CXCursor_IfStmt)
    return;
  omen_c_if parts;
  if (!omen_c_if_split(pass, x->parent, &parts))
    return;
  uint32_t from;
  if (parts.then_start == x->start) {
    from = parts.cond_end;
  } else if (parts.has_else && parts.else_start == x->start) {
    /* just past the else keyword */
    uint32_t j = x->start;
    while (j > parts.then_end && !(j >= 4 && memcmp(f->text + j - 4, "else", 4) == 0))
      j--;
    if (j <= parts.then_end)
      return;
    from = j;
  } else {
    return;
  }
  uint32_t iline, iind;
  bool ifirst;
  uint32_t stmt_start = 0, stmt_end = 0;
  omen_c_range(pass, x->parent, &stmt_start, &stmt_end);
  iind = indent_of(f, stmt_start, &iline, &ifirst);
  /* the branch body's indentation: the return's own when it has a line, else one step more */
  char body[64];
  if (rfirst && rind > iind && rind < sizeof body) {
    memcpy(body, f->text + rline, rind);
    body[rind] = '\0';
  } else {
    const char *step = iind > 0 && f->text[iline] == '\t' ? "\t" : "  ";
    if (iind + 3 >= sizeof body)
      return;
    snprintf(body, sizeof body, "%.*s%s", (int)iind, f->text + iline, step);
  }
  char *open = omen_arena_printf(a, " {\n%s%.*s\n%s", body, ulen, utext, body);
  char *close = omen_arena_printf(a, "\n%.*s}", (int)iind, f->text + iline);
  if (!open || !close)
    return;
  omen_fix *fx = omen_diag_add_fix(pass, d, f, OMEN_FIX_SAFE, "unlock %s before %s", mutex_name(lk, m),
                                   x->label == OMEN_C_NONE ? "returning" : "jumping");
  omen_fix_add_edit(pass, fx, from, x->start, open);
  omen_fix_add_edit(pass, fx, x->end, x->end, close);
}

/* The returned expression's text of exit x, without parentheses, into buf; "" for a bare return. */
static void return_value(const omen_file *f, const omen_c_exit *x, char *buf, size_t n) {
  buf[0] = '\0';
  if (!x->is_return || x->start + 6 > x->end || x->end > f->len)
    return;
  uint32_t s = x->start + 6, e = x->end;
  while (e > s && (f->text[e - 1] == ';' || f->text[e - 1] == ' ' || f->text[e - 1] == '\t'))
    e--;
  while (s < e && (f->text[s] == ' ' || f->text[s] == '\t' || f->text[s] == '('))
    s++;
  while (e > s && f->text[e - 1] == ')')
    e--;
  if (e - s < n) {
    memcpy(buf, f->text + s, e - s);
    buf[e - s] = '\0';
  }
}

/* Does the function mean to return holding m on success: it returns the mutex's owner (return q with
 * q->lock held), or success (0, true) holding it where the unlocking exit returns an error? */
static bool returns_locked_on_success(const omen_pass *pass, const omen_c_lockinfo *lk, const omen_c_exit *x,
                                      const omen_c_exit *other, uint32_t m) {
  const omen_file *f = omen_pass_c_file(pass);
  char held[64], rel[64];
  return_value(f, x, held, sizeof held);
  return_value(f, other, rel, sizeof rel);
  const char *key = lk->mutexes[m].key;
  size_t hl = strlen(held);
  if (hl && strncmp(key, held, hl) == 0 && (key[hl] == '-' || key[hl] == '.'))
    return true;
  bool success = strcmp(held, "0") == 0 || strcmp(held, "true") == 0;
  bool failure =
      rel[0] == '-' || strcmp(rel, "NULL") == 0 || strcmp(rel, "nullptr") == 0 || strcmp(rel, "false") == 0;
  return success && failure;
}

/* Does the function's name say it returns locked (foo_lock, lock_foo, acquire_foo, ...)? */
static bool locking_name(const char *name) {
  char low[128];
  size_t n = strlen(name);
  if (n >= sizeof low)
    return false;
  for (size_t i = 0; i <= n; i++)
    low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
  if (strstr(low, "unlock") || strstr(low, "release"))
    return false;
  return strstr(low, "lock") || strstr(low, "acquire") || strstr(low, "grab") || strstr(low, "enter");
}

static void add_guard_fix(omen_pass *pass, omen_diag *d, const omen_c_lockinfo *lk, uint32_t fn,
                          uint32_t lockop);

typedef struct goto_seen {
  uint32_t func, mutex, label;
} goto_seen;

#define MAX_GOTO_SEEN 256

static void check_leaks(omen_pass *pass, const omen_c_lockinfo *lk, const goto_seen *seen, uint32_t nseen) {
  const omen_file *f = omen_pass_c_file(pass);
  for (uint32_t i = 0; i < lk->nexits; i++) {
    const omen_c_exit *x = &lk->exits[i];
    if (!x->is_return || !func_ok(lk, x->func))
      continue;
    for (uint32_t h = 0; h < x->held.n; h++) {
      uint32_t m = x->held.mutex[h];
      /* released on some other exit of the function that it reached holding the mutex */
      const omen_c_exit *other = NULL;
      for (uint32_t j = 0; j < lk->nexits && !other; j++) {
        const omen_c_exit *y = &lk->exits[j];
        if (y->func == x->func && j != i && omen_c_lockset_has(y->released, m) &&
            !omen_c_lockset_has(y->may, m))
          other = y;
      }
      bool via_goto = false; /* reported at the goto that jumped past the unlock */
      for (uint32_t k = 0; k < nseen && !via_goto; k++)
        via_goto = seen[k].func == x->func && seen[k].mutex == m && seen[k].label < x->start;
      if (via_goto || !other || strcmp(lk->in->funcs[x->func].name, "main") == 0 ||
          locking_name(lk->in->funcs[x->func].name) || returns_locked_on_success(pass, lk, x, other, m))
        continue;
      uint32_t by = x->held.by[h], via = x->held.by_call[h];
      omen_diag *d = omen_pass_report(
          pass, &rule_leak, f, x->start, x->end,
          "returns with %s still locked: the next lock of %s blocks forever and every thread that needs it "
          "hangs",
          mutex_name(lk, m), mutex_name(lk, m));
      if (by != OMEN_C_NONE)
        omen_diag_add_related(pass, d, f, lk->ops[by].start, lk->ops[by].end, "%s locked here",
                              mutex_name(lk, m));
      else if (via != OMEN_C_NONE)
        omen_diag_add_related(pass, d, f, lk->in->calls[via].start, lk->in->calls[via].end,
                              "%s locked by this call", mutex_name(lk, m));
      omen_diag_add_related(pass, d, f, other->start, other->end,
                            "the other paths unlock it before returning");
      add_leak_fix(pass, d, lk, x, m);
      if (by != OMEN_C_NONE)
        add_guard_fix(pass, d, lk, x->func, by);
    }
  }
}

/* Offset of the next token after off, skipping blanks and comments. */
static uint32_t next_token(const omen_file *f, uint32_t off) {
  while (off < f->len) {
    char ch = f->text[off];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      off++;
    } else if (ch == '/' && off + 1 < f->len && f->text[off + 1] == '/') {
      while (off < f->len && f->text[off] != '\n')
        off++;
    } else if (ch == '/' && off + 1 < f->len && f->text[off + 1] == '*') {
      const char *e = strstr(f->text + off + 2, "*/");
      off = e ? (uint32_t)(e - f->text) + 2 : f->len;
    } else {
      break;
    }
  }
  return off;
}

/* Unsafe alternative in C++: replace `m.lock();` by a std::lock_guard and drop the unlocks, when the
 * lock is a plain statement of the function's outer block (not in a loop or branch) and every
 * unlock of the mutex directly precedes a return or the end of the function. */
static void add_guard_fix(omen_pass *pass, omen_diag *d, const omen_c_lockinfo *lk, uint32_t fn,
                          uint32_t lockop) {
  const omen_file *f = omen_pass_c_file(pass);
  const omen_c_lockop *op = &lk->ops[lockop];
  const omen_c_mutex *mx = &lk->mutexes[op->mutex];
  const omen_c_call *call = &lk->in->calls[op->call];
  const omen_c_func *func = &lk->in->funcs[fn];
  if (omen_pass_lang(pass) != OMEN_LANG_CPP || mx->api != OMEN_C_MUTEX_STD || op->kind != OMEN_C_OP_LOCK ||
      op->shared || op->guard != OMEN_C_NONE || call->in_macro || call->shape != OMEN_C_SHAPE_BARE ||
      call->loop != OMEN_C_NONE || omen_c_locks_call_in_branch(lk, op->call) || func->body_end == 0)
    return;
  /* the object: the text before ".lock()" */
  uint32_t dot = call->end;
  static const char tail[] = ".lock()";
  if (dot < call->start + sizeof tail ||
      memcmp(f->text + dot - (sizeof tail - 1), tail, sizeof tail - 1) != 0)
    return;
  uint32_t obj_end = dot - (uint32_t)(sizeof tail - 1);
  if (!plain_text(f, call->start, obj_end))
    return;
  CXType t = clang_getCursorType(omen_c_expr_child(omen_c_strip(omen_c_expr_child(call->cursor, 0)), 0));
  if (t.kind == CXType_LValueReference || t.kind == CXType_RValueReference)
    t = clang_getPointeeType(t);
  CXString ts = clang_getTypeSpelling(t);
  const char *tn = clang_getCString(ts);
  char type[96];
  bool ok = tn && strncmp(tn, "std::", 5) == 0 && strlen(tn) < sizeof type;
  if (ok)
    strcpy(type, tn);
  clang_disposeString(ts);
  if (!ok)
    return;
  omen_fix *fx = NULL;
  uint32_t nun = 0;
  for (uint32_t i = 0; i < lk->nops; i++) {
    const omen_c_lockop *u = &lk->ops[i];
    if (u->func != fn || u->mutex != op->mutex || i == lockop)
      continue;
    const omen_c_call *uc = &lk->in->calls[u->call];
    if (u->kind != OMEN_C_OP_UNLOCK || uc->in_macro || uc->shape != OMEN_C_SHAPE_BARE)
      return;
    uint32_t nt = next_token(f, uc->stmt.end);
    bool at_exit = nt + 1 == func->body_end || (nt + 6 <= f->len && memcmp(f->text + nt, "return", 6) == 0);
    if (!at_exit)
      return;
    nun++;
  }
  /* the name must be free in the function */
  if (nun == 0 || memmem(f->text + func->body_start, func->body_end - func->body_start, "guard", 5))
    return;
  fx = omen_diag_add_fix(pass, d, f, OMEN_FIX_UNSAFE, "hold %s with a std::lock_guard instead", mx->key);
  char *decl = omen_arena_printf(omen_pass_arena(pass), "std::lock_guard<%s> guard(%.*s);", type,
                                 (int)(obj_end - call->start), f->text + call->start);
  if (!decl)
    return;
  omen_fix_add_edit(pass, fx, call->stmt.start, call->stmt.end, decl);
  for (uint32_t i = 0; i < lk->nops; i++) {
    const omen_c_lockop *u = &lk->ops[i];
    if (u->func != fn || u->mutex != op->mutex || i == lockop)
      continue;
    const omen_c_call *uc = &lk->in->calls[u->call];
    uint32_t ind, line = omen_c_line_start(f, uc->stmt.start, &ind);
    uint32_t end = uc->stmt.end;
    /* the whole line when the statement is alone on it */
    if (line + ind == uc->stmt.start && end < f->len && f->text[end] == '\n')
      omen_fix_add_edit(pass, fx, line, end + 1, "");
    else
      omen_fix_add_edit(pass, fx, uc->stmt.start, uc->stmt.end, "");
  }
}

/* A goto that jumps from inside the locked region to a label past the unlock, after which the
 * function returns with the mutex still locked (on that path only). */
static uint32_t check_goto_leaks(omen_pass *pass, const omen_c_lockinfo *lk, goto_seen *seen) {
  uint32_t nseen = 0;
  const omen_file *f = omen_pass_c_file(pass);
  for (uint32_t i = 0; i < lk->njumps; i++) {
    const omen_c_exit *g = &lk->jumps[i];
    if (!func_ok(lk, g->func) || g->label < g->end || strcmp(lk->in->funcs[g->func].name, "main") == 0 ||
        locking_name(lk->in->funcs[g->func].name))
      continue;
    for (uint32_t h = 0; h < g->held.n; h++) {
      uint32_t m = g->held.mutex[h];
      /* an unlock of m between the goto and its label: the goto skips it */
      bool skipped = false, after = false;
      for (uint32_t k = 0; k < lk->nops; k++) {
        const omen_c_lockop *op = &lk->ops[k];
        if (op->func != g->func || op->mutex != m || op->kind != OMEN_C_OP_UNLOCK)
          continue;
        if (op->start > g->end && op->start < g->label)
          skipped = true;
        if (op->start >= g->label)
          after = true;
      }
      if (!skipped || after)
        continue;
      /* some exit after the label that may still hold m, while another exit released it */
      const omen_c_exit *leak = NULL, *rel = NULL;
      for (uint32_t j = 0; j < lk->nexits; j++) {
        const omen_c_exit *y = &lk->exits[j];
        if (y->func != g->func)
          continue;
        if (y->start > g->label && omen_c_lockset_has(y->may, m) && !leak)
          leak = y;
        if (omen_c_lockset_has(y->released, m) && !omen_c_lockset_has(y->may, m))
          rel = y;
      }
      if (!leak)
        continue;
      (void)rel;
      omen_diag *d = omen_pass_report(pass, &rule_leak, f, g->start, g->end,
                                      "jumps past the unlock of %s: the function returns with %s still "
                                      "locked, and the next lock of it blocks forever",
                                      mutex_name(lk, m), mutex_name(lk, m));
      uint32_t by = g->held.by[h];
      if (by != OMEN_C_NONE)
        omen_diag_add_related(pass, d, f, lk->ops[by].start, lk->ops[by].end, "%s locked here",
                              mutex_name(lk, m));
      omen_diag_add_related(pass, d, f, leak->start, leak->end, "returns here still holding it");
      add_leak_fix(pass, d, lk, g, m);
      if (nseen < MAX_GOTO_SEEN)
        seen[nseen++] = (goto_seen){g->func, m, g->label};
    }
  }
  return nseen;
}

/* ---- double lock ---- */

static void related_holder(omen_pass *pass, omen_diag *d, const omen_c_lockinfo *lk, omen_c_lockset held,
                           uint32_t k) {
  const omen_file *f = omen_pass_c_file(pass);
  uint32_t by = held.by[k], via = held.by_call[k];
  if (by != OMEN_C_NONE)
    omen_diag_add_related(pass, d, f, lk->ops[by].start, lk->ops[by].end, "first locked here");
  else if (via != OMEN_C_NONE)
    omen_diag_add_related(pass, d, f, lk->in->calls[via].start, lk->in->calls[via].end,
                          "first locked by this call");
}

static int held_index(omen_c_lockset s, uint32_t m) {
  for (uint32_t i = 0; i < s.n; i++)
    if (s.mutex[i] == m)
      return (int)i;
  return -1;
}

static void check_double(omen_pass *pass, const omen_c_lockinfo *lk) {
  const omen_file *f = omen_pass_c_file(pass);
  for (uint32_t i = 0; i < lk->nops; i++) {
    const omen_c_lockop *op = &lk->ops[i];
    if ((op->kind != OMEN_C_OP_LOCK && op->kind != OMEN_C_OP_GUARD) || op->shared || !func_ok(lk, op->func))
      continue;
    const omen_c_mutex *mx = &lk->mutexes[op->mutex];
    if (mx->recursive)
      continue;
    omen_c_lockset held = omen_c_locks_at_call(lk, op->call, false);
    int k = held_index(held, op->mutex);
    if (k < 0)
      continue;
    omen_diag *d = omen_pass_report(pass, &rule_double, f, op->start, op->end,
                                    "%s is locked again while this thread already holds it: the thread "
                                    "deadlocks on itself",
                                    mx->key);
    related_holder(pass, d, lk, held, (uint32_t)k);
  }
  /* through calls */
  for (uint32_t ci = 0; ci < lk->in->ncalls; ci++) {
    uint32_t ms[8], ops[8];
    uint32_t n = omen_c_locks_call_acquires(lk, ci, ms, ops, 8);
    if (n == 0 || !func_ok(lk, lk->in->calls[ci].func))
      continue;
    omen_c_lockset held = omen_c_locks_at_call(lk, ci, false);
    for (uint32_t j = 0; j < n; j++) {
      int k = held_index(held, ms[j]);
      if (k < 0 || lk->mutexes[ms[j]].recursive || ops[j] == OMEN_C_NONE || lk->ops[ops[j]].shared)
        continue;
      const omen_c_call *call = &lk->in->calls[ci];
      omen_diag *d = omen_pass_report(pass, &rule_double, f, call->start, call->end,
                                      "%s locks %s, which this thread already holds here: the thread "
                                      "deadlocks on itself",
                                      call->name, lk->mutexes[ms[j]].key);
      related_holder(pass, d, lk, held, (uint32_t)k);
      omen_diag_add_related(pass, d, f, lk->ops[ops[j]].start, lk->ops[ops[j]].end, "%s locks it here",
                            call->name);
      break;
    }
  }
}

/* ---- unlock not held ---- */

static void check_unheld(omen_pass *pass, const omen_c_lockinfo *lk) {
  const omen_file *f = omen_pass_c_file(pass);
  for (uint32_t i = 0; i < lk->nops; i++) {
    const omen_c_lockop *op = &lk->ops[i];
    if (op->kind != OMEN_C_OP_UNLOCK || op->guard != OMEN_C_NONE || !func_ok(lk, op->func) ||
        lk->mutexes[op->mutex].shared_capable)
      continue; /* read locks may be held several times */
    /* released earlier on every path to here, or on some path when this unlock is not itself
     * conditional (if (!keep) unlock(); ... if (keep) unlock(); is fine) */
    if (lk->mutexes[op->mutex].recursive)
      continue;
    omen_c_lockset rel =
        omen_c_locks_released_at_call(lk, op->call, omen_c_locks_call_in_branch(lk, op->call) == false);
    if (!omen_c_lockset_has(rel, op->mutex))
      continue;
    /* the earlier unlock: the last unlock op of the mutex before this one in the function */
    uint32_t prev = OMEN_C_NONE;
    for (uint32_t j = 0; j < i; j++)
      if (lk->ops[j].func == op->func && lk->ops[j].mutex == op->mutex && lk->ops[j].kind == OMEN_C_OP_UNLOCK)
        prev = j;
    omen_diag *d = omen_pass_report(pass, &rule_unheld, f, op->start, op->end,
                                    "%s is unlocked again: a path here already unlocked it, so this "
                                    "releases a mutex the thread does not hold (undefined behavior; it can "
                                    "break another thread's critical section)",
                                    lk->mutexes[op->mutex].key);
    if (prev != OMEN_C_NONE)
      omen_diag_add_related(pass, d, f, lk->ops[prev].start, lk->ops[prev].end, "already unlocked here");
  }
}

/* ---- blocking while locked ---- */

static const char *const blocking_c[] = {"sleep", "usleep", "nanosleep", "pthread_join", "thrd_join", NULL};

/* Is cls the class std::NAME (also inside an inline namespace)? */
static bool std_class(CXCursor cls, const char *name) {
  CXString s = clang_getCursorSpelling(cls);
  const char *cs = clang_getCString(s);
  bool yes = cs && strcmp(cs, name) == 0;
  clang_disposeString(s);
  CXCursor ns = clang_getCursorSemanticParent(cls);
  for (int guard = 0; yes && guard < 8 && clang_getCursorKind(ns) == CXCursor_Namespace; guard++) {
    CXCursor up = clang_getCursorSemanticParent(ns);
    if (clang_getCursorKind(up) == CXCursor_TranslationUnit) {
      CXString n = clang_getCursorSpelling(ns);
      const char *nn = clang_getCString(n);
      bool is_std = nn && strcmp(nn, "std") == 0;
      clang_disposeString(n);
      return is_std;
    }
    ns = up;
  }
  return false;
}

/* The mutex of the guard variable e names (cv.wait(lk)), or OMEN_C_NONE. */
static uint32_t guard_mutex(const omen_c_lockinfo *lk, CXCursor e) {
  e = omen_c_strip(e);
  if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
    return OMEN_C_NONE;
  uint32_t v = omen_c_var_find(lk->in, clang_getCursorReferenced(e));
  for (uint32_t g = 0; v != OMEN_C_NONE && g < lk->nguards; g++)
    if (lk->guards[g].var == v)
      return lk->guards[g].mutex;
  return OMEN_C_NONE;
}

static bool is_blocking(const omen_c_lockinfo *lk, uint32_t ci, uint32_t *waitmutex) {
  const omen_c_call *call = &lk->in->calls[ci];
  *waitmutex = OMEN_C_NONE;
  if (!call->direct)
    return false;
  enum CXCursorKind fk = clang_getCursorKind(call->callee);
  if (fk == CXCursor_FunctionDecl || fk == CXCursor_FunctionTemplate) {
    CXCursor parent = clang_getCursorSemanticParent(call->callee);
    enum CXCursorKind pk = clang_getCursorKind(parent);
    if (pk == CXCursor_Namespace &&
        (strcmp(call->name, "sleep_for") == 0 || strcmp(call->name, "sleep_until") == 0)) {
      CXString ns = clang_getCursorSpelling(parent);
      const char *n = clang_getCString(ns);
      bool yes = n && strcmp(n, "this_thread") == 0;
      clang_disposeString(ns);
      return yes;
    }
    if (pk != CXCursor_TranslationUnit && pk != CXCursor_LinkageSpec)
      return false;
    for (size_t i = 0; blocking_c[i]; i++)
      if (strcmp(call->name, blocking_c[i]) == 0)
        return true;
    if (strcmp(call->name, "pthread_cond_wait") == 0 || strcmp(call->name, "pthread_cond_timedwait") == 0) {
      *waitmutex = OMEN_C_NONE - 1; /* resolved by the caller */
      return true;
    }
    return false;
  }
  if (fk != CXCursor_CXXMethod)
    return false;
  CXCursor cls = clang_getCursorSemanticParent(call->callee);
  if (strcmp(call->name, "join") == 0)
    return std_class(cls, "thread") || std_class(cls, "jthread");
  if (strcmp(call->name, "wait") == 0 || strcmp(call->name, "wait_for") == 0 ||
      strcmp(call->name, "wait_until") == 0) {
    if (!std_class(cls, "condition_variable") && !std_class(cls, "condition_variable_any"))
      return false;
    *waitmutex = OMEN_C_NONE - 2; /* the unique_lock argument's mutex, resolved by the caller */
    return true;
  }
  return false;
}

static void check_blocking(omen_pass *pass, const omen_c_lockinfo *lk) {
  const omen_file *f = omen_pass_c_file(pass);
  for (uint32_t ci = 0; ci < lk->in->ncalls; ci++) {
    const omen_c_call *call = &lk->in->calls[ci];
    if (call->func == OMEN_C_NONE || !lk->funcs || !lk->funcs[call->func].relevant ||
        !func_ok(lk, call->func))
      continue;
    uint32_t wm;
    if (!is_blocking(lk, ci, &wm))
      continue;
    omen_c_lockset held = omen_c_locks_at_call(lk, ci, false);
    if (held.n == 0)
      continue;
    uint32_t k = 0;
    if (wm == OMEN_C_NONE - 2) {
      /* std::condition_variable::wait(lk) releases lk's mutex: flag only when another stays held */
      uint32_t gm = call->nargs > 0 ? guard_mutex(lk, call->args[0]) : OMEN_C_NONE;
      bool found = false;
      for (uint32_t h = 0; gm != OMEN_C_NONE && h < held.n && !found; h++) {
        if (held.mutex[h] != gm) {
          k = h;
          found = true;
        }
      }
      if (!found)
        continue;
    } else if (wm != OMEN_C_NONE) {
      /* a condition wait releases its own mutex: flag only when another one stays held */
      const omen_file *ff = f;
      uint32_t as = call->arg_start[1], ae = call->arg_end[1];
      bool found = false;
      /* the argument's text without blanks, parentheses and a leading & */
      char arg[128];
      size_t tl = 0;
      for (uint32_t q = as; q < ae && tl + 1 < sizeof arg; q++) {
        char ch = ff->text[q];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '(' && ch != ')' && !(tl == 0 && ch == '&'))
          arg[tl++] = ch;
      }
      arg[tl] = '\0';
      for (uint32_t h = 0; h < held.n && !found; h++) {
        const char *key = lk->mutexes[held.mutex[h]].key;
        bool same = strcmp(arg, key) == 0;
        if (!same) {
          k = h;
          found = true;
        }
      }
      if (!found || as == ae)
        continue;
    }
    uint32_t m = held.mutex[k];
    omen_diag *d =
        omen_pass_report(pass, &rule_blocking, f, call->start, call->end,
                         "%s blocks while %s is held: every thread that needs %s stalls meanwhile, "
                         "and deadlocks if what it waits for needs %s too",
                         call->name, lk->mutexes[m].key, lk->mutexes[m].key, lk->mutexes[m].key);
    related_holder(pass, d, lk, held, k);
  }
}

/* ---- lock order ---- */

static void export_pairs(omen_pass *pass, const omen_c_lockinfo *lk, const void *ps, uint32_t n);

#define GATES 4

typedef struct pair {
  const char *a, *b; /* ckeys: a held when b was acquired */
  uint32_t ma, mb;   /* their mutexes */
  uint32_t func;     /* where b is acquired */
  uint32_t a_at_s, a_at_e, b_at_s, b_at_e;
  const char *gate[GATES]; /* other mutexes held at the time: a common one serializes both paths */
  uint32_t mgate[GATES];
  uint32_t ngate;
} pair;

#define MAX_PAIRS 2048

static void add_pair(const omen_c_lockinfo *lk, pair *ps, uint32_t *n, omen_c_lockset held, uint32_t h,
                     uint32_t mb, uint32_t func, uint32_t bs, uint32_t be, uint32_t as, uint32_t ae) {
  const char *a = lk->mutexes[held.mutex[h]].ckey, *b = lk->mutexes[mb].ckey;
  if (!a || !b || strcmp(a, b) == 0 || *n == MAX_PAIRS)
    return;
  for (uint32_t i = 0; i < *n; i++)
    if (strcmp(ps[i].a, a) == 0 && strcmp(ps[i].b, b) == 0 && ps[i].ngate == 0)
      return;
  pair *p = &ps[(*n)++];
  *p = (pair){a, b, held.mutex[h], mb, func, as, ae, bs, be, {NULL}, {0}, 0};
  for (uint32_t g = 0; g < held.n; g++) {
    const char *gk = lk->mutexes[held.mutex[g]].ckey;
    if (g != h && gk && strcmp(gk, b) != 0 && p->ngate < GATES) {
      p->mgate[p->ngate] = held.mutex[g];
      p->gate[p->ngate++] = gk;
    }
  }
}

static bool share_gate(const pair *x, const pair *y) {
  for (uint32_t i = 0; i < x->ngate; i++)
    for (uint32_t j = 0; j < y->ngate; j++)
      if (strcmp(x->gate[i], y->gate[j]) == 0)
        return true;
  return false;
}

static void held_span(const omen_c_lockinfo *lk, omen_c_lockset held, uint32_t k, uint32_t *s, uint32_t *e) {
  uint32_t by = held.by[k], via = held.by_call[k];
  *s = *e = 0;
  if (by != OMEN_C_NONE) {
    *s = lk->ops[by].start;
    *e = lk->ops[by].end;
  } else if (via != OMEN_C_NONE) {
    *s = lk->in->calls[via].start;
    *e = lk->in->calls[via].end;
  }
}

/* Does the TU function called at call ci let go of the caller's mutex m for a while (it unlocks a
 * mutex it REQUIRES, as openvswitch's dp_netdev_offload_flush drops the port lock around a flush)?
 * Then what it locks is not ordered after m. */
static bool callee_drops(const omen_c_lockinfo *lk, uint32_t ci, uint32_t m) {
  uint32_t cf = lk->callee[ci];
  const char *ck = lk->mutexes[m].ckey;
  if (cf == OMEN_C_NONE || !ck)
    return false;
  const omen_c_summary *sum = &lk->funcs[cf].summary;
  for (uint32_t i = 0; i < sum->ndrops; i++) {
    const char *dk = lk->mutexes[sum->drops[i].mutex].ckey;
    if (dk && strcmp(dk, ck) == 0)
      return true;
  }
  return false;
}

static void check_order(omen_pass *pass, const omen_c_lockinfo *lk) {
  omen_arena *a = omen_pass_arena(pass);
  pair *ps = omen_arena_alloc(a, MAX_PAIRS * sizeof *ps);
  if (!ps)
    return;
  uint32_t n = 0;
  for (uint32_t ci = 0; ci < lk->in->ncalls; ci++) {
    const omen_c_call *call = &lk->in->calls[ci];
    if (call->func == OMEN_C_NONE || !lk->funcs[call->func].relevant || !func_ok(lk, call->func))
      continue;
    uint32_t ms[9], ops[9], nm = 0;
    uint32_t op = omen_c_locks_op_of_call(lk, ci);
    if (op != OMEN_C_NONE) {
      if (lk->ops[op].kind != OMEN_C_OP_LOCK && lk->ops[op].kind != OMEN_C_OP_GUARD)
        continue;
      ms[0] = lk->ops[op].mutex;
      ops[0] = op;
      nm = 1;
    } else {
      nm = omen_c_locks_call_acquires(lk, ci, ms, ops, 8);
    }
    if (nm == 0)
      continue;
    omen_c_lockset held = omen_c_locks_at_call(lk, ci, false);
    for (uint32_t h = 0; h < held.n; h++) {
      if (op == OMEN_C_NONE && callee_drops(lk, ci, held.mutex[h]))
        continue;
      uint32_t as, ae;
      held_span(lk, held, h, &as, &ae);
      for (uint32_t j = 0; j < nm; j++)
        add_pair(lk, ps, &n, held, h, ms[j], call->func, call->start, call->end, as, ae);
    }
  }
  const omen_file *f = omen_pass_c_file(pass);
  for (uint32_t i = 0; i < n; i++) {
    for (uint32_t j = 0; j < i; j++) {
      if (strcmp(ps[i].a, ps[j].b) != 0 || strcmp(ps[i].b, ps[j].a) != 0 || share_gate(&ps[i], &ps[j]))
        continue;
      omen_diag *d = omen_pass_report(pass, &rule_order, f, ps[i].b_at_s, ps[i].b_at_e,
                                      "%s is locked while holding %s, but another path locks them in the "
                                      "opposite order: two threads can each hold one and wait forever for "
                                      "the other",
                                      ps[i].b, ps[i].a);
      omen_diag_add_related(pass, d, f, ps[i].a_at_s, ps[i].a_at_e, "%s locked first here", ps[i].a);
      omen_diag_add_related(pass, d, f, ps[j].a_at_s, ps[j].a_at_e, "the other path locks %s first here",
                            ps[j].a);
      omen_diag_add_related(pass, d, f, ps[j].b_at_s, ps[j].b_at_e, "and then %s here", ps[j].b);
      break;
    }
  }
  export_pairs(pass, lk, ps, n);
}

/* ---- lock order across files (the run-level phase) ----
 * Each unit exports its ordered pairs whose two mutexes have a cross-TU identity (xkey) as facts:
 * key "XA\nXB" (A held when B was acquired), data in text, one field per line:
 * "BS BE AS AE" (offsets, zero-padded so that sorting by data sorts by position), the function, A's
 * and B's names, then the xkeys of the other mutexes held at the time (gates). finish() pairs A->B
 * of one file with B->A of another. */

static void export_pairs(omen_pass *pass, const omen_c_lockinfo *lk, const void *pv, uint32_t n) {
  const pair *ps = pv;
  omen_arena *a = omen_pass_arena(pass);
  for (uint32_t i = 0; i < n; i++) {
    const pair *p = &ps[i];
    const char *xa = lk->mutexes[p->ma].xkey, *xb = lk->mutexes[p->mb].xkey;
    if (!xa || !xb || strcmp(xa, xb) == 0)
      continue;
    const char *fn = p->func != OMEN_C_NONE ? lk->in->funcs[p->func].name : "";
    char *data = omen_arena_printf(a, "%010u %010u %010u %010u\n%s\n%s\n%s", p->b_at_s, p->b_at_e, p->a_at_s,
                                   p->a_at_e, fn ? fn : "", p->a, p->b);
    for (uint32_t g = 0; data && g < p->ngate; g++) {
      const char *xg = lk->mutexes[p->mgate[g]].xkey;
      if (xg)
        data = omen_arena_printf(a, "%s\n%s", data, xg);
    }
    char *key = omen_arena_printf(a, "E\n%s\n%s", xa, xb);
    if (data && key)
      omen_pass_export(pass, key, data, strlen(data));
  }
}

/* The USR of function cursor fn in arena a when it has external linkage and is not a system
 * header's; NULL otherwise. */
static const char *extern_usr(omen_arena *a, CXCursor fn) {
  enum CXCursorKind k = clang_getCursorKind(fn);
  if ((k != CXCursor_FunctionDecl && k != CXCursor_CXXMethod) ||
      clang_getCursorLinkage(fn) != CXLinkage_External ||
      clang_Location_isInSystemHeader(clang_getCursorLocation(fn)))
    return NULL;
  CXString u = clang_getCursorUSR(fn);
  const char *us = clang_getCString(u);
  char *out = us && *us ? omen_arena_strdup(a, us) : NULL;
  clang_disposeString(u);
  return out;
}

/* Facts for lock orders through calls between files: "S\nUSR" for each mutex with a cross-TU key
 * that a function of this file with external linkage acquires (data "S E\nfunction\nname\nxkey",
 * where it is acquired), and "C\nUSR" for each such mutex held at a call to a function defined
 * elsewhere (data "BS BE AS AE\nfunction\nname\ncallee\nxkey" then gates, as the pairs). */
static void export_calls(omen_pass *pass, const omen_c_lockinfo *lk) {
  omen_arena *a = omen_pass_arena(pass);
  for (uint32_t f = 0; f < lk->in->nfuncs; f++) {
    const omen_c_summary *sm = &lk->funcs[f].summary;
    if (!lk->funcs[f].relevant || !func_ok(lk, f) || sm->nacquires == 0)
      continue;
    const char *usr = extern_usr(a, lk->in->funcs[f].cursor);
    char *key = usr ? omen_arena_printf(a, "S\n%s", usr) : NULL;
    for (uint32_t i = 0; key && i < sm->nacquires; i++) {
      const omen_c_mutex *m = &lk->mutexes[sm->acquires[i].mutex];
      uint32_t op = sm->acquires[i].op;
      if (!m->xkey || !m->ckey || sm->acquires[i].shared)
        continue;
      uint32_t s0 = op != OMEN_C_NONE ? lk->ops[op].start : lk->in->funcs[f].start;
      uint32_t e0 = op != OMEN_C_NONE ? lk->ops[op].end : lk->in->funcs[f].start;
      char *data =
          omen_arena_printf(a, "%010u %010u\n%s\n%s\n%s", s0, e0, lk->in->funcs[f].name, m->ckey, m->xkey);
      if (data)
        omen_pass_export(pass, key, data, strlen(data));
    }
  }
  for (uint32_t ci = 0; ci < lk->in->ncalls; ci++) {
    const omen_c_call *call = &lk->in->calls[ci];
    if (!call->direct || call->func == OMEN_C_NONE || !lk->funcs[call->func].relevant ||
        !func_ok(lk, call->func) || lk->callee[ci] != OMEN_C_NONE ||
        omen_c_locks_op_of_call(lk, ci) != OMEN_C_NONE)
      continue;
    omen_c_lockset held = omen_c_locks_at_call(lk, ci, false);
    bool any = false;
    for (uint32_t h = 0; h < held.n && !any; h++)
      any = lk->mutexes[held.mutex[h]].xkey != NULL;
    const char *usr = any ? extern_usr(a, call->callee) : NULL;
    char *key = usr ? omen_arena_printf(a, "C\n%s", usr) : NULL;
    for (uint32_t h = 0; key && h < held.n; h++) {
      const omen_c_mutex *m = &lk->mutexes[held.mutex[h]];
      if (!m->xkey || !m->ckey)
        continue;
      uint32_t as, ae;
      held_span(lk, held, h, &as, &ae);
      char *data = omen_arena_printf(a, "%010u %010u %010u %010u\n%s\n%s\n%s\n%s", call->start, call->end, as,
                                     ae, lk->in->funcs[call->func].name, m->ckey, call->name, m->xkey);
      for (uint32_t g = 0; data && g < held.n; g++) {
        const char *xg = lk->mutexes[held.mutex[g]].xkey;
        if (g != h && xg)
          data = omen_arena_printf(a, "%s\n%s", data, xg);
      }
      if (data)
        omen_pass_export(pass, key, data, strlen(data));
    }
  }
}

typedef struct edge {
  const char *xa, *xb, *unit, *scope, *a, *b;
  uint32_t bs, be, as, ae;
  const char *gate[GATES];
  uint32_t ngate;
  /* through a call to a function of another file: its name, that file, where it takes b */
  const char *via, *via_unit;
  const char *usr; /* "C" facts: the callee's USR */
  uint32_t vs, ve;
} edge;

/* The lines of text d after its first (at most cap) into line/len; returns how many. */
static size_t split_lines(const char *d, const char **line, size_t *len, size_t cap) {
  size_t n = 0;
  for (const char *q = strchr(d, '\n'); q && n < cap; q = strchr(q, '\n')) {
    q++;
    const char *end = strchr(q, '\n');
    line[n] = q;
    len[n++] = end ? (size_t)(end - q) : strlen(q);
  }
  return n;
}

/* Parses an "E" fact (key "E\nXA\nXB") or a "C" fact (key "C\nUSR", data with the callee and XA
 * after the names) into e, strings copied into arena a; false when malformed. */
static bool parse_edge(omen_arena *a, const omen_fact *f, edge *e) {
  memset(e, 0, sizeof *e);
  bool call = f->key[0] == 'C';
  const char *k = f->key + 2, *nl = strchr(k, '\n');
  if (!call && !nl)
    return false;
  const char *d = f->data; /* NUL-terminated by the store */
  if (sscanf(d, "%u %u %u %u", &e->bs, &e->be, &e->as, &e->ae) != 4)
    return false;
  const char *line[4 + GATES];
  size_t len[4 + GATES];
  size_t nline = split_lines(d, line, len, 4 + GATES), g0 = call ? 4 : 3;
  if (nline < g0)
    return false;
  e->unit = f->unit;
  e->scope = omen_arena_strndup(a, line[0], len[0]);
  e->a = omen_arena_strndup(a, line[1], len[1]);
  if (call) {
    e->via = omen_arena_strndup(a, line[2], len[2]);
    e->xa = omen_arena_strndup(a, line[3], len[3]);
    e->b = e->xb = e->via_unit = ""; /* filled from the callee's summary */
    e->usr = k;
  } else {
    e->b = omen_arena_strndup(a, line[2], len[2]);
    e->xa = omen_arena_strndup(a, k, (size_t)(nl - k));
    e->xb = omen_arena_strdup(a, nl + 1);
  }
  for (size_t i = g0; i < nline; i++)
    e->gate[e->ngate++] = omen_arena_strndup(a, line[i], len[i]);
  for (uint32_t i = 0; i < e->ngate; i++)
    if (!e->gate[i])
      return false;
  return e->xa && e->xb && e->scope && e->a && e->b && (!call || e->via);
}

/* An "S" fact: function USR (key "S\nUSR") acquires mutex xkey, named name, at [s, e) of unit. */
typedef struct acq {
  const char *usr, *unit, *name, *xkey;
  uint32_t s, e;
} acq;

static bool parse_acq(omen_arena *a, const omen_fact *f, acq *q) {
  memset(q, 0, sizeof *q);
  const char *line[3];
  size_t len[3];
  if (sscanf(f->data, "%u %u", &q->s, &q->e) != 2 || split_lines(f->data, line, len, 3) != 3)
    return false;
  q->usr = f->key + 2;
  q->unit = f->unit;
  q->name = omen_arena_strndup(a, line[1], len[1]);
  q->xkey = omen_arena_strndup(a, line[2], len[2]);
  return q->name && q->xkey;
}

static bool edges_share_gate(const edge *x, const edge *y) {
  for (uint32_t i = 0; i < x->ngate; i++)
    for (uint32_t j = 0; j < y->ngate; j++)
      if (strcmp(x->gate[i], y->gate[j]) == 0)
        return true;
  return false;
}

/* Do x and y (opposite orders) make an inversion: no common gate; both written in one file
 * (in_one: the in-file rule's finding) or not. An edge through another file's function is never
 * the in-file rule's. */
static bool inverts(const edge *x, const edge *y, bool in_one) {
  bool one = strcmp(x->unit, y->unit) == 0 && !x->via && !y->via;
  return one == in_one && !edges_share_gate(x, y);
}

/* Total order of edges: key, then site (unit path, offset), then the call's target. */
static int edge_cmp(const edge *x, const edge *y) {
  int c = strcmp(x->xa, y->xa);
  if (!c)
    c = strcmp(x->xb, y->xb);
  if (!c)
    c = strcmp(x->unit, y->unit);
  if (!c && x->bs != y->bs)
    c = x->bs < y->bs ? -1 : 1;
  if (!c)
    c = strcmp(x->via_unit ? x->via_unit : "", y->via_unit ? y->via_unit : "");
  if (!c && x->vs != y->vs)
    c = x->vs < y->vs ? -1 : 1;
  return c;
}

static int edge_qcmp(const void *x, const void *y) { return edge_cmp(x, y); }

/* Site order for choosing where to report: unit path, then offset. */
static int site_cmp(const edge *x, const edge *y) {
  int c = strcmp(x->unit, y->unit);
  if (c)
    return c;
  return x->bs == y->bs ? 0 : x->bs < y->bs ? -1 : 1;
}

/* [*lo, *hi): the edges with key (xa, xb). */
static void edge_range(const edge *es, size_t n, const char *xa, const char *xb, size_t *lo, size_t *hi) {
  size_t l = 0, h = n;
  while (l < h) { /* first edge not below (xa, xb) */
    size_t m = l + (h - l) / 2;
    int c = strcmp(es[m].xa, xa);
    if (!c)
      c = strcmp(es[m].xb, xb);
    if (c < 0)
      l = m + 1;
    else
      h = m;
  }
  *lo = l;
  while (l < n && strcmp(es[l].xa, xa) == 0 && strcmp(es[l].xb, xb) == 0)
    l++;
  *hi = l;
}

#define MAX_EDGE_GROUP 256 /* edges looked at per ordered pair: more is a generated or pathological file */
#define MAX_VIA_EDGES 200000

static void related_via(omen_pass *pass, omen_diag *d, const edge *e) {
  const omen_file *v = e->via ? omen_pass_file(pass, e->via_unit) : NULL;
  if (v)
    omen_diag_add_related(pass, d, v, e->vs, e->ve, "%s locks %s here", e->via, e->b);
}

static void report_xtu(omen_pass *pass, const edge *s, const edge *o) {
  const omen_file *f = omen_pass_file(pass, s->unit), *g = omen_pass_file(pass, o->unit);
  if (!f || !g)
    return;
  char how[300] = "";
  if (s->via)
    snprintf(how, sizeof how, " (by %s, in %s)", s->via, s->via_unit);
  omen_diag *d =
      omen_pass_report(pass, &rule_order_xtu, f, s->bs, s->be,
                       "%s is locked%s while holding %s, but %s locks them in the opposite order: two "
                       "threads running both paths can each hold one and wait forever for the other",
                       s->b, how, s->a, strcmp(o->unit, s->unit) ? o->unit : "another path");
  omen_diag_set_scope(pass, d, s->scope);
  if (s->ae > s->as)
    omen_diag_add_related(pass, d, f, s->as, s->ae, "%s locked first here", s->a);
  related_via(pass, d, s);
  if (o->ae > o->as)
    omen_diag_add_related(pass, d, g, o->as, o->ae, "the other path locks %s first here", o->a);
  omen_diag_add_related(pass, d, g, o->bs, o->be, "and then %s here", o->b);
  related_via(pass, d, o);
}

/* Edges through calls: each "C" edge (a held at a call to USR) joined with the "S" facts of USR
 * (it acquires b in another file) becomes a->b at the call. Appended to es (room for cap). */
static size_t join_calls(const edge *calls, size_t ncalls, const acq *qs, size_t nq, edge *es, size_t ne,
                         size_t cap) {
  for (size_t i = 0; i < ncalls && ne < cap; i++) {
    const char *usr = calls[i].usr;
    size_t l = 0, h = nq;
    while (l < h) {
      size_t m = l + (h - l) / 2;
      if (strcmp(qs[m].usr, usr) < 0)
        l = m + 1;
      else
        h = m;
    }
    for (size_t k = l; k < nq && strcmp(qs[k].usr, usr) == 0 && ne < cap; k++) {
      if (strcmp(qs[k].unit, calls[i].unit) == 0 || strcmp(qs[k].xkey, calls[i].xa) == 0)
        continue;
      edge *e = &es[ne++];
      *e = calls[i];
      e->xb = qs[k].xkey;
      e->b = qs[k].name;
      e->via_unit = qs[k].unit;
      e->vs = qs[k].s;
      e->ve = qs[k].e;
    }
  }
  return ne;
}

static omen_status finish(omen_pass *pass) {
  size_t n = omen_pass_nfacts(pass);
  omen_arena *a = omen_pass_arena(pass);
  size_t ncalls = 0, nq = 0, ne = 0;
  for (size_t i = 0; i < n; i++) {
    char k = omen_pass_fact(pass, i)->key[0];
    ncalls += k == 'C';
    nq += k == 'S';
  }
  size_t cap = n - ncalls - nq + (ncalls && nq ? MAX_VIA_EDGES : 0);
  edge *es = cap ? omen_arena_alloc(a, cap * sizeof *es) : NULL;
  edge *calls = ncalls ? omen_arena_alloc(a, ncalls * sizeof *calls) : NULL;
  acq *qs = nq ? omen_arena_alloc(a, nq * sizeof *qs) : NULL;
  if ((cap && !es) || (ncalls && !calls) || (nq && !qs))
    return OMEN_ENOMEM;
  size_t nc = 0, nqs = 0;
  for (size_t i = 0; i < n; i++) { /* facts come sorted by key: the S facts by USR */
    const omen_fact *f = omen_pass_fact(pass, i);
    if (f->key[0] == 'E' && parse_edge(a, f, &es[ne]))
      ne++;
    else if (f->key[0] == 'C' && parse_edge(a, f, &calls[nc]))
      nc++;
    else if (f->key[0] == 'S' && parse_acq(a, f, &qs[nqs]))
      nqs++;
  }
  ne = join_calls(calls, nc, qs, nqs, es, ne, cap);
  if (ne > 1)
    qsort(es, ne, sizeof *es, edge_qcmp);
  for (size_t next = 0; next < ne;) {
    size_t lo, hi, lo2, hi2;
    edge_range(es, ne, es[next].xa, es[next].xb, &lo, &hi);
    next = hi;
    if (strcmp(es[lo].xa, es[lo].xb) > 0)
      continue; /* each unordered pair once, from its smaller key */
    edge_range(es, ne, es[lo].xb, es[lo].xa, &lo2, &hi2);
    if (hi - lo > MAX_EDGE_GROUP)
      hi = lo + MAX_EDGE_GROUP;
    if (hi2 - lo2 > MAX_EDGE_GROUP)
      hi2 = lo2 + MAX_EDGE_GROUP;
    bool in_one = false; /* a file with both orders: deadlock/mutex-order-inversion's finding */
    for (size_t i = lo; i < hi && !in_one; i++)
      for (size_t j = lo2; j < hi2 && !in_one; j++)
        in_one = inverts(&es[i], &es[j], true);
    const edge *site = NULL, *other = NULL;
    for (size_t i = lo; i < hi && !in_one; i++) {
      for (size_t j = lo2; j < hi2; j++) {
        if (!inverts(&es[i], &es[j], false))
          continue;
        const edge *x = &es[i], *y = &es[j];
        if (site_cmp(y, x) < 0) { /* report in the first file */
          x = &es[j];
          y = &es[i];
        }
        if (!site || site_cmp(x, site) < 0 || (site_cmp(x, site) == 0 && site_cmp(y, other) < 0)) {
          site = x;
          other = y;
        }
      }
    }
    if (site)
      report_xtu(pass, site, other);
  }
  return OMEN_OK;
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const omen_c_lockinfo *lk = omen_pass_result(pass, &omen_c_locks);
  if (!lk || lk->nops == 0 || !lk->funcs)
    return OMEN_OK;
  goto_seen seen[MAX_GOTO_SEEN];
  uint32_t nseen = check_goto_leaks(pass, lk, seen);
  check_leaks(pass, lk, seen, nseen);
  check_double(pass, lk);
  check_order(pass, lk);
  export_calls(pass, lk);
  check_unheld(pass, lk);
  check_blocking(pass, lk);
  return OMEN_OK;
}

const omen_analyzer omen_c_deadlock = {
    .name = "c-deadlock",
    .title = "Finds lock misuse in C/C++: leaked locks on return, double locks, order inversions",
    .doc = "Reports deadlock/lock-leak-on-return (a return between lock and unlock, with a safe fix), "
           "deadlock/mutex-double-lock, deadlock/mutex-order-inversion, deadlock/unlock-not-held and "
           "deadlock/blocking-while-locked, from c-locks' lock sets and summaries; in its run-level phase, "
           "deadlock/mutex-order-inversion-across-files from the lock pairs every C/C++ unit exports.",
    .langs = OMEN_LANG_CFAMILY,
    .requires = requires,
    .rules = rules,
    .run = run,
    .finish = finish,
};
