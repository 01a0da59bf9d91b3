/* out_sarif.c - the SARIF 2.1.0 report, shaped for GitHub code scanning and kept within its
 * documented limits (docs/outputs.md): past one, results or related locations are left out
 * deterministically and a notification of the invocation says what. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "out_util.h"
#include "output.h"
#include "registry.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define URI_MAX ((size_t)1 << 20)

/* GitHub code scanning: at most 25,000 results per run, 1,000 locations per result, 10 MB per
 * gzip-compressed file (the upload action adds fingerprints before compressing: keep a margin),
 * descriptions of 1,024 characters. */
#define GITHUB_MAX_RESULTS 25000
#define GITHUB_MAX_RELATED 999
#define GITHUB_MAX_GZIP 8000000
#define GITHUB_MAX_DESCRIPTION 1024

typedef struct sarif {
  omen_jw w;
  const omen_result *r;
  const omen_output_opts *opts;
  size_t max_related;
  size_t related_cut, related_cut_results; /* related locations left out, of how many results */
  char cwd[4096];
  bool have_cwd;
  const omen_rule **rules; /* omen_rules_all() followed by rules only diagnostics name */
  size_t nrules, nall;
  /* UTF-16 position cache: offsets of one file are mostly asked for in increasing order */
  const omen_snapshot *cache_snap;
  uint32_t cache_byte, cache_units;
} sarif;

/* Family name fragments that make a rule a concurrency finding rather than a reliability one. */
static const char *const concurrency_words[] = {"thread",    "lock",     "mutex", "goroutine",
                                                "race",      "deadlock", "chan",  "atomic",
                                                "concurren", "sync",     "join",  "cond"};

static const char *nz(const char *s) { return s ? s : ""; }

/* ---- URIs ---- */

static omen_status pct_encode(omen_buf *b, const char *s) {
  omen_status st = OMEN_OK;
  for (const unsigned char *p = (const unsigned char *)s; *p && st == OMEN_OK; p++) {
    unsigned char c = *p;
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '.' || c == '_' || c == '~' || c == '/';
    st = keep ? omen_buf_addc(b, (char)c) : omen_buf_printf(b, "%%%02X", c);
  }
  return st;
}

/* Resolves "." and ".." segments of an absolute path in place; the result never grows. */
static void normalize(char *p) {
  size_t n = strlen(p), i = 0, o = 0;
  while (i < n) {
    while (i < n && p[i] == '/')
      i++;
    size_t st = i;
    while (i < n && p[i] != '/')
      i++;
    size_t len = i - st;
    if (len == 0 || (len == 1 && p[st] == '.'))
      continue;
    if (len == 2 && p[st] == '.' && p[st + 1] == '.') {
      while (o > 0 && p[o - 1] != '/')
        o--;
      if (o > 0)
        o--;
      continue;
    }
    p[o++] = '/';
    memmove(p + o, p + st, len);
    o += len;
  }
  if (o == 0)
    p[o++] = '/';
  p[o] = '\0';
}

/* The URI of path: relative to SRCROOT (the working directory) when path is relative and stays
 * under it, else an absolute file:// URI. */
static omen_status path_uri(const sarif *s, const char *path, omen_buf *b, bool *relative) {
  path = nz(path);
  while (path[0] == '.' && path[1] == '/') {
    path += 2;
    while (*path == '/')
      path++;
  }
  bool up = strcmp(path, "..") == 0 || strncmp(path, "../", 3) == 0;
  if (path[0] != '/' && !(up && s->have_cwd)) {
    *relative = true;
    return pct_encode(b, path);
  }
  *relative = false;
  omen_buf abs;
  omen_buf_init(&abs, URI_MAX);
  omen_status st = OMEN_OK;
  if (path[0] != '/')
    st = omen_buf_printf(&abs, "%s/", s->cwd);
  if (st == OMEN_OK)
    st = omen_buf_adds(&abs, path);
  if (st == OMEN_OK) {
    normalize(abs.data);
    st = omen_buf_adds(b, "file://");
  }
  if (st == OMEN_OK)
    st = pct_encode(b, abs.data);
  omen_buf_free(&abs);
  return st;
}

