/* lsp.c - `omen lsp`: JSON-RPC framing on stdio, the LSP lifecycle, open documents as reader
 * overlays, and diagnostics pushed (publishDiagnostics) and pulled (textDocument/diagnostic).
 *
 * Three threads. The reader thread frames and parses messages from stdin and queues them. The main
 * thread owns all state and all output: it handles the queued messages in order and decides what
 * to analyze. The analysis thread runs one omen_check at a time on a snapshot of the open buffers.
 * A change waits out the debounce before its analysis starts; a change to a document an analysis
 * covers cancels it; results are published only when every document they cover is still at the
 * version that was analyzed, so nothing stale ever reaches the client. Code actions: lsp_actions.c. */
#include "lsp.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"
#include "frontend.h"
#include "lsp_int.h"
#include "omen.h"
#include "reader.h"

enum {
  ERR_PARSE = -32700,
  ERR_INVALID_REQUEST = -32600,
  ERR_METHOD_NOT_FOUND = -32601,
  ERR_INVALID_PARAMS = -32602,
  ERR_NOT_INITIALIZED = -32002,
  ERR_REQUEST_CANCELLED = -32800,
};

#define MAX_HEADER_LINE 8192
#define MAX_DOCS 4096
#define MAX_DOC_SIZE ((size_t)32 << 20)
#define MAX_QUEUE 4096       /* messages read ahead of the main thread */
#define MAX_PENDING 1024     /* pull requests waiting for an analysis */
#define DEBOUNCE_DEFAULT 0.1 /* seconds between the last change and the analysis it starts */
#define DEBOUNCE_MAX 10.0

static double now_mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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
    int old;
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old); /* the main thread may stop us only here */
    ssize_t n = read(in->fd, in->buf, sizeof in->buf);
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
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

/* ---- the reader thread: frames and parses messages into the mailbox ---- */

/* One thing for the main thread: a message, or a framing error to answer, or the end of input. */
typedef struct item {
  cJSON *msg;       /* a parsed JSON object, or NULL */
  int err_code;     /* with msg NULL: the JSON-RPC error to send (id null); 0 at the end of input */
  const char *text; /* its message (static) */
  struct item *next;
} item;

typedef struct mailbox {
  pthread_mutex_t mu;
  pthread_cond_t wake;  /* the main thread: a message, the end of input, or a finished analysis */
  pthread_cond_t space; /* the reader thread: room in the queue */
  pthread_cond_t work;  /* the analysis thread: a job, or quit */
  item *head, *tail;
  size_t n;
  bool eof;         /* the reader thread is done */
  bool stop_reader; /* the main thread is leaving: do not wait for space */
} mailbox;

typedef struct reader_ctx {
  input in;
  mailbox *mb;
} reader_ctx;

/* Queues a message (taken) or an error; waits while the queue is full. */
static void post(mailbox *mb, cJSON *msg, int err_code, const char *text) {
  item *it = calloc(1, sizeof *it);
  if (!it) {
    cJSON_Delete(msg);
    return;
  }
  *it = (item){msg, err_code, text, NULL};
  pthread_mutex_lock(&mb->mu);
  while (mb->n >= MAX_QUEUE && !mb->stop_reader)
    pthread_cond_wait(&mb->space, &mb->mu);
  if (mb->tail)
    mb->tail->next = it;
  else
    mb->head = it;
  mb->tail = it;
  mb->n++;
  pthread_cond_signal(&mb->wake);
  pthread_mutex_unlock(&mb->mu);
}

