/* Globals shared with threads that are guarded, set up before the threads start, atomic,
 * thread-local, constant, or never guarded anywhere: all silent. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct entry {
  struct entry *next;
  int value;
};

struct table {
  struct entry *buckets[64];
  unsigned count;
};

/* Consistently guarded, also on the thread, also through a helper called with the lock held. */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct table table;

void table_put(struct entry *e, unsigned b) {
  pthread_mutex_lock(&table_lock);
  e->next = table.buckets[b];
  table.buckets[b] = e;
  table.count++;
  pthread_mutex_unlock(&table_lock);
}

int table_size(void) {
  pthread_mutex_lock(&table_lock);
  int n = (int)table.count;
  pthread_mutex_unlock(&table_lock);
  return n;
}

static void evict_one(unsigned b) {
  struct entry *e = table.buckets[b];
  if (e) {
    table.buckets[b] = e->next;
    table.count--;
  }
}

static void *evictor(void *arg) {
  (void)arg;
  for (unsigned b = 0; b < 64; b++) {
    pthread_mutex_lock(&table_lock);
    evict_one(b);
    pthread_mutex_unlock(&table_lock);
  }
  return NULL;
}

/* Configuration written before the threads start and only read after. */
struct config {
  int port;
  int workers;
};

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct config cfg;

int cfg_port(void) {
  pthread_mutex_lock(&cfg_lock);
  int p = cfg.port;
  pthread_mutex_unlock(&cfg_lock);
  return p;
}

int cfg_workers(void) {
  pthread_mutex_lock(&cfg_lock);
  int w = cfg.workers;
  pthread_mutex_unlock(&cfg_lock);
  return w;
}

static void *reader(void *arg) {
  (void)arg;
  return cfg.workers > 0 ? NULL : arg;
}

/* Atomic counters need no mutex. */
struct counters {
  unsigned long hits;
};
static pthread_mutex_t ctr_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic long total;
static struct counters ctr;

void ctr_reset(void) {
  pthread_mutex_lock(&ctr_lock);
  total = 0;
  pthread_mutex_unlock(&ctr_lock);
}

long ctr_total(void) {
  pthread_mutex_lock(&ctr_lock);
  long t = total;
  pthread_mutex_unlock(&ctr_lock);
  return t;
}

static void *counter(void *arg) {
  (void)arg;
  total++;
  __atomic_fetch_add(&ctr.hits, 1, __ATOMIC_RELAXED);
  return NULL;
}

/* Per-thread scratch state. */
struct scratch {
  char buf[256];
  int len;
};
static __thread struct scratch scratch;
static pthread_mutex_t scratch_lock = PTHREAD_MUTEX_INITIALIZER;

void scratch_note(void) {
  pthread_mutex_lock(&scratch_lock);
  scratch.len = 0;
  pthread_mutex_unlock(&scratch_lock);
}

void scratch_reset(void) {
  pthread_mutex_lock(&scratch_lock);
  scratch.len = 1;
  pthread_mutex_unlock(&scratch_lock);
}

static void *formatter(void *arg) {
  (void)arg;
  scratch.len = 0;
  return NULL;
}

/* A list only the one thread touches: never locked anywhere, no evidence it is shared. */
struct node {
  struct node *next;
};
static struct node *free_list;

static void *recycler(void *arg) {
  struct node *n = arg;
  n->next = free_list;
  free_list = n;
  return NULL;
}

int main(void) {
  pthread_t t[5];
  cfg.port = 8080;
  cfg.workers = 4;
  pthread_create(&t[0], NULL, evictor, NULL);
  pthread_create(&t[1], NULL, reader, NULL);
  pthread_create(&t[2], NULL, counter, NULL);
  pthread_create(&t[3], NULL, formatter, NULL);
  pthread_create(&t[4], NULL, recycler, malloc(sizeof(struct node)));
  for (int i = 0; i < 5; i++)
    pthread_join(t[i], NULL);
  return 0;
}

/* One field guarded by the struct's own mutex, another by a global one: each is consistently
 * guarded by its own. */
struct pair {
  pthread_mutex_t lock;
  int data;
  int other_data;
};

static pthread_mutex_t pair_global_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pair shared;

void pair_bump(void) {
  pthread_mutex_lock(&pair_global_lock);
  shared.data++;
  pthread_mutex_unlock(&pair_global_lock);
}

int pair_read(void) {
  pthread_mutex_lock(&pair_global_lock);
  int d = shared.data;
  pthread_mutex_unlock(&pair_global_lock);
  return d;
}

static void *pair_worker(void *arg) {
  pthread_mutex_lock(&shared.lock);
  shared.other_data++;
  pthread_mutex_unlock(&shared.lock);
  return arg;
}

void pair_start(void) {
  pthread_t t;
  pthread_create(&t, NULL, pair_worker, NULL);
  pthread_join(t, NULL);
}
