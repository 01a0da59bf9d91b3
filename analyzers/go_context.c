/* go_context.c - base analyzer: the package call graph of a Go unit, which functions may run
 * concurrently (handlers, gRPC methods, goroutines and what they reach), and contexts in scope. */
#include "go_context.h"
#include "go_fix.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_EDGES = 1 << 22, MAX_DEPTH = 16, MAX_EMBED = 3 };

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

/* Null-safe tree-sitter accessors: the runtime dereferences a null node, and broken code has holes. */
static uint32_t nnamed(TSNode n) { return ts_node_is_null(n) ? 0 : ts_node_named_child_count(n); }

static TSNode nth(TSNode n, uint32_t i) { return i < nnamed(n) ? ts_node_named_child(n, i) : null_node(); }

static TSNode parent(TSNode n) { return ts_node_is_null(n) ? n : ts_node_parent(n); }

static bool teq(const omen_file *f, TSNode n, const char *s) {
  return !ts_node_is_null(n) && omen_node_text_eq(f, n, s);
}

static TSNode unparen(TSNode n) {
  while (go_node_is(n, GO_NODE_PARENTHESIZED_EXPRESSION) && nnamed(n) == 1)
    n = nth(n, 0);
  return n;
}

static const omen_file *file_of(const go_context *c, uint32_t file) { return c->ins->files[file]->file; }

static const char *text(const go_context *c, uint32_t file, TSNode n) {
  const omen_file *f = file_of(c, file);
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (ts_node_is_null(n) || b > f->len || a > b)
    return NULL;
  return omen_arena_strndup(c->arena, f->text + a, b - a);
}

/* The text of n in buf (cap bytes, NUL-terminated) when it fits, else in the arena; NULL when absent.
 * Hot paths use this to test names without an arena copy per node. */
static const char *text_buf(const go_context *c, uint32_t file, TSNode n, char *buf, size_t cap) {
  const omen_file *f = file_of(c, file);
  if (ts_node_is_null(n))
    return NULL;
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b > f->len || a > b)
    return NULL;
  if (b - a >= cap)
    return text(c, file, n);
  memcpy(buf, f->text + a, b - a);
  buf[b - a] = '\0';
  return buf;
}

static bool text_eq(const go_context *c, uint32_t file, TSNode n, const char *s) {
  return !ts_node_is_null(n) && teq(file_of(c, file), n, s);
}

static bool type_is(const char *node_type, TSNode n) {
  return !ts_node_is_null(n) && strcmp(ts_node_type(n), node_type) == 0;
}

/* ---------- functions by node ---------- */

static int32_t func_index(const go_context *c, uint32_t file, TSNode fn) {
  if (ts_node_is_null(fn))
    return -1;
  const go_site *v = c->ins->sites[GO_SITE_FUNC];
  uint32_t at = ts_node_start_byte(fn);
  size_t lo = 0, hi = c->ins->nsites[GO_SITE_FUNC];
  /* FUNC sites are in walk order: by file, then by start byte (an outer function starts first) */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uint32_t mf = v[mid].file, ms = ts_node_start_byte(v[mid].node);
    if (mf < file || (mf == file && ms < at))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < c->ins->nsites[GO_SITE_FUNC] && v[lo].file == file && ts_node_eq(v[lo].node, fn))
    return (int32_t)lo;
  return -1;
}

const go_ctx_func *go_context_func(const go_context *c, const go_site *fn) {
  if (!c || !fn || fn->kind != GO_SITE_FUNC)
    return NULL;
  const go_site *base = c->ins->sites[GO_SITE_FUNC];
  if (fn < base || fn >= base + c->nfuncs)
    return NULL;
  return &c->funcs[fn - base];
}

const go_ctx_func *go_context_func_node(const go_context *c, uint32_t file, TSNode fn) {
  if (!c || file >= c->ins->nfiles)
    return NULL;
  int32_t i = func_index(c, file, fn);
  return i < 0 ? NULL : &c->funcs[i];
}

const go_ctx_func *go_context_func_at(const go_context *c, uint32_t file, TSNode n) {
  if (!c || ts_node_is_null(n))
    return NULL;
  return go_context_func(c, go_inspect_func_around(c->ins, file, n));
}

/* ---------- signatures ---------- */

static bool is_handler_sig(const go_sig *s) {
  return s && s->nparams == 2 && s->params[0].type && s->params[1].type &&
         strcmp(s->params[0].type, "net/http.ResponseWriter") == 0 &&
         strcmp(s->params[1].type, "*net/http.Request") == 0;
}

/* The type name of a canonical named type: "*example.com/pb.HelloRequest" -> "HelloRequest"; NULL for
 * unnamed types. */
