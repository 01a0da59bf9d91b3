// ok.cpp - RAII owners and correct C++ code: no findings.
#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>
#include <pthread.h>

#include "include/curl/curl.h"

// A class whose destructor closes the descriptor it opened.
class Fd {
public:
  explicit Fd(const char *path) : fd_(::open(path, O_RDONLY)) {}
  ~Fd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }

private:
  int fd_;
};

int first_byte(const char *path) {
  Fd f(path);
  if (f.get() < 0)
    return -1;
  char c;
  if (::read(f.get(), &c, 1) != 1)
    return -1;
  return c;
}

// unique_ptr with fclose as its deleter.
using file_ptr = std::unique_ptr<FILE, decltype(&fclose)>;

bool has_data(const std::string &path) {
  file_ptr f(std::fopen(path.c_str(), "r"), &fclose);
  if (!f)
    return false;
  return std::fgetc(f.get()) != EOF;
}

// The raw pointer is handed to a unique_ptr right away.
file_ptr open_file(const std::string &path) {
  FILE *raw = std::fopen(path.c_str(), "r");
  return file_ptr(raw, &fclose);
}

// Moved into a member of a class that owns it.
class Socket {
public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() { ::close(fd_); }

private:
  int fd_;
};

std::unique_ptr<Socket> make_socket() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return nullptr;
  return std::make_unique<Socket>(fd);
}

// Captured by a lambda that closes it later.
template <typename F> void defer_call(F &&f) { f(); }

void with_fd(const char *path) {
  int fd = ::open(path, O_RDONLY);
  if (fd < 0)
    return;
  defer_call([fd] { ::close(fd); });
}

// Closed on every path, with a switch.
int classify(const char *path) {
  std::FILE *f = std::fopen(path, "r");
  if (!f)
    return -1;
  int kind;
  switch (std::fgetc(f)) {
  case '#':
    kind = 1;
    break;
  case EOF:
    std::fclose(f);
    return 0;
  default:
    kind = 2;
    break;
  }
  std::fclose(f);
  return kind;
}

// A method named open on a class: not the C library's.
struct Store {
  int open(const char *name) { return name ? 3 : -1; }
};

int use_store(Store &s) {
  int h = s.open("x");
  if (h < 0)
    return -1;
  return 0;
}

// Exceptions are not followed: the function stays quiet.
int parse_or_throw(const char *path) {
  int fd = ::open(path, O_RDONLY);
  if (fd < 0)
    throw std::runtime_error("open");
  try {
    char c;
    if (::read(fd, &c, 1) != 1)
      throw std::runtime_error("read");
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return 0;
}

// The CURL handle is cleaned up on every path.
bool fetch(const std::string &url) {
  CURL *h = curl_easy_init();
  if (!h)
    return false;
  bool ok = curl_easy_setopt(h, CURLOPT_URL, url.c_str()) == CURLE_OK && curl_easy_perform(h) == CURLE_OK;
  curl_easy_cleanup(h);
  return ok;
}

static void *run(void *arg) { return arg; }

// The attribute object is destroyed on both paths.
bool start(pthread_t *t) {
  pthread_attr_t a;
  if (pthread_attr_init(&a) != 0)
    return false;
  int rc = pthread_create(t, &a, run, nullptr);
  pthread_attr_destroy(&a);
  return rc == 0;
}

// A stream stored in a member that a destructor closes.
class Log {
public:
  bool Open(const char *path) {
    FILE *fp = std::fopen(path, "a");
    if (!fp)
      return false;
    fp_ = fp;
    return true;
  }
  ~Log() {
    if (fp_)
      std::fclose(fp_);
  }

private:
  FILE *fp_ = nullptr;
};
