/* socket.c - blocking connects and reads on TCP sockets, with and without a bound. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* A client that connects and waits for the banner. */
int read_banner(const struct sockaddr_in *sa, char *buf, size_t len) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0) { // want "socket-no-timeout: connect on this TCP socket has no timeout"
    close(fd);
    return -1;
  }
  ssize_t n = recv(fd, buf, len, 0);
  close(fd);
  return (int)n;
}

/* The getaddrinfo loop. */
int dial(const char *host, const char *port) {
  struct addrinfo hints, *res, *rp;
  int fd = -1;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &res) != 0)
    return -1;
  for (rp = res; rp; rp = rp->ai_next) {
    fd = socket(rp->ai_family, rp->ai_socktype, rp->ai_protocol);
    if (fd == -1)
      continue;
    if (connect(fd, rp->ai_addr, rp->ai_addrlen) == 0) // want "connect on this TCP socket has no timeout"
      break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

/* Assigned in the condition, IPv6 with SOCK_CLOEXEC; the read is what blocks. */
ssize_t query(const struct sockaddr_in6 *sa, const char *req, char *out, size_t len) {
  int s;
  if ((s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
    return -1;
  connect(s, (const struct sockaddr *)sa, sizeof *sa); // want "connect on this TCP socket"
  write(s, req, strlen(req));
  ssize_t n = read(s, out, len);
  close(s);
  return n;
}

/* Thread-per-connection server: the request read waits on the client forever. */
void serve_one(int listener) {
  char req[4096];
  int c = accept(listener, NULL, NULL);
  if (c < 0)
    return;
  ssize_t n = read(c, req, sizeof req); // want "read on this accepted connection has no timeout: a peer that stops sending"
  if (n > 0)
    write(c, req, (size_t)n);
  close(c);
}

/* A helper of this file sets options, but not a timeout. */
static void tune(int fd) {
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
}

int fetch_status(const struct sockaddr_in *sa, char *line, size_t len) {
  int fd = socket(PF_INET, SOCK_STREAM, IPPROTO_TCP);
  tune(fd);
  if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) != 0) // want "socket-no-timeout"
    return -1;
  ssize_t n = recvfrom(fd, line, len, 0, NULL, NULL);
  close(fd);
  return (int)n;
}

/* accept4 without SOCK_NONBLOCK. */
int echo_once(int lfd) {
  char b[512];
  int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
  ssize_t n = recv(c, b, sizeof b, 0); // want "recv on this accepted connection has no timeout"
  close(c);
  return (int)n;
}

/* Logging the descriptor's number does not hide it. */
int connect_logged(const struct sockaddr_in *sa) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  fprintf(stderr, "connecting fd %d\n", fd);
  return connect(fd, (const struct sockaddr *)sa, sizeof *sa); // want "connect on this TCP socket has no timeout"
}

/* Thread-per-connection through a helper of this file: the helper's read waits on the client. */
static void serve_client(int conn) {
  char buf[512];
  ssize_t n;
  while ((n = read(conn, buf, sizeof buf)) > 0) // want "read on this accepted connection has no timeout"
    write(conn, buf, (size_t)n);
  close(conn);
}

void accept_loop(int lfd) {
  for (;;) {
    int c = accept(lfd, NULL, NULL);
    if (c < 0)
      continue;
    serve_client(c);
  }
}

/* ---- silent ---- */

int read_banner_timeout(const struct sockaddr_in *sa, char *buf, size_t len) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct timeval tv = {.tv_sec = 5};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  connect(fd, (const struct sockaddr *)sa, sizeof *sa);
  ssize_t n = recv(fd, buf, len, 0);
  close(fd);
  return (int)n;
}

int connect_nonblocking(const struct sockaddr_in *sa) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  connect(fd, (const struct sockaddr *)sa, sizeof *sa);
  struct pollfd p = {.fd = fd, .events = POLLOUT};
  return poll(&p, 1, 3000) == 1 ? fd : -1;
}

int connect_sock_nonblock(const struct sockaddr_in *sa) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  connect(fd, (const struct sockaddr *)sa, sizeof *sa);
  return fd;
}

/* Local peers. */
int control(const char *path, char *reply, size_t len) {
  struct sockaddr_un su = {.sun_family = AF_UNIX};
  strncpy(su.sun_path, path, sizeof su.sun_path - 1);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  connect(fd, (struct sockaddr *)&su, sizeof su);
  ssize_t n = read(fd, reply, len);
  close(fd);
  return (int)n;
}

/* Datagrams do not wait to connect. */
int udp_send(const struct sockaddr_in *sa, const char *msg) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  connect(fd, (const struct sockaddr *)sa, sizeof *sa);
  ssize_t n = send(fd, msg, strlen(msg), 0);
  close(fd);
  return (int)n;
}

/* The accepted connection goes to the event loop. */
extern void loop_add(int fd);

void on_accept(int lfd) {
  int c = accept(lfd, NULL, NULL);
  if (c >= 0)
    loop_add(c);
}

/* A helper of this file sets the timeout. */
static void set_timeouts(int fd, int secs) {
  struct timeval tv = {.tv_sec = secs};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, (char *)&tv, sizeof tv);
}

int read_with_helper(const struct sockaddr_in *sa, char *buf) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  set_timeouts(fd, 10);
  connect(fd, (const struct sockaddr *)sa, sizeof *sa);
  return (int)read(fd, buf, 64);
}

/* A descriptor from somewhere else: nothing is known about it. */
ssize_t read_some(int fd, char *buf, size_t len) { return read(fd, buf, len); }

/* select with a timeout guards the read. */
int read_select(int lfd, char *buf) {
  int c = accept(lfd, NULL, NULL);
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(c, &rd);
  struct timeval tv = {.tv_sec = 2};
  if (select(c + 1, &rd, NULL, NULL, &tv) <= 0)
    return -1;
  return (int)read(c, buf, 16);
}

/* Stored in a connection object: managed elsewhere. */
struct peer {
  int fd;
};

void peer_open(struct peer *p) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  p->fd = fd;
}

/* The helper polls before it reads. */
static int serve_polled(int conn) {
  struct pollfd p = {.fd = conn, .events = POLLIN};
  char b[64];
  if (poll(&p, 1, 5000) != 1)
    return -1;
  return (int)read(conn, b, sizeof b);
}

void accept_polled(int lfd) {
  int c = accept(lfd, NULL, NULL);
  serve_polled(c);
  close(c);
}

/* MSG_DONTWAIT: this read does not block. */
int peek_greeting(int lfd, char *b) {
  int c = accept(lfd, NULL, NULL);
  return (int)recv(c, b, 8, MSG_DONTWAIT);
}

int drain_nowait(int lfd, char *b) {
  int c = accept(lfd, NULL, NULL);
  return (int)recvfrom(c, b, 8, MSG_DONTWAIT | MSG_PEEK, NULL, NULL);
}
