/* go_locks.c - base: sync.Mutex/RWMutex operations, lock sets (must and may) before each statement,
 * and bottom-up function summaries of the mutexes each function acquires, leaves held or releases. */
#include <stdlib.h>
#include <string.h>

#include "go_cfg.h"
#include "go_context.h"
#include "go_fix.h"
#include "go_inspect.h"
#include "go_locks.h"
#include "go_types.h"

enum {
  MAX_EMBED = 4,     /* embedded-struct levels searched for a promoted field or mutex */
  MAX_LEVEL = 16,    /* structs per level of that search */
  MAX_COND = 16,     /* nesting of `!`, `&&`, `||` in a TryLock condition */
  WORDS = GO_LOCKS_MAX_BITS / 64,
};

/* Per mutex, four facts: held in write mode, in read mode, deferred unlock (write), (read). */
enum { B_W = 0, B_R = 1, B_DW = 2, B_DR = 3, NB = 4 };

/* How a call-graph edge is followed for summaries. */
enum { EDGE_UNSEEN = 0, EDGE_SKIP, EDGE_INPLACE, EDGE_DEFERRED, EDGE_GO };

typedef enum ev_kind {
  EV_ACQ,  /* acquire (Lock, RLock, a lock helper's effect) */
  EV_REL,  /* release (Unlock, RUnlock, an unlock helper's effect) */
  EV_DREL, /* deferred release: sets the deferred flag */
  EV_TRY,  /* TryLock/TryRLock: acquires on the true branch of a condition */
  EV_DALL, /* `defer unlock()` of a function value made by a call: may release anything held */
} ev_kind;

typedef struct event {
  uint32_t start, end; /* of node */
  uint32_t seq;        /* creation order, for a stable sort */
  ev_kind kind;
  uint32_t m; /* local mutex index */
  uint8_t mode;
  uint32_t site;  /* ACQ, TRY: site index (fact bit NB*nm + site) */
  int32_t callee; /* -1: an operation of this function; else the callee whose summary applies */
  TSNode node;    /* the lock call, or the call (literal) of the callee */
  bool on_recv;   /* on the mutex of the function's receiver */
} event;

typedef struct site_info {
  uint32_t m;
  uint8_t mode;
  uint32_t next; /* next site of the same (m, mode); UINT32_MAX ends */
  TSNode node;
} site_info;

typedef struct fstate {
  go_lock_summary sum;
  bool relevant;
  uint32_t file;
  const go_cfg_fn *cfg;
  uint32_t nm;
  uint32_t *mglob; /* local mutex -> global index */
  uint32_t *head;  /* (m * 2 + mode) -> first site, UINT32_MAX if none */
  event *ev;
  uint32_t nev;
  site_info *sites;
  uint32_t nsites;
  uint32_t nwords; /* 0: no events, nothing is ever held */
  uint64_t *must, *may;
  bool *reached;
} fstate;

struct go_locks_priv {
  omen_arena *arena;
  const go_inspect *ins;
  const go_types *types;
  go_cfg *cfg;
  const go_context *ctx;
  fstate *fs; /* per function; NULL when the unit has no operations */
  size_t nfuncs;
  uint32_t *by_key; /* mutex indexes sorted by key */
  struct callers *callers; /* per function, go_locks_held_by_callers (allocated on first use) */
};

/* ---------- small helpers ---------- */

static const omen_file *file_of(const struct go_locks_priv *p, uint32_t file) { return p->ins->files[file]->file; }

static const char *text(const struct go_locks_priv *p, uint32_t file, TSNode n) {
  if (ts_node_is_null(n))
    return NULL;
  const omen_file *f = file_of(p, file);
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > f->len || s > e)
    return NULL;
  return omen_arena_strndup(p->arena, f->text + s, e - s);
}

static bool op_is(TSNode n, const char *op) {
  TSNode o = go_node_child(n, GO_F_OPERATOR);
  return !ts_node_is_null(o) && strcmp(ts_node_type(o), op) == 0;
}

/* The field name of selector x in buf (NULL if longer than cap). */
static const char *field_name(const struct go_locks_priv *p, uint32_t file, TSNode x, char *buf, size_t cap) {
  TSNode f = go_node_child(x, GO_F_FIELD);
  if (ts_node_is_null(f))
    return NULL;
  const omen_file *src = file_of(p, file);
  uint32_t s = ts_node_start_byte(f), e = ts_node_end_byte(f);
  if (e > src->len || e < s || e - s >= cap)
    return NULL;
  memcpy(buf, src->text + s, e - s);
  buf[e - s] = '\0';
  return buf;
}

static bool sync_mutex_type(const char *ty, bool *rw) {
  if (!ty)
    return false;
  if (ty[0] == '*')
    ty++;
  if (strcmp(ty, "sync.Mutex") == 0) {
    *rw = false;
    return true;
  }
  if (strcmp(ty, "sync.RWMutex") == 0) {
    *rw = true;
    return true;
  }
  return false;
}

/* A package type name from a canonical type ("*T", "T[int]" -> "T"); NULL for other types. */
static const char *local_name(const struct go_locks_priv *p, const char *ty) {
  if (!ty)
    return NULL;
  if (ty[0] == '*')
    ty++;
  size_t n = 0;
  while (ty[n] && ty[n] != '[') {
    char c = ty[n];
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          (unsigned char)c >= 0x80))
      return NULL;
    n++;
  }
  if (n == 0 || (ty[n] == '[' && ty[n + 1] == ']'))
    return NULL;
  if (strncmp(ty, "map", n) == 0 && n == 3)
    return NULL;
  return ty[n] ? omen_arena_strndup(p->arena, ty, n) : ty;
}

/* The package struct a canonical type names (through `type T U`); NULL otherwise. */
static const go_struct *struct_of(const struct go_locks_priv *p, const char *ty, int depth) {
  const char *name = local_name(p, ty);
  if (!name || depth > MAX_EMBED)
    return NULL;
  const go_struct *s = go_types_struct(p->types, name);
  if (s)
    return s;
  const go_decl *d = go_types_decl(p->types, name);
  if (d && d->kind == GO_DECL_TYPE && !d->alias && go_node_is(d->type, GO_NODE_TYPE_IDENTIFIER))
    return struct_of(p, go_types_canonical(p->types, d->file, d->type), depth + 1);
  return NULL;
}

/* The struct that declares field fname of s (s itself, or one reached through embedded fields). */
static const go_struct *declaring(const struct go_locks_priv *p, const go_struct *s, const char *fname,
                                  int depth) {
  if (!s || depth > MAX_EMBED)
    return NULL;
  if (go_types_field(s, fname))
    return s;
  for (size_t i = 0; i < s->nfields; i++) {
    if (!s->fields[i].embedded)
      continue;
    const go_struct *d = declaring(p, struct_of(p, s->fields[i].type, 0), fname, depth + 1);
    if (d)
      return d;
  }
  return NULL;
}

/* ---------- mutex keys ---------- */

typedef struct mkey {
  const char *key;
  go_mutex_kind kind;
  bool rw;
  const char *owner, *name;
} mkey;

static const char *local_key(const struct go_locks_priv *p, uint32_t file, const go_binding *b) {
  TSNode at = ts_node_is_null(b->name) ? b->decl : b->name;
  return omen_arena_printf(p->arena, "local:%s:%u", file_of(p, file)->path, ts_node_start_byte(at));
}

/* A variable (identifier) as a mutex owner: its key and kind; false for other bindings. */
static bool var_key(const struct go_locks_priv *p, uint32_t file, TSNode id, const char **key,
                    go_mutex_kind *kind, go_binding *b) {
  switch (go_types_lookup_ident(p->types, file, id, b)) {
  case GO_BIND_PACKAGE:
    if (b->pkg->kind != GO_DECL_VAR)
      return false;
    *key = b->pkg->name;
    *kind = GO_MUTEX_VAR;
    return true;
  case GO_BIND_LOCAL:
    *key = local_key(p, file, b);
    *kind = GO_MUTEX_LOCAL;
    return true;
  default:
    return false;
  }
}

/* The struct_type node of an expression of anonymous struct type: a package or local variable declared
 * `var v struct{...}`, or a field g of a package struct declared `g struct{...}`. Sets the prefix of
 * keys inside it, their kind, and the file of the node. Null node otherwise. */
static TSNode anon_struct(const struct go_locks_priv *p, uint32_t file, TSNode e, const char **prefix,
                          go_mutex_kind *kind, uint32_t *sfile) {
  e = go_ts_unparen(e);
  if (go_node_is(e, GO_NODE_IDENTIFIER)) {
    go_binding b;
    if (!var_key(p, file, e, prefix, kind, &b))
      return go_ts_null();
    if (*kind == GO_MUTEX_VAR) {
      *sfile = b.pkg->file;
      return go_node_is(b.pkg->type, GO_NODE_STRUCT_TYPE) ? b.pkg->type : go_ts_null();
    }
    *sfile = file;
    TSNode t = go_node_is(b.decl, GO_NODE_VAR_SPEC) ? go_node_child(b.decl, GO_F_TYPE) : go_ts_null();
    return go_node_is(t, GO_NODE_STRUCT_TYPE) ? t : go_ts_null();
  }
  if (go_node_is(e, GO_NODE_SELECTOR_EXPRESSION)) {
    const char *g = text(p, file, go_node_child(e, GO_F_FIELD));
    const go_struct *s = struct_of(p, go_types_type_of(p->types, file, go_node_child(e, GO_F_OPERAND)), 0);
    const go_struct *d = g ? declaring(p, s, g, 0) : NULL;
    const go_field *f = d ? go_types_field(d, g) : NULL;
    TSNode t = f ? go_node_child(f->node, GO_F_TYPE) : go_ts_null();
    if (!go_node_is(t, GO_NODE_STRUCT_TYPE))
      return go_ts_null();
    *prefix = omen_arena_printf(p->arena, "%s.%s", d->name, g);
    *kind = GO_MUTEX_FIELD;
    *sfile = d->file;
    return t;
  }
  return go_ts_null();
}

