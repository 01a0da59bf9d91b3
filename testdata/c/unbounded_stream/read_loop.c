/* read_loop.c - buffers grown from what a peer sends, with and without a cap. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "include/openssl/ssl.h"

#define MAX_REQUEST (1 << 20)

struct conn {
  int fd;
  char *in;
  size_t inlen;
};

/* An HTTP server reading the whole request before parsing it. */
char *read_request(int fd, size_t *out_len) {
  char chunk[4096];
  char *buf = NULL;
  size_t len = 0;
  for (;;) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0)
      break;
    char *nb = realloc(buf, len + (size_t)n); // want "read-loop-grows-buffer: `buf` grows with every read from the peer"
    if (!nb) {
      free(buf);
      return NULL;
    }
    buf = nb;
    memcpy(buf + len, chunk, (size_t)n);
    len += (size_t)n;
  }
  *out_len = len;
  return buf;
}

/* Capacity doubling is not a limit: the comparison is with the capacity, which grows too. */
char *slurp_socket(int sock, size_t *out_len) {
  size_t cap = 1024, len = 0;
  char *buf = malloc(cap);
  ssize_t n;
  if (!buf)
    return NULL;
  while ((n = read(sock, buf + len, cap - len)) > 0) {
    len += (size_t)n;
    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap); // want "read-loop-grows-buffer: `buf` grows"
      if (!buf)
        return NULL;
    }
  }
  *out_len = len;
  return buf;
}

/* A TLS client reading a response body until the server closes. */
int read_body(SSL *ssl, struct conn *c) {
  char tmp[2048];
  int n;
  while ((n = SSL_read(ssl, tmp, sizeof tmp)) > 0) {
    c->in = realloc(c->in, c->inlen + (size_t)n); // want "read-loop-grows-buffer: `c->in` grows"
    memcpy(c->in + c->inlen, tmp, (size_t)n);
    c->inlen += (size_t)n;
  }
  return n;
}

/* A descriptor from accept, read with read(2). */
char *read_client(int lfd, size_t *out_len) {
  int cfd = accept(lfd, NULL, NULL);
  char tmp[512];
  char *msg = NULL;
  size_t len = 0;
  ssize_t n;
  if (cfd < 0)
    return NULL;
  do {
    n = read(cfd, tmp, sizeof tmp);
    if (n > 0) {
      msg = realloc(msg, len + (size_t)n + 1); // want "read-loop-grows-buffer: `msg` grows"
      memcpy(msg + len, tmp, (size_t)n);
      len += (size_t)n;
    }
  } while (n > 0);
  close(cfd);
  *out_len = len;
  return msg;
}

/* A line protocol over a socket wrapped in stdio. */
char *read_lines(int sock) {
  FILE *in = fdopen(sock, "r");
  char line[256];
  char *all = NULL;
  size_t len = 0;
  if (!in)
    return NULL;
  while (fgets(line, sizeof line, in)) {
    size_t n = strlen(line);
    all = realloc(all, len + n + 1); // want "read-loop-grows-buffer: `all` grows"
    memcpy(all + len, line, n + 1);
    len += n;
  }
  fclose(in);
  return all;
}

void *xrealloc(void *p, size_t n);

/* The project's allocation wrapper grows it just the same. */
char *read_reply(int conn_fd, size_t *out_len) {
  char tmp[1024];
  char *reply = NULL;
  size_t len = 0;
  ssize_t n;
  while ((n = recv(conn_fd, tmp, sizeof tmp, 0)) > 0) {
    reply = xrealloc(reply, len + (size_t)n); // want "read-loop-grows-buffer: `reply` grows"
    memcpy(reply + len, tmp, (size_t)n);
    len += (size_t)n;
  }
  *out_len = len;
  return reply;
}

/* Appending with memmove is still appending. */
char *recv_all(int sckt, char *chunk, size_t chunk_size) {
  ssize_t got;
  size_t total = 0;
  char *all = malloc(1);
  while ((got = recv(sckt, chunk, chunk_size, 0)) > 0) {
    total += (size_t)got;
    all = realloc(all, total); // want "read-loop-grows-buffer: `all` grows"
    memmove(&all[total - (size_t)got], chunk, (size_t)got);
  }
  return all;
}

/* ---- silent look-alikes ---- */

/* The same loop with a cap on the request size. */
char *read_request_capped(int fd, size_t *out_len) {
  char chunk[4096];
  char *buf = NULL;
  size_t len = 0;
  for (;;) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0)
      break;
    if (len + (size_t)n > MAX_REQUEST) {
      free(buf);
      return NULL;
    }
    char *nb = realloc(buf, len + (size_t)n);
    if (!nb) {
      free(buf);
      return NULL;
    }
    buf = nb;
    memcpy(buf + len, chunk, (size_t)n);
    len += (size_t)n;
  }
  *out_len = len;
  return buf;
}

/* A cap held in a variable named as a limit. */
char *slurp_limited(int sock, size_t max_size) {
  size_t cap = 1024, len = 0;
  char *buf = malloc(cap);
  ssize_t n;
  if (!buf)
    return NULL;
  while ((n = read(sock, buf + len, cap - len)) > 0) {
    len += (size_t)n;
    if (len >= max_size)
      break;
    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf)
        return NULL;
    }
  }
  return buf;
}

/* A local file the program opens by path: its content is the operator's. */
char *read_config(const char *path) {
  FILE *f = fopen(path, "r");
  char line[256];
  char *all = NULL;
  size_t len = 0;
  if (!f)
    return NULL;
  while (fgets(line, sizeof line, f)) {
    size_t n = strlen(line);
    all = realloc(all, len + n + 1);
    memcpy(all + len, line, n + 1);
    len += n;
  }
  fclose(f);
  return all;
}

/* read(2) on a descriptor that is a pipe or a file, not a socket. */
char *read_pipe(int fd) {
  char tmp[512];
  char *out = NULL;
  size_t len = 0;
  ssize_t n;
  while ((n = read(fd, tmp, sizeof tmp)) > 0) {
    out = realloc(out, len + (size_t)n + 1);
    memcpy(out + len, tmp, (size_t)n);
    len += (size_t)n;
  }
  return out;
}

/* A fixed buffer filled from the socket: it cannot grow. */
ssize_t read_fixed(int fd, char *buf, size_t size) {
  size_t len = 0;
  ssize_t n;
  while (len < size && (n = recv(fd, buf + len, size - len, 0)) > 0)
    len += (size_t)n;
  return (ssize_t)len;
}

/* A reassembly buffer that is consumed as messages complete. */
void pump(struct conn *c, void (*deliver)(const char *, size_t)) {
  char tmp[1024];
  ssize_t n;
  while ((n = recv(c->fd, tmp, sizeof tmp, 0)) > 0) {
    c->in = realloc(c->in, c->inlen + (size_t)n);
    memcpy(c->in + c->inlen, tmp, (size_t)n);
    c->inlen += (size_t)n;
    char *nl = memchr(c->in, '\n', c->inlen);
    if (nl) {
      size_t used = (size_t)(nl - c->in) + 1;
      deliver(c->in, used);
      memmove(c->in, c->in + used, c->inlen - used);
      c->inlen -= used;
    }
  }
}
