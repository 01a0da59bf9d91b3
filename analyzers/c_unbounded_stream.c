/* c_unbounded_stream.c - unbounded-stream for C and C++: buffers that grow with whatever a peer sends,
 * and allocations sized by a length the peer wrote, with no upper bound. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "analyzers.h"
#include "c_inspect.h"
#include "c_locks.h"
#include "c_threads.h"

static const omen_rule rule_grow = {
    .id = "unbounded-stream/read-loop-grows-buffer",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Buffer grows with every read from a socket and nothing caps its size",
    .what = "Reports a buffer grown inside a loop that reads from a peer, when nothing in the loop bounds "
            "it. Reads: `recv`, `recvfrom`, `SSL_read` (always a peer, Unix-domain sockets included), and "
            "`read`, `fread` or `fgets` on a socket: a descriptor the function gets from `socket`, `accept` "
            "or a helper whose name says it makes one (`socket_connect`, `tcp_accept`), one it also uses "
            "with `recv`, `send`, `setsockopt` or `shutdown`, a `FILE *` from `fdopen` of such a socket, or "
            "a descriptor whose expression names a socket, connection, client or peer (`sock`, `conn`, "
            "`client`, `peer`). Growth: `p = realloc(p, ...)` (or through a temporary; also a project's "
            "wrapper such as `xrealloc`) and, in C++, `append`, "
            "`insert`, `push_back`, `emplace_back`, `resize` or `+=` on a `std::string`, `std::vector` or "
            "`std::deque`, on an object that lives across iterations. Bounded, and not reported: a "
            "comparison anywhere in the loop (its condition included) against a constant of at least 64 "
            "or a `sizeof`, or against a name that says it is a limit (`max`, `limit`); a buffer "
            "the loop resets or consumes (`clear`, `erase`, `memmove` of what was used to the front, an "
            "assignment of `NULL`, `0` or a fresh allocation); a `resize` to a constant (a fixed read "
            "buffer); growth written inside a macro. Files "
            "the program opens by path, pipes and standard input are not reported: their content is "
            "usually the operator's, not a remote peer's.",
    .why = "A peer decides how much it sends. A loop that keeps everything it receives until the peer "
           "stops (a request without a terminator, a body without an end, a line without a newline) "
           "lets any client make the process allocate until it runs out of memory, and each `realloc` "
           "that outgrows the block copies everything received so far. One connection is enough.",
    .example = "for (;;) {\n"
               "  ssize_t n = recv(fd, chunk, sizeof chunk, 0);\n"
               "  if (n <= 0)\n"
               "    break;\n"
               "  buf = realloc(buf, len + n);\n"
               "  memcpy(buf + len, chunk, n);\n"
               "  len += n;\n"
               "}",
    .instead = "for (;;) {\n"
               "  ssize_t n = recv(fd, chunk, sizeof chunk, 0);\n"
               "  if (n <= 0)\n"
               "    break;\n"
               "  if (len + n > MAX_REQUEST)\n"
               "    goto too_large;\n"
               "  buf = realloc(buf, len + n);\n"
               "  memcpy(buf + len, chunk, n);\n"
               "  len += n;\n"
               "}",
    .fix = "None: the limit and what to do past it (reject, drop the connection, stream to disk) are the "
           "program's choice.",
    .lang = "c/c++",
};

static const omen_rule rule_alloc = {
    .id = "unbounded-stream/alloc-from-wire-length",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Allocation sized by a length read from the wire with no upper bound",
    .what =
        "Reports `malloc`, `calloc`, `realloc`, `reallocarray`, a project's wrappers of them (a function "
        "whose name ends in `malloc`, `malloc0`, `calloc`, `realloc` or `zalloc`: `xmalloc`, `g_malloc0`) "
        "and, in C++, `std::vector`/`std::string` construction, `resize`, `reserve`, `assign` and "
        "`new T[n]`, when the size uses a 32- or 64-bit length decoded from network byte order in the same "
        "function (`ntohl`, `be32toh`, "
        "`be64toh`, `le32toh`, `le64toh`, the `bswap` builtins) and nothing between the decoding "
        "and the allocation compares that length (`len > MAX`, `len <= remaining`: any relational "
        "comparison except against 0 or 1), passes it to a function whose name says it checks it "
        "(`check`, `valid`, `verify`, `limit`) or assigns it again. 16-bit lengths (`ntohs`) are not "
        "reported: they cannot exceed 64 KiB.",
    .why = "The length prefix is whatever the peer wrote: four bytes make the program allocate up to "
           "4 GiB (or 16 EiB for a 64-bit length), before a single byte of the payload arrives. A few "
           "such messages exhaust memory, or the allocation fails and a path that never expected that "
           "crashes. Sizes computed from it (`len + 1`, `n * sizeof *p`) can also wrap around.",
    .example = "uint32_t len = ntohl(hdr.len);\n"
               "char *body = malloc(len);",
    .instead = "uint32_t len = ntohl(hdr.len);\n"
               "if (len > MAX_MESSAGE)\n"
               "  return -1;\n"
               "char *body = malloc(len);",
    .fix = "None: the limit belongs to the protocol.",
    .lang = "c/c++",
};

static const omen_rule rule_queue = {
    .id = "unbounded-stream/queue-push-unbounded",
    .severity = OMEN_SEV_NOTE,
    .confidence = OMEN_CONF_LOW,
    .summary = "Queue filled by one thread and drained by another with no bound on its size",
    .what = "Reports `push`, `emplace`, `push_back`, `emplace_back`, `push_front` or `emplace_front` on a "
            "`std::queue`, `std::deque`, `std::list` or `std::priority_queue` that is a member or a global, "
            "made while holding a mutex, when another function of the file pops from the same container "
            "(`pop`, `pop_front`, `pop_back`) holding a mutex too, and one of the two functions runs on a "
            "thread the file starts (c-threads' thread context). Not reported when the pushing function "
            "looks at the size (`size()`, `full()`), compares anything with a limit (a constant of at least "
            "64 or a name with `max` or `limit`), waits (`wait`, `wait_for`, `wait_until`: for space), or "
            "pops itself (drops the oldest). Types are checked through libclang. A note: many queues are "
            "bounded by their producers (one item per connection, per timer tick) in ways the file does "
            "not show.",
    .why = "A queue between threads is only as fast as its consumer. When producers outpace it (a burst of "
           "requests, a slow disk or downstream, a stalled consumer) an unbounded queue absorbs the "
           "difference in memory: latency grows with it, and eventually the process runs out of memory "
           "instead of pushing back on the producers.",
    .example = "void Logger::Log(std::string line) {\n"
               "  std::lock_guard<std::mutex> g(mu_);\n"
               "  lines_.push_back(std::move(line));\n"
               "  cv_.notify_one();\n"
               "}",
    .instead = "bool Logger::Log(std::string line) {\n"
               "  std::lock_guard<std::mutex> g(mu_);\n"
               "  if (lines_.size() >= kMaxPending)\n"
               "    return false; // or wait on a not-full condition, or drop the oldest\n"
               "  lines_.push_back(std::move(line));\n"
               "  cv_.notify_one();\n"
               "  return true;\n"
               "}",
    .fix = "None: whether to block the producer, drop items or fail is the program's choice.",
    .lang = "c++",
};

static const omen_rule rule_grpc = {
    .id = "unbounded-stream/grpc-write-unchecked",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "gRPC C++ streaming loop ignores Write's result and the client's cancellation",
    .what =
        "Reports `writer->Write(msg);` whose result is dropped (a statement of its own) inside a loop that "
        "does not end by itself (`while`, `do ... while`, `for (;;)`; not a range-for nor a `for` with a "
        "condition) in a function that never calls `IsCancelled()` and does not pass the writer to "
        "another function. The writer is a gRPC server stream: `grpc::ServerWriter`, "
        "`grpc::ServerReaderWriter` or their interfaces (`Write` of `grpc::internal::WriterInterface`), "
        "checked through libclang.",
    .why =
        "Once the client cancels, disconnects or passes its deadline, every `Write` returns false at once. "
        "A loop that ignores that and never asks `ctx->IsCancelled()` keeps producing (polling, querying, "
        "serializing) for a client that is gone, holding a server thread and whatever the loop reads from "
        "until the process restarts; each abandoned stream adds one more.",
    .example =
        "grpc::Status Watch(grpc::ServerContext *ctx, const Req *req, grpc::ServerWriter<Event> *w) {\n"
        "  for (;;) {\n"
        "    w->Write(events.Next());\n"
        "  }\n"
        "}",
    .instead =
        "grpc::Status Watch(grpc::ServerContext *ctx, const Req *req, grpc::ServerWriter<Event> *w) {\n"
        "  for (;;) {\n"
        "    if (!w->Write(events.Next()))\n"
        "      return grpc::Status::CANCELLED;\n"
        "  }\n"
        "}",
    .fix =
        "Safe: replaces `w->Write(msg);` with `if (!w->Write(msg)) return grpc::Status::CANCELLED;` when the "
        "function returns `grpc::Status` and the statement is a braced block's own statement (not in a "
        "lambda or a macro). `Write` only fails when the stream is finished, and then nothing written "
        "afterwards reaches anyone.",
    .lang = "c++",
};

static const omen_rule *const rules[] = {&rule_grow, &rule_alloc, &rule_queue, &rule_grpc, NULL};
static const omen_analyzer *const requires[] = {&omen_c_inspect, &omen_c_threads, &omen_c_locks, NULL};

typedef struct ctx {
  omen_pass *pass;
  const omen_c_index *in;
  const omen_file *f;
  uint32_t seen[64][2]; /* read-loop-grows-buffer: (loop, hash of the buffer's text) already reported */
  uint32_t nseen;
} ctx;

