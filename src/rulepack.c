/* rulepack.c - rule files (see rulepack.h, docs/rule-format.md): YAML loading and checking, query
 * and predicate compilation, matching with structural conditions, templates, the process-wide pack. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rulepack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "arena.h"
#include "buf.h"
#include "pass.h"
#include "registry.h"
#include "yaml_guard.h"

const TSLanguage *tree_sitter_c(void);
const TSLanguage *tree_sitter_cpp(void);

enum {
  NLANG = 3,                /* go, c, cpp */
  MAX_QUERY = 64 * 1024,    /* bytes of one query */
  MAX_REGEX = 4096,         /* bytes of one #match? regex */
  MAX_EXAMPLE = 256 * 1024, /* bytes of one example */
  MATCH_LIMIT = 1000000,    /* PCRE2 backtracking steps per match */
  DEPTH_LIMIT = 10000,      /* PCRE2 backtracking depth */
  CURSOR_LIMIT = 1024,      /* in-progress query matches */
  MSG_CAPTURE = 60,         /* chars of a capture interpolated into a message */
  MAX_OUT = 64 * 1024,
  MAX_CHAIN = 256,
  /* ancestors kept for structural conditions; deeper trees use ts_node_parent */ /* bytes of a rendered
                                                                                     message or fix */
};

/* Every pattern of a rule's query also captures its root node under this name (reserved), so a
 * match found from a candidate node can be told from one found below it. */
#define ROOT_CAPTURE "__root"

static const unsigned lang_bit[NLANG] = {OMEN_LANG_GO, OMEN_LANG_C, OMEN_LANG_CPP};
static const char *const lang_name[NLANG] = {"go", "c", "cpp"};

const TSLanguage *omen_pack_language(unsigned lang) {
  return lang == OMEN_LANG_GO    ? omen_go_language()
         : lang == OMEN_LANG_C   ? tree_sitter_c()
         : lang == OMEN_LANG_CPP ? tree_sitter_cpp()
                                 : NULL;
}

static int lang_index(unsigned lang) {
  for (int i = 0; i < NLANG; i++)
    if (lang_bit[i] == lang)
      return i;
  return -1;
}

/* ---------- compiled queries and predicates ---------- */

typedef enum pred_op { P_EQ, P_NOT_EQ, P_MATCH, P_NOT_MATCH, P_ANY_OF } pred_op;

typedef struct pred {
  pred_op op;
  uint32_t cap;
  bool other_cap; /* #eq? @a @b */
  uint32_t cap2;
  const char *str;
  pcre2_code *re;
  const char **list;
  size_t nlist;
  bool list_sub; /* #match? words the text may hold inside a longer token (the regex is not ^...$) */
} pred;

typedef struct pattern {
  struct pk_rule *rule;  /* the rule the pattern belongs to (combined queries) */
  const char *root_kind; /* the node kind the pattern starts with (the grammar's string), or NULL */
  pred *preds;
  size_t npreds;
} pattern;

typedef struct cquery {
  TSQuery *q;
  pattern *pats;
  uint32_t npats;
  uint32_t root_cap; /* capture id of ROOT_CAPTURE; UINT32_MAX when absent */
} cquery;

typedef enum cond_kind {
  C_INSIDE,
  C_NOT_INSIDE,
  C_HAS,
  C_NOT_HAS,
  C_IN_FUNC,
  C_NOT_IN_FUNC,
  C_IN_FILE,
  C_NOT_IN_FILE,
  C_COUNT
} cond_kind;
static const char *const cond_key[C_COUNT] = {"inside",       "not-inside",       "has",
                                              "not-has",      "in-function-with", "not-in-function-with",
                                              "in-file-with", "not-in-file-with"};

typedef struct alt {
  const char *kind; /* a node kind, or NULL: the query */
  cquery q[NLANG];
  uint32_t id; /* index in the pack's per-file cache of in-file-with answers */
} alt;

typedef struct cond {
  cond_kind kind;
  alt *alts;
  size_t nalts;
} cond;

typedef struct example {
  const char *bad, *good, *fixed;
  unsigned line;
} example;

typedef struct pk_rule {
  omen_rule r; /* first: a pack rule is an omen_rule */
  unsigned langs;
  const char *path;
  unsigned line;
  const char *query;
  unsigned qline, qcol;
  const char *message, *report;
  bool has_fix;
  omen_applicability fix_app;
  const char *fix_replace, *fix_with, *fix_message;
  cond conds[C_COUNT * 2];
  size_t nconds;
  bool stop_at_file;
  example *examples;
  size_t nexamples;
  cquery own[NLANG];
} pk_rule;

struct omen_pack {
  omen_arena *arena;
  pk_rule **rules;
  size_t n, cap;
  cquery all[NLANG];  /* the rules whose patterns start with a node kind, matched from candidate nodes */
  uint32_t nalts;     /* condition alternatives, for the per-file cache */
  cquery wide[NLANG]; /* the others ([alternatives], (_) roots), matched over the whole tree */
  const char **kind_of_sym[NLANG]; /* per symbol: its kind when some pattern of all starts with it */
  bool compiled;
};

static void cquery_free(cquery *cq) {
  for (uint32_t i = 0; i < cq->npats; i++) {
    for (size_t k = 0; k < cq->pats[i].npreds; k++)
      pcre2_code_free(cq->pats[i].preds[k].re);
    free(cq->pats[i].preds);
  }
  free(cq->pats);
  ts_query_delete(cq->q);
  memset(cq, 0, sizeof *cq);
}

omen_pack *omen_pack_new(void) {
  omen_pack *pk = calloc(1, sizeof *pk);
  if (pk && !(pk->arena = omen_arena_new())) {
    free(pk);
    return NULL;
  }
  return pk;
}

void omen_pack_free(omen_pack *pk) {
  if (!pk)
    return;
  for (size_t i = 0; i < pk->n; i++) {
    pk_rule *r = pk->rules[i];
    for (int l = 0; l < NLANG; l++)
      cquery_free(&r->own[l]);
    for (size_t c = 0; c < r->nconds; c++)
      for (size_t a = 0; a < r->conds[c].nalts; a++)
        for (int l = 0; l < NLANG; l++)
          cquery_free(&r->conds[c].alts[a].q[l]);
  }
  for (int l = 0; l < NLANG; l++) {
    cquery_free(&pk->all[l]);
    cquery_free(&pk->wide[l]);
    free(pk->kind_of_sym[l]);
  }
  free(pk->rules);
  omen_arena_free(pk->arena);
  free(pk);
}

size_t omen_pack_nrules(const omen_pack *pk) { return pk ? pk->n : 0; }
const omen_rule *omen_pack_rule(const omen_pack *pk, size_t i) { return &pk->rules[i]->r; }

unsigned omen_pack_langs(const omen_pack *pk) {
  unsigned m = 0;
  for (size_t i = 0; pk && i < pk->n; i++)
    m |= pk->rules[i]->langs;
  return m;
}

bool omen_pack_owns(const omen_pack *pk, const omen_rule *rule) {
  for (size_t i = 0; pk && i < pk->n; i++)
    if (&pk->rules[i]->r == rule)
      return true;
  return false;
}

/* ---------- loading: errors with positions ---------- */

typedef struct ld {
  omen_pack *pk;
  const char *path, *text;
  size_t len;
  yaml_document_t *doc;
  char *err;
  size_t errlen;
  struct pk_rule *partial; /* the rule being parsed, freed if it fails */
} ld;

/* 1-based line and byte column of a libyaml mark (its column counts characters). */
static void mark_pos(const ld *x, yaml_mark_t m, size_t *line, size_t *col) {
  size_t i = 0, l = 0;
  while (i < x->len && l < m.line) {
    if (x->text[i] == '\n')
      l++;
    i++;
  }
  size_t start = i;
  for (size_t c = 0; c < m.column && i < x->len && x->text[i] != '\n'; c++) {
    i++;
    while (i < x->len && ((unsigned char)x->text[i] & 0xC0) == 0x80)
      i++;
  }
  *line = m.line + 1;
  *col = i - start + 1;
}

static omen_status fail(ld *x, omen_status s, const yaml_mark_t *m, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static omen_status fail(ld *x, omen_status s, const yaml_mark_t *m, const char *fmt, ...) {
  int n;
  if (m) {
    size_t line, col;
    mark_pos(x, *m, &line, &col);
    n = snprintf(x->err, x->errlen, "%s:%zu:%zu: ", x->path, line, col);
  } else {
    n = snprintf(x->err, x->errlen, "%s: ", x->path);
  }
  if (n >= 0 && (size_t)n < x->errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
    va_end(ap);
  }
  return s;
}

static omen_status nomem(ld *x) { return fail(x, OMEN_ENOMEM, NULL, "out of memory"); }

/* Refuses anchors and aliases, deep nesting and a second document before the document is built
 * (yaml_guard.h). */
static omen_status prescan(ld *x) {
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p))
    return nomem(x);
  yaml_parser_set_input_string(&p, (const unsigned char *)x->text, x->len);
  yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
  yaml_mark_t m;
  char name[8];
  omen_status s = OMEN_OK;
  switch (omen_yaml_guard(&p, OMEN_PACK_MAX_DEPTH, &m, name, sizeof name)) {
  case OMEN_YAML_FINE:
    break;
  case OMEN_YAML_PARSE:
    s = p.error == YAML_MEMORY_ERROR
            ? nomem(x)
            : fail(x, OMEN_EUSAGE, &m, "invalid YAML: %s", p.problem ? p.problem : "unreadable");
    break;
  case OMEN_YAML_DOCS:
    s = fail(x, OMEN_EUSAGE, &m, "a rule file is one YAML document: remove the second '---'");
    break;
  case OMEN_YAML_ALIAS:
    s = fail(x, OMEN_EUSAGE, &m, "aliases are not supported: write the value out in full");
    break;
  case OMEN_YAML_ANCHOR:
    s = fail(x, OMEN_EUSAGE, &m, "anchors and aliases are not supported: write the value out in full");
    break;
  case OMEN_YAML_DEPTH:
    s = fail(x, OMEN_ELIMIT, &m, "nested more than %d levels deep: this is not a rule file",
             OMEN_PACK_MAX_DEPTH);
    break;
  }
  yaml_parser_delete(&p);
  return s;
}

static yaml_node_t *node(ld *x, int i) { return yaml_document_get_node(x->doc, i); }

static const char *kind_of(const yaml_node_t *n) {
  return n->type == YAML_MAPPING_NODE    ? "a mapping"
         : n->type == YAML_SEQUENCE_NODE ? "a list"
                                         : "a single value";
}

/* The text of scalar n, copied to the pack. */
static omen_status str(ld *x, const yaml_node_t *n, const char *what, const char **out) {
  if (n->type != YAML_SCALAR_NODE)
    return fail(x, OMEN_EUSAGE, &n->start_mark, "%s must be text, not %s", what, kind_of(n));
  if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
    return fail(x, OMEN_EUSAGE, &n->start_mark, "%s contains a NUL character", what);
  *out = omen_arena_strndup(x->pk->arena, (const char *)n->data.scalar.value, n->data.scalar.length);
  return *out ? OMEN_OK : nomem(x);
}

/* One of choices (NULL-terminated); *idx gets its index. */
static omen_status enum_val(ld *x, const yaml_node_t *n, const char *what, const char *const *choices,
                            int *idx) {
  const char *v;
  omen_status s = str(x, n, what, &v);
  if (s != OMEN_OK)
    return s;
  char list[160] = "";
  size_t o = 0;
  for (int i = 0; choices[i]; i++) {
    if (strcmp(v, choices[i]) == 0) {
      *idx = i;
      return OMEN_OK;
    }
    o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", choices[i]);
    if (o >= sizeof list)
      o = sizeof list - 1;
  }
  return fail(x, OMEN_EUSAGE, &n->start_mark, "bad %s '%.60s': use %s", what, v, list);
}

/* Walks the pairs of mapping n, rejecting keys not in keys and duplicates; cb handles each. */
static omen_status check_keys(ld *x, const yaml_node_t *n, const char *const *keys, const char *where) {
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    const yaml_node_t *k = node(x, p->key);
    if (k->type != YAML_SCALAR_NODE)
      return fail(x, OMEN_EUSAGE, &k->start_mark, "a key must be a name, not %s", kind_of(k));
    const char *key = (const char *)k->data.scalar.value;
    bool ok = false;
    for (size_t i = 0; keys[i] && !ok; i++)
      ok = strcmp(keys[i], key) == 0;
    if (!ok) {
      char list[512] = "";
      size_t o = 0;
      for (size_t i = 0; keys[i] && o < sizeof list; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", keys[i]);
      return fail(x, OMEN_EUSAGE, &k->start_mark, "unknown key '%.60s' %s; valid keys: %s", key, where, list);
    }
    for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
      const yaml_node_t *e = node(x, q->key);
      if (e->type == YAML_SCALAR_NODE && strcmp((const char *)e->data.scalar.value, key) == 0)
        return fail(x, OMEN_EUSAGE, &k->start_mark, "duplicate key '%.60s'", key);
    }
  }
  return OMEN_OK;
}

static const yaml_node_t *get(ld *x, const yaml_node_t *map, const char *key) {
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    const yaml_node_t *k = node(x, p->key);
    if (k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
      return node(x, p->value);
  }
  return NULL;
}

