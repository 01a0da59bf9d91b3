/* lsp.c - `omen lsp`: JSON-RPC framing on stdio, the LSP lifecycle, open documents as reader
 * overlays, diagnostics pushed (publishDiagnostics) and pulled (textDocument/diagnostic), and code
 * actions (each fix as a quick fix, an ignore comment, source.fixAll.omen). */
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
  cJSON *findings;    /* parallel to items: what code actions need of each (see finding_json) */
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
  cJSON_Delete(d->findings);
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

/* The diagnostic as LSP has it; its data ({version, index}) leads a code action back to
 * dc->findings[index] while dc is still at that version. */
static cJSON *json_diag(server *s, const doc *dc, const omen_diag *d, size_t index) {
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
  cJSON *data = ok ? cJSON_AddObjectToObject(j, "data") : NULL;
  ok = data && cJSON_AddNumberToObject(data, "version", (double)dc->version) &&
       cJSON_AddNumberToObject(data, "index", (double)index);
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

/* What a code action needs of d, a finding in dc: {"rule", "start" (byte offset), "fixes": [{"title",
 * "safe", "edits": [[start, end, text], ...]}]}, offsets against dc's current text. Fixes for
 * another file, or with edits outside the text, are left out. */
static cJSON *finding_json(const doc *dc, const omen_diag *d) {
  cJSON *f = cJSON_CreateObject();
  cJSON *fixes = cJSON_AddArrayToObject(f, "fixes");
  if (!fixes || !cJSON_AddStringToObject(f, "rule", d->rule ? d->rule->id : "") ||
      !cJSON_AddNumberToObject(f, "start", (double)d->loc.start)) {
    cJSON_Delete(f);
    return NULL;
  }
  for (size_t i = 0; i < d->nfixes; i++) {
    const omen_fix *x = &d->fixes[i];
    char *abs = x->path ? omen_abspath(x->path) : NULL;
    bool here = !x->path || (abs && strcmp(abs, dc->path) == 0);
    free(abs);
    bool ok = here && x->nedits > 0;
    for (size_t k = 0; ok && k < x->nedits; k++)
      ok = x->edits[k].start <= x->edits[k].end && x->edits[k].end <= dc->len;
    if (!ok)
      continue;
    cJSON *jf = cJSON_CreateObject();
    cJSON *edits = cJSON_AddArrayToObject(jf, "edits");
    ok = edits && cJSON_AddStringToObject(jf, "title", x->message ? x->message : "apply omen's fix") &&
         cJSON_AddBoolToObject(jf, "safe", x->applicability == OMEN_FIX_SAFE);
    for (size_t k = 0; ok && k < x->nedits; k++) {
      const omen_edit *e = &x->edits[k];
      cJSON *je = cJSON_CreateArray(), *a = cJSON_CreateNumber(e->start), *b = cJSON_CreateNumber(e->end);
      cJSON *t = cJSON_CreateString(e->text ? e->text : "");
      ok = je && a && b && t;
      if (!ok) {
        cJSON_Delete(je);
        cJSON_Delete(a);
        cJSON_Delete(b);
        cJSON_Delete(t);
        break;
      }
      cJSON_AddItemToArray(je, a);
      cJSON_AddItemToArray(je, b);
      cJSON_AddItemToArray(je, t);
      cJSON_AddItemToArray(edits, je);
    }
    if (!ok || !cJSON_AddItemToArray(fixes, jf)) {
      cJSON_Delete(jf);
      cJSON_Delete(f);
      return NULL;
    }
  }
  return f;
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
    cJSON *items = cJSON_CreateArray(), *findings = cJSON_CreateArray();
    for (size_t i = 0; items && findings && i < res.ndiags; i++) {
      const omen_diag *g = &res.diags[i];
      if (g->suppressed || !abs[i] || strcmp(abs[i], o->path) != 0)
        continue;
      cJSON *j = json_diag(s, o, g, (size_t)cJSON_GetArraySize(items));
      cJSON *f = j ? finding_json(o, g) : NULL;
      if (!f) { /* keep the two lists parallel */
        cJSON_Delete(j);
        continue;
      }
      cJSON_AddItemToArray(items, j);
      cJSON_AddItemToArray(findings, f);
    }
    if (!items || !findings) {
      cJSON_Delete(items);
      cJSON_Delete(findings);
      continue;
    }
    cJSON_Delete(o->items);
    cJSON_Delete(o->findings);
    o->items = items;
    o->findings = findings;
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
  cJSON *ca = cJSON_AddObjectToObject(caps, "codeActionProvider");
  cJSON *kinds = cJSON_AddArrayToObject(ca, "codeActionKinds");
  cJSON *k1 = cJSON_CreateString("quickfix"), *k2 = cJSON_CreateString("source.fixAll.omen");
  if (!kinds || !k1 || !k2 || !cJSON_AddFalseToObject(ca, "resolveProvider")) {
    cJSON_Delete(k1);
    cJSON_Delete(k2);
    cJSON_Delete(r);
    return NULL;
  }
  cJSON_AddItemToArray(kinds, k1);
  cJSON_AddItemToArray(kinds, k2);
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

/* ---- code actions ---- */

/* Whether a code action of kind is wanted under context.only (absent: every kind). A requested
 * kind covers itself and the kinds under it ("source" covers "source.fixAll.omen"). */
static bool kind_wanted(const cJSON *only, const char *kind) {
  if (!cJSON_IsArray(only))
    return true;
  const cJSON *k;
  cJSON_ArrayForEach(k, only) {
    if (!cJSON_IsString(k))
      continue;
    size_t n = strlen(k->valuestring);
    if (strncmp(kind, k->valuestring, n) == 0 && (kind[n] == '\0' || kind[n] == '.'))
      return true;
  }
  return false;
}

/* A TextEdit replacing [start,end) of d's text by text; NULL when out of range or out of memory. */
static cJSON *text_edit(const doc *d, double start, double end, const char *text) {
  if (!(start >= 0 && start <= end && end <= (double)d->len))
    return NULL;
  cJSON *e = cJSON_CreateObject();
  cJSON *range = json_range(d->text, d->len, (size_t)start, (size_t)end);
  if (!e || !range || !cJSON_AddStringToObject(e, "newText", text)) {
    cJSON_Delete(e);
    cJSON_Delete(range);
    return NULL;
  }
  cJSON_AddItemToObject(e, "range", range);
  return e;
}

/* Adds the TextEdits of a stored fix (an array of [start, end, text]) to list; false on failure. */
static bool add_fix_edits(const doc *d, const cJSON *edits, cJSON *list) {
  const cJSON *e;
  cJSON_ArrayForEach(e, edits) {
    const cJSON *a = cJSON_GetArrayItem(e, 0), *b = cJSON_GetArrayItem(e, 1), *t = cJSON_GetArrayItem(e, 2);
    cJSON *te = cJSON_IsNumber(a) && cJSON_IsNumber(b) && cJSON_IsString(t)
                    ? text_edit(d, a->valuedouble, b->valuedouble, t->valuestring)
                    : NULL;
    if (!te)
      return false;
    cJSON_AddItemToArray(list, te);
  }
  return true;
}

/* A CodeAction of kind with a WorkspaceEdit changing d by edits (a TextEdit array, taken); diag (copied)
 * when it answers one diagnostic. Added to out; edits is freed on failure. */
static void add_action(cJSON *out, const doc *d, const char *title, const char *kind, const cJSON *diag,
                       bool preferred, cJSON *edits) {
  cJSON *a = cJSON_CreateObject();
  cJSON *we = cJSON_AddObjectToObject(a, "edit");
  cJSON *changes = cJSON_AddObjectToObject(we, "changes");
  cJSON *dl = diag ? cJSON_AddArrayToObject(a, "diagnostics") : NULL;
  cJSON *dc = diag ? cJSON_Duplicate(diag, 1) : NULL;
  bool ok = edits && changes && cJSON_AddStringToObject(a, "title", title) && cJSON_AddStringToObject(a, "kind", kind) &&
            (!diag || (dl && dc)) && (!preferred || cJSON_AddTrueToObject(a, "isPreferred"));
  if (!ok) {
    cJSON_Delete(a);
    cJSON_Delete(dc);
    cJSON_Delete(edits);
    return;
  }
  if (dc)
    cJSON_AddItemToArray(dl, dc);
  cJSON_AddItemToObject(changes, d->uri, edits);
  cJSON_AddItemToArray(out, a);
}

/* "Ignore RULE on this line": `//omen:ignore RULE reason` on its own line above the one where the
 * finding starts (at byte start), with that line's indentation and line break. */
static void add_ignore_action(cJSON *out, const doc *d, const cJSON *diag, const char *rule, double start) {
  if (!(start >= 0 && start <= (double)d->len) || !*rule || strncmp(rule, "omen/", 5) == 0)
    return; /* omen's own findings about ignore comments are fixed by editing those */
  size_t ls = (size_t)start, ind = 0, eol = (size_t)start;
  while (ls > 0 && d->text[ls - 1] != '\n' && d->text[ls - 1] != '\r')
    ls--;
  while (ls + ind < d->len && (d->text[ls + ind] == ' ' || d->text[ls + ind] == '\t'))
    ind++;
  while (eol < d->len && d->text[eol] != '\n' && d->text[eol] != '\r')
    eol++;
  const char *br = eol + 1 < d->len && d->text[eol] == '\r' && d->text[eol + 1] == '\n' ? "\r\n"
                   : eol < d->len && d->text[eol] == '\r'                              ? "\r"
                                                                                       : "\n";
  size_t n = ind + strlen(rule) + 64;
  char *line = malloc(n);
  char title[300];
  if (!line)
    return;
  snprintf(line, n, "%.*s//omen:ignore %s reason%s", (int)ind, d->text + ls, rule, br);
  snprintf(title, sizeof title, "Ignore %.200s on this line", rule);
  cJSON *edits = cJSON_CreateArray();
  cJSON *te = edits ? text_edit(d, (double)ls, (double)ls, line) : NULL;
  free(line);
  if (!te) {
    cJSON_Delete(edits);
    return;
  }
  cJSON_AddItemToArray(edits, te);
  add_action(out, d, title, "quickfix", diag, false, edits);
}

/* The quick fixes for one diagnostic of context.diagnostics: nothing unless it is omen's and its data
 * names a finding of d's current version. */
static void add_quickfixes(cJSON *out, const doc *d, const cJSON *diag) {
  const char *src = str_at(diag, "source"), *code = str_at(diag, "code");
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(diag, "data");
  long version;
  unsigned long index;
  if (!src || strcmp(src, "omen") != 0 || !version_at(data, &version) || version != d->version ||
      !uint_at(data, "index", &index) || index >= (unsigned long)cJSON_GetArraySize(d->findings))
    return;
  const cJSON *f = cJSON_GetArrayItem(d->findings, (int)index);
  const char *rule = str_at(f, "rule");
  const cJSON *start = cJSON_GetObjectItemCaseSensitive(f, "start");
  if (!rule || !cJSON_IsNumber(start) || (code && strcmp(code, rule) != 0))
    return; /* not the finding the index names */
  bool preferred = true;
  const cJSON *x;
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "fixes")) {
    const char *title = str_at(x, "title");
    bool safe = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "safe"));
    char t[600];
    snprintf(t, sizeof t, "%.500s%s", title ? title : "", safe ? "" : " (unsafe)");
    cJSON *edits = cJSON_CreateArray();
    if (!edits || !add_fix_edits(d, cJSON_GetObjectItemCaseSensitive(x, "edits"), edits)) {
      cJSON_Delete(edits);
      continue;
    }
    add_action(out, d, t, "quickfix", diag, safe && preferred, edits);
    if (safe)
      preferred = false;
  }
  add_ignore_action(out, d, diag, rule, start->valuedouble);
}

