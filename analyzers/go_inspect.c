/* go_inspect.c - base analyzer: one cursor walk over a Go unit, collecting the sites later analyzers
 * need (functions, go/defer, calls with their callee text, literals, selectors, channel operations)
 * and the top-level declarations; node kinds by symbol id instead of type-name strings. */
#include "go_inspect.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---------- node kinds and fields by id ---------- */

static const char *const node_names[GO_NODE_NKINDS] = {
    [GO_NODE_ARGUMENT_LIST] = "argument_list",
    [GO_NODE_ARRAY_TYPE] = "array_type",
    [GO_NODE_ASSIGNMENT_STATEMENT] = "assignment_statement",
    [GO_NODE_BINARY_EXPRESSION] = "binary_expression",
    [GO_NODE_BLANK_IDENTIFIER] = "blank_identifier",
    [GO_NODE_BLOCK] = "block",
    [GO_NODE_BREAK_STATEMENT] = "break_statement",
    [GO_NODE_CALL_EXPRESSION] = "call_expression",
    [GO_NODE_CHANNEL_TYPE] = "channel_type",
    [GO_NODE_COMMENT] = "comment",
    [GO_NODE_COMMUNICATION_CASE] = "communication_case",
    [GO_NODE_COMPOSITE_LITERAL] = "composite_literal",
    [GO_NODE_CONST_DECLARATION] = "const_declaration",
    [GO_NODE_CONST_SPEC] = "const_spec",
    [GO_NODE_CONTINUE_STATEMENT] = "continue_statement",
    [GO_NODE_DEFAULT_CASE] = "default_case",
    [GO_NODE_DEFER_STATEMENT] = "defer_statement",
    [GO_NODE_DOT] = "dot",
    [GO_NODE_ERROR] = "ERROR",
    [GO_NODE_EXPRESSION_CASE] = "expression_case",
    [GO_NODE_EXPRESSION_LIST] = "expression_list",
    [GO_NODE_EXPRESSION_SWITCH_STATEMENT] = "expression_switch_statement",
    [GO_NODE_EXPRESSION_STATEMENT] = "expression_statement",
    [GO_NODE_FALSE] = "false",
    [GO_NODE_FALLTHROUGH_STATEMENT] = "fallthrough_statement",
    [GO_NODE_FIELD_DECLARATION] = "field_declaration",
    [GO_NODE_FIELD_IDENTIFIER] = "field_identifier",
    [GO_NODE_FLOAT_LITERAL] = "float_literal",
    [GO_NODE_FOR_CLAUSE] = "for_clause",
    [GO_NODE_FOR_STATEMENT] = "for_statement",
    [GO_NODE_FUNC_LITERAL] = "func_literal",
    [GO_NODE_FUNCTION_DECLARATION] = "function_declaration",
    [GO_NODE_FUNCTION_TYPE] = "function_type",
    [GO_NODE_GENERIC_TYPE] = "generic_type",
    [GO_NODE_GO_STATEMENT] = "go_statement",
    [GO_NODE_GOTO_STATEMENT] = "goto_statement",
    [GO_NODE_IDENTIFIER] = "identifier",
    [GO_NODE_IF_STATEMENT] = "if_statement",
    [GO_NODE_IMAGINARY_LITERAL] = "imaginary_literal",
    [GO_NODE_IMPLICIT_LENGTH_ARRAY_TYPE] = "implicit_length_array_type",
    [GO_NODE_IMPORT_DECLARATION] = "import_declaration",
    [GO_NODE_IMPORT_SPEC] = "import_spec",
    [GO_NODE_IMPORT_SPEC_LIST] = "import_spec_list",
    [GO_NODE_INDEX_EXPRESSION] = "index_expression",
    [GO_NODE_INT_LITERAL] = "int_literal",
    [GO_NODE_INTERFACE_TYPE] = "interface_type",
    [GO_NODE_INTERPRETED_STRING_LITERAL] = "interpreted_string_literal",
    [GO_NODE_IOTA] = "iota",
    [GO_NODE_KEYED_ELEMENT] = "keyed_element",
    [GO_NODE_LABEL_NAME] = "label_name",
    [GO_NODE_LABELED_STATEMENT] = "labeled_statement",
    [GO_NODE_LITERAL_ELEMENT] = "literal_element",
    [GO_NODE_LITERAL_VALUE] = "literal_value",
    [GO_NODE_MAP_TYPE] = "map_type",
    [GO_NODE_METHOD_DECLARATION] = "method_declaration",
    [GO_NODE_METHOD_ELEM] = "method_elem",
    [GO_NODE_NIL] = "nil",
    [GO_NODE_PACKAGE_IDENTIFIER] = "package_identifier",
    [GO_NODE_PARAMETER_DECLARATION] = "parameter_declaration",
    [GO_NODE_PARAMETER_LIST] = "parameter_list",
    [GO_NODE_PARENTHESIZED_EXPRESSION] = "parenthesized_expression",
    [GO_NODE_PARENTHESIZED_TYPE] = "parenthesized_type",
    [GO_NODE_POINTER_TYPE] = "pointer_type",
    [GO_NODE_QUALIFIED_TYPE] = "qualified_type",
    [GO_NODE_RANGE_CLAUSE] = "range_clause",
    [GO_NODE_RAW_STRING_LITERAL] = "raw_string_literal",
    [GO_NODE_RECEIVE_STATEMENT] = "receive_statement",
    [GO_NODE_RETURN_STATEMENT] = "return_statement",
    [GO_NODE_RUNE_LITERAL] = "rune_literal",
    [GO_NODE_SELECT_STATEMENT] = "select_statement",
    [GO_NODE_SELECTOR_EXPRESSION] = "selector_expression",
    [GO_NODE_SEND_STATEMENT] = "send_statement",
    [GO_NODE_SHORT_VAR_DECLARATION] = "short_var_declaration",
    [GO_NODE_SLICE_EXPRESSION] = "slice_expression",
    [GO_NODE_SLICE_TYPE] = "slice_type",
    [GO_NODE_STRUCT_TYPE] = "struct_type",
    [GO_NODE_TRUE] = "true",
    [GO_NODE_TYPE_ALIAS] = "type_alias",
    [GO_NODE_TYPE_ARGUMENTS] = "type_arguments",
    [GO_NODE_TYPE_ASSERTION_EXPRESSION] = "type_assertion_expression",
    [GO_NODE_TYPE_CASE] = "type_case",
    [GO_NODE_TYPE_CONVERSION_EXPRESSION] = "type_conversion_expression",
    [GO_NODE_TYPE_DECLARATION] = "type_declaration",
    [GO_NODE_TYPE_ELEM] = "type_elem",
    [GO_NODE_TYPE_IDENTIFIER] = "type_identifier",
    [GO_NODE_TYPE_PARAMETER_DECLARATION] = "type_parameter_declaration",
    [GO_NODE_TYPE_PARAMETER_LIST] = "type_parameter_list",
    [GO_NODE_TYPE_SPEC] = "type_spec",
    [GO_NODE_TYPE_SWITCH_STATEMENT] = "type_switch_statement",
    [GO_NODE_UNARY_EXPRESSION] = "unary_expression",
    [GO_NODE_VAR_DECLARATION] = "var_declaration",
    [GO_NODE_VAR_SPEC] = "var_spec",
    [GO_NODE_VAR_SPEC_LIST] = "var_spec_list",
    [GO_NODE_VARIADIC_PARAMETER_DECLARATION] = "variadic_parameter_declaration",
    [GO_NODE_TOK_AMP] = "&",
    [GO_NODE_TOK_ARROW] = "<-",
    [GO_NODE_TOK_DEFINE] = ":=",
};

