/* test_config.c - .omen.yml: every error with its position, severity resolution, excludes, globs,
 * discovery, show and starter round trips, option values, hostile input. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "registry.h"

/* Configurations live (by name) in t/ under the working directory, which does not exist: paths are
 * matched lexically. */
#define CFG "t/.omen.yml"

static char err[1024];

static omen_config *parse(const char *text) {
  omen_config *c = NULL;
  err[0] = '\0';
  if (omen_config_parse(CFG, text, strlen(text), &c, err, sizeof err) != OMEN_OK)
    return NULL;
  return c;
}

/* text must fail with message starting with "t/.omen.yml:POS: " and containing want. */
#define ERR(text, pos, want) check_err(__LINE__, text, strlen(text), pos, want)
static void check_err(int line, const char *text, size_t len, const char *pos, const char *want) {
  omen_config *c = NULL;
  err[0] = '\0';
  omen_status s = omen_config_parse(CFG, text, len, &c, err, sizeof err);
  char prefix[64];
  snprintf(prefix, sizeof prefix, pos ? CFG ":%s: " : CFG ": ", pos);
  bool ok = s == OMEN_EUSAGE && !c && strncmp(err, prefix, strlen(prefix)) == 0 && strstr(err, want);
  if (!ok)
    fprintf(stderr, "test_config.c:%d: want '%s...%s', got status %d: %s\n", line, prefix, want, s, err);
  CHECK(ok);
  omen_config_free(c);
}

static void test_errors(void) {
  /* unknown keys, with and without a suggestion */
  ERR("version: 1\nexlude: [a]\n", "2:1", "unknown key 'exlude' at the top level (did you mean 'exclude'?)");
  ERR("colour: red\n", "1:1", "unknown key 'colour' at the top level; valid keys: version, fail-on,");
  ERR("analyzers:\n  disabled: [go-map-race]\n", "2:3", "(did you mean 'disable'?)");
  ERR("overrides:\n  - path: [a]\n    rules: {}\n", "2:5",
      "unknown key 'path' in an override (did you mean 'paths'?)");
  ERR("rules:\n  thread-leak:\n    sevrity: off\n", "3:5", "(did you mean 'severity'?)");
  /* wrong types */
  ERR("exclude: {a: b}\n", "1:10", "'exclude' must be a list, not a mapping");
  ERR("exclude: vendor\n", "1:10", "'exclude' must be a list, not a single value");
  ERR("rules: [thread-leak]\n", "1:8", "'rules' must be a mapping (key: value lines), not a list");
  ERR("analyzers: go-map-race\n", "1:12", "'analyzers' must be a mapping");
  ERR("analyzers:\n  disable: {a: b}\n", "2:12", "'analyzers.disable' must be a list, not a mapping");
  ERR("overrides: {paths: [a]}\n", "1:12", "'overrides' must be a list, not a mapping");
  ERR("overrides:\n  - a\n", "2:5",
      "an entry of 'overrides' must be a mapping with paths and rules, not a single value");
  ERR("overrides:\n  - paths: a\n    rules: {}\n", "2:12", "'paths' must be a list");
  ERR("rules:\n  thread-leak: [a]\n", "2:16", "must be a severity (error, warning, note or off), not a list");
  ERR("version: [1]\n", "1:10", "'version' must be 1, not a list");
  ERR("fail-on:\n", "1:9", "'fail-on' has no value");
  ERR("include-generated: yes\n", "1:20", "'include-generated' must be true or false, not 'yes'");
  ERR("- version: 1\n", "1:1",
      "a configuration is a mapping of keys such as version, rules and exclude, not a list");
  ERR("just text\n", "1:1", "not a single value");
  ERR("? [a]\n: b\n", "1:3", "a key must be a name, not a list");
  ERR("exclude: [\"a\\0b\"]\n", "1:11", "contains a NUL character");
  ERR("exclude: [[a]]\n", "1:11", "a glob must be a string such as \"vendor/**\", not a list");
  /* analyzers */
  ERR("analyzers:\n  disable: [go-map-rac]\n", "2:13",
      "unknown analyzer 'go-map-rac' (did you mean 'go-map-race'?)");
  ERR("analyzers:\n  enable: [frobnicate]\n", "2:12",
      "unknown analyzer 'frobnicate'; `omen analyzers` lists them");
  ERR("analyzers:\n  disable: [go-map-race]\n  enable: [go-deadlock]\n", "3:3",
      "'enable' and 'disable' cannot both be given");
  ERR("analyzers:\n  enable: []\n", "2:11", "an empty 'enable' list would run no analyzer");
  ERR("analyzers:\n  disable: [go-http-timeout, go-types]\n", "2:30",
      "cannot disable go-types: go-context requires it (disable go-context too)");
  /* rules and families */
  ERR("rules:\n  thread-leak/goroutine-no-exits: off\n", "2:3",
      "unknown rule 'thread-leak/goroutine-no-exits' (did you mean 'thread-leak/goroutine-no-exit'?)");
  ERR("rules:\n  thread-leak/nothing-like-it-at-all: off\n", "2:3",
      "unknown rule 'thread-leak/nothing-like-it-at-all'; `omen rules`");
  ERR("rules:\n  thred-leak: off\n", "2:3",
      "unknown family 'thred-leak' (did you mean 'thread-leak'?); families: deadlock,");
  ERR("rules:\n  http-no-timeout: off\n", "2:3", "(did you mean 'missing-timeout/http-no-timeout'?)");
  ERR("overrides:\n  - paths: [a]\n    rules: {nope/x: off}\n", "3:13", "unknown rule 'nope/x'");
  /* severities */
  ERR("rules:\n  thread-leak: warnng\n", "2:16",
      "bad severity 'warnng' for 'thread-leak' (did you mean 'warning'?)");
  ERR("rules:\n  omen/read-error:\n    severity: fatal\n", "3:15",
      "bad severity 'fatal' for 'omen/read-error': use error");
  ERR("fail-on: eror\n", "1:10", "bad fail-on 'eror' (did you mean 'error'?): use error, warning or note");
  ERR("fail-on: off\n", "1:10", "bad fail-on 'off'");
  ERR("fail-on: warn\n", "1:10", "bad fail-on 'warn' (did you mean 'warning'?)");
  ERR("version: 2\n", "1:10", "version 2 is not supported: this omen reads version 1");
  ERR("version: \"1.0\"\n", "1:10", "version 1.0 is not supported");
  /* options on a rule that declares none (test_options has rules that declare some) */
  ERR("rules:\n  thread-leak/goroutine-no-exit:\n    options: {timeout: 30s}\n", "3:15",
      "rule 'thread-leak/goroutine-no-exit' has no options");
  ERR("rules:\n  thread-leak:\n    options: {timeout: 30s}\n", "3:5",
      "options belong to rules, not to the family 'thread-leak'");
  /* globs */
  ERR("exclude: [\"\"]\n", "1:11", "bad glob '': the glob is empty");
  ERR("exclude: [ok, \"a[b\"]\n", "1:15", "bad glob 'a[b': '[' has no closing ']'");
  ERR("exclude: [\"a**b\"]\n", "1:11", "'**' must be a whole path segment");
  ERR("exclude: [\"../x\"]\n", "1:11", "'..' cannot appear in a glob");
  ERR("exclude: [\"[z-a]\"]\n", "1:11", "runs backwards");
  ERR("overrides:\n  - paths: [\"/\"]\n    rules: {}\n", "2:13", "the glob names no path");
  ERR("overrides:\n  - paths: []\n    rules: {}\n", "2:12", "'paths' must list at least one glob");
  ERR("overrides:\n  - rules: {thread-leak: off}\n", "2:5", "an override needs 'paths'");
  ERR("overrides:\n  - paths: [a]\n", "2:5", "an override needs 'rules'");
  ERR("overrides:\n  - paths: [a]\n    rules:\n      missing-timeout/http-no-timeout:\n        options: {a: "
      "b}\n",
      "5:9", "options cannot vary by path");
  /* duplicate keys, at every level */
  ERR("version: 1\nversion: 1\n", "2:1", "duplicate key 'version' (first at line 1, column 1)");
  ERR("rules:\n  thread-leak: off\n  deadlock: off\n  thread-leak: note\n", "4:3",
      "duplicate key 'thread-leak' (first at line 2, column 3)");
  ERR("rules: {omen: off, \"omen\": note}\n", "1:20", "duplicate key 'omen'");
  /* anchors, aliases, documents */
  ERR("exclude: &x [a]\n", "1:10", "anchors (&x) and aliases are not supported");
  ERR("exclude: *x\n", "1:10", "aliases (*x) are not supported");
  ERR("version: 1\n---\nversion: 1\n", "2:1", "a configuration is one YAML document");
  /* YAML syntax */
  ERR("rules:\n  thread-leak: [\n", "3:1", "invalid YAML: ");
  ERR("rules:\n\tthread-leak: off\n", "2:1", "invalid YAML: a tab; YAML indents with spaces only");
  ERR("a: b: c\n", "1:5", "invalid YAML: mapping values are not allowed");
  /* encodings: columns count bytes */
  ERR("version: 1\nrules:\n  # caf\xe9\n", "3:8", "not valid UTF-8");
  ERR("# \xc3\xa9t\xc3\xa9\nexclude: [\xc3\xa9, x, y]\ncolour: 1\n", "3:1", "unknown key 'colour'");
  ERR("# \xc3\xa9\nexclude: {\xc3\xa9: 1}\n", "2:10", "'exclude' must be a list");
  ERR("\xc3\xa9: 1\n", "1:1", "unknown key '\xc3\xa9' at the top level");
  ERR("exclude: [\xc3\xa9t\xc3\xa9, [x]]\n", "1:18",
      "a glob must be a string"); /* 16th character, 18th byte */
  ERR("x: \xc3\xa9\xc3\xa9\nbad: {\n", "3:1", "invalid YAML");
  ERR("version: 1\r\nrules:\r\n  thread-leak: warnng\r\n", "3:16", "bad severity 'warnng'"); /* CRLF */
  ERR("version: 1\rcolour: 1\r", "2:1", "unknown key 'colour'");                            /* CR alone */
  ERR("ok: 1\n\xed\xa0\x80\n", "2:1", "not valid UTF-8"); /* a surrogate */
  ERR("ok: 1\n\xc0\xaf\n", "2:1", "not valid UTF-8");     /* overlong */
  check_err(__LINE__, "version: 1\nrules:\0\n", 18, "2:7", "contains a NUL byte");
  ERR("version: 1\n\x01\n", "2:1", "invalid YAML: control characters are not allowed");
}

