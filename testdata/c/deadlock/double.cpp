// A std::mutex locked again while held: directly, through a guard, or through a method.
#include <map>
#include <mutex>
#include <string>

class Inventory {
 public:
  void Add(const std::string &sku, int n) {
    std::lock_guard<std::mutex> g(mu_);
    stock_[sku] += n;
    if (stock_[sku] > 1000)
      Trim(sku); // want "Trim locks this->mu_, which this thread already holds"
  }
  void Trim(const std::string &sku) {
    std::lock_guard<std::mutex> g(mu_);
    stock_[sku] = 1000;
  }
  int Count(const std::string &sku) {
    mu_.lock();
    std::lock_guard<std::mutex> g(mu_); // want "this->mu_ is locked again"
    mu_.unlock();
    return stock_[sku];
  }
  void Reset() {
    std::unique_lock<std::mutex> lk(mu_);
    stock_.clear();
    Log("reset"); // want "Log locks this->mu_"
  }
  void Log(const char *what) {
    mu_.lock();
    last_ = what;
    mu_.unlock();
  }
  void Merge(Inventory &other) {
    std::lock_guard<std::mutex> g(other.mu_);
    other.Add("merged", 1); // want "Add locks other.mu_"
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> stock_;
  std::string last_;
};

static std::mutex g_conf_mu;
static std::string g_conf;

static void SetConf(const std::string &s) {
  std::lock_guard<std::mutex> g(g_conf_mu);
  g_conf = s;
}

void Reload(const std::string &s) {
  std::lock_guard<std::mutex> g(g_conf_mu);
  if (s != g_conf)
    SetConf(s); // want "SetConf locks g_conf_mu"
}