static const char *named_base(const char *ty, bool *ptr) {
  if (!ty)
    return NULL;
  if (ptr)
    *ptr = ty[0] == '*';
  if (ty[0] == '*')
    ty++;
  if (!ty[0] || strchr("[]({ ", ty[0]) || strncmp(ty, "map[", 4) == 0 || strncmp(ty, "chan", 4) == 0 ||
      strncmp(ty, "func", 4) == 0 || strncmp(ty, "<-", 2) == 0 || strncmp(ty, "struct", 6) == 0 ||
      strncmp(ty, "interface", 9) == 0)
    return NULL;
  if (strchr(ty, '['))
    return NULL; /* generic instance */
  const char *dot = strrchr(ty, '.');
  return dot ? dot + 1 : ty;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool go_context_is_grpc_stream(const char *ty, bool *server) {
  bool ptr;
  const char *name = named_base(ty, &ptr);
  if (!name || ptr || !strchr(name, '_') || name[0] == '_')
    return false;
  bool srv = ends_with(name, "Server"), cli = ends_with(name, "Client");
  if (server)
    *server = srv;
  return srv || cli;
}

static bool is_grpc_sig(const go_sig *s) {
  if (!s)
    return false;
  if (s->nparams == 2 && s->nresults == 2 && s->params[0].type && s->params[1].type && s->results[0].type &&
      s->results[1].type && strcmp(s->params[0].type, "context.Context") == 0 &&
      strcmp(s->results[1].type, "error") == 0) {
    bool p1, p2;
    const char *req = named_base(s->params[1].type, &p1), *resp = named_base(s->results[0].type, &p2);
    if (!req || !resp || !p1 || !p2)
      return false;
    bool req_ok = ends_with(req, "Request") || ends_with(req, "Req");
    bool resp_ok = ends_with(resp, "Response") || ends_with(resp, "Reply") || ends_with(resp, "Resp") ||
                   ends_with(s->results[0].type, "/emptypb.Empty");
    return req_ok && resp_ok;
  }
  /* streams: (stream Svc_MServer) or (req *XRequest, stream Svc_MServer), returning error */
  if ((s->nparams == 1 || s->nparams == 2) && s->nresults == 1 && s->results[0].type &&
      strcmp(s->results[0].type, "error") == 0) {
    bool server;
    return go_context_is_grpc_stream(s->params[s->nparams - 1].type, &server) && server;
  }
  return false;
}

/* ---------- callee resolution ---------- */

typedef struct type_slot {
  uint64_t key; /* file and start byte of the declaring identifier, plus one */
  const char *type;
} type_slot;

typedef struct builder {
  go_context *c;
  go_ctx_edge *edges;
  size_t nedges, cap;
  const char **mnames; /* sorted method names of the package (a cheap filter before type-lite) */
  size_t nmnames;
  /* sorted names an identifier callee may resolve through: package functions, and names declared
   * together with a func literal value (a superset of the locals bound to one) */
  const char **fnames;
  size_t nfnames, fcap;
  /* types of local variables by declaring identifier (open addressing; key 0 is empty): a receiver
   * variable is typed once, not at every method call on it */
  type_slot *types;
  size_t ntypes, tcap;
  const go_site *fn; /* the innermost function of the call site being resolved; NULL at top level */
} builder;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool has_method_name(const builder *b, const char *name) {
  return name && b->nmnames && bsearch(&name, b->mnames, b->nmnames, sizeof *b->mnames, cmp_str) != NULL;
}

static bool has_func_name(const builder *b, const char *name) {
  return name && b->nfnames && bsearch(&name, b->fnames, b->nfnames, sizeof *b->fnames, cmp_str) != NULL;
}

/* The value expression that declared identifier `name` (a short_var_declaration or var_spec) binds;
 * null when the shapes do not line up one to one. */


/* A package type name from a canonical type: "*T" -> "T"; NULL for other packages and unnamed types. */
static const char *local_type_name(const char *ty) {
  bool ptr;
  const char *name = named_base(ty, &ptr);
  if (!name)
    return NULL;
  const char *base = ty[0] == '*' ? ty + 1 : ty;
  return strchr(base, '.') || strchr(base, '/') ? NULL : name;
}

/* The declaration of method mname of package type recv, looking through embedded fields. */
static const go_method *find_method(const go_types *t, const char *recv, const char *mname, int depth) {
  if (!recv || depth > MAX_EMBED)
    return NULL;
  const go_method *m = go_types_method(t, recv, mname);
  if (m)
    return m;
  const go_struct *st = go_types_struct(t, recv);
  for (size_t i = 0; st && i < st->nfields; i++) {
    if (!st->fields[i].embedded)
      continue;
    m = find_method(t, local_type_name(st->fields[i].type), mname, depth + 1);
    if (m)
      return m;
  }
  return NULL;
}

static uint64_t type_key(uint32_t file, TSNode name) {
  return ((uint64_t)file << 32 | ts_node_start_byte(name)) + 1;
}

static type_slot *find_slot(const builder *b, uint64_t key) {
  size_t mask = b->tcap - 1, i = (size_t)(key * 0x9e3779b97f4a7c15ull >> 20) & mask;
  while (b->types[i].key && b->types[i].key != key)
    i = (i + 1) & mask;
  return &b->types[i];
}

/* The type of identifier id when it names a receiver, parameter or result of function fn that fn
 * declares nowhere else (go_inspect_func_declares): then every use in fn's own body is that one, and
 * no scope walk is needed. Returns false when that does not hold; *ty may be NULL (unknown type). */
static bool param_type(const go_context *c, const go_site *fn, uint32_t file, TSNode id, const char **ty) {
  char buf[128];
  const char *name = text_buf(c, file, id, buf, sizeof buf);
  if (!fn || !name || go_inspect_func_declares(c->ins, fn, name) != 1)
    return false;
  static const go_fid lists[] = {GO_F_RECEIVER, GO_F_PARAMETERS, GO_F_RESULT};
  for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
    TSNode pl = go_node_child(fn->node, lists[k]);
    if (!type_is("parameter_list", pl))
      continue;
    uint32_t np = nnamed(pl);
    for (uint32_t i = 0; i < np; i++) {
      TSNode pd = nth(pl, i);
      if (!go_node_is(pd, GO_NODE_PARAMETER_DECLARATION))
        continue; /* a variadic parameter is typed []T: leave it to the full lookup */
      uint32_t nc = nnamed(pd);
      for (uint32_t j = 0; j < nc; j++) {
        TSNode nm = nth(pd, j);
        if (go_node_is(nm, GO_NODE_IDENTIFIER) && text_eq(c, file, nm, name)) {
          *ty = go_types_canonical(c->types, file, go_node_child(pd, GO_F_TYPE));
          return true;
        }
      }
    }
  }
  return false;
}

/* param_type extended through field selections: `s.conn` where s is such a parameter of a package
 * struct type and conn a field declared in that struct (not promoted). False when that does not
 * hold. */
static bool fast_type(const go_context *c, const go_site *fn, uint32_t file, TSNode op, const char **ty, int depth) {
  op = unparen(op);
  go_node k = go_node_kind(op);
  if (k == GO_NODE_IDENTIFIER)
    return param_type(c, fn, file, op, ty);
  if (k != GO_NODE_SELECTOR_EXPRESSION || depth >= MAX_DEPTH)
    return false;
  const char *xt;
  if (!fast_type(c, fn, file, go_node_child(op, GO_F_OPERAND), &xt, depth + 1) || !xt)
    return false;
  const char *name = local_type_name(xt);
  const go_struct *st = name ? go_types_struct(c->types, name) : NULL;
  char buf[128];
  const char *fname = text_buf(c, file, go_node_child(op, GO_F_FIELD), buf, sizeof buf);
  const go_field *fd = st && fname ? go_types_field(st, fname) : NULL;
  if (!fd)
    return false;
  *ty = fd->type;
  return true;
}

/* go_types_type_of(op), remembered per local variable when b is set. A type-switch variable is not
 * remembered: its type depends on the case the use is in. */
