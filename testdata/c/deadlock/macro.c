/* Locks behind macros are still seen; no fix is offered through a macro. Backward gotos and
 * computed control flow keep the function quiet. */
#include <errno.h>
#include <pthread.h>

#define LOCK(o) pthread_mutex_lock(&(o)->lock)
#define UNLOCK(o) pthread_mutex_unlock(&(o)->lock)

struct obj {
  pthread_mutex_t lock;
  int state;
};

int obj_set(struct obj *o, int v) {
  LOCK(o);
  if (v < 0)
    return -EINVAL; // want "returns with o->lock still locked"
  o->state = v;
  UNLOCK(o);
  return 0;
}

int obj_retry(struct obj *o) {
  int tries = 0;
again:
  pthread_mutex_lock(&o->lock);
  if (o->state == 0 && tries++ < 3) {
    pthread_mutex_unlock(&o->lock);
    goto again;
  }
  if (o->state < 0)
    return -1;
  pthread_mutex_unlock(&o->lock);
  return 0;
}
