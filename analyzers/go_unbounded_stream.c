/* go_unbounded_stream.c - the unbounded-stream family: request bodies read whole with no size limit,
 * gRPC streaming loops that ignore Send errors and the client's context, receive loops that keep every
 * item, and a goroutine started per item of an unbounded source. */
#include <string.h>

#include "analyzers.h"
#include "go_context.h"
#include "go_fix.h"
#include "go_inspect.h"
#include "go_types.h"
#include "pass.h"

/* ---------- rules ---------- */

static const omen_rule rule_body = {
    .id = "unbounded-stream/request-body-unlimited",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Request body read whole with no size limit",
    .what =
        "Reports reads that take the whole body of an incoming request into memory: `io.ReadAll` / "
        "`ioutil.ReadAll(r.Body)`, `json.NewDecoder(r.Body)` and `xml.NewDecoder(r.Body)` (a decoder buffers "
        "each value whole), and `io.Copy` / `buf.ReadFrom` into a `bytes.Buffer` or `strings.Builder`, where "
        "`r` is the `*http.Request` parameter of a server-side function (one that also takes an "
        "`http.ResponseWriter`: handlers, `ServeHTTP` methods, and framework-style handlers with more "
        "parameters). A helper that reads a `*http.Request` or `io.Reader` parameter is reported when a "
        "handler of the package passes it `r` or `r.Body` (one level of calls). Not reported when the body "
        "is limited first: `r.Body = http.MaxBytesReader(w, r.Body, n)` (any assignment to `r.Body` before "
        "the read), reading from `io.LimitReader(r.Body, n)` or another wrapper, a check of "
        "`r.ContentLength` against a bound before the read, or a package that limits every request (it "
        "calls `http.MaxBytesHandler`, or has a middleware that assigns `X.Body = http.MaxBytesReader(...)` "
        "or `io.LimitReader(...)` and calls `ServeHTTP`). Test code (`_test.go` files, test-helper packages, "
        "files importing `net/http/httptest`, and test-server packages: any of their files imports "
        "`net/http/httptest`) is not reported: the test sends the bodies itself.",
    .why =
        "A request body is whatever the client sends. Without a limit, one request with a multi-gigabyte "
        "body (or a slow endless chunked body) makes the handler allocate until the process runs out of "
        "memory, and every other request on the server dies with it; a few concurrent ones are enough even "
        "when each is \"only\" hundreds of megabytes. `http.Server` has no body limit of its own.",
    .example = "func (s *Server) create(w http.ResponseWriter, r *http.Request) {\n"
               "\tvar in CreateRequest\n"
               "\tif err := json.NewDecoder(r.Body).Decode(&in); err != nil {\n"
               "\t\thttp.Error(w, err.Error(), http.StatusBadRequest)\n"
               "\t\treturn\n"
               "\t}\n"
               "\t...\n"
               "}",
    .instead = "func (s *Server) create(w http.ResponseWriter, r *http.Request) {\n"
               "\tr.Body = http.MaxBytesReader(w, r.Body, 1<<20)\n"
               "\tvar in CreateRequest\n"
               "\tif err := json.NewDecoder(r.Body).Decode(&in); err != nil {\n"
               "\t\thttp.Error(w, err.Error(), http.StatusBadRequest)\n"
               "\t\treturn\n"
               "\t}\n"
               "\t...\n"
               "}",
    .fix =
        "Inserts `r.Body = http.MaxBytesReader(w, r.Body, 1<<20)` as the first statement of the handler "
        "(for a helper, of the handler that passes it the request, when both are in one file): bodies over "
        "1 MiB then fail to read with an error and the server answers 413 if nothing was written yet. "
        "Unsafe: review the limit (uploads may need more): it is the rule's `limit` option. No fix when the handler's `http.ResponseWriter` parameter is unnamed or `_`, "
        "`net/http` is dot-imported, or the body's first statement shares the line of its `{`.",
    .lang = "go",
    .options = (const omen_rule_option[]){{"limit", OMEN_OPT_BYTES, "1MiB", "the body size the fix allows"},
                                          {NULL, 0, NULL, NULL}},
};

static const omen_rule rule_send = {
    .id = "unbounded-stream/grpc-send-unchecked",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "gRPC streaming loop ignores Send errors and the client's context",
    .what =
        "Reports `stream.Send(x)` whose error is dropped (a statement of its own, or `_ = stream.Send(x)`) "
        "inside a loop that does not end by itself (`for {}`, `for cond {}`, or a range over a channel) in a "
        "gRPC server-streaming method (a method taking a generated `Svc_MethodServer` stream and returning "
        "`error`), when the method never looks at the stream's context (`stream.Context()`) and does not "
        "hand the stream to another function. Loops over a slice, a map or a counter end on their own and "
        "are not reported.",
    .why =
        "Once the client cancels or disconnects, every `Send` fails at once, but a loop that ignores the "
        "error and never checks `stream.Context().Done()` has no way to notice: the method keeps producing "
        "(polling, querying, serializing) for a client that is gone, holding its goroutine, its "
        "subscriptions and whatever it reads from, until the process restarts. Each abandoned stream adds "
        "one more such loop.",
    .example = "func (s *Server) Watch(req *pb.WatchRequest, stream pb.Store_WatchServer) error {\n"
               "\tfor ev := range s.events {\n"
               "\t\tstream.Send(ev)\n"
               "\t}\n"
               "\treturn nil\n"
               "}",
    .instead = "func (s *Server) Watch(req *pb.WatchRequest, stream pb.Store_WatchServer) error {\n"
               "\tfor ev := range s.events {\n"
               "\t\tif err := stream.Send(ev); err != nil {\n"
               "\t\t\treturn err\n"
               "\t\t}\n"
               "\t}\n"
               "\treturn nil\n"
               "}",
    .fix = "Replaces the statement with `if err := stream.Send(x); err != nil { return err }`. Safe: `Send` "
           "only fails when the stream is finished (the client went away, the deadline passed, or the "
           "transport broke), and then nothing sent afterwards reaches anyone. No fix inside a func literal "
           "(a `return` there would not leave the method).",
    .lang = "go",
};

static const omen_rule rule_accum = {
    .id = "unbounded-stream/recv-loop-accumulates",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Receive loop keeps every item of an external stream with no bound",
    .what =
        "Reports `x = append(x, ...)` (and `m[k] = v` for streams, request bodies and connections) in a "
        "loop that receives items from a source outside the program's control, when `x` lives across "
        "iterations and nothing bounds it. Sources: `stream.Recv()` of a gRPC server stream (what the "
        "client sends), a `bufio.Scanner` or a `json`/`xml`/`gob` decoder reading an `*http.Request` body "
        "(not limited first) or a network connection (`net.Conn`, `*tls.Conn`...); and a range or a "
        "blocking receive (also a `select` case) over a channel that comes from elsewhere (a struct field, "
        "a package variable, or a call that returns one: a subscription, a watch) when the items go into "
        "a field or a package variable, state that outlives the loop. Not reported: a local filled from a "
        "channel (the collection its function returns once the channel is closed, like errors drained "
        "on Close), channels made in the function or received as a parameter, `select` cases next to a "
        "`default` (a drain of what is buffered), timer, `Done()` and signal channels, client-side streams "
        "and response bodies (like `io.ReadAll(resp.Body)`, trusting the server is the caller's choice), "
        "loops with a counter clause or another condition, and loops where `x` is bounded: `len(x)` or "
        "`cap(x)` is looked at in the loop, `x` is reassigned or reset (`x = x[:0]`, `x = nil`, "
        "`x = x[1:]`; for a field anywhere in the package, and `len` of the field anywhere), its address is "
        "taken, a map entry is deleted, or an `if` with a size comparison breaks or returns. Test code is "
        "not reported.",
    .why = "The loop holds every item it has received for as long as it runs. A client that keeps sending, "
           "a peer that streams without end, or a subscription that lives for the life of the process makes "
           "the slice or map grow until the server runs out of memory; the growth is silent until then, "
           "and each `append` that outgrows its backing array copies everything received so far.",
    .example = "func (s *Server) Upload(stream pb.Store_UploadServer) error {\n"
               "\tvar chunks []*pb.Chunk\n"
               "\tfor {\n"
               "\t\tc, err := stream.Recv()\n"
               "\t\tif err == io.EOF {\n"
               "\t\t\treturn s.save(chunks)\n"
               "\t\t}\n"
               "\t\tif err != nil {\n"
               "\t\t\treturn err\n"
               "\t\t}\n"
               "\t\tchunks = append(chunks, c)\n"
               "\t}\n"
               "}",
    .instead = "func (s *Server) Upload(stream pb.Store_UploadServer) error {\n"
               "\tvar chunks []*pb.Chunk\n"
               "\tfor {\n"
               "\t\tc, err := stream.Recv()\n"
               "\t\t...\n"
               "\t\tif len(chunks) == maxChunks {\n"
               "\t\t\treturn status.Error(codes.ResourceExhausted, \"upload too large\")\n"
               "\t\t}\n"
               "\t\tchunks = append(chunks, c)\n"
               "\t}\n"
               "}",
    .fix = "No fix: bound the collection (reject, drop or flush past a limit) or process each item as it "
           "arrives.",
    .lang = "go",
};

static const omen_rule rule_goroutine = {
    .id = "unbounded-stream/goroutine-per-item",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Goroutine started for every item of an unbounded source with no limit",
    .what =
        "Reports a `go` statement (or `g.Go(...)` of an `errgroup.Group` without `SetLimit`) inside a loop "
        "over a source with no fixed size: a range or receive (also in `select`) over a channel, "
        "`stream.Recv()` of a gRPC stream, `for scanner.Scan()`, or a JSON/XML decoder loop, when nothing "
        "in the loop limits how many run at once: no send or receive on another channel (a semaphore "
        "`sem <- struct{}{}`, waiting for a result), no `Wait`, `Acquire` or `SetLimit` call, no `if` with "
        "a size comparison that skips or stops, and the goroutine does not start by acquiring a "
        "semaphore. Not reported: server accept loops and their channel form (`for { conn, _ := "
        "l.Accept(); go serve(conn) }`, a range over a channel of connections: one goroutine per "
        "connection is the idiom of Go servers); goroutines that run for good (their function, or one it "
        "calls, has a `for {}` or a range over a channel: one per subscriber or lease, not per unit of "
        "work); a worklist channel that the goroutines feed themselves (a traversal, bounded by what it "
        "walks); timer, `Done()`, signal and `chan struct{}` notification channels; `go` statements in a "
        "`select` case that does not receive an item, or before the loop's receive (the loop waits for "
        "each one). Test code is not reported.",
    .why = "The number of goroutines follows the input, not the machine: a burst of messages, a fast "
           "producer or a client that streams as fast as it can starts one goroutine per item, each with its "
           "stack and whatever it holds (connections, buffers, file descriptors). Downstream services get "
           "as many concurrent calls as there are items, and under load the process runs out of memory or "
           "descriptors instead of slowing down.",
    .example = "for job := range s.jobs {\n"
               "\tgo s.process(job)\n"
               "}",
    .instead = "sem := make(chan struct{}, 16)\n"
               "for job := range s.jobs {\n"
               "\tsem <- struct{}{}\n"
               "\tgo func(job Job) {\n"
               "\t\tdefer func() { <-sem }()\n"
               "\t\ts.process(job)\n"
               "\t}(job)\n"
               "}",
    .fix = "No fix: choose a limit (a buffered-channel semaphore, a fixed pool of workers ranging over the "
           "channel, or `errgroup.Group.SetLimit`).",
    .lang = "go",
};

