/* go_fix.c - helpers shared by the Go analyzers: argument lists, edit lists, line geometry and the
 * gofmt-aware edits that add a key to a composite literal or an import to a file (see go_fix.h). */
#include "go_fix.h"

#include <stdio.h>
#include <string.h>

/* ---------- argument lists ---------- */

uint32_t go_ts_nargs(TSNode args) {
  uint32_t n = go_ts_nnamed(args), k = 0;
  for (uint32_t i = 0; i < n; i++)
    k += !go_node_is(go_ts_nth(args, i), GO_NODE_COMMENT);
  return k;
}

TSNode go_ts_arg(TSNode args, uint32_t idx) {
  uint32_t n = go_ts_nnamed(args), k = 0;
  for (uint32_t i = 0; i < n; i++) {
    TSNode a = go_ts_nth(args, i);
    if (go_node_is(a, GO_NODE_COMMENT))
      continue;
    if (k++ == idx)
      return a;
  }
  return go_ts_null();
}

/* ---------- edits ---------- */

bool go_fix_add(go_fix_edits *e, uint32_t start, uint32_t end, const char *text) {
  if (!text || e->n == sizeof e->v / sizeof e->v[0])
    return false;
  e->v[e->n].start = start;
  e->v[e->n].end = end;
  e->v[e->n].text = text;
  e->n++;
  return true;
}

void go_fix_emit(omen_pass *pass, omen_diag *d, const omen_file *f, omen_applicability a,
                 const go_fix_edits *e, const char *msg) {
  if (!d || e->n == 0)
    return;
  omen_fix *fx = omen_diag_add_fix(pass, d, f, a, "%s", msg);
  for (size_t i = 0; i < e->n; i++)
    omen_fix_add_edit(pass, fx, e->v[i].start, e->v[i].end, e->v[i].text);
}

/* ---------- lines ---------- */

uint32_t go_fix_line_start(const omen_file *f, uint32_t off) {
  while (off > 0 && f->text[off - 1] != '\n')
    off--;
  return off;
}

uint32_t go_fix_line_no(const omen_file *f, uint32_t off) { return omen_file_pos(f, off).line; }

bool go_fix_starts_line(const omen_file *f, uint32_t off) {
  for (uint32_t i = go_fix_line_start(f, off); i < off; i++)
    if (f->text[i] != ' ' && f->text[i] != '\t')
      return false;
  return true;
}

/* Is only whitespace between off and the end of its line (a '\r' counts when cr)? */
static bool blank_to_eol(const omen_file *f, uint32_t off, bool cr) {
  for (uint32_t i = off; i < f->len && f->text[i] != '\n'; i++)
    if (f->text[i] != ' ' && f->text[i] != '\t' && !(cr && f->text[i] == '\r'))
      return false;
  return true;
}

bool go_fix_ends_line(const omen_file *f, uint32_t off) { return blank_to_eol(f, off, true); }

bool go_fix_ends_line_or_comment(const omen_file *f, uint32_t off) {
  while (off < f->len && (f->text[off] == ' ' || f->text[off] == '\t'))
    off++;
  return go_fix_ends_line(f, off) || (off + 1 < f->len && f->text[off] == '/' && f->text[off + 1] == '/');
}

const char *go_fix_indent_of(omen_pass *pass, const omen_file *f, uint32_t off) {
  uint32_t s = go_fix_line_start(f, off), e = s;
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

/* ---------- composite literals ---------- */

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
  uint32_t n = go_ts_nnamed(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = go_ts_nth(body, i);
    uint32_t l = go_fix_line_no(f, ts_node_start_byte(c));
    if (go_node_is(c, GO_NODE_COMMENT) && l > lo && l < hi && go_fix_starts_line(f, ts_node_start_byte(c)))
      return true;
  }
  return false;
}

