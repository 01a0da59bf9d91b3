/* go_timeouts.c - the missing-timeout family beyond HTTP clients: database calls and requests that
 * ignore the context in scope, servers without read timeouts, dials without timeouts, detached
 * contexts in request code, and handler channel sends that can block forever. */
#include <stdio.h>
#include <string.h>

#include "analyzers.h"
#include "go_context.h"
#include "go_fix.h"
#include "go_inspect.h"
#include "go_types.h"
#include "pass.h"

/* ---------- rules ---------- */

static const omen_rule rule_sql_ctx = {
    .id = "missing-timeout/sql-without-context",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "database/sql call ignores the context in scope",
    .what =
        "Reports `Query`, `QueryRow`, `Exec`, `Prepare`, `Begin` and `Ping` on a `*sql.DB`, `*sql.Tx` "
        "or `*sql.Stmt` (also through a struct that embeds one) when a context is in scope at the call: "
        "a `context.Context` parameter, `r.Context()` of the `*http.Request` of an HTTP handler or "
        "`RoundTrip` method, `stream.Context()` of a gRPC stream, or a variable derived from those "
        "(`ctx, cancel := context.WithTimeout(...)`; a variable holding `context.Background()` itself "
        "does not count). Contexts of an enclosing function are used through func literals, except "
        "literals started with `go`, deferred, or passed to `time.AfterFunc` (they may run after that "
        "context is gone). Not reported when the code ends that context on purpose before the call (calls "
        "or hands off its cancel function, waits in `<-ctx.Done()`, or compares an error with "
        "`context.DeadlineExceeded`/`Canceled`: the call then rightly runs without it). Test files are "
        "analyzed too: when a test has a live context in scope it should pass it.",
    .why = "The methods without `Context` run with `context.Background()`: the query cannot be cancelled. "
           "When the client disconnects or the request's deadline passes, the query keeps running on the "
           "database and keeps its connection from the pool; a slow query or a lock wait under load then "
           "exhausts the pool and every request waits behind it.",
    .example = "func (s *Store) User(ctx context.Context, id int) (*User, error) {\n"
               "\trow := s.db.QueryRow(\"SELECT name FROM users WHERE id = $1\", id)\n"
               "\t...\n"
               "}",
    .instead = "func (s *Store) User(ctx context.Context, id int) (*User, error) {\n"
               "\trow := s.db.QueryRowContext(ctx, \"SELECT name FROM users WHERE id = $1\", id)\n"
               "\t...\n"
               "}",
    .fix = "Calls the `...Context` variant with the context in scope as first argument (`QueryContext`, "
           "`QueryRowContext`, `ExecContext`, `PrepareContext`, `PingContext`; `Begin()` becomes "
           "`BeginTx(ctx, nil)`). Safe: the call behaves the same until the context is cancelled, which is "
           "the point.",
    .lang = "go",
};

static const omen_rule rule_sql_none = {
    .id = "missing-timeout/sql-no-context-available",
    .severity = OMEN_SEV_NOTE,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "database/sql call that cannot be cancelled, with no context to give it",
    .what = "The note companion of `missing-timeout/sql-without-context`: the same calls (`Query`, "
            "`QueryRow`, `Exec`, `Prepare`, `Begin`, `Ping` on `*sql.DB`, `*sql.Tx`, `*sql.Stmt`) in a "
            "function where no context is in scope, reported only when the function runs concurrently "
            "(an HTTP handler, a gRPC method, a goroutine, or code reachable from them in the package "
            "call graph). It is a separate rule because a rule has one severity: this one is a note, "
            "since the fix is to thread a context through the callers, which needs a human. Test files "
            "and test-helper packages (a name that starts or ends with `test`) are not reported: a test has "
            "no request to "
            "bind the query to, and `go test -timeout` bounds it.",
    .why = "Without a context the query runs with no deadline and cannot be cancelled: a slow query or a "
           "lock wait holds the calling goroutine and a pooled connection for as long as the database "
           "takes, and requests pile up behind it.",
    .example = "func (s *Store) Count() (n int, err error) {\n"
               "\terr = s.db.QueryRow(\"SELECT count(*) FROM users\").Scan(&n)\n"
               "\treturn n, err\n"
               "}",
    .instead = "func (s *Store) Count(ctx context.Context) (n int, err error) {\n"
               "\terr = s.db.QueryRowContext(ctx, \"SELECT count(*) FROM users\").Scan(&n)\n"
               "\treturn n, err\n"
               "}",
    .fix = "No fix: add a `context.Context` parameter and pass it from the callers.",
    .lang = "go",
};

static const omen_rule rule_request_ctx = {
    .id = "missing-timeout/request-without-context",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "http.NewRequest ignores the context in scope",
    .what = "Reports `http.NewRequest` when a context is in scope at the call (found as for "
            "`missing-timeout/sql-without-context`) and the request never gets it: not reported when the "
            "request variable is later given a context (`req.WithContext(...)`, `req.Clone(ctx)`, "
            "`req.Cancel = ctx.Done()`) or passed to a call together with a context (`client.Do(ctx, req)`, "
            "`ctxhttp.Do(ctx, c, req)`), nor when the code ends the context on purpose first. Test files are "
            "analyzed too.",
    .why = "`http.NewRequest` uses `context.Background()`: the outgoing request is not cancelled when the "
           "caller's context is. A client that has gone away, or a deadline that has passed, leaves the "
           "request (its goroutine, its connection) running until the remote server answers, if ever.",
    .example = "req, err := http.NewRequest(http.MethodGet, url, nil)",
    .instead = "req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)",
    .fix = "Replaces the call with `http.NewRequestWithContext(ctx, ...)` using the context in scope. Safe: "
           "the request behaves the same until that context is cancelled.",
    .lang = "go",
};

static const omen_rule rule_server = {
    .id = "missing-timeout/server-no-read-timeout",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "HTTP server with no read timeout (slowloris)",
    .what =
        "Reports `http.ListenAndServe`, `http.ListenAndServeTLS`, `http.Serve` and `http.ServeTLS` "
        "(they serve with a zero `http.Server`, which has no timeouts) and `http.Server{...}` literals "
        "that set neither `ReadHeaderTimeout` nor `ReadTimeout` (a literal whose variable gets one of "
        "them assigned later in the same function is not reported). Test code is not reported: `_test.go` "
        "files, test-helper packages (a name that starts or ends with `test`: httptest, servertest, "
        "testutil...) and files that "
        "import `net/http/httptest`; test servers listen on loopback for the test's own client, and "
        "`Example` functions are documentation.",
    .why = "Without a read timeout a client can open a connection and send its request headers one byte at "
           "a time, or not at all: the server keeps a goroutine, a connection and its buffers for it "
           "forever. A few hundred such clients (slowloris) exhaust file descriptors or memory and the "
           "server stops accepting real requests.",
    .example = "srv := &http.Server{Addr: \":8080\", Handler: mux}\n"
               "log.Fatal(srv.ListenAndServe())\n"
               "\n"
               "log.Fatal(http.ListenAndServe(\":8080\", mux))",
    .instead = "srv := &http.Server{\n"
               "\tAddr:              \":8080\",\n"
               "\tHandler:           mux,\n"
               "\tReadHeaderTimeout: 10 * time.Second,\n"
               "}\n"
               "log.Fatal(srv.ListenAndServe())",
    .fix = "For `http.Server` literals only: inserts `ReadHeaderTimeout: 10 * time.Second` (aligned like "
           "gofmt) and imports `time` if needed. Unsafe: review the value; `ReadHeaderTimeout` bounds only "
           "the headers, so long uploads keep working. No fix for `http.ListenAndServe` and friends "
           "(declare an `http.Server`), nor when comments are in the way. The value is the rule's "
           "`read-header-timeout` option.",
    .lang = "go",
    .options = (const omen_rule_option[]){{"read-header-timeout", OMEN_OPT_DURATION, "10s",
                                           "the ReadHeaderTimeout the fix inserts"},
                                          {NULL, 0, NULL, NULL}},
};

