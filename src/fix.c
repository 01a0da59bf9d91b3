/* fix.c - choosing fixes, applying their edits, printing them as unified diffs, writing files safely. */
#include "fix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "frontend.h"

#define FIX_MAX_TEXT ((size_t)256 << 20) /* largest text a file may grow to */
#define DIFF_MAX ((size_t)512 << 20)     /* largest diff of one file */
#define DIFF_CONTEXT 3

/* ---- applying edits ---- */

omen_status omen_edits_apply(const char *text, size_t len, const omen_edit *edits, size_t nedits, char **out,
                             size_t *outlen) {
  *out = NULL;
  if (outlen)
    *outlen = 0;
  if (len > FIX_MAX_TEXT)
    return OMEN_ELIMIT;
  size_t n = len, prev = 0;
  for (size_t i = 0; i < nedits; i++) {
    const omen_edit *e = &edits[i];
    if (e->start > e->end || e->end > len || e->start < prev)
      return OMEN_EUSAGE;
    prev = e->end;
    size_t tl = e->text ? strlen(e->text) : 0;
    n -= e->end - e->start; /* cannot underflow: the removed ranges are disjoint parts of text */
    if (tl > FIX_MAX_TEXT - n)
      return OMEN_ELIMIT;
    n += tl;
  }
  char *p = malloc(n + 1);
  if (!p)
    return OMEN_ENOMEM;
  size_t o = 0, at = 0;
  for (size_t i = 0; i < nedits; i++) {
    const omen_edit *e = &edits[i];
    memcpy(p + o, text + at, e->start - at);
    o += e->start - at;
    size_t tl = e->text ? strlen(e->text) : 0;
    memcpy(p + o, e->text ? e->text : "", tl);
    o += tl;
    at = e->end;
  }
  memcpy(p + o, text + at, len - at);
  o += len - at;
  p[o] = '\0';
  *out = p;
  if (outlen)
    *outlen = o;
  return OMEN_OK;
}

/* ---- choosing fixes ---- */

/* One edit of a chosen fix, with where it came from (fix, idx) for a stable order. */
typedef struct fedit {
  uint32_t start, end;
  const char *text;
  size_t tlen;
  size_t fix, idx;
} fedit;

typedef enum fstate {
  F_APPLIED,
  F_DUPLICATE, /* all its edits are already made by an earlier fix: applied once, counted once */
  F_INVALID,   /* edits out of range or overlapping each other */
  F_OVERLAP,   /* conflicts with an earlier fix */
  F_PARSE,     /* made the file parse worse */
  F_REFUSED,   /* the whole file was left alone */
} fstate;

/* The chosen fixes of one file, in diagnostic order. */
typedef struct plan {
  const char *path;          /* owned by the fix */
  const omen_snapshot *snap; /* NULL when none was taken */
  const omen_fix **fixes;
  fstate *state;
  size_t nfixes;
} plan;

typedef struct plans {
  plan *v;
  size_t n;
  const omen_fix **fixes; /* backing storage of every plan's fixes and state */
  fstate *state;
  size_t *diag; /* parallel to fixes: the index of the diagnostic it fixes */
} plans;

/* Edits accepted so far in one file, sorted by fedit_cmp; each starts at or after the previous end. */
typedef struct edset {
  fedit *v;
  size_t n, cap;
} edset;

typedef struct pick {
  const omen_fix *fix;
  size_t ord;
  size_t diag;
} pick;

