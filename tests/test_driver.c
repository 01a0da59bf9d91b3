/* test_driver.c - the engine below the command line: overlays reach both front ends, positions
 * (byte and UTF-16 columns), path cleaning, sorting and deduplication of diagnostics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "driver.h"
#include "reader.h"

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

static size_t count_rule(const omen_result *r, const char *id) {
  size_t n = 0;
  for (size_t i = 0; i < r->ndiags; i++)
    n += strcmp(r->diags[i].rule->id, id) == 0;
  return n;
}

static void test_overlays(void) {
  char tmpl[] = "/tmp/omen-test-driver-XXXXXX";
  char *dir = mkdtemp(tmpl);
  CHECK(dir != NULL);
  if (!dir)
    return;
  char go[512], c[512];
  snprintf(go, sizeof go, "%s/a.go", dir);
  snprintf(c, sizeof c, "%s/t.c", dir);
  write_file(go, "package a\n\nfunc F() {}\n");
  write_file(c, "int main(void) { return 0; }\n");
  omen_reader *rd = omen_reader_new(0);
  const char *paths[1] = {dir};
  omen_options opt = {0};
  opt.paths = paths;
  opt.npaths = 1;
  opt.jobs = 1;
  char err[512];
  omen_result res;
  CHECK(omen_check(&opt, rd, &res, err, sizeof err) == OMEN_OK);
  CHECK(res.ndiags == 0);
  omen_result_free(&res);

  /* unsaved buffers: the analysis sees them, not the disk */
  const char *gotext = "package a\n\nimport \"net/http\"\n\nfunc F() { http.Get(\"http://x\") }\n";
  const char *ctext = "#include <pthread.h>\nstatic void *run(void *a) { return a; }\n"
                      "int main(void) {\n  pthread_t t;\n  pthread_create(&t, 0, run, 0);\n  return 0;\n}\n";
  CHECK(omen_reader_set_overlay(rd, go, gotext, strlen(gotext)) == OMEN_OK);
  CHECK(omen_reader_set_overlay(rd, c, ctext, strlen(ctext)) == OMEN_OK);
  CHECK(omen_reader_noverlays(rd) == 2);
  CHECK(omen_check(&opt, rd, &res, err, sizeof err) == OMEN_OK);
  CHECK(count_rule(&res, "missing-timeout/http-no-timeout") == 1);
  CHECK(count_rule(&res, "thread-leak/thread-not-joined") == 1);
  for (size_t i = 0; i < res.ndiags; i++)
    if (strcmp(res.diags[i].rule->id, "thread-leak/thread-not-joined") == 0)
      CHECK(res.diags[i].loc.start_pos.line == 5);
  omen_result_free(&res);

  /* removing an overlay goes back to the disk */
  CHECK(omen_reader_remove_overlay(rd, go) == OMEN_OK);
  CHECK(omen_reader_noverlays(rd) == 1);
  CHECK(omen_check(&opt, rd, &res, err, sizeof err) == OMEN_OK);
  CHECK(count_rule(&res, "missing-timeout/http-no-timeout") == 0);
  CHECK(count_rule(&res, "thread-leak/thread-not-joined") == 1);
  omen_result_free(&res);
  omen_reader_free(rd);
  unlink(go);
  unlink(c);
  rmdir(dir);
}

static void test_positions(void) {
  /* "é" is 2 bytes and 1 UTF-16 unit; the emoji 4 bytes and 2 units */
  const char *text = "ab\n\xc3\xa9x\xf0\x9f\x98\x80y\n\xff z";
  omen_file *f = omen_file_new("p.go", text, strlen(text));
  CHECK(f && f->nlines == 3);
  omen_pos p = omen_file_pos(f, 1);
  CHECK(p.line == 1 && p.col == 2 && p.col16 == 2);
  p = omen_file_pos(f, 3 + 2); /* 'x' after é */
  CHECK(p.line == 2 && p.col == 3 && p.col16 == 2);
  p = omen_file_pos(f, 3 + 2 + 1 + 4); /* 'y' after the emoji */
  CHECK(p.line == 2 && p.col == 8 && p.col16 == 5);
  p = omen_file_pos(f, 3 + 9 + 2); /* after an invalid byte and a space */
  CHECK(p.line == 3 && p.col == 3 && p.col16 == 3);
  p = omen_file_pos(f, 10000); /* clamped */
  CHECK(p.line == 3);
  CHECK(!f->is_test);
  omen_file_free(f);
  f = omen_file_new("x/a_test.go", "", 0);
  CHECK(f && f->is_test && f->nlines == 1);
  omen_file_free(f);
}

