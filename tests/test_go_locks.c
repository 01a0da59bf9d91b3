/* test_go_locks.c - the go-locks base analyzer: mutex keys, lock sets (must and may) before
 * statements, TryLock branches, deferred unlocks, and bottom-up summaries through call chains and
 * recursion. Builds a Go unit from source text and runs the base analyzers on it directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "go_inspect.h"
#include "go_locks.h"
#include "gounit.h"

static const char *src =
    "package p\n"
    "\n"
    "import \"sync\"\n"
    "\n"
    "type Store struct {\n"
    "\tmu sync.Mutex\n"
    "\tm  map[string]int\n"
    "}\n"
    "\n"
    "func use(int) {}\n"
    "\n"
    "func (s *Store) PtrRecv() {\n"
    "\ts.mu.Lock()\n"
    "\tuse(1)\n"
    "\ts.mu.Unlock()\n"
    "\tuse(2)\n"
    "}\n"
    "\n"
    "func (s Store) ValRecv() {\n"
    "\ts.mu.Lock()\n"
    "\tuse(3)\n"
    "\ts.mu.Unlock()\n"
    "}\n"
    "\n"
    "type Embedded struct {\n"
    "\tsync.Mutex\n"
    "\tn int\n"
    "}\n"
    "\n"
    "func (e *Embedded) Inc() {\n"
    "\te.Lock()\n"
    "\tuse(4)\n"
    "\te.Unlock()\n"
    "}\n"
    "\n"
    "type RW struct {\n"
    "\tsync.RWMutex\n"
    "\tn int\n"
    "}\n"
    "\n"
    "func (r *RW) Get() int {\n"
    "\tr.RLock()\n"
    "\tdefer r.RUnlock()\n"
    "\tuse(5)\n"
    "\treturn r.n\n"
    "}\n"
    "\n"
    "func (r *RW) Set() {\n"
    "\tr.Lock()\n"
    "\tuse(6)\n"
    "\tr.Unlock()\n"
    "}\n"
    "\n"
    "var pkgMu sync.Mutex\n"
    "\n"
    "func PkgVar() {\n"
    "\tpkgMu.Lock()\n"
    "\tuse(7)\n"
    "\tpkgMu.Unlock()\n"
    "\tuse(8)\n"
    "}\n"
    "\n"
    "func Local() {\n"
    "\tvar mu sync.Mutex\n"
    "\tmu.Lock()\n"
    "\tuse(9)\n"
    "\tmu.Unlock()\n"
    "}\n"
    "\n"
    "func Branches(c bool, s *Store) {\n"
    "\tif c {\n"
    "\t\ts.mu.Lock()\n"
    "\t} else {\n"
    "\t\ts.mu.Lock()\n"
    "\t}\n"
    "\tuse(10)\n"
    "\ts.mu.Unlock()\n"
    "\tif c {\n"
    "\t\ts.mu.Lock()\n"
    "\t}\n"
    "\tuse(11)\n"
    "\tif c {\n"
    "\t\ts.mu.Unlock()\n"
    "\t}\n"
    "}\n"
    "\n"
    "func Early(s *Store, c bool) int {\n"
    "\ts.mu.Lock()\n"
    "\tif c {\n"
    "\t\ts.mu.Unlock()\n"
    "\t\treturn 1\n"
    "\t}\n"
    "\tuse(12)\n"
    "\ts.mu.Unlock()\n"
    "\treturn 0\n"
    "}\n"
    "\n"
    "func Loop(s *Store, n int) {\n"
    "\tfor i := 0; i < n; i++ {\n"
    "\t\ts.mu.Lock()\n"
    "\t\tuse(13)\n"
    "\t\ts.mu.Unlock()\n"
    "\t}\n"
    "\tuse(14)\n"
    "\ts.mu.Lock()\n"
    "\tfor i := 0; i < n; i++ {\n"
    "\t\tuse(15)\n"
    "\t}\n"
    "\ts.mu.Unlock()\n"
    "\tfor _, v := range s.m {\n"
    "\t\tif v > 0 {\n"
    "\t\t\tcontinue\n"
    "\t\t}\n"
    "\t\ts.mu.Lock()\n"
    "\t}\n"
    "\tuse(32)\n"
    "}\n"
    "\n"
    "func Deferred(s *Store) {\n"
    "\ts.mu.Lock()\n"
    "\tdefer s.mu.Unlock()\n"
    "\tuse(16)\n"
    "}\n"
    "\n"
    "func DeferredClosure(s *Store) {\n"
    "\ts.mu.Lock()\n"
    "\tdefer func() {\n"
    "\t\ts.mu.Unlock()\n"
    "\t}()\n"
    "\tuse(17)\n"
    "}\n"
    "\n"
    "func Try(s *Store) {\n"
    "\tif s.mu.TryLock() {\n"
    "\t\tuse(18)\n"
    "\t\ts.mu.Unlock()\n"
    "\t}\n"
    "\tuse(19)\n"
    "\tif !s.mu.TryLock() {\n"
    "\t\treturn\n"
    "\t}\n"
    "\tuse(20)\n"
    "\ts.mu.Unlock()\n"
    "\tok := s.mu.TryLock()\n"
    "\tuse(21)\n"
    "\tif ok {\n"
    "\t\ts.mu.Unlock()\n"
    "\t}\n"
    "}\n"
    "\n"
    "func (s *Store) a() { s.b() }\n"
    "func (s *Store) b() { s.c() }\n"
    "func (s *Store) c() {\n"
    "\ts.mu.Lock()\n"
    "\ts.mu.Unlock()\n"
    "}\n"
    "func other(s *Store) { s.c() }\n"
    "\n"
    "func (s *Store) rec(n int) {\n"
    "\tif n > 0 {\n"
    "\t\ts.rec2(n - 1)\n"
    "\t}\n"
    "}\n"
    "func (s *Store) rec2(n int) {\n"
    "\ts.mu.Lock()\n"
    "\ts.mu.Unlock()\n"
    "\ts.rec(n)\n"
    "}\n"
    "func selfRec(n int) {\n"
    "\tif n > 0 {\n"
    "\t\tselfRec(n - 1)\n"
    "\t}\n"
    "\tpkgMu.Lock()\n"
    "\tpkgMu.Unlock()\n"
    "}\n"
    "\n"
    "func (s *Store) lock()   { s.mu.Lock() }\n"
    "func (s *Store) unlock() { s.mu.Unlock() }\n"
    "func (s *Store) UsesHelpers() {\n"
    "\ts.lock()\n"
    "\tuse(22)\n"
    "\ts.unlock()\n"
    "\tuse(23)\n"
    "\ts.lock()\n"
    "\tdefer s.unlock()\n"
    "\tuse(33)\n"
    "}\n"
    "\n"
    "func Lit(s *Store) {\n"
    "\ts.mu.Lock()\n"
    "\tgo func() {\n"
    "\t\tuse(24)\n"
    "\t}()\n"
    "\tf := func() { use(25) }\n"
    "\tf()\n"
    "\ts.mu.Unlock()\n"
    "}\n"
    "\n"
    "func Unres(ms []sync.Mutex) {\n"
    "\tms[0].Lock()\n"
    "\tuse(26)\n"
    "\tms[0].Unlock()\n"
    "}\n"
    "\n"
    "type Custom struct{ mu sync.Mutex }\n"
    "\n"
    "func (c *Custom) Lock()   { c.mu.Lock() }\n"
    "func (c *Custom) Unlock() { c.mu.Unlock() }\n"
    "func UseCustom(c *Custom) {\n"
    "\tc.Lock()\n"
    "\tuse(27)\n"
    "\tc.Unlock()\n"
    "}\n"
    "\n"
    "var cache struct {\n"
    "\tsync.Mutex\n"
    "\tm map[string]int\n"
    "}\n"
    "\n"
    "func Cache() {\n"
    "\tcache.Lock()\n"
    "\tuse(28)\n"
    "\tcache.Unlock()\n"
    "}\n"
    "\n"
    "func Modes(r *RW) {\n"
    "\tr.RLock()\n"
    "\tuse(29)\n"
    "\tr.RUnlock()\n"
    "\tr.Lock()\n"
    "\tuse(30)\n"
    "\tr.Unlock()\n"
    "}\n"
    "\n"
    "type Outer struct{ Store }\n"
    "\n"
    "func (o *Outer) X() {\n"
    "\to.mu.Lock()\n"
    "\tuse(31)\n"
    "\to.mu.Unlock()\n"
    "}\n"
    "\n"
    "func NoLocks(n int) int { return n + 1 }\n"
    "\n"
    "func Param(mu *sync.RWMutex) {\n"
    "\tmu.RLock()\n"
    "\tuse(34)\n"
    "\tmu.RUnlock()\n"
    "}\n"
    "\n"
    "func TryAnd(s *Store, c bool) {\n"
    "\tif c && s.mu.TryLock() {\n"
    "\t\tuse(35)\n"
    "\t\ts.mu.Unlock()\n"
    "\t} else {\n"
    "\t\tuse(36)\n"
    "\t}\n"
    "}\n"
    "\n"
    "func unlockOnce(mu *sync.Mutex) func() {\n"
    "\tvar once sync.Once\n"
    "\treturn func() { once.Do(mu.Unlock) }\n"
    "}\n"
    "\n"
    "func (s *Store) Opaque() {\n"
    "\tunlock := unlockOnce(&s.mu)\n"
    "\ts.mu.Lock()\n"
    "\tdefer unlock()\n"
    "\tuse(37)\n"
    "}\n"
    "\n"
    "func (s *Store) OnceUnlock() {\n"
    "\tvar once sync.Once\n"
    "\ts.lock()\n"
    "\tdefer once.Do(s.unlock)\n"
    "\tuse(38)\n"
    "}\n"
    "\n"
    "type Wrap struct{ st Store }\n"
    "\n"
    "func (w *Wrap) Y() {\n"
    "\tw.st.lock()\n"
    "\tuse(39)\n"
    "\tw.st.unlock()\n"
    "\tuse(40)\n"
    "}\n"
    "\n"
    "func unlockOther(s *Store) { s.mu.Unlock() }\n"
    "\n"
    "func (s *Store) NotApplied() {\n"
    "\ts.mu.Lock()\n"
    "\tunlockOther(s)\n"
    "\tuse(41)\n"
    "\ts.mu.Unlock()\n"
    "}\n"
    "\n"
    "type Reg struct {\n"
    "\tcache struct {\n"
    "\t\tsync.Mutex\n"
    "\t\tm map[string]int\n"
    "\t}\n"
    "\tstats struct {\n"
    "\t\tmu sync.RWMutex\n"
    "\t\tn  int\n"
    "\t}\n"
    "}\n"
    "\n"
    "func (r *Reg) Z() {\n"
    "\tr.cache.Lock()\n"
    "\tuse(42)\n"
    "\tr.cache.Unlock()\n"
    "\tr.stats.mu.RLock()\n"
    "\tuse(43)\n"
    "\tr.stats.mu.RUnlock()\n"
    "}\n"
    "\n"
    "func (s *Store) Relock() {\n"
    "\ts.mu.Unlock()\n"
    "\tuse(44)\n"
    "\ts.mu.Lock()\n"
    "}\n"
    "\n"
    "func (s *Store) CallsRelock() {\n"
    "\ts.mu.Lock()\n"
    "\ts.Relock()\n"
    "\tuse(45)\n"
    "\ts.mu.Unlock()\n"
    "}\n"
    "\n"
    "func (s *Store) TryR(r *RW) {\n"
    "\tfor !r.TryRLock() {\n"
    "\t}\n"
    "\tuse(46)\n"
    "\tr.RUnlock()\n"
    "}\n"
    "\n"
    "func (s *Store) HandOff() {\n"
    "\ts.mu.Lock()\n"
    "\tgo func() {\n"
    "\t\ts.mu.Unlock()\n"
    "\t}()\n"
    "\tuse(47)\n"
    "}\n"
    "\n"
    "func (s *Store) fooLocked() { use(48) }\n"
    "func (s *Store) barLocked() { s.fooLocked() }\n"
    "func (s *Store) bazLocked() {}\n"
    "func (s *Store) quxLocked() {}\n"
    "\n"
    "func (s *Store) CallsFoo() {\n"
    "\ts.mu.Lock()\n"
    "\ts.fooLocked()\n"
    "\ts.mu.Unlock()\n"
    "\ts.mu.Lock()\n"
    "\tdefer s.mu.Unlock()\n"
    "\ts.barLocked()\n"
    "\ts.bazLocked()\n"
    "\tdefer s.quxLocked()\n"
    "}\n"
    "\n"
    "func (s *Store) CallsBaz() {\n"
    "\ts.bazLocked()\n"
    "}\n";

/* ---- the unit: the base analyzers run directly on it ---- */

