/* test_rulepack.c - rule files: every loader error with its position, predicates, structural
 * conditions, templates, limits (catastrophic regexes, huge and deep files, alias bombs), and a
 * Go, a C and a C++ match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "rulepack.h"

static char err[2048];

/* A rule file with one rule: HEAD is the lines after "- id: ...", each indented by 4. */
#define RULE(lang, rest)                                                                                     \
  "rules:\n"                                                                                                 \
  "  - id: t/r\n"                                                                                            \
  "    language: " lang "\n"                                                                                 \
  "    severity: warning\n"                                                                                  \
  "    confidence: high\n" rest

/* text must fail to load with err starting with "r.yml:POS: " (or "r.yml: " when pos is NULL) and
 * containing want. */
#define ERR(text, pos, want) check_err(__LINE__, text, strlen(text), pos, want)
static void check_err(int line, const char *text, size_t len, const char *pos, const char *want) {
  omen_pack *pk = omen_pack_new();
  omen_status s = omen_pack_load_text(pk, "r.yml", text, len, err, sizeof err);
  char prefix[64];
  snprintf(prefix, sizeof prefix, pos ? "r.yml:%s: " : "r.yml: ", pos);
  bool ok = s != OMEN_OK && omen_pack_nrules(pk) == 0 && strncmp(err, prefix, strlen(prefix)) == 0 &&
            strstr(err, want);
  if (!ok)
    fprintf(stderr, "test_rulepack.c:%d: want '%s...%s', got status %d: %s\n", line, prefix, want, s, err);
  CHECK(ok);
  omen_pack_free(pk);
}

typedef struct hits {
  size_t n;
  char msg[512], fix[512], fixmsg[256];
  uint32_t start, fix_start, fix_end;
} hits;

static omen_status on_hit(void *ctx, const omen_pack_hit *h) {
  hits *x = ctx;
  if (x->n++ == 0) {
    snprintf(x->msg, sizeof x->msg, "%s", h->message);
    x->start = h->start;
    if (h->has_fix) {
      snprintf(x->fix, sizeof x->fix, "%s", h->fix_text);
      snprintf(x->fixmsg, sizeof x->fixmsg, "%s", h->fix_message);
      x->fix_start = h->fix_start;
      x->fix_end = h->fix_end;
    }
  }
  return OMEN_OK;
}

/* Loads yml, runs it on src in lang; returns the hits (n = SIZE_MAX when the rule did not load). */
static hits run(const char *yml, unsigned lang, const char *src, omen_pack_stats *st) {
  hits h = {0};
  omen_pack *pk = omen_pack_new();
  if (omen_pack_load_text(pk, "r.yml", yml, strlen(yml), err, sizeof err) != OMEN_OK ||
      omen_pack_compile(pk, err, sizeof err) != OMEN_OK) {
    fprintf(stderr, "load: %s\n", err);
    omen_pack_free(pk);
    h.n = SIZE_MAX;
    return h;
  }
  TSParser *p = ts_parser_new();
  ts_parser_set_language(p, omen_pack_language(lang));
  TSTree *t = ts_parser_parse_string(p, NULL, src, (uint32_t)strlen(src));
  omen_pack_match(pk, lang, ts_tree_root_node(t), src, (uint32_t)strlen(src), on_hit, &h, st);
  ts_tree_delete(t);
  ts_parser_delete(p);
  omen_pack_free(pk);
  return h;
}

static size_t count(const char *yml, unsigned lang, const char *src) { return run(yml, lang, src, NULL).n; }

#define Q_AFTER                                                                                              \
  "    query: |\n"                                                                                           \
  "      (call_expression\n"                                                                                 \
  "        function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)) "       \
  "@call\n"                                                                                                  \
  "      (#eq? @pkg \"time\")\n"                                                                             \
  "      (#eq? @fn \"After\")\n"                                                                             \
  "    report: call\n"

static const char go_src[] = "package p\n"
                             "\n"
                             "import \"time\"\n"
                             "\n"
                             "func f(c chan int) {\n"
                             "\tfor {\n"
                             "\t\tselect {\n"
                             "\t\tcase <-c:\n"
                             "\t\tcase <-time.After(time.Second):\n"
                             "\t\t}\n"
                             "\t}\n"
                             "}\n";

