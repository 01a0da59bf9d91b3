/* test_c_locks.c - c-locks' API on small C and C++ units: lock sets at calls and at offsets, RAII
 * guard scopes, summaries of lock helpers, mutex keys (instance and by declaration), annotations. */
#include <clang-c/Index.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers.h"
#include "c_locks.h"
#include "check.h"
#include "reader.h"
#include "unit.h"

typedef struct cunit {
  omen_unit u;
  omen_file *f;
  CXIndex index;
} cunit;

static bool cunit_open(cunit *c, const char *path, const char *text, unsigned lang) {
  static const omen_analyzer *const order[] = {&omen_c_inspect, &omen_c_locks};
  memset(c, 0, sizeof *c);
  c->f = omen_file_new(path, text, strlen(text));
  c->index = clang_createIndex(0, 0);
  if (!c->f || !c->index)
    return false;
  const char *args_c[] = {"-x", "c", "-std=gnu17"};
  const char *args_cpp[] = {"-x", "c++", "-std=gnu++17"};
  struct CXUnsavedFile uf = {path, text, (unsigned long)strlen(text)};
  CXTranslationUnit tu = NULL;
  if (clang_parseTranslationUnit2(c->index, path, lang == OMEN_LANG_C ? args_c : args_cpp, 3, &uf, 1,
                                  CXTranslationUnit_KeepGoing, &tu) != CXError_Success)
    return false;
  omen_unit *u = &c->u;
  u->lang = lang;
  u->arena = omen_arena_new();
  u->tu = tu;
  u->cfile = c->f;
  u->cxmain = clang_getFile(tu, path);
  u->order = order;
  u->norder = 2;
  bool enabled[2] = {true, true};
  return u->arena && omen_unit_run(u, enabled) == OMEN_OK;
}

static const omen_c_lockinfo *cunit_locks(const cunit *c) {
  return c->u.results && c->u.norder == 2 ? c->u.results[1] : NULL;
}

static void cunit_close(cunit *c) {
  for (size_t k = 0; k < c->u.ndiags; k++) {
    omen_diag_clear(c->u.diags[k]);
    free(c->u.diags[k]);
  }
  free(c->u.diags);
  omen_arena_free(c->u.arena);
  if (c->u.tu)
    clang_disposeTranslationUnit(c->u.tu);
  if (c->index)
    clang_disposeIndex(c->index);
  omen_file_free(c->f);
}

static uint32_t off_of(const cunit *c, const char *needle) {
  const char *p = strstr(c->f->text, needle);
  return p ? (uint32_t)(p - c->f->text) : OMEN_C_NONE;
}

/* The first call named name at or after offset from. */
static uint32_t call_at(const omen_c_lockinfo *lk, const char *name, uint32_t from) {
  for (uint32_t i = omen_c_call_first(lk->in, name); i != OMEN_C_NONE; i = omen_c_call_next(lk->in, i))
    if (lk->in->calls[i].start >= from)
      return i;
  return OMEN_C_NONE;
}

static bool held_key(omen_c_lockset s, const omen_c_lockinfo *lk, const char *key) {
  for (uint32_t i = 0; i < s.n; i++)
    if (strcmp(lk->mutexes[s.mutex[i]].key, key) == 0)
      return true;
  return false;
}

static const char *c_src = "typedef struct { int x; } pthread_mutex_t;\n"
                           "int pthread_mutex_lock(pthread_mutex_t *);\n"
                           "int pthread_mutex_unlock(pthread_mutex_t *);\n"
                           "struct table { pthread_mutex_t lock; int n; };\n"
                           "static pthread_mutex_t g_lock;\n"
                           "void work(int);\n"
                           "static void lock_table(struct table *t) { pthread_mutex_lock(&t->lock); }\n"
                           "static void unlock_table(struct table *t) { pthread_mutex_unlock(&t->lock); }\n"
                           "int put(struct table *t, int v) {\n"
                           "  lock_table(t);\n"
                           "  if (v < 0) {\n"
                           "    pthread_mutex_lock(&g_lock);\n"
                           "    work(1);\n"
                           "    pthread_mutex_unlock(&g_lock);\n"
                           "  }\n"
                           "  work(2);\n"
                           "  t->n = v; /* access */\n"
                           "  unlock_table(t);\n"
                           "  work(3);\n"
                           "  return 0;\n"
                           "}\n";

