/* test_suppress.c - unit tests of suppression comments: every form in Go and C/C++ text, literals and
 * comments that only look like directives, invalid directives and their problems, matching findings,
 * and hostile input (size, NUL bytes, invalid UTF-8, many directives) in bounded time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "reader.h"
#include "registry.h"
#include "suppress.h"

#define GO OMEN_LANG_GO
#define C OMEN_LANG_C
#define CPP OMEN_LANG_CPP

static omen_file *mkfile(const char *path, const char *text, size_t len) {
  omen_file *f = omen_file_new(path, text, len);
  if (!f) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return f;
}

/* The directives of text (a NUL-terminated string). */
static omen_ignores scan(const char *text, unsigned lang) {
  omen_file *f = mkfile(lang == GO ? "f.go" : "f.c", text, strlen(text));
  omen_ignores ig;
  omen_status st = omen_ignores_scan(f, lang, &ig);
  CHECK(st == OMEN_OK);
  omen_file_free(f);
  return ig;
}

static size_t count(const char *text, unsigned lang) {
  omen_ignores ig = scan(text, lang);
  size_t n = ig.n;
  omen_ignores_free(&ig);
  return n;
}

static omen_diag mkdiag(const char *rule_id, const char *path, uint32_t line) {
  omen_diag d = {0};
  d.rule = omen_rule_find(rule_id);
  if (!d.rule || !(d.loc.path = strdup(path)) || !(d.message = strdup("finding"))) {
    fprintf(stderr, "no rule %s or out of memory\n", rule_id);
    exit(2);
  }
  d.loc.start_pos.line = line;
  return d;
}

/* Does the text suppress a finding of rule_id on line? */
static bool covers(const char *text, unsigned lang, const char *rule_id, uint32_t line) {
  omen_ignores ig = scan(text, lang);
  omen_diag d = mkdiag(rule_id, "f", line);
  CHECK(omen_ignores_apply(&ig, "f", &d, 1) == OMEN_OK);
  bool s = d.suppressed;
  CHECK(s == (d.suppress_reason != NULL));
  omen_diag_clear(&d);
  omen_ignores_free(&ig);
  return s;
}

/* The problem of the only directive of text ("" when it is valid). */
static char problem_buf[512];
static const char *problem(const char *text, unsigned lang) {
  omen_ignores ig = scan(text, lang);
  CHECK(ig.n == 1);
  snprintf(problem_buf, sizeof problem_buf, "%s", ig.n && ig.v[0].problem ? ig.v[0].problem : "");
  omen_ignores_free(&ig);
  return problem_buf;
}

static bool contains(const char *s, const char *sub) { return s && strstr(s, sub) != NULL; }

