/* test_fix.c - unit tests of fix choice, edit application, unified diffs (checked with patch(1)) and
 * safe in-place writes. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fix.h"

static const omen_rule test_rule = {.id = "test/rule", .summary = "a test rule"};

typedef struct espec {
  uint32_t start, end;
  const char *text;
} espec;

/* ---- building results by hand ---- */

static char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return p;
}

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return p;
}

static omen_fix mkfix(const char *path, omen_applicability a, const espec *e, size_t n) {
  omen_fix f = {0};
  f.message = xstrdup("fix it");
  f.applicability = a;
  f.path = xstrdup(path);
  f.edits = xcalloc(n, sizeof *f.edits);
  f.nedits = n;
  for (size_t i = 0; i < n; i++)
    f.edits[i] = (omen_edit){e[i].start, e[i].end, xstrdup(e[i].text)};
  return f;
}

/* Adds a diagnostic with the given fixes (moved into it). */
static void add_diag(omen_result *r, const omen_fix *fixes, size_t nfixes) {
  omen_diag *nd = realloc(r->diags, (r->ndiags + 1) * sizeof *nd);
  if (!nd)
    exit(2);
  r->diags = nd;
  omen_diag *d = &r->diags[r->ndiags++];
  memset(d, 0, sizeof *d);
  d->rule = &test_rule;
  d->message = xstrdup("finding");
  d->loc.path = xstrdup(nfixes ? fixes[0].path : "x");
  d->fixes = xcalloc(nfixes, sizeof *d->fixes);
  memcpy(d->fixes, fixes, nfixes * sizeof *fixes);
  d->nfixes = nfixes;
}

/* Adds a diagnostic with one fix. */
static void add1(omen_result *r, const char *path, omen_applicability a, const espec *e, size_t n) {
  omen_fix f = mkfix(path, a, e, n);
  add_diag(r, &f, 1);
}

static int cmp_snap(const void *a, const void *b) {
  return strcmp(((const omen_snapshot *)a)->path, ((const omen_snapshot *)b)->path);
}

static void add_snap(omen_result *r, const char *path, const char *text) {
  omen_snapshot *ns = realloc(r->snapshots, (r->nsnapshots + 1) * sizeof *ns);
  if (!ns)
    exit(2);
  r->snapshots = ns;
  r->snapshots[r->nsnapshots++] = (omen_snapshot){xstrdup(path), xstrdup(text), (uint32_t)strlen(text)};
  qsort(r->snapshots, r->nsnapshots, sizeof *r->snapshots, cmp_snap);
}

/* The diff of r's chosen fixes as a string (caller frees). */
static char *diff_of(const omen_result *r, bool unsafe) {
  char *p = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&p, &n);
  if (!f)
    exit(2);
  omen_status s = omen_fixes_diff(r, unsafe, f);
  fclose(f);
  if (s != OMEN_OK) {
    fprintf(stderr, "omen_fixes_diff: %s\n", omen_status_str(s));
    free(p);
    return NULL;
  }
  return p;
}

/* ---- files ---- */

static char tmpdir[PATH_MAX];

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
}

/* The content of path (caller frees), or NULL. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *p = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    int c = fgetc(f);
    if (c == EOF)
      break;
    if (n + 2 > cap) {
      cap = cap ? cap * 2 : 256;
      char *np = realloc(p, cap);
      if (!np)
        exit(2);
      p = np;
    }
    p[n++] = (char)c;
  }
  fclose(f);
  if (!p)
    p = xcalloc(1, 1);
  p[n] = '\0';
  return p;
}

static bool file_is(const char *path, const char *want) {
  char *got = read_file(path);
  bool ok = got && strcmp(got, want) == 0;
  if (!ok)
    fprintf(stderr, "  %s holds:\n%s\n  want:\n%s\n", path, got ? got : "(unreadable)", want);
  free(got);
  return ok;
}

/* Whether the current directory holds a hidden file (a left-over temporary file). */
static bool has_hidden_files(void) {
  DIR *d = opendir(".");
  if (!d)
    return true;
  bool found = false;
  for (;;) {
    struct dirent *e = readdir(d);
    if (!e)
      break;
    if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      found = true;
  }
  closedir(d);
  return found;
}

