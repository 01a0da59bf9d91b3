/* C structs reached through globals (hash tables, lists, counters) written on a thread without the
 * mutex that their other accesses hold. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  struct entry *next;
  char key[32];
  int value;
};

struct table {
  struct entry *buckets[64];
  unsigned count;
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct table table;

static unsigned hash(const char *k) {
  unsigned h = 5381;
  while (*k)
    h = h * 33 + (unsigned char)*k++;
  return h % 64;
}

void table_put(const char *k, int v) {
  struct entry *e = calloc(1, sizeof *e);
  if (!e)
    return;
  strncpy(e->key, k, sizeof e->key - 1);
  e->value = v;
  pthread_mutex_lock(&table_lock);
  e->next = table.buckets[hash(k)];
  table.buckets[hash(k)] = e;
  table.count++;
  pthread_mutex_unlock(&table_lock);
}

int table_get(const char *k) {
  int v = -1;
  pthread_mutex_lock(&table_lock);
  for (struct entry *e = table.buckets[hash(k)]; e; e = e->next)
    if (strcmp(e->key, k) == 0)
      v = e->value;
  pthread_mutex_unlock(&table_lock);
  return v;
}

static void table_evict(unsigned b) {
  struct entry *e = table.buckets[b];
  if (!e)
    return;
  table.buckets[b] = e->next; /* want "table is changed on a thread without table_lock" */
  table.count--;
  free(e);
}

static void *evictor(void *arg) {
  (void)arg;
  for (unsigned b = 0; b < 64; b++)
    table_evict(b);
  return NULL;
}

/* A linked list with a global head pointer. */
struct job {
  struct job *next;
  int id;
};

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct job *jobs_head;
static int jobs_len;

void job_push(struct job *j) {
  pthread_mutex_lock(&jobs_lock);
  j->next = jobs_head;
  jobs_head = j;
  jobs_len++;
  pthread_mutex_unlock(&jobs_lock);
}

struct job *job_pop(void) {
  pthread_mutex_lock(&jobs_lock);
  struct job *j = jobs_head;
  if (j)
    jobs_head = j->next;
  pthread_mutex_unlock(&jobs_lock);
  return j;
}

static void *worker(void *arg) {
  struct job *j = arg;
  j->next = jobs_head;
  jobs_head = j; /* want "jobs_head is changed on a thread without jobs_lock" */
  return NULL;
}

/* A global struct of counters. */
struct stats {
  unsigned long requests, errors;
};

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct stats stats;

void stats_error(void) {
  pthread_mutex_lock(&stats_lock);
  stats.errors++;
  pthread_mutex_unlock(&stats_lock);
}

void stats_snapshot(struct stats *out) {
  pthread_mutex_lock(&stats_lock);
  *out = stats;
  pthread_mutex_unlock(&stats_lock);
}

static void *server(void *arg) {
  (void)arg;
  for (;;) {
    ++stats.requests; /* want "stats is changed on a thread without stats_lock" */
    stats.errors += 0;
  }
  return NULL;
}

/* An array of connection slots reached through a global pointer. */
struct slot {
  int fd;
  int busy;
};

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot *slots;

int slot_claim(int fd) {
  pthread_mutex_lock(&slots_lock);
  for (int i = 0; i < 16; i++) {
    if (!slots[i].busy) {
      slots[i].busy = 1;
      slots[i].fd = fd;
      pthread_mutex_unlock(&slots_lock);
      return i;
    }
  }
  pthread_mutex_unlock(&slots_lock);
  return -1;
}

int slot_fd(int i) {
  pthread_mutex_lock(&slots_lock);
  int fd = slots[i].fd;
  pthread_mutex_unlock(&slots_lock);
  return fd;
}

static void *closer(void *arg) {
  int i = *(int *)arg;
  slots[i].busy = 0; /* want "slots is changed on a thread without slots_lock" */
  return NULL;
}

/* A queue with head and tail in a global struct. */
struct msg {
  struct msg *next;
};

static pthread_mutex_t outq_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  struct msg *head, *tail;
  int len;
} outq;

void outq_push(struct msg *m) {
  pthread_mutex_lock(&outq_lock);
  if (outq.tail)
    outq.tail->next = m;
  else
    outq.head = m;
  outq.tail = m;
  outq.len++;
  pthread_mutex_unlock(&outq_lock);
}

struct msg *outq_pop(void) {
  pthread_mutex_lock(&outq_lock);
  struct msg *m = outq.head;
  if (m && !(outq.head = m->next))
    outq.tail = NULL;
  if (m)
    outq.len--;
  pthread_mutex_unlock(&outq_lock);
  return m;
}

static void *flusher(void *arg) {
  (void)arg;
  while (outq.head) {
    struct msg *m = outq.head;
    outq.head = m->next; /* want "outq is changed on a thread without outq_lock" */
    free(m);
  }
  return NULL;
}

/* A list changed through its API. */
struct list {
  struct list *prev, *next;
};

static void list_push_back(struct list *head, struct list *n) {
  n->prev = head->prev;
  n->next = head;
  head->prev->next = n;
  head->prev = n;
}

static pthread_mutex_t timers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct list timers = {&timers, &timers};

void timer_add(struct list *t) {
  pthread_mutex_lock(&timers_lock);
  list_push_back(&timers, t);
  pthread_mutex_unlock(&timers_lock);
}

int timers_empty(void) {
  pthread_mutex_lock(&timers_lock);
  int e = timers.next == &timers;
  pthread_mutex_unlock(&timers_lock);
  return e;
}

static void *ticker(void *arg) {
  list_push_back(&timers, arg); /* want "timers is changed on a thread without timers_lock" */
  return NULL;
}

int start_all(struct job *j, int *slot) {
  pthread_t t[6];
  slots = calloc(16, sizeof *slots);
  pthread_create(&t[0], NULL, evictor, NULL);
  pthread_create(&t[1], NULL, worker, j);
  pthread_create(&t[2], NULL, server, NULL);
  pthread_create(&t[3], NULL, closer, slot);
  pthread_create(&t[4], NULL, flusher, NULL);
  pthread_create(&t[5], NULL, ticker, slot);
  for (int i = 0; i < 6; i++)
    pthread_join(t[i], NULL);
  return 0;
}