static void test_go_forms(void) {
  /* the line above and the line itself */
  const char *above =
      "package p\n//omen:ignore thread-leak the worker lives as long as the process\ngo f()\n\n";
  CHECK(covers(above, GO, "thread-leak/goroutine-no-exit", 2));
  CHECK(covers(above, GO, "thread-leak/goroutine-no-exit", 3));
  CHECK(!covers(above, GO, "thread-leak/goroutine-no-exit", 4));
  CHECK(!covers(above, GO, "thread-leak/goroutine-no-exit", 1));
  CHECK(!covers(above, GO, "deadlock/double-lock", 3));
  const char *same = "package p\n\ngo f() // omen:ignore thread-leak/goroutine-no-exit: reviewed\n";
  CHECK(covers(same, GO, "thread-leak/goroutine-no-exit", 3));
  CHECK(!covers(same, GO, "thread-leak/goroutine-send-blocks", 3));

  omen_ignores ig = scan(same, GO);
  CHECK(ig.n == 1);
  if (ig.n == 1) {
    omen_ignore *d = &ig.v[0];
    CHECK(d->form == OMEN_IGNORE_LINE);
    CHECK(d->first == 3 && d->last == 4);
    CHECK(d->nnames == 1 && strcmp(d->names[0], "thread-leak/goroutine-no-exit") == 0);
    CHECK_STR(d->reason, "reviewed");
    CHECK(d->problem == NULL);
    /* the byte range is the directive's text, for the report */
    CHECK(d->start == (uint32_t)(strstr(same, "omen:ignore") - same));
    CHECK(d->end == (uint32_t)strlen(same) - 1);
    CHECK_STR(omen_ignore_form_str(d->form), "omen:ignore");
  }
  omen_ignores_free(&ig);

  /* a list of names with spaces after commas; '-' before the reason */
  ig = scan("//omen:ignore deadlock/double-lock, thread-leak - both reviewed\nx()\n", GO);
  CHECK(ig.n == 1 && ig.v[0].nnames == 2 && !ig.v[0].problem);
  if (ig.n == 1 && ig.v[0].nnames == 2) {
    CHECK_STR(ig.v[0].names[1], "thread-leak");
    CHECK_STR(ig.v[0].reason, "both reviewed");
  }
  omen_ignores_free(&ig);

  /* whole file */
  const char *file = "// omen:file-ignore deadlock generated lock code\npackage p\n\n\n\nfunc f() {}\n";
  CHECK(covers(file, GO, "deadlock/double-lock", 6));
  CHECK(covers(file, GO, "deadlock/lock-order-inversion", 1));
  CHECK(!covers(file, GO, "thread-leak/goroutine-no-exit", 6));
  ig = scan(file, GO);
  CHECK(ig.n == 1 && ig.v[0].form == OMEN_IGNORE_FILE && ig.v[0].first == 1 && ig.v[0].last == 7);
  omen_ignores_free(&ig);

  /* look-alikes */
  CHECK(count("//omen:ignorefoo deadlock reason\n", GO) == 0);
  CHECK(count("// not omen:ignore deadlock reason\n", GO) == 0);
  CHECK(count("//omen:file-ignored deadlock reason\n", GO) == 0);
  CHECK(count("// omen: ignore deadlock reason\n", GO) == 0);
  /* NOLINT is C/C++ only */
  CHECK(count("x() // NOLINT(omen-deadlock) reason\n", GO) == 0);
  CHECK(count("x() // NOLINT(omen-deadlock) reason\n", C) == 1);
  /* CRLF line ends */
  ig = scan("//omen:ignore deadlock reason here\r\nx()\r\n", GO);
  CHECK(ig.n == 1);
  if (ig.n == 1)
    CHECK_STR(ig.v[0].reason, "reason here");
  omen_ignores_free(&ig);
}

static void test_c_forms(void) {
  const char *above = "int f(void) {\n  // omen:ignore thread-leak/thread-not-joined detached by the pool\n"
                      "  pthread_create(&t, 0, run, 0);\n}\n";
  CHECK(covers(above, C, "thread-leak/thread-not-joined", 3));
  CHECK(!covers(above, C, "thread-leak/thread-not-joined", 4));
  CHECK(covers("pthread_create(&t, 0, run, 0); //omen:ignore thread-leak reason\n", C,
               "thread-leak/thread-not-joined", 1));
  CHECK(covers("/* omen:file-ignore all vendored */\n\n\nint x;\n", CPP, "deadlock/double-lock", 4));

  /* NOLINT: its line only */
  const char *nl = "\npthread_create(&t, 0, run, 0); // NOLINT(omen-thread-leak): pool joins it\nx();\n";
  CHECK(covers(nl, C, "thread-leak/thread-not-joined", 2));
  CHECK(!covers(nl, C, "thread-leak/thread-not-joined", 3));
  CHECK(!covers(nl, C, "thread-leak/thread-not-joined", 1));
  /* NOLINTNEXTLINE: the next line only */
  const char *next =
      "// NOLINTNEXTLINE(omen-thread-leak/thread-not-joined) pool joins it\npthread_create();\nx();\n";
  CHECK(!covers(next, C, "thread-leak/thread-not-joined", 1));
  CHECK(covers(next, C, "thread-leak/thread-not-joined", 2));
  CHECK(!covers(next, C, "thread-leak/thread-not-joined", 3));
  omen_ignores ig = scan(next, C);
  CHECK(ig.n == 1 && ig.v[0].form == OMEN_IGNORE_NEXTLINE && ig.v[0].start == 3);
  if (ig.n == 1)
    CHECK_STR(ig.v[0].reason, "pool joins it");
  omen_ignores_free(&ig);

  /* mixed clang-tidy and omen names: only omen-'s are kept */
  ig = scan("f(); // NOLINT(bugprone-unused-return-value, omen-deadlock,cert-err33-c, omen-*) reviewed\n",
            CPP);
  CHECK(ig.n == 1 && ig.v[0].nnames == 2 && !ig.v[0].problem);
  if (ig.n == 1 && ig.v[0].nnames == 2) {
    CHECK_STR(ig.v[0].names[0], "deadlock");
    CHECK_STR(ig.v[0].names[1], "all");
  }
  omen_ignores_free(&ig);
  /* NOLINTs that are clang-tidy's only */
  CHECK(count("f(); // NOLINT\n", C) == 0);
  CHECK(count("f(); // NOLINT(bugprone-*)\n", C) == 0);
  CHECK(count("f(); // NOLINT(*) everything\n", C) == 0);
  CHECK(count("// NOLINTNEXTLINE\nf();\n", C) == 0);
  CHECK(count("f(); // XNOLINT(omen-deadlock) reason\n", C) == 0);
  CHECK(count("f(); // NOLINTX(omen-deadlock) reason\n", C) == 0);
  /* the first NOLINT names no omen- check, the second does */
  ig = scan("f(); // NOLINT(cert-err33-c) NOLINT(omen-deadlock) ok\n", C);
  CHECK(ig.n == 1 && ig.v[0].nnames == 1);
  omen_ignores_free(&ig);
}

