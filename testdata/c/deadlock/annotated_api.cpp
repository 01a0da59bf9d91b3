// A C-style lock API in C++ known by its annotations: the annotation names a pointer parameter
// (ACQUIRE(mu) on `Mutex *mu`), which means the mutex it points to; recursion per mutex.
#include <map>
#include <string>

#ifdef __clang__
#define CAPABILITY(x) __attribute__((capability(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#else
#define CAPABILITY(x)
#define ACQUIRE(...)
#define RELEASE(...)
#define REQUIRES(...)
#endif

struct CAPABILITY("mutex") Mutex {
  int impl;
};

void mutex_init(Mutex *mu);
void mutex_init_recursive(Mutex *mu);
void mutex_lock(Mutex *mu) ACQUIRE(mu);
void mutex_unlock(Mutex *mu) RELEASE(mu);

static Mutex g_cache_mu;
static Mutex g_tree_mu; // recursive
static std::map<std::string, int> g_cache;

void setup() {
  mutex_init(&g_cache_mu);
  mutex_init_recursive(&g_tree_mu);
}

int cache_get(const std::string &k) {
  mutex_lock(&g_cache_mu);
  auto it = g_cache.find(k);
  if (it == g_cache.end())
    return -1; // want "returns with g_cache_mu still locked"
  int v = it->second;
  mutex_unlock(&g_cache_mu);
  return v;
}

void cache_put(const std::string &k, int v) {
  mutex_lock(&g_cache_mu);
  g_cache[k] = v;
  mutex_lock(&g_cache_mu); // want "g_cache_mu is locked again while this thread already holds it"
  mutex_unlock(&g_cache_mu);
}

void cache_clear() {
  mutex_lock(&g_cache_mu);
  g_cache.clear();
  mutex_unlock(&g_cache_mu);
  mutex_unlock(&g_cache_mu); // want "g_cache_mu is unlocked again"
}

class Session {
 public:
  Session() { mutex_init(&mu_); }
  void Touch() {
    mutex_lock(&mu_);
    hits_++;
    mutex_unlock(&mu_);
  }
  void TouchTwice() {
    mutex_lock(&mu_);
    Touch(); // want "Touch locks this->mu_, which this thread already holds"
    mutex_unlock(&mu_);
  }

 private:
  Mutex mu_;
  int hits_ = 0;
};

// silent: the recursive mutex, a REQUIRES helper, balanced paths
static int g_depth;

void tree_walk(int n) {
  mutex_lock(&g_tree_mu);
  mutex_lock(&g_tree_mu);
  g_depth = n;
  mutex_unlock(&g_tree_mu);
  mutex_unlock(&g_tree_mu);
}

static int cache_size_locked() REQUIRES(g_cache_mu) {
  return (int)g_cache.size();
}

int cache_size() {
  mutex_lock(&g_cache_mu);
  int n = cache_size_locked();
  mutex_unlock(&g_cache_mu);
  return n;
}

int cache_get_or(const std::string &k, int dflt) {
  mutex_lock(&g_cache_mu);
  auto it = g_cache.find(k);
  if (it == g_cache.end()) {
    mutex_unlock(&g_cache_mu);
    return dflt;
  }
  int v = it->second;
  mutex_unlock(&g_cache_mu);
  return v;
}
