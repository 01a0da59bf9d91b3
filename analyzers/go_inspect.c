/* go_inspect.c - base analyzer: one cursor walk over a Go unit, collecting the sites later analyzers
 * need (functions, go/defer, calls with their callee text, literals, selectors, channel operations). */
#include "go_inspect.h"

#include <stdlib.h>
#include <string.h>

typedef struct vec {
  go_site *v;
  size_t n, cap;
} vec;

typedef struct walker {
  omen_arena *arena;
  go_inspect *r;
  vec v[GO_SITE_NKINDS];
  const omen_file *f;
  uint32_t file;
  /* enclosing functions: index into v[GO_SITE_FUNC] and the cursor depth of the function node */
  int32_t *fidx;
  uint32_t *fdepth;
  size_t nf, capf;
} walker;

static bool is(TSNode n, const char *type) { return strcmp(ts_node_type(n), type) == 0; }

static TSNode field(TSNode n, const char *name) {
  return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static TSNode unparen(TSNode n) {
  while (!ts_node_is_null(n) && is(n, "parenthesized_expression") && ts_node_named_child_count(n) == 1)
    n = ts_node_named_child(n, 0);
  return n;
}

/* Room for one more site of kind k: NULL when out of memory (status set) or past the cap. */
static go_site *push(walker *w, go_site_kind k, TSNode node, omen_status *st) {
  vec *v = &w->v[k];
  if (v->n == v->cap) {
    if (v->cap >= GO_INSPECT_MAX_SITES) {
      w->r->truncated = true;
      return NULL;
    }
    size_t cap = v->cap ? v->cap * 2 : 64;
    go_site *nv = omen_arena_alloc(w->arena, cap * sizeof *nv);
    if (!nv) {
      *st = OMEN_ENOMEM;
      return NULL;
    }
    if (v->n)
      memcpy(nv, v->v, v->n * sizeof *nv);
    v->v = nv;
    v->cap = cap;
  }
  go_site *s = &v->v[v->n++];
  memset(s, 0, sizeof *s);
  s->kind = k;
  s->file = w->file;
  s->node = node;
  s->func_index = w->nf ? w->fidx[w->nf - 1] : -1;
  if (w->nf)
    s->func = w->v[GO_SITE_FUNC].v[s->func_index].node;
  return s;
}

static char *text_of(walker *w, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b > w->f->len || a > b)
    return NULL;
  return omen_arena_strndup(w->arena, w->f->text + a, b - a);
}

/* Type text with whitespace runs collapsed to one space. */
static char *type_text(walker *w, TSNode n) {
  char *s = text_of(w, n);
  if (!s)
    return NULL;
  size_t o = 0;
  bool space = false;
  for (size_t i = 0; s[i]; i++) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = o > 0;
      continue;
    }
    if (space)
      s[o++] = ' ';
    space = false;
    s[o++] = c;
  }
  s[o] = '\0';
  return s;
}

static const char *last_segment(const char *s) {
  const char *dot = strrchr(s, '.');
  return dot ? dot + 1 : s;
}

/* "a.b.Method" for a callee expression; "?" for segments that are not identifier chains. */
static char *callee_text(walker *w, TSNode fn) {
  TSNode segs[GO_INSPECT_MAX_SEGMENTS];
  size_t n = 0;
  bool more = false;
  TSNode x = unparen(fn);
  while (!ts_node_is_null(x) && is(x, "selector_expression")) {
    TSNode fl = field(x, "field");
    if (ts_node_is_null(fl))
      break;
    if (n == GO_INSPECT_MAX_SEGMENTS - 1) {
      more = true;
      break;
    }
    segs[n++] = fl;
    x = unparen(field(x, "operand"));
  }
  bool head = !more && !ts_node_is_null(x) && is(x, "identifier");
  size_t len = 2;
  for (size_t i = 0; i < n; i++)
    len += ts_node_end_byte(segs[i]) - ts_node_start_byte(segs[i]) + 1;
  if (head)
    len += ts_node_end_byte(x) - ts_node_start_byte(x);
  char *s = omen_arena_alloc(w->arena, len + 1);
  if (!s)
    return NULL;
  size_t o = 0;
  if (head) {
    uint32_t a = ts_node_start_byte(x), b = ts_node_end_byte(x);
    if (b <= w->f->len && a <= b) {
      memcpy(s + o, w->f->text + a, b - a);
      o += b - a;
    }
  } else {
    s[o++] = '?';
  }
  for (size_t i = n; i > 0; i--) {
    uint32_t a = ts_node_start_byte(segs[i - 1]), b = ts_node_end_byte(segs[i - 1]);
    s[o++] = '.';
    if (b <= w->f->len && a <= b) {
      memcpy(s + o, w->f->text + a, b - a);
      o += b - a;
    }
  }
  s[o] = '\0';
  return s;
}

