/* lsp.c - `omen lsp`: JSON-RPC framing on stdio, the LSP lifecycle, open documents as reader
 * overlays, and diagnostics pushed (publishDiagnostics) and pulled (textDocument/diagnostic). */
#include "lsp.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "frontend.h"
#include "omen.h"
#include "reader.h"

enum {
  ERR_PARSE = -32700,
  ERR_INVALID_REQUEST = -32600,
  ERR_METHOD_NOT_FOUND = -32601,
  ERR_INVALID_PARAMS = -32602,
  ERR_NOT_INITIALIZED = -32002,
};

#define MAX_HEADER_LINE 8192
#define MAX_DOCS 4096
#define MAX_DOC_SIZE ((size_t)32 << 20)

/* ---- transport ---- */

typedef struct input {
  int fd;
  size_t pos, len;
  bool eof;
  char buf[65536];
} input;

static bool in_fill(input *in) {
  if (in->pos < in->len)
    return true;
  if (in->eof)
    return false;
  for (;;) {
    ssize_t n = read(in->fd, in->buf, sizeof in->buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      in->eof = true;
      return false;
    }
    in->pos = 0;
    in->len = (size_t)n;
    return true;
  }
}

/* Reads one line without its \n (and \r). A longer line keeps its last part. false at end of input. */
static bool in_line(input *in, char *line, size_t cap, size_t *n) {
  *n = 0;
  while (in_fill(in)) {
    char ch = in->buf[in->pos++];
    if (ch == '\n') {
      if (*n && line[*n - 1] == '\r')
        (*n)--;
      line[*n] = '\0';
      return true;
    }
    if (*n + 1 >= cap) { /* keep the tail: a header glued after junk is still found */
      memmove(line, line + cap / 2, *n - cap / 2);
      *n -= cap / 2;
    }
    line[(*n)++] = ch;
  }
  line[*n] = '\0';
  return false; /* a partial line at the end of input is dropped */
}

/* Reads (or, with dst NULL, skips) n bytes. false at end of input. */
static bool in_bytes(input *in, char *dst, size_t n) {
  while (n) {
    if (!in_fill(in))
      return false;
    size_t k = in->len - in->pos;
    if (k > n)
      k = n;
    if (dst) {
      memcpy(dst, in->buf + in->pos, k);
      dst += k;
    }
    in->pos += k;
    n -= k;
  }
  return true;
}

/* ---- server state ---- */

typedef struct doc {
  char *uri;  /* as the client sent it */
  char *path; /* absolute; NULL when the URI is not a local file */
  char *text;
  size_t len;
  long version;
  cJSON *items;       /* the last diagnostics (an array), for textDocument/diagnostic */
  long items_version; /* the version they were computed for */
} doc;

typedef enum { ST_NEW, ST_RUNNING, ST_SHUTDOWN } lsp_state;

typedef struct server {
  input in;
  FILE *out, *log;
  bool out_broken;
  lsp_state state;
  bool exit_now;
  char *root; /* workspace root path, NULL when unknown */
  omen_reader *reader;
  doc *docs;
  size_t ndocs;
} server;

/* "omen lsp: WHAT: ARG" on the log. */
static void note(server *s, const char *what, const char *arg) {
  if (s->log)
    fprintf(s->log, "omen lsp: %s: %s\n", what, arg);
}

static void send_json(server *s, cJSON *msg) {
  if (!msg)
    return;
  if (!cJSON_AddStringToObject(msg, "jsonrpc", "2.0")) {
    cJSON_Delete(msg);
    return;
  }
  char *body = cJSON_PrintUnformatted(msg);
  cJSON_Delete(msg);
  if (!body || s->out_broken) {
    free(body);
    return;
  }
  size_t n = strlen(body);
  if (fprintf(s->out, "Content-Length: %zu\r\n\r\n", n) < 0 || fwrite(body, 1, n, s->out) != n || fflush(s->out) != 0)
    s->out_broken = true; /* the client is gone */
  free(body);
}

/* Sends the answer to id (copied; NULL for null): value (taken) under key, "result" or "error". */
static void send_reply(server *s, const cJSON *id, const char *key, cJSON *value) {
  cJSON *msg = cJSON_CreateObject();
  cJSON *idc = id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull();
  if (!msg || !idc || !value) {
    cJSON_Delete(msg);
    cJSON_Delete(idc);
    cJSON_Delete(value);
    return;
  }
  cJSON_AddItemToObject(msg, "id", idc);
  cJSON_AddItemToObject(msg, key, value);
  send_json(s, msg);
}

