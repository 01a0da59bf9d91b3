/* c_threads.c - base analyzer for C/C++: thread start sites with their routines and handles, the
 * unit's direct call graph, and the thread context of each function (see c_threads.h). */
#include "c_threads.h"

#include <stdlib.h>
#include <string.h>

#include "analyzers.h"

/* Path depth searched from a statement down to a start call. */
#define MAX_PATH 48
/* Per-start reach sets are kept while they fit in this many 64-bit words. */
#define MAX_CTX_WORDS (1u << 18)

static bool is_thread_class(CXCursor cls, bool *jthread) {
  enum CXCursorKind k = clang_getCursorKind(cls);
  if (k != CXCursor_ClassDecl && k != CXCursor_StructDecl)
    return false;
  bool j = omen_c_name_is(cls, "jthread");
  if (!j && !omen_c_name_is(cls, "thread"))
    return false;
  if (!omen_c_in_std(cls))
    return false;
  if (jthread)
    *jthread = j;
  return true;
}

bool omen_c_is_std_thread_member(CXCursor decl, bool *jthread) {
  enum CXCursorKind k = clang_getCursorKind(decl);
  if (k == CXCursor_CXXMethod || k == CXCursor_Constructor || k == CXCursor_Destructor)
    decl = clang_getCursorSemanticParent(decl);
  return is_thread_class(decl, jthread);
}

bool omen_c_is_std_thread_type(CXType type, bool *jthread) {
  type = clang_getCanonicalType(type);
  if (type.kind == CXType_LValueReference || type.kind == CXType_RValueReference)
    type = clang_getCanonicalType(clang_getPointeeType(type));
  if (type.kind != CXType_Record)
    return false;
  return is_thread_class(clang_getTypeDeclaration(type), jthread);
}

/* ---- functions by location ---- */

typedef struct func_key {
  uint32_t off, func;
} func_key;

typedef struct state {
  omen_pass *pass;
  const omen_c_index *in;
  omen_c_thread_info *t;
  func_key *keys; /* funcs by the offset of their cursor's location, sorted */
  uint32_t nkeys;
} state;

static int cmp_key(const void *a, const void *b) {
  const func_key *x = a, *y = b;
  return x->off < y->off ? -1 : x->off > y->off ? 1 : x->func < y->func ? -1 : x->func > y->func;
}

static uint32_t func_by_loc(const state *st, CXCursor c) {
  uint32_t off;
  if (!omen_pass_c_in_main(st->pass, clang_getCursorLocation(c), &off))
    return OMEN_C_NONE;
  uint32_t lo = 0, hi = st->nkeys;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (st->keys[mid].off < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  enum CXCursorKind want = clang_getCursorKind(c);
  for (uint32_t i = lo; i < st->nkeys && st->keys[i].off == off; i++) {
    enum CXCursorKind k = clang_getCursorKind(st->in->funcs[st->keys[i].func].cursor);
    if (k == want || (k == CXCursor_FunctionTemplate && want != CXCursor_LambdaExpr) ||
        (want == CXCursor_FunctionTemplate && k != CXCursor_LambdaExpr))
      return st->keys[i].func;
  }
  return OMEN_C_NONE;
}

static uint32_t func_of(const state *st, CXCursor decl) {
  if (clang_Cursor_isNull(decl))
    return OMEN_C_NONE;
  CXCursor tmpl = clang_getSpecializedCursorTemplate(decl);
  if (!clang_Cursor_isNull(tmpl))
    decl = tmpl;
  CXCursor def = clang_getCursorDefinition(decl);
  if (clang_Cursor_isNull(def))
    return OMEN_C_NONE;
  return func_by_loc(st, def);
}

uint32_t omen_c_threads_func_of(omen_pass *p, const omen_c_thread_info *t, CXCursor decl) {
  if (!t)
    return OMEN_C_NONE;
  state st = {.pass = p, .in = t->in, .keys = t->func_keys, .nkeys = t->nfunc_keys};
  return func_of(&st, decl);
}

/* ---- paths from a statement down to a call ---- */

typedef struct path {
  const omen_pass *pass;
  uint32_t start, end; /* the target's range */
  CXCursor anc[MAX_PATH];
  CXCursor prev[MAX_PATH]; /* the previous sibling of anc[i+1] under anc[i] (null when none) */
  uint32_t n;
  bool found;
  CXCursor last;       /* scratch: previous sibling while visiting */
  CXCursor found_prev; /* the previous sibling of the call itself */
} path;

static enum CXChildVisitResult path_visit(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  path *p = data;
  uint32_t s, e;
  CXCursor prev = p->last;
  p->last = c;
  if (!omen_c_range(p->pass, c, &s, &e) || s > p->start || e < p->end)
    return CXChildVisit_Continue;
  if (s == p->start && e == p->end && clang_getCursorKind(c) == CXCursor_CallExpr) {
    p->found = true;
    p->found_prev = prev;
    return CXChildVisit_Break;
  }
  if (p->n + 1 >= MAX_PATH)
    return CXChildVisit_Break;
  p->prev[p->n] = prev;
  p->anc[p->n++] = c;
  p->last = clang_getNullCursor();
  clang_visitChildren(c, path_visit, p);
  if (p->found)
    return CXChildVisit_Break;
  p->n--;
  p->last = c;
  return CXChildVisit_Continue;
}

/* The ancestors of call (outermost first, starting with root itself). */
static bool find_path(const omen_pass *pass, CXCursor root, const omen_c_call *call, path *p) {
  memset(p, 0, sizeof *p);
  p->pass = pass;
  p->start = call->start;
  p->end = call->end;
  p->anc[0] = root;
  p->prev[0] = clang_getNullCursor();
  p->n = 1;
  p->last = clang_getNullCursor();
  clang_visitChildren(root, path_visit, p);
  return p->found;
}

static bool is_wrapper(CXCursor c) {
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_ParenExpr || k == CXCursor_UnexposedExpr || k == CXCursor_CStyleCastExpr ||
      k == CXCursor_CXXFunctionalCastExpr || k == CXCursor_CXXStaticCastExpr)
    return true;
  /* an outer copy or move construction of the same std::thread (elided or not) */
  return k == CXCursor_CallExpr && clang_Cursor_getNumArguments(c) == 1 &&
         clang_getCursorKind(clang_getCursorReferenced(c)) == CXCursor_Constructor &&
         omen_c_is_std_thread_type(clang_getCursorType(c), NULL) &&
         omen_c_is_std_thread_type(clang_getCursorType(clang_Cursor_getArgument(c, 0)), NULL);
}