static const omen_analyzer *const order[] = {&omen_go_inspect, &omen_go_types, &omen_go_cfg, &omen_go_context,
                                             &omen_go_locks};

typedef struct lunit {
  gounit g;
  const go_inspect *ins;
  const go_locks *locks;
} lunit;

static bool lunit_open(lunit *l, const char *path, const char *text) {
  bool ok = gounit_open(&l->g, path, text, order, sizeof order / sizeof *order);
  l->ins = gounit_result(&l->g, &omen_go_inspect);
  l->locks = gounit_result(&l->g, &omen_go_locks);
  return ok && l->ins && l->locks;
}

static TSNode node_of(const lunit *l, const char *text) { return gounit_node(&l->g, text); }

/* "T.mu:W T.rw:R+d" for the lock set before the marker; "?" when unknown. */
static const char *held(const lunit *g, const char *marker, unsigned flags) {
  static char buf[512];
  go_lock_held h[16];
  size_t n = 0;
  if (!go_locks_held_at(g->locks, 0, node_of(g, marker), flags, h, 16, &n))
    return "?";
  buf[0] = '\0';
  for (size_t i = 0; i < n && i < 16; i++) {
    const go_mutex *m = &g->locks->mutexes[h[i].mutex];
    const char *key = strncmp(m->key, "local:", 6) == 0 ? "local" : m->key;
    size_t len = strlen(buf);
    snprintf(buf + len, sizeof buf - len, "%s%s:%s%s", i ? " " : "", key, h[i].mode == GO_LOCK_READ ? "R" : "W",
             h[i].deferred ? "+d" : "");
  }
  return buf;
}

