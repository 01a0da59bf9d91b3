/* buf.h - growable byte buffer with a hard cap (curl's dynbuf idea): fails cleanly past it. */
#ifndef OMEN_BUF_H
#define OMEN_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "omen.h"

typedef struct omen_buf {
  char *data; /* NUL-terminated when len > 0 or after any append; caller frees with omen_buf_free */
  size_t len, cap, max;
} omen_buf;

/* max is the largest length the buffer may reach (0: 1 GiB). */
void omen_buf_init(omen_buf *b, size_t max);
void omen_buf_free(omen_buf *b); /* accepts a zeroed buffer */
void omen_buf_reset(omen_buf *b);
omen_status omen_buf_add(omen_buf *b, const void *data, size_t n);
omen_status omen_buf_adds(omen_buf *b, const char *s);
omen_status omen_buf_addc(omen_buf *b, char c);
omen_status omen_buf_printf(omen_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
omen_status omen_buf_vprintf(omen_buf *b, const char *fmt, va_list ap);
/* Hands the data to the caller (free with free()); the buffer is left empty. */
char *omen_buf_take(omen_buf *b);

#endif
