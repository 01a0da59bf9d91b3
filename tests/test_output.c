/* test_output.c - every writer on a hand-built result, each output parsed back: GitHub workflow
 * commands with the runner's own unescaping, GitLab and SARIF with cJSON, Checkstyle with a small
 * XML reader (and xmllint when it is installed). SARIF truncation at GitHub's limits on synthetic
 * results. With OMEN_SARIF_OUT (and OMEN_SARIF_OUT_TRUNCATED) set, also writes SARIF to those files
 * (tests/sarif-schema.test.sh validates them against the schema). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "output.h"
#include "registry.h"

static const omen_rule custom_rule = {
    .id = "thread-test/custom",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_LOW,
    .summary = "A rule that is not in the registry",
    .what = "Used by the output test.",
    .why = "Results must point at a rule even when the table lacks it.",
    .example = "x ```y``` z",
    .instead = "",
    .fix = "No fix.",
    .lang = "c/c++",
};

static const char a_text[] = "package p\n\nfunc f() { go g() }\n";
/* "é" is 2 bytes and 1 UTF-16 unit, the emoji 4 bytes and 2 units: "bad" is at byte column 20 and
 * UTF-16 column 17 of line 2; the file offset is 29 bytes, 26 UTF-16 units */
static const char u_text[] = "package p\nvar s = \"\xC3\xA9\xF0\x9F\x98\x80\" + bad\n";

static char *xdup(const char *s) {
  char *p = strdup(s);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return p;
}

static omen_loc loc(const char *path, uint32_t start, uint32_t end, omen_pos sp, omen_pos ep) {
  omen_loc l = {xdup(path), start, end, sp, ep};
  return l;
}

/* Awkward for every format: '%', ',' and ':' (GitHub's escapes), newlines (one-line formats), XML
 * markup characters. */
#define ODD_MESSAGE "50% done, a: b <&> \"q\" 'x'\nnext line\r\nend"
#define ODD_PATH "we:ird,dir/b%.go"
#define SUPPRESSED_MESSAGE "a suppressed finding"
#define NDIAGS 6

static void build(omen_result *r) {
  memset(r, 0, sizeof *r);
  r->diags = calloc(NDIAGS, sizeof *r->diags);
  r->snapshots = calloc(2, sizeof *r->snapshots);
  if (!r->diags || !r->snapshots)
    exit(2);
  r->ndiags = NDIAGS;

  omen_diag *d = &r->diags[0];
  d->rule = &omen_rule_syntax_error;
  d->severity = OMEN_SEV_WARNING;
  d->confidence = OMEN_CONF_HIGH;
  d->message = xdup("goroutine leaks");
  d->loc = loc("a.go", 22, 28, (omen_pos){3, 12, 12}, (omen_pos){3, 18, 18});
  d->related = calloc(2, sizeof *d->related);
  d->nrelated = 2;
  d->related[0].loc = loc("./a.go", 11, 19, (omen_pos){3, 1, 1}, (omen_pos){3, 9, 9});
  d->related[0].message = xdup("in this function");
  d->related[1].loc = loc("../other/b.go", 0, 1, (omen_pos){1, 1, 1}, (omen_pos){1, 2, 2});
  d->related[1].message = xdup("declared here as m[k](1) \\[x]");
  d->fixes = calloc(2, sizeof *d->fixes);
  d->nfixes = 2;
  d->fixes[0].message = xdup("add a context");
  d->fixes[0].applicability = OMEN_FIX_SAFE;
  d->fixes[0].path = xdup("a.go");
  d->fixes[0].edits = calloc(2, sizeof *d->fixes[0].edits);
  d->fixes[0].nedits = 2;
  d->fixes[0].edits[0] = (omen_edit){26, 26, xdup("ctx")};
  d->fixes[0].edits[1] = (omen_edit){30, 30, xdup(" // fixed")};
  d->fixes[1].message = xdup("remove the go statement");
  d->fixes[1].applicability = OMEN_FIX_UNSAFE;
  d->fixes[1].path = xdup("a.go");
  d->fixes[1].edits = calloc(1, sizeof *d->fixes[1].edits);
  d->fixes[1].nedits = 1;
  d->fixes[1].edits[0] = (omen_edit){22, 25, xdup("")};
  d->scope = xdup("(*Server).Serve");
  memcpy(d->fingerprint, "0123456789abcdef", 17);
  memcpy(d->line_fingerprint, "fedcba9876543210", 17);

  d = &r->diags[1];
  d->rule = &omen_rule_compile_error;
  d->severity = OMEN_SEV_NOTE; /* the diagnostic's severity wins over the rule's */
  d->confidence = OMEN_CONF_MEDIUM;
  d->message = xdup("bad \xC3\xA9 thing");
  d->loc = loc("dir/\xC3\xA9 x.go", 29, 32, (omen_pos){2, 20, 17}, (omen_pos){2, 23, 20});

  for (int i = 2; i < 4; i++) {
    d = &r->diags[i];
    d->rule = &custom_rule;
    d->severity = OMEN_SEV_ERROR;
    d->confidence = OMEN_CONF_LOW;
    d->message = xdup("custom \xFF\x1B[31m"); /* invalid UTF-8 and an escape sequence */
    d->loc = loc("/outside/x.c", 0, 0, (omen_pos){(uint32_t)(i == 2 ? 1 : 5), 1, 1}, (omen_pos){0, 0, 0});
  }

  /* a range over lines 2 to 4 */
  d = &r->diags[4];
  d->rule = &omen_rule_syntax_error;
  d->severity = OMEN_SEV_WARNING;
  d->confidence = OMEN_CONF_HIGH;
  d->message = xdup(ODD_MESSAGE);
  d->loc = loc(ODD_PATH, 10, 40, (omen_pos){2, 3, 3}, (omen_pos){4, 5, 5});
  d->related = calloc(1, sizeof *d->related);
  d->nrelated = 1;
  d->related[0].loc = loc("x,y:z.go", 0, 1, (omen_pos){7, 2, 2}, (omen_pos){7, 3, 3});
  d->related[0].message = xdup("100% here");

  d = &r->diags[5];
  d->rule = &custom_rule;
  d->severity = OMEN_SEV_ERROR;
  d->confidence = OMEN_CONF_HIGH;
  d->message = xdup(SUPPRESSED_MESSAGE);
  d->loc = loc("a.go", 11, 19, (omen_pos){3, 1, 1}, (omen_pos){3, 9, 9});
  d->suppressed = true;
  d->suppress_reason = xdup("reviewed: the caller holds the lock");
  memcpy(d->fingerprint, "00000000000000aa", 17);

  r->snapshots[0] = (omen_snapshot){xdup("a.go"), xdup(a_text), (uint32_t)strlen(a_text)};
  r->snapshots[1] = (omen_snapshot){xdup("dir/\xC3\xA9 x.go"), xdup(u_text), (uint32_t)strlen(u_text)};
  r->nsnapshots = 2;
  r->count[OMEN_SEV_ERROR] = 2;
  r->count[OMEN_SEV_WARNING] = 2;
  r->count[OMEN_SEV_NOTE] = 1;
  r->nsuppressed = 1;
  r->nfiles = 4;
  r->nunits = 3;
}

/* Is s valid UTF-8 with no control characters but those in allow? (written apart from the
 * writers' own cleaning) */
static bool clean_utf8(const char *s, const char *allow) {
  const unsigned char *p = (const unsigned char *)s;
  while (p && *p) {
    unsigned char c = *p;
    if (c < 0x20 || c == 0x7F) {
      if (!strchr(allow, c))
        return false;
      p++;
      continue;
    }
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4))
      return false;
    uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
      if ((p[k] & 0xC0) != 0x80)
        return false;
      cp = cp << 6 | (p[k] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    p += n;
  }
  return p != NULL;
}

/* Runs a writer into memory; caller frees. */
static char *render(omen_format f, const omen_result *r, const omen_output_opts *o, omen_status *st) {
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m)
    exit(2);
  *st = omen_write(f, m, r, o);
  fclose(m);
  return text;
}