static void test_errors(void) {
  ERR("rules:\n  - id: t/r\n    langauge: go\n", "3:5", "unknown key 'langauge' in a rule");
  ERR("rulez: []\n", "1:1", "unknown key 'rulez' at the top level");
  ERR(RULE("go", "    message: m\n"), "2:5", "a rule needs 'query'");
  ERR(RULE("rust", "    message: m\n    query: \"(identifier) @i\"\n"), "3:15",
      "bad language 'rust': use go, c, cpp");
  ERR("rules:\n  - id: t/r\n    language: go\n    severity: fatal\n    confidence: high\n    message: m\n"
      "    query: \"(identifier) @i\"\n",
      "4:15", "bad severity 'fatal': use note, warning, error");
  ERR("rules:\n  - id: T_r\n    language: go\n    severity: note\n    confidence: high\n    message: m\n"
      "    query: \"(identifier) @i\"\n",
      "2:9", "bad id 'T_r'");
  /* query errors: offset and kind from ts_query_new */
  ERR(RULE("go", "    message: m\n    query: \"(call_expression (nosuch) @c)\"\n"), "7:12",
      "query: unknown node type (go grammar) at offset 18 (query line 1, column 19): near 'nosuch) @c)'");
  ERR(RULE("go", "    message: m\n    query: \"(call_expression nosuchfield: (identifier) @c)\"\n"), "7:12",
      "query: unknown field (go grammar) at offset 17");
  ERR(RULE("go", "    message: m\n    query: \"(call_expression @c\"\n"), "7:12",
      "query: syntax error (go grammar) at offset");
  ERR(RULE("go", "    message: m\n    query: |\n      (identifier) @i\n      (#eq? @nope \"x\")\n"), "7:12",
      "query: unknown capture (go grammar) at offset 23 (query line 2, column 8)");
  ERR(RULE("go", "    message: m\n    query: |\n      ((identifier) @i (#set! @i \"x\"))\n"), "7:12",
      "query: unknown predicate #set! (omen knows");
  ERR(RULE("go", "    message: m\n    query: |\n      ((identifier) @i (#match? @i \"a(b\"))\n"), "7:12",
      "#match? regex \"a(b\": PCRE2 error at regex offset 3: missing closing parenthesis at offset 18");
  ERR(RULE("c", "    message: m\n    query: \"(identifier)\"\n"), "7:12", "query: no capture");
  /* templates and captures */
  ERR(RULE("go", "    message: \"{{nope}} leaks\"\n    query: \"(identifier) @i\"\n"), "6:14",
      "message: {{nope}} names no capture of the query (offset 0 of the template)");
  ERR(RULE("go", "    message: m\n    query: \"(identifier) @i\"\n    report: x\n"), "8:13",
      "report: the query has no capture @x");
  ERR(RULE("go", "    message: m\n    query: \"(identifier) @i\"\n    fix:\n      with: \"a{{j}}\"\n"),
      "9:13", "fix.with: {{j}} names no capture");
  ERR(RULE("go", "    message: m\n    query: \"(identifier) @i\"\n    fix:\n      applicability: maybe\n     "
                 " with: x\n"),
      "9:22", "bad applicability 'maybe': use safe, unsafe");
  /* conditions */
  ERR(RULE("go", "    message: m\n    query: \"(identifier) @i\"\n    inside: for_loop\n"), "8:13",
      "'inside': the go grammar has no node kind 'for_loop'");
  ERR(RULE("go", "    message: m\n    query: \"(identifier) @i\"\n    has: {query: \"(identifier)\"}\n"),
      "8:18", "a 'has' query must capture the node it means");
  ERR(RULE("go", "    message: m\n    query: \"(identifier) @i\"\n    in-function-with: defer_statement\n"),
      "8:23", "'in-function-with' takes a query");
  /* ids */
  ERR("rules:\n  - id: omen/read-error\n    language: go\n    severity: note\n    confidence: high\n    "
      "message: m\n"
      "    query: \"(identifier) @i\"\n",
      "2:9", "id 'omen/read-error' is a built-in rule");
  {
    omen_pack *pk = omen_pack_new();
    const char *a = RULE("go", "    message: m\n    query: \"(identifier) @i\"\n");
    CHECK(omen_pack_load_text(pk, "a.yml", a, strlen(a), err, sizeof err) == OMEN_OK);
    CHECK(omen_pack_load_text(pk, "b.yml", a, strlen(a), err, sizeof err) == OMEN_EUSAGE);
    CHECK_STR(err, "b.yml:2:9: id 't/r' is already defined at a.yml:2");
    CHECK(omen_pack_nrules(pk) == 1);
    omen_pack_free(pk);
  }
  /* examples */
  ERR(RULE(
          "go",
          "    message: m\n    query: \"(identifier) @i\"\n    examples:\n      - bad: x\n        good: y\n"),
      "9:9", "an example has either 'bad' or 'good'");
  ERR(RULE("go", "    message: m\n    query: \"(identifier) @i\"\n    examples:\n      - bad: x\n        "
                 "fixed: y\n"),
      "10:16", "'fixed' needs the rule to have a 'fix'");
}

