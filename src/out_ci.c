/* out_ci.c - the CI-native formats: GitHub Actions workflow commands, GitLab Code Quality JSON (Code
 * Climate issues) and Checkstyle XML. Suppressed findings are left out of all three. What each
 * format must look like, and where that is documented, is in docs/outputs.md. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "out_util.h"
#include "output.h"

#define MSG_MAX ((size_t)1 << 20)
#define GITHUB_MAX_RELATED 10 /* related locations spelled out in an annotation's message */

static omen_severity sev_of(const omen_diag *d) {
  return (unsigned)d->severity <= OMEN_SEV_ERROR ? d->severity : OMEN_SEV_WARNING;
}

static omen_status finish(FILE *out) { return fflush(out) == 0 && !ferror(out) ? OMEN_OK : OMEN_EIO; }

/* ---- GitHub Actions workflow commands ---- */

static const char *const github_command[] = {
    [OMEN_SEV_NOTE] = "notice",
    [OMEN_SEV_WARNING] = "warning",
    [OMEN_SEV_ERROR] = "error",
};

/* A character a format writes some other way. */
typedef struct escape {
  unsigned char c;
  const char *as;
} escape;

static const char *escaped(const escape *table, size_t n, unsigned char c) {
  for (size_t i = 0; i < n; i++)
    if (table[i].c == c)
      return table[i].as;
  return NULL;
}

/* As the runner reads them back (actions/runner, ActionCommand.cs): '%', CR and LF everywhere, ':'
 * and ',' too in property values (',' separates properties, "::" ends them): the first three
 * entries are for messages, all five for properties. */
static const escape github_escapes[] = {
    {'%', "%25"}, {'\r', "%0D"}, {'\n', "%0A"}, {':', "%3A"}, {',', "%2C"}};

/* Writes s escaped for a workflow command. Other control characters would reach the log raw (an
 * ESC recolours it), so they are shown as \xNN. Invalid UTF-8 becomes U+FFFD. */
static omen_status github_put(FILE *out, const char *s, bool property) {
  char *clean = omen_utf8_clean(s);
  if (!clean)
    return OMEN_ENOMEM;
  for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
    const char *as = escaped(github_escapes, property ? 5 : 3, *p);
    if (as)
      fputs(as, out);
    else if ((*p < 0x20 && *p != '\t') || *p == 0x7F)
      fprintf(out, "\\x%02x", *p);
    else
      fputc(*p, out);
  }
  free(clean);
  return OMEN_OK;
}

/* The annotation's text: the message, then (one per line, as GitHub shows %0A) the related
 * locations and the fixes on offer. */
static omen_status github_message(omen_buf *b, const omen_diag *d) {
  const char *m = d->message ? d->message : "";
  size_t n = strlen(m);
  omen_status st = omen_buf_add(b, m, n < MSG_MAX ? n : MSG_MAX);
  size_t nrel = d->nrelated < GITHUB_MAX_RELATED ? d->nrelated : GITHUB_MAX_RELATED;
  for (size_t k = 0; k < nrel && st == OMEN_OK; k++) {
    const omen_related *rel = &d->related[k];
    st = omen_buf_printf(b, "\n%s:%u:%u: note: %s", rel->loc.path ? rel->loc.path : "",
                         rel->loc.start_pos.line, rel->loc.start_pos.col, rel->message ? rel->message : "");
  }
  if (st == OMEN_OK && d->nrelated > nrel)
    st = omen_buf_printf(b, "\n(%zu more related locations)", d->nrelated - nrel);
  for (size_t k = 0; k < d->nfixes && st == OMEN_OK; k++)
    st = omen_buf_printf(b, "\nfix available (%s): %s",
                         d->fixes[k].applicability == OMEN_FIX_UNSAFE ? "unsafe" : "safe",
                         d->fixes[k].message ? d->fixes[k].message : "");
  return st;
}

