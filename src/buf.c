/* buf.c - growable byte buffer with a cap. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_DEFAULT_MAX ((size_t)1 << 30)

void omen_buf_init(omen_buf *b, size_t max) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->max = max ? max : BUF_DEFAULT_MAX;
}

void omen_buf_free(omen_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void omen_buf_reset(omen_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

static omen_status grow(omen_buf *b, size_t need) {
  if (b->max == 0)
    b->max = BUF_DEFAULT_MAX;
  if (need > b->max)
    return OMEN_ELIMIT;
  if (need + 1 <= b->cap)
    return OMEN_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need + 1)
    cap *= 2;
  if (cap > b->max + 1)
    cap = b->max + 1;
  char *p = realloc(b->data, cap);
  if (!p)
    return OMEN_ENOMEM;
  b->data = p;
  b->cap = cap;
  return OMEN_OK;
}

omen_status omen_buf_add(omen_buf *b, const void *data, size_t n) {
  if (n > SIZE_MAX - b->len - 1)
    return OMEN_ELIMIT;
  omen_status s = grow(b, b->len + n);
  if (s != OMEN_OK)
    return s;
  if (n)
    memcpy(b->data + b->len, data, n);
  b->len += n;
  b->data[b->len] = '\0';
  return OMEN_OK;
}

omen_status omen_buf_adds(omen_buf *b, const char *s) { return omen_buf_add(b, s, strlen(s)); }

omen_status omen_buf_addc(omen_buf *b, char c) { return omen_buf_add(b, &c, 1); }

omen_status omen_buf_vprintf(omen_buf *b, const char *fmt, va_list ap) {
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if (n < 0)
    return OMEN_EINTERNAL;
  omen_status s = grow(b, b->len + (size_t)n);
  if (s != OMEN_OK)
    return s;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return OMEN_OK;
}

omen_status omen_buf_printf(omen_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  omen_status s = omen_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return s;
}

char *omen_buf_take(omen_buf *b) {
  char *p = b->data;
  if (!p)
    p = calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}
