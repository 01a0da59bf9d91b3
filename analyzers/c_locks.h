/* c_locks.h - result of the c-locks base analyzer: the lock operations of a C/C++ unit's main file,
 * the mutex each acts on, the lock set at every call and statement, RAII guard scopes, and
 * per-function summaries over the TU's call graph.
 *
 * What is recognized (callees checked through libclang, not by name alone):
 * - C: pthread_mutex_lock/trylock/timedlock/unlock, pthread_rwlock_rdlock/wrlock/unlock and their try and
 * timed forms, pthread_spin_lock/trylock/unlock, mtx_lock/trylock/timedlock/unlock (file-scope functions
 * only). `rc = pthread_mutex_lock(...)` (result kept) counts as a try-lock: the code expects failure.
 * - C++: lock/unlock/try_lock, try_lock_for, try_lock_until, lock_shared/unlock_shared on std::mutex,
 * timed_mutex, recursive_(timed_)mutex, shared_(timed_)mutex; std::lock_guard, unique_lock (defer_lock,
 *   try_to_lock, adopt_lock, and its own lock()/unlock()), scoped_lock, shared_lock, released at
 *   the end of the guard variable's block.
 * - Clang thread-safety annotations as facts: a function declared outside the file with
 *   ACQUIRE(...)/RELEASE(...) (any macro spelling containing ACQUIRE, LOCK_FUNCTION, RELEASE,
 *   UNLOCK_FUNCTION, or the attribute names) is a lock/unlock op on the mutex it names, or on the
 *   object for a capability class's `Lock()` with no arguments (absl::Mutex style);
 *   REQUIRES(...)/EXCLUSIVE_LOCKS_REQUIRED(...) on a function puts those mutexes in its lock set
 *   on entry. GUARDED_BY is read on request (omen_c_locks_guarded_by). A project's own lock API
 *   (openvswitch's ovs_mutex_lock_at(const struct ovs_mutex *mutex, ...) OVS_ACQUIRES(mutex),
 *   OVS_ACQ_RDLOCK, OVS_RELEASES) is read the same way; an annotation naming a pointer parameter
 *   names the mutex it points to, as Clang reads it. NO_THREAD_SAFETY_ANALYSIS makes a function
 *   uncertain (the lock API's own code).
 * - Recursive mutexes, per mutex: std::recursive_(timed_)mutex, or initialized in the unit as such
 *   (pthread_mutex_init with an attribute set to PTHREAD_MUTEX_RECURSIVE, mtx_init(.., mtx_recursive),
 *   PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, an init function whose name or body says recursive:
 *   ovs_mutex_init_recursive); a mutex the unit never initializes, or initializes with a project
 *   function defined elsewhere (unless its NAME_recursive sibling is called too: ovs_mutex_init), is
 *   taken as recursive when the unit speaks of recursive mutexes at all (unsure: no double-lock
 *   finding).
 *
 * The walk: each function with lock activity (ops, or calls to such TU functions) is walked over
 * its structured control flow: if/else (a branch where a tested lock or try-lock call failed does
 * not hold it, one where a try-lock succeeded does), loops (body walked twice), switch, break,
 * continue, return, forward goto to labels (backward and computed goto make the function
 * uncertain), try/catch, noreturn calls, && || ?: (a lock there is "maybe held"). Two sets are kept:
 * held on every path (must) and on some path (may). Calls to TU functions apply the callee's
 * summary with its parameters, `this` and globals mapped to the caller's arguments.
 *
 * For a later map-race analyzer: the lock set at an access is omen_c_locks_at(lk, offset, false)
 * (or at the call that performs it, omen_c_locks_at_call); guards gives the RAII scopes;
 * mutexes[m].ckey compares mutexes across functions (by declaration: "struct conn::lock",
 * "Server::mu_", or the global's name). */
#ifndef OMEN_C_LOCKS_H
#define OMEN_C_LOCKS_H

#include "c_inspect.h"

/* At most this many distinct mutexes per function are tracked (more: the function is uncertain). */
#define OMEN_C_LOCKS_MAX 64

/* What a mutex expression is rooted at. */
typedef enum omen_c_root {
  OMEN_C_ROOT_GLOBAL = 0, /* a global or static variable (also a static local) */
  OMEN_C_ROOT_PARAM,      /* a parameter of the function */
  OMEN_C_ROOT_THIS,       /* a member of *this (C++), written or implicit */
  OMEN_C_ROOT_LOCAL,      /* an automatic variable of the function */
} omen_c_root;