static void test_text(const omen_result *r) {
  omen_output_opts o = {0};
  omen_status st;
  char *t = render(OMEN_FORMAT_TEXT, r, &o, &st);
  CHECK(st == OMEN_OK);
  CHECK_STR(t, "a.go:3:12: warning: goroutine leaks [omen/syntax-error]\n"
               "    ./a.go:3:1: note: in this function\n"
               "    ../other/b.go:1:1: note: declared here as m[k](1) \\[x]\n"
               "    fix available (safe): add a context\n"
               "    fix available (unsafe): remove the go statement\n"
               "dir/\xC3\xA9 x.go:2:20: note: bad \xC3\xA9 thing [omen/compile-error]\n"
               "/outside/x.c:1:1: error: custom \xFF\\x1b[31m [thread-test/custom]\n"
               "/outside/x.c:5:1: error: custom \xFF\\x1b[31m [thread-test/custom]\n" ODD_PATH
               ":2:3: warning: 50% done, a: b <&> \"q\" 'x'\\x0anext line\\x0d\\x0aend [omen/syntax-error]\n"
               "    x,y:z.go:7:2: note: 100% here\n"
               "5 findings (2 errors, 2 warnings, 1 note) in 4 files; 1 suppressed\n");
  CHECK(t && !strstr(t, SUPPRESSED_MESSAGE));
  free(t);

  /* what was left out is counted */
  o.nbaselined = 12;
  o.nunchanged = 5;
  t = render(OMEN_FORMAT_TEXT, r, &o, &st);
  CHECK(
      t &&
      strstr(t, "in 4 files; 1 suppressed, 12 in the baseline not shown, 5 on unchanged lines not shown\n"));
  free(t);
  omen_result nosup = *r;
  nosup.nsuppressed = 0;
  t = render(OMEN_FORMAT_TEXT, &nosup, &o, &st);
  CHECK(t && strstr(t, "in 4 files; 12 in the baseline not shown, 5 on unchanged lines not shown\n"));
  free(t);
  o.nbaselined = o.nunchanged = 0;

  o.quiet = true;
  t = render(OMEN_FORMAT_TEXT, r, &o, &st);
  CHECK(t && !strstr(t, "findings"));
  free(t);

  o.quiet = false;
  o.color = true;
  t = render(OMEN_FORMAT_TEXT, r, &o, &st);
  const char *want = "\033[1ma.go:3:12:\033[0m \033[1;35mwarning:\033[0m goroutine leaks [";
  CHECK(t && strncmp(t, want, strlen(want)) == 0);
  CHECK(t && strstr(t, "\033[1;31merror:\033[0m"));
  CHECK(t && strstr(t, "\033[1;36mnote:\033[0m"));
  free(t);

  omen_result empty = {0};
  empty.nfiles = 1;
  o.color = false;
  t = render(OMEN_FORMAT_TEXT, &empty, &o, &st);
  CHECK_STR(t, "no findings in 1 file\n");
  free(t);
}

static int num(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? v->valueint : -1;
}

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *get(const cJSON *o, const char *key) { return cJSON_GetObjectItemCaseSensitive(o, key); }
static const cJSON *at(const cJSON *a, int i) { return cJSON_GetArrayItem(a, i); }

static void test_json(const omen_result *r) {
  omen_output_opts o = {.nbaselined = 7, .nunchanged = 3};
  omen_status st;
  char *t = render(OMEN_FORMAT_JSON, r, &o, &st);
  CHECK(st == OMEN_OK);
  cJSON *j = cJSON_Parse(t);
  CHECK(j != NULL);
  CHECK(t && clean_utf8(t, "\n\t"));
  CHECK(num(j, "version") == 1);
  CHECK_STR(str(get(j, "tool"), "name"), "omen");
  CHECK_STR(str(get(j, "tool"), "version"), OMEN_VERSION);
  const cJSON *sum = get(j, "summary");
  CHECK(num(sum, "files") == 4 && num(sum, "units") == 3);
  CHECK(num(sum, "errors") == 2 && num(sum, "warnings") == 2 && num(sum, "notes") == 1);
  CHECK(num(sum, "suppressed") == 1 && num(sum, "baselineLeftOut") == 7 && num(sum, "unchangedLeftOut") == 3);
  const cJSON *ds = get(j, "diagnostics");
  CHECK(cJSON_GetArraySize(ds) == NDIAGS); /* suppressed ones too */
  CHECK_STR(str(at(ds, 0), "scope"), "(*Server).Serve");
  CHECK_STR(str(at(ds, 0), "fingerprint"), "0123456789abcdef");
  CHECK_STR(str(at(ds, 0), "line_fingerprint"), "fedcba9876543210");
  CHECK(get(at(ds, 0), "suppressed") == NULL);
  /* fields that do not apply are left out */
  CHECK(get(at(ds, 1), "scope") == NULL && get(at(ds, 1), "fingerprint") == NULL &&
        get(at(ds, 1), "line_fingerprint") == NULL);
  const cJSON *sup = get(at(ds, 5), "suppressed");
  CHECK_STR(str(sup, "kind"), "inSource");
  CHECK_STR(str(sup, "justification"), "reviewed: the caller holds the lock");
  CHECK_STR(str(at(ds, 5), "message"), SUPPRESSED_MESSAGE);
  CHECK_STR(str(at(ds, 5), "fingerprint"), "00000000000000aa");
  CHECK(get(at(ds, 5), "line_fingerprint") == NULL);
  CHECK_STR(str(at(ds, 4), "message"), ODD_MESSAGE);

  const cJSON *d = at(ds, 0);
  CHECK_STR(str(d, "rule"), "omen/syntax-error");
  CHECK_STR(str(d, "family"), "omen");
  CHECK_STR(str(d, "severity"), "warning");
  CHECK_STR(str(d, "confidence"), "high");
  CHECK_STR(str(d, "message"), "goroutine leaks");
  CHECK_STR(str(get(d, "location"), "path"), "a.go");
  const cJSON *start = get(get(d, "location"), "start"), *end = get(get(d, "location"), "end");
  CHECK(num(start, "line") == 3 && num(start, "column") == 12 && num(start, "offset") == 22);
  CHECK(num(end, "line") == 3 && num(end, "column") == 18 && num(end, "offset") == 28);
  CHECK(cJSON_GetArraySize(get(d, "related")) == 2);
  CHECK_STR(str(at(get(d, "related"), 1), "message"), "declared here as m[k](1) \\[x]");
  CHECK_STR(str(get(at(get(d, "related"), 1), "location"), "path"), "../other/b.go");
  const cJSON *fixes = get(d, "fixes");
  CHECK(cJSON_GetArraySize(fixes) == 2);
  CHECK_STR(str(at(fixes, 0), "applicability"), "safe");
  CHECK_STR(str(at(fixes, 1), "applicability"), "unsafe");
  CHECK_STR(str(at(fixes, 0), "path"), "a.go");
  const cJSON *e = at(get(at(fixes, 0), "edits"), 1);
  CHECK(num(e, "start") == 30 && num(e, "end") == 30);
  CHECK_STR(str(e, "text"), " // fixed");

  d = at(ds, 1);
  CHECK_STR(str(d, "severity"), "note");
  CHECK_STR(str(d, "message"), "bad \xC3\xA9 thing");
  start = get(get(d, "location"), "start");
  CHECK(num(start, "column") == 20 && num(start, "utf16Column") == 17 && num(start, "offset") == 29);
  CHECK(cJSON_IsArray(get(d, "related")) && cJSON_GetArraySize(get(d, "related")) == 0);
  CHECK(cJSON_IsArray(get(d, "fixes")) && cJSON_GetArraySize(get(d, "fixes")) == 0);

  d = at(ds, 2);
  CHECK_STR(str(d, "family"), "thread-test");
  CHECK_STR(str(d, "message"), "custom \xEF\xBF\xBD\x1B[31m"); /* cJSON unescapes \u001b */
  CHECK(t && strstr(t, "\\u001b[31m"));
  cJSON_Delete(j);
  free(t);
}

