/* go_goroutine_leak.c - the thread-leak family for goroutines: sends nobody receives once the spawner
 * gives up, receives on channels nobody closes, loops with no way out, handler goroutines that outlive
 * their request, and WaitGroup waits that can never end. Built on go-summary (what each goroutine does
 * with which channel) and go-cfg path queries in the spawner. */
#include <stdio.h>
#include <string.h>

#include "analyzers.h"
#include "go_cfg.h"
#include "go_context.h"
#include "go_fix.h"
#include "go_inspect.h"
#include "go_summary.h"
#include "go_types.h"
#include "pass.h"

/* ---------- rules ---------- */

static const omen_rule rule_send = {
    .id = "thread-leak/goroutine-send-blocks",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Goroutine sends on an unbuffered channel its spawner can stop receiving from",
    .what =
        "Follows each unbuffered channel made in a function (`ch := make(chan T)`) that goroutines "
        "started there send on (directly, or through functions of the package they call, with the "
        "channel passed as an argument or captured), and reports the send when the spawning function "
        "can return without receiving: a select that gives up (`ctx.Done()`, `time.After`, `default`), "
        "an early return between the `go` statement and the receive, a return from inside the loop "
        "that receives the results of several goroutines, or a single receive for goroutines started "
        "in a loop. Quiet when the channel is buffered, handed to anything else (returned, stored, "
        "passed to a function outside the package, captured by a closure that is not a goroutine), "
        "closed, received from by another goroutine (a drainer), when the goroutine's send is a case "
        "of a select with a way out, and in `main`. A return from the receiving loop counts when it gives "
        "up (under `if err != nil`, or in a select case on `ctx.Done()`, a timer or `default`), not when "
        "it follows a count of finished workers; a single receive followed only by `os.Exit` or "
        "`log.Fatal` is not reported (the process ends). Test code (`_test.go` files, test-helper packages) "
        "is not "
        "analyzed: a test's goroutine lives only as long as the test binary, and most such leaks are on "
        "failure paths.",
    .why = "A send on an unbuffered channel waits until someone receives. Once the spawner has returned, "
           "nobody ever will: the goroutine blocks forever on the send, and everything it references (the "
           "result, buffers, connections) stays in memory. A function that times out under load leaks one "
           "goroutine per call until the process runs out of memory; goleak and the Go concurrency bug "
           "study (Tu et al., ASPLOS 2019) list this as the most common goroutine leak.",
    .example = "func fetch(ctx context.Context, url string) (*Result, error) {\n"
               "\tch := make(chan *Result)\n"
               "\tgo func() {\n"
               "\t\tch <- get(url) // blocks forever once fetch has returned\n"
               "\t}()\n"
               "\tselect {\n"
               "\tcase r := <-ch:\n"
               "\t\treturn r, nil\n"
               "\tcase <-ctx.Done():\n"
               "\t\treturn nil, ctx.Err()\n"
               "\t}\n"
               "}",
    .instead = "func fetch(ctx context.Context, url string) (*Result, error) {\n"
               "\tch := make(chan *Result, 1) // the send never waits\n"
               "\tgo func() {\n"
               "\t\tch <- get(url)\n"
               "\t}()\n"
               "\t...\n"
               "}",
    .fix = "Gives the channel the capacity its senders need: `make(chan T, 1)` for one goroutine, "
           "`make(chan T, len(items))` when the goroutines are started in a loop over `items` (or the bound "
           "`n` of `for i := 0; i < n; i++`). Safe: a buffered send completes at once instead of waiting "
           "for the receiver, and nothing else changes. No fix when the number of senders is unknown.",
    .lang = "go",
};

static const omen_rule rule_recv = {
    .id = "thread-leak/goroutine-recv-never-closed",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Goroutine waits on a channel that is never closed",
    .what =
        "Reports a goroutine that ranges over a channel made by its spawner (`for v := range ch`, or "
        "`v, ok := <-ch` in a loop) when the spawner can return without closing it, and a goroutine "
        "that waits for one value (`<-ch`) when the spawner can return without sending on or closing "
        "the channel. The spawner's control flow is followed from the `go` statement, so a `close(ch)` "
        "at the end that an early return skips is found; `defer close(ch)` covers every path. Quiet "
        "when the channel is handed to anything else, closed or sent on by another goroutine, when the "
        "goroutine's receive is a case of a select with a way out (`ctx.Done()`, a timer, a quit "
        "channel), when the spawner sends on the channel before the goroutine could wait (a semaphore), and "
        "in `main`. Test code is not analyzed.",
    .why = "A range over a channel ends only when the channel is closed, and a receive waits until a value "
           "arrives. When the producer finishes or gives up without closing, the consumer goroutine waits "
           "forever, holding whatever it references; every call leaks one goroutine.",
    .example = "func process(items []Item) error {\n"
               "\tjobs := make(chan Item)\n"
               "\tgo func() {\n"
               "\t\tfor it := range jobs { // waits forever: jobs is never closed\n"
               "\t\t\thandle(it)\n"
               "\t\t}\n"
               "\t}()\n"
               "\tfor _, it := range items {\n"
               "\t\tjobs <- it\n"
               "\t}\n"
               "\treturn nil\n"
               "}",
    .instead = "\tfor _, it := range items {\n"
               "\t\tjobs <- it\n"
               "\t}\n"
               "\tclose(jobs)\n"
               "\treturn nil",
    .fix = "When the spawner never closes the channel, inserts `close(ch)` after the statement that holds "
           "its last send. Unsafe: review that no send can follow (a send on a closed channel panics), and "
           "close on early-return paths too (`defer close(ch)` when the function does not wait for the "
           "goroutine).",
    .lang = "go",
};

static const omen_rule rule_noexit = {
    .id = "thread-leak/goroutine-no-exit",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Goroutine loops forever with no way to stop it",
    .what =
        "Reports a `for { ... }` loop (or a range over `time.Tick(...)` or a ticker's `C`, which never "
        "ends) in a goroutine's body when no path leaves it: no return, no break out of the loop, no "
        "panic, `os.Exit` or `log.Fatal`. A `case <-ctx.Done():` or a receive from a quit channel only "
        "counts when its case actually leaves the loop (a bare `break` in a select case leaves only the "
        "select). Not reported when the goroutine is started by `main` or an `init` function, by "
        "`TestMain`, inside `Do` of a package-level `sync.Once` (a literal or a method value), or by "
        "functions only those call; nor when the `go` statement is guarded by package-level state (`if "
        "!started { started = "
        "true; go loop() }`, or an earlier `if worker != nil { return }`), nor by a package function with "
        "no parameters and no results (global setup such as `startGC()`): those are process-lifetime "
        "workers started once. Test code is not analyzed. When the type that starts the goroutine has a "
        "`Stop`, `Close` or "
        "`Shutdown` method the message says that it cannot end the loop.",
    .why = "Each call of the spawning function starts one more goroutine that never ends: it keeps its "
           "stack, the objects it references and whatever it does periodically (timers, polls, "
           "connections) for the life of the process. Tests using goleak fail, and a type whose `Close` "
           "cannot stop its own goroutine leaks a goroutine per instance.",
    .example = "func (c *Cache) Start() {\n"
               "\tgo func() {\n"
               "\t\tfor {\n"
               "\t\t\tselect {\n"
               "\t\t\tcase <-c.ticker.C:\n"
               "\t\t\t\tc.evict()\n"
               "\t\t\tcase <-c.quit:\n"
               "\t\t\t\tbreak // leaves the select, not the loop\n"
               "\t\t\t}\n"
               "\t\t}\n"
               "\t}()\n"
               "}",
    .instead = "\t\tfor {\n"
               "\t\t\tselect {\n"
               "\t\t\tcase <-c.ticker.C:\n"
               "\t\t\t\tc.evict()\n"
               "\t\t\tcase <-c.quit:\n"
               "\t\t\t\treturn\n"
               "\t\t\t}\n"
               "\t\t}",
    .fix = "No fix: add a `case <-ctx.Done(): return` (or a quit channel closed by Stop/Close) to the loop.",
    .lang = "go",
};

static const omen_rule rule_handler = {
    .id = "thread-leak/handler-goroutine-uses-request",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Goroutine started by an HTTP handler uses the request or response after the handler returns",
    .what = "Reports a goroutine started by an HTTP handler that uses the `http.ResponseWriter`, reads the "
            "request body (`r.Body`, `r.FormValue`, `r.ParseForm`, `r.FormFile`...), or uses the request's "
            "context (`r.Context()`, or a context derived from it), captured or passed as an argument, when "
            "the handler can return without waiting for it (no `wg.Wait()`, no receive from a channel the "
            "goroutine sends on or closes, on some path from the `go` statement to a return). Reading "
            "`r.URL`, `r.Header` or `r.Method` is not reported. Test code is not reported.",
    .why = "net/http forbids using the ResponseWriter or reading the request body after ServeHTTP "
           "returns: the response is already finished and the server reuses or closes them, so writes are "
           "lost, race with the next request on the connection, or panic. The request's context is "
           "cancelled as soon as the handler returns, so background work started with it fails with "
           "\"context canceled\" in production while it passes in a quick test.",
    .example = "func (s *Server) upload(w http.ResponseWriter, r *http.Request) {\n"
               "\tgo func() {\n"
               "\t\tif err := s.store.Save(r.Context(), r.Body); err != nil {\n"
               "\t\t\thttp.Error(w, err.Error(), http.StatusInternalServerError)\n"
               "\t\t}\n"
               "\t}()\n"
               "\tw.WriteHeader(http.StatusAccepted)\n"
               "}",
    .instead = "func (s *Server) upload(w http.ResponseWriter, r *http.Request) {\n"
               "\tdata, err := io.ReadAll(r.Body)\n"
               "\tif err != nil {\n"
               "\t\thttp.Error(w, err.Error(), http.StatusBadRequest)\n"
               "\t\treturn\n"
               "\t}\n"
               "\tgo s.store.Save(context.Background(), data) // owns its data and context\n"
               "\tw.WriteHeader(http.StatusAccepted)\n"
               "}",
    .fix = "No fix: read what the goroutine needs before starting it, give it a context of its own, or wait "
           "for it before returning.",
    .lang = "go",
};

static const omen_rule rule_wait = {
    .id = "thread-leak/goroutine-wait-forever",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "WaitGroup count that can never reach zero: Wait blocks forever",
    .what = "Reports a goroutine that calls `wg.Done()` (not deferred) on some paths but can return "
            "without it, when its spawner waits on that WaitGroup; a `wg.Add(1)` with a path to the "
            "spawner's `wg.Wait()` that starts no goroutine calling `Done` and calls no `Done` itself "
            "(an Add before a `continue` or a condition); and `wg.Add(len(items))` before a loop over "
            "`items` that skips the goroutine for some items. Goroutines that loop over `Done` calls are "
            "not followed. Waits on locks are the deadlock family's. `Add` inside the goroutine is "
            "staticcheck's SA2000 and a WaitGroup passed by value is go vet's copylocks: not repeated here.",
    .why = "`Wait` returns when the counter reaches zero. A path that adds without a matching `Done` "
           "leaves the counter above zero forever: the waiting goroutine (often a request handler or a "
           "shutdown sequence) blocks for good, and every goroutine it owns leaks with it.",
    .example = "wg.Add(1)\n"
               "go func() {\n"
               "\tres, err := fetch(u)\n"
               "\tif err != nil {\n"
               "\t\treturn // Done is never called: wg.Wait() blocks forever\n"
               "\t}\n"
               "\tresults <- res\n"
               "\twg.Done()\n"
               "}()\n"
               "wg.Wait()",
    .instead = "wg.Add(1)\n"
               "go func() {\n"
               "\tdefer wg.Done()\n"
               "\tres, err := fetch(u)\n"
               "\tif err != nil {\n"
               "\t\treturn\n"
               "\t}\n"
               "\tresults <- res\n"
               "}()\n"
               "wg.Wait()",
    .fix = "For a goroutine literal whose `wg.Done()` is a statement of its body: moves it to a `defer "
           "wg.Done()` at the top of the body. Unsafe: Done now also runs on the early-return and panic "
           "paths, and after any code that followed it. No fix for the Add side.",
    .lang = "go",
};

static const omen_rule rule_hblock = {
    .id = "thread-leak/handler-goroutine-blocks",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Goroutine started by an HTTP handler can block forever and watches no context",
    .what = "Reports a goroutine started by an HTTP handler, when the handler can return without waiting "
            "for it, whose summary says it may block forever on an object that outlives the request (a "
            "send, receive, range or select on a channel, or a `Wait` on a WaitGroup or `sync.Cond`, that "
            "is a struct field, a package variable, or a parameter of the function that built the handler "
            "such as `NewHandler(results chan<- T)`), directly or in a function of the package it calls, "
            "and that watches no context (no `ctx.Done()`, no `ctx.Err()`, no context passed to a call) "
            "and no quit channel. Channels and WaitGroups made in the handler are left to "
            "goroutine-send-blocks and goroutine-recv-never-closed, and blocking inside an endless `for` "
            "loop to goroutine-no-exit, so one go statement is reported once. Not reported: channels made "
            "by the function that built the handler (usually buffered or received from there), blocking "
            "network I/O (a goroutine reading a hijacked connection is the normal websocket pattern), "
            "sleeps, sends or receives in a select with a `default`, timer, `Done()` or quit-channel case, "
            "a single receive from a field or package variable that the package closes somewhere (a "
            "broadcast such as `<-s.ready`), goroutines started at most once (guarded by package-level "
            "state), and goroutines whose "
            "summary is incomplete. Test code is not analyzed.",
    .why = "A handler runs once per request. A goroutine it leaves behind that waits on a server-wide "
           "channel with no receiver ready (a full or abandoned job queue, a result nobody reads) never "
           "ends, and nothing can cancel it: every request that takes this path adds one more blocked "
           "goroutine, with its stack and everything it references, until the process runs out of "
           "memory. The request's context is the signal that the client is gone; a goroutine that "
           "watches it (or a server context) can give up.",
    .example = "func (s *Server) enqueue(w http.ResponseWriter, r *http.Request) {\n"
               "\tjob := parse(r)\n"
               "\tgo func() {\n"
               "\t\ts.jobs <- job // blocks forever when the workers are busy or gone\n"
               "\t}()\n"
               "\tw.WriteHeader(http.StatusAccepted)\n"
               "}",
    .instead = "func (s *Server) enqueue(w http.ResponseWriter, r *http.Request) {\n"
               "\tjob := parse(r)\n"
               "\tselect {\n"
               "\tcase s.jobs <- job:\n"
               "\t\tw.WriteHeader(http.StatusAccepted)\n"
               "\tcase <-r.Context().Done():\n"
               "\t}\n"
               "}",
    .fix = "No fix: which context the goroutine should watch (the request's, or a server context that "
           "outlives it), and what it should do when it gives up, are design decisions an edit cannot "
           "make.",
    .lang = "go",
};