/* ---------- small helpers ---------- */

static bool contains(TSNode outer, TSNode n) {
  return !ts_node_is_null(outer) && !ts_node_is_null(n) &&
         ts_node_start_byte(outer) <= ts_node_start_byte(n) && ts_node_end_byte(n) <= ts_node_end_byte(outer);
}

/* Is the callee expression fn `pkg.name` for an import of path in file (name NULL: any)? */
static bool qualified_is(const go_types *ty, uint32_t file, TSNode fn, const char *path, const char *name) {
  const char *p, *n;
  return go_types_qualified(ty, file, fn, &p, &n) && strcmp(p, path) == 0 && (!name || strcmp(n, name) == 0);
}

/* Is sel a selector expression `x.name`? */
static bool field_is(const omen_file *f, TSNode sel, const char *name) {
  return go_node_is(sel, GO_NODE_SELECTOR_EXPRESSION) && go_ts_teq(f, go_node_child(sel, GO_F_FIELD), name);
}

/* The value a local declaration (short_var_declaration, var_spec) gives its identifier name; null
 * when the shapes do not line up one to one or there is no value. */
static TSNode decl_value(TSNode decl, TSNode name) {
  bool svd = go_node_is(decl, GO_NODE_SHORT_VAR_DECLARATION);
  if (!svd && !go_node_is(decl, GO_NODE_VAR_SPEC))
    return go_ts_null();
  TSNode names = svd ? go_node_child(decl, GO_F_LEFT) : decl;
  TSNode values = go_node_child(decl, svd ? GO_F_RIGHT : GO_F_VALUE);
  uint32_t n = go_ts_nnamed(names), k = 0, idx = UINT32_MAX;
  for (uint32_t i = 0; i < n; i++) {
    TSNode id = go_ts_nth(names, i);
    if (!go_node_is(id, GO_NODE_IDENTIFIER))
      continue;
    if (ts_node_eq(id, name))
      idx = k;
    k++;
  }
  if (idx == UINT32_MAX || ts_node_is_null(values))
    return go_ts_null();
  if (go_ts_nnamed(values) == k)
    return go_ts_unparen(go_ts_nth(values, idx));
  if (idx == 0 && go_ts_nnamed(values) == 1) /* `x, err := f()`: the first result */
    return go_ts_unparen(go_ts_nth(values, 0));
  return go_ts_null();
}

/* The function node (declaration, method or literal) a parameter_declaration belongs to. */
static TSNode param_func(TSNode decl) {
  TSNode list = go_ts_parent(decl);
  TSNode fn = go_ts_parent(list);
  go_node k = go_node_kind(fn);
  if (k == GO_NODE_FUNCTION_DECLARATION || k == GO_NODE_FUNC_LITERAL ||
      (k == GO_NODE_METHOD_DECLARATION && ts_node_eq(go_node_child(fn, GO_F_PARAMETERS), list)))
    return fn;
  return go_ts_null();
}

/* Index of the parameter declared by identifier name in sig (matching its declaration node); -1. */
static int param_index(const go_sig *sig, const omen_file *f, TSNode decl, TSNode name) {
  for (size_t i = 0; sig && i < sig->nparams; i++)
    if (ts_node_eq(sig->params[i].node, decl) && sig->params[i].name &&
        go_ts_teq(f, name, sig->params[i].name))
      return (int)i;
  return -1;
}

/* ---------- the analyzer state ---------- */

typedef enum src_kind {
  SRC_NONE = 0,
  SRC_CHAN,   /* range or receive over a channel */
  SRC_STREAM, /* stream.Recv() of a gRPC stream */
  SRC_SCAN,   /* for scanner.Scan() */
  SRC_DECODE, /* decoder.Decode in `for {}`, or for decoder.More() */
} src_kind;

/* What a channel expression is, for deciding whether its items are unbounded. */
typedef enum chan_kind {
  CH_UNKNOWN = 0,
  CH_TIMER,  /* time.After, time.Tick, a Timer's or Ticker's C: periodic */
  CH_DONE,   /* x.Done(): closed once */
  CH_SIGNAL, /* os.Signal and chan struct{} notifications */
  CH_LOCAL,  /* made in this function */
  CH_PARAM,  /* a parameter */
  CH_OUTSIDE /* a field, a package variable, the result of a call */
} chan_kind;

typedef struct loop_info {
  bool classified;
  uint8_t src;    /* src_kind */
  bool untrusted; /* the items come from outside the program (streams, scanners, decoders) */
  bool accept;    /* a server's accept loop */
  bool receives;  /* `for {}` with a channel receive of its own (classified on first use) */
  TSNode item;    /* what yields the items: the receive, the Recv/Scan/Decode call, the range expression */
  TSNode from;    /* what the items are read from: the stream, scanner source, decoder source */
  /* facts about the body, computed on first use */
  bool facts;
  bool size_exit; /* an `if` with a size comparison that breaks or returns */
  bool size_skip; /* ... or continues */
} loop_info;

typedef struct reported {
  uint32_t loop;
  const char *target;
} reported;

enum { MAX_REPORTED = 256 };

typedef struct state {
  omen_pass *pass;
  const go_inspect *ins;
  const go_types *ty;
  const go_context *ctx;
  loop_info *loops; /* parallel to ins->sites[GO_SITE_FOR], allocated on first use */
  bool premarked;
  int middleware; /* -1 unknown, 0 no, 1 the package limits request bodies for every request */
  reported done[MAX_REPORTED];
  size_t ndone;
} state;

static const omen_file *file_of(const state *st, uint32_t file) { return st->ins->files[file]->file; }

static const go_site *func_site(const state *st, int32_t fi) {
  return fi >= 0 && (size_t)fi < st->ins->nsites[GO_SITE_FUNC] ? &st->ins->sites[GO_SITE_FUNC][fi] : NULL;
}

static bool test_code(const state *st, const go_site *s) {
  return go_fix_in_test_code(st->pass, st->ins, st->ty, s);
}

/* ---------- loops ---------- */

/* Index of the last FOR site at or before offset off of file (sites are in file, then source order);
 * -1 if none. */
