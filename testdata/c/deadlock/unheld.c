/* Unlocking a mutex the function already unlocked on every path. */
#include <errno.h>
#include <pthread.h>
#include <threads.h>

struct chan {
  pthread_mutex_t lock;
  int closed, n;
};

static mtx_t reg_mtx;
static int reg_count;

int chan_send(struct chan *c, int v) {
  int err = 0;
  pthread_mutex_lock(&c->lock);
  if (c->closed) {
    pthread_mutex_unlock(&c->lock);
    err = -EPIPE;
  }
  c->n += v;
  pthread_mutex_unlock(&c->lock); // want "c->lock is unlocked again"
  return err;
}

void chan_close(struct chan *c) {
  pthread_mutex_lock(&c->lock);
  c->closed = 1;
  pthread_mutex_unlock(&c->lock);
  pthread_mutex_unlock(&c->lock); // want "c->lock is unlocked again"
}

int chan_drain(struct chan *c) {
  pthread_mutex_lock(&c->lock);
  if (c->n == 0) {
    pthread_mutex_unlock(&c->lock);
  } else {
    c->n = 0;
    pthread_mutex_unlock(&c->lock);
  }
  pthread_mutex_unlock(&c->lock); // want "c->lock is unlocked again"
  return 0;
}

void reg_add(void) {
  mtx_lock(&reg_mtx);
  reg_count++;
  mtx_unlock(&reg_mtx);
  if (reg_count > 10)
    mtx_unlock(&reg_mtx); // want "reg_mtx is unlocked again"
}

void chan_poll(struct chan *c) {
  for (int i = 0; i < 3; i++) {
    pthread_mutex_lock(&c->lock);
    c->n--;
    pthread_mutex_unlock(&c->lock);
  }
  pthread_mutex_unlock(&c->lock); // want "c->lock is unlocked again"
}
