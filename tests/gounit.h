/* gounit.h - for unit tests of the Go base analyzers: a one-file Go unit built from source text, the
 * analyzers of a given order run on it directly (no registry, no driver), their results read back,
 * and nodes found by the text they span. Header-only; include it once per test program. */
#ifndef OMEN_TESTS_GOUNIT_H
#define OMEN_TESTS_GOUNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "unit.h"

typedef struct gounit {
  omen_unit u;
  omen_file *f;
  TSParser *parser;
  TSTree *tree;
} gounit;

/* Parses text as file path and runs the analyzers of order (each one's requirements listed before it).
 * false on failure; gounit_close is needed either way. */
static inline bool gounit_open(gounit *g, const char *path, const char *text, const omen_analyzer *const *order,
                        size_t norder) {
  memset(g, 0, sizeof *g);
  g->f = omen_file_new(path, text, strlen(text));
  g->parser = ts_parser_new();
  if (!g->f || !g->parser || !ts_parser_set_language(g->parser, omen_go_language()))
    return false;
  g->tree = ts_parser_parse_string(g->parser, NULL, g->f->text, g->f->len);
  if (!g->tree)
    return false;
  omen_unit *u = &g->u;
  u->lang = OMEN_LANG_GO;
  u->arena = omen_arena_new();
  u->dir = ".";
  u->pkg = "p";
  u->gofiles = calloc(1, sizeof *u->gofiles);
  u->bad = calloc(1, sizeof *u->bad);
  u->nbad = calloc(1, sizeof *u->nbad);
  bool *enabled = calloc(norder + 1, sizeof *enabled);
  if (!u->arena || !u->gofiles || !u->bad || !u->nbad || !enabled) {
    free(enabled);
    return false;
  }
  u->gofiles[0] = (omen_go_file){g->f, g->tree, ts_tree_root_node(g->tree)};
  u->ngofiles = 1;
  u->order = order;
  u->norder = norder;
  for (size_t i = 0; i < norder; i++)
    enabled[i] = true;
  omen_status s = omen_unit_run(u, enabled);
  free(enabled);
  return s == OMEN_OK;
}

/* The result of analyzer a (one of the order given to gounit_open); NULL if it produced none. */
static inline void *gounit_result(const gounit *g, const omen_analyzer *a) {
  for (size_t i = 0; g->u.results && i < g->u.norder; i++)
    if (g->u.order[i] == a)
      return g->u.results[i];
  return NULL;
}

static inline void gounit_close(gounit *g) {
  for (size_t k = 0; k < g->u.ndiags; k++) {
    omen_diag_clear(g->u.diags[k]);
    free(g->u.diags[k]);
  }
  free(g->u.diags);
  free(g->u.gofiles);
  free(g->u.bad);
  free(g->u.nbad);
  omen_arena_free(g->u.arena);
  if (g->tree)
    ts_tree_delete(g->tree);
  if (g->parser)
    ts_parser_delete(g->parser);
  omen_file_free(g->f);
}

/* The smallest named node spanning the first occurrence of text; with a '|' in text, only the part
 * before it (the rest is context that makes the occurrence unique). The null node if not found. */
static inline TSNode gounit_node(const gounit *g, const char *text) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", text);
  char *bar = strchr(buf, '|');
  size_t len = bar ? (size_t)(bar - buf) : strlen(buf);
  if (bar)
    memmove(bar, bar + 1, strlen(bar));
  const char *at = strstr(g->f->text, buf);
  TSNode root = ts_tree_root_node(g->tree);
  if (!at) {
    fprintf(stderr, "marker not found: %s\n", text);
    return ts_node_parent(root); /* null */
  }
  uint32_t s = (uint32_t)(at - g->f->text), e = s + (uint32_t)len;
  return ts_node_named_descendant_for_byte_range(root, s, e);
}

#endif
