/* grpcpp/grpcpp.h - declaration-only stub of gRPC C++'s server streaming API for omen's testdata
 * (the shapes of grpcpp/impl/status.h, grpcpp/support/sync_stream.h). */
#ifndef OMEN_STUB_GRPCPP_H
#define OMEN_STUB_GRPCPP_H

#include <string>

namespace grpc {

enum StatusCode { OK = 0, CANCELLED = 1, RESOURCE_EXHAUSTED = 8 };

class Status {
public:
  Status();
  Status(StatusCode code, const std::string &message);
  bool ok() const;
  static const Status &OK;
  static const Status &CANCELLED;
};

class ServerContext {
public:
  bool IsCancelled() const;
};

namespace internal {
template <class W> class WriterInterface {
public:
  virtual ~WriterInterface() {}
  bool Write(const W &msg);
};
template <class R> class ReaderInterface {
public:
  virtual ~ReaderInterface() {}
  virtual bool Read(R *msg) = 0;
};
} // namespace internal

template <class W> class ServerWriterInterface : public internal::WriterInterface<W> {};

template <class W> class ServerWriter final : public ServerWriterInterface<W> {};

template <class W, class R>
class ServerReaderWriter final : public internal::WriterInterface<W>, public internal::ReaderInterface<R> {
public:
  bool Read(R *msg) override;
};

} // namespace grpc

#endif