/* ---------- state and small helpers ---------- */

typedef struct state {
  omen_pass *pass;
  const go_inspect *ins;
  const go_types *ty;
  go_cfg *cfgs;
  const go_context *ctx;
  go_summary *sum;
  int budget; /* main_like visits left */
} state;

static const omen_file *file_at(const state *st, uint32_t file) { return st->ins->files[file]->file; }

static bool contains(TSNode outer, TSNode n) {
  return !ts_node_is_null(outer) && !ts_node_is_null(n) &&
         ts_node_start_byte(outer) <= ts_node_start_byte(n) && ts_node_end_byte(n) <= ts_node_end_byte(outer);
}

/* The parent of e above any parentheses; *e moves to the outermost parenthesized expression. */
static TSNode up(TSNode *e) {
  TSNode p = go_ts_parent(*e);
  while (go_node_is(p, GO_NODE_PARENTHESIZED_EXPRESSION)) {
    *e = p;
    p = go_ts_parent(p);
  }
  return p;
}

static uint32_t fidx(const state *st, const go_ctx_func *f) { return (uint32_t)(f - st->ctx->funcs); }

/* A function's name for messages: "fetch", "(*Server).run"; literals get their enclosing function's name. */
static const char *func_label(const state *st, const go_ctx_func *f) {
  for (int guard = 0; f && guard < 32; guard++) {
    const go_site *s = f->site;
    if (s->fkind == GO_FUNC_DECL)
      return s->text;
    if (s->fkind == GO_FUNC_METHOD)
      return omen_arena_printf(omen_pass_arena(st->pass), "(%s%s).%s", s->recv_ptr ? "*" : "",
                               s->recv ? s->recv : "?", s->text);
    f = f->parent >= 0 ? &st->ctx->funcs[f->parent] : NULL;
  }
  return "the function";
}

static bool is_test_code(const state *st, const go_site *s) {
  return go_fix_in_test_code(st->pass, st->ins, st->ty, s);
}

/* The innermost for statement around n inside function node fn; null if none. */
static TSNode loop_around(TSNode n, TSNode fn) {
  for (TSNode p = go_ts_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = go_ts_parent(p)) {
    go_node k = go_node_kind(p);
    if (k == GO_NODE_FOR_STATEMENT)
      return p;
    if (k == GO_NODE_FUNC_LITERAL)
      break;
  }
  return go_ts_null();
}

/* Does n mention a package-level variable (an identifier, or a selector chain rooted at one)? */
static bool mentions_global(const state *st, uint32_t file, TSNode n) {
  if (ts_node_is_null(n))
    return false;
  TSTreeCursor c = ts_tree_cursor_new(n);
  bool found = false;
  int budget = 64;
  for (;;) {
    TSNode x = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(x);
    if (k == GO_NODE_IDENTIFIER && budget-- > 0) {
      go_binding b;
      if (go_types_lookup_ident(st->ty, file, x, &b) == GO_BIND_PACKAGE && b.pkg->kind == GO_DECL_VAR) {
        found = true;
        break;
      }
    }
    if (!go_ts_cursor_next(&c, k != GO_NODE_FUNC_LITERAL && k != GO_NODE_IDENTIFIER))
      break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

static bool returns_in(TSNode block) {
  for (uint32_t i = 0; i < go_ts_nnamed(block); i++)
    if (go_node_is(ts_node_named_child(block, i), GO_NODE_RETURN_STATEMENT))
      return true;
  return false;
}

/* Is the go statement started at most once per process: guarded by an if on package-level state around
 * it (`if !started { started = true; go loop() }`) or before it (`if worker != nil { return }`)? */
static bool singleton_guard(const state *st, const go_ctx_func *fn, const go_site *go) {
  TSNode fnode = fn->site->node;
  TSNode body = go_node_child(fnode, GO_F_BODY);
  TSNode top = go_ts_null();
  for (TSNode p = go_ts_parent(go->node); !ts_node_is_null(p) && !ts_node_eq(p, fnode); p = go_ts_parent(p)) {
    if (go_node_is(p, GO_NODE_IF_STATEMENT) &&
        (mentions_global(st, go->file, go_node_child(p, GO_F_CONDITION)) ||
         mentions_global(st, go->file, go_node_child(p, GO_F_INITIALIZER))))
      return true;
    if (ts_node_eq(go_ts_parent(p), body))
      top = p;
  }
  if (ts_node_is_null(top))
    top = go->node;
  for (uint32_t i = 0; i < go_ts_nnamed(body); i++) {
    TSNode c = ts_node_named_child(body, i);
    if (ts_node_start_byte(c) >= ts_node_start_byte(top))
      break;
    if (go_node_is(c, GO_NODE_IF_STATEMENT) && returns_in(go_node_child(c, GO_F_CONSEQUENCE)) &&
        (mentions_global(st, go->file, go_node_child(c, GO_F_CONDITION)) ||
         mentions_global(st, go->file, go_node_child(c, GO_F_INITIALIZER))))
      return true;
  }
  return false;
}

/* A package function with no parameters and no results sets up global state (`setupSignals()`,
 * `startGC()`): its goroutine is meant to run for the process. */
static bool global_setup(const go_ctx_func *fn) {
  const go_site *s = fn->site;
  if (s->fkind != GO_FUNC_DECL)
    return false;
  TSNode params = go_node_child(s->node, GO_F_PARAMETERS);
  return go_ts_nnamed(params) == 0 && ts_node_is_null(go_node_child(s->node, GO_F_RESULT));
}

/* Is call `once.Do(f)` on a package-level sync.Once (one per process, not one per instance)? */
static bool global_once(const state *st, uint32_t file, TSNode call) {
  TSNode fn = go_ts_unparen(go_node_child(call, GO_F_FUNCTION));
  return go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) &&
         go_ts_teq(file_at(st, file), go_node_child(fn, GO_F_FIELD), "Do") &&
         mentions_global(st, file, go_node_child(fn, GO_F_OPERAND));
}

/* Is function fi started in a goroutine that lives as long as the process: main or an init function,
 * TestMain, a sync.Once.Do literal, package-level initializers, or functions only those reach? */
static bool main_like(state *st, int32_t fi, int depth) {
  if (fi < 0)
    return true;
  if (depth > 8 || st->budget-- <= 0)
    return false;
  const go_ctx_func *f = &st->ctx->funcs[fi];
  if (f->flags & (GO_CTX_HANDLER | GO_CTX_GRPC))
    return false;
  const go_site *s = f->site;
  bool pkg_main = st->ty->pkg && strcmp(st->ty->pkg, "main") == 0;
  if (s->fkind == GO_FUNC_DECL) {
    if (strcmp(s->text, "init") == 0 || strcmp(s->text, "TestMain") == 0)
      return true;
    if (pkg_main && strcmp(s->text, "main") == 0)
      return true;
  }
  if (s->fkind == GO_FUNC_LIT) {
    TSNode e = s->node;
    TSNode p = up(&e);
    if (go_ts_type_is(p, "argument_list") && global_once(st, s->file, go_ts_parent(p)))
      return true; /* once.Do(func() { ... }) */
    if (f->parent < 0)
      return true;
    return main_like(st, f->parent, depth + 1);
  }
  if (f->nin == 0)
    return pkg_main;
  for (uint32_t k = f->in; k < f->in + f->nin; k++) {
    const go_ctx_edge *e = &st->ctx->edges[st->ctx->in_edges[k]];
    if (e->caller == fidx(st, f))
      continue;
    if (e->kind == GO_EDGE_REF && global_once(st, e->file, e->site))
      continue; /* once.Do(s.start) */
    if (!main_like(st, (int32_t)e->caller, depth + 1))
      return false;
  }
  return true;
}

/* The CFG node that enters a loop: a range loop's range expression, a for clause's initializer or
 * condition, the condition of `for cond {}`; null for `for {}` (which cannot be skipped). */
static TSNode loop_head(TSNode loop) {
  for (uint32_t i = 0; i < go_ts_nnamed(loop); i++) {
    TSNode c = ts_node_named_child(loop, i);
    switch (go_node_kind(c)) {
    case GO_NODE_RANGE_CLAUSE:
      return go_node_child(c, GO_F_RIGHT);
    case GO_NODE_FOR_CLAUSE: {
      TSNode init = go_node_child(c, GO_F_INITIALIZER);
      return ts_node_is_null(init) ? go_node_child(c, GO_F_CONDITION) : init;
    }
    case GO_NODE_BLOCK:
    case GO_NODE_COMMENT:
      break;
    default:
      return c;
    }
  }
  return go_ts_null();
}

/* Is the function containing go site g package main's main (where returning ends the process)? */
static bool in_main(const state *st, const go_ctx_func *f) {
  return f->site->fkind == GO_FUNC_DECL && strcmp(f->site->text, "main") == 0 && st->ty->pkg &&
         strcmp(st->ty->pkg, "main") == 0;
}

/* ---------- covering nodes for path queries ---------- */

enum { MAX_EXITS = 4 };

/* Covering nodes, and optionally a loop the paths must stay in. */
typedef struct cover {
  go_cfg_nodeset set;
  TSNode keep; /* when not null: any node outside it covers (the path left that loop) */
} cover;

static void cover_add(cover *c, const go_cfg_fn *cfg, TSNode n) { go_cfg_nodeset_add(&c->set, cfg, n); }

static bool cover_cb(void *ctx, TSNode n, uint8_t *path_state) {
  cover *c = ctx;
  if (!ts_node_is_null(c->keep) && !contains(c->keep, n))
    return true;
  return go_cfg_nodeset_has(&c->set, n, path_state);
}

/* The first exit of fn reachable from CFG position pos that no cover ends (with c->keep: only exits inside
 * keep, the paths that leave by a return or panic there); false when none. */
static bool exit_at(const go_cfg_fn *cfg, go_cfg_pos pos, cover *c, bool panics, go_cfg_exit *w) {
  if (c->set.overflow)
    return false;
  go_cfg_query q = {.node = cover_cb, .ctx = c, .panics = panics};
  go_cfg_exit ex[16];
  size_t n = go_cfg_exits(cfg, pos, &q, ex, 16);
  for (size_t i = 0; i < n && i < 16; i++) {
    if (!ts_node_is_null(c->keep) && (ex[i].kind == GO_CFG_EXIT_END || !contains(c->keep, ex[i].node)))
      continue;
    *w = ex[i];
    return true;
  }
  return false;
}

static bool exit_from(const go_cfg_fn *cfg, TSNode from, cover *c, go_cfg_exit *w) {
  go_cfg_pos pos;
  return go_cfg_find(cfg, from, &pos) && exit_at(cfg, pos, c, false, w);
}

static void exit_span(const go_cfg_exit *w, uint32_t *s, uint32_t *e) {
  if (w->kind == GO_CFG_EXIT_END) {
    *e = ts_node_end_byte(w->node);
    *s = *e ? *e - 1 : *e;
  } else {
    *s = ts_node_start_byte(w->node);
    *e = ts_node_end_byte(w->node);
  }
}

static uint32_t exit_line(const omen_file *f, const go_cfg_exit *w) {
  uint32_t s, e;
  exit_span(w, &s, &e);
  return go_fix_line_no(f, s);
}

static const char *exit_verb(const go_cfg_exit *w) {
  return w->kind == GO_CFG_EXIT_END ? "reaches its end" : "returns";
}

static const go_cfg_fn *cfg_of(const state *st, const go_ctx_func *f) {
  const go_cfg_fn *cfg = go_cfg_of(st->cfgs, f->site);
  return cfg && !cfg->incomplete ? cfg : NULL;
}

/* ---------- identifiers bound to one declaration ---------- */

typedef bool (*ident_cb)(void *ctx, TSNode id);

/* Calls cb for each identifier in root whose text is name (struct literal keys excluded); stops early
 * when cb returns false. */
static void each_ident(const omen_file *f, TSNode root, const char *name, ident_cb cb, void *ctx) {
  if (ts_node_is_null(root) || !name || !*name)
    return;
  size_t len = strlen(name);
  TSTreeCursor c = ts_tree_cursor_new(root);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    bool descend = true;
    if (go_node_is(n, GO_NODE_IDENTIFIER)) {
      descend = false;
      if (ts_node_end_byte(n) - ts_node_start_byte(n) == len && go_ts_teq(f, n, name)) {
        TSNode p = ts_node_parent(n);
        bool key = go_node_is(p, GO_NODE_LITERAL_ELEMENT) &&
                   go_node_is(ts_node_parent(p), GO_NODE_KEYED_ELEMENT) &&
                   ts_node_eq(go_node_child(ts_node_parent(p), GO_F_KEY), p);
        if (!key && !cb(ctx, n))
          break;
      }
    }
    if (!go_ts_cursor_next(&c, descend))
      break;
  }
  ts_tree_cursor_delete(&c);
}

static bool bound_to(const state *st, uint32_t file, TSNode id, TSNode decl) {
  go_binding b;
  return go_types_lookup_ident(st->ty, file, id, &b) == GO_BIND_LOCAL && ts_node_eq(b.name, decl);
}

/* ---------- channels made by a spawner ---------- */

