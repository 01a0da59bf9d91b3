/* fd_ok.c - descriptors closed, returned, stored or handed over on every path: no findings. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn {
  int fd;
  struct conn *next;
};

static void register_conn(struct conn *c);
static int global_fd = -1;

/* Closed on the error path, returned on success. */
int dial_ok(const struct sockaddr_in *sa) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* The goto-cleanup idiom. */
int copy_file(const char *from, const char *to) {
  int in = -1, out = -1, rc = -1;
  char buf[4096];
  ssize_t n;
  in = open(from, O_RDONLY);
  if (in < 0)
    goto out;
  out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0)
    goto out;
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)n) != n)
      goto out;
  rc = 0;
out:
  if (in >= 0)
    close(in);
  if (out != -1)
    close(out);
  return rc;
}

/* Stored into a struct that owns it from then on. */
int accept_one(int listener) {
  int fd = accept(listener, NULL, NULL);
  if (fd < 0)
    return -1;
  struct conn *c = calloc(1, sizeof *c);
  if (!c) {
    close(fd);
    return -1;
  }
  c->fd = fd;
  register_conn(c);
  return 0;
}

/* A wrapper of the file that closes its parameter. */
static void close_quietly(int fd) {
  if (fd >= 0)
    close(fd);
}

int probe(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return 0;
  close_quietly(fd);
  return 1;
}

/* Passed to an unknown function that may keep it. */
extern int event_add_fd(int fd);

int watch(const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0)
    return -1;
  if (event_add_fd(fd) < 0)
    return -1;
  return 0;
}

/* Stored in a global. */
void open_log(const char *path) {
  int fd = open(path, O_WRONLY | O_APPEND);
  if (fd < 0)
    return;
  global_fd = fd;
}

/* A user function named open that is not the C library's. */
struct door {
  int fd;
};
static int opendoor(struct door *d) { return d->fd; }
static int creat_door(int x) { return x * 2; }

int use_door(struct door *d) {
  int fd = opendoor(d);
  int y = creat_door(fd);
  if (y < 0)
    return -1;
  return 0;
}

/* Exits on the error path: the process ends. */
int must_open(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    perror(path);
    exit(1);
  }
  return fd;
}

/* Returned through an out-parameter. */
int open_out(const char *path, int *out) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  *out = fd;
  return 0;
}

/* A retry loop with a backward goto: not followed. */
int open_retry(const char *path) {
  int fd;
again:
  fd = open(path, O_RDONLY);
  if (fd < 0 && errno == EINTR)
    goto again;
  if (fd < 0)
    return -1;
  if (lseek(fd, 0, SEEK_END) < 0)
    return -1;
  return fd;
}

/* Closed in every case of a loop. */
void drain(int listener, int n) {
  for (int i = 0; i < n; i++) {
    int c = accept(listener, NULL, NULL);
    if (c < 0)
      continue;
    write(c, "bye\n", 4);
    close(c);
  }
}

/* A function of the file that returns a fresh socket, closed by its caller. */
static int open_listener(unsigned short port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0)
    return -1;
  (void)port;
  return s;
}

int serve(unsigned short port) {
  int s = open_listener(port);
  if (s < 0)
    return -1;
  if (listen(s, 16) < 0) {
    close(s);
    return -1;
  }
  close(s);
  return 0;
}

int main(int argc, char **argv) {
  int fd = open(argc > 1 ? argv[1] : "/dev/null", O_RDONLY);
  if (fd < 0)
    return 1;
  return 0;
}

/* A function of the file that never returns ends the path. */
static void serve_forever(int fd) {
  char buf[512];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0)
      exit(1);
    write(1, buf, (size_t)n);
  }
}

void relay(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return;
  serve_forever(fd);
}

/* Closed through a struct pollfd field after the wait. */
int wait_then_close(int fd0) {
  int fd = dup(fd0);
  if (fd < 0)
    return -1;
  struct pollfd pfd;
  pfd.fd = fd;
  pfd.events = POLLIN;
  int rc = poll(&pfd, 1, 100);
  close(fd);
  return rc;
}

/* for (init; ; inc) never ends but through exit. */
static void pump(int fd) {
  char buf[64];
  for (int seq = 0;; seq++) {
    if (read(fd, buf, sizeof buf) <= 0)
      exit(seq > 0 ? 0 : 1);
  }
}

void pump_file(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return;
  pump(fd);
}

/* A cleanup attribute closes it at scope exit (systemd's _cleanup_close_). */
static void closep(int *fd) {
  if (*fd >= 0)
    close(*fd);
}

int first_line_len(const char *path) {
  __attribute__((cleanup(closep))) int fd = open(path, O_RDONLY);
  char buf[128];
  if (fd < 0)
    return -1;
  if (read(fd, buf, sizeof buf) <= 0)
    return -1;
  return (int)strcspn(buf, "\n");
}
