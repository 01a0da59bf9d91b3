/* go_deadlock.c - the deadlock family for Go: a mutex locked twice by one goroutine (directly, through
 * a call, or in the next loop iteration), a return that leaves a mutex locked, a channel operation or
 * wait inside a critical section whose other side needs the same lock, and two mutexes taken in
 * opposite orders. Built on go-locks (mutex keys, lock sets, summaries) and go-context (call graph,
 * goroutines). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzers.h"
#include "go_cfg.h"
#include "go_context.h"
#include "go_fix.h"
#include "go_inspect.h"
#include "go_locks.h"
#include "go_types.h"
#include "pass.h"

/* ---------- rules ---------- */

static const omen_rule rule_double = {
    .id = "deadlock/double-lock",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Mutex locked again by the goroutine that already holds it",
    .what = "Reports a `Lock` or `RLock` of a `sync.Mutex` or `sync.RWMutex` that the same goroutine "
            "already holds on every path to it: locked again directly (the same variable or the same field "
            "of the same variable), through a call of a method of the package on the same receiver (`c.mu` "
            "held, `c.evict()` locks its receiver's `mu`, directly or through one more method on the "
            "receiver) or of a function that locks the same package-level mutex, or at the top of a loop "
            "whose previous iteration skipped the `Unlock` (a `continue` inside the critical section, or a "
            "`defer` of the unlock inside the loop). A read lock taken again through a call while the "
            "goroutine holds a read lock on the same `RWMutex` is reported with medium confidence. Not "
            "reported: a lock held on some paths only, a callee started with `go` or deferred, a callback "
            "stored for later, `TryLock`, the same field of another instance (`n.parent.mu` while holding "
            "`n.mu`, a variable reassigned or copied in the function, a loop variable), callees that unlock "
            "the mutex before locking it (`...RLocked` upgrade helpers, unlock-sleep-relock loops), locks "
            "under a flag that names locking (`if lockTable {`), mutexes handed to another goroutine or "
            "callback (unlocked in a goroutine or func literal, `&mu` or `mu.Unlock` passed on), and chains "
            "of more than two calls. Findings in test files have low confidence.",
    .why = "Go's mutexes are not reentrant. A goroutine that locks a mutex it holds waits for itself "
           "forever, and every other goroutine that needs the mutex piles up behind it: the service "
           "hangs without a crash or a log line. A recursive read lock looks harmless until a writer "
           "calls `Lock` between the two `RLock`s: the writer waits for the first reader, the second "
           "`RLock` waits for the writer, and the `sync` documentation forbids it for that reason.",
    .example = "func (c *Cache) Put(k string, v []byte) {\n"
               "\tc.mu.Lock()\n"
               "\tdefer c.mu.Unlock()\n"
               "\tif len(c.items) >= c.max {\n"
               "\t\tc.evict() // evict locks c.mu too\n"
               "\t}\n"
               "\tc.items[k] = v\n"
               "}",
    .instead = "func (c *Cache) Put(k string, v []byte) {\n"
               "\tc.mu.Lock()\n"
               "\tdefer c.mu.Unlock()\n"
               "\tif len(c.items) >= c.max {\n"
               "\t\tc.evictLocked() // a variant that expects c.mu held\n"
               "\t}\n"
               "\tc.items[k] = v\n"
               "}",
    .fix = "No automatic fix: split the callee into a variant that expects the lock held (`evictLocked`) "
           "or release the lock before the call.",
    .lang = "go",
};

static const omen_rule rule_return = {
    .id = "deadlock/return-without-unlock",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Function returns with a mutex still locked on some path",
    .what = "Reports a return (or the end of the function) that a path from a `Lock` or `RLock` reaches "
            "without the matching `Unlock`, in a function that unlocks the same mutex (same variable or "
            "field of the same variable) itself on a path from that lock, without a `defer`. Covered paths: "
            "an `Unlock` (also deferred, also in a deferred or nested func literal), a call of an unlock "
            "helper of the package, a panic or `log.Fatal`, the false branch of `TryLock`, and a later test "
            "of the same condition that guarded the lock (`if locked { mu.Lock() } ... if locked { "
            "mu.Unlock() }`). Not reported: functions that never unlock what they lock (lock helpers), whose "
            "name says they hand the lock over (`lock...`, `acquire...`, `...Locked`, `hold...`; for a func "
            "literal, the variable it is assigned to) or whose doc comment says the lock stays held for the "
            "caller; functions whose callers in the package unlock after calling them; functions that "
            "unlock the mutex before locking it again (called with it held); a `defer mu.Unlock()` written "
            "before the `Lock`; mutexes that another function of the package releases without locking "
            "(a transaction's `Close` releasing what `Begin` took); a mutex reached through a variable that "
            "is reassigned or copied in the function, or passed on as `&mu` or `mu.Unlock`. Findings in test "
            "files have low confidence.",
    .why = "The early return leaves the mutex locked with nobody to unlock it: the next `Lock` of that "
           "mutex, in any goroutine, blocks forever. It typically hides on an error path (a cache miss, "
           "a closed pool, a validation failure) that tests rarely take, and takes the service down "
           "the first time it happens in production.",
    .example = "c.mu.Lock()\n"
               "v, ok := c.items[k]\n"
               "if !ok {\n"
               "\treturn nil, errNotFound // c.mu stays locked\n"
               "}\n"
               "c.mu.Unlock()\n"
               "return v, nil",
    .instead = "c.mu.Lock()\n"
               "defer c.mu.Unlock()\n"
               "v, ok := c.items[k]\n"
               "if !ok {\n"
               "\treturn nil, errNotFound\n"
               "}\n"
               "return v, nil",
    .fix = "Safe: inserts the `Unlock` (or `RUnlock`) right before the return, when every path to that "
           "return holds the lock and the returned values do not read state the lock guards (constants, "
           "locals, package-level errors, calls of other packages' functions on those). Unsafe "
           "alternative (or the only fix when the first is not possible): `defer` the unlock right "
           "after the `Lock` and remove the explicit unlocks, offered only when every explicit unlock "
           "is the last thing its path does before returning; unsafe because the returned expressions "
           "are then evaluated under the lock.",
    .lang = "go",
};

static const omen_rule rule_blocking = {
    .id = "deadlock/blocking-under-lock",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Channel operation or wait under a lock that the other side needs",
    .what = "Reports a channel send or receive, a `sync.WaitGroup.Wait` or a `sync.Cond.Wait` inside a "
            "critical section (a mutex locked in the function and held on every path there) when the "
            "goroutine that would unblock it takes the same mutex first: the receivers of the channel (a "
            "`range` or receive loop, found by the channel's struct field, package variable or captured "
            "local) lock it on a path to their next receive; the senders (or the goroutine that closes the "
            "channel) lock it before they send; the goroutines that call `Done` lock it between their `Add` "
            "(if they call it) and `Done`; the code that calls `Signal` or `Broadcast` locks it before "
            "signalling. The other side must run in another goroutine (a goroutine body, handler, or code "
            "they reach) or be exported; locks are followed through up to three calls of the package. "
            "`Cond.Wait` under its own `L` is the normal pattern and is not reported; neither are "
            "operations in a `select` with a `default` or another case (a timeout, `ctx.Done()`), on either "
            "side; sends on a channel every `make` of which has a buffer; a local channel made again on the "
            "way (a new channel per loop iteration); nor operations whose other side never takes the lock. "
            "Findings in test files have low confidence.",
    .why = "The goroutine blocks holding the lock, and the goroutine it waits for blocks on that lock: "
           "neither can move, and everything else that needs the lock queues behind them. This is the "
           "classic pub/sub or shutdown deadlock, and it only shows under concurrency (a subscriber "
           "counting deliveries, a worker finishing its last job at the moment of `Close`).",
    .example = "func (b *Broker) Publish(m Message) {\n"
               "\tb.mu.Lock()\n"
               "\tdefer b.mu.Unlock()\n"
               "\tfor _, s := range b.subs {\n"
               "\t\ts.ch <- m // a subscriber waiting for b.mu never receives\n"
               "\t}\n"
               "}",
    .instead = "func (b *Broker) Publish(m Message) {\n"
               "\tb.mu.Lock()\n"
               "\tsubs := append([]*subscriber(nil), b.subs...)\n"
               "\tb.mu.Unlock()\n"
               "\tfor _, s := range subs {\n"
               "\t\ts.ch <- m\n"
               "\t}\n"
               "}",
    .fix = "No automatic fix: copy what the operation needs under the lock and block after releasing "
           "it, or make the operation non-blocking (`select` with `default` or a timeout).",
    .lang = "go",
};

static const omen_rule rule_order = {
    .id = "deadlock/lock-order-inversion",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Two mutexes locked in opposite orders on two paths",
    .what = "Collects, for each function, the pairs of mutexes it takes while holding another (directly, "
            "or through up to two calls of the package) and reports a pair that another function takes in "
            "the opposite order. Mutexes are identified by struct field (`Server.mu`), package variable, or "
            "embedded mutex, so two instances of one type count as one lock class; to keep to one instance "
            "at least one of the two paths must reach both mutexes through fields of its receiver or "
            "package variables (`sess.server.remove()`), not through collection elements, and mutexes that "
            "the package reaches through two differently named fields (`c.in`, `c.out`) are left out. Not "
            "reported: both orders in one function, `TryLock`, locks taken in a goroutine started while "
            "holding the other, objects the function has just made, pairs where neither side can block the "
            "other (read locks on both sides), paths that both hold a third mutex (themselves or at every "
            "call in the package: a gate lock), callees that unlock the held mutex first, `init` functions, "
            "and (in `package main`) two paths that both run only on the main goroutine. The other path is "
            "given as related locations.",
    .why = "When one goroutine holds A and waits for B while another holds B and waits for A, both wait "
           "forever, along with everything that later needs A or B. It happens only when the two paths "
           "interleave, so it passes tests and appears under load.",
    .example = "func (s *Server) Evict() {\n"
               "\ts.mu.Lock()\n"
               "\tdefer s.mu.Unlock()\n"
               "\tfor _, sess := range s.sessions {\n"
               "\t\tsess.mu.Lock() // Server.mu, then Session.mu\n"
               "\t\t...\n"
               "\t}\n"
               "}\n"
               "\n"
               "func (sess *Session) Close() {\n"
               "\tsess.mu.Lock()\n"
               "\tdefer sess.mu.Unlock()\n"
               "\tsess.server.remove(sess.id) // Session.mu, then Server.mu\n"
               "}",
    .instead = "func (sess *Session) Close() {\n"
               "\tsess.mu.Lock()\n"
               "\tsess.closed = true\n"
               "\tsess.mu.Unlock()\n"
               "\tsess.server.remove(sess.id) // one lock at a time\n"
               "}",
    .fix = "No automatic fix: pick one order for the two mutexes and keep to it, or release the first "
           "before taking the second.",
    .lang = "go",
};

/* ---------- state and small helpers ---------- */

enum {
  MAX_HELD = 32,       /* lock-set entries looked at per query */
  MAX_EXITS = 4,       /* exits listed per finding (more: no safe fix) */
  MAX_GUARDS = 8,      /* enclosing if conditions of an acquisition */
  MAX_CHAIN = 64,      /* witness chains followed through summaries */
  MAX_EDGES = 1 << 15, /* lock-order edges per unit */
};

typedef struct side side; /* the other side of a blocking operation (see below) */

typedef struct dl {
  omen_pass *pass;
  omen_arena *ar;
  const go_inspect *ins;
  const go_types *ty;
  go_cfg *cfgs;
  const go_context *ctx;
  const go_locks *lk;
  bool is_main; /* package main: functions without a concurrent context run on the main goroutine */
  /* blocking-under-lock: the channel, WaitGroup and Cond operations of the unit, built on first use */
  side *sides;
  size_t nsides, capsides;
  const char *sides_name; /* the sides are those of values with this last name (see last_name) */
  struct raw_side *raw;   /* every such operation, sorted by last name, built on first use */
  size_t nraw, capraw;
  bool raw_built;
  TSNode last_decl; /* value_key: the declaration of the local it named last */
} dl;

static const omen_file *file_of(const dl *d, uint32_t file) { return d->ins->files[file]->file; }

static uint32_t line_of(const dl *d, uint32_t file, TSNode n) {
  return omen_file_pos(file_of(d, file), ts_node_start_byte(n)).line;
}

static const char *text_of(dl *d, uint32_t file, TSNode n) {
  return go_ts_text(d->pass, file_of(d, file), n);
}

static bool contains(TSNode outer, TSNode n) {
  return !ts_node_is_null(outer) && !ts_node_is_null(n) &&
         ts_node_start_byte(outer) <= ts_node_start_byte(n) && ts_node_end_byte(n) <= ts_node_end_byte(outer);
}

/* Do a (in file fa) and b (in file fb) have the same source text? */
static bool same_text(const dl *d, uint32_t fa, TSNode a, uint32_t fb, TSNode b) {
  if (ts_node_is_null(a) || ts_node_is_null(b))
    return false;
  uint32_t la = ts_node_end_byte(a) - ts_node_start_byte(a), lb = ts_node_end_byte(b) - ts_node_start_byte(b);
  return la == lb && memcmp(file_of(d, fa)->text + ts_node_start_byte(a),
                            file_of(d, fb)->text + ts_node_start_byte(b), la) == 0;
}

static const go_site *func_site(const dl *d, int32_t fi) {
  return fi >= 0 && (size_t)fi < d->ins->nsites[GO_SITE_FUNC] ? &d->ins->sites[GO_SITE_FUNC][fi] : NULL;
}

static const go_mutex *mutex_of(const dl *d, uint32_t m) { return &d->lk->mutexes[m]; }

static bool is_write(go_lock_mode m) { return m == GO_LOCK_WRITE; }

/* A Lock or RLock that waits: not a TryLock, not deferred, not started with go. */
static bool blocking_acquire(const go_lock_op *op) {
  return (op->kind == GO_LOCK_LOCK || op->kind == GO_LOCK_RLOCK) && !op->deferred && !op->in_go;
}

/* Does op release mutex m in mode? */
static bool releases(const go_lock_op *op, uint32_t m, go_lock_mode mode) {
  return op->mutex == m && (mode == GO_LOCK_WRITE ? op->kind == GO_LOCK_UNLOCK : op->kind == GO_LOCK_RUNLOCK);
}

/* The name users read for a mutex key: the key, or the variable's name for a local. */
static const char *mutex_label(const dl *d, uint32_t m) {
  const go_mutex *mx = mutex_of(d, m);
  return mx->kind == GO_MUTEX_LOCAL ? mx->name : mx->key;
}

/* The mutex of op as written: "c.mu", "codecsMu", "p.Mutex" (embedded, locked as `p.Lock()`). */
static const char *op_label(dl *d, const go_lock_op *op) {
  const go_mutex *mx = mutex_of(d, op->mutex);
  const char *x = text_of(d, op->file, go_ts_unparen(op->expr));
  if (mx->kind == GO_MUTEX_EMBEDDED)
    return omen_arena_printf(d->ar, "%s.%s", x, mx->name);
  return x;
}

/* The expression to call Unlock on for op: x of `x.Lock()`. */
static const char *op_recv_text(dl *d, const go_lock_op *op) { return text_of(d, op->file, op->expr); }

