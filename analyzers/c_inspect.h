/* c_inspect.h - result of the c-inspect base analyzer: one walk of a C/C++ unit's main file giving
 * functions, calls, their statements, loops, variables, declaration references and thread/lock sites. */
#ifndef OMEN_C_INSPECT_H
#define OMEN_C_INSPECT_H

#include "pass.h"

/* "No index": the value of every index field that points nowhere. */
#define OMEN_C_NONE UINT32_MAX

/* A function definition: function, method, constructor, destructor, function template or lambda.
 * Byte offsets are into the main file. */
typedef struct omen_c_func {
  CXCursor cursor;
  const char *name;              /* spelling; "" for lambdas */
  uint32_t start, end;           /* the whole definition */
  uint32_t body_start, body_end; /* its body { ... }; both 0 when none was seen */
  uint32_t parent;               /* enclosing function (lambdas, local classes) or OMEN_C_NONE */
  bool incomplete;               /* part of it was not walked (nesting too deep): stay quiet on it */
} omen_c_func;

/* A loop statement inside a function. */
typedef struct omen_c_loop {
  CXCursor cursor;
  enum CXCursorKind kind; /* CXCursor_ForStmt, _WhileStmt, _DoStmt or _CXXForRangeStmt */
  uint32_t start, end;
  uint32_t body_start, body_end; /* the loop body (0, 0 when not seen) */
  uint32_t func;
  uint32_t parent;   /* enclosing loop in the same function, or OMEN_C_NONE */
  bool has_break;    /* a break leaves this loop */
  bool has_continue; /* a continue skips to its next iteration */
  bool has_goto;     /* contains a goto, which may leave it */
  bool once;         /* do { ... } while (0): runs once, not a loop */
} omen_c_loop;

/* Where a call sits relative to its statement (omen_c_call.stmt). */
typedef enum omen_c_place {
  OMEN_C_PLACE_EXPR = 0, /* the statement is an expression, declaration or return containing it */
  OMEN_C_PLACE_COND,     /* in the header of an if, while, for or switch, or the condition of a do */
  OMEN_C_PLACE_BRANCH,   /* in an unbraced branch or body of that statement */
  OMEN_C_PLACE_UNKNOWN,  /* the statement's text could not be read (macros) */
} omen_c_place;

/* The shape of the statement around a call, ignoring parentheses and casts. */
typedef enum omen_c_shape {
  OMEN_C_SHAPE_OTHER = 0, /* anything else, e.g. nested in a larger expression or a branch */
  OMEN_C_SHAPE_BARE,      /* f(...);  (void)f(...); */
  OMEN_C_SHAPE_ASSIGN,    /* x = f(...);  (the right-hand side of a plain assignment) */
  OMEN_C_SHAPE_INIT,      /* T x = f(...);  (a variable's initializer) */
  OMEN_C_SHAPE_RETURN,    /* return f(...); */
  OMEN_C_SHAPE_COND,      /* in the header (place COND), evaluated whenever the header is: not in
                           * the right operand of && or || nor in a branch of ?: */
} omen_c_shape;

/* The statement holding a call: the statement directly inside a compound statement (or under a
 * case/default/label inside one) that contains it. */
typedef struct omen_c_stmt {
  CXCursor cursor;
  enum CXCursorKind kind; /* e.g. CXCursor_CallExpr for `f();`, CXCursor_IfStmt, CXCursor_DeclStmt */
  uint32_t start, end;    /* end includes the trailing ';' when the statement has one */
} omen_c_stmt;

/* A call expression inside a function (C++: also constructor calls, including implicit ones). */
typedef struct omen_c_call {
  CXCursor cursor;
  CXCursor callee;  /* the referenced declaration; a null cursor when there is none */
  const char *name; /* callee name, e.g. "pthread_create", "join", "thread" ("" when unknown) */
  bool direct;      /* callee is a function, method or constructor (not a pointer variable) */
  bool in_macro;    /* the call's text comes from a macro body (its offsets are the expansion's) */
  uint32_t func;
  uint32_t start, end;
  uint32_t nargs;
  CXCursor *args;      /* nargs argument expressions (clang_Cursor_getArgument) */
  uint32_t *arg_start; /* nargs byte ranges of the arguments (start == end when unknown) */
  uint32_t *arg_end;
  omen_c_stmt stmt; /* its statement; kind CXCursor_InvalidCode when it has none */
  omen_c_place place;
  omen_c_shape shape;
  uint32_t loop;           /* innermost enclosing loop of the same function, or OMEN_C_NONE */
  uint32_t next_same_name; /* private: see omen_c_call_next */
} omen_c_call;

