/* registry.c - validates the analyzer list, orders it by dependencies, derives the rule table. */
#include "registry.h"

#include "rulepack.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const omen_rule omen_rule_read_error = {
    .id = "omen/read-error",
    .severity = OMEN_SEV_ERROR,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A file could not be read and was not analyzed",
    .what = "Reported when a source file cannot be opened or read, is larger than the size limit, or is "
            "binary (contains NUL bytes).",
    .why = "Findings in that file are missing from the report, so a clean run would be misleading.",
    .example = "",
    .instead = "",
    .fix = "No fix. Make the file readable, or exclude it with `--exclude`.",
    .lang = "any",
};

const omen_rule omen_rule_syntax_error = {
    .id = "omen/syntax-error",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A Go file has syntax errors; declarations containing them were not analyzed",
    .what = "Reported at the first syntax error of a Go file. Findings inside a top-level declaration that "
            "contains a syntax error are dropped, and `--fix` does not touch the file.",
    .why = "Analysis of code that does not parse produces false positives and unsafe fixes.",
    .example = "func f() {\n\tx := \n}",
    .instead = "func f() {\n\tx := 1\n\t_ = x\n}",
    .fix = "No fix.",
    .lang = "go",
};

const omen_rule omen_rule_compile_error = {
    .id = "omen/compile-error",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A C/C++ translation unit has compile errors; its analysis may be incomplete",
    .what = "Reported once per translation unit at its first error (for example a missing header when no "
            "compile_commands.json gives the include paths).",
    .why = "Code clang cannot compile is only partly analyzed, so findings may be missing.",
    .example = "#include \"missing.h\"",
    .instead = "Pass the build's compile database with `-p build/` (CMake: "
               "`-DCMAKE_EXPORT_COMPILE_COMMANDS=ON`; other builds: `bear -- make`).",
    .fix = "No fix.",
    .lang = "c/c++",
};

const omen_rule omen_rule_fix_failed = {
    .id = "omen/fix-failed",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A fix was not applied because the result would not parse or the file changed",
    .what = "Reported by `--fix` when a file changed on disk after it was analyzed, or when the fixed text "
            "would have more syntax errors than the original.",
    .why = "omen never writes a file it cannot prove it has not damaged.",
    .example = "",
    .instead = "",
    .fix = "Re-run omen on the current file.",
    .lang = "any",
};

const omen_rule omen_rule_unused_ignore = {
    .id = "omen/unused-ignore",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A suppression comment suppresses nothing",
    .what = "Reported at an `//omen:ignore`, `//omen:file-ignore` or `NOLINT(omen-...)` comment that matched "
            "no finding in this run. Not reported when every rule the comment names was switched off for "
            "the run (by `--disable`, `--enable` or the configuration), since it may match again when they "
            "are back on.",
    .why = "Suppressions rot: the code they excused gets fixed or moves, and the stale comment would later "
           "hide a new, real finding on that line.",
    .example = "//omen:ignore thread-leak reviewed: the worker stops with the process\nx := 1",
    .instead = "x := 1",
    .fix = "No automatic fix: delete the comment, or move it to the line it was meant for.",
    .lang = "any",
};

const omen_rule omen_rule_invalid_ignore = {
    .id = "omen/invalid-ignore",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "A suppression comment is malformed and suppresses nothing",
    .what = "Reported at a suppression comment without a reason, naming no rule, naming an unknown rule or "
            "family, or (`NOLINTBEGIN`) without its `NOLINTEND`.",
    .why = "A suppression must say why the finding is acceptable, so reviewers can judge it later; a typo "
           "in a rule id would otherwise silently suppress nothing.",
    .example = "//omen:ignore thread-leak",
    .instead = "//omen:ignore thread-leak the worker lives as long as the process",
    .fix = "No fix: add the reason or correct the rule id.",
    .lang = "any",
};

static const omen_rule *const engine_rules[] = {&omen_rule_read_error,    &omen_rule_syntax_error,
                                                &omen_rule_compile_error, &omen_rule_fix_failed,
                                                &omen_rule_unused_ignore, &omen_rule_invalid_ignore, NULL};

