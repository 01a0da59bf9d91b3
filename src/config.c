/* config.c - .omen.yml (see config.h): loading and checking it with libyaml, the severity of a rule
 * at a path, globs, `omen config show` and the starter file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "arena.h"
#include "buf.h"
#include "registry.h"
#include "rulepack.h"
#include "yaml_guard.h"

enum {
  MAX_DEPTH = 32,    /* the format nests 6 deep: anything deeper is not a configuration */
  MAX_ITEMS = 10000, /* entries of one list */
  MAX_GLOB = 1024,   /* bytes of one glob */
  MAX_PATH = 4096,   /* bytes of a path matched against globs; longer ones match nothing */
};

/* ---------- the configuration ---------- */

typedef struct setting { /* one entry of a `rules` mapping */
  const char *key;       /* rule id or family, as written */
  bool family;
  bool has_sev, off; /* has_sev false: the entry only sets options */
  omen_severity sev;
  unsigned line;
} setting;

typedef struct settings {
  setting *v;
  size_t n;
} settings;

typedef struct globs {
  const char **v;
  unsigned *lines;
  size_t n;
} globs;

typedef struct override {
  globs paths;
  settings rules;
  unsigned line;
} override;

typedef struct optval {
  const char *rule; /* rule id */
  const char *name, *value;
  unsigned line;
} optval;

typedef struct anlist {
  const omen_analyzer **v;
  unsigned *lines;
  size_t n;
  unsigned line; /* of the key */
} anlist;

struct omen_config {
  omen_arena *arena;
  const char *path, *dir; /* as given */
  const char *cwd;        /* absolute, when known: the base of relative paths given to queries */
  const char *realdir;    /* dir with symbolic links resolved, when it exists */
  const char *lexdir;     /* dir made absolute lexically */
  const omen_rule *const *rules;
  size_t nrules;
  bool global_rules; /* rules is omen_rules_all(): refreshed after rules.files loads rule packs */
  bool has_fail_on, has_generated, generated, has_enable, has_disable;
  omen_severity fail_on;
  unsigned fail_on_line, generated_line;
  globs exclude;
  anlist enable, disable;
  settings rules_set;
  override *overrides;
  size_t noverrides;
  optval *opts;
  size_t nopts;
};

/* ---------- small helpers ---------- */

static size_t family_len(const char *id) { return strcspn(id, "/"); }

/* s fit for a message: control characters as '?', cut at 60 bytes. */
static const char *clip(const char *s, char out[72]) {
  size_t o = 0;
  for (; *s && o < 60; s++)
    out[o++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
  if (*s) {
    while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
      o--; /* do not cut a character in two */
    if (o > 0 && (unsigned char)out[o - 1] >= 0xC0)
      o--;
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o] = '\0';
  return out;
}

/* The code point at s (n set to its length; an invalid byte stands for itself). */
static uint32_t decode(const char *s, const char *end, size_t *n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t avail = (size_t)(end - s);
  uint32_t c = u[0];
  size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 1;
  if (len > avail)
    len = 1;
  for (size_t k = 1; k < len; k++)
    if ((u[k] & 0xC0) != 0x80)
      len = 1;
  if (len > 1) {
    c &= 0x7Fu >> len;
    for (size_t k = 1; k < len; k++)
      c = c << 6 | (u[k] & 0x3Fu);
  }
  *n = len;
  return c;
}

/* Offset of the first byte of text that is not valid UTF-8, or len. */
static size_t utf8_invalid_at(const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t n;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) {
      n = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return i;
    }
    if (n > len - i)
      return i;
    for (size_t k = 1; k < n; k++) {
      if ((s[i + k] & 0xC0) != 0x80)
        return i;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += n;
  }
  return len;
}

/* Edit distance of a and b (each at most 64 bytes, else SIZE_MAX). */
static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64)
    return SIZE_MAX;
  size_t row[65];
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

/* The nearest candidate to a word, for "did you mean" (near_add each, then near_best). */
typedef struct near {
  const char *word, *best;
  size_t dist;
} near;

static void near_add(near *n, const char *cand) {
  size_t len = strlen(n->word);
  /* a beginning of the word ("warn") is as near as a typo */
  size_t d = len >= 3 && strncmp(cand, n->word, len) == 0 ? 1 : edit_distance(n->word, cand);
  if (d > 0 && d < n->dist) {
    n->dist = d;
    n->best = cand;
  }
}

static const char *near_best(const near *n) {
  size_t len = strlen(n->word);
  size_t limit = len <= 3 ? 1 : 2 + len / 8;
  return n->best && n->dist <= limit ? n->best : NULL;
}

/* " (did you mean 'x'?)" or "" */
static const char *did_you_mean(const near *n, char out[128]) {
  const char *best = near_best(n);
  char c[72];
  if (best)
    snprintf(out, 128, " (did you mean '%s'?)", clip(best, c));
  else
    out[0] = '\0';
  return out;
}

/* ---------- globs ---------- */

/* Matches one character class at p ('[' ... ']', before pe) against code point c. Returns the
 * class's length, or 0 when it has no closing ']'. why (optional) receives a problem with it. */
static size_t glob_class(const char *p, const char *pe, uint32_t c, bool *matched, const char **why) {
  const char *q = p + 1;
  bool neg = false, in = false;
  if (q < pe && (*q == '!' || *q == '^')) {
    neg = true;
    q++;
  }
  bool first = true;
  for (;;) {
    if (q >= pe)
      return 0;
    if (*q == ']' && !first)
      break;
    first = false;
    size_t n;
    if (*q == '\\' && q + 1 < pe)
      q++;
    uint32_t lo = decode(q, pe, &n), hi = lo;
    q += n;
    if (q + 1 < pe && *q == '-' && q[1] != ']') {
      q++;
      if (*q == '\\' && q + 1 < pe)
        q++;
      hi = decode(q, pe, &n);
      q += n;
      if (hi < lo && why)
        *why = "a range in [...] runs backwards, as in [z-a]";
    }
    if (c >= lo && c <= hi)
      in = true;
  }
  *matched = in != neg;
  return (size_t)(q + 1 - p);
}

/* One path segment [s, se) against one pattern segment [p, pe): `*`, `?`, `[...]`, `\x`. Greedy with
 * one backtracking point (the last `*`), so the time is at most proportional to the product of the
 * lengths. */
static bool seg_match(const char *p, const char *pe, const char *s, const char *se) {
  const char *star_p = NULL, *star_s = NULL;
  while (s < se) {
    if (p < pe && *p == '*') {
      while (p < pe && *p == '*')
        p++;
      star_p = p;
      star_s = s;
      continue;
    }
    if (p < pe) {
      size_t sn, pn = 1;
      uint32_t c = decode(s, se, &sn);
      bool ok;
      if (*p == '?') {
        ok = true;
      } else if (*p == '[' && (pn = glob_class(p, pe, c, &ok, NULL)) > 0) {
        /* ok set by glob_class */
      } else {
        if (*p == '\\' && p + 1 < pe)
          p++;
        pn = 1, sn = 1, ok = *p == *s; /* literal, byte by byte */
      }
      if (ok) {
        p += pn;
        s += sn;
        continue;
      }
    }
    if (!star_p)
      return false;
    size_t n;
    decode(star_s, se, &n);
    star_s += n;
    s = star_s;
    p = star_p;
  }
  while (p < pe && *p == '*')
    p++;
  return p == pe;
}

static const char *seg_end(const char *s) { return s + strcspn(s, "/"); }
static const char *seg_next(const char *e) { return *e == '/' ? e + 1 : e; }
static bool is_globstar(const char *p, const char *pe) { return pe - p == 2 && p[0] == '*' && p[1] == '*'; }

/* Segment lists ("a/b/c", no empty segments) where a `**` segment matches any number of segments:
 * the same greedy scheme one level up. */
static bool segs_match(const char *p, const char *s) {
  const char *star_p = NULL, *star_s = NULL;
  while (*s) {
    const char *pe = seg_end(p), *se = seg_end(s);
    if (*p && is_globstar(p, pe)) {
      star_p = p = seg_next(pe);
      star_s = s;
      continue;
    }
    if (*p && seg_match(p, pe, s, se)) {
      p = seg_next(pe);
      s = seg_next(se);
      continue;
    }
    if (!star_p)
      return false;
    star_s = seg_next(seg_end(star_s));
    s = star_s;
    p = star_p;
  }
  while (*p && is_globstar(p, seg_end(p)))
    p = seg_next(seg_end(p));
  return *p == '\0';
}

/* Appends the segments of s to out (from o), dropping empty and "." segments; false if too long. */
static bool add_segments(const char *s, char *out, size_t outlen, size_t *o) {
  while (*s) {
    const char *e = seg_end(s);
    size_t n = (size_t)(e - s);
    if (n > 0 && !(n == 1 && s[0] == '.')) {
      if (*o + n + 2 > outlen)
        return false;
      if (*o > 0)
        out[(*o)++] = '/';
      memcpy(out + *o, s, n);
      *o += n;
    }
    s = seg_next(e);
  }
  out[*o] = '\0';
  return true;
}

