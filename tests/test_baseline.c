/* test_baseline.c - fingerprints, baselines (JSON and SARIF, hand-written and written by omen's own
 * writers) and the lines changed since a git revision, in a repository the test makes. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "check.h"
#include "output.h"
#include "reader.h"

static const omen_rule rule_a = {.id = "fam/alpha", .summary = "a", .lang = "go"};
static const omen_rule rule_b = {.id = "fam/beta", .summary = "b", .lang = "go"};
static const omen_rule rule_x_a = {.id = "x/a", .summary = "x", .lang = "go"};
static const omen_rule rule_x_ab = {.id = "x/ab", .summary = "x", .lang = "go"};
static const omen_rule rule_engine = {.id = "omen/syntax-error", .summary = "e", .lang = "any"};

static void die(const char *what) {
  fprintf(stderr, "test_baseline: %s: %s\n", what, strerror(errno));
  exit(2);
}

static char *xdup(const char *s) {
  char *p = strdup(s);
  if (!p)
    die("strdup");
  return p;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0)
    die(path);
}

static void write_bytes(const char *path, const char *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0)
    die(path);
}

static void sh(const char *cmd) {
  if (system(cmd) != 0) {
    fprintf(stderr, "test_baseline: command failed: %s\n", cmd);
    exit(2);
  }
}

/* A diagnostic of rule r at line of path, its fingerprints computed from text. */
static omen_diag mk(const omen_rule *r, const char *path, const char *text, uint32_t line, const char *scope,
                    const char *msg) {
  omen_diag d;
  memset(&d, 0, sizeof d);
  d.rule = r;
  d.message = xdup(msg);
  d.loc.path = xdup(path);
  d.loc.start_pos = (omen_pos){line, 1, 1};
  d.loc.end_pos = (omen_pos){line, 2, 2};
  d.scope = scope ? xdup(scope) : NULL;
  omen_file *f = text ? omen_file_new(path, text, strlen(text)) : NULL;
  if (text && !f)
    die("omen_file_new");
  omen_diag_fingerprint(&d, f);
  omen_file_free(f);
  return d;
}

typedef struct fps {
  char fp[17], lfp[17];
} fps;

static fps fp_of(const omen_rule *r, const char *scope, const char *text, uint32_t line) {
  omen_diag d = mk(r, "f.go", text, line, scope, "m");
  fps out;
  memcpy(out.fp, d.fingerprint, 17);
  memcpy(out.lfp, d.line_fingerprint, 17);
  omen_diag_clear(&d);
  return out;
}

