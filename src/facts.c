/* facts.c - the run's fact store: facts copied out of unit arenas by workers, sorted, then handed
 * to the analyzers' finish hooks. */
#include "facts.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct omen_facts {
  pthread_mutex_t mu;
  omen_fact *v;
  size_t n, cap;
  size_t bytes;   /* copied so far (keys, units, data) */
  size_t dropped; /* refused by the caps */
};

omen_facts *omen_facts_new(void) {
  omen_facts *fs = calloc(1, sizeof *fs);
  if (fs && pthread_mutex_init(&fs->mu, NULL) != 0) {
    free(fs);
    return NULL;
  }
  return fs;
}

void omen_facts_free(omen_facts *fs) {
  if (!fs)
    return;
  for (size_t i = 0; i < fs->n; i++)
    free((void *)fs->v[i].unit); /* one block: unit, key, data */
  free(fs->v);
  pthread_mutex_destroy(&fs->mu);
  free(fs);
}

omen_status omen_facts_add(omen_facts *fs, const omen_analyzer *a, const char *unit, const char *key,
                           const void *data, size_t len) {
  if (!fs || !a || !unit || !key || (len && !data))
    return OMEN_EINTERNAL;
  size_t lu = strlen(unit) + 1, lk = strlen(key) + 1, total = lu + lk + len + 1;
  if (len > OMEN_FACT_MAX_BYTES || lk > OMEN_FACT_MAX_BYTES) {
    pthread_mutex_lock(&fs->mu);
    fs->dropped++;
    pthread_mutex_unlock(&fs->mu);
    return OMEN_ELIMIT;
  }
  char *blk = malloc(total); /* copied before taking the lock */
  if (!blk)
    return OMEN_ENOMEM;
  memcpy(blk, unit, lu);
  memcpy(blk + lu, key, lk);
  if (len)
    memcpy(blk + lu + lk, data, len);
  blk[lu + lk + len] = '\0'; /* text data can be read as a string */
  omen_status s = OMEN_OK;
  pthread_mutex_lock(&fs->mu);
  if (fs->n >= OMEN_FACTS_MAX || fs->bytes + total > OMEN_FACTS_MAX_BYTES) {
    fs->dropped++;
    s = OMEN_ELIMIT;
  } else if (fs->n == fs->cap) {
    size_t cap = fs->cap ? fs->cap * 2 : 256;
    omen_fact *nv = realloc(fs->v, cap * sizeof *nv);
    if (nv) {
      fs->v = nv;
      fs->cap = cap;
    } else {
      s = OMEN_ENOMEM;
    }
  }
  if (s == OMEN_OK) {
    fs->v[fs->n++] = (omen_fact){a, blk, blk + lu, blk + lu + lk, len};
    fs->bytes += total;
  }
  pthread_mutex_unlock(&fs->mu);
  if (s != OMEN_OK)
    free(blk);
  return s;
}

static int cmp_fact(const void *x, const void *y) {
  const omen_fact *a = x, *b = y;
  int c = a->analyzer == b->analyzer ? 0 : strcmp(a->analyzer->name, b->analyzer->name);
  if (!c)
    c = strcmp(a->key, b->key);
  if (!c)
    c = strcmp(a->unit, b->unit);
  if (!c) {
    size_t n = a->len < b->len ? a->len : b->len;
    c = n ? memcmp(a->data, b->data, n) : 0;
    if (!c && a->len != b->len)
      c = a->len < b->len ? -1 : 1;
  }
  return c;
}

void omen_facts_sort(omen_facts *fs) {
  if (fs && fs->n > 1)
    qsort(fs->v, fs->n, sizeof *fs->v, cmp_fact);
}

const omen_fact *omen_facts_of(const omen_facts *fs, const omen_analyzer *a, size_t *n) {
  *n = 0;
  if (!fs)
    return NULL;
  size_t i = 0;
  while (i < fs->n && fs->v[i].analyzer != a)
    i++;
  size_t k = i;
  while (k < fs->n && fs->v[k].analyzer == a)
    k++;
  *n = k - i;
  return k > i ? &fs->v[i] : NULL;
}

size_t omen_facts_count(const omen_facts *fs) { return fs ? fs->n : 0; }
size_t omen_facts_dropped(const omen_facts *fs) { return fs ? fs->dropped : 0; }
