/* conn.c - connection teardown. */
#include <stdlib.h>
#include <unistd.h>

#include "pool.h"

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER; /* pool.c has its own */
static size_t closed;

struct job { /* declared here: pool.c's struct job is another type */
  pthread_mutex_t lock;
  int id;
};

/* conn, then pool: pool.c takes them the other way round */
void conn_close(struct conn *c) {
  pthread_mutex_lock(&c->lock);
  close(c->fd);
  pthread_mutex_lock(&c->pool->lock); // want "struct pool::lock is locked while holding struct conn::lock, but .*pool.c locks them in the opposite order"
  c->pool->nconns--;
  pthread_mutex_unlock(&c->pool->lock);
  pthread_mutex_unlock(&c->lock);
}

/* holds the conn lock while stats_add (stats.c) takes stats_lock: stats.c takes them the other way */
void conn_account(struct conn *c) {
  pthread_mutex_lock(&c->lock);
  stats_add(c->sent); // want "stats_lock is locked \\(by stats_add, in .*stats.c\\) while holding struct conn::lock, but .*stats.c locks them"
  pthread_mutex_unlock(&c->lock);
}

/* calls a function of another file that takes log_lock after stats_lock, as everywhere */
void conn_flush(void) {
  pthread_mutex_lock(&stats_lock);
  stats_flush();
  pthread_mutex_unlock(&stats_lock);
}

/* stats_lock then log_lock, as everywhere */
void conn_log_stats(struct conn *c) {
  pthread_mutex_lock(&stats_lock);
  pthread_mutex_lock(&log_lock);
  closed += c->sent;
  pthread_mutex_unlock(&log_lock);
  pthread_mutex_unlock(&stats_lock);
}

/* file-static cache_lock, then stats_lock: pool.c's cache_lock is a different mutex */
void conn_cache_put(struct conn *c) {
  pthread_mutex_lock(&cache_lock);
  pthread_mutex_lock(&stats_lock);
  closed += c->sent;
  pthread_mutex_unlock(&stats_lock);
  pthread_mutex_unlock(&cache_lock);
}

/* hdr_lock is static in pool.h: this file's copy */
void conn_hdr(struct conn *c) {
  pthread_mutex_lock(&hdr_lock);
  pthread_mutex_lock(&c->lock);
  c->sent = 0;
  pthread_mutex_unlock(&c->lock);
  pthread_mutex_unlock(&hdr_lock);
}

/* struct job is this file's own type */
void conn_job(struct job *j, struct pool *p) {
  pthread_mutex_lock(&j->lock);
  pthread_mutex_lock(&p->lock);
  j->id = (int)p->nconns;
  pthread_mutex_unlock(&p->lock);
  pthread_mutex_unlock(&j->lock);
}

/* a local mutex never matches another file's */
void conn_local(struct pool *p) {
  pthread_mutex_t scratch;
  pthread_mutex_init(&scratch, NULL);
  pthread_mutex_lock(&scratch);
  pthread_mutex_lock(&p->lock);
  p->nconns++;
  pthread_mutex_unlock(&p->lock);
  pthread_mutex_unlock(&scratch);
  pthread_mutex_destroy(&scratch);
}

/* cfg_lock then reg_lock: stats.c takes both orders itself (its own finding), not reported here */
void conn_reload(void) {
  pthread_mutex_lock(&cfg_lock);
  pthread_mutex_lock(&reg_lock);
  closed = 0;
  pthread_mutex_unlock(&reg_lock);
  pthread_mutex_unlock(&cfg_lock);
}

/* log_lock then reg_lock; pool.c inverts it */
void conn_register(struct conn *c) {
  pthread_mutex_lock(&log_lock);
  pthread_mutex_lock(&reg_lock); // want "reg_lock is locked while holding log_lock, but .*pool.c locks them in the opposite order"
  c->next = NULL;
  pthread_mutex_unlock(&reg_lock);
  pthread_mutex_unlock(&log_lock);
}
