/* lsp_actions.c - code actions of the language server: each fix of a finding as a quick fix, an
 * "Ignore RULE on this line" comment, and source.fixAll.omen with the safe fixes that do not overlap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp_int.h"

/* Whether a code action of kind is wanted under context.only (absent: every kind). A requested
 * kind covers itself and the kinds under it ("source" covers "source.fixAll.omen"). */
static bool kind_wanted(const cJSON *only, const char *kind) {
  if (!cJSON_IsArray(only))
    return true;
  const cJSON *k;
  cJSON_ArrayForEach(k, only) {
    if (!cJSON_IsString(k))
      continue;
    size_t n = strlen(k->valuestring);
    if (strncmp(kind, k->valuestring, n) == 0 && (kind[n] == '\0' || kind[n] == '.'))
      return true;
  }
  return false;
}

/* A TextEdit replacing [start,end) of d's text by text; NULL when out of range or out of memory. */
static cJSON *text_edit(const lsp_doc *d, double start, double end, const char *text) {
  if (!(start >= 0 && start <= end && end <= (double)d->len))
    return NULL;
  cJSON *e = cJSON_CreateObject();
  cJSON *range = lsp_json_range(d->text, d->len, (size_t)start, (size_t)end);
  if (!e || !range || !cJSON_AddStringToObject(e, "newText", text)) {
    cJSON_Delete(e);
    cJSON_Delete(range);
    return NULL;
  }
  cJSON_AddItemToObject(e, "range", range);
  return e;
}

/* Adds the TextEdits of a stored fix (an array of [start, end, text]) to list; false on failure. */
static bool add_fix_edits(const lsp_doc *d, const cJSON *edits, cJSON *list) {
  const cJSON *e;
  cJSON_ArrayForEach(e, edits) {
    const cJSON *a = cJSON_GetArrayItem(e, 0), *b = cJSON_GetArrayItem(e, 1), *t = cJSON_GetArrayItem(e, 2);
    cJSON *te = cJSON_IsNumber(a) && cJSON_IsNumber(b) && cJSON_IsString(t)
                    ? text_edit(d, a->valuedouble, b->valuedouble, t->valuestring)
                    : NULL;
    if (!te)
      return false;
    cJSON_AddItemToArray(list, te);
  }
  return true;
}

/* A CodeAction of kind with a WorkspaceEdit changing d by edits (a TextEdit array, taken); diag (copied)
 * when it answers one diagnostic. Added to out; edits is freed on failure. */
static void add_action(cJSON *out, const lsp_doc *d, const char *title, const char *kind, const cJSON *diag,
                       bool preferred, cJSON *edits) {
  cJSON *a = cJSON_CreateObject();
  cJSON *we = cJSON_AddObjectToObject(a, "edit");
  cJSON *changes = cJSON_AddObjectToObject(we, "changes");
  cJSON *dl = diag ? cJSON_AddArrayToObject(a, "diagnostics") : NULL;
  cJSON *dc = diag ? cJSON_Duplicate(diag, 1) : NULL;
  bool ok = edits && changes && cJSON_AddStringToObject(a, "title", title) && cJSON_AddStringToObject(a, "kind", kind) &&
            (!diag || (dl && dc)) && (!preferred || cJSON_AddTrueToObject(a, "isPreferred"));
  if (!ok) {
    cJSON_Delete(a);
    cJSON_Delete(dc);
    cJSON_Delete(edits);
    return;
  }
  if (dc)
    cJSON_AddItemToArray(dl, dc);
  cJSON_AddItemToObject(changes, d->uri, edits);
  cJSON_AddItemToArray(out, a);
}

/* "Ignore RULE on this line": `//omen:ignore RULE reason` on its own line above the one where the
 * finding starts (at byte start), with that line's indentation and line break. */
static void add_ignore_action(cJSON *out, const lsp_doc *d, const cJSON *diag, const char *rule, double start) {
  if (!(start >= 0 && start <= (double)d->len) || !*rule || strncmp(rule, "omen/", 5) == 0)
    return; /* omen's own findings about ignore comments are fixed by editing those */
  size_t ls = (size_t)start, ind = 0, eol = (size_t)start;
  while (ls > 0 && d->text[ls - 1] != '\n' && d->text[ls - 1] != '\r')
    ls--;
  while (ls + ind < d->len && (d->text[ls + ind] == ' ' || d->text[ls + ind] == '\t'))
    ind++;
  while (eol < d->len && d->text[eol] != '\n' && d->text[eol] != '\r')
    eol++;
  const char *br = eol + 1 < d->len && d->text[eol] == '\r' && d->text[eol + 1] == '\n' ? "\r\n"
                   : eol < d->len && d->text[eol] == '\r'                              ? "\r"
                                                                                       : "\n";
  size_t n = ind + strlen(rule) + 64;
  char *line = malloc(n);
  char title[300];
  if (!line)
    return;
  snprintf(line, n, "%.*s//omen:ignore %s reason%s", (int)ind, d->text + ls, rule, br);
  snprintf(title, sizeof title, "Ignore %.200s on this line", rule);
  cJSON *edits = cJSON_CreateArray();
  cJSON *te = edits ? text_edit(d, (double)ls, (double)ls, line) : NULL;
  free(line);
  if (!te) {
    cJSON_Delete(edits);
    return;
  }
  cJSON_AddItemToArray(edits, te);
  add_action(out, d, title, "quickfix", diag, false, edits);
}

