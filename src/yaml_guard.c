/* yaml_guard.c - see yaml_guard.h. */
#include "yaml_guard.h"

#include <stdbool.h>
#include <stdio.h>

omen_yaml_problem omen_yaml_guard(yaml_parser_t *p, int max_depth, yaml_mark_t *mark, char *name,
                                  size_t namelen) {
  int docs = 0, depth = 0;
  if (namelen)
    name[0] = '\0';
  for (;;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(p, &ev)) {
      *mark = p->problem_mark;
      return OMEN_YAML_PARSE;
    }
    omen_yaml_problem r = OMEN_YAML_FINE;
    const yaml_char_t *anchor = NULL;
    bool done = false;
    switch (ev.type) {
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    case YAML_DOCUMENT_START_EVENT:
      if (++docs > 1)
        r = OMEN_YAML_DOCS;
      break;
    case YAML_ALIAS_EVENT:
      r = OMEN_YAML_ALIAS;
      anchor = ev.data.alias.anchor;
      break;
    case YAML_SCALAR_EVENT:
      anchor = ev.data.scalar.anchor;
      break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      anchor =
          ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor;
      if (++depth > max_depth)
        r = OMEN_YAML_DEPTH;
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      depth--;
      break;
    default:
      break;
    }
    if (!r && anchor)
      r = OMEN_YAML_ANCHOR;
    if (r) {
      *mark = ev.start_mark;
      if (anchor && namelen)
        snprintf(name, namelen, "%s", (const char *)anchor);
    }
    yaml_event_delete(&ev);
    if (r || done)
      return r;
  }
}