bool omen_glob_match(const char *pattern, const char *path) {
  char pat[MAX_GLOB + 16], str[MAX_PATH];
  size_t plen = strlen(pattern), slen = strlen(path), o = 0;
  if (plen == 0 || plen > MAX_GLOB || slen == 0 || slen >= MAX_PATH)
    return false;
  bool path_dir = path[slen - 1] == '/';
  if (!add_segments(path, str, sizeof str, &o) || o == 0)
    return false;
  /* a glob with a '/' before its end is anchored at the base directory; one without matches a name
   * at any depth; either also matches what lies under a directory it matches */
  bool dir_only = pattern[plen - 1] == '/';
  const char *slash = strchr(pattern, '/');
  bool anchored = slash && slash < pattern + plen - 1;
  o = 0;
  if (!anchored) {
    memcpy(pat, "**", 2);
    o = 2;
  }
  size_t core = o;
  if (!add_segments(pattern, pat, sizeof pat, &o) || o == core)
    return false;
  /* a directory-only glob needs one more segment below it unless path itself is a directory */
  const char *tail = dir_only && !path_dir ? "/*/**" : "/**";
  memcpy(pat + o, tail, strlen(tail) + 1);
  return segs_match(pat, str);
}

const char *omen_glob_problem(const char *pattern) {
  size_t len = pattern ? strlen(pattern) : 0;
  if (len == 0)
    return "the glob is empty";
  if (len > MAX_GLOB)
    return "the glob is longer than 1024 bytes";
  bool any = false;
  for (const char *s = pattern; *s;) {
    const char *e = seg_end(s);
    size_t n = (size_t)(e - s);
    if (n == 2 && s[0] == '.' && s[1] == '.')
      return "'..' cannot appear in a glob: globs are relative to the configuration file's directory";
    if (n > 0 && !(n == 1 && s[0] == '.'))
      any = true;
    for (const char *p = s; p < e; p++) {
      if (*p == '\\') {
        if (p + 1 >= e)
          return "a '\\' at the end of a segment escapes nothing";
        p++;
      } else if (*p == '*' && p + 1 < e && p[1] == '*' && !is_globstar(s, e)) {
        return "'**' must be a whole path segment, as in 'a/**/b'";
      } else if (*p == '[') {
        bool m;
        const char *why = NULL;
        size_t cl = glob_class(p, e, 0, &m, &why);
        if (cl == 0)
          return "'[' has no closing ']' in its path segment";
        if (why)
          return why;
        p += cl - 1;
      }
    }
    s = seg_next(e);
  }
  return any ? NULL : "the glob names no path";
}

/* ---------- paths ---------- */

/* Joins base (absolute, may be NULL) and path, folding ".", ".." and empty segments, into out;
 * false when too long or when path is relative and base unknown. */
static bool clean_abs(const char *base, const char *path, char *out, size_t outlen) {
  const char *parts[2] = {path[0] == '/' ? "" : base, path};
  size_t o = 0;
  if (!parts[0])
    return false;
  for (int k = 0; k < 2; k++) {
    for (const char *s = parts[k]; *s;) {
      const char *e = seg_end(s);
      size_t n = (size_t)(e - s);
      if (n == 2 && s[0] == '.' && s[1] == '.') {
        while (o > 0 && out[o - 1] != '/')
          o--;
        if (o > 0)
          o--;
      } else if (n > 0 && !(n == 1 && s[0] == '.')) {
        if (o + n + 2 > outlen)
          return false;
        out[o++] = '/';
        memcpy(out + o, s, n);
        o += n;
      }
      s = seg_next(e);
    }
  }
  if (o == 0)
    out[o++] = '/';
  out[o] = '\0';
  return true;
}

/* path (as given to omen) relative to c's directory, into out, with a trailing '/' when path names
 * a directory that way ("" for the directory itself); false when path lies outside it. */
static bool rel_path(const omen_config *c, const char *path, char *out, size_t outlen) {
  char abs[MAX_PATH];
  size_t plen = strlen(path);
  if (plen == 0 || !clean_abs(c->cwd, path, abs, sizeof abs))
    return false;
  const char *last = strrchr(path, '/');
  last = last ? last + 1 : path;
  bool dir = path[plen - 1] == '/' || strcmp(last, ".") == 0 || strcmp(last, "..") == 0;
  const char *dirs[2] = {c->realdir, c->lexdir};
  for (int k = 0; k < 2; k++) {
    const char *d = dirs[k];
    if (!d)
      continue;
    size_t dl = strcmp(d, "/") == 0 ? 0 : strlen(d);
    if (strncmp(abs, d, dl) != 0 || (abs[dl] != '\0' && abs[dl] != '/'))
      continue;
    const char *rest = abs + dl + (abs[dl] == '/');
    int n = snprintf(out, outlen, "%s%s", rest, dir && *rest ? "/" : "");
    return n >= 0 && (size_t)n < outlen;
  }
  return false;
}

static bool globs_match(const globs *g, const char *rel, size_t *which) {
  for (size_t i = 0; *rel && i < g->n; i++) {
    if (omen_glob_match(g->v[i], rel)) {
      if (which)
        *which = i;
      return true;
    }
  }
  return false;
}

/* ---------- loading ---------- */

typedef struct ctx {
  omen_config *c;
  const char *text;
  size_t len;
  yaml_document_t *doc;
  char *err;
  size_t errlen;
} ctx;

/* 1-based line and byte column of a libyaml mark (line, and column counted in characters), or of
 * byte offset off when it is not SIZE_MAX. Line breaks are counted as libyaml counts them. */
static void locate(const ctx *x, size_t mline, size_t mcol, size_t off, size_t *line, size_t *col) {
  const char *t = x->text;
  size_t i = x->len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  size_t l = 0, c = 0, start = i;
  while (i < x->len) {
    if (off != SIZE_MAX ? i >= off : l > mline || (l == mline && c >= mcol))
      break;
    size_t brk = 0;
    if (t[i] == '\r')
      brk = i + 1 < x->len && t[i + 1] == '\n' ? 2 : 1;
    else if (t[i] == '\n')
      brk = 1;
    else if (x->len - i >= 2 && memcmp(t + i, "\xC2\x85", 2) == 0)
      brk = 2;
    else if (x->len - i >= 3 &&
             (memcmp(t + i, "\xE2\x80\xA8", 3) == 0 || memcmp(t + i, "\xE2\x80\xA9", 3) == 0))
      brk = 3;
    if (brk) {
      i += brk;
      l++;
      c = 0;
      start = i;
    } else {
      size_t n;
      decode(t + i, t + x->len, &n);
      i += n;
      c++;
    }
  }
  *line = l + 1;
  *col = i - start + 1;
}

static omen_status vfail_at(ctx *x, size_t line, size_t col, const char *fmt, va_list ap) {
  int n = line ? snprintf(x->err, x->errlen, "%s:%zu:%zu: ", x->c->path, line, col)
               : snprintf(x->err, x->errlen, "%s: ", x->c->path);
  if (n >= 0 && (size_t)n < x->errlen)
    vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
  return OMEN_EUSAGE;
}

