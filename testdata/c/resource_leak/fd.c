/* fd.c - descriptors and sockets still open at a return on an error path. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* The classic: connect fails and the socket is dropped. */
int dial(const struct sockaddr_in *sa) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0)
    return -1; // want "resource-leak/fd-not-closed: the socket from socket\\(\\) on line 16 \\(fd\\) is still open at this return when connect\\(\\) fails"
  return fd;
}

/* Assigned in the condition; bind and listen failures leak it. */
int listen_on(unsigned short port) {
  int s;
  struct sockaddr_in sa;
  if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
    perror("socket");
    return -1;
  }
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0) {
    perror("bind");
    return -1; // want "socket from socket\\(\\) on line 28 \\(s\\) is still open at this return when bind\\(\\) fails \\(and on 1 more path\\).*EMFILE"
  }
  if (listen(s, 128) < 0) { perror("listen"); return -1; } /* reported with the return above */
  return s;
}

/* A file read whole; the short read path forgets it. */
int read_pidfile(const char *path, char *buf, size_t n) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd == -1)
    return -errno;
  ssize_t got = read(fd, buf, n - 1);
  if (got <= 0)
    return -EIO; // want "file descriptor from open\\(\\) on line 45 \\(fd\\) is still open"
  buf[got] = '\0';
  close(fd);
  return 0;
}

/* A switch on the request kind; one case returns early. */
int handle_request(int listener, int kind) {
  int conn = accept(listener, NULL, NULL);
  if (conn < 0)
    return -1;
  switch (kind) {
  case 0:
    write(conn, "ok\n", 3);
    break;
  case 1:
    return -1; // want "accepted socket from accept\\(\\) on line 58 \\(conn\\)"
  default:
    break;
  }
  close(conn);
  return 0;
}

/* A goto to a label that does not close. */
int make_epoll(int fd) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev;
  if (ep < 0)
    goto fail;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
    goto fail;
  return ep;
fail:
  return -1; // want "epoll descriptor from epoll_create1\\(\\) on line 76 \\(ep\\) can still be open at this return"
}

/* Falling off the end of a void function. */
void log_to(const char *path, const char *msg) {
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0)
    return;
  write(fd, msg, strlen(msg));
} // want "file descriptor from open\\(\\) on line 91 \\(fd\\) is still open at the end of the function"

/* dup'ed for a child and lost when fstat fails. */
int dup_checked(int fd, struct stat *st) {
  int copy = dup(fd);
  if (copy < 0)
    return -1;
  if (fstat(copy, st) != 0) return -1; // want "duplicated descriptor from dup\\(\\)"
  return copy;
}

/* A function of the file that returns a fresh descriptor is an acquisition for its callers. */
static int open_ro(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  return fd;
}

int size_of(const char *path, off_t *size) {
  int fd = open_ro(path);
  if (fd < 0)
    return -1;
  struct stat st;
  if (fstat(fd, &st) < 0)
    return -1; // want "file descriptor from open_ro\\(\\) on line 115 \\(fd\\)"
  *size = st.st_size;
  return close(fd);
}

/* Described to poll in a local struct pollfd: still ours, and the timeout path leaks it. */
int wait_readable(const char *path, int ms) {
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0)
    return -1;
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  if (poll(&pfd, 1, ms) <= 0)
    return -1; // want "file descriptor from open\\(\\) on line 127 \\(fd\\)"
  return fd;
}
