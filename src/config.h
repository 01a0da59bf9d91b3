// config.h - .omen.yml: which analyzers and rules run, at which severity, on which paths, with which
// options. Parsed with libyaml; every mistake is an error naming the file, line and column.
//
// The format (docs/configuration.md has the full reference; `omen config init` writes a commented
// starter):
//
//   version: 1                       # optional; 1 is the only version
//   fail-on: warning                 # error | warning | note: lowest severity that fails the run
//   include-generated: false
//   exclude: ["vendor/**", "**/*.pb.go"]      # globs, relative to the file's directory
//   analyzers:
//     disable: [go-map-race]         # or enable: [...] to run only those (plus what they require)
//   rules:
//     thread-leak: off               # a family: off | error | warning | note
//     missing-timeout/http-no-timeout:
//       severity: error              # a rule: a severity (or off) alone, or a mapping
//       options: {timeout: 30s}      # options the rule declares (omen_rule.options)
//   overrides:                       # applied in order after `rules`; later ones win
//     - paths: ["**/*_test.go", "examples/**"]
//       rules: {map-race/unguarded-read: off, thread-leak: note}
//
// Globs: `*` and `?` stay within a path segment, `**` spans segments (`a/**` is everything under
// a, `**/x` is x in any directory), a pattern without `/` matches the base name anywhere, a
// trailing `/` matches a directory and everything under it. Paths are matched relative to the
// directory holding the configuration file.
#ifndef OMEN_CONFIG_H
#define OMEN_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "omen.h"

typedef struct omen_config omen_config;

#define OMEN_CONFIG_NAME ".omen.yml"

/* Loads and validates path. On error returns OMEN_EUSAGE (invalid), OMEN_EIO (unreadable) or
 * OMEN_ENOMEM, with "PATH:LINE:COL: message" in err (LINE:COL omitted when there is no position).
 * Unknown keys, wrong types, unknown analyzers, families, rule ids or option names, bad option
 * values and bad globs are errors. */
omen_status omen_config_load(const char *path, omen_config **out, char *err, size_t errlen);
/* The same from text in memory (path only names it in messages; its directory is the base of the
 * globs). */
omen_status omen_config_parse(const char *path, const char *text, size_t len, omen_config **out, char *err,
                              size_t errlen);
void omen_config_free(omen_config *c);

/* The nearest .omen.yml at or above start (a file or directory), into out; false if none. Stops at
 * the filesystem root. */
bool omen_config_find(const char *start, char *out, size_t outlen);

/* The file it was loaded from, and the directory globs are relative to. */
const char *omen_config_path(const omen_config *c);
const char *omen_config_dir(const omen_config *c);

/* analyzers.enable / analyzers.disable: is analyzer name switched on by the file (true when the file
 * says nothing about it)? With an enable list only those listed are on; the caller adds what they
 * require. */
bool omen_config_analyzer_on(const omen_config *c, const char *name);
/* Does the file have an analyzers.enable list? */
bool omen_config_has_enable_list(const omen_config *c);

/* The severity rule gets at path (as given to omen: relative to the current directory, or
 * absolute), after `rules` and the overrides matching path: false when the rule is off there. A rule
 * the file does not mention keeps its default severity. */
bool omen_config_rule_severity(const omen_config *c, const char *path, const omen_rule *rule, omen_severity *sev);

/* Is path excluded by `exclude`? (path as given to omen) */
bool omen_config_excluded(const omen_config *c, const char *path);

/* fail-on and include-generated, when the file sets them. */
bool omen_config_fail_on(const omen_config *c, omen_severity *out);
bool omen_config_include_generated(const omen_config *c, bool *out);

/* The value of option name of rule (validated at load), or the option's default; NULL when the
 * rule declares no such option. Owned by c (or static). */
const char *omen_config_rule_option(const omen_config *c, const omen_rule *rule, const char *name);

/* Prints the effective configuration for path as YAML: every analyzer on or off, every rule's
 * severity (or off) at path with the source of that setting as a comment, options with their
 * values, excludes, fail-on. c may be NULL (the defaults). */
omen_status omen_config_show(const omen_config *c, const char *path, FILE *out);

/* A commented starter .omen.yml listing every family and the rules' options. */
const char *omen_config_starter(void);

/* Glob matching as described above; path and pattern use '/'. Exposed for the tests. */
bool omen_glob_match(const char *pattern, const char *path);

/* Option values: parse a duration ("1m30s") to nanoseconds and a size ("512KiB") to bytes; false
 * when malformed or out of range. */
bool omen_parse_duration(const char *s, long long *ns);
bool omen_parse_bytes(const char *s, long long *bytes);

#endif