/* In a struct_type node: the field fname (NULL: the embedded mutex) when it is a sync.Mutex/RWMutex.
 * Sets *rw and *name ("Mutex"/"RWMutex" for the embedded one). */
static bool anon_field(const struct go_locks_priv *p, uint32_t sfile, TSNode st, const char *fname, bool *rw,
                       const char **name, bool *embedded) {
  TSNode list = go_ts_null();
  for (uint32_t i = 0; i < go_ts_nnamed(st); i++)
    if (go_ts_type_is(go_ts_nth(st, i), "field_declaration_list"))
      list = go_ts_nth(st, i);
  const omen_file *f = file_of(p, sfile);
  bool found = false;
  for (uint32_t i = 0; i < go_ts_nnamed(list); i++) {
    TSNode fd = go_ts_nth(list, i);
    if (!go_node_is(fd, GO_NODE_FIELD_DECLARATION))
      continue;
    bool named = false, match = false;
    for (uint32_t k = 0; k < go_ts_nnamed(fd); k++) {
      TSNode c = go_ts_nth(fd, k);
      if (go_node_is(c, GO_NODE_FIELD_IDENTIFIER)) {
        named = true;
        match |= fname && go_ts_teq(f, c, fname);
      }
    }
    if (fname ? !match : named)
      continue;
    const char *ty = go_types_canonical(p->types, sfile, go_node_child(fd, GO_F_TYPE));
    if (!sync_mutex_type(ty, rw)) {
      if (fname)
        return false;
      continue;
    }
    if (found)
      return false; /* two embedded mutexes: an ambiguous selector */
    found = true;
    *embedded = !named;
    *name = fname ? fname : *rw ? "RWMutex" : "Mutex";
  }
  return found;
}

/* The mutex a value of package struct s promotes verb from: an embedded sync.Mutex/RWMutex, searched
 * level by level like the compiler; none when a package method named verb (or an embedded type we cannot
 * see into) comes first. */
static bool embedded_mutex(const struct go_locks_priv *p, const go_struct *s, const char *verb, mkey *out) {
  const go_struct *level[MAX_LEVEL], *next[MAX_LEVEL];
  size_t n = 1;
  level[0] = s;
  for (int depth = 0; depth <= MAX_EMBED && n; depth++) {
    size_t nn = 0;
    bool unknown = false, found = false;
    for (size_t i = 0; i < n; i++) {
      const go_struct *d = level[i];
      if (go_types_method(p->types, d->name, verb))
        return false; /* a package method: a call, not a mutex operation */
      for (size_t k = 0; k < d->nfields; k++) {
        const go_field *f = &d->fields[k];
        if (!f->embedded)
          continue;
        bool rw;
        if (sync_mutex_type(f->type, &rw)) {
          if (found)
            return false; /* ambiguous */
          found = true;
          out->key = omen_arena_printf(p->arena, "%s.%s", d->name, f->name);
          out->kind = GO_MUTEX_EMBEDDED;
          out->rw = rw;
          out->owner = d->name;
          out->name = f->name;
          continue;
        }
        const go_struct *e = struct_of(p, f->type, 0);
        if (e) {
          if (nn < MAX_LEVEL)
            next[nn++] = e;
          else
            unknown = true;
          continue;
        }
        const char *ln = local_name(p, f->type);
        if (!ln || go_types_method(p->types, ln, verb))
          unknown = true; /* another package's type, or a package type or interface with the method */
      }
    }
    if (found)
      return !unknown;
    if (unknown)
      return false;
    memcpy(level, next, nn * sizeof *next);
    n = nn;
  }
  return false;
}

/* The mutex x of `x.verb()`; false when it cannot be resolved. */
static bool resolve(const struct go_locks_priv *p, uint32_t file, TSNode x, const char *verb, mkey *out) {
  memset(out, 0, sizeof *out);
  x = go_ts_unparen(x);
  if (go_node_is(x, GO_NODE_UNARY_EXPRESSION) && (op_is(x, "&") || op_is(x, "*")))
    x = go_ts_unparen(go_node_child(x, GO_F_OPERAND));
  go_node k = go_node_kind(x);
  if (k != GO_NODE_IDENTIFIER && k != GO_NODE_SELECTOR_EXPRESSION)
    return false;
  const go_types *t = p->types;
  const char *ty = NULL;
  bool rw = false, known = false;
  if (k == GO_NODE_SELECTOR_EXPRESSION) {
    /* s.mu: the field of the operand's struct, without a second type_of of the selector */
    char buf[128];
    const char *f = field_name(p, file, x, buf, sizeof buf);
    const go_struct *d = f ? declaring(p, struct_of(p, go_types_type_of(t, file, go_node_child(x, GO_F_OPERAND)), 0), f, 0)
                           : NULL;
    const go_field *fd = d ? go_types_field(d, f) : NULL;
    if (fd && sync_mutex_type(fd->type, &rw)) {
      out->rw = rw;
      out->key = omen_arena_printf(p->arena, "%s.%s", d->name, fd->name);
      out->kind = fd->embedded ? GO_MUTEX_EMBEDDED : GO_MUTEX_FIELD;
      out->owner = d->name;
      out->name = fd->name;
      return out->key != NULL;
    }
    if (fd) {
      ty = fd->type;
      known = true;
    }
  }
  if (!known)
    ty = go_types_type_of(t, file, x);
  if (sync_mutex_type(ty, &rw)) {
    out->rw = rw;
    if (k == GO_NODE_IDENTIFIER) {
      go_binding b;
      if (!var_key(p, file, x, &out->key, &out->kind, &b))
        return false;
      out->name = text(p, file, x);
      return out->name != NULL;
    }
    /* a selector not of a package struct: a field of an anonymous struct, below */
  }
  if (k == GO_NODE_SELECTOR_EXPRESSION && (!ty || sync_mutex_type(ty, &rw))) {
    const char *f = text(p, file, go_node_child(x, GO_F_FIELD));
    const char *prefix;
    go_mutex_kind kind;
    uint32_t sf;
    TSNode st = anon_struct(p, file, go_node_child(x, GO_F_OPERAND), &prefix, &kind, &sf);
    bool emb;
    if (!f || ts_node_is_null(st) || !anon_field(p, sf, st, f, &out->rw, &out->name, &emb))
      return false;
    out->key = omen_arena_printf(p->arena, "%s.%s", prefix, f);
    out->kind = kind == GO_MUTEX_FIELD && emb ? GO_MUTEX_EMBEDDED : kind;
    out->owner = prefix;
    return out->key != NULL;
  }
  if (ty && !sync_mutex_type(ty, &rw)) {
    const char *name = local_name(p, ty);
    if (name && go_types_method(t, name, verb))
      return false; /* `type T U` with its own method verb */
    const go_struct *s = struct_of(p, ty, 0);
    if (s)
      return embedded_mutex(p, s, verb, out);
    if (strncmp(ty, "struct", 6) != 0 || (ty[6] != '{' && ty[6] != ' '))
      return false;
  }
  /* a variable (or field) of anonymous struct type with an embedded mutex */
  const char *prefix;
  go_mutex_kind kind;
  uint32_t sf;
  TSNode st = anon_struct(p, file, x, &prefix, &kind, &sf);
  bool emb;
  if (ts_node_is_null(st) || !anon_field(p, sf, st, NULL, &out->rw, &out->name, &emb))
    return false;
  out->key = omen_arena_printf(p->arena, "%s.%s", prefix, out->name);
  out->kind = kind == GO_MUTEX_FIELD ? GO_MUTEX_EMBEDDED : kind;
  out->owner = prefix;
  return out->key != NULL;
}

/* Is identifier id, in function func (GO_SITE_FUNC index), the receiver of the method that encloses it
 * (through func literals)? */
static bool is_recv_ident(const struct go_locks_priv *p, uint32_t file, int32_t func, TSNode id) {
  if (!go_node_is(id, GO_NODE_IDENTIFIER) || func < 0)
    return false;
  const go_site *fs = &p->ins->sites[GO_SITE_FUNC][func];
  const go_site *m = fs;
  for (int i = 0; i < 64 && m->fkind == GO_FUNC_LIT && m->func_index >= 0; i++)
    m = &p->ins->sites[GO_SITE_FUNC][m->func_index];
  if (m->fkind != GO_FUNC_METHOD)
    return false;
  /* the name first: most identifiers are not the receiver */
  TSNode name = go_node_child(go_ts_nth(go_node_child(m->node, GO_F_RECEIVER), 0), GO_F_NAME);
  if (ts_node_is_null(name))
    return false;
  uint32_t n = ts_node_end_byte(name) - ts_node_start_byte(name);
  const omen_file *f = file_of(p, file);
  if (n != ts_node_end_byte(id) - ts_node_start_byte(id) || n >= 128 ||
      memcmp(f->text + ts_node_start_byte(name), f->text + ts_node_start_byte(id), n) != 0)
    return false;
  /* not shadowed: no literal on the way declares the name, and the method declares it once (the receiver);
   * else ask go-types */
  char buf[128];
  memcpy(buf, f->text + ts_node_start_byte(id), n);
  buf[n] = '\0';
  bool plain = true;
  for (const go_site *l = fs; plain && l != m; l = &p->ins->sites[GO_SITE_FUNC][l->func_index])
    plain = go_inspect_func_declares(p->ins, l, buf) == 0;
  if (plain && go_inspect_func_declares(p->ins, m, buf) == 1)
    return true;
  go_binding b;
  return go_types_lookup_ident(p->types, file, id, &b) == GO_BIND_LOCAL && ts_node_eq(b.name, name);
}

