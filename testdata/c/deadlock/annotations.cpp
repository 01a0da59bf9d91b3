// Clang thread-safety annotations are facts: a capability class's Lock()/Unlock(), REQUIRES on entry.
#include <map>
#include <string>

#define CAPABILITY(x) __attribute__((capability(x)))
#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))

class CAPABILITY("mutex") Mutex {
 public:
  void Lock() ACQUIRE();
  void Unlock() RELEASE();
};

class Store {
 public:
  int Get(const std::string &k) {
    mu_.Lock();
    auto it = m_.find(k);
    if (it == m_.end())
      return -1; // want "returns with this->mu_ still locked"
    int v = it->second;
    mu_.Unlock();
    return v;
  }
  void Put(const std::string &k, int v) {
    mu_.Lock();
    PutLocked(k, v);
    mu_.Unlock();
  }
  void PutLocked(const std::string &k, int v) REQUIRES(mu_) {
    m_[k] = v;
    mu_.Lock(); // want "this->mu_ is locked again"
    mu_.Unlock();
  }
  void Clear() REQUIRES(mu_) {
    m_.clear();
  }
  void Reset() {
    mu_.Lock();
    Clear();
    mu_.Unlock();
  }

 private:
  Mutex mu_;
  std::map<std::string, int> m_ GUARDED_BY(mu_);
};
