/* suppress.c - suppression comments: a comment-aware scan of a file's text for `omen:ignore`,
 * `omen:file-ignore` and NOLINT directives naming omen rules, and marking the diagnostics they cover. */
#include "suppress.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

#define REASON_MAX 1024   /* bytes of a reason kept */
#define NAME_SHOWN_MAX 64 /* bytes of an unknown name quoted in a problem */

const char *omen_ignore_form_str(omen_ignore_form form) {
  switch (form) {
  case OMEN_IGNORE_LINE:
    return "omen:ignore";
  case OMEN_IGNORE_FILE:
    return "omen:file-ignore";
  case OMEN_IGNORE_NOLINT:
    return "NOLINT";
  case OMEN_IGNORE_NEXTLINE:
    return "NOLINTNEXTLINE";
  case OMEN_IGNORE_BLOCK:
    return "NOLINTBEGIN";
  case OMEN_IGNORE_BLOCK_END:
    return "NOLINTEND";
  }
  return "omen:ignore";
}

/* ---- characters ---- */

static bool is_hspace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

static bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Identifier bytes; bytes of multi-byte UTF-8 sequences (and stray high bytes) count as such. */
static bool is_ident(char c) { return is_alnum(c) || c == '_' || (unsigned char)c >= 0x80; }

static bool is_name_char(char c) {
  return is_alnum(c) || c == '-' || c == '_' || c == '/' || c == '.' || c == '*';
}

static bool has_prefix(const char *s, size_t n, const char *prefix) {
  size_t k = strlen(prefix);
  return n >= k && memcmp(s, prefix, k) == 0;
}

/* The first needle (n bytes, n > 0) in [from, to) of t, or to. Unlike memmem, the cost (under the
 * sanitizers too) is the bytes up to the match, so calling it again from there stays linear. */
static uint32_t find(const char *t, uint32_t from, uint32_t to, const char *needle, size_t n) {
  while (to - from >= n) {
    const char *c = memchr(t + from, needle[0], to - from - n + 1);
    if (!c)
      break;
    from = (uint32_t)(c - t);
    if (memcmp(c, needle, n) == 0)
      return from;
    from++;
  }
  return to;
}

/* Length of the valid UTF-8 sequence at s (n bytes readable), 0 if the bytes there are not one. */
static size_t utf8_valid(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xBF)
      return 0;
  return len;
}

/* A copy of s[0..n) fit for any output: control characters become spaces, bytes that are not UTF-8
 * become '?', and past REASON_MAX bytes the rest becomes "...". NULL when out of memory. */
static char *clean_copy(const char *s, size_t n) {
  bool cut = n > REASON_MAX;
  size_t lim = cut ? REASON_MAX : n;
  char *out = malloc(lim + 4);
  if (!out)
    return NULL;
  size_t i = 0, o = 0;
  while (i < lim) {
    const unsigned char *u = (const unsigned char *)s + i;
    size_t k = utf8_valid(u, n - i);
    if (k == 0) {
      out[o++] = '?';
      i++;
    } else if (k == 1) {
      out[o++] = (u[0] < 0x20 || u[0] == 0x7f) ? ' ' : (char)u[0];
      i++;
    } else {
      if (i + k > lim) {
        cut = true;
        break;
      }
      memcpy(out + o, u, k);
      o += k;
      i += k;
    }
  }
  if (cut) {
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o] = '\0';
  return out;
}

__attribute__((format(printf, 1, 2))) static char *fmt(const char *f, ...) {
  va_list ap;
  char *s;
  va_start(ap, f);
  int n = vasprintf(&s, f, ap);
  va_end(ap);
  return n < 0 ? NULL : s;
}

/* ---- directives ---- */

static void ignore_clear(omen_ignore *ig) {
  for (size_t i = 0; i < ig->nnames; i++)
    free(ig->names[i]);
  free(ig->names);
  free(ig->reason);
  free((char *)ig->problem);
  memset(ig, 0, sizeof *ig);
}