static const char *const field_names[GO_F_NFIELDS] = {
    [GO_F_ALIAS] = "alias",
    [GO_F_ALTERNATIVE] = "alternative",
    [GO_F_ARGUMENTS] = "arguments",
    [GO_F_BODY] = "body",
    [GO_F_CHANNEL] = "channel",
    [GO_F_COMMUNICATION] = "communication",
    [GO_F_CONDITION] = "condition",
    [GO_F_CONSEQUENCE] = "consequence",
    [GO_F_ELEMENT] = "element",
    [GO_F_FIELD] = "field",
    [GO_F_FUNCTION] = "function",
    [GO_F_INITIALIZER] = "initializer",
    [GO_F_KEY] = "key",
    [GO_F_LABEL] = "label",
    [GO_F_LEFT] = "left",
    [GO_F_LENGTH] = "length",
    [GO_F_NAME] = "name",
    [GO_F_OPERAND] = "operand",
    [GO_F_OPERATOR] = "operator",
    [GO_F_PACKAGE] = "package",
    [GO_F_PARAMETERS] = "parameters",
    [GO_F_PATH] = "path",
    [GO_F_RECEIVER] = "receiver",
    [GO_F_RESULT] = "result",
    [GO_F_RIGHT] = "right",
    [GO_F_TYPE] = "type",
    [GO_F_TYPE_ARGUMENTS] = "type_arguments",
    [GO_F_TYPE_PARAMETERS] = "type_parameters",
    [GO_F_UPDATE] = "update",
    [GO_F_VALUE] = "value",
};

/* Symbol ids of the grammar (with aliases) below this are in the tables; larger ones (the error
 * symbol, or a grammar with more symbols) are looked up by name. */
enum { MAX_SYMBOLS = 1024 };
_Static_assert(GO_NODE_NKINDS <= 256, "go_node must fit the uint8_t table");

/* Per symbol id: its go_node, and whether the walk can skip its children (tokens, identifiers,
 * literals: nothing inside them is a site). Built once, read-only afterwards. */
static uint8_t sym_kind[MAX_SYMBOLS];
static bool sym_leaf[MAX_SYMBOLS];
/* types other than arrays: their subtrees hold no site and no name of a local in scope anywhere
 * (parameter names of a function type are not), so the walk does not enter them */
static bool sym_type[MAX_SYMBOLS];
static uint32_t nsyms;
static TSFieldId field_ids[GO_F_NFIELDS];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void init_tables(void) {
  const TSLanguage *lang = omen_go_language();
  uint32_t n = ts_language_symbol_count(lang);
  if (n > MAX_SYMBOLS)
    n = MAX_SYMBOLS;
  for (uint32_t s = 0; s < n; s++) {
    const char *name = ts_language_symbol_name(lang, (TSSymbol)s);
    if (!name)
      continue;
    for (int k = 1; k < GO_NODE_NKINDS; k++) {
      if (strcmp(name, node_names[k]) == 0) {
        sym_kind[s] = (uint8_t)k;
        break;
      }
    }
    TSSymbolType ty = ts_language_symbol_type(lang, (TSSymbol)s);
    switch (sym_kind[s]) {
    case GO_NODE_CHANNEL_TYPE:
    case GO_NODE_FUNCTION_TYPE:
    case GO_NODE_GENERIC_TYPE:
    case GO_NODE_IMPLICIT_LENGTH_ARRAY_TYPE:
    case GO_NODE_INTERFACE_TYPE:
    case GO_NODE_MAP_TYPE:
    case GO_NODE_PARENTHESIZED_TYPE:
    case GO_NODE_POINTER_TYPE:
    case GO_NODE_QUALIFIED_TYPE:
    case GO_NODE_SLICE_TYPE:
    case GO_NODE_STRUCT_TYPE:
    case GO_NODE_TYPE_ARGUMENTS:
      sym_type[s] = true;
      break;
    default:
      break;
    }
    switch (sym_kind[s]) {
    case GO_NODE_IDENTIFIER:
    case GO_NODE_FIELD_IDENTIFIER:
    case GO_NODE_TYPE_IDENTIFIER:
    case GO_NODE_PACKAGE_IDENTIFIER:
    case GO_NODE_LABEL_NAME:
    case GO_NODE_BLANK_IDENTIFIER:
    case GO_NODE_INT_LITERAL:
    case GO_NODE_FLOAT_LITERAL:
    case GO_NODE_IMAGINARY_LITERAL:
    case GO_NODE_RUNE_LITERAL:
    case GO_NODE_INTERPRETED_STRING_LITERAL:
    case GO_NODE_RAW_STRING_LITERAL:
    case GO_NODE_COMMENT:
    case GO_NODE_TRUE:
    case GO_NODE_FALSE:
    case GO_NODE_NIL:
    case GO_NODE_IOTA:
    case GO_NODE_DOT:
      sym_leaf[s] = true;
      break;
    default:
      sym_leaf[s] = ty == TSSymbolTypeAnonymous; /* tokens have no children */
      break;
    }
  }
  for (int f = 1; f < GO_F_NFIELDS; f++)
    field_ids[f] = ts_language_field_id_for_name(lang, field_names[f], (uint32_t)strlen(field_names[f]));
  nsyms = n;
}

static void ensure_tables(void) { pthread_once(&tables_once, init_tables); }

/* A symbol past the tables: by name. */
static go_node kind_by_name(TSNode n) {
  const char *name = ts_node_type(n);
  for (int k = 1; name && k < GO_NODE_NKINDS; k++)
    if (strcmp(name, node_names[k]) == 0)
      return (go_node)k;
  return GO_NODE_OTHER;
}

go_node go_node_kind(TSNode n) {
  if (ts_node_is_null(n))
    return GO_NODE_OTHER;
  ensure_tables();
  TSSymbol s = ts_node_symbol(n);
  return s < nsyms ? (go_node)sym_kind[s] : kind_by_name(n);
}

TSFieldId go_field_id(go_fid f) {
  if (f <= GO_F_NONE || f >= GO_F_NFIELDS)
    return 0;
  ensure_tables();
  return field_ids[f];
}

TSNode go_node_child(TSNode n, go_fid f) {
  if (ts_node_is_null(n))
    return n;
  return ts_node_child_by_field_id(n, go_field_id(f));
}

/* go_node_kind and go_node_child without the once-check: for the walk, which runs after ensure_tables. */
static inline go_node kind_of(TSNode n) {
  if (ts_node_is_null(n))
    return GO_NODE_OTHER;
  TSSymbol s = ts_node_symbol(n);
  return s < nsyms ? (go_node)sym_kind[s] : kind_by_name(n);
}

static inline TSNode child(TSNode n, go_fid f) { return ts_node_child_by_field_id(n, field_ids[f]); }

/* ---------- the walk ---------- */

typedef struct vec {
  go_site *v;
  size_t n, cap;
} vec;

/* Interned strings: equal texts share one arena copy. The table (open addressing, at most half
 * full) stops growing at INTERN_MAX_SLOTS; past that, strings are copied without sharing. */
enum { INTERN_MAX_SLOTS = 1 << 24 };
typedef struct intern_slot {
  const char *s;
  uint32_t hash, len;
} intern_slot;

typedef struct walker {
  omen_arena *arena;
  go_inspect *r;
  vec v[GO_SITE_NKINDS];
  const omen_file *f;
  uint32_t file;
  /* enclosing functions: index into v[GO_SITE_FUNC] and the cursor depth of the function node */
  int32_t *fidx;
  uint32_t *fdepth;
  size_t nf, capf;
  /* the current node at each cursor depth and its kind (its ancestors, for the parent of a
   * literal and the declaring position of a name) */
  TSNode *path;
  uint8_t *pkind;
  size_t cappath;
  intern_slot *tab;
  size_t ntab, captab; /* captab is a power of two */
  go_top *tops;
  size_t ntops, captops;
  /* names in declaring positions of locals (see go_inspect_maybe_local): interned pointers */
  const char **locals;
  size_t nlocals, caplocals; /* caplocals: a power of two */
  bool locals_unknown;       /* a tree with errors, or out of room: every name may be local */
  /* the same names with the function (index into v[GO_SITE_FUNC]) whose scope they are declared in */
  struct fdecl {
    int32_t func;
    const char *name;
  } *fdecls;
  size_t nfdecls, capfdecls;
  go_block_decl *bdecls; /* see go_inspect_block_decls; file 0 */
  size_t nbdecls, capbdecls;
} walker;

/* Per function: the names it declares (with repeats), sorted. */
struct go_inspect_names {
  const char **v;
  uint32_t n;
};

static TSNode unparen(TSNode n) {
  while (kind_of(n) == GO_NODE_PARENTHESIZED_EXPRESSION && ts_node_named_child_count(n) == 1)
    n = ts_node_named_child(n, 0);
  return n;
}