static void send_result(server *s, const cJSON *id, cJSON *result) { send_reply(s, id, "result", result); }

static void send_error(server *s, const cJSON *id, int code, const char *message) {
  cJSON *err = cJSON_CreateObject();
  if (err && (!cJSON_AddNumberToObject(err, "code", code) || !cJSON_AddStringToObject(err, "message", message))) {
    cJSON_Delete(err);
    err = NULL;
  }
  send_reply(s, id, "error", err);
}

static void send_notification(server *s, const char *method, cJSON *params) {
  cJSON *msg = cJSON_CreateObject();
  if (!msg || !params || !cJSON_AddStringToObject(msg, "method", method)) {
    cJSON_Delete(msg);
    cJSON_Delete(params);
    return;
  }
  cJSON_AddItemToObject(msg, "params", params);
  send_json(s, msg);
}

static void show_log(server *s, int type, const char *text) {
  cJSON *p = cJSON_CreateObject();
  if (p && (!cJSON_AddNumberToObject(p, "type", type) || !cJSON_AddStringToObject(p, "message", text))) {
    cJSON_Delete(p);
    return;
  }
  send_notification(s, "window/logMessage", p);
}

/* ---- documents ---- */

static doc *doc_find(server *s, const char *uri) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (strcmp(s->docs[i].uri, uri) == 0)
      return &s->docs[i];
  return NULL;
}

static void doc_clear(doc *d) {
  free(d->uri);
  free(d->path);
  free(d->text);
  cJSON_Delete(d->items);
}

static const char *str_at(const cJSON *obj, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A non-negative integer field; false when missing or not one. */
static bool uint_at(const cJSON *obj, const char *key, unsigned long *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 4294967295.0 ||
      v->valuedouble != (double)(unsigned long)v->valuedouble)
    return false;
  *out = (unsigned long)v->valuedouble;
  return true;
}

/* A document version (an LSP integer: 32 bits); false when missing or not one. */
static bool version_at(const cJSON *obj, long *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "version");
  if (!cJSON_IsNumber(v) || v->valuedouble < -2147483648.0 || v->valuedouble > 2147483647.0)
    return false;
  *out = (long)v->valuedouble;
  return true;
}

static cJSON *json_range(const char *text, size_t len, size_t start, size_t end) {
  unsigned long l0, c0, l1, c1;
  omen_lsp_position(text, len, start, &l0, &c0);
  omen_lsp_position(text, len, end < start ? start : end, &l1, &c1);
  cJSON *r = cJSON_CreateObject();
  cJSON *a = cJSON_AddObjectToObject(r, "start");
  cJSON *b = cJSON_AddObjectToObject(r, "end");
  if (!a || !b || !cJSON_AddNumberToObject(a, "line", (double)l0) ||
      !cJSON_AddNumberToObject(a, "character", (double)c0) || !cJSON_AddNumberToObject(b, "line", (double)l1) ||
      !cJSON_AddNumberToObject(b, "character", (double)c1)) {
    cJSON_Delete(r);
    return NULL;
  }
  return r;
}

/* A range from the engine's positions, for files that are not open. */
static cJSON *json_range_pos(const omen_loc *loc) {
  cJSON *r = cJSON_CreateObject();
  cJSON *a = cJSON_AddObjectToObject(r, "start");
  cJSON *b = cJSON_AddObjectToObject(r, "end");
  double l0 = loc->start_pos.line ? loc->start_pos.line - 1 : 0, c0 = loc->start_pos.col16 ? loc->start_pos.col16 - 1 : 0;
  double l1 = loc->end_pos.line ? loc->end_pos.line - 1 : 0, c1 = loc->end_pos.col16 ? loc->end_pos.col16 - 1 : 0;
  if (!a || !b || !cJSON_AddNumberToObject(a, "line", l0) || !cJSON_AddNumberToObject(a, "character", c0) ||
      !cJSON_AddNumberToObject(b, "line", l1) || !cJSON_AddNumberToObject(b, "character", c1)) {
    cJSON_Delete(r);
    return NULL;
  }
  return r;
}