static ptrdiff_t last_for_at(const state *st, uint32_t file, uint32_t off) {
  const go_site *v = st->ins->sites[GO_SITE_FOR];
  ptrdiff_t lo = 0, hi = (ptrdiff_t)st->ins->nsites[GO_SITE_FOR] - 1, best = -1;
  while (lo <= hi) {
    ptrdiff_t mid = lo + (hi - lo) / 2;
    bool le = v[mid].file < file || (v[mid].file == file && ts_node_start_byte(v[mid].node) <= off);
    if (le) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/* Index of the first site of kind k at or after offset off of file (sites are in file, then source
 * order); nsites when none. */
static size_t first_site_at(const state *st, go_site_kind k, uint32_t file, uint32_t off) {
  const go_site *v = st->ins->sites[k];
  size_t lo = 0, hi = st->ins->nsites[k];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid].file < file || (v[mid].file == file && ts_node_start_byte(v[mid].node) < off))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Walks the loops of function fi that contain node n in their body, innermost first: start with
 * *it = -2; returns the next loop's index, or -1 when there are no more. */
static ptrdiff_t next_loop(const state *st, uint32_t file, int32_t fi, TSNode n, ptrdiff_t *it) {
  const go_site *fn = func_site(st, fi);
  if (!fn)
    return -1;
  if (*it == -2)
    *it = last_for_at(st, file, ts_node_start_byte(n));
  uint32_t fstart = ts_node_start_byte(fn->node);
  for (; *it >= 0; (*it)--) {
    const go_site *l = &st->ins->sites[GO_SITE_FOR][*it];
    if (l->file != file || ts_node_start_byte(l->node) < fstart)
      break;
    if (l->func_index != fi)
      continue;
    TSNode body = go_node_child(l->node, GO_F_BODY);
    if (contains(body, n) && !ts_node_eq(body, n)) {
      ptrdiff_t r = (*it)--;
      return r;
    }
  }
  *it = -1;
  return -1;
}

/* The innermost loop of function fi whose body contains n; -1 if none. */
static ptrdiff_t innermost_loop(const state *st, uint32_t file, int32_t fi, TSNode n) {
  ptrdiff_t it = -2;
  return next_loop(st, file, fi, n, &it);
}

static bool ensure_loops(state *st) {
  if (st->loops)
    return true;
  size_t n = st->ins->nsites[GO_SITE_FOR];
  st->loops = omen_arena_alloc(omen_pass_arena(st->pass), (n ? n : 1) * sizeof *st->loops);
  return st->loops != NULL;
}

/* ---------- channels ---------- */

/* The canonical type ty as a channel type, through one named package type; NULL if not a channel. */
static const char *chan_type(const state *st, const char *ty) {
  if (!ty)
    return NULL;
  if (strncmp(ty, "chan ", 5) == 0 || strncmp(ty, "<-chan ", 7) == 0 || strncmp(ty, "chan<- ", 7) == 0)
    return ty;
  if (strchr(ty, '.') || strchr(ty, '[') || ty[0] == '*')
    return NULL;
  const go_decl *d = go_types_decl(st->ty, ty);
  if (!d || d->kind != GO_DECL_TYPE || ts_node_is_null(d->type))
    return NULL;
  const char *c = go_types_canonical(st->ty, d->file, d->type);
  return c && (strncmp(c, "chan ", 5) == 0 || strncmp(c, "<-chan ", 7) == 0) ? c : NULL;
}

/* The kind of the element type of channel type ct: timer, signal, or unknown (anything else). */
static chan_kind elem_kind(const state *st, const char *ct) {
  const char *el = ct ? go_types_elem(st->ty, ct) : NULL;
  if (!el)
    return CH_UNKNOWN;
  if (strcmp(el, "time.Time") == 0)
    return CH_TIMER;
  if (strcmp(el, "os.Signal") == 0 || strcmp(el, "struct{}") == 0)
    return CH_SIGNAL;
  return CH_UNKNOWN;
}

/* What the channel expression e of file is. known: e is certainly a channel (the operand of `<-`);
 * otherwise its type must say so. */
static chan_kind chan_of(const state *st, uint32_t file, TSNode e, bool known, int depth) {
  e = go_ts_unparen(e);
  if (depth > 3 || ts_node_is_null(e))
    return CH_UNKNOWN;
  const omen_file *f = file_of(st, file);
  const char *ct = chan_type(st, go_types_type_of(st->ty, file, e));
  if (!ct && !known)
    return CH_UNKNOWN;
  chan_kind ek = elem_kind(st, ct);
  if (ek != CH_UNKNOWN)
    return ek;
  switch (go_node_kind(e)) {
  case GO_NODE_CALL_EXPRESSION: {
    TSNode fn = go_node_child(e, GO_F_FUNCTION);
    if (field_is(f, fn, "Done") && go_ts_nargs(go_node_child(e, GO_F_ARGUMENTS)) == 0)
      return CH_DONE;
    if (qualified_is(st->ty, file, fn, "time", NULL))
      return CH_TIMER;
    if (qualified_is(st->ty, file, fn, "os/signal", NULL))
      return CH_SIGNAL;
    return CH_OUTSIDE;
  }
  case GO_NODE_SELECTOR_EXPRESSION: {
    if (go_types_qualified(st->ty, file, e, NULL, NULL))
      return CH_OUTSIDE; /* a package variable of another package */
    TSNode op = go_node_child(e, GO_F_OPERAND);
    const char *ot = go_types_type_of(st->ty, file, op);
    if (ot && (go_types_is_named(ot, "time", "Timer", NULL) || go_types_is_named(ot, "time", "Ticker", NULL)))
      return CH_TIMER;
    if (!ot && go_ts_teq(f, go_node_child(e, GO_F_FIELD), "C"))
      return CH_TIMER; /* t.C of an unresolved timer: most likely */
    return CH_OUTSIDE;
  }
  case GO_NODE_IDENTIFIER: {
    go_binding b;
    switch (go_types_lookup_ident(st->ty, file, e, &b)) {
    case GO_BIND_LOCAL: {
      go_node dk = go_node_kind(b.decl);
      if (dk == GO_NODE_PARAMETER_DECLARATION || dk == GO_NODE_VARIADIC_PARAMETER_DECLARATION)
        return CH_PARAM;
      TSNode v = decl_value(b.decl, b.name);
      if (ts_node_is_null(v))
        return CH_UNKNOWN;
      if (go_node_is(v, GO_NODE_CALL_EXPRESSION) && go_ts_teq(f, go_node_child(v, GO_F_FUNCTION), "make"))
        return CH_LOCAL;
      return chan_of(st, file, v, true, depth + 1);
    }
    case GO_BIND_PACKAGE:
      return CH_OUTSIDE;
    default:
      return CH_UNKNOWN;
    }
  }
  default:
    return CH_UNKNOWN;
  }
}

/* Can a channel of kind k carry a stream of work items (not a timer, Done or signal channel, and
 * known)? */
static bool chan_items(chan_kind k) { return k == CH_LOCAL || k == CH_PARAM || k == CH_OUTSIDE; }

/* ---------- readers from outside ---------- */

/* Is expr `R.Body` of an *http.Request R? *req gets R. */
static bool request_body(const state *st, uint32_t file, TSNode expr, TSNode *req) {
  expr = go_ts_unparen(expr);
  if (!field_is(file_of(st, file), expr, "Body"))
    return false;
  TSNode r = go_ts_unparen(go_node_child(expr, GO_F_OPERAND));
  const char *t = go_types_type_of(st->ty, file, r);
  if (!t || strcmp(t, "*net/http.Request") != 0)
    return false;
  if (req)
    *req = r;
  return true;
}

static bool body_limited_before(const state *st, uint32_t file, TSNode fn, const char *rname, uint32_t at);
static bool handler_params(const go_sig *sig, int *wi, int *ri);

/* Is identifier r the *http.Request parameter of a server-side function (one that also takes an
 * http.ResponseWriter)? *fn gets that function's node. */
static bool handler_request(const state *st, uint32_t file, TSNode r, TSNode *fn) {
  go_binding b;
  if (!go_node_is(r, GO_NODE_IDENTIFIER) || go_types_lookup_ident(st->ty, file, r, &b) != GO_BIND_LOCAL ||
      !go_node_is(b.decl, GO_NODE_PARAMETER_DECLARATION))
    return false;
  *fn = param_func(b.decl);
  const go_ctx_func *cf = go_context_func_node(st->ctx, file, *fn);
  int wi, ri;
  return cf && handler_params(cf->sig, &wi, &ri);
}

/* Does expr read from outside the process: the body of an incoming request (not limited before),
 * a network connection, or a bufio.Reader over one? */
static bool external_reader(const state *st, uint32_t file, TSNode expr, int depth) {
  expr = go_ts_unparen(expr);
  if (depth > 3 || ts_node_is_null(expr))
    return false;
  const omen_file *f = file_of(st, file);
  TSNode r, fn;
  if (request_body(st, file, expr, &r))
    return handler_request(st, file, r, &fn) &&
           !body_limited_before(st, file, fn, go_ts_text(st->pass, f, r), ts_node_start_byte(expr));
  static const char *const conns[][2] = {{"net", "Conn"},       {"net", "TCPConn"},     {"net", "UnixConn"},
                                         {"net", "PacketConn"}, {"crypto/tls", "Conn"}, {"net", "UDPConn"},
                                         {NULL, NULL}};
  const char *t = go_types_type_of(st->ty, file, expr);
  for (size_t i = 0; t && conns[i][0]; i++)
    if (go_types_is_named(t, conns[i][0], conns[i][1], NULL))
      return true;
  if (go_node_is(expr, GO_NODE_CALL_EXPRESSION)) {
    TSNode callee = go_node_child(expr, GO_F_FUNCTION);
    if (qualified_is(st->ty, file, callee, "bufio", "NewReader") ||
        qualified_is(st->ty, file, callee, "bufio", "NewReaderSize"))
      return external_reader(st, file, go_ts_arg(go_node_child(expr, GO_F_ARGUMENTS), 0), depth + 1);
    return false;
  }
  if (go_node_is(expr, GO_NODE_IDENTIFIER)) {
    go_binding b;
    if (go_types_lookup_ident(st->ty, file, expr, &b) != GO_BIND_LOCAL)
      return false;
    return external_reader(st, file, decl_value(b.decl, b.name), depth + 1);
  }
  return false;
}

/* For an identifier x initialized with `bufio.NewScanner(E)` (scanner) or `json|xml|gob.NewDecoder(E)`
 * (decoder): E; null otherwise. */
static TSNode made_from(const state *st, uint32_t file, TSNode x, bool scanner) {
  x = go_ts_unparen(x);
  go_binding b;
  if (!go_node_is(x, GO_NODE_IDENTIFIER) || go_types_lookup_ident(st->ty, file, x, &b) != GO_BIND_LOCAL)
    return go_ts_null();
  TSNode v = decl_value(b.decl, b.name);
  if (!go_node_is(v, GO_NODE_CALL_EXPRESSION))
    return go_ts_null();
  TSNode fn = go_node_child(v, GO_F_FUNCTION);
  bool ok = scanner ? qualified_is(st->ty, file, fn, "bufio", "NewScanner")
                    : (qualified_is(st->ty, file, fn, "encoding/json", "NewDecoder") ||
                       qualified_is(st->ty, file, fn, "encoding/xml", "NewDecoder") ||
                       qualified_is(st->ty, file, fn, "encoding/gob", "NewDecoder"));
  return ok ? go_ts_arg(go_node_child(v, GO_F_ARGUMENTS), 0) : go_ts_null();
}

static bool is_scanner(const state *st, uint32_t file, TSNode x) {
  const char *t = go_types_type_of(st->ty, file, x);
  if (t && go_types_is_named(t, "bufio", "Scanner", NULL))
    return true;
  return !ts_node_is_null(made_from(st, file, x, true));
}

/* ---------- loop sources ---------- */

static void mark(state *st, ptrdiff_t li, src_kind k, bool untrusted, TSNode item, TSNode from) {
  loop_info *l = &st->loops[li];
  if (!l->src) {
    l->src = (uint8_t)k;
    l->item = item;
    l->from = from;
  }
  l->untrusted |= untrusted;
}

/* Is the loop `for {}` (no condition, no clause)? Sources found inside other loops are bounded by
 * their condition or clause. */
static bool bare_loop(const go_site *l) { return ts_node_is_null(l->sub); }

/* Is the receive r (a unary `<-ch`) the communication of a select case? */
static bool in_select_case(TSNode r) {
  TSNode p = go_ts_parent(r);
  while (go_node_is(p, GO_NODE_PARENTHESIZED_EXPRESSION))
    p = go_ts_parent(p);
  return go_node_is(p, GO_NODE_RECEIVE_STATEMENT) && go_node_is(go_ts_parent(p), GO_NODE_COMMUNICATION_CASE);
}

/* Marks, without type work, the `for {}` loops with a channel receive of their own and the accept
 * loops; and classifies the `for {}` loops that call Recv on a gRPC stream or Decode on a decoder. */
static void premark(state *st) {
  if (st->premarked)
    return;
  st->premarked = true;
  const go_inspect *ins = st->ins;
  for (size_t i = 0; i < ins->nsites[GO_SITE_RECV]; i++) {
    const go_site *s = &ins->sites[GO_SITE_RECV][i];
    ptrdiff_t li = innermost_loop(st, s->file, s->func_index, s->node);
    if (li >= 0 && bare_loop(&ins->sites[GO_SITE_FOR][li]))
      st->loops[li].receives = true;
  }
  static const char *const names[] = {"Recv", "Decode", "Accept", "AcceptTCP", "AcceptUnix", NULL};
  for (size_t v = 0; names[v]; v++) {
    const go_site *const *calls;
    size_t n = go_inspect_calls_named(ins, names[v], &calls);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = calls[i];
      if (!go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION))
        continue;
      ptrdiff_t li = innermost_loop(st, s->file, s->func_index, s->node);
      if (li < 0)
        continue;
      if (v >= 2) {
        st->loops[li].accept = true;
        continue;
      }
      if (!bare_loop(&ins->sites[GO_SITE_FOR][li]))
        continue;
      TSNode x = go_node_child(s->sub, GO_F_OPERAND);
      if (v == 0) {
        bool server;
        if (go_context_is_grpc_stream(go_types_type_of(st->ty, s->file, x), &server))
          mark(st, li, SRC_STREAM, server, s->node, x);
      } else {
        TSNode from = made_from(st, s->file, x, false);
        if (!ts_node_is_null(from))
          mark(st, li, SRC_DECODE, external_reader(st, s->file, from, 0), s->node, from);
      }
    }
  }
}

/* Could loop li yield items, by cheap tests before classify: a `for {}` with a receive or a source
 * premark found, a range with at most one variable (channels give one), or `for x.Scan()` /
 * `for x.More()`. chans: count channel sources. */
static bool maybe_source(const state *st, ptrdiff_t li, bool chans) {
  const go_site *l = &st->ins->sites[GO_SITE_FOR][li];
  const loop_info *info = &st->loops[li];
  if (bare_loop(l))
    return info->accept || (info->src && info->src != SRC_CHAN) || (chans && (info->receives || info->src));
  go_node k = go_node_kind(l->sub);
  if (k == GO_NODE_RANGE_CLAUSE)
    return chans && go_ts_nnamed(go_node_child(l->sub, GO_F_LEFT)) <= 1;
  if (k != GO_NODE_CALL_EXPRESSION)
    return false;
  const omen_file *f = file_of(st, l->file);
  TSNode fn = go_node_child(l->sub, GO_F_FUNCTION);
  return field_is(f, fn, "Scan") || field_is(f, fn, "More");
}