static const cJSON *find_rule(const cJSON *rules, const char *id, int *idx) {
  for (int i = 0; i < cJSON_GetArraySize(rules); i++) {
    if (str(at(rules, i), "id") && strcmp(str(at(rules, i), "id"), id) == 0) {
      *idx = i;
      return at(rules, i);
    }
  }
  return NULL;
}

static void test_sarif(const omen_result *r) {
  /* 2023-11-14T22:13:20Z and 1.5 s later */
  omen_output_opts o = {.exit_code = 1, .start_time = 1700000000.25, .end_time = 1700000001.75};
  omen_status st;
  char *t = render(OMEN_FORMAT_SARIF, r, &o, &st);
  CHECK(st == OMEN_OK);
  cJSON *j = cJSON_Parse(t);
  CHECK(j != NULL);
  CHECK_STR(str(j, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK_STR(str(j, "version"), "2.1.0");
  CHECK(cJSON_GetArraySize(get(j, "runs")) == 1);
  const cJSON *run = at(get(j, "runs"), 0);
  const cJSON *drv = get(get(run, "tool"), "driver");
  CHECK_STR(str(drv, "name"), "omen");
  CHECK_STR(str(drv, "semanticVersion"), OMEN_VERSION);
  CHECK_STR(str(drv, "informationUri"), OMEN_INFO_URI);
  CHECK_STR(str(run, "columnKind"), "utf16CodeUnits");
  const cJSON *inv = at(get(run, "invocations"), 0);
  CHECK(num(inv, "exitCode") == 1);
  CHECK(cJSON_IsTrue(get(inv, "executionSuccessful")));
  CHECK_STR(str(inv, "startTimeUtc"), "2023-11-14T22:13:20.250Z");
  CHECK_STR(str(inv, "endTimeUtc"), "2023-11-14T22:13:21.750Z");
  CHECK(get(inv, "toolExecutionNotifications") == NULL); /* nothing left out */

  /* every rule of the table, plus the one only a diagnostic knows */
  size_t nall;
  const omen_rule *const *all = omen_rules_all(&nall);
  const cJSON *rules = get(drv, "rules");
  CHECK(cJSON_GetArraySize(rules) == (int)nall + 1);
  for (size_t i = 0; i < nall; i++) {
    int idx;
    CHECK(find_rule(rules, all[i]->id, &idx) != NULL);
  }
  int sidx = -1, cidx = -1;
  const cJSON *rule = find_rule(rules, "omen/syntax-error", &sidx);
  CHECK_STR(str(rule, "name"), "OmenSyntaxError");
  CHECK_STR(str(get(rule, "shortDescription"), "text"), omen_rule_syntax_error.summary);
  CHECK_STR(str(get(rule, "fullDescription"), "text"), omen_rule_syntax_error.what);
  CHECK_STR(str(get(rule, "defaultConfiguration"), "level"), "warning");
  CHECK(str(get(rule, "help"), "text") != NULL);
  const char *md = str(get(rule, "help"), "markdown");
  CHECK(md && strstr(md, "```go\nfunc f() {\n\tx := \n}\n```"));
  const cJSON *props = get(rule, "properties");
  CHECK_STR(str(props, "precision"), "high");
  CHECK_STR(str(props, "problem.severity"), "warning");
  CHECK(cJSON_GetArraySize(get(props, "tags")) == 3);
  CHECK_STR(at(get(props, "tags"), 0)->valuestring, "reliability");
  CHECK_STR(at(get(props, "tags"), 1)->valuestring, "omen");
  CHECK_STR(at(get(props, "tags"), 2)->valuestring, "go");
  CHECK(get(props, "security-severity") == NULL);
  CHECK_STR(str(rule, "helpUri"), OMEN_DOCS_URL "#omen/syntax-error");
  CHECK(md && strstr(md, "[Documentation of omen/syntax-error](" OMEN_DOCS_URL "#omen/syntax-error)"));
  CHECK(md && strstr(md, "`//omen:ignore omen/syntax-error reason`"));
  const char *help = str(get(rule, "help"), "text");
  CHECK(help && strstr(help, "Documentation: " OMEN_DOCS_URL "#omen/syntax-error"));
  /* GitHub shows at most 1,024 characters of a description: long ones end at a sentence */
  int nlong = 0;
  for (size_t i = 0; i < nall; i++) {
    int idx;
    const cJSON *rr = find_rule(rules, all[i]->id, &idx);
    const char *full = str(get(rr, "fullDescription"), "text");
    CHECK(full && strlen(full) <= 1024 * 3 && strlen(str(get(rr, "shortDescription"), "text")) <= 1024);
    size_t units = 0; /* UTF-16 code units: every byte but continuation bytes, 4-byte sequences twice */
    for (const unsigned char *q = (const unsigned char *)(full ? full : ""); *q; q++)
      units += (*q & 0xC0) != 0x80 ? 1 + (*q >= 0xF0) : 0;
    CHECK(units <= 1024);
    if (all[i]->what && strlen(all[i]->what) > 1024) {
      nlong++;
      CHECK(full && strncmp(full, all[i]->what, strlen(full)) == 0 && full[strlen(full) - 1] == '.');
    } else if (all[i]->what && *all[i]->what) {
      CHECK_STR(full, all[i]->what);
    }
  }
  CHECK(nlong > 0); /* the table has long descriptions: the cut is exercised */
  rule = find_rule(rules, custom_rule.id, &cidx);
  CHECK(cidx == (int)nall);
  CHECK_STR(str(get(rule, "defaultConfiguration"), "level"), "error");
  CHECK_STR(str(get(rule, "properties"), "precision"), "low");
  CHECK_STR(at(get(get(rule, "properties"), "tags"), 0)->valuestring, "concurrency");
  CHECK(cJSON_GetArraySize(get(get(rule, "properties"), "tags")) == 4); /* c/c++: both languages */
  CHECK_STR(at(get(get(rule, "properties"), "tags"), 2)->valuestring, "c");
  CHECK_STR(at(get(get(rule, "properties"), "tags"), 3)->valuestring, "c++");
  md = str(get(rule, "help"), "markdown");
  CHECK(md && strstr(md, "````c\nx ```y``` z\n````")); /* the fence outgrows the code's backticks */

  const cJSON *res = get(run, "results");
  CHECK(cJSON_GetArraySize(res) == NDIAGS); /* suppressed ones too */
  for (int i = 0; i < cJSON_GetArraySize(res); i++) {
    int idx = num(at(res, i), "ruleIndex");
    CHECK(idx >= 0 && str(at(rules, idx), "id") &&
          strcmp(str(at(rules, idx), "id"), str(at(res, i), "ruleId")) == 0);
  }

  const cJSON *x = at(res, 0);
  CHECK(num(x, "ruleIndex") == sidx);
  CHECK_STR(str(x, "level"), "warning");
  CHECK_STR(str(get(x, "message"), "text"), "goroutine leaks");
  const cJSON *pl = get(at(get(x, "locations"), 0), "physicalLocation");
  CHECK_STR(str(get(pl, "artifactLocation"), "uri"), "a.go");
  CHECK_STR(str(get(pl, "artifactLocation"), "uriBaseId"), "SRCROOT");
  const cJSON *rg = get(pl, "region");
  CHECK(num(rg, "startLine") == 3 && num(rg, "startColumn") == 12 && num(rg, "endLine") == 3 &&
        num(rg, "endColumn") == 18);
  CHECK(num(rg, "charOffset") == 22 && num(rg, "charLength") == 6);
  CHECK(num(rg, "byteOffset") == 22 && num(rg, "byteLength") == 6);
  const cJSON *rel = get(x, "relatedLocations");
  CHECK(cJSON_GetArraySize(rel) == 2);
  CHECK(num(at(rel, 0), "id") == 1 && num(at(rel, 1), "id") == 2);
  CHECK_STR(str(get(at(rel, 0), "message"), "text"), "in this function");
  /* not a link to a related location: escaped */
  CHECK_STR(str(get(at(rel, 1), "message"), "text"), "declared here as m\\[k\\](1) \\\\\\[x\\]");
  CHECK_STR(str(get(get(at(rel, 0), "physicalLocation"), "artifactLocation"), "uri"), "a.go");
  char cwd[4096], want[4200];
  if (getcwd(cwd, sizeof cwd) &&
      strspn(cwd, "/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == strlen(cwd)) {
    char *slash = strrchr(cwd, '/');
    *slash = '\0'; /* "../other/b.go" is outside the working directory */
    snprintf(want, sizeof want, "file://%s/other/b.go", cwd);
    const cJSON *al = get(get(at(rel, 1), "physicalLocation"), "artifactLocation");
    CHECK_STR(str(al, "uri"), want);
    CHECK(get(al, "uriBaseId") == NULL);
    *slash = '/';
    snprintf(want, sizeof want, "file://%s/", cwd);
    CHECK_STR(str(get(get(run, "originalUriBaseIds"), "SRCROOT"), "uri"), want);
  }
  const cJSON *fixes = get(x, "fixes");
  CHECK(cJSON_GetArraySize(fixes) == 2);
  CHECK_STR(str(get(at(fixes, 0), "description"), "text"), "add a context");
  CHECK_STR(str(get(at(fixes, 1), "properties"), "applicability"), "unsafe");
  const cJSON *ch = at(get(at(fixes, 0), "artifactChanges"), 0);
  CHECK_STR(str(get(ch, "artifactLocation"), "uri"), "a.go");
  const cJSON *reps = get(ch, "replacements");
  CHECK(cJSON_GetArraySize(reps) == 2);
  CHECK(num(get(at(reps, 1), "deletedRegion"), "charOffset") == 30);
  CHECK(num(get(at(reps, 1), "deletedRegion"), "charLength") == 0);
  CHECK_STR(str(get(at(reps, 1), "insertedContent"), "text"), " // fixed");
  ch = at(get(at(fixes, 1), "artifactChanges"), 0);
  const cJSON *del = get(at(get(ch, "replacements"), 0), "deletedRegion");
  CHECK(num(del, "charOffset") == 22 && num(del, "charLength") == 3);

  x = at(res, 1);
  CHECK_STR(str(x, "level"), "note");
  pl = get(at(get(x, "locations"), 0), "physicalLocation");
  CHECK_STR(str(get(pl, "artifactLocation"), "uri"), "dir/%C3%A9%20x.go");
  rg = get(pl, "region");
  CHECK(num(rg, "startLine") == 2 && num(rg, "startColumn") == 17 && num(rg, "endColumn") == 20);
  CHECK(num(rg, "charOffset") == 26 && num(rg, "charLength") == 3);
  CHECK(num(rg, "byteOffset") == 29 && num(rg, "byteLength") == 3);
  CHECK(get(x, "fixes") == NULL && get(x, "relatedLocations") == NULL);

  const cJSON *x2 = at(res, 2), *x3 = at(res, 3);
  CHECK(num(x2, "ruleIndex") == cidx);
  CHECK_STR(str(x2, "level"), "error");
  pl = get(at(get(x2, "locations"), 0), "physicalLocation");
  CHECK_STR(str(get(pl, "artifactLocation"), "uri"), "file:///outside/x.c");
  CHECK(get(get(pl, "artifactLocation"), "uriBaseId") == NULL);
  rg = get(pl, "region");
  CHECK(get(rg, "charOffset") == NULL); /* no snapshot of that file */
  CHECK(num(rg, "endLine") == 1 && num(rg, "endColumn") == 1);
  (void)x3;
  /* omen's fingerprints, only where the engine set them */
  const cJSON *pf = get(at(res, 0), "partialFingerprints");
  CHECK_STR(str(pf, "omen/v1"), "0123456789abcdef");
  CHECK_STR(str(pf, "omenLine/v1"), "fedcba9876543210");
  CHECK(get(at(res, 1), "partialFingerprints") == NULL);
  CHECK_STR(str(get(at(res, 5), "partialFingerprints"), "omen/v1"), "00000000000000aa");
  CHECK(str(get(at(res, 5), "partialFingerprints"), "omenLine/v1") == NULL);
  CHECK_STR(str(get(at(res, 0), "properties"), "scope"), "(*Server).Serve");
  CHECK(get(at(res, 0), "suppressions") == NULL);
  /* a suppressed finding stays, marked as such */
  const cJSON *sups = get(at(res, 5), "suppressions");
  CHECK(cJSON_GetArraySize(sups) == 1);
  CHECK_STR(str(at(sups, 0), "kind"), "inSource");
  CHECK_STR(str(at(sups, 0), "status"), "accepted");
  CHECK_STR(str(at(sups, 0), "justification"), "reviewed: the caller holds the lock");
  CHECK_STR(str(get(at(res, 5), "message"), "text"), SUPPRESSED_MESSAGE);

  /* an error exit is not a successful execution; unknown times are left out */
  omen_output_opts o2 = {.exit_code = 2};
  char *t2 = render(OMEN_FORMAT_SARIF, r, &o2, &st);
  cJSON *j2 = cJSON_Parse(t2);
  const cJSON *inv2 = at(get(at(get(j2, "runs"), 0), "invocations"), 0);
  CHECK(cJSON_IsFalse(get(inv2, "executionSuccessful")) && num(inv2, "exitCode") == 2);
  CHECK(get(inv2, "startTimeUtc") == NULL && get(inv2, "endTimeUtc") == NULL);
  cJSON_Delete(j2);
  free(t2);

  const char *path = getenv("OMEN_SARIF_OUT");
  if (path && *path) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
      CHECK(omen_write_sarif(f, r, &o) == OMEN_OK);
      CHECK(fclose(f) == 0);
    }
  }
  cJSON_Delete(j);
  free(t);
}

/* ---- GitHub: read back as the runner reads it (actions/runner, ActionCommand.TryParseV2) ---- */

typedef struct gh_cmd {
  char *name;
  char *keys[16], *values[16];
  size_t nprops;
  char *data;
} gh_cmd;

static char *replace_all(char *s, const char *from, const char *to) {
  size_t nf = strlen(from), nt = strlen(to), n = 0;
  for (const char *p = strstr(s, from); p; p = strstr(p + nf, from))
    n++;
  char *out = malloc(strlen(s) + n * nt + 1), *o = out;
  if (!out)
    exit(2);
  for (const char *p = s;;) {
    const char *hit = strstr(p, from);
    if (!hit) {
      strcpy(o, p);
      break;
    }
    memcpy(o, p, (size_t)(hit - p));
    o += hit - p;
    memcpy(o, to, nt);
    o += nt;
    p = hit + nf;
  }
  free(s);
  return out;
}

/* The runner's unescaping: one replacement after the other, "%25" last. */
static char *gh_unescape(const char *s, size_t n, bool property) {
  char *u = strndup(s, n);
  if (!u)
    exit(2);
  u = replace_all(u, "%0D", "\r");
  u = replace_all(u, "%0A", "\n");
  if (property) {
    u = replace_all(u, "%3A", ":");
    u = replace_all(u, "%2C", ",");
  }
  return replace_all(u, "%25", "%");
}

static bool gh_parse(const char *line, gh_cmd *c) {
  memset(c, 0, sizeof *c);
  if (strncmp(line, "::", 2) != 0)
    return false;
  const char *end = strstr(line + 2, "::");
  if (!end)
    return false;
  const char *info = line + 2, *sp = memchr(info, ' ', (size_t)(end - info));
  c->name = strndup(info, (size_t)((sp ? sp : end) - info));
  for (const char *p = sp ? sp + 1 : end; p < end;) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *stop = comma ? comma : end;
    const char *eq = memchr(p, '=', (size_t)(stop - p));
    if (eq && eq > p && eq + 1 < stop && c->nprops < 16) {
      c->keys[c->nprops] = strndup(p, (size_t)(eq - p));
      c->values[c->nprops++] = gh_unescape(eq + 1, (size_t)(stop - eq - 1), true);
    }
    p = stop + 1;
  }
  c->data = gh_unescape(end + 2, strlen(end + 2), false);
  return true;
}

