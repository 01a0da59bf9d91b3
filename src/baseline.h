/* baseline.h - fingerprints of findings, baselines (report only what is new since an earlier
 * report), and changed lines since a git revision (--new-from-rev).
 *
 * Fingerprints: 64-bit FNV-1a over the rule id, the enclosing function (d->scope) and the text of
 * the flagged line with the line before and after it, each with whitespace runs collapsed to one
 * space and trimmed (so re-indenting, inserting lines elsewhere or moving the function keeps them),
 * written as 16 lowercase hex digits; the line fingerprint leaves the neighbours out. Both go to
 * SARIF partialFingerprints ("omen/v1", "omenLine/v1") and to the JSON report ("fingerprint",
 * "line_fingerprint"). */
#ifndef OMEN_BASELINE_H
#define OMEN_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "omen.h"

/* Fills d->fingerprint and d->line_fingerprint from f, the file d->loc is in (NULL: the lines count
 * as empty). Exactly: FNV-1a 64 (offset 0xcbf29ce484222325, prime 0x100000001b3) over fields, each
 * its byte length as 8 little-endian bytes followed by its bytes: rule id, scope ("" when NULL),
 * then the lines start_pos.line - 1, start_pos.line and start_pos.line + 1 (only the middle one for
 * the line fingerprint), each with runs of spaces, tabs, CR, VT and FF collapsed to one space and
 * trimmed, empty when out of range. Printed as "%016llx". */
void omen_diag_fingerprint(omen_diag *d, const omen_file *f);

typedef struct omen_baseline omen_baseline;

/* Loads a report written by an earlier run: omen's JSON (--format json) or SARIF 2.1.0 (ours, or any
 * tool's results with partialFingerprints "omen/v1"). Findings without fingerprints are matched by
 * rule, path and message. Relative paths and SARIF URIs are taken as relative to the working
 * directory; file:// URIs and absolute paths under it are made relative. A path may also be a pipe.
 * On OMEN_OK *out is new (caller frees with omen_baseline_free). Errors, with "PATH: message" in err:
 * OMEN_EUSAGE when it is not JSON or neither kind of report, OMEN_EIO when it cannot be read,
 * OMEN_ELIMIT when it is over 256 MiB. */
omen_status omen_baseline_load(const char *path, omen_baseline **out, char *err, size_t errlen);
void omen_baseline_free(omen_baseline *b);
/* Number of findings it holds. */
size_t omen_baseline_size(const omen_baseline *b);
/* Number of its findings that no omen_baseline_filter call has matched yet (fixed since). */
size_t omen_baseline_unused(const omen_baseline *b);

/* Removes from diags[0..*n) (freeing them) the findings the baseline holds, keeping order: each
 * baseline entry matches at most one finding (a repeated finding beyond the baseline's count is
 * new). First by path and fingerprint, then by path and line fingerprint, then (for a renamed file)
 * by fingerprint alone; entries without fingerprints by rule, path and message. Each pass runs over
 * all findings before the next. Suppressed diagnostics are left as they are and use no entry.
 * Returns how many were removed. */
size_t omen_baseline_filter(omen_baseline *b, omen_diag *diags, size_t *n);

/* Lines changed since a git revision. */
typedef struct omen_changes omen_changes;

/* Runs `git diff --no-ext-diff -U0 -M REV --` in the repository around the current directory (and
 * `git ls-files --others --exclude-standard` for untracked files, which count as all new), and
 * records the added or modified lines per file, with paths as omen shows them (relative to the
 * current directory). OMEN_EUSAGE with git's message in err when REV is unknown or this is not a
 * repository; OMEN_EIO when git cannot run. A REV with a leading '-' or a range ("A..B") is
 * OMEN_EUSAGE too: the new lines are those of the files as they are now. Messages in err do not
 * name the option (the caller does). On OMEN_OK *out is new (caller frees with omen_changes_free). */
omen_status omen_changes_since(const char *rev, omen_changes **out, char *err, size_t errlen);
void omen_changes_free(omen_changes *c);
/* Was line (1-based) of path (as omen shows it) added or changed? */
bool omen_changes_has(const omen_changes *c, const char *path, uint32_t line);

/* Removes from diags[0..*n) (freeing them) findings whose start line did not change, keeping order;
 * returns how many. Engine diagnostics (omen/...) and suppressed ones are kept, as by
 * omen_baseline_filter. */
size_t omen_changes_filter(const omen_changes *c, omen_diag *diags, size_t *n);

#endif
