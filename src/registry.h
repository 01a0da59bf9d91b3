/* registry.h - validating and ordering the analyzer registry; the rule table derived from it. */
#ifndef OMEN_REGISTRY_H
#define OMEN_REGISTRY_H

#include <stddef.h>

#include "omen.h"

/* Validates list (NULL-terminated): unique non-empty names, title and doc present, a run
 * function, every required analyzer in the list, no cycles, rule ids unique and well-formed.
 * On OMEN_OK, order (caller-allocated, at least as long as list) receives the analyzers in
 * dependency order (stable: registry order among independent ones) and *n their count. */
omen_status omen_registry_sort(const omen_analyzer *const *list, const omen_analyzer **order, size_t *n,
                               char *err, size_t errlen);

const omen_analyzer *omen_registry_find(const char *name);
size_t omen_registry_count(void);

/* The tool's own rules, reported by the engine. */
extern const omen_rule omen_rule_read_error;
extern const omen_rule omen_rule_syntax_error;
extern const omen_rule omen_rule_compile_error;
extern const omen_rule omen_rule_fix_failed;
extern const omen_rule omen_rule_unused_ignore;
extern const omen_rule omen_rule_invalid_ignore;

/* Every rule (engine rules, those of registered analyzers and of the loaded rule packs), sorted by
 * id. The array is owned by the registry (thread-safe; rebuilt when packs load), do not free. */
const omen_rule *const *omen_rules_all(size_t *n);
const omen_rule *omen_rule_find(const char *id);
/* A built-in rule (the engine's or a registered analyzer's) by id; NULL when none. */
const omen_rule *omen_rule_builtin(const char *id);
/* The rule table changed (rule packs were loaded): omen_rules_all rebuilds it. Earlier tables stay
 * valid (they are kept until exit). */
void omen_rules_changed(void);
/* The analyzer that reports rule (NULL for the engine's own rules; rule-pack for pack rules). */
const omen_analyzer *omen_rule_analyzer(const omen_rule *rule);

#endif
