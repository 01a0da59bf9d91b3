/* analysistest.c - testdata runner in the style of go/analysis/analysistest: runs one analyzer on a
 * directory, checks every diagnostic against `// want "regexp"` comments on its line, checks the
 * fixed text against NAME.golden files, and checks that fixed code still compiles cleanly
 * (Go: gofmt -l and go vet; C/C++: cc -fsyntax-only) and no longer gets the fixed findings.
 *
 * usage: analysistest ANALYZER DIR      (OMEN_UPDATE_GOLDEN=1 rewrites the golden files) */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "driver.h"
#include "fix.h"
#include "frontend.h"
#include "reader.h"

typedef struct want {
  char *path;
  unsigned line;
  char *re_text;
  pcre2_code *re;
  bool met;
} want;

static want *wants;
static size_t nwants;

static char **srcs; /* every source file under DIR */
static size_t nsrcs;

static char **hdrs; /* C/C++ headers under DIR (stubs the sources include by relative path) */
static size_t nhdrs;

static bool is_header(const char *p) {
  size_t n = strlen(p);
  return (n > 2 && strcmp(p + n - 2, ".h") == 0) || (n > 4 && strcmp(p + n - 4, ".hpp") == 0);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
    free(s);
    s = NULL;
  }
  fclose(f);
  if (s) {
    s[n] = '\0';
    if (len)
      *len = (size_t)n;
  }
  return s;
}

static bool spit(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return false;
  bool ok = fwrite(text, 1, len, f) == len;
  return fclose(f) == 0 && ok;
}

static void add_want(const char *path, unsigned line, const char *re_text) {
  int ec;
  PCRE2_SIZE eo;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)re_text, PCRE2_ZERO_TERMINATED, 0, &ec, &eo, NULL);
  if (!re) {
    fprintf(stderr, "%s:%u: bad want regexp /%s/ at offset %zu\n", path, line, re_text, (size_t)eo);
    check_failed++;
    return;
  }
  wants = realloc(wants, (nwants + 1) * sizeof *wants);
  wants[nwants++] = (want){strdup(path), line, strdup(re_text), re, false};
}

/* Parses `// want "re" "re"...` comments; quotes use Go escapes for \" and \\. */
static void scan_wants(const char *path) {
  char *text = slurp(path, NULL);
  if (!text)
    return;
  unsigned line = 1;
  for (char *p = text; *p; line++) {
    char *eol = strchr(p, '\n');
    if (eol)
      *eol = '\0';
    char *w = strstr(p, "// want \"");
    if (!w)
      w = strstr(p, "/* want \"");
    if (w) {
      char *q = w + 8;
      while (*q == '"') {
        char buf[1024];
        size_t n = 0;
        q++;
        while (*q && *q != '"' && n + 1 < sizeof buf) {
          if (*q == '\\' && (q[1] == '"' || q[1] == '\\'))
            q++;
          buf[n++] = *q++;
        }
        buf[n] = '\0';
        if (*q == '"')
          q++;
        add_want(path, line, buf);
        while (*q == ' ')
          q++;
      }
    }
    if (!eol)
      break;
    p = eol + 1;
  }
  free(text);
}

static void walk(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(p, &st) != 0)
      continue;
    if (S_ISDIR(st.st_mode)) {
      walk(p);
    } else if (omen_lang_of_path(p)) {
      srcs = realloc(srcs, (nsrcs + 1) * sizeof *srcs);
      srcs[nsrcs++] = strdup(p);
      scan_wants(p);
    } else if (is_header(p)) {
      hdrs = realloc(hdrs, (nhdrs + 1) * sizeof *hdrs);
      hdrs[nhdrs++] = strdup(p);
    }
  }
  closedir(d);
}

static bool run_check(const char *analyzer, const char *dir, omen_result *res) {
  const char *paths[1] = {dir};
  const char *enable[1] = {analyzer};
  omen_options opt = {0};
  opt.paths = paths;
  opt.npaths = 1;
  opt.enable = enable;
  opt.nenable = 1;
  opt.jobs = 2;
  char err[1024];
  omen_status s = omen_check(&opt, NULL, res, err, sizeof err);
  if (s != OMEN_OK) {
    fprintf(stderr, "omen_check(%s): %s\n", dir, err);
    check_failed++;
    return false;
  }
  return true;
}

