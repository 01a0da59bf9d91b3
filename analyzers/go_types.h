/* go_types.h - result of the go-types base analyzer: the package index of a Go unit (imports,
 * package-level declarations, structs, methods, signatures) and type-lite resolution of expressions.
 *
 * Canonical type text. Every type this API returns is a string in one canonical form, so analyzers
 * compare strings and import aliases never matter:
 *   - a type from an imported package is qualified by its full import path: "net/http.Client",
 *     "*net/http.Client", "context.Context", "*database/sql.DB", "gopkg.in/yaml.v3.Node"
 *     (the name never contains a dot, so the path is everything before the last dot);
 *   - types declared in the unit's own package and predeclared types are unqualified: "T", "*T",
 *     "int", "error", "string", "any";
 *   - composite types are spelled like go/types' TypeString with single spaces:
 *     "[]byte", "[4]int", "[...]int", "map[string]*T", "chan int", "<-chan time.Time",
 *     "chan<- error", "func(int, string) (int, error)", "func()", "T[int]" (generics);
 *   - struct and interface type literals are their source text with whitespace runs collapsed to
 *     one space ("struct{}", "interface{}", "struct{ a int }").
 * Unknown is NULL: when any part of a type cannot be resolved the whole answer is NULL, and
 * analyzers must stay quiet rather than guess.
 *
 * All strings and structures are owned by the pass arena, do not free. Query functions may
 * allocate in that arena (they take a const result but the arena is the unit's). */
#ifndef OMEN_GO_TYPES_H
#define OMEN_GO_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzers.h"
#include "pass.h"

/* ---- imports ---- */

typedef enum go_import_kind {
  GO_IMPORT_PLAIN = 0, /* import "net/http" */
  GO_IMPORT_ALIAS,     /* import nethttp "net/http" */
  GO_IMPORT_DOT,       /* import . "net/http"  (name ".") */
  GO_IMPORT_BLANK,     /* import _ "net/http"  (name "_") */
} go_import_kind;

typedef struct go_import {
  const char *path; /* unquoted import path */
  const char *name; /* the name it binds in the file: the alias, else the package name */
  go_import_kind kind;
  bool assumed; /* PLAIN import outside the standard library: name is guessed from the path
                 * (last element, "vN" skipped, "go-" prefix and non-identifier tail dropped) */
  bool std;     /* standard library path (no dot in its first element) */
  TSNode spec;  /* import_spec */
  TSNode decl;  /* its import_declaration */
} go_import;

/* ---- signatures, structs, methods ---- */

typedef struct go_param {
  const char *name; /* NULL when unnamed */
  const char *type; /* canonical; NULL when unknown. A variadic `...T` parameter is "[]T". */
  TSNode node;      /* parameter_declaration or variadic_parameter_declaration */
} go_param;

typedef struct go_sig {
  go_param *params;
  size_t nparams;
  bool variadic;
  go_param *results;
  size_t nresults;
  const char **result_types; /* results[i].type, as an array (for go_types_call_results) */
} go_sig;

typedef struct go_field {
  const char *name; /* an embedded field's name is its type's name ("Mutex" for sync.Mutex, "T" for *T) */
  const char *type; /* canonical, NULL when unknown */
  bool embedded;
  TSNode node; /* field_declaration */
} go_field;

typedef struct go_struct {
  const char *name; /* package-level type name */
  uint32_t file;
  TSNode spec;      /* type_spec */
  go_field *fields; /* built on first use: see go_types_complete */
  size_t nfields;
} go_struct;

/* A method of a package type: from a method_declaration, or a method_elem of an interface type. */
typedef struct go_method {
  const char *recv; /* receiver base type name ("T" for `func (t *T) M()`) or interface name */
  const char *name;
  bool ptr;   /* pointer receiver */
  bool iface; /* declared in an interface type */
  uint32_t file;
  TSNode decl; /* method_declaration or method_elem */
  go_sig sig;  /* built on first use: see go_types_complete */
} go_method;

/* ---- package-level declarations ---- */

typedef enum go_decl_kind { GO_DECL_VAR = 0, GO_DECL_CONST, GO_DECL_TYPE, GO_DECL_FUNC } go_decl_kind;