/* ---- small helpers ---- */

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* Does [start, end) of the file contain needle as a whole identifier-bounded token? */
static bool text_has_token(const omen_file *f, uint32_t start, uint32_t end, const char *needle, size_t n) {
  if (n == 0 || end > f->len || start >= end || end - start < n)
    return false;
  for (uint32_t i = start; i + n <= end; i++) {
    if (memcmp(f->text + i, needle, n) != 0)
      continue;
    bool lok = i == 0 || !ident_char(f->text[i - 1]) || !ident_char(needle[0]);
    bool rok = i + n >= f->len || !ident_char(f->text[i + n]) || !ident_char(needle[n - 1]);
    if (lok && rok)
      return true;
  }
  return false;
}

/* Case-insensitive: does [start, end) contain word? */
static bool text_has_ci(const char *s, size_t n, const char *word) {
  size_t w = strlen(word);
  for (size_t i = 0; i + w <= n; i++) {
    size_t k = 0;
    while (k < w && tolower((unsigned char)s[i + k]) == word[k])
      k++;
    if (k == w)
      return true;
  }
  return false;
}

/* Is the call a direct call of a free function declared outside the main file (a library function)? */
static bool lib_fn(const ctx *x, const omen_c_call *c) {
  if (!c->direct || clang_getCursorKind(c->callee) != CXCursor_FunctionDecl)
    return false;
  uint32_t off;
  return !omen_pass_c_in_main(x->pass, clang_getCursorLocation(c->callee), &off);
}

static bool arg_range(const omen_c_call *c, uint32_t i, uint32_t *s, uint32_t *e) {
  if (i >= c->nargs || c->arg_start[i] >= c->arg_end[i])
    return false;
  *s = c->arg_start[i];
  *e = c->arg_end[i];
  return true;
}

/* The text of argument i without surrounding blanks and a leading '&' or '*'; false when unknown. */
static bool arg_key(const ctx *x, const omen_c_call *c, uint32_t i, uint32_t *ks, uint32_t *ke) {
  uint32_t s, e;
  if (!arg_range(c, i, &s, &e) || e > x->f->len)
    return false;
  while (s < e && (isspace((unsigned char)x->f->text[s]) || x->f->text[s] == '&' || x->f->text[s] == '('))
    s++;
  while (e > s && (isspace((unsigned char)x->f->text[e - 1]) || x->f->text[e - 1] == ')'))
    e--;
  if (s >= e || e - s > 80)
    return false;
  for (uint32_t k = s; k < e; k++) {
    char ch = x->f->text[k];
    if (!(ident_char(ch) || ch == '.' || ch == '-' || ch == '>' || ch == '[' || ch == ']'))
      return false; /* a plain name, field or element: nothing computed */
  }
  *ks = s;
  *ke = e;
  return true;
}

static bool same_text(const ctx *x, uint32_t as, uint32_t ae, uint32_t bs, uint32_t be) {
  return ae - as == be - bs && memcmp(x->f->text + as, x->f->text + bs, ae - as) == 0;
}

/* The next assignment to k in [*from, e): `k = ...` or `k op= ...` (op one of - / % &). Returns the
 * offset of the operator (its '=' for a plain assignment) and moves *from past it; OMEN_C_NONE when
 * there is none. */
static uint32_t next_assign(const omen_file *f, uint32_t *from, uint32_t e, const char *k, size_t kn) {
  const char *t = f->text;
  for (uint32_t i = *from; i + kn < e; i++) {
    if (memcmp(t + i, k, kn) != 0 || (i > 0 && ident_char(t[i - 1])) || ident_char(t[i + kn]))
      continue;
    uint32_t j = i + kn;
    while (j < e && (t[j] == ' ' || t[j] == '\t'))
      j++;
    if (j + 1 < e &&
        ((t[j] == '=' && t[j + 1] != '=') || (t[j] && strchr("-/%&", t[j]) && t[j + 1] == '='))) {
      *from = j + 1;
      return j;
    }
  }
  *from = e;
  return OMEN_C_NONE;
}