static const char *operand_type(const go_context *c, builder *b, uint32_t file, TSNode op) {
  const go_types *t = c->types;
  const char *pty;
  if (b && fast_type(c, b->fn, file, op, &pty, 0))
    return pty;
  go_binding bd;
  if (!b || !go_node_is(unparen(op), GO_NODE_IDENTIFIER) ||
      go_types_lookup_ident(t, file, unparen(op), &bd) != GO_BIND_LOCAL || ts_node_is_null(bd.name) ||
      go_node_is(bd.decl, GO_NODE_TYPE_SWITCH_STATEMENT))
    return go_types_type_of(t, file, op);
  if (2 * (b->ntypes + 1) > b->tcap) {
    size_t cap = b->tcap ? b->tcap * 2 : 1024;
    type_slot *old = b->types, *v = calloc(cap, sizeof *v);
    if (!v)
      return go_types_type_of(t, file, op);
    size_t ocap = b->tcap;
    b->types = v;
    b->tcap = cap;
    for (size_t i = 0; i < ocap; i++)
      if (old[i].key)
        *find_slot(b, old[i].key) = old[i];
    free(old);
  }
  uint64_t key = type_key(file, bd.name);
  type_slot *sl = find_slot(b, key);
  if (!sl->key) {
    sl->key = key;
    sl->type = go_types_type_of(t, file, op);
    b->ntypes++;
  }
  return sl->type;
}

/* Could selector e be `pkg.Name` (go_types_qualified): is its operand an identifier that some import
 * of file binds? A cheap test before the scope lookup. */
static bool may_be_import(const go_context *c, uint32_t file, TSNode e) {
  TSNode op = unparen(go_node_child(e, GO_F_OPERAND));
  if (!go_node_is(op, GO_NODE_IDENTIFIER))
    return false;
  char buf[128];
  const char *name = text_buf(c, file, op, buf, sizeof buf);
  size_t n = 0;
  const go_import *im = go_types_imports(c->types, file, &n);
  for (size_t i = 0; name && i < n; i++)
    if (im[i].name && strcmp(im[i].name, name) == 0)
      return true;
  return false;
}

/* Does fn (a GO_SITE_FUNC site) or a function enclosing it declare name, or might it (unknown)? */
static bool declared_in_chain(const go_context *c, const go_site *fn, const char *name) {
  const go_inspect *ins = c->ins;
  for (int depth = 0; fn; depth++) {
    if (depth > 64 || go_inspect_func_declares(ins, fn, name) != 0)
      return true; /* declared, or unknown (SIZE_MAX) */
    fn = go_inspect_func_of(ins, fn);
  }
  return false;
}

/* The function (index) an expression in callee or value position denotes: a func literal, a package
 * function, a local bound to a func literal, or a method value of a package type; -1 otherwise. */
static int32_t resolve_func(const go_context *c, builder *b, uint32_t file, TSNode e, int depth) {
  e = unparen(e);
  if (depth > MAX_DEPTH)
    return -1;
  const go_types *t = c->types;
  go_node k = go_node_kind(e);
  if (k == GO_NODE_FUNC_LITERAL)
    return func_index(c, file, e);
  if (k == GO_NODE_IDENTIFIER) {
    char buf[128];
    const char *name = text_buf(c, file, e, buf, sizeof buf);
    if (b && !has_func_name(b, name))
      return -1; /* neither a package function nor a name bound to a literal: skip the scope lookup */
    if (b && b->fn && name && !declared_in_chain(c, b->fn, name)) {
      /* no enclosing function declares it: the package's own (imports are not callable) */
      const go_decl *d = go_types_decl(t, name);
      return d && d->kind == GO_DECL_FUNC ? func_index(c, d->file, d->spec) : -1;
    }
    go_binding bd;
    switch (go_types_lookup_ident(t, file, e, &bd)) {
    case GO_BIND_PACKAGE:
      if (bd.pkg->kind == GO_DECL_FUNC)
        return func_index(c, bd.pkg->file, bd.pkg->spec);
      return -1;
    case GO_BIND_LOCAL: {
      TSNode v = go_fix_decl_value(bd.decl, bd.name, true);
      if (go_node_is(unparen(v), GO_NODE_FUNC_LITERAL))
        return func_index(c, file, unparen(v));
      return -1;
    }
    default:
      return -1;
    }
  }
  if (k == GO_NODE_SELECTOR_EXPRESSION) {
    TSNode field = go_node_child(e, GO_F_FIELD);
    char buf[128];
    const char *mname = text_buf(c, file, field, buf, sizeof buf);
    if (b && !has_method_name(b, mname))
      return -1;
    if (may_be_import(c, file, e) && go_types_qualified(t, file, e, NULL, NULL))
      return -1;
    TSNode op = go_node_child(e, GO_F_OPERAND);
    const char *recv = local_type_name(operand_type(c, b, file, op));
    const go_method *m = find_method(t, recv, mname, 0);
    if (!m || m->iface)
      return -1;
    return func_index(c, m->file, m->decl);
  }
  return -1;
}

const go_ctx_func *go_context_callee(const go_context *c, uint32_t file, TSNode call) {
  if (!c || file >= c->ins->nfiles || !go_node_is(call, GO_NODE_CALL_EXPRESSION))
    return NULL;
  int32_t i = resolve_func(c, NULL, file, go_node_child(call, GO_F_FUNCTION), 0);
  return i < 0 ? NULL : &c->funcs[i];
}

/* ---------- building the graph ---------- */

static bool add_edge(builder *b, int32_t caller, int32_t callee, go_ctx_edge_kind kind, uint32_t file,
                     TSNode site) {
  if (caller < 0 || callee < 0)
    return true;
  if (b->nedges == MAX_EDGES) {
    b->c->truncated = true;
    return true;
  }
  if (b->nedges == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    go_ctx_edge *v = realloc(b->edges, cap * sizeof *v);
    if (!v)
      return false;
    b->edges = v;
    b->cap = cap;
  }
  b->edges[b->nedges++] = (go_ctx_edge){(uint32_t)caller, (uint32_t)callee, kind, file, site};
  return true;
}

/* Is the call a handler registration: http.HandleFunc/Handle, x.HandleFunc/Handle (a mux), or the
 * conversion http.HandlerFunc(f)? *arg gets the index of the handler argument. */
static bool is_registration(const go_context *c, const go_site *s, uint32_t *arg) {
  const char *path, *name;
  if (s->name && strcmp(s->name, "HandlerFunc") != 0 && strcmp(s->name, "HandleFunc") != 0 &&
      strcmp(s->name, "Handle") != 0)
    return false; /* the name decides below; skip the import lookup */
  bool qualified = go_types_qualified(c->types, s->file, s->sub, &path, &name);
  if (qualified && strcmp(path, "net/http") != 0)
    return false;
  if (strcmp(s->name, "HandlerFunc") == 0 && qualified) {
    *arg = 0;
    return true;
  }
  if (strcmp(s->name, "HandleFunc") == 0 || strcmp(s->name, "Handle") == 0) {
    *arg = 1;
    return go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION);
  }
  return false;
}

