/* go_summary.c - base analyzer: per-function summaries of a Go unit (blocking, channel and WaitGroup ops,
 * released parameters, watched contexts), computed on request bottom-up over go-context's call graph. */
#include "go_summary.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "go_fix.h"

/* Per-function site lists, in walk order: sites of kind k of function i are
 * list[k][start[k][i] .. start[k][i+1]). */
enum { B_SEND = 0, B_RECV, B_SELECT, B_FOR, B_CALL, B_GO, B_NKINDS };
static const go_site_kind bucket_kind[B_NKINDS] = {GO_SITE_SEND, GO_SITE_RECV, GO_SITE_SELECT,
                                                   GO_SITE_FOR,  GO_SITE_CALL, GO_SITE_GO};

enum { ST_NONE = 0, ST_LOCAL, ST_DONE };

/* How an edge carries a callee's facts into its caller. */
typedef enum carry { CARRY_NONE = 0, CARRY_FULL, CARRY_CALLBACK } carry;

/* What merging along one edge needs, computed once (parent walks are not cheap in tree-sitter). */
struct edge_info {
  bool ready;
  uint8_t carry;
  unsigned place; /* place_flags of the site in the caller, plus DEFER */
  TSNode call;    /* the call binding the callee's parameters (null for callbacks) */
  TSNode site;    /* the call or literal ops are attributed to */
};

struct go_summary {
  omen_arena *arena; /* the unit's (the pass itself does not outlive run: queries come later) */
  const go_inspect *ins;
  const go_types *ty;
  const go_context *ctx;
  bool ready; /* buckets and arrays built */
  bool failed;
  uint32_t *start[B_NKINDS];
  const go_site **list[B_NKINDS];
  go_fsum *sums;
  uint8_t *state;          /* ST_* per function */
  uint32_t *opcap;         /* capacity of sums[i].ops */
  struct edge_info *einfo; /* per go-context edge, computed on first merge */
  /* Tarjan scratch, per function */
  int32_t *tindex, *tlow;
  bool *onstack;
  int32_t next_index;
};

/* ---------- small helpers ---------- */

static const omen_file *file_of(const go_summary *s, uint32_t file) { return s->ins->files[file]->file; }

static bool contains(TSNode outer, TSNode n) {
  return !ts_node_is_null(outer) && !ts_node_is_null(n) &&
         ts_node_start_byte(outer) <= ts_node_start_byte(n) && ts_node_end_byte(n) <= ts_node_end_byte(outer);
}

/* The callee name of a call (last segment), "" when it is not an identifier or selector. */
static TSNode callee_name_node(TSNode call) {
  TSNode fn = go_ts_unparen(go_node_child(call, GO_F_FUNCTION));
  if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION))
    return go_node_child(fn, GO_F_FIELD);
  if (go_node_is(fn, GO_NODE_IDENTIFIER))
    return fn;
  return go_ts_null();
}

/* Case-insensitive: does the n bytes at p contain word? */
static bool contains_ci(const char *p, size_t n, const char *word) {
  size_t m = strlen(word);
  for (size_t i = 0; i + m <= n; i++) {
    size_t k = 0;
    while (k < m && tolower((unsigned char)p[i + k]) == word[k])
      k++;
    if (k == m)
      return true;
  }
  return false;
}

/* ---------- channels that are not data: Done(), timers, quit channels ---------- */

bool go_summary_is_done_chan(const omen_file *f, TSNode x) {
  x = go_ts_unparen(x);
  if (!go_node_is(x, GO_NODE_CALL_EXPRESSION) || go_ts_nargs(go_node_child(x, GO_F_ARGUMENTS)) != 0)
    return false;
  TSNode fn = go_ts_unparen(go_node_child(x, GO_F_FUNCTION));
  return go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) && go_ts_teq(f, go_node_child(fn, GO_F_FIELD), "Done");
}

bool go_summary_is_timer_chan(const omen_file *f, TSNode x) {
  x = go_ts_unparen(x);
  if (go_node_is(x, GO_NODE_SELECTOR_EXPRESSION))
    return go_ts_teq(f, go_node_child(x, GO_F_FIELD), "C");
  if (!go_node_is(x, GO_NODE_CALL_EXPRESSION))
    return false;
  TSNode name = callee_name_node(x);
  return go_ts_teq(f, name, "After") || go_ts_teq(f, name, "Tick");
}

bool go_summary_is_quit_name(const omen_file *f, TSNode x) {
  static const char *const words[] = {"done", "quit",  "stop", "exit", "clos",  "shutdown", "cancel",
                                      "kill", "dying", "term", "halt", "abort", "finish"};
  x = go_ts_unparen(x);
  TSNode name = go_ts_null();
  if (go_node_is(x, GO_NODE_IDENTIFIER))
    name = x;
  else if (go_node_is(x, GO_NODE_SELECTOR_EXPRESSION))
    name = go_node_child(x, GO_F_FIELD);
  else if (go_node_is(x, GO_NODE_CALL_EXPRESSION))
    name = callee_name_node(x);
  if (ts_node_is_null(name))
    return false;
  uint32_t a = ts_node_start_byte(name), b = ts_node_end_byte(name);
  if (b > f->len || a >= b)
    return false;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (contains_ci(f->text + a, b - a, words[i]))
      return true;
  return false;
}

/* A select's cases: is there a way out; how many receive cases. */
static bool select_info(const omen_file *f, TSNode sel, uint32_t *nrecv) {
  bool escape = false;
  uint32_t nc = go_ts_nnamed(sel);
  *nrecv = 0;
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_named_child(sel, i);
    if (go_node_is(c, GO_NODE_DEFAULT_CASE)) {
      escape = true;
      continue;
    }
    if (!go_node_is(c, GO_NODE_COMMUNICATION_CASE) ||
        !go_node_is(go_node_child(c, GO_F_COMMUNICATION), GO_NODE_RECEIVE_STATEMENT))
      continue;
    (*nrecv)++;
    if (go_summary_case_escapes(f, c))
      escape = true;
  }
  return escape;
}

bool go_summary_case_escapes(const omen_file *f, TSNode cas) {
  TSNode comm = go_node_child(cas, GO_F_COMMUNICATION);
  if (!go_node_is(cas, GO_NODE_COMMUNICATION_CASE) || !go_node_is(comm, GO_NODE_RECEIVE_STATEMENT))
    return false;
  TSNode x = go_node_child(go_ts_unparen(go_node_child(comm, GO_F_RIGHT)), GO_F_OPERAND);
  return go_summary_is_done_chan(f, x) || go_summary_is_timer_chan(f, x) || go_summary_is_quit_name(f, x);
}