static void post_body(mailbox *mb, const char *body, size_t len) {
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
  if (!msg)
    post(mb, NULL, ERR_PARSE, "Parse error: the message body is not valid JSON");
  else if (!cJSON_IsObject(msg)) {
    cJSON_Delete(msg);
    post(mb, NULL, ERR_INVALID_REQUEST, "Invalid request: a message must be a JSON object");
  } else
    post(mb, msg, 0, NULL);
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

/* Reads messages until the end of input. */
static void read_messages(reader_ctx *rc) {
  input *in = &rc->in;
  char line[MAX_HEADER_LINE];
  for (;;) {
    long long clen = -1;
    bool bad = false, any = false;
    size_t n;
    for (;;) { /* the header block */
      if (!in_line(in, line, sizeof line, &n))
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
      post(rc->mb, NULL, ERR_PARSE, "Parse error: missing or invalid Content-Length header");
      continue;
    }
    if ((unsigned long long)clen > OMEN_LSP_MAX_MESSAGE) {
      if (!in_bytes(in, NULL, (size_t)clen))
        return;
      post(rc->mb, NULL, ERR_INVALID_REQUEST, "Invalid request: the message is larger than 64 MiB");
      continue;
    }
    char *body = malloc((size_t)clen + 1);
    if (!body) {
      if (!in_bytes(in, NULL, (size_t)clen))
        return;
      post(rc->mb, NULL, ERR_INVALID_REQUEST, "Invalid request: out of memory for the message");
      continue;
    }
    if (!in_bytes(in, body, (size_t)clen)) {
      free(body);
      return;
    }
    body[clen] = '\0';
    post_body(rc->mb, body, (size_t)clen);
    free(body);
  }
}

static void *reader_main(void *arg) {
  reader_ctx *rc = arg;
  int old;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
  read_messages(rc);
  pthread_mutex_lock(&rc->mb->mu);
  rc->mb->eof = true;
  pthread_cond_signal(&rc->mb->wake);
  pthread_mutex_unlock(&rc->mb->mu);
  return NULL;
}

/* ---- server state ---- */

/* One analysis: a Go package's open files (or one C/C++ file) against a snapshot of every buffer. */
typedef struct lsp_job {
  omen_reader *reader; /* the snapshot: overlays of every open document */
  char **paths;        /* the documents it reports on */
  char **uris;         /* parallel: their URIs, and the versions analyzed */
  long *versions;
  size_t n;
  unsigned lang;
  char *compdb_dir;
  char *config_file;
  bool no_config;
  atomic_bool cancel;
  /* the analysis thread's answer */
  omen_status rc;
  char err[1024];
  omen_result res;
} lsp_job;

/* A textDocument/diagnostic request waiting for its document's analysis. */
typedef struct pending {
  cJSON *id;
  char *uri;
  char *previous; /* previousResultId, or NULL */
} pending;

typedef enum { ST_NEW, ST_RUNNING, ST_SHUTDOWN } lsp_state;

typedef struct server {
  mailbox mb;
  FILE *out, *log;
  bool out_broken;
  lsp_state state;
  bool exit_now;
  char *root; /* workspace root path, NULL when unknown */
  lsp_doc *docs;
  size_t ndocs;
  unsigned long next_result_id;
  /* analysis */
  pthread_t worker;
  bool worker_started, worker_quit;
  lsp_job *job;  /* running (owned by the analysis thread until job_done) */
  bool job_done; /* under mb.mu */
  lsp_job *next; /* handed to the analysis thread, not yet taken (under mb.mu) */
  pending *pend;
  size_t npend;
  char *last_error;   /* the last analysis error shown, not shown again until it changes */
  char *last_warning; /* the last bad setting shown, likewise */
  /* settings (initializationOptions, workspace/didChangeConfiguration, workspace/configuration) */
  double debounce;
  char *config_file;
  bool no_config;
  char *compdb_setting;
  bool can_pull_config, can_watch;
  unsigned long next_request;
} server;

/* "omen lsp: WHAT: ARG" on the log. */
static void note(server *s, const char *what, const char *arg) {
  if (s->log)
    fprintf(s->log, "omen lsp: %s: %s\n", what, arg);
}

/* ---- output (main thread only) ---- */

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

static void send_message(server *s, const char *method, const cJSON *id, cJSON *params) {
  cJSON *msg = cJSON_CreateObject();
  cJSON *idc = id ? cJSON_Duplicate(id, 1) : NULL;
  if (!msg || !params || (id && !idc) || !cJSON_AddStringToObject(msg, "method", method)) {
    cJSON_Delete(msg);
    cJSON_Delete(idc);
    cJSON_Delete(params);
    return;
  }
  if (idc)
    cJSON_AddItemToObject(msg, "id", idc);
  cJSON_AddItemToObject(msg, "params", params);
  send_json(s, msg);
}

static void send_notification(server *s, const char *method, cJSON *params) { send_message(s, method, NULL, params); }

/* A request to the client; its answer comes back with an id starting "omen/" + what. */
static void send_request(server *s, const char *what, cJSON *params) {
  char id[96];
  snprintf(id, sizeof id, "omen/%s/%lu", what, ++s->next_request);
  cJSON *idj = cJSON_CreateString(id);
  if (!idj) {
    cJSON_Delete(params);
    return;
  }
  send_message(s, what, idj, params);
  cJSON_Delete(idj);
}

/* window/logMessage (type 1 error ... 4 log), or window/showMessage when show. */
static void tell(server *s, int type, const char *text, bool show) {
  cJSON *p = cJSON_CreateObject();
  if (p && (!cJSON_AddNumberToObject(p, "type", type) || !cJSON_AddStringToObject(p, "message", text))) {
    cJSON_Delete(p);
    return;
  }
  send_notification(s, show ? "window/showMessage" : "window/logMessage", p);
}

static void show_log(server *s, int type, const char *text) { tell(s, type, text, false); }

/* ---- documents ---- */

static lsp_doc *doc_find(server *s, const char *uri) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (strcmp(s->docs[i].uri, uri) == 0)
      return &s->docs[i];
  return NULL;
}

static void doc_clear(lsp_doc *d) {
  free(d->uri);
  free(d->path);
  free(d->text);
  cJSON_Delete(d->items);
  cJSON_Delete(d->findings);
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

static lsp_doc *doc_by_path(server *s, const char *abs) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (s->docs[i].path && strcmp(s->docs[i].path, abs) == 0)
      return &s->docs[i];
  return NULL;
}