/* Does a call start its function argument in a goroutine: x.Go(f) (errgroup, conc) or time.AfterFunc? */
static bool starts_goroutine(const go_context *c, const go_site *s, uint32_t *arg) {
  const char *path, *name;
  if (s->name && strcmp(s->name, "AfterFunc") != 0 && strcmp(s->name, "Go") != 0)
    return false; /* only time.AfterFunc and x.Go qualify; skip the import lookup */
  if (go_types_qualified(c->types, s->file, s->sub, &path, &name)) {
    if (strcmp(path, "time") == 0 && strcmp(name, "AfterFunc") == 0) {
      *arg = 1;
      return true;
    }
    return false;
  }
  if (strcmp(s->name, "Go") == 0 && go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION)) {
    *arg = 0;
    return true;
  }
  return false;
}

static bool build_calls(builder *b) {
  go_context *c = b->c;
  const go_inspect *ins = c->ins;
  for (size_t i = 0; i < ins->nsites[GO_SITE_CALL]; i++) {
    const go_site *s = &ins->sites[GO_SITE_CALL][i];
    int32_t caller = s->func_index;
    b->fn = caller >= 0 ? &ins->sites[GO_SITE_FUNC][caller] : NULL;
    bool go = go_node_is(s->parent, GO_NODE_GO_STATEMENT);
    int32_t callee = resolve_func(c, b, s->file, s->sub, 0);
    if (callee >= 0) {
      if (go)
        c->funcs[callee].flags |= GO_CTX_GOROUTINE;
      /* `go func(){...}()`: the literal's GO edge comes from its parent below */
      if (!go_node_is(unparen(s->sub), GO_NODE_FUNC_LITERAL) &&
          !add_edge(b, caller, callee, go ? GO_EDGE_GO : GO_EDGE_CALL, s->file, s->node))
        return false;
    }
    TSNode args = go_node_child(s->node, GO_F_ARGUMENTS);
    uint32_t nargs = nnamed(args);
    if (nargs == 0)
      continue;
    uint32_t harg = UINT32_MAX, garg = UINT32_MAX;
    if (!is_registration(c, s, &harg))
      harg = UINT32_MAX;
    if (!starts_goroutine(c, s, &garg))
      garg = UINT32_MAX;
    uint32_t next = 0; /* index among the arguments, comments skipped */
    for (uint32_t j = 0; j < nargs; j++) {
      TSNode arg = unparen(nth(args, j));
      go_node k = go_node_kind(arg);
      if (k == GO_NODE_COMMENT)
        continue;
      uint32_t a = next++;
      if (k != GO_NODE_IDENTIFIER && k != GO_NODE_SELECTOR_EXPRESSION && k != GO_NODE_FUNC_LITERAL)
        continue;
      /* a plain identifier argument is usually data: only resolve it when it names a function */
      if (k == GO_NODE_IDENTIFIER) {
        char buf[128];
        const char *name = text_buf(c, s->file, arg, buf, sizeof buf);
        const go_decl *d = name ? go_types_decl(c->types, name) : NULL;
        bool maybe_local_lit = a == harg || a == garg;
        if (!maybe_local_lit && (!d || d->kind != GO_DECL_FUNC))
          continue;
      }
      int32_t f = resolve_func(c, b, s->file, arg, 0);
      if (f < 0)
        continue;
      if (a == harg)
        c->funcs[f].flags |= GO_CTX_HANDLER;
      if (a == garg)
        c->funcs[f].flags |= GO_CTX_GOROUTINE;
      if (k != GO_NODE_FUNC_LITERAL &&
          !add_edge(b, caller, f, a == garg ? GO_EDGE_GO : GO_EDGE_REF, s->file, s->node))
        return false;
    }
  }
  return true;
}

/* How a func literal is run: started by `go`, deferred, passed to a goroutine starter, or other. */
typedef enum lit_use { LIT_PLAIN = 0, LIT_GO, LIT_DEFER } lit_use;

/* literal_use with the literal's parent p already known. */
static lit_use literal_use_in(const go_context *c, uint32_t file, TSNode p) {
  while (go_node_is(p, GO_NODE_PARENTHESIZED_EXPRESSION))
    p = parent(p);
  if (go_node_is(p, GO_NODE_CALL_EXPRESSION)) {
    TSNode g = parent(p);
    if (go_node_is(g, GO_NODE_GO_STATEMENT))
      return LIT_GO;
    if (go_node_is(g, GO_NODE_DEFER_STATEMENT))
      return LIT_DEFER;
    return LIT_PLAIN;
  }
  if (type_is("argument_list", p)) {
    TSNode call = parent(p);
    TSNode fn = go_node_child(call, GO_F_FUNCTION);
    const char *path, *name;
    if (go_types_qualified(c->types, file, fn, &path, &name))
      return strcmp(path, "time") == 0 && strcmp(name, "AfterFunc") == 0 ? LIT_GO : LIT_PLAIN;
    if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) && text_eq(c, file, go_node_child(fn, GO_F_FIELD), "Go"))
      return LIT_GO;
  }
  return LIT_PLAIN;
}

static lit_use literal_use(const go_context *c, uint32_t file, TSNode lit) {
  return literal_use_in(c, file, parent(lit));
}

static bool build_literals(builder *b) {
  go_context *c = b->c;
  for (size_t i = 0; i < c->nfuncs; i++) {
    go_ctx_func *f = &c->funcs[i];
    if (f->site->fkind != GO_FUNC_LIT || f->parent < 0)
      continue;
    lit_use u = literal_use_in(c, f->site->file, f->site->parent);
    if (u == LIT_GO)
      f->flags |= GO_CTX_GOROUTINE;
    if (!add_edge(b, f->parent, (int32_t)i, u == LIT_GO ? GO_EDGE_GO : GO_EDGE_LIT, f->site->file,
                  f->site->node))
      return false;
  }
  return true;
}

static int cmp_edge(const void *a, const void *b) {
  const go_ctx_edge *x = a, *y = b;
  if (x->caller != y->caller)
    return x->caller < y->caller ? -1 : 1;
  if (x->file != y->file)
    return x->file < y->file ? -1 : 1;
  uint32_t sx = ts_node_start_byte(x->site), sy = ts_node_start_byte(y->site);
  return sx < sy ? -1 : sx > sy;
}

