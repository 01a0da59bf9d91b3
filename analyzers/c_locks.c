/* c_locks.c - base analyzer for C/C++ lock machinery: lock operations keyed by mutex, the lock set
 * along each function's structured control flow, RAII guard scopes and per-function summaries. */
#include "c_locks.h"

#include <stdlib.h>
#include <string.h>

#include "analyzers.h"

#define KEY_MAX 256
#define SUM_MAX 16
#define FIX_ROUNDS 4
#define WALK_DEPTH 100
#define MAX_GOTO_LABELS 64
#define MAX_SCOPE_GUARDS 64

/* ---- names ---- */

typedef struct op_name {
  const char *name;
  omen_c_lockop_kind kind;
  bool shared;
  omen_c_mutex_api api;
} op_name;

static const op_name c_ops[] = {
    {"pthread_mutex_lock", OMEN_C_OP_LOCK, false, OMEN_C_MUTEX_PTHREAD},
    {"pthread_mutex_trylock", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_PTHREAD},
    {"pthread_mutex_timedlock", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_PTHREAD},
    {"pthread_mutex_unlock", OMEN_C_OP_UNLOCK, false, OMEN_C_MUTEX_PTHREAD},
    {"pthread_rwlock_rdlock", OMEN_C_OP_LOCK, true, OMEN_C_MUTEX_RWLOCK},
    {"pthread_rwlock_tryrdlock", OMEN_C_OP_TRYLOCK, true, OMEN_C_MUTEX_RWLOCK},
    {"pthread_rwlock_timedrdlock", OMEN_C_OP_TRYLOCK, true, OMEN_C_MUTEX_RWLOCK},
    {"pthread_rwlock_wrlock", OMEN_C_OP_LOCK, false, OMEN_C_MUTEX_RWLOCK},
    {"pthread_rwlock_trywrlock", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_RWLOCK},
    {"pthread_rwlock_timedwrlock", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_RWLOCK},
    {"pthread_rwlock_unlock", OMEN_C_OP_UNLOCK, false, OMEN_C_MUTEX_RWLOCK},
    {"pthread_spin_lock", OMEN_C_OP_LOCK, false, OMEN_C_MUTEX_SPIN},
    {"pthread_spin_trylock", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_SPIN},
    {"pthread_spin_unlock", OMEN_C_OP_UNLOCK, false, OMEN_C_MUTEX_SPIN},
    {"mtx_lock", OMEN_C_OP_LOCK, false, OMEN_C_MUTEX_C11},
    {"mtx_timedlock", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_C11},
    {"mtx_trylock", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_C11},
    {"mtx_unlock", OMEN_C_OP_UNLOCK, false, OMEN_C_MUTEX_C11},
};

static const op_name cxx_methods[] = {
    {"lock", OMEN_C_OP_LOCK, false, OMEN_C_MUTEX_STD},
    {"try_lock", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_STD},
    {"try_lock_for", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_STD},
    {"try_lock_until", OMEN_C_OP_TRYLOCK, false, OMEN_C_MUTEX_STD},
    {"unlock", OMEN_C_OP_UNLOCK, false, OMEN_C_MUTEX_STD},
    {"lock_shared", OMEN_C_OP_LOCK, true, OMEN_C_MUTEX_STD},
    {"try_lock_shared", OMEN_C_OP_TRYLOCK, true, OMEN_C_MUTEX_STD},
    {"unlock_shared", OMEN_C_OP_UNLOCK, true, OMEN_C_MUTEX_STD},
};

static const char *const std_mutexes[] = {
    "mutex", "timed_mutex", "recursive_mutex", "shared_mutex", "shared_timed_mutex", "recursive_timed_mutex",
    NULL};
static const char *const std_guards[] = {"lock_guard", "unique_lock", "scoped_lock", "shared_lock", NULL};

static bool spelled(CXCursor c, const char *const *names, const char **which) {
  CXString s = clang_getCursorSpelling(c);
  const char *cs = clang_getCString(s);
  bool yes = false;
  for (size_t i = 0; cs && names[i] && !yes; i++) {
    if (strcmp(cs, names[i]) == 0) {
      yes = true;
      if (which)
        *which = names[i];
    }
  }
  clang_disposeString(s);
  return yes;
}

/* Is cls a class declared in namespace std (also through an inline namespace such as __1)? */
static bool in_std(CXCursor cls) {
  CXCursor ns = clang_getCursorSemanticParent(cls);
  for (int guard = 0; guard < 8 && clang_getCursorKind(ns) == CXCursor_Namespace; guard++) {
    CXCursor up = clang_getCursorSemanticParent(ns);
    if (clang_getCursorKind(up) == CXCursor_TranslationUnit) {
      const char *const stdname[] = {"std", NULL};
      return spelled(ns, stdname, NULL);
    }
    ns = up;
  }
  return false;
}

/* Is fn a function declared at file scope (not a member, not in a namespace other than extern "C")? */
static bool file_scope_function(CXCursor fn) {
  if (clang_getCursorKind(fn) != CXCursor_FunctionDecl)
    return false;
  enum CXCursorKind pk = clang_getCursorKind(clang_getCursorSemanticParent(fn));
  return pk == CXCursor_TranslationUnit || pk == CXCursor_LinkageSpec;
}

/* ---- work state ---- */

#define CALL_ACQ 8

typedef struct call_state {
  uint64_t must, may, rel, relmay;
  bool in_branch; /* inside a branch of an if or a case of a switch */
  uint32_t nvia;  /* what the callee acquires, as the caller's mutexes */
  uint32_t via_m[CALL_ACQ], via_op[CALL_ACQ];
  uint32_t acq[OMEN_C_LOCKS_MAX];
  uint32_t acq_call[OMEN_C_LOCKS_MAX];
  bool seen;
} call_state;

typedef struct snap {
  uint32_t func, off;
  uint64_t must, may;
} snap;

typedef struct state {
  uint64_t must, may, rel, raii;
  uint64_t relmay;                     /* released by this function and not locked again, on some path */
  uint32_t acq[OMEN_C_LOCKS_MAX];      /* op that acquired it */
  uint32_t acq_call[OMEN_C_LOCKS_MAX]; /* call that acquired it through a summary */
  bool dead;
} state;

typedef struct vec {
  void *v;
  uint32_t n, cap;
} vec;

typedef struct ctx {
  omen_pass *p;
  omen_arena *arena;
  const omen_c_index *in;
  omen_c_lockinfo *lk;
  const omen_file *file;
  bool tu_recursive; /* the unit mentions recursive mutexes: a mutex it never initializes may be one */
  struct {
    char key[KEY_MAX]; /* ckey, or disp for a mutex without one */
    uint32_t func;     /* OMEN_C_NONE for ckeys */
    bool recursive;
  } * inits;
  uint32_t ninits;
  vec mutexes, ops, guards, exits, jumps, snaps;
  uint32_t *op_of_call; /* per call */
  call_state *cs;       /* per call */
  uint32_t *call_at;    /* private: sorted call indices by start for lookup */
  omen_status status;
  /* per walk */
  uint32_t func;
  bool record;
  int depth;
  int cond;              /* > 0 inside a conditional subexpression */
  int branch;            /* > 0 inside an if's branch or a switch's body */
  state *brk, *cont;     /* innermost break / continue accumulators */
  const state *sw_entry; /* innermost switch: the state at its case labels */
  bool sw_default;
  struct {
    uint32_t label; /* offset of the label statement */
    state st;
    bool seen_label;
  } * gotos;
  uint32_t ngotos;
  uint32_t scope_guards[MAX_SCOPE_GUARDS];
  uint32_t nscope_guards;
  /* summary being built */
  omen_c_summary_item acquires[SUM_MAX], releases[SUM_MAX], drops[SUM_MAX];
  uint32_t nacq, nrel, ndrop;
  uint64_t entry;           /* held on entry (REQUIRES) */
  struct ann_cache *acache; /* parsed annotations per declaration (lazily allocated) */
  uint64_t exit_held;
  bool any_exit;
} ctx;

static void *vec_push(ctx *c, vec *v, size_t size) {
  if (v->n == v->cap) {
    uint32_t cap = v->cap ? v->cap * 2 : 16;
    if (cap > (1u << 20)) {
      c->status = OMEN_ENOMEM;
      return NULL;
    }
    void *nv = omen_arena_alloc(c->arena, (size_t)cap * size);
    if (!nv) {
      c->status = OMEN_ENOMEM;
      return NULL;
    }
    if (v->n)
      memcpy(nv, v->v, (size_t)v->n * size);
    v->v = nv;
    v->cap = cap;
  }
  return (char *)v->v + (size_t)v->n++ * size;
}

/* ---- keys ---- */

typedef struct mkey {
  bool ok;
  omen_c_root root;
  char disp[KEY_MAX];
  char skey[KEY_MAX]; /* "" when none */
  char ckey[KEY_MAX]; /* "" when none */
  char xkey[KEY_MAX]; /* "" when none */
  CXType type;        /* type of the expression */
} mkey;

static bool kcat(char *dst, const char *a, const char *b, const char *cc) {
  size_t n = strlen(dst), la = strlen(a), lb = b ? strlen(b) : 0, lc = cc ? strlen(cc) : 0;
  if (n + la + lb + lc + 1 > KEY_MAX)
    return false;
  memcpy(dst + n, a, la);
  if (b)
    memcpy(dst + n + la, b, lb);
  if (cc)
    memcpy(dst + n + la + lb, cc, lc);
  dst[n + la + lb + lc] = '\0';
  return true;
}

static int param_index(CXCursor fn, CXCursor parm) {
  int n = clang_Cursor_getNumArguments(fn);
  for (int i = 0; i < n && i < 64; i++)
    if (clang_equalCursors(clang_Cursor_getArgument(fn, (unsigned)i), parm))
      return i;
  return -1;
}

static CXCursor first_expr_child(CXCursor e) { return omen_c_expr_child(e, 0); }

/* The identity of the header declaring cursor d, as text ("803:1234", device and inode) into
 * out (n bytes); false when d is declared in the main file or its file is unknown. */
static bool header_id(ctx *c, CXCursor d, char *out, size_t n) {
  CXSourceLocation loc = clang_getCursorLocation(d);
  if (omen_pass_c_in_main(c->p, loc, NULL))
    return false;
  CXFile file;
  clang_getFileLocation(loc, &file, NULL, NULL, NULL);
  CXFileUniqueID id;
  if (!file || clang_getFileUniqueID(file, &id) != 0)
    return false;
  return (size_t)snprintf(out, n, "%llx:%llx", id.data[0], id.data[1]) < n;
}

/* "USR@header" of d into out (KEY_MAX bytes), hid naming the header; "" when d has no USR or the key
 * would not fit. */
static void usr_key(CXCursor d, const char *hid, char *out) {
  CXString u = clang_getCursorUSR(d);
  const char *us = clang_getCString(u);
  if (us && *us)
    snprintf(out, KEY_MAX, "%s@%s", us, hid);
  clang_disposeString(u);
  if (strlen(out) + 1 >= KEY_MAX)
    out[0] = '\0';
}

/* The cross-TU key of a global variable d into out (KEY_MAX bytes): its USR and the header of its
 * first declaration, for a variable with external linkage that a header declares. A global only a
 * .c file declares may be another program's (a directory of tests or examples, each defining its own
 * `lock`): the files that share it through a header are those linked together. */
static void global_xkey(ctx *c, CXCursor d, char *out) {
  out[0] = '\0';
  char hid[64];
  if (clang_getCursorLinkage(d) == CXLinkage_External &&
      header_id(c, clang_getCanonicalCursor(d), hid, sizeof hid))
    usr_key(d, hid, out);
}

/* The cross-TU key of field (of a record declared outside the main file) into out (KEY_MAX bytes):
 * its USR and the header declaring the record, so that two headers declaring different records of
 * the same name stay apart. */
static void field_xkey(ctx *c, CXCursor field, char *out) {
  out[0] = '\0';
  char hid[64];
  if (header_id(c, clang_getCursorSemanticParent(field), hid, sizeof hid))
    usr_key(field, hid, out);
}