static int cmp_pick(const void *a, const void *b) {
  const pick *x = a, *y = b;
  int c = strcmp(x->fix->path, y->fix->path);
  if (c)
    return c;
  return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static bool allowed(omen_applicability a, bool unsafe) {
  return a == OMEN_FIX_SAFE || (unsafe && a == OMEN_FIX_UNSAFE);
}

static void plans_free(plans *ps) {
  free(ps->v);
  free(ps->fixes);
  free(ps->state);
  free(ps->diag);
  memset(ps, 0, sizeof *ps);
}

/* Per diagnostic the first allowed fix, grouped by file; plans sorted by path. */
static omen_status plans_build(const omen_result *r, bool unsafe, plans *ps) {
  memset(ps, 0, sizeof *ps);
  size_t nd = r ? r->ndiags : 0;
  pick *picks = malloc((nd ? nd : 1) * sizeof *picks);
  if (!picks)
    return OMEN_ENOMEM;
  size_t np = 0;
  for (size_t i = 0; i < nd; i++) {
    const omen_diag *d = &r->diags[i];
    for (size_t k = 0; !d->suppressed && k < d->nfixes; k++) { /* a suppressed finding is left as it is */
      const omen_fix *f = &d->fixes[k];
      if (!allowed(f->applicability, unsafe))
        continue;
      if (f->path) { /* a fix without a file is malformed: nothing to apply */
        picks[np] = (pick){f, np, i};
        np++;
      }
      break;
    }
  }
  qsort(picks, np, sizeof *picks, cmp_pick);
  size_t nplans = 0;
  for (size_t i = 0; i < np; i++)
    nplans += i == 0 || strcmp(picks[i - 1].fix->path, picks[i].fix->path) != 0;
  ps->v = calloc(nplans ? nplans : 1, sizeof *ps->v);
  ps->fixes = malloc((np ? np : 1) * sizeof *ps->fixes);
  ps->state = malloc((np ? np : 1) * sizeof *ps->state);
  ps->diag = malloc((np ? np : 1) * sizeof *ps->diag);
  if (!ps->v || !ps->fixes || !ps->state || !ps->diag) {
    free(picks);
    plans_free(ps);
    return OMEN_ENOMEM;
  }
  for (size_t i = 0; i < np; i++) {
    ps->fixes[i] = picks[i].fix;
    ps->state[i] = F_APPLIED;
    ps->diag[i] = picks[i].diag;
    if (i == 0 || strcmp(picks[i - 1].fix->path, picks[i].fix->path) != 0) {
      plan *p = &ps->v[ps->n++];
      p->path = picks[i].fix->path;
      p->snap = omen_result_snapshot(r, p->path);
      p->fixes = &ps->fixes[i];
      p->state = &ps->state[i];
    }
    ps->v[ps->n - 1].nfixes++;
  }
  free(picks);
  return OMEN_OK;
}

static int fedit_cmp(const fedit *a, const fedit *b) {
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  if (a->end != b->end)
    return a->end < b->end ? -1 : 1;
  if (a->fix != b->fix)
    return a->fix < b->fix ? -1 : 1;
  return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int fedit_qcmp(const void *a, const void *b) { return fedit_cmp(a, b); }

static bool same_edit(const fedit *a, const fedit *b) {
  return a->start == b->start && a->end == b->end && a->tlen == b->tlen &&
         memcmp(a->text, b->text, a->tlen) == 0;
}

/* How edit c of a new fix relates to an accepted edit a: 1 identical (made once), -1 conflict, 0 both can
 * be made. Ranges that intersect conflict, as does an insertion strictly inside a replaced range, and two
 * insertions at one offset (their order would be arbitrary). An insertion at either end of a replaced
 * range does not: it goes before or after the replacement. */
static int relate(const fedit *a, const fedit *c) {
  if (same_edit(a, c))
    return 1;
  bool ains = a->start == a->end, cins = c->start == c->end;
  if (ains && cins)
    return a->start == c->start ? -1 : 0;
  if (ains)
    return c->start < a->start && a->start < c->end ? -1 : 0;
  if (cins)
    return a->start < c->start && c->start < a->end ? -1 : 0;
  return a->start < c->end && c->start < a->end ? -1 : 0;
}

/* The edits of f (index fi) sorted into tmp; F_INVALID when out of range or overlapping each other. */
static fstate fix_edits(const omen_fix *f, size_t fi, uint32_t len, fedit *tmp) {
  if (f->nedits == 0)
    return F_DUPLICATE; /* changes nothing */
  if (!f->edits)
    return F_INVALID;
  for (size_t j = 0; j < f->nedits; j++) {
    const omen_edit *e = &f->edits[j];
    if (e->start > e->end || e->end > len)
      return F_INVALID;
    const char *t = e->text ? e->text : "";
    size_t tl = strlen(t);
    if (tl > FIX_MAX_TEXT)
      return F_INVALID;
    tmp[j] = (fedit){e->start, e->end, t, tl, fi, j};
  }
  qsort(tmp, f->nedits, sizeof *tmp, fedit_qcmp);
  for (size_t j = 1; j < f->nedits; j++)
    if (tmp[j].start < tmp[j - 1].end)
      return F_INVALID;
  return F_APPLIED;
}

/* First accepted edit whose end is at or after off (ends are sorted since edits do not overlap). */
static size_t edset_lower(const edset *s, uint32_t off) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->v[mid].end < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static omen_status edset_insert(edset *s, const fedit *e) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    fedit *nv = realloc(s->v, cap * sizeof *nv);
    if (!nv)
      return OMEN_ENOMEM;
    s->v = nv;
    s->cap = cap;
  }
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (fedit_cmp(&s->v[mid], e) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  memmove(&s->v[lo + 1], &s->v[lo], (s->n - lo) * sizeof *s->v);
  s->v[lo] = *e;
  s->n++;
  return OMEN_OK;
}

/* Chooses, in order, the fixes of p that allow permits (NULL: all) and that are valid and conflict with
 * no fix chosen before; sets their state and fills set with the accepted edits. The state of fixes not
 * permitted is left as it was. */
static omen_status select_fixes(const plan *p, const bool *allow, edset *set) {
  set->n = 0;
  size_t maxe = 0;
  for (size_t i = 0; i < p->nfixes; i++)
    if (p->fixes[i]->nedits > maxe)
      maxe = p->fixes[i]->nedits;
  fedit *tmp = malloc((maxe ? maxe : 1) * sizeof *tmp);
  bool *dup = malloc(maxe ? maxe : 1);
  if (!tmp || !dup) {
    free(tmp);
    free(dup);
    return OMEN_ENOMEM;
  }
  omen_status s = OMEN_OK;
  for (size_t i = 0; i < p->nfixes && s == OMEN_OK; i++) {
    if (allow && !allow[i])
      continue;
    const omen_fix *f = p->fixes[i];
    fstate st = fix_edits(f, i, p->snap->len, tmp);
    if (st != F_APPLIED) {
      p->state[i] = st;
      continue;
    }
    size_t ndup = 0;
    for (size_t j = 0; j < f->nedits && st == F_APPLIED; j++) {
      const fedit *c = &tmp[j];
      dup[j] = false;
      for (size_t k = edset_lower(set, c->start); k < set->n && set->v[k].start <= c->end; k++) {
        int rel = relate(&set->v[k], c);
        if (rel < 0) {
          st = F_OVERLAP;
          break;
        }
        if (rel > 0)
          dup[j] = true;
      }
      ndup += dup[j];
    }
    if (st == F_APPLIED && ndup == f->nedits)
      st = F_DUPLICATE;
    for (size_t j = 0; j < f->nedits && st == F_APPLIED && s == OMEN_OK; j++)
      if (!dup[j])
        s = edset_insert(set, &tmp[j]);
    p->state[i] = st;
  }
  free(tmp);
  free(dup);
  return s;
}

static omen_status apply_set(const omen_snapshot *snap, const edset *set, char **out, size_t *outlen) {
  omen_edit *ed = malloc((set->n ? set->n : 1) * sizeof *ed);
  if (!ed)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < set->n; i++)
    ed[i] = (omen_edit){set->v[i].start, set->v[i].end, (char *)set->v[i].text};
  omen_status s = omen_edits_apply(snap->text, snap->len, ed, set->n, out, outlen);
  free(ed);
  return s;
}