bool go_inspect_is_sync_name(const char *name) {
  static const char *const verbs[] = {"Lock",     "Unlock", "RLock", "RUnlock", "TryLock",
                                      "TryRLock", "Wait",   "Add",   "Done",    NULL};
  for (size_t i = 0; name && verbs[i]; i++)
    if (strcmp(name, verbs[i]) == 0)
      return true;
  return false;
}

/* Receiver base type name of a method_declaration. */
static void receiver(walker *w, TSNode m, go_site *s) {
  TSNode pl = field(m, "receiver");
  if (ts_node_is_null(pl) || ts_node_named_child_count(pl) == 0)
    return;
  TSNode pd = ts_node_named_child(pl, 0);
  TSNode t = field(pd, "type");
  while (!ts_node_is_null(t) && is(t, "parenthesized_type") && ts_node_named_child_count(t) == 1)
    t = ts_node_named_child(t, 0);
  if (!ts_node_is_null(t) && is(t, "pointer_type")) {
    s->recv_ptr = true;
    t = ts_node_named_child(t, 0);
  }
  if (!ts_node_is_null(t) && is(t, "generic_type"))
    t = field(t, "type");
  if (!ts_node_is_null(t) && is(t, "type_identifier"))
    s->recv = text_of(w, t);
}

static omen_status visit(walker *w, TSNode n, uint32_t depth) {
  omen_status st = OMEN_OK;
  const char *t = ts_node_type(n);
  go_site *s = NULL;
  if (strcmp(t, "function_declaration") == 0 || strcmp(t, "method_declaration") == 0 ||
      strcmp(t, "func_literal") == 0) {
    s = push(w, GO_SITE_FUNC, n, &st);
    if (!s)
      return st;
    s->fkind = t[0] == 'm' ? GO_FUNC_METHOD : strcmp(t, "func_literal") == 0 ? GO_FUNC_LIT : GO_FUNC_DECL;
    s->sub = field(n, "body");
    TSNode nm = field(n, "name");
    s->text = ts_node_is_null(nm) ? "" : text_of(w, nm);
    if (!s->text)
      s->text = "";
    s->name = s->text;
    if (s->fkind == GO_FUNC_METHOD)
      receiver(w, n, s);
    if (w->nf == w->capf) {
      size_t cap = w->capf ? w->capf * 2 : 16;
      int32_t *fi = omen_arena_alloc(w->arena, cap * sizeof *fi);
      uint32_t *fd = omen_arena_alloc(w->arena, cap * sizeof *fd);
      if (!fi || !fd)
        return OMEN_ENOMEM;
      if (w->nf) {
        memcpy(fi, w->fidx, w->nf * sizeof *fi);
        memcpy(fd, w->fdepth, w->nf * sizeof *fd);
      }
      w->fidx = fi;
      w->fdepth = fd;
      w->capf = cap;
    }
    w->fidx[w->nf] = (int32_t)(w->v[GO_SITE_FUNC].n - 1);
    w->fdepth[w->nf] = depth;
    w->nf++;
  } else if (strcmp(t, "go_statement") == 0 || strcmp(t, "defer_statement") == 0) {
    s = push(w, t[0] == 'g' ? GO_SITE_GO : GO_SITE_DEFER, n, &st);
    if (s && ts_node_named_child_count(n) > 0)
      s->sub = ts_node_named_child(n, 0);
  } else if (strcmp(t, "call_expression") == 0) {
    TSNode fn = field(n, "function");
    if (ts_node_is_null(fn))
      return OMEN_OK;
    char *callee = callee_text(w, fn);
    if (!callee)
      return OMEN_ENOMEM;
    const char *name = last_segment(callee);
    s = push(w, GO_SITE_CALL, n, &st);
    if (s) {
      s->text = callee;
      s->name = name;
      s->sub = fn;
    }
    if (st == OMEN_OK && go_inspect_is_sync_name(name)) {
      s = push(w, GO_SITE_SYNC_CALL, n, &st);
      if (s) {
        s->text = callee;
        s->name = name;
        s->sub = fn;
      }
    }
  } else if (strcmp(t, "composite_literal") == 0) {
    TSNode ty = field(n, "type");
    s = push(w, GO_SITE_COMPOSITE, n, &st);
    if (s) {
      s->sub = ty;
      s->text = ts_node_is_null(ty) ? "" : type_text(w, ty);
      if (!s->text)
        return OMEN_ENOMEM;
      TSNode nm = ty;
      if (!ts_node_is_null(nm) && is(nm, "generic_type"))
        nm = field(nm, "type");
      if (!ts_node_is_null(nm) && is(nm, "qualified_type"))
        nm = field(nm, "name");
      s->name = !ts_node_is_null(nm) && is(nm, "type_identifier") ? text_of(w, nm) : "?";
      if (!s->name)
        return OMEN_ENOMEM;
      TSNode p = ts_node_parent(n);
      if (!ts_node_is_null(p) && is(p, "unary_expression")) {
        TSNode op = field(p, "operator");
        s->addr = !ts_node_is_null(op) && is(op, "&");
      }
    }
  } else if (strcmp(t, "selector_expression") == 0) {
    TSNode op = field(n, "operand"), fl = field(n, "field");
    if (!ts_node_is_null(op) && !ts_node_is_null(fl) && is(op, "identifier")) {
      s = push(w, GO_SITE_SELECTOR, n, &st);
      if (s) {
        s->sub = op;
        s->text = text_of(w, n);
        s->name = text_of(w, fl);
        if (!s->text || !s->name)
          return OMEN_ENOMEM;
      }
    }
  } else if (strcmp(t, "send_statement") == 0) {
    s = push(w, GO_SITE_SEND, n, &st);
    if (s)
      s->sub = field(n, "channel");
  } else if (strcmp(t, "unary_expression") == 0) {
    TSNode op = field(n, "operator");
    if (!ts_node_is_null(op) && is(op, "<-")) {
      s = push(w, GO_SITE_RECV, n, &st);
      if (s)
        s->sub = field(n, "operand");
    }
  } else if (strcmp(t, "select_statement") == 0) {
    push(w, GO_SITE_SELECT, n, &st);
  }
  return st;
}

