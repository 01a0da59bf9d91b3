/* go_cfg.c - base analyzer go-cfg: per-function control-flow graphs of a Go unit, built on first
 * request from the tree-sitter tree, with path queries and a forward dataflow solver (go_cfg.h). */
#include "go_cfg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static TSNode null_node(void) {
  TSNode z;
  memset(&z, 0, sizeof z);
  return z;
}

/* Named children of n; 0 for the null node (tree-sitter would crash on it). */
static uint32_t nchildren(TSNode n) { return ts_node_is_null(n) ? 0 : ts_node_named_child_count(n); }

/* omen_node_text_eq, false for the null node (a missing field in broken code). */
static bool text_is(const omen_file *f, TSNode n, const char *s) {
  return !ts_node_is_null(n) && omen_node_text_eq(f, n, s);
}

/* ---------- no-return calls ---------- */

static bool in_list(const omen_file *f, TSNode n, const char *const *l) {
  for (size_t i = 0; l[i]; i++)
    if (text_is(f, n, l[i]))
      return true;
  return false;
}

bool go_cfg_is_noreturn_call(const omen_file *f, TSNode call) {
  if (!f || !go_node_is(call, GO_NODE_CALL_EXPRESSION))
    return false;
  TSNode fn = go_node_child(call, GO_F_FUNCTION);
  while (go_node_is(fn, GO_NODE_PARENTHESIZED_EXPRESSION) && nchildren(fn) == 1)
    fn = ts_node_named_child(fn, 0);
  if (go_node_is(fn, GO_NODE_IDENTIFIER))
    return text_is(f, fn, "panic");
  if (!go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION))
    return false;
  TSNode op = go_node_child(fn, GO_F_OPERAND), nm = go_node_child(fn, GO_F_FIELD);
  static const char *const any_recv[] = {"Fatal",   "Fatalf",  "Fatalln", "Panicf", "Panicln",
                                         "FailNow", "SkipNow", "Skipf",   NULL};
  if (in_list(f, nm, any_recv))
    return true;
  if (!go_node_is(op, GO_NODE_IDENTIFIER))
    return false;
  if (text_is(f, nm, "Exit"))
    return text_is(f, op, "os") || text_is(f, op, "syscall");
  if (text_is(f, nm, "Goexit"))
    return text_is(f, op, "runtime");
  if (text_is(f, nm, "Panic"))
    return text_is(f, op, "log");
  if (text_is(f, nm, "Skip")) /* testing: t.Skip, b.Skip, tb.Skip; other Skips return */
    return text_is(f, op, "t") || text_is(f, op, "b") || text_is(f, op, "tb");
  return false;
}

/* ---------- the builder ---------- */

enum { NONE = UINT32_MAX };

typedef struct bblock {
  TSNode *nodes;
  uint32_t nn, capn;
  uint32_t *succ;
  uint32_t ns, caps;
  TSNode cond;
  const char *kind;
} bblock;

typedef struct target {
  TSNode label; /* label_name, or null */
  uint32_t brk, cont;
} target;

typedef struct label {
  TSNode name;
  uint32_t block;
} label;

typedef struct builder {
  const omen_file *f;
  bblock *b;
  uint32_t nb, capb;
  uint32_t cur;
  target *t;
  uint32_t nt, capt;
  label *l;
  uint32_t nl, capl;
  TSNode *defers, *gos;
  uint32_t ndefers, capdefers, ngos, capgos;
  uint32_t ft; /* fallthrough target of the case being built */
  int depth;
  bool failed; /* out of memory or past a cap: no CFG */
  bool incomplete;
} builder;

/* Grows *v (n used, *cap allocated, elem bytes each) to hold one more; false on failure. */
static bool grow(builder *B, void **v, uint32_t n, uint32_t *cap, size_t elem) {
  if (n < *cap)
    return true;
  uint32_t nc = *cap ? *cap * 2 : 8;
  void *nv = realloc(*v, (size_t)nc * elem);
  if (!nv) {
    B->failed = true;
    return false;
  }
  *v = nv;
  *cap = nc;
  return true;
}

static uint32_t new_block(builder *B, const char *kind) {
  if (B->failed)
    return 0;
  if (B->nb >= GO_CFG_MAX_BLOCKS) {
    B->failed = true;
    return 0;
  }
  if (!grow(B, (void **)&B->b, B->nb, &B->capb, sizeof *B->b))
    return 0;
  bblock *bb = &B->b[B->nb];
  memset(bb, 0, sizeof *bb);
  bb->kind = kind;
  return B->nb++;
}

static void add_node(builder *B, TSNode n) {
  if (B->failed || ts_node_is_null(n))
    return;
  bblock *bb = &B->b[B->cur];
  if (grow(B, (void **)&bb->nodes, bb->nn, &bb->capn, sizeof *bb->nodes))
    bb->nodes[bb->nn++] = n;
}

static void add_edge(builder *B, uint32_t from, uint32_t to) {
  if (B->failed || from == NONE || to == NONE)
    return;
  bblock *bb = &B->b[from];
  if (grow(B, (void **)&bb->succ, bb->ns, &bb->caps, sizeof *bb->succ))
    bb->succ[bb->ns++] = to;
}