omen_status omen_write_github(FILE *out, const omen_result *r, const omen_output_opts *o) {
  (void)o;
  omen_status st = omen_out_check(r);
  omen_buf msg;
  omen_buf_init(&msg, MSG_MAX);
  for (size_t i = 0; i < r->ndiags && st == OMEN_OK; i++) {
    const omen_diag *d = &r->diags[i];
    if (d->suppressed)
      continue;
    omen_out_span sp = omen_out_span_of(&d->loc);
    fprintf(out, "::%s file=", github_command[sev_of(d)]);
    st = github_put(out, d->loc.path, true);
    /* the runner drops col and endColumn when line and endLine differ */
    fprintf(out, ",line=%u", sp.line);
    if (sp.end_line == sp.line)
      fprintf(out, ",col=%u", sp.col);
    fprintf(out, ",endLine=%u", sp.end_line);
    if (sp.end_line == sp.line && sp.end_col)
      fprintf(out, ",endColumn=%u", sp.end_col);
    fputs(",title=", out);
    if (st == OMEN_OK)
      st = github_put(out, d->rule->id, true);
    fputs("::", out);
    omen_buf_reset(&msg);
    if (st == OMEN_OK)
      st = github_message(&msg, d);
    if (st == OMEN_ELIMIT) /* a message past MSG_MAX: what fits */
      st = OMEN_OK;
    if (st == OMEN_OK)
      st = github_put(out, msg.data, false);
    fputc('\n', out);
  }
  omen_buf_free(&msg);
  return st == OMEN_OK ? finish(out) : st;
}

/* ---- GitLab Code Quality ---- */

static const char *const gitlab_severity[] = {
    [OMEN_SEV_NOTE] = "info",
    [OMEN_SEV_WARNING] = "major",
    [OMEN_SEV_ERROR] = "critical",
};

/* A set of fingerprints (open addressing; 0 marks an empty slot, so 0 is stored as 1). */
typedef struct fp_set {
  uint64_t *v;
  size_t mask;
} fp_set;

static omen_status fp_set_init(fp_set *s, size_t n) {
  size_t cap = 16;
  while (cap < 2 * n + 2)
    cap *= 2;
  s->v = calloc(cap, sizeof *s->v);
  s->mask = cap - 1;
  return s->v ? OMEN_OK : OMEN_ENOMEM;
}

/* Adds h; false when it was there already. */
static bool fp_set_add(fp_set *s, uint64_t h) {
  size_t i = (size_t)(h ^ (h >> 32)) & s->mask;
  while (s->v[i]) {
    if (s->v[i] == h)
      return false;
    i = (i + 1) & s->mask;
  }
  s->v[i] = h;
  return true;
}

/* Stable across runs: omen's fingerprint (which survives edits elsewhere and line shifts) with the
 * path, since equal code in two files has equal fingerprints; without one, the rule, path, message
 * and line. A repeat within the report gets "#2", "#3"... hashed in, in report order, so every
 * issue's fingerprint is unique (GitLab shows issues with equal fingerprints as one). */
static uint64_t gitlab_fingerprint(const omen_diag *d, fp_set *seen) {
  uint64_t h = OMEN_HASH_SEED;
  if (d->fingerprint[0]) {
    h = omen_out_hash(h, "omen/v1");
    h = omen_out_hash(h, d->loc.path);
    h = omen_out_hash(h, d->fingerprint);
  } else {
    char line[16];
    snprintf(line, sizeof line, "%u", d->loc.start_pos.line);
    h = omen_out_hash(h, d->rule->id);
    h = omen_out_hash(h, d->loc.path);
    h = omen_out_hash(h, d->message);
    h = omen_out_hash(h, line);
  }
  uint64_t fp = h ? h : 1;
  for (size_t k = 2; !fp_set_add(seen, fp); k++) {
    char nth[32];
    snprintf(nth, sizeof nth, "#%zu", k);
    fp = omen_out_hash(h, nth);
    fp = fp ? fp : 1;
  }
  return fp;
}

