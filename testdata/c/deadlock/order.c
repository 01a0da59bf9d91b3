/* Two mutexes locked in opposite orders on two paths. */
#include <pthread.h>
#include <threads.h>

struct account {
  pthread_mutex_t lock;
  long balance;
};

struct bank {
  pthread_mutex_t lock;
  struct account *accts;
  int n;
};

static pthread_mutex_t accounts_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t journal_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t audit_lock = PTHREAD_MUTEX_INITIALIZER;
static long journal_len, stats_n, audit_n;

void transfer(long amount) {
  pthread_mutex_lock(&accounts_lock);
  pthread_mutex_lock(&journal_lock);
  journal_len += amount;
  pthread_mutex_unlock(&journal_lock);
  pthread_mutex_unlock(&accounts_lock);
}

void rotate_journal(void) {
  pthread_mutex_lock(&journal_lock);
  journal_len = 0;
  pthread_mutex_lock(&accounts_lock); // want "accounts_lock is locked while holding journal_lock"
  pthread_mutex_unlock(&accounts_lock);
  pthread_mutex_unlock(&journal_lock);
}

static void bump_stats(void) {
  pthread_mutex_lock(&stats_lock);
  stats_n++;
  pthread_mutex_unlock(&stats_lock);
}

void audit(void) {
  pthread_mutex_lock(&audit_lock);
  audit_n++;
  bump_stats();
  pthread_mutex_unlock(&audit_lock);
}

void stats_audit(void) {
  pthread_mutex_lock(&stats_lock);
  pthread_mutex_lock(&audit_lock); // want "audit_lock is locked while holding stats_lock"
  audit_n = stats_n;
  pthread_mutex_unlock(&audit_lock);
  pthread_mutex_unlock(&stats_lock);
}

void bank_credit(struct bank *b, struct account *a, long v) {
  pthread_mutex_lock(&b->lock);
  pthread_mutex_lock(&a->lock);
  a->balance += v;
  pthread_mutex_unlock(&a->lock);
  pthread_mutex_unlock(&b->lock);
}

int account_close(struct account *a, struct bank *b) {
  pthread_mutex_lock(&a->lock);
  a->balance = 0;
  pthread_mutex_lock(&b->lock); // want "struct bank::lock is locked while holding struct account::lock"
  b->n--;
  pthread_mutex_unlock(&b->lock);
  pthread_mutex_unlock(&a->lock);
  return 0;
}

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;
static int cache_dirty, db_rows;

static void db_flush(void) {
  pthread_mutex_lock(&db_lock);
  db_rows += cache_dirty;
  pthread_mutex_unlock(&db_lock);
}

void cache_sync(void) {
  pthread_mutex_lock(&cache_lock);
  db_flush();
  cache_dirty = 0;
  pthread_mutex_unlock(&cache_lock);
}

void db_evict(void) {
  pthread_mutex_lock(&db_lock);
  db_rows--;
  pthread_mutex_lock(&cache_lock); // want "cache_lock is locked while holding db_lock"
  cache_dirty++;
  pthread_mutex_unlock(&cache_lock);
  pthread_mutex_unlock(&db_lock);
}

static mtx_t queue_mtx, worker_mtx;
static int queued, idle_workers;

void queue_push(void) {
  mtx_lock(&queue_mtx);
  queued++;
  mtx_lock(&worker_mtx);
  idle_workers--;
  mtx_unlock(&worker_mtx);
  mtx_unlock(&queue_mtx);
}

void worker_idle(void) {
  mtx_lock(&worker_mtx);
  idle_workers++;
  if (idle_workers > 4) {
    mtx_lock(&queue_mtx); // want "queue_mtx is locked while holding worker_mtx"
    queued = 0;
    mtx_unlock(&queue_mtx);
  }
  mtx_unlock(&worker_mtx);
}
