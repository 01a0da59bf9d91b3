/* baseline.c - fingerprints of findings, baselines (JSON or SARIF reports of an earlier run) and the
 * lines changed since a git revision (see baseline.h and docs/baselines.md). */
#include "baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "reader.h"

extern char **environ;

#define BASELINE_MAX ((size_t)256 << 20)
#define GIT_OUT_MAX ((size_t)256 << 20)

static const char *nz(const char *s) { return s ? s : ""; }

/* "./a/b" and ".//a/b" are "a/b". */
static const char *skip_dot_slash(const char *p) {
  while (p[0] == '.' && p[1] == '/') {
    p += 2;
    while (*p == '/')
      p++;
  }
  return p;
}

/* ---------- fingerprints ---------- */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv_byte(uint64_t h, unsigned char c) { return (h ^ c) * FNV_PRIME; }

/* A field is its length as 8 little-endian bytes, then its bytes: no field can run into the next
 * whatever it holds. */
static uint64_t fnv_len(uint64_t h, uint64_t n) {
  for (int i = 0; i < 8; i++)
    h = fnv_byte(h, (unsigned char)(n >> (8 * i)));
  return h;
}

static uint64_t fnv_str(uint64_t h, const char *s) {
  size_t n = strlen(s);
  h = fnv_len(h, n);
  for (size_t i = 0; i < n; i++)
    h = fnv_byte(h, (unsigned char)s[i]);
  return h;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Length of [s,e) trimmed with blank runs collapsed to one space; hashes those bytes into *h when
 * h is not NULL. */
static size_t squeeze(const char *s, const char *e, uint64_t *h) {
  while (s < e && is_blank(*s))
    s++;
  while (e > s && is_blank(e[-1]))
    e--;
  size_t n = 0;
  for (const char *p = s; p < e; p++) {
    if (is_blank(*p) && is_blank(p[-1])) /* p > s: the first byte is not blank */
      continue;
    if (h)
      *h = fnv_byte(*h, is_blank(*p) ? ' ' : (unsigned char)*p);
    n++;
  }
  return n;
}

/* Hashes line (1-based) of f, normalized; a line out of range (or no file) is empty. */
static uint64_t fnv_line(uint64_t h, const omen_file *f, uint32_t line) {
  const char *s = "", *e = s;
  if (f && f->text && f->lines && line >= 1 && line <= f->nlines) {
    uint32_t a = f->lines[line - 1];
    uint32_t b = line < f->nlines ? f->lines[line] - 1 : f->len; /* the '\n' or the end */
    if (a <= b && b <= f->len) {
      s = f->text + a;
      e = f->text + b;
    }
  }
  h = fnv_len(h, squeeze(s, e, NULL));
  squeeze(s, e, &h);
  return h;
}

void omen_diag_fingerprint(omen_diag *d, const omen_file *f) {
  uint32_t line = d->loc.start_pos.line;
  uint64_t base = FNV_OFFSET;
  base = fnv_str(base, d->rule ? nz(d->rule->id) : "");
  base = fnv_str(base, nz(d->scope));
  uint64_t lh = fnv_line(base, f, line);
  uint64_t h = fnv_line(base, f, line - 1); /* line 0 (and wrap-around) are out of range: empty */
  h = fnv_line(h, f, line);
  h = fnv_line(h, f, line + 1);
  snprintf(d->fingerprint, sizeof d->fingerprint, "%016llx", (unsigned long long)h);
  snprintf(d->line_fingerprint, sizeof d->line_fingerprint, "%016llx", (unsigned long long)lh);
}

/* ---------- baselines ---------- */

typedef struct bl_entry {
  char *rule, *path, *message;
  char fp[17], lfp[17]; /* empty when the report has none */
  bool used;
} bl_entry;

struct omen_baseline {
  bl_entry *v;
  size_t n, cap;
};

void omen_baseline_free(omen_baseline *b) {
  if (!b)
    return;
  for (size_t i = 0; i < b->n; i++) {
    free(b->v[i].rule);
    free(b->v[i].path);
    free(b->v[i].message);
  }
  free(b->v);
  free(b);
}

size_t omen_baseline_size(const omen_baseline *b) { return b ? b->n : 0; }

size_t omen_baseline_unused(const omen_baseline *b) {
  size_t k = 0;
  for (size_t i = 0; b && i < b->n; i++)
    k += !b->v[i].used;
  return k;
}

/* Copies a fingerprint that is 16 hex digits (lowercased); anything else is left out. */
static void take_fp(char dst[17], const cJSON *v) {
  dst[0] = '\0';
  const char *s = cJSON_GetStringValue(v);
  if (!s || strlen(s) != 16)
    return;
  for (int i = 0; i < 16; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'F')
      c = (char)(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      dst[0] = '\0';
      return;
    }
    dst[i] = c;
  }
  dst[16] = '\0';
}