static void test_accepts(void) {
  omen_config *c;
  /* empty documents, comments only, empty collections, explicit start and end */
  const char *ok[] = {"",
                      "# nothing\n",
                      "---\nversion: 1\n...\n",
                      "\xEF\xBB\xBFversion: 1\n",
                      "version: \"1\"\nrules:\nexclude:\noverrides:\nanalyzers:\n",
                      "rules: {}\nexclude: []\nanalyzers: {disable: []}\noverrides: []\n",
                      "rules:\n  omen: off\n  omen/read-error:\n    severity: error\n",
                      "~\n",
                      NULL};
  for (int i = 0; ok[i]; i++) {
    c = parse(ok[i]);
    if (!c)
      fprintf(stderr, "case %d: %s\n", i, err);
    CHECK(c != NULL);
    omen_config_free(c);
  }
  c = parse("fail-on: note\ninclude-generated: true\n");
  omen_severity sev = OMEN_SEV_ERROR;
  bool gen = false;
  CHECK(c && omen_config_fail_on(c, &sev) && sev == OMEN_SEV_NOTE);
  CHECK(c && omen_config_include_generated(c, &gen) && gen);
  CHECK_STR(omen_config_path(c), CFG);
  CHECK_STR(omen_config_dir(c), "t");
  omen_config_free(c);
  c = parse("version: 1\n");
  CHECK(c && !omen_config_fail_on(c, &sev) && !omen_config_include_generated(c, &gen));
  omen_config_free(c);
  CHECK(!omen_config_fail_on(NULL, &sev) && !omen_config_include_generated(NULL, &gen));
  /* the directory of a bare name is "." */
  CHECK(omen_config_parse(".omen.yml", "", 0, &c, err, sizeof err) == OMEN_OK);
  CHECK_STR(omen_config_dir(c), ".");
  omen_config_free(c);
}

/* Is a base, or does it need base, directly or through other analyzers? */
static bool needs(const omen_analyzer *a, const char *base) {
  if (strcmp(a->name, base) == 0)
    return true;
  for (size_t i = 0; a->requires && a->requires[i]; i++)
    if (needs(a->requires[i], base))
      return true;
  return false;
}

static void test_analyzers(void) {
  omen_config *c = parse("analyzers:\n  disable: [go-map-race, go-deadlock]\n");
  CHECK(c && !omen_config_analyzer_on(c, "go-map-race") && !omen_config_analyzer_on(c, "go-deadlock"));
  CHECK(c && omen_config_analyzer_on(c, "go-inspect") && omen_config_analyzer_on(c, "c-thread-join"));
  CHECK(c && !omen_config_has_enable_list(c));
  omen_config_free(c);
  c = parse("analyzers:\n  enable: [go-http-timeout]\n");
  CHECK(c && omen_config_has_enable_list(c) && omen_config_analyzer_on(c, "go-http-timeout"));
  CHECK(c && !omen_config_analyzer_on(c, "go-deadlock") && !omen_config_analyzer_on(c, "go-inspect"));
  omen_config_free(c);
  CHECK(omen_config_analyzer_on(NULL, "go-deadlock") && !omen_config_has_enable_list(NULL));
  /* disabling a base analyzer together with everything that needs it is fine */
  char yaml[4096];
  int n = snprintf(yaml, sizeof yaml, "analyzers:\n  disable: [");
  const char *sep = "";
  for (size_t i = 0; omen_registry[i] && n > 0 && (size_t)n < sizeof yaml - 64; i++)
    if (needs(omen_registry[i], "c-inspect")) {
      n += snprintf(yaml + n, sizeof yaml - (size_t)n, "%s%s", sep, omen_registry[i]->name);
      sep = ", ";
    }
  snprintf(yaml + n, sizeof yaml - (size_t)n, "]\n");
  c = parse(yaml);
  CHECK(c && !omen_config_analyzer_on(c, "c-inspect") && !omen_config_analyzer_on(c, "c-thread-join"));
  omen_config_free(c);
}

static const omen_rule *rule(const char *id) {
  const omen_rule *r = omen_rule_find(id);
  if (!r)
    fprintf(stderr, "no rule %s\n", id);
  return r;
}