static int32_t func_named(const lunit *g, const char *name) {
  for (size_t i = 0; i < g->ins->nsites[GO_SITE_FUNC]; i++)
    if (strcmp(g->ins->sites[GO_SITE_FUNC][i].text, name) == 0)
      return (int32_t)i;
  fprintf(stderr, "no function %s\n", name);
  return -1;
}

/* "T.mu:W@recv<-c" entries of a summary list: mode, on_recv, the callee the witness goes through. */
static const char *acq_list(const lunit *g, const go_lock_acq *v, size_t n) {
  static char buf[512];
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(buf);
    const char *callee = v[i].callee >= 0 ? g->ins->sites[GO_SITE_FUNC][v[i].callee].text : "";
    snprintf(buf + len, sizeof buf - len, "%s%s:%s%s%s%s", i ? " " : "", g->locks->mutexes[v[i].mutex].key,
             v[i].mode == GO_LOCK_READ ? "R" : "W", v[i].on_recv ? "@recv" : "", v[i].callee >= 0 ? "<-" : "",
             callee);
  }
  return buf;
}

static const char *acquires(const lunit *g, const char *fname) {
  const go_lock_summary *s = go_locks_summary(g->locks, func_named(g, fname));
  return s ? acq_list(g, s->acquires, s->nacquires) : "";
}

