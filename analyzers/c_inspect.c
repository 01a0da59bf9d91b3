/* c_inspect.c - base analyzer for C/C++: one walk of the main file collecting functions, calls with
 * their statements, loops, variables, declaration references and thread/lock sites. */
#include "c_inspect.h"

#include <stdlib.h>
#include <string.h>

#include "analyzers.h"

/* Deeper nesting is not walked (and the function is marked incomplete): the walk recurses, and
 * libclang's visitor recurses with it, so the stack bounds it. */
#define MAX_DEPTH 256
/* Per table; a main file with more is not a hand-written one. */
#define MAX_ITEMS (1u << 22)

typedef struct frame {
  CXCursor c;
  enum CXCursorKind kind;
  uint32_t start, end;
  uint32_t idx;           /* index among the parent's children */
  uint32_t nchild;        /* children seen so far */
  uint32_t func, loop;    /* the function or loop this frame opens, or OMEN_C_NONE */
  uint32_t call;          /* the call this frame is, or OMEN_C_NONE */
  uint32_t hdr_end;       /* if/while/for/switch: past the header's ')'; 0 not yet, NONE unreadable */
  uint32_t case_children; /* CaseStmt: how many children it has */
  bool stmt;              /* directly inside a compound statement (or under a label there) */
} frame;

typedef struct vec {
  void *v;
  uint32_t n, cap;
} vec;

typedef struct walker {
  const omen_pass *p;
  omen_arena *arena;
  const omen_file *file;
  frame *frames;
  uint32_t depth;
  uint32_t func, func_depth, loop; /* current function (its frame index) and loop */
  vec funcs, calls, loops, refs, vars, sites;
  omen_status status;
} walker;

static void *vec_push(walker *w, vec *v, size_t size) {
  if (v->n == v->cap) {
    uint32_t cap = v->cap ? v->cap * 2 : 64;
    if (cap > MAX_ITEMS) {
      w->status = OMEN_ELIMIT;
      return NULL;
    }
    void *nv = realloc(v->v, (size_t)cap * size);
    if (!nv) {
      w->status = OMEN_ENOMEM;
      return NULL;
    }
    v->v = nv;
    v->cap = cap;
  }
  void *e = (char *)v->v + (size_t)v->n * size;
  memset(e, 0, size);
  v->n++;
  return e;
}

/* Moves a vector's contents into the arena (the vector is freed either way). */
static void *vec_finish(walker *w, vec *v, size_t size, uint32_t *n) {
  void *out = NULL;
  *n = 0;
  if (w->status == OMEN_OK && v->n) {
    out = omen_arena_alloc(w->arena, (size_t)v->n * size);
    if (out) {
      memcpy(out, v->v, (size_t)v->n * size);
      *n = v->n;
    } else
      w->status = OMEN_ENOMEM;
  }
  free(v->v);
  v->v = NULL;
  v->n = v->cap = 0;
  return out;
}

/* Copies a libclang string into the arena and disposes it. */
static const char *take(walker *w, CXString s) {
  const char *c = clang_getCString(s);
  char *r = omen_arena_strdup(w->arena, c ? c : "");
  clang_disposeString(s);
  if (!r) {
    w->status = OMEN_ENOMEM;
    return "";
  }
  return r;
}

static bool name_is(CXCursor c, const char *name) {
  CXString s = clang_getCursorSpelling(c);
  const char *cs = clang_getCString(s);
  bool eq = cs && strcmp(cs, name) == 0;
  clang_disposeString(s);
  return eq;
}

bool omen_c_name_is(CXCursor c, const char *name) { return name_is(c, name); }

bool omen_c_in_std(CXCursor c) {
  CXCursor ns = clang_getCursorSemanticParent(c);
  for (int guard = 0; guard < 8 && clang_getCursorKind(ns) == CXCursor_Namespace; guard++) {
    CXCursor up = clang_getCursorSemanticParent(ns);
    if (clang_getCursorKind(up) == CXCursor_TranslationUnit)
      return name_is(ns, "std");
    ns = up;
  }
  return false;
}

/* ---- text scanning ---- */

static bool is_ident(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* Skips blanks, newlines and comments from i, not past lim. */
static uint32_t skip_space(const omen_file *f, uint32_t i, uint32_t lim) {
  const char *t = f->text;
  while (i < lim) {
    if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '\f' || t[i] == '\v') {
      i++;
    } else if (t[i] == '/' && i + 1 < lim && t[i + 1] == '/') {
      while (i < lim && t[i] != '\n')
        i++;
    } else if (t[i] == '/' && i + 1 < lim && t[i + 1] == '*') {
      i += 2;
      while (i + 1 < lim && !(t[i] == '*' && t[i + 1] == '/'))
        i++;
      i = i + 2 < lim ? i + 2 : lim;
    } else {
      break;
    }
  }
  return i;
}

/* Is the keyword kw at offset i (and not the start of a longer identifier)? */
static bool keyword_at(const omen_file *f, uint32_t i, uint32_t lim, const char *kw) {
  size_t n = strlen(kw);
  if (i > lim || lim - i < n || memcmp(f->text + i, kw, n) != 0)
    return false;
  return i + n == lim || !is_ident(f->text[i + n]);
}

