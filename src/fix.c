/* fix.c - STUB (to be written). */
#include "fix.h"

void omen_fix_report_free(omen_fix_report *rep) { (void)rep; }
omen_status omen_fixes_diff(const omen_result *r, bool unsafe, FILE *out) { return OMEN_OK; }
omen_status omen_fixes_apply(const omen_result *r, bool unsafe, omen_reader *reader, omen_fix_report *rep) {
  return OMEN_OK;
}