static omen_status fail_mark(ctx *x, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static omen_status fail_mark(ctx *x, yaml_mark_t m, const char *fmt, ...) {
  size_t line, col;
  locate(x, m.line, m.column, SIZE_MAX, &line, &col);
  va_list ap;
  va_start(ap, fmt);
  omen_status s = vfail_at(x, line, col, fmt, ap);
  va_end(ap);
  return s;
}

static omen_status fail_off(ctx *x, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static omen_status fail_off(ctx *x, size_t off, const char *fmt, ...) {
  size_t line, col;
  locate(x, 0, 0, off, &line, &col);
  va_list ap;
  va_start(ap, fmt);
  omen_status s = vfail_at(x, line, col, fmt, ap);
  va_end(ap);
  return s;
}

static omen_status fail_file(ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static omen_status fail_file(ctx *x, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  omen_status s = vfail_at(x, 0, 0, fmt, ap);
  va_end(ap);
  return s;
}

static omen_status fail_nomem(ctx *x) {
  snprintf(x->err, x->errlen, "%s: out of memory", x->c->path);
  return OMEN_ENOMEM;
}

/* libyaml's own complaint (syntax, encoding, memory). */
static omen_status yaml_fail(ctx *x, const yaml_parser_t *p) {
  if (p->error == YAML_MEMORY_ERROR)
    return fail_nomem(x);
  const char *problem = p->problem ? p->problem : "unreadable";
  if (p->error == YAML_READER_ERROR)
    return fail_off(x, p->problem_offset, "invalid YAML: %s", problem);
  char ctxt[128] = "";
  if (p->context) {
    size_t line, col;
    locate(x, p->context_mark.line, p->context_mark.column, SIZE_MAX, &line, &col);
    snprintf(ctxt, sizeof ctxt, " (%s, from line %zu, column %zu)", p->context, line, col);
  }
  size_t line, col;
  locate(x, p->problem_mark.line, p->problem_mark.column, SIZE_MAX, &line, &col);
  size_t at = 0; /* the byte at the problem: a tab gets its own message */
  for (size_t l = 1; at < x->len && l < line; at++)
    if (x->text[at] == '\n')
      l++;
  at += col - 1;
  if (at < x->len && x->text[at] == '\t')
    return fail_mark(x, p->problem_mark, "invalid YAML: a tab; YAML indents with spaces only");
  return fail_mark(x, p->problem_mark, "invalid YAML: %s%s", problem, ctxt);
}

/* Refuses anchors and aliases, deep nesting and a second document before the document is built
 * (yaml_guard.h). */
static omen_status prescan(ctx *x) {
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p))
    return fail_nomem(x);
  yaml_parser_set_input_string(&p, (const unsigned char *)x->text, x->len);
  yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
  yaml_mark_t m;
  char name[256], c[72];
  omen_status s = OMEN_OK;
  switch (omen_yaml_guard(&p, MAX_DEPTH, &m, name, sizeof name)) {
  case OMEN_YAML_FINE:
    break;
  case OMEN_YAML_PARSE:
    s = yaml_fail(x, &p);
    break;
  case OMEN_YAML_DOCS:
    s = fail_mark(x, m, "a configuration is one YAML document: remove the second '---' and what follows");
    break;
  case OMEN_YAML_ALIAS:
    s = fail_mark(x, m, "aliases (*%s) are not supported: write the value out in full", clip(name, c));
    break;
  case OMEN_YAML_ANCHOR:
    s = fail_mark(x, m, "anchors (&%s) and aliases are not supported: write the value out in full",
                  clip(name, c));
    break;
  case OMEN_YAML_DEPTH:
    s = fail_mark(x, m, "nested more than %d levels deep: this is not a configuration", MAX_DEPTH);
    break;
  }
  yaml_parser_delete(&p);
  return s;
}

static yaml_node_t *node(ctx *x, int i) { return yaml_document_get_node(x->doc, i); }

static bool is_null(const yaml_node_t *n) {
  if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  const char *v = (const char *)n->data.scalar.value;
  return n->data.scalar.length == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
         strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static const char *kind(const yaml_node_t *n) {
  return n->type == YAML_MAPPING_NODE    ? "a mapping"
         : n->type == YAML_SEQUENCE_NODE ? "a list"
                                         : "a single value";
}

/* The text of scalar n, copied to the configuration. what and expect word the errors:
 * "WHAT must be EXPECT, not a list". */
static omen_status get_str(ctx *x, const yaml_node_t *n, const char *what, const char *expect,
                           const char **out) {
  if (n->type != YAML_SCALAR_NODE)
    return fail_mark(x, n->start_mark, "%s must be %s, not %s", what, expect, kind(n));
  if (is_null(n))
    return fail_mark(x, n->start_mark, "%s has no value: it must be %s", what, expect);
  const char *v = (const char *)n->data.scalar.value;
  if (strlen(v) != n->data.scalar.length)
    return fail_mark(x, n->start_mark, "%s contains a NUL character", what);
  *out = omen_arena_strndup(x->c->arena, v, n->data.scalar.length);
  return *out ? OMEN_OK : fail_nomem(x);
}

/* Checks that n is a mapping (or empty: *empty set) or a list, per want. */
static omen_status want_type(ctx *x, const yaml_node_t *n, yaml_node_type_t want, const char *what,
                             bool *empty) {
  *empty = is_null(n);
  if (*empty)
    return OMEN_OK;
  if (n->type != want)
    return fail_mark(x, n->start_mark, "%s must be %s, not %s", what,
                     want == YAML_MAPPING_NODE ? "a mapping (key: value lines)" : "a list", kind(n));
  size_t count = want == YAML_MAPPING_NODE
                     ? (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start)
                     : (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
  if (count > MAX_ITEMS)
    return fail_mark(x, n->start_mark, "%s has more than %d entries", what, MAX_ITEMS);
  return OMEN_OK;
}

static size_t nitems(const yaml_node_t *n) {
  return n->type == YAML_SEQUENCE_NODE  ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
         : n->type == YAML_MAPPING_NODE ? (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start)
                                        : 0;
}

/* The key of pair p of mapping map as text; an error if it repeats an earlier key. Keys are
 * checked one by one as they are used, so a long mapping of bad keys fails at its first. */
static omen_status get_key(ctx *x, const yaml_node_t *map, const yaml_node_pair_t *p, const char **key) {
  const yaml_node_t *k = node(x, p->key);
  if (k->type != YAML_SCALAR_NODE)
    return fail_mark(x, k->start_mark, "a key must be a name, not %s", kind(k));
  omen_status s = get_str(x, k, "a key", "a name", key);
  if (s != OMEN_OK)
    return s;
  for (const yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
    const yaml_node_t *e = node(x, q->key);
    if (e->type == YAML_SCALAR_NODE && strcmp((const char *)e->data.scalar.value, *key) == 0) {
      char c[72];
      size_t line, col;
      locate(x, e->start_mark.line, e->start_mark.column, SIZE_MAX, &line, &col);
      return fail_mark(x, k->start_mark, "duplicate key '%s' (first at line %zu, column %zu)", clip(*key, c),
                       line, col);
    }
  }
  return OMEN_OK;
}

static omen_status unknown_key(ctx *x, const yaml_node_t *k, const char *key, const char *const *valid,
                               const char *where) {
  near nr = {key, NULL, SIZE_MAX};
  for (size_t i = 0; valid[i]; i++)
    near_add(&nr, valid[i]);
  char c[72], dym[128];
  if (near_best(&nr))
    return fail_mark(x, k->start_mark, "unknown key '%s' %s%s", clip(key, c), where, did_you_mean(&nr, dym));
  char list[256];
  size_t o = 0;
  list[0] = '\0';
  for (size_t i = 0; valid[i] && o < sizeof list; i++)
    o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", valid[i]);
  return fail_mark(x, k->start_mark, "unknown key '%s' %s; valid keys: %s", clip(key, c), where, list);
}

static unsigned line_of(const yaml_node_t *n) { return (unsigned)n->start_mark.line + 1; }

/* A list of globs (a missing or empty value is an empty list). */
static omen_status parse_globs(ctx *x, const yaml_node_t *n, const char *what, globs *out) {
  bool empty;
  omen_status s = want_type(x, n, YAML_SEQUENCE_NODE, what, &empty);
  if (s != OMEN_OK || empty)
    return s;
  size_t cnt = nitems(n);
  out->v = omen_arena_alloc(x->c->arena, (cnt + 1) * sizeof *out->v);
  out->lines = omen_arena_alloc(x->c->arena, (cnt + 1) * sizeof *out->lines);
  if (!out->v || !out->lines)
    return fail_nomem(x);
  for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
    const yaml_node_t *g = node(x, *it);
    const char *v = NULL;
    s = get_str(x, g, "a glob", "a string such as \"vendor/**\"", &v);
    if (s != OMEN_OK)
      return s;
    const char *why = omen_glob_problem(v);
    char c[72];
    if (why)
      return fail_mark(x, g->start_mark, "bad glob '%s': %s", clip(v, c), why);
    out->lines[out->n] = line_of(g);
    out->v[out->n++] = v;
  }
  return OMEN_OK;
}

static omen_status parse_analyzer_list(ctx *x, const yaml_node_t *k, const yaml_node_t *n, const char *what,
                                       anlist *out) {
  bool empty;
  omen_status s = want_type(x, n, YAML_SEQUENCE_NODE, what, &empty);
  if (s != OMEN_OK)
    return s;
  size_t cnt = nitems(n);
  out->line = line_of(k);
  out->v = omen_arena_alloc(x->c->arena, (cnt + 1) * sizeof *out->v);
  out->lines = omen_arena_alloc(x->c->arena, (cnt + 1) * sizeof *out->lines);
  if (!out->v || !out->lines)
    return fail_nomem(x);
  for (size_t i = 0; i < cnt; i++) {
    const yaml_node_t *a = node(x, n->data.sequence.items.start[i]);
    const char *name;
    s = get_str(x, a, "an analyzer", "an analyzer name", &name);
    if (s != OMEN_OK)
      return s;
    const omen_analyzer *an = omen_registry_find(name);
    if (!an) {
      near nr = {name, NULL, SIZE_MAX};
      for (size_t r = 0; omen_registry[r]; r++)
        near_add(&nr, omen_registry[r]->name);
      char c[72], dym[128];
      return fail_mark(x, a->start_mark, "unknown analyzer '%s'%s; `omen analyzers` lists them",
                       clip(name, c), did_you_mean(&nr, dym));
    }
    out->lines[out->n] = line_of(a);
    out->v[out->n++] = an;
  }
  return OMEN_OK;
}

static bool listed(const anlist *l, const omen_analyzer *a, size_t *at) {
  for (size_t i = 0; i < l->n; i++) {
    if (l->v[i] == a) {
      if (at)
        *at = i;
      return true;
    }
  }
  return false;
}

static omen_status parse_analyzers(ctx *x, const yaml_node_t *n) {
  static const char *const keys[] = {"enable", "disable", NULL};
  bool empty;
  omen_status s = want_type(x, n, YAML_MAPPING_NODE, "'analyzers'", &empty);
  if (s != OMEN_OK || empty)
    return s;
  omen_config *c = x->c;
  const yaml_node_t *first = NULL;
  int first_value = 0;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top && s == OMEN_OK;
       p++) {
    const char *key;
    const yaml_node_t *k = node(x, p->key), *v = node(x, p->value);
    s = get_key(x, n, p, &key);
    if (s != OMEN_OK)
      return s;
    bool en = strcmp(key, "enable") == 0;
    if (!en && strcmp(key, "disable") != 0)
      return unknown_key(x, k, key, keys, "under 'analyzers'");
    if (first)
      return fail_mark(
          x, k->start_mark,
          "'enable' and 'disable' cannot both be given: enable runs only the analyzers it lists");
    first = k;
    first_value = p->value;
    s = parse_analyzer_list(x, k, v, en ? "'analyzers.enable'" : "'analyzers.disable'",
                            en ? &c->enable : &c->disable);
    if (s == OMEN_OK && en && c->enable.n == 0)
      return fail_mark(x, v->start_mark,
                       "an empty 'enable' list would run no analyzer: list some, or remove it");
    c->has_enable |= en;
    c->has_disable |= !en;
  }
  /* everything not disabled runs: disabling what one of them requires cannot work */
  for (size_t i = 0; s == OMEN_OK && c->has_disable && omen_registry[i]; i++) {
    const omen_analyzer *a = omen_registry[i];
    size_t at;
    if (listed(&c->disable, a, NULL))
      continue;
    for (size_t r = 0; a->requires && a->requires[r]; r++) {
      if (listed(&c->disable, a->requires[r], &at)) {
        const yaml_node_t *item = node(x, node(x, first_value)->data.sequence.items.start[at]);
        return fail_mark(x, item->start_mark, "cannot disable %s: %s requires it (disable %s too)",
                         a->requires[r] -> name, a -> name, a -> name);
      }
    }
  }
  return s;
}

/* ---- rules ---- */

static const omen_rule *find_rule(const omen_config *c, const char *id) {
  for (size_t i = 0; i < c->nrules; i++)
    if (strcmp(c->rules[i]->id, id) == 0)
      return c->rules[i];
  return NULL;
}

static bool is_family(const omen_config *c, const char *name, size_t len) {
  for (size_t i = 0; i < c->nrules; i++)
    if (family_len(c->rules[i]->id) == len && strncmp(c->rules[i]->id, name, len) == 0)
      return true;
  return false;
}

/* Is rule i the first of its family in the table? */
static bool family_first(const omen_rule *const *rules, size_t i) {
  size_t fl = family_len(rules[i]->id);
  for (size_t k = 0; k < i; k++)
    if (family_len(rules[k]->id) == fl && strncmp(rules[k]->id, rules[i]->id, fl) == 0)
      return false;
  return true;
}

static omen_status unknown_rule(ctx *x, const yaml_node_t *k, const char *key) {
  const omen_config *c = x->c;
  char cl[72], dym[128] = "";
  near nr = {key, NULL, SIZE_MAX};
  if (strchr(key, '/')) {
    for (size_t i = 0; i < c->nrules; i++)
      near_add(&nr, c->rules[i]->id);
    return fail_mark(x, k->start_mark, "unknown rule '%s'%s; `omen rules` lists them", clip(key, cl),
                     did_you_mean(&nr, dym));
  }
  /* a rule's name without its family */
  for (size_t i = 0; i < c->nrules && !dym[0]; i++) {
    const char *id = c->rules[i]->id;
    if (strcmp(id + family_len(id) + (id[family_len(id)] == '/'), key) == 0)
      snprintf(dym, sizeof dym, " (did you mean '%s'?)", clip(id, cl));
  }
  char list[512];
  size_t o = 0;
  list[0] = '\0';
  for (size_t i = 0; i < c->nrules && o < sizeof list; i++) {
    if (!family_first(c->rules, i))
      continue;
    o += (size_t)snprintf(list + o, sizeof list - o, "%s%.*s", o ? ", " : "",
                          (int)family_len(c->rules[i]->id), c->rules[i]->id);
    char *fam = omen_arena_strndup(c->arena, c->rules[i]->id, family_len(c->rules[i]->id));
    if (!fam)
      return fail_nomem(x);
    near_add(&nr, fam);
  }
  if (!dym[0])
    did_you_mean(&nr, dym);
  return fail_mark(x, k->start_mark, "unknown family '%s'%s; families: %s", clip(key, cl), dym, list);
}

static omen_status parse_severity(ctx *x, const yaml_node_t *n, const char *key, setting *out) {
  char what[128], c[72];
  snprintf(what, sizeof what, "the severity of '%s'", clip(key, c));
  const char *v;
  omen_status s = get_str(x, n, what, "error, warning, note or off", &v);
  if (s != OMEN_OK)
    return s;
  out->has_sev = true;
  out->line = line_of(n);
  out->off = strcmp(v, "off") == 0;
  if (out->off || omen_severity_parse(v, &out->sev))
    return OMEN_OK;
  static const char *const sevs[] = {"error", "warning", "note", "off"};
  near nr = {v, NULL, SIZE_MAX};
  for (int i = 0; i < 4; i++)
    near_add(&nr, sevs[i]);
  char c2[72], dym[128];
  return fail_mark(x, n->start_mark, "bad severity '%s' for '%s'%s: use error, warning, note or off",
                   clip(v, c2), c, did_you_mean(&nr, dym));
}

static bool parse_int(const char *s, long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end || errno == ERANGE || !(*s == '-' || *s == '+' || (*s >= '0' && *s <= '9')))
    return false;
  *out = v;
  return true;
}