typedef struct go_decl {
  const char *name;
  go_decl_kind kind;
  uint32_t file;
  TSNode name_node;  /* identifier / type_identifier */
  TSNode spec;       /* var_spec, const_spec, type_spec, type_alias, function_declaration */
  TSNode type;       /* declared type node: var/const with a type, the type of a type spec; else null */
  TSNode values;     /* var/const: the expression_list of values (for consts without one, the
                      * nearest preceding spec's in the group); else null */
  uint32_t index;    /* position of name among the spec's names */
  uint32_t nnames;   /* how many names the spec declares */
  bool alias;        /* GO_DECL_TYPE declared with `=` */
  const go_sig *sig; /* GO_DECL_FUNC (built on first use: see go_types_complete) */
} go_decl;

/* ---- the result ---- */

typedef struct go_types {
  const char *pkg; /* package name */
  size_t nfiles;
  const omen_go_file *const *files;
  go_import **imports; /* per file */
  size_t *nimports;
  go_decl *decls; /* sorted by name (blank `_` declarations left out) */
  size_t ndecls;
  go_struct *structs; /* sorted by name */
  size_t nstructs;
  go_method *methods; /* sorted by recv, then name */
  size_t nmethods;
  /* private */
  omen_arena *arena;          /* the unit's arena, for query answers */
  struct go_types_lazy *lazy; /* which signatures and struct fields are built; node -> signature */
} go_types;

/* ---- the package index ----
 * go-types indexes names eagerly and builds signatures and struct fields on first use: the
 * functions below return entries with them built (go_types_decl, go_types_struct, go_types_method,
 * go_types_methods_of, go_types_sig_of, and the pkg of a go_binding from go_types_lookup). Code
 * that reads sig or fields straight from the decls, structs or methods arrays calls
 * go_types_complete once first. A unit's passes run on one thread, so this needs no lock. */

/* Build every signature and struct field list of the index (for code that walks the arrays). */
void go_types_complete(const go_types *t);

/* The imports of a file; *n gets the count. */
const go_import *go_types_imports(const go_types *t, uint32_t file, size_t *n);
/* The first PLAIN or ALIAS import of path in file; NULL if none. */
const go_import *go_types_import_of(const go_types *t, uint32_t file, const char *path);
/* A package-level declaration by name (any file of the unit); NULL if none. */
const go_decl *go_types_decl(const go_types *t, const char *name);
/* A package struct type by name; NULL if none (or not a struct). */
const go_struct *go_types_struct(const go_types *t, const char *name);
/* A field of a struct (not promoted); NULL if none. */
const go_field *go_types_field(const go_struct *s, const char *name);
/* A method of package type recv by name; NULL if none. All methods of recv: go_types_methods_of. */
const go_method *go_types_method(const go_types *t, const char *recv, const char *name);
size_t go_types_methods_of(const go_types *t, const char *recv, const go_method **out);
/* The signature of a package function or method node (function_declaration, method_declaration);
 * NULL for other nodes. Func literals: go_types_sig_of_lit. */
const go_sig *go_types_sig_of(const go_types *t, TSNode fn);
/* The signature of a func_literal (computed on each call); NULL on failure. */
const go_sig *go_types_sig_of_lit(const go_types *t, uint32_t file, TSNode lit);

/* ---- names and scopes ---- */

typedef enum go_bind_kind {
  GO_BIND_NONE = 0, /* not declared anywhere visible (maybe a dot import, maybe broken code) */
  GO_BIND_LOCAL,    /* a parameter, result, receiver, local var/const/type, range or switch variable */
  GO_BIND_PACKAGE,  /* a package-level declaration */
  GO_BIND_IMPORT,   /* an import's name in this file */
  GO_BIND_UNIVERSE, /* predeclared: int, error, len, make, nil, true... */
} go_bind_kind;

typedef struct go_binding {
  go_bind_kind kind;
  TSNode decl;          /* LOCAL: the declaring node: parameter_declaration, variadic_parameter_declaration,
                         * short_var_declaration, var_spec, const_spec, type_spec, type_alias,
                         * range_clause, receive_statement, type_switch_statement (its alias) */
  TSNode name;          /* LOCAL: the declaring identifier */
  const go_decl *pkg;   /* PACKAGE */
  const go_import *imp; /* IMPORT */
} go_binding;