/* ---- handles ---- */

static void set_handle_decl(state *st, omen_c_thread_start *s, CXCursor e) {
  uint32_t hs, he;
  if (omen_c_range(st->pass, e, &hs, &he)) {
    s->handle_start = hs;
    s->handle_end = he;
  }
  e = omen_c_strip(e);
  enum CXCursorKind k = clang_getCursorKind(e);
  if (k == CXCursor_ArraySubscriptExpr ||
      (k == CXCursor_CallExpr && omen_c_name_is(clang_getCursorReferenced(e), "operator[]"))) {
    s->handle = OMEN_C_HANDLE_ELEMENT;
    CXCursor base = omen_c_strip(omen_c_expr_child(e, 0));
    if (clang_getCursorKind(base) == CXCursor_DeclRefExpr ||
        clang_getCursorKind(base) == CXCursor_MemberRefExpr)
      s->handle_decl = clang_getCursorReferenced(base);
    return;
  }
  if (k == CXCursor_MemberRefExpr) {
    CXCursor field = clang_getCursorReferenced(e);
    if (clang_getCursorKind(field) == CXCursor_FieldDecl) {
      s->handle = OMEN_C_HANDLE_FIELD;
      s->handle_decl = field;
    }
    return;
  }
  if (k != CXCursor_DeclRefExpr)
    return;
  CXCursor decl = clang_getCursorReferenced(e);
  enum CXCursorKind dk = clang_getCursorKind(decl);
  if (dk == CXCursor_ParmDecl) {
    s->handle = OMEN_C_HANDLE_PARAM;
    s->handle_decl = decl;
    return;
  }
  if (dk != CXCursor_VarDecl)
    return;
  s->handle_decl = decl;
  uint32_t v = omen_c_var_find(st->in, decl);
  if (v == OMEN_C_NONE || st->in->vars[v].is_static) {
    s->handle = OMEN_C_HANDLE_GLOBAL;
    return;
  }
  s->handle = OMEN_C_HANDLE_LOCAL;
  s->handle_var = v;
}