static void test_keys(const lunit *g) {
  const go_locks *l = g->locks;
  CHECK(go_locks_find(l, "Store.mu") >= 0);
  CHECK(go_locks_find(l, "Embedded.Mutex") >= 0);
  CHECK(go_locks_find(l, "RW.RWMutex") >= 0);
  CHECK(go_locks_find(l, "pkgMu") >= 0);
  CHECK(go_locks_find(l, "cache.Mutex") >= 0);
  CHECK(go_locks_find(l, "Custom.mu") >= 0);
  CHECK(go_locks_find(l, "Custom.Mutex") < 0);
  CHECK(go_locks_find(l, "Outer.mu") < 0);
  int32_t rw = go_locks_find(l, "RW.RWMutex");
  CHECK(rw >= 0 && l->mutexes[rw].rw && l->mutexes[rw].kind == GO_MUTEX_EMBEDDED);
  int32_t sm = go_locks_find(l, "Store.mu");
  CHECK(sm >= 0 && !l->mutexes[sm].rw && l->mutexes[sm].kind == GO_MUTEX_FIELD);
  CHECK_STR(sm >= 0 ? l->mutexes[sm].owner : NULL, "Store");
  int32_t pv = go_locks_find(l, "pkgMu");
  CHECK(pv >= 0 && l->mutexes[pv].kind == GO_MUTEX_VAR);
  size_t nlocal = 0;
  for (size_t i = 0; i < l->nmutexes; i++)
    if (l->mutexes[i].kind == GO_MUTEX_LOCAL) {
      nlocal++;
      CHECK(strncmp(l->mutexes[i].key, "local:lk.go:", 12) == 0);
    }
  CHECK(nlocal == 2); /* Local's mu, Param's mu */
  /* ops: every resolved call, none for the index expression or Custom's own Lock method */
  const go_lock_op *op = go_locks_op_at(l, 0, node_of(g, "ms[0].Lock()"));
  CHECK(op == NULL);
  op = go_locks_op_at(l, 0, node_of(g, "c.Lock()"));
  CHECK(op == NULL);
  op = go_locks_op_at(l, 0, node_of(g, "defer s.mu.Unlock()|\n\tuse(16)"));
  CHECK(op == NULL); /* the defer statement is not the call */
  op = go_locks_op_at(l, 0, node_of(g, "s.mu.Unlock()|\n\tuse(16)"));
  CHECK(op && op->kind == GO_LOCK_UNLOCK && op->deferred);
  op = go_locks_op_at(l, 0, node_of(g, "e.Lock()"));
  CHECK(op && op->kind == GO_LOCK_LOCK && op->on_recv);
  op = go_locks_op_at(l, 0, node_of(g, "pkgMu.Lock()"));
  CHECK(op && !op->on_recv);
  op = go_locks_op_at(l, 0, node_of(g, "s.mu.Unlock()|\n\t}()"));
  CHECK(op && op->deferred); /* inside a deferred literal */
  bool rwk = false;
  CHECK_STR(go_locks_key_of(l, 0, node_of(g, "o.mu"), &rwk), "Store.mu");
  CHECK_STR(go_locks_key_of(l, 0, node_of(g, "r|.RLock()\n\tuse(29)"), &rwk), "RW.RWMutex");
  CHECK(rwk);
}

