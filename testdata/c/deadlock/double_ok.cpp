// Look-alikes that must stay silent.
#include <map>
#include <mutex>
#include <string>

class Tree {
 public:
  void Insert(int k) {
    std::lock_guard<std::recursive_mutex> g(mu_);
    keys_[k]++;
    if (keys_.size() > 100)
      Rebalance();
  }
  void Rebalance() {
    std::lock_guard<std::recursive_mutex> g(mu_);
    keys_.erase(keys_.begin());
  }

 private:
  std::recursive_mutex mu_;
  std::map<int, int> keys_;
};

class Counter {
 public:
  void Inc() {
    std::lock_guard<std::mutex> g(mu_);
    IncLocked();
  }
  void IncTwice() {
    {
      std::lock_guard<std::mutex> g(mu_);
      n_++;
    }
    Inc();
  }
  void Swap(Counter &o) {
    std::scoped_lock g(mu_, o.mu_);
    std::swap(n_, o.n_);
  }
  int Get() {
    std::unique_lock<std::mutex> lk(mu_, std::defer_lock);
    lk.lock();
    int v = n_;
    lk.unlock();
    Inc();
    return v;
  }
  bool TryInc() {
    std::unique_lock<std::mutex> lk(mu_, std::try_to_lock);
    if (!lk.owns_lock())
      return false;
    n_++;
    return true;
  }

 private:
  void IncLocked() { n_++; }
  std::mutex mu_;
  int n_ = 0;
};
