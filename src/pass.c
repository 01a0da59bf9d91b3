/* pass.c - what analyzers see of the engine: unit contents, required results, reporting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "registry.h"
#include "unit.h"

const omen_analyzer *omen_pass_analyzer(const omen_pass *p) { return p->a; }
unsigned omen_pass_lang(const omen_pass *p) { return p->u->lang; }
omen_arena *omen_pass_arena(omen_pass *p) { return p->u->arena; }

void *omen_pass_result(omen_pass *p, const omen_analyzer *dep) {
  bool listed = false;
  for (size_t k = 0; p->a->requires && p->a->requires[k]; k++)
    listed |= p->a->requires[k] == dep;
  if (!listed) {
    p->u->status = OMEN_EINTERNAL;
    return NULL;
  }
  for (size_t i = 0; p->u->results && i < p->u->norder; i++)
    if (p->u->order[i] == dep)
      return p->u->results[i];
  return NULL;
}

size_t omen_pass_go_nfiles(const omen_pass *p) { return p->u->ngofiles; }
const omen_go_file *omen_pass_go_file(const omen_pass *p, size_t i) { return &p->u->gofiles[i]; }
const char *omen_pass_go_package(const omen_pass *p) { return p->u->pkg; }
const char *omen_pass_go_dir(const omen_pass *p) { return p->u->dir; }
void *omen_pass_go_scan(const omen_pass *p, size_t i) {
  if (!p->u->scans || i >= p->u->ngofiles || !p->u->scans[i] || p->ai >= p->u->norder)
    return NULL;
  return p->u->scans[i][p->ai];
}

CXTranslationUnit omen_pass_c_tu(const omen_pass *p) { return p->u->tu; }
const omen_file *omen_pass_c_file(const omen_pass *p) { return p->u->cfile; }

bool omen_pass_c_in_main(const omen_pass *p, CXSourceLocation loc, uint32_t *off) {
  CXFile file;
  unsigned line, col, offset;
  clang_getFileLocation(loc, &file, &line, &col, &offset);
  if (!file || !p->u->cxmain || !clang_File_isEqual(file, p->u->cxmain))
    return false;
  if (off)
    *off = offset;
  return true;
}

const char *omen_pass_node_text(omen_pass *p, const omen_file *f, TSNode n) {
  if (ts_node_is_null(n))
    return "";
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > f->len || s > e)
    return "";
  char *t = omen_arena_strndup(p->u->arena, f->text + s, e - s);
  return t ? t : "";
}

bool omen_node_text_eq(const omen_file *f, TSNode n, const char *s) {
  if (ts_node_is_null(n))
    return false;
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  size_t len = strlen(s);
  return b <= f->len && a <= b && (size_t)(b - a) == len && memcmp(f->text + a, s, len) == 0;
}

static char *vfmt(const char *fmt, va_list ap) {
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if (n < 0)
    return NULL;
  char *s = malloc((size_t)n + 1);
  if (s)
    vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

static bool set_loc(omen_loc *l, const omen_file *f, uint32_t start, uint32_t end) {
  if (end > f->len)
    end = f->len;
  if (start > end)
    start = end;
  l->path = strdup(f->path);
  if (!l->path)
    return false;
  l->start = start;
  l->end = end;
  l->start_pos = omen_file_pos(f, start);
  l->end_pos = omen_file_pos(f, end);
  return true;
}

static bool in_bad_decl(const omen_unit *u, const omen_file *f, uint32_t off) {
  for (size_t i = 0; i < u->ngofiles; i++) {
    if (u->gofiles[i].file != f)
      continue;
    for (size_t k = 0; k < u->nbad[i]; k++)
      if (off >= u->bad[i][k].start && off < u->bad[i][k].end)
        return true;
  }
  return false;
}

static omen_diag *push_diag(omen_unit *u, const omen_rule *rule, const omen_file *f, uint32_t start,
                            uint32_t end, char *msg) {
  if (!msg) {
    u->status = OMEN_ENOMEM;
    return NULL;
  }
  if (u->ndiags == u->capdiags) {
    size_t cap = u->capdiags ? u->capdiags * 2 : 16;
    if (cap > 1000000) { /* a unit with a million findings is a bug in an analyzer */
      free(msg);
      u->status = OMEN_ELIMIT;
      return NULL;
    }
    omen_diag **nd = realloc(u->diags, cap * sizeof *nd);
    if (!nd) {
      free(msg);
      u->status = OMEN_ENOMEM;
      return NULL;
    }
    u->diags = nd;
    u->capdiags = cap;
  }
  omen_diag *d = calloc(1, sizeof *d);
  if (!d || !set_loc(&d->loc, f, start, end)) {
    free(d);
    free(msg);
    u->status = OMEN_ENOMEM;
    return NULL;
  }
  d->rule = rule;
  d->severity = rule->severity;
  d->confidence = rule->confidence;
  d->message = msg;
  u->diags[u->ndiags++] = d;
  return d;
}

