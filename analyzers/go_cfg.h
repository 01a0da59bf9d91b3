/* go_cfg.h - result of the go-cfg base analyzer: intra-procedural control-flow graphs of the Go
 * functions of a unit (declarations, methods, literals), built on first request, with path queries
 * and a forward dataflow solver.
 *
 * The graph. A function's CFG is a list of basic blocks. A block holds CFG nodes: the tree-sitter
 * nodes that execute, in order. A simple statement is one node (`x := f()`, `mu.Lock()`,
 * `defer f.Close()`, `go work()`, `return err`, `ch <- v`, `i++`, `var x = y`). A compound statement
 * contributes its parts: the initializer statement and the condition expression of an `if`; the
 * initializer, condition and post statement of a `for` clause; the range expression (evaluated once,
 * before the loop) and the range clause's left expression list (assigned per iteration: the first
 * node of the loop body's block); the initializer and tag of a switch (for a type switch, the alias
 * list and the operand) and the value list of each case; the communication statement of each select
 * case, first in its case's block. Nodes never overlap, so every statement
 * or expression of the function lies in at most one node (go_cfg_find). Function literals inside a
 * node belong to that node here and have CFGs of their own.
 *
 * Edges: if/else; for loops (the head tests the condition; `continue` goes to the post statement or
 * the head; `break` leaves), range loops (the head branches into the body or out); expression
 * switches (a switch with a tag branches from one block to every case and to default or past the
 * switch; a switch without a tag tests its single-expression cases in order, each test a
 * conditional block, and reaches default last, wherever it is written), type switches (like a tag
 * switch), `fallthrough` (to the next case's body), select (one block branching to every case; a
 * select with no cases has no successor); labeled `break` and `continue`; `goto` and labels.
 *
 * Conditional blocks: when block.cond is not null, it is the block's last node (a boolean
 * expression) and the block has exactly two successors: succs[0] is taken when cond is true,
 * succs[1] when it is false. Path queries and the solver pass (cond, sense) to edge callbacks so
 * callers can prune edges that cannot be taken (`err != nil` just after a successful check).
 *
 * Exits: blocks[GO_CFG_EXIT] is the normal exit: a block whose last node is a return_statement has
 * one successor, the exit; so has the block that falls off the end of the body. blocks[GO_CFG_PANIC]
 * is the abnormal exit, reached after calls that do not return normally: panic(...), os.Exit,
 * syscall.Exit, runtime.Goexit, X.Fatal/Fatalf/Fatalln (log, testing, loggers), X.Panicf/Panicln,
 * log.Panic, X.FailNow/SkipNow/Skipf and t.Skip/b.Skip/tb.Skip (as expression statements). These
 * are matched by name, without types: an import alias of os or log is not recognized. Code after a
 * return, a branch or such a call starts a new block with no predecessors (unreachable).
 *
 * Defer and go statements are nodes like any other, so a path that passes `defer x.Close()` has
 * registered that defer; go_cfg_fn also lists them per function, in source order.
 *
 * Memory: everything is owned by the pass arena, do not free. The CFG of a function is built on the
 * first go_cfg_of call for it and cached; a unit's passes run on one thread, so this needs no lock.
 * Bad input never aborts: syntax errors in the function, nesting deeper than GO_CFG_MAX_DEPTH, or a
 * break/continue/goto/fallthrough with no target set fn->incomplete; the graph is still usable (a
 * statement nested too deep is one opaque node, a jump with no target ends its path), but analyzers
 * that must not guess should skip incomplete functions. More than GO_CFG_MAX_BLOCKS blocks, or
 * running out of memory, gives no CFG (NULL). */
#ifndef OMEN_GO_CFG_H
#define OMEN_GO_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzers.h"
#include "go_inspect.h"
#include "pass.h"

enum {
  GO_CFG_ENTRY = 0, /* blocks[0]: the function's entry */
  GO_CFG_EXIT = 1,  /* blocks[1]: normal exit (return, falling off the end); holds no nodes */
  GO_CFG_PANIC = 2, /* blocks[2]: abnormal exit (panic, os.Exit, log.Fatal...); holds no nodes */
  GO_CFG_MAX_DEPTH = 512,
  GO_CFG_MAX_BLOCKS = 1 << 20,
  GO_CFG_MAX_STATE = 8 /* path queries: states are 0 .. GO_CFG_MAX_STATE-1 */
};