/* "off", or the severity rule gets at path. */
static const char *sev_at(const omen_config *c, const char *path, const char *id) {
  omen_severity s;
  const omen_rule *r = rule(id);
  if (!r)
    return "?";
  return omen_config_rule_severity(c, path, r, &s) ? omen_severity_str(s) : "off";
}

static void test_severity(void) {
  const char *noexit = "thread-leak/goroutine-no-exit", *unjoined = "thread-leak/thread-not-joined";
  const char *read = "map-race/unguarded-read", *dbl = "deadlock/double-lock";
  /* no configuration, or one that says nothing: the defaults */
  CHECK_STR(sev_at(NULL, "a.go", dbl), "error");
  CHECK_STR(sev_at(NULL, "a.go", read), "note");
  omen_config *c = parse("version: 1\n");
  CHECK_STR(sev_at(c, "t/a.go", dbl), "error");
  omen_config_free(c);

  /* a family sets its rules; a rule's own setting beats its family's whichever comes first */
  c = parse("rules:\n"
            "  thread-leak/goroutine-no-exit: error\n" /* line 2 */
            "  thread-leak: note\n"                    /* 3 */
            "  map-race/unguarded-read: warning\n"     /* 4 */
            "  deadlock: off\n"                        /* 5 */
            "  deadlock/double-lock:\n"                /* 6 */
            "    options: {}\n");                      /* options only: no severity */
  CHECK(c != NULL);
  CHECK_STR(sev_at(c, "t/a.go", noexit), "error");
  CHECK_STR(sev_at(c, "t/a.go", unjoined), "note");
  CHECK_STR(sev_at(c, "t/a.go", read), "warning");
  CHECK_STR(sev_at(c, "t/a.go", dbl), "off");
  CHECK_STR(sev_at(c, "t/a.go", "map-race/unguarded-write"), "error"); /* untouched */
  CHECK_STR(sev_at(c, NULL, unjoined), "note");                        /* no path: `rules` only */
  omen_config_free(c);

  /* overrides: after `rules`, in order, a later one winning; in one override a rule beats its family */
  c = parse("rules:\n"
            "  thread-leak/goroutine-no-exit: error\n"
            "  map-race: off\n"
            "overrides:\n"
            "  - paths: [\"**/*_test.go\"]\n"
            "    rules: {thread-leak/thread-not-joined: error, thread-leak: note}\n"
            "  - paths: [\"examples/\"]\n"
            "    rules: {thread-leak: off, map-race/unguarded-read: warning}\n"
            "  - paths: [\"examples/keep/**\"]\n"
            "    rules: {thread-leak/goroutine-no-exit: warning}\n");
  CHECK(c != NULL);
  /* not under any override */
  CHECK_STR(sev_at(c, "t/main.go", noexit), "error");
  CHECK_STR(sev_at(c, "t/main.go", unjoined), "warning");
  CHECK_STR(sev_at(c, "t/main.go", read), "off");
  /* first override: its family setting beats the top-level rule setting; its rule beats its family */
  CHECK_STR(sev_at(c, "t/pkg/x_test.go", noexit), "note");
  CHECK_STR(sev_at(c, "t/pkg/x_test.go", unjoined), "error");
  /* second: off, and a rule switched back on from its family's off */
  CHECK_STR(sev_at(c, "t/examples/a.go", noexit), "off");
  CHECK_STR(sev_at(c, "t/examples/a.go", read), "warning");
  CHECK_STR(sev_at(c, "t/examples/a.go", "map-race/unguarded-write"), "off");
  /* first and second match: the second wins */
  CHECK_STR(sev_at(c, "t/examples/a_test.go", unjoined), "off");
  /* all three match: the third wins for its rule */
  CHECK_STR(sev_at(c, "t/examples/keep/a_test.go", noexit), "warning");
  CHECK_STR(sev_at(c, "t/examples/keep/a_test.go", unjoined), "off");
  /* every form of the same path */
  char cwd[PATH_MAX], abs[PATH_MAX + 64];
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  snprintf(abs, sizeof abs, "%s/t/examples/a.go", cwd);
  CHECK_STR(sev_at(c, abs, noexit), "off");
  CHECK_STR(sev_at(c, "./t/examples/a.go", noexit), "off");
  CHECK_STR(sev_at(c, "t/../t/examples//./a.go", noexit), "off");
  /* outside the configuration's directory: no override, only `rules` */
  CHECK_STR(sev_at(c, "examples/a.go", noexit), "error");
  CHECK_STR(sev_at(c, "tt/examples/a.go", noexit), "error");
  CHECK_STR(sev_at(c, "/examples/a_test.go", noexit), "error");
  CHECK_STR(sev_at(c, "t/../examples/a_test.go", noexit), "error");
  omen_config_free(c);
}

static void test_excludes(void) {
  omen_config *c = parse("exclude: [\"vendor/\", \"**/*.pb.go\", \"/gen/*.go\", \"docs\"]\n");
  CHECK(c != NULL);
  CHECK(omen_config_excluded(c, "t/vendor/a.go"));
  CHECK(omen_config_excluded(c, "t/x/vendor/y/b.go"));
  CHECK(omen_config_excluded(c, "t/vendor/")); /* the directory itself, named as one */
  CHECK(!omen_config_excluded(c, "t/vendor")); /* a file named vendor */
  CHECK(!omen_config_excluded(c, "t/vendorx/a.go"));
  CHECK(omen_config_excluded(c, "t/api/v1/x.pb.go"));
  CHECK(omen_config_excluded(c, "./t/x.pb.go"));
  CHECK(!omen_config_excluded(c, "t/x.pb.go.txt"));
  CHECK(omen_config_excluded(c, "t/gen/a.go"));
  CHECK(!omen_config_excluded(c, "t/x/gen/a.go")); /* anchored by its leading '/' */
  CHECK(omen_config_excluded(c, "t/a/docs/b.go")); /* a name: anywhere, with what is under it */
  CHECK(omen_config_excluded(c, "t/docs"));
  CHECK(!omen_config_excluded(c, "t/main.go"));
  CHECK(!omen_config_excluded(c, "t"));           /* the directory of the file */
  CHECK(!omen_config_excluded(c, "vendor/a.go")); /* outside it */
  CHECK(!omen_config_excluded(c, "t/../vendor/a.go"));
  CHECK(!omen_config_excluded(NULL, "t/vendor/a.go"));
  omen_config_free(c);
}

typedef struct glob_case {
  const char *pattern, *path;
  bool want;
} glob_case;

