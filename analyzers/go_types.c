/* go_types.c - base analyzer: the package index of a Go unit (imports, declarations, structs, methods,
 * signatures) and type-lite resolution of expressions to canonical type text; unknown is NULL. */
#include "go_types.h"

#include "go_inspect.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 24, MAX_ANCESTORS = 1024, MAX_DECLS = 1 << 22 };

struct go_sig_ref {
  const void *id;  /* the function_declaration or method_declaration node */
  uint32_t method; /* 1: methods[index], 0: decls[index] */
  size_t index;
};

/* ---------- the standard-library table ---------- */

/* Result and field types, canonical; unlisted entries of types[] are NULL. */
static const go_std_entry std_table[] = {
    /* net/http */
    {"net/http", NULL, "Get", GO_STD_FUNC, {"*net/http.Response", "error"}},
    {"net/http", NULL, "Head", GO_STD_FUNC, {"*net/http.Response", "error"}},
    {"net/http", NULL, "Post", GO_STD_FUNC, {"*net/http.Response", "error"}},
    {"net/http", NULL, "PostForm", GO_STD_FUNC, {"*net/http.Response", "error"}},
    {"net/http", NULL, "NewRequest", GO_STD_FUNC, {"*net/http.Request", "error"}},
    {"net/http", NULL, "NewRequestWithContext", GO_STD_FUNC, {"*net/http.Request", "error"}},
    {"net/http", NULL, "NewServeMux", GO_STD_FUNC, {"*net/http.ServeMux"}},
    {"net/http", NULL, "ListenAndServe", GO_STD_FUNC, {"error"}},
    {"net/http", NULL, "ListenAndServeTLS", GO_STD_FUNC, {"error"}},
    {"net/http", NULL, "Serve", GO_STD_FUNC, {"error"}},
    {"net/http", NULL, "DefaultClient", GO_STD_VAR, {"*net/http.Client"}},
    {"net/http", NULL, "DefaultTransport", GO_STD_VAR, {"net/http.RoundTripper"}},
    {"net/http", NULL, "DefaultServeMux", GO_STD_VAR, {"*net/http.ServeMux"}},
    {"net/http", NULL, "Client", GO_STD_TYPE, {NULL}},
    {"net/http", NULL, "Server", GO_STD_TYPE, {NULL}},
    {"net/http", NULL, "Transport", GO_STD_TYPE, {NULL}},
    {"net/http", NULL, "Request", GO_STD_TYPE, {NULL}},
    {"net/http", NULL, "Response", GO_STD_TYPE, {NULL}},
    {"net/http", NULL, "Header", GO_STD_TYPE, {NULL}},
    {"net/http", NULL, "HandlerFunc", GO_STD_TYPE, {NULL}},
    {"net/http", "Client", "Do", GO_STD_METHOD, {"*net/http.Response", "error"}},
    {"net/http", "Client", "Get", GO_STD_METHOD, {"*net/http.Response", "error"}},
    {"net/http", "Client", "Head", GO_STD_METHOD, {"*net/http.Response", "error"}},
    {"net/http", "Client", "Post", GO_STD_METHOD, {"*net/http.Response", "error"}},
    {"net/http", "Client", "PostForm", GO_STD_METHOD, {"*net/http.Response", "error"}},
    {"net/http", "Client", "Timeout", GO_STD_FIELD, {"time.Duration"}},
    {"net/http", "Client", "Transport", GO_STD_FIELD, {"net/http.RoundTripper"}},
    {"net/http", "Transport", "RoundTrip", GO_STD_METHOD, {"*net/http.Response", "error"}},
    {"net/http", "RoundTripper", "RoundTrip", GO_STD_METHOD, {"*net/http.Response", "error"}},
    {"net/http", "Response", "Body", GO_STD_FIELD, {"io.ReadCloser"}},
    {"net/http", "Response", "StatusCode", GO_STD_FIELD, {"int"}},
    {"net/http", "Response", "Header", GO_STD_FIELD, {"net/http.Header"}},
    {"net/http", "Request", "Body", GO_STD_FIELD, {"io.ReadCloser"}},
    {"net/http", "Request", "Header", GO_STD_FIELD, {"net/http.Header"}},
    {"net/http", "Request", "URL", GO_STD_FIELD, {"*net/url.URL"}},
    {"net/http", "Request", "Context", GO_STD_METHOD, {"context.Context"}},
    {"net/http", "Request", "WithContext", GO_STD_METHOD, {"*net/http.Request"}},
    {"net/http", "Server", "ListenAndServe", GO_STD_METHOD, {"error"}},
    {"net/http", "Server", "Shutdown", GO_STD_METHOD, {"error"}},
    {"net/http", "Server", "Close", GO_STD_METHOD, {"error"}},
    {"net/http/httptest", NULL, "NewServer", GO_STD_FUNC, {"*net/http/httptest.Server"}},
    {"net/http/httptest", NULL, "NewRecorder", GO_STD_FUNC, {"*net/http/httptest.ResponseRecorder"}},
    {"net/http/httptest", "Server", "Client", GO_STD_METHOD, {"*net/http.Client"}},
    {"net/url", NULL, "Parse", GO_STD_FUNC, {"*net/url.URL", "error"}},
    /* database/sql */
    {"database/sql", NULL, "Open", GO_STD_FUNC, {"*database/sql.DB", "error"}},
    {"database/sql", NULL, "OpenDB", GO_STD_FUNC, {"*database/sql.DB"}},
    {"database/sql", "DB", "Query", GO_STD_METHOD, {"*database/sql.Rows", "error"}},
    {"database/sql", "DB", "QueryContext", GO_STD_METHOD, {"*database/sql.Rows", "error"}},
    {"database/sql", "DB", "QueryRow", GO_STD_METHOD, {"*database/sql.Row"}},
    {"database/sql", "DB", "QueryRowContext", GO_STD_METHOD, {"*database/sql.Row"}},
    {"database/sql", "DB", "Exec", GO_STD_METHOD, {"database/sql.Result", "error"}},
    {"database/sql", "DB", "ExecContext", GO_STD_METHOD, {"database/sql.Result", "error"}},
    {"database/sql", "DB", "Begin", GO_STD_METHOD, {"*database/sql.Tx", "error"}},
    {"database/sql", "DB", "BeginTx", GO_STD_METHOD, {"*database/sql.Tx", "error"}},
    {"database/sql", "DB", "Prepare", GO_STD_METHOD, {"*database/sql.Stmt", "error"}},
    {"database/sql", "DB", "PrepareContext", GO_STD_METHOD, {"*database/sql.Stmt", "error"}},
    {"database/sql", "DB", "Conn", GO_STD_METHOD, {"*database/sql.Conn", "error"}},
    {"database/sql", "DB", "Close", GO_STD_METHOD, {"error"}},
    {"database/sql", "Tx", "Query", GO_STD_METHOD, {"*database/sql.Rows", "error"}},
    {"database/sql", "Tx", "QueryContext", GO_STD_METHOD, {"*database/sql.Rows", "error"}},
    {"database/sql", "Tx", "QueryRow", GO_STD_METHOD, {"*database/sql.Row"}},
    {"database/sql", "Tx", "Exec", GO_STD_METHOD, {"database/sql.Result", "error"}},
    {"database/sql", "Tx", "Prepare", GO_STD_METHOD, {"*database/sql.Stmt", "error"}},
    {"database/sql", "Tx", "Commit", GO_STD_METHOD, {"error"}},
    {"database/sql", "Tx", "Rollback", GO_STD_METHOD, {"error"}},
    {"database/sql", "Stmt", "Query", GO_STD_METHOD, {"*database/sql.Rows", "error"}},
    {"database/sql", "Stmt", "QueryContext", GO_STD_METHOD, {"*database/sql.Rows", "error"}},
    {"database/sql", "Stmt", "QueryRow", GO_STD_METHOD, {"*database/sql.Row"}},
    {"database/sql", "Stmt", "Exec", GO_STD_METHOD, {"database/sql.Result", "error"}},
    {"database/sql", "Stmt", "Close", GO_STD_METHOD, {"error"}},
    {"database/sql", "Conn", "QueryContext", GO_STD_METHOD, {"*database/sql.Rows", "error"}},
    {"database/sql", "Conn", "BeginTx", GO_STD_METHOD, {"*database/sql.Tx", "error"}},
    {"database/sql", "Conn", "Close", GO_STD_METHOD, {"error"}},
    {"database/sql", "Rows", "Next", GO_STD_METHOD, {"bool"}},
    {"database/sql", "Rows", "Scan", GO_STD_METHOD, {"error"}},
    {"database/sql", "Rows", "Err", GO_STD_METHOD, {"error"}},
    {"database/sql", "Rows", "Close", GO_STD_METHOD, {"error"}},
    {"database/sql", "Row", "Scan", GO_STD_METHOD, {"error"}},
    /* context */
    {"context", NULL, "Background", GO_STD_FUNC, {"context.Context"}},
    {"context", NULL, "TODO", GO_STD_FUNC, {"context.Context"}},
    {"context", NULL, "WithCancel", GO_STD_FUNC, {"context.Context", "context.CancelFunc"}},
    {"context", NULL, "WithTimeout", GO_STD_FUNC, {"context.Context", "context.CancelFunc"}},
    {"context", NULL, "WithDeadline", GO_STD_FUNC, {"context.Context", "context.CancelFunc"}},
    {"context", NULL, "WithCancelCause", GO_STD_FUNC, {"context.Context", "context.CancelCauseFunc"}},
    {"context", NULL, "WithValue", GO_STD_FUNC, {"context.Context"}},
    {"context", NULL, "Context", GO_STD_TYPE, {NULL}},
    {"context", NULL, "CancelFunc", GO_STD_TYPE, {NULL}},
    {"context", "Context", "Done", GO_STD_METHOD, {"<-chan struct{}"}},
    {"context", "Context", "Err", GO_STD_METHOD, {"error"}},
    {"context", "Context", "Deadline", GO_STD_METHOD, {"time.Time", "bool"}},
    {"context", "Context", "Value", GO_STD_METHOD, {"any"}},
    /* net */
    {"net", NULL, "Dial", GO_STD_FUNC, {"net.Conn", "error"}},
    {"net", NULL, "DialTimeout", GO_STD_FUNC, {"net.Conn", "error"}},
    {"net", NULL, "DialTCP", GO_STD_FUNC, {"*net.TCPConn", "error"}},
    {"net", NULL, "Listen", GO_STD_FUNC, {"net.Listener", "error"}},
    {"net", NULL, "ListenTCP", GO_STD_FUNC, {"*net.TCPListener", "error"}},
    {"net", NULL, "ListenPacket", GO_STD_FUNC, {"net.PacketConn", "error"}},
    {"net", "Listener", "Accept", GO_STD_METHOD, {"net.Conn", "error"}},
    {"net", "Listener", "Close", GO_STD_METHOD, {"error"}},
    {"net", "Dialer", "Dial", GO_STD_METHOD, {"net.Conn", "error"}},
    {"net", "Dialer", "DialContext", GO_STD_METHOD, {"net.Conn", "error"}},
    {"net", "Conn", "Close", GO_STD_METHOD, {"error"}},
    {"crypto/tls", NULL, "Dial", GO_STD_FUNC, {"*crypto/tls.Conn", "error"}},
    /* os, os/exec, io */
    {"os", NULL, "Open", GO_STD_FUNC, {"*os.File", "error"}},
    {"os", NULL, "Create", GO_STD_FUNC, {"*os.File", "error"}},
    {"os", NULL, "OpenFile", GO_STD_FUNC, {"*os.File", "error"}},
    {"os", NULL, "Pipe", GO_STD_FUNC, {"*os.File", "*os.File", "error"}},
    {"os", NULL, "ReadFile", GO_STD_FUNC, {"[]byte", "error"}},
    {"os", NULL, "Stdin", GO_STD_VAR, {"*os.File"}},
    {"os", NULL, "Stdout", GO_STD_VAR, {"*os.File"}},
    {"os", NULL, "Stderr", GO_STD_VAR, {"*os.File"}},
    {"os", "File", "Close", GO_STD_METHOD, {"error"}},
    {"os/exec", NULL, "Command", GO_STD_FUNC, {"*os/exec.Cmd"}},
    {"os/exec", NULL, "CommandContext", GO_STD_FUNC, {"*os/exec.Cmd"}},
    {"os/exec", "Cmd", "StdoutPipe", GO_STD_METHOD, {"io.ReadCloser", "error"}},
    {"os/exec", "Cmd", "StderrPipe", GO_STD_METHOD, {"io.ReadCloser", "error"}},
    {"os/exec", "Cmd", "StdinPipe", GO_STD_METHOD, {"io.WriteCloser", "error"}},
    {"os/exec", "Cmd", "Start", GO_STD_METHOD, {"error"}},
    {"os/exec", "Cmd", "Wait", GO_STD_METHOD, {"error"}},
    {"os/exec", "Cmd", "Run", GO_STD_METHOD, {"error"}},
    {"os/exec", "Cmd", "Output", GO_STD_METHOD, {"[]byte", "error"}},
    {"io", NULL, "Pipe", GO_STD_FUNC, {"*io.PipeReader", "*io.PipeWriter"}},
    {"io", NULL, "ReadAll", GO_STD_FUNC, {"[]byte", "error"}},
    {"io", NULL, "Copy", GO_STD_FUNC, {"int64", "error"}},
    {"io", NULL, "NopCloser", GO_STD_FUNC, {"io.ReadCloser"}},
    {"io", NULL, "EOF", GO_STD_VAR, {"error"}},
    {"io", NULL, "Discard", GO_STD_VAR, {"io.Writer"}},
    {"io/ioutil", NULL, "ReadAll", GO_STD_FUNC, {"[]byte", "error"}},
    {"io/ioutil", NULL, "ReadFile", GO_STD_FUNC, {"[]byte", "error"}},
    {"bufio", NULL, "NewReader", GO_STD_FUNC, {"*bufio.Reader"}},
    {"bufio", NULL, "NewWriter", GO_STD_FUNC, {"*bufio.Writer"}},
    {"bufio", NULL, "NewScanner", GO_STD_FUNC, {"*bufio.Scanner"}},
    {"compress/gzip", NULL, "NewReader", GO_STD_FUNC, {"*compress/gzip.Reader", "error"}},
    {"compress/gzip", NULL, "NewWriter", GO_STD_FUNC, {"*compress/gzip.Writer"}},
    {"strings", NULL, "NewReader", GO_STD_FUNC, {"*strings.Reader"}},
    {"bytes", NULL, "NewBuffer", GO_STD_FUNC, {"*bytes.Buffer"}},
    {"bytes", NULL, "NewBufferString", GO_STD_FUNC, {"*bytes.Buffer"}},
    {"bytes", NULL, "NewReader", GO_STD_FUNC, {"*bytes.Reader"}},
    {"errors", NULL, "New", GO_STD_FUNC, {"error"}},
    {"fmt", NULL, "Errorf", GO_STD_FUNC, {"error"}},
    {"fmt", NULL, "Sprintf", GO_STD_FUNC, {"string"}},
    {"fmt", NULL, "Sprint", GO_STD_FUNC, {"string"}},
    /* time */
    {"time", NULL, "After", GO_STD_FUNC, {"<-chan time.Time"}},
    {"time", NULL, "Tick", GO_STD_FUNC, {"<-chan time.Time"}},
    {"time", NULL, "NewTimer", GO_STD_FUNC, {"*time.Timer"}},
    {"time", NULL, "AfterFunc", GO_STD_FUNC, {"*time.Timer"}},
    {"time", NULL, "NewTicker", GO_STD_FUNC, {"*time.Ticker"}},
    {"time", NULL, "Now", GO_STD_FUNC, {"time.Time"}},
    {"time", NULL, "Since", GO_STD_FUNC, {"time.Duration"}},
    {"time", NULL, "Until", GO_STD_FUNC, {"time.Duration"}},
    {"time", NULL, "ParseDuration", GO_STD_FUNC, {"time.Duration", "error"}},
    {"time", NULL, "Duration", GO_STD_TYPE, {NULL}},
    {"time", NULL, "Time", GO_STD_TYPE, {NULL}},
    {"time", NULL, "Nanosecond", GO_STD_VAR, {"time.Duration"}},
    {"time", NULL, "Microsecond", GO_STD_VAR, {"time.Duration"}},
    {"time", NULL, "Millisecond", GO_STD_VAR, {"time.Duration"}},
    {"time", NULL, "Second", GO_STD_VAR, {"time.Duration"}},
    {"time", NULL, "Minute", GO_STD_VAR, {"time.Duration"}},
    {"time", NULL, "Hour", GO_STD_VAR, {"time.Duration"}},
    {"time", "Timer", "C", GO_STD_FIELD, {"<-chan time.Time"}},
    {"time", "Ticker", "C", GO_STD_FIELD, {"<-chan time.Time"}},
    {"time", "Timer", "Stop", GO_STD_METHOD, {"bool"}},
    {"time", "Timer", "Reset", GO_STD_METHOD, {"bool"}},
    /* sync */
    {"sync", NULL, "Mutex", GO_STD_TYPE, {NULL}},
    {"sync", NULL, "RWMutex", GO_STD_TYPE, {NULL}},
    {"sync", NULL, "WaitGroup", GO_STD_TYPE, {NULL}},
    {"sync", NULL, "Once", GO_STD_TYPE, {NULL}},
    {"sync", NULL, "NewCond", GO_STD_FUNC, {"*sync.Cond"}},
    {"sync", "RWMutex", "RLocker", GO_STD_METHOD, {"sync.Locker"}},
    {"sync", "Mutex", "TryLock", GO_STD_METHOD, {"bool"}},
    {"runtime", NULL, "NumGoroutine", GO_STD_FUNC, {"int"}},
};