/* The key of the object expression e in function func. */
static void key_of(ctx *c, CXCursor e, uint32_t func, mkey *k, int depth) {
  memset(k, 0, sizeof *k);
  if (depth > 8)
    return;
  e = omen_c_strip(e);
  k->type = clang_getCursorType(e);
  enum CXCursorKind ek = clang_getCursorKind(e);
  if (ek == CXCursor_CXXThisExpr) {
    k->ok = true;
    k->root = OMEN_C_ROOT_THIS;
    strcpy(k->disp, "this");
    strcpy(k->skey, "this");
    return;
  }
  if (ek == CXCursor_DeclRefExpr) {
    CXCursor d = clang_getCursorReferenced(e);
    enum CXCursorKind dk = clang_getCursorKind(d);
    CXString s = clang_getCursorSpelling(d);
    const char *name = clang_getCString(s);
    if (!name || !*name || strlen(name) >= KEY_MAX / 2) {
      clang_disposeString(s);
      return;
    }
    strcpy(k->disp, name);
    clang_disposeString(s);
    if (dk == CXCursor_ParmDecl) {
      int pi = func == OMEN_C_NONE ? -1 : param_index(c->in->funcs[func].cursor, d);
      if (pi < 0)
        return;
      k->root = OMEN_C_ROOT_PARAM;
      snprintf(k->skey, sizeof k->skey, "$%d", pi);
    } else if (dk == CXCursor_VarDecl) {
      enum CX_StorageClass sc = clang_Cursor_getStorageClass(d);
      enum CXCursorKind pk = clang_getCursorKind(clang_getCursorSemanticParent(d));
      bool global = pk == CXCursor_TranslationUnit || pk == CXCursor_Namespace ||
                    pk == CXCursor_LinkageSpec || pk == CXCursor_StructDecl || pk == CXCursor_ClassDecl ||
                    sc == CX_SC_Static || sc == CX_SC_Extern;
      if (global) {
        k->root = OMEN_C_ROOT_GLOBAL;
        strcpy(k->skey, k->disp);
        strcpy(k->ckey, k->disp);
        global_xkey(c, d, k->xkey);
      } else {
        k->root = OMEN_C_ROOT_LOCAL;
      }
    } else {
      return;
    }
    k->ok = true;
    return;
  }
  if (ek == CXCursor_MemberRefExpr) {
    CXCursor field = clang_getCursorReferenced(e);
    enum CXCursorKind fk = clang_getCursorKind(field);
    if (fk != CXCursor_FieldDecl && fk != CXCursor_VarDecl)
      return;
    CXString fs = clang_getCursorSpelling(field);
    const char *fname = clang_getCString(fs);
    char fbuf[KEY_MAX / 2];
    bool fok = fname && *fname && strlen(fname) < sizeof fbuf;
    if (fok)
      strcpy(fbuf, fname);
    clang_disposeString(fs);
    if (!fok)
      return;
    CXCursor base = first_expr_child(e);
    mkey bk;
    bool arrow;
    if (clang_Cursor_isNull(base)) {
      memset(&bk, 0, sizeof bk);
      bk.ok = true;
      bk.root = OMEN_C_ROOT_THIS;
      strcpy(bk.disp, "this");
      strcpy(bk.skey, "this");
      arrow = true;
    } else {
      key_of(c, base, func, &bk, depth + 1);
      if (!bk.ok)
        return;
      arrow = clang_getCanonicalType(bk.type).kind == CXType_Pointer;
    }
    const char *sep = arrow ? "->" : ".";
    k->ok = true;
    k->root = bk.root;
    k->type = clang_getCursorType(e);
    if (!kcat(k->disp, bk.disp, sep, fbuf))
      k->ok = false;
    if (bk.skey[0] && !kcat(k->skey, bk.skey, sep, fbuf))
      k->ok = false;
    /* by declaration: the record that declares the field */
    CXType rt = clang_getCursorType(clang_getCursorSemanticParent(field));
    CXString ts = clang_getTypeSpelling(rt);
    const char *tn = clang_getCString(ts);
    if (tn && *tn && strlen(tn) < KEY_MAX / 2 && !strstr(tn, "(unnamed") && !strstr(tn, "(anonymous")) {
      kcat(k->ckey, tn, "::", fbuf);
      field_xkey(c, field, k->xkey);
    }
    clang_disposeString(ts);
    return;
  }
}

/* The key of the mutex a pthread-style pointer argument points to: &X is X, p is *p. */
static void key_of_pointee(ctx *c, CXCursor arg, uint32_t func, mkey *k) {
  CXCursor e = omen_c_strip(arg);
  if (omen_c_is_addr_of(e)) {
    key_of(c, first_expr_child(e), func, k, 0);
    return;
  }
  mkey pk;
  key_of(c, e, func, &pk, 0);
  memset(k, 0, sizeof *k);
  if (!pk.ok)
    return;
  *k = pk;
  k->disp[0] = k->skey[0] = k->ckey[0] = k->xkey[0] = '\0';
  kcat(k->disp, "*", pk.disp, NULL);
  if (pk.skey[0])
    kcat(k->skey, "*", pk.skey, NULL);
  if (pk.root == OMEN_C_ROOT_GLOBAL)
    kcat(k->ckey, "*", pk.disp, NULL);
}

/* ---- mutex table ---- */

static uint32_t find_mutex(ctx *c, uint32_t func, const char *disp) {
  omen_c_mutex *m = c->mutexes.v;
  for (uint32_t i = 0; i < c->mutexes.n; i++)
    if ((m[i].func == OMEN_C_NONE || m[i].func == func) && strcmp(m[i].key, disp) == 0)
      return i;
  return OMEN_C_NONE;
}

static uint32_t intern_mutex(ctx *c, uint32_t func, const mkey *k, omen_c_mutex_api api, bool recursive) {
  uint32_t owner = k->root == OMEN_C_ROOT_GLOBAL ? OMEN_C_NONE : func;
  uint32_t i = find_mutex(c, owner, k->disp);
  if (i != OMEN_C_NONE)
    return i;
  omen_c_mutex *m = vec_push(c, &c->mutexes, sizeof *m);
  if (!m)
    return OMEN_C_NONE;
  m->key = omen_arena_strdup(c->arena, k->disp);
  m->skey = k->skey[0] ? omen_arena_strdup(c->arena, k->skey) : NULL;
  m->ckey = k->ckey[0] ? omen_arena_strdup(c->arena, k->ckey) : NULL;
  m->xkey = k->xkey[0] ? omen_arena_strdup(c->arena, k->xkey) : NULL;
  m->root = k->root;
  m->api = api;
  m->func = owner;
  m->recursive = recursive;
  m->shared_capable = api == OMEN_C_MUTEX_RWLOCK;
  if (!m->key)
    c->status = OMEN_ENOMEM;
  return c->mutexes.n - 1;
}

/* ---- classifying calls ---- */

static bool translate(ctx *c, uint32_t ci, const char *skey, mkey *out);

/* ---- recursive mutexes ---- */

static bool type_mentions(CXType t, const char *word);

#define MAX_INITS 128

/* Does text[0..n) contain word, in any case? */
static bool mentions_ci(const char *text, size_t n, const char *word) {
  size_t wl = strlen(word);
  for (size_t i = 0; i + wl <= n; i++) {
    size_t k = 0;
    while (k < wl && (text[i + k] | 0x20) == (word[k] | 0x20))
      k++;
    if (k == wl)
      return true;
  }
  return false;
}

static bool text_mentions(ctx *c, uint32_t start, uint32_t end, const char *word) {
  const omen_file *f = c->file;
  if (!f || !f->text || start >= end || end > f->len)
    return false;
  return mentions_ci(f->text + start, end - start, word);
}

static void note_init(ctx *c, const mkey *k, uint32_t func, bool recursive) {
  if (!k->ok || c->ninits >= MAX_INITS)
    return;
  bool byc = k->ckey[0] != '\0';
  const char *key = byc ? k->ckey : k->disp;
  for (uint32_t i = 0; i < c->ninits; i++)
    if (strcmp(c->inits[i].key, key) == 0 && c->inits[i].func == (byc ? OMEN_C_NONE : func)) {
      c->inits[i].recursive |= recursive;
      return;
    }
  snprintf(c->inits[c->ninits].key, KEY_MAX, "%s", key);
  c->inits[c->ninits].func = byc ? OMEN_C_NONE : func;
  c->inits[c->ninits].recursive = recursive;
  c->ninits++;
}

/* Is pthread_mutex_init's attribute argument (call ci, argument 1) a recursive one: set with
 * PTHREAD_MUTEX_RECURSIVE by a pthread_mutexattr_settype of the unit? Unknown attributes are
 * recursive when the unit speaks of recursion. */
static bool attr_recursive(ctx *c, uint32_t ci) {
  const omen_c_call *call = &c->in->calls[ci];
  if (call->nargs < 2 || omen_c_is_null(omen_c_strip(call->args[1])))
    return false;
  mkey ak;
  key_of_pointee(c, call->args[1], call->func, &ak);
  if (!ak.ok)
    return c->tu_recursive;
  for (uint32_t i = omen_c_call_first(c->in, "pthread_mutexattr_settype"); i != OMEN_C_NONE;
       i = omen_c_call_next(c->in, i)) {
    const omen_c_call *st = &c->in->calls[i];
    if (st->nargs < 2 || !text_mentions(c, st->arg_start[1], st->arg_end[1], "recursive"))
      continue;
    mkey sk;
    key_of_pointee(c, st->args[0], st->func, &sk);
    if (!sk.ok || strcmp(sk.disp, ak.disp) == 0)
      return true;
  }
  return false;
}

/* The mutexes the unit initializes, and which of them are recursive: pthread_mutex_init with a
 * recursive attribute, mtx_init(&m, mtx_recursive), an init function whose name, arguments or (defined
 * here) body say recursive (openvswitch's ovs_mutex_init_recursive), a static initializer
 * (PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP). A project init function defined elsewhere whose name does
 * not say recursive leaves the mutex unknown, unless its NAME_recursive sibling is called here. */
