// members.cpp - pthreads used from C++: methods, lambdas, nullptr; std::thread is not this rule's.
#include <pthread.h>

#include <cstddef>
#include <thread>

static void *work(void *arg) { return arg; }

class Server {
public:
  void start();
  void start_joined();
  void start_member();
  void start_lambda();

private:
  pthread_t thread_{};
};

void Server::start() {
  pthread_t t;
  if (pthread_create(&t, nullptr, work, this) != 0) // want "thread-not-joined: thread started here is never joined or detached"
    throw 1;
}

void Server::start_joined() {
  pthread_t t;
  pthread_create(&t, NULL, work, this);
  pthread_join(t, nullptr);
}

// The handle is a member: the class joins it somewhere else.
void Server::start_member() { pthread_create(&thread_, nullptr, work, this); }

// Joined from a lambda that captures the handle by reference.
void Server::start_lambda() {
  pthread_t t;
  pthread_create(&t, nullptr, work, nullptr);
  auto wait = [&] { pthread_join(t, nullptr); };
  wait();
}

template <typename T> void spawn_template(T *arg) {
  pthread_t t;
  ::pthread_create(&t, nullptr, work, arg); // want "never joined or detached"
}

void lambda_leak() {
  auto go = [] {
    pthread_t t;
    pthread_create(&t, nullptr, work, nullptr); // want "never joined or detached"
  };
  go();
}

void std_thread() {
  std::thread th([] {});
  th.join();
}