/* The value whose mutex op locks: s for `s.mu.Lock()` (a field) or `s.Lock()` (embedded); null for
 * package variables and locals. */
static TSNode op_base(const dl *d, const go_lock_op *op) {
  const go_mutex *mx = mutex_of(d, op->mutex);
  TSNode e = go_ts_unparen(op->expr);
  if (go_node_is(e, GO_NODE_UNARY_EXPRESSION))
    e = go_ts_unparen(go_node_child(e, GO_F_OPERAND)); /* (&s.mu).Lock() */
  if (mx->kind == GO_MUTEX_EMBEDDED)
    return e;
  if (mx->kind != GO_MUTEX_FIELD)
    return go_ts_null();
  int strip = mx->owner && strchr(mx->owner, '.') ? 2 : 1; /* "T.g.mu": s.g.mu */
  while (strip-- > 0) {
    if (!go_node_is(e, GO_NODE_SELECTOR_EXPRESSION))
      return go_ts_null();
    e = go_ts_unparen(go_node_child(e, GO_F_OPERAND));
  }
  return e;
}

/* Do two operations on the same mutex key lock the same instance? Package variables and locals are
 * one instance; fields and embedded mutexes must be reached through the same expression. */
static bool same_instance(const dl *d, const go_lock_op *a, const go_lock_op *b) {
  if (!a || !b || a->mutex != b->mutex)
    return false;
  go_mutex_kind k = mutex_of(d, a->mutex)->kind;
  if (k == GO_MUTEX_VAR || k == GO_MUTEX_LOCAL)
    return true;
  return same_text(d, a->file, go_ts_unparen(a->expr), b->file, go_ts_unparen(b->expr));
}

/* How users read a function: "Cache.Put", "lookup", "a goroutine started in Server.Shutdown". */
static const char *func_label(dl *d, int32_t fi) {
  const go_site *s = func_site(d, fi);
  if (!s)
    return "?";
  if (s->fkind == GO_FUNC_METHOD)
    return omen_arena_printf(d->ar, "%s.%s", s->recv ? s->recv : "?", s->text);
  if (s->fkind == GO_FUNC_DECL)
    return s->text;
  const go_ctx_func *cf = &d->ctx->funcs[fi];
  const char *outer = cf->parent >= 0 ? func_label(d, cf->parent) : "?";
  return omen_arena_printf(
      d->ar, "%s %s", cf->flags & GO_CTX_GOROUTINE ? "a goroutine started in" : "a func literal in", outer);
}

/* Is the call the call of a `defer` or `go` statement? */
static bool deferred_or_go(TSNode call) {
  TSNode p = go_ts_parent(call);
  return go_node_is(p, GO_NODE_DEFER_STATEMENT) || go_node_is(p, GO_NODE_GO_STATEMENT);
}

/* Does the summary say the function unlocks mutex m that its caller holds (in any mode)? Such a callee
 * drops the caller's lock before it locks again (`fooRLocked` upgrading to a write lock). */
static bool summary_releases(const go_lock_summary *s, uint32_t m) {
  for (size_t i = 0; s && i < s->nreleases; i++)
    if (s->releases[i].mutex == m)
      return true;
  return false;
}

/* Can anything be held in function fi: does it lock, or call a lock helper? */
static bool may_hold(const dl *d, int32_t fi, const go_lock_summary *s) {
  for (size_t i = 0; i < s->nops; i++)
    if (go_lock_kind_acquires(s->ops[i].kind) && !s->ops[i].deferred)
      return true;
  const go_ctx_func *cf = &d->ctx->funcs[fi];
  for (uint32_t k = 0; k < cf->nout; k++) {
    const go_ctx_edge *e = &d->ctx->edges[cf->out + k];
    const go_lock_summary *cs = e->kind == GO_EDGE_CALL ? go_locks_summary(d->lk, (int32_t)e->callee) : NULL;
    if (cs && cs->nleaves > 0)
      return true;
  }
  return false;
}

/* The operations of function fi and of the func literals inside it: lk->ops[*b .. *e) (ops are sorted
 * by function, and a function's literals follow it in go-inspect's walk order). */
static void ops_of(const dl *d, int32_t fi, size_t *b, size_t *e) {
  const go_lock_op *ops = d->lk->ops;
  size_t lo = 0, hi = d->lk->nops;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ops[mid].func < fi)
      lo = mid + 1;
    else
      hi = mid;
  }
  const go_site *fs = func_site(d, fi);
  size_t k = lo;
  while (k < d->lk->nops && fs &&
         (ops[k].func == fi || (ops[k].file == fs->file && contains(fs->node, ops[k].call))))
    k++;
  *b = lo;
  *e = k;
}

/* Makes room for one more element in the arena array *v of n elements of size elem (capacity *cap; the
 * first allocation holds `first`). Doubles by copying; the old block stays in the arena until the unit
 * ends. false when out of memory. */
static bool arena_reserve(omen_arena *a, void **v, size_t n, size_t *cap, size_t elem, size_t first) {
  if (n < *cap)
    return true;
  size_t c = *cap ? *cap * 2 : first;
  void *nv = omen_arena_alloc(a, c * elem);
  if (!nv)
    return false;
  if (n)
    memcpy(nv, *v, n * elem);
  *v = nv;
  *cap = c;
  return true;
}

/* Test files get low confidence: a deadlock there hangs a test, not a service. */
static omen_diag *report(dl *d, const omen_rule *rule, uint32_t file, uint32_t s, uint32_t e,
                         const char *msg) {
  omen_diag *dg = omen_pass_report(d->pass, rule, file_of(d, file), s, e, "%s", msg);
  if (dg && file_of(d, file)->is_test)
    dg->confidence = OMEN_CONF_LOW;
  return dg;
}

static void related(dl *d, omen_diag *dg, uint32_t file, TSNode n, const char *msg) {
  if (!ts_node_is_null(n))
    omen_diag_add_related(d->pass, dg, file_of(d, file), ts_node_start_byte(n), ts_node_end_byte(n), "%s",
                          msg);
}

/* ---------- instances ---------- */

/* The variable at the root of a mutex or value expression: c of `c.mu`, `c.in`, `(&c.mu)`; null if
 * the root is not an identifier. */
static TSNode root_ident(const omen_file *f, TSNode e) {
  for (int i = 0; i < 16; i++) {
    e = go_ts_unparen(e);
    switch (go_node_kind(e)) {
    case GO_NODE_IDENTIFIER:
      return e;
    case GO_NODE_SELECTOR_EXPRESSION:
      e = go_node_child(e, GO_F_OPERAND);
      break;
    case GO_NODE_UNARY_EXPRESSION:
      if (!go_ts_teq(f, go_node_child(e, GO_F_OPERATOR), "&") &&
          !go_ts_teq(f, go_node_child(e, GO_F_OPERATOR), "*"))
        return go_ts_null();
      e = go_node_child(e, GO_F_OPERAND);
      break;
    default:
      return go_ts_null();
    }
  }
  return go_ts_null();
}

/* Is a variable named like id given a new value anywhere in scope: assigned (`c = c.parent`), or with
 * decls also declared with `:=` (also in a for clause) or as a range variable? Or copied to another
 * variable (`best = next`)? Then one expression text may name several instances, or one instance goes
 * by several names. */
