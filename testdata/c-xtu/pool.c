/* pool.c - the pool: drains connections under the pool lock. */
#include <stdlib.h>

#include "pool.h"

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER; /* conn.c has its own */

struct job { /* declared here: conn.c's struct job is another type */
  pthread_mutex_t lock;
  char name[16];
};

/* locks the connection: called with the pool locked */
static void conn_lock(struct conn *c) { pthread_mutex_lock(&c->lock); }

/* pool, then conn (through conn_lock) */
void pool_drain(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  for (struct conn *c = p->head; c; c = c->next) {
    conn_lock(c);
    c->sent = 0;
    pthread_mutex_unlock(&c->lock);
  }
  pthread_mutex_unlock(&p->lock);
}

/* stats_lock, then the file-static cache_lock */
void pool_cache_flush(void) {
  pthread_mutex_lock(&stats_lock);
  pthread_mutex_lock(&cache_lock);
  stats_flush();
  pthread_mutex_unlock(&cache_lock);
  pthread_mutex_unlock(&stats_lock);
}

/* conn, then this file's copy of hdr_lock */
void pool_hdr(struct conn *c) {
  pthread_mutex_lock(&c->lock);
  pthread_mutex_lock(&hdr_lock);
  c->fd = -1;
  pthread_mutex_unlock(&hdr_lock);
  pthread_mutex_unlock(&c->lock);
}

/* pool, then this file's struct job */
void pool_job(struct job *j, struct pool *p) {
  pthread_mutex_lock(&p->lock);
  pthread_mutex_lock(&j->lock);
  j->name[0] = '\0';
  pthread_mutex_unlock(&j->lock);
  pthread_mutex_unlock(&p->lock);
}

/* a local again */
void pool_local(struct pool *p) {
  pthread_mutex_t scratch;
  pthread_mutex_init(&scratch, NULL);
  pthread_mutex_lock(&p->lock);
  pthread_mutex_lock(&scratch);
  p->nconns = 0;
  pthread_mutex_unlock(&scratch);
  pthread_mutex_unlock(&p->lock);
  pthread_mutex_destroy(&scratch);
}

/* reg_lock then log_lock: conn.c inverts it */
void pool_register(struct conn *c) {
  pthread_mutex_lock(&reg_lock);
  pthread_mutex_lock(&log_lock);
  c->pool = NULL;
  pthread_mutex_unlock(&log_lock);
  pthread_mutex_unlock(&reg_lock);
}
