/* go_resource_leak.c - resource-leak rules: *sql.Rows not closed, HTTP response bodies not closed and
 * context cancel functions not called on some path, found with go-cfg path queries over go-types. */
#include <stdio.h>
#include <string.h>

#include "analyzers.h"
#include "go_cfg.h"
#include "go_fix.h"
#include "go_inspect.h"
#include "go_types.h"
#include "pass.h"

static const omen_rule rule_rows = {
    .id = "resource-leak/sql-rows-not-closed",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "*sql.Rows from a query is not closed on every path",
    .what = "Follows each `*sql.Rows` returned by `Query` or `QueryContext` (of `*sql.DB`, `*sql.Tx`, "
            "`*sql.Stmt`, `*sql.Conn`, or any method with those names whose result type is `*sql.Rows`) "
            "through the function's control flow and reports a return (or the end of the function) "
            "that some path reaches without `rows.Close()`, or a loop that runs the query again "
            "before the previous rows are closed. Paths where the query failed (`err != nil`, "
            "`rows == nil`) and paths that leave a `for rows.Next()` loop normally (Next closes the "
            "rows when it returns false) need no Close. It stays quiet when the rows are returned, "
            "stored in a field, a global or a composite literal, passed to another function, closed "
            "in a deferred call or a closure, or assigned to a variable the function does not own. "
            "Also reports a query whose rows are discarded (`db.Query(...)` as a statement, or `_`; in "
            "test files `_, err := db.Query(bad)` is left alone, as tests write it to expect a failure). "
            "Findings in test files have low confidence.",
    .why = "An open `*sql.Rows` holds its connection: the connection stays checked out of the pool "
           "until the rows are closed or read to the end. An early return inside the scan loop, or a "
           "function that never closes its rows, leaks one connection per call; once the pool's limit "
           "(`SetMaxOpenConns`) is reached every later query blocks forever, and without a limit the "
           "database runs out of connections instead.",
    .example = "rows, err := db.QueryContext(ctx, q)\n"
               "if err != nil {\n"
               "\treturn err\n"
               "}\n"
               "for rows.Next() {\n"
               "\tif err := rows.Scan(&id); err != nil {\n"
               "\t\treturn err // leaks the rows and their connection\n"
               "\t}\n"
               "}",
    .instead = "rows, err := db.QueryContext(ctx, q)\n"
               "if err != nil {\n"
               "\treturn err\n"
               "}\n"
               "defer rows.Close()\n"
               "for rows.Next() {\n"
               "\tif err := rows.Scan(&id); err != nil {\n"
               "\t\treturn err\n"
               "\t}\n"
               "}\n"
               "return rows.Err()",
    .fix = "Safe: inserts `defer rows.Close()` on a new line right after the `if err != nil { return ... }` "
           "check that follows the query (or right after the query when its error is discarded). Closing "
           "twice is harmless, so existing Close calls stay. No fix inside loops (a deferred Close would "
           "keep every iteration's connection until the function returns), when the check is missing, "
           "has an else branch or does not leave, or when the query is not a plain statement. For a "
           "query whose rows are discarded, an unsafe fix replaces `Query`/`QueryContext` by "
           "`Exec`/`ExecContext` (the statement runs the same, but a driver may treat them differently).",
    .lang = "go",
};

static const omen_rule rule_body = {
    .id = "resource-leak/response-body-not-closed",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "HTTP response body is not closed on every path",
    .what = "Follows each `*http.Response` returned by `http.Get`, `Post`, `PostForm` or a client's "
            "`Do`, `Get`, `Post`, `PostForm` (methods of `*http.Client`, also when embedded, and of "
            "interfaces of the package with the same signatures; not `Head`, whose response has no "
            "body) and reports a return (or the end of the function) that some path "
            "reaches without `resp.Body.Close()`, or a retry loop that sends the request again before "
            "the previous body is closed. Paths where the request failed (`err != nil`, `resp == nil`) "
            "need no Close. Reading the body (`io.ReadAll(resp.Body)`, `json.NewDecoder(resp.Body)`, "
            "`io.Copy`) does not close it. It stays quiet when the response is returned, stored, or "
            "passed to any function, when the body is passed to a function outside a list of "
            "standard readers, and when the body is closed in a deferred call or a closure. Also "
            "reports a response that is discarded (`http.Get(url)` as a statement, or `_`; not "
            "`_, err :=` in test files). A `Do` of a request built with method HEAD in the same "
            "function is left alone. Findings in test files have low confidence.",
    .why = "A response holds its connection until its body is closed (or happens to be read to the "
           "end, which the documentation does not promise): the transport can neither reuse it for the "
           "next request nor release it, and the goroutines that read and write the connection stay "
           "alive. A client that leaks bodies opens a new connection per request and "
           "leaks file descriptors, memory and goroutines until the process hits its limits; against "
           "one host it also runs into `MaxConnsPerHost` and blocks.",
    .example = "resp, err := client.Do(req)\n"
               "if err != nil {\n"
               "\treturn err\n"
               "}\n"
               "if resp.StatusCode != http.StatusOK {\n"
               "\treturn fmt.Errorf(\"status %d\", resp.StatusCode) // the body stays open\n"
               "}\n"
               "defer resp.Body.Close()",
    .instead = "resp, err := client.Do(req)\n"
               "if err != nil {\n"
               "\treturn err\n"
               "}\n"
               "defer resp.Body.Close()\n"
               "if resp.StatusCode != http.StatusOK {\n"
               "\treturn fmt.Errorf(\"status %d\", resp.StatusCode)\n"
               "}",
    .fix = "Safe: inserts `defer resp.Body.Close()` on a new line right after the `if err != nil { return "
           "... }` check that follows the request (or right after the request when its error is "
           "discarded). Closing twice is harmless. No fix inside loops (every iteration's connection "
           "would stay open until the function returns), when the check is missing, has an else branch "
           "or does not leave, or when the request is not a plain statement.",
    .lang = "go",
};