bool go_summary_select_escapes(const go_summary *s, uint32_t file, TSNode select) {
  uint32_t nrecv;
  return s && file < s->ins->nfiles && select_info(file_of(s, file), select, &nrecv);
}

const char *go_summary_block_label(go_block_kind k) {
  switch (k) {
  case GO_BLOCK_NONE:
    return "nothing";
  case GO_BLOCK_SEND:
    return "a channel send";
  case GO_BLOCK_RECV:
    return "a channel receive";
  case GO_BLOCK_RANGE:
    return "a range over a channel";
  case GO_BLOCK_SELECT:
    return "a select with no way out";
  case GO_BLOCK_SELECT0:
    return "an empty select";
  case GO_BLOCK_WAITGROUP:
    return "a WaitGroup wait";
  case GO_BLOCK_COND:
    return "a sync.Cond wait";
  case GO_BLOCK_IO:
    return "blocking network I/O";
  }
  return "?";
}

/* The text of n in the unit's arena; "" on failure. */
static const char *node_text(const go_summary *s, const omen_file *f, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (ts_node_is_null(n) || b > f->len || a > b)
    return "";
  const char *t = omen_arena_strndup(s->arena, f->text + a, b - a);
  return t ? t : "";
}

/* ---------- object identity ---------- */

/* Walks fn's parameters (receiver excluded; an unnamed parameter counts as one). Stops at parameter idx
 * (returning its declaring identifier) or at identifier id (setting *at to its index); otherwise returns
 * null with *at the count and *variadic (may be NULL) whether the last parameter is variadic. */
static TSNode walk_params(TSNode fn, uint32_t idx, TSNode id, uint32_t *at, bool *variadic) {
  TSNode list = go_node_child(fn, GO_F_PARAMETERS);
  uint32_t n = go_ts_nnamed(list);
  *at = 0;
  for (uint32_t i = 0; i < n; i++) {
    TSNode d = ts_node_named_child(list, i);
    bool v = go_node_is(d, GO_NODE_VARIADIC_PARAMETER_DECLARATION);
    if (!go_node_is(d, GO_NODE_PARAMETER_DECLARATION) && !v)
      continue;
    uint32_t names = 0, m = go_ts_nnamed(d);
    for (uint32_t k = 0; k < m; k++) {
      TSNode c = ts_node_named_child(d, k);
      if (!go_node_is(c, GO_NODE_IDENTIFIER))
        continue;
      if (ts_node_is_null(id) ? *at + names == idx : ts_node_eq(c, id)) {
        *at += names;
        return c;
      }
      names++;
    }
    *at += names ? names : 1;
    if (variadic)
      *variadic = v;
  }
  return go_ts_null();
}

/* The index of the parameter declared by identifier id among fn's parameters; -1 when it is not one. */
static int32_t param_index(TSNode fn, TSNode id) {
  uint32_t at;
  if (!contains(go_node_child(fn, GO_F_PARAMETERS), id) || ts_node_is_null(walk_params(fn, 0, id, &at, NULL)))
    return -1;
  return (int32_t)at;
}

TSNode go_summary_param(TSNode fn, uint32_t idx) {
  uint32_t at;
  return walk_params(fn, idx, go_ts_null(), &at, NULL);
}

/* How many parameters fn declares, and whether the last is variadic. */
static uint32_t param_count(TSNode fn, bool *variadic) {
  uint32_t at;
  *variadic = false;
  walk_params(fn, UINT32_MAX, go_ts_null(), &at, variadic);
  return at;
}

/* Is t a named type (no composite syntax)? */
static bool named_type(const char *t) {
  return t && *t && !strchr(t, ' ') && !strchr(t, '[') && !strchr(t, '(') && !strchr(t, '{') &&
         !strchr(t, '*');
}

bool go_summary_obj(go_summary *s, uint32_t file, TSNode fn, TSNode expr, go_obj *out) {
  memset(out, 0, sizeof *out);
  out->param = -1;
  out->name = "";
  if (!s || file >= s->ins->nfiles)
    return false;
  const omen_file *f = file_of(s, file);
  TSNode e = go_ts_unparen(expr);
  if (go_node_is(e, GO_NODE_UNARY_EXPRESSION) && go_ts_teq(f, go_node_child(e, GO_F_OPERATOR), "&"))
    e = go_ts_unparen(go_node_child(e, GO_F_OPERAND));
  go_node k = go_node_kind(e);
  if (k == GO_NODE_IDENTIFIER) {
    go_binding b;
    switch (go_types_lookup_ident(s->ty, file, e, &b)) {
    case GO_BIND_LOCAL:
      out->kind = GO_OBJ_LOCAL;
      out->key = omen_arena_printf(s->arena, "L%u:%u", file, ts_node_start_byte(b.name));
      out->file = file;
      out->decl = b.name;
      out->param = param_index(fn, b.name);
      break;
    case GO_BIND_PACKAGE:
      if (b.pkg->kind != GO_DECL_VAR)
        return false;
      out->kind = GO_OBJ_GLOBAL;
      out->key = omen_arena_printf(s->arena, "G.%s", b.pkg->name);
      break;
    default:
      return false;
    }
  } else if (k == GO_NODE_SELECTOR_EXPRESSION) {
    const char *path, *name;
    TSNode field = go_node_child(e, GO_F_FIELD);
    if (go_types_qualified(s->ty, file, e, &path, &name)) {
      out->kind = GO_OBJ_GLOBAL;
      out->key = omen_arena_printf(s->arena, "G.%s.%s", path, name);
    } else {
      const char *t = go_types_type_of(s->ty, file, go_node_child(e, GO_F_OPERAND));
      const char *base = go_types_deref(t);
      if (!named_type(base))
        return false;
      out->kind = GO_OBJ_FIELD;
      out->key = omen_arena_printf(s->arena, "%s.%s", base, node_text(s, f, field));
    }
  } else {
    return false;
  }
  if (!out->key) {
    out->kind = GO_OBJ_NONE;
    return false;
  }
  out->name = node_text(s, f, e);
  return true;
}

/* ---------- per-function site lists ---------- */