/* The first receive of channel items (in source order) whose innermost loop is li; null if none.
 * direct: only receives that are not select cases; before: only receives starting before that offset. */
static TSNode loop_receive(const state *st, ptrdiff_t li, bool direct, uint32_t before) {
  const go_site *l = &st->ins->sites[GO_SITE_FOR][li];
  TSNode body = go_node_child(l->node, GO_F_BODY);
  uint32_t a = ts_node_start_byte(body), b = ts_node_end_byte(body);
  if (before < b)
    b = before;
  for (size_t i = first_site_at(st, GO_SITE_RECV, l->file, a); i < st->ins->nsites[GO_SITE_RECV]; i++) {
    const go_site *r = &st->ins->sites[GO_SITE_RECV][i];
    if (r->file != l->file || ts_node_start_byte(r->node) >= b)
      break;
    if (r->func_index != l->func_index || innermost_loop(st, r->file, r->func_index, r->node) != li ||
        (direct && in_select_case(r->node)) || !chan_items(chan_of(st, r->file, r->sub, true, 0)))
      continue;
    return r->node;
  }
  return go_ts_null();
}

/* Classifies loop li (once): its source of items, if any. */
static const loop_info *classify(state *st, ptrdiff_t li) {
  loop_info *l = &st->loops[li];
  if (l->classified)
    return l;
  l->classified = true;
  const go_site *s = &st->ins->sites[GO_SITE_FOR][li];
  const omen_file *f = file_of(st, s->file);
  if (bare_loop(s)) {
    if (l->receives && !l->src) {
      TSNode r = loop_receive(st, li, false, UINT32_MAX);
      if (!ts_node_is_null(r))
        mark(st, li, SRC_CHAN, false, r, go_node_child(r, GO_F_OPERAND));
    }
  } else if (go_node_is(s->sub, GO_NODE_RANGE_CLAUSE)) {
    TSNode x = go_node_child(s->sub, GO_F_RIGHT);
    if (chan_items(chan_of(st, s->file, x, false, 0)))
      mark(st, li, SRC_CHAN, false, x, x);
  } else if (go_node_is(s->sub, GO_NODE_CALL_EXPRESSION)) {
    TSNode fn = go_node_child(s->sub, GO_F_FUNCTION);
    TSNode x = go_node_child(fn, GO_F_OPERAND);
    if (field_is(f, fn, "Scan") && is_scanner(st, s->file, x)) {
      TSNode from = made_from(st, s->file, x, true);
      mark(st, li, SRC_SCAN, !ts_node_is_null(from) && external_reader(st, s->file, from, 0), s->sub,
           ts_node_is_null(from) ? x : from);
    } else if (field_is(f, fn, "More")) {
      TSNode from = made_from(st, s->file, x, false);
      if (!ts_node_is_null(from))
        mark(st, li, SRC_DECODE, external_reader(st, s->file, from, 0), s->sub, from);
    }
  }
  return l;
}

/* Does the if statement's condition compare sizes (<, <=, >, >=)? */
static bool relational(const omen_file *f, TSNode cond) {
  cond = go_ts_unparen(cond);
  if (!go_node_is(cond, GO_NODE_BINARY_EXPRESSION))
    return false;
  TSNode op = go_node_child(cond, GO_F_OPERATOR);
  if (go_ts_teq(f, op, "&&") || go_ts_teq(f, op, "||"))
    return relational(f, go_node_child(cond, GO_F_LEFT)) || relational(f, go_node_child(cond, GO_F_RIGHT));
  return go_ts_teq(f, op, "<") || go_ts_teq(f, op, "<=") || go_ts_teq(f, op, ">") || go_ts_teq(f, op, ">=");
}

/* Computes the size-check facts of loop li: an if with a size comparison whose consequence leaves
 * (break, return) or skips (continue). */
static const loop_info *loop_facts(state *st, ptrdiff_t li) {
  loop_info *l = &st->loops[li];
  if (l->facts)
    return l;
  l->facts = true;
  const go_site *s = &st->ins->sites[GO_SITE_FOR][li];
  const omen_file *f = file_of(st, s->file);
  TSNode body = go_node_child(s->node, GO_F_BODY);
  if (ts_node_is_null(body))
    return l;
  TSTreeCursor c = ts_tree_cursor_new(body);
  bool in_size_if = false; /* inside the consequence of a size `if`, which ends at size_end */
  uint32_t size_end = 0;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(n);
    bool down = k != GO_NODE_FUNC_LITERAL;
    if (in_size_if && ts_node_start_byte(n) >= size_end)
      in_size_if = false;
    if (k == GO_NODE_IF_STATEMENT && !in_size_if && relational(f, go_node_child(n, GO_F_CONDITION))) {
      TSNode cons = go_node_child(n, GO_F_CONSEQUENCE);
      in_size_if = true;
      size_end = ts_node_end_byte(cons);
    }
    if (in_size_if) {
      if (k == GO_NODE_BREAK_STATEMENT || k == GO_NODE_RETURN_STATEMENT || k == GO_NODE_GOTO_STATEMENT)
        l->size_exit = true;
      else if (k == GO_NODE_CONTINUE_STATEMENT)
        l->size_skip = true;
    }
    if (!go_ts_cursor_next(&c, down))
      break;
  }
  ts_tree_cursor_delete(&c);
  return l;
}

/* The item a sink at node n of loop li is started or kept for: for `for {}` over channels, the receive
 * of the select case n is in (null when that case sends, times out, waits for Done or is a default), or,
 * outside any case, the loop's first direct receive when it comes before n; for other loops the loop's
 * item when n comes after it (or it is the range expression or condition). Null: not per item. */
static TSNode sink_item(const state *st, ptrdiff_t li, TSNode n) {
  const go_site *l = &st->ins->sites[GO_SITE_FOR][li];
  const loop_info *info = &st->loops[li];
  if (!bare_loop(l))
    return info->item;
  if (info->src != SRC_CHAN)
    return ts_node_start_byte(info->item) < ts_node_start_byte(n) ? info->item : go_ts_null();
  TSNode body = go_node_child(l->node, GO_F_BODY);
  for (TSNode p = go_ts_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, body); p = go_ts_parent(p)) {
    go_node k = go_node_kind(p);
    if (k == GO_NODE_FUNC_LITERAL)
      break;
    if (k == GO_NODE_DEFAULT_CASE && go_node_is(go_ts_parent(p), GO_NODE_SELECT_STATEMENT))
      return go_ts_null();
    if (k != GO_NODE_COMMUNICATION_CASE)
      continue;
    TSNode com = go_node_child(p, GO_F_COMMUNICATION);
    if (contains(com, n))
      continue;
    if (!go_node_is(com, GO_NODE_RECEIVE_STATEMENT))
      return go_ts_null();
    TSNode r = go_ts_unparen(go_node_child(com, GO_F_RIGHT));
    if (!go_node_is(r, GO_NODE_UNARY_EXPRESSION) ||
        !chan_items(chan_of(st, l->file, go_node_child(r, GO_F_OPERAND), true, 0)))
      return go_ts_null();
    return r;
  }
  return loop_receive(st, li, true, ts_node_start_byte(n));
}

/* Walks the loops around sink node n (in function fi of file) that yield items, innermost first (start
 * with *it = -2): returns the next one and sets *item to what n is done per (sink_item); -1 when there
 * are no more, or the walk must stop: an accept loop, or n is not per item of a loop with a source.
 * chans: channel sources count. */
static ptrdiff_t next_item_loop(state *st, uint32_t file, int32_t fi, TSNode n, bool chans, ptrdiff_t *it,
                                TSNode *item) {
  ptrdiff_t li;
  while ((li = next_loop(st, file, fi, n, it)) >= 0) {
    if (!maybe_source(st, li, chans))
      continue;
    const loop_info *info = classify(st, li);
    if (info->accept)
      return -1;
    if (!info->src)
      continue;
    *item = sink_item(st, li, n);
    return ts_node_is_null(*item) ? -1 : li;
  }
  return -1;
}

/* The channel expression of an item (the operand of a receive, or a range expression); null for other
 * items (calls). */
static TSNode item_chan(TSNode item) {
  if (go_node_is(item, GO_NODE_UNARY_EXPRESSION))
    return go_node_child(item, GO_F_OPERAND);
  return go_node_is(go_ts_parent(item), GO_NODE_RANGE_CLAUSE) ? item : go_ts_null();
}

/* Is the receive item a case of a select with a default: a non-blocking drain of what is buffered? */
static bool drain_case(TSNode item) {
  if (!go_node_is(item, GO_NODE_UNARY_EXPRESSION) || !in_select_case(item))
    return false;
  TSNode p = go_ts_parent(item);
  while (!ts_node_is_null(p) && !go_node_is(p, GO_NODE_SELECT_STATEMENT))
    p = go_ts_parent(p);
  uint32_t n = go_ts_nnamed(p);
  for (uint32_t i = 0; i < n; i++)
    if (go_node_is(go_ts_nth(p, i), GO_NODE_DEFAULT_CASE))
      return true;
  return false;
}

/* The variable an item is assigned to: `v := <-ch`, `case v := <-ch:`, `for v := range ch`; null. */
static TSNode item_var(TSNode item) {
  TSNode p = go_ts_parent(item);
  if (go_node_is(p, GO_NODE_RANGE_CLAUSE)) {
    TSNode left = go_node_child(p, GO_F_LEFT);
    return go_ts_nth(left, go_ts_nnamed(left) ? go_ts_nnamed(left) - 1 : 0);
  }
  if (go_node_is(p, GO_NODE_EXPRESSION_LIST))
    p = go_ts_parent(p);
  if (go_node_is(p, GO_NODE_RECEIVE_STATEMENT) || go_node_is(p, GO_NODE_SHORT_VAR_DECLARATION) ||
      go_node_is(p, GO_NODE_ASSIGNMENT_STATEMENT))
    return go_ts_nth(go_node_child(p, GO_F_LEFT), 0);
  return go_ts_null();
}

/* "values received from ch", "messages received from stream"...: what the items of a loop are. */
static const char *item_what(state *st, uint32_t file, const loop_info *info, TSNode item) {
  static const char *const kinds[] = {"items of", "values received from", "messages received from",
                                      "lines scanned from", "values decoded from"};
  TSNode ch = item_chan(item);
  TSNode from = info->src == SRC_CHAN && !ts_node_is_null(ch) ? ch : info->from;
  return omen_arena_printf(omen_pass_arena(st->pass), "%s %s", kinds[info->src < 5 ? info->src : 0],
                           go_ts_text(st->pass, file_of(st, file), from));
}

