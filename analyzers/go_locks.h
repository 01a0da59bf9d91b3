/* go_locks.h - result of the go-locks base analyzer: the sync.Mutex / sync.RWMutex operations of a Go
 * unit, the lock set before any statement (mutexes held on every path, or on some path), and per
 * function summaries (which mutexes it acquires, directly or through calls of package functions; which
 * it returns holding; which it unlocks without having locked them), computed bottom-up over go-context's
 * call graph, one strongly connected component at a time, so recursion terminates.
 *
 * Mutex identity. A mutex is named by a key string that does not depend on how it is reached:
 *   - a named field mu of package struct T (through any receiver, variable or pointer of type T or *T,
 *     also when promoted through embedded structs: the struct that declares the field): "T.mu";
 *   - a sync.Mutex / sync.RWMutex embedded in package struct T, locked as `t.Lock()`: "T.Mutex",
 *     "T.RWMutex";
 *   - a package-level variable: "mu"; a field of a package variable of anonymous struct type
 *     (`var cache struct { sync.Mutex; m map[K]V }`): "cache.Mutex", "cache.mu";
 *   - a local variable or parameter (of type sync.Mutex or *sync.Mutex): "local:<path>:<offset>", the
 *     byte offset of its declaring identifier; fields of a local of anonymous struct type add ".mu";
 *   - a field of an anonymous struct type that is itself a field g of package struct T: "T.g.mu".
 * The identity is per declaration, not per instance: two values of type T share "T.mu" (see on_recv).
 * A receiver that cannot be resolved with go-types (an index expression, a call result, a type of
 * another package, a sync.Locker interface) gets no key and its operations are ignored: never guessed.
 * A call `x.Lock()` that resolves to a method of a package type (not to a promoted sync method) is a
 * call like any other, seen through its summary.
 *
 * Lock sets. For each function that has lock operations, or calls package functions that do (directly
 * or further down), two forward dataflow problems over its go-cfg graph give, before each node: the
 * mutexes held on every path from the entry (must), and those held on some path (may). Lock and RLock
 * acquire in write and read mode; Unlock releases write mode, RUnlock read mode (read locks are not
 * counted: one RUnlock releases); TryLock / TryRLock acquire only on the branch where they returned
 * true, when the call (possibly under `!`, `&&`, `||` and parentheses) is the condition of an `if` or
 * loop; elsewhere (`ok := mu.TryLock()`) they are not counted as acquiring. `defer mu.Unlock()`, and an
 * Unlock inside a deferred func literal (`defer func() { ...; mu.Unlock() }()`), release nothing
 * before the function returns: they set the `deferred` flag of the held entry instead; so does
 * `defer unlock()` of a local function value made by a call of this package (`unlock := s.lockState()`,
 * `unlock := unlockOnce(&s.mu)`) for everything held, and a goroutine started here that unlocks what is
 * held (a hand-off). Calls of package functions apply the callee's summary, releases first, then leaves:
 * a callee that returns holding a mutex (a lock helper) makes it held after the call; one that unlocks a
 * mutex it did not lock (an unlock helper) releases it (`defer s.unlock()` sets the deferred flag); an
 * unlock-then-relock helper keeps it held. Because keys are per type, an effect is applied only when the
 * callee does it on its own receiver's mutex (on_recv), on a package variable, or is a func literal (which
 * shares its definer's variables); `func unlockIt(s *S) { s.mu.Unlock() }` is not applied. Calls followed
 * are go-context CALL edges, func literals called in place or deferred, and functions and literals passed
 * to sync.Once.Do. Func literals start with nothing held (they do not inherit the lock set of the code
 * that defines them, whether called in place, deferred, passed as a callback or started with `go`); a
 * literal called in place or deferred affects its definer only through its summary.
 *
 * Unknown. A lock-set query answers false ("unknown") when the function's CFG could not be built or is
 * incomplete (syntax errors, depth limits: see go_cfg.h), when it needs more than GO_LOCKS_MAX_BITS
 * facts, for unreachable code, and for nodes outside any CFG node. Callers that report "accessed
 * without the lock" must stay quiet on unknown. Functions with no lock operations and no calls that
 * lead to some are known to hold nothing, at no cost.
 *
 * Summaries. acquires: the mutexes (and modes) the function locks during its execution: its own
 * Lock/RLock/TryLock/TryRLock calls (also deferred ones), plus the acquires of the package functions it
 * calls (go-context CALL edges, not `go` calls; functions passed to sync.Once.Do) and of the func
 * literals it calls in place or defers (not literals passed as callbacks or stored: they may run later). Through calls only mutexes that are
 * not LOCAL are passed on (a callee's local is never the caller's). Each entry has a witness: the Lock
 * call, or the call (or literal) through which a callee acquires it; follow callee's summary for the
 * rest of the chain (the chain always ends at a direct Lock).
 * leaves: mutexes held at every normal return (must) that no deferred unlock releases on any path, not
 * LOCAL, plus `defer mu.Lock()` re-locks: lock helpers (`func (s *S) lock() { s.mu.Lock() }`). Not computed
 * for incomplete CFGs.
 * releases: mutexes it unlocks (also deferred) at a point where it has not acquired them on any path (for a
 * deferred unlock: nor at the exit), not LOCAL: unlock helpers, and functions that expect the caller to hold
 * the lock and release it. go_locks_held_by_callers gives what the callers of a function hold.
 *
 * Memory: everything is owned by the pass arena, do not free. Queries may allocate in that arena; a
 * unit's passes run on one thread, so this needs no lock. The result is never NULL for a Go unit
 * (without any lock operation it is empty and every query answers "nothing held"). */
