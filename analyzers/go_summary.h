/* go_summary.h - result of the go-summary base analyzer: per-function summaries of a Go unit: whether a
 * function may block forever (and where), which channels it sends on, receives from, ranges over or
 * closes, which WaitGroups it adds to, marks done or waits on, which parameters it closes or cancels,
 * and whether it watches a context or a quit channel.
 *
 * Summaries are computed on first request, bottom-up over go-context's call graph: asking for one
 * function computes the strongly connected components of everything it calls (CALL edges, and LIT edges
 * of func literals) and iterates each component to a fixed point, so recursion terminates and the answer
 * does not depend on the order of requests. A package whose code never asks costs nothing.
 *
 * What flows from a callee into its caller:
 *   - a call (`f(x)`, `s.m(x)`, `fv()` of a local literal) and a func literal called in place or deferred
 *     (`func(){...}()`, `defer func(){...}()`): everything (block, ops, watches, released parameters);
 *   - any other func literal of the caller (a callback passed to a call, a value stored or assigned): only
 *     what can make the caller's objects safe (CLOSE, RELEASE, WG_DONE ops, watches), marked
 *     GO_OPF_CALLBACK, since it may run later or never;
 *   - a function started with `go` (or x.Go, time.AfterFunc) and a function value passed as an argument:
 *     nothing (the first runs on its own; the second is unknown).
 * Ops on locals and parameters flow up any number of calls (mapped to the caller's arguments); ops on
 * struct fields and package variables (the same object everywhere) are carried one call deep only, and
 * RELEASE ops only for locals and parameters, so summaries stay small in big packages.
 *
 * Object identity (go_obj): a channel, WaitGroup or closable value is identified by a key string that is
 * the same whichever function names it, so a goroutine's op on a captured variable matches its spawner's:
 *   - a local variable or parameter: "L<file>:<offset>", the byte offset of its declaring identifier
 *     (obj.param says which parameter of the summarized function it is, if it is one);
 *   - a struct field: "<T>.<field>" with T the canonical type of the operand, dereferenced ("Server.jobs",
 *     "net/http.Server.x"), whatever the operand (`s.jobs`, `srv.jobs`);
 *   - a package-level variable: "G.<name>".
 * `&x` and parentheses are looked through. Anything else (index expressions, calls, unknown types) has no
 * identity (GO_OBJ_NONE) and is never guessed.
 *
 * All strings and structures are owned by the pass arena, do not free. Queries allocate in the unit's
 * arena; a unit's passes run on one thread, so this needs no lock. */
#ifndef OMEN_GO_SUMMARY_H
#define OMEN_GO_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzers.h"
#include "go_context.h"
#include "go_inspect.h"
#include "go_types.h"
#include "pass.h"

typedef enum go_obj_kind {
  GO_OBJ_NONE = 0, /* no identity */
  GO_OBJ_LOCAL,    /* a local variable or parameter (of the summarized function or an enclosing one) */
  GO_OBJ_FIELD,    /* a struct field, by type */
  GO_OBJ_GLOBAL,   /* a package-level variable */
} go_obj_kind;

typedef struct go_obj {
  go_obj_kind kind;
  int32_t param;    /* LOCAL: index among the parameters of the summarized function (receiver excluded); -1 */
  const char *key;  /* see above; NULL for NONE */
  const char *name; /* the expression as written at the op: "ch", "s.results" ("" for NONE) */
  uint32_t file;    /* LOCAL: file of decl */
  TSNode decl;      /* LOCAL: the declaring identifier */
} go_obj;

typedef enum go_op_kind {
  GO_OP_SEND = 0, /* `ch <- v` (also as a select case) */
  GO_OP_RECV,     /* `<-ch` (also as a select case; not Done() channels or timers, see below) */
  GO_OP_RANGE,    /* `for v := range ch` */
  GO_OP_CLOSE,    /* close(ch) */
  GO_OP_WG_ADD,   /* wg.Add(n) on a sync.WaitGroup */
  GO_OP_WG_DONE,  /* wg.Done() */
  GO_OP_WG_WAIT,  /* wg.Wait() */
  GO_OP_RELEASE,  /* x.Close(), x.Stop(), x.Cancel(), x.Shutdown() on any x, or x() for a local or parameter
                   * of a func type (a cancel function) */
  GO_OP_NKINDS
} go_op_kind;

