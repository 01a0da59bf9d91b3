/* rule_pack.c - runs the declarative rules (rules/ files, --rules, .omen.yml rules.files) on each unit:
 * Go files on the tree the front end parsed, C/C++ main files on a tree-sitter C or C++ tree. */
#include <string.h>

#include "analyzers.h"
#include "pass.h"
#include "rulepack.h"

typedef struct ctx {
  omen_pass *pass;
  const omen_file *file;
} ctx;

static omen_status on_hit(void *c, const omen_pack_hit *h) {
  ctx *x = c;
  omen_diag *d = omen_pass_report(x->pass, h->rule, x->file, h->start, h->end, "%s", h->message);
  if (d && h->has_fix) {
    omen_fix *fx = omen_diag_add_fix(x->pass, d, x->file, h->applicability, "%s", h->fix_message);
    omen_fix_add_edit(x->pass, fx, h->fix_start, h->fix_end, h->fix_text);
  }
  return OMEN_OK;
}

/* Go: the findings of one file, found by scan() while its tree was hot and reported by run(). */
typedef struct saved_hit {
  omen_pack_hit h;
  struct saved_hit *next;
} saved_hit;

typedef struct file_hits {
  saved_hit *first, **last;
  omen_arena *arena;
} file_hits;

static omen_status save_hit(void *c, const omen_pack_hit *h) {
  file_hits *fh = c;
  saved_hit *s = omen_arena_alloc(fh->arena, sizeof *s);
  if (!s)
    return OMEN_ENOMEM;
  s->h = *h;
  s->h.message = omen_arena_strdup(fh->arena, h->message);
  if (h->has_fix) {
    s->h.fix_message = omen_arena_strdup(fh->arena, h->fix_message);
    s->h.fix_text = omen_arena_strdup(fh->arena, h->fix_text);
  }
  if (!s->h.message || (h->has_fix && (!s->h.fix_message || !s->h.fix_text)))
    return OMEN_ENOMEM;
  *fh->last = s;
  fh->last = &s->next;
  return OMEN_OK;
}

/* Matching right after the parse costs about a third less than after the whole package is parsed
 * (the tree is still in the processor's cache; see docs/architecture.md). */
static omen_status scan(omen_pass *pass, void **state) {
  const omen_pack *pk = omen_rulepack_active();
  *state = NULL;
  if (!pk || !(omen_pack_langs(pk) & OMEN_LANG_GO))
    return OMEN_OK;
  const omen_go_file *gf = omen_pass_go_file(pass, 0);
  file_hits *fh = omen_arena_alloc(omen_pass_arena(pass), sizeof *fh);
  if (!fh)
    return OMEN_ENOMEM;
  fh->first = NULL;
  fh->last = &fh->first;
  fh->arena = omen_pass_arena(pass);
  omen_status s =
      omen_pack_match(pk, OMEN_LANG_GO, gf->root, gf->file->text, gf->file->len, save_hit, fh, NULL);
  if (s == OMEN_OK)
    *state = fh;
  return s;
}

static omen_status run(omen_pass *pass, void **result) {
  (void)result;
  const omen_pack *pk = omen_rulepack_active();
  unsigned lang = omen_pass_lang(pass);
  if (!pk || !(omen_pack_langs(pk) & lang))
    return OMEN_OK;
  ctx x = {.pass = pass};
  if (lang == OMEN_LANG_GO) {
    for (size_t i = 0; i < omen_pass_go_nfiles(pass); i++) {
      const omen_go_file *gf = omen_pass_go_file(pass, i);
      x.file = gf->file;
      const file_hits *fh = omen_pass_go_scan(pass, i);
      omen_status s = OMEN_OK;
      if (fh) {
        for (const saved_hit *h = fh->first; h && s == OMEN_OK; h = h->next)
          s = on_hit(&x, &h->h);
      } else { /* not scanned: match now */
        s = omen_pack_match(pk, lang, gf->root, gf->file->text, gf->file->len, on_hit, &x, NULL);
      }
      if (s != OMEN_OK)
        return s;
    }
    return OMEN_OK;
  }
  x.file = omen_pass_c_file(pass);
  if (!x.file)
    return OMEN_OK;
  TSParser *p = ts_parser_new();
  if (!p)
    return OMEN_ENOMEM;
  omen_status s = OMEN_OK;
  ts_parser_set_timeout_micros(p, 30 * 1000 * 1000); /* a pathological file cannot hold the run */
  TSTree *t = ts_parser_set_language(p, omen_pack_language(lang))
                  ? ts_parser_parse_string(p, NULL, x.file->text, x.file->len)
                  : NULL;
  if (t)
    s = omen_pack_match(pk, lang, ts_tree_root_node(t), x.file->text, x.file->len, on_hit, &x, NULL);
  ts_tree_delete(t);
  ts_parser_delete(p);
  return s;
}

const omen_analyzer omen_rule_pack = {
    .name = "rule-pack",
    .title = "Declarative rules: tree-sitter queries from YAML rule files",
    .doc = "Runs the rules of the loaded rule packs (the shipped rules/ directory, --rules, and the "
           "rules.files of .omen.yml): each language's queries are compiled into one query, matched in one "
           "pass per file; predicates and structural conditions run on candidate matches only. Go rules "
           "use the tree the Go front end parsed; C/C++ rules parse the main file of each translation "
           "unit with tree-sitter-c or tree-sitter-cpp. See docs/rule-format.md.",
    .langs = OMEN_LANG_GO | OMEN_LANG_C | OMEN_LANG_CPP,
    .run = run,
    .scan = scan,
};