const go_std_entry *go_types_std(const char *path, const char *recv, const char *name) {
  if (!path || !name)
    return NULL;
  for (size_t i = 0; i < sizeof std_table / sizeof std_table[0]; i++) {
    const go_std_entry *e = &std_table[i];
    if (strcmp(e->path, path) != 0 || strcmp(e->name, name) != 0)
      continue;
    if ((recv == NULL) != (e->recv == NULL))
      continue;
    if (recv && strcmp(recv, e->recv) != 0)
      continue;
    return e;
  }
  return NULL;
}

static const char *const universe_types[] = {
    "bool",   "byte",   "complex64", "complex128", "error", "float32",    "float64", "int",
    "int8",   "int16",  "int32",     "int64",      "rune",  "string",     "uint",    "uint8",
    "uint16", "uint32", "uint64",    "uintptr",    "any",   "comparable", NULL};
static const char *const universe_values[] = {"true",  "false",   "iota",    "nil",     "append", "cap",
                                              "clear", "close",   "complex", "copy",    "delete", "imag",
                                              "len",   "make",    "max",     "min",     "new",    "panic",
                                              "print", "println", "real",    "recover", NULL};

static bool in_list(const char *const *l, const char *s) {
  for (size_t i = 0; l[i]; i++)
    if (strcmp(l[i], s) == 0)
      return true;
  return false;
}

/* ---------- small helpers ---------- */

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

static TSNode unparen(TSNode n) {
  while (go_node_is(n, GO_NODE_PARENTHESIZED_EXPRESSION) && ts_node_named_child_count(n) == 1)
    n = ts_node_named_child(n, 0);
  return n;
}

static const omen_file *src(const go_types *t, uint32_t file) { return t->files[file]->file; }

static char *str(const go_types *t, uint32_t file, TSNode n) {
  if (ts_node_is_null(n))
    return NULL;
  const omen_file *f = src(t, file);
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b > f->len || a > b)
    return NULL;
  return omen_arena_strndup(t->arena, f->text + a, b - a);
}

static bool eq(const go_types *t, uint32_t file, TSNode n, const char *s) {
  return !ts_node_is_null(n) && omen_node_text_eq(src(t, file), n, s);
}