/* Fill out/in ranges and the in-edge index (counting sort by callee, stable). */
static bool index_edges(go_context *c) {
  for (size_t i = 0; i < c->nedges; i++) {
    go_ctx_func *f = &c->funcs[c->edges[i].caller];
    if (f->nout == 0)
      f->out = (uint32_t)i;
    f->nout++;
    c->funcs[c->edges[i].callee].nin++;
  }
  uint32_t pos = 0;
  for (size_t i = 0; i < c->nfuncs; i++) {
    c->funcs[i].in = pos;
    pos += c->funcs[i].nin;
  }
  c->in_edges = omen_arena_alloc(c->arena, (c->nedges ? c->nedges : 1) * sizeof *c->in_edges);
  uint32_t *fill = calloc(c->nfuncs ? c->nfuncs : 1, sizeof *fill);
  if (!c->in_edges || !fill) {
    free(fill);
    return false;
  }
  for (size_t i = 0; i < c->nedges; i++) {
    uint32_t callee = c->edges[i].callee;
    c->in_edges[c->funcs[callee].in + fill[callee]++] = (uint32_t)i;
  }
  free(fill);
  return true;
}

/* Breadth-first from every concurrent root along CALL, REF and LIT edges. */
static bool mark_reachable(go_context *c) {
  uint32_t *queue = malloc((c->nfuncs ? c->nfuncs : 1) * sizeof *queue);
  bool *seen = calloc(c->nfuncs ? c->nfuncs : 1, sizeof *seen);
  if (!queue || !seen) {
    free(queue);
    free(seen);
    return false;
  }
  size_t head = 0, tail = 0;
  for (size_t i = 0; i < c->nfuncs; i++)
    if (c->funcs[i].flags & (GO_CTX_HANDLER | GO_CTX_GRPC | GO_CTX_GOROUTINE)) {
      seen[i] = true;
      queue[tail++] = (uint32_t)i;
    }
  while (head < tail) {
    uint32_t u = queue[head++];
    const go_ctx_func *f = &c->funcs[u];
    for (uint32_t e = f->out; e < f->out + f->nout; e++) {
      const go_ctx_edge *ed = &c->edges[e];
      if (ed->kind == GO_EDGE_GO)
        continue; /* the callee is a root of its own */
      go_ctx_func *g = &c->funcs[ed->callee];
      if (!(g->flags & GO_CTX_REACHABLE) && ed->callee != u) {
        g->flags |= GO_CTX_REACHABLE;
        g->via = (int32_t)u;
      }
      if (!seen[ed->callee]) {
        seen[ed->callee] = true;
        queue[tail++] = ed->callee;
      }
    }
  }
  free(queue);
  free(seen);
  return true;
}

unsigned go_context_flags_at(const go_context *c, uint32_t file, TSNode n) {
  const go_ctx_func *f = go_context_func_at(c, file, n);
  unsigned flags = 0;
  for (int guard = 0; f && guard < 64; guard++) {
    flags |= f->flags;
    if (f->site->fkind != GO_FUNC_LIT || f->parent < 0 || (f->flags & GO_CTX_GOROUTINE))
      break;
    f = &c->funcs[f->parent];
  }
  return flags;
}

/* ---------- contexts ---------- */

static bool is_ctx_type(const char *ty) { return ty && strcmp(ty, "context.Context") == 0; }

static go_ctx_origin origin(const go_context *c, uint32_t file, TSNode e, bool *deadline, int depth);

/* The origin of the value bound to a local identifier. */
static go_ctx_origin ident_origin(const go_context *c, uint32_t file, TSNode id, bool *deadline, int depth) {
  go_binding b;
  if (go_types_lookup_ident(c->types, file, id, &b) != GO_BIND_LOCAL)
    return GO_ORIGIN_UNKNOWN;
  go_node k = go_node_kind(b.decl);
  if (k == GO_NODE_PARAMETER_DECLARATION)
    return is_ctx_type(go_types_type_of(c->types, file, id)) ? GO_ORIGIN_PARAM : GO_ORIGIN_UNKNOWN;
  TSNode v = go_fix_decl_value(b.decl, b.name, true);
  if (ts_node_is_null(v))
    return GO_ORIGIN_UNKNOWN;
  return origin(c, file, v, deadline, depth + 1);
}

static go_ctx_origin origin(const go_context *c, uint32_t file, TSNode e, bool *deadline, int depth) {
  e = unparen(e);
  if (depth > MAX_DEPTH)
    return GO_ORIGIN_UNKNOWN;
  if (go_node_is(e, GO_NODE_IDENTIFIER))
    return ident_origin(c, file, e, deadline, depth);
  if (!go_node_is(e, GO_NODE_CALL_EXPRESSION))
    return GO_ORIGIN_UNKNOWN;
  TSNode fn = unparen(go_node_child(e, GO_F_FUNCTION)), args = go_node_child(e, GO_F_ARGUMENTS);
  uint32_t nargs = nnamed(args);
  TSNode arg0 = nargs ? nth(args, 0) : null_node();
  const char *path, *name;
  if (go_types_qualified(c->types, file, fn, &path, &name)) {
    if (strcmp(path, "context") == 0) {
      if (strcmp(name, "Background") == 0 || strcmp(name, "TODO") == 0 || strcmp(name, "WithoutCancel") == 0)
        return GO_ORIGIN_BACKGROUND;
      if (strncmp(name, "WithTimeout", 11) == 0 || strncmp(name, "WithDeadline", 12) == 0) {
        if (deadline)
          *deadline = true;
        return origin(c, file, arg0, deadline, depth + 1);
      }
      if (strncmp(name, "With", 4) == 0)
        return origin(c, file, arg0, deadline, depth + 1);
      return GO_ORIGIN_UNKNOWN;
    }
  }
  if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) && nargs == 0 &&
      text_eq(c, file, go_node_child(fn, GO_F_FIELD), "Context")) {
    const char *ty = go_types_type_of(c->types, file, go_node_child(fn, GO_F_OPERAND));
    if (ty && strcmp(ty, "*net/http.Request") == 0)
      return GO_ORIGIN_REQUEST;
    if (go_context_is_grpc_stream(ty, NULL))
      return GO_ORIGIN_STREAM;
    return GO_ORIGIN_UNKNOWN;
  }
  /* derivations outside package context take the parent first: metadata.NewOutgoingContext(ctx, md) */
  if (nargs && is_ctx_type(go_types_type_of(c->types, file, arg0)))
    return origin(c, file, arg0, deadline, depth + 1);
  return GO_ORIGIN_UNKNOWN;
}