static bool index_of(const omen_analyzer *const *list, const omen_analyzer *a, size_t *idx) {
  for (size_t i = 0; list[i]; i++) {
    if (list[i] == a) {
      *idx = i;
      return true;
    }
  }
  return false;
}

static bool rule_id_ok(const char *id) {
  const char *slash = strchr(id, '/');
  if (!slash || slash == id || slash[1] == '\0' || strchr(slash + 1, '/'))
    return false;
  for (const char *p = id; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '/'))
      return false;
  return true;
}

omen_status omen_registry_sort(const omen_analyzer *const *list, const omen_analyzer **order, size_t *n,
                               char *err, size_t errlen) {
  size_t count = 0;
  while (list[count])
    count++;
  *n = 0;
  for (size_t i = 0; i < count; i++) {
    const omen_analyzer *a = list[i];
    if (!a->name || !*a->name) {
      snprintf(err, errlen, "analyzer #%zu has no name", i);
      return OMEN_EINTERNAL;
    }
    if (!a->title || !*a->title || !a->doc || !*a->doc) {
      snprintf(err, errlen, "analyzer %s has no documentation", a->name);
      return OMEN_EINTERNAL;
    }
    if (!a->run) {
      snprintf(err, errlen, "analyzer %s has no run function", a->name);
      return OMEN_EINTERNAL;
    }
    if (!a->langs) {
      snprintf(err, errlen, "analyzer %s names no language", a->name);
      return OMEN_EINTERNAL;
    }
    for (size_t j = 0; j < i; j++) {
      if (strcmp(list[j]->name, a->name) == 0) {
        snprintf(err, errlen, "analyzer name %s is registered twice", a->name);
        return OMEN_EINTERNAL;
      }
    }
    for (size_t k = 0; a->requires && a->requires[k]; k++) {
      size_t idx;
      if (!index_of(list, a->requires[k], &idx)) {
        snprintf(err, errlen, "analyzer %s requires %s, which is not registered", a->name,
                 a->requires[k]->name ? a->requires[k]->name : "(unnamed)");
        return OMEN_EINTERNAL;
      }
    }
    for (size_t k = 0; a->rules && a->rules[k]; k++) {
      const omen_rule *r = a->rules[k];
      if (!r->id || !rule_id_ok(r->id) || !r->summary || !*r->summary) {
        snprintf(err, errlen, "analyzer %s has a rule with a bad id or no summary (%s)", a->name,
                 r->id ? r->id : "null");
        return OMEN_EINTERNAL;
      }
      for (size_t j = 0; j <= i; j++) {
        for (size_t m = 0; list[j]->rules && list[j]->rules[m]; m++) {
          if ((j < i || m < k) && strcmp(list[j]->rules[m]->id, r->id) == 0) {
            snprintf(err, errlen, "rule %s is declared twice", r->id);
            return OMEN_EINTERNAL;
          }
        }
      }
    }
  }
  bool *placed = calloc(count ? count : 1, sizeof *placed);
  if (!placed)
    return OMEN_ENOMEM;
  size_t done = 0;
  while (done < count) {
    bool progress = false;
    for (size_t i = 0; i < count; i++) {
      if (placed[i])
        continue;
      const omen_analyzer *a = list[i];
      bool ready = true;
      for (size_t k = 0; ready && a->requires && a->requires[k]; k++) {
        size_t idx = 0;
        index_of(list, a->requires[k], &idx);
        ready = placed[idx];
      }
      if (ready) {
        placed[i] = true;
        order[done++] = a;
        progress = true;
        break; /* restart: keeps registry order among independent analyzers */
      }
    }
    if (!progress) {
      size_t len = (size_t)snprintf(err, errlen, "analyzer dependency cycle among:");
      for (size_t i = 0; i < count; i++)
        if (!placed[i] && len < errlen)
          len += (size_t)snprintf(err + len, errlen - len, " %s", list[i]->name);
      free(placed);
      return OMEN_EINTERNAL;
    }
  }
  free(placed);
  *n = count;
  return OMEN_OK;
}

const omen_analyzer *omen_registry_find(const char *name) {
  for (size_t i = 0; omen_registry[i]; i++)
    if (strcmp(omen_registry[i]->name, name) == 0)
      return omen_registry[i];
  return NULL;
}

