/* c_threads.h - result of the c-threads base analyzer: the thread start sites of a C/C++ unit with
 * the routine each runs and where its handle goes, the unit's direct call graph, and the thread
 * context (which functions of the unit may run on a started thread, and from which start site).
 *
 * Use: list &omen_c_threads (and &omen_c_inspect) in requires, then
 *   const omen_c_thread_info *th = omen_pass_result(pass, &omen_c_threads);
 *   uint32_t s;
 *   if (th && omen_c_threads_in_context(th, call->func, &s))
 *     ... th->starts[s] started a thread that runs this function; report with a related location
 *     at in->calls[th->starts[s].call] ...
 * Function indexes are c-inspect's (omen_c_index.funcs); everything is per unit (one TU). */
#ifndef OMEN_C_THREADS_H
#define OMEN_C_THREADS_H

#include "c_inspect.h"

/* Which API starts the thread. */
typedef enum omen_c_thread_api {
  OMEN_C_THREAD_PTHREAD, /* pthread_create(&t, attr, routine, arg) */
  OMEN_C_THREAD_C11,     /* thrd_create(&t, routine, arg) */
  OMEN_C_THREAD_STD,     /* std::thread construction (also v.emplace_back(f, ...) on a container of them) */
  OMEN_C_THREAD_JTHREAD, /* std::jthread: joins itself when destroyed */
  OMEN_C_THREAD_ASYNC,   /* std::async(policy?, f, ...) */
} omen_c_thread_api;

/* std::async's launch policy as written. */
typedef enum omen_c_launch {
  OMEN_C_LAUNCH_NONE = 0, /* not std::async */
  OMEN_C_LAUNCH_DEFAULT,  /* no policy argument, or async|deferred: the library picks */
  OMEN_C_LAUNCH_ASYNC,    /* std::launch::async: a new thread */
  OMEN_C_LAUNCH_DEFERRED, /* std::launch::deferred: runs on the thread calling get()/wait() */
  OMEN_C_LAUNCH_UNKNOWN,  /* a policy that is not a constant */
} omen_c_launch;

/* Where the thread's handle (pthread_t, thrd_t, std::thread, std::future) goes. */
typedef enum omen_c_handle_kind {
  OMEN_C_HANDLE_UNKNOWN = 0, /* anything else (passed to a function, a cast, a macro, ...) */
  OMEN_C_HANDLE_LOCAL,       /* a local variable of the starting function: handle_var, handle_decl */
  OMEN_C_HANDLE_PARAM,       /* a parameter (pthread_create(tid, ...) with pthread_t *tid) */
  OMEN_C_HANDLE_GLOBAL,      /* a global, or a static local */
  OMEN_C_HANDLE_FIELD,       /* a struct or class member (s->tid, this->t_, t_): handle_decl is the field */
  OMEN_C_HANDLE_ELEMENT,     /* an array or container element (&tids[i], v.emplace_back(f),
                              * v.push_back(std::thread(f))): handle_decl is the array/container */
  OMEN_C_HANDLE_HEAP,        /* new std::thread(...): handle_decl is the pointer variable or field
                              * (null when the pointer is discarded or goes elsewhere) */
  OMEN_C_HANDLE_RETURNED,    /* return std::thread(...) / std::async(...) */
  OMEN_C_HANDLE_TEMP,        /* a discarded temporary: std::thread(f).detach(), a dropped future */
  OMEN_C_HANDLE_NULL,        /* pthread_create(NULL, ...) (invalid) */
} omen_c_handle_kind;