/* Concatenation of n strings in the arena; NULL if any is NULL. */
static char *cat(omen_arena *a, int n, ...) {
  va_list ap;
  size_t len = 0;
  bool ok = true;
  va_start(ap, n);
  for (int i = 0; i < n; i++) {
    const char *s = va_arg(ap, const char *);
    if (!s)
      ok = false;
    else
      len += strlen(s);
  }
  va_end(ap);
  if (!ok)
    return NULL;
  char *out = omen_arena_alloc(a, len + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  va_start(ap, n);
  for (int i = 0; i < n; i++) {
    const char *s = va_arg(ap, const char *);
    size_t l = strlen(s);
    memcpy(out + o, s, l);
    o += l;
  }
  va_end(ap);
  out[o] = '\0';
  return out;
}

/* Source text with whitespace runs collapsed to one space. */
static char *collapsed(const go_types *t, uint32_t file, TSNode n) {
  char *s = str(t, file, n);
  if (!s)
    return NULL;
  s[go_inspect_squash(s, s, strlen(s))] = '\0';
  return s;
}

/* Named children of n, through a cursor (ts_node_named_child is linear per call). Calls fn for
 * each with its field id (0 if none); stops when fn returns false. */
typedef bool (*child_fn)(void *ctx, TSNode child, TSFieldId field);

static void each_named(TSNode n, child_fn fn, void *ctx) {
  if (ts_node_is_null(n))
    return;
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode ch = ts_tree_cursor_current_node(&c);
      if (ts_node_is_named(ch) && !fn(ctx, ch, ts_tree_cursor_current_field_id(&c)))
        break;
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
}

/* Does n have an anonymous child token tok (e.g. GO_NODE_TOK_DEFINE)? */
static bool has_token(TSNode n, go_node tok) {
  if (ts_node_is_null(n))
    return false;
  bool found = false;
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode ch = ts_tree_cursor_current_node(&c);
      if (!ts_node_is_named(ch) && go_node_kind(ch) == tok) {
        found = true;
        break;
      }
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
  return found;
}

static void *grow(omen_arena *a, void *v, size_t n, size_t *cap, size_t elem) {
  if (n < *cap)
    return v;
  if (*cap >= MAX_DECLS)
    return NULL;
  size_t nc = *cap ? *cap * 2 : 16;
  void *nv = omen_arena_alloc(a, nc * elem);
  if (!nv)
    return NULL;
  if (n)
    memcpy(nv, v, n * elem);
  *cap = nc;
  return nv;
}

/* Room for one more element in a heap vector of the index builder (moved to the arena when done;
 * on failure the old block stays valid and is freed with the builder). */
static void *hgrow(void *v, size_t n, size_t *cap, size_t elem) {
  if (n < *cap)
    return v;
  if (*cap >= MAX_DECLS)
    return NULL;
  size_t nc = *cap ? *cap * 2 : 16;
  void *nv = realloc(v, nc * elem);
  if (!nv)
    return NULL;
  *cap = nc;
  return nv;
}

bool go_types_is_std_path(const char *path) {
  if (!path || !*path)
    return false;
  for (const char *p = path; *p && *p != '/'; p++)
    if (*p == '.')
      return false;
  return true;
}

/* ---------- canonical types ---------- */

static const char *canon(const go_types *t, uint32_t file, TSNode n, int depth);
static const char *sig_text(const go_types *t, const go_sig *s);
static bool build_sig(const go_types *t, uint32_t file, TSNode params, TSNode result, go_sig *out);

static const go_decl *find_decl(const go_types *t, const char *name);
static const go_decl *filled_decl(const go_types *t, const go_decl *d);

static const go_import *import_named(const go_types *t, uint32_t file, const char *name, size_t len) {
  for (size_t i = 0; i < t->nimports[file]; i++) {
    const go_import *im = &t->imports[file][i];
    if ((im->kind == GO_IMPORT_PLAIN || im->kind == GO_IMPORT_ALIAS) && strlen(im->name) == len &&
        memcmp(im->name, name, len) == 0)
      return im;
  }
  return NULL;
}

static const go_import *import_of_node(const go_types *t, uint32_t file, TSNode id) {
  const omen_file *f = src(t, file);
  uint32_t a = ts_node_start_byte(id), b = ts_node_end_byte(id);
  if (b > f->len || a > b)
    return NULL;
  return import_named(t, file, f->text + a, b - a);
}

/* A named type: a package type (aliases followed) or a predeclared one. */
static const char *canon_name(const go_types *t, uint32_t file, TSNode id, int depth) {
  char *name = str(t, file, id);
  if (!name)
    return NULL;
  if (in_list(universe_types, name))
    return name;
  const go_decl *d = find_decl(t, name);
  if (d && d->kind == GO_DECL_TYPE && d->alias) {
    if (depth > MAX_DEPTH)
      return NULL;
    return canon(t, d->file, d->type, depth + 1);
  }
  if (!d) {
    /* a type from a dot import, when the table knows it */
    for (size_t i = 0; i < t->nimports[file]; i++) {
      const go_import *im = &t->imports[file][i];
      const go_std_entry *e = im->kind == GO_IMPORT_DOT ? go_types_std(im->path, NULL, name) : NULL;
      if (e && e->kind == GO_STD_TYPE)
        return cat(t->arena, 3, im->path, ".", name);
    }
  }
  return name;
}

static const char *canon_list(const go_types *t, uint32_t file, TSNode list, int depth) {
  /* type_arguments: type_elem children, each with one type */
  const char *out = "";
  uint32_t n = ts_node_named_child_count(list);
  for (uint32_t i = 0; i < n; i++) {
    TSNode e = ts_node_named_child(list, i);
    if (go_node_is(e, GO_NODE_TYPE_ELEM) && ts_node_named_child_count(e) == 1)
      e = ts_node_named_child(e, 0);
    const char *ct = canon(t, file, e, depth + 1);
    out = cat(t->arena, 3, out, i ? ", " : "", ct);
    if (!out)
      return NULL;
  }
  return out;
}

static const char *canon(const go_types *t, uint32_t file, TSNode n, int depth) {
  if (ts_node_is_null(n) || depth > MAX_DEPTH)
    return NULL;
  go_node k = go_node_kind(n);
  omen_arena *a = t->arena;
  if (k == GO_NODE_TYPE_IDENTIFIER || k == GO_NODE_IDENTIFIER)
    return canon_name(t, file, n, depth);
  if (k == GO_NODE_QUALIFIED_TYPE || k == GO_NODE_SELECTOR_EXPRESSION) {
    bool q = k == GO_NODE_QUALIFIED_TYPE;
    TSNode pk = go_node_child(n, q ? GO_F_PACKAGE : GO_F_OPERAND),
           nm = go_node_child(n, q ? GO_F_NAME : GO_F_FIELD);
    if (ts_node_is_null(pk) || ts_node_is_null(nm) || (!q && !go_node_is(pk, GO_NODE_IDENTIFIER)))
      return NULL;
    const go_import *im = import_of_node(t, file, pk);
    if (!im)
      return NULL;
    return cat(a, 3, im->path, ".", str(t, file, nm));
  }
  if (k == GO_NODE_POINTER_TYPE ||
      (k == GO_NODE_UNARY_EXPRESSION && eq(t, file, go_node_child(n, GO_F_OPERATOR), "*")))
    return cat(a, 2, "*",
               canon(t, file,
                     k == GO_NODE_POINTER_TYPE ? ts_node_named_child(n, 0) : go_node_child(n, GO_F_OPERAND),
                     depth + 1));
  if (k == GO_NODE_PARENTHESIZED_TYPE || k == GO_NODE_PARENTHESIZED_EXPRESSION)
    return canon(t, file, ts_node_named_child(n, 0), depth + 1);
  if (k == GO_NODE_SLICE_TYPE)
    return cat(a, 2, "[]", canon(t, file, go_node_child(n, GO_F_ELEMENT), depth + 1));
  if (k == GO_NODE_ARRAY_TYPE)
    return cat(a, 4, "[", collapsed(t, file, go_node_child(n, GO_F_LENGTH)), "]",
               canon(t, file, go_node_child(n, GO_F_ELEMENT), depth + 1));
  if (k == GO_NODE_IMPLICIT_LENGTH_ARRAY_TYPE)
    return cat(a, 2, "[...]", canon(t, file, go_node_child(n, GO_F_ELEMENT), depth + 1));
  if (k == GO_NODE_MAP_TYPE)
    return cat(a, 4, "map[", canon(t, file, go_node_child(n, GO_F_KEY), depth + 1), "]",
               canon(t, file, go_node_child(n, GO_F_VALUE), depth + 1));
  if (k == GO_NODE_CHANNEL_TYPE) {
    const char *dir = "chan ";
    TSNode first = ts_node_child(n, 0), second = ts_node_child(n, 1);
    if (go_node_is(first, GO_NODE_TOK_ARROW))
      dir = "<-chan ";
    else if (go_node_is(second, GO_NODE_TOK_ARROW))
      dir = "chan<- ";
    return cat(a, 2, dir, canon(t, file, go_node_child(n, GO_F_VALUE), depth + 1));
  }
  if (k == GO_NODE_FUNCTION_TYPE) {
    go_sig s;
    if (!build_sig(t, file, go_node_child(n, GO_F_PARAMETERS), go_node_child(n, GO_F_RESULT), &s))
      return NULL;
    return sig_text(t, &s);
  }
  if (k == GO_NODE_GENERIC_TYPE)
    return cat(a, 4, canon(t, file, go_node_child(n, GO_F_TYPE), depth + 1), "[",
               canon_list(t, file, go_node_child(n, GO_F_TYPE_ARGUMENTS), depth), "]");
  if (k == GO_NODE_STRUCT_TYPE || k == GO_NODE_INTERFACE_TYPE)
    return collapsed(t, file, n);
  return NULL;
}

const char *go_types_canonical(const go_types *t, uint32_t file, TSNode type) {
  if (!t || file >= t->nfiles)
    return NULL;
  return canon(t, file, type, 0);
}

/* ---------- signatures ---------- */

typedef struct sig_build {
  const go_types *t;
  uint32_t file;
  go_param *v;
  size_t n, cap;
  bool variadic, ok;
} sig_build;

static bool add_param(sig_build *b, const char *name, const char *type, TSNode node) {
  go_param *nv = grow(b->t->arena, b->v, b->n, &b->cap, sizeof *nv);
  if (!nv) {
    b->ok = false;
    return false;
  }
  b->v = nv;
  b->v[b->n++] = (go_param){name, type, node};
  return true;
}

typedef struct name_ctx {
  sig_build *b;
  TSNode decl;
  const char *type;
  size_t count;
} name_ctx;

static bool param_name(void *ctx, TSNode ch, TSFieldId fname) {
  name_ctx *c = ctx;
  if (fname == go_field_id(GO_F_NAME)) {
    c->count++;
    return add_param(c->b, str(c->b->t, c->b->file, ch), c->type, c->decl);
  }
  return true;
}

static bool param_decl(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  sig_build *b = ctx;
  bool variadic = go_node_is(ch, GO_NODE_VARIADIC_PARAMETER_DECLARATION);
  if (!variadic && !go_node_is(ch, GO_NODE_PARAMETER_DECLARATION))
    return true;
  const char *ty = canon(b->t, b->file, go_node_child(ch, GO_F_TYPE), 0);
  if (variadic) {
    b->variadic = true;
    ty = cat(b->t->arena, 2, "[]", ty);
  }
  name_ctx nc = {b, ch, ty, 0};
  each_named(ch, param_name, &nc);
  if (nc.count == 0)
    add_param(b, NULL, ty, ch);
  return b->ok;
}

static bool build_sig(const go_types *t, uint32_t file, TSNode params, TSNode result, go_sig *out) {
  memset(out, 0, sizeof *out);
  sig_build b = {t, file, NULL, 0, 0, false, true};
  each_named(params, param_decl, &b);
  if (!b.ok)
    return false;
  out->params = b.v;
  out->nparams = b.n;
  out->variadic = b.variadic;
  sig_build r = {t, file, NULL, 0, 0, false, true};
  if (go_node_is(result, GO_NODE_PARAMETER_LIST))
    each_named(result, param_decl, &r);
  else if (!ts_node_is_null(result))
    add_param(&r, NULL, canon(t, file, result, 0), result);
  if (!r.ok)
    return false;
  out->results = r.v;
  out->nresults = r.n;
  out->result_types = omen_arena_alloc(t->arena, (r.n + 1) * sizeof *out->result_types);
  if (!out->result_types)
    return false;
  for (size_t i = 0; i < r.n; i++)
    out->result_types[i] = r.v[i].type;
  return true;
}

/* "func(int, ...string) (int, error)"; NULL if a type is unknown. */
static const char *sig_text(const go_types *t, const go_sig *s) {
  omen_arena *a = t->arena;
  const char *out = "func(";
  for (size_t i = 0; i < s->nparams && out; i++) {
    const char *ty = s->params[i].type;
    if (ty && s->variadic && i + 1 == s->nparams && strncmp(ty, "[]", 2) == 0)
      ty = cat(a, 2, "...", ty + 2);
    out = cat(a, 3, out, i ? ", " : "", ty);
  }
  out = cat(a, 2, out, ")");
  if (s->nresults == 1 && !s->results[0].name)
    return cat(a, 3, out, " ", s->results[0].type);
  if (s->nresults == 0)
    return out;
  out = cat(a, 2, out, " (");
  for (size_t i = 0; i < s->nresults && out; i++)
    out = cat(a, 3, out, i ? ", " : "", s->results[i].type);
  return cat(a, 2, out, ")");
}

static int cmp_sigref(const void *a, const void *b) {
  const struct go_sig_ref *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

const go_sig *go_types_sig_of_lit(const go_types *t, uint32_t file, TSNode lit) {
  if (!t || file >= t->nfiles || !go_node_is(lit, GO_NODE_FUNC_LITERAL))
    return NULL;
  go_sig *s = omen_arena_alloc(t->arena, sizeof *s);
  if (!s || !build_sig(t, file, go_node_child(lit, GO_F_PARAMETERS), go_node_child(lit, GO_F_RESULT), s))
    return NULL;
  return s;
}

/* ---------- the package index ---------- */

static char *unquote(const go_types *t, uint32_t file, TSNode lit) {
  char *s = str(t, file, lit);
  if (!s)
    return NULL;
  size_t n = strlen(s);
  if (n < 2 || strchr(s + 1, '\\'))
    return NULL;
  s[n - 1] = '\0';
  return s + 1;
}

/* goimports' guess of a package name from its path. */
static char *assumed_name(omen_arena *a, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t blen = strlen(base);
  if (base[0] == 'v' && blen > 1 && strspn(base + 1, "0123456789") == blen - 1 && base != path) {
    const char *end = base - 1, *start = end;
    while (start > path && start[-1] != '/')
      start--;
    base = start;
    blen = (size_t)(end - start);
  }
  if (blen > 3 && strncmp(base, "go-", 3) == 0) {
    base += 3;
    blen -= 3;
  }
  size_t i = 0;
  while (i < blen &&
         (base[i] == '_' || (base[i] >= 'a' && base[i] <= 'z') || (base[i] >= 'A' && base[i] <= 'Z') ||
          (base[i] >= '0' && base[i] <= '9') || (unsigned char)base[i] >= 0x80))
    i++;
  return omen_arena_strndup(a, base, i);
}

typedef struct builder {
  go_types *t;
  uint32_t file;
  go_import *imps;
  size_t nimps, capimps;
  go_decl *decls;
  size_t ndecls, capdecls;
  go_struct *structs;
  size_t nstructs, capstructs;
  go_method *methods;
  size_t nmethods, capmethods;
  /* const groups: the last spec with values */
  TSNode prev_type, prev_values;
  omen_status st;
} builder;

static void add_import(builder *b, TSNode spec, TSNode decl) {
  go_types *t = b->t;
  const char *path = unquote(t, b->file, go_node_child(spec, GO_F_PATH));
  if (!path)
    return;
  go_import im = {0};
  im.path = path;
  im.spec = spec;
  im.decl = decl;
  im.std = go_types_is_std_path(path);
  TSNode nm = go_node_child(spec, GO_F_NAME);
  if (go_node_is(nm, GO_NODE_DOT)) {
    im.kind = GO_IMPORT_DOT;
    im.name = ".";
  } else if (go_node_is(nm, GO_NODE_BLANK_IDENTIFIER)) {
    im.kind = GO_IMPORT_BLANK;
    im.name = "_";
  } else if (!ts_node_is_null(nm)) {
    im.kind = GO_IMPORT_ALIAS;
    im.name = str(t, b->file, nm);
  } else {
    im.kind = GO_IMPORT_PLAIN;
    im.name = assumed_name(t->arena, path);
    im.assumed = !im.std;
  }
  go_import *nv = hgrow(b->imps, b->nimps, &b->capimps, sizeof *nv);
  if (!nv || !im.name) {
    b->st = OMEN_ENOMEM;
    return;
  }
  b->imps = nv;
  b->imps[b->nimps++] = im;
}

static go_decl *add_decl(builder *b, const char *name, go_decl_kind kind, TSNode name_node, TSNode spec) {
  if (!name) {
    b->st = OMEN_ENOMEM;
    return NULL;
  }
  if (strcmp(name, "_") == 0)
    return NULL;
  go_decl *nv = hgrow(b->decls, b->ndecls, &b->capdecls, sizeof *nv);
  if (!nv) {
    b->st = OMEN_ENOMEM;
    return NULL;
  }
  b->decls = nv;
  go_decl *d = &b->decls[b->ndecls++];
  memset(d, 0, sizeof *d);
  d->name = name;
  d->kind = kind;
  d->file = b->file;
  d->name_node = name_node;
  d->spec = spec;
  return d;
}

typedef struct spec_ctx {
  builder *b;
  TSNode spec;
  go_decl_kind kind;
  uint32_t index;
} spec_ctx;

static bool spec_name(void *ctx, TSNode ch, TSFieldId fname) {
  spec_ctx *c = ctx;
  if (fname != go_field_id(GO_F_NAME))
    return true;
  builder *b = c->b;
  go_decl *d = add_decl(b, str(b->t, b->file, ch), c->kind, ch, c->spec);
  if (d) {
    d->type = go_node_child(c->spec, GO_F_TYPE);
    d->values = go_node_child(c->spec, GO_F_VALUE);
    d->index = c->index;
    if (c->kind == GO_DECL_CONST && ts_node_is_null(d->type) && ts_node_is_null(d->values)) {
      d->type = b->prev_type; /* implicit repetition in a const group */
      d->values = b->prev_values;
    }
  }
  c->index++;
  return b->st == OMEN_OK;
}

static void add_spec(builder *b, TSNode spec, go_decl_kind kind) {
  size_t first = b->ndecls;
  spec_ctx c = {b, spec, kind, 0};
  each_named(spec, spec_name, &c);
  for (size_t i = first; i < b->ndecls; i++)
    b->decls[i].nnames = c.index;
  if (kind == GO_DECL_CONST && !ts_node_is_null(go_node_child(spec, GO_F_VALUE))) {
    b->prev_type = go_node_child(spec, GO_F_TYPE);
    b->prev_values = go_node_child(spec, GO_F_VALUE);
  }
}

static bool var_child(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  builder *b = ctx;
  if (go_node_is(ch, GO_NODE_VAR_SPEC))
    add_spec(b, ch, GO_DECL_VAR);
  else if (go_node_is(ch, GO_NODE_CONST_SPEC))
    add_spec(b, ch, GO_DECL_CONST);
  else if (go_node_is(ch, GO_NODE_VAR_SPEC_LIST))
    each_named(ch, var_child, b);
  return b->st == OMEN_OK;
}

static bool add_struct(builder *b, const char *name, TSNode spec) {
  go_struct *nv = hgrow(b->structs, b->nstructs, &b->capstructs, sizeof *nv);
  if (!nv) {
    b->st = OMEN_ENOMEM;
    return false;
  }
  b->structs = nv;
  b->structs[b->nstructs++] = (go_struct){name, b->file, spec, NULL, 0};
  return true;
}

static go_method *add_method(builder *b, const char *recv, const char *name, TSNode decl) {
  go_method *nv = hgrow(b->methods, b->nmethods, &b->capmethods, sizeof *nv);
  if (!nv || !recv || !name) {
    b->st = OMEN_ENOMEM;
    return NULL;
  }
  b->methods = nv;
  go_method *m = &b->methods[b->nmethods++];
  memset(m, 0, sizeof *m);
  m->recv = recv;
  m->name = name;
  m->file = b->file;
  m->decl = decl;
  return m;
}

typedef struct iface_ctx {
  builder *b;
  const char *name;
} iface_ctx;

static bool iface_elem(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  iface_ctx *c = ctx;
  if (go_node_is(ch, GO_NODE_METHOD_ELEM)) {
    go_method *m = add_method(c->b, c->name, str(c->b->t, c->b->file, go_node_child(ch, GO_F_NAME)), ch);
    if (m)
      m->iface = true;
  }
  return c->b->st == OMEN_OK;
}

static bool type_child(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  builder *b = ctx;
  bool alias = go_node_is(ch, GO_NODE_TYPE_ALIAS);
  if (!alias && !go_node_is(ch, GO_NODE_TYPE_SPEC))
    return true;
  TSNode nm = go_node_child(ch, GO_F_NAME), ty = go_node_child(ch, GO_F_TYPE);
  const char *name = str(b->t, b->file, nm);
  go_decl *d = add_decl(b, name, GO_DECL_TYPE, nm, ch);
  if (!d)
    return b->st == OMEN_OK;
  d->type = ty;
  d->alias = alias;
  if (!alias && go_node_is(ty, GO_NODE_STRUCT_TYPE))
    add_struct(b, name, ch);
  else if (!alias && go_node_is(ty, GO_NODE_INTERFACE_TYPE)) {
    iface_ctx ic = {b, name};
    each_named(ty, iface_elem, &ic);
  }
  return b->st == OMEN_OK;
}

static const char *receiver_name(const go_types *t, uint32_t file, TSNode m, bool *ptr) {
  TSNode pl = go_node_child(m, GO_F_RECEIVER);
  if (ts_node_is_null(pl) || ts_node_named_child_count(pl) == 0)
    return NULL;
  TSNode ty = go_node_child(ts_node_named_child(pl, 0), GO_F_TYPE);
  while (go_node_is(ty, GO_NODE_PARENTHESIZED_TYPE))
    ty = ts_node_named_child(ty, 0);
  if (go_node_is(ty, GO_NODE_POINTER_TYPE)) {
    *ptr = true;
    ty = ts_node_named_child(ty, 0);
  }
  if (go_node_is(ty, GO_NODE_GENERIC_TYPE))
    ty = go_node_child(ty, GO_F_TYPE);
  return go_node_is(ty, GO_NODE_TYPE_IDENTIFIER) ? str(t, file, ty) : NULL;
}

static bool top_decl(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  builder *b = ctx;
  go_types *t = b->t;
  go_node k = go_node_kind(ch);
  if (k == GO_NODE_FUNCTION_DECLARATION) {
    TSNode nm = go_node_child(ch, GO_F_NAME);
    add_decl(b, str(t, b->file, nm), GO_DECL_FUNC, nm, ch);
  } else if (k == GO_NODE_METHOD_DECLARATION) {
    bool ptr = false;
    const char *recv = receiver_name(t, b->file, ch, &ptr);
    if (recv) {
      go_method *m = add_method(b, recv, str(t, b->file, go_node_child(ch, GO_F_NAME)), ch);
      if (m)
        m->ptr = ptr;
    }
  } else if (k == GO_NODE_VAR_DECLARATION || k == GO_NODE_CONST_DECLARATION) {
    b->prev_type = b->prev_values = null_node();
    each_named(ch, var_child, b);
  } else if (k == GO_NODE_TYPE_DECLARATION) {
    each_named(ch, type_child, b);
  }
  return b->st == OMEN_OK;
}

static bool import_spec(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  void **pair = ctx;
  builder *b = pair[0];
  TSNode *decl = pair[1];
  if (go_node_is(ch, GO_NODE_IMPORT_SPEC))
    add_import(b, ch, *decl);
  else if (go_node_is(ch, GO_NODE_IMPORT_SPEC_LIST))
    each_named(ch, import_spec, ctx);
  return b->st == OMEN_OK;
}

static bool top_import(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  builder *b = ctx;
  if (go_node_is(ch, GO_NODE_IMPORT_DECLARATION)) {
    void *pair[2] = {b, &ch};
    each_named(ch, import_spec, pair);
  }
  return b->st == OMEN_OK;
}

static int cmp_decl(const void *a, const void *b) {
  const go_decl *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c)
    return c;
  return x->file != y->file ? (x->file < y->file ? -1 : 1)
                            : (ts_node_start_byte(x->name_node) < ts_node_start_byte(y->name_node) ? -1 : 1);
}

static int cmp_struct(const void *a, const void *b) {
  return strcmp(((const go_struct *)a)->name, ((const go_struct *)b)->name);
}

static int cmp_method(const void *a, const void *b) {
  const go_method *x = a, *y = b;
  int c = strcmp(x->recv, y->recv);
  return c ? c : strcmp(x->name, y->name);
}

typedef struct field_ctx {
  const go_types *t;
  uint32_t file;
  go_field *v;
  size_t n, cap;
  bool ok;
} field_ctx;

static bool push_field(field_ctx *c, go_field f) {
  go_field *nv = grow(c->t->arena, c->v, c->n, &c->cap, sizeof *nv);
  if (!nv) {
    c->ok = false;
    return false;
  }
  c->v = nv;
  c->v[c->n++] = f;
  return true;
}

typedef struct fname_ctx {
  field_ctx *fc;
  TSNode decl;
  const char *type;
  size_t count;
} fname_ctx;

static bool field_name(void *ctx, TSNode ch, TSFieldId fname) {
  fname_ctx *c = ctx;
  if (fname == go_field_id(GO_F_NAME)) {
    c->count++;
    return push_field(c->fc, (go_field){str(c->fc->t, c->fc->file, ch), c->type, false, c->decl});
  }
  return true;
}

static bool field_decl(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  field_ctx *c = ctx;
  if (!go_node_is(ch, GO_NODE_FIELD_DECLARATION))
    return true;
  TSNode ty = go_node_child(ch, GO_F_TYPE);
  fname_ctx nc = {c, ch, canon(c->t, c->file, ty, 0), 0};
  each_named(ch, field_name, &nc);
  if (nc.count == 0 && c->ok) {
    /* embedded: named after its type */
    TSNode base = ty;
    if (go_node_is(base, GO_NODE_POINTER_TYPE))
      base = ts_node_named_child(base, 0);
    if (go_node_is(base, GO_NODE_GENERIC_TYPE))
      base = go_node_child(base, GO_F_TYPE);
    if (go_node_is(base, GO_NODE_QUALIFIED_TYPE))
      base = go_node_child(base, GO_F_NAME);
    if (!ts_node_is_null(base))
      push_field(c, (go_field){str(c->t, c->file, base), nc.type, true, ch});
  }
  return c->ok;
}

/* ---------- lazy parts: signatures and struct fields, built on first use ---------- */

enum { LAZY_TODO = 0, LAZY_BUSY, LAZY_DONE };

struct go_types_lazy {
  uint8_t *decl, *method, *strct; /* LAZY_* per entry of decls, methods, structs */
  struct go_sig_ref *sigrefs;     /* function/method node -> entry, sorted by node id */
  size_t nsigrefs;
  bool sigrefs_built;
  /* scopes, for name lookups (see "scopes" below) */
  const go_inspect *ins; /* its tops find the top-level declaration around a node; may be NULL */
  size_t *top_first;     /* per file, its first index in ins->tops (nfiles + 1 entries) */
  TSNode *anc;           /* the ancestor chain of the last lookup, in file anc_file */
  size_t anc_n;
  uint32_t anc_file;
  struct blk_index *blk; /* declarations by name of blocks, case clauses and functions */
  size_t nblk, capblk;   /* capblk: a power of two (open addressing) */
};

/* The fill_* functions build an entry's lazy part once (BUSY guards against re-entry, which the
 * builders do not do: signatures and fields need only type names, never other signatures). */
static void fill_decl(const go_types *t, size_t i) {
  go_decl *d = &t->decls[i];
  if (d->kind != GO_DECL_FUNC || t->lazy->decl[i] != LAZY_TODO)
    return;
  t->lazy->decl[i] = LAZY_BUSY;
  go_sig *s = omen_arena_alloc(t->arena, sizeof *s);
  if (s &&
      build_sig(t, d->file, go_node_child(d->spec, GO_F_PARAMETERS), go_node_child(d->spec, GO_F_RESULT), s))
    d->sig = s;
  t->lazy->decl[i] = LAZY_DONE;
}

static void fill_method(const go_types *t, size_t i) {
  go_method *m = &t->methods[i];
  if (t->lazy->method[i] != LAZY_TODO)
    return;
  t->lazy->method[i] = LAZY_BUSY;
  if (!build_sig(t, m->file, go_node_child(m->decl, GO_F_PARAMETERS), go_node_child(m->decl, GO_F_RESULT),
                 &m->sig))
    memset(&m->sig, 0, sizeof m->sig);
  t->lazy->method[i] = LAZY_DONE;
}

static void fill_struct(const go_types *t, size_t i) {
  go_struct *s = &t->structs[i];
  if (t->lazy->strct[i] != LAZY_TODO)
    return;
  t->lazy->strct[i] = LAZY_BUSY;
  TSNode ty = go_node_child(s->spec, GO_F_TYPE);
  TSNode list = ts_node_named_child(ty, 0);
  field_ctx fc = {t, s->file, NULL, 0, 0, true};
  each_named(list, field_decl, &fc);
  if (fc.ok) {
    s->fields = fc.v;
    s->nfields = fc.n;
  }
  t->lazy->strct[i] = LAZY_DONE;
}

static const go_decl *filled_decl(const go_types *t, const go_decl *d) {
  if (d)
    fill_decl(t, (size_t)(d - t->decls));
  return d;
}

void go_types_complete(const go_types *t) {
  if (!t)
    return;
  for (size_t i = 0; i < t->nstructs; i++)
    fill_struct(t, i);
  for (size_t i = 0; i < t->nmethods; i++)
    fill_method(t, i);
  for (size_t i = 0; i < t->ndecls; i++)
    fill_decl(t, i);
}

static bool build_sigrefs(const go_types *t) {
  struct go_types_lazy *lz = t->lazy;
  if (lz->sigrefs_built)
    return lz->sigrefs != NULL;
  lz->sigrefs_built = true;
  size_t n = 0;
  for (size_t i = 0; i < t->nmethods; i++)
    n += !t->methods[i].iface;
  for (size_t i = 0; i < t->ndecls; i++)
    n += t->decls[i].kind == GO_DECL_FUNC;
  if (n == 0)
    return false;
  struct go_sig_ref *v = omen_arena_alloc(t->arena, n * sizeof *v);
  if (!v)
    return false;
  size_t k = 0;
  for (size_t i = 0; i < t->nmethods; i++)
    if (!t->methods[i].iface)
      v[k++] = (struct go_sig_ref){t->methods[i].decl.id, 1, i};
  for (size_t i = 0; i < t->ndecls; i++)
    if (t->decls[i].kind == GO_DECL_FUNC)
      v[k++] = (struct go_sig_ref){t->decls[i].spec.id, 0, i};
  qsort(v, n, sizeof *v, cmp_sigref);
  lz->sigrefs = v;
  lz->nsigrefs = n;
  return true;
}

const go_sig *go_types_sig_of(const go_types *t, TSNode fn) {
  if (!t || ts_node_is_null(fn) || !build_sigrefs(t))
    return NULL;
  struct go_sig_ref key = {fn.id, 0, 0};
  const struct go_sig_ref *r = bsearch(&key, t->lazy->sigrefs, t->lazy->nsigrefs, sizeof key, cmp_sigref);
  if (!r)
    return NULL;
  if (r->method) {
    fill_method(t, r->index);
    return &t->methods[r->index].sig;
  }
  fill_decl(t, r->index);
  return t->decls[r->index].sig;
}

const go_import *go_types_imports(const go_types *t, uint32_t file, size_t *n) {
  if (!t || file >= t->nfiles) {
    *n = 0;
    return NULL;
  }
  *n = t->nimports[file];
  return t->imports[file];
}

const go_import *go_types_import_of(const go_types *t, uint32_t file, const char *path) {
  if (!t || file >= t->nfiles || !path)
    return NULL;
  for (size_t i = 0; i < t->nimports[file]; i++) {
    const go_import *im = &t->imports[file][i];
    if ((im->kind == GO_IMPORT_PLAIN || im->kind == GO_IMPORT_ALIAS) && strcmp(im->path, path) == 0)
      return im;
  }
  return NULL;
}

/* The first declaration of name, its signature not necessarily built. */
static const go_decl *find_decl(const go_types *t, const char *name) {
  if (!t || !name)
    return NULL;
  size_t lo = 0, hi = t->ndecls;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(t->decls[mid].name, name);
    if (c == 0) {
      while (mid > 0 && strcmp(t->decls[mid - 1].name, name) == 0)
        mid--;
      return &t->decls[mid];
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

const go_decl *go_types_decl(const go_types *t, const char *name) {
  return filled_decl(t, find_decl(t, name));
}

const go_struct *go_types_struct(const go_types *t, const char *name) {
  if (!t || !name || t->nstructs == 0)
    return NULL;
  go_struct key = {name, 0, null_node(), NULL, 0};
  const go_struct *s = bsearch(&key, t->structs, t->nstructs, sizeof key, cmp_struct);
  if (s)
    fill_struct(t, (size_t)(s - t->structs));
  return s;
}

const go_field *go_types_field(const go_struct *s, const char *name) {
  for (size_t i = 0; s && name && i < s->nfields; i++)
    if (s->fields[i].name && strcmp(s->fields[i].name, name) == 0)
      return &s->fields[i];
  return NULL;
}

/* The methods of recv: [*lo, returned end). */
static size_t methods_range(const go_types *t, const char *recv, size_t *first) {
  size_t lo = 0, hi = t->nmethods;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(t->methods[mid].recv, recv) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t e = lo;
  while (e < t->nmethods && strcmp(t->methods[e].recv, recv) == 0)
    e++;
  *first = lo;
  return e;
}

size_t go_types_methods_of(const go_types *t, const char *recv, const go_method **out) {
  *out = NULL;
  if (!t || !recv)
    return 0;
  size_t lo, e = methods_range(t, recv, &lo);
  for (size_t i = lo; i < e; i++)
    fill_method(t, i);
  if (e > lo)
    *out = &t->methods[lo];
  return e - lo;
}

const go_method *go_types_method(const go_types *t, const char *recv, const char *name) {
  if (!t || !recv || !name)
    return NULL;
  size_t lo, e = methods_range(t, recv, &lo);
  for (size_t i = lo; i < e; i++) {
    if (strcmp(t->methods[i].name, name) == 0) {
      fill_method(t, i);
      return &t->methods[i];
    }
  }
  return NULL;
}

/* ---------- scopes ---------- */

enum role { ROLE_VALUE = 0, ROLE_PARAM, ROLE_RANGE, ROLE_TSWITCH, ROLE_RECV, ROLE_TYPE, ROLE_CONST };

/* A local declaration with what type-lite needs to type it. */
typedef struct local {
  go_binding b;
  uint32_t file;
  enum role role;
  TSNode type;    /* declared type node */
  TSNode values;  /* expression_list of values, the range expression, the switch operand, the <- expr */
  TSNode clause;  /* ROLE_TSWITCH: the case clause */
  uint32_t index; /* position among the declared names */
  uint32_t nnames;
} local;

typedef struct list_ctx {
  const go_types *t;
  uint32_t file;
  const char *name;
  uint32_t i, index;
  TSNode id;
  bool found;
  bool names_only; /* only children with field "name" */
} list_ctx;

static bool list_item(void *ctx, TSNode ch, TSFieldId fname) {
  list_ctx *c = ctx;
  if (c->names_only && (fname != go_field_id(GO_F_NAME)))
    return true;
  if (!c->found && go_node_is(ch, GO_NODE_IDENTIFIER) && eq(c->t, c->file, ch, c->name)) {
    c->found = true;
    c->index = c->i;
    c->id = ch;
  }
  c->i++;
  return true;
}

/* Is name among the identifiers of list (an expression_list, or a spec's "name" children)? */
static bool in_names(const go_types *t, uint32_t file, TSNode list, const char *name, bool names_only,
                     local *out) {
  list_ctx c = {t, file, name, 0, 0, null_node(), false, names_only};
  each_named(list, list_item, &c);
  if (!c.found)
    return false;
  out->index = c.index;
  out->nnames = c.i;
  out->b.name = c.id;
  return true;
}

static void set_local(local *l, uint32_t file, TSNode decl, enum role role) {
  l->b.kind = GO_BIND_LOCAL;
  l->b.decl = decl;
  l->file = file;
  l->role = role;
}

typedef struct stmt_ctx {
  const go_types *t;
  uint32_t file;
  const char *name;
  local *out;
  bool found;
  TSNode prev_type, prev_values; /* const groups */
} stmt_ctx;

static bool spec_declares(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  stmt_ctx *c = ctx;
  if (go_node_is(ch, GO_NODE_VAR_SPEC_LIST)) {
    each_named(ch, spec_declares, c);
    return true;
  }
  bool var = go_node_is(ch, GO_NODE_VAR_SPEC), cst = go_node_is(ch, GO_NODE_CONST_SPEC);
  if (var || cst) {
    TSNode ty = go_node_child(ch, GO_F_TYPE), vals = go_node_child(ch, GO_F_VALUE);
    if (cst && !ts_node_is_null(vals)) {
      c->prev_type = ty;
      c->prev_values = vals;
    } else if (cst) {
      ty = c->prev_type;
      vals = c->prev_values;
    }
    local l = {0};
    if (in_names(c->t, c->file, ch, c->name, true, &l)) {
      set_local(&l, c->file, ch, cst ? ROLE_CONST : ROLE_VALUE);
      l.type = ty;
      l.values = vals;
      *c->out = l;
      c->found = true;
    }
  } else if (go_node_is(ch, GO_NODE_TYPE_SPEC) || go_node_is(ch, GO_NODE_TYPE_ALIAS)) {
    if (eq(c->t, c->file, go_node_child(ch, GO_F_NAME), c->name)) {
      local l = {0};
      set_local(&l, c->file, ch, ROLE_TYPE);
      l.b.name = go_node_child(ch, GO_F_NAME);
      *c->out = l;
      c->found = true;
    }
  }
  return true;
}

/* Does statement s declare name? The last declaration wins (callers scan in order). */
static bool stmt_declares(const go_types *t, uint32_t file, TSNode s, const char *name, local *out) {
  if (go_node_is(s, GO_NODE_LABELED_STATEMENT) && ts_node_named_child_count(s) == 2)
    s = ts_node_named_child(s, 1);
  if (go_node_is(s, GO_NODE_SHORT_VAR_DECLARATION)) {
    local l = {0};
    if (!in_names(t, file, go_node_child(s, GO_F_LEFT), name, false, &l))
      return false;
    set_local(&l, file, s, ROLE_VALUE);
    l.values = go_node_child(s, GO_F_RIGHT);
    *out = l;
    return true;
  }
  if (go_node_is(s, GO_NODE_VAR_DECLARATION) || go_node_is(s, GO_NODE_CONST_DECLARATION) ||
      go_node_is(s, GO_NODE_TYPE_DECLARATION)) {
    stmt_ctx c = {t, file, name, out, false, null_node(), null_node()};
    each_named(s, spec_declares, &c);
    return c.found;
  }
  return false;
}

typedef struct scan_ctx {
  const go_types *t;
  uint32_t file;
  const char *name;
  uint32_t before; /* start byte of the child the use is in */
  local *out;
  bool found;
} scan_ctx;

static bool scan_stmt(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  scan_ctx *c = ctx;
  if (ts_node_start_byte(ch) >= c->before)
    return false;
  local l;
  if (stmt_declares(c->t, c->file, ch, c->name, &l)) {
    *c->out = l;
    c->found = true;
  }
  return true;
}

/* Block declarations by name. A block (or case clause) is scanned once: for every name a statement
 * of it may declare, stmt_declares gives the record; a lookup then takes the last record of the
 * name among the statements that start before the use, as scanning the statements would. */
typedef enum blk_state { BLK_UNCHECKED = 0, BLK_DECLARES, BLK_NOT } blk_state;

typedef struct blk_decl {
  const char *name;
  uint32_t start; /* start byte of the declaring statement */
  uint32_t order; /* its position among the block's statements (a function's: the group) */
  TSNode stmt;    /* blocks: the statement, asked (stmt_declares) on the first lookup that needs it */
  blk_state state;
  local l;        /* when BLK_DECLARES */
} blk_decl;

struct blk_index {
  const void *id; /* the scope node (id and tree); NULL for an empty slot */
  const TSTree *tree;
  blk_decl *v; /* sorted by name, then order */
  size_t n;
};

enum { MAX_BLOCKS = 1 << 22 };

typedef struct blk_build {
  const go_types *t;
  uint32_t file;
  TSNode stmt;
  uint32_t order;
  blk_decl *v;
  size_t n, cap;
  bool ok;
} blk_build;

static void blk_add(blk_build *b, TSNode name_node) {
  const char *name = str(b->t, b->file, name_node);
  if (!name) {
    b->ok = false;
    return;
  }
  blk_decl *nv = hgrow(b->v, b->n, &b->cap, sizeof *nv);
  if (!nv) {
    b->ok = false;
    return;
  }
  b->v = nv;
  blk_decl *d = &b->v[b->n++];
  memset(d, 0, sizeof *d);
  *d = (blk_decl){.name = name, .start = ts_node_start_byte(b->stmt), .order = b->order, .stmt = b->stmt};
}

static bool blk_ident(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  if (go_node_is(ch, GO_NODE_IDENTIFIER))
    blk_add(ctx, ch);
  return true;
}

static bool blk_spec_name(void *ctx, TSNode ch, TSFieldId fname) {
  if (fname == go_field_id(GO_F_NAME) && go_node_is(ch, GO_NODE_IDENTIFIER))
    blk_add(ctx, ch);
  return true;
}

/* The names spec_declares may find under a declaration. */
static bool blk_spec(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  go_node k = go_node_kind(ch);
  if (k == GO_NODE_VAR_SPEC_LIST)
    each_named(ch, blk_spec, ctx);
  else if (k == GO_NODE_VAR_SPEC || k == GO_NODE_CONST_SPEC)
    each_named(ch, blk_spec_name, ctx);
  else if (k == GO_NODE_TYPE_SPEC || k == GO_NODE_TYPE_ALIAS) {
    TSNode nm = go_node_child(ch, GO_F_NAME);
    if (!ts_node_is_null(nm))
      blk_add(ctx, nm);
  }
  return true;
}

/* The names stmt_declares may find in statement ch. */
static bool blk_stmt(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  blk_build *b = ctx;
  b->stmt = ch;
  TSNode s = ch;
  if (go_node_is(s, GO_NODE_LABELED_STATEMENT) && ts_node_named_child_count(s) == 2)
    s = ts_node_named_child(s, 1);
  go_node k = go_node_kind(s);
  if (k == GO_NODE_SHORT_VAR_DECLARATION)
    each_named(go_node_child(s, GO_F_LEFT), blk_ident, b);
  else if (k == GO_NODE_VAR_DECLARATION || k == GO_NODE_CONST_DECLARATION || k == GO_NODE_TYPE_DECLARATION)
    each_named(s, blk_spec, b);
  b->order++;
  return b->ok;
}

static int cmp_blk_decl(const void *a, const void *b) {
  const blk_decl *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c)
    return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

static size_t blk_hash(const void *id) { return (size_t)(((uintptr_t)id >> 4) * 0x9E3779B97F4A7C15u); }

/* The candidates of block p: from go-inspect's walk when it recorded the file's block declarations
 * (the same names blk_stmt finds, and a few more that stmt_declares then turns down), else by
 * walking p's statements. */
static void blk_fill_block(blk_build *b, TSNode p) {
  const go_inspect *ins = b->t->lazy->ins;
  size_t n = SIZE_MAX;
  const go_block_decl *v = ins && ins->nfiles == b->t->nfiles ? go_inspect_block_decls(ins, b->file, p, &n) : NULL;
  if (n == SIZE_MAX) {
    each_named(p, blk_stmt, b);
    return;
  }
  for (size_t i = 0; i < n && b->ok; i++) {
    blk_decl *nv = hgrow(b->v, b->n, &b->cap, sizeof *nv);
    if (!nv) {
      b->ok = false;
      return;
    }
    b->v = nv;
    blk_decl *d = &b->v[b->n++];
    memset(d, 0, sizeof *d);
    uint32_t start = ts_node_start_byte(v[i].stmt);
    *d = (blk_decl){.name = v[i].name, .start = start, .order = start, .stmt = v[i].stmt};
  }
}

/* The index of scope node p (a block or case clause, or a function: see fn_declares), built by
 * fill on first use; NULL when out of memory or past MAX_BLOCKS. */
static const struct blk_index *blk_index_of(const go_types *t, uint32_t file, TSNode p,
                                            void (*fill)(blk_build *, TSNode)) {
  struct go_types_lazy *lz = t->lazy;
  if (lz->nblk * 2 >= lz->capblk) {
    if (lz->capblk >= 2 * (size_t)MAX_BLOCKS)
      return NULL;
    size_t cap = lz->capblk ? lz->capblk * 2 : 64;
    struct blk_index *nt = omen_arena_alloc(t->arena, cap * sizeof *nt);
    if (!nt)
      return NULL;
    for (size_t i = 0; i < lz->capblk; i++) {
      if (!lz->blk[i].id)
        continue;
      size_t j = blk_hash(lz->blk[i].id) & (cap - 1);
      while (nt[j].id)
        j = (j + 1) & (cap - 1);
      nt[j] = lz->blk[i];
    }
    lz->blk = nt;
    lz->capblk = cap;
  }
  size_t j = blk_hash(p.id) & (lz->capblk - 1);
  while (lz->blk[j].id) {
    if (lz->blk[j].id == p.id && lz->blk[j].tree == p.tree)
      return &lz->blk[j];
    j = (j + 1) & (lz->capblk - 1);
  }
  blk_build b = {t, file, null_node(), 0, NULL, 0, 0, true};
  fill(&b, p);
  bool ok = b.ok;
  blk_decl *v = NULL;
  if (ok && b.n) {
    qsort(b.v, b.n, sizeof *b.v, cmp_blk_decl);
    v = omen_arena_alloc(t->arena, b.n * sizeof *v);
    ok = v != NULL;
    if (ok)
      memcpy(v, b.v, b.n * sizeof *v);
  }
  free(b.v);
  if (!ok)
    return NULL;
  lz->blk[j] = (struct blk_index){p.id, p.tree, v, b.n};
  lz->nblk++;
  return &lz->blk[j];
}

/* What the statements of block p that start before byte before declare as name (the last one);
 * the same answer as scanning them with stmt_declares. */
static bool block_declares(const go_types *t, uint32_t file, TSNode p, const char *name, uint32_t before,
                           local *out) {
  const struct blk_index *bi = blk_index_of(t, file, p, blk_fill_block);
  if (!bi) {
    scan_ctx sc = {t, file, name, before, out, false};
    each_named(p, scan_stmt, &sc);
    return sc.found;
  }
  size_t lo = 0, hi = bi->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(bi->v[mid].name, name) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < bi->n && strcmp(bi->v[end].name, name) == 0 && bi->v[end].start < before)
    end++;
  /* the last statement before `before` that declares name; each is asked once, on first need */
  for (size_t i = end; i > lo; i--) {
    blk_decl *d = &bi->v[i - 1];
    if (d->state == BLK_UNCHECKED)
      d->state = stmt_declares(t, file, d->stmt, name, &d->l) ? BLK_DECLARES : BLK_NOT;
    if (d->state == BLK_DECLARES) {
      *out = d->l;
      return true;
    }
  }
  return false;
}

typedef struct param_ctx {
  const go_types *t;
  uint32_t file;
  const char *name;
  local *out;
  bool found;
} param_ctx;

static bool param_declares(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  param_ctx *c = ctx;
  bool variadic = go_node_is(ch, GO_NODE_VARIADIC_PARAMETER_DECLARATION);
  if (!variadic && !go_node_is(ch, GO_NODE_PARAMETER_DECLARATION) &&
      !go_node_is(ch, GO_NODE_TYPE_PARAMETER_DECLARATION))
    return true;
  local l = {0};
  if (in_names(c->t, c->file, ch, c->name, true, &l)) {
    set_local(&l, c->file, ch, go_node_is(ch, GO_NODE_TYPE_PARAMETER_DECLARATION) ? ROLE_TYPE : ROLE_PARAM);
    l.type = go_node_child(ch, GO_F_TYPE);
    l.index = variadic ? 1 : 0; /* ROLE_PARAM: index 1 marks variadic */
    *c->out = l;
    c->found = true;
    return false;
  }
  return true;
}

static bool params_declare(const go_types *t, uint32_t file, TSNode list, const char *name, local *out) {
  if (!go_node_is(list, GO_NODE_PARAMETER_LIST) && !go_node_is(list, GO_NODE_TYPE_PARAMETER_LIST))
    return false;
  param_ctx c = {t, file, name, out, false};
  each_named(list, param_declares, &c);
  return c.found;
}

/* Function scopes by name: group 0 is what the parameters, receiver and results declare (in that
 * order, as lookup_local asks them, for a use in the body), group 1 the type parameters; each entry
 * is params_declare's answer for its name. */
typedef struct fn_build {
  blk_build *b;
  TSNode fn;
  uint32_t group;
} fn_build;

static void fn_add(fn_build *c, TSNode name_node) {
  blk_build *b = c->b;
  const char *name = str(b->t, b->file, name_node);
  if (!name) {
    b->ok = false;
    return;
  }
  local l;
  bool found;
  if (c->group == 0)
    found = params_declare(b->t, b->file, go_node_child(c->fn, GO_F_PARAMETERS), name, &l) ||
            params_declare(b->t, b->file, go_node_child(c->fn, GO_F_RECEIVER), name, &l) ||
            params_declare(b->t, b->file, go_node_child(c->fn, GO_F_RESULT), name, &l);
  else
    found = params_declare(b->t, b->file, go_node_child(c->fn, GO_F_TYPE_PARAMETERS), name, &l);
  if (!found)
    return;
  blk_decl *nv = hgrow(b->v, b->n, &b->cap, sizeof *nv);
  if (!nv) {
    b->ok = false;
    return;
  }
  b->v = nv;
  b->v[b->n++] = (blk_decl){name, 0, c->group, null_node(), BLK_DECLARES, l};
}

static bool fn_param_name(void *ctx, TSNode ch, TSFieldId fname) {
  if (fname == go_field_id(GO_F_NAME) && go_node_is(ch, GO_NODE_IDENTIFIER))
    fn_add(ctx, ch);
  return true;
}

static bool fn_param(void *ctx, TSNode ch, TSFieldId fname) {
  (void)fname;
  go_node k = go_node_kind(ch);
  if (k == GO_NODE_PARAMETER_DECLARATION || k == GO_NODE_VARIADIC_PARAMETER_DECLARATION ||
      k == GO_NODE_TYPE_PARAMETER_DECLARATION)
    each_named(ch, fn_param_name, ctx);
  return ((fn_build *)ctx)->b->ok;
}

static void fn_list(fn_build *c, TSNode list) {
  if (go_node_is(list, GO_NODE_PARAMETER_LIST) || go_node_is(list, GO_NODE_TYPE_PARAMETER_LIST))
    each_named(list, fn_param, c);
}

static void blk_fill_fn(blk_build *b, TSNode fn) {
  fn_build c = {b, fn, 0};
  fn_list(&c, go_node_child(fn, GO_F_PARAMETERS));
  fn_list(&c, go_node_child(fn, GO_F_RECEIVER));
  fn_list(&c, go_node_child(fn, GO_F_RESULT));
  c.group = 1;
  fn_list(&c, go_node_child(fn, GO_F_TYPE_PARAMETERS));
}

/* What the parameters, receiver and results (group 0) or the type parameters (group 1) of function
 * fn declare as name; the same answer as params_declare on them. */
static bool fn_declares(const go_types *t, uint32_t file, TSNode fn, uint32_t group, const char *name,
                        local *out) {
  const struct blk_index *bi = blk_index_of(t, file, fn, blk_fill_fn);
  if (!bi) {
    if (group == 1)
      return params_declare(t, file, go_node_child(fn, GO_F_TYPE_PARAMETERS), name, out);
    return params_declare(t, file, go_node_child(fn, GO_F_PARAMETERS), name, out) ||
           params_declare(t, file, go_node_child(fn, GO_F_RECEIVER), name, out) ||
           params_declare(t, file, go_node_child(fn, GO_F_RESULT), name, out);
  }
  size_t lo = 0, hi = bi->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(bi->v[mid].name, name) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < bi->n && strcmp(bi->v[i].name, name) == 0; i++) {
    if (bi->v[i].order == group) {
      *out = bi->v[i].l;
      return true;
    }
  }
  return false;
}

/* Continue the chain out[0..n) towards target: at each level the first child that is target or
 * contains its bytes. Returns the chain's length, 0 if target was not found. */
static size_t descend(TSNode target, TSNode *out, size_t n, size_t cap) {
  uint32_t s = ts_node_start_byte(target), e = ts_node_end_byte(target);
  TSNode cur = out[n - 1];
  TSTreeCursor c = ts_tree_cursor_new(cur);
  while (!ts_node_eq(cur, target) && n < cap) {
    if (ts_tree_cursor_goto_first_child_for_byte(&c, s) < 0)
      break;
    bool found = false;
    for (;;) {
      TSNode ch = ts_tree_cursor_current_node(&c);
      if (ts_node_eq(ch, target) || (ts_node_start_byte(ch) <= s && ts_node_end_byte(ch) >= e)) {
        found = true;
        break;
      }
      if (ts_node_start_byte(ch) > s || !ts_tree_cursor_goto_next_sibling(&c))
        break;
    }
    if (!found)
      break;
    cur = ts_tree_cursor_current_node(&c);
    out[n++] = cur;
  }
  ts_tree_cursor_delete(&c);
  return ts_node_eq(cur, target) ? n : 0;
}

static bool contains(TSNode n, uint32_t s, uint32_t e) {
  return ts_node_start_byte(n) <= s && ts_node_end_byte(n) >= e;
}

/* The top-level declaration of file around bytes [s, e), from go-inspect's tops; null if none. */
static TSNode top_around(const go_types *t, uint32_t file, uint32_t s, uint32_t e) {
  struct go_types_lazy *lz = t->lazy;
  const go_inspect *ins = lz->ins;
  if (!ins || ins->ntops >= GO_INSPECT_MAX_SITES || ins->nfiles != t->nfiles)
    return null_node();
  if (!lz->top_first) {
    lz->top_first = omen_arena_alloc(t->arena, (t->nfiles + 1) * sizeof *lz->top_first);
    if (!lz->top_first)
      return null_node();
    size_t k = 0;
    for (size_t f = 0; f <= t->nfiles; f++) {
      while (k < ins->ntops && ins->tops[k].file < f)
        k++;
      lz->top_first[f] = k;
    }
  }
  size_t lo = lz->top_first[file], hi = lz->top_first[file + 1];
  while (lo < hi) { /* the first top starting after s */
    size_t mid = lo + (hi - lo) / 2;
    if (ts_node_start_byte(ins->tops[mid].node) <= s)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo > lz->top_first[file] && contains(ins->tops[lo - 1].node, s, e))
    return ins->tops[lo - 1].node;
  return null_node();
}

/* The chain root..target; returns its length (0 if target was not found under root). For a target
 * with bytes, the chain is the unique nesting of nodes containing them (siblings do not overlap), so
 * it may start from a known part of it: the previous lookup's chain, or the top-level declaration
 * around the target; an empty target takes the walk from the root. */
static size_t ancestors(const go_types *t, uint32_t file, TSNode target, TSNode *out, size_t cap) {
  struct go_types_lazy *lz = t->lazy;
  uint32_t s = ts_node_start_byte(target), e = ts_node_end_byte(target);
  size_t n = 1;
  out[0] = t->files[file]->root;
  if (e > s && lz->anc_n > 1 && lz->anc_file == file) {
    while (n < lz->anc_n && n < cap && contains(lz->anc[n], s, e)) {
      out[n] = lz->anc[n];
      if (ts_node_eq(out[n++], target))
        break;
    }
  }
  if (n == 1 && e > s && cap > 1) {
    TSNode d = top_around(t, file, s, e);
    if (!ts_node_is_null(d))
      out[n++] = d;
  }
  n = descend(target, out, n, cap);
  if (n > 1) {
    if (!lz->anc)
      lz->anc = omen_arena_alloc(t->arena, MAX_ANCESTORS * sizeof *lz->anc);
    if (lz->anc) {
      memcpy(lz->anc, out, (n < MAX_ANCESTORS ? n : MAX_ANCESTORS) * sizeof *out);
      lz->anc_n = n < MAX_ANCESTORS ? n : MAX_ANCESTORS;
      lz->anc_file = file;
    }
  }
  return n;
}

/* If identifier id (at the end of path) is itself a declaration, fill l. */
static bool self_declares(const go_types *t, uint32_t file, const TSNode *path, size_t n, const char *name,
                          local *l) {
  if (n < 2)
    return false;
  TSNode p = path[n - 2], id = path[n - 1];
  if (go_node_is(p, GO_NODE_EXPRESSION_LIST) && n >= 3) {
    TSNode g = path[n - 3];
    bool left = ts_node_eq(go_node_child(g, GO_F_LEFT), p);
    if (left && go_node_is(g, GO_NODE_SHORT_VAR_DECLARATION))
      return stmt_declares(t, file, g, name, l);
    if (left && (go_node_is(g, GO_NODE_RANGE_CLAUSE) || go_node_is(g, GO_NODE_RECEIVE_STATEMENT)) &&
        has_token(g, GO_NODE_TOK_DEFINE) && in_names(t, file, p, name, false, l)) {
      set_local(l, file, g, go_node_is(g, GO_NODE_RANGE_CLAUSE) ? ROLE_RANGE : ROLE_RECV);
      l->values = go_node_child(g, GO_F_RIGHT);
      return true;
    }
  }
  if (go_node_is(p, GO_NODE_VAR_SPEC) || go_node_is(p, GO_NODE_CONST_SPEC)) {
    /* typed like the spec; const repetition is not followed here */
    if (!in_names(t, file, p, name, true, l))
      return false;
    set_local(l, file, p, go_node_is(p, GO_NODE_CONST_SPEC) ? ROLE_CONST : ROLE_VALUE);
    l->type = go_node_child(p, GO_F_TYPE);
    l->values = go_node_child(p, GO_F_VALUE);
    return true;
  }
  if ((go_node_is(p, GO_NODE_PARAMETER_DECLARATION) ||
       go_node_is(p, GO_NODE_VARIADIC_PARAMETER_DECLARATION)) &&
      in_names(t, file, p, name, true, l)) {
    set_local(l, file, p, ROLE_PARAM);
    l->type = go_node_child(p, GO_F_TYPE);
    l->index = go_node_is(p, GO_NODE_VARIADIC_PARAMETER_DECLARATION) ? 1 : 0;
    return true;
  }
  (void)id;
  return false;
}

/* Local lookup of name from path's end outwards; true with l filled when a local declares it. */
static bool lookup_local(const go_types *t, uint32_t file, const TSNode *path, size_t n, const char *name,
                         local *l) {
  if (n && go_node_is(path[n - 1], GO_NODE_IDENTIFIER) && eq(t, file, path[n - 1], name) &&
      self_declares(t, file, path, n, name, l))
    return true;
  for (size_t i = n - 1; i > 0; i--) {
    TSNode p = path[i - 1], c = path[i];
    go_node k = go_node_kind(p);
    if (k == GO_NODE_BLOCK || k == GO_NODE_EXPRESSION_CASE || k == GO_NODE_DEFAULT_CASE ||
        k == GO_NODE_TYPE_CASE || k == GO_NODE_COMMUNICATION_CASE) {
      if (block_declares(t, file, p, name, ts_node_start_byte(c), l))
        return true;
      if (k == GO_NODE_COMMUNICATION_CASE) {
        TSNode com = go_node_child(p, GO_F_COMMUNICATION);
        if (!ts_node_eq(com, c) && go_node_is(com, GO_NODE_RECEIVE_STATEMENT) &&
            has_token(com, GO_NODE_TOK_DEFINE) &&
            in_names(t, file, go_node_child(com, GO_F_LEFT), name, false, l)) {
          set_local(l, file, com, ROLE_RECV);
          l->values = go_node_child(com, GO_F_RIGHT);
          return true;
        }
      }
    } else if (k == GO_NODE_IF_STATEMENT || k == GO_NODE_EXPRESSION_SWITCH_STATEMENT ||
               k == GO_NODE_TYPE_SWITCH_STATEMENT || k == GO_NODE_FOR_CLAUSE) {
      TSNode init = go_node_child(p, GO_F_INITIALIZER);
      if (!ts_node_is_null(init) && !ts_node_eq(init, c) && stmt_declares(t, file, init, name, l))
        return true;
      if (k == GO_NODE_TYPE_SWITCH_STATEMENT &&
          (go_node_is(c, GO_NODE_TYPE_CASE) || go_node_is(c, GO_NODE_DEFAULT_CASE))) {
        TSNode alias = go_node_child(p, GO_F_ALIAS);
        if (!ts_node_is_null(alias) && in_names(t, file, alias, name, false, l)) {
          set_local(l, file, p, ROLE_TSWITCH);
          l->values = go_node_child(p, GO_F_VALUE);
          l->clause = c;
          return true;
        }
      }
    } else if (k == GO_NODE_FOR_STATEMENT) {
      if (!ts_node_eq(go_node_child(p, GO_F_BODY), c))
        continue;
      uint32_t nc = ts_node_named_child_count(p);
      for (uint32_t j = 0; j < nc; j++) {
        TSNode ch = ts_node_named_child(p, j);
        if (go_node_is(ch, GO_NODE_RANGE_CLAUSE) && has_token(ch, GO_NODE_TOK_DEFINE) &&
            in_names(t, file, go_node_child(ch, GO_F_LEFT), name, false, l)) {
          set_local(l, file, ch, ROLE_RANGE);
          l->values = go_node_child(ch, GO_F_RIGHT);
          return true;
        }
        if (go_node_is(ch, GO_NODE_FOR_CLAUSE)) {
          TSNode init = go_node_child(ch, GO_F_INITIALIZER);
          if (!ts_node_is_null(init) && stmt_declares(t, file, init, name, l))
            return true;
        }
      }
    } else if (k == GO_NODE_FUNCTION_DECLARATION || k == GO_NODE_METHOD_DECLARATION ||
               k == GO_NODE_FUNC_LITERAL) {
      if (ts_node_eq(go_node_child(p, GO_F_BODY), c) && fn_declares(t, file, p, 0, name, l))
        return true;
      if (fn_declares(t, file, p, 1, name, l))
        return true;
      if (k != GO_NODE_FUNC_LITERAL)
        return false; /* a top-level function: locals end here */
    }
  }
  return false;
}

static go_bind_kind lookup_path(const go_types *t, uint32_t file, const TSNode *path, size_t n,
                                const char *name, local *l) {
  memset(l, 0, sizeof *l);
  l->file = file;
  if (!name || strcmp(name, "_") == 0)
    return GO_BIND_NONE;
  if (n && lookup_local(t, file, path, n, name, l))
    return GO_BIND_LOCAL;
  memset(l, 0, sizeof *l);
  l->file = file;
  const go_import *im = import_named(t, file, name, strlen(name));
  if (im) {
    l->b.kind = GO_BIND_IMPORT;
    l->b.imp = im;
    return GO_BIND_IMPORT;
  }
  const go_decl *d = find_decl(t, name);
  if (d) {
    l->b.kind = GO_BIND_PACKAGE;
    l->b.pkg = d;
    l->file = d->file;
    return GO_BIND_PACKAGE;
  }
  if (in_list(universe_types, name) || in_list(universe_values, name)) {
    l->b.kind = GO_BIND_UNIVERSE;
    return GO_BIND_UNIVERSE;
  }
  return GO_BIND_NONE;
}

static go_bind_kind lookup_at(const go_types *t, uint32_t file, TSNode at, const char *name, local *l) {
  TSNode path[MAX_ANCESTORS];
  /* a name no scope of the unit declares needs no chain: lookup_local would find nothing */
  bool maybe_local = !t->lazy->ins || go_inspect_maybe_local(t->lazy->ins, name);
  size_t n = ts_node_is_null(at) || !maybe_local ? 0 : ancestors(t, file, at, path, MAX_ANCESTORS);
  return lookup_path(t, file, path, n, name, l);
}

go_bind_kind go_types_lookup(const go_types *t, uint32_t file, TSNode at, const char *name, go_binding *b) {
  memset(b, 0, sizeof *b);
  if (!t || file >= t->nfiles || !name)
    return GO_BIND_NONE;
  local l;
  lookup_at(t, file, at, name, &l);
  *b = l.b;
  filled_decl(t, b->pkg); /* callers may read its sig */
  return b->kind;
}

go_bind_kind go_types_lookup_ident(const go_types *t, uint32_t file, TSNode id, go_binding *b) {
  memset(b, 0, sizeof *b);
  if (!t || file >= t->nfiles || ts_node_is_null(id))
    return GO_BIND_NONE;
  const char *name = str(t, file, id);
  return name ? go_types_lookup(t, file, id, name, b) : GO_BIND_NONE;
}

bool go_types_qualified(const go_types *t, uint32_t file, TSNode expr, const char **path, const char **name) {
  if (!t || file >= t->nfiles)
    return false;
  TSNode e = unparen(expr);
  const char *p = NULL, *nm = NULL;
  if (go_node_is(e, GO_NODE_SELECTOR_EXPRESSION)) {
    TSNode op = unparen(go_node_child(e, GO_F_OPERAND));
    if (!go_node_is(op, GO_NODE_IDENTIFIER))
      return false;
    local l;
    const char *opname = str(t, file, op);
    if (!opname || lookup_at(t, file, op, opname, &l) != GO_BIND_IMPORT)
      return false;
    p = l.b.imp->path;
    nm = str(t, file, go_node_child(e, GO_F_FIELD));
  } else if (go_node_is(e, GO_NODE_IDENTIFIER)) {
    const char *id = str(t, file, e);
    local l;
    if (!id || lookup_at(t, file, e, id, &l) != GO_BIND_NONE)
      return false;
    for (size_t i = 0; i < t->nimports[file] && !p; i++) {
      const go_import *im = &t->imports[file][i];
      if (im->kind == GO_IMPORT_DOT && go_types_std(im->path, NULL, id))
        p = im->path;
    }
    nm = id;
  }
  if (!p || !nm)
    return false;
  if (path)
    *path = p;
  if (name)
    *name = nm;
  return true;
}

/* ---------- type-lite ---------- */

static const char *type_of(const go_types *t, uint32_t file, TSNode e, int depth);
static const char *const *call_results(const go_types *t, uint32_t file, TSNode call, size_t *n, int depth);

static const char *const *one(const go_types *t, const char *ty, size_t *n) {
  *n = 0;
  if (!ty)
    return NULL;
  const char **r = omen_arena_alloc(t->arena, 2 * sizeof *r);
  if (!r)
    return NULL;
  r[0] = ty;
  *n = 1;
  return r;
}

static const char *const *std_results(const go_std_entry *e, size_t *n) {
  size_t k = 0;
  while (k < 3 && e->types[k])
    k++;
  *n = k;
  return k ? e->types : NULL;
}

static bool named_local(const char *ty) {
  if (!ty || !*ty)
    return false;
  for (const char *p = ty; *p; p++)
    if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          (unsigned char)*p >= 0x80))
      return false;
  return !in_list(universe_types, ty);
}

