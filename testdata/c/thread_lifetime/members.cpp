// members.cpp - std::thread members nobody joins, and temporaries destroyed at once.
#include <atomic>
#include <cstdio>
#include <thread>
#include <utility>
#include <vector>

void tick();
void work(int n);

// Started in start(); the destructor does not join.
class Ticker {
public:
  ~Ticker() { running_ = false; }
  void start() { thread_ = std::thread(&Ticker::loop, this); } // want "thread-destroyed-joinable: thread member thread_ is never joined or detached by any method of Ticker"

private:
  void loop() {
    while (running_)
      tick();
  }
  std::atomic<bool> running_{true};
  std::thread thread_;
};

// Started in the constructor's initializer list.
class Flusher {
public:
  explicit Flusher(int fd) : fd_(fd), t_(&Flusher::run, this) {} // want "thread member t_ is never joined or detached"

private:
  void run() { work(fd_); }
  int fd_;
  std::thread t_;
};

// this->member, with a stop() that only clears a flag.
struct Reaper {
  std::thread worker;
  std::atomic<bool> stop{false};
  void begin() {
    this->worker = std::thread([this] { // want "thread member worker is never joined"
      while (!stop)
        tick();
    });
  }
  void end() { stop = true; }
};

// Temporaries: destroyed as soon as they are made.
void temporaries() {
  std::thread(work, 1); // want "this thread is destroyed as soon as it starts"
  std::thread{work, 2}; // want "this thread is destroyed as soon as it starts"
}

// ---- silent look-alikes ----

// The destructor joins.
class Poller {
public:
  ~Poller() {
    if (t_.joinable())
      t_.join();
  }
  void start() { t_ = std::thread(&Poller::loop, this); }

private:
  void loop() { tick(); }
  std::thread t_;
};

// stop() detaches.
class Background {
public:
  void start() { t_ = std::thread(work, 3); }
  void stop() { t_.detach(); }

private:
  std::thread t_;
};

// A method defined elsewhere may join it.
class Remote {
public:
  void start() { t_ = std::thread(work, 4); }
  void shutdown();

private:
  std::thread t_;
};

// Handed over to a pool that joins it.
class Handoff {
public:
  void start() { t_ = std::thread(work, 5); }
  void give(std::vector<std::thread> &pool) { pool.push_back(std::move(t_)); }

private:
  std::thread t_;
};

// Temporaries detached or joined at once.
void temporaries_ok() {
  std::thread(work, 6).detach();
  std::thread([] { tick(); }).join();
}