static void find_inits(ctx *c) {
  c->inits = omen_arena_alloc(c->arena, MAX_INITS * sizeof *c->inits);
  if (!c->inits)
    return;
  for (uint32_t ci = 0; ci < c->in->ncalls; ci++) {
    const omen_c_call *call = &c->in->calls[ci];
    if (!call->direct || call->nargs < 1 || call->func == OMEN_C_NONE ||
        !mentions_ci(call->name, strlen(call->name), "init") || strstr(call->name, "attr") ||
        clang_getCursorKind(call->callee) != CXCursor_FunctionDecl)
      continue;
    mkey k;
    key_of_pointee(c, call->args[0], call->func, &k);
    if (!k.ok)
      continue;
    bool rec = mentions_ci(call->name, strlen(call->name), "recursive");
    for (uint32_t a = 1; a < call->nargs && !rec; a++)
      rec = text_mentions(c, call->arg_start[a], call->arg_end[a], "recursive");
    if (!rec && strcmp(call->name, "pthread_mutex_init") == 0)
      rec = attr_recursive(c, ci);
    uint32_t ds, de;
    CXCursor def = clang_getCursorDefinition(call->callee);
    bool here = !clang_Cursor_isNull(def) && omen_c_range(c->p, def, &ds, &de);
    if (!rec && here)
      rec = text_mentions(c, ds, de, "recursive");
    /* a plain init only when known: the C APIs, a body read here, or a sibling NAME_recursive
     * the unit calls (ovs_mutex_init beside ovs_mutex_init_recursive); others are unknown */
    char sib[128];
    bool plain = strcmp(call->name, "pthread_mutex_init") == 0 || strcmp(call->name, "mtx_init") == 0 ||
                 here ||
                 ((size_t)snprintf(sib, sizeof sib, "%s_recursive", call->name) < sizeof sib &&
                  omen_c_call_first(c->in, sib) != OMEN_C_NONE);
    if (rec || plain)
      note_init(c, &k, call->func, rec);
  }
  /* NAME = ..._MUTEX_INITIALIZER... at file scope or in a function */
  const omen_file *f = c->file;
  if (!f || !f->text)
    return;
  const char *t = f->text, *end = t + f->len;
  for (const char *p = t; p < end && (p = memmem(p, (size_t)(end - p), "MUTEX_INITIALIZER", 17)) != NULL;
       p += 17) {
    const char *q = p;
    while (q > t && (q[-1] == '_' || (q[-1] >= 'A' && q[-1] <= 'Z') || (q[-1] >= '0' && q[-1] <= '9')))
      q--;
    bool rec = mentions_ci(q, (size_t)(p + 17 - q), "recursive");
    const char *e = q;
    while (e > t && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
      e--;
    if (e == t || e[-1] != '=')
      continue;
    e--;
    while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
      e--;
    const char *n = e;
    while (n > t && (n[-1] == '_' || (n[-1] >= 'a' && n[-1] <= 'z') || (n[-1] >= 'A' && n[-1] <= 'Z') ||
                     (n[-1] >= '0' && n[-1] <= '9')))
      n--;
    if (n == e || (size_t)(e - n) >= KEY_MAX)
      continue;
    mkey k;
    memset(&k, 0, sizeof k);
    k.ok = true;
    memcpy(k.ckey, n, (size_t)(e - n));
    k.ckey[e - n] = '\0';
    note_init(c, &k, OMEN_C_NONE, rec);
  }
}

/* May the mutex with key k (of function func) be recursive? Recursive when the unit initializes it
 * so; when it does not initialize it at all and speaks of recursion, unsure: treated as recursive
 * (no double-lock finding). */
static bool mutex_recursive(ctx *c, const mkey *k, uint32_t func) {
  if (k->type.kind != CXType_Invalid && type_mentions(k->type, "recursive_"))
    return true;
  for (uint32_t i = 0; i < c->ninits; i++) {
    bool byc = c->inits[i].func == OMEN_C_NONE;
    if (byc ? strcmp(c->inits[i].key, k->ckey[0] ? k->ckey : k->disp) == 0
            : c->inits[i].func == func && strcmp(c->inits[i].key, k->disp) == 0)
      return c->inits[i].recursive;
  }
  return c->tu_recursive;
}

/* ---- Clang thread-safety annotations ---- */

/* Does a function's name speak of locking ("lock", "mutex", "acquire", "release", any case)? */
static bool lockish_name(const char *name) {
  static const char *const words[] = {"lock", "mutex", "acquire", "release", NULL};
  char low[128];
  size_t n = strlen(name);
  if (n >= sizeof low)
    return false;
  for (size_t i = 0; i <= n; i++)
    low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
  for (size_t i = 0; words[i]; i++)
    if (strstr(low, words[i]))
      return true;
  return false;
}

typedef enum ann_kind {
  ANN_NONE = 0,
  ANN_REQUIRES,
  ANN_ACQUIRE,
  ANN_RELEASE,
  ANN_GUARDED,
  ANN_NO_ANALYSIS
} ann_kind;

#define ANN_ARGS 4

typedef struct ann {
  ann_kind kind;
  bool shared;
  int nargs;
  char args[ANN_ARGS][KEY_MAX / 2];
} ann;

#define ANN_CACHED 4 /* annotations remembered per declaration */
#define ANN_CACHE 64 /* declarations remembered (direct-mapped by cursor hash) */

typedef struct ann_cache {
  bool used;
  CXCursor fn;
  int n;
  ann a[ANN_CACHED];
} ann_cache;

static ann_kind ann_classify(const char *tok, bool *shared) {
  char up[96];
  size_t n = strlen(tok);
  if (n >= sizeof up)
    return ANN_NONE;
  for (size_t i = 0; i <= n; i++)
    up[i] = (char)(tok[i] >= 'a' && tok[i] <= 'z' ? tok[i] - 'a' + 'A' : tok[i]);
  *shared = strstr(up, "SHARED") != NULL || strstr(up, "RDLOCK") != NULL;
  if (strstr(up, "NO_THREAD_SAFETY_ANALYSIS"))
    return ANN_NO_ANALYSIS;
  if (strstr(up, "TRY") || strstr(up, "ACQUIRED") || strstr(up, "ASSERT") || strstr(up, "EXCLUDE") ||
      strstr(up, "RETURN"))
    return ANN_NONE;
  /* openvswitch's short forms: OVS_REQ_RDLOCK, OVS_ACQ_WRLOCK */
  if (strstr(up, "REQUIRES") || strstr(up, "LOCKS_REQUIRED") || strstr(up, "REQ_"))
    return ANN_REQUIRES;
  if (strstr(up, "GUARDED_BY"))
    return ANN_GUARDED;
  if (strstr(up, "RELEASE") || strstr(up, "UNLOCK_FUNCTION"))
    return ANN_RELEASE;
  if (strstr(up, "ACQUIRE") || strstr(up, "LOCK_FUNCTION") || strstr(up, "ACQ_"))
    return ANN_ACQUIRE;
  return ANN_NONE;
}

typedef struct ann_walk {
  ctx *c;
  ann *out;
  int n, cap;
} ann_walk;

/* Tokens of file text from location loc on (at most len bytes); 0 tokens when unreadable. */
static unsigned tokens_at(CXTranslationUnit tu, CXFile file, unsigned off, unsigned len, CXToken **toks) {
  size_t size = 0;
  *toks = NULL;
  if (!file || !clang_getFileContents(tu, file, &size) || off >= size)
    return 0;
  unsigned end = off + len < size ? off + len : (unsigned)size;
  CXSourceRange r =
      clang_getRange(clang_getLocationForOffset(tu, file, off), clang_getLocationForOffset(tu, file, end));
  unsigned nt = 0;
  clang_tokenize(tu, r, toks, &nt);
  return nt;
}

/* Index of the first token after the attribute syntax (__attribute__((, [[clang::): the
 * annotation's name, macro or attribute; nt when there is none. */
static unsigned ann_name_token(CXTranslationUnit tu, const CXToken *toks, unsigned nt) {
  static const char *const syntax[] = {"__attribute__", "__attribute", "(", "[", "clang", "::", NULL};
  for (unsigned i = 0; i < nt; i++) {
    CXString ts = clang_getTokenSpelling(tu, toks[i]);
    const char *t = clang_getCString(ts);
    bool skip = false;
    for (size_t k = 0; t && syntax[k] && !skip; k++)
      skip = strcmp(t, syntax[k]) == 0;
    clang_disposeString(ts);
    if (!skip)
      return clang_getTokenKind(toks[i]) == CXToken_Identifier ? i : nt;
  }
  return nt;
}

/* The kind of the annotation named at file offset off (a macro such as OVS_ACQ_RDLOCK, or the
 * attribute itself, shared_lock_function). */
static ann_kind ann_kind_at(CXTranslationUnit tu, CXFile file, unsigned off, bool *shared) {
  CXToken *toks;
  unsigned nt = tokens_at(tu, file, off, 96, &toks);
  unsigned i = ann_name_token(tu, toks, nt);
  ann_kind k = ANN_NONE;
  if (i < nt) {
    CXString ts = clang_getTokenSpelling(tu, toks[i]);
    k = ann_classify(clang_getCString(ts) ? clang_getCString(ts) : "", shared);
    clang_disposeString(ts);
  }
  clang_disposeTokens(tu, toks, nt);
  return k;
}

static void ann_tokens(ann_walk *w, CXCursor attr) {
  CXTranslationUnit tu = omen_pass_c_tu(w->c->p);
  /* read the text where the attribute is written (a macro's invocation, not its definition:
   * libclang's spelling locations are file locations, so the macro's name decides) */
  CXFile file;
  unsigned line, col, off;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(attr)), &file, &line, &col, &off);
  ann a;
  memset(&a, 0, sizeof a);
  a.kind = ann_kind_at(tu, file, off, &a.shared);
  if (a.kind == ANN_NONE)
    return;
  if (a.kind == ANN_NO_ANALYSIS) { /* no arguments */
    if (w->n < w->cap)
      w->out[w->n++] = a;
    return;
  }
  CXToken *toks;
  unsigned nt = tokens_at(tu, file, off, 256, &toks);
  unsigned i = ann_name_token(tu, toks, nt) + 1;
  int depth = 0;
  for (; i < nt && w->n < w->cap; i++) {
    CXString ts = clang_getTokenSpelling(tu, toks[i]);
    const char *t = clang_getCString(ts);
    if (!t)
      t = "";
    bool stop = false;
    if (depth == 0) {
      stop = strcmp(t, "(") != 0; /* no argument list */
      depth = 1;
    } else if (strcmp(t, "(") == 0) {
      depth++;
    } else if (strcmp(t, ")") == 0) {
      if (--depth == 0) {
        w->out[w->n++] = a;
        stop = true; /* one annotation per attribute */
      }
    } else if (strcmp(t, ",") == 0 && depth == 1) {
      if (a.nargs < ANN_ARGS)
        a.nargs++;
    } else if (a.nargs < ANN_ARGS && strcmp(t, "&") != 0 && strcmp(t, "*") != 0) {
      char *dst = a.args[a.nargs];
      size_t dl = strlen(dst), tl = strlen(t);
      if (dl + tl + 1 < sizeof a.args[0])
        memcpy(dst + dl, t, tl + 1);
    }
    clang_disposeString(ts);
    if (stop)
      break;
  }
  clang_disposeTokens(tu, toks, nt);
}

static enum CXChildVisitResult ann_child(CXCursor cur, CXCursor parent, CXClientData data) {
  (void)parent;
  if (clang_getCursorKind(cur) == CXCursor_UnexposedAttr)
    ann_tokens(data, cur);
  return CXChildVisit_Continue;
}

/* The thread-safety annotations of function fn (arguments counted when the first one is non-empty),
 * remembered per declaration: a lock API's functions are called many times. cap <= ANN_CACHED. */
static int parse_anns(ctx *c, CXCursor fn, ann *out, int cap) {
  if (!clang_Cursor_hasAttrs(fn))
    return 0;
  ann_cache *slot = NULL;
  if (c->arena && cap <= ANN_CACHED) {
    if (!c->acache)
      c->acache = omen_arena_alloc(c->arena, ANN_CACHE * sizeof *c->acache);
    if (c->acache) {
      slot = &c->acache[clang_hashCursor(fn) % ANN_CACHE];
      if (slot->used && clang_equalCursors(slot->fn, fn)) {
        memcpy(out, slot->a, (size_t)slot->n * sizeof *out);
        return slot->n;
      }
    }
  }
  ann_walk w = {c, out, 0, cap};
  clang_visitChildren(fn, ann_child, &w);
  for (int i = 0; i < w.n; i++)
    if (out[i].nargs < ANN_ARGS && out[i].args[out[i].nargs][0])
      out[i].nargs++;
  if (slot) {
    slot->used = true;
    slot->fn = fn;
    slot->n = w.n;
    memcpy(slot->a, out, (size_t)w.n * sizeof *out);
  }
  return w.n;
}

/* The skey an annotation argument names, in terms of fn's parameters, this and globals. */
static bool ann_skey(CXCursor fn, const char *arg, char *skey, size_t n) {
  size_t id = 0;
  while (arg[id] && (arg[id] == '_' || (arg[id] >= 'a' && arg[id] <= 'z') ||
                     (arg[id] >= 'A' && arg[id] <= 'Z') || (arg[id] >= '0' && arg[id] <= '9')))
    id++;
  if (id == 0)
    return false;
  int np = clang_Cursor_getNumArguments(fn);
  for (int i = 0; i < np && i < 64; i++) {
    CXCursor param = clang_Cursor_getArgument(fn, (unsigned)i);
    CXString ps = clang_getCursorSpelling(param);
    const char *pn = clang_getCString(ps);
    bool same = pn && strlen(pn) == id && strncmp(pn, arg, id) == 0;
    clang_disposeString(ps);
    if (!same)
      continue;
    /* a bare pointer parameter names the mutex it points to, as Clang's analysis reads it */
    bool pointee = !arg[id] && clang_getCanonicalType(clang_getCursorType(param)).kind == CXType_Pointer;
    return (size_t)snprintf(skey, n, "%s$%d%s", pointee ? "*" : "", i, arg + id) < n;
  }
  if (strncmp(arg, "this", 4) == 0 && id == 4)
    return (size_t)snprintf(skey, n, "%s", arg) < n;
  if (clang_getCursorKind(fn) == CXCursor_CXXMethod) {
    /* a member of the method's class: a field of this */
    return (size_t)snprintf(skey, n, "this->%s", arg) < n;
  }
  return (size_t)snprintf(skey, n, "%s", arg) < n;
}

/* A call to an annotated function declared outside the file (ACQUIRE/RELEASE): a lock op on the
 * mutex the annotation names (the object itself for a capability class's Lock()/Unlock()). */
static bool classify_annotated(ctx *c, uint32_t ci);

static bool type_mentions(CXType t, const char *word) {
  CXString s = clang_getTypeSpelling(clang_getCanonicalType(t));
  const char *cs = clang_getCString(s);
  bool yes = cs && strstr(cs, word) != NULL;
  clang_disposeString(s);
  return yes;
}

/* The object a member call is made on: the base of the callee's MemberRefExpr, or a null cursor
 * for implicit this. *implicit tells which. */
static CXCursor member_object(CXCursor call, bool *implicit) {
  CXCursor callee = omen_c_strip(first_expr_child(call));
  *implicit = false;
  if (clang_getCursorKind(callee) != CXCursor_MemberRefExpr)
    return clang_getNullCursor();
  CXCursor base = first_expr_child(callee);
  if (clang_Cursor_isNull(base))
    *implicit = true;
  return base;
}

static uint32_t guard_of_var(ctx *c, CXCursor decl) {
  uint32_t v = omen_c_var_find(c->in, decl);
  if (v == OMEN_C_NONE)
    return OMEN_C_NONE;
  omen_c_guard *g = c->guards.v;
  for (uint32_t i = c->guards.n; i-- > 0;)
    if (g[i].var == v)
      return i;
  return OMEN_C_NONE;
}

static void add_op(ctx *c, uint32_t ci, omen_c_lockop_kind kind, bool shared, uint32_t mutex,
                   uint32_t guard) {
  if (mutex == OMEN_C_NONE)
    return;
  const omen_c_call *call = &c->in->calls[ci];
  omen_c_lockop *op = vec_push(c, &c->ops, sizeof *op);
  if (!op)
    return;
  *op = (omen_c_lockop){kind, shared, ci, mutex, guard, call->func, call->start, call->end};
  c->op_of_call[ci] = c->ops.n - 1;
}