static bool assigned_in(const omen_file *f, TSNode scope, TSNode id, bool decls) {
  if (ts_node_is_null(id) || ts_node_is_null(scope))
    return false;
  uint32_t len = ts_node_end_byte(id) - ts_node_start_byte(id);
  const char *name = f->text + ts_node_start_byte(id);
  TSTreeCursor c = ts_tree_cursor_new(scope);
  bool found = false;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(n);
    if (k == GO_NODE_ASSIGNMENT_STATEMENT ||
        (decls && (k == GO_NODE_SHORT_VAR_DECLARATION || go_ts_type_is(n, "range_clause")))) {
      TSNode left = go_node_child(n, GO_F_LEFT);
      uint32_t m = go_ts_nnamed(left);
      for (uint32_t i = 0; i < m && !found; i++) {
        TSNode x = ts_node_named_child(left, i);
        found = go_node_is(x, GO_NODE_IDENTIFIER) && ts_node_end_byte(x) - ts_node_start_byte(x) == len &&
                memcmp(f->text + ts_node_start_byte(x), name, len) == 0;
      }
    }
    if (k == GO_NODE_ASSIGNMENT_STATEMENT || k == GO_NODE_SHORT_VAR_DECLARATION) {
      /* copied to another variable (`best = next`): the lock moves with the copy */
      TSNode right = go_node_child(n, GO_F_RIGHT);
      uint32_t m = go_ts_nnamed(right);
      for (uint32_t i = 0; i < m && !found; i++) {
        TSNode x = go_ts_unparen(ts_node_named_child(right, i));
        found = go_node_is(x, GO_NODE_IDENTIFIER) && ts_node_end_byte(x) - ts_node_start_byte(x) == len &&
                memcmp(f->text + ts_node_start_byte(x), name, len) == 0;
      }
    }
    if (found || !go_ts_cursor_next(&c, true))
      break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

/* Is the root variable of op's mutex expression reassigned in op's function? */
static bool op_root_reassigned(const dl *d, const go_lock_op *op) {
  go_mutex_kind k = mutex_of(d, op->mutex)->kind;
  if (k == GO_MUTEX_VAR || k == GO_MUTEX_LOCAL)
    return false;
  const go_site *fs = func_site(d, op->func);
  const omen_file *f = file_of(d, op->file);
  return !fs || assigned_in(f, go_node_child(fs->node, GO_F_BODY), root_ident(f, op->expr), false);
}

/* Is function lit a func literal that function fi defers (`defer func() { ... }()`)? */
static bool deferred_literal_of(const dl *d, int32_t lit, int32_t fi) {
  const go_site *s = func_site(d, lit);
  if (!s || s->fkind != GO_FUNC_LIT || d->ctx->funcs[lit].parent != fi)
    return false;
  TSNode call = go_ts_parent(s->node);
  return go_node_is(call, GO_NODE_CALL_EXPRESSION) && go_node_is(go_ts_parent(call), GO_NODE_DEFER_STATEMENT);
}

/* Does the body of fn use `x.Unlock` / `x.RUnlock` as a value, or take `&x`, for the mutex expression
 * x of op? The unlock is then someone else's business. */
static bool mutex_escapes(dl *d, TSNode fn, const go_lock_op *op) {
  const omen_file *f = file_of(d, op->file);
  TSNode x = go_ts_unparen(op->expr);
  TSTreeCursor c = ts_tree_cursor_new(fn);
  bool found = false;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(n);
    if (k == GO_NODE_SELECTOR_EXPRESSION) {
      TSNode fld = go_node_child(n, GO_F_FIELD);
      TSNode p = go_ts_parent(n);
      bool called = go_node_is(p, GO_NODE_CALL_EXPRESSION) && ts_node_eq(go_node_child(p, GO_F_FUNCTION), n);
      if (!called && (go_ts_teq(f, fld, "Unlock") || go_ts_teq(f, fld, "RUnlock")) &&
          same_text(d, op->file, go_ts_unparen(go_node_child(n, GO_F_OPERAND)), op->file, x))
        found = true;
    } else if (k == GO_NODE_UNARY_EXPRESSION && go_ts_teq(f, go_node_child(n, GO_F_OPERATOR), "&") &&
               same_text(d, op->file, go_ts_unparen(go_node_child(n, GO_F_OPERAND)), op->file, x)) {
      found = true;
    }
    if (found || !go_ts_cursor_next(&c, true))
      break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

/* Is the mutex of op handed between goroutines: unlocked by a goroutine (or, for a local, by a func
 * literal) other than the function that locks it? `mu.Lock(); go func() { ...; mu.Unlock() }();
 * mu.Lock()` waits for that goroutine on purpose. */
static bool handed_off(dl *d, const go_lock_op *op, int32_t fi) {
  bool local = mutex_of(d, op->mutex)->kind == GO_MUTEX_LOCAL;
  const go_site *fs = func_site(d, fi);
  if (fs && mutex_escapes(d, fs->node, op))
    return true; /* `unlock := unlockOnce(&s.mu)`, `f.OnDone = mu.Unlock` */
  for (size_t i = 0; i < d->lk->nops; i++) {
    const go_lock_op *u = &d->lk->ops[i];
    if (u->mutex != op->mutex || (u->kind != GO_LOCK_UNLOCK && u->kind != GO_LOCK_RUNLOCK) || u->func == fi ||
        deferred_literal_of(d, u->func, fi))
      continue;
    if (local || (u->func >= 0 && (d->ctx->funcs[u->func].flags & GO_CTX_GOROUTINE) &&
                  summary_releases(go_locks_summary(d->lk, u->func), op->mutex)))
      return true;
  }
  return false;
}

/* Do all the acquisitions of op's mutex in function fi that reach op (in the CFG) lock the same
 * instance as op? The lock set names one acquisition; a loop may bring others. */
static bool single_instance_at(dl *d, int32_t fi, const go_cfg_fn *cfg, const go_lock_op *op) {
  const go_lock_summary *s = go_locks_summary(d->lk, fi);
  go_cfg_pos to, from;
  if (!s || !go_cfg_find(cfg, op->call, &to))
    return false;
  go_cfg_query q = {0};
  for (size_t i = 0; i < s->nops; i++) {
    const go_lock_op *u = &s->ops[i];
    if (u == op || u->mutex != op->mutex || !go_lock_kind_acquires(u->kind) || same_instance(d, u, op))
      continue;
    if (go_cfg_find(cfg, u->call, &from) && go_cfg_reaches(cfg, from, to, &q))
      return false;
  }
  return true;
}

/* ---------- witness chains ---------- */

/* Splits a Go identifier into lower-case camel-case words and tells whether one of them says the
 * function hands a lock over: lock, locked, rlock, acquire, hold... */
static bool lockish_name(const char *name) {
  static const char *const words[] = {"lock",     "locked", "locking", "rlock", "acquire",
                                      "acquired", "hold",   "holding", "grab",  NULL};
  char w[64];
  size_t n = 0;
  for (const char *p = name;; p++) {
    char c = *p;
    bool upper = c >= 'A' && c <= 'Z';
    bool alpha = (c >= 'a' && c <= 'z') || upper;
    if (!alpha || (upper && n > 0 && !(p[-1] >= 'A' && p[-1] <= 'Z'))) {
      w[n] = '\0';
      for (size_t i = 0; n > 0 && words[i]; i++)
        if (strcmp(w, words[i]) == 0)
          return true;
      n = 0;
    }
    if (!c)
      break;
    if (alpha && n + 1 < sizeof w)
      w[n++] = (char)(upper ? c - 'A' + 'a' : c);
  }
  return false;
}

static bool has_word(const omen_file *f, uint32_t s, uint32_t e, const char *const *words) {
  for (size_t w = 0; words[w]; w++) {
    size_t len = strlen(words[w]);
    for (uint32_t k = s; k + len <= e; k++)
      if (strncasecmp(f->text + k, words[w], len) == 0)
        return true;
  }
  return false;
}

/* Does condition cond mention a variable whose name says it is about locking (`if lockGetProp {`,
 * `if !s.locked {`)? Code under it locks or not depending on what its caller holds. */
static bool lock_flag_cond(const omen_file *f, TSNode cond) {
  TSTreeCursor c = ts_tree_cursor_new(cond);
  bool found = false;
  char name[64];
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    if (go_node_is(n, GO_NODE_IDENTIFIER) || go_node_is(n, GO_NODE_FIELD_IDENTIFIER)) {
      uint32_t len = ts_node_end_byte(n) - ts_node_start_byte(n);
      if (len < sizeof name) {
        memcpy(name, f->text + ts_node_start_byte(n), len);
        name[len] = '\0';
        found = lockish_name(name);
      }
    }
    if (found || !go_ts_cursor_next(&c, true))
      break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

/* Is n (in function node fn) under an if whose condition is a lock flag? */
static bool under_lock_flag(const omen_file *f, TSNode n, TSNode fn) {
  TSNode child = n;
  for (TSNode p = go_ts_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = go_ts_parent(p)) {
    if (go_node_is(p, GO_NODE_IF_STATEMENT) && !ts_node_eq(go_node_child(p, GO_F_CONDITION), child) &&
        lock_flag_cond(f, go_node_child(p, GO_F_CONDITION)))
      return true;
    child = p;
  }
  return false;
}

/* Does function fi unlock mutex m before it locks it (`t.mu.Unlock(); read(); t.mu.Lock()` in a function
 * that expects the caller to hold it)? */
static bool drops_first(const dl *d, int32_t fi, uint32_t m) {
  const go_lock_summary *s = go_locks_summary(d->lk, fi);
  if (summary_releases(s, m))
    return true;
  for (size_t i = 0; s && i < s->nops; i++)
    if (s->ops[i].mutex == m)
      return !go_lock_kind_acquires(s->ops[i].kind);
  return false;
}

/* Is the value whose method is called (or whose mutex is locked) at call a new object made in this
 * function: `x := &T{...}`, `x := T{...}`, `x := new(T)`? No other goroutine can hold its mutex yet. */
static bool fresh_receiver(const dl *d, uint32_t file, TSNode call) {
  const omen_file *f = file_of(d, file);
  TSNode fn = go_ts_unparen(go_node_child(call, GO_F_FUNCTION));
  if (!go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION))
    return false;
  TSNode id = root_ident(f, go_node_child(fn, GO_F_OPERAND));
  go_binding b;
  if (ts_node_is_null(id) || go_types_lookup_ident(d->ty, file, id, &b) != GO_BIND_LOCAL)
    return false;
  bool svd = go_node_is(b.decl, GO_NODE_SHORT_VAR_DECLARATION);
  if (!svd && !go_node_is(b.decl, GO_NODE_VAR_SPEC))
    return false;
  TSNode left = svd ? go_node_child(b.decl, GO_F_LEFT) : b.decl;
  TSNode right = go_node_child(b.decl, svd ? GO_F_RIGHT : GO_F_VALUE);
  uint32_t idx = 0, n = go_ts_nnamed(left);
  for (uint32_t i = 0, k = 0; i < n; i++) {
    TSNode x = ts_node_named_child(left, i);
    if (!go_node_is(x, GO_NODE_IDENTIFIER))
      continue;
    if (ts_node_eq(x, b.name))
      idx = k;
    k++;
  }
  TSNode v = go_ts_unparen(go_ts_nth(right, idx));
  if (go_node_is(v, GO_NODE_UNARY_EXPRESSION) && go_ts_teq(f, go_node_child(v, GO_F_OPERATOR), "&"))
    v = go_ts_unparen(go_node_child(v, GO_F_OPERAND));
  if (go_node_is(v, GO_NODE_COMPOSITE_LITERAL))
    return true;
  go_binding nb;
  return go_node_is(v, GO_NODE_CALL_EXPRESSION) && go_ts_teq(f, go_node_child(v, GO_F_FUNCTION), "new") &&
         go_types_lookup(d->ty, file, v, "new", &nb) == GO_BIND_UNIVERSE;
}

/* The receiver expression of a method call: x of `x.m()`; null otherwise. */
static TSNode call_recv(TSNode call) {
  TSNode fn = go_ts_unparen(go_node_child(call, GO_F_FUNCTION));
  return go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) ? go_node_child(fn, GO_F_OPERAND) : go_ts_null();
}

/* Is x (in function fi) the identifier of fi's receiver? */
static bool is_receiver(const dl *d, int32_t fi, uint32_t file, TSNode x) {
  const go_site *fs = func_site(d, fi);
  go_binding b;
  x = go_ts_unparen(x);
  return fs && fs->fkind == GO_FUNC_METHOD && go_node_is(x, GO_NODE_IDENTIFIER) &&
         go_types_lookup_ident(d->ty, file, x, &b) == GO_BIND_LOCAL &&
         contains(go_node_child(fs->node, GO_F_RECEIVER), b.decl);
}

/* Functions from a call to the Lock it leads to that findings trust: deeper chains more often depend on
 * arguments (`if key == nil { lock }`). The other side of a blocking operation needs no instance. */
enum { MAX_CALL_DEPTH = 2, MAX_OTHER_DEPTH = 3 };

/* The Lock at the end of the witness chain of a, an acquires entry of function fi: NULL when the chain
 * breaks, is longer than MAX_CALL_DEPTH functions, ends in a TryLock or a deferred Lock, goes through a
 * function that unlocks the mutex before it locks it, or through a call or Lock under a lock flag. */
static const go_lock_op *chain_op(dl *d, int32_t fi, const go_lock_acq *a, int max_depth, bool on_recv) {
  for (int depth = 1; a && depth <= max_depth; depth++) {
    const go_site *fs = func_site(d, fi);
    if (!fs || drops_first(d, fi, a->mutex) || under_lock_flag(file_of(d, a->file), a->site, fs->node) ||
        (go_node_is(a->site, GO_NODE_CALL_EXPRESSION) && fresh_receiver(d, a->file, a->site)))
      return NULL;
    if (on_recv) {
      /* every step acts on the receiver itself: `s.flush()`, then `s.mu.Lock()` */
      const go_lock_op *op = a->callee < 0 ? go_locks_op_at(d->lk, a->file, a->site) : NULL;
      TSNode x = a->callee < 0 ? (op ? op_base(d, op) : go_ts_null()) : go_ts_unparen(call_recv(a->site));
      if (!is_receiver(d, fi, a->file, x))
        return NULL;
    }
    if (a->callee < 0) {
      const go_lock_op *op = go_locks_op_at(d->lk, a->file, a->site);
      return op && blocking_acquire(op) ? op : NULL;
    }
    fi = a->callee;
    a = go_locks_acquires(d->lk, fi, a->mutex, a->mode);
  }
  return NULL;
}

/* ---------- deadlock/double-lock ---------- */

/* The held entry of mutex m (the write entry when both modes are held); NULL if m is not held. */
static const go_lock_held *held_entry(const go_lock_held *h, size_t n, uint32_t m) {
  const go_lock_held *best = NULL;
  for (size_t i = 0; i < n; i++)
    if (h[i].mutex == m && (!best || is_write(h[i].mode)))
      best = &h[i];
  return best;
}

/* The message tail for acquiring in mode `want` while holding in mode `have`. */
static const char *double_consequence(go_lock_mode have, go_lock_mode want) {
  if (is_write(have))
    return "the goroutine blocks on itself forever";
  if (is_write(want))
    return "Lock waits for every reader, this one included, forever";
  return "if a writer calls Lock in between, both block forever";
}

static void report_double(dl *d, const go_lock_op *op, const go_lock_held *h, const go_lock_op *hop) {
  const char *name = op_label(d, op);
  uint32_t line = line_of(d, h->file, h->acquire);
  go_lock_mode want = go_lock_kind_mode(op->kind);
  const char *msg;
  if (is_write(h->mode) && is_write(want))
    msg = omen_arena_printf(d->ar, "%s is locked again while already held (locked on line %u): %s", name,
                            line, double_consequence(h->mode, want));
  else if (is_write(h->mode))
    msg = omen_arena_printf(
        d->ar, "%s is read-locked while this goroutine holds its write lock (locked on line %u): %s", name,
        line, double_consequence(h->mode, want));
  else if (is_write(want))
    msg = omen_arena_printf(d->ar, "%s is locked while this goroutine holds a read lock on it (line %u): %s",
                            name, line, double_consequence(h->mode, want));
  else
    msg = omen_arena_printf(
        d->ar, "%s is read-locked again while this goroutine already read-locks it (line %u): %s", name, line,
        double_consequence(h->mode, want));
  omen_diag *dg =
      report(d, &rule_double, op->file, ts_node_start_byte(op->call), ts_node_end_byte(op->call), msg);
  if (dg && !is_write(h->mode) && !is_write(want) && dg->confidence > OMEN_CONF_MEDIUM)
    dg->confidence = OMEN_CONF_MEDIUM; /* needs a writer in between */
  related(d, dg, h->file, h->acquire,
          omen_arena_printf(d->ar, "%s is first locked here", hop ? op_label(d, hop) : name));
}

/* A Lock of a mutex this goroutine holds on every path to it. */
static void check_double_direct(dl *d, int32_t fi, const go_cfg_fn *cfg, const go_lock_op *op,
                                const go_lock_held *h, size_t n) {
  const go_lock_held *e = held_entry(h, n, op->mutex);
  if (!e)
    return;
  const go_lock_op *hop = go_locks_op_at(d->lk, e->file, e->acquire);
  go_mutex_kind k = mutex_of(d, op->mutex)->kind;
  if (k != GO_MUTEX_VAR && k != GO_MUTEX_LOCAL &&
      (hop == op || !same_instance(d, hop, op) || op_root_reassigned(d, op) ||
       !single_instance_at(d, fi, cfg, op)))
    return;
  if (handed_off(d, op, fi))
    return;
  report_double(d, op, e, hop);
}

/* The innermost for statement around n inside function body fn; null if none. */
static TSNode loop_of(TSNode n, TSNode fn) {
  for (TSNode p = go_ts_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = go_ts_parent(p)) {
    go_node k = go_node_kind(p);
    if (k == GO_NODE_FOR_STATEMENT)
      return p;
    if (k == GO_NODE_FUNC_LITERAL)
      break;
  }
  return go_ts_null();
}

/* Is the call the call of a defer statement? */
static bool runs_deferred_call(TSNode call) {
  return go_node_is(go_ts_parent(call), GO_NODE_DEFER_STATEMENT);
}

/* Fills covers with the CFG nodes of function fi that release what op acquired: an Unlock of the same
 * instance (also inside func literals of the function), or a call of an unlock helper of the package.
 * Deferred unlocks cover too, unless loop is not null: then they release nothing before the function
 * returns, and *deferred_in_loop tells whether one is inside loop. Returns how many Unlock calls count. */
static size_t collect_releases(dl *d, int32_t fi, const go_cfg_fn *cfg, const go_lock_op *op,
                               go_cfg_nodeset *c, TSNode loop, bool *deferred_in_loop) {
  go_lock_mode mode = go_lock_kind_mode(op->kind);
  TSNode fn = func_site(d, fi)->node;
  size_t nrel = 0;
  size_t ob, oe;
  ops_of(d, fi, &ob, &oe);
  for (size_t i = ob; i < oe; i++) {
    const go_lock_op *u = &d->lk->ops[i];
    if (u->file != op->file || !releases(u, op->mutex, mode) || !contains(fn, u->call) ||
        !same_instance(d, u, op))
      continue;
    if (!ts_node_is_null(loop) && u->deferred) {
      if (contains(loop, u->call))
        *deferred_in_loop = true;
      continue;
    }
    if (u->func == fi || deferred_literal_of(d, u->func, fi))
      nrel++; /* unlocks in other literals (handlers, callbacks) do not show the function unlocks it */
    go_cfg_nodeset_add(c, cfg, u->call);
  }
  const go_ctx_func *cf = &d->ctx->funcs[fi];
  for (uint32_t k = 0; k < cf->nout; k++) {
    const go_ctx_edge *e = &d->ctx->edges[cf->out + k];
    const go_lock_summary *s = e->kind == GO_EDGE_CALL ? go_locks_summary(d->lk, (int32_t)e->callee) : NULL;
    for (size_t r = 0; s && r < s->nreleases; r++)
      if (s->releases[r].mutex == op->mutex && s->releases[r].mode == mode &&
          (ts_node_is_null(loop) || !runs_deferred_call(e->site)))
        go_cfg_nodeset_add(c, cfg, e->site);
  }
  return nrel;
}

/* A Lock in a loop that a path from it reaches again without an Unlock: the next iteration locks a
 * mutex this goroutine still holds. Returns true when reported. */
static bool check_double_loop(dl *d, int32_t fi, const go_cfg_fn *cfg, const go_lock_op *op) {
  TSNode fn = func_site(d, fi)->node;
  TSNode loop = loop_of(op->call, fn);
  go_cfg_pos at;
  if (ts_node_is_null(loop) || !go_cfg_find(cfg, op->call, &at))
    return false;
  if (!go_locks_is_held(d->lk, op->file, op->call, op->mutex, go_lock_kind_mode(op->kind), GO_LOCKS_MAY,
                        NULL))
    return false;
  const omen_file *f = file_of(d, op->file);
  if (assigned_in(f, loop, root_ident(f, op->expr), true) || op_root_reassigned(d, op) ||
      handed_off(d, op, fi))
    return false; /* another instance each iteration, or unlocked by another goroutine */
  go_cfg_nodeset *c = omen_arena_alloc(d->ar, sizeof *c);
  if (!c)
    return false;
  c->n = 0;
  c->overflow = false;
  bool deferred = false;
  collect_releases(d, fi, cfg, op, c, loop, &deferred);
  go_cfg_query q = {.node = go_cfg_nodeset_has, .ctx = c};
  if (c->overflow || !go_cfg_reaches(cfg, at, at, &q))
    return false;
  /* a witness: a continue of this loop that a path from the Lock reaches holding it */
  TSNode through = go_ts_null();
  TSTreeCursor cur = ts_tree_cursor_new(loop);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    go_node k = go_node_kind(n);
    bool descend = k != GO_NODE_FUNC_LITERAL;
    go_cfg_pos p;
    if (k == GO_NODE_CONTINUE_STATEMENT && ts_node_start_byte(n) > ts_node_start_byte(op->call) &&
        ts_node_eq(loop_of(n, fn), loop) && go_cfg_find(cfg, n, &p) && go_cfg_reaches(cfg, at, p, &q)) {
      through = n;
      break;
    }
    if (!go_ts_cursor_next(&cur, descend))
      break;
  }
  ts_tree_cursor_delete(&cur);
  const char *name = op_label(d, op);
  const char *why = !ts_node_is_null(through)
                        ? omen_arena_printf(d->ar, "the path through line %u skips the Unlock",
                                            line_of(d, op->file, through))
                    : deferred ? "its Unlock is deferred until the function returns"
                               : "a path back to this Lock skips the Unlock";
  omen_diag *dg = report(
      d, &rule_double, op->file, ts_node_start_byte(op->call), ts_node_end_byte(op->call),
      omen_arena_printf(d->ar,
                        "%s is locked again in the next iteration while still held: %s, so the goroutine "
                        "blocks on itself forever",
                        name, why));
  related(d, dg, op->file, through, "continues holding the lock");
  return true;
}

