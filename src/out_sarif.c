/* out_sarif.c - the SARIF 2.1.0 report, shaped for GitHub code scanning. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "out_util.h"
#include "output.h"
#include "registry.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define URI_MAX ((size_t)1 << 20)

typedef struct sarif {
  omen_jw w;
  const omen_result *r;
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

static omen_status help_markdown(omen_buf *b, const omen_rule *r) {
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
    st = omen_buf_printf(b, "### Fix\n\n%s\n", nz(r->fix));
  return st;
}

static void put_rule(sarif *s, cJSON *arr, const omen_rule *r) {
  omen_jw *w = &s->w;
  char name[256], family[128];
  rule_name(r->id, name, sizeof name);
  omen_rule_family(r->id, family, sizeof family);
  cJSON *o = omen_jw_obj(w, arr, NULL);
  omen_jw_str(w, o, "id", r->id);
  omen_jw_str(w, o, "name", name);
  omen_jw_str(w, omen_jw_obj(w, o, "shortDescription"), "text", nz(r->summary));
  omen_jw_str(w, omen_jw_obj(w, o, "fullDescription"), "text",
              r->what && *r->what ? r->what : nz(r->summary));
  omen_buf b;
  omen_buf_init(&b, URI_MAX);
  cJSON *help = omen_jw_obj(w, o, "help");
  if (omen_buf_printf(&b, "%s\n\n%s\n\nFix: %s", nz(r->what), nz(r->why), nz(r->fix)) != OMEN_OK)
    w->failed = true;
  omen_jw_str(w, help, "text", b.data);
  omen_buf_reset(&b);
  if (help_markdown(&b, r) != OMEN_OK)
    w->failed = true;
  omen_jw_str(w, help, "markdown", b.data);
  omen_buf_free(&b);
  omen_jw_str(w, omen_jw_obj(w, o, "defaultConfiguration"), "level", omen_severity_str(r->severity));
  cJSON *props = omen_jw_obj(w, o, "properties");
  omen_jw_str(w, props, "precision", omen_confidence_str(r->confidence));
  cJSON *tags = omen_jw_arr(w, props, "tags");
  omen_jw_str(w, tags, NULL, is_concurrency(family) ? "concurrency" : "reliability");
  omen_jw_str(w, tags, NULL, family);
  omen_jw_str(w, props, "problem.severity",
              r->severity == OMEN_SEV_NOTE ? "recommendation" : omen_severity_str(r->severity));
}

/* ---- results ---- */

typedef struct fp_entry {
  uint64_t hash;
  size_t index;
} fp_entry;

/* FNV-1a over s including its terminator, which separates fields ("a","bc" differs from "ab","c"). */
static uint64_t fnv1a(uint64_t h, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  do {
    h ^= *p;
    h *= 0x100000001b3ULL;
  } while (*p++);
  return h;
}

static int cmp_fp(const void *a, const void *b) {
  const fp_entry *x = a, *y = b;
  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Fingerprints from rule id, path and message, which survive edits elsewhere in the file; equal
 * ones are told apart by an occurrence number in report order. */
static omen_status fingerprints(const omen_result *r, uint64_t **hash, size_t **occ) {
  *hash = calloc(r->ndiags + 1, sizeof **hash);
  *occ = calloc(r->ndiags + 1, sizeof **occ);
  fp_entry *e = calloc(r->ndiags + 1, sizeof *e);
  if (!*hash || !*occ || !e) {
    free(e);
    return OMEN_ENOMEM;
  }
  for (size_t i = 0; i < r->ndiags; i++) {
    const omen_diag *d = &r->diags[i];
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, d->rule->id);
    h = fnv1a(h, nz(d->loc.path));
    h = fnv1a(h, nz(d->message));
    (*hash)[i] = h;
    e[i].hash = h;
    e[i].index = i;
  }
  qsort(e, r->ndiags, sizeof *e, cmp_fp);
  for (size_t i = 0; i < r->ndiags; i++)
    (*occ)[e[i].index] = i > 0 && e[i - 1].hash == e[i].hash ? (*occ)[e[i - 1].index] + 1 : 1;
  free(e);
  return OMEN_OK;
}

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

