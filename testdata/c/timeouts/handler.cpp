// handler.cpp - gRPC C++ service methods that wait on futures, conditions and semaphores.
#include <pthread.h>
#include <semaphore.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <queue>
#include <string>

#include "include/grpcpp/grpcpp.h"

namespace kv {

struct GetRequest {
  std::string key;
};
struct GetReply {
  std::string value;
};

std::future<std::string> lookup_async(const std::string &key);
std::string lookup(const std::string &key);

class Store {
public:
  virtual ~Store() = default;

  grpc::Status Get(grpc::ServerContext *context, const GetRequest *request, GetReply *reply) {
    (void)context;
    auto f = lookup_async(request->key);
    reply->value = f.get(); // want "handler-wait-unbounded: this gRPC handler waits with no bound \\(std::future::get\\)"
    return grpc::Status();
  }

  grpc::Status Watch(grpc::ServerContext *context, const GetRequest *request, grpc::ServerWriter<GetReply> *writer) {
    std::unique_lock<std::mutex> lock(mu_);
    while (changes_.empty())
      changed_.wait(lock); // want "handler-wait-unbounded: .*std::condition_variable::wait"
    GetReply r{changes_.front()};
    changes_.pop();
    writer->Write(r);
    (void)context, (void)request;
    return grpc::Status();
  }

  grpc::Status Flush(grpc::ServerContext *, const GetRequest *, GetReply *) {
    pthread_mutex_lock(&legacy_mu_);
    while (!flushed_)
      pthread_cond_wait(&legacy_cv_, &legacy_mu_); // want "waits with no bound \\(pthread_cond_wait\\)"
    pthread_mutex_unlock(&legacy_mu_);
    return grpc::Status();
  }

  grpc::Status Acquire(grpc::CallbackServerContext *context, const GetRequest *, GetReply *) {
    (void)context;
    sem_wait(&slots_); // want "handler-wait-unbounded: .*sem_wait"
    return grpc::Status();
  }

  grpc::Status Warm(grpc::ServerContext *context, const GetRequest *request, GetReply *reply) {
    std::shared_future<std::string> shared = lookup_async(request->key).share();
    shared.wait(); // want "handler-wait-unbounded"
    reply->value = shared.get(); // want "handler-wait-unbounded"
    (void)context;
    return grpc::Status();
  }

  // ---- silent ----

  grpc::Status GetBounded(grpc::ServerContext *context, const GetRequest *request, GetReply *reply) {
    auto f = lookup_async(request->key);
    if (f.wait_until(context->deadline()) != std::future_status::ready)
      return grpc::Status();
    reply->value = f.get();
    return grpc::Status();
  }

  grpc::Status WatchBounded(grpc::ServerContext *context, const GetRequest *, GetReply *reply) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!changed_.wait_for(lock, std::chrono::seconds(5), [this] { return !changes_.empty(); }))
      return grpc::Status();
    reply->value = changes_.front();
    (void)context;
    return grpc::Status();
  }

  grpc::Status AcquireBounded(grpc::ServerContext *, const GetRequest *, GetReply *) {
    timespec ts{};
    ts.tv_sec = 5;
    if (sem_timedwait(&slots_, &ts) != 0)
      return grpc::Status();
    return grpc::Status();
  }

  // Not a handler: a background worker may wait as long as it likes.
  void drain() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock);
    auto f = lookup_async("x");
    f.get();
  }

  // A lambda inside the handler runs elsewhere (a thread pool).
  grpc::Status Async(grpc::ServerContext *, const GetRequest *request, GetReply *) {
    auto job = [request] { return lookup_async(request->key).get(); };
    (void)job;
    return grpc::Status();
  }

  // A get() that is not std::future's.
  struct Cache {
    std::string get(const std::string &key) { return lookup(key); }
  } cache_;

  grpc::Status Cached(grpc::ServerContext *, const GetRequest *request, GetReply *reply) {
    reply->value = cache_.get(request->key);
    return grpc::Status();
  }

private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::queue<std::string> changes_;
  pthread_mutex_t legacy_mu_ = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t legacy_cv_ = PTHREAD_COND_INITIALIZER;
  bool flushed_ = false;
  sem_t slots_;
};

} // namespace kv