/* The path as omen shows it: relative to the working directory when under it. */
static char *display_path(const char *p) {
  p = skip_dot_slash(p);
  if (p[0] != '/')
    return strdup(p);
  char *cwd = omen_abspath(".");
  char *abs = omen_abspath(p);
  char *out = NULL;
  if (cwd && abs) {
    size_t n = strlen(cwd);
    if (strcmp(cwd, "/") != 0 && strncmp(abs, cwd, n) == 0 && abs[n] == '/')
      out = strdup(abs + n + 1);
    else
      out = strdup(abs);
  }
  free(cwd);
  free(abs);
  return out;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes %XX (a malformed or NUL escape stays as written). Caller frees. */
static char *pct_decode(const char *s) {
  char *out = malloc(strlen(s) + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (const char *p = s; *p; p++) {
    int hi = *p == '%' ? hexval(p[1]) : -1;
    int lo = hi >= 0 ? hexval(p[2]) : -1;
    if (lo >= 0 && (hi | lo) != 0) {
      out[o++] = (char)(hi * 16 + lo);
      p += 2;
    } else {
      out[o++] = *p;
    }
  }
  out[o] = '\0';
  return out;
}

/* A SARIF artifact URI as a path omen would show: relative URIs are taken relative to the working
 * directory (SARIF's SRCROOT is where the earlier run ran), file URIs are decoded. */
static char *uri_path(const char *uri) {
  const char *p = uri;
  if (strncasecmp(p, "file:", 5) == 0) {
    p += 5;
    if (p[0] == '/' && p[1] == '/') {
      p += 2;
      p = strchr(p, '/'); /* skip the authority ("", "localhost") */
      if (!p)
        return strdup("");
    }
  }
  char *dec = pct_decode(p);
  if (!dec)
    return NULL;
  char *out = display_path(dec);
  free(dec);
  return out;
}

static omen_status add_entry(omen_baseline *b, const char *rule, const char *path, bool uri,
                             const char *message, const cJSON *fp, const cJSON *lfp) {
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    bl_entry *nv = realloc(b->v, cap * sizeof *nv);
    if (!nv)
      return OMEN_ENOMEM;
    b->v = nv;
    b->cap = cap;
  }
  bl_entry *e = &b->v[b->n];
  memset(e, 0, sizeof *e);
  e->rule = strdup(rule);
  e->path = uri ? uri_path(path) : display_path(path);
  e->message = strdup(message);
  take_fp(e->fp, fp);
  take_fp(e->lfp, lfp);
  if (!e->rule || !e->path || !e->message) {
    free(e->rule);
    free(e->path);
    free(e->message);
    return OMEN_ENOMEM;
  }
  b->n++;
  return OMEN_OK;
}

static const cJSON *get(const cJSON *o, const char *key) { return cJSON_GetObjectItemCaseSensitive(o, key); }

static omen_status load_json(omen_baseline *b, const cJSON *diags, const char *path, char *err,
                             size_t errlen) {
  size_t i = 0;
  const cJSON *d;
  cJSON_ArrayForEach(d, diags) {
    const char *rule = cJSON_GetStringValue(get(d, "rule"));
    const char *file = cJSON_GetStringValue(get(get(d, "location"), "path"));
    if (!rule || !file) {
      snprintf(err, errlen,
               "%s: diagnostics[%zu] has no \"rule\" or \"location.path\"; not an omen JSON report", path, i);
      return OMEN_EUSAGE;
    }
    const char *msg = cJSON_GetStringValue(get(d, "message"));
    omen_status st =
        add_entry(b, rule, file, false, nz(msg), get(d, "fingerprint"), get(d, "line_fingerprint"));
    if (st != OMEN_OK)
      return st;
    i++;
  }
  return OMEN_OK;
}

/* The rule id of a SARIF result: ruleId, rule.id, or the id of the rule its index names. */
static const char *sarif_rule(const cJSON *res, const cJSON *rules) {
  const char *id = cJSON_GetStringValue(get(res, "ruleId"));
  const cJSON *ref = get(res, "rule");
  if (!id)
    id = cJSON_GetStringValue(get(ref, "id"));
  if (!id) {
    const cJSON *ix = get(res, "ruleIndex");
    if (!cJSON_IsNumber(ix))
      ix = get(ref, "index");
    if (cJSON_IsNumber(ix) && ix->valuedouble >= 0 && ix->valuedouble < cJSON_GetArraySize(rules))
      id = cJSON_GetStringValue(get(cJSON_GetArrayItem(rules, (int)ix->valuedouble), "id"));
  }
  return id;
}

/* The URI of a result's first location, directly or through run.artifacts[index]. */
static const char *sarif_uri(const cJSON *res, const cJSON *artifacts) {
  const cJSON *al =
      get(get(cJSON_GetArrayItem(get(res, "locations"), 0), "physicalLocation"), "artifactLocation");
  const char *uri = cJSON_GetStringValue(get(al, "uri"));
  const cJSON *ix = get(al, "index");
  if (!uri && cJSON_IsNumber(ix) && ix->valuedouble >= 0 && ix->valuedouble < cJSON_GetArraySize(artifacts))
    uri = cJSON_GetStringValue(
        get(get(cJSON_GetArrayItem(artifacts, (int)ix->valuedouble), "location"), "uri"));
  return uri;
}

/* Results without a rule or a file location (another tool's project-level results) cannot match
 * a finding and are left out. */
static omen_status load_sarif(omen_baseline *b, const cJSON *runs) {
  const cJSON *run;
  cJSON_ArrayForEach(run, runs) {
    const cJSON *rules = get(get(get(run, "tool"), "driver"), "rules");
    const cJSON *artifacts = get(run, "artifacts");
    const cJSON *res;
    cJSON_ArrayForEach(res, get(run, "results")) {
      const char *rule = sarif_rule(res, rules);
      const char *uri = sarif_uri(res, artifacts);
      if (!rule || !uri)
        continue;
      const cJSON *pf = get(res, "partialFingerprints");
      const char *msg = cJSON_GetStringValue(get(get(res, "message"), "text"));
      omen_status st = add_entry(b, rule, uri, true, nz(msg), get(pf, "omen/v1"), get(pf, "omenLine/v1"));
      if (st != OMEN_OK)
        return st;
    }
  }
  return OMEN_OK;
}

/* Reads all of path (a pipe too, as with --baseline <(...)) into buf, at most BASELINE_MAX. */
static omen_status read_report(const char *path, omen_buf *buf, char *err, size_t errlen) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    snprintf(err, errlen, "%s: cannot read the baseline: %s", path, strerror(errno));
    return OMEN_EIO;
  }
  struct stat sb;
  omen_status st = OMEN_OK;
  if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
    snprintf(err, errlen, "%s: is a directory; give the report file of an earlier run", path);
    st = OMEN_EUSAGE;
  } else if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > BASELINE_MAX) {
    st = OMEN_ELIMIT;
  }
  char chunk[65536];
  while (st == OMEN_OK) {
    size_t n = fread(chunk, 1, sizeof chunk, fp);
    if (n > 0)
      st = omen_buf_add(buf, chunk, n);
    if (n < sizeof chunk) {
      if (ferror(fp)) {
        snprintf(err, errlen, "%s: cannot read the baseline: %s", path, strerror(errno));
        st = OMEN_EIO;
      }
      break;
    }
  }
  fclose(fp);
  if (st == OMEN_ELIMIT)
    snprintf(err, errlen,
             "%s: larger than %zu MiB; a baseline is a report of omen check --format json or sarif", path,
             BASELINE_MAX >> 20);
  else if (st == OMEN_ENOMEM)
    snprintf(err, errlen, "%s: out of memory reading the baseline", path);
  return st;
}