static void test_c(void) {
  cunit c;
  bool ok = cunit_open(&c, "t.c", c_src, OMEN_LANG_C);
  CHECK(ok);
  const omen_c_lockinfo *lk = ok ? cunit_locks(&c) : NULL;
  CHECK(lk != NULL);
  if (!lk) {
    cunit_close(&c);
    return;
  }
  uint32_t put = off_of(&c, "int put");
  uint32_t w1 = call_at(lk, "work", put), w2 = call_at(lk, "work", off_of(&c, "work(2)"));
  uint32_t w3 = call_at(lk, "work", off_of(&c, "work(3)"));
  CHECK(w1 != OMEN_C_NONE && w2 != OMEN_C_NONE && w3 != OMEN_C_NONE);
  /* the helper's lock is held after lock_table(t), translated to the caller's t */
  omen_c_lockset at1 = omen_c_locks_at_call(lk, w1, false);
  CHECK(held_key(at1, lk, "t->lock") && held_key(at1, lk, "g_lock"));
  omen_c_lockset at2 = omen_c_locks_at_call(lk, w2, false);
  CHECK(held_key(at2, lk, "t->lock") && !held_key(at2, lk, "g_lock"));
  CHECK(omen_c_locks_at_call(lk, w3, true).n == 0);
  /* at an offset: the access statement */
  omen_c_lockset acc = omen_c_locks_at(lk, off_of(&c, "t->n = v"), false);
  CHECK(held_key(acc, lk, "t->lock") && acc.n == 1);
  /* summaries: lock_table returns holding $0->lock, unlock_table releases it */
  uint32_t lt = OMEN_C_NONE, ut = OMEN_C_NONE;
  for (uint32_t i = 0; i < lk->in->nfuncs; i++) {
    if (strcmp(lk->in->funcs[i].name, "lock_table") == 0)
      lt = i;
    if (strcmp(lk->in->funcs[i].name, "unlock_table") == 0)
      ut = i;
  }
  CHECK(lt != OMEN_C_NONE && ut != OMEN_C_NONE);
  if (lt != OMEN_C_NONE && ut != OMEN_C_NONE) {
    const omen_c_summary *ls = &lk->funcs[lt].summary, *us = &lk->funcs[ut].summary;
    CHECK(ls->nreturns_held == 1 && strcmp(ls->returns_held[0].skey, "$0->lock") == 0);
    CHECK(ls->nacquires == 1 && us->nreleases == 1 && strcmp(us->releases[0].skey, "$0->lock") == 0);
  }
  /* keys by declaration */
  uint32_t m = omen_c_locks_find(lk, omen_c_func_at(lk->in, put), "t->lock");
  CHECK(m != OMEN_C_NONE && lk->mutexes[m].ckey && strcmp(lk->mutexes[m].ckey, "struct table::lock") == 0);
  CHECK(m != OMEN_C_NONE && lk->mutexes[m].root == OMEN_C_ROOT_PARAM && !lk->mutexes[m].recursive);
  cunit_close(&c);
}

static const char *cpp_src =
    "namespace std {\n"
    "class mutex { public: void lock(); void unlock(); bool try_lock(); };\n"
    "class recursive_mutex { public: void lock(); void unlock(); };\n"
    "struct defer_lock_t {}; constexpr defer_lock_t defer_lock{};\n"
    "template <class M> class lock_guard { public: explicit lock_guard(M &); ~lock_guard(); };\n"
    "template <class M> class unique_lock { public: explicit unique_lock(M &); unique_lock(M &, "
    "defer_lock_t); ~unique_lock(); void lock(); void unlock(); };\n"
    "}\n"
    "#define CAPABILITY(x) __attribute__((capability(x)))\n"
    "#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))\n"
    "#define GUARDED_BY(x) __attribute__((guarded_by(x)))\n"
    "void work(int);\n"
    "class S {\n"
    " public:\n"
    "  void f() {\n"
    "    {\n"
    "      std::lock_guard<std::mutex> g(mu_);\n"
    "      work(1);\n"
    "    }\n"
    "    work(2);\n"
    "    std::unique_lock<std::mutex> u(mu_, std::defer_lock);\n"
    "    work(3);\n"
    "    u.lock();\n"
    "    work(4);\n"
    "  }\n"
    "  void h() REQUIRES(mu_) { work(5); }\n"
    "  std::mutex mu_;\n"
    "  std::recursive_mutex rmu_;\n"
    "  int n_ GUARDED_BY(mu_);\n"
    "  void r() { std::lock_guard<std::recursive_mutex> g(rmu_); work(6); }\n"
    "};\n";

/* Finds the field n_ (recursing into classes). */
static enum CXChildVisitResult visit_field(CXCursor cur, CXCursor parent, CXClientData data) {
  (void)parent;
  CXCursor *found = data;
  if (clang_getCursorKind(cur) == CXCursor_FieldDecl) {
    CXString s = clang_getCursorSpelling(cur);
    bool yes = strcmp(clang_getCString(s), "n_") == 0;
    clang_disposeString(s);
    if (yes) {
      *found = cur;
      return CXChildVisit_Break;
    }
  }
  return clang_getCursorKind(cur) == CXCursor_ClassDecl ? CXChildVisit_Recurse : CXChildVisit_Continue;
}