/* The value a declaring identifier is initialized with (`x := v`, `var x = v`); null if none. */
static TSNode init_value(TSNode decl) {
  TSNode list = go_ts_parent(decl);
  TSNode stmt = go_ts_parent(list);
  TSNode values = go_ts_null();
  uint32_t idx = 0;
  if (go_node_is(list, GO_NODE_EXPRESSION_LIST) && go_node_is(stmt, GO_NODE_SHORT_VAR_DECLARATION) &&
      ts_node_eq(go_node_child(stmt, GO_F_LEFT), list)) {
    for (uint32_t i = 0; i < go_ts_nnamed(list); i++)
      if (ts_node_eq(ts_node_named_child(list, i), decl))
        idx = i;
    values = go_node_child(stmt, GO_F_RIGHT);
  } else if (go_node_is(list, GO_NODE_VAR_SPEC)) {
    uint32_t k = 0;
    for (uint32_t i = 0; i < go_ts_nnamed(list); i++) {
      TSNode c = ts_node_named_child(list, i);
      if (go_node_is(c, GO_NODE_IDENTIFIER)) {
        if (ts_node_eq(c, decl))
          idx = k;
        k++;
      }
    }
    values = go_node_child(list, GO_F_VALUE);
  } else {
    return go_ts_null();
  }
  if (go_node_is(values, GO_NODE_EXPRESSION_LIST))
    return go_ts_unparen(go_ts_nth(values, idx));
  return idx == 0 ? go_ts_unparen(values) : go_ts_null();
}

/* Is decl initialized with make(chan T[, n])? *unbuffered: no capacity, or a literal 0. */
static bool chan_make(const state *st, uint32_t file, TSNode decl, TSNode *make, bool *unbuffered) {
  TSNode v = init_value(decl);
  const omen_file *f = file_at(st, file);
  if (!go_node_is(v, GO_NODE_CALL_EXPRESSION) || !go_ts_teq(f, go_node_child(v, GO_F_FUNCTION), "make"))
    return false;
  TSNode args = go_node_child(v, GO_F_ARGUMENTS);
  uint32_t n = go_ts_nargs(args);
  if (n < 1 || !go_node_is(go_ts_arg(args, 0), GO_NODE_CHANNEL_TYPE))
    return false;
  *make = v;
  *unbuffered = n == 1 || (n == 2 && go_ts_teq(f, go_ts_unparen(go_ts_arg(args, 1)), "0"));
  return true;
}

typedef enum use_kind { U_NONE = 0, U_RECV, U_SEND, U_RANGE, U_CLOSE, U_GOARG, U_PKGCALL, U_ESCAPE } use_kind;

/* What a use of a channel variable does; *at gets the node to cover (the receive, send, range
 * expression or call). */
static use_kind classify_use(const state *st, uint32_t file, TSNode id, TSNode *at) {
  const omen_file *f = file_at(st, file);
  TSNode e = id;
  TSNode p = up(&e);
  switch (go_node_kind(p)) {
  case GO_NODE_UNARY_EXPRESSION:
    if (go_ts_teq(f, go_node_child(p, GO_F_OPERATOR), "<-")) {
      *at = p;
      return U_RECV;
    }
    return U_ESCAPE;
  case GO_NODE_SEND_STATEMENT:
    if (ts_node_eq(go_node_child(p, GO_F_CHANNEL), e)) {
      *at = p;
      return U_SEND;
    }
    return U_ESCAPE;
  case GO_NODE_RANGE_CLAUSE:
    if (ts_node_eq(go_node_child(p, GO_F_RIGHT), e)) {
      *at = e;
      return U_RANGE;
    }
    return U_ESCAPE;
  case GO_NODE_BINARY_EXPRESSION:
    return go_ts_teq(f, go_node_child(p, GO_F_OPERATOR), "==") ||
                   go_ts_teq(f, go_node_child(p, GO_F_OPERATOR), "!=")
               ? U_NONE
               : U_ESCAPE;
  default:
    break;
  }
  if (!go_ts_type_is(p, "argument_list"))
    return U_ESCAPE;
  TSNode call = go_ts_parent(p);
  TSNode fn = go_ts_unparen(go_node_child(call, GO_F_FUNCTION));
  *at = call;
  if (go_node_is(fn, GO_NODE_IDENTIFIER)) {
    if (go_ts_teq(f, fn, "close"))
      return U_CLOSE;
    if (go_ts_teq(f, fn, "len") || go_ts_teq(f, fn, "cap"))
      return U_NONE;
  }
  if (go_node_is(go_ts_parent(call), GO_NODE_GO_STATEMENT))
    return U_GOARG;
  if (go_context_callee(st->ctx, file, call))
    return U_PKGCALL;
  return U_ESCAPE;
}

/* The index of argument e (a direct child of argument_list args, through parentheses) among the call's
 * arguments; -1 if not found. */
static int32_t arg_index(TSNode args, TSNode e) {
  uint32_t n = go_ts_nargs(args);
  for (uint32_t i = 0; i < n; i++)
    if (ts_node_eq(go_ts_arg(args, i), e))
      return (int32_t)i;
  return -1;
}

typedef struct escape_walk {
  const state *st;
  uint32_t file;
  TSNode fn, decl;
  int depth;
  bool escapes;
} escape_walk;

static bool param_escapes(const state *st, const go_ctx_func *callee, int32_t idx, int depth);

static bool escape_cb(void *ctx, TSNode id) {
  escape_walk *w = ctx;
  if (!bound_to(w->st, w->file, id, w->decl))
    return true;
  if (!ts_node_eq(go_inspect_func_node_around(w->st->ins, w->file, id), w->fn)) {
    w->escapes = true; /* captured by a literal: not followed */
    return false;
  }
  TSNode at = go_ts_null();
  switch (classify_use(w->st, w->file, id, &at)) {
  case U_RECV:
  case U_SEND:
  case U_RANGE:
  case U_CLOSE:
  case U_NONE:
    return true;
  case U_PKGCALL: {
    TSNode e = id;
    up(&e);
    const go_ctx_func *g = go_context_callee(w->st->ctx, w->file, at);
    int32_t i = arg_index(go_node_child(at, GO_F_ARGUMENTS), e);
    if (i >= 0 && g && !param_escapes(w->st, g, i, w->depth + 1))
      return true;
    break;
  }
  default:
    break;
  }
  w->escapes = true;
  return false;
}

/* Does parameter idx of callee go anywhere its summary does not follow: stored, returned, captured, passed
 * to a function outside the package or to a goroutine? */
static bool param_escapes(const state *st, const go_ctx_func *callee, int32_t idx, int depth) {
  if (depth > 3 || idx < 0)
    return true;
  TSNode fn = callee->site->node;
  TSNode decl = go_summary_param(fn, (uint32_t)idx);
  if (ts_node_is_null(decl))
    return true;
  const omen_file *f = file_at(st, callee->site->file);
  escape_walk w = {st, callee->site->file, fn, decl, depth, false};
  each_ident(f, go_node_child(fn, GO_F_BODY), go_ts_text(st->pass, f, decl), escape_cb, &w);
  return w.escapes;
}

enum { MAX_NODES = 32, MAX_GOS = 16, MAX_CHANS = 16 };

/* A goroutine of the spawner that uses the channel, and what it does with it (from its summary). */
typedef struct gouser {
  const go_site *go;
  const go_ctx_func *g;
  TSNode call;
  unsigned sends, blocking_sends, recvs, ranges, waits_close, waits_one, closes;
  const go_op *send_op, *wait_op; /* first blocking send; first range/ok-loop/single receive */
  bool waits_range;               /* wait_op is a range or a receive loop (needs a close) */
} gouser;

typedef struct chan_info {
  const go_ctx_func *fn; /* the spawner */
  uint32_t file;
  const omen_file *f;
  TSNode decl;
  const char *name, *key;
  TSNode make;
  bool unbuffered;
  TSNode recvs[MAX_NODES], sends[MAX_NODES], ranges[MAX_NODES], closes[MAX_NODES];
  size_t nrecvs, nsends, nranges, ncloses;
  gouser gos[MAX_GOS];
  size_t ngos;
  bool escape;
  state *st;
} chan_info;

static void push_node(TSNode *v, size_t *n, TSNode x, bool *overflow) {
  if (*n == MAX_NODES) {
    *overflow = true;
    return;
  }
  v[(*n)++] = x;
}

static gouser *user_of(chan_info *ci, const go_site *go) {
  for (size_t i = 0; i < ci->ngos; i++)
    if (ci->gos[i].go == go)
      return &ci->gos[i];
  if (ci->ngos == MAX_GOS) {
    ci->escape = true;
    return NULL;
  }
  gouser *u = &ci->gos[ci->ngos++];
  memset(u, 0, sizeof *u);
  u->go = go;
  return u;
}

/* The go site of the spawner whose go_statement is stmt; NULL if none. */
static const go_site *go_site_of(chan_info *ci, TSNode stmt) {
  const go_site *const *gos;
  size_t n = go_summary_sites(ci->st->sum, GO_SITE_GO, fidx(ci->st, ci->fn), &gos);
  for (size_t i = 0; i < n; i++)
    if (ts_node_eq(gos[i]->node, stmt))
      return gos[i];
  return NULL;
}

/* For a use inside func literals of the spawner: the goroutine it belongs to, when the outermost literal
 * is started with `go` right in the spawner and every literal in between is called in place; else NULL. */
static const go_site *goroutine_of_use(chan_info *ci, TSNode id) {
  TSNode spawner = ci->fn->site->node;
  TSNode lit = go_inspect_func_node_around(ci->st->ins, ci->file, id);
  for (int guard = 0; guard < 32 && go_node_is(lit, GO_NODE_FUNC_LITERAL); guard++) {
    TSNode outer = go_inspect_func_node_around(ci->st->ins, ci->file, lit);
    TSNode call = go_summary_in_place_call(lit);
    if (ts_node_is_null(call))
      return NULL;
    bool started = go_node_is(go_ts_parent(call), GO_NODE_GO_STATEMENT);
    if (ts_node_eq(outer, spawner))
      return started ? go_site_of(ci, go_ts_parent(call)) : NULL;
    if (started)
      return NULL; /* a goroutine started by a goroutine: not summarized into it */
    lit = outer;
  }
  return NULL;
}

/* For a channel passed to a package function at call `at`: does the callee's parameter escape? *sum gets
 * the callee's summary (NULL when unknown). */
static bool pkgcall_escapes(chan_info *ci, TSNode id, TSNode at, const go_fsum **sum) {
  const go_ctx_func *g = go_context_callee(ci->st->ctx, ci->file, at);
  TSNode e = id;
  up(&e);
  int32_t idx = arg_index(go_node_child(at, GO_F_ARGUMENTS), e);
  if (!g || idx < 0 || param_escapes(ci->st, g, idx, 0))
    return true;
  const go_fsum *s = go_summary_of(ci->st->sum, g);
  if (!s || (s->flags & (GO_SUM_TRUNCATED | GO_SUM_UNKNOWN)))
    return true;
  if (sum)
    *sum = s;
  return false;
}

static bool chan_use_cb(void *ctx, TSNode id) {
  chan_info *ci = ctx;
  state *st = ci->st;
  if (ts_node_eq(id, ci->decl) || !bound_to(st, ci->file, id, ci->decl))
    return true;
  TSNode at = go_ts_null();
  use_kind k = classify_use(st, ci->file, id, &at);
  TSNode fn = go_inspect_func_node_around(st->ins, ci->file, id);
  if (!ts_node_eq(fn, ci->fn->site->node)) {
    const go_site *go = goroutine_of_use(ci, id);
    if (!go || k == U_ESCAPE || k == U_GOARG || (k == U_PKGCALL && pkgcall_escapes(ci, id, at, NULL))) {
      ci->escape = true;
      return false;
    }
    user_of(ci, go);
    return true;
  }
  switch (k) {
  case U_RECV:
    push_node(ci->recvs, &ci->nrecvs, at, &ci->escape);
    break;
  case U_SEND:
    push_node(ci->sends, &ci->nsends, at, &ci->escape);
    break;
  case U_RANGE:
    push_node(ci->ranges, &ci->nranges, at, &ci->escape);
    break;
  case U_CLOSE:
    push_node(ci->closes, &ci->ncloses, at, &ci->escape);
    break;
  case U_GOARG: {
    const go_site *go = go_site_of(ci, go_ts_parent(at));
    if (!go)
      ci->escape = true;
    else
      user_of(ci, go);
    break;
  }
  case U_PKGCALL: {
    const go_fsum *sum = NULL;
    int32_t idx = -1;
    if (pkgcall_escapes(ci, id, at, &sum) || !sum) {
      ci->escape = true;
      break;
    }
    /* what the callee does with its parameter happens at the call */
    TSNode e = id;
    up(&e);
    idx = arg_index(go_node_child(at, GO_F_ARGUMENTS), e);
    for (uint32_t i = 0; i < sum->nops; i++) {
      const go_op *o = &sum->ops[i];
      if (o->obj.kind != GO_OBJ_LOCAL || o->obj.param != idx)
        continue;
      if (o->kind == GO_OP_SEND)
        push_node(ci->sends, &ci->nsends, at, &ci->escape);
      else if (o->kind == GO_OP_RECV || o->kind == GO_OP_RANGE)
        push_node(ci->recvs, &ci->nrecvs, at, &ci->escape);
      else if (o->kind == GO_OP_CLOSE)
        push_node(ci->closes, &ci->ncloses, at, &ci->escape);
    }
    break;
  }
  case U_NONE:
    break;
  default:
    ci->escape = true;
    break;
  }
  return !ci->escape;
}

