/* go_http_timeout.c - missing-timeout/http-no-timeout: HTTP requests through http.DefaultClient or an
 * http.Client literal without Timeout, which block forever on a server that stops responding. */
#include <stdio.h>
#include <string.h>

#include "analyzers.h"
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
            "recognized (dot imports too, except for a bare `DefaultClient`); test files, other packages "
            "named `http`, and a client whose "
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
           "`http.DefaultClient` (choose a client and a timeout yourself).",
    .lang = "go",
};

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

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

/* The variable a literal is assigned to (`x := &http.Client{}`, `var x = ...`, `x = ...`). */
static TSNode assigned_name(TSNode value) {
  TSNode list = ts_node_parent(value);
  TSNode stmt = ts_node_parent(list);
  if (!go_node_is(list, GO_NODE_EXPRESSION_LIST) || ts_node_is_null(stmt))
    return null_node();
  bool svd = go_node_is(stmt, GO_NODE_SHORT_VAR_DECLARATION),
       asg = go_node_is(stmt, GO_NODE_ASSIGNMENT_STATEMENT), spec = go_node_is(stmt, GO_NODE_VAR_SPEC);
  if (!(svd || asg || spec) || !ts_node_eq(go_node_child(stmt, spec ? GO_F_VALUE : GO_F_RIGHT), list))
    return null_node();
  uint32_t idx = 0, n = ts_node_named_child_count(list);
  while (idx < n && !ts_node_eq(ts_node_named_child(list, idx), value))
    idx++;
  if (idx == n)
    return null_node();
  if (spec) {
    uint32_t k = 0, nc = ts_node_named_child_count(stmt);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode ch = ts_node_named_child(stmt, i);
      if (!go_node_is(ch, GO_NODE_IDENTIFIER))
        continue;
      if (k++ == idx)
        return ch;
    }
    return null_node();
  }
  TSNode left = go_node_child(stmt, GO_F_LEFT);
  if (ts_node_named_child_count(left) != n)
    return null_node();
  TSNode id = ts_node_named_child(left, idx);
  return go_node_is(id, GO_NODE_IDENTIFIER) ? id : null_node();
}

/* Is `x.Timeout = ...` assigned somewhere in the literal's function (the package, at top level)? */
static bool timeout_assigned_later(omen_pass *pass, const go_inspect *ins, const go_site *lit) {
  const omen_file *f = go_inspect_file(ins, lit)->file;
  TSNode value = lit->addr ? lit->parent : lit->node;
  TSNode id = assigned_name(value);
  if (ts_node_is_null(id))
    return false;
  const char *name = omen_pass_node_text(pass, f, id);
  char key[256];
  if (snprintf(key, sizeof key, "%s.Timeout", name) >= (int)sizeof key)
    return false;
  const go_site *const *v;
  size_t n = go_inspect_lookup(ins, GO_SITE_SELECTOR, key, &v);
  for (size_t i = 0; i < n; i++) {
    const go_site *s = v[i];
    bool same_scope = ts_node_is_null(lit->func) || (s->file == lit->file && ts_node_eq(s->func, lit->func));
    if (!same_scope || (s->file == lit->file && ts_node_start_byte(s->node) < ts_node_start_byte(lit->node)))
      continue;
    TSNode list = s->parent;
    TSNode asg = ts_node_parent(list);
    if (go_node_is(list, GO_NODE_EXPRESSION_LIST) && go_node_is(asg, GO_NODE_ASSIGNMENT_STATEMENT) &&
        ts_node_eq(go_node_child(asg, GO_F_LEFT), list))
      return true;
  }
  return false;
}

/* Does the literal's body set Timeout, or list all fields positionally? */
static bool literal_has_timeout(const omen_file *f, TSNode body) {
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode e = ts_node_named_child(body, i);
    if (go_node_is(e, GO_NODE_LITERAL_ELEMENT))
      return true; /* positional: every field is given */
    if (go_node_is(e, GO_NODE_KEYED_ELEMENT)) {
      TSNode k = go_node_child(e, GO_F_KEY);
      if (go_node_is(k, GO_NODE_LITERAL_ELEMENT) && ts_node_named_child_count(k) == 1)
        k = ts_node_named_child(k, 0);
      if (omen_node_text_eq(f, k, "Timeout"))
        return true;
    }
  }
  return false;
}

/* ---------- the fix ---------- */

typedef struct edits {
  struct {
    uint32_t start, end;
    const char *text;
  } v[64];
  size_t n;
} edits;

static bool add(edits *e, uint32_t start, uint32_t end, const char *text) {
  if (!text || e->n == sizeof e->v / sizeof e->v[0])
    return false;
  e->v[e->n].start = start;
  e->v[e->n].end = end;
  e->v[e->n].text = text;
  e->n++;
  return true;
}