static const omen_rule rule_dial = {
    .id = "missing-timeout/dial-no-timeout",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Network dial with no timeout",
    .what = "Reports `net.Dial` and `tls.Dial`, and gRPC `Dial(..., WithBlock())` without "
            "`WithTimeout(...)`, or `DialContext(ctx, ..., WithBlock())` where `ctx` is "
            "`context.Background()`/`TODO()` or derived from them without a deadline. Not reported: a "
            "network that does not wait for a peer (\"udp...\", \"unix...\", \"ip...\"), followed through "
            "constants, variables, range variables over a literal slice and, for a parameter, every call of "
            "its function in the package; and wrappers that mirror the dial (a function named `Dial...` that "
            "passes its own parameters straight through, like proxy.Direct or dns.Dial: the timeout is its "
            "callers' choice). gRPC is recognized by the import path `google.golang.org/grpc` or any path "
            "ending in `/grpc`. Test code (`_test.go` files, test-helper packages, files importing "
            "`net/http/httptest`) is not reported: tests dial loopback listeners they own, and "
            "`go test -timeout` bounds a hang.",
    .why = "`net.Dial` waits for the operating system's connect timeout, which is minutes on Linux, when a "
           "host does not answer; `tls.Dial` then waits with no limit at all for a handshake that a stalled "
           "peer never completes; a blocking gRPC dial retries forever while the server is down. The "
           "calling goroutine, and whatever waits for it, hangs with it.",
    .example = "conn, err := net.Dial(\"tcp\", addr)\n"
               "\n"
               "cc, err := grpc.Dial(addr, grpc.WithBlock())",
    .instead = "conn, err := net.DialTimeout(\"tcp\", addr, 10*time.Second)\n"
               "\n"
               "ctx, cancel := context.WithTimeout(ctx, 10*time.Second)\n"
               "defer cancel()\n"
               "cc, err := grpc.DialContext(ctx, addr, grpc.WithBlock())",
    .fix = "For `net.Dial(network, address)` only: `net.DialTimeout(network, address, 10*time.Second)`, "
           "importing `time` if needed. Unsafe: review the value. No fix for `tls.Dial` (use "
           "`tls.DialWithDialer` with a `net.Dialer{Timeout: ...}`) or gRPC dials. The value is the rule's "
           "`timeout` option.",
    .lang = "go",
    .options = (const omen_rule_option[]){{"timeout", OMEN_OPT_DURATION, "10s", "the timeout the fix passes"},
                                          {NULL, 0, NULL, NULL}},
};

static const omen_rule rule_background = {
    .id = "missing-timeout/background-in-request",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "context.Background() used where a request context is in scope",
    .what =
        "Reports `context.Background()` or `context.TODO()` passed as the first argument of a call "
        "(a call that takes a context, so it can block) inside a function where a context from the "
        "caller is in scope: a `context.Context` parameter, `r.Context()` of an `*http.Request`, "
        "`stream.Context()` of a gRPC stream, or a variable derived from those. Detaching is often "
        "deliberate, so these are not reported: calls that derive a context (package `context`, names "
        "starting with `With`, callees returning a `context.Context`); calls started with `go` or `defer` "
        "and code in goroutine or deferred literals; calls after the function has looked at its context "
        "(`ctx.Done()`, `ctx.Err()`: it may be gone and cleanup must still run); cleanup calls (a word of "
        "the name is close, shutdown, stop, rollback, release, unlock, cleanup, cancel, abort, finish, "
        "end, flush, unsubscribe, deregister, teardown, kill, destroy...); calls that open or start "
        "something meant to outlive the request (the name starts with Open, Start, Spawn, Launch, "
        "Listen, Serve, Dial, Connect, New); and calls with a comment in the function on the five lines "
        "above that mentions background, cancel, detach, ignore or outlive (the choice is explained).",
    .why = "The call no longer ends when the request does: a client that disconnects or a deadline that "
           "passes leaves the database query, RPC or HTTP call running, holding its goroutine, connection "
           "and locks, and load that should have been shed keeps piling up.",
    .example = "func (s *Server) Get(ctx context.Context, req *pb.GetRequest) (*pb.GetResponse, error) {\n"
               "\tv, err := s.store.Load(context.Background(), req.Key)\n"
               "\t...\n"
               "}",
    .instead = "func (s *Server) Get(ctx context.Context, req *pb.GetRequest) (*pb.GetResponse, error) {\n"
               "\tv, err := s.store.Load(ctx, req.Key)\n"
               "\t...\n"
               "}",
    .fix = "Passes the context in scope instead. Unsafe: if the call must outlive the request on purpose "
           "(an audit write, a cache fill) use `context.WithoutCancel(ctx)` or suppress the finding. No fix "
           "when it would leave the `context` import unused.",
    .lang = "go",
};

static const omen_rule rule_send = {
    .id = "missing-timeout/handler-send-blocks",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Channel send in a request handler that can block forever",
    .what = "Reports a channel send in an HTTP handler or a gRPC method (or a func literal it runs "
            "synchronously) that is not a case of a `select` with a way out: a `default` case, a receive "
            "from a `Done()` channel, `time.After(...)` or a timer's `C`. Only channels that come from "
            "outside the function are reported (fields, package variables, parameters, index expressions): "
            "a channel made in the handler has its consumer right there. Test code (`_test.go` files, "
            "test-helper packages, files importing `net/http/httptest`) is not reported: test handlers hand "
            "requests to the test goroutine on purpose, and `go test -timeout` bounds a hang.",
    .why = "A send blocks until a receiver takes the value (or buffer space frees up). When the consumer "
           "stalls, crashes or is slower than the request rate, every request blocks at the send, holding "
           "its goroutine and connection; the client's cancellation does not help because nothing watches "
           "the request context.",
    .example = "func (s *Server) enqueue(w http.ResponseWriter, r *http.Request) {\n"
               "\ts.jobs <- newJob(r)\n"
               "\tw.WriteHeader(http.StatusAccepted)\n"
               "}",
    .instead = "func (s *Server) enqueue(w http.ResponseWriter, r *http.Request) {\n"
               "\tselect {\n"
               "\tcase s.jobs <- newJob(r):\n"
               "\tcase <-r.Context().Done():\n"
               "\t\treturn\n"
               "\t}\n"
               "\tw.WriteHeader(http.StatusAccepted)\n"
               "}",
    .fix = "Wraps the send in `select { case ch <- v: case <-ctx.Done(): return }` with the context in "
           "scope (`return ctx.Err()` when the function returns just an `error`). Unsafe: the handler now "
           "gives up silently when the client goes away; write an error response or count the drop if that "
           "matters. No fix for sends that are not a statement of their own on their line, or in functions "
           "with other results.",
    .lang = "go",
};

