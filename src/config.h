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

/* A loaded configuration: read-only once loaded, so every query below may run on any thread. */
typedef struct omen_config omen_config;

#define OMEN_CONFIG_NAME ".omen.yml"
/* Larger files are refused (a configuration is small; a larger file is likely the wrong one). */
#define OMEN_CONFIG_MAX_SIZE ((size_t)1 << 20)

/* Loads and validates path. On error returns OMEN_EUSAGE (invalid), OMEN_EIO (unreadable) or
 * OMEN_ENOMEM, with "PATH:LINE:COL: message" in err (LINE:COL omitted when there is no position).
 * Unknown keys, wrong types, unknown analyzers, families, rule ids or option names, bad option
 * values and bad globs are errors. */
omen_status omen_config_load(const char *path, omen_config **out, char *err, size_t errlen);
/* The same from text in memory (path only names it in messages; its directory is the base of the
 * globs). Also refused: files over OMEN_CONFIG_MAX_SIZE, NUL bytes, invalid UTF-8, YAML anchors and
 * aliases, more than one YAML document, duplicate keys, nesting deeper than 32 levels. Columns in
 * messages count bytes, like omen's diagnostics. */
omen_status omen_config_parse(const char *path, const char *text, size_t len, omen_config **out, char *err,
                              size_t errlen);
/* As omen_config_parse, but rule ids, families and options are checked against rules[0..nrules)
 * instead of omen_rules_all() (the tests use rules that declare options). rules must outlive the
 * configuration. */
omen_status omen_config_parse_rules(const char *path, const char *text, size_t len,
                                    const omen_rule *const *rules, size_t nrules, omen_config **out,
                                    char *err, size_t errlen);
void omen_config_free(omen_config *c); /* accepts NULL */

/* The nearest .omen.yml at or above start (a file or directory), into out; false if none (or if
 * out is too small). Stops at the filesystem root. A start that does not exist counts as a file.
 * out is relative to the working directory when the file is under it, else absolute. */
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
 * the file does not mention keeps its default severity. Order, later winning: the rule's default,
 * its family in `rules`, the rule in `rules`, then each matching override in file order (within
 * one override, the family, then the rule). Paths outside the configuration's directory match no
 * override. c may be NULL (the defaults). */
bool omen_config_rule_severity(const omen_config *c, const char *path, const omen_rule *rule,
                               omen_severity *sev);

/* Is path excluded by `exclude`? (path as given to omen; a path outside the configuration's
 * directory never is). Give a directory with a trailing '/' ("vendor/") so that globs meant for
 * directories only ("vendor/") match it; files below such a directory match in any case. */
bool omen_config_excluded(const omen_config *c, const char *path);

/* fail-on and include-generated, when the file sets them. */
bool omen_config_fail_on(const omen_config *c, omen_severity *out);
bool omen_config_include_generated(const omen_config *c, bool *out);

/* The value of option name of rule (validated at load), or the option's default; NULL when the
 * rule declares no such option. Owned by c (or static). Options are set under the top-level
 * `rules` only (not per path). c may be NULL (the default). */
const char *omen_config_rule_option(const omen_config *c, const omen_rule *rule, const char *name);

/* Prints the effective configuration for path as YAML: every analyzer on or off, every rule's
 * severity (or off) at path with the source of that setting as a comment, options with their
 * values, excludes, fail-on. c may be NULL (the defaults). */
omen_status omen_config_show(const omen_config *c, const char *path, FILE *out);

/* A commented starter .omen.yml listing every family, every rule with its default severity and
 * summary, and the rules' options, all commented out; it parses as is, and with the lines under
 * `rules:` uncommented. Owned by the module (built once, thread-safe); NULL when out of memory. */
const char *omen_config_starter(void);
/* The same for a given rule table; caller frees with free(). NULL when out of memory. */
char *omen_config_starter_rules(const omen_rule *const *rules, size_t nrules);

/* Glob matching as described above; path and pattern use '/'. A path ending in '/' names a
 * directory. A glob also matches everything under a directory it matches ("a/b?" matches "a/bc/d").
 * `[...]` is a class (`[!...]` or `[^...]` negated, ranges as `a-z`), `\x` matches x literally, a
 * leading '/' only anchors the glob at the base directory. Time is polynomial in the lengths
 * whatever the pattern. */
bool omen_glob_match(const char *pattern, const char *path);
/* Why pattern is not a valid glob (static text), or NULL when it is: empty, over 1024 bytes, an
 * unclosed '[', a backwards range, '**' inside a segment, a '..' segment, a dangling '\'. */
const char *omen_glob_problem(const char *pattern);

/* Option values: parse a duration ("1m30s") to nanoseconds and a size ("512KiB") to bytes; false
 * when malformed or out of range. */
bool omen_parse_duration(const char *s, long long *ns);
bool omen_parse_bytes(const char *s, long long *bytes);

#endif