static const char *gh_prop(const gh_cmd *c, const char *key) {
  for (size_t i = 0; i < c->nprops; i++)
    if (strcasecmp(c->keys[i], key) == 0)
      return c->values[i];
  return NULL;
}

static void gh_free(gh_cmd *c) {
  free(c->name);
  for (size_t i = 0; i < c->nprops; i++) {
    free(c->keys[i]);
    free(c->values[i]);
  }
  free(c->data);
}

/* Splits t into its lines (t is modified); each must end with '\n'. */
static size_t split_lines(char *t, char **lines, size_t max) {
  size_t n = 0;
  for (char *p = t; p && *p && n < max;) {
    char *nl = strchr(p, '\n');
    if (!nl)
      return SIZE_MAX;
    *nl = '\0';
    lines[n++] = p;
    p = nl + 1;
  }
  return n;
}

static void test_github(const omen_result *r) {
  omen_output_opts o = {0};
  omen_status st;
  char *t = render(OMEN_FORMAT_GITHUB, r, &o, &st);
  CHECK(st == OMEN_OK);
  /* valid UTF-8, no control characters (an ESC would recolour the log, a CR or LF end the command) */
  CHECK(t && clean_utf8(t, "\n"));
  CHECK(t && !strstr(t, SUPPRESSED_MESSAGE));
  /* every '%' starts one of the runner's escapes, so nothing else is unescaped by mistake */
  for (const char *p = t ? strchr(t, '%') : NULL; p; p = strchr(p + 1, '%'))
    CHECK(strncmp(p, "%25", 3) == 0 || strncmp(p, "%0D", 3) == 0 || strncmp(p, "%0A", 3) == 0 ||
          strncmp(p, "%3A", 3) == 0 || strncmp(p, "%2C", 3) == 0);
  char *lines[16];
  size_t n = t ? split_lines(t, lines, 16) : 0;
  CHECK(n == NDIAGS - 1); /* one command per unsuppressed finding, nothing else */
  if (n != NDIAGS - 1) {
    free(t);
    return;
  }
  gh_cmd c[NDIAGS - 1];
  for (size_t i = 0; i < n; i++)
    CHECK(gh_parse(lines[i], &c[i]));
  CHECK_STR(c[0].name, "warning");
  CHECK_STR(gh_prop(&c[0], "file"), "a.go");
  CHECK_STR(gh_prop(&c[0], "line"), "3");
  CHECK_STR(gh_prop(&c[0], "col"), "12");
  CHECK_STR(gh_prop(&c[0], "endLine"), "3");
  CHECK_STR(gh_prop(&c[0], "endColumn"), "18");
  CHECK_STR(gh_prop(&c[0], "title"), "omen/syntax-error");
  CHECK_STR(c[0].data, "goroutine leaks\n"
                       "./a.go:3:1: note: in this function\n"
                       "../other/b.go:1:1: note: declared here as m[k](1) \\[x]\n"
                       "fix available (safe): add a context\n"
                       "fix available (unsafe): remove the go statement");
  CHECK_STR(c[1].name, "notice");
  CHECK_STR(gh_prop(&c[1], "file"), "dir/\xC3\xA9 x.go");
  CHECK_STR(gh_prop(&c[1], "col"), "17"); /* UTF-16 columns */
  CHECK_STR(gh_prop(&c[1], "endColumn"), "20");
  CHECK_STR(c[1].data, "bad \xC3\xA9 thing");
  CHECK_STR(c[2].name, "error");
  CHECK_STR(gh_prop(&c[2], "file"), "/outside/x.c");
  CHECK_STR(gh_prop(&c[2], "line"), "1");
  CHECK_STR(gh_prop(&c[2], "endLine"), "1");
  CHECK_STR(c[2].data, "custom \xEF\xBF\xBD\\x1b[31m");
  CHECK_STR(gh_prop(&c[3], "line"), "5");
  /* '%', ',', ':', CR and LF come back intact in a property and in the message */
  CHECK_STR(c[4].name, "warning");
  CHECK_STR(gh_prop(&c[4], "file"), ODD_PATH);
  CHECK_STR(gh_prop(&c[4], "line"), "2");
  CHECK_STR(gh_prop(&c[4], "endLine"), "4");
  /* the runner drops columns of a range over several lines: none are sent */
  CHECK(gh_prop(&c[4], "col") == NULL && gh_prop(&c[4], "endColumn") == NULL);
  CHECK_STR(c[4].data, ODD_MESSAGE "\nx,y:z.go:7:2: note: 100% here");
  for (size_t i = 0; i < n; i++)
    gh_free(&c[i]);
  free(t);

  /* many related locations: the first ten, then how many more */
  omen_related rel[12];
  for (int k = 0; k < 12; k++)
    rel[k] = (omen_related){{(char *)"r.go", 0, 0, {(uint32_t)k + 1, 1, 1}, {(uint32_t)k + 1, 2, 2}},
                            (char *)"here"};
  omen_diag d = {.rule = &custom_rule, .severity = OMEN_SEV_WARNING, .message = (char *)"m"};
  d.loc = (omen_loc){(char *)"r.go", 0, 0, {1, 1, 1}, {1, 2, 2}};
  d.related = rel;
  d.nrelated = 12;
  omen_result one = {.diags = &d, .ndiags = 1};
  t = render(OMEN_FORMAT_GITHUB, &one, &o, &st);
  gh_cmd c1;
  CHECK(t && gh_parse(t, &c1));
  CHECK(t && strstr(c1.data, "\nr.go:10:1: note: here\n(2 more related locations)") != NULL);
  CHECK(t && !strstr(c1.data, "r.go:11:1"));
  gh_free(&c1);
  free(t);

  /* a message past the writer's cap is cut, not an error */
  size_t big = (size_t)3 << 20;
  char *huge = malloc(big + 1);
  if (!huge)
    exit(2);
  memset(huge, 'x', big);
  huge[big] = '\0';
  d.message = huge;
  d.nrelated = 0;
  t = render(OMEN_FORMAT_GITHUB, &one, &o, &st);
  CHECK(st == OMEN_OK && t && strncmp(t, "::warning file=r.go,", 20) == 0);
  CHECK(t && strlen(t) > ((size_t)1 << 19) && strlen(t) < ((size_t)1 << 21) && t[strlen(t) - 1] == '\n');
  free(t);
  free(huge);
}