/* After a jump: later code (if any) is unreachable and goes into a block with no predecessors. */
static void dead(builder *B) { B->cur = new_block(B, "unreachable"); }

static bool push_node(builder *B, TSNode **v, uint32_t *n, uint32_t *cap, TSNode x) {
  if (!grow(B, (void **)v, *n, cap, sizeof **v))
    return false;
  (*v)[(*n)++] = x;
  return true;
}

static bool same_label(const omen_file *f, TSNode a, TSNode b) {
  uint32_t as = ts_node_start_byte(a), ae = ts_node_end_byte(a);
  uint32_t bs = ts_node_start_byte(b), be = ts_node_end_byte(b);
  return ae - as == be - bs && ae <= f->len && be <= f->len &&
         memcmp(f->text + as, f->text + bs, ae - as) == 0;
}

static uint32_t label_block(builder *B, TSNode name) {
  for (uint32_t i = 0; i < B->nl; i++)
    if (same_label(B->f, B->l[i].name, name))
      return B->l[i].block;
  uint32_t blk = new_block(B, "label");
  if (B->failed || !grow(B, (void **)&B->l, B->nl, &B->capl, sizeof *B->l))
    return NONE;
  B->l[B->nl++] = (label){name, blk};
  return blk;
}

static void push_target(builder *B, TSNode lbl, uint32_t brk, uint32_t cont) {
  if (grow(B, (void **)&B->t, B->nt, &B->capt, sizeof *B->t))
    B->t[B->nt++] = (target){lbl, brk, cont};
}

static void pop_target(builder *B) {
  if (B->nt)
    B->nt--;
}

/* The label_name child of a break/continue/goto, or null. */
static TSNode jump_label(TSNode n) {
  uint32_t nc = nchildren(n);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (go_node_is(c, GO_NODE_LABEL_NAME))
      return c;
  }
  return null_node();
}

static void jump(builder *B, TSNode n, bool is_continue) {
  TSNode lbl = jump_label(n);
  uint32_t to = NONE;
  for (uint32_t i = B->nt; i > 0 && to == NONE; i--) {
    const target *t = &B->t[i - 1];
    if (!ts_node_is_null(lbl) && (ts_node_is_null(t->label) || !same_label(B->f, t->label, lbl)))
      continue;
    to = is_continue ? t->cont : t->brk;
    if (to == NONE && !ts_node_is_null(lbl))
      break; /* `continue L` naming a switch: broken code */
  }
  if (to == NONE)
    B->incomplete = true;
  add_edge(B, B->cur, to);
  dead(B);
}

static void stmt(builder *B, TSNode n, TSNode lbl);

/* The statements of a case clause: the named children after its ':' (comments skipped). */
static void case_body(builder *B, TSNode c) {
  uint32_t n = ts_node_child_count(c);
  bool after = false;
  for (uint32_t i = 0; i < n && !B->failed; i++) {
    TSNode ch = ts_node_child(c, i);
    if (!ts_node_is_named(ch)) {
      if (!after && strcmp(ts_node_type(ch), ":") == 0)
        after = true;
      continue;
    }
    if (after && !go_node_is(ch, GO_NODE_COMMENT))
      stmt(B, ch, null_node());
  }
}

static bool is_case(TSNode c) {
  go_node k = go_node_kind(c);
  return k == GO_NODE_EXPRESSION_CASE || k == GO_NODE_DEFAULT_CASE || k == GO_NODE_TYPE_CASE ||
         k == GO_NODE_COMMUNICATION_CASE;
}

static void if_stmt(builder *B, TSNode n) {
  add_node(B, go_node_child(n, GO_F_INITIALIZER));
  TSNode cond = go_node_child(n, GO_F_CONDITION), cons = go_node_child(n, GO_F_CONSEQUENCE),
         alt = go_node_child(n, GO_F_ALTERNATIVE);
  add_node(B, cond);
  uint32_t test = B->cur;
  uint32_t then = new_block(B, "if.then");
  uint32_t els = ts_node_is_null(alt) ? NONE : new_block(B, "if.else");
  uint32_t done = new_block(B, "if.done");
  if (B->failed)
    return;
  if (!ts_node_is_null(cond))
    B->b[test].cond = cond;
  add_edge(B, test, then);
  add_edge(B, test, els == NONE ? done : els);
  B->cur = then;
  stmt(B, cons, null_node());
  add_edge(B, B->cur, done);
  if (els != NONE) {
    B->cur = els;
    stmt(B, alt, null_node());
    add_edge(B, B->cur, done);
  }
  B->cur = done;
}