/* Fills each goroutine user's counts from its summary; false when one cannot be followed. */
static bool summarize_users(chan_info *ci) {
  state *st = ci->st;
  for (size_t i = 0; i < ci->ngos; i++) {
    gouser *u = &ci->gos[i];
    u->g = go_summary_goroutine(st->sum, u->go, &u->call);
    const go_fsum *sum = go_summary_of(st->sum, u->g);
    if (!sum || (sum->flags & (GO_SUM_TRUNCATED | GO_SUM_UNKNOWN)))
      return false;
    for (uint32_t k = 0; k < sum->nops; k++) {
      const go_op *o = &sum->ops[k];
      go_obj m;
      if (!go_summary_map(st->sum, u->g, u->go->file, u->call, &o->obj, &m) || strcmp(m.key, ci->key) != 0)
        continue;
      switch (o->kind) {
      case GO_OP_SEND:
        u->sends++;
        if (go_op_flags_blocking(o->flags) && !(o->flags & GO_OPF_SELRECV)) {
          u->blocking_sends++;
          if (!u->send_op)
            u->send_op = o;
        }
        break;
      case GO_OP_RECV:
        u->recvs++;
        if (!go_op_flags_blocking(o->flags))
          break;
        if ((o->flags & (GO_OPF_OK | GO_OPF_LOOP)) == (GO_OPF_OK | GO_OPF_LOOP)) {
          u->waits_close++;
          if (!u->wait_op || !u->waits_range) {
            u->wait_op = o;
            u->waits_range = true;
          }
        } else if (!(o->flags & (GO_OPF_LOOP | GO_OPF_SELECT))) {
          u->waits_one++;
          if (!u->wait_op)
            u->wait_op = o;
        }
        break;
      case GO_OP_RANGE:
        u->ranges++;
        u->waits_close++;
        if (!u->wait_op || !u->waits_range) {
          u->wait_op = o;
          u->waits_range = true;
        }
        break;
      case GO_OP_CLOSE:
        u->closes++;
        break;
      default:
        break;
      }
    }
  }
  return true;
}

static bool build_chan(chan_info *ci) {
  state *st = ci->st;
  if (!chan_make(st, ci->file, ci->decl, &ci->make, &ci->unbuffered))
    return false;
  each_ident(ci->f, go_node_child(ci->fn->site->node, GO_F_BODY), ci->name, chan_use_cb, ci);
  if (ci->escape)
    return false;
  return summarize_users(ci);
}

/* ---------- thread-leak/goroutine-send-blocks ---------- */

/* Is the return ret (inside loop) one that gives up early: under an `if ... != nil` (an error), or in a
 * select case that stops waiting (a Done() channel, a timer, a quit channel, default)? A return under a
 * counter check (`if active == 0`) ends after the last value and is not. */
static bool gives_up(const omen_file *f, TSNode ret, TSNode loop) {
  for (TSNode p = go_ts_parent(ret); !ts_node_is_null(p) && !ts_node_eq(p, loop); p = go_ts_parent(p)) {
    go_node k = go_node_kind(p);
    if (k == GO_NODE_DEFAULT_CASE && go_node_is(go_ts_parent(p), GO_NODE_SELECT_STATEMENT))
      return true;
    if (k == GO_NODE_COMMUNICATION_CASE)
      return go_summary_case_escapes(f, p);
    if (k == GO_NODE_IF_STATEMENT) {
      TSNode cond = go_ts_unparen(go_node_child(p, GO_F_CONDITION));
      return go_node_is(cond, GO_NODE_BINARY_EXPRESSION) &&
             go_ts_teq(f, go_node_child(cond, GO_F_OPERATOR), "!=") &&
             (go_node_is(go_ts_unparen(go_node_child(cond, GO_F_RIGHT)), GO_NODE_NIL) ||
              go_node_is(go_ts_unparen(go_node_child(cond, GO_F_LEFT)), GO_NODE_NIL));
    }
    if (k == GO_NODE_EXPRESSION_CASE || k == GO_NODE_TYPE_CASE || k == GO_NODE_DEFAULT_CASE)
      return false;
  }
  return false;
}

/* The capacity text for the fix: "1", or the count of the loop over which senders are started. */
static const char *capacity_for(chan_info *ci, TSNode sender_loop) {
  state *st = ci->st;
  if (ts_node_is_null(sender_loop))
    return "1";
  if (ts_node_start_byte(sender_loop) < ts_node_end_byte(ci->make))
    return NULL;
  TSNode clause = go_ts_null();
  for (uint32_t i = 0; i < go_ts_nnamed(sender_loop); i++) {
    TSNode c = ts_node_named_child(sender_loop, i);
    if (go_node_is(c, GO_NODE_RANGE_CLAUSE) || go_node_is(c, GO_NODE_FOR_CLAUSE)) {
      clause = c;
      break;
    }
  }
  TSNode x = go_ts_null();
  bool use_len = false;
  if (go_node_is(clause, GO_NODE_RANGE_CLAUSE)) {
    x = go_ts_unparen(go_node_child(clause, GO_F_RIGHT));
    use_len = true;
    const char *t = go_types_type_of(st->ty, ci->file, x);
    if (!t || !(t[0] == '[' || strncmp(t, "map[", 4) == 0 || strcmp(t, "string") == 0))
      return NULL;
  } else if (go_node_is(clause, GO_NODE_FOR_CLAUSE)) {
    TSNode cond = go_ts_unparen(go_node_child(clause, GO_F_CONDITION));
    if (!go_node_is(cond, GO_NODE_BINARY_EXPRESSION) ||
        !go_ts_teq(ci->f, go_node_child(cond, GO_F_OPERATOR), "<") ||
        !go_node_is(go_ts_unparen(go_node_child(cond, GO_F_LEFT)), GO_NODE_IDENTIFIER))
      return NULL;
    TSNode init = go_node_child(clause, GO_F_INITIALIZER);
    TSNode right = go_node_child(init, GO_F_RIGHT);
    if (!go_node_is(init, GO_NODE_SHORT_VAR_DECLARATION) || !go_ts_teq(ci->f, go_ts_nth(right, 0), "0"))
      return NULL;
    x = go_ts_unparen(go_node_child(cond, GO_F_RIGHT));
    if (go_node_is(x, GO_NODE_CALL_EXPRESSION)) {
      /* len(items) */
      if (!go_ts_teq(ci->f, go_node_child(x, GO_F_FUNCTION), "len"))
        return NULL;
      TSNode a = go_ts_unparen(go_ts_arg(go_node_child(x, GO_F_ARGUMENTS), 0));
      if (!go_node_is(a, GO_NODE_IDENTIFIER) && !go_node_is(a, GO_NODE_SELECTOR_EXPRESSION))
        return NULL;
      x = a;
      use_len = true;
    } else if (go_node_is(x, GO_NODE_INT_LITERAL)) {
      return go_ts_text(st->pass, ci->f, x);
    }
  }
  /* x must name the same thing at the make: an identifier or a selector chain rooted at one */
  TSNode root = x;
  while (go_node_is(root, GO_NODE_SELECTOR_EXPRESSION))
    root = go_ts_unparen(go_node_child(root, GO_F_OPERAND));
  if (!go_node_is(root, GO_NODE_IDENTIFIER))
    return NULL;
  go_binding at_loop, at_make;
  const char *rname = go_ts_text(st->pass, ci->f, root);
  go_bind_kind k1 = go_types_lookup_ident(st->ty, ci->file, root, &at_loop);
  go_bind_kind k2 = go_types_lookup(st->ty, ci->file, ci->make, rname, &at_make);
  if (k1 != k2 || k1 == GO_BIND_NONE || (k1 == GO_BIND_LOCAL && !ts_node_eq(at_loop.name, at_make.name)))
    return NULL;
  const char *xt = go_ts_text(st->pass, ci->f, x);
  if (strchr(xt, '\n'))
    return NULL;
  return use_len ? omen_arena_printf(omen_pass_arena(st->pass), "len(%s)", xt) : xt;
}

static void add_capacity_fix(chan_info *ci, omen_diag *d, const char *cap) {
  if (!d || !cap)
    return;
  TSNode args = go_node_child(ci->make, GO_F_ARGUMENTS);
  uint32_t n = go_ts_nargs(args);
  uint32_t end = ts_node_end_byte(args);
  go_fix_edits e = {0};
  if (n == 1) {
    TSNode a0 = go_ts_arg(args, 0);
    if (end == 0 || ci->f->text[end - 1] != ')' || ts_node_end_byte(a0) != end - 1)
      return; /* comments, a trailing comma or a line break before ')' */
    go_fix_add(&e, end - 1, end - 1, omen_arena_printf(omen_pass_arena(ci->st->pass), ", %s", cap));
  } else {
    TSNode a1 = go_ts_arg(args, 1);
    go_fix_add(&e, ts_node_start_byte(a1), ts_node_end_byte(a1), cap);
  }
  go_fix_emit(ci->st->pass, d, ci->f, OMEN_FIX_SAFE, &e,
              omen_arena_printf(omen_pass_arena(ci->st->pass), "give %s a buffer of %s", ci->name, cap));
}

static omen_diag *report_send(chan_info *ci, const gouser *u, const char *fmt_detail) {
  state *st = ci->st;
  const go_op *o = u->send_op;
  const omen_file *wf = file_at(st, o->wfile);
  omen_diag *d = omen_pass_report(st->pass, &rule_send, wf, ts_node_start_byte(o->witness),
                                  ts_node_end_byte(o->witness), "%s", fmt_detail);
  omen_diag_add_related(st->pass, d, file_at(st, u->go->file), ts_node_start_byte(u->go->node),
                        ts_node_end_byte(u->go->node), "the goroutine is started here");
  if (o->wfile != u->go->file || !contains(u->g->site->node, o->witness) || (o->flags & GO_OPF_CALLEE))
    omen_diag_add_related(st->pass, d, file_at(st, o->file), ts_node_start_byte(o->node),
                          ts_node_end_byte(o->node), "it sends on %s through this call", ci->name);
  return d;
}

static void check_send(chan_info *ci) {
  state *st = ci->st;
  if (!ci->unbuffered || ci->nsends || ci->ncloses || in_main(st, ci->fn))
    return;
  TSNode spawner = ci->fn->site->node;
  const gouser *first = NULL;
  size_t nsenders = 0;
  for (size_t i = 0; i < ci->ngos; i++) {
    const gouser *u = &ci->gos[i];
    if (u->recvs || u->ranges || u->closes)
      return; /* another goroutine receives (a drainer) or closes: not followed */
    if (u->sends)
      nsenders++;
    if (u->blocking_sends && !first)
      first = u;
  }
  if (!first)
    return;
  const go_cfg_fn *cfg = cfg_of(st, ci->fn);
  if (!cfg)
    return;
  /* receiving covers; so does entering a loop that receives (a range over the same items the senders
   * were started for is not skipped, whatever the CFG says about zero iterations) */
  cover c = {0};
  for (size_t i = 0; i < ci->nrecvs; i++) {
    cover_add(&c, cfg, ci->recvs[i]);
    TSNode l = loop_around(ci->recvs[i], spawner);
    if (!ts_node_is_null(l) && !contains(l, first->go->node) && !ts_node_is_null(loop_head(l)))
      cover_add(&c, cfg, loop_head(l));
  }
  for (size_t i = 0; i < ci->nranges; i++)
    cover_add(&c, cfg, ci->ranges[i]);
  const char *fname = func_label(st, ci->fn);
  omen_arena *ar = omen_pass_arena(st->pass);
  /* many senders: more than one go statement, or one in a loop that the receives are not inside */
  TSNode sloop = loop_around(first->go->node, spawner);
  bool recv_in_sloop = !ts_node_is_null(sloop);
  for (size_t i = 0; i < ci->nrecvs && recv_in_sloop; i++)
    recv_in_sloop = contains(sloop, ci->recvs[i]);
  recv_in_sloop = recv_in_sloop && ci->nrecvs > 0 && ci->nranges == 0;
  bool many = nsenders > 1 || (!ts_node_is_null(sloop) && !recv_in_sloop);
  const char *cap = many ? capacity_for(ci, nsenders > 1 ? go_ts_null() : sloop) : "1";
  if (many && nsenders > 1)
    cap = NULL;
  go_cfg_exit w;
  bool found = exit_from(cfg, first->go->node, &c, &w);
  /* a loop that receives may still return before its first receive (a select that gives up) */
  for (size_t i = 0; i < ci->nrecvs && !found && !many; i++) {
    TSNode l = loop_around(ci->recvs[i], spawner);
    if (ts_node_is_null(l) || contains(l, first->go->node) || ts_node_is_null(loop_head(l)))
      continue;
    cover lc = {0};
    lc.keep = l;
    for (size_t k = 0; k < ci->nrecvs; k++)
      cover_add(&lc, cfg, ci->recvs[k]);
    found = exit_from(cfg, loop_head(l), &lc, &w) && w.kind == GO_CFG_EXIT_RETURN;
  }
  if (found) {
    const char *msg = omen_arena_printf(
        ar,
        "this send blocks forever when %s %s at line %u without receiving from %s: nobody receives after "
        "that, "
        "so the goroutine leaks with everything it references; give %s a buffer so the send cannot wait",
        fname, exit_verb(&w), exit_line(ci->f, &w), ci->name, ci->name);
    omen_diag *d = report_send(ci, first, msg);
    uint32_t s, e;
    exit_span(&w, &s, &e);
    omen_diag_add_related(st->pass, d, ci->f, s, e, "%s %s here without receiving from %s", fname,
                          exit_verb(&w), ci->name);
    add_capacity_fix(ci, d, cap);
    return;
  }
  if (!many || ci->nranges)
    return;
  /* several senders: does the spawner receive fewer values than are sent? */
  TSNode rloop = go_ts_null();
  size_t nloose = 0;
  for (size_t i = 0; i < ci->nrecvs; i++) {
    TSNode l = loop_around(ci->recvs[i], spawner);
    if (ts_node_is_null(l))
      nloose++;
    else if (ts_node_is_null(rloop))
      rloop = l;
  }
  if (ts_node_is_null(rloop)) {
    if (ci->nrecvs == 0 || (ts_node_is_null(sloop) && nloose >= nsenders))
      return;
    cover none = {0};
    if (!exit_from(cfg, ci->recvs[0], &none, &w))
      return; /* the process ends after the receive (os.Exit, log.Fatal): nothing leaks */
    const char *msg = omen_arena_printf(
        ar,
        "%s receives %s from %s but %s goroutines send on it: the others block forever on this send "
        "and leak; give %s a buffer with room for every sender",
        fname, nloose == 1 ? "one value" : "fewer values", ci->name,
        ts_node_is_null(sloop) ? "more" : "a loop of", ci->name);
    omen_diag *d = report_send(ci, first, msg);
    omen_diag_add_related(st->pass, d, ci->f, ts_node_start_byte(ci->recvs[0]),
                          ts_node_end_byte(ci->recvs[0]), "the only receive");
    add_capacity_fix(ci, d, cap);
    return;
  }
  if (contains(rloop, first->go->node))
    return;
  /* a return from inside the receiving loop leaves the remaining senders blocked */
  for (size_t i = 0; i < ci->nrecvs; i++) {
    if (!contains(rloop, ci->recvs[i]))
      continue;
    cover lc = {0};
    lc.keep = rloop;
    if (!exit_from(cfg, ci->recvs[i], &lc, &w) || w.kind != GO_CFG_EXIT_RETURN ||
        !gives_up(ci->f, w.node, rloop))
      continue;
    const char *msg = omen_arena_printf(
        ar,
        "%s returns at line %u from the loop that receives from %s while other goroutines may still be "
        "sending: they block forever on this send and leak; give %s a buffer with room for every sender",
        fname, exit_line(ci->f, &w), ci->name, ci->name);
    omen_diag *d = report_send(ci, first, msg);
    uint32_t s, e;
    exit_span(&w, &s, &e);
    omen_diag_add_related(st->pass, d, ci->f, s, e, "returns here before every value is received");
    add_capacity_fix(ci, d, cap);
    return;
  }
}