/* ---- GitLab Code Quality ---- */

static bool hex16(const char *s) { return s && strlen(s) == 16 && strspn(s, "0123456789abcdef") == 16; }

static void test_gitlab(const omen_result *r) {
  omen_output_opts o = {0};
  omen_status st;
  char *t = render(OMEN_FORMAT_GITLAB, r, &o, &st);
  CHECK(st == OMEN_OK);
  CHECK(t && clean_utf8(t, "\n\t"));
  CHECK(t && strncmp(t, "\xEF\xBB\xBF", 3) != 0); /* GitLab's parser rejects a byte order mark */
  cJSON *j = cJSON_Parse(t);
  CHECK(cJSON_IsArray(j) && cJSON_GetArraySize(j) == NDIAGS - 1);
  for (int i = 0; i < cJSON_GetArraySize(j); i++) {
    const cJSON *x = at(j, i);
    CHECK_STR(str(x, "type"), "issue");
    CHECK(str(x, "check_name") && str(x, "description") && str(get(x, "location"), "path"));
    CHECK(str(x, "description") && !strpbrk(str(x, "description"), "\r\n")); /* one line */
    CHECK(cJSON_GetArraySize(get(x, "categories")) == 1);
    CHECK_STR(at(get(x, "categories"), 0)->valuestring, "Bug Risk");
    CHECK(hex16(str(x, "fingerprint")));
    for (int k = 0; k < i; k++)
      CHECK(strcmp(str(x, "fingerprint"), str(at(j, k), "fingerprint")) != 0);
    const cJSON *lines = get(get(x, "location"), "lines");
    CHECK(num(lines, "begin") >= 1 && num(lines, "end") >= num(lines, "begin"));
    CHECK(strcmp(str(x, "description"), SUPPRESSED_MESSAGE) != 0);
  }
  const cJSON *x = at(j, 0);
  CHECK_STR(str(x, "check_name"), "omen/syntax-error");
  CHECK_STR(str(x, "description"), "goroutine leaks");
  CHECK_STR(str(x, "severity"), "major");
  CHECK_STR(str(get(x, "location"), "path"), "a.go");
  CHECK(num(get(get(x, "location"), "lines"), "begin") == 3 &&
        num(get(get(x, "location"), "lines"), "end") == 3);
  CHECK_STR(str(at(j, 1), "severity"), "info");
  CHECK_STR(str(get(at(j, 1), "location"), "path"), "dir/\xC3\xA9 x.go");
  CHECK_STR(str(at(j, 2), "severity"), "critical");
  CHECK_STR(str(at(j, 2), "check_name"), "thread-test/custom");
  CHECK_STR(str(at(j, 2), "description"), "custom \xEF\xBF\xBD\x1B[31m");
  x = at(j, 4);
  CHECK_STR(str(x, "description"), "50% done, a: b <&> \"q\" 'x' next line  end");
  CHECK_STR(str(get(x, "location"), "path"), ODD_PATH);
  CHECK(num(get(get(x, "location"), "lines"), "begin") == 2 &&
        num(get(get(x, "location"), "lines"), "end") == 4);
  /* the same input gives the same report */
  char *t2 = render(OMEN_FORMAT_GITLAB, r, &o, &st);
  CHECK(t && t2 && strcmp(t, t2) == 0);
  free(t2);
  cJSON_Delete(j);
  free(t);
}