/* Which tag type is argument a of a guard constructor: 1 defer, 2 try_to_lock, 3 adopt, 0 none. */
static int guard_tag(CXCursor a) {
  CXType t = clang_getCursorType(a);
  if (type_mentions(t, "defer_lock_t"))
    return 1;
  if (type_mentions(t, "try_to_lock_t"))
    return 2;
  if (type_mentions(t, "adopt_lock_t"))
    return 3;
  return 0;
}

static void classify_guard(ctx *c, uint32_t ci, CXCursor ctor, const char *gname) {
  const omen_c_call *call = &c->in->calls[ci];
  if (call->nargs == 0)
    return;
  /* copy or move construction: the argument is a guard itself */
  if (type_mentions(clang_getCursorType(call->args[0]), gname))
    return;
  (void)ctor;
  /* the variable it initializes */
  uint32_t var = OMEN_C_NONE;
  for (uint32_t v = 0; v < c->in->nvars; v++) {
    const omen_c_var *vr = &c->in->vars[v];
    if (vr->func == call->func && vr->start <= call->start && call->end <= vr->end && !vr->is_static) {
      var = v;
      break;
    }
  }
  if (var == OMEN_C_NONE)
    return;
  bool scoped = strcmp(gname, "scoped_lock") == 0;
  int tag = 0;
  uint32_t nm = call->nargs;
  if (!scoped && nm >= 2) {
    tag = guard_tag(call->args[1]);
    nm = 1;
  } else if (scoped && nm >= 1 && guard_tag(call->args[0]) == 3) {
    tag = 3;
  }
  mkey k;
  uint32_t ms[2] = {OMEN_C_NONE, OMEN_C_NONE};
  uint32_t got = 0;
  for (uint32_t a = tag == 3 && scoped ? 1 : 0; a < nm && got < 2; a++) {
    key_of(c, call->args[a], call->func, &k, 0);
    if (!k.ok)
      return; /* an unknown mutex among them: leave the guard alone */
    CXType t = k.type;
    bool rec = type_mentions(t, "recursive_");
    ms[got++] = intern_mutex(c, call->func, &k, OMEN_C_MUTEX_STD, rec);
    omen_c_mutex *m = &((omen_c_mutex *)c->mutexes.v)[ms[got - 1]];
    if (type_mentions(t, "shared_"))
      m->shared_capable = true;
  }
  if (got == 0 || ms[0] == OMEN_C_NONE)
    return;
  omen_c_guard *g = vec_push(c, &c->guards, sizeof *g);
  if (!g)
    return;
  *g = (omen_c_guard){var,
                      ms[0],
                      got > 1 ? ms[1] : OMEN_C_NONE,
                      call->func,
                      c->in->vars[var].start,
                      0,
                      tag == 1,
                      !scoped && strcmp(gname, "lock_guard") != 0};
  uint32_t gi = c->guards.n - 1;
  bool shared = strcmp(gname, "shared_lock") == 0;
  omen_c_lockop_kind kind = tag == 1 || tag == 3 ? OMEN_C_OP_ADOPT
                            : tag == 2           ? OMEN_C_OP_TRYLOCK
                                                 : OMEN_C_OP_GUARD;
  add_op(c, ci, kind, shared, ms[0], gi);
}

static void classify_call(ctx *c, uint32_t ci) {
  const omen_c_call *call = &c->in->calls[ci];
  if (!call->direct || call->func == OMEN_C_NONE)
    return;
  CXCursor fn = call->callee;
  enum CXCursorKind fk = clang_getCursorKind(fn);
  if ((fk == CXCursor_FunctionDecl || fk == CXCursor_CXXMethod) && clang_Cursor_hasAttrs(fn) &&
      classify_annotated(c, ci))
    return;
  if (fk == CXCursor_FunctionDecl) {
    for (size_t i = 0; i < sizeof c_ops / sizeof c_ops[0]; i++) {
      if (strcmp(call->name, c_ops[i].name) != 0)
        continue;
      if (!file_scope_function(fn) || call->nargs < 1)
        return;
      mkey k;
      key_of_pointee(c, call->args[0], call->func, &k);
      if (!k.ok)
        return;
      bool rec = (c_ops[i].api == OMEN_C_MUTEX_PTHREAD || c_ops[i].api == OMEN_C_MUTEX_C11) &&
                 mutex_recursive(c, &k, call->func);
      /* rc = pthread_mutex_lock(...): the code expects it may fail (error-checking mutexes) */
      omen_c_lockop_kind kind = c_ops[i].kind;
      if (kind == OMEN_C_OP_LOCK && (call->shape == OMEN_C_SHAPE_ASSIGN || call->shape == OMEN_C_SHAPE_INIT))
        kind = OMEN_C_OP_TRYLOCK;
      add_op(c, ci, kind, c_ops[i].shared, intern_mutex(c, call->func, &k, c_ops[i].api, rec), OMEN_C_NONE);
      return;
    }
    return;
  }
  if (fk == CXCursor_Constructor) {
    const char *gname = NULL;
    CXCursor cls = clang_getCursorSemanticParent(fn);
    if (spelled(cls, std_guards, &gname) && in_std(cls))
      classify_guard(c, ci, fn, gname);
    return;
  }
  if (fk != CXCursor_CXXMethod)
    return;
  for (size_t i = 0; i < sizeof cxx_methods / sizeof cxx_methods[0]; i++) {
    if (strcmp(call->name, cxx_methods[i].name) != 0)
      continue;
    CXCursor cls = clang_getCursorSemanticParent(fn);
    const char *which = NULL;
    bool implicit = false;
    CXCursor obj = member_object(call->cursor, &implicit);
    if (spelled(cls, std_mutexes, &which) && in_std(cls)) {
      if (implicit || clang_Cursor_isNull(obj))
        return;
      mkey k;
      key_of(c, obj, call->func, &k, 0);
      if (!k.ok)
        return;
      uint32_t m = intern_mutex(c, call->func, &k, OMEN_C_MUTEX_STD, strncmp(which, "recursive", 9) == 0);
      if (m != OMEN_C_NONE && strncmp(which, "shared", 6) == 0)
        ((omen_c_mutex *)c->mutexes.v)[m].shared_capable = true;
      add_op(c, ci, cxx_methods[i].kind, cxx_methods[i].shared, m, OMEN_C_NONE);
      return;
    }
    const char *const uniq[] = {"unique_lock", "shared_lock", NULL};
    if (spelled(cls, uniq, &which) && in_std(cls) && !clang_Cursor_isNull(obj)) {
      CXCursor o = omen_c_strip(obj);
      if (clang_getCursorKind(o) != CXCursor_DeclRefExpr)
        return;
      uint32_t g = guard_of_var(c, clang_getCursorReferenced(o));
      if (g == OMEN_C_NONE)
        return;
      const omen_c_guard *gd = &((omen_c_guard *)c->guards.v)[g];
      add_op(c, ci, cxx_methods[i].kind, which[1] == 'h', gd->mutex, g);
    }
    return;
  }
}

/* ---- callee map ---- */

static uint32_t func_starting_at(const omen_c_index *in, uint32_t start) {
  uint32_t lo = 0, hi = in->nfuncs;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (in->funcs[mid].start < start)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (uint32_t i = lo; i < in->nfuncs && in->funcs[i].start == start; i++)
    if (in->funcs[i].name[0])
      return i;
  return OMEN_C_NONE;
}

static void map_callees(ctx *c) {
  for (uint32_t i = 0; i < c->in->ncalls; i++) {
    c->lk->callee[i] = OMEN_C_NONE;
    const omen_c_call *call = &c->in->calls[i];
    if (!call->direct || call->func == OMEN_C_NONE || c->op_of_call[i] != OMEN_C_NONE)
      continue;
    CXCursor def = clang_getCursorDefinition(call->callee);
    uint32_t s, e;
    if (clang_Cursor_isNull(def) || !omen_c_range(c->p, def, &s, &e))
      continue;
    c->lk->callee[i] = func_starting_at(c->in, s);
  }
}

/* ---- the walk ---- */

static uint32_t local_id(ctx *c, uint32_t func, uint32_t m) {
  omen_c_lockfunc *lf = &c->lk->funcs[func];
  for (uint32_t i = 0; i < lf->nmutex; i++)
    if (lf->mutex_of[i] == m)
      return i;
  if (lf->nmutex == OMEN_C_LOCKS_MAX) {
    lf->uncertain = true;
    return OMEN_C_NONE;
  }
  lf->mutex_of[lf->nmutex] = m;
  return lf->nmutex++;
}

static void merge(state *into, const state *from) {
  if (from->dead)
    return;
  if (into->dead) {
    *into = *from;
    return;
  }
  into->must &= from->must;
  into->rel &= from->rel;
  into->relmay |= from->relmay;
  uint64_t add = from->may & ~into->may;
  into->may |= from->may;
  into->raii |= from->raii;
  for (uint32_t i = 0; i < OMEN_C_LOCKS_MAX; i++) {
    if (add & (1ull << i)) {
      into->acq[i] = from->acq[i];
      into->acq_call[i] = from->acq_call[i];
    }
  }
}

static void st_acquire(ctx *c, state *s, uint32_t lid, uint32_t op, uint32_t viacall, bool certain) {
  uint64_t bit = 1ull << lid;
  if (certain && c->cond == 0)
    s->must |= bit;
  s->may |= bit;
  s->rel &= ~bit;
  s->relmay &= ~bit;
  s->acq[lid] = op;
  s->acq_call[lid] = viacall;
}

static void sum_add(omen_c_summary_item *arr, uint32_t *n, const char *skey, uint32_t mutex, uint32_t op,
                    bool shared) {
  if (!skey)
    return;
  for (uint32_t i = 0; i < *n; i++)
    if (strcmp(arr[i].skey, skey) == 0)
      return;
  if (*n == SUM_MAX)
    return;
  arr[(*n)++] = (omen_c_summary_item){skey, mutex, op, shared};
}

static const omen_c_mutex *mutex_at(const ctx *c, uint32_t m) { return &((omen_c_mutex *)c->mutexes.v)[m]; }

static void apply_op(ctx *c, state *s, uint32_t opi) {
  const omen_c_lockop *op = &((omen_c_lockop *)c->ops.v)[opi];
  uint32_t lid = local_id(c, c->func, op->mutex);
  if (lid == OMEN_C_NONE)
    return;
  uint64_t bit = 1ull << lid;
  const omen_c_mutex *m = mutex_at(c, op->mutex);
  bool ctor =
      op->guard != OMEN_C_NONE && clang_getCursorKind(c->in->calls[op->call].callee) == CXCursor_Constructor;
  switch (op->kind) {
  case OMEN_C_OP_LOCK:
  case OMEN_C_OP_GUARD:
    if (ctor && c->nscope_guards < MAX_SCOPE_GUARDS)
      c->scope_guards[c->nscope_guards++] = op->guard;
    st_acquire(c, s, lid, opi, OMEN_C_NONE, true);
    if (op->kind == OMEN_C_OP_GUARD || op->guard != OMEN_C_NONE)
      s->raii |= bit;
    else
      s->raii &= ~bit;
    sum_add(c->acquires, &c->nacq, m->skey, op->mutex, opi, op->shared);
    if (op->kind == OMEN_C_OP_GUARD && op->guard != OMEN_C_NONE) {
      const omen_c_guard *g = &((omen_c_guard *)c->guards.v)[op->guard];
      if (g->mutex2 != OMEN_C_NONE) {
        uint32_t l2 = local_id(c, c->func, g->mutex2);
        if (l2 != OMEN_C_NONE) {
          st_acquire(c, s, l2, opi, OMEN_C_NONE, true);
          s->raii |= 1ull << l2;
        }
      }
    }
    break;
  case OMEN_C_OP_TRYLOCK:
    if (ctor && c->nscope_guards < MAX_SCOPE_GUARDS)
      c->scope_guards[c->nscope_guards++] = op->guard;
    st_acquire(c, s, lid, opi, OMEN_C_NONE, false);
    if (op->guard != OMEN_C_NONE)
      s->raii |= bit;
    break;
  case OMEN_C_OP_ADOPT: {
    if (ctor && c->nscope_guards < MAX_SCOPE_GUARDS)
      c->scope_guards[c->nscope_guards++] = op->guard;
    const omen_c_guard *g = &((omen_c_guard *)c->guards.v)[op->guard];
    if (!g->deferred && (s->may & bit))
      s->raii |= bit; /* adopt_lock: the guard now releases it */
    break;
  }
  case OMEN_C_OP_UNLOCK:
    if (c->cond > 0) { /* maybe unlocked: no longer held on every path */
      s->must &= ~bit;
      break;
    }
    if (c->entry & bit)
      sum_add(c->drops, &c->ndrop, m->skey, op->mutex, opi, op->shared);
    if (!(s->may & bit)) {
      sum_add(c->releases, &c->nrel, m->skey, op->mutex, opi, op->shared);
    } else {
      if (s->must & bit)
        s->rel |= bit;
      s->relmay |= bit;
    }
    s->must &= ~bit;
    s->may &= ~bit;
    s->raii &= ~bit;
    break;
  }
}