/* "path.Name" -> path (arena) and Name (points into ty); false for other types. */
static bool split_qualified(const go_types *t, const char *ty, const char **path, const char **name) {
  if (!ty || ty[0] == '*' || ty[0] == '[' || strncmp(ty, "map[", 4) == 0 || strncmp(ty, "chan", 4) == 0 ||
      strncmp(ty, "<-", 2) == 0 || strncmp(ty, "func(", 5) == 0 || strchr(ty, ' ') || strchr(ty, '['))
    return false;
  const char *dot = strrchr(ty, '.');
  if (!dot || dot == ty || !named_local(dot + 1))
    return false;
  *path = omen_arena_strndup(t->arena, ty, (size_t)(dot - ty));
  *name = dot + 1;
  return *path != NULL;
}

const char *go_types_deref(const char *ty) { return ty && ty[0] == '*' ? ty + 1 : ty; }

/* Index just past the ']' matching the '[' at s[0]. */
static size_t match_bracket(const char *s) {
  int d = 0;
  for (size_t i = 0; s[i]; i++) {
    if (s[i] == '[')
      d++;
    else if (s[i] == ']' && --d == 0)
      return i + 1;
  }
  return 0;
}

const char *go_types_elem(const go_types *t, const char *ty) {
  (void)t;
  if (!ty)
    return NULL;
  if (ty[0] == '*' && ty[1] == '[')
    ty++;
  if (strncmp(ty, "<-chan ", 7) == 0)
    return ty + 7;
  if (strncmp(ty, "chan<- ", 7) == 0)
    return ty + 7;
  if (strncmp(ty, "chan ", 5) == 0)
    return ty + 5;
  if (strncmp(ty, "map[", 4) == 0) {
    size_t e = match_bracket(ty + 3);
    return e && ty[3 + e] ? ty + 3 + e : NULL;
  }
  if (ty[0] == '[') {
    size_t e = match_bracket(ty);
    return e && ty[e] ? ty + e : NULL;
  }
  return NULL;
}