static doc *doc_by_path(server *s, const char *abs) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (s->docs[i].path && strcmp(s->docs[i].path, abs) == 0)
      return &s->docs[i];
  return NULL;
}

static cJSON *json_location(server *s, const omen_loc *loc) {
  char *abs = omen_abspath(loc->path);
  if (!abs)
    return NULL;
  doc *o = doc_by_path(s, abs);
  char *uri = o ? strdup(o->uri) : omen_lsp_path_to_uri(abs);
  free(abs);
  cJSON *range = o ? json_range(o->text, o->len, loc->start, loc->end) : json_range_pos(loc);
  cJSON *l = cJSON_CreateObject();
  if (!uri || !range || !l || !cJSON_AddStringToObject(l, "uri", uri)) {
    free(uri);
    cJSON_Delete(range);
    cJSON_Delete(l);
    return NULL;
  }
  free(uri);
  cJSON_AddItemToObject(l, "range", range);
  return l;
}

static const int lsp_severity[] = {[OMEN_SEV_ERROR] = 1, [OMEN_SEV_WARNING] = 2, [OMEN_SEV_NOTE] = 3};

static cJSON *json_diag(server *s, const doc *dc, const omen_diag *d) {
  cJSON *j = cJSON_CreateObject();
  cJSON *range = json_range(dc->text, dc->len, d->loc.start, d->loc.end);
  if (!j || !range) {
    cJSON_Delete(j);
    cJSON_Delete(range);
    return NULL;
  }
  cJSON_AddItemToObject(j, "range", range);
  bool ok = cJSON_AddNumberToObject(j, "severity", lsp_severity[d->severity]) != NULL;
  if (ok && d->rule) {
    char href[512];
    snprintf(href, sizeof href, "%s#%s", OMEN_DOCS_URL, d->rule->id);
    cJSON *cd = cJSON_AddObjectToObject(j, "codeDescription");
    ok = cJSON_AddStringToObject(j, "code", d->rule->id) && cd && cJSON_AddStringToObject(cd, "href", href);
  }
  ok = ok && cJSON_AddStringToObject(j, "source", "omen") &&
       cJSON_AddStringToObject(j, "message", d->message ? d->message : "");
  if (ok && d->nrelated) {
    cJSON *rel = cJSON_AddArrayToObject(j, "relatedInformation");
    ok = rel != NULL;
    for (size_t i = 0; ok && i < d->nrelated; i++) {
      cJSON *ri = cJSON_CreateObject();
      cJSON *loc = json_location(s, &d->related[i].loc);
      ok = ri && loc && cJSON_AddStringToObject(ri, "message", d->related[i].message ? d->related[i].message : "");
      if (!ok) {
        cJSON_Delete(ri);
        cJSON_Delete(loc);
        break;
      }
      cJSON_AddItemToObject(ri, "location", loc);
      cJSON_AddItemToArray(rel, ri);
    }
  }
  if (!ok) {
    cJSON_Delete(j);
    return NULL;
  }
  return j;
}

static void publish(server *s, const doc *d, const cJSON *items, bool with_version) {
  cJSON *p = cJSON_CreateObject();
  cJSON *copy = items ? cJSON_Duplicate(items, 1) : cJSON_CreateArray();
  if (!p || !copy || !cJSON_AddStringToObject(p, "uri", d->uri) ||
      (with_version && !cJSON_AddNumberToObject(p, "version", (double)d->version))) {
    cJSON_Delete(p);
    cJSON_Delete(copy);
    return;
  }
  cJSON_AddItemToObject(p, "diagnostics", copy);
  send_notification(s, "textDocument/publishDiagnostics", p);
}

static bool same_dir(const char *a, const char *b) {
  const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
  return sa && sb && sa - a == sb - b && strncmp(a, b, (size_t)(sa - a)) == 0;
}

/* Whether an analysis started for d also covers o: the same Go package directory, or the file itself. */
static bool covers(const doc *d, const doc *o) {
  if (d == o)
    return true;
  return o->path && omen_lang_of_path(d->path) == OMEN_LANG_GO && omen_lang_of_path(o->path) == OMEN_LANG_GO &&
         same_dir(d->path, o->path);
}

