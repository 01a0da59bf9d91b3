// heap.cpp - threads allocated with new that nothing joins.
#include <memory>
#include <thread>
#include <vector>

void work(int n);

// The pointer is dropped at once.
void fire_and_forget(int n) {
  new std::thread(work, n); // want "heap-thread-not-joined: thread allocated here is never joined or detached and its pointer is dropped"
}

// Kept in a local that is never used.
void start_local() {
  std::thread *t = new std::thread(work, 1); // want "thread t is never joined or detached and its pointer is lost"
}

// Deleted while joinable.
void start_delete() {
  auto *t = new std::thread([] { work(2); }); // want "thread t is deleted without being joined or detached"
  work(3);
  delete t;
}

// Assigned after the declaration, then dropped.
void start_assigned(int n) {
  std::thread *p;
  p = new std::thread(work, n); // want "thread p is never joined or detached"
}

// Only asked whether it is joinable.
bool start_check() {
  std::thread *t = new std::thread(work, 4); // want "thread t is deleted without being joined"
  bool j = t->joinable();
  delete t;
  return j;
}

// ---- silent look-alikes ----

void joined() {
  std::thread *t = new std::thread(work, 5);
  t->join();
  delete t;
}

void detached() {
  auto *t = new std::thread(work, 6);
  t->detach();
}

class Owner {
public:
  void start() { worker_ = new std::thread(work, 7); }
  ~Owner();

private:
  std::thread *worker_ = nullptr;
};

std::unique_ptr<std::thread> owned() { return std::unique_ptr<std::thread>(new std::thread(work, 8)); }

std::thread *returned() {
  std::thread *t = new std::thread(work, 9);
  return t;
}

void pooled(std::vector<std::thread *> &pool) {
  std::thread *t = new std::thread(work, 10);
  pool.push_back(t);
}
