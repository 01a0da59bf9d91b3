// Opposite lock orders between methods (members named by their class).
#include <mutex>
#include <vector>

class Server {
 public:
  void AddConn(int fd) {
    std::lock_guard<std::mutex> g(conns_mu_);
    std::lock_guard<std::mutex> s(stats_mu_);
    conns_.push_back(fd);
    nconns_++;
  }
  void Report() {
    std::lock_guard<std::mutex> s(stats_mu_);
    std::lock_guard<std::mutex> g(conns_mu_); // want "Server::conns_mu_ is locked while holding Server::stats_mu_"
    nconns_ = (int)conns_.size();
  }
  void Flush() {
    cache_mu_.lock();
    FlushQueue();
    cache_mu_.unlock();
  }
  void FlushQueue() {
    std::lock_guard<std::mutex> q(queue_mu_);
    queue_.clear();
  }
  void Enqueue(int v) {
    std::lock_guard<std::mutex> q(queue_mu_);
    queue_.push_back(v);
    std::lock_guard<std::mutex> c(cache_mu_); // want "Server::cache_mu_ is locked while holding Server::queue_mu_"
    cache_.push_back(v);
  }

 private:
  std::mutex conns_mu_, stats_mu_, cache_mu_, queue_mu_;
  std::vector<int> conns_, queue_, cache_;
  int nconns_ = 0;
};

static std::mutex g_a, g_b, g_c, g_d, g_e, g_f;

void PathOne() {
  std::unique_lock<std::mutex> a(g_a);
  std::unique_lock<std::mutex> b(g_b);
}

void PathTwo() {
  std::unique_lock<std::mutex> b(g_b);
  std::unique_lock<std::mutex> a(g_a); // want "g_a is locked while holding g_b"
}

void PathThree() {
  g_c.lock();
  g_d.lock();
  g_d.unlock();
  g_c.unlock();
}

void PathFour() {
  std::lock_guard<std::mutex> d(g_d);
  g_c.lock(); // want "g_c is locked while holding g_d"
  g_c.unlock();
}

void PathFive() {
  std::lock_guard<std::mutex> e(g_e);
  { std::lock_guard<std::mutex> f(g_f); }
}

void PathSix() {
  std::lock_guard<std::mutex> f(g_f);
  std::lock_guard<std::mutex> e(g_e); // want "g_e is locked while holding g_f"
}