static omen_status parse_report(omen_baseline *b, const char *path, const omen_buf *buf, char *err,
                                size_t errlen) {
  const char *text = buf->data ? buf->data : "";
  size_t len = buf->len;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a byte-order mark */
    text += 3;
    len -= 3;
  }
  const char *end = NULL;
  cJSON *root = len ? cJSON_ParseWithLengthOpts(text, len, &end, false) : NULL;
  if (!root) {
    size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
      col = text[i] == '\n' ? 1 : col + 1;
      line += text[i] == '\n';
    }
    if (len == 0)
      snprintf(err, errlen, "%s: empty file, not an omen JSON or SARIF report", path);
    else
      snprintf(err, errlen,
               "%s:%zu:%zu: not valid JSON; a baseline is a report of omen check --format json or sarif",
               path, line, col);
    return OMEN_EUSAGE;
  }
  omen_status st = OMEN_OK;
  const cJSON *runs = get(root, "runs");
  const cJSON *diags = get(root, "diagnostics");
  const char *version = cJSON_GetStringValue(get(root, "version"));
  if (cJSON_IsObject(root) && cJSON_IsArray(runs) && version && strcmp(version, "2.1.0") != 0) {
    snprintf(err, errlen, "%s: SARIF version %s; omen reads SARIF 2.1.0", path, version);
    st = OMEN_EUSAGE;
  } else if (cJSON_IsObject(root) && cJSON_IsArray(runs)) {
    st = load_sarif(b, runs);
  } else if (cJSON_IsObject(root) && cJSON_IsArray(diags)) {
    st = load_json(b, diags, path, err, errlen);
  } else {
    snprintf(err, errlen, "%s: not an omen JSON or SARIF report", path);
    st = OMEN_EUSAGE;
  }
  if (st == OMEN_ENOMEM)
    snprintf(err, errlen, "%s: out of memory reading the baseline", path);
  cJSON_Delete(root);
  return st;
}