static void test_blocks(void) {
  const char *blk = "a();\n// NOLINTBEGIN(omen-deadlock) legacy locking, rewritten in #123\nb();\nc();\n"
                    "// NOLINTEND(omen-deadlock)\nd();\n";
  omen_ignores ig = scan(blk, C);
  CHECK(ig.n == 1);
  if (ig.n == 1) {
    CHECK(ig.v[0].form == OMEN_IGNORE_BLOCK && ig.v[0].first == 2 && ig.v[0].last == 5 && !ig.v[0].problem);
    CHECK_STR(ig.v[0].reason, "legacy locking, rewritten in #123");
  }
  omen_ignores_free(&ig);
  CHECK(!covers(blk, C, "deadlock/double-lock", 1));
  CHECK(covers(blk, C, "deadlock/double-lock", 3));
  CHECK(covers(blk, C, "deadlock/double-lock", 4));
  CHECK(!covers(blk, C, "deadlock/double-lock", 6));
  CHECK(!covers(blk, C, "thread-leak/thread-not-joined", 3));

  /* unmatched BEGIN and END */
  const char *p = problem("// NOLINTBEGIN(omen-deadlock) reason\nf();\n", C);
  CHECK(contains(p, "NOLINTBEGIN has no NOLINTEND"));
  CHECK(!covers("// NOLINTBEGIN(omen-deadlock) reason\nf();\n", C, "deadlock/double-lock", 2));
  ig = scan("f();\n// NOLINTEND(omen-deadlock)\n", C);
  CHECK(ig.n == 1 && ig.v[0].form == OMEN_IGNORE_BLOCK_END);
  if (ig.n == 1)
    CHECK(contains(ig.v[0].problem, "NOLINTEND has no NOLINTBEGIN"));
  omen_ignores_free(&ig);
  /* END before BEGIN: both unmatched */
  ig = scan("// NOLINTEND(omen-deadlock)\n// NOLINTBEGIN(omen-deadlock) r\n", C);
  CHECK(ig.n == 2 && ig.v[0].form == OMEN_IGNORE_BLOCK_END && ig.v[0].problem && ig.v[1].problem);
  omen_ignores_free(&ig);
  /* an END names the same omen- checks as its BEGIN (clang-tidy's are not compared) */
  ig = scan("// NOLINTBEGIN(omen-deadlock, bugprone-x) r\nf();\n// NOLINTEND(omen-thread-leak)\n", C);
  CHECK(ig.n == 2 && ig.v[0].problem && ig.v[1].problem);
  omen_ignores_free(&ig);
  ig = scan("// NOLINTBEGIN(omen-deadlock, bugprone-x) r\nf();\n// NOLINTEND(omen-deadlock)\n", C);
  CHECK(ig.n == 1 && !ig.v[0].problem && ig.v[0].last == 3);
  omen_ignores_free(&ig);
  /* nested and interleaved blocks pair with the nearest open BEGIN of the same checks */
  ig = scan("// NOLINTBEGIN(omen-deadlock) outer\n"    /* 1 */
            "// NOLINTBEGIN(omen-thread-leak) other\n" /* 2 */
            "// NOLINTBEGIN(omen-deadlock) inner\n"    /* 3 */
            "// NOLINTEND(omen-deadlock)\n"            /* 4 */
            "// NOLINTEND(omen-thread-leak)\n"         /* 5 */
            "// NOLINTEND(omen-deadlock)\n",           /* 6 */
            C);
  CHECK(ig.n == 3);
  if (ig.n == 3) {
    CHECK(ig.v[0].first == 1 && ig.v[0].last == 6 && !ig.v[0].problem);
    CHECK(ig.v[1].first == 2 && ig.v[1].last == 5 && !ig.v[1].problem);
    CHECK(ig.v[2].first == 3 && ig.v[2].last == 4 && !ig.v[2].problem);
  }
  omen_ignores_free(&ig);
  /* a BEGIN with a problem still pairs with its END (only one complaint) */
  ig = scan("// NOLINTBEGIN(omen-deadlock)\nf();\n// NOLINTEND(omen-deadlock)\n", C);
  CHECK(ig.n == 1 && contains(ig.v[0].problem, "needs a reason after the rule list"));
  omen_ignores_free(&ig);
}