/* A call (edge e, callee summary s, h: what is held before it) of a package function that locks a mutex
 * the caller holds on every path to the call: the same package variable, or a mutex of the callee's
 * receiver when the call's receiver is the value whose mutex is held. */
static void check_double_call(dl *d, int32_t fi, const go_ctx_edge *e, const go_lock_summary *s,
                              const go_lock_held *h, size_t n) {
  {
    TSNode callee = go_ts_unparen(go_node_child(e->site, GO_F_FUNCTION));
    TSNode recv = go_node_is(callee, GO_NODE_SELECTOR_EXPRESSION)
                      ? go_ts_unparen(go_node_child(callee, GO_F_OPERAND))
                      : go_ts_null();
    for (size_t a = 0; a < s->nacquires; a++) {
      const go_lock_acq *acq = &s->acquires[a];
      const go_lock_held *he = held_entry(h, n, acq->mutex);
      if (!he)
        continue;
      const go_lock_op *hop = go_locks_op_at(d->lk, he->file, he->acquire);
      go_mutex_kind mk = mutex_of(d, acq->mutex)->kind;
      if (mk == GO_MUTEX_LOCAL)
        continue;
      if (mk != GO_MUTEX_VAR && (!acq->on_recv || !hop || ts_node_is_null(recv) ||
                                 !same_text(d, hop->file, op_base(d, hop), e->file, recv)))
        continue;
      const go_lock_op *dop = chain_op(d, (int32_t)e->callee, acq, MAX_CALL_DEPTH, mk != GO_MUTEX_VAR);
      if (!dop || (mk != GO_MUTEX_VAR && (op_root_reassigned(d, dop) || op_root_reassigned(d, hop))) ||
          (hop && handed_off(d, hop, fi)))
        continue; /* TryLock never waits; a callee that unlocks first does not either */
      const char *who = text_of(d, e->file, callee);
      const char *name = hop ? op_label(d, hop) : mutex_label(d, acq->mutex);
      uint32_t line = line_of(d, he->file, he->acquire);
      const char *msg;
      if (is_write(he->mode))
        msg = omen_arena_printf(d->ar, "%s %s %s, which is already held here (locked on line %u): %s", who,
                                is_write(acq->mode) ? "locks" : "read-locks", name, line,
                                double_consequence(he->mode, acq->mode));
      else if (is_write(acq->mode))
        msg =
            omen_arena_printf(d->ar, "%s locks %s while this goroutine holds a read lock on it (line %u): %s",
                              who, name, line, double_consequence(he->mode, acq->mode));
      else
        msg = omen_arena_printf(d->ar,
                                "%s read-locks %s, which this goroutine already read-locks (line %u): %s",
                                who, name, line, double_consequence(he->mode, acq->mode));
      omen_diag *dg =
          report(d, &rule_double, e->file, ts_node_start_byte(e->site), ts_node_end_byte(e->site), msg);
      if (dg && !is_write(he->mode) && !is_write(acq->mode) && dg->confidence > OMEN_CONF_MEDIUM)
        dg->confidence = OMEN_CONF_MEDIUM;
      related(d, dg, he->file, he->acquire, omen_arena_printf(d->ar, "%s is first locked here", name));
      related(d, dg, dop->file, dop->call,
              omen_arena_printf(d->ar, "%s locks it again here", func_label(d, dop->func)));
      break; /* one finding per call */
    }
  }
}

/* ---------- deadlock/return-without-unlock ---------- */

/* The state of one acquisition's path search. */
typedef struct ret_query {
  go_cfg_nodeset covers;
  const omen_file *f;
  TSNode guards[MAX_GUARDS]; /* conditions of the ifs around the Lock */
  bool senses[MAX_GUARDS];   /* the branch the Lock is on */
  size_t nguards;
  TSNode try_cond; /* TryLock: the condition it is in, and the call */
  TSNode try_call;
} ret_query;

static bool ret_node_cb(void *ctx, TSNode node, uint8_t *state) {
  ret_query *q = ctx;
  return go_cfg_nodeset_has(&q->covers, node, state);
}

typedef enum implied { IMP_UNKNOWN = 0, IMP_TRUE, IMP_FALSE } implied;

/* What cond evaluating to sense says about the value of call (a boolean call inside cond). */
static implied implies(const omen_file *f, TSNode cond, TSNode call, bool sense, int depth) {
  cond = go_ts_unparen(cond);
  if (depth > 32 || ts_node_is_null(cond))
    return IMP_UNKNOWN;
  if (ts_node_eq(cond, call))
    return sense ? IMP_TRUE : IMP_FALSE;
  if (go_node_is(cond, GO_NODE_UNARY_EXPRESSION) && go_ts_teq(f, go_node_child(cond, GO_F_OPERATOR), "!"))
    return implies(f, go_node_child(cond, GO_F_OPERAND), call, !sense, depth + 1);
  if (go_node_is(cond, GO_NODE_BINARY_EXPRESSION)) {
    TSNode op = go_node_child(cond, GO_F_OPERATOR);
    bool and = go_ts_teq(f, op, "&&"), or = go_ts_teq(f, op, "||");
    if ((and&&sense) || (or &&!sense)) {
      implied l = implies(f, go_node_child(cond, GO_F_LEFT), call, sense, depth + 1);
      return l != IMP_UNKNOWN ? l : implies(f, go_node_child(cond, GO_F_RIGHT), call, sense, depth + 1);
    }
  }
  return IMP_UNKNOWN;
}

static bool ret_edge_cb(void *ctx, TSNode cond, bool sense, uint8_t state) {
  (void)state;
  ret_query *q = ctx;
  if (!ts_node_is_null(q->try_cond) && ts_node_eq(cond, q->try_cond) &&
      implies(q->f, cond, q->try_call, sense, 0) == IMP_FALSE)
    return false; /* TryLock failed: nothing is held on this edge */
  for (size_t i = 0; i < q->nguards; i++) {
    TSNode g = q->guards[i];
    uint32_t len = ts_node_end_byte(g) - ts_node_start_byte(g);
    if (sense != q->senses[i] && ts_node_end_byte(cond) - ts_node_start_byte(cond) == len &&
        memcmp(q->f->text + ts_node_start_byte(cond), q->f->text + ts_node_start_byte(g), len) == 0)
      return false; /* `if locked { mu.Lock() } ... if locked { mu.Unlock() }`: the same test again */
  }
  return true;
}

/* The conditions of the if statements around n (up to fn), with the branch n is on. */
static void collect_guards(ret_query *q, TSNode n, TSNode fn) {
  TSNode child = n;
  for (TSNode p = go_ts_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = go_ts_parent(p)) {
    if (go_node_is(p, GO_NODE_FUNC_LITERAL))
      break;
    if (go_node_is(p, GO_NODE_IF_STATEMENT) && q->nguards < MAX_GUARDS) {
      TSNode cond = go_node_child(p, GO_F_CONDITION);
      if (ts_node_eq(go_node_child(p, GO_F_CONSEQUENCE), child)) {
        q->guards[q->nguards] = cond;
        q->senses[q->nguards++] = true;
      } else if (ts_node_eq(go_node_child(p, GO_F_ALTERNATIVE), child)) {
        q->guards[q->nguards] = cond;
        q->senses[q->nguards++] = false;
      }
    }
    child = p;
  }
}

/* Does the doc comment of the function declaration fn say it returns with the lock held: a mention of
 * its caller or its return together with a held lock or an unlock ("returns with mu held", "the caller
 * must unlock")? */
static bool doc_says_held(const omen_file *f, TSNode fn) {
  static const char *const who[] = {"caller", "return", NULL};
  static const char *const what[] = {"held", "holding", "unlock", "locked", NULL};
  TSNode c = ts_node_prev_named_sibling(fn);
  uint32_t end = ts_node_start_byte(fn), start = end;
  for (int i = 0; i < 32 && go_node_is(c, GO_NODE_COMMENT); i++) {
    bool adjacent = true; /* only blank space between the comment and what follows it */
    for (uint32_t k = ts_node_end_byte(c); k < start && adjacent; k++)
      adjacent = f->text[k] == ' ' || f->text[k] == '\t' || f->text[k] == '\n' || f->text[k] == '\r';
    if (!adjacent)
      break;
    start = ts_node_start_byte(c);
    c = ts_node_prev_named_sibling(c);
  }
  return start < end && has_word(f, start, end, who) && has_word(f, start, end, what);
}

/* Do the callers of function fi in the package unlock mutex m after calling it (or anywhere, deferred)? */
static bool callers_unlock(dl *d, int32_t fi, uint32_t m, go_lock_mode mode) {
  const go_ctx_func *cf = &d->ctx->funcs[fi];
  for (uint32_t k = 0; k < cf->nin; k++) {
    const go_ctx_edge *e = &d->ctx->edges[d->ctx->in_edges[cf->in + k]];
    if (e->kind != GO_EDGE_CALL)
      continue;
    const go_lock_summary *s = go_locks_summary(d->lk, (int32_t)e->caller);
    /* an Unlock after the call with no Lock of its own in between (or a deferred one) */
    uint32_t after = ts_node_start_byte(e->site);
    for (size_t i = 0; s && i < s->nops; i++) {
      const go_lock_op *u = &s->ops[i];
      if (u->mutex == m && go_lock_kind_acquires(u->kind) && ts_node_start_byte(u->call) > after)
        break;
      if (releases(u, m, mode) && (u->deferred || ts_node_start_byte(u->call) > after))
        return true;
    }
  }
  return false;
}

/* Can expression e be evaluated after the unlock without reading what the lock guards? Literals,
 * locals, package-level errors, other packages' names, and calls of other packages' functions on such. */
static bool unguarded_expr(dl *d, uint32_t file, TSNode e, int depth) {
  e = go_ts_unparen(e);
  if (depth > 16 || ts_node_is_null(e))
    return false;
  switch (go_node_kind(e)) {
  case GO_NODE_INT_LITERAL:
  case GO_NODE_FLOAT_LITERAL:
  case GO_NODE_IMAGINARY_LITERAL:
  case GO_NODE_RUNE_LITERAL:
  case GO_NODE_INTERPRETED_STRING_LITERAL:
  case GO_NODE_RAW_STRING_LITERAL:
  case GO_NODE_NIL:
  case GO_NODE_TRUE:
  case GO_NODE_FALSE:
  case GO_NODE_IOTA:
    return true;
  case GO_NODE_IDENTIFIER: {
    go_binding b;
    switch (go_types_lookup_ident(d->ty, file, e, &b)) {
    case GO_BIND_LOCAL:
    case GO_BIND_UNIVERSE:
      return true;
    case GO_BIND_PACKAGE: {
      const char *name = b.pkg ? b.pkg->name : "";
      return b.pkg &&
             (b.pkg->kind == GO_DECL_CONST || strncmp(name, "err", 3) == 0 || strncmp(name, "Err", 3) == 0);
    }
    default:
      return false;
    }
  }
  case GO_NODE_SELECTOR_EXPRESSION:
    return go_types_qualified(d->ty, file, e, NULL, NULL);
  case GO_NODE_UNARY_EXPRESSION:
    return !go_ts_teq(file_of(d, file), go_node_child(e, GO_F_OPERATOR), "<-") &&
           unguarded_expr(d, file, go_node_child(e, GO_F_OPERAND), depth + 1);
  case GO_NODE_BINARY_EXPRESSION:
    return unguarded_expr(d, file, go_node_child(e, GO_F_LEFT), depth + 1) &&
           unguarded_expr(d, file, go_node_child(e, GO_F_RIGHT), depth + 1);
  case GO_NODE_CALL_EXPRESSION: {
    if (!go_types_qualified(d->ty, file, go_node_child(e, GO_F_FUNCTION), NULL, NULL))
      return false;
    TSNode args = go_node_child(e, GO_F_ARGUMENTS);
    uint32_t n = go_ts_nargs(args);
    for (uint32_t i = 0; i < n; i++)
      if (!unguarded_expr(d, file, go_ts_arg(args, i), depth + 1))
        return false;
    return true;
  }
  default:
    return false;
  }
}

static bool unguarded_return(dl *d, uint32_t file, TSNode ret) {
  uint32_t n = go_ts_nnamed(ret);
  for (uint32_t i = 0; i < n; i++) {
    TSNode list = ts_node_named_child(ret, i);
    if (go_node_is(list, GO_NODE_COMMENT))
      continue;
    if (!go_node_is(list, GO_NODE_EXPRESSION_LIST))
      return unguarded_expr(d, file, list, 0);
    uint32_t k = go_ts_nnamed(list);
    for (uint32_t j = 0; j < k; j++)
      if (!go_node_is(ts_node_named_child(list, j), GO_NODE_COMMENT) &&
          !unguarded_expr(d, file, ts_node_named_child(list, j), 0))
        return false;
  }
  return true;
}

/* Is mutex m held in mode on every path to the exit ex, with no deferred unlock registered? */
static bool must_hold_at_exit(dl *d, int32_t fi, uint32_t file, const go_cfg_exit *ex, uint32_t m,
                              go_lock_mode mode) {
  go_lock_held h[MAX_HELD];
  size_t n = 0;
  bool known = ex->kind == GO_CFG_EXIT_RETURN ? go_locks_held_at(d->lk, file, ex->node, 0, h, MAX_HELD, &n)
                                              : go_locks_held_at_exit(d->lk, fi, 0, h, MAX_HELD, &n);
  if (!known || n > MAX_HELD)
    return false;
  for (size_t i = 0; i < n; i++)
    if (h[i].mutex == m && h[i].mode == mode)
      return !h[i].deferred;
  return false;
}

static const char *unlock_call(dl *d, const go_lock_op *op) {
  return omen_arena_printf(d->ar, "%s.%s()", op_recv_text(d, op),
                           is_write(go_lock_kind_mode(op->kind)) ? "Unlock" : "RUnlock");
}

/* Safe fix: the unlock right before each exit, when each holds the lock on every path and returns
 * nothing the lock guards. */
static void add_unlock_fix(dl *d, omen_diag *dg, int32_t fi, const go_lock_op *op, const go_cfg_exit *ex,
                           size_t n) {
  const omen_file *f = file_of(d, op->file);
  go_fix_edits e;
  e.n = 0;
  const char *call = unlock_call(d, op);
  go_lock_mode mode = go_lock_kind_mode(op->kind);
  for (size_t i = 0; i < n; i++) {
    if (!must_hold_at_exit(d, fi, op->file, &ex[i], op->mutex, mode))
      return;
    if (ex[i].kind == GO_CFG_EXIT_RETURN) {
      uint32_t s = ts_node_start_byte(ex[i].node);
      if (!go_fix_starts_line(f, s) || !unguarded_return(d, op->file, ex[i].node))
        return;
      const char *ind = go_fix_indent_of(d->pass, f, s);
      if (!ind || !go_fix_add(&e, s, s, omen_arena_printf(d->ar, "%s\n%s", call, ind)))
        return;
    } else if (ex[i].kind == GO_CFG_EXIT_END) {
      uint32_t brace = ts_node_end_byte(ex[i].node) - 1;
      if (!go_fix_starts_line(f, brace))
        return;
      const char *ind = go_fix_indent_of(d->pass, f, brace);
      uint32_t ls = go_fix_line_start(f, brace);
      if (!ind || !go_fix_add(&e, ls, ls, omen_arena_printf(d->ar, "%s\t%s\n", ind, call)))
        return;
    } else {
      return;
    }
  }
  go_fix_emit(d->pass, dg, f, OMEN_FIX_SAFE, &e,
              omen_arena_printf(d->ar, "call %s before %s", call, n > 1 ? "these returns" : "returning"));
}