/* ---------- small helpers ---------- */

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Is the callee expression fn `pkg.name` for an import of path (path NULL: any) in file? */
static bool callee_is(const go_types *ty, uint32_t file, TSNode fn, const char *path, const char *name) {
  const char *p, *n;
  return go_types_qualified(ty, file, fn, &p, &n) && (!path || strcmp(p, path) == 0) &&
         (!name || strcmp(n, name) == 0);
}

static bool is_grpc_path(const char *p) {
  return p && (strcmp(p, "google.golang.org/grpc") == 0 || ends_with(p, "/grpc"));
}

/* ---------- the analyzer state ---------- */

typedef struct state {
  omen_pass *pass;
  const go_inspect *ins;
  const go_types *ty;
  const go_context *ctx;
} state;

static const omen_file *site_file(const state *st, const go_site *s) {
  return go_inspect_file(st->ins, s)->file;
}

static bool test_code(const state *st, const go_site *s) {
  return go_fix_in_test_code(st->pass, st->ins, st->ty, s);
}

/* ---------- database/sql ---------- */

typedef struct sql_method {
  const char *name, *with_ctx, *empty; /* empty: what follows ctx in a call without arguments */
  unsigned recvs;                      /* 1: DB, 2: Tx, 4: Stmt */
} sql_method;

static const sql_method sql_methods[] = {
    {"Query", "QueryContext", NULL, 7}, {"QueryRow", "QueryRowContext", NULL, 7},
    {"Exec", "ExecContext", NULL, 7},   {"Prepare", "PrepareContext", NULL, 3},
    {"Begin", "BeginTx", ", nil", 1},   {"Ping", "PingContext", NULL, 1},
};

/* Which database/sql type (1 DB, 2 Tx, 4 Stmt) a canonical type is, directly, as a pointer, or through an
 * embedded field of a package struct (that has no method of that name itself); 0 otherwise. */
static unsigned sql_recv(const go_types *ty, const char *t, const char *method, int depth) {
  if (!t || depth > 3)
    return 0;
  static const char *const names[] = {"DB", "Tx", "Stmt"};
  for (unsigned i = 0; i < 3; i++)
    if (go_types_is_named(t, "database/sql", names[i], NULL))
      return 1u << i;
  const char *base = go_types_deref(t);
  if (strchr(base, '.') || strchr(base, '[') || strchr(base, ' ') || go_types_method(ty, base, method))
    return 0;
  const go_struct *s = go_types_struct(ty, base);
  for (size_t i = 0; s && i < s->nfields; i++) {
    if (!s->fields[i].embedded)
      continue;
    unsigned r = sql_recv(ty, s->fields[i].type, method, depth + 1);
    if (r)
      return r;
  }
  return 0;
}

static void check_sql(state *st) {
  for (size_t m = 0; m < sizeof sql_methods / sizeof sql_methods[0]; m++) {
    const sql_method *sm = &sql_methods[m];
    const go_site *const *calls;
    size_t n = go_inspect_calls_named(st->ins, sm->name, &calls);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = calls[i];
      if (!go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION) ||
          go_types_qualified(st->ty, s->file, s->sub, NULL, NULL))
        continue;
      TSNode op = go_node_child(s->sub, GO_F_OPERAND);
      unsigned r = sql_recv(st->ty, go_types_type_of(st->ty, s->file, op), sm->name, 0);
      if (!(r & sm->recvs))
        continue;
      const omen_file *f = site_file(st, s);
      const char *callee = go_ts_text(st->pass, f, s->sub);
      go_ctx_ref ref;
      bool have = go_context_in_scope(st->ctx, s->file, s->node, 0, &ref);
      if (have && ref.cancelled)
        continue; /* the code cancels that context itself before this call */
      if (have) {
        bool noargs = go_ts_nargs(go_node_child(s->node, GO_F_ARGUMENTS)) == 0;
        const char *rest = !noargs ? ", ..." : sm->empty ? sm->empty : "";
        omen_diag *d = omen_pass_report(
            st->pass, &rule_sql_ctx, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
            "%s ignores the context %s in scope: the database call is not cancelled with it and keeps "
            "running, "
            "holding a pooled connection, after the caller has given up; use %s(%s%s)",
            callee, ref.expr, sm->with_ctx, ref.expr, rest);
        go_fix_edits e = {0};
        TSNode field = go_node_child(s->sub, GO_F_FIELD);
        if (go_fix_add(&e, ts_node_start_byte(field), ts_node_end_byte(field), sm->with_ctx) &&
            go_fix_first_arg_edits(st->pass, f, go_node_child(s->node, GO_F_ARGUMENTS), ref.expr, sm->empty,
                                   &e))
          go_fix_emit(st->pass, d, f, OMEN_FIX_SAFE, &e,
                      omen_arena_printf(omen_pass_arena(st->pass), "use %s with %s", sm->with_ctx, ref.expr));
        continue;
      }
      if (test_code(st, s) || !(go_context_flags_at(st->ctx, s->file, s->node) & GO_CTX_CONCURRENT))
        continue;
      omen_pass_report(
          st->pass, &rule_sql_none, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
          "%s cannot be cancelled and no context is in scope: a slow query or lock wait blocks this "
          "concurrent code and holds a pooled connection with no deadline; pass a context.Context "
          "down to here and use %s",
          callee, sm->with_ctx);
    }
  }
}

/* ---------- http.NewRequest ---------- */

/* The identifier a call's first result is assigned to (`req, err := call`, `req, err = call`); null if
 * none. */
static TSNode first_result_var(TSNode call) {
  TSNode list = go_ts_parent(call);
  TSNode stmt = go_ts_parent(list);
  if (!go_node_is(list, GO_NODE_EXPRESSION_LIST) || go_ts_nnamed(list) != 1 ||
      !(go_node_is(stmt, GO_NODE_SHORT_VAR_DECLARATION) || go_node_is(stmt, GO_NODE_ASSIGNMENT_STATEMENT)) ||
      !ts_node_eq(go_node_child(stmt, GO_F_RIGHT), list))
    return go_ts_null();
  TSNode id = go_ts_nth(go_node_child(stmt, GO_F_LEFT), 0);
  return go_node_is(id, GO_NODE_IDENTIFIER) ? id : go_ts_null();
}

/* Is the call at offset at (a `ctx.Done()`) the right-hand side of `req.Cancel = ...`? */
static bool cancel_assigned(const state *st, const go_site *s, TSNode var, uint32_t at) {
  const omen_file *f = site_file(st, s);
  TSNode n = ts_node_descendant_for_byte_range(st->ins->files[s->file]->root, at, at);
  while (!ts_node_is_null(n) && !go_node_is(n, GO_NODE_ASSIGNMENT_STATEMENT) && !go_node_is(n, GO_NODE_BLOCK))
    n = go_ts_parent(n);
  if (!go_node_is(n, GO_NODE_ASSIGNMENT_STATEMENT))
    return false;
  TSNode left = go_node_child(n, GO_F_LEFT);
  TSNode lhs = go_ts_nth(left, 0);
  return go_node_is(lhs, GO_NODE_SELECTOR_EXPRESSION) &&
         go_ts_teq(f, go_node_child(lhs, GO_F_FIELD), "Cancel") &&
         go_ts_teq(f, go_node_child(lhs, GO_F_OPERAND), go_ts_text(st->pass, f, var));
}

/* Is the request variable given a context later in its function: `req.WithContext(...)`,
 * `req.Clone(ctx)`, or passed to a call together with a context (`client.Do(ctx, req)`, ctxhttp.Do)? */
