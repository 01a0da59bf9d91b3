/* unit.h - the engine's private view of a unit under analysis (a Go package or a C/C++ TU). */
#ifndef OMEN_UNIT_H
#define OMEN_UNIT_H

#include <stdatomic.h>

#include "pass.h"

typedef struct omen_range {
  uint32_t start, end;
} omen_range;

typedef struct omen_unit {
  unsigned lang;
  omen_arena *arena;
  /* Go */
  const char *dir, *pkg;
  omen_go_file *gofiles;
  size_t ngofiles;
  omen_range **bad;  /* per Go file: top-level declarations containing syntax errors */
  void ***scans;     /* per Go file: NULL or the scan states of the analyzers of order (may be NULL) */
  size_t *nbad;
  /* C/C++ */
  CXTranslationUnit tu;
  const omen_file *cfile; /* the focus file: the TU's main file or a project header */
  CXFile cxmain;          /* the focus file in tu */
  /* analysis */
  const omen_analyzer *const *order;
  size_t norder;
  void **results;
  double *seconds; /* CPU seconds per analyzer of order, added to by omen_unit_run */
  omen_diag **diags; /* each malloc'd */
  size_t ndiags, capdiags;
  omen_status status;
  const struct omen_config *cfg; /* the configuration governing the unit; NULL: none */
  const atomic_bool *cancel;     /* set by another thread: stop before the next analyzer; NULL: never */
  /* run-level facts: where run() exports to (NULL: nowhere) and under which unit name */
  struct omen_facts *facts;
  const char *unit_name;
  /* the run-level pass (finish): the analyzer's facts and files by path */
  const omen_fact *run_facts;
  size_t nrun_facts;
  const omen_file *(*file_by_path)(void *ctx, const char *path);
  void *file_ctx;
} omen_unit;

struct omen_pass {
  omen_unit *u;
  const omen_analyzer *a;
  size_t ai; /* index of a in u->order */
};

/* CPU time of the calling thread, in seconds. */
double omen_thread_seconds(void);

/* Runs the analyzers of u->order that apply to u->lang (enabled: parallel to order). */
omen_status omen_unit_run(omen_unit *u, const bool *enabled);
/* Runs the scan hooks of the enabled Go analyzers of order on one parsed file, in an arena of its
 * own (*arena, created here; caller frees it with the file). *states gets an array parallel to
 * order (NULL when no analyzer scans). seconds (may be NULL) is added to per analyzer. */
omen_status omen_unit_scan(const omen_analyzer *const *order, size_t norder, const bool *enabled,
                           const omen_go_file *gf, omen_arena **arena, void ***states, double *seconds);
/* Appends an engine diagnostic (read/syntax/compile errors) to u. */
omen_diag *omen_unit_report(omen_unit *u, const omen_rule *rule, const omen_file *f, uint32_t start,
                            uint32_t end, const char *msg);

#endif
