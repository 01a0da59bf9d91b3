/* go_map_race.c - the map-race family: Go maps that goroutines can use at the same time without the
 * mutex that guards them (package maps in handlers, maps captured by goroutines started in a loop,
 * struct maps whose other accesses hold the struct's mutex) and maps written under a read lock. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers.h"
#include "go_cfg.h"
#include "go_context.h"
#include "go_fix.h"
#include "go_inspect.h"
#include "go_locks.h"
#include "go_types.h"
#include "pass.h"

/* ---------- rules ---------- */

static const omen_rule rule_write = {
    .id = "map-race/unguarded-write",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Map written by concurrent code without the mutex that guards it",
    .what =
        "Reports a map write (`m[k] = v`, `m[k]++`, `m[k] += v`, `delete(m, k)`, `clear(m)`) that holds no "
        "lock although other goroutines can use the map at the same time:\n\n"
        "- a map that a mutex guards elsewhere: a struct field like `r.services` whose other methods lock "
        "`r.mu` (a mutex of the same struct), or a package map whose other accesses lock a package mutex. "
        "The mutex counts as the guard when more functions access the map with it held (in the function or "
        "by every caller in the package) than without any lock. Reported in the map's API (an exported "
        "method of the struct, on its receiver; an exported function for a package map) and in HTTP "
        "handlers, gRPC methods and goroutine bodies;\n"
        "- a package-level map written by an HTTP handler or gRPC method, or by code they call (handlers "
        "run in parallel, one goroutine per request), by goroutines started in a loop, or by two different "
        "goroutines;\n"
        "- a map field of the receiver of an HTTP handler or gRPC method (one value serves every request);\n"
        "- a local map captured by `go func` literals (or `g.Go(func...)`, `time.AfterFunc`) started in "
        "a loop that does not wait for them, or by two different goroutine literals, and written there.\n\n"
        "Not reported: maps filled before they are shared (objects made in the function or by a "
        "constructor, methods only called on such new objects, code reached only from `init`, code before "
        "the function's first `go` statement), maps a function has just replaced with a new one, maps made "
        "per request or per goroutine, `sync.Map`, code under `sync.Once.Do`, literals handed to a lock "
        "wrapper (`withLock(mu, func() {...})`), code after a `Wait()` that joins the goroutines, "
        "functions whose every caller in the package holds some lock, functions named `...Locked` or "
        "documented as called with the lock held or as not concurrent, and functions that lock something "
        "go-locks cannot resolve (a `sync.Locker`, a `sync.Cond`'s `L`). Lock sets follow the control "
        "flow: a write after `Unlock`, or after a branch that locks on one path only, is unguarded. Test "
        "files: only the captured-goroutine form applies (with low confidence); test set-up that pokes a "
        "struct's maps is left alone.",
    .why = "Go maps are not safe for concurrent use. A write that races with another write or a read is "
           "detected by the runtime, which aborts the whole process with `fatal error: concurrent map "
           "writes` (or `concurrent map read and map write`); this cannot be recovered. Before the runtime "
           "notices, the map's internal state can already be corrupted. The crash happens only under "
           "load, so it tends to appear in production first.",
    .example = "func (r *Registry) Lookup(name string) *Service {\n"
               "\tr.mu.Lock()\n"
               "\tdefer r.mu.Unlock()\n"
               "\treturn r.services[name]\n"
               "}\n"
               "\n"
               "func (r *Registry) Register(s *Service) {\n"
               "\tr.services[s.Name] = s // no lock\n"
               "}",
    .instead = "func (r *Registry) Register(s *Service) {\n"
               "\tr.mu.Lock()\n"
               "\tdefer r.mu.Unlock()\n"
               "\tr.services[s.Name] = s\n"
               "}",
    .fix = "When the guarding mutex is known: takes it around the access, with `mu.Lock()` and "
           "`defer mu.Unlock()` at the top of a short function that takes no lock otherwise, else with "
           "`mu.Lock()` and `mu.Unlock()` around the statement. Not offered when the mutex may already be "
           "held there or a call in the locked region takes it (that would deadlock). Unsafe: review what "
           "else now runs under the lock. No fix when no mutex guards the map yet (add one, or use "
           "`sync.Map`).",
    .lang = "go",
};

static const omen_rule rule_rlock = {
    .id = "map-race/write-under-rlock",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Map written while holding only a read lock",
    .what = "Reports a write to a shared map (a package-level map, or a map field of a value that is not "
            "new in the function) while the only locks held are read locks (`RLock` of a `sync.RWMutex`), "
            "taken in the function or held by every caller in the package. Maps made in the function are "
            "not reported.",
    .why = "`RLock` lets any number of readers in at once. Two readers that both write the map, like a "
           "lazy cache fill or a hit counter bumped on lookup, write it concurrently: the runtime aborts "
           "with `fatal error: concurrent map writes`, and a concurrent reader can see a half-written map.",
    .example = "c.mu.RLock()\n"
               "defer c.mu.RUnlock()\n"
               "v, ok := c.items[key]\n"
               "if !ok {\n"
               "\tv = c.load(key)\n"
               "\tc.items[key] = v\n"
               "}",
    .instead = "c.mu.RLock()\n"
               "v, ok := c.items[key]\n"
               "c.mu.RUnlock()\n"
               "if !ok {\n"
               "\tv = c.load(key)\n"
               "\tc.mu.Lock()\n"
               "\tc.items[key] = v\n"
               "\tc.mu.Unlock()\n"
               "}",
    .fix = "When the read lock is taken in the same function and released there: turns that `RLock` into "
           "`Lock` and its `RUnlock` calls into `Unlock`. Unsafe: readers of that path are serialized; "
           "consider re-checking under the write lock instead, as above.",
    .lang = "go",
};

static const omen_rule rule_read = {
    .id = "map-race/unguarded-read",
    .severity = OMEN_SEV_NOTE,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Map read without the mutex its writers hold",
    .what = "Reports a read of a map (`m[k]`, `v, ok := m[k]`, `range m`) that holds no lock while the map "
            "is written elsewhere under the mutex that guards it (found as for `map-race/unguarded-write`, "
            "with at least one write under it), in the map's API or in concurrent code. The same set-up, "
            "join and naming exemptions apply. Lower confidence than the write rule: a read can be safe "
            "by a phase the analysis cannot see (every writer finished before). On the corpus (docs/corpus.md) "
            "8 of its 10 findings were true, one of them weakly, too thin a margin over the 80% bar for "
            "a warning: it is a note, which `--fail-on warning` (the default) does not fail on.",
    .why = "A read that overlaps a write is a data race: the runtime may abort with `fatal error: "
           "concurrent map read and map write`, and the read can return garbage. A mutex protects a map only "
           "if readers take it too (a read lock is enough with a `sync.RWMutex`).",
    .example = "func (s *Store) Has(k string) bool {\n"
               "\t_, ok := s.data[k] // Put writes s.data under s.mu\n"
               "\treturn ok\n"
               "}",
    .instead = "func (s *Store) Has(k string) bool {\n"
               "\ts.mu.Lock()\n"
               "\tdefer s.mu.Unlock()\n"
               "\t_, ok := s.data[k]\n"
               "\treturn ok\n"
               "}",
    .fix = "As for `map-race/unguarded-write`: takes the mutex around the read (`Lock`, or `RLock` for a "
           "`sync.RWMutex`). Unsafe.",
    .lang = "go",
};

/* ---------- state ---------- */

enum {
  MR_MAX_HELD = 8,          /* locks tracked at one access */
  MR_MAX_ACCESSES = 1 << 18, /* per unit */
  MR_MAX_WALK = 512,        /* functions visited when looking for the goroutines that reach one */
  MR_MAX_ROOTS = 4,
  MR_BUCKETS = 1024,
  MR_FIX_MAX_LINES = 12, /* a function this short may take the lock for its whole body */
};

typedef enum mode { MODE_NONE = 0, MODE_READ = 1, MODE_WRITE = 2 } mode;

typedef struct held {
  uint32_t mutex; /* index into go_locks.mutexes */
  mode m;
  uint32_t file;
  TSNode acq; /* the acquiring call */
} held;

typedef struct lockset {
  held v[MR_MAX_HELD];
  uint8_t n;
} lockset;

typedef enum map_kind { MAP_PKG = 0, MAP_FIELD, MAP_LOCAL } map_kind;

typedef struct access {
  uint32_t file;
  TSNode node;    /* where to report: the index_expression, the delete/clear call, the ranged expression */
  TSNode operand; /* the map expression */
  TSNode base;    /* field maps: the identifier the selector chain starts from (null if none) */
  int32_t func;   /* go-context function index; -1 at top level */
  bool write;
  uint8_t base_state; /* 0: fresh and recv not computed yet (see base_facts) */
  bool fresh;     /* field map of an object made in this function */
  bool recv;      /* field map of the enclosing method's receiver */
  uint8_t exempt; /* 0 not computed, 1 exempt (set-up code, ...Locked helper, before the first go), 2 not */
  bool unknown;   /* lock set unknown here: never reported */
  lockset must;   /* locks held on every path here (filled by lock_facts) */
} access;

typedef struct mapv {
  const char *key;
  map_kind kind;
  const char *field; /* MAP_FIELD: the field name */
  const char *tname; /* MAP_FIELD: the struct type */
  TSNode decl;       /* MAP_LOCAL: the declaring identifier */
  uint32_t dfile;
  access *acc;
  size_t n, cap;
  struct mapv *next;
} mapv;

/* roots of concurrency that reach a function */
typedef struct roots {
  bool done;
  int32_t handler;           /* an HTTP handler or gRPC root reaching the function; -1 none */
  int32_t gor[MR_MAX_ROOTS]; /* goroutine roots */
  uint8_t ngor;
  bool more; /* more goroutine roots than gor holds, or the walk was cut */
} roots;

typedef struct callers_held {
  bool done;
  uint8_t n;
  uint32_t mutex[4];
} callers_held;

typedef struct entry_memo {
  int32_t func;
  uint32_t mutex;
  uint8_t state; /* 0 computing, 1 + mode when done */
  struct entry_memo *next;
} entry_memo;

typedef struct state {
  omen_pass *pass;
  omen_arena *a;
  const go_inspect *ins;
  const go_types *ty;
  go_cfg *cfg;
  const go_context *ctx;
  const go_locks *locks;
  mapv *buckets[MR_BUCKETS];
  mapv **maps; /* in creation order */
  size_t nmaps, mcap;
  size_t naccesses;
  /* map field names of the package's structs (sorted), built on first use */
  const char **mfields;
  size_t nmfields;
  bool mfields_built;
  bool named_maps; /* the package declares a map type (`type Set map[string]bool`) */
  uint8_t *pkgvar; /* per ty->decls entry: 0 unknown, 1 map var, 2 not */
  roots *roots;    /* per function */
  entry_memo *ememo[MR_BUCKETS];
  uint8_t *initonly; /* per function: 0 unknown, 1 computing, 2 only reached from init, 3 not */
  uint8_t *ctoronly; /* per function: likewise, called only on objects just made */
  uint8_t *unres;    /* per function: 0 unknown, 1 calls an unresolved Lock, 2 not */
  callers_held *cheld; /* per function, built on first use */
} state;

static const omen_file *file_of(const state *st, uint32_t file) { return st->ins->files[file]->file; }

static const char *text(state *st, uint32_t file, TSNode n) { return go_ts_text(st->pass, file_of(st, file), n); }

