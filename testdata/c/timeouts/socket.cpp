// socket.cpp - TCP sockets from C++.
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace net {

std::string get_line(const sockaddr_in &sa) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::connect(fd, reinterpret_cast<const sockaddr *>(&sa), sizeof sa) != 0) { // want "connect on this TCP socket has no timeout"
    ::close(fd);
    return {};
  }
  char buf[256];
  auto n = ::recv(fd, buf, sizeof buf, 0);
  ::close(fd);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

class Server {
public:
  void handle(int listener) {
    int c = ::accept(listener, nullptr, nullptr);
    char req[1024];
    auto n = ::read(c, req, sizeof req); // want "read on this accepted connection has no timeout"
    if (n > 0)
      ::write(c, req, static_cast<size_t>(n));
    ::close(c);
  }
};

int open_any(const addrinfo *ai) {
  for (; ai; ai = ai->ai_next) {
    const int s = socket(ai->ai_family, ai->ai_socktype, 0);
    if (s < 0)
      continue;
    if (connect(s, ai->ai_addr, ai->ai_addrlen) == 0) // want "socket-no-timeout"
      return s;
    close(s);
  }
  return -1;
}

ssize_t ask(const sockaddr_in6 &sa, char *out) {
  auto fd = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  connect(fd, (const sockaddr *)&sa, sizeof sa); // want "connect on this TCP socket"
  return recv(fd, out, 8, MSG_WAITALL);
}

void serve_forever(int lfd) {
  for (;;) {
    int c = accept(lfd, nullptr, nullptr);
    char b[64];
    while (recv(c, b, sizeof b, 0) > 0) { // want "recv on this accepted connection has no timeout"
    }
    close(c);
  }
}

class Echo {
public:
  void run(int lfd) {
    for (;;) {
      const int c = ::accept(lfd, nullptr, nullptr);
      session(c);
    }
  }

private:
  void session(int fd) {
    char b[256];
    for (;;) {
      const auto n = ::recv(fd, b, sizeof b, 0); // want "recv on this accepted connection has no timeout"
      if (n <= 0)
        break;
      ::send(fd, b, static_cast<size_t>(n), 0);
    }
    ::close(fd);
  }
};

// ---- silent ----

std::string get_line_timeout(const sockaddr_in &sa) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::connect(fd, reinterpret_cast<const sockaddr *>(&sa), sizeof sa);
  char buf[256];
  auto n = ::recv(fd, buf, sizeof buf, 0);
  ::close(fd);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

void accept_to_thread(int lfd, void (*serve)(int)) {
  int c = accept(lfd, nullptr, nullptr);
  std::thread(serve, c).detach();
}

int polled(int lfd, char *b) {
  int c = accept(lfd, nullptr, nullptr);
  pollfd p{c, POLLIN, 0};
  if (poll(&p, 1, 1000) != 1)
    return -1;
  return static_cast<int>(read(c, b, 8));
}

int local_peer(const sockaddr *sa, socklen_t len, char *b) {
  int fd = socket(AF_LOCAL, SOCK_STREAM, 0);
  connect(fd, sa, len);
  return static_cast<int>(read(fd, b, 8));
}

int udp(const sockaddr_in &sa, char *b) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  connect(fd, (const sockaddr *)&sa, sizeof sa);
  return static_cast<int>(send(fd, b, 8, 0));
}

int captured(const sockaddr_in &sa) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  auto arm = [fd] {
    timeval tv{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  };
  arm();
  return connect(fd, (const sockaddr *)&sa, sizeof sa);
}

} // namespace net