static cJSON *json_location(server *s, const omen_loc *loc) {
  char *abs = omen_abspath(loc->path);
  if (!abs)
    return NULL;
  lsp_doc *o = doc_by_path(s, abs);
  char *uri = o ? strdup(o->uri) : omen_lsp_path_to_uri(abs);
  free(abs);
  cJSON *range = o ? lsp_json_range(o->text, o->len, loc->start, loc->end) : json_range_pos(loc);
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
static cJSON *json_diag(server *s, const lsp_doc *dc, const omen_diag *d, size_t index) {
  cJSON *j = cJSON_CreateObject();
  cJSON *range = lsp_json_range(dc->text, dc->len, d->loc.start, d->loc.end);
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
static cJSON *finding_json(const lsp_doc *dc, const omen_diag *d) {
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

static void publish(server *s, const lsp_doc *d, const cJSON *items, bool with_version) {
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
static bool covers(const lsp_doc *d, const lsp_doc *o) {
  if (d == o)
    return true;
  return d->path && o->path && omen_lang_of_path(d->path) == OMEN_LANG_GO &&
         omen_lang_of_path(o->path) == OMEN_LANG_GO && same_dir(d->path, o->path);
}

static bool analyzable(const lsp_doc *d) { return d->path && omen_lang_of_path(d->path); }

/* Marks d to be analyzed now (or sooner than it was due). */
static void mark_dirty(lsp_doc *d) {
  double now = now_mono();
  if (!analyzable(d))
    return;
  if (!d->dirty || now < d->due)
    d->due = now;
  d->dirty = true;
}

/* After an edit of d: a first edit after a pause is analyzed at once (what a single edit or an
 * applied fix wants); an edit that follows another within the debounce waits until the edits stop
 * for that long (typing). Either way a newer edit cancels the analysis of an older one. */
static void mark_edited(lsp_doc *d, double debounce) {
  double now = now_mono();
  bool burst = d->dirty || now - d->last_edit < debounce;
  d->last_edit = now;
  if (!analyzable(d))
    return;
  d->due = burst ? now + debounce : now;
  d->dirty = true;
}

/* ---- settings ---- */

static bool is_config_file(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  return strcmp(base, ".omen.yml") == 0 || strcmp(base, ".omen.yaml") == 0 ||
         strcmp(base, "compile_commands.json") == 0;
}

static void cancel_job(server *s) {
  if (s->job)
    atomic_store(&s->job->cancel, true);
}

/* The configuration or the compile database changed: everything open is analyzed again. */
static void config_changed(server *s) {
  cancel_job(s);
  free(s->last_error);
  s->last_error = NULL;
  for (size_t i = 0; i < s->ndocs; i++)
    mark_dirty(&s->docs[i]);
}

/* A path setting: absolute, or relative to the workspace root. NULL for "" (unset). */
static char *setting_path(server *s, const char *v) {
  if (!*v)
    return NULL;
  if (*v == '/' || !s->root)
    return omen_abspath(v);
  size_t n = strlen(s->root) + strlen(v) + 2;
  char *p = malloc(n);
  if (!p)
    return NULL;
  snprintf(p, n, "%s/%s", s->root, v);
  char *abs = omen_abspath(p);
  free(p);
  return abs;
}

/* Shows that a setting is ignored: once, not again when the same settings arrive once more (as
 * initializationOptions and then from the workspace/configuration pull). */
static void bad_setting(server *s, const char *key, const char *want) {
  char m[300];
  snprintf(m, sizeof m, "omen: setting \"%.100s\" must be %s; it is ignored", key, want);
  if (s->last_warning && strcmp(s->last_warning, m) == 0)
    return;
  free(s->last_warning);
  s->last_warning = strdup(m);
  tell(s, 2, m, true);
}

/* Applies settings: {"omen": {...}} or the inner object itself. Keys: configFile (string),
 * noConfig (boolean), debounceMs (0..10000), compileCommandsDir (string). false when v has none of
 * them (the client sent something else, or nothing). */
static bool apply_settings(server *s, const cJSON *v) {
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(v, "omen");
  if (cJSON_IsObject(o))
    v = o;
  if (!cJSON_IsObject(v))
    return false;
  bool any = false;
  const cJSON *k;
  cJSON_ArrayForEach(k, v) {
    if (strcmp(k->string, "configFile") == 0) {
      any = true;
      if (!cJSON_IsString(k) && !cJSON_IsNull(k)) {
        bad_setting(s, k->string, "a path");
        continue;
      }
      free(s->config_file);
      s->config_file = cJSON_IsString(k) ? setting_path(s, k->valuestring) : NULL;
    } else if (strcmp(k->string, "noConfig") == 0) {
      any = true;
      if (!cJSON_IsBool(k))
        bad_setting(s, k->string, "true or false");
      else
        s->no_config = cJSON_IsTrue(k);
    } else if (strcmp(k->string, "debounceMs") == 0) {
      any = true;
      if (!cJSON_IsNumber(k) || !(k->valuedouble >= 0 && k->valuedouble <= DEBOUNCE_MAX * 1000))
        bad_setting(s, k->string, "a number of milliseconds from 0 to 10000");
      else
        s->debounce = k->valuedouble / 1000;
    } else if (strcmp(k->string, "compileCommandsDir") == 0) {
      any = true;
      if (!cJSON_IsString(k) && !cJSON_IsNull(k)) {
        bad_setting(s, k->string, "a directory");
        continue;
      }
      free(s->compdb_setting);
      s->compdb_setting = cJSON_IsString(k) ? setting_path(s, k->valuestring) : NULL;
    } else if (s->log) {
      note(s, "unknown setting, ignored", k->string);
    }
  }
  return any;
}

static void pull_settings(server *s) {
  cJSON *p = cJSON_CreateObject();
  cJSON *items = cJSON_AddArrayToObject(p, "items");
  cJSON *it = cJSON_CreateObject();
  if (!items || !it || !cJSON_AddStringToObject(it, "section", "omen")) {
    cJSON_Delete(p);
    cJSON_Delete(it);
    return;
  }
  cJSON_AddItemToArray(items, it);
  send_request(s, "workspace/configuration", p);
}

/* The directory of the compile database for a C/C++ file: the setting, else the nearest directory
 * above the file holding compile_commands.json itself or in build/ (as clangd looks: the database
 * may be outside the workspace folder). NULL when there is none (default flags). */
static char *compdb_for(server *s, const char *path) {
  if (s->compdb_setting)
    return strdup(s->compdb_setting);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  for (;;) {
    char *slash = strrchr(dir, '/');
    if (!slash)
      return NULL;
    *slash = '\0';
    char probe[4200];
    struct stat st;
    static const char *const where[] = {"", "/build"};
    for (size_t i = 0; i < 2; i++) {
      snprintf(probe, sizeof probe, "%s%s/compile_commands.json", dir, where[i]);
      if (stat(probe, &st) == 0 && S_ISREG(st.st_mode)) {
        probe[strlen(probe) - strlen("/compile_commands.json")] = '\0';
        return strdup(*probe ? probe : "/");
      }
    }
    if (!*dir)
      return NULL;
  }
}

/* ---- analyses ---- */

static void job_free(lsp_job *j) {
  if (!j)
    return;
  omen_reader_free(j->reader);
  for (size_t i = 0; i < j->n; i++) {
    free(j->paths[i]);
    free(j->uris[i]);
  }
  free(j->paths);
  free(j->uris);
  free(j->versions);
  free(j->compdb_dir);
  free(j->config_file);
  if (j->rc == OMEN_OK)
    omen_result_free(&j->res);
  free(j);
}

static bool job_covers(const lsp_job *j, const char *uri) {
  for (size_t i = 0; j && i < j->n; i++)
    if (strcmp(j->uris[i], uri) == 0)
      return true;
  return false;
}

/* The analysis thread: one job at a time until told to quit. */
static void *worker_main(void *arg) {
  server *s = arg;
  mailbox *mb = &s->mb;
  pthread_mutex_lock(&mb->mu);
  for (;;) {
    while (!s->next && !s->worker_quit)
      pthread_cond_wait(&mb->work, &mb->mu);
    if (!s->next)
      break;
    lsp_job *j = s->next;
    s->next = NULL;
    pthread_mutex_unlock(&mb->mu);
    omen_options opt = {0};
    opt.paths = (const char *const *)j->paths;
    opt.npaths = j->n;
    opt.jobs = 1;
    opt.compdb_dir = j->compdb_dir;
    opt.config_file = j->config_file;
    opt.no_config = j->no_config;
    opt.cancel = &j->cancel;
    j->rc = omen_check(&opt, j->reader, &j->res, j->err, sizeof j->err);
    pthread_mutex_lock(&mb->mu);
    s->job_done = true;
    pthread_cond_signal(&mb->wake);
  }
  pthread_mutex_unlock(&mb->mu);
  return NULL;
}

/* Starts the analysis of d and the open documents it covers. */
static void start_job(server *s, lsp_doc *d) {
  lsp_job *j = calloc(1, sizeof *j);
  bool ok = j && (j->reader = omen_reader_new(0)) && (j->paths = calloc(s->ndocs, sizeof *j->paths)) &&
            (j->uris = calloc(s->ndocs, sizeof *j->uris)) && (j->versions = calloc(s->ndocs, sizeof *j->versions));
  for (size_t i = 0; ok && i < s->ndocs; i++) {
    lsp_doc *o = &s->docs[i];
    if (o->path)
      ok = omen_reader_set_overlay(j->reader, o->path, o->text, o->len) == OMEN_OK;
    if (!ok || !covers(d, o) || !o->path)
      continue;
    j->paths[j->n] = strdup(o->path);
    j->uris[j->n] = strdup(o->uri);
    j->versions[j->n] = o->version;
    ok = j->paths[j->n] && j->uris[j->n];
    j->n++;
  }
  if (j)
    j->lang = omen_lang_of_path(d->path);
  if (ok && (j->lang & OMEN_LANG_CFAMILY))
    j->compdb_dir = compdb_for(s, d->path);
  if (ok && s->config_file)
    ok = (j->config_file = strdup(s->config_file)) != NULL;
  if (!ok) {
    if (j)
      j->rc = OMEN_ENOMEM;
    job_free(j);
    show_log(s, 1, "omen: out of memory; findings not updated");
    d->dirty = false;
    return;
  }
  j->no_config = s->no_config;
  atomic_init(&j->cancel, false);
  for (size_t i = 0; i < s->ndocs; i++)
    if (covers(d, &s->docs[i]))
      s->docs[i].dirty = false;
  s->job = j;
  pthread_mutex_lock(&s->mb.mu);
  s->next = j;
  s->job_done = false;
  pthread_cond_signal(&s->mb.work);
  pthread_mutex_unlock(&s->mb.mu);
}

/* The diagnostics (and what code actions need) of the run's findings in o; none when res is NULL
 * (the analysis failed). */
static bool doc_results(server *s, lsp_doc *o, const omen_result *res, char **abs) {
  cJSON *items = cJSON_CreateArray(), *findings = cJSON_CreateArray();
  for (size_t i = 0; res && items && findings && i < res->ndiags; i++) {
    const omen_diag *g = &res->diags[i];
    if (g->suppressed || !abs[i] || strcmp(abs[i], o->path) != 0)
      continue;
    cJSON *jd = json_diag(s, o, g, (size_t)cJSON_GetArraySize(items));
    cJSON *f = jd ? finding_json(o, g) : NULL;
    if (!f) { /* keep the two lists parallel */
      cJSON_Delete(jd);
      continue;
    }
    cJSON_AddItemToArray(items, jd);
    cJSON_AddItemToArray(findings, f);
  }
  if (!items || !findings) {
    cJSON_Delete(items);
    cJSON_Delete(findings);
    return false;
  }
  cJSON_Delete(o->items);
  cJSON_Delete(o->findings);
  o->items = items;
  o->findings = findings;
  o->items_version = o->version;
  o->result_id = ++s->next_result_id;
  return true;
}

/* Is d's analysis settled: not waiting, not running, findings of its current text? */
static bool settled(const server *s, const lsp_doc *d) {
  return !d->dirty && !job_covers(s->job, d->uri) && (d->items || !analyzable(d)) &&
         (d->items_version == d->version || !analyzable(d));
}

static void answer_pull(server *s, const cJSON *id, const lsp_doc *d, const char *previous) {
  cJSON *r = cJSON_CreateObject();
  char rid[32];
  snprintf(rid, sizeof rid, "%lu", d ? d->result_id : 0UL);
  bool same = d && d->items && previous && strcmp(previous, rid) == 0;
  cJSON *items = same ? NULL : d && d->items ? cJSON_Duplicate(d->items, 1) : cJSON_CreateArray();
  bool ok = r && (same || items) && cJSON_AddStringToObject(r, "kind", same ? "unchanged" : "full") &&
            (!d || !d->items || cJSON_AddStringToObject(r, "resultId", rid));
  if (!ok) {
    cJSON_Delete(r);
    cJSON_Delete(items);
    send_error(s, id, ERR_INVALID_REQUEST, "out of memory");
    return;
  }
  if (items)
    cJSON_AddItemToObject(r, "items", items);
  send_result(s, id, r);
}

/* Answers the pull requests whose documents are settled (or closed). */
static void answer_pending(server *s, bool all) {
  size_t k = 0;
  for (size_t i = 0; i < s->npend; i++) {
    pending *p = &s->pend[i];
    const lsp_doc *d = doc_find(s, p->uri);
    if (all || !d || settled(s, d)) {
      answer_pull(s, p->id, d, p->previous);
      cJSON_Delete(p->id);
      free(p->uri);
      free(p->previous);
    } else {
      s->pend[k++] = *p;
    }
  }
  s->npend = k;
}

/* The analysis thread is done with s->job: publish its findings unless it is stale. */
static void finish_job(server *s) {
  lsp_job *j = s->job;
  s->job = NULL;
  bool stale = j->rc == OMEN_ECANCELED;
  for (size_t i = 0; i < j->n && !stale; i++) {
    const lsp_doc *d = doc_find(s, j->uris[i]);
    stale = d && d->version != j->versions[i];
  }
  if (stale) { /* what made it stale marked what needs analyzing again; a close marks nothing */
    note(s, j->rc == OMEN_ECANCELED ? "analysis canceled: a document it covers changed" : "stale findings dropped",
         j->n ? j->paths[0] : "?");
    bool any = false;
    for (size_t i = 0; i < j->n; i++) {
      const lsp_doc *d = doc_find(s, j->uris[i]);
      any |= d && d->dirty;
    }
    for (size_t i = 0; i < j->n && !any; i++) {
      lsp_doc *d = doc_find(s, j->uris[i]);
      if (d)
        mark_dirty(d);
    }
  } else if (j->rc != OMEN_OK) {
    char msg[1400];
    snprintf(msg, sizeof msg, "omen could not analyze %s: %s", j->n ? j->paths[0] : "?",
             *j->err ? j->err : omen_status_str(j->rc));
    if (!s->last_error || strcmp(s->last_error, msg) != 0) { /* a broken .omen.yml: once, not per keystroke */
      free(s->last_error);
      s->last_error = strdup(msg);
      tell(s, 1, msg, j->rc == OMEN_EUSAGE);
    } else {
      show_log(s, 1, msg);
    }
    /* no findings for this version: older ones would sit at wrong places in the new text, and a
     * waiting pull must be answered */
    for (size_t i = 0; i < j->n; i++) {
      lsp_doc *d = doc_find(s, j->uris[i]);
      if (d && d->path && doc_results(s, d, NULL, NULL))
        publish(s, d, d->items, true);
    }
  } else {
    const omen_result *res = &j->res;
    char **abs = calloc(res->ndiags ? res->ndiags : 1, sizeof *abs);
    for (size_t i = 0; abs && i < res->ndiags; i++)
      abs[i] = omen_abspath(res->diags[i].loc.path);
    for (size_t i = 0; abs && i < j->n; i++) {
      lsp_doc *d = doc_find(s, j->uris[i]);
      if (d && d->path && doc_results(s, d, res, abs))
        publish(s, d, d->items, true);
    }
    for (size_t i = 0; abs && i < res->ndiags; i++)
      free(abs[i]);
    free(abs);
    if (s->last_error) {
      free(s->last_error);
      s->last_error = NULL;
    }
  }
  job_free(j);
  answer_pending(s, false);
}

/* Starts the analysis that is due first, when none is running; the seconds until the next one is
 * due (-1: nothing waits). */
static double schedule(server *s) {
  if (s->job)
    return -1;
  double now = now_mono(), first = -1;
  lsp_doc *best = NULL;
  for (size_t i = 0; i < s->ndocs; i++) {
    lsp_doc *d = &s->docs[i];
    if (!d->dirty)
      continue;
    if (!analyzable(d)) {
      d->dirty = false;
      continue;
    }
    if (!best || d->due < best->due)
      best = d;
  }
  if (best && best->due <= now)
    start_job(s, best);
  else if (best)
    first = best->due - now;
  return first;
}

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

/* ---- requests and notifications ---- */

static void on_initialize(server *s, const cJSON *id, const cJSON *params) {
  const char *uri = lsp_str_at(params, "rootUri");
  const cJSON *folders = cJSON_GetObjectItemCaseSensitive(params, "workspaceFolders");
  if (!uri && cJSON_IsArray(folders) && cJSON_GetArraySize(folders) > 0)
    uri = lsp_str_at(cJSON_GetArrayItem(folders, 0), "uri");
  char *root = uri ? omen_lsp_uri_to_path(uri) : NULL;
  if (!root && lsp_str_at(params, "rootPath"))
    root = strdup(lsp_str_at(params, "rootPath"));
  free(s->root);
  s->root = root ? omen_abspath(root) : NULL;
  free(root);
  const cJSON *ws = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(params, "capabilities"), "workspace");
  s->can_pull_config = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ws, "configuration"));
  s->can_watch = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(ws, "didChangeWatchedFiles"), "dynamicRegistration"));
  apply_settings(s, cJSON_GetObjectItemCaseSensitive(params, "initializationOptions"));
  s->state = ST_RUNNING;
  send_result(s, id, capabilities());
}