#ifndef OMEN_GO_LOCKS_H
#define OMEN_GO_LOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzers.h"
#include "go_context.h"
#include "go_inspect.h"
#include "pass.h"

enum {
  GO_LOCKS_MAX_BITS = 4096,   /* dataflow facts per function: 4 per mutex + 1 per acquiring site */
  GO_LOCKS_MAX_ACQ = 512,     /* acquires entries per function (more: go_locks.truncated) */
  GO_LOCKS_MAX_MUTEXES = 1 << 16,
  GO_LOCKS_MAX_CALLER_DEPTH = 8, /* go_locks_held_by_callers */
};

/* The operations, by method name. */
typedef enum go_lock_kind {
  GO_LOCK_LOCK = 0,
  GO_LOCK_UNLOCK,
  GO_LOCK_RLOCK,
  GO_LOCK_RUNLOCK,
  GO_LOCK_TRYLOCK,
  GO_LOCK_TRYRLOCK,
} go_lock_kind;

typedef enum go_lock_mode { GO_LOCK_WRITE = 0, GO_LOCK_READ = 1 } go_lock_mode;

/* The mode an operation acquires or releases: WRITE for Lock, Unlock, TryLock; READ for the R forms. */
static inline go_lock_mode go_lock_kind_mode(go_lock_kind k) {
  return k == GO_LOCK_RLOCK || k == GO_LOCK_RUNLOCK || k == GO_LOCK_TRYRLOCK ? GO_LOCK_READ : GO_LOCK_WRITE;
}
static inline bool go_lock_kind_acquires(go_lock_kind k) {
  return k == GO_LOCK_LOCK || k == GO_LOCK_RLOCK || k == GO_LOCK_TRYLOCK || k == GO_LOCK_TRYRLOCK;
}

typedef enum go_mutex_kind {
  GO_MUTEX_FIELD = 0, /* named field of a package struct: "T.mu" (also "T.g.mu" inside an anonymous struct field) */
  GO_MUTEX_EMBEDDED,  /* sync.Mutex / RWMutex embedded in a package struct: "T.Mutex", "T.RWMutex" */
  GO_MUTEX_VAR,       /* package-level variable "mu", or a field of one of anonymous struct type "v.mu", "v.Mutex" */
  GO_MUTEX_LOCAL,     /* local variable or parameter (or a field of a local of anonymous struct type) */
} go_mutex_kind;

