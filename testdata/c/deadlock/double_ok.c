/* Look-alikes that must stay silent. */
#include <pthread.h>
#include <stddef.h>

struct node {
  pthread_mutex_t lock;
  struct node *next;
  int v;
};

static pthread_rwlock_t map_lock = PTHREAD_RWLOCK_INITIALIZER;

/* expects the caller to hold n->lock */
static void node_bump_locked(struct node *n) {
  n->v++;
}

void node_bump(struct node *n) {
  pthread_mutex_lock(&n->lock);
  node_bump_locked(n);
  pthread_mutex_unlock(&n->lock);
}

/* hand-over-hand: two different nodes */
void node_link(struct node *a, struct node *b) {
  pthread_mutex_lock(&a->lock);
  pthread_mutex_lock(&b->lock);
  a->next = b;
  pthread_mutex_unlock(&b->lock);
  pthread_mutex_unlock(&a->lock);
}

/* unlock, then lock again */
void node_twice(struct node *n) {
  pthread_mutex_lock(&n->lock);
  n->v = 0;
  pthread_mutex_unlock(&n->lock);
  pthread_mutex_lock(&n->lock);
  n->v = 1;
  pthread_mutex_unlock(&n->lock);
}

/* readers may share */
int map_read2(void) {
  pthread_rwlock_rdlock(&map_lock);
  pthread_rwlock_rdlock(&map_lock);
  pthread_rwlock_unlock(&map_lock);
  pthread_rwlock_unlock(&map_lock);
  return 0;
}

/* a try-lock of the same mutex does not block (it fails with EBUSY) */
int node_try(struct node *n) {
  int busy;
  pthread_mutex_lock(&n->lock);
  busy = pthread_mutex_trylock(&n->lock) != 0;
  pthread_mutex_unlock(&n->lock);
  return busy;
}

/* locked only on one branch, then released before the second lock */
void node_maybe(struct node *n, int cond) {
  if (cond)
    pthread_mutex_lock(&n->lock);
  n->v++;
  if (cond)
    pthread_mutex_unlock(&n->lock);
  pthread_mutex_lock(&n->lock);
  pthread_mutex_unlock(&n->lock);
}

/* calls the locking function after releasing */
void node_reset(struct node *n) {
  pthread_mutex_lock(&n->lock);
  n->v = 0;
  pthread_mutex_unlock(&n->lock);
  node_bump(n);
}