static const omen_rule rule_cancel = {
    .id = "resource-leak/cancel-not-called",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Cancel function of a context is discarded or not called on every path",
    .what = "Follows the cancel function returned by `context.WithCancel`, `context.WithTimeout` and "
            "`context.WithDeadline` (import aliases resolved) and reports a return (or the end of the "
            "function) that some path reaches without calling it, a loop that creates the context "
            "again before the previous one is canceled, and a cancel function discarded with `_` or "
            "with the whole result. It stays quiet when the cancel function is deferred, returned, "
            "stored in a field or a global, passed to another function (`t.Cleanup(cancel)`, "
            "`time.AfterFunc(d, cancel)`) or used in a closure. Like `go vet`'s lostcancel, but a "
            "comparison or `_ = cancel` is not a call, and a path that reassigns the variable is "
            "followed. Findings in test files have low confidence.",
    .why = "A context from `WithCancel`, `WithTimeout` or `WithDeadline` stays registered with its "
           "parent, with its goroutine-visible `Done` channel and (for timeouts) its timer, until it is "
           "canceled or the parent is. With a long-lived parent such as `context.Background()` that is "
           "the life of the process: each call leaks the context, and work started with it is never "
           "told to stop.",
    .example = "ctx, cancel := context.WithTimeout(ctx, time.Second)\n"
               "if err := step(ctx); err != nil {\n"
               "\treturn err // cancel is never called on this path\n"
               "}\n"
               "cancel()",
    .instead = "ctx, cancel := context.WithTimeout(ctx, time.Second)\n"
               "defer cancel()\n"
               "if err := step(ctx); err != nil {\n"
               "\treturn err\n"
               "}",
    .fix = "Safe: inserts `defer cancel()` on the line after the assignment (calling cancel again later is "
           "harmless). For a discarded cancel function (`ctx, _ := context.WithTimeout(...)`), an unsafe "
           "fix names it `cancel` and inserts `defer cancel()`, only when the name `cancel` is not used "
           "anywhere in the function or its scope; unsafe because the context now ends when the function "
           "returns, which is wrong if it was meant to outlive the call. No fix inside loops, or when the "
           "assignment is not a plain statement.",
    .lang = "go",
};

/* ---------- small helpers ---------- */

/* The parent of e above any parentheses; *e moves to the outermost parenthesized expression. */
static TSNode up(TSNode *e) {
  TSNode p = ts_node_parent(*e);
  while (go_node_is(p, GO_NODE_PARENTHESIZED_EXPRESSION)) {
    *e = p;
    p = ts_node_parent(p);
  }
  return p;
}

static bool operator_is(const omen_file *f, TSNode bin, const char *op) {
  return go_ts_teq(f, go_node_child(bin, GO_F_OPERATOR), op);
}

static bool contains(TSNode outer, TSNode n) {
  return !ts_node_is_null(outer) && !ts_node_is_null(n) &&
         ts_node_start_byte(outer) <= ts_node_start_byte(n) && ts_node_end_byte(n) <= ts_node_end_byte(outer);
}

/* ---------- per-acquisition state ---------- */

typedef enum res_kind { RES_ROWS = 0, RES_BODY, RES_CANCEL } res_kind;

enum { MAX_EXITS = 4, ERR_REASSIGNED = 1 };

typedef struct acq {
  omen_pass *pass;
  const go_inspect *ins;
  const go_types *ty;
  res_kind kind;
  const go_site *call;
  uint32_t file;
  const omen_file *f;
  TSNode fn;         /* enclosing function node */
  TSNode stmt;       /* the assignment statement (short_var_declaration, assignment_statement, var_spec) */
  TSNode var, errv;  /* left-hand identifiers: the resource and the error (errv may be null) */
  go_binding vb, eb; /* their bindings (eb.kind NONE when no error variable) */
  const char *vname, *ename;
  go_cfg_nodeset covers; /* CFG nodes that end a path */
} acq;

/* Does identifier id (a use) refer to the variable declared by b? */
static bool same_var(const acq *a, TSNode id, const go_binding *b) {
  if (b->kind != GO_BIND_LOCAL)
    return false;
  go_binding u;
  return go_types_lookup_ident(a->ty, a->file, id, &u) == GO_BIND_LOCAL && ts_node_eq(u.name, b->name);
}

static bool ident_named(const acq *a, TSNode n, const char *name) {
  return go_node_is(n, GO_NODE_IDENTIFIER) && name && go_ts_teq(a->f, n, name);
}

/* ---------- standard readers: passing resp.Body to them does not hand it off ---------- */

static bool pure_reader(const acq *a, TSNode call) {
  static const char *const funcs[][2] = {
      {"io", "ReadAll"},
      {"io", "Copy"},
      {"io", "CopyN"},
      {"io", "CopyBuffer"},
      {"io", "ReadFull"},
      {"io", "ReadAtLeast"},
      {"io", "LimitReader"},
      {"io", "TeeReader"},
      {"io", "MultiReader"},
      {"io/ioutil", "ReadAll"},
      {"encoding/json", "NewDecoder"},
      {"encoding/xml", "NewDecoder"},
      {"encoding/gob", "NewDecoder"},
      {"encoding/csv", "NewReader"},
      {"bufio", "NewReader"},
      {"bufio", "NewReaderSize"},
      {"bufio", "NewScanner"},
      {"fmt", "Fscan"},
      {"fmt", "Fscanf"},
      {"fmt", "Fscanln"},
      {"mime/multipart", "NewReader"},
  };
  TSNode fn = go_ts_unparen(go_node_child(call, GO_F_FUNCTION));
  const char *path, *name;
  if (go_types_qualified(a->ty, a->file, fn, &path, &name)) {
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
      if (strcmp(path, funcs[i][0]) == 0 && strcmp(name, funcs[i][1]) == 0)
        return true;
    return false;
  }
  /* buf.ReadFrom(resp.Body) on a bytes.Buffer */
  if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) &&
      go_ts_teq(a->f, go_node_child(fn, GO_F_FIELD), "ReadFrom")) {
    const char *t = go_types_type_of(a->ty, a->file, go_node_child(fn, GO_F_OPERAND));
    return t && go_types_is_named(t, "bytes", "Buffer", NULL);
  }
  return false;
}

/* ---------- classifying the uses of the variable ---------- */

/* Does this use of resp.Body (sel) end the path? Close, hand-off and anything unknown do; reads,
 * method calls other than Close and nil comparisons do not. */
static bool body_use_covers(const acq *a, TSNode sel) {
  TSNode e = sel;
  TSNode p = up(&e);
  if (go_node_is(p, GO_NODE_SELECTOR_EXPRESSION) && ts_node_eq(go_node_child(p, GO_F_OPERAND), e)) {
    TSNode c = p;
    TSNode g = up(&c);
    if (go_node_is(g, GO_NODE_CALL_EXPRESSION) && ts_node_eq(go_node_child(g, GO_F_FUNCTION), c))
      return go_ts_teq(a->f, go_node_child(p, GO_F_FIELD), "Close");
    return true; /* a method value: resp.Body.Close passed somewhere */
  }
  if (go_node_is(p, GO_NODE_BINARY_EXPRESSION) && (operator_is(a->f, p, "==") || operator_is(a->f, p, "!=")))
    return false;
  if (go_ts_type_is(p, "argument_list")) {
    TSNode call = ts_node_parent(p);
    return !pure_reader(a, call);
  }
  return true;
}