/* Leaving the node at depth: pop the functions it opened. */
static void leave(walker *w, uint32_t depth) {
  while (w->nf && w->fdepth[w->nf - 1] >= depth)
    w->nf--;
}

static omen_status walk_file(walker *w, TSNode root) {
  TSTreeCursor c = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  omen_status st = OMEN_OK;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    if (ts_node_is_named(n)) {
      st = visit(w, n, depth);
      if (st != OMEN_OK)
        break;
    }
    if (ts_tree_cursor_goto_first_child(&c)) {
      depth++;
      continue;
    }
    leave(w, depth);
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&c)) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&c)) {
        done = true;
        break;
      }
      depth--;
      leave(w, depth);
    }
    if (done)
      break;
  }
  ts_tree_cursor_delete(&c);
  w->nf = 0;
  return st;
}

static int cmp_text(const void *a, const void *b) {
  const go_site *x = *(const go_site *const *)a, *y = *(const go_site *const *)b;
  int c = strcmp(x->text, y->text);
  if (c)
    return c;
  return x < y ? -1 : x > y;
}

static int cmp_name(const void *a, const void *b) {
  const go_site *x = *(const go_site *const *)a, *y = *(const go_site *const *)b;
  int c = strcmp(x->name, y->name);
  if (c)
    return c;
  return x < y ? -1 : x > y;
}

static bool has_text(go_site_kind k) {
  return k == GO_SITE_FUNC || k == GO_SITE_CALL || k == GO_SITE_SYNC_CALL || k == GO_SITE_COMPOSITE ||
         k == GO_SITE_SELECTOR;
}

static omen_status build_index(omen_arena *a, go_inspect *r) {
  for (int k = 0; k < GO_SITE_NKINDS; k++) {
    size_t n = r->nsites[k];
    if (!has_text((go_site_kind)k) || n == 0)
      continue;
    const go_site **bt = omen_arena_alloc(a, n * sizeof *bt);
    const go_site **bn = omen_arena_alloc(a, n * sizeof *bn);
    if (!bt || !bn)
      return OMEN_ENOMEM;
    for (size_t i = 0; i < n; i++)
      bt[i] = bn[i] = &r->sites[k][i];
    qsort(bt, n, sizeof *bt, cmp_text);
    qsort(bn, n, sizeof *bn, cmp_name);
    r->by_text[k] = bt;
    r->by_name[k] = bn;
  }
  return OMEN_OK;
}