static void test_lock_sets(const lunit *g) {
  /* receivers, embedded, package var, local */
  CHECK_STR(held(g, "use(1)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(2)", 0), "");
  CHECK_STR(held(g, "use(3)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(4)", 0), "Embedded.Mutex:W");
  CHECK_STR(held(g, "use(5)", 0), "RW.RWMutex:R+d");
  CHECK_STR(held(g, "use(6)", 0), "RW.RWMutex:W");
  CHECK_STR(held(g, "use(7)", 0), "pkgMu:W");
  CHECK_STR(held(g, "use(8)", 0), "");
  CHECK_STR(held(g, "use(9)", 0), "local:W");
  /* branches: held after if/else only when held on both */
  CHECK_STR(held(g, "use(10)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(11)", 0), "");
  CHECK_STR(held(g, "use(11)", GO_LOCKS_MAY), "Store.mu:W");
  /* early return */
  CHECK_STR(held(g, "use(12)", 0), "Store.mu:W");
  /* loops */
  CHECK_STR(held(g, "use(13)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(14)", 0), "");
  CHECK_STR(held(g, "use(14)", GO_LOCKS_MAY), "");
  CHECK_STR(held(g, "use(15)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(32)", 0), "");
  CHECK_STR(held(g, "use(32)", GO_LOCKS_MAY), "Store.mu:W");
  CHECK_STR(held(g, "continue", GO_LOCKS_MAY), "Store.mu:W"); /* the second iteration */
  /* defer */
  CHECK_STR(held(g, "use(16)", 0), "Store.mu:W+d");
  CHECK_STR(held(g, "use(17)", 0), "Store.mu:W+d");
  /* TryLock */
  CHECK_STR(held(g, "use(18)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(19)", 0), "");
  CHECK_STR(held(g, "use(20)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(21)", 0), "");
  CHECK_STR(held(g, "use(35)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(36)", 0), "");
  /* helpers' summaries apply at their calls */
  CHECK_STR(held(g, "use(22)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(23)", 0), "");
  CHECK_STR(held(g, "use(33)", 0), "Store.mu:W+d");
  CHECK_STR(held(g, "use(27)", 0), "Custom.mu:W");
  /* literals start empty */
  CHECK_STR(held(g, "use(24)", 0), "");
  CHECK_STR(held(g, "use(25)", 0), "");
  CHECK_STR(held(g, "f()", 0), "Store.mu:W");
  /* unresolved receivers are ignored */
  CHECK_STR(held(g, "use(26)", 0), "");
  CHECK_STR(held(g, "use(28)", 0), "cache.Mutex:W");
  /* modes */
  CHECK_STR(held(g, "use(29)", 0), "RW.RWMutex:R");
  CHECK_STR(held(g, "use(30)", 0), "RW.RWMutex:W");
  CHECK_STR(held(g, "use(31)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(34)", 0), "local:R");
  CHECK_STR(held(g, "return n + 1", 0), "");
  /* a deferred function value made by a package call releases what is held; sync.Once.Do runs its argument */
  CHECK_STR(held(g, "use(37)", 0), "Store.mu:W+d");
  CHECK_STR(held(g, "use(38)", 0), "Store.mu:W+d");
  /* helpers on a field of the receiver; a helper that unlocks a parameter's mutex is not applied */
  CHECK_STR(held(g, "use(39)", 0), "Store.mu:W");
  CHECK_STR(held(g, "use(40)", 0), "");
  CHECK_STR(held(g, "use(41)", 0), "Store.mu:W");
  /* anonymous struct fields */
  CHECK_STR(held(g, "use(42)", 0), "Reg.cache.Mutex:W");
  CHECK_STR(held(g, "use(43)", 0), "Reg.stats.mu:R");
  /* unlock-relock helpers keep the caller's lock held */
  CHECK_STR(held(g, "use(44)", 0), "");
  CHECK_STR(held(g, "use(45)", 0), "Store.mu:W");
  /* a TryRLock loop exits holding the read lock */
  CHECK_STR(held(g, "use(46)", 0), "RW.RWMutex:R");
  /* a goroutine that unlocks what its starter holds releases it later */
  CHECK_STR(held(g, "use(47)", 0), "Store.mu:W+d");
  /* acquiring call: the Lock before the statement */
  go_lock_held h[4];
  size_t n = 0;
  CHECK(go_locks_held_at(g->locks, 0, node_of(g, "use(12)"), 0, h, 4, &n) && n == 1);
  TSNode lock = node_of(g, "s.mu.Lock()|\n\tif c {\n\t\ts.mu.Unlock()\n\t\treturn 1");
  CHECK(n == 1 && ts_node_eq(h[0].acquire, lock));
  /* exit: Deferred returns holding with a deferred unlock; PtrRecv holds nothing */
  CHECK(go_locks_held_at_exit(g->locks, func_named(g, "Deferred"), 0, h, 4, &n) && n == 1 && h[0].deferred);
  CHECK(go_locks_held_at_exit(g->locks, func_named(g, "PtrRecv"), 0, h, 4, &n) && n == 0);
  CHECK(go_locks_held_at_exit(g->locks, func_named(g, "Loop"), GO_LOCKS_MAY, h, 4, &n) && n == 1);
  /* the same through the function index */
  CHECK(go_locks_held_in(g->locks, func_named(g, "Early"), node_of(g, "use(12)"), 0, h, 4, &n) && n == 1);
  CHECK(go_locks_held_in(g->locks, func_named(g, "NoLocks"), node_of(g, "return n + 1"), 0, h, 4, &n) && n == 0);
  bool known = false;
  int32_t sm = go_locks_find(g->locks, "Store.mu");
  CHECK(sm >= 0 && go_locks_is_held(g->locks, 0, node_of(g, "use(1)"), (uint32_t)sm, GO_LOCK_WRITE, 0, &known) &&
        known);
  CHECK(!go_locks_is_held(g->locks, 0, node_of(g, "use(2)"), (uint32_t)sm, GO_LOCK_WRITE, 0, &known) && known);
}

