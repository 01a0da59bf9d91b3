/* c_map_race.c - the map-race family for C/C++: shared containers (std::map, std::vector, ...) and
 * C structs reached through globals (hash tables, lists, counters) changed without the mutex that
 * guards them elsewhere, and containers changed under a read lock. Built on c-threads (thread
 * context) and c-locks (lock sets at each access). */
#include <stdio.h>
#include <string.h>

#include "analyzers.h"
#include "c_locks.h"
#include "c_threads.h"

static const omen_rule rule_global = {
    .id = "map-race/shared-container-unguarded",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "A shared container or struct is changed on a thread without the mutex that guards it",
    .what =
        "Flags a change (insert, erase, `operator[]` on a map, push_back, clear, assignment; in C a "
        "write to a field of a struct reached through a global: a list head, a hash table's buckets "
        "or count) to a global or static std container or C struct, made in code that runs on a "
        "thread started in the same file (the thread's routine or a function it calls) without "
        "holding the mutex that the file's other accesses of the same object hold (in at least two "
        "functions, and more functions than those that do not), or that a GUARDED_BY annotation names. Not "
        "flagged: atomics, thread_local and const data, data only written before the threads "
        "start, helpers whose callers in the file hold the mutex or are only init code, functions "
        "named *_locked, and a struct field whose own accesses hold a different mutex.",
    .why = "Two threads changing a std::map, std::unordered_map or a linked structure at once corrupt "
           "its tree, buckets or links: crashes far from the cause, lost entries, or loops that never "
           "end. The other accesses take the mutex, so the data is meant to be guarded: this one was "
           "missed.",
    .example = "static std::map<int, Session> g_sessions;\n"
               "static std::mutex g_mu;\n"
               "void *reaper(void *) {\n"
               "  g_sessions.erase(expired());\n"
               "  return nullptr;\n"
               "}\n"
               "void add(int id, Session s) {\n"
               "  std::lock_guard<std::mutex> lock(g_mu);\n"
               "  g_sessions[id] = s;\n"
               "}",
    .instead = "void *reaper(void *) {\n"
               "  { std::lock_guard<std::mutex> lock(g_mu); g_sessions.erase(expired()); }\n"
               "  return nullptr;\n"
               "}",
    .fix = "Unsafe, C++ only: when the guarding mutex is a std::mutex named directly (a global or a "
           "member of the class) and the change is a single statement, wraps it in "
           "`{ std::lock_guard<std::mutex> lock(mu); ... }`. Unsafe because the lock may need to cover "
           "more (a find followed by this erase) or the code may already be called with it held. No fix "
           "in C.",
    .lang = "c/c++",
};

static const omen_rule rule_member = {
    .id = "map-race/member-container-unguarded",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "A member container is used without the class's mutex that its other methods hold",
    .what = "Flags a change (insert, erase, `operator[]` on a map, push_back, clear, assignment) to a "
            "std container member of a class in a method that does not hold the class's mutex, when "
            "the class's other methods access that member holding it (in at least two methods, and in "
            "more methods than those that do not), or when a GUARDED_BY annotation names it; also a read "
            "(find, count, at, iteration through begin) without the mutex when a method changes the "
            "container holding it (size() and empty() are taken as hints and not flagged). No thread "
            "start needs "
            "to be seen: the class locks for this member, so it expects concurrent calls. Constructors "
            "and destructors, lambdas, methods named *Locked / *_locked and methods that the file calls "
            "with the mutex held or only from constructors are not flagged.",
    .why = "A method that changes the container without the lock runs concurrently with the locked "
           "methods: the container's tree, buckets or buffer is corrupted (crashes, lost entries, "
           "iterators into freed memory) only under load.",
    .example = "class Registry {\n"
               "  std::mutex mu_;\n"
               "  std::unordered_map<std::string, Handler> handlers_;\n"
               " public:\n"
               "  void Add(const std::string &n, Handler h) {\n"
               "    std::lock_guard<std::mutex> lock(mu_);\n"
               "    handlers_[n] = h;\n"
               "  }\n"
               "  void Remove(const std::string &n) { handlers_.erase(n); }\n"
               "};",
    .instead = "  void Remove(const std::string &n) {\n"
               "    std::lock_guard<std::mutex> lock(mu_);\n"
               "    handlers_.erase(n);\n"
               "  }",
    .fix = "Unsafe: as for `map-race/shared-container-unguarded`, wraps the single statement in "
           "`{ std::lock_guard<std::mutex> lock(mu_); ... }` when mu_ is a std::mutex.",
    .lang = "c++",
};

static const omen_rule rule_rdlock = {
    .id = "map-race/container-write-under-read-lock",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A shared container or struct is changed while holding only a read lock",
    .what = "Flags a change to a global or member std container (insert, erase, `operator[]` on a map, "
            "push_back, clear, assignment) or to a field of a struct reached through a global, made "
            "while the only mutex held is a read-write lock taken for reading (pthread_rwlock_rdlock, "
            "std::shared_lock, lock_shared).",
    .why = "Any number of readers hold a read lock at once: two of them changing the container at the "
           "same time corrupt it, and every reader iterating it meanwhile can crash.",
    .example = "pthread_rwlock_rdlock(&cache_lock);\n"
               "struct entry *e = lookup(key);\n"
               "if (!e)\n"
               "  cache.count++; /* a miss: insert */\n"
               "pthread_rwlock_unlock(&cache_lock);",
    .instead = "Take the write lock (pthread_rwlock_wrlock, std::unique_lock) for the change, or look up "
               "under the read lock and insert after re-checking under the write lock.",
    .fix = "None: upgrading needs a re-check after the read lock is dropped.",
    .lang = "c/c++",
};