/* Does this use (id, an identifier that is the variable) end the path? */
static bool use_covers(const acq *a, TSNode id) {
  if (!ts_node_eq(go_inspect_func_node_around(a->ins, a->file, id), a->fn))
    return true; /* used in a closure: deferred, started or stored; assume it closes */
  TSNode e = id;
  TSNode p = up(&e);
  if (go_node_is(p, GO_NODE_SELECTOR_EXPRESSION) && ts_node_eq(go_node_child(p, GO_F_OPERAND), e)) {
    TSNode fld = go_node_child(p, GO_F_FIELD);
    TSNode c = p;
    TSNode g = up(&c);
    bool called = go_node_is(g, GO_NODE_CALL_EXPRESSION) && ts_node_eq(go_node_child(g, GO_F_FUNCTION), c);
    switch (a->kind) {
    case RES_ROWS:
      /* rows.Next(), rows.Scan(...): uses; rows.Close(): closes; rows.Close as a value: escapes */
      return called ? go_ts_teq(a->f, fld, "Close") : true;
    case RES_BODY:
      if (go_ts_teq(a->f, fld, "Body"))
        return body_use_covers(a, p);
      return false; /* resp.StatusCode, resp.Header, resp.Write(w)... */
    case RES_CANCEL:
      return true;
    }
  }
  if (a->kind == RES_CANCEL && go_node_is(p, GO_NODE_CALL_EXPRESSION) &&
      ts_node_eq(go_node_child(p, GO_F_FUNCTION), e))
    return true; /* cancel() */
  if (go_node_is(p, GO_NODE_BINARY_EXPRESSION) && (operator_is(a->f, p, "==") || operator_is(a->f, p, "!=")))
    return false;
  return true; /* returned, passed, assigned, stored, sent, address taken... */
}

/* Finds every use of the variable in the function and records the CFG nodes that cover paths.
 * Identifiers that are struct-literal keys are field names, not uses. */
static void collect_uses(acq *a, const go_cfg_fn *cfg) {
  TSNode body = go_node_child(a->fn, GO_F_BODY);
  if (ts_node_is_null(body))
    return;
  TSTreeCursor c = ts_tree_cursor_new(body);
  size_t len = strlen(a->vname);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    bool descend = true;
    if (go_node_is(n, GO_NODE_IDENTIFIER)) {
      descend = false;
      if (ts_node_end_byte(n) - ts_node_start_byte(n) == len && go_ts_teq(a->f, n, a->vname)) {
        TSNode p = ts_node_parent(n);
        bool key = go_node_is(p, GO_NODE_LITERAL_ELEMENT) &&
                   go_node_is(ts_node_parent(p), GO_NODE_KEYED_ELEMENT) &&
                   ts_node_eq(go_node_child(ts_node_parent(p), GO_F_KEY), p);
        if (!key && same_var(a, n, &a->vb) && use_covers(a, n))
          go_cfg_nodeset_add(&a->covers, cfg, n);
      }
    }
    if (!go_ts_cursor_next(&c, descend))
      break;
  }
  ts_tree_cursor_delete(&c);
}

/* ---------- path callbacks ---------- */

/* Does statement n assign the error variable again (plain `=`, so the same variable)? */
static bool assigns_err(const acq *a, TSNode n) {
  if (a->eb.kind != GO_BIND_LOCAL)
    return false;
  if (!go_node_is(n, GO_NODE_ASSIGNMENT_STATEMENT) && !go_node_is(n, GO_NODE_SHORT_VAR_DECLARATION))
    return false;
  TSNode left = go_node_child(n, GO_F_LEFT);
  uint32_t k = go_ts_nnamed(left);
  for (uint32_t i = 0; i < k; i++) {
    TSNode id = ts_node_named_child(left, i);
    if (ident_named(a, id, a->ename) && same_var(a, id, &a->eb))
      return true;
  }
  return false;
}

static bool node_cb(void *ctx, TSNode n, uint8_t *state) {
  acq *a = ctx;
  if (go_cfg_nodeset_has(&a->covers, n, state))
    return true;
  if (!(*state & ERR_REASSIGNED) && assigns_err(a, n))
    *state |= ERR_REASSIGNED;
  return false;
}

/* Is x the error of the acquisition, or a call that wraps it (`scope.Err(err)`, `wrap(err, "q")`), as
 * in `x != nil`? */
static bool is_err(const acq *a, TSNode x) {
  x = go_ts_unparen(x);
  if (go_node_is(x, GO_NODE_IDENTIFIER))
    return ident_named(a, x, a->ename) && same_var(a, x, &a->eb);
  if (!go_node_is(x, GO_NODE_CALL_EXPRESSION))
    return false;
  TSNode args = go_node_child(x, GO_F_ARGUMENTS);
  uint32_t n = go_ts_nnamed(args);
  for (uint32_t i = 0; i < n; i++) {
    TSNode arg = go_ts_unparen(ts_node_named_child(args, i));
    if (ident_named(a, arg, a->ename) && same_var(a, arg, &a->eb))
      return true;
  }
  return false;
}

/* Does cond evaluating to sense imply that there is nothing to release: the call failed
 * (err != nil, with err not assigned since), the variable is nil, or rows.Next() returned false
 * (which closes the rows)? */
