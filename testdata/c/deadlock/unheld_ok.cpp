// Look-alikes that must stay silent.
#include <mutex>

class Pool {
 public:
  void Release() { mu_.unlock(); } // the caller locked it
  void Cycle() {
    mu_.lock();
    n_++;
    mu_.unlock();
    mu_.lock();
    n_--;
    mu_.unlock();
  }
  void Guarded() {
    std::unique_lock<std::mutex> lk(mu_);
    n_++;
    lk.unlock();
    lk.lock();
    n_--;
  }
  void Early(bool done) {
    mu_.lock();
    if (done) {
      mu_.unlock();
      return;
    }
    n_++;
    mu_.unlock();
  }
  void Relock() {
    mu_.lock();
    while (n_ > 0) {
      mu_.unlock();
      mu_.lock();
      n_--;
    }
    mu_.unlock();
  }

 private:
  std::mutex mu_;
  int n_ = 0;
};