/* Offset past the ')' closing the header of an if/while/switch/for statement starting at start,
 * or OMEN_C_NONE when the text does not read as one (e.g. the statement comes from a macro). */
static uint32_t header_end(const omen_file *f, enum CXCursorKind kind, uint32_t start, uint32_t end) {
  const char *kw = kind == CXCursor_IfStmt       ? "if"
                   : kind == CXCursor_WhileStmt  ? "while"
                   : kind == CXCursor_SwitchStmt ? "switch"
                                                 : "for";
  if (end > f->len || !keyword_at(f, start, end, kw))
    return OMEN_C_NONE;
  uint32_t i = skip_space(f, start + (uint32_t)strlen(kw), end);
  if (kind == CXCursor_IfStmt && keyword_at(f, i, end, "constexpr"))
    i = skip_space(f, i + 9, end);
  if (i >= end || f->text[i] != '(')
    return OMEN_C_NONE;
  const char *t = f->text;
  int depth = 0;
  while (i < end) {
    char ch = t[i];
    if (ch == '/' && i + 1 < end && (t[i + 1] == '/' || t[i + 1] == '*')) {
      i = skip_space(f, i, end);
      continue;
    }
    if (ch == '"' || ch == '\'') {
      for (i++; i < end && t[i] != ch && t[i] != '\n'; i++)
        if (t[i] == '\\')
          i++;
    } else if (ch == '(') {
      depth++;
    } else if (ch == ')') {
      if (--depth == 0)
        return i + 1;
    }
    i++;
  }
  return OMEN_C_NONE;
}

uint32_t omen_c_line_start(const omen_file *f, uint32_t off, uint32_t *indent) {
  if (off > f->len)
    off = f->len;
  uint32_t s = off;
  while (s > 0 && f->text[s - 1] != '\n')
    s--;
  uint32_t i = s;
  while (i < f->len && (f->text[i] == ' ' || f->text[i] == '\t'))
    i++;
  if (indent)
    *indent = i - s;
  return s;
}

uint32_t omen_c_after_stmt(const omen_file *f, uint32_t end, bool *eol) {
  const char *t = f->text;
  *eol = false;
  if (end > f->len)
    end = f->len;
  uint32_t i = end;
  for (;;) {
    while (i < f->len && (t[i] == ' ' || t[i] == '\t'))
      i++;
    if (i + 1 < f->len && t[i] == '/' && t[i + 1] == '*') {
      uint32_t j = i + 2;
      while (j + 1 < f->len && t[j] != '\n' && !(t[j] == '*' && t[j + 1] == '/'))
        j++;
      if (j + 1 >= f->len || t[j] == '\n')
        return end; /* a comment running onto the next lines */
      i = j + 2;
      continue;
    }
    break;
  }
  if (i + 1 < f->len && t[i] == '/' && t[i + 1] == '/') {
    while (i < f->len && t[i] != '\n')
      i++;
    if (i > 0 && (t[i - 1] == '\\' || (t[i - 1] == '\r' && i > 1 && t[i - 2] == '\\')))
      return end; /* the comment continues on the next line */
    if (i > end && i < f->len && t[i - 1] == '\r')
      i--;
  }
  if (i >= f->len || t[i] == '\n' || t[i] == '\r') {
    *eol = true;
    return i;
  }
  return end;
}

/* ---- cursor helpers ---- */

bool omen_c_range(const omen_pass *p, CXCursor c, uint32_t *start, uint32_t *end) {
  CXSourceRange r = clang_getCursorExtent(c);
  uint32_t s, e;
  if (!omen_pass_c_in_main(p, clang_getRangeStart(r), &s))
    return false;
  if (!omen_pass_c_in_main(p, clang_getRangeEnd(r), &e) || e < s)
    e = s;
  *start = s;
  *end = e;
  return true;
}

typedef struct kids {
  CXCursor c[8];
  CXCursor last;
  unsigned n;     /* children kept (up to 8) */
  unsigned total; /* all children */
  bool exprs;     /* count expressions only */
} kids;

static enum CXChildVisitResult kid(CXCursor c, CXCursor parent, CXClientData data) {
  kids *k = data;
  if (k->exprs && !clang_isExpression(clang_getCursorKind(c)))
    return CXChildVisit_Continue;
  if (k->n < 8)
    k->c[k->n++] = c;
  k->last = c;
  k->total++;
  return CXChildVisit_Continue;
}

static kids children(CXCursor c, bool exprs) {
  kids k = {.exprs = exprs};
  clang_visitChildren(c, kid, &k);
  return k;
}

typedef struct nth {
  unsigned want, seen;
  CXCursor found;
} nth;