static void test_globs(void) {
  static const glob_case cases[] = {
      /* a name without '/': any depth */
      {"*.go", "main.go", true},
      {"*.go", "a/b/main.go", true},
      {"*.go", "main.go.orig", false},
      {"*.go", ".go", true},
      {"main.go", "cmd/main.go", true},
      {"main.go", "cmd/xmain.go", false},
      /* '*' and '?' stay in a segment */
      {"a/*.go", "a/c.go", true},
      {"a/*.go", "a/b/c.go", false},
      {"a*/c.go", "ab/c.go", true},
      {"a?c", "abc", true},
      {"a?c", "a/c", false},
      {"?.go", "ab.go", false},
      {"?.go", "\xc3\xa9.go", true}, /* one character, two bytes */
      {"*", "anything", true},
      {"*x*y*", "aaxbbyc", true},
      {"*x*y*", "aaybbxc", false},
      {"a*", "a", true},
      /* '**' spans segments, including none */
      {"**/x.go", "x.go", true},
      {"**/x.go", "a/b/x.go", true},
      {"a/**/b", "a/b", true},
      {"a/**/b", "a/x/y/b", true},
      {"a/**/b", "a/x/y/bc", false},
      {"a/**/b/*.go", "a/b/x/b/c.go", true},
      {"a/**", "a/b/c", true},
      {"a/**", "ab/c", false},
      {"**", "a/b", true},
      {"**/**/z", "z", true},
      /* a glob with '/' is anchored at the base directory, and matches below what it matches */
      {"src/*.go", "x/src/a.go", false},
      {"/a.go", "a.go", true},
      {"/a.go", "b/a.go", false},
      {"a/*", "a/b/c.go", true},
      {"a/b", "a/b/c/d", true},
      {"a/b", "a/bc", false},
      /* a trailing '/': a directory and what is under it */
      {"vendor/", "vendor/x/y.go", true},
      {"vendor/", "a/vendor/b.go", true},
      {"vendor/", "vendor/", true},
      {"vendor/", "vendor", false},
      {"a/b/", "a/b/c", true},
      {"a/b/", "a/b", false},
      {"vendor", "vendor", true},
      /* classes and escapes */
      {"[abc].go", "b.go", true},
      {"[abc].go", "d.go", false},
      {"[!abc].go", "b.go", false},
      {"[^abc].go", "d.go", true},
      {"[a-c]x", "bx", true},
      {"[a-c]x", "dx", false},
      {"[]]x", "]x", true},
      {"[!]]x", "ax", true},
      {"[\xc3\xa0-\xc3\xbf]", "\xc3\xa9", true}, /* a range of code points */
      {"x[-]y", "x-y", true},
      {"\\*.go", "*.go", true},
      {"\\*.go", "a.go", false},
      {"a\\?", "a?", true},
      {"a\\?", "ab", false},
      {"[[]", "[", true},
      {"a[", "a[", true}, /* unclosed: a literal '[' (load rejects such globs) */
      /* paths: "./", "//" and "." segments do not count */
      {"a/*.go", "./a/x.go", true},
      {"./a/*.go", "a/x.go", true},
      {"a//b", "a/b", true},
      {"a/b", "a//b", true},
      {"a/b", "a/./b", true},
      /* nothing matches nothing */
      {"", "a", false},
      {"a", "", false},
      {"/", "a", false},
      {"*", ".", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    bool got = omen_glob_match(cases[i].pattern, cases[i].path);
    if (got != cases[i].want)
      fprintf(stderr, "glob '%s' on '%s': got %d, want %d\n", cases[i].pattern, cases[i].path, got,
              cases[i].want);
    CHECK(got == cases[i].want);
  }
  static const char *const good[] = {"*.go", "a/**/b", "**", "vendor/", "/x", "[a-z]*", "\\[x", "./a", NULL};
  for (int i = 0; good[i]; i++)
    CHECK(omen_glob_problem(good[i]) == NULL);
  static const char *const bad[] = {"",   "a[",  "a/[b/c]", "a**", "**b/c", "a/../b",
                                    "..", "x\\", "[b-a]",   "/",   "./",    NULL};
  for (int i = 0; bad[i]; i++) {
    if (!omen_glob_problem(bad[i]))
      fprintf(stderr, "glob '%s' should be refused\n", bad[i]);
    CHECK(omen_glob_problem(bad[i]) != NULL);
  }
  char big[2048];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  CHECK(omen_glob_problem(big) != NULL);
  CHECK(!omen_glob_match(big, big));

  /* hostile patterns take polynomial time: a backtracking matcher needs years for these */
  char pat[1100], path[4000];
  size_t o = 0;
  for (int i = 0; i < 40; i++)
    o += (size_t)snprintf(pat + o, sizeof pat - o, "a*");
  snprintf(pat + o, sizeof pat - o, "b");
  memset(path, 'a', 3000);
  path[3000] = '\0';
  clock_t t0 = clock();
  CHECK(!omen_glob_match(pat, path));
  o = 0;
  for (int i = 0; i < 200; i++)
    o += (size_t)snprintf(pat + o, sizeof pat - o, "**/a/");
  snprintf(pat + o, sizeof pat - o, "b");
  o = 0;
  for (int i = 0; i < 1300; i++)
    o += (size_t)snprintf(path + o, sizeof path - o, "a/");
  path[o - 1] = '\0';
  CHECK(!omen_glob_match(pat, path));
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (secs >= 5)
    fprintf(stderr, "hostile globs took %.1f s\n", secs);
  CHECK(secs < 5);
}

/* ---- options, with made-up rules that declare them ---- */

static const omen_rule_option timeout_opts[] = {
    {"timeout", OMEN_OPT_DURATION, "30s", "the timeout the fix inserts"}, {NULL, 0, NULL, NULL}};
static const omen_rule_option limit_opts[] = {
    {"limit", OMEN_OPT_BYTES, "1MiB", "the body size limit the fix inserts"}, {NULL, 0, NULL, NULL}};
static const omen_rule_option misc_opts[] = {{"count", OMEN_OPT_INT, "3", "how many"},
                                             {"name", OMEN_OPT_STRING, "a \"quoted\" default", "a name"},
                                             {NULL, 0, NULL, NULL}};
static const omen_rule r_timeout = {.id = "missing-timeout/http-no-timeout",
                                    .severity = OMEN_SEV_WARNING,
                                    .summary = "HTTP with no timeout",
                                    .options = timeout_opts};
static const omen_rule r_limit = {.id = "unbounded-stream/request-body-unlimited",
                                  .severity = OMEN_SEV_WARNING,
                                  .summary = "body with no limit",
                                  .options = limit_opts};
static const omen_rule r_misc = {
    .id = "zz/misc", .severity = OMEN_SEV_NOTE, .summary = "misc", .options = misc_opts};
static const omen_rule r_plain = {.id = "zz/plain", .severity = OMEN_SEV_ERROR, .summary = "no options"};
static const omen_rule *const fake_rules[] = {&r_timeout, &r_limit, &r_misc, &r_plain};
#define NFAKE (sizeof fake_rules / sizeof fake_rules[0])

static omen_config *parse_fake(const char *text) {
  omen_config *c = NULL;
  err[0] = '\0';
  if (omen_config_parse_rules(CFG, text, strlen(text), fake_rules, NFAKE, &c, err, sizeof err) != OMEN_OK)
    return NULL;
  return c;
}

static void fake_err(const char *text, const char *want) {
  omen_config *c = parse_fake(text);
  if (c || !strstr(err, want))
    fprintf(stderr, "want error '%s', got: %s\n", want, c ? "(parsed)" : err);
  CHECK(!c && strstr(err, want));
  omen_config_free(c);
}

static void test_options(void) {
  omen_config *c = parse_fake("rules:\n"
                              "  missing-timeout/http-no-timeout:\n"
                              "    options: {timeout: 1m30s}\n"
                              "  zz/misc:\n"
                              "    severity: error\n"
                              "    options:\n"
                              "      count: -12\n"
                              "      name: \"x: y\"\n");
  CHECK(c != NULL);
  CHECK_STR(omen_config_rule_option(c, &r_timeout, "timeout"), "1m30s");
  CHECK_STR(omen_config_rule_option(c, &r_limit, "limit"), "1MiB"); /* the default */
  CHECK_STR(omen_config_rule_option(c, &r_misc, "count"), "-12");
  CHECK_STR(omen_config_rule_option(c, &r_misc, "name"), "x: y");
  CHECK(omen_config_rule_option(c, &r_misc, "nope") == NULL);
  CHECK(omen_config_rule_option(c, &r_plain, "timeout") == NULL);
  CHECK_STR(omen_config_rule_option(NULL, &r_timeout, "timeout"), "30s");
  omen_severity sev;
  CHECK(omen_config_rule_severity(c, "t/a.go", &r_timeout, &sev) &&
        sev == OMEN_SEV_WARNING); /* options only */
  CHECK(omen_config_rule_severity(c, "t/a.go", &r_misc, &sev) && sev == OMEN_SEV_ERROR);
  omen_config_free(c);

  fake_err("rules:\n  missing-timeout/http-no-timeout:\n    options: {timeout: 30}\n", CFG
           ":3:24: bad value '30' for option 'timeout' of rule 'missing-timeout/http-no-timeout': expected a "
           "duration such as 30s, 1m30s or 500ms");
  fake_err("rules:\n  unbounded-stream/request-body-unlimited:\n    options:\n      limit: 1.5MiB\n",
           CFG ":4:14: bad value '1.5MiB' for option 'limit'");
  fake_err("rules:\n  zz/misc:\n    options: {count: 3x}\n",
           CFG ":3:22: bad value '3x' for option 'count' of rule "
               "'zz/misc': expected a whole number");
  fake_err(
      "rules:\n  missing-timeout/http-no-timeout:\n    options: {timout: 1s}\n", CFG
      ":3:15: unknown option 'timout' for rule 'missing-timeout/http-no-timeout' (did you mean 'timeout'?); "
      "its options: timeout");
  fake_err("rules:\n  zz/misc:\n    options: {colour: 1}\n", "its options: count, name");
  fake_err("rules:\n  zz/plain:\n    options: {timeout: 1s}\n", CFG ":3:15: rule 'zz/plain' has no options");
  fake_err("rules:\n  zz/misc:\n    options: {count: 1, count: 2}\n", CFG ":3:25: duplicate key 'count'");
  fake_err("rules:\n  zz/misc:\n    options: [count]\n",
           CFG ":3:14: the options of 'zz/misc' must be a mapping");
  fake_err("rules:\n  zz/misc:\n    options: {count: [1]}\n",
           "option 'count' of rule 'zz/misc' must be a value");
  fake_err("rules:\n  zz/misc:\n    options: {count: }\n", "option 'count' of rule 'zz/misc' has no value");
  /* families and rules come from the table given */
  fake_err("rules:\n  deadlock: off\n", CFG ":2:3: unknown family 'deadlock'; families: missing-timeout, "
                                            "unbounded-stream, zz");
}

static void test_values(void) {
  static const struct {
    const char *s;
    long long ns;
  } durations[] = {
      {"300ms", 300000000LL},
      {"1.5s", 1500000000LL},
      {"1m30s", 90000000000LL},
      {"2h", 7200000000000LL},
      {"0", 0},
      {"0s", 0},
      {"+5s", 5000000000LL},
      {".5s", 500000000LL},
      {"1.s", 1000000000LL},
      {"1ns", 1},
      {"1us", 1000},
      {"1\xc2\xb5s", 1000},
      {"1\xce\xbcs", 1000},
      {"1h2m3s4ms5us6ns", 3723004005006LL},
      {"1.000000001s", 1000000001LL},
      {"2562047h", 2562047LL * 3600 * 1000000000LL},
      {"9223372036854775807ns", LLONG_MAX},
  };
  for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
    long long v = -1;
    bool ok = omen_parse_duration(durations[i].s, &v);
    if (!ok || v != durations[i].ns)
      fprintf(stderr, "duration '%s': %d %lld\n", durations[i].s, ok, v);
    CHECK(ok && v == durations[i].ns);
  }
  static const char *const bad_durations[] = {"",
                                              "-1s",
                                              "1",
                                              "s",
                                              "1x",
                                              "1.5",
                                              "1s ",
                                              " 1s",
                                              ".s",
                                              "1m-1s",
                                              "3000000h",
                                              "9223372036854775808ns",
                                              "2562048h",
                                              "1e3s",
                                              "1 s",
                                              "1S",
                                              "+",
                                              "--1s",
                                              "9223372036854775807ns1ns",
                                              NULL};
  for (int i = 0; bad_durations[i]; i++) {
    long long v;
    if (omen_parse_duration(bad_durations[i], &v))
      fprintf(stderr, "duration '%s' should be refused\n", bad_durations[i]);
    CHECK(!omen_parse_duration(bad_durations[i], &v));
  }
  static const struct {
    const char *s;
    long long n;
  } sizes[] = {{"1048576", 1048576},
               {"512KiB", 524288},
               {"1MiB", 1048576},
               {"4MB", 4000000},
               {"1GB", 1000000000},
               {"0", 0},
               {"7B", 7},
               {"3kB", 3000},
               {"2GiB", 2147483648LL},
               {"1TiB", 1LL << 40},
               {"9223372036854775807", LLONG_MAX}};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    long long v = -1;
    bool ok = omen_parse_bytes(sizes[i].s, &v);
    if (!ok || v != sizes[i].n)
      fprintf(stderr, "size '%s': %d %lld\n", sizes[i].s, ok, v);
    CHECK(ok && v == sizes[i].n);
  }
  static const char *const bad_sizes[] = {"",
                                          "MiB",
                                          "-1",
                                          "1.5MiB",
                                          "1 MiB",
                                          "1mib",
                                          "1KIB",
                                          "0x10",
                                          "1MiBs",
                                          "9223372036854775808",
                                          "8589934592GiB",
                                          "10000000TiB",
                                          NULL};
  for (int i = 0; bad_sizes[i]; i++) {
    long long v;
    if (omen_parse_bytes(bad_sizes[i], &v))
      fprintf(stderr, "size '%s' should be refused\n", bad_sizes[i]);
    CHECK(!omen_parse_bytes(bad_sizes[i], &v));
  }
}