/* Analyzes d (its Go package, or the C/C++ file) with every open buffer as an overlay, then stores
 * and publishes the diagnostics of every open document the run covered. The engine reports on the
 * files it is given, so a Go run names every open file of the package (those that exist on disk:
 * it lists the package's files from the directory). */
static void analyze(server *s, doc *d) {
  struct stat st;
  if (!d->path || !omen_lang_of_path(d->path))
    return;
  if (stat(d->path, &st) != 0) {
    note(s, "not on disk yet, so not analyzed until it is saved", d->path);
    return;
  }
  const char **paths = malloc(s->ndocs * sizeof *paths);
  if (!paths)
    return;
  omen_options opt = {0};
  for (size_t k = 0; k < s->ndocs; k++)
    if (covers(d, &s->docs[k]) && (&s->docs[k] == d || stat(s->docs[k].path, &st) == 0))
      paths[opt.npaths++] = s->docs[k].path;
  opt.paths = paths;
  opt.jobs = 1;
  char *compdb = NULL;
  if (s->root && (omen_lang_of_path(d->path) & OMEN_LANG_CFAMILY)) {
    size_t n = strlen(s->root) + sizeof "/compile_commands.json";
    compdb = malloc(n);
    if (compdb) {
      snprintf(compdb, n, "%s/compile_commands.json", s->root);
      if (stat(compdb, &st) == 0)
        opt.compdb_dir = s->root;
    }
  }
  omen_result res;
  char err[1024] = "";
  omen_status rc = omen_check(&opt, s->reader, &res, err, sizeof err);
  free(compdb);
  free(paths);
  if (rc != OMEN_OK) {
    char msg[1200];
    snprintf(msg, sizeof msg, "omen could not analyze %s: %s", d->path, *err ? err : omen_status_str(rc));
    show_log(s, 1, msg);
    return;
  }
  char **abs = calloc(res.ndiags ? res.ndiags : 1, sizeof *abs);
  for (size_t i = 0; abs && i < res.ndiags; i++)
    abs[i] = omen_abspath(res.diags[i].loc.path);
  for (size_t k = 0; abs && k < s->ndocs; k++) {
    doc *o = &s->docs[k];
    if (!covers(d, o))
      continue;
    cJSON *items = cJSON_CreateArray();
    for (size_t i = 0; items && i < res.ndiags; i++) {
      const omen_diag *g = &res.diags[i];
      if (g->suppressed || !abs[i] || strcmp(abs[i], o->path) != 0)
        continue;
      cJSON *j = json_diag(s, o, g);
      if (j)
        cJSON_AddItemToArray(items, j);
    }
    if (!items)
      continue;
    cJSON_Delete(o->items);
    o->items = items;
    o->items_version = o->version; /* analyzed from its current text: never stale */
    publish(s, o, items, true);
  }
  for (size_t i = 0; abs && i < res.ndiags; i++)
    free(abs[i]);
  free(abs);
  omen_result_free(&res);
}

/* ---- requests and notifications ---- */

static cJSON *capabilities(void) {
  cJSON *r = cJSON_CreateObject();
  cJSON *caps = cJSON_AddObjectToObject(r, "capabilities");
  cJSON *sync = cJSON_AddObjectToObject(caps, "textDocumentSync");
  cJSON *diag = cJSON_AddObjectToObject(caps, "diagnosticProvider");
  cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
  if (!sync || !diag || !info || !cJSON_AddStringToObject(caps, "positionEncoding", "utf-16") ||
      !cJSON_AddTrueToObject(sync, "openClose") || !cJSON_AddNumberToObject(sync, "change", 2) ||
      !cJSON_AddTrueToObject(sync, "save") || !cJSON_AddStringToObject(diag, "identifier", "omen") ||
      !cJSON_AddTrueToObject(diag, "interFileDependencies") || !cJSON_AddFalseToObject(diag, "workspaceDiagnostics") ||
      !cJSON_AddStringToObject(info, "name", "omen") || !cJSON_AddStringToObject(info, "version", OMEN_VERSION)) {
    cJSON_Delete(r);
    return NULL;
  }
  return r;
}