static bool request_bound_later(const state *st, const go_site *s, TSNode var) {
  const omen_file *f = site_file(st, s);
  TSNode fn = s->func; /* the innermost function around the site */
  if (ts_node_is_null(fn) || ts_node_is_null(var))
    return false;
  uint32_t from = ts_node_end_byte(s->node), to = ts_node_end_byte(fn);
  const go_inspect *ins = st->ins;
  for (size_t i = 0; i < ins->nsites[GO_SITE_CALL]; i++) {
    const go_site *c = &ins->sites[GO_SITE_CALL][i];
    uint32_t at = ts_node_start_byte(c->node);
    if (c->file != s->file || at < from || at >= to)
      continue;
    TSNode callee = c->sub;
    if (go_node_is(callee, GO_NODE_SELECTOR_EXPRESSION) &&
        go_ts_teq(f, go_node_child(callee, GO_F_OPERAND), go_ts_text(st->pass, f, var))) {
      TSNode field = go_node_child(callee, GO_F_FIELD);
      if (go_ts_teq(f, field, "WithContext") || go_ts_teq(f, field, "Clone"))
        return true;
    }
    if (go_node_is(callee, GO_NODE_SELECTOR_EXPRESSION) &&
        go_ts_teq(f, go_node_child(callee, GO_F_FIELD), "Done") && cancel_assigned(st, s, var, at))
      return true;
    TSNode args = go_node_child(c->node, GO_F_ARGUMENTS);
    uint32_t n = go_ts_nargs(args);
    bool has_req = false, has_ctx = false;
    for (uint32_t k = 0; k < n; k++) {
      TSNode a = go_ts_unparen(go_ts_arg(args, k));
      if (go_node_is(a, GO_NODE_IDENTIFIER) && go_ts_teq(f, a, go_ts_text(st->pass, f, var)))
        has_req = true;
      else if (!has_ctx) {
        const char *t = go_types_type_of(st->ty, c->file, a);
        has_ctx = t && strcmp(t, "context.Context") == 0;
      }
    }
    if (has_req && has_ctx)
      return true;
  }
  return false;
}

static void check_new_request(state *st) {
  const go_site *const *calls;
  size_t n = go_inspect_calls_named(st->ins, "NewRequest", &calls);
  for (size_t i = 0; i < n; i++) {
    const go_site *s = calls[i];
    if (!go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION) ||
        !callee_is(st->ty, s->file, s->sub, "net/http", NULL))
      continue;
    go_ctx_ref ref;
    if (!go_context_in_scope(st->ctx, s->file, s->node, 0, &ref) || ref.cancelled ||
        request_bound_later(st, s, first_result_var(s->node)))
      continue;
    const omen_file *f = site_file(st, s);
    omen_diag *d = omen_pass_report(
        st->pass, &rule_request_ctx, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
        "%s ignores the context %s in scope: the request is not cancelled with it and can hang on after the "
        "caller has given up; use http.NewRequestWithContext(%s, ...)",
        go_ts_text(st->pass, f, s->sub), ref.expr, ref.expr);
    go_fix_edits e = {0};
    TSNode field = go_node_child(s->sub, GO_F_FIELD);
    if (go_fix_add(&e, ts_node_start_byte(field), ts_node_end_byte(field), "NewRequestWithContext") &&
        go_fix_first_arg_edits(st->pass, f, go_node_child(s->node, GO_F_ARGUMENTS), ref.expr, NULL, &e))
      go_fix_emit(
          st->pass, d, f, OMEN_FIX_SAFE, &e,
          omen_arena_printf(omen_pass_arena(st->pass), "use http.NewRequestWithContext with %s", ref.expr));
  }
}

/* ---------- servers ---------- */

static void check_servers(state *st) {
  static const char *const serve[] = {"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS", NULL};
  for (size_t v = 0; serve[v]; v++) {
    const go_site *const *calls;
    size_t n = go_inspect_calls_named(st->ins, serve[v], &calls);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = calls[i];
      if (test_code(st, s) || !callee_is(st->ty, s->file, s->sub, "net/http", NULL))
        continue;
      const omen_file *f = site_file(st, s);
      omen_pass_report(
          st->pass, &rule_server, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
          "%s serves with no read timeouts: a client that sends its request headers slowly (slowloris) "
          "holds a goroutine and a connection forever; declare an http.Server with "
          "ReadHeaderTimeout",
          go_ts_text(st->pass, f, s->sub));
    }
  }
  static const char *const fields[] = {"ReadHeaderTimeout", "ReadTimeout", NULL};
  const go_site *const *lits;
  size_t nlit = go_inspect_lookup_name(st->ins, GO_SITE_COMPOSITE, "Server", &lits);
  for (size_t i = 0; i < nlit; i++) {
    const go_site *s = lits[i];
    if (test_code(st, s))
      continue;
    const char *ct = go_types_canonical(st->ty, s->file, s->sub);
    if (!ct || strcmp(ct, "net/http.Server") != 0)
      continue;
    const omen_file *f = site_file(st, s);
    TSNode body = go_node_child(s->node, GO_F_BODY);
    if (ts_node_is_null(body) || go_fix_literal_sets(f, body, fields) ||
        go_fix_field_assigned_later(st->pass, st->ins, s, fields))
      continue;
    TSNode at = s->addr ? go_ts_parent(s->node) : s->node;
    omen_diag *d = omen_pass_report(
        st->pass, &rule_server, f, ts_node_start_byte(at), ts_node_end_byte(at),
        "%s literal sets neither ReadHeaderTimeout nor ReadTimeout: a client that sends its request headers "
        "slowly (slowloris) holds a goroutine and a connection forever",
        go_ts_text(st->pass, f, s->sub));
    bool need_import;
    const char *tname = go_fix_time_name(st->ty, s->file, s->node, &need_import);
    if (!d || !tname)
      continue;
    go_fix_edits e = {0};
    long long ns = 10000000000LL;
    omen_pass_duration_option(st->pass, &rule_server, "read-header-timeout", &ns);
    const char *value = go_fix_duration(omen_pass_arena(st->pass), ns, tname, true);
    if (value && go_fix_literal_edits(st->pass, f, body, "ReadHeaderTimeout", value, &e) &&
        (!need_import || go_fix_import_edits(st->pass, st->ty, s->file, f, "time", false, &e)))
      go_fix_emit(st->pass, d, f, OMEN_FIX_UNSAFE, &e,
                  omen_arena_printf(omen_pass_arena(st->pass), "add ReadHeaderTimeout: %s", value));
  }
}

/* ---------- dials ---------- */

/* The value a local declaration (short_var_declaration, var_spec, const_spec) binds to its identifier
 * name; null when the shapes do not line up one to one. */
static TSNode local_value(TSNode decl, TSNode name) {
  bool svd = go_node_is(decl, GO_NODE_SHORT_VAR_DECLARATION);
  TSNode left = svd ? go_node_child(decl, GO_F_LEFT) : decl;
  TSNode right = go_node_child(decl, svd ? GO_F_RIGHT : GO_F_VALUE);
  if (ts_node_is_null(right) ||
      !(svd || go_node_is(decl, GO_NODE_VAR_SPEC) || go_node_is(decl, GO_NODE_CONST_SPEC)))
    return go_ts_null();
  uint32_t k = 0, idx = UINT32_MAX, n = go_ts_nnamed(left);
  for (uint32_t i = 0; i < n; i++) {
    TSNode ch = go_ts_nth(left, i);
    if (!go_node_is(ch, GO_NODE_IDENTIFIER))
      continue;
    if (ts_node_eq(ch, name))
      idx = k;
    k++;
  }
  if (idx == UINT32_MAX || go_ts_nnamed(right) != k)
    return go_ts_null();
  return go_ts_nth(right, idx);
}

