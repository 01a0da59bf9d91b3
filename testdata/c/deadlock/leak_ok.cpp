// Look-alikes that must stay silent: RAII guards, unlock before every return, a lock helper.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>

class Registry {
 public:
  int Find(int k) {
    std::lock_guard<std::mutex> g(mu_);
    auto it = m_.find(k);
    if (it == m_.end())
      return -1;
    return it->second;
  }
  bool Add(int k, int v) {
    std::unique_lock<std::mutex> lk(mu_);
    if (m_.count(k))
      return false;
    m_[k] = v;
    return true;
  }
  int Take(int k) {
    std::unique_lock<std::mutex> lk(mu_);
    auto it = m_.find(k);
    if (it == m_.end())
      return -1;
    int v = it->second;
    m_.erase(it);
    lk.unlock();
    return v;
  }
  void Clear() {
    std::scoped_lock g(mu_);
    if (m_.empty())
      return;
    m_.clear();
  }
  int Size() {
    mu_.lock();
    if (m_.empty()) {
      mu_.unlock();
      return 0;
    }
    int n = (int)m_.size();
    mu_.unlock();
    return n;
  }
  // returns holding mu_: the caller unlocks
  void LockAll() { mu_.lock(); }
  void UnlockAll() { mu_.unlock(); }

 private:
  std::mutex mu_;
  std::map<int, int> m_;
};

struct Config {
  std::shared_mutex rw;
  std::string value;
};

std::string Read(Config &c) {
  std::shared_lock<std::shared_mutex> lk(c.rw);
  if (c.value.empty())
    return "default";
  return c.value;
}

// Not a std::mutex: a user class with lock()/unlock() methods is not tracked.
struct FakeLock {
  void lock() {}
  void unlock() {}
};

int UsesFake(FakeLock &l, int x) {
  l.lock();
  if (x < 0)
    return -1;
  l.unlock();
  return 0;
}

class Stats {
 public:
  bool TryBump() {
    if (!mu_.try_lock())
      return false;
    n_++;
    mu_.unlock();
    return true;
  }
  void MaybeBump() {
    if (mu_.try_lock()) {
      n_++;
      mu_.unlock();
    }
  }

 private:
  std::mutex mu_;
  int n_ = 0;
};