/* The quick fixes for one diagnostic of context.diagnostics: nothing unless it is omen's and its data
 * names a finding of d's current version. */
static void add_quickfixes(cJSON *out, const lsp_doc *d, const cJSON *diag) {
  const char *src = lsp_str_at(diag, "source"), *code = lsp_str_at(diag, "code");
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(diag, "data");
  long version;
  unsigned long index;
  if (!src || strcmp(src, "omen") != 0 || !lsp_version_at(data, &version) || version != d->version ||
      !lsp_uint_at(data, "index", &index) || index >= (unsigned long)cJSON_GetArraySize(d->findings))
    return;
  const cJSON *f = cJSON_GetArrayItem(d->findings, (int)index);
  const char *rule = lsp_str_at(f, "rule");
  const cJSON *start = cJSON_GetObjectItemCaseSensitive(f, "start");
  if (!rule || !cJSON_IsNumber(start) || (code && strcmp(code, rule) != 0))
    return; /* not the finding the index names */
  bool preferred = true;
  const cJSON *x;
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "fixes")) {
    const char *title = lsp_str_at(x, "title");
    bool safe = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "safe"));
    char t[600];
    snprintf(t, sizeof t, "%.500s%s", title ? title : "", safe ? "" : " (unsafe)");
    cJSON *edits = cJSON_CreateArray();
    if (!edits || !add_fix_edits(d, cJSON_GetObjectItemCaseSensitive(x, "edits"), edits)) {
      cJSON_Delete(edits);
      continue;
    }
    add_action(out, d, t, "quickfix", diag, safe && preferred, edits);
    if (safe)
      preferred = false;
  }
  add_ignore_action(out, d, diag, rule, start->valuedouble);
}

/* Whether the edit [a,b) conflicts with one of the n edits in taken (pairs of offsets): their ranges
 * overlap, two insertions are at the same place, or an insertion is inside a replaced range. */
static bool conflicts(const double *taken, size_t n, double a, double b) {
  for (size_t i = 0; i < n; i++) {
    double c = taken[2 * i], e = taken[2 * i + 1];
    if ((a < e && c < b) || (a == c && (a == b || c == e)))
      return true;
  }
  return false;
}

/* source.fixAll.omen: per finding of d its first safe fix, unless it conflicts with one taken before. */
static void add_fix_all(cJSON *out, const lsp_doc *d) {
  size_t cap = 0, n = 0;
  const cJSON *f, *x, *e;
  cJSON_ArrayForEach(f, d->findings) {
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "fixes")) {
      cap += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(x, "edits"));
    }
  }
  double *taken = cap ? malloc(2 * cap * sizeof *taken) : NULL;
  cJSON *edits = taken ? cJSON_CreateArray() : NULL;
  if (!edits) {
    free(taken);
    return;
  }
  cJSON_ArrayForEach(f, d->findings) {
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "fixes")) {
      if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "safe")))
        continue;
      const cJSON *xe = cJSON_GetObjectItemCaseSensitive(x, "edits");
      bool ok = true;
      size_t m = n;
      cJSON_ArrayForEach(e, xe) {
        double a = cJSON_GetArrayItem(e, 0)->valuedouble, b = cJSON_GetArrayItem(e, 1)->valuedouble;
        if (conflicts(taken, m, a, b)) { /* also against the fix's own earlier edits */
          ok = false;
          break;
        }
        taken[2 * m] = a;
        taken[2 * m + 1] = b;
        m++;
      }
      if (ok && !add_fix_edits(d, xe, edits)) { /* out of memory: no half-applied fix */
        free(taken);
        cJSON_Delete(edits);
        return;
      }
      if (ok)
        n = m;
      break; /* the first safe fix only: the others are alternatives to it */
    }
  }
  free(taken);
  if (cJSON_GetArraySize(edits) == 0) {
    cJSON_Delete(edits);
    return;
  }
  add_action(out, d, "Fix all safe omen findings", "source.fixAll.omen", NULL, false, edits);
}

cJSON *lsp_code_actions(const lsp_doc *d, const cJSON *ctx) {
  const cJSON *only = cJSON_GetObjectItemCaseSensitive(ctx, "only");
  cJSON *out = cJSON_CreateArray();
  if (out && d && d->findings && d->items_version == d->version) { /* else the findings are of an older text */
    const cJSON *diag;
    if (kind_wanted(only, "quickfix")) {
      cJSON_ArrayForEach(diag, cJSON_GetObjectItemCaseSensitive(ctx, "diagnostics")) {
        add_quickfixes(out, d, diag);
      }
    }
    if (kind_wanted(only, "source.fixAll.omen"))
      add_fix_all(out, d);
  }
  return out;
}