/* Is c's name one of names (NULL-terminated)? */
static bool name_in(CXCursor c, const char *const *names) {
  for (size_t i = 0; names[i]; i++)
    if (omen_c_name_is(c, names[i]))
      return true;
  return false;
}

/* Is method a member of a class of namespace std named one of classes? */
static bool std_class_is(CXCursor method, const char *const *classes) {
  CXCursor cls = clang_getCursorSemanticParent(method);
  return omen_c_in_std(cls) && name_in(cls, classes);
}

/* The std containers and strings that grow by append, insert, push_back or resize. */
static const char *const growable[] = {"basic_string", "vector", "deque", NULL};

/* ---- comparisons ---- */

typedef struct cmp_walk {
  const ctx *x;
  uint32_t from, to; /* only comparisons starting in [from, to) */
  const char *key;   /* rule 2: the comparison must mention this token; NULL for any */
  size_t keylen;
  bool found;
  int budget;
} cmp_walk;

/* Is operand e something a size can be bounded by: an integer constant of at least 64, a sizeof, or
 * a name that says it is a limit? */
static bool limit_operand(const ctx *x, CXCursor e, bool any_const) {
  e = omen_c_strip(e);
  if (clang_Cursor_isNull(e))
    return false;
  uint32_t s, t;
  if (omen_c_range(x->pass, e, &s, &t) && t <= x->f->len && t > s && !memchr(x->f->text + s, '(', t - s)) {
    if (text_has_ci(x->f->text + s, t - s, "max") || text_has_ci(x->f->text + s, t - s, "limit"))
      return true;
  }
  CXEvalResult r = clang_Cursor_Evaluate(e);
  if (!r)
    return false;
  bool ok = false;
  if (clang_EvalResult_getKind(r) == CXEval_Int) {
    long long v = clang_EvalResult_getAsLongLong(r);
    ok = any_const ? (v > 1 || v < -1) : v >= 64;
  }
  clang_EvalResult_dispose(r);
  return ok;
}

static bool relational(const char *op) {
  return strcmp(op, "<") == 0 || strcmp(op, ">") == 0 || strcmp(op, "<=") == 0 || strcmp(op, ">=") == 0;
}

static enum CXChildVisitResult cmp_visit(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  cmp_walk *w = data;
  if (w->found || --w->budget <= 0)
    return CXChildVisit_Break;
  uint32_t s, e;
  if (!omen_c_range(w->x->pass, c, &s, &e))
    return CXChildVisit_Continue;
  if (e <= w->from || s >= w->to)
    return CXChildVisit_Continue;
  if (clang_getCursorKind(c) == CXCursor_BinaryOperator && s >= w->from) {
    char op[8];
    if (omen_c_operator(w->x->pass, c, op, sizeof op) && relational(op)) {
      CXCursor l = omen_c_expr_child(c, 0), r = omen_c_expr_child(c, 1);
      if (!w->key) {
        if (limit_operand(w->x, l, false) || limit_operand(w->x, r, false))
          w->found = true;
      } else if (text_has_token(w->x->f, s, e, w->key, w->keylen)) {
        /* any comparison of the length, except with 0 or 1 (a sign or emptiness test) */
        CXCursor other = r;
        uint32_t ls, le;
        if (omen_c_range(w->x->pass, r, &ls, &le) && text_has_token(w->x->f, ls, le, w->key, w->keylen))
          other = l;
        CXEvalResult ev = clang_Cursor_Evaluate(omen_c_strip(other));
        bool trivial = false;
        if (ev) {
          if (clang_EvalResult_getKind(ev) == CXEval_Int) {
            long long v = clang_EvalResult_getAsLongLong(ev);
            trivial = v >= -1 && v <= 1;
          }
          clang_EvalResult_dispose(ev);
        }
        if (!trivial)
          w->found = true;
      }
    }
  }
  if (w->found)
    return CXChildVisit_Break;
  clang_visitChildren(c, cmp_visit, w);
  return w->found ? CXChildVisit_Break : CXChildVisit_Continue;
}

static bool has_cmp(const ctx *x, CXCursor root, uint32_t from, uint32_t to, const char *key, size_t keylen) {
  cmp_walk w = {.x = x, .from = from, .to = to, .key = key, .keylen = keylen, .budget = 20000};
  clang_visitChildren(root, cmp_visit, &w);
  return w.found || w.budget <= 0;
}

/* ---- rule 1: read loops that grow a buffer ---- */

static const char *const sock_users[] = {"recv",     "recvfrom",    "recvmsg",    "send",
                                         "sendto",   "sendmsg",     "setsockopt", "getsockopt",
                                         "shutdown", "getpeername", NULL};

/* Is the expression of argument i of c (a descriptor) a socket, judged in c's function? */
static bool is_socket_arg(const ctx *x, const omen_c_call *c, uint32_t i, int depth) {
  uint32_t ks, ke;
  if (!arg_key(x, c, i, &ks, &ke))
    return false;
  const char *k = x->f->text + ks;
  size_t kn = ke - ks;
  if (text_has_ci(k, kn, "sock") || text_has_ci(k, kn, "conn") || text_has_ci(k, kn, "client") ||
      text_has_ci(k, kn, "peer"))
    return true;
  const omen_c_func *fn = &x->in->funcs[c->func];
  /* used with a socket call in the same function */
  for (size_t u = 0; sock_users[u]; u++)
    for (uint32_t j = omen_c_call_first(x->in, sock_users[u]); j != OMEN_C_NONE;
         j = omen_c_call_next(x->in, j)) {
      const omen_c_call *o = &x->in->calls[j];
      uint32_t os, oe;
      if (o->func == c->func && arg_key(x, o, 0, &os, &oe) && same_text(x, ks, ke, os, oe))
        return true;
    }
  /* assigned from socket/accept (or a helper named so: socket_connect, tcp_accept, dial_socket) or
   * from fdopen of a socket, in the same function */
  for (uint32_t j = omen_c_call_at(x->in, fn->start); j < x->in->ncalls && x->in->calls[j].start < c->start;
       j++) {
    const omen_c_call *o = &x->in->calls[j];
    if (o->func != c->func)
      continue;
    size_t on = strlen(o->name);
    bool fdopen = !strcmp(o->name, "fdopen");
    if (!fdopen && !text_has_ci(o->name, on, "socket") && !text_has_ci(o->name, on, "accept") &&
        !text_has_ci(o->name, on, "connect"))
      continue;
    if ((o->shape != OMEN_C_SHAPE_ASSIGN && o->shape != OMEN_C_SHAPE_INIT) ||
        o->stmt.kind == CXCursor_InvalidCode || o->stmt.start > o->start)
      continue;
    if (!text_has_token(x->f, o->stmt.start, o->start, k, kn))
      continue;
    if (!fdopen)
      return true;
    if (depth == 0 && is_socket_arg(x, o, 0, 1)) /* fdopen of a socket */
      return true;
  }
  return false;
}