omen_diag *omen_unit_report(omen_unit *u, const omen_rule *rule, const omen_file *f, uint32_t start,
                            uint32_t end, const char *msg) {
  return push_diag(u, rule, f, start, end, strdup(msg));
}

omen_diag *omen_pass_report(omen_pass *p, const omen_rule *rule, const omen_file *f, uint32_t start,
                            uint32_t end, const char *fmt, ...) {
  bool declared = false;
  for (size_t k = 0; p->a->rules && p->a->rules[k]; k++)
    declared |= p->a->rules[k] == rule;
  if (!declared && omen_rule_analyzer(rule) != p->a) { /* pack rules belong to the rule-pack analyzer */
    p->u->status = OMEN_EINTERNAL;
    return NULL;
  }
  if (in_bad_decl(p->u, f, start))
    return NULL;
  va_list ap;
  va_start(ap, fmt);
  char *msg = vfmt(fmt, ap);
  va_end(ap);
  return push_diag(p->u, rule, f, start, end, msg);
}

void omen_diag_add_related(omen_pass *p, omen_diag *d, const omen_file *f, uint32_t start, uint32_t end,
                           const char *fmt, ...) {
  if (!d)
    return;
  omen_related *nr = realloc(d->related, (d->nrelated + 1) * sizeof *nr);
  if (!nr) {
    p->u->status = OMEN_ENOMEM;
    return;
  }
  d->related = nr;
  omen_related *r = &nr[d->nrelated];
  memset(r, 0, sizeof *r);
  va_list ap;
  va_start(ap, fmt);
  r->message = vfmt(fmt, ap);
  va_end(ap);
  if (!r->message || !set_loc(&r->loc, f, start, end)) {
    free(r->message);
    p->u->status = OMEN_ENOMEM;
    return;
  }
  d->nrelated++;
}

omen_fix *omen_diag_add_fix(omen_pass *p, omen_diag *d, const omen_file *f, omen_applicability a,
                            const char *fmt, ...) {
  if (!d)
    return NULL;
  omen_fix *nf = realloc(d->fixes, (d->nfixes + 1) * sizeof *nf);
  if (!nf) {
    p->u->status = OMEN_ENOMEM;
    return NULL;
  }
  d->fixes = nf;
  omen_fix *fx = &nf[d->nfixes];
  memset(fx, 0, sizeof *fx);
  va_list ap;
  va_start(ap, fmt);
  fx->message = vfmt(fmt, ap);
  va_end(ap);
  fx->path = strdup(f->path);
  fx->applicability = a;
  if (!fx->message || !fx->path) {
    free(fx->message);
    free(fx->path);
    p->u->status = OMEN_ENOMEM;
    return NULL;
  }
  d->nfixes++;
  return fx;
}

void omen_fix_add_edit(omen_pass *p, omen_fix *fx, uint32_t start, uint32_t end, const char *text) {
  if (!fx)
    return;
  if (start > end) {
    p->u->status = OMEN_EINTERNAL;
    return;
  }
  omen_edit *ne = realloc(fx->edits, (fx->nedits + 1) * sizeof *ne);
  if (!ne) {
    p->u->status = OMEN_ENOMEM;
    return;
  }
  fx->edits = ne;
  char *t = strdup(text);
  if (!t) {
    p->u->status = OMEN_ENOMEM;
    return;
  }
  /* keep edits sorted by start */
  size_t i = fx->nedits;
  while (i > 0 && ne[i - 1].start > start) {
    ne[i] = ne[i - 1];
    i--;
  }
  ne[i] = (omen_edit){start, end, t};
  fx->nedits++;
}