/* initialized: ask to hear of changes to configuration files, and for the settings. */
static void on_initialized(server *s) {
  if (s->can_watch) {
    cJSON *p = cJSON_CreateObject();
    cJSON *regs = cJSON_AddArrayToObject(p, "registrations");
    cJSON *r = cJSON_CreateObject();
    cJSON *opts = cJSON_AddObjectToObject(r, "registerOptions");
    cJSON *w = cJSON_AddArrayToObject(opts, "watchers");
    bool ok = regs && r && w && cJSON_AddStringToObject(r, "id", "omen-config-files") &&
              cJSON_AddStringToObject(r, "method", "workspace/didChangeWatchedFiles");
    static const char *const globs[] = {"**/.omen.yml", "**/.omen.yaml", "**/compile_commands.json"};
    for (size_t i = 0; ok && i < sizeof globs / sizeof *globs; i++) {
      cJSON *g = cJSON_CreateObject();
      ok = g && cJSON_AddStringToObject(g, "globPattern", globs[i]);
      if (ok)
        cJSON_AddItemToArray(w, g);
      else
        cJSON_Delete(g);
    }
    if (ok) {
      cJSON_AddItemToArray(regs, r);
      send_request(s, "client/registerCapability", p);
    } else {
      cJSON_Delete(r);
      cJSON_Delete(p);
    }
  }
  if (s->can_pull_config)
    pull_settings(s);
}