static bool build_buckets(go_summary *s) {
  size_t nf = s->ctx->nfuncs;
  for (int b = 0; b < B_NKINDS; b++) {
    go_site_kind k = bucket_kind[b];
    size_t n = s->ins->nsites[k];
    uint32_t *start = omen_arena_alloc(s->arena, (nf + 1) * sizeof *start);
    const go_site **list = omen_arena_alloc(s->arena, (n ? n : 1) * sizeof *list);
    uint32_t *fill = calloc(nf + 1, sizeof *fill);
    if (!start || !list || !fill) {
      free(fill);
      return false;
    }
    for (size_t i = 0; i < n; i++) {
      int32_t fi = s->ins->sites[k][i].func_index;
      if (fi >= 0 && (size_t)fi < nf)
        start[fi + 1]++;
    }
    for (size_t i = 0; i < nf; i++)
      start[i + 1] += start[i];
    for (size_t i = 0; i < n; i++) {
      const go_site *site = &s->ins->sites[k][i];
      int32_t fi = site->func_index;
      if (fi >= 0 && (size_t)fi < nf)
        list[start[fi] + fill[fi]++] = site;
    }
    free(fill);
    s->start[b] = start;
    s->list[b] = list;
  }
  return true;
}

static bool ensure_ready(go_summary *s) {
  if (s->ready)
    return !s->failed;
  s->ready = true;
  size_t nf = s->ctx->nfuncs ? s->ctx->nfuncs : 1;
  s->sums = omen_arena_alloc(s->arena, nf * sizeof *s->sums);
  s->state = omen_arena_alloc(s->arena, nf * sizeof *s->state);
  s->opcap = omen_arena_alloc(s->arena, nf * sizeof *s->opcap);
  s->tindex = omen_arena_alloc(s->arena, nf * sizeof *s->tindex);
  s->tlow = omen_arena_alloc(s->arena, nf * sizeof *s->tlow);
  s->onstack = omen_arena_alloc(s->arena, nf * sizeof *s->onstack);
  s->einfo = omen_arena_alloc(s->arena, (s->ctx->nedges ? s->ctx->nedges : 1) * sizeof *s->einfo);
  if (!s->einfo || !s->sums || !s->state || !s->opcap || !s->tindex || !s->tlow || !s->onstack ||
      !build_buckets(s)) {
    s->failed = true;
    return false;
  }
  for (size_t i = 0; i < nf; i++)
    s->tindex[i] = -1;
  return true;
}

/* ---------- building one function's summary ---------- */

static bool same_obj_key(const char *a, const char *b) {
  if (!a || !b)
    return a == b;
  return strcmp(a, b) == 0;
}

/* Adds op to sum (deduplicated by kind, key and flags); false when nothing was added. */
static bool add_op(go_summary *s, uint32_t fi, const go_op *op) {
  go_fsum *sum = &s->sums[fi];
  if (op->obj.kind == GO_OBJ_NONE)
    return false;
  for (uint32_t i = 0; i < sum->nops; i++) {
    const go_op *o = &sum->ops[i];
    if (o->kind == op->kind && o->flags == op->flags && same_obj_key(o->obj.key, op->obj.key)) {
      if (o->obj.param != op->obj.param && op->obj.param >= 0 && o->obj.param < 0)
        sum->ops[i].obj.param = op->obj.param;
      return false;
    }
  }
  if (sum->nops >= GO_SUMMARY_MAX_OPS) {
    sum->flags |= GO_SUM_TRUNCATED;
    return false;
  }
  if (sum->nops == s->opcap[fi]) {
    uint32_t cap = s->opcap[fi] ? s->opcap[fi] * 2 : 4;
    go_op *v = omen_arena_alloc(s->arena, cap * sizeof *v);
    if (!v) {
      sum->flags |= GO_SUM_TRUNCATED;
      return false;
    }
    if (sum->nops)
      memcpy(v, sum->ops, sum->nops * sizeof *v);
    sum->ops = v;
    s->opcap[fi] = cap;
  }
  sum->ops[sum->nops++] = *op;
  if ((op->kind == GO_OP_CLOSE || op->kind == GO_OP_RELEASE) && op->obj.param >= 0 && op->obj.param < 64)
    sum->releases |= 1ull << op->obj.param;
  return true;
}

static void set_block(go_fsum *sum, go_block_kind k, uint32_t file, TSNode node, uint32_t wfile,
                      TSNode witness) {
  if (sum->block != GO_BLOCK_NONE)
    return;
  sum->block = k;
  sum->block_file = file;
  sum->block_node = node;
  sum->block_wfile = wfile;
  sum->block_witness = witness;
}

/* Flags for where node sits in function fn: LOOP (inside a for statement), COND (inside an if, a case body
 * of a switch, or a select case other than own_case), DEFER (inside a defer statement's call). */
static unsigned place_flags(TSNode node, TSNode fn, TSNode own_case) {
  unsigned fl = 0;
  for (TSNode p = go_ts_parent(node); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = go_ts_parent(p)) {
    switch (go_node_kind(p)) {
    case GO_NODE_FOR_STATEMENT:
      fl |= GO_OPF_LOOP;
      break;
    case GO_NODE_IF_STATEMENT:
    case GO_NODE_EXPRESSION_CASE:
    case GO_NODE_DEFAULT_CASE:
    case GO_NODE_TYPE_CASE:
      fl |= GO_OPF_COND;
      break;
    case GO_NODE_COMMUNICATION_CASE:
      if (!ts_node_eq(p, own_case))
        fl |= GO_OPF_COND;
      break;
    case GO_NODE_DEFER_STATEMENT:
      fl |= GO_OPF_DEFER;
      break;
    case GO_NODE_FUNC_LITERAL:
    case GO_NODE_FUNCTION_DECLARATION:
    case GO_NODE_METHOD_DECLARATION:
      return fl; /* fn not found on the way up: stop at the first function */
    default:
      break;
    }
  }
  return fl;
}

typedef struct local_ctx {
  go_summary *s;
  uint32_t fi;
  const go_site *fs; /* the function site */
  uint32_t file;
  const omen_file *f;
  TSNode fn;
  uint32_t block_at; /* start byte of the recorded local block (earliest wins) */
} local_ctx;

static void local_block(local_ctx *L, go_block_kind k, TSNode node) {
  go_fsum *sum = &L->s->sums[L->fi];
  if (sum->block != GO_BLOCK_NONE && ts_node_start_byte(node) >= L->block_at)
    return;
  sum->block = GO_BLOCK_NONE;
  set_block(sum, k, L->file, node, L->file, node);
  L->block_at = ts_node_start_byte(node);
}