/* The API family of a mutex. */
typedef enum omen_c_mutex_api {
  OMEN_C_MUTEX_PTHREAD = 0, /* pthread_mutex_t */
  OMEN_C_MUTEX_RWLOCK,      /* pthread_rwlock_t */
  OMEN_C_MUTEX_SPIN,        /* pthread_spinlock_t */
  OMEN_C_MUTEX_C11,         /* mtx_t */
  OMEN_C_MUTEX_STD,         /* std::mutex and relatives (the class is checked through libclang) */
} omen_c_mutex_api;

/* A mutex, identified by a stable key. Mutexes rooted at a parameter, *this or a local exist per
 * function (func says which); global-rooted ones are shared by every function of the unit. */
typedef struct omen_c_mutex {
  const char *key;  /* as written, normalized: "g_lock", "conn->lock", "this->mu_", "s.mu" */
  const char *skey; /* the same relative to the function's interface, for summaries:
                     * "g_lock", "$0->lock" (parameter 0), "this->mu_"; NULL for locals */
  const char *ckey; /* by declaration, comparable across functions: "g_lock", "struct conn::lock",
                     * "S::mu_"; NULL when unknown (locals, array elements) */
  const char *xkey; /* the same across translation units: the USR of a global with external linkage
                     * that a header declares, or of a field of a record a header declares, with
                     * that header's identity ("c:@g_lock@803:1234", "c:@S@conn@FI@lock@803:1234");
                     * NULL for locals, static and internal-linkage globals (each TU has its own,
                     * also when a header declares it), globals only the main file declares (maybe
                     * another program's), pointees, and records declared in the main file */
  omen_c_root root;
  omen_c_mutex_api api;
  uint32_t func;       /* owning function, or OMEN_C_NONE for global-rooted mutexes */
  bool recursive;      /* may be recursive: see "Recursive mutexes" above */
  bool shared_capable; /* rwlock, std::shared_(timed_)mutex */
} omen_c_mutex;

typedef enum omen_c_lockop_kind {
  OMEN_C_OP_LOCK = 0, /* blocking acquire (exclusive, or shared with .shared) */
  OMEN_C_OP_TRYLOCK,  /* may acquire: held on some paths only */
  OMEN_C_OP_UNLOCK,
  OMEN_C_OP_GUARD, /* RAII guard construction that acquires (lock_guard, unique_lock, ...) */
  OMEN_C_OP_ADOPT, /* RAII guard that adopts a held mutex or defers (std::adopt_lock, defer_lock) */
} omen_c_lockop_kind;

/* A lock operation: a call of c-inspect's call list that locks or unlocks a keyed mutex. */
typedef struct omen_c_lockop {
  omen_c_lockop_kind kind;
  bool shared;    /* rdlock, lock_shared, shared_lock */
  uint32_t call;  /* index into c-inspect's calls */
  uint32_t mutex; /* index into mutexes */
  uint32_t guard; /* OMEN_C_OP_GUARD/ADOPT: index into guards; else OMEN_C_NONE */
  uint32_t func;
  uint32_t start, end; /* the call */
} omen_c_lockop;

/* An RAII guard variable (std::lock_guard, unique_lock, scoped_lock, shared_lock). */
typedef struct omen_c_guard {
  uint32_t var;    /* index into c-inspect's vars, or OMEN_C_NONE */
  uint32_t mutex;  /* the first mutex it guards (scoped_lock: see mutex2) */
  uint32_t mutex2; /* scoped_lock's second mutex, or OMEN_C_NONE */
  uint32_t func;
  uint32_t start;     /* the declaration */
  uint32_t scope_end; /* end of the enclosing block: released there */
  bool deferred;      /* std::defer_lock: not held until its lock() */
  bool unique;        /* std::unique_lock / shared_lock: may unlock early */
} omen_c_guard;

/* A set of held mutexes: indices into mutexes. */
typedef struct omen_c_lockset {
  uint32_t n;
  const uint32_t *mutex;
  const uint32_t *by;      /* for each: the lock op that acquired it on some path, or OMEN_C_NONE (held
                            * on entry, or acquired through a call: see by_call) */
  const uint32_t *by_call; /* for each: the call to a TU function that acquired it, or OMEN_C_NONE */
} omen_c_lockset;

/* Where control leaves a function. */
typedef struct omen_c_exit {
  uint32_t func;
  uint32_t start, end;     /* the return statement (including ';'), or the closing brace */
  bool is_return;          /* false: falls off the end of the body */
  bool in_branch;          /* the return is the unbraced body of an if/else/loop */
  CXCursor stmt;           /* the ReturnStmt (null cursor for a fall-off) */
  CXCursor parent;         /* the statement directly containing it (compound, if, ...) */
  omen_c_lockset held;     /* held on every path here (RAII guards excluded: they release) */
  omen_c_lockset may;      /* held on some path here (RAII guards excluded) */
  omen_c_lockset released; /* locked and then unlocked by this function on every path here */
  uint32_t label;          /* jumps: offset of the target label statement; exits: OMEN_C_NONE */
} omen_c_exit;

