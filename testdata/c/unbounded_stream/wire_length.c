/* wire_length.c - allocations sized by a length prefix read from the peer. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FRAME (16u << 20)

struct frame_hdr {
  uint32_t len;
  uint16_t type;
  uint16_t flags;
};

struct msg {
  uint32_t len;
  char *data;
};

/* The classic length-prefixed read. */
char *read_frame(int fd, uint32_t *out_len) {
  struct frame_hdr hdr;
  if (recv(fd, &hdr, sizeof hdr, MSG_WAITALL) != (ssize_t)sizeof hdr)
    return NULL;
  uint32_t len = ntohl(hdr.len);
  char *body =
      malloc(len); // want "alloc-from-wire-length: the size comes from `len`, a length the peer wrote"
  if (!body)
    return NULL;
  if (recv(fd, body, len, MSG_WAITALL) != (ssize_t)len) {
    free(body);
    return NULL;
  }
  *out_len = len;
  return body;
}

/* Decoded straight into the allocation. */
char *read_blob(int fd) {
  uint32_t be;
  if (read(fd, &be, sizeof be) != (ssize_t)sizeof be)
    return NULL;
  return calloc(1, ntohl(be) + 1); // want "alloc-from-wire-length: the size is a length the peer wrote"
}

/* A 64-bit length with be64toh, stored in a field. */
int read_msg(int fd, struct msg *m) {
  uint64_t raw;
  if (recv(fd, &raw, sizeof raw, MSG_WAITALL) != (ssize_t)sizeof raw)
    return -1;
  uint64_t n = be64toh(raw);
  m->data = malloc(n + 1); // want "alloc-from-wire-length: the size comes from `n`"
  return m->data ? 0 : -1;
}

/* Decoded in place into the header, then used to grow a buffer. */
int grow_for(int fd, struct msg *m) {
  struct frame_hdr h;
  if (recv(fd, &h, sizeof h, MSG_WAITALL) != (ssize_t)sizeof h)
    return -1;
  h.len = ntohl(h.len);
  char *p = realloc(m->data, h.len); // want "alloc-from-wire-length: the size comes from `h.len`"
  if (!p)
    return -1;
  m->data = p;
  return 0;
}

/* An array of records whose count the peer sends. */
uint32_t *read_ids(int fd, uint32_t *count) {
  uint32_t c;
  if (recv(fd, &c, sizeof c, MSG_WAITALL) != (ssize_t)sizeof c)
    return NULL;
  *count = ntohl(c);
  uint32_t nids = ntohl(c);
  uint32_t *ids = calloc(nids, sizeof *ids); // want "alloc-from-wire-length: the size comes from `nids`"
  return ids;
}

void *xmalloc(size_t n);

/* The project's allocation wrapper. */
void *read_record(int fd) {
  uint32_t be;
  if (recv(fd, &be, sizeof be, MSG_WAITALL) != (ssize_t)sizeof be)
    return NULL;
  uint32_t rec_len = be32toh(be);
  return xmalloc(rec_len); // want "alloc-from-wire-length: the size comes from `rec_len`"
}

/* ---- silent look-alikes ---- */

/* Checked against a protocol maximum. */
char *read_frame_checked(int fd, uint32_t *out_len) {
  struct frame_hdr hdr;
  if (recv(fd, &hdr, sizeof hdr, MSG_WAITALL) != (ssize_t)sizeof hdr)
    return NULL;
  uint32_t len = ntohl(hdr.len);
  if (len > MAX_FRAME)
    return NULL;
  char *body = malloc(len);
  *out_len = len;
  return body;
}

/* Checked in the same statement that decodes it. */
char *read_blob_checked(int fd, size_t max_len) {
  uint32_t be, len;
  if (read(fd, &be, sizeof be) != (ssize_t)sizeof be)
    return NULL;
  if ((len = ntohl(be)) > max_len)
    return NULL;
  return malloc(len + 1);
}

/* A 16-bit length cannot exceed 64 KiB. */
char *read_small(int fd) {
  uint16_t be;
  if (read(fd, &be, sizeof be) != (ssize_t)sizeof be)
    return NULL;
  uint16_t len = ntohs(be);
  return malloc(len);
}

/* Compared with the bytes actually available. */
char *parse_record(const unsigned char *pkt, size_t avail) {
  uint32_t len;
  memcpy(&len, pkt, sizeof len);
  len = ntohl(len);
  if (len > avail - sizeof len)
    return NULL;
  char *out = malloc(len);
  if (out)
    memcpy(out, pkt + sizeof len, len);
  return out;
}

/* Clamped before the allocation. */
char *read_clamped(int fd) {
  uint32_t be;
  if (read(fd, &be, sizeof be) != (ssize_t)sizeof be)
    return NULL;
  uint32_t len = ntohl(be);
  len = len < MAX_FRAME ? len : MAX_FRAME;
  return malloc(len);
}

/* Decoded value used for something else than a size. */
void *read_tagged(int fd) {
  uint32_t be;
  if (read(fd, &be, sizeof be) != (ssize_t)sizeof be)
    return NULL;
  uint32_t tag = ntohl(be);
  void *p = malloc(64);
  if (p)
    memcpy(p, &tag, sizeof tag);
  return p;
}