static bool nothing_to_release(acq *a, TSNode cond, bool sense, uint8_t state, int depth) {
  cond = go_ts_unparen(cond);
  if (depth > 32)
    return false;
  if (go_node_is(cond, GO_NODE_UNARY_EXPRESSION) && operator_is(a->f, cond, "!"))
    return nothing_to_release(a, go_node_child(cond, GO_F_OPERAND), !sense, state, depth + 1);
  if (go_node_is(cond, GO_NODE_BINARY_EXPRESSION)) {
    TSNode l = go_node_child(cond, GO_F_LEFT), r = go_node_child(cond, GO_F_RIGHT);
    if (operator_is(a->f, cond, "&&")) {
      if (sense)
        return nothing_to_release(a, l, true, state, depth + 1) ||
               nothing_to_release(a, r, true, state, depth + 1);
      return nothing_to_release(a, l, false, state, depth + 1) &&
             nothing_to_release(a, r, false, state, depth + 1);
    }
    if (operator_is(a->f, cond, "||")) {
      if (sense)
        return nothing_to_release(a, l, true, state, depth + 1) &&
               nothing_to_release(a, r, true, state, depth + 1);
      return nothing_to_release(a, l, false, state, depth + 1) ||
             nothing_to_release(a, r, false, state, depth + 1);
    }
    bool eq = operator_is(a->f, cond, "==");
    if (!eq && !operator_is(a->f, cond, "!="))
      return false;
    l = go_ts_unparen(l);
    r = go_ts_unparen(r);
    TSNode x = go_node_is(r, GO_NODE_NIL) ? l : go_node_is(l, GO_NODE_NIL) ? r : go_ts_null();
    bool is_nil = eq == sense; /* x == nil holds on this edge */
    if (a->kind == RES_BODY && is_nil && go_node_is(x, GO_NODE_SELECTOR_EXPRESSION) &&
        go_ts_teq(a->f, go_node_child(x, GO_F_FIELD), "Body")) {
      TSNode op = go_ts_unparen(go_node_child(x, GO_F_OPERAND)); /* resp.Body == nil: nothing to close */
      return ident_named(a, op, a->vname) && same_var(a, op, &a->vb);
    }
    if (!is_nil && !(state & ERR_REASSIGNED) && is_err(a, x))
      return true;
    return is_nil && ident_named(a, x, a->vname) && same_var(a, x, &a->vb);
  }
  if (a->kind == RES_ROWS && !sense && go_node_is(cond, GO_NODE_CALL_EXPRESSION)) {
    TSNode fn = go_ts_unparen(go_node_child(cond, GO_F_FUNCTION));
    TSNode op = go_ts_unparen(go_node_child(fn, GO_F_OPERAND));
    return go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) &&
           go_ts_teq(a->f, go_node_child(fn, GO_F_FIELD), "Next") && ident_named(a, op, a->vname) &&
           same_var(a, op, &a->vb);
  }
  return false;
}

static bool edge_cb(void *ctx, TSNode cond, bool sense, uint8_t state) {
  return !nothing_to_release(ctx, cond, sense, state, 0);
}

/* ---------- finding acquisitions ---------- */

/* The callee for messages: "db.Query", or the method name when the receiver is not a plain chain. */
static const char *callee_label(const go_site *s) { return strchr(s->text, '?') ? s->name : s->text; }

/* Identifiers named by a var_spec, in order. */
static uint32_t spec_names(TSNode spec, TSNode *out, uint32_t cap) {
  uint32_t n = 0, nc = go_ts_nnamed(spec);
  TSNode value = go_node_child(spec, GO_F_VALUE), type = go_node_child(spec, GO_F_TYPE);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_named_child(spec, i);
    if (ts_node_eq(c, value) || ts_node_eq(c, type) || !go_node_is(c, GO_NODE_IDENTIFIER))
      continue;
    if (n < cap)
      out[n] = c;
    n++;
  }
  return n;
}

typedef enum use_of_call { CALL_HANDED = 0, CALL_DISCARDED, CALL_ASSIGNED } use_of_call;

/* How the call's results are used: discarded (expression statement), assigned (left-hand side
 * elements in lhs, count in *nlhs, statement in *stmt), or handed to something else. */
static use_of_call call_use(const omen_file *f, TSNode call, TSNode *stmt, TSNode *lhs, uint32_t cap,
                            uint32_t *nlhs) {
  TSNode e = call;
  TSNode p = up(&e);
  if (go_ts_type_is(p, "expression_statement"))
    return CALL_DISCARDED;
  if (!go_node_is(p, GO_NODE_EXPRESSION_LIST) || go_ts_nnamed(p) != 1)
    return CALL_HANDED;
  TSNode g = ts_node_parent(p);
  if ((go_node_is(g, GO_NODE_SHORT_VAR_DECLARATION) ||
       (go_node_is(g, GO_NODE_ASSIGNMENT_STATEMENT) && operator_is(f, g, "="))) &&
      ts_node_eq(go_node_child(g, GO_F_RIGHT), p)) {
    TSNode left = go_node_child(g, GO_F_LEFT);
    uint32_t n = go_ts_nnamed(left);
    for (uint32_t i = 0; i < n && i < cap; i++)
      lhs[i] = ts_node_named_child(left, i);
    *nlhs = n;
    *stmt = g;
    return CALL_ASSIGNED;
  }
  if (go_node_is(g, GO_NODE_VAR_SPEC) && ts_node_eq(go_node_child(g, GO_F_VALUE), p)) {
    *nlhs = spec_names(g, lhs, cap);
    *stmt = g;
    return CALL_ASSIGNED;
  }
  return CALL_HANDED;
}

/* ---------- fixes ---------- */

/* Is n inside a loop of its function? */
static bool in_loop(TSNode n, TSNode fn) {
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = ts_node_parent(p))
    if (go_node_is(p, GO_NODE_FOR_STATEMENT))
      return true;
  return false;
}

/* Is s a statement of a statement list (a block or a case clause)? */
static bool in_statement_list(TSNode s) {
  go_node k = go_node_kind(ts_node_parent(s));
  return k == GO_NODE_BLOCK || k == GO_NODE_EXPRESSION_CASE || k == GO_NODE_DEFAULT_CASE ||
         k == GO_NODE_TYPE_CASE || k == GO_NODE_COMMUNICATION_CASE;
}

static TSNode next_statement(TSNode s) {
  TSNode n = ts_node_next_named_sibling(s);
  while (go_node_is(n, GO_NODE_COMMENT))
    n = ts_node_next_named_sibling(n);
  return n;
}

/* Does statement s always leave (return, jump, or a call that does not return)? */
static bool leaves(const omen_file *f, TSNode s) {
  const char *t = ts_node_type(s);
  if (strcmp(t, "return_statement") == 0 || strcmp(t, "goto_statement") == 0 ||
      strcmp(t, "continue_statement") == 0 || strcmp(t, "break_statement") == 0)
    return true;
  if (strcmp(t, "expression_statement") == 0 && go_ts_nnamed(s) == 1)
    return go_cfg_is_noreturn_call(f, ts_node_named_child(s, 0));
  return false;
}