/* ---- show and starter ---- */

static char *show(const omen_config *c, const char *path) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f)
    return NULL;
  CHECK(omen_config_show(c, path, f) == OMEN_OK);
  fclose(f);
  return text;
}

/* Reads the output of show back (as a file in the same directory) and compares it, for path, with c. */
static void check_round_trip(const omen_config *c, const char *path, const omen_rule *const *rules,
                             size_t n) {
  char *text = show(c, path);
  CHECK(text != NULL);
  if (!text)
    return;
  omen_config *back = NULL;
  omen_status s =
      omen_config_parse_rules("t/shown.yml", text, strlen(text), rules, n, &back, err, sizeof err);
  if (s != OMEN_OK)
    fprintf(stderr, "show's output does not parse back: %s\n%s", err, text);
  CHECK(s == OMEN_OK);
  for (size_t i = 0; back && i < n; i++) {
    omen_severity a = OMEN_SEV_NOTE, b = OMEN_SEV_NOTE;
    bool on_a = omen_config_rule_severity(c, path, rules[i], &a);
    bool on_b = omen_config_rule_severity(back, "t/elsewhere.go", rules[i], &b);
    if (on_a != on_b || (on_a && a != b))
      fprintf(stderr, "round trip changed %s\n", rules[i]->id);
    CHECK(on_a == on_b && (!on_a || a == b));
    for (size_t k = 0; rules[i]->options && rules[i]->options[k].name; k++)
      CHECK_STR(omen_config_rule_option(back, rules[i], rules[i]->options[k].name),
                omen_config_rule_option(c, rules[i], rules[i]->options[k].name));
  }
  for (size_t i = 0; back && omen_registry[i]; i++) {
    bool on = omen_config_analyzer_on(c, omen_registry[i]->name);
    if (on)
      CHECK(omen_config_analyzer_on(back, omen_registry[i]->name));
    else if (!omen_config_has_enable_list(c))
      CHECK(!omen_config_analyzer_on(back, omen_registry[i]->name));
  }
  omen_severity fa = OMEN_SEV_WARNING, fb = OMEN_SEV_WARNING;
  bool ga = false, gb = false;
  omen_config_fail_on(c, &fa);
  omen_config_include_generated(c, &ga);
  CHECK(back && omen_config_fail_on(back, &fb) && fa == fb);
  CHECK(back && omen_config_include_generated(back, &gb) && ga == gb);
  static const char *const probes[] = {"t/vendor/a.go", "t/a.pb.go", "t/a.go", "t/x/y_test.go", NULL};
  for (int i = 0; back && probes[i]; i++)
    CHECK(omen_config_excluded(c, probes[i]) == omen_config_excluded(back, probes[i]));
  omen_config_free(back);
  free(text);
}