static void for_stmt(builder *B, TSNode n, TSNode lbl) {
  TSNode body = go_node_child(n, GO_F_BODY), clause = null_node();
  uint32_t nc = nchildren(n);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (!ts_node_eq(c, body) && !go_node_is(c, GO_NODE_COMMENT)) {
      clause = c;
      break;
    }
  }
  TSNode cond = null_node(), post = null_node(), left = null_node();
  bool range = go_node_is(clause, GO_NODE_RANGE_CLAUSE);
  if (go_node_is(clause, GO_NODE_FOR_CLAUSE)) {
    add_node(B, go_node_child(clause, GO_F_INITIALIZER));
    cond = go_node_child(clause, GO_F_CONDITION);
    post = go_node_child(clause, GO_F_UPDATE);
  } else if (range) {
    add_node(B, go_node_child(clause, GO_F_RIGHT)); /* evaluated once */
    left = go_node_child(clause, GO_F_LEFT);
  } else if (!ts_node_is_null(clause)) {
    cond = clause;
  }
  uint32_t head = new_block(B, range ? "range.head" : "for.head");
  uint32_t bodyb = new_block(B, range ? "range.body" : "for.body");
  uint32_t done = new_block(B, range ? "range.done" : "for.done");
  uint32_t postb = ts_node_is_null(post) ? head : new_block(B, "for.post");
  if (B->failed)
    return;
  add_edge(B, B->cur, head);
  B->cur = head;
  if (!ts_node_is_null(cond)) {
    add_node(B, cond);
    B->b[head].cond = cond;
    add_edge(B, head, bodyb);
    add_edge(B, head, done);
  } else {
    add_edge(B, head, bodyb);
    if (range)
      add_edge(B, head, done);
  }
  push_target(B, lbl, done, postb);
  B->cur = bodyb;
  add_node(B, left); /* range variables are assigned at the start of each iteration */
  stmt(B, body, null_node());
  add_edge(B, B->cur, postb);
  if (postb != head) {
    B->cur = postb;
    add_node(B, post);
    add_edge(B, postb, head);
  }
  pop_target(B);
  B->cur = done;
}

/* The i-th case clause of a switch or select, counting from 0; null past the last. */
static TSNode nth_case(TSNode n, uint32_t *child, uint32_t nc) {
  for (; *child < nc; (*child)++) {
    TSNode c = ts_node_named_child(n, *child);
    if (is_case(c)) {
      (*child)++;
      return c;
    }
  }
  return null_node();
}

static void switch_stmt(builder *B, TSNode n, TSNode lbl, bool type_switch) {
  add_node(B, go_node_child(n, GO_F_INITIALIZER));
  TSNode tag = go_node_child(n, GO_F_VALUE);
  if (type_switch)
    add_node(B, go_node_child(n, GO_F_ALIAS));
  add_node(B, tag);
  uint32_t nc = nchildren(n), ncases = 0, def = NONE;
  uint32_t done = new_block(B, "switch.done");
  /* the case bodies are consecutive blocks: case i's is first + i */
  uint32_t first = B->nb, ch = 0;
  for (TSNode c = nth_case(n, &ch, nc); !ts_node_is_null(c); c = nth_case(n, &ch, nc)) {
    bool is_def = go_node_is(c, GO_NODE_DEFAULT_CASE);
    uint32_t b = new_block(B, is_def ? "switch.default" : "switch.case");
    if (is_def)
      def = b;
    ncases++;
  }
  if (B->failed)
    return;
  bool tagless = !type_switch && ts_node_is_null(tag);
  ch = 0;
  for (uint32_t i = 0; i < ncases && !B->failed; i++) {
    TSNode c = nth_case(n, &ch, nc);
    if (go_node_is(c, GO_NODE_DEFAULT_CASE))
      continue;
    TSNode vals = go_node_child(c, GO_F_VALUE);
    if (!tagless) {
      add_node(B, vals);
      add_edge(B, B->cur, first + i);
      continue;
    }
    /* switch { case c1: ... case c2: ... }: tests in order */
    uint32_t test = B->cur;
    TSNode v = nchildren(vals) == 1 ? ts_node_named_child(vals, 0) : null_node();
    add_node(B, ts_node_is_null(v) ? vals : v);
    uint32_t next = new_block(B, "switch.next");
    if (B->failed)
      return;
    if (!ts_node_is_null(v))
      B->b[test].cond = v;
    add_edge(B, test, first + i);
    add_edge(B, test, next);
    B->cur = next;
  }
  add_edge(B, B->cur, def == NONE ? done : def);
  push_target(B, lbl, done, NONE);
  uint32_t saved_ft = B->ft;
  ch = 0;
  for (uint32_t i = 0; i < ncases && !B->failed; i++) {
    B->cur = first + i;
    B->ft = i + 1 < ncases ? first + i + 1 : NONE;
    case_body(B, nth_case(n, &ch, nc));
    add_edge(B, B->cur, done);
  }
  B->ft = saved_ft;
  pop_target(B);
  B->cur = done;
}

static void select_stmt(builder *B, TSNode n, TSNode lbl) {
  /* a select with no case blocks forever: done then has no predecessor */
  uint32_t dispatch = B->cur, done = new_block(B, "select.done");
  push_target(B, lbl, done, NONE);
  uint32_t nc = nchildren(n), ch = 0;
  for (TSNode c = nth_case(n, &ch, nc); !ts_node_is_null(c) && !B->failed; c = nth_case(n, &ch, nc)) {
    uint32_t body = new_block(B, go_node_is(c, GO_NODE_DEFAULT_CASE) ? "select.default" : "select.case");
    add_edge(B, dispatch, body);
    B->cur = body;
    add_node(B, go_node_child(c, GO_F_COMMUNICATION));
    case_body(B, c);
    add_edge(B, B->cur, done);
  }
  pop_target(B);
  B->cur = done;
}