/* May the running analysis read d as well as the documents it covers (a C/C++ analysis reads any
 * header, and headers need not be named .h)? */
static bool may_include(const lsp_job *j, const lsp_doc *d) {
  return j && (j->lang & OMEN_LANG_CFAMILY) && d->path && omen_lang_of_path(d->path) != OMEN_LANG_GO;
}

static void on_did_open(server *s, const cJSON *params) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const char *uri = lsp_str_at(td, "uri"), *text = lsp_str_at(td, "text");
  long version;
  if (!uri || !text || !lsp_version_at(td, &version)) {
    note(s, "didOpen without uri, version and text", "ignored");
    return;
  }
  lsp_doc *d = doc_find(s, uri);
  if (!d) {
    if (s->ndocs >= MAX_DOCS) {
      show_log(s, 2, "omen: too many open documents; close some to see their findings");
      return;
    }
    lsp_doc *nd = realloc(s->docs, (s->ndocs + 1) * sizeof *nd);
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
  size_t len = strlen(text);
  char *t = len <= MAX_DOC_SIZE ? strdup(text) : NULL;
  if (!t) {
    show_log(s, 1, "omen: a document is too large (over 32 MiB) or memory ran out; it is not analyzed");
    return;
  }
  free(d->text);
  d->text = t;
  d->len = len;
  d->version = version;
  if (job_covers(s->job, d->uri) || may_include(s->job, d))
    cancel_job(s); /* reopened with other text */
  mark_dirty(d);
}