/* Is call i a read from a peer? */
static bool peer_read(const ctx *x, const omen_c_call *c) {
  if (!lib_fn(x, c))
    return false;
  if (!strcmp(c->name, "recv") || !strcmp(c->name, "recvfrom") || !strcmp(c->name, "SSL_read"))
    return true;
  if (!strcmp(c->name, "read"))
    return is_socket_arg(x, c, 0, 0);
  if (!strcmp(c->name, "fread"))
    return is_socket_arg(x, c, 3, 0);
  if (!strcmp(c->name, "fgets"))
    return is_socket_arg(x, c, 2, 0);
  return false;
}

/* The object a method call is made on: the base of its member reference (or the left operand of an
 * operator call). */
static enum CXChildVisitResult first_child(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  *(CXCursor *)data = c;
  return CXChildVisit_Break;
}

static CXCursor receiver(CXCursor call) {
  CXCursor ch = clang_getNullCursor();
  clang_visitChildren(call, first_child, &ch);
  ch = omen_c_strip(ch);
  if (clang_getCursorKind(ch) == CXCursor_MemberRefExpr) {
    CXCursor base = clang_getNullCursor();
    clang_visitChildren(ch, first_child, &base);
    return omen_c_strip(base);
  }
  return ch; /* operator call: the left operand comes first */
}

/* A std container or string the call grows, in std: the class of the method. */
static bool std_growing_method(const omen_c_call *c) {
  static const char *const names[] = {"append", "insert",     "push_back", "emplace_back",
                                      "resize", "operator+=", NULL};
  bool hit = false;
  for (size_t i = 0; names[i]; i++)
    hit = hit || strcmp(c->name, names[i]) == 0;
  if (!hit || !c->direct || clang_getCursorKind(c->callee) != CXCursor_CXXMethod)
    return false;
  return std_class_is(c->callee, growable);
}

/* Is the key (the grown object's text) reset or consumed inside [s, e) of function fi? */
static bool consumed(const ctx *x, uint32_t fi, uint32_t s, uint32_t e, const char *k, size_t kn,
                     uint32_t grow_start) {
  static const char *const fns[] = {"clear",   "erase",  "memmove", "swap", "pop_front",
                                    "consume", "assign", "substr",  NULL};
  for (uint32_t i = omen_c_call_at(x->in, s); i < x->in->ncalls && x->in->calls[i].start < e; i++) {
    const omen_c_call *c = &x->in->calls[i];
    if (c->func != fi || c->start == grow_start)
      continue;
    bool hit = false;
    for (size_t j = 0; fns[j]; j++)
      hit = hit || strcmp(c->name, fns[j]) == 0;
    if (!hit)
      continue;
    if (!strcmp(c->name, "memmove")) {
      /* memmove(buf, buf + used, ...) shifts out what was consumed; memmove(buf + len, ...) appends */
      uint32_t as, ae, bs, be;
      if (arg_key(x, c, 0, &as, &ae) && ae - as == kn && !memcmp(x->f->text + as, k, kn) &&
          arg_range(c, 1, &bs, &be) && text_has_token(x->f, bs, be, k, kn))
        return true;
      continue;
    }
    if (text_has_token(x->f, c->start, c->end, k, kn))
      return true;
  }
  /* a plain assignment `k = ...` that is not the realloc itself */
  const char *t = x->f->text;
  uint32_t j;
  for (uint32_t from = s; (j = next_assign(x->f, &from, e, k, kn)) != OMEN_C_NONE;) {
    if (t[j] == '=') {
      uint32_t r = j + 1;
      while (r < e && isspace((unsigned char)t[r]))
        r++;
      static const char *const resets[] = {"NULL", "0", "nullptr", "malloc", "calloc", "strdup", NULL};
      for (size_t q = 0; resets[q]; q++) {
        size_t ql = strlen(resets[q]);
        if (r + ql <= e && memcmp(t + r, resets[q], ql) == 0 && (r + ql == e || !ident_char(t[r + ql])))
          return true;
      }
    }
  }
  return false;
}

static bool already(ctx *x, uint32_t loop, uint32_t hash) {
  for (uint32_t i = 0; i < x->nseen; i++)
    if (x->seen[i][0] == loop && x->seen[i][1] == hash)
      return true;
  if (x->nseen < 64) {
    x->seen[x->nseen][0] = loop;
    x->seen[x->nseen][1] = hash;
    x->nseen++;
  }
  return false;
}

/* The outermost loop that contains read r's loop and also the growth g (the smallest one holding both). */
static uint32_t common_loop(const ctx *x, const omen_c_call *r, const omen_c_call *g) {
  for (uint32_t l = r->loop; l != OMEN_C_NONE; l = x->in->loops[l].parent)
    if (!x->in->loops[l].once && g->loop != OMEN_C_NONE && omen_c_loop_within(x->in, g->loop, l))
      return l;
  return OMEN_C_NONE;
}

static void check_growth(ctx *x, const omen_c_call *r, uint32_t gi) {
  const omen_c_call *g = &x->in->calls[gi];
  if (g->func != r->func || g->in_macro)
    return;
  uint32_t l = common_loop(x, r, g);
  if (l == OMEN_C_NONE)
    return;
  const omen_c_loop *lp = &x->in->loops[l];
  uint32_t ks, ke;
  size_t gn = strlen(g->name);
  bool is_realloc = gn >= 7 && strcmp(g->name + gn - 7, "realloc") == 0;
  if (is_realloc) {
    /* realloc, or a project's wrapper of it (xrealloc, g_realloc) */
    if (!g->direct || clang_getCursorKind(g->callee) != CXCursor_FunctionDecl || !arg_key(x, g, 0, &ks, &ke))
      return;
    if (g->shape != OMEN_C_SHAPE_ASSIGN && g->shape != OMEN_C_SHAPE_INIT && g->shape != OMEN_C_SHAPE_COND)
      return;
  } else {
    if (!std_growing_method(g))
      return;
    if (!strcmp(g->name, "resize") && g->nargs > 0) {
      /* resize(4096) on every pass is a fixed-size read buffer, not growth */
      CXEvalResult ev = clang_Cursor_Evaluate(g->args[0]);
      bool fixed = ev && clang_EvalResult_getKind(ev) == CXEval_Int;
      if (ev)
        clang_EvalResult_dispose(ev);
      if (fixed)
        return;
    }
    CXCursor obj = receiver(g->cursor);
    if (clang_Cursor_isNull(obj) || !omen_c_range(x->pass, obj, &ks, &ke) || ke <= ks || ke - ks > 80 ||
        ke > x->f->len)
      return;
    /* an object declared inside the loop starts empty on every iteration */
    CXCursor d = omen_c_named_decl(obj, NULL);
    if (!clang_Cursor_isNull(d)) {
      uint32_t v = omen_c_var_find(x->in, d);
      if (v != OMEN_C_NONE && x->in->vars[v].start >= lp->start && x->in->vars[v].start < lp->end)
        return;
    }
  }
  const char *k = x->f->text + ks;
  size_t kn = ke - ks;
  if (consumed(x, g->func, lp->start, lp->end, k, kn, g->start))
    return;
  if (has_cmp(x, x->in->funcs[g->func].cursor, lp->start, lp->end, NULL, 0))
    return;
  uint32_t h = 2166136261u; /* one finding per buffer and loop */
  for (size_t i = 0; i < kn; i++)
    h = (h ^ (unsigned char)k[i]) * 16777619u;
  if (already(x, l, h))
    return;
  omen_diag *d = omen_pass_report(x->pass, &rule_grow, x->f, g->start, g->end,
                                  "`%.*s` grows with every read from the peer and nothing caps its size: a "
                                  "peer that keeps sending makes the process run out of memory",
                                  (int)kn, k);
  omen_diag_add_related(x->pass, d, x->f, r->start, r->end, "what the peer sends is read here");
}