go_ctx_origin go_context_origin(const go_context *c, uint32_t file, TSNode expr, bool *deadline) {
  if (deadline)
    *deadline = false;
  if (!c || file >= c->ins->nfiles || ts_node_is_null(expr))
    return GO_ORIGIN_UNKNOWN;
  return origin(c, file, expr, deadline, 0);
}

/* Does name, looked up at `at`, still mean the declaring identifier decl_name / node decl? */
static bool visible(const go_context *c, uint32_t file, TSNode at, TSNode decl_name) {
  const char *name = text(c, file, decl_name);
  go_binding b;
  if (!name || go_types_lookup(c->types, file, at, name, &b) != GO_BIND_LOCAL)
    return false;
  return ts_node_eq(b.name, decl_name);
}

/* Is e a call of context.Background, TODO or WithoutCancel (a context nothing can cancel)? */
static bool is_detached_call(const go_context *c, uint32_t file, TSNode e) {
  const char *path, *name;
  if (!go_node_is(e, GO_NODE_CALL_EXPRESSION) ||
      !go_types_qualified(c->types, file, go_node_child(e, GO_F_FUNCTION), &path, &name) ||
      strcmp(path, "context") != 0)
    return false;
  return strcmp(name, "Background") == 0 || strcmp(name, "TODO") == 0 || strcmp(name, "WithoutCancel") == 0;
}

/* Does the code between offsets from and to of scope end the context named ctx_name on purpose, so that
 * a call after it may rightly not use it: calls or hands off its cancel function (other than
 * `defer cancel()`), waits for it with a `<-ctx.Done()` statement, or compares an error with
 * context.DeadlineExceeded or context.Canceled (it expects the context to have ended)? */
static bool ended_between(const go_context *c, uint32_t file, TSNode scope, const char *ctx_name,
                          TSNode cancel, uint32_t from, uint32_t to) {
  const omen_file *f = file_of(c, file);
  const char *cname = ts_node_is_null(cancel) ? NULL : text(c, file, cancel);
  TSTreeCursor cur = ts_tree_cursor_new(scope);
  bool ended = false;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    uint32_t ns = ts_node_start_byte(n), ne = ts_node_end_byte(n);
    bool overlaps = ne > from && ns < to, inside = ns >= from && ne <= to;
    go_node k = go_node_kind(n);
    if (inside && k == GO_NODE_IDENTIFIER && cname && teq(f, n, cname)) {
      TSNode call = parent(n);
      bool deferred = go_node_is(call, GO_NODE_CALL_EXPRESSION) &&
                      ts_node_eq(go_node_child(call, GO_F_FUNCTION), n) &&
                      go_node_is(parent(call), GO_NODE_DEFER_STATEMENT);
      go_binding b;
      if (!deferred && go_types_lookup_ident(c->types, file, n, &b) == GO_BIND_LOCAL &&
          ts_node_eq(b.name, cancel))
        ended = true;
    } else if (inside && k == GO_NODE_SELECTOR_EXPRESSION) {
      const char *path, *name;
      TSNode field = go_node_child(n, GO_F_FIELD), op = go_node_child(n, GO_F_OPERAND);
      if (go_types_qualified(c->types, file, n, &path, &name) && strcmp(path, "context") == 0 &&
          (strcmp(name, "DeadlineExceeded") == 0 || strcmp(name, "Canceled") == 0))
        ended = true;
      /* `<-ctx.Done()` as a statement of its own */
      TSNode call = parent(n), recv = parent(call);
      if (text_eq(c, file, field, "Done") && text_eq(c, file, op, ctx_name) &&
          go_node_is(recv, GO_NODE_UNARY_EXPRESSION) && type_is("expression_statement", parent(recv)))
        ended = true;
    }
    if (ended)
      break;
    if (!go_ts_cursor_next(&cur, overlaps))
      break;
  }
  ts_tree_cursor_delete(&cur);
  return ended;
}

/* ended_between for a context variable declared by decl (`ctx, cancel := ...`): from the declaration to at.
 */
static bool var_ended_before(const go_context *c, uint32_t file, TSNode decl, TSNode ctx_id, TSNode at) {
  TSNode cancel;
  memset(&cancel, 0, sizeof cancel);
  if (go_node_is(decl, GO_NODE_SHORT_VAR_DECLARATION)) {
    TSNode left = go_node_child(decl, GO_F_LEFT);
    if (nnamed(left) == 2 && ts_node_eq(nth(left, 0), ctx_id) &&
        go_node_is(nth(left, 1), GO_NODE_IDENTIFIER) && !text_eq(c, file, nth(left, 1), "_"))
      cancel = nth(left, 1);
  }
  const char *name = text(c, file, ctx_id);
  return name &&
         ended_between(c, file, parent(decl), name, cancel, ts_node_end_byte(decl), ts_node_start_byte(at));
}

/* A context variable declared by identifier id (a left-hand name of a declaration). */
static bool ctx_var(const go_context *c, uint32_t file, TSNode at, TSNode decl, TSNode id, go_ctx_ref *out) {
  if (!go_node_is(id, GO_NODE_IDENTIFIER) || text_eq(c, file, id, "_"))
    return false;
  TSNode v = unparen(go_fix_decl_value(decl, id, true));
  go_node vk = go_node_kind(v);
  /* cheap filter before type-lite: contexts come from calls or other variables */
  if (vk != GO_NODE_CALL_EXPRESSION && vk != GO_NODE_IDENTIFIER && vk != GO_NODE_SELECTOR_EXPRESSION)
    return false;
  if (!is_ctx_type(go_types_type_of(c->types, file, id)))
    return false;
  bool deadline = false;
  go_ctx_origin o = origin(c, file, v, &deadline, 0);
  if (o == GO_ORIGIN_BACKGROUND && is_detached_call(c, file, v))
    return false; /* context.Background() itself: nothing can cancel it */
  if (!visible(c, file, at, id))
    return false;
  out->expr = text(c, file, id);
  out->origin = o;
  out->deadline = deadline;
  out->decl = decl;
  out->cancelled = var_ended_before(c, file, decl, id, at);
  return out->expr != NULL;
}