static void put_result(sarif *s, cJSON *arr, const omen_diag *d, uint64_t hash, size_t occ) {
  omen_jw *w = &s->w;
  cJSON *o = omen_jw_obj(w, arr, NULL);
  size_t idx = 0;
  omen_jw_str(w, o, "ruleId", d->rule->id);
  if (rule_index(s, d->rule->id, &idx))
    omen_jw_num(w, o, "ruleIndex", (double)idx);
  omen_jw_str(w, o, "level", omen_severity_str(d->severity));
  put_message(s, o, d->message);
  put_physical(s, omen_jw_obj(w, omen_jw_arr(w, o, "locations"), NULL), &d->loc);
  if (d->nrelated) {
    cJSON *rel = omen_jw_arr(w, o, "relatedLocations");
    for (size_t k = 0; k < d->nrelated; k++) {
      cJSON *ro = omen_jw_obj(w, rel, NULL);
      omen_jw_num(w, ro, "id", (double)(k + 1));
      put_physical(s, ro, &d->related[k].loc);
      put_message(s, ro, d->related[k].message);
    }
  }
  char fp[64];
  snprintf(fp, sizeof fp, "%016llx:%zu", (unsigned long long)hash, occ);
  omen_jw_str(w, omen_jw_obj(w, o, "partialFingerprints"), "omenFingerprint/v1", fp);
  if (d->nfixes) {
    cJSON *fixes = omen_jw_arr(w, o, "fixes");
    for (size_t k = 0; k < d->nfixes; k++)
      put_fix(s, fixes, &d->fixes[k]);
  }
  omen_jw_str(w, omen_jw_obj(w, o, "properties"), "confidence", omen_confidence_str(d->confidence));
}

static void put_run(sarif *s, cJSON *runs, const omen_output_opts *opts, const uint64_t *hash,
                    const size_t *occ) {
  omen_jw *w = &s->w;
  cJSON *run = omen_jw_obj(w, runs, NULL);
  cJSON *drv = omen_jw_obj(w, omen_jw_obj(w, run, "tool"), "driver");
  omen_jw_str(w, drv, "name", "omen");
  omen_jw_str(w, drv, "version", OMEN_VERSION);
  omen_jw_str(w, drv, "semanticVersion", OMEN_VERSION);
  omen_jw_str(w, drv, "informationUri", OMEN_INFO_URI);
  cJSON *rules = omen_jw_arr(w, drv, "rules");
  for (size_t i = 0; i < s->nrules && !w->failed; i++)
    put_rule(s, rules, s->rules[i]);
  cJSON *inv = omen_jw_obj(w, omen_jw_arr(w, run, "invocations"), NULL);
  omen_jw_bool(w, inv, "executionSuccessful", true);
  omen_jw_num(w, inv, "exitCode", opts ? opts->exit_code : 0);
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
  cJSON *results = omen_jw_arr(w, run, "results");
  for (size_t i = 0; i < s->r->ndiags && !w->failed; i++)
    put_result(s, results, &s->r->diags[i], hash[i], occ[i]);
}

omen_status omen_write_sarif(FILE *out, const omen_result *r, const omen_output_opts *o) {
  omen_status st = omen_out_check(r);
  if (st != OMEN_OK)
    return st;
  sarif s = {.r = r};
  s.have_cwd = getcwd(s.cwd, sizeof s.cwd) != NULL && s.cwd[0] == '/';
  st = collect_rules(&s);
  uint64_t *hash = NULL;
  size_t *occ = NULL;
  if (st == OMEN_OK)
    st = fingerprints(r, &hash, &occ);
  if (st != OMEN_OK) {
    free(s.rules);
    free(hash);
    free(occ);
    return st;
  }
  cJSON *root = cJSON_CreateObject();
  omen_jw_str(&s.w, root, "$schema", SARIF_SCHEMA);
  omen_jw_str(&s.w, root, "version", "2.1.0");
  put_run(&s, omen_jw_arr(&s.w, root, "runs"), o, hash, occ);
  free(s.rules);
  free(hash);
  free(occ);
  return omen_jw_finish(&s.w, root, out);
}