/* Makes and enters a fresh subdirectory of tmpdir. */
static void enter(const char *sub) {
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", tmpdir, sub);
  if (mkdir(p, 0700) != 0 || chdir(p) != 0) {
    perror(p);
    exit(2);
  }
}

/* Applies r's fixes in the current directory; the report is left in rep. */
static omen_status apply(const omen_result *r, bool unsafe, omen_reader *rd, omen_fix_report *rep) {
  return omen_fixes_apply(r, unsafe, rd, rep);
}

/* ---- omen_edits_apply ---- */

static void check_apply(const char *text, const omen_edit *e, size_t n, const char *want) {
  char *out = NULL;
  size_t len = 0;
  omen_status s = omen_edits_apply(text, strlen(text), e, n, &out, &len);
  CHECK(s == OMEN_OK);
  if (s == OMEN_OK) {
    CHECK_STR(out, want);
    CHECK(len == strlen(want));
  }
  free(out);
}

static omen_status apply_status(const char *text, const omen_edit *e, size_t n) {
  char *out = (char *)1;
  omen_status s = omen_edits_apply(text, strlen(text), e, n, &out, NULL);
  if (s != OMEN_OK)
    CHECK(out == NULL);
  free(out);
  return s;
}

static void test_edits_apply(void) {
  check_apply("hello", NULL, 0, "hello");
  check_apply("", (omen_edit[]){{0, 0, "x"}}, 1, "x");
  check_apply("world", (omen_edit[]){{0, 0, "hello "}}, 1, "hello world");
  check_apply("hello", (omen_edit[]){{5, 5, "!"}}, 1, "hello!");
  check_apply("a-c", (omen_edit[]){{1, 2, "b"}}, 1, "abc");
  check_apply("abXYZcd", (omen_edit[]){{2, 5, ""}}, 1, "abcd");
  check_apply("abXYZcd", (omen_edit[]){{2, 5, NULL}}, 1, "abcd");
  check_apply("abc", (omen_edit[]){{0, 3, ""}}, 1, "");
  /* several edits: adjacent, insertion at the start and end of a replaced range, two insertions */
  check_apply("0123456789",
              (omen_edit[]){
                  {0, 0, "<"}, {1, 1, "a"}, {1, 1, "b"}, {1, 3, "R"}, {3, 3, "|"}, {3, 5, ""}, {10, 10, ">"}},
              7, "<0abR|56789>");
  CHECK(apply_status("abcdef", (omen_edit[]){{1, 3, "x"}, {2, 4, "y"}}, 2) == OMEN_EUSAGE); /* overlap */
  CHECK(apply_status("abcdef", (omen_edit[]){{1, 3, "x"}, {2, 2, "y"}}, 2) == OMEN_EUSAGE); /* inside */
  CHECK(apply_status("abcdef", (omen_edit[]){{4, 5, "x"}, {1, 2, "y"}}, 2) == OMEN_EUSAGE); /* unsorted */
  CHECK(apply_status("abcdef", (omen_edit[]){{1, 3, "x"}, {1, 1, "y"}}, 2) == OMEN_EUSAGE); /* by end too */
  CHECK(apply_status("abcdef", (omen_edit[]){{5, 7, "x"}}, 1) == OMEN_EUSAGE);              /* past the end */
  CHECK(apply_status("abcdef", (omen_edit[]){{7, 7, "x"}}, 1) == OMEN_EUSAGE);
  CHECK(apply_status("abcdef", (omen_edit[]){{3, 2, "x"}}, 1) == OMEN_EUSAGE); /* reversed */
}

/* ---- choosing fixes (seen through the diff) ---- */

