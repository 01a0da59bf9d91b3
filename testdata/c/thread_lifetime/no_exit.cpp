// no_exit.cpp - std::thread and std::async routines that never end while someone waits for them.
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

void pump_once();
void handle(int fd);
int compute(int n);

// A lambda joined by the caller.
void run_pump() {
  std::thread t([] {
    while (true) // want "thread-no-exit: this thread routine loops forever with no way out, but its thread is waited for on line 21"
      pump_once();
  });
  pump_once();
  t.join();
}

// A member routine joined in the destructor.
class Scheduler {
public:
  Scheduler() : t_(&Scheduler::loop, this) {}
  ~Scheduler() { t_.join(); }

private:
  void loop() {
    for (;;) { // want "waited for on line 28"
      std::this_thread::sleep_for(std::chrono::seconds(1));
      pump_once();
    }
  }
  std::thread t_;
};

// std::async: the future waits when destroyed.
static int crunch(int n) {
  for (;;) // want "waited for on line 47"
    n = compute(n);
}

int run_crunch() {
  auto f = std::async(std::launch::async, crunch, 3);
  return 0;
}

// A thread per connection, detached.
void serve(int lfd) {
  for (;;) {
    int fd = accept(lfd, nullptr, nullptr);
    std::thread([fd] {
      while (1) // want "the loop on line 53 starts a new thread running it on every iteration"
        handle(fd);
    }).detach();
  }
}

// Workers in a vector joined in a range-for.
static void spin(int id) {
  while (true) { // want "waited for on line 74"
    compute(id);
  }
}

void spin_all() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; i++)
    workers.emplace_back(spin, i);
  for (auto &w : workers)
    w.join();
}

// ---- silent look-alikes ----

std::atomic<bool> stop{false};

// An atomic flag in the condition.
void run_flag() {
  std::thread t([] {
    while (!stop.load())
      pump_once();
  });
  stop = true;
  t.join();
}

// A forever routine detached once: a process-lifetime worker.
void start_ticker() {
  std::thread([] {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(5));
      pump_once();
    }
  }).detach();
}

// Returns from inside the loop.
void run_returning() {
  std::thread t([] {
    for (;;) {
      if (compute(0) < 0)
        return;
    }
  });
  t.join();
}

// A deferred std::async runs on the caller: no thread is waited for... and it is never called.
int run_deferred() {
  auto f = std::async(std::launch::deferred, crunch, 1);
  return 0;
}

// Throws out of the loop.
void run_throwing() {
  std::thread t([] {
    while (true) {
      if (compute(1) == 0)
        throw 1;
    }
  });
  t.join();
}

// pthreads from C++, the routine cast to the pthread signature; stop() joins.
#include <pthread.h>
static void spin_forever(void *) {
  for (;;) // want "waited for on line 138"
    pump_once();
}
struct Spinner {
  pthread_t tid;
  void start() { pthread_create(&tid, nullptr, reinterpret_cast<void *(*)(void *)>(spin_forever), this); }
  void stop() { pthread_join(tid, nullptr); }
};
