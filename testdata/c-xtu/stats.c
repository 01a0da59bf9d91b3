/* stats.c - process-wide counters and the locks pool.h declares. */
#include <stdio.h>

#include "pool.h"

pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long flushed;
static size_t total_bytes;

/* takes stats_lock: callers in other files must not hold a conn lock (they do: conn.c) */
void stats_add(size_t bytes) {
  pthread_mutex_lock(&stats_lock);
  total_bytes += bytes;
  pthread_mutex_unlock(&stats_lock);
}

/* stats_lock, then a connection's lock */
void stats_reset_conn(struct conn *c) {
  pthread_mutex_lock(&stats_lock);
  pthread_mutex_lock(&c->lock);
  c->sent = 0;
  pthread_mutex_unlock(&c->lock);
  pthread_mutex_unlock(&stats_lock);
}

/* stats_lock then log_lock, as in conn.c */
void stats_flush(void) {
  pthread_mutex_lock(&stats_lock);
  pthread_mutex_lock(&log_lock);
  flushed++;
  pthread_mutex_unlock(&log_lock);
  pthread_mutex_unlock(&stats_lock);
}

/* both orders of cfg_lock and reg_lock in this one file: the in-file rule reports it */
void stats_reload(void) {
  pthread_mutex_lock(&reg_lock);
  pthread_mutex_lock(&cfg_lock);
  flushed = 0;
  pthread_mutex_unlock(&cfg_lock);
  pthread_mutex_unlock(&reg_lock);
}

void stats_config(void) {
  pthread_mutex_lock(&cfg_lock);
  pthread_mutex_lock(&reg_lock); // want "reg_lock is locked while holding cfg_lock, but another path"
  flushed = 1;
  pthread_mutex_unlock(&reg_lock);
  pthread_mutex_unlock(&cfg_lock);
}