/* ---------- thread-leak/goroutine-recv-never-closed ---------- */

/* The statement of the spawner's body block that contains node n; null if none. */
static TSNode top_statement(TSNode body, TSNode n) {
  for (TSNode p = n; !ts_node_is_null(p); p = go_ts_parent(p)) {
    TSNode par = go_ts_parent(p);
    if (ts_node_eq(par, body))
      return p;
  }
  return go_ts_null();
}

static void add_close_fix(chan_info *ci, omen_diag *d) {
  if (!d || ci->nsends == 0 || ci->ncloses)
    return;
  TSNode body = go_node_child(ci->fn->site->node, GO_F_BODY);
  TSNode last = ci->sends[0];
  for (size_t i = 1; i < ci->nsends; i++)
    if (ts_node_start_byte(ci->sends[i]) > ts_node_start_byte(last))
      last = ci->sends[i];
  TSNode stmt = top_statement(body, last);
  if (ts_node_is_null(stmt) || go_node_is(stmt, GO_NODE_RETURN_STATEMENT))
    return;
  uint32_t end = ts_node_end_byte(stmt);
  if (!go_fix_starts_line(ci->f, ts_node_start_byte(stmt)) || !go_fix_ends_line(ci->f, end))
    return;
  const char *indent = go_fix_indent_of(ci->st->pass, ci->f, ts_node_start_byte(stmt));
  if (!indent)
    return;
  go_fix_edits e = {0};
  go_fix_add(&e, end, end,
             omen_arena_printf(omen_pass_arena(ci->st->pass), "\n%sclose(%s)", indent, ci->name));
  go_fix_emit(ci->st->pass, d, ci->f, OMEN_FIX_UNSAFE, &e,
              omen_arena_printf(omen_pass_arena(ci->st->pass), "close %s after the last send", ci->name));
}

static void check_recv(chan_info *ci) {
  state *st = ci->st;
  if (in_main(st, ci->fn))
    return;
  const gouser *waiter = NULL;
  size_t other_senders = 0, other_closers = 0;
  for (size_t i = 0; i < ci->ngos; i++) {
    const gouser *u = &ci->gos[i];
    if (!waiter && u->wait_op && !u->sends && !u->closes) {
      waiter = u;
      continue;
    }
    if (u->sends)
      other_senders++;
    if (u->closes)
      other_closers++;
  }
  if (!waiter || other_closers)
    return;
  bool range = waiter->waits_range;
  if (!range && (other_senders || waiter->waits_close || ci->nsends))
    return; /* a value may be there already (a semaphore filled before the go statement) */
  for (size_t i = 0; i < ci->ncloses; i++)
    if (ts_node_start_byte(ci->closes[i]) < ts_node_start_byte(waiter->go->node))
      return; /* closed before the goroutine starts (a prefilled work queue), or `defer close(ch)` then */
  const go_cfg_fn *cfg = cfg_of(st, ci->fn);
  if (!cfg)
    return;
  cover c = {0};
  for (size_t i = 0; i < ci->ncloses; i++)
    cover_add(&c, cfg, ci->closes[i]);
  if (!range)
    for (size_t i = 0; i < ci->nsends; i++)
      cover_add(&c, cfg, ci->sends[i]);
  go_cfg_exit w;
  if (!exit_from(cfg, waiter->go->node, &c, &w))
    return;
  const go_op *o = waiter->wait_op;
  const char *fname = func_label(st, ci->fn);
  omen_arena *ar = omen_pass_arena(st->pass);
  const char *msg;
  /* the goroutine may know the channel by another name (a parameter) */
  const char *there = o->obj.name && *o->obj.name && strcmp(o->obj.name, ci->name) != 0
                          ? omen_arena_printf(ar, "%s (%s of %s)", o->obj.name, ci->name, fname)
                          : ci->name;
  if (range)
    msg = omen_arena_printf(
        ar,
        "the goroutine waits here forever: it receives from %s until it is closed, but %s %s at "
        "line %u without closing %s, so the goroutine leaks; close(%s) after the last send",
        there, fname, exit_verb(&w), exit_line(ci->f, &w), ci->name, ci->name);
  else
    msg = omen_arena_printf(
        ar,
        "the goroutine waits here forever: %s %s at line %u without sending on or closing %s, "
        "so this receive never completes and the goroutine leaks",
        fname, exit_verb(&w), exit_line(ci->f, &w), ci->name);
  const omen_file *wf = file_at(st, o->wfile);
  omen_diag *d = omen_pass_report(st->pass, &rule_recv, wf, ts_node_start_byte(o->witness),
                                  ts_node_end_byte(o->witness), "%s", msg);
  omen_diag_add_related(st->pass, d, file_at(st, waiter->go->file), ts_node_start_byte(waiter->go->node),
                        ts_node_end_byte(waiter->go->node), "the goroutine is started here");
  uint32_t s, e;
  exit_span(&w, &s, &e);
  omen_diag_add_related(st->pass, d, ci->f, s, e, "%s %s here with %s still open", fname, exit_verb(&w),
                        ci->name);
  if (range && ci->ncloses == 0)
    add_close_fix(ci, d);
}

/* Channels made by the spawner that its goroutines use, found from their summaries. */
static void check_channels(state *st, uint32_t fi) {
  const go_ctx_func *fn = &st->ctx->funcs[fi];
  TSNode body = go_node_child(fn->site->node, GO_F_BODY);
  if (ts_node_is_null(body))
    return;
  const go_site *const *gos;
  size_t ngos = go_summary_sites(st->sum, GO_SITE_GO, fi, &gos);
  TSNode decls[MAX_CHANS];
  const char *keys[MAX_CHANS];
  size_t nchans = 0;
  for (size_t i = 0; i < ngos; i++) {
    TSNode call;
    const go_ctx_func *g = go_summary_goroutine(st->sum, gos[i], &call);
    const go_fsum *sum = go_summary_of(st->sum, g);
    if (!sum)
      continue;
    for (uint32_t k = 0; k < sum->nops; k++) {
      const go_op *o = &sum->ops[k];
      if (o->kind != GO_OP_SEND && o->kind != GO_OP_RECV && o->kind != GO_OP_RANGE)
        continue;
      go_obj m;
      if (!go_summary_map(st->sum, g, gos[i]->file, call, &o->obj, &m) || m.kind != GO_OBJ_LOCAL ||
          m.file != fn->site->file || !contains(body, m.decl))
        continue;
      bool seen = false;
      for (size_t j = 0; j < nchans && !seen; j++)
        seen = strcmp(keys[j], m.key) == 0;
      if (!seen && nchans < MAX_CHANS) {
        decls[nchans] = m.decl;
        keys[nchans++] = m.key;
      }
    }
  }
  for (size_t i = 0; i < nchans; i++) {
    chan_info *ci = omen_arena_alloc(omen_pass_arena(st->pass), sizeof *ci);
    if (!ci)
      return;
    ci->st = st;
    ci->fn = fn;
    ci->file = fn->site->file;
    ci->f = file_at(st, ci->file);
    ci->decl = decls[i];
    ci->key = keys[i];
    ci->name = go_ts_text(st->pass, ci->f, decls[i]);
    if (!build_chan(ci))
      continue;
    check_send(ci);
    check_recv(ci);
  }
}

/* ---------- thread-leak/goroutine-no-exit ---------- */

/* Is the loop `for {}` or a range over something that never ends (time.Tick, a ticker's C)? */
static bool endless_loop(const omen_file *f, const go_site *loop) {
  if (ts_node_is_null(loop->sub))
    return true;
  if (!go_node_is(loop->sub, GO_NODE_RANGE_CLAUSE))
    return false;
  TSNode x = go_ts_unparen(go_node_child(loop->sub, GO_F_RIGHT));
  if (go_node_is(x, GO_NODE_CALL_EXPRESSION)) {
    TSNode fn = go_ts_unparen(go_node_child(x, GO_F_FUNCTION));
    return go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) &&
           go_ts_teq(f, go_node_child(fn, GO_F_OPERAND), "time") &&
           go_ts_teq(f, go_node_child(fn, GO_F_FIELD), "Tick");
  }
  return go_node_is(x, GO_NODE_SELECTOR_EXPRESSION) && go_ts_teq(f, go_node_child(x, GO_F_FIELD), "C");
}

/* Does a break or goto inside loop (not nested in another loop, switch or select, or labeled) leave it? */
static bool jumps_out(TSNode loop) {
  TSTreeCursor c = ts_tree_cursor_new(go_node_child(loop, GO_F_BODY));
  bool found = false;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(n);
    bool descend = k != GO_NODE_FUNC_LITERAL;
    if (k == GO_NODE_GOTO_STATEMENT) {
      found = true;
      break;
    }
    if (k == GO_NODE_BREAK_STATEMENT) {
      if (go_ts_nnamed(n) > 0) { /* labeled: may name this loop or an outer one */
        found = true;
        break;
      }
      bool inner = false;
      for (TSNode p = go_ts_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, loop); p = go_ts_parent(p)) {
        go_node pk = go_node_kind(p);
        if (pk == GO_NODE_FOR_STATEMENT || pk == GO_NODE_SELECT_STATEMENT ||
            pk == GO_NODE_EXPRESSION_SWITCH_STATEMENT || pk == GO_NODE_TYPE_SWITCH_STATEMENT) {
          inner = true;
          break;
        }
      }
      if (!inner) {
        found = true;
        break;
      }
    }
    if (!go_ts_cursor_next(&c, descend))
      break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

/* The first CFG node of the loop's body (for a range with variables, the assignment of the left side);
 * false when the body has none (an empty loop). */
static bool loop_entry(const go_cfg_fn *cfg, TSNode loop, go_cfg_pos *pos) {
  TSNode body = go_node_child(loop, GO_F_BODY);
  uint32_t lo = ts_node_start_byte(loop), hi = ts_node_end_byte(loop);
  uint32_t from = ts_node_start_byte(body), best = UINT32_MAX;
  for (uint32_t i = 0; i < go_ts_nnamed(loop); i++) {
    TSNode c = ts_node_named_child(loop, i);
    if (go_node_is(c, GO_NODE_RANGE_CLAUSE) && !ts_node_is_null(go_node_child(c, GO_F_LEFT)))
      from = ts_node_start_byte(go_node_child(c, GO_F_LEFT));
  }
  for (uint32_t b = 0; b < cfg->nblocks; b++)
    for (uint32_t k = 0; k < cfg->blocks[b].nnodes; k++) {
      uint32_t st = ts_node_start_byte(cfg->blocks[b].nodes[k]);
      if (st >= from && st < hi && st >= lo && st < best) {
        best = st;
        *pos = (go_cfg_pos){b, k};
      }
    }
  return best != UINT32_MAX;
}

/* A `break` that only leaves a select, in a case watching ctx.Done(), a timer or a quit channel: the classic
 * slip. */