/* ---------- queries ---------- */

static const char *query_error_str(TSQueryError e) {
  switch (e) {
  case TSQueryErrorSyntax:
    return "syntax error";
  case TSQueryErrorNodeType:
    return "unknown node type";
  case TSQueryErrorField:
    return "unknown field";
  case TSQueryErrorCapture:
    return "unknown capture";
  case TSQueryErrorStructure:
    return "impossible pattern structure";
  case TSQueryErrorLanguage:
    return "grammar version mismatch";
  default:
    return "error";
  }
}

/* Line and column (1-based, bytes) of offset off in text. */
static void text_pos(const char *text, size_t off, size_t *line, size_t *col) {
  *line = 1;
  size_t start = 0;
  for (size_t i = 0; i < off && text[i]; i++)
    if (text[i] == '\n') {
      (*line)++;
      start = i + 1;
    }
  *col = off - start + 1;
}

static bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

static bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

/* Byte offset of "#name" in the query text (0 when not found), for messages. */
static size_t find_pred(const char *q, const char *name) {
  const char *p = strstr(q, name);
  return p && p > q ? (size_t)(p - q - 1) : 0;
}

static omen_status qfail(ld *x, const yaml_node_t *qn, const char *qtext, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static omen_status qfail(ld *x, const yaml_node_t *qn, const char *qtext, size_t off, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t l, c;
  text_pos(qtext, off, &l, &c);
  char near[40];
  size_t k = 0;
  for (size_t i = off; qtext[i] && qtext[i] != '\n' && k < 24; i++)
    near[k++] = qtext[i];
  near[k] = '\0';
  return fail(x, OMEN_EUSAGE, &qn->start_mark, "query: %s at offset %zu (query line %zu, column %zu)%s%s%s",
              msg, off, l, c, k ? ": near '" : "", near, k ? "'" : "");
}

/* The words one of which a text matching regex re must contain, when re is a plain alternation of
 * words ("^(Decode|Unmarshal)$", "Fatal|Exit"): for the text prefilter. *n = 0 when not. *sub is
 * true unless re is anchored at both ends: "Fatal|Exit" matches inside "Fatalf", "_test$" inside
 * "pkg_test", so the words are then substrings, not whole tokens. */
static omen_status regex_literals(omen_arena *a, const char *re, const char ***out, size_t *n, bool *sub) {
  *n = 0;
  size_t len = strlen(re);
  const char *p = re, *e = re + len;
  bool head = p < e && *p == '^', tail = false;
  if (head)
    p++;
  if (e > p && e[-1] == '$' && (e - 1 == p || e[-2] != '\\')) {
    e--;
    tail = true;
  }
  bool group = e - p >= 2 && *p == '(' && e[-1] == ')';
  /* "^a|b$" is (^a)|(b$): the anchors bind the whole alternation only around a group */
  *sub = !(head && tail && (group || !memchr(p, '|', (size_t)(e - p))));
  if (group) {
    p += strncmp(p, "(?:", 3) == 0 ? 3 : 1;
    e--;
  }
  size_t alts = 1;
  for (const char *q = p; q < e; q++) {
    if (*q == '|')
      alts++;
    else if (!name_start(*q) && !(*q >= '0' && *q <= '9'))
      return OMEN_OK; /* not a plain word */
  }
  if (p == e || alts > 64)
    return OMEN_OK;
  const char **v = omen_arena_alloc(a, alts * sizeof *v);
  if (!v)
    return OMEN_ENOMEM;
  for (const char *q = p; q <= e;) {
    const char *w = q;
    while (q < e && *q != '|')
      q++;
    if (q == w)
      return OMEN_OK; /* an empty alternative matches anything */
    if (!(v[*n] = omen_arena_strndup(a, w, (size_t)(q - w))))
      return OMEN_ENOMEM;
    (*n)++;
    q++;
  }
  *out = v;
  return OMEN_OK;
}

/* Compiles the predicates of every pattern of cq. */
static omen_status compile_preds(ld *x, const yaml_node_t *qn, const char *qtext, const char *orig,
                                 cquery *cq) {
  uint32_t np = ts_query_pattern_count(cq->q);
  cq->pats = calloc(np ? np : 1, sizeof *cq->pats);
  if (!cq->pats)
    return nomem(x);
  cq->npats = np;
  for (uint32_t i = 0; i < np; i++) {
    pattern *target = &cq->pats[i];
    uint32_t nsteps;
    const TSQueryPredicateStep *st = ts_query_predicates_for_pattern(cq->q, i, &nsteps);
    for (uint32_t k = 0; k < nsteps;) {
      uint32_t e = k;
      while (e < nsteps && st[e].type != TSQueryPredicateStepTypeDone)
        e++;
      if (st[k].type != TSQueryPredicateStepTypeString)
        return qfail(x, qn, orig, 0, "a predicate must start with its name");
      uint32_t nlen;
      const char *name = ts_query_string_value_for_id(cq->q, st[k].value_id, &nlen);
      size_t at = find_pred(orig, name); /* the first use of the predicate, in the text as written */
      static const char *const names[] = {"eq?", "not-eq?", "match?", "not-match?", "any-of?", NULL};
      int op = -1;
      for (int m = 0; names[m]; m++)
        if (strcmp(name, names[m]) == 0)
          op = m;
      if (op < 0)
        return qfail(x, qn, orig, at,
                     "unknown predicate #%s (omen knows #eq?, #not-eq?, #match?, #not-match?, #any-of?)",
                     name);
      uint32_t nargs = e - k - 1;
      const TSQueryPredicateStep *a = st + k + 1;
      if (nargs < 2 || a[0].type != TSQueryPredicateStepTypeCapture || (op != P_ANY_OF && nargs != 2))
        return qfail(x, qn, orig, at, "#%s takes a capture and %s", name,
                     op == P_ANY_OF   ? "one or more strings"
                     : op <= P_NOT_EQ ? "a string or a capture"
                                      : "a regex");
      pred pr = {.op = (pred_op)op, .cap = a[0].value_id};
      if (op == P_ANY_OF) {
        pr.list = omen_arena_alloc(x->pk->arena, nargs * sizeof *pr.list);
        if (!pr.list)
          return nomem(x);
        for (uint32_t m = 1; m < nargs; m++) {
          if (a[m].type != TSQueryPredicateStepTypeString)
            return qfail(x, qn, orig, at, "#any-of? takes strings after its capture");
          pr.list[pr.nlist++] = ts_query_string_value_for_id(cq->q, a[m].value_id, &nlen);
        }
      } else if (a[1].type == TSQueryPredicateStepTypeCapture) {
        if (op != P_EQ && op != P_NOT_EQ)
          return qfail(x, qn, orig, at, "#%s takes a regex string, not a capture", name);
        pr.other_cap = true;
        pr.cap2 = a[1].value_id;
      } else {
        pr.str = ts_query_string_value_for_id(cq->q, a[1].value_id, &nlen);
        if (op == P_MATCH || op == P_NOT_MATCH) {
          if (nlen > MAX_REGEX)
            return qfail(x, qn, orig, at, "regex longer than %d bytes", MAX_REGEX);
          int ec;
          PCRE2_SIZE eo;
          pr.re =
              pcre2_compile((PCRE2_SPTR)pr.str, nlen, PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C, &ec, &eo, NULL);
          if (!pr.re) {
            PCRE2_UCHAR m[256];
            pcre2_get_error_message(ec, m, sizeof m);
            return qfail(x, qn, orig, at, "#%s regex \"%.80s\": PCRE2 error at regex offset %zu: %s", name,
                         pr.str, (size_t)eo, (const char *)m);
          }
          pcre2_jit_compile(pr.re, PCRE2_JIT_COMPLETE); /* the interpreter runs when JIT is unavailable */
          if (op == P_MATCH &&
              regex_literals(x->pk->arena, pr.str, &pr.list, &pr.nlist, &pr.list_sub) != OMEN_OK) {
            pcre2_code_free(pr.re);
            return nomem(x);
          }
        }
      }
      pred *nv = realloc(target->preds, (target->npreds + 1) * sizeof *nv);
      if (!nv) {
        pcre2_code_free(pr.re);
        return nomem(x);
      }
      target->preds = nv;
      target->preds[target->npreds++] = pr;
      k = e + 1;
    }
  }
  return OMEN_OK;
}

/* Skips one top-level item of a query at p (a parenthesized or bracketed group, a string, a
 * comment, or a word), returning the end. */
static const char *skip_item(const char *p) {
  if (*p == '"') {
    for (p++; *p && *p != '"'; p++)
      if (*p == '\\' && p[1])
        p++;
    return *p ? p + 1 : p;
  }
  if (*p == '(' || *p == '[') {
    int depth = 0;
    while (*p) {
      if (*p == '"') {
        p = skip_item(p);
        continue;
      }
      if (*p == ';') {
        p += strcspn(p, "\n");
        continue;
      }
      if (*p == '(' || *p == '[')
        depth++;
      else if ((*p == ')' || *p == ']') && --depth == 0)
        return p + 1;
      p++;
    }
    return p;
  }
  const char *s = p;
  while (*p && !strchr(" \t\r\n()[]\";", *p))
    p++;
  return p == s ? p + 1 : p;
}

/* tree-sitter 0.20 makes predicates written after a top-level pattern ("(call) @c (#eq? @c \"x\")")
 * a pattern of their own; rule files may write them so (the usual style), so each pattern and the
 * predicates that follow it are wrapped in one group. Caller frees the result. */
static char *group_predicates(const char *q, bool add_root) {
  omen_buf b;
  omen_buf_init(&b, (size_t)MAX_QUERY * 2);
  const char *p = q;
  omen_status s = OMEN_OK;
  while (*p && s == OMEN_OK) {
    if (strchr(" \t\r\n", *p) || *p == ';') {
      const char *e = *p == ';' ? p + strcspn(p, "\n") : p + 1;
      s = omen_buf_add(&b, p, (size_t)(e - p));
      p = e;
      continue;
    }
    /* a pattern: its item, then captures, quantifiers and fields glued to it */
    const char *start = p, *end = skip_item(p);
    for (;;) {
      const char *w = end + strspn(end, " \t\r\n");
      if (*w == '@' || *w == '*' || *w == '+' || *w == '?') {
        end = skip_item(w);
        continue;
      }
      break;
    }
    /* the predicates after it */
    const char *pe = end;
    int npreds = 0;
    for (;;) {
      const char *w = pe;
      for (;;) {
        w += strspn(w, " \t\r\n");
        if (*w != ';')
          break;
        w += strcspn(w, "\n");
      }
      const char *in = w + 1;
      in += strspn(in, " \t\r\n");
      if (*w != '(' || *in != '#')
        break;
      pe = skip_item(w);
      npreds++;
    }
    bool is_pred = *start == '(' && start[1 + strspn(start + 1, " \t\r\n")] == '#';
    const char *root = add_root && !is_pred ? " @" ROOT_CAPTURE : "";
    if (npreds && !is_pred)
      s = omen_buf_printf(&b, "(%.*s%s%.*s)", (int)(end - start), start, root, (int)(pe - end), end);
    else
      s = omen_buf_printf(&b, "%.*s%s%.*s", (int)(end - start), start, root, (int)(pe - end), end);
    p = pe;
  }
  if (s != OMEN_OK) {
    omen_buf_free(&b);
    return NULL;
  }
  if (!b.data)
    omen_buf_add(&b, "", 0);
  return omen_buf_take(&b);
}

/* Is there a field name (a word followed by ':') that lang lacks? *off gets its offset. Checked
 * before ts_query_new, which leaks memory when it rejects a field (libtree-sitter 0.20.7). */
static bool unknown_field(const TSLanguage *lang, const char *q, uint32_t *off) {
  for (const char *p = q; *p;) {
    if (*p == '"') {
      for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
          p++;
      if (*p)
        p++;
      continue;
    }
    if (*p == ';') {
      p += strcspn(p, "\n");
      continue;
    }
    if (*p == '@' || *p == '#') { /* a capture or predicate name: skip it whole */
      for (p++; name_char(*p) || *p == '?' || *p == '!'; p++)
        ;
      continue;
    }
    if (name_start(*p)) {
      const char *s = p;
      while (name_char(*p))
        p++;
      if (*p == ':' && !ts_language_field_id_for_name(lang, s, (uint32_t)(p - s))) {
        *off = (uint32_t)(s - q);
        return true;
      }
      continue;
    }
    p++;
  }
  return false;
}

/* Compiles qtext for language index l; qn locates errors. */
typedef enum qmode { Q_PLAIN, Q_ROOTED, Q_GROUPED } qmode; /* Q_GROUPED: already grouped and rooted */

static const char *pattern_root_kind(const TSLanguage *lang, const char *p);

static omen_status compile_query(ld *x, const yaml_node_t *qn, const char *qtext, int l, cquery *cq,
                                 qmode mode) {
  uint32_t off = 0;
  TSQueryError e = TSQueryErrorNone;
  size_t len = strlen(qtext);
  if (len > MAX_QUERY)
    return fail(x, OMEN_ELIMIT, &qn->start_mark, "query longer than %d bytes", MAX_QUERY);
  const TSLanguage *lang = omen_pack_language(lang_bit[l]);
  if (unknown_field(lang, qtext, &off))
    return qfail(x, qn, qtext, off, "%s (%s grammar)", query_error_str(TSQueryErrorField), lang_name[l]);
  /* One compile, of the text with the predicates grouped with their patterns (tree-sitter's query
   * analysis is costly on big grammars): the user's own text is compiled only to place an error. */
  char *grouped = mode == Q_GROUPED ? NULL : group_predicates(qtext, mode == Q_ROOTED);
  if (mode != Q_GROUPED && !grouped)
    return nomem(x);
  const char *gt = grouped ? grouped : qtext;
  TSQuery *g = ts_query_new(lang, gt, (uint32_t)strlen(gt), &off, &e);
  if (!g) {
    uint32_t off2 = 0;
    TSQueryError e2 = TSQueryErrorNone;
    TSQuery *o = grouped ? ts_query_new(lang, qtext, (uint32_t)len, &off2, &e2) : NULL;
    omen_status s = o || !grouped
                        ? qfail(x, qn, gt, off,
                                grouped ? "%s after grouping the predicates with their patterns (%s grammar)"
                                        : "%s (%s grammar)",
                                query_error_str(e), lang_name[l])
                        : qfail(x, qn, qtext, off2, "%s (%s grammar)", query_error_str(e2), lang_name[l]);
    ts_query_delete(o);
    free(grouped);
    return s;
  }
  cq->q = g;
  if (ts_query_pattern_count(g) == 0) {
    free(grouped);
    return fail(x, OMEN_EUSAGE, &qn->start_mark, "query: no pattern");
  }
  if (mode != Q_GROUPED && strstr(qtext, "@" ROOT_CAPTURE)) {
    free(grouped);
    return qfail(x, qn, qtext, (size_t)(strstr(qtext, "@" ROOT_CAPTURE) - qtext),
                 "the capture name @%s is reserved", ROOT_CAPTURE);
  }
  cq->root_cap = UINT32_MAX;
  for (uint32_t i = 0; i < ts_query_capture_count(g); i++) {
    uint32_t n;
    if (strcmp(ts_query_capture_name_for_id(g, i, &n), ROOT_CAPTURE) == 0)
      cq->root_cap = i;
  }
  omen_status s = compile_preds(x, qn, gt, qtext, cq);
  for (uint32_t i = 0; s == OMEN_OK && i < cq->npats; i++)
    cq->pats[i].root_kind = pattern_root_kind(lang, gt + ts_query_start_byte_for_pattern(g, i));
  free(grouped);
  return s;
}

static bool query_has_capture(const cquery *cq, const char *name) {
  uint32_t n = ts_query_capture_count(cq->q);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t len;
    if (strcmp(ts_query_capture_name_for_id(cq->q, i, &len), name) == 0)
      return true;
  }
  return false;
}

