/* go_context.h - result of the go-context base analyzer: the package call graph of a Go unit, which
 * functions may run concurrently (HTTP handlers, gRPC methods, goroutine bodies and what they reach),
 * and which context.Context a call could use.
 *
 * Functions are the GO_SITE_FUNC sites of go-inspect (declarations, methods and func literals);
 * go_ctx_func i describes ins->sites[GO_SITE_FUNC][i]. Everything is resolved with go-types, so
 * import aliases never matter and anything that cannot be resolved is left out (no guessing).
 *
 * All strings and structures are owned by the pass arena, do not free. Query functions may allocate
 * in that arena (they take a const result but the arena is the unit's); a unit's passes run on one
 * thread, so this needs no lock. */
#ifndef OMEN_GO_CONTEXT_H
#define OMEN_GO_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzers.h"
#include "go_inspect.h"
#include "go_types.h"
#include "pass.h"

/* ---- concurrency context of a function ---- */

enum {
  /* an HTTP handler: params (http.ResponseWriter, *http.Request) (this covers ServeHTTP methods and
   * literals passed to HandleFunc), or a function or method value passed to http.HandleFunc/Handle,
   * mux.HandleFunc/Handle or http.HandlerFunc(...) */
  GO_CTX_HANDLER = 1u << 0,
  /* a gRPC service method: a method (ctx context.Context, *XRequest|*XReq) returning
   * (*XResponse|*XReply|*XResp|*emptypb.Empty, error), or a method taking a generated stream
   * `Svc_MethodServer` (a named type with `_` in its name ending in "Server") returning error */
  GO_CTX_GRPC = 1u << 1,
  /* started in its own goroutine: the body of `go f()`, `go func(){...}()`, `go s.m()`, and function
   * values passed to `x.Go(f)` (errgroup, conc) or time.AfterFunc */
  GO_CTX_GOROUTINE = 1u << 2,
  /* reachable in the call graph from a HANDLER, GRPC or GOROUTINE function (not set on the roots
   * themselves unless another root reaches them) */
  GO_CTX_REACHABLE = 1u << 3,
};
#define GO_CTX_CONCURRENT (GO_CTX_HANDLER | GO_CTX_GRPC | GO_CTX_GOROUTINE | GO_CTX_REACHABLE)

/* How an edge of the call graph was found. */
typedef enum go_ctx_edge_kind {
  GO_EDGE_CALL = 0, /* a call: pkgFunc(), recv.Method() (also promoted through embedded fields), fv() where
                     * fv := func(){...} */
  GO_EDGE_REF,      /* a function or method value passed as a call argument (a callback it may call) */
  GO_EDGE_LIT,      /* a func literal defined in the caller's body (not started with `go`): it runs in the
                     * caller's context, e.g. func(){...}(), a callback, a sort function, a deferred closure */
  GO_EDGE_GO,       /* the callee is started with `go` (or x.Go / time.AfterFunc) in the caller */
} go_ctx_edge_kind;

/* One edge caller -> callee; indices into go_context.funcs. */
typedef struct go_ctx_edge {
  uint32_t caller, callee;
  go_ctx_edge_kind kind;
  uint32_t file; /* file of the site */
  TSNode site;   /* the call_expression (CALL, REF, GO of a named function), or the func_literal (LIT, and
                  * GO of a literal) */
} go_ctx_edge;

typedef struct go_ctx_func {
  const go_site *site; /* the GO_SITE_FUNC site */
  unsigned flags;      /* GO_CTX_* */
  const go_sig *sig;   /* its signature; NULL when unknown */
  int32_t parent;      /* func literals: index of the enclosing function; -1 otherwise */
  int32_t via;         /* REACHABLE: a function it is reached from (an edge via -> this); -1 otherwise */
  /* out-edges: edges[out .. out+nout) have caller == this; in-edges: in_edges[in .. in+nin) are indices
   * into edges whose callee == this */
  uint32_t out, nout, in, nin;
} go_ctx_func;

/* The result of go-context. Owned by the pass arena, do not free. */
typedef struct go_context {
  const go_inspect *ins;
  const go_types *types;
  go_ctx_func *funcs; /* parallel to ins->sites[GO_SITE_FUNC] */
  size_t nfuncs;
  go_ctx_edge *edges; /* sorted by caller, then source order */
  size_t nedges;
  uint32_t *in_edges; /* edge indices sorted by callee */
  bool truncated;     /* the edge cap was reached: some edges (and reachability) are missing */
  /* private */
  omen_arena *arena;
} go_context;

/* The function entry of a GO_SITE_FUNC site of ins, or of a function node (function_declaration,
 * method_declaration, func_literal) of file; NULL if unknown. */
