/* reader.h - the one way omen reads source: editor overlays first, then disk, with limits. */
#ifndef OMEN_READER_H
#define OMEN_READER_H

#include <stddef.h>

#include "omen.h"

typedef struct omen_reader omen_reader;

#define OMEN_MAX_FILE_SIZE_DEFAULT ((size_t)8 << 20)

/* Caller frees with omen_reader_free. NULL when out of memory. max_size 0: default (8 MiB). */
omen_reader *omen_reader_new(size_t max_size);
void omen_reader_free(omen_reader *r); /* accepts NULL */

/* Sets (copies) or removes the unsaved contents of path. Not to be called while a run reads. */
omen_status omen_reader_set_overlay(omen_reader *r, const char *path, const char *text, size_t len);
omen_status omen_reader_remove_overlay(omen_reader *r, const char *path);

/* Overlays, for front ends that take unsaved files (libclang). Paths are absolute; owned by r. */
size_t omen_reader_noverlays(const omen_reader *r);
/* Does path have an overlay (a buffer that may never have been saved)? */
bool omen_reader_has_overlay(const omen_reader *r, const char *path);
void omen_reader_overlay(const omen_reader *r, size_t i, const char **abspath, const char **text, size_t *len);

/* Reads path. On OMEN_OK *out is a new file (caller frees with omen_file_free). Otherwise err
 * says why: OMEN_EIO (cannot read), OMEN_ELIMIT (too large), OMEN_EPARSE (binary: NUL bytes). */
omen_status omen_reader_read(omen_reader *r, const char *path, omen_file **out, char *err, size_t errlen);

/* Absolute, lexically cleaned form of path (caller frees with free). NULL when out of memory. */
char *omen_abspath(const char *path);

/* A file from memory (text is copied). Caller frees with omen_file_free. */
omen_file *omen_file_new(const char *path, const char *text, size_t len);
void omen_file_free(omen_file *f); /* accepts NULL */

#endif