static bool is_hex16(const char *s) {
  if (strlen(s) != 16)
    return false;
  for (int i = 0; i < 16; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

/* The documented formula, written out independently (docs/baselines.md). */
static uint64_t ref_field(uint64_t h, const char *s, size_t n) {
  unsigned char len[8];
  for (int i = 0; i < 8; i++)
    len[i] = (unsigned char)((uint64_t)n >> (8 * i));
  for (int i = 0; i < 8; i++)
    h = (h ^ len[i]) * 0x100000001b3ULL;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
  return h;
}

static void test_fingerprint_formula(void) {
  const char *text = "package p\n\tx  :=\t1\t\nfoo( )\n";
  fps got = fp_of(&rule_a, "main", text, 2);
  uint64_t h = 0xcbf29ce484222325ULL;
  h = ref_field(h, "fam/alpha", 9);
  h = ref_field(h, "main", 4);
  uint64_t lh = ref_field(h, "x := 1", 6);
  h = ref_field(h, "package p", 9);
  h = ref_field(h, "x := 1", 6);
  h = ref_field(h, "foo( )", 6);
  char want[17], wantl[17];
  snprintf(want, sizeof want, "%016llx", (unsigned long long)h);
  snprintf(wantl, sizeof wantl, "%016llx", (unsigned long long)lh);
  CHECK_STR(got.fp, want);
  CHECK_STR(got.lfp, wantl);
  CHECK(is_hex16(got.fp) && is_hex16(got.lfp));
}

static void test_fingerprint_stability(void) {
  const char *base = "package p\n\nfunc f() {\n\tresp, _ := http.Get(u)\n\tuse(resp)\n}\n\nfunc g() {}\n";
  fps a = fp_of(&rule_a, "f", base, 4);
  CHECK(is_hex16(a.fp) && is_hex16(a.lfp));
  CHECK(strcmp(a.fp, a.lfp) != 0);

  /* lines inserted above: the finding moves to line 7, both fingerprints stay */
  const char *shifted = "package p\n\nimport \"x\"\nvar y = 1\n\nfunc f() {\n\tresp, _ := "
                        "http.Get(u)\n\tuse(resp)\n}\n\nfunc g() {}\n";
  fps b = fp_of(&rule_a, "f", shifted, 7);
  CHECK_STR(b.fp, a.fp);
  CHECK_STR(b.lfp, a.lfp);

  /* re-indented (spaces, tabs, runs, trailing blanks, CRLF) */
  const char *reindent =
      "package p\n\nfunc f() {  \r\n        resp,   _ :=\thttp.Get(u)   \r\n  use(resp)\r\n}\n";
  fps c = fp_of(&rule_a, "f", reindent, 4);
  CHECK_STR(c.fp, a.fp);
  CHECK_STR(c.lfp, a.lfp);

  /* an unrelated line (two away) changed */
  const char *unrelated =
      "package p\n\nfunc f() {\n\tresp, _ := http.Get(u)\n\tuse(resp)\n} // done\n\nfunc g() {}\n";
  fps d = fp_of(&rule_a, "f", unrelated, 4);
  CHECK_STR(d.fp, a.fp);
  CHECK_STR(d.lfp, a.lfp);

  /* a neighbour edited: the fingerprint changes, the line fingerprint does not */
  const char *neighbour = "package p\n\nfunc f() {\n\tresp, _ := http.Get(u)\n\tuse2(resp)\n}\n";
  fps e = fp_of(&rule_a, "f", neighbour, 4);
  CHECK(strcmp(e.fp, a.fp) != 0);
  CHECK_STR(e.lfp, a.lfp);
  const char *above = "package p\n\nfunc f() { // x\n\tresp, _ := http.Get(u)\n\tuse(resp)\n}\n";
  fps e2 = fp_of(&rule_a, "f", above, 4);
  CHECK(strcmp(e2.fp, a.fp) != 0);
  CHECK_STR(e2.lfp, a.lfp);

  /* the line itself edited: both change */
  const char *self = "package p\n\nfunc f() {\n\tresp, _ := http.Get(url)\n\tuse(resp)\n}\n";
  fps f = fp_of(&rule_a, "f", self, 4);
  CHECK(strcmp(f.fp, a.fp) != 0);
  CHECK(strcmp(f.lfp, a.lfp) != 0);

  /* another rule, another scope: both change; no scope is the empty scope */
  fps g = fp_of(&rule_b, "f", base, 4);
  CHECK(strcmp(g.fp, a.fp) != 0 && strcmp(g.lfp, a.lfp) != 0);
  fps h = fp_of(&rule_a, "(*T).f", base, 4);
  CHECK(strcmp(h.fp, a.fp) != 0 && strcmp(h.lfp, a.lfp) != 0);
  fps i = fp_of(&rule_a, NULL, base, 4);
  fps j = fp_of(&rule_a, "", base, 4);
  CHECK(strcmp(i.fp, a.fp) != 0);
  CHECK_STR(i.fp, j.fp);

  /* fields do not run into each other: rule "x/a" scope "bc" is not rule "x/ab" scope "c" */
  fps k1 = fp_of(&rule_x_a, "bc", base, 4);
  fps k2 = fp_of(&rule_x_ab, "c", base, 4);
  CHECK(strcmp(k1.fp, k2.fp) != 0 && strcmp(k1.lfp, k2.lfp) != 0);
  /* nor do lines: "a b" / "" is not "a" / "b" */
  fps l1 = fp_of(&rule_a, "f", "a b\n\nz\n", 2);
  fps l2 = fp_of(&rule_a, "f", "a\nb\nz\n", 2);
  CHECK(strcmp(l1.fp, l2.fp) != 0);

  /* edges: first and last line, no trailing newline, out of range, no file */
  fps m1 = fp_of(&rule_a, "f", "only line", 1);
  fps m2 = fp_of(&rule_a, "f", "only line\n", 1);
  CHECK_STR(m1.fp, m2.fp);
  fps m3 = fp_of(&rule_a, "f", "x\ny\n", 0);
  fps m4 = fp_of(&rule_a, "f", "x\ny\n", 99);
  CHECK(is_hex16(m3.fp) && is_hex16(m4.fp));
  CHECK_STR(m3.lfp, m4.lfp); /* both lines are empty */
  omen_diag nf = mk(&rule_a, "f.go", NULL, 3, "f", "m");
  CHECK(is_hex16(nf.fingerprint));
  CHECK_STR(nf.line_fingerprint, m3.lfp);
  omen_diag_clear(&nf);
}

/* ---- baselines ---- */

static const char *const f_old = "package p\n\nfunc f() {\n\tresp, _ := http.Get(u)\n\tuse(resp)\n}\n";
/* the line after the finding edited */
static const char *const f_edit = "package p\n\nfunc f() {\n\tresp, _ := http.Get(u)\n\tuse(resp, 2)\n}\n";
/* three lines inserted above */
static const char *const f_new =
    "package p\n\nimport \"x\"\n\n\nfunc f() {\n\tresp, _ := http.Get(u)\n\tuse(resp)\n}\n";

static void free_diags(omen_diag *d, size_t n) {
  for (size_t i = 0; i < n; i++)
    omen_diag_clear(&d[i]);
}

/* Loads path, expecting success; NULL (and a failed check) otherwise. */
static omen_baseline *load_ok(const char *path) {
  char err[512] = "";
  omen_baseline *b = NULL;
  omen_status st = omen_baseline_load(path, &b, err, sizeof err);
  if (st != OMEN_OK)
    fprintf(stderr, "load %s: %s\n", path, err);
  CHECK(st == OMEN_OK && b != NULL);
  return b;
}

static void test_json_baseline(void) {
  omen_diag old = mk(&rule_a, "pkg/f.go", f_old, 4, "f", "http.Get has no timeout");
  char json[2048];
  snprintf(json, sizeof json,
           "{\"version\": 1, \"tool\": {\"name\": \"omen\"}, \"diagnostics\": ["
           "{\"rule\": \"fam/alpha\", \"message\": \"http.Get has no timeout\", \"scope\": \"f\","
           " \"fingerprint\": \"%s\", \"line_fingerprint\": \"%s\", \"suppressed\": true,"
           " \"location\": {\"path\": \"./pkg/f.go\", \"start\": {\"line\": 4}}}]}\n",
           old.fingerprint, old.line_fingerprint);
  write_file("base.json", json);
  omen_baseline *b = load_ok("base.json");
  CHECK(omen_baseline_size(b) == 1);
  CHECK(omen_baseline_unused(b) == 1);

  /* the same finding three lines lower, plus another rule's finding and one in another file */
  omen_diag v[3] = {mk(&rule_a, "pkg/f.go", f_new, 7, "f", "http.Get has no timeout"),
                    mk(&rule_b, "pkg/f.go", f_new, 7, "f", "other"),
                    mk(&rule_b, "pkg/g.go", f_new, 7, "f", "other")};
  size_t n = 3;
  CHECK(omen_baseline_filter(b, v, &n) == 1);
  CHECK(n == 2);
  CHECK(v[0].rule == &rule_b && strcmp(v[0].loc.path, "pkg/f.go") == 0);
  CHECK(v[1].rule == &rule_b && strcmp(v[1].loc.path, "pkg/g.go") == 0);
  CHECK(omen_baseline_unused(b) == 0);
  free_diags(v, n);
  omen_baseline_free(b);
  omen_diag_clear(&old);
}

/* Two identical findings, the baseline holds one: one is new. */
static void test_multiset(void) {
  const char *text = "a\nlock()\nb\nlock()\nc\n";
  omen_diag one = mk(&rule_a, "m.go", text, 2, "f", "twice");
  char json[2048];
  const char *same = "a\nlock()\na\nlock()\na\n"; /* lines 2 and 4: identical with neighbours */
  omen_diag v[2] = {mk(&rule_a, "m.go", same, 2, "f", "twice"), mk(&rule_a, "m.go", same, 4, "f", "twice")};
  CHECK_STR(v[0].fingerprint, v[1].fingerprint);
  /* a baseline holding that fingerprint once */
  snprintf(json, sizeof json,
           "{\"diagnostics\": [{\"rule\": \"fam/alpha\", \"message\": \"twice\", \"fingerprint\": \"%s\","
           " \"line_fingerprint\": \"%s\", \"location\": {\"path\": \"m.go\"}}]}",
           v[0].fingerprint, v[0].line_fingerprint);
  write_file("multi.json", json);
  omen_baseline *b = load_ok("multi.json");
  size_t n = 2;
  CHECK(omen_baseline_filter(b, v, &n) == 1);
  CHECK(n == 1 && v[0].loc.start_pos.line == 4);
  free_diags(v, n);
  /* a second filter call finds the entry used */
  omen_diag w[1] = {mk(&rule_a, "m.go", same, 2, "f", "twice")};
  n = 1;
  CHECK(omen_baseline_filter(b, w, &n) == 0 && n == 1);
  free_diags(w, n);
  omen_baseline_free(b);

  /* held twice: both go */
  snprintf(json, sizeof json,
           "{\"diagnostics\": [{\"rule\": \"fam/alpha\", \"message\": \"twice\", \"fingerprint\": \"%s\","
           " \"location\": {\"path\": \"m.go\"}}, {\"rule\": \"fam/alpha\", \"message\": \"twice\","
           " \"fingerprint\": \"%s\", \"location\": {\"path\": \"m.go\"}}]}",
           one.fingerprint, one.fingerprint);
  write_file("multi2.json", json);
  b = load_ok("multi2.json");
  omen_diag x[2] = {mk(&rule_a, "m.go", same, 2, "f", "twice"), mk(&rule_a, "m.go", same, 4, "f", "twice")};
  /* these have another fingerprint than `one` (other neighbours): nothing matches */
  n = 2;
  CHECK(omen_baseline_filter(b, x, &n) == 0 && n == 2);
  free_diags(x, n);
  omen_diag y[3] = {mk(&rule_a, "m.go", text, 2, "f", "twice"), mk(&rule_a, "m.go", text, 2, "f", "twice"),
                    mk(&rule_a, "m.go", text, 2, "f", "twice")};
  n = 3;
  CHECK(omen_baseline_filter(b, y, &n) == 2 && n == 1);
  free_diags(y, n);
  omen_baseline_free(b);
  omen_diag_clear(&one);
}

/* Fallbacks: line fingerprint in the same file, fingerprint alone in a renamed file, rule + path +
 * message without fingerprints. */
static void test_fallbacks(void) {
  omen_diag old = mk(&rule_a, "old.go", f_old, 4, "f", "leak");
  char json[4096];
  snprintf(
      json, sizeof json,
      "{\"diagnostics\": ["
      "{\"rule\": \"fam/alpha\", \"message\": \"leak\", \"fingerprint\": \"%s\", \"line_fingerprint\": "
      "\"%s\","
      " \"location\": {\"path\": \"old.go\"}},"
      "{\"rule\": \"fam/alpha\", \"message\": \"leak\", \"fingerprint\": \"%s\", \"line_fingerprint\": "
      "\"%s\","
      " \"location\": {\"path\": \"same.go\"}},"
      "{\"rule\": \"fam/alpha\", \"message\": \"leak\", \"fingerprint\": \"%s\", \"line_fingerprint\": "
      "\"%s\","
      " \"location\": {\"path\": \"other.go\"}},"
      "{\"rule\": \"fam/beta\", \"message\": \"no prints\", \"location\": {\"path\": \"legacy.go\"}},"
      "{\"rule\": \"fam/beta\", \"message\": \"no prints either\", \"location\": {\"path\": \"legacy.go\"}}"
      "]}",
      old.fingerprint, old.line_fingerprint, old.fingerprint, old.line_fingerprint, old.fingerprint,
      old.line_fingerprint);
  write_file("fallback.json", json);
  omen_baseline *b = load_ok("fallback.json");
  CHECK(omen_baseline_size(b) == 5);
  const char *reworded = "package p\n\nfunc f() {\n\tresp, _ := http.Get(u, 1)\n\tuse(resp, 2)\n}\n";
  omen_diag v[6] = {
      mk(&rule_a, "new.go", f_new, 7, "f", "leak"),         /* renamed: fingerprint alone */
      mk(&rule_a, "same.go", f_edit, 4, "f", "leak"),       /* neighbour edited: line fingerprint */
      mk(&rule_a, "else.go", f_edit, 4, "f", "leak"),       /* neighbour edited in another file: new */
      mk(&rule_a, "other.go", reworded, 4, "f", "leak"),    /* the line itself changed: new */
      mk(&rule_b, "legacy.go", f_old, 4, "f", "no prints"), /* rule + path + message */
      mk(&rule_b, "legacy.go", f_old, 5, "f", "other words"),
  };
  size_t n = 6;
  CHECK(omen_baseline_filter(b, v, &n) == 3);
  CHECK(n == 3);
  CHECK_STR(v[0].loc.path, "else.go");
  CHECK_STR(v[1].loc.path, "other.go");
  CHECK(n == 3 && strcmp(v[2].message, "other words") == 0);
  /* new.go took old.go's entry (fingerprint alone), same.go its own (line fingerprint): other.go's
   * and "no prints either" are left */
  CHECK(omen_baseline_unused(b) == 2);
  free_diags(v, n);
  omen_baseline_free(b);
  omen_diag_clear(&old);
}

/* Suppressed findings stay and take no entry. */
static void test_suppressed(void) {
  omen_diag a = mk(&rule_a, "s.go", f_old, 4, "f", "leak");
  char json[1024];
  snprintf(json, sizeof json,
           "{\"diagnostics\": [{\"rule\": \"fam/alpha\", \"message\": \"leak\", \"fingerprint\": \"%s\","
           " \"location\": {\"path\": \"s.go\"}}]}",
           a.fingerprint);
  write_file("supp.json", json);
  omen_baseline *b = load_ok("supp.json");
  omen_diag v[2] = {mk(&rule_a, "s.go", f_old, 4, "f", "leak"), mk(&rule_a, "s.go", f_old, 4, "f", "leak")};
  v[0].suppressed = true;
  size_t n = 2;
  CHECK(omen_baseline_filter(b, v, &n) == 1);
  CHECK(n == 1 && v[0].suppressed);
  free_diags(v, n);
  omen_baseline_free(b);
  omen_diag_clear(&a);
}

static void test_sarif_baseline(void) {
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd))
    die("getcwd");
  omen_diag a = mk(&rule_a, "dir x/a.go", f_old, 4, "f", "leak");
  omen_diag c = mk(&rule_b, "c.go", f_old, 5, "f", "see [docs](https://x) now");
  omen_diag e = mk(&rule_b, "e.go", f_old, 5, "f", "by index");
  char *sarif = malloc(16384);
  if (!sarif)
    die("malloc");
  /* run 1: a relative URI with a base id and fingerprints; an absolute file URI with %20 and an
   * authority; a result with no location; a message with escaped brackets and no fingerprints;
   * a rule given by index and a location by artifact index. Run 2: another tool. */
  snprintf(
      sarif, 16384,
      "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\", \"runs\": [{"
      "\"tool\": {\"driver\": {\"name\": \"omen\", \"rules\": [{\"id\": \"fam/alpha\"}, {\"id\": "
      "\"fam/beta\"}]}},"
      "\"originalUriBaseIds\": {\"SRCROOT\": {\"uri\": \"file:///elsewhere/\"}},"
      "\"artifacts\": [{\"location\": {\"uri\": \"e.go\"}}],"
      "\"results\": ["
      "{\"ruleId\": \"fam/alpha\", \"message\": {\"text\": \"leak\"}, \"locations\": [{\"physicalLocation\":"
      " {\"artifactLocation\": {\"uri\": \"dir%%20x/a.go\", \"uriBaseId\": \"SRCROOT\"}}}],"
      " \"partialFingerprints\": {\"omen/v1\": \"%s\", \"omenLine/v1\": \"%s\"},"
      " \"suppressions\": [{\"kind\": \"inSource\"}]},"
      "{\"ruleId\": \"fam/alpha\", \"message\": {\"text\": \"leak\"}, \"locations\": [{\"physicalLocation\":"
      " {\"artifactLocation\": {\"uri\": \"file://localhost%s/dir%%20x/b.go\"}}}],"
      " \"partialFingerprints\": {\"omen/v1\": \"%s\", \"omenLine/v1\": \"%s\"}},"
      "{\"ruleId\": \"fam/alpha\", \"message\": {\"text\": \"project-wide\"}},"
      "{\"ruleId\": \"fam/beta\", \"message\": {\"text\": \"see \\\\[docs\\\\](https://x) now\"},"
      " \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"./c.go\"}}}]},"
      "{\"ruleIndex\": 1, \"message\": {\"text\": \"by index\"},"
      " \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"index\": 0}}}]}"
      "]}, {\"tool\": {\"driver\": {\"name\": \"other\"}}, \"results\": [{\"ruleId\": \"z\","
      " \"message\": {\"text\": \"z\"}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\":"
      " {\"uri\": \"z.go\"}}}], \"partialFingerprints\": {\"omen/v1\": \"not-hex\"}}]}]}",
      a.fingerprint, a.line_fingerprint, cwd, a.fingerprint, a.line_fingerprint);
  write_file("base.sarif", sarif);
  free(sarif);
  omen_baseline *b = load_ok("base.sarif");
  CHECK(omen_baseline_size(b) == 5); /* the result without a location is left out */
  /* the first two match by path and line fingerprint only, so the paths must be decoded right */
  omen_diag v[6] = {
      mk(&rule_a, "dir x/a.go", f_edit, 4, "f", "leak"),
      mk(&rule_a, "dir x/b.go", f_edit, 4, "f", "leak"),
      mk(&rule_b, "c.go", f_new, 8, "f", "see [docs](https://x) now"),
      mk(&rule_b, "e.go", f_new, 8, "f", "by index"),
      mk(&rule_b, "z.go", f_new, 8, "f", "z"),
      mk(&rule_a, "dir x/a.go", f_new, 7, "f", "leak"), /* unchanged but for lines above */
  };
  size_t n = 6;
  CHECK(omen_baseline_filter(b, v, &n) == 4);
  /* the exact copy in a.go took its entry first: the edited one is new */
  CHECK(n == 2);
  CHECK(strcmp(v[0].loc.path, "dir x/a.go") == 0 && v[0].loc.start_pos.line == 4);
  CHECK_STR(v[1].loc.path, "z.go");
  free_diags(v, n);
  omen_baseline_free(b);
  omen_diag_clear(&a);
  omen_diag_clear(&c);
  omen_diag_clear(&e);
}

