/* Look-alikes that must stay silent: every return unlocks, lock helpers, goto cleanup. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

struct queue {
  pthread_mutex_t lock;
  int *buf;
  size_t n, cap;
};

/* a lock helper: every exit keeps the lock, the caller unlocks */
void queue_lock(struct queue *q) {
  pthread_mutex_lock(&q->lock);
}

/* returns locked on success, unlocked on failure: the caller unlocks after success */
struct queue *queue_acquire(struct queue *q) {
  pthread_mutex_lock(&q->lock);
  if (q->cap == 0) {
    pthread_mutex_unlock(&q->lock);
    return NULL;
  }
  return q;
}

int queue_push(struct queue *q, int v) {
  pthread_mutex_lock(&q->lock);
  if (q->n == q->cap) {
    pthread_mutex_unlock(&q->lock);
    return -EAGAIN;
  }
  q->buf[q->n++] = v;
  pthread_mutex_unlock(&q->lock);
  return 0;
}

int queue_pop(struct queue *q, int *out) {
  int rc = 0;
  pthread_mutex_lock(&q->lock);
  if (q->n == 0) {
    rc = -EAGAIN;
    goto out;
  }
  *out = q->buf[--q->n];
out:
  pthread_mutex_unlock(&q->lock);
  return rc;
}

int queue_len(struct queue *q) {
  int n;
  pthread_mutex_lock(&q->lock);
  n = (int)q->n;
  pthread_mutex_unlock(&q->lock);
  if (n < 0)
    return 0;
  return n;
}

int queue_clear(struct queue *q) {
  if (!q)
    return -EINVAL;
  pthread_mutex_lock(&q->lock);
  while (q->n > 0) {
    if (q->buf[q->n - 1] < 0) {
      pthread_mutex_unlock(&q->lock);
      return -EIO;
    }
    q->n--;
  }
  pthread_mutex_unlock(&q->lock);
  return 0;
}

int queue_try(struct queue *q) {
  if (pthread_mutex_trylock(&q->lock) != 0)
    return -EBUSY;
  q->n = 0;
  pthread_mutex_unlock(&q->lock);
  return 0;
}

int queue_resize(struct queue *q, size_t cap) {
  int *nb;
  if (cap == 0)
    goto fail;
  pthread_mutex_lock(&q->lock);
  nb = realloc(q->buf, cap * sizeof *nb);
  if (!nb)
    goto unlock;
  q->buf = nb;
  q->cap = cap;
unlock:
  pthread_mutex_unlock(&q->lock);
  return nb ? 0 : -ENOMEM;
fail:
  return -EINVAL;
}

int queue_drop(struct queue *q) {
  pthread_mutex_lock(&q->lock);
  if (q->n == 0)
    goto err;
  q->n--;
  pthread_mutex_unlock(&q->lock);
  return 0;
err:
  pthread_mutex_unlock(&q->lock);
  return -ENOENT;
}

/* the lock call itself failed: nothing is held on that path */
int queue_checked(struct queue *q) {
  if (pthread_mutex_lock(&q->lock) != 0)
    return -EINVAL;
  q->n = 0;
  pthread_mutex_unlock(&q->lock);
  return 0;
}