/* Checks that every {{NAME}} of template t names a capture of cq. */
static omen_status check_template(ld *x, const yaml_node_t *n, const char *what, const char *t,
                                  const cquery *cq) {
  for (const char *p = strstr(t, "{{"); p; p = strstr(p + 2, "{{")) {
    const char *s = p + 2, *e = s;
    while (name_start(*s) && name_char(*e))
      e++;
    if (e == s || e[0] != '}' || e[1] != '}')
      continue;
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(e - s), s);
    if (!query_has_capture(cq, name))
      return fail(x, OMEN_EUSAGE, &n->start_mark,
                  "%s: {{%s}} names no capture of the query (offset %zu of the template)", what, name,
                  (size_t)(p - t));
  }
  return OMEN_OK;
}

/* ---------- loading a rule ---------- */

static bool id_ok(const char *id) {
  const char *slash = strchr(id, '/');
  if (!slash || slash == id || slash[1] == '\0' || strchr(slash + 1, '/') || strlen(id) > 128)
    return false;
  for (const char *p = id; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '/'))
      return false;
  return true;
}

static omen_status parse_cond(ld *x, pk_rule *r, cond_kind kind, const yaml_node_t *v) {
  cond *c = &r->conds[r->nconds];
  c->kind = kind;
  size_t n =
      v->type == YAML_SEQUENCE_NODE ? (size_t)(v->data.sequence.items.top - v->data.sequence.items.start) : 1;
  if (n == 0 || n > 64)
    return fail(x, OMEN_EUSAGE, &v->start_mark, "'%s' lists 1 to 64 alternatives", cond_key[kind]);
  c->alts = omen_arena_alloc(x->pk->arena, n * sizeof *c->alts);
  if (!c->alts)
    return nomem(x);
  r->nconds++;
  for (size_t i = 0; i < n; i++) {
    const yaml_node_t *a = v->type == YAML_SEQUENCE_NODE ? node(x, v->data.sequence.items.start[i]) : v;
    alt *al = &c->alts[c->nalts++];
    al->id = x->pk->nalts++;
    omen_status s;
    if (a->type == YAML_SCALAR_NODE) {
      bool query_only = kind >= C_IN_FUNC;
      if (query_only)
        return fail(x, OMEN_EUSAGE, &a->start_mark, "'%s' takes a query ({query: \"...\"}), not a node kind",
                    cond_key[kind]);
      if ((s = str(x, a, cond_key[kind], &al->kind)) != OMEN_OK)
        return s;
      for (int l = 0; l < NLANG; l++) {
        if (!(r->langs & lang_bit[l]))
          continue;
        const TSLanguage *lg = omen_pack_language(lang_bit[l]);
        if (!ts_language_symbol_for_name(lg, al->kind, (uint32_t)strlen(al->kind), true))
          return fail(x, OMEN_EUSAGE, &a->start_mark, "'%s': the %s grammar has no node kind '%.60s'",
                      cond_key[kind], lang_name[l], al->kind);
      }
      continue;
    }
    if (a->type != YAML_MAPPING_NODE)
      return fail(x, OMEN_EUSAGE, &a->start_mark, "'%s' must be a node kind or {query: ...}, not %s",
                  cond_key[kind], kind_of(a));
    static const char *const keys[] = {"query", NULL};
    if ((s = check_keys(x, a, keys, "in a condition")) != OMEN_OK)
      return s;
    const yaml_node_t *qn = get(x, a, "query");
    const char *qt;
    if (!qn)
      return fail(x, OMEN_EUSAGE, &a->start_mark, "a condition mapping needs 'query'");
    if ((s = str(x, qn, "query", &qt)) != OMEN_OK)
      return s;
    for (int l = 0; l < NLANG; l++) {
      if (!(r->langs & lang_bit[l]))
        continue;
      if ((s = compile_query(x, qn, qt, l, &al->q[l], Q_PLAIN)) != OMEN_OK)
        return s;
      if ((kind <= C_NOT_HAS) && ts_query_capture_count(al->q[l].q) == 0)
        return fail(x, OMEN_EUSAGE, &qn->start_mark,
                    "a '%s' query must capture the node it means (add @it after the pattern)",
                    cond_key[kind]);
    }
  }
  return OMEN_OK;
}

static omen_status parse_examples(ld *x, pk_rule *r, const yaml_node_t *v) {
  if (v->type != YAML_SEQUENCE_NODE)
    return fail(x, OMEN_EUSAGE, &v->start_mark, "'examples' must be a list, not %s", kind_of(v));
  size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
  r->examples = omen_arena_alloc(x->pk->arena, (n ? n : 1) * sizeof *r->examples);
  if (!r->examples)
    return nomem(x);
  static const char *const keys[] = {"bad", "good", "fixed", NULL};
  for (size_t i = 0; i < n; i++) {
    const yaml_node_t *e = node(x, v->data.sequence.items.start[i]);
    if (e->type != YAML_MAPPING_NODE)
      return fail(x, OMEN_EUSAGE, &e->start_mark, "an example must be a mapping with bad or good, not %s",
                  kind_of(e));
    omen_status s = check_keys(x, e, keys, "in an example");
    if (s != OMEN_OK)
      return s;
    example *ex = &r->examples[r->nexamples];
    ex->line = (unsigned)e->start_mark.line + 1;
    const yaml_node_t *b = get(x, e, "bad"), *g = get(x, e, "good"), *f = get(x, e, "fixed");
    if (!b == !g)
      return fail(x, OMEN_EUSAGE, &e->start_mark, "an example has either 'bad' or 'good'");
    if (f && !b)
      return fail(x, OMEN_EUSAGE, &f->start_mark, "'fixed' goes with a 'bad' example");
    if (f && !r->has_fix)
      return fail(x, OMEN_EUSAGE, &f->start_mark, "'fixed' needs the rule to have a 'fix'");
    if ((b && (s = str(x, b, "bad", &ex->bad)) != OMEN_OK) ||
        (g && (s = str(x, g, "good", &ex->good)) != OMEN_OK) ||
        (f && (s = str(x, f, "fixed", &ex->fixed)) != OMEN_OK))
      return s;
    const char *t = ex->bad ? ex->bad : ex->good;
    if (strlen(t) > MAX_EXAMPLE)
      return fail(x, OMEN_ELIMIT, &e->start_mark, "an example longer than %d bytes", MAX_EXAMPLE);
    r->nexamples++;
  }
  return OMEN_OK;
}

/* The one-line summary derived from a message: up to its first ':' or '.', without templates. */
static const char *derive_summary(omen_arena *a, const char *msg) {
  omen_buf b;
  omen_buf_init(&b, 200);
  for (const char *p = msg; *p && *p != ':' && !(*p == '.' && (p[1] == ' ' || !p[1])) && b.len < 150; p++) {
    if (p[0] == '{' && p[1] == '{') {
      const char *e = strstr(p, "}}");
      if (e) {
        omen_buf_adds(&b, "...");
        p = e + 1;
        continue;
      }
    }
    omen_buf_addc(&b, *p);
  }
  char *s = omen_arena_strdup(a, b.data ? b.data : "");
  omen_buf_free(&b);
  return s;
}