static void check_read_loops(ctx *x) {
  static const char *const reads[] = {"recv", "recvfrom", "SSL_read", "read", "fread", "fgets", NULL};
  static const char *const grows[] = {"append", "insert",     "push_back", "emplace_back",
                                      "resize", "operator+=", NULL};
  for (size_t a = 0; reads[a]; a++)
    for (uint32_t i = omen_c_call_first(x->in, reads[a]); i != OMEN_C_NONE; i = omen_c_call_next(x->in, i)) {
      const omen_c_call *r = &x->in->calls[i];
      if (r->loop == OMEN_C_NONE || r->func == OMEN_C_NONE || x->in->funcs[r->func].incomplete)
        continue;
      if (!peer_read(x, r))
        continue;
      const omen_c_loop *outer = &x->in->loops[r->loop];
      while (outer->parent != OMEN_C_NONE)
        outer = &x->in->loops[outer->parent];
      for (uint32_t j = omen_c_call_at(x->in, outer->start);
           j < x->in->ncalls && x->in->calls[j].start < outer->end; j++) {
        const omen_c_call *g = &x->in->calls[j];
        if (g->func != r->func)
          continue;
        size_t gn = strlen(g->name);
        bool hit = gn >= 7 && strcmp(g->name + gn - 7, "realloc") == 0;
        for (size_t b = 0; grows[b] && !hit; b++)
          hit = strcmp(g->name, grows[b]) == 0;
        if (hit)
          check_growth(x, r, j);
      }
    }
}

/* ---- rule 2: allocations sized by a wire length ---- */

static const char *const decoders[] = {"ntohl",
                                       "be32toh",
                                       "be64toh",
                                       "le32toh",
                                       "le64toh",
                                       "__bswap_32",
                                       "__bswap_64",
                                       "bswap_32",
                                       "bswap_64",
                                       "__builtin_bswap32",
                                       "__builtin_bswap64",
                                       "__uint32_identity",
                                       "__uint64_identity",
                                       NULL};

/* Does the name end like an allocation function's: ...malloc, ...malloc0, ...calloc, ...realloc? */
static bool wrapper_alloc(const char *name) {
  static const char *const ends[] = {"malloc", "malloc0", "calloc", "realloc", "zalloc", NULL};
  size_t n = strlen(name);
  for (size_t i = 0; ends[i]; i++) {
    size_t e = strlen(ends[i]);
    if (n > e && text_has_ci(name + n - e, e, ends[i]))
      return true;
  }
  return false;
}

static bool is_allocation(const ctx *x, const omen_c_call *c, uint32_t *size_arg0, uint32_t *size_argn) {
  if (lib_fn(x, c)) {
    if (!strcmp(c->name, "malloc")) {
      *size_arg0 = 0, *size_argn = 1;
      return true;
    }
    if (!strcmp(c->name, "calloc") || !strcmp(c->name, "alloca")) {
      *size_arg0 = 0, *size_argn = c->nargs;
      return true;
    }
    if (!strcmp(c->name, "realloc") || !strcmp(c->name, "reallocarray")) {
      *size_arg0 = 1, *size_argn = c->nargs;
      return true;
    }
    return false;
  }
  if (!c->direct)
    return false;
  enum CXCursorKind k = clang_getCursorKind(c->callee);
  if (k == CXCursor_FunctionDecl && wrapper_alloc(c->name)) {
    /* a project's allocation wrapper: xmalloc, g_malloc0, uwsgi_malloc, zcalloc, xrealloc */
    size_t n = strlen(c->name);
    bool re = n >= 7 && text_has_ci(c->name + n - 7, 7, "realloc");
    *size_arg0 = re ? 1 : 0, *size_argn = c->nargs;
    return true;
  }
  if (k != CXCursor_CXXMethod && k != CXCursor_Constructor)
    return false;
  if (k == CXCursor_CXXMethod && strcmp(c->name, "resize") && strcmp(c->name, "reserve") &&
      strcmp(c->name, "assign"))
    return false;
  if (!std_class_is(c->callee, growable) || c->nargs == 0)
    return false;
  /* a constructor or assign with a count first: vector(n), vector(n, v), string(n, c) */
  if (k == CXCursor_Constructor || !strcmp(c->name, "assign")) {
    CXType t = clang_getCanonicalType(clang_getCursorType(c->args[0]));
    if (t.kind < CXType_Bool || t.kind > CXType_Int128)
      return false;
  }
  *size_arg0 = 0, *size_argn = 1;
  return true;
}

/* Is key passed to a checking function, or assigned again, in [s, e) of function fi? */
static bool key_checked(const ctx *x, uint32_t fi, uint32_t s, uint32_t e, const char *k, size_t kn) {
  for (uint32_t i = omen_c_call_at(x->in, s); i < x->in->ncalls && x->in->calls[i].start < e; i++) {
    const omen_c_call *c = &x->in->calls[i];
    if (c->func != fi)
      continue;
    size_t nl = strlen(c->name);
    if (!(text_has_ci(c->name, nl, "check") || text_has_ci(c->name, nl, "valid") ||
          text_has_ci(c->name, nl, "verify") || text_has_ci(c->name, nl, "limit") ||
          text_has_ci(c->name, nl, "min") || text_has_ci(c->name, nl, "clamp")))
      continue;
    for (uint32_t a = 0; a < c->nargs; a++) {
      uint32_t as, ae;
      if (arg_range(c, a, &as, &ae) && text_has_token(x->f, as, ae, k, kn))
        return true;
    }
  }
  uint32_t from = s;
  return next_assign(x->f, &from, e, k, kn) != OMEN_C_NONE;
}