omen_status omen_baseline_load(const char *path, omen_baseline **out, char *err, size_t errlen) {
  *out = NULL;
  omen_baseline *b = calloc(1, sizeof *b);
  if (!b) {
    snprintf(err, errlen, "%s: out of memory reading the baseline", path);
    return OMEN_ENOMEM;
  }
  omen_buf buf;
  omen_buf_init(&buf, BASELINE_MAX);
  omen_status st = read_report(path, &buf, err, errlen);
  if (st == OMEN_OK)
    st = parse_report(b, path, &buf, err, errlen);
  omen_buf_free(&buf);
  if (st != OMEN_OK) {
    omen_baseline_free(b);
    return st;
  }
  *out = b;
  return OMEN_OK;
}

/* Matching: each pass looks the remaining findings up in the unused entries under one key. */
enum { KEY_PATH_FP, KEY_PATH_LINE, KEY_FP, KEY_MESSAGE, NKEYS };

typedef struct key {
  const char *a, *b, *c;
} key;

/* Whether e takes part in pass k, and its key there. */
static bool entry_key(const bl_entry *e, int k, key *out) {
  switch (k) {
  case KEY_PATH_FP:
    *out = (key){e->path, e->fp, ""};
    return e->fp[0] != '\0';
  case KEY_PATH_LINE:
    *out = (key){e->path, e->lfp, ""};
    return e->lfp[0] != '\0';
  case KEY_FP:
    *out = (key){e->fp, "", ""};
    return e->fp[0] != '\0';
  default: /* reports without fingerprints: rule, path and message */
    *out = (key){e->rule, e->path, e->message};
    return e->fp[0] == '\0';
  }
}

static bool diag_key(const omen_diag *d, int k, const char *msg, key *out) {
  const char *path = skip_dot_slash(nz(d->loc.path));
  switch (k) {
  case KEY_PATH_FP:
    *out = (key){path, d->fingerprint, ""};
    return d->fingerprint[0] != '\0';
  case KEY_PATH_LINE:
    *out = (key){path, d->line_fingerprint, ""};
    return d->line_fingerprint[0] != '\0';
  case KEY_FP:
    *out = (key){d->fingerprint, "", ""};
    return d->fingerprint[0] != '\0';
  default:
    *out = (key){d->rule ? nz(d->rule->id) : "", path, msg};
    return true;
  }
}

static int key_cmp(const key *x, const key *y) {
  int c = strcmp(x->a, y->a);
  if (c == 0)
    c = strcmp(x->b, y->b);
  if (c == 0)
    c = strcmp(x->c, y->c);
  return c;
}

typedef struct keyed {
  key k;
  size_t entry;
} keyed;

static int keyed_cmp(const void *x, const void *y) {
  const keyed *a = x, *b = y;
  int c = key_cmp(&a->k, &b->k);
  if (c == 0)
    c = a->entry < b->entry ? -1 : a->entry > b->entry;
  return c;
}

/* Marks and returns an unused entry with key k, or SIZE_MAX. */
static size_t take(omen_baseline *b, const keyed *sorted, size_t n, const key *k) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (key_cmp(&sorted[mid].k, k) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < n && key_cmp(&sorted[lo].k, k) == 0; lo++) {
    if (!b->v[sorted[lo].entry].used) {
      b->v[sorted[lo].entry].used = true;
      return sorted[lo].entry;
    }
  }
  return SIZE_MAX;
}

/* The message as the SARIF writer puts it when it could hold a link: brackets (and backslashes
 * before them) escaped. NULL when that is the message itself. Caller frees. */
static char *sarif_escaped(const char *m) {
  if (!strstr(m, "]("))
    return NULL;
  char *out = malloc(2 * strlen(m) + 1);
  size_t o = 0;
  for (const char *p = m; out && *p; p++) {
    if (*p == '[' || *p == ']' || (*p == '\\' && (p[1] == '[' || p[1] == ']')))
      out[o++] = '\\';
    out[o++] = *p;
  }
  if (out)
    out[o] = '\0';
  return out;
}