static bool ends_with(const char *s, size_t n, const char *suffix) {
  size_t m = strlen(suffix);
  return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Are the items of channel item connections (a channel of net.Conn or of a type named ...Conn, or items
 * received into a variable named conn...)? Then the loop is a server's accept loop in another form. */
static bool conn_items(const state *st, uint32_t file, TSNode item) {
  TSNode ch = item_chan(item);
  const char *ct = ts_node_is_null(ch) ? NULL : chan_type(st, go_types_type_of(st->ty, file, ch));
  const char *el = ct ? go_types_elem(st->ty, ct) : NULL;
  if (el && (ends_with(el, strlen(el), "Conn") || ends_with(el, strlen(el), "Connection")))
    return true;
  TSNode v = item_var(item);
  if (!go_node_is(v, GO_NODE_IDENTIFIER))
    return false;
  const char *t = file_of(st, file)->text + ts_node_start_byte(v);
  size_t n = ts_node_end_byte(v) - ts_node_start_byte(v);
  return (n >= 4 && strncmp(t, "conn", 4) == 0) || ends_with(t, n, "Conn");
}

/* ---------- request bodies ---------- */

/* Is `rname.Body` assigned in function fn before offset at, or `rname.ContentLength` compared with a
 * bound there? */
static bool body_limited_before(const state *st, uint32_t file, TSNode fn, const char *rname, uint32_t at) {
  if (ts_node_is_null(fn) || !rname)
    return false;
  static const char *const fields[] = {"Body", "ContentLength", NULL};
  for (size_t v = 0; fields[v]; v++) {
    const go_site *const *sel;
    size_t n = go_inspect_lookup_name(st->ins, GO_SITE_SELECTOR, fields[v], &sel);
    const omen_file *f = file_of(st, file);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = sel[i];
      if (s->file != file || !contains(fn, s->node) || ts_node_start_byte(s->node) >= at ||
          !go_ts_teq(f, s->sub, rname))
        continue;
      TSNode p = s->parent;
      if (v == 0) {
        TSNode stmt = go_ts_parent(p);
        if (go_node_is(p, GO_NODE_EXPRESSION_LIST) && go_node_is(stmt, GO_NODE_ASSIGNMENT_STATEMENT) &&
            ts_node_eq(go_node_child(stmt, GO_F_LEFT), p))
          return true;
      } else if (go_node_is(p, GO_NODE_BINARY_EXPRESSION) && relational(f, p)) {
        return true;
      }
    }
  }
  return false;
}

/* Does the package limit every request body: http.MaxBytesHandler, or a middleware that assigns
 * `X.Body = <MaxBytesReader or LimitReader>` and calls ServeHTTP? */
static bool package_limits(state *st) {
  if (st->middleware >= 0)
    return st->middleware == 1;
  st->middleware = 0;
  const go_site *const *v;
  size_t n = go_inspect_calls_named(st->ins, "MaxBytesHandler", &v);
  for (size_t i = 0; i < n; i++)
    if (qualified_is(st->ty, v[i]->file, v[i]->sub, "net/http", NULL))
      return (st->middleware = 1) == 1;
  static const char *const limiters[] = {"MaxBytesReader", "LimitReader", NULL};
  const go_site *const *serve;
  size_t nserve = go_inspect_calls_named(st->ins, "ServeHTTP", &serve);
  for (size_t l = 0; limiters[l] && nserve; l++) {
    n = go_inspect_calls_named(st->ins, limiters[l], &v);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = v[i];
      TSNode list = s->parent, stmt = go_ts_parent(list);
      if (!go_node_is(list, GO_NODE_EXPRESSION_LIST) || !go_node_is(stmt, GO_NODE_ASSIGNMENT_STATEMENT) ||
          !field_is(file_of(st, s->file), go_ts_nth(go_node_child(stmt, GO_F_LEFT), 0), "Body"))
        continue;
      const go_site *fn = go_inspect_func_of(st->ins, s);
      for (size_t k = 0; fn && k < nserve; k++)
        if (serve[k]->file == s->file && contains(fn->node, serve[k]->node))
          return (st->middleware = 1) == 1;
    }
  }
  return false;
}

/* Does a file of the package that is not a _test.go file import net/http/httptest? Then it is a
 * test-server package (like gomega's ghttp): its handlers serve the test that runs them. */
static bool test_server_package(const state *st) {
  for (uint32_t i = 0; i < st->ins->nfiles; i++)
    if (!st->ins->files[i]->file->is_test && go_types_import_of(st->ty, i, "net/http/httptest"))
      return true;
  return false;
}

/* The indices of the http.ResponseWriter and *http.Request parameters of sig; false if it lacks one. */
static bool handler_params(const go_sig *sig, int *wi, int *ri) {
  *wi = *ri = -1;
  for (size_t i = 0; sig && i < sig->nparams; i++) {
    const char *t = sig->params[i].type;
    if (t && *wi < 0 && strcmp(t, "net/http.ResponseWriter") == 0)
      *wi = (int)i;
    else if (t && *ri < 0 && strcmp(t, "*net/http.Request") == 0)
      *ri = (int)i;
  }
  return *wi >= 0 && *ri >= 0;
}

/* Fix: `r.Body = http.MaxBytesReader(w, r.Body, 1<<20)` as the first statement of handler fn (file
 * of the diagnostic only). */
static void body_fix(state *st, omen_diag *d, uint32_t file, const go_ctx_func *h, const char *rname) {
  int wi, ri;
  if (!d || !h || h->site->file != file || !handler_params(h->sig, &wi, &ri))
    return;
  const char *w = h->sig->params[wi].name, *r = h->sig->params[ri].name;
  if (!w || !r || strcmp(w, "_") == 0 || strcmp(r, rname) != 0)
    return;
  const go_import *imp = go_types_import_of(st->ty, file, "net/http");
  if (!imp)
    return;
  const omen_file *f = file_of(st, file);
  TSNode body = h->site->sub;
  TSNode first = go_ts_nth(body, 0);
  if (ts_node_is_null(first) || !go_fix_starts_line(f, ts_node_start_byte(first)))
    return;
  uint32_t at = go_fix_line_start(f, ts_node_start_byte(first));
  const char *ind = go_fix_indent_of(st->pass, f, ts_node_start_byte(first));
  omen_arena *a = omen_pass_arena(st->pass);
  go_fix_edits e = {0};
  long long limit = 1LL << 20;
  omen_pass_bytes_option(st->pass, &rule_body, "limit", &limit);
  const char *human = NULL, *lim = go_fix_bytes(a, limit, &human);
  if (ind && lim && human &&
      go_fix_add(&e, at, at,
                 omen_arena_printf(a, "%s%s.Body = %s.MaxBytesReader(%s, %s.Body, %s)\n", ind, r, imp->name, w, r, lim)))
    go_fix_emit(st->pass, d, f, OMEN_FIX_UNSAFE, &e,
                omen_arena_printf(a, "limit %s.Body to %s with %s.MaxBytesReader", r, human, imp->name));
}

/* The read of a request body at call s, body expression arg: reports it when it comes unlimited from a
 * handler, directly or through one call. */
static void body_read(state *st, const go_site *s, TSNode arg, const char *how) {
  const omen_file *f = file_of(st, s->file);
  arg = go_ts_unparen(arg);
  TSNode r;
  bool direct = request_body(st, s->file, arg, &r);
  TSNode id = direct ? r : arg; /* the parameter we follow: the request, or an io.Reader */
  go_binding b;
  if (!go_node_is(id, GO_NODE_IDENTIFIER) ||
      go_types_lookup_ident(st->ty, s->file, id, &b) != GO_BIND_LOCAL ||
      !go_node_is(b.decl, GO_NODE_PARAMETER_DECLARATION))
    return;
  if (!direct) {
    const char *t = go_types_type_of(st->ty, s->file, id);
    if (!t || (strcmp(t, "io.Reader") != 0 && strcmp(t, "io.ReadCloser") != 0))
      return;
  }
  TSNode fnode = param_func(b.decl);
  const go_ctx_func *fn = go_context_func_node(st->ctx, s->file, fnode);
  if (!fn)
    return;
  const char *name = go_ts_text(st->pass, f, id);
  const char *callee = go_ts_text(st->pass, f, s->sub);
  int wi, ri;
  if (direct && handler_params(fn->sig, &wi, &ri)) {
    if (body_limited_before(st, s->file, fnode, name, ts_node_start_byte(s->node)))
      return;
    omen_diag *d = omen_pass_report(
        st->pass, &rule_body, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
        "%s %s the request body of %s with no size limit: a client can send an arbitrarily large body and "
        "the server holds all of it in memory; wrap %s.Body with http.MaxBytesReader first",
        callee, how, name, name);
    body_fix(st, d, s->file, fn, name);
    return;
  }
  /* a helper: the handlers of the package that pass it their request (or its body) */
  int pi = param_index(fn->sig, f, b.decl, b.name);
  if (pi < 0)
    return;
  for (uint32_t k = fn->in; k < fn->in + fn->nin; k++) {
    const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[k]];
    const go_ctx_func *caller = &st->ctx->funcs[ed->caller];
    if (ed->kind != GO_EDGE_CALL || !handler_params(caller->sig, &wi, &ri) || !caller->sig->params[ri].name)
      continue;
    const omen_file *cf = file_of(st, ed->file);
    TSNode a0 = go_ts_unparen(go_ts_arg(go_node_child(ed->site, GO_F_ARGUMENTS), (uint32_t)pi));
    TSNode cr;
    if (!direct && !request_body(st, ed->file, a0, &cr))
      continue;
    if (direct)
      cr = a0;
    const char *rname = caller->sig->params[ri].name;
    go_binding cb;
    if (!go_ts_teq(cf, cr, rname) || go_types_lookup_ident(st->ty, ed->file, cr, &cb) != GO_BIND_LOCAL ||
        !ts_node_eq(param_func(cb.decl), caller->site->node) ||
        body_limited_before(st, ed->file, caller->site->node, rname, ts_node_start_byte(ed->site)))
      continue;
    const char *hname = caller->site->name && caller->site->name[0] ? caller->site->name : "a handler";
    omen_diag *d = omen_pass_report(
        st->pass, &rule_body, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
        "%s %s the request body that %s passes in, with no size limit: a client can send an arbitrarily "
        "large body and the server holds all of it in memory; wrap %s.Body with http.MaxBytesReader in %s",
        callee, how, hname, rname, hname);
    if (d)
      d->confidence = OMEN_CONF_MEDIUM;
    omen_diag_add_related(st->pass, d, cf, ts_node_start_byte(ed->site), ts_node_end_byte(ed->site),
                          "the request reaches the read from this call in %s", hname);
    body_fix(st, d, s->file, caller, rname);
    return;
  }
}

/* Has the package a server-side function (one taking an http.ResponseWriter and an *http.Request)? */
static bool has_handlers(const state *st) {
  int wi, ri;
  for (size_t i = 0; i < st->ctx->nfuncs; i++)
    if (handler_params(st->ctx->funcs[i].sig, &wi, &ri))
      return true;
  return false;
}