static uint32_t hash_str(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static bool has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool contains(TSNode outer, TSNode n) {
  return !ts_node_is_null(outer) && !ts_node_is_null(n) && ts_node_start_byte(n) >= ts_node_start_byte(outer) &&
         ts_node_end_byte(n) <= ts_node_end_byte(outer);
}

static const go_ctx_func *func_at(const state *st, int32_t i) {
  return i >= 0 && (size_t)i < st->ctx->nfuncs ? &st->ctx->funcs[i] : NULL;
}

/* ---------- which types are maps ---------- */

/* Is canonical type ty a map, directly or through a package type declared as one? */
static bool is_map_type(const state *st, const char *ty) {
  if (!ty)
    return false;
  if (has_prefix(ty, "map["))
    return true;
  if (strpbrk(ty, ".*[({ "))
    return false;
  const go_decl *d = go_types_decl(st->ty, ty);
  return d && d->kind == GO_DECL_TYPE && go_node_is(d->type, GO_NODE_MAP_TYPE);
}

/* Is the type node a map type (or a package type declared as one)? */
static bool is_map_type_node(state *st, uint32_t file, TSNode t) {
  if (go_node_is(t, GO_NODE_MAP_TYPE))
    return true;
  if (!st->named_maps || !go_ts_type_is(t, "type_identifier"))
    return false;
  const omen_file *f = file_of(st, file);
  char name[128];
  uint32_t a = ts_node_start_byte(t), len = ts_node_end_byte(t) - a;
  if (len >= sizeof name || a + len > f->len)
    return false;
  memcpy(name, f->text + a, len);
  name[len] = '\0';
  const go_decl *d = go_types_decl(st->ty, name);
  return d && d->kind == GO_DECL_TYPE && go_node_is(d->type, GO_NODE_MAP_TYPE);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Names of the map fields of the package's struct types, from their type nodes. */
static void build_mfields(state *st) {
  st->mfields_built = true;
  size_t cap = 0;

  for (size_t i = 0; i < st->ty->nstructs; i++) {
    const go_struct *s = &st->ty->structs[i];
    TSNode list = go_ts_nth(go_node_child(s->spec, GO_F_TYPE), 0);
    if (ts_node_is_null(list))
      continue;
    /* children by cursor: ts_node_named_child(list, j) costs O(j) */
    TSTreeCursor c = ts_tree_cursor_new(list);
    for (bool more = ts_tree_cursor_goto_first_child(&c); more; more = ts_tree_cursor_goto_next_sibling(&c)) {
      TSNode fd = ts_tree_cursor_current_node(&c);
      if (!go_node_is(fd, GO_NODE_FIELD_DECLARATION) || !is_map_type_node(st, s->file, go_node_child(fd, GO_F_TYPE)))
        continue;
      uint32_t m = go_ts_nnamed(fd);
      for (uint32_t k = 0; k < m; k++) {
        TSNode id = go_ts_nth(fd, k);
        if (!go_node_is(id, GO_NODE_FIELD_IDENTIFIER))
          continue;
        if (st->nmfields == cap) {
          size_t nc = cap ? cap * 2 : 16;
          const char **v = omen_arena_alloc(st->a, nc * sizeof *v);
          if (!v) {
            ts_tree_cursor_delete(&c);
            return;
          }
          if (st->nmfields)
            memcpy(v, st->mfields, st->nmfields * sizeof *v);
          st->mfields = v;
          cap = nc;
        }
        st->mfields[st->nmfields++] = omen_pass_node_text(st->pass, file_of(st, s->file), id);
      }
    }
    ts_tree_cursor_delete(&c);
  }
  if (st->nmfields)
    qsort(st->mfields, st->nmfields, sizeof *st->mfields, cmp_str);
}

static bool is_map_field_name(state *st, const char *name) {
  if (!st->mfields_built)
    build_mfields(st);
  return st->nmfields && bsearch(&name, st->mfields, st->nmfields, sizeof *st->mfields, cmp_str);
}

/* Is the package-level var d a map? */
static bool is_map_var(state *st, const go_decl *d) {
  if (!d || d->kind != GO_DECL_VAR)
    return false;
  size_t i = (size_t)(d - st->ty->decls);
  if (i >= st->ty->ndecls)
    return false;
  if (!st->pkgvar) {
    st->pkgvar = omen_arena_alloc(st->a, st->ty->ndecls);
    if (!st->pkgvar)
      return false;
    memset(st->pkgvar, 0, st->ty->ndecls);
  }
  if (!st->pkgvar[i]) {
    bool m;
    if (!ts_node_is_null(d->type))
      m = is_map_type_node(st, d->file, d->type);
    else
      m = is_map_type(st, go_types_type_of(st->ty, d->file, go_ts_nth(d->values, d->index)));
    st->pkgvar[i] = m ? 1 : 2;
  }
  return st->pkgvar[i] == 1;
}

/* ---------- maps and their accesses ---------- */

static mapv *map_get(state *st, const char *key, map_kind kind) {
  uint32_t h = hash_str(key) % MR_BUCKETS;
  for (mapv *m = st->buckets[h]; m; m = m->next)
    if (strcmp(m->key, key) == 0)
      return m;
  mapv *m = omen_arena_alloc(st->a, sizeof *m);
  if (!m)
    return NULL;
  memset(m, 0, sizeof *m);
  m->key = key;
  m->kind = kind;
  if (st->nmaps == st->mcap) {
    size_t nc = st->mcap ? st->mcap * 2 : 32;
    mapv **v = omen_arena_alloc(st->a, nc * sizeof *v);
    if (!v)
      return NULL;
    if (st->nmaps)
      memcpy(v, st->maps, st->nmaps * sizeof *v);
    st->maps = v;
    st->mcap = nc;
  }
  st->maps[st->nmaps++] = m;
  m->next = st->buckets[h];
  st->buckets[h] = m;
  return m;
}

static access *map_add(state *st, mapv *m) {
  if (st->naccesses >= MR_MAX_ACCESSES)
    return NULL;
  if (m->n == m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 4;
    access *v = omen_arena_alloc(st->a, nc * sizeof *v);
    if (!v)
      return NULL;
    if (m->n)
      memcpy(v, m->acc, m->n * sizeof *v);
    m->acc = v;
    m->cap = nc;
  }
  access *x = &m->acc[m->n++];
  memset(x, 0, sizeof *x);
  st->naccesses++;
  return x;
}

/* The goroutine literal (a func literal started with go, x.Go or time.AfterFunc) that code of function
 * i runs in, through enclosing literals that are not goroutines; -1 if none. */
static int32_t goroutine_literal(const state *st, int32_t i) {
  for (int depth = 0; depth < 64; depth++) {
    const go_ctx_func *f = func_at(st, i);
    if (!f || f->site->fkind != GO_FUNC_LIT)
      return -1;
    if (f->flags & GO_CTX_GOROUTINE)
      return i;
    i = f->parent;
  }
  return -1;
}

/* The identifier a selector/index chain starts from (`c` in c.a.b[i].m); null if it starts with a call. */
static TSNode chain_base(TSNode x) {
  for (int depth = 0; depth < 32; depth++) {
    x = go_ts_unparen(x);
    switch (go_node_kind(x)) {
    case GO_NODE_IDENTIFIER:
      return x;
    case GO_NODE_SELECTOR_EXPRESSION:
    case GO_NODE_INDEX_EXPRESSION:
      x = go_node_child(x, GO_F_OPERAND);
      break;
    case GO_NODE_UNARY_EXPRESSION:
      x = go_node_child(x, GO_F_OPERAND);
      break;
    default:
      return go_ts_null();
    }
  }
  return go_ts_null();
}

static bool returns_fresh(const state *st, uint32_t file, TSNode call);

/* Is the value expression v a new object: a composite literal, &T{...}, new(T), a call of a
 * constructor (a name starting with New or new), or (depth > 0) of a package function that returns a
 * new object? */
static bool fresh_value(const state *st, uint32_t file, TSNode v, int depth) {
  v = go_ts_unparen(v);
  if (go_node_is(v, GO_NODE_UNARY_EXPRESSION))
    v = go_ts_unparen(go_node_child(v, GO_F_OPERAND));
  if (go_node_is(v, GO_NODE_COMPOSITE_LITERAL))
    return true;
  if (!go_node_is(v, GO_NODE_CALL_EXPRESSION))
    return false;
  TSNode fn = go_ts_unparen(go_node_child(v, GO_F_FUNCTION));
  if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION))
    fn = go_node_child(fn, GO_F_FIELD);
  const omen_file *f = file_of(st, file);
  if (ts_node_is_null(fn) || ts_node_end_byte(fn) > f->len)
    return false;
  const char *s = f->text + ts_node_start_byte(fn);
  uint32_t len = ts_node_end_byte(fn) - ts_node_start_byte(fn);
  if (len == 3 && memcmp(s, "new", 3) == 0)
    return true;
  if (len > 3 && (memcmp(s, "New", 3) == 0 || memcmp(s, "new", 3) == 0) && isupper((unsigned char)s[3]))
    return true;
  return depth > 0 && returns_fresh(st, file, v);
}

/* Does the package function that call calls return a new object on every return (`return &T{...}`,
 * or a local it made: `t := &T{...}; ...; return t`)? */
static bool returns_fresh(const state *st, uint32_t file, TSNode call) {
  const go_ctx_func *callee = go_context_callee(st->ctx, file, call);
  if (!callee || callee->site->fkind == GO_FUNC_LIT || ts_node_is_null(callee->site->sub))
    return false;
  TSNode body = callee->site->sub;
  if (ts_node_end_byte(body) - ts_node_start_byte(body) > 4096)
    return false;
  uint32_t cf = callee->site->file;
  TSTreeCursor c = ts_tree_cursor_new(body);
  bool any = false, ok = true, descend = true;
  while (ok && go_ts_cursor_next(&c, descend)) {
    TSNode n = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(n);
    descend = k != GO_NODE_FUNC_LITERAL;
    if (k != GO_NODE_RETURN_STATEMENT)
      continue;
    TSNode list = go_ts_nth(n, 0);
    TSNode v = go_ts_unparen(go_node_is(list, GO_NODE_EXPRESSION_LIST) ? go_ts_nth(list, 0) : list);
    any = true;
    if (fresh_value(st, cf, v, 0))
      continue;
    go_binding b;
    if (!go_node_is(v, GO_NODE_IDENTIFIER) || go_types_lookup_ident(st->ty, cf, v, &b) != GO_BIND_LOCAL ||
        !contains(body, b.decl))
      ok = false;
    else
      ok = fresh_value(st, cf, go_fix_decl_value(b.decl, b.name, false), 0);
  }
  ts_tree_cursor_delete(&c);
  return any && ok;
}

/* Is identifier id (in function func of file) a variable holding an object made in that function (or
 * in one it runs in without a new goroutine)? Sets *recv (may be NULL) when id is the receiver of the
 * method it is declared in. */
static bool fresh_ident(state *st, uint32_t file, TSNode id, int32_t func, bool *recv) {
  if (recv)
    *recv = false;
  go_binding b;
  if (!go_node_is(id, GO_NODE_IDENTIFIER) || go_types_lookup_ident(st->ty, file, id, &b) != GO_BIND_LOCAL)
    return false;
  if (go_node_is(b.decl, GO_NODE_PARAMETER_DECLARATION)) {
    TSNode list = go_ts_parent(b.decl);
    TSNode m = go_ts_parent(list);
    if (recv)
      *recv = go_node_is(m, GO_NODE_METHOD_DECLARATION) &&
              ts_node_start_byte(go_node_child(m, GO_F_RECEIVER)) == ts_node_start_byte(list);
    return false;
  }
  TSNode v = go_fix_decl_value(b.decl, b.name, false);
  if (ts_node_is_null(v)) {
    /* `var x T`: a zero struct value of this function */
    if (!go_node_is(b.decl, GO_NODE_VAR_SPEC) || go_node_is(go_node_child(b.decl, GO_F_TYPE), GO_NODE_POINTER_TYPE) ||
        ts_node_is_null(go_node_child(b.decl, GO_F_TYPE)))
      return false;
  } else if (!fresh_value(st, file, v, 1)) {
    return false;
  }
  /* declared in the function or one it runs in without a new goroutine */
  TSNode dfn = go_inspect_func_node_around(st->ins, file, b.decl);
  for (int32_t i = func, depth = 0; i >= 0 && depth < 64; depth++) {
    const go_ctx_func *f = func_at(st, i);
    if (!f)
      return false;
    if (ts_node_start_byte(f->site->node) == ts_node_start_byte(dfn) && f->site->file == file)
      return true;
    if (f->site->fkind != GO_FUNC_LIT || (f->flags & GO_CTX_GOROUTINE))
      return false;
    i = f->parent;
  }
  return false;
}

