/* Shared structs changed while holding a read-write lock only for reading. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  struct entry *next;
  char key[32];
  int hits;
};

struct cache {
  struct entry *head;
  unsigned count, misses;
};

static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct cache cache;
static struct entry *lru_tail;

int cache_lookup(const char *k) {
  int found = 0;
  pthread_rwlock_rdlock(&cache_lock);
  for (struct entry *e = cache.head; e; e = e->next)
    if (strcmp(e->key, k) == 0)
      found = 1;
  if (!found)
    cache.misses++; /* want "cache is changed holding cache_lock only for reading" */
  pthread_rwlock_unlock(&cache_lock);
  return found;
}

void cache_insert_fast(struct entry *e) {
  pthread_rwlock_rdlock(&cache_lock);
  e->next = cache.head;
  cache.head = e; /* want "cache is changed holding cache_lock only for reading" */
  pthread_rwlock_unlock(&cache_lock);
}

void cache_touch(struct entry *e) {
  if (pthread_rwlock_rdlock(&cache_lock) != 0)
    return;
  lru_tail = e; /* want "lru_tail is changed holding cache_lock only for reading" */
  pthread_rwlock_unlock(&cache_lock);
}

static pthread_rwlock_t peers_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct peer {
  int fd;
  int state;
} peers[32];

void peer_mark(int i, int state) {
  pthread_rwlock_rdlock(&peers_lock);
  peers[i].state = state; /* want "peers is changed holding peers_lock only for reading" */
  pthread_rwlock_unlock(&peers_lock);
}

void cache_reset_counts(void) {
  pthread_rwlock_rdlock(&cache_lock);
  memset(&cache, 0, 0);
  cache.count = 0; /* want "cache is changed holding cache_lock only for reading" */
  pthread_rwlock_unlock(&cache_lock);
}
