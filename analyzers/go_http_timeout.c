/* go_http_timeout.c - missing-timeout/http-no-timeout: HTTP requests through http.DefaultClient or an
 * http.Client literal without Timeout, which block forever on a server that stops responding. */
#include <stdio.h>
#include <string.h>

#include "analyzers.h"
#include "go_fix.h"
#include "go_inspect.h"
#include "go_types.h"
#include "pass.h"

static const omen_rule rule_http_no_timeout = {
    .id = "missing-timeout/http-no-timeout",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "HTTP request through a client with no timeout",
    .what = "Reports calls of `http.Get`, `http.Head`, `http.Post` and `http.PostForm` and any use of "
            "`http.DefaultClient` (all of them use the default client, which has no timeout), and "
            "`http.Client{...}` literals that do not set `Timeout`. Import aliases of `net/http` are "
            "recognized (dot imports too, except for a bare `DefaultClient`). Not reported: a literal whose "
            "`Transport` is a RoundTripper from elsewhere (a parameter, a field, a call: it may enforce "
            "its own deadlines), as opposed to `http.DefaultTransport`, an `http.Transport` literal or "
            "`new(http.Transport)`; literals and stored uses of `http.DefaultClient` in a package that "
            "attaches contexts to its requests (`http.NewRequestWithContext`, `req.WithContext`, "
            "`ctxhttp`), where cancellation is per request (`http.DefaultClient.Get(url)` and the other "
            "context-less convenience calls are still reported); `http.DefaultClient` passed to a call "
            "together with a `context.Context` (the callee can bound the request with it); test files, test-helper "
            "packages (a name that starts or ends with `test`, such as httptest, or contains `testutil`) "
            "and files that import `net/http/httptest`, other packages named `http`, and a client whose "
            "`Timeout` is assigned after the literal in the same function are not reported. A package "
            "that assigns `http.DefaultClient.Timeout` is not reported for its uses of the default client.",
    .why = "An `http.Client` with a zero `Timeout` waits forever: a server that accepts the connection "
           "and then stops responding (or a network path that silently drops packets) blocks the "
           "request, and the goroutine that made it, for good. Under load these goroutines pile up "
           "with their connections and buffers until the process runs out of memory or file "
           "descriptors. Timeouts on the `Transport` (dial, TLS handshake, response header) do not "
           "bound reading the body; only `Client.Timeout` or a context deadline bounds the whole "
           "exchange.",
    .example = "resp, err := http.Get(url)\n"
               "\n"
               "client := &http.Client{Transport: tr}\n"
               "resp, err = client.Do(req)",
    .instead = "client := &http.Client{Timeout: 30 * time.Second}\n"
               "resp, err := client.Get(url)\n"
               "\n"
               "// or bound one request with a context deadline:\n"
               "ctx, cancel := context.WithTimeout(ctx, 30*time.Second)\n"
               "defer cancel()\n"
               "req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)",
    .fix = "For `http.Client` literals only: inserts `Timeout: 30 * time.Second` into the literal and "
           "imports `time` if needed (using its existing name when it is imported under an alias). "
           "Unsafe: 30 seconds may be too short for large downloads or too long for latency-critical "
           "paths, so review the value. No fix when the name `time` is taken by something else, when "
           "the literal or the import block has comments in the way, or for `http.Get` and "
           "`http.DefaultClient` (choose a client and a timeout yourself). The value is the rule's `timeout` "
           "option.",
    .lang = "go",
    .options = (const omen_rule_option[]){{"timeout", OMEN_OPT_DURATION, "30s", "the Timeout the fix inserts"},
                                          {NULL, 0, NULL, NULL}},
};

/* ---------- detection ---------- */

/* Is sel (a DefaultClient selector site) the operand of `http.DefaultClient.Timeout = ...`? */
static bool sets_default_timeout(const omen_file *f, const go_site *sel) {
  TSNode p = sel->parent;
  if (!go_node_is(p, GO_NODE_SELECTOR_EXPRESSION) ||
      !omen_node_text_eq(f, go_node_child(p, GO_F_FIELD), "Timeout"))
    return false;
  TSNode list = ts_node_parent(p);
  TSNode asg = ts_node_parent(list);
  return go_node_is(list, GO_NODE_EXPRESSION_LIST) && go_node_is(asg, GO_NODE_ASSIGNMENT_STATEMENT) &&
         ts_node_eq(go_node_child(asg, GO_F_LEFT), list);
}

