/* go_inspect.h - result of the go-inspect base analyzer: the sites of a Go unit by kind and its
 * top-level declarations, from one walk; and node kinds and fields by id for all Go analyzers. */
#ifndef OMEN_GO_INSPECT_H
#define OMEN_GO_INSPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzers.h"
#include "pass.h"

/* ---- node kinds and fields by id ----
 * Comparing ts_node_type(n) with strcmp costs a string compare per test; these compare the node's
 * symbol id against a table built once from the grammar's names, with the same answers. */

/* Node types the Go analyzers test for, by their tree-sitter names (GO_NODE_TOK_*: anonymous tokens). */
typedef enum go_node {
  GO_NODE_OTHER = 0, /* any other type, and the null node */
  GO_NODE_ARGUMENT_LIST,
  GO_NODE_ARRAY_TYPE,
  GO_NODE_ASSIGNMENT_STATEMENT,
  GO_NODE_BINARY_EXPRESSION,
  GO_NODE_BLANK_IDENTIFIER,
  GO_NODE_BLOCK,
  GO_NODE_BREAK_STATEMENT,
  GO_NODE_CALL_EXPRESSION,
  GO_NODE_CHANNEL_TYPE,
  GO_NODE_COMMENT,
  GO_NODE_COMMUNICATION_CASE,
  GO_NODE_COMPOSITE_LITERAL,
  GO_NODE_CONST_DECLARATION,
  GO_NODE_CONST_SPEC,
  GO_NODE_CONTINUE_STATEMENT,
  GO_NODE_DEFAULT_CASE,
  GO_NODE_DEFER_STATEMENT,
  GO_NODE_DOT,
  GO_NODE_ERROR, /* "ERROR": a syntax error node */
  GO_NODE_EXPRESSION_CASE,
  GO_NODE_EXPRESSION_LIST,
  GO_NODE_EXPRESSION_SWITCH_STATEMENT,
  GO_NODE_EXPRESSION_STATEMENT,
  GO_NODE_FALSE,
  GO_NODE_FALLTHROUGH_STATEMENT,
  GO_NODE_FIELD_DECLARATION,
  GO_NODE_FIELD_IDENTIFIER,
  GO_NODE_FLOAT_LITERAL,
  GO_NODE_FOR_CLAUSE,
  GO_NODE_FOR_STATEMENT,
  GO_NODE_FUNC_LITERAL,
  GO_NODE_FUNCTION_DECLARATION,
  GO_NODE_FUNCTION_TYPE,
  GO_NODE_GENERIC_TYPE,
  GO_NODE_GO_STATEMENT,
  GO_NODE_GOTO_STATEMENT,
  GO_NODE_IDENTIFIER,
  GO_NODE_IF_STATEMENT,
  GO_NODE_IMAGINARY_LITERAL,
  GO_NODE_IMPLICIT_LENGTH_ARRAY_TYPE,
  GO_NODE_IMPORT_DECLARATION,
  GO_NODE_IMPORT_SPEC,
  GO_NODE_IMPORT_SPEC_LIST,
  GO_NODE_INDEX_EXPRESSION,
  GO_NODE_INT_LITERAL,
  GO_NODE_INTERFACE_TYPE,
  GO_NODE_INTERPRETED_STRING_LITERAL,
  GO_NODE_IOTA,
  GO_NODE_KEYED_ELEMENT,
  GO_NODE_LABEL_NAME,
  GO_NODE_LABELED_STATEMENT,
  GO_NODE_LITERAL_ELEMENT,
  GO_NODE_LITERAL_VALUE,
  GO_NODE_MAP_TYPE,
  GO_NODE_METHOD_DECLARATION,
  GO_NODE_METHOD_ELEM,
  GO_NODE_NIL,
  GO_NODE_PACKAGE_IDENTIFIER,
  GO_NODE_PARAMETER_DECLARATION,
  GO_NODE_PARAMETER_LIST,
  GO_NODE_PARENTHESIZED_EXPRESSION,
  GO_NODE_PARENTHESIZED_TYPE,
  GO_NODE_POINTER_TYPE,
  GO_NODE_QUALIFIED_TYPE,
  GO_NODE_RANGE_CLAUSE,
  GO_NODE_RAW_STRING_LITERAL,
  GO_NODE_RECEIVE_STATEMENT,
  GO_NODE_RETURN_STATEMENT,
  GO_NODE_RUNE_LITERAL,
  GO_NODE_SELECT_STATEMENT,
  GO_NODE_SELECTOR_EXPRESSION,
  GO_NODE_SEND_STATEMENT,
  GO_NODE_SHORT_VAR_DECLARATION,
  GO_NODE_SLICE_EXPRESSION,
  GO_NODE_SLICE_TYPE,
  GO_NODE_STRUCT_TYPE,
  GO_NODE_TRUE,
  GO_NODE_TYPE_ALIAS,
  GO_NODE_TYPE_ARGUMENTS,
  GO_NODE_TYPE_ASSERTION_EXPRESSION,
  GO_NODE_TYPE_CASE,
  GO_NODE_TYPE_CONVERSION_EXPRESSION,
  GO_NODE_TYPE_DECLARATION,
  GO_NODE_TYPE_ELEM,
  GO_NODE_TYPE_IDENTIFIER,
  GO_NODE_TYPE_PARAMETER_DECLARATION,
  GO_NODE_TYPE_PARAMETER_LIST,
  GO_NODE_TYPE_SPEC,
  GO_NODE_TYPE_SWITCH_STATEMENT,
  GO_NODE_UNARY_EXPRESSION,
  GO_NODE_VAR_DECLARATION,
  GO_NODE_VAR_SPEC,
  GO_NODE_VAR_SPEC_LIST,
  GO_NODE_VARIADIC_PARAMETER_DECLARATION,
  GO_NODE_TOK_AMP,    /* "&" */
  GO_NODE_TOK_ARROW,  /* "<-" */
  GO_NODE_TOK_DEFINE, /* ":=" */
  GO_NODE_NKINDS
} go_node;