/* A thread start site. */
typedef struct omen_c_thread_start {
  omen_c_thread_api api;
  uint32_t call;         /* the starting call in c-inspect's calls (for std::thread the constructor call,
                          * for emplace_back the emplace_back call) */
  uint32_t func;         /* the function containing it (c-inspect funcs) */
  uint32_t routine_arg;  /* index of the routine among the call's args, or OMEN_C_NONE */
  uint32_t routine;      /* the TU function the thread runs (c-inspect funcs: a definition in the main
                          * file, a lambda, a functor's operator()), or OMEN_C_NONE when unknown or
                          * defined elsewhere */
  CXCursor routine_decl; /* the function or method named (null for lambdas and unknown callables) */
  uint32_t object_arg;   /* a member function pointer's object argument (&W::run, this), else NONE */
  omen_c_launch launch;  /* std::async only */
  omen_c_handle_kind handle;
  CXCursor handle_decl; /* the variable, parameter or field holding the handle (see the kinds);
                         * a null cursor when there is none */
  uint32_t handle_var;  /* LOCAL (and HEAP into a local pointer): c-inspect vars index, else NONE */
  uint32_t handle_start, handle_end; /* the handle expression's text (0, 0 when there is none) */
  bool discarded; /* the statement is just the start: nothing keeps the handle (TEMP, HEAP) */
  uint32_t loop;  /* innermost loop of its function around the call (not do-while(0)), or NONE */
} omen_c_thread_start;

/* The result. Owned by the unit's arena, do not free; cursors are valid while the unit lives. */
typedef struct omen_c_thread_info {
  const omen_c_index *in;
  omen_c_thread_start *starts; /* in source order */
  uint32_t nstarts;
  /* Call graph over c-inspect funcs: callees of f are callees[callee_first[f] .. callee_first[f+1]),
   * distinct, ascending; only direct calls (c-inspect's `direct`) whose callee is defined in the
   * main file. Calls through function pointers and functions passed as callbacks give no edge. */
  uint32_t *callee_first; /* nfuncs + 1 entries */
  uint32_t *callees;
  /* Thread context per function (nfuncs entries): the first start site (in source order) whose
   * routine reaches it, or OMEN_C_NONE; and the caller it is reached through on that start's
   * shortest path (OMEN_C_NONE for the routine itself). std::async with std::launch::deferred runs
   * on the caller's thread and starts no context. */
  uint32_t *ctx_start;
  uint32_t *ctx_via;
  /* private: per start site, a bitset over funcs (ctx_words words each), or NULL when too big */
  uint64_t *ctx_bits;
  uint32_t ctx_words;
  void *func_keys; /* private: funcs by location */
  uint32_t nfunc_keys;
} omen_c_thread_info;

/* The callees of function f in the unit: *out gets the array (owned by the result), returns count. */
uint32_t omen_c_threads_callees(const omen_c_thread_info *t, uint32_t f, const uint32_t **out);

/* The function of the unit that a callee declaration (a call's callee, a referenced function) is
 * defined as, or OMEN_C_NONE: definitions in the main file only; templates map to their pattern. */
uint32_t omen_c_threads_func_of(omen_pass *p, const omen_c_thread_info *t, CXCursor decl);

/* Thread context: may function f run on a thread started in this unit? That is, is it a start
 * site's routine, a function it calls directly (transitively, within the unit), or a lambda or
 * local class method defined inside one of those? *start (may be NULL) gets the first such start
 * site. Code in thread context may run concurrently with the code that started the thread and with
 * other instances of itself (another start of the same routine, or a start in a loop). */
bool omen_c_threads_in_context(const omen_c_thread_info *t, uint32_t f, uint32_t *start);

/* Does start site s's routine reach function f? (The routine itself counts.) When the unit has too
 * many start sites x functions for per-site sets, this answers as for the first start reaching f. */
bool omen_c_threads_reaches(const omen_c_thread_info *t, uint32_t s, uint32_t f);

/* The start site whose call is c-inspect call c, or OMEN_C_NONE. */
uint32_t omen_c_threads_start_of_call(const omen_c_thread_info *t, uint32_t call);

/* Is decl (a CXXMethod or its class) a member of std::thread / std::jthread? */
bool omen_c_is_std_thread_member(CXCursor decl, bool *jthread);

/* The object of a member call (t in t.join(), p in p->join(), v in v.push_back(x)), without parentheses
 * and implicit conversions; a null cursor when call is not a member call. */
CXCursor omen_c_member_object(CXCursor call);

/* Is type (after canonicalization, references and cv stripped) std::thread (or std::jthread)? */
bool omen_c_is_std_thread_type(CXType type, bool *jthread);

#endif