/* Is the map expression operand (a field selector) assigned a new map earlier in function func
 * (`x.m = make(map[K]V)`, `x.m = map[K]V{}`)? Then the map is this function's until it publishes it. */
static bool made_here(state *st, uint32_t file, TSNode operand, int32_t func, uint32_t before) {
  const go_ctx_func *f = func_at(st, func);
  if (!f)
    return false;
  const omen_file *fl = file_of(st, file);
  const char *want = text(st, file, operand);
  static const go_site_kind kinds[] = {GO_SITE_CALL, GO_SITE_COMPOSITE};
  for (size_t k = 0; k < 2; k++) {
    const go_site *v[128];
    size_t n = go_inspect_sites_in(st->ins, kinds[k], f->site, v, 128);
    for (size_t i = 0; i < n && i < 128; i++) {
      const go_site *s = v[i];
      if (ts_node_start_byte(s->node) >= before)
        break;
      if (k == 0 ? strcmp(s->text, "make") != 0 : !has_prefix(s->text, "map["))
        continue;
      TSNode lhs = go_fix_assigned_name(s->node);
      if (!ts_node_is_null(lhs) && omen_node_text_eq(fl, lhs, want))
        return true;
    }
  }
  return false;
}

/* The struct type whose field `field` a selector operand x of file reaches: "T" for x of type T or
 * *T (or the embedded struct E when the field is promoted from it); NULL when unknown or not a map. */
static const char *field_owner(state *st, uint32_t file, TSNode x, const char *field) {
  const char *t = go_types_deref(go_types_type_of(st->ty, file, x));
  if (!t || strpbrk(t, ".*({ ") || has_prefix(t, "map[") || t[0] == '[')
    return NULL;
  const char *br = strchr(t, '[');
  if (br)
    t = omen_arena_strndup(st->a, t, (size_t)(br - t));
  const go_struct *s = go_types_struct(st->ty, t);
  if (!s)
    return NULL;
  const go_field *f = go_types_field(s, field);
  if (f)
    return is_map_type(st, f->type) ? s->name : NULL;
  for (size_t i = 0; i < s->nfields; i++) {
    if (!s->fields[i].embedded)
      continue;
    const go_struct *e = go_types_struct(st->ty, s->fields[i].name);
    const go_field *ef = e ? go_types_field(e, field) : NULL;
    if (ef)
      return is_map_type(st, ef->type) ? e->name : NULL;
  }
  return NULL;
}

static bool index_written(TSNode ix, TSNode p);

/* Records an access to the map expression operand at node; write: 1 yes, 0 no, -1 an index expression
 * with parent `parent` (classified once the map is known). */
static void consider(state *st, uint32_t file, int32_t func, TSNode node, TSNode operand, int write, TSNode parent) {
  if (func < 0)
    return;
  TSNode op = go_ts_unparen(operand);
  const omen_file *f = file_of(st, file);
  mapv *m = NULL;
  TSNode base = go_ts_null();
  if (go_node_is(op, GO_NODE_IDENTIFIER)) {
    char name[128];
    uint32_t at = ts_node_start_byte(op), len = ts_node_end_byte(op) - at;
    if (len >= sizeof name || at + len > f->len)
      return;
    memcpy(name, f->text + at, len);
    name[len] = '\0';
    const go_decl *d = go_types_decl(st->ty, name);
    int32_t g = -1;
    bool pkg = d && d->kind == GO_DECL_VAR && is_map_var(st, d);
    if (!pkg) {
      g = goroutine_literal(st, func);
      if (g < 0)
        return;
    }
    go_binding b;
    go_bind_kind k;
    if (pkg && !go_inspect_maybe_local(st->ins, name)) {
      k = GO_BIND_PACKAGE; /* no scope declares the name: it is the package's */
      b.pkg = d;
    } else {
      k = go_types_lookup_ident(st->ty, file, op, &b);
    }
    if (k == GO_BIND_PACKAGE) {
      if (!is_map_var(st, b.pkg))
        return;
      m = map_get(st, omen_arena_printf(st->a, "p:%s", name), MAP_PKG);
      if (m && ts_node_is_null(m->decl)) {
        m->decl = b.pkg->name_node;
        m->dfile = b.pkg->file;
      }
    } else if (k == GO_BIND_LOCAL) {
      if (g < 0)
        g = goroutine_literal(st, func);
      const go_ctx_func *gf = func_at(st, g);
      if (!gf || (contains(gf->site->node, b.name) && gf->site->file == file))
        return; /* not captured from outside a goroutine */
      if (!is_map_type(st, go_types_type_of(st->ty, file, op)))
        return;
      m = map_get(st, omen_arena_printf(st->a, "l:%u:%u", file, ts_node_start_byte(b.name)), MAP_LOCAL);
      if (m && ts_node_is_null(m->decl)) {
        m->decl = b.name;
        m->dfile = file;
      }
    } else {
      return;
    }
  } else if (go_node_is(op, GO_NODE_SELECTOR_EXPRESSION)) {
    TSNode fld = go_node_child(op, GO_F_FIELD);
    if (ts_node_is_null(fld))
      return;
    char fbuf[128];
    uint32_t at = ts_node_start_byte(fld), len = ts_node_end_byte(fld) - at;
    if (len >= sizeof fbuf || at + len > f->len)
      return;
    memcpy(fbuf, f->text + at, len);
    fbuf[len] = '\0';
    if (!is_map_field_name(st, fbuf))
      return;
    const char *fname = omen_arena_strdup(st->a, fbuf);
    TSNode x = go_node_child(op, GO_F_OPERAND);
    const char *owner = field_owner(st, file, x, fname);
    if (!owner)
      return;
    m = map_get(st, omen_arena_printf(st->a, "f:%s.%s", owner, fname), MAP_FIELD);
    if (m && !m->field) {
      m->field = fname;
      m->tname = owner;
    }
    base = chain_base(x);
  } else {
    return;
  }
  access *a = m ? map_add(st, m) : NULL;
  if (!a)
    return;
  a->file = file;
  a->node = node;
  a->operand = op;
  a->base = base;
  a->func = func;
  a->write = write < 0 ? index_written(node, parent) : write == 1;

}

/* Is the index expression ix (with parent p) written: on the left of an assignment, or `m[k]++`? */
static bool index_written(TSNode ix, TSNode p) {
  if (go_ts_type_is(p, "inc_statement") || go_ts_type_is(p, "dec_statement"))
    return true;
  if (!go_node_is(p, GO_NODE_EXPRESSION_LIST))
    return false;
  TSNode gp = go_ts_parent(p);
  if (!go_node_is(gp, GO_NODE_ASSIGNMENT_STATEMENT))
    return false;
  TSNode left = go_node_child(gp, GO_F_LEFT);
  (void)ix;
  return ts_node_start_byte(left) == ts_node_start_byte(p) && ts_node_end_byte(left) == ts_node_end_byte(p);
}

static void collect(state *st) {
  const go_inspect *ins = st->ins;
  for (size_t i = 0; i < ins->nsites[GO_SITE_INDEX]; i++) {
    const go_site *s = &ins->sites[GO_SITE_INDEX][i];
    TSNode op = go_ts_unparen(s->sub);
    go_node k = go_node_kind(op);
    if (k != GO_NODE_IDENTIFIER && k != GO_NODE_SELECTOR_EXPRESSION)
      continue;
    consider(st, s->file, s->func_index, s->node, s->sub, -1, s->parent);
  }
  /* delete(m, k) and clear(m): a scan is cheaper than sorting the calls for a lookup */
  bool shadow_del = go_types_decl(st->ty, "delete") || go_inspect_maybe_local(ins, "delete");
  bool shadow_clr = go_types_decl(st->ty, "clear") || go_inspect_maybe_local(ins, "clear");
  for (size_t i = 0; i < ins->nsites[GO_SITE_CALL]; i++) {
    const go_site *s = &ins->sites[GO_SITE_CALL][i];
    bool del = s->text[0] == 'd' && strcmp(s->text, "delete") == 0;
    if (!del && !(s->text[0] == 'c' && strcmp(s->text, "clear") == 0))
      continue;
    go_binding b;
    if ((del ? shadow_del : shadow_clr) && go_types_lookup_ident(st->ty, s->file, s->sub, &b) != GO_BIND_UNIVERSE)
      continue;
    TSNode arg = go_ts_arg(go_node_child(s->node, GO_F_ARGUMENTS), 0);
    if (!ts_node_is_null(arg))
      consider(st, s->file, s->func_index, s->node, arg, 1, s->parent);
  }
  for (size_t i = 0; i < ins->nsites[GO_SITE_FOR]; i++) {
    const go_site *s = &ins->sites[GO_SITE_FOR][i];
    if (!go_node_is(s->sub, GO_NODE_RANGE_CLAUSE))
      continue;
    TSNode r = go_node_child(s->sub, GO_F_RIGHT);
    consider(st, s->file, s->func_index, r, r, 0, s->sub);
  }
}

/* ---------- lock facts ---------- */

/* The text of comment node c of file, lower-cased, in buf (cap bytes, truncated). */
static const char *comment_lower(const state *st, uint32_t file, TSNode c, char *buf, size_t cap) {
  const omen_file *f = file_of(st, file);
  uint32_t a = ts_node_start_byte(c), b = ts_node_end_byte(c);
  size_t len = b > a && b <= f->len ? b - a : 0;
  if (len > cap - 1)
    len = cap - 1;
  for (size_t i = 0; i < len; i++)
    buf[i] = (char)tolower((unsigned char)f->text[a + i]);
  buf[len] = '\0';
  return buf;
}

typedef bool (*comment_pred)(const char *lower);

/* Does the doc comment right above function site s (its lines joined) satisfy pred? */
static bool doc_says(const state *st, const go_site *s, comment_pred pred) {
  if (s->fkind == GO_FUNC_LIT)
    return false;
  TSNode prev = ts_node_prev_named_sibling(s->node);
  const omen_file *f0 = file_of(st, s->file);
  uint32_t expect = go_fix_line_no(f0, ts_node_start_byte(s->node));
  TSNode first = go_ts_null(), last = go_ts_null();
  for (int k = 0; k < 12 && go_node_is(prev, GO_NODE_COMMENT); k++) {
    if (go_fix_line_no(f0, ts_node_end_byte(prev)) + 1 != expect)
      break;
    if (ts_node_is_null(last))
      last = prev;
    first = prev;
    expect = go_fix_line_no(f0, ts_node_start_byte(prev));
    prev = ts_node_prev_named_sibling(prev);
  }
  if (ts_node_is_null(first))
    return false;
  char buf[1024];
  uint32_t a = ts_node_start_byte(first), b = ts_node_end_byte(last);
  size_t len = b > a ? b - a : 0;
  if (len > sizeof buf - 1)
    len = sizeof buf - 1;
  for (size_t i = 0; i < len; i++) {
    char ch = (char)tolower((unsigned char)f0->text[a + i]);
    buf[i] = ch == '\n' || ch == '/' || ch == '\t' ? ' ' : ch;
  }
  buf[len] = '\0';
  return pred(buf);
}