/* The text the decoded length is stored under: `len` for `len = ntohl(...)` or `T len = ntohl(...)`,
 * `h->len` for `h->len = ntohl(h->len)`. */
static bool stored_key(const ctx *x, const omen_c_call *c, uint32_t *ks, uint32_t *ke) {
  if (c->stmt.kind == CXCursor_InvalidCode || c->stmt.start >= c->start)
    return false;
  if (c->shape == OMEN_C_SHAPE_INIT) {
    uint32_t best = OMEN_C_NONE;
    for (uint32_t v = 0; v < x->in->nvars; v++) {
      const omen_c_var *vr = &x->in->vars[v];
      if (vr->func == c->func && vr->name_start >= c->stmt.start && vr->name_end <= c->start)
        best = v;
    }
    if (best == OMEN_C_NONE)
      return false;
    CXType t = clang_getCanonicalType(clang_getCursorType(x->in->vars[best].cursor));
    if (clang_Type_getSizeOf(t) < 4)
      return false;
    *ks = x->in->vars[best].name_start;
    *ke = x->in->vars[best].name_end;
    return true;
  }
  if (c->shape != OMEN_C_SHAPE_ASSIGN)
    return false;
  /* the left side: the statement's text up to the '=' before the call */
  const char *t = x->f->text;
  uint32_t s = c->stmt.start, e = c->start;
  while (e > s && t[e - 1] != '=')
    e--;
  if (e <= s)
    return false;
  e--;
  while (e > s && isspace((unsigned char)t[e - 1]))
    e--;
  while (s < e && isspace((unsigned char)t[s]))
    s++;
  if (s >= e || e - s > 80)
    return false;
  for (uint32_t i = s; i < e; i++)
    if (!(ident_char(t[i]) || t[i] == '.' || t[i] == '-' || t[i] == '>'))
      return false;
  *ks = s;
  *ke = e;
  return true;
}

/* A decoded length stored under key [ks, ke) sizes the allocation at [as, ae): report it unless
 * something between bounds it. */
static void judge_stored(ctx *x, uint32_t di, uint32_t ks, uint32_t ke, uint32_t from, uint32_t as,
                         uint32_t ae) {
  const omen_c_call *dc = &x->in->calls[di];
  const omen_c_func *fn = &x->in->funcs[dc->func];
  const char *k = x->f->text + ks;
  size_t kn = ke - ks;
  if (has_cmp(x, fn->cursor, from, as, k, kn) || key_checked(x, dc->func, dc->end, as, k, kn))
    return;
  /* a later decoding into the same name restarts the story: let that one report */
  for (size_t d = 0; decoders[d]; d++)
    for (uint32_t j = omen_c_call_first(x->in, decoders[d]); j != OMEN_C_NONE; j = omen_c_call_next(x->in, j))
      if (j != di && x->in->calls[j].func == dc->func && x->in->calls[j].start > dc->end &&
          x->in->calls[j].start < as) {
        uint32_t s2, e2;
        if (stored_key(x, &x->in->calls[j], &s2, &e2) && same_text(x, ks, ke, s2, e2))
          return;
      }
  omen_diag *d = omen_pass_report(x->pass, &rule_alloc, x->f, as, ae,
                                  "the size comes from `%.*s`, a length the peer wrote, and nothing "
                                  "bounds it: one message can make this allocate gigabytes",
                                  (int)kn, k);
  omen_diag_add_related(x->pass, d, x->f, dc->start, dc->end, "the length is decoded from the wire here");
}

/* C++ array news `new T[n]` of a function, in source order (a bounded number). */
typedef struct news {
  const ctx *x;
  uint32_t start[32], end[32];
  uint32_t n;
} news;

static enum CXChildVisitResult news_visit(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  news *w = data;
  if (w->n >= 32)
    return CXChildVisit_Break;
  if (clang_getCursorKind(c) == CXCursor_CXXNewExpr) {
    uint32_t s, e;
    if (omen_c_range(w->x->pass, c, &s, &e) && e > s && memchr(w->x->f->text + s, '[', e - s)) {
      w->start[w->n] = s;
      w->end[w->n] = e;
      w->n++;
    }
  }
  return CXChildVisit_Recurse;
}

static void check_decoder(ctx *x, uint32_t di, news *nw) {
  const omen_c_call *dc = &x->in->calls[di];
  if (dc->func == OMEN_C_NONE || x->in->funcs[dc->func].incomplete)
    return;
  if (!dc->direct || clang_getCursorKind(dc->callee) != CXCursor_FunctionDecl)
    return;
  CXType rt = clang_getCanonicalType(clang_getCursorType(dc->cursor));
  if (clang_Type_getSizeOf(rt) < 4)
    return;
  uint32_t ks, ke;
  bool stored = stored_key(x, dc, &ks, &ke);
  const omen_c_func *fn = &x->in->funcs[dc->func];
  uint32_t from = dc->stmt.kind != CXCursor_InvalidCode ? dc->stmt.start : dc->start;
  for (uint32_t i = omen_c_call_at(x->in, from); i < x->in->ncalls && x->in->calls[i].start < fn->end; i++) {
    const omen_c_call *a = &x->in->calls[i];
    if (a->func != dc->func || a->end <= dc->start || a->in_macro)
      continue;
    uint32_t s0, sn;
    if (!is_allocation(x, a, &s0, &sn))
      continue;
    bool inside = false, uses = false;
    for (uint32_t k = s0; k < sn && k < a->nargs; k++) {
      uint32_t as, ae;
      if (!arg_range(a, k, &as, &ae))
        continue;
      if (as <= dc->start && dc->end <= ae)
        inside = true;
      else if (stored && a->start > dc->end && text_has_token(x->f, as, ae, x->f->text + ks, ke - ks))
        uses = true;
    }
    if (uses) {
      judge_stored(x, di, ks, ke, from, a->start, a->end);
    } else if (inside) {
      /* decoded inside the size argument: bounded only by a comparison of the same decoding before */
      uint32_t as, ae;
      if (arg_key(x, dc, 0, &as, &ae) &&
          has_cmp(x, fn->cursor, fn->body_start, a->start, x->f->text + as, ae - as))
        continue;
      omen_diag *d =
          omen_pass_report(x->pass, &rule_alloc, x->f, a->start, a->end,
                           "the size is a length the peer wrote, decoded here with no upper bound: "
                           "one message can make this allocate gigabytes");
      omen_diag_add_related(x->pass, d, x->f, dc->start, dc->end, "the length is decoded from the wire here");
    }
  }
  if (!stored || omen_pass_lang(x->pass) != OMEN_LANG_CPP)
    return;
  /* new T[len]: the news of this function, found once per function */
  if (nw->n == 0 || nw->start[0] < fn->start || nw->start[0] >= fn->end) {
    nw->n = 0;
    clang_visitChildren(fn->cursor, news_visit, nw);
  }
  for (uint32_t k = 0; k < nw->n; k++) {
    if (nw->start[k] <= dc->end || nw->start[k] >= fn->end)
      continue;
    const char *t = x->f->text;
    uint32_t b = nw->start[k];
    while (b < nw->end[k] && t[b] != '[')
      b++;
    if (text_has_token(x->f, b, nw->end[k], t + ks, ke - ks))
      judge_stored(x, di, ks, ke, from, nw->start[k], nw->end[k]);
  }
}

