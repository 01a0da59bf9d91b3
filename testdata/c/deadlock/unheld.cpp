// std::mutex unlocked twice.
#include <mutex>
#include <string>

class Journal {
 public:
  void Append(const std::string &s) {
    mu_.lock();
    if (s.empty()) {
      mu_.unlock();
      dropped_++;
    }
    text_ += s;
    mu_.unlock(); // want "this->mu_ is unlocked again"
  }
  void Reset() {
    mu_.lock();
    text_.clear();
    mu_.unlock();
    mu_.unlock(); // want "this->mu_ is unlocked again"
  }
  void Truncate(size_t n) {
    mu_.lock();
    if (text_.size() > n)
      text_.resize(n);
    mu_.unlock();
    if (n == 0)
      mu_.unlock(); // want "this->mu_ is unlocked again"
  }

 private:
  std::mutex mu_;
  std::string text_;
  int dropped_ = 0;
};

static std::timed_mutex g_tm;
static int g_v;

void Bump() {
  g_tm.lock();
  g_v++;
  g_tm.unlock();
  g_v--;
  g_tm.unlock(); // want "g_tm is unlocked again"
}

void Spin(int k) {
  for (int i = 0; i < k; i++) {
    g_tm.lock();
    g_v += i;
    g_tm.unlock();
  }
  g_tm.unlock(); // want "g_tm is unlocked again"
}