static bool connectionless(const state *st, uint32_t file, TSNode e, int depth);

/* A parameter: connectionless when every call of its function in the package passes one. */
static bool param_connectionless(const state *st, uint32_t file, const go_binding *b, int depth) {
  TSNode fn = go_ts_parent(go_ts_parent(b->decl));
  const go_ctx_func *cf = go_context_func_node(st->ctx, file, fn);
  if (!cf || !cf->sig || cf->nin == 0)
    return false;
  const omen_file *f = st->ins->files[file]->file;
  uint32_t idx = UINT32_MAX;
  for (size_t i = 0; i < cf->sig->nparams && idx == UINT32_MAX; i++)
    if (ts_node_eq(cf->sig->params[i].node, b->decl) && cf->sig->params[i].name &&
        go_ts_teq(f, b->name, cf->sig->params[i].name))
      idx = (uint32_t)i;
  if (idx == UINT32_MAX)
    return false;
  for (uint32_t k = cf->in; k < cf->in + cf->nin; k++) {
    const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[k]];
    if (ed->kind != GO_EDGE_CALL) /* a function value: its callers are unknown */
      return false;
    TSNode arg = go_ts_arg(go_node_child(ed->site, GO_F_ARGUMENTS), idx);
    if (ts_node_is_null(arg) || !connectionless(st, ed->file, arg, depth + 1))
      return false;
  }
  return true;
}

/* Does the network expression only ever hold a network that does not wait for a peer ("udp...",
 * "unix...", "ip...")? Follows constants and variables with a literal value, range variables over a
 * literal slice, and parameters through every call of their function in the package. */
static bool connectionless(const state *st, uint32_t file, TSNode e, int depth) {
  e = go_ts_unparen(e);
  if (depth > 4)
    return false;
  const omen_file *f = st->ins->files[file]->file;
  go_node k = go_node_kind(e);
  if (k == GO_NODE_INTERPRETED_STRING_LITERAL || k == GO_NODE_RAW_STRING_LITERAL) {
    const char *s = f->text + ts_node_start_byte(e) + 1;
    return strncmp(s, "udp", 3) == 0 || strncmp(s, "unix", 4) == 0 || strncmp(s, "ip", 2) == 0;
  }
  if (k == GO_NODE_COMPOSITE_LITERAL) { /* the slice a range variable ranges over */
    TSNode body = go_node_child(e, GO_F_BODY);
    uint32_t n = go_ts_nnamed(body), seen = 0;
    for (uint32_t i = 0; i < n; i++) {
      TSNode el = go_ts_nth(body, i);
      if (go_node_is(el, GO_NODE_COMMENT))
        continue;
      if (go_node_is(el, GO_NODE_LITERAL_ELEMENT) && go_ts_nnamed(el) == 1)
        el = go_ts_nth(el, 0);
      if (!connectionless(st, file, el, depth + 1))
        return false;
      seen++;
    }
    return seen > 0;
  }
  if (k != GO_NODE_IDENTIFIER)
    return false;
  go_binding b;
  switch (go_types_lookup_ident(st->ty, file, e, &b)) {
  case GO_BIND_LOCAL:
    if (go_node_is(b.decl, GO_NODE_PARAMETER_DECLARATION))
      return param_connectionless(st, file, &b, depth);
    if (go_node_is(b.decl, GO_NODE_RANGE_CLAUSE)) {
      TSNode left = go_node_child(b.decl, GO_F_LEFT);
      /* the value variable of `for _, v := range x` */
      if (go_ts_nnamed(left) != 2 || !ts_node_eq(go_ts_nth(left, 1), b.name))
        return false;
      TSNode x = go_ts_unparen(go_node_child(b.decl, GO_F_RIGHT));
      if (go_node_is(x, GO_NODE_IDENTIFIER)) {
        go_binding xb;
        if (go_types_lookup_ident(st->ty, file, x, &xb) != GO_BIND_LOCAL)
          return false;
        x = go_ts_unparen(local_value(xb.decl, xb.name));
      }
      return go_node_is(x, GO_NODE_COMPOSITE_LITERAL) && connectionless(st, file, x, depth + 1);
    }
    return connectionless(st, file, local_value(b.decl, b.name), depth + 1);
  case GO_BIND_PACKAGE: {
    const go_decl *d = b.pkg;
    if ((d->kind != GO_DECL_CONST && d->kind != GO_DECL_VAR) || ts_node_is_null(d->values) ||
        go_ts_nnamed(d->values) != d->nnames)
      return false;
    return connectionless(st, d->file, go_ts_nth(d->values, d->index), depth + 1);
  }
  default:
    return false;
  }
}

/* Is the dial the body of a wrapper that mirrors it: a function named Dial... that passes its own
 * parameters straight through (proxy.Direct.Dial, dns.Dial)? The timeout is its callers' choice; such
 * libraries offer DialTimeout or DialContext next to it. */
static bool dial_wrapper(const state *st, const go_site *s, TSNode args) {
  TSNode fn = s->func; /* the innermost function around the site */
  if (!(go_node_is(fn, GO_NODE_FUNCTION_DECLARATION) || go_node_is(fn, GO_NODE_METHOD_DECLARATION)))
    return false;
  const omen_file *f = site_file(st, s);
  TSNode name = go_node_child(fn, GO_F_NAME);
  if (ts_node_end_byte(name) - ts_node_start_byte(name) < 4 ||
      strncmp(f->text + ts_node_start_byte(name), "Dial", 4))
    return false;
  uint32_t n = go_ts_nargs(args);
  for (uint32_t i = 0; i < n; i++) {
    TSNode a = go_ts_unparen(go_ts_arg(args, i));
    go_binding b;
    if (!go_node_is(a, GO_NODE_IDENTIFIER) ||
        go_types_lookup_ident(st->ty, s->file, a, &b) != GO_BIND_LOCAL ||
        !go_node_is(b.decl, GO_NODE_PARAMETER_DECLARATION) ||
        !ts_node_eq(go_ts_parent(go_ts_parent(b.decl)), fn))
      return false;
  }
  return n > 0;
}