static void local_op(local_ctx *L, go_op_kind k, unsigned flags, TSNode objexpr, TSNode node) {
  go_op op;
  memset(&op, 0, sizeof op);
  op.kind = k;
  op.flags = flags;
  op.file = op.wfile = L->file;
  op.node = op.witness = node;
  if (go_summary_obj(L->s, L->file, L->fn, objexpr, &op.obj))
    add_op(L->s, L->fi, &op);
}

/* Is node inside a select case communication: then the case and its select. */
static bool in_select_case(TSNode comm_child, TSNode *cas, TSNode *sel) {
  TSNode c = go_ts_parent(comm_child);
  if (!go_node_is(c, GO_NODE_COMMUNICATION_CASE) ||
      !ts_node_eq(go_node_child(c, GO_F_COMMUNICATION), comm_child))
    return false;
  *cas = c;
  *sel = go_ts_parent(c);
  return go_node_is(*sel, GO_NODE_SELECT_STATEMENT);
}

static unsigned select_flags(local_ctx *L, TSNode sel, bool is_recv) {
  uint32_t nrecv;
  unsigned fl = GO_OPF_SELECT;
  if (select_info(L->f, sel, &nrecv))
    fl |= GO_OPF_ESCAPE;
  if (nrecv > (is_recv ? 1u : 0u))
    fl |= GO_OPF_SELRECV;
  return fl;
}

static void local_sends(local_ctx *L) {
  go_summary *s = L->s;
  for (uint32_t i = s->start[B_SEND][L->fi]; i < s->start[B_SEND][L->fi + 1]; i++) {
    const go_site *site = s->list[B_SEND][i];
    TSNode cas = go_ts_null(), sel;
    unsigned fl = 0;
    if (in_select_case(site->node, &cas, &sel))
      fl |= select_flags(L, sel, false);
    fl |= place_flags(site->node, L->fn, cas);
    if (go_op_flags_blocking(fl))
      local_block(L, GO_BLOCK_SEND, site->node);
    local_op(L, GO_OP_SEND, fl, site->sub, site->node);
  }
}

static void local_recvs(local_ctx *L) {
  go_summary *s = L->s;
  go_fsum *sum = &s->sums[L->fi];
  for (uint32_t i = s->start[B_RECV][L->fi]; i < s->start[B_RECV][L->fi + 1]; i++) {
    const go_site *site = s->list[B_RECV][i];
    TSNode x = site->sub;
    if (go_summary_is_quit_name(L->f, x))
      sum->flags |= GO_SUM_WATCHES_QUIT;
    if (go_summary_is_done_chan(L->f, x)) {
      sum->flags |= GO_SUM_WATCHES_CTX;
      continue;
    }
    if (go_summary_is_timer_chan(L->f, x))
      continue;
    TSNode cas = go_ts_null(), sel;
    unsigned fl = 0;
    TSNode p = go_ts_parent(site->node);
    TSNode left = go_ts_null();
    if (go_node_is(p, GO_NODE_RECEIVE_STATEMENT) && in_select_case(p, &cas, &sel)) {
      fl |= select_flags(L, sel, true);
      left = go_node_child(p, GO_F_LEFT);
    } else if (go_node_is(p, GO_NODE_EXPRESSION_LIST) && go_ts_nnamed(p) == 1) {
      TSNode st = go_ts_parent(p);
      if ((go_node_is(st, GO_NODE_SHORT_VAR_DECLARATION) || go_node_is(st, GO_NODE_ASSIGNMENT_STATEMENT)) &&
          ts_node_eq(go_node_child(st, GO_F_RIGHT), p))
        left = go_node_child(st, GO_F_LEFT);
    }
    if (go_ts_nnamed(left) == 2)
      fl |= GO_OPF_OK;
    fl |= place_flags(site->node, L->fn, cas);
    if (go_op_flags_blocking(fl))
      local_block(L, GO_BLOCK_RECV, site->node);
    local_op(L, GO_OP_RECV, fl, x, site->node);
  }
}

static bool is_chan_type(const char *t) {
  return t && (strncmp(t, "chan ", 5) == 0 || strncmp(t, "<-chan ", 7) == 0 || strncmp(t, "chan<- ", 7) == 0);
}

static void local_ranges(local_ctx *L) {
  go_summary *s = L->s;
  for (uint32_t i = s->start[B_FOR][L->fi]; i < s->start[B_FOR][L->fi + 1]; i++) {
    const go_site *site = s->list[B_FOR][i];
    if (!go_node_is(site->sub, GO_NODE_RANGE_CLAUSE))
      continue;
    TSNode x = go_node_child(site->sub, GO_F_RIGHT);
    go_node k = go_node_kind(go_ts_unparen(x));
    if (k != GO_NODE_IDENTIFIER && k != GO_NODE_SELECTOR_EXPRESSION && k != GO_NODE_CALL_EXPRESSION)
      continue; /* literals, index and slice expressions, conversions: not channels in practice */
    if (go_summary_is_timer_chan(L->f, x) || go_summary_is_done_chan(L->f, x))
      continue;
    if (!is_chan_type(go_types_type_of(s->ty, L->file, x)))
      continue;
    unsigned fl = place_flags(site->node, L->fn, go_ts_null());
    local_block(L, GO_BLOCK_RANGE, site->node);
    local_op(L, GO_OP_RANGE, fl, x, site->node);
  }
}

static void local_selects(local_ctx *L) {
  go_summary *s = L->s;
  for (uint32_t i = s->start[B_SELECT][L->fi]; i < s->start[B_SELECT][L->fi + 1]; i++) {
    const go_site *site = s->list[B_SELECT][i];
    uint32_t nrecv, ncases = 0, nc = go_ts_nnamed(site->node);
    for (uint32_t k = 0; k < nc; k++) {
      go_node ck = go_node_kind(ts_node_named_child(site->node, k));
      if (ck == GO_NODE_COMMUNICATION_CASE || ck == GO_NODE_DEFAULT_CASE)
        ncases++;
    }
    if (ncases == 0)
      local_block(L, GO_BLOCK_SELECT0, site->node);
    else if (!select_info(L->f, site->node, &nrecv))
      local_block(L, GO_BLOCK_SELECT, site->node);
  }
}

static bool type_named(const char *t, const char *path, const char *name) {
  return t && go_types_is_named(t, path, name, NULL);
}

