// Shared mutexes used correctly: reads under shared locks, changes under exclusive ones.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

class Registry {
 public:
  int Lookup(const std::string &name) {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = by_name_.find(name);
    return it == by_name_.end() ? -1 : it->second;
  }
  void Add(const std::string &name, int id) {
    std::unique_lock<std::shared_mutex> lock(mu_);
    by_name_[name] = id;
  }
  void Forget(const std::string &name) {
    std::lock_guard<std::shared_mutex> lock(mu_);
    by_name_.erase(name);
  }
  void Clear() {
    mu_.lock();
    by_name_.clear();
    mu_.unlock();
  }
  // Changes to a local result under the shared lock.
  std::vector<std::string> Names() {
    std::shared_lock<std::shared_mutex> lock(mu_);
    std::vector<std::string> out;
    for (auto &kv : by_name_)
      out.push_back(kv.first);
    return out;
  }
  // Upgrade by re-locking exclusively.
  int GetOrAdd(const std::string &name) {
    {
      std::shared_lock<std::shared_mutex> lock(mu_);
      auto it = by_name_.find(name);
      if (it != by_name_.end())
        return it->second;
    }
    std::unique_lock<std::shared_mutex> lock(mu_);
    return by_name_[name];
  }
  // A separate exclusive mutex for the stats container.
  void CountMiss(const std::string &name) {
    std::shared_lock<std::shared_mutex> lock(mu_);
    if (by_name_.count(name) == 0) {
      std::lock_guard<std::mutex> slock(stats_mu_);
      misses_.push_back(name);
    }
  }

 private:
  std::shared_mutex mu_;
  std::map<std::string, int> by_name_;
  std::mutex stats_mu_;
  std::vector<std::string> misses_;
};
