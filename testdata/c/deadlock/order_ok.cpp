// Look-alikes that must stay silent.
#include <mutex>

static std::mutex m1, m2, m3;
static int v;

void One() {
  std::lock_guard<std::mutex> a(m1);
  std::lock_guard<std::mutex> b(m2);
  v++;
}

void Two() {
  std::scoped_lock both(m2, m1); // std::lock's deadlock avoidance
  v--;
}

void Three() {
  {
    std::lock_guard<std::mutex> b(m2);
    v = 0;
  }
  std::lock_guard<std::mutex> a(m1);
  v = 1;
}

void Four() {
  std::unique_lock<std::mutex> b(m2);
  b.unlock();
  std::lock_guard<std::mutex> a(m1);
}

void Five() {
  std::lock_guard<std::mutex> a(m1);
  std::lock_guard<std::mutex> c(m3);
}

void Six() {
  std::lock_guard<std::mutex> b(m2);
  std::lock_guard<std::mutex> c(m3);
}