static void check_net_dial(state *st) {
  const go_site *const *calls;
  size_t n = go_inspect_calls_named(st->ins, "Dial", &calls);
  for (size_t i = 0; i < n; i++) {
    const go_site *s = calls[i];
    const char *path;
    if (test_code(st, s) || !go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION) ||
        !go_types_qualified(st->ty, s->file, s->sub, &path, NULL))
      continue;
    bool net = strcmp(path, "net") == 0, tls = strcmp(path, "crypto/tls") == 0;
    if (!net && !tls)
      continue;
    const omen_file *f = site_file(st, s);
    TSNode args = go_node_child(s->node, GO_F_ARGUMENTS);
    uint32_t nargs = go_ts_nargs(args);
    if ((nargs && connectionless(st, s->file, go_ts_arg(args, 0), 0)) || dial_wrapper(st, s, args))
      continue;
    const char *callee = go_ts_text(st->pass, f, s->sub);
    if (tls) {
      omen_pass_report(st->pass, &rule_dial, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
                       "%s has no timeout: a peer that accepts the connection but never completes the TLS "
                       "handshake blocks this call forever; use tls.DialWithDialer with a net.Dialer Timeout",
                       callee);
      continue;
    }
    omen_diag *d =
        omen_pass_report(st->pass, &rule_dial, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
                         "%s has no timeout: a host that does not answer blocks this call for minutes "
                         "(the OS connect timeout); use net.DialTimeout or a net.Dialer with Timeout",
                         callee);
    bool need_import;
    const char *tname = go_fix_time_name(st->ty, s->file, s->node, &need_import);
    if (!d || !tname || nargs != 2)
      continue;
    /* `net.Dial(a, b)` -> `net.DialTimeout(a, b, 10*time.Second)`; gofmt prints a binary argument of a
     * list of several compactly */
    TSNode last = go_ts_arg(args, 1);
    uint32_t close = ts_node_end_byte(args) - 1;
    if (f->text[close] != ')')
      continue;
    go_fix_edits e = {0};
    TSNode field = go_node_child(s->sub, GO_F_FIELD);
    long long ns = 10000000000LL;
    omen_pass_duration_option(st->pass, &rule_dial, "timeout", &ns);
    const char *value = go_fix_duration(omen_pass_arena(st->pass), ns, tname, false);
    bool ok = value && go_fix_add(&e, ts_node_start_byte(field), ts_node_end_byte(field), "DialTimeout");
    uint32_t le = ts_node_end_byte(last);
    if (ok && go_fix_line_no(f, le) == go_fix_line_no(f, close) && le == close) {
      ok = go_fix_add(&e, le, le, omen_arena_printf(omen_pass_arena(st->pass), ", %s", value));
    } else if (ok && le < f->len && f->text[le] == ',' && go_fix_starts_line(f, close) &&
               go_fix_starts_line(f, ts_node_start_byte(last))) {
      /* one argument per line with a trailing comma */
      uint32_t at = go_fix_line_start(f, close);
      ok = go_fix_add(&e, at, at,
                      omen_arena_printf(omen_pass_arena(st->pass), "%s%s,\n",
                                        go_fix_indent_of(st->pass, f, ts_node_start_byte(last)), value));
    } else {
      ok = false;
    }
    if (ok && need_import)
      ok = go_fix_import_edits(st->pass, st->ty, s->file, f, "time", false, &e);
    if (ok)
      go_fix_emit(st->pass, d, f, OMEN_FIX_UNSAFE, &e,
                  omen_arena_printf(omen_pass_arena(st->pass), "use net.DialTimeout with %s", value));
  }
}

/* Does the argument list have a call pkg.name(...) of the grpc import path? */
static bool has_grpc_option(const state *st, uint32_t file, TSNode args, const char *name) {
  uint32_t n = go_ts_nnamed(args);
  for (uint32_t i = 0; i < n; i++) {
    TSNode a = go_ts_unparen(go_ts_nth(args, i));
    const char *p;
    if (go_node_is(a, GO_NODE_CALL_EXPRESSION) &&
        go_types_qualified(st->ty, file, go_node_child(a, GO_F_FUNCTION), &p, NULL) && is_grpc_path(p) &&
        callee_is(st->ty, file, go_node_child(a, GO_F_FUNCTION), p, name))
      return true;
  }
  return false;
}

static void check_grpc_dial(state *st) {
  static const char *const names[] = {"Dial", "DialContext", NULL};
  for (size_t v = 0; names[v]; v++) {
    const go_site *const *calls;
    size_t n = go_inspect_calls_named(st->ins, names[v], &calls);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = calls[i];
      const char *path;
      if (test_code(st, s) || !go_types_qualified(st->ty, s->file, s->sub, &path, NULL) ||
          !is_grpc_path(path))
        continue;
      TSNode args = go_node_child(s->node, GO_F_ARGUMENTS);
      if (!has_grpc_option(st, s->file, args, "WithBlock") ||
          has_grpc_option(st, s->file, args, "WithTimeout"))
        continue;
      const omen_file *f = site_file(st, s);
      const char *callee = go_ts_text(st->pass, f, s->sub);
      if (v == 1) {
        bool deadline = false;
        TSNode ctx = go_ts_arg(args, 0);
        if (go_context_origin(st->ctx, s->file, ctx, &deadline) != GO_ORIGIN_BACKGROUND || deadline)
          continue;
        omen_pass_report(
            st->pass, &rule_dial, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
            "%s with WithBlock() and a context with no deadline: while the server is unreachable "
            "this call retries forever and never returns; use a context from context.WithTimeout",
            callee);
        continue;
      }
      omen_pass_report(
          st->pass, &rule_dial, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
          "%s with WithBlock() has no deadline: while the server is unreachable this call retries "
          "forever and never returns; use DialContext with a context from context.WithTimeout",
          callee);
    }
  }
}

/* ---------- context.Background() in request code ---------- */

/* Is one of the camel-case words of name (case-insensitively) in words? first: only the first word. */
static bool has_word(const char *name, const char *const *words, bool first) {
  for (const char *p = name; *p;) {
    const char *q = p + 1;
    while (*q && !(*q >= 'A' && *q <= 'Z') && *q != '_')
      q++;
    size_t n = (size_t)(q - p);
    for (size_t i = 0; words[i]; i++)
      if (strlen(words[i]) == n && strncasecmp(p, words[i], n) == 0)
        return true;
    if (first)
      return false;
    p = *q == '_' ? q + 1 : q;
  }
  return false;
}

/* Calls that are given a detached context on purpose: cleanup that must run even when the request is
 * cancelled (a word of the name is a cleanup verb: cleanupAfterDeadShim, Close, Rollback...), and calls
 * that open or start something meant to outlive the request (the first word: OpenFifo, StartWorker,
 * Dial, NewClient...). */
static bool detached_on_purpose(const char *name) {
  static const char *const cleanup[] = {
      "close",      "shutdown",   "stop",     "rollback", "release", "unlock",  "cleanup",
      "clean",      "cancel",     "abort",    "finish",   "end",     "flush",   "unsubscribe",
      "deregister", "unregister", "teardown", "dispose",  "kill",    "destroy", NULL};
  static const char *const start[] = {"open",  "start", "spawn",   "launch", "listen",
                                      "serve", "dial",  "connect", "new",    NULL};
  return has_word(name, cleanup, false) || has_word(name, start, true);
}

/* Does the call derive a context rather than block: a name starting with "With" (WithNamespace,
 * errgroup.WithContext), or a callee whose first result is a context.Context? */
static bool derives_context(const state *st, uint32_t file, TSNode call, const char *name) {
  static const char *const with[] = {"with", NULL};
  if (has_word(name, with, true))
    return true;
  size_t n;
  const char *const *r = go_types_call_results(st->ty, file, call, &n);
  if (r && n >= 1 && r[0] && strcmp(r[0], "context.Context") == 0)
    return true;
  const char *ft = go_types_type_of(st->ty, file, go_node_child(call, GO_F_FUNCTION));
  const go_decl *d = ft && !strchr(ft, '.') ? go_types_decl(st->ty, ft) : NULL;
  if (d && d->kind == GO_DECL_TYPE && !ts_node_is_null(d->type)) /* a named func type: ContextWrapper */
    ft = go_types_canonical(st->ty, d->file, d->type);
  if (!ft || strncmp(ft, "func(", 5) != 0)
    return false;
  return strstr(ft, ") context.Context") || strstr(ft, ") (context.Context");
}

/* Is there a comment in the function body on the five lines above the call that explains a detached
 * context ("we ignore the context and use Background()", "must not be canceled")? */