bool go_fix_literal_edits(omen_pass *pass, const omen_file *f, TSNode body, const char *key,
                          const char *value, go_fix_edits *out) {
  omen_arena *a = omen_pass_arena(pass);
  uint32_t open = ts_node_start_byte(body), close = ts_node_end_byte(body);
  if (close == 0 || close > f->len || f->text[close - 1] != '}' || f->text[open] != '{')
    return false;
  close--;
  elem el[64];
  size_t ne = 0;
  bool comments = false;
  uint32_t n = go_ts_nnamed(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = go_ts_nth(body, i);
    if (go_node_is(c, GO_NODE_COMMENT)) {
      comments = true;
      continue;
    }
    if (!go_node_is(c, GO_NODE_KEYED_ELEMENT) || ne == sizeof el / sizeof el[0])
      return false;
    TSNode k = go_node_child(c, GO_F_KEY), v = go_node_child(c, GO_F_VALUE);
    if (ts_node_is_null(k) || ts_node_is_null(v))
      return false;
    el[ne++] =
        (elem){c, k, v, go_fix_line_no(f, ts_node_start_byte(c)), go_fix_line_no(f, ts_node_end_byte(c))};
  }
  size_t klen = strlen(key);
  bool multiline = memchr(f->text + open, '\n', close - open) != NULL;
  if (!multiline) {
    if (comments)
      return false;
    if (ne == 0)
      return go_fix_add(out, open + 1, close, omen_arena_printf(a, "%s: %s", key, value));
    if (ts_node_end_byte(el[ne - 1].node) != close)
      return false; /* `{A: x,}` or odd spacing: not what gofmt writes */
    return go_fix_add(out, close, close, omen_arena_printf(a, ", %s: %s", key, value));
  }
  /* multi-line: a new line before the closing brace, which must start its line, after a last element
   * that ends with a comma */
  if (!go_fix_starts_line(f, close))
    return false;
  if (ne > 0) {
    uint32_t p = ts_node_end_byte(el[ne - 1].node);
    if (p >= f->len || f->text[p] != ',')
      return false;
  }
  const char *indent;
  if (ne > 0 && go_fix_starts_line(f, ts_node_start_byte(el[ne - 1].node)))
    indent = go_fix_indent_of(pass, f, ts_node_start_byte(el[ne - 1].node));
  else
    indent = omen_arena_printf(a, "%s\t", go_fix_indent_of(pass, f, close));
  /* the alignment run gofmt puts the new line in: single-line keyed elements, one per line, right above
   * the closing brace (a blank line, a comment line, a multi-line element or two elements on a line end it)
   */
  uint32_t line = go_fix_line_no(f, close) - 1;
  size_t first = ne;
  while (first > 0) {
    const elem *e = &el[first - 1];
    if (e->first != line || e->last != line || !go_fix_starts_line(f, ts_node_start_byte(e->node)))
      break;
    if (first >= 2 && el[first - 2].last == line)
      break;
    if (comments && comment_line_between(f, body, line, go_fix_line_no(f, close)))
      break;
    first--;
    line--;
  }
  size_t col = klen + 1;
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
    if ((have != want || !plain) && !go_fix_add(out, colon + 1, vstart, spaces(pass, want)))
      return false;
  }
  uint32_t at = go_fix_line_start(f, close);
  return go_fix_add(out, at, at,
                    omen_arena_printf(a, "%s%s:%s%s,\n", indent, key, spaces(pass, col - klen - 1), value));
}

/* ---------- imports ---------- */

