/* out_json.c - the JSON report; its schema (version 1) is documented in docs/json-output.md. */
#include "out_util.h"
#include "output.h"

#define JSON_SCHEMA_VERSION 1

static void put_pos(omen_jw *w, cJSON *parent, const char *key, omen_pos p, uint32_t off) {
  cJSON *o = omen_jw_obj(w, parent, key);
  omen_jw_num(w, o, "line", p.line);
  omen_jw_num(w, o, "column", p.col);
  omen_jw_num(w, o, "utf16Column", p.col16);
  omen_jw_num(w, o, "offset", off);
}

static void put_loc(omen_jw *w, cJSON *parent, const omen_loc *l) {
  cJSON *o = omen_jw_obj(w, parent, "location");
  omen_jw_str(w, o, "path", l->path);
  put_pos(w, o, "start", l->start_pos, l->start);
  put_pos(w, o, "end", l->end_pos, l->end);
}

static void put_diag(omen_jw *w, cJSON *arr, const omen_diag *d) {
  char family[128];
  cJSON *o = omen_jw_obj(w, arr, NULL);
  omen_jw_str(w, o, "rule", d->rule->id);
  omen_jw_str(w, o, "family", omen_rule_family(d->rule->id, family, sizeof family));
  omen_jw_str(w, o, "severity", omen_severity_str(d->severity));
  omen_jw_str(w, o, "confidence", omen_confidence_str(d->confidence));
  omen_jw_str(w, o, "message", d->message);
  put_loc(w, o, &d->loc);
  /* optional fields are left out when they do not apply */
  if (d->scope)
    omen_jw_str(w, o, "scope", d->scope);
  if (d->fingerprint[0])
    omen_jw_str(w, o, "fingerprint", d->fingerprint);
  if (d->line_fingerprint[0])
    omen_jw_str(w, o, "line_fingerprint", d->line_fingerprint);
  if (d->suppressed) {
    cJSON *sup = omen_jw_obj(w, o, "suppressed");
    omen_jw_str(w, sup, "kind", "inSource");
    omen_jw_str(w, sup, "justification", d->suppress_reason);
  }
  cJSON *rel = omen_jw_arr(w, o, "related");
  for (size_t k = 0; k < d->nrelated; k++) {
    cJSON *ro = omen_jw_obj(w, rel, NULL);
    put_loc(w, ro, &d->related[k].loc);
    omen_jw_str(w, ro, "message", d->related[k].message);
  }
  cJSON *fixes = omen_jw_arr(w, o, "fixes");
  for (size_t k = 0; k < d->nfixes; k++) {
    const omen_fix *f = &d->fixes[k];
    cJSON *fo = omen_jw_obj(w, fixes, NULL);
    omen_jw_str(w, fo, "message", f->message);
    omen_jw_str(w, fo, "applicability", f->applicability == OMEN_FIX_UNSAFE ? "unsafe" : "safe");
    omen_jw_str(w, fo, "path", f->path);
    cJSON *edits = omen_jw_arr(w, fo, "edits");
    for (size_t m = 0; m < f->nedits; m++) {
      cJSON *eo = omen_jw_obj(w, edits, NULL);
      omen_jw_num(w, eo, "start", f->edits[m].start);
      omen_jw_num(w, eo, "end", f->edits[m].end);
      omen_jw_str(w, eo, "text", f->edits[m].text);
    }
  }
}

omen_status omen_write_json(FILE *out, const omen_result *r, const omen_output_opts *o) {
  omen_status s = omen_out_check(r);
  if (s != OMEN_OK)
    return s;
  omen_jw w = {false};
  cJSON *root = cJSON_CreateObject();
  if (!root)
    return OMEN_ENOMEM;
  omen_jw_num(&w, root, "version", JSON_SCHEMA_VERSION);
  cJSON *tool = omen_jw_obj(&w, root, "tool");
  omen_jw_str(&w, tool, "name", "omen");
  omen_jw_str(&w, tool, "version", OMEN_VERSION);
  cJSON *sum = omen_jw_obj(&w, root, "summary");
  omen_jw_num(&w, sum, "files", (double)r->nfiles);
  omen_jw_num(&w, sum, "generatedFilesLeftOut", (double)r->ngenerated);
  omen_jw_num(&w, sum, "units", (double)r->nunits);
  omen_jw_num(&w, sum, "errors", (double)r->count[OMEN_SEV_ERROR]);
  omen_jw_num(&w, sum, "warnings", (double)r->count[OMEN_SEV_WARNING]);
  omen_jw_num(&w, sum, "notes", (double)r->count[OMEN_SEV_NOTE]);
  omen_jw_num(&w, sum, "suppressed", (double)r->nsuppressed);
  omen_jw_num(&w, sum, "baselineLeftOut", o ? (double)o->nbaselined : 0);
  omen_jw_num(&w, sum, "unchangedLeftOut", o ? (double)o->nunchanged : 0);
  cJSON *diags = omen_jw_arr(&w, root, "diagnostics");
  for (size_t i = 0; i < r->ndiags && !w.failed; i++)
    put_diag(&w, diags, &r->diags[i]);
  return omen_jw_finish(&w, root, out);
}
