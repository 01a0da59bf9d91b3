/* Blocking calls made while a mutex is held. */
#include <pthread.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

struct pool {
  pthread_mutex_t lock;
  pthread_mutex_t qlock;
  pthread_cond_t nonempty;
  pthread_t worker;
  int stop, n;
};

static mtx_t big_lock;
static thrd_t flusher;

void pool_stop(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  p->stop = 1;
  pthread_join(p->worker, NULL); // want "pthread_join blocks while p->lock is held"
  pthread_mutex_unlock(&p->lock);
}

void pool_backoff(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  if (p->n > 100)
    usleep(1000); // want "usleep blocks while p->lock is held"
  pthread_mutex_unlock(&p->lock);
}

void pool_wait(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  pthread_mutex_lock(&p->qlock);
  while (p->n == 0)
    pthread_cond_wait(&p->nonempty, &p->qlock); // want "pthread_cond_wait blocks while p->lock is held"
  pthread_mutex_unlock(&p->qlock);
  pthread_mutex_unlock(&p->lock);
}

void flush_all(void) {
  mtx_lock(&big_lock);
  thrd_join(flusher, NULL); // want "thrd_join blocks while big_lock is held"
  mtx_unlock(&big_lock);
}

void pool_throttle(struct pool *p) {
  struct timespec ts = {0, 5000000};
  pthread_mutex_lock(&p->lock);
  nanosleep(&ts, NULL); // want "nanosleep blocks while p->lock is held"
  p->n--;
  pthread_mutex_unlock(&p->lock);
}

void pool_retry(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  while (p->n < 0) {
    sleep(1); // want "sleep blocks while p->lock is held"
  }
  pthread_mutex_unlock(&p->lock);
}