/* Translate callee skey (in terms of its parameters and this) into a key of the caller at call ci. */
static bool translate(ctx *c, uint32_t ci, const char *skey, mkey *out) {
  const omen_c_call *call = &c->in->calls[ci];
  memset(out, 0, sizeof *out);
  const char *rest;
  mkey base;
  bool deref = false, addr = false;
  if (skey[0] == '*' && skey[1] == '$') {
    deref = true;
    skey++;
  }
  if (skey[0] == '$') {
    char *endp;
    long pi = strtol(skey + 1, &endp, 10);
    if (pi < 0 || (uint32_t)pi >= call->nargs)
      return false;
    rest = endp;
    CXCursor a = omen_c_strip(call->args[pi]);
    if (omen_c_is_addr_of(a)) {
      addr = true;
      a = first_expr_child(a);
    }
    key_of(c, a, call->func, &base, 0);
  } else if (strncmp(skey, "this", 4) == 0 && (skey[4] == '-' || skey[4] == '\0')) {
    rest = skey + 4;
    bool implicit = false;
    CXCursor obj = member_object(call->cursor, &implicit);
    if (implicit) {
      memset(&base, 0, sizeof base);
      base.ok = true;
      base.root = OMEN_C_ROOT_THIS;
      strcpy(base.disp, "this");
      strcpy(base.skey, "this");
    } else if (clang_Cursor_isNull(obj)) {
      return false;
    } else {
      key_of(c, obj, call->func, &base, 0);
      /* obj.method(): this is &obj */
      if (clang_getCanonicalType(base.type).kind != CXType_Pointer && base.root != OMEN_C_ROOT_THIS)
        addr = true;
    }
  } else {
    /* global: the same key everywhere */
    const omen_c_mutex *m = NULL;
    uint32_t gi = find_mutex(c, OMEN_C_NONE, skey);
    if (gi == OMEN_C_NONE) {
      if (strlen(skey) >= KEY_MAX)
        return false;
      out->ok = true;
      out->root = OMEN_C_ROOT_GLOBAL;
      strcpy(out->disp, skey);
      strcpy(out->skey, skey);
      strcpy(out->ckey, skey);
      return true;
    }
    m = mutex_at(c, gi);
    out->ok = true;
    out->root = OMEN_C_ROOT_GLOBAL;
    snprintf(out->disp, sizeof out->disp, "%s", m->key);
    snprintf(out->skey, sizeof out->skey, "%s", m->key);
    if (m->ckey)
      snprintf(out->ckey, sizeof out->ckey, "%s", m->ckey);
    if (m->xkey)
      snprintf(out->xkey, sizeof out->xkey, "%s", m->xkey);
    return true;
  }
  if (!base.ok)
    return false;
  *out = base;
  out->disp[0] = out->skey[0] = '\0';
  if (!(deref && addr && !*rest))
    out->xkey[0] = '\0'; /* only *(&x) is the base object itself; a field's key is the caller's */
  /* rest is "", "->f..." or ".f..." */
  const char *tail = rest;
  const char *pre = "";
  if (deref) {
    if (*rest)
      return false;
    if (!addr)
      pre = "*";
  } else if (addr) {
    if (strncmp(rest, "->", 2) == 0) {
      tail = rest + 2;
      pre = ".";
    } else if (*rest == '\0') {
      return false; /* the pointer itself */
    }
  }
  bool ok = true;
  if (deref) {
    ok = kcat(out->disp, pre, base.disp, NULL) && (!base.skey[0] || kcat(out->skey, pre, base.skey, NULL));
  } else {
    ok = kcat(out->disp, base.disp, pre, tail) && (!base.skey[0] || kcat(out->skey, base.skey, pre, tail));
  }
  out->ok = ok;
  return ok;
}

static bool classify_annotated(ctx *c, uint32_t ci) {
  const omen_c_call *call = &c->in->calls[ci];
  CXCursor fn = call->callee;
  CXCursor def = clang_getCursorDefinition(fn);
  uint32_t ds, de;
  if (!clang_Cursor_isNull(def) && omen_c_range(c->p, def, &ds, &de))
    return false; /* defined here: its body is walked */
  ann anns[4];
  int na = parse_anns(c, fn, anns, 4);
  for (int i = 0; i < na; i++) {
    if (anns[i].kind != ANN_ACQUIRE && anns[i].kind != ANN_RELEASE)
      continue;
    mkey k;
    if (anns[i].nargs == 0) {
      bool implicit = false;
      CXCursor obj = member_object(call->cursor, &implicit);
      if (clang_getCursorKind(fn) != CXCursor_CXXMethod || clang_Cursor_isNull(obj))
        return false;
      key_of(c, obj, call->func, &k, 0);
    } else {
      char skey[KEY_MAX];
      if (!ann_skey(fn, anns[i].args[0], skey, sizeof skey) || !translate(c, ci, skey, &k))
        return false;
    }
    if (!k.ok)
      return false;
    uint32_t m = intern_mutex(c, call->func, &k, OMEN_C_MUTEX_STD, mutex_recursive(c, &k, call->func));
    add_op(c, ci, anns[i].kind == ANN_ACQUIRE ? OMEN_C_OP_LOCK : OMEN_C_OP_UNLOCK, anns[i].shared, m,
           OMEN_C_NONE);
    return m != OMEN_C_NONE;
  }
  return false;
}

/* The caller's mutex for a callee's summary item at call ci (interned), or OMEN_C_NONE. */
static uint32_t caller_mutex(ctx *c, uint32_t ci, const omen_c_summary_item *it) {
  mkey k;
  if (!translate(c, ci, it->skey, &k))
    return OMEN_C_NONE;
  const omen_c_mutex *cm = mutex_at(c, it->mutex);
  if (!k.ckey[0] && cm->ckey)
    snprintf(k.ckey, sizeof k.ckey, "%s", cm->ckey);
  snprintf(k.xkey, sizeof k.xkey, "%s", cm->xkey ? cm->xkey : ""); /* the same declaration as the callee's */
  return intern_mutex(c, c->func, &k, cm->api, cm->recursive);
}

static void apply_call(ctx *c, state *s, uint32_t ci) {
  uint32_t f = c->lk->callee[ci];
  if (f == OMEN_C_NONE || f == c->func)
    return;
  const omen_c_lockfunc *cf = &c->lk->funcs[f];
  if (!cf->relevant)
    return;
  const omen_c_summary *sum = &cf->summary;
  mkey k;
  for (uint32_t i = 0; i < sum->nacquires; i++) {
    const omen_c_summary_item *it = &sum->acquires[i];
    uint32_t m = caller_mutex(c, ci, it);
    if (m == OMEN_C_NONE)
      continue;
    sum_add(c->acquires, &c->nacq, mutex_at(c, m)->skey, m, it->op, it->shared);
    call_state *cs = &c->cs[ci];
    if (c->record && cs->nvia < CALL_ACQ) {
      cs->via_m[cs->nvia] = m;
      cs->via_op[cs->nvia++] = it->op;
    }
  }
  for (uint32_t i = 0; i < sum->nreleases; i++) {
    if (!translate(c, ci, sum->releases[i].skey, &k))
      continue;
    uint32_t m = find_mutex(c, k.root == OMEN_C_ROOT_GLOBAL ? OMEN_C_NONE : c->func, k.disp);
    uint32_t lid = m == OMEN_C_NONE ? OMEN_C_NONE : local_id(c, c->func, m);
    if (lid == OMEN_C_NONE)
      continue;
    uint64_t bit = 1ull << lid;
    if (!(s->may & bit))
      sum_add(c->releases, &c->nrel, mutex_at(c, m)->skey, m, sum->releases[i].op, false);
    else if (s->must & bit)
      s->rel |= bit;
    if (s->may & bit)
      s->relmay |= bit;
    s->must &= ~bit;
    s->may &= ~bit;
  }
  for (uint32_t i = 0; i < sum->ndrops && c->entry; i++) {
    if (!translate(c, ci, sum->drops[i].skey, &k))
      continue;
    uint32_t m = find_mutex(c, k.root == OMEN_C_ROOT_GLOBAL ? OMEN_C_NONE : c->func, k.disp);
    uint32_t lid = m == OMEN_C_NONE ? OMEN_C_NONE : local_id(c, c->func, m);
    if (lid != OMEN_C_NONE && (c->entry & (1ull << lid)))
      sum_add(c->drops, &c->ndrop, mutex_at(c, m)->skey, m, sum->drops[i].op, false);
  }
  for (uint32_t i = 0; i < sum->nreturns_held; i++) {
    uint32_t m = caller_mutex(c, ci, &sum->returns_held[i]);
    uint32_t lid = m == OMEN_C_NONE ? OMEN_C_NONE : local_id(c, c->func, m);
    if (lid != OMEN_C_NONE) {
      st_acquire(c, s, lid, OMEN_C_NONE, ci, true);
      s->raii &= ~(1ull << lid);
    }
  }
}

static void record_call_state(ctx *c, const state *s, uint32_t ci) {
  if (!c->record || s->dead)
    return;
  call_state *cs = &c->cs[ci];
  cs->seen = true;
  cs->nvia = 0;
  cs->must = s->must;
  cs->rel = s->rel;
  cs->relmay = s->relmay;
  cs->in_branch = c->branch > 0;
  cs->may = s->may;
  memcpy(cs->acq, s->acq, sizeof cs->acq);
  memcpy(cs->acq_call, s->acq_call, sizeof cs->acq_call);
}

/* Index of the call whose cursor is c, or OMEN_C_NONE. */
static uint32_t call_index(ctx *c, CXCursor cur) {
  uint32_t s, e;
  if (!omen_c_range(c->p, cur, &s, &e))
    return OMEN_C_NONE;
  const omen_c_index *in = c->in;
  uint32_t lo = 0, hi = in->ncalls;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (in->calls[c->call_at[mid]].start < s)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (uint32_t i = lo; i < in->ncalls && in->calls[c->call_at[i]].start == s; i++)
    if (clang_equalCursors(in->calls[c->call_at[i]].cursor, cur))
      return c->call_at[i];
  return OMEN_C_NONE;
}

typedef struct kidlist {
  CXCursor c[16];
  unsigned n, total;
} kidlist;

static enum CXChildVisitResult collect(CXCursor cur, CXCursor parent, CXClientData data) {
  (void)parent;
  kidlist *k = data;
  if (k->n < 16)
    k->c[k->n++] = cur;
  k->total++;
  return CXChildVisit_Continue;
}

static kidlist kids_of(CXCursor cur) {
  kidlist k = {.n = 0};
  clang_visitChildren(cur, collect, &k);
  return k;
}

static void walk(ctx *c, CXCursor cur, CXCursor parent, state *s);

/* Visit every child of an expression (or unknown statement) in order. */
typedef struct expr_walk {
  ctx *c;
  state *s;
} expr_walk;

static void walk_expr(ctx *c, CXCursor e, state *s);

static enum CXChildVisitResult expr_child(CXCursor cur, CXCursor parent, CXClientData data) {
  (void)parent;
  expr_walk *w = data;
  walk_expr(w->c, cur, w->s);
  return CXChildVisit_Continue;
}

static void walk_expr(ctx *c, CXCursor e, state *s) {
  enum CXCursorKind k = clang_getCursorKind(e);
  if (k == CXCursor_LambdaExpr || s->dead || c->depth > WALK_DEPTH)
    return;
  if (clang_isStatement(k) && k != CXCursor_UnexposedStmt) {
    walk(c, e, clang_getNullCursor(), s);
    return;
  }
  c->depth++;
  bool conditional = false;
  if (k == CXCursor_ConditionalOperator) {
    conditional = true;
  } else if (k == CXCursor_BinaryOperator) {
    char op[8];
    conditional = omen_c_operator(c->p, e, op, sizeof op) && (strcmp(op, "&&") == 0 || strcmp(op, "||") == 0);
  }
  if (conditional) {
    /* the first operand always runs; the others maybe */
    kidlist kl = kids_of(e);
    for (unsigned i = 0; i < kl.n; i++) {
      if (i == 1)
        c->cond++;
      walk_expr(c, kl.c[i], s);
    }
    if (kl.n > 1)
      c->cond--;
    c->depth--;
    return;
  }
  expr_walk w = {c, s};
  clang_visitChildren(e, expr_child, &w);
  c->depth--;
  if (k == CXCursor_CallExpr) {
    uint32_t ci = call_index(c, e);
    if (ci == OMEN_C_NONE)
      return;
    record_call_state(c, s, ci);
    if (c->op_of_call[ci] != OMEN_C_NONE)
      apply_op(c, s, c->op_of_call[ci]);
    else
      apply_call(c, s, ci);
  }
}

static void add_exit(ctx *c, const state *s, CXCursor stmt, CXCursor parent, bool is_return, uint32_t start,
                     uint32_t end);