enum {
  GO_OPF_SELECT = 1u << 0,  /* a case of a select statement */
  GO_OPF_ESCAPE = 1u << 1,  /* (select cases) the select has a way out: a default case, or a case receiving
                             * from a Done() channel, a timer (`time.After`, `t.C`) or a quit channel
                             * (go_summary_is_quit_name) */
  GO_OPF_SELRECV = 1u << 2, /* (select cases) the select has a receive case other than this op */
  GO_OPF_LOOP = 1u << 3,    /* inside a for statement of the function it is written in */
  GO_OPF_OK = 1u << 4,      /* RECV: `v, ok := <-ch`, which tells a closed channel */
  GO_OPF_DEFER = 1u << 5,   /* deferred: `defer close(ch)`, `defer wg.Done()`, or in a deferred call */
  GO_OPF_CALLEE = 1u << 6,  /* done in a called function or literal; node is the call (or literal) */
  GO_OPF_CALLBACK =
      1u << 7,           /* done in a func literal that is not called in place (may run later, or never) */
  GO_OPF_COND = 1u << 8, /* written inside an if, switch or select case body of its function (may not run) */
};

/* Does an op with these flags block until its channel is ready, with no way out? A send or receive that
 * is not a select case, or a select case of a select with no way out (GO_OPF_ESCAPE clear). */
static inline bool go_op_flags_blocking(unsigned flags) {
  return !(flags & GO_OPF_SELECT) || !(flags & GO_OPF_ESCAPE);
}

typedef struct go_op {
  go_op_kind kind;
  unsigned flags; /* GO_OPF_* */
  go_obj obj;
  uint32_t file;
  TSNode node;    /* in the summarized function: the op (send_statement, unary_expression `<-ch`,
                   * for_statement, call_expression) or, with GO_OPF_CALLEE/CALLBACK, the call or literal
                   * that leads to it */
  uint32_t wfile; /* file of witness */
  TSNode witness; /* the op itself, in whichever function it is written */
} go_op;

/* How a function may block forever. */
typedef enum go_block_kind {
  GO_BLOCK_NONE = 0,
  GO_BLOCK_SEND,      /* a send with no way out */
  GO_BLOCK_RECV,      /* a receive with no way out (not from a Done() channel or a timer) */
  GO_BLOCK_RANGE,     /* a range over a channel (until it is closed) */
  GO_BLOCK_SELECT,    /* a select with cases but no way out */
  GO_BLOCK_SELECT0,   /* `select {}` */
  GO_BLOCK_WAITGROUP, /* wg.Wait() on a sync.WaitGroup, or Wait() of an errgroup.Group */
  GO_BLOCK_COND,      /* c.Wait() on a *sync.Cond */
  GO_BLOCK_IO,        /* Read/Write/Accept... on a net.Conn, net.Listener or their *net.TCPConn... kin;
                       * http.ListenAndServe, http.Serve and a server's Serve/ListenAndServe */
} go_block_kind;

enum {
  GO_SUM_WATCHES_CTX = 1u << 0,  /* calls X.Done() or ctx.Err(), or passes a context.Context to a call */
  GO_SUM_WATCHES_QUIT = 1u << 1, /* receives from a quit/done/stop channel (go_summary_is_quit_name) */
  GO_SUM_SLEEPS = 1u << 2,       /* calls time.Sleep (blocks for a while, not forever): see sleep */
  GO_SUM_TRUNCATED = 1u << 3,    /* more than GO_SUMMARY_MAX_OPS ops: some are missing; treat the op list as
                                  * incomplete (rules that need "no op of this kind" must stay quiet) */
  GO_SUM_UNKNOWN = 1u << 4,      /* the function has syntax errors, or a callee's summary was cut off */
};

enum { GO_SUMMARY_MAX_OPS = 64 };

/* The summary of one function. */
typedef struct go_fsum {
  unsigned flags; /* GO_SUM_* */
  go_block_kind block;
  uint32_t block_file;
  TSNode block_node; /* in this function: the blocking op, or the call that leads to one */
  uint32_t block_wfile;
  TSNode block_witness; /* the blocking op itself */
  uint32_t sleep_file;
  TSNode sleep_node; /* GO_SUM_SLEEPS: the time.Sleep call (or the call that leads to it) */
  go_op *ops;
  uint32_t nops;
  uint64_t releases; /* bit i: parameter i is closed or cancelled (CLOSE or RELEASE, directly or
                      * through calls; callbacks count) */
} go_fsum;