static void test_show(void) {
  size_t n;
  const omen_rule *const *all = omen_rules_all(&n);
  const char *text = "version: 1\n"
                     "fail-on: note\n"
                     "exclude: [\"vendor/\", \"**/*.pb.go\", \"we\\\"ird\\\\[\\\"]\", \"caf\xc3\xa9\"]\n"
                     "analyzers:\n"
                     "  disable: [go-map-race]\n"
                     "rules:\n"
                     "  thread-leak: off\n"
                     "  thread-leak/goroutine-no-exit: error\n"
                     "overrides:\n"
                     "  - paths: [\"**/*_test.go\"]\n"
                     "    rules:\n"
                     "      thread-leak: note\n"
                     "      deadlock/double-lock: off\n";
  omen_config *c = parse(text);
  CHECK(c != NULL);
  if (!c)
    return;
  check_round_trip(c, "t/x/y_test.go", all, n);
  check_round_trip(c, "t/main.go", all, n);
  check_round_trip(c, "elsewhere/main.go", all, n);
  check_round_trip(c, NULL, all, n);
  check_round_trip(NULL, "a.go", all, n);
  /* where each setting came from */
  char *out = show(c, "t/x/y_test.go");
  CHECK(
      out &&
      strstr(
          out,
          "\n  thread-leak/goroutine-no-exit: note  # t/.omen.yml:12 (overrides[0], family thread-leak)\n"));
  CHECK(out && strstr(out, "\n  deadlock/double-lock: off  # t/.omen.yml:13 (overrides[0])\n"));
  CHECK(out && strstr(out, "\n  deadlock/lock-order-inversion: warning\n"));
  CHECK(out && strstr(out, "\nfail-on: note  # t/.omen.yml:2\n"));
  CHECK(out && strstr(out, "\n    - go-map-race  # t/.omen.yml:5\n"));
  CHECK(out && strstr(out, "# overrides[0] applies (t/.omen.yml:10)."));
  free(out);
  out = show(c, "t/main.go");
  CHECK(out && strstr(out, "\n  thread-leak/goroutine-no-exit: error  # t/.omen.yml:8 (rules)\n"));
  CHECK(out &&
        strstr(out, "\n  thread-leak/thread-not-joined: off  # t/.omen.yml:7 (rules, family thread-leak)\n"));
  CHECK(out && !strstr(out, "applies"));
  free(out);
  out = show(c, "t/vendor/a.go");
  CHECK(out && strstr(out, "# Excluded: omen does not analyze it (exclude vendor/ at t/.omen.yml:3)."));
  free(out);
  out = show(c, "elsewhere/main.go");
  CHECK(out && strstr(out, "# elsewhere/main.go lies outside the directory of that file"));
  free(out);
  omen_config_free(c);

  /* an enable list comes back with what it requires */
  c = parse("analyzers:\n  enable: [go-deadlock]\n");
  check_round_trip(c, "t/a.go", all, n);
  out = show(c, "t/a.go");
  CHECK(out && strstr(out, "    - go-locks  # required by go-deadlock\n"));
  free(out);
  omen_config_free(c);

  /* options, quoted as needed */
  c = parse_fake("rules:\n  zz/misc:\n    options: {name: \"it's \\\"x\\\"\\n\\x01\"}\n  "
                 "missing-timeout/http-no-timeout:\n"
                 "    severity: off\n    options: {timeout: 5s}\n");
  CHECK(c != NULL);
  if (c)
    check_round_trip(c, "t/a.go", fake_rules, NFAKE);
  out = c ? show(c, "t/a.go") : NULL;
  CHECK(out &&
        strstr(out, "  missing-timeout/http-no-timeout:\n    severity: off  # t/.omen.yml:5 (rules)\n    "
                    "options:\n      timeout: \"5s\"  # t/.omen.yml:6\n"));
  free(out);
  omen_config_free(c);
}

/* The lines of text between "rules:" and the next line that starts a key or a top-level comment,
 * with their "# " taken out. */
static char *uncomment_rules(const char *text) {
  char *out = malloc(strlen(text) + 1);
  size_t o = 0;
  bool in_rules = false;
  for (const char *p = text; out && *p;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
    if (in_rules && len > 0 && p[0] != ' ' && p[0] != '\n')
      in_rules = false;
    if (in_rules && len >= 4 && memcmp(p, "  # ", 4) == 0) {
      memcpy(out + o, "  ", 2);
      memcpy(out + o + 2, p + 4, len - 4);
      o += len - 2;
    } else {
      memcpy(out + o, p, len);
      o += len;
    }
    if (len >= 6 && memcmp(p, "rules:", 6) == 0)
      in_rules = true;
    p += len;
  }
  if (out)
    out[o] = '\0';
  return out;
}

static void check_starter(const char *text, const omen_rule *const *rules, size_t n) {
  omen_config *c = NULL;
  CHECK(text != NULL);
  if (!text)
    return;
  omen_status s = omen_config_parse_rules(".omen.yml", text, strlen(text), rules, n, &c, err, sizeof err);
  if (s != OMEN_OK)
    fprintf(stderr, "the starter does not parse: %s\n", err);
  CHECK(s == OMEN_OK);
  omen_config_free(c);
  for (size_t i = 0; i < n; i++) {
    char line[256];
    snprintf(line, sizeof line, "\n  # %s:", rules[i]->id);
    CHECK(strstr(text, line) != NULL);
    snprintf(line, sizeof line, "\n  # %.*s: off ", (int)strcspn(rules[i]->id, "/"), rules[i]->id);
    CHECK(strstr(text, line) != NULL);
  }
  /* with the rules uncommented: every family off, then every rule back at its default */
  char *open_rules = uncomment_rules(text);
  CHECK(open_rules && strcmp(open_rules, text) != 0);
  c = NULL;
  s = omen_config_parse_rules(".omen.yml", open_rules, strlen(open_rules), rules, n, &c, err, sizeof err);
  if (s != OMEN_OK)
    fprintf(stderr, "the starter with its rules uncommented does not parse: %s\n%s", err, open_rules);
  CHECK(s == OMEN_OK);
  char *shown = c ? show(c, "a.go") : NULL;
  for (size_t i = 0; c && i < n; i++) {
    omen_severity sev;
    CHECK(omen_config_rule_severity(c, "a.go", rules[i], &sev) && sev == rules[i]->severity);
    /* the options are set (show says where), to their defaults */
    for (size_t k = 0; rules[i]->options && rules[i]->options[k].name; k++) {
      char key[128];
      snprintf(key, sizeof key, "\n      %s: ", rules[i]->options[k].name);
      const char *at = shown ? strstr(shown, key) : NULL;
      const char *eol = at ? strchr(at + 1, '\n') : NULL;
      const char *src = at ? strstr(at, "  # .omen.yml:") : NULL;
      CHECK(at && eol && src && src < eol);
      CHECK_STR(omen_config_rule_option(c, rules[i], rules[i]->options[k].name), rules[i]->options[k].def);
    }
  }
  free(shown);
  omen_config_free(c);
  free(open_rules);
}