static void add_jump(ctx *c, const state *s, CXCursor stmt, CXCursor parent, CXCursor label);

static void snapshot(ctx *c, const state *s, uint32_t off) {
  if (!c->record || s->dead)
    return;
  snap *sn = vec_push(c, &c->snaps, sizeof *sn);
  if (sn)
    *sn = (snap){c->func, off, s->must, s->may};
}

static void release_scope(ctx *c, state *s, uint32_t mark, uint32_t scope_end) {
  for (uint32_t i = mark; i < c->nscope_guards; i++) {
    omen_c_guard *g = &((omen_c_guard *)c->guards.v)[c->scope_guards[i]];
    if (c->record)
      g->scope_end = scope_end;
    uint32_t ms[2] = {g->mutex, g->mutex2};
    for (int j = 0; j < 2; j++) {
      if (ms[j] == OMEN_C_NONE)
        continue;
      uint32_t lid = local_id(c, c->func, ms[j]);
      if (lid == OMEN_C_NONE)
        continue;
      uint64_t bit = 1ull << lid;
      if (s->raii & bit) {
        s->must &= ~bit;
        s->may &= ~bit;
        s->raii &= ~bit;
      }
    }
  }
  c->nscope_guards = mark;
}

static void walk_loop(ctx *c, CXCursor cur, CXCursor body, const kidlist *kl, state *s, bool once) {
  /* header parts (init, condition, increment) run before the body, as far as locks go */
  for (unsigned i = 0; i < kl->n; i++)
    if (!clang_equalCursors(kl->c[i], body))
      walk_expr(c, kl->c[i], s);
  state entry = *s, brk = {.dead = true}, cont = {.dead = true};
  state *ob = c->brk, *oc = c->cont;
  c->brk = &brk;
  c->cont = &cont;
  state it = entry;
  walk(c, body, cur, &it);
  if (!once) {
    merge(&it, &cont);
    merge(&it, &entry);
    state again = it;
    cont.dead = true;
    walk(c, body, cur, &again);
    merge(&again, &cont);
    merge(&it, &again);
  } else {
    merge(&it, &cont);
  }
  merge(&it, &brk);
  c->brk = ob;
  c->cont = oc;
  *s = it;
}

static bool is_do_while_zero(ctx *c, const kidlist *kl) {
  if (kl->n != 2)
    return false;
  CXCursor cond = omen_c_strip(kl->c[1]);
  if (clang_getCursorKind(cond) != CXCursor_IntegerLiteral)
    return false;
  uint32_t s, e;
  if (omen_c_range(c->p, cond, &s, &e) && e == s + 1)
    return c->file->text[s] == '0';
  /* inside a macro (do { ... } while (0) in a lock wrapper): the literal's text is the macro's */
  CXEvalResult r = clang_Cursor_Evaluate(cond);
  if (!r)
    return false;
  bool zero = clang_EvalResult_getKind(r) == CXEval_Int && clang_EvalResult_getAsLongLong(r) == 0;
  clang_EvalResult_dispose(r);
  return zero;
}

typedef struct stmt_walk {
  ctx *c;
  state *s;
} stmt_walk;

static enum CXChildVisitResult compound_child(CXCursor cur, CXCursor parent, CXClientData data) {
  stmt_walk *w = data;
  uint32_t st, en;
  if (!w->s->dead && omen_c_range(w->c->p, cur, &st, &en))
    snapshot(w->c, w->s, st);
  walk(w->c, cur, parent, w->s);
  return CXChildVisit_Continue;
}

static uint32_t goto_slot(ctx *c, CXCursor label) {
  uint32_t at, end;
  if (!omen_c_range(c->p, label, &at, &end))
    return OMEN_C_NONE;
  for (uint32_t i = 0; i < c->ngotos; i++)
    if (c->gotos[i].label == at)
      return i;
  if (c->ngotos == MAX_GOTO_LABELS)
    return OMEN_C_NONE;
  c->gotos[c->ngotos].label = at;
  c->gotos[c->ngotos].st = (state){.dead = true};
  c->gotos[c->ngotos].seen_label = false;
  return c->ngotos++;
}

static CXCursor last_child(CXCursor cur) {
  kidlist kl = kids_of(cur);
  return kl.n ? kl.c[kl.n - 1 < 15 ? kl.n - 1 : 15] : clang_getNullCursor();
}

static void walk_children_expr(ctx *c, CXCursor cur, state *s) {
  expr_walk w = {c, s};
  clang_visitChildren(cur, expr_child, &w);
}

/* What the if's condition says about the call made at [cs, ce): +1 true when it returned nonzero
 * (`f()`, `f() != 0`, `(rc = f()) != 0`, `f() < 0`), -1 true when it returned zero (`!f()`,
 * `f() == 0`), 0 unknown. */
static int polarity(ctx *c, CXCursor e, uint32_t cs, uint32_t ce, int depth) {
  if (depth > 6)
    return 0;
  e = omen_c_strip(e);
  uint32_t s, en;
  if (!omen_c_range(c->p, e, &s, &en) || s > cs || en < ce)
    return 0;
  enum CXCursorKind k = clang_getCursorKind(e);
  if (k == CXCursor_CallExpr)
    return s == cs && en == ce ? 1 : 0;
  char op[8];
  if (!omen_c_operator(c->p, e, op, sizeof op))
    return 0;
  if (k == CXCursor_UnaryOperator && strcmp(op, "!") == 0)
    return -polarity(c, first_expr_child(e), cs, ce, depth + 1);
  if (k != CXCursor_BinaryOperator)
    return 0;
  CXCursor a = omen_c_expr_child(e, 0), b = omen_c_expr_child(e, 1);
  if (strcmp(op, "=") == 0)
    return polarity(c, b, cs, ce, depth + 1);
  int pa = polarity(c, a, cs, ce, depth + 1);
  if (pa == 0 || !omen_c_is_null(b))
    return 0;
  if (strcmp(op, "!=") == 0 || strcmp(op, "<") == 0)
    return pa;
  if (strcmp(op, "==") == 0)
    return -pa;
  return 0;
}

/* An if testing the result of a lock or try-lock call in its condition: the branch where the call
 * failed does not hold the mutex, the branch where a try-lock succeeded does. */
static void split_on_lock_result(ctx *c, const omen_c_if *parts, const kidlist *kl, state *t, state *e) {
  const omen_c_lockop *ops = c->ops.v;
  CXCursor cond = clang_getNullCursor();
  for (unsigned i = 0; i < kl->n; i++) {
    uint32_t st, en;
    if (omen_c_range(c->p, kl->c[i], &st, &en) && en <= parts->cond_end &&
        clang_isExpression(clang_getCursorKind(kl->c[i])))
      cond = kl->c[i];
  }
  if (clang_Cursor_isNull(cond))
    return;
  uint32_t cs, ce;
  if (!omen_c_range(c->p, cond, &cs, &ce))
    return;
  for (uint32_t i = 0; i < c->ops.n; i++) {
    const omen_c_lockop *op = &ops[i];
    if (op->func != c->func || op->start < cs || op->end > ce || op->guard != OMEN_C_NONE ||
        (op->kind != OMEN_C_OP_LOCK && op->kind != OMEN_C_OP_TRYLOCK))
      continue;
    int p = polarity(c, cond, op->start, op->end, 0);
    if (p == 0)
      continue;
    /* C calls return 0 on success; C++ try_lock returns true */
    bool nonzero_ok = mutex_at(c, op->mutex)->api == OMEN_C_MUTEX_STD;
    bool then_ok = (p > 0) == nonzero_ok;
    uint32_t lid = local_id(c, c->func, op->mutex);
    if (lid == OMEN_C_NONE)
      continue;
    uint64_t bit = 1ull << lid;
    state *ok = then_ok ? t : e, *bad = then_ok ? e : t;
    bad->must &= ~bit;
    bad->may &= ~bit;
    if (!ok->dead && c->cond == 0) {
      ok->must |= bit;
      ok->may |= bit;
      ok->acq[lid] = i;
    }
  }
}

static void walk(ctx *c, CXCursor cur, CXCursor parent, state *s) {
  omen_c_lockfunc *lf = &c->lk->funcs[c->func];
  if (c->depth > WALK_DEPTH) {
    lf->uncertain = true;
    return;
  }
  enum CXCursorKind k = clang_getCursorKind(cur);
  if (s->dead && k != CXCursor_LabelStmt && k != CXCursor_CaseStmt && k != CXCursor_DefaultStmt &&
      k != CXCursor_CompoundStmt)
    return;
  c->depth++;
  switch (k) {
  case CXCursor_CompoundStmt: {
    uint32_t mark = c->nscope_guards;
    stmt_walk w = {c, s};
    clang_visitChildren(cur, compound_child, &w);
    uint32_t st = 0, en = 0;
    omen_c_range(c->p, cur, &st, &en);
    release_scope(c, s, mark, en);
    break;
  }
  case CXCursor_IfStmt: {
    omen_c_if parts;
    if (!omen_c_if_split(c->p, cur, &parts)) {
      lf->uncertain = true;
      c->cond++;
      walk_children_expr(c, cur, s);
      c->cond--;
      break;
    }
    kidlist kl = kids_of(cur);
    for (unsigned i = 0; i < kl.n; i++) {
      uint32_t st, en;
      if (omen_c_range(c->p, kl.c[i], &st, &en) && en <= parts.cond_end)
        walk_expr(c, kl.c[i], s);
    }
    state t = *s, e = *s;
    split_on_lock_result(c, &parts, &kl, &t, &e);
    c->branch++;
    walk(c, parts.then_stmt, cur, &t);
    if (parts.has_else)
      walk(c, parts.else_stmt, cur, &e);
    c->branch--;
    merge(&t, &e);
    *s = t;
    break;
  }
  case CXCursor_WhileStmt:
  case CXCursor_ForStmt:
  case CXCursor_CXXForRangeStmt: {
    kidlist kl = kids_of(cur);
    if (kl.n == 0 || kl.total > 16)
      break;
    walk_loop(c, cur, kl.c[kl.n - 1], &kl, s, false);
    break;
  }
  case CXCursor_DoStmt: {
    kidlist kl = kids_of(cur);
    if (kl.n == 0)
      break;
    bool once = is_do_while_zero(c, &kl);
    kidlist cond = kl;
    cond.n = 0;
    for (unsigned i = 1; i < kl.n; i++)
      cond.c[cond.n++] = kl.c[i];
    walk_loop(c, cur, kl.c[0], &cond, s, once);
    break;
  }
  case CXCursor_SwitchStmt: {
    kidlist kl = kids_of(cur);
    if (kl.n == 0)
      break;
    CXCursor body = kl.c[kl.n - 1];
    for (unsigned i = 0; i + 1 < kl.n; i++)
      walk_expr(c, kl.c[i], s);
    state entry = *s, brk = {.dead = true}, b = {.dead = true};
    const state *oe = c->sw_entry;
    state *ob = c->brk;
    bool od = c->sw_default;
    c->sw_entry = &entry;
    c->brk = &brk;
    c->sw_default = false;
    c->branch++;
    walk(c, body, cur, &b);
    c->branch--;
    merge(&b, &brk);
    if (!c->sw_default)
      merge(&b, &entry);
    c->sw_entry = oe;
    c->brk = ob;
    c->sw_default = od;
    *s = b;
    break;
  }
  case CXCursor_CaseStmt:
  case CXCursor_DefaultStmt: {
    if (c->sw_entry)
      merge(s, c->sw_entry);
    if (k == CXCursor_DefaultStmt)
      c->sw_default = true;
    CXCursor sub = last_child(cur);
    if (!clang_Cursor_isNull(sub))
      walk(c, sub, cur, s);
    break;
  }
  case CXCursor_BreakStmt:
  case CXCursor_ContinueStmt: {
    state *acc = k == CXCursor_BreakStmt ? c->brk : c->cont;
    if (acc)
      merge(acc, s);
    else
      lf->uncertain = true;
    s->dead = true;
    break;
  }
  case CXCursor_ReturnStmt: {
    walk_children_expr(c, cur, s);
    if (s->dead)
      break;
    uint32_t st = 0, en = 0;
    omen_c_range(c->p, cur, &st, &en);
    add_exit(c, s, cur, parent, true, st, en);
    s->dead = true;
    break;
  }
  case CXCursor_GotoStmt: {
    lf->has_goto = true;
    CXCursor ref = last_child(cur);
    CXCursor label = clang_getCursorReferenced(ref);
    uint32_t slot = clang_Cursor_isNull(label) ? OMEN_C_NONE : goto_slot(c, label);
    if (slot == OMEN_C_NONE || c->gotos[slot].seen_label)
      lf->uncertain = true; /* backwards: a loop the walk does not model */
    else
      merge(&c->gotos[slot].st, s);
    if (c->record && !clang_Cursor_isNull(label))
      add_jump(c, s, cur, parent, label);
    s->dead = true;
    break;
  }
  case CXCursor_IndirectGotoStmt:
    lf->uncertain = true;
    s->dead = true;
    break;
  case CXCursor_LabelStmt: {
    uint32_t slot = goto_slot(c, cur);
    if (slot != OMEN_C_NONE) {
      merge(s, &c->gotos[slot].st);
      c->gotos[slot].seen_label = true;
    }
    CXCursor sub = last_child(cur);
    if (!clang_Cursor_isNull(sub))
      walk(c, sub, cur, s);
    break;
  }
  case CXCursor_CXXTryStmt: {
    kidlist kl = kids_of(cur);
    if (kl.n == 0)
      break;
    state entry = *s;
    walk(c, kl.c[0], cur, s);
    for (unsigned i = 1; i < kl.n; i++) {
      state h = entry;
      merge(&h, s);
      h.must &= entry.must;
      walk(c, kl.c[i], cur, &h);
      merge(s, &h);
    }
    break;
  }
  case CXCursor_CXXCatchStmt: {
    CXCursor sub = last_child(cur);
    if (!clang_Cursor_isNull(sub))
      walk(c, sub, cur, s);
    break;
  }
  default:
    if (clang_isExpression(k)) {
      walk_expr(c, cur, s);
      if (k == CXCursor_CallExpr && !s->dead && omen_c_stmt_leaves(cur))
        s->dead = true; /* exit(), abort(), a noreturn function */
    } else {
      walk_children_expr(c, cur, s);
    }
    break;
  }
  c->depth--;
}