/* A function's summary, in skey form (relative to its parameters, *this and globals). Up to 16 each. */
typedef struct omen_c_summary_item {
  const char *skey;
  uint32_t mutex; /* the function's own mutex entry */
  uint32_t op;    /* a lock op (maybe in a callee) that does it, or OMEN_C_NONE */
  bool shared;
} omen_c_summary_item;

typedef struct omen_c_summary {
  omen_c_summary_item *acquires; /* blocking acquisitions, transitively through TU calls */
  uint32_t nacquires;
  omen_c_summary_item *returns_held; /* acquired and held at every exit: a lock helper */
  uint32_t nreturns_held;
  omen_c_summary_item *releases; /* unlocked without being locked here: the caller's lock */
  uint32_t nreleases;
  omen_c_summary_item *drops; /* held on entry (REQUIRES, or a callee's drop) and unlocked on some path
                               * inside, maybe locked again: the caller's lock is let go meanwhile */
  uint32_t ndrops;
} omen_c_summary;

/* Per-function facts. */
typedef struct omen_c_lockfunc {
  bool relevant;  /* has lock ops or calls a function that does; others have empty facts */
  bool uncertain; /* goto backwards, unreadable branches (macros), too many mutexes, computed
                   * goto, longjmp: rules should stay quiet on it */
  bool has_goto;
  omen_c_summary summary;
  uint32_t *mutex_of; /* local id -> index into mutexes (nmutex entries) */
  uint32_t nmutex;
} omen_c_lockfunc;

/* The result. Owned by the unit's arena, do not free. NULL-free: arrays may be empty. */
typedef struct omen_c_lockinfo {
  const omen_c_index *in;
  omen_c_mutex *mutexes;
  uint32_t nmutexes;
  omen_c_lockop *ops; /* source order */
  uint32_t nops;
  omen_c_guard *guards;
  uint32_t nguards;
  omen_c_exit *exits; /* in walk order, per function */
  uint32_t nexits;
  omen_c_exit *jumps; /* forward gotos (stmt is the GotoStmt), with the lock sets at the goto */
  uint32_t njumps;
  omen_c_lockfunc *funcs; /* parallel to c-inspect's funcs */
  uint32_t *callee;       /* per call: the TU function it calls (definition in the main file) or
                           * OMEN_C_NONE */
  void *priv;             /* private: per-call lock states, statement snapshots */
} omen_c_lockinfo;

/* The lock op made by call i, or OMEN_C_NONE. */
uint32_t omen_c_locks_op_of_call(const omen_c_lockinfo *lk, uint32_t call);

/* The lock set just before call i runs (its arguments evaluated): held on every path (may=false)
 * or on some path (may=true). Empty set for calls in functions without lock activity or not
 * reached. Arrays are owned by the result. */
omen_c_lockset omen_c_locks_at_call(const omen_c_lockinfo *lk, uint32_t call, bool may);

/* The mutexes this function locked and then unlocked (and did not lock again) on every path to call i
 * (may=false) or on some path (may=true). */
omen_c_lockset omen_c_locks_released_at_call(const omen_c_lockinfo *lk, uint32_t call, bool may);

/* The lock set before the statement containing byte offset off (the innermost statement the walk
 * visited that starts at or before off in the function containing off). */
omen_c_lockset omen_c_locks_at(const omen_c_lockinfo *lk, uint32_t off, bool may);

/* The mutex a GUARDED_BY(...) / PT_GUARDED_BY(...) annotation on decl (a field or variable) names,
 * as written ("mu_", "g_lock"), copied into buf (size n); false when there is none. Call it from an
 * analyzer's run with its own pass. */
bool omen_c_locks_guarded_by(omen_pass *pass, CXCursor decl, char *buf, size_t n);

/* Is call i inside a branch of an if or a switch of its function (as the lock walk saw it)? */
bool omen_c_locks_call_in_branch(const omen_c_lockinfo *lk, uint32_t call);

/* Is mutex m in the set? */
bool omen_c_lockset_has(omen_c_lockset s, uint32_t m);

/* The mutexes the TU function called at call i acquires (blocking), as mutexes of the caller, with
 * the lock op in the callee chain that does it; returns how many were stored (at most cap). */
uint32_t omen_c_locks_call_acquires(const omen_c_lockinfo *lk, uint32_t call, uint32_t *mutex, uint32_t *op,
                                    uint32_t cap);

/* Mutex index of key in function func (global-rooted keys are found from any function), or
 * OMEN_C_NONE. */
uint32_t omen_c_locks_find(const omen_c_lockinfo *lk, uint32_t func, const char *key);

#endif