/* The `if err != nil { ...; return }` right after stmt, with no initializer and no else; null if none. */
static TSNode error_check_after(const acq *a, TSNode stmt) {
  TSNode s = next_statement(stmt);
  if (!go_node_is(s, GO_NODE_IF_STATEMENT) || !ts_node_is_null(go_node_child(s, GO_F_INITIALIZER)))
    return go_ts_null();
  TSNode cond = go_ts_null(), cons = go_ts_null();
  uint32_t nc = go_ts_nnamed(s);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_named_child(s, i);
    if (go_node_is(c, GO_NODE_COMMENT))
      continue;
    if (ts_node_is_null(cond))
      cond = c;
    else if (ts_node_is_null(cons))
      cons = c;
    else
      return go_ts_null(); /* an else branch */
  }
  cond = go_ts_unparen(cond);
  if (!go_node_is(cond, GO_NODE_BINARY_EXPRESSION) || !operator_is(a->f, cond, "!=") ||
      !go_node_is(go_ts_unparen(go_node_child(cond, GO_F_RIGHT)), GO_NODE_NIL))
    return go_ts_null();
  TSNode x = go_ts_unparen(go_node_child(cond, GO_F_LEFT));
  if (!ident_named(a, x, a->ename) || !same_var(a, x, &a->eb) || !go_node_is(cons, GO_NODE_BLOCK))
    return go_ts_null();
  TSNode last = go_ts_null();
  nc = go_ts_nnamed(cons);
  for (uint32_t i = 0; i < nc; i++)
    if (!go_node_is(ts_node_named_child(cons, i), GO_NODE_COMMENT))
      last = ts_node_named_child(cons, i);
  return !ts_node_is_null(last) && leaves(a->f, last) ? s : go_ts_null();
}

/* Where a new statement line goes after statement s: the end of s's last line, when only spaces or a
 * line comment follow s there; UINT32_MAX otherwise. */
static uint32_t line_after(const omen_file *f, TSNode s) {
  uint32_t e = ts_node_end_byte(s);
  uint32_t i = e;
  while (i < f->len && (f->text[i] == ' ' || f->text[i] == '\t'))
    i++;
  if (i + 1 < f->len && f->text[i] == '/' && f->text[i + 1] == '/')
    while (i < f->len && f->text[i] != '\n')
      i++;
  if (i < f->len && f->text[i] != '\n')
    return UINT32_MAX;
  if (i > 0 && f->text[i - 1] == '\r')
    return UINT32_MAX;
  return i;
}

/* Inserts `text` as a new statement after s, indented like `like`. */
static bool add_line_after(omen_pass *pass, omen_fix *fx, const omen_file *f, TSNode s, TSNode like,
                           const char *text) {
  uint32_t at = line_after(f, s);
  uint32_t ls = go_fix_line_start(f, ts_node_start_byte(like)), ie = ls;
  if (at == UINT32_MAX || !go_fix_starts_line(f, ts_node_start_byte(like)))
    return false;
  while (ie < f->len && (f->text[ie] == ' ' || f->text[ie] == '\t'))
    ie++;
  const char *ins = omen_arena_printf(omen_pass_arena(pass), "\n%.*s%s", (int)(ie - ls), f->text + ls, text);
  if (!ins)
    return false;
  omen_fix_add_edit(pass, fx, at, at, ins);
  return true;
}

/* The statement whose line the defer follows: the error check, or the assignment itself when there is
 * no error variable. Null when no safe place is known. */
static TSNode defer_anchor(const acq *a) {
  TSNode stmt = a->stmt;
  if (go_node_is(stmt, GO_NODE_VAR_SPEC)) {
    stmt = ts_node_parent(stmt);
    if (!go_node_is(stmt, GO_NODE_VAR_DECLARATION))
      return go_ts_null();
  }
  if (!in_statement_list(stmt) || in_loop(stmt, a->fn))
    return go_ts_null();
  if (a->kind == RES_CANCEL || ts_node_is_null(a->errv) || go_ts_teq(a->f, a->errv, "_"))
    return stmt;
  return error_check_after(a, stmt);
}

static void add_defer_fix(acq *a, omen_diag *d) {
  TSNode anchor = defer_anchor(a);
  if (ts_node_is_null(anchor))
    return;
  omen_pass *pass = a->pass;
  const char *text =
      a->kind == RES_ROWS   ? omen_arena_printf(omen_pass_arena(pass), "defer %s.Close()", a->vname)
      : a->kind == RES_BODY ? omen_arena_printf(omen_pass_arena(pass), "defer %s.Body.Close()", a->vname)
                            : omen_arena_printf(omen_pass_arena(pass), "defer %s()", a->vname);
  if (!text || line_after(a->f, anchor) == UINT32_MAX || !go_fix_starts_line(a->f, ts_node_start_byte(a->stmt)))
    return;
  omen_fix *fx = omen_diag_add_fix(pass, d, a->f, OMEN_FIX_SAFE, "add `%s`%s", text,
                                   ts_node_eq(anchor, a->stmt) ? "" : " after the error check");
  add_line_after(pass, fx, a->f, anchor, a->stmt, text);
}