/* Room for one more site of kind k: NULL when out of memory (status set) or past the cap. */
static go_site *push(walker *w, go_site_kind k, TSNode node, uint32_t depth, omen_status *st) {
  vec *v = &w->v[k];
  if (v->n == v->cap) {
    if (v->cap >= GO_INSPECT_MAX_SITES) {
      w->r->truncated = true;
      return NULL;
    }
    size_t cap = v->cap ? v->cap * 2 : 64;
    go_site *nv = realloc(v->v, cap * sizeof *nv);
    if (!nv) {
      *st = OMEN_ENOMEM;
      return NULL;
    }
    v->v = nv;
    v->cap = cap;
  }
  go_site *s = &v->v[v->n++];
  memset(s, 0, sizeof *s);
  s->kind = k;
  s->file = w->file;
  s->node = node;
  if (depth > 0)
    s->parent = w->path[depth - 1];
  s->func_index = w->nf ? w->fidx[w->nf - 1] : -1;
  if (w->nf)
    s->func = w->v[GO_SITE_FUNC].v[s->func_index].node;
  return s;
}

static uint32_t hash_bytes(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* The arena copy of s[0..n) (up to a NUL, as a C string would end), shared by equal texts. */
static const char *intern(walker *w, const char *s, size_t n) {
  const char *nul = memchr(s, '\0', n);
  if (nul)
    n = (size_t)(nul - s);
  uint32_t h = hash_bytes(s, n);
  if (w->ntab * 2 >= w->captab) {
    if (w->captab >= INTERN_MAX_SLOTS)
      return omen_arena_strndup(w->arena, s, n);
    size_t cap = w->captab ? w->captab * 2 : 1024;
    intern_slot *nt = calloc(cap, sizeof *nt);
    if (!nt)
      return NULL;
    for (size_t i = 0; i < w->captab; i++) {
      if (!w->tab[i].s)
        continue;
      size_t j = w->tab[i].hash & (cap - 1);
      while (nt[j].s)
        j = (j + 1) & (cap - 1);
      nt[j] = w->tab[i];
    }
    free(w->tab);
    w->tab = nt;
    w->captab = cap;
  }
  size_t j = h & (w->captab - 1);
  while (w->tab[j].s) {
    if (w->tab[j].hash == h && w->tab[j].len == n && memcmp(w->tab[j].s, s, n) == 0)
      return w->tab[j].s;
    j = (j + 1) & (w->captab - 1);
  }
  char *c = omen_arena_strndup(w->arena, s, n);
  if (!c)
    return NULL;
  w->tab[j] = (intern_slot){c, h, (uint32_t)n};
  w->ntab++;
  return c;
}

static const char *text_of(walker *w, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b > w->f->len || a > b)
    return NULL;
  return intern(w, w->f->text + a, b - a);
}

size_t go_inspect_squash(char *dst, const char *src, size_t n) {
  size_t o = 0;
  bool space = false;
  for (size_t i = 0; i < n && src[i]; i++) {
    char c = src[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = o > 0;
      continue;
    }
    if (space)
      dst[o++] = ' ';
    space = false;
    dst[o++] = c;
  }
  return o;
}

/* Type text with whitespace runs collapsed to one space. */
static const char *type_text(walker *w, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b > w->f->len || a > b)
    return NULL;
  char stack[256];
  char *s = b - a < sizeof stack ? stack : malloc(b - a + 1);
  if (!s)
    return NULL;
  size_t o = go_inspect_squash(s, w->f->text + a, b - a);
  const char *out = intern(w, s, o);
  if (s != stack)
    free(s);
  return out;
}

static const char *last_segment(const char *s) {
  const char *dot = strrchr(s, '.');
  return dot ? dot + 1 : s;
}

typedef struct span {
  uint32_t a, b;
} span;

static span span_of(TSNode n) { return (span){ts_node_start_byte(n), ts_node_end_byte(n)}; }

static size_t append_span(walker *w, char *s, size_t o, span r) {
  if (r.b <= w->f->len && r.a <= r.b) {
    memcpy(s + o, w->f->text + r.a, r.b - r.a);
    o += r.b - r.a;
  }
  return o;
}

static bool ident_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The field of selector x, read off the source instead of looked up: an error-free selector ends
 * with its field token, so when the text ends in `.name` (ASCII, not starting with a digit) that
 * name is the field. false when the source does not show it plainly (then look the field up). */
static bool selector_field(walker *w, TSNode x, span *out) {
  uint32_t a = ts_node_start_byte(x), b = ts_node_end_byte(x);
  if (b > w->f->len || a >= b || ts_node_has_error(x))
    return false;
  const char *t = w->f->text;
  uint32_t i = b;
  while (i > a && ident_char(t[i - 1]))
    i--;
  if (i == b || i == a || t[i - 1] != '.' || (t[i] >= '0' && t[i] <= '9'))
    return false;
  *out = (span){i, b};
  return true;
}

/* "a.b.Method" for a callee expression; "?" for segments that are not identifier chains. */
static const char *callee_text(walker *w, TSNode fn) {
  span segs[GO_INSPECT_MAX_SEGMENTS];
  size_t n = 0;
  bool more = false;
  TSNode x = unparen(fn);
  while (kind_of(x) == GO_NODE_SELECTOR_EXPRESSION) {
    span fs;
    if (!selector_field(w, x, &fs)) {
      TSNode fl = child(x, GO_F_FIELD);
      if (ts_node_is_null(fl))
        break;
      fs = span_of(fl);
    }
    if (n == GO_INSPECT_MAX_SEGMENTS - 1) {
      more = true;
      break;
    }
    segs[n++] = fs;
    x = unparen(child(x, GO_F_OPERAND));
  }
  bool head = !more && kind_of(x) == GO_NODE_IDENTIFIER;
  size_t len = 2;
  for (size_t i = 0; i < n; i++)
    len += segs[i].b - segs[i].a + 1;
  if (head)
    len += ts_node_end_byte(x) - ts_node_start_byte(x);
  char stack[256];
  char *s = len < sizeof stack ? stack : malloc(len + 1);
  if (!s)
    return NULL;
  size_t o = 0;
  if (head)
    o = append_span(w, s, o, span_of(x));
  else
    s[o++] = '?';
  for (size_t i = n; i > 0; i--) {
    s[o++] = '.';
    o = append_span(w, s, o, segs[i - 1]);
  }
  const char *out = intern(w, s, o);
  if (s != stack)
    free(s);
  return out;
}

bool go_inspect_is_sync_name(const char *name) {
  static const char *const verbs[] = {"Lock",     "Unlock", "RLock", "RUnlock", "TryLock",
                                      "TryRLock", "Wait",   "Add",   "Done",    NULL};
  if (!name)
    return false;
  switch (name[0]) {
  case 'L':
  case 'U':
  case 'R':
  case 'T':
  case 'W':
  case 'A':
  case 'D':
    break;
  default:
    return false;
  }
  for (size_t i = 0; verbs[i]; i++)
    if (strcmp(name, verbs[i]) == 0)
      return true;
  return false;
}

/* Receiver base type name of a method_declaration. */
static omen_status receiver(walker *w, TSNode m, go_site *s) {
  TSNode pl = child(m, GO_F_RECEIVER);
  if (ts_node_is_null(pl) || ts_node_named_child_count(pl) == 0)
    return OMEN_OK;
  TSNode pd = ts_node_named_child(pl, 0);
  TSNode t = child(pd, GO_F_TYPE);
  while (kind_of(t) == GO_NODE_PARENTHESIZED_TYPE && ts_node_named_child_count(t) == 1)
    t = ts_node_named_child(t, 0);
  if (kind_of(t) == GO_NODE_POINTER_TYPE) {
    s->recv_ptr = true;
    t = ts_node_named_child(t, 0);
  }
  if (kind_of(t) == GO_NODE_GENERIC_TYPE)
    t = child(t, GO_F_TYPE);
  if (kind_of(t) == GO_NODE_TYPE_IDENTIFIER) {
    s->recv = text_of(w, t);
    if (!s->recv)
      return OMEN_ENOMEM;
  }
  return OMEN_OK;
}