static void test_choose(void) {
  const char *text = "one\ntwo\nthree\n";
  /* the first allowed fix of each diagnostic: unsafe ones only with unsafe */
  {
    omen_result r = {0};
    add_snap(&r, "c.txt", text);
    omen_fix fx[2] = {mkfix("c.txt", OMEN_FIX_UNSAFE, (espec[]){{0, 3, "UNSAFE"}}, 1),
                      mkfix("c.txt", OMEN_FIX_SAFE, (espec[]){{0, 3, "SAFE"}}, 1)};
    add_diag(&r, fx, 2);
    char *d = diff_of(&r, false);
    CHECK_STR(d, "--- a/c.txt\n+++ b/c.txt\n@@ -1,3 +1,3 @@\n-one\n+SAFE\n two\n three\n");
    free(d);
    d = diff_of(&r, true);
    CHECK_STR(d, "--- a/c.txt\n+++ b/c.txt\n@@ -1,3 +1,3 @@\n-one\n+UNSAFE\n two\n three\n");
    free(d);
    omen_result_free(&r);
  }
  /* a diagnostic with only unsafe fixes changes nothing without unsafe */
  {
    omen_result r = {0};
    add_snap(&r, "c.txt", text);
    add1(&r, "c.txt", OMEN_FIX_UNSAFE, (espec[]){{0, 3, "UNSAFE"}}, 1);
    char *d = diff_of(&r, false);
    CHECK_STR(d, "");
    free(d);
    omen_result_free(&r);
  }
  /* overlapping fixes: the later one is left out; identical ones are made once; an identical edit shared
   * by two otherwise different fixes is made once and both fixes apply */
  {
    omen_result r = {0};
    add_snap(&r, "c.txt", text);
    add1(&r, "c.txt", OMEN_FIX_SAFE, (espec[]){{4, 7, "TWO"}}, 1);
    add1(&r, "c.txt", OMEN_FIX_SAFE, (espec[]){{5, 6, "W"}}, 1);                    /* inside: skipped */
    add1(&r, "c.txt", OMEN_FIX_SAFE, (espec[]){{4, 7, "TWO"}}, 1);                  /* duplicate */
    add1(&r, "c.txt", OMEN_FIX_SAFE, (espec[]){{0, 0, "// a\n"}, {8, 13, "3"}}, 2); /* applies */
    add1(&r, "c.txt", OMEN_FIX_SAFE, (espec[]){{0, 0, "// a\n"}, {0, 3, "1"}}, 2);  /* shares one */
    add1(&r, "c.txt", OMEN_FIX_SAFE, (espec[]){{0, 0, "// b\n"}}, 1); /* same offset, other text */
    add1(&r, "c.txt", OMEN_FIX_SAFE, (espec[]){{7, 7, "!"}}, 1);      /* at the end of a replacement */
    add1(&r, "c.txt", OMEN_FIX_SAFE, (espec[]){{13, 15, "x"}}, 1);    /* out of range */
    add1(&r, "c.txt", OMEN_FIX_SAFE, (espec[]){{1, 2, "x"}, {1, 3, "y"}}, 2); /* overlaps itself */
    char *d = diff_of(&r, false);
    CHECK_STR(d, "--- a/c.txt\n+++ b/c.txt\n@@ -1,3 +1,4 @@\n-one\n+// a\n+1\n-two\n+TWO!\n-three\n+3\n");
    free(d);
    enter("choose");
    write_file("c.txt", text);
    omen_fix_report rep = {0};
    CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 1);
    if (rep.nfiles == 1) {
      CHECK_STR(rep.files[0].path, "c.txt");
      CHECK(rep.files[0].error == NULL);
      CHECK(rep.files[0].applied == 4);
      CHECK(rep.files[0].skipped == 4);
    }
    CHECK(file_is("c.txt", "// a\n1\nTWO!\n3\n"));
    CHECK(!has_hidden_files());
    omen_fix_report_free(&rep);
    omen_result_free(&r);
  }
  /* no fixes: no output, no report */
  {
    omen_result r = {0};
    char *d = diff_of(&r, true);
    CHECK_STR(d, "");
    free(d);
    omen_fix_report rep = {0};
    CHECK(apply(&r, true, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 0);
    omen_fix_report_free(&rep);
    omen_fix_report_free(NULL);
  }
}

/* ---- diff text ---- */