static void test_hostile(void) {
  /* aliases and anchors: an alias bomb never expands */
  ERR("rules:\n  - &a {id: t/r}\n  - *a\n", "2:5", "anchors and aliases are not supported");
  ERR("x: &a [1, 2]\ny: [*a, *a, *a, *a]\n", "1:4", "anchors and aliases are not supported");
  /* deep nesting */
  char deep[400] = "rules: ";
  for (int i = 0; i < 40; i++)
    strcat(deep, "[");
  ERR(deep, "1:23", "nested more than 16 levels deep");
  /* 10 MB */
  size_t big = 10u << 20;
  char *huge = malloc(big + 1);
  memset(huge, '#', big);
  huge[big] = '\0';
  check_err(__LINE__, huge, big, NULL, "larger than 1024 KiB");
  free(huge);
  check_err(__LINE__, "rules:\n  - id: t\0r\n", 17, NULL, "contains a NUL byte");
  ERR("rules: [\n", "2:1", "invalid YAML");
  ERR("rules: []\n---\nrules: []\n", "2:1", "one YAML document");
}

static void test_predicates(void) {
  /* #eq? and a report capture; the message interpolates {{fn}} */
  const char *after = RULE("go", "    message: \"{{fn}} in a loop\"\n" Q_AFTER);
  hits h = run(after, OMEN_LANG_GO, go_src, NULL);
  CHECK(h.n == 1);
  CHECK_STR(h.msg, "After in a loop");
  CHECK(h.start == (uint32_t)(strstr(go_src, "time.After") - go_src));
  /* #not-eq? */
  CHECK(
      count(RULE("go",
                 "    message: m\n    query: |\n      (call_expression function: (selector_expression field: "
                 "(field_identifier) @f)) @c\n      (#not-eq? @f \"After\")\n"),
            OMEN_LANG_GO, go_src) == 0);
  /* #eq? capture against capture */
  CHECK(
      count(RULE("go",
                 "    message: m\n    query: |\n      ((selector_expression operand: (identifier) @a field: "
                 "(field_identifier) @b) @s (#eq? @a @b))\n"),
            OMEN_LANG_GO, "package p\nvar x = time.time\nvar y = time.After\n") == 1);
  /* #match? / #not-match? with PCRE2 */
  const char *m = RULE(
      "go", "    message: m\n    query: |\n      ((field_identifier) @f (#match? @f \"^Aft\\\\w+$\"))\n");
  CHECK(count(m, OMEN_LANG_GO, go_src) == 1);
  const char *nm =
      RULE("go", "    message: m\n    query: |\n      ((field_identifier) @f (#not-match? @f \"^Aft\"))\n");
  CHECK(count(nm, OMEN_LANG_GO, go_src) == 1); /* Second */
  /* #any-of? */
  CHECK(count(RULE("go", "    message: m\n    query: |\n      ((field_identifier) @f (#any-of? @f \"Tick\" "
                         "\"After\"))\n"),
              OMEN_LANG_GO, go_src) == 1);
  CHECK(count(RULE("go", "    message: m\n    query: |\n      ((field_identifier) @f (#any-of? @f \"Tick\" "
                         "\"Sleep\"))\n"),
              OMEN_LANG_GO, go_src) == 0);
  /* the text prefilter takes a #match? regex's words as whole tokens only when ^(...)$ binds them
   * all: "Fatal|Exit" matches inside "Fatalf", "_test$" inside "foo_test", "^Fatal|Exit$" is
   * (^Fatal)|(Exit$) */
  const char *fatalf = "package p\nfunc f() { log.Fatalf(\"x\") }\n";
  CHECK(
      count(RULE("go",
                 "    message: m\n    query: |\n      ((field_identifier) @f (#match? @f \"Fatal|Exit\"))\n"),
            OMEN_LANG_GO, fatalf) == 1);
  CHECK(
      count(
          RULE("go",
               "    message: m\n    query: |\n      ((field_identifier) @f (#match? @f \"^Fatal|Exit$\"))\n"),
          OMEN_LANG_GO, fatalf) == 1);
  CHECK(count(RULE("go",
                   "    message: m\n    query: |\n      ((package_identifier) @p (#match? @p \"_test$\"))\n"),
              OMEN_LANG_GO, "package foo_test\n") == 1);
  CHECK(count(RULE("go", "    message: m\n    query: |\n      ((field_identifier) @f (#match? @f "
                         "\"^(Fatal|Exit)$\"))\n"),
              OMEN_LANG_GO, fatalf) == 0);
}