size_t omen_registry_count(void) {
  size_t n = 0;
  while (omen_registry[n])
    n++;
  return n;
}

/* The rule table: rebuilt when rule packs load (omen_rules_changed); tables already handed out stay
 * valid until exit, so a caller holding one never sees it freed. */
typedef struct rule_table {
  const omen_rule **rules;
  size_t n;
  struct rule_table *prev;
} rule_table;

static pthread_mutex_t rules_mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(rule_table *) rules_now;
static rule_table *rules_old;
static atomic_bool rules_stale = true;

static int cmp_rule(const void *a, const void *b) {
  const omen_rule *x = *(const omen_rule *const *)a, *y = *(const omen_rule *const *)b;
  return strcmp(x->id, y->id);
}

static void free_tables(void) {
  for (rule_table *t = rules_old; t;) {
    rule_table *p = t->prev;
    free(t->rules);
    free(t);
    t = p;
  }
}

static rule_table *build_rules(void) {
  const omen_pack *pk = omen_rulepack_active();
  size_t n = omen_pack_nrules(pk);
  for (size_t i = 0; engine_rules[i]; i++)
    n++;
  for (size_t i = 0; omen_registry[i]; i++)
    for (size_t k = 0; omen_registry[i]->rules && omen_registry[i]->rules[k]; k++)
      n++;
  rule_table *t = calloc(1, sizeof *t);
  if (t)
    t->rules = calloc(n + 1, sizeof *t->rules);
  if (!t || !t->rules) {
    free(t);
    return NULL;
  }
  size_t m = 0;
  for (size_t i = 0; engine_rules[i]; i++)
    t->rules[m++] = engine_rules[i];
  for (size_t i = 0; omen_registry[i]; i++)
    for (size_t k = 0; omen_registry[i]->rules && omen_registry[i]->rules[k]; k++)
      t->rules[m++] = omen_registry[i]->rules[k];
  for (size_t i = 0; i < omen_pack_nrules(pk); i++)
    t->rules[m++] = omen_pack_rule(pk, i);
  qsort(t->rules, m, sizeof *t->rules, cmp_rule);
  t->n = m;
  return t;
}

void omen_rules_changed(void) { atomic_store(&rules_stale, true); }

const omen_rule *const *omen_rules_all(size_t *n) {
  if (atomic_load(&rules_stale)) {
    pthread_mutex_lock(&rules_mu);
    if (atomic_load(&rules_stale)) {
      rule_table *t = build_rules();
      if (t) {
        if (!rules_old)
          atexit(free_tables);
        t->prev = rules_old;
        rules_old = t;
        atomic_store(&rules_now, t);
        atomic_store(&rules_stale, false);
      }
    }
    pthread_mutex_unlock(&rules_mu);
  }
  rule_table *t = atomic_load(&rules_now);
  *n = t ? t->n : 0;
  return t ? t->rules : NULL;
}

const omen_rule *omen_rule_find(const char *id) {
  size_t n;
  const omen_rule *const *all = omen_rules_all(&n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(all[i]->id, id) == 0)
      return all[i];
  return NULL;
}

const omen_rule *omen_rule_builtin(const char *id) {
  for (size_t i = 0; engine_rules[i]; i++)
    if (strcmp(engine_rules[i]->id, id) == 0)
      return engine_rules[i];
  for (size_t i = 0; omen_registry[i]; i++)
    for (size_t k = 0; omen_registry[i]->rules && omen_registry[i]->rules[k]; k++)
      if (strcmp(omen_registry[i]->rules[k]->id, id) == 0)
        return omen_registry[i]->rules[k];
  return NULL;
}

const omen_analyzer *omen_rule_analyzer(const omen_rule *rule) {
  for (size_t i = 0; omen_registry[i]; i++)
    for (size_t k = 0; omen_registry[i]->rules && omen_registry[i]->rules[k]; k++)
      if (omen_registry[i]->rules[k] == rule)
        return omen_registry[i];
  if (omen_pack_owns(omen_rulepack_active(), rule))
    return omen_registry_find("rule-pack");
  return NULL;
}