typedef struct go_mutex {
  const char *key; /* see the header comment */
  go_mutex_kind kind;
  bool rw;           /* a sync.RWMutex */
  const char *owner; /* FIELD, EMBEDDED: the declaring struct type ("T"; "T.g" for an anonymous struct field g);
                      * VAR, LOCAL fields of anonymous-struct variables: the variable's key; else NULL */
  const char *name;  /* the field name ("mu", "Mutex", "RWMutex") or the variable's name */
} go_mutex;

/* One Lock/Unlock/RLock/RUnlock/TryLock/TryRLock call on a resolved mutex. */
typedef struct go_lock_op {
  go_lock_kind kind;
  uint32_t mutex; /* index into go_locks.mutexes */
  uint32_t file;  /* index for omen_pass_go_file */
  TSNode call;    /* the call_expression `x.Lock()` */
  TSNode expr;    /* x: the mutex, or (EMBEDDED) the struct value whose promoted method is called */
  int32_t func;   /* innermost function: index into go-inspect's GO_SITE_FUNC sites (= go-context funcs) */
  bool deferred;  /* the call of a defer statement, or inside a func literal that is deferred */
  bool in_go;     /* the call of a go statement (`go mu.Unlock()`): ignored by lock sets */
  bool on_recv;   /* x is reached from the receiver of the enclosing method (also inside literals in it) */
} go_lock_op;

/* A mutex held before a node. */
typedef struct go_lock_held {
  uint32_t mutex;
  go_lock_mode mode;
  uint32_t file;
  TSNode acquire; /* a call that acquired it on a path reaching the node (the Lock call, or the call of a
                   * lock helper / in-place literal); the latest in source order before the node if any */
  bool deferred;  /* a deferred unlock of it (this mode) is registered: on every path (must queries), on
                   * some path (GO_LOCKS_MAY) */
} go_lock_held;

/* A summary entry: a mutex and mode acquired, left held, or released, with its witness. */
typedef struct go_lock_acq {
  uint32_t mutex;
  go_lock_mode mode;
  bool on_recv;   /* reached from the receiver of the method (for a literal: of the enclosing method); through
                   * a call, only when the call's receiver is rooted at the caller's receiver (`s.helper()`,
                   * `s.inner.helper()`, `once.Do(s.helper)`) and the callee's entry is on_recv */
  uint32_t file;  /* file of site */
  TSNode site;    /* the Lock/Unlock call (callee -1), or the call_expression (or func literal called in
                   * place or deferred) through which callee does it */
  int32_t callee; /* -1: directly; else the function (GO_SITE_FUNC index) whose summary has the entry */
} go_lock_acq;

typedef struct go_lock_summary {
  const go_lock_op *ops; /* this function's own operations (not those of nested literals), source order */
  size_t nops;
  const go_lock_acq *acquires; /* at most one entry per (mutex, mode, on_recv) */
  size_t nacquires;
  const go_lock_acq *leaves; /* returns holding (lock helpers) */
  size_t nleaves;
  const go_lock_acq *releases; /* unlocks without having locked (unlock helpers) */
  size_t nreleases;
  bool flow; /* lock sets are known in this function (see Unknown) */
} go_lock_summary;

/* The result of go-locks. Owned by the pass arena, do not free. */
typedef struct go_locks {
  const go_mutex *mutexes; /* every mutex some operation resolves to */
  size_t nmutexes;
  const go_lock_op *ops; /* sorted by function, then source order */
  size_t nops;
  bool truncated; /* a cap was reached (GO_LOCKS_MAX_ACQ, GO_LOCKS_MAX_MUTEXES): some entries are missing */
  /* private */
  struct go_locks_priv *priv;
} go_locks;