/* Field names of the Go grammar the analyzers use. */
typedef enum go_fid {
  GO_F_NONE = 0,
  GO_F_ALIAS,
  GO_F_ALTERNATIVE,
  GO_F_ARGUMENTS,
  GO_F_BODY,
  GO_F_CHANNEL,
  GO_F_COMMUNICATION,
  GO_F_CONDITION,
  GO_F_CONSEQUENCE,
  GO_F_ELEMENT,
  GO_F_FIELD,
  GO_F_FUNCTION,
  GO_F_INITIALIZER,
  GO_F_KEY,
  GO_F_LABEL,
  GO_F_LEFT,
  GO_F_LENGTH,
  GO_F_NAME,
  GO_F_OPERAND,
  GO_F_OPERATOR,
  GO_F_PACKAGE,
  GO_F_PARAMETERS,
  GO_F_PATH,
  GO_F_RECEIVER,
  GO_F_RESULT,
  GO_F_RIGHT,
  GO_F_TYPE,
  GO_F_TYPE_ARGUMENTS,
  GO_F_TYPE_PARAMETERS,
  GO_F_UPDATE,
  GO_F_VALUE,
  GO_F_NFIELDS
} go_fid;

/* The kind of n: the go_node whose name is ts_node_type(n); GO_NODE_OTHER for the rest and for
 * the null node. */
go_node go_node_kind(TSNode n);
static inline bool go_node_is(TSNode n, go_node k) { return go_node_kind(n) == k; }
/* The child of n in field f; the null node if none or if n is null. */
TSNode go_node_child(TSNode n, go_fid f);
/* The field id of f in the Go grammar (0 if the grammar has no such field). */
TSFieldId go_field_id(go_fid f);

/* ---- sites ---- */

/* What a site is. One node may be several sites (a call `mu.Lock()` is a CALL and a SYNC_CALL;
 * the callee `http.Get` of a call is also a SELECTOR). */
typedef enum go_site_kind {
  GO_SITE_FUNC = 0,  /* function_declaration, method_declaration, func_literal */
  GO_SITE_GO,        /* go_statement */
  GO_SITE_DEFER,     /* defer_statement */
  GO_SITE_CALL,      /* call_expression */
  GO_SITE_SYNC_CALL, /* call_expression whose callee name is a sync verb (see go_inspect_is_sync_name) */
  GO_SITE_COMPOSITE, /* composite_literal */
  GO_SITE_SELECTOR,  /* selector_expression whose operand is an identifier: `x.Name` */
  GO_SITE_SEND,      /* send_statement `ch <- v` */
  GO_SITE_RECV,      /* unary_expression `<-ch` (also the ones inside select cases) */
  GO_SITE_SELECT,    /* select_statement */
  GO_SITE_INDEX,     /* index_expression `x[k]` (reads and writes; map, slice, array or string) */
  GO_SITE_FOR,       /* for_statement (all forms: `for {}`, conditions, clauses, range loops) */
  GO_SITE_NKINDS
} go_site_kind;

/* GO_SITE_FUNC sites: which kind of function. */
typedef enum go_func_kind { GO_FUNC_DECL = 0, GO_FUNC_METHOD, GO_FUNC_LIT } go_func_kind;