static bool says_locked(const char *c) {
  bool lockish = strstr(c, "lock") || strstr(c, "mu ") || strstr(c, "mu.") || strstr(c, "mutex");
  return lockish && (strstr(c, "held") || strstr(c, "hold") || strstr(c, "caller"));
}

static bool says_serial(const char *c) {
  return (strstr(c, "concurren") || strstr(c, "parallel")) &&
         (strstr(c, "not ") || strstr(c, "n't") || strstr(c, "never") || strstr(c, "only"));
}

/* Is the function named or documented as called with its lock held (`removeLocked`, "// mu must be
 * held")? */
static bool assumes_locked(const state *st, const go_ctx_func *f) {
  const go_site *s = f->site;
  if (s->fkind == GO_FUNC_LIT || !s->text)
    return false;
  const char *n = s->text;
  if (has_suffix(n, "Locked") || has_suffix(n, "_locked") || has_prefix(n, "locked") || has_suffix(n, "LK") ||
      has_suffix(n, "Lck"))
    return true;
  return doc_says(st, s, says_locked);
}

/* Does the function say it must not run concurrently with others (its doc comment, or a comment in its
 * body: "must not be called concurrent with Import", "should not be called during the parallel phase")? */
static bool serial_contract(const state *st, const go_ctx_func *f) {
  if (doc_says(st, f->site, says_serial))
    return true;
  TSNode body = f->site->sub;
  if (ts_node_is_null(body) || ts_node_end_byte(body) - ts_node_start_byte(body) > 1u << 16)
    return false;
  TSTreeCursor c = ts_tree_cursor_new(body);
  bool found = false, descend = true;
  char buf[512];
  while (!found && go_ts_cursor_next(&c, descend)) {
    TSNode n = ts_tree_cursor_current_node(&c);
    go_node k = go_node_kind(n);
    descend = k != GO_NODE_FUNC_LITERAL;
    if (k == GO_NODE_COMMENT)
      found = says_serial(comment_lower(st, f->site->file, n, buf, sizeof buf));
  }
  ts_tree_cursor_delete(&c);
  return found;
}

/* Does the function wait for goroutines (wg.Wait(), g.Wait(), SignalAndWait()...) before node n? Code
 * after the join runs alone. */
static bool after_wait(const state *st, int32_t func, TSNode n) {
  const go_ctx_func *f = func_at(st, func);
  if (!f)
    return false;
  const go_site *v[256];
  size_t cnt = go_inspect_sites_in(st->ins, GO_SITE_CALL, f->site, v, 256);
  for (size_t i = 0; i < cnt && i < 256; i++) {
    if (ts_node_start_byte(v[i]->node) >= ts_node_start_byte(n))
      break;
    if (v[i]->name && has_suffix(v[i]->name, "Wait") && !go_ts_type_is(go_ts_parent(v[i]->node), "defer_statement"))
      return true;
  }
  return false;
}

static bool unresolved_lock(state *st, int32_t i);

static void lock_facts(state *st, access *a) {
  go_lock_held out[MR_MAX_HELD];
  size_t n = 0;
  if (unresolved_lock(st, a->func)) {
    a->unknown = true;
    return;
  }
  if (!st->locks->nops || !go_locks_summary(st->locks, a->func))
    return; /* no lock operation here, nor in anything called from here: nothing held */
  if (!go_locks_held_at(st->locks, a->file, a->node, 0, out, MR_MAX_HELD, &n)) {
    a->unknown = true;
    return;
  }
  for (size_t i = 0; i < n && i < MR_MAX_HELD; i++)
    a->must.v[a->must.n++] = (held){out[i].mutex, out[i].mode == GO_LOCK_READ ? MODE_READ : MODE_WRITE,
                                    out[i].file, out[i].acquire};
}

static mode held_mode(const lockset *ls, uint32_t mutex) {
  mode m = MODE_NONE;
  for (uint8_t i = 0; i < ls->n; i++)
    if (ls->v[i].mutex == mutex && ls->v[i].m > m)
      m = ls->v[i].m;
  return m;
}

static bool holds_write(const lockset *ls) {
  for (uint8_t i = 0; i < ls->n; i++)
    if (ls->v[i].m == MODE_WRITE)
      return true;
  return false;
}

static const held *first_read(const lockset *ls) {
  for (uint8_t i = 0; i < ls->n; i++)
    if (ls->v[i].m == MODE_READ)
      return &ls->v[i];
  return NULL;
}

static bool exported(const go_ctx_func *f) {
  return f->site->fkind != GO_FUNC_LIT && f->site->text && isupper((unsigned char)f->site->text[0]);
}

/* An unexported named function that nothing in the package calls: maybe called through an interface
 * or a value we cannot see, so its callers' locks are unknown. */
static bool uncalled(const go_ctx_func *f) {
  return f->site->fkind != GO_FUNC_LIT && f->nin == 0 && !exported(f) && !(f->flags & GO_CTX_CONCURRENT);
}

static bool setup_only(state *st, int32_t i, int depth);

/* The mode in which every caller in the package holds mutex when calling function i (through calls
 * and literals that run in the caller, not goroutines or function values); WRITE for ...Locked helpers. */
static mode entry_mode(state *st, int32_t i, uint32_t mutex, int depth) {
  const go_ctx_func *f = func_at(st, i);
  if (!f || depth > 32)
    return MODE_WRITE; /* don't know: stay quiet */
  if (assumes_locked(st, f))
    return MODE_WRITE;
  if (f->nin == 0 || exported(f) || (f->flags & (GO_CTX_HANDLER | GO_CTX_GRPC | GO_CTX_GOROUTINE)))
    return MODE_NONE; /* called from outside the package, by the server, or in a new goroutine */
  uint32_t h = (uint32_t)(i * 31u + mutex) % MR_BUCKETS;
  for (entry_memo *e = st->ememo[h]; e; e = e->next)
    if (e->func == i && e->mutex == mutex)
      return e->state ? (mode)(e->state - 1) : MODE_WRITE; /* recursion: the other callers decide */
  entry_memo *e = omen_arena_alloc(st->a, sizeof *e);
  if (!e)
    return MODE_WRITE;
  *e = (entry_memo){i, mutex, 0, st->ememo[h]};
  st->ememo[h] = e;
  mode res = MODE_WRITE;
  for (uint32_t k = 0; k < f->nin && res != MODE_NONE; k++) {
    const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[f->in + k]];
    const go_ctx_func *c = func_at(st, (int32_t)ed->caller);
    if (!c)
      continue;
    /* callers that say nothing about concurrent use: tests of a non-test function, set-up code run
     * only from init, and functions whose own callers are unknown */
    if (file_of(st, c->site->file)->is_test && !file_of(st, f->site->file)->is_test)
      continue;
    if (ed->kind != GO_EDGE_CALL && ed->kind != GO_EDGE_LIT) {
      res = MODE_NONE;
      break;
    }
    if (uncalled(c) || setup_only(st, (int32_t)ed->caller, 0))
      continue;
    mode m = MODE_NONE;
    bool known = true;
    if (go_locks_is_held(st->locks, ed->file, ed->site, mutex, GO_LOCK_WRITE, 0, &known))
      m = MODE_WRITE;
    else if (!known)
      m = MODE_WRITE;
    else if (go_locks_is_held(st->locks, ed->file, ed->site, mutex, GO_LOCK_READ, 0, &known))
      m = MODE_READ;
    if (m != MODE_WRITE) {
      mode cm = entry_mode(st, (int32_t)ed->caller, mutex, depth + 1);
      if (cm > m)
        m = cm;
    }
    if (m < res)
      res = m;
  }
  e->state = (uint8_t)(res + 1);
  return res;
}

/* The mode in which access a holds mutex, in its function or through every caller. */
static mode access_mode(state *st, const access *a, uint32_t mutex) {
  mode m = held_mode(&a->must, mutex);
  if (m == MODE_WRITE)
    return m;
  mode e = entry_mode(st, a->func, mutex, 0);
  return e > m ? e : m;
}

/* The call that a func literal (or function value) node n is an argument of; null if none. */
static TSNode call_of_arg(TSNode n) {
  TSNode args = go_ts_parent(n);
  TSNode call = go_ts_parent(args);
  return go_ts_type_is(args, "argument_list") && go_node_is(call, GO_NODE_CALL_EXPRESSION) ? call : go_ts_null();
}

/* Is call `x.Do(...)` with x a sync.Once? */
static bool once_do(const state *st, uint32_t file, TSNode call) {
  TSNode fn = go_node_child(call, GO_F_FUNCTION);
  if (!go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION) || !go_ts_teq(file_of(st, file), go_node_child(fn, GO_F_FIELD), "Do"))
    return false;
  return go_types_is_named(go_types_type_of(st->ty, file, go_node_child(fn, GO_F_OPERAND)), "sync", "Once", NULL);
}

/* Does the callee of call name a lock wrapper (`withLock(mu, func() {...})`, `s.locked(func() {...})`)? */
static bool lock_wrapper(const state *st, uint32_t file, TSNode call) {
  TSNode fn = go_ts_unparen(go_node_child(call, GO_F_FUNCTION));
  if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION))
    fn = go_node_child(fn, GO_F_FIELD);
  const omen_file *f = file_of(st, file);
  if (ts_node_is_null(fn) || ts_node_end_byte(fn) > f->len)
    return false;
  char buf[64];
  uint32_t a = ts_node_start_byte(fn), len = ts_node_end_byte(fn) - a;
  if (len >= sizeof buf)
    return false;
  for (uint32_t i = 0; i < len; i++)
    buf[i] = (char)tolower((unsigned char)f->text[a + i]);
  buf[len] = '\0';
  return strstr(buf, "lock") && !strstr(buf, "unlock");
}

/* Does function i run only under sync.Once's Do (a literal passed to it, or a function every caller
 * hands to it)? */
static bool once_only(const state *st, const go_ctx_func *f) {
  if (f->site->fkind == GO_FUNC_LIT) {
    TSNode call = call_of_arg(f->site->node);
    return !ts_node_is_null(call) && once_do(st, f->site->file, call);
  }
  if (f->nin == 0)
    return false;
  for (uint32_t k = 0; k < f->nin; k++) {
    const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[f->in + k]];
    if (ed->kind != GO_EDGE_REF || !once_do(st, ed->file, ed->site))
      return false;
  }
  return true;
}

/* The per-function byte st->...[i] of a lazily allocated memo array (zeroed); NULL when out of memory. */
static uint8_t *memo_byte(state *st, uint8_t **arr, int32_t i) {
  if (!*arr) {
    *arr = omen_arena_alloc(st->a, st->ctx->nfuncs);
    if (!*arr)
      return NULL;
    memset(*arr, 0, st->ctx->nfuncs);
  }
  return &(*arr)[i];
}

/* Is function i reached only from init (or package-level initializers through unexported functions
 * nothing else calls)? */
static bool init_only(state *st, int32_t i, int depth) {
  const go_ctx_func *f = func_at(st, i);
  if (!f || depth > 32)
    return false;
  uint8_t *memo = memo_byte(st, &st->initonly, i);
  if (!memo)
    return false;
  if (*memo)
    return *memo != 3;
  const go_site *s = f->site;
  if (s->fkind == GO_FUNC_DECL && s->text && strcmp(s->text, "init") == 0) {
    *memo = 2;
    return true;
  }
  if ((f->flags & GO_CTX_CONCURRENT) || exported(f) || f->nin == 0) {
    *memo = 3;
    return false;
  }
  *memo = 1; /* in progress: a cycle with no other way in */
  bool yes = true;
  for (uint32_t k = 0; k < f->nin && yes; k++) {
    const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[f->in + k]];
    yes = ed->kind != GO_EDGE_GO && init_only(st, (int32_t)ed->caller, depth + 1);
  }
  *memo = yes ? 2 : 3;
  return yes;
}