typedef struct go_cfg_block {
  uint32_t index;
  TSNode *nodes; /* in execution order */
  uint32_t nnodes;
  uint32_t *succs; /* block indexes */
  uint32_t nsuccs;
  TSNode cond;      /* null, or the last node: succs[0] if true, succs[1] if false */
  const char *kind; /* what started the block, for dumps: "entry", "if.then", "for.head", ... */
} go_cfg_block;

/* The CFG of one function. */
typedef struct go_cfg_fn {
  uint32_t file; /* index for omen_pass_go_file */
  TSNode func;   /* function_declaration, method_declaration or func_literal */
  TSNode body;   /* its block (null for a declaration without body: then only entry -> exit) */
  go_cfg_block *blocks;
  uint32_t nblocks;
  TSNode *defers; /* defer_statement nodes of this function (not of nested literals), source order */
  uint32_t ndefers;
  TSNode *gos; /* go_statement nodes, likewise */
  uint32_t ngos;
  bool incomplete; /* see the header comment: limits, ERROR nodes, jumps without target */
  /* private: nodes sorted by start byte, for go_cfg_find */
  struct go_cfg_ref *refs;
  uint32_t nrefs;
} go_cfg_fn;

/* A place in a CFG: node index within block. */
typedef struct go_cfg_pos {
  uint32_t block, index;
} go_cfg_pos;

/* The result of go-cfg (opaque). */
typedef struct go_cfg go_cfg;

/* The CFG of a function site (a GO_SITE_FUNC site of go-inspect), or of a function node
 * (function_declaration, method_declaration or func_literal) of file. NULL when fn is not a
 * function, has more than GO_CFG_MAX_BLOCKS blocks, or memory runs out. Built on first use, then
 * cached. */
const go_cfg_fn *go_cfg_of(go_cfg *cfg, const go_site *fn);
const go_cfg_fn *go_cfg_of_node(go_cfg *cfg, uint32_t file, TSNode fn);

/* Builds a CFG without the analyzer (for tests and tools): f's text, fn a function node in it. */
const go_cfg_fn *go_cfg_build(omen_arena *a, const omen_file *f, uint32_t file, TSNode fn);

/* The CFG node containing n (n itself, or the statement or part of this function whose range
 * contains it; for n inside a nested func literal, the node containing the literal). */
bool go_cfg_find(const go_cfg_fn *fn, TSNode n, go_cfg_pos *pos);
static inline TSNode go_cfg_node_at(const go_cfg_fn *fn, go_cfg_pos p) {
  return fn->blocks[p.block].nodes[p.index];
}

/* ---- path queries ----
 * A search walks every path forward from a node, node by node. Each path carries a small state
 * (0 .. GO_CFG_MAX_STATE-1, starting at 0) the callbacks may use, for example "err was assigned
 * again on this path" (a callback setting a larger state gets the largest). A path ends when:
 *   - the node callback returns true for a node (the node "covers" the path: the Unlock, the
 *     Close, `defer cancel()`, a return that hands the value back); it may first change *state;
 *   - the edge callback returns false for a conditional edge (the edge cannot be taken, or taking
 *     it covers the path: `for rows.Next()` exiting closes the rows);
 *   - it reaches a node already visited with the same state, or a block with no successors;
 *   - it reaches an exit: then that exit is a witness.
 * Callbacks may be NULL (nothing covers; every edge is taken). The start node itself is not passed
 * to the node callback. */
typedef bool (*go_cfg_node_fn)(void *ctx, TSNode node, uint8_t *state);
typedef bool (*go_cfg_edge_fn)(void *ctx, TSNode cond, bool sense, uint8_t state);

typedef struct go_cfg_query {
  go_cfg_node_fn node;
  go_cfg_edge_fn edge;
  void *ctx;
  bool panics; /* also count the abnormal exit (panic, os.Exit...) as an exit */
} go_cfg_query;

typedef enum go_cfg_exit_kind {
  GO_CFG_EXIT_RETURN = 0, /* node is the return_statement */
  GO_CFG_EXIT_END,        /* falls off the end: node is the body block (its last byte is the `}`) */
  GO_CFG_EXIT_PANIC,      /* node is the expression_statement of the panic/os.Exit/Fatal call */
} go_cfg_exit_kind;

typedef struct go_cfg_exit {
  go_cfg_exit_kind kind;
  TSNode node;
} go_cfg_exit;

/* Every exit some uncovered path from the node at `from` reaches. Returns how many distinct exits
 * there are; fills out with up to cap of them in source order. 0 when every path is covered (or
 * on out of memory: treat as "don't know" and stay quiet). */