static void test_cpp(void) {
  cunit c;
  bool ok = cunit_open(&c, "t.cpp", cpp_src, OMEN_LANG_CPP);
  CHECK(ok);
  const omen_c_lockinfo *lk = ok ? cunit_locks(&c) : NULL;
  CHECK(lk != NULL);
  if (!lk) {
    cunit_close(&c);
    return;
  }
  uint32_t w[7];
  for (int i = 1; i <= 6; i++) {
    char needle[16];
    snprintf(needle, sizeof needle, "work(%d)", i);
    w[i] = call_at(lk, "work", off_of(&c, needle));
    CHECK(w[i] != OMEN_C_NONE);
    if (w[i] == OMEN_C_NONE)
      w[i] = 0;
  }
  CHECK(held_key(omen_c_locks_at_call(lk, w[1], false), lk, "this->mu_"));
  CHECK(omen_c_locks_at_call(lk, w[2], true).n == 0); /* the guard's block ended */
  CHECK(omen_c_locks_at_call(lk, w[3], true).n == 0); /* defer_lock */
  CHECK(held_key(omen_c_locks_at_call(lk, w[4], false), lk, "this->mu_"));
  CHECK(held_key(omen_c_locks_at_call(lk, w[5], false), lk, "this->mu_")); /* REQUIRES on entry */
  omen_c_lockset r = omen_c_locks_at_call(lk, w[6], false);
  CHECK(r.n == 1 && lk->mutexes[r.mutex[0]].recursive);
  /* guards: the lock_guard's scope ends at its block's closing brace */
  CHECK(lk->nguards >= 2);
  if (lk->nguards >= 1) {
    const omen_c_guard *g = &lk->guards[0];
    CHECK(g->scope_end > g->start && c.f->text[g->scope_end - 1] == '}' && !g->unique);
  }
  /* GUARDED_BY on a field, read on request */
  struct omen_pass pass = {.u = &c.u, .a = &omen_c_locks, .ai = 1};
  CXCursor field = clang_getNullCursor();
  clang_visitChildren(clang_getTranslationUnitCursor(c.u.tu), visit_field, &field);
  char gb[64];
  CHECK(!clang_Cursor_isNull(field) && omen_c_locks_guarded_by(&pass, field, gb, sizeof gb) &&
        strcmp(gb, "mu_") == 0);
  uint32_t m = omen_c_locks_find(lk, omen_c_func_at(lk->in, off_of(&c, "work(1)")), "this->mu_");
  CHECK(m != OMEN_C_NONE && lk->mutexes[m].ckey && strcmp(lk->mutexes[m].ckey, "S::mu_") == 0);
  cunit_close(&c);
}

/* A project lock API known by its annotations only (openvswitch style: the annotation names a
 * pointer parameter, meaning the mutex it points to), recursion per mutex, REQUIRES read from the
 * right declaration, a REQUIRES function that lets its lock go. */
static const char *ann_src =
    "#define ACQUIRES(...) __attribute__((acquire_capability(__VA_ARGS__)))\n"
    "#define RELEASES(...) __attribute__((release_capability(__VA_ARGS__)))\n"
    "#define ACQ_RDLOCK(...) __attribute__((acquire_shared_capability(__VA_ARGS__)))\n"
    "#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))\n"
    "#define EXCLUDED(...) __attribute__((locks_excluded(__VA_ARGS__)))\n"
    "struct __attribute__((capability(\"mutex\"))) omutex { int x; };\n"
    "void omutex_init(const struct omutex *);\n"
    "void omutex_init_recursive(const struct omutex *);\n"
    "void omutex_lock_at(const struct omutex *mutex, const char *where) ACQUIRES(mutex);\n"
    "void omutex_rdlock_at(const struct omutex *mutex, const char *where) ACQ_RDLOCK(mutex);\n"
    "void omutex_unlock(const struct omutex *mutex) RELEASES(mutex);\n"
    "#define omutex_lock(m) omutex_lock_at(m, __FILE__)\n"
    "struct dp { struct omutex port_lock; int n; };\n"
    "static struct omutex plain, rec;\n"
    "void work(int);\n"
    "void init(void) { omutex_init(&plain); omutex_init_recursive(&rec); }\n"
    "void get(void) EXCLUDED(plain) {\n"
    "  omutex_lock(&plain);\n"
    "  work(1);\n"
    "  omutex_unlock(&plain);\n"
    "}\n"
    "int get__(void) REQUIRES(plain);\n"
    "void r(void) { omutex_lock(&rec); work(2); omutex_unlock(&rec); omutex_rdlock_at(&plain, 0); }\n"
    "static void flush(struct dp *dp) REQUIRES(dp->port_lock) {\n"
    "  omutex_unlock(&dp->port_lock);\n"
    "  work(3);\n"
    "  omutex_lock(&dp->port_lock);\n"
    "}\n";

