/* macro.c - reads, growth and decoding hidden in macros, and a header that is missing: no crash,
 * and what the macros hide is not judged. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "no/such/buffer.h" // want "compile-error"

#define GROW(p, n) ((p) = realloc((p), (n)))
#define RECV_ALL(fd, b, n) recv((fd), (b), (n), MSG_WAITALL)
#define FRAME_LEN(h) ntohl((h)->len)

struct hdr {
  uint32_t len;
};

/* The growth is a macro's: its text is the macro's, not judged (silent). */
char *collect(int sock) {
  char tmp[256];
  char *all = NULL;
  size_t len = 0;
  ssize_t n;
  while ((n = recv(sock, tmp, sizeof tmp, 0)) > 0) {
    GROW(all, len + (size_t)n);
    memcpy(all + len, tmp, (size_t)n);
    len += (size_t)n;
  }
  return all;
}

/* The unknown buffer type drops these statements from the tree: silent. */
void feed(int sock, struct sbuf *sb) {
  char tmp[256];
  ssize_t n;
  while ((n = RECV_ALL(sock, tmp, sizeof tmp)) > 0)
    sbuf_append(sb, tmp, n)->dirty = 1;
}

/* Decoded through a macro and allocated from it. */
void *frame(int fd) {
  struct hdr h;
  if (RECV_ALL(fd, &h, sizeof h) != (ssize_t)sizeof h)
    return NULL;
  uint32_t n = FRAME_LEN(&h);
  return malloc(n); // want "alloc-from-wire-length: the size comes from `n`"
}
