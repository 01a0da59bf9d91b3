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

/* Fills d->fingerprint and d->line_fingerprint from f, the file d->loc is in. */
void omen_diag_fingerprint(omen_diag *d, const omen_file *f);

typedef struct omen_baseline omen_baseline;

/* Loads a report written by an earlier run: omen's JSON (--format json) or SARIF 2.1.0 (ours, or any
 * tool's results with partialFingerprints "omen/v1"). Findings without fingerprints are matched by
 * rule, path and message. OMEN_EUSAGE with "PATH: message" in err when it is neither. */
omen_status omen_baseline_load(const char *path, omen_baseline **out, char *err, size_t errlen);
void omen_baseline_free(omen_baseline *b);
/* Number of findings it holds. */
size_t omen_baseline_size(const omen_baseline *b);

/* Removes from diags[0..*n) (freeing them) the findings the baseline holds, keeping order: each
 * baseline entry matches at most one finding (a repeated finding beyond the baseline's count is
 * new). First by path and fingerprint, then by path and line fingerprint, then (for a renamed file)
 * by fingerprint alone. Suppressed diagnostics are left as they are. Returns how many were
 * removed. */
size_t omen_baseline_filter(omen_baseline *b, omen_diag *diags, size_t *n);

/* Lines changed since a git revision. */
typedef struct omen_changes omen_changes;

/* Runs `git diff --no-ext-diff -U0 REV --` in the repository around the current directory (and
 * `git ls-files --others --exclude-standard` for untracked files, which count as all new), and
 * records the added or modified lines per file, with paths as omen shows them (relative to the
 * current directory). OMEN_EUSAGE with git's message in err when REV is unknown or this is not a
 * repository; OMEN_EIO when git cannot run. */
omen_status omen_changes_since(const char *rev, omen_changes **out, char *err, size_t errlen);
void omen_changes_free(omen_changes *c);
/* Was line (1-based) of path (as omen shows it) added or changed? */
bool omen_changes_has(const omen_changes *c, const char *path, uint32_t line);

/* Removes from diags[0..*n) (freeing them) findings whose start line did not change; returns how
 * many. Engine diagnostics (omen/...) are kept. */
size_t omen_changes_filter(const omen_changes *c, omen_diag *diags, size_t *n);

#endif