/* Code Climate wants a description on one line. */
static char *one_line(const char *s) {
  char *c = strdup(s ? s : "");
  for (char *p = c; p && *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  return c;
}

omen_status omen_write_gitlab(FILE *out, const omen_result *r, const omen_output_opts *o) {
  (void)o;
  omen_status st = omen_out_check(r);
  if (st != OMEN_OK)
    return st;
  fp_set seen;
  if (fp_set_init(&seen, r->ndiags) != OMEN_OK)
    return OMEN_ENOMEM;
  omen_jw w = {false};
  cJSON *root = cJSON_CreateArray();
  for (size_t i = 0; i < r->ndiags && root && !w.failed; i++) {
    const omen_diag *d = &r->diags[i];
    if (d->suppressed)
      continue;
    cJSON *issue = omen_jw_obj(&w, root, NULL);
    omen_jw_str(&w, issue, "type", "issue");
    omen_jw_str(&w, issue, "check_name", d->rule->id);
    char *desc = one_line(d->message);
    if (!desc)
      w.failed = true;
    omen_jw_str(&w, issue, "description", desc);
    free(desc);
    omen_jw_str(&w, omen_jw_arr(&w, issue, "categories"), NULL, "Bug Risk");
    omen_jw_str(&w, issue, "severity", gitlab_severity[sev_of(d)]);
    char fp[17];
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)gitlab_fingerprint(d, &seen));
    omen_jw_str(&w, issue, "fingerprint", fp);
    cJSON *loc = omen_jw_obj(&w, issue, "location");
    omen_jw_str(&w, loc, "path", d->loc.path);
    omen_out_span sp = omen_out_span_of(&d->loc);
    cJSON *lines = omen_jw_obj(&w, loc, "lines");
    omen_jw_num(&w, lines, "begin", sp.line);
    omen_jw_num(&w, lines, "end", sp.end_line);
  }
  free(seen.v);
  return omen_jw_finish(&w, root, out);
}

/* ---- Checkstyle ---- */

static const char *const checkstyle_severity[] = {
    [OMEN_SEV_NOTE] = "info",
    [OMEN_SEV_WARNING] = "warning",
    [OMEN_SEV_ERROR] = "error",
};

/* In an XML attribute value: markup characters as entities, tab and newlines as character
 * references (a parser would turn them into spaces). */
static const escape xml_escapes[] = {{'&', "&amp;"},   {'<', "&lt;"},  {'>', "&gt;"},   {'"', "&quot;"},
                                     {'\'', "&apos;"}, {'\t', "&#9;"}, {'\n', "&#10;"}, {'\r', "&#13;"}};

/* Writes s as an XML 1.0 attribute value; what XML 1.0 cannot hold at all (other C0 controls,
 * U+FFFE, U+FFFF, invalid UTF-8) becomes U+FFFD. */
static omen_status xml_put(FILE *out, const char *s) {
  char *clean = omen_utf8_clean(s);
  if (!clean)
    return OMEN_ENOMEM;
  for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
    const char *as = escaped(xml_escapes, sizeof xml_escapes / sizeof *xml_escapes, *p);
    if (as) {
      fputs(as, out);
    } else if (*p < 0x20) {
      fputs("\xEF\xBF\xBD", out);
    } else if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
      fputs("\xEF\xBF\xBD", out);
      p += 2;
    } else {
      fputc(*p, out);
    }
  }
  free(clean);
  return OMEN_OK;
}

static bool same_path(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

omen_status omen_write_checkstyle(FILE *out, const omen_result *r, const omen_output_opts *o) {
  (void)o;
  omen_status st = omen_out_check(r);
  if (st != OMEN_OK)
    return st;
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n", out);
  const char *open = NULL; /* path of the <file> element being written */
  bool in_file = false;
  for (size_t i = 0; i < r->ndiags && st == OMEN_OK; i++) {
    const omen_diag *d = &r->diags[i];
    if (d->suppressed)
      continue;
    /* diagnostics are sorted by path, so each file's findings come together */
    if (!in_file || !same_path(open, d->loc.path)) {
      if (in_file)
        fputs("  </file>\n", out);
      fputs("  <file name=\"", out);
      st = xml_put(out, d->loc.path);
      fputs("\">\n", out);
      open = d->loc.path;
      in_file = true;
    }
    omen_out_span sp = omen_out_span_of(&d->loc);
    fprintf(out, "    <error line=\"%u\" column=\"%u\" severity=\"%s\" message=\"", sp.line, sp.col,
            checkstyle_severity[sev_of(d)]);
    if (st == OMEN_OK)
      st = xml_put(out, d->message);
    fputs("\" source=\"omen.", out);
    if (st == OMEN_OK)
      st = xml_put(out, d->rule->id);
    fputs("\"/>\n", out);
  }
  if (in_file)
    fputs("  </file>\n", out);
  fputs("</checkstyle>\n", out);
  return st == OMEN_OK ? finish(out) : st;
}