static omen_status parse_rule(ld *x, const yaml_node_t *rn) {
  static const char *const keys[] = {"id",
                                     "language",
                                     "severity",
                                     "confidence",
                                     "message",
                                     "query",
                                     "report",
                                     "inside",
                                     "not-inside",
                                     "has",
                                     "not-has",
                                     "in-function-with",
                                     "not-in-function-with",
                                     "in-file-with",
                                     "not-in-file-with",
                                     "inside-stops-at",
                                     "fix",
                                     "doc",
                                     "examples",
                                     NULL};
  if (rn->type != YAML_MAPPING_NODE)
    return fail(x, OMEN_EUSAGE, &rn->start_mark, "a rule must be a mapping, not %s", kind_of(rn));
  omen_status s = check_keys(x, rn, keys, "in a rule");
  if (s != OMEN_OK)
    return s;
  static const char *const required[] = {"id",      "language", "severity", "confidence",
                                         "message", "query",    NULL};
  for (int i = 0; required[i]; i++)
    if (!get(x, rn, required[i]))
      return fail(x, OMEN_EUSAGE, &rn->start_mark, "a rule needs '%s'", required[i]);
  omen_pack *pk = x->pk;
  if (pk->n >= OMEN_PACK_MAX_RULES)
    return fail(x, OMEN_ELIMIT, &rn->start_mark, "more than %d rules", OMEN_PACK_MAX_RULES);
  pk_rule *r = omen_arena_alloc(pk->arena, sizeof *r);
  if (!r)
    return nomem(x);
  x->partial = r;
  r->path = omen_arena_strdup(pk->arena, x->path);
  r->line = (unsigned)rn->start_mark.line + 1;
  /* id */
  const yaml_node_t *n = get(x, rn, "id");
  if ((s = str(x, n, "id", &r->r.id)) != OMEN_OK)
    return s;
  if (!id_ok(r->r.id))
    return fail(x, OMEN_EUSAGE, &n->start_mark, "bad id '%.60s': family/name in lower-case kebab-case",
                r->r.id);
  if (omen_rule_builtin(r->r.id))
    return fail(x, OMEN_EUSAGE, &n->start_mark, "id '%s' is a built-in rule", r->r.id);
  for (size_t i = 0; i < pk->n; i++)
    if (strcmp(pk->rules[i]->r.id, r->r.id) == 0)
      return fail(x, OMEN_EUSAGE, &n->start_mark, "id '%s' is already defined at %s:%u", r->r.id,
                  pk->rules[i]->path, pk->rules[i]->line);
  /* language */
  n = get(x, rn, "language");
  size_t nl =
      n->type == YAML_SEQUENCE_NODE ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start) : 1;
  if (nl == 0 || nl > NLANG)
    return fail(x, OMEN_EUSAGE, &n->start_mark, "'language' is go, c, cpp or a list of them");
  for (size_t i = 0; i < nl; i++) {
    const yaml_node_t *ln = n->type == YAML_SEQUENCE_NODE ? node(x, n->data.sequence.items.start[i]) : n;
    static const char *const langs[] = {"go", "c", "cpp", NULL};
    int li;
    if ((s = enum_val(x, ln, "language", langs, &li)) != OMEN_OK)
      return s;
    r->langs |= lang_bit[li];
  }
  if ((r->langs & OMEN_LANG_GO) && (r->langs & OMEN_LANG_CFAMILY))
    return fail(x, OMEN_EUSAGE, &n->start_mark, "a rule is for Go or for C/C++, not both");
  r->r.lang = r->langs == OMEN_LANG_GO    ? "go"
              : r->langs == OMEN_LANG_C   ? "c"
              : r->langs == OMEN_LANG_CPP ? "cpp"
                                          : "c/c++";
  /* severity, confidence */
  static const char *const sevs[] = {"note", "warning", "error", NULL};
  static const char *const confs[] = {"low", "medium", "high", NULL};
  int v;
  if ((s = enum_val(x, get(x, rn, "severity"), "severity", sevs, &v)) != OMEN_OK)
    return s;
  r->r.severity = (omen_severity)v;
  if ((s = enum_val(x, get(x, rn, "confidence"), "confidence", confs, &v)) != OMEN_OK)
    return s;
  r->r.confidence = (omen_confidence)v;
  /* query */
  const yaml_node_t *qn = get(x, rn, "query");
  if ((s = str(x, qn, "query", &r->query)) != OMEN_OK)
    return s;
  for (int l = 0; l < NLANG; l++)
    if ((r->langs & lang_bit[l]) && (s = compile_query(x, qn, r->query, l, &r->own[l], Q_ROOTED)) != OMEN_OK)
      return s;
  const cquery *own = NULL;
  for (int l = 0; l < NLANG && !own; l++)
    if (r->langs & lang_bit[l])
      own = &r->own[l];
  if (ts_query_capture_count(own->q) - (own->root_cap != UINT32_MAX) == 0)
    return fail(x, OMEN_EUSAGE, &qn->start_mark, "query: no capture: capture the node to report (@name)");
  /* message, report */
  n = get(x, rn, "message");
  if ((s = str(x, n, "message", &r->message)) != OMEN_OK ||
      (s = check_template(x, n, "message", r->message, own)) != OMEN_OK)
    return s;
  if ((n = get(x, rn, "report"))) {
    if ((s = str(x, n, "report", &r->report)) != OMEN_OK)
      return s;
    if (!query_has_capture(own, r->report))
      return fail(x, OMEN_EUSAGE, &n->start_mark, "report: the query has no capture @%.60s", r->report);
  }
  /* conditions */
  for (int k = 0; k < C_COUNT; k++)
    if ((n = get(x, rn, cond_key[k])) && (s = parse_cond(x, r, (cond_kind)k, n)) != OMEN_OK)
      return s;
  if ((n = get(x, rn, "inside-stops-at"))) {
    static const char *const stops[] = {"function", "file", NULL};
    if ((s = enum_val(x, n, "inside-stops-at", stops, &v)) != OMEN_OK)
      return s;
    r->stop_at_file = v == 1;
  }
  /* fix */
  if ((n = get(x, rn, "fix"))) {
    static const char *const fkeys[] = {"applicability", "replace", "with", "message", NULL};
    if (n->type != YAML_MAPPING_NODE)
      return fail(x, OMEN_EUSAGE, &n->start_mark, "'fix' must be a mapping, not %s", kind_of(n));
    if ((s = check_keys(x, n, fkeys, "in a fix")) != OMEN_OK)
      return s;
    const yaml_node_t *w = get(x, n, "with"), *f;
    if (!w)
      return fail(x, OMEN_EUSAGE, &n->start_mark, "a fix needs 'with'");
    r->has_fix = true;
    static const char *const apps[] = {"safe", "unsafe", NULL};
    r->fix_app = OMEN_FIX_UNSAFE;
    if ((f = get(x, n, "applicability"))) {
      if ((s = enum_val(x, f, "applicability", apps, &v)) != OMEN_OK)
        return s;
      r->fix_app = (omen_applicability)v;
    }
    if ((s = str(x, w, "with", &r->fix_with)) != OMEN_OK ||
        (s = check_template(x, w, "fix.with", r->fix_with, own)) != OMEN_OK)
      return s;
    if ((f = get(x, n, "replace"))) {
      if ((s = str(x, f, "replace", &r->fix_replace)) != OMEN_OK)
        return s;
      if (!query_has_capture(own, r->fix_replace))
        return fail(x, OMEN_EUSAGE, &f->start_mark, "replace: the query has no capture @%.60s",
                    r->fix_replace);
    }
    if ((f = get(x, n, "message")) &&
        ((s = str(x, f, "fix.message", &r->fix_message)) != OMEN_OK ||
         (s = check_template(x, f, "fix.message", r->fix_message, own)) != OMEN_OK))
      return s;
  }
  /* doc */
  r->r.summary = NULL;
  r->r.what = r->r.why = r->r.instead = r->r.example = "";
  if ((n = get(x, rn, "doc"))) {
    static const char *const dkeys[] = {"summary", "what", "why", "instead", NULL};
    if (n->type != YAML_MAPPING_NODE)
      return fail(x, OMEN_EUSAGE, &n->start_mark, "'doc' must be a mapping, not %s", kind_of(n));
    if ((s = check_keys(x, n, dkeys, "in doc")) != OMEN_OK)
      return s;
    const char **dst[] = {&r->r.summary, &r->r.what, &r->r.why, &r->r.instead};
    for (int i = 0; dkeys[i]; i++) {
      const yaml_node_t *d = get(x, n, dkeys[i]);
      if (d && (s = str(x, d, dkeys[i], dst[i])) != OMEN_OK)
        return s;
    }
  }
  if (!r->r.summary || !*r->r.summary)
    r->r.summary = derive_summary(pk->arena, r->message);
  else if (r->r.summary[strlen(r->r.summary) - 1] == '.')
    r->r.summary = omen_arena_strndup(pk->arena, r->r.summary, strlen(r->r.summary) - 1);
  if (!*r->r.what)
    r->r.what = omen_arena_printf(
        pk->arena, "Reports code matching this tree-sitter query (rule file `%s`):\n\n```\n%s```", x->path,
        r->query);
  if (!*r->r.why)
    r->r.why = derive_summary(pk->arena, r->message);
  if (r->has_fix)
    r->r.fix = omen_arena_printf(
        pk->arena, "%s: replaces `@%s` with `%s`%s.",
        r->fix_app == OMEN_FIX_SAFE ? "Safe" : "Unsafe (applied with `--unsafe-fixes`)",
        r->fix_replace ? r->fix_replace
        : r->report    ? r->report
                       : "(the reported node)",
        r->fix_with, r->fix_message ? omen_arena_printf(pk->arena, " (%s)", r->fix_message) : "");
  else
    r->r.fix = "No fix.";
  if (!r->r.summary || !r->r.what || !r->r.why || !r->r.fix)
    return nomem(x);
  /* examples */
  if ((n = get(x, rn, "examples")) && (s = parse_examples(x, r, n)) != OMEN_OK)
    return s;
  for (size_t i = 0; i < r->nexamples && !*r->r.example; i++)
    if (r->examples[i].bad)
      r->r.example = r->examples[i].bad;
  /* strip a trailing newline from doc code blocks */
  const char **codes[] = {&r->r.example, &r->r.instead};
  for (int i = 0; i < 2; i++) {
    size_t len = strlen(*codes[i]);
    while (len && (*codes[i])[len - 1] == '\n')
      len--;
    if (!(*codes[i] = omen_arena_strndup(pk->arena, *codes[i], len)))
      return nomem(x);
  }
  if (pk->n == pk->cap) {
    size_t nc = pk->cap ? pk->cap * 2 : 16;
    pk_rule **nv = realloc(pk->rules, nc * sizeof *nv);
    if (!nv)
      return nomem(x);
    pk->rules = nv;
    pk->cap = nc;
  }
  pk->rules[pk->n++] = r;
  x->partial = NULL;
  pk->compiled = false;
  return OMEN_OK;
}

/* Frees the queries of rules [from, n) after a failed load, and forgets them. */
static void drop_rules(omen_pack *pk, size_t from, pk_rule *partial) {
  pk_rule *extra[1] = {partial};
  for (size_t i = from; i <= pk->n; i++) {
    pk_rule *r = i < pk->n ? pk->rules[i] : extra[0];
    if (!r)
      continue;
    for (int l = 0; l < NLANG; l++)
      cquery_free(&r->own[l]);
    for (size_t c = 0; c < r->nconds; c++)
      for (size_t a = 0; a < r->conds[c].nalts; a++)
        for (int l = 0; l < NLANG; l++)
          cquery_free(&r->conds[c].alts[a].q[l]);
  }
  pk->n = from;
}

omen_status omen_pack_load_text(omen_pack *pk, const char *path, const char *text, size_t len, char *err,
                                size_t errlen) {
  ld x = {.pk = pk, .path = path, .text = text, .len = len, .err = err, .errlen = errlen};
  if (errlen)
    err[0] = '\0';
  if (len > OMEN_PACK_MAX_FILE)
    return fail(&x, OMEN_ELIMIT, NULL, "larger than %zu KiB: a rule file is small; is this the right file?",
                OMEN_PACK_MAX_FILE >> 10);
  if (memchr(text, '\0', len))
    return fail(&x, OMEN_EUSAGE, NULL, "contains a NUL byte: this is not a text file");
  omen_status s = prescan(&x);
  if (s != OMEN_OK)
    return s;
  yaml_parser_t p;
  yaml_document_t doc;
  if (!yaml_parser_initialize(&p))
    return nomem(&x);
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
  if (!yaml_parser_load(&p, &doc)) {
    s = fail(&x, OMEN_EUSAGE, &p.problem_mark, "invalid YAML: %s", p.problem ? p.problem : "unreadable");
    yaml_parser_delete(&p);
    return s;
  }
  x.doc = &doc;
  size_t from = pk->n;
  const yaml_node_t *root = yaml_document_get_root_node(&doc);
  static const char *const keys[] = {"rules", NULL};
  if (!root || root->type != YAML_MAPPING_NODE) {
    yaml_mark_t m = root ? root->start_mark : (yaml_mark_t){0};
    s = fail(&x, OMEN_EUSAGE, &m, "a rule file is a mapping with one key, 'rules'");
  } else if ((s = check_keys(&x, root, keys, "at the top level")) == OMEN_OK) {
    const yaml_node_t *rules = get(&x, root, "rules");
    if (!rules || rules->type != YAML_SEQUENCE_NODE) {
      s = fail(&x, OMEN_EUSAGE, rules ? &rules->start_mark : &root->start_mark,
               "'rules' must be a list of rules");
    } else {
      for (yaml_node_item_t *it = rules->data.sequence.items.start;
           it < rules->data.sequence.items.top && s == OMEN_OK; it++)
        s = parse_rule(&x, node(&x, *it));
    }
  }
  if (s != OMEN_OK)
    drop_rules(pk, from, x.partial);
  yaml_document_delete(&doc);
  yaml_parser_delete(&p);
  return s;
}

static omen_status load_file(omen_pack *pk, const char *path, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "%s: cannot read: %s", path, fd < 0 ? strerror(errno) : "not a regular file");
    if (fd >= 0)
      close(fd);
    return OMEN_EIO;
  }
  if ((size_t)st.st_size > OMEN_PACK_MAX_FILE) {
    close(fd);
    snprintf(err, errlen, "%s: larger than %zu KiB: a rule file is small; is this the right file?", path,
             OMEN_PACK_MAX_FILE >> 10);
    return OMEN_ELIMIT;
  }
  char *text = malloc(OMEN_PACK_MAX_FILE + 2);
  if (!text) {
    close(fd);
    snprintf(err, errlen, "%s: out of memory", path);
    return OMEN_ENOMEM;
  }
  size_t len = 0;
  for (;;) {
    ssize_t got = read(fd, text + len, OMEN_PACK_MAX_FILE + 1 - len);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
      close(fd);
      free(text);
      return OMEN_EIO;
    }
    if (got == 0 || (len += (size_t)got) > OMEN_PACK_MAX_FILE)
      break;
  }
  close(fd);
  text[len] = '\0';
  omen_status s = omen_pack_load_text(pk, path, text, len, err, errlen);
  free(text);
  return s;
}