/* The next statement after s in its list, skipping comments; null if s is the last. */
static TSNode next_stmt(TSNode s) {
  TSNode n = ts_node_next_named_sibling(s);
  while (go_node_is(n, GO_NODE_COMMENT))
    n = ts_node_next_named_sibling(n);
  return n;
}

/* Is statement s the last thing its path does in function body `body` before returning: followed by
 * a return, or last in its block and the statement containing that block is itself in tail position? */
static bool tail_position(TSNode s, TSNode body) {
  for (int depth = 0; depth < 64; depth++) {
    TSNode next = next_stmt(s);
    if (go_node_is(next, GO_NODE_RETURN_STATEMENT))
      return true;
    if (!ts_node_is_null(next))
      return false;
    TSNode p = go_ts_parent(s);
    if (ts_node_eq(p, body))
      return true;
    go_node k = go_node_kind(p);
    if (k == GO_NODE_BLOCK) {
      TSNode pp = go_ts_parent(p);
      go_node pk = go_node_kind(pp);
      if (pk == GO_NODE_IF_STATEMENT) {
        while (go_node_is(go_ts_parent(pp), GO_NODE_IF_STATEMENT)) /* else-if chains */
          pp = go_ts_parent(pp);
        s = pp;
      } else if (pk == GO_NODE_BLOCK) {
        s = p;
      } else {
        return false; /* loops, literals */
      }
    } else if (k == GO_NODE_EXPRESSION_CASE || k == GO_NODE_DEFAULT_CASE || k == GO_NODE_TYPE_CASE ||
               k == GO_NODE_COMMUNICATION_CASE) {
      TSNode sw = go_ts_parent(p);
      if (!go_node_is(sw, GO_NODE_EXPRESSION_SWITCH_STATEMENT) &&
          !go_node_is(sw, GO_NODE_TYPE_SWITCH_STATEMENT) && !go_node_is(sw, GO_NODE_SELECT_STATEMENT))
        return false;
      s = sw;
    } else {
      return false;
    }
  }
  return false;
}

/* Unsafe fix: `defer x.Unlock()` right after the Lock, and the explicit unlocks removed, when the
 * function locks that mutex once, outside loops, and every explicit unlock is the last thing its path
 * does. */
static void add_defer_fix(dl *d, omen_diag *dg, int32_t fi, const go_lock_op *op) {
  const go_site *fs = func_site(d, fi);
  TSNode body = go_node_child(fs->node, GO_F_BODY);
  const omen_file *f = file_of(d, op->file);
  TSNode stmt = go_ts_parent(op->call);
  if (!blocking_acquire(op) || !go_node_is(stmt, GO_NODE_EXPRESSION_STATEMENT) ||
      !ts_node_is_null(loop_of(op->call, fs->node)) || !go_fix_starts_line(f, ts_node_start_byte(stmt)) ||
      !go_fix_ends_line(f, ts_node_end_byte(stmt)))
    return;
  go_lock_mode mode = go_lock_kind_mode(op->kind);
  go_fix_edits e;
  e.n = 0;
  const char *ind = go_fix_indent_of(d->pass, f, ts_node_start_byte(stmt));
  const char *call = unlock_call(d, op);
  if (!ind || !go_fix_add(&e, ts_node_end_byte(stmt), ts_node_end_byte(stmt),
                          omen_arena_printf(d->ar, "\n%sdefer %s", ind, call)))
    return;
  size_t ob, oe;
  ops_of(d, fi, &ob, &oe);
  for (size_t i = ob; i < oe; i++) {
    const go_lock_op *u = &d->lk->ops[i];
    if (u->file != op->file || u->mutex != op->mutex || !contains(fs->node, u->call) ||
        !same_instance(d, u, op))
      continue;
    if (u == op)
      continue;
    if (!releases(u, op->mutex, mode) || u->deferred || u->in_go || u->func != fi)
      return; /* another Lock, a deferred or nested unlock: not equivalent */
    TSNode us = go_ts_parent(u->call);
    uint32_t s = ts_node_start_byte(us), end = ts_node_end_byte(us);
    if (!go_node_is(us, GO_NODE_EXPRESSION_STATEMENT) || !go_fix_starts_line(f, s) ||
        !go_fix_ends_line(f, end) || !tail_position(us, body))
      return;
    uint32_t ls = go_fix_line_start(f, s), le = end;
    while (le < f->len && f->text[le] != '\n')
      le++;
    if (le < f->len)
      le++;
    if (!go_fix_add(&e, ls, le, ""))
      return;
  }
  go_fix_emit(d->pass, dg, f, OMEN_FIX_UNSAFE, &e,
              omen_arena_printf(d->ar, "defer %s right after the lock", call));
}

/* Does the name of function fs (or, for a literal, of the variable it is assigned to) say it takes or
 * hands over a lock? */
static bool lockish_func(dl *d, const go_site *fs) {
  if (fs->fkind != GO_FUNC_LIT)
    return lockish_name(fs->text);
  TSNode id = go_fix_assigned_name(fs->node);
  if (go_node_is(id, GO_NODE_SELECTOR_EXPRESSION))
    id = go_node_child(id, GO_F_FIELD);
  return !ts_node_is_null(id) && lockish_name(text_of(d, fs->file, id));
}

/* Does a path from the acquisition at `at` reach one of the function's own unlocks, and does no deferred
 * unlock registered before it (`defer mu.Unlock(); mu.Lock()`) cover it? */
static bool unlocks_after(dl *d, int32_t fi, const go_cfg_fn *cfg, const go_lock_op *op, go_cfg_pos at,
                          const go_cfg_nodeset *covers) {
  go_cfg_query q = {0};
  go_lock_mode mode = go_lock_kind_mode(op->kind);
  TSNode fn = func_site(d, fi)->node;
  size_t ob, oe;
  ops_of(d, fi, &ob, &oe);
  for (size_t i = ob; i < oe; i++) {
    const go_lock_op *u = &d->lk->ops[i];
    go_cfg_pos p;
    if (u->file == op->file && u->deferred && releases(u, op->mutex, mode) && contains(fn, u->call) &&
        same_instance(d, u, op) && go_cfg_find(cfg, u->call, &p) && go_cfg_reaches(cfg, p, at, &q))
      return false;
  }
  for (size_t i = 0; i < covers->n; i++) {
    go_cfg_pos p;
    if (go_cfg_find(cfg, covers->v[i], &p) && go_cfg_reaches(cfg, at, p, &q))
      return true;
  }
  return false;
}

static bool summary_acquires(const go_lock_summary *s, uint32_t m) {
  for (size_t i = 0; s && i < s->nacquires; i++)
    if (s->acquires[i].mutex == m)
      return true;
  return false;
}

/* Does another function of the package unlock mutex m without locking it, when neither it (through a
 * call: a caller of a lock helper) nor, for a literal, its enclosing function locks it either, and fi does
 * not call it (an unlock helper covers fi's own paths)? A transaction's Close releasing the lock its
 * Begin took: the lock outlives fi on purpose. */
static bool released_elsewhere(dl *d, int32_t fi, uint32_t m, go_lock_mode mode) {
  size_t nf = d->ins->nsites[GO_SITE_FUNC];
  const go_ctx_func *cf = &d->ctx->funcs[fi];
  for (size_t g = 0; g < nf; g++) {
    const go_lock_summary *s = go_locks_summary(d->lk, (int32_t)g);
    if ((int32_t)g == fi || !s || s->nreleases == 0 || summary_acquires(s, m))
      continue;
    bool rel = false;
    for (size_t r = 0; r < s->nreleases && !rel; r++)
      rel = s->releases[r].mutex == m && s->releases[r].mode == mode;
    int32_t parent = d->ctx->funcs[g].parent;
    if (!rel || (parent >= 0 && summary_acquires(go_locks_summary(d->lk, parent), m)))
      continue;
    bool called = false;
    for (uint32_t k = 0; k < cf->nout && !called; k++)
      called = d->ctx->edges[cf->out + k].callee == (uint32_t)g;
    if (!called)
      return true;
  }
  return false;
}

/* Reports the returns that a path from the acquisition op reaches without unlocking. */
static void check_return(dl *d, int32_t fi, const go_cfg_fn *cfg, const go_lock_op *op, bool *checked_fn,
                         bool *fn_exempt) {
  if (op->deferred || op->in_go || op->kind == GO_LOCK_UNLOCK || op->kind == GO_LOCK_RUNLOCK)
    return;
  go_cfg_pos at;
  if (!go_cfg_find(cfg, op->call, &at))
    return;
  const go_site *fs = func_site(d, fi);
  const omen_file *f = file_of(d, op->file);
  ret_query *q = omen_arena_alloc(d->ar, sizeof *q);
  if (!q)
    return;
  memset(q, 0, sizeof *q);
  q->f = f;
  if (op->kind == GO_LOCK_TRYLOCK || op->kind == GO_LOCK_TRYRLOCK) {
    const go_cfg_block *b = &cfg->blocks[at.block];
    if (ts_node_is_null(b->cond) || !ts_node_eq(b->cond, go_cfg_node_at(cfg, at)))
      return; /* `ok := mu.TryLock()`: go-locks does not count it either */
    q->try_cond = b->cond;
    q->try_call = op->call;
  }
  if (collect_releases(d, fi, cfg, op, &q->covers, go_ts_null(), NULL) == 0 || q->covers.overflow)
    return; /* never unlocks it here: a lock helper, or the unlock is elsewhere */
  collect_guards(q, op->call, fs->node);
  go_cfg_query query = {.node = ret_node_cb, .edge = ret_edge_cb, .ctx = q};
  go_cfg_exit ex[MAX_EXITS + 1], keep[MAX_EXITS + 1];
  size_t n = go_cfg_exits(cfg, at, &query, ex, MAX_EXITS + 1), nk = 0;
  go_lock_mode mode = go_lock_kind_mode(op->kind);
  for (size_t i = 0; i < n && i < MAX_EXITS + 1; i++) {
    bool known = true, held;
    if (ex[i].kind == GO_CFG_EXIT_RETURN)
      held = go_locks_is_held(d->lk, op->file, ex[i].node, op->mutex, mode, GO_LOCKS_MAY, &known);
    else
      held = true;
    if (!known || held)
      keep[nk++] = ex[i];
  }
  if (nk == 0)
    return;
  if (!*checked_fn) {
    *checked_fn = true;
    *fn_exempt = lockish_func(d, fs) || (fs->fkind != GO_FUNC_LIT && doc_says_held(f, fs->node));
  }
  if (*fn_exempt || mutex_escapes(d, fs->node, op) || op_root_reassigned(d, op) ||
      drops_first(d, fi, op->mutex) || !unlocks_after(d, fi, cfg, op, at, &q->covers) ||
      released_elsewhere(d, fi, op->mutex, mode) || callers_unlock(d, fi, op->mutex, mode))
    return;
  const char *name = op_label(d, op);
  uint32_t line = line_of(d, op->file, op->call);
  const go_cfg_exit *w = &keep[0];
  uint32_t s = ts_node_start_byte(w->node), e = ts_node_end_byte(w->node);
  if (w->kind == GO_CFG_EXIT_END)
    s = e - 1;
  omen_diag *dg = report(
      d, &rule_return, op->file, s, e,
      omen_arena_printf(
          d->ar,
          "%s (%s on line %u) is still held when the function %s: every later Lock of %s blocks forever",
          name, is_write(mode) ? "locked" : "read-locked", line,
          w->kind == GO_CFG_EXIT_END ? "ends here" : "returns here", name));
  related(d, dg, op->file, op->call, omen_arena_printf(d->ar, "%s is locked here", name));
  for (size_t i = 1; i < nk && i < MAX_EXITS; i++) {
    TSNode x = keep[i].node;
    uint32_t xs = keep[i].kind == GO_CFG_EXIT_END ? ts_node_end_byte(x) - 1 : ts_node_start_byte(x);
    omen_diag_add_related(d->pass, dg, f, xs, ts_node_end_byte(x), "also returns holding it here");
  }
  if (nk <= MAX_EXITS)
    add_unlock_fix(d, dg, fi, op, keep, nk);
  add_defer_fix(d, dg, fi, op);
}

/* ---------- deadlock/blocking-under-lock ---------- */

/* Operations on channels, WaitGroups and Conds, by the key of the value they act on. */
typedef enum side_kind {
  SIDE_SEND = 0, /* ch <- v */
  SIDE_RECV,     /* <-ch, and `for range ch` (node: the for statement) */
  SIDE_CLOSE,    /* close(ch) */
  SIDE_DONE,     /* wg.Done() */
  SIDE_SIGNAL,   /* cond.Signal(), cond.Broadcast() */
  SIDE_NEWCOND,  /* c = sync.NewCond(&mu): lock is the mutex key */
  SIDE_MAKE,     /* ch = make(chan T, n): buffered says n is there and not 0 */
  SIDE_ADD,      /* wg.Add(n) */
} side_kind;

struct side {
  side_kind kind;
  const char *key;  /* see value_key */
  const char *lock; /* SIDE_NEWCOND: the mutex key of the Cond's L */
  uint32_t file;
  TSNode node;
  int32_t func;  /* GO_SITE_FUNC index; -1 at top level */
  bool deferred; /* runs when its function returns (in a defer statement or a deferred literal) */
  bool buffered; /* SIDE_MAKE */
  TSNode decl;   /* a local: the statement declaring it (a new value each time it runs) */
};

enum { MAX_SIDES = 1 << 16 };

/* A key for the channel, WaitGroup or Cond expression e: "T.f" for field f of package struct T,
 * "var:name" for a package variable, "local:<file>:<offset>" for a local; NULL when unknown. */
static const char *value_key(dl *d, uint32_t file, TSNode e) {
  d->last_decl = go_ts_null();
  e = go_ts_unparen(e);
  if (go_node_is(e, GO_NODE_UNARY_EXPRESSION) &&
      go_ts_teq(file_of(d, file), go_node_child(e, GO_F_OPERATOR), "&"))
    e = go_ts_unparen(go_node_child(e, GO_F_OPERAND));
  if (go_node_is(e, GO_NODE_SELECTOR_EXPRESSION)) {
    TSNode x = go_node_child(e, GO_F_OPERAND);
    if (go_types_qualified(d->ty, file, e, NULL, NULL))
      return NULL; /* another package's variable */
    const char *t = go_types_deref(go_types_type_of(d->ty, file, x));
    const go_struct *st = t ? go_types_struct(d->ty, t) : NULL;
    const char *fld = text_of(d, file, go_node_child(e, GO_F_FIELD));
    if (!st || !go_types_field(st, fld))
      return NULL;
    return omen_arena_printf(d->ar, "%s.%s", t, fld);
  }
  if (!go_node_is(e, GO_NODE_IDENTIFIER))
    return NULL;
  go_binding b;
  switch (go_types_lookup_ident(d->ty, file, e, &b)) {
  case GO_BIND_PACKAGE:
    return b.pkg && b.pkg->kind == GO_DECL_VAR ? omen_arena_printf(d->ar, "var:%s", b.pkg->name) : NULL;
  case GO_BIND_LOCAL:
    d->last_decl = b.decl;
    return omen_arena_printf(d->ar, "local:%u:%u", file, ts_node_start_byte(b.name));
  default:
    return NULL;
  }
}