static void labeled_stmt(builder *B, TSNode n) {
  TSNode name = go_node_child(n, GO_F_LABEL);
  if (ts_node_is_null(name))
    name = jump_label(n);
  TSNode inner = null_node();
  uint32_t nc = nchildren(n);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (!go_node_is(c, GO_NODE_LABEL_NAME) && !go_node_is(c, GO_NODE_COMMENT)) {
      inner = c;
      break;
    }
  }
  if (!ts_node_is_null(name)) {
    uint32_t blk = label_block(B, name);
    add_edge(B, B->cur, blk);
    if (blk != NONE)
      B->cur = blk;
  }
  if (!ts_node_is_null(inner))
    stmt(B, inner, name);
}

static void stmt(builder *B, TSNode n, TSNode lbl) {
  if (B->failed || ts_node_is_null(n))
    return;
  if (B->depth >= GO_CFG_MAX_DEPTH) {
    add_node(B, n); /* too deep: one opaque node */
    B->incomplete = true;
    return;
  }
  B->depth++;
  switch (go_node_kind(n)) {
  case GO_NODE_BLOCK: {
    uint32_t nc = nchildren(n);
    for (uint32_t i = 0; i < nc && !B->failed; i++) {
      TSNode c = ts_node_named_child(n, i);
      if (!go_node_is(c, GO_NODE_COMMENT))
        stmt(B, c, null_node());
    }
    break;
  }
  case GO_NODE_IF_STATEMENT:
    if_stmt(B, n);
    break;
  case GO_NODE_FOR_STATEMENT:
    for_stmt(B, n, lbl);
    break;
  case GO_NODE_EXPRESSION_SWITCH_STATEMENT:
    switch_stmt(B, n, lbl, false);
    break;
  case GO_NODE_TYPE_SWITCH_STATEMENT:
    switch_stmt(B, n, lbl, true);
    break;
  case GO_NODE_SELECT_STATEMENT:
    select_stmt(B, n, lbl);
    break;
  case GO_NODE_LABELED_STATEMENT:
    labeled_stmt(B, n);
    break;
  case GO_NODE_DEFER_STATEMENT:
    add_node(B, n);
    push_node(B, &B->defers, &B->ndefers, &B->capdefers, n);
    break;
  case GO_NODE_GO_STATEMENT:
    add_node(B, n);
    push_node(B, &B->gos, &B->ngos, &B->capgos, n);
    break;
  default:
    add_node(B, n);
    switch (go_node_kind(n)) {
    case GO_NODE_RETURN_STATEMENT:
      add_edge(B, B->cur, GO_CFG_EXIT);
      dead(B);
      break;
    case GO_NODE_BREAK_STATEMENT:
      jump(B, n, false);
      break;
    case GO_NODE_CONTINUE_STATEMENT:
      jump(B, n, true);
      break;
    case GO_NODE_GOTO_STATEMENT: {
      TSNode name = jump_label(n);
      add_edge(B, B->cur, ts_node_is_null(name) ? NONE : label_block(B, name));
      B->incomplete |= ts_node_is_null(name);
      dead(B);
      break;
    }
    case GO_NODE_FALLTHROUGH_STATEMENT:
      B->incomplete |= B->ft == NONE;
      add_edge(B, B->cur, B->ft);
      dead(B);
      break;
    case GO_NODE_EXPRESSION_STATEMENT:
      if (nchildren(n) == 1 && go_cfg_is_noreturn_call(B->f, ts_node_named_child(n, 0))) {
        add_edge(B, B->cur, GO_CFG_PANIC);
        dead(B);
      }
      break;
    case GO_NODE_ERROR:
      B->incomplete = true;
      break;
    default:
      break;
    }
    break;
  }
  B->depth--;
}

struct go_cfg_ref {
  uint32_t start, end, block, index;
};

static int cmp_ref(const void *a, const void *b) {
  const struct go_cfg_ref *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end < y->end ? 1 : x->end > y->end ? -1 : 0; /* outer first */
}

static void builder_free(builder *B) {
  for (uint32_t i = 0; i < B->nb; i++) {
    free(B->b[i].nodes);
    free(B->b[i].succ);
  }
  free(B->b);
  free(B->t);
  free(B->l);
  free(B->defers);
  free(B->gos);
}

static void *dup(omen_arena *a, const void *v, size_t n, size_t elem, bool *ok) {
  if (n == 0)
    return NULL;
  void *d = omen_arena_alloc(a, n * elem);
  if (!d) {
    *ok = false;
    return NULL;
  }
  memcpy(d, v, n * elem);
  return d;
}