size_t omen_baseline_filter(omen_baseline *b, omen_diag *diags, size_t *n) {
  if (!b || !b->n || !*n)
    return 0;
  keyed *sorted = malloc(b->n * sizeof *sorted);
  bool *gone = calloc(*n, sizeof *gone);
  if (!sorted || !gone) {
    free(sorted);
    free(gone);
    return 0;
  }
  for (int k = 0; k < NKEYS; k++) {
    size_t m = 0;
    for (size_t i = 0; i < b->n; i++)
      if (!b->v[i].used && entry_key(&b->v[i], k, &sorted[m].k))
        sorted[m++].entry = i;
    qsort(sorted, m, sizeof *sorted, keyed_cmp);
    for (size_t i = 0; i < *n && m; i++) {
      const omen_diag *d = &diags[i];
      key dk;
      if (gone[i] || d->suppressed || !diag_key(d, k, nz(d->message), &dk))
        continue;
      gone[i] = take(b, sorted, m, &dk) != SIZE_MAX;
      if (!gone[i] && k == KEY_MESSAGE) {
        char *esc = sarif_escaped(nz(d->message));
        if (esc && diag_key(d, k, esc, &dk))
          gone[i] = take(b, sorted, m, &dk) != SIZE_MAX;
        free(esc);
      }
    }
  }
  size_t o = 0;
  for (size_t i = 0; i < *n; i++) {
    if (gone[i])
      omen_diag_clear(&diags[i]);
    else
      diags[o++] = diags[i];
  }
  size_t removed = *n - o;
  *n = o;
  free(sorted);
  free(gone);
  return removed;
}

/* ---------- changed lines since a git revision ---------- */

typedef struct ch_range {
  uint32_t lo, hi; /* inclusive */
} ch_range;

typedef struct ch_file {
  char *path; /* as omen shows it */
  bool whole; /* untracked: every line is new */
  ch_range *r;
  size_t nr, cap;
} ch_file;

struct omen_changes {
  ch_file *v;
  size_t n, cap;
};

void omen_changes_free(omen_changes *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++) {
    free(c->v[i].path);
    free(c->v[i].r);
  }
  free(c->v);
  free(c);
}

/* Runs git with argv (no shell), stdin from /dev/null; collects stdout into out (capped) and the
 * start of stderr into gerr. *code is git's exit status (-1 when killed). */
static omen_status run_git(char *const argv[], omen_buf *out, char *gerr, size_t gerrlen, int *code) {
  int po[2], pe[2];
  if (pipe2(po, O_CLOEXEC) != 0)
    return OMEN_EIO;
  if (pipe2(pe, O_CLOEXEC) != 0) {
    close(po[0]);
    close(po[1]);
    return OMEN_EIO;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, po[1], 1);
  posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
  pid_t pid;
  int rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(po[1]);
  close(pe[1]);
  if (rc != 0) {
    close(po[0]);
    close(pe[0]);
    snprintf(gerr, gerrlen, "cannot run git: %s", strerror(rc));
    return OMEN_EIO;
  }
  omen_status st = OMEN_OK;
  size_t nerr = 0;
  gerr[0] = '\0';
  struct pollfd pf[2] = {{.fd = po[0], .events = POLLIN}, {.fd = pe[0], .events = POLLIN}};
  char chunk[65536];
  while ((pf[0].fd >= 0 || pf[1].fd >= 0) && st == OMEN_OK) {
    if (poll(pf, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      st = OMEN_EIO;
      break;
    }
    for (int i = 0; i < 2; i++) {
      if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      ssize_t k = read(pf[i].fd, chunk, sizeof chunk);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0) {
        close(pf[i].fd);
        pf[i].fd = -1;
      } else if (i == 0) {
        st = omen_buf_add(out, chunk, (size_t)k);
      } else if (nerr + 1 < gerrlen) {
        size_t keep = (size_t)k < gerrlen - 1 - nerr ? (size_t)k : gerrlen - 1 - nerr;
        memcpy(gerr + nerr, chunk, keep);
        nerr += keep;
        gerr[nerr] = '\0';
      }
    }
  }
  if (st != OMEN_OK)
    kill(pid, SIGKILL); /* too much output: stop it rather than wait */
  for (int i = 0; i < 2; i++)
    if (pf[i].fd >= 0)
      close(pf[i].fd);
  int ws = 0;
  while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
    ;
  *code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
  return st;
}