/* Fingerprints of a GitLab report of diags; fps receives n of them (caller frees each). */
static void gitlab_fps(omen_diag *diags, size_t n, char **fps) {
  omen_result r = {.diags = diags, .ndiags = n};
  omen_output_opts o = {0};
  omen_status st;
  char *t = render(OMEN_FORMAT_GITLAB, &r, &o, &st);
  cJSON *j = cJSON_Parse(t);
  CHECK(st == OMEN_OK && cJSON_GetArraySize(j) == (int)n);
  for (size_t i = 0; i < n; i++)
    fps[i] = strdup(str(at(j, (int)i), "fingerprint") ? str(at(j, (int)i), "fingerprint") : "");
  cJSON_Delete(j);
  free(t);
}

static void test_gitlab_fingerprints(void) {
  omen_diag d[3];
  for (int i = 0; i < 3; i++) {
    d[i] = (omen_diag){.rule = &custom_rule, .severity = OMEN_SEV_WARNING, .message = (char *)"same"};
    d[i].loc = (omen_loc){(char *)"f.go", 0, 0, {4, 1, 1}, {4, 2, 2}};
  }
  /* repeats of one finding still get fingerprints of their own, the same on every run */
  char *a[3], *b[3];
  gitlab_fps(d, 3, a);
  gitlab_fps(d, 3, b);
  for (int i = 0; i < 3; i++) {
    CHECK(hex16(a[i]) && strcmp(a[i], b[i]) == 0);
    for (int k = 0; k < i; k++)
      CHECK(strcmp(a[i], a[k]) != 0);
  }
  /* the first keeps the fingerprint it has alone */
  char *alone[1];
  gitlab_fps(d, 1, alone);
  CHECK_STR(alone[0], a[0]);
  free(alone[0]);
  for (int i = 0; i < 3; i++) {
    free(a[i]);
    free(b[i]);
  }

  /* with the engine's fingerprint: a line shift keeps it; another file gets another */
  for (int i = 0; i < 3; i++)
    memcpy(d[i].fingerprint, "1111222233334444", 17);
  d[1].loc.path = (char *)"g.go";
  char *x[3];
  gitlab_fps(d, 2, x);
  CHECK(strcmp(x[0], x[1]) != 0);
  d[0].loc.start_pos.line = 40;
  d[0].loc.end_pos.line = 40;
  gitlab_fps(d, 1, alone);
  CHECK_STR(alone[0], x[0]);
  free(alone[0]);
  /* nor does a finding in an earlier file change it */
  gitlab_fps(&d[1], 1, alone);
  CHECK_STR(alone[0], x[1]);
  free(alone[0]);
  free(x[0]);
  free(x[1]);
}

/* ---- Checkstyle: a small reader of the XML it writes ---- */

typedef struct xml_el {
  char *name;
  char *keys[8], *values[8];
  size_t nattrs;
  int depth;
} xml_el;

static size_t xml_put_utf8(char *o, uint32_t cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | cp >> 6);
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | cp >> 12);
    o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | cp >> 18);
  o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
  o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

