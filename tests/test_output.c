/* test_output.c - the text, JSON and SARIF writers on a hand-built result. With OMEN_SARIF_OUT set,
 * also writes the SARIF to that file (tests/sarif-schema.test.sh validates it against the schema). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void build(omen_result *r) {
  memset(r, 0, sizeof *r);
  r->diags = calloc(4, sizeof *r->diags);
  r->snapshots = calloc(2, sizeof *r->snapshots);
  if (!r->diags || !r->snapshots)
    exit(2);
  r->ndiags = 4;

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

  r->snapshots[0] = (omen_snapshot){xdup("a.go"), xdup(a_text), (uint32_t)strlen(a_text)};
  r->snapshots[1] = (omen_snapshot){xdup("dir/\xC3\xA9 x.go"), xdup(u_text), (uint32_t)strlen(u_text)};
  r->nsnapshots = 2;
  r->count[OMEN_SEV_ERROR] = 2;
  r->count[OMEN_SEV_WARNING] = 1;
  r->count[OMEN_SEV_NOTE] = 1;
  r->nfiles = 3;
  r->nunits = 3;
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
               "/outside/x.c:5:1: error: custom \xFF\\x1b[31m [thread-test/custom]\n"
               "4 findings (2 errors, 1 warning, 1 note) in 3 files\n");
  free(t);

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
  omen_output_opts o = {0};
  omen_status st;
  char *t = render(OMEN_FORMAT_JSON, r, &o, &st);
  CHECK(st == OMEN_OK);
  cJSON *j = cJSON_Parse(t);
  CHECK(j != NULL);
  CHECK(num(j, "version") == 1);
  CHECK_STR(str(get(j, "tool"), "name"), "omen");
  CHECK_STR(str(get(j, "tool"), "version"), OMEN_VERSION);
  const cJSON *sum = get(j, "summary");
  CHECK(num(sum, "files") == 3 && num(sum, "units") == 3);
  CHECK(num(sum, "errors") == 2 && num(sum, "warnings") == 1 && num(sum, "notes") == 1);
  const cJSON *ds = get(j, "diagnostics");
  CHECK(cJSON_GetArraySize(ds) == 4);

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
  omen_output_opts o = {.exit_code = 1};
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
  CHECK(num(at(get(run, "invocations"), 0), "exitCode") == 1);
  CHECK(cJSON_IsTrue(get(at(get(run, "invocations"), 0), "executionSuccessful")));

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
  CHECK(cJSON_GetArraySize(get(props, "tags")) == 2);
  CHECK_STR(at(get(props, "tags"), 0)->valuestring, "reliability");
  CHECK_STR(at(get(props, "tags"), 1)->valuestring, "omen");
  rule = find_rule(rules, custom_rule.id, &cidx);
  CHECK(cidx == (int)nall);
  CHECK_STR(str(get(rule, "defaultConfiguration"), "level"), "error");
  CHECK_STR(str(get(rule, "properties"), "precision"), "low");
  CHECK_STR(at(get(get(rule, "properties"), "tags"), 0)->valuestring, "concurrency");
  md = str(get(rule, "help"), "markdown");
  CHECK(md && strstr(md, "````c\nx ```y``` z\n````")); /* the fence outgrows the code's backticks */

  const cJSON *res = get(run, "results");
  CHECK(cJSON_GetArraySize(res) == 4);
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
  const char *f2 = str(get(x2, "partialFingerprints"), "omenFingerprint/v1");
  const char *f3 = str(get(x3, "partialFingerprints"), "omenFingerprint/v1");
  const char *f0 = str(get(at(res, 0), "partialFingerprints"), "omenFingerprint/v1");
  CHECK(f2 && f3 && f0 && strlen(f2) == 18 && strlen(f3) == 18);
  CHECK(f2 && f3 && strncmp(f2, f3, 16) == 0 && strcmp(f2 + 16, ":1") == 0 && strcmp(f3 + 16, ":2") == 0);
  CHECK(f0 && f2 && strncmp(f0, f2, 16) != 0);

  /* the fingerprint does not depend on the line: it survives edits above the finding */
  omen_result moved = *r;
  omen_diag d0 = r->diags[0];
  d0.loc.start_pos.line += 10;
  moved.diags = &d0;
  moved.ndiags = 1;
  char *t2 = render(OMEN_FORMAT_SARIF, &moved, &o, &st);
  cJSON *j2 = cJSON_Parse(t2);
  CHECK_STR(
      str(get(at(get(at(get(j2, "runs"), 0), "results"), 0), "partialFingerprints"), "omenFingerprint/v1"),
      f0);
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

static void test_formats(void) {
  omen_format f;
  CHECK(omen_format_parse("sarif", &f) && f == OMEN_FORMAT_SARIF);
  CHECK(omen_format_parse("json", &f) && f == OMEN_FORMAT_JSON);
  CHECK(omen_format_parse("text", &f) && f == OMEN_FORMAT_TEXT);
  CHECK(!omen_format_parse("xml", &f));

  /* a diagnostic without a rule breaks an invariant: an error, not a crash */
  omen_diag d = {0};
  omen_result r = {0};
  r.diags = &d;
  r.ndiags = 1;
  omen_output_opts o = {0};
  omen_status st;
  for (int k = OMEN_FORMAT_TEXT; k <= OMEN_FORMAT_SARIF; k++) {
    free(render((omen_format)k, &r, &o, &st));
    CHECK(st == OMEN_EINTERNAL);
  }
}

/* a full disk is an I/O error, not silence */
static void test_write_error(const omen_result *r) {
  omen_output_opts o = {0};
  for (int k = OMEN_FORMAT_TEXT; k <= OMEN_FORMAT_SARIF; k++) {
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
  test_formats();
  test_write_error(&r);
  omen_result_free(&r);
  return check_done();
}
