// grpc.cpp - gRPC C++ server-streaming loops that do or do not notice the client going away.
#include <string>
#include <vector>

#include "include/grpcpp/grpcpp.h"

namespace feed {

struct WatchRequest {
  std::string topic;
};
struct Event {
  std::string body;
};
struct Chat {
  std::string text;
};

Event NextEvent(const std::string &topic); // blocks until the topic has news
bool Send(grpc::ServerWriter<Event> *w, const Event &e);

class FeedService {
public:
  grpc::Status Watch(grpc::ServerContext *ctx, const WatchRequest *req, grpc::ServerWriter<Event> *writer) {
    for (;;) {
      Event e = NextEvent(req->topic);
      writer->Write(e); // want "grpc-write-unchecked: the result of Write is ignored"
    }
  }

  grpc::Status Tail(grpc::ServerContext *ctx, const WatchRequest *req, grpc::ServerWriter<Event> *writer) {
    bool more = true;
    while (more) {
      Event e = NextEvent(req->topic);
      more = !e.body.empty();
      writer->Write(e); // want "grpc-write-unchecked: the result of Write is ignored"
    }
    return grpc::Status::OK;
  }

  grpc::Status Echo(grpc::ServerContext *ctx, grpc::ServerReaderWriter<Chat, Chat> *stream) {
    Chat in;
    do {
      Chat out{in.text};
      stream->Write(out); // want "grpc-write-unchecked: the result of Write is ignored"
    } while (true);
  }

  grpc::Status Ticks(grpc::ServerContext *, const WatchRequest *, grpc::ServerWriterInterface<Event> *w) {
    for (int i = 0;; i++) {
      Event e{std::to_string(i)};
      w->Write(e); // want "grpc-write-unchecked: the result of Write is ignored"
    }
  }

  grpc::Status Lines(grpc::ServerContext *ctx, const WatchRequest *req, grpc::ServerWriter<Event> *writer) {
    while (true) {
      if (req->topic.empty())
        break;
      writer->Write(NextEvent(req->topic)); // want "grpc-write-unchecked: the result of Write is ignored"
    }
    return grpc::Status::OK;
  }

  // ---- silent look-alikes ----

  grpc::Status WatchChecked(grpc::ServerContext *ctx, const WatchRequest *req,
                            grpc::ServerWriter<Event> *writer) {
    for (;;) {
      if (!writer->Write(NextEvent(req->topic)))
        return grpc::Status::CANCELLED;
    }
  }

  grpc::Status WatchCancellable(grpc::ServerContext *ctx, const WatchRequest *req,
                                grpc::ServerWriter<Event> *writer) {
    while (!ctx->IsCancelled())
      writer->Write(NextEvent(req->topic));
    return grpc::Status::CANCELLED;
  }

  grpc::Status List(grpc::ServerContext *ctx, const WatchRequest *req, grpc::ServerWriter<Event> *writer) {
    std::vector<Event> all = Snapshot(req->topic);
    for (const Event &e : all)
      writer->Write(e);
    return grpc::Status::OK;
  }

  grpc::Status First(grpc::ServerContext *ctx, const WatchRequest *req, grpc::ServerWriter<Event> *writer) {
    for (int i = 0; i < 10; i++)
      writer->Write(NextEvent(req->topic));
    return grpc::Status::OK;
  }

  grpc::Status Delegated(grpc::ServerContext *ctx, const WatchRequest *req,
                         grpc::ServerWriter<Event> *writer) {
    for (;;) {
      Event e = NextEvent(req->topic);
      writer->Write(e);
      if (!Send(writer, e))
        break;
    }
    return grpc::Status::OK;
  }

private:
  std::vector<Event> Snapshot(const std::string &topic);
};

} // namespace feed
