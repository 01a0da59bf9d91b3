/* c_paths.c - a structural walk of a C/C++ function body carrying a client's abstract states along
 * every path: see c_paths.h. */
#include <string.h>

#include "c_inspect.h"
#include "c_paths.h"

#define MAX_LABELS 64
#define MAX_DEPTH 160
#define MAX_LOOP_ROUNDS 6

typedef struct label_st {
  uint32_t at; /* the label statement's start */
  omen_c_pset pending;
} label_st;

struct omen_c_paths {
  omen_pass *pass;
  const omen_c_paths_ops *ops;
  void *client;
  bool bail;
  int depth;
  omen_c_pset *brk, *cont, *sw_entry; /* innermost break/continue targets and switch entry */
  bool *sw_default;
  label_st labels[MAX_LABELS];
  uint32_t nlabels;
  uint32_t block_start, block_end;
  bool braced;
  uint32_t branch_of;
  CXCursor cond; /* innermost if condition around the statement being walked, and its branch */
  bool cond_truth;
};

void omen_c_paths_bail(omen_c_paths *pw) { pw->bail = true; }
bool omen_c_paths_failed(const omen_c_paths *pw) { return pw->bail; }

void omen_c_paths_block(const omen_c_paths *pw, uint32_t *start, uint32_t *end) {
  *start = pw->block_start;
  *end = pw->block_end;
}

bool omen_c_const_int(CXCursor e, long long *v) {
  e = omen_c_strip(e);
  if (omen_c_is_null(e)) {
    *v = 0;
    return true;
  }
  CXEvalResult r = clang_Cursor_Evaluate(e);
  if (!r)
    return false;
  bool ok = clang_EvalResult_getKind(r) == CXEval_Int;
  if (ok)
    *v = clang_EvalResult_getAsLongLong(r);
  clang_EvalResult_dispose(r);
  return ok;
}

static enum CXChildVisitResult kid(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  omen_c_kids *k = data;
  if (k->n < 8)
    k->c[k->n++] = c;
  k->last = c;
  k->total++;
  return CXChildVisit_Continue;
}

omen_c_kids omen_c_children(CXCursor c) {
  omen_c_kids k = {.n = 0, .last = clang_getNullCursor()};
  clang_visitChildren(c, kid, &k);
  return k;
}

static omen_c_pset eval(omen_c_paths *pw, CXCursor e, omen_c_pset st) {
  if (pw->bail || !st)
    return st;
  return pw->ops->eval(pw->client, pw, e, st);
}

static omen_c_pset refine(omen_c_paths *pw, CXCursor cond, bool truth, omen_c_pset st) {
  if (pw->bail || !st || !pw->ops->refine || clang_Cursor_isNull(cond))
    return st;
  return pw->ops->refine(pw->client, pw, cond, truth, st);
}

static bool matters(omen_c_paths *pw, uint32_t s, uint32_t e) {
  return !pw->ops->matters || pw->ops->matters(pw->client, s, e);
}

static void leave(omen_c_paths *pw, CXCursor stmt, uint32_t s, uint32_t e, bool at_end, omen_c_pset st) {
  if (!st || pw->bail)
    return;
  omen_c_exit x = {.stmt = stmt,
                   .start = s,
                   .end = e,
                   .at_end = at_end,
                   .braced = pw->braced,
                   .branch_of = pw->branch_of,
                   .cond = at_end ? clang_getNullCursor() : pw->cond,
                   .cond_truth = pw->cond_truth};
  pw->ops->exit(pw->client, pw, &x, st);
}

static label_st *label_for(omen_c_paths *pw, uint32_t at) {
  for (uint32_t i = 0; i < pw->nlabels; i++)
    if (pw->labels[i].at == at)
      return &pw->labels[i];
  if (pw->nlabels == MAX_LABELS) {
    pw->bail = true;
    return NULL;
  }
  pw->labels[pw->nlabels] = (label_st){.at = at, .pending = 0};
  return &pw->labels[pw->nlabels++];
}