/* Is expression x rooted at the enclosing method's receiver (`s.mu`, `s.a.b`, `&s.mu`, `s`)? */
static bool rooted_at_recv(const struct go_locks_priv *p, uint32_t file, int32_t func, TSNode x) {
  for (int i = 0; i < 16; i++) {
    x = go_ts_unparen(x);
    go_node k = go_node_kind(x);
    if (k == GO_NODE_UNARY_EXPRESSION || k == GO_NODE_SELECTOR_EXPRESSION)
      x = go_node_child(x, GO_F_OPERAND);
    else
      return is_recv_ident(p, file, func, x);
  }
  return false;
}

/* ---------- building: operations and mutexes ---------- */

typedef struct builder {
  struct go_locks_priv *p;
  go_locks *l;
  go_mutex *mx;
  size_t nmx, capmx;
  uint32_t *htab; /* open addressing: mutex index + 1 */
  size_t hcap;
  go_lock_op *ops;
  size_t nops, capops;
  bool *ddefer; /* per op: the call of a defer statement */
  const go_site **defers; /* DEFER sites with a call, in walk order */
  const go_site **by_func; /* the same, by function (stable) */
  size_t ndefers;
  /* summaries */
  uint8_t *edge_mode; /* per go-context edge */
  int8_t *edge_recv;  /* per edge: -1 unknown, 0, 1: the call's receiver is the caller's receiver */
  struct acqvec {
    go_lock_acq *v;
    size_t n, cap;
  } *acq, *leaves, *rel;
  uint32_t *gl; /* scratch for evbuild: global mutex -> local + 1, zero between functions */
} builder;

static size_t hash_str(const char *s) {
  size_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static int64_t intern(builder *b, const mkey *k) {
  if (2 * (b->nmx + 1) > b->hcap) {
    size_t cap = b->hcap ? b->hcap * 2 : 64;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h)
      return -1;
    for (size_t i = 0; i < b->nmx; i++) {
      size_t j = hash_str(b->mx[i].key) & (cap - 1);
      while (h[j])
        j = (j + 1) & (cap - 1);
      h[j] = (uint32_t)i + 1;
    }
    free(b->htab);
    b->htab = h;
    b->hcap = cap;
  }
  size_t j = hash_str(k->key) & (b->hcap - 1);
  while (b->htab[j]) {
    if (strcmp(b->mx[b->htab[j] - 1].key, k->key) == 0)
      return b->htab[j] - 1;
    j = (j + 1) & (b->hcap - 1);
  }
  if (b->nmx == GO_LOCKS_MAX_MUTEXES) {
    b->l->truncated = true;
    return -2;
  }
  if (b->nmx == b->capmx) {
    size_t cap = b->capmx ? b->capmx * 2 : 32;
    go_mutex *v = realloc(b->mx, cap * sizeof *v);
    if (!v)
      return -1;
    b->mx = v;
    b->capmx = cap;
  }
  b->mx[b->nmx] = (go_mutex){k->key, k->kind, k->rw, k->owner, k->name};
  b->htab[j] = (uint32_t)b->nmx + 1;
  return (int64_t)b->nmx++;
}

static bool verb_kind(const char *name, go_lock_kind *k) {
  static const struct {
    const char *name;
    go_lock_kind kind;
  } verbs[] = {{"Lock", GO_LOCK_LOCK},       {"Unlock", GO_LOCK_UNLOCK},   {"RLock", GO_LOCK_RLOCK},
               {"RUnlock", GO_LOCK_RUNLOCK}, {"TryLock", GO_LOCK_TRYLOCK}, {"TryRLock", GO_LOCK_TRYRLOCK}};
  for (size_t i = 0; name && i < sizeof verbs / sizeof *verbs; i++)
    if (strcmp(name, verbs[i].name) == 0) {
      *k = verbs[i].kind;
      return true;
    }
  return false;
}

static int cmp_defer_func(const void *a, const void *b) {
  const go_site *x = *(const go_site *const *)a, *y = *(const go_site *const *)b;
  if (x->func_index != y->func_index)
    return x->func_index < y->func_index ? -1 : 1;
  return x < y ? -1 : x > y; /* walk order */
}

/* The calls of defer statements, sorted by (file, start), for is_deferred_call. */
static bool index_defers(builder *b) {
  const go_inspect *ins = b->p->ins;
  size_t n = 0, nd = ins->nsites[GO_SITE_DEFER];
  b->defers = malloc((nd ? nd : 1) * sizeof *b->defers);
  if (!b->defers)
    return false;
  for (size_t i = 0; i < nd; i++) {
    const go_site *s = &ins->sites[GO_SITE_DEFER][i];
    if (go_node_is(s->sub, GO_NODE_CALL_EXPRESSION))
      b->defers[n++] = s;
  }
  b->ndefers = n; /* walk order is (file, start) order; two defer calls never start at the same byte */
  b->by_func = malloc((n ? n : 1) * sizeof *b->by_func);
  if (!b->by_func)
    return false;
  memcpy(b->by_func, b->defers, n * sizeof *b->by_func);
  qsort(b->by_func, n, sizeof *b->by_func, cmp_defer_func);
  return true;
}

/* Is call (a call_expression of file) the call of a defer statement? */
static bool is_deferred_call(const builder *b, uint32_t file, TSNode call) {
  uint32_t at = ts_node_start_byte(call);
  size_t lo = 0, hi = b->ndefers;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const go_site *s = b->defers[mid];
    if (s->file < file || (s->file == file && ts_node_start_byte(s->sub) < at))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < b->ndefers && b->defers[lo]->file == file && ts_node_eq(b->defers[lo]->sub, call);
}

/* Is the func literal of FUNC site fn called in place (`func(){...}()`; with `go` too: callers tell that
 * apart by the edge kind)? *deferred: as the call of a defer statement. b may be NULL (after the run). */
static bool called_in_place(const builder *b, const go_site *fn, bool *deferred) {
  TSNode p = fn->parent, inner = fn->node;
  while (go_node_is(p, GO_NODE_PARENTHESIZED_EXPRESSION)) {
    inner = p;
    p = go_ts_parent(p);
  }
  *deferred = false;
  if (!go_node_is(p, GO_NODE_CALL_EXPRESSION) || !ts_node_eq(go_node_child(p, GO_F_FUNCTION), inner))
    return false;
  *deferred = b ? is_deferred_call(b, fn->file, p) : go_node_is(go_ts_parent(p), GO_NODE_DEFER_STATEMENT);
  return true;
}

static bool collect_ops(builder *b) {
  struct go_locks_priv *p = b->p;
  const go_inspect *ins = p->ins;
  for (size_t i = 0; i < ins->nsites[GO_SITE_SYNC_CALL]; i++) {
    const go_site *s = &ins->sites[GO_SITE_SYNC_CALL][i];
    go_lock_kind kind;
    if (!verb_kind(s->name, &kind) || s->func_index < 0 || !go_node_is(s->sub, GO_NODE_SELECTOR_EXPRESSION))
      continue;
    if (!b->defers && !index_defers(b))
      return false;
    TSNode x = go_node_child(s->sub, GO_F_OPERAND);
    mkey k;
    if (!resolve(p, s->file, x, s->name, &k))
      continue;
    int64_t m = intern(b, &k);
    if (m == -1)
      return false;
    if (m < 0)
      continue;
    if (b->nops == b->capops) {
      size_t cap = b->capops ? b->capops * 2 : 64;
      go_lock_op *v = realloc(b->ops, cap * sizeof *v);
      if (!v)
        return false;
      b->ops = v;
      b->capops = cap;
    }
    go_lock_op *op = &b->ops[b->nops];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->mutex = (uint32_t)m;
    op->file = s->file;
    op->call = s->node;
    op->expr = x;
    op->func = s->func_index;
    op->in_go = go_node_is(s->parent, GO_NODE_GO_STATEMENT);
    op->deferred = go_node_is(s->parent, GO_NODE_DEFER_STATEMENT);
    const go_site *fn = &ins->sites[GO_SITE_FUNC][s->func_index];
    bool d;
    if (!op->deferred && fn->fkind == GO_FUNC_LIT && called_in_place(b, fn, &d))
      op->deferred = d;
    op->on_recv = rooted_at_recv(p, s->file, s->func_index, x);
    b->nops++;
  }
  return true;
}

static int cmp_op(const void *a, const void *b) {
  const go_lock_op *x = a, *y = b;
  if (x->func != y->func)
    return x->func < y->func ? -1 : 1;
  if (x->file != y->file)
    return x->file < y->file ? -1 : 1;
  uint32_t s = ts_node_start_byte(x->call), t = ts_node_start_byte(y->call);
  return s < t ? -1 : s > t;
}