static bool setup_only(state *st, int32_t i, int depth);
static TSNode loop_around(TSNode n, TSNode fn, TSNode keep);

/* Is the unexported function or method i called only on objects its callers have just made
 * (`s := &Store{...}; s.restore()`), or from other such set-up code? */
static bool ctor_only(state *st, int32_t i, int depth) {
  const go_ctx_func *f = func_at(st, i);
  if (!f || depth > 16 || f->site->fkind == GO_FUNC_LIT || exported(f) || f->nin == 0 ||
      (f->flags & (GO_CTX_HANDLER | GO_CTX_GRPC | GO_CTX_GOROUTINE)))
    return false;
  uint8_t *memo = memo_byte(st, &st->ctoronly, i);
  if (!memo)
    return false;
  if (*memo)
    return *memo != 3;
  *memo = 1;
  bool yes = true;
  for (uint32_t k = 0; k < f->nin && yes; k++) {
    const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[f->in + k]];
    if (ed->kind != GO_EDGE_CALL) {
      yes = false;
      break;
    }
    TSNode fn = go_ts_unparen(go_node_child(ed->site, GO_F_FUNCTION));
    if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION)) {
      TSNode base = chain_base(go_node_child(fn, GO_F_OPERAND));
      if (fresh_ident(st, ed->file, base, (int32_t)ed->caller, NULL))
        continue;
    }
    yes = setup_only(st, (int32_t)ed->caller, depth + 1);
  }
  *memo = yes ? 2 : 3;
  return yes;
}

/* Does code of function i run before its objects are shared: only from init, only under sync.Once,
 * or only on objects just made (through enclosing literals that are not goroutines)? */
static bool setup_only(state *st, int32_t i, int depth) {
  for (int d = 0; i >= 0 && d < 64; d++) {
    const go_ctx_func *f = func_at(st, i);
    if (!f)
      return false;
    if (once_only(st, f) || init_only(st, i, 0) || ctor_only(st, i, depth))
      return true;
    if (f->site->fkind != GO_FUNC_LIT || (f->flags & GO_CTX_GOROUTINE))
      return false;
    i = f->parent;
  }
  return false;
}

/* Does code of function i run with a lock the analysis cannot see, or before anything is shared: in a
 * ...Locked helper, a literal handed to a lock wrapper, or set-up code (see setup_only)? */
static bool runs_guarded(state *st, int32_t i) {
  if (setup_only(st, i, 0))
    return true;
  for (int depth = 0; i >= 0 && depth < 64; depth++) {
    const go_ctx_func *f = func_at(st, i);
    if (!f)
      return false;
    if (assumes_locked(st, f))
      return true;
    if (f->site->fkind != GO_FUNC_LIT || (f->flags & GO_CTX_GOROUTINE))
      return false;
    TSNode call = call_of_arg(f->site->node);
    if (!ts_node_is_null(call) && lock_wrapper(st, f->site->file, call))
      return true;
    i = f->parent;
  }
  return false;
}

/* Does function i (or a function it runs in through literals) call Lock or RLock on something go-locks
 * cannot resolve (a sync.Locker, a sync.Cond's L, an element of a slice of mutexes)? Its lock set is
 * then unknown. */
static bool unresolved_lock(state *st, int32_t i) {
  for (int depth = 0; i >= 0 && depth < 64; depth++) {
    const go_ctx_func *f = func_at(st, i);
    if (!f)
      return false;
    uint8_t *memo = memo_byte(st, &st->unres, i);
    if (!memo)
      return true;
    if (!*memo) {
      *memo = 2;
      const go_site *v[256];
      size_t n = go_inspect_sites_in(st->ins, GO_SITE_SYNC_CALL, f->site, v, 256);
      for (size_t k = 0; k < n && *memo == 2; k++) {
        if (k >= 256 || (strcmp(v[k]->name, "Lock") != 0 && strcmp(v[k]->name, "RLock") != 0))
          continue;
        if (!go_locks_op_at(st->locks, v[k]->file, v[k]->node) && !go_context_callee(st->ctx, v[k]->file, v[k]->node))
          *memo = 1;
      }
    }
    if (*memo == 1)
      return true;
    if (f->site->fkind != GO_FUNC_LIT || (f->flags & GO_CTX_GOROUTINE))
      return false;
    i = f->parent;
  }
  return false;
}

/* The named function (declaration or method) that code of function i belongs to, through literals. */
static const go_ctx_func *outer_func(const state *st, int32_t i) {
  const go_ctx_func *f = func_at(st, i);
  for (int depth = 0; f && f->site->fkind == GO_FUNC_LIT && depth < 64; depth++)
    f = func_at(st, f->parent);
  return f;
}

/* The concurrency flags of function i and of the functions it runs in through literals that are not
 * goroutines (go_context_flags_at without walking the tree). */
static unsigned flags_of(const state *st, int32_t i) {
  unsigned fl = 0;
  for (int depth = 0; i >= 0 && depth < 64; depth++) {
    const go_ctx_func *f = func_at(st, i);
    if (!f)
      break;
    fl |= f->flags;
    if (f->site->fkind != GO_FUNC_LIT || (f->flags & GO_CTX_GOROUTINE))
      break;
    i = f->parent;
  }
  return fl;
}

/* Accesses in init, in main before its first go statement, in ...Locked helpers, in sync.Once. */
static bool exempt(state *st, const access *a) {
  const go_ctx_func *o = outer_func(st, a->func);
  if (!o)
    return true;
  const char *name = o->site->text ? o->site->text : "";
  if (o->site->fkind == GO_FUNC_DECL && strcmp(name, "init") == 0)
    return true;
  /* before the function starts its goroutines (main, Serve, Start...) */
  if (!(o->flags & GO_CTX_CONCURRENT) || strcmp(name, "main") == 0) {
    const go_site *gos[64];
    size_t n = 0;
    for (size_t k = 0; k < st->ins->nsites[GO_SITE_GO] && n < 64; k++) {
      const go_site *g = &st->ins->sites[GO_SITE_GO][k];
      if (g->file == a->file && contains(o->site->node, g->node))
        gos[n++] = g;
    }
    bool before = n > 0;
    TSNode loop = loop_around(a->node, o->site->node, go_ts_null());
    for (size_t k = 0; k < n && before; k++)
      before = ts_node_start_byte(gos[k]->node) > ts_node_end_byte(a->node) && !contains(loop, gos[k]->node);
    if (before)
      return true;
  }
  return runs_guarded(st, a->func);
}

/* ---------- concurrency roots ---------- */

static const roots *roots_of(state *st, int32_t i) {
  static const roots none = {true, -1, {0}, 0, false};
  if (i < 0 || (size_t)i >= st->ctx->nfuncs)
    return &none;
  if (!st->roots) {
    st->roots = omen_arena_alloc(st->a, st->ctx->nfuncs * sizeof *st->roots);
    if (!st->roots)
      return &none;
    memset(st->roots, 0, st->ctx->nfuncs * sizeof *st->roots);
  }
  roots *r = &st->roots[i];
  if (r->done)
    return r;
  r->done = true;
  r->handler = -1;
  int32_t queue[MR_MAX_WALK];
  size_t head = 0, tail = 0;
  queue[tail++] = i;
  while (head < tail) {
    int32_t u = queue[head++];
    const go_ctx_func *f = &st->ctx->funcs[u];
    if (f->flags & (GO_CTX_HANDLER | GO_CTX_GRPC)) {
      if (r->handler < 0)
        r->handler = u;
      continue;
    }
    if (f->flags & GO_CTX_GOROUTINE) {
      if (r->ngor < MR_MAX_ROOTS)
        r->gor[r->ngor++] = u;
      else
        r->more = true;
      continue;
    }
    for (uint32_t k = 0; k < f->nin; k++) {
      const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[f->in + k]];
      if (ed->kind == GO_EDGE_GO)
        continue;
      bool seen = false;
      for (size_t q = 0; q < tail && !seen; q++)
        seen = queue[q] == (int32_t)ed->caller;
      if (seen)
        continue;
      if (tail == MR_MAX_WALK) {
        r->more = true;
        break;
      }
      queue[tail++] = (int32_t)ed->caller;
    }
  }
  return r;
}

/* The innermost for statement around n, below the function node fn, that does not contain keep
 * (null: any); null if none. */
static TSNode loop_around(TSNode n, TSNode fn, TSNode keep) {
  for (TSNode p = go_ts_parent(n); !ts_node_is_null(p); p = go_ts_parent(p)) {
    go_node k = go_node_kind(p);
    if (k == GO_NODE_FUNC_LITERAL || k == GO_NODE_FUNCTION_DECLARATION || k == GO_NODE_METHOD_DECLARATION) {
      if (ts_node_start_byte(p) == ts_node_start_byte(fn) && ts_node_end_byte(p) == ts_node_end_byte(fn))
        return go_ts_null();
      continue;
    }
    if (k == GO_NODE_FOR_STATEMENT && !contains(p, keep))
      return p;
  }
  return go_ts_null();
}

/* Does the loop body wait after position `after` (a receive, a select or a Wait call of the loop's own
 * function), so that the goroutines it starts do not overlap? */
static bool loop_waits(state *st, uint32_t file, TSNode loop, uint32_t after) {
  TSNode fn = go_inspect_func_node_around(st->ins, file, loop);
  uint32_t end = ts_node_end_byte(loop);
  static const go_site_kind kinds[] = {GO_SITE_RECV, GO_SITE_SELECT};
  for (size_t k = 0; k < 2; k++) {
    const go_site *v = st->ins->sites[kinds[k]];
    for (size_t i = 0; i < st->ins->nsites[kinds[k]]; i++) {
      if (v[i].file != file || ts_node_start_byte(v[i].node) < after || ts_node_start_byte(v[i].node) >= end)
        continue;
      if (ts_node_start_byte(v[i].func) == ts_node_start_byte(fn))
        return true;
    }
  }
  const go_site *const *w;
  size_t n = go_inspect_calls_named(st->ins, "Wait", &w);
  for (size_t i = 0; i < n; i++)
    if (w[i]->file == file && ts_node_start_byte(w[i]->node) >= after && ts_node_start_byte(w[i]->node) < end &&
        ts_node_start_byte(w[i]->func) == ts_node_start_byte(fn))
      return true;
  return false;
}

/* A place where goroutine root g is started inside a loop (that does not contain keep) and the loop
 * does not wait for it; null if none. *go_site gets the start. */
static TSNode started_in_loop(state *st, int32_t g, TSNode keep, uint32_t *file, TSNode *start) {
  const go_ctx_func *f = func_at(st, g);
  for (uint32_t k = 0; f && k < f->nin; k++) {
    const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[f->in + k]];
    if (ed->kind != GO_EDGE_GO)
      continue;
    const go_ctx_func *c = func_at(st, (int32_t)ed->caller);
    if (!c)
      continue;
    TSNode loop = loop_around(ed->site, c->site->node, keep);
    if (!ts_node_is_null(loop) && !loop_waits(st, ed->file, loop, ts_node_end_byte(ed->site))) {
      *file = ed->file;
      *start = ed->site;
      return loop;
    }
  }
  return go_ts_null();
}

static uint32_t go_starts(const state *st, int32_t g) {
  const go_ctx_func *f = func_at(st, g);
  uint32_t n = 0;
  for (uint32_t k = 0; f && k < f->nin; k++)
    n += st->ctx->edges[st->ctx->in_edges[f->in + k]].kind == GO_EDGE_GO;
  return n;
}

