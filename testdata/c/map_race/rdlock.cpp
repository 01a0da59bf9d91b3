// Containers changed while holding a shared_mutex only for reading.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

class Registry {
 public:
  int Lookup(const std::string &name) {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = by_name_.find(name);
    if (it == by_name_.end()) {
      misses_.push_back(name); // want "misses_ is changed holding mu_ only for reading"
      return -1;
    }
    return it->second;
  }
  int LookupOrAdd(const std::string &name) {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return by_name_[name]; // want "by_name_ is changed holding mu_ only for reading"
  }
  void Forget(const std::string &name) {
    mu_.lock_shared();
    by_name_.erase(name); // want "by_name_ is changed holding mu_ only for reading"
    mu_.unlock_shared();
  }
  void Add(const std::string &name, int id) {
    std::unique_lock<std::shared_mutex> lock(mu_);
    by_name_[name] = id;
  }

 private:
  std::shared_mutex mu_;
  std::unordered_map<std::string, int> by_name_;
  std::vector<std::string> misses_;
};

static std::shared_mutex g_routes_mu;
static std::map<std::string, int> g_routes;
static std::string g_last;

int Route(const std::string &path) {
  std::shared_lock<std::shared_mutex> lock(g_routes_mu);
  g_last = path; // want "g_last is changed holding g_routes_mu only for reading"
  auto it = g_routes.find(path);
  if (it != g_routes.end())
    return it->second;
  g_routes.emplace(path, 0); // want "g_routes is changed holding g_routes_mu only for reading"
  return 0;
}

void AddRoute(const std::string &path, int h) {
  std::lock_guard<std::shared_mutex> lock(g_routes_mu);
  g_routes[path] = h;
}
