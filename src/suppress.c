/* suppress.c - suppression comments (see suppress.h). Placeholder: being written. */
#include "suppress.h"

#include <stdlib.h>

omen_status omen_ignores_scan(const omen_file *f, unsigned lang, omen_ignores *out) {
  (void)f, (void)lang;
  out->v = NULL;
  out->n = 0;
  return OMEN_OK;
}

void omen_ignores_free(omen_ignores *ig) {
  free(ig->v);
  ig->v = NULL;
  ig->n = 0;
}

bool omen_ignore_names(const omen_ignore *ig, const char *rule_id) {
  (void)ig, (void)rule_id;
  return false;
}

omen_status omen_ignores_apply(omen_ignores *ig, const char *path, omen_diag *diags, size_t n) {
  (void)ig, (void)path, (void)diags, (void)n;
  return OMEN_OK;
}