double omen_thread_seconds(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

omen_status omen_unit_run(omen_unit *u, const bool *enabled) {
  u->results = omen_arena_alloc(u->arena, sizeof(void *) * (u->norder ? u->norder : 1));
  if (!u->results)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < u->norder; i++) {
    const omen_analyzer *a = u->order[i];
    if (!enabled[i] || !(a->langs & u->lang))
      continue;
    if (u->cancel && atomic_load_explicit(u->cancel, memory_order_relaxed))
      return OMEN_ECANCELED;
    omen_pass pass = {u, a, i};
    void *res = NULL;
    double t0 = omen_thread_seconds();
    omen_status s = a->run(&pass, &res);
    if (u->seconds)
      u->seconds[i] += omen_thread_seconds() - t0;
    if (s != OMEN_OK)
      return s;
    if (u->status != OMEN_OK)
      return u->status;
    u->results[i] = res;
  }
  return OMEN_OK;
}

omen_status omen_unit_scan(const omen_analyzer *const *order, size_t norder, const bool *enabled,
                           const omen_go_file *gf, omen_arena **arena, void ***states, double *seconds) {
  *arena = NULL;
  *states = NULL;
  bool any = false;
  for (size_t i = 0; i < norder && !any; i++)
    any = enabled[i] && order[i]->scan && (order[i]->langs & OMEN_LANG_GO);
  if (!any)
    return OMEN_OK;
  omen_unit u = {0};
  u.lang = OMEN_LANG_GO;
  u.arena = omen_arena_new();
  u.gofiles = (omen_go_file *)gf;
  u.ngofiles = 1;
  u.order = order;
  u.norder = norder;
  void **st = u.arena ? omen_arena_alloc(u.arena, norder * sizeof *st) : NULL;
  if (!st) {
    omen_arena_free(u.arena);
    return OMEN_ENOMEM;
  }
  memset(st, 0, norder * sizeof *st);
  *arena = u.arena;
  *states = st;
  for (size_t i = 0; i < norder; i++) {
    const omen_analyzer *a = order[i];
    if (!enabled[i] || !a->scan || !(a->langs & OMEN_LANG_GO))
      continue;
    omen_pass pass = {&u, a, i};
    double t0 = omen_thread_seconds();
    omen_status s = a->scan(&pass, &st[i]);
    if (seconds)
      seconds[i] += omen_thread_seconds() - t0;
    if (s == OMEN_ENOMEM)
      return s;
    if (s != OMEN_OK || u.status != OMEN_OK)
      st[i] = NULL; /* run() does that file itself */
    u.status = OMEN_OK;
  }
  for (size_t k = 0; k < u.ndiags; k++) { /* scans report nothing; drop anything reported */
    omen_diag_clear(u.diags[k]);
    free(u.diags[k]);
  }
  free(u.diags);
  return OMEN_OK;
}

const char *omen_pass_rule_option(omen_pass *p, const omen_rule *rule, const char *name) {
  if (!rule || !name)
    return NULL;
  const char *def = NULL;
  for (const omen_rule_option *o = rule->options; o && o->name && !def; o++)
    if (strcmp(o->name, name) == 0)
      def = o->def;
  if (!def)
    return NULL;
  const char *v = p && p->u->cfg ? omen_config_rule_option(p->u->cfg, rule, name) : NULL;
  return v ? v : def;
}

bool omen_pass_duration_option(omen_pass *p, const omen_rule *rule, const char *name, long long *ns) {
  const char *v = omen_pass_rule_option(p, rule, name);
  return v && omen_parse_duration(v, ns);
}

bool omen_pass_bytes_option(omen_pass *p, const omen_rule *rule, const char *name, long long *bytes) {
  const char *v = omen_pass_rule_option(p, rule, name);
  return v && omen_parse_bytes(v, bytes);
}