static bool is_default_client(const go_types *ty, const go_site *s) {
  const char *path, *name;
  return go_types_qualified(ty, s->file, s->node, &path, &name) && strcmp(path, "net/http") == 0 &&
         strcmp(name, "DefaultClient") == 0;
}

/* Does some non-test file of the package set http.DefaultClient.Timeout? */
static bool package_sets_default_timeout(const go_inspect *ins, const go_types *ty) {
  const go_site *const *v;
  size_t n = go_inspect_lookup_name(ins, GO_SITE_SELECTOR, "DefaultClient", &v);
  for (size_t i = 0; i < n; i++)
    if (!go_inspect_is_test(ins, v[i]) && sets_default_timeout(go_inspect_file(ins, v[i])->file, v[i]) &&
        is_default_client(ty, v[i]))
      return true;
  return false;
}

/* The value of field `key` in literal body `body` (a literal_value), or null. */
static TSNode keyed_value(const omen_file *f, TSNode body, const char *key) {
  uint32_t n = go_ts_nnamed(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode e = go_ts_nth(body, i);
    if (!go_node_is(e, GO_NODE_KEYED_ELEMENT))
      continue;
    TSNode k = go_node_child(e, GO_F_KEY);
    if (go_node_is(k, GO_NODE_LITERAL_ELEMENT) && go_ts_nnamed(k) == 1)
      k = go_ts_nth(k, 0);
    if (go_ts_teq(f, k, key)) {
      TSNode v = go_node_child(e, GO_F_VALUE);
      if (go_node_is(v, GO_NODE_LITERAL_ELEMENT) && go_ts_nnamed(v) == 1)
        v = go_ts_nth(v, 0);
      return go_ts_unparen(v);
    }
  }
  return go_ts_null();
}

/* Is expression e (a Transport value) known to be an http.Transport with default (no) response
 * timeouts: http.DefaultTransport, `&http.Transport{...}` or `new(http.Transport)`, or a local bound to
 * one of those? A RoundTripper from elsewhere (a parameter, a field, a call) may enforce its own
 * deadlines (connection read deadlines, per-request contexts), so it is not known. */
static bool default_transport(const go_types *ty, uint32_t file, const omen_file *f, TSNode e, int depth) {
  e = go_ts_unparen(e);
  if (go_node_is(e, GO_NODE_UNARY_EXPRESSION))
    e = go_ts_unparen(go_node_child(e, GO_F_OPERAND));
  const char *path, *name;
  if (go_types_qualified(ty, file, e, &path, &name))
    return strcmp(path, "net/http") == 0 && strcmp(name, "DefaultTransport") == 0;
  if (go_node_is(e, GO_NODE_COMPOSITE_LITERAL)) {
    const char *ct = go_types_canonical(ty, file, go_node_child(e, GO_F_TYPE));
    return ct && strcmp(ct, "net/http.Transport") == 0;
  }
  if (go_node_is(e, GO_NODE_CALL_EXPRESSION) && go_ts_teq(f, go_node_child(e, GO_F_FUNCTION), "new")) {
    TSNode args = go_node_child(e, GO_F_ARGUMENTS);
    const char *ct = go_ts_nnamed(args) == 1 ? go_types_canonical(ty, file, go_ts_nth(args, 0)) : NULL;
    return ct && strcmp(ct, "net/http.Transport") == 0;
  }
  go_binding b;
  if (depth < 4 && go_node_is(e, GO_NODE_IDENTIFIER) && go_types_lookup_ident(ty, file, e, &b) == GO_BIND_LOCAL &&
      go_node_is(b.decl, GO_NODE_SHORT_VAR_DECLARATION)) {
    TSNode left = go_node_child(b.decl, GO_F_LEFT), right = go_node_child(b.decl, GO_F_RIGHT);
    if (go_ts_nnamed(left) == 1 && go_ts_nnamed(right) == 1)
      return default_transport(ty, file, f, go_ts_nth(right, 0), depth + 1);
  }
  return false;
}