static size_t count_state(const plan *p, fstate st) {
  size_t n = 0;
  for (size_t i = 0; i < p->nfixes; i++)
    n += p->state[i] == st;
  return n;
}

static void refuse_all(plan *p) {
  for (size_t i = 0; i < p->nfixes; i++)
    if (p->state[i] != F_DUPLICATE)
      p->state[i] = F_REFUSED;
}

static bool parses_no_worse(const char *path, const char *text, size_t len, int base) {
  int n = omen_syntax_errors(path, text, len);
  return n >= 0 && n <= base;
}

/* The text of p's file after its fixes (*out NULL when none applies), chosen from the snapshot, then
 * re-parsed: if the result parses worse than the original, fixes are added one at a time and each kept
 * only if the text still parses no worse. Files of a language omen cannot parse are not checked.
 * *why says why the whole file must be left alone. */
static omen_status fixed_text(plan *p, edset *set, char **out, size_t *outlen, const char **why) {
  *out = NULL;
  *outlen = 0;
  *why = NULL;
  if (!p->snap) {
    *why = "no snapshot of the file was taken";
    refuse_all(p);
    return OMEN_OK;
  }
  omen_status s = select_fixes(p, NULL, set);
  if (s != OMEN_OK || count_state(p, F_APPLIED) == 0)
    return s;
  unsigned lang = omen_lang_of_path(p->path);
  int base = 0;
  if (lang) {
    base = omen_syntax_errors(p->path, p->snap->text, p->snap->len);
    if (base < 0) {
      *why = "cannot parse the file to check the fixes";
      refuse_all(p);
      return OMEN_OK;
    }
    if (lang == OMEN_LANG_GO && base > 0) {
      /* Go parses without build flags: errors there are real, and fixes were made from a broken tree */
      *why = "file has syntax errors";
      refuse_all(p);
      return OMEN_OK;
    }
  }
  s = apply_set(p->snap, set, out, outlen);
  if (s != OMEN_OK || !lang || parses_no_worse(p->path, *out, *outlen, base))
    return s;
  free(*out);
  *out = NULL;
  *outlen = 0;
  bool *allow = calloc(p->nfixes, sizeof *allow);
  if (!allow)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < p->nfixes && s == OMEN_OK; i++) {
    allow[i] = true;
    s = select_fixes(p, allow, set);
    if (s != OMEN_OK || p->state[i] != F_APPLIED)
      continue;
    char *t;
    size_t tl;
    s = apply_set(p->snap, set, &t, &tl);
    if (s != OMEN_OK)
      break;
    if (!parses_no_worse(p->path, t, tl, base)) {
      allow[i] = false;
      p->state[i] = F_PARSE;
    }
    free(t);
  }
  if (s == OMEN_OK)
    s = select_fixes(p, allow, set);
  free(allow);
  if (s == OMEN_OK && count_state(p, F_APPLIED) > 0)
    s = apply_set(p->snap, set, out, outlen);
  return s;
}

