// containers.cpp - local containers of std::thread destroyed with their threads still joinable.
#include <cstdio>
#include <deque>
#include <list>
#include <thread>
#include <vector>

void work(int n);

// Filled in a loop, never joined.
void fan_out(int n) {
  std::vector<std::thread> workers;
  workers.reserve(n);
  for (int i = 0; i < n; i++)
    workers.emplace_back(work, i); // want "thread-destroyed-joinable: the threads put into workers are never joined or detached"
  std::printf("%zu started\n", workers.size());
}

// push_back of a temporary.
void fan_out_deque() {
  std::deque<std::thread> q;
  q.push_back(std::thread(work, 1)); // want "the threads put into q are never joined or detached"
}

// ---- silent look-alikes ----

void joined(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; i++)
    workers.emplace_back(work, i);
  for (auto &w : workers)
    w.join();
}

void detached(int n) {
  std::list<std::thread> workers;
  for (int i = 0; i < n; i++)
    workers.emplace_back(work, i);
  for (std::thread &w : workers)
    w.detach();
}

std::vector<std::thread> handed_back(int n) {
  std::vector<std::thread> workers;
  workers.emplace_back(work, n);
  return workers;
}

void joined_by_index(int n) {
  std::vector<std::thread> workers;
  workers.emplace_back(work, n);
  workers[0].join();
}

[[noreturn]] void serve_forever() {
  std::vector<std::thread> workers;
  workers.emplace_back(work, 0);
  for (;;)
    work(1);
}
