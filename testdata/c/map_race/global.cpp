// Global containers changed on a thread without the mutex their other accesses hold.
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <pthread.h>
#include <set>
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

bool HasSession(int id) {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_sessions.count(id) != 0;
}

static void Reap() {
  g_sessions.erase(0); // want "g_sessions is changed on a thread without g_mu"
}

static void *Reaper(void *) {
  for (int i = 0; i < 10; i++)
    Reap();
  return nullptr;
}

static std::mutex q_mu;
static std::deque<int> q_jobs;

void Submit(int job) {
  std::lock_guard<std::mutex> lock(q_mu);
  q_jobs.push_back(job);
}

int Take() {
  std::lock_guard<std::mutex> lock(q_mu);
  int j = q_jobs.front();
  q_jobs.pop_front();
  return j;
}

static void Worker() {
  q_jobs.push_back(-1); // want "q_jobs is changed on a thread without q_mu"
}

static std::mutex seen_mu;
static std::unordered_map<std::string, int> seen;

void Remember(const std::string &k) {
  std::lock_guard<std::mutex> lock(seen_mu);
  seen[k]++;
}

size_t Seen() {
  std::lock_guard<std::mutex> lock(seen_mu);
  return seen.size();
}

static std::mutex log_mu;
static std::vector<std::string> log_lines;
static std::set<int> fds;

void LogLine(const std::string &s) {
  log_mu.lock();
  log_lines.push_back(s);
  fds.insert(1);
  log_mu.unlock();
}

void DumpLog() {
  std::lock_guard<std::mutex> lock(log_mu);
  log_lines.clear();
  fds.clear();
}

static std::list<int> done;

void MarkDone(int id) {
  std::unique_lock<std::mutex> lock(log_mu);
  done.push_back(id);
}

size_t DoneCount() {
  std::lock_guard<std::mutex> lock(log_mu);
  return done.size();
}

int main() {
  pthread_t t;
  pthread_create(&t, nullptr, Reaper, nullptr);
  std::thread w(Worker);
  std::thread c([] {
    seen["x"] = 1; // want "seen is changed on a thread without seen_mu"
    log_lines.emplace_back("started"); // want "log_lines is changed on a thread without log_mu"
  });
  std::thread d([] {
    if (fds.size() > 10)
      fds.erase(fds.begin()); // want "fds is changed on a thread without log_mu"
    done.remove(3); // want "done is changed on a thread without log_mu"
  });
  w.join();
  c.join();
  d.join();
  pthread_join(t, nullptr);
}