static omen_status parse_options(ctx *x, const omen_rule *rule, const yaml_node_t *n) {
  char what[128], c[72], c2[72];
  snprintf(what, sizeof what, "the options of '%s'", clip(rule->id, c));
  bool empty;
  omen_status s = want_type(x, n, YAML_MAPPING_NODE, what, &empty);
  if (s != OMEN_OK || empty)
    return s;
  omen_config *cfg = x->c;
  optval *nv = omen_arena_alloc(cfg->arena, (cfg->nopts + nitems(n)) * sizeof *nv);
  if (!nv)
    return fail_nomem(x);
  if (cfg->nopts)
    memcpy(nv, cfg->opts, cfg->nopts * sizeof *nv);
  cfg->opts = nv;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    const yaml_node_t *k = node(x, p->key), *v = node(x, p->value);
    const char *name, *val;
    s = get_key(x, n, p, &name);
    if (s != OMEN_OK)
      return s;
    const omen_rule_option *o = NULL;
    near nr = {name, NULL, SIZE_MAX};
    char list[256] = "";
    size_t len = 0;
    for (size_t i = 0; rule->options && rule->options[i].name && !o; i++) {
      if (strcmp(rule->options[i].name, name) == 0)
        o = &rule->options[i];
      near_add(&nr, rule->options[i].name);
      if (len < sizeof list)
        len +=
            (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", rule->options[i].name);
    }
    if (!o && !list[0])
      return fail_mark(x, k->start_mark, "rule '%s' has no options", c);
    char dym[128];
    if (!o)
      return fail_mark(x, k->start_mark, "unknown option '%s' for rule '%s'%s; its options: %s",
                       clip(name, c2), c, did_you_mean(&nr, dym), list);
    char owhat[256];
    snprintf(owhat, sizeof owhat, "option '%s' of rule '%s'", o->name, c);
    s = get_str(x, v, owhat, "a value", &val);
    if (s != OMEN_OK)
      return s;
    long long dummy;
    const char *expect = NULL;
    if (o->kind == OMEN_OPT_DURATION && !omen_parse_duration(val, &dummy))
      expect = "a duration such as 30s, 1m30s or 500ms";
    else if (o->kind == OMEN_OPT_BYTES && !omen_parse_bytes(val, &dummy))
      expect = "a size such as 1048576, 512KiB or 4MB";
    else if (o->kind == OMEN_OPT_INT && !parse_int(val, &dummy))
      expect = "a whole number";
    if (expect)
      return fail_mark(x, v->start_mark, "bad value '%s' for %s: expected %s", clip(val, c2), owhat, expect);
    cfg->opts[cfg->nopts++] = (optval){rule->id, o->name, val, line_of(v)};
  }
  return OMEN_OK;
}

