/* suppress.h - suppression comments in source: finding them in a file and matching findings.
 *
 * Forms (in Go and C/C++ line or block comments; text inside string, rune and raw-string
 * literals is never a comment; listed here with a leading "-" so that this comment holds none):
 *   - //omen:ignore RULE[,RULE...] reason       this line and the next (in a comment over several
 *                                               lines: to the line after the comment)
 *   - //omen:file-ignore RULE[,RULE...] reason  the whole file
 *   - (C/C++, clang-tidy's forms) NOLINT, NOLINTNEXTLINE and NOLINTBEGIN ... NOLINTEND, each
 *     directly followed by a parenthesised list of omen-RULE names, then the reason: this line,
 *     the next line, the lines between
 * RULE is a rule id ("thread-leak/thread-not-joined"), a family ("thread-leak") or "all"; in the
 * NOLINT forms each name carries the "omen-" prefix, names without it belong to clang-tidy and are
 * left alone, and a NOLINT without an omen- name is not omen's. A space may follow "//"
 * ("// omen:ignore"). The reason is required: the text after the rule list (a leading ':' or '-'
 * is dropped); an ignore without one, or naming no known rule, suppresses nothing and is reported
 * as omen/invalid-ignore. An ignore that suppresses nothing in a run is reported as
 * omen/unused-ignore, unless every rule it names was switched off for that run
 * (omen_ignore_names_any tells).
 *
 * The omen: forms start where a comment's text starts ("//omen:ignore ..."), or, in a block comment,
 * at the start of any of its lines (after spaces and '*' decoration); "// see omen:ignore" is prose,
 * not a directive. NOLINT forms may stand anywhere in a comment (as in clang-tidy). A
 * directive's text, and its reason, end with its line (or with the end of the block comment). */
#ifndef OMEN_SUPPRESS_H
#define OMEN_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "omen.h"

typedef enum omen_ignore_form {
  OMEN_IGNORE_LINE,      /* the omen:ignore form */
  OMEN_IGNORE_FILE,      /* the omen:file-ignore form */
  OMEN_IGNORE_NOLINT,    /* NOLINT(...) */
  OMEN_IGNORE_NEXTLINE,  /* NOLINTNEXTLINE(...) */
  OMEN_IGNORE_BLOCK,     /* NOLINTBEGIN(...) up to the matching NOLINTEND */
  OMEN_IGNORE_BLOCK_END, /* a NOLINTEND(...) with no NOLINTBEGIN(...) of the same checks before it:
                          * always invalid (a matched NOLINTEND is folded into its BLOCK) */
} omen_ignore_form;

/* How the form is written: "omen:ignore", "omen:file-ignore", "NOLINT", "NOLINTNEXTLINE",
 * "NOLINTBEGIN", "NOLINTEND". Static. */
const char *omen_ignore_form_str(omen_ignore_form form);

typedef struct omen_ignore {
  omen_ignore_form form;
  uint32_t start, end;  /* bytes of the directive in the file (for reports) */
  uint32_t first, last; /* 1-based lines it covers (inclusive); the whole file for FILE (1 to
                         * nlines); for BLOCK from the NOLINTBEGIN line to the NOLINTEND line */
  char **names;         /* as written, "omen-" prefix removed: rule ids, families or "all"
                         * ("omen-*" gives "all"); clang-tidy's names are not kept */
  size_t nnames;
  char *reason;        /* NULL when missing; control characters and invalid UTF-8 replaced,
                        * at most 1024 bytes kept */
  const char *problem; /* when the directive is invalid (no reason, unknown rule, NOLINTBEGIN
                        * without END, ...): a message for users naming the form and what is
                        * wrong, e.g. "omen:ignore names unknown rule or family \"dedlock\" (omen
                        * rules lists them)"; it suppresses nothing. NULL when valid. Owned by
                        * the list. */
  bool used;           /* set by omen_ignores_apply */
} omen_ignore;

typedef struct omen_ignores {
  omen_ignore *v;
  size_t n;
} omen_ignores;

/* Finds the directives of file f (lang: one OMEN_LANG_* bit; NOLINT forms only for C/C++), in
 * order of their start offsets, into *out (free with omen_ignores_free, also after an error). Quick
 * when the text mentions neither "omen:" nor "NOLINT"; linear in the text otherwise. OMEN_ENOMEM on
 * allocation failure. */
omen_status omen_ignores_scan(const omen_file *f, unsigned lang, omen_ignores *out);
void omen_ignores_free(omen_ignores *ig); /* accepts NULL and an empty list */

/* Does directive ig name rule id (directly, by its family, or "all")? */
bool omen_ignore_names(const omen_ignore *ig, const char *rule_id);

/* Does ig name at least one rule (of omen_rules_all, the engine's omen/ rules left out) for which
 * on(rule, ctx) is true? For omen/unused-ignore: an unused directive is reported only when it names
 * a rule that was on in the run. */
bool omen_ignore_names_any(const omen_ignore *ig, bool (*on)(const omen_rule *rule, void *ctx), void *ctx);

/* Marks the diagnostics of diags[0..n) that lie in f's path (d->loc.path equal to path) and that a
 * valid directive covers (start line within [first, last], rule named): d->suppressed = true and
 * d->suppress_reason = a copy of the reason; sets used on those directives. Diagnostics of the
 * engine's own omen/ rules are never suppressed. When several directives cover a diagnostic, all of
 * them are marked used and the reason is that of the narrowest. A diagnostic already suppressed keeps
 * its reason. OMEN_ENOMEM on allocation failure. */
omen_status omen_ignores_apply(omen_ignores *ig, const char *path, omen_diag *diags, size_t n);

#endif
