/* out_ci.c - the CI-native formats: GitHub Actions workflow commands, GitLab Code Quality JSON and
 * Checkstyle XML. Placeholder: being written. */
#include "output.h"

omen_status omen_write_github(FILE *out, const omen_result *r, const omen_output_opts *o) {
  (void)out, (void)r, (void)o;
  return OMEN_EUSAGE;
}

omen_status omen_write_gitlab(FILE *out, const omen_result *r, const omen_output_opts *o) {
  (void)out, (void)r, (void)o;
  return OMEN_EUSAGE;
}

omen_status omen_write_checkstyle(FILE *out, const omen_result *r, const omen_output_opts *o) {
  (void)out, (void)r, (void)o;
  return OMEN_EUSAGE;
}