/* ---------- call-graph edges ---------- */

/* Is call `x.Do(f)` with x a sync.Once (f runs before Do returns)? */
static bool is_once_do(const struct go_locks_priv *p, uint32_t file, TSNode call) {
  TSNode fn = go_ts_unparen(go_node_child(call, GO_F_FUNCTION));
  if (!go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) || !go_ts_teq(file_of(p, file), go_node_child(fn, GO_F_FIELD), "Do"))
    return false;
  return go_types_is_named(go_types_type_of(p->types, file, go_node_child(fn, GO_F_OPERAND)), "sync", "Once", NULL);
}

/* How an edge is followed: calls (plain or deferred), literals called in place or deferred, and function
 * values and literals passed to sync.Once.Do; not goroutines, nor callbacks that may run later. */
static uint8_t edge_mode(builder *b, uint32_t e) {
  if (b->edge_mode[e] != EDGE_UNSEEN)
    return b->edge_mode[e];
  const go_ctx_edge *ed = &b->p->ctx->edges[e];
  uint8_t m = EDGE_SKIP;
  bool d;
  if (ed->kind == GO_EDGE_CALL) {
    m = is_deferred_call(b, ed->file, ed->site) ? EDGE_DEFERRED : EDGE_INPLACE;
  } else if (ed->kind == GO_EDGE_GO) {
    m = EDGE_GO;
  } else if (ed->kind == GO_EDGE_REF) {
    if (is_once_do(b->p, ed->file, ed->site))
      m = is_deferred_call(b, ed->file, ed->site) ? EDGE_DEFERRED : EDGE_INPLACE;
  } else if (ed->kind == GO_EDGE_LIT) {
    const go_site *lit = b->p->ctx->funcs[ed->callee].site;
    TSNode call = go_ts_parent(lit->parent);
    if (called_in_place(b, lit, &d))
      m = d ? EDGE_DEFERRED : EDGE_INPLACE;
    else if (go_ts_type_is(lit->parent, "argument_list") && is_once_do(b->p, lit->file, call))
      m = is_deferred_call(b, lit->file, call) ? EDGE_DEFERRED : EDGE_INPLACE;
  }
  b->edge_mode[e] = m;
  return m;
}

/* For a CALL edge: is the call's receiver rooted at the caller's method receiver (`s.helper()`,
 * `s.inner.helper()` in a method of s)? For a REF edge (`once.Do(s.helper)`): the method value's. */
static bool edge_on_recv(builder *b, uint32_t e) {
  if (b->edge_recv[e] < 0) {
    const go_ctx_edge *ed = &b->p->ctx->edges[e];
    TSNode fn = go_ts_unparen(go_node_child(ed->site, GO_F_FUNCTION));
    if (ed->kind == GO_EDGE_REF)
      fn = go_ts_unparen(go_ts_arg(go_node_child(ed->site, GO_F_ARGUMENTS), 0));
    b->edge_recv[e] = (ed->kind == GO_EDGE_CALL || ed->kind == GO_EDGE_REF) &&
                      go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) &&
                      rooted_at_recv(b->p, ed->file, (int32_t)ed->caller, go_node_child(fn, GO_F_OPERAND));
  }
  return b->edge_recv[e] == 1;
}

/* ---------- dataflow ---------- */

static inline void bset(uint64_t *f, uint32_t i) { f[i / 64] |= 1ull << (i % 64); }
static inline void bclr(uint64_t *f, uint32_t i) { f[i / 64] &= ~(1ull << (i % 64)); }
static inline bool bget(const uint64_t *f, uint32_t i) { return (f[i / 64] >> (i % 64)) & 1; }

static void acquire(const fstate *fs, uint64_t *f, uint32_t m, uint8_t mode, uint32_t site) {
  bset(f, NB * m + mode);
  bset(f, NB * fs->nm + site);
}

static void apply(const fstate *fs, const event *e, uint64_t *f) {
  switch (e->kind) {
  case EV_ACQ:
    acquire(fs, f, e->m, e->mode, e->site);
    break;
  case EV_REL:
    bclr(f, NB * e->m + e->mode);
    for (uint32_t s = fs->head[e->m * 2 + e->mode]; s != UINT32_MAX; s = fs->sites[s].next)
      bclr(f, NB * fs->nm + s);
    break;
  case EV_DREL:
    bset(f, NB * e->m + B_DW + e->mode);
    break;
  case EV_DALL:
    for (uint32_t m = 0; m < fs->nm; m++)
      for (uint32_t mode = 0; mode < 2; mode++)
        if (bget(f, NB * m + mode))
          bset(f, NB * m + B_DW + mode);
    break;
  case EV_TRY:
    break;
  }
}

