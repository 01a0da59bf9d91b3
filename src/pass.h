/* pass.h - the only door between an analyzer and the engine: unit contents, results, reports. */
#ifndef OMEN_PASS_H
#define OMEN_PASS_H

#include <clang-c/Index.h>
#include <stdarg.h>
#include <tree_sitter/api.h>

#include "arena.h"
#include "omen.h"

/* A parsed Go file of the unit. Owned by the unit, do not free. */
typedef struct omen_go_file {
  const omen_file *file;
  TSTree *tree;
  TSNode root;
} omen_go_file;

/* Which analyzer this pass runs and the unit's language (one OMEN_LANG_* bit). */
const omen_analyzer *omen_pass_analyzer(const omen_pass *p);
unsigned omen_pass_lang(const omen_pass *p);

/* Per-unit arena for results and scratch data. Owned by the unit, do not free. */
omen_arena *omen_pass_arena(omen_pass *p);

/* Result of a required analyzer (must be listed in requires); NULL if it produced none. */
void *omen_pass_result(omen_pass *p, const omen_analyzer *dep);

/* Go units: the files of one package (one directory, one package clause). */
size_t omen_pass_go_nfiles(const omen_pass *p);
const omen_go_file *omen_pass_go_file(const omen_pass *p, size_t i);
const char *omen_pass_go_package(const omen_pass *p); /* package name */
const char *omen_pass_go_dir(const omen_pass *p);     /* directory as shown to users */
const TSLanguage *omen_go_language(void);
/* What this analyzer's scan hook stored for file i of the unit (see omen_analyzer.scan); NULL when
 * the file was not scanned. Owned by the engine, lives as long as the unit. */
void *omen_pass_go_scan(const omen_pass *p, size_t i);

/* C/C++ units: one parsed translation unit and its focus file, the only file reported on: the TU's
 * main file, or one project header it includes (each analyzed once per run; docs/architecture.md,
 * Headers). "Main file" below means the focus file. */
CXTranslationUnit omen_pass_c_tu(const omen_pass *p);
const omen_file *omen_pass_c_file(const omen_pass *p);
/* Is this cursor location in the main (focus) file? If so, *off gets its byte offset. */
bool omen_pass_c_in_main(const omen_pass *p, CXSourceLocation loc, uint32_t *off);

/* Reporting. All return NULL (and the pass records OMEN_ENOMEM) when memory runs out; every
 * builder call accepts a NULL handle and does nothing, so analyzers need not check. */
omen_diag *omen_pass_report(omen_pass *p, const omen_rule *rule, const omen_file *f, uint32_t start,
                            uint32_t end, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void omen_diag_add_related(omen_pass *p, omen_diag *d, const omen_file *f, uint32_t start, uint32_t end,
                           const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A fix for d against file f; edits are added with omen_fix_add_edit. */
omen_fix *omen_diag_add_fix(omen_pass *p, omen_diag *d, const omen_file *f, omen_applicability a,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void omen_fix_add_edit(omen_pass *p, omen_fix *fx, uint32_t start, uint32_t end, const char *text);

/* Rule options (.omen.yml `rules: {ID: {options: {NAME: VALUE}}}`): the value configured for the
 * unit, else the option's default from rule->options; NULL when rule declares no such option. */
const char *omen_pass_rule_option(omen_pass *p, const omen_rule *rule, const char *name);
/* The same parsed: a duration in nanoseconds, a size in bytes; false when undeclared or malformed
 * (configured values are validated when the configuration loads, so that means a bad default). */
bool omen_pass_duration_option(omen_pass *p, const omen_rule *rule, const char *name, long long *ns);
bool omen_pass_bytes_option(omen_pass *p, const omen_rule *rule, const char *name, long long *bytes);

/* ---- run-level facts (see omen_analyzer.finish) ----
 * A fact: a key and bytes one unit exported, tagged with the unit (a C/C++ unit's main file, a Go
 * package's directory, as shown to users). */
typedef struct omen_fact {
  const omen_analyzer *analyzer;
  const char *unit;
  const char *key;
  const void *data; /* len bytes, followed by a NUL so that text data reads as a string */
  size_t len;
} omen_fact;

/* From run(): copies key and data out of the unit into the run's store, for this analyzer's finish
 * hook. Thread-safe. Does nothing (OMEN_OK) when the run has no finish phase for the analyzer (scan
 * hooks, test harnesses); OMEN_ELIMIT past the store's caps (the fact is dropped, the run goes on). */
omen_status omen_pass_export(omen_pass *p, const char *key, const void *data, size_t len);

/* From finish(): the analyzer's facts, sorted by key, then unit, then data. Owned by the engine. */
size_t omen_pass_nfacts(const omen_pass *p);
const omen_fact *omen_pass_fact(const omen_pass *p, size_t i);
/* From finish(): a file of the run by path (as in omen_fact.unit), read through the run's reader
 * (editor overlays included); NULL when it cannot be read or changed length since its unit ran.
 * Owned by the engine, lives as long as the finish call. */
const omen_file *omen_pass_file(omen_pass *p, const char *path);
/* The enclosing function of d's location ("conn_close", "ns::Pool::get"), for its fingerprints: the
 * engine fills it for unit findings; a finish hook, whose files are no longer parsed, passes it. */
void omen_diag_set_scope(omen_pass *p, omen_diag *d, const char *scope);

/* Helpers for tree-sitter analyzers. */
static inline uint32_t omen_ts_start(TSNode n) { return ts_node_start_byte(n); }
static inline uint32_t omen_ts_end(TSNode n) { return ts_node_end_byte(n); }
/* Copy of the node's source text in the pass arena ("" on failure). */
const char *omen_pass_node_text(omen_pass *p, const omen_file *f, TSNode n);
/* Does the node's text equal s exactly? (no allocation) */
bool omen_node_text_eq(const omen_file *f, TSNode n, const char *s);

#endif