/* Moves the builder's blocks into the arena. */
static go_cfg_fn *finish(omen_arena *a, builder *B, uint32_t file, TSNode func, TSNode body) {
  go_cfg_fn *fn = omen_arena_alloc(a, sizeof *fn);
  if (!fn)
    return NULL;
  fn->file = file;
  fn->func = func;
  fn->body = body;
  fn->incomplete = B->incomplete;
  fn->nblocks = B->nb;
  fn->blocks = omen_arena_alloc(a, (size_t)B->nb * sizeof *fn->blocks);
  if (!fn->blocks)
    return NULL;
  bool ok = true;
  uint32_t nrefs = 0;
  for (uint32_t i = 0; i < B->nb; i++) {
    go_cfg_block *d = &fn->blocks[i];
    const bblock *s = &B->b[i];
    d->index = i;
    d->nnodes = s->nn;
    d->nodes = dup(a, s->nodes, s->nn, sizeof *s->nodes, &ok);
    d->nsuccs = s->ns;
    d->succs = dup(a, s->succ, s->ns, sizeof *s->succ, &ok);
    d->cond = s->cond;
    d->kind = s->kind;
    nrefs += s->nn;
  }
  fn->defers = dup(a, B->defers, B->ndefers, sizeof *B->defers, &ok);
  fn->ndefers = B->ndefers;
  fn->gos = dup(a, B->gos, B->ngos, sizeof *B->gos, &ok);
  fn->ngos = B->ngos;
  if (nrefs) {
    fn->refs = omen_arena_alloc(a, (size_t)nrefs * sizeof *fn->refs);
    if (!fn->refs)
      return NULL;
    uint32_t k = 0;
    for (uint32_t i = 0; i < fn->nblocks; i++)
      for (uint32_t j = 0; j < fn->blocks[i].nnodes; j++) {
        TSNode n = fn->blocks[i].nodes[j];
        fn->refs[k++] = (struct go_cfg_ref){ts_node_start_byte(n), ts_node_end_byte(n), i, j};
      }
    qsort(fn->refs, nrefs, sizeof *fn->refs, cmp_ref);
    fn->nrefs = nrefs;
  }
  return ok ? fn : NULL;
}

const go_cfg_fn *go_cfg_build(omen_arena *a, const omen_file *f, uint32_t file, TSNode func) {
  go_node k = go_node_kind(func);
  if (!a || !f ||
      (k != GO_NODE_FUNCTION_DECLARATION && k != GO_NODE_METHOD_DECLARATION && k != GO_NODE_FUNC_LITERAL))
    return NULL;
  builder B;
  memset(&B, 0, sizeof B);
  B.f = f;
  B.ft = NONE;
  new_block(&B, "entry");
  new_block(&B, "exit");
  new_block(&B, "panic");
  B.cur = GO_CFG_ENTRY;
  TSNode body = go_node_child(func, GO_F_BODY);
  if (go_node_is(body, GO_NODE_BLOCK)) {
    uint32_t start = new_block(&B, "body");
    add_edge(&B, GO_CFG_ENTRY, start);
    B.cur = start;
    stmt(&B, body, null_node());
  } else {
    body = null_node();
  }
  add_edge(&B, B.cur, GO_CFG_EXIT); /* falling off the end */
  if (ts_node_has_error(func))
    B.incomplete = true;
  go_cfg_fn *fn = B.failed ? NULL : finish(a, &B, file, func, body);
  builder_free(&B);
  return fn;
}

bool go_cfg_find(const go_cfg_fn *fn, TSNode n, go_cfg_pos *pos) {
  if (!fn || ts_node_is_null(n) || fn->nrefs == 0)
    return false;
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  /* the last ref starting at or before s */
  size_t lo = 0, hi = fn->nrefs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (fn->refs[mid].start <= s)
      lo = mid + 1;
    else
      hi = mid;
  }
  /* refs do not overlap, so only the last non-empty one starting at or before s can contain n */
  for (size_t i = lo; i > 0; i--) {
    const struct go_cfg_ref *r = &fn->refs[i - 1];
    if (r->end == r->start)
      continue; /* a zero-width (missing) node */
    if (r->end < e)
      return false;
    if (pos)
      *pos = (go_cfg_pos){r->block, r->index};
    return true;
  }
  return false;
}

/* ---------- path queries ---------- */

typedef struct item {
  uint32_t block, index;
  uint8_t state;
} item;

typedef struct search {
  const go_cfg_fn *fn;
  const go_cfg_query *q;
  uint8_t *seen; /* nblocks * GO_CFG_MAX_STATE */
  item *stack;
  size_t n, cap;
  go_cfg_exit *exits;
  size_t nexits, capexits;
  bool failed;
  /* go_cfg_reaches */
  bool want_pos;
  go_cfg_pos to;
  bool reached;
} search;

static void push_item(search *S, uint32_t block, uint32_t index, uint8_t state) {
  if (S->n == S->cap) {
    size_t cap = S->cap ? S->cap * 2 : 64;
    item *v = realloc(S->stack, cap * sizeof *v);
    if (!v) {
      S->failed = true;
      return;
    }
    S->stack = v;
    S->cap = cap;
  }
  S->stack[S->n++] = (item){block, index, state};
}