/* ---------- labels ---------- */

static uint32_t line_of(const state *st, uint32_t file, TSNode n) {
  return go_fix_line_no(file_of(st, file), ts_node_start_byte(n));
}


/* Is x an identifier or a chain of field selectors on one (text usable anywhere it is in scope)? */
static bool simple_chain(TSNode x) {
  for (int depth = 0; depth < 16; depth++) {
    if (go_node_is(x, GO_NODE_IDENTIFIER))
      return true;
    if (!go_node_is(x, GO_NODE_SELECTOR_EXPRESSION))
      return false;
    x = go_node_child(x, GO_F_OPERAND);
  }
  return false;
}

/* The expression that names mutex at access a (`r.mu` for a map r.services of the mutex's struct,
 * `mu` for a package mutex); NULL when there is none. */
static const char *mutex_expr(state *st, const mapv *m, const access *a, uint32_t mutex) {
  const go_mutex *mx = &st->locks->mutexes[mutex];
  if (mx->kind == GO_MUTEX_VAR && !strchr(mx->key, '.'))
    return mx->name;
  if ((mx->kind == GO_MUTEX_FIELD || mx->kind == GO_MUTEX_EMBEDDED) && m->kind == MAP_FIELD && mx->owner &&
      strcmp(mx->owner, m->tname) == 0) {
    TSNode x = go_node_child(a->operand, GO_F_OPERAND);
    if (simple_chain(x))
      return mx->kind == GO_MUTEX_EMBEDDED ? text(st, a->file, x)
                                           : omen_arena_printf(st->a, "%s.%s", text(st, a->file, x), mx->name);
  }
  return NULL;
}

static const char *mutex_label(state *st, const mapv *m, const access *a, uint32_t mutex) {
  const char *e = mutex_expr(st, m, a, mutex);
  const go_mutex *mx = &st->locks->mutexes[mutex];
  if (e && mx->kind == GO_MUTEX_EMBEDDED)
    return omen_arena_printf(st->a, "%s.%s", e, mx->name);
  return e ? e : mx->key;
}

/* ---------- fixes ---------- */

/* The statement around n that sits directly in a block; null if none. */
static TSNode statement_of(TSNode n, TSNode fn) {
  for (TSNode p = n; !ts_node_is_null(p); p = go_ts_parent(p)) {
    TSNode q = go_ts_parent(p);
    if (ts_node_is_null(q) || ts_node_start_byte(q) < ts_node_start_byte(fn))
      return go_ts_null();
    if (go_node_is(q, GO_NODE_BLOCK))
      return p;
    go_node k = go_node_kind(q);
    if (k == GO_NODE_FUNC_LITERAL || k == GO_NODE_FUNCTION_DECLARATION || k == GO_NODE_METHOD_DECLARATION)
      return go_ts_null();
  }
  return go_ts_null();
}

/* Does some call inside node n (a package function, a literal called in place) acquire mutex, or is
 * one a lock operation on it? */
static bool calls_acquire(state *st, uint32_t file, TSNode n, int32_t func, uint32_t mutex) {
  const go_ctx_func *f = func_at(st, func);
  if (!f)
    return true;
  const go_site *calls[256];
  size_t nc = go_inspect_sites_in(st->ins, GO_SITE_CALL, f->site, calls, 256);
  if (nc > 256)
    return true;
  for (size_t i = 0; i < nc; i++) {
    if (!contains(n, calls[i]->node))
      continue;
    const go_lock_op *op = go_locks_op_at(st->locks, file, calls[i]->node);
    if (op && op->mutex == mutex)
      return true;
    const go_ctx_func *callee = go_context_callee(st->ctx, file, calls[i]->node);
    int32_t ci = go_context_index(st->ctx, callee);
    if (ci >= 0 && (go_locks_acquires(st->locks, ci, mutex, GO_LOCK_WRITE) ||
                    go_locks_acquires(st->locks, ci, mutex, GO_LOCK_READ)))
      return true;
  }
  /* a literal inside n may be called under the lock: leave that to a human */
  for (size_t i = 0; i < st->ins->nsites[GO_SITE_FUNC]; i++) {
    const go_site *s = &st->ins->sites[GO_SITE_FUNC][i];
    if (s->file == file && s->fkind == GO_FUNC_LIT && contains(n, s->node))
      return true;
  }
  return false;
}

/* Does the function block while running (goroutines, channel operations, select, Wait)? */
static bool blocks(state *st, const go_site *fn) {
  static const go_site_kind kinds[] = {GO_SITE_GO, GO_SITE_SEND, GO_SITE_RECV, GO_SITE_SELECT};
  const go_site *tmp[1];
  for (size_t k = 0; k < 4; k++)
    if (go_inspect_sites_in(st->ins, kinds[k], fn, tmp, 1))
      return true;
  return false;
}

static void add_lock_fix(state *st, omen_diag *d, const mapv *m, access *a, uint32_t mutex, bool read,
                         bool whole_ok) {
  if (!d)
    return;
  const char *mx = mutex_expr(st, m, a, mutex);
  if (!mx)
    return;
  bool known = true;
  if (go_locks_is_held(st->locks, a->file, a->node, mutex, GO_LOCK_WRITE, GO_LOCKS_MAY, &known) || !known ||
      go_locks_is_held(st->locks, a->file, a->node, mutex, GO_LOCK_READ, GO_LOCKS_MAY, &known) || !known)
    return;
  const go_ctx_func *f = func_at(st, a->func);
  const omen_file *file = file_of(st, a->file);
  if (!f || ts_node_is_null(f->site->sub))
    return;
  const char *lk = read && st->locks->mutexes[mutex].rw ? "RLock" : "Lock";
  const char *ul = read && st->locks->mutexes[mutex].rw ? "RUnlock" : "Unlock";
  TSNode body = f->site->sub;
  TSNode first = go_ts_nth(body, 0);
  const go_lock_summary *sum = go_locks_summary(st->locks, a->func);
  bool lockless = !sum || (sum->nops == 0 && sum->nacquires == 0 && sum->nreleases == 0);
  bool base_ok = true;
  if (!ts_node_is_null(a->base)) {
    go_binding b;
    base_ok = go_types_lookup_ident(st->ty, a->file, a->base, &b) == GO_BIND_LOCAL &&
              go_node_is(b.decl, GO_NODE_PARAMETER_DECLARATION) && contains(f->site->node, b.decl) &&
              !contains(body, b.decl);
  }
  go_fix_edits e = {0};
  uint32_t lines = go_fix_line_no(file, ts_node_end_byte(body)) - go_fix_line_no(file, ts_node_start_byte(body));
  if (whole_ok && lockless && base_ok && lines <= MR_FIX_MAX_LINES && !go_node_is(first, GO_NODE_COMMENT) &&
      !ts_node_is_null(first) && go_fix_starts_line(file, ts_node_start_byte(first)) && !blocks(st, f->site) &&
      !calls_acquire(st, a->file, body, a->func, mutex)) {
    uint32_t at = go_fix_line_start(file, ts_node_start_byte(first));
    const char *ind = go_fix_indent_of(st->pass, file, ts_node_start_byte(first));
    if (go_fix_add(&e, at, at, omen_arena_printf(st->a, "%s%s.%s()\n%sdefer %s.%s()\n", ind, mx, lk, ind, mx, ul)))
      go_fix_emit(st->pass, d, file, OMEN_FIX_UNSAFE, &e,
                  omen_arena_printf(st->a, "take %s for the whole function", mx));
    return;
  }
  TSNode stmt = statement_of(a->node, f->site->node);
  go_node sk = go_node_kind(stmt);
  if (ts_node_is_null(stmt) || !(sk == GO_NODE_EXPRESSION_STATEMENT || sk == GO_NODE_ASSIGNMENT_STATEMENT ||
                                 sk == GO_NODE_SHORT_VAR_DECLARATION || go_ts_type_is(stmt, "inc_statement") ||
                                 go_ts_type_is(stmt, "dec_statement")))
    return;
  if (!go_fix_starts_line(file, ts_node_start_byte(stmt)) ||
      !go_fix_ends_line_or_comment(file, ts_node_end_byte(stmt)) ||
      go_fix_line_no(file, ts_node_start_byte(stmt)) != go_fix_line_no(file, ts_node_end_byte(stmt)) ||
      calls_acquire(st, a->file, stmt, a->func, mutex))
    return;
  uint32_t at = go_fix_line_start(file, ts_node_start_byte(stmt));
  uint32_t eol = ts_node_end_byte(stmt);
  while (eol < file->len && file->text[eol] != '\n')
    eol++;
  const char *ind = go_fix_indent_of(st->pass, file, ts_node_start_byte(stmt));
  if (go_fix_add(&e, at, at, omen_arena_printf(st->a, "%s%s.%s()\n", ind, mx, lk)) &&
      go_fix_add(&e, eol, eol, omen_arena_printf(st->a, "\n%s%s.%s()", ind, mx, ul)))
    go_fix_emit(st->pass, d, file, OMEN_FIX_UNSAFE, &e, omen_arena_printf(st->a, "take %s around the %s", mx,
                                                                          a->write ? "write" : "read"));
}

/* RLock -> Lock and its RUnlocks -> Unlock, when the read lock is taken and released in a's function. */
static void add_upgrade_fix(state *st, omen_diag *d, const access *a, const held *h) {
  if (!d)
    return;
  const go_lock_op *acq = go_locks_op_at(st->locks, h->file, h->acq);
  if (!acq || acq->kind != GO_LOCK_RLOCK || acq->func != a->func || h->file != a->file)
    return;
  const go_ctx_func *f = func_at(st, a->func);
  const go_lock_summary *sum = go_locks_summary(st->locks, a->func);
  if (!f || !sum)
    return;
  for (size_t i = 0; i < sum->nleaves; i++)
    if (sum->leaves[i].mutex == h->mutex)
      return;
  const omen_file *file = file_of(st, a->file);
  go_fix_edits e = {0};
  size_t nun = 0;
  for (size_t i = 0; i < st->locks->nops; i++) {
    const go_lock_op *op = &st->locks->ops[i];
    if (op->mutex != h->mutex || op->file != a->file || !contains(f->site->node, op->call))
      continue;
    TSNode fld = go_node_child(go_node_child(op->call, GO_F_FUNCTION), GO_F_FIELD);
    if (op->kind == GO_LOCK_RUNLOCK) {
      if (!go_fix_add(&e, ts_node_start_byte(fld), ts_node_end_byte(fld), "Unlock"))
        return;
      nun++;
    } else if (op == acq || (op->call.id == acq->call.id)) {
      if (!go_fix_add(&e, ts_node_start_byte(fld), ts_node_end_byte(fld), "Lock"))
        return;
    } else {
      return; /* other operations on it here: leave the choice to a human */
    }
  }
  /* an unlock helper would still release the read lock */
  const go_site *calls[256];
  size_t nc = go_inspect_sites_in(st->ins, GO_SITE_CALL, f->site, calls, 256);
  if (nc > 256 || nun == 0)
    return;
  for (size_t i = 0; i < nc; i++) {
    int32_t ci = go_context_index(st->ctx, go_context_callee(st->ctx, a->file, calls[i]->node));
    const go_lock_summary *cs = go_locks_summary(st->locks, ci);
    for (size_t k = 0; cs && k < cs->nreleases; k++)
      if (cs->releases[k].mutex == h->mutex)
        return;
  }
  go_fix_emit(st->pass, d, file, OMEN_FIX_UNSAFE, &e, "take the write lock instead of the read lock");
}

/* ---------- reports ---------- */