/* git's first message line without its "fatal: "/"error: " prefix. */
static const char *git_message(char *gerr) {
  char *p = gerr;
  while (*p == '\n' || *p == ' ')
    p++;
  char *nl = strchr(p, '\n');
  if (nl)
    *nl = '\0';
  if (strncmp(p, "fatal: ", 7) == 0)
    p += 7;
  else if (strncmp(p, "error: ", 7) == 0)
    p += 7;
  return *p ? p : "git failed";
}

static ch_file *add_file(omen_changes *c, char *path) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 32;
    ch_file *nv = realloc(c->v, cap * sizeof *nv);
    if (!nv)
      return NULL;
    c->v = nv;
    c->cap = cap;
  }
  ch_file *f = &c->v[c->n++];
  memset(f, 0, sizeof *f);
  f->path = path;
  return f;
}

static omen_status add_range(ch_file *f, uint32_t lo, uint32_t hi) {
  if (f->nr == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 8;
    ch_range *nv = realloc(f->r, cap * sizeof *nv);
    if (!nv)
      return OMEN_ENOMEM;
    f->r = nv;
    f->cap = cap;
  }
  f->r[f->nr++] = (ch_range){lo, hi};
  return OMEN_OK;
}

/* A repository-relative path as omen shows it: relative to the working directory (prefix is its
 * path in the repository, "" or "dir/") when under it, else absolute. */
static char *repo_path(const char *top, const char *prefix, const char *p) {
  size_t n = strlen(prefix);
  if (strncmp(p, prefix, n) == 0)
    return strdup(p + n);
  size_t a = strlen(top), b = strlen(p);
  char *s = malloc(a + b + 2);
  if (s)
    snprintf(s, a + b + 2, "%s/%s", top, p);
  return s;
}