/* Is any identifier in n named name? */
static bool mentions(const omen_file *f, TSNode n, const char *name) {
  TSTreeCursor c = ts_tree_cursor_new(n);
  bool found = false;
  for (;;) {
    TSNode x = ts_tree_cursor_current_node(&c);
    if ((go_node_is(x, GO_NODE_IDENTIFIER) || go_node_is(x, GO_NODE_FIELD_IDENTIFIER) ||
         go_node_is(x, GO_NODE_TYPE_IDENTIFIER) || go_node_is(x, GO_NODE_LABEL_NAME)) &&
        go_ts_teq(f, x, name)) {
      found = true;
      break;
    }
    if (!go_ts_cursor_next(&c, true))
      break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

/* `ctx, _ := context.WithTimeout(...)` -> `ctx, cancel := ...` and `defer cancel()`. */
static void add_name_cancel_fix(acq *a, omen_diag *d, TSNode blank) {
  if (!go_node_is(a->stmt, GO_NODE_SHORT_VAR_DECLARATION) || !in_statement_list(a->stmt) ||
      in_loop(a->stmt, a->fn))
    return;
  go_binding b;
  if (go_types_lookup(a->ty, a->file, a->stmt, "cancel", &b) != GO_BIND_NONE ||
      mentions(a->f, a->fn, "cancel") || line_after(a->f, a->stmt) == UINT32_MAX ||
      !go_fix_starts_line(a->f, ts_node_start_byte(a->stmt)))
    return; /* (add_line_after would give up after the rename: half a fix) */
  omen_fix *fx =
      omen_diag_add_fix(a->pass, d, a->f, OMEN_FIX_UNSAFE, "name the cancel function and defer it");
  omen_fix_add_edit(a->pass, fx, ts_node_start_byte(blank), ts_node_end_byte(blank), "cancel");
  add_line_after(a->pass, fx, a->f, a->stmt, a->stmt, "defer cancel()");
}

/* `db.Query(q)` as a statement -> `db.Exec(q)`, for database/sql receivers. */
static void add_exec_fix(acq *a, omen_diag *d) {
  TSNode fn = go_ts_unparen(go_node_child(a->call->node, GO_F_FUNCTION));
  if (!go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION))
    return;
  const char *t = go_types_type_of(a->ty, a->file, go_node_child(fn, GO_F_OPERAND));
  bool conn = t && go_types_is_named(t, "database/sql", "Conn", NULL);
  if (!t || !(go_types_is_named(t, "database/sql", "DB", NULL) ||
              go_types_is_named(t, "database/sql", "Tx", NULL) ||
              go_types_is_named(t, "database/sql", "Stmt", NULL) || conn))
    return;
  TSNode fld = go_node_child(fn, GO_F_FIELD);
  bool ctx = go_ts_teq(a->f, fld, "QueryContext");
  if (!ctx && (conn || !go_ts_teq(a->f, fld, "Query")))
    return;
  const char *with = ctx ? "ExecContext" : "Exec";
  omen_fix *fx = omen_diag_add_fix(a->pass, d, a->f, OMEN_FIX_UNSAFE, "use %s, which returns no rows", with);
  omen_fix_add_edit(a->pass, fx, ts_node_start_byte(fld), ts_node_end_byte(fld), with);
}

/* ---------- reporting ---------- */

static const char *consequence(res_kind k) {
  switch (k) {
  case RES_ROWS:
    return "its connection stays checked out of the pool, and once enough leak every query blocks";
  case RES_BODY:
    return "its connection is never reused or released, and the goroutines serving it leak";
  default:
    return "the context and its timer stay alive until the parent is canceled (a context leak)";
  }
}

static const omen_rule *rule_of(res_kind k) {
  return k == RES_ROWS ? &rule_rows : k == RES_BODY ? &rule_body : &rule_cancel;
}

/* "rows (from db.Query on line 12)", "the body of resp (...)", "cancel (...)" */
static const char *subject(acq *a) {
  omen_arena *ar = omen_pass_arena(a->pass);
  uint32_t line = omen_file_pos(a->f, ts_node_start_byte(a->call->node)).line;
  return omen_arena_printf(ar, "%s%s (from %s on line %u)", a->kind == RES_BODY ? "the body of " : "",
                           a->vname, callee_label(a->call), line);
}

static const char *verb(res_kind k) { return k == RES_CANCEL ? "called" : "closed"; }

/* Findings in test files get low confidence: a test's leak ends with the test binary, and tests
 * often drop responses of requests they expect to fail. */
static omen_diag *in_tests(const acq *a, omen_diag *d) {
  if (d && a->f->is_test)
    d->confidence = OMEN_CONF_LOW;
  return d;
}

static void report_exits(acq *a, const go_cfg_exit *ex, size_t n) {
  const go_cfg_exit *w = &ex[0];
  uint32_t s, e;
  const char *where;
  if (w->kind == GO_CFG_EXIT_END) {
    e = ts_node_end_byte(w->node);
    s = e ? e - 1 : e;
    where = "the function ends here";
  } else {
    s = ts_node_start_byte(w->node);
    e = ts_node_end_byte(w->node);
    where = "the function returns here";
  }
  const char *subj = subject(a);
  omen_diag *d =
      in_tests(a, omen_pass_report(a->pass, rule_of(a->kind), a->f, s, e, "%s is not %s when %s: %s", subj,
                                   verb(a->kind), where, consequence(a->kind)));
  omen_diag_add_related(a->pass, d, a->f, ts_node_start_byte(a->call->node), ts_node_end_byte(a->call->node),
                        "%s is acquired here", a->vname);
  for (size_t i = 1; i < n && i < MAX_EXITS; i++) {
    TSNode x = ex[i].node;
    uint32_t xs = ex[i].kind == GO_CFG_EXIT_END ? ts_node_end_byte(x) - 1 : ts_node_start_byte(x);
    uint32_t xe = ex[i].kind == GO_CFG_EXIT_END ? ts_node_end_byte(x) : ts_node_end_byte(x);
    omen_diag_add_related(a->pass, d, a->f, xs, xe, "also not %s on this path", verb(a->kind));
  }
  add_defer_fix(a, d);
}

static void report_overwrite(acq *a) {
  omen_diag *d =
      in_tests(a, omen_pass_report(a->pass, rule_of(a->kind), a->f, ts_node_start_byte(a->call->node),
                                   ts_node_end_byte(a->call->node),
                                   "%s is not %s before the loop comes back here and replaces it: %s",
                                   subject(a), verb(a->kind), consequence(a->kind)));
  TSNode loop = ts_node_parent(a->stmt);
  while (!ts_node_is_null(loop) && !go_node_is(loop, GO_NODE_FOR_STATEMENT))
    loop = ts_node_parent(loop);
  if (!ts_node_is_null(loop))
    omen_diag_add_related(a->pass, d, a->f, ts_node_start_byte(loop), ts_node_start_byte(loop) + 3,
                          "the loop that repeats it");
}

static void report_discarded(acq *a, TSNode at, bool whole) {
  omen_pass *pass = a->pass;
  const char *callee = callee_label(a->call);
  omen_diag *d = NULL;
  uint32_t s = ts_node_start_byte(a->call->node), e = ts_node_end_byte(a->call->node);
  switch (a->kind) {
  case RES_ROWS:
    d = omen_pass_report(pass, &rule_rows, a->f, s, e,
                         "the *sql.Rows from %s is discarded, so it is never closed: %s (use Exec for "
                         "statements that return no rows)",
                         callee, consequence(RES_ROWS));
    if (whole)
      add_exec_fix(a, d);
    break;
  case RES_BODY:
    d = omen_pass_report(pass, &rule_body, a->f, s, e,
                         "the *http.Response from %s is discarded, so its body is never closed: %s", callee,
                         consequence(RES_BODY));
    break;
  case RES_CANCEL:
    d = omen_pass_report(pass, &rule_cancel, a->f, s, e, "the cancel function from %s is discarded: %s",
                         callee, consequence(RES_CANCEL));
    if (!whole)
      add_name_cancel_fix(a, d, at);
    break;
  }
  in_tests(a, d);
}

/* ---------- HEAD requests ---------- */

/* Is expr the method HEAD: "HEAD" or http.MethodHead? */
static bool is_head_method(const acq *a, TSNode expr) {
  expr = go_ts_unparen(expr);
  if (go_node_is(expr, GO_NODE_INTERPRETED_STRING_LITERAL) || go_node_is(expr, GO_NODE_RAW_STRING_LITERAL))
    return go_ts_teq(a->f, expr, "\"HEAD\"") || go_ts_teq(a->f, expr, "`HEAD`");
  const char *path, *name;
  return go_types_qualified(a->ty, a->file, expr, &path, &name) && strcmp(path, "net/http") == 0 &&
         strcmp(name, "MethodHead") == 0;
}

/* Does the statement assign the request variable req (binding rb)? Sets *head when it does so with
 * http.NewRequest("HEAD", ...) or NewRequestWithContext(ctx, "HEAD", ...). */
static bool assigns_request(const acq *a, TSNode st, const char *req, const go_binding *rb, bool *head) {
  if (!go_node_is(st, GO_NODE_SHORT_VAR_DECLARATION) && !go_node_is(st, GO_NODE_ASSIGNMENT_STATEMENT))
    return false;
  TSNode left = go_node_child(st, GO_F_LEFT), right = go_node_child(st, GO_F_RIGHT);
  uint32_t n = go_ts_nnamed(left);
  bool hit = false;
  for (uint32_t i = 0; i < n && !hit; i++) {
    TSNode id = ts_node_named_child(left, i);
    hit = i == 0 && ident_named(a, id, req) && same_var(a, id, rb);
  }
  if (!hit)
    return false;
  *head = false;
  TSNode call = go_ts_nnamed(right) == 1 ? go_ts_unparen(ts_node_named_child(right, 0)) : right;
  const char *path, *name;
  if (!go_node_is(call, GO_NODE_CALL_EXPRESSION) ||
      !go_types_qualified(a->ty, a->file, go_node_child(call, GO_F_FUNCTION), &path, &name) ||
      strcmp(path, "net/http") != 0)
    return true;
  uint32_t idx = strcmp(name, "NewRequest") == 0 ? 0 : strcmp(name, "NewRequestWithContext") == 0 ? 1 : 99;
  TSNode args = go_node_child(call, GO_F_ARGUMENTS);
  if (idx < go_ts_nnamed(args))
    *head = is_head_method(a, ts_node_named_child(args, idx));
  return true;
}

/* Is the request of `client.Do(req)` a HEAD request, by the last assignment of req before the call
 * in this function? A HEAD response has no body to close. */
static bool head_request(const acq *a) {
  TSNode args = go_node_child(a->call->node, GO_F_ARGUMENTS);
  if (!go_ts_teq(a->f, go_node_child(go_ts_unparen(a->call->sub), GO_F_FIELD), "Do") ||
      go_ts_nnamed(args) != 1)
    return false;
  TSNode req = go_ts_unparen(ts_node_named_child(args, 0));
  go_binding rb;
  if (!go_node_is(req, GO_NODE_IDENTIFIER) ||
      go_types_lookup_ident(a->ty, a->file, req, &rb) != GO_BIND_LOCAL)
    return false;
  const char *name = omen_pass_node_text(a->pass, a->f, req);
  TSNode body = go_node_child(a->fn, GO_F_BODY);
  uint32_t before = ts_node_start_byte(a->call->node);
  bool head = false;
  TSTreeCursor c = ts_tree_cursor_new(body);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    bool h;
    if (ts_node_end_byte(n) <= before && assigns_request(a, n, name, &rb, &h))
      head = h; /* statements come in source order: the last one wins */
    if (!go_ts_cursor_next(&c, ts_node_start_byte(n) < before))
      break;
  }
  ts_tree_cursor_delete(&c);
  return head;
}

