// Look-alikes that must stay silent.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

class Workers {
 public:
  void Stop() {
    {
      std::lock_guard<std::mutex> g(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto &t : threads_)
      t.join();
  }
  void Wait() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return stop_; });
  }
  void Backoff() {
    std::unique_lock<std::mutex> lk(mu_);
    int f = fails_;
    lk.unlock();
    if (f > 3)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  void Nap() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }
  void Drain() {
    mu_.lock();
    std::vector<std::thread> ts;
    ts.swap(threads_);
    mu_.unlock();
    for (auto &t : ts)
      t.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::thread> threads_;
  bool stop_ = false;
  int fails_ = 0;
};