/* Context variables declared by statement s (the latest one in it). */
static bool stmt_ctx(const go_context *c, uint32_t file, TSNode at, TSNode s, go_ctx_ref *out) {
  if (go_node_is(s, GO_NODE_SHORT_VAR_DECLARATION)) {
    TSNode left = go_node_child(s, GO_F_LEFT);
    uint32_t n = nnamed(left);
    for (uint32_t i = 0; i < n; i++)
      if (ctx_var(c, file, at, s, nth(left, i), out))
        return true;
    return false;
  }
  if (go_node_is(s, GO_NODE_VAR_DECLARATION) || go_node_is(s, GO_NODE_VAR_SPEC_LIST)) {
    uint32_t n = nnamed(s);
    for (uint32_t i = n; i > 0; i--)
      if (stmt_ctx(c, file, at, nth(s, i - 1), out))
        return true;
    return false;
  }
  if (go_node_is(s, GO_NODE_VAR_SPEC)) {
    uint32_t n = nnamed(s);
    for (uint32_t i = 0; i < n; i++) {
      TSNode id = nth(s, i);
      if (go_node_is(id, GO_NODE_IDENTIFIER) && ctx_var(c, file, at, s, id, out))
        return true;
    }
  }
  return false;
}

/* Parameters of function fn that give a context: a context.Context, an *http.Request, a gRPC stream. */
/* Is fn's *http.Request parameter the request it serves: an HTTP handler, or a RoundTrip method? (A
 * helper that takes a request to copy or compare it is not bound to that request's lifetime.) */
static bool request_scoped(const go_context *c, uint32_t file, TSNode fn) {
  const go_ctx_func *f = go_context_func_node(c, file, fn);
  if (f && (f->flags & GO_CTX_HANDLER))
    return true;
  return go_node_is(fn, GO_NODE_METHOD_DECLARATION) &&
         text_eq(c, file, go_node_child(fn, GO_F_NAME), "RoundTrip");
}

static bool param_ctx(const go_context *c, uint32_t file, TSNode at, TSNode fn, unsigned opts,
                      go_ctx_ref *out) {
  const go_sig *s = go_node_is(fn, GO_NODE_FUNC_LITERAL) ? go_types_sig_of_lit(c->types, file, fn)
                                                         : go_types_sig_of(c->types, fn);
  if (!s)
    return false;
  static const go_ctx_origin order[] = {GO_ORIGIN_PARAM, GO_ORIGIN_REQUEST, GO_ORIGIN_STREAM};
  for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
    for (size_t i = 0; i < s->nparams; i++) {
      const go_param *p = &s->params[i];
      if (!p->name || !p->type || strcmp(p->name, "_") == 0)
        continue;
      bool server = false;
      bool match = (order[o] == GO_ORIGIN_PARAM && is_ctx_type(p->type)) ||
                   (order[o] == GO_ORIGIN_REQUEST && strcmp(p->type, "*net/http.Request") == 0 &&
                    ((opts & GO_CTX_SCOPE_ANY_REQUEST) || request_scoped(c, file, fn))) ||
                   (order[o] == GO_ORIGIN_STREAM && go_context_is_grpc_stream(p->type, &server) && server);
      if (!match)
        continue;
      /* the declaring identifier: the parameter_declaration's name child with this text */
      TSNode id = null_node();
      uint32_t nc = nnamed(p->node);
      for (uint32_t k = 0; k < nc; k++) {
        TSNode ch = nth(p->node, k);
        if (go_node_is(ch, GO_NODE_IDENTIFIER) && text_eq(c, file, ch, p->name))
          id = ch;
      }
      if (ts_node_is_null(id) || !visible(c, file, at, id))
        continue;
      out->expr =
          order[o] == GO_ORIGIN_PARAM ? p->name : omen_arena_printf(c->arena, "%s.Context()", p->name);
      out->origin = order[o];
      out->deadline = false;
      out->decl = p->node;
      TSNode body = go_node_child(fn, GO_F_BODY);
      out->cancelled = order[o] == GO_ORIGIN_PARAM && !ts_node_is_null(body) &&
                       ended_between(c, file, body, p->name, null_node(), ts_node_start_byte(body),
                                     ts_node_start_byte(at));
      return out->expr != NULL;
    }
  }
  return false;
}

static bool is_case(go_node k) {
  return k == GO_NODE_BLOCK || k == GO_NODE_EXPRESSION_CASE || k == GO_NODE_DEFAULT_CASE ||
         k == GO_NODE_TYPE_CASE || k == GO_NODE_COMMUNICATION_CASE;
}

bool go_context_in_scope(const go_context *c, uint32_t file, TSNode at, unsigned opts, go_ctx_ref *out) {
  go_ctx_ref tmp;
  if (!out)
    out = &tmp;
  memset(out, 0, sizeof *out);
  if (!c || file >= c->ins->nfiles || ts_node_is_null(at))
    return false;
  bool crossed = false;
  TSNode child = at, p = parent(at);
  for (int guard = 0; !ts_node_is_null(p) && guard < 4096; guard++, child = p, p = parent(p)) {
    go_node k = go_node_kind(p);
    if (is_case(k)) {
      /* statements before child, latest first */
      uint32_t n = nnamed(p);
      uint32_t idx = n;
      for (uint32_t i = 0; i < n; i++)
        if (ts_node_eq(nth(p, i), child))
          idx = i;
      for (uint32_t i = idx; i > 0; i--) {
        TSNode s = nth(p, i - 1);
        if (ts_node_end_byte(s) > ts_node_start_byte(child))
          continue;
        if (stmt_ctx(c, file, at, s, out)) {
          out->crossed_lit = crossed;
          return true;
        }
      }
    } else if (k == GO_NODE_IF_STATEMENT || k == GO_NODE_EXPRESSION_SWITCH_STATEMENT ||
               k == GO_NODE_TYPE_SWITCH_STATEMENT || k == GO_NODE_FOR_CLAUSE) {
      TSNode init = go_node_child(p, GO_F_INITIALIZER);
      if (!ts_node_is_null(init) && !ts_node_eq(init, child) && stmt_ctx(c, file, at, init, out)) {
        out->crossed_lit = crossed;
        return true;
      }
    } else if (k == GO_NODE_FOR_STATEMENT) {
      uint32_t n = nnamed(p);
      for (uint32_t i = 0; i < n; i++) {
        TSNode fc = nth(p, i);
        TSNode init = go_node_is(fc, GO_NODE_FOR_CLAUSE) ? go_node_child(fc, GO_F_INITIALIZER) : null_node();
        if (!ts_node_is_null(init) && !ts_node_eq(fc, child) && stmt_ctx(c, file, at, init, out)) {
          out->crossed_lit = crossed;
          return true;
        }
      }
    } else if (k == GO_NODE_FUNCTION_DECLARATION || k == GO_NODE_METHOD_DECLARATION ||
               k == GO_NODE_FUNC_LITERAL) {
      if (param_ctx(c, file, at, p, opts, out)) {
        out->crossed_lit = crossed;
        return true;
      }
      if (k != GO_NODE_FUNC_LITERAL || (opts & GO_CTX_SCOPE_NO_LITERALS))
        return false;
      if (!(opts & GO_CTX_SCOPE_CROSS_GO) && literal_use(c, file, p) != LIT_PLAIN)
        return false;
      crossed = true;
    }
  }
  return false;
}