static bool xml_char_ok(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* The decoded value of an attribute [s, e); NULL if it holds '<' or a bad reference. */
static char *xml_value(const char *s, const char *e) {
  char *out = malloc((size_t)(e - s) + 1), *o = out;
  if (!out)
    exit(2);
  static const char *const ent[][2] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
  while (s < e) {
    if (*s == '<') {
      free(out);
      return NULL;
    }
    if (*s != '&') {
      *o++ = *s++;
      continue;
    }
    bool done = false;
    for (size_t k = 0; k < 5 && !done; k++) {
      size_t n = strlen(ent[k][0]);
      if ((size_t)(e - s) >= n && strncmp(s, ent[k][0], n) == 0) {
        *o++ = ent[k][1][0];
        s += n;
        done = true;
      }
    }
    if (!done && s[1] == '#') {
      char *end;
      uint32_t cp = (uint32_t)strtoul(s + 2, &end, s[2] == 'x' ? 16 : 10);
      if (s[2] == 'x')
        cp = (uint32_t)strtoul(s + 3, &end, 16);
      if (end < e && *end == ';' && xml_char_ok(cp)) {
        o += xml_put_utf8(o, cp);
        s = end + 1;
        done = true;
      }
    }
    if (!done) {
      free(out);
      return NULL;
    }
  }
  *o = '\0';
  return out;
}

/* Well-formedness for the subset checkstyle output uses (a declaration, elements, attributes,
 * whitespace between them); fills els in document order. */
static bool xml_read(const char *doc, xml_el *els, size_t max, size_t *n) {
  const char *decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  if (!clean_utf8(doc, "\n") || strstr(doc, "\xEF\xBF\xBE") || strstr(doc, "\xEF\xBF\xBF") ||
      strncmp(doc, decl, strlen(decl)) != 0)
    return false;
  const char *stack[16];
  int depth = 0, roots = 0;
  *n = 0;
  for (const char *p = doc + strlen(decl);;) {
    p += strspn(p, " \n");
    if (!*p)
      break;
    if (*p != '<')
      return false;
    if (p[1] == '/') {
      size_t len = strcspn(p + 2, ">");
      if (depth == 0 || strlen(stack[depth - 1]) != len || strncmp(stack[depth - 1], p + 2, len) != 0)
        return false;
      depth--;
      p += 2 + len + 1;
      continue;
    }
    if (*n >= max || depth >= 16)
      return false;
    xml_el *el = &els[(*n)++];
    memset(el, 0, sizeof *el);
    size_t len = strcspn(p + 1, " />");
    el->name = strndup(p + 1, len);
    el->depth = depth;
    roots += depth == 0;
    p += 1 + len;
    for (;;) {
      p += strspn(p, " ");
      if (strncmp(p, "/>", 2) == 0) {
        p += 2;
        break;
      }
      if (*p == '>') {
        stack[depth++] = el->name;
        p++;
        break;
      }
      size_t klen = strcspn(p, "=");
      if (p[klen] != '=' || p[klen + 1] != '"' || el->nattrs >= 8)
        return false;
      const char *v = p + klen + 2, *ve = strchr(v, '"');
      if (!ve)
        return false;
      char *value = xml_value(v, ve);
      if (!value)
        return false;
      el->keys[el->nattrs] = strndup(p, klen);
      el->values[el->nattrs++] = value;
      p = ve + 1;
    }
  }
  return depth == 0 && roots == 1;
}

static const char *xml_attr(const xml_el *el, const char *key) {
  for (size_t i = 0; i < el->nattrs; i++)
    if (strcmp(el->keys[i], key) == 0)
      return el->values[i];
  return NULL;
}

static void test_checkstyle(const omen_result *r) {
  omen_output_opts o = {0};
  omen_status st;
  char *t = render(OMEN_FORMAT_CHECKSTYLE, r, &o, &st);
  CHECK(st == OMEN_OK);
  xml_el els[32];
  size_t n = 0;
  CHECK(t && xml_read(t, els, 32, &n));
  CHECK(t && !strstr(t, SUPPRESSED_MESSAGE));
  /* checkstyle > file a.go > 1 error, file é > 1, file /outside > 2, file odd > 1 */
  CHECK(n == 1 + 4 + 5);
  if (n == 10) {
    CHECK_STR(els[0].name, "checkstyle");
    CHECK_STR(xml_attr(&els[0], "version"), "4.3");
    static const char *const names[] = {"file",  "error", "file", "error", "file",
                                        "error", "error", "file", "error"};
    for (int i = 1; i < 10; i++) {
      CHECK_STR(els[i].name, names[i - 1]);
      CHECK(els[i].depth == (strcmp(names[i - 1], "file") == 0 ? 1 : 2));
    }
    CHECK_STR(xml_attr(&els[1], "name"), "a.go");
    CHECK_STR(xml_attr(&els[2], "line"), "3");
    CHECK_STR(xml_attr(&els[2], "column"), "12");
    CHECK_STR(xml_attr(&els[2], "severity"), "warning");
    CHECK_STR(xml_attr(&els[2], "message"), "goroutine leaks");
    CHECK_STR(xml_attr(&els[2], "source"), "omen.omen/syntax-error");
    CHECK_STR(xml_attr(&els[3], "name"), "dir/\xC3\xA9 x.go");
    CHECK_STR(xml_attr(&els[4], "severity"), "info");
    CHECK_STR(xml_attr(&els[4], "column"), "17");
    CHECK_STR(xml_attr(&els[5], "name"), "/outside/x.c");
    CHECK_STR(xml_attr(&els[6], "severity"), "error");
    /* what XML 1.0 cannot hold (ESC, a byte that is not UTF-8) became U+FFFD */
    CHECK_STR(xml_attr(&els[6], "message"), "custom \xEF\xBF\xBD\xEF\xBF\xBD[31m");
    CHECK_STR(xml_attr(&els[7], "line"), "5");
    CHECK_STR(xml_attr(&els[8], "name"), ODD_PATH);
    /* markup characters and newlines come back exactly */
    CHECK_STR(xml_attr(&els[9], "message"), ODD_MESSAGE);
    CHECK_STR(xml_attr(&els[9], "line"), "2");
  }
  for (size_t i = 0; i < n; i++) {
    free(els[i].name);
    for (size_t k = 0; k < els[i].nattrs; k++) {
      free(els[i].keys[k]);
      free(els[i].values[k]);
    }
  }
  /* a second opinion when libxml2's checker is installed */
  if (t && access("/usr/bin/xmllint", X_OK) == 0) {
    char path[] = "/tmp/omen-checkstyle-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    CHECK(f != NULL);
    if (f) {
      fputs(t, f);
      fclose(f);
      char cmd[128];
      snprintf(cmd, sizeof cmd, "xmllint --noout %s 2>&1", path);
      CHECK(system(cmd) == 0);
      unlink(path);
    }
  }
  free(t);

  /* no findings: still a document */
  omen_result empty = {0};
  t = render(OMEN_FORMAT_CHECKSTYLE, &empty, &o, &st);
  CHECK(t && xml_read(t, els, 32, &n) && n == 1);
  free(els[0].name);
  free(els[0].keys[0]);
  free(els[0].values[0]);
  free(t);
}

/* ---- SARIF within GitHub's limits ---- */

static size_t gz_size(const char *t) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return SIZE_MAX;
  size_t cap = deflateBound(&z, (uLong)strlen(t));
  unsigned char *out = malloc(cap);
  z.next_in = (unsigned char *)t;
  z.avail_in = (uInt)strlen(t);
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int ret = out ? deflate(&z, Z_FINISH) : Z_MEM_ERROR;
  size_t n = ret == Z_STREAM_END ? z.total_out : SIZE_MAX;
  deflateEnd(&z);
  free(out);
  return n;
}

/* n diagnostics on lines 1..n of s.go; severities and suppression from sev/sup (cycled), messages
 * from msgs when given. Strings are shared, not owned: free only the array. */
static omen_diag *synth(size_t n, const omen_severity *sev, const bool *sup, size_t ncycle, char **msgs) {
  omen_diag *d = calloc(n, sizeof *d);
  if (!d)
    exit(2);
  for (size_t i = 0; i < n; i++) {
    d[i].rule = &custom_rule;
    d[i].severity = sev[i % ncycle];
    d[i].suppressed = sup ? sup[i % ncycle] : false;
    d[i].suppress_reason = (char *)"reviewed";
    d[i].message = msgs ? msgs[i] : (char *)"m";
    d[i].loc = (omen_loc){(char *)"s.go", 0, 0, {(uint32_t)i + 1, 1, 1}, {(uint32_t)i + 1, 2, 2}};
  }
  return d;
}

static cJSON *sarif_of(const omen_result *r, const omen_output_opts *o, char **text) {
  omen_status st;
  *text = render(OMEN_FORMAT_SARIF, r, o, &st);
  CHECK(st == OMEN_OK);
  return cJSON_Parse(*text);
}

static const cJSON *run_of(const cJSON *j) { return at(get(j, "runs"), 0); }
static const cJSON *notes_of(const cJSON *j) {
  return get(at(get(run_of(j), "invocations"), 0), "toolExecutionNotifications");
}