static void test_abspath(void) {
  char *a = omen_abspath("/a/./b//c/../d/");
  CHECK_STR(a, "/a/b/d");
  free(a);
  a = omen_abspath("/..");
  CHECK_STR(a, "/");
  free(a);
  char cwd[1024];
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  a = omen_abspath("./x/../y");
  char want[1100];
  snprintf(want, sizeof want, "%s/y", strcmp(cwd, "/") ? cwd : "");
  CHECK_STR(a, want);
  free(a);
}

static const omen_rule r1 = {.id = "deadlock/a", .summary = "s"};
static const omen_rule r2 = {.id = "deadlock/b", .summary = "s"};

static omen_diag mk(const char *path, unsigned line, unsigned col, const omen_rule *r, const char *msg) {
  omen_diag d = {0};
  d.rule = r;
  d.message = strdup(msg);
  d.loc.path = strdup(path);
  d.loc.start_pos = (omen_pos){line, col, col};
  d.loc.start = line * 100 + col;
  d.loc.end = d.loc.start + 1;
  return d;
}

static void test_sort_dedupe(void) {
  omen_diag v[6];
  v[0] = mk("b.go", 1, 1, &r1, "m");
  v[1] = mk("a.go", 9, 1, &r1, "m");
  v[2] = mk("a.go", 2, 5, &r2, "m");
  v[3] = mk("a.go", 2, 5, &r1, "m");
  v[4] = mk("a.go", 9, 1, &r1, "m"); /* duplicate of v[1] */
  v[5] = mk("a.go", 2, 3, &r2, "m");
  size_t n = 6;
  omen_diags_sort_dedupe(v, &n);
  CHECK(n == 5);
  CHECK(strcmp(v[0].loc.path, "a.go") == 0 && v[0].loc.start_pos.col == 3);
  CHECK(v[1].rule == &r1 && v[1].loc.start_pos.col == 5);
  CHECK(v[2].rule == &r2 && v[2].loc.start_pos.col == 5);
  CHECK(v[3].loc.start_pos.line == 9);
  CHECK(strcmp(v[4].loc.path, "b.go") == 0);
  for (size_t i = 0; i < n; i++)
    omen_diag_clear(&v[i]);
}

/* The size limit: a file of exactly the limit is read, one byte more is refused. */
static void test_size_limit(void) {
  char tmpl[] = "/tmp/omen-test-limit-XXXXXX";
  char *dir = mkdtemp(tmpl);
  CHECK(dir != NULL);
  if (!dir)
    return;
  char path[512];
  snprintf(path, sizeof path, "%s/a.go", dir);
  enum { LIMIT = 64 };
  char text[LIMIT + 2];
  memset(text, ' ', sizeof text);
  memcpy(text, "package a\n", 10);
  text[LIMIT] = '\0';
  write_file(path, text);
  omen_reader *rd = omen_reader_new(LIMIT);
  omen_file *f = NULL;
  char err[256] = "";
  CHECK(omen_reader_read(rd, path, &f, err, sizeof err) == OMEN_OK && f && f->len == LIMIT);
  omen_file_free(f);
  f = NULL;
  text[LIMIT] = ' ';
  text[LIMIT + 1] = '\0';
  write_file(path, text);
  CHECK(omen_reader_read(rd, path, &f, err, sizeof err) == OMEN_ELIMIT && !f && strstr(err, "too large"));
  omen_reader_free(rd);
  unlink(path);
  rmdir(dir);
}

int main(void) {
  test_size_limit();
  test_overlays();
  test_positions();
  test_abspath();
  test_sort_dedupe();
  return check_done();
}