static void put_artifact(sarif *s, cJSON *parent, const char *path) {
  cJSON *al = omen_jw_obj(&s->w, parent, "artifactLocation");
  omen_buf b;
  omen_buf_init(&b, URI_MAX);
  bool relative = false;
  if (path_uri(s, path, &b, &relative) != OMEN_OK) {
    s->w.failed = true;
  } else {
    omen_jw_str(&s->w, al, "uri", b.data);
    if (relative)
      omen_jw_str(&s->w, al, "uriBaseId", "SRCROOT");
  }
  omen_buf_free(&b);
}

/* ---- regions ---- */

/* UTF-16 code units before byte off of snap, counted as omen_file_pos counts columns. */
static uint32_t utf16_units(sarif *s, const omen_snapshot *snap, uint32_t off) {
  if (s->cache_snap != snap || off < s->cache_byte) {
    s->cache_snap = snap;
    s->cache_byte = 0;
    s->cache_units = 0;
  }
  const unsigned char *t = (const unsigned char *)snap->text;
  uint32_t i = s->cache_byte, units = s->cache_units;
  while (i < off) {
    uint32_t u;
    i += omen_utf8_step(t + i, snap->len - i, &u);
    units += u;
  }
  s->cache_byte = i;
  s->cache_units = units;
  return units;
}

/* charOffset/charLength need the file's text, which the result holds only for files that fixes
 * edit; byteOffset/byteLength are always exact. */
static void put_offsets(sarif *s, cJSON *rg, const char *path, uint32_t start, uint32_t end) {
  if (end < start)
    end = start;
  const omen_snapshot *snap = path && s->r->nsnapshots ? omen_result_snapshot(s->r, path) : NULL;
  if (snap && snap->text && end <= snap->len) {
    uint32_t cs = utf16_units(s, snap, start);
    uint32_t ce = utf16_units(s, snap, end);
    omen_jw_num(&s->w, rg, "charOffset", cs);
    omen_jw_num(&s->w, rg, "charLength", ce > cs ? ce - cs : 0);
  }
  omen_jw_num(&s->w, rg, "byteOffset", start);
  omen_jw_num(&s->w, rg, "byteLength", end - start);
}

static void put_physical(sarif *s, cJSON *parent, const omen_loc *l) {
  cJSON *pl = omen_jw_obj(&s->w, parent, "physicalLocation");
  put_artifact(s, pl, l->path);
  cJSON *rg = omen_jw_obj(&s->w, pl, "region");
  uint32_t sl = l->start_pos.line ? l->start_pos.line : 1;
  uint32_t sc = l->start_pos.col16 ? l->start_pos.col16 : 1;
  uint32_t el = l->end_pos.line, ec = l->end_pos.col16;
  if (el < sl || (el == sl && ec < sc)) {
    el = sl;
    ec = sc;
  }
  omen_jw_num(&s->w, rg, "startLine", sl);
  omen_jw_num(&s->w, rg, "startColumn", sc);
  omen_jw_num(&s->w, rg, "endLine", el);
  omen_jw_num(&s->w, rg, "endColumn", ec);
  put_offsets(s, rg, l->path, l->start, l->end);
}

/* ---- rules ---- */

static int cmp_rule_id(const void *key, const void *elem) {
  return strcmp((const char *)key, (*(const omen_rule *const *)elem)->id);
}

static bool rule_index(const sarif *s, const char *id, size_t *idx) {
  const omen_rule *const *hit =
      s->nall ? bsearch(id, s->rules, s->nall, sizeof *s->rules, cmp_rule_id) : NULL;
  if (hit) {
    *idx = (size_t)(hit - s->rules);
    return true;
  }
  for (size_t i = s->nall; i < s->nrules; i++) {
    if (strcmp(s->rules[i]->id, id) == 0) {
      *idx = i;
      return true;
    }
  }
  return false;
}

/* Every rule in the table, then any rule a diagnostic names that the table lacks, so that each
 * result's ruleIndex is valid. */