/* Applies one contentChanges entry to d. false (and d unchanged) when it is malformed or too large. */
static bool apply_change(lsp_doc *d, const cJSON *ch) {
  const char *text = lsp_str_at(ch, "text");
  if (!text)
    return false;
  size_t tlen = strlen(text);
  const cJSON *range = cJSON_GetObjectItemCaseSensitive(ch, "range");
  size_t a = 0, b = d->len;
  if (range) {
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(range, "start");
    const cJSON *re = cJSON_GetObjectItemCaseSensitive(range, "end");
    unsigned long l0, c0, l1, c1;
    if (!lsp_uint_at(rs, "line", &l0) || !lsp_uint_at(rs, "character", &c0) || !lsp_uint_at(re, "line", &l1) ||
        !lsp_uint_at(re, "character", &c1))
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
  const char *uri = lsp_str_at(td, "uri");
  const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges");
  lsp_doc *d = uri ? doc_find(s, uri) : NULL;
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
  if (lsp_version_at(td, &version))
    d->version = version;
  else
    d->version++; /* still a new version: what was computed for the old text must not be used */
  if (job_covers(s->job, d->uri) || may_include(s->job, d))
    cancel_job(s);
  mark_edited(d, s->debounce);
}

static void on_did_save(server *s, const cJSON *params) {
  const char *uri = lsp_str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  lsp_doc *d = uri ? doc_find(s, uri) : NULL;
  if (d && d->path && is_config_file(d->path))
    config_changed(s);
  else if (d)
    mark_dirty(d);
}

static void on_did_close(server *s, const cJSON *params) {
  const char *uri = lsp_str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  lsp_doc *d = uri ? doc_find(s, uri) : NULL;
  if (!d)
    return;
  publish(s, d, NULL, false);
  if (job_covers(s->job, d->uri))
    cancel_job(s);
  char *path = d->path;
  d->path = NULL;
  doc_clear(d);
  *d = s->docs[--s->ndocs];
  /* the package's other open files now see the closed file as it is on disk */
  for (size_t i = 0; path && i < s->ndocs; i++) {
    lsp_doc *o = &s->docs[i];
    if (o->path && omen_lang_of_path(path) == OMEN_LANG_GO && omen_lang_of_path(o->path) == OMEN_LANG_GO &&
        same_dir(path, o->path)) {
      mark_dirty(o);
      break;
    }
  }
  free(path);
  answer_pending(s, false);
}

static void on_diagnostic(server *s, const cJSON *id, const cJSON *params) {
  const char *uri = lsp_str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  if (!uri) {
    send_error(s, id, ERR_INVALID_PARAMS, "textDocument/diagnostic needs params.textDocument.uri");
    return;
  }
  const char *previous = lsp_str_at(params, "previousResultId");
  lsp_doc *d = doc_find(s, uri);
  if (!d || settled(s, d)) {
    answer_pull(s, id, d, previous);
    return;
  }
  if (s->npend >= MAX_PENDING) {
    send_error(s, id, ERR_INVALID_REQUEST, "too many diagnostic requests waiting");
    return;
  }
  pending *np = realloc(s->pend, (s->npend + 1) * sizeof *np);
  if (!np) {
    send_error(s, id, ERR_INVALID_REQUEST, "out of memory");
    return;
  }
  s->pend = np;
  pending *p = &s->pend[s->npend];
  *p = (pending){cJSON_Duplicate(id, 1), strdup(uri), previous ? strdup(previous) : NULL};
  if (!p->id || !p->uri || (previous && !p->previous)) {
    cJSON_Delete(p->id);
    free(p->uri);
    free(p->previous);
    send_error(s, id, ERR_INVALID_REQUEST, "out of memory");
    return;
  }
  s->npend++;
  if (!d->dirty && !job_covers(s->job, d->uri))
    mark_dirty(d); /* never analyzed at this version, e.g. after a failure */
}

/* $/cancelRequest: a waiting pull request is answered RequestCancelled; the analysis goes on (its
 * findings are still pushed). Requests already answered are not affected. */
static void on_cancel(server *s, const cJSON *params) {
  const cJSON *cid = cJSON_GetObjectItemCaseSensitive(params, "id");
  for (size_t i = 0; cid && i < s->npend; i++) {
    pending *p = &s->pend[i];
    if (!cJSON_Compare(p->id, cid, 1))
      continue;
    send_error(s, p->id, ERR_REQUEST_CANCELLED, "Request cancelled");
    cJSON_Delete(p->id);
    free(p->uri);
    free(p->previous);
    s->pend[i] = s->pend[--s->npend];
    return;
  }
}

static void on_code_action(server *s, const cJSON *id, const cJSON *params) {
  const char *uri = lsp_str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  if (!uri) {
    send_error(s, id, ERR_INVALID_PARAMS, "textDocument/codeAction needs params.textDocument.uri");
    return;
  }
  cJSON *out = lsp_code_actions(doc_find(s, uri), cJSON_GetObjectItemCaseSensitive(params, "context"));
  if (!out)
    send_error(s, id, ERR_INVALID_REQUEST, "out of memory");
  else
    send_result(s, id, out);
}

static void on_did_change_configuration(server *s, const cJSON *params) {
  if (!apply_settings(s, cJSON_GetObjectItemCaseSensitive(params, "settings")) && s->can_pull_config) {
    pull_settings(s); /* the client only says something changed (the pull model) */
    return;
  }
  config_changed(s);
}

static void on_did_change_watched_files(server *s, const cJSON *params) {
  const cJSON *c;
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(params, "changes")) {
    const char *uri = lsp_str_at(c, "uri");
    char *p = uri ? omen_lsp_uri_to_path(uri) : NULL;
    bool cfg = p && is_config_file(p);
    free(p);
    if (cfg) {
      config_changed(s);
      return;
    }
  }
}