static bool explained(const state *st, uint32_t file, TSNode call) {
  const omen_go_file *gf = st->ins->files[file];
  const omen_file *f = gf->file;
  uint32_t line = go_fix_line_no(f, ts_node_start_byte(call)); /* 1-based */
  uint32_t from = f->lines[line > 6 ? line - 6 : 0];
  uint32_t to = f->lines[line - 1];
  TSNode fn = go_inspect_func_node_around(st->ins, file, call);
  TSNode body = go_node_child(fn, GO_F_BODY);
  if (ts_node_is_null(body))
    return false;
  if (from < ts_node_start_byte(body))
    from = ts_node_start_byte(body); /* comments in the body only, not the function's doc */
  static const char *const words[] = {"background", "detach", "cancel", "ignore", "outlive", NULL};
  TSTreeCursor cur = ts_tree_cursor_new(gf->root);
  bool found = false;
  for (;;) {
    TSNode c = ts_tree_cursor_current_node(&cur);
    bool overlaps = ts_node_end_byte(c) > from && ts_node_start_byte(c) < to;
    if (overlaps && go_node_is(c, GO_NODE_COMMENT)) {
      const char *t = go_ts_text(st->pass, f, c);
      for (size_t i = 0; words[i] && !found; i++)
        found = strcasestr(t, words[i]) != NULL;
      if (found)
        break;
    }
    if (!go_ts_cursor_next(&cur, overlaps))
      break;
  }
  ts_tree_cursor_delete(&cur);
  return found;
}

/* Is `X.Done()` or `X.Err()` called for the context variable or parameter named name anywhere in fn
 * before offset off? Then the code knows its context may be gone. */
static bool checks_context(const state *st, const go_site *fn, uint32_t file, const char *name,
                           uint32_t off) {
  if (!fn || !name)
    return false;
  static const char *const methods[] = {"Done", "Err", NULL};
  for (size_t m = 0; methods[m]; m++) {
    char key[256];
    if (snprintf(key, sizeof key, "%s.%s", name, methods[m]) >= (int)sizeof key)
      return false;
    const go_site *const *v;
    size_t n = go_inspect_calls_to(st->ins, key, &v);
    for (size_t i = 0; i < n; i++)
      if (v[i]->file == file && ts_node_start_byte(v[i]->node) >= ts_node_start_byte(fn->node) &&
          ts_node_end_byte(v[i]->node) <= ts_node_end_byte(fn->node) && ts_node_start_byte(v[i]->node) < off)
        return true;
  }
  return false;
}

/* Does any identifier or package_identifier of file other than inside skip name the import imp? */
static bool import_used_elsewhere(const state *st, uint32_t file, const go_import *imp, TSNode skip) {
  const omen_go_file *gf = st->ins->files[file];
  const omen_file *f = gf->file;
  TSTreeCursor cur = ts_tree_cursor_new(gf->root);
  uint32_t ss = ts_node_start_byte(skip), se = ts_node_end_byte(skip);
  bool used = false, down = true;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    bool inside_skip = ts_node_start_byte(n) >= ss && ts_node_end_byte(n) <= se;
    go_node k = go_node_kind(n);
    if (down && !inside_skip && (k == GO_NODE_PACKAGE_IDENTIFIER || k == GO_NODE_IDENTIFIER) &&
        go_ts_teq(f, n, imp->name) && !go_node_is(go_ts_parent(n), GO_NODE_IMPORT_SPEC)) {
      go_binding b;
      if (k == GO_NODE_PACKAGE_IDENTIFIER ||
          (go_types_lookup_ident(st->ty, file, n, &b) == GO_BIND_IMPORT && b.imp == imp)) {
        used = true;
        break;
      }
    }
    bool into = down && !inside_skip;
    down = true;
    if (!go_ts_cursor_next(&cur, into))
      break;
  }
  ts_tree_cursor_delete(&cur);
  return used;
}

static void check_background(state *st) {
  static const char *const names[] = {"Background", "TODO", NULL};
  for (size_t v = 0; names[v]; v++) {
    const go_site *const *calls;
    size_t n = go_inspect_calls_named(st->ins, names[v], &calls);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = calls[i];
      if (!callee_is(st->ty, s->file, s->sub, "context", NULL))
        continue;
      /* the first argument of an outer call */
      TSNode args = go_ts_parent(s->node);
      if (!go_ts_type_is(args, "argument_list") || !ts_node_eq(go_ts_arg(args, 0), s->node))
        continue;
      TSNode outer = go_ts_parent(args);
      TSNode ofn = go_node_child(outer, GO_F_FUNCTION);
      TSNode ostmt = go_ts_parent(outer);
      if (callee_is(st->ty, s->file, ofn, "context", NULL) || go_node_is(ostmt, GO_NODE_GO_STATEMENT) ||
          go_node_is(ostmt, GO_NODE_DEFER_STATEMENT))
        continue;
      const omen_file *f = site_file(st, s);
      TSNode oname = go_node_is(ofn, GO_NODE_SELECTOR_EXPRESSION) ? go_node_child(ofn, GO_F_FIELD) : ofn;
      const char *oname_text = go_ts_text(st->pass, f, oname);
      if (detached_on_purpose(oname_text) || derives_context(st, s->file, outer, oname_text) ||
          explained(st, s->file, outer))
        continue;
      go_ctx_ref ref;
      if (!go_context_in_scope(st->ctx, s->file, s->node, 0, &ref) ||
          (ref.origin != GO_ORIGIN_PARAM && ref.origin != GO_ORIGIN_REQUEST &&
           ref.origin != GO_ORIGIN_STREAM))
        continue;
      /* a context variable the function has looked at already: it knows the context may be gone */
      const go_site *fn = go_inspect_func_of(st->ins, s);
      if (!strchr(ref.expr, '.') && checks_context(st, fn, s->file, ref.expr, ts_node_start_byte(s->node)))
        continue;
      const char *bg = go_ts_text(st->pass, f, s->node);
      omen_diag *d = omen_pass_report(
          st->pass, &rule_background, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
          "%s passed to %s although %s is in scope: the call is not cancelled when the request is and keeps "
          "running, holding its goroutine and resources, after the client has gone; pass %s",
          bg, go_ts_text(st->pass, f, ofn), ref.expr, ref.expr);
      const char *path;
      const go_import *imp = NULL;
      if (go_types_qualified(st->ty, s->file, s->sub, &path, NULL))
        imp = go_types_import_of(st->ty, s->file, path);
      if (!d || !imp || !import_used_elsewhere(st, s->file, imp, s->node))
        continue;
      go_fix_edits e = {0};
      if (go_fix_add(&e, ts_node_start_byte(s->node), ts_node_end_byte(s->node), ref.expr))
        go_fix_emit(st->pass, d, f, OMEN_FIX_UNSAFE, &e,
                    omen_arena_printf(omen_pass_arena(st->pass), "pass %s instead of %s", ref.expr, bg));
    }
  }
}

/* ---------- channel sends in handlers ---------- */