static enum CXChildVisitResult nth_expr(CXCursor c, CXCursor parent, CXClientData data) {
  nth *n = data;
  if (!clang_isExpression(clang_getCursorKind(c)))
    return CXChildVisit_Continue;
  if (n->seen++ == n->want) {
    n->found = c;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Continue;
}

CXCursor omen_c_expr_child(CXCursor c, unsigned i) {
  nth n = {.want = i, .found = clang_getNullCursor()};
  clang_visitChildren(c, nth_expr, &n);
  return n.found;
}

static bool is_wrapper(enum CXCursorKind k) {
  return k == CXCursor_ParenExpr || k == CXCursor_UnexposedExpr || k == CXCursor_CStyleCastExpr;
}

CXCursor omen_c_strip(CXCursor e) {
  for (int guard = 0; guard < 64 && is_wrapper(clang_getCursorKind(e)); guard++) {
    kids k = children(e, true);
    if (k.total != 1)
      break;
    e = k.c[0];
  }
  return e;
}

bool omen_c_is_addr_of(CXCursor e) {
  if (clang_getCursorKind(e) != CXCursor_UnaryOperator)
    return false;
  kids k = children(e, true);
  if (k.total != 1)
    return false;
  /* libclang 14 has no operator kinds, but only & yields a pointer to its operand's type */
  CXType r = clang_getCanonicalType(clang_getCursorType(e));
  CXType t = clang_getCanonicalType(clang_getCursorType(k.c[0]));
  return r.kind == CXType_Pointer && t.kind != CXType_Invalid &&
         clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(r)), t);
}

CXCursor omen_c_named_decl(CXCursor e, bool *addr) {
  bool a = false;
  e = omen_c_strip(e);
  if (omen_c_is_addr_of(e)) {
    a = true;
    e = omen_c_strip(children(e, true).c[0]);
  }
  if (addr)
    *addr = a;
  if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
    return clang_getNullCursor();
  return clang_getCursorReferenced(e);
}

bool omen_c_is_null(CXCursor e) {
  e = omen_c_strip(e);
  enum CXCursorKind k = clang_getCursorKind(e);
  if (k == CXCursor_GNUNullExpr || k == CXCursor_CXXNullPtrLiteralExpr)
    return true;
  if (k != CXCursor_IntegerLiteral)
    return false;
  CXEvalResult r = clang_Cursor_Evaluate(e);
  bool zero = r && clang_EvalResult_getKind(r) == CXEval_Int && clang_EvalResult_getAsLongLong(r) == 0;
  if (r)
    clang_EvalResult_dispose(r);
  return zero;
}

/* Reads an operator token in [i, lim): punctuation only, then nothing but space/comments. */
static bool read_op(const omen_file *f, uint32_t i, uint32_t lim, char *buf, size_t n) {
  i = skip_space(f, i, lim);
  size_t len = 0;
  while (i < lim && strchr("=!<>&|+-*/%^,~.", f->text[i]) && f->text[i]) {
    if (len + 1 >= n)
      return false;
    buf[len++] = f->text[i++];
  }
  buf[len] = '\0';
  return len > 0 && skip_space(f, i, lim) == lim;
}

bool omen_c_operator(const omen_pass *p, CXCursor op, char *buf, size_t n) {
  const omen_file *f = omen_pass_c_file(p);
  enum CXCursorKind k = clang_getCursorKind(op);
  uint32_t s, e, as, ae, bs, be;
  if (n < 2 || !f || !omen_c_range(p, op, &s, &e))
    return false;
  kids ks = children(op, true);
  if (k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) {
    if (ks.total != 2 || !omen_c_range(p, ks.c[0], &as, &ae) || !omen_c_range(p, ks.c[1], &bs, &be))
      return false;
    return ae <= bs && read_op(f, ae, bs, buf, n);
  }
  if (k == CXCursor_UnaryOperator) {
    if (ks.total != 1 || !omen_c_range(p, ks.c[0], &as, &ae))
      return false;
    if (as > s)
      return read_op(f, s, as, buf, n);
    return ae <= e && read_op(f, ae, e, buf, n);
  }
  return false;
}

bool omen_c_if_split(const omen_pass *p, CXCursor ifstmt, omen_c_if *out) {
  const omen_file *f = omen_pass_c_file(p);
  uint32_t s, e;
  memset(out, 0, sizeof *out);
  if (!f || clang_getCursorKind(ifstmt) != CXCursor_IfStmt || !omen_c_range(p, ifstmt, &s, &e))
    return false;
  uint32_t h = header_end(f, CXCursor_IfStmt, s, e);
  if (h == OMEN_C_NONE)
    return false;
  out->cond_end = h;
  out->then_stmt = out->else_stmt = clang_getNullCursor();
  bool have_then = false;
  kids k = children(ifstmt, false);
  unsigned n = k.n < k.total ? k.n : k.total;
  for (unsigned i = 0; i < n; i++) {
    uint32_t cs, ce;
    if (!omen_c_range(p, k.c[i], &cs, &ce) || cs < h)
      continue;
    if (!have_then) {
      have_then = true;
      out->then_stmt = k.c[i];
      out->then_start = cs;
      out->then_end = ce;
    } else {
      out->has_else = true;
      out->else_stmt = k.c[i];
      out->else_start = cs;
      out->else_end = ce;
      return i + 1 == n;
    }
  }
  return have_then;
}

static const char *const noreturn_names[] = {
    "exit", "_exit", "_Exit", "quick_exit", "abort",      "pthread_exit",          "thrd_exit",     "err",
    "errx", "verr",  "verrx", "longjmp",    "siglongjmp", "__builtin_unreachable", "__assert_fail", NULL,
};

