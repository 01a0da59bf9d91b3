/* arena.h - bump allocator for per-unit data; everything is freed at once with the unit. */
#ifndef OMEN_ARENA_H
#define OMEN_ARENA_H

#include <stddef.h>

typedef struct omen_arena omen_arena;

/* Caller frees with omen_arena_free. NULL when out of memory. */
omen_arena *omen_arena_new(void);
void omen_arena_free(omen_arena *a); /* accepts NULL */

/* Zeroed memory owned by the arena, aligned for any type; NULL when out of memory. */
void *omen_arena_alloc(omen_arena *a, size_t size);
char *omen_arena_strndup(omen_arena *a, const char *s, size_t n);
char *omen_arena_strdup(omen_arena *a, const char *s);
char *omen_arena_printf(omen_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t omen_arena_used(const omen_arena *a);

#endif