static void on_initialize(server *s, const cJSON *id, const cJSON *params) {
  const char *uri = str_at(params, "rootUri");
  const cJSON *folders = cJSON_GetObjectItemCaseSensitive(params, "workspaceFolders");
  if (!uri && cJSON_IsArray(folders) && cJSON_GetArraySize(folders) > 0)
    uri = str_at(cJSON_GetArrayItem(folders, 0), "uri");
  char *root = uri ? omen_lsp_uri_to_path(uri) : NULL;
  if (!root && str_at(params, "rootPath"))
    root = strdup(str_at(params, "rootPath"));
  free(s->root);
  s->root = root;
  s->state = ST_RUNNING;
  send_result(s, id, capabilities());
}

static void on_did_open(server *s, const cJSON *params) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const char *uri = str_at(td, "uri"), *text = str_at(td, "text");
  long version;
  if (!uri || !text || !version_at(td, &version)) {
    note(s, "didOpen without uri, version and text", "ignored");
    return;
  }
  doc *d = doc_find(s, uri);
  if (!d) {
    if (s->ndocs >= MAX_DOCS) {
      show_log(s, 2, "omen: too many open documents; close some to see their findings");
      return;
    }
    doc *nd = realloc(s->docs, (s->ndocs + 1) * sizeof *nd);
    if (!nd)
      return;
    s->docs = nd;
    d = &s->docs[s->ndocs];
    memset(d, 0, sizeof *d);
    d->uri = strdup(uri);
    if (!d->uri)
      return;
    char *p = omen_lsp_uri_to_path(uri);
    d->path = p ? omen_abspath(p) : NULL;
    free(p);
    s->ndocs++;
  }
  char *t = strdup(text);
  if (!t)
    return;
  free(d->text);
  d->text = t;
  d->len = strlen(t);
  d->version = version;
  if (d->path && omen_reader_set_overlay(s->reader, d->path, d->text, d->len) != OMEN_OK)
    return;
  analyze(s, d);
}

/* Applies one contentChanges entry to d. false (and d unchanged) when it is malformed or too large. */
static bool apply_change(doc *d, const cJSON *ch) {
  const char *text = str_at(ch, "text");
  if (!text)
    return false;
  size_t tlen = strlen(text);
  const cJSON *range = cJSON_GetObjectItemCaseSensitive(ch, "range");
  size_t a = 0, b = d->len;
  if (range) {
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(range, "start");
    const cJSON *re = cJSON_GetObjectItemCaseSensitive(range, "end");
    unsigned long l0, c0, l1, c1;
    if (!uint_at(rs, "line", &l0) || !uint_at(rs, "character", &c0) || !uint_at(re, "line", &l1) ||
        !uint_at(re, "character", &c1))
      return false;
    a = omen_lsp_offset(d->text, d->len, l0, c0);
    b = omen_lsp_offset(d->text, d->len, l1, c1);
    if (b < a)
      b = a;
  }
  size_t n = d->len - (b - a) + tlen;
  if (n > MAX_DOC_SIZE)
    return false;
  char *t = malloc(n + 1);
  if (!t)
    return false;
  memcpy(t, d->text, a);
  memcpy(t + a, text, tlen);
  memcpy(t + a + tlen, d->text + b, d->len - b);
  t[n] = '\0';
  free(d->text);
  d->text = t;
  d->len = n;
  return true;
}

static void on_did_change(server *s, const cJSON *params) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const char *uri = str_at(td, "uri");
  const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges");
  doc *d = uri ? doc_find(s, uri) : NULL;
  if (!d || !cJSON_IsArray(changes)) {
    note(s, "didChange for a document that is not open, ignored", uri ? uri : "(no uri)");
    return;
  }
  const cJSON *ch;
  cJSON_ArrayForEach(ch, changes) {
    if (!apply_change(d, ch)) {
      show_log(s, 1, "omen: a text change could not be applied; close and reopen the file");
      break;
    }
  }
  long version;
  if (version_at(td, &version))
    d->version = version;
  if (d->path && omen_reader_set_overlay(s->reader, d->path, d->text, d->len) != OMEN_OK)
    return;
  analyze(s, d);
}

static void on_did_save(server *s, const cJSON *params) {
  const char *uri = str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  doc *d = uri ? doc_find(s, uri) : NULL;
  if (d)
    analyze(s, d);
}