/* Is the value of expression e (of file) of the sync type name (or a pointer to it)? */
static bool sync_typed(dl *d, uint32_t file, TSNode e, const char *name) {
  const char *t = go_types_type_of(d->ty, file, e);
  return t && go_types_is_named(t, "sync", name, NULL);
}

/* Does n run when its function returns: inside a defer statement, or in a literal that is deferred? */
static bool runs_deferred(TSNode n) {
  for (TSNode p = go_ts_parent(n); !ts_node_is_null(p); p = go_ts_parent(p)) {
    go_node k = go_node_kind(p);
    if (k == GO_NODE_DEFER_STATEMENT)
      return true;
    if (k == GO_NODE_FUNCTION_DECLARATION || k == GO_NODE_METHOD_DECLARATION)
      return false;
    if (k == GO_NODE_FUNC_LITERAL) {
      TSNode call = go_ts_parent(p);
      return go_node_is(call, GO_NODE_CALL_EXPRESSION) && ts_node_eq(go_node_child(call, GO_F_FUNCTION), p) &&
             go_node_is(go_ts_parent(call), GO_NODE_DEFER_STATEMENT);
    }
  }
  return false;
}

static void side_add(dl *d, side_kind kind, const char *key, uint32_t file, TSNode node, int32_t func) {
  if (!key || d->nsides == MAX_SIDES)
    return;
  void *v = d->sides;
  if (!arena_reserve(d->ar, &v, d->nsides, &d->capsides, sizeof *d->sides, 16))
    return;
  d->sides = v;
  d->sides[d->nsides++] = (side){kind, key, NULL, file, node, func, runs_deferred(node), false, d->last_decl};
}

/* The key of the variable or field the value of call is stored in: `c.cond = sync.NewCond(...)`,
 * `ch := make(chan T)`, or `T{cond: sync.NewCond(...)}`. */
static const char *stored_in(dl *d, uint32_t file, TSNode call) {
  TSNode id = go_fix_assigned_name(call);
  if (!ts_node_is_null(id))
    return value_key(d, file, id);
  TSNode p = go_ts_parent(call);
  if (go_node_is(p, GO_NODE_LITERAL_ELEMENT))
    p = go_ts_parent(p);
  if (!go_node_is(p, GO_NODE_KEYED_ELEMENT))
    return NULL;
  TSNode key = go_node_child(p, GO_F_KEY);
  if (go_node_is(key, GO_NODE_LITERAL_ELEMENT))
    key = go_ts_nth(key, 0);
  TSNode lit = go_ts_parent(go_ts_parent(p)); /* keyed_element -> literal_value -> composite_literal */
  if (!go_node_is(lit, GO_NODE_COMPOSITE_LITERAL) ||
      !(go_node_is(key, GO_NODE_FIELD_IDENTIFIER) || go_node_is(key, GO_NODE_IDENTIFIER)))
    return NULL;
  const char *t = go_types_canonical(d->ty, file, go_node_child(lit, GO_F_TYPE));
  const go_struct *st = t ? go_types_struct(d->ty, t) : NULL;
  const char *fld = text_of(d, file, key);
  return st && go_types_field(st, fld) ? omen_arena_printf(d->ar, "%s.%s", t, fld) : NULL;
}

/* The last name of a value expression: ch of `s.ch`, `ch`, `&s.wg`; null node if none. */
static TSNode last_name(TSNode e) {
  e = go_ts_unparen(e);
  if (go_node_is(e, GO_NODE_UNARY_EXPRESSION))
    e = go_ts_unparen(go_node_child(e, GO_F_OPERAND));
  if (go_node_is(e, GO_NODE_SELECTOR_EXPRESSION))
    return go_node_child(e, GO_F_FIELD);
  return go_node_is(e, GO_NODE_IDENTIFIER) ? e : go_ts_null();
}

/* A site that may be the other side of a blocking operation, before go-types is asked anything: its
 * kind, node, the value expression (for SIDE_MAKE and SIDE_NEWCOND the call) and the last name of the
 * value. */
struct raw_side {
  side_kind kind;
  uint32_t file;
  TSNode node, expr;
  int32_t func;
  const char *name; /* points into the file text, len bytes */
  uint32_t len;
};
typedef struct raw_side raw_side;

static int cmp_raw(const void *a, const void *b) {
  const raw_side *x = a, *y = b;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return memcmp(x->name, y->name, x->len);
}

static void raw_add(dl *d, side_kind kind, uint32_t file, TSNode node, TSNode expr, TSNode name,
                    int32_t func) {
  if (ts_node_is_null(name) || d->nraw == MAX_SIDES)
    return;
  void *v = d->raw;
  if (!arena_reserve(d->ar, &v, d->nraw, &d->capraw, sizeof *d->raw, 64))
    return;
  d->raw = v;
  const omen_file *f = file_of(d, file);
  d->raw[d->nraw++] = (raw_side){kind,
                                 file,
                                 node,
                                 expr,
                                 func,
                                 f->text + ts_node_start_byte(name),
                                 ts_node_end_byte(name) - ts_node_start_byte(name)};
}

/* The name a made value is stored under: the variable, field or literal key `make(...)` is assigned to. */
static TSNode stored_name(TSNode call) {
  TSNode id = go_fix_assigned_name(call);
  if (!ts_node_is_null(id))
    return last_name(id);
  TSNode p = go_ts_parent(call);
  if (go_node_is(p, GO_NODE_LITERAL_ELEMENT))
    p = go_ts_parent(p);
  TSNode key = go_node_child(p, GO_F_KEY);
  if (go_node_is(key, GO_NODE_LITERAL_ELEMENT))
    key = go_ts_nth(key, 0);
  return go_node_is(p, GO_NODE_KEYED_ELEMENT) ? key : go_ts_null();
}

/* Indexes the unit's channel, WaitGroup and Cond operations by the last name of their value, once. */
static void index_sides(dl *d) {
  d->raw_built = true;
  const go_inspect *ins = d->ins;
  for (size_t i = 0; i < ins->nsites[GO_SITE_SEND]; i++) {
    const go_site *s = &ins->sites[GO_SITE_SEND][i];
    raw_add(d, SIDE_SEND, s->file, s->node, s->sub, last_name(s->sub), s->func_index);
  }
  for (size_t i = 0; i < ins->nsites[GO_SITE_RECV]; i++) {
    const go_site *s = &ins->sites[GO_SITE_RECV][i];
    raw_add(d, SIDE_RECV, s->file, s->node, s->sub, last_name(s->sub), s->func_index);
  }
  for (size_t i = 0; i < ins->nsites[GO_SITE_FOR]; i++) {
    const go_site *s = &ins->sites[GO_SITE_FOR][i];
    if (go_ts_type_is(s->sub, "range_clause")) {
      TSNode ch = go_node_child(s->sub, GO_F_RIGHT);
      raw_add(d, SIDE_RECV, s->file, s->node, ch, last_name(ch), s->func_index);
    }
  }
  const go_site *const *calls;
  size_t n = go_inspect_calls_to(ins, "close", &calls);
  for (size_t i = 0; i < n; i++) {
    TSNode args = go_node_child(calls[i]->node, GO_F_ARGUMENTS);
    if (go_ts_nargs(args) == 1)
      raw_add(d, SIDE_CLOSE, calls[i]->file, calls[i]->node, go_ts_arg(args, 0),
              last_name(go_ts_arg(args, 0)), calls[i]->func_index);
  }
  static const struct {
    const char *verb;
    side_kind kind;
    uint32_t nargs;
  } verbs[] = {{"Done", SIDE_DONE, 0},
               {"Add", SIDE_ADD, 1},
               {"Signal", SIDE_SIGNAL, 0},
               {"Broadcast", SIDE_SIGNAL, 0}};
  for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
    n = go_inspect_calls_named(ins, verbs[v].verb, &calls);
    for (size_t i = 0; i < n; i++) {
      TSNode fn = go_ts_unparen(calls[i]->sub);
      if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) &&
          go_ts_nargs(go_node_child(calls[i]->node, GO_F_ARGUMENTS)) == verbs[v].nargs) {
        TSNode x = go_node_child(fn, GO_F_OPERAND);
        raw_add(d, verbs[v].kind, calls[i]->file, calls[i]->node, x, last_name(x), calls[i]->func_index);
      }
    }
  }
  n = go_inspect_calls_to(ins, "make", &calls);
  for (size_t i = 0; i < n; i++)
    if (go_node_is(go_ts_arg(go_node_child(calls[i]->node, GO_F_ARGUMENTS), 0), GO_NODE_CHANNEL_TYPE))
      raw_add(d, SIDE_MAKE, calls[i]->file, calls[i]->node, calls[i]->node, stored_name(calls[i]->node),
              calls[i]->func_index);
  n = go_inspect_calls_named(ins, "NewCond", &calls);
  for (size_t i = 0; i < n; i++)
    raw_add(d, SIDE_NEWCOND, calls[i]->file, calls[i]->node, calls[i]->node, stored_name(calls[i]->node),
            calls[i]->func_index);
  if (d->nraw > 1)
    qsort(d->raw, d->nraw, sizeof *d->raw, cmp_raw);
}

/* Resolves the indexed operations on values whose last name is name into sides with keys (the sides of
 * the previous call are reused when the name is the same). */
static void build_sides(dl *d, const char *name) {
  if (d->sides_name && strcmp(d->sides_name, name) == 0)
    return;
  if (!d->raw_built)
    index_sides(d);
  d->sides_name = name;
  d->nsides = 0;
  raw_side want = {.name = name, .len = (uint32_t)strlen(name)};
  size_t lo = 0, hi = d->nraw;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cmp_raw(&d->raw[mid], &want) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < d->nraw && cmp_raw(&d->raw[i], &want) == 0; i++) {
    const raw_side *r = &d->raw[i];
    go_binding b;
    const char *path;
    switch (r->kind) {
    case SIDE_SEND:
    case SIDE_CLOSE:
    case SIDE_RECV:
      if (r->kind == SIDE_CLOSE && go_types_lookup(d->ty, r->file, r->node, "close", &b) != GO_BIND_UNIVERSE)
        break;
      if (go_node_is(r->node, GO_NODE_FOR_STATEMENT)) {
        const char *t = go_types_type_of(d->ty, r->file, r->expr);
        if (!t || (strncmp(t, "chan ", 5) != 0 && strncmp(t, "<-chan ", 7) != 0))
          break;
      }
      side_add(d, r->kind, value_key(d, r->file, r->expr), r->file, r->node, r->func);
      break;
    case SIDE_DONE:
    case SIDE_ADD:
    case SIDE_SIGNAL:
      if (sync_typed(d, r->file, r->expr, r->kind == SIDE_SIGNAL ? "Cond" : "WaitGroup"))
        side_add(d, r->kind, value_key(d, r->file, r->expr), r->file, r->node, r->func);
      break;
    case SIDE_MAKE: {
      if (go_types_lookup(d->ty, r->file, r->node, "make", &b) != GO_BIND_UNIVERSE)
        break;
      size_t before = d->nsides;
      side_add(d, SIDE_MAKE, stored_in(d, r->file, r->node), r->file, r->node, r->func);
      TSNode cap = go_ts_arg(go_node_child(r->node, GO_F_ARGUMENTS), 1);
      if (d->nsides > before)
        d->sides[before].buffered = !ts_node_is_null(cap) && !go_ts_teq(file_of(d, r->file), cap, "0");
      break;
    }
    case SIDE_NEWCOND: {
      TSNode args = go_node_child(r->node, GO_F_ARGUMENTS);
      TSNode fn = go_node_child(r->node, GO_F_FUNCTION);
      if (!go_types_qualified(d->ty, r->file, fn, &path, NULL) || strcmp(path, "sync") != 0 ||
          go_ts_nargs(args) != 1)
        break;
      const char *lock = go_locks_key_of(d->lk, r->file, go_ts_arg(args, 0), NULL);
      size_t before = d->nsides;
      side_add(d, SIDE_NEWCOND, stored_in(d, r->file, r->node), r->file, r->node, r->func);
      if (d->nsides > before)
        d->sides[before].lock = lock;
      break;
    }
    }
  }
}

/* Is op inside a select that has another way out (another case or a default)? */
static bool select_has_alternative(TSNode op) {
  TSNode n = op;
  for (int i = 0; i < 4; i++) {
    TSNode p = go_ts_parent(n);
    if (go_node_is(p, GO_NODE_COMMUNICATION_CASE)) {
      if (!contains(go_node_child(p, GO_F_COMMUNICATION), op))
        return false;
      TSNode sel = go_ts_parent(p);
      uint32_t cases = 0, k = go_ts_nnamed(sel);
      for (uint32_t j = 0; j < k; j++) {
        go_node ck = go_node_kind(ts_node_named_child(sel, j));
        cases += ck == GO_NODE_COMMUNICATION_CASE || ck == GO_NODE_DEFAULT_CASE;
      }
      return cases > 1;
    }
    if (!go_node_is(p, GO_NODE_EXPRESSION_LIST) && !go_ts_type_is(p, "receive_statement") &&
        !go_node_is(p, GO_NODE_SEND_STATEMENT) && !go_node_is(p, GO_NODE_UNARY_EXPRESSION))
      return false;
    n = p;
  }
  return false;
}

/* Could function g run in another goroutine than the blocked one? It runs concurrently (a goroutine,
 * handler, or code they reach), or it is exported and so callable from anywhere. */
static bool other_goroutine(const dl *d, int32_t g) {
  const go_site *s = func_site(d, g);
  if (!s)
    return false;
  if (d->ctx->funcs[g].flags & GO_CTX_CONCURRENT)
    return true;
  return s->fkind != GO_FUNC_LIT && s->text && s->text[0] >= 'A' && s->text[0] <= 'Z';
}

/* Does function g acquire mutex m (in write mode when need_write) on a path that reaches the side s, or
 * at all when s runs deferred? *witness gets the Lock call or the call that leads to it. */
