/* lsp_int.h - what the language server's files share: open documents and JSON helpers. */
#ifndef OMEN_LSP_INT_H
#define OMEN_LSP_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* An open document. */
typedef struct lsp_doc {
  char *uri;  /* as the client sent it */
  char *path; /* absolute; NULL when the URI is not a local file */
  char *text;
  size_t len;
  long version;
  cJSON *items;       /* the last diagnostics (an array), for textDocument/diagnostic */
  cJSON *findings;    /* parallel to items: what code actions need of each (see lsp.c's finding_json) */
  long items_version; /* the version they were computed for */
  unsigned long result_id; /* names items for previousResultId; 0 before the first analysis */
  bool dirty;         /* its findings must be computed again */
  double due;         /* when dirty: when to start (seconds on the monotonic clock; debounce) */
  double last_edit;   /* when the last didChange came (same clock) */
} lsp_doc;

/* The string, non-negative 32-bit integer or LSP document version (32-bit integer) under key;
 * NULL/false when missing or of another type. */
const char *lsp_str_at(const cJSON *obj, const char *key);
bool lsp_uint_at(const cJSON *obj, const char *key, unsigned long *out);
bool lsp_version_at(const cJSON *obj, long *out);

/* An LSP Range for the bytes [start, end) of text; NULL when out of memory. */
cJSON *lsp_json_range(const char *text, size_t len, size_t start, size_t end);

/* The answer to textDocument/codeAction on d: quick fixes for the omen diagnostics of ctx (the
 * request's context) and source.fixAll.omen, as ctx.only asks; empty when d's findings are of an
 * older version. NULL when out of memory. */
cJSON *lsp_code_actions(const lsp_doc *d, const cJSON *ctx);

#endif