/* Lock-set query flags. */
enum {
  GO_LOCKS_MAY = 1u << 0, /* held on some path (default: on every path) */
};

/* The mutexes held just before node n of file executes, in the innermost function whose body contains n
 * (strictly: for a func_literal node n, the function defining it). With flags 0, held on every path
 * reaching n; with GO_LOCKS_MAY, on some path. An RWMutex held in both modes gives two entries. Fills
 * out with up to cap entries (sorted by mutex, then mode) and sets *count to the number held (may
 * exceed cap). Returns false when unknown (see the header comment): then *count is 0. At top level
 * (package var initializers) nothing is held. */
bool go_locks_held_at(const go_locks *l, uint32_t file, TSNode n, unsigned flags, go_lock_held *out, size_t cap,
                      size_t *count);
/* go_locks_held_at when the caller knows the innermost function func (GO_SITE_FUNC index: a site's
 * func_index) whose own body contains n: saves the walk up from n. */
bool go_locks_held_in(const go_locks *l, int32_t func, TSNode n, unsigned flags, go_lock_held *out, size_t cap,
                      size_t *count);
/* The same at the normal exit of function func (GO_SITE_FUNC index), after every return: what a
 * `return` leaves held (deferred unlocks not yet run, so check `deferred`). false when unknown or when
 * no path reaches the exit. */
bool go_locks_held_at_exit(const go_locks *l, int32_t func, unsigned flags, go_lock_held *out, size_t cap,
                           size_t *count);
/* Is mutex held in mode before n (flags as above)? false when not, and when unknown (*known, may be NULL,
 * tells which). */
bool go_locks_is_held(const go_locks *l, uint32_t file, TSNode n, uint32_t mutex, go_lock_mode mode,
                      unsigned flags, bool *known);

/* The summary of function func (GO_SITE_FUNC index); NULL when it has no lock operations and calls none
 * that do (it acquires, leaves and releases nothing) or func is out of range. */
const go_lock_summary *go_locks_summary(const go_locks *l, int32_t func);
/* The acquires entry of func for (mutex, mode), preferring one with on_recv; NULL if func never acquires it. */
const go_lock_acq *go_locks_acquires(const go_locks *l, int32_t func, uint32_t mutex, go_lock_mode mode);

/* The operation whose call_expression is call (NULL if call is not a resolved lock operation). */
const go_lock_op *go_locks_op_at(const go_locks *l, uint32_t file, TSNode call);
/* The index of the mutex with key key, or -1 if no operation uses it. */
int32_t go_locks_find(const go_locks *l, const char *key);
/* The key of the mutex expression expr of file (`s.mu`, `mu`, `&s.mu`, or for `embedded` a struct value whose
 * type embeds a sync.Mutex/RWMutex); NULL when it cannot be resolved. *rw (may be NULL) says RWMutex.
 * The key may name a mutex no operation uses (go_locks_find gives -1). */
const char *go_locks_key_of(const go_locks *l, uint32_t file, TSNode expr, bool *rw);

/* The mutexes every caller in the package holds when it calls func: for each call of func (go-context CALL
 * edges not deferred, func literals called in place), the lock set (must) at the call plus, recursively,
 * what the caller's own callers hold (up to GO_LOCKS_MAX_CALLER_DEPTH levels; a call cycle adds nothing);
 * intersected over the calls. LOCAL mutexes are left out. This is how "caller must hold mu" helpers
 * (`func (s *S) fooLocked()`) are known to run under mu. Nothing (true, *count 0) for functions other
 * packages or unseen code may call: exported functions and methods, methods named in a package interface,
 * functions with no call in the package, and functions also used as values (passed as arguments, deferred,
 * started with go). false when a caller's lock set is unknown. Caveat: a function value stored without a
 * call (`h := s.fooLocked`) is not seen. Results are cached; fills out like go_locks_held_at. */
bool go_locks_held_by_callers(const go_locks *l, int32_t func, go_lock_held *out, size_t cap, size_t *count);

#endif