static const char *map_label(state *st, const access *a) { return text(st, a->file, a->operand); }

static omen_diag *report(state *st, const omen_rule *rule, const access *a, const char *msg) {
  const omen_file *f = file_of(st, a->file);
  omen_diag *d = omen_pass_report(st->pass, rule, f, ts_node_start_byte(a->node), ts_node_end_byte(a->node), "%s",
                                  msg);
  if (d && f->is_test)
    d->confidence = OMEN_CONF_LOW;
  return d;
}

static void related(state *st, omen_diag *d, uint32_t file, TSNode n, const char *msg) {
  omen_diag_add_related(st->pass, d, file_of(st, file), ts_node_start_byte(n), ts_node_end_byte(n), "%s", msg);
}

static const char *crash = "concurrent map writes crash the program (\"fatal error: concurrent map writes\")";

/* Maps captured by goroutine literals. */
static void check_local(state *st, mapv *m) {
  for (size_t i = 0; i < m->n; i++) {
    access *a = &m->acc[i];
    int32_t g = goroutine_literal(st, a->func);
    if (!a->write || g < 0)
      continue;
    lock_facts(st, a);
    if (a->unknown || holds_write(&a->must) || runs_guarded(st, a->func))
      continue;
    uint32_t gfile;
    TSNode start;
    TSNode loop = started_in_loop(st, g, m->decl, &gfile, &start);
    const char *name = map_label(st, a);
    if (!ts_node_is_null(loop)) {
      omen_diag *d = report(st, &rule_write, a,
                            omen_arena_printf(st->a,
                                              "goroutines started in this loop write map %s at the same time "
                                              "without a lock: %s",
                                              name, crash));
      related(st, d, gfile, start, "goroutine started here, once per iteration");
      related(st, d, m->dfile, m->decl, omen_arena_printf(st->a, "%s is declared outside the loop", name));
      continue;
    }
    for (size_t j = 0; j < m->n; j++) {
      access *b = &m->acc[j];
      int32_t g2 = goroutine_literal(st, b->func);
      if (g2 < 0 || g2 == g)
        continue;
      omen_diag *d = report(
          st, &rule_write, a,
          omen_arena_printf(st->a,
                            "map %s is written by this goroutine while another goroutine (line %u) %s it, "
                            "without a lock: %s",
                            name, line_of(st, b->file, b->node), b->write ? "writes" : "reads", crash));
      related(st, d, b->file, b->node, "the other goroutine's access");
      break;
    }
  }
}

typedef struct guard {
  bool ok;
  uint32_t mutex;
  size_t cnt, wcnt; /* functions with accesses holding it; writes holding it in write mode */
  size_t ucnt;      /* functions with accesses holding no lock */
  const access *witness;  /* a guarded access (see find_guard) */
  int wscore;
  const access *wwitness; /* a write under it in write mode */
} guard;

/* Fills a->fresh and a->recv on first use. */
static access *base_facts(state *st, access *a) {
  if (!a->base_state) {
    a->base_state = 1;
    a->fresh = !ts_node_is_null(a->base) && fresh_ident(st, a->file, a->base, a->func, &a->recv);
  }
  return a;
}

static bool is_exempt(state *st, access *a) {
  if (!a->exempt)
    a->exempt = exempt(st, a) ? 1 : 2;
  return a->exempt == 1;
}

static bool reportable(access *a, state *st) {
  return !a->unknown && !base_facts(st, a)->fresh && !file_of(st, a->file)->is_test && !is_exempt(st, a);
}

/* Can the code at access a run while other goroutines use the map? It runs in a handler, gRPC method or
 * goroutine (not merely code they reach: that is often set-up or a private copy), or it is API that
 * other goroutines call: an exported method of the map's struct on its receiver, an exported function
 * for a package map. */
static bool concurrent_evidence(state *st, const mapv *m, const access *a) {
  if (flags_of(st, a->func) & (GO_CTX_HANDLER | GO_CTX_GRPC | GO_CTX_GOROUTINE))
    return true;
  const go_ctx_func *o = outer_func(st, a->func);
  if (!o || !exported(o))
    return false;
  if (m->kind == MAP_PKG)
    return o->site->fkind == GO_FUNC_DECL;
  return o->site->fkind == GO_FUNC_METHOD && base_facts(st, (access *)a)->recv && o->site->recv &&
         strcmp(o->site->recv, m->tname) == 0;
}

/* Is some mutex held (in any mode) at a, here or by every caller? A lock of another struct may be the
 * same mutex (a *sync.Mutex field shared with the owner) or serialize the callers anyway. */
static bool any_related_held(state *st, const mapv *m, const access *a);

/* Can mutex guard map m: a mutex of the same struct for a struct map, a package mutex for a package map
 * (a lock of another struct says little about which instance's map it covers). */
static bool related_mutex(const state *st, const mapv *m, uint32_t mutex) {
  const go_mutex *mx = &st->locks->mutexes[mutex];
  if (m->kind == MAP_FIELD)
    return (mx->kind == GO_MUTEX_FIELD || mx->kind == GO_MUTEX_EMBEDDED) && mx->owner && strcmp(mx->owner, m->tname) == 0;
  return mx->kind == GO_MUTEX_VAR;
}

static void add_cand(const state *st, const mapv *m, uint32_t *cand, size_t *nc, uint32_t mutex) {
  if (*nc >= 16 || !related_mutex(st, m, mutex))
    return;
  for (size_t q = 0; q < *nc; q++)
    if (cand[q] == mutex)
      return;
  cand[(*nc)++] = mutex;
}

static bool counted(state *st, const access *a) {
  return !a->unknown && !base_facts(st, (access *)a)->fresh && !file_of(st, a->file)->is_test;
}

/* Has func been seen (in set v of *n, cap 64)? Adds it if not. */
static bool seen_func(int32_t *v, size_t *n, int32_t func) {
  for (size_t i = 0; i < *n; i++)
    if (v[i] == func)
      return true;
  if (*n < 64)
    v[(*n)++] = func;
  return false;
}

/* Mutexes held where function i is called, up to three calls up (candidate guards for its accesses). */
static const callers_held *callers_held_of(state *st, int32_t i) {
  if (i < 0 || (size_t)i >= st->ctx->nfuncs)
    return NULL;
  if (!st->cheld) {
    st->cheld = omen_arena_alloc(st->a, st->ctx->nfuncs * sizeof *st->cheld);
    if (!st->cheld)
      return NULL;
    memset(st->cheld, 0, st->ctx->nfuncs * sizeof *st->cheld);
  }
  callers_held *r = &st->cheld[i];
  if (r->done)
    return r;
  r->done = true;
  int32_t q[16];
  size_t head = 0, tail = 0;
  q[tail++] = i;
  for (int level = 0; level < 3 && head < tail; level++) {
    size_t end = tail;
    for (; head < end; head++) {
      const go_ctx_func *f = func_at(st, q[head]);
      for (uint32_t e = 0; f && e < f->nin && e < 4; e++) {
        const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[f->in + e]];
        if (ed->kind != GO_EDGE_CALL && ed->kind != GO_EDGE_LIT)
          continue;
        const go_lock_summary *cs = go_locks_summary(st->locks, (int32_t)ed->caller);
        go_lock_held out[4];
        size_t n = 0;
        if (cs && cs->nacquires && go_locks_held_at(st->locks, ed->file, ed->site, 0, out, 4, &n))
          for (size_t k = 0; k < n && k < 4; k++) {
            bool seen = false;
            for (uint8_t x = 0; x < r->n && !seen; x++)
              seen = r->mutex[x] == out[k].mutex;
            if (!seen && r->n < 4)
              r->mutex[r->n++] = out[k].mutex;
          }
        if (tail < 16)
          q[tail++] = (int32_t)ed->caller;
      }
    }
  }
  return r;
}

/* The mutex held at most of the map's accesses, with the counts. It guards the map when it is held at
 * more accesses than those that hold no lock at all (and at two, or at a write). */
static guard find_guard(state *st, mapv *m) {
  uint32_t cand[16];
  size_t nc = 0;
  guard none = {0};
  if (!st->locks->nops)
    return none;
  for (size_t i = 0; i < m->n; i++) {
    const access *a = &m->acc[i];
    if (a->unknown || file_of(st, a->file)->is_test)
      continue;
    for (uint8_t k = 0; k < a->must.n; k++)
      add_cand(st, m, cand, &nc, a->must.v[k].mutex);
  }
  /* no access locks it itself: maybe their callers do (helpers called with the lock held) */
  bool direct = nc > 0, needed = false;
  /* ...worth asking only when some unlocked access would be reported against a guard */
  for (size_t i = 0; i < m->n && !direct && !needed; i++)
    needed = !m->acc[i].unknown && !m->acc[i].must.n && concurrent_evidence(st, m, &m->acc[i]);
  for (size_t i = 0; i < m->n && !direct && needed; i++) {
    const access *a = &m->acc[i];
    if (a->unknown || file_of(st, a->file)->is_test)
      continue;
    const go_ctx_func *f = func_at(st, a->func);
    if (!f || (exported(f) && f->site->fkind != GO_FUNC_LIT))
      continue; /* API: its callers are elsewhere */
    const callers_held *ch = callers_held_of(st, a->func);
    for (uint8_t k = 0; ch && k < ch->n; k++)
      add_cand(st, m, cand, &nc, ch->mutex[k]);
  }
  guard best = {0};
  for (size_t c = 0; c < nc; c++) {
    guard g = {true, cand[c], 0, 0, 0, NULL, 0, NULL};
    /* functions, not accesses, are counted: `if _, ok := m[k]; !ok { m[k] = v }` is one vote */
    int32_t gf[64], uf[64];
    size_t ngf = 0, nuf = 0;
    for (size_t i = 0; i < m->n; i++) {
      const access *a = &m->acc[i];
      if (!counted(st, a))
        continue;
      mode md = access_mode(st, a, cand[c]);
      if (md == MODE_NONE) {
        const go_ctx_func *f = func_at(st, a->func);
        if (a->must.n == 0 && f && !uncalled(f) && !is_exempt(st, (access *)a) && !seen_func(uf, &nuf, a->func))
          g.ucnt++;
        continue;
      }
      if (!seen_func(gf, &ngf, a->func))
        g.cnt++;
      /* the witness: held in the function itself rather than by callers, a write rather than a read */
      int score = (held_mode(&a->must, cand[c]) != MODE_NONE) * 2 + (a->write && md == MODE_WRITE);
      if (!g.witness || score > g.wscore) {
        g.witness = a;
        g.wscore = score;
      }
      if (a->write && md == MODE_WRITE) {
        g.wcnt++;
        if (!g.wwitness || (score >= 2 && held_mode(&g.wwitness->must, cand[c]) == MODE_NONE))
          g.wwitness = a;
      }
    }
    if (g.cnt > best.cnt || (g.cnt == best.cnt && g.wcnt > best.wcnt))
      best = g;
  }
  best.ok = best.cnt > best.ucnt && (best.cnt >= 2 || best.wcnt >= 1);
  return best;
}

/* Does the access run where nothing else does: after the function joined its goroutines, or in a
 * function documented as not concurrent with the others? */
static bool quiet_phase(state *st, const access *a) {
  const go_ctx_func *o = outer_func(st, a->func);
  return after_wait(st, a->func, a->node) || (o && serial_contract(st, o));
}

static bool any_related_held(state *st, const mapv *m, const access *a) {
  (void)m;
  if (a->must.n)
    return true;
  for (size_t i = 0; i < st->locks->nmutexes && i < 256; i++)
    if (st->locks->mutexes[i].kind != GO_MUTEX_LOCAL && entry_mode(st, a->func, (uint32_t)i, 0) != MODE_NONE)
      return true;
  return false;
}

