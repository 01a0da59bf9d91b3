/* Look-alikes that must stay silent. */
#include <pthread.h>
#include <unistd.h>

struct pool {
  pthread_mutex_t lock;
  pthread_cond_t nonempty;
  pthread_t worker;
  int stop, n;
};

void pool_stop(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  p->stop = 1;
  pthread_mutex_unlock(&p->lock);
  pthread_join(p->worker, NULL);
}

/* waiting on the condition releases its own mutex */
int pool_take(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  while (p->n == 0)
    pthread_cond_wait(&p->nonempty, &(p->lock));
  int v = p->n--;
  pthread_mutex_unlock(&p->lock);
  return v;
}

void pool_backoff(struct pool *p) {
  int busy;
  pthread_mutex_lock(&p->lock);
  busy = p->n > 100;
  pthread_mutex_unlock(&p->lock);
  if (busy)
    usleep(1000);
}

void idle(void) {
  sleep(1);
}

void pool_poll(struct pool *p) {
  for (;;) {
    pthread_mutex_lock(&p->lock);
    if (p->stop) {
      pthread_mutex_unlock(&p->lock);
      break;
    }
    pthread_mutex_unlock(&p->lock);
    usleep(10000);
  }
}