static void test_conditions(void) {
  const char *loop =
      "package p\nfunc f() {\n\tfor {\n\t\tg()\n\t}\n\tg()\n\tgo func() {\n\t\tfor {\n\t\t}\n\t}()\n}\n";
  const char *q =
      "    message: m\n    query: \"(call_expression function: (identifier) @fn) @c\"\n    report: c\n";
  char y[2048];
  snprintf(y, sizeof y, RULE("go", "%s    inside: for_statement\n"), q);
  CHECK(count(y, OMEN_LANG_GO, loop) == 1);
  snprintf(y, sizeof y, RULE("go", "%s    not-inside: for_statement\n"), q);
  CHECK(count(y, OMEN_LANG_GO, loop) == 1);
  /* the enclosing function is the boundary: a call in a func literal in a loop is not inside it */
  const char *lit = "package p\nfunc f() {\n\tfor {\n\t\tgo func() { g() }()\n\t}\n}\n";
  snprintf(y, sizeof y, RULE("go", "%s    inside: for_statement\n"), q);
  CHECK(count(y, OMEN_LANG_GO, lit) == 0);
  snprintf(y, sizeof y, RULE("go", "%s    inside: for_statement\n    inside-stops-at: file\n"), q);
  CHECK(count(y, OMEN_LANG_GO, lit) == 1);
  /* inside a query: an ancestor captured by it */
  snprintf(y, sizeof y,
           RULE("go", "%s    inside: {query: \"(go_statement) @g\"}\n    inside-stops-at: file\n"), q);
  CHECK(count(y, OMEN_LANG_GO, lit) == 1);
  CHECK(count(y, OMEN_LANG_GO, loop) == 0);
  /* has / not-has */
  const char *hq = "    message: m\n    query: \"(for_statement) @f\"\n";
  snprintf(y, sizeof y, RULE("go", "%s    has: call_expression\n"), hq);
  CHECK(count(y, OMEN_LANG_GO, loop) == 1);
  snprintf(y, sizeof y, RULE("go", "%s    not-has: call_expression\n"), hq);
  CHECK(count(y, OMEN_LANG_GO, loop) == 1);
  snprintf(y, sizeof y, RULE("go", "%s    has: {query: \"((identifier) @i (#eq? @i \\\"g\\\"))\"}\n"), hq);
  CHECK(count(y, OMEN_LANG_GO, loop) == 1);
  /* in-function-with / not-in-function-with: a defer in the same function */
  const char *rows = "package p\nfunc a() { r := q(); defer r.Close() }\nfunc b() { r := q(); _ = r }\n";
  const char *rq = "    message: m\n    query: \"((call_expression function: (identifier) @fn) @c (#eq? @fn "
                   "\\\"q\\\"))\"\n";
  snprintf(y, sizeof y, RULE("go", "%s    not-in-function-with: {query: \"(defer_statement) @d\"}\n"), rq);
  hits h = run(y, OMEN_LANG_GO, rows, NULL);
  CHECK(h.n == 1 && h.start == (uint32_t)(strstr(rows, "q(); _") - rows));
  snprintf(y, sizeof y, RULE("go", "%s    in-function-with: {query: \"(defer_statement) @d\"}\n"), rq);
  h = run(y, OMEN_LANG_GO, rows, NULL);
  CHECK(h.n == 1 && h.start == (uint32_t)(strstr(rows, "q(); defer") - rows));
  /* in-file-with / not-in-file-with, and a list of alternatives (any of) */
  snprintf(
      y, sizeof y,
      RULE("go", "%s    in-file-with: [{query: \"((package_identifier) @p (#eq? @p \\\"main\\\"))\"}]\n"),
      rq);
  CHECK(count(y, OMEN_LANG_GO, rows) == 0);
  snprintf(
      y, sizeof y,
      RULE("go",
           "%s    not-in-file-with:\n      - {query: \"((package_identifier) @p (#eq? @p \\\"main\\\"))\"}\n"
           "      - {query: \"((identifier) @p (#eq? @p \\\"nothere\\\"))\"}\n"),
      rq);
  CHECK(count(y, OMEN_LANG_GO, rows) == 2);
  /* a file-wide condition is searched only where its literals are (file_matches_walk): found deep
   * in the tree and at its top, and a literal elsewhere (a function named main) is not a match */
  const char *fq = "    message: m\n    query: \"((call_expression function: (identifier) @fn) @c (#eq? @fn "
                   "\\\"q\\\"))\"\n    report: c\n";
  snprintf(y, sizeof y,
           RULE("go", "%s    in-file-with: {query: \"(package_clause (package_identifier) @p (#eq? @p "
                      "\\\"main\\\"))\"}\n"),
           fq);
  CHECK(count(y, OMEN_LANG_GO, "package main\nfunc f() { q() }\n") == 1);
  CHECK(count(y, OMEN_LANG_GO, "package lib\nfunc main() { q() }\n") == 0);
  snprintf(y, sizeof y,
           RULE("go",
                "%s    in-file-with: {query: \"(return_statement (expression_list (identifier) @r) (#eq? @r "
                "\\\"deep\\\"))\"}\n"),
           fq);
  CHECK(count(y, OMEN_LANG_GO, "package lib\nfunc f() int { q(); if x { for { return deep } } }\n") == 1);
  CHECK(count(y, OMEN_LANG_GO, "package lib\nfunc f() int { q(); deep := 1; return deep + 1 }\n") == 0);
}