/* A `rules` mapping: the top-level one (options allowed) or an override's. */
static omen_status parse_settings(ctx *x, const yaml_node_t *n, const char *what, bool top, settings *out) {
  static const char *const keys[] = {"severity", "options", NULL};
  bool empty;
  omen_status s = want_type(x, n, YAML_MAPPING_NODE, what, &empty);
  if (s != OMEN_OK || empty)
    return s;
  out->v = omen_arena_alloc(x->c->arena, (nitems(n) + 1) * sizeof *out->v);
  if (!out->v)
    return fail_nomem(x);
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    const yaml_node_t *k = node(x, p->key), *v = node(x, p->value);
    const char *key;
    s = get_key(x, n, p, &key);
    if (s != OMEN_OK)
      return s;
    if (strcmp(key, "files") == 0) { /* rule files: loaded by parse_rule_files */
      if (!top)
        return fail_mark(x, k->start_mark, "rule files are listed under the top-level 'rules', not per path");
      continue;
    }
    setting *st = &out->v[out->n];
    *st = (setting){.key = key, .family = !strchr(key, '/'), .line = line_of(k)};
    const omen_rule *rule = st->family ? NULL : find_rule(x->c, key);
    if (st->family ? !is_family(x->c, key, strlen(key)) : !rule)
      return unknown_rule(x, k, key);
    char c[72], sw[128];
    snprintf(sw, sizeof sw, "the setting of '%s'", clip(key, c));
    if (v->type == YAML_SEQUENCE_NODE)
      return fail_mark(x, v->start_mark, "%s must be a severity (error, warning, note or off)%s, not a list",
                       sw, st->family ? "" : " or a mapping with severity and options");
    if (v->type == YAML_SCALAR_NODE) {
      s = parse_severity(x, v, key, st);
    } else {
      for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top && s == OMEN_OK;
           q++) {
        const yaml_node_t *k2 = node(x, q->key), *v2 = node(x, q->value);
        const char *key2;
        s = get_key(x, v, q, &key2);
        if (s != OMEN_OK)
          break;
        if (strcmp(key2, "severity") == 0)
          s = parse_severity(x, v2, key, st);
        else if (strcmp(key2, "options") != 0)
          s = unknown_key(x, k2, key2, keys, "in a rule's setting");
        else if (st->family)
          s = fail_mark(x, k2->start_mark, "options belong to rules, not to the family '%s'", c);
        else if (!top)
          s = fail_mark(x, k2->start_mark,
                        "options cannot vary by path: set them for '%s' under the top-level 'rules'", c);
        else
          s = parse_options(x, rule, v2);
      }
    }
    if (s != OMEN_OK)
      return s;
    out->n++;
  }
  return OMEN_OK;
}

/* rules.files: rule files and directories (relative to the configuration's directory), loaded into
 * the process-wide rule pack before the rest of `rules` is checked, so their ids can be configured. */
static omen_status parse_rule_files(ctx *x, const yaml_node_t *rules) {
  if (rules->type != YAML_MAPPING_NODE)
    return OMEN_OK;
  for (yaml_node_pair_t *p = rules->data.mapping.pairs.start; p < rules->data.mapping.pairs.top; p++) {
    const yaml_node_t *k = node(x, p->key), *v = node(x, p->value);
    if (k->type != YAML_SCALAR_NODE || strcmp((const char *)k->data.scalar.value, "files") != 0)
      continue;
    bool empty;
    omen_status s = want_type(x, v, YAML_SEQUENCE_NODE, "'rules.files'", &empty);
    for (size_t i = 0; !empty && s == OMEN_OK && i < nitems(v); i++) {
      const char *f;
      if ((s = get_str(x, node(x, v->data.sequence.items.start[i]), "a rule file", "a path", &f)) != OMEN_OK)
        break;
      char *path = f[0] == '/' || strcmp(x->c->dir, ".") == 0
                       ? omen_arena_strdup(x->c->arena, f)
                       : omen_arena_printf(x->c->arena, "%s/%s", x->c->dir, f);
      char err[1024];
      if (!path)
        return fail_nomem(x);
      const yaml_node_t *item = node(x, v->data.sequence.items.start[i]);
      if (omen_rulepack_add(path, err, sizeof err) != OMEN_OK)
        return fail_mark(x, item->start_mark, "rules.files: %s", err);
    }
    if (s == OMEN_OK && x->c->global_rules) {
      x->c->rules = omen_rules_all(&x->c->nrules);
      if (!x->c->rules)
        return fail_nomem(x);
    }
    return s;
  }
  return OMEN_OK;
}

static omen_status parse_overrides(ctx *x, const yaml_node_t *n) {
  static const char *const keys[] = {"paths", "rules", NULL};
  bool empty;
  omen_status s = want_type(x, n, YAML_SEQUENCE_NODE, "'overrides'", &empty);
  if (s != OMEN_OK || empty)
    return s;
  omen_config *c = x->c;
  c->overrides = omen_arena_alloc(c->arena, (nitems(n) + 1) * sizeof *c->overrides);
  if (!c->overrides)
    return fail_nomem(x);
  for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
    const yaml_node_t *o = node(x, *it);
    if (o->type != YAML_MAPPING_NODE)
      return fail_mark(x, o->start_mark,
                       "an entry of 'overrides' must be a mapping with paths and rules, not %s",
                       is_null(o) ? "empty" : kind(o));
    override *ov = &c->overrides[c->noverrides];
    ov->line = line_of(o);
    bool has_paths = false, has_rules = false;
    for (yaml_node_pair_t *p = o->data.mapping.pairs.start; p < o->data.mapping.pairs.top; p++) {
      const yaml_node_t *k = node(x, p->key), *v = node(x, p->value);
      const char *key;
      s = get_key(x, o, p, &key);
      if (s != OMEN_OK)
        return s;
      if (strcmp(key, "paths") == 0) {
        has_paths = true;
        s = parse_globs(x, v, "'paths'", &ov->paths);
        if (s == OMEN_OK && ov->paths.n == 0)
          s = fail_mark(x, v->start_mark, "'paths' must list at least one glob");
      } else if (strcmp(key, "rules") == 0) {
        has_rules = true;
        s = parse_settings(x, v, "the 'rules' of an override", false, &ov->rules);
      } else {
        s = unknown_key(x, k, key, keys, "in an override");
      }
      if (s != OMEN_OK)
        return s;
    }
    if (!has_paths || !has_rules)
      return fail_mark(x, o->start_mark,
                       "an override needs '%s': the paths it applies to and the rules it sets",
                       has_paths ? "rules" : "paths");
    c->noverrides++;
  }
  return OMEN_OK;
}

static omen_status parse_top(ctx *x, const yaml_node_t *root) {
  static const char *const keys[] = {"version",   "fail-on", "include-generated", "exclude",
                                     "analyzers", "rules",   "overrides",         NULL};
  if (is_null(root))
    return OMEN_OK;
  if (root->type != YAML_MAPPING_NODE)
    return fail_mark(x, root->start_mark,
                     "a configuration is a mapping of keys such as version, rules and exclude, not %s",
                     kind(root));
  omen_config *c = x->c;
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
    const yaml_node_t *k = node(x, p->key), *v = node(x, p->value);
    const char *key, *val;
    omen_status s = get_key(x, root, p, &key);
    if (s != OMEN_OK)
      return s;
    char cl[72];
    if (strcmp(key, "version") == 0) {
      s = get_str(x, v, "'version'", "1", &val);
      if (s == OMEN_OK && strcmp(val, "1") != 0)
        s = fail_mark(x, v->start_mark, "version %s is not supported: this omen reads version 1",
                      clip(val, cl));
    } else if (strcmp(key, "fail-on") == 0) {
      s = get_str(x, v, "'fail-on'", "error, warning or note", &val);
      if (s == OMEN_OK && !omen_severity_parse(val, &c->fail_on)) {
        static const char *const sevs[] = {"error", "warning", "note", NULL};
        near nr = {val, NULL, SIZE_MAX};
        for (int i = 0; sevs[i]; i++)
          near_add(&nr, sevs[i]);
        char dym[128];
        s = fail_mark(x, v->start_mark, "bad fail-on '%s'%s: use error, warning or note", clip(val, cl),
                      did_you_mean(&nr, dym));
      }
      c->has_fail_on = true;
      c->fail_on_line = line_of(k);
    } else if (strcmp(key, "include-generated") == 0) {
      s = get_str(x, v, "'include-generated'", "true or false", &val);
      if (s == OMEN_OK && strcmp(val, "true") != 0 && strcmp(val, "false") != 0)
        s = fail_mark(x, v->start_mark, "'include-generated' must be true or false, not '%s'", clip(val, cl));
      c->has_generated = true;
      c->generated = s == OMEN_OK && strcmp(val, "true") == 0;
      c->generated_line = line_of(k);
    } else if (strcmp(key, "exclude") == 0) {
      s = parse_globs(x, v, "'exclude'", &c->exclude);
    } else if (strcmp(key, "analyzers") == 0) {
      s = parse_analyzers(x, v);
    } else if (strcmp(key, "rules") == 0) {
      s = parse_rule_files(x, v);
      if (s == OMEN_OK)
        s = parse_settings(x, v, "'rules'", true, &c->rules_set);
    } else if (strcmp(key, "overrides") == 0) {
      s = parse_overrides(x, v);
    } else {
      s = unknown_key(x, k, key, keys, "at the top level");
    }
    if (s != OMEN_OK)
      return s;
  }
  return OMEN_OK;
}

/* The directory part of path ("." when none). */
static char *dir_of(omen_arena *a, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return omen_arena_strdup(a, ".");
  if (slash == path)
    return omen_arena_strdup(a, "/");
  return omen_arena_strndup(a, path, (size_t)(slash - path));
}

/* The configuration's paths: as given, and absolute for matching. */
static omen_status set_paths(omen_config *c, const char *path) {
  char buf[MAX_PATH];
  c->path = omen_arena_strdup(c->arena, path);
  c->dir = c->path ? dir_of(c->arena, c->path) : NULL;
  if (!c->dir)
    return OMEN_ENOMEM;
  if (getcwd(buf, sizeof buf) && !(c->cwd = omen_arena_strdup(c->arena, buf)))
    return OMEN_ENOMEM;
  if (clean_abs(c->cwd, c->dir, buf, sizeof buf) && !(c->lexdir = omen_arena_strdup(c->arena, buf)))
    return OMEN_ENOMEM;
  char *real = realpath(c->dir, NULL);
  if (real) {
    c->realdir = omen_arena_strdup(c->arena, real);
    free(real);
    if (!c->realdir)
      return OMEN_ENOMEM;
  }
  return OMEN_OK;
}