/* How a declaration reference is used. */
enum {
  OMEN_C_REF_ADDR = 1u << 0,   /* operand of unary & (through parentheses and casts) */
  OMEN_C_REF_ARG = 1u << 1,    /* an argument of a call (maybe as &x): see call and arg */
  OMEN_C_REF_CALLEE = 1u << 2, /* names the function being called */
};

/* A DeclRefExpr inside a function. */
typedef struct omen_c_ref {
  CXCursor cursor;
  CXCursor decl; /* the referenced declaration (VarDecl, ParmDecl, FunctionDecl, ...) */
  uint32_t func;
  uint32_t start, end;
  unsigned flags;          /* OMEN_C_REF_* */
  uint32_t call;           /* with OMEN_C_REF_ARG or _CALLEE: the call; else OMEN_C_NONE */
  uint32_t arg;            /* with OMEN_C_REF_ARG: the argument index */
  uint32_t next_same_decl; /* private: see omen_c_ref_next */
} omen_c_ref;

/* A variable declared inside a function (parameters are not included). */
typedef struct omen_c_var {
  CXCursor cursor;
  const char *name;
  uint32_t func;
  uint32_t start, end;           /* the declaration, e.g. `pthread_t t` */
  uint32_t name_start, name_end; /* its name */
  bool is_static;                /* static, extern or thread-local: not an automatic object */
  uint32_t loop;                 /* innermost loop it is declared in, or OMEN_C_NONE */
  uint32_t next_same_decl;       /* private */
} omen_c_var;

/* Thread and lock sites, by the callee's name (direct calls only). */
typedef enum omen_c_site_kind {
  OMEN_C_SITE_PTHREAD_CREATE,
  OMEN_C_SITE_PTHREAD_JOIN,
  OMEN_C_SITE_PTHREAD_DETACH,
  OMEN_C_SITE_PTHREAD_MUTEX_LOCK,
  OMEN_C_SITE_PTHREAD_MUTEX_TRYLOCK,
  OMEN_C_SITE_PTHREAD_MUTEX_UNLOCK,
  OMEN_C_SITE_THRD_CREATE,
  OMEN_C_SITE_THRD_JOIN,
  OMEN_C_SITE_THRD_DETACH,
  OMEN_C_SITE_MTX_LOCK,
  OMEN_C_SITE_MTX_TRYLOCK,
  OMEN_C_SITE_MTX_UNLOCK,
  OMEN_C_SITE_STD_THREAD, /* construction of a std::thread or std::jthread */
} omen_c_site_kind;

typedef struct omen_c_site {
  omen_c_site_kind kind;
  uint32_t call; /* index into calls */
} omen_c_site;

/* The result. Owned by the unit's arena, do not free; cursors are valid while the unit lives.
 * Arrays are in source order (pre-order of the walk). */
typedef struct omen_c_index {
  const omen_file *file;
  omen_c_func *funcs;
  uint32_t nfuncs;
  omen_c_call *calls;
  uint32_t ncalls;
  omen_c_loop *loops;
  uint32_t nloops;
  omen_c_ref *refs;
  uint32_t nrefs;
  omen_c_var *vars;
  uint32_t nvars;
  omen_c_site *sites;
  uint32_t nsites;
  /* private indexes */
  uint32_t *call_heads, *ref_heads, *var_heads;
  uint32_t ncall_heads, nref_heads, nvar_heads;
} omen_c_index;

/* Calls by callee name: for (uint32_t i = omen_c_call_first(in, "f"); i != OMEN_C_NONE;
 * i = omen_c_call_next(in, i)) ... visits them in source order. */