static TSNode select_break(const omen_file *f, TSNode loop) {
  TSTreeCursor c = ts_tree_cursor_new(go_node_child(loop, GO_F_BODY));
  TSNode found = go_ts_null();
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(n);
    if (k == GO_NODE_BREAK_STATEMENT && go_ts_nnamed(n) == 0 && go_summary_case_escapes(f, go_ts_parent(n))) {
      found = n;
      break;
    }
    if (!go_ts_cursor_next(&c, k != GO_NODE_FUNC_LITERAL && k != GO_NODE_FOR_STATEMENT))
      break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

/* A Stop/Close/Shutdown method of the receiver type of fn or of its enclosing method; NULL if none. */
static const char *stop_method(const state *st, const go_ctx_func *fn) {
  static const char *const names[] = {"Stop", "Close", "Shutdown"};
  for (int guard = 0; fn && guard < 32; guard++) {
    const go_site *s = fn->site;
    if (s->fkind == GO_FUNC_METHOD && s->recv) {
      for (size_t i = 0; i < 3; i++) {
        const go_method *m = go_types_method(st->ty, s->recv, names[i]);
        if (m && !m->iface)
          return omen_arena_printf(omen_pass_arena(st->pass), "(%s%s).%s", m->ptr ? "*" : "", s->recv,
                                   names[i]);
      }
      return NULL;
    }
    fn = fn->parent >= 0 ? &st->ctx->funcs[fn->parent] : NULL;
  }
  return NULL;
}

static void check_no_exit(state *st, const go_site *go, const go_ctx_func *g, const go_ctx_func *spawner) {
  const go_site *const *loops;
  uint32_t gi = fidx(st, g);
  size_t n = go_summary_sites(st->sum, GO_SITE_FOR, gi, &loops);
  const omen_file *f = file_at(st, g->site->file);
  for (size_t i = 0; i < n; i++) {
    const go_site *loop = loops[i];
    if (!endless_loop(f, loop))
      continue;
    const go_cfg_fn *cfg = cfg_of(st, g);
    if (!cfg)
      return;
    bool ticker = !ts_node_is_null(loop->sub);
    if (ticker && jumps_out(loop->node))
      continue;
    go_cfg_pos pos;
    if (loop_entry(cfg, loop->node, &pos)) {
      /* a path from the loop's first node out of the function; that node itself may leave */
      TSNode first = go_cfg_node_at(cfg, pos);
      if (go_node_is(first, GO_NODE_RETURN_STATEMENT) ||
          (go_ts_type_is(first, "expression_statement") && go_cfg_is_noreturn_call(f, go_ts_nth(first, 0))))
        continue;
      cover c = {0};
      c.keep = ticker ? loop->node : go_ts_null();
      go_cfg_exit w;
      if (exit_at(cfg, pos, &c, true, &w))
        continue;
    }
    /* reachable at all? a loop after another endless loop is already reported */
    const char *sname = func_label(st, spawner);
    const char *stop = stop_method(st, spawner);
    if (!stop)
      stop = stop_method(st, g);
    TSNode brk = select_break(f, loop->node);
    omen_diag *d;
    if (stop)
      d = omen_pass_report(
          st->pass, &rule_noexit, f, ts_node_start_byte(loop->node), ts_node_start_byte(loop->node) + 3,
          "this loop never ends and nothing can stop it (no return, break or panic path): the "
          "goroutine that %s starts runs forever, and %s cannot end it; return on ctx.Done() or on "
          "a quit channel that %s closes",
          sname, stop, stop);
    else
      d = omen_pass_report(
          st->pass, &rule_noexit, f, ts_node_start_byte(loop->node), ts_node_start_byte(loop->node) + 3,
          "this loop never ends and nothing can stop it (no return, break or panic path): every "
          "call of %s leaks a goroutine that runs forever; return on ctx.Done() or on a quit "
          "channel",
          sname);
    omen_diag_add_related(st->pass, d, file_at(st, go->file), ts_node_start_byte(go->node),
                          ts_node_end_byte(go->node), "the goroutine is started here");
    if (!ts_node_is_null(brk))
      omen_diag_add_related(st->pass, d, f, ts_node_start_byte(brk), ts_node_end_byte(brk),
                            "this break leaves only the select, not the loop");
    return;
  }
}

/* ---------- thread-leak/handler-goroutine-uses-request ---------- */

typedef enum req_use { R_NONE = 0, R_WRITER, R_BODY, R_CTX } req_use;

typedef struct handler_info {
  state *st;
  const go_ctx_func *fn;
  uint32_t file;
  const omen_file *f;
  TSNode w, r;       /* declaring identifiers of the ResponseWriter and *Request parameters (may be null) */
  TSNode g;          /* the goroutine literal (uses inside it are captured) */
  TSNode found[4];   /* first use per req_use */
  TSNode decl;       /* for walks of a callee's parameter */
  req_use decl_kind; /* R_WRITER for a ResponseWriter parameter, R_BODY for a *Request parameter */
  uint32_t walk_file;
} handler_info;

static bool is_body_method(const omen_file *f, TSNode field) {
  static const char *const names[] = {"FormValue",          "PostFormValue", "ParseForm",
                                      "ParseMultipartForm", "FormFile",      "MultipartReader"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (go_ts_teq(f, field, names[i]))
      return true;
  return false;
}

/* What a use of the request variable does: reads the body, or takes its context. */
static req_use request_use(const omen_file *f, TSNode id) {
  TSNode e = id;
  TSNode p = up(&e);
  if (!go_node_is(p, GO_NODE_SELECTOR_EXPRESSION) || !ts_node_eq(go_node_child(p, GO_F_OPERAND), e))
    return R_NONE;
  TSNode field = go_node_child(p, GO_F_FIELD);
  if (go_ts_teq(f, field, "Body"))
    return R_BODY;
  TSNode c = p;
  TSNode call = up(&c);
  bool called =
      go_node_is(call, GO_NODE_CALL_EXPRESSION) && ts_node_eq(go_node_child(call, GO_F_FUNCTION), c);
  if (called && go_ts_teq(f, field, "Context"))
    return R_CTX;
  if (called && is_body_method(f, field))
    return R_BODY;
  return R_NONE;
}

/* Is the context expression e (`ctx`, `r.Context()`) handed to a call, so work runs with it? Watching it
 * (`<-ctx.Done()`, `ctx.Err()`) is what a goroutine should do with it. */
static bool ctx_passed(TSNode e) {
  TSNode x = e;
  return go_ts_type_is(up(&x), "argument_list");
}

static void note_use(handler_info *h, req_use k, TSNode at) {
  if (k == R_CTX && !ctx_passed(at))
    return;
  if (k != R_NONE && ts_node_is_null(h->found[k]))
    h->found[k] = at;
}

/* A use in the goroutine literal of a handler parameter or of a context variable derived from the request. */
static bool handler_use_cb(void *ctx, TSNode id) {
  handler_info *h = ctx;
  state *st = h->st;
  go_binding b;
  if (go_types_lookup_ident(st->ty, h->file, id, &b) != GO_BIND_LOCAL)
    return true;
  if (!ts_node_is_null(h->w) && ts_node_eq(b.name, h->w))
    note_use(h, R_WRITER, id);
  else if (!ts_node_is_null(h->r) && ts_node_eq(b.name, h->r)) {
    req_use k = request_use(h->f, id);
    TSNode at = id;
    if (k == R_CTX) /* the call r.Context() */
      at = go_ts_parent(go_ts_parent(id));
    note_use(h, k, at);
  } else if (contains(h->fn->site->node, b.name) && !contains(h->g, b.name)) {
    const char *t = go_types_type_of(st->ty, h->file, id);
    if (t && strcmp(t, "context.Context") == 0 &&
        go_context_origin(st->ctx, h->file, id, NULL) == GO_ORIGIN_REQUEST)
      note_use(h, R_CTX, id);
  }
  return true;
}

/* Identifiers of a goroutine literal's body that may be handler parameters or context variables. */
static void walk_literal(handler_info *h) {
  TSNode body = go_node_child(h->g, GO_F_BODY);
  TSTreeCursor c = ts_tree_cursor_new(body);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    bool descend = true;
    if (go_node_is(n, GO_NODE_IDENTIFIER)) {
      descend = false;
      uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
      bool cand = (!ts_node_is_null(h->w) && go_ts_teq(h->f, n, go_ts_text(h->st->pass, h->f, h->w))) ||
                  (!ts_node_is_null(h->r) && go_ts_teq(h->f, n, go_ts_text(h->st->pass, h->f, h->r)));
      for (uint32_t i = s; !cand && i + 3 <= e; i++)
        cand = (h->f->text[i] == 'c' || h->f->text[i] == 'C') && h->f->text[i + 1] == 't' &&
               h->f->text[i + 2] == 'x';
      if (cand)
        handler_use_cb(h, n);
    }
    if (!go_ts_cursor_next(&c, descend))
      break;
  }
  ts_tree_cursor_delete(&c);
}

/* Uses of a goroutine function's parameter (declaring identifier h->decl) in its body. */
static bool param_use_cb(void *ctx, TSNode id) {
  handler_info *h = ctx;
  if (!bound_to(h->st, h->walk_file, id, h->decl))
    return true;
  const omen_file *f = file_at(h->st, h->walk_file);
  req_use k = h->decl_kind == R_WRITER ? R_WRITER : request_use(f, id);
  if (k == R_CTX && !ctx_passed(go_ts_parent(go_ts_parent(id))))
    k = R_NONE;
  if (k != R_NONE && ts_node_is_null(h->found[0]))
    h->found[0] = id; /* found[0]: the use inside the callee, for the related location */
  return k == R_NONE;
}

/* Arguments of the go call: w, r.Body, r.Context(), a request context, or r handed to a parameter the
 * goroutine reads the body or context of. */
static void check_args(handler_info *h, const go_ctx_func *g, TSNode call, TSNode related[4]) {
  state *st = h->st;
  TSNode args = go_node_child(call, GO_F_ARGUMENTS);
  uint32_t n = go_ts_nargs(args);
  for (uint32_t i = 0; i < n; i++) {
    TSNode a = go_ts_unparen(go_ts_arg(args, i));
    TSNode id = a;
    while (go_node_is(id, GO_NODE_SELECTOR_EXPRESSION) || go_node_is(id, GO_NODE_CALL_EXPRESSION))
      id = go_ts_unparen(go_node_is(id, GO_NODE_CALL_EXPRESSION) ? go_node_child(id, GO_F_FUNCTION)
                                                                 : go_node_child(id, GO_F_OPERAND));
    if (!go_node_is(id, GO_NODE_IDENTIFIER))
      continue;
    go_binding b;
    if (go_types_lookup_ident(st->ty, h->file, id, &b) != GO_BIND_LOCAL)
      continue;
    bool is_w = !ts_node_is_null(h->w) && ts_node_eq(b.name, h->w);
    bool is_r = !ts_node_is_null(h->r) && ts_node_eq(b.name, h->r);
    if (!is_w && !is_r) {
      if (ts_node_eq(id, a) && contains(h->fn->site->node, b.name)) {
        const char *t = go_types_type_of(st->ty, h->file, id);
        if (t && strcmp(t, "context.Context") == 0 &&
            go_context_origin(st->ctx, h->file, id, NULL) == GO_ORIGIN_REQUEST)
          note_use(h, R_CTX, a);
      }
      continue;
    }
    if (!ts_node_eq(id, a)) {
      /* r.Body, r.Context(), w.Header()...: evaluated now, used later */
      note_use(h, is_w ? R_WRITER : request_use(h->f, id), a);
      continue;
    }
    /* w or r handed over whole: what does the goroutine do with its parameter? */
    if (!g)
      continue;
    handler_info sub = *h;
    sub.found[0] = go_ts_null();
    sub.decl = go_summary_param(g->site->node, i);
    sub.decl_kind = is_w ? R_WRITER : R_BODY;
    sub.walk_file = g->site->file;
    if (ts_node_is_null(sub.decl))
      continue;
    const omen_file *gf = file_at(st, g->site->file);
    each_ident(gf, go_node_child(g->site->node, GO_F_BODY), go_ts_text(st->pass, gf, sub.decl), param_use_cb,
               &sub);
    if (ts_node_is_null(sub.found[0]))
      continue;
    req_use k = is_w ? R_WRITER : request_use(gf, sub.found[0]);
    if (k != R_NONE && ts_node_is_null(h->found[k])) {
      h->found[k] = a;
      related[k] = sub.found[0];
    }
  }
}

static void find_handler_params(handler_info *h) {
  TSNode list = go_node_child(h->fn->site->node, GO_F_PARAMETERS);
  for (uint32_t i = 0; i < go_ts_nnamed(list); i++) {
    TSNode d = ts_node_named_child(list, i);
    if (!go_node_is(d, GO_NODE_PARAMETER_DECLARATION))
      continue;
    const char *t = go_types_canonical(h->st->ty, h->file, go_node_child(d, GO_F_TYPE));
    TSNode id = go_node_child(d, GO_F_NAME);
    if (!t || !go_node_is(id, GO_NODE_IDENTIFIER) || go_ts_teq(h->f, id, "_"))
      continue;
    if (strcmp(t, "net/http.ResponseWriter") == 0)
      h->w = id;
    else if (strcmp(t, "*net/http.Request") == 0)
      h->r = id;
  }
}

/* Does the handler wait for the goroutine on every path from the go statement: a Wait() call, or a receive
 * or range on a channel the goroutine sends on or closes? */
static bool handler_waits(state *st, const go_ctx_func *fn, const go_site *go, const go_ctx_func *g,
                          TSNode call, go_cfg_exit *w) {
  const go_cfg_fn *cfg = cfg_of(st, fn);
  if (!cfg)
    return true;
  const go_fsum *gs = g ? go_summary_of(st->sum, g) : NULL;
  const char *keys[8];
  size_t nkeys = 0;
  for (uint32_t k = 0; gs && k < gs->nops && nkeys < 8; k++) {
    const go_op *o = &gs->ops[k];
    if (o->kind != GO_OP_SEND && o->kind != GO_OP_CLOSE)
      continue;
    go_obj m;
    if (go_summary_map(st->sum, g, go->file, call, &o->obj, &m))
      keys[nkeys++] = m.key;
  }
  cover c = {0};
  uint32_t fi = fidx(st, fn);
  const go_site *const *sites;
  size_t n = go_summary_sites(st->sum, GO_SITE_CALL, fi, &sites);
  for (size_t i = 0; i < n; i++)
    if (sites[i]->name && strcmp(sites[i]->name, "Wait") == 0)
      cover_add(&c, cfg, sites[i]->node);
  n = go_summary_sites(st->sum, GO_SITE_RECV, fi, &sites);
  for (size_t i = 0; i < n; i++) {
    go_obj m;
    if (!go_summary_obj(st->sum, sites[i]->file, fn->site->node, sites[i]->sub, &m))
      continue;
    for (size_t k = 0; k < nkeys; k++)
      if (strcmp(keys[k], m.key) == 0)
        cover_add(&c, cfg, sites[i]->node);
  }
  n = go_summary_sites(st->sum, GO_SITE_FOR, fi, &sites);
  for (size_t i = 0; i < n; i++) {
    go_obj m;
    if (!go_node_is(sites[i]->sub, GO_NODE_RANGE_CLAUSE))
      continue;
    TSNode x = go_node_child(sites[i]->sub, GO_F_RIGHT);
    if (!go_summary_obj(st->sum, sites[i]->file, fn->site->node, x, &m))
      continue;
    for (size_t k = 0; k < nkeys; k++)
      if (strcmp(keys[k], m.key) == 0)
        cover_add(&c, cfg, x);
  }
  return !exit_from(cfg, go->node, &c, w);
}

static void check_handler(state *st, const go_site *go, const go_ctx_func *g, TSNode call,
                          const go_ctx_func *fn) {
  if (!(fn->flags & GO_CTX_HANDLER) || is_test_code(st, go))
    return;
  handler_info h;
  memset(&h, 0, sizeof h);
  h.st = st;
  h.fn = fn;
  h.file = fn->site->file;
  h.f = file_at(st, h.file);
  find_handler_params(&h);
  if (ts_node_is_null(h.w) && ts_node_is_null(h.r))
    return;
  TSNode related[4] = {go_ts_null(), go_ts_null(), go_ts_null(), go_ts_null()};
  if (g && g->site->fkind == GO_FUNC_LIT &&
      ts_node_eq(g->site->node, go_ts_unparen(go_node_child(call, GO_F_FUNCTION)))) {
    h.g = g->site->node;
    walk_literal(&h);
  }
  check_args(&h, g, call, related);
  if (ts_node_is_null(h.found[R_WRITER]) && ts_node_is_null(h.found[R_BODY]) &&
      ts_node_is_null(h.found[R_CTX]))
    return;
  go_cfg_exit w;
  if (handler_waits(st, fn, go, g, call, &w))
    return;
  const char *hname = func_label(st, fn);
  uint32_t line = exit_line(h.f, &w);
  for (int k = R_WRITER; k <= R_CTX; k++) {
    TSNode at = h.found[k];
    if (ts_node_is_null(at))
      continue;
    uint32_t as = ts_node_start_byte(at), ae = ts_node_end_byte(at);
    omen_diag *d;
    if (k == R_WRITER)
      d = omen_pass_report(
          st->pass, &rule_handler, h.f, as, ae,
          "the goroutine uses the ResponseWriter after %s may have returned (at line %u, without "
          "waiting for it): net/http forbids that, the response is already finished and the write "
          "is lost, races with the next request or panics",
          hname, line);
    else if (k == R_BODY)
      d = omen_pass_report(
          st->pass, &rule_handler, h.f, as, ae,
          "the goroutine reads the request body after %s may have returned (at line %u, without "
          "waiting for it): the server closes the body when the handler returns, so the read fails "
          "or races",
          hname, line);
    else
      d = omen_pass_report(
          st->pass, &rule_handler, h.f, as, ae,
          "the goroutine uses the request's context, which is cancelled as soon as %s returns (at "
          "line %u, without waiting for it): the goroutine's work fails with \"context canceled\"; "
          "give it a context of its own",
          hname, line);
    omen_diag_add_related(st->pass, d, h.f, ts_node_start_byte(go->node), ts_node_end_byte(go->node),
                          "the goroutine is started here");
    uint32_t s, e;
    exit_span(&w, &s, &e);
    omen_diag_add_related(st->pass, d, h.f, s, e, "the handler %s here without waiting for it",
                          exit_verb(&w));
    if (!ts_node_is_null(related[k]) && g)
      omen_diag_add_related(st->pass, d, file_at(st, g->site->file), ts_node_start_byte(related[k]),
                            ts_node_end_byte(related[k]), "used here");
  }
}

/* ---------- thread-leak/handler-goroutine-blocks ---------- */

/* The function node (declaration, method or literal) around n; null if none. */
static TSNode func_around(TSNode n) {
  for (TSNode p = go_ts_parent(n); !ts_node_is_null(p); p = go_ts_parent(p)) {
    go_node k = go_node_kind(p);
    if (k == GO_NODE_FUNCTION_DECLARATION || k == GO_NODE_METHOD_DECLARATION || k == GO_NODE_FUNC_LITERAL)
      return p;
  }
  return go_ts_null();
}

/* Does object m (as seen in handler fn) outlive the request: a struct field, a package variable, or a
 * parameter of a function enclosing the handler (`NewHandler(results chan<- T)`, captured by the handler
 * literal)? Locals of the handler and of the goroutine are per request (and the handler's are
 * goroutine-send-blocks' and recv-never-closed's); a channel made by the enclosing function is usually
 * buffered or received from there (tests with httptest handlers), so it is left alone. */
static bool outlives_request(const state *st, const go_ctx_func *fn, const go_obj *m) {
  if (m->kind == GO_OBJ_FIELD || m->kind == GO_OBJ_GLOBAL)
    return true;
  if (m->kind != GO_OBJ_LOCAL || m->file != fn->site->file || contains(fn->site->node, m->decl) ||
      !go_node_is(go_ts_parent(m->decl), GO_NODE_PARAMETER_DECLARATION))
    return false;
  for (int guard = 0; fn->parent >= 0 && guard < 32; guard++) {
    fn = &st->ctx->funcs[fn->parent];
    if (contains(fn->site->node, m->decl))
      return true;
  }
  return false;
}

/* The channel or WaitGroup operand of a blocking op node: the channel of a send, `<-x` or range, the
 * receiver of a Wait() call; null for anything else. */
static TSNode block_operand(TSNode w) {
  switch (go_node_kind(w)) {
  case GO_NODE_SEND_STATEMENT:
    return go_node_child(w, GO_F_CHANNEL);
  case GO_NODE_UNARY_EXPRESSION:
    return go_node_child(w, GO_F_OPERAND);
  case GO_NODE_FOR_STATEMENT: {
    for (uint32_t i = 0; i < go_ts_nnamed(w); i++) {
      TSNode c = ts_node_named_child(w, i);
      if (go_node_is(c, GO_NODE_RANGE_CLAUSE))
        return go_node_child(c, GO_F_RIGHT);
    }
    return go_ts_null();
  }
  case GO_NODE_CALL_EXPRESSION: {
    TSNode f = go_ts_unparen(go_node_child(w, GO_F_FUNCTION));
    return go_node_is(f, GO_NODE_SELECTOR_EXPRESSION) ? go_node_child(f, GO_F_OPERAND) : go_ts_null();
  }
  default:
    return go_ts_null();
  }
}

/* The object a blocking op of goroutine g waits on, as seen in the handler: through g's summary ops (which
 * map parameters to the go call's arguments), else from the op's own function (fields and package
 * variables only: a parameter there cannot be mapped). */
static bool blocked_obj(state *st, const go_ctx_func *g, const go_fsum *gs, const go_site *go, TSNode call,
                        uint32_t wfile, TSNode w, go_obj *m) {
  for (uint32_t k = 0; k < gs->nops; k++) {
    const go_op *o = &gs->ops[k];
    if (o->wfile == wfile && ts_node_eq(o->witness, w) && o->kind != GO_OP_CLOSE && o->kind != GO_OP_RELEASE)
      return go_summary_map(st->sum, g, go->file, call, &o->obj, m);
  }
  TSNode x = block_operand(w);
  TSNode wf = func_around(w);
  if (ts_node_is_null(x) || ts_node_is_null(wf) || !go_summary_obj(st->sum, wfile, wf, x, m))
    return false;
  return m->kind == GO_OBJ_FIELD || m->kind == GO_OBJ_GLOBAL;
}

/* Does some function of the package close the field or package variable with this key? A single receive
 * from it then waits for a broadcast (`<-s.ready`), not forever. Rare enough to ask every summary. */
static bool closed_in_package(state *st, const char *key) {
  for (uint32_t i = 0; i < st->ctx->nfuncs; i++) {
    const go_fsum *sum = go_summary_at(st->sum, i);
    const go_op *o;
    if (sum && go_summary_ops(sum, GO_OP_CLOSE, key, &o, 1) > 0)
      return true;
  }
  return false;
}

/* Is n inside a `for {}` (or ticker) loop of goroutine g: goroutine-no-exit's to judge. */
static bool in_endless_loop(state *st, const go_ctx_func *g, uint32_t file, TSNode n) {
  if (file != g->site->file)
    return false;
  const go_site *const *loops;
  size_t nl = go_summary_sites(st->sum, GO_SITE_FOR, fidx(st, g), &loops);
  for (size_t i = 0; i < nl; i++)
    if (contains(loops[i]->node, n) && endless_loop(file_at(st, file), loops[i]))
      return true;
  return false;
}

static void check_handler_blocks(state *st, const go_site *go, const go_ctx_func *g, TSNode call,
                                 const go_ctx_func *fn) {
  if (!g || !(fn->flags & GO_CTX_HANDLER))
    return;
  const go_fsum *gs = go_summary_of(st->sum, g);
  if (!gs || (gs->flags & (GO_SUM_WATCHES_CTX | GO_SUM_WATCHES_QUIT | GO_SUM_TRUNCATED | GO_SUM_UNKNOWN)))
    return;
  go_block_kind bk = gs->block;
  if (bk == GO_BLOCK_NONE || bk == GO_BLOCK_IO || ts_node_is_null(gs->block_witness))
    return;
  TSNode w = gs->block_witness;
  if (in_endless_loop(st, g, gs->block_file, gs->block_node))
    return;
  const omen_file *wf = file_at(st, gs->block_wfile);
  const char *what = "";
  if (bk == GO_BLOCK_SELECT) {
    /* every channel of the select outlives the request */
    size_t n = 0;
    for (uint32_t k = 0; k < gs->nops; k++) {
      const go_op *o = &gs->ops[k];
      if (o->wfile != gs->block_wfile || !contains(w, o->witness))
        continue;
      go_obj m;
      if (!go_summary_map(st->sum, g, go->file, call, &o->obj, &m) || !outlives_request(st, fn, &m))
        return;
      n++;
    }
    if (n == 0)
      return;
    what = " on channels that outlive the request";
  } else if (bk != GO_BLOCK_SELECT0) {
    go_obj m;
    if (!blocked_obj(st, g, gs, go, call, gs->block_wfile, w, &m) || !outlives_request(st, fn, &m))
      return;
    if (bk == GO_BLOCK_RECV && m.kind != GO_OBJ_LOCAL && closed_in_package(st, m.key))
      return;
    TSNode x = block_operand(w);
    if (!ts_node_is_null(x))
      what = omen_arena_printf(omen_pass_arena(st->pass), " on %s, which outlives the request",
                               go_ts_text(st->pass, wf, x));
  }
  if (singleton_guard(st, fn, go))
    return;
  go_cfg_exit ex;
  if (handler_waits(st, fn, go, g, call, &ex))
    return;
  const omen_file *hf = file_at(st, fn->site->file);
  omen_diag *d = omen_pass_report(
      st->pass, &rule_hblock, wf, ts_node_start_byte(w), ts_node_end_byte(w),
      "the goroutine started by %s can block here forever (%s%s) and watches "
      "no context: every request that gets here can leave a goroutine behind after the client is gone; "
      "pass r.Context() (or a server context) and select on its Done()",
      func_label(st, fn), go_summary_block_label(bk), what);
  if (gs->block_wfile != gs->block_file || !ts_node_eq(gs->block_node, w))
    omen_diag_add_related(st->pass, d, file_at(st, gs->block_file), ts_node_start_byte(gs->block_node),
                          ts_node_end_byte(gs->block_node), "reached through this call");
  omen_diag_add_related(st->pass, d, file_at(st, go->file), ts_node_start_byte(go->node),
                        ts_node_end_byte(go->node), "the goroutine is started here");
  uint32_t s, e;
  exit_span(&ex, &s, &e);
  omen_diag_add_related(st->pass, d, hf, s, e, "the handler %s here without waiting for it", exit_verb(&ex));
}

/* ---------- thread-leak/goroutine-wait-forever ---------- */

static const go_op *first_op(const go_fsum *sum, go_op_kind k, const char *key) {
  const go_op *o = NULL;
  go_summary_ops(sum, k, key, &o, 1);
  return o;
}

/* Moves `wg.Done()` (a statement of the literal's body) to a `defer` at the top of the body. */
static void add_defer_done_fix(state *st, omen_diag *d, const go_ctx_func *g, const go_op *done) {
  if (!d || g->site->fkind != GO_FUNC_LIT || (done->flags & GO_OPF_CALLEE))
    return;
  const omen_file *f = file_at(st, g->site->file);
  TSNode body = go_node_child(g->site->node, GO_F_BODY);
  TSNode stmt = go_ts_parent(done->node);
  if (!go_ts_type_is(stmt, "expression_statement") || !ts_node_eq(go_ts_parent(stmt), body))
    return;
  TSNode first = go_ts_null();
  for (uint32_t i = 0; i < go_ts_nnamed(body) && ts_node_is_null(first); i++)
    if (!go_node_is(ts_node_named_child(body, i), GO_NODE_COMMENT))
      first = ts_node_named_child(body, i);
  uint32_t s = ts_node_start_byte(stmt), e = ts_node_end_byte(stmt);
  if (ts_node_is_null(first) || ts_node_eq(first, stmt) || !go_fix_starts_line(f, s) ||
      !go_fix_ends_line(f, e) || !go_fix_starts_line(f, ts_node_start_byte(first)))
    return;
  uint32_t ls = go_fix_line_start(f, s), le = e;
  while (le < f->len && f->text[le] != '\n')
    le++;
  if (le < f->len)
    le++;
  const char *indent = go_fix_indent_of(st->pass, f, ts_node_start_byte(first));
  if (!indent)
    return;
  uint32_t fs = ts_node_start_byte(first);
  go_fix_edits ed = {0};
  go_fix_add(&ed, fs, fs,
             omen_arena_printf(omen_pass_arena(st->pass), "defer %s\n%s", go_ts_text(st->pass, f, done->node),
                               indent));
  go_fix_add(&ed, ls, le, "");
  go_fix_emit(st->pass, d, f, OMEN_FIX_UNSAFE, &ed, "defer the Done call at the top of the goroutine");
}

/* The goroutine side: a Done that some path to the goroutine's return skips, while the spawner waits. */
static void check_worker_done(state *st, const go_site *go, const go_ctx_func *g, TSNode call,
                              const go_ctx_func *fn) {
  const go_fsum *gs = go_summary_of(st->sum, g);
  if (!gs || !gs->nops || (gs->flags & (GO_SUM_TRUNCATED | GO_SUM_UNKNOWN)) || is_test_code(st, go))
    return;
  const go_fsum *fs = NULL;
  /* the WaitGroups it calls Done on (mapped into the spawner) */
  for (uint32_t k = 0; k < gs->nops; k++) {
    const go_op *o = &gs->ops[k];
    if (o->kind != GO_OP_WG_DONE)
      continue;
    if (!fs)
      fs = go_summary_of(st->sum, fn);
    if (!fs)
      return;
    go_obj m;
    if (!go_summary_map(st->sum, g, go->file, call, &o->obj, &m))
      continue;
    /* every Done of that group in the goroutine: none deferred, none in a loop or callback */
    const go_op *dones[8];
    size_t nd = 0;
    bool skip = false;
    for (uint32_t j = 0; j < gs->nops; j++) {
      const go_op *x = &gs->ops[j];
      if (x->kind != GO_OP_WG_DONE || strcmp(x->obj.key, o->obj.key) != 0)
        continue;
      if (x->flags & (GO_OPF_DEFER | GO_OPF_LOOP | GO_OPF_CALLBACK))
        skip = true;
      if (nd == 0 && (x->flags & GO_OPF_COND))
        skip = true; /* the first Done is conditional by design (one goroutine of many signals) */
      if (nd < 8)
        dones[nd++] = x;
      else
        skip = true;
    }
    if (skip || nd == 0 || dones[0] != o)
      continue;
    const go_op *wait = first_op(fs, GO_OP_WG_WAIT, m.key);
    if (!wait)
      continue;
    const go_cfg_fn *cfg = cfg_of(st, g);
    if (!cfg)
      return;
    cover c = {0};
    for (size_t j = 0; j < nd; j++)
      cover_add(&c, cfg, dones[j]->node);
    go_cfg_query q = {.node = cover_cb, .ctx = &c};
    go_cfg_exit ex[MAX_EXITS];
    size_t nex = c.set.overflow ? 0 : go_cfg_entry_exits(cfg, &q, ex, MAX_EXITS);
    const go_cfg_exit *ret = NULL;
    for (size_t j = 0; j < nex && j < MAX_EXITS && !ret; j++)
      if (ex[j].kind == GO_CFG_EXIT_RETURN)
        ret = &ex[j];
    if (!ret)
      continue; /* only an early return is the slip; falling off the end past a conditional Done is design */
    const omen_file *gf = file_at(st, g->site->file);
    uint32_t s, e;
    exit_span(ret, &s, &e);
    const char *wname = go_ts_text(
        st->pass, gf, go_node_child(go_ts_unparen(go_node_child(o->node, GO_F_FUNCTION)), GO_F_OPERAND));
    if (!*wname)
      wname = "the WaitGroup";
    omen_diag *d = omen_pass_report(
        st->pass, &rule_wait, gf, s, e,
        "the goroutine %s here without calling %s.Done(): the count never reaches zero and the Wait in %s "
        "blocks forever; defer the Done at the top of the goroutine",
        "returns", wname, func_label(st, fn));
    omen_diag_add_related(st->pass, d, gf, ts_node_start_byte(o->node), ts_node_end_byte(o->node),
                          "Done is only called on the other paths");
    omen_diag_add_related(st->pass, d, file_at(st, wait->file), ts_node_start_byte(wait->node),
                          ts_node_end_byte(wait->node), "waits here forever");
    add_defer_done_fix(st, d, g, o);
    return;
  }
}

/* Does the go statement or call `node` of fn end a WaitGroup count on key: a goroutine or callee whose
 * summary calls Done on it? */
static bool dones_on(state *st, const go_site *site, const char *key) {
  TSNode call;
  const go_ctx_func *g = NULL;
  if (site->kind == GO_SITE_GO) {
    g = go_summary_goroutine(st->sum, site, &call);
  } else {
    call = site->node;
    g = go_context_callee(st->ctx, site->file, call);
  }
  const go_fsum *gs = go_summary_of(st->sum, g);
  for (uint32_t k = 0; gs && k < gs->nops; k++) {
    const go_op *o = &gs->ops[k];
    go_obj m;
    if (o->kind == GO_OP_WG_DONE && go_summary_map(st->sum, g, site->file, call, &o->obj, &m) &&
        strcmp(m.key, key) == 0)
      return true;
  }
  return false;
}

/* Does a func literal of function fi that is not called in place (a callback) call Done on key? */
static bool done_in_callback(state *st, uint32_t fi, const char *key) {
  const go_fsum *fs = go_summary_at(st->sum, fi);
  for (uint32_t k = 0; fs && k < fs->nops; k++)
    if (fs->ops[k].kind == GO_OP_WG_DONE && (fs->ops[k].flags & GO_OPF_CALLBACK) &&
        strcmp(fs->ops[k].obj.key, key) == 0)
      return true;
  return false;
}

/* The spawner side: wg.Add(1) or wg.Add(len(items)) with a path to wg.Wait() that starts no goroutine and
 * calls nothing that calls Done. */
static void check_adds(state *st, uint32_t fi) {
  const go_ctx_func *fn = &st->ctx->funcs[fi];
  if (is_test_code(st, fn->site))
    return;
  const go_site *const *calls;
  size_t ncalls = go_summary_sites(st->sum, GO_SITE_CALL, fi, &calls);
  const omen_file *f = file_at(st, fn->site->file);
  TSNode fnode = fn->site->node;
  for (size_t i = 0; i < ncalls; i++) {
    const go_site *add = calls[i];
    if (!add->name || strcmp(add->name, "Add") != 0 || !go_node_is(add->sub, GO_NODE_SELECTOR_EXPRESSION))
      continue;
    TSNode recv = go_node_child(add->sub, GO_F_OPERAND);
    const char *t = go_types_type_of(st->ty, add->file, recv);
    if (!t || !go_types_is_named(t, "sync", "WaitGroup", NULL))
      continue;
    go_obj wg;
    if (!go_summary_obj(st->sum, add->file, fnode, recv, &wg))
      continue;
    TSNode arg = go_ts_unparen(go_ts_arg(go_node_child(add->node, GO_F_ARGUMENTS), 0));
    bool one = go_ts_teq(f, arg, "1");
    TSNode lenof = go_ts_null();
    if (!one && go_node_is(arg, GO_NODE_CALL_EXPRESSION) &&
        go_ts_teq(f, go_node_child(arg, GO_F_FUNCTION), "len"))
      lenof = go_ts_unparen(go_ts_arg(go_node_child(arg, GO_F_ARGUMENTS), 0));
    if (!one && ts_node_is_null(lenof))
      continue;
    const go_cfg_fn *cfg = cfg_of(st, fn);
    if (!cfg)
      return;
    /* the waits and the covers: goroutines and calls that Done, direct Done calls */
    cover c = {0};
    TSNode waits[8];
    size_t nwaits = 0;
    bool deferred_wait = false;
    const go_site *cover_go = NULL;
    for (size_t k = 0; k < ncalls; k++) {
      const go_site *s = calls[k];
      if (!s->name)
        continue;
      go_obj m;
      bool on_wg = go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION) &&
                   (strcmp(s->name, "Wait") == 0 || strcmp(s->name, "Done") == 0) &&
                   go_summary_obj(st->sum, s->file, fnode, go_node_child(s->sub, GO_F_OPERAND), &m) &&
                   strcmp(m.key, wg.key) == 0;
      if (on_wg && s->name[0] == 'W' && go_node_is(s->parent, GO_NODE_DEFER_STATEMENT))
        deferred_wait = true;
      else if (on_wg && s->name[0] == 'W' && nwaits < 8 &&
               ts_node_start_byte(s->node) > ts_node_start_byte(add->node))
        waits[nwaits++] = s->node;
      else if (on_wg)
        cover_add(&c, cfg, s->node);
      else if (!go_node_is(s->parent, GO_NODE_GO_STATEMENT) && dones_on(st, s, wg.key))
        cover_add(&c, cfg, s->node);
    }
    const go_site *const *gos;
    size_t ngos = go_summary_sites(st->sum, GO_SITE_GO, fi, &gos);
    for (size_t k = 0; k < ngos; k++)
      if (dones_on(st, gos[k], wg.key)) {
        cover_add(&c, cfg, gos[k]->node);
        if (!cover_go || ts_node_start_byte(gos[k]->node) < ts_node_start_byte(cover_go->node))
          if (ts_node_start_byte(gos[k]->node) > ts_node_start_byte(add->node))
            cover_go = gos[k];
      }
    if ((nwaits == 0 && !deferred_wait) || !cover_go || c.set.overflow)
      continue;
    if (done_in_callback(st, fi, wg.key))
      continue; /* a callback of F calls Done: not followed */
    /* entering a loop that starts the goroutines covers too (zero iterations go with zero items) */
    for (size_t k = 0; k < ngos; k++) {
      TSNode l = loop_around(gos[k]->node, fnode);
      if (!ts_node_is_null(l) && !contains(l, add->node) && !ts_node_is_null(loop_head(l)) &&
          dones_on(st, gos[k], wg.key))
        cover_add(&c, cfg, loop_head(l));
    }
    TSNode from = add->node;
    TSNode loop = go_ts_null();
    if (!one) {
      /* wg.Add(len(items)) before `for ... range items { ... go ... }`: from the loop body's start */
      loop = loop_around(cover_go->node, fnode);
      if (ts_node_is_null(loop) || ts_node_start_byte(loop) < ts_node_end_byte(add->node) ||
          !ts_node_is_null(loop_around(add->node, fnode)))
        continue;
      TSNode clause = go_ts_null();
      for (uint32_t k = 0; k < go_ts_nnamed(loop); k++)
        if (go_node_is(ts_node_named_child(loop, k), GO_NODE_RANGE_CLAUSE))
          clause = ts_node_named_child(loop, k);
      TSNode x = go_ts_unparen(go_node_child(clause, GO_F_RIGHT));
      if (ts_node_is_null(x) || !go_ts_teq(f, x, go_ts_text(st->pass, f, lenof)))
        continue;
    }
    go_cfg_pos pfrom;
    if (one ? !go_cfg_find(cfg, from, &pfrom) : !loop_entry(cfg, loop, &pfrom))
      continue;
    go_cfg_query q = {.node = cover_cb, .ctx = &c};
    /* the from node itself may be a cover (the go statement first in the loop body) */
    if (cover_cb(&c, go_cfg_node_at(cfg, pfrom), NULL))
      continue;
    bool bad = false;
    TSNode wait = go_ts_null();
    for (size_t k = 0; k < nwaits && !bad; k++) {
      go_cfg_pos pw;
      if (go_cfg_find(cfg, waits[k], &pw) && go_cfg_reaches(cfg, pfrom, pw, &q)) {
        bad = true;
        wait = waits[k];
      }
    }
    go_cfg_exit w;
    if (!bad && deferred_wait && exit_at(cfg, pfrom, &c, false, &w)) {
      bad = true; /* `defer wg.Wait()`: the wait is at the exit */
      wait = w.node;
    }
    if (!bad)
      continue;
    const char *wname = go_ts_text(st->pass, f, recv);
    omen_diag *d;
    if (one)
      d = omen_pass_report(
          st->pass, &rule_wait, f, ts_node_start_byte(add->node), ts_node_end_byte(add->node),
          "%s.Add(1) is not matched on every path: some path from here reaches %s.Wait() without "
          "starting the goroutine that calls Done, so Wait blocks forever; call Add right before "
          "the go statement",
          wname, wname);
    else
      d = omen_pass_report(
          st->pass, &rule_wait, f, ts_node_start_byte(add->node), ts_node_end_byte(add->node),
          "%s.Add(%s) counts every item, but the loop can skip the goroutine for some of them, so "
          "%s.Wait() blocks forever; call %s.Add(1) right before the go statement instead",
          wname, go_ts_text(st->pass, f, arg), wname, wname);
    omen_diag_add_related(st->pass, d, f, ts_node_start_byte(cover_go->node),
                          ts_node_end_byte(cover_go->node), "the goroutine that calls Done");
    omen_diag_add_related(st->pass, d, f, ts_node_start_byte(wait), ts_node_end_byte(wait),
                          "waits here forever");
  }
}