typedef struct seq {
  omen_c_paths *pw;
  omen_c_pset st;
  uint32_t prev_end; /* end of the previous statement (or just past '{'); OMEN_C_NONE: unknown */
} seq;

static void gap(omen_c_paths *pw, uint32_t from, uint32_t to) {
  if (pw->ops->gap && from != OMEN_C_NONE && from < to && pw->ops->gap(pw->client, from, to))
    pw->bail = true;
}

static enum CXChildVisitResult seq_kid(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  seq *q = data;
  omen_c_paths *pw = q->pw;
  uint32_t cs, ce;
  if (omen_c_range(pw->pass, c, &cs, &ce)) {
    gap(pw, q->prev_end, cs);
    q->prev_end = ce;
  } else {
    q->prev_end = OMEN_C_NONE;
  }
  pw->braced = true;
  pw->branch_of = OMEN_C_NONE;
  q->st = omen_c_paths_stmt(pw, c, q->st);
  return pw->bail ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* A branch or body of the statement starting at owner: unbraced when it is not a compound. */
static omen_c_pset walk_branch(omen_c_paths *pw, CXCursor s, omen_c_pset st, uint32_t owner) {
  bool braced = pw->braced;
  uint32_t branch_of = pw->branch_of;
  pw->braced = clang_getCursorKind(s) == CXCursor_CompoundStmt;
  pw->branch_of = owner;
  st = omen_c_paths_stmt(pw, s, st);
  pw->braced = braced;
  pw->branch_of = branch_of;
  return st;
}

static bool const_true(CXCursor c) {
  long long v;
  return omen_c_const_int(c, &v) && v != 0;
}

static bool const_false(CXCursor c) {
  long long v;
  return omen_c_const_int(c, &v) && v == 0;
}

/* A loop: cond (a null cursor when it cannot be told apart) is tested before the body when
 * cond_first, after it otherwise; has_cond false means only break leaves. Iterates to a fixed
 * point (states only grow). */
static omen_c_pset walk_loop(omen_c_paths *pw, CXCursor body, CXCursor cond, bool has_cond, bool cond_first,
                             omen_c_pset st, uint32_t owner) {
  omen_c_pset brk = 0, cont = 0, *obrk = pw->brk, *ocont = pw->cont;
  pw->brk = &brk;
  pw->cont = &cont;
  omen_c_pset head = st, out = 0;
  for (int round = 0; round < MAX_LOOP_ROUNDS && !pw->bail; round++) {
    omen_c_pset in = head;
    if (cond_first && has_cond) {
      in = eval(pw, cond, in);
      out |= refine(pw, cond, false, in);
      in = refine(pw, cond, true, in);
    }
    cont = 0;
    omen_c_pset end = walk_branch(pw, body, in, owner) | cont;
    if (!cond_first && has_cond) {
      end = eval(pw, cond, end);
      out |= refine(pw, cond, false, end);
      end = refine(pw, cond, true, end);
    }
    omen_c_pset next = head | (pw->ops->back_edge ? pw->ops->back_edge(pw->client, end) : end);
    if (next == head && round > 0)
      break;
    head = next;
  }
  pw->brk = obrk;
  pw->cont = ocont;
  return out | brk;
}

/* Is the for statement at [s,e) written `for (init; ; inc)`, with no condition? */
static bool for_no_cond(const omen_file *f, uint32_t s, uint32_t e) {
  if (!f || e > f->len || e < s + 3 || memcmp(f->text + s, "for", 3) != 0)
    return false;
  int depth = 0, semis = 0;
  bool blank = true;
  for (uint32_t i = s + 3; i < e; i++) {
    char c = f->text[i];
    if (c == '(')
      depth++;
    else if (c == ')' && --depth == 0)
      return false;
    else if (c == '"' || c == '\'' || c == '/')
      return false; /* strings, comments: do not guess */
    else if (c == ';' && depth == 1) {
      if (++semis == 2)
        return blank;
      blank = true;
      continue;
    }
    if (semis == 1 && c != ' ' && c != '\t' && c != '\n' && c != '\r')
      blank = false;
  }
  return false;
}

/* Header parts before the last child (loop body, switch body): expressions evaluated, declarations
 * walked. */
static omen_c_pset header(omen_c_paths *pw, const omen_c_kids *ks, unsigned upto, omen_c_pset st) {
  for (unsigned i = 0; i < upto && i < ks->n; i++)
    st = clang_isExpression(clang_getCursorKind(ks->c[i])) ? eval(pw, ks->c[i], st)
                                                           : omen_c_paths_stmt(pw, ks->c[i], st);
  return st;
}

static omen_c_pset walk_if(omen_c_paths *pw, CXCursor s, uint32_t ss, omen_c_pset st) {
  omen_c_kids ks = omen_c_children(s);
  /* [init] [variable] cond then [else]: the header's children end before its ')' */
  int ci = -1;
  omen_c_if parts;
  if (ks.total > 8 || ks.n < 2) {
    pw->bail = true;
    return st;
  }
  if (omen_c_if_split(pw->pass, s, &parts)) {
    for (unsigned i = 0; i < ks.n; i++) {
      uint32_t cs, ce;
      if (omen_c_range(pw->pass, ks.c[i], &cs, &ce) && ce <= parts.cond_end)
        ci = (int)i;
    }
  } else if (omen_pass_lang(pw->pass) == OMEN_LANG_C && clang_isExpression(clang_getCursorKind(ks.c[0]))) {
    ci = 0; /* C: cond then [else] */
  }
  if (ci < 0 || (unsigned)ci + 1 >= ks.n || ks.n > (unsigned)ci + 3) {
    pw->bail = true;
    return st;
  }
  st = header(pw, &ks, (unsigned)ci + 1, st);
  CXCursor cond = ks.c[ci], ocond = pw->cond;
  bool otruth = pw->cond_truth;
  pw->cond = cond;
  pw->cond_truth = true;
  omen_c_pset t = walk_branch(pw, ks.c[ci + 1], refine(pw, cond, true, st), ss);
  omen_c_pset f = refine(pw, cond, false, st);
  pw->cond_truth = false;
  if ((unsigned)ci + 2 < ks.n)
    f = walk_branch(pw, ks.c[ci + 2], f, ss);
  pw->cond = ocond;
  pw->cond_truth = otruth;
  return t | f;
}

static omen_c_pset walk_switch(omen_c_paths *pw, CXCursor s, uint32_t ss, omen_c_pset st) {
  omen_c_kids ks = omen_c_children(s);
  if (ks.n < 2 || ks.total > 8) {
    pw->bail = true;
    return st;
  }
  st = header(pw, &ks, ks.n - 1, st);
  omen_c_pset entry = st, brk = 0, *obrk = pw->brk, *oentry = pw->sw_entry;
  bool has_default = false, *odef = pw->sw_default;
  pw->brk = &brk;
  pw->sw_entry = &entry;
  pw->sw_default = &has_default;
  omen_c_pset end = walk_branch(pw, ks.c[ks.n - 1], 0, ss);
  pw->brk = obrk;
  pw->sw_entry = oentry;
  pw->sw_default = odef;
  return end | brk | (has_default ? 0 : entry);
}

static omen_c_pset walk_try(omen_c_paths *pw, CXCursor s, uint32_t ss, uint32_t se, bool ranged,
                            omen_c_pset st) {
  omen_c_kids ks = omen_c_children(s);
  if (!ranged || matters(pw, ss, se) || ks.total > 8) {
    pw->bail = true; /* exceptions are not followed */
    return st;
  }
  omen_c_pset after = ks.n > 0 ? omen_c_paths_stmt(pw, ks.c[0], st) : st;
  omen_c_pset out = after;
  for (unsigned i = 1; i < ks.n; i++) { /* handlers: their body is the last child */
    omen_c_kids h = omen_c_children(ks.c[i]);
    if (h.n > 0)
      out |= omen_c_paths_stmt(pw, h.c[h.n - 1], st | after);
  }
  return out;
}

omen_c_pset omen_c_paths_stmt(omen_c_paths *pw, CXCursor s, omen_c_pset st) {
  if (pw->bail)
    return st;
  if (++pw->depth > MAX_DEPTH) {
    pw->bail = true;
    pw->depth--;
    return st;
  }
  enum CXCursorKind k = clang_getCursorKind(s);
  uint32_t ss = 0, se = 0;
  bool ranged = omen_c_range(pw->pass, s, &ss, &se);
  switch (k) {
  case CXCursor_CompoundStmt: {
    uint32_t obs = pw->block_start, obe = pw->block_end;
    pw->block_start = ss;
    pw->block_end = se;
    seq q = {pw, st, ranged ? ss + 1 : OMEN_C_NONE};
    clang_visitChildren(s, seq_kid, &q);
    if (ranged && se > 0)
      gap(pw, q.prev_end, se - 1);
    st = q.st;
    pw->block_start = obs;
    pw->block_end = obe;
    break;
  }
  case CXCursor_IfStmt:
    st = walk_if(pw, s, ss, st);
    break;
  case CXCursor_WhileStmt: {
    omen_c_kids ks = omen_c_children(s);
    if (ks.n == 3 && clang_getCursorKind(ks.c[0]) == CXCursor_VarDecl)
      st = walk_loop(pw, ks.c[2], ks.c[0], true, true, st, ss); /* while (T x = e) */
    else if (ks.n == 2)
      st = walk_loop(pw, ks.c[1], ks.c[0], !const_true(ks.c[0]), true, st, ss);
    else
      pw->bail = true;
    break;
  }
  case CXCursor_DoStmt: {
    omen_c_kids ks = omen_c_children(s);
    if (ks.n != 2) {
      pw->bail = true;
    } else if (const_false(ks.c[1])) { /* do { ... } while (0) */
      omen_c_pset brk = 0, cont = 0, *obrk = pw->brk, *ocont = pw->cont;
      pw->brk = &brk;
      pw->cont = &cont;
      st = walk_branch(pw, ks.c[0], st, ss) | brk | cont;
      pw->brk = obrk;
      pw->cont = ocont;
    } else {
      st = walk_loop(pw, ks.c[0], ks.c[1], !const_true(ks.c[1]), false, st, ss);
    }
    break;
  }
  case CXCursor_ForStmt:
  case CXCursor_CXXForRangeStmt: {
    omen_c_kids ks = omen_c_children(s);
    if (ks.total == 0 || ks.total > 8) {
      pw->bail = true;
      break;
    }
    /* init, cond and increment cannot be told apart reliably: evaluated once, no refinement; the loop
     * may end at its head unless the header has no condition */
    st = header(pw, &ks, ks.n - 1, st);
    bool may_end = ks.total > 1 && !(ranged && for_no_cond(omen_pass_c_file(pw->pass), ss, se));
    st = walk_loop(pw, ks.c[ks.n - 1], clang_getNullCursor(), may_end, true, st, ss);
    break;
  }
  case CXCursor_SwitchStmt:
    st = walk_switch(pw, s, ss, st);
    break;
  case CXCursor_CaseStmt:
  case CXCursor_DefaultStmt: {
    omen_c_kids ks = omen_c_children(s);
    if (!pw->sw_entry || ks.total == 0 || ks.total > 8) {
      pw->bail = true;
      break;
    }
    st |= *pw->sw_entry;
    if (k == CXCursor_DefaultStmt)
      *pw->sw_default = true;
    st = omen_c_paths_stmt(pw, ks.c[ks.n - 1], st);
    break;
  }
  case CXCursor_LabelStmt: {
    label_st *l = ranged ? label_for(pw, ss) : NULL;
    if (!l) {
      pw->bail = true;
      break;
    }
    st |= l->pending;
    omen_c_kids ks = omen_c_children(s);
    if (ks.n > 0)
      st = omen_c_paths_stmt(pw, ks.c[ks.n - 1], st);
    break;
  }
  case CXCursor_GotoStmt: {
    CXCursor target = clang_getCursorReferenced(s);
    uint32_t ls, le;
    if (!ranged || clang_Cursor_isNull(target) || !omen_c_range(pw->pass, target, &ls, &le) || ls < ss) {
      pw->bail = true; /* backward or unknown: a loop the walk cannot follow */
      break;
    }
    label_st *l = label_for(pw, ls);
    if (l)
      l->pending |= st;
    st = 0;
    break;
  }
  case CXCursor_IndirectGotoStmt:
    pw->bail = true;
    break;
  case CXCursor_BreakStmt:
    if (pw->brk)
      *pw->brk |= st;
    st = 0;
    break;
  case CXCursor_ContinueStmt:
    if (pw->cont)
      *pw->cont |= st;
    st = 0;
    break;
  case CXCursor_ReturnStmt: {
    omen_c_kids ks = omen_c_children(s);
    CXCursor value = ks.n > 0 ? ks.c[0] : clang_getNullCursor();
    if (st && pw->ops->ret)
      st = pw->ops->ret(pw->client, pw, value, st);
    else if (ks.n > 0)
      st = eval(pw, value, st);
    if (ranged)
      leave(pw, s, ss, se, false, st);
    st = 0;
    break;
  }
  case CXCursor_DeclStmt: {
    omen_c_kids ks = omen_c_children(s);
    if (ks.total > 8 && ranged && matters(pw, ss, se))
      pw->bail = true;
    for (unsigned i = 0; i < ks.n; i++)
      st = omen_c_paths_stmt(pw, ks.c[i], st);
    break;
  }
  case CXCursor_VarDecl: {
    omen_c_kids ks = omen_c_children(s);
    CXCursor init = clang_getNullCursor();
    for (unsigned i = 0; i < ks.n; i++)
      if (clang_isExpression(clang_getCursorKind(ks.c[i])))
        init = ks.c[i];
    if (pw->ops->decl)
      st = pw->ops->decl(pw->client, pw, s, init, st);
    else if (!clang_Cursor_isNull(init))
      st = eval(pw, init, st);
    break;
  }
  case CXCursor_NullStmt:
  case CXCursor_AsmStmt:
    break;
  case CXCursor_CXXTryStmt:
    st = walk_try(pw, s, ss, se, ranged, st);
    break;
  default:
    if (clang_isExpression(k))
      st = eval(pw, s, st);
    else if (!ranged || matters(pw, ss, se))
      pw->bail = true;
    break;
  }
  pw->depth--;
  return st;
}

bool omen_c_paths_walk(omen_pass *pass, CXCursor body, uint32_t body_end, const omen_c_paths_ops *ops,
                       void *client, omen_c_pset init) {
  if (!pass || !ops || !ops->eval || !ops->exit || clang_getCursorKind(body) != CXCursor_CompoundStmt)
    return false;
  omen_c_paths pw = {.pass = pass,
                     .ops = ops,
                     .client = client,
                     .braced = true,
                     .branch_of = OMEN_C_NONE,
                     .cond = clang_getNullCursor()};
  omen_c_pset st = omen_c_paths_stmt(&pw, body, init);
  if (st && body_end > 0) {
    pw.braced = true;
    pw.branch_of = OMEN_C_NONE;
    leave(&pw, clang_getNullCursor(), body_end - 1, body_end, true, st);
  }
  return !pw.bail;
}