static omen_status parse_impl(const char *path, const char *text, size_t len, const omen_rule *const *rules,
                              size_t nrules, bool global, omen_config **out, char *err, size_t errlen) {
  *out = NULL;
  if (errlen)
    err[0] = '\0';
  omen_config *c = calloc(1, sizeof *c);
  omen_arena *a = c ? omen_arena_new() : NULL;
  if (!a) {
    free(c);
    snprintf(err, errlen, "%s: out of memory", path);
    return OMEN_ENOMEM;
  }
  c->arena = a;
  c->rules = rules;
  c->nrules = nrules;
  c->global_rules = global;
  ctx x = {.c = c, .text = text, .len = len, .err = err, .errlen = errlen};
  omen_status s = set_paths(c, path);
  if (s != OMEN_OK) {
    omen_config_free(c);
    snprintf(err, errlen, "%s: out of memory", path);
    return s;
  }
  const char *nul = memchr(text, '\0', len);
  size_t bad = utf8_invalid_at(text, len);
  if (len > OMEN_CONFIG_MAX_SIZE)
    s = fail_file(&x, "larger than 1 MiB: a configuration file is small; is this the right file?");
  else if (nul && (size_t)(nul - text) <= bad)
    s = fail_off(&x, (size_t)(nul - text), "contains a NUL byte: this is not a text file");
  else if (bad < len)
    s = fail_off(&x, bad, "not valid UTF-8: save the file as UTF-8");
  else
    s = prescan(&x);
  yaml_parser_t p;
  yaml_document_t doc;
  bool have_parser = false, have_doc = false;
  if (s == OMEN_OK) {
    have_parser = yaml_parser_initialize(&p);
    if (!have_parser)
      s = fail_nomem(&x);
  }
  if (s == OMEN_OK) {
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    have_doc = yaml_parser_load(&p, &doc);
    if (!have_doc)
      s = yaml_fail(&x, &p);
  }
  if (s == OMEN_OK) {
    x.doc = &doc;
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root)
      s = parse_top(&x, root);
  }
  if (have_doc)
    yaml_document_delete(&doc);
  if (have_parser)
    yaml_parser_delete(&p);
  if (s != OMEN_OK) {
    omen_config_free(c);
    return s;
  }
  *out = c;
  return OMEN_OK;
}

omen_status omen_config_parse(const char *path, const char *text, size_t len, omen_config **out, char *err,
                              size_t errlen) {
  size_t n;
  const omen_rule *const *all = omen_rules_all(&n);
  if (!all) {
    *out = NULL;
    snprintf(err, errlen, "%s: out of memory", path);
    return OMEN_ENOMEM;
  }
  return parse_impl(path, text, len, all, n, true, out, err, errlen);
}

omen_status omen_config_parse_rules(const char *path, const char *text, size_t len,
                                    const omen_rule *const *rules, size_t nrules, omen_config **out,
                                    char *err, size_t errlen) {
  return parse_impl(path, text, len, rules, nrules, false, out, err, errlen);
}

omen_status omen_config_load(const char *path, omen_config **out, char *err, size_t errlen) {
  *out = NULL;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    if (fd >= 0)
      close(fd);
    return OMEN_EIO;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    snprintf(err, errlen, "%s: cannot read: %s", path,
             S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
    return OMEN_EIO;
  }
  /* one byte more than the limit tells a file at the limit from a larger one */
  char *text = malloc(OMEN_CONFIG_MAX_SIZE + 2);
  FILE *f = text ? fdopen(fd, "rb") : NULL;
  if (!f) {
    close(fd);
    free(text);
    snprintf(err, errlen, "%s: out of memory", path);
    return OMEN_ENOMEM;
  }
  size_t len = fread(text, 1, OMEN_CONFIG_MAX_SIZE + 1, f);
  bool failed = ferror(f);
  int e = errno;
  fclose(f);
  if (failed) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(e));
    free(text);
    return OMEN_EIO;
  }
  text[len] = '\0';
  omen_status s = omen_config_parse(path, text, len, out, err, errlen);
  free(text);
  return s;
}

void omen_config_free(omen_config *c) {
  if (!c)
    return;
  omen_arena_free(c->arena);
  free(c);
}

/* ---------- discovery ---------- */

bool omen_config_find(const char *start, char *out, size_t outlen) {
  char dir[MAX_PATH], cwd[MAX_PATH];
  const char *base = getcwd(cwd, sizeof cwd) ? cwd : NULL;
  struct stat st;
  char *real = realpath(start, NULL);
  bool ok = real ? snprintf(dir, sizeof dir, "%s", real) < (int)sizeof dir
                 : clean_abs(base, start, dir, sizeof dir);
  bool is_dir = real && stat(real, &st) == 0 && S_ISDIR(st.st_mode);
  free(real);
  if (!ok)
    return false;
  if (!is_dir) { /* a file (or a path that does not exist): start in the directory holding it */
    char *slash = strrchr(dir, '/');
    slash[slash == dir] = '\0';
  }
  for (;;) {
    char cand[MAX_PATH];
    size_t dl = strlen(dir);
    int n = snprintf(cand, sizeof cand, "%s%s" OMEN_CONFIG_NAME, dir, dl > 1 ? "/" : "");
    if (n > 0 && (size_t)n < sizeof cand && stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
      /* shown relative to the working directory when under it */
      const char *shown = cand;
      size_t bl = base ? strlen(base) : 0;
      if (base && bl > 1 && strncmp(cand, base, bl) == 0 && cand[bl] == '/')
        shown = cand + bl + 1;
      if (strlen(shown) >= outlen)
        return false;
      memcpy(out, shown, strlen(shown) + 1);
      return true;
    }
    if (dl <= 1)
      return false;
    char *slash = strrchr(dir, '/');
    slash[slash == dir] = '\0';
  }
}

/* ---------- queries ---------- */

const char *omen_config_path(const omen_config *c) { return c ? c->path : ""; }
const char *omen_config_dir(const omen_config *c) { return c ? c->dir : "."; }

bool omen_config_analyzer_on(const omen_config *c, const char *name) {
  if (!c)
    return true;
  const omen_analyzer *a = omen_registry_find(name);
  if (c->has_enable)
    return a && listed(&c->enable, a, NULL);
  return !a || !listed(&c->disable, a, NULL);
}

bool omen_config_has_enable_list(const omen_config *c) { return c && c->has_enable; }

static const setting *find_setting(const settings *s, const char *key, size_t len, bool family) {
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i].family == family && strlen(s->v[i].key) == len && strncmp(s->v[i].key, key, len) == 0)
      return &s->v[i];
  return NULL;
}

typedef struct source {
  const setting *set; /* NULL: the rule's default */
  size_t ov;          /* SIZE_MAX: the top-level rules; else the override's index */
} source;

/* Applies a `rules` mapping to rule: its family first, then the rule itself. */
static void apply(const settings *s, const omen_rule *rule, size_t ov, bool *on, omen_severity *sev,
                  source *src) {
  const setting *both[2] = {find_setting(s, rule->id, family_len(rule->id), true),
                            find_setting(s, rule->id, strlen(rule->id), false)};
  for (int k = 0; k < 2; k++) {
    if (both[k] && both[k]->has_sev) {
      *on = !both[k]->off;
      if (*on)
        *sev = both[k]->sev;
      *src = (source){both[k], ov};
    }
  }
}

/* rel: the path relative to c's directory, NULL when it has none there. */
static bool resolve(const omen_config *c, const char *rel, const omen_rule *rule, omen_severity *sev,
                    source *src) {
  bool on = true;
  *sev = rule->severity;
  *src = (source){NULL, SIZE_MAX};
  if (!c)
    return true;
  apply(&c->rules_set, rule, SIZE_MAX, &on, sev, src);
  for (size_t i = 0; rel && i < c->noverrides; i++)
    if (globs_match(&c->overrides[i].paths, rel, NULL))
      apply(&c->overrides[i].rules, rule, i, &on, sev, src);
  return on;
}

bool omen_config_rule_severity(const omen_config *c, const char *path, const omen_rule *rule,
                               omen_severity *sev) {
  char rel[MAX_PATH];
  source src;
  bool has_rel = c && c->noverrides && path && rel_path(c, path, rel, sizeof rel);
  return resolve(c, has_rel ? rel : NULL, rule, sev, &src);
}

bool omen_config_excluded(const omen_config *c, const char *path) {
  char rel[MAX_PATH];
  return c && c->exclude.n && rel_path(c, path, rel, sizeof rel) && globs_match(&c->exclude, rel, NULL);
}

bool omen_config_fail_on(const omen_config *c, omen_severity *out) {
  if (!c || !c->has_fail_on)
    return false;
  *out = c->fail_on;
  return true;
}

bool omen_config_include_generated(const omen_config *c, bool *out) {
  if (!c || !c->has_generated)
    return false;
  *out = c->generated;
  return true;
}