size_t go_cfg_exits(const go_cfg_fn *fn, go_cfg_pos from, const go_cfg_query *q, go_cfg_exit *out,
                    size_t cap);

/* go_cfg_exits from the function's entry: the first node of the body goes to the node callback too
 * ("does every path through the function pass a covering node?"). */
size_t go_cfg_entry_exits(const go_cfg_fn *fn, const go_cfg_query *q, go_cfg_exit *out, size_t cap);

/* Is there a path from `from` to an exit that no covering node or pruned edge ends? If so and
 * witness is not NULL, it gets the first such exit in source order. The question the lock-set
 * analyzers ask ("a return between Lock and Unlock without the Unlock") is
 *   go_cfg_path_to_exit(fn, pos_of_lock, &(go_cfg_query){.node = is_unlock_of_mu, .ctx = mu}, &w). */
bool go_cfg_path_to_exit(const go_cfg_fn *fn, go_cfg_pos from, const go_cfg_query *q, go_cfg_exit *witness);

/* Is there a path from `from` to the node at `to` (not passing a covering node)? With to == from:
 * does a loop lead back to it (the resource acquired there is replaced while still held)? */
bool go_cfg_reaches(const go_cfg_fn *fn, go_cfg_pos from, go_cfg_pos to, const go_cfg_query *q);

/* ---- forward dataflow ----
 * A fact is nwords 64-bit words (a bit set: locks held, variables open...). The solver iterates to
 * a fixed point over the blocks: in[entry] = entry fact; in[b] = meet of the out facts of b's
 * predecessors, refined per conditional edge by flow->edge; out[b] = flow->node applied to each node
 * of b in order. The meet is union (`may` facts) or, with flow->must, intersection (`must` facts:
 * a lock held on every path). Transfer functions must be monotone. */
typedef struct go_cfg_flow {
  uint32_t nwords; /* 1 .. 64 */
  bool must;
  void (*node)(void *ctx, TSNode node, uint64_t *fact);             /* may be NULL */
  void (*edge)(void *ctx, TSNode cond, bool sense, uint64_t *fact); /* may be NULL */
  void *ctx;
} go_cfg_flow;

/* Solves flow on fn. *in gets nblocks * nwords words (in the arena): the fact at the start of each
 * block (in[b * nwords ...]); *reached (may be NULL) gets nblocks flags, false for blocks no path
 * from the entry reaches (their facts are zero). The fact at the normal exit is in[GO_CFG_EXIT].
 * Returns OMEN_OK; OMEN_ENOMEM, OMEN_EUSAGE (bad arguments) or OMEN_ELIMIT (no fixed point within
 * the iteration budget: a transfer function is not monotone) leave *in and *reached NULL. */
omen_status go_cfg_forward(omen_arena *a, const go_cfg_fn *fn, const go_cfg_flow *flow, const uint64_t *entry,
                           uint64_t **in, bool **reached);

/* ---- helpers ---- */

/* Is call (a call_expression) one of the calls that do not return normally (see above)? */
bool go_cfg_is_noreturn_call(const omen_file *f, TSNode call);

/* A set of CFG nodes of one function: the nodes that cover paths in a query (an Unlock, a Close...).
 * Small and fixed: adding past GO_CFG_MAX_NODESET sets overflow (callers that must not guess stay quiet). */
enum { GO_CFG_MAX_NODESET = 256 };
typedef struct go_cfg_nodeset {
  TSNode v[GO_CFG_MAX_NODESET];
  size_t n;
  bool overflow;
} go_cfg_nodeset;
/* Adds the CFG node of fn that contains n (nothing when none does; each node once). */
void go_cfg_nodeset_add(go_cfg_nodeset *s, const go_cfg_fn *fn, TSNode n);
/* Is node in s? Its signature is go_cfg_node_fn's (ctx: the set; state unused), so a set serves as the
 * node callback of a query: `(go_cfg_query){.node = go_cfg_nodeset_has, .ctx = &set}`. */
bool go_cfg_nodeset_has(void *s, TSNode node, uint8_t *state);

/* A readable dump of fn into buf (truncated to cap, always NUL-terminated): one line per block,
 * "b3 if.then [x := f() | x > 0] -> b4 b5" with node texts shortened. Returns the full length. */
size_t go_cfg_format(const go_cfg_fn *fn, const omen_file *f, char *buf, size_t cap);

#endif