static bool is_rule_file(const char *name) {
  size_t n = strlen(name);
  return (n > 4 && strcmp(name + n - 4, ".yml") == 0) || (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Appends the rule files under dir to *v (sorted per directory), at most OMEN_PACK_MAX_FILES. */
static omen_status list_dir(const char *dir, int depth, char ***v, size_t *n, char *err, size_t errlen) {
  if (depth > 16)
    return OMEN_OK;
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(err, errlen, "%s: cannot read: %s", dir, strerror(errno));
    return OMEN_EIO;
  }
  char **names = NULL;
  size_t nn = 0;
  omen_status s = OMEN_OK;
  for (struct dirent *e = readdir(d); e && s == OMEN_OK; e = readdir(d)) {
    if (e->d_name[0] == '.')
      continue;
    if (nn >= OMEN_PACK_MAX_FILES) {
      snprintf(err, errlen, "%s: more than %d entries", dir, OMEN_PACK_MAX_FILES);
      s = OMEN_ELIMIT;
      break;
    }
    char **nv = realloc(names, (nn + 1) * sizeof *nv);
    char *p = nv ? malloc(strlen(dir) + strlen(e->d_name) + 2) : NULL;
    if (nv)
      names = nv;
    if (!p) {
      s = OMEN_ENOMEM;
      break;
    }
    sprintf(p, "%s/%s", dir, e->d_name);
    names[nn++] = p;
  }
  closedir(d);
  if (s == OMEN_OK && nn)
    qsort(names, nn, sizeof *names, cmp_str);
  for (size_t i = 0; i < nn; i++) {
    struct stat st;
    if (s == OMEN_OK && stat(names[i], &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        s = list_dir(names[i], depth + 1, v, n, err, errlen);
      } else if (S_ISREG(st.st_mode) && is_rule_file(names[i])) {
        if (*n >= OMEN_PACK_MAX_FILES) {
          snprintf(err, errlen, "%s: more than %d rule files", dir, OMEN_PACK_MAX_FILES);
          s = OMEN_ELIMIT;
        } else {
          char **nv = realloc(*v, (*n + 1) * sizeof *nv);
          if (!nv) {
            s = OMEN_ENOMEM;
          } else {
            *v = nv;
            (*v)[(*n)++] = names[i];
            names[i] = NULL;
          }
        }
      }
    }
    free(names[i]);
  }
  free(names);
  if (s == OMEN_ENOMEM)
    snprintf(err, errlen, "%s: out of memory", dir);
  return s;
}

omen_status omen_pack_load(omen_pack *pk, const char *path, char *err, size_t errlen) {
  struct stat st;
  if (stat(path, &st) != 0) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return OMEN_EIO;
  }
  if (!S_ISDIR(st.st_mode))
    return load_file(pk, path, err, errlen);
  char **files = NULL;
  size_t n = 0;
  omen_status s = list_dir(path, 0, &files, &n, err, errlen);
  for (size_t i = 0; i < n; i++) {
    if (s == OMEN_OK)
      s = load_file(pk, files[i], err, errlen);
    free(files[i]);
  }
  free(files);
  return s;
}

/* ---------- the combined query of each language ---------- */

static bool ident_byte(unsigned char c) { return name_start((char)c) || (c >= '0' && c <= '9') || c >= 0x80; }

/* Does text hold lit as a whole token? A node's text starts and ends at token boundaries, so an
 * occurrence glued to identifier characters ("os" in "pos") cannot be the text of a node. */
static bool has_token(const char *text, size_t len, const char *lit) {
  size_t n = strlen(lit);
  bool head = ident_byte((unsigned char)lit[0]), tail = ident_byte((unsigned char)lit[n - 1]);
  for (const char *p = text, *e = text + len; p < e;) {
    const char *f = memmem(p, (size_t)(e - p), lit, n);
    if (!f)
      return false;
    if ((!head || f == text || !ident_byte((unsigned char)f[-1])) &&
        (!tail || f + n == e || !ident_byte((unsigned char)f[n])))
      return true;
    p = f + 1;
  }
  return false;
}

/* The text prefilter: a pattern whose predicates compare captures with literal strings (#eq?,
 * #any-of?, #match? with a plain alternation of words) can only match a node whose text holds them. */
static bool pattern_literals_in(const pattern *pat, const char *text, size_t len) {
  for (size_t k = 0; k < pat->npreds; k++) {
    const pred *p = &pat->preds[k];
    if (p->op == P_EQ && !p->other_cap && p->str[0]) {
      if (!has_token(text, len, p->str))
        return false;
    } else if ((p->op == P_ANY_OF || p->op == P_MATCH) && p->nlist) {
      bool any = false;
      for (size_t m = 0; m < p->nlist && !any; m++)
        any = !p->list[m][0] || (p->list_sub ? memmem(text, len, p->list[m], strlen(p->list[m])) != NULL
                                             : has_token(text, len, p->list[m]));
      if (!any)
        return false;
    }
  }
  return true;
}

/* The node kind a pattern (grouped text at p) starts with, as the grammar spells it (its static
 * string, so kinds compare by pointer); NULL for alternatives, wildcards and anonymous nodes. */
static const char *pattern_root_kind(const TSLanguage *lang, const char *p) {
  for (;;) {
    p += strspn(p, " \t\r\n");
    if (*p != '(')
      break;
    p++;
  }
  const char *e = p;
  while (name_char(*e) && *e != '.')
    e++;
  if (e == p || (e - p == 1 && *p == '_'))
    return NULL;
  uint32_t n = ts_language_symbol_count(lang);
  for (uint32_t i = 0; i < n; i++) {
    const char *name = ts_language_symbol_name(lang, (TSSymbol)i);
    if (ts_language_symbol_type(lang, (TSSymbol)i) == TSSymbolTypeRegular && name &&
        strlen(name) == (size_t)(e - p) && memcmp(name, p, (size_t)(e - p)) == 0)
      return name;
  }
  return NULL;
}

/* Compiles into cq the combined query of language l of the rules whose is_wide equals wide. */
static omen_status compile_combined(omen_pack *pk, int l, bool wide, const bool *is_wide, cquery *cq,
                                    char *err, size_t errlen) {
  omen_buf b;
  omen_buf_init(&b, (size_t)MAX_QUERY * OMEN_PACK_MAX_RULES);
  size_t *starts = calloc(pk->n + 1, sizeof *starts);
  pk_rule **owner = calloc(pk->n + 1, sizeof *owner);
  size_t nr = 0;
  omen_status s = starts && owner ? OMEN_OK : OMEN_ENOMEM;
  for (size_t i = 0; i < pk->n && s == OMEN_OK; i++) {
    if (!(pk->rules[i]->langs & lang_bit[l]) || is_wide[i] != wide)
      continue;
    starts[nr] = b.len;
    owner[nr++] = pk->rules[i];
    char *g = group_predicates(pk->rules[i]->query, true);
    s = g ? omen_buf_printf(&b, "%s\n", g) : OMEN_ENOMEM;
    free(g);
  }
  if (s == OMEN_OK && nr) {
    ld x = {.pk = pk, .path = "(combined query)", .text = "", .err = err, .errlen = errlen};
    yaml_node_t dummy = {0};
    s = compile_query(&x, &dummy, b.data, l, cq, Q_GROUPED);
    const TSLanguage *lang = omen_pack_language(lang_bit[l]);
    for (uint32_t i = 0; s == OMEN_OK && i < cq->npats; i++) {
      uint32_t at = ts_query_start_byte_for_pattern(cq->q, i);
      size_t k = nr;
      while (k > 0 && starts[k - 1] > at)
        k--;
      cq->pats[i].rule = k ? owner[k - 1] : owner[0];
      cq->pats[i].root_kind = pattern_root_kind(lang, b.data + at);
    }
  }
  free(starts);
  free(owner);
  omen_buf_free(&b);
  if (s == OMEN_ENOMEM)
    snprintf(err, errlen, "rules: out of memory");
  return s;
}

/* Each language gets two queries: the rules whose every pattern starts with a node kind are matched
 * from the nodes of those kinds only, and only when the node's text holds the pattern's literals
 * (a tree-sitter 0.20 query cursor walking a whole tree costs about a fifth of omen's run on Go:
 * a plain cursor walk plus memmem costs a fraction of that); the others share one query matched over
 * the whole tree. */
omen_status omen_pack_compile(omen_pack *pk, char *err, size_t errlen) {
  if (pk->compiled)
    return OMEN_OK;
  bool *is_wide = calloc(pk->n + 1, sizeof *is_wide);
  if (!is_wide) {
    snprintf(err, errlen, "rules: out of memory");
    return OMEN_ENOMEM;
  }
  omen_status s = OMEN_OK;
  for (int l = 0; l < NLANG && s == OMEN_OK; l++) {
    const TSLanguage *lang = omen_pack_language(lang_bit[l]);
    cquery_free(&pk->all[l]);
    cquery_free(&pk->wide[l]);
    free(pk->kind_of_sym[l]);
    pk->kind_of_sym[l] = NULL;
    for (size_t i = 0; i < pk->n; i++) {
      pk_rule *r = pk->rules[i];
      is_wide[i] = false;
      if (!(r->langs & lang_bit[l]))
        continue;
      char *g = group_predicates(r->query, true);
      if (!g) {
        s = OMEN_ENOMEM;
        break;
      }
      for (uint32_t k = 0; k < r->own[l].npats && !is_wide[i]; k++)
        is_wide[i] = !pattern_root_kind(lang, g + ts_query_start_byte_for_pattern(r->own[l].q, k));
      free(g);
    }
    if (s == OMEN_OK)
      s = compile_combined(pk, l, false, is_wide, &pk->all[l], err, errlen);
    if (s == OMEN_OK)
      s = compile_combined(pk, l, true, is_wide, &pk->wide[l], err, errlen);
    if (s == OMEN_OK && pk->all[l].q) {
      uint32_t nsym = ts_language_symbol_count(lang);
      pk->kind_of_sym[l] = calloc(nsym ? nsym : 1, sizeof *pk->kind_of_sym[l]);
      if (!pk->kind_of_sym[l]) {
        s = OMEN_ENOMEM;
        break;
      }
      for (uint32_t sym = 0; sym < nsym; sym++) {
        const char *name = ts_language_symbol_name(lang, (TSSymbol)sym);
        for (uint32_t k = 0; name && k < pk->all[l].npats; k++)
          if (pk->all[l].pats[k].root_kind && strcmp(pk->all[l].pats[k].root_kind, name) == 0)
            pk->kind_of_sym[l][sym] = pk->all[l].pats[k].root_kind;
      }
    }
  }
  free(is_wide);
  if (s == OMEN_ENOMEM)
    snprintf(err, errlen, "rules: out of memory");
  if (s == OMEN_OK)
    pk->compiled = true;
  return s;
}

/* ---------- matching ---------- */

typedef struct mstate {
  const char *text;
  uint32_t len;
  const cquery *cq;
  const TSQueryMatch *m;
  omen_pack_stats *stats;
  TSNode root;
  int l;
  struct fcache
      *file_cache; /* two per condition alternative (2 * alt.id: the file, + 1: a function); NULL: none */
  /* the chain from the root to the report node being checked (ts_node_parent costs a descent from
   * the root each time in tree-sitter 0.20, so it is computed once per candidate) */
  TSNode chain[MAX_CHAIN];
  uint32_t nchain; /* 0: not computed or too deep (then ts_node_parent is used) */
} mstate;

/* What a condition's query gives for a whole file, computed once per file: whether it matches, and
 * the nodes its matches capture (for `inside` with `inside-stops-at: file`). */
typedef struct fcache {
  int8_t in_file; /* 0 unknown, 1 matches, -1 does not */
  bool have_nodes, too_many;
  TSNode *nodes;
  uint32_t n;
  TSNode scope; /* the function whose nodes are held (the second entry of an alternative) */
} fcache;

static bool node_text_eq(const mstate *ms, TSNode n, const char *s, size_t slen) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  return b <= ms->len && b - a == slen && memcmp(ms->text + a, s, slen) == 0;
}

/* The node of the first capture cap in match m; false when absent. */
static bool capture_node(const TSQueryMatch *m, uint32_t cap, TSNode *out) {
  for (uint16_t i = 0; i < m->capture_count; i++)
    if (m->captures[i].index == cap) {
      *out = m->captures[i].node;
      return true;
    }
  return false;
}

static bool capture_by_name(const TSQuery *q, const TSQueryMatch *m, const char *name, TSNode *out) {
  for (uint16_t i = 0; i < m->capture_count; i++) {
    uint32_t len;
    if (strcmp(ts_query_capture_name_for_id(q, m->captures[i].index, &len), name) == 0) {
      *out = m->captures[i].node;
      return true;
    }
  }
  return false;
}

static bool regex_match(mstate *ms, const pcre2_code *re, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b > ms->len || a > b)
    return false;
  pcre2_match_data *md = pcre2_match_data_create(1, NULL);
  pcre2_match_context *mc = pcre2_match_context_create(NULL);
  int rc = PCRE2_ERROR_NOMEMORY;
  if (md && mc) {
    pcre2_set_match_limit(mc, MATCH_LIMIT);
    pcre2_set_depth_limit(mc, DEPTH_LIMIT);
    rc = pcre2_match(re, (PCRE2_SPTR)ms->text + a, b - a, 0, 0, md, mc);
  }
  pcre2_match_data_free(md);
  pcre2_match_context_free(mc);
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && ms->stats)
    ms->stats->limits++;
  return rc >= 0;
}

/* Do the predicates of pattern pat hold for match m? A capture that is absent (optional) fails
 * the positive predicates and passes the negative ones. */
static bool preds_hold(mstate *ms, const pattern *pat, const TSQueryMatch *m) {
  for (size_t i = 0; i < pat->npreds; i++) {
    const pred *p = &pat->preds[i];
    TSNode n;
    bool neg = p->op == P_NOT_EQ || p->op == P_NOT_MATCH;
    if (!capture_node(m, p->cap, &n)) {
      if (!neg)
        return false;
      continue;
    }
    bool ok = false;
    switch (p->op) {
    case P_EQ:
    case P_NOT_EQ:
      if (p->other_cap) {
        TSNode n2;
        if (capture_node(m, p->cap2, &n2)) {
          uint32_t a2 = ts_node_start_byte(n2), b2 = ts_node_end_byte(n2);
          ok = b2 <= ms->len && node_text_eq(ms, n, ms->text + a2, b2 - a2);
        }
      } else {
        ok = node_text_eq(ms, n, p->str, strlen(p->str));
      }
      break;
    case P_MATCH:
    case P_NOT_MATCH:
      ok = regex_match(ms, p->re, n);
      break;
    case P_ANY_OF:
      for (size_t k = 0; k < p->nlist && !ok; k++)
        ok = node_text_eq(ms, n, p->list[k], strlen(p->list[k]));
      break;
    }
    if (ok == neg)
      return false;
  }
  return true;
}

