/* parse.c - the benchmark's baseline: read and tree-sitter-parse every .go file under the given
 * directories that omen would analyze (same walk, generated files left out) on N threads, nothing
 * else. Prints files, lines and bytes parsed. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontend.h"
#include "pass.h"
#include "reader.h"

typedef struct list {
  char **v;
  size_t n, cap;
} list;

static void add(list *l, const char *p) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 1024;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
    if (!l->v) {
      perror("realloc");
      exit(2);
    }
  }
  l->v[l->n++] = strdup(p);
}

/* same skipping as omen's walk: hidden, vendor, testdata, node_modules */
static void walk(list *l, const char *dir) {
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
    if (lstat(p, &st) != 0)
      continue;
    if (S_ISDIR(st.st_mode)) {
      if (strcmp(e->d_name, "vendor") && strcmp(e->d_name, "testdata") && strcmp(e->d_name, "node_modules"))
        walk(l, p);
    } else if (S_ISREG(st.st_mode)) {
      size_t n = strlen(e->d_name);
      if (n > 3 && strcmp(e->d_name + n - 3, ".go") == 0)
        add(l, p);
    }
  }
  closedir(d);
}

static list files;
static size_t next_file;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static size_t total_lines, total_bytes, total_files;

static void *work(void *arg) {
  (void)arg;
  TSParser *p = ts_parser_new();
  ts_parser_set_language(p, omen_go_language());
  size_t lines = 0, bytes = 0, n = 0;
  for (;;) {
    pthread_mutex_lock(&mu);
    size_t i = next_file++;
    pthread_mutex_unlock(&mu);
    if (i >= files.n)
      break;
    omen_file *f = NULL;
    char err[256];
    if (omen_reader_read(NULL, files.v[i], &f, err, sizeof err) != OMEN_OK)
      continue;
    if (omen_go_generated(f->text, f->len)) { /* omen leaves these out too */
      omen_file_free(f);
      continue;
    }
    TSTree *t = ts_parser_parse_string(p, NULL, f->text, f->len);
    ts_tree_delete(t);
    lines += f->nlines;
    n++;
    bytes += f->len;
    omen_file_free(f);
  }
  ts_parser_delete(p);
  pthread_mutex_lock(&mu);
  total_lines += lines;
  total_bytes += bytes;
  total_files += n;
  pthread_mutex_unlock(&mu);
  return NULL;
}

int main(int argc, char **argv) {
  int jobs = 1, i = 1;
  if (argc > 2 && strcmp(argv[1], "-j") == 0) {
    jobs = atoi(argv[2]);
    i = 3;
  }
  if (jobs < 1 || i >= argc) {
    fprintf(stderr, "usage: omen-bench-parse [-j N] DIR...\n");
    return 2;
  }
  for (; i < argc; i++)
    walk(&files, argv[i]);
  pthread_t th[64];
  if (jobs > 64)
    jobs = 64;
  for (int k = 1; k < jobs; k++)
    pthread_create(&th[k], NULL, work, NULL);
  work(NULL);
  for (int k = 1; k < jobs; k++)
    pthread_join(th[k], NULL);
  printf("files %zu lines %zu bytes %zu\n", total_files, total_lines, total_bytes);
  for (size_t k = 0; k < files.n; k++)
    free(files.v[k]);
  free(files.v);
  return 0;
}