static void test_literals(void) {
  /* Go: strings, escaped quotes, raw strings over lines, runes */
  CHECK(count("s := \"//omen:ignore all because\"\n", GO) == 0);
  CHECK(count("s := \"a\\\"//omen:ignore all because\"\n", GO) == 0);
  CHECK(count("s := `\n//omen:ignore all because\n/* omen:ignore all x */`\n", GO) == 0);
  CHECK(count("r := '\"' //omen:ignore deadlock still a comment\n", GO) == 1);
  CHECK(count("r := '`' //omen:ignore deadlock still a comment\n", GO) == 1);
  CHECK(count("r := '\\'' //omen:ignore deadlock still a comment\n", GO) == 1);
  /* after a raw string the scan goes on */
  CHECK(count("s := `x\ny` //omen:ignore deadlock after raw\n", GO) == 1);
  /* backquotes are not strings in C */
  CHECK(count("// `\nint x; // omen:ignore deadlock reason\n// `\n", C) == 1);

  /* C/C++: strings, chars, raw strings, digit separators */
  CHECK(count("char *s = \"// NOLINT(omen-deadlock) r\";\n", C) == 0);
  CHECK(count("char *s = \"\\\\\"; // NOLINT(omen-deadlock) r\n", C) == 1);
  CHECK(count("char c = '\"'; // NOLINT(omen-deadlock) r\n", C) == 1);
  CHECK(count("auto s = R\"x(\n)\"// omen:ignore all a\n)x\"; // omen:ignore deadlock real\n", CPP) == 1);
  CHECK(count("auto s = u8R\"(// omen:ignore all a)\"; // omen:ignore deadlock real\n", CPP) == 1);
  CHECK(count("auto s = LR\"--(// NOLINT(omen-all) a\n)--\";\n", CPP) == 0);
  CHECK(count("int n = 1'000'000; // omen:ignore deadlock real\n", CPP) == 1);
  /* an unclosed string ends at its line */
  CHECK(count("char *s = \"abc\n// omen:ignore deadlock real\n", C) == 1);
  /* a // comment continued by a backslash (C) swallows the next line */
  CHECK(count("// a \\\n/*\n// omen:ignore deadlock real\n*/\n", C) == 1);
  CHECK(count("// a \\\n// omen:ignore deadlock in the comment's second line\n", C) == 1);
}