static void test_templates(void) {
  /* a capture in a message: one line, at most 60 characters */
  const char *src =
      "package p\nfunc f() "
      "{\n\tg(aaaaaaaaaa,\n\t\tbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb)\n}\n";
  hits h =
      run(RULE("go", "    message: \"call {{c}} {{...}} {{ c }}\"\n    query: \"(call_expression) @c\"\n"),
          OMEN_LANG_GO, src, NULL);
  CHECK(h.n == 1);
  CHECK_STR(h.msg, "call g(aaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb... {{...}} {{ c }}");
  /* a fix: the replace capture, the template with raw capture text */
  const char *fx =
      RULE("go", "    message: m\n" Q_AFTER "    fix:\n      applicability: safe\n      replace: fn\n"
                 "      with: \"New{{pkg}}r\"\n      message: \"use {{pkg}}.NewTimer\"\n");
  h = run(fx, OMEN_LANG_GO, go_src, NULL);
  CHECK(h.n == 1);
  CHECK_STR(h.fix, "Newtimer");
  CHECK_STR(h.fixmsg, "use time.NewTimer");
  CHECK(h.fix_start == (uint32_t)(strstr(go_src, "After") - go_src) && h.fix_end == h.fix_start + 5);
}

static void test_limits(void) {
  /* catastrophic backtracking: the match limit stops it quickly and counts as no match */
  char src[4096] = "package p\nvar x = \"";
  size_t n = strlen(src);
  memset(src + n, 'a', 3000);
  strcpy(src + n + 3000, "!\"\n");
  omen_pack_stats st = {0};
  clock_t t0 = clock();
  hits h = run(RULE("go", "    message: m\n    query: |\n      ((interpreted_string_literal) @s (#match? @s "
                          "\"^\\\"(a|aa)+\\\"$\"))\n"),
               OMEN_LANG_GO, src, &st);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK(h.n == 0);
  CHECK(st.limits == 1);
  CHECK(secs < 10);
}