static void on_did_close(server *s, const cJSON *params) {
  const char *uri = str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  doc *d = uri ? doc_find(s, uri) : NULL;
  if (!d)
    return;
  publish(s, d, NULL, false);
  if (d->path)
    omen_reader_remove_overlay(s->reader, d->path);
  char *path = d->path;
  d->path = NULL;
  doc_clear(d);
  *d = s->docs[--s->ndocs];
  /* the package's other open files now see the closed file as it is on disk */
  for (size_t i = 0; path && i < s->ndocs; i++) {
    doc *o = &s->docs[i];
    if (o->path && omen_lang_of_path(path) == OMEN_LANG_GO && omen_lang_of_path(o->path) == OMEN_LANG_GO &&
        same_dir(path, o->path)) {
      analyze(s, o);
      break;
    }
  }
  free(path);
}

static void on_diagnostic(server *s, const cJSON *id, const cJSON *params) {
  const char *uri = str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  if (!uri) {
    send_error(s, id, ERR_INVALID_PARAMS, "textDocument/diagnostic needs params.textDocument.uri");
    return;
  }
  doc *d = doc_find(s, uri);
  if (d && (!d->items || d->items_version != d->version))
    analyze(s, d);
  cJSON *r = cJSON_CreateObject();
  cJSON *items = d && d->items ? cJSON_Duplicate(d->items, 1) : cJSON_CreateArray();
  if (!r || !items || !cJSON_AddStringToObject(r, "kind", "full")) {
    cJSON_Delete(r);
    cJSON_Delete(items);
    send_error(s, id, ERR_INVALID_REQUEST, "out of memory");
    return;
  }
  cJSON_AddItemToObject(r, "items", items);
  send_result(s, id, r);
}

/* One decoded message. */
static void dispatch(server *s, const cJSON *msg) {
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
  if (id && !cJSON_IsString(id) && !cJSON_IsNumber(id)) {
    send_error(s, NULL, ERR_INVALID_REQUEST, "Invalid request: id must be a number or a string");
    return;
  }
  const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
  const char *jsonrpc = str_at(msg, "jsonrpc");
  if (!method && id && (cJSON_HasObjectItem(msg, "result") || cJSON_HasObjectItem(msg, "error")))
    return; /* a response; the server sends no requests yet */
  if (!cJSON_IsString(method) || !jsonrpc || strcmp(jsonrpc, "2.0") != 0) {
    send_error(s, id, ERR_INVALID_REQUEST, "Invalid request: a JSON-RPC 2.0 message needs \"jsonrpc\": \"2.0\" and a method");
    return;
  }
  const char *m = method->valuestring;
  const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
  if (strcmp(m, "exit") == 0) {
    s->exit_now = true;
    return;
  }
  if (s->state == ST_NEW && strcmp(m, "initialize") != 0) {
    if (id)
      send_error(s, id, ERR_NOT_INITIALIZED, "Server not initialized: send initialize first");
    return;
  }
  if (s->state == ST_SHUTDOWN) {
    if (id)
      send_error(s, id, ERR_INVALID_REQUEST, "Invalid request: the server is shutting down");
    return;
  }
  if (id) {
    if (strcmp(m, "initialize") == 0) {
      if (s->state == ST_NEW)
        on_initialize(s, id, params);
      else
        send_error(s, id, ERR_INVALID_REQUEST, "Invalid request: initialize was already sent");
    } else if (strcmp(m, "shutdown") == 0) {
      s->state = ST_SHUTDOWN;
      send_result(s, id, cJSON_CreateNull());
    } else if (strcmp(m, "textDocument/diagnostic") == 0) {
      on_diagnostic(s, id, params);
    } else {
      char text[300];
      snprintf(text, sizeof text, "Method not found: %.200s", m);
      send_error(s, id, ERR_METHOD_NOT_FOUND, text);
    }
    return;
  }
  if (strcmp(m, "textDocument/didOpen") == 0)
    on_did_open(s, params);
  else if (strcmp(m, "textDocument/didChange") == 0)
    on_did_change(s, params);
  else if (strcmp(m, "textDocument/didSave") == 0)
    on_did_save(s, params);
  else if (strcmp(m, "textDocument/didClose") == 0)
    on_did_close(s, params);
  /* initialized, $/cancelRequest, $/setTrace and the rest: nothing to do yet */
}