static const omen_rule *const rules[] = {&rule_global, &rule_member, &rule_rdlock, NULL};
static const omen_analyzer *const requires[] = {&omen_c_inspect, &omen_c_threads, &omen_c_locks, NULL};

/* ---- shared objects and their accesses ---- */

#define MAX_OBJS 2048
#define MAX_ACC 32768
#define MAX_KEYS 8

typedef enum { KIND_CONTAINER, KIND_STRUCT } obj_kind;

typedef struct obj {
  CXCursor decl; /* VarDecl (global) or FieldDecl (member) */
  const char *name;
  bool member;
  obj_kind kind;
  bool skip;            /* const, atomic, thread_local, a mutex... */
  uint32_t first, last; /* accesses, chained through acc.next */
} obj;

typedef struct acc {
  uint32_t obj;
  uint32_t func;
  uint32_t start, end;
  uint32_t call;         /* the container method call, or OMEN_C_NONE */
  uint32_t fstart, flen; /* C structs: the first field named after the global (`g.f`, `g->f`), or 0, 0 */
  bool write;
  uint32_t next;
} acc;

typedef struct ctx {
  omen_pass *pass;
  const omen_c_index *in;
  const omen_c_thread_info *th;
  const omen_c_lockinfo *lk;
  const omen_file *f;
  obj *objs;
  uint32_t nobjs;
  acc *accs;
  uint32_t naccs;
  uint32_t *first_start; /* per function: offset of its first thread start, or OMEN_C_NONE */
  uint32_t *slot;        /* hash of decls -> obj index + 1 */
  uint32_t nslot;
} ctx;

static bool name_in(const char *n, const char *const *list) {
  for (; *list; list++)
    if (strcmp(n, *list) == 0)
      return true;
  return false;
}

static const char *const container_names[] = {
    "map",    "multimap",       "unordered_map", "unordered_multimap",
    "set",    "multiset",       "unordered_set", "unordered_multiset",
    "vector", "deque",          "list",          "forward_list",
    "queue",  "priority_queue", "stack",         "basic_string",
    NULL};
static const char *const map_names[] = {"map", "unordered_map", NULL};

static const char *const mutators[] = {"insert",
                                       "emplace",
                                       "emplace_hint",
                                       "try_emplace",
                                       "insert_or_assign",
                                       "erase",
                                       "clear",
                                       "swap",
                                       "merge",
                                       "extract",
                                       "rehash",
                                       "reserve",
                                       "push_back",
                                       "push_front",
                                       "pop_back",
                                       "pop_front",
                                       "emplace_back",
                                       "emplace_front",
                                       "push",
                                       "pop",
                                       "resize",
                                       "assign",
                                       "append",
                                       "shrink_to_fit",
                                       "splice",
                                       "remove",
                                       "remove_if",
                                       "unique",
                                       "sort",
                                       "reverse",
                                       "replace",
                                       "operator=",
                                       "operator+=",
                                       NULL};

/* The std container class of a type (references and cv stripped), or a null cursor. */
static CXCursor std_container(CXType t, bool *maplike) {
  t = clang_getCanonicalType(t);
  if (t.kind == CXType_LValueReference || t.kind == CXType_RValueReference)
    t = clang_getCanonicalType(clang_getPointeeType(t));
  if (t.kind != CXType_Record)
    return clang_getNullCursor();
  CXCursor d = clang_getTypeDeclaration(t);
  CXString s = clang_getCursorSpelling(d);
  const char *n = clang_getCString(s);
  bool ok = n && name_in(n, container_names) && omen_c_in_std(d);
  if (maplike)
    *maplike = ok && name_in(n, map_names);
  clang_disposeString(s);
  return ok ? d : clang_getNullCursor();
}

static bool type_skipped(CXType t) {
  if (clang_isConstQualifiedType(t))
    return true;
  CXType c = clang_getCanonicalType(t);
  if (c.kind == CXType_Atomic || clang_isConstQualifiedType(c))
    return true;
  CXString s = clang_getTypeSpelling(c);
  const char *n = clang_getCString(s);
  bool bad = n && (strstr(n, "atomic") || strstr(n, "pthread_") || strstr(n, "mutex") || strstr(n, "mtx_") ||
                   strstr(n, "cnd_") || strstr(n, "condition_variable") || strstr(n, "once_flag") ||
                   strstr(n, "FILE") || strstr(n, "_IO_"));
  clang_disposeString(s);
  return bad;
}

/* A C struct reached through a global: a record, a pointer to one, or an array of them. */
static bool struct_like(CXType t) {
  t = clang_getCanonicalType(t);
  if (t.kind == CXType_Pointer)
    t = clang_getCanonicalType(clang_getPointeeType(t));
  else if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
    t = clang_getCanonicalType(clang_getArrayElementType(t));
  return t.kind == CXType_Record;
}

