// Member containers changed without the class's mutex that its other methods hold.
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

class SessionTable {
 public:
  void Add(int id, const std::string &user) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[id] = user;
  }
  bool Has(int id) {
    std::lock_guard<std::mutex> lock(mu_);
    return sessions_.count(id) != 0;
  }
  void Expire(int id) {
    sessions_.erase(id); // want "sessions_ is changed in Expire without SessionTable::mu_"
  }

 private:
  std::mutex mu_;
  std::map<int, std::string> sessions_;
};

class Router {
 public:
  void Register(const std::string &path, int handler) {
    mu_.lock();
    routes_.emplace(path, handler);
    mu_.unlock();
  }
  int Lookup(const std::string &path) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = routes_.find(path);
    return it == routes_.end() ? -1 : it->second;
  }
  void Override(const std::string &path, int handler) {
    routes_[path] = handler; // want "routes_ is changed in Override without Router::mu_"
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, int> routes_;
};

class JobQueue {
 public:
  void Push(int job) {
    std::unique_lock<std::mutex> lock(mu_);
    jobs_.push_back(job);
  }
  bool Pop(int *job) {
    std::lock_guard<std::mutex> lock(mu_);
    if (jobs_.empty())
      return false;
    *job = jobs_.front();
    jobs_.pop_front();
    return true;
  }
  void PushUrgent(int job) {
    jobs_.push_front(job); // want "jobs_ is changed in PushUrgent without JobQueue::mu_"
  }

 private:
  std::mutex mu_;
  std::deque<int> jobs_;
};

class Subscribers {
 public:
  void Subscribe(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    fds_.insert(fd);
  }
  size_t Count() {
    std::lock_guard<std::mutex> lock(mu_);
    return fds_.size();
  }
  void Reset() {
    if (!fds_.empty())
      fds_.clear(); // want "fds_ is changed in Reset without Subscribers::mu_"
  }

 private:
  std::mutex mu_;
  std::set<int> fds_;
};

class Metrics {
 public:
  void Record(double v) {
    std::lock_guard<std::mutex> lock(mu_);
    samples_.push_back(v);
  }
  double Last() {
    std::lock_guard<std::mutex> lock(mu_);
    return samples_.empty() ? 0 : samples_.back();
  }
  void Flush() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      total_ += samples_.size();
    }
    samples_.clear(); // want "samples_ is changed in Flush without Metrics::mu_"
  }

 private:
  std::mutex mu_;
  std::vector<double> samples_;
  size_t total_ = 0;
};

class Log {
 public:
  void Append(const std::string &line) {
    std::lock_guard<std::mutex> lock(mu_);
    buf_ += line;
  }
  std::string Take() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out = buf_;
    buf_.clear();
    return out;
  }
  void Truncate() {
    buf_.clear(); // want "buf_ is changed in Truncate without Log::mu_"
  }

 private:
  std::mutex mu_;
  std::string buf_;
};

// Reads without the mutex while other methods change the container holding it.
class Blocklist {
 public:
  void Block(const std::string &ip) {
    std::lock_guard<std::mutex> lock(mu_);
    ips_.insert(ip);
  }
  void Unblock(const std::string &ip) {
    std::lock_guard<std::mutex> lock(mu_);
    ips_.erase(ip);
  }
  bool Blocked(const std::string &ip) {
    return ips_.count(ip) != 0; // want "ips_ is read in Blocked without Blocklist::mu_, while other methods change it"
  }

 private:
  std::mutex mu_;
  std::set<std::string> ips_;
};

class Config {
 public:
  void Set(const std::string &k, const std::string &v) {
    std::lock_guard<std::mutex> lock(mu_);
    values_[k] = v;
  }
  void Erase(const std::string &k) {
    std::lock_guard<std::mutex> lock(mu_);
    values_.erase(k);
  }
  std::string Get(const std::string &k) {
    auto it = values_.find(k); // want "values_ is read in Get without Config::mu_"
    return it == values_.end() ? "" : it->second;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> values_;
};

// The statement itself names a `lock`: the fix's guard takes another name.
class Leases {
 public:
  void Grant(int lock) {
    std::lock_guard<std::mutex> g(mu_);
    held_.insert(lock);
  }
  bool Has(int id) {
    std::lock_guard<std::mutex> g(mu_);
    return held_.count(id) != 0;
  }
  void Revoke(int lock) {
    held_.erase(lock); // want "held_ is changed in Revoke without Leases::mu_"
  }

 private:
  std::mutex mu_;
  std::set<int> held_;
};
