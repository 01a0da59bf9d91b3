/* test_lsp_actions.c - unit tests of the language server's source.fixAll.omen action: per finding
 * the first safe fix only, never an unsafe one, and a fix left out whole when one of its edits
 * overlaps an edit already taken (the same insertion point, an insertion inside a replaced range,
 * overlapping ranges, or overlapping edits of the fix itself); nothing for an outdated version. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lsp.h"
#include "lsp_int.h"

#define URI "file:///t/a.go"

/* Findings as lsp.c stores them: {"rule", "start", "fixes": [{"title", "safe", "edits": [[a, b, text]]}]}. */
static const char *const findings_json =
    "["
    "{\"rule\":\"r/one\",\"start\":0,\"fixes\":[{\"title\":\"x\",\"safe\":true,\"edits\":[[5,5,\"X\"]]}]},"
    "{\"rule\":\"r/same-point\",\"start\":0,\"fixes\":[{\"title\":\"y\",\"safe\":true,\"edits\":[[5,5,\"Y\"]]}]},"
    "{\"rule\":\"r/around\",\"start\":0,\"fixes\":[{\"title\":\"z\",\"safe\":true,\"edits\":[[3,8,\"Z\"]]}]},"
    "{\"rule\":\"r/unsafe-first\",\"start\":0,\"fixes\":[{\"title\":\"u\",\"safe\":false,\"edits\":[[10,11,\"U\"]]},"
    "  {\"title\":\"s\",\"safe\":true,\"edits\":[[10,12,\"S\"]]}]},"
    "{\"rule\":\"r/self\",\"start\":0,\"fixes\":[{\"title\":\"pq\",\"safe\":true,\"edits\":[[15,17,\"P\"],[16,18,\"Q\"]]}]},"
    "{\"rule\":\"r/half\",\"start\":0,\"fixes\":[{\"title\":\"mn\",\"safe\":true,\"edits\":[[20,21,\"M\"],[5,5,\"N\"]]}]},"
    "{\"rule\":\"r/plain\",\"start\":0,\"fixes\":[{\"title\":\"w\",\"safe\":true,\"edits\":[[22,23,\"W\"]]}]},"
    "{\"rule\":\"r/alternatives\",\"start\":0,\"fixes\":[{\"title\":\"a1\",\"safe\":true,\"edits\":[[24,25,\"A1\"]]},"
    "  {\"title\":\"a2\",\"safe\":true,\"edits\":[[25,26,\"A2\"]]}]},"
    "{\"rule\":\"r/only-unsafe\",\"start\":0,\"fixes\":[{\"title\":\"v\",\"safe\":false,\"edits\":[[13,14,\"V\"]]}]}"
    "]";

/* The text after the fix-all action of actions (edits on line 0 of an ASCII text), or NULL. */
static char *apply_fix_all(const cJSON *actions, const char *text) {
  const cJSON *a, *fa = NULL;
  cJSON_ArrayForEach(a, actions) {
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(a, "kind");
    if (cJSON_IsString(kind) && strcmp(kind->valuestring, "source.fixAll.omen") == 0)
      fa = a;
  }
  const cJSON *edits = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(fa, "edit"), "changes"), URI);
  if (!cJSON_IsArray(edits))
    return NULL;
  char *out = strdup(text);
  /* the edits are against the original text: apply them from the last to the first */
  int n = cJSON_GetArraySize(edits);
  for (int done = 0; done < n; done++) {
    const cJSON *best = NULL;
    double best_at = -1;
    const cJSON *e;
    cJSON_ArrayForEach(e, edits) {
      double at = cJSON_GetObjectItemCaseSensitive(
                      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, "range"), "start"), "character")
                      ->valuedouble;
      if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "omen-done")) && at > best_at) {
        best = e;
        best_at = at;
      }
    }
    const cJSON *end = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(best, "range"), "end");
    size_t s = (size_t)best_at, t = (size_t)cJSON_GetObjectItemCaseSensitive(end, "character")->valuedouble;
    const char *nt = cJSON_GetObjectItemCaseSensitive(best, "newText")->valuestring;
    size_t len = strlen(out), nl = strlen(nt);
    char *next = malloc(len - (t - s) + nl + 1);
    memcpy(next, out, s);
    memcpy(next + s, nt, nl);
    memcpy(next + s + nl, out + t, len - t + 1);
    free(out);
    out = next;
    cJSON_AddTrueToObject((cJSON *)best, "omen-done");
  }
  return out;
}

int main(void) {
  char text[] = "abcdefghijklmnopqrstuvwxyz\n";
  lsp_doc d = {0};
  d.uri = URI;
  d.text = text;
  d.len = strlen(text);
  d.version = d.items_version = 3;
  d.findings = cJSON_Parse(findings_json);
  CHECK(d.findings != NULL);
  cJSON *ctx = cJSON_Parse("{\"diagnostics\": [], \"only\": [\"source.fixAll.omen\"]}");

  cJSON *acts = lsp_code_actions(&d, ctx);
  CHECK(cJSON_GetArraySize(acts) == 1);
  char *got = apply_fix_all(acts, text);
  /* X at 5 (first); Y (same point), Z (around it), P/Q (self-overlap) and M/N (N overlaps X: the whole
   * fix is left out, M too) are skipped; S is the first safe fix of its finding; A1, not its alternative
   * A2; W; V is unsafe */
  CHECK_STR(got, "abcdeXfghijSmnopqrstuvWxA1z\n");
  free(got);
  cJSON_Delete(acts);

  /* the findings are of an older version: no action at all */
  d.version = 4;
  acts = lsp_code_actions(&d, ctx);
  CHECK(acts && cJSON_GetArraySize(acts) == 0);
  cJSON_Delete(acts);

  /* only unsafe fixes left: no fix-all action */
  d.version = 3;
  cJSON_Delete(d.findings);
  d.findings = cJSON_Parse("[{\"rule\":\"r/u\",\"start\":0,\"fixes\":[{\"title\":\"v\",\"safe\":false,\"edits\":[[1,2,\"V\"]]}]}]");
  acts = lsp_code_actions(&d, ctx);
  CHECK(acts && cJSON_GetArraySize(acts) == 0);
  cJSON_Delete(acts);

  /* edits out of range (a finding stored for a longer text) give no action rather than a wrong edit */
  cJSON_Delete(d.findings);
  d.findings = cJSON_Parse("[{\"rule\":\"r/far\",\"start\":0,\"fixes\":[{\"title\":\"f\",\"safe\":true,\"edits\":[[100,101,\"F\"]]}]}]");
  acts = lsp_code_actions(&d, ctx);
  CHECK(acts && cJSON_GetArraySize(acts) == 0);
  cJSON_Delete(acts);

  cJSON_Delete(d.findings);
  cJSON_Delete(ctx);
  return check_done();
}
