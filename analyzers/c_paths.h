/* c_paths.h - a structural walk of one C/C++ function body that carries a client's set of abstract
 * states along every path (sequence, if/else, switch with fall-through, loops to a fixed point,
 * break/continue, forward goto to cleanup labels, return, the end of the body) and tells the client
 * the states each path has where it leaves the function. No control-flow graph is built: the walk
 * follows the syntax tree, joining states (bitwise or) where paths meet.
 *
 * Used by c-resource-leak ("is the handle still open at some return?"); the same shape answers
 * "is the lock still held at some return?" with other states and callbacks. */
#ifndef OMEN_C_PATHS_H
#define OMEN_C_PATHS_H

#include "pass.h"

/* A set of client states, one bit each (up to 32). 0 means no path reaches the point. */
typedef uint32_t omen_c_pset;

typedef struct omen_c_paths omen_c_paths;

/* Where a path leaves the function. */
typedef struct omen_c_exit {
  CXCursor stmt;       /* the ReturnStmt; a null cursor for the end of the body */
  uint32_t start, end; /* the return statement (without its ';'), or the body's closing brace */
  bool at_end;         /* falling off the end of the body */
  bool braced;         /* the return sits directly in a compound statement (or under a label or
                        * case inside one), so a statement can be inserted before it */
  uint32_t branch_of;  /* else: start of the if/while/for/do whose unbraced branch it is, or
                        * OMEN_C_NONE */
  CXCursor cond;       /* the condition of the innermost if whose branch holds the exit (a null
                        * cursor when none), and which branch: cond_truth */
  bool cond_truth;
} omen_c_exit;

/* The client's callbacks. client is the pointer given to omen_c_paths_walk. */
typedef struct omen_c_paths_ops {
  /* Required. The states after evaluating expression e: an expression statement, a condition (before
   * refine splits it), a loop header part, a switch operand. Expressions hold no statements except
   * GNU statement expressions: walk those with omen_c_paths_stmt. */
  omen_c_pset (*eval)(void *client, omen_c_paths *pw, CXCursor e, omen_c_pset st);
  /* Optional. The states on the branch where cond (already evaluated) is truth. NULL: no change. */
  omen_c_pset (*refine)(void *client, omen_c_paths *pw, CXCursor cond, bool truth, omen_c_pset st);
  /* Optional. A local variable declaration (VarDecl) is reached; init is its initializer or a null
   * cursor. NULL: eval of init. */
  omen_c_pset (*decl)(void *client, omen_c_paths *pw, CXCursor var, CXCursor init, omen_c_pset st);
  /* Optional. A return statement is reached; value is its operand or a null cursor. Returns the
   * states as the function leaves (exit is called next). NULL: eval of value. */
  omen_c_pset (*ret)(void *client, omen_c_paths *pw, CXCursor value, omen_c_pset st);
  /* Required. A path leaves the function with states st (never 0). */
  void (*exit)(void *client, omen_c_paths *pw, const omen_c_exit *x, omen_c_pset st);
  /* Optional. The states carried into the next iteration of a loop, from those at the end of its
   * body (e.g. to mark them as loop-carried). NULL: unchanged. */
  omen_c_pset (*back_edge)(void *client, omen_c_pset st);
  /* Optional. Does the statement at byte range [start,end) matter to the client? A statement the walk
   * cannot follow (a try statement, a declaration with many variables, an unknown statement kind)
   * makes the walk give up only when it matters. NULL: everything matters. */
  bool (*matters)(void *client, uint32_t start, uint32_t end);
  /* Optional. Text of a compound statement at [start,end), between two of its statements (or its
   * braces), that holds no statement of the tree: blanks, comments, preprocessor lines, or code
   * clang dropped because it did not compile. True gives the walk up. NULL: never. */
  bool (*gap)(void *client, uint32_t start, uint32_t end);
} omen_c_paths_ops;

/* Walks body (the CompoundStmt of a function, ending at byte offset body_end) from states init,
 * calling ops with client. Returns false when the walk gave up, and the client should not trust what
 * it saw: a backward or computed goto, a statement it could not split (macros), nesting deeper than
 * its cap, more labels than it keeps, a statement that matters and cannot be walked, or
 * omen_c_paths_bail from a callback. */
bool omen_c_paths_walk(omen_pass *pass, CXCursor body, uint32_t body_end, const omen_c_paths_ops *ops,
                       void *client, omen_c_pset init);

/* From a callback: walks statement s (e.g. the compound of a statement expression) from states st and
 * returns the states after it. */
omen_c_pset omen_c_paths_stmt(omen_c_paths *pw, CXCursor s, omen_c_pset st);

/* From a callback: give up the walk (omen_c_paths_walk returns false). */
void omen_c_paths_bail(omen_c_paths *pw);
bool omen_c_paths_failed(const omen_c_paths *pw);

/* From a callback: the byte range of the innermost compound statement being walked (the scope of a
 * variable declared there). */
void omen_c_paths_block(const omen_c_paths *pw, uint32_t *start, uint32_t *end);

/* The first children of a cursor (up to 8), its last child and how many it has in all. */
typedef struct omen_c_kids {
  CXCursor c[8];
  CXCursor last;
  unsigned n, total;
} omen_c_kids;
omen_c_kids omen_c_children(CXCursor c);

/* The value of integer constant expression e (0 for NULL, nullptr, (void *)0); false when it is not
 * one. */
bool omen_c_const_int(CXCursor e, long long *v);

#endif
