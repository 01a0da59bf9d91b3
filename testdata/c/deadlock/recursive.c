/* Recursion is judged per mutex, from how the unit initializes it: a unit with a recursive mutex
 * may still deadlock on its plain ones. */
#include <pthread.h>
#include <threads.h>

#include "include/ovs-thread.h"

static pthread_mutex_t tree_lock;  /* recursive */
static pthread_mutex_t queue_lock; /* plain */
static int depth, queued;

void locks_init(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&tree_lock, &attr);
  pthread_mutexattr_destroy(&attr);
  pthread_mutex_init(&queue_lock, NULL);
}

void tree_walk(void) {
  pthread_mutex_lock(&tree_lock);
  pthread_mutex_lock(&tree_lock);
  depth++;
  pthread_mutex_unlock(&tree_lock);
  pthread_mutex_unlock(&tree_lock);
}

void queue_push(void) {
  pthread_mutex_lock(&queue_lock);
  queued++;
  pthread_mutex_lock(&queue_lock); // want "queue_lock is locked again while this thread already holds it"
  pthread_mutex_unlock(&queue_lock);
}

/* openvswitch: ovs_mutex_init_recursive vs ovs_mutex_init */
static struct ovs_mutex stp_mutex, lacp_mutex;
static int stp_ports, lacp_ports;

void protocols_init(void) {
  ovs_mutex_init_recursive(&stp_mutex);
  ovs_mutex_init(&lacp_mutex);
}

void stp_port_add(void) {
  ovs_mutex_lock(&stp_mutex);
  ovs_mutex_lock(&stp_mutex);
  stp_ports++;
  ovs_mutex_unlock(&stp_mutex);
  ovs_mutex_unlock(&stp_mutex);
}

void lacp_port_add(void) {
  ovs_mutex_lock(&lacp_mutex);
  lacp_ports++;
  ovs_mutex_lock(&lacp_mutex); // want "lacp_mutex is locked again while this thread already holds it"
  ovs_mutex_unlock(&lacp_mutex);
}

/* C11: mtx_recursive in mtx_init's type */
static mtx_t cache_mtx, stats_mtx;
static int cached, hits;

void c11_init(void) {
  mtx_init(&cache_mtx, mtx_plain | mtx_recursive);
  mtx_init(&stats_mtx, mtx_plain);
}

void cache_fill(void) {
  mtx_lock(&cache_mtx);
  mtx_lock(&cache_mtx);
  cached++;
  mtx_unlock(&cache_mtx);
  mtx_unlock(&cache_mtx);
}

void stats_hit(void) {
  mtx_lock(&stats_mtx);
  hits++;
  mtx_lock(&stats_mtx); // want "stats_mtx is locked again while this thread already holds it"
  mtx_unlock(&stats_mtx);
}