const go_ctx_func *go_context_func(const go_context *c, const go_site *fn);
const go_ctx_func *go_context_func_node(const go_context *c, uint32_t file, TSNode fn);
/* The innermost function containing node n of file (NULL at top level). */
const go_ctx_func *go_context_func_at(const go_context *c, uint32_t file, TSNode n);
static inline int32_t go_context_index(const go_context *c, const go_ctx_func *f) {
  return f ? (int32_t)(f - c->funcs) : -1;
}
/* Flags of the innermost function containing n, and of each enclosing function through func literals
 * that are not started with `go`: the concurrency context code at n runs in. 0 at top level. */
unsigned go_context_flags_at(const go_context *c, uint32_t file, TSNode n);

/* The function a call_expression calls, when it is a function, method or literal of this package
 * (resolved like the call graph); NULL otherwise. */
const go_ctx_func *go_context_callee(const go_context *c, uint32_t file, TSNode call);

/* ---- contexts in scope ---- */

/* Where a context comes from, following `ctx2, cancel := context.WithTimeout(ctx1, ...)` chains. */
typedef enum go_ctx_origin {
  GO_ORIGIN_UNKNOWN = 0, /* some other expression (a package variable, a field, a call outside the table) */
  GO_ORIGIN_PARAM,       /* a context.Context parameter of an enclosing function */
  GO_ORIGIN_REQUEST,     /* r.Context() of an *http.Request */
  GO_ORIGIN_STREAM,      /* stream.Context() of a gRPC stream (a `Svc_MethodServer`/`..._Client` type) */
  GO_ORIGIN_BACKGROUND,  /* context.Background(), context.TODO() or context.WithoutCancel(...) */
} go_ctx_origin;

typedef struct go_ctx_ref {
  const char *expr;     /* expression text to use at the call: "ctx", "r.Context()", "stream.Context()" */
  go_ctx_origin origin; /* where it comes from */
  bool deadline;        /* the chain includes context.WithTimeout or context.WithDeadline */
  bool crossed_lit;     /* found in a function enclosing the call's func literal (captured) */
  bool cancelled;       /* between the declaration and the call the code ends the context on purpose or
                         * expects it ended: calls or hands off its cancel function (not `defer cancel()`),
                         * waits in a `<-ctx.Done()` statement, or mentions context.DeadlineExceeded or
                         * context.Canceled; a call there may rightly not use it */
  TSNode decl;          /* declaring node: parameter_declaration, short_var_declaration or var_spec */
} go_ctx_ref;

/* Options of go_context_in_scope. By default the search stops at func literals started with `go`,
 * deferred (`defer func(){...}()`) or passed to x.Go / time.AfterFunc: their body may run after the
 * enclosing function's context is gone, so that context is not "in scope" for them. */
enum {
  GO_CTX_SCOPE_CROSS_GO = 1u << 0, /* also search through goroutine, deferred and x.Go/AfterFunc literals */
  GO_CTX_SCOPE_NO_LITERALS = 1u << 1, /* never search outside the innermost function */
  GO_CTX_SCOPE_ANY_REQUEST = 1u << 2, /* `r.Context()` for an *http.Request parameter of any function, not
                                       * only of HTTP handlers and RoundTrip methods */
};

/* A context the code at node `at` (usually a call_expression) of file could use: searching outwards,
 * the latest context.Context variable declared before `at` in an enclosing block (`ctx, cancel :=
 * context.WithTimeout(...)`, `ctx := r.Context()`, `var ctx = ...`), then the enclosing function's
 * parameters (a context.Context parameter, else `r.Context()` for the *http.Request parameter r of an
 * HTTP handler or RoundTrip method, else `s.Context()` for a gRPC stream parameter s), then the same in
 * enclosing functions through func literals (see the options). Variables initialized directly with
 * context.Background(), TODO() or WithoutCancel(...) carry no cancellation and are skipped (derived ones,
 * `context.WithCancel(context.Background())`, count); so are blank and shadowed names and
 * `var ctx context.Context` without a value. Returns true and fills *out (may be NULL) when one is found;
 * false when none. */
bool go_context_in_scope(const go_context *c, uint32_t file, TSNode at, unsigned opts, go_ctx_ref *out);

/* Shorthand: the expression text of go_context_in_scope with default options, or NULL when none. */
const char *go_context_at(const go_context *c, uint32_t file, TSNode at);

/* The origin of a context expression expr of file (an identifier, `r.Context()`, `context.Background()`,
 * `context.WithTimeout(parent, d)` ...); *deadline (may be NULL) is set when the chain adds a deadline. */
go_ctx_origin go_context_origin(const go_context *c, uint32_t file, TSNode expr, bool *deadline);

/* ---- small helpers ---- */

/* Is the canonical type ty a generated gRPC stream type: a named type whose name contains '_' and ends
 * in "Server" (server side) or "Client" (client side), e.g. "example.com/pb.Greeter_ChatServer"? */
bool go_context_is_grpc_stream(const char *ty, bool *server);

#endif