/* Is the receive expression of a select case a way out: `<-x.Done()`, `<-time.After(d)`, `<-t.C`? */
static bool escape_case(const state *st, uint32_t file, TSNode comcase) {
  TSNode com = go_node_child(comcase, GO_F_COMMUNICATION);
  if (!go_node_is(com, GO_NODE_RECEIVE_STATEMENT))
    return false;
  TSNode r = go_ts_unparen(go_node_child(com, GO_F_RIGHT));
  if (!go_node_is(r, GO_NODE_UNARY_EXPRESSION))
    return false;
  TSNode ch = go_ts_unparen(go_node_child(r, GO_F_OPERAND));
  const omen_file *f = st->ins->files[file]->file;
  if (go_node_is(ch, GO_NODE_CALL_EXPRESSION)) {
    TSNode fn = go_node_child(ch, GO_F_FUNCTION);
    if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) && go_ts_teq(f, go_node_child(fn, GO_F_FIELD), "Done"))
      return true;
    return callee_is(st->ty, file, fn, "time", "After") || callee_is(st->ty, file, fn, "time", "Tick");
  }
  if (go_node_is(ch, GO_NODE_SELECTOR_EXPRESSION) && go_ts_teq(f, go_node_child(ch, GO_F_FIELD), "C")) {
    const char *t = go_types_type_of(st->ty, file, go_node_child(ch, GO_F_OPERAND));
    return t && (go_types_is_named(t, "time", "Timer", NULL) || go_types_is_named(t, "time", "Ticker", NULL));
  }
  return false;
}

/* Is the send a case of a select that has a way out? */
static bool guarded_send(const state *st, uint32_t file, TSNode send) {
  TSNode cc = go_ts_parent(send);
  if (!go_node_is(cc, GO_NODE_COMMUNICATION_CASE) || !ts_node_eq(go_node_child(cc, GO_F_COMMUNICATION), send))
    return false;
  TSNode sel = go_ts_parent(cc);
  uint32_t n = go_ts_nnamed(sel);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = go_ts_nth(sel, i);
    if (go_node_is(c, GO_NODE_DEFAULT_CASE) ||
        (go_node_is(c, GO_NODE_COMMUNICATION_CASE) && escape_case(st, file, c)))
      return true;
  }
  return false;
}

/* Is the channel expression a local made in this function (its consumer is right there)? */
static bool local_channel(const state *st, uint32_t file, TSNode ch) {
  ch = go_ts_unparen(ch);
  if (!go_node_is(ch, GO_NODE_IDENTIFIER))
    return false;
  go_binding b;
  if (go_types_lookup_ident(st->ty, file, ch, &b) != GO_BIND_LOCAL)
    return false;
  go_node k = go_node_kind(b.decl);
  if (k == GO_NODE_PARAMETER_DECLARATION || k == GO_NODE_VARIADIC_PARAMETER_DECLARATION)
    return false;
  if (k != GO_NODE_SHORT_VAR_DECLARATION && k != GO_NODE_VAR_SPEC)
    return true; /* range or receive variables: leave them alone */
  TSNode values = go_node_child(b.decl, k == GO_NODE_VAR_SPEC ? GO_F_VALUE : GO_F_RIGHT);
  if (ts_node_is_null(values))
    return true; /* `var ch chan T` made below */
  uint32_t nv = go_ts_nnamed(values);
  for (uint32_t i = 0; i < nv; i++) {
    TSNode v = go_ts_unparen(go_ts_nth(values, i));
    if (go_node_is(v, GO_NODE_CALL_EXPRESSION) &&
        go_ts_teq(st->ins->files[file]->file, go_node_child(v, GO_F_FUNCTION), "make"))
      return true;
  }
  return false;
}

static void check_sends(state *st) {
  const go_inspect *ins = st->ins;
  for (size_t i = 0; i < ins->nsites[GO_SITE_SEND]; i++) {
    const go_site *s = &ins->sites[GO_SITE_SEND][i];
    if (test_code(st, s))
      continue;
    unsigned flags = go_context_flags_at(st->ctx, s->file, s->node);
    if (!(flags & (GO_CTX_HANDLER | GO_CTX_GRPC)) || guarded_send(st, s->file, s->node) ||
        local_channel(st, s->file, s->sub))
      continue;
    const omen_file *f = site_file(st, s);
    const char *chan = go_ts_text(st->pass, f, s->sub);
    const char *kind = flags & GO_CTX_HANDLER ? "an HTTP handler" : "a gRPC method";
    go_ctx_ref ref;
    bool have = go_context_in_scope(st->ctx, s->file, s->node, 0, &ref);
    omen_diag *d = omen_pass_report(
        st->pass, &rule_send, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
        "send on %s in %s can block forever: when the consumer stalls the request hangs here, holding its "
        "goroutine and connection, and the client's cancellation is not noticed; select on %s.Done() too",
        chan, kind, have ? ref.expr : "the request context");
    if (!d || !have)
      continue;
    /* the fix: a plain statement on its own line, in a function whose results allow a bare return */
    TSNode up = go_ts_parent(s->node);
    go_node pk = go_node_kind(up);
    if (!(pk == GO_NODE_BLOCK || pk == GO_NODE_EXPRESSION_CASE || pk == GO_NODE_DEFAULT_CASE ||
          pk == GO_NODE_TYPE_CASE ||
          (pk == GO_NODE_COMMUNICATION_CASE && !ts_node_eq(go_node_child(up, GO_F_COMMUNICATION), s->node))))
      continue;
    if (!go_fix_starts_line(f, ts_node_start_byte(s->node)) ||
        !go_fix_ends_line_or_comment(f, ts_node_end_byte(s->node)))
      continue;
    const go_ctx_func *fn = go_context_func_at(st->ctx, s->file, s->node);
    if (!fn || !fn->sig)
      continue;
    const char *ret;
    if (fn->sig->nresults == 0)
      ret = "return";
    else if (fn->sig->nresults == 1 && fn->sig->results[0].type &&
             strcmp(fn->sig->results[0].type, "error") == 0)
      ret = omen_arena_printf(omen_pass_arena(st->pass), "return %s.Err()", ref.expr);
    else
      continue;
    const char *ind = go_fix_indent_of(st->pass, f, ts_node_start_byte(s->node));
    const char *send = go_ts_text(st->pass, f, s->node);
    go_fix_edits e = {0};
    if (go_fix_add(&e, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
                   omen_arena_printf(omen_pass_arena(st->pass),
                                     "select {\n%scase %s:\n%scase <-%s.Done():\n%s\t%s\n%s}", ind, send, ind,
                                     ref.expr, ind, ret, ind)))
      go_fix_emit(st->pass, d, f, OMEN_FIX_UNSAFE, &e,
                  omen_arena_printf(omen_pass_arena(st->pass), "select on %s.Done() too", ref.expr));
  }
}

/* ---------- the analyzer ---------- */

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  state st = {pass, omen_pass_result(pass, &omen_go_inspect), omen_pass_result(pass, &omen_go_types),
              omen_pass_result(pass, &omen_go_context)};
  if (!st.ins || !st.ty || !st.ctx)
    return OMEN_OK;
  check_sql(&st);
  check_new_request(&st);
  check_servers(&st);
  check_net_dial(&st);
  check_grpc_dial(&st);
  check_background(&st);
  check_sends(&st);
  return OMEN_OK;
}

const omen_analyzer omen_go_timeouts = {
    .name = "go-timeouts",
    .title = "Blocking calls with no timeout or cancellation",
    .doc = "The missing-timeout family beyond HTTP clients (see go-http-timeout for those): database/sql "
           "calls and http.NewRequest that ignore the context in scope, HTTP servers with no read timeout, "
           "network dials with no timeout, context.Background() passed in request code, and channel sends "
           "in handlers that can block forever. Uses go-context for handlers and contexts in scope.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, &omen_go_context, NULL},
    .rules = (const omen_rule *const[]){&rule_sql_ctx, &rule_sql_none, &rule_request_ctx, &rule_server,
                                        &rule_dial, &rule_background, &rule_send, NULL},
    .run = run,
};