static omen_status collect_rules(sarif *s) {
  size_t n = 0;
  const omen_rule *const *all = omen_rules_all(&n);
  if (!all) /* the table always holds the engine's rules: NULL means it could not be built */
    return OMEN_ENOMEM;
  s->rules = calloc(n + s->r->ndiags + 1, sizeof *s->rules);
  if (!s->rules)
    return OMEN_ENOMEM;
  if (n)
    memcpy(s->rules, all, n * sizeof *all);
  s->nrules = s->nall = n;
  for (size_t i = 0; i < s->r->ndiags; i++) {
    size_t idx;
    if (!rule_index(s, s->r->diags[i].rule->id, &idx))
      s->rules[s->nrules++] = s->r->diags[i].rule;
  }
  return OMEN_OK;
}

static bool is_concurrency(const char *family) {
  for (size_t i = 0; i < sizeof concurrency_words / sizeof *concurrency_words; i++)
    if (strstr(family, concurrency_words[i]))
      return true;
  return false;
}

/* "missing-timeout/http-no-timeout" -> "MissingTimeoutHttpNoTimeout" */
static void rule_name(const char *id, char *buf, size_t len) {
  size_t o = 0;
  bool up = true;
  for (const char *p = id; *p && o + 1 < len; p++) {
    if (*p == '-' || *p == '/' || *p == '_') {
      up = true;
      continue;
    }
    buf[o++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
    up = false;
  }
  buf[o] = '\0';
}

static omen_status md_code(omen_buf *b, const char *lang, const char *code) {
  size_t run = 0, longest = 0;
  for (const char *p = code; *p; p++) {
    run = *p == '`' ? run + 1 : 0;
    if (run > longest)
      longest = run;
  }
  char fence[64];
  size_t nf = longest + 1 < 3 ? 3 : longest + 1;
  if (nf >= sizeof fence)
    nf = sizeof fence - 1;
  memset(fence, '`', nf);
  fence[nf] = '\0';
  const char *fl = strcmp(lang, "c/c++") == 0 ? "c" : strcmp(lang, "any") == 0 ? "" : lang;
  return omen_buf_printf(b, "%s%s\n%s\n%s\n\n", fence, fl, code, fence);
}

static omen_status help_markdown(omen_buf *b, const omen_rule *r, const char *uri) {
  const char *lang = nz(r->lang);
  omen_status st = omen_buf_printf(b, "%s\n\n### Why is this bad?\n\n%s\n\n", nz(r->what), nz(r->why));
  if (st == OMEN_OK && r->example && *r->example) {
    st = omen_buf_adds(b, "### Example\n\n");
    if (st == OMEN_OK)
      st = md_code(b, lang, r->example);
  }
  if (st == OMEN_OK && r->instead && *r->instead) {
    st = omen_buf_adds(b, "### Use instead\n\n");
    /* some rules say what to do in prose rather than code */
    if (st == OMEN_OK && (strchr(r->instead, '\n') || strchr(r->instead, '{')))
      st = md_code(b, lang, r->instead);
    else if (st == OMEN_OK)
      st = omen_buf_printf(b, "%s\n\n", r->instead);
  }
  if (st == OMEN_OK)
    st = omen_buf_printf(b, "### Fix\n\n%s\n\n", nz(r->fix));
  if (st == OMEN_OK)
    st = omen_buf_printf(b,
                         "A reviewed finding can be suppressed in source with `//omen:ignore %s reason`.\n\n"
                         "[Documentation of %s](%s)\n",
                         r->id, r->id, uri);
  return st;
}

/* UTF-16 code units of s, as GitHub counts characters (an invalid byte counts as one). */
static size_t utf16_len(const char *s, size_t len) {
  size_t units = 0;
  for (size_t i = 0; i < len;) {
    uint32_t u;
    i += omen_utf8_step((const unsigned char *)s + i, len - i, &u);
    units += u;
  }
  return units;
}

/* A text of at most max UTF-16 code units (GitHub's limit on rule descriptions): s itself when it
 * fits, else the sentences of it that fit, else the words that fit and an ellipsis. */
static void put_text_max(sarif *s, cJSON *parent, const char *key, const char *text, size_t max) {
  size_t len = strlen(text);
  if (utf16_len(text, len) <= max) {
    omen_jw_str(&s->w, omen_jw_obj(&s->w, parent, key), "text", text);
    return;
  }
  const unsigned char *p = (const unsigned char *)text;
  size_t i = 0, units = 0, sentence = 0, space = 0;
  while (i < len) {
    uint32_t u;
    uint32_t n = omen_utf8_step(p + i, len - i, &u);
    if (units + u > max - 1) /* room for the ellipsis */
      break;
    units += u;
    i += n;
    if (p[i - 1] == '.' && (p[i] == ' ' || p[i] == '\n'))
      sentence = i;
    if (p[i] == ' ' || p[i] == '\n')
      space = i;
  }
  omen_buf b;
  omen_buf_init(&b, 0);
  omen_status st = sentence ? omen_buf_add(&b, text, sentence) : omen_buf_add(&b, text, space ? space : i);
  if (st == OMEN_OK && !sentence)
    st = omen_buf_adds(&b, "\xE2\x80\xA6");
  if (st != OMEN_OK)
    s->w.failed = true;
  omen_jw_str(&s->w, omen_jw_obj(&s->w, parent, key), "text", b.data);
  omen_buf_free(&b);
}

/* "go" -> go; "c/c++" -> c, c++; "any" -> none. */
static void put_lang_tags(sarif *s, cJSON *tags, const char *lang) {
  if (!lang || strcmp(lang, "any") == 0)
    return;
  for (const char *p = lang; *p;) {
    size_t n = strcspn(p, "/");
    char tag[32];
    if (n > 0 && n < sizeof tag) {
      memcpy(tag, p, n);
      tag[n] = '\0';
      omen_jw_str(&s->w, tags, NULL, tag);
    }
    p += n;
    if (*p == '/')
      p++;
  }
}

static void put_rule(sarif *s, cJSON *arr, const omen_rule *r) {
  omen_jw *w = &s->w;
  char name[256], family[128], uri[512];
  rule_name(r->id, name, sizeof name);
  omen_rule_family(r->id, family, sizeof family);
  snprintf(uri, sizeof uri, "%s#%s", OMEN_DOCS_URL, r->id);
  cJSON *o = omen_jw_obj(w, arr, NULL);
  omen_jw_str(w, o, "id", r->id);
  omen_jw_str(w, o, "name", name);
  put_text_max(s, o, "shortDescription", nz(r->summary), GITHUB_MAX_DESCRIPTION);
  put_text_max(s, o, "fullDescription", r->what && *r->what ? r->what : nz(r->summary),
               GITHUB_MAX_DESCRIPTION);
  omen_jw_str(w, o, "helpUri", uri);
  omen_buf b;
  omen_buf_init(&b, URI_MAX);
  cJSON *help = omen_jw_obj(w, o, "help");
  if (omen_buf_printf(&b, "%s\n\n%s\n\nFix: %s\n\nDocumentation: %s", nz(r->what), nz(r->why), nz(r->fix),
                      uri) != OMEN_OK)
    w->failed = true;
  omen_jw_str(w, help, "text", b.data);
  omen_buf_reset(&b);
  if (help_markdown(&b, r, uri) != OMEN_OK)
    w->failed = true;
  omen_jw_str(w, help, "markdown", b.data);
  omen_buf_free(&b);
  omen_jw_str(w, omen_jw_obj(w, o, "defaultConfiguration"), "level", omen_severity_str(r->severity));
  /* no "security-severity": it would make GitHub file these reliability findings as security
   * alerts (docs/outputs.md) */
  cJSON *props = omen_jw_obj(w, o, "properties");
  omen_jw_str(w, props, "precision", omen_confidence_str(r->confidence));
  cJSON *tags = omen_jw_arr(w, props, "tags");
  omen_jw_str(w, tags, NULL, is_concurrency(family) ? "concurrency" : "reliability");
  omen_jw_str(w, tags, NULL, family);
  put_lang_tags(s, tags, r->lang);
  omen_jw_str(w, props, "problem.severity",
              r->severity == OMEN_SEV_NOTE ? "recommendation" : omen_severity_str(r->severity));
}

/* ---- results ---- */

/* A message object. SARIF reads "[text](n)" in a message as a link to related location n, so
 * when the text could hold one, its brackets (and backslashes before them) are escaped. */
static void put_message(sarif *s, cJSON *parent, const char *text) {
  cJSON *m = omen_jw_obj(&s->w, parent, "message");
  text = nz(text);
  if (!strstr(text, "](")) {
    omen_jw_str(&s->w, m, "text", text);
    return;
  }
  omen_buf b;
  omen_buf_init(&b, 0);
  omen_status st = OMEN_OK;
  for (const char *p = text; *p && st == OMEN_OK; p++) {
    if (*p == '[' || *p == ']' || (*p == '\\' && (p[1] == '[' || p[1] == ']')))
      st = omen_buf_addc(&b, '\\');
    if (st == OMEN_OK)
      st = omen_buf_addc(&b, *p);
  }
  if (st != OMEN_OK)
    s->w.failed = true;
  omen_jw_str(&s->w, m, "text", b.data);
  omen_buf_free(&b);
}

static void put_fix(sarif *s, cJSON *arr, const omen_fix *f) {
  omen_jw *w = &s->w;
  cJSON *o = omen_jw_obj(w, arr, NULL);
  omen_jw_str(w, omen_jw_obj(w, o, "description"), "text", f->message);
  cJSON *change = omen_jw_obj(w, omen_jw_arr(w, o, "artifactChanges"), NULL);
  put_artifact(s, change, f->path);
  cJSON *reps = omen_jw_arr(w, change, "replacements");
  for (size_t m = 0; m < f->nedits; m++) {
    cJSON *rep = omen_jw_obj(w, reps, NULL);
    put_offsets(s, omen_jw_obj(w, rep, "deletedRegion"), f->path, f->edits[m].start, f->edits[m].end);
    omen_jw_str(w, omen_jw_obj(w, rep, "insertedContent"), "text", f->edits[m].text);
  }
  omen_jw_str(w, omen_jw_obj(w, o, "properties"), "applicability",
              f->applicability == OMEN_FIX_UNSAFE ? "unsafe" : "safe");
}

static void put_result(sarif *s, cJSON *arr, const omen_diag *d) {
  omen_jw *w = &s->w;
  cJSON *o = omen_jw_obj(w, arr, NULL);
  size_t idx = 0;
  omen_jw_str(w, o, "ruleId", d->rule->id);
  if (rule_index(s, d->rule->id, &idx))
    omen_jw_num(w, o, "ruleIndex", (double)idx);
  omen_jw_str(w, o, "level", omen_severity_str(d->severity));
  put_message(s, o, d->message);
  put_physical(s, omen_jw_obj(w, omen_jw_arr(w, o, "locations"), NULL), &d->loc);
  size_t nrel = d->nrelated < s->max_related ? d->nrelated : s->max_related;
  if (nrel < d->nrelated) {
    s->related_cut += d->nrelated - nrel;
    s->related_cut_results++;
  }
  if (nrel) {
    cJSON *rel = omen_jw_arr(w, o, "relatedLocations");
    for (size_t k = 0; k < nrel; k++) {
      cJSON *ro = omen_jw_obj(w, rel, NULL);
      omen_jw_num(w, ro, "id", (double)(k + 1));
      put_physical(s, ro, &d->related[k].loc);
      put_message(s, ro, d->related[k].message);
    }
  }
  /* omen's own fingerprints, which baselines match on (src/baseline.h); GitHub computes its own */
  if (d->fingerprint[0] || d->line_fingerprint[0]) {
    cJSON *fp = omen_jw_obj(w, o, "partialFingerprints");
    if (d->fingerprint[0])
      omen_jw_str(w, fp, "omen/v1", d->fingerprint);
    if (d->line_fingerprint[0])
      omen_jw_str(w, fp, "omenLine/v1", d->line_fingerprint);
  }
  if (d->suppressed) {
    cJSON *sup = omen_jw_obj(w, omen_jw_arr(w, o, "suppressions"), NULL);
    omen_jw_str(w, sup, "kind", "inSource");
    omen_jw_str(w, sup, "status", "accepted");
    omen_jw_str(w, sup, "justification", d->suppress_reason);
  }
  if (d->nfixes) {
    cJSON *fixes = omen_jw_arr(w, o, "fixes");
    for (size_t k = 0; k < d->nfixes; k++)
      put_fix(s, fixes, &d->fixes[k]);
  }
  cJSON *props = omen_jw_obj(w, o, "properties");
  omen_jw_str(w, props, "confidence", omen_confidence_str(d->confidence));
  if (d->scope)
    omen_jw_str(w, props, "scope", d->scope);
}

/* ---- the run ---- */

/* ISO 8601 UTC with milliseconds ("2024-05-01T12:00:00.250Z"); false for unknown (0) or absurd times. */
static bool iso_time(double t, char *buf, size_t len) {
  if (!(t > 0 && t < 253402300800.0)) /* before year 10000 */
    return false;
  time_t secs = (time_t)t;
  long ms = (long)((t - (double)secs) * 1000.0 + 0.5);
  if (ms >= 1000) {
    secs++;
    ms -= 1000;
  }
  struct tm tm;
  if (!gmtime_r(&secs, &tm))
    return false;
  char day[32];
  if (strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    return false;
  snprintf(buf, len, "%s.%03ldZ", day, ms);
  return true;
}

/* What the writer left out, for the invocation's notifications. */
typedef struct cut {
  size_t results[3];  /* unsuppressed results left out, by severity */
  size_t suppressed;  /* suppressed results left out */
  size_t max_results; /* the cap on results that applied, or 0 */
  bool for_size;      /* results also left out to keep the file small enough */
  size_t max_gzip_bytes;
} cut;

static void notify(sarif *s, cJSON *arr, const char *text) {
  cJSON *n = omen_jw_obj(&s->w, arr, NULL);
  omen_jw_str(&s->w, n, "level", "warning");
  omen_jw_str(&s->w, omen_jw_obj(&s->w, n, "message"), "text", text);
}

static void put_notifications(sarif *s, cJSON *inv, const cut *c) {
  size_t nres = c->results[0] + c->results[1] + c->results[2] + c->suppressed;
  if (nres == 0 && s->related_cut == 0)
    return;
  cJSON *arr = omen_jw_arr(&s->w, inv, "toolExecutionNotifications");
  char text[640];
  if (nres) {
    char why[256];
    if (c->for_size)
      snprintf(
          why, sizeof why,
          "%sto keep the gzip-compressed report under %zu bytes (GitHub code scanning rejects files over "
          "10 MB)",
          s->r->ndiags > c->max_results ? "to stay within the results per run and " : "", c->max_gzip_bytes);
    else
      snprintf(why, sizeof why,
               "to stay within %zu results per run (GitHub code scanning rejects more than 25,000)",
               c->max_results);
    snprintf(
        text, sizeof text,
        "omen left %zu of %zu results out of this report %s: %zu errors, %zu warnings, %zu notes and %zu "
        "suppressed findings. Errors were kept before warnings and notes; the JSON report "
        "(--format json) lists every finding.",
        nres, s->r->ndiags, why, c->results[OMEN_SEV_ERROR], c->results[OMEN_SEV_WARNING],
        c->results[OMEN_SEV_NOTE], c->suppressed);
    notify(s, arr, text);
  }
  if (s->related_cut) {
    snprintf(text, sizeof text,
             "omen left %zu related locations of %zu %s out of this report to stay within %zu related "
             "locations per result (GitHub code scanning accepts at most 1,000 locations per result); the "
             "JSON report (--format json) lists them all.",
             s->related_cut, s->related_cut_results, s->related_cut_results == 1 ? "result" : "results",
             s->max_related);
    notify(s, arr, text);
  }
}

static void put_run(sarif *s, cJSON *runs, const bool *keep, const cut *c) {
  omen_jw *w = &s->w;
  const omen_output_opts *opts = s->opts;
  cJSON *run = omen_jw_obj(w, runs, NULL);
  cJSON *drv = omen_jw_obj(w, omen_jw_obj(w, run, "tool"), "driver");
  omen_jw_str(w, drv, "name", "omen");
  omen_jw_str(w, drv, "version", OMEN_VERSION);
  omen_jw_str(w, drv, "semanticVersion", OMEN_VERSION);
  omen_jw_str(w, drv, "informationUri", OMEN_INFO_URI);
  cJSON *rules = omen_jw_arr(w, drv, "rules");
  for (size_t i = 0; i < s->nrules && !w->failed; i++)
    put_rule(s, rules, s->rules[i]);
  /* results first: the notifications report what they left out */
  s->related_cut = s->related_cut_results = 0;
  cJSON *results = cJSON_CreateArray();
  for (size_t i = 0; i < s->r->ndiags && results && !w->failed; i++)
    if (keep[i])
      put_result(s, results, &s->r->diags[i]);
  cJSON *inv = omen_jw_obj(w, omen_jw_arr(w, run, "invocations"), NULL);
  int exit_code = opts ? opts->exit_code : 0;
  omen_jw_bool(w, inv, "executionSuccessful", exit_code == 0 || exit_code == 1);
  omen_jw_num(w, inv, "exitCode", exit_code);
  char when[64];
  if (opts && iso_time(opts->start_time, when, sizeof when))
    omen_jw_str(w, inv, "startTimeUtc", when);
  if (opts && iso_time(opts->end_time, when, sizeof when))
    omen_jw_str(w, inv, "endTimeUtc", when);
  put_notifications(s, inv, c);
  if (s->have_cwd) {
    omen_buf b;
    omen_buf_init(&b, URI_MAX);
    omen_status st = omen_buf_adds(&b, "file://");
    if (st == OMEN_OK)
      st = pct_encode(&b, s->cwd);
    if (st == OMEN_OK && b.data[b.len - 1] != '/')
      st = omen_buf_addc(&b, '/');
    if (st != OMEN_OK)
      w->failed = true;
    omen_jw_str(w, omen_jw_obj(w, omen_jw_obj(w, run, "originalUriBaseIds"), "SRCROOT"), "uri", b.data);
    omen_buf_free(&b);
  }
  omen_jw_str(w, run, "columnKind", "utf16CodeUnits");
  if (!results || !run || !cJSON_AddItemToObject(run, "results", results)) {
    cJSON_Delete(results);
    w->failed = true;
  }
}

/* ---- choosing what fits ---- */

/* Which results to keep first: unsuppressed before suppressed, errors before warnings before notes,
 * then report order. */
typedef struct prio {
  bool suppressed;
  int severity;
  size_t index;
} prio;

static int cmp_prio(const void *a, const void *b) {
  const prio *x = a, *y = b;
  if (x->suppressed != y->suppressed)
    return x->suppressed ? 1 : -1;
  if (x->severity != y->severity)
    return x->severity > y->severity ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static omen_status priority_order(const omen_result *r, size_t *order) {
  prio *p = calloc(r->ndiags + 1, sizeof *p);
  if (!p)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < r->ndiags; i++)
    p[i] = (prio){r->diags[i].suppressed, (int)r->diags[i].severity, i};
  qsort(p, r->ndiags, sizeof *p, cmp_prio);
  for (size_t i = 0; i < r->ndiags; i++)
    order[i] = p[i].index;
  free(p);
  return OMEN_OK;
}

/* Size of text gzip-compressed at zlib's default level (what the upload action does); SIZE_MAX if
 * zlib fails. */
static size_t gzip_size(const char *text, size_t len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return SIZE_MAX;
  unsigned char chunk[1 << 16];
  size_t total = 0;
  const unsigned char *p = (const unsigned char *)text;
  int ret = Z_OK;
  while (ret == Z_OK) {
    if (z.avail_in == 0 && len > 0) {
      uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
      z.next_in = (unsigned char *)p;
      z.avail_in = n;
      p += n;
      len -= n;
    }
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
    ret = deflate(&z, len == 0 ? Z_FINISH : Z_NO_FLUSH);
    total += sizeof chunk - z.avail_out;
  }
  deflateEnd(&z);
  return ret == Z_STREAM_END ? total : SIZE_MAX;
}

/* The report with the first nkeep results of order kept, printed; caller frees. NULL on failure
 * (*st says why). */
static char *render(sarif *s, const size_t *order, size_t nkeep, bool *keep, cut *c, omen_status *st) {
  memset(keep, 0, s->r->ndiags * sizeof *keep);
  for (size_t k = 0; k < nkeep; k++)
    keep[order[k]] = true;
  memset(c->results, 0, sizeof c->results);
  c->suppressed = 0;
  for (size_t k = nkeep; k < s->r->ndiags; k++) {
    const omen_diag *d = &s->r->diags[order[k]];
    if (d->suppressed)
      c->suppressed++;
    else
      c->results[(unsigned)d->severity <= OMEN_SEV_ERROR ? d->severity : OMEN_SEV_WARNING]++;
  }
  s->w.failed = false;
  cJSON *root = cJSON_CreateObject();
  omen_jw_str(&s->w, root, "$schema", SARIF_SCHEMA);
  omen_jw_str(&s->w, root, "version", "2.1.0");
  put_run(s, omen_jw_arr(&s->w, root, "runs"), keep, c);
  char *text = root && !s->w.failed ? cJSON_Print(root) : NULL;
  cJSON_Delete(root);
  *st = text ? OMEN_OK : OMEN_ENOMEM;
  return text;
}

omen_status omen_write_sarif(FILE *out, const omen_result *r, const omen_output_opts *o) {
  omen_status st = omen_out_check(r);
  if (st != OMEN_OK)
    return st;
  omen_sarif_limits lim = o ? o->sarif_limits : (omen_sarif_limits){0};
  size_t max_results = lim.max_results ? lim.max_results : GITHUB_MAX_RESULTS;
  size_t max_gzip = lim.max_gzip_bytes ? lim.max_gzip_bytes : GITHUB_MAX_GZIP;
  sarif s = {.r = r, .opts = o, .max_related = lim.max_related ? lim.max_related : GITHUB_MAX_RELATED};
  s.have_cwd = getcwd(s.cwd, sizeof s.cwd) != NULL && s.cwd[0] == '/';
  st = collect_rules(&s);
  size_t *order = calloc(r->ndiags + 1, sizeof *order);
  bool *keep = calloc(r->ndiags + 1, sizeof *keep);
  if (st == OMEN_OK && (!order || !keep))
    st = OMEN_ENOMEM;
  if (st == OMEN_OK)
    st = priority_order(r, order);
  char *text = NULL;
  cut c = {.max_results = max_results, .max_gzip_bytes = max_gzip};
  size_t nkeep = r->ndiags < max_results ? r->ndiags : max_results;
  /* Most reports are far below the size cap and are printed once. A larger one is measured and cut
   * in proportion (its size grows with the number of results) until it fits; nkeep shrinks every
   * round, so this ends. */
  while (st == OMEN_OK) {
    text = render(&s, order, nkeep, keep, &c, &st);
    if (!text)
      break;
    size_t len = strlen(text);
    /* deflate can grow a text by a few bytes per 16 KiB block, never more */
    size_t gz = len + len / 1000 + 64 < max_gzip ? len : gzip_size(text, len);
    if (gz == SIZE_MAX)
      st = OMEN_ENOMEM;
    if (gz <= max_gzip || nkeep == 0 || st != OMEN_OK)
      break;
    size_t next = (size_t)((double)nkeep * ((double)max_gzip / (double)gz) * 0.95);
    nkeep = next < nkeep ? next : nkeep - 1;
    c.for_size = true;
    free(text);
    text = NULL;
  }
  if (text && st == OMEN_OK) {
    size_t len = strlen(text);
    bool ok = fwrite(text, 1, len, out) == len && fputc('\n', out) != EOF && fflush(out) == 0;
    st = ok && !ferror(out) ? OMEN_OK : OMEN_EIO;
  }
  free(text);
  free(order);
  free(keep);
  free(s.rules);
  return st;
}