/* Blocking I/O by the receiver's type: conns, listeners and servers of net, crypto/tls and net/http. */
static bool io_method(const char *t, const char *m) {
  static const char *const conn_types[][2] = {
      {"net", "Conn"},   {"net", "TCPConn"},    {"net", "UDPConn"},     {"net", "UnixConn"},
      {"net", "IPConn"}, {"net", "PacketConn"}, {"crypto/tls", "Conn"},
  };
  static const char *const listener_types[][2] = {
      {"net", "Listener"}, {"net", "TCPListener"}, {"net", "UnixListener"}};
  static const char *const conn_methods[] = {"Read",       "ReadFrom",     "ReadFromUDP",
                                             "ReadMsgUDP", "ReadFromUnix", "ReadMsgUnix",
                                             "Write",      "WriteTo",      NULL};
  if (!t)
    return false;
  for (size_t i = 0; i < sizeof conn_types / sizeof conn_types[0]; i++)
    if (type_named(t, conn_types[i][0], conn_types[i][1]))
      for (size_t k = 0; conn_methods[k]; k++)
        if (strcmp(m, conn_methods[k]) == 0)
          return true;
  for (size_t i = 0; i < sizeof listener_types / sizeof listener_types[0]; i++)
    if (type_named(t, listener_types[i][0], listener_types[i][1]))
      return strcmp(m, "Accept") == 0 || strcmp(m, "AcceptTCP") == 0 || strcmp(m, "AcceptUnix") == 0;
  if (type_named(t, "net/http", "Server"))
    return strcmp(m, "Serve") == 0 || strcmp(m, "ListenAndServe") == 0 || strcmp(m, "ServeTLS") == 0 ||
           strcmp(m, "ListenAndServeTLS") == 0;
  return false;
}

/* Does some argument of call pass a context: an identifier named like one (`ctx`, `reqCtx`; by name, without
 * a type lookup: this only feeds GO_SUM_WATCHES_CTX), or a call `x.Context()`? */
static bool passes_ctx(local_ctx *L, TSNode call) {
  TSNode args = go_node_child(call, GO_F_ARGUMENTS);
  uint32_t n = go_ts_nnamed(args);
  for (uint32_t i = 0; i < n && i < 8; i++) {
    TSNode a = go_ts_unparen(ts_node_named_child(args, i));
    if (go_node_is(a, GO_NODE_CALL_EXPRESSION)) {
      if (go_ts_teq(L->f, callee_name_node(a), "Context"))
        return true;
      continue;
    }
    if (!go_node_is(a, GO_NODE_IDENTIFIER))
      continue;
    uint32_t st = ts_node_start_byte(a), en = ts_node_end_byte(a);
    if (en <= L->f->len && en - st >= 3 && contains_ci(L->f->text + en - 3, 3, "ctx"))
      return true;
  }
  return false;
}

/* Could a call with this callee name matter to a summary? A cheap test before any lookup. */
static bool interesting_call(const char *name, bool selector) {
  if (selector && !strchr("SLWADECR", name[0]))
    return false; /* none of the names below */
  static const char *const sel_names[] = {"Sleep",
                                          "ListenAndServe",
                                          "ListenAndServeTLS",
                                          "Serve",
                                          "ServeTLS",
                                          "Wait",
                                          "Add",
                                          "Done",
                                          "Err",
                                          "Close",
                                          "Stop",
                                          "Cancel",
                                          "Shutdown",
                                          NULL};
  if (!selector) {
    if (strcmp(name, "close") == 0)
      return true;
    static const char *const words[] = {"cancel", "stop",    "clos", "done", "release",
                                        "finish", "cleanup", "quit", NULL};
    for (size_t i = 0; words[i]; i++)
      if (contains_ci(name, strlen(name), words[i]))
        return true;
    return false;
  }
  for (size_t i = 0; sel_names[i]; i++)
    if (strcmp(name, sel_names[i]) == 0)
      return true;
  return strstr(name, "Read") || strstr(name, "Write") || strstr(name, "Accept");
}

/* Does the text of call after its callee fn (the arguments) mention a context ("ctx" in any case, or
 * "Context(")? */
static bool args_mention_ctx(const omen_file *f, TSNode fn, TSNode call) {
  uint32_t a = ts_node_end_byte(fn), b = ts_node_end_byte(call);
  if (ts_node_is_null(fn) || b > f->len || a + 2 >= b)
    return false;
  return contains_ci(f->text + a, b - a, "ctx") || contains_ci(f->text + a, b - a, "context(");
}

