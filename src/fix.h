/* fix.h - choosing fixes, printing them as unified diffs, applying them safely. */
#ifndef OMEN_FIX_H
#define OMEN_FIX_H

#include <stdbool.h>
#include <stdio.h>

#include "driver.h"
#include "reader.h"

/* What applying fixes did, per file. */
typedef struct omen_fix_outcome {
  char *path;
  size_t applied;   /* fixes applied */
  size_t skipped;   /* fixes left out (overlap, failed re-parse, file changed) */
  char *error;      /* NULL, or why the file was not written */
} omen_fix_outcome;

typedef struct omen_fix_report {
  omen_fix_outcome *files;
  size_t nfiles;
  bool *fixed; /* parallel to the result's diags: its fix is now in the file */
} omen_fix_report;

void omen_fix_report_free(omen_fix_report *rep);

/* Applies edits (sorted by start, non-overlapping) to text; caller frees *out with free(). */
omen_status omen_edits_apply(const char *text, size_t len, const omen_edit *edits, size_t nedits, char **out,
                             size_t *outlen);

/* Writes a unified diff (a/ b/ prefixes) of the chosen fixes of r to out. */
omen_status omen_fixes_diff(const omen_result *r, bool unsafe, FILE *out);

/* Applies the chosen fixes: per diagnostic the first fix allowed (safe, or any with unsafe);
 * a fix overlapping one already chosen is skipped. A file is written only if its content is
 * still the snapshot, and the result re-parses no worse than the original; writes are atomic
 * (temporary file in the same directory, fsync, rename, mode kept). */
omen_status omen_fixes_apply(const omen_result *r, bool unsafe, omen_reader *reader, omen_fix_report *rep);

#endif