static const char *ctx_kind(const go_ctx_func *f) {
  return (f->flags & GO_CTX_HANDLER) ? "HTTP handler" : "gRPC method";
}

static const char *func_name(const go_ctx_func *f) {
  const go_ctx_func *o = f;
  return o->site->text && o->site->text[0] ? o->site->text : "func literal";
}

/* A write to a package map or a receiver's map with no lock and no guard: is it concurrent? */
static void check_unguarded_context(state *st, mapv *m, access *a) {
  if (!(flags_of(st, a->func) & GO_CTX_CONCURRENT) || any_related_held(st, m, a))
    return;
  const char *name = map_label(st, a);
  const go_ctx_func *f = func_at(st, a->func);
  if (m->kind == MAP_FIELD) {
    /* the receiver of a handler (through literals that are not goroutines) */
    const go_ctx_func *o = f;
    for (int depth = 0; o && o->site->fkind == GO_FUNC_LIT && !(o->flags & GO_CTX_GOROUTINE) && depth < 64; depth++)
      o = func_at(st, o->parent);
    if (!base_facts(st, a)->recv || !o || o->site->fkind != GO_FUNC_METHOD ||
        !(o->flags & (GO_CTX_HANDLER | GO_CTX_GRPC)))
      return;
    omen_diag *d = report(
        st, &rule_write, a,
        omen_arena_printf(st->a,
                          "map %s is written in %s %s without a lock: every %s shares the %s (%s), and %s", name,
                          (o->flags & GO_CTX_HANDLER) ? "an" : "a", ctx_kind(o),
                          (o->flags & GO_CTX_HANDLER) ? "request" : "call",
                          (o->flags & GO_CTX_HANDLER) ? "handler" : "service", text(st, a->file, a->base), crash));
    related(st, d, o->site->file, go_node_child(o->site->node, GO_F_NAME), "the method");
    return;
  }
  const roots *r = roots_of(st, a->func);
  if (r->handler >= 0) {
    const go_ctx_func *h = func_at(st, r->handler);
    const go_ctx_func *o = outer_func(st, a->func);
    bool self = h == f || (h->site->fkind == GO_FUNC_LIT && contains(h->site->node, a->node)) || o == h;
    omen_diag *d;
    if (self)
      d = report(st, &rule_write, a,
                 omen_arena_printf(st->a, "map %s is written in %s %s without a lock: %s run in parallel, and %s",
                                   name, (h->flags & GO_CTX_HANDLER) ? "an" : "a", ctx_kind(h),
                                   (h->flags & GO_CTX_HANDLER) ? "requests" : "calls", crash));
    else
      d = report(st, &rule_write, a,
                 omen_arena_printf(st->a,
                                   "map %s is written without a lock in code reached from %s %s: %s run in "
                                   "parallel, and %s",
                                   name, ctx_kind(h), func_name(h), (h->flags & GO_CTX_HANDLER) ? "requests" : "calls",
                                   crash));
    if (!self)
      related(st, d, h->site->file, h->site->fkind == GO_FUNC_LIT ? h->site->node : go_node_child(h->site->node, GO_F_NAME),
              omen_arena_printf(st->a, "the %s", ctx_kind(h)));
    return;
  }
  for (uint8_t k = 0; k < r->ngor; k++) {
    uint32_t gfile;
    TSNode start;
    TSNode loop = started_in_loop(st, r->gor[k], go_ts_null(), &gfile, &start);
    if (ts_node_is_null(loop) && go_starts(st, r->gor[k]) < 2)
      continue;
    if (ts_node_is_null(loop)) {
      const go_ctx_func *g = func_at(st, r->gor[k]);
      for (uint32_t e = 0; e < g->nin; e++) {
        const go_ctx_edge *ed = &st->ctx->edges[st->ctx->in_edges[g->in + e]];
        if (ed->kind == GO_EDGE_GO) {
          gfile = ed->file;
          start = ed->site;
          break;
        }
      }
    }
    omen_diag *d = report(st, &rule_write, a,
                          omen_arena_printf(st->a,
                                            "map %s is written without a lock by goroutines that run at the same "
                                            "time (started at line %u): %s",
                                            name, line_of(st, gfile, start), crash));
    related(st, d, gfile, start, ts_node_is_null(loop) ? "one of the goroutines is started here" : "started in a loop here");
    return;
  }
  if (r->ngor == 0)
    return;
  /* another goroutine or a handler uses it */
  for (size_t j = 0; j < m->n; j++) {
    access *b = &m->acc[j];
    if (b == a || b->unknown || file_of(st, b->file)->is_test || is_exempt(st, b))
      continue;
    const roots *rb = roots_of(st, b->func);
    bool other = rb->handler >= 0;
    for (uint8_t x = 0; x < rb->ngor && !other; x++) {
      other = true;
      for (uint8_t y = 0; y < r->ngor; y++)
        if (rb->gor[x] == r->gor[y])
          other = false;
    }
    if (!other)
      continue;
    const go_ctx_func *g = func_at(st, r->gor[0]);
    omen_diag *d = report(st, &rule_write, a,
                          omen_arena_printf(st->a,
                                            "map %s is written without a lock by goroutine %s while other "
                                            "goroutines %s it (line %u): %s",
                                            name, func_name(g), b->write ? "write" : "read",
                                            line_of(st, b->file, b->node), crash));
    related(st, d, b->file, b->node, "accessed from another goroutine here");
    return;
  }
}

static void check_shared(state *st, mapv *m) {
  bool writes = false;
  for (size_t i = 0; i < m->n && !writes; i++)
    writes = m->acc[i].write;
  if (!writes)
    return; /* every rule needs a write somewhere */
  /* worth the lock sets: an access in concurrent code, in exported API, or a write in a function that locks */
  bool maybe = false;
  for (size_t i = 0; i < m->n && !maybe; i++) {
    const access *a = &m->acc[i];
    const go_ctx_func *o = outer_func(st, a->func);
    const go_lock_summary *sum = a->write ? go_locks_summary(st->locks, a->func) : NULL;
    maybe = (flags_of(st, a->func) & GO_CTX_CONCURRENT) || (o && exported(o)) || (sum && sum->nacquires);
  }
  if (!maybe)
    return;
  for (size_t i = 0; i < m->n; i++) {
    access *a = &m->acc[i];
    lock_facts(st, a);
  }
  guard g = find_guard(st, m);
  for (size_t i = 0; i < m->n; i++) {
    access *a = &m->acc[i];
    const go_ctx_func *f = func_at(st, a->func);
    if ((!a->write && !g.ok) || !f || uncalled(f) || holds_write(&a->must) || a->unknown)
      continue;
    /* something to say: a guard, a read lock held, or concurrent code */
    if (!g.ok && !first_read(&a->must) && !(flags_of(st, a->func) & GO_CTX_CONCURRENT))
      continue;
    if (!reportable(a, st))
      continue;
    /* a struct map this function has just replaced with a new one is its own */
    if (m->kind == MAP_FIELD && !a->recv && made_here(st, a->file, a->operand, a->func, ts_node_start_byte(a->node)))
      continue;
    mode mg = g.ok ? access_mode(st, a, g.mutex) : MODE_NONE;
    if (mg == MODE_WRITE || (!a->write && mg == MODE_READ))
      continue;
    const char *name = map_label(st, a);
    if (a->write) {
      const held *rh = first_read(&a->must);
      if (mg == MODE_READ || rh) {
        uint32_t mx = rh ? rh->mutex : g.mutex;
        omen_diag *d = report(st, &rule_rlock, a,
                              omen_arena_printf(st->a,
                                                "map %s is written while only the read lock of %s is held: other "
                                                "readers run at the same time, and %s",
                                                name, mutex_label(st, m, a, mx), crash));
        if (rh) {
          related(st, d, rh->file, rh->acq, "read lock taken here");
          add_upgrade_fix(st, d, a, rh);
        }
        continue;
      }
      if (a->must.n)
        continue;
      if (g.ok) {
        if (!concurrent_evidence(st, m, a) || any_related_held(st, m, a) || quiet_phase(st, a))
          continue;
        const access *w = g.witness;
        omen_diag *d = report(st, &rule_write, a,
                              omen_arena_printf(st->a, "map %s is written without %s, which guards it at line %u: %s",
                                                name, mutex_label(st, m, a, g.mutex), line_of(st, w->file, w->node),
                                                crash));
        related(st, d, w->file, w->node, omen_arena_printf(st->a, "accessed with %s held here",
                                                           mutex_label(st, m, w, g.mutex)));
        add_lock_fix(st, d, m, a, g.mutex, false, true);
        continue;
      }
      check_unguarded_context(st, m, a);
      continue;
    }
    if (!g.ok || g.wcnt == 0 || !concurrent_evidence(st, m, a) || any_related_held(st, m, a) || quiet_phase(st, a))
      continue;
    const access *w = g.wwitness;
    omen_diag *d = report(
        st, &rule_read, a,
        omen_arena_printf(st->a,
                          "map %s is read without %s while it is written under that lock at line %u: a concurrent "
                          "write crashes the program (\"fatal error: concurrent map read and map write\")",
                          name, mutex_label(st, m, a, g.mutex), line_of(st, w->file, w->node)));
    related(st, d, w->file, w->node, "written with the lock held here");
    add_lock_fix(st, d, m, a, g.mutex, true, true);
  }
}

/* Worth looking at: a package with mutexes, handlers, gRPC methods or goroutines. */
static bool worth_it(const state *st) {
  if (st->locks->nops)
    return true;
  for (size_t i = 0; i < st->ctx->nfuncs; i++)
    if (st->ctx->funcs[i].flags & (GO_CTX_HANDLER | GO_CTX_GRPC | GO_CTX_GOROUTINE))
      return true;
  return false;
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  state st = {0};
  st.pass = pass;
  st.a = omen_pass_arena(pass);
  st.ins = omen_pass_result(pass, &omen_go_inspect);
  st.ty = omen_pass_result(pass, &omen_go_types);
  st.cfg = omen_pass_result(pass, &omen_go_cfg);
  st.ctx = omen_pass_result(pass, &omen_go_context);
  st.locks = omen_pass_result(pass, &omen_go_locks);
  if (!st.ins || !st.ty || !st.cfg || !st.ctx || !st.locks || !worth_it(&st))
    return OMEN_OK;
  for (size_t i = 0; i < st.ty->ndecls && !st.named_maps; i++)
    st.named_maps = st.ty->decls[i].kind == GO_DECL_TYPE && go_node_is(st.ty->decls[i].type, GO_NODE_MAP_TYPE);
  collect(&st);
  for (size_t i = 0; i < st.nmaps; i++) {
    if (st.maps[i]->kind == MAP_LOCAL)
      check_local(&st, st.maps[i]);
    else
      check_shared(&st, st.maps[i]);
  }
  return OMEN_OK;
}

const omen_analyzer omen_go_map_race = {
    .name = "go-map-race",
    .title = "map-race: maps shared between goroutines without their mutex",
    .doc = "Finds Go maps that goroutines can use at the same time without the mutex that guards them: "
           "writes without the lock that the map's other accesses hold (struct maps and package maps), "
           "package maps written by HTTP handlers, gRPC methods or concurrent goroutines, maps captured by "
           "goroutines started in a loop, writes under a read lock, and reads without the writers' lock. "
           "Lock sets come from go-locks (held on every path, and held by every caller in the package); "
           "concurrency from go-context.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, &omen_go_types, &omen_go_cfg, &omen_go_context,
                                               &omen_go_locks, NULL},
    .rules = (const omen_rule *const[]){&rule_write, &rule_rlock, &rule_read, NULL},
    .run = run,
};