static uint32_t line_start(const omen_file *f, uint32_t off) {
  while (off > 0 && f->text[off - 1] != '\n')
    off--;
  return off;
}

static uint32_t line_no(const omen_file *f, uint32_t off) { return omen_file_pos(f, off).line; }

/* Is only whitespace between the start of off's line and off? */
static bool starts_line(const omen_file *f, uint32_t off) {
  for (uint32_t i = line_start(f, off); i < off; i++)
    if (f->text[i] != ' ' && f->text[i] != '\t')
      return false;
  return true;
}

static const char *indent_of(omen_pass *pass, const omen_file *f, uint32_t off) {
  uint32_t s = line_start(f, off), e = s;
  while (e < f->len && (f->text[e] == ' ' || f->text[e] == '\t'))
    e++;
  return omen_arena_strndup(omen_pass_arena(pass), f->text + s, e - s);
}

static const char *spaces(omen_pass *pass, size_t n) {
  char *s = omen_arena_alloc(omen_pass_arena(pass), n + 1);
  if (s)
    memset(s, ' ', n);
  return s;
}

/* Display width of a key as the tabwriter counts it (runes). */
static size_t width(const omen_file *f, TSNode n) {
  size_t w = 0;
  for (uint32_t i = ts_node_start_byte(n); i < ts_node_end_byte(n) && i < f->len; i++)
    w += ((unsigned char)f->text[i] & 0xC0) != 0x80;
  return w;
}

typedef struct elem {
  TSNode node, key, value;
  uint32_t first, last; /* lines */
} elem;

/* Is there a comment on a line of its own strictly between lines lo and hi of body? */
static bool comment_line_between(const omen_file *f, TSNode body, uint32_t lo, uint32_t hi) {
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(body, i);
    uint32_t l = line_no(f, ts_node_start_byte(c));
    if (go_node_is(c, GO_NODE_COMMENT) && l > lo && l < hi && starts_line(f, ts_node_start_byte(c)))
      return true;
  }
  return false;
}

/* Edits that add `Timeout: <value>` to a literal body; false when no gofmt-clean edit is known. */
static bool literal_edits(omen_pass *pass, const omen_file *f, TSNode body, const char *value, edits *out) {
  omen_arena *a = omen_pass_arena(pass);
  uint32_t open = ts_node_start_byte(body), close = ts_node_end_byte(body);
  if (close == 0 || close > f->len || f->text[close - 1] != '}' || f->text[open] != '{')
    return false;
  close--;
  elem el[64];
  size_t ne = 0;
  bool comments = false;
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(body, i);
    if (go_node_is(c, GO_NODE_COMMENT)) {
      comments = true;
      continue;
    }
    if (!go_node_is(c, GO_NODE_KEYED_ELEMENT) || ne == sizeof el / sizeof el[0])
      return false;
    TSNode k = go_node_child(c, GO_F_KEY), v = go_node_child(c, GO_F_VALUE);
    if (ts_node_is_null(k) || ts_node_is_null(v))
      return false;
    el[ne++] = (elem){c, k, v, line_no(f, ts_node_start_byte(c)), line_no(f, ts_node_end_byte(c))};
  }
  bool multiline = memchr(f->text + open, '\n', close - open) != NULL;
  if (!multiline) {
    if (comments)
      return false;
    if (ne == 0)
      return add(out, open + 1, close, omen_arena_printf(a, "Timeout: %s", value));
    uint32_t last_end = ts_node_end_byte(el[ne - 1].node);
    if (last_end != close)
      return false; /* `{A: x,}` or odd spacing: not what gofmt writes */
    return add(out, close, close, omen_arena_printf(a, ", Timeout: %s", value));
  }
  /* multi-line: a new line before the closing brace, which must start its line */
  if (!starts_line(f, close))
    return false;
  if (ne > 0) {
    /* the last element must end with a comma on its line */
    uint32_t p = ts_node_end_byte(el[ne - 1].node);
    if (p >= f->len || f->text[p] != ',')
      return false;
  }
  const char *indent;
  if (ne > 0 && starts_line(f, ts_node_start_byte(el[ne - 1].node)))
    indent = indent_of(pass, f, ts_node_start_byte(el[ne - 1].node));
  else
    indent = omen_arena_printf(a, "%s\t", indent_of(pass, f, close));
  /* the alignment run gofmt will put the new line in: the single-line keyed elements, one per line,
   * on the lines right above the closing brace (a blank line, a comment line, a multi-line element
   * or two elements on one line end it) */
  uint32_t line = line_no(f, close) - 1;
  size_t first = ne;
  while (first > 0) {
    const elem *e = &el[first - 1];
    if (e->first != line || e->last != line || !starts_line(f, ts_node_start_byte(e->node)))
      break;
    if (first >= 2 && el[first - 2].last == line)
      break;
    if (comments && comment_line_between(f, body, line, line_no(f, close)))
      break;
    first--;
    line--;
  }
  size_t col = strlen("Timeout:");
  for (size_t i = first; i < ne; i++) {
    size_t w = width(f, el[i].key) + 1;
    if (w > col)
      col = w;
  }
  col++; /* the tabwriter's padding */
  for (size_t i = first; i < ne; i++) {
    uint32_t colon = ts_node_end_byte(el[i].key);
    uint32_t vstart = ts_node_start_byte(el[i].value);
    if (colon >= f->len || f->text[colon] != ':')
      return false;
    size_t want = col - (width(f, el[i].key) + 1);
    size_t have = vstart - (colon + 1);
    bool plain = true;
    for (uint32_t k = colon + 1; k < vstart; k++)
      plain &= f->text[k] == ' ';
    if (have != want || !plain)
      if (!add(out, colon + 1, vstart, spaces(pass, want)))
        return false;
  }
  uint32_t at = line_start(f, close);
  return add(
      out, at, at,
      omen_arena_printf(a, "%sTimeout:%s%s,\n", indent, spaces(pass, col - strlen("Timeout:")), value));
}