static void test_starter(void) {
  size_t n;
  const omen_rule *const *all = omen_rules_all(&n);
  const char *text = omen_config_starter();
  check_starter(text, all, n);
  CHECK(omen_config_starter() == text); /* built once */
  CHECK(text && strstr(text, "\nversion: 1\n") && strstr(text, "\nrules:\n"));
  /* rules that declare options show them, with their defaults and docs */
  char *fake = omen_config_starter_rules(fake_rules, NFAKE);
  check_starter(fake, fake_rules, NFAKE);
  CHECK(fake && strstr(fake, "\n  #   options:\n  #     timeout: 30s "));
  CHECK(fake && strstr(fake, "# the timeout the fix inserts\n"));
  CHECK(fake && strstr(fake, "  #     name: \"a \\\"quoted\\\" default\" "));
  CHECK(fake && strstr(fake, "\n  # zz/plain: error "));
  free(fake);
}

/* ---- files: discovery and loading ---- */

static void write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f)
    return;
  CHECK(fwrite(text, 1, len, f) == len);
  fclose(f);
}

static bool exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static void test_find_and_load(void) {
  char tmpl[] = "/tmp/omen-config-XXXXXX";
  char *made = mkdtemp(tmpl);
  CHECK(made != NULL);
  if (!made)
    return;
  char *root = realpath(made, NULL); /* /tmp may be a link */
  char p[PATH_MAX + 128], q[PATH_MAX + 128], out[PATH_MAX + 128], want[2 * PATH_MAX];
  snprintf(p, sizeof p, "%s/a", root), mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/a/b", root), mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/a/b/c", root), mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/a/" OMEN_CONFIG_NAME, root);
  const char *text =
      "exclude: [\"vendor/\"]\noverrides:\n  - paths: [\"b/\"]\n    rules: {thread-leak: off}\n";
  write_file(p, text, strlen(text));
  snprintf(want, sizeof want, "%s/a/" OMEN_CONFIG_NAME, root);
  /* from a file, a directory, a path that does not exist; walking up */
  snprintf(p, sizeof p, "%s/a/b/c", root);
  CHECK(omen_config_find(p, out, sizeof out) && strcmp(out, want) == 0);
  snprintf(p, sizeof p, "%s/a/b/c/", root);
  CHECK(omen_config_find(p, out, sizeof out) && strcmp(out, want) == 0);
  snprintf(p, sizeof p, "%s/a/b/c/main.go", root);
  CHECK(omen_config_find(p, out, sizeof out) && strcmp(out, want) == 0);
  snprintf(p, sizeof p, "%s/a", root);
  CHECK(omen_config_find(p, out, sizeof out) && strcmp(out, want) == 0);
  snprintf(p, sizeof p, "%s/a/" OMEN_CONFIG_NAME, root);
  CHECK(omen_config_find(p, out, sizeof out) && strcmp(out, want) == 0);
  CHECK(!omen_config_find(p, out, 8)); /* does not fit */
  /* a directory named .omen.yml is not a configuration */
  snprintf(p, sizeof p, "%s/a/b/" OMEN_CONFIG_NAME, root), mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/a/b/c", root);
  CHECK(omen_config_find(p, out, sizeof out) && strcmp(out, want) == 0);
  /* the nearest wins */
  snprintf(q, sizeof q, "%s/a/b/c/" OMEN_CONFIG_NAME, root);
  write_file(q, "", 0);
  CHECK(omen_config_find(p, out, sizeof out) && strcmp(out, q) == 0);
  unlink(q);
  /* above a: nothing, unless the machine has one above the temporary directory */
  bool above = exists("/tmp/" OMEN_CONFIG_NAME) || exists("/" OMEN_CONFIG_NAME);
  CHECK(omen_config_find(root, out, sizeof out) == above);
  /* relative to the working directory when under it */
  char cwd[PATH_MAX];
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  CHECK(chdir(root) == 0);
  CHECK(omen_config_find("a/b/c/x.go", out, sizeof out));
  CHECK_STR(out, "a/" OMEN_CONFIG_NAME);
  CHECK(omen_config_find("a", out, sizeof out));
  CHECK_STR(out, "a/" OMEN_CONFIG_NAME);
  CHECK(chdir("a/b") == 0);
  CHECK(omen_config_find(".", out, sizeof out) && strcmp(out, want) == 0);
  /* loading: the paths it is asked about are relative to this directory */
  omen_config *c = NULL;
  CHECK(omen_config_load("../" OMEN_CONFIG_NAME, &c, err, sizeof err) == OMEN_OK);
  CHECK(c && omen_config_excluded(c, "../vendor/x.go") && !omen_config_excluded(c, "x.go"));
  omen_severity sev;
  const omen_rule *noexit = rule("thread-leak/goroutine-no-exit");
  CHECK(c && noexit && !omen_config_rule_severity(c, "c/x.go", noexit, &sev));
  snprintf(p, sizeof p, "%s/a/b/c/x.go", root);
  CHECK(c && noexit && !omen_config_rule_severity(c, p, noexit, &sev));
  CHECK(c && noexit && omen_config_rule_severity(c, "../x.go", noexit, &sev));
  CHECK_STR(omen_config_path(c), "../" OMEN_CONFIG_NAME);
  CHECK_STR(omen_config_dir(c), "..");
  omen_config_free(c);
  CHECK(chdir(cwd) == 0);
  /* through a symbolic link to the directory: absolute paths through either name match */
  snprintf(p, sizeof p, "%s/link", root);
  snprintf(q, sizeof q, "%s/a", root);
  CHECK(symlink(q, p) == 0);
  snprintf(p, sizeof p, "%s/link/" OMEN_CONFIG_NAME, root);
  CHECK(omen_config_load(p, &c, err, sizeof err) == OMEN_OK);
  snprintf(p, sizeof p, "%s/a/vendor/x.go", root);
  CHECK(c && omen_config_excluded(c, p));
  snprintf(p, sizeof p, "%s/link/vendor/x.go", root);
  CHECK(c && omen_config_excluded(c, p));
  omen_config_free(c);

  /* what cannot be loaded */
  snprintf(p, sizeof p, "%s/missing.yml", root);
  CHECK(omen_config_load(p, &c, err, sizeof err) == OMEN_EIO && !c);
  snprintf(want, sizeof want, "%s: cannot read: No such file or directory", p);
  CHECK_STR(err, want);
  snprintf(p, sizeof p, "%s/a", root);
  CHECK(omen_config_load(p, &c, err, sizeof err) == OMEN_EIO && strstr(err, "it is a directory"));
  snprintf(p, sizeof p, "%s/fifo", root);
  CHECK(mkfifo(p, 0600) == 0);
  CHECK(omen_config_load(p, &c, err, sizeof err) == OMEN_EIO && strstr(err, "not a regular file"));
  unlink(p);
  /* the size limit: a file of exactly 1 MiB loads, one byte more does not */
  size_t big = OMEN_CONFIG_MAX_SIZE;
  char *huge = malloc(big + 1);
  CHECK(huge != NULL);
  if (huge) {
    memset(huge, 'x', big + 1);
    huge[0] = '#';
    huge[big - 1] = '\n';
    snprintf(p, sizeof p, "%s/big.yml", root);
    write_file(p, huge, big);
    CHECK(omen_config_load(p, &c, err, sizeof err) == OMEN_OK);
    omen_config_free(c);
    huge[big - 1] = 'x';
    huge[big] = '\n';
    write_file(p, huge, big + 1);
    CHECK(omen_config_load(p, &c, err, sizeof err) == OMEN_EUSAGE && !c);
    snprintf(want, sizeof want, "%s: larger than 1 MiB", p);
    CHECK(strncmp(err, want, strlen(want)) == 0);
    unlink(p);
    free(huge);
  }
  /* an error in a loaded file names it */
  snprintf(p, sizeof p, "%s/bad.yml", root);
  write_file(p, "version: 1\nrules:\n  thread-leak: sometimes\n", 42);
  CHECK(omen_config_load(p, &c, err, sizeof err) == OMEN_EUSAGE);
  snprintf(want, sizeof want, "%s:3:16: bad severity 'sometimes'", p);
  CHECK(strncmp(err, want, strlen(want)) == 0);
  unlink(p);

  snprintf(p, sizeof p, "%s/link", root), unlink(p);
  snprintf(p, sizeof p, "%s/a/" OMEN_CONFIG_NAME, root), unlink(p);
  snprintf(p, sizeof p, "%s/a/b/" OMEN_CONFIG_NAME, root), rmdir(p);
  snprintf(p, sizeof p, "%s/a/b/c", root), rmdir(p);
  snprintf(p, sizeof p, "%s/a/b", root), rmdir(p);
  snprintf(p, sizeof p, "%s/a", root), rmdir(p);
  CHECK(rmdir(root) == 0);
  free(root);
}

