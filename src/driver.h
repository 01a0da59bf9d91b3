/* driver.h - finds units, runs the registry on each (in parallel), aggregates diagnostics. */
#ifndef OMEN_DRIVER_H
#define OMEN_DRIVER_H

#include <stdatomic.h>
#include <stdio.h>

#include "omen.h"
#include "reader.h"

typedef struct omen_options {
  const char *const *paths; /* files or directories; "dir/..." means dir */
  size_t npaths;
  const char *const *excludes; /* globs, matched against each path and each base name */
  size_t nexcludes;
  const char *const *enable; /* analyzer names; empty: all */
  size_t nenable;
  const char *const *disable;
  size_t ndisable;
  unsigned jobs;          /* 0: number of cores */
  const char *compdb_dir; /* -p: where compile_commands.json lives; NULL: look in . and build/ */
  FILE *log;              /* where unreadable/unparsable files are mentioned; NULL: silent */
  bool include_generated; /* analyze Go files marked "Code generated ... DO NOT EDIT." too */
  const char *config_file; /* --config: this .omen.yml for every path; NULL: the nearest one above each */
  bool no_config;          /* --no-config: no configuration file at all */
  /* Called (from any worker, one call at a time) after each unit: units done, units in all, and the
   * unit's directory or file. NULL: none. */
  void (*progress)(void *ctx, size_t done, size_t total, const char *path);
  void *progress_ctx;
  /* When another thread sets *cancel, the run stops at the next unit, parse or analyzer and
   * omen_check returns OMEN_ECANCELED with no result. NULL: never. */
  const atomic_bool *cancel;
} omen_options;

/* The original text of a file that a fix edits, as it was when analyzed. */
typedef struct omen_snapshot {
  char *path;
  char *text;
  uint32_t len;
} omen_snapshot;

/* CPU seconds spent in one stage, summed over all units and workers. */
typedef struct omen_timing {
  const char *name; /* "parse Go (tree-sitter)", "parse C/C++ (libclang)", or an analyzer name; static */
  double seconds;
} omen_timing;

typedef struct omen_result {
  omen_diag *diags; /* deduplicated, sorted by path, line, column, rule id */
  size_t ndiags;
  size_t count[3]; /* by omen_severity, suppressed diagnostics left out */
  size_t nsuppressed; /* diagnostics suppressed in source (still in diags, d->suppressed set) */
  bool has_fail_on;   /* the configuration of the first path sets fail-on: */
  omen_severity fail_on;
  omen_snapshot *snapshots; /* sorted by path */
  size_t nsnapshots;
  size_t nunits, nfiles;
  size_t ngenerated; /* generated Go files left out */
  omen_timing *timings; /* parsing first, then analyzers in run order (enabled ones) */
  size_t ntimings;
} omen_result;

/* Runs the check. On OMEN_OK *res is filled (free with omen_result_free). Failing to read or parse
 * one file is a diagnostic, not an error; errors are usage (bad analyzer names, broken compile
 * database), memory, or internal. */
omen_status omen_check(const omen_options *opt, omen_reader *reader, omen_result *res, char *err, size_t errlen);
void omen_result_free(omen_result *res);
const omen_snapshot *omen_result_snapshot(const omen_result *res, const char *path);

/* Sorts and deduplicates diags in place (used by omen_check and the tests). */
void omen_diags_sort_dedupe(omen_diag *diags, size_t *n);

#endif