static void test_annotated(void) {
  cunit c;
  bool ok = cunit_open(&c, "a.c", ann_src, OMEN_LANG_C);
  CHECK(ok);
  const omen_c_lockinfo *lk = ok ? cunit_locks(&c) : NULL;
  CHECK(lk != NULL);
  if (!lk) {
    cunit_close(&c);
    return;
  }
  uint32_t w1 = call_at(lk, "work", off_of(&c, "work(1)"));
  uint32_t w2 = call_at(lk, "work", off_of(&c, "work(2)"));
  uint32_t w3 = call_at(lk, "work", off_of(&c, "work(3)"));
  CHECK(w1 != OMEN_C_NONE && w2 != OMEN_C_NONE && w3 != OMEN_C_NONE);
  if (w1 == OMEN_C_NONE || w2 == OMEN_C_NONE || w3 == OMEN_C_NONE) {
    cunit_close(&c);
    return;
  }
  /* OVS_ACQUIRES(mutex) on `const struct omutex *mutex`: the mutex is *mutex, here `plain` */
  omen_c_lockset h1 = omen_c_locks_at_call(lk, w1, false);
  CHECK(h1.n == 1 && held_key(h1, lk, "plain") && !lk->mutexes[h1.mutex[0]].recursive);
  omen_c_lockset h2 = omen_c_locks_at_call(lk, w2, false);
  CHECK(h2.n == 1 && held_key(h2, lk, "rec") && lk->mutexes[h2.mutex[0]].recursive);
  /* EXCLUDED(plain), then a short body and the next function's REQUIRES(plain): not held on entry */
  uint32_t l1 = call_at(lk, "omutex_lock_at", off_of(&c, "omutex_lock(&plain)"));
  CHECK(l1 != OMEN_C_NONE && omen_c_locks_at_call(lk, l1, true).n == 0);
  /* the shared acquisition */
  uint32_t rd = call_at(lk, "omutex_rdlock_at", 0);
  uint32_t op = rd == OMEN_C_NONE ? OMEN_C_NONE : omen_c_locks_op_of_call(lk, rd);
  CHECK(op != OMEN_C_NONE && lk->ops[op].kind == OMEN_C_OP_LOCK && lk->ops[op].shared);
  /* flush lets dp->port_lock go: not held at work(3), and its summary says it drops it */
  CHECK(omen_c_locks_at_call(lk, w3, true).n == 0);
  uint32_t f = lk->in->calls[w3].func;
  CHECK(lk->funcs[f].summary.ndrops == 1 && strcmp(lk->funcs[f].summary.drops[0].skey, "$0->port_lock") == 0);
  cunit_close(&c);
}

/* c-inspect's in_macro: calls (constructor calls too) whose text comes from a macro's body, not
 * those written in the file or passed to a macro as an argument. */
static const char *macro_src = "namespace ns { struct str { str(const char *); }; }\n"
                               "int foo(int);\n"
                               "#define CALL(x) foo(x)\n"
                               "#define WRAP(x) x\n"
                               "#define MKSTR(n) ns::str(n)\n"
                               "void g(const char *name) {\n"
                               "  foo(1);\n"
                               "  CALL(2);\n"
                               "  WRAP(foo(3));\n"
                               "  ns::str s(name);\n"
                               "  ns::str t = MKSTR(name);\n"
                               "  WRAP(ns::str u(name));\n"
                               "}\n";

static void test_in_macro(void) {
  cunit c;
  bool ok = cunit_open(&c, "m.cpp", macro_src, OMEN_LANG_CPP);
  CHECK(ok);
  const omen_c_index *in = ok && c.u.results ? c.u.results[0] : NULL; /* c-inspect's index */
  CHECK(in != NULL);
  if (!in) {
    cunit_close(&c);
    return;
  }
  /* by line: 7 foo(1), 8 CALL(2), 9 WRAP(foo(3)), 10 s(name), 11 MKSTR(name), 12 WRAP(u(name)) */
  bool want[14] = {[8] = true, [11] = true};
  int seen = 0;
  for (uint32_t i = 0; i < in->ncalls; i++) {
    const omen_c_call *call = &in->calls[i];
    uint32_t line = 1;
    for (uint32_t k = 0; k < call->start && k < c.f->len; k++)
      line += c.f->text[k] == '\n';
    if (line < 7 || line > 12)
      continue;
    seen++;
    CHECK(call->in_macro == want[line]);
  }
  CHECK(seen >= 6);
  cunit_close(&c);
}

int main(void) {
  test_c();
  test_cpp();
  test_annotated();
  test_in_macro();
  return check_done();
}