static omen_status visit_func(walker *w, TSNode n, go_node k, uint32_t depth) {
  omen_status st = OMEN_OK;
  go_site *s = push(w, GO_SITE_FUNC, n, depth, &st);
  if (!s)
    return st;
  s->fkind = k == GO_NODE_METHOD_DECLARATION ? GO_FUNC_METHOD
             : k == GO_NODE_FUNC_LITERAL     ? GO_FUNC_LIT
                                             : GO_FUNC_DECL;
  s->sub = child(n, GO_F_BODY);
  TSNode nm = child(n, GO_F_NAME);
  s->text = ts_node_is_null(nm) ? "" : text_of(w, nm);
  if (!s->text)
    s->text = "";
  s->name = s->text;
  if (s->fkind == GO_FUNC_METHOD) {
    st = receiver(w, n, s);
    if (st != OMEN_OK)
      return st;
  }
  if (w->nf == w->capf) {
    size_t cap = w->capf ? w->capf * 2 : 16;
    int32_t *fi = realloc(w->fidx, cap * sizeof *fi);
    if (!fi)
      return OMEN_ENOMEM;
    w->fidx = fi;
    uint32_t *fd = realloc(w->fdepth, cap * sizeof *fd);
    if (!fd)
      return OMEN_ENOMEM;
    w->fdepth = fd;
    w->capf = cap;
  }
  w->fidx[w->nf] = (int32_t)(w->v[GO_SITE_FUNC].n - 1);
  w->fdepth[w->nf] = depth;
  w->nf++;
  return OMEN_OK;
}

static omen_status visit_call(walker *w, TSNode n, uint32_t depth) {
  omen_status st = OMEN_OK;
  TSNode fn = child(n, GO_F_FUNCTION);
  if (ts_node_is_null(fn))
    return OMEN_OK;
  const char *callee = callee_text(w, fn);
  if (!callee)
    return OMEN_ENOMEM;
  const char *name = last_segment(callee);
  go_site *s = push(w, GO_SITE_CALL, n, depth, &st);
  if (s) {
    s->text = callee;
    s->name = name;
    s->sub = fn;
  }
  if (st == OMEN_OK && go_inspect_is_sync_name(name)) {
    s = push(w, GO_SITE_SYNC_CALL, n, depth, &st);
    if (s) {
      s->text = callee;
      s->name = name;
      s->sub = fn;
    }
  }
  return st;
}

static omen_status visit_composite(walker *w, TSNode n, uint32_t depth) {
  omen_status st = OMEN_OK;
  TSNode ty = child(n, GO_F_TYPE);
  go_site *s = push(w, GO_SITE_COMPOSITE, n, depth, &st);
  if (!s)
    return st;
  s->sub = ty;
  s->text = ts_node_is_null(ty) ? "" : type_text(w, ty);
  if (!s->text)
    return OMEN_ENOMEM;
  TSNode nm = ty;
  if (kind_of(nm) == GO_NODE_GENERIC_TYPE)
    nm = child(nm, GO_F_TYPE);
  if (kind_of(nm) == GO_NODE_QUALIFIED_TYPE)
    nm = child(nm, GO_F_NAME);
  s->name = kind_of(nm) == GO_NODE_TYPE_IDENTIFIER ? text_of(w, nm) : "?";
  if (!s->name)
    return OMEN_ENOMEM;
  if (depth > 0 && kind_of(w->path[depth - 1]) == GO_NODE_UNARY_EXPRESSION)
    s->addr = kind_of(child(w->path[depth - 1], GO_F_OPERATOR)) == GO_NODE_TOK_AMP;
  return OMEN_OK;
}

static omen_status visit_selector(walker *w, TSNode n, uint32_t depth) {
  omen_status st = OMEN_OK;
  TSNode op = child(n, GO_F_OPERAND);
  if (kind_of(op) != GO_NODE_IDENTIFIER)
    return OMEN_OK;
  span fs;
  if (!selector_field(w, n, &fs)) {
    TSNode fl = child(n, GO_F_FIELD);
    if (ts_node_is_null(fl))
      return OMEN_OK;
    fs = span_of(fl);
  }
  go_site *s = push(w, GO_SITE_SELECTOR, n, depth, &st);
  if (!s)
    return st;
  s->sub = op;
  s->text = text_of(w, n);
  s->name = fs.b <= w->f->len && fs.a <= fs.b ? intern(w, w->f->text + fs.a, fs.b - fs.a) : NULL;
  if (!s->text || !s->name)
    return OMEN_ENOMEM;
  return OMEN_OK;
}

static omen_status visit(walker *w, TSNode n, go_node k, uint32_t depth) {
  omen_status st = OMEN_OK;
  go_site *s;
  switch (k) {
  case GO_NODE_FUNCTION_DECLARATION:
  case GO_NODE_METHOD_DECLARATION:
  case GO_NODE_FUNC_LITERAL:
    return visit_func(w, n, k, depth);
  case GO_NODE_GO_STATEMENT:
  case GO_NODE_DEFER_STATEMENT:
    s = push(w, k == GO_NODE_GO_STATEMENT ? GO_SITE_GO : GO_SITE_DEFER, n, depth, &st);
    if (s && ts_node_named_child_count(n) > 0)
      s->sub = ts_node_named_child(n, 0);
    return st;
  case GO_NODE_CALL_EXPRESSION:
    return visit_call(w, n, depth);
  case GO_NODE_COMPOSITE_LITERAL:
    return visit_composite(w, n, depth);
  case GO_NODE_SELECTOR_EXPRESSION:
    return visit_selector(w, n, depth);
  case GO_NODE_SEND_STATEMENT:
    s = push(w, GO_SITE_SEND, n, depth, &st);
    if (s)
      s->sub = child(n, GO_F_CHANNEL);
    return st;
  case GO_NODE_UNARY_EXPRESSION:
    if (kind_of(child(n, GO_F_OPERATOR)) == GO_NODE_TOK_ARROW) {
      s = push(w, GO_SITE_RECV, n, depth, &st);
      if (s)
        s->sub = child(n, GO_F_OPERAND);
    }
    return st;
  case GO_NODE_SELECT_STATEMENT:
    push(w, GO_SITE_SELECT, n, depth, &st);
    return st;
  case GO_NODE_INDEX_EXPRESSION:
    s = push(w, GO_SITE_INDEX, n, depth, &st);
    if (s)
      s->sub = child(n, GO_F_OPERAND);
    return st;
  case GO_NODE_FOR_STATEMENT:
    s = push(w, GO_SITE_FOR, n, depth, &st);
    if (s) {
      uint32_t nc = ts_node_named_child_count(n);
      for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (kind_of(c) != GO_NODE_BLOCK && kind_of(c) != GO_NODE_COMMENT) {
          s->sub = c;
          break;
        }
      }
    }
    return st;
  default:
    return OMEN_OK;
  }
}

/* A top-level declaration (a child of the root) for go_inspect.tops. */
static omen_status add_top(walker *w, TSNode n, go_node k) {
  switch (k) {
  case GO_NODE_IMPORT_DECLARATION:
  case GO_NODE_FUNCTION_DECLARATION:
  case GO_NODE_METHOD_DECLARATION:
  case GO_NODE_VAR_DECLARATION:
  case GO_NODE_CONST_DECLARATION:
  case GO_NODE_TYPE_DECLARATION:
    break;
  default:
    return OMEN_OK;
  }
  if (w->ntops == w->captops) {
    if (w->captops >= GO_INSPECT_MAX_SITES) {
      w->r->truncated = true;
      return OMEN_OK;
    }
    size_t cap = w->captops ? w->captops * 2 : 64;
    go_top *nt = realloc(w->tops, cap * sizeof *nt);
    if (!nt)
      return OMEN_ENOMEM;
    w->tops = nt;
    w->captops = cap;
  }
  w->tops[w->ntops++] = (go_top){w->file, k, n};
  return OMEN_OK;
}

/* Which kinds visit() acts on. */
static bool visited(go_node k) {
  switch (k) {
  case GO_NODE_FUNCTION_DECLARATION:
  case GO_NODE_METHOD_DECLARATION:
  case GO_NODE_FUNC_LITERAL:
  case GO_NODE_GO_STATEMENT:
  case GO_NODE_DEFER_STATEMENT:
  case GO_NODE_CALL_EXPRESSION:
  case GO_NODE_COMPOSITE_LITERAL:
  case GO_NODE_SELECTOR_EXPRESSION:
  case GO_NODE_SEND_STATEMENT:
  case GO_NODE_UNARY_EXPRESSION:
  case GO_NODE_SELECT_STATEMENT:
  case GO_NODE_INDEX_EXPRESSION:
  case GO_NODE_FOR_STATEMENT:
    return true;
  default:
    return false;
  }
}