/* ---- unified diffs ---- */

/* Line starts of a text; starts[n] == len. A last line without a newline counts as a line. */
typedef struct lines {
  const char *text;
  size_t len;
  size_t *starts;
  size_t n;
} lines;

static omen_status lines_init(lines *l, const char *text, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += text[i] == '\n';
  if (len > 0 && text[len - 1] != '\n')
    n++;
  l->text = text;
  l->len = len;
  l->n = n;
  l->starts = malloc((n + 1) * sizeof *l->starts);
  if (!l->starts)
    return OMEN_ENOMEM;
  size_t k = 0;
  if (len > 0)
    l->starts[k++] = 0;
  for (size_t i = 0; i + 1 < len; i++)
    if (text[i] == '\n')
      l->starts[k++] = i + 1;
  l->starts[n] = len;
  return OMEN_OK;
}

/* Index of the line holding byte off; at the end of a text that ends with a newline (or is empty), n. */
static size_t line_of(const lines *l, size_t off) {
  if (off >= l->len && (l->len == 0 || l->text[l->len - 1] == '\n'))
    return l->n;
  size_t lo = 0, hi = l->n - 1;
  while (lo < hi) {
    size_t mid = lo + (hi - lo + 1) / 2;
    if (l->starts[mid] <= off)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

/* Index of the line starting at boundary off (a line start or the end of the text). */
static size_t line_at(const lines *l, size_t off) { return off >= l->len ? l->n : line_of(l, off); }

static bool line_eq(const lines *a, size_t i, const lines *b, size_t j) {
  size_t na = a->starts[i + 1] - a->starts[i], nb = b->starts[j + 1] - b->starts[j];
  return na == nb && memcmp(a->text + a->starts[i], b->text + b->starts[j], na) == 0;
}

/* Old lines [oa,ob) become new lines [na,nb). */
typedef struct change {
  size_t oa, ob, na, nb;
} change;

static omen_status emit_line(omen_buf *b, char prefix, const lines *l, size_t i) {
  size_t s = l->starts[i], e = l->starts[i + 1];
  omen_status st = omen_buf_addc(b, prefix);
  if (st == OMEN_OK)
    st = omen_buf_add(b, l->text + s, e - s);
  if (st == OMEN_OK && (e == s || l->text[e - 1] != '\n'))
    st = omen_buf_adds(b, "\n\\ No newline at end of file\n");
  return st;
}

/* A hunk range: "l" for one line, "l,n" otherwise; an empty range names the line before it. */
static omen_status emit_range(omen_buf *b, char sign, size_t start, size_t count) {
  if (count == 1)
    return omen_buf_printf(b, "%c%zu", sign, start + 1);
  return omen_buf_printf(b, "%c%zu,%zu", sign, count ? start + 1 : start, count);
}

/* A file header line, "--- a/PATH", with the path as git and GNU patch read it: quoted, with C escapes,
 * when it holds odd characters. */
static omen_status emit_path(omen_buf *b, const char *marker, char side, const char *path) {
  char prefix[3] = {side, '/', '\0'};
  if (path[0] == '/')
    prefix[1] = '\0'; /* "a/abs/path", not "a//abs/path" */
  omen_status s = omen_buf_printf(b, "%s ", marker);
  if (s != OMEN_OK)
    return s;
  bool odd = false;
  for (const unsigned char *p = (const unsigned char *)path; *p; p++)
    odd |= *p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\';
  if (!odd)
    return omen_buf_printf(b, "%s%s\n", prefix, path);
  s = omen_buf_printf(b, "\"%s", prefix);
  for (const unsigned char *p = (const unsigned char *)path; *p && s == OMEN_OK; p++) {
    if (*p == '"' || *p == '\\')
      s = omen_buf_printf(b, "\\%c", *p);
    else if (*p == '\t')
      s = omen_buf_adds(b, "\\t");
    else if (*p == '\n')
      s = omen_buf_adds(b, "\\n");
    else if (*p < 0x20 || *p == 0x7f)
      s = omen_buf_printf(b, "\\%03o", *p);
    else
      s = omen_buf_addc(b, (char)*p);
  }
  if (s == OMEN_OK)
    s = omen_buf_adds(b, "\"\n");
  return s;
}

/* Changed line ranges, found from the edits: each run of edits is widened to whole lines on both sides,
 * then lines equal at both ends are trimmed. No general diff is needed. */
static omen_status find_changes(const lines *o, const lines *n, const edset *set, change **out,
                                size_t *nout) {
  *out = NULL;
  *nout = 0;
  change *cv = malloc((set->n ? set->n : 1) * sizeof *cv);
  if (!cv)
    return OMEN_ENOMEM;
  size_t nc = 0;
  long long delta = 0; /* new offset minus old offset after the edits seen so far */
  for (size_t i = 0; i < set->n;) {
    /* the run [a,b) of whole old lines; an edit starting inside it (or at the very end) joins it */
    size_t a = o->starts[line_of(o, set->v[i].start)], b = a;
    long long before = delta;
    for (size_t first = i; i < set->n; i++) {
      const fedit *e = &set->v[i];
      if (i > first && !(e->start < b || (e->start == b && b == o->len)))
        break;
      size_t le = line_of(o, e->end);
      b = le >= o->n ? o->len : o->starts[le + 1];
      delta += (long long)e->tlen - (long long)(e->end - e->start);
    }
    change c;
    c.oa = line_at(o, a);
    c.ob = line_at(o, b);
    c.na = line_at(n, (size_t)((long long)a + before));
    c.nb = line_at(n, (size_t)((long long)b + delta));
    while (c.oa < c.ob && c.na < c.nb && line_eq(o, c.oa, n, c.na)) {
      c.oa++;
      c.na++;
    }
    while (c.oa < c.ob && c.na < c.nb && line_eq(o, c.ob - 1, n, c.nb - 1)) {
      c.ob--;
      c.nb--;
    }
    if (c.oa < c.ob || c.na < c.nb)
      cv[nc++] = c;
  }
  *out = cv;
  *nout = nc;
  return OMEN_OK;
}

/* Appends the unified diff of one file (old text to new, whose edits are set) to b. */
static omen_status diff_file(omen_buf *b, const char *path, const char *old, size_t oldlen, const char *new,
                             size_t newlen, const edset *set) {
  lines o = {0}, n = {0};
  change *cv = NULL;
  size_t nc = 0;
  omen_status s = lines_init(&o, old, oldlen);
  if (s == OMEN_OK)
    s = lines_init(&n, new, newlen);
  if (s == OMEN_OK)
    s = find_changes(&o, &n, set, &cv, &nc);
  if (s == OMEN_OK && nc > 0) {
    s = emit_path(b, "---", 'a', path);
    if (s == OMEN_OK)
      s = emit_path(b, "+++", 'b', path);
  }
  for (size_t i = 0; i < nc && s == OMEN_OK;) {
    size_t j = i; /* the hunk holds changes i..j: those whose contexts touch */
    while (j + 1 < nc && cv[j + 1].oa - cv[j].ob <= 2 * DIFF_CONTEXT)
      j++;
    size_t hs = cv[i].oa > DIFF_CONTEXT ? cv[i].oa - DIFF_CONTEXT : 0;
    size_t he = cv[j].ob + DIFF_CONTEXT < o.n ? cv[j].ob + DIFF_CONTEXT : o.n;
    size_t ns = cv[i].na - (cv[i].oa - hs), ne = cv[j].nb + (he - cv[j].ob);
    s = omen_buf_adds(b, "@@ ");
    if (s == OMEN_OK)
      s = emit_range(b, '-', hs, he - hs);
    if (s == OMEN_OK)
      s = omen_buf_addc(b, ' ');
    if (s == OMEN_OK)
      s = emit_range(b, '+', ns, ne - ns);
    if (s == OMEN_OK)
      s = omen_buf_adds(b, " @@\n");
    size_t at = hs;
    for (size_t k = i; k <= j && s == OMEN_OK; k++) {
      for (; at < cv[k].oa && s == OMEN_OK; at++)
        s = emit_line(b, ' ', &o, at);
      for (size_t x = cv[k].oa; x < cv[k].ob && s == OMEN_OK; x++)
        s = emit_line(b, '-', &o, x);
      for (size_t x = cv[k].na; x < cv[k].nb && s == OMEN_OK; x++)
        s = emit_line(b, '+', &n, x);
      at = cv[k].ob;
    }
    for (; at < he && s == OMEN_OK; at++)
      s = emit_line(b, ' ', &o, at);
    i = j + 1;
  }
  free(cv);
  free(o.starts);
  free(n.starts);
  return s;
}

omen_status omen_fixes_diff(const omen_result *r, bool unsafe, FILE *out) {
  plans ps;
  omen_status s = plans_build(r, unsafe, &ps);
  if (s != OMEN_OK)
    return s;
  edset set = {0};
  bool limited = false;
  omen_buf b;
  omen_buf_init(&b, DIFF_MAX);
  for (size_t i = 0; i < ps.n && s == OMEN_OK; i++) {
    plan *p = &ps.v[i];
    char *text;
    size_t len;
    const char *why;
    s = fixed_text(p, &set, &text, &len, &why);
    if (s == OMEN_ELIMIT) { /* as --fix, leave this file out; say so once all others are written */
      limited = true;
      s = OMEN_OK;
    }
    if (s != OMEN_OK || !text)
      continue;
    omen_buf_reset(&b);
    s = diff_file(&b, p->path, p->snap->text, p->snap->len, text, len, &set);
    if (s == OMEN_OK && b.len > 0 && fwrite(b.data, 1, b.len, out) != b.len)
      s = OMEN_EIO;
    free(text);
  }
  if (s == OMEN_OK && fflush(out) != 0)
    s = OMEN_EIO;
  if (s == OMEN_OK && limited)
    s = OMEN_ELIMIT;
  omen_buf_free(&b);
  free(set.v);
  plans_free(&ps);
  return s;
}

/* ---- writing files ---- */

/* Whether path on disk still holds the snapshot's text. */
static bool disk_unchanged(const char *path, const omen_snapshot *snap) {
  /* a private reader: no overlays, and a file larger than the snapshot is too large, i.e. changed */
  omen_reader *rd = omen_reader_new((size_t)snap->len + 1);
  if (!rd)
    return false;
  omen_file *f = NULL;
  char err[256];
  bool same = omen_reader_read(rd, path, &f, err, sizeof err) == OMEN_OK && f->len == snap->len &&
              memcmp(f->text, snap->text, snap->len) == 0;
  omen_file_free(f);
  omen_reader_free(rd);
  return same;
}

static bool write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    p += w;
    n -= (size_t)w;
  }
  return true;
}