static void test_summaries(const lunit *g) {
  const go_lock_summary *s0;
  CHECK_STR(acquires(g, "PtrRecv"), "Store.mu:W@recv");
  CHECK_STR(acquires(g, "Get"), "RW.RWMutex:R@recv");
  CHECK_STR(acquires(g, "Modes"), "RW.RWMutex:R RW.RWMutex:W");
  CHECK_STR(acquires(g, "c"), "Store.mu:W@recv");
  CHECK_STR(acquires(g, "b"), "Store.mu:W@recv<-c");
  CHECK_STR(acquires(g, "a"), "Store.mu:W@recv<-b");
  CHECK_STR(acquires(g, "other"), "Store.mu:W<-c");
  CHECK_STR(acquires(g, "rec"), "Store.mu:W@recv<-rec2");
  CHECK_STR(acquires(g, "rec2"), "Store.mu:W@recv");
  CHECK_STR(acquires(g, "selfRec"), "pkgMu:W");
  CHECK_STR(acquires(g, "UseCustom"), "Custom.mu:W<-Lock");
  CHECK_STR(acquires(g, "Try"), "Store.mu:W");
  const char *loc = acquires(g, "Local");
  CHECK(strncmp(loc, "local:lk.go:", 12) == 0 && strcmp(loc + strlen(loc) - 2, ":W") == 0);
  /* a literal started with go, or stored, is not part of its definer's acquires */
  CHECK_STR(acquires(g, "Lit"), "Store.mu:W");
  CHECK(go_locks_summary(g->locks, func_named(g, "NoLocks")) == NULL);
  CHECK(go_locks_summary(g->locks, func_named(g, "use")) == NULL);
  s0 = go_locks_summary(g->locks, func_named(g, "Relock"));
  CHECK(s0 && s0->nleaves == 1 && s0->nreleases == 1);
  s0 = go_locks_summary(g->locks, func_named(g, "HandOff"));
  CHECK(s0 && s0->nleaves == 0 && s0->nreleases == 0 && s0->nacquires == 1);
  CHECK_STR(acquires(g, "Z"), "Reg.cache.Mutex:W@recv Reg.stats.mu:R@recv");
  CHECK_STR(acquires(g, "Y"), "Store.mu:W@recv<-lock");
  CHECK_STR(acquires(g, "OnceUnlock"), "Store.mu:W@recv<-lock");
  /* lock and unlock helpers */
  const go_lock_summary *s = go_locks_summary(g->locks, func_named(g, "lock"));
  CHECK(s && s->flow && s->nleaves == 1 && s->nreleases == 0);
  CHECK_STR(s ? acq_list(g, s->leaves, s->nleaves) : NULL, "Store.mu:W@recv");
  s = go_locks_summary(g->locks, func_named(g, "unlock"));
  CHECK(s && s->nleaves == 0 && s->nreleases == 1);
  CHECK_STR(s ? acq_list(g, s->releases, s->nreleases) : NULL, "Store.mu:W@recv");
  s = go_locks_summary(g->locks, func_named(g, "Deferred"));
  CHECK(s && s->nleaves == 0 && s->nreleases == 0 && s->nops == 2);
  s = go_locks_summary(g->locks, func_named(g, "UsesHelpers"));
  CHECK(s && s->nleaves == 0 && s->nreleases == 0 && s->nops == 0 && s->nacquires == 1);
  const go_lock_acq *a = go_locks_acquires(g->locks, func_named(g, "a"), (uint32_t)go_locks_find(g->locks, "Store.mu"),
                                           GO_LOCK_WRITE);
  CHECK(a && a->on_recv && a->callee == func_named(g, "b"));
  CHECK(go_locks_acquires(g->locks, func_named(g, "a"), (uint32_t)go_locks_find(g->locks, "Store.mu"), GO_LOCK_READ) ==
        NULL);
  /* the chain ends at the Lock call */
  int32_t f = func_named(g, "a");
  for (int i = 0; i < 5 && a && a->callee >= 0; i++) {
    f = a->callee;
    a = go_locks_acquires(g->locks, f, a->mutex, a->mode);
  }
  CHECK(a && a->callee < 0 && f == func_named(g, "c"));
}

