// queue.cpp - queues between threads, with and without a bound on their size.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <queue>
#include <string>
#include <thread>

namespace work {

constexpr std::size_t kMaxPending = 1024;

// An asynchronous logger: callers push, a writer thread drains.
class Logger {
public:
  Logger() : writer_(&Logger::Run, this) {}
  void Log(std::string line) {
    std::lock_guard<std::mutex> g(mu_);
    lines_.push_back(std::move(line)); // want "queue-push-unbounded: `lines_` is filled here and drained on another thread"
    cv_.notify_one();
  }

private:
  void Run() {
    for (;;) {
      std::unique_lock<std::mutex> g(mu_);
      cv_.wait(g, [this] { return !lines_.empty(); });
      std::string line = std::move(lines_.front());
      lines_.pop_front();
      g.unlock();
      Write(line);
    }
  }
  void Write(const std::string &line);
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> lines_;
  std::thread writer_;
};

// A task pool with a std::queue of callables.
class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; i++)
      threads_.emplace_back(&Pool::Worker, this);
  }
  void Submit(std::function<void()> f) {
    {
      std::lock_guard<std::mutex> g(mu_);
      tasks_.push(std::move(f)); // want "queue-push-unbounded: `tasks_` is filled"
    }
    cv_.notify_one();
  }

private:
  void Worker() {
    for (;;) {
      std::function<void()> f;
      {
        std::unique_lock<std::mutex> g(mu_);
        cv_.wait(g, [this] { return !tasks_.empty(); });
        f = std::move(tasks_.front());
        tasks_.pop();
      }
      f();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::queue<std::function<void()>> tasks_;
  std::deque<std::thread> threads_;
};

// Globals, a std::list and emplace_back.
struct Event {
  int kind;
  std::string data;
};
static std::mutex g_events_mu;
static std::list<Event> g_events;

void Dispatch(const Event &e);

void EventLoop() {
  for (;;) {
    std::lock_guard<std::mutex> g(g_events_mu);
    if (g_events.empty())
      continue;
    Dispatch(g_events.front());
    g_events.pop_front();
  }
}

void StartEvents() { std::thread(EventLoop).detach(); }

void Post(int kind, std::string data) {
  std::lock_guard<std::mutex> g(g_events_mu);
  g_events.emplace_back(Event{kind, std::move(data)}); // want "queue-push-unbounded: `g_events` is filled"
}

// The producer is the thread; the consumer is the caller's Poll.
class Receiver {
public:
  Receiver() : t_(&Receiver::Loop, this) {}
  bool Poll(std::string *out) {
    std::lock_guard<std::mutex> g(mu_);
    if (inbox_.empty())
      return false;
    *out = inbox_.front();
    inbox_.pop();
    return true;
  }

private:
  void Loop() {
    for (;;) {
      std::string m = Next();
      std::lock_guard<std::mutex> g(mu_);
      inbox_.emplace(std::move(m)); // want "queue-push-unbounded: `inbox_` is filled"
    }
  }
  std::string Next();
  std::mutex mu_;
  std::queue<std::string> inbox_;
  std::thread t_;
};

// A priority queue of timers.
class Timers {
public:
  Timers() : t_(&Timers::Run, this) {}
  void Add(long when) {
    std::lock_guard<std::mutex> g(mu_);
    due_.push(when); // want "queue-push-unbounded: `due_` is filled"
  }

private:
  void Run() {
    for (;;) {
      std::lock_guard<std::mutex> g(mu_);
      if (!due_.empty())
        due_.pop();
    }
  }
  std::mutex mu_;
  std::priority_queue<long> due_;
  std::thread t_;
};

// ---- silent look-alikes ----

// Rejects work past a limit.
class BoundedPool {
public:
  BoundedPool() : t_(&BoundedPool::Worker, this) {}
  bool Submit(std::function<void()> f) {
    std::lock_guard<std::mutex> g(mu_);
    if (tasks_.size() >= kMaxPending)
      return false;
    tasks_.push(std::move(f));
    return true;
  }

private:
  void Worker() {
    for (;;) {
      std::lock_guard<std::mutex> g(mu_);
      if (!tasks_.empty())
        tasks_.pop();
    }
  }
  std::mutex mu_;
  std::queue<std::function<void()>> tasks_;
  std::thread t_;
};

// Waits for space on a not-full condition.
class BlockingQueue {
public:
  BlockingQueue() : t_(&BlockingQueue::Drain, this) {}
  void Put(int v) {
    std::unique_lock<std::mutex> g(mu_);
    not_full_.wait(g, [this] { return q_.size() < kMaxPending; });
    q_.push_back(v);
  }

private:
  void Drain() {
    for (;;) {
      std::lock_guard<std::mutex> g(mu_);
      if (!q_.empty())
        q_.pop_front();
      not_full_.notify_one();
    }
  }
  std::mutex mu_;
  std::condition_variable not_full_;
  std::deque<int> q_;
  std::thread t_;
};

// Drops the oldest entry when full.
class Ring {
public:
  Ring() : t_(&Ring::Run, this) {}
  void Add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    if (q_.size() == kMaxPending)
      q_.pop_front();
    q_.push_back(v);
  }

private:
  void Run() {
    for (;;) {
      std::lock_guard<std::mutex> g(mu_);
      if (!q_.empty())
        q_.pop_front();
    }
  }
  std::mutex mu_;
  std::deque<int> q_;
  std::thread t_;
};

// A local queue: no other thread can see it.
int Local() {
  std::mutex mu;
  std::deque<int> q;
  std::lock_guard<std::mutex> g(mu);
  q.push_back(1);
  q.pop_front();
  return 0;
}

// No thread: a single-threaded queue behind a mutex for re-entrancy.
class Inbox {
public:
  void Add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    q_.push_back(v);
  }
  bool Take(int *v) {
    std::lock_guard<std::mutex> g(mu_);
    if (q_.empty())
      return false;
    *v = q_.front();
    q_.pop_front();
    return true;
  }

private:
  std::mutex mu_;
  std::deque<int> q_;
};

// A list only ever filled here: nothing pops from it, so it is not a queue between threads.
class Stack {
public:
  Stack() : t_(&Stack::Run, this) {}
  void Add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }

private:
  void Run();
  std::mutex mu_;
  std::list<int> items_;
  std::thread t_;
};

} // namespace work