/* Where each literal of a query's patterns occurs in a file (as has_token, or as a substring for
 * #match? words that need not be whole tokens): the walk of omen_pack_match asks "does this node's
 * range hold the literals of some pattern?" in O(log n) instead of rescanning the node's text, and
 * skips every subtree whose range holds none (no candidate can be inside it). */
enum { MAX_LITS = 128, MAX_LIT_POS = 1 << 20 };

typedef struct lit_pos {
  const char *lit;
  bool sub;
  uint32_t *pos; /* ascending start offsets */
  uint32_t n, len;
} lit_pos;

typedef struct lit_index {
  lit_pos v[MAX_LITS];
  uint32_t n;
  bool ok; /* false: too many literals or no memory; callers fall back to text scans */
} lit_index;

static lit_pos *lit_find(lit_index *x, const char *lit, bool sub) {
  for (uint32_t i = 0; i < x->n; i++)
    if (x->v[i].sub == sub && strcmp(x->v[i].lit, lit) == 0)
      return &x->v[i];
  return NULL;
}

static bool lit_add(lit_index *x, const char *lit, bool sub, const char *text, uint32_t len) {
  if (!lit[0] || lit_find(x, lit, sub))
    return true;
  if (x->n == MAX_LITS)
    return false;
  lit_pos *lp = &x->v[x->n];
  *lp = (lit_pos){.lit = lit, .sub = sub, .len = (uint32_t)strlen(lit)};
  bool head = ident_byte((unsigned char)lit[0]), tail = ident_byte((unsigned char)lit[lp->len - 1]);
  uint32_t cap = 0;
  for (const char *p = text, *e = text + len; p < e;) {
    const char *f = memmem(p, (size_t)(e - p), lit, lp->len);
    if (!f)
      break;
    p = f + 1;
    if (!sub && !((!head || f == text || !ident_byte((unsigned char)f[-1])) &&
                  (!tail || f + lp->len == e || !ident_byte((unsigned char)f[lp->len]))))
      continue;
    if (lp->n == cap) {
      uint32_t nc = cap ? cap * 2 : 16;
      uint32_t *nv = nc <= MAX_LIT_POS ? realloc(lp->pos, nc * sizeof *nv) : NULL;
      if (!nv) {
        free(lp->pos);
        return false;
      }
      lp->pos = nv;
      cap = nc;
    }
    lp->pos[lp->n++] = (uint32_t)(f - text);
  }
  x->n++;
  return true;
}

static void lit_index_free(lit_index *x) {
  for (uint32_t i = 0; i < x->n; i++)
    free(x->v[i].pos);
}

/* Builds the index of every literal of cq's patterns over text. */
static void lit_index_build(lit_index *x, const cquery *cq, const char *text, uint32_t len) {
  x->n = 0;
  x->ok = true;
  for (uint32_t i = 0; x->ok && i < cq->npats; i++)
    for (size_t k = 0; x->ok && k < cq->pats[i].npreds; k++) {
      const pred *p = &cq->pats[i].preds[k];
      if (p->op == P_EQ && !p->other_cap && p->str[0])
        x->ok = lit_add(x, p->str, false, text, len);
      else if ((p->op == P_ANY_OF || p->op == P_MATCH) && p->nlist)
        for (size_t m = 0; x->ok && m < p->nlist; m++)
          x->ok = lit_add(x, p->list[m], p->op == P_MATCH && p->list_sub, text, len);
    }
}

/* Does [a, e) hold an occurrence of lit (as the index found them)? */
static bool lit_in(const lit_pos *lp, uint32_t a, uint32_t e) {
  uint32_t lo = 0, hi = lp->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (lp->pos[mid] < a)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < lp->n && lp->pos[lo] + lp->len <= e;
}

/* pattern_literals_in over [a, e) of the indexed text. */
static bool pattern_literals_at(lit_index *x, const pattern *pat, uint32_t a, uint32_t e) {
  for (size_t k = 0; k < pat->npreds; k++) {
    const pred *p = &pat->preds[k];
    if (p->op == P_EQ && !p->other_cap && p->str[0]) {
      const lit_pos *lp = lit_find(x, p->str, false);
      if (!lp || !lit_in(lp, a, e))
        return false;
    } else if ((p->op == P_ANY_OF || p->op == P_MATCH) && p->nlist) {
      bool any = false;
      for (size_t m = 0; m < p->nlist && !any; m++) {
        if (!p->list[m][0])
          any = true;
        else {
          const lit_pos *lp = lit_find(x, p->list[m], p->op == P_MATCH && p->list_sub);
          any = lp && lit_in(lp, a, e);
        }
      }
      if (!any)
        return false;
    }
  }
  return true;
}

/* Could a candidate of some pattern of cq lie within [a, e)? */
static bool range_may_hold(lit_index *x, const cquery *cq, uint32_t a, uint32_t e) {
  for (uint32_t i = 0; i < cq->npats; i++)
    if (pattern_literals_at(x, &cq->pats[i], a, e))
      return true;
  return false;
}

/* candidate() over the index. */
static bool candidate_at(lit_index *x, const cquery *cq, const char *kind, uint32_t a, uint32_t e) {
  for (uint32_t i = 0; i < cq->npats; i++)
    if (cq->pats[i].root_kind == kind && pattern_literals_at(x, &cq->pats[i], a, e))
      return true;
  return false;
}

/* Can some pattern of cq match within scope? False when each pattern names literals the scope's
 * text lacks: then the query need not run (the text prefilter of omen_pack_match). */
static bool could_match(const mstate *ms, const cquery *cq, TSNode scope) {
  uint32_t a = ts_node_start_byte(scope), e = ts_node_end_byte(scope);
  if (e > ms->len || a > e)
    return true;
  for (uint32_t i = 0; i < cq->npats; i++)
    if (pattern_literals_in(&cq->pats[i], ms->text + a, e - a))
      return true;
  return false;
}

/* Does query cq match within node scope? With want (not NULL), only a match capturing a node that
 * satisfies want(node, arg) counts. */
static bool cursor_matches(mstate *ms, const cquery *cq, TSNode scope, bool (*want)(TSNode, TSNode),
                           TSNode arg);
static bool same(TSNode a, TSNode b) {
  return ts_node_start_byte(a) == ts_node_start_byte(b) && ts_node_end_byte(a) == ts_node_end_byte(b) &&
         ts_node_symbol(a) == ts_node_symbol(b);
}

/* Could some pattern of cq starting with kind match node n (its text holds the pattern's literals)? */
static bool candidate(const cquery *cq, const char *kind, TSNode n, const char *text, uint32_t len) {
  uint32_t a = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > len || a > e)
    return false;
  for (uint32_t i = 0; i < cq->npats; i++)
    if (cq->pats[i].root_kind == kind && pattern_literals_in(&cq->pats[i], text + a, e - a))
      return true;
  return false;
}

/* Visits the candidates of cq under root in document order: nodes of a kind some pattern starts with
 * whose range holds that pattern's literals. With the literal index lx, a subtree whose range holds
 * no pattern's literals is skipped whole; without (NULL), every node is visited and its text
 * scanned. kinds maps a symbol to the patterns' spelling of its kind (NULL: compared by name).
 * visit gets the node and the scope to run a cursor from (a cursor started on a leaf matches
 * nothing in libtree-sitter 0.20.7: its parent then), and returns false to stop. */
static void walk_candidates(lit_index *lx, const cquery *cq, TSNode root, const char *text, uint32_t len,
                            const char *const *kinds, uint32_t nsym, bool (*visit)(TSNode, TSNode, void *),
                            void *arg) {
  TSTreeCursor c = ts_tree_cursor_new(root);
  for (bool more = true; more;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    uint32_t a = ts_node_start_byte(n), e = ts_node_end_byte(n);
    bool descend = !lx || (a <= e && e <= len && range_may_hold(lx, cq, a, e));
    const char *kind = NULL;
    if (descend && kinds) {
      TSSymbol sym = ts_node_symbol(n);
      kind = sym < nsym ? kinds[sym] : NULL;
    }
    for (uint32_t i = 0; descend && !kinds && !kind && i < cq->npats; i++)
      if (cq->pats[i].root_kind && strcmp(cq->pats[i].root_kind, ts_node_type(n)) == 0)
        kind = cq->pats[i].root_kind;
    if (kind && (lx ? candidate_at(lx, cq, kind, a, e) : candidate(cq, kind, n, text, len))) {
      TSNode scope = ts_node_child_count(n) ? n : ts_node_parent(n);
      more = visit(n, ts_node_is_null(scope) ? n : scope, arg);
    }
    if (more && descend && ts_tree_cursor_goto_first_child(&c))
      continue;
    while (more && !ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c))
        more = false;
  }
  ts_tree_cursor_delete(&c);
}

typedef struct file_walk {
  mstate *ms;
  const cquery *cq;
  bool (*want)(TSNode, TSNode);
  TSNode arg;
  bool found;
} file_walk;

static bool file_walk_visit(TSNode n, TSNode scope, void *arg) {
  (void)n;
  file_walk *fw = arg;
  fw->found = cursor_matches(fw->ms, fw->cq, scope, fw->want, fw->arg);
  return !fw->found;
}

/* query_matches over the whole file, when every pattern of cq starts with a node kind and names
 * literals: the cursor runs only from nodes of those kinds whose range holds the literals, found by
 * a walk that skips subtrees holding none (a file-wide condition such as `package main` or an import
 * then costs a few nodes, not a query cursor over the whole tree). *done false: not applicable. */
static bool file_matches_walk(mstate *ms, const cquery *cq, bool (*want)(TSNode, TSNode), TSNode arg,
                              bool *done) {
  *done = false;
  for (uint32_t i = 0; i < cq->npats; i++) {
    const pattern *pat = &cq->pats[i];
    bool lit = false;
    for (size_t k = 0; k < pat->npreds && !lit; k++)
      lit = (pat->preds[k].op == P_EQ && !pat->preds[k].other_cap && pat->preds[k].str[0]) ||
            ((pat->preds[k].op == P_ANY_OF || pat->preds[k].op == P_MATCH) && pat->preds[k].nlist);
    if (!pat->root_kind || !lit)
      return false;
  }
  lit_index *lx = malloc(sizeof *lx);
  if (!lx)
    return false;
  lit_index_build(lx, cq, ms->text, ms->len);
  if (!lx->ok) {
    lit_index_free(lx);
    free(lx);
    return false;
  }
  *done = true;
  file_walk fw = {.ms = ms, .cq = cq, .want = want, .arg = arg};
  if (range_may_hold(lx, cq, 0, ms->len))
    walk_candidates(lx, cq, ms->root, ms->text, ms->len, NULL, 0, file_walk_visit, &fw);
  lit_index_free(lx);
  free(lx);
  return fw.found;
}

static bool query_matches(mstate *ms, const cquery *cq, TSNode scope, bool (*want)(TSNode, TSNode),
                          TSNode arg) {
  if (!could_match(ms, cq, scope))
    return false;
  if (same(scope, ms->root)) {
    bool done, found = file_matches_walk(ms, cq, want, arg, &done);
    if (done)
      return found;
  }
  return cursor_matches(ms, cq, scope, want, arg);
}

/* The query cursor over scope (query_matches without the prefilter and the walk). */
static bool cursor_matches(mstate *ms, const cquery *cq, TSNode scope, bool (*want)(TSNode, TSNode),
                           TSNode arg) {
  TSQueryCursor *cur = ts_query_cursor_new();
  if (!cur)
    return false;
  ts_query_cursor_set_match_limit(cur, CURSOR_LIMIT);
  ts_query_cursor_exec(cur, cq->q, scope);
  TSQueryMatch m;
  bool found = false;
  while (!found && ts_query_cursor_next_match(cur, &m)) {
    if (m.pattern_index >= cq->npats || !preds_hold(ms, &cq->pats[m.pattern_index], &m))
      continue;
    if (!want) {
      found = true;
      break;
    }
    for (uint16_t i = 0; i < m.capture_count && !found; i++)
      found = want(m.captures[i].node, arg);
  }
  ts_query_cursor_delete(cur);
  return found;
}

/* Fills fc with the nodes the matches of cq in scope capture (at most 65536: past that, too_many). */
static void capture_nodes(mstate *ms, const cquery *cq, TSNode scope, fcache *fc) {
  fc->have_nodes = true;
  if (!could_match(ms, cq, scope))
    return;
  TSQueryCursor *cur = ts_query_cursor_new();
  if (!cur) {
    fc->too_many = true;
    return;
  }
  ts_query_cursor_set_match_limit(cur, CURSOR_LIMIT);
  ts_query_cursor_exec(cur, cq->q, scope);
  TSQueryMatch m;
  uint32_t cap = 0;
  while (!fc->too_many && ts_query_cursor_next_match(cur, &m)) {
    if (m.pattern_index >= cq->npats || !preds_hold(ms, &cq->pats[m.pattern_index], &m))
      continue;
    for (uint16_t i = 0; i < m.capture_count && !fc->too_many; i++) {
      if (fc->n == cap) {
        cap = cap ? cap * 2 : 16;
        TSNode *nv = cap <= 65536 ? realloc(fc->nodes, cap * sizeof *nv) : NULL;
        if (!nv) {
          fc->too_many = true;
          break;
        }
        fc->nodes = nv;
      }
      fc->nodes[fc->n++] = m.captures[i].node;
    }
  }
  ts_query_cursor_delete(cur);
}