static const char *by_callers(const lunit *g, const char *fname) {
  static char buf[256];
  go_lock_held h[8];
  size_t n = 0;
  if (!go_locks_held_by_callers(g->locks, func_named(g, fname), h, 8, &n))
    return "?";
  buf[0] = '\0';
  for (size_t i = 0; i < n && i < 8; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, sizeof buf - len, "%s%s:%s", i ? " " : "", g->locks->mutexes[h[i].mutex].key,
             h[i].mode == GO_LOCK_READ ? "R" : "W");
  }
  return buf;
}

static void test_callers(const lunit *g) {
  CHECK_STR(by_callers(g, "fooLocked"), "Store.mu:W"); /* directly, and through barLocked's caller */
  CHECK_STR(by_callers(g, "barLocked"), "Store.mu:W");
  CHECK_STR(by_callers(g, "bazLocked"), "");   /* one caller does not hold it */
  CHECK_STR(by_callers(g, "quxLocked"), "");   /* deferred: runs after the unlock */
  CHECK_STR(by_callers(g, "CallsFoo"), "");    /* exported */
  CHECK_STR(by_callers(g, "unlock"), "");      /* also used as a value (once.Do(s.unlock)) */
  CHECK_STR(by_callers(g, "rec"), "");
  CHECK_STR(by_callers(g, "use"), "");         /* called from many places without locks */
}