void omen_ignores_free(omen_ignores *ig) {
  if (!ig)
    return;
  for (size_t i = 0; i < ig->n; i++)
    ignore_clear(&ig->v[i]);
  free(ig->v);
  ig->v = NULL;
  ig->n = 0;
}

static bool push_ignore(omen_ignore **v, size_t *n, size_t *cap, const omen_ignore *ig) {
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 8;
    omen_ignore *nv = realloc(*v, nc * sizeof *nv);
    if (!nv)
      return false;
    *v = nv;
    *cap = nc;
  }
  (*v)[(*n)++] = *ig;
  return true;
}

static bool add_name(omen_ignore *ig, size_t *cap, const char *s, size_t n) {
  if (ig->nnames == *cap) {
    size_t nc = *cap ? *cap * 2 : 4;
    char **nv = realloc(ig->names, nc * sizeof *nv);
    if (!nv)
      return false;
    ig->names = nv;
    *cap = nc;
  }
  char *name = strndup(s, n);
  if (!name)
    return false;
  ig->names[ig->nnames++] = name;
  return true;
}

/* Is name a family of some rule (an id starting with name "/")? */
static bool family_exists(const char *name) {
  size_t n, k = strlen(name);
  const omen_rule *const *all = omen_rules_all(&n);
  for (size_t i = 0; i < n; i++)
    if (strncmp(all[i]->id, name, k) == 0 && all[i]->id[k] == '/')
      return true;
  return false;
}

static bool is_engine_name(const char *name) {
  return strcmp(name, "omen") == 0 || strncmp(name, "omen/", 5) == 0;
}

/* The problem with name (NULL: none). prefix is how the form writes names ("" or "omen-"). */
static omen_status check_name(const char *name, const char *prefix, const char *form, const char **problem) {
  *problem = NULL;
  if (strcmp(name, "all") == 0)
    return OMEN_OK;
  bool known = strchr(name, '/') ? omen_rule_find(name) != NULL : family_exists(name);
  int shown = (int)strnlen(name, NAME_SHOWN_MAX);
  const char *more = name[shown] ? "..." : "";
  if (known && !is_engine_name(name))
    return OMEN_OK;
  if (known || strcmp(name, "omen") == 0)
    *problem = fmt("%s names \"%s%.*s\": omen's own findings cannot be suppressed in source", form, prefix,
                   shown, name);
  else
    *problem = fmt("%s names unknown rule or family \"%s%.*s%s\" (omen rules lists them)", form, prefix,
                   shown, name, more);
  return *problem ? OMEN_OK : OMEN_ENOMEM;
}

typedef struct scanner {
  const omen_file *f;
  const char *t;
  uint32_t len;
  bool go, cfam;
  omen_ignores *out;
  size_t cap;
  uint32_t comment_end; /* end of the comment being read */
  omen_ignore *ends;    /* NOLINTEND directives, matched to their NOLINTBEGIN after the scan */
  size_t nends, capends;
  omen_status st;
} scanner;