/* A response to one of the server's requests. */
static void on_response(server *s, const cJSON *msg) {
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
  const cJSON *result = cJSON_GetObjectItemCaseSensitive(msg, "result");
  static const char prefix[] = "omen/workspace/configuration/";
  if (!cJSON_IsString(id) || strncmp(id->valuestring, prefix, sizeof prefix - 1) != 0)
    return;
  if (cJSON_IsArray(result) && apply_settings(s, cJSON_GetArrayItem(result, 0)))
    config_changed(s);
}

/* One decoded message. */
static void dispatch(server *s, const cJSON *msg) {
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
  if (id && !cJSON_IsString(id) && !cJSON_IsNumber(id)) {
    send_error(s, NULL, ERR_INVALID_REQUEST, "Invalid request: id must be a number or a string");
    return;
  }
  const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
  const char *jsonrpc = lsp_str_at(msg, "jsonrpc");
  if (!method && id && (cJSON_HasObjectItem(msg, "result") || cJSON_HasObjectItem(msg, "error"))) {
    on_response(s, msg);
    return;
  }
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
      cancel_job(s);
      answer_pending(s, true);
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
  else if (strcmp(m, "$/cancelRequest") == 0)
    on_cancel(s, params);
  else if (strcmp(m, "initialized") == 0)
    on_initialized(s);
  else if (strcmp(m, "workspace/didChangeConfiguration") == 0)
    on_did_change_configuration(s, params);
  else if (strcmp(m, "workspace/didChangeWatchedFiles") == 0)
    on_did_change_watched_files(s, params);
  /* $/setTrace and the rest: nothing to do */
}