static bool is_func(int l, TSNode n) {
  const char *t = ts_node_type(n);
  if (l == 0)
    return strcmp(t, "function_declaration") == 0 || strcmp(t, "method_declaration") == 0 ||
           strcmp(t, "func_literal") == 0;
  return strcmp(t, "function_definition") == 0 || strcmp(t, "lambda_expression") == 0;
}

/* a strictly contains b (an ancestor) */
static bool contains(TSNode a, TSNode b) {
  return ts_node_start_byte(a) <= ts_node_start_byte(b) && ts_node_end_byte(a) >= ts_node_end_byte(b) &&
         !same(a, b);
}
static bool is_ancestor_of(TSNode cand, TSNode rep) { return contains(cand, rep); }
static bool is_descendant_of(TSNode cand, TSNode rep) { return contains(rep, cand); }

static bool kind_is(TSNode n, const char *kind) { return strcmp(ts_node_type(n), kind) == 0; }

/* Is some descendant of n of kind? (depth-first with a cursor, bounded by the tree) */
static bool has_kind(TSNode n, const char *kind) {
  TSTreeCursor c = ts_tree_cursor_new(n);
  bool found = false;
  if (ts_tree_cursor_goto_first_child(&c)) {
    for (;;) {
      if (kind_is(ts_tree_cursor_current_node(&c), kind)) {
        found = true;
        break;
      }
      if (ts_tree_cursor_goto_first_child(&c))
        continue;
      while (!ts_tree_cursor_goto_next_sibling(&c)) {
        if (!ts_tree_cursor_goto_parent(&c))
          goto done;
        if (same(ts_tree_cursor_current_node(&c), n))
          goto done;
      }
    }
  }
done:
  ts_tree_cursor_delete(&c);
  return found;
}

/* Fills ms->chain with the nodes from the root down to rep (nchain 0 when it is deeper than
 * MAX_CHAIN or rep is not found). */
static void build_chain(mstate *ms, TSNode rep) {
  ms->nchain = 0;
  uint32_t s = ts_node_start_byte(rep), e = ts_node_end_byte(rep);
  TSTreeCursor c = ts_tree_cursor_new(ms->root);
  uint32_t n = 0;
  for (;;) {
    TSNode cur = ts_tree_cursor_current_node(&c);
    if (n == MAX_CHAIN)
      break;
    ms->chain[n++] = cur;
    if (same(cur, rep)) {
      ms->nchain = n;
      break;
    }
    if (ts_tree_cursor_goto_first_child_for_byte(&c, s) < 0)
      break;
    /* the child holding rep may come after zero-width or adjacent siblings */
    for (;;) {
      TSNode k = ts_tree_cursor_current_node(&c);
      if (ts_node_start_byte(k) > s)
        goto done;
      if (ts_node_end_byte(k) >= e && ts_node_start_byte(k) <= s &&
          (ts_node_end_byte(k) > ts_node_start_byte(k) || s == e))
        break;
      if (!ts_tree_cursor_goto_next_sibling(&c))
        goto done;
    }
  }
done:
  ts_tree_cursor_delete(&c);
}

/* The i-th ancestor of rep (0: its parent), or a null node. */
static TSNode ancestor(mstate *ms, TSNode rep, uint32_t i, TSNode *walk) {
  if (ms->nchain)
    return i + 1 < ms->nchain ? ms->chain[ms->nchain - 2 - i] : (TSNode){0};
  *walk = ts_node_parent(i == 0 ? rep : *walk);
  return *walk;
}

static TSNode enclosing_func(mstate *ms, int l, TSNode n) {
  TSNode w = n;
  for (uint32_t i = 0;; i++) {
    TSNode p = ancestor(ms, n, i, &w);
    if (ts_node_is_null(p))
      return p;
    if (is_func(l, p))
      return p;
  }
}

static bool alt_holds(mstate *ms, const pk_rule *r, cond_kind k, const alt *a, TSNode rep) {
  int l = ms->l;
  switch (k) {
  case C_INSIDE:
  case C_NOT_INSIDE:
    if (a->kind) {
      TSNode w = rep;
      for (uint32_t i = 0;; i++) {
        TSNode p = ancestor(ms, rep, i, &w);
        if (ts_node_is_null(p))
          break;
        if (kind_is(p, a->kind))
          return true;
        if (!r->stop_at_file && is_func(l, p))
          return false;
      }
      return false;
    } else {
      TSNode scope = r->stop_at_file ? ms->root : enclosing_func(ms, l, rep);
      if (ts_node_is_null(scope))
        scope = ms->root;
      /* per alternative: the file's captured nodes, then those of the last function asked about (the
       * candidates of one function share them) */
      fcache *fc = NULL;
      if (ms->file_cache && same(scope, ms->root)) {
        fc = &ms->file_cache[2 * a->id];
      } else if (ms->file_cache) {
        fc = &ms->file_cache[2 * a->id + 1];
        if (fc->have_nodes && !same(fc->scope, scope)) {
          free(fc->nodes);
          *fc = (fcache){0};
        }
        fc->scope = scope;
      }
      if (fc && !fc->have_nodes)
        capture_nodes(ms, &a->q[l], scope, fc);
      if (!fc || fc->too_many)
        return query_matches(ms, &a->q[l], scope, is_ancestor_of, rep);
      for (uint32_t i = 0; i < fc->n; i++)
        if (is_ancestor_of(fc->nodes[i], rep))
          return true;
      return false;
    }
  case C_HAS:
  case C_NOT_HAS:
    if (a->kind)
      return has_kind(rep, a->kind);
    return query_matches(ms, &a->q[l], rep, is_descendant_of, rep);
  case C_IN_FUNC:
  case C_NOT_IN_FUNC: {
    TSNode f = enclosing_func(ms, l, rep);
    return !ts_node_is_null(f) && query_matches(ms, &a->q[l], f, NULL, rep);
  }
  case C_IN_FILE:
  case C_NOT_IN_FILE:
    if (!ms->file_cache)
      return query_matches(ms, &a->q[l], ms->root, NULL, rep);
    if (!ms->file_cache[2 * a->id].in_file)
      ms->file_cache[2 * a->id].in_file = query_matches(ms, &a->q[l], ms->root, NULL, rep) ? 1 : -1;
    return ms->file_cache[2 * a->id].in_file > 0;
  default:
    return false;
  }
}

static bool cond_holds(mstate *ms, const pk_rule *r, const cond *c, TSNode rep) {
  bool any = false;
  for (size_t a = 0; a < c->nalts && !any; a++)
    any = alt_holds(ms, r, c->kind, &c->alts[a], rep);
  return any == (c->kind % 2 == 0);
}

/* All conditions, the cheap ones first: file-wide answers are cached per file, so a rule with
 * `not-in-file-with` rejects a whole file's candidates at once. */
static bool conds_hold(mstate *ms, const pk_rule *r, TSNode rep) {
  ms->nchain = 0;
  bool upward = false;
  for (size_t i = 0; i < r->nconds; i++) {
    const cond *c = &r->conds[i];
    if ((c->kind == C_IN_FILE || c->kind == C_NOT_IN_FILE) && !cond_holds(ms, r, c, rep))
      return false;
    upward |= c->kind <= C_NOT_INSIDE || c->kind == C_IN_FUNC || c->kind == C_NOT_IN_FUNC;
  }
  if (upward)
    build_chain(ms, rep);
  for (size_t i = 0; i < r->nconds; i++)
    if (r->conds[i].kind != C_IN_FILE && r->conds[i].kind != C_NOT_IN_FILE &&
        !cond_holds(ms, r, &r->conds[i], rep))
      return false;
  return true;
}

/* Renders template t with the captures of m into b; in a message (oneline) each capture is collapsed
 * to one line of at most MSG_CAPTURE characters. */
static omen_status render(mstate *ms, const char *t, bool oneline, omen_buf *b) {
  omen_buf_reset(b);
  omen_status s = omen_buf_add(b, "", 0);
  for (const char *p = t; *p && s == OMEN_OK;) {
    const char *o = strstr(p, "{{");
    if (!o) {
      s = omen_buf_adds(b, p);
      break;
    }
    const char *ns = o + 2, *ne = ns;
    while (name_start(*ns) && name_char(*ne))
      ne++;
    TSNode n;
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(ne - ns), ns);
    if (ne == ns || ne[0] != '}' || ne[1] != '}' || !capture_by_name(ms->cq->q, ms->m, name, &n)) {
      s = omen_buf_add(b, p, (size_t)(o - p) + 2);
      p = o + 2;
      continue;
    }
    s = omen_buf_add(b, p, (size_t)(o - p));
    uint32_t a = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > ms->len)
      e = a = 0;
    if (!oneline) {
      if (s == OMEN_OK)
        s = omen_buf_add(b, ms->text + a, e - a);
    } else {
      size_t chars = 0;
      bool space = false;
      for (uint32_t i = a; i < e && s == OMEN_OK; i++) {
        char c = ms->text[i];
        bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (ws) {
          space = true;
          continue;
        }
        if (((unsigned char)c & 0xC0) != 0x80 && chars + (space ? 1 : 0) >= MSG_CAPTURE) {
          s = omen_buf_adds(b, "...");
          break;
        }
        if (space && chars) {
          s = omen_buf_addc(b, ' ');
          chars++;
        }
        space = false;
        if (((unsigned char)c & 0xC0) != 0x80)
          chars++;
        if (s == OMEN_OK)
          s = omen_buf_addc(b, c);
      }
    }
    p = ne + 2;
  }
  return s;
}

static omen_status report_match(mstate *ms, const pk_rule *r, const pattern *pat,
                                omen_status (*hit)(void *, const omen_pack_hit *), void *ctx, omen_buf *msg,
                                omen_buf *fix, omen_buf *fixmsg) {
  (void)pat;
  const TSQueryMatch *m = ms->m;
  TSNode rep;
  if (r->report ? !capture_by_name(ms->cq->q, m, r->report, &rep) : m->capture_count == 0)
    return OMEN_OK;
  if (!r->report) {    /* the first capture of the pattern: the one that starts first, outermost */
    bool have = false; /* the root capture the engine adds does not count */
    for (uint16_t i = 0; i < m->capture_count; i++) {
      TSNode n = m->captures[i].node;
      if (m->captures[i].index == ms->cq->root_cap)
        continue;
      if (!have || ts_node_start_byte(n) < ts_node_start_byte(rep) ||
          (ts_node_start_byte(n) == ts_node_start_byte(rep) && ts_node_end_byte(n) > ts_node_end_byte(rep)))
        rep = n;
      have = true;
    }
    if (!have)
      return OMEN_OK;
  }
  if (!conds_hold(ms, r, rep))
    return OMEN_OK;
  omen_status s = render(ms, r->message, true, msg);
  if (s != OMEN_OK)
    return s;
  omen_pack_hit h = {
      .rule = &r->r, .start = ts_node_start_byte(rep), .end = ts_node_end_byte(rep), .message = msg->data};
  if (r->has_fix) {
    TSNode target = rep;
    if (r->fix_replace && !capture_by_name(ms->cq->q, m, r->fix_replace, &target))
      target = (TSNode){0};
    if (!ts_node_is_null(target)) {
      if ((s = render(ms, r->fix_with, false, fix)) != OMEN_OK)
        return s;
      if (r->fix_message && (s = render(ms, r->fix_message, true, fixmsg)) != OMEN_OK)
        return s;
      h.has_fix = true;
      h.applicability = r->fix_app;
      h.fix_message = r->fix_message ? fixmsg->data : "apply the rule's replacement";
      h.fix_start = ts_node_start_byte(target);
      h.fix_end = ts_node_end_byte(target);
      h.fix_text = fix->data;
    }
  }
  return hit(ctx, &h);
}

/* Runs cq (patterns mapped to rules; own: every pattern is rule own) over scope, a node of the tree
 * rooted at root, with cursor cur. With only set, a match counts only when its pattern's root is
 * *only (matches below it are found from their own candidate node). */