const char *go_context_at(const go_context *c, uint32_t file, TSNode at) {
  go_ctx_ref r;
  return go_context_in_scope(c, file, at, 0, &r) ? r.expr : NULL;
}

/* ---------- the analyzer ---------- */

static bool method_names(builder *b) {
  const go_types *t = b->c->types;
  if (t->nmethods == 0)
    return true;
  b->mnames = malloc(t->nmethods * sizeof *b->mnames);
  if (!b->mnames)
    return false;
  /* only concrete methods: a name that only interfaces declare never resolves */
  for (size_t i = 0; i < t->nmethods; i++)
    if (!t->methods[i].iface)
      b->mnames[b->nmnames++] = t->methods[i].name;
  if (b->nmnames == 0)
    return true;
  qsort(b->mnames, b->nmnames, sizeof *b->mnames, cmp_str);
  return true;
}

static bool push_fname(builder *b, const char *name) {
  if (!name)
    return true;
  if (b->nfnames == b->fcap) {
    size_t cap = b->fcap ? b->fcap * 2 : 256;
    const char **v = realloc(b->fnames, cap * sizeof *v);
    if (!v)
      return false;
    b->fnames = v;
    b->fcap = cap;
  }
  b->fnames[b->nfnames++] = name;
  return true;
}

/* The names resolve_func may resolve an identifier through: package functions, and every name of a
 * short_var_declaration or var_spec whose values include a func literal (what go_fix_decl_value can
 * bind one to). */
static bool func_names(builder *b) {
  const go_context *c = b->c;
  const go_types *t = c->types;
  for (size_t i = 0; i < t->ndecls; i++)
    if (t->decls[i].kind == GO_DECL_FUNC && !push_fname(b, t->decls[i].name))
      return false;
  for (size_t i = 0; i < c->nfuncs; i++) {
    const go_site *s = c->funcs[i].site;
    if (s->fkind != GO_FUNC_LIT)
      continue;
    TSNode p = s->parent;
    while (go_node_is(p, GO_NODE_PARENTHESIZED_EXPRESSION))
      p = parent(p);
    if (!go_node_is(p, GO_NODE_EXPRESSION_LIST))
      continue;
    TSNode decl = parent(p), left;
    if (go_node_is(decl, GO_NODE_SHORT_VAR_DECLARATION))
      left = go_node_child(decl, GO_F_LEFT);
    else if (go_node_is(decl, GO_NODE_VAR_SPEC))
      left = decl;
    else
      continue;
    uint32_t n = nnamed(left);
    for (uint32_t j = 0; j < n; j++) {
      TSNode id = nth(left, j);
      if (go_node_is(id, GO_NODE_IDENTIFIER) && !push_fname(b, text(c, s->file, id)))
        return false;
    }
  }
  if (b->nfnames)
    qsort(b->fnames, b->nfnames, sizeof *b->fnames, cmp_str);
  return true;
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const go_inspect *ins = omen_pass_result(pass, &omen_go_inspect);
  const go_types *ty = omen_pass_result(pass, &omen_go_types);
  if (!ins || !ty)
    return OMEN_OK;
  omen_arena *a = omen_pass_arena(pass);
  go_context *c = omen_arena_alloc(a, sizeof *c);
  if (!c)
    return OMEN_ENOMEM;
  c->ins = ins;
  c->types = ty;
  c->arena = a;
  c->nfuncs = ins->nsites[GO_SITE_FUNC];
  c->funcs = omen_arena_alloc(a, (c->nfuncs ? c->nfuncs : 1) * sizeof *c->funcs);
  if (!c->funcs)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < c->nfuncs; i++) {
    const go_site *s = &ins->sites[GO_SITE_FUNC][i];
    go_ctx_func *f = &c->funcs[i];
    f->site = s;
    f->parent = s->fkind == GO_FUNC_LIT ? s->func_index : -1;
    f->via = -1;
    f->sig =
        s->fkind == GO_FUNC_LIT ? go_types_sig_of_lit(ty, s->file, s->node) : go_types_sig_of(ty, s->node);
    if (is_handler_sig(f->sig))
      f->flags |= GO_CTX_HANDLER;
    if (s->fkind == GO_FUNC_METHOD && is_grpc_sig(f->sig))
      f->flags |= GO_CTX_GRPC;
  }
  builder b = {.c = c};
  omen_status st = OMEN_OK;
  if (!method_names(&b) || !func_names(&b) || !build_calls(&b) || !build_literals(&b))
    st = OMEN_ENOMEM;
  if (st == OMEN_OK && b.nedges) {
    qsort(b.edges, b.nedges, sizeof *b.edges, cmp_edge);
    c->edges = omen_arena_alloc(a, b.nedges * sizeof *c->edges);
    if (c->edges) {
      memcpy(c->edges, b.edges, b.nedges * sizeof *c->edges);
      c->nedges = b.nedges;
    } else {
      st = OMEN_ENOMEM;
    }
  }
  free(b.edges);
  free(b.mnames);
  free(b.fnames);
  free(b.types);
  if (st == OMEN_OK && (!index_edges(c) || !mark_reachable(c)))
    st = OMEN_ENOMEM;
  if (st != OMEN_OK)
    return st;
  *result = c;
  return OMEN_OK;
}

const omen_analyzer omen_go_context = {
    .name = "go-context",
    .title = "Package call graph, concurrency context and contexts in scope",
    .doc = "Base analyzer for Go. Builds the package call graph (calls, function values passed as "
           "arguments and func literals, resolved by name and receiver type with go-types), marks "
           "functions that may run concurrently (HTTP handlers, gRPC service methods, goroutine bodies "
           "and everything they reach), and answers which context.Context a call could use (a "
           "context parameter, `r.Context()` of an *http.Request, `stream.Context()` of a gRPC stream, "
           "or a variable derived from those). Reports nothing itself.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, NULL},
    .run = run,
};