/* One site. Strings and the site itself are owned by the pass arena, do not free.
 *
 * text, per kind:
 *   FUNC       the function or method name ("" for literals)
 *   CALL,
 *   SYNC_CALL  the callee as written, parentheses dropped: "f", "pkg.Func", "x.y.Method"; up to
 *              GO_INSPECT_MAX_SEGMENTS dot-separated segments; a segment that is not an
 *              identifier chain (a call, an index, a literal...) is "?": `f().Close()` gives
 *              "?.Close", `s.mus[i].Lock()` gives "?.Lock", `func(){...}()` gives "?"
 *   COMPOSITE  the literal's type as written, whitespace runs collapsed to one space: "http.Client",
 *              "[]int", "T" ("" for a literal without type, which is not a composite_literal node
 *              in this grammar anyway: elided `{...}` inside another literal is not a site)
 *   SELECTOR   "x.Name" (selector expressions only: `pkg.T` in a type position is a
 *              qualified_type and not a site)
 *   other      NULL
 * name: the last segment of text ("Lock" for "s.mu.Lock"); for COMPOSITE the type's name
 *   ("Client" for http.Client and &http.Client, "T" for T[int]), "?" for unnamed types ([]int,
 *   map, struct{...}); NULL when text is NULL.
 * sub, per kind:
 *   FUNC       the body block (null for a declaration without body)
 *   GO, DEFER  the call expression (may be another expression in code that does not compile)
 *   CALL,
 *   SYNC_CALL  the function expression (callee node)
 *   COMPOSITE  the type node
 *   SELECTOR   the operand identifier
 *   SEND       the channel expression
 *   RECV       the channel operand
 *   SELECT     null
 *   INDEX      the operand `x` of `x[k]`
 *   FOR        the range_clause of a range loop, else the for_clause or the condition expression;
 *              null for `for {}` */
typedef struct go_site {
  go_site_kind kind;
  uint32_t file;      /* index for omen_pass_go_file */
  TSNode node;        /* the site's node */
  TSNode parent;      /* node's parent (ts_node_parent(node), which walks down from the root: use this) */
  TSNode func;        /* innermost enclosing function (declaration, method or literal); null at top level */
  int32_t func_index; /* index of func in go_inspect.sites[GO_SITE_FUNC]; -1 at top level */
  go_func_kind fkind; /* FUNC only */
  const char *text;
  const char *name;
  TSNode sub;
  /* FUNC only */
  const char *recv; /* GO_FUNC_METHOD: receiver base type name ("T" for `(t *T)` or `(t T[K])`), else NULL */
  bool recv_ptr;    /* GO_FUNC_METHOD: pointer receiver */
  /* COMPOSITE only: the literal is the operand of `&` (then node's parent is that unary_expression) */
  bool addr;
} go_site;

enum { GO_INSPECT_MAX_SEGMENTS = 6, GO_INSPECT_MAX_SITES = 1 << 22 };

/* A top-level declaration of a file: an import, function, method, var, const or type declaration
 * (the named children of the root of those kinds), so that other base analyzers need not walk the
 * roots again. */
typedef struct go_top {
  uint32_t file; /* index for omen_pass_go_file */
  go_node kind;  /* GO_NODE_IMPORT_DECLARATION, _FUNCTION_DECLARATION, _METHOD_DECLARATION,
                  * _VAR_DECLARATION, _CONST_DECLARATION or _TYPE_DECLARATION */
  TSNode node;
} go_top;

/* The result of go-inspect. sites[k] is in walk order: file by file, in source order (a node
 * before the nodes it contains); so is tops. Owned by the pass arena, do not free. */
typedef struct go_inspect {
  size_t nfiles;
  const omen_go_file *const *files; /* files[i] == omen_pass_go_file(pass, i) */
  go_site *sites[GO_SITE_NKINDS];
  size_t nsites[GO_SITE_NKINDS];
  go_top *tops;
  size_t ntops;
  bool truncated; /* a kind reached GO_INSPECT_MAX_SITES; later sites (or tops) of that kind are missing */
  /* private: the block declarations of every file (see go_inspect_block_decls), sorted by file, then
   * scope start; per file whether they are complete */
  struct go_block_decl *bdecls;
  size_t nbdecls;
  bool *bdecls_known;
  /* private: per GO_SITE_FUNC site, the names it declares (see go_inspect_func_declares); NULL when
   * unknown */
  struct go_inspect_names *fnames;
  /* private: per kind, site pointers sorted by text and by name, built on first lookup */
  struct go_inspect_index *index;
} go_inspect;

/* How many times function fn (a GO_SITE_FUNC site) declares `name` in its own scope: its receiver,
 * parameters and results, and everything its body declares (`:=`, var, const and type specs, range
 * and type-switch variables, receive statements), but not what nested func literals declare. Counted
 * generously (a spec's type name counts too, and so does a bare identifier on the right of `:=`,
 * as in `b := a`), never too low. SIZE_MAX when not known (syntax errors). When it is 1
 * and fn has a parameter or receiver of that name, every use of the name in fn's own body (outside
 * nested literals that declare it) refers to that parameter. */