static int cmp_edit(const void *a, const void *b) {
  const omen_edit *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* The text of path after applying the first fix of each of its diagnostics; NULL if none. */
static char *fixed_text(const omen_result *res, const char *path, size_t *outlen, size_t *nfixed) {
  const omen_snapshot *snap = omen_result_snapshot(res, path);
  *nfixed = 0;
  if (!snap)
    return NULL;
  omen_edit *edits = NULL;
  size_t n = 0;
  for (size_t i = 0; i < res->ndiags; i++) {
    const omen_diag *d = &res->diags[i];
    if (d->nfixes == 0 || strcmp(d->fixes[0].path, path) != 0)
      continue;
    (*nfixed)++;
    for (size_t k = 0; k < d->fixes[0].nedits; k++) {
      const omen_edit *e = &d->fixes[0].edits[k];
      bool dup = false; /* the same edit from two fixes (e.g. one import for two literals) */
      for (size_t m = 0; m < n && !dup; m++)
        dup = edits[m].start == e->start && edits[m].end == e->end && strcmp(edits[m].text, e->text) == 0;
      if (dup)
        continue;
      edits = realloc(edits, (n + 1) * sizeof *edits);
      edits[n++] = *e;
    }
  }
  if (n > 1)
    qsort(edits, n, sizeof *edits, cmp_edit);
  char *out = NULL;
  omen_status s = omen_edits_apply(snap->text, snap->len, edits, n, &out, outlen);
  free(edits);
  if (s != OMEN_OK) {
    fprintf(stderr, "%s: fixes overlap or are out of range (%s)\n", path, omen_status_str(s));
    check_failed++;
    return NULL;
  }
  return out;
}

static int sh(const char *cmd) {
  int rc = system(cmd);
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: analysistest ANALYZER DIR\n");
    return 2;
  }
  const char *analyzer = argv[1], *dir = argv[2];
  bool update = getenv("OMEN_UPDATE_GOLDEN") && strcmp(getenv("OMEN_UPDATE_GOLDEN"), "1") == 0;
  walk(dir);
  CHECK(nsrcs > 0);
  omen_result res;
  if (!run_check(analyzer, dir, &res))
    return check_done();

  /* 1. every diagnostic is wanted, every want is met */
  for (size_t i = 0; i < res.ndiags; i++) {
    const omen_diag *d = &res.diags[i];
    char subject[2048];
    snprintf(subject, sizeof subject, "%s: %s", d->rule->id, d->message);
    bool ok = false;
    for (size_t k = 0; k < nwants && !ok; k++) {
      want *w = &wants[k];
      if (w->met || w->line != d->loc.start_pos.line || strcmp(w->path, d->loc.path) != 0)
        continue;
      pcre2_match_data *md = pcre2_match_data_create_from_pattern(w->re, NULL);
      int rc = pcre2_match(w->re, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md, NULL);
      pcre2_match_data_free(md);
      if (rc >= 0)
        ok = w->met = true;
    }
    if (!ok)
      fprintf(stderr, "%s:%u:%u: unexpected diagnostic: %s\n", d->loc.path, d->loc.start_pos.line,
              d->loc.start_pos.col, subject);
    CHECK(ok);
  }
  for (size_t k = 0; k < nwants; k++) {
    if (!wants[k].met)
      fprintf(stderr, "%s:%u: no diagnostic matching /%s/\n", wants[k].path, wants[k].line, wants[k].re_text);
    CHECK(wants[k].met);
  }

  /* 2. fixes against goldens; fixed copies of the whole tree go to a temp dir */
  char tmpl[] = "/tmp/omen-analysistest-XXXXXX";
  char *tmp = mkdtemp(tmpl);
  CHECK(tmp != NULL);
  if (!tmp)
    return check_done();
  size_t nfixed_total = 0;
  char cmd[8192];
  /* headers first, with the same layout, so that fixed sources still find their stubs */
  for (size_t i = 0; i < nhdrs; i++) {
    const char *rel = hdrs[i] + strlen(dir);
    while (*rel == '/')
      rel++;
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s/%s')\" && cp '%s' '%s/%s'", tmp, rel, hdrs[i], tmp, rel);
    CHECK(sh(cmd) == 0);
  }
  bool any_go = false, any_fixed = false;
  for (size_t i = 0; i < nsrcs; i++) {
    const char *path = srcs[i];
    size_t olen = 0, flen = 0, nfixed = 0;
    char *orig = slurp(path, &olen);
    char *fixed = fixed_text(&res, path, &flen, &nfixed);
    nfixed_total += nfixed;
    char golden[4200];
    snprintf(golden, sizeof golden, "%s.golden", path);
    const char *got = fixed ? fixed : orig;
    size_t glen = fixed ? flen : olen;
    if (update && fixed) {
      CHECK(spit(golden, fixed, flen));
    } else {
      size_t wlen = 0;
      char *want_text = slurp(golden, &wlen);
      if (fixed && !want_text) {
        fprintf(stderr, "%s: has fixes but no golden file (OMEN_UPDATE_GOLDEN=1 writes it)\n", path);
        CHECK(want_text != NULL);
      } else if (want_text) {
        bool same = wlen == glen && memcmp(want_text, got, glen) == 0;
        if (!same)
          fprintf(stderr, "%s: fixed text differs from %s\n", path, golden);
        CHECK(same);
      }
      free(want_text);
    }
    /* copy into tmp, keeping the layout relative to dir */
    const char *rel = path + strlen(dir);
    while (*rel == '/')
      rel++;
    char dst[4600];
    snprintf(dst, sizeof dst, "%s/%s", tmp, rel);
    char *slash = strrchr(dst, '/');
    *slash = '\0';
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dst);
    sh(cmd);
    *slash = '/';
    CHECK(got && spit(dst, got, glen));
    unsigned lang = omen_lang_of_path(path);
    any_go |= lang == OMEN_LANG_GO;
    if (fixed && (lang & OMEN_LANG_CFAMILY)) {
      any_fixed = true;
      snprintf(cmd, sizeof cmd, "cc -fsyntax-only -w -x %s '%s'", lang == OMEN_LANG_C ? "c" : "c++", dst);
      int rc = sh(cmd);
      if (rc != 0)
        fprintf(stderr, "%s: fixed text does not compile (%s)\n", path, cmd);
      CHECK(rc == 0);
    }
    any_fixed |= fixed != NULL;
    free(orig);
    free(fixed);
  }
  /* Go: the fixed tree (every package) is gofmt-clean and passes go vet */
  if (any_go && any_fixed) {
    snprintf(cmd, sizeof cmd, "cd '%s' && printf 'module example.com/analysistest\\n\\ngo 1.19\\n' > go.mod", tmp);
    sh(cmd);
    snprintf(cmd, sizeof cmd, "cd '%s' && test -z \"$(gofmt -l . | tee /dev/stderr)\"", tmp);
    int rc = sh(cmd);
    if (rc != 0)
      fprintf(stderr, "fixed Go code is not gofmt-clean (files listed above)\n");
    CHECK(rc == 0);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && GOFLAGS=-mod=mod GOPROXY=off GOCACHE='%s/.gocache' GOPATH='%s/.gopath' go vet ./... ",
             tmp, tmp, tmp);
    rc = sh(cmd);
    if (rc != 0)
      fprintf(stderr, "fixed Go code does not pass go vet\n");
    CHECK(rc == 0);
  }
  /* 3. re-analysis of the fixed tree no longer reports what was fixed */
  if (any_fixed) {
    omen_result again;
    if (run_check(analyzer, tmp, &again)) {
      size_t before = res.ndiags, after = again.ndiags;
      if (after + nfixed_total != before)
        fprintf(stderr, "re-analysis after fixes: %zu diagnostics, expected %zu - %zu fixed\n", after, before,
                nfixed_total);
      CHECK(after + nfixed_total == before);
      omen_result_free(&again);
    }
  }
  snprintf(cmd, sizeof cmd, "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", tmp, tmp);
  sh(cmd);
  omen_result_free(&res);
  for (size_t k = 0; k < nwants; k++) {
    free(wants[k].path);
    free(wants[k].re_text);
    pcre2_code_free(wants[k].re);
  }
  free(wants);
  for (size_t i = 0; i < nsrcs; i++)
    free(srcs[i]);
  free(srcs);
  return check_done();
}