/* Replaces the file at path (following symlinks) by text atomically: a temporary file in the same
 * directory, written, synced, given the original's mode, then renamed over the original once its content
 * is checked to still be the snapshot. On failure the original is untouched and no temporary is left. */
static omen_status write_atomic(const char *path, const char *text, size_t len, const omen_snapshot *snap,
                                char *err, size_t errlen) {
  char *real = realpath(path, NULL);
  if (!real) {
    snprintf(err, errlen, "cannot resolve the path: %s", strerror(errno));
    return OMEN_EIO;
  }
  struct stat st;
  if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "not a regular file");
    free(real);
    return OMEN_EIO;
  }
  /* renaming would replace a read-only file that writing could not change */
  if (access(real, W_OK) != 0) {
    snprintf(err, errlen, "not writable: %s", strerror(errno));
    free(real);
    return OMEN_EIO;
  }
  const char *slash = strrchr(real, '/'); /* realpath is absolute */
  size_t dlen = (size_t)(slash - real);
  const char *base = slash + 1;
  size_t blen = strlen(base);
  if (blen > 200) /* keep ".NAME.omen-XXXXXX" within NAME_MAX */
    blen = 200;
  size_t tlen = dlen + blen + 32;
  char *tmp = malloc(tlen);
  if (!tmp) {
    free(real);
    return OMEN_ENOMEM;
  }
  snprintf(tmp, tlen, "%.*s/.%.*s.omen-XXXXXX", (int)dlen, real, (int)blen, base);
  omen_status s = OMEN_OK;
  int fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create a temporary file: %s", strerror(errno));
    free(tmp);
    free(real);
    return OMEN_EIO;
  }
  if ((st.st_uid != geteuid() || st.st_gid != getegid()) && fchown(fd, st.st_uid, st.st_gid) != 0) {
    /* only root may give a file away: others become its owner, as editors do; the mode is kept below */
  }
  if (!write_all(fd, text, len) || fchmod(fd, st.st_mode & 07777) != 0 || fsync(fd) != 0) {
    snprintf(err, errlen, "cannot write a temporary file: %s", strerror(errno));
    s = OMEN_EIO;
  }
  if (close(fd) != 0 && s == OMEN_OK) {
    snprintf(err, errlen, "cannot write a temporary file: %s", strerror(errno));
    s = OMEN_EIO;
  }
  if (s == OMEN_OK && !disk_unchanged(real, snap)) {
    snprintf(err, errlen, "changed since it was analyzed");
    s = OMEN_ECHANGED;
  }
  if (s == OMEN_OK && rename(tmp, real) != 0) {
    snprintf(err, errlen, "cannot replace the file: %s", strerror(errno));
    s = OMEN_EIO;
  }
  if (s != OMEN_OK) {
    unlink(tmp);
  } else {
    /* make the rename durable; a failure here leaves a correct file, so it is not an error */
    char *dir = strndup(real, dlen ? dlen : 1);
    int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (dfd >= 0) {
      if (fsync(dfd) != 0) {
        /* ignored: see above */
      }
      close(dfd);
    }
    free(dir);
  }
  free(tmp);
  free(real);
  return s;
}

