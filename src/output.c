/* output.c - STUB: format dispatch (to be written). */
#include "output.h"

#include <string.h>

bool omen_format_parse(const char *s, omen_format *out) {
  if (strcmp(s, "text") == 0)
    *out = OMEN_FORMAT_TEXT;
  else if (strcmp(s, "json") == 0)
    *out = OMEN_FORMAT_JSON;
  else if (strcmp(s, "sarif") == 0)
    *out = OMEN_FORMAT_SARIF;
  else
    return false;
  return true;
}

omen_status omen_write(omen_format f, FILE *out, const omen_result *r, const omen_output_opts *o) {
  (void)f;
  (void)o;
  for (size_t i = 0; i < r->ndiags; i++) {
    const omen_diag *d = &r->diags[i];
    fprintf(out, "%s:%u:%u: %s: %s [%s]\n", d->loc.path, d->loc.start_pos.line, d->loc.start_pos.col,
            omen_severity_str(d->severity), d->message, d->rule->id);
  }
  return OMEN_OK;
}