/* ---- locksets ---- */

typedef struct priv {
  omen_arena *arena;
  uint32_t *snap_first, *snap_count; /* per function: its snapshots */
  uint32_t *op_of_call;
  call_state *cs;
  snap *snaps;
  uint32_t nsnaps;
} priv;

static omen_c_lockset make_set(omen_arena *a, const omen_c_lockfunc *lf, uint64_t bits, const uint32_t *acq,
                               const uint32_t *acq_call) {
  omen_c_lockset set = {0, NULL, NULL, NULL};
  uint32_t n = 0;
  for (uint32_t i = 0; i < lf->nmutex; i++)
    if (bits & (1ull << i))
      n++;
  if (n == 0)
    return set;
  uint32_t *m = omen_arena_alloc(a, n * sizeof *m);
  uint32_t *by = omen_arena_alloc(a, n * sizeof *by);
  uint32_t *bc = omen_arena_alloc(a, n * sizeof *bc);
  if (!m || !by || !bc)
    return set;
  n = 0;
  for (uint32_t i = 0; i < lf->nmutex; i++) {
    if (!(bits & (1ull << i)))
      continue;
    m[n] = lf->mutex_of[i];
    by[n] = acq ? acq[i] : OMEN_C_NONE;
    bc[n] = acq_call ? acq_call[i] : OMEN_C_NONE;
    n++;
  }
  set.n = n;
  set.mutex = m;
  set.by = by;
  set.by_call = bc;
  return set;
}

static void add_exit(ctx *c, const state *s, CXCursor stmt, CXCursor parent, bool is_return, uint32_t start,
                     uint32_t end) {
  uint64_t held = s->must & ~s->raii;
  c->exit_held = c->any_exit ? (c->exit_held & held) : held;
  c->any_exit = true;
  if (!c->record)
    return;
  omen_c_exit *x = vec_push(c, &c->exits, sizeof *x);
  if (!x)
    return;
  const omen_c_lockfunc *lf = &c->lk->funcs[c->func];
  x->func = c->func;
  x->start = start;
  x->end = end;
  if (is_return) {
    uint32_t j = end;
    while (j < c->file->len && (c->file->text[j] == ' ' || c->file->text[j] == '\t'))
      j++;
    if (j < c->file->len && c->file->text[j] == ';')
      x->end = j + 1;
  }
  x->is_return = is_return;
  x->stmt = stmt;
  x->parent = parent;
  enum CXCursorKind pk = clang_getCursorKind(parent);
  x->in_branch = is_return && !clang_Cursor_isNull(parent) && pk != CXCursor_CompoundStmt &&
                 pk != CXCursor_LabelStmt && pk != CXCursor_CaseStmt && pk != CXCursor_DefaultStmt;
  x->held = make_set(c->arena, lf, held, s->acq, s->acq_call);
  x->may = make_set(c->arena, lf, s->may & ~s->raii, s->acq, s->acq_call);
  x->released = make_set(c->arena, lf, s->rel, NULL, NULL);
  x->label = OMEN_C_NONE;
}

static void add_jump(ctx *c, const state *s, CXCursor stmt, CXCursor parent, CXCursor label) {
  uint32_t st, en, ls, le;
  if (s->dead || !omen_c_range(c->p, stmt, &st, &en) || !omen_c_range(c->p, label, &ls, &le))
    return;
  omen_c_exit *x = vec_push(c, &c->jumps, sizeof *x);
  if (!x)
    return;
  const omen_c_lockfunc *lf = &c->lk->funcs[c->func];
  x->func = c->func;
  x->start = st;
  x->end = en;
  uint32_t j = en;
  while (j < c->file->len && (c->file->text[j] == ' ' || c->file->text[j] == '\t'))
    j++;
  if (j < c->file->len && c->file->text[j] == ';')
    x->end = j + 1;
  x->stmt = stmt;
  x->parent = parent;
  enum CXCursorKind pk = clang_getCursorKind(parent);
  x->in_branch = !clang_Cursor_isNull(parent) && pk != CXCursor_CompoundStmt && pk != CXCursor_LabelStmt &&
                 pk != CXCursor_CaseStmt && pk != CXCursor_DefaultStmt;
  uint64_t held = s->must & ~s->raii;
  x->held = make_set(c->arena, lf, held, s->acq, s->acq_call);
  x->may = make_set(c->arena, lf, s->may & ~s->raii, s->acq, s->acq_call);
  x->released = make_set(c->arena, lf, s->rel, NULL, NULL);
  x->label = ls;
}

/* ---- driver ---- */

static CXCursor body_of(ctx *c, uint32_t f) {
  const omen_c_func *fn = &c->in->funcs[f];
  kidlist kl = kids_of(fn->cursor);
  for (unsigned i = kl.n; i-- > 0;) {
    uint32_t s, e;
    if (clang_getCursorKind(kl.c[i]) == CXCursor_CompoundStmt && omen_c_range(c->p, kl.c[i], &s, &e) &&
        s == fn->body_start)
      return kl.c[i];
  }
  return clang_getNullCursor();
}

static omen_c_summary_item *copy_items(ctx *c, const omen_c_summary_item *src, uint32_t n) {
  if (n == 0)
    return NULL;
  omen_c_summary_item *d = omen_arena_alloc(c->arena, n * sizeof *d);
  if (!d) {
    c->status = OMEN_ENOMEM;
    return NULL;
  }
  memcpy(d, src, n * sizeof *d);
  return d;
}

/* The by-declaration key of "$N->field" (a field of the record parameter N points to), as key_of
 * gives it: "struct dp_netdev::port_rwlock"; ckey stays empty for other forms. */
static void param_field_ckey(CXCursor fn, const char *skey, char *ckey) {
  char *end;
  long pi = strtol(skey + 1, &end, 10);
  const char *field = end + 2;
  if (strncmp(end, "->", 2) != 0 || !*field || strpbrk(field, ".->[*") || pi < 0 ||
      pi >= clang_Cursor_getNumArguments(fn))
    return;
  CXType t = clang_getCanonicalType(clang_getCursorType(clang_Cursor_getArgument(fn, (unsigned)pi)));
  if (t.kind != CXType_Pointer)
    return;
  CXCursor rec = clang_getTypeDeclaration(clang_getPointeeType(t));
  if (clang_Cursor_isNull(rec))
    return;
  CXString ts = clang_getTypeSpelling(clang_getCursorType(rec));
  const char *tn = clang_getCString(ts);
  if (tn && *tn && strlen(tn) < KEY_MAX / 2 && !strstr(tn, "(unnamed") && !strstr(tn, "(anonymous"))
    kcat(ckey, tn, "::", field);
  clang_disposeString(ts);
}

/* The mutexes a REQUIRES(...) annotation says f holds on entry, as local bits. */
static uint64_t requires_on_entry(ctx *c, uint32_t f) {
  CXCursor fn = c->in->funcs[f].cursor;
  ann anns[4];
  int na = parse_anns(c, fn, anns, 4);
  uint64_t bits = 0;
  for (int i = 0; i < na; i++) {
    if (anns[i].kind == ANN_NO_ANALYSIS)
      c->lk->funcs[f].uncertain = true; /* the lock API's own code (Clang skips it too) */
    if (anns[i].kind != ANN_REQUIRES)
      continue;
    for (int a = 0; a < anns[i].nargs; a++) {
      char skey[KEY_MAX];
      if (!ann_skey(fn, anns[i].args[a], skey, sizeof skey))
        continue;
      mkey k;
      memset(&k, 0, sizeof k);
      k.ok = true;
      if (skey[0] == '$') {
        k.root = OMEN_C_ROOT_PARAM;
        snprintf(k.disp, sizeof k.disp, "%s", anns[i].args[a]);
        param_field_ckey(fn, skey, k.ckey);
      } else if (strncmp(skey, "this", 4) == 0) {
        k.root = OMEN_C_ROOT_THIS;
        snprintf(k.disp, sizeof k.disp, "%s", skey);
      } else {
        k.root = OMEN_C_ROOT_GLOBAL;
        snprintf(k.disp, sizeof k.disp, "%s", skey);
        snprintf(k.ckey, sizeof k.ckey, "%s", skey);
      }
      snprintf(k.skey, sizeof k.skey, "%s", skey);
      uint32_t m = intern_mutex(c, f, &k, OMEN_C_MUTEX_STD, false);
      uint32_t lid = m == OMEN_C_NONE ? OMEN_C_NONE : local_id(c, f, m);
      if (lid != OMEN_C_NONE)
        bits |= 1ull << lid;
    }
  }
  return bits;
}

/* Walks function f; returns whether its summary changed. */
static bool walk_function(ctx *c, uint32_t f, bool record) {
  omen_c_lockfunc *lf = &c->lk->funcs[f];
  CXCursor body = body_of(c, f);
  if (clang_Cursor_isNull(body)) {
    lf->uncertain = true;
    return false;
  }
  c->func = f;
  c->record = record;
  c->depth = 0;
  c->cond = 0;
  c->branch = 0;
  c->brk = c->cont = NULL;
  c->sw_entry = NULL;
  c->sw_default = false;
  c->ngotos = 0;
  c->nscope_guards = 0;
  c->nacq = c->nrel = c->ndrop = 0;
  c->exit_held = 0;
  c->any_exit = false;
  state s;
  memset(&s, 0, sizeof s);
  for (uint32_t i = 0; i < OMEN_C_LOCKS_MAX; i++)
    s.acq[i] = s.acq_call[i] = OMEN_C_NONE;
  uint64_t entry = requires_on_entry(c, f);
  c->entry = entry;
  s.must = s.may = entry;
  walk(c, body, c->in->funcs[f].cursor, &s);
  if (!s.dead) {
    uint32_t end = c->in->funcs[f].body_end;
    add_exit(c, &s, clang_getNullCursor(), clang_getNullCursor(), false, end ? end - 1 : end, end);
  }
  c->exit_held &= ~entry;
  /* locking what REQUIRES says is held is reported inside; callers need not hear it again */
  for (uint32_t i = 0; entry && i < c->nacq;) {
    uint32_t lid = OMEN_C_NONE;
    for (uint32_t j = 0; j < lf->nmutex; j++)
      if (lf->mutex_of[j] == c->acquires[i].mutex)
        lid = j;
    if (lid != OMEN_C_NONE && (entry & (1ull << lid)))
      c->acquires[i] = c->acquires[--c->nacq];
    else
      i++;
  }
  omen_c_summary_item held[SUM_MAX];
  uint32_t nheld = 0;
  for (uint32_t i = 0; i < lf->nmutex; i++) {
    if (!(c->exit_held & (1ull << i)))
      continue;
    const omen_c_mutex *m = mutex_at(c, lf->mutex_of[i]);
    sum_add(held, &nheld, m->skey, lf->mutex_of[i], OMEN_C_NONE, false);
  }
  omen_c_summary *sum = &lf->summary;
  bool changed = sum->nacquires != c->nacq || sum->nreleases != c->nrel || sum->nreturns_held != nheld ||
                 sum->ndrops != c->ndrop;
  sum->drops = copy_items(c, c->drops, c->ndrop);
  sum->ndrops = c->ndrop;
  sum->acquires = copy_items(c, c->acquires, c->nacq);
  sum->nacquires = c->nacq;
  sum->releases = copy_items(c, c->releases, c->nrel);
  sum->nreleases = c->nrel;
  sum->returns_held = copy_items(c, held, nheld);
  sum->nreturns_held = nheld;
  return changed;
}