/* ---------- the analyzer ---------- */

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  state st;
  memset(&st, 0, sizeof st);
  st.pass = pass;
  st.ins = omen_pass_result(pass, &omen_go_inspect);
  st.ty = omen_pass_result(pass, &omen_go_types);
  st.cfgs = omen_pass_result(pass, &omen_go_cfg);
  st.ctx = omen_pass_result(pass, &omen_go_context);
  st.sum = omen_pass_result(pass, &omen_go_summary);
  if (!st.ins || !st.ty || !st.cfgs || !st.ctx || !st.sum || st.ins->nsites[GO_SITE_GO] == 0)
    return OMEN_OK;
  const go_site *gos = st.ins->sites[GO_SITE_GO];
  size_t ngos = st.ins->nsites[GO_SITE_GO];
  int32_t last_spawner = -1;
  bool *checked = omen_arena_alloc(omen_pass_arena(pass), st.ctx->nfuncs ? st.ctx->nfuncs : 1);
  if (!checked)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < ngos; i++) {
    const go_site *go = &gos[i];
    if (go->func_index < 0)
      continue;
    const go_ctx_func *fn = &st.ctx->funcs[go->func_index];
    TSNode call;
    const go_ctx_func *g = go_summary_goroutine(st.sum, go, &call);
    /* the spawner's channels and WaitGroup adds, once per spawner (sites are in walk order) */
    if (is_test_code(&st, go))
      continue;
    if (go->func_index != last_spawner) {
      last_spawner = go->func_index;
      check_channels(&st, (uint32_t)go->func_index);
      check_adds(&st, (uint32_t)go->func_index);
    }
    check_handler(&st, go, g, call, fn);
    check_handler_blocks(&st, go, g, call, fn);
    if (!g)
      continue;
    check_worker_done(&st, go, g, call, fn);
    /* loops with no exit: once per goroutine function, when a spawner is not process-lifetime */
    if (checked[fidx(&st, g)])
      continue;
    st.budget = 256;
    if (!main_like(&st, go->func_index, 0) && !global_setup(fn) && !singleton_guard(&st, fn, go)) {
      checked[fidx(&st, g)] = true;
      check_no_exit(&st, go, g, fn);
    }
  }
  return OMEN_OK;
}

const omen_analyzer omen_go_goroutine_leak = {
    .name = "go-goroutine-leak",
    .title = "thread-leak: goroutines that block or loop forever",
    .doc =
        "Finds goroutines that can never finish: a send on an unbuffered channel the spawner can stop "
        "receiving from (it times out, returns early, or receives fewer values than goroutines send), a "
        "range or receive on a channel the spawner never closes, a loop with no way out started outside "
        "main, a goroutine of an HTTP handler that uses the ResponseWriter, body or request context after "
        "the handler may have returned or can block forever on a server-wide channel or WaitGroup without "
        "watching a context, and a WaitGroup whose count cannot reach zero. Uses go-summary to "
        "know what each goroutine does with which channel and go-cfg path queries in the spawner. Offers a "
        "safe fix giving the channel the buffer its senders need.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, &omen_go_cfg,
                                               &omen_go_context, &omen_go_summary, NULL},
    .rules = (const omen_rule *const[]){&rule_send, &rule_recv, &rule_noexit, &rule_handler, &rule_hblock,
                                        &rule_wait, NULL},
    .run = run,
};
