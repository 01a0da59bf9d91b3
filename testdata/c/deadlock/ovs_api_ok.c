/* Look-alikes with an annotated project lock API that must stay silent: recursive mutexes (per
 * mutex, from how the unit initializes them), a lock let go and taken back by a REQUIRES function,
 * the lock API's own code, lock wrappers in do { } while (0) macros. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stddef.h>

#include "include/ovs-thread.h"

struct port {
  int no;
};

/* openvswitch's stp.c: a recursive mutex, so public functions may call each other while locked */
static struct ovs_mutex stp_mutex;
static int stp_root OVS_GUARDED_BY(stp_mutex);

void stp_init(void) {
  ovs_mutex_init_recursive(&stp_mutex);
}

int stp_is_root(void) OVS_EXCLUDED(stp_mutex) {
  int r;
  ovs_mutex_lock(&stp_mutex);
  r = stp_root;
  ovs_mutex_unlock(&stp_mutex);
  return r;
}

void stp_tick(void) OVS_EXCLUDED(stp_mutex) {
  ovs_mutex_lock(&stp_mutex);
  if (stp_is_root())
    stp_root = 0;
  ovs_mutex_lock(&stp_mutex);
  ovs_mutex_unlock(&stp_mutex);
  ovs_mutex_unlock(&stp_mutex);
}

/* a pthread mutex made recursive through its attribute */
static pthread_mutex_t cfg_lock;

void cfg_init(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&cfg_lock, &attr);
  pthread_mutexattr_destroy(&attr);
}

void cfg_reload(void) {
  pthread_mutex_lock(&cfg_lock);
  pthread_mutex_lock(&cfg_lock);
  pthread_mutex_unlock(&cfg_lock);
  pthread_mutex_unlock(&cfg_lock);
}

/* a statically initialized recursive mutex */
static pthread_mutex_t log_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

void log_write(void) {
  pthread_mutex_lock(&log_lock);
  pthread_mutex_lock(&log_lock);
  pthread_mutex_unlock(&log_lock);
  pthread_mutex_unlock(&log_lock);
}

/* a project init helper whose body makes the mutex recursive */
static pthread_mutex_t reg_lock;

static void make_lock(pthread_mutex_t *m) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(m, &a);
}

void reg_setup(void) {
  make_lock(&reg_lock);
}

void reg_touch(void) {
  pthread_mutex_lock(&reg_lock);
  pthread_mutex_lock(&reg_lock);
  pthread_mutex_unlock(&reg_lock);
  pthread_mutex_unlock(&reg_lock);
}

/* OVS_EXCLUDED followed by a short body and a REQUIRES function: the next declaration's annotation
 * is not this one's */
static struct ovs_mutex cfm_mutex = OVS_MUTEX_INITIALIZER;
static int cfm_health OVS_GUARDED_BY(cfm_mutex);

int cfm_get_health(void) OVS_EXCLUDED(cfm_mutex) {
  int h;
  ovs_mutex_lock(&cfm_mutex);
  h = cfm_health;
  ovs_mutex_unlock(&cfm_mutex);
  return h;
}

static int cfm_get_opup__(void) OVS_REQUIRES(cfm_mutex) {
  return cfm_health > 0;
}

int cfm_get_opup(void) OVS_EXCLUDED(cfm_mutex) {
  int r;
  ovs_mutex_lock(&cfm_mutex);
  r = cfm_get_opup__();
  ovs_mutex_unlock(&cfm_mutex);
  return r;
}

/* dpif-netdev's flush: a REQUIRES function lets go of the port lock while it takes another, so
 * the caller's port lock is not ordered before flush_mutex */
struct dp {
  struct ovs_rwlock port_rwlock;
  int n;
};

static void dp_flush(struct dp *dp) OVS_REQ_WRLOCK(dp->port_rwlock) {
  static struct ovs_mutex flush_mutex = OVS_MUTEX_INITIALIZER;
  ovs_rwlock_unlock(&dp->port_rwlock);
  ovs_mutex_lock(&flush_mutex);
  ovs_rwlock_wrlock(&dp->port_rwlock);
  ovs_mutex_unlock(&flush_mutex);
}

static void dp_del_port(struct dp *dp) OVS_REQ_WRLOCK(dp->port_rwlock) {
  dp->n--;
  dp_flush(dp);
}

void dp_free(struct dp *dp) {
  ovs_rwlock_wrlock(&dp->port_rwlock);
  dp_del_port(dp);
  ovs_rwlock_unlock(&dp->port_rwlock);
}

/* the lock API's own code: Clang does not check it, nor does omen */
void my_cond_wait(pthread_cond_t *cond, const struct ovs_mutex *mutex_) OVS_REQUIRES(mutex_)
    OVS_NO_THREAD_SAFETY_ANALYSIS {
  struct ovs_mutex *mutex = (struct ovs_mutex *)mutex_;
  pthread_cond_wait(cond, &mutex->lock);
}

/* lock wrappers written as do { } while (0) macros */
#define pool_lock(l) do { ovs_mutex_lock(l); } while (0)
#define pool_unlock(l) do { ovs_mutex_unlock(l); } while (0)

struct pool {
  struct ovs_mutex lock;
  int free;
};

void pool_put(struct pool *p) {
  pool_lock(&p->lock);
  p->free++;
  pool_unlock(&p->lock);
}

/* initialized by a project function defined elsewhere, in a file that speaks of recursive
 * mutexes: it may be recursive, so no double-lock finding */
void app_lock_init(pthread_mutex_t *);
static pthread_mutex_t app_lock;

void app_setup(void) {
  app_lock_init(&app_lock);
}

void app_reenter(void) {
  pthread_mutex_lock(&app_lock);
  pthread_mutex_lock(&app_lock);
  pthread_mutex_unlock(&app_lock);
  pthread_mutex_unlock(&app_lock);
}
