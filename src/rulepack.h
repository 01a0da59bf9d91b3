/* rulepack.h - declarative rules (docs/rule-format.md): YAML rule files with tree-sitter queries,
 * predicates, structural conditions and fix templates; loading, checking, compiling and matching. */
#ifndef OMEN_RULEPACK_H
#define OMEN_RULEPACK_H

#include <stdio.h>
#include <tree_sitter/api.h>

#include "omen.h"

/* Caps: a rule file is small, hand-written text; anything past these is refused with an error. */
#define OMEN_PACK_MAX_FILE ((size_t)1 << 20) /* bytes of one rule file */
#define OMEN_PACK_MAX_RULES 2000             /* rules in one pack (all files) */
#define OMEN_PACK_MAX_DEPTH 16               /* YAML nesting */
#define OMEN_PACK_MAX_FILES 1000             /* rule files under one directory */

/* A set of rules loaded from one or more files. Not thread-safe while loading; read-only (and safe
 * to match from any thread) once compiled. */
typedef struct omen_pack omen_pack;

/* Caller frees with omen_pack_free. NULL when out of memory. */
omen_pack *omen_pack_new(void);
void omen_pack_free(omen_pack *pk); /* accepts NULL */

/* Loads a rule file (.yml/.yaml) or every rule file under a directory (recursively, sorted; hidden
 * entries skipped) into pk and checks each rule. On error returns OMEN_EUSAGE (an invalid rule),
 * OMEN_EIO, OMEN_ELIMIT or OMEN_ENOMEM with "PATH[:LINE:COL]: message" in err; rules of the files
 * loaded before the bad one stay in pk. Ids must not collide with built-in rules or with rules
 * already in pk. */
omen_status omen_pack_load(omen_pack *pk, const char *path, char *err, size_t errlen);
/* The same for text in memory (path names it in messages). */
omen_status omen_pack_load_text(omen_pack *pk, const char *path, const char *text, size_t len, char *err,
                                size_t errlen);

/* The rules of pk in load order. Owned by pk, do not free. */
size_t omen_pack_nrules(const omen_pack *pk);
const omen_rule *omen_pack_rule(const omen_pack *pk, size_t i);
/* The OMEN_LANG_* mask of the languages the rules of pk target. */
unsigned omen_pack_langs(const omen_pack *pk);
/* Does pk hold rule (by address)? */
bool omen_pack_owns(const omen_pack *pk, const omen_rule *rule);

/* Compiles every rule's query of each language into one query per language, matched in one pass.
 * Called once after loading; matching calls it if needed (not thread-safe then). */
omen_status omen_pack_compile(omen_pack *pk, char *err, size_t errlen);

/* One finding of a pack rule. Strings are owned by the matcher and valid during the callback. */
typedef struct omen_pack_hit {
  const omen_rule *rule;
  uint32_t start, end; /* the report capture */
  const char *message;
  bool has_fix;
  omen_applicability applicability;
  const char *fix_message;
  uint32_t fix_start, fix_end;
  const char *fix_text;
} omen_pack_hit;

typedef struct omen_pack_stats {
  size_t candidates; /* matches of the queries before predicates and conditions */
  size_t limits;     /* a regex or a query hit its limit (treated as no match) */
} omen_pack_stats;

/* Runs the rules of pk for lang (one OMEN_LANG_* bit) on a tree of text; calls hit for each finding
 * in tree order. stats (may be NULL) is added to. Returns OMEN_ENOMEM or the first non-OK status hit
 * returned. */
omen_status omen_pack_match(const omen_pack *pk, unsigned lang, TSNode root, const char *text, uint32_t len,
                            omen_status (*hit)(void *ctx, const omen_pack_hit *h), void *ctx,
                            omen_pack_stats *stats);

/* The same, the simple way: each rule's own query over the whole tree, one after the other, with no
 * prefilter (the reference the tests compare omen_pack_match with, and a baseline to measure it). */
omen_status omen_pack_match_each(const omen_pack *pk, unsigned lang, TSNode root, const char *text,
                                 uint32_t len, omen_status (*hit)(void *ctx, const omen_pack_hit *h),
                                 void *ctx);

/* The tree-sitter grammar of lang (OMEN_LANG_GO, _C or _CPP). */
const TSLanguage *omen_pack_language(unsigned lang);

/* omen rules test: runs every rule's examples; prints one line per failure (and, when verbose, one
 * per rule) to out. *failures gets the number of failed examples. */
omen_status omen_pack_test(omen_pack *pk, FILE *out, bool verbose, size_t *nrules, size_t *failures);

/* ---- the process-wide pack: the rules every run uses ---- */

/* Adds path (file or directory) to the process-wide pack, once per real path; origin (may be NULL)
 * is the configuration file that named it, for messages. Not to be called while a check runs. */
omen_status omen_rulepack_add(const char *path, char *err, size_t errlen);
/* The process-wide pack, compiled (NULL when no rule was ever added). Lives until exit. */
const omen_pack *omen_rulepack_active(void);
/* Where the shipped rules are: the install directory, else the source tree's rules/ when running
 * from the build tree. NULL when neither exists. */
const char *omen_rulepack_default_dir(void);

#endif