const char *go_types_map_key(const go_types *t, const char *ty) {
  if (!t || !ty || strncmp(ty, "map[", 4) != 0)
    return NULL;
  size_t e = match_bracket(ty + 3);
  if (e < 2)
    return NULL;
  return omen_arena_strndup(t->arena, ty + 4, e - 2);
}

bool go_types_is_named(const char *ty, const char *path, const char *name, bool *ptr) {
  if (!ty || !path || !name)
    return false;
  bool p = ty[0] == '*';
  if (p)
    ty++;
  size_t pl = strlen(path);
  if (strncmp(ty, path, pl) != 0 || ty[pl] != '.' || strcmp(ty + pl + 1, name) != 0)
    return false;
  if (ptr)
    *ptr = p;
  return true;
}

/* Type of field fname of a value of type base: package structs (promoted fields too) and table fields. */
static const char *field_type(const go_types *t, const char *base, const char *fname, int depth) {
  if (!base || depth > MAX_DEPTH)
    return NULL;
  const char *nb = go_types_deref(base);
  const char *path, *name;
  if (named_local(nb)) {
    const go_struct *s = go_types_struct(t, nb);
    if (!s) {
      /* `type T U`: fields of the underlying named type */
      const go_decl *d = find_decl(t, nb);
      if (d && d->kind == GO_DECL_TYPE &&
          (go_node_is(d->type, GO_NODE_TYPE_IDENTIFIER) || go_node_is(d->type, GO_NODE_QUALIFIED_TYPE)))
        return field_type(t, canon(t, d->file, d->type, depth + 1), fname, depth + 1);
      return NULL;
    }
    const go_field *f = go_types_field(s, fname);
    if (f)
      return f->type;
    for (size_t i = 0; i < s->nfields; i++) {
      if (!s->fields[i].embedded)
        continue;
      const char *ft = field_type(t, s->fields[i].type, fname, depth + 1);
      if (ft)
        return ft;
    }
    return NULL;
  }
  if (split_qualified(t, nb, &path, &name)) {
    const go_std_entry *e = go_types_std(path, name, fname);
    return e && e->kind == GO_STD_FIELD ? e->types[0] : NULL;
  }
  return NULL;
}