static bool is_global_var(CXCursor d) {
  if (clang_getCursorKind(d) != CXCursor_VarDecl)
    return false;
  if (clang_getCursorTLSKind(d) != CXTLS_None)
    return false;
  enum CX_StorageClass sc = clang_Cursor_getStorageClass(d);
  enum CXCursorKind pk = clang_getCursorKind(clang_getCursorSemanticParent(d));
  return pk == CXCursor_TranslationUnit || pk == CXCursor_Namespace || pk == CXCursor_LinkageSpec ||
         pk == CXCursor_StructDecl || pk == CXCursor_ClassDecl || sc == CX_SC_Static || sc == CX_SC_Extern;
}

/* The object for decl, created on first use; OMEN_C_NONE when it is not a shared object. */
static uint32_t obj_of(ctx *c, CXCursor decl, bool member) {
  unsigned h = clang_hashCursor(decl);
  for (uint32_t i = 0; i < c->nslot; i++) {
    uint32_t *s = &c->slot[(h + i) & (c->nslot - 1)];
    if (*s == 0) {
      if (c->nobjs == MAX_OBJS)
        return OMEN_C_NONE;
      obj *o = &c->objs[c->nobjs];
      memset(o, 0, sizeof *o);
      o->decl = decl;
      o->member = member;
      o->first = o->last = OMEN_C_NONE;
      CXType t = clang_getCursorType(decl);
      if (!clang_Cursor_isNull(std_container(t, NULL)))
        o->kind = KIND_CONTAINER;
      else if (!member && struct_like(t))
        o->kind = KIND_STRUCT;
      else
        o->skip = true;
      if (!o->skip)
        o->skip = type_skipped(t) || (!member && !is_global_var(decl)) ||
                  clang_Location_isInSystemHeader(clang_getCursorLocation(decl));
      CXString n = clang_getCursorSpelling(decl);
      o->name = omen_arena_strdup(omen_pass_arena(c->pass), clang_getCString(n) ? clang_getCString(n) : "");
      clang_disposeString(n);
      *s = ++c->nobjs;
      return o->skip ? OMEN_C_NONE : c->nobjs - 1;
    }
    if (clang_equalCursors(c->objs[*s - 1].decl, decl))
      return c->objs[*s - 1].skip ? OMEN_C_NONE : *s - 1;
  }
  return OMEN_C_NONE;
}

static void add_acc(ctx *c, uint32_t o, uint32_t func, uint32_t start, uint32_t end, uint32_t call,
                    bool write) {
  if (c->naccs == MAX_ACC)
    return;
  acc *a = &c->accs[c->naccs];
  *a = (acc){o, func, start, end, call, 0, 0, write, OMEN_C_NONE};
  if (c->objs[o].last == OMEN_C_NONE)
    c->objs[o].first = c->naccs;
  else
    c->accs[c->objs[o].last].next = c->naccs;
  c->objs[o].last = c->naccs++;
}

/* The container object of a method or member-operator call on a std container: its expression. */
static CXCursor call_object(const omen_c_call *call) {
  enum CXCursorKind ck = clang_getCursorKind(call->callee);
  if (ck != CXCursor_CXXMethod)
    return clang_getNullCursor();
  if (strncmp(call->name, "operator", 8) == 0 && call->nargs > 0) {
    CXCursor o = omen_c_strip(call->args[0]);
    if (clang_getCursorKind(o) == CXCursor_DeclRefExpr || clang_getCursorKind(o) == CXCursor_MemberRefExpr)
      return o;
    CXCursor m = omen_c_member_object(call->cursor);
    return m;
  }
  return omen_c_member_object(call->cursor);
}

/* Reads whose result is a hint anyway; not reported unguarded. */
static const char *const benign_reads[] = {"size",         "empty",       "capacity", "max_size",
                                           "bucket_count", "load_factor", "length",   NULL};

static bool is_mutation(const omen_c_call *call, bool maplike) {
  if (strcmp(call->name, "operator[]") == 0)
    return maplike;
  return name_in(call->name, mutators);
}

/* Container accesses through method calls: globals and members of *this. */
static void collect_calls(ctx *c) {
  for (uint32_t ci = 0; ci < c->in->ncalls; ci++) {
    const omen_c_call *call = &c->in->calls[ci];
    if (call->func == OMEN_C_NONE || !call->direct)
      continue;
    CXCursor o = call_object(call);
    if (clang_Cursor_isNull(o))
      continue;
    bool maplike = false;
    if (clang_Cursor_isNull(std_container(clang_getCursorType(o), &maplike)))
      continue;
    enum CXCursorKind ok = clang_getCursorKind(o);
    CXCursor d = clang_getCursorReferenced(o);
    uint32_t oi = OMEN_C_NONE;
    if (ok == CXCursor_DeclRefExpr && is_global_var(d)) {
      oi = obj_of(c, d, false);
    } else if (ok == CXCursor_MemberRefExpr && clang_getCursorKind(d) == CXCursor_FieldDecl) {
      CXCursor base = omen_c_strip(omen_c_expr_child(o, 0));
      if (clang_Cursor_isNull(base) || clang_getCursorKind(base) == CXCursor_CXXThisExpr)
        oi = obj_of(c, d, true);
    } else if (ok == CXCursor_MemberRefExpr && is_global_var(d)) {
      oi = obj_of(c, d, false); /* a static data member */
    }
    if (oi == OMEN_C_NONE)
      continue;
    uint32_t s, e;
    if (!omen_c_range(c->pass, o, &s, &e))
      continue;
    add_acc(c, oi, call->func, s, e, ci, is_mutation(call, maplike));
  }
}

