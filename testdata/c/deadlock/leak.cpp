// Explicit std::mutex lock()/unlock() with a return in between.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

class SessionCache {
 public:
  bool Put(const std::string &id, int user);
  int Get(const std::string &id);
  void Drop(const std::string &id);

 private:
  std::mutex mu_;
  std::map<std::string, int> sessions_;
};

bool SessionCache::Put(const std::string &id, int user) {
  mu_.lock();
  if (sessions_.size() > 10000)
    return false; // want "returns with this->mu_ still locked"
  sessions_[id] = user;
  mu_.unlock();
  return true;
}

int SessionCache::Get(const std::string &id) {
  mu_.lock();
  auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    return -1; // want "returns with this->mu_ still locked"
  }
  int user = it->second;
  mu_.unlock();
  return user;
}

void SessionCache::Drop(const std::string &id) {
  this->mu_.lock();
  if (id.empty())
    return; // want "returns with this->mu_ still locked"
  sessions_.erase(id);
  this->mu_.unlock();
}

static std::timed_mutex g_registry_mu;
static std::vector<int> g_registry;

int Register(int fd) {
  g_registry_mu.lock();
  for (int x : g_registry) {
    if (x == fd)
      return 0; // want "returns with g_registry_mu still locked"
  }
  g_registry.push_back(fd);
  g_registry_mu.unlock();
  return 1;
}

struct Table {
  std::shared_mutex rw;
  std::map<int, std::string> rows;
};

std::string Lookup(Table &t, int k) {
  t.rw.lock_shared();
  auto it = t.rows.find(k);
  if (it == t.rows.end())
    return ""; // want "returns with t.rw still locked"
  std::string v = it->second;
  t.rw.unlock_shared();
  return v;
}