/* Leaving the node at depth: pop the functions it opened. */
static void leave(walker *w, uint32_t depth) {
  while (w->nf && w->fdepth[w->nf - 1] >= depth)
    w->nf--;
}

static size_t str_hash(const char *s) {
  size_t h = 1469598103934665603u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

static bool is_block_scope(go_node k) {
  return k == GO_NODE_BLOCK || k == GO_NODE_EXPRESSION_CASE || k == GO_NODE_DEFAULT_CASE ||
         k == GO_NODE_TYPE_CASE || k == GO_NODE_COMMUNICATION_CASE;
}

/* A name in a declaring position at depth (its parent is path[depth - 1]): when the declaration is a
 * statement of a block or case clause, record it for go_inspect_block_decls. Out of room: the file's
 * block declarations become unknown, as its locals do. */
static void note_block_decl(walker *w, uint32_t depth, const char *name) {
  int i = (int)depth - 1;
  go_node k = (go_node)w->pkind[i];
  if (k == GO_NODE_EXPRESSION_LIST) {
    if (i < 1 || (go_node)w->pkind[i - 1] != GO_NODE_SHORT_VAR_DECLARATION)
      return;
    i--;
  } else if (k == GO_NODE_VAR_SPEC || k == GO_NODE_CONST_SPEC) {
    i--;
    if (i >= 0 && (go_node)w->pkind[i] == GO_NODE_VAR_SPEC_LIST)
      i--;
    if (i < 0 || ((go_node)w->pkind[i] != GO_NODE_VAR_DECLARATION && (go_node)w->pkind[i] != GO_NODE_CONST_DECLARATION))
      return;
  } else if (k == GO_NODE_TYPE_SPEC || k == GO_NODE_TYPE_ALIAS) {
    i--;
    if (i < 0 || (go_node)w->pkind[i] != GO_NODE_TYPE_DECLARATION)
      return;
  } else {
    return;
  }
  if (i >= 1 && (go_node)w->pkind[i - 1] == GO_NODE_LABELED_STATEMENT)
    i--;
  if (i < 1 || !is_block_scope((go_node)w->pkind[i - 1]))
    return;
  if (w->nbdecls == w->capbdecls) {
    size_t cap = w->capbdecls ? w->capbdecls * 2 : 128;
    go_block_decl *nv = cap <= GO_INSPECT_MAX_SITES ? realloc(w->bdecls, cap * sizeof *nv) : NULL;
    if (!nv) {
      w->locals_unknown = true;
      return;
    }
    w->bdecls = nv;
    w->capbdecls = cap;
  }
  w->bdecls[w->nbdecls++] = (go_block_decl){w->file, w->path[i - 1], w->path[i], name};
}

/* Identifier n (kind k) at depth: if it stands where a local is declared (the name of a parameter,
 * a var, const or type spec, or in the left list of `:=`, a range clause, a receive or a type
 * switch), its text joins the unit's local names. A superset: other children of those nodes (a
 * spec's type name) join too, which only makes go_inspect_maybe_local say "maybe" more often. */
static omen_status note_local(walker *w, TSNode n, go_node k, uint32_t depth) {
  if (depth == 0 || w->locals_unknown)
    return OMEN_OK;
  switch ((go_node)w->pkind[depth - 1]) {
  case GO_NODE_VAR_SPEC:
  case GO_NODE_CONST_SPEC:
  case GO_NODE_PARAMETER_DECLARATION:
  case GO_NODE_VARIADIC_PARAMETER_DECLARATION:
  case GO_NODE_TYPE_PARAMETER_DECLARATION:
  case GO_NODE_TYPE_SPEC:
  case GO_NODE_TYPE_ALIAS:
    break;
  case GO_NODE_EXPRESSION_LIST:
    if (k != GO_NODE_IDENTIFIER || depth < 2)
      return OMEN_OK;
    switch ((go_node)w->pkind[depth - 2]) {
    case GO_NODE_SHORT_VAR_DECLARATION:
    case GO_NODE_RANGE_CLAUSE:
    case GO_NODE_RECEIVE_STATEMENT:
    case GO_NODE_TYPE_SWITCH_STATEMENT:
      break;
    default:
      return OMEN_OK;
    }
    break;
  default:
    return OMEN_OK;
  }
  const char *name = text_of(w, n);
  if (!name)
    return OMEN_ENOMEM;
  note_block_decl(w, depth, name);
  if (w->nf) {
    if (w->nfdecls == w->capfdecls) {
      size_t cap = w->capfdecls ? w->capfdecls * 2 : 256;
      struct fdecl *nv = cap <= GO_INSPECT_MAX_SITES ? realloc(w->fdecls, cap * sizeof *nv) : NULL;
      if (!nv) {
        w->locals_unknown = true;
        return OMEN_OK;
      }
      w->fdecls = nv;
      w->capfdecls = cap;
    }
    w->fdecls[w->nfdecls++] = (struct fdecl){w->fidx[w->nf - 1], name};
  }
  if (w->nlocals * 2 >= w->caplocals) {
    if (w->caplocals >= INTERN_MAX_SLOTS) {
      w->locals_unknown = true;
      return OMEN_OK;
    }
    size_t cap = w->caplocals ? w->caplocals * 2 : 256;
    const char **nt = calloc(cap, sizeof *nt);
    if (!nt)
      return OMEN_ENOMEM;
    for (size_t i = 0; i < w->caplocals; i++) {
      if (!w->locals[i])
        continue;
      size_t j = str_hash(w->locals[i]) & (cap - 1);
      while (nt[j])
        j = (j + 1) & (cap - 1);
      nt[j] = w->locals[i];
    }
    free(w->locals);
    w->locals = nt;
    w->caplocals = cap;
  }
  size_t j = str_hash(name) & (w->caplocals - 1);
  while (w->locals[j]) {
    if (w->locals[j] == name) /* interned: equal texts are one pointer */
      return OMEN_OK;
    j = (j + 1) & (w->caplocals - 1);
  }
  w->locals[j] = name;
  w->nlocals++;
  return OMEN_OK;
}

static bool ident_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

enum { PLAIN_MAX_BYTES = 16384 };

/* Can the walk skip the children of expression node n (kind k)? True when its text shows that no
 * site and no declared name can stand inside it: no call, conversion or func literal ('('), no
 * selector ('.' other than in a number), no index or slice and no array, slice or map type ('['), no
 * receive ("<-"), and no typed composite literal ('{' right after a name, ']' or '}'). Strings, runes
 * and comments are passed over. Any doubt (a long text, an odd byte) answers false: the walk then
 * enters the node as usual. */
static bool plain(const omen_file *f, TSNode n, go_node k) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > f->len || e <= s || e - s > PLAIN_MAX_BYTES)
    return false;
  const char *t = f->text;
  if (k == GO_NODE_LITERAL_VALUE) { /* its own braces: the '{' follows the literal's type */
    s++;
    e--;
  }
  for (uint32_t i = s; i < e; i++) {
    char c = t[i];
    switch (c) {
    case '"':
    case '\'':
      for (i++; i < e && t[i] != c; i++)
        if (t[i] == '\\')
          i++;
      if (i >= e)
        return false;
      break;
    case '`':
      for (i++; i < e && t[i] != '`'; i++)
        ;
      if (i >= e)
        return false;
      break;
    case '/':
      if (i + 1 < e && t[i + 1] == '/') {
        while (i < e && t[i] != '\n')
          i++;
      } else if (i + 1 < e && t[i + 1] == '*') {
        for (i += 2; i + 1 < e && !(t[i] == '*' && t[i + 1] == '/'); i++)
          ;
        if (i + 1 >= e)
          return false;
        i++;
      }
      break;
    case '.': { /* only a number's point: digits before it, or a digit after a leading '.' */
      uint32_t j = i;
      bool digits = true;
      while (j > s && ident_byte((unsigned char)t[j - 1])) {
        if (t[j - 1] < '0' || t[j - 1] > '9')
          digits = false;
        j--;
      }
      if (j < i ? !digits : !(i + 1 < e && t[i + 1] >= '0' && t[i + 1] <= '9'))
        return false;
      break;
    }
    case '(':
    case '[':
      return false;
    case '<':
      if (i + 1 < e && t[i + 1] == '-')
        return false;
      break;
    case '{': {
      uint32_t j = i;
      while (j > s && (t[j - 1] == ' ' || t[j - 1] == '\t' || t[j - 1] == '\n' || t[j - 1] == '\r'))
        j--;
      if (j > s && (ident_byte((unsigned char)t[j - 1]) || t[j - 1] == ']' || t[j - 1] == '}'))
        return false;
      break;
    }
    default:
      break;
    }
  }
  return true;
}

