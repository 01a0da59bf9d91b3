/* go_inspect.h - result of the go-inspect base analyzer: the sites of a Go unit by kind, from one walk. */
#ifndef OMEN_GO_INSPECT_H
#define OMEN_GO_INSPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzers.h"
#include "pass.h"

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
 *   SELECT     null */
typedef struct go_site {
  go_site_kind kind;
  uint32_t file;      /* index for omen_pass_go_file */
  TSNode node;        /* the site's node */
  TSNode func;        /* innermost enclosing function (declaration, method or literal); null at top level */
  int32_t func_index; /* index of func in go_inspect.sites[GO_SITE_FUNC]; -1 at top level */
  const char *text;
  const char *name;
  TSNode sub;
  /* FUNC only */
  go_func_kind fkind;
  const char *recv; /* GO_FUNC_METHOD: receiver base type name ("T" for `(t *T)` or `(t T[K])`), else NULL */
  bool recv_ptr;    /* GO_FUNC_METHOD: pointer receiver */
  /* COMPOSITE only: the literal is the operand of `&` (then node's parent is that unary_expression) */
  bool addr;
} go_site;

enum { GO_INSPECT_MAX_SEGMENTS = 6, GO_INSPECT_MAX_SITES = 1 << 22 };

/* The result of go-inspect. sites[k] is in walk order: file by file, in source order (a node
 * before the nodes it contains). Owned by the pass arena, do not free. */
typedef struct go_inspect {
  size_t nfiles;
  const omen_go_file *const *files; /* files[i] == omen_pass_go_file(pass, i) */
  go_site *sites[GO_SITE_NKINDS];
  size_t nsites[GO_SITE_NKINDS];
  bool truncated; /* a kind reached GO_INSPECT_MAX_SITES; later sites of that kind are missing */
  /* private: per kind, site pointers sorted by text and by name, for the lookups below */
  const go_site **by_text[GO_SITE_NKINDS];
  const go_site **by_name[GO_SITE_NKINDS];
} go_inspect;

/* Sites of kind k whose text equals text (lookup_name: whose name equals name). Returns how many;
 * *out gets an array of that many site pointers (in walk order), owned by the result. Kinds with
 * no text (GO, DEFER, SEND, RECV, SELECT) always give 0. */
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
 * null node at top level. Walks parents (no allocation). */
TSNode go_inspect_enclosing_func(TSNode n);

#endif