/* ---------- the analysis of one acquisition ---------- */

static void check(acq *a, go_cfg *cfgs, const go_inspect *ins) {
  const go_site *fsite = go_inspect_func_of(ins, a->call);
  if (!fsite)
    return;
  a->fn = fsite->node;
  TSNode stmt, lhs[8];
  uint32_t nlhs = 0;
  size_t nres = 0;
  go_types_call_results(a->ty, a->file, a->call->node, &nres);
  uint32_t index = a->kind == RES_CANCEL ? 1 : 0;
  switch (call_use(a->f, a->call->node, &stmt, lhs, 8, &nlhs)) {
  case CALL_HANDED:
    return;
  case CALL_DISCARDED:
    report_discarded(a, go_ts_null(), true);
    return;
  case CALL_ASSIGNED:
    break;
  }
  if (nlhs != nres || nres < 2 || nres > 8)
    return;
  a->stmt = stmt;
  a->var = lhs[index];
  if (go_ts_teq(a->f, a->var, "_")) {
    /* tests write `_, err := db.Query(bad)` to check that a request fails: no rows to close */
    TSNode err = lhs[nres - 1];
    if (!(a->f->is_test && a->kind != RES_CANCEL && !go_ts_teq(a->f, err, "_")))
      report_discarded(a, a->var, false);
    return;
  }
  if (!go_node_is(a->var, GO_NODE_IDENTIFIER))
    return; /* stored in a field, an element, through a pointer */
  a->vname = omen_pass_node_text(a->pass, a->f, a->var);
  TSNode body = go_node_child(a->fn, GO_F_BODY);
  if (go_types_lookup_ident(a->ty, a->file, a->var, &a->vb) != GO_BIND_LOCAL || ts_node_is_null(body) ||
      !contains(body, a->vb.decl))
    return; /* a parameter, a named result, a variable of an enclosing function or the package */
  if (a->kind != RES_CANCEL) {
    a->errv = lhs[nres - 1];
    if (go_node_is(a->errv, GO_NODE_IDENTIFIER) && !go_ts_teq(a->f, a->errv, "_")) {
      a->ename = omen_pass_node_text(a->pass, a->f, a->errv);
      go_types_lookup_ident(a->ty, a->file, a->errv, &a->eb);
    }
  }
  if (a->kind == RES_BODY && head_request(a))
    return;
  const go_cfg_fn *cfg = go_cfg_of(cfgs, fsite);
  go_cfg_pos at;
  if (!cfg || cfg->incomplete || !go_cfg_find(cfg, a->call->node, &at))
    return;
  collect_uses(a, cfg);
  if (a->covers.overflow)
    return;
  go_cfg_query q = {.node = node_cb, .edge = edge_cb, .ctx = a};
  go_cfg_exit ex[MAX_EXITS];
  size_t n = go_cfg_exits(cfg, at, &q, ex, MAX_EXITS);
  if (n > 0) {
    report_exits(a, ex, n);
    return;
  }
  /* around a loop and back to the acquisition with the old value still open */
  if (in_loop(a->stmt, a->fn) && go_cfg_reaches(cfg, at, at, &q))
    report_overwrite(a);
}