static bool acquires_before(dl *d, int32_t g, uint32_t m, bool need_write, const side *s, TSNode after,
                            TSNode *witness) {
  const go_lock_summary *sum = go_locks_summary(d->lk, g);
  if (!sum)
    return false;
  bool any = false;
  for (size_t i = 0; i < sum->nacquires && !any; i++)
    any = sum->acquires[i].mutex == m && (!need_write || is_write(sum->acquires[i].mode));
  if (!any)
    return false;
  const go_cfg_fn *cfg = go_cfg_of(d->cfgs, func_site(d, g));
  if (!cfg || cfg->incomplete)
    return false;
  go_cfg_pos to;
  TSNode target = s->node;
  if (go_node_is(target, GO_NODE_FOR_STATEMENT)) {
    /* a range loop receives at its head: the first statement of its body comes right after */
    TSNode body = go_node_child(target, GO_F_BODY);
    target = go_ts_nth(body, 0);
    while (go_node_is(target, GO_NODE_COMMENT))
      target = ts_node_next_named_sibling(target);
  }
  if (ts_node_is_null(target) || !go_cfg_find(cfg, target, &to))
    return false;
  /* a local made again on the way (`ch := make(chan T)` in a loop) is another channel */
  go_cfg_nodeset *c = omen_arena_alloc(d->ar, sizeof *c);
  if (!c)
    return false;
  c->n = 0;
  c->overflow = false;
  if (!ts_node_is_null(s->decl))
    go_cfg_nodeset_add(c, cfg, s->decl);
  go_cfg_query q = {.node = go_cfg_nodeset_has, .ctx = c};
  go_cfg_pos start;
  bool has_start = !ts_node_is_null(after) && go_cfg_find(cfg, after, &start);
  for (size_t i = 0; i < sum->nops; i++) {
    const go_lock_op *op = &sum->ops[i];
    go_cfg_pos from;
    if (op->mutex != m || !blocking_acquire(op) || (need_write && !is_write(go_lock_kind_mode(op->kind))))
      continue;
    if (!go_cfg_find(cfg, op->call, &from) || (has_start && !go_cfg_reaches(cfg, start, from, &q)))
      continue;
    if (s->deferred || go_cfg_reaches(cfg, from, to, &q)) {
      *witness = op->call;
      return true;
    }
  }
  const go_ctx_func *cf = &d->ctx->funcs[g];
  for (uint32_t k = 0; k < cf->nout; k++) {
    const go_ctx_edge *e = &d->ctx->edges[cf->out + k];
    if (e->kind != GO_EDGE_CALL || deferred_or_go(e->site))
      continue;
    const go_lock_acq *a = go_locks_acquires(d->lk, (int32_t)e->callee, m, GO_LOCK_WRITE);
    if (!a && !need_write)
      a = go_locks_acquires(d->lk, (int32_t)e->callee, m, GO_LOCK_READ);
    const go_lock_op *dop = a ? chain_op(d, (int32_t)e->callee, a, MAX_OTHER_DEPTH, false) : NULL;
    go_cfg_pos from;
    if (!dop)
      continue;
    if (!go_cfg_find(cfg, e->site, &from) || (has_start && !go_cfg_reaches(cfg, start, from, &q)))
      continue;
    if (s->deferred || go_cfg_reaches(cfg, from, to, &q)) {
      *witness = e->site;
      return true;
    }
  }
  return false;
}

typedef enum block_kind { BLOCK_SEND = 0, BLOCK_RECV, BLOCK_WG, BLOCK_COND } block_kind;

/* The blocking operation at node (in function fi, file) with value expression x: is one of the held
 * mutexes needed by its other side? */
static void check_blocking(dl *d, block_kind kind, uint32_t file, int32_t fi, TSNode node, TSNode x) {
  const go_lock_summary *sum = go_locks_summary(d->lk, fi);
  if (!sum || !sum->flow || !may_hold(d, fi, sum))
    return;
  go_lock_held h[MAX_HELD];
  size_t n = 0;
  if (!go_locks_held_at(d->lk, file, node, 0, h, MAX_HELD, &n) || n == 0)
    return;
  if (n > MAX_HELD)
    n = MAX_HELD;
  if ((kind == BLOCK_SEND || kind == BLOCK_RECV) && select_has_alternative(node))
    return;
  TSNode nm = last_name(x);
  if (ts_node_is_null(nm))
    return;
  build_sides(d, text_of(d, file, nm));
  const char *key = value_key(d, file, x);
  if (!key)
    return;
  /* a send on a channel that every make in the package gives a buffer blocks only when it is full: the
   * buffer is usually sized for that */
  if (kind == BLOCK_SEND) {
    bool made = false, unbuffered = false;
    for (size_t i = 0; i < d->nsides; i++)
      if (d->sides[i].kind == SIDE_MAKE && strcmp(d->sides[i].key, key) == 0) {
        made = true;
        unbuffered = unbuffered || !d->sides[i].buffered;
      }
    if (made && !unbuffered)
      return;
  }
  /* a Cond's own L is released by Wait */
  int32_t cond_lock = -1;
  if (kind == BLOCK_COND) {
    const char *lock = NULL;
    for (size_t i = 0; i < d->nsides && !lock; i++)
      if (d->sides[i].kind == SIDE_NEWCOND && strcmp(d->sides[i].key, key) == 0)
        lock = d->sides[i].lock;
    if (!lock || (cond_lock = go_locks_find(d->lk, lock)) < 0)
      return;
  }
  for (size_t hi = 0; hi < n; hi++) {
    const go_lock_held *he = &h[hi];
    if ((int32_t)he->mutex == cond_lock || (hi > 0 && h[hi - 1].mutex == he->mutex))
      continue;
    const go_lock_held *best = held_entry(h, n, he->mutex);
    bool need_write = !is_write(best->mode);
    for (size_t si = 0; si < d->nsides; si++) {
      const side *s = &d->sides[si];
      bool match = (kind == BLOCK_SEND && s->kind == SIDE_RECV) ||
                   (kind == BLOCK_RECV && (s->kind == SIDE_SEND || s->kind == SIDE_CLOSE)) ||
                   (kind == BLOCK_WG && s->kind == SIDE_DONE) ||
                   (kind == BLOCK_COND && s->kind == SIDE_SIGNAL);
      if (!match || s->func < 0 || s->func == fi || strcmp(s->key, key) != 0 || !other_goroutine(d, s->func))
        continue;
      if ((s->kind == SIDE_SEND || s->kind == SIDE_RECV) && select_has_alternative(s->node))
        continue; /* the other side can give up (a timeout, a context) */
      /* a goroutine that calls Add itself is waited for only from its Add on */
      TSNode after = go_ts_null();
      for (size_t ai = 0; kind == BLOCK_WG && ai < d->nsides && ts_node_is_null(after); ai++)
        if (d->sides[ai].kind == SIDE_ADD && d->sides[ai].func == s->func &&
            strcmp(d->sides[ai].key, key) == 0)
          after = d->sides[ai].node;
      TSNode witness;
      const go_lock_op *hop = go_locks_op_at(d->lk, best->file, best->acquire);
      if (!hop || !acquires_before(d, s->func, he->mutex, need_write, s, after, &witness))
        continue; /* held through a lock helper: left alone */
      const char *held = hop ? op_label(d, hop) : mutex_label(d, he->mutex);
      const char *what = text_of(d, file, go_ts_unparen(x));
      const char *other = func_label(d, s->func);
      const char *mk = mutex_label(d, he->mutex);
      uint32_t line = line_of(d, best->file, best->acquire);
      const char *msg = NULL;
      switch (kind) {
      case BLOCK_SEND: {
        bool loop = go_node_is(s->node, GO_NODE_FOR_STATEMENT) ||
                    !ts_node_is_null(loop_of(s->node, func_site(d, s->func)->node));
        msg = omen_arena_printf(
            d->ar,
            "send on %s while holding %s (locked on line %u): the receiver (%s) locks %s before it "
            "receives%s, so both block forever",
            what, held, line, other, mk, loop ? " again" : "");
        break;
      }
      case BLOCK_RECV:
        msg = omen_arena_printf(
            d->ar,
            "receive from %s while holding %s (locked on line %u): the sender (%s) locks %s before it "
            "%s, so both block forever",
            what, held, line, other, mk, s->kind == SIDE_CLOSE ? "closes the channel" : "sends");
        break;
      case BLOCK_WG:
        msg = omen_arena_printf(
            d->ar,
            "%s.Wait() while holding %s (locked on line %u): the goroutines it waits for (%s) lock %s "
            "before Done, so both block forever",
            what, held, line, other, mk);
        break;
      case BLOCK_COND: {
        const char *own = mutex_label(d, (uint32_t)cond_lock);
        const go_mutex *cm = mutex_of(d, (uint32_t)cond_lock);
        TSNode base = hop ? op_base(d, hop) : go_ts_null();
        if (!ts_node_is_null(base) && (cm->kind == GO_MUTEX_FIELD || cm->kind == GO_MUTEX_EMBEDDED))
          own = omen_arena_printf(d->ar, "%s.%s", text_of(d, best->file, base), cm->name);
        msg = omen_arena_printf(
            d->ar,
            "%s.Wait() while holding %s (locked on line %u): Wait releases only %s, and the "
            "signaller (%s) locks %s before it signals, so both block forever",
            what, held, line, own, other, mk);
        break;
      }
      }
      omen_diag *dg = report(d, &rule_blocking, file, ts_node_start_byte(node), ts_node_end_byte(node), msg);
      related(d, dg, best->file, best->acquire, omen_arena_printf(d->ar, "%s is locked here", held));
      related(d, dg, s->file, witness, omen_arena_printf(d->ar, "%s locks %s here", other, mk));
      return;
    }
  }
}

static void scan_blocking(dl *d) {
  const go_inspect *ins = d->ins;
  for (size_t i = 0; i < ins->nsites[GO_SITE_SEND]; i++) {
    const go_site *s = &ins->sites[GO_SITE_SEND][i];
    check_blocking(d, BLOCK_SEND, s->file, s->func_index, s->node, s->sub);
  }
  for (size_t i = 0; i < ins->nsites[GO_SITE_RECV]; i++) {
    const go_site *s = &ins->sites[GO_SITE_RECV][i];
    check_blocking(d, BLOCK_RECV, s->file, s->func_index, s->node, s->sub);
  }
  const go_site *const *calls;
  size_t n = go_inspect_lookup_name(ins, GO_SITE_SYNC_CALL, "Wait", &calls);
  for (size_t i = 0; i < n; i++) {
    const go_site *s = calls[i];
    TSNode fn = go_ts_unparen(s->sub);
    if (!go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) || s->func_index < 0 ||
        !go_locks_summary(d->lk, s->func_index))
      continue;
    TSNode x = go_node_child(fn, GO_F_OPERAND);
    if (sync_typed(d, s->file, x, "WaitGroup"))
      check_blocking(d, BLOCK_WG, s->file, s->func_index, s->node, x);
    else if (sync_typed(d, s->file, x, "Cond"))
      check_blocking(d, BLOCK_COND, s->file, s->func_index, s->node, x);
  }
}

/* ---------- deadlock/lock-order-inversion ---------- */

/* m2 acquired (at `at`, in mode2) while m1 is held (since `outer`, in mode1), in function func;
 * via >= 0: through a call of that function. */
typedef struct order_edge {
  uint32_t m1, m2;
  go_lock_mode mode1, mode2;
  int32_t func;
  uint32_t file, outer_file;
  TSNode at, outer;
  bool via;
} order_edge;

typedef struct order_set {
  order_edge *v;
  size_t n, cap;
  bool full;
} order_set;

static void edge_add(dl *d, order_set *o, const order_edge *e) {
  void *v = o->v;
  if (o->n == MAX_EDGES || !arena_reserve(d->ar, &v, o->n, &o->cap, sizeof *o->v, 64)) {
    o->full = true;
    return;
  }
  o->v = v;
  o->v[o->n++] = *e;
}

/* Adds an edge for each mutex held at node (h, n: before it; other than m) -> m. */
static void edges_at(dl *d, order_set *o, int32_t fi, uint32_t file, TSNode node, uint32_t m,
                     go_lock_mode mode, bool via, const go_lock_held *h, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (h[i].mutex == m || (i > 0 && h[i - 1].mutex == h[i].mutex))
      continue;
    const go_lock_held *best = held_entry(h, n, h[i].mutex);
    if (!go_locks_op_at(d->lk, best->file, best->acquire))
      continue; /* held through a lock helper: left alone */
    order_edge e = {best->mutex, m, best->mode, mode, fi, file, best->file, node, best->acquire, via};
    edge_add(d, o, &e);
  }
}

/* The edges of a call (edge ce, callee summary cs, h: held before it): each mutex the callee acquires. */
static void order_call(dl *d, order_set *o, int32_t fi, const go_ctx_edge *ce, const go_lock_summary *cs,
                       const go_lock_held *h, size_t n) {
  for (size_t j = 0; j < n; j++)
    if (summary_releases(cs, h[j].mutex))
      return; /* a callee that unlocks a mutex its caller holds: leave the call out */
  for (size_t a = 0; a < cs->nacquires; a++) {
    const go_lock_acq *acq = &cs->acquires[a];
    if (mutex_of(d, acq->mutex)->kind == GO_MUTEX_LOCAL)
      continue;
    /* one edge per mutex: the write entry when the callee takes both modes */
    bool dup = false;
    for (size_t b = 0; b < cs->nacquires && !dup; b++)
      dup = b != a && cs->acquires[b].mutex == acq->mutex &&
            (is_write(cs->acquires[b].mode) > is_write(acq->mode) ||
             (cs->acquires[b].mode == acq->mode && b < a));
    if (!dup)
      edges_at(d, o, fi, ce->file, ce->site, acq->mutex, acq->mode, true, h, n);
  }
}

static int cmp_edge(const void *a, const void *b) {
  const order_edge *x = a, *y = b;
  if (x->m1 != y->m1)
    return x->m1 < y->m1 ? -1 : 1;
  if (x->m2 != y->m2)
    return x->m2 < y->m2 ? -1 : 1;
  if (x->file != y->file)
    return x->file < y->file ? -1 : 1;
  uint32_t sa = ts_node_start_byte(x->at), sb = ts_node_start_byte(y->at);
  return sa < sb ? -1 : sa > sb;
}

