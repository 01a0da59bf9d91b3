/* go_fix.h - helpers shared by the Go analyzers (a library, not an analyzer): null-safe tree-sitter
 * accessors (go_ts_*) and gofmt-aware fix building (go_fix_*): edit lists, line geometry, adding a
 * `key: value` to a composite literal, importing a standard-library package, the local name of "time". */
#ifndef OMEN_GO_FIX_H
#define OMEN_GO_FIX_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "go_inspect.h"
#include "go_types.h"
#include "pass.h"

/* Pre-order step of a cursor made with ts_tree_cursor_new(root): into the current node's children
 * when descend is true, else past its subtree. False once the walk leaves root's subtree (a cursor
 * cannot move above the node it was made at). */
static inline bool go_ts_cursor_next(TSTreeCursor *c, bool descend) {
  if (descend && ts_tree_cursor_goto_first_child(c))
    return true;
  while (!ts_tree_cursor_goto_next_sibling(c))
    if (!ts_tree_cursor_goto_parent(c))
      return false;
  return true;
}

/* ---- null-safe node accessors ----
 * The tree-sitter runtime dereferences a null node, and broken code has holes (missing fields). */

static inline TSNode go_ts_null(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

/* Named children of n; 0 for the null node. */
static inline uint32_t go_ts_nnamed(TSNode n) {
  return ts_node_is_null(n) ? 0 : ts_node_named_child_count(n);
}

/* The i-th named child of n; the null node when there is none. */
static inline TSNode go_ts_nth(TSNode n, uint32_t i) {
  return i < go_ts_nnamed(n) ? ts_node_named_child(n, i) : go_ts_null();
}

static inline TSNode go_ts_parent(TSNode n) { return ts_node_is_null(n) ? n : ts_node_parent(n); }

/* omen_node_text_eq, false for the null node. */
static inline bool go_ts_teq(const omen_file *f, TSNode n, const char *s) {
  return !ts_node_is_null(n) && omen_node_text_eq(f, n, s);
}

/* omen_pass_node_text, "" for the null node. Owned by the pass arena, do not free. */
static inline const char *go_ts_text(omen_pass *p, const omen_file *f, TSNode n) {
  return ts_node_is_null(n) ? "" : omen_pass_node_text(p, f, n);
}

/* n without the parentheses around it. */
static inline TSNode go_ts_unparen(TSNode n) {
  while (go_node_is(n, GO_NODE_PARENTHESIZED_EXPRESSION) && go_ts_nnamed(n) == 1)
    n = go_ts_nth(n, 0);
  return n;
}

/* Is n of the tree-sitter type named t (for types go_node has no id for)? false for the null node. */
static inline bool go_ts_type_is(TSNode n, const char *t) {
  return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0;
}

/* Arguments of an argument_list without its comments: how many, and the idx-th (null if none). */
uint32_t go_ts_nargs(TSNode args);
TSNode go_ts_arg(TSNode args, uint32_t idx);

/* ---- edits ---- */

enum { GO_FIX_MAX_EDITS = 64 };

/* The edits of one fix being built, against one file's original text. Texts are owned by the pass
 * arena (or static), do not free. */
typedef struct go_fix_edits {
  struct {
    uint32_t start, end;
    const char *text;
  } v[GO_FIX_MAX_EDITS];
  size_t n;
} go_fix_edits;

/* Appends the edit replacing [start, end) by text; false when text is NULL or the list is full. */
bool go_fix_add(go_fix_edits *e, uint32_t start, uint32_t end, const char *text);

/* Adds the edits of e to d as one fix with message msg; nothing when d is NULL or e is empty. */
void go_fix_emit(omen_pass *pass, omen_diag *d, const omen_file *f, omen_applicability a,
                 const go_fix_edits *e, const char *msg);

/* ---- lines ---- */

/* The offset where off's line starts. */
uint32_t go_fix_line_start(const omen_file *f, uint32_t off);
/* The 1-based line of off. */
uint32_t go_fix_line_no(const omen_file *f, uint32_t off);
/* Is only whitespace (spaces, tabs) between the start of off's line and off? */
bool go_fix_starts_line(const omen_file *f, uint32_t off);
/* Is only whitespace (spaces, tabs, '\r') between off and the end of its line? */
bool go_fix_ends_line(const omen_file *f, uint32_t off);
/* Like go_fix_ends_line, but a line comment may follow (it ends up after the replacement). */
bool go_fix_ends_line_or_comment(const omen_file *f, uint32_t off);
/* The spaces and tabs that start off's line. Owned by the pass arena, do not free; NULL when out of memory.
 */
const char *go_fix_indent_of(omen_pass *pass, const omen_file *f, uint32_t off);

/* ---- gofmt-aware edits ---- */

/* Appends to out the edits that add `key: value` to the keyed composite literal body (a
 * literal_value) the way gofmt would print it, realigning the run of single-line elements above the
 * closing brace; false when no gofmt-clean edit is known (positional elements, comments in the way,
 * unusual spacing). */
bool go_fix_literal_edits(omen_pass *pass, const omen_file *f, TSNode body, const char *key,
                          const char *value, go_fix_edits *out);

/* Appends to out the edits that import path (a standard-library package) into file fi (f) at its
 * gofmt-sorted place: into the first group of standard-library imports of the first import block, or a
 * new group above the others; a single `import "x"` becomes a block. false when no gofmt-clean edit is
 * known (no imports yet, comments in the way, specs that share a line). strict_eol: the single import
 * must end its line in a bare '\n' (a '\r' refuses); otherwise the rest of its line is checked with
 * go_fix_ends_line. */
bool go_fix_import_edits(omen_pass *pass, const go_types *ty, uint32_t fi, const omen_file *f,
                         const char *path, bool strict_eol, go_fix_edits *out);

/* The name package time has at node at of file fi ("time" or its alias); *need_import is set when
 * "time" is not imported and must be (go_fix_import_edits). NULL when no clean way is known: the import
 * is shadowed at `at`, time is dot- or blank-imported, or the name time is taken. Static or owned by
 * ty, do not free. */
const char *go_fix_time_name(const go_types *ty, uint32_t fi, TSNode at, bool *need_import);

/* ---- literals and the variables they are assigned to ---- */

/* The variable a value is assigned to (`x := v`, `var x = v`, `x = v`, `s.x = v`: the identifier or
 * selector on the left at the value's position); null if none. */
TSNode go_fix_assigned_name(TSNode value);

/* The value that a local declaration decl (a short_var_declaration or var_spec) gives its name id: the
 * expression at id's position on the right; null when there is none (`var x T`). When one call gives
 * several names (`a, b := f()`), that call if shared_call, else null. */
TSNode go_fix_decl_value(TSNode decl, TSNode id, bool shared_call);

/* Is `x.<field> = ...` assigned, for one of the NULL-terminated fields, after the composite literal
 * site lit in its function (anywhere in the package for a literal at top level), where x is the
 * variable the literal (or its address) is assigned to? */
bool go_fix_field_assigned_later(omen_pass *pass, const go_inspect *ins, const go_site *lit,
                                 const char *const *fields);

/* Does the literal body set one of the NULL-terminated fields, or list all fields positionally? */
bool go_fix_literal_sets(const omen_file *f, TSNode body, const char *const *fields);

/* ---- calls ---- */

/* Appends to out the edit that puts ctx first in the argument list args (empty, when not NULL,
 * follows ctx in an empty list: ", nil"); false when the list has comments or line breaks in the way. */
bool go_fix_first_arg_edits(omen_pass *pass, const omen_file *f, TSNode args, const char *ctx,
                            const char *empty, go_fix_edits *out);

/* Is s in test code: a _test.go file, a test-helper package (its name starts or ends with "test",
 * ends with "tests"/"testing" or contains "testutil"), or a file that imports net/http/httptest?
 * Clients, servers, dials and handler sends there talk to loopback peers the test owns. */
/* Go source for a duration of ns nanoseconds (> 0) in the largest unit that divides it: "30 * time.Second"
 * when spaced (gofmt's form for a product standing alone, as a composite literal value), else
 * "30*time.Second" (its form in an argument list of several). tpkg: the name time is imported as. */
const char *go_fix_duration(omen_arena *a, long long ns, const char *tpkg, bool spaced);
/* Go source for a size in bytes (> 0): "1<<20" for a power of two from 1 KiB up, else the decimal
 * number; *human (may be NULL) gets it for people: "1 MiB", "1500 bytes". */
const char *go_fix_bytes(omen_arena *a, long long n, const char **human);

bool go_fix_in_test_code(const omen_pass *pass, const go_inspect *ins, const go_types *ty, const go_site *s);

#endif
