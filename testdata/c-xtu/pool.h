/* pool.h - a connection pool shared by conn.c, pool.c and stats.c. Lock order: pool before conn,
 * stats_lock before log_lock. */
#ifndef POOL_H
#define POOL_H

#include <pthread.h>
#include <stddef.h>

struct pool;

struct conn {
  pthread_mutex_t lock;
  struct pool *pool;
  struct conn *next;
  int fd;
  size_t sent;
};

struct pool {
  pthread_mutex_t lock;
  struct conn *head;
  size_t nconns;
};

/* process-wide locks (defined in stats.c) */
extern pthread_mutex_t stats_lock;
extern pthread_mutex_t log_lock;
extern pthread_mutex_t cfg_lock;
extern pthread_mutex_t reg_lock;

/* static in a header: every file that includes it gets its own mutex */
static pthread_mutex_t hdr_lock = PTHREAD_MUTEX_INITIALIZER;

void conn_close(struct conn *c);
void pool_drain(struct pool *p);
void stats_flush(void);
void stats_add(size_t bytes);

#endif