static size_t lookup(const go_site **v, size_t n, bool by_name, const char *key, const go_site *const **out) {
  *out = NULL;
  if (!v || !key)
    return 0;
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *s = by_name ? v[mid]->name : v[mid]->text;
    if (strcmp(s, key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t e = lo;
  while (e < n && strcmp(by_name ? v[e]->name : v[e]->text, key) == 0)
    e++;
  if (e > lo)
    *out = v + lo;
  return e - lo;
}

size_t go_inspect_lookup(const go_inspect *r, go_site_kind k, const char *text, const go_site *const **out) {
  if (!r || k >= GO_SITE_NKINDS) {
    *out = NULL;
    return 0;
  }
  return lookup(r->by_text[k], r->nsites[k], false, text, out);
}

size_t go_inspect_lookup_name(const go_inspect *r, go_site_kind k, const char *name,
                              const go_site *const **out) {
  if (!r || k >= GO_SITE_NKINDS) {
    *out = NULL;
    return 0;
  }
  return lookup(r->by_name[k], r->nsites[k], true, name, out);
}

const go_site *go_inspect_func_of(const go_inspect *r, const go_site *s) {
  if (!r || !s || s->func_index < 0 || (size_t)s->func_index >= r->nsites[GO_SITE_FUNC])
    return NULL;
  return &r->sites[GO_SITE_FUNC][s->func_index];
}

size_t go_inspect_sites_in(const go_inspect *r, go_site_kind k, const go_site *fn, const go_site **out,
                           size_t cap) {
  if (!r || !fn || k >= GO_SITE_NKINDS || fn->kind != GO_SITE_FUNC)
    return 0;
  int32_t idx = (int32_t)(fn - r->sites[GO_SITE_FUNC]);
  size_t n = 0;
  for (size_t i = 0; i < r->nsites[k]; i++) {
    const go_site *s = &r->sites[k][i];
    if (s->func_index != idx || s == fn)
      continue;
    if (n < cap)
      out[n] = s;
    n++;
  }
  return n < cap ? n : cap;
}

TSNode go_inspect_enclosing_func(TSNode n) {
  TSNode p = ts_node_parent(n);
  while (!ts_node_is_null(p)) {
    const char *t = ts_node_type(p);
    if (strcmp(t, "function_declaration") == 0 || strcmp(t, "method_declaration") == 0 ||
        strcmp(t, "func_literal") == 0)
      return p;
    p = ts_node_parent(p);
  }
  return p;
}

static omen_status run(omen_pass *pass, void **result) {
  omen_arena *a = omen_pass_arena(pass);
  go_inspect *r = omen_arena_alloc(a, sizeof *r);
  walker *w = omen_arena_alloc(a, sizeof *w);
  size_t nf = omen_pass_go_nfiles(pass);
  const omen_go_file **files = omen_arena_alloc(a, (nf ? nf : 1) * sizeof *files);
  if (!r || !w || !files)
    return OMEN_ENOMEM;
  w->arena = a;
  w->r = r;
  for (size_t i = 0; i < nf; i++) {
    const omen_go_file *g = omen_pass_go_file(pass, i);
    files[i] = g;
    w->f = g->file;
    w->file = (uint32_t)i;
    omen_status st = walk_file(w, g->root);
    if (st != OMEN_OK)
      return st;
  }
  r->nfiles = nf;
  r->files = files;
  for (int k = 0; k < GO_SITE_NKINDS; k++) {
    r->sites[k] = w->v[k].v;
    r->nsites[k] = w->v[k].n;
  }
  omen_status st = build_index(a, r);
  if (st != OMEN_OK)
    return st;
  *result = r;
  return OMEN_OK;
}

const omen_analyzer omen_go_inspect = {
    .name = "go-inspect",
    .title = "Go syntax index: the sites of a package by kind, from one walk",
    .doc = "Base analyzer. Walks every file of a Go package once and records functions (declarations, "
           "methods, literals), go and defer statements, calls with their callee text, synchronization "
           "calls (Lock, Unlock, Wait, Add, Done...), composite literals, `x.Name` selectors, channel "
           "sends and receives, and select statements, each with its enclosing function. Other Go "
           "analyzers look sites up by kind and text instead of walking the trees again. Reports nothing.",
    .langs = OMEN_LANG_GO,
    .run = run,
};