/* Whether the edit [a,b) conflicts with one of the n edits in taken (pairs of offsets): their ranges
 * overlap, two insertions are at the same place, or an insertion is inside a replaced range. */
static bool conflicts(const double *taken, size_t n, double a, double b) {
  for (size_t i = 0; i < n; i++) {
    double c = taken[2 * i], e = taken[2 * i + 1];
    if ((a < e && c < b) || (a == c && (a == b || c == e)))
      return true;
  }
  return false;
}

/* source.fixAll.omen: per finding of d its first safe fix, unless it conflicts with one taken before. */
static void add_fix_all(cJSON *out, const doc *d) {
  size_t cap = 0, n = 0;
  const cJSON *f, *x, *e;
  cJSON_ArrayForEach(f, d->findings) {
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "fixes")) {
      cap += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(x, "edits"));
    }
  }
  double *taken = cap ? malloc(2 * cap * sizeof *taken) : NULL;
  cJSON *edits = taken ? cJSON_CreateArray() : NULL;
  if (!edits) {
    free(taken);
    return;
  }
  cJSON_ArrayForEach(f, d->findings) {
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "fixes")) {
      if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "safe")))
        continue;
      const cJSON *xe = cJSON_GetObjectItemCaseSensitive(x, "edits");
      bool ok = true;
      size_t m = n;
      cJSON_ArrayForEach(e, xe) {
        double a = cJSON_GetArrayItem(e, 0)->valuedouble, b = cJSON_GetArrayItem(e, 1)->valuedouble;
        if (conflicts(taken, m, a, b)) { /* also against the fix's own earlier edits */
          ok = false;
          break;
        }
        taken[2 * m] = a;
        taken[2 * m + 1] = b;
        m++;
      }
      if (ok && !add_fix_edits(d, xe, edits)) { /* out of memory: no half-applied fix */
        free(taken);
        cJSON_Delete(edits);
        return;
      }
      if (ok)
        n = m;
      break; /* the first safe fix only: the others are alternatives to it */
    }
  }
  free(taken);
  if (cJSON_GetArraySize(edits) == 0) {
    cJSON_Delete(edits);
    return;
  }
  add_action(out, d, "Fix all safe omen findings", "source.fixAll.omen", NULL, false, edits);
}

static void on_code_action(server *s, const cJSON *id, const cJSON *params) {
  const char *uri = str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  if (!uri) {
    send_error(s, id, ERR_INVALID_PARAMS, "textDocument/codeAction needs params.textDocument.uri");
    return;
  }
  const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(params, "context");
  const cJSON *only = cJSON_GetObjectItemCaseSensitive(ctx, "only");
  const doc *d = doc_find(s, uri);
  cJSON *out = cJSON_CreateArray();
  if (!out) {
    send_error(s, id, ERR_INVALID_REQUEST, "out of memory");
    return;
  }
  if (d && d->findings && d->items_version == d->version) { /* else the findings are of an older text */
    const cJSON *diag;
    if (kind_wanted(only, "quickfix")) {
      cJSON_ArrayForEach(diag, cJSON_GetObjectItemCaseSensitive(ctx, "diagnostics")) {
        add_quickfixes(out, d, diag);
      }
    }
    if (kind_wanted(only, "source.fixAll.omen"))
      add_fix_all(out, d);
  }
  send_result(s, id, out);
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
    } else if (strcmp(m, "textDocument/codeAction") == 0) {
      on_code_action(s, id, params);
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