bool go_fix_import_edits(omen_pass *pass, const go_types *ty, uint32_t fi, const omen_file *f,
                         const char *path, bool strict_eol, go_fix_edits *out) {
  size_t nimp;
  const go_import *imps = go_types_imports(ty, fi, &nimp);
  if (nimp == 0)
    return false;
  omen_arena *a = omen_pass_arena(pass);
  const char *quoted = omen_arena_printf(a, "\"%s\"", path);
  TSNode decl = imps[0].decl;
  for (size_t i = 1; i < nimp; i++)
    if (ts_node_start_byte(imps[i].decl) < ts_node_start_byte(decl))
      decl = imps[i].decl;
  TSNode list = go_ts_null();
  uint32_t nc = go_ts_nnamed(decl);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = go_ts_nth(decl, i);
    if (go_node_is(c, GO_NODE_IMPORT_SPEC_LIST))
      list = c;
    else if (go_node_is(c, GO_NODE_COMMENT))
      return false;
  }
  if (ts_node_is_null(list)) {
    /* import "x"  ->  import ( ... ) with path */
    const go_import *single = NULL;
    for (size_t i = 0; i < nimp; i++)
      if (ts_node_eq(imps[i].decl, decl))
        single = &imps[i];
    if (!single || !blank_to_eol(f, ts_node_end_byte(decl), !strict_eol))
      return false; /* a comment or more on the line */
    const char *spec = go_ts_text(pass, f, single->spec);
    const char *t;
    if (!go_types_is_std_path(single->path))
      t = omen_arena_printf(a, "import (\n\t%s\n\n\t%s\n)", quoted, spec);
    else if (strcmp(single->path, path) < 0)
      t = omen_arena_printf(a, "import (\n\t%s\n\t%s\n)", spec, quoted);
    else
      t = omen_arena_printf(a, "import (\n\t%s\n\t%s\n)", quoted, spec);
    return go_fix_add(out, ts_node_start_byte(decl), ts_node_end_byte(decl), t);
  }
  /* a block: specs one per line, no comments (gofmt aligns trailing comments and keeps comment lines
   * with their specs; stay out of the way) */
  TSNode specs[256];
  size_t ns = 0;
  uint32_t nl = go_ts_nnamed(list);
  for (uint32_t i = 0; i < nl; i++) {
    TSNode c = go_ts_nth(list, i);
    if (go_node_is(c, GO_NODE_COMMENT) || !go_node_is(c, GO_NODE_IMPORT_SPEC) ||
        ns == sizeof specs / sizeof specs[0] || !go_fix_starts_line(f, ts_node_start_byte(c)))
      return false;
    specs[ns++] = c;
  }
  if (ns == 0)
    return false;
  /* groups: runs of specs on consecutive lines; the new spec goes into the first with a std path */
  size_t g0 = ns, g1 = ns;
  for (size_t i = 0; i < ns && g0 == ns;) {
    size_t j = i + 1;
    while (j < ns && go_fix_line_no(f, ts_node_start_byte(specs[j])) ==
                         go_fix_line_no(f, ts_node_end_byte(specs[j - 1])) + 1)
      j++;
    for (size_t k = i; k < j; k++)
      for (size_t m = 0; m < nimp; m++)
        if (ts_node_eq(imps[m].spec, specs[k]) && imps[m].std) {
          g0 = i;
          g1 = j;
        }
    i = j;
  }
  if (g0 == ns) {
    uint32_t at = go_fix_line_start(f, ts_node_start_byte(specs[0]));
    return go_fix_add(
        out, at, at,
        omen_arena_printf(a, "%s%s\n\n", go_fix_indent_of(pass, f, ts_node_start_byte(specs[0])), quoted));
  }
  for (size_t k = g0; k < g1; k++) {
    const char *p = NULL;
    for (size_t m = 0; m < nimp; m++)
      if (ts_node_eq(imps[m].spec, specs[k]))
        p = imps[m].path;
    if (!p)
      return false;
    if (strcmp(p, path) > 0) {
      uint32_t at = go_fix_line_start(f, ts_node_start_byte(specs[k]));
      return go_fix_add(
          out, at, at,
          omen_arena_printf(a, "%s%s\n", go_fix_indent_of(pass, f, ts_node_start_byte(specs[k])), quoted));
    }
  }
  uint32_t e = ts_node_end_byte(specs[g1 - 1]);
  while (e < f->len && f->text[e] != '\n')
    e++;
  if (e >= f->len)
    return false;
  return go_fix_add(
      out, e + 1, e + 1,
      omen_arena_printf(a, "%s%s\n", go_fix_indent_of(pass, f, ts_node_start_byte(specs[g1 - 1])), quoted));
}

const char *go_fix_time_name(const go_types *ty, uint32_t fi, TSNode at, bool *need_import) {
  *need_import = false;
  const go_import *imp = go_types_import_of(ty, fi, "time");
  go_binding b;
  if (imp) {
    if (go_types_lookup(ty, fi, at, imp->name, &b) != GO_BIND_IMPORT || b.imp != imp)
      return NULL; /* shadowed here */
    return imp->name;
  }
  size_t nimp;
  const go_import *imps = go_types_imports(ty, fi, &nimp);
  for (size_t i = 0; i < nimp; i++)
    if (strcmp(imps[i].path, "time") == 0)
      return NULL; /* dot or blank import of time */
  if (go_types_lookup(ty, fi, at, "time", &b) != GO_BIND_NONE)
    return NULL; /* the name time is taken */
  *need_import = true;
  return "time";
}

/* ---------- literals and the variables they are assigned to ---------- */