/* The expression kinds plain() is asked about: where long runs of data sit (tables of literals). */
static bool plain_candidate(go_node k) {
  return k == GO_NODE_LITERAL_VALUE || k == GO_NODE_LITERAL_ELEMENT || k == GO_NODE_KEYED_ELEMENT ||
         k == GO_NODE_BINARY_EXPRESSION || k == GO_NODE_ARGUMENT_LIST;
}

static omen_status walk_file(walker *w, TSNode root) {
  TSTreeCursor c = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  omen_status st = OMEN_OK;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    TSSymbol sym = ts_node_symbol(n);
    go_node k = sym < nsyms ? (go_node)sym_kind[sym] : kind_by_name(n);
    bool leaf = sym < nsyms && sym_leaf[sym];
    if (!leaf) {
      if (depth >= w->cappath) {
        size_t cap = w->cappath ? w->cappath * 2 : 64;
        TSNode *np = realloc(w->path, cap * sizeof *np);
        if (!np) {
          st = OMEN_ENOMEM;
          break;
        }
        w->path = np;
        uint8_t *nk = realloc(w->pkind, cap * sizeof *nk);
        if (!nk) {
          st = OMEN_ENOMEM;
          break;
        }
        w->pkind = nk;
        w->cappath = cap;
      }
      w->path[depth] = n;
      w->pkind[depth] = (uint8_t)k;
    } else if (k == GO_NODE_IDENTIFIER || k == GO_NODE_TYPE_IDENTIFIER) {
      st = note_local(w, n, k, depth);
      if (st != OMEN_OK)
        break;
    }
    if (depth == 1) {
      st = add_top(w, n, k);
      if (st != OMEN_OK)
        break;
    }
    if (visited(k)) {
      st = visit(w, n, k, depth);
      if (st != OMEN_OK)
        break;
    }
    if (!leaf && !(sym < nsyms && sym_type[sym]) && !(plain_candidate(k) && plain(w->f, n, k)) &&
        ts_tree_cursor_goto_first_child(&c)) {
      depth++;
      continue;
    }
    leave(w, depth);
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&c)) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&c)) {
        done = true;
        break;
      }
      depth--;
      leave(w, depth);
    }
    if (done)
      break;
  }
  ts_tree_cursor_delete(&c);
  w->nf = 0;
  return st;
}

/* ---------- lookups ---------- */

struct go_inspect_index {
  omen_arena *arena;
  const char **locals; /* the walk's local names (open addressing by str_hash); NULL: unknown */
  size_t caplocals;
  const go_site **by_text[GO_SITE_NKINDS];
  const go_site **by_name[GO_SITE_NKINDS];
  bool failed; /* out of memory building an index: lookups find nothing */
};

static int cmp_text(const void *a, const void *b) {
  const go_site *x = *(const go_site *const *)a, *y = *(const go_site *const *)b;
  int c = x->text == y->text ? 0 : strcmp(x->text, y->text);
  if (c)
    return c;
  return x < y ? -1 : x > y;
}

static int cmp_name(const void *a, const void *b) {
  const go_site *x = *(const go_site *const *)a, *y = *(const go_site *const *)b;
  int c = x->name == y->name ? 0 : strcmp(x->name, y->name);
  if (c)
    return c;
  return x < y ? -1 : x > y;
}

static bool has_text(go_site_kind k) {
  return k == GO_SITE_FUNC || k == GO_SITE_CALL || k == GO_SITE_SYNC_CALL || k == GO_SITE_COMPOSITE ||
         k == GO_SITE_SELECTOR;
}

/* The sorted view of kind k by name or text, built on first use; NULL if none. */
static const go_site **sorted(const go_inspect *r, go_site_kind k, bool by_name) {
  struct go_inspect_index *ix = r->index;
  if (!ix || ix->failed || !has_text(k) || r->nsites[k] == 0)
    return NULL;
  const go_site ***slot = by_name ? &ix->by_name[k] : &ix->by_text[k];
  if (*slot)
    return *slot;
  size_t n = r->nsites[k];
  const go_site **v = omen_arena_alloc(ix->arena, n * sizeof *v);
  if (!v) {
    ix->failed = true;
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    v[i] = &r->sites[k][i];
  qsort(v, n, sizeof *v, by_name ? cmp_name : cmp_text);
  *slot = v;
  return v;
}

static size_t lookup(const go_site **v, size_t n, bool by_name, const char *key, const go_site *const **out) {
  *out = NULL;
  if (!v || !key)
    return 0;
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *s = by_name ? v[mid]->name : v[mid]->text;
    if (strcmp(s, key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t e = lo;
  while (e < n && strcmp(by_name ? v[e]->name : v[e]->text, key) == 0)
    e++;
  if (e > lo)
    *out = v + lo;
  return e - lo;
}

size_t go_inspect_lookup(const go_inspect *r, go_site_kind k, const char *text, const go_site *const **out) {
  if (!r || k >= GO_SITE_NKINDS) {
    *out = NULL;
    return 0;
  }
  return lookup(sorted(r, k, false), r->nsites[k], false, text, out);
}

size_t go_inspect_lookup_name(const go_inspect *r, go_site_kind k, const char *name,
                              const go_site *const **out) {
  if (!r || k >= GO_SITE_NKINDS) {
    *out = NULL;
    return 0;
  }
  return lookup(sorted(r, k, true), r->nsites[k], true, name, out);
}

bool go_inspect_maybe_local(const go_inspect *r, const char *name) {
  if (!r || !r->index || !r->index->locals || !name)
    return true;
  const struct go_inspect_index *ix = r->index;
  if (ix->caplocals == 0)
    return false;
  size_t j = str_hash(name) & (ix->caplocals - 1);
  while (ix->locals[j]) {
    if (strcmp(ix->locals[j], name) == 0)
      return true;
    j = (j + 1) & (ix->caplocals - 1);
  }
  return false;
}

size_t go_inspect_func_declares(const go_inspect *r, const go_site *fn, const char *name) {
  if (!r || !fn || !name || !r->fnames || fn->kind != GO_SITE_FUNC || r->nsites[GO_SITE_FUNC] == 0)
    return SIZE_MAX;
  size_t i = (size_t)(fn - r->sites[GO_SITE_FUNC]);
  if (i >= r->nsites[GO_SITE_FUNC])
    return SIZE_MAX;
  const struct go_inspect_names *fnm = &r->fnames[i];
  size_t lo = 0, hi = fnm->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(fnm->v[mid], name) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t n = 0;
  while (lo + n < fnm->n && strcmp(fnm->v[lo + n], name) == 0)
    n++;
  return n;
}

const go_site *go_inspect_func_of(const go_inspect *r, const go_site *s) {
  if (!r || !s || s->func_index < 0 || (size_t)s->func_index >= r->nsites[GO_SITE_FUNC])
    return NULL;
  return &r->sites[GO_SITE_FUNC][s->func_index];
}

size_t go_inspect_sites_in(const go_inspect *r, go_site_kind k, const go_site *fn, const go_site **out,
                           size_t cap) {
  if (!r || !fn || k >= GO_SITE_NKINDS || fn->kind != GO_SITE_FUNC)
    return 0;
  int32_t idx = (int32_t)(fn - r->sites[GO_SITE_FUNC]);
  size_t n = 0;
  for (size_t i = 0; i < r->nsites[k]; i++) {
    const go_site *s = &r->sites[k][i];
    if (s->func_index != idx || s == fn)
      continue;
    if (n < cap)
      out[n] = s;
    n++;
  }
  return n < cap ? n : cap;
}

TSNode go_inspect_enclosing_func(TSNode n) {
  TSNode p = ts_node_parent(n);
  while (!ts_node_is_null(p)) {
    go_node k = go_node_kind(p);
    if (k == GO_NODE_FUNCTION_DECLARATION || k == GO_NODE_METHOD_DECLARATION || k == GO_NODE_FUNC_LITERAL)
      return p;
    p = ts_node_parent(p);
  }
  return p;
}

/* The FUNC site whose node is fn (a function node of file); NULL if none. */
static const go_site *func_site_of(const go_inspect *r, uint32_t file, TSNode fn) {
  const go_site *v = r->sites[GO_SITE_FUNC];
  size_t lo = 0, hi = r->nsites[GO_SITE_FUNC];
  uint32_t s = ts_node_start_byte(fn);
  while (lo < hi) { /* the first site at or after (file, s) */
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid].file < file || (v[mid].file == file && ts_node_start_byte(v[mid].node) < s))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < r->nsites[GO_SITE_FUNC] && v[lo].file == file && ts_node_eq(v[lo].node, fn) ? &v[lo] : NULL;
}

const go_site *go_inspect_func_around(const go_inspect *r, uint32_t file, TSNode n) {
  if (!r || ts_node_is_null(n) || file >= r->nfiles)
    return NULL;
  if (r->truncated) /* some functions may have no site: ask the tree */
    return func_site_of(r, file, go_inspect_enclosing_func(n));
  /* FUNC sites are in (file, start) order; functions nest, so the innermost one strictly around n is
   * the last site starting at or before n, or one of the functions around that one */
  const go_site *v = r->sites[GO_SITE_FUNC];
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  size_t lo = 0, hi = r->nsites[GO_SITE_FUNC];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid].file < file || (v[mid].file == file && ts_node_start_byte(v[mid].node) <= s))
      lo = mid + 1;
    else
      hi = mid;
  }
  const go_site *f = lo ? &v[lo - 1] : NULL;
  if (f && f->file != file)
    return NULL;
  for (size_t guard = 0; f && guard <= r->nsites[GO_SITE_FUNC]; guard++) {
    uint32_t fs = ts_node_start_byte(f->node), fe = ts_node_end_byte(f->node);
    if (fs <= s && e <= fe && (fs != s || fe != e)) /* equal bytes: n is f, or a node wrapping it */
      return f;
    f = go_inspect_func_of(r, f);
  }
  return NULL;
}