static uint32_t line_of(const omen_file *f, uint32_t off) {
  if (!f->lines || f->nlines == 0)
    return 1;
  uint32_t lo = 0, hi = f->nlines; /* the last line start <= off is in [lo, hi) */
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (f->lines[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return lo + 1;
}

static uint32_t rtrim(const char *t, uint32_t s, uint32_t e) {
  while (e > s && is_hspace(t[e - 1]))
    e--;
  return e;
}

static uint32_t ltrim(const char *t, uint32_t s, uint32_t e) {
  while (s < e && is_hspace(t[s]))
    s++;
  return s;
}

/* Completes ig (form, start and names set): its end, lines, reason (the text of [rs, re)) and problem,
 * then adds it to the scanner's lists. Takes ig's contents either way. */
static void finish(scanner *s, omen_ignore *ig, uint32_t rs, uint32_t re) {
  const char *t = s->t;
  const char *form = omen_ignore_form_str(ig->form);
  bool nolint = ig->form != OMEN_IGNORE_LINE && ig->form != OMEN_IGNORE_FILE;
  re = rtrim(t, rs, re);
  ig->end = re > ig->start ? re : ig->start;
  rs = ltrim(t, rs, re);
  while (rs < re && (t[rs] == ':' || t[rs] == '-'))
    rs++;
  rs = ltrim(t, rs, re);
  if (rs < re && !(ig->reason = clean_copy(t + rs, re - rs)))
    goto nomem;
  uint32_t line = line_of(s->f, ig->start);
  ig->first = ig->last = line;
  if (ig->form == OMEN_IGNORE_LINE) {
    /* the next line; for a comment over several lines, the line after the comment */
    uint32_t cl = line_of(s->f, s->comment_end - 1);
    ig->last = cl == UINT32_MAX ? cl : cl + 1;
  } else if (ig->form == OMEN_IGNORE_NEXTLINE)
    ig->first = ig->last = line == UINT32_MAX ? line : line + 1;
  else if (ig->form == OMEN_IGNORE_FILE)
    ig->first = 1, ig->last = s->f->nlines ? s->f->nlines : 1;
  if (ig->form == OMEN_IGNORE_BLOCK_END && !ig->problem) {
    if (!push_ignore(&s->ends, &s->nends, &s->capends, ig))
      goto nomem;
    return;
  }
  if (!ig->problem && ig->nnames == 0 &&
      !(ig->problem = fmt("%s names no rule: write rule ids, families or all, "
                          "then the reason",
                          form)))
    goto nomem;
  for (size_t i = 0; !ig->problem && i < ig->nnames; i++)
    if (check_name(ig->names[i], nolint ? "omen-" : "", form, &ig->problem) != OMEN_OK)
      goto nomem;
  if (!ig->problem && !ig->reason &&
      !(ig->problem = fmt("%s needs a reason after the rule list: say why the finding is acceptable", form)))
    goto nomem;
  if (!push_ignore(&s->out->v, &s->out->n, &s->cap, ig))
    goto nomem;
  return;
nomem:
  ignore_clear(ig);
  s->st = OMEN_ENOMEM;
}

/* The `omen:ignore` or `omen:file-ignore` form at kw; the keyword ends at p, the comment line at e. */
static void omen_form(scanner *s, omen_ignore_form form, uint32_t kw, uint32_t p, uint32_t e) {
  const char *t = s->t;
  omen_ignore ig = {.form = form, .start = kw};
  size_t cap = 0;
  for (;;) {
    p = ltrim(t, p, e);
    uint32_t q = p;
    while (q < e && is_name_char(t[q]))
      q++;
    if (q == p)
      break;
    if (!add_name(&ig, &cap, t + p, q - p)) {
      ignore_clear(&ig);
      s->st = OMEN_ENOMEM;
      return;
    }
    p = ltrim(t, q, e);
    if (p < e && t[p] == ',')
      p++;
    else
      break;
  }
  finish(s, &ig, p, e);
}

/* The NOLINT forms in the comment line [p, e): the first that names an omen- check. */
static void nolint(scanner *s, uint32_t p, uint32_t e) {
  const char *t = s->t;
  uint32_t q = p;
  while (q < e && s->st == OMEN_OK) {
    uint32_t k = find(t, q, e, "NOLINT", 6), a = k + 6;
    if (k == e)
      return;
    q = a;
    if (k > p && is_ident(t[k - 1]))
      continue;
    omen_ignore ig = {.form = OMEN_IGNORE_NOLINT, .start = k};
    if (has_prefix(t + a, e - a, "NEXTLINE"))
      ig.form = OMEN_IGNORE_NEXTLINE, a += 8;
    else if (has_prefix(t + a, e - a, "BEGIN"))
      ig.form = OMEN_IGNORE_BLOCK, a += 5;
    else if (has_prefix(t + a, e - a, "END"))
      ig.form = OMEN_IGNORE_BLOCK_END, a += 3;
    if (a >= e || t[a] != '(')
      continue;
    const char *cl = memchr(t + a, ')', e - a);
    if (!cl) {
      if (!memmem(t + a, e - a, "omen-", 5))
        return;
      ig.problem = fmt("%s(omen-...) has no closing parenthesis", omen_ignore_form_str(ig.form));
      if (!ig.problem) {
        s->st = OMEN_ENOMEM;
        return;
      }
      finish(s, &ig, e, e);
      return;
    }
    uint32_t close = (uint32_t)(cl - t);
    size_t cap = 0;
    for (uint32_t i = a + 1; i <= close;) {
      const char *comma = memchr(t + i, ',', close - i);
      uint32_t ie = comma ? (uint32_t)(comma - t) : close;
      uint32_t is = ltrim(t, i, ie), it = rtrim(t, is, ie);
      if (has_prefix(t + is, it - is, "omen-")) {
        bool star = it - is == 6 && t[is + 5] == '*';
        if (!(star ? add_name(&ig, &cap, "all", 3) : add_name(&ig, &cap, t + is + 5, it - is - 5))) {
          ignore_clear(&ig);
          s->st = OMEN_ENOMEM;
          return;
        }
      }
      i = ie + 1;
    }
    if (ig.nnames == 0) {
      q = close + 1;
      continue;
    }
    finish(s, &ig, close + 1, e);
    return;
  }
}

/* One line [p, e) of a comment's text; deco: skip leading '*' and '/' (a block comment's lines, a
 * continued line comment's next lines). */
static void comment_line(scanner *s, uint32_t p, uint32_t e, bool deco) {
  const char *t = s->t;
  uint32_t q = ltrim(t, p, e);
  if (deco) {
    while (q < e && (t[q] == '*' || t[q] == '/'))
      q++;
    q = ltrim(t, q, e);
  }
  if (has_prefix(t + q, e - q, "omen:ignore") && (q + 11 == e || is_hspace(t[q + 11])))
    omen_form(s, OMEN_IGNORE_LINE, q, q + 11, e);
  else if (has_prefix(t + q, e - q, "omen:file-ignore") && (q + 16 == e || is_hspace(t[q + 16])))
    omen_form(s, OMEN_IGNORE_FILE, q, q + 16, e);
  else if (s->cfam)
    nolint(s, p, e);
}

/* The comment [cs, ce) ("//..." or a block comment, closed or not). */
static void comment(scanner *s, uint32_t cs, uint32_t ce, bool block) {
  const char *t = s->t;
  uint32_t b = cs + 2, e = ce;
  if (block && e >= b + 2 && t[e - 2] == '*' && t[e - 1] == '/')
    e -= 2;
  if (e <= b || (!memmem(t + b, e - b, "omen:", 5) && !(s->cfam && memmem(t + b, e - b, "NOLINT", 6))))
    return;
  s->comment_end = ce;
  uint32_t p = b;
  for (;;) {
    const char *nl = memchr(t + p, '\n', e - p);
    uint32_t le = nl ? (uint32_t)(nl - t) : e;
    /* a line comment continued with a backslash (C) is decorated like a block comment's lines */
    comment_line(s, p, le, block || p != b);
    if (!nl || s->st != OMEN_OK)
      return;
    p = le + 1;
  }
}

/* End of a "//" comment starting at i: its newline; in C/C++ a backslash before it continues it. */
static uint32_t line_comment_end(const char *t, uint32_t len, uint32_t i, bool cfam) {
  for (;;) {
    const char *nl = memchr(t + i, '\n', len - i);
    if (!nl)
      return len;
    uint32_t e = (uint32_t)(nl - t), b = e;
    if (b > i && t[b - 1] == '\r')
      b--;
    if (!cfam || b == i || t[b - 1] != '\\')
      return e;
    i = e + 1;
  }
}

/* End of a string or character literal opened by quote q at i; an unclosed one ends at its newline. */
static uint32_t skip_quoted(const char *t, uint32_t len, uint32_t i, char q) {
  uint32_t j = i + 1;
  while (j < len) {
    char c = t[j];
    if (c == '\\') {
      j += 2;
    } else if (c == q) {
      return j + 1;
    } else if (c == '\n') {
      return j;
    } else {
      j++;
    }
  }
  return len;
}

/* End of the C++ raw string R"delim( ... )delim" whose quote is at q; 0 when it is not one. */
static uint32_t skip_raw_cpp(const char *t, uint32_t len, uint32_t q) {
  uint32_t d = q + 1, k = d;
  while (k < len && t[k] != '(') {
    char c = t[k];
    if (k - d >= 16 || c == ')' || c == '\\' || c == '"' || c == '\n' || is_hspace(c))
      return 0;
    k++;
  }
  if (k >= len)
    return 0;
  char close[18];
  uint32_t dl = k - d;
  close[0] = ')';
  memcpy(close + 1, t + d, dl);
  close[dl + 1] = '"';
  const char *m = memmem(t + k + 1, len - k - 1, close, dl + 2);
  return m ? (uint32_t)(m - t) + dl + 2 : len;
}

static bool raw_prefix(const char *s, uint32_t n) {
  return (n == 1 && s[0] == 'R') || (n == 2 && s[1] == 'R' && strchr("uUL", s[0])) ||
         (n == 3 && memcmp(s, "u8R", 3) == 0);
}

/* Walks the text once: skips literals, hands each comment to comment(). */
static void lex(scanner *s) {
  const char *t = s->t;
  uint32_t len = s->len, i = 0;
  while (i < len && s->st == OMEN_OK) {
    char c = t[i];
    if (c == '/' && i + 1 < len && t[i + 1] == '/') {
      uint32_t e = line_comment_end(t, len, i + 2, s->cfam);
      comment(s, i, e, false);
      i = e;
    } else if (c == '/' && i + 1 < len && t[i + 1] == '*') {
      const char *m = memmem(t + i + 2, len - i - 2, "*/", 2);
      uint32_t e = m ? (uint32_t)(m - t) + 2 : len;
      comment(s, i, e, true);
      i = e;
    } else if (c == '"' || c == '\'') {
      i = skip_quoted(t, len, i, c);
    } else if (c == '`' && s->go) {
      const char *m = memchr(t + i + 1, '`', len - i - 1);
      i = m ? (uint32_t)(m - t) + 1 : len;
    } else if (c >= '0' && c <= '9') {
      /* a number: keeps C++14 digit separators (1'000) from opening a character literal */
      uint32_t j = i + 1;
      while (j < len) {
        char d = t[j], prev = t[j - 1];
        bool sign = (d == '+' || d == '-') && (prev == 'e' || prev == 'E' || prev == 'p' || prev == 'P');
        bool sep = d == '\'' && s->cfam && j + 1 < len && is_alnum(t[j + 1]);
        if (!(is_ident(d) || d == '.' || sign || sep))
          break;
        j++;
      }
      i = j;
    } else if (is_ident(c)) {
      uint32_t j = i + 1;
      while (j < len && is_ident(t[j]))
        j++;
      if (s->cfam && j < len && t[j] == '"' && raw_prefix(t + i, j - i)) {
        uint32_t e = skip_raw_cpp(t, len, j);
        j = e ? e : skip_quoted(t, len, j, '"');
      }
      i = j;
    } else {
      i++;
    }
  }
}

/* ---- NOLINTBEGIN / NOLINTEND ---- */

typedef struct block_ev {
  char *key; /* the omen- names, joined */
  uint32_t pos;
  bool end;
  size_t idx; /* in out->v (BEGIN) or in the scanner's ends (END) */
} block_ev;

static int cmp_ev(const void *a, const void *b) {
  const block_ev *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  if (c)
    return c;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static char *names_key(const omen_ignore *ig) {
  size_t n = 1;
  for (size_t i = 0; i < ig->nnames; i++)
    n += strlen(ig->names[i]) + 1;
  char *k = malloc(n), *p = k;
  if (!k)
    return NULL;
  for (size_t i = 0; i < ig->nnames; i++) {
    size_t l = strlen(ig->names[i]);
    memcpy(p, ig->names[i], l);
    p += l;
    *p++ = ',';
  }
  *p = '\0';
  return k;
}

static int cmp_start(const void *a, const void *b) {
  const omen_ignore *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Pairs each NOLINTEND with the nearest open NOLINTBEGIN of the same names before it (O(n log n)). */
static omen_status match_blocks(scanner *s) {
  omen_ignores *out = s->out;
  size_t nev = s->nends;
  for (size_t i = 0; i < out->n; i++)
    nev += out->v[i].form == OMEN_IGNORE_BLOCK;
  if (nev == 0)
    return OMEN_OK;
  block_ev *ev = calloc(nev, sizeof *ev);
  size_t *stack = calloc(nev, sizeof *stack);
  bool *matched = calloc(s->nends ? s->nends : 1, sizeof *matched);
  omen_status st = OMEN_ENOMEM;
  size_t k = 0;
  if (!ev || !stack || !matched)
    goto done;
  for (size_t i = 0; i < out->n; i++) {
    if (out->v[i].form != OMEN_IGNORE_BLOCK)
      continue;
    ev[k] = (block_ev){names_key(&out->v[i]), out->v[i].start, false, i};
    if (!ev[k++].key)
      goto done;
  }
  for (size_t i = 0; i < s->nends; i++) {
    ev[k] = (block_ev){names_key(&s->ends[i]), s->ends[i].start, true, i};
    if (!ev[k++].key)
      goto done;
  }
  qsort(ev, nev, sizeof *ev, cmp_ev);
  for (size_t g = 0; g < nev;) {
    size_t ge = g, depth = 0;
    while (ge < nev && strcmp(ev[ge].key, ev[g].key) == 0)
      ge++;
    for (size_t i = g; i < ge; i++) {
      if (!ev[i].end) {
        stack[depth++] = ev[i].idx;
      } else if (depth) {
        out->v[stack[--depth]].last = s->ends[ev[i].idx].first;
        matched[ev[i].idx] = true;
      }
    }
    for (size_t i = 0; i < depth; i++) {
      omen_ignore *b = &out->v[stack[i]];
      if (!b->problem &&
          !(b->problem =
                fmt("NOLINTBEGIN has no NOLINTEND with the same omen- checks after it: add one where "
                    "the suppressed lines end")))
        goto done;
    }
    g = ge;
  }
  for (size_t i = 0; i < s->nends; i++) {
    omen_ignore *e = &s->ends[i];
    if (matched[i]) {
      ignore_clear(e);
      continue;
    }
    if (!(e->problem = fmt("NOLINTEND has no NOLINTBEGIN with the same omen- checks before it")) ||
        !push_ignore(&out->v, &out->n, &s->cap, e))
      goto done;
    memset(e, 0, sizeof *e);
  }
  s->nends = 0;
  qsort(out->v, out->n, sizeof *out->v, cmp_start);
  st = OMEN_OK;
done:
  for (size_t i = 0; ev && i < k; i++)
    free(ev[i].key);
  free(ev);
  free(stack);
  free(matched);
  return st;
}

omen_status omen_ignores_scan(const omen_file *f, unsigned lang, omen_ignores *out) {
  out->v = NULL;
  out->n = 0;
  if (!f || !f->text || f->len == 0)
    return OMEN_OK;
  scanner s = {.f = f, .t = f->text, .len = f->len, .out = out, .st = OMEN_OK};
  s.go = (lang & OMEN_LANG_GO) != 0;
  s.cfam = (lang & OMEN_LANG_CFAMILY) != 0;
  if (!memmem(s.t, s.len, "omen:", 5) && !(s.cfam && memmem(s.t, s.len, "NOLINT", 6)))
    return OMEN_OK;
  lex(&s);
  if (s.st == OMEN_OK)
    s.st = match_blocks(&s);
  for (size_t i = 0; i < s.nends; i++)
    ignore_clear(&s.ends[i]);
  free(s.ends);
  if (s.st != OMEN_OK)
    omen_ignores_free(out);
  return s.st;
}

/* ---- matching diagnostics ---- */

bool omen_ignore_names(const omen_ignore *ig, const char *rule_id) {
  if (!ig || !rule_id)
    return false;
  for (size_t i = 0; i < ig->nnames; i++) {
    const char *name = ig->names[i];
    size_t k = strlen(name);
    if (strcmp(name, "all") == 0 || strcmp(name, rule_id) == 0 ||
        (strncmp(rule_id, name, k) == 0 && rule_id[k] == '/'))
      return true;
  }
  return false;
}

bool omen_ignore_names_any(const omen_ignore *ig, bool (*on)(const omen_rule *rule, void *ctx), void *ctx) {
  size_t n;
  const omen_rule *const *all = omen_rules_all(&n);
  for (size_t i = 0; i < n; i++)
    if (strncmp(all[i]->id, "omen/", 5) != 0 && omen_ignore_names(ig, all[i]->id) && on(all[i], ctx))
      return true;
  return false;
}

typedef struct span {
  uint32_t first, last;
  size_t idx;
} span;

static int cmp_span(const void *a, const void *b) {
  const span *x = a, *y = b;
  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Sweeps the diagnostics in line order; the active list holds the directives that started at or
 * before the line and have not ended, so the work is the covering directives, not all of them. */
omen_status omen_ignores_apply(omen_ignores *ig, const char *path, omen_diag *diags, size_t n) {
  if (!ig || ig->n == 0 || !path || n == 0)
    return OMEN_OK;
  span *dirs = malloc(ig->n * sizeof *dirs), *ds = malloc(n * sizeof *ds);
  size_t *active = malloc(ig->n * sizeof *active);
  omen_status st = OMEN_ENOMEM;
  if (!dirs || !ds || !active)
    goto done;
  size_t m = 0, k = 0, na = 0;
  for (size_t i = 0; i < ig->n; i++)
    if (!ig->v[i].problem && ig->v[i].form != OMEN_IGNORE_BLOCK_END)
      dirs[m++] = (span){ig->v[i].first, ig->v[i].last, i};
  for (size_t i = 0; i < n; i++) {
    const omen_diag *d = &diags[i];
    if (d->rule && d->rule->id && strncmp(d->rule->id, "omen/", 5) != 0 && d->loc.path &&
        strcmp(d->loc.path, path) == 0)
      ds[k++] = (span){d->loc.start_pos.line, d->loc.start_pos.line, i};
  }
  qsort(dirs, m, sizeof *dirs, cmp_span);
  qsort(ds, k, sizeof *ds, cmp_span);
  size_t next = 0;
  for (size_t i = 0; i < k; i++) {
    uint32_t line = ds[i].first;
    omen_diag *d = &diags[ds[i].idx];
    while (next < m && dirs[next].first <= line)
      active[na++] = next++;
    size_t keep = 0;
    const span *best = NULL;
    for (size_t a = 0; a < na; a++) {
      const span *sp = &dirs[active[a]];
      if (sp->last < line)
        continue;
      active[keep++] = active[a];
      omen_ignore *g = &ig->v[sp->idx];
      if (!omen_ignore_names(g, d->rule->id))
        continue;
      g->used = true;
      if (!best || sp->last - sp->first < best->last - best->first ||
          (sp->last - sp->first == best->last - best->first && sp->idx < best->idx))
        best = sp;
    }
    na = keep;
    if (!best)
      continue;
    if (!d->suppress_reason && ig->v[best->idx].reason &&
        !(d->suppress_reason = strdup(ig->v[best->idx].reason)))
      goto done;
    d->suppressed = true;
  }
  st = OMEN_OK;
done:
  free(dirs);
  free(ds);
  free(active);
  return st;
}