static void check_bodies(state *st) {
  if (!has_handlers(st))
    return;
  static const char *const names[] = {"ReadAll", "NewDecoder", "Copy", "CopyBuffer", "ReadFrom", NULL};
  bool limits_known = false;
  for (size_t v = 0; names[v]; v++) {
    const go_site *const *calls;
    size_t n = go_inspect_calls_named(st->ins, names[v], &calls);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = calls[i];
      if (!go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION))
        continue;
      TSNode args = go_node_child(s->node, GO_F_ARGUMENTS);
      TSNode arg;
      const char *how = "reads all of";
      if (v == 0) {
        if (!qualified_is(st->ty, s->file, s->sub, "io", "ReadAll") &&
            !qualified_is(st->ty, s->file, s->sub, "io/ioutil", "ReadAll"))
          continue;
        arg = go_ts_arg(args, 0);
      } else if (v == 1) {
        if (!qualified_is(st->ty, s->file, s->sub, "encoding/json", "NewDecoder") &&
            !qualified_is(st->ty, s->file, s->sub, "encoding/xml", "NewDecoder"))
          continue;
        arg = go_ts_arg(args, 0);
        how = "decodes values of any size from";
      } else {
        TSNode dst;
        if (v == 4) {
          if (go_types_qualified(st->ty, s->file, s->sub, NULL, NULL))
            continue;
          dst = go_node_child(s->sub, GO_F_OPERAND);
          arg = go_ts_arg(args, 0);
        } else {
          if (!qualified_is(st->ty, s->file, s->sub, "io", NULL))
            continue;
          dst = go_ts_arg(args, 0);
          arg = go_ts_arg(args, 1);
        }
        const char *t = go_types_type_of(st->ty, s->file, dst);
        if (!t || !(go_types_is_named(t, "bytes", "Buffer", NULL) ||
                    go_types_is_named(t, "strings", "Builder", NULL)))
          continue;
        how = "copies all of";
      }
      TSNode a0 = go_ts_unparen(arg);
      if (!go_node_is(a0, GO_NODE_SELECTOR_EXPRESSION) && !go_node_is(a0, GO_NODE_IDENTIFIER))
        continue;
      if (test_code(st, s))
        continue;
      if (!limits_known) {
        limits_known = true;
        if (package_limits(st) || test_server_package(st))
          return;
      }
      body_read(st, s, a0, how);
    }
  }
}

/* ---------- gRPC streaming loops ---------- */

/* Does loop l end by itself: a clause loop, or a range over something that is not a channel? */
static bool loop_ends(const state *st, const go_site *l) {
  if (bare_loop(l))
    return false;
  go_node k = go_node_kind(l->sub);
  if (k == GO_NODE_FOR_CLAUSE)
    return true;
  if (k == GO_NODE_RANGE_CLAUSE)
    return !chan_type(st, go_types_type_of(st->ty, l->file, go_node_child(l->sub, GO_F_RIGHT)));
  return false; /* for cond {} */
}

/* Is there a call `recv.method(...)` (callee exactly that text) inside node n of file? Uses the index by
 * name, which the other analyzers share, rather than the index by text. */
static bool call_in(const state *st, uint32_t file, TSNode n, const char *recv, const char *method) {
  const go_site *const *v;
  size_t nv = go_inspect_calls_named(st->ins, method, &v), rl = strlen(recv);
  for (size_t i = 0; i < nv; i++) {
    const char *t = v[i]->text;
    if (v[i]->file == file && strncmp(t, recv, rl) == 0 && t[rl] == '.' && strcmp(t + rl + 1, method) == 0 &&
        contains(n, v[i]->node))
      return true;
  }
  return false;
}

/* Is the stream named name used in fn other than by Send/Recv...: its Context() looked at, or the stream
 * handed to a call? */
static bool stream_watched(const state *st, const go_site *fn, const char *name) {
  const omen_file *f = file_of(st, fn->file);
  if (call_in(st, fn->file, fn->node, name, "Context"))
    return true;
  /* passed as an argument: walk the calls of fn and its literals */
  for (size_t i = 0; i < st->ins->nsites[GO_SITE_CALL]; i++) {
    const go_site *c = &st->ins->sites[GO_SITE_CALL][i];
    if (c->file != fn->file)
      continue;
    if (ts_node_start_byte(c->node) >= ts_node_end_byte(fn->node))
      break;
    if (!contains(fn->node, c->node))
      continue;
    TSNode args = go_node_child(c->node, GO_F_ARGUMENTS);
    uint32_t na = go_ts_nargs(args);
    for (uint32_t k = 0; k < na; k++)
      if (go_ts_teq(f, go_ts_unparen(go_ts_arg(args, k)), name))
        return true;
  }
  return false;
}

/* Does loop l receive from the stream named name? Recv fails once the client is gone and ends a
 * bidirectional loop. */
static bool stream_recv_in(const state *st, const go_site *l, const char *name) {
  return call_in(st, l->file, l->node, name, "Recv");
}

static void check_grpc_sends(state *st) {
  const go_context *c = st->ctx;
  for (size_t i = 0; i < c->nfuncs; i++) {
    const go_ctx_func *fn = &c->funcs[i];
    if (!(fn->flags & GO_CTX_GRPC) || !fn->sig || fn->sig->nparams == 0)
      continue;
    const go_param *p = &fn->sig->params[fn->sig->nparams - 1];
    bool server;
    if (!p->name || !go_context_is_grpc_stream(p->type, &server) || !server)
      continue;
    if (test_code(st, fn->site))
      continue;
    const go_site *const *sends;
    size_t n = go_inspect_calls_named(st->ins, "Send", &sends), nl = strlen(p->name);
    int watched = -1;
    for (size_t k = 0; k < n; k++) {
      const go_site *s = sends[k];
      if (s->file != fn->site->file || strncmp(s->text, p->name, nl) != 0 ||
          strcmp(s->text + nl, ".Send") != 0 || !contains(fn->site->node, s->node))
        continue;
      /* the error is dropped: a statement of its own, or `_ = stream.Send(x)` */
      TSNode stmt = s->parent;
      bool blank = false;
      if (go_node_is(stmt, GO_NODE_EXPRESSION_LIST)) {
        TSNode as = go_ts_parent(stmt);
        TSNode left = go_node_child(as, GO_F_LEFT);
        if (!go_node_is(as, GO_NODE_ASSIGNMENT_STATEMENT) || ts_node_eq(left, stmt) ||
            go_ts_nnamed(left) != 1 || !go_ts_teq(file_of(st, s->file), go_ts_nth(left, 0), "_") ||
            go_ts_nnamed(stmt) != 1)
          continue;
        stmt = as;
        blank = true;
      } else if (!go_node_is(stmt, GO_NODE_EXPRESSION_STATEMENT)) {
        continue;
      }
      /* the variable is the method's stream parameter */
      go_binding b;
      TSNode x = go_node_child(s->sub, GO_F_OPERAND);
      if (go_types_lookup_ident(st->ty, s->file, x, &b) != GO_BIND_LOCAL ||
          !ts_node_eq(param_func(b.decl), fn->site->node))
        continue;
      /* in a loop of the method itself that does not end by itself */
      ptrdiff_t it = -2, li;
      const go_site *loop = NULL;
      while ((li = next_loop(st, s->file, s->func_index, s->node, &it)) >= 0) {
        const go_site *l = &st->ins->sites[GO_SITE_FOR][li];
        if (!loop_ends(st, l)) {
          loop = l;
          break;
        }
      }
      if (!loop || stream_recv_in(st, loop, p->name))
        continue;
      if (watched < 0)
        watched = stream_watched(st, fn->site, p->name);
      if (watched)
        break;
      const omen_file *f = file_of(st, s->file);
      omen_diag *d = omen_pass_report(
          st->pass, &rule_send, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
          "error of %s is ignored in a loop that never checks %s.Context(): once the client is gone every "
          "Send "
          "fails and the method keeps producing for nobody, holding its goroutine and resources; return the "
          "error",
          go_ts_text(st->pass, f, s->node), p->name);
      omen_diag_add_related(st->pass, d, f, ts_node_start_byte(loop->node),
                            ts_node_start_byte(go_node_child(loop->node, GO_F_BODY)) + 1,
                            "this loop does not end by itself");
      /* fix: in the method itself, a statement on its own lines */
      if (!d || s->func_index != (int32_t)i || fn->sig->nresults != 1 || !fn->sig->results[0].type ||
          strcmp(fn->sig->results[0].type, "error") != 0 ||
          !go_fix_starts_line(f, ts_node_start_byte(stmt)) ||
          !go_fix_ends_line_or_comment(f, ts_node_end_byte(stmt)))
        continue;
      const char *ind = go_fix_indent_of(st->pass, f, ts_node_start_byte(stmt));
      omen_arena *a = omen_pass_arena(st->pass);
      go_fix_edits e = {0};
      if (ind && go_fix_add(&e, ts_node_start_byte(stmt), ts_node_end_byte(stmt),
                            omen_arena_printf(a, "if err := %s; err != nil {\n%s\treturn err\n%s}",
                                              go_ts_text(st->pass, f, s->node), ind, ind)))
        go_fix_emit(st->pass, d, f, OMEN_FIX_SAFE, &e,
                    blank ? "return the error of Send instead of discarding it" : "return the error of Send");
    }
  }
}

/* ---------- accumulation ---------- */

static bool already(state *st, ptrdiff_t li, const char *target) {
  for (size_t i = 0; i < st->ndone; i++)
    if (st->done[i].loop == (uint32_t)li && strcmp(st->done[i].target, target) == 0)
      return true;
  if (st->ndone < MAX_REPORTED)
    st->done[st->ndone++] = (reported){(uint32_t)li, target};
  return false;
}

/* Do nodes a and b of f have the same text? */
static bool same_text(const omen_file *f, TSNode a, TSNode b) {
  if (ts_node_is_null(a) || ts_node_is_null(b))
    return false;
  uint32_t as = ts_node_start_byte(a), bs = ts_node_start_byte(b), n = ts_node_end_byte(a) - as;
  return ts_node_end_byte(b) - bs == n && memcmp(f->text + as, f->text + bs, n) == 0;
}

/* The first argument of the single `append(...)` call on the right of assignment stmt; null if the
 * right side is something else. */
static TSNode append_base(const omen_file *f, TSNode stmt) {
  TSNode right = go_node_child(stmt, GO_F_RIGHT);
  TSNode call = go_ts_unparen(go_ts_nth(right, 0));
  if (go_ts_nnamed(right) != 1 || !go_node_is(call, GO_NODE_CALL_EXPRESSION) ||
      !go_ts_teq(f, go_node_child(call, GO_F_FUNCTION), "append"))
    return go_ts_null();
  return go_ts_unparen(go_ts_arg(go_node_child(call, GO_F_ARGUMENTS), 0));
}

/* Does the use x (an identifier or selector naming a collection) bound it: its address taken, its
 * length or capacity looked at, an entry deleted, cleared or copied, or an assignment to it that is not
 * a self-append (a reset, a trim, a new value)? */
static bool bounding_use(const omen_file *f, TSNode x) {
  TSNode p = go_ts_parent(x);
  while (go_node_is(p, GO_NODE_PARENTHESIZED_EXPRESSION))
    p = go_ts_parent(p);
  go_node pk = go_node_kind(p);
  if (pk == GO_NODE_UNARY_EXPRESSION)
    return go_ts_teq(f, go_node_child(p, GO_F_OPERATOR), "&");
  if (go_ts_type_is(p, "argument_list")) {
    TSNode fn = go_node_child(go_ts_parent(p), GO_F_FUNCTION);
    return go_ts_teq(f, fn, "len") || go_ts_teq(f, fn, "cap") || go_ts_teq(f, fn, "delete") ||
           go_ts_teq(f, fn, "clear") || go_ts_teq(f, fn, "copy");
  }
  if (pk != GO_NODE_EXPRESSION_LIST)
    return false;
  TSNode stmt = go_ts_parent(p);
  bool assign = go_node_is(stmt, GO_NODE_ASSIGNMENT_STATEMENT);
  return (assign || go_node_is(stmt, GO_NODE_SHORT_VAR_DECLARATION)) &&
         ts_node_eq(go_node_child(stmt, GO_F_LEFT), p) && !(assign && same_text(f, append_base(f, stmt), x));
}