/* What name means at node at (an identifier use, or any node where a name would be looked up) in
 * file: locals of enclosing blocks declared before at, parameters and results of enclosing
 * functions, then the file's imports, the package's declarations, the universe. An identifier that
 * is itself a declaration (the x of `x := ...`, a parameter name) binds to that declaration.
 * Returns b->kind. Cheap to call often: a name no scope of the unit declares skips the scopes
 * (go_inspect_maybe_local), each block and function is indexed by name on first use, and the path
 * from the root to at starts from the previous lookup's. */
go_bind_kind go_types_lookup(const go_types *t, uint32_t file, TSNode at, const char *name, go_binding *b);
/* Same, for the identifier node id itself. */
go_bind_kind go_types_lookup_ident(const go_types *t, uint32_t file, TSNode id, go_binding *b);

/* If expr is `pkg.Name` where pkg is (not shadowed) an import of file, or an identifier Name that a
 * dot import of file provides (only for names in the standard-library table), sets *path to the
 * import path and *name to Name and returns true. `nethttp.Get` with `import nethttp "net/http"`
 * gives ("net/http", "Get"). Parentheses around expr are ignored. path or name may be NULL. */
bool go_types_qualified(const go_types *t, uint32_t file, TSNode expr, const char **path, const char **name);

/* ---- type-lite ---- */

/* The canonical type of expression expr in file; NULL when unknown. Covers: identifiers (params,
 * results, receivers, `var x T`, `x := e`, `var x = e`, multi-value `a, b := f()`, comma-ok forms,
 * range variables, type-switch variables, select receive variables, package vars and consts),
 * composite literals and `&T{...}`, `&x`, `*p`, `<-ch`, conversions `T(x)` (package, predeclared and
 * table types), `make`/`new`/`append`/`len`, calls of package functions, methods of package types
 * (including promoted through embedded fields) and interfaces, calls in the standard-library table,
 * selectors of struct fields (package structs, promoted fields, table fields), index and slice
 * expressions, type assertions, basic literals (default types) and arithmetic/comparison. */
const char *go_types_type_of(const go_types *t, uint32_t file, TSNode expr);

/* The canonical result types of a call expression; *n gets the count (0 and NULL when unknown, and
 * for calls with no results). Single entries may be NULL when that result's type is unknown. */
const char *const *go_types_call_results(const go_types *t, uint32_t file, TSNode call, size_t *n);

/* The canonical text of a type node of file (NULL when a part is unknown, e.g. an unimported package). */
const char *go_types_canonical(const go_types *t, uint32_t file, TSNode type);

/* Does canonical type ty name the type path.name, directly or as a pointer? *ptr (may be NULL) says
 * which. go_types_is_named("*net/http.Client", "net/http", "Client", &p) is true with p true. */
bool go_types_is_named(const char *ty, const char *path, const char *name, bool *ptr);
/* "*T" -> "T"; other types unchanged; NULL stays NULL. */
const char *go_types_deref(const char *ty);
/* Element type of a canonical slice, array, map (the value), channel or pointer-to-array type;
 * NULL otherwise. go_types_map_key: the key of a map type. Results point into ty or the arena. */
const char *go_types_elem(const go_types *t, const char *ty);
const char *go_types_map_key(const go_types *t, const char *ty);

/* ---- the standard-library table ---- */

typedef enum go_std_kind {
  GO_STD_FUNC = 0, /* package function: results */
  GO_STD_METHOD,   /* method of recv: results */
  GO_STD_VAR,      /* package variable: types[0] is its type */
  GO_STD_FIELD,    /* field of struct recv: types[0] is its type */
  GO_STD_TYPE,     /* package type (for conversions `time.Duration(x)`) */
} go_std_kind;

typedef struct go_std_entry {
  const char *path; /* import path */
  const char *recv; /* METHOD, FIELD: the type name (no star); else NULL */
  const char *name;
  go_std_kind kind;
  const char *types[3]; /* canonical results (FUNC, METHOD) or type (VAR, FIELD); NULL-terminated */
} go_std_entry;

/* A table entry: package-level (recv NULL) or a method/field of path.recv; NULL if not listed. */
const go_std_entry *go_types_std(const char *path, const char *recv, const char *name);

/* ---- small helpers for analyzers ---- */

/* Is path a standard-library import path (no dot in its first element)? */
bool go_types_is_std_path(const char *path);

#endif
