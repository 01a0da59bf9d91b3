/* output.h - writers for text, JSON and SARIF; they know nothing of languages. */
#ifndef OMEN_OUTPUT_H
#define OMEN_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "driver.h"

typedef enum omen_format { OMEN_FORMAT_TEXT, OMEN_FORMAT_JSON, OMEN_FORMAT_SARIF } omen_format;

bool omen_format_parse(const char *s, omen_format *out);

typedef struct omen_output_opts {
  bool color; /* ANSI colour (text only); the caller decides (terminal and NO_COLOR unset) */
  bool quiet; /* text: no summary line */
  int exit_code; /* recorded in SARIF invocations */
} omen_output_opts;

omen_status omen_write_text(FILE *out, const omen_result *r, const omen_output_opts *o);
omen_status omen_write_json(FILE *out, const omen_result *r, const omen_output_opts *o);
omen_status omen_write_sarif(FILE *out, const omen_result *r, const omen_output_opts *o);
omen_status omen_write(omen_format f, FILE *out, const omen_result *r, const omen_output_opts *o);

#endif