/* ---- the main loop ---- */

/* Waits until a message arrives, the analysis finishes, or timeout seconds pass (< 0: no limit);
 * takes the queued items. */
static item *wait_for_work(server *s, double timeout, bool *done, bool *eof) {
  mailbox *mb = &s->mb;
  pthread_mutex_lock(&mb->mu);
  if (!mb->head && !s->job_done && !mb->eof && timeout != 0) {
    if (timeout < 0) {
      pthread_cond_wait(&mb->wake, &mb->mu);
    } else {
      struct timespec ts;
      clock_gettime(CLOCK_MONOTONIC, &ts);
      double t = (double)ts.tv_nsec / 1e9 + timeout;
      ts.tv_sec += (time_t)t;
      ts.tv_nsec = (long)((t - (double)(time_t)t) * 1e9);
      if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
      }
      pthread_cond_timedwait(&mb->wake, &mb->mu, &ts);
    }
  }
  item *list = mb->head;
  mb->head = mb->tail = NULL;
  mb->n = 0;
  *done = s->job_done;
  s->job_done = false;
  *eof = mb->eof;
  pthread_cond_broadcast(&mb->space);
  pthread_mutex_unlock(&mb->mu);
  return list;
}

static void serve_loop(server *s) {
  bool eof = false;
  while (!s->exit_now && !s->out_broken && !eof) {
    double timeout = schedule(s);
    bool done;
    item *list = wait_for_work(s, timeout, &done, &eof);
    while (list) { /* the messages first: a change among them makes a finished analysis stale */
      item *it = list;
      list = it->next;
      if (!s->exit_now && !s->out_broken) {
        if (it->msg)
          dispatch(s, it->msg);
        else
          send_error(s, NULL, it->err_code, it->text);
      }
      cJSON_Delete(it->msg);
      free(it);
    }
    if (done && s->job)
      finish_job(s);
  }
}

static bool mailbox_init(mailbox *mb) {
  pthread_condattr_t ca;
  if (pthread_condattr_init(&ca) != 0)
    return false;
  bool ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 && pthread_mutex_init(&mb->mu, NULL) == 0;
  ok = ok && pthread_cond_init(&mb->wake, &ca) == 0;
  ok = ok && pthread_cond_init(&mb->space, NULL) == 0;
  ok = ok && pthread_cond_init(&mb->work, NULL) == 0;
  pthread_condattr_destroy(&ca);
  return ok;
}

int omen_lsp_serve(int in_fd, FILE *out, FILE *log) {
  server *s = calloc(1, sizeof *s);
  reader_ctx *rc = calloc(1, sizeof *rc);
  if (!s || !rc || !mailbox_init(&s->mb)) {
    free(s);
    free(rc);
    return 1;
  }
  s->out = out;
  s->log = log;
  s->debounce = DEBOUNCE_DEFAULT;
  rc->in.fd = in_fd;
  rc->mb = &s->mb;
  pthread_t reader;
  bool reading = pthread_create(&reader, NULL, reader_main, rc) == 0;
  s->worker_started = reading && pthread_create(&s->worker, NULL, worker_main, s) == 0;
  if (s->worker_started)
    serve_loop(s);
  /* stop the analysis, then the reader (blocked in read: cancel it there) */
  cancel_job(s);
  pthread_mutex_lock(&s->mb.mu);
  s->worker_quit = true;
  s->mb.stop_reader = true;
  pthread_cond_broadcast(&s->mb.work);
  pthread_cond_broadcast(&s->mb.space);
  pthread_mutex_unlock(&s->mb.mu);
  if (s->worker_started)
    pthread_join(s->worker, NULL);
  if (reading) {
    pthread_cancel(reader);
    pthread_join(reader, NULL);
  }
  int code = s->state == ST_SHUTDOWN ? 0 : 1;
  job_free(s->job); /* the analysis thread finished it before it quit */
  for (item *it = s->mb.head, *nx; it; it = nx) {
    nx = it->next;
    cJSON_Delete(it->msg);
    free(it);
  }
  for (size_t i = 0; i < s->npend; i++) { /* the client is gone: no answers */
    cJSON_Delete(s->pend[i].id);
    free(s->pend[i].uri);
    free(s->pend[i].previous);
  }
  free(s->pend);
  for (size_t i = 0; i < s->ndocs; i++)
    doc_clear(&s->docs[i]);
  free(s->docs);
  free(s->root);
  free(s->last_error);
  free(s->last_warning);
  free(s->config_file);
  free(s->compdb_setting);
  pthread_mutex_destroy(&s->mb.mu);
  pthread_cond_destroy(&s->mb.wake);
  pthread_cond_destroy(&s->mb.space);
  pthread_cond_destroy(&s->mb.work);
  free(rc);
  free(s);
  return code;
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