static bool ident_ch(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* Is the reference at [s, e) the target of a write: `g.f = x`, `g->a.b++`, `g[i].n += 1`,
 * `++g.n`, `g = p` (a pointer global, a struct copy)? Reads the text around it. *field is set when a
 * field is written (not the global itself). */
static bool ref_written(const omen_file *f, uint32_t s, uint32_t e, bool *field) {
  const char *t = f->text;
  uint32_t n = (uint32_t)f->len, i = e;
  *field = false;
  for (int steps = 0; steps < 16; steps++) {
    while (i < n && (t[i] == ' ' || t[i] == '\t'))
      i++;
    if (i + 1 < n && t[i] == '-' && t[i + 1] == '>') {
      i += 2;
    } else if (i < n && t[i] == '.') {
      i++;
    } else if (i < n && t[i] == '[') {
      int depth = 0;
      for (; i < n; i++) {
        if (t[i] == '[')
          depth++;
        else if (t[i] == ']' && --depth == 0)
          break;
        else if (t[i] == ';' || t[i] == '{' || t[i] == '}')
          return false;
      }
      if (i >= n)
        return false;
      i++;
      *field = true;
      continue;
    } else {
      break;
    }
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n'))
      i++;
    if (i >= n || !ident_ch(t[i]))
      return false;
    while (i < n && ident_ch(t[i]))
      i++;
    *field = true;
  }
  while (i < n && (t[i] == ' ' || t[i] == '\t'))
    i++;
  if (i + 1 < n && ((t[i] == '+' && t[i + 1] == '+') || (t[i] == '-' && t[i + 1] == '-')))
    return true;
  if (i < n && t[i] == '=' && !(i + 1 < n && t[i + 1] == '='))
    return true;
  if (i + 1 < n && t[i + 1] == '=' && strchr("+-*/%&|^", t[i]))
    return true;
  if (i + 2 < n && t[i + 2] == '=' && ((t[i] == '<' && t[i + 1] == '<') || (t[i] == '>' && t[i + 1] == '>')))
    return true;
  /* prefix ++ / -- before the reference */
  uint32_t b = s;
  while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '('))
    b--;
  if (b >= 2 && ((t[b - 1] == '+' && t[b - 2] == '+') || (t[b - 1] == '-' && t[b - 2] == '-')))
    return true;
  return false;
}

/* Does a C function's name say it changes the container it is given (list_insert, hmap_remove,
 * queue_push, ListAppend, ...)? Compares the words of the name (split at '_' and at lower-to-upper
 * case changes) with change verbs. */