static bool std_path(const char *p) { return go_types_is_std_path(p); }

/* Edits that import "time" into file fi; false when no gofmt-clean edit is known. */
static bool import_edits(omen_pass *pass, const go_types *ty, uint32_t fi, const omen_file *f, edits *out) {
  size_t nimp;
  const go_import *imps = go_types_imports(ty, fi, &nimp);
  if (nimp == 0)
    return false;
  TSNode decl = imps[0].decl;
  for (size_t i = 1; i < nimp; i++)
    if (ts_node_start_byte(imps[i].decl) < ts_node_start_byte(decl))
      decl = imps[i].decl;
  TSNode list = null_node();
  uint32_t nc = ts_node_named_child_count(decl);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_named_child(decl, i);
    if (go_node_is(c, GO_NODE_IMPORT_SPEC_LIST))
      list = c;
    else if (go_node_is(c, GO_NODE_COMMENT))
      return false;
  }
  omen_arena *a = omen_pass_arena(pass);
  if (ts_node_is_null(list)) {
    /* import "x"  ->  import ( ... ) with "time" */
    const go_import *single = NULL;
    for (size_t i = 0; i < nimp; i++)
      if (ts_node_eq(imps[i].decl, decl))
        single = &imps[i];
    if (!single)
      return false;
    uint32_t e = ts_node_end_byte(decl);
    while (e < f->len && (f->text[e] == ' ' || f->text[e] == '\t'))
      e++;
    if (e < f->len && f->text[e] != '\n')
      return false; /* a comment or more on the line */
    const char *spec = omen_pass_node_text(pass, f, single->spec);
    const char *text;
    if (!std_path(single->path))
      text = omen_arena_printf(a, "import (\n\t\"time\"\n\n\t%s\n)", spec);
    else if (strcmp(single->path, "time") < 0)
      text = omen_arena_printf(a, "import (\n\t%s\n\t\"time\"\n)", spec);
    else
      text = omen_arena_printf(a, "import (\n\t\"time\"\n\t%s\n)", spec);
    return add(out, ts_node_start_byte(decl), ts_node_end_byte(decl), text);
  }
  /* a block: specs one per line, no comments (gofmt aligns trailing comments and keeps comment lines
   * with their specs; stay out of the way) */
  TSNode specs[256];
  size_t ns = 0;
  uint32_t nl = ts_node_named_child_count(list);
  for (uint32_t i = 0; i < nl; i++) {
    TSNode c = ts_node_named_child(list, i);
    if (go_node_is(c, GO_NODE_COMMENT) || !go_node_is(c, GO_NODE_IMPORT_SPEC) ||
        ns == sizeof specs / sizeof specs[0])
      return false;
    if (!starts_line(f, ts_node_start_byte(c)))
      return false;
    specs[ns++] = c;
  }
  if (ns == 0)
    return false;
  /* groups: runs of specs on consecutive lines; take the first one with a standard-library path */
  size_t g0 = ns, g1 = ns;
  for (size_t i = 0; i < ns;) {
    size_t j = i + 1;
    while (j < ns &&
           line_no(f, ts_node_start_byte(specs[j])) == line_no(f, ts_node_end_byte(specs[j - 1])) + 1)
      j++;
    bool has_std = false;
    for (size_t k = i; k < j; k++) {
      const go_import *im = NULL;
      for (size_t m = 0; m < nimp; m++)
        if (ts_node_eq(imps[m].spec, specs[k]))
          im = &imps[m];
      has_std |= im && im->std;
    }
    if (has_std) {
      g0 = i;
      g1 = j;
      break;
    }
    i = j;
  }
  if (g0 == ns) {
    uint32_t at = line_start(f, ts_node_start_byte(specs[0]));
    return add(out, at, at,
               omen_arena_printf(a, "%s\"time\"\n\n", indent_of(pass, f, ts_node_start_byte(specs[0]))));
  }
  for (size_t k = g0; k < g1; k++) {
    const char *p = NULL;
    for (size_t m = 0; m < nimp; m++)
      if (ts_node_eq(imps[m].spec, specs[k]))
        p = imps[m].path;
    if (!p)
      return false;
    if (strcmp(p, "time") > 0) {
      uint32_t at = line_start(f, ts_node_start_byte(specs[k]));
      return add(out, at, at,
                 omen_arena_printf(a, "%s\"time\"\n", indent_of(pass, f, ts_node_start_byte(specs[k]))));
    }
  }
  uint32_t e = ts_node_end_byte(specs[g1 - 1]);
  while (e < f->len && f->text[e] != '\n')
    e++;
  if (e >= f->len)
    return false;
  return add(out, e + 1, e + 1,
             omen_arena_printf(a, "%s\"time\"\n", indent_of(pass, f, ts_node_start_byte(specs[g1 - 1]))));
}