static void add_exit(search *S, go_cfg_exit_kind kind, TSNode node) {
  for (size_t i = 0; i < S->nexits; i++)
    if (S->exits[i].kind == kind && ts_node_eq(S->exits[i].node, node))
      return;
  if (S->nexits == S->capexits) {
    size_t cap = S->capexits ? S->capexits * 2 : 8;
    go_cfg_exit *v = realloc(S->exits, cap * sizeof *v);
    if (!v) {
      S->failed = true;
      return;
    }
    S->exits = v;
    S->capexits = cap;
  }
  S->exits[S->nexits++] = (go_cfg_exit){kind, node};
}

static void follow(search *S, const go_cfg_block *b, uint32_t to, uint8_t state) {
  const go_cfg_fn *fn = S->fn;
  if (to == GO_CFG_EXIT) {
    TSNode last = b->nnodes ? b->nodes[b->nnodes - 1] : null_node();
    if (go_node_is(last, GO_NODE_RETURN_STATEMENT))
      add_exit(S, GO_CFG_EXIT_RETURN, last);
    else
      add_exit(S, GO_CFG_EXIT_END, fn->body);
    return;
  }
  if (to == GO_CFG_PANIC) {
    if (S->q && S->q->panics && b->nnodes)
      add_exit(S, GO_CFG_EXIT_PANIC, b->nodes[b->nnodes - 1]);
    return;
  }
  if (to >= fn->nblocks)
    return;
  uint8_t *seen = &S->seen[(size_t)to * GO_CFG_MAX_STATE + state];
  if (*seen)
    return;
  *seen = 1;
  push_item(S, to, 0, state);
}

/* Searches from node `index` of `block` (that node is passed to the node callback). */
static void run_search(search *S, uint32_t block, uint32_t index) {
  const go_cfg_fn *fn = S->fn;
  const go_cfg_query *q = S->q;
  S->seen = calloc((size_t)fn->nblocks * GO_CFG_MAX_STATE, 1);
  if (!S->seen) {
    S->failed = true;
    return;
  }
  push_item(S, block, index, 0);
  while (S->n && !S->failed && !S->reached) {
    item it = S->stack[--S->n];
    const go_cfg_block *b = &fn->blocks[it.block];
    uint8_t state = it.state;
    bool covered = false;
    for (uint32_t i = it.index; i < b->nnodes; i++) {
      if (S->want_pos && it.block == S->to.block && i == S->to.index) {
        S->reached = true;
        break;
      }
      if (q && q->node && q->node(q->ctx, b->nodes[i], &state)) {
        covered = true;
        break;
      }
      if (state >= GO_CFG_MAX_STATE)
        state = GO_CFG_MAX_STATE - 1;
    }
    if (covered || S->reached)
      continue;
    for (uint32_t k = 0; k < b->nsuccs; k++) {
      if (!ts_node_is_null(b->cond) && b->nsuccs == 2 && q && q->edge &&
          !q->edge(q->ctx, b->cond, k == 0, state))
        continue;
      follow(S, b, b->succs[k], state);
    }
  }
}

static void search_free(search *S) {
  free(S->seen);
  free(S->stack);
  free(S->exits);
}

static uint32_t exit_key(const go_cfg_exit *e) {
  if (ts_node_is_null(e->node))
    return 0;
  return e->kind == GO_CFG_EXIT_END ? ts_node_end_byte(e->node) : ts_node_start_byte(e->node);
}

static int cmp_exit(const void *a, const void *b) {
  uint32_t x = exit_key(a), y = exit_key(b);
  return x < y ? -1 : x > y;
}

static bool valid_pos(const go_cfg_fn *fn, go_cfg_pos p) {
  return fn && p.block < fn->nblocks && p.index < fn->blocks[p.block].nnodes;
}

/* The exits of a search from node `index` of `block` (passed to the callbacks), in source order. */
static size_t exits_from(const go_cfg_fn *fn, uint32_t block, uint32_t index, const go_cfg_query *q,
                         go_cfg_exit *out, size_t cap) {
  search S;
  memset(&S, 0, sizeof S);
  S.fn = fn;
  S.q = q;
  run_search(&S, block, index);
  size_t n = S.failed ? 0 : S.nexits;
  if (n > 1)
    qsort(S.exits, n, sizeof *S.exits, cmp_exit);
  for (size_t i = 0; i < n && i < cap; i++)
    out[i] = S.exits[i];
  search_free(&S);
  return n;
}

size_t go_cfg_exits(const go_cfg_fn *fn, go_cfg_pos from, const go_cfg_query *q, go_cfg_exit *out,
                    size_t cap) {
  if (!valid_pos(fn, from))
    return 0;
  return exits_from(fn, from.block, from.index + 1, q, out, cap);
}

size_t go_cfg_entry_exits(const go_cfg_fn *fn, const go_cfg_query *q, go_cfg_exit *out, size_t cap) {
  if (!fn || fn->nblocks <= GO_CFG_ENTRY)
    return 0;
  return exits_from(fn, GO_CFG_ENTRY, 0, q, out, cap);
}