/* The first edge m1 -> m2 (binary search in the sorted set); o->n if none. */
static size_t edge_find(const order_set *o, uint32_t m1, uint32_t m2) {
  size_t lo = 0, hi = o->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const order_edge *e = &o->v[mid];
    if (e->m1 < m1 || (e->m1 == m1 && e->m2 < m2))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Can the edge's inner acquisition block? Not when it is a TryLock at the end of the chain, nor on an
 * object the function has just made. */
static bool edge_blocks(dl *d, const order_edge *e) {
  if (fresh_receiver(d, e->file, e->at))
    return false; /* a mutex of an object made here: no one else holds it yet */
  if (!e->via)
    return true;
  const go_ctx_func *callee = go_context_callee(d->ctx, e->file, e->at);
  if (!callee)
    return false;
  int32_t ci = go_context_index(d->ctx, callee);
  const go_lock_acq *a = go_locks_acquires(d->lk, ci, e->m2, e->mode2);
  return a && chain_op(d, ci, a, MAX_CALL_DEPTH, false) != NULL && !drops_first(d, ci, e->m1);
}

static bool is_init(const dl *d, int32_t fi) {
  const go_site *s = func_site(d, fi);
  return s && s->fkind == GO_FUNC_DECL && strcmp(s->text, "init") == 0;
}

/* In package main, code that no goroutine, handler or gRPC method reaches runs on the main goroutine. */
static bool main_only(const dl *d, const order_edge *e) {
  return d->is_main && !(go_context_flags_at(d->ctx, e->file, e->at) & GO_CTX_CONCURRENT);
}

/* Is expr (in function fi) a path of field selectors from the receiver of fi (or of the method a literal
 * is in) or from a package variable: `s.mu`, `n.cluster`, `c.nr`? Such a path names one instance per
 * receiver; an element of a collection (`b.buf[i]`, a range variable, a map lookup) is one of many. */
static bool structural_expr(const dl *d, int32_t fi, uint32_t file, TSNode expr) {
  const omen_file *f = file_of(d, file);
  TSNode e = go_ts_unparen(expr);
  for (int i = 0; i < 16 && !go_node_is(e, GO_NODE_IDENTIFIER); i++) {
    if (go_node_is(e, GO_NODE_UNARY_EXPRESSION) && (go_ts_teq(f, go_node_child(e, GO_F_OPERATOR), "&") ||
                                                    go_ts_teq(f, go_node_child(e, GO_F_OPERATOR), "*")))
      e = go_ts_unparen(go_node_child(e, GO_F_OPERAND));
    else if (go_node_is(e, GO_NODE_SELECTOR_EXPRESSION))
      e = go_ts_unparen(go_node_child(e, GO_F_OPERAND));
    else
      return false;
  }
  go_binding b;
  switch (go_types_lookup_ident(d->ty, file, e, &b)) {
  case GO_BIND_PACKAGE:
    return b.pkg && b.pkg->kind == GO_DECL_VAR;
  case GO_BIND_LOCAL: {
    /* the receiver of the method, or of the method around the literal */
    for (int32_t g = fi; g >= 0; g = d->ctx->funcs[g].parent) {
      const go_site *fs = func_site(d, g);
      if (fs && fs->fkind == GO_FUNC_METHOD)
        return contains(go_node_child(fs->node, GO_F_RECEIVER), b.decl);
    }
    return false;
  }
  default:
    return false;
  }
}

/* Are both acquisitions of the edge on structural paths (see structural_expr), down the witness chain for
 * an acquisition through calls? */
static bool edge_structural(dl *d, const order_edge *e) {
  const go_lock_op *outer = go_locks_op_at(d->lk, e->outer_file, e->outer);
  if (!outer ||
      (mutex_of(d, e->m1)->kind != GO_MUTEX_VAR && !structural_expr(d, e->func, outer->file, outer->expr)))
    return false;
  if (mutex_of(d, e->m2)->kind == GO_MUTEX_VAR)
    return true;
  if (!e->via) {
    const go_lock_op *op = go_locks_op_at(d->lk, e->file, e->at);
    return op && structural_expr(d, e->func, op->file, op->expr);
  }
  TSNode recv = call_recv(e->at);
  const go_ctx_func *callee = go_context_callee(d->ctx, e->file, e->at);
  if (ts_node_is_null(recv) || !callee || !structural_expr(d, e->func, e->file, recv))
    return false;
  int32_t fi = go_context_index(d->ctx, callee);
  const go_lock_acq *a = go_locks_acquires(d->lk, fi, e->m2, e->mode2);
  for (int depth = 0; a && depth < MAX_CHAIN; depth++) {
    if (a->callee < 0) {
      const go_lock_op *op = go_locks_op_at(d->lk, a->file, a->site);
      return op && structural_expr(d, fi, op->file, op->expr);
    }
    TSNode r = go_node_is(a->site, GO_NODE_CALL_EXPRESSION) ? call_recv(a->site) : go_ts_null();
    if (ts_node_is_null(r) || !structural_expr(d, fi, a->file, r))
      return false;
    fi = a->callee;
    a = go_locks_acquires(d->lk, fi, a->mutex, a->mode);
  }
  return false;
}

/* Adds to set (n entries, cap MAX_HELD * 2) the mutexes held at the edge, and those held at every call
 * of its function in the package (a caller's gate lock). */
static size_t gate_locks(dl *d, const order_edge *e, uint32_t *set) {
  go_lock_held h[MAX_HELD];
  size_t n = 0, k = 0;
  if (go_locks_held_at(d->lk, e->file, e->at, 0, h, MAX_HELD, &n))
    for (size_t i = 0; i < n && i < MAX_HELD; i++)
      set[k++] = h[i].mutex;
  const go_ctx_func *cf = &d->ctx->funcs[e->func];
  uint32_t common[MAX_HELD];
  size_t nc = 0;
  bool first = true;
  for (uint32_t j = 0; j < cf->nin; j++) {
    const go_ctx_edge *ce = &d->ctx->edges[d->ctx->in_edges[cf->in + j]];
    if (ce->kind != GO_EDGE_CALL)
      continue;
    size_t nh = 0;
    if (!go_locks_held_at(d->lk, ce->file, ce->site, 0, h, MAX_HELD, &nh)) {
      nc = 0;
      break;
    }
    if (nh > MAX_HELD)
      nh = MAX_HELD;
    if (first) {
      for (size_t i = 0; i < nh; i++)
        common[nc++] = h[i].mutex;
      first = false;
      continue;
    }
    size_t w = 0;
    for (size_t c = 0; c < nc; c++) {
      bool in = false;
      for (size_t i = 0; i < nh && !in; i++)
        in = h[i].mutex == common[c];
      if (in)
        common[w++] = common[c];
    }
    nc = w;
  }
  for (size_t c = 0; c < nc && k < 2 * MAX_HELD; c++)
    set[k++] = common[c];
  return k;
}

/* Do both paths hold a third mutex (themselves or at every call from the package) that keeps them
 * from running at once? */
static bool gated(dl *d, const order_edge *a, const order_edge *b) {
  uint32_t sa[2 * MAX_HELD], sb[2 * MAX_HELD];
  size_t na = gate_locks(d, a, sa), nb = gate_locks(d, b, sb);
  for (size_t i = 0; i < na; i++) {
    if (sa[i] == a->m1 || sa[i] == a->m2)
      continue;
    for (size_t j = 0; j < nb; j++)
      if (sb[j] == sa[i])
        return true;
  }
  return false;
}

static bool pair_deadlocks(const dl *d, const order_edge *a, const order_edge *b) {
  /* a holds m1 and waits for m2; b holds m2 and waits for m1: each wait blocks when one side writes */
  bool a_waits = is_write(a->mode2) || is_write(b->mode1);
  bool b_waits = is_write(b->mode2) || is_write(a->mode1);
  return a_waits && b_waits;
}

static void report_order(dl *d, const order_edge *here, const order_edge *other) {
  const char *m2 = mutex_label(d, here->m2), *m1 = mutex_label(d, here->m1);
  const char *via =
      here->via
          ? omen_arena_printf(d->ar, " (in %s)",
                              text_of(d, here->file, go_ts_unparen(go_node_child(here->at, GO_F_FUNCTION))))
          : "";
  const char *who = func_label(d, other->func);
  omen_diag *dg = report(
      d, &rule_order, here->file, ts_node_start_byte(here->at), ts_node_end_byte(here->at),
      omen_arena_printf(
          d->ar,
          "%s is %s%s while holding %s here, but %s locks them in the opposite order (line %u): when both "
          "run at once each waits for the other forever",
          m2, is_write(here->mode2) ? "locked" : "read-locked", via, m1, who,
          line_of(d, other->file, other->at)));
  related(d, dg, here->outer_file, here->outer, omen_arena_printf(d->ar, "%s is locked here", m1));
  related(d, dg, other->file, other->at,
          omen_arena_printf(d->ar, "%s locks %s here while holding %s", who, m1, m2));
  related(d, dg, other->outer_file, other->outer,
          omen_arena_printf(d->ar, "%s locks %s first here", who, m2));
}

/* Marks the mutexes reached through differently named fields (`c.in.Lock()` and `c.out.Lock()` of one
 * halfConn type): their key stands for several instances held together, so an order between them and
 * other mutexes says nothing about one instance. */
static bool *multi_instance(dl *d) {
  size_t nm = d->lk->nmutexes;
  bool *multi = omen_arena_alloc(d->ar, nm ? nm * sizeof *multi : 1);
  const go_lock_op **first = omen_arena_alloc(d->ar, nm ? nm * sizeof *first : 1);
  if (!multi || !first)
    return NULL;
  memset(multi, 0, nm * sizeof *multi);
  memset(first, 0, nm * sizeof *first);
  for (size_t i = 0; i < d->lk->nops; i++) {
    const go_lock_op *op = &d->lk->ops[i];
    TSNode b = op_base(d, op);
    if (!go_node_is(b, GO_NODE_SELECTOR_EXPRESSION) || multi[op->mutex])
      continue;
    const go_lock_op *f0 = first[op->mutex];
    if (!f0) {
      first[op->mutex] = op;
      continue;
    }
    TSNode b0 = op_base(d, f0);
    multi[op->mutex] =
        !same_text(d, f0->file, go_node_child(b0, GO_F_FIELD), op->file, go_node_child(b, GO_F_FIELD));
  }
  return multi;
}

static void scan_order(dl *d, order_set *op) {
  order_set o = *op;
  if (o.full || o.n < 2)
    return;
  bool *multi = multi_instance(d);
  if (!multi)
    return;
  qsort(o.v, o.n, sizeof *o.v, cmp_edge);
  for (size_t i = 0; i < o.n; i++) {
    const order_edge *a = &o.v[i];
    if (a->m1 > a->m2 || (i > 0 && o.v[i - 1].m1 == a->m1 && o.v[i - 1].m2 == a->m2))
      continue; /* each unordered pair once, from its first edge */
    if (multi[a->m1] || multi[a->m2])
      continue;
    size_t j0 = edge_find(&o, a->m2, a->m1);
    const order_edge *best_a = NULL, *best_b = NULL;
    for (size_t x = i; x < o.n && o.v[x].m1 == a->m1 && o.v[x].m2 == a->m2 && !best_a; x++) {
      const order_edge *ea = &o.v[x];
      if (is_init(d, ea->func) || !edge_blocks(d, ea))
        continue;
      for (size_t y = j0; y < o.n && o.v[y].m1 == a->m2 && o.v[y].m2 == a->m1; y++) {
        const order_edge *eb = &o.v[y];
        if (eb->func == ea->func || !pair_deadlocks(d, ea, eb) || is_init(d, eb->func) ||
            (main_only(d, ea) && main_only(d, eb)) || !edge_blocks(d, eb) || gated(d, ea, eb) ||
            (!edge_structural(d, ea) && !edge_structural(d, eb)))
          continue;
        best_a = ea;
        best_b = eb;
        break;
      }
    }
    if (!best_a)
      continue;
    /* report on the later of the two in source order */
    bool b_later =
        best_b->file > best_a->file ||
        (best_b->file == best_a->file && ts_node_start_byte(best_b->at) > ts_node_start_byte(best_a->at));
    if (b_later)
      report_order(d, best_b, best_a);
    else
      report_order(d, best_a, best_b);
  }
}

/* ---------- the analyzer ---------- */

/* Double locks, returns without unlock and lock-order edges of function fi. */
static void scan_function(dl *d, int32_t fi, order_set *o) {
  const go_lock_summary *s = go_locks_summary(d->lk, fi);
  if (!s || !s->flow || !may_hold(d, fi, s))
    return;
  go_lock_held h[MAX_HELD];
  size_t n = 0;
  const go_ctx_func *cf = &d->ctx->funcs[fi];
  for (uint32_t k = 0; k < cf->nout; k++) {
    const go_ctx_edge *e = &d->ctx->edges[cf->out + k];
    if (e->kind != GO_EDGE_CALL || !go_node_is(e->site, GO_NODE_CALL_EXPRESSION) || deferred_or_go(e->site))
      continue;
    const go_lock_summary *cs = go_locks_summary(d->lk, (int32_t)e->callee);
    if (!cs || cs->nacquires == 0 || !go_locks_held_at(d->lk, e->file, e->site, 0, h, MAX_HELD, &n) || n == 0)
      continue;
    if (n > MAX_HELD)
      n = MAX_HELD;
    check_double_call(d, fi, e, cs, h, n);
    if (!o->full)
      order_call(d, o, fi, e, cs, h, n);
  }
  if (s->nops == 0)
    return;
  const go_cfg_fn *cfg = go_cfg_of(d->cfgs, func_site(d, fi));
  if (!cfg || cfg->incomplete)
    return;
  bool checked = false, exempt = false;
  for (size_t i = 0; i < s->nops; i++) {
    const go_lock_op *op = &s->ops[i];
    if (!blocking_acquire(op) && op->kind != GO_LOCK_TRYLOCK && op->kind != GO_LOCK_TRYRLOCK)
      continue;
    if (blocking_acquire(op)) {
      if (go_locks_held_at(d->lk, op->file, op->call, 0, h, MAX_HELD, &n)) {
        if (n > MAX_HELD)
          n = MAX_HELD;
        check_double_direct(d, fi, cfg, op, h, n);
        if (!o->full)
          edges_at(d, o, fi, op->file, op->call, op->mutex, go_lock_kind_mode(op->kind), false, h, n);
      }
      if (check_double_loop(d, fi, cfg, op))
        continue;
    }
    /* a second Lock of the same instance reaches the same returns: report them once */
    bool seen = false;
    for (size_t k = 0; k < i && !seen; k++)
      seen = go_lock_kind_acquires(s->ops[k].kind) && !s->ops[k].deferred && same_instance(d, &s->ops[k], op);
    if (!seen)
      check_return(d, fi, cfg, op, &checked, &exempt);
  }
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  dl d;
  memset(&d, 0, sizeof d);
  d.pass = pass;
  d.ar = omen_pass_arena(pass);
  d.ins = omen_pass_result(pass, &omen_go_inspect);
  d.ty = omen_pass_result(pass, &omen_go_types);
  d.cfgs = omen_pass_result(pass, &omen_go_cfg);
  d.ctx = omen_pass_result(pass, &omen_go_context);
  d.lk = omen_pass_result(pass, &omen_go_locks);
  if (!d.ins || !d.ty || !d.cfgs || !d.ctx || !d.lk || d.lk->nops == 0)
    return OMEN_OK;
  const char *pkg = omen_pass_go_package(pass);
  d.is_main = pkg && strcmp(pkg, "main") == 0;
  size_t nf = d.ins->nsites[GO_SITE_FUNC];
  if (d.ctx->nfuncs < nf)
    nf = d.ctx->nfuncs;
  order_set o = {0};
  for (size_t fi = 0; fi < nf; fi++)
    scan_function(&d, (int32_t)fi, &o);
  scan_blocking(&d);
  scan_order(&d, &o);
  return OMEN_OK;
}

const omen_analyzer omen_go_deadlock = {
    .name = "go-deadlock",
    .title = "Deadlocks: double locks, returns without unlock, blocking under a lock, lock order",
    .doc =
        "Finds the ways Go code deadlocks on its own mutexes, from go-locks' lock sets and function "
        "summaries and go-context's call graph: a `sync.Mutex`/`RWMutex` locked again by the goroutine "
        "that holds it (directly, through calls of the package, or in the next loop iteration); a return "
        "that leaves a mutex locked in a function that otherwise unlocks it (with safe and unsafe fixes); "
        "a channel operation, `WaitGroup.Wait` or `Cond.Wait` inside a critical section when the goroutine "
        "that would unblock it needs the same mutex; and two mutexes locked in opposite orders by two "
        "functions. Packages without lock operations cost nothing.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, &omen_go_cfg,
                                               &omen_go_context, &omen_go_locks, NULL},
    .rules = (const omen_rule *const[]){&rule_double, &rule_return, &rule_blocking, &rule_order, NULL},
    .run = run,
};