static void test_sarif_limits(void) {
  /* GitHub's 25,000 results per run by default: the errors that come last in report order are kept,
   * the last notes are left out, and the report says so */
  size_t n = 25010;
  omen_severity note = OMEN_SEV_NOTE;
  omen_diag *d = synth(n, &note, NULL, 1, NULL);
  for (size_t i = 25000; i < n; i++)
    d[i].severity = OMEN_SEV_ERROR;
  omen_result r = {.diags = d, .ndiags = n};
  omen_output_opts o = {0};
  char *t;
  cJSON *j = sarif_of(&r, &o, &t);
  const cJSON *res = get(run_of(j), "results");
  CHECK(cJSON_GetArraySize(res) == 25000);
  bool ordered = true;
  int errors = 0, last_line = 0;
  const cJSON *x;
  cJSON_ArrayForEach(x, res) {
    int line = num(get(get(at(get(x, "locations"), 0), "physicalLocation"), "region"), "startLine");
    ordered &= line > last_line;
    last_line = line;
    errors += strcmp(str(x, "level"), "error") == 0;
  }
  CHECK(ordered); /* kept results stay in report order */
  CHECK(errors == 10);
  CHECK(num(get(get(at(get(at(res, 24989), "locations"), 0), "physicalLocation"), "region"), "startLine") ==
        24990);
  CHECK(num(get(get(at(get(at(res, 24990), "locations"), 0), "physicalLocation"), "region"), "startLine") ==
        25001);
  CHECK(cJSON_GetArraySize(notes_of(j)) == 1);
  const char *msg = str(get(at(notes_of(j), 0), "message"), "text");
  CHECK(msg && strstr(msg, "left 10 of 25010 results out") &&
        strstr(msg, "0 errors, 0 warnings, 10 notes and 0 suppressed"));
  CHECK_STR(str(at(notes_of(j), 0), "level"), "warning");
  cJSON_Delete(j);
  free(t);
  free(d);

  /* unsuppressed before suppressed, errors before warnings before notes */
  static const omen_severity cyc[] = {OMEN_SEV_NOTE,    OMEN_SEV_WARNING, OMEN_SEV_ERROR, OMEN_SEV_NOTE,
                                      OMEN_SEV_WARNING, OMEN_SEV_ERROR,   OMEN_SEV_NOTE,  OMEN_SEV_WARNING};
  static const bool sup[] = {false, true, false, false, false, true, false, false};
  d = synth(8, cyc, sup, 8, NULL);
  r = (omen_result){.diags = d, .ndiags = 8};
  o.sarif_limits.max_results = 4;
  j = sarif_of(&r, &o, &t);
  res = get(run_of(j), "results");
  CHECK(cJSON_GetArraySize(res) == 4);
  static const int want_lines[] = {1, 3, 5, 8};
  for (int i = 0; i < 4 && i < cJSON_GetArraySize(res); i++)
    CHECK(num(get(get(at(get(at(res, i), "locations"), 0), "physicalLocation"), "region"), "startLine") ==
          want_lines[i]);
  msg = str(get(at(notes_of(j), 0), "message"), "text");
  CHECK(msg && strstr(msg, "left 4 of 8 results out") &&
        strstr(msg, "0 errors, 0 warnings, 2 notes and 2 suppressed"));
  const char *trunc = getenv("OMEN_SARIF_OUT_TRUNCATED");
  FILE *f = trunc && *trunc ? fopen(trunc, "w") : NULL;
  if (f) {
    CHECK(omen_write_sarif(f, &r, &o) == OMEN_OK);
    CHECK(fclose(f) == 0);
  }
  cJSON_Delete(j);
  free(t);
  /* within the cap nothing is left out, suppressed results included */
  o.sarif_limits.max_results = 8;
  j = sarif_of(&r, &o, &t);
  CHECK(cJSON_GetArraySize(get(run_of(j), "results")) == 8 && notes_of(j) == NULL);
  cJSON_Delete(j);
  free(t);
  free(d);

  /* related locations: 1,000 locations per result in all */
  omen_related *rel = calloc(1200, sizeof *rel);
  if (!rel)
    exit(2);
  for (uint32_t k = 0; k < 1200; k++)
    rel[k] = (omen_related){{(char *)"r.go", 0, 0, {k + 1, 1, 1}, {k + 1, 2, 2}}, (char *)"here"};
  d = synth(2, cyc, NULL, 2, NULL);
  d[1].related = rel;
  d[1].nrelated = 1200;
  r = (omen_result){.diags = d, .ndiags = 2};
  o = (omen_output_opts){0};
  j = sarif_of(&r, &o, &t);
  res = get(run_of(j), "results");
  CHECK(cJSON_GetArraySize(res) == 2);
  const cJSON *rl = get(at(res, 1), "relatedLocations");
  CHECK(cJSON_GetArraySize(rl) == 999);
  CHECK(num(at(rl, 998), "id") == 999);
  msg = str(get(at(notes_of(j), 0), "message"), "text");
  CHECK(msg && strstr(msg, "left 201 related locations of 1 result out"));
  CHECK(cJSON_GetArraySize(notes_of(j)) == 1); /* no result was left out */
  cJSON_Delete(j);
  free(t);
  o.sarif_limits.max_related = 3;
  j = sarif_of(&r, &o, &t);
  CHECK(cJSON_GetArraySize(get(at(get(run_of(j), "results"), 1), "relatedLocations")) == 3);
  cJSON_Delete(j);
  free(t);
  free(d);
  free(rel);

  /* the compressed size: results are left out until the report fits, errors kept first */
  omen_result none = {0};
  o = (omen_output_opts){0};
  j = sarif_of(&none, &o, &t);
  size_t base = gz_size(t);
  cJSON_Delete(j);
  free(t);
  n = 400;
  char **msgs = calloc(n, sizeof *msgs);
  uint64_t rnd = 88172645463325252ULL;
  for (size_t i = 0; i < n; i++) {
    msgs[i] = malloc(201);
    for (int k = 0; k < 200; k++) { /* xorshift: text that does not compress */
      rnd ^= rnd << 13;
      rnd ^= rnd >> 7;
      rnd ^= rnd << 17;
      msgs[i][k] = "0123456789abcdef"[rnd & 15];
    }
    msgs[i][200] = '\0';
  }
  d = synth(n, &note, NULL, 1, msgs);
  for (size_t i = 350; i < n; i++)
    d[i].severity = OMEN_SEV_ERROR;
  r = (omen_result){.diags = d, .ndiags = n};
  o.sarif_limits.max_gzip_bytes = base + 30000;
  j = sarif_of(&r, &o, &t);
  int kept = cJSON_GetArraySize(get(run_of(j), "results"));
  CHECK(t && gz_size(t) <= o.sarif_limits.max_gzip_bytes);
  CHECK(kept > 50 && kept < 400);
  errors = 0;
  for (int i = 0; i < kept; i++)
    errors += strcmp(str(at(get(run_of(j), "results"), i), "level"), "error") == 0;
  CHECK(errors == 50);
  msg = str(get(at(notes_of(j), 0), "message"), "text");
  CHECK(msg && strstr(msg, "gzip-compressed"));
  cJSON_Delete(j);
  free(t);
  /* and with room for all, all are there */
  o.sarif_limits.max_gzip_bytes = 0;
  j = sarif_of(&r, &o, &t);
  CHECK(cJSON_GetArraySize(get(run_of(j), "results")) == 400 && notes_of(j) == NULL);
  cJSON_Delete(j);
  free(t);
  for (size_t i = 0; i < n; i++)
    free(msgs[i]);
  free(msgs);
  free(d);
}

static void test_formats(void) {
  omen_format f;
  CHECK(omen_format_parse("sarif", &f) && f == OMEN_FORMAT_SARIF);
  CHECK(omen_format_parse("json", &f) && f == OMEN_FORMAT_JSON);
  CHECK(omen_format_parse("text", &f) && f == OMEN_FORMAT_TEXT);
  CHECK(!omen_format_parse("xml", &f));
  static const char *const names[] = {"text", "json", "sarif", "github", "gitlab", "checkstyle"};
  for (int k = OMEN_FORMAT_TEXT; k <= OMEN_FORMAT_CHECKSTYLE; k++) {
    CHECK(omen_format_parse(names[k], &f) && f == (omen_format)k);
    CHECK_STR(omen_format_name((omen_format)k), names[k]);
  }

  /* a diagnostic without a rule breaks an invariant: an error, not a crash */
  omen_diag d = {0};
  omen_result r = {0};
  r.diags = &d;
  r.ndiags = 1;
  omen_output_opts o = {0};
  omen_status st;
  for (int k = OMEN_FORMAT_TEXT; k <= OMEN_FORMAT_CHECKSTYLE; k++) {
    free(render((omen_format)k, &r, &o, &st));
    CHECK(st == OMEN_EINTERNAL);
  }
}

/* a full disk is an I/O error, not silence */
static void test_write_error(const omen_result *r) {
  omen_output_opts o = {0};
  for (int k = OMEN_FORMAT_TEXT; k <= OMEN_FORMAT_CHECKSTYLE; k++) {
    FILE *f = fopen("/dev/full", "w");
    if (!f)
      return;
    CHECK(omen_write((omen_format)k, f, r, &o) == OMEN_EIO);
    fclose(f);
  }
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  omen_result r;
  build(&r);
  test_text(&r);
  test_json(&r);
  test_sarif(&r);
  test_github(&r);
  test_gitlab(&r);
  test_gitlab_fingerprints();
  test_checkstyle(&r);
  test_sarif_limits();
  test_formats();
  test_write_error(&r);
  omen_result_free(&r);
  return check_done();
}