/* Reports written by omen's own writers load and match what they were written from. */
static void test_round_trip(void) {
  omen_result r;
  memset(&r, 0, sizeof r);
  omen_diag v[3] = {mk(&rule_a, "rt/a.go", f_old, 4, "f", "leak"),
                    mk(&rule_a, "rt/a.go", f_old, 4, "f", "leak"),
                    mk(&rule_b, "rt/b.go", f_old, 5, NULL, "see [x](y)")};
  v[1].suppressed = true; /* counts in a baseline like the others */
  v[1].suppress_reason = xdup("reviewed");
  r.diags = v;
  r.ndiags = 3;
  r.count[OMEN_SEV_NOTE] = 2;
  r.nsuppressed = 1;
  const char *names[2] = {"rt.json", "rt.sarif"};
  for (int k = 0; k < 2; k++) {
    FILE *f = fopen(names[k], "wb");
    if (!f)
      die(names[k]);
    omen_output_opts o;
    memset(&o, 0, sizeof o);
    CHECK((k == 0 ? omen_write_json(f, &r, &o) : omen_write_sarif(f, &r, &o)) == OMEN_OK);
    fclose(f);
    omen_baseline *b = load_ok(names[k]);
    CHECK(omen_baseline_size(b) == 3);
    /* the same findings after lines were inserted above them, with a reworded message (so that
     * only fingerprints can match them) */
    omen_diag w[4] = {
        mk(&rule_a, "rt/a.go", f_new, 7, "f", "leak!"), mk(&rule_a, "rt/a.go", f_new, 7, "f", "leak!"),
        mk(&rule_a, "rt/a.go", f_new, 7, "f", "leak!"), mk(&rule_b, "rt/b.go", f_new, 8, NULL, "see [x](y)")};
    size_t n = 4;
    CHECK(omen_baseline_filter(b, w, &n) == 3);
    CHECK(n == 1 && w[0].rule == &rule_a);
    free_diags(w, n);
    omen_baseline_free(b);
  }
  free_diags(v, 3);
}

