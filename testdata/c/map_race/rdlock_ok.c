/* Read-write locks used correctly: reads under the read lock, changes under the write lock. */
#include <pthread.h>
#include <string.h>

struct entry {
  struct entry *next;
  char key[32];
  int hits;
};

struct cache {
  struct entry *head;
  unsigned count;
};

static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct cache cache;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  unsigned long misses;
} stats;

int cache_lookup(const char *k) {
  int found = 0;
  pthread_rwlock_rdlock(&cache_lock);
  for (struct entry *e = cache.head; e; e = e->next)
    if (strcmp(e->key, k) == 0)
      found = 1;
  pthread_rwlock_unlock(&cache_lock);
  return found;
}

void cache_insert(struct entry *e) {
  pthread_rwlock_wrlock(&cache_lock);
  e->next = cache.head;
  cache.head = e;
  cache.count++;
  pthread_rwlock_unlock(&cache_lock);
}

/* Upgrade: drop the read lock, take the write lock, then change. */
void cache_insert_if_missing(struct entry *e) {
  pthread_rwlock_rdlock(&cache_lock);
  struct entry *h = cache.head;
  pthread_rwlock_unlock(&cache_lock);
  if (h)
    return;
  pthread_rwlock_wrlock(&cache_lock);
  cache.head = e;
  pthread_rwlock_unlock(&cache_lock);
}

/* A change under a separate exclusive mutex while reading under the read lock. */
void cache_count_miss(const char *k) {
  pthread_rwlock_rdlock(&cache_lock);
  if (!cache.head || strcmp(cache.head->key, k) != 0) {
    pthread_mutex_lock(&stats_lock);
    stats.misses++;
    pthread_mutex_unlock(&stats_lock);
  }
  pthread_rwlock_unlock(&cache_lock);
}

/* Changing a local copy and the entry the caller owns under the read lock. */
unsigned cache_snapshot(struct cache *out) {
  pthread_rwlock_rdlock(&cache_lock);
  *out = cache;
  out->count = cache.count;
  pthread_rwlock_unlock(&cache_lock);
  return out->count;
}

/* An atomic counter may change under a read lock. */
static struct {
  unsigned long reads;
} rstats;

void cache_read_count(void) {
  pthread_rwlock_rdlock(&cache_lock);
  __atomic_fetch_add(&rstats.reads, 1, __ATOMIC_RELAXED);
  pthread_rwlock_unlock(&cache_lock);
}
