/* yaml_guard.h - refusing YAML that would cost too much to load, in one pass over its events before
 * the document is built: a few lines of aliases can stand for billions of nodes, and deep nesting
 * or many documents are no configuration or rule file. Shared by .omen.yml and rule files. */
#ifndef OMEN_YAML_GUARD_H
#define OMEN_YAML_GUARD_H

#include <stddef.h>
#include <yaml.h>

typedef enum omen_yaml_problem {
  OMEN_YAML_FINE,
  OMEN_YAML_PARSE,  /* the parser failed: its error, problem and problem_mark tell why */
  OMEN_YAML_DOCS,   /* a second document */
  OMEN_YAML_ALIAS,  /* an alias (*name) */
  OMEN_YAML_ANCHOR, /* an anchor (&name) */
  OMEN_YAML_DEPTH,  /* nested deeper than max_depth */
} omen_yaml_problem;

/* Reads every event of p (its input already set) and returns the first problem, with its mark in
 * *mark and, for an alias or an anchor, its name in name (at most namelen bytes with the NUL). */
omen_yaml_problem omen_yaml_guard(yaml_parser_t *p, int max_depth, yaml_mark_t *mark, char *name,
                                  size_t namelen);

#endif