/* Is target (the text of an identifier or selector) bounded inside node n, a loop (bounding_use)? */
static bool bounded_in(const state *st, uint32_t file, TSNode n, const char *target) {
  const omen_file *f = file_of(st, file);
  TSTreeCursor c = ts_tree_cursor_new(n);
  bool found = false;
  size_t tlen = strlen(target);
  for (;;) {
    TSNode x = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(x);
    bool down = true;
    if ((k == GO_NODE_IDENTIFIER || k == GO_NODE_SELECTOR_EXPRESSION) &&
        ts_node_end_byte(x) - ts_node_start_byte(x) == tlen && go_ts_teq(f, x, target)) {
      down = false;
      found = bounding_use(f, x);
      if (found)
        break;
    }
    if (!go_ts_cursor_next(&c, down))
      break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

/* Is a field of this name (`x.field`) bounded anywhere in the package (bounding_use): reset, trimmed, or
 * its length looked at, for example by a flush or trim method? */
static bool field_bounded(const state *st, const char *field) {
  const go_site *const *v;
  size_t n = go_inspect_lookup_name(st->ins, GO_SITE_SELECTOR, field, &v);
  for (size_t i = 0; i < n; i++)
    if (bounding_use(file_of(st, v[i]->file), v[i]->node))
      return true;
  return false;
}

/* Is the variable or field target (node t: identifier, or selector `x.f`) declared outside loop l? */
static bool lives_across(const state *st, uint32_t file, TSNode t, const go_site *l) {
  TSNode id = go_node_is(t, GO_NODE_SELECTOR_EXPRESSION) ? go_node_child(t, GO_F_OPERAND) : t;
  if (!go_node_is(id, GO_NODE_IDENTIFIER))
    return false;
  go_binding b;
  switch (go_types_lookup_ident(st->ty, file, id, &b)) {
  case GO_BIND_LOCAL:
    return !contains(l->node, b.decl);
  case GO_BIND_PACKAGE:
    return true;
  default:
    return false;
  }
}

/* A sink: target (an identifier or `x.f`) grows at node at (an append, or a map assignment) of site s
 * (the append call, or the index expression). */
static void accumulation(state *st, const go_site *s, TSNode at, TSNode target, bool is_map) {
  uint32_t file = s->file;
  int32_t fi = s->func_index;
  const omen_file *f = file_of(st, file);
  ptrdiff_t it = -2, li;
  bool field = !go_node_is(target, GO_NODE_IDENTIFIER);
  TSNode item;
  while ((li = next_item_loop(st, file, fi, at, field && !is_map, &it, &item)) >= 0) {
    const go_site *l = &st->ins->sites[GO_SITE_FOR][li];
    const loop_info *info = &st->loops[li];
    if (!lives_across(st, file, target, l))
      return;
    if (info->src == SRC_CHAN) {
      /* channels: only state that outlives the function (a field, a package variable) in a loop that
       * blocks for the next item; a local filled from a channel is a collection its function returns
       * once the channel is closed, and a select with a default drains what is buffered */
      if (is_map || go_node_is(target, GO_NODE_IDENTIFIER) || drain_case(item) ||
          chan_of(st, file, item_chan(item), true, 0) != CH_OUTSIDE)
        return;
    } else if (!info->untrusted) {
      continue;
    }
    if (loop_facts(st, li)->size_exit || test_code(st, s))
      return;
    if (is_map) {
      const char *ty = go_types_type_of(st->ty, file, target);
      if (!ty || strncmp(ty, "map[", 4) != 0)
        return;
    }
    const char *text = go_ts_text(st->pass, f, target);
    if (bounded_in(st, file, l->node, text))
      return;
    if (go_node_is(target, GO_NODE_SELECTOR_EXPRESSION) &&
        field_bounded(st, go_ts_text(st->pass, f, go_node_child(target, GO_F_FIELD))))
      return;
    if (already(st, li, text))
      return;
    const char *src = info->src == SRC_STREAM ? "a client that keeps sending"
                      : info->src == SRC_CHAN ? "a producer that never stops"
                                              : "a peer that keeps sending";
    omen_diag *d = omen_pass_report(
        st->pass, &rule_accum, f, ts_node_start_byte(at), ts_node_end_byte(at),
        "%s keeps every one of the %s with no bound: %s grows it until the process runs out of memory; cap "
        "it, or process each item as it arrives",
        text, item_what(st, file, info, item), src);
    const omen_file *lf = file_of(st, l->file);
    omen_diag_add_related(st->pass, d, lf, ts_node_start_byte(item), ts_node_end_byte(item),
                          "the items come from here");
    return;
  }
}

/* Is the node of site s in a loop of its function that may yield items (maybe_source)? */
static bool in_candidate_loop(state *st, const go_site *s, bool chans) {
  ptrdiff_t it = -2, li;
  while ((li = next_loop(st, s->file, s->func_index, s->node, &it)) >= 0)
    if (maybe_source(st, li, chans))
      return true;
  return false;
}

static void check_accumulation(state *st) {
  const go_inspect *ins = st->ins;
  premark(st);
  const go_site *const *apps;
  size_t n = go_inspect_calls_named(ins, "append", &apps);
  for (size_t i = 0; i < n; i++) {
    const go_site *s = apps[i];
    TSNode list = s->parent;
    if (strcmp(s->text, "append") != 0 || !go_node_is(list, GO_NODE_EXPRESSION_LIST) ||
        !in_candidate_loop(st, s, true))
      continue;
    TSNode stmt = go_ts_parent(list);
    if (!go_node_is(stmt, GO_NODE_ASSIGNMENT_STATEMENT) ||
        !ts_node_eq(go_node_child(stmt, GO_F_RIGHT), list) || go_ts_nnamed(list) != 1)
      continue;
    TSNode left = go_node_child(stmt, GO_F_LEFT);
    TSNode t = go_ts_nth(left, 0);
    const omen_file *f = file_of(st, s->file);
    if (go_ts_nnamed(left) != 1 ||
        !(go_node_is(t, GO_NODE_IDENTIFIER) || go_node_is(t, GO_NODE_SELECTOR_EXPRESSION)) ||
        !same_text(f, append_base(f, stmt), t))
      continue;
    accumulation(st, s, stmt, t, false);
  }
  /* m[k] = v */
  for (size_t i = 0; i < ins->nsites[GO_SITE_INDEX]; i++) {
    const go_site *s = &ins->sites[GO_SITE_INDEX][i];
    TSNode list = s->parent;
    if (!go_node_is(list, GO_NODE_EXPRESSION_LIST) || !in_candidate_loop(st, s, false))
      continue;
    TSNode stmt = go_ts_parent(list);
    if (!go_node_is(stmt, GO_NODE_ASSIGNMENT_STATEMENT) ||
        !ts_node_eq(go_node_child(stmt, GO_F_LEFT), list) || go_ts_nnamed(list) != 1)
      continue;
    const omen_file *f = file_of(st, s->file);
    if (!go_ts_teq(f, go_node_child(stmt, GO_F_OPERATOR), "="))
      continue;
    TSNode t = go_ts_unparen(s->sub);
    if (!(go_node_is(t, GO_NODE_IDENTIFIER) || go_node_is(t, GO_NODE_SELECTOR_EXPRESSION)))
      continue;
    accumulation(st, s, stmt, t, true);
  }
}

/* ---------- goroutines per item ---------- */

/* Does the n bytes at s contain needle? */
static bool has_text(const char *s, size_t n, const char *needle) {
  size_t m = strlen(needle);
  for (size_t i = 0; i + m <= n; i++)
    if (memcmp(s + i, needle, m) == 0)
      return true;
  return false;
}

/* Is statement n a semaphore acquire: `sem <- struct{}{}` (or a bool or number literal: a token, not
 * a result), `<-sem` as a statement, or an Acquire/TryAcquire call? */
static bool acquire_stmt(const omen_file *f, TSNode n) {
  go_node k = go_node_kind(n);
  if (k == GO_NODE_SEND_STATEMENT) {
    TSNode v = go_ts_unparen(go_node_child(n, GO_F_VALUE));
    go_node vk = go_node_kind(v);
    return vk == GO_NODE_COMPOSITE_LITERAL || vk == GO_NODE_TRUE || vk == GO_NODE_FALSE ||
           vk == GO_NODE_INT_LITERAL;
  }
  if (k != GO_NODE_EXPRESSION_STATEMENT)
    return false;
  TSNode e = go_ts_unparen(go_ts_nth(n, 0));
  if (go_node_is(e, GO_NODE_UNARY_EXPRESSION))
    return go_ts_teq(f, go_node_child(e, GO_F_OPERATOR), "<-");
  if (!go_node_is(e, GO_NODE_CALL_EXPRESSION))
    return false;
  TSNode fn = go_node_child(e, GO_F_FUNCTION);
  return field_is(f, fn, "Acquire") || field_is(f, fn, "TryAcquire");
}

/* Does the block start by acquiring a slot (after `defer` statements)? */
static bool starts_with_acquire(const omen_file *f, TSNode block) {
  uint32_t n = go_ts_nnamed(block);
  for (uint32_t i = 0; i < n; i++) {
    TSNode st = go_ts_nth(block, i);
    go_node k = go_node_kind(st);
    if (k == GO_NODE_COMMENT || k == GO_NODE_DEFER_STATEMENT) /* `defer wg.Done()` may come first */
      continue;
    if (k == GO_NODE_SELECT_STATEMENT) /* a token send with a way out */
      return true;
    if (k == GO_NODE_IF_STATEMENT) { /* if err := sem.Acquire(ctx, 1); err != nil {...} */
      uint32_t a = ts_node_start_byte(st), b = ts_node_start_byte(go_node_child(st, GO_F_CONSEQUENCE));
      return b > a &&
             (has_text(f->text + a, b - a, ".Acquire(") || has_text(f->text + a, b - a, ".TryAcquire("));
    }
    return acquire_stmt(f, st);
  }
  return false;
}

/* Does the loop body limit the goroutines it starts: a send, a receive that is not the item's, a
 * Wait/Acquire/SetLimit call (outside func literals); or a size check that skips or stops? */
static bool loop_waits(state *st, ptrdiff_t li, TSNode go_node_) {
  const go_site *l = &st->ins->sites[GO_SITE_FOR][li];
  const loop_info *info = loop_facts(st, li);
  if (info->size_exit || info->size_skip)
    return true;
  const omen_file *f = file_of(st, l->file);
  TSNode body = go_node_child(l->node, GO_F_BODY);
  bool recv_loop = info->src == SRC_CHAN && bare_loop(l);
  TSTreeCursor c = ts_tree_cursor_new(body);
  bool found = false;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(n);
    bool down = k != GO_NODE_FUNC_LITERAL && !ts_node_eq(n, go_node_);
    if (k == GO_NODE_SEND_STATEMENT) {
      found = true;
    } else if (k == GO_NODE_UNARY_EXPRESSION && go_ts_teq(f, go_node_child(n, GO_F_OPERATOR), "<-") &&
               !ts_node_eq(n, info->item)) {
      TSNode rs = go_ts_parent(n);
      bool in_case = go_node_is(rs, GO_NODE_RECEIVE_STATEMENT) &&
                     go_node_is(go_ts_parent(rs), GO_NODE_COMMUNICATION_CASE);
      if (!in_case) {
        found = true;
      } else if (!recv_loop) {
        chan_kind ck = chan_of(st, l->file, go_node_child(n, GO_F_OPERAND), true, 0);
        found = ck != CH_DONE && ck != CH_TIMER;
      }
    } else if (k == GO_NODE_CALL_EXPRESSION) {
      TSNode fn = go_node_child(n, GO_F_FUNCTION);
      if (field_is(f, fn, "Wait") || field_is(f, fn, "Acquire") || field_is(f, fn, "TryAcquire") ||
          field_is(f, fn, "SetLimit"))
        found = true;
    }
    if (found || !go_ts_cursor_next(&c, down))
      break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

/* The body of the function a go statement (or g.Go call) starts, when it is a literal or a function
 * of the package; null otherwise. */
static TSNode started_body(const state *st, uint32_t file, TSNode call) {
  TSNode fn = go_ts_unparen(go_node_child(call, GO_F_FUNCTION));
  if (go_node_is(fn, GO_NODE_FUNC_LITERAL))
    return go_node_child(fn, GO_F_BODY);
  const go_ctx_func *cf = go_context_callee(st->ctx, file, call);
  return cf ? cf->site->sub : go_ts_null();
}

/* Does the started body (with the bodies of the package functions it calls, one level) loop for good: a
 * `for {}` or a range over a channel? Then the goroutine serves a subscriber, a lease or a connection
 * for its lifetime rather than doing one item's work. */
static bool long_running(state *st, uint32_t file, TSNode body, int depth) {
  if (ts_node_is_null(body))
    return false;
  uint32_t a = ts_node_start_byte(body), b = ts_node_end_byte(body);
  for (size_t i = first_site_at(st, GO_SITE_FOR, file, a); i < st->ins->nsites[GO_SITE_FOR]; i++) {
    const go_site *l = &st->ins->sites[GO_SITE_FOR][i];
    if (l->file != file || ts_node_start_byte(l->node) >= b)
      break;
    if (bare_loop(l) || (go_node_is(l->sub, GO_NODE_RANGE_CLAUSE) &&
                         chan_type(st, go_types_type_of(st->ty, file, go_node_child(l->sub, GO_F_RIGHT)))))
      return true;
  }
  if (depth > 0)
    return false;
  for (size_t i = first_site_at(st, GO_SITE_CALL, file, a); i < st->ins->nsites[GO_SITE_CALL]; i++) {
    const go_site *c = &st->ins->sites[GO_SITE_CALL][i];
    if (c->file != file || ts_node_start_byte(c->node) >= b)
      break;
    const go_ctx_func *cf = go_context_callee(st->ctx, file, c->node);
    if (cf && cf->site->fkind != GO_FUNC_LIT && long_running(st, cf->site->file, cf->site->sub, depth + 1))
      return true;
  }
  return false;
}

/* Does the started body send on the local channel ch (a worklist the goroutines feed themselves: a
 * traversal bounded by what it walks)? */
static bool feeds(const state *st, uint32_t file, TSNode body, TSNode ch) {
  const omen_file *f = file_of(st, file);
  if (ts_node_is_null(body) || !go_node_is(ch, GO_NODE_IDENTIFIER))
    return false;
  const char *name = go_ts_text(st->pass, f, ch);
  uint32_t a = ts_node_start_byte(body), b = ts_node_end_byte(body);
  for (size_t i = first_site_at(st, GO_SITE_SEND, file, a); i < st->ins->nsites[GO_SITE_SEND]; i++) {
    const go_site *s = &st->ins->sites[GO_SITE_SEND][i];
    if (s->file != file || ts_node_start_byte(s->node) >= b)
      break;
    if (go_ts_teq(f, go_ts_unparen(s->sub), name))
      return true;
  }
  return false;
}

/* A goroutine started at node g (a go statement, or an errgroup Go call) of site, running `body` (null
 * when unknown): reports it when it is started per item of an unbounded loop with no limit. */
static void per_item(state *st, const go_site *site, TSNode g, TSNode body, const char *how) {
  const omen_file *f = file_of(st, site->file);
  ptrdiff_t it = -2, li;
  TSNode item;
  while ((li = next_item_loop(st, site->file, site->func_index, g, true, &it, &item)) >= 0) {
    const loop_info *info = &st->loops[li];
    if (info->src == SRC_CHAN) {
      TSNode ch = item_chan(item);
      chan_kind k = chan_of(st, site->file, ch, true, 0);
      if (!chan_items(k) || conn_items(st, site->file, item) ||
          (k == CH_LOCAL && feeds(st, site->file, body, go_ts_unparen(ch))))
        return;
    }
    if (loop_waits(st, li, g) || (!ts_node_is_null(body) && starts_with_acquire(f, body)) ||
        long_running(st, site->file, body, 0))
      return;
    omen_diag *d = omen_pass_report(
        st->pass, &rule_goroutine, f, ts_node_start_byte(g), ts_node_end_byte(g),
        "%s for every one of the %s with no limit: a burst of input starts as many goroutines as there are "
        "items, each holding its stack and resources, until memory or file descriptors run out; bound them "
        "with "
        "a semaphore or a worker pool",
        how, item_what(st, site->file, info, item));
    const omen_file *lf = file_of(st, st->ins->sites[GO_SITE_FOR][li].file);
    omen_diag_add_related(st->pass, d, lf, ts_node_start_byte(item), ts_node_end_byte(item),
                          "the items come from here");
    return;
  }
}

/* golang.org/x/sync/errgroup, or a stand-in or fork whose path ends in /errgroup. */
static bool errgroup_path(const char *p) {
  size_t n = strlen(p);
  return strcmp(p, "golang.org/x/sync/errgroup") == 0 || (n > 9 && strcmp(p + n - 9, "/errgroup") == 0);
}

/* Is x (the receiver of a Go call) an errgroup.Group: declared with that type or from
 * errgroup.WithContext? And does the function call x.SetLimit? */
static bool errgroup_unlimited(const state *st, const go_site *s, TSNode x) {
  go_binding b;
  if (!go_node_is(x, GO_NODE_IDENTIFIER) || go_types_lookup_ident(st->ty, s->file, x, &b) != GO_BIND_LOCAL)
    return false;
  bool is_group = false;
  TSNode v = decl_value(b.decl, b.name);
  const char *path, *name;
  if (go_node_is(v, GO_NODE_UNARY_EXPRESSION)) /* &errgroup.Group{} */
    v = go_node_child(v, GO_F_OPERAND);
  if (go_node_is(v, GO_NODE_CALL_EXPRESSION)) {
    is_group = go_types_qualified(st->ty, s->file, go_node_child(v, GO_F_FUNCTION), &path, &name) &&
               errgroup_path(path) && strcmp(name, "WithContext") == 0;
  } else {
    TSNode tn = go_node_is(v, GO_NODE_COMPOSITE_LITERAL) ? go_node_child(v, GO_F_TYPE)
                : go_node_is(b.decl, GO_NODE_VAR_SPEC)   ? go_node_child(b.decl, GO_F_TYPE)
                                                         : go_ts_null();
    const char *t = ts_node_is_null(tn) ? NULL : go_types_canonical(st->ty, s->file, tn);
    const char *dot = t ? strrchr(t, '.') : NULL;
    if (dot && strcmp(dot, ".Group") == 0) {
      char buf[256];
      size_t m = (size_t)(dot - t);
      if (t[0] == '*')
        t++, m--;
      if (m < sizeof buf) {
        memcpy(buf, t, m);
        buf[m] = '\0';
        is_group = errgroup_path(buf);
      }
    }
  }
  if (!is_group)
    return false;
  const go_site *fn = go_inspect_func_of(st->ins, s);
  return fn && !call_in(st, s->file, fn->node, go_ts_text(st->pass, file_of(st, s->file), x), "SetLimit");
}

static void check_goroutines(state *st) {
  const go_inspect *ins = st->ins;
  premark(st);
  for (size_t i = 0; i < ins->nsites[GO_SITE_GO]; i++) {
    const go_site *s = &ins->sites[GO_SITE_GO][i];
    if (innermost_loop(st, s->file, s->func_index, s->node) < 0 || test_code(st, s))
      continue;
    per_item(st, s, s->node, started_body(st, s->file, s->sub), "a goroutine is started");
  }
  const go_site *const *gos;
  size_t n = go_inspect_calls_named(ins, "Go", &gos);
  for (size_t i = 0; i < n; i++) {
    const go_site *s = gos[i];
    if (!go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION) ||
        innermost_loop(st, s->file, s->func_index, s->node) < 0 ||
        !errgroup_unlimited(st, s, go_node_child(s->sub, GO_F_OPERAND)) || test_code(st, s))
      continue;
    TSNode arg = go_ts_unparen(go_ts_arg(go_node_child(s->node, GO_F_ARGUMENTS), 0));
    TSNode body = go_node_is(arg, GO_NODE_FUNC_LITERAL) ? go_node_child(arg, GO_F_BODY) : go_ts_null();
    per_item(st, s, s->node, body, "an errgroup goroutine (no SetLimit) is started");
  }
}

/* ---------- the analyzer ---------- */

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  state st = {.pass = pass,
              .ins = omen_pass_result(pass, &omen_go_inspect),
              .ty = omen_pass_result(pass, &omen_go_types),
              .ctx = omen_pass_result(pass, &omen_go_context),
              .middleware = -1};
  if (!st.ins || !st.ty || !st.ctx)
    return OMEN_OK;
  check_bodies(&st);
  check_grpc_sends(&st);
  if (st.ins->nsites[GO_SITE_FOR] == 0)
    return OMEN_OK;
  if (!ensure_loops(&st))
    return OMEN_ENOMEM;
  check_accumulation(&st);
  check_goroutines(&st);
  return OMEN_OK;
}

const omen_analyzer omen_go_unbounded_stream = {
    .name = "go-unbounded-stream",
    .title = "Unbounded streams: request bodies, gRPC sends, receive loops, goroutines per item",
    .doc =
        "The unbounded-stream family: request bodies read whole with no size limit, gRPC server-streaming "
        "loops that ignore Send errors and never watch the client's context, receive loops that keep every "
        "item of an external stream, and a goroutine started per item of an unbounded source with no limit. "
        "Uses go-context for handlers, gRPC methods and the package call graph, and go-types for request, "
        "stream, channel and reader types.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, &omen_go_context, NULL},
    .rules = (const omen_rule *const[]){&rule_body, &rule_send, &rule_accum, &rule_goroutine, NULL},
    .run = run,
};