/* Results of method mname on a value of type recv. */
static const char *const *method_results(const go_types *t, const char *recv, const char *mname, size_t *n,
                                         int depth) {
  *n = 0;
  if (!recv || depth > MAX_DEPTH)
    return NULL;
  const char *nb = go_types_deref(recv);
  const char *path, *name;
  if (named_local(nb)) {
    const go_method *m = go_types_method(t, nb, mname);
    if (m) {
      *n = m->sig.nresults;
      return m->sig.result_types;
    }
    const go_struct *s = go_types_struct(t, nb);
    for (size_t i = 0; s && i < s->nfields; i++) {
      if (!s->fields[i].embedded)
        continue;
      const char *const *r = method_results(t, s->fields[i].type, mname, n, depth + 1);
      if (r || *n)
        return r;
    }
    return NULL;
  }
  if (split_qualified(t, nb, &path, &name)) {
    const go_std_entry *e = go_types_std(path, name, mname);
    if (e && e->kind == GO_STD_METHOD)
      return std_results(e, n);
  }
  return NULL;
}

/* Is e an untyped constant expression (literals, untyped consts, operations on them)? */
static bool untyped(const go_types *t, uint32_t file, TSNode e, int depth) {
  e = unparen(e);
  if (depth > MAX_DEPTH || ts_node_is_null(e))
    return false;
  go_node k = go_node_kind(e);
  if (k == GO_NODE_INT_LITERAL || k == GO_NODE_FLOAT_LITERAL || k == GO_NODE_RUNE_LITERAL ||
      k == GO_NODE_IMAGINARY_LITERAL || k == GO_NODE_IOTA)
    return true;
  if (k == GO_NODE_BINARY_EXPRESSION)
    return untyped(t, file, go_node_child(e, GO_F_LEFT), depth + 1) &&
           untyped(t, file, go_node_child(e, GO_F_RIGHT), depth + 1);
  if (k == GO_NODE_UNARY_EXPRESSION && !eq(t, file, go_node_child(e, GO_F_OPERATOR), "&") &&
      !eq(t, file, go_node_child(e, GO_F_OPERATOR), "<-") &&
      !eq(t, file, go_node_child(e, GO_F_OPERATOR), "*"))
    return untyped(t, file, go_node_child(e, GO_F_OPERAND), depth + 1);
  if (k == GO_NODE_IDENTIFIER) {
    const char *name = str(t, file, e);
    local l;
    go_bind_kind bk = name ? lookup_at(t, file, e, name, &l) : GO_BIND_NONE;
    if (bk == GO_BIND_LOCAL && l.role == ROLE_CONST)
      return ts_node_is_null(l.type);
    if (bk == GO_BIND_PACKAGE && l.b.pkg->kind == GO_DECL_CONST)
      return ts_node_is_null(l.b.pkg->type);
  }
  return false;
}