bool go_cfg_path_to_exit(const go_cfg_fn *fn, go_cfg_pos from, const go_cfg_query *q, go_cfg_exit *witness) {
  go_cfg_exit w;
  size_t n = go_cfg_exits(fn, from, q, &w, 1);
  if (n && witness)
    *witness = w;
  return n > 0;
}

bool go_cfg_reaches(const go_cfg_fn *fn, go_cfg_pos from, go_cfg_pos to, const go_cfg_query *q) {
  if (!valid_pos(fn, from) || !valid_pos(fn, to))
    return false;
  search S;
  memset(&S, 0, sizeof S);
  S.fn = fn;
  S.q = q;
  S.want_pos = true;
  S.to = to;
  run_search(&S, from.block, from.index + 1);
  bool r = S.reached && !S.failed;
  search_free(&S);
  return r;
}

/* ---------- forward dataflow ---------- */

omen_status go_cfg_forward(omen_arena *a, const go_cfg_fn *fn, const go_cfg_flow *flow, const uint64_t *entry,
                           uint64_t **in, bool **reached) {
  if (in)
    *in = NULL;
  if (reached)
    *reached = NULL;
  if (!a || !fn || !flow || !in || flow->nwords == 0 || flow->nwords > 64)
    return OMEN_EUSAGE;
  uint32_t nb = fn->nblocks, w = flow->nwords;
  uint64_t *facts = omen_arena_alloc(a, (size_t)nb * w * sizeof *facts);
  bool *seen = omen_arena_alloc(a, nb * sizeof *seen);
  uint64_t *out = malloc(2 * (size_t)w * sizeof *out);
  uint32_t *queue = malloc((size_t)nb * sizeof *queue);
  bool *queued = calloc(nb, sizeof *queued);
  omen_status st = OMEN_OK;
  if (!facts || !seen || !out || !queue || !queued) {
    st = OMEN_ENOMEM;
    goto done;
  }
  uint64_t *edge = out + w;
  if (entry)
    memcpy(facts, entry, w * sizeof *facts);
  seen[GO_CFG_ENTRY] = true;
  uint32_t head = 0, count = 0;
  queue[0] = GO_CFG_ENTRY;
  queued[GO_CFG_ENTRY] = true;
  count = 1;
  /* each block's fact moves monotonically through at most 64*w+1 values */
  size_t budget = (size_t)nb * (64u * w + 2) + 16;
  while (count > 0) {
    if (budget-- == 0) {
      st = OMEN_ELIMIT;
      break;
    }
    uint32_t b = queue[head];
    head = (head + 1) % nb;
    count--;
    queued[b] = false;
    const go_cfg_block *blk = &fn->blocks[b];
    memcpy(out, facts + (size_t)b * w, w * sizeof *out);
    for (uint32_t i = 0; i < blk->nnodes && flow->node; i++)
      flow->node(flow->ctx, blk->nodes[i], out);
    for (uint32_t k = 0; k < blk->nsuccs; k++) {
      uint32_t s = blk->succs[k];
      if (s >= nb)
        continue;
      memcpy(edge, out, w * sizeof *edge);
      if (!ts_node_is_null(blk->cond) && blk->nsuccs == 2 && flow->edge)
        flow->edge(flow->ctx, blk->cond, k == 0, edge);
      uint64_t *dst = facts + (size_t)s * w;
      bool changed = false;
      if (!seen[s]) {
        memcpy(dst, edge, w * sizeof *dst);
        seen[s] = true;
        changed = true;
      } else {
        for (uint32_t j = 0; j < w; j++) {
          uint64_t v = flow->must ? dst[j] & edge[j] : dst[j] | edge[j];
          changed |= v != dst[j];
          dst[j] = v;
        }
      }
      if (changed && !queued[s]) {
        queue[(head + count) % nb] = s;
        count++;
        queued[s] = true;
      }
    }
  }
  if (st == OMEN_OK) {
    *in = facts;
    if (reached)
      *reached = seen;
  }
done:
  free(out);
  free(queue);
  free(queued);
  return st;
}

/* ---------- dump ---------- */

typedef struct sbuf {
  char *p;
  size_t cap, len;
} sbuf;

static void put(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *dst = s->len < s->cap ? s->p + s->len : NULL;
  size_t room = s->len < s->cap ? s->cap - s->len : 0;
  int n = vsnprintf(dst, room, fmt, ap);
  va_end(ap);
  if (n > 0)
    s->len += (size_t)n;
}

/* A node's text on one line, whitespace runs collapsed, at most 40 bytes. */
static void put_node(sbuf *s, const omen_file *f, TSNode n) {
  char tmp[48];
  size_t o = 0;
  uint32_t a = ts_node_start_byte(n), e = ts_node_end_byte(n);
  bool space = false;
  for (uint32_t i = a; i < e && i < f->len && o < 40; i++) {
    char c = f->text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = o > 0;
      continue;
    }
    if (space)
      tmp[o++] = ' ';
    space = false;
    tmp[o++] = c;
  }
  if (o >= 40)
    o = 37, memcpy(tmp + o, "...", 3), o += 3;
  tmp[o] = '\0';
  put(s, "%s", tmp);
}