static void handle_body(server *s, const char *body, size_t len) {
  const char *end = NULL;
  cJSON *msg = cJSON_ParseWithLengthOpts(body, len, &end, 0);
  if (msg && end) { /* only white space may follow the value */
    while ((size_t)(end - body) < len && strchr(" \t\r\n", *end) && *end)
      end++;
    if ((size_t)(end - body) < len) {
      cJSON_Delete(msg);
      msg = NULL;
    }
  }
  if (!msg) {
    send_error(s, NULL, ERR_PARSE, "Parse error: the message body is not valid JSON");
    return;
  }
  if (!cJSON_IsObject(msg))
    send_error(s, NULL, ERR_INVALID_REQUEST, "Invalid request: a message must be a JSON object");
  else
    dispatch(s, msg);
  cJSON_Delete(msg);
}

/* Parses "Name: value" into a header; false when line is not one. */
static bool header_of(const char *line, const char **name_end, const char **value) {
  const char *p = line;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-')
    p++;
  if (p == line || *p != ':')
    return false;
  *name_end = p;
  *value = p + 1;
  return true;
}

/* Reads messages until exit or the end of input. */
static void serve_loop(server *s) {
  char line[MAX_HEADER_LINE];
  while (!s->exit_now && !s->out_broken) {
    long long clen = -1;
    bool bad = false, any = false;
    size_t n;
    for (;;) { /* the header block */
      if (!in_line(&s->in, line, sizeof line, &n))
        return;
      if (n == 0) {
        if (any)
          break;
        continue; /* blank lines between messages */
      }
      const char *start = line, *name_end = NULL, *value = NULL;
      if (!header_of(start, &name_end, &value)) {
        /* junk (the rest of a body whose Content-Length was too short): find a header after it */
        const char *h = strcasestr(line, "content-length:");
        if (!h || !header_of(h, &name_end, &value))
          continue;
        start = h;
      }
      any = true;
      if ((size_t)(name_end - start) != 14 || strncasecmp(start, "content-length", 14) != 0)
        continue; /* Content-Type and others */
      while (*value == ' ' || *value == '\t')
        value++;
      char *e;
      errno = 0;
      long long v = *value >= '0' && *value <= '9' ? strtoll(value, &e, 10) : -1;
      if (v < 0 || errno || (*e && strspn(e, " \t") != strlen(e)))
        bad = true;
      else
        clen = v;
    }
    if (bad || clen < 0) {
      send_error(s, NULL, ERR_PARSE, "Parse error: missing or invalid Content-Length header");
      continue;
    }
    if ((unsigned long long)clen > OMEN_LSP_MAX_MESSAGE) {
      if (!in_bytes(&s->in, NULL, (size_t)clen))
        return;
      send_error(s, NULL, ERR_INVALID_REQUEST, "Invalid request: the message is larger than 64 MiB");
      continue;
    }
    char *body = malloc((size_t)clen + 1);
    if (!body) {
      if (!in_bytes(&s->in, NULL, (size_t)clen))
        return;
      send_error(s, NULL, ERR_INVALID_REQUEST, "Invalid request: out of memory for the message");
      continue;
    }
    if (!in_bytes(&s->in, body, (size_t)clen)) {
      free(body);
      return;
    }
    body[clen] = '\0';
    handle_body(s, body, (size_t)clen);
    free(body);
  }
}

int omen_lsp_serve(int in_fd, FILE *out, FILE *log) {
  server *s = calloc(1, sizeof *s);
  if (!s)
    return 1;
  s->in.fd = in_fd;
  s->out = out;
  s->log = log;
  s->reader = omen_reader_new(0);
  if (!s->reader) {
    free(s);
    return 1;
  }
  serve_loop(s);
  int rc = s->state == ST_SHUTDOWN ? 0 : 1;
  for (size_t i = 0; i < s->ndocs; i++)
    doc_clear(&s->docs[i]);
  free(s->docs);
  free(s->root);
  omen_reader_free(s->reader);
  free(s);
  return rc;
}

int omen_lsp_main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--stdio") == 0)
      continue; /* what many clients pass; stdio is the only transport */
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      fputs("usage: omen lsp [--stdio]\n"
            "runs the Language Server Protocol server on stdin/stdout; start it from your editor\n",
            stdout);
      return 0;
    }
    fprintf(stderr, "omen lsp: unknown argument '%s'\nusage: omen lsp [--stdio]\n", argv[i]);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN); /* a closed client ends the loop through the write error instead */
  return omen_lsp_serve(STDIN_FILENO, stdout, stderr);
}