/* Type of the index-th of nnames names initialized from the expression_list values. */
static const char *value_type(const go_types *t, uint32_t file, TSNode values, uint32_t index,
                              uint32_t nnames, int depth) {
  if (ts_node_is_null(values))
    return NULL;
  uint32_t nv = ts_node_named_child_count(values);
  if (!go_node_is(values, GO_NODE_EXPRESSION_LIST))
    return index == 0 ? type_of(t, file, values, depth + 1) : NULL;
  if (nv == nnames && index < nv)
    return type_of(t, file, ts_node_named_child(values, index), depth + 1);
  if (nv != 1)
    return NULL;
  TSNode v = unparen(ts_node_named_child(values, 0));
  if (go_node_is(v, GO_NODE_CALL_EXPRESSION)) {
    size_t n;
    const char *const *r = call_results(t, file, v, &n, depth + 1);
    return r && index < n ? r[index] : NULL;
  }
  if (go_node_is(v, GO_NODE_INDEX_EXPRESSION) || go_node_is(v, GO_NODE_TYPE_ASSERTION_EXPRESSION) ||
      (go_node_is(v, GO_NODE_UNARY_EXPRESSION) && eq(t, file, go_node_child(v, GO_F_OPERATOR), "<-")))
    return index == 0 ? type_of(t, file, v, depth + 1) : index == 1 ? "bool" : NULL;
  return NULL;
}

static bool count_type(void *ctx, TSNode ch, TSFieldId fname) {
  (void)ch;
  if (fname == go_field_id(GO_F_TYPE))
    (*(uint32_t *)ctx)++;
  return true;
}

static uint32_t count_types(TSNode type_case) {
  uint32_t n = 0;
  each_named(type_case, count_type, &n);
  return n;
}

static const char *local_type(const go_types *t, const local *l, int depth) {
  uint32_t file = l->file;
  switch (l->role) {
  case ROLE_PARAM: {
    const char *ty = canon(t, file, l->type, depth + 1);
    return l->index == 1 ? cat(t->arena, 2, "[]", ty) : ty;
  }
  case ROLE_VALUE:
  case ROLE_CONST:
    if (!ts_node_is_null(l->type))
      return canon(t, file, l->type, depth + 1);
    return value_type(t, file, l->values, l->index, l->nnames, depth);
  case ROLE_RANGE: {
    const char *rt = type_of(t, file, l->values, depth + 1);
    if (!rt)
      return NULL;
    if (rt[0] == '*' && rt[1] == '[')
      rt++;
    bool str_range = strcmp(rt, "string") == 0;
    if (l->index == 0) {
      if (str_range || rt[0] == '[' || strcmp(rt, "int") == 0)
        return "int";
      if (strncmp(rt, "map[", 4) == 0)
        return go_types_map_key(t, rt);
      if (strncmp(rt, "chan", 4) == 0 || strncmp(rt, "<-chan", 6) == 0)
        return go_types_elem(t, rt);
      return NULL;
    }
    if (l->index == 1) {
      if (str_range)
        return "rune";
      if (rt[0] == '[' || strncmp(rt, "map[", 4) == 0)
        return go_types_elem(t, rt);
    }
    return NULL;
  }
  case ROLE_TSWITCH:
    /* one type in the case: that type; a list, nil or default: the operand's type */
    if (go_node_is(l->clause, GO_NODE_TYPE_CASE) && count_types(l->clause) == 1) {
      TSNode ty = go_node_child(l->clause, GO_F_TYPE);
      if (!go_node_is(ty, GO_NODE_NIL) && !eq(t, file, ty, "nil"))
        return canon(t, file, ty, depth + 1);
    }
    return type_of(t, file, l->values, depth + 1);
  case ROLE_RECV:
    if (l->index == 1)
      return "bool";
    return l->index == 0 ? type_of(t, file, l->values, depth + 1) : NULL;
  case ROLE_TYPE:
    return NULL;
  }
  return NULL;
}

static const char *decl_type(const go_types *t, const go_decl *d, int depth) {
  if (d->kind == GO_DECL_VAR || d->kind == GO_DECL_CONST) {
    if (!ts_node_is_null(d->type))
      return canon(t, d->file, d->type, depth + 1);
    return value_type(t, d->file, d->values, d->index, d->nnames, depth);
  }
  if (d->kind == GO_DECL_FUNC && filled_decl(t, d)->sig)
    return sig_text(t, d->sig);
  return NULL;
}

static const char *ident_type(const go_types *t, uint32_t file, TSNode e, int depth) {
  const char *name = str(t, file, e);
  if (!name)
    return NULL;
  local l;
  switch (lookup_at(t, file, e, name, &l)) {
  case GO_BIND_LOCAL:
    return local_type(t, &l, depth);
  case GO_BIND_PACKAGE:
    return decl_type(t, l.b.pkg, depth);
  case GO_BIND_UNIVERSE:
    return strcmp(name, "true") == 0 || strcmp(name, "false") == 0 ? "bool" : NULL;
  default:
    return NULL;
  }
}