size_t go_cfg_format(const go_cfg_fn *fn, const omen_file *f, char *buf, size_t cap) {
  sbuf s = {buf, cap, 0};
  if (buf && cap)
    buf[0] = '\0';
  if (!fn || !f)
    return 0;
  for (uint32_t i = 0; i < fn->nblocks; i++) {
    const go_cfg_block *b = &fn->blocks[i];
    put(&s, "b%u %s [", i, b->kind ? b->kind : "?");
    for (uint32_t j = 0; j < b->nnodes; j++) {
      if (j)
        put(&s, " | ");
      put_node(&s, f, b->nodes[j]);
    }
    put(&s, "]");
    if (!ts_node_is_null(b->cond))
      put(&s, " ?");
    if (b->nsuccs)
      put(&s, " ->");
    for (uint32_t k = 0; k < b->nsuccs; k++)
      put(&s, " b%u", b->succs[k]);
    put(&s, "\n");
  }
  if (fn->incomplete)
    put(&s, "incomplete\n");
  return s.len;
}

/* ---------- the analyzer ---------- */

struct go_cfg {
  omen_arena *arena;
  const go_inspect *ins;
  const go_cfg_fn **cache; /* per GO_SITE_FUNC site */
  bool *built;
};

const go_cfg_fn *go_cfg_of(go_cfg *cfg, const go_site *site) {
  if (!cfg || !site || site->kind != GO_SITE_FUNC || !cfg->ins->sites[GO_SITE_FUNC])
    return NULL;
  const go_site *base = cfg->ins->sites[GO_SITE_FUNC];
  if (site < base || site >= base + cfg->ins->nsites[GO_SITE_FUNC])
    return NULL;
  size_t i = (size_t)(site - base);
  if (!cfg->built[i]) {
    cfg->built[i] = true;
    cfg->cache[i] = go_cfg_build(cfg->arena, cfg->ins->files[site->file]->file, site->file, site->node);
  }
  return cfg->cache[i];
}

const go_cfg_fn *go_cfg_of_node(go_cfg *cfg, uint32_t file, TSNode fn) {
  if (!cfg || ts_node_is_null(fn))
    return NULL;
  const go_site *v = cfg->ins->sites[GO_SITE_FUNC];
  size_t lo = 0, hi = cfg->ins->nsites[GO_SITE_FUNC];
  uint32_t s = ts_node_start_byte(fn);
  while (lo < hi) { /* sites are in walk order: by file, then by start */
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid].file < file || (v[mid].file == file && ts_node_start_byte(v[mid].node) < s))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < cfg->ins->nsites[GO_SITE_FUNC] && v[lo].file == file && ts_node_eq(v[lo].node, fn))
    return go_cfg_of(cfg, &v[lo]);
  return NULL;
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const go_inspect *ins = omen_pass_result(pass, &omen_go_inspect);
  if (!ins)
    return OMEN_OK;
  omen_arena *a = omen_pass_arena(pass);
  go_cfg *cfg = omen_arena_alloc(a, sizeof *cfg);
  size_t n = ins->nsites[GO_SITE_FUNC];
  if (!cfg)
    return OMEN_ENOMEM;
  cfg->arena = a;
  cfg->ins = ins;
  cfg->cache = omen_arena_alloc(a, (n ? n : 1) * sizeof *cfg->cache);
  cfg->built = omen_arena_alloc(a, (n ? n : 1) * sizeof *cfg->built);
  if (!cfg->cache || !cfg->built)
    return OMEN_ENOMEM;
  *result = cfg;
  return OMEN_OK;
}

const omen_analyzer omen_go_cfg = {
    .name = "go-cfg",
    .title = "Control-flow graphs of Go functions",
    .doc = "Base analyzer: builds, on request, the intra-procedural control-flow graph of each function, "
           "method and function literal of a Go unit (if/else, for and range loops, switch, type switch "
           "and select with fallthrough and default, labeled break and continue, goto, return, and "
           "panic/os.Exit/log.Fatal as abnormal exits), records its defer and go statements, and answers "
           "path queries (is there a path from a statement to a return that avoids statements with a "
           "property, with the witness exit) and forward dataflow problems over it.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, NULL},
    .run = run,
};

/* ---------- node sets ---------- */

void go_cfg_nodeset_add(go_cfg_nodeset *s, const go_cfg_fn *fn, TSNode n) {
  go_cfg_pos pos;
  if (!s || !fn || !go_cfg_find(fn, n, &pos))
    return;
  TSNode x = go_cfg_node_at(fn, pos);
  for (size_t i = 0; i < s->n; i++)
    if (ts_node_eq(s->v[i], x))
      return;
  if (s->n == GO_CFG_MAX_NODESET) {
    s->overflow = true;
    return;
  }
  s->v[s->n++] = x;
}

bool go_cfg_nodeset_has(void *s, TSNode node, uint8_t *state) {
  (void)state;
  const go_cfg_nodeset *set = s;
  for (size_t i = 0; set && i < set->n; i++)
    if (ts_node_eq(set->v[i], node))
      return true;
  return false;
}
