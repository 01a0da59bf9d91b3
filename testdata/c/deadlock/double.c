/* A non-recursive mutex locked again while held, directly or through a call. */
#include <pthread.h>
#include <stddef.h>

struct cache {
  pthread_mutex_t lock;
  size_t n, cap;
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_lines;

void cache_evict(struct cache *c) {
  pthread_mutex_lock(&c->lock);
  if (c->n > 0)
    c->n--;
  pthread_mutex_unlock(&c->lock);
}

void cache_put(struct cache *c) {
  pthread_mutex_lock(&c->lock);
  if (c->n == c->cap)
    cache_evict(c); // want "cache_evict locks c->lock, which this thread already holds"
  c->n++;
  pthread_mutex_unlock(&c->lock);
}

static void log_line(void) {
  pthread_mutex_lock(&log_lock);
  log_lines++;
  pthread_mutex_unlock(&log_lock);
}

static void log_flush(void) {
  log_line();
}

void log_rotate(void) {
  pthread_mutex_lock(&log_lock);
  log_lines = 0;
  log_flush(); // want "log_flush locks log_lock, which this thread already holds"
  pthread_mutex_unlock(&log_lock);
}

void cache_reset(struct cache *c) {
  pthread_mutex_lock(&c->lock);
  c->n = 0;
  pthread_mutex_lock(&c->lock); // want "c->lock is locked again while this thread already holds it"
  pthread_mutex_unlock(&c->lock);
}

void cache_resize(struct cache *c, size_t cap) {
  pthread_mutex_lock(&c->lock);
  if (cap < c->n) {
    c->cap = c->n;
  } else {
    c->cap = cap;
  }
  pthread_mutex_lock(&c->lock); // want "c->lock is locked again"
  pthread_mutex_unlock(&c->lock);
}

void cache_drain(struct cache *c) {
  pthread_mutex_lock(&c->lock);
  while (c->n > 0) {
    c->n--;
    cache_evict(c); // want "cache_evict locks c->lock"
  }
  pthread_mutex_unlock(&c->lock);
}

static pthread_spinlock_t stat_spin;
static long stat_count;

void stat_add(long v) {
  pthread_spin_lock(&stat_spin);
  stat_count += v;
  if (stat_count > 1000)
    pthread_spin_lock(&stat_spin); // want "stat_spin is locked again"
  pthread_spin_unlock(&stat_spin);
}