static void local_calls(local_ctx *L) {
  go_summary *s = L->s;
  go_fsum *sum = &s->sums[L->fi];
  for (uint32_t i = s->start[B_CALL][L->fi]; i < s->start[B_CALL][L->fi + 1]; i++) {
    const go_site *site = s->list[B_CALL][i];
    TSNode call = site->node;
    const char *name = site->name;
    if (!name)
      continue;
    if (!(sum->flags & GO_SUM_WATCHES_CTX) && args_mention_ctx(L->f, site->sub, call) && passes_ctx(L, call))
      sum->flags |= GO_SUM_WATCHES_CTX;
    TSNode fnx = go_ts_unparen(site->sub);
    if (!interesting_call(name, go_node_is(fnx, GO_NODE_SELECTOR_EXPRESSION)))
      continue;
    TSNode args = go_node_child(call, GO_F_ARGUMENTS);
    bool sel = go_node_is(fnx, GO_NODE_SELECTOR_EXPRESSION);
    TSNode recv = sel ? go_node_child(fnx, GO_F_OPERAND) : go_ts_null();
    unsigned place = 0;
    bool placed = false;
#define PLACE() (placed ? place : (placed = true, place = place_flags(call, L->fn, go_ts_null())))
    if (!sel && go_node_is(fnx, GO_NODE_IDENTIFIER)) {
      if (strcmp(name, "close") == 0 && go_ts_nargs(args) == 1) {
        go_binding b;
        if (go_types_lookup_ident(s->ty, L->file, fnx, &b) == GO_BIND_UNIVERSE)
          local_op(L, GO_OP_CLOSE, PLACE(), go_ts_arg(args, 0), call);
        continue;
      }
      /* cancel(), stop(): a local or parameter of a func type */
      if (go_ts_nargs(args) == 0 && !go_types_decl(s->ty, name) && go_inspect_maybe_local(s->ins, name)) {
        go_binding b;
        if (go_types_lookup_ident(s->ty, L->file, fnx, &b) == GO_BIND_LOCAL) {
          const char *t = go_types_type_of(s->ty, L->file, fnx);
          if (t && (strcmp(t, "func()") == 0 || strcmp(t, "context.CancelFunc") == 0))
            local_op(L, GO_OP_RELEASE, PLACE(), fnx, call);
        }
      }
    } else if (sel) {
      const char *path, *qname;
      if (go_types_qualified(s->ty, L->file, fnx, &path, &qname)) {
        if (strcmp(path, "time") == 0 && strcmp(qname, "Sleep") == 0) {
          if (!(sum->flags & GO_SUM_SLEEPS)) {
            sum->flags |= GO_SUM_SLEEPS;
            sum->sleep_file = L->file;
            sum->sleep_node = call;
          }
        } else if (strcmp(path, "net/http") == 0 &&
                   (strcmp(qname, "ListenAndServe") == 0 || strcmp(qname, "ListenAndServeTLS") == 0 ||
                    strcmp(qname, "Serve") == 0 || strcmp(qname, "ServeTLS") == 0)) {
          local_block(L, GO_BLOCK_IO, call);
        }
      } else if (strcmp(name, "Wait") == 0 || strcmp(name, "Add") == 0 || strcmp(name, "Done") == 0 ||
                 strcmp(name, "Err") == 0) {
        const char *t = go_types_type_of(s->ty, L->file, recv);
        if (type_named(t, "sync", "WaitGroup")) {
          go_op_kind k = name[0] == 'W' ? GO_OP_WG_WAIT : name[0] == 'A' ? GO_OP_WG_ADD : GO_OP_WG_DONE;
          if (name[0] != 'E')
            local_op(L, k, PLACE(), recv, call);
          if (k == GO_OP_WG_WAIT && name[0] == 'W')
            local_block(L, GO_BLOCK_WAITGROUP, call);
        } else if (strcmp(name, "Wait") == 0 && type_named(t, "sync", "Cond")) {
          local_block(L, GO_BLOCK_COND, call);
        } else if (strcmp(name, "Wait") == 0 && type_named(t, "golang.org/x/sync/errgroup", "Group")) {
          local_block(L, GO_BLOCK_WAITGROUP, call);
        } else if (strcmp(name, "Done") == 0 && go_ts_nargs(args) == 0) {
          sum->flags |= GO_SUM_WATCHES_CTX;
        } else if (strcmp(name, "Err") == 0 && t && strcmp(t, "context.Context") == 0) {
          sum->flags |= GO_SUM_WATCHES_CTX;
        }
      } else if (strcmp(name, "Close") == 0 || strcmp(name, "Stop") == 0 || strcmp(name, "Cancel") == 0 ||
                 strcmp(name, "Shutdown") == 0) {
        local_op(L, GO_OP_RELEASE, PLACE(), recv, call);
      } else if (name[0] == 'R' || name[0] == 'W' || name[0] == 'A' || name[0] == 'S' || name[0] == 'L') {
        if (strstr(name, "Read") || strstr(name, "Write") || strstr(name, "Accept") ||
            strstr(name, "Serve")) {
          const char *t = go_types_type_of(s->ty, L->file, recv);
          if (io_method(t, name))
            local_block(L, GO_BLOCK_IO, call);
        }
      }
    }
#undef PLACE
  }
}

static bool has_error(TSNode n) { return !ts_node_is_null(n) && ts_node_has_error(n); }

static void compute_local(go_summary *s, uint32_t fi) {
  const go_ctx_func *cf = &s->ctx->funcs[fi];
  local_ctx L;
  memset(&L, 0, sizeof L);
  L.s = s;
  L.fi = fi;
  L.fs = cf->site;
  L.file = cf->site->file;
  L.f = file_of(s, L.file);
  L.fn = cf->site->node;
  if (has_error(L.fn))
    s->sums[fi].flags |= GO_SUM_UNKNOWN;
  local_sends(&L);
  local_recvs(&L);
  local_ranges(&L);
  local_selects(&L);
  local_calls(&L);
}

/* ---------- propagation ---------- */

TSNode go_summary_in_place_call(TSNode lit) {
  TSNode e = lit, p = go_ts_parent(lit);
  while (go_node_is(p, GO_NODE_PARENTHESIZED_EXPRESSION)) {
    e = p;
    p = go_ts_parent(p);
  }
  if (go_node_is(p, GO_NODE_CALL_EXPRESSION) && ts_node_eq(go_node_child(p, GO_F_FUNCTION), e))
    return p;
  return go_ts_null();
}

static carry edge_carry(const go_ctx_edge *e, TSNode *call) {
  *call = go_ts_null();
  switch (e->kind) {
  case GO_EDGE_CALL:
    *call = e->site;
    return CARRY_FULL;
  case GO_EDGE_LIT:
    *call = go_summary_in_place_call(e->site);
    return ts_node_is_null(*call) ? CARRY_CALLBACK : CARRY_FULL;
  default:
    return CARRY_NONE;
  }
}

static bool map_in(go_summary *s, const go_ctx_func *callee, uint32_t file, TSNode call, TSNode caller_fn,
                   const go_obj *in, go_obj *out);

bool go_summary_map(go_summary *s, const go_ctx_func *callee, uint32_t file, TSNode call, const go_obj *in,
                    go_obj *out) {
  memset(out, 0, sizeof *out);
  out->param = -1;
  out->name = "";
  if (!s || !callee || !in || in->kind == GO_OBJ_NONE || file >= s->ins->nfiles)
    return false;
  if (in->kind == GO_OBJ_LOCAL && in->param < 0 && contains(callee->site->node, in->decl))
    return false; /* a local of the callee itself */
  if (in->kind != GO_OBJ_LOCAL) {
    *out = *in;
    return true;
  }
  return map_in(s, callee, file, call, go_inspect_func_node_around(s->ins, file, call), in, out);
}

/* go_summary_map with the function containing call known. */
static bool map_in(go_summary *s, const go_ctx_func *callee, uint32_t file, TSNode call, TSNode caller_fn,
                   const go_obj *in, go_obj *out) {
  memset(out, 0, sizeof *out);
  out->param = -1;
  out->name = "";
  if (in->kind == GO_OBJ_LOCAL && in->param >= 0) {
    bool variadic;
    uint32_t np = param_count(callee->site->node, &variadic);
    if ((uint32_t)in->param >= np || (variadic && (uint32_t)in->param + 1 == np))
      return false;
    TSNode args = go_node_child(call, GO_F_ARGUMENTS);
    if ((uint32_t)in->param >= go_ts_nargs(args) || go_ts_nargs(args) != np)
      return false;
    return go_summary_obj(s, file, caller_fn, go_ts_arg(args, (uint32_t)in->param), out);
  }
  if (in->kind == GO_OBJ_LOCAL && contains(callee->site->node, in->decl))
    return false; /* a local of the callee itself */
  *out = *in;
  if (in->kind == GO_OBJ_LOCAL)
    out->param = param_index(caller_fn, in->decl);
  return true;
}