size_t go_inspect_func_declares(const go_inspect *r, const go_site *fn, const char *name);

/* A name that a statement of a block or case clause may declare: the statement (the block's child:
 * a short variable declaration, a var, const or type declaration, or a labeled one of those) and
 * the name as written there, from every identifier in its declaring positions. A superset (a spec's
 * type name is in it too): the caller confirms with the statement. */
typedef struct go_block_decl {
  uint32_t file;
  TSNode scope; /* the block, expression_case, default_case, type_case or communication_case */
  TSNode stmt;
  const char *name; /* interned */
} go_block_decl;

/* The block declarations of scope (a block or case clause of file), in source order: *n gets how
 * many. NULL with *n = SIZE_MAX when go-inspect does not know them for that file (syntax errors,
 * out of room): walk the scope instead. */
const go_block_decl *go_inspect_block_decls(const go_inspect *r, uint32_t file, TSNode scope, size_t *n);

/* Sites of kind k whose text equals text (lookup_name: whose name equals name). Returns how many;
 * *out gets an array of that many site pointers (in walk order), owned by the result. Kinds with
 * no text (GO, DEFER, SEND, RECV, SELECT, INDEX, FOR) always give 0. The first lookup of a kind sorts that
 * kind's sites (in the unit's arena); a unit's passes run on one thread, so this needs no lock. */
size_t go_inspect_lookup(const go_inspect *r, go_site_kind k, const char *text, const go_site *const **out);
size_t go_inspect_lookup_name(const go_inspect *r, go_site_kind k, const char *name,
                              const go_site *const **out);

/* Calls whose callee is exactly callee ("http.Get", "wg.Wait", "close"). Note the callee is as
 * written: resolve import aliases with go_types (go_types_qualified) when it matters. */
static inline size_t go_inspect_calls_to(const go_inspect *r, const char *callee,
                                         const go_site *const **out) {
  return go_inspect_lookup(r, GO_SITE_CALL, callee, out);
}
/* Calls whose callee's last segment is name ("Get" finds http.Get, nethttp.Get, c.Get, Get). */
static inline size_t go_inspect_calls_named(const go_inspect *r, const char *name,
                                            const go_site *const **out) {
  return go_inspect_lookup_name(r, GO_SITE_CALL, name, out);
}

/* The file of a site. */
static inline const omen_go_file *go_inspect_file(const go_inspect *r, const go_site *s) {
  return r->files[s->file];
}
static inline bool go_inspect_is_test(const go_inspect *r, const go_site *s) {
  return r->files[s->file]->file->is_test;
}

/* Could name be declared as a local anywhere in the unit: a parameter, result, receiver or type
 * parameter, a var, const or type spec, or a variable of `:=`, a range clause, a receive or a type
 * switch? false: certainly not, so a name lookup can skip the enclosing scopes; true: maybe (always,
 * for a unit with syntax errors). */
bool go_inspect_maybe_local(const go_inspect *r, const char *name);

/* The enclosing function site of s (NULL at top level); for a FUNC site, the function around it. */
const go_site *go_inspect_func_of(const go_inspect *r, const go_site *s);

/* The sites of kind k whose enclosing function is exactly the function site fn (not nested
 * literals); walks that kind's array, so cost is linear in it. Fills at most cap, returns the count. */
size_t go_inspect_sites_in(const go_inspect *r, go_site_kind k, const go_site *fn, const go_site **out,
                           size_t cap);

/* Is name one of the synchronization verbs that make a SYNC_CALL: Lock, Unlock, RLock, RUnlock,
 * TryLock, TryRLock, Wait, Add, Done. */
bool go_inspect_is_sync_name(const char *name);

/* The innermost function_declaration, method_declaration or func_literal strictly containing n;
 * null node at top level. Walks parents (no allocation), and ts_node_parent walks down from the root
 * each time: where the unit's go_inspect is at hand, use go_inspect_func_around. */
TSNode go_inspect_enclosing_func(TSNode n);

/* The same answer for node n of file, from the FUNC sites (a binary search, then up the nesting): the
 * innermost function site strictly containing n; NULL at top level. */
const go_site *go_inspect_func_around(const go_inspect *r, uint32_t file, TSNode n);
/* Its node; a null node at top level. */
TSNode go_inspect_func_node_around(const go_inspect *r, uint32_t file, TSNode n);

/* Copies n bytes of src to dst with each whitespace run collapsed to one space and none at the
 * start (dst may be src); stops at a NUL. Returns the length written, not NUL-terminated. */
size_t go_inspect_squash(char *dst, const char *src, size_t n);

#endif