static void expect_error(const char *path, omen_status want, const char *fragment) {
  char err[512] = "";
  omen_baseline *b = (omen_baseline *)&err; /* must be reset to NULL */
  omen_status st = omen_baseline_load(path, &b, err, sizeof err);
  CHECK(st == want);
  CHECK(b == NULL);
  CHECK(strncmp(err, path, strlen(path)) == 0);
  if (!strstr(err, fragment))
    fprintf(stderr, "%s: got error \"%s\", want it to contain \"%s\"\n", path, err, fragment);
  CHECK(strstr(err, fragment) != NULL);
}

static void test_bad_baselines(void) {
  expect_error("missing.json", OMEN_EIO, "No such file");
  if (mkdir("adir", 0755) != 0 && errno != EEXIST)
    die("mkdir");
  expect_error("adir", OMEN_EUSAGE, "directory");
  write_file("empty.json", "");
  expect_error("empty.json", OMEN_EUSAGE, "not an omen JSON or SARIF report");
  write_file("text.json", "{\"diagnostics\": [\n  {\"rule\": oops}]}");
  expect_error("text.json", OMEN_EUSAGE, "text.json:2:");
  write_file("trunc.json", "{\"diagnostics\": [{\"rule\": \"a/b\", \"location\": {\"path\"");
  expect_error("trunc.json", OMEN_EUSAGE, "not valid JSON");
  write_file("binary.json", "\x7f"
                            "ELF\x01\x02\xff\xfe");
  expect_error("binary.json", OMEN_EUSAGE, "not valid JSON");
  write_file("array.json", "[1, 2]");
  expect_error("array.json", OMEN_EUSAGE, "not an omen JSON or SARIF report");
  write_file("other.json", "{\"issues\": []}");
  expect_error("other.json", OMEN_EUSAGE, "not an omen JSON or SARIF report");
  write_file("diagobj.json", "{\"diagnostics\": {}}");
  expect_error("diagobj.json", OMEN_EUSAGE, "not an omen JSON or SARIF report");
  write_file("norule.json", "{\"diagnostics\": [{\"message\": \"m\", \"location\": {\"path\": \"a.go\"}}]}");
  expect_error("norule.json", OMEN_EUSAGE, "diagnostics[0]");
  write_file("old.sarif", "{\"version\": \"2.0.0\", \"runs\": []}");
  expect_error("old.sarif", OMEN_EUSAGE, "2.0.0");
  /* deeply nested */
  size_t depth = 200000;
  char *deep = malloc(2 * depth + 1);
  if (!deep)
    die("malloc");
  memset(deep, '[', depth);
  memset(deep + depth, ']', depth);
  deep[2 * depth] = '\0';
  write_file("deep.json", deep);
  free(deep);
  expect_error("deep.json", OMEN_EUSAGE, "not valid JSON");
  /* over 256 MiB (sparse) */
  int fd = open("huge.json", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || ftruncate(fd, ((off_t)256 << 20) + 1) != 0 || close(fd) != 0)
    die("huge.json");
  expect_error("huge.json", OMEN_ELIMIT, "256 MiB");
  unlink("huge.json");
  /* an empty report is fine */
  write_file("none.json", "\xEF\xBB\xBF{\"version\": 1, \"diagnostics\": []}");
  omen_baseline *b = load_ok("none.json");
  CHECK(omen_baseline_size(b) == 0);
  omen_diag v[1] = {mk(&rule_a, "a.go", f_old, 4, "f", "m")};
  size_t n = 1;
  CHECK(omen_baseline_filter(b, v, &n) == 0 && n == 1);
  free_diags(v, n);
  omen_baseline_free(b);
}