uint32_t omen_c_call_first(const omen_c_index *in, const char *name);
uint32_t omen_c_call_next(const omen_c_index *in, uint32_t i);

/* References to a declaration, the same way, in source order. */
uint32_t omen_c_ref_first(const omen_c_index *in, CXCursor decl);
uint32_t omen_c_ref_next(const omen_c_index *in, uint32_t i);

/* The function-local variable declared by decl, or OMEN_C_NONE. */
uint32_t omen_c_var_find(const omen_c_index *in, CXCursor decl);

/* The innermost function whose definition contains byte offset off, or OMEN_C_NONE. */
uint32_t omen_c_func_at(const omen_c_index *in, uint32_t off);
/* The index of the first call of in (calls are in source order) starting at or after byte offset
 * off; in->ncalls when there is none. */
uint32_t omen_c_call_at(const omen_c_index *in, uint32_t off);

/* Is loop l (or a loop nested in it) the loop at index inner, or does it contain it? */
bool omen_c_loop_within(const omen_c_index *in, uint32_t inner, uint32_t l);

/* ---- cursor helpers ---- */

/* The cursor's byte range in the main file; false when it is not there. */
bool omen_c_range(const omen_pass *p, CXCursor c, uint32_t *start, uint32_t *end);

/* The i-th child of c that is an expression (operands of operators, arguments of calls after the
 * callee, ...), or a null cursor. */
CXCursor omen_c_expr_child(CXCursor c, unsigned i);

/* e without enclosing parentheses, implicit conversions (UnexposedExpr) and C casts. */
CXCursor omen_c_strip(CXCursor e);

/* The variable or function e names, if e is (after omen_c_strip) a DeclRefExpr or &DeclRefExpr;
 * *addr (may be NULL) tells which. A null cursor otherwise (fields, elements, calls, ...). */
CXCursor omen_c_named_decl(CXCursor e, bool *addr);

/* Is c's spelling (its name) exactly name? */
bool omen_c_name_is(CXCursor c, const char *name);

/* Is c declared in namespace std or a namespace inside it (std::__1, std::chrono)? */
bool omen_c_in_std(CXCursor c);

/* Is e a null pointer constant: 0, NULL, nullptr, (void *)0? */
bool omen_c_is_null(CXCursor e);

/* Is e (a UnaryOperator) the address-of operator &? */
bool omen_c_is_addr_of(CXCursor e);

/* The operator of a BinaryOperator, CompoundAssignOperator or UnaryOperator read from the source
 * ("=", "&&", "+=", "!", "++", ...), copied into buf (size n >= 4); false when it cannot be read. */
bool omen_c_operator(const omen_pass *p, CXCursor op, char *buf, size_t n);

/* The branches of an if statement (see omen_c_if). */
typedef struct omen_c_if {
  uint32_t cond_end;  /* offset just past the ')' closing the condition */
  CXCursor then_stmt; /* always set when the call succeeds */
  uint32_t then_start, then_end;
  bool has_else;
  CXCursor else_stmt;
  uint32_t else_start, else_end;
} omen_c_if;

/* Splits an IfStmt into its branches; false when its text cannot be read (macros). */
bool omen_c_if_split(const omen_pass *p, CXCursor ifstmt, omen_c_if *out);

/* Does stmt (or the last statement of a compound) always leave: return, goto, break, continue,
 * throw, or a call to exit, abort or another noreturn function? */
bool omen_c_stmt_leaves(CXCursor stmt);

/* ---- text helpers for fixes ---- */

/* Start offset of the line holding off; *indent gets the length of its leading blanks. */
uint32_t omen_c_line_start(const omen_file *f, uint32_t off, uint32_t *indent);

/* Where to insert text after a statement ending at end. When only blanks and a comment follow on
 * its line, the end of that line and *eol = true (insert "\n<indent>text"); when code follows,
 * end itself and *eol = false (insert " text"). */
uint32_t omen_c_after_stmt(const omen_file *f, uint32_t end, bool *eol);

#endif