/* ---- rule 3: queues between threads ---- */

/* Is the call's callee a method of std::queue/deque/list/priority_queue named like one of names? */
static bool std_queue_method(const omen_c_call *c, const char *const *names) {
  bool hit = false;
  for (size_t i = 0; names[i] && !hit; i++)
    hit = strcmp(c->name, names[i]) == 0;
  if (!hit || !c->direct || clang_getCursorKind(c->callee) != CXCursor_CXXMethod)
    return false;
  static const char *const queues[] = {"queue", "deque", "list", "priority_queue", NULL};
  return std_class_is(c->callee, queues);
}

/* The field or global a member call is made on; a null cursor for locals and anything else. */
static CXCursor shared_object(const ctx *x, const omen_c_call *c) {
  CXCursor obj = omen_c_member_object(c->cursor);
  enum CXCursorKind k = clang_getCursorKind(obj);
  if (k != CXCursor_MemberRefExpr && k != CXCursor_DeclRefExpr)
    return clang_getNullCursor();
  CXCursor d = clang_getCursorReferenced(obj);
  enum CXCursorKind dk = clang_getCursorKind(d);
  if (dk == CXCursor_FieldDecl)
    return clang_getCanonicalCursor(d);
  if (dk != CXCursor_VarDecl)
    return clang_getNullCursor();
  uint32_t v = omen_c_var_find(x->in, d);
  if (v != OMEN_C_NONE && !x->in->vars[v].is_static)
    return clang_getNullCursor();
  if (clang_Cursor_hasVarDeclGlobalStorage(d) != 1)
    return clang_getNullCursor();
  return clang_getCanonicalCursor(d);
}

/* A mutex held at call i, by its declaration key; NULL when none is (or none is known). */
static const char *held_key(const omen_c_lockinfo *lk, uint32_t i) {
  omen_c_lockset ls = omen_c_locks_at_call(lk, i, false);
  for (uint32_t k = 0; k < ls.n; k++) {
    const omen_c_mutex *m = &lk->mutexes[ls.mutex[k]];
    if (m->ckey)
      return m->ckey;
  }
  return NULL;
}

/* Does function fi bound its pushes onto obj: look at its size, wait, pop, or compare with a limit? */
static bool push_path_bounded(const ctx *x, uint32_t fi, CXCursor obj) {
  static const char *const looks[] = {"size", "full", "pop", "pop_front", "pop_back", NULL};
  const omen_c_func *fn = &x->in->funcs[fi];
  for (uint32_t i = omen_c_call_at(x->in, fn->start); i < x->in->ncalls && x->in->calls[i].start < fn->end;
       i++) {
    const omen_c_call *c = &x->in->calls[i];
    if (c->func != fi)
      continue;
    if (!strcmp(c->name, "wait") || !strcmp(c->name, "wait_for") || !strcmp(c->name, "wait_until") ||
        !strcmp(c->name, "pthread_cond_wait") || !strcmp(c->name, "pthread_cond_timedwait"))
      return true;
    bool look = false;
    for (size_t k = 0; looks[k] && !look; k++)
      look = strcmp(c->name, looks[k]) == 0;
    if (look && clang_equalCursors(shared_object(x, c), obj))
      return true;
  }
  return has_cmp(x, fn->cursor, fn->start, fn->end, NULL, 0);
}

static void check_queues(ctx *x, const omen_c_thread_info *th, const omen_c_lockinfo *lk) {
  static const char *const pushes[] = {"push",       "emplace",       "push_back", "emplace_back",
                                       "push_front", "emplace_front", NULL};
  static const char *const pops[] = {"pop", "pop_front", "pop_back", NULL};
  uint32_t reported = 0;
  for (size_t a = 0; pushes[a]; a++)
    for (uint32_t i = omen_c_call_first(x->in, pushes[a]); i != OMEN_C_NONE; i = omen_c_call_next(x->in, i)) {
      const omen_c_call *g = &x->in->calls[i];
      if (g->func == OMEN_C_NONE || g->in_macro || x->in->funcs[g->func].incomplete || reported >= 32 ||
          !std_queue_method(g, pushes))
        continue;
      CXCursor obj = shared_object(x, g);
      const char *mu = clang_Cursor_isNull(obj) ? NULL : held_key(lk, i);
      if (!mu)
        continue;
      uint32_t consumer = OMEN_C_NONE;
      for (size_t b = 0; pops[b] && consumer == OMEN_C_NONE; b++)
        for (uint32_t j = omen_c_call_first(x->in, pops[b]); j != OMEN_C_NONE;
             j = omen_c_call_next(x->in, j)) {
          const omen_c_call *p = &x->in->calls[j];
          if (p->func == OMEN_C_NONE || p->func == g->func || !std_queue_method(p, pops) ||
              !clang_equalCursors(shared_object(x, p), obj))
            continue;
          const char *pm = held_key(lk, j);
          if (!pm || strcmp(pm, mu) != 0)
            continue;
          if (!omen_c_threads_in_context(th, p->func, NULL) && !omen_c_threads_in_context(th, g->func, NULL))
            continue;
          consumer = j;
          break;
        }
      if (consumer == OMEN_C_NONE || push_path_bounded(x, g->func, obj))
        continue;
      CXCursor mo = omen_c_member_object(g->cursor);
      uint32_t os, oe;
      if (!omen_c_range(x->pass, mo, &os, &oe) || oe <= os || oe - os > 80)
        continue;
      omen_diag *d = omen_pass_report(x->pass, &rule_queue, x->f, g->start, g->end,
                                      "`%.*s` is filled here and drained on another thread with no bound on "
                                      "its size: when producers outpace the consumer it grows until memory "
                                      "runs out",
                                      (int)(oe - os), x->f->text + os);
      const omen_c_call *p = &x->in->calls[consumer];
      omen_diag_add_related(x->pass, d, x->f, p->start, p->end, "drained here");
      reported++;
    }
}

/* ---- rule 4: gRPC streaming writes ---- */

