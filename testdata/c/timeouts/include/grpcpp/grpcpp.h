/* grpcpp/grpcpp.h - declaration-only stub of gRPC C++'s client API for omen's testdata. */
#ifndef OMEN_STUB_GRPCPP_H
#define OMEN_STUB_GRPCPP_H

#include <chrono>
#include <memory>
#include <string>

namespace grpc {

class Status {
public:
  Status();
  bool ok() const;
  std::string error_message() const;
};

class ClientContext {
public:
  ClientContext();
  ~ClientContext();
  template <typename T> void set_deadline(const T &deadline);
  void AddMetadata(const std::string &key, const std::string &value);
  void set_wait_for_ready(bool wait_for_ready);
  void TryCancel();
};

class ServerContext {
public:
  bool IsCancelled() const;
  std::chrono::system_clock::time_point deadline() const;
};

class CallbackServerContext : public ServerContext {};

template <class R> class ServerWriter {
public:
  bool Write(const R &msg);
};

template <class R> class ClientReader {
public:
  bool Read(R *msg);
  Status Finish();
};

class Channel;
std::shared_ptr<Channel> CreateChannel(const std::string &target, int creds);

} // namespace grpc

#endif
