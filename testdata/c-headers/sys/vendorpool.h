/* vendorpool.h - a system library's header (reached through -isystem): never reported. */
#ifndef VENDORPOOL_H
#define VENDORPOOL_H

#include <errno.h>
#include <pthread.h>

struct vpool {
  pthread_mutex_t lock;
  int n;
};

static inline int vpool_take(struct vpool *p) {
  pthread_mutex_lock(&p->lock);
  if (p->n == 0)
    return -EAGAIN;
  int v = --p->n;
  pthread_mutex_unlock(&p->lock);
  return v;
}

#endif