/* Does the package's non-test code attach contexts to its requests (http.NewRequestWithContext,
 * req.WithContext, golang.org/x/net/context/ctxhttp)? Then a client it builds or defaults to is used
 * with per-request cancellation, and the client's missing Timeout is the caller's choice. */
static bool package_uses_request_contexts(const go_inspect *ins, const go_types *ty) {
  static const char *const names[] = {"NewRequestWithContext", "WithContext", "Do", "Get", "Post", NULL};
  for (size_t k = 0; names[k]; k++) {
    const go_site *const *v;
    size_t n = go_inspect_calls_named(ins, names[k], &v);
    for (size_t i = 0; i < n; i++) {
      if (go_inspect_is_test(ins, v[i]))
        continue;
      const char *path, *name;
      bool q = go_types_qualified(ty, v[i]->file, v[i]->sub, &path, &name);
      if (q && (strcmp(path, "golang.org/x/net/context/ctxhttp") == 0 ||
                (k == 0 && strcmp(path, "net/http") == 0)))
        return true;
      if (k == 1 && !q && go_node_is(v[i]->sub, GO_NODE_SELECTOR_EXPRESSION)) {
        const char *rt = go_types_type_of(ty, v[i]->file, go_node_child(v[i]->sub, GO_F_OPERAND));
        if (rt && strcmp(rt, "*net/http.Request") == 0)
          return true;
      }
    }
  }
  return false;
}

/* Is the DefaultClient selector s the receiver of a convenience method that takes no context
 * (`http.DefaultClient.Get(url)`, Head, Post, PostForm)? */
static bool contextless_method(const omen_file *f, const go_site *s) {
  TSNode p = s->parent;
  if (!go_node_is(p, GO_NODE_SELECTOR_EXPRESSION) || !go_node_is(go_ts_parent(p), GO_NODE_CALL_EXPRESSION))
    return false;
  TSNode m = go_node_child(p, GO_F_FIELD);
  return go_ts_teq(f, m, "Get") || go_ts_teq(f, m, "Head") || go_ts_teq(f, m, "Post") ||
         go_ts_teq(f, m, "PostForm");
}

/* Is the DefaultClient selector s an argument of a call that also receives a context.Context
 * (`authutil.FetchToken(ctx, http.DefaultClient, ...)`)? The callee can bound the request with it. */
static bool passed_with_context(const go_types *ty, const go_site *s) {
  if (!go_ts_type_is(s->parent, "argument_list"))
    return false;
  uint32_t n = go_ts_nnamed(s->parent);
  for (uint32_t i = 0; i < n; i++) {
    TSNode a = go_ts_nth(s->parent, i);
    const char *t = ts_node_eq(a, s->node) ? NULL : go_types_type_of(ty, s->file, a);
    if (t && strcmp(t, "context.Context") == 0)
      return true;
  }
  return false;
}

/* ---------- the fix ---------- */

static void add_literal_fix(omen_pass *pass, const go_types *ty, const go_site *lit, const omen_file *f,
                            omen_diag *d) {
  bool need_import;
  const char *tname = go_fix_time_name(ty, lit->file, lit->node, &need_import);
  if (!tname)
    return;
  go_fix_edits e = {0};
  long long ns = 30000000000LL;
  omen_pass_duration_option(pass, &rule_http_no_timeout, "timeout", &ns);
  const char *value = go_fix_duration(omen_pass_arena(pass), ns, tname, true);
  if (!value || !go_fix_literal_edits(pass, f, go_node_child(lit->node, GO_F_BODY), "Timeout", value, &e))
    return;
  if (need_import && !go_fix_import_edits(pass, ty, lit->file, f, "time", true, &e))
    return;
  go_fix_emit(pass, d, f, OMEN_FIX_UNSAFE, &e,
              omen_arena_printf(omen_pass_arena(pass), "add Timeout: %s", value));
}

/* ---------- the analyzer ---------- */