static const char *type_of(const go_types *t, uint32_t file, TSNode e, int depth) {
  e = unparen(e);
  if (ts_node_is_null(e) || depth > MAX_DEPTH)
    return NULL;
  go_node k = go_node_kind(e);
  omen_arena *a = t->arena;
  if (k == GO_NODE_IDENTIFIER)
    return ident_type(t, file, e, depth);
  if (k == GO_NODE_INT_LITERAL)
    return "int";
  if (k == GO_NODE_FLOAT_LITERAL)
    return "float64";
  if (k == GO_NODE_IMAGINARY_LITERAL)
    return "complex128";
  if (k == GO_NODE_RUNE_LITERAL)
    return "rune";
  if (k == GO_NODE_INTERPRETED_STRING_LITERAL || k == GO_NODE_RAW_STRING_LITERAL)
    return "string";
  if (k == GO_NODE_TRUE || k == GO_NODE_FALSE)
    return "bool";
  if (k == GO_NODE_COMPOSITE_LITERAL)
    return canon(t, file, go_node_child(e, GO_F_TYPE), depth + 1);
  if (k == GO_NODE_FUNC_LITERAL) {
    const go_sig *s = go_types_sig_of_lit(t, file, e);
    return s ? sig_text(t, s) : NULL;
  }
  if (k == GO_NODE_UNARY_EXPRESSION) {
    TSNode op = go_node_child(e, GO_F_OPERATOR), x = unparen(go_node_child(e, GO_F_OPERAND));
    if (eq(t, file, op, "&"))
      return cat(a, 2, "*", type_of(t, file, x, depth + 1));
    if (eq(t, file, op, "*")) {
      const char *ty = type_of(t, file, x, depth + 1);
      return ty && ty[0] == '*' ? ty + 1 : NULL;
    }
    if (eq(t, file, op, "<-")) {
      const char *ty = type_of(t, file, x, depth + 1);
      return ty && (strncmp(ty, "chan", 4) == 0 || strncmp(ty, "<-chan", 6) == 0) ? go_types_elem(t, ty)
                                                                                  : NULL;
    }
    if (eq(t, file, op, "!"))
      return "bool";
    return type_of(t, file, x, depth + 1);
  }
  if (k == GO_NODE_BINARY_EXPRESSION) {
    TSNode op = go_node_child(e, GO_F_OPERATOR);
    static const char *const cmp_ops[] = {"==", "!=", "<", "<=", ">", ">=", "&&", "||", NULL};
    for (size_t i = 0; cmp_ops[i]; i++)
      if (eq(t, file, op, cmp_ops[i]))
        return "bool";
    TSNode l = go_node_child(e, GO_F_LEFT), r = go_node_child(e, GO_F_RIGHT);
    if (eq(t, file, op, "<<") || eq(t, file, op, ">>"))
      return type_of(t, file, l, depth + 1);
    bool lu = untyped(t, file, l, depth + 1);
    const char *first = type_of(t, file, lu ? r : l, depth + 1);
    return first ? first : type_of(t, file, lu ? l : r, depth + 1);
  }
  if (k == GO_NODE_CALL_EXPRESSION) {
    size_t n;
    const char *const *r = call_results(t, file, e, &n, depth + 1);
    return r && n >= 1 ? r[0] : NULL;
  }
  if (k == GO_NODE_SELECTOR_EXPRESSION) {
    TSNode op = unparen(go_node_child(e, GO_F_OPERAND));
    const char *fname = str(t, file, go_node_child(e, GO_F_FIELD));
    if (!fname)
      return NULL;
    if (go_node_is(op, GO_NODE_IDENTIFIER)) {
      const char *opname = str(t, file, op);
      local l;
      go_bind_kind bk = opname ? lookup_at(t, file, op, opname, &l) : GO_BIND_NONE;
      if (bk == GO_BIND_IMPORT) {
        const go_std_entry *se = go_types_std(l.b.imp->path, NULL, fname);
        return se && se->kind == GO_STD_VAR ? se->types[0] : NULL;
      }
      if (bk == GO_BIND_NONE)
        return NULL;
    }
    return field_type(t, type_of(t, file, op, depth + 1), fname, depth + 1);
  }
  if (k == GO_NODE_INDEX_EXPRESSION) {
    const char *ot = type_of(t, file, go_node_child(e, GO_F_OPERAND), depth + 1);
    if (!ot)
      return NULL;
    if (strcmp(ot, "string") == 0)
      return "byte";
    if (ot[0] == '[' || strncmp(ot, "map[", 4) == 0 || (ot[0] == '*' && ot[1] == '['))
      return go_types_elem(t, ot);
    return NULL;
  }
  if (k == GO_NODE_SLICE_EXPRESSION) {
    const char *ot = type_of(t, file, go_node_child(e, GO_F_OPERAND), depth + 1);
    if (!ot)
      return NULL;
    if (ot[0] == '*' && ot[1] == '[')
      ot++;
    if (strcmp(ot, "string") == 0 || strncmp(ot, "[]", 2) == 0)
      return ot;
    if (ot[0] == '[')
      return cat(a, 2, "[]", go_types_elem(t, ot));
    return NULL;
  }
  if (k == GO_NODE_TYPE_ASSERTION_EXPRESSION || k == GO_NODE_TYPE_CONVERSION_EXPRESSION)
    return canon(t, file, go_node_child(e, GO_F_TYPE), depth + 1);
  return NULL;
}

/* Is the identifier or selector fn (in call position) a type? Then *ty is its canonical text. */
static bool names_type(const go_types *t, uint32_t file, TSNode fn, const char **ty, int depth) {
  fn = unparen(fn);
  if (go_node_is(fn, GO_NODE_UNARY_EXPRESSION) && eq(t, file, go_node_child(fn, GO_F_OPERATOR), "*")) {
    const char *inner;
    if (!names_type(t, file, go_node_child(fn, GO_F_OPERAND), &inner, depth + 1))
      return false;
    *ty = cat(t->arena, 2, "*", inner);
    return true;
  }
  if (go_node_is(fn, GO_NODE_IDENTIFIER)) {
    const char *name = str(t, file, fn);
    local l;
    go_bind_kind bk = name ? lookup_at(t, file, fn, name, &l) : GO_BIND_NONE;
    bool type = (bk == GO_BIND_UNIVERSE && in_list(universe_types, name)) ||
                (bk == GO_BIND_PACKAGE && l.b.pkg->kind == GO_DECL_TYPE);
    if (bk == GO_BIND_LOCAL && l.role == ROLE_TYPE) {
      *ty = name;
      return true;
    }
    if (!type)
      return false;
    *ty = canon(t, file, fn, depth + 1);
    return true;
  }
  if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION)) {
    const char *path, *name;
    if (!go_types_qualified(t, file, fn, &path, &name))
      return false;
    const go_std_entry *e = go_types_std(path, NULL, name);
    if (!e || e->kind != GO_STD_TYPE)
      return false;
    *ty = cat(t->arena, 3, path, ".", name);
    return true;
  }
  go_node k = go_node_kind(fn);
  if (k == GO_NODE_SLICE_TYPE || k == GO_NODE_ARRAY_TYPE || k == GO_NODE_MAP_TYPE ||
      k == GO_NODE_CHANNEL_TYPE || k == GO_NODE_POINTER_TYPE || k == GO_NODE_FUNCTION_TYPE ||
      k == GO_NODE_PARENTHESIZED_TYPE) {
    *ty = canon(t, file, fn, depth + 1);
    return true;
  }
  return false;
}

static const char *const *call_results(const go_types *t, uint32_t file, TSNode call, size_t *n, int depth) {
  *n = 0;
  if (depth > MAX_DEPTH)
    return NULL;
  TSNode fn = unparen(go_node_child(call, GO_F_FUNCTION)), args = go_node_child(call, GO_F_ARGUMENTS);
  TSNode arg0 = ts_node_named_child_count(args) ? ts_node_named_child(args, 0) : null_node();
  const char *ty;
  if (names_type(t, file, fn, &ty, depth))
    return one(t, ty, n);
  if (go_node_is(fn, GO_NODE_IDENTIFIER)) {
    const char *name = str(t, file, fn);
    if (!name)
      return NULL;
    local l;
    switch (lookup_at(t, file, fn, name, &l)) {
    case GO_BIND_UNIVERSE:
      if (strcmp(name, "make") == 0)
        return one(t, canon(t, file, arg0, depth + 1), n);
      if (strcmp(name, "new") == 0)
        return one(t, cat(t->arena, 2, "*", canon(t, file, arg0, depth + 1)), n);
      if (strcmp(name, "len") == 0 || strcmp(name, "cap") == 0 || strcmp(name, "copy") == 0)
        return one(t, "int", n);
      if (strcmp(name, "append") == 0 || strcmp(name, "min") == 0 || strcmp(name, "max") == 0)
        return one(t, type_of(t, file, arg0, depth + 1), n);
      if (strcmp(name, "complex") == 0)
        return one(t, "complex128", n);
      if (strcmp(name, "real") == 0 || strcmp(name, "imag") == 0)
        return one(t, "float64", n);
      if (strcmp(name, "recover") == 0)
        return one(t, "any", n);
      return NULL;
    case GO_BIND_PACKAGE:
      if (l.b.pkg->kind == GO_DECL_FUNC && filled_decl(t, l.b.pkg)->sig) {
        *n = l.b.pkg->sig->nresults;
        return l.b.pkg->sig->result_types;
      }
      return NULL;
    case GO_BIND_LOCAL:
      if (l.role == ROLE_VALUE && go_node_is(l.values, GO_NODE_EXPRESSION_LIST) &&
          ts_node_named_child_count(l.values) == l.nnames) {
        TSNode v = unparen(ts_node_named_child(l.values, l.index));
        const go_sig *s = go_types_sig_of_lit(t, file, v);
        if (s) {
          *n = s->nresults;
          return s->result_types;
        }
      }
      return NULL;
    case GO_BIND_NONE: {
      const char *path;
      if (go_types_qualified(t, file, fn, &path, NULL)) {
        const go_std_entry *e = go_types_std(path, NULL, name);
        if (e && e->kind == GO_STD_FUNC)
          return std_results(e, n);
      }
      return NULL;
    }
    default:
      return NULL;
    }
  }
  if (go_node_is(fn, GO_NODE_SELECTOR_EXPRESSION)) {
    const char *path, *name;
    if (go_types_qualified(t, file, fn, &path, &name)) {
      const go_std_entry *e = go_types_std(path, NULL, name);
      return e && e->kind == GO_STD_FUNC ? std_results(e, n) : NULL;
    }
    TSNode op = unparen(go_node_child(fn, GO_F_OPERAND));
    if (go_node_is(op, GO_NODE_IDENTIFIER)) {
      const char *opname = str(t, file, op);
      local l;
      if (!opname || lookup_at(t, file, op, opname, &l) == GO_BIND_IMPORT)
        return NULL; /* a package outside the table */
    }
    const char *mname = str(t, file, go_node_child(fn, GO_F_FIELD));
    return mname ? method_results(t, type_of(t, file, op, depth + 1), mname, n, depth + 1) : NULL;
  }
  if (go_node_is(fn, GO_NODE_FUNC_LITERAL)) {
    const go_sig *s = go_types_sig_of_lit(t, file, fn);
    if (s) {
      *n = s->nresults;
      return s->result_types;
    }
  }
  return NULL;
}

const char *go_types_type_of(const go_types *t, uint32_t file, TSNode expr) {
  if (!t || file >= t->nfiles || ts_node_is_null(expr))
    return NULL;
  return type_of(t, file, expr, 0);
}

const char *const *go_types_call_results(const go_types *t, uint32_t file, TSNode call, size_t *n) {
  *n = 0;
  if (!t || file >= t->nfiles || !go_node_is(call, GO_NODE_CALL_EXPRESSION))
    return NULL;
  return call_results(t, file, call, n, 0);
}

/* ---------- the analyzer ---------- */

static bool top_child(void *ctx, TSNode ch, TSFieldId fname) {
  return go_node_is(ch, GO_NODE_IMPORT_DECLARATION) ? top_import(ctx, ch, fname) : top_decl(ctx, ch, fname);
}

/* An exact copy of a builder vector in the arena (NULL for an empty one, with *ok kept). */
static void *to_arena(omen_arena *a, const void *v, size_t n, size_t elem, bool *ok) {
  if (n == 0)
    return NULL;
  void *c = omen_arena_alloc(a, n * elem);
  if (!c) {
    *ok = false;
    return NULL;
  }
  memcpy(c, v, n * elem);
  return c;
}

/* ins may be NULL: then the roots are walked here. */
static omen_status build_index(const go_inspect *ins, go_types *t, builder *b) {
  omen_arena *a = t->arena;
  size_t nf = t->nfiles;
  bool ok = true;
  /* the files' top-level declarations, as go-inspect's walk found them (unless it stopped at its
   * cap): imports, then package-level names, file by file */
  bool walk = !ins || ins->ntops >= GO_INSPECT_MAX_SITES;
  size_t k = 0;
  for (size_t i = 0; i < nf && b->st == OMEN_OK; i++) {
    b->file = (uint32_t)i;
    b->nimps = 0;
    if (walk)
      each_named(t->files[i]->root, top_child, b);
    for (; !walk && k < ins->ntops && ins->tops[k].file == i && b->st == OMEN_OK; k++)
      top_child(b, ins->tops[k].node, 0);
    t->imports[i] = to_arena(a, b->imps, b->nimps, sizeof *b->imps, &ok);
    t->nimports[i] = b->nimps;
  }
  if (b->st != OMEN_OK)
    return b->st;
  if (b->ndecls)
    qsort(b->decls, b->ndecls, sizeof *b->decls, cmp_decl);
  if (b->nstructs)
    qsort(b->structs, b->nstructs, sizeof *b->structs, cmp_struct);
  if (b->nmethods)
    qsort(b->methods, b->nmethods, sizeof *b->methods, cmp_method);
  t->decls = to_arena(a, b->decls, b->ndecls, sizeof *b->decls, &ok);
  t->ndecls = b->ndecls;
  t->structs = to_arena(a, b->structs, b->nstructs, sizeof *b->structs, &ok);
  t->nstructs = b->nstructs;
  t->methods = to_arena(a, b->methods, b->nmethods, sizeof *b->methods, &ok);
  t->nmethods = b->nmethods;
  t->lazy = omen_arena_alloc(a, sizeof *t->lazy);
  if (!ok || !t->lazy)
    return OMEN_ENOMEM;
  t->lazy->decl = omen_arena_alloc(a, t->ndecls + 1);
  t->lazy->method = omen_arena_alloc(a, t->nmethods + 1);
  t->lazy->strct = omen_arena_alloc(a, t->nstructs + 1);
  if (!t->lazy->decl || !t->lazy->method || !t->lazy->strct)
    return OMEN_ENOMEM;
  t->lazy->ins = ins;
  return OMEN_OK;
}

static omen_status run(omen_pass *pass, void **result) {
  const go_inspect *ins = omen_pass_result(pass, &omen_go_inspect);
  omen_arena *a = omen_pass_arena(pass);
  size_t nf = omen_pass_go_nfiles(pass);
  go_types *t = omen_arena_alloc(a, sizeof *t);
  const omen_go_file **files = omen_arena_alloc(a, (nf ? nf : 1) * sizeof *files);
  if (!t || !files)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < nf; i++)
    files[i] = omen_pass_go_file(pass, i);
  t->arena = a;
  t->pkg = omen_pass_go_package(pass);
  t->nfiles = nf;
  t->files = files;
  t->imports = omen_arena_alloc(a, (nf ? nf : 1) * sizeof *t->imports);
  t->nimports = omen_arena_alloc(a, (nf ? nf : 1) * sizeof *t->nimports);
  if (!t->imports || !t->nimports)
    return OMEN_ENOMEM;
  builder b;
  memset(&b, 0, sizeof b);
  b.t = t;
  omen_status st = build_index(ins, t, &b);
  free(b.imps);
  free(b.decls);
  free(b.structs);
  free(b.methods);
  if (st != OMEN_OK)
    return st;
  *result = t;
  return OMEN_OK;
}

const omen_analyzer omen_go_types = {
    .name = "go-types",
    .title = "Go package index and type-lite resolution",
    .doc = "Base analyzer. Indexes a Go package from the top-level declarations go-inspect found: imports "
           "per file (path and local name, aliases, dot and blank imports), package-level variables, "
           "constants, types and functions, struct fields, methods per receiver type, and signatures "
           "(fields and signatures are built when first asked for). Resolves the type of common expressions "
           "(declared variables and parameters, composite literals, conversions, calls of package "
           "functions and of a table of standard-library functions, struct field selectors) to a "
           "canonical text qualified by import path, e.g. `*net/http.Client`; anything else is "
           "unknown, so analyzers built on it stay quiet rather than guess. Reports nothing.",
    .langs = OMEN_LANG_GO,
    .requires = (const omen_analyzer *const[]){&omen_go_inspect, NULL},
    .run = run,
};
