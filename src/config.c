/* config.c - .omen.yml (see config.h). Placeholder: being written. */
#include "config.h"

#include <stdlib.h>

omen_status omen_config_load(const char *path, omen_config **out, char *err, size_t errlen) {
  *out = NULL;
  snprintf(err, errlen, "%s: configuration files are not supported yet", path);
  return OMEN_EUSAGE;
}

omen_status omen_config_parse(const char *path, const char *text, size_t len, omen_config **out, char *err,
                              size_t errlen) {
  (void)text, (void)len;
  return omen_config_load(path, out, err, errlen);
}

void omen_config_free(omen_config *c) { (void)c; }
bool omen_config_find(const char *start, char *out, size_t outlen) {
  (void)start, (void)out, (void)outlen;
  return false;
}
const char *omen_config_path(const omen_config *c) { (void)c; return ""; }
const char *omen_config_dir(const omen_config *c) { (void)c; return "."; }
bool omen_config_analyzer_on(const omen_config *c, const char *name) { (void)c, (void)name; return true; }
bool omen_config_has_enable_list(const omen_config *c) { (void)c; return false; }
bool omen_config_rule_severity(const omen_config *c, const char *path, const omen_rule *rule, omen_severity *sev) {
  (void)c, (void)path;
  *sev = rule->severity;
  return true;
}
bool omen_config_excluded(const omen_config *c, const char *path) { (void)c, (void)path; return false; }
bool omen_config_fail_on(const omen_config *c, omen_severity *out) { (void)c, (void)out; return false; }
bool omen_config_include_generated(const omen_config *c, bool *out) { (void)c, (void)out; return false; }
const char *omen_config_rule_option(const omen_config *c, const omen_rule *rule, const char *name) {
  (void)c, (void)rule, (void)name;
  return NULL;
}
omen_status omen_config_show(const omen_config *c, const char *path, FILE *out) {
  (void)c, (void)path, (void)out;
  return OMEN_OK;
}
const char *omen_config_starter(void) { return "version: 1\n"; }
bool omen_glob_match(const char *pattern, const char *path) { (void)pattern, (void)path; return false; }
bool omen_parse_duration(const char *s, long long *ns) { (void)s, (void)ns; return false; }
bool omen_parse_bytes(const char *s, long long *bytes) { (void)s, (void)bytes; return false; }
