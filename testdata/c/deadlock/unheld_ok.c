/* Look-alikes that must stay silent: releasing the caller's lock, lock again between unlocks. */
#include <pthread.h>

struct chan {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int n;
};

/* releases the lock its caller took */
void chan_unlock(struct chan *c) {
  pthread_mutex_unlock(&c->lock);
}

/* called with c->lock held: drops it to do the slow part, then takes it back */
void chan_slow_locked(struct chan *c) {
  pthread_mutex_unlock(&c->lock);
  c->n = 0;
  pthread_mutex_lock(&c->lock);
}

void chan_twice(struct chan *c) {
  pthread_mutex_lock(&c->lock);
  c->n++;
  pthread_mutex_unlock(&c->lock);
  pthread_mutex_lock(&c->lock);
  c->n++;
  pthread_mutex_unlock(&c->lock);
}

void chan_branch(struct chan *c, int fast) {
  pthread_mutex_lock(&c->lock);
  if (fast) {
    pthread_mutex_unlock(&c->lock);
    return;
  }
  c->n++;
  pthread_mutex_unlock(&c->lock);
}

void chan_loop(struct chan *c) {
  pthread_mutex_lock(&c->lock);
  while (c->n > 0) {
    pthread_mutex_unlock(&c->lock);
    pthread_mutex_lock(&c->lock);
    c->n--;
  }
  pthread_mutex_unlock(&c->lock);
}

void chan_maybe(struct chan *c, int locked) {
  if (!locked)
    pthread_mutex_lock(&c->lock);
  c->n++;
  pthread_mutex_unlock(&c->lock);
}
