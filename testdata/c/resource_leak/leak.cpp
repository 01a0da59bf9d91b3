// leak.cpp - C++ code holding raw descriptors and streams that leak on an early return.
#include <cstdio>
#include <dirent.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "include/curl/curl.h"

namespace net {

// std::fopen, and an early return when the header line is missing.
bool read_header(const std::string &path, std::string &out) {
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    return false;
  char buf[128];
  if (std::fgets(buf, sizeof buf, f) == nullptr)
    return false; // want "resource-leak/handle-not-released: the FILE stream from fopen\\(\\) on line 19 \\(f\\)"
  out = buf;
  std::fclose(f);
  return true;
}

// ::socket in a method; setsockopt failure leaks it.
class Dialer {
public:
  int Dial(const sockaddr_in &sa) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
      return -1;
    int one = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) != 0)
      return -1; // want "resource-leak/fd-not-closed: the socket from socket\\(\\) on line 34 \\(fd\\)"
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&sa), sizeof sa) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }
};

// auto and a loop that gives up half-way.
std::vector<std::string> list_dir(const char *path) {
  std::vector<std::string> names;
  auto *d = opendir(path);
  if (!d)
    return names;
  while (dirent *e = readdir(d)) {
    if (e->d_name[0] == '\0')
      return {}; // want "directory stream from opendir\\(\\) on line 51 \\(d\\)"
    names.emplace_back(e->d_name);
  }
  closedir(d);
  return names;
}

// open in a lambda's body.
auto loader = [](const char *p) -> int {
  int fd = open(p, O_RDONLY);
  if (fd < 0)
    return -1;
  char c;
  if (read(fd, &c, 1) != 1)
    return -1; // want "file descriptor from open\\(\\) on line 65 \\(fd\\)"
  close(fd);
  return c;
};

// accept in a server loop; the early return on a full table leaks the new connection.
int accept_all(int listener, std::vector<int> &conns, size_t max) {
  for (;;) {
    int c = accept(listener, nullptr, nullptr);
    if (c < 0)
      break;
    if (conns.size() >= max)
      return -1; // want "accepted socket from accept\\(\\) on line 78 \\(c\\)"
    conns.push_back(c);
  }
  return 0;
}

// popen'ed helper whose output is not what was expected.
int git_head(std::string &out) {
  FILE *p = popen("git rev-parse HEAD", "r");
  if (!p)
    return -1;
  char buf[64];
  if (!fgets(buf, sizeof buf, p))
    return -1; // want "handle-not-released: the pipe stream from popen\\(\\)"
  out = buf;
  return pclose(p);
}

// A CURL handle in a client class method.
class Client {
public:
  bool Get(const std::string &url) {
    CURL *h = curl_easy_init();
    if (h == nullptr)
      return false;
    if (curl_easy_setopt(h, CURLOPT_URL, url.c_str()) != CURLE_OK)
      return false; // want "CURL easy handle from curl_easy_init\\(\\)"
    bool ok = curl_easy_perform(h) == CURLE_OK;
    curl_easy_cleanup(h);
    return ok;
  }
};

static void *run(void *arg) { return arg; }

// The attribute object leaks when the thread cannot be created.
bool start_worker(pthread_t *t, size_t stack) {
  pthread_attr_t a;
  if (pthread_attr_init(&a) != 0)
    return false;
  pthread_attr_setstacksize(&a, stack);
  if (pthread_create(t, &a, run, nullptr) != 0)
    return false; // want "thread attribute object from pthread_attr_init\\(\\)"
  pthread_attr_destroy(&a);
  return true;
}

// std::tmpfile dropped when the write fails.
bool spool(const std::string &data) {
  std::FILE *tmp = std::tmpfile();
  if (!tmp)
    return false;
  if (std::fwrite(data.data(), 1, data.size(), tmp) != data.size())
    return false; // want "FILE stream from tmpfile\\(\\)"
  std::fclose(tmp);
  return true;
}

// epoll set leaked through a goto that skips the close.
int make_poller(int fd) {
  int ep = epoll_create1(0);
  epoll_event ev{};
  if (ep < 0)
    return -1;
  ev.events = EPOLLIN;
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
    goto fail;
  return ep;
fail:
  return -1; // want "epoll descriptor from epoll_create1\\(\\) on line 142 \\(ep\\) is still open at this return"
}

// dup'ed descriptor dropped when fcntl fails.
int dup_cloexec(int fd) {
  int copy = dup(fd);
  if (copy == -1)
    return -1;
  if (fcntl(copy, F_SETFD, FD_CLOEXEC) == -1)
    return -1; // want "duplicated descriptor from dup\\(\\)"
  return copy;
}

} // namespace net