/* ---- hostile input ---- */

static void test_hostile(void) {
  /* a billion laughs: refused at the first anchor, before anything is expanded */
  const char *lol = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
  ERR(lol, "1:4", "anchors (&a) and aliases are not supported");
  ERR("rules: &r {thread-leak: *r}\n", "1:8", "anchors (&r)");
  ERR("exclude: [*undefined]\n", "1:11", "aliases (*undefined)");
  ERR("<<: *base\n", "1:5", "aliases (*base)");
  /* deep nesting, flow and block */
  size_t n = 200000;
  char *deep = malloc(2 * n + 2);
  CHECK(deep != NULL);
  if (deep) {
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\n';
    deep[2 * n + 1] = '\0';
    ERR(deep, "1:33", "nested more than 32 levels deep");
    memset(deep, '{', n);
    deep[n] = '\0';
    ERR(deep, "1:33", "nested more than 32 levels deep");
    free(deep);
  }
  char block[8192];
  size_t o = 0;
  for (int i = 0; i < 40; i++)
    o += (size_t)snprintf(block + o, sizeof block - o, "%*sk%d:\n", i, "", i);
  ERR(block, "33:33", "nested more than 32 levels deep");
  /* huge, by size alone, however it is made */
  size_t big = OMEN_CONFIG_MAX_SIZE + 1;
  char *huge = malloc(big + 1);
  CHECK(huge != NULL);
  if (huge) {
    for (size_t i = 0; i < big; i++)
      huge[i] = "rules: {}\n"[i % 10];
    huge[big] = '\0';
    ERR(huge, NULL, "larger than 1 MiB");
    /* a long valid file of repeated keys stops at the second */
    memset(huge, ' ', big);
    memcpy(huge, "rules:\n", 7);
    for (size_t i = 7; i + 14 < big; i += 14)
      memcpy(huge + i, "  omen: note\n\n", 14);
    huge[big - 1] = '\n';
    check_err(__LINE__, huge, big - 1, "2:3", "'rules' has more than 10000 entries");
    check_err(__LINE__, huge, 7 + 14 * 9000, "4:3", "duplicate key 'omen' (first at line 2, column 3)");
    free(huge);
  }
  /* binary: every byte value */
  char bin[512];
  for (int i = 0; i < 512; i++)
    bin[i] = (char)(i * 7 + 3);
  check_err(__LINE__, bin, sizeof bin, "2:17", "not valid UTF-8"); /* byte 18 is 0x81; a NUL comes later */
  bin[0] = 'a';
  bin[1] = '\0';
  check_err(__LINE__, bin, sizeof bin, "1:2", "contains a NUL byte");
  /* UTF-16, with its byte order mark */
  check_err(__LINE__, "\xff\xfev\0e\0r\0", 8, "1:1", "not valid UTF-8");
  /* truncated in the middle of everything */
  const char *full = "version: 1\nrules:\n  missing-timeout/http-no-timeout:\n    severity: \"error\"\n"
                     "overrides:\n  - paths: [\"a/**\"]\n    rules: {thread-leak: off}\n";
  for (size_t cut = 0; cut < strlen(full); cut++) {
    omen_config *c = NULL;
    err[0] = '\0';
    omen_status s = omen_config_parse(CFG, full, cut, &c, err, sizeof err);
    /* either a configuration, or an error with a position */
    CHECK(s == OMEN_OK ? c != NULL : c == NULL && strncmp(err, CFG ":", strlen(CFG) + 1) == 0);
    omen_config_free(c);
  }
}

/* Every ```yaml block of docs/configuration.md is a configuration omen accepts. */
static void test_docs(const char *srcdir) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/docs/configuration.md", srcdir);
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  if (!f)
    return;
  static char text[1 << 18];
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[len] = '\0';
  int blocks = 0;
  for (const char *p = strstr(text, "\n```yaml\n"); p; p = strstr(p, "\n```yaml\n")) {
    p += strlen("\n```yaml\n");
    const char *end = strstr(p, "\n```\n");
    CHECK(end != NULL);
    if (!end)
      break;
    omen_config *c = NULL;
    omen_status s = omen_config_parse("docs/configuration.md", p, (size_t)(end - p) + 1, &c, err, sizeof err);
    if (s != OMEN_OK)
      fprintf(stderr, "block %d of docs/configuration.md: %s\n", blocks + 1, err);
    CHECK(s == OMEN_OK);
    omen_config_free(c);
    blocks++;
    p = end;
  }
  CHECK(blocks >= 4);
}

int main(int argc, char **argv) {
  test_errors();
  test_accepts();
  test_analyzers();
  test_severity();
  test_excludes();
  test_globs();
  test_options();
  test_values();
  test_show();
  test_starter();
  test_find_and_load();
  test_hostile();
  test_docs(argc > 1 ? argv[1] : "..");
  return check_done();
}
