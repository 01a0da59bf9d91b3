// Global containers shared with threads that are guarded, set up before the threads start, atomic,
// thread-local or constant: all silent.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

static std::mutex g_mu;
static std::map<int, std::string> g_sessions;

void AddSession(int id, const std::string &user) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_sessions[id] = user;
}

size_t Sessions() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_sessions.size();
}

static void EraseLocked(int id) { g_sessions.erase(id); }

static void DropAll() {
  g_mu.lock();
  g_sessions.clear();
  g_mu.unlock();
}

static void Reaper() {
  std::unique_lock<std::mutex> lock(g_mu);
  g_sessions.erase(1);
  EraseLocked(2);
  lock.unlock();
  DropAll();
}

// Filled before the threads start, only read after.
static std::mutex routes_mu;
static std::unordered_map<std::string, int> routes;

int Route(const std::string &p) {
  std::lock_guard<std::mutex> lock(routes_mu);
  auto it = routes.find(p);
  return it == routes.end() ? -1 : it->second;
}

bool HasRoute(const std::string &p) {
  std::lock_guard<std::mutex> lock(routes_mu);
  return routes.count(p) != 0;
}

// Thread-local and constant containers.
static thread_local std::vector<int> scratch;
static const std::map<int, int> limits = {{1, 2}};
static std::mutex scratch_mu;

void Note(int v) {
  std::lock_guard<std::mutex> lock(scratch_mu);
  scratch.push_back(v);
}

void Note2(int v) {
  std::lock_guard<std::mutex> lock(scratch_mu);
  scratch.push_back(v + limits.at(1));
}

static std::atomic<int> hits{0};

static void Serve() {
  scratch.clear();
  hits++;
  Route("/");
}

int main() {
  routes["/"] = 1;
  routes.emplace("/health", 2);
  std::thread a(Reaper);
  std::thread b(Serve);
  std::thread c([] {
    std::lock_guard<std::mutex> lock(g_mu);
    g_sessions[7] = "seven";
  });
  a.join();
  b.join();
  c.join();
}
