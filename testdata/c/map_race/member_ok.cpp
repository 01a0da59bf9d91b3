// Member containers that are consistently guarded, or not meant to be: all silent.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))

// Every access holds the mutex.
class Cache {
 public:
  void Put(const std::string &k, int v) {
    std::lock_guard<std::mutex> lock(mu_);
    items_[k] = v;
  }
  void Drop(const std::string &k) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.erase(k);
  }
  void Clear() {
    mu_.lock();
    items_.clear();
    mu_.unlock();
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> items_;
};

// Constructors and destructors run before and after any sharing.
class Pool {
 public:
  Pool() {
    free_.reserve(64);
    free_.push_back(0);
  }
  ~Pool() { free_.clear(); }
  void Release(int id) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(id);
  }
  int Acquire() {
    std::lock_guard<std::mutex> lock(mu_);
    int id = free_.back();
    free_.pop_back();
    return id;
  }

 private:
  std::mutex mu_;
  std::vector<int> free_;
};

// Helpers that expect the caller to hold the mutex: by name, by annotation, or by every caller.
class Index {
 public:
  void Add(const std::string &k, int v) {
    std::lock_guard<std::mutex> lock(mu_);
    AddLocked(k, v);
    Evict();
  }
  void Remove(const std::string &k) {
    std::lock_guard<std::mutex> lock(mu_);
    by_name_.erase(k);
    Compact();
  }
  int Get(const std::string &k) {
    std::lock_guard<std::mutex> lock(mu_);
    return by_name_.count(k) ? by_name_[k] : -1;
  }

 private:
  void AddLocked(const std::string &k, int v) { by_name_[k] = v; }
  void Evict() {
    if (by_name_.size() > 100)
      by_name_.erase(by_name_.begin());
  }
  void Compact() REQUIRES(mu_) { by_name_.rehash(0); }
  std::mutex mu_;
  std::unordered_map<std::string, int> by_name_;
};

// A container only ever touched without a lock: no evidence it is shared (single-threaded use).
class Parser {
 public:
  void Feed(const std::string &tok) { tokens_.push_back(tok); }
  void Reset() { tokens_.clear(); }
  void Note(const std::string &s) {
    std::lock_guard<std::mutex> lock(mu_);
    last_ = s;
  }

 private:
  std::mutex mu_;
  std::string last_;
  std::vector<std::string> tokens_;
};

// Swap out under the lock, then work on the local copy.
class Outbox {
 public:
  void Send(const std::string &m) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back(m);
  }
  size_t Size() {
    std::lock_guard<std::mutex> lock(mu_);
    return pending_.size();
  }
  void Drain() {
    std::vector<std::string> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(pending_);
    }
    batch.clear();
  }

 private:
  std::mutex mu_;
  std::vector<std::string> pending_;
};

// Atomics need no mutex; a guarded container next to them is always locked.
class Stats {
 public:
  void Hit(const std::string &k) {
    hits_++;
    std::lock_guard<std::mutex> lock(mu_);
    per_key_[k]++;
  }
  void Reset() {
    hits_ = 0;
    std::lock_guard<std::mutex> lock(mu_);
    per_key_.clear();
  }

 private:
  std::atomic<long> hits_{0};
  std::mutex mu_;
  std::map<std::string, long> per_key_ GUARDED_BY(mu_);
};

// Unguarded size()/empty() hints, and unguarded reads of a container only read under the lock.
class Queue {
 public:
  void Push(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(v);
  }
  int Pop() {
    std::lock_guard<std::mutex> lock(mu_);
    int v = items_.back();
    items_.pop_back();
    return v;
  }
  bool Idle() { return items_.empty(); }
  size_t Backlog() { return items_.size(); }

 private:
  std::mutex mu_;
  std::vector<int> items_;
};

class Table {
 public:
  explicit Table(std::map<int, int> rows) : rows_(rows) {}
  int Get(int k) {
    std::lock_guard<std::mutex> lock(mu_);
    return rows_.at(k);
  }
  int Find(int k) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find(k);
    return it == rows_.end() ? -1 : it->second;
  }
  bool Has(int k) { return rows_.count(k) != 0; }

 private:
  std::mutex mu_;
  std::map<int, int> rows_;
};

// A helper only the constructor calls fills the container before the object is shared.
class Dictionary {
 public:
  Dictionary() { LoadDefaults(); }
  void Add(const std::string &w) {
    std::lock_guard<std::mutex> lock(mu_);
    words_.insert(w);
  }
  bool Has(const std::string &w) {
    std::lock_guard<std::mutex> lock(mu_);
    return words_.count(w) != 0;
  }

 private:
  void LoadDefaults() {
    words_.insert("a");
    words_.insert("the");
  }
  std::mutex mu_;
  std::set<std::string> words_;
};