static bool calls_noreturn(CXCursor call) {
  CXCursor fn = clang_getCursorReferenced(call);
  if (clang_Cursor_isNull(fn))
    return false;
  CXString s = clang_getCursorSpelling(fn);
  const char *name = clang_getCString(s);
  bool yes = false;
  for (size_t i = 0; name && !yes && noreturn_names[i]; i++)
    yes = strcmp(name, noreturn_names[i]) == 0;
  clang_disposeString(s);
  if (!yes) { /* __attribute__((noreturn)) is part of the function type */
    CXString ts = clang_getTypeSpelling(clang_getCursorType(fn));
    const char *t = clang_getCString(ts);
    yes = t && strstr(t, "noreturn") != NULL;
    clang_disposeString(ts);
  }
  return yes;
}

bool omen_c_stmt_leaves(CXCursor stmt) {
  for (int guard = 0; guard < 64; guard++) {
    stmt = omen_c_strip(stmt);
    switch (clang_getCursorKind(stmt)) {
    case CXCursor_ReturnStmt:
    case CXCursor_GotoStmt:
    case CXCursor_IndirectGotoStmt:
    case CXCursor_BreakStmt:
    case CXCursor_ContinueStmt:
    case CXCursor_CXXThrowExpr:
      return true;
    case CXCursor_CallExpr:
      return calls_noreturn(stmt);
    case CXCursor_CompoundStmt:
    case CXCursor_LabelStmt: {
      kids k = children(stmt, false);
      if (k.total == 0)
        return false;
      stmt = k.last;
      break;
    }
    default:
      return false;
    }
  }
  return false;
}

/* ---- lookups ---- */