/* pthread_create(&t, ...), thrd_create(&t, ...) */
static void c_handle(state *st, omen_c_thread_start *s, CXCursor arg) {
  if (omen_c_is_null(arg)) {
    s->handle = OMEN_C_HANDLE_NULL;
    return;
  }
  CXCursor e = omen_c_strip(arg);
  if (omen_c_is_addr_of(e)) {
    set_handle_decl(st, s, omen_c_expr_child(e, 0));
    if (s->handle == OMEN_C_HANDLE_LOCAL || s->handle == OMEN_C_HANDLE_GLOBAL ||
        s->handle == OMEN_C_HANDLE_FIELD || s->handle == OMEN_C_HANDLE_ELEMENT)
      return;
    s->handle = OMEN_C_HANDLE_UNKNOWN;
    s->handle_decl = clang_getNullCursor();
    s->handle_var = OMEN_C_NONE;
    return;
  }
  bool addr = false;
  CXCursor decl = omen_c_named_decl(e, &addr);
  if (clang_getCursorKind(decl) == CXCursor_ParmDecl) {
    s->handle = OMEN_C_HANDLE_PARAM;
    s->handle_decl = decl;
  }
}

static bool is_container_insert(CXCursor callee) {
  static const char *const names[] = {
      "push_back",     "emplace_back", "push",         "emplace",     "push_front",
      "emplace_front", "insert",       "emplace_hint", "try_emplace", NULL};
  if (clang_getCursorKind(callee) != CXCursor_CXXMethod)
    return false;
  for (size_t i = 0; names[i]; i++)
    if (omen_c_name_is(callee, names[i]))
      return true;
  return false;
}

CXCursor omen_c_member_object(CXCursor call) {
  CXCursor callee = omen_c_strip(omen_c_expr_child(call, 0));
  if (clang_getCursorKind(callee) != CXCursor_MemberRefExpr)
    return clang_getNullCursor();
  return omen_c_strip(omen_c_expr_child(callee, 0));
}

/* std::thread / std::jthread / std::async: where the constructed object or future goes. */
static void cxx_handle(state *st, omen_c_thread_start *s, const omen_c_call *call) {
  const omen_c_index *in = st->in;
  path p;
  CXCursor root = call->stmt.kind != CXCursor_InvalidCode ? call->stmt.cursor : in->funcs[call->func].cursor;
  if (!find_path(st->pass, root, call, &p))
    return;
  uint32_t i = p.n;
  while (i > 1 && is_wrapper(p.anc[i - 1]))
    i--;
  if (i == 0)
    return;
  CXCursor par = p.anc[i - 1];
  enum CXCursorKind k = clang_getCursorKind(par);
  bool whole = i - 1 == 0 && call->stmt.kind != CXCursor_InvalidCode && k != CXCursor_ReturnStmt &&
               k != CXCursor_DeclStmt;
  if (k == CXCursor_CXXNewExpr) {
    s->handle = OMEN_C_HANDLE_HEAP;
    uint32_t j = i - 1; /* the new expression's index; find the nearest non-wrapper above it */
    while (j > 0 && is_wrapper(p.anc[j - 1]))
      j--;
    if (j == 0) {
      /* nothing but wrappers up to the statement: `new std::thread(f);` */
      s->discarded = call->stmt.kind != CXCursor_InvalidCode;
      return;
    }
    CXCursor up = p.anc[j - 1];
    enum CXCursorKind uk = clang_getCursorKind(up);
    if (uk == CXCursor_VarDecl) {
      s->handle_decl = up;
      uint32_t v = omen_c_var_find(in, up);
      if (v != OMEN_C_NONE && !in->vars[v].is_static)
        s->handle_var = v;
    } else if (uk == CXCursor_BinaryOperator) {
      char op[8];
      CXCursor lhs = omen_c_strip(omen_c_expr_child(up, 0));
      enum CXCursorKind lk = clang_getCursorKind(lhs);
      if (omen_c_operator(st->pass, up, op, sizeof op) && strcmp(op, "=") == 0 &&
          (lk == CXCursor_DeclRefExpr || lk == CXCursor_MemberRefExpr)) {
        s->handle_decl = clang_getCursorReferenced(lhs);
        uint32_t v = omen_c_var_find(in, s->handle_decl);
        if (v != OMEN_C_NONE && !in->vars[v].is_static)
          s->handle_var = v;
      }
    }
    return;
  }
  if (whole) {
    s->handle = OMEN_C_HANDLE_TEMP;
    s->discarded = true;
    return;
  }
  switch (k) {
  case CXCursor_VarDecl: {
    s->handle_decl = par;
    uint32_t v = omen_c_var_find(in, par);
    if (v != OMEN_C_NONE && !in->vars[v].is_static) {
      s->handle = OMEN_C_HANDLE_LOCAL;
      s->handle_var = v;
      s->handle_start = in->vars[v].name_start;
      s->handle_end = in->vars[v].name_end;
    } else {
      s->handle = OMEN_C_HANDLE_GLOBAL;
    }
    return;
  }
  case CXCursor_ReturnStmt:
    s->handle = OMEN_C_HANDLE_RETURNED;
    return;
  case CXCursor_MemberRefExpr:
    s->handle = OMEN_C_HANDLE_TEMP; /* std::thread(f).detach() */
    return;
  case CXCursor_CallExpr: {
    CXCursor callee = clang_getCursorReferenced(par);
    if (omen_c_name_is(callee, "operator=") && clang_Cursor_getNumArguments(par) == 2) {
      set_handle_decl(st, s, clang_Cursor_getArgument(par, 0));
      return;
    }
    if (is_container_insert(callee)) {
      CXCursor obj = omen_c_member_object(par);
      s->handle = OMEN_C_HANDLE_ELEMENT;
      if (clang_getCursorKind(obj) == CXCursor_DeclRefExpr ||
          clang_getCursorKind(obj) == CXCursor_MemberRefExpr)
        s->handle_decl = clang_getCursorReferenced(obj);
    }
    return;
  }
  default:
    break;
  }
  /* a constructor's member initializer: `W() : t_(run, this) {}` */
  CXCursor before = i < p.n ? p.prev[i] : p.found_prev;
  if (clang_getCursorKind(par) == CXCursor_Constructor && clang_getCursorKind(before) == CXCursor_MemberRef) {
    CXCursor field = clang_getCursorReferenced(before);
    if (clang_getCursorKind(field) == CXCursor_FieldDecl) {
      s->handle = OMEN_C_HANDLE_FIELD;
      s->handle_decl = field;
    }
  }
}