static bool imports_net_http(const go_types *ty, size_t nfiles) {
  for (uint32_t i = 0; i < nfiles; i++) {
    size_t n;
    const go_import *imps = go_types_imports(ty, i, &n);
    for (size_t k = 0; k < n; k++)
      if (strcmp(imps[k].path, "net/http") == 0 && imps[k].kind != GO_IMPORT_BLANK)
        return true;
  }
  return false;
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const go_inspect *ins = omen_pass_result(pass, &omen_go_inspect);
  const go_types *ty = omen_pass_result(pass, &omen_go_types);
  if (!ins || !ty || !imports_net_http(ty, ins->nfiles))
    return OMEN_OK;
  bool default_ok = package_sets_default_timeout(ins, ty);
  bool with_contexts = package_uses_request_contexts(ins, ty);

  /* http.Get and friends use the default client */
  static const char *const verbs[] = {"Get", "Head", "Post", "PostForm", NULL};
  for (size_t v = 0; verbs[v] && !default_ok; v++) {
    const go_site *const *calls;
    size_t n = go_inspect_calls_named(ins, verbs[v], &calls);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = calls[i];
      const char *path, *name;
      if (go_fix_in_test_code(pass, ins, ty, s) || !go_types_qualified(ty, s->file, s->sub, &path, &name) ||
          strcmp(path, "net/http") != 0)
        continue;
      const omen_file *f = go_inspect_file(ins, s)->file;
      omen_pass_report(
          pass, &rule_http_no_timeout, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
          "%s uses http.DefaultClient, which has no timeout: a server that stops responding blocks "
          "this call and its goroutine forever",
          omen_pass_node_text(pass, f, s->sub));
    }
  }

  /* http.DefaultClient itself */
  const go_site *const *sels;
  size_t nsel = default_ok ? 0 : go_inspect_lookup_name(ins, GO_SITE_SELECTOR, "DefaultClient", &sels);
  for (size_t i = 0; i < nsel; i++) {
    const go_site *s = sels[i];
    const omen_file *f = go_inspect_file(ins, s)->file;
    if (go_fix_in_test_code(pass, ins, ty, s) || !is_default_client(ty, s) ||
        (with_contexts && !contextless_method(f, s)) || passed_with_context(ty, s))
      continue;
    omen_pass_report(
        pass, &rule_http_no_timeout, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
        "%s has no timeout: a server that stops responding blocks requests through it, and their "
        "goroutines, forever",
        omen_pass_node_text(pass, f, s->node));
  }

  /* http.Client{...} without Timeout */
  static const char *const timeout[] = {"Timeout", NULL};
  const go_site *const *lits;
  size_t nlit = go_inspect_lookup_name(ins, GO_SITE_COMPOSITE, "Client", &lits);
  for (size_t i = 0; i < nlit; i++) {
    const go_site *s = lits[i];
    if (go_fix_in_test_code(pass, ins, ty, s))
      continue;
    const char *ct = go_types_canonical(ty, s->file, s->sub);
    if (!ct || strcmp(ct, "net/http.Client") != 0)
      continue;
    const omen_file *f = go_inspect_file(ins, s)->file;
    TSNode body = go_node_child(s->node, GO_F_BODY);
    if (ts_node_is_null(body) || go_fix_literal_sets(f, body, timeout) ||
        go_fix_field_assigned_later(pass, ins, s, timeout) || with_contexts)
      continue;
    TSNode tr = keyed_value(f, body, "Transport");
    if (!ts_node_is_null(tr) && !default_transport(ty, s->file, f, tr, 0))
      continue;
    TSNode at = s->addr ? s->parent : s->node;
    omen_diag *d =
        omen_pass_report(pass, &rule_http_no_timeout, f, ts_node_start_byte(at), ts_node_end_byte(at),
                         "%s literal has no Timeout: a server that stops responding blocks requests "
                         "through this client, and their goroutines, forever",
                         omen_pass_node_text(pass, f, s->sub));
    if (d)
      add_literal_fix(pass, ty, s, f, d);
  }
  return OMEN_OK;
}

const omen_analyzer omen_go_http_timeout = {
    .name = "go-http-timeout",
    .title = "HTTP requests through a client with no timeout",
    .doc = "Reports `http.Get`/`Head`/`Post`/`PostForm` calls and uses of `http.DefaultClient` (the default "
           "client has no timeout) and `http.Client` literals without `Timeout`, in non-test Go files. "
           "Offers an unsafe fix for literals: `Timeout: 30 * time.Second`, importing `time` if needed.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, NULL},
    .rules = (const omen_rule *const[]){&rule_http_no_timeout, NULL},
    .run = run,
};