/* Decodes a path as git quotes it ("\"a\\tb\\303\\251\""); s points at the opening quote. */
static char *git_unquote(const char *s) {
  char *out = malloc(strlen(s) + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (const char *p = s + 1; *p && *p != '"'; p++) {
    if (*p != '\\' || !p[1]) {
      out[o++] = *p;
      continue;
    }
    p++;
    static const char esc[] = "a\ab\bt\tn\nv\vf\fr\r\"\"\\\\";
    const char *e = strchr(esc, *p);
    if (*p >= '0' && *p <= '3' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' && p[2] <= '7') {
      out[o++] = (char)((*p - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0'));
      p += 2;
    } else if (e && (e - esc) % 2 == 0) {
      out[o++] = e[1];
    } else {
      out[o++] = *p;
    }
  }
  out[o] = '\0';
  return out;
}

/* The new side's path of a "+++ " line ("b/x", "\"b/x y\"", "b/x y\t"); NULL for /dev/null. */
static char *plus_path(const char *s, bool *nomem) {
  *nomem = false;
  if (strcmp(s, "/dev/null") == 0)
    return NULL;
  char *p = s[0] == '"' ? git_unquote(s) : strdup(s);
  if (!p) {
    *nomem = true;
    return NULL;
  }
  size_t n = strlen(p);
  if (s[0] != '"' && n && p[n - 1] == '\t') /* git ends names holding a space with a tab */
    p[--n] = '\0';
  if (strncmp(p, "b/", 2) == 0)
    memmove(p, p + 2, n - 1);
  return p;
}

/* "@@ -a[,b] +c[,d] @@": the old and new line counts and the new start. */
static bool hunk_header(const char *s, unsigned long *ob, unsigned long *nc, unsigned long *nd) {
  char *e;
  if (strncmp(s, "@@ -", 4) != 0)
    return false;
  strtoul(s + 4, &e, 10);
  *ob = 1;
  if (*e == ',')
    *ob = strtoul(e + 1, &e, 10);
  if (strncmp(e, " +", 2) != 0)
    return false;
  *nc = strtoul(e + 2, &e, 10);
  *nd = 1;
  if (*e == ',')
    *nd = strtoul(e + 1, &e, 10);
  return strncmp(e, " @@", 3) == 0;
}

/* Records the added and changed lines of a `git diff -U0` (each hunk's new side). */
static omen_status parse_diff(omen_changes *c, char *text, size_t len, const char *top, const char *prefix) {
  ch_file *cur = NULL;
  unsigned long old_left = 0, new_left = 0;
  char *p = text, *end = text + len;
  while (p < end) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    char *line = p;
    if (nl)
      *nl = '\0';
    p = nl ? nl + 1 : end;
    if (old_left || new_left) { /* inside a hunk: content lines, whatever they look like */
      if (line[0] == '-' && old_left)
        old_left--;
      else if (line[0] == '+' && new_left)
        new_left--;
      else if (line[0] == ' ') {
        old_left -= old_left > 0;
        new_left -= new_left > 0;
      }
      continue;
    }
    if (strncmp(line, "diff ", 5) == 0) {
      cur = NULL;
    } else if (strncmp(line, "+++ ", 4) == 0) {
      bool nomem;
      char *np = plus_path(line + 4, &nomem);
      if (nomem)
        return OMEN_ENOMEM;
      cur = NULL;
      if (np) {
        char *disp = repo_path(top, prefix, np);
        free(np);
        if (!disp)
          return OMEN_ENOMEM;
        cur = add_file(c, disp);
        if (!cur) {
          free(disp);
          return OMEN_ENOMEM;
        }
      }
    } else if (line[0] == '@' && line[1] == '@') {
      unsigned long ob, nc, nd;
      if (!hunk_header(line, &ob, &nc, &nd))
        continue;
      old_left = ob;
      new_left = nd;
      if (cur && nd > 0 && nc > 0 && nc <= UINT32_MAX) {
        unsigned long hi = nc + nd - 1;
        if (add_range(cur, (uint32_t)nc, hi > UINT32_MAX ? UINT32_MAX : (uint32_t)hi) != OMEN_OK)
          return OMEN_ENOMEM;
      }
    }
  }
  return OMEN_OK;
}

static int range_cmp(const void *x, const void *y) {
  const ch_range *a = x, *b = y;
  return a->lo < b->lo ? -1 : a->lo > b->lo;
}

static int file_cmp(const void *x, const void *y) {
  return strcmp(((const ch_file *)x)->path, ((const ch_file *)y)->path);
}

/* Sorts files by path, merges a path listed twice, sorts each file's ranges. */
static omen_status finish(omen_changes *c) {
  if (c->n > 1)
    qsort(c->v, c->n, sizeof *c->v, file_cmp);
  size_t o = 0;
  for (size_t i = 0; i < c->n; i++) {
    ch_file *f = &c->v[i];
    if (o > 0 && strcmp(c->v[o - 1].path, f->path) == 0) {
      ch_file *g = &c->v[o - 1];
      g->whole = g->whole || f->whole;
      omen_status st = OMEN_OK;
      for (size_t k = 0; k < f->nr && st == OMEN_OK; k++)
        st = add_range(g, f->r[k].lo, f->r[k].hi);
      free(f->path);
      free(f->r);
      if (st != OMEN_OK) {
        for (size_t k = i + 1; k < c->n; k++)
          c->v[o++] = c->v[k];
        c->n = o;
        return st;
      }
      continue;
    }
    c->v[o++] = *f;
  }
  c->n = o;
  for (size_t i = 0; i < c->n; i++) {
    ch_file *f = &c->v[i];
    if (f->nr > 1)
      qsort(f->r, f->nr, sizeof *f->r, range_cmp);
    size_t m = 0; /* coalesce overlapping ranges so that a lookup needs only the last start */
    for (size_t k = 0; k < f->nr; k++) {
      if (m > 0 && f->r[k].lo <= f->r[m - 1].hi)
        f->r[m - 1].hi = f->r[k].hi > f->r[m - 1].hi ? f->r[k].hi : f->r[m - 1].hi;
      else
        f->r[m++] = f->r[k];
    }
    f->nr = m;
  }
  return OMEN_OK;
}

/* Runs one git command; on failure says why in err (the caller names the option). */
static omen_status git(char *const argv[], omen_buf *out, char *err, size_t errlen) {
  char gerr[1024];
  int code = 0;
  omen_buf_reset(out);
  omen_status st = run_git(argv, out, gerr, sizeof gerr, &code);
  if (st == OMEN_EIO) {
    snprintf(err, errlen, "%s (is git installed and on PATH?)", gerr[0] ? gerr : "cannot run git");
  } else if (st == OMEN_ELIMIT) {
    snprintf(err, errlen, "git %s printed more than %zu MiB", argv[3], GIT_OUT_MAX >> 20);
  } else if (st != OMEN_OK) {
    snprintf(err, errlen, "out of memory reading git's output");
  } else if (code != 0) {
    snprintf(err, errlen, "%s", git_message(gerr));
    st = OMEN_EUSAGE;
  }
  return st;
}

static omen_status changes_collect(omen_changes *c, const char *rev, char *err, size_t errlen) {
  omen_buf out;
  omen_buf_init(&out, GIT_OUT_MAX);
  /* the first three words are the same for every command; argv[3] names it in messages */
  char *revparse[] = {"git",           "--no-pager", "--no-optional-locks", "rev-parse", "--show-toplevel",
                      "--show-prefix", NULL};
  omen_status st = git(revparse, &out, err, errlen);
  char *top = NULL, *prefix = NULL;
  if (st == OMEN_OK) {
    char *nl = out.data ? strchr(out.data, '\n') : NULL;
    char *nl2 = nl ? strchr(nl + 1, '\n') : NULL;
    if (!nl || !nl2) {
      snprintf(err, errlen, "git rev-parse gave no work tree here");
      st = OMEN_EUSAGE;
    } else {
      *nl = *nl2 = '\0';
      top = strdup(out.data);
      prefix = strdup(nl + 1);
      if (!top || !prefix)
        st = OMEN_ENOMEM;
    }
  }
  /* options that a user's configuration could otherwise change: prefixes, relative paths,
   * external diff tools, text conversion, context between hunks, rename detection */
  char *diff[] = {
      "git",        "--no-pager",      "--no-optional-locks", "diff",      "--no-ext-diff",
      "--no-color", "--no-textconv",   "--no-relative",       "-U0",       "--inter-hunk-context=0",
      "-M",         "--src-prefix=a/", "--dst-prefix=b/",     (char *)rev, "--",
      NULL};
  if (st == OMEN_OK)
    st = git(diff, &out, err, errlen);
  if (st == OMEN_OK && out.len)
    st = parse_diff(c, out.data, out.len, top, prefix);
  char *others[] = {"git",      "--no-pager",  "--no-optional-locks",
                    "ls-files", "--others",    "--exclude-standard",
                    "-z",       "--full-name", "--",
                    ":/",       NULL};
  if (st == OMEN_OK)
    st = git(others, &out, err, errlen);
  for (size_t i = 0; st == OMEN_OK && i < out.len; i += strlen(out.data + i) + 1) {
    if (!out.data[i])
      continue;
    char *disp = repo_path(top, prefix, out.data + i);
    ch_file *f = disp ? add_file(c, disp) : NULL;
    if (!f) {
      free(disp);
      st = OMEN_ENOMEM;
    } else {
      f->whole = true;
    }
  }
  if (st == OMEN_OK)
    st = finish(c);
  if (st == OMEN_ENOMEM)
    snprintf(err, errlen, "out of memory");
  free(top);
  free(prefix);
  omen_buf_free(&out);
  return st;
}

omen_status omen_changes_since(const char *rev, omen_changes **out, char *err, size_t errlen) {
  *out = NULL;
  if (!rev || !rev[0] || rev[0] == '-') {
    snprintf(err, errlen, "'%s' is not a git revision", nz(rev));
    return OMEN_EUSAGE;
  }
  if (strstr(rev, "..")) {
    snprintf(err, errlen,
             "%s is a range; give one revision (omen compares it with the files as they are now)", rev);
    return OMEN_EUSAGE;
  }
  omen_changes *c = calloc(1, sizeof *c);
  if (!c) {
    snprintf(err, errlen, "out of memory");
    return OMEN_ENOMEM;
  }
  omen_status st = changes_collect(c, rev, err, errlen);
  if (st != OMEN_OK) {
    omen_changes_free(c);
    return st;
  }
  *out = c;
  return OMEN_OK;
}

bool omen_changes_has(const omen_changes *c, const char *path, uint32_t line) {
  if (!c || !path)
    return false;
  path = skip_dot_slash(path);
  size_t lo = 0, hi = c->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int cmp = strcmp(c->v[mid].path, path);
    if (cmp == 0) {
      const ch_file *f = &c->v[mid];
      if (f->whole)
        return true;
      /* ranges are sorted by start; find the last starting at or before line */
      size_t a = 0, b = f->nr;
      while (a < b) {
        size_t m = a + (b - a) / 2;
        if (f->r[m].lo <= line)
          a = m + 1;
        else
          b = m;
      }
      return a > 0 && line <= f->r[a - 1].hi;
    }
    if (cmp < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

size_t omen_changes_filter(const omen_changes *c, omen_diag *diags, size_t *n) {
  size_t o = 0;
  for (size_t i = 0; i < *n; i++) {
    omen_diag *d = &diags[i];
    bool engine = d->rule && d->rule->id && strncmp(d->rule->id, "omen/", 5) == 0;
    if (engine || d->suppressed || omen_changes_has(c, d->loc.path, d->loc.start_pos.line))
      diags[o++] = *d;
    else
      omen_diag_clear(d);
  }
  size_t removed = *n - o;
  *n = o;
  return removed;
}