TSNode go_fix_decl_value(TSNode decl, TSNode id, bool shared_call) {
  TSNode left, right;
  if (go_node_is(decl, GO_NODE_SHORT_VAR_DECLARATION)) {
    left = go_node_child(decl, GO_F_LEFT);
    right = go_node_child(decl, GO_F_RIGHT);
  } else if (go_node_is(decl, GO_NODE_VAR_SPEC)) {
    left = decl;
    right = go_node_child(decl, GO_F_VALUE);
  } else {
    return go_ts_null();
  }
  uint32_t idx = 0, k = 0, n = go_ts_nnamed(left);
  bool found = false;
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = go_ts_nth(left, i);
    if (!go_node_is(c, GO_NODE_IDENTIFIER))
      continue;
    if (!found && ts_node_start_byte(c) == ts_node_start_byte(id)) {
      idx = k;
      found = true;
    }
    k++;
  }
  uint32_t nv = go_ts_nnamed(right);
  if (!found || nv == 0)
    return go_ts_null();
  if (nv == k)
    return go_ts_nth(right, idx);
  if (nv == 1 && shared_call)
    return go_ts_nth(right, 0); /* a, b := f() */
  return go_ts_null();
}

TSNode go_fix_assigned_name(TSNode value) {
  TSNode list = go_ts_parent(value);
  TSNode stmt = go_ts_parent(list);
  if (!go_node_is(list, GO_NODE_EXPRESSION_LIST) || ts_node_is_null(stmt))
    return go_ts_null();
  bool svd = go_node_is(stmt, GO_NODE_SHORT_VAR_DECLARATION),
       asg = go_node_is(stmt, GO_NODE_ASSIGNMENT_STATEMENT), spec = go_node_is(stmt, GO_NODE_VAR_SPEC);
  if (!(svd || asg || spec) || !ts_node_eq(go_node_child(stmt, spec ? GO_F_VALUE : GO_F_RIGHT), list))
    return go_ts_null();
  uint32_t idx = 0, n = go_ts_nnamed(list);
  while (idx < n && !ts_node_eq(go_ts_nth(list, idx), value))
    idx++;
  if (idx == n)
    return go_ts_null();
  if (spec) {
    uint32_t k = 0, nc = go_ts_nnamed(stmt);
    for (uint32_t i = 0; i < nc; i++) {
      TSNode ch = go_ts_nth(stmt, i);
      if (go_node_is(ch, GO_NODE_IDENTIFIER) && k++ == idx)
        return ch;
    }
    return go_ts_null();
  }
  TSNode left = go_node_child(stmt, GO_F_LEFT);
  if (go_ts_nnamed(left) != n)
    return go_ts_null();
  TSNode id = go_ts_nth(left, idx);
  return go_node_is(id, GO_NODE_IDENTIFIER) || go_node_is(id, GO_NODE_SELECTOR_EXPRESSION) ? id
                                                                                           : go_ts_null();
}

bool go_fix_field_assigned_later(omen_pass *pass, const go_inspect *ins, const go_site *lit,
                                 const char *const *fields) {
  const omen_file *f = go_inspect_file(ins, lit)->file;
  TSNode value = lit->addr ? lit->parent : lit->node;
  TSNode id = go_fix_assigned_name(value);
  if (ts_node_is_null(id))
    return false;
  const char *name = go_ts_text(pass, f, id);
  for (size_t k = 0; fields[k]; k++) {
    char key[256];
    if (snprintf(key, sizeof key, "%s.%s", name, fields[k]) >= (int)sizeof key)
      return false;
    const go_site *const *v;
    size_t n = go_inspect_lookup(ins, GO_SITE_SELECTOR, key, &v);
    for (size_t i = 0; i < n; i++) {
      const go_site *s = v[i];
      bool same_scope =
          ts_node_is_null(lit->func) || (s->file == lit->file && ts_node_eq(s->func, lit->func));
      if (!same_scope ||
          (s->file == lit->file && ts_node_start_byte(s->node) < ts_node_start_byte(lit->node)))
        continue;
      TSNode list = s->parent;
      TSNode asg = go_ts_parent(list);
      if (go_node_is(list, GO_NODE_EXPRESSION_LIST) && go_node_is(asg, GO_NODE_ASSIGNMENT_STATEMENT) &&
          ts_node_eq(go_node_child(asg, GO_F_LEFT), list))
        return true;
    }
  }
  return false;
}

