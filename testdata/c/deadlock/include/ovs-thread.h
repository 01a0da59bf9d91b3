/* Declaration-only stub of openvswitch's lock API (lib/ovs-thread.h, include/openvswitch/thread.h,
 * include/openvswitch/compiler.h): lock functions annotated with Clang's thread-safety attributes,
 * called through macros that add the caller's source location. */
#ifndef OVS_THREAD_STUB_H
#define OVS_THREAD_STUB_H
#include <pthread.h>
#include <stdbool.h>

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if __has_feature(c_thread_safety_attributes)
#define OVS_LOCKABLE __attribute__((lockable))
#define OVS_REQ_RDLOCK(...) __attribute__((shared_locks_required(__VA_ARGS__)))
#define OVS_ACQ_RDLOCK(...) __attribute__((shared_lock_function(__VA_ARGS__)))
#define OVS_REQ_WRLOCK(...) __attribute__((exclusive_locks_required(__VA_ARGS__)))
#define OVS_ACQ_WRLOCK(...) __attribute__((exclusive_lock_function(__VA_ARGS__)))
#define OVS_REQUIRES(...) __attribute__((exclusive_locks_required(__VA_ARGS__)))
#define OVS_ACQUIRES(...) __attribute__((exclusive_lock_function(__VA_ARGS__)))
#define OVS_TRY_LOCK(RETVAL, ...) __attribute__((exclusive_trylock_function(RETVAL, __VA_ARGS__)))
#define OVS_GUARDED_BY(...) __attribute__((guarded_by(__VA_ARGS__)))
#define OVS_RELEASES(...) __attribute__((unlock_function(__VA_ARGS__)))
#define OVS_EXCLUDED(...) __attribute__((locks_excluded(__VA_ARGS__)))
#define OVS_NO_THREAD_SAFETY_ANALYSIS __attribute__((no_thread_safety_analysis))
#else
#define OVS_LOCKABLE
#define OVS_REQ_RDLOCK(...)
#define OVS_ACQ_RDLOCK(...)
#define OVS_REQ_WRLOCK(...)
#define OVS_ACQ_WRLOCK(...)
#define OVS_REQUIRES(...)
#define OVS_ACQUIRES(...)
#define OVS_TRY_LOCK(...)
#define OVS_GUARDED_BY(...)
#define OVS_RELEASES(...)
#define OVS_EXCLUDED(...)
#define OVS_NO_THREAD_SAFETY_ANALYSIS
#endif

#define OVS_SOURCE_LOCATOR __FILE__ ":" "0"

struct OVS_LOCKABLE ovs_mutex {
  pthread_mutex_t lock;
  const char *where;
};

struct OVS_LOCKABLE ovs_rwlock {
  pthread_rwlock_t lock;
  const char *where;
};

#define OVS_MUTEX_INITIALIZER {PTHREAD_MUTEX_INITIALIZER, "<unlocked>"}

void ovs_mutex_init(const struct ovs_mutex *);
void ovs_mutex_init_recursive(const struct ovs_mutex *);
void ovs_mutex_init_adaptive(const struct ovs_mutex *);
void ovs_mutex_destroy(const struct ovs_mutex *);
void ovs_mutex_unlock(const struct ovs_mutex *mutex) OVS_RELEASES(mutex);
void ovs_mutex_lock_at(const struct ovs_mutex *mutex, const char *where) OVS_ACQUIRES(mutex);
#define ovs_mutex_lock(mutex) ovs_mutex_lock_at(mutex, OVS_SOURCE_LOCATOR)
int ovs_mutex_trylock_at(const struct ovs_mutex *mutex, const char *where) OVS_TRY_LOCK(0, mutex);
#define ovs_mutex_trylock(mutex) ovs_mutex_trylock_at(mutex, OVS_SOURCE_LOCATOR)
void ovs_mutex_cond_wait(pthread_cond_t *, const struct ovs_mutex *mutex) OVS_REQUIRES(mutex);

void ovs_rwlock_init(const struct ovs_rwlock *);
void ovs_rwlock_destroy(const struct ovs_rwlock *);
void ovs_rwlock_unlock(const struct ovs_rwlock *rwlock) OVS_RELEASES(rwlock);
void ovs_rwlock_wrlock_at(const struct ovs_rwlock *rwlock, const char *where) OVS_ACQ_WRLOCK(rwlock);
#define ovs_rwlock_wrlock(rwlock) ovs_rwlock_wrlock_at(rwlock, OVS_SOURCE_LOCATOR)
void ovs_rwlock_rdlock_at(const struct ovs_rwlock *rwlock, const char *where) OVS_ACQ_RDLOCK(rwlock);
#define ovs_rwlock_rdlock(rwlock) ovs_rwlock_rdlock_at(rwlock, OVS_SOURCE_LOCATOR)

#endif
