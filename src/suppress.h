/* suppress.h - suppression comments in source: finding them in a file and matching findings.
 *
 * Forms (in Go and C/C++ line or block comments; text inside string, rune and raw-string
 * literals is never a comment):
 *   //omen:ignore RULE[,RULE...] reason       this line and the next
 *   //omen:file-ignore RULE[,RULE...] reason  the whole file
 *   // NOLINT(omen-RULE[,omen-RULE...]) reason            (C/C++, clang-tidy's forms) this line
 *   // NOLINTNEXTLINE(omen-RULE,...) reason               the next line
 *   // NOLINTBEGIN(omen-RULE,...) reason ... // NOLINTEND(omen-RULE,...)   the lines between
 * RULE is a rule id ("thread-leak/pthread-not-joined"), a family ("thread-leak") or "all"; in the
 * NOLINT forms each name carries the "omen-" prefix, names without it belong to clang-tidy and are
 * left alone, and a NOLINT without an omen- name is not omen's. A space may follow "//"
 * ("// omen:ignore"). The reason is required: the text after the rule list (a leading ':' or '-'
 * is dropped); an ignore without one, or naming no known rule, suppresses nothing and is reported
 * as omen/invalid-ignore. An ignore that suppresses nothing in a run is reported as
 * omen/unused-ignore, unless every rule it names was switched off for that run. */
#ifndef OMEN_SUPPRESS_H
#define OMEN_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "omen.h"

typedef enum omen_ignore_form {
  OMEN_IGNORE_LINE,     /* omen:ignore */
  OMEN_IGNORE_FILE,     /* omen:file-ignore */
  OMEN_IGNORE_NOLINT,   /* NOLINT(...) */
  OMEN_IGNORE_NEXTLINE, /* NOLINTNEXTLINE(...) */
  OMEN_IGNORE_BLOCK,    /* NOLINTBEGIN(...) up to the matching NOLINTEND */
} omen_ignore_form;

typedef struct omen_ignore {
  omen_ignore_form form;
  uint32_t start, end;         /* bytes of the directive in the file (for reports) */
  uint32_t first, last;        /* 1-based lines it covers (inclusive); the whole file for FILE */
  char **names;                /* as written, "omen-" prefix removed: rule ids, families or "all" */
  size_t nnames;
  char *reason;                /* NULL when missing */
  const char *problem;         /* static text when the directive is invalid (no reason, unknown rule,
                                * NOLINTBEGIN without END, ...): it suppresses nothing; else NULL */
  bool used;                   /* set by omen_ignores_apply */
} omen_ignore;

typedef struct omen_ignores {
  omen_ignore *v;
  size_t n;
} omen_ignores;

/* Finds the directives of file f (lang: one OMEN_LANG_* bit; NOLINT forms only for C/C++). Quick when
 * the text mentions neither "omen" nor "NOLINT". OMEN_ENOMEM on allocation failure. */
omen_status omen_ignores_scan(const omen_file *f, unsigned lang, omen_ignores *out);
void omen_ignores_free(omen_ignores *ig);

/* Does directive ig name rule id (directly, by its family, or "all")? */
bool omen_ignore_names(const omen_ignore *ig, const char *rule_id);

/* Marks the diagnostics of diags[0..n) that lie in f's path (d->loc.path equal to path) and that a
 * valid directive covers (start line within [first, last], rule named): d->suppressed = true and
 * d->suppress_reason = a copy of the reason; sets used on those directives. Diagnostics of the
 * engine's own omen/ rules are never suppressed. OMEN_ENOMEM on allocation failure. */
omen_status omen_ignores_apply(omen_ignores *ig, const char *path, omen_diag *diags, size_t n);

#endif