static const omen_rule_option *find_option(const omen_rule *rule, const char *name) {
  for (size_t i = 0; rule->options && rule->options[i].name; i++)
    if (strcmp(rule->options[i].name, name) == 0)
      return &rule->options[i];
  return NULL;
}

static const optval *find_optval(const omen_config *c, const char *rule, const char *name) {
  for (size_t i = 0; c && i < c->nopts; i++)
    if (strcmp(c->opts[i].rule, rule) == 0 && strcmp(c->opts[i].name, name) == 0)
      return &c->opts[i];
  return NULL;
}

const char *omen_config_rule_option(const omen_config *c, const omen_rule *rule, const char *name) {
  const omen_rule_option *o = find_option(rule, name);
  if (!o)
    return NULL;
  const optval *v = find_optval(c, rule->id, name);
  return v ? v->value : o->def;
}

/* ---------- show ---------- */

/* Text for a comment: what YAML would reject (control characters, line breaks) becomes '?'. */
static void put_comment(FILE *out, const char *s) {
  const char *end = s + strlen(s);
  while (s < end) {
    size_t n;
    uint32_t cp = decode(s, end, &n);
    bool bad = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
               cp >= 0xFFFE || (n == 1 && cp >= 0x80);
    if (bad)
      fputc('?', out);
    else
      fwrite(s, 1, n, out);
    s += n;
  }
}

/* s as a YAML double-quoted scalar. */
static void put_quoted(FILE *out, const char *s) {
  const char *end = s + strlen(s);
  fputc('"', out);
  while (s < end) {
    size_t n;
    uint32_t cp = decode(s, end, &n);
    if (cp == '"' || cp == '\\')
      fprintf(out, "\\%c", (char)cp);
    else if (cp < 0x20 || cp == 0x7F)
      fprintf(out, "\\x%02x", (unsigned)cp);
    else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp >= 0xFFFE)
      fprintf(out, "\\u%04x", (unsigned)cp);
    else
      fwrite(s, 1, n, out);
    s += n;
  }
  fputc('"', out);
}

static void put_source(FILE *out, const omen_config *c, unsigned line, const char *what) {
  fputs("  # ", out);
  put_comment(out, c->path);
  fprintf(out, ":%u", line);
  if (what)
    fprintf(out, " (%s)", what);
}

/* Is a required by an analyzer in the enable list (directly or through others)? Sets *by. */
static bool required_by_enabled(const omen_config *c, const omen_analyzer *a, const omen_analyzer **by) {
  bool on[256] = {false};
  size_t n = omen_registry_count();
  if (n > 256)
    n = 256;
  for (size_t i = 0; i < n; i++)
    on[i] = listed(&c->enable, omen_registry[i], NULL);
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < n; i++) {
      for (size_t r = 0; on[i] && omen_registry[i]->requires && omen_registry[i]->requires[r]; r++) {
        for (size_t k = 0; k < n; k++) {
          if (omen_registry[k] == omen_registry[i]->requires[r] && !on[k]) {
            on[k] = grew = true;
            if (omen_registry[k] == a)
              *by = omen_registry[i];
          }
        }
      }
    }
  }
  for (size_t i = 0; i < n; i++)
    if (omen_registry[i] == a)
      return on[i] && !listed(&c->enable, a, NULL);
  return false;
}

static void show_analyzers(const omen_config *c, FILE *out) {
  fputs("analyzers:\n", out);
  if (c && c->has_enable) {
    fputs("  enable:", out);
    put_source(out, c, c->enable.line, "the analyzers it lists, and those they require");
    fputc('\n', out);
    for (size_t i = 0; omen_registry[i]; i++) {
      const omen_analyzer *a = omen_registry[i], *by = NULL;
      size_t at;
      if (listed(&c->enable, a, &at)) {
        fprintf(out, "    - %s", a->name);
        put_source(out, c, c->enable.lines[at], NULL);
        fputc('\n', out);
      } else if (required_by_enabled(c, a, &by)) {
        fprintf(out, "    - %s  # required by %s\n", a->name, by ? by->name : "an enabled analyzer");
      }
    }
    return;
  }
  fputs("  # on:", out);
  for (size_t i = 0; omen_registry[i]; i++)
    if (!c || !listed(&c->disable, omen_registry[i], NULL))
      fprintf(out, " %s", omen_registry[i]->name);
  fputc('\n', out);
  if (!c || c->disable.n == 0) {
    fputs("  disable: []\n", out);
    return;
  }
  fputs("  disable:\n", out);
  for (size_t i = 0; i < c->disable.n; i++) {
    fprintf(out, "    - %s", c->disable.v[i]->name);
    put_source(out, c, c->disable.lines[i], NULL);
    fputc('\n', out);
  }
}

static void show_rule(const omen_config *c, const char *rel, const omen_rule *rule, FILE *out) {
  omen_severity sev;
  source src;
  bool on = resolve(c, rel, rule, &sev, &src);
  const char *val = on ? omen_severity_str(sev) : "off";
  char what[160];
  if (src.set) {
    int n = src.ov == SIZE_MAX ? snprintf(what, sizeof what, "rules")
                               : snprintf(what, sizeof what, "overrides[%zu]", src.ov);
    if (src.set->family && n > 0 && (size_t)n < sizeof what)
      snprintf(what + n, sizeof what - (size_t)n, ", family %s", src.set->key);
  }
  bool has_opts = rule->options && rule->options[0].name;
  fprintf(out, "  %s:", rule->id);
  if (has_opts)
    fprintf(out, "\n    severity: %s", val);
  else
    fprintf(out, " %s", val);
  if (src.set)
    put_source(out, c, src.set->line, what);
  fputc('\n', out);
  if (!has_opts)
    return;
  fputs("    options:\n", out);
  for (size_t i = 0; rule->options[i].name; i++) {
    const optval *v = find_optval(c, rule->id, rule->options[i].name);
    fprintf(out, "      %s: ", rule->options[i].name);
    put_quoted(out, v ? v->value : rule->options[i].def ? rule->options[i].def : "");
    if (v)
      put_source(out, c, v->line, NULL);
    fputc('\n', out);
  }
}

omen_status omen_config_show(const omen_config *c, const char *path, FILE *out) {
  size_t nrules = 0;
  const omen_rule *const *rules = c ? c->rules : omen_rules_all(&nrules);
  if (c)
    nrules = c->nrules;
  if (!rules)
    return OMEN_ENOMEM;
  char rel[MAX_PATH];
  bool has_rel = c && path && rel_path(c, path, rel, sizeof rel);
  fputs("# Effective omen configuration", out);
  if (path) {
    fputs(" for ", out);
    put_comment(out, path);
  }
  fputc('\n', out);
  if (c) {
    fputs("# From ", out);
    put_comment(out, c->path);
    fputs("; each setting that is not a default says where it comes from (file:line).\n", out);
    if (path && !has_rel) {
      fputs("# ", out);
      put_comment(out, path);
      fputs(" lies outside the directory of that file: its overrides and excludes do not apply.\n", out);
    }
    size_t which;
    if (has_rel && globs_match(&c->exclude, rel, &which)) {
      fputs("# Excluded: omen does not analyze it (exclude ", out);
      put_comment(out, c->exclude.v[which]);
      fputs(" at ", out);
      put_comment(out, c->path);
      fprintf(out, ":%u).\n", c->exclude.lines[which]);
    }
    for (size_t i = 0; has_rel && i < c->noverrides; i++) {
      if (globs_match(&c->overrides[i].paths, rel, NULL)) {
        fprintf(out, "# overrides[%zu] applies (", i);
        put_comment(out, c->path);
        fprintf(out, ":%u).\n", c->overrides[i].line);
      }
    }
  } else {
    fputs("# No configuration file: these are omen's defaults.\n", out);
  }
  fputs("version: 1\n", out);
  if (c && c->has_fail_on) {
    fprintf(out, "fail-on: %s", omen_severity_str(c->fail_on));
    put_source(out, c, c->fail_on_line, NULL);
    fputc('\n', out);
  } else {
    fputs("fail-on: warning\n", out);
  }
  if (c && c->has_generated) {
    fprintf(out, "include-generated: %s", c->generated ? "true" : "false");
    put_source(out, c, c->generated_line, NULL);
    fputc('\n', out);
  } else {
    fputs("include-generated: false\n", out);
  }
  fputs(c && c->exclude.n ? "exclude:\n" : "exclude: []\n", out);
  for (size_t i = 0; c && i < c->exclude.n; i++) {
    fputs("  - ", out);
    put_quoted(out, c->exclude.v[i]);
    put_source(out, c, c->exclude.lines[i], NULL);
    fputc('\n', out);
  }
  show_analyzers(c, out);
  fputs("rules:\n", out);
  for (size_t i = 0; i < nrules; i++) {
    if (family_first(rules, i)) {
      size_t fl = family_len(rules[i]->id);
      fprintf(out, "  # %.*s\n", (int)fl, rules[i]->id);
      for (size_t k = i; k < nrules; k++)
        if (family_len(rules[k]->id) == fl && strncmp(rules[k]->id, rules[i]->id, fl) == 0)
          show_rule(c, has_rel ? rel : NULL, rules[k], out);
    }
  }
  return ferror(out) ? OMEN_EIO : OMEN_OK;
}