static uint32_t hash_str(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

uint32_t omen_c_call_first(const omen_c_index *in, const char *name) {
  if (!in || !in->ncall_heads)
    return OMEN_C_NONE;
  for (uint32_t i = in->call_heads[hash_str(name) & (in->ncall_heads - 1)]; i != OMEN_C_NONE;
       i = in->calls[i].next_same_name)
    if (strcmp(in->calls[i].name, name) == 0)
      return i;
  return OMEN_C_NONE;
}

uint32_t omen_c_call_next(const omen_c_index *in, uint32_t i) {
  const char *name = in->calls[i].name;
  for (i = in->calls[i].next_same_name; i != OMEN_C_NONE; i = in->calls[i].next_same_name)
    if (strcmp(in->calls[i].name, name) == 0)
      return i;
  return OMEN_C_NONE;
}

uint32_t omen_c_ref_first(const omen_c_index *in, CXCursor decl) {
  if (!in || !in->nref_heads || clang_Cursor_isNull(decl))
    return OMEN_C_NONE;
  for (uint32_t i = in->ref_heads[clang_hashCursor(decl) & (in->nref_heads - 1)]; i != OMEN_C_NONE;
       i = in->refs[i].next_same_decl)
    if (clang_equalCursors(in->refs[i].decl, decl))
      return i;
  return OMEN_C_NONE;
}

uint32_t omen_c_ref_next(const omen_c_index *in, uint32_t i) {
  CXCursor decl = in->refs[i].decl;
  for (i = in->refs[i].next_same_decl; i != OMEN_C_NONE; i = in->refs[i].next_same_decl)
    if (clang_equalCursors(in->refs[i].decl, decl))
      return i;
  return OMEN_C_NONE;
}

uint32_t omen_c_var_find(const omen_c_index *in, CXCursor decl) {
  if (!in || !in->nvar_heads || clang_Cursor_isNull(decl))
    return OMEN_C_NONE;
  for (uint32_t i = in->var_heads[clang_hashCursor(decl) & (in->nvar_heads - 1)]; i != OMEN_C_NONE;
       i = in->vars[i].next_same_decl)
    if (clang_equalCursors(in->vars[i].cursor, decl))
      return i;
  return OMEN_C_NONE;
}

uint32_t omen_c_call_at(const omen_c_index *in, uint32_t off) {
  uint32_t lo = 0, hi = in ? in->ncalls : 0;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (in->calls[mid].start < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

uint32_t omen_c_func_at(const omen_c_index *in, uint32_t off) {
  uint32_t best = OMEN_C_NONE;
  for (uint32_t i = 0; in && i < in->nfuncs; i++)
    if (off >= in->funcs[i].start && off < in->funcs[i].end &&
        (best == OMEN_C_NONE || in->funcs[i].start >= in->funcs[best].start))
      best = i;
  return best;
}

bool omen_c_loop_within(const omen_c_index *in, uint32_t inner, uint32_t l) {
  for (uint32_t guard = 0; inner != OMEN_C_NONE && guard <= in->nloops; guard++) {
    if (inner == l)
      return true;
    inner = in->loops[inner].parent;
  }
  return false;
}

/* ---- the walk ---- */

static bool is_function(enum CXCursorKind k) {
  return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
         k == CXCursor_Destructor || k == CXCursor_ConversionFunction || k == CXCursor_FunctionTemplate;
}

static const struct {
  const char *name;
  omen_c_site_kind kind;
} site_names[] = {
    {"pthread_create", OMEN_C_SITE_PTHREAD_CREATE},
    {"pthread_join", OMEN_C_SITE_PTHREAD_JOIN},
    {"pthread_detach", OMEN_C_SITE_PTHREAD_DETACH},
    {"pthread_mutex_lock", OMEN_C_SITE_PTHREAD_MUTEX_LOCK},
    {"pthread_mutex_trylock", OMEN_C_SITE_PTHREAD_MUTEX_TRYLOCK},
    {"pthread_mutex_unlock", OMEN_C_SITE_PTHREAD_MUTEX_UNLOCK},
    {"thrd_create", OMEN_C_SITE_THRD_CREATE},
    {"thrd_join", OMEN_C_SITE_THRD_JOIN},
    {"thrd_detach", OMEN_C_SITE_THRD_DETACH},
    {"mtx_lock", OMEN_C_SITE_MTX_LOCK},
    {"mtx_trylock", OMEN_C_SITE_MTX_TRYLOCK},
    {"mtx_unlock", OMEN_C_SITE_MTX_UNLOCK},
};

/* Is ctor a constructor of std::thread or std::jthread (also inside an inline namespace)? */
static bool is_std_thread_ctor(CXCursor ctor) {
  if (clang_getCursorKind(ctor) != CXCursor_Constructor)
    return false;
  CXCursor cls = clang_getCursorSemanticParent(ctor);
  if (!name_is(cls, "thread") && !name_is(cls, "jthread"))
    return false;
  return omen_c_in_std(cls);
}

/* Does the call come from a macro body? libclang 14's spelling location is the file location (the
 * expansion's for a macro body, where the text is for a macro argument), so: the call starts at a
 * macro location (its raw location is not the plain file location at the same offset) whose file
 * location is the expansion's (not a macro argument's text). Works for constructor calls too. */
static bool call_in_macro(const walker *w, CXCursor call) {
  CXSourceLocation at = clang_getRangeStart(clang_getCursorExtent(call));
  CXFile file, sfile;
  unsigned line, col, off, soff;
  clang_getExpansionLocation(at, &file, &line, &col, &off);
  if (!file)
    return false;
  if (clang_equalLocations(at, clang_getLocationForOffset(omen_pass_c_tu(w->p), file, off)))
    return false; /* written here */
  clang_getSpellingLocation(at, &sfile, &line, &col, &soff);
  return sfile && clang_File_isEqual(sfile, file) && soff == off;
}

static uint32_t skip_wrappers(const walker *w, uint32_t i, uint32_t top) {
  while (i < top && is_wrapper(w->frames[i].kind))
    i++;
  return i;
}

/* Place and shape of the call at frame top within statement frame s (see c_inspect.h). */
static void classify(walker *w, omen_c_call *call, uint32_t s, uint32_t top) {
  frame *st = &w->frames[s];
  enum CXCursorKind sk = st->kind;
  call->place = OMEN_C_PLACE_EXPR;
  if (sk == CXCursor_IfStmt || sk == CXCursor_WhileStmt || sk == CXCursor_SwitchStmt ||
      sk == CXCursor_ForStmt || sk == CXCursor_CXXForRangeStmt) {
    if (st->hdr_end == 0)
      st->hdr_end = header_end(w->file, sk, st->start, st->end);
    call->place = st->hdr_end == OMEN_C_NONE  ? OMEN_C_PLACE_UNKNOWN
                  : call->start < st->hdr_end ? OMEN_C_PLACE_COND
                                              : OMEN_C_PLACE_BRANCH;
  } else if (sk == CXCursor_DoStmt) {
    call->place = s + 1 <= top && w->frames[s + 1].idx == 0 ? OMEN_C_PLACE_BRANCH : OMEN_C_PLACE_COND;
  }
  call->shape = OMEN_C_SHAPE_OTHER;
  if (call->place == OMEN_C_PLACE_COND) {
    for (uint32_t j = s + 1; j < top; j++) {
      enum CXCursorKind k = w->frames[j].kind;
      uint32_t operand = w->frames[j + 1].idx;
      char op[8];
      if (k == CXCursor_ConditionalOperator && operand != 0)
        return;
      if (k == CXCursor_BinaryOperator && operand != 0 &&
          (!omen_c_operator(w->p, w->frames[j].c, op, sizeof op) || strcmp(op, "&&") == 0 ||
           strcmp(op, "||") == 0))
        return;
    }
    call->shape = OMEN_C_SHAPE_COND;
    return;
  }
  if (call->place != OMEN_C_PLACE_EXPR)
    return;
  uint32_t i = skip_wrappers(w, s, top);
  if (i == top) {
    call->shape = OMEN_C_SHAPE_BARE;
    return;
  }
  omen_c_shape shape = OMEN_C_SHAPE_OTHER;
  char op[8];
  if (w->frames[i].kind == CXCursor_BinaryOperator && w->frames[i + 1].idx == 1 &&
      omen_c_operator(w->p, w->frames[i].c, op, sizeof op) && strcmp(op, "=") == 0) {
    shape = OMEN_C_SHAPE_ASSIGN;
    i++;
  } else if (w->frames[i].kind == CXCursor_DeclStmt && w->frames[i + 1].kind == CXCursor_VarDecl) {
    shape = OMEN_C_SHAPE_INIT;
    i += 2;
  } else if (w->frames[i].kind == CXCursor_ReturnStmt) {
    shape = OMEN_C_SHAPE_RETURN;
    i++;
  }
  if (skip_wrappers(w, i, top) == top)
    call->shape = shape;
}

static void record_call(walker *w, frame *f) {
  omen_c_call *call = vec_push(w, &w->calls, sizeof *call);
  if (!call)
    return;
  uint32_t idx = w->calls.n - 1;
  f->call = idx;
  call->cursor = f->c;
  call->func = w->func;
  call->start = f->start;
  call->end = f->end;
  call->loop = w->loop;
  call->next_same_name = OMEN_C_NONE;
  CXCursor ref = clang_getCursorReferenced(f->c);
  call->callee = ref;
  enum CXCursorKind rk = clang_getCursorKind(ref);
  call->direct = !clang_Cursor_isNull(ref) && is_function(rk);
  call->name =
      take(w, clang_Cursor_isNull(ref) ? clang_getCursorSpelling(f->c) : clang_getCursorSpelling(ref));
  call->in_macro = call_in_macro(w, f->c);
  int na = clang_Cursor_getNumArguments(f->c);
  if (na > 0) {
    call->args = omen_arena_alloc(w->arena, (size_t)na * sizeof *call->args);
    call->arg_start = omen_arena_alloc(w->arena, (size_t)na * sizeof *call->arg_start);
    call->arg_end = omen_arena_alloc(w->arena, (size_t)na * sizeof *call->arg_end);
    if (!call->args || !call->arg_start || !call->arg_end) {
      w->status = OMEN_ENOMEM;
      return;
    }
    call->nargs = (uint32_t)na;
    for (int i = 0; i < na; i++) {
      call->args[i] = clang_Cursor_getArgument(f->c, (unsigned)i);
      if (!omen_c_range(w->p, call->args[i], &call->arg_start[i], &call->arg_end[i]))
        call->arg_start[i] = call->arg_end[i] = 0;
    }
  }
  /* the statement: the innermost statement frame of this function */
  uint32_t top = w->depth - 1, s = OMEN_C_NONE;
  for (uint32_t i = top + 1; i-- > w->func_depth + 1;) {
    if (w->frames[i].stmt) {
      s = i;
      break;
    }
  }
  call->stmt.kind = CXCursor_InvalidCode;
  call->place = OMEN_C_PLACE_UNKNOWN;
  if (s != OMEN_C_NONE) {
    frame *st = &w->frames[s];
    call->stmt.cursor = st->c;
    call->stmt.kind = st->kind;
    call->stmt.start = st->start;
    call->stmt.end = st->end;
    if (st->kind != CXCursor_CompoundStmt) {
      uint32_t j = skip_space(w->file, st->end, w->file->len);
      if (j < w->file->len && w->file->text[j] == ';')
        call->stmt.end = j + 1;
    }
    classify(w, call, s, top);
  }
  if (call->direct) {
    for (size_t i = 0; i < sizeof site_names / sizeof site_names[0]; i++) {
      if (strcmp(call->name, site_names[i].name) == 0) {
        omen_c_site *site = vec_push(w, &w->sites, sizeof *site);
        if (site)
          *site = (omen_c_site){site_names[i].kind, idx};
        return;
      }
    }
    if (is_std_thread_ctor(ref)) {
      omen_c_site *site = vec_push(w, &w->sites, sizeof *site);
      if (site)
        *site = (omen_c_site){OMEN_C_SITE_STD_THREAD, idx};
    }
  }
}

static void record_ref(walker *w, frame *f) {
  CXCursor decl = clang_getCursorReferenced(f->c);
  if (clang_Cursor_isNull(decl))
    return;
  omen_c_ref *r = vec_push(w, &w->refs, sizeof *r);
  if (!r)
    return;
  r->cursor = f->c;
  r->decl = decl;
  r->func = w->func;
  r->start = f->start;
  r->end = f->end;
  r->call = r->arg = r->next_same_decl = OMEN_C_NONE;
  /* climb through parentheses and casts, at most one &, to a call */
  uint32_t j = w->depth - 1;
  while (j > w->func_depth + 1 && is_wrapper(w->frames[j - 1].kind))
    j--;
  if (j > w->func_depth + 1 && omen_c_is_addr_of(w->frames[j - 1].c)) {
    r->flags |= OMEN_C_REF_ADDR;
    j--;
    while (j > w->func_depth + 1 && is_wrapper(w->frames[j - 1].kind))
      j--;
  }
  if (j <= w->func_depth + 1 || w->frames[j - 1].kind != CXCursor_CallExpr ||
      w->frames[j - 1].call == OMEN_C_NONE)
    return;
  const frame *arg = &w->frames[j];
  const omen_c_call *call = &((omen_c_call *)w->calls.v)[w->frames[j - 1].call];
  for (uint32_t a = 0; a < call->nargs; a++) {
    if (call->arg_start[a] == arg->start && call->arg_end[a] == arg->end &&
        clang_getCursorKind(call->args[a]) == arg->kind) {
      r->flags |= OMEN_C_REF_ARG;
      r->call = w->frames[j - 1].call;
      r->arg = a;
      return;
    }
  }
  if (arg->idx == 0 && !(r->flags & OMEN_C_REF_ADDR)) {
    r->flags |= OMEN_C_REF_CALLEE;
    r->call = w->frames[j - 1].call;
  }
}

static void record_var(walker *w, frame *f) {
  omen_c_var *v = vec_push(w, &w->vars, sizeof *v);
  if (!v)
    return;
  v->cursor = f->c;
  v->name = take(w, clang_getCursorSpelling(f->c));
  v->func = w->func;
  v->start = f->start;
  v->end = f->end;
  v->loop = w->loop;
  v->next_same_decl = OMEN_C_NONE;
  if (!omen_pass_c_in_main(w->p, clang_getCursorLocation(f->c), &v->name_start))
    v->name_start = f->start;
  v->name_end = v->name_start + (uint32_t)strlen(v->name);
  if (v->name_end > w->file->len)
    v->name_end = v->name_start;
  enum CX_StorageClass sc = clang_Cursor_getStorageClass(f->c);
  v->is_static = sc == CX_SC_Static || sc == CX_SC_Extern || sc == CX_SC_PrivateExtern ||
                 clang_getCursorTLSKind(f->c) != CXTLS_None;
}

/* Bookkeeping on entering frame f (parent pf, may be NULL). */
static void enter(walker *w, frame *f, frame *pf) {
  enum CXCursorKind k = f->kind;
  if ((is_function(k) && clang_isCursorDefinition(f->c)) || k == CXCursor_LambdaExpr) {
    omen_c_func *fn = vec_push(w, &w->funcs, sizeof *fn);
    if (!fn)
      return;
    fn->cursor = f->c;
    fn->name = k == CXCursor_LambdaExpr ? "" : take(w, clang_getCursorSpelling(f->c));
    fn->start = f->start;
    fn->end = f->end;
    fn->parent = w->func;
    f->func = w->funcs.n - 1;
    w->func = f->func;
    w->func_depth = w->depth - 1;
    w->loop = OMEN_C_NONE;
    return;
  }
  if (w->func == OMEN_C_NONE || !pf)
    return;
  if (pf->func != OMEN_C_NONE && k == CXCursor_CompoundStmt) {
    omen_c_func *fn = &((omen_c_func *)w->funcs.v)[pf->func];
    fn->body_start = f->start;
    fn->body_end = f->end;
  }
  f->stmt = pf->kind == CXCursor_CompoundStmt || pf->kind == CXCursor_LabelStmt ||
            pf->kind == CXCursor_DefaultStmt ||
            (pf->kind == CXCursor_CaseStmt && f->idx + 1 == pf->case_children);
  if (pf->loop != OMEN_C_NONE) {
    omen_c_loop *l = &((omen_c_loop *)w->loops.v)[pf->loop];
    if (l->kind != CXCursor_DoStmt || f->idx == 0) {
      l->body_start = f->start;
      l->body_end = f->end;
    }
    if (l->kind == CXCursor_DoStmt && f->idx == 1) {
      CXEvalResult r = clang_Cursor_Evaluate(f->c);
      l->once = r && clang_EvalResult_getKind(r) == CXEval_Int && clang_EvalResult_getAsLongLong(r) == 0;
      if (r)
        clang_EvalResult_dispose(r);
    }
  }
  switch (k) {
  case CXCursor_ForStmt:
  case CXCursor_WhileStmt:
  case CXCursor_DoStmt:
  case CXCursor_CXXForRangeStmt: {
    omen_c_loop *l = vec_push(w, &w->loops, sizeof *l);
    if (!l)
      return;
    l->cursor = f->c;
    l->kind = k;
    l->start = f->start;
    l->end = f->end;
    l->func = w->func;
    l->parent = w->loop;
    f->loop = w->loop = w->loops.n - 1;
    break;
  }
  case CXCursor_CaseStmt:
    f->case_children = children(f->c, false).total;
    break;
  case CXCursor_BreakStmt:
    for (uint32_t i = w->depth - 1; i-- > w->func_depth;) {
      if (w->frames[i].kind == CXCursor_SwitchStmt)
        break;
      if (w->frames[i].loop != OMEN_C_NONE) {
        ((omen_c_loop *)w->loops.v)[w->frames[i].loop].has_break = true;
        break;
      }
    }
    break;
  case CXCursor_ContinueStmt:
    if (w->loop != OMEN_C_NONE)
      ((omen_c_loop *)w->loops.v)[w->loop].has_continue = true;
    break;
  case CXCursor_GotoStmt:
  case CXCursor_IndirectGotoStmt:
    for (uint32_t l = w->loop; l != OMEN_C_NONE; l = ((omen_c_loop *)w->loops.v)[l].parent)
      ((omen_c_loop *)w->loops.v)[l].has_goto = true;
    break;
  case CXCursor_CallExpr:
    record_call(w, f);
    break;
  case CXCursor_DeclRefExpr:
    record_ref(w, f);
    break;
  case CXCursor_VarDecl:
    record_var(w, f);
    break;
  default:
    break;
  }
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData data) {
  walker *w = data;
  frame *pf = w->depth ? &w->frames[w->depth - 1] : NULL;
  uint32_t idx = pf ? pf->nchild++ : 0;
  uint32_t start, end;
  if (!omen_c_range(w->p, c, &start, &end))
    return CXChildVisit_Continue; /* outside the main file: skip the whole subtree */
  if (w->depth == MAX_DEPTH) {
    /* enclosing functions too: what was skipped may use their variables */
    for (uint32_t fn = w->func; fn != OMEN_C_NONE; fn = ((omen_c_func *)w->funcs.v)[fn].parent)
      ((omen_c_func *)w->funcs.v)[fn].incomplete = true;
    return CXChildVisit_Continue;
  }
  frame *f = &w->frames[w->depth++];
  *f = (frame){.c = c,
               .kind = clang_getCursorKind(c),
               .start = start,
               .end = end,
               .idx = idx,
               .func = OMEN_C_NONE,
               .loop = OMEN_C_NONE,
               .call = OMEN_C_NONE};
  uint32_t func = w->func, func_depth = w->func_depth, loop = w->loop;
  enter(w, f, pf);
  if (w->status == OMEN_OK)
    clang_visitChildren(c, visit, w);
  w->depth--;
  w->func = func;
  w->func_depth = func_depth;
  w->loop = loop;
  return w->status == OMEN_OK ? CXChildVisit_Continue : CXChildVisit_Break;
}

/* Chains items by key into a power-of-two table of heads; chains keep source order. */
static uint32_t *make_heads(walker *w, uint32_t n, uint32_t *nheads) {
  uint32_t size = 16;
  while (size < 2 * n && size < (1u << 24))
    size *= 2;
  uint32_t *heads = omen_arena_alloc(w->arena, (size_t)size * sizeof *heads);
  if (!heads) {
    w->status = OMEN_ENOMEM;
    *nheads = 0;
    return NULL;
  }
  memset(heads, 0xff, (size_t)size * sizeof *heads);
  *nheads = size;
  return heads;
}

static void index_result(walker *w, omen_c_index *in) {
  in->call_heads = make_heads(w, in->ncalls, &in->ncall_heads);
  in->ref_heads = make_heads(w, in->nrefs, &in->nref_heads);
  in->var_heads = make_heads(w, in->nvars, &in->nvar_heads);
  if (w->status != OMEN_OK)
    return;
  for (uint32_t i = in->ncalls; i-- > 0;) {
    uint32_t *h = &in->call_heads[hash_str(in->calls[i].name) & (in->ncall_heads - 1)];
    in->calls[i].next_same_name = *h;
    *h = i;
  }
  for (uint32_t i = in->nrefs; i-- > 0;) {
    uint32_t *h = &in->ref_heads[clang_hashCursor(in->refs[i].decl) & (in->nref_heads - 1)];
    in->refs[i].next_same_decl = *h;
    *h = i;
  }
  for (uint32_t i = in->nvars; i-- > 0;) {
    uint32_t *h = &in->var_heads[clang_hashCursor(in->vars[i].cursor) & (in->nvar_heads - 1)];
    in->vars[i].next_same_decl = *h;
    *h = i;
  }
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  CXTranslationUnit tu = omen_pass_c_tu(pass);
  const omen_file *file = omen_pass_c_file(pass);
  omen_arena *arena = omen_pass_arena(pass);
  if (!tu || !file)
    return OMEN_OK;
  omen_c_index *in = omen_arena_alloc(arena, sizeof *in);
  frame *frames = malloc(MAX_DEPTH * sizeof *frames);
  if (!in || !frames) {
    free(frames);
    return OMEN_ENOMEM;
  }
  walker w = {
      .p = pass, .arena = arena, .file = file, .frames = frames, .func = OMEN_C_NONE, .loop = OMEN_C_NONE};
  clang_visitChildren(clang_getTranslationUnitCursor(tu), visit, &w);
  free(frames);
  in->file = file;
  in->funcs = vec_finish(&w, &w.funcs, sizeof *in->funcs, &in->nfuncs);
  in->calls = vec_finish(&w, &w.calls, sizeof *in->calls, &in->ncalls);
  in->loops = vec_finish(&w, &w.loops, sizeof *in->loops, &in->nloops);
  in->refs = vec_finish(&w, &w.refs, sizeof *in->refs, &in->nrefs);
  in->vars = vec_finish(&w, &w.vars, sizeof *in->vars, &in->nvars);
  in->sites = vec_finish(&w, &w.sites, sizeof *in->sites, &in->nsites);
  if (w.status == OMEN_OK)
    index_result(&w, in);
  if (w.status != OMEN_OK)
    return w.status;
  *result = in;
  return OMEN_OK;
}

const omen_analyzer omen_c_inspect = {
    .name = "c-inspect",
    .title = "Walks a C/C++ translation unit once for the analyzers that require it",
    .doc = "Base analyzer: one walk of the main file of a translation unit, collecting function "
           "definitions, calls (callee, arguments, enclosing statement and loop), loops, local "
           "variables, declaration references and their use (address taken, call argument), and "
           "thread and lock sites (pthread, C11 threads, std::thread). Reports nothing.",
    .langs = OMEN_LANG_CFAMILY,
    .run = run,
};