/* The result of go-summary (opaque). */
typedef struct go_summary go_summary;

/* The summary of function f (a go-context function), or of the function at index i of go-context's funcs;
 * NULL on out of memory. Computed on first request. */
const go_fsum *go_summary_of(go_summary *s, const go_ctx_func *f);
const go_fsum *go_summary_at(go_summary *s, uint32_t i);

/* The identity of expression expr (a channel, a WaitGroup...) as seen in function fn (a function node:
 * declaration, method or literal) of file. Returns false and sets out->kind = GO_OBJ_NONE when it has
 * none. */
bool go_summary_obj(go_summary *s, uint32_t file, TSNode fn, TSNode expr, go_obj *out);

/* Maps an object of the callee's summary into the caller, for the call_expression `call` of file that
 * calls it (or starts it with `go`): a parameter of the callee becomes the argument's object (in the
 * function containing call); other objects keep their key, with param recomputed for the caller. For
 * a func literal called in place, call is that call. Returns false (out->kind NONE) when the argument
 * has no identity or does not exist (variadic tails). */
bool go_summary_map(go_summary *s, const go_ctx_func *callee, uint32_t file, TSNode call, const go_obj *in,
                    go_obj *out);

/* The sites of kind k (GO_SITE_SEND, RECV, SELECT, FOR, CALL or GO) whose innermost enclosing function is
 * function i of go-context (not its nested literals), in walk order; *out gets an array owned by the result.
 * Returns the count; 0 for other kinds. The lists are built once per unit on first use. */
size_t go_summary_sites(go_summary *s, go_site_kind k, uint32_t i, const go_site *const **out);

/* The ops of kind k (any kind with k == GO_OP_NKINDS) on the object with key (any object with key NULL),
 * filling out with up to cap pointers in order. Returns the count found (may exceed cap). */
size_t go_summary_ops(const go_fsum *sum, go_op_kind k, const char *key, const go_op **out, size_t cap);

/* The function a go statement (a GO_SITE_GO site, or any call started with `go`) runs, and the call
 * whose arguments bind its parameters (*call; the `go` statement's call for `go f(x)` and
 * `go func(c chan T){...}(x)`). NULL when it is not a function of this package. */
const go_ctx_func *go_summary_goroutine(const go_summary *s, const go_site *go, TSNode *call);

/* Could the call_expression `call` of file block forever: the block kind of the package function it calls
 * (through its summary), GO_BLOCK_NONE when it cannot, or when the callee is not of this package. Sets
 * *witness / *wfile (may be NULL) to the blocking op. */
go_block_kind go_summary_call_blocks(go_summary *s, uint32_t file, TSNode call, TSNode *witness,
                                     uint32_t *wfile);

/* ---- helpers ---- */

/* Does a select statement have a way out: a default case, or a case receiving from a Done() channel, a
 * timer or a quit channel? */
bool go_summary_select_escapes(const go_summary *s, uint32_t file, TSNode select);

/* Is the operand of a receive `<-x` a Done() channel (`ctx.Done()`, any `x.Done()` call)? A timer
 * (`time.After(d)`, `time.Tick(d)`, `clock.After(d)`, `t.C`)? */
bool go_summary_is_done_chan(const omen_file *f, TSNode x);
bool go_summary_is_timer_chan(const omen_file *f, TSNode x);

/* Does a channel expression's last name say it signals shutdown: it contains (any case) done, quit, stop,
 * exit, clos, shutdown, cancel, kill, dying, term, halt, abort or finish ("s.quit", "stopCh", "closing")? */
bool go_summary_is_quit_name(const omen_file *f, TSNode x);

/* The call that runs func literal lit in place: `func(){...}()`, also deferred or started with `go` (the
 * call's parent is then the defer or go statement); null when the literal is not called where it is
 * written (a callback, a stored value). */
TSNode go_summary_in_place_call(TSNode lit);

/* Is the select case cas (a communication_case) a way out: a receive from a Done() channel, a timer or a
 * quit channel? */
bool go_summary_case_escapes(const omen_file *f, TSNode cas);

/* The declaring identifier of parameter idx of function node fn (receiver excluded); null when there is no
 * such parameter or it is unnamed. */
TSNode go_summary_param(TSNode fn, uint32_t idx);

/* A label for a block kind, for messages: "a send", "a receive", "a range over a channel", ... */
const char *go_summary_block_label(go_block_kind k);

#endif
