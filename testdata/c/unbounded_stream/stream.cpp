// stream.cpp - C++ buffers grown from a socket, and containers sized by a wire length.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "include/openssl/ssl.h"

namespace net {

constexpr std::size_t kMaxBody = 8 << 20;

class Connection {
public:
  explicit Connection(int fd) : fd_(fd) {}
  bool ReadAll();
  bool ReadAllCapped();
  bool ReadLine(std::string *line);
  bool ReadTls(SSL *ssl);

private:
  int fd_;
  std::string inbuf_;
  std::deque<std::string> chunks_;
};

// Reads until the peer closes.
bool Connection::ReadAll() {
  char tmp[4096];
  for (;;) {
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n < 0)
      return false;
    if (n == 0)
      return true;
    inbuf_.append(tmp, static_cast<std::size_t>(n)); // want "read-loop-grows-buffer: `inbuf_` grows with every read"
  }
}

// Keeps every chunk of a TLS stream.
bool Connection::ReadTls(SSL *ssl) {
  char tmp[4096];
  int n;
  while ((n = SSL_read(ssl, tmp, sizeof tmp)) > 0)
    chunks_.push_back(std::string(tmp, static_cast<std::size_t>(n))); // want "read-loop-grows-buffer: `chunks_` grows"
  return n == 0;
}

std::vector<char> ReadResponse(int sock) {
  std::vector<char> out;
  char tmp[1024];
  ssize_t n;
  while ((n = ::read(sock, tmp, sizeof tmp)) > 0) out.insert(out.end(), tmp, tmp + n); // want "read-loop-grows-buffer: `out` grows"
  return out;
}

std::string ReadText(int client_fd) {
  std::string text;
  char tmp[512];
  ssize_t n;
  do {
    n = ::recv(client_fd, tmp, sizeof tmp, 0);
    if (n > 0) text += std::string(tmp, static_cast<std::size_t>(n)); // want "read-loop-grows-buffer: `text` grows"
  } while (n > 0);
  return text;
}

std::vector<std::uint8_t> ReadGrowing(int conn) {
  std::vector<std::uint8_t> buf;
  std::size_t len = 0;
  for (;;) {
    buf.resize(len + 4096); // want "read-loop-grows-buffer: `buf` grows"
    ssize_t n = ::recv(conn, buf.data() + len, 4096, 0);
    if (n <= 0)
      break;
    len += static_cast<std::size_t>(n);
  }
  buf.resize(len);
  return buf;
}

// Sized by a 32-bit length prefix.
std::vector<char> ReadFrame(int fd) {
  std::uint32_t be = 0;
  if (::recv(fd, &be, sizeof be, MSG_WAITALL) != static_cast<ssize_t>(sizeof be))
    return {};
  std::uint32_t len = ntohl(be);
  std::vector<char> body(len); // want "alloc-from-wire-length: the size comes from `len`"
  ::recv(fd, body.data(), body.size(), MSG_WAITALL);
  return body;
}

std::string ReadName(int fd) {
  std::uint32_t be = 0;
  if (::recv(fd, &be, sizeof be, MSG_WAITALL) != static_cast<ssize_t>(sizeof be))
    return {};
  std::string name;
  std::uint32_t n = ntohl(be);
  name.resize(n); // want "alloc-from-wire-length: the size comes from `n`"
  ::recv(fd, &name[0], name.size(), MSG_WAITALL);
  return name;
}

// ---- silent look-alikes ----

bool Connection::ReadAllCapped() {
  char tmp[4096];
  for (;;) {
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0)
      return n == 0;
    if (inbuf_.size() + static_cast<std::size_t>(n) > kMaxBody)
      return false;
    inbuf_.append(tmp, static_cast<std::size_t>(n));
  }
}

// Consumes each line as it completes.
bool Connection::ReadLine(std::string *line) {
  char tmp[256];
  for (;;) {
    auto nl = inbuf_.find('\n');
    if (nl != std::string::npos) {
      *line = inbuf_.substr(0, nl);
      inbuf_.erase(0, nl + 1);
      return true;
    }
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0)
      return false;
    inbuf_.append(tmp, static_cast<std::size_t>(n));
  }
}

// A string declared in the loop starts empty on each pass.
void Echo(int sock) {
  char tmp[256];
  for (;;) {
    ssize_t n = ::recv(sock, tmp, sizeof tmp, 0);
    if (n <= 0)
      return;
    std::string chunk;
    chunk.append(tmp, static_cast<std::size_t>(n));
    ::send(sock, chunk.data(), chunk.size(), 0);
  }
}

// A read buffer sized to a constant on every pass does not grow.
void Relay(int sock, std::vector<char> *scratch, void (*deliver)(const char *, std::size_t)) {
  for (;;) {
    scratch->resize(4096);
    ssize_t n = ::recv(sock, scratch->data(), scratch->size(), 0);
    if (n <= 0)
      return;
    deliver(scratch->data(), static_cast<std::size_t>(n));
  }
}

// A descriptor that is not a socket (a pipe from a child).
std::string ReadChild(int pipe_fd) {
  std::string out;
  char tmp[512];
  ssize_t n;
  while ((n = ::read(pipe_fd, tmp, sizeof tmp)) > 0)
    out.append(tmp, static_cast<std::size_t>(n));
  return out;
}

// Stops at a byte budget given by the caller.
std::string ReadUpTo(int sock, std::size_t max_bytes) {
  std::string out;
  char tmp[512];
  ssize_t n;
  while (out.size() < max_bytes && (n = ::recv(sock, tmp, sizeof tmp, 0)) > 0)
    out.append(tmp, static_cast<std::size_t>(n));
  return out;
}

std::vector<char> ReadFrameChecked(int fd) {
  std::uint32_t be = 0;
  if (::recv(fd, &be, sizeof be, MSG_WAITALL) != static_cast<ssize_t>(sizeof be))
    return {};
  std::uint32_t len = ntohl(be);
  if (len > kMaxBody)
    return {};
  std::vector<char> body(len);
  ::recv(fd, body.data(), body.size(), MSG_WAITALL);
  return body;
}

// A vector of a constant size, filled with a decoded value.
std::vector<std::uint32_t> Fill(std::uint32_t be) {
  std::uint32_t v = ntohl(be);
  std::vector<std::uint32_t> out(16, v);
  return out;
}

} // namespace net