static char *diff1(const char *path, const char *text, const espec *e, size_t n) {
  omen_result r = {0};
  add_snap(&r, path, text);
  add1(&r, path, OMEN_FIX_SAFE, e, n);
  char *d = diff_of(&r, false);
  omen_result_free(&r);
  return d;
}

static void check_diff(const char *text, const espec *e, size_t n, const char *want) {
  char *d = diff1("d.txt", text, e, n);
  CHECK_STR(d, want);
  free(d);
}

#define ALPHA "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n"
#define HDR "--- a/d.txt\n+++ b/d.txt\n"

static void test_diff_text(void) {
  check_diff(ALPHA, (espec[]){{2, 3, "B"}}, 1, HDR "@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n");
  /* two hunks (ten lines apart), then one (six lines apart: contexts touch) */
  check_diff(ALPHA, (espec[]){{2, 3, "B"}, {24, 25, "M"}}, 2,
             HDR "@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -10,5 +10,5 @@\n j\n k\n l\n-m\n+M\n n\n");
  check_diff(ALPHA, (espec[]){{2, 3, "B"}, {16, 17, "I"}}, 2,
             HDR "@@ -1,12 +1,12 @@\n a\n-b\n+B\n c\n d\n e\n f\n g\n h\n-i\n+I\n j\n k\n l\n");
  check_diff(ALPHA, (espec[]){{2, 3, "B"}, {18, 19, "J"}}, 2,
             HDR
             "@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -7,7 +7,7 @@\n g\n h\n i\n-j\n+J\n k\n l\n m\n");
  /* insertions and deletions of whole lines; line counts change */
  check_diff("a\nb\n", (espec[]){{2, 2, "X\n"}}, 1, HDR "@@ -1,2 +1,3 @@\n a\n+X\n b\n");
  check_diff("a\nb\nc\n", (espec[]){{2, 4, ""}}, 1, HDR "@@ -1,3 +1,2 @@\n a\n-b\n c\n");
  check_diff(ALPHA, (espec[]){{20, 20, "X\nY\n"}}, 1,
             HDR "@@ -8,6 +8,8 @@\n h\n i\n j\n+X\n+Y\n k\n l\n m\n");
  /* no newline at the end: of the old text, of the new, of both */
  check_diff("x\ny", (espec[]){{2, 3, "z"}}, 1,
             HDR "@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n");
  check_diff("x\ny", (espec[]){{3, 3, "\n"}}, 1,
             HDR "@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n");
  check_diff("x\ny\n", (espec[]){{3, 4, ""}}, 1,
             HDR "@@ -1,2 +1,2 @@\n x\n-y\n+y\n\\ No newline at end of file\n");
  check_diff("a\nb\nc\nd\ne", (espec[]){{0, 1, "A"}}, 1, HDR "@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n");
  check_diff("a\nb\nc", (espec[]){{0, 1, "A"}}, 1,
             HDR "@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n\\ No newline at end of file\n");
  /* from and to nothing */
  check_diff("", (espec[]){{0, 0, "package x\n"}}, 1, HDR "@@ -0,0 +1 @@\n+package x\n");
  check_diff("a\n", (espec[]){{0, 2, ""}}, 1, HDR "@@ -1 +0,0 @@\n-a\n");
  /* a change within a line, an edit spanning lines, an edit that changes nothing */
  check_diff("int x = 1;\n", (espec[]){{8, 9, "2"}}, 1, HDR "@@ -1 +1 @@\n-int x = 1;\n+int x = 2;\n");
  check_diff("a\nb\nc\n", (espec[]){{1, 3, " b"}}, 1, HDR "@@ -1,3 +1,2 @@\n-a\n-b\n+a b\n c\n");
  check_diff("a\nb\n", (espec[]){{0, 1, "a"}}, 1, "");
  /* odd paths are quoted; absolute ones are not doubled */
  char *d = diff1("we\"ird\t.txt", "a\n", (espec[]){{0, 1, "b"}}, 1);
  CHECK_STR(d, "--- \"a/we\\\"ird\\t.txt\"\n+++ \"b/we\\\"ird\\t.txt\"\n@@ -1 +1 @@\n-a\n+b\n");
  free(d);
  d = diff1("/abs/d.txt", "a\n", (espec[]){{0, 1, "b"}}, 1);
  CHECK_STR(d, "--- a/abs/d.txt\n+++ b/abs/d.txt\n@@ -1 +1 @@\n-a\n+b\n");
  free(d);
  /* files in path order */
  omen_result r = {0};
  add_snap(&r, "b.txt", "b\n");
  add_snap(&r, "a.txt", "a\n");
  add1(&r, "b.txt", OMEN_FIX_SAFE, (espec[]){{0, 1, "B"}}, 1);
  add1(&r, "a.txt", OMEN_FIX_SAFE, (espec[]){{0, 1, "A"}}, 1);
  d = diff_of(&r, false);
  CHECK_STR(d,
            "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+A\n--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-b\n+B\n");
  free(d);
  omen_result_free(&r);
}

