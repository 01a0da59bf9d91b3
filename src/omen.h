/* omen.h - the engine's shared vocabulary: status codes, rules, diagnostics, fixes, analyzers. */
#ifndef OMEN_H
#define OMEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OMEN_VERSION "0.1.0"
#define OMEN_INFO_URI "https://github.com/omen-lint/omen"
/* Where each rule's documentation lives: OMEN_DOCS_URL "#" rule id. */
#define OMEN_DOCS_URL OMEN_INFO_URI "/blob/main/docs/rules.md"

typedef enum omen_status {
  OMEN_OK = 0,
  OMEN_ENOMEM,    /* allocation failed */
  OMEN_EIO,       /* a file could not be read or written */
  OMEN_EPARSE,    /* input could not be parsed */
  OMEN_EUSAGE,    /* bad arguments or configuration */
  OMEN_ECHANGED,  /* a file changed on disk since it was read */
  OMEN_ELIMIT,    /* a size or count cap was reached */
  OMEN_EINTERNAL, /* an invariant failed */
  OMEN_ECANCELED, /* the caller asked the run to stop (omen_options.cancel) */
} omen_status;

const char *omen_status_str(omen_status s);

typedef enum omen_severity { OMEN_SEV_NOTE = 0, OMEN_SEV_WARNING = 1, OMEN_SEV_ERROR = 2 } omen_severity;
typedef enum omen_confidence { OMEN_CONF_LOW = 0, OMEN_CONF_MEDIUM = 1, OMEN_CONF_HIGH = 2 } omen_confidence;
typedef enum omen_applicability { OMEN_FIX_SAFE = 0, OMEN_FIX_UNSAFE = 1 } omen_applicability;

enum { OMEN_LANG_GO = 1u << 0, OMEN_LANG_C = 1u << 1, OMEN_LANG_CPP = 1u << 2 };
#define OMEN_LANG_CFAMILY (OMEN_LANG_C | OMEN_LANG_CPP)

const char *omen_severity_str(omen_severity s);   /* "error", "warning", "note" */
const char *omen_confidence_str(omen_confidence c); /* "high", "medium", "low" */
bool omen_severity_parse(const char *s, omen_severity *out);

/* A rule: one kind of finding. Rules are static constants owned by their analyzer file. */
typedef struct omen_rule {
  const char *id;           /* "family/name", e.g. "missing-timeout/http-no-timeout" */
  omen_severity severity;   /* default severity */
  omen_confidence confidence;
  const char *summary;      /* one line, no trailing period */
  const char *what;         /* what it does (markdown paragraph) */
  const char *why;          /* why it is bad */
  const char *example;      /* code showing the problem (no fences) */
  const char *instead;      /* code to use instead (no fences) */
  const char *fix;          /* fix safety: what the fix does and whether it is safe */
  const char *lang;         /* "go", "c", "c/c++", "any": for docs fences and SARIF tags */
  const struct omen_rule_option *options; /* settable in .omen.yml; NULL-name-terminated, may be NULL */
} omen_rule;

/* A rule option (`rules: {ID: {options: {NAME: VALUE}}}` in .omen.yml). Values are validated by kind
 * when the configuration loads; analyzers read them with omen_pass_rule_option. */
typedef enum omen_option_kind {
  OMEN_OPT_DURATION, /* a Go duration literal: "30s", "1m30s", "500ms" */
  OMEN_OPT_BYTES,    /* a size: "1048576", "512KiB", "1MiB", "4MB" */
  OMEN_OPT_INT,      /* a decimal integer */
  OMEN_OPT_STRING,
} omen_option_kind;

typedef struct omen_rule_option {
  const char *name;  /* kebab-case */
  omen_option_kind kind;
  const char *def;   /* default value, in the syntax of its kind */
  const char *doc;   /* one line */
} omen_rule_option;

/* A position: 1-based line, 1-based byte column, 1-based UTF-16 column (for SARIF/LSP). */
typedef struct omen_pos {
  uint32_t line, col, col16;
} omen_pos;

/* A range in one file: byte offsets [start,end) plus positions. path is owned by the diagnostic. */
typedef struct omen_loc {
  char *path;
  uint32_t start, end;
  omen_pos start_pos, end_pos;
} omen_loc;

typedef struct omen_related {
  omen_loc loc;
  char *message;
} omen_related;