static void test_block_comments(void) {
  omen_ignores ig = scan("x();\n/* omen:ignore deadlock the reason */ f();\n", C);
  CHECK(ig.n == 1 && !ig.v[0].problem && ig.v[0].first == 2);
  if (ig.n == 1)
    CHECK_STR(ig.v[0].reason, "the reason");
  omen_ignores_free(&ig);
  /* the directive's line is where its text starts */
  const char *multi =
      "/*\n * Locking is done by the caller.\n * omen:ignore deadlock caller holds mu\n */\nf();\n";
  ig = scan(multi, GO);
  CHECK(ig.n == 1 && ig.v[0].first == 3 && ig.v[0].last == 5); /* to the line after the comment */
  if (ig.n == 1)
    CHECK_STR(ig.v[0].reason, "caller holds mu");
  omen_ignores_free(&ig);
  CHECK(covers(multi, GO, "deadlock/double-lock", 5));
  CHECK(!covers(multi, GO, "deadlock/double-lock", 6));
  /* NOLINTNEXTLINE keeps clang-tidy's meaning: the line after its own */
  ig = scan("/*\n NOLINTNEXTLINE(omen-deadlock) r\n */\nf();\n", C);
  CHECK(ig.n == 1 && ig.v[0].first == 3 && ig.v[0].last == 3);
  omen_ignores_free(&ig);
  CHECK(count("/* see omen:ignore in the docs */\n", GO) == 0);
  CHECK(count("/** omen:ignore deadlock doxygen style */\n", C) == 1);
  ig = scan("/* x\n   NOLINTNEXTLINE(omen-deadlock) ok */\nf();\n", C);
  CHECK(ig.n == 1 && ig.v[0].first == 3);
  omen_ignores_free(&ig);
  /* unclosed block comment: to the end of the text */
  CHECK(count("/* omen:ignore deadlock reason", C) == 1);
  ig = scan("/* omen:ignore deadlock */\n", C);
  CHECK(ig.n == 1 && contains(ig.v[0].problem, "needs a reason after the rule list"));
  omen_ignores_free(&ig);
}