/* ---- the diff applied by patch(1) gives what --fix writes ---- */

static int round_trips;

static void round_trip(const char *name, const char *text, const espec *e, size_t n) {
  char sub[64];
  snprintf(sub, sizeof sub, "rt%d", round_trips++);
  enter(sub);
  if (mkdir("fix", 0700) != 0 || mkdir("patch", 0700) != 0)
    exit(2);
  omen_result r = {0};
  add_snap(&r, name, text);
  add1(&r, name, OMEN_FIX_SAFE, e, n);
  FILE *f = fopen("d.patch", "wb");
  CHECK(f && omen_fixes_diff(&r, false, f) == OMEN_OK);
  if (f)
    fclose(f);
  if (chdir("fix") != 0)
    exit(2);
  write_file(name, text);
  omen_fix_report rep = {0};
  CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
  CHECK(rep.nfiles == 1 && rep.files[0].applied == 1 && rep.files[0].error == NULL);
  CHECK(!has_hidden_files());
  omen_fix_report_free(&rep);
  char *fixed = read_file(name);
  if (chdir("../patch") != 0)
    exit(2);
  write_file(name, text);
  int rc = system("patch -p1 -s -t --no-backup-if-mismatch < ../d.patch");
  CHECK(rc == 0);
  if (rc != 0) {
    char *d = read_file("../d.patch");
    fprintf(stderr, "  patch failed for %s:\n%s\n", sub, d ? d : "");
    free(d);
  }
  if (fixed)
    CHECK(file_is(name, fixed));
  /* and the fixed file is the edits applied */
  omen_edit *ed = xcalloc(n, sizeof *ed);
  for (size_t i = 0; i < n; i++)
    ed[i] = (omen_edit){e[i].start, e[i].end, (char *)e[i].text};
  char *want = NULL;
  CHECK(omen_edits_apply(text, strlen(text), ed, n, &want, NULL) == OMEN_OK);
  CHECK_STR(fixed, want);
  free(want);
  free(ed);
  free(fixed);
  omen_result_free(&r);
}

static void test_round_trip(void) {
  round_trip("a.txt", ALPHA, (espec[]){{2, 3, "B"}, {24, 25, "M"}}, 2);
  round_trip("a.txt", ALPHA, (espec[]){{0, 0, "top\n"}, {8, 10, ""}, {16, 17, "I\nI2"}, {28, 28, "end\n"}},
             4);
  round_trip("a.txt", "x\ny", (espec[]){{2, 3, "z"}}, 1);
  round_trip("a.txt", "x\ny", (espec[]){{3, 3, "\nw"}}, 1);
  round_trip("a.txt", "x\ny\n", (espec[]){{3, 4, ""}}, 1);
  round_trip("a.txt", "a\nb\nc\nd\ne\nf\ng", (espec[]){{0, 1, "A"}, {12, 13, "G\n"}}, 2);
  round_trip("a.txt", "a\n", (espec[]){{0, 2, "b\nc\n"}}, 1);
  round_trip("a.txt", "a\r\nb\r\nc\r\n", (espec[]){{3, 4, "B"}}, 1);
  round_trip("main.go", "package main\n\nfunc main() {\n\tprintln(1)\n}\n",
             (espec[]){{14, 14, "import \"fmt\"\n\n"}, {29, 39, "fmt.Println(2)"}}, 2);
}