TSNode go_inspect_func_node_around(const go_inspect *r, uint32_t file, TSNode n) {
  const go_site *f = go_inspect_func_around(r, file, n);
  if (f)
    return f->node;
  TSNode z;
  memset(&z, 0, sizeof z);
  return z;
}

/* ---------- the analyzer ---------- */

static void walker_free(walker *w) {
  for (int k = 0; k < GO_SITE_NKINDS; k++)
    free(w->v[k].v);
  free(w->fidx);
  free(w->fdepth);
  free(w->path);
  free(w->pkind);
  free(w->tab);
  free(w->tops);
  free(w->locals);
  free(w->fdecls);
  free(w->bdecls);
}

/* What the walk of one file found: its sites (file index 0, func_index within the file), its
 * top-level declarations and its local names. Made by scan() right after the file is parsed, or by
 * run() for a file that was not scanned; run() merges them. */
typedef struct file_scan {
  go_site *sites[GO_SITE_NKINDS];
  size_t nsites[GO_SITE_NKINDS];
  go_top *tops;
  size_t ntops;
  const char **locals; /* distinct names */
  size_t nlocals;
  bool locals_unknown;
  bool truncated;
  struct go_inspect_names *fnames; /* parallel to sites[GO_SITE_FUNC]; NULL when locals_unknown */
  go_block_decl *bdecls; /* sorted by scope start; NULL (and none) when locals_unknown */
  size_t nbdecls;
} file_scan;

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The walk's (function, name) pairs as sorted name lists per function. */
static bool build_fnames(omen_arena *a, const walker *w, file_scan *fs) {
  size_t nf = fs->nsites[GO_SITE_FUNC];
  if (nf == 0)
    return true;
  struct go_inspect_names *fn = omen_arena_alloc(a, nf * sizeof *fn);
  const char **all = omen_arena_alloc(a, (w->nfdecls ? w->nfdecls : 1) * sizeof *all);
  if (!fn || !all)
    return false;
  for (size_t i = 0; i < w->nfdecls; i++)
    if (w->fdecls[i].func >= 0 && (size_t)w->fdecls[i].func < nf)
      fn[w->fdecls[i].func].n++;
  size_t off = 0;
  for (size_t f = 0; f < nf; f++) {
    fn[f].v = all + off;
    off += fn[f].n;
    fn[f].n = 0;
  }
  for (size_t i = 0; i < w->nfdecls; i++) {
    int32_t f = w->fdecls[i].func;
    if (f >= 0 && (size_t)f < nf)
      fn[f].v[fn[f].n++] = w->fdecls[i].name;
  }
  for (size_t f = 0; f < nf; f++)
    if (fn[f].n > 1)
      qsort(fn[f].v, fn[f].n, sizeof *fn[f].v, cmp_cstr);
  fs->fnames = fn;
  return true;
}

static int cmp_bdecl(const void *a, const void *b) {
  const go_block_decl *x = a, *y = b;
  uint32_t xs = ts_node_start_byte(x->scope), ys = ts_node_start_byte(y->scope);
  if (xs != ys)
    return xs < ys ? -1 : 1;
  if (x->scope.id != y->scope.id)
    return (uintptr_t)x->scope.id < (uintptr_t)y->scope.id ? -1 : 1;
  uint32_t xt = ts_node_start_byte(x->stmt), yt = ts_node_start_byte(y->stmt);
  if (xt != yt)
    return xt < yt ? -1 : 1;
  return x < y ? -1 : x > y; /* walk order (qsort keeps it only with this) */
}

/* Walks one file into a file_scan allocated in a. NULL when out of memory. */
static file_scan *scan_file(omen_arena *a, const omen_go_file *g) {
  ensure_tables();
  file_scan *fs = omen_arena_alloc(a, sizeof *fs);
  if (!fs)
    return NULL;
  memset(fs, 0, sizeof *fs);
  go_inspect trunc = {0};
  walker w;
  memset(&w, 0, sizeof w);
  w.arena = a;
  w.r = &trunc;
  w.f = g->file;
  w.file = 0;
  if (ts_node_has_error(g->root))
    w.locals_unknown = true; /* names may stand anywhere in broken code */
  omen_status st = walk_file(&w, g->root);
  for (int k = 0; k < GO_SITE_NKINDS && st == OMEN_OK; k++) {
    size_t n = w.v[k].n;
    if (n == 0)
      continue;
    fs->sites[k] = omen_arena_alloc(a, n * sizeof *fs->sites[k]);
    if (!fs->sites[k])
      st = OMEN_ENOMEM;
    else
      memcpy(fs->sites[k], w.v[k].v, n * sizeof *fs->sites[k]);
    fs->nsites[k] = n;
  }
  if (st == OMEN_OK && w.ntops) {
    fs->tops = omen_arena_alloc(a, w.ntops * sizeof *fs->tops);
    if (!fs->tops)
      st = OMEN_ENOMEM;
    else
      memcpy(fs->tops, w.tops, w.ntops * sizeof *fs->tops);
    fs->ntops = w.ntops;
  }
  if (st == OMEN_OK && !w.locals_unknown && w.nlocals) {
    fs->locals = omen_arena_alloc(a, w.nlocals * sizeof *fs->locals);
    if (!fs->locals)
      st = OMEN_ENOMEM;
    for (size_t i = 0; fs->locals && i < w.caplocals; i++)
      if (w.locals[i])
        fs->locals[fs->nlocals++] = w.locals[i];
  }
  fs->locals_unknown = w.locals_unknown;
  if (st == OMEN_OK && !w.locals_unknown && !trunc.truncated && !build_fnames(a, &w, fs))
    st = OMEN_ENOMEM;
  if (st == OMEN_OK && !w.locals_unknown && w.nbdecls) {
    qsort(w.bdecls, w.nbdecls, sizeof *w.bdecls, cmp_bdecl);
    fs->bdecls = omen_arena_alloc(a, w.nbdecls * sizeof *fs->bdecls);
    if (!fs->bdecls)
      st = OMEN_ENOMEM;
    else
      memcpy(fs->bdecls, w.bdecls, w.nbdecls * sizeof *fs->bdecls);
    fs->nbdecls = w.nbdecls;
  }
  fs->truncated = trunc.truncated;
  walker_free(&w);
  return st == OMEN_OK ? fs : NULL;
}