static bool mutating_api(const char *name) {
  static const char *const verbs[] = {"insert",  "remove",  "push",  "pop",    "append", "prepend", "enqueue",
                                      "dequeue", "erase",   "clear", "splice", "add",    "del",     "delete",
                                      "put",     "replace", "swap",  "reset",  "unlink", "link",    NULL};
  char word[32];
  size_t wl = 0;
  for (size_t i = 0;; i++) {
    char ch = name[i];
    bool boundary = ch == '\0' || ch == '_' ||
                    (ch >= 'A' && ch <= 'Z' && i > 0 && name[i - 1] >= 'a' && name[i - 1] <= 'z');
    if (boundary && wl > 0) {
      word[wl] = '\0';
      if (name_in(word, verbs))
        return true;
      wl = 0;
    }
    if (ch == '\0')
      return false;
    if (ch != '_' && wl + 1 < sizeof word)
      word[wl++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  }
}

/* Is offset off inside a lock operation's call (`pthread_mutex_lock(&g_tab.lock)`)? */
static bool in_lock_call(const omen_c_lockinfo *lk, uint32_t off) {
  uint32_t lo = 0, hi = lk->nops;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (lk->ops[mid].start <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (uint32_t k = lo; k > 0 && lo - k < 4; k--)
    if (lk->ops[k - 1].start <= off && off < lk->ops[k - 1].end)
      return true;
  return false;
}

/* Accesses of C structs reached through globals (and container globals used other than by a method
 * call, as reads). */
static void collect_refs(ctx *c) {
  for (uint32_t ri = 0; ri < c->in->nrefs; ri++) {
    const omen_c_ref *r = &c->in->refs[ri];
    if (r->func == OMEN_C_NONE || (r->flags & OMEN_C_REF_CALLEE) ||
        clang_getCursorKind(r->decl) != CXCursor_VarDecl)
      continue;
    uint32_t oi = obj_of(c, r->decl, false);
    if (oi == OMEN_C_NONE || c->objs[oi].kind != KIND_STRUCT)
      continue;
    if (in_lock_call(c->lk, r->start))
      continue;
    bool field = false;
    bool w = ref_written(c->f, r->start, r->end, &field);
    if (!w && (r->flags & OMEN_C_REF_ARG) && r->call != OMEN_C_NONE) {
      /* handed to a container API that changes it: hmap_insert(&g_map, ...), list_push(g_list, ...) */
      bool ptr = clang_getCanonicalType(clang_getCursorType(r->decl)).kind == CXType_Pointer;
      if ((r->flags & OMEN_C_REF_ADDR) || ptr)
        w = mutating_api(c->in->calls[r->call].name);
    }
    add_acc(c, oi, r->func, r->start, r->end, OMEN_C_NONE, w);
    /* the first field: `g.f`, `g->f`, `g[i].f` are told apart from `g.h` for per-field guards */
    const char *t = c->f->text;
    uint32_t i = r->end, n = c->f->len;
    while (i < n && t[i] == '[') {
      while (i < n && t[i] != ']' && t[i] != ';')
        i++;
      i++;
    }
    if (i + 1 < n && (t[i] == '.' || (t[i] == '-' && t[i + 1] == '>'))) {
      i += t[i] == '.' ? 1 : 2;
      uint32_t fs = i;
      while (i < n && ident_ch(t[i]))
        i++;
      if (i > fs && c->naccs > 0 && c->accs[c->naccs - 1].start == r->start) {
        c->accs[c->naccs - 1].fstart = fs;
        c->accs[c->naccs - 1].flen = i - fs;
      }
    }
  }
}

/* ---- guards ---- */

static omen_c_lockset acc_locks(const ctx *c, const acc *a, bool may) {
  if (a->call != OMEN_C_NONE)
    return omen_c_locks_at_call(c->lk, a->call, may);
  return omen_c_locks_at(c->lk, a->start, may);
}

static bool holds_key(const ctx *c, omen_c_lockset s, const char *ckey) {
  for (uint32_t i = 0; i < s.n; i++) {
    const char *k = c->lk->mutexes[s.mutex[i]].ckey;
    if (k && strcmp(k, ckey) == 0)
      return true;
  }
  return false;
}

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Functions where an unguarded access is expected or cannot be judged. */
static bool func_excluded(const ctx *c, uint32_t f) {
  const omen_c_func *fn = &c->in->funcs[f];
  if (fn->incomplete || (c->lk->funcs && c->lk->funcs[f].uncertain))
    return true;
  enum CXCursorKind k = clang_getCursorKind(fn->cursor);
  if (k == CXCursor_Constructor || k == CXCursor_Destructor)
    return true;
  const char *n = fn->name;
  return ends_with(n, "Locked") || ends_with(n, "_locked") || ends_with(n, "NoLock") ||
         ends_with(n, "_nolock") || ends_with(n, "Unlocked") || ends_with(n, "_unlocked") ||
         ends_with(n, "_nl") || strcmp(n, "main") == 0 || strstr(n, "init") || strstr(n, "Init") ||
         strstr(n, "fini") || strstr(n, "cleanup") || strstr(n, "destroy") || strstr(n, "free");
}

/* Is the access excluded: in an excluded function, or before the first thread start of the function
 * that starts the threads (data set up before sharing)? */
static bool acc_excluded(const ctx *c, const acc *a) {
  return func_excluded(c, a->func) ||
         (c->first_start[a->func] != OMEN_C_NONE && a->start < c->first_start[a->func]);
}

/* Does the file call function f anywhere with mutex ckey held (on some path)? */
static bool called_with(const ctx *c, uint32_t f, const char *ckey) {
  if (!c->lk->callee)
    return false;
  for (uint32_t ci = 0; ci < c->in->ncalls; ci++)
    if (c->lk->callee[ci] == f && holds_key(c, omen_c_locks_at_call(c->lk, ci, true), ckey))
      return true;
  return false;
}

/* Is function f called in the file, and only from functions where sharing has not begun or ended
 * (constructors, destructors, init and cleanup functions)? */
static bool only_called_from_setup(const ctx *c, uint32_t f) {
  if (!c->lk->callee)
    return false;
  bool called = false;
  for (uint32_t ci = 0; ci < c->in->ncalls; ci++) {
    if (c->lk->callee[ci] != f)
      continue;
    uint32_t caller = c->in->calls[ci].func;
    if (caller == OMEN_C_NONE || caller == f || !func_excluded(c, caller) ||
        (c->lk->funcs && c->lk->funcs[caller].uncertain) || c->in->funcs[caller].incomplete)
      return false;
    called = true;
  }
  return called;
}

/* The GUARDED_BY mutex of an object, as a ckey ("Class::mu_", "g_mu"), or NULL. */
static const char *annotated_guard(ctx *c, const obj *o) {
  char buf[128];
  if (!omen_c_locks_guarded_by(c->pass, o->decl, buf, sizeof buf))
    return NULL;
  for (uint32_t m = 0; m < c->lk->nmutexes; m++) {
    const omen_c_mutex *mu = &c->lk->mutexes[m];
    if (!mu->ckey)
      continue;
    if (strcmp(mu->key, buf) == 0)
      return mu->ckey;
    if (strncmp(mu->key, "this->", 6) == 0 && strcmp(mu->key + 6, buf) == 0)
      return mu->ckey;
  }
  return NULL;
}

/* The mutex held by accesses of the object in the most functions: its ckey, the number of functions
 * accessing it holding it (*guarded), the number of functions with an access not holding it
 * (*unguarded), and one guarded access (*example). */
static const char *majority_guard(const ctx *c, const obj *o, uint32_t *guarded, uint32_t *unguarded,
                                  uint32_t *example) {
  const char *keys[MAX_KEYS];
  uint32_t counts[MAX_KEYS], ex[MAX_KEYS], lastf[MAX_KEYS], nk = 0;
  for (uint32_t ai = o->first; ai != OMEN_C_NONE; ai = c->accs[ai].next) {
    const acc *a = &c->accs[ai];
    if (acc_excluded(c, a))
      continue;
    omen_c_lockset s = acc_locks(c, a, false);
    for (uint32_t i = 0; i < s.n; i++) {
      const char *k = c->lk->mutexes[s.mutex[i]].ckey;
      if (!k)
        continue;
      uint32_t j = 0;
      while (j < nk && strcmp(keys[j], k) != 0)
        j++;
      if (j == nk) {
        if (nk == MAX_KEYS)
          continue;
        keys[nk] = k;
        counts[nk] = 0;
        ex[nk] = ai;
        lastf[nk] = OMEN_C_NONE;
        nk++;
      }
      if (lastf[j] != a->func)
        counts[j]++;
      lastf[j] = a->func;
    }
  }
  uint32_t best = OMEN_C_NONE;
  for (uint32_t j = 0; j < nk; j++)
    if (best == OMEN_C_NONE || counts[j] > counts[best])
      best = j;
  if (best == OMEN_C_NONE)
    return NULL;
  uint32_t un = 0, last = OMEN_C_NONE;
  for (uint32_t ai = o->first; ai != OMEN_C_NONE; ai = c->accs[ai].next) {
    const acc *a = &c->accs[ai];
    if (acc_excluded(c, a) || a->func == last)
      continue;
    if (!holds_key(c, acc_locks(c, a, true), keys[best])) {
      un++;
      last = a->func;
    }
  }
  *guarded = counts[best];
  *unguarded = un;
  *example = ex[best];
  return keys[best];
}

/* ---- reports ---- */

/* The mutex entry (any function's) with this ckey, preferring one locked by a std::lock_guard-able op. */
static uint32_t mutex_by_ckey(const ctx *c, const char *ckey) {
  for (uint32_t m = 0; m < c->lk->nmutexes; m++)
    if (c->lk->mutexes[m].ckey && strcmp(c->lk->mutexes[m].ckey, ckey) == 0)
      return m;
  return OMEN_C_NONE;
}

/* Is the mutex's declared type exactly std::mutex? Read from an op's argument or object. */
static bool plain_std_mutex(const ctx *c, const char *ckey) {
  for (uint32_t k = 0; k < c->lk->nops; k++) {
    const omen_c_mutex *mu = &c->lk->mutexes[c->lk->ops[k].mutex];
    if (!mu->ckey || strcmp(mu->ckey, ckey) != 0)
      continue;
    if (mu->api != OMEN_C_MUTEX_STD || mu->recursive || mu->shared_capable)
      return false;
    const omen_c_call *call = &c->in->calls[c->lk->ops[k].call];
    CXCursor e = c->lk->ops[k].kind == OMEN_C_OP_GUARD && call->nargs > 0
                     ? call->args[0]
                     : omen_c_member_object(call->cursor);
    if (clang_Cursor_isNull(e))
      continue;
    CXType t = clang_getCanonicalType(clang_getCursorType(e));
    CXCursor d = clang_getTypeDeclaration(t);
    return t.kind == CXType_Record && omen_c_name_is(d, "mutex") && omen_c_in_std(d);
  }
  return false;
}

static void add_fix(ctx *c, omen_diag *d, const acc *a, const char *ckey, bool member) {
  if (a->call == OMEN_C_NONE || !plain_std_mutex(c, ckey))
    return;
  const omen_c_call *call = &c->in->calls[a->call];
  if (call->in_macro || call->place != OMEN_C_PLACE_EXPR || call->stmt.kind == CXCursor_InvalidCode ||
      call->stmt.kind == CXCursor_DeclStmt || call->stmt.kind == CXCursor_ReturnStmt ||
      !clang_isExpression(call->stmt.kind))
    return;
  uint32_t m = mutex_by_ckey(c, ckey);
  if (m == OMEN_C_NONE)
    return;
  const char *key = c->lk->mutexes[m].key;
  if (member) {
    if (strncmp(key, "this->", 6) != 0)
      return;
    key += 6;
  } else if (c->lk->mutexes[m].root != OMEN_C_ROOT_GLOBAL) {
    return;
  }
  for (const char *q = key; *q; q++)
    if (!ident_ch(*q) && *q != ':')
      return;
  const char *t = c->f->text;
  if (call->stmt.end == 0 || t[call->stmt.end - 1] != ';')
    return;
  /* a const method cannot lock a non-mutable member mutex; a `lock` used by the statement would be shadowed
   */
  if (clang_CXXMethod_isConst(c->in->funcs[call->func].cursor))
    return;
  const char *gname = "lock";
  for (uint32_t q = call->stmt.start; q + 4 <= call->stmt.end; q++)
    if (memcmp(t + q, "lock", 4) == 0 && (q == 0 || !ident_ch(t[q - 1])) &&
        (q + 4 >= c->f->len || !ident_ch(t[q + 4])))
      gname = "held";
  char buf[160];
  snprintf(buf, sizeof buf, "{ std::lock_guard<std::mutex> %s(%s); ", gname, key);
  omen_fix *fx = omen_diag_add_fix(c->pass, d, c->f, OMEN_FIX_UNSAFE, "hold %s for this change", key);
  omen_fix_add_edit(c->pass, fx, call->stmt.start, call->stmt.start, buf);
  omen_fix_add_edit(c->pass, fx, call->stmt.end, call->stmt.end, " }");
}

static const char *consequence(const obj *o) {
  return o->kind == KIND_CONTAINER
             ? "concurrent changes corrupt the container (its tree, buckets or buffer): "
               "crashes or lost entries"
             : "concurrent writes corrupt its links and counts: lost updates, broken "
               "lists, crashes";
}

/* The lock op that acquired the i-th mutex of set s held at access a: the set's own record, else the
 * nearest acquiring op of that mutex earlier in a's function; OMEN_C_NONE when it was acquired
 * through a call or held on entry. */
static uint32_t acquired_by(const ctx *c, omen_c_lockset s, uint32_t i, const acc *a) {
  if (s.by[i] != OMEN_C_NONE)
    return s.by[i];
  if (s.by_call[i] != OMEN_C_NONE)
    return OMEN_C_NONE;
  for (uint32_t k = c->lk->nops; k > 0; k--) {
    const omen_c_lockop *op = &c->lk->ops[k - 1];
    if (op->start >= a->start || op->func != a->func || op->mutex != s.mutex[i])
      continue;
    if (op->kind == OMEN_C_OP_LOCK || op->kind == OMEN_C_OP_TRYLOCK || op->kind == OMEN_C_OP_GUARD)
      return k - 1;
  }
  return OMEN_C_NONE;
}

/* A C struct's field written at a may have its own mutex: some access of the same field holds
 * another mutex and none holds g (`shared.data` under shared.lock, `shared.other` under g_lock). */
static bool field_guarded_otherwise(const ctx *c, const obj *o, const acc *a, const char *g) {
  if (o->kind != KIND_STRUCT || a->flen == 0)
    return false;
  bool other = false;
  for (uint32_t bi = o->first; bi != OMEN_C_NONE; bi = c->accs[bi].next) {
    const acc *b = &c->accs[bi];
    if (b->flen != a->flen || memcmp(c->f->text + b->fstart, c->f->text + a->fstart, a->flen) != 0)
      continue;
    omen_c_lockset s = acc_locks(c, b, false);
    if (holds_key(c, s, g))
      return false;
    for (uint32_t i = 0; i < s.n; i++)
      if (c->lk->mutexes[s.mutex[i]].ckey)
        other = true;
  }
  return other;
}

static void check_unguarded(ctx *c, uint32_t oi) {
  const obj *o = &c->objs[oi];
  const char *g = annotated_guard(c, o);
  uint32_t guarded = 0, unguarded = 0, example = OMEN_C_NONE;
  const char *mg = majority_guard(c, o, &guarded, &unguarded, &example);
  if (!g) {
    if (!mg || guarded < 2 || guarded <= unguarded)
      return;
    g = mg;
  } else if (mg && strcmp(mg, g) != 0) {
    example = OMEN_C_NONE;
  }
  if (o->member) {
    /* the guard must be a member of the same class (c-locks keys members as "Class::field") */
    CXString ts = clang_getTypeSpelling(clang_getCursorType(clang_getCursorSemanticParent(o->decl)));
    const char *tn = clang_getCString(ts);
    size_t tl = tn ? strlen(tn) : 0;
    bool same = tl > 0 && strncmp(g, tn, tl) == 0 && strncmp(g + tl, "::", 2) == 0;
    clang_disposeString(ts);
    if (!same)
      return;
  }
  /* members: an unguarded read is reported too when a method changes the container holding the mutex */
  bool guarded_write = false;
  for (uint32_t bi = o->first; o->member && bi != OMEN_C_NONE && !guarded_write; bi = c->accs[bi].next) {
    const acc *b = &c->accs[bi];
    guarded_write = b->write && !acc_excluded(c, b) && holds_key(c, acc_locks(c, b, false), g);
  }
  uint32_t reported = 0, last_func = OMEN_C_NONE;
  for (uint32_t ai = o->first; ai != OMEN_C_NONE && reported < 8; ai = c->accs[ai].next) {
    const acc *a = &c->accs[ai];
    if (acc_excluded(c, a) || a->func == last_func)
      continue;
    if (!a->write && (!o->member || !guarded_write || a->call == OMEN_C_NONE ||
                      name_in(c->in->calls[a->call].name, benign_reads)))
      continue;
    if (c->in->funcs[a->func].parent != OMEN_C_NONE && o->member)
      continue; /* a lambda: may run under the caller's lock */
    omen_c_lockset may = acc_locks(c, a, true);
    if (may.n > 0 && holds_key(c, may, g))
      continue;
    omen_c_lockset must = acc_locks(c, a, false);
    bool shared_held = false;
    for (uint32_t i = 0; i < must.n; i++) {
      uint32_t by = acquired_by(c, must, i, a);
      if (by != OMEN_C_NONE && c->lk->ops[by].shared)
        shared_held = true;
    }
    if (shared_held)
      continue; /* the read-lock rule's */
    /* the guarded access elsewhere must be in another function */
    uint32_t other = OMEN_C_NONE;
    for (uint32_t bi = o->first; bi != OMEN_C_NONE; bi = c->accs[bi].next) {
      const acc *b = &c->accs[bi];
      if (b->func != a->func && holds_key(c, acc_locks(c, b, false), g)) {
        other = bi;
        break;
      }
    }
    if (other == OMEN_C_NONE && example == OMEN_C_NONE)
      continue;
    if (other == OMEN_C_NONE)
      other = example;
    if (called_with(c, a->func, g) || field_guarded_otherwise(c, o, a, g) ||
        only_called_from_setup(c, a->func))
      continue;
    uint32_t s = OMEN_C_NONE;
    if (!o->member) {
      if (!c->th || !omen_c_threads_in_context(c->th, a->func, &s))
        continue;
    }
    const char *fname = c->in->funcs[a->func].name;
    omen_diag *d;
    if (o->member && !a->write)
      d = omen_pass_report(c->pass, &rule_member, c->f, a->start, a->end,
                           "%s is read in %s without %s, while other methods change it holding it: an insert "
                           "or erase running at the same time invalidates what this reads (crashes, garbage "
                           "values)",
                           o->name, fname[0] ? fname : "a lambda", g);
    else if (o->member)
      d = omen_pass_report(c->pass, &rule_member, c->f, a->start, a->end,
                           "%s is changed in %s without %s, which the class's other accesses of it hold: "
                           "%s",
                           o->name, fname[0] ? fname : "a lambda", g, consequence(o));
    else
      d = omen_pass_report(c->pass, &rule_global, c->f, a->start, a->end,
                           "%s is changed on a thread without %s, which its other accesses hold: %s", o->name,
                           g, consequence(o));
    if (!d)
      continue;
    const acc *b = &c->accs[other];
    omen_diag_add_related(c->pass, d, c->f, b->start, b->end, "%s is accessed holding %s here", o->name, g);
    if (s != OMEN_C_NONE) {
      const omen_c_call *sc = &c->in->calls[c->th->starts[s].call];
      omen_diag_add_related(c->pass, d, c->f, sc->start, sc->end, "the thread that runs %s is started here",
                            fname[0] ? fname : "this lambda");
    }
    add_fix(c, d, a, g, o->member);
    reported++;
    last_func = a->func;
  }
}

static void check_rdlock(ctx *c, uint32_t oi) {
  const obj *o = &c->objs[oi];
  for (uint32_t ai = o->first; ai != OMEN_C_NONE; ai = c->accs[ai].next) {
    const acc *a = &c->accs[ai];
    if (!a->write || func_excluded(c, a->func))
      continue;
    omen_c_lockset must = acc_locks(c, a, false);
    uint32_t shared = OMEN_C_NONE;
    bool exclusive = false;
    for (uint32_t i = 0; i < must.n; i++) {
      uint32_t by = acquired_by(c, must, i, a);
      if (by == OMEN_C_NONE)
        exclusive = true; /* held through a call or on entry: unknown mode */
      else if (c->lk->ops[by].shared)
        shared = i;
      else
        exclusive = true;
    }
    if (shared == OMEN_C_NONE || exclusive)
      continue;
    const omen_c_lockop *op = &c->lk->ops[acquired_by(c, must, shared, a)];
    const char *mk = c->lk->mutexes[op->mutex].key;
    if (strncmp(mk, "this->", 6) == 0)
      mk += 6;
    omen_diag *d =
        omen_pass_report(c->pass, &rule_rdlock, c->f, a->start, a->end,
                         "%s is changed holding %s only for reading: other readers run at the same "
                         "time, and %s",
                         o->name, mk, consequence(o));
    if (d)
      omen_diag_add_related(c->pass, d, c->f, op->start, op->end, "%s taken for reading here", mk);
  }
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const omen_c_lockinfo *lk = omen_pass_result(pass, &omen_c_locks);
  const omen_c_thread_info *th = omen_pass_result(pass, &omen_c_threads);
  if (!lk || lk->nops == 0 || !lk->funcs || !lk->in)
    return OMEN_OK;
  omen_arena *ar = omen_pass_arena(pass);
  ctx c = {.pass = pass, .in = lk->in, .th = th, .lk = lk, .f = omen_pass_c_file(pass)};
  if (!c.f)
    return OMEN_OK;
  c.nslot = 4096;
  c.objs = omen_arena_alloc(ar, MAX_OBJS * sizeof *c.objs);
  c.accs = omen_arena_alloc(ar, MAX_ACC * sizeof *c.accs);
  c.slot = omen_arena_alloc(ar, c.nslot * sizeof *c.slot);
  if (!c.objs || !c.accs || !c.slot)
    return OMEN_OK;
  memset(c.slot, 0, c.nslot * sizeof *c.slot);
  c.first_start = omen_arena_alloc(ar, (c.in->nfuncs + 1) * sizeof *c.first_start);
  if (!c.first_start)
    return OMEN_OK;
  for (uint32_t i = 0; i < c.in->nfuncs; i++)
    c.first_start[i] = OMEN_C_NONE;
  for (uint32_t s = 0; th && s < th->nstarts; s++) {
    uint32_t f = th->starts[s].func, off = c.in->calls[th->starts[s].call].start;
    if (f != OMEN_C_NONE && off < c.first_start[f])
      c.first_start[f] = off;
  }
  collect_calls(&c);
  collect_refs(&c);
  for (uint32_t oi = 0; oi < c.nobjs; oi++) {
    if (c.objs[oi].skip || c.objs[oi].first == OMEN_C_NONE)
      continue;
    check_rdlock(&c, oi);
    check_unguarded(&c, oi);
  }
  return OMEN_OK;
}

const omen_analyzer omen_c_map_race = {
    .name = "c-map-race",
    .title = "Finds shared C/C++ containers and structs changed without their mutex",
    .doc = "Reports map-race/shared-container-unguarded (a global container or struct changed on a thread "
           "without the mutex its other accesses hold), map-race/member-container-unguarded (a member "
           "container changed without the class's mutex) and map-race/container-write-under-read-lock, "
           "from c-threads' thread context and c-locks' lock sets.",
    .langs = OMEN_LANG_CFAMILY,
    .requires = requires,
    .rules = rules,
    .run = run,
};