/* ---------- which calls make responses ---------- */

static bool type_is(const char *t, const char *want) { return t && strcmp(t, want) == 0; }

/* Parameter types of the *http.Client method name, for interfaces that mirror it. */
static bool client_params(const go_sig *sig, const char *name) {
  static const char *const params[][4] = {
      {"Do", "*net/http.Request", NULL, NULL},
      {"Get", "string", NULL, NULL},
      {"Post", "string", "string", "io.Reader"},
      {"PostForm", "string", "net/url.Values", NULL},
  };
  for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
    if (strcmp(params[i][0], name) != 0)
      continue;
    size_t n = 0;
    while (n < 3 && params[i][n + 1])
      n++;
    if (!sig || sig->nparams != n || sig->variadic)
      return false;
    for (size_t k = 0; k < n; k++)
      if (!type_is(sig->params[k].type, params[i][k + 1]))
        return false;
    return true;
  }
  return false;
}

/* Is the call a request of the standard client: an http package function, a method of http.Client
 * (also promoted through an embedded client), or a method of an interface of the package that
 * mirrors http.Client's? A concrete method the package declares itself is a wrapper that may well
 * read and close the body (sling's Do, say), so it is left alone. */
static bool client_request(const go_types *ty, const go_site *s) {
  TSNode fn = go_ts_unparen(s->sub);
  const char *path;
  if (go_types_qualified(ty, s->file, fn, &path, NULL))
    return strcmp(path, "net/http") == 0;
  if (!go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION))
    return false;
  const char *t = go_types_type_of(ty, s->file, go_node_child(fn, GO_F_OPERAND));
  if (!t)
    return false;
  if (go_types_is_named(t, "net/http", "Client", NULL))
    return true;
  const char *base = go_types_deref(t);
  if (strchr(base, '.') || strchr(base, '[') || strchr(base, ' '))
    return false; /* another package's type, or a composite */
  const go_method *m = go_types_method(ty, base, s->name);
  if (!m)
    return true; /* promoted from an embedded field */
  return m->iface && client_params(&m->sig, s->name);
}

/* ---------- the analyzer ---------- */

static void scan(omen_pass *pass, const go_inspect *ins, const go_types *ty, go_cfg *cfgs, res_kind kind,
                 const char *const *names) {
  for (size_t v = 0; names[v]; v++) {
    const go_site *const *calls;
    size_t n = go_inspect_calls_named(ins, names[v], &calls);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = calls[i];
      size_t nres = 0;
      const char *const *res = NULL;
      if (kind == RES_CANCEL) {
        const char *path;
        if (!go_types_qualified(ty, s->file, s->sub, &path, NULL) || strcmp(path, "context") != 0)
          continue;
        res = go_types_call_results(ty, s->file, s->node, &nres);
        if (nres != 2 || !type_is(res[1], "context.CancelFunc"))
          continue;
      } else {
        /* exactly (resource, error): wrappers that return more (the body already read, say) own it */
        res = go_types_call_results(ty, s->file, s->node, &nres);
        if (nres != 2 || !type_is(res[1], "error") ||
            !type_is(res[0], kind == RES_ROWS ? "*database/sql.Rows" : "*net/http.Response") ||
            (kind == RES_BODY && !client_request(ty, s)))
          continue;
      }
      if (ts_node_is_null(s->func))
        continue;
      acq a;
      memset(&a, 0, sizeof a);
      a.pass = pass;
      a.ins = ins;
      a.ty = ty;
      a.kind = kind;
      a.call = s;
      a.file = s->file;
      a.f = go_inspect_file(ins, s)->file;
      check(&a, cfgs, ins);
    }
  }
}

static bool imports_any(const go_types *ty, size_t nfiles, const char *path) {
  for (uint32_t i = 0; i < nfiles; i++) {
    size_t n;
    const go_import *imps = go_types_imports(ty, i, &n);
    for (size_t k = 0; k < n; k++)
      if (strcmp(imps[k].path, path) == 0)
        return true;
  }
  return false;
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const go_inspect *ins = omen_pass_result(pass, &omen_go_inspect);
  const go_types *ty = omen_pass_result(pass, &omen_go_types);
  go_cfg *cfgs = omen_pass_result(pass, &omen_go_cfg);
  if (!ins || !ty || !cfgs)
    return OMEN_OK;
  static const char *const rows[] = {"Query", "QueryContext", NULL};
  /* not Head: a HEAD response has no body, and the transport frees its connection at once */
  static const char *const bodies[] = {"Get", "Post", "PostForm", "Do", NULL};
  static const char *const cancels[] = {"WithCancel", "WithTimeout", "WithDeadline", NULL};
  /* the types come from these imports (directly, or through a package type's signature) */
  if (imports_any(ty, ins->nfiles, "database/sql"))
    scan(pass, ins, ty, cfgs, RES_ROWS, rows);
  if (imports_any(ty, ins->nfiles, "net/http"))
    scan(pass, ins, ty, cfgs, RES_BODY, bodies);
  if (imports_any(ty, ins->nfiles, "context"))
    scan(pass, ins, ty, cfgs, RES_CANCEL, cancels);
  return OMEN_OK;
}

const omen_analyzer omen_go_resource_leak = {
    .name = "go-resource-leak",
    .title = "Resources not released on every path: sql rows, HTTP bodies, context cancel functions",
    .doc = "Follows `*sql.Rows` from queries, `*http.Response` bodies from requests and the cancel "
           "functions of `context.WithCancel`/`WithTimeout`/`WithDeadline` through each function's "
           "control flow (go-cfg) and reports returns reached without Close or cancel, loops that "
           "replace an open resource, and discarded results. Quiet when the resource is returned, "
           "stored, handed to another function, or released in a defer or closure. Offers safe fixes "
           "that insert the deferred Close or cancel after the error check.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, &omen_go_cfg, NULL},
    .rules = (const omen_rule *const[]){&rule_rows, &rule_body, &rule_cancel, NULL},
    .run = run,
};