static void test_languages(void) {
  const char *c =
      RULE("c", "    message: \"{{fn}} is not thread-safe\"\n    query: |\n      (call_expression function: "
                "(identifier) @fn) @call\n      (#any-of? @fn \"strtok\" \"localtime\")\n");
  const char *csrc = "#include <string.h>\nvoid f(char *s) { strtok(s, \",\"); }\n";
  hits h = run(c, OMEN_LANG_C, csrc, NULL);
  CHECK(h.n == 1);
  CHECK_STR(h.msg, "strtok is not thread-safe");
  /* a C rule does not run as C++ (no query for that language) */
  CHECK(count(c, OMEN_LANG_CPP, csrc) == 0);
  const char *cpp =
      RULE("cpp", "    message: \"{{t}} detached\"\n    query: |\n      (call_expression function: "
                  "(field_expression argument: (identifier) @t field: (field_identifier) @m))\n"
                  "      (#eq? @m \"detach\")\n    report: t\n");
  const char *cppsrc = "#include <thread>\nvoid f() { std::thread t([]{}); t.detach(); }\n";
  h = run(cpp, OMEN_LANG_CPP, cppsrc, NULL);
  CHECK(h.n == 1);
  CHECK_STR(h.msg, "t detached");
  /* a query that only the C++ grammar knows is an error for C */
  ERR(RULE("c", "    message: m\n    query: \"(lambda_expression) @l\"\n"), "7:12",
      "unknown node type (c grammar)");
}

typedef struct tally {
  size_t n;
  unsigned long long sum; /* of rule-id hashes and offsets: the same findings give the same sum */
} tally;

static omen_status on_tally(void *ctx, const omen_pack_hit *h) {
  tally *t = ctx;
  t->n++;
  unsigned long long x = h->start * 1000003ull + h->end;
  for (const char *p = h->rule->id; *p; p++)
    x = x * 31 + (unsigned char)*p;
  t->sum += x;
  return OMEN_OK;
}

/* The fast matcher (one walk, candidate nodes, text prefilter, per-file caches) finds exactly what
 * each rule's own query finds over the whole tree, on real code. */
static void test_same_as_reference(const char *src_dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/bench/rules", src_dir);
  omen_pack *pk = omen_pack_new();
  CHECK(omen_pack_load(pk, path, err, sizeof err) == OMEN_OK);
  snprintf(path, sizeof path, "%s/testdata/rules/sample-go.yml", src_dir);
  CHECK(omen_pack_load(pk, path, err, sizeof err) == OMEN_OK);
  CHECK(omen_pack_compile(pk, err, sizeof err) == OMEN_OK);
  static const char *const files[] = {"/usr/share/go-1.19/src/net/http/transport_test.go",
                                      "/usr/share/go-1.19/src/os/signal/signal_test.go",
                                      "/usr/share/go-1.19/src/compress/flate/example_test.go",
                                      "/usr/share/go-1.19/src/encoding/gob/codec_test.go",
                                      "/usr/share/go-1.19/src/cmd/go/internal/modload/init.go",
                                      "/usr/share/go-1.19/src/runtime/trace/trace_test.go",
                                      "/usr/share/go-1.19/src/net/http/server.go",
                                      NULL};
  TSParser *p = ts_parser_new();
  ts_parser_set_language(p, omen_pack_language(OMEN_LANG_GO));
  size_t total = 0;
  for (int i = 0; files[i]; i++) {
    FILE *f = fopen(files[i], "rb");
    if (!f)
      continue; /* the Go sources are optional */
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    TSTree *t = ts_parser_parse_string(p, NULL, text, (uint32_t)len);
    tally fast = {0}, slow = {0};
    omen_pack_match(pk, OMEN_LANG_GO, ts_tree_root_node(t), text, (uint32_t)len, on_tally, &fast, NULL);
    omen_pack_match_each(pk, OMEN_LANG_GO, ts_tree_root_node(t), text, (uint32_t)len, on_tally, &slow);
    if (fast.n != slow.n || fast.sum != slow.sum)
      fprintf(stderr, "%s: fast matcher %zu findings, reference %zu\n", files[i], fast.n, slow.n);
    CHECK(fast.n == slow.n && fast.sum == slow.sum);
    total += slow.n;
    ts_tree_delete(t);
  }
  printf("reference comparison: %zu findings\n", total);
  ts_parser_delete(p);
  omen_pack_free(pk);
}

int main(int argc, char **argv) {
  test_errors();
  test_hostile();
  test_predicates();
  test_conditions();
  test_templates();
  test_limits();
  test_languages();
  test_same_as_reference(argc > 1 ? argv[1] : "..");
  return check_done();
}