/* ---------- starter ---------- */

/* A value as YAML: plain when it is safe so, else double-quoted (into b). */
static omen_status add_value(omen_buf *b, const char *v) {
  bool plain = *v != '\0';
  for (const char *p = v; *p && plain; p++)
    plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
            *p == '_' || (*p == '-' && p != v);
  if (plain)
    return omen_buf_adds(b, v);
  omen_status s = omen_buf_addc(b, '"');
  for (const char *p = v; *p && s == OMEN_OK; p++)
    s = *p == '"' || *p == '\\'    ? omen_buf_printf(b, "\\%c", *p)
        : (unsigned char)*p < 0x20 ? omen_buf_printf(b, "\\x%02x", (unsigned)(unsigned char)*p)
                                   : omen_buf_addc(b, *p);
  return s == OMEN_OK ? omen_buf_addc(b, '"') : s;
}

/* "  # KEY: VALUE" padded to a column, then "# comment" (one line, control characters dropped). */
static omen_status add_commented(omen_buf *b, const char *lead, const char *kv, const char *comment) {
  size_t start = b->len;
  omen_status s = omen_buf_printf(b, "%s%s", lead, kv);
  size_t col = b->len - start;
  for (; s == OMEN_OK && comment && col < 48; col++)
    s = omen_buf_addc(b, ' ');
  if (s == OMEN_OK && comment) {
    s = omen_buf_adds(b, "  # ");
    for (const char *p = comment; *p && s == OMEN_OK; p++)
      s = omen_buf_addc(b, (unsigned char)*p < 0x20 ? ' ' : *p);
  }
  return s == OMEN_OK ? omen_buf_addc(b, '\n') : s;
}

static const char starter_head[] =
    "# .omen.yml: the omen configuration for this directory and everything below it.\n"
    "# Reference: " OMEN_INFO_URI "/blob/main/docs/configuration.md\n"
    "# Everything is commented out, so omen's defaults apply: uncomment what you want to change.\n"
    "version: 1\n"
    "\n"
    "# The lowest severity that makes `omen check` exit with status 1: error, warning or note.\n"
    "# fail-on: warning\n"
    "\n"
    "# Also analyze Go files marked \"Code generated ... DO NOT EDIT.\".\n"
    "# include-generated: false\n"
    "\n"
    "# Paths omen never analyzes: globs relative to this file's directory. `*` and `?` stay within a\n"
    "# path segment, `**` spans segments, a glob without '/' matches a name in any directory, and a\n"
    "# trailing '/' matches a directory and everything under it.\n"
    "# exclude:\n"
    "#   - \"third_party/\"\n"
    "#   - \"**/*.pb.go\"\n"
    "\n"
    "# Analyzers (`omen analyzers` lists them): switch some off...\n"
    "# analyzers:\n"
    "#   disable: [go-map-race]\n"
    "# ...or run only those listed (and the analyzers they require):\n"
    "#   enable: [go-http-timeout, go-timeouts]\n"
    "\n"
    "# The severity of a family of rules or of one rule: error, warning, note, or off. A rule's own\n"
    "# setting beats its family's. `omen rules` lists the rules, `omen explain RULE` documents one.\n"
    "# Each rule is shown with its default severity.\n"
    "rules:\n";

static const char starter_tail[] =
    "\n"
    "# Settings for some paths only, applied in order after `rules` (a later entry wins; within\n"
    "# one entry a rule's setting beats its family's).\n"
    "# overrides:\n"
    "#   - paths: [\"**/*_test.go\", \"examples/\"]\n"
    "#     rules:\n"
    "#       thread-leak: note\n"
    "#       map-race/unguarded-read: off\n";

char *omen_config_starter_rules(const omen_rule *const *rules, size_t nrules) {
  omen_buf b;
  omen_buf_init(&b, (size_t)4 << 20);
  omen_status s = omen_buf_adds(&b, starter_head);
  char kv[256], note[128];
  for (size_t i = 0; i < nrules && s == OMEN_OK; i++) {
    if (!family_first(rules, i))
      continue;
    size_t fl = family_len(rules[i]->id), count = 0;
    for (size_t k = i; k < nrules; k++)
      count += family_len(rules[k]->id) == fl && strncmp(rules[k]->id, rules[i]->id, fl) == 0;
    snprintf(kv, sizeof kv, "%.*s: off", (int)fl, rules[i]->id);
    snprintf(note, sizeof note, "the whole family (%zu rule%s)", count, count == 1 ? "" : "s");
    s = omen_buf_adds(&b, i ? "\n" : "");
    if (s == OMEN_OK)
      s = add_commented(&b, "  # ", kv, note);
    for (size_t k = i; k < nrules && s == OMEN_OK; k++) {
      const omen_rule *r = rules[k];
      if (family_len(r->id) != fl || strncmp(r->id, rules[i]->id, fl) != 0)
        continue;
      bool has_opts = r->options && r->options[0].name;
      snprintf(kv, sizeof kv, has_opts ? "%s:" : "%s: %s", r->id, omen_severity_str(r->severity));
      s = add_commented(&b, "  # ", kv, r->summary);
      if (!has_opts || s != OMEN_OK)
        continue;
      s = omen_buf_printf(&b, "  #   severity: %s\n  #   options:\n", omen_severity_str(r->severity));
      for (size_t o = 0; r->options[o].name && s == OMEN_OK; o++) {
        omen_buf val;
        omen_buf_init(&val, 4096);
        s = add_value(&val, r->options[o].def ? r->options[o].def : "");
        if (s == OMEN_OK) {
          snprintf(kv, sizeof kv, "%s: %s", r->options[o].name, val.data);
          s = add_commented(&b, "  #     ", kv, r->options[o].doc);
        }
        omen_buf_free(&val);
      }
    }
  }
  if (s == OMEN_OK)
    s = omen_buf_adds(&b, starter_tail);
  if (s != OMEN_OK) {
    omen_buf_free(&b);
    return NULL;
  }
  return omen_buf_take(&b);
}

static char *starter;
static pthread_once_t starter_once = PTHREAD_ONCE_INIT;

static void build_starter(void) {
  size_t n;
  const omen_rule *const *all = omen_rules_all(&n);
  if (all)
    starter = omen_config_starter_rules(all, n);
}

const char *omen_config_starter(void) {
  pthread_once(&starter_once, build_starter);
  return starter;
}

/* ---------- option values ---------- */

bool omen_parse_duration(const char *s, long long *ns) {
  static const struct {
    const char *name;
    long long mult;
  } units[] = {{"ns", 1},       {"us", 1000},        {"\xC2\xB5s", 1000},      {"\xCE\xBCs", 1000},
               {"ms", 1000000}, {"s", 1000000000LL}, {"m", 60 * 1000000000LL}, {"h", 3600 * 1000000000LL}};
  if (!s)
    return false;
  if (*s == '+')
    s++;
  if (strcmp(s, "0") == 0) {
    *ns = 0;
    return true;
  }
  if (!*s)
    return false;
  long long total = 0;
  while (*s) {
    long long v = 0;
    bool digits = false;
    for (; *s >= '0' && *s <= '9'; s++, digits = true) {
      if (v > (LLONG_MAX - (*s - '0')) / 10)
        return false;
      v = v * 10 + (*s - '0');
    }
    double frac = 0, scale = 1;
    if (*s == '.') {
      for (s++; *s >= '0' && *s <= '9'; s++, digits = true) {
        if (scale < 1e18) {
          frac = frac * 10 + (*s - '0');
          scale *= 10;
        }
      }
    }
    if (!digits)
      return false;
    size_t best = 0, ulen = 0;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
      size_t l = strlen(units[u].name);
      if (l > ulen && strncmp(s, units[u].name, l) == 0) {
        best = u;
        ulen = l;
      }
    }
    if (ulen == 0)
      return false;
    s += ulen;
    long long mult = units[best].mult;
    if (v > LLONG_MAX / mult)
      return false;
    long long part = v * mult;
    double f = frac * ((double)mult / scale);
    if (f > 0) {
      if (f >= (double)(LLONG_MAX - part))
        return false;
      part += (long long)f;
    }
    if (part > LLONG_MAX - total)
      return false;
    total += part;
  }
  *ns = total;
  return true;
}

bool omen_parse_bytes(const char *s, long long *bytes) {
  static const struct {
    const char *name;
    long long mult;
  } units[] = {{"", 1},
               {"B", 1},
               {"kB", 1000},
               {"KB", 1000},
               {"MB", 1000000},
               {"GB", 1000000000},
               {"TB", 1000000000000LL},
               {"KiB", 1LL << 10},
               {"MiB", 1LL << 20},
               {"GiB", 1LL << 30},
               {"TiB", 1LL << 40}};
  if (!s || !(*s >= '0' && *s <= '9'))
    return false;
  long long v = 0;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (v > (LLONG_MAX - (*s - '0')) / 10)
      return false;
    v = v * 10 + (*s - '0');
  }
  for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
    if (strcmp(s, units[u].name) == 0) {
      if (v > LLONG_MAX / units[u].mult)
        return false;
      *bytes = v * units[u].mult;
      return true;
    }
  }
  return false;
}
