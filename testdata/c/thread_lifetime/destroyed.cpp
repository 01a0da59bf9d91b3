// destroyed.cpp - local std::threads that can reach their destructor while joinable.
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

struct Config {
  std::string addr;
  int port;
};

void poll_loop(Config *cfg);
bool open_listener(const Config &cfg);
void run_server();
void flush(int fd);
int compute(int n);

// An early return between the start and the join.
int serve(Config cfg) {
  std::thread poller(poll_loop, &cfg); // want "thread-destroyed-joinable: thread poller can be destroyed while joinable: the return on line 26"
  if (!open_listener(cfg)) {
    return -1;
  }
  run_server();
  poller.join();
  return 0;
}

// A throw before the join.
void load(const std::string &path) {
  std::thread flusher(flush, 3); // want "the throw on line 37 leaves its scope"
  if (path.empty()) {
    throw std::invalid_argument("empty path");
  }
  flusher.join();
}

// Never joined nor detached.
void fire(int n) {
  std::thread worker([n] { compute(n); }); // want "thread worker is never joined or detached before the end of its scope"
  std::puts("started");
}

// Joined on one branch only.
void maybe_wait(bool wait) {
  std::thread t(compute, 4); // want "thread t is not joined or detached on every path"
  if (wait)
    t.join();
}

// Declared in a loop body: `continue` skips the join.
void per_item(const std::vector<int> &items) {
  for (int item : items) {
    std::thread t(compute, item); // want "the continue on line 60 leaves its scope"
    if (item < 0) {
      continue;
    }
    t.join();
  }
}

// A method started from a member function pointer; return in the middle.
class Indexer {
public:
  bool rebuild(bool quick);

private:
  void scan(int depth);
};

bool Indexer::rebuild(bool quick) {
  std::thread t(&Indexer::scan, this, 2); // want "the return on line 78"
  if (quick) {
    return false;
  }
  t.join();
  return true;
}

// ---- silent look-alikes ----

// Joined on every path, including the early return.
int serve_ok(Config cfg) {
  std::thread poller(poll_loop, &cfg);
  if (!open_listener(cfg)) {
    poller.join();
    return -1;
  }
  run_server();
  poller.join();
  return 0;
}

// The start comes after the failing step.
int serve_late(Config cfg) {
  if (!open_listener(cfg))
    return -1;
  std::thread poller(poll_loop, &cfg);
  run_server();
  poller.join();
  return 0;
}

// Detached right away.
void background(int n) {
  std::thread t(compute, n);
  t.detach();
  if (n < 0)
    return;
  std::puts("started");
}

// joinable() guard, or join on one branch and detach on the other.
void guarded(bool wait) {
  std::thread a(compute, 1);
  std::thread b(compute, 2);
  if (a.joinable())
    a.join();
  if (wait)
    b.join();
  else
    b.detach();
}

// Moved out: returned, moved into a vector joined later, handed to an owner.
std::thread spawn(int n) {
  std::thread t(compute, n);
  return t;
}

void pool(int n) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; i++) {
    std::thread t(compute, i);
    threads.push_back(std::move(t));
  }
  threads.emplace_back(compute, n);
  for (auto &t : threads)
    t.join();
}

void adopt(std::function<void(std::thread)> owner) {
  std::thread t(compute, 7);
  owner(std::move(t));
}

// Joined from a scope guard lambda: not followed, stays quiet.
void scoped() {
  std::thread t(compute, 8);
  auto joiner = std::shared_ptr<void>(nullptr, [&](void *) { t.join(); });
  std::puts("working");
}

// The function never returns past the start.
[[noreturn]] void serve_forever(Config cfg) {
  std::thread poller(poll_loop, &cfg);
  for (;;)
    run_server();
}

// A break that leaves an inner loop only.
void inner_break(const std::vector<int> &items) {
  std::thread t(compute, 9);
  for (int item : items) {
    if (item == 0)
      break;
    compute(item);
  }
  t.join();
}

// Started by an assignment after the declaration: the early return skips the join.
bool restart(bool fast) {
  std::thread t;
  t = std::thread(compute, 5); // want "thread t can be destroyed while joinable: the return on line 181"
  if (fast) {
    return false;
  }
  t.join();
  return true;
}

// Assigned, then joined behind a joinable() check: silent.
void assigned_ok() {
  std::thread t;
  t = std::thread(compute, 6);
  if (t.joinable())
    t.join();
}

// A test assertion macro that returns on failure: the thread is destroyed joinable (no fix).
#define CHECK_OR_RETURN(cond) \
  if (cond)                   \
    ;                         \
  else                        \
    return
void checked_test() {
  std::thread t(compute, 10); // want "the return in the macro on line 203"
  CHECK_OR_RETURN(compute(0) == 0);
  t.join();
}

// Joined or detached in every case of a switch: the cases are not followed, so it stays quiet.
void by_mode(int mode) {
  std::thread t(compute, 11);
  switch (mode) {
  case 0:
    t.join();
    break;
  default:
    t.detach();
    break;
  }
}