bool go_fix_literal_sets(const omen_file *f, TSNode body, const char *const *fields) {
  uint32_t n = go_ts_nnamed(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode e = go_ts_nth(body, i);
    if (go_node_is(e, GO_NODE_LITERAL_ELEMENT))
      return true; /* positional: every field is given */
    if (!go_node_is(e, GO_NODE_KEYED_ELEMENT))
      continue;
    TSNode k = go_node_child(e, GO_F_KEY);
    if (go_node_is(k, GO_NODE_LITERAL_ELEMENT) && go_ts_nnamed(k) == 1)
      k = go_ts_nth(k, 0);
    for (size_t j = 0; fields[j]; j++)
      if (go_ts_teq(f, k, fields[j]))
        return true;
  }
  return false;
}

/* ---------- calls ---------- */

bool go_fix_first_arg_edits(omen_pass *pass, const omen_file *f, TSNode args, const char *ctx,
                            const char *empty, go_fix_edits *out) {
  omen_arena *a = omen_pass_arena(pass);
  uint32_t open = ts_node_start_byte(args), close = ts_node_end_byte(args);
  if (close <= open + 1 || f->text[open] != '(' || f->text[close - 1] != ')')
    return false;
  TSNode first = go_ts_arg(args, 0);
  if (ts_node_is_null(first)) {
    for (uint32_t i = open + 1; i < close - 1; i++)
      if (f->text[i] != ' ')
        return false; /* comments or a line break */
    return go_fix_add(out, open + 1, close - 1, omen_arena_printf(a, "%s%s", ctx, empty ? empty : ""));
  }
  /* before the first argument: on its line when it starts one, else inline */
  uint32_t s = ts_node_start_byte(first);
  if (go_fix_line_no(f, s) != go_fix_line_no(f, open) && go_fix_starts_line(f, s))
    return go_fix_add(out, s, s, omen_arena_printf(a, "%s,\n%s", ctx, go_fix_indent_of(pass, f, s)));
  return go_fix_add(out, s, s, omen_arena_printf(a, "%s, ", ctx));
}

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool go_fix_in_test_code(const omen_pass *pass, const go_inspect *ins, const go_types *ty, const go_site *s) {
  if (go_inspect_is_test(ins, s))
    return true;
  const char *pkg = omen_pass_go_package(pass);
  if (pkg && (strncmp(pkg, "test", 4) == 0 || has_suffix(pkg, "test") || has_suffix(pkg, "tests") ||
              has_suffix(pkg, "testing") || strstr(pkg, "testutil")))
    return true; /* testpb, testsuite, httptest, servertest, fstesting, testutil; not "attestation" */
  return go_types_import_of(ty, s->file, "net/http/httptest") != NULL;
}

const char *go_fix_duration(omen_arena *a, long long ns, const char *tpkg, bool spaced) {
  static const struct {
    long long ns;
    const char *name;
  } units[] = {{3600000000000LL, "Hour"}, {60000000000LL, "Minute"}, {1000000000LL, "Second"},
               {1000000LL, "Millisecond"}, {1000LL, "Microsecond"}, {1, "Nanosecond"}};
  if (ns <= 0 || !tpkg)
    return NULL;
  for (size_t i = 0; i < sizeof units / sizeof *units; i++)
    if (ns % units[i].ns == 0)
      return omen_arena_printf(a, spaced ? "%lld * %s.%s" : "%lld*%s.%s", ns / units[i].ns, tpkg, units[i].name);
  return NULL;
}

const char *go_fix_bytes(omen_arena *a, long long n, const char **human) {
  static const char *const names[] = {"KiB", "MiB", "GiB", "TiB"};
  if (n <= 0)
    return NULL;
  int shift = 0;
  while (shift < 62 && (1LL << shift) < n)
    shift++;
  bool pow2 = (1LL << shift) == n && shift >= 10;
  if (human) {
    int unit = shift / 10 - 1 < 3 ? shift / 10 - 1 : 3; /* KiB .. TiB */
    *human = pow2 ? omen_arena_printf(a, "%lld %s", n >> ((unit + 1) * 10), names[unit])
                  : omen_arena_printf(a, "%lld bytes", n);
  }
  return pow2 ? omen_arena_printf(a, "1<<%d", shift) : omen_arena_printf(a, "%lld", n);
}