/* ---- changed lines ---- */

static char top[4096];

static void git_env(void) {
  setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
  setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  setenv("GIT_AUTHOR_NAME", "omen test", 1);
  setenv("GIT_AUTHOR_EMAIL", "test@example.com", 1);
  setenv("GIT_COMMITTER_NAME", "omen test", 1);
  setenv("GIT_COMMITTER_EMAIL", "test@example.com", 1);
  unsetenv("GIT_DIR");
  unsetenv("GIT_WORK_TREE");
  unsetenv("GIT_INDEX_FILE");
}

/* Every line 1..max of path is changed exactly when it is in want (0-terminated). */
static void expect_lines(const omen_changes *c, const char *path, uint32_t max, const uint32_t *want) {
  for (uint32_t line = 0; line <= max; line++) {
    bool in = false;
    for (const uint32_t *w = want; *w; w++)
      in = in || *w == line;
    bool got = omen_changes_has(c, path, line);
    if (got != in)
      fprintf(stderr, "%s:%u: changed is %d, want %d\n", path, line, got, in);
    CHECK(got == in);
  }
}

static omen_changes *changes_ok(const char *rev) {
  char err[512] = "";
  omen_changes *c = NULL;
  omen_status st = omen_changes_since(rev, &c, err, sizeof err);
  if (st != OMEN_OK)
    fprintf(stderr, "changes since %s: %s\n", rev, err);
  CHECK(st == OMEN_OK && c != NULL);
  return c;
}