/* ---- applying: writes, modes, refusals ---- */

static const char *go_src = "package main\n\nfunc main() {\n\tprintln(1)\n}\n";
/* offset of "1" in go_src */
#define GO_ONE 37

static void test_apply(void) {
  enter("apply");
  /* writes the file and keeps its mode */
  {
    write_file("m.go", go_src);
    chmod("m.go", 0751);
    omen_result r = {0};
    add_snap(&r, "m.go", go_src);
    add1(&r, "m.go", OMEN_FIX_SAFE, (espec[]){{GO_ONE, GO_ONE + 1, "2"}}, 1);
    omen_fix_report rep = {0};
    CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 1 && rep.files[0].applied == 1 && rep.files[0].skipped == 0 && !rep.files[0].error);
    CHECK(file_is("m.go", "package main\n\nfunc main() {\n\tprintln(2)\n}\n"));
    struct stat st;
    CHECK(stat("m.go", &st) == 0 && (st.st_mode & 07777) == 0751);
    omen_fix_report_free(&rep);
    omen_result_free(&r);
  }
  /* through a symbolic link: the target is fixed, the link stays */
  {
    write_file("t.go", go_src);
    CHECK(symlink("t.go", "l.go") == 0);
    omen_result r = {0};
    add_snap(&r, "l.go", go_src);
    add1(&r, "l.go", OMEN_FIX_SAFE, (espec[]){{GO_ONE, GO_ONE + 1, "3"}}, 1);
    omen_fix_report rep = {0};
    CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 1 && rep.files[0].applied == 1 && !rep.files[0].error);
    struct stat st;
    CHECK(lstat("l.go", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(file_is("t.go", "package main\n\nfunc main() {\n\tprintln(3)\n}\n"));
    omen_fix_report_free(&rep);
    omen_result_free(&r);
  }
  /* the file changed on disk after it was analyzed: untouched */
  {
    const char *edited = "package main\n\nfunc main() {\n\tprintln(1) // edited\n}\n";
    write_file("c.go", edited);
    omen_result r = {0};
    add_snap(&r, "c.go", go_src);
    add1(&r, "c.go", OMEN_FIX_SAFE, (espec[]){{GO_ONE, GO_ONE + 1, "2"}}, 1);
    omen_fix_report rep = {0};
    CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 1 && rep.files[0].applied == 0 && rep.files[0].skipped == 1);
    CHECK(rep.nfiles == 1 && rep.files[0].error &&
          strstr(rep.files[0].error, "changed since it was analyzed"));
    CHECK(file_is("c.go", edited));
    omen_fix_report_free(&rep);
    omen_result_free(&r);
  }
  /* an editor overlay that differs from the snapshot: untouched */
  {
    write_file("o.go", go_src);
    omen_reader *rd = omen_reader_new(0);
    CHECK(rd && omen_reader_set_overlay(rd, "o.go", "package main\n", 13) == OMEN_OK);
    omen_result r = {0};
    add_snap(&r, "o.go", go_src);
    add1(&r, "o.go", OMEN_FIX_SAFE, (espec[]){{GO_ONE, GO_ONE + 1, "2"}}, 1);
    omen_fix_report rep = {0};
    CHECK(apply(&r, false, rd, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 1 && rep.files[0].error && strstr(rep.files[0].error, "changed"));
    CHECK(file_is("o.go", go_src));
    omen_fix_report_free(&rep);
    omen_result_free(&r);
    omen_reader_free(rd);
  }
  /* a fix that breaks Go syntax is dropped (file untouched); with a good one, only the good one applies */
  {
    write_file("s.go", go_src);
    omen_result r = {0};
    add_snap(&r, "s.go", go_src);
    add1(&r, "s.go", OMEN_FIX_SAFE, (espec[]){{26, 27, "("}}, 1); /* "{" of main's body */
    omen_fix_report rep = {0};
    CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 1 && rep.files[0].applied == 0 && rep.files[0].skipped == 1 && !rep.files[0].error);
    CHECK(file_is("s.go", go_src));
    char *d = diff_of(&r, false);
    CHECK_STR(d, "");
    free(d);
    omen_fix_report_free(&rep);
    add1(&r, "s.go", OMEN_FIX_SAFE, (espec[]){{GO_ONE, GO_ONE + 1, "2"}}, 1);
    CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 1 && rep.files[0].applied == 1 && rep.files[0].skipped == 1 && !rep.files[0].error);
    CHECK(file_is("s.go", "package main\n\nfunc main() {\n\tprintln(2)\n}\n"));
    omen_fix_report_free(&rep);
    omen_result_free(&r);
  }
  /* the original has syntax errors: untouched, and the diff leaves it out */
  {
    const char *broken = "package main\n\nfunc main() {\n\tprintln(1)\n";
    write_file("b.go", broken);
    omen_result r = {0};
    add_snap(&r, "b.go", broken);
    add1(&r, "b.go", OMEN_FIX_SAFE, (espec[]){{GO_ONE, GO_ONE + 1, "2"}}, 1);
    omen_fix_report rep = {0};
    CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 1 && rep.files[0].error && strstr(rep.files[0].error, "syntax errors"));
    CHECK(rep.nfiles == 1 && rep.files[0].applied == 0 && rep.files[0].skipped == 1);
    CHECK(file_is("b.go", broken));
    char *d = diff_of(&r, false);
    CHECK_STR(d, "");
    free(d);
    omen_fix_report_free(&rep);
    omen_result_free(&r);
  }
  /* C goes through libclang: a fix that keeps it parsing applies, one that breaks it does not */
  {
    const char *c_src = "int main(void) { return 1; }\n";
    write_file("m.c", c_src);
    omen_result r = {0};
    add_snap(&r, "m.c", c_src);
    add1(&r, "m.c", OMEN_FIX_SAFE, (espec[]){{24, 25, "0"}}, 1);
    add1(&r, "m.c", OMEN_FIX_SAFE, (espec[]){{25, 26, ""}}, 1); /* the ";" */
    omen_fix_report rep = {0};
    CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 1 && rep.files[0].applied == 1 && rep.files[0].skipped == 1 && !rep.files[0].error);
    CHECK(file_is("m.c", "int main(void) { return 0; }\n"));
    omen_fix_report_free(&rep);
    omen_result_free(&r);
  }
  /* a fix for a file without a snapshot is refused; the report is sorted by path */
  {
    write_file("z.txt", "z\n");
    write_file("y.txt", "y\n");
    omen_result r = {0};
    add_snap(&r, "z.txt", "z\n");
    add1(&r, "z.txt", OMEN_FIX_SAFE, (espec[]){{0, 1, "Z"}}, 1);
    add1(&r, "y.txt", OMEN_FIX_SAFE, (espec[]){{0, 1, "Y"}}, 1);
    omen_fix_report rep = {0};
    CHECK(apply(&r, false, NULL, &rep) == OMEN_OK);
    CHECK(rep.nfiles == 2);
    if (rep.nfiles == 2) {
      CHECK_STR(rep.files[0].path, "y.txt");
      CHECK(rep.files[0].error && rep.files[0].skipped == 1);
      CHECK_STR(rep.files[1].path, "z.txt");
      CHECK(!rep.files[1].error && rep.files[1].applied == 1);
    }
    CHECK(file_is("y.txt", "y\n"));
    CHECK(file_is("z.txt", "Z\n"));
    omen_fix_report_free(&rep);
    omen_result_free(&r);
  }
  CHECK(!has_hidden_files());
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  char tmpl[] = "/tmp/omen-test-fix-XXXXXX";
  if (!mkdtemp(tmpl)) {
    perror("mkdtemp");
    return 2;
  }
  snprintf(tmpdir, sizeof tmpdir, "%s", tmpl);
  test_edits_apply();
  test_choose();
  test_diff_text();
  test_round_trip();
  test_apply();
  if (chdir("/") == 0) {
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
      fprintf(stderr, "could not remove %s\n", tmpdir);
  }
  return check_done();
}