/* Sorts idx[0..n) by the calls' start offsets (stable merge sort; tmp has n slots). */
static void sort_by_start(const omen_c_index *in, uint32_t *idx, uint32_t *tmp, uint32_t n) {
  for (uint32_t w = 1; w < n; w *= 2) {
    for (uint32_t lo = 0; lo < n; lo += 2 * w) {
      uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      uint32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        tmp[k++] = in->calls[idx[j]].start < in->calls[idx[i]].start ? idx[j++] : idx[i++];
      while (i < mid)
        tmp[k++] = idx[i++];
      while (j < hi)
        tmp[k++] = idx[j++];
    }
    memcpy(idx, tmp, n * sizeof *idx);
  }
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const omen_c_index *in = omen_pass_result(pass, &omen_c_inspect);
  if (!in)
    return OMEN_OK;
  omen_arena *arena = omen_pass_arena(pass);
  omen_c_lockinfo *lk = omen_arena_alloc(arena, sizeof *lk);
  priv *pv = omen_arena_alloc(arena, sizeof *pv);
  if (!lk || !pv)
    return OMEN_ENOMEM;
  lk->in = in;
  lk->priv = pv;
  pv->arena = arena;
  *result = lk;
  /* bail out early: no call that could be a lock operation */
  bool any = false;
  for (size_t i = 0; !any && i < sizeof c_ops / sizeof c_ops[0]; i++)
    any = omen_c_call_first(in, c_ops[i].name) != OMEN_C_NONE;
  for (size_t i = 0; !any && i < sizeof cxx_methods / sizeof cxx_methods[0]; i++)
    any = omen_c_call_first(in, cxx_methods[i].name) != OMEN_C_NONE;
  for (size_t i = 0; !any && std_guards[i]; i++)
    any = omen_c_call_first(in, std_guards[i]) != OMEN_C_NONE;
  static const char *const annotated[] = {"Lock",         "Unlock",     "ReaderLock",
                                          "ReaderUnlock", "WriterLock", "WriterUnlock",
                                          "Acquire",      "Release",    NULL};
  for (size_t i = 0; !any && annotated[i]; i++)
    any = omen_c_call_first(in, annotated[i]) != OMEN_C_NONE;
  /* a project's own annotated lock functions (openvswitch's ovs_mutex_lock_at, declared
   * OVS_ACQUIRES): a callee with attributes whose name speaks of locking */
  for (uint32_t i = 0; !any && i < in->ncalls; i++)
    any =
        in->calls[i].direct && lockish_name(in->calls[i].name) && clang_Cursor_hasAttrs(in->calls[i].callee);
  if (!any && in->file && in->file->text)
    any = memmem(in->file->text, in->file->len, "REQUIRES", 8) ||
          memmem(in->file->text, in->file->len, "requires_capability", 19) ||
          memmem(in->file->text, in->file->len, "LOCKS_REQUIRED", 14);
  if (!any || in->ncalls == 0 || in->nfuncs == 0)
    return OMEN_OK;
  ctx c = {.p = pass, .arena = arena, .in = in, .lk = lk, .file = in->file};
  const omen_file *f = in->file;
  c.tu_recursive = f && f->text &&
                   (memmem(f->text, f->len, "RECURSIVE", 9) || memmem(f->text, f->len, "_recursive", 10) ||
                    memmem(f->text, f->len, "recursive_", 10));
  find_inits(&c);
  c.op_of_call = omen_arena_alloc(arena, in->ncalls * sizeof *c.op_of_call);
  c.cs = omen_arena_alloc(arena, in->ncalls * sizeof *c.cs);
  c.call_at = omen_arena_alloc(arena, in->ncalls * sizeof *c.call_at);
  lk->callee = omen_arena_alloc(arena, in->ncalls * sizeof *lk->callee);
  lk->funcs = omen_arena_alloc(arena, in->nfuncs * sizeof *lk->funcs);
  c.gotos = omen_arena_alloc(arena, MAX_GOTO_LABELS * sizeof *c.gotos);
  if (!c.op_of_call || !c.cs || !c.call_at || !lk->callee || !lk->funcs || !c.gotos)
    return OMEN_ENOMEM;
  for (uint32_t i = 0; i < in->ncalls; i++) {
    c.op_of_call[i] = OMEN_C_NONE;
    c.call_at[i] = i;
  }
  uint32_t *tmp = omen_arena_alloc(arena, in->ncalls * sizeof *tmp);
  if (!tmp)
    return OMEN_ENOMEM;
  sort_by_start(in, c.call_at, tmp, in->ncalls);
  for (uint32_t i = 0; i < in->ncalls && c.status == OMEN_OK; i++)
    classify_call(&c, i);
  pv->op_of_call = c.op_of_call;
  pv->cs = c.cs;
  if (c.ops.n == 0 || c.status != OMEN_OK)
    return c.status;
  map_callees(&c);
  for (uint32_t i = 0; i < in->nfuncs; i++) {
    lk->funcs[i].mutex_of = omen_arena_alloc(arena, OMEN_C_LOCKS_MAX * sizeof(uint32_t));
    if (!lk->funcs[i].mutex_of)
      return OMEN_ENOMEM;
  }
  const omen_c_lockop *ops = c.ops.v;
  for (uint32_t i = 0; i < c.ops.n; i++)
    lk->funcs[ops[i].func].relevant = true;
  /* REQUIRES(...) makes a function's lock set non-empty on entry */
  for (uint32_t i = 0; i < in->nfuncs; i++) {
    ann anns[4];
    int na = lk->funcs[i].relevant ? 0 : parse_anns(&c, in->funcs[i].cursor, anns, 4);
    for (int k = 0; k < na; k++)
      if (anns[k].kind == ANN_REQUIRES)
        lk->funcs[i].relevant = true;
  }
  /* callers of relevant functions are relevant */
  for (int round = 0; round < 16; round++) {
    bool grew = false;
    for (uint32_t i = 0; i < in->ncalls; i++) {
      uint32_t cf = lk->callee[i], fn = in->calls[i].func;
      if (cf != OMEN_C_NONE && fn != OMEN_C_NONE && lk->funcs[cf].relevant && !lk->funcs[fn].relevant) {
        lk->funcs[fn].relevant = true;
        grew = true;
      }
    }
    if (!grew)
      break;
  }
  for (int round = 0; round < FIX_ROUNDS; round++) {
    bool changed = false;
    for (uint32_t i = 0; i < in->nfuncs && c.status == OMEN_OK; i++)
      if (lk->funcs[i].relevant && !in->funcs[i].incomplete)
        changed |= walk_function(&c, i, false);
    if (!changed)
      break;
  }
  pv->snap_first = omen_arena_alloc(arena, in->nfuncs * sizeof *pv->snap_first);
  pv->snap_count = omen_arena_alloc(arena, in->nfuncs * sizeof *pv->snap_count);
  if (!pv->snap_first || !pv->snap_count)
    return OMEN_ENOMEM;
  for (uint32_t i = 0; i < in->nfuncs && c.status == OMEN_OK; i++) {
    if (lk->funcs[i].relevant && !in->funcs[i].incomplete) {
      pv->snap_first[i] = c.snaps.n;
      walk_function(&c, i, true);
      pv->snap_count[i] = c.snaps.n - pv->snap_first[i];
    }
  }
  lk->mutexes = c.mutexes.v;
  lk->nmutexes = c.mutexes.n;
  lk->ops = c.ops.v;
  lk->nops = c.ops.n;
  lk->guards = c.guards.v;
  lk->nguards = c.guards.n;
  lk->exits = c.exits.v;
  lk->nexits = c.exits.n;
  lk->jumps = c.jumps.v;
  lk->njumps = c.jumps.n;
  pv->snaps = c.snaps.v;
  pv->nsnaps = c.snaps.n;
  return c.status;
}

/* ---- queries ---- */

uint32_t omen_c_locks_op_of_call(const omen_c_lockinfo *lk, uint32_t call) {
  const priv *pv = lk ? lk->priv : NULL;
  if (!pv || !pv->op_of_call || call >= lk->in->ncalls)
    return OMEN_C_NONE;
  return pv->op_of_call[call];
}

omen_c_lockset omen_c_locks_at_call(const omen_c_lockinfo *lk, uint32_t call, bool may) {
  omen_c_lockset none = {0, NULL, NULL, NULL};
  const priv *pv = lk ? lk->priv : NULL;
  if (!pv || !pv->cs || !lk->funcs || call >= lk->in->ncalls || !pv->cs[call].seen)
    return none;
  const call_state *cs = &pv->cs[call];
  const omen_c_lockfunc *lf = &lk->funcs[lk->in->calls[call].func];
  return make_set(pv->arena, lf, may ? cs->may : cs->must, cs->acq, cs->acq_call);
}

omen_c_lockset omen_c_locks_released_at_call(const omen_c_lockinfo *lk, uint32_t call, bool may) {
  omen_c_lockset none = {0, NULL, NULL, NULL};
  const priv *pv = lk ? lk->priv : NULL;
  if (!pv || !pv->cs || !lk->funcs || call >= lk->in->ncalls || !pv->cs[call].seen)
    return none;
  const call_state *cs = &pv->cs[call];
  return make_set(pv->arena, &lk->funcs[lk->in->calls[call].func], may ? cs->relmay : cs->rel, NULL, NULL);
}

omen_c_lockset omen_c_locks_at(const omen_c_lockinfo *lk, uint32_t off, bool may) {
  omen_c_lockset none = {0, NULL, NULL, NULL};
  const priv *pv = lk ? lk->priv : NULL;
  if (!pv || !pv->snaps || !lk->funcs)
    return none;
  uint32_t f = omen_c_func_at(lk->in, off);
  if (f == OMEN_C_NONE)
    return none;
  const snap *best = NULL;
  if (!pv->snap_first)
    return none;
  for (uint32_t i = pv->snap_first[f]; i < pv->snap_first[f] + pv->snap_count[f] && i < pv->nsnaps; i++) {
    const snap *sn = &pv->snaps[i];
    if (sn->func == f && sn->off <= off && (!best || sn->off >= best->off))
      best = sn;
  }
  if (!best)
    return none;
  return make_set(pv->arena, &lk->funcs[f], may ? best->may : best->must, NULL, NULL);
}

bool omen_c_locks_guarded_by(omen_pass *pass, CXCursor decl, char *buf, size_t n) {
  if (!pass || n == 0 || clang_Cursor_isNull(decl))
    return false;
  buf[0] = '\0';
  ctx c = {.p = pass};
  ann anns[4];
  int na = parse_anns(&c, decl, anns, 4);
  for (int i = 0; i < na; i++) {
    if (anns[i].kind == ANN_GUARDED && anns[i].nargs > 0 && strlen(anns[i].args[0]) < n) {
      strcpy(buf, anns[i].args[0]);
      return true;
    }
  }
  return false;
}

bool omen_c_locks_call_in_branch(const omen_c_lockinfo *lk, uint32_t call) {
  const priv *pv = lk ? lk->priv : NULL;
  return pv && pv->cs && call < lk->in->ncalls && pv->cs[call].in_branch;
}

bool omen_c_lockset_has(omen_c_lockset s, uint32_t m) {
  for (uint32_t i = 0; i < s.n; i++)
    if (s.mutex[i] == m)
      return true;
  return false;
}

uint32_t omen_c_locks_find(const omen_c_lockinfo *lk, uint32_t func, const char *key) {
  for (uint32_t i = 0; lk && i < lk->nmutexes; i++)
    if ((lk->mutexes[i].func == OMEN_C_NONE || lk->mutexes[i].func == func) &&
        strcmp(lk->mutexes[i].key, key) == 0)
      return i;
  return OMEN_C_NONE;
}

uint32_t omen_c_locks_call_acquires(const omen_c_lockinfo *lk, uint32_t call, uint32_t *mutex, uint32_t *op,
                                    uint32_t cap) {
  const priv *pv = lk ? lk->priv : NULL;
  if (!pv || !pv->cs || call >= lk->in->ncalls)
    return 0;
  const call_state *cs = &pv->cs[call];
  uint32_t n = 0;
  for (; n < cs->nvia && n < cap; n++) {
    mutex[n] = cs->via_m[n];
    op[n] = cs->via_op[n];
  }
  return n;
}

const omen_analyzer omen_c_locks = {
    .name = "c-locks",
    .title = "Lock operations, lock sets and lock summaries of a C/C++ translation unit",
    .doc = "Base analyzer: the pthread, C11 and std:: mutex operations of the main file keyed by the mutex "
           "they act on (a global, a field reached through a parameter, *this or a global), RAII guard "
           "scopes, the locks held before each call and statement along structured control flow "
           "(branches, loops, switch, forward goto, early returns), and per-function summaries over the "
           "unit's call graph (mutexes acquired, returned held, released for the caller). Reports nothing.",
    .langs = OMEN_LANG_CFAMILY,
    .requires = (const omen_analyzer *const[]){&omen_c_inspect, NULL},
    .run = run,
};
