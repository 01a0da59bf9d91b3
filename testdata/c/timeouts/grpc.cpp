// grpc.cpp - gRPC C++ client calls with and without a deadline.
#include <chrono>
#include <memory>
#include <string>

#include "include/grpcpp/grpcpp.h"

namespace users {

struct GetUserRequest {
  std::string id;
};
struct User {
  std::string name;
};
struct ListRequest {};

// What protoc generates, reduced to what the calls need.
class UserService {
public:
  class Stub {
  public:
    grpc::Status GetUser(grpc::ClientContext *context, const GetUserRequest &request, User *response);
    grpc::Status DeleteUser(grpc::ClientContext *context, const GetUserRequest &request, User *response);
    std::unique_ptr<grpc::ClientReader<User>> ListUsers(grpc::ClientContext *context, const ListRequest &request);
  };
};

std::string name_of(UserService::Stub *stub, const std::string &id) {
  grpc::ClientContext ctx;
  GetUserRequest req{id};
  User user;
  grpc::Status s = stub->GetUser(&ctx, req, &user); // want "grpc-no-deadline: this gRPC call has no deadline"
  return s.ok() ? user.name : "";
}

bool remove(UserService::Stub &stub, const std::string &id) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer x");
  User ignored;
  return stub.DeleteUser(&context, GetUserRequest{id}, &ignored).ok(); // want "grpc-no-deadline"
}

int count_users(UserService::Stub *stub) {
  grpc::ClientContext ctx;
  auto reader = stub->ListUsers(&ctx, ListRequest{}); // want "this gRPC call has no deadline"
  User u;
  int n = 0;
  while (reader->Read(&u))
    n++;
  reader->Finish();
  return n;
}

class Gateway {
public:
  explicit Gateway(UserService::Stub *stub) : stub_(stub) {}
  bool exists(const std::string &id) {
    ::grpc::ClientContext ctx;
    User u;
    if (!stub_->GetUser(&ctx, GetUserRequest{id}, &u).ok()) // want "grpc-no-deadline"
      return false;
    return !u.name.empty();
  }

private:
  UserService::Stub *stub_;
};

bool ping_all(UserService::Stub *stub, int n) {
  for (int i = 0; i < n; i++) {
    grpc::ClientContext ctx;
    ctx.set_wait_for_ready(true);
    User u;
    if (!stub->GetUser(&ctx, GetUserRequest{std::to_string(i)}, &u).ok()) // want "grpc-no-deadline"
      return false;
  }
  return true;
}

// ---- silent ----

std::string name_of_bounded(UserService::Stub *stub, const std::string &id) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  User user;
  stub->GetUser(&ctx, GetUserRequest{id}, &user);
  return user.name;
}

void with_deadline(grpc::ClientContext *ctx);

bool via_helper(UserService::Stub *stub) {
  grpc::ClientContext ctx;
  with_deadline(&ctx);
  User u;
  return stub->GetUser(&ctx, GetUserRequest{"1"}, &u).ok();
}

bool given_context(UserService::Stub *stub, grpc::ClientContext *ctx) {
  User u;
  return stub->GetUser(ctx, GetUserRequest{"1"}, &u).ok();
}

struct Options {
  int retries;
};
Options parse(const std::string &);

bool not_grpc(const std::string &s) {
  Options o = parse(s); // a local of another type
  return o.retries > 0;
}

bool member_context(UserService::Stub *stub) {
  struct Call {
    grpc::ClientContext ctx;
  } call;
  User u;
  return stub->GetUser(&call.ctx, GetUserRequest{"2"}, &u).ok();
}

} // namespace users