static omen_status run_query(TSQueryCursor *cur, const cquery *cq, pk_rule *own, int l, TSNode root,
                             TSNode scope, const TSNode *only, fcache *file_cache, const char *text,
                             uint32_t len, omen_status (*hit)(void *, const omen_pack_hit *), void *ctx,
                             omen_pack_stats *stats) {
  ts_query_cursor_exec(cur, cq->q, scope);
  mstate ms = {
      .text = text, .len = len, .cq = cq, .stats = stats, .root = root, .l = l, .file_cache = file_cache};
  omen_buf msg, fix, fixmsg;
  omen_buf_init(&msg, MAX_OUT);
  omen_buf_init(&fix, MAX_OUT);
  omen_buf_init(&fixmsg, MAX_OUT);
  omen_status s = OMEN_OK;
  TSQueryMatch m;
  while (s == OMEN_OK && ts_query_cursor_next_match(cur, &m)) {
    if (m.pattern_index >= cq->npats)
      continue;
    TSNode rn;
    if (only && !(capture_node(&m, cq->root_cap, &rn) && same(rn, *only)))
      continue;
    const pattern *pat = &cq->pats[m.pattern_index];
    if (stats)
      stats->candidates++;
    if (!preds_hold(&ms, pat, &m))
      continue;
    ms.m = &m;
    s = report_match(&ms, own ? own : pat->rule, pat, hit, ctx, &msg, &fix, &fixmsg);
    if (s == OMEN_ELIMIT) /* a message or fix over the cap: skip the finding */
      s = OMEN_OK;
  }
  if (stats && ts_query_cursor_did_exceed_match_limit(cur))
    stats->limits++;
  omen_buf_free(&msg);
  omen_buf_free(&fix);
  omen_buf_free(&fixmsg);
  return s;
}

typedef struct match_walk {
  TSQueryCursor *cur;
  const cquery *cq;
  int l;
  TSNode root;
  fcache *fc;
  const char *text;
  uint32_t len;
  omen_status (*hit)(void *, const omen_pack_hit *);
  void *ctx;
  omen_pack_stats *stats;
  omen_status s;
} match_walk;

static bool match_walk_visit(TSNode n, TSNode scope, void *arg) {
  match_walk *mw = arg;
  mw->s = run_query(mw->cur, mw->cq, NULL, mw->l, mw->root, scope, &n, mw->fc, mw->text, mw->len, mw->hit,
                    mw->ctx, mw->stats);
  return mw->s == OMEN_OK;
}

omen_status omen_pack_match(const omen_pack *pk, unsigned lang, TSNode root, const char *text, uint32_t len,
                            omen_status (*hit)(void *ctx, const omen_pack_hit *h), void *ctx,
                            omen_pack_stats *stats) {
  int l = lang_index(lang);
  if (l < 0 || !pk || !pk->compiled || (!pk->all[l].q && !pk->wide[l].q))
    return OMEN_OK;
  TSQueryCursor *cur = ts_query_cursor_new();
  fcache *fc = calloc(2 * pk->nalts + 1, sizeof *fc); /* per alternative: file, then function */
  if (!cur || !fc) {
    if (cur)
      ts_query_cursor_delete(cur);
    free(fc);
    return OMEN_ENOMEM;
  }
  ts_query_cursor_set_match_limit(cur, CURSOR_LIMIT);
  omen_status s = OMEN_OK;
  if (pk->wide[l].q)
    s = run_query(cur, &pk->wide[l], NULL, l, root, root, NULL, fc, text, len, hit, ctx, stats);
  const cquery *cq = &pk->all[l];
  lit_index *lx = cq->q ? malloc(sizeof *lx) : NULL;
  if (lx)
    lit_index_build(lx, cq, text, len);
  bool indexed = lx && lx->ok;
  bool any = false; /* does the file hold the literals of some pattern? */
  if (indexed)
    any = range_may_hold(lx, cq, 0, len);
  for (uint32_t i = 0; !indexed && cq->q && i < cq->npats && !any; i++)
    any = pattern_literals_in(&cq->pats[i], text, len);
  if (s == OMEN_OK && any) {
    match_walk mw = {.cur = cur,
                     .cq = cq,
                     .l = l,
                     .root = root,
                     .fc = fc,
                     .text = text,
                     .len = len,
                     .hit = hit,
                     .ctx = ctx,
                     .stats = stats};
    walk_candidates(indexed ? lx : NULL, cq, root, text, len, pk->kind_of_sym[l],
                    ts_language_symbol_count(omen_pack_language(lang)), match_walk_visit, &mw);
    s = mw.s;
  }
  if (lx) {
    lit_index_free(lx);
    free(lx);
  }
  ts_query_cursor_delete(cur);
  for (uint32_t i = 0; i < 2 * pk->nalts; i++)
    free(fc[i].nodes);
  free(fc);
  return s;
}

omen_status omen_pack_match_each(const omen_pack *pk, unsigned lang, TSNode root, const char *text,
                                 uint32_t len, omen_status (*hit)(void *ctx, const omen_pack_hit *h),
                                 void *ctx) {
  int l = lang_index(lang);
  TSQueryCursor *cur = l >= 0 && pk ? ts_query_cursor_new() : NULL;
  if (!cur)
    return l >= 0 && pk ? OMEN_ENOMEM : OMEN_OK;
  ts_query_cursor_set_match_limit(cur, CURSOR_LIMIT);
  omen_status s = OMEN_OK;
  for (size_t i = 0; i < pk->n && s == OMEN_OK; i++)
    if (pk->rules[i]->own[l].q)
      s = run_query(cur, &pk->rules[i]->own[l], pk->rules[i], l, root, root, NULL, NULL, text, len, hit, ctx,
                    NULL);
  ts_query_cursor_delete(cur);
  return s;
}

/* ---------- omen rules test ---------- */

typedef struct edit {
  uint32_t start, end;
  char *text;
} edit;

typedef struct collect {
  size_t n;
  edit *edits;
  size_t nedits;
} collect;

static omen_status collect_hit(void *ctx, const omen_pack_hit *h) {
  collect *c = ctx;
  c->n++;
  if (!h->has_fix)
    return OMEN_OK;
  for (size_t i = 0; i < c->nedits; i++) /* overlapping fixes: the first wins, as omen fix does */
    if (h->fix_start < c->edits[i].end && c->edits[i].start < h->fix_end)
      return OMEN_OK;
  edit *nv = realloc(c->edits, (c->nedits + 1) * sizeof *nv);
  char *t = strdup(h->fix_text);
  if (!nv || !t) {
    free(t);
    if (nv)
      c->edits = nv;
    return OMEN_ENOMEM;
  }
  c->edits = nv;
  c->edits[c->nedits++] = (edit){h->fix_start, h->fix_end, t};
  return OMEN_OK;
}

static int cmp_edit(const void *a, const void *b) {
  const edit *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

static char *apply_edits(const char *text, edit *e, size_t n) {
  qsort(e, n, sizeof *e, cmp_edit);
  omen_buf b;
  omen_buf_init(&b, 0);
  uint32_t at = 0;
  for (size_t i = 0; i < n; i++) {
    omen_buf_add(&b, text + at, e[i].start - at);
    omen_buf_adds(&b, e[i].text);
    at = e[i].end;
  }
  omen_buf_adds(&b, text + at);
  return omen_buf_take(&b);
}

omen_status omen_pack_test(omen_pack *pk, FILE *out, bool verbose, size_t *nrules, size_t *failures) {
  *failures = 0;
  *nrules = pk->n;
  TSParser *parser = ts_parser_new();
  TSQueryCursor *cur = ts_query_cursor_new();
  if (!parser || !cur) {
    ts_parser_delete(parser);
    if (cur)
      ts_query_cursor_delete(cur);
    return OMEN_ENOMEM;
  }
  ts_query_cursor_set_match_limit(cur, CURSOR_LIMIT);
  ts_parser_set_timeout_micros(parser, 10 * 1000 * 1000);
  omen_status s = OMEN_OK;
  for (size_t i = 0; i < pk->n && s == OMEN_OK; i++) {
    pk_rule *r = pk->rules[i];
    size_t before = *failures;
    if (r->nexamples == 0) {
      fprintf(out, "%s:%u: %s: no examples: give at least one bad and one good\n", r->path, r->line, r->r.id);
      (*failures)++;
    }
    for (int l = 0; l < NLANG && s == OMEN_OK; l++) {
      if (!(r->langs & lang_bit[l]))
        continue;
      ts_parser_set_language(parser, omen_pack_language(lang_bit[l]));
      for (size_t k = 0; k < r->nexamples && s == OMEN_OK; k++) {
        example *ex = &r->examples[k];
        const char *t = ex->bad ? ex->bad : ex->good;
        TSTree *tree = ts_parser_parse_string(parser, NULL, t, (uint32_t)strlen(t));
        if (!tree) {
          fprintf(out, "%s:%u: %s: example could not be parsed in time (%s)\n", r->path, ex->line, r->r.id,
                  lang_name[l]);
          (*failures)++;
          continue;
        }
        collect c = {0};
        omen_pack_stats st = {0};
        s = run_query(cur, &r->own[l], r, l, ts_tree_root_node(tree), ts_tree_root_node(tree), NULL, NULL, t,
                      (uint32_t)strlen(t), collect_hit, &c, &st);
        if (st.limits)
          fprintf(out, "%s:%u: %s: a regex or the query hit its limit (%zu time%s): treated as no match\n",
                  r->path, ex->line, r->r.id, st.limits, st.limits == 1 ? "" : "s");
        if (ts_node_has_error(ts_tree_root_node(tree)))
          fprintf(out, "%s:%u: %s: note: the example has syntax errors (%s grammar)\n", r->path, ex->line,
                  r->r.id, lang_name[l]);
        if (ex->bad && c.n == 0) {
          fprintf(out, "%s:%u: %s: bad example does not match (%s)\n", r->path, ex->line, r->r.id,
                  lang_name[l]);
          (*failures)++;
        } else if (ex->good && c.n) {
          fprintf(out, "%s:%u: %s: good example matches %zu time%s (%s)\n", r->path, ex->line, r->r.id, c.n,
                  c.n == 1 ? "" : "s", lang_name[l]);
          (*failures)++;
        } else if (ex->fixed && s == OMEN_OK) {
          char *got = apply_edits(t, c.edits, c.nedits);
          if (!got) {
            s = OMEN_ENOMEM;
          } else if (strcmp(got, ex->fixed) != 0) {
            fprintf(out, "%s:%u: %s: the fix gives:\n%s\n--- expected (fixed):\n%s\n", r->path, ex->line,
                    r->r.id, got, ex->fixed);
            (*failures)++;
          }
          free(got);
        }
        for (size_t e = 0; e < c.nedits; e++)
          free(c.edits[e].text);
        free(c.edits);
        ts_tree_delete(tree);
      }
    }
    if (verbose && *failures == before)
      fprintf(out, "ok   %s (%zu example%s)\n", r->r.id, r->nexamples, r->nexamples == 1 ? "" : "s");
  }
  ts_parser_delete(parser);
  ts_query_cursor_delete(cur);
  return s;
}

/* ---------- the process-wide pack ---------- */

static pthread_mutex_t global_mu = PTHREAD_MUTEX_INITIALIZER;
static omen_pack *global_pack;
static _Atomic(const omen_pack *) global_active;
static char **global_paths;
static size_t nglobal_paths;

static void global_free(void) {
  omen_pack_free(global_pack);
  for (size_t i = 0; i < nglobal_paths; i++)
    free(global_paths[i]);
  free(global_paths);
}

omen_status omen_rulepack_add(const char *path, char *err, size_t errlen) {
  char *real = realpath(path, NULL);
  if (!real) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return OMEN_EIO;
  }
  pthread_mutex_lock(&global_mu);
  omen_status s = OMEN_OK;
  for (size_t i = 0; i < nglobal_paths; i++)
    if (strcmp(global_paths[i], real) == 0) {
      free(real);
      pthread_mutex_unlock(&global_mu);
      return OMEN_OK;
    }
  if (!global_pack) {
    global_pack = omen_pack_new();
    if (!global_pack)
      s = OMEN_ENOMEM;
    else
      atexit(global_free);
  }
  /* Rules already published stay valid: a pack only grows, and the combined queries are rebuilt
   * before any run uses them (this is called before a check starts). */
  if (s == OMEN_OK)
    s = omen_pack_load(global_pack, path, err, errlen);
  if (s == OMEN_OK)
    s = omen_pack_compile(global_pack, err, errlen);
  char **nv = s == OMEN_OK ? realloc(global_paths, (nglobal_paths + 1) * sizeof *nv) : NULL;
  if (nv) {
    global_paths = nv;
    global_paths[nglobal_paths++] = real;
    real = NULL;
  }
  free(real);
  if (global_pack && global_pack->n)
    atomic_store(&global_active, global_pack);
  omen_rules_changed();
  pthread_mutex_unlock(&global_mu);
  return s;
}

const omen_pack *omen_rulepack_active(void) { return atomic_load(&global_active); }

const char *omen_rulepack_default_dir(void) {
  static char found[PATH_MAX + 64];
  struct stat st;
  const char *env = getenv("OMEN_RULES_DIR");
  if (env && *env)
    return stat(env, &st) == 0 ? env : NULL;
#ifdef OMEN_INSTALL_RULES_DIR
  char exe[PATH_MAX - 64];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0'; /* EXE_DIR/../share/omen/rules: an installed omen wherever its prefix is */
      snprintf(found, sizeof found, "%s/../%s", exe, OMEN_INSTALL_RULES_DIR);
      if (stat(found, &st) == 0 && S_ISDIR(st.st_mode))
        return found;
#ifdef OMEN_BUILD_DIR
      if (strcmp(exe, OMEN_BUILD_DIR) == 0 && stat(OMEN_SOURCE_RULES_DIR, &st) == 0 && S_ISDIR(st.st_mode))
        return OMEN_SOURCE_RULES_DIR;
#endif
    }
  }
#endif
  return NULL;
}
