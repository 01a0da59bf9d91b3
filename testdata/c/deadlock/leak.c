/* Returns between a lock and its unlock that leave the mutex locked. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct item {
  char *key;
  void *val;
};

struct table {
  pthread_mutex_t lock;
  struct item *items;
  size_t n, cap;
};

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long stats_hits, stats_misses;

int table_put(struct table *t, const char *k, void *v) {
  pthread_mutex_lock(&t->lock);
  if (t->n == t->cap)
    return -ENOSPC; // want "returns with t->lock still locked"
  t->items[t->n].key = strdup(k);
  t->items[t->n++].val = v;
  pthread_mutex_unlock(&t->lock);
  return 0;
}

void *table_get(struct table *t, const char *k) {
  pthread_mutex_lock(&t->lock);
  for (size_t i = 0; i < t->n; i++) {
    if (strcmp(t->items[i].key, k) == 0) {
      void *v = t->items[i].val;
      return v; // want "returns with t->lock still locked"
    }
  }
  pthread_mutex_unlock(&t->lock);
  return NULL;
}

int stats_record(int hit) {
  pthread_mutex_lock(&stats_lock);
  if (hit < 0) {
    errno = EINVAL;
    return -1; // want "returns with stats_lock still locked"
  }
  if (hit)
    stats_hits++;
  else
    stats_misses++;
  pthread_mutex_unlock(&stats_lock);
  return 0;
}

int table_grow(struct table *t) {
  pthread_mutex_lock(&t->lock);
  struct item *n = realloc(t->items, 2 * t->cap * sizeof *n);
  if (!n) return -ENOMEM; // want "returns with t->lock still locked"
  t->items = n;
  t->cap *= 2;
  pthread_mutex_unlock(&t->lock);
  return 0;
}

int table_del(struct table *t, size_t i) {
  int rc = 0;
  pthread_mutex_lock(&t->lock);
  switch (t->n) {
  case 0:
    return -ENOENT; // want "returns with t->lock still locked"
  default:
    if (i < t->n)
      t->items[i] = t->items[--t->n];
    else
      rc = -ERANGE;
    break;
  }
  pthread_mutex_unlock(&t->lock);
  return rc;
}

static pthread_rwlock_t cfg_lock = PTHREAD_RWLOCK_INITIALIZER;
static int cfg_value;

int cfg_read(int *out) {
  pthread_rwlock_rdlock(&cfg_lock);
  if (!out)
    return -1; // want "returns with cfg_lock still locked"
  else
    *out = cfg_value;
  pthread_rwlock_unlock(&cfg_lock);
  return 0;
}

struct conn {
  pthread_mutex_t lock;
  int fd, refs;
  char *buf;
};

int conn_send(struct conn *c, const char *msg) {
  int rc = 0;
  pthread_mutex_lock(&c->lock);
  if (c->fd < 0) {
    rc = -EBADF;
    goto out; // want "jumps past the unlock of c->lock"
  }
  c->refs++;
  pthread_mutex_unlock(&c->lock);
out:
  free(c->buf);
  c->buf = NULL;
  (void)msg;
  return rc;
}

int conn_close(struct conn *c) {
  int rc = 0;
  pthread_mutex_lock(&c->lock);
  if (c->refs > 0)
    goto busy; // want "jumps past the unlock of c->lock"
  c->fd = -1;
  pthread_mutex_unlock(&c->lock);
  return 0;
busy:
  rc = -EBUSY;
  return rc;
}
