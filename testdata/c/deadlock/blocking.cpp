// Blocking while holding a std::mutex.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

class Workers {
 public:
  void Stop() {
    std::lock_guard<std::mutex> g(mu_);
    stop_ = true;
    for (auto &t : threads_)
      t.join(); // want "join blocks while this->mu_ is held"
  }
  void Backoff() {
    std::unique_lock<std::mutex> lk(mu_);
    if (fails_ > 3)
      std::this_thread::sleep_for(std::chrono::milliseconds(100)); // want "sleep_for blocks while this->mu_ is held"
  }
  void Drain() {
    mu_.lock();
    if (!threads_.empty())
      threads_.back().join(); // want "join blocks while this->mu_ is held"
    mu_.unlock();
  }
  void Pause() {
    std::scoped_lock g(mu_);
    std::this_thread::sleep_until(std::chrono::steady_clock::now() + std::chrono::seconds(1)); // want "sleep_until blocks"
  }
  void Restart(std::thread &t) {
    std::lock_guard<std::mutex> g(mu_);
    if (t.joinable())
      t.join(); // want "join blocks while this->mu_ is held"
  }

 private:
  std::mutex mu_;
  std::vector<std::thread> threads_;
  bool stop_ = false;
  int fails_ = 0;
};

class Pipeline {
 public:
  int Next() {
    std::lock_guard<std::mutex> stats(stats_mu_);
    std::unique_lock<std::mutex> lk(queue_mu_);
    cv_.wait(lk, [this] { return ready_; }); // want "wait blocks while this->stats_mu_ is held"
    return 1;
  }
  int Peek() {
    std::unique_lock<std::mutex> lk(queue_mu_);
    cv_.wait(lk, [this] { return ready_; });
    return 0;
  }

 private:
  std::mutex stats_mu_, queue_mu_;
  std::condition_variable cv_;
  bool ready_ = false;
};
