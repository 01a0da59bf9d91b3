/* output.h - writers for text, JSON, SARIF and the CI formats; they know nothing of languages. */
#ifndef OMEN_OUTPUT_H
#define OMEN_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "driver.h"

typedef enum omen_format {
  OMEN_FORMAT_TEXT,
  OMEN_FORMAT_JSON,
  OMEN_FORMAT_SARIF,
  OMEN_FORMAT_GITHUB,     /* GitHub Actions workflow commands (::error file=...::message) */
  OMEN_FORMAT_GITLAB,     /* GitLab Code Quality (Code Climate issues) JSON */
  OMEN_FORMAT_CHECKSTYLE, /* Checkstyle XML */
} omen_format;

/* "text", "json", "sarif", "github", "gitlab", "checkstyle". */
bool omen_format_parse(const char *s, omen_format *out);
const char *omen_format_name(omen_format f);

/* Caps on a SARIF report. A zero field takes the default: GitHub code scanning's documented limits
 * (docs/outputs.md). Past a cap the writer leaves results out (keeping unsuppressed before suppressed,
 * errors before warnings before notes, then report order) or related locations (the last ones), and
 * says what it left out in a notification of the run's invocation. */
typedef struct omen_sarif_limits {
  size_t max_results;    /* results per run (default 25,000) */
  size_t max_related;    /* relatedLocations per result (default 999: 1,000 locations in all) */
  size_t max_gzip_bytes; /* the report gzip-compressed (default 8,000,000; GitHub rejects > 10 MB) */
} omen_sarif_limits;

typedef struct omen_output_opts {
  bool color;                  /* ANSI colour (text only); the caller decides (terminal and NO_COLOR unset) */
  bool quiet;                  /* text: no summary line */
  int exit_code;               /* recorded in SARIF invocations */
  double start_time, end_time; /* of the run, seconds since the epoch (SARIF invocation); 0: unknown */
  size_t nbaselined;           /* findings left out because the baseline holds them */
  size_t nunchanged;           /* findings left out by --new-from-rev (on lines not changed) */
  omen_sarif_limits sarif_limits; /* zero: GitHub's limits */
} omen_output_opts;

/* Suppressed diagnostics (d->suppressed) appear only in SARIF (with a suppressions entry) and JSON
 * (with "suppressed"); the other formats leave them out, and the text summary counts them. */
omen_status omen_write_text(FILE *out, const omen_result *r, const omen_output_opts *o);
omen_status omen_write_json(FILE *out, const omen_result *r, const omen_output_opts *o);
omen_status omen_write_sarif(FILE *out, const omen_result *r, const omen_output_opts *o);
omen_status omen_write_github(FILE *out, const omen_result *r, const omen_output_opts *o);
omen_status omen_write_gitlab(FILE *out, const omen_result *r, const omen_output_opts *o);
omen_status omen_write_checkstyle(FILE *out, const omen_result *r, const omen_output_opts *o);
omen_status omen_write(omen_format f, FILE *out, const omen_result *r, const omen_output_opts *o);

#endif