/* Where an edge's site sits in the caller (place_flags, and DEFER for `defer f(...)`); cached per edge. */
static unsigned edge_place(go_summary *s, const go_ctx_edge *e, TSNode site, TSNode caller_fn) {
  struct edge_info *ei = &s->einfo[e - s->ctx->edges];
  if (!ei->ready) {
    ei->place = place_flags(site, caller_fn, go_ts_null());
    if (go_node_is(go_ts_parent(site), GO_NODE_DEFER_STATEMENT))
      ei->place |= GO_OPF_DEFER;
    ei->ready = true;
  }
  return ei->place;
}

/* Merges callee g's summary into caller f along edge e; true when f changed. */
static bool merge_edge(go_summary *s, uint32_t fi, const go_ctx_edge *e) {
  const go_fsum *callee_sum = &s->sums[e->callee];
  if (callee_sum->nops == 0 && callee_sum->block == GO_BLOCK_NONE && !callee_sum->flags)
    return false; /* nothing to carry: no need to look at the edge */
  struct edge_info *ei = &s->einfo[e - s->ctx->edges];
  if (!ei->carry) {
    TSNode c0;
    ei->carry = (uint8_t)edge_carry(e, &c0);
    ei->call = c0;
    if (ei->carry == CARRY_NONE)
      ei->carry = 0xff;
  }
  carry c = ei->carry == 0xff ? CARRY_NONE : (carry)ei->carry;
  TSNode call = ei->call;
  if (c == CARRY_NONE || e->callee == fi)
    return false;
  go_fsum *sf = &s->sums[fi];
  const go_fsum *sg = &s->sums[e->callee];
  const go_ctx_func *g = &s->ctx->funcs[e->callee];
  uint32_t nops = sf->nops;
  unsigned flags = sf->flags;
  go_block_kind block = sf->block;
  uint64_t rel = sf->releases;
  TSNode site = c == CARRY_FULL ? call : e->site;
  TSNode caller_fn = s->ctx->funcs[fi].site->node;
  sf->flags |= sg->flags & (GO_SUM_WATCHES_CTX | GO_SUM_WATCHES_QUIT);
  if (c == CARRY_FULL) {
    sf->flags |= sg->flags & GO_SUM_UNKNOWN;
    if (sg->flags & GO_SUM_TRUNCATED)
      sf->flags |= GO_SUM_UNKNOWN;
    if (sg->block != GO_BLOCK_NONE)
      set_block(sf, sg->block, e->file, site, sg->block_wfile, sg->block_witness);
    if ((sg->flags & GO_SUM_SLEEPS) && !(sf->flags & GO_SUM_SLEEPS)) {
      sf->flags |= GO_SUM_SLEEPS;
      sf->sleep_file = e->file;
      sf->sleep_node = site;
    }
  }
  unsigned place = 0;
  bool placed = false;
  for (uint32_t i = 0; i < sg->nops; i++) {
    const go_op *o = &sg->ops[i];
    if (c == CARRY_CALLBACK && o->kind != GO_OP_CLOSE && o->kind != GO_OP_RELEASE && o->kind != GO_OP_WG_DONE)
      continue;
    if (o->obj.kind != GO_OBJ_LOCAL &&
        ((o->flags & (GO_OPF_CALLEE | GO_OPF_CALLBACK)) || o->kind == GO_OP_RELEASE))
      continue; /* fields and package variables (the same object everywhere) are carried one call deep,
                 * enough to see `go s.run()` use s.jobs; a Close of one is not a released parameter */
    go_op op = *o;
    bool mapped;
    if (o->obj.kind != GO_OBJ_LOCAL) {
      mapped = true;
    } else if (c == CARRY_FULL) {
      mapped = map_in(s, g, e->file, call, caller_fn, &o->obj, &op.obj);
    } else {
      /* a callback: its parameters are not the caller's arguments */
      mapped = o->obj.param < 0 && map_in(s, g, e->file, e->site, caller_fn, &o->obj, &op.obj);
    }
    if (!mapped)
      continue;
    if (!placed) {
      placed = true;
      place = edge_place(s, e, site, caller_fn);
    }
    op.flags |= place | (c == CARRY_FULL ? GO_OPF_CALLEE : GO_OPF_CALLBACK);
    op.file = e->file;
    op.node = site;
    add_op(s, fi, &op);
  }
  return sf->nops != nops || sf->flags != flags || sf->block != block || sf->releases != rel;
}

/* Computes the summaries of every function reachable from root (iterative Tarjan over CALL and LIT
 * edges; each component is iterated to a fixed point once its callees are done). */