/* Is decl declared inside namespace grpc (or one nested in it)? */
static bool in_grpc(CXCursor decl) {
  for (CXCursor c = clang_getCursorSemanticParent(decl);
       !clang_Cursor_isNull(c) && clang_getCursorKind(c) != CXCursor_TranslationUnit;
       c = clang_getCursorSemanticParent(c))
    if (clang_getCursorKind(c) == CXCursor_Namespace && omen_c_name_is(c, "grpc"))
      return true;
  return false;
}

static bool grpc_stream_write(const omen_c_call *c) {
  if (strcmp(c->name, "Write") != 0 || !c->direct || clang_getCursorKind(c->callee) != CXCursor_CXXMethod)
    return false;
  CXCursor cls = clang_getCursorSemanticParent(c->callee);
  static const char *const classes[] = {"ServerWriter",          "ServerReaderWriter",
                                        "ServerWriterInterface", "ServerReaderWriterInterface",
                                        "WriterInterface",       NULL};
  return name_in(cls, classes) && in_grpc(cls);
}

/* Does the loop end by itself: a range-for, or a for with a condition? */
static bool loop_ends(const ctx *x, const omen_c_loop *l) {
  if (l->kind == CXCursor_CXXForRangeStmt)
    return true;
  if (l->kind != CXCursor_ForStmt)
    return false;
  const char *t = x->f->text;
  uint32_t i = l->start, e = l->body_start ? l->body_start : l->end;
  while (i < e && t[i] != '(')
    i++;
  int depth = 0;
  uint32_t semi = 0;
  for (; i < e; i++) {
    if (t[i] == '(')
      depth++;
    else if (t[i] == ')')
      depth--;
    else if (t[i] == ';' && depth == 1) {
      if (semi) {
        for (uint32_t k = semi + 1; k < i; k++)
          if (!isspace((unsigned char)t[k]))
            return true; /* a condition */
        return false;
      }
      semi = i;
    }
  }
  return true; /* unreadable: assume it ends */
}

static bool returns_grpc_status(CXCursor fn) {
  CXType rt = clang_getCanonicalType(clang_getResultType(clang_getCursorType(fn)));
  CXCursor d = clang_getTypeDeclaration(rt);
  return omen_c_name_is(d, "Status") && in_grpc(d);
}

static void check_grpc_writes(ctx *x) {
  for (uint32_t i = omen_c_call_first(x->in, "Write"); i != OMEN_C_NONE; i = omen_c_call_next(x->in, i)) {
    const omen_c_call *c = &x->in->calls[i];
    if (c->func == OMEN_C_NONE || c->loop == OMEN_C_NONE || c->shape != OMEN_C_SHAPE_BARE ||
        x->in->funcs[c->func].incomplete || !grpc_stream_write(c))
      continue;
    const omen_c_loop *l = &x->in->loops[c->loop];
    if (l->once || loop_ends(x, l))
      continue;
    bool seen = false;
    for (uint32_t j = omen_c_call_first(x->in, "IsCancelled"); j != OMEN_C_NONE && !seen;
         j = omen_c_call_next(x->in, j))
      seen = x->in->calls[j].func == c->func;
    if (seen)
      continue;
    CXCursor obj = omen_c_member_object(c->cursor);
    CXCursor wd = omen_c_named_decl(obj, NULL);
    bool handed = false;
    if (!clang_Cursor_isNull(wd))
      for (uint32_t r = omen_c_ref_first(x->in, wd); r != OMEN_C_NONE && !handed;
           r = omen_c_ref_next(x->in, r)) {
        const omen_c_ref *rf = &x->in->refs[r];
        handed = (rf->flags & OMEN_C_REF_ARG) && rf->call != OMEN_C_NONE && rf->call != i &&
                 strcmp(x->in->calls[rf->call].name, "Write") != 0;
      }
    if (handed)
      continue;
    omen_diag *d = omen_pass_report(x->pass, &rule_grpc, x->f, c->start, c->end,
                                    "the result of Write is ignored and the loop never checks IsCancelled: "
                                    "after the client goes away this keeps producing for nobody");
    omen_diag_add_related(x->pass, d, x->f, l->start, l->start + 1, "the loop that does not end by itself");
    /* the fix: `if (!w->Write(m)) return grpc::Status::CANCELLED;` */
    const omen_c_func *fn = &x->in->funcs[c->func];
    if (c->in_macro || c->place != OMEN_C_PLACE_EXPR || fn->parent != OMEN_C_NONE ||
        !returns_grpc_status(fn->cursor) || c->stmt.kind == CXCursor_InvalidCode || c->stmt.end <= c->end ||
        x->f->text[c->stmt.end - 1] != ';')
      continue;
    omen_fix *fx = omen_diag_add_fix(x->pass, d, x->f, OMEN_FIX_SAFE, "return CANCELLED when Write fails");
    char *text = omen_arena_printf(omen_pass_arena(x->pass), "if (!%.*s) return grpc::Status::CANCELLED;",
                                   (int)(c->end - c->start), x->f->text + c->start);
    if (text)
      omen_fix_add_edit(x->pass, fx, c->stmt.start, c->stmt.end, text);
  }
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const omen_c_index *in = omen_pass_result(pass, &omen_c_inspect);
  if (!in)
    return OMEN_OK;
  ctx x = {.pass = pass, .in = in, .f = omen_pass_c_file(pass)};
  if (!x.f)
    return OMEN_OK;
  check_read_loops(&x);
  news nw = {.x = &x};
  for (size_t d = 0; decoders[d]; d++)
    for (uint32_t i = omen_c_call_first(in, decoders[d]); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
      check_decoder(&x, i, &nw);
  if (omen_pass_lang(pass) == OMEN_LANG_CPP && omen_c_call_first(in, "Write") != OMEN_C_NONE)
    check_grpc_writes(&x);
  if (omen_pass_lang(pass) == OMEN_LANG_CPP) {
    const omen_c_thread_info *th = omen_pass_result(pass, &omen_c_threads);
    const omen_c_lockinfo *lk = omen_pass_result(pass, &omen_c_locks);
    if (th && lk && th->nstarts > 0 && lk->nops > 0)
      check_queues(&x, th, lk);
  }
  return OMEN_OK;
}

const omen_analyzer omen_c_unbounded_stream = {
    .name = "c-unbounded-stream",
    .title = "Finds C and C++ buffers and allocations whose size a network peer controls",
    .doc = "Reports unbounded-stream rules for C and C++: buffers grown in a loop that reads from a socket "
           "with no cap on their size, allocations sized by a length decoded from the wire with no "
           "upper bound, C++ queues between threads with no bound on their size, and gRPC C++ streaming "
           "loops that ignore Write's result.",
    .langs = OMEN_LANG_CFAMILY,
    .requires = requires,
    .rules = rules,
    .run = run,
};