/* Whether the file as omen reads it now (editor overlay, then disk) and on disk is still the snapshot. */
static bool still_snapshot(omen_reader *reader, const plan *p) {
  if (reader && omen_reader_noverlays(reader) > 0) {
    omen_file *f = NULL;
    char err[256];
    bool same = omen_reader_read(reader, p->path, &f, err, sizeof err) == OMEN_OK && f->len == p->snap->len &&
                memcmp(f->text, p->snap->text, p->snap->len) == 0;
    omen_file_free(f);
    if (!same)
      return false;
  }
  return disk_unchanged(p->path, p->snap);
}

void omen_fix_report_free(omen_fix_report *rep) {
  if (!rep)
    return;
  for (size_t i = 0; i < rep->nfiles; i++) {
    free(rep->files[i].path);
    free(rep->files[i].error);
  }
  free(rep->files);
  free(rep->fixed);
  rep->files = NULL;
  rep->fixed = NULL;
  rep->nfiles = 0;
}

omen_status omen_fixes_apply(const omen_result *r, bool unsafe, omen_reader *reader, omen_fix_report *rep) {
  memset(rep, 0, sizeof *rep);
  plans ps;
  omen_status s = plans_build(r, unsafe, &ps);
  if (s != OMEN_OK)
    return s;
  rep->files = calloc(ps.n ? ps.n : 1, sizeof *rep->files);
  rep->fixed = calloc(r->ndiags ? r->ndiags : 1, sizeof *rep->fixed);
  if (!rep->files || !rep->fixed) {
    free(rep->files);
    free(rep->fixed);
    rep->files = NULL;
    rep->fixed = NULL;
    plans_free(&ps);
    return OMEN_ENOMEM;
  }
  edset set = {0};
  for (size_t i = 0; i < ps.n && s == OMEN_OK; i++) {
    plan *p = &ps.v[i];
    char err[512] = "";
    const char *why = NULL;
    char *text = NULL;
    size_t len = 0;
    if (p->snap && !still_snapshot(reader, p)) {
      why = "changed since it was analyzed";
      refuse_all(p);
    } else {
      s = fixed_text(p, &set, &text, &len, &why);
      if (s == OMEN_ELIMIT) {
        why = "the fixed file would be too large";
        refuse_all(p);
        s = OMEN_OK;
      }
    }
    if (s == OMEN_OK && text && !why && (len != p->snap->len || memcmp(text, p->snap->text, len) != 0)) {
      omen_status ws = write_atomic(p->path, text, len, p->snap, err, sizeof err);
      if (ws == OMEN_ENOMEM)
        s = ws;
      else if (ws != OMEN_OK)
        why = err;
      if (why)
        refuse_all(p);
    }
    free(text);
    if (s != OMEN_OK)
      break;
    omen_fix_outcome *o = &rep->files[rep->nfiles];
    o->path = strdup(p->path);
    o->error = why ? strdup(why) : NULL;
    if (!o->path || (why && !o->error)) {
      free(o->path);
      free(o->error);
      s = OMEN_ENOMEM;
      break;
    }
    o->applied = count_state(p, F_APPLIED);
    for (size_t k = 0; !why && k < p->nfixes; k++)
      if (p->state[k] == F_APPLIED || p->state[k] == F_DUPLICATE)
        rep->fixed[ps.diag[(size_t)(p->fixes - ps.fixes) + k]] = true;
    o->skipped = p->nfixes - o->applied - count_state(p, F_DUPLICATE);
    rep->nfiles++;
  }
  free(set.v);
  plans_free(&ps);
  if (s != OMEN_OK)
    omen_fix_report_free(rep);
  return s;
}