static void compute_from(go_summary *s, uint32_t root) {
  const go_context *c = s->ctx;
  size_t nf = c->nfuncs;
  /* explicit DFS stack of (function, next out-edge) and Tarjan's component stack */
  uint32_t *dfs_f = malloc(nf * sizeof *dfs_f), *dfs_e = malloc(nf * sizeof *dfs_e);
  uint32_t *comp = malloc(nf * sizeof *comp);
  if (!dfs_f || !dfs_e || !comp) {
    free(dfs_f);
    free(dfs_e);
    free(comp);
    s->failed = true;
    return;
  }
  size_t sp = 0, csp = 0;
  dfs_f[sp] = root;
  dfs_e[sp] = c->funcs[root].out;
  sp++;
  s->tindex[root] = s->tlow[root] = s->next_index++;
  comp[csp++] = root;
  s->onstack[root] = true;
  while (sp > 0) {
    uint32_t v = dfs_f[sp - 1];
    const go_ctx_func *fv = &c->funcs[v];
    if (dfs_e[sp - 1] < fv->out + fv->nout) {
      const go_ctx_edge *e = &c->edges[dfs_e[sp - 1]++];
      if (e->kind != GO_EDGE_CALL && e->kind != GO_EDGE_LIT)
        continue;
      uint32_t w = e->callee;
      if (s->state[w] == ST_DONE)
        continue;
      if (s->tindex[w] < 0) {
        s->tindex[w] = s->tlow[w] = s->next_index++;
        comp[csp++] = w;
        s->onstack[w] = true;
        dfs_f[sp] = w;
        dfs_e[sp] = c->funcs[w].out;
        sp++;
      } else if (s->onstack[w] && s->tindex[w] < s->tlow[v]) {
        s->tlow[v] = s->tindex[w];
      }
      continue;
    }
    /* v is finished */
    sp--;
    if (sp > 0) {
      uint32_t u = dfs_f[sp - 1];
      if (s->tlow[v] < s->tlow[u])
        s->tlow[u] = s->tlow[v];
    }
    if (s->tlow[v] != s->tindex[v])
      continue;
    /* v roots a component: comp[k..csp) */
    size_t k = csp;
    while (k > 0 && comp[k - 1] != v)
      k--;
    k--;
    for (size_t i = k; i < csp; i++) {
      uint32_t w = comp[i];
      s->onstack[w] = false;
      if (s->state[w] == ST_NONE) {
        compute_local(s, w);
        s->state[w] = ST_LOCAL;
      }
    }
    /* callees were discovered after their callers: merging from the end converges in fewer rounds */
    bool changed = true;
    for (int round = 0; changed && round < 64; round++) {
      changed = false;
      for (size_t i = csp; i-- > k;) {
        uint32_t w = comp[i];
        const go_ctx_func *fw = &c->funcs[w];
        for (uint32_t ei = fw->out; ei < fw->out + fw->nout; ei++)
          if (merge_edge(s, w, &c->edges[ei]))
            changed = true;
      }
      if (csp - k == 1) {
        changed = false;
        break; /* a single function: its callees are done, one round suffices */
      }
    }
    if (changed) /* no fixed point within the rounds (cannot happen with capped ops): do not pretend */
      for (size_t i = k; i < csp; i++)
        s->sums[comp[i]].flags |= GO_SUM_UNKNOWN;
    for (size_t i = k; i < csp; i++)
      s->state[comp[i]] = ST_DONE;
    csp = k;
  }
  free(dfs_f);
  free(dfs_e);
  free(comp);
}

const go_fsum *go_summary_at(go_summary *s, uint32_t i) {
  if (!s || i >= s->ctx->nfuncs || !ensure_ready(s))
    return NULL;
  if (s->state[i] != ST_DONE)
    compute_from(s, i);
  return s->failed ? NULL : &s->sums[i];
}

const go_fsum *go_summary_of(go_summary *s, const go_ctx_func *f) {
  if (!s || !f)
    return NULL;
  return go_summary_at(s, (uint32_t)(f - s->ctx->funcs));
}

size_t go_summary_sites(go_summary *s, go_site_kind k, uint32_t i, const go_site *const **out) {
  *out = NULL;
  if (!s || i >= s->ctx->nfuncs || !ensure_ready(s))
    return 0;
  for (int b = 0; b < B_NKINDS; b++)
    if (bucket_kind[b] == k) {
      *out = s->list[b] + s->start[b][i];
      return s->start[b][i + 1] - s->start[b][i];
    }
  return 0;
}

size_t go_summary_ops(const go_fsum *sum, go_op_kind k, const char *key, const go_op **out, size_t cap) {
  size_t n = 0;
  for (uint32_t i = 0; sum && i < sum->nops; i++) {
    const go_op *o = &sum->ops[i];
    if ((k != GO_OP_NKINDS && o->kind != k) || (key && !same_obj_key(o->obj.key, key)))
      continue;
    if (n < cap)
      out[n] = o;
    n++;
  }
  return n;
}

const go_ctx_func *go_summary_goroutine(const go_summary *s, const go_site *go, TSNode *call) {
  if (!s || !go || go->kind != GO_SITE_GO)
    return NULL;
  TSNode c = go_ts_unparen(go->sub);
  if (call)
    *call = c;
  if (!go_node_is(c, GO_NODE_CALL_EXPRESSION))
    return NULL;
  TSNode fn = go_ts_unparen(go_node_child(c, GO_F_FUNCTION));
  if (go_node_is(fn, GO_NODE_FUNC_LITERAL))
    return go_context_func_node(s->ctx, go->file, fn);
  return go_context_callee(s->ctx, go->file, c);
}

go_block_kind go_summary_call_blocks(go_summary *s, uint32_t file, TSNode call, TSNode *witness,
                                     uint32_t *wfile) {
  if (!s || !go_node_is(call, GO_NODE_CALL_EXPRESSION))
    return GO_BLOCK_NONE;
  const go_ctx_func *g = go_context_callee(s->ctx, file, call);
  const go_fsum *sum = go_summary_of(s, g);
  if (!sum)
    return GO_BLOCK_NONE;
  if (witness)
    *witness = sum->block_witness;
  if (wfile)
    *wfile = sum->block_wfile;
  return sum->block;
}

/* ---------- the analyzer ---------- */

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const go_inspect *ins = omen_pass_result(pass, &omen_go_inspect);
  const go_types *ty = omen_pass_result(pass, &omen_go_types);
  const go_context *ctx = omen_pass_result(pass, &omen_go_context);
  if (!ins || !ty || !ctx)
    return OMEN_OK;
  go_summary *s = omen_arena_alloc(omen_pass_arena(pass), sizeof *s);
  if (!s)
    return OMEN_ENOMEM;
  s->arena = omen_pass_arena(pass);
  s->ins = ins;
  s->ty = ty;
  s->ctx = ctx;
  *result = s;
  return OMEN_OK;
}

const omen_analyzer omen_go_summary = {
    .name = "go-summary",
    .title = "base: function summaries: blocking, channels, closes, contexts watched",
    .doc = "Per-function summaries of a Go package, computed on request bottom-up over go-context's call "
           "graph (strongly connected components iterated to a fixed point, so recursion terminates): "
           "whether a function may block forever and where (channel sends and receives outside a select "
           "with a way out, selects without default, Done() or timer case, WaitGroup and Cond waits, "
           "blocking network I/O), which channels it sends on, receives from, ranges over or closes, which "
           "WaitGroups it adds to, marks done or waits on (objects keyed by declaration, struct field or "
           "package variable so a goroutine's ops match its spawner's), which parameters it closes or "
           "cancels, and whether it watches a context or a quit channel. Costs nothing until asked.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, &omen_go_context, NULL},
    .rules = NULL,
    .run = run,
};