/* One edit against the original text of the fix's file: replace [start,end) by text. */
typedef struct omen_edit {
  uint32_t start, end;
  char *text;
} omen_edit;

/* A fix: non-overlapping edits against one file. Fixes of a diagnostic are alternatives. */
typedef struct omen_fix {
  char *message;
  omen_applicability applicability;
  char *path;
  omen_edit *edits;
  size_t nedits;
} omen_fix;

/* A diagnostic. Everything it points to is malloc'd and owned by it; free with omen_diag_clear. */
typedef struct omen_diag {
  const omen_rule *rule;
  omen_severity severity;
  omen_confidence confidence;
  char *message;
  omen_loc loc;
  omen_related *related;
  size_t nrelated;
  omen_fix *fixes;
  size_t nfixes;
  /* Filled by the engine once the unit's analyzers have run. */
  char *scope;               /* enclosing function ("(*Server).Serve", "main", "ns::f"); NULL at top level */
  char fingerprint[17];      /* 16 hex digits: rule id, scope, and the flagged line with its neighbours,
                              * whitespace-normalized; survives edits elsewhere and line shifts */
  char line_fingerprint[17]; /* the same without the neighbours (a fallback when they changed) */
  bool suppressed;           /* by an in-source comment: kept for SARIF, not shown nor counted as failing */
  char *suppress_reason;     /* its justification */
} omen_diag;

void omen_diag_clear(omen_diag *d);
/* Removes the fixes of d that have no edit (an analyzer gave up half-way): they would offer nothing. */
void omen_diag_drop_empty_fixes(omen_diag *d);

/* A source file as read (from disk or an editor overlay). Text is NUL-terminated. */
typedef struct omen_file {
  const char *path;     /* as shown to users (relative to cwd when under it) */
  const char *text;
  uint32_t len;
  uint32_t *lines;      /* byte offset of each line start */
  uint32_t nlines;
  bool is_test;         /* Go: *_test.go */
} omen_file;

/* Length in bytes of the UTF-8 sequence at s (avail bytes readable); an invalid byte counts as
 * a sequence of 1. Sets *units to the UTF-16 code units it stands for (1 or 2). */
uint32_t omen_utf8_step(const unsigned char *s, size_t avail, uint32_t *units);

/* Position of byte offset off in f (clamped to the file). */
omen_pos omen_file_pos(const omen_file *f, uint32_t off);

/* ---- analyzers and passes ---- */

typedef struct omen_pass omen_pass;
typedef struct omen_analyzer omen_analyzer;

/* An analyzer: a constant descriptor. run() computes its result for one unit; the result and
 * everything it points to must be allocated from omen_pass_arena (freed with the unit). */
struct omen_analyzer {
  const char *name;                         /* unique, kebab-case */
  const char *title;                        /* one line */
  const char *doc;                          /* longer description */
  unsigned langs;                           /* OMEN_LANG_* mask */
  const omen_analyzer *const *requires;     /* NULL-terminated, may be NULL */
  const omen_rule *const *rules;            /* NULL-terminated, may be NULL (base analyzers) */
  omen_status (*run)(omen_pass *pass, void **result);
  /* Optional, Go only: runs on each file by itself right after it is parsed, while its tree is still
   * in the processor's cache, before the file's unit is formed. The pass holds just that file
   * (omen_pass_go_file(pass, 0)), no results of other analyzers, and an arena that lives as long as
   * the file; run() reads what scan stored with omen_pass_go_scan. Files that were not scanned (or
   * whose scan failed) give NULL there, so run() must handle them itself. */
  omen_status (*scan)(omen_pass *pass, void **state);
  /* Optional: the run-level phase. Called once per run, in the main thread, after every unit has
   * run, when the analyzer ran on at least one unit. The pass has no unit: it holds the facts the
   * analyzer exported from its units (omen_pass_nfacts, omen_pass_fact; sorted, so the same for
   * any -j), files by path (omen_pass_file) and an arena that lives as long as the call. Reports go
   * through the same builder API and then through configuration, suppressions, fingerprints and
   * outputs like unit findings; they must lie in the main file of a unit of the run. */
  omen_status (*finish)(omen_pass *pass);
};

/* The registry: an explicit NULL-terminated list (analyzers/registry.c). */
extern const omen_analyzer *const omen_registry[];

#endif