static void changes_error(const char *rev, omen_status want, const char *fragment) {
  char err[512] = "";
  omen_changes *c = (omen_changes *)&err;
  omen_status st = omen_changes_since(rev, &c, err, sizeof err);
  CHECK(st == want);
  CHECK(c == NULL);
  if (!strstr(err, fragment))
    fprintf(stderr, "--new-from-rev %s: got error \"%s\", want it to contain \"%s\"\n", rev, err, fragment);
  CHECK(strstr(err, fragment) != NULL);
}

static void test_changes(const char *tmp) {
  git_env();
  snprintf(top, sizeof top, "%s/repo", tmp);
  if (mkdir(top, 0755) != 0 || chdir(top) != 0)
    die(top);
  if (!getcwd(top, sizeof top))
    die("getcwd");
  sh("git init -q . && git config commit.gpgsign false");
  write_file("a.go", "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n");
  if (mkdir("dir with space", 0755) != 0)
    die("mkdir");
  write_file("dir with space/b.go", "b1\nb2\nb3\nb4\nb5\n");
  write_file("old.go", "o1\no2\no3\no4\no5\no6\no7\no8\no9\no10\n");
  write_file("q\"t.go", "q1\nq2\n");
  write_file("\xC3\xA9.go", "e1\n");
  write_file("del.go", "d1\nd2\n");
  write_bytes("bin.dat", "\x01\x00\x02\n", 4);
  write_file("nonl.go", "x\ny");
  write_file(".gitignore", "*.log\n");
  /* an added line in the content that looks like a file header */
  write_file("tricky.go", "t1\nt2\nt3\nt4\nt5\n");
  sh("git add -A && git commit -q -m base");

  /* a.go: line 1 deleted, l3 changed (now line 2), two lines after l7 (now 7 and 8) */
  write_file("a.go", "l2\nL3x\nl4\nl5\nl6\nl7\nn1\nn2\nl8\nl9\nl10\n");
  write_file("dir with space/b.go", "b1\nb2\nb3\nb4\nb5\nb6\n");
  sh("git add -A && git commit -q -m second");
  sh("git mv old.go new.go");
  write_file("new.go", "o1\no2\no3\no4\no5\no6\no7\no8\no9\nten\n");
  write_file("q\"t.go", "q1\nq2\nq3\n");
  write_file("\xC3\xA9.go", "E1\n");
  sh("git rm -q del.go");
  write_bytes("bin.dat", "\x01\x00\x03\n\x04\n", 6);
  write_file("nonl.go", "x\ny\nz");
  write_file("tricky.go", "t1\n++ b/a.go\nt2\nt3\nt4\nt5x\n");
  write_file("new file.go", "u1\nu2\nu3\n");
  write_file("x.log", "ignored\n");
  if (mkdir("sub", 0755) != 0)
    die("mkdir");
  write_file("sub/s.go", "s1\n");

  omen_changes *c = changes_ok("HEAD~1");
  if (c) {
    expect_lines(c, "a.go", 12, (const uint32_t[]){2, 7, 8, 0});
    expect_lines(c, "./a.go", 12, (const uint32_t[]){2, 7, 8, 0});
    expect_lines(c, "dir with space/b.go", 7, (const uint32_t[]){6, 0});
    expect_lines(c, "new.go", 11, (const uint32_t[]){10, 0});
    expect_lines(c, "old.go", 11, (const uint32_t[]){0});
    expect_lines(c, "q\"t.go", 4, (const uint32_t[]){3, 0});
    expect_lines(c, "\xC3\xA9.go", 2, (const uint32_t[]){1, 0});
    expect_lines(c, "del.go", 3, (const uint32_t[]){0});
    expect_lines(c, "bin.dat", 3, (const uint32_t[]){0});
    expect_lines(c, "nonl.go", 4, (const uint32_t[]){2, 3, 0});
    expect_lines(c, "tricky.go", 7, (const uint32_t[]){2, 6, 0});
    expect_lines(c, "x.log", 2, (const uint32_t[]){0});
    CHECK(omen_changes_has(c, "new file.go", 1) && omen_changes_has(c, "new file.go", 3));
    CHECK(omen_changes_has(c, "new file.go", 100000));
    CHECK(omen_changes_has(c, "sub/s.go", 1));
    CHECK(!omen_changes_has(c, "missing.go", 1));
    CHECK(!omen_changes_has(c, "a.g", 2) && !omen_changes_has(c, "a.go/", 2));

    /* the filter: findings on changed lines stay, engine and suppressed findings stay */
    omen_diag v[6] = {mk(&rule_a, "a.go", NULL, 1, "f", "old line"),
                      mk(&rule_a, "a.go", NULL, 2, "f", "changed"),
                      mk(&rule_engine, "a.go", NULL, 1, NULL, "engine"),
                      mk(&rule_a, "a.go", NULL, 3, "f", "suppressed"),
                      mk(&rule_a, "new file.go", NULL, 9, "f", "untracked"),
                      mk(&rule_a, "zz.go", NULL, 1, "f", "elsewhere")};
    v[3].suppressed = true;
    size_t n = 6;
    CHECK(omen_changes_filter(c, v, &n) == 2);
    CHECK(n == 4);
    CHECK_STR(v[0].message, "changed");
    CHECK_STR(v[1].message, "engine");
    CHECK_STR(v[2].message, "suppressed");
    CHECK_STR(v[3].message, "untracked");
    free_diags(v, n);
  }
  omen_changes_free(c);

  /* since HEAD: b.go's committed line is no longer new */
  c = changes_ok("HEAD");
  if (c) {
    expect_lines(c, "dir with space/b.go", 7, (const uint32_t[]){0});
    expect_lines(c, "a.go", 12, (const uint32_t[]){0});
    expect_lines(c, "new.go", 11, (const uint32_t[]){10, 0});
  }
  omen_changes_free(c);

  /* from a subdirectory: paths under it are relative to it, the others absolute */
  if (chdir("dir with space") != 0)
    die("chdir");
  c = changes_ok("HEAD~1");
  if (c) {
    char abs[4200];
    expect_lines(c, "b.go", 7, (const uint32_t[]){6, 0});
    snprintf(abs, sizeof abs, "%s/a.go", top);
    expect_lines(c, abs, 12, (const uint32_t[]){2, 7, 8, 0});
    snprintf(abs, sizeof abs, "%s/new file.go", top);
    CHECK(omen_changes_has(c, abs, 2));
    CHECK(!omen_changes_has(c, "a.go", 2));
  }
  omen_changes_free(c);
  if (chdir(top) != 0)
    die("chdir");

  changes_error("nope", OMEN_EUSAGE, "bad revision 'nope'");
  changes_error("-p", OMEN_EUSAGE, "not a git revision");
  changes_error("", OMEN_EUSAGE, "not a git revision");
  changes_error("HEAD~1..HEAD", OMEN_EUSAGE, "is a range");

  /* not a repository */
  char plain[4200];
  snprintf(plain, sizeof plain, "%s/plain", tmp);
  setenv("GIT_CEILING_DIRECTORIES", tmp, 1);
  if (mkdir(plain, 0755) != 0 || chdir(plain) != 0)
    die(plain);
  changes_error("HEAD", OMEN_EUSAGE, "not a git repository");
  /* no git */
  const char *path = getenv("PATH");
  char *saved = xdup(path ? path : "/usr/bin:/bin");
  setenv("PATH", plain, 1);
  changes_error("HEAD", OMEN_EIO, "cannot run git");
  setenv("PATH", saved, 1);
  free(saved);
  if (chdir(tmp) != 0)
    die("chdir");
}

int main(void) {
  char tmp[] = "/tmp/omen-test-baseline-XXXXXX";
  if (!mkdtemp(tmp))
    die("mkdtemp");
  char start[4096];
  if (!getcwd(start, sizeof start) || chdir(tmp) != 0)
    die("chdir");
  test_fingerprint_formula();
  test_fingerprint_stability();
  test_json_baseline();
  test_multiset();
  test_fallbacks();
  test_suppressed();
  test_sarif_baseline();
  test_round_trip();
  test_bad_baselines();
  test_changes(tmp);
  if (chdir(start) != 0)
    die("chdir");
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  sh(cmd);
  return check_done();
}