/* ---- routines ---- */

/* The operator() of a functor type defined in the unit. */
typedef struct op_find {
  CXCursor found;
} op_find;

static enum CXChildVisitResult find_call_op(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  op_find *f = data;
  enum CXCursorKind k = clang_getCursorKind(c);
  if ((k == CXCursor_CXXMethod || k == CXCursor_FunctionTemplate) && omen_c_name_is(c, "operator()")) {
    f->found = c;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Continue;
}

static void set_routine(state *st, omen_c_thread_start *s, const omen_c_call *call, uint32_t arg) {
  const omen_c_index *in = st->in;
  s->routine_arg = arg;
  if (arg >= call->nargs)
    return;
  CXCursor e = omen_c_strip(call->args[arg]);
  for (int guard = 0; guard < 8; guard++) {
    enum CXCursorKind ck = clang_getCursorKind(e);
    if (ck != CXCursor_CXXReinterpretCastExpr && ck != CXCursor_CXXStaticCastExpr &&
        ck != CXCursor_CXXFunctionalCastExpr)
      break;
    e = omen_c_strip(omen_c_expr_child(e, 0)); /* reinterpret_cast<void *(*)(void *)>(fn) */
  }
  if (clang_getCursorKind(e) == CXCursor_CallExpr && clang_Cursor_getNumArguments(e) == 1 &&
      clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_Constructor)
    e = omen_c_strip(clang_Cursor_getArgument(e, 0)); /* a copy of a lambda or functor */
  if (clang_getCursorKind(e) == CXCursor_LambdaExpr) {
    s->routine = func_by_loc(st, e);
    return;
  }
  bool addr = false;
  CXCursor decl = omen_c_named_decl(e, &addr);
  if (clang_Cursor_isNull(decl) && clang_getCursorKind(e) == CXCursor_UnaryOperator) {
    /* &Class::method: a member pointer, which omen_c_is_addr_of does not take for an address */
    CXCursor operand = omen_c_strip(omen_c_expr_child(e, 0));
    if (clang_getCursorKind(operand) == CXCursor_DeclRefExpr) {
      decl = clang_getCursorReferenced(operand);
      addr = true;
    }
  }
  enum CXCursorKind dk = clang_getCursorKind(decl);
  if (dk == CXCursor_FunctionDecl || dk == CXCursor_CXXMethod || dk == CXCursor_FunctionTemplate) {
    s->routine_decl = decl;
    s->routine = func_of(st, decl);
    if (dk == CXCursor_CXXMethod && addr && !clang_CXXMethod_isStatic(decl) && arg + 1 < call->nargs)
      s->object_arg = arg + 1;
    return;
  }
  if (dk == CXCursor_VarDecl) {
    /* auto fn = [&] { ... }; std::thread t(fn); */
    uint32_t v = omen_c_var_find(in, decl);
    if (v != OMEN_C_NONE) {
      for (uint32_t f = 0; f < in->nfuncs; f++)
        if (clang_getCursorKind(in->funcs[f].cursor) == CXCursor_LambdaExpr &&
            in->funcs[f].start >= in->vars[v].start && in->funcs[f].end <= in->vars[v].end) {
          s->routine = f;
          return;
        }
    }
  }
  /* a functor object: its operator() */
  CXType ty = clang_getCanonicalType(clang_getCursorType(e));
  if (ty.kind == CXType_LValueReference || ty.kind == CXType_RValueReference)
    ty = clang_getCanonicalType(clang_getPointeeType(ty));
  if (ty.kind == CXType_Record) {
    op_find f = {.found = clang_getNullCursor()};
    clang_visitChildren(clang_getTypeDeclaration(ty), find_call_op, &f);
    if (!clang_Cursor_isNull(f.found)) {
      s->routine_decl = f.found;
      s->routine = func_of(st, f.found);
    }
  }
}

static omen_c_launch launch_of(CXCursor e) {
  e = omen_c_strip(e);
  if (clang_getCursorKind(e) == CXCursor_DeclRefExpr) {
    CXCursor d = clang_getCursorReferenced(e);
    if (clang_getCursorKind(d) == CXCursor_EnumConstantDecl)
      return omen_c_name_is(d, "async")      ? OMEN_C_LAUNCH_ASYNC
             : omen_c_name_is(d, "deferred") ? OMEN_C_LAUNCH_DEFERRED
                                             : OMEN_C_LAUNCH_UNKNOWN;
  }
  CXEvalResult r = clang_Cursor_Evaluate(e);
  omen_c_launch l = OMEN_C_LAUNCH_UNKNOWN;
  if (r && clang_EvalResult_getKind(r) == CXEval_Int) {
    long long v = clang_EvalResult_getAsLongLong(r); /* libstdc++ and libc++: async = 1, deferred = 2 */
    l = v == 1 ? OMEN_C_LAUNCH_ASYNC : v == 2 ? OMEN_C_LAUNCH_DEFERRED : OMEN_C_LAUNCH_DEFAULT;
  }
  if (r)
    clang_EvalResult_dispose(r);
  return l;
}

static bool is_launch_type(CXType t) {
  t = clang_getCanonicalType(t);
  if (t.kind != CXType_Enum)
    return false;
  CXCursor d = clang_getTypeDeclaration(t);
  return omen_c_name_is(d, "launch") && omen_c_in_std(d);
}

/* ---- collecting start sites ---- */

typedef struct starts {
  omen_c_thread_start *v;
  uint32_t n, cap;
} starts;

static omen_c_thread_start *add_start(starts *ss, const omen_c_index *in, uint32_t call,
                                      omen_c_thread_api api) {
  if (ss->n == ss->cap) {
    uint32_t cap = ss->cap ? ss->cap * 2 : 16;
    if (cap > (1u << 20))
      return NULL;
    omen_c_thread_start *nv = realloc(ss->v, (size_t)cap * sizeof *nv);
    if (!nv)
      return NULL;
    ss->v = nv;
    ss->cap = cap;
  }
  omen_c_thread_start *s = &ss->v[ss->n++];
  memset(s, 0, sizeof *s);
  s->api = api;
  s->call = call;
  s->func = in->calls[call].func;
  s->routine = s->routine_arg = s->object_arg = s->handle_var = OMEN_C_NONE;
  s->routine_decl = s->handle_decl = clang_getNullCursor();
  s->loop = OMEN_C_NONE;
  for (uint32_t l = in->calls[call].loop; l != OMEN_C_NONE; l = in->loops[l].parent)
    if (!in->loops[l].once) {
      s->loop = l;
      break;
    }
  return s;
}

static bool collect(state *st, starts *ss) {
  const omen_c_index *in = st->in;
  for (uint32_t i = 0; i < in->nsites; i++) {
    const omen_c_site *site = &in->sites[i];
    const omen_c_call *call = &in->calls[site->call];
    if (call->func == OMEN_C_NONE)
      continue;
    omen_c_thread_start *s = NULL;
    switch (site->kind) {
    case OMEN_C_SITE_PTHREAD_CREATE:
      if (call->nargs != 4)
        break;
      if (!(s = add_start(ss, in, site->call, OMEN_C_THREAD_PTHREAD)))
        return false;
      c_handle(st, s, call->args[0]);
      set_routine(st, s, call, 2);
      break;
    case OMEN_C_SITE_THRD_CREATE:
      if (call->nargs != 3)
        break;
      if (!(s = add_start(ss, in, site->call, OMEN_C_THREAD_C11)))
        return false;
      c_handle(st, s, call->args[0]);
      set_routine(st, s, call, 1);
      break;
    case OMEN_C_SITE_STD_THREAD: {
      bool jthread = false;
      /* a start: not the default, copy or move constructor */
      if (call->nargs == 0 || !omen_c_is_std_thread_member(call->callee, &jthread) ||
          omen_c_is_std_thread_type(clang_getCursorType(call->args[0]), NULL))
        break;
      if (!(s = add_start(ss, in, site->call, jthread ? OMEN_C_THREAD_JTHREAD : OMEN_C_THREAD_STD)))
        return false;
      cxx_handle(st, s, call);
      set_routine(st, s, call, 0);
      break;
    }
    default:
      break;
    }
  }
  for (uint32_t i = omen_c_call_first(in, "async"); i != OMEN_C_NONE; i = omen_c_call_next(in, i)) {
    const omen_c_call *call = &in->calls[i];
    if (!call->direct || call->func == OMEN_C_NONE || call->nargs == 0 || !omen_c_in_std(call->callee))
      continue;
    omen_c_thread_start *s = add_start(ss, in, i, OMEN_C_THREAD_ASYNC);
    if (!s)
      return false;
    uint32_t arg = 0;
    s->launch = OMEN_C_LAUNCH_DEFAULT;
    if (is_launch_type(clang_getCursorType(call->args[0]))) {
      s->launch = launch_of(call->args[0]);
      arg = 1;
    }
    cxx_handle(st, s, call);
    set_routine(st, s, call, arg);
  }
  static const char *const emplaces[] = {"emplace_back", "emplace", "emplace_front", NULL};
  for (size_t n = 0; emplaces[n]; n++) {
    for (uint32_t i = omen_c_call_first(in, emplaces[n]); i != OMEN_C_NONE; i = omen_c_call_next(in, i)) {
      const omen_c_call *call = &in->calls[i];
      if (!call->direct || call->func == OMEN_C_NONE || call->nargs == 0 ||
          omen_c_is_std_thread_type(clang_getCursorType(call->args[0]), NULL))
        continue;
      CXCursor obj = omen_c_member_object(call->cursor);
      CXType ot = clang_getCanonicalType(clang_getCursorType(obj));
      if (ot.kind == CXType_Pointer)
        ot = clang_getCanonicalType(clang_getPointeeType(ot));
      bool jthread = false;
      if (clang_Type_getNumTemplateArguments(ot) < 1 ||
          !omen_c_is_std_thread_type(clang_Type_getTemplateArgumentAsType(ot, 0), &jthread))
        continue;
      omen_c_thread_start *s = add_start(ss, in, i, jthread ? OMEN_C_THREAD_JTHREAD : OMEN_C_THREAD_STD);
      if (!s)
        return false;
      s->handle = OMEN_C_HANDLE_ELEMENT;
      enum CXCursorKind ok = clang_getCursorKind(obj);
      if (ok == CXCursor_DeclRefExpr || ok == CXCursor_MemberRefExpr)
        s->handle_decl = clang_getCursorReferenced(obj);
      set_routine(st, s, call, 0);
    }
  }
  return true;
}

static int cmp_start(const void *a, const void *b) {
  const omen_c_thread_start *x = a, *y = b;
  return x->call < y->call ? -1 : x->call > y->call;
}

/* ---- call graph and context ---- */

typedef struct edge {
  uint32_t from, to;
} edge;

static int cmp_edge(const void *a, const void *b) {
  const edge *x = a, *y = b;
  if (x->from != y->from)
    return x->from < y->from ? -1 : 1;
  return x->to < y->to ? -1 : x->to > y->to;
}

static omen_status build_graph(state *st, omen_arena *arena) {
  const omen_c_index *in = st->in;
  omen_c_thread_info *t = st->t;
  t->callee_first = omen_arena_alloc(arena, ((size_t)in->nfuncs + 1) * sizeof *t->callee_first);
  if (!t->callee_first)
    return OMEN_ENOMEM;
  edge *es = malloc(((size_t)in->ncalls + 1) * sizeof *es);
  if (!es)
    return OMEN_ENOMEM;
  uint32_t n = 0;
  for (uint32_t i = 0; i < in->ncalls; i++) {
    const omen_c_call *c = &in->calls[i];
    if (!c->direct || c->func == OMEN_C_NONE)
      continue;
    uint32_t to = func_of(st, c->callee);
    if (to != OMEN_C_NONE)
      es[n++] = (edge){c->func, to};
  }
  qsort(es, n, sizeof *es, cmp_edge);
  uint32_t m = 0;
  for (uint32_t i = 0; i < n; i++)
    if (m == 0 || es[m - 1].from != es[i].from || es[m - 1].to != es[i].to)
      es[m++] = es[i];
  t->callees = omen_arena_alloc(arena, ((size_t)m + 1) * sizeof *t->callees);
  if (!t->callees) {
    free(es);
    return OMEN_ENOMEM;
  }
  uint32_t k = 0;
  for (uint32_t f = 0; f <= in->nfuncs; f++) {
    t->callee_first[f] = k;
    while (f < in->nfuncs && k < m && es[k].from == f) {
      t->callees[k] = es[k].to;
      k++;
    }
  }
  free(es);
  return OMEN_OK;
}

static omen_status build_context(state *st, omen_arena *arena) {
  const omen_c_index *in = st->in;
  omen_c_thread_info *t = st->t;
  uint32_t nf = in->nfuncs;
  t->ctx_start = omen_arena_alloc(arena, ((size_t)nf + 1) * sizeof *t->ctx_start);
  t->ctx_via = omen_arena_alloc(arena, ((size_t)nf + 1) * sizeof *t->ctx_via);
  if (!t->ctx_start || !t->ctx_via)
    return OMEN_ENOMEM;
  memset(t->ctx_start, 0xff, ((size_t)nf + 1) * sizeof *t->ctx_start);
  memset(t->ctx_via, 0xff, ((size_t)nf + 1) * sizeof *t->ctx_via);
  if (nf == 0 || t->nstarts == 0)
    return OMEN_OK;
  t->ctx_words = (nf + 63) / 64;
  if ((uint64_t)t->ctx_words * t->nstarts <= MAX_CTX_WORDS) {
    t->ctx_bits = omen_arena_alloc(arena, (size_t)t->ctx_words * t->nstarts * sizeof *t->ctx_bits);
    if (!t->ctx_bits)
      return OMEN_ENOMEM;
    memset(t->ctx_bits, 0, (size_t)t->ctx_words * t->nstarts * sizeof *t->ctx_bits);
  }
  uint32_t *queue = malloc((size_t)nf * sizeof *queue);
  uint64_t *seen = malloc((size_t)t->ctx_words * sizeof *seen);
  if (!queue || !seen) {
    free(queue);
    free(seen);
    return OMEN_ENOMEM;
  }
  for (uint32_t s = 0; s < t->nstarts; s++) {
    uint32_t r = t->starts[s].routine;
    if (r == OMEN_C_NONE || t->starts[s].launch == OMEN_C_LAUNCH_DEFERRED)
      continue;
    uint64_t *bits = t->ctx_bits ? t->ctx_bits + (size_t)s * t->ctx_words : seen;
    if (!t->ctx_bits)
      memset(seen, 0, (size_t)t->ctx_words * sizeof *seen);
    uint32_t head = 0, tail = 0;
    queue[tail++] = r;
    bits[r / 64] |= 1ull << (r % 64);
    if (t->ctx_start[r] == OMEN_C_NONE)
      t->ctx_start[r] = s;
    while (head < tail) {
      uint32_t f = queue[head++];
      /* its callees, then the lambdas and local classes defined inside it (pre-order: they follow) */
      uint32_t lo = t->callee_first[f], hi = t->callee_first[f + 1];
      uint32_t nested = f + 1;
      while (nested < nf && in->funcs[nested].start < in->funcs[f].end)
        nested++;
      for (uint32_t k = lo; k < hi + (nested - f - 1); k++) {
        uint32_t g = k < hi ? t->callees[k] : f + 1 + (k - hi);
        if (bits[g / 64] & (1ull << (g % 64)))
          continue;
        bits[g / 64] |= 1ull << (g % 64);
        queue[tail++] = g;
        if (t->ctx_start[g] == OMEN_C_NONE) {
          t->ctx_start[g] = s;
          t->ctx_via[g] = f;
        }
      }
    }
  }
  free(queue);
  free(seen);
  return OMEN_OK;
}

/* ---- public lookups ---- */

uint32_t omen_c_threads_callees(const omen_c_thread_info *t, uint32_t f, const uint32_t **out) {
  *out = NULL;
  if (!t || !t->callee_first || f >= t->in->nfuncs)
    return 0;
  *out = t->callees + t->callee_first[f];
  return t->callee_first[f + 1] - t->callee_first[f];
}

bool omen_c_threads_in_context(const omen_c_thread_info *t, uint32_t f, uint32_t *start) {
  if (!t || !t->ctx_start || f >= t->in->nfuncs || t->ctx_start[f] == OMEN_C_NONE)
    return false;
  if (start)
    *start = t->ctx_start[f];
  return true;
}

bool omen_c_threads_reaches(const omen_c_thread_info *t, uint32_t s, uint32_t f) {
  if (!t || s >= t->nstarts || f >= t->in->nfuncs)
    return false;
  if (t->ctx_bits)
    return (t->ctx_bits[(size_t)s * t->ctx_words + f / 64] >> (f % 64)) & 1;
  return t->ctx_start[f] == s;
}

uint32_t omen_c_threads_start_of_call(const omen_c_thread_info *t, uint32_t call) {
  for (uint32_t i = 0; t && i < t->nstarts; i++)
    if (t->starts[i].call == call)
      return i;
  return OMEN_C_NONE;
}

static const omen_analyzer *const requires[] = {&omen_c_inspect, NULL};

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const omen_c_index *in = omen_pass_result(pass, &omen_c_inspect);
  omen_arena *arena = omen_pass_arena(pass);
  if (!in)
    return OMEN_OK;
  omen_c_thread_info *t = omen_arena_alloc(arena, sizeof *t);
  if (!t)
    return OMEN_ENOMEM;
  memset(t, 0, sizeof *t);
  t->in = in;
  state st = {.pass = pass, .in = in, .t = t};
  st.keys = omen_arena_alloc(arena, ((size_t)in->nfuncs + 1) * sizeof *st.keys);
  if (!st.keys)
    return OMEN_ENOMEM;
  for (uint32_t i = 0; i < in->nfuncs; i++) {
    uint32_t off;
    if (omen_pass_c_in_main(pass, clang_getCursorLocation(in->funcs[i].cursor), &off))
      st.keys[st.nkeys++] = (func_key){off, i};
  }
  qsort(st.keys, st.nkeys, sizeof *st.keys, cmp_key);
  t->func_keys = st.keys;
  t->nfunc_keys = st.nkeys;
  starts ss = {0};
  omen_status rc = OMEN_OK;
  if (in->nsites || omen_c_call_first(in, "async") != OMEN_C_NONE ||
      omen_c_call_first(in, "emplace_back") != OMEN_C_NONE ||
      omen_c_call_first(in, "emplace") != OMEN_C_NONE ||
      omen_c_call_first(in, "emplace_front") != OMEN_C_NONE) {
    if (!collect(&st, &ss))
      rc = OMEN_ENOMEM;
  }
  if (rc == OMEN_OK && ss.n) {
    qsort(ss.v, ss.n, sizeof *ss.v, cmp_start);
    t->starts = omen_arena_alloc(arena, (size_t)ss.n * sizeof *t->starts);
    if (t->starts) {
      memcpy(t->starts, ss.v, (size_t)ss.n * sizeof *t->starts);
      t->nstarts = ss.n;
    } else {
      rc = OMEN_ENOMEM;
    }
  }
  free(ss.v);
  if (rc == OMEN_OK)
    rc = build_graph(&st, arena);
  if (rc == OMEN_OK)
    rc = build_context(&st, arena);
  if (rc != OMEN_OK)
    return rc;
  *result = t;
  return OMEN_OK;
}

const omen_analyzer omen_c_threads = {
    .name = "c-threads",
    .title = "Finds thread start sites, the call graph and the thread context of a C/C++ unit",
    .doc = "Base analyzer: thread start sites (pthread_create, thrd_create, std::thread and std::jthread "
           "construction, emplace into a container of threads, std::async with its launch policy) with "
           "the routine each runs (a function, a member function pointer and its object, a lambda, a "
           "functor) and where its handle goes (local, parameter, global, field, element, heap, returned, "
           "temporary); the unit's direct call graph; and the thread context: the functions reachable from "
           "each start site's routine. Reports nothing.",
    .langs = OMEN_LANG_CFAMILY,
    .requires = requires,
    .run = run,
};
