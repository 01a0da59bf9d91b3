/* A project's own lock API known only by its Clang thread-safety annotations (openvswitch's
 * ovs_mutex_lock/ovs_mutex_unlock, OVS_ACQUIRES(mutex) on a `const struct ovs_mutex *mutex`): the
 * annotation names the mutex the parameter points to. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "include/ovs-thread.h"

struct bridge {
  struct ovs_mutex mutex;
  struct ovs_rwlock ports_lock;
  int n_ports;
  int *ports;
};

static struct ovs_mutex flows_mutex = OVS_MUTEX_INITIALIZER;
static int n_flows OVS_GUARDED_BY(flows_mutex);

#define bridge_lock(b) do { ovs_mutex_lock(&(b)->mutex); } while (0)
#define bridge_unlock(b) do { ovs_mutex_unlock(&(b)->mutex); } while (0)

int flow_add(int limit) {
  ovs_mutex_lock(&flows_mutex);
  if (n_flows >= limit)
    return -ENOSPC; // want "returns with flows_mutex still locked"
  n_flows++;
  ovs_mutex_unlock(&flows_mutex);
  return 0;
}

int bridge_add_port(struct bridge *br, int port) {
  ovs_mutex_lock(&br->mutex);
  int *p = realloc(br->ports, (size_t)(br->n_ports + 1) * sizeof *p);
  if (!p)
    return -ENOMEM; // want "returns with br->mutex still locked"
  br->ports = p;
  br->ports[br->n_ports++] = port;
  ovs_mutex_unlock(&br->mutex);
  return 0;
}

int bridge_port_count(struct bridge *br) {
  int n;
  bridge_lock(br);
  n = br->n_ports;
  if (n < 0)
    return -EINVAL; // want "returns with br->mutex still locked"
  bridge_unlock(br);
  return n;
}

static int flow_count__(void) OVS_REQUIRES(flows_mutex) {
  return n_flows;
}

int flow_count(void) OVS_EXCLUDED(flows_mutex) {
  int n;
  ovs_mutex_lock(&flows_mutex);
  ovs_mutex_lock(&flows_mutex); // want "flows_mutex is locked again while this thread already holds it"
  n = flow_count__();
  ovs_mutex_unlock(&flows_mutex);
  return n;
}

static void bridge_reset(struct bridge *br) {
  ovs_mutex_lock(&br->mutex);
  br->n_ports = 0;
  ovs_mutex_unlock(&br->mutex);
}

void bridge_clear(struct bridge *br) {
  ovs_mutex_lock(&br->mutex);
  bridge_reset(br); // want "bridge_reset locks br->mutex, which this thread already holds"
  ovs_mutex_unlock(&br->mutex);
}

void bridge_wrlock_twice(struct bridge *br) {
  ovs_rwlock_wrlock(&br->ports_lock);
  br->n_ports = 0;
  ovs_rwlock_wrlock(&br->ports_lock); // want "br->ports_lock is locked again while this thread already holds it"
  ovs_rwlock_unlock(&br->ports_lock);
}

void flow_flush(void) {
  ovs_mutex_lock(&flows_mutex);
  n_flows = 0;
  ovs_mutex_unlock(&flows_mutex);
  ovs_mutex_unlock(&flows_mutex); // want "flows_mutex is unlocked again"
}

void bridge_set_ports(struct bridge *br, int n) {
  bridge_lock(br);
  br->n_ports = n;
  bridge_unlock(br);
  bridge_unlock(br); // want "br->mutex is unlocked again"
}