/* A package with no lock calls: an empty result, nothing held anywhere, nothing summarized. */
static void test_no_locks(void) {
  lunit g;
  CHECK(lunit_open(&g, "n.go", "package n\n\nfunc F(n int) int {\n\tif n > 0 {\n\t\treturn F(n - 1)\n\t}\n\treturn 0\n}\n"));
  if (g.locks) {
    CHECK(g.locks->nops == 0 && g.locks->nmutexes == 0);
    CHECK_STR(held(&g, "return 0", 0), "");
    CHECK(go_locks_summary(g.locks, 0) == NULL);
    CHECK(go_locks_find(g.locks, "x") == -1);
  }
  gounit_close(&g.g);
}

/* Broken code: an incomplete function is unknown, the others still work. */
static void test_broken(void) {
  lunit g;
  CHECK(lunit_open(&g, "b.go",
                    "package b\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc Bad() {\n\tmu.Lock()\n\tfor {\n\t\tbreak L\n\t}\n"
                    "\tuse(1)\n}\n\nfunc Good() {\n\tmu.Lock()\n\tuse(2)\n\tmu.Unlock()\n}\n\nfunc use(int) {}\n"));
  if (g.locks) {
    CHECK_STR(held(&g, "use(1)", 0), "?");
    CHECK_STR(held(&g, "use(2)", 0), "mu:W");
  }
  gounit_close(&g.g);
}

int main(void) {
  lunit g;
  bool ok = lunit_open(&g, "lk.go", src);
  CHECK(ok);
  if (ok) {
    test_keys(&g);
    test_lock_sets(&g);
    test_summaries(&g);
    test_callers(&g);
  }
  gounit_close(&g.g);
  test_no_locks();
  test_broken();
  return check_done();
}
