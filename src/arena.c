/* arena.c - bump allocator: chunks grow geometrically, large requests get their own chunk. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
  struct chunk *next;
  size_t size, used;
  max_align_t data[];
} chunk;

struct omen_arena {
  chunk *head;
  size_t total;
};

enum { CHUNK_MIN = 64 * 1024 };

omen_arena *omen_arena_new(void) { return calloc(1, sizeof(omen_arena)); }

void omen_arena_free(omen_arena *a) {
  if (!a)
    return;
  chunk *c = a->head;
  while (c) {
    chunk *n = c->next;
    free(c);
    c = n;
  }
  free(a);
}

void *omen_arena_alloc(omen_arena *a, size_t size) {
  const size_t align = sizeof(max_align_t);
  size = (size + align - 1) & ~(align - 1);
  if (size == 0)
    size = align;
  chunk *c = a->head;
  if (!c || c->size - c->used < size) {
    size_t want = c ? c->size * 2 : CHUNK_MIN;
    if (want > 16 * 1024 * 1024)
      want = 16 * 1024 * 1024;
    if (want < size)
      want = size;
    chunk *n = malloc(sizeof(chunk) + want);
    if (!n)
      return NULL;
    n->size = want;
    n->used = 0;
    if (c && want == size && c->size - c->used > 4096) {
      /* big one-off block: keep the current chunk in front for small allocations */
      n->next = c->next;
      c->next = n;
    } else {
      n->next = c;
      a->head = n;
    }
    c = n;
  }
  void *p = (char *)c->data + c->used;
  c->used += size;
  a->total += size;
  memset(p, 0, size);
  return p;
}

char *omen_arena_strndup(omen_arena *a, const char *s, size_t n) {
  char *p = omen_arena_alloc(a, n + 1);
  if (!p)
    return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *omen_arena_strdup(omen_arena *a, const char *s) { return omen_arena_strndup(a, s, strlen(s)); }

char *omen_arena_printf(omen_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return NULL;
  char *p = omen_arena_alloc(a, (size_t)n + 1);
  if (!p)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

size_t omen_arena_used(const omen_arena *a) { return a->total; }