static void add_literal_fix(omen_pass *pass, const go_types *ty, const go_site *lit, const omen_file *f,
                            omen_diag *d) {
  /* the name of package time at the literal, and whether it must be imported */
  const char *tname = "time";
  bool need_import = false;
  const go_import *imp = go_types_import_of(ty, lit->file, "time");
  go_binding b;
  if (imp) {
    tname = imp->name;
    if (go_types_lookup(ty, lit->file, lit->node, tname, &b) != GO_BIND_IMPORT || b.imp != imp)
      return; /* shadowed here */
  } else {
    size_t nimp;
    const go_import *imps = go_types_imports(ty, lit->file, &nimp);
    for (size_t i = 0; i < nimp; i++)
      if (strcmp(imps[i].path, "time") == 0)
        return; /* dot or blank import of time */
    if (go_types_lookup(ty, lit->file, lit->node, "time", &b) != GO_BIND_NONE)
      return; /* the name time is taken */
    need_import = true;
  }
  edits e = {0};
  char value[128];
  snprintf(value, sizeof value, "30 * %s.Second", tname);
  if (!literal_edits(pass, f, go_node_child(lit->node, GO_F_BODY), value, &e))
    return;
  if (need_import && !import_edits(pass, ty, lit->file, f, &e))
    return;
  omen_fix *fx = omen_diag_add_fix(pass, d, f, OMEN_FIX_UNSAFE, "add Timeout: %s", value);
  for (size_t i = 0; i < e.n; i++)
    omen_fix_add_edit(pass, fx, e.v[i].start, e.v[i].end, e.v[i].text);
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

  /* http.Get and friends use the default client */
  static const char *const verbs[] = {"Get", "Head", "Post", "PostForm", NULL};
  for (size_t v = 0; verbs[v] && !default_ok; v++) {
    const go_site *const *calls;
    size_t n = go_inspect_calls_named(ins, verbs[v], &calls);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = calls[i];
      const char *path, *name;
      if (go_inspect_is_test(ins, s) || !go_types_qualified(ty, s->file, s->sub, &path, &name) ||
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
    if (go_inspect_is_test(ins, s) || !is_default_client(ty, s))
      continue;
    omen_pass_report(
        pass, &rule_http_no_timeout, f, ts_node_start_byte(s->node), ts_node_end_byte(s->node),
        "%s has no timeout: a server that stops responding blocks requests through it, and their "
        "goroutines, forever",
        omen_pass_node_text(pass, f, s->node));
  }

  /* http.Client{...} without Timeout */
  const go_site *const *lits;
  size_t nlit = go_inspect_lookup_name(ins, GO_SITE_COMPOSITE, "Client", &lits);
  for (size_t i = 0; i < nlit; i++) {
    const go_site *s = lits[i];
    if (go_inspect_is_test(ins, s))
      continue;
    const char *ct = go_types_canonical(ty, s->file, s->sub);
    if (!ct || strcmp(ct, "net/http.Client") != 0)
      continue;
    const omen_file *f = go_inspect_file(ins, s)->file;
    TSNode body = go_node_child(s->node, GO_F_BODY);
    if (ts_node_is_null(body) || literal_has_timeout(f, body) || timeout_assigned_later(pass, ins, s))
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