/* The first event at or after byte start. */
static uint32_t first_event(const fstate *fs, uint32_t start) {
  uint32_t lo = 0, hi = fs->nev;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (fs->ev[mid].start < start)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void flow_node(void *ctx, TSNode node, uint64_t *fact) {
  const fstate *fs = ctx;
  uint32_t end = ts_node_end_byte(node);
  for (uint32_t i = first_event(fs, ts_node_start_byte(node)); i < fs->nev && fs->ev[i].start < end; i++)
    apply(fs, &fs->ev[i], fact);
}

/* The TryLock calls that the condition cond being `sense` implies succeeded. */
static void apply_cond(const fstate *fs, TSNode cond, bool sense, uint64_t *fact, int depth) {
  cond = go_ts_unparen(cond);
  if (depth > MAX_COND)
    return;
  go_node k = go_node_kind(cond);
  if (k == GO_NODE_UNARY_EXPRESSION && op_is(cond, "!")) {
    apply_cond(fs, go_node_child(cond, GO_F_OPERAND), !sense, fact, depth + 1);
  } else if (k == GO_NODE_BINARY_EXPRESSION && ((sense && op_is(cond, "&&")) || (!sense && op_is(cond, "||")))) {
    apply_cond(fs, go_node_child(cond, GO_F_LEFT), sense, fact, depth + 1);
    apply_cond(fs, go_node_child(cond, GO_F_RIGHT), sense, fact, depth + 1);
  } else if (k == GO_NODE_CALL_EXPRESSION && sense) {
    uint32_t s = ts_node_start_byte(cond);
    for (uint32_t i = first_event(fs, s); i < fs->nev && fs->ev[i].start == s; i++)
      if (fs->ev[i].kind == EV_TRY && ts_node_eq(fs->ev[i].node, cond))
        acquire(fs, fact, fs->ev[i].m, fs->ev[i].mode, fs->ev[i].site);
  }
}

static void flow_edge(void *ctx, TSNode cond, bool sense, uint64_t *fact) {
  const fstate *fs = ctx;
  for (uint32_t i = first_event(fs, ts_node_start_byte(cond)); i < fs->nev && fs->ev[i].start < ts_node_end_byte(cond);
       i++)
    if (fs->ev[i].kind == EV_TRY) {
      apply_cond(fs, cond, sense, fact, 0);
      return;
    }
}

static int cmp_event(const void *a, const void *b) {
  const event *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

typedef struct evbuild {
  event *v;
  size_t n, cap;
  site_info *sites;
  size_t nsites, capsites;
  uint32_t *gl; /* global mutex -> local + 1 (the builder's scratch, reset after each function) */
  uint32_t *mglob;
  size_t nm, capm;
} evbuild;

static bool add_event(evbuild *eb, ev_kind kind, uint32_t gm, go_lock_mode mode, int32_t callee, TSNode node,
                      bool on_recv) {
  if (eb->n == eb->cap) {
    size_t cap = eb->cap ? eb->cap * 2 : 16;
    event *v = realloc(eb->v, cap * sizeof *v);
    if (!v)
      return false;
    eb->v = v;
    eb->cap = cap;
  }
  if (kind != EV_DALL && !eb->gl[gm]) {
    if (eb->nm == eb->capm) {
      size_t cap = eb->capm ? eb->capm * 2 : 8;
      uint32_t *v = realloc(eb->mglob, cap * sizeof *v);
      if (!v)
        return false;
      eb->mglob = v;
      eb->capm = cap;
    }
    eb->mglob[eb->nm++] = gm;
    eb->gl[gm] = (uint32_t)eb->nm;
  }
  event *e = &eb->v[eb->n];
  memset(e, 0, sizeof *e);
  e->start = ts_node_start_byte(node);
  e->end = ts_node_end_byte(node);
  e->seq = (uint32_t)eb->n;
  e->kind = kind;
  e->m = kind == EV_DALL ? 0 : eb->gl[gm] - 1;
  e->mode = (uint8_t)mode;
  e->callee = callee;
  e->node = node;
  e->on_recv = on_recv;
  if (kind == EV_ACQ || kind == EV_TRY) {
    if (eb->nsites == eb->capsites) {
      size_t cap = eb->capsites ? eb->capsites * 2 : 16;
      site_info *v = realloc(eb->sites, cap * sizeof *v);
      if (!v)
        return false;
      eb->sites = v;
      eb->capsites = cap;
    }
    e->site = (uint32_t)eb->nsites;
    eb->sites[eb->nsites++] = (site_info){e->m, (uint8_t)mode, UINT32_MAX, node};
  }
  eb->n++;
  return true;
}

static bool is_local(const builder *b, uint32_t m) { return b->mx[m].kind == GO_MUTEX_LOCAL; }

/* The first of the defers sorted by function whose function is f. */
static size_t first_defer(const builder *b, uint32_t f) {
  size_t lo = 0, hi = b->ndefers;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->by_func[mid]->func_index < (int32_t)f)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* `defer unlock()` where unlock is a local function value made by a call of this package
 * (`unlock := s.lockState()`, `unlock := unlockOnce(&s.mu)`): go-context cannot see what it runs, and
 * the idiom releases what the function holds. Values from other packages (`defer cancel()` of
 * context.WithCancel) are not. */
static bool opaque_defer(const builder *b, const go_site *d) {
  const struct go_locks_priv *p = b->p;
  TSNode fn = go_ts_unparen(go_node_child(d->sub, GO_F_FUNCTION));
  go_binding bd;
  if (!go_node_is(fn, GO_NODE_IDENTIFIER) || go_context_callee(p->ctx, d->file, d->sub) ||
      go_types_lookup_ident(p->types, d->file, fn, &bd) != GO_BIND_LOCAL)
    return false;
  TSNode v = go_ts_unparen(go_fix_decl_value(bd.decl, bd.name, true));
  return go_node_is(v, GO_NODE_CALL_EXPRESSION) &&
         !go_types_qualified(p->types, d->file, go_node_child(v, GO_F_FUNCTION), NULL, NULL);
}

/* The events of function f: its operations and the effects of the package functions it calls. */
static bool build_events(builder *b, uint32_t f, evbuild *eb) {
  const fstate *fs = &b->p->fs[f];
  for (size_t i = 0; i < fs->sum.nops; i++) {
    const go_lock_op *op = &fs->sum.ops[i];
    size_t oi = (size_t)(op - b->ops);
    if (op->in_go || (b->ddefer[oi] && go_lock_kind_acquires(op->kind)))
      continue; /* `defer mu.Lock()` re-acquires at the exit: see analyze */
    go_lock_mode mode = go_lock_kind_mode(op->kind);
    ev_kind k = op->kind == GO_LOCK_TRYLOCK || op->kind == GO_LOCK_TRYRLOCK ? EV_TRY
                : go_lock_kind_acquires(op->kind)                         ? EV_ACQ
                : b->ddefer[oi]                                           ? EV_DREL
                                                                          : EV_REL;
    if (!add_event(eb, k, op->mutex, mode, -1, op->call, op->on_recv))
      return false;
  }
  const go_context *c = b->p->ctx;
  const go_ctx_func *cf = &c->funcs[f];
  for (uint32_t e = cf->out; e < cf->out + cf->nout; e++) {
    uint32_t g = c->edges[e].callee;
    if (!b->p->fs[g].relevant)
      continue;
    uint8_t mode = edge_mode(b, e);
    if (mode == EDGE_SKIP)
      continue;
    TSNode site = c->edges[e].site;
    bool lit = c->edges[e].kind == GO_EDGE_LIT || (mode == EDGE_GO && c->funcs[g].site->fkind == GO_FUNC_LIT);
    /* the callee releases first, then returns holding what it leaves (`mu.Unlock(); ...; mu.Lock()`) */
    for (int pass = 0; pass < 2; pass++) {
      const struct acqvec *v = pass == 0 ? &b->rel[g] : &b->leaves[g];
      if (pass == 1 && mode != EDGE_INPLACE)
        break;
      for (size_t i = 0; i < v->n; i++) {
        const go_lock_acq *a = &v->v[i];
        /* keys are per type: apply a callee's effect on its own receiver's mutex, a package variable, or
         * (literals share their definer's variables) anything a literal does; not `y.mu` of some other value */
        if (!lit && !a->on_recv && b->mx[a->mutex].kind != GO_MUTEX_VAR)
          continue;
        bool recv = a->on_recv && (lit || edge_on_recv(b, e));
        /* a goroutine that unlocks what the caller holds (a hand-off) releases it later, like a defer */
        ev_kind k = pass == 1 ? EV_ACQ : mode == EDGE_DEFERRED || mode == EDGE_GO ? EV_DREL : EV_REL;
        if (!add_event(eb, k, a->mutex, a->mode, (int32_t)g, site, recv))
          return false;
      }
    }
  }
  for (size_t i = first_defer(b, f); eb->n && i < b->ndefers && b->by_func[i]->func_index == (int32_t)f; i++)
    if (opaque_defer(b, b->by_func[i]) && !add_event(eb, EV_DALL, 0, GO_LOCK_WRITE, -1, b->by_func[i]->sub, false))
      return false;
  return true;
}

static bool push_acq(builder *b, struct acqvec *v, go_lock_acq a, bool *added) {
  for (size_t i = 0; i < v->n; i++)
    if (v->v[i].mutex == a.mutex && v->v[i].mode == a.mode && v->v[i].on_recv == a.on_recv)
      return true;
  if (v->n == GO_LOCKS_MAX_ACQ) {
    b->l->truncated = true;
    return true;
  }
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 4;
    go_lock_acq *nv = realloc(v->v, cap * sizeof *nv);
    if (!nv)
      return false;
    v->v = nv;
    v->cap = cap;
  }
  v->v[v->n++] = a;
  if (added)
    *added = true;
  return true;
}

/* The acquiring site of (m, mode) set in fact whose node starts last at or before `before`, else the
 * first; -1 if none. */
static int64_t witness(const fstate *fs, const uint64_t *fact, uint32_t m, uint8_t mode, uint32_t before) {
  int64_t best = -1, first = -1;
  for (uint32_t s = fs->head[m * 2 + mode]; s != UINT32_MAX; s = fs->sites[s].next) {
    if (!bget(fact, NB * fs->nm + s))
      continue;
    uint32_t st = ts_node_start_byte(fs->sites[s].node);
    if (first < 0 || st < ts_node_start_byte(fs->sites[first].node))
      first = s;
    if (st <= before && (best < 0 || st > ts_node_start_byte(fs->sites[best].node)))
      best = s;
  }
  return best >= 0 ? best : first;
}

/* The local index of global mutex gm in fs, UINT32_MAX if fs has no event on it. */
static uint32_t local_of(const fstate *fs, uint32_t gm) {
  for (uint32_t m = 0; m < fs->nm; m++)
    if (fs->mglob[m] == gm)
      return m;
  return UINT32_MAX;
}

/* Lock sets of function f, and its leaves and releases. */
static bool analyze(builder *b, uint32_t f) {
  struct go_locks_priv *p = b->p;
  fstate *fs = &p->fs[f];
  evbuild eb = {0};
  eb.gl = b->gl;
  bool ok = build_events(b, f, &eb);
  for (size_t i = 0; i < eb.nm; i++)
    eb.gl[eb.mglob[i]] = 0;
  omen_arena *a = p->arena;
  fs->sum.flow = false;
  if (ok && eb.n == 0) {
    fs->sum.flow = true; /* nothing is ever held */
  } else if (ok && NB * eb.nm + eb.nsites <= GO_LOCKS_MAX_BITS) {
    const go_cfg_fn *cfg = go_cfg_of(p->cfg, p->ctx->funcs[f].site);
    if (cfg && !cfg->incomplete) {
      qsort(eb.v, eb.n, sizeof *eb.v, cmp_event);
      fs->cfg = cfg;
      fs->nm = (uint32_t)eb.nm;
      fs->nev = (uint32_t)eb.n;
      fs->nsites = (uint32_t)eb.nsites;
      fs->nwords = (uint32_t)((NB * eb.nm + eb.nsites + 63) / 64);
      fs->ev = omen_arena_alloc(a, eb.n * sizeof *fs->ev);
      fs->sites = omen_arena_alloc(a, (eb.nsites ? eb.nsites : 1) * sizeof *fs->sites);
      fs->mglob = omen_arena_alloc(a, eb.nm * sizeof *fs->mglob);
      fs->head = omen_arena_alloc(a, eb.nm * 2 * sizeof *fs->head);
      if (!fs->ev || !fs->sites || !fs->mglob || !fs->head) {
        ok = false;
      } else {
        memcpy(fs->ev, eb.v, eb.n * sizeof *fs->ev);
        if (eb.nsites)
          memcpy(fs->sites, eb.sites, eb.nsites * sizeof *fs->sites);
        memcpy(fs->mglob, eb.mglob, eb.nm * sizeof *fs->mglob);
        for (size_t i = 0; i < eb.nm * 2; i++)
          fs->head[i] = UINT32_MAX;
        for (uint32_t s = fs->nsites; s-- > 0;) {
          uint32_t h = fs->sites[s].m * 2 + fs->sites[s].mode;
          fs->sites[s].next = fs->head[h];
          fs->head[h] = s;
        }
        go_cfg_flow fl = {fs->nwords, true, flow_node, flow_edge, fs};
        omen_status st = go_cfg_forward(a, cfg, &fl, NULL, &fs->must, NULL);
        fl.must = false;
        if (st == OMEN_OK)
          st = go_cfg_forward(a, cfg, &fl, NULL, &fs->may, &fs->reached);
        if (st == OMEN_ENOMEM)
          ok = false;
        fs->sum.flow = st == OMEN_OK;
      }
    }
  }
  if (ok && fs->sum.flow && fs->nwords) {
    const go_cfg_fn *cfg = fs->cfg;
    uint64_t fact[WORDS];
    const uint64_t *exit_may = fs->reached[GO_CFG_EXIT] ? fs->may + (size_t)GO_CFG_EXIT * fs->nwords : NULL;
    /* releases: unlocks where this function holds the mutex on no path */
    for (uint32_t bi = 0; bi < cfg->nblocks && ok; bi++) {
      if (!fs->reached[bi])
        continue;
      memcpy(fact, fs->may + (size_t)bi * fs->nwords, fs->nwords * sizeof *fact);
      const go_cfg_block *blk = &cfg->blocks[bi];
      for (uint32_t ni = 0; ni < blk->nnodes && ok; ni++) {
        uint32_t end = ts_node_end_byte(blk->nodes[ni]);
        for (uint32_t i = first_event(fs, ts_node_start_byte(blk->nodes[ni])); i < fs->nev && fs->ev[i].start < end;
             i++) {
          const event *e = &fs->ev[i];
          uint32_t gm = fs->mglob[e->m];
          /* a deferred unlock runs at the exit: a release only if not held there either */
          bool held = bget(fact, NB * e->m + e->mode) ||
                      (e->kind == EV_DREL && exit_may && bget(exit_may, NB * e->m + e->mode));
          if ((e->kind == EV_REL || e->kind == EV_DREL) && !is_local(b, gm) && !held)
            ok = push_acq(b, &b->rel[f], (go_lock_acq){gm, e->mode, e->on_recv, fs->file, e->node, e->callee}, NULL);
          apply(fs, e, fact);
        }
      }
    }
    /* leaves: held at the exit on every path, with no deferred unlock on any */
    if (fs->reached[GO_CFG_EXIT]) {
      const uint64_t *must = fs->must + (size_t)GO_CFG_EXIT * fs->nwords;
      const uint64_t *may = fs->may + (size_t)GO_CFG_EXIT * fs->nwords;
      for (uint32_t m = 0; m < fs->nm && ok; m++)
        for (uint8_t mode = 0; mode < 2; mode++) {
          if (is_local(b, fs->mglob[m]) || !bget(must, NB * m + mode) || bget(may, NB * m + B_DW + mode))
            continue;
          int64_t s = witness(fs, may, m, mode, UINT32_MAX);
          TSNode node = s >= 0 ? fs->sites[s].node : cfg->func;
          int32_t callee = -1;
          bool recv = false;
          for (uint32_t i = 0; s >= 0 && i < fs->nev; i++)
            if (fs->ev[i].site == (uint32_t)s && (fs->ev[i].kind == EV_ACQ || fs->ev[i].kind == EV_TRY)) {
              callee = fs->ev[i].callee;
              recv = fs->ev[i].on_recv;
            }
          ok = push_acq(b, &b->leaves[f], (go_lock_acq){fs->mglob[m], mode, recv, fs->file, node, callee}, NULL);
        }
    }
  }
  /* `defer mu.Lock()` (after `mu.Unlock()`): returns holding it, unless a deferred unlock of it also runs */
  bool exit = fs->sum.flow && (!fs->nwords || fs->reached[GO_CFG_EXIT]);
  for (size_t i = 0; ok && exit && i < fs->sum.nops; i++) {
    const go_lock_op *op = &fs->sum.ops[i];
    if (!b->ddefer[op - b->ops] || !go_lock_kind_acquires(op->kind) || op->in_go || is_local(b, op->mutex))
      continue;
    go_lock_mode mode = go_lock_kind_mode(op->kind);
    uint32_t m = fs->nwords ? local_of(fs, op->mutex) : UINT32_MAX;
    if (m != UINT32_MAX && bget(fs->may + (size_t)GO_CFG_EXIT * fs->nwords, NB * m + B_DW + mode))
      continue;
    ok = push_acq(b, &b->leaves[f], (go_lock_acq){op->mutex, mode, op->on_recv, op->file, op->call, -1}, NULL);
  }
  free(eb.v);
  free(eb.sites);
  free(eb.mglob);
  return ok;
}

/* ---------- summaries, bottom-up ---------- */

/* Edges that make a callee's summary matter to its caller (and order the bottom-up walk). */
static bool followed(builder *b, uint32_t e) {
  uint8_t m = edge_mode(b, e);
  return m == EDGE_INPLACE || m == EDGE_DEFERRED || m == EDGE_GO;
}

/* Edges whose callee runs while the caller runs, so the caller acquires what it acquires. */
static bool runs_inline(builder *b, uint32_t e) {
  uint8_t m = edge_mode(b, e);
  return m == EDGE_INPLACE || m == EDGE_DEFERRED;
}

/* Direct acquires of f; then, to a fixed point over the component, those of its callees. */
static bool acquires_of(builder *b, const uint32_t *scc, size_t n) {
  const go_context *c = b->p->ctx;
  for (size_t i = 0; i < n; i++) {
    fstate *fs = &b->p->fs[scc[i]];
    for (size_t k = 0; k < fs->sum.nops; k++) {
      const go_lock_op *op = &fs->sum.ops[k];
      if (!go_lock_kind_acquires(op->kind) || op->in_go)
        continue;
      go_lock_acq a = {op->mutex, go_lock_kind_mode(op->kind), op->on_recv, op->file, op->call, -1};
      if (!push_acq(b, &b->acq[scc[i]], a, NULL))
        return false;
    }
  }
  bool changed = true;
  for (int round = 0; changed; round++) {
    changed = false;
    for (size_t i = 0; i < n; i++) {
      uint32_t f = scc[i];
      const go_ctx_func *cf = &c->funcs[f];
      for (uint32_t e = cf->out; e < cf->out + cf->nout; e++) {
        uint32_t g = c->edges[e].callee;
        if (!b->p->fs[g].relevant || !runs_inline(b, e))
          continue;
        bool lit = c->edges[e].kind == GO_EDGE_LIT;
        for (size_t k = 0; k < b->acq[g].n; k++) {
          go_lock_acq a = b->acq[g].v[k];
          if (is_local(b, a.mutex))
            continue;
          a.on_recv = a.on_recv && (lit || edge_on_recv(b, e));
          a.file = c->edges[e].file;
          a.site = c->edges[e].site;
          a.callee = (int32_t)g;
          if (!push_acq(b, &b->acq[f], a, &changed))
            return false;
        }
      }
    }
    if (n == 1 && round == 0) {
      /* a single function: callees are done, unless it calls itself */
      bool self = false;
      const go_ctx_func *cf = &c->funcs[scc[0]];
      for (uint32_t e = cf->out; e < cf->out + cf->nout; e++)
        self |= c->edges[e].callee == scc[0];
      if (!self)
        break;
    }
  }
  return true;
}

/* Tarjan's algorithm over the relevant functions and followed edges, iteratively; each component is
 * summarized as it completes (callees before callers). */
static bool summarize(builder *b) {
  const go_context *c = b->p->ctx;
  fstate *fs = b->p->fs;
  size_t n = c->nfuncs;
  uint32_t *index = malloc(n * sizeof *index), *low = malloc(n * sizeof *low);
  uint32_t *stack = malloc(n * sizeof *stack), *cstack = malloc(n * sizeof *cstack), *cedge = malloc(n * sizeof *cedge);
  bool *on = calloc(n, 1);
  bool ok = index && low && stack && cstack && cedge && on;
  for (size_t i = 0; ok && i < n; i++)
    index[i] = UINT32_MAX;
  uint32_t next = 0;
  size_t sp = 0;
  for (size_t root = 0; ok && root < n; root++) {
    if (!fs[root].relevant || index[root] != UINT32_MAX)
      continue;
    size_t cp = 0;
    cstack[cp] = (uint32_t)root;
    cedge[cp++] = c->funcs[root].out;
    index[root] = low[root] = next++;
    stack[sp++] = (uint32_t)root;
    on[root] = true;
    while (cp && ok) {
      uint32_t v = cstack[cp - 1];
      const go_ctx_func *cf = &c->funcs[v];
      if (cedge[cp - 1] < cf->out + cf->nout) {
        uint32_t e = cedge[cp - 1]++;
        uint32_t w = c->edges[e].callee;
        if (!fs[w].relevant || !followed(b, e))
          continue;
        if (index[w] == UINT32_MAX) {
          index[w] = low[w] = next++;
          stack[sp++] = w;
          on[w] = true;
          cstack[cp] = w;
          cedge[cp++] = c->funcs[w].out;
        } else if (on[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      cp--;
      if (cp && low[v] < low[cstack[cp - 1]])
        low[cstack[cp - 1]] = low[v];
      if (low[v] != index[v])
        continue;
      size_t top = sp;
      while (sp > 0) {
        uint32_t w = stack[--sp];
        on[w] = false;
        if (w == v)
          break;
      }
      const uint32_t *scc = stack + sp;
      size_t k = top - sp;
      for (size_t i = 0; i < k && ok; i++)
        ok = analyze(b, scc[i]);
      if (ok)
        ok = acquires_of(b, scc, k);
    }
  }
  free(index);
  free(low);
  free(stack);
  free(cstack);
  free(cedge);
  free(on);
  return ok;
}

/* Marks the functions with operations, and every caller that reaches one through followed edges. */
static bool mark_relevant(builder *b) {
  const go_context *c = b->p->ctx;
  fstate *fs = b->p->fs;
  size_t n = c->nfuncs, top = 0;
  uint32_t *work = malloc((n ? n : 1) * sizeof *work);
  if (!work)
    return false;
  for (size_t i = 0; i < n; i++)
    if (fs[i].sum.nops) {
      fs[i].relevant = true;
      work[top++] = (uint32_t)i;
    }
  while (top) {
    const go_ctx_func *g = &c->funcs[work[--top]];
    for (uint32_t k = g->in; k < g->in + g->nin; k++) {
      uint32_t e = c->in_edges[k];
      uint32_t f = c->edges[e].caller;
      if (fs[f].relevant || !followed(b, e))
        continue;
      fs[f].relevant = true;
      work[top++] = f;
    }
  }
  free(work);
  return true;
}

static void *copy_out(omen_arena *a, const void *v, size_t n, size_t elem, bool *ok) {
  if (!n)
    return NULL;
  void *c = omen_arena_alloc(a, n * elem);
  if (c)
    memcpy(c, v, n * elem);
  else
    *ok = false;
  return c;
}

typedef struct keyref {
  const char *key;
  uint32_t index;
} keyref;

static int cmp_keyref(const void *a, const void *b) {
  return strcmp(((const keyref *)a)->key, ((const keyref *)b)->key);
}

static omen_status build(builder *b) {
  struct go_locks_priv *p = b->p;
  go_locks *l = b->l;
  omen_arena *a = p->arena;
  if (!collect_ops(b))
    return OMEN_ENOMEM;
  if (b->nops == 0)
    return OMEN_OK;
  qsort(b->ops, b->nops, sizeof *b->ops, cmp_op);
  bool ok = true;
  l->ops = copy_out(a, b->ops, b->nops, sizeof *b->ops, &ok);
  l->nops = b->nops;
  free(b->ops);
  b->ops = (go_lock_op *)l->ops;
  b->capops = 0;
  b->ddefer = omen_arena_alloc(a, b->nops * sizeof *b->ddefer);
  if (!ok || !b->ddefer)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < b->nops; i++)
    b->ddefer[i] = b->ops[i].deferred && is_deferred_call(b, b->ops[i].file, b->ops[i].call);
  size_t n = p->ctx->nfuncs;
  p->nfuncs = n;
  p->fs = omen_arena_alloc(a, (n ? n : 1) * sizeof *p->fs);
  b->edge_mode = calloc(p->ctx->nedges + 1, 1);
  b->edge_recv = malloc(p->ctx->nedges + 1);
  b->acq = calloc(n + 1, sizeof *b->acq);
  b->leaves = calloc(n + 1, sizeof *b->leaves);
  b->rel = calloc(n + 1, sizeof *b->rel);
  b->gl = calloc(b->nmx + 1, sizeof *b->gl);
  if (!p->fs || !b->edge_mode || !b->edge_recv || !b->acq || !b->leaves || !b->rel || !b->gl)
    return OMEN_ENOMEM;
  memset(b->edge_recv, -1, p->ctx->nedges + 1);
  for (size_t i = 0; i < b->nops;) {
    size_t j = i;
    while (j < b->nops && b->ops[j].func == b->ops[i].func)
      j++;
    fstate *fs = &p->fs[b->ops[i].func];
    fs->sum.ops = &l->ops[i];
    fs->sum.nops = j - i;
    i = j;
  }
  for (size_t i = 0; i < n; i++)
    p->fs[i].file = p->ctx->funcs[i].site->file;
  if (!mark_relevant(b) || !summarize(b))
    return OMEN_ENOMEM;
  for (size_t i = 0; i < n && ok; i++) {
    go_lock_summary *s = &p->fs[i].sum;
    s->acquires = copy_out(a, b->acq[i].v, b->acq[i].n, sizeof *b->acq[i].v, &ok);
    s->nacquires = b->acq[i].n;
    s->leaves = copy_out(a, b->leaves[i].v, b->leaves[i].n, sizeof *b->leaves[i].v, &ok);
    s->nleaves = b->leaves[i].n;
    s->releases = copy_out(a, b->rel[i].v, b->rel[i].n, sizeof *b->rel[i].v, &ok);
    s->nreleases = b->rel[i].n;
  }
  l->mutexes = copy_out(a, b->mx, b->nmx, sizeof *b->mx, &ok);
  l->nmutexes = b->nmx;
  p->by_key = omen_arena_alloc(a, (b->nmx ? b->nmx : 1) * sizeof *p->by_key);
  if (!ok || !p->by_key)
    return OMEN_ENOMEM;
  keyref *kr = malloc((b->nmx ? b->nmx : 1) * sizeof *kr);
  if (!kr)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < b->nmx; i++)
    kr[i] = (keyref){b->mx[i].key, (uint32_t)i};
  qsort(kr, b->nmx, sizeof *kr, cmp_keyref);
  for (size_t i = 0; i < b->nmx; i++)
    p->by_key[i] = kr[i].index;
  free(kr);
  return OMEN_OK;
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const go_inspect *ins = omen_pass_result(pass, &omen_go_inspect);
  const go_types *ty = omen_pass_result(pass, &omen_go_types);
  go_cfg *cfg = omen_pass_result(pass, &omen_go_cfg);
  const go_context *ctx = omen_pass_result(pass, &omen_go_context);
  if (!ins || !ty || !cfg || !ctx)
    return OMEN_OK;
  omen_arena *a = omen_pass_arena(pass);
  go_locks *l = omen_arena_alloc(a, sizeof *l);
  struct go_locks_priv *p = omen_arena_alloc(a, sizeof *p);
  if (!l || !p)
    return OMEN_ENOMEM;
  l->priv = p;
  p->arena = a;
  p->ins = ins;
  p->types = ty;
  p->cfg = cfg;
  p->ctx = ctx;
  builder b = {.p = p, .l = l};
  omen_status st = build(&b);
  free(b.mx);
  free(b.htab);
  if (b.capops)
    free(b.ops);
  free(b.defers);
  free(b.by_func);
  free(b.edge_mode);
  free(b.edge_recv);
  free(b.gl);
  for (size_t i = 0; b.acq && i < p->nfuncs; i++) {
    free(b.acq[i].v);
    free(b.leaves[i].v);
    free(b.rel[i].v);
  }
  free(b.acq);
  free(b.leaves);
  free(b.rel);
  if (st != OMEN_OK)
    return st;
  *result = l;
  return OMEN_OK;
}

/* ---------- queries ---------- */

/* go_locks_held_by_callers, per function. */
typedef struct callers {
  uint8_t state; /* 0 not computed, 1 computing, 2 done */
  bool known;
  go_lock_held *held;
  uint32_t nheld;
} callers;

static const fstate *state_of(const go_locks *l, int32_t func) {
  if (!l || !l->priv->fs || func < 0 || (size_t)func >= l->priv->nfuncs)
    return NULL;
  return &l->priv->fs[func];
}

/* Facts (must and may) just before node n of fs's CFG; false when unknown. */
static bool facts_before(const fstate *fs, TSNode n, uint64_t *must, uint64_t *may) {
  go_cfg_pos pos;
  if (!go_cfg_find(fs->cfg, n, &pos) || !fs->reached[pos.block])
    return false;
  size_t w = fs->nwords;
  memcpy(must, fs->must + (size_t)pos.block * w, w * sizeof *must);
  memcpy(may, fs->may + (size_t)pos.block * w, w * sizeof *may);
  const go_cfg_block *blk = &fs->cfg->blocks[pos.block];
  for (uint32_t i = 0; i < pos.index; i++) {
    flow_node((void *)fs, blk->nodes[i], must);
    flow_node((void *)fs, blk->nodes[i], may);
  }
  TSNode node = blk->nodes[pos.index];
  uint32_t at = ts_node_start_byte(n), end = ts_node_end_byte(node);
  for (uint32_t i = first_event(fs, ts_node_start_byte(node)); i < fs->nev && fs->ev[i].start < end; i++)
    if (fs->ev[i].end <= at) {
      apply(fs, &fs->ev[i], must);
      apply(fs, &fs->ev[i], may);
    }
  return true;
}

static size_t held_list(const fstate *fs, const uint64_t *fact, const uint64_t *may, uint32_t before,
                        go_lock_held *out, size_t cap) {
  size_t count = 0;
  /* local indexes are in first-use order: list by global index (insertion sort, nm is small) */
  uint32_t order[GO_LOCKS_MAX_BITS / NB];
  for (uint32_t k = 0; k < fs->nm; k++) {
    uint32_t j = k;
    while (j > 0 && fs->mglob[order[j - 1]] > fs->mglob[k]) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = k;
  }
  for (uint32_t oi = 0; oi < fs->nm; oi++) {
    uint32_t m = order[oi];
    for (uint8_t mode = 0; mode < 2; mode++) {
      if (!bget(fact, NB * m + mode))
        continue;
      if (count < cap) {
        int64_t s = witness(fs, may, m, mode, before);
        go_lock_held *h = &out[count];
        h->mutex = fs->mglob[m];
        h->mode = (go_lock_mode)mode;
        h->file = fs->file;
        h->acquire = s >= 0 ? fs->sites[s].node : go_ts_null();
        h->deferred = bget(fact, NB * m + B_DW + mode);
      }
      count++;
    }
  }
  return count;
}

bool go_locks_held_at(const go_locks *l, uint32_t file, TSNode n, unsigned flags, go_lock_held *out, size_t cap,
                      size_t *count) {
  *count = 0;
  if (!l || ts_node_is_null(n) || file >= l->priv->ins->nfiles)
    return false;
  if (!l->priv->fs)
    return true;
  const go_site *site = go_inspect_func_around(l->priv->ins, file, n);
  if (!site)
    return true;
  const go_ctx_func *cf = go_context_func(l->priv->ctx, site);
  if (!cf)
    return false;
  return go_locks_held_in(l, go_context_index(l->priv->ctx, cf), n, flags, out, cap, count);
}

bool go_locks_held_in(const go_locks *l, int32_t func, TSNode n, unsigned flags, go_lock_held *out, size_t cap,
                      size_t *count) {
  *count = 0;
  if (!l || ts_node_is_null(n))
    return false;
  if (!l->priv->fs)
    return func >= 0 && (size_t)func < l->priv->ctx->nfuncs;
  const fstate *fs = state_of(l, func);
  if (!fs)
    return false;
  if (!fs->relevant)
    return true;
  if (!fs->sum.flow)
    return false;
  if (!fs->nwords)
    return true;
  uint64_t must[WORDS], may[WORDS];
  if (!facts_before(fs, n, must, may))
    return false;
  *count = held_list(fs, flags & GO_LOCKS_MAY ? may : must, may, ts_node_start_byte(n), out, cap);
  return true;
}

bool go_locks_held_at_exit(const go_locks *l, int32_t func, unsigned flags, go_lock_held *out, size_t cap,
                           size_t *count) {
  *count = 0;
  if (!l || !l->priv->fs)
    return l != NULL && func >= 0;
  const fstate *fs = state_of(l, func);
  if (!fs)
    return false;
  if (!fs->relevant || (fs->sum.flow && !fs->nwords))
    return true;
  if (!fs->sum.flow || !fs->reached[GO_CFG_EXIT])
    return false;
  const uint64_t *must = fs->must + (size_t)GO_CFG_EXIT * fs->nwords;
  const uint64_t *may = fs->may + (size_t)GO_CFG_EXIT * fs->nwords;
  *count = held_list(fs, flags & GO_LOCKS_MAY ? may : must, may, UINT32_MAX, out, cap);
  return true;
}

bool go_locks_is_held(const go_locks *l, uint32_t file, TSNode n, uint32_t mutex, go_lock_mode mode,
                      unsigned flags, bool *known) {
  go_lock_held h[64];
  size_t count = 0;
  bool k = go_locks_held_at(l, file, n, flags, h, 64, &count);
  if (known)
    *known = k;
  for (size_t i = 0; i < count && i < 64; i++)
    if (h[i].mutex == mutex && h[i].mode == mode)
      return true;
  if (count > 64) {
    go_lock_held *v = malloc(count * sizeof *v);
    bool r = false;
    if (v && go_locks_held_at(l, file, n, flags, v, count, &count))
      for (size_t i = 0; i < count; i++)
        r |= v[i].mutex == mutex && v[i].mode == mode;
    free(v);
    return r;
  }
  return false;
}

const go_lock_summary *go_locks_summary(const go_locks *l, int32_t func) {
  const fstate *fs = state_of(l, func);
  return fs && fs->relevant ? &fs->sum : NULL;
}

const go_lock_acq *go_locks_acquires(const go_locks *l, int32_t func, uint32_t mutex, go_lock_mode mode) {
  const go_lock_summary *s = go_locks_summary(l, func);
  const go_lock_acq *any = NULL;
  for (size_t i = 0; s && i < s->nacquires; i++)
    if (s->acquires[i].mutex == mutex && s->acquires[i].mode == mode) {
      if (s->acquires[i].on_recv)
        return &s->acquires[i];
      any = &s->acquires[i];
    }
  return any;
}

const go_lock_op *go_locks_op_at(const go_locks *l, uint32_t file, TSNode call) {
  if (!l || ts_node_is_null(call))
    return NULL;
  if (file >= l->priv->ins->nfiles)
    return NULL;
  const go_ctx_func *cf = go_context_func(l->priv->ctx, go_inspect_func_around(l->priv->ins, file, call));
  const go_lock_summary *s = go_locks_summary(l, go_context_index(l->priv->ctx, cf));
  for (size_t i = 0; s && i < s->nops; i++)
    if (s->ops[i].file == file && ts_node_eq(s->ops[i].call, call))
      return &s->ops[i];
  return NULL;
}

int32_t go_locks_find(const go_locks *l, const char *key) {
  if (!l || !key)
    return -1;
  size_t lo = 0, hi = l->nmutexes;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(l->mutexes[l->priv->by_key[mid]].key, key);
    if (c == 0)
      return (int32_t)l->priv->by_key[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

const char *go_locks_key_of(const go_locks *l, uint32_t file, TSNode expr, bool *rw) {
  mkey k;
  if (!l || file >= l->priv->ins->nfiles || !resolve(l->priv, file, expr, "Lock", &k))
    return NULL;
  if (rw)
    *rw = k.rw;
  return k.key;
}

static bool exported(const char *name) { return name && name[0] >= 'A' && name[0] <= 'Z'; }

/* Does a package interface declare a method named name? */
static bool iface_method(const go_types *t, const char *name) {
  for (size_t i = 0; i < t->nmethods; i++)
    if (t->methods[i].iface && strcmp(t->methods[i].name, name) == 0)
      return true;
  return false;
}

static bool has_held(const go_lock_held *v, size_t n, uint32_t m, go_lock_mode mode) {
  for (size_t i = 0; i < n; i++)
    if (v[i].mutex == m && v[i].mode == mode)
      return true;
  return false;
}

enum { MAX_HELD = 64 };

static const callers *callers_of(const go_locks *l, int32_t f, int depth) {
  struct go_locks_priv *p = l->priv;
  callers *cs = &p->callers[f];
  if (cs->state == 2 || cs->state == 1)
    return cs;
  cs->state = 1;
  cs->known = true;
  const go_context *c = p->ctx;
  const go_ctx_func *cf = &c->funcs[f];
  const go_site *site = cf->site;
  bool none = cf->nin == 0 || depth > GO_LOCKS_MAX_CALLER_DEPTH ||
              (site->fkind != GO_FUNC_LIT && (exported(site->text) ||
                                               (site->fkind == GO_FUNC_METHOD && iface_method(p->types, site->text))));
  go_lock_held acc[MAX_HELD], cur[MAX_HELD], up[MAX_HELD];
  size_t nacc = 0;
  for (uint32_t k = 0; !none && k < cf->nin; k++) {
    const go_ctx_edge *e = &c->edges[c->in_edges[cf->in + k]];
    bool d = false;
    bool inplace = (e->kind == GO_EDGE_CALL && !go_node_is(go_ts_parent(e->site), GO_NODE_DEFER_STATEMENT)) ||
                   (e->kind == GO_EDGE_LIT && called_in_place(NULL, site, &d) && !d);
    if (!inplace) {
      none = true;
      break;
    }
    size_t n = 0, m = 0;
    if (!go_locks_held_at(l, e->file, e->site, 0, cur, MAX_HELD, &n)) {
      cs->known = false;
      break;
    }
    n = n < MAX_HELD ? n : MAX_HELD;
    const callers *pc = callers_of(l, (int32_t)e->caller, depth + 1);
    if (pc->state == 2 && !pc->known) {
      cs->known = false;
      break;
    }
    for (size_t i = 0; pc->state == 2 && i < pc->nheld && n < MAX_HELD; i++)
      if (!has_held(cur, n, pc->held[i].mutex, pc->held[i].mode))
        cur[n++] = pc->held[i];
    for (size_t i = 0; i < n; i++)
      if (l->mutexes[cur[i].mutex].kind != GO_MUTEX_LOCAL && (k == 0 || has_held(acc, nacc, cur[i].mutex, cur[i].mode)))
        up[m++] = cur[i];
    memcpy(acc, up, m * sizeof *up);
    nacc = m;
    if (nacc == 0)
      break;
  }
  if (!none && cs->known && nacc) {
    cs->held = omen_arena_alloc(p->arena, nacc * sizeof *cs->held);
    if (cs->held) {
      memcpy(cs->held, acc, nacc * sizeof *acc);
      cs->nheld = (uint32_t)nacc;
    }
  }
  cs->state = 2;
  return cs;
}

bool go_locks_held_by_callers(const go_locks *l, int32_t func, go_lock_held *out, size_t cap, size_t *count) {
  *count = 0;
  if (!l || func < 0 || (size_t)func >= l->priv->ctx->nfuncs)
    return false;
  struct go_locks_priv *p = l->priv;
  if (!l->nops)
    return true;
  if (!p->callers) {
    p->callers = omen_arena_alloc(p->arena, p->ctx->nfuncs * sizeof *p->callers);
    if (!p->callers)
      return false;
  }
  const callers *cs = callers_of(l, func, 0);
  if (!cs->known)
    return false;
  for (uint32_t i = 0; i < cs->nheld && i < cap; i++)
    out[i] = cs->held[i];
  *count = cs->nheld;
  return true;
}

const omen_analyzer omen_go_locks = {
    .name = "go-locks",
    .title = "base: lock sets and the mutexes each function acquires",
    .doc = "Base analyzer for Go. Finds the Lock, Unlock, RLock, RUnlock, TryLock and TryRLock calls on "
           "sync.Mutex and sync.RWMutex values it can resolve with go-types (struct fields, embedded "
           "mutexes, package variables, locals), names each mutex by its declaration (\"T.mu\"), computes "
           "which mutexes are held before each statement (on every path, and on some path; deferred "
           "unlocks release at return; TryLock acquires on its true branch) with go-cfg's dataflow solver, "
           "summarizes, bottom-up over go-context's call graph, which mutexes each function acquires "
           "(directly or through package calls), returns holding, or unlocks without locking, and tells "
           "which mutexes every caller of a function holds. Reports nothing itself.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, &omen_go_cfg, &omen_go_context,
                                               NULL},
    .rules = NULL,
    .run = run,
};