static void test_invalid(void) {
  /* each text's only directive and (part of) its problem */
  static const struct {
    const char *text;
    unsigned lang;
    const char *problem;
  } cases[] = {
      {"//omen:ignore deadlock\nf()\n", GO, "omen:ignore needs a reason after the rule list"},
      {"//omen:ignore deadlock/no-such-rule reason\n", GO,
       "omen:ignore names unknown rule or family \"deadlock/no-such-rule\""},
      {"//omen:ignore dedlock reason\n", GO, "unknown rule or family \"dedlock\""},
      {"//omen:ignore\n", GO, "omen:ignore names no rule"},
      {"//omen:ignore : reason\n", GO, "names no rule"},
      /* prose after the keyword reads as a rule name */
      {"//omen:ignore because it is fine\n", GO, "\"because\""},
      {"//omen:file-ignore reason-less\n", GO,
       "omen:file-ignore names unknown rule or family \"reason-less\""},
      {"x(); // NOLINT(omen-dedlock) reason\n", C, "NOLINT names unknown rule or family \"omen-dedlock\""},
      {"x(); // NOLINTNEXTLINE(omen-deadlock)\n", C, "NOLINTNEXTLINE needs a reason after the rule list"},
      {"x(); // NOLINT(omen-deadlock reason\n", C, "NOLINT(omen-...) has no closing parenthesis"},
      {"x(); // NOLINTEND(omen-deadlock reason\n", C, "NOLINTEND(omen-...) has no closing parenthesis"},
      /* the engine's own rules */
      {"//omen:ignore omen/syntax-error reason\n", GO, "cannot be suppressed"},
      {"//omen:ignore omen reason\n", GO, "cannot be suppressed"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *p = problem(cases[i].text, cases[i].lang);
    if (!contains(p, cases[i].problem))
      fprintf(stderr, "case %zu: problem \"%s\", want \"%s\"\n", i, p ? p : "(none)", cases[i].problem);
    CHECK(contains(p, cases[i].problem));
  }
  /* invalid directives suppress nothing, not even with a valid name beside the unknown one */
  CHECK(!covers("//omen:ignore deadlock\nf()\n", GO, "deadlock/double-lock", 2));
  CHECK(!covers("//omen:ignore dedlock,deadlock reason\nf()\n", GO, "deadlock/double-lock", 2));
  const char *p;
  /* a long unknown name is cut in the message */
  char longname[400];
  memset(longname, 'x', sizeof longname);
  memcpy(longname, "//omen:ignore ", 14);
  memcpy(longname + sizeof longname - 9, " reason\n", 9);
  p = problem(longname, GO);
  CHECK(contains(p, "...\"") && strlen(p) < 200);
  /* valid ones have no problem */
  CHECK_STR(problem("//omen:ignore all everything here is reviewed\n", GO), "");
  CHECK_STR(problem("//omen:ignore missing-timeout,thread-leak/goroutine-no-exit reviewed\n", GO), "");
}

static bool on_deadlock_only(const omen_rule *r, void *ctx) {
  (*(int *)ctx)++;
  return strncmp(r->id, "deadlock/", 9) == 0;
}

static void test_names(void) {
  omen_ignores ig = scan("//omen:ignore deadlock,thread-leak/thread-not-joined reviewed\n", GO);
  CHECK(ig.n == 1);
  if (ig.n == 1) {
    omen_ignore *d = &ig.v[0];
    CHECK(omen_ignore_names(d, "deadlock/double-lock"));
    CHECK(omen_ignore_names(d, "thread-leak/thread-not-joined"));
    CHECK(!omen_ignore_names(d, "thread-leak/goroutine-no-exit"));
    CHECK(!omen_ignore_names(d, "deadlockx/double-lock"));
    CHECK(!omen_ignore_names(d, "dead/lock"));
    int calls = 0;
    CHECK(omen_ignore_names_any(d, on_deadlock_only, &calls));
    CHECK(calls > 0);
  }
  omen_ignores_free(&ig);
  ig = scan("//omen:ignore thread-leak reviewed\n", GO);
  int calls = 0;
  CHECK(ig.n == 1 && !omen_ignore_names_any(&ig.v[0], on_deadlock_only, &calls));
  omen_ignores_free(&ig);
  ig = scan("//omen:ignore all reviewed\n", GO);
  CHECK(ig.n == 1 && omen_ignore_names(&ig.v[0], "map-race/unguarded-write"));
  omen_ignores_free(&ig);
  CHECK(covers("//omen:ignore all reviewed\nf()\n", GO, "map-race/unguarded-write", 2));
  CHECK(covers("f(); // NOLINT(omen-*) reviewed\n", C, "thread-leak/thread-not-joined", 1));
}

static void test_apply(void) {
  const char *text = "package p\n"                                                 /* 1 */
                     "//omen:file-ignore missing-timeout slow tests tolerate it\n" /* 2 */
                     "//omen:ignore deadlock the lock is held by the caller\n"     /* 3 */
                     "f()\n"                                                       /* 4 */
                     "//omen:ignore all every finding here is reviewed\n"          /* 5 */
                     "g()\n"                                                       /* 6 */
                     "//omen:ignore thread-leak nothing leaks here\n"              /* 7 */
                     "h()\n";                                                      /* 8 */
  omen_ignores ig = scan(text, GO);
  CHECK(ig.n == 4);
  omen_diag d[7];
  d[0] = mkdiag("deadlock/double-lock", "a.go", 4);
  d[1] = mkdiag("deadlock/double-lock", "b.go", 4); /* another file */
  d[2] = mkdiag("omen/syntax-error", "a.go", 4);    /* the engine's own */
  d[3] = mkdiag("map-race/unguarded-write", "a.go", 6);
  d[4] = mkdiag("missing-timeout/http-no-timeout", "a.go", 6);
  d[5] = mkdiag("missing-timeout/http-no-timeout", "a.go", 1);
  d[6] = mkdiag("omen/unused-ignore", "a.go", 5);
  CHECK(omen_ignores_apply(&ig, "a.go", d, 7) == OMEN_OK);
  CHECK(d[0].suppressed);
  CHECK_STR(d[0].suppress_reason, "the lock is held by the caller");
  if (ig.n == 4)
    CHECK(d[0].suppress_reason != ig.v[1].reason);
  CHECK(!d[1].suppressed && !d[1].suppress_reason);
  CHECK(!d[2].suppressed && !d[2].suppress_reason);
  CHECK(d[3].suppressed);
  CHECK_STR(d[3].suppress_reason, "every finding here is reviewed");
  /* covered by the file-ignore and the all on line 5: the narrowest gives the reason */
  CHECK(d[4].suppressed);
  CHECK_STR(d[4].suppress_reason, "every finding here is reviewed");
  CHECK(d[5].suppressed);
  CHECK_STR(d[5].suppress_reason, "slow tests tolerate it");
  CHECK(!d[6].suppressed);
  if (ig.n == 4) {
    CHECK(ig.v[0].used && ig.v[1].used && ig.v[2].used);
    CHECK(!ig.v[3].used);
  }
  /* a diagnostic suppressed before keeps its reason */
  free(d[4].suppress_reason);
  d[4].suppress_reason = strdup("earlier");
  CHECK(omen_ignores_apply(&ig, "a.go", d, 7) == OMEN_OK);
  CHECK_STR(d[4].suppress_reason, "earlier");
  CHECK_STR(d[0].suppress_reason, "the lock is held by the caller");
  for (size_t i = 0; i < 7; i++)
    omen_diag_clear(&d[i]);
  omen_ignores_free(&ig);

  /* invalid directives neither suppress nor get used */
  ig = scan("//omen:ignore deadlock\nf()\n", GO);
  omen_diag x = mkdiag("deadlock/double-lock", "a.go", 2);
  CHECK(omen_ignores_apply(&ig, "a.go", &x, 1) == OMEN_OK);
  CHECK(!x.suppressed && ig.n == 1 && !ig.v[0].used);
  omen_diag_clear(&x);
  omen_ignores_free(&ig);
  /* nothing to do */
  CHECK(omen_ignores_apply(&ig, "a.go", NULL, 0) == OMEN_OK);
  omen_ignores_free(NULL);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A buffer filled by repeating unit n times. */
static char *repeat(const char *unit, size_t n, size_t *len) {
  size_t k = strlen(unit);
  char *s = malloc(k * n + 1);
  if (!s)
    exit(2);
  for (size_t i = 0; i < n; i++)
    memcpy(s + i * k, unit, k);
  s[k * n] = '\0';
  *len = k * n;
  return s;
}

static size_t scan_buf(const char *text, size_t len, unsigned lang, omen_ignores *ig) {
  omen_file *f = mkfile("h.c", text, len);
  CHECK(omen_ignores_scan(f, lang, ig) == OMEN_OK);
  omen_file_free(f);
  return ig->n;
}

static void test_hostile(void) {
  omen_ignores ig;
  size_t len;
  double t0 = now();

  /* a 4.5 MB line with no newline, mentioning omen: in code (not a comment) */
  char *s = repeat("a omen: \"NOLINT(\" ", 250000, &len);
  CHECK(scan_buf(s, len, C, &ig) == 0);
  omen_ignores_free(&ig);
  free(s);
  /* a 4 MB comment of NOLINT( without a closing parenthesis, and of bare NOLINTs */
  s = repeat("NOLINT(", 600000, &len);
  s[0] = '/', s[1] = '/';
  CHECK(scan_buf(s, len, C, &ig) == 0);
  omen_ignores_free(&ig);
  free(s);
  s = repeat("NOLINT(x) ", 400000, &len);
  s[0] = '/', s[1] = '*';
  CHECK(scan_buf(s, len, C, &ig) == 0);
  omen_ignores_free(&ig);
  free(s);
  /* unclosed raw string and rune */
  s = repeat("` //omen:ignore all x\n", 1, &len);
  CHECK(scan_buf(s, len, GO, &ig) == 0);
  omen_ignores_free(&ig);
  free(s);
  CHECK(count("R\"abcdefghijklmnopq(x)abcdefghijklmnopq\" // omen:ignore deadlock r\n", CPP) == 1);

  /* NUL bytes and invalid UTF-8: the directive after them counts; its reason is cleaned */
  static const char bin[] =
      "x\0y\0\xff\xfe\n// omen:ignore deadlock bad \xc3\x28 bytes\x01\xe2\x82\xac\0tail\n";
  CHECK(scan_buf(bin, sizeof bin - 1, C, &ig) == 1);
  if (ig.n == 1) {
    CHECK_STR(ig.v[0].reason, "bad ?( bytes \xe2\x82\xac tail");
    CHECK(ig.v[0].first == 2);
  }
  omen_ignores_free(&ig);
  /* a very long reason is cut at a character boundary */
  s = repeat("\xe2\x82\xac", 2000, &len);
  memcpy(s, "// omen:ignore all ", 19);
  CHECK(scan_buf(s, len, C, &ig) == 1);
  if (ig.n == 1) {
    size_t rl = strlen(ig.v[0].reason);
    CHECK(rl <= 1024 + 3 && rl > 1000);
    CHECK(strcmp(ig.v[0].reason + rl - 3, "...") == 0);
    CHECK((ig.v[0].reason[rl - 4] & 0xC0) != 0xC0); /* no lead byte without its tail */
  }
  omen_ignores_free(&ig);
  free(s);

  /* 100,000 directives of each form, and as many findings */
  s = repeat("// omen:ignore deadlock r\nf();\n", 100000, &len);
  CHECK(scan_buf(s, len, C, &ig) == 100000);
  omen_diag *d = calloc(100000, sizeof *d);
  if (!d)
    exit(2);
  for (uint32_t i = 0; i < 100000; i++)
    d[i] = mkdiag("deadlock/double-lock", "h.c", 2 * (100000 - i));
  CHECK(omen_ignores_apply(&ig, "h.c", d, 100000) == OMEN_OK);
  size_t ns = 0;
  for (size_t i = 0; i < 100000; i++) {
    ns += d[i].suppressed;
    omen_diag_clear(&d[i]);
  }
  CHECK(ns == 100000);
  free(d);
  omen_ignores_free(&ig);
  free(s);
  s = repeat("// NOLINTBEGIN(omen-deadlock) r\n", 100000, &len);
  CHECK(scan_buf(s, len, C, &ig) == 100000);
  CHECK(ig.n && contains(ig.v[0].problem, "NOLINTBEGIN has no NOLINTEND"));
  omen_ignores_free(&ig);
  free(s);
  s = repeat("// NOLINTBEGIN(omen-deadlock) r\n// NOLINTEND(omen-deadlock)\n", 100000, &len);
  CHECK(scan_buf(s, len, C, &ig) == 100000);
  CHECK(ig.n && !ig.v[0].problem && ig.v[ig.n - 1].last == 200000);
  omen_ignores_free(&ig);
  free(s);
  s = repeat("// NOLINTEND(omen-thread-leak)\n", 100000, &len);
  CHECK(scan_buf(s, len, C, &ig) == 100000);
  omen_ignores_free(&ig);
  free(s);
  /* open BEGINs that no END matches, then ENDs of other checks */
  s = repeat("// NOLINTBEGIN(omen-deadlock) r\n", 100000, &len);
  for (size_t i = len / 2; i < len; i += 32)
    memcpy(s + i, "// NOLINTEND(omen-thread-leak) \n", 32);
  CHECK(scan_buf(s, len, C, &ig) == 100000);
  omen_ignores_free(&ig);
  free(s);
  s = repeat("x; // NOLINT(omen-deadlock) r\n", 100000, &len);
  CHECK(scan_buf(s, len, C, &ig) == 100000);
  omen_ignores_free(&ig);
  free(s);
  /* one block comment of 100,000 directive lines */
  s = repeat(" * omen:ignore thread-leak r\n", 100000, &len);
  s[0] = '/';
  CHECK(scan_buf(s, len, GO, &ig) == 100000);
  omen_ignores_free(&ig);
  free(s);
  /* one directive with 100,000 names */
  s = repeat("deadlock,", 100000, &len);
  memcpy(s, "//omen:ignore ", 14);
  CHECK(scan_buf(s, len, GO, &ig) == 1);
  omen_ignores_free(&ig);
  free(s);

  double el = now() - t0;
  printf("hostile inputs: %.2fs\n", el);
  CHECK(el < 60.0); /* linear: half a second unsanitized (10x that with sanitizers); quadratic: hours */
}

static void test_quick(void) {
  /* no mention at all: nothing, and no allocation to free */
  omen_ignores ig = scan("package p\nfunc f() {}\n", GO);
  CHECK(ig.n == 0 && ig.v == NULL);
  omen_ignores_free(&ig);
  ig = scan("", C);
  CHECK(ig.n == 0);
  omen_ignores_free(&ig);
}

int main(void) {
  test_go_forms();
  test_c_forms();
  test_blocks();
  test_literals();
  test_block_comments();
  test_invalid();
  test_names();
  test_apply();
  test_hostile();
  test_quick();
  return check_done();
}