/* The unit's set of local names (open addressing, at most half full), from every file's. */
static omen_status merge_locals(omen_arena *a, file_scan *const *fs, size_t nf, go_inspect *r) {
  size_t total = 0;
  for (size_t i = 0; i < nf; i++) {
    if (fs[i]->locals_unknown)
      return OMEN_OK; /* r->index->locals stays NULL: every name may be local */
    total += fs[i]->nlocals;
  }
  size_t cap = 0;
  if (total) {
    cap = 16;
    while (cap < 2 * total + 2)
      cap *= 2;
  }
  const char **set = omen_arena_alloc(a, (cap ? cap : 1) * sizeof *set);
  if (!set)
    return OMEN_ENOMEM;
  memset(set, 0, (cap ? cap : 1) * sizeof *set);
  for (size_t i = 0; i < nf; i++) {
    for (size_t k = 0; k < fs[i]->nlocals; k++) {
      const char *name = fs[i]->locals[k];
      size_t j = str_hash(name) & (cap - 1);
      while (set[j] && strcmp(set[j], name) != 0)
        j = (j + 1) & (cap - 1);
      set[j] = name;
    }
  }
  r->index->locals = set;
  r->index->caplocals = cap;
  return OMEN_OK;
}

/* go-inspect's scan hook: the walk of one file, while its tree is still in cache. */
static omen_status scan(omen_pass *pass, void **state) {
  file_scan *fs = scan_file(omen_pass_arena(pass), omen_pass_go_file(pass, 0));
  *state = fs;
  return fs ? OMEN_OK : OMEN_ENOMEM;
}

static omen_status run(omen_pass *pass, void **result) {
  ensure_tables();
  omen_arena *a = omen_pass_arena(pass);
  size_t nf = omen_pass_go_nfiles(pass);
  go_inspect *r = omen_arena_alloc(a, sizeof *r);
  const omen_go_file **files = omen_arena_alloc(a, (nf ? nf : 1) * sizeof *files);
  file_scan **fs = omen_arena_alloc(a, (nf ? nf : 1) * sizeof *fs);
  if (!r || !files || !fs)
    return OMEN_ENOMEM;
  memset(r, 0, sizeof *r);
  r->index = omen_arena_alloc(a, sizeof *r->index);
  if (!r->index)
    return OMEN_ENOMEM;
  memset(r->index, 0, sizeof *r->index);
  r->index->arena = a;
  size_t total[GO_SITE_NKINDS] = {0}, ntops = 0;
  for (size_t i = 0; i < nf; i++) {
    files[i] = omen_pass_go_file(pass, i);
    fs[i] = omen_pass_go_scan(pass, i);
    if (!fs[i])
      fs[i] = scan_file(a, files[i]);
    if (!fs[i])
      return OMEN_ENOMEM;
    for (int k = 0; k < GO_SITE_NKINDS; k++)
      total[k] += fs[i]->nsites[k];
    ntops += fs[i]->ntops;
    r->truncated |= fs[i]->truncated;
  }
  r->nfiles = nf;
  r->files = files;
  if (merge_locals(a, fs, nf, r) != OMEN_OK)
    return OMEN_ENOMEM;
  /* concatenate, renumbering files and enclosing functions */
  for (int k = 0; k < GO_SITE_NKINDS; k++) {
    if (total[k] > GO_INSPECT_MAX_SITES) {
      total[k] = GO_INSPECT_MAX_SITES;
      r->truncated = true;
    }
    if (total[k] && !(r->sites[k] = omen_arena_alloc(a, total[k] * sizeof *r->sites[k])))
      return OMEN_ENOMEM;
  }
  if (ntops && !(r->tops = omen_arena_alloc(a, ntops * sizeof *r->tops)))
    return OMEN_ENOMEM;
  size_t nb = 0;
  for (size_t i = 0; i < nf; i++)
    nb += fs[i]->nbdecls;
  r->bdecls_known = omen_arena_alloc(a, (nf ? nf : 1) * sizeof *r->bdecls_known);
  if (!r->bdecls_known || (nb && !(r->bdecls = omen_arena_alloc(a, nb * sizeof *r->bdecls))))
    return OMEN_ENOMEM;
  for (size_t i = 0; i < nf; i++) {
    r->bdecls_known[i] = !fs[i]->locals_unknown;
    for (size_t m = 0; m < fs[i]->nbdecls; m++) {
      r->bdecls[r->nbdecls] = fs[i]->bdecls[m];
      r->bdecls[r->nbdecls++].file = (uint32_t)i;
    }
  }
  bool names_known = !r->truncated;
  for (size_t i = 0; i < nf && names_known; i++)
    names_known = fs[i]->fnames || fs[i]->nsites[GO_SITE_FUNC] == 0;
  if (names_known && total[GO_SITE_FUNC] &&
      !(r->fnames = omen_arena_alloc(a, total[GO_SITE_FUNC] * sizeof *r->fnames)))
    return OMEN_ENOMEM;
  for (size_t i = 0; i < nf; i++) {
    size_t fbase = r->nsites[GO_SITE_FUNC]; /* functions of earlier files; kind FUNC is copied first */
    for (int k = 0; k < GO_SITE_NKINDS; k++) {
      for (size_t m = 0; m < fs[i]->nsites[k] && r->nsites[k] < total[k]; m++) {
        go_site *d = &r->sites[k][r->nsites[k]++];
        *d = fs[i]->sites[k][m];
        d->file = (uint32_t)i;
        if (d->func_index < 0)
          continue;
        d->func_index += (int32_t)fbase;
        if ((size_t)d->func_index >= r->nsites[GO_SITE_FUNC]) { /* its function was cut by the cap */
          d->func_index = -1;
          d->func = (TSNode){0};
        }
      }
    }
    if (r->fnames)
      for (size_t m = 0; m < fs[i]->nsites[GO_SITE_FUNC]; m++)
        r->fnames[fbase + m] = fs[i]->fnames[m];
    for (size_t m = 0; m < fs[i]->ntops; m++) {
      r->tops[r->ntops] = fs[i]->tops[m];
      r->tops[r->ntops++].file = (uint32_t)i;
    }
  }
  *result = r;
  return OMEN_OK;
}

const omen_analyzer omen_go_inspect = {
    .name = "go-inspect",
    .title = "Go syntax index: the sites of a package by kind, from one walk",
    .doc = "Base analyzer. Walks every file of a Go package once and records functions (declarations, "
           "methods, literals), go and defer statements, calls with their callee text, synchronization "
           "calls (Lock, Unlock, Wait, Add, Done...), composite literals, `x.Name` selectors, channel "
           "sends and receives, and select statements, each with its enclosing function, and the "
           "top-level declarations of each file. Other Go analyzers look sites up by kind and text "
           "instead of walking the trees again. Reports nothing.",
    .langs = OMEN_LANG_GO,
    .run = run,
    .scan = scan,
};

const go_block_decl *go_inspect_block_decls(const go_inspect *r, uint32_t file, TSNode scope, size_t *n) {
  *n = SIZE_MAX;
  if (!r || file >= r->nfiles || !r->bdecls_known || !r->bdecls_known[file])
    return NULL;
  *n = 0;
  uint32_t s = ts_node_start_byte(scope);
  size_t lo = 0, hi = r->nbdecls;
  while (lo < hi) { /* the first entry at or after (file, s) */
    size_t mid = lo + (hi - lo) / 2;
    const go_block_decl *d = &r->bdecls[mid];
    if (d->file < file || (d->file == file && ts_node_start_byte(d->scope) < s))
      lo = mid + 1;
    else
      hi = mid;
  }
  while (lo < r->nbdecls && r->bdecls[lo].file == file && ts_node_start_byte(r->bdecls[lo].scope) == s &&
         !ts_node_eq(r->bdecls[lo].scope, scope))
    lo++; /* another scope starting at the same byte */
  size_t e = lo;
  while (e < r->nbdecls && r->bdecls[e].file == file && ts_node_eq(r->bdecls[e].scope, scope))
    e++;
  *n = e - lo;
  return e > lo ? &r->bdecls[lo] : r->bdecls;
}

