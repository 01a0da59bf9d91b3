/* c_timeouts.c - missing-timeout for C and C++: libcurl transfers, blocking TCP sockets, database
 * and cache clients, and gRPC calls that can wait forever for a peer that does not answer. */
#include <stdio.h>
#include <string.h>

#include "analyzers.h"
#include "c_inspect.h"

static const omen_rule rule_curl = {
    .id = "missing-timeout/curl-no-timeout",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "libcurl transfer with no timeout",
    .what =
        "Reports `curl_easy_perform(h)` and `curl_multi_add_handle(m, h)` where `h` is a local `CURL *` "
        "that the same function creates with `curl_easy_init()` and never gives a bound: no "
        "`CURLOPT_TIMEOUT` or `CURLOPT_TIMEOUT_MS`, no low-speed limit (`CURLOPT_LOW_SPEED_LIMIT` "
        "together with `CURLOPT_LOW_SPEED_TIME`), no progress callback (`CURLOPT_XFERINFOFUNCTION`, "
        "`CURLOPT_PROGRESSFUNCTION`, which can abort a transfer) and not `CURLOPT_CONNECT_ONLY`. An "
        "option that is not a constant counts as a bound. Helpers of the same file that the handle is "
        "passed to are followed (a `configure(h)` that sets the timeout is enough); a handle passed to "
        "a function the file does not define, stored elsewhere or captured is not reported, nor one "
        "that is a global or a field (it is configured elsewhere). A handle that is a parameter is judged "
        "from the calls of its function in the same file: reported when one of them passes a handle its "
        "caller creates and never bounds (a `perform(CURL *h)` helper), silent when the function has no "
        "such caller. "
        "`CURLOPT_CONNECTTIMEOUT` alone does not count: it bounds only the connection; nor does "
        "`CURLOPT_SERVER_RESPONSE_TIMEOUT` (`CURLOPT_FTP_RESPONSE_TIMEOUT`), which bounds only the "
        "server's replies.",
    .why = "libcurl has no transfer timeout by default: a server that accepts the connection and then stops "
           "sending (a stalled upstream, a half-open TCP connection after a network change) keeps "
           "`curl_easy_perform` waiting forever, and the thread or request that called it hangs with it.",
    .example = "CURL *h = curl_easy_init();\n"
               "curl_easy_setopt(h, CURLOPT_URL, url);\n"
               "CURLcode rc = curl_easy_perform(h);",
    .instead = "CURL *h = curl_easy_init();\n"
               "curl_easy_setopt(h, CURLOPT_URL, url);\n"
               "curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);\n"
               "CURLcode rc = curl_easy_perform(h);",
    .fix = "Unsafe: inserts `curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);` on its own line before the "
           "statement holding the call (the value is the rule's `timeout` option). Review the value: a "
           "large download or a long poll may need more, or a low-speed limit instead. No fix inside "
           "macros, in an unbraced branch, or when the handle is created in the same statement.",
    .lang = "c/c++",
    .options = (const omen_rule_option[]){{"timeout", OMEN_OPT_DURATION, "30s",
                                           "the CURLOPT_TIMEOUT_MS the fix sets"},
                                          {NULL, 0, NULL, NULL}},
};

static const omen_rule rule_socket = {
    .id = "missing-timeout/socket-no-timeout",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_MEDIUM,
    .summary = "Blocking connect or read on a TCP socket with no timeout",
    .what = "Reports the first blocking `connect`, `recv`, `recvfrom`, `recvmsg`, `read` or `readv` on a "
            "socket the same function creates: `socket(AF_INET or AF_INET6 or ai_family, SOCK_STREAM or "
            "ai_socktype, ...)` or, for reads, `accept`/`accept4` (a connection from a client), stored in a "
            "local variable; the blocking call may also sit in a helper of the same file that the socket is "
            "passed to (a thread-per-connection `serve_client(fd)`), where it is reported once. Not reported "
            "when the socket gets `SO_RCVTIMEO` or `SO_SNDTIMEO` "
            "(`setsockopt`), is made non-blocking (`SOCK_NONBLOCK`, `fcntl(fd, F_SETFL, ...)`, `ioctl`) or "
            "read with "
            "`MSG_DONTWAIT`, "
            "when the function waits with `poll`, `select`, `epoll_wait` or arms `alarm`/`setitimer`, when "
            "the socket is handed to a function the file does not define (an event loop, `SSL_set_fd`, "
            "`fdopen`) or stored, and when a helper of the same file it is passed to does one of those. "
            "Sockets of other families (`AF_UNIX`, Bluetooth, netlink) and datagram sockets are not "
            "reported: their peers are local or they do not wait for one. `accept` itself is not "
            "reported: a listening loop is meant to wait.",
    .why = "A blocking `connect` to a host that drops packets waits for the kernel's SYN retries, over two "
           "minutes on Linux; a blocking read waits forever for a peer that stopped sending (a crashed "
           "host, a half-open connection, a slow client holding a server thread on purpose). The thread, "
           "and whatever waits for it, hangs with it.",
    .example = "int fd = socket(AF_INET, SOCK_STREAM, 0);\n"
               "connect(fd, (struct sockaddr *)&sa, sizeof sa);\n"
               "n = recv(fd, buf, sizeof buf, 0);",
    .instead = "int fd = socket(AF_INET, SOCK_STREAM, 0);\n"
               "struct timeval tv = {.tv_sec = 10};\n"
               "setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv); /* bounds connect */\n"
               "setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv); /* bounds reads */\n"
               "connect(fd, (struct sockaddr *)&sa, sizeof sa);\n"
               "n = recv(fd, buf, sizeof buf, 0);",
    .fix = "None: the right bound (socket options, poll with a deadline, non-blocking I/O in an event loop) "
           "depends on the program.",
    .lang = "c/c++",
};

static const omen_rule rule_client = {
    .id = "missing-timeout/client-connect-no-timeout",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "Redis, PostgreSQL or MySQL client connecting with no timeout",
    .what = "Reports hiredis `redisConnect(ip, port)` whose context never gets `redisSetTimeout` in the "
            "function; libpq `PQconnectdb` with a constant conninfo string (or URI) that has no "
            "`connect_timeout` (nor a `service`, whose file may set one), `PQconnectdbParams` whose keywords "
            "are a local array of literals without `connect_timeout` (nor `service` or `dbname`, which may "
            "expand to a conninfo) and `PQsetdbLogin`, unless the file mentions `PGCONNECT_TIMEOUT`; and "
            "MySQL/MariaDB `mysql_real_connect(m, ...)` "
            "on a handle the function initializes with `mysql_init` and never gives "
            "`MYSQL_OPT_CONNECT_TIMEOUT`, `MYSQL_OPT_READ_TIMEOUT`, `MYSQL_OPT_WRITE_TIMEOUT` or an option "
            "file (`MYSQL_READ_DEFAULT_FILE`, `MYSQL_READ_DEFAULT_GROUP`), unless the handle is passed to a "
            "function the file does not define. The functions are recognized by their declared types "
            "(`redisContext *`, `PGconn *`, `MYSQL *`). Non-blocking and Unix-socket connects are not "
            "reported.",
    .why = "None of these clients bound a connect or a query by default: a database or cache host that "
           "stops answering (a failover, a dropped route, a full accept queue) blocks the connect for the "
           "kernel's SYN retries and later queries forever, holding the calling thread and every request "
           "queued behind it.",
    .example = "redisContext *c = redisConnect(\"cache\", 6379);\n"
               "\n"
               "PGconn *db = PQconnectdb(\"host=db dbname=app\");",
    .instead = "redisContext *c = redisConnectWithTimeout(\"cache\", 6379, (struct timeval){30, 0});\n"
               "\n"
               "PGconn *db = PQconnectdb(\"host=db dbname=app connect_timeout=30\");",
    .fix = "Unsafe, review the value (the rule's `timeout` option): `redisConnect(ip, port)` becomes "
           "`redisConnectWithTimeout(ip, port, (struct timeval){30, 0})` (`timeval{30, 0}` in C++), which "
           "also bounds every command; a `PQconnectdb` string literal gets ` connect_timeout=30` (a URI "
           "`?connect_timeout=30`). No fix for `PQsetdbLogin` or MySQL (set the option with a variable).",
    .lang = "c/c++",
    .options = (const omen_rule_option[]){{"timeout", OMEN_OPT_DURATION, "30s", "the timeout the fix sets"},
                                          {NULL, 0, NULL, NULL}},
};

static const omen_rule rule_grpc = {
    .id = "missing-timeout/grpc-no-deadline",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "gRPC C++ call made with a ClientContext that has no deadline",
    .what = "Reports a call that takes `&ctx`, where `ctx` is a local `grpc::ClientContext`, and returns "
            "`grpc::Status` or a client reader, writer or async response reader (a generated stub method), "
            "when the function never calls `ctx.set_deadline(...)` and never passes `ctx` to anything else "
            "(a helper that may set the deadline). The type is checked through libclang, not the name.",
    .why = "A gRPC call without a deadline waits as long as the server takes, forever when the server hangs "
           "or the connection is half-open; the calling thread and the request it serves hang with it, and "
           "the server never learns that the client gave up.",
    .example = "grpc::ClientContext ctx;\n"
               "grpc::Status s = stub->GetUser(&ctx, req, &resp);",
    .instead = "grpc::ClientContext ctx;\n"
               "ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(30000));\n"
               "grpc::Status s = stub->GetUser(&ctx, req, &resp);",
    .fix = "Unsafe: inserts `ctx.set_deadline(std::chrono::system_clock::now() + "
           "std::chrono::milliseconds(30000));` on its own line before the statement holding the call (the "
           "value is the rule's `timeout` option; `<chrono>` comes with the gRPC headers). Review the value: "
           "streaming calls may need a longer one. No fix inside macros or in an unbraced branch.",
    .lang = "c++",
    .options = (const omen_rule_option[]){{"timeout", OMEN_OPT_DURATION, "30s", "the deadline the fix sets"},
                                          {NULL, 0, NULL, NULL}},
};

static const omen_rule rule_handler_wait = {
    .id = "missing-timeout/handler-wait-unbounded",
    .severity = OMEN_SEV_NOTE,
    .confidence = OMEN_CONF_LOW,
    .summary = "gRPC C++ handler waits with no bound where a timed wait exists",
    .what = "Reports, inside code that serves requests, a wait that has a timed variant but is made "
            "without one: `std::future::get` or `wait` and `std::shared_future::get` or `wait` (timed: "
            "`wait_for`, `wait_until`), `std::condition_variable::wait` (timed: `wait_for`, `wait_until`), "
            "`pthread_cond_wait` (timed: `pthread_cond_timedwait`) and `sem_wait` (timed: "
            "`sem_timedwait`). Code that serves requests means, here, the body of a gRPC C++ service "
            "method: a function or method with a `grpc::ServerContext *` or `grpc::CallbackServerContext *` "
            "parameter (types checked through libclang); lambdas and helpers it calls are not followed. Not "
            "reported when the same function uses any timed variant (it polls the result first, or bounds "
            "the wait elsewhere).",
    .why = "The client gave the call a deadline and will give up; a handler blocked on a future or a "
           "condition that never completes keeps its server thread forever. Under load every thread of "
           "the synchronous server's pool ends up blocked and the server stops answering.",
    .example = "grpc::Status Get(grpc::ServerContext *ctx, const Req *req, Resp *resp) override {\n"
               "  auto f = pool.submit([&] { return lookup(req->key()); });\n"
               "  resp->set_value(f.get());\n"
               "  return grpc::Status::OK;\n"
               "}",
    .instead = "grpc::Status Get(grpc::ServerContext *ctx, const Req *req, Resp *resp) override {\n"
               "  auto f = pool.submit([&] { return lookup(req->key()); });\n"
               "  if (f.wait_until(ctx->deadline()) != std::future_status::ready)\n"
               "    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, \"lookup\");\n"
               "  resp->set_value(f.get());\n"
               "  return grpc::Status::OK;\n"
               "}",
    .fix = "None: what to do when the wait times out (an error status, a partial answer) is the handler's "
           "choice.",
    .lang = "c++",
};

static const omen_rule *const rules[] = {&rule_curl, &rule_socket,       &rule_client,
                                         &rule_grpc, &rule_handler_wait, NULL};
static const omen_analyzer *const requires[] = {&omen_c_inspect, NULL};

/* Per-run state. budget bounds the work spent following helpers. */
typedef struct ctx {
  omen_pass *pass;
  const omen_c_index *in;
  const omen_file *f;
  int budget;
  uint32_t reported[64]; /* socket-no-timeout: blocking calls already reported in this unit */
  uint32_t nreported;
} ctx;

/* ---- small helpers ---- */

static bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool text_has(const omen_file *f, uint32_t start, uint32_t end, const char *needle) {
  size_t n = strlen(needle);
  if (end > f->len || start >= end || end - start < n)
    return false;
  for (uint32_t i = start; i + n <= end; i++)
    if (memcmp(f->text + i, needle, n) == 0)
      return true;
  return false;
}

static bool arg_has(const omen_file *f, const omen_c_call *c, uint32_t i, const char *needle) {
  return i < c->nargs && text_has(f, c->arg_start[i], c->arg_end[i], needle);
}

/* Is the call a direct call of name, declared outside the main file (a library function)? */
static bool lib_call(const ctx *x, const omen_c_call *c, const char *name) {
  if (!c->direct || strcmp(c->name, name) != 0)
    return false;
  uint32_t off;
  return !omen_pass_c_in_main(x->pass, clang_getCursorLocation(c->callee), &off);
}

/* Does the callee's parameter i (or its return type, i < 0) have this type, as written? */
static bool type_is(CXCursor callee, int i, const char *spelling) {
  CXType t;
  if (i < 0)
    t = clang_getResultType(clang_getCursorType(callee));
  else {
    CXCursor a = clang_Cursor_getArgument(callee, (unsigned)i);
    if (clang_Cursor_isNull(a))
      return false;
    t = clang_getCursorType(a);
  }
  CXString s = clang_getTypeSpelling(t);
  const char *cs = clang_getCString(s);
  bool ok = cs && strcmp(cs, spelling) == 0;
  clang_disposeString(s);
  return ok;
}

/* Does the canonical type of t contain needle (e.g. "grpc::Status")? */
static bool canon_has(CXType t, const char *needle) {
  CXString s = clang_getTypeSpelling(clang_getCanonicalType(t));
  const char *cs = clang_getCString(s);
  bool ok = cs && strstr(cs, needle) != NULL;
  clang_disposeString(s);
  return ok;
}

/* The name of the enumerator an argument names (CURLOPT_TIMEOUT), copied into buf; false if none. */
static bool enum_arg(const omen_c_call *c, uint32_t i, char *buf, size_t n) {
  if (i >= c->nargs)
    return false;
  CXCursor e = omen_c_strip(c->args[i]);
  CXCursor d = clang_getCursorReferenced(e);
  if (clang_getCursorKind(e) != CXCursor_DeclRefExpr || clang_getCursorKind(d) != CXCursor_EnumConstantDecl)
    return false;
  CXString s = clang_getCursorSpelling(d);
  const char *cs = clang_getCString(s);
  snprintf(buf, n, "%s", cs ? cs : "");
  clang_disposeString(s);
  return buf[0] != '\0';
}

/* The integer value of an argument, when it is a constant. */
static bool int_arg(const omen_c_call *c, uint32_t i, long long *v) {
  if (i >= c->nargs)
    return false;
  CXEvalResult r = clang_Cursor_Evaluate(c->args[i]);
  bool ok = r && clang_EvalResult_getKind(r) == CXEval_Int;
  if (ok)
    *v = clang_EvalResult_getAsLongLong(r);
  if (r)
    clang_EvalResult_dispose(r);
  return ok;
}

/* The function of this TU the call goes to, or OMEN_C_NONE. */
static uint32_t defined_func(const ctx *x, const omen_c_call *c) {
  if (!c->direct)
    return OMEN_C_NONE;
  CXCursor def = clang_getCursorDefinition(c->callee);
  uint32_t off;
  if (clang_Cursor_isNull(def) || !omen_pass_c_in_main(x->pass, clang_getCursorLocation(def), &off))
    return OMEN_C_NONE;
  for (uint32_t i = omen_c_func_at(x->in, off); i != OMEN_C_NONE; i = x->in->funcs[i].parent)
    if (clang_equalCursors(x->in->funcs[i].cursor, def))
      return x->in->funcs[i].incomplete ? OMEN_C_NONE : i;
  return OMEN_C_NONE;
}

/* The local variable or parameter the value of the call is stored in: `T v = call`, `v = call`,
 * `if ((v = call) < 0)`. A null cursor otherwise. */
static CXCursor assigned_decl(const ctx *x, const omen_c_call *c) {
  const omen_file *f = x->f;
  if (c->in_macro)
    return clang_getNullCursor();
  uint32_t i = c->start;
  while (i > 0 && f->text[i - 1] && strchr(" \t\r\n(", f->text[i - 1]))
    i--; /* blanks and opening parentheses: `if ((fd = socket(...)) < 0)` */
  if (i < 2 || f->text[i - 1] != '=' || strchr("=!<>+-*/%&|^", f->text[i - 2]))
    return clang_getNullCursor();
  i--;
  while (i > 0 && (f->text[i - 1] == ' ' || f->text[i - 1] == '\t'))
    i--;
  if (i == 0 || !is_ident_char(f->text[i - 1]))
    return clang_getNullCursor();
  /* a declaration `T v = call`: one of the last variables declared before the name's end */
  uint32_t lo = 0, hi = x->in->nvars;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (x->in->vars[mid].start < i)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (uint32_t v = lo, k = 0; v-- > 0 && k < 8; k++) {
    const omen_c_var *var = &x->in->vars[v];
    if (var->func == c->func && var->name_end == i && var->end >= c->end)
      return var->is_static ? clang_getNullCursor() : var->cursor;
  }
  /* an assignment `v = call` to a variable or parameter: the reference just before the '=' */
  lo = 0, hi = x->in->nrefs;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (x->in->refs[mid].start < i)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (uint32_t r = lo, k = 0; r-- > 0 && k < 4; k++) {
    const omen_c_ref *ref = &x->in->refs[r];
    if (ref->end == i && ref->func == c->func) {
      enum CXCursorKind kind = clang_getCursorKind(ref->decl);
      if (kind == CXCursor_VarDecl || kind == CXCursor_ParmDecl)
        return ref->decl;
    }
  }
  return clang_getNullCursor();
}

/* Is decl a non-static local variable of function fn? */
static bool local_of(const ctx *x, CXCursor decl, uint32_t fn) {
  uint32_t v = omen_c_var_find(x->in, decl);
  return v != OMEN_C_NONE && x->in->vars[v].func == fn && !x->in->vars[v].is_static;
}

/* ---- following a handle through its uses ---- */

/* What a call does with the handle passed as argument arg. */
enum {
  USE_OTHER = 0,         /* not a call this family knows: follow it into the TU or assume a bound */
  USE_NEUTRAL = 1u << 0, /* a known call that neither bounds nor hides the handle */
  USE_BOUND = 1u << 1,   /* gives it a bound (or may: unknown) */
  USE_LS_LIMIT = 1u << 2,
  USE_LS_TIME = 1u << 3,
  USE_CONNECT_TIMEOUT = 1u << 4,
  USE_RESPONSE_TIMEOUT = 1u << 5,
};

typedef unsigned (*use_fn)(const ctx *x, const omen_c_call *c, uint32_t arg);

/* The USE_* bits of every use of decl in function fn, following helpers of the TU it is passed to;
 * USE_BOUND when it escapes (stored, captured, passed to an unknown function). */
static unsigned uses(ctx *x, CXCursor decl, uint32_t fn, use_fn classify, int depth) {
  const omen_c_index *in = x->in;
  unsigned bits = 0;
  for (uint32_t r = omen_c_ref_first(in, decl); r != OMEN_C_NONE; r = omen_c_ref_next(in, r)) {
    const omen_c_ref *ref = &in->refs[r];
    if (--x->budget < 0)
      return USE_BOUND;
    if (ref->func != fn)
      return USE_BOUND; /* captured by a lambda or used in a nested function */
    if (ref->flags & OMEN_C_REF_ARG) {
      const omen_c_call *c = &in->calls[ref->call];
      unsigned u = classify(x, c, ref->arg);
      if (u != USE_OTHER) {
        bits |= u;
        continue;
      }
      uint32_t g = defined_func(x, c);
      if (g == OMEN_C_NONE || g == fn || depth >= 3 || (ref->flags & OMEN_C_REF_ADDR))
        return USE_BOUND;
      CXCursor param = clang_Cursor_getArgument(in->funcs[g].cursor, ref->arg);
      if (clang_Cursor_isNull(param))
        return USE_BOUND;
      bits |= uses(x, param, g, classify, depth + 1) & ~USE_NEUTRAL;
      continue;
    }
    if (ref->flags & OMEN_C_REF_ADDR)
      return USE_BOUND;
    /* stored somewhere: `other = h`, `.field = h` */
    uint32_t i = ref->start;
    while (i > 0 && (x->f->text[i - 1] == ' ' || x->f->text[i - 1] == '\t' || x->f->text[i - 1] == '('))
      i--;
    if (i >= 2 && x->f->text[i - 1] == '=' && !strchr("=!<>", x->f->text[i - 2]))
      return USE_BOUND;
    if (i >= 1 && (x->f->text[i - 1] == '{' || x->f->text[i - 1] == ','))
      return USE_BOUND; /* in an initializer list or a macro's arguments */
  }
  return bits;
}

/* ---- fixes ---- */

/* Where a line can be inserted before the statement holding call c: the start of its line, with
 * *indent its indentation; OMEN_C_NONE when the statement does not start its line or comes from a
 * macro or is an unbraced branch. */
static uint32_t line_before(const ctx *x, const omen_c_call *c, uint32_t *indent) {
  if (c->in_macro || c->stmt.kind == CXCursor_InvalidCode || c->place == OMEN_C_PLACE_BRANCH ||
      c->place == OMEN_C_PLACE_UNKNOWN)
    return OMEN_C_NONE;
  uint32_t line = omen_c_line_start(x->f, c->stmt.start, indent);
  if (line + *indent != c->stmt.start)
    return OMEN_C_NONE;
  return line;
}

static void insert_line(ctx *x, omen_diag *d, const omen_c_call *c, const char *what, const char *code) {
  uint32_t indent = 0;
  uint32_t at = line_before(x, c, &indent);
  if (at == OMEN_C_NONE)
    return;
  char *text = omen_arena_printf(omen_pass_arena(x->pass), "%.*s%s\n", (int)indent, x->f->text + at, code);
  if (!text)
    return;
  omen_fix *fx = omen_diag_add_fix(x->pass, d, x->f, OMEN_FIX_UNSAFE, "%s", what);
  omen_fix_add_edit(x->pass, fx, at, at, text);
}

static long long timeout_ms(omen_pass *pass, const omen_rule *rule) {
  long long ns = 30000000000LL;
  omen_pass_duration_option(pass, rule, "timeout", &ns);
  long long ms = ns / 1000000;
  return ms > 0 ? ms : 1;
}

/* The handle's text as written in the call (a plain identifier), or NULL. */
static const char *ident_arg(ctx *x, const omen_c_call *c, uint32_t i) {
  if (i >= c->nargs || c->arg_end[i] <= c->arg_start[i])
    return NULL;
  for (uint32_t k = c->arg_start[i]; k < c->arg_end[i]; k++)
    if (!is_ident_char(x->f->text[k]))
      return NULL;
  return omen_arena_printf(omen_pass_arena(x->pass), "%.*s", (int)(c->arg_end[i] - c->arg_start[i]),
                           x->f->text + c->arg_start[i]);
}

/* ---- libcurl ---- */

static unsigned curl_use(const ctx *x, const omen_c_call *c, uint32_t arg) {
  if (strncmp(c->name, "curl_", 5) != 0 || !lib_call(x, c, c->name))
    return USE_OTHER;
  if (strcmp(c->name, "curl_easy_setopt") != 0 || arg != 0)
    return USE_NEUTRAL;
  char opt[64];
  if (!enum_arg(c, 1, opt, sizeof opt))
    return USE_BOUND; /* an option chosen at run time */
  static const char *const bounds[] = {"CURLOPT_TIMEOUT", "CURLOPT_TIMEOUT_MS", "CURLOPT_XFERINFOFUNCTION",
                                       "CURLOPT_PROGRESSFUNCTION", "CURLOPT_CONNECT_ONLY"};
  for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++)
    if (strcmp(opt, bounds[i]) == 0)
      return USE_BOUND;
  if (strcmp(opt, "CURLOPT_LOW_SPEED_LIMIT") == 0)
    return USE_LS_LIMIT;
  if (strcmp(opt, "CURLOPT_LOW_SPEED_TIME") == 0)
    return USE_LS_TIME;
  if (strcmp(opt, "CURLOPT_CONNECTTIMEOUT") == 0 || strcmp(opt, "CURLOPT_CONNECTTIMEOUT_MS") == 0)
    return USE_CONNECT_TIMEOUT;
  if (strcmp(opt, "CURLOPT_SERVER_RESPONSE_TIMEOUT") == 0)
    return USE_RESPONSE_TIMEOUT;
  return USE_NEUTRAL;
}

/* The curl_easy_init call of function fn that h is assigned from, or OMEN_C_NONE. */
static uint32_t curl_origin(const ctx *x, CXCursor h, uint32_t fn) {
  for (uint32_t i = omen_c_call_first(x->in, "curl_easy_init"); i != OMEN_C_NONE;
       i = omen_c_call_next(x->in, i)) {
    const omen_c_call *c = &x->in->calls[i];
    if (c->func == fn && lib_call(x, c, "curl_easy_init") && clang_equalCursors(assigned_decl(x, c), h))
      return i;
  }
  return OMEN_C_NONE;
}

/* h is a parameter of function fn: a call of fn in this file that passes a handle its caller creates
 * and never bounds (uses() from the caller follows into fn). The caller's curl_easy_init call, or
 * OMEN_C_NONE; *bits gets the caller's USE_* bits. */
static uint32_t curl_param_origin(ctx *x, CXCursor h, uint32_t fn, unsigned *bits) {
  const omen_c_func *f = &x->in->funcs[fn];
  int n = clang_Cursor_getNumArguments(f->cursor);
  uint32_t k = OMEN_C_NONE;
  for (int i = 0; i < n && k == OMEN_C_NONE; i++)
    if (clang_equalCursors(clang_Cursor_getArgument(f->cursor, (unsigned)i), h))
      k = (uint32_t)i;
  if (k == OMEN_C_NONE || !f->name[0])
    return OMEN_C_NONE;
  for (uint32_t i = omen_c_call_first(x->in, f->name); i != OMEN_C_NONE; i = omen_c_call_next(x->in, i)) {
    const omen_c_call *cc = &x->in->calls[i];
    bool addr = false;
    if (cc->nargs <= k || cc->func == OMEN_C_NONE || defined_func(x, cc) != fn)
      continue;
    CXCursor a = omen_c_named_decl(cc->args[k], &addr);
    if (addr || !local_of(x, a, cc->func))
      continue;
    uint32_t o = curl_origin(x, a, cc->func);
    if (o == OMEN_C_NONE)
      continue;
    x->budget = 4096;
    unsigned b = uses(x, a, cc->func, curl_use, 0);
    if (!(b & USE_BOUND) && !((b & USE_LS_LIMIT) && (b & USE_LS_TIME))) {
      *bits = b;
      return o;
    }
  }
  return OMEN_C_NONE;
}

static void check_curl(ctx *x, uint32_t ci, uint32_t harg) {
  const omen_c_call *c = &x->in->calls[ci];
  if (c->func == OMEN_C_NONE || x->in->funcs[c->func].incomplete || c->nargs <= harg ||
      !lib_call(x, c, c->name) || !type_is(c->callee, (int)harg, "CURL *"))
    return;
  bool addr = false;
  CXCursor h = omen_c_named_decl(c->args[harg], &addr);
  unsigned bits = 0;
  uint32_t origin = OMEN_C_NONE;
  bool param = !addr && clang_getCursorKind(h) == CXCursor_ParmDecl;
  if (param) {
    /* a helper performing the handle its caller made: judged from the callers of this file */
    origin = curl_param_origin(x, h, c->func, &bits);
  } else if (!addr && local_of(x, h, c->func)) {
    origin = curl_origin(x, h, c->func);
    x->budget = 4096;
    bits = origin == OMEN_C_NONE ? USE_BOUND : uses(x, h, c->func, curl_use, 0);
  }
  if (origin == OMEN_C_NONE || (bits & USE_BOUND) || ((bits & USE_LS_LIMIT) && (bits & USE_LS_TIME)))
    return;
  const char *what = harg == 0 ? "this transfer has no timeout" : "this transfer is added with no timeout";
  omen_diag *d = omen_pass_report(
      x->pass, &rule_curl, x->f, c->start, c->end,
      "%s%s: a server that stops sending keeps it waiting forever, and the calling thread hangs with it",
      what,
      (bits & USE_CONNECT_TIMEOUT)    ? " (CURLOPT_CONNECTTIMEOUT bounds only the connection)"
      : (bits & USE_RESPONSE_TIMEOUT) ? " (CURLOPT_SERVER_RESPONSE_TIMEOUT bounds only the server's replies)"
                                      : "");
  const omen_c_call *o = &x->in->calls[origin];
  omen_diag_add_related(x->pass, d, x->f, o->start, o->end, "handle created here");
  const char *name = ident_arg(x, c, harg);
  if (name && (param || o->stmt.start < c->stmt.start)) {
    char code[256];
    snprintf(code, sizeof code, "curl_easy_setopt(%s, CURLOPT_TIMEOUT_MS, %lldL);", name,
             timeout_ms(x->pass, &rule_curl));
    insert_line(x, d, c, "set CURLOPT_TIMEOUT_MS", code);
  }
}

/* ---- sockets ---- */

static unsigned sock_use(const ctx *x, const omen_c_call *c, uint32_t arg) {
  if (!c->direct)
    return USE_OTHER;
  const char *n = c->name;
  if (strcmp(n, "epoll_ctl") == 0)
    return USE_BOUND; /* watched by an event loop */
  static const char *const logging[] = {"printf", "fprintf", "syslog", "snprintf", "sprintf",
                                        "err",    "warn",    "errx",   "warnx"};
  for (size_t i = 0; i < sizeof logging / sizeof logging[0]; i++)
    if (strcmp(n, logging[i]) == 0)
      return USE_NEUTRAL; /* the descriptor's number in a message */
  if (arg != 0)
    return USE_OTHER;
  if (strcmp(n, "setsockopt") == 0)
    return arg_has(x->f, c, 2, "SO_RCVTIMEO") || arg_has(x->f, c, 2, "SO_SNDTIMEO") ? USE_BOUND : USE_NEUTRAL;
  if (strcmp(n, "fcntl") == 0)
    return arg_has(x->f, c, 1, "F_SETFL") ? USE_BOUND : USE_NEUTRAL;
  if (strcmp(n, "ioctl") == 0)
    return USE_BOUND;
  static const char *const neutral[] = {
      "connect", "recv",   "recvfrom", "recvmsg",    "read",        "readv",       "accept",
      "accept4", "bind",   "listen",   "close",      "shutdown",    "write",       "writev",
      "send",    "sendto", "sendmsg",  "getsockopt", "getsockname", "getpeername", "dprintf"};
  for (size_t i = 0; i < sizeof neutral / sizeof neutral[0]; i++)
    if (strcmp(n, neutral[i]) == 0)
      return USE_NEUTRAL;
  return USE_OTHER;
}

/* Does function fn wait with a timeout some other way (poll, select, epoll, alarm)? */
static bool waits_bounded(const ctx *x, uint32_t fn) {
  static const char *const waits[] = {"poll",        "ppoll", "select",    "pselect",       "epoll_wait",
                                      "epoll_pwait", "alarm", "setitimer", "timer_settime", "epoll_ctl"};
  for (size_t k = 0; k < sizeof waits / sizeof waits[0]; k++)
    for (uint32_t i = omen_c_call_first(x->in, waits[k]); i != OMEN_C_NONE; i = omen_c_call_next(x->in, i))
      if (x->in->calls[i].func == fn)
        return true;
  return false;
}

/* Is the socket call's domain a network one and its type a blocking stream? */
static bool tcp_socket(const ctx *x, const omen_c_call *c) {
  long long dom = -1, type = -1;
  bool net = arg_has(x->f, c, 0, "ai_family") || (int_arg(c, 0, &dom) && (dom == 2 || dom == 10));
  if (!net)
    return false;
  if (arg_has(x->f, c, 1, "ai_socktype"))
    return !arg_has(x->f, c, 1, "NONBLOCK");
  /* SOCK_STREAM (1) with at most SOCK_CLOEXEC; SOCK_NONBLOCK (04000) makes it non-blocking */
  return int_arg(c, 1, &type) && (type & 0xf) == 1 && !(type & 04000);
}

static const char *const blocking_ops[] = {"connect", "recv", "recvfrom", "recvmsg", "read", "readv"};

/* The first blocking call on descriptor fd in function fn after offset after, following helpers of
 * the TU it is passed to (a connection handed to serve_client(fd) that reads it); OMEN_C_NONE if
 * none. Accepted connections are already connected: connect does not count. */
static uint32_t first_blocking(ctx *x, CXCursor fd, uint32_t fn, uint32_t after, bool accepted, int depth) {
  const omen_c_index *in = x->in;
  for (uint32_t r = omen_c_ref_first(in, fd); r != OMEN_C_NONE; r = omen_c_ref_next(in, r)) {
    const omen_c_ref *ref = &in->refs[r];
    if (!(ref->flags & OMEN_C_REF_ARG) || (ref->flags & OMEN_C_REF_ADDR) || ref->start < after ||
        ref->func != fn)
      continue;
    const omen_c_call *b = &in->calls[ref->call];
    for (size_t k = accepted ? 1 : 0; ref->arg == 0 && k < sizeof blocking_ops / sizeof blocking_ops[0]; k++)
      if (strcmp(b->name, blocking_ops[k]) == 0 && lib_call(x, b, b->name) &&
          !(b->nargs > 2 &&
            arg_has(x->f, b, b->nargs - (strcmp(b->name, "recvfrom") == 0 ? 3 : 1), "MSG_DONTWAIT")))
        return ref->call;
    uint32_t g = depth < 3 && --x->budget >= 0 ? defined_func(x, b) : OMEN_C_NONE;
    if (g == OMEN_C_NONE || g == fn)
      continue;
    if (waits_bounded(x, g))
      return OMEN_C_NONE; /* the helper polls before it reads */
    CXCursor param = clang_Cursor_getArgument(in->funcs[g].cursor, ref->arg);
    uint32_t found =
        clang_Cursor_isNull(param) ? OMEN_C_NONE : first_blocking(x, param, g, 0, accepted, depth + 1);
    if (found != OMEN_C_NONE)
      return found;
  }
  return OMEN_C_NONE;
}

static void check_socket(ctx *x, uint32_t ci, bool accepted) {
  const omen_c_call *c = &x->in->calls[ci];
  uint32_t fn = c->func;
  if (fn == OMEN_C_NONE || x->in->funcs[fn].incomplete || !lib_call(x, c, c->name))
    return;
  if (accepted) {
    long long flags = 0;
    if (strcmp(c->name, "accept4") == 0 && (!int_arg(c, 3, &flags) || (flags & 04000)))
      return;
    /* a listening socket of this function that is not TCP: a local peer */
    bool addr = false;
    CXCursor l = c->nargs ? omen_c_named_decl(c->args[0], &addr) : clang_getNullCursor();
    for (uint32_t i = omen_c_call_first(x->in, "socket"); !clang_Cursor_isNull(l) && i != OMEN_C_NONE;
         i = omen_c_call_next(x->in, i))
      if (x->in->calls[i].func == fn && clang_equalCursors(assigned_decl(x, &x->in->calls[i]), l) &&
          !tcp_socket(x, &x->in->calls[i]))
        return;
  } else if (c->nargs < 3 || !tcp_socket(x, c)) {
    return;
  }
  CXCursor fd = assigned_decl(x, c);
  if (clang_Cursor_isNull(fd) || !local_of(x, fd, fn) || waits_bounded(x, fn))
    return;
  x->budget = 4096;
  if (uses(x, fd, fn, sock_use, 0) & USE_BOUND)
    return;
  uint32_t bi = first_blocking(x, fd, fn, c->end, accepted, 0);
  if (bi == OMEN_C_NONE)
    return;
  for (uint32_t k = 0; k < x->nreported; k++)
    if (x->reported[k] == bi)
      return; /* a helper reached from two sockets: once is enough */
  if (x->nreported < sizeof x->reported / sizeof x->reported[0])
    x->reported[x->nreported++] = bi;
  const omen_c_call *b = &x->in->calls[bi];
  omen_diag *d;
  if (strcmp(b->name, "connect") == 0)
    d = omen_pass_report(x->pass, &rule_socket, x->f, b->start, b->end,
                         "connect on this TCP socket has no timeout: a host that does not answer keeps it "
                         "waiting for the kernel's retries (minutes), and the thread hangs with it");
  else
    d = omen_pass_report(x->pass, &rule_socket, x->f, b->start, b->end,
                         "%s on this %s has no timeout: a peer that stops sending keeps it waiting "
                         "forever, and the thread hangs with it",
                         b->name, accepted ? "accepted connection" : "TCP socket");
  omen_diag_add_related(x->pass, d, x->f, c->start, c->end,
                        accepted ? "connection accepted here" : "socket created here");
}

/* ---- database and cache clients ---- */

static unsigned redis_use(const ctx *x, const omen_c_call *c, uint32_t arg) {
  (void)x;
  (void)arg;
  if (!c->direct)
    return USE_OTHER;
  if (strcmp(c->name, "redisSetTimeout") == 0)
    return USE_BOUND;
  return USE_NEUTRAL; /* whatever else happens to the context, the connect was not bounded */
}

static void check_redis(ctx *x, uint32_t ci) {
  const omen_c_call *c = &x->in->calls[ci];
  if (c->func == OMEN_C_NONE || c->nargs != 2 || !lib_call(x, c, "redisConnect") ||
      !type_is(c->callee, -1, "redisContext *"))
    return;
  CXCursor ctxd = assigned_decl(x, c);
  x->budget = 4096;
  if (!clang_Cursor_isNull(ctxd) && (uses(x, ctxd, c->func, redis_use, 0) & USE_BOUND))
    return;
  omen_diag *d = omen_pass_report(x->pass, &rule_client, x->f, c->start, c->end,
                                  "redisConnect has no timeout: an unreachable Redis host blocks the connect "
                                  "for minutes and every later command forever, holding the calling thread");
  const omen_file *f = x->f;
  static const char name[] = "redisConnect";
  if (c->in_macro || c->start + sizeof name > f->len ||
      memcmp(f->text + c->start, name, sizeof name - 1) != 0 || f->text[c->start + sizeof name - 1] != '(' ||
      f->text[c->end - 1] != ')')
    return;
  long long s = timeout_ms(x->pass, &rule_client) / 1000;
  char *tv = omen_arena_printf(omen_pass_arena(x->pass),
                               omen_pass_lang(x->pass) == OMEN_LANG_CPP ? ", timeval{%lld, 0}"
                                                                        : ", (struct timeval){%lld, 0}",
                               s > 0 ? s : 1);
  omen_fix *fx = omen_diag_add_fix(x->pass, d, f, OMEN_FIX_UNSAFE, "use redisConnectWithTimeout");
  omen_fix_add_edit(x->pass, fx, c->start, c->start + sizeof name - 1, "redisConnectWithTimeout");
  omen_fix_add_edit(x->pass, fx, c->end - 1, c->end - 1, tv);
}

/* The string a constant argument evaluates to, copied into the arena; NULL when not constant. */
static const char *string_arg(ctx *x, const omen_c_call *c, uint32_t i) {
  if (i >= c->nargs)
    return NULL;
  CXEvalResult r = clang_Cursor_Evaluate(c->args[i]);
  const char *out = NULL;
  if (r && clang_EvalResult_getKind(r) == CXEval_StrLiteral) {
    const char *s = clang_EvalResult_getAsStr(r);
    out = s ? omen_arena_printf(omen_pass_arena(x->pass), "%s", s) : NULL;
  }
  if (r)
    clang_EvalResult_dispose(r);
  return out;
}

static bool file_mentions(const ctx *x, const char *needle) { return text_has(x->f, 0, x->f->len, needle); }

static void check_pq(ctx *x, uint32_t ci) {
  const omen_c_call *c = &x->in->calls[ci];
  bool login = strcmp(c->name, "PQsetdbLogin") == 0;
  if (c->func == OMEN_C_NONE || !lib_call(x, c, c->name) || !type_is(c->callee, -1, "PGconn *") ||
      file_mentions(x, "PGCONNECT_TIMEOUT"))
    return;
  const char *conninfo = string_arg(x, c, login ? 4 : 0);
  if (!login && !conninfo)
    return; /* built at run time: may carry connect_timeout */
  if (conninfo && (strstr(conninfo, "connect_timeout") || strstr(conninfo, "service")))
    return;
  omen_diag *d =
      omen_pass_report(x->pass, &rule_client, x->f, c->start, c->end,
                       "%s has no connect_timeout: an unreachable PostgreSQL host blocks the connect "
                       "for minutes, holding the calling thread",
                       c->name);
  if (login)
    return;
  /* a plain string literal written here: add the parameter before its closing quote */
  const omen_file *f = x->f;
  uint32_t s = c->arg_start[0], e = c->arg_end[0];
  bool uri = strncmp(conninfo, "postgres://", 11) == 0 || strncmp(conninfo, "postgresql://", 13) == 0;
  if (c->in_macro || e < s + 2 || f->text[s] != '"' || f->text[e - 1] != '"' ||
      text_has(f, s + 1, e - 1, "\"") || (!uri && !text_has(f, s, e, "=")))
    return;
  long long secs = timeout_ms(x->pass, &rule_client) / 1000;
  if (secs < 2)
    secs = 2; /* libpq's minimum */
  char *text = omen_arena_printf(omen_pass_arena(x->pass), "%sconnect_timeout=%lld",
                                 uri ? (strchr(conninfo, '?') ? "&" : "?") : " ", secs);
  omen_fix *fx = omen_diag_add_fix(x->pass, d, f, OMEN_FIX_UNSAFE, "add connect_timeout");
  omen_fix_add_edit(x->pass, fx, e - 1, e - 1, text);
}

/* PQconnectdbParams(keywords, values, expand) with keywords a local array of string literals that
 * has no "connect_timeout" (nor "service", "dbname", which may carry one when expand is set). */
static void check_pq_params(ctx *x, uint32_t ci) {
  const omen_c_call *c = &x->in->calls[ci];
  if (c->func == OMEN_C_NONE || c->nargs != 3 || !lib_call(x, c, "PQconnectdbParams") ||
      !type_is(c->callee, -1, "PGconn *") || file_mentions(x, "PGCONNECT_TIMEOUT"))
    return;
  CXCursor kw = omen_c_named_decl(c->args[0], NULL);
  uint32_t v = omen_c_var_find(x->in, kw);
  if (v == OMEN_C_NONE || x->in->vars[v].func != c->func)
    return;
  const omen_c_var *var = &x->in->vars[v];
  if (clang_getCursorType(var->cursor).kind != CXType_ConstantArray ||
      !text_has(x->f, var->start, var->end, "\"") ||
      text_has(x->f, var->start, var->end, "connect_timeout") ||
      text_has(x->f, var->start, var->end, "\"service\"") ||
      text_has(x->f, var->start, var->end, "\"dbname\""))
    return;
  for (uint32_t r = omen_c_ref_first(x->in, kw); r != OMEN_C_NONE; r = omen_c_ref_next(x->in, r))
    if (x->in->refs[r].call != ci)
      return; /* filled in or passed elsewhere */
  omen_diag *d =
      omen_pass_report(x->pass, &rule_client, x->f, c->start, c->end,
                       "PQconnectdbParams has no connect_timeout: an unreachable PostgreSQL host blocks "
                       "the connect for minutes, holding the calling thread");
  omen_diag_add_related(x->pass, d, x->f, var->name_start, var->name_end,
                        "connection keywords declared here");
}

static unsigned mysql_use(const ctx *x, const omen_c_call *c, uint32_t arg) {
  if (strncmp(c->name, "mysql_", 6) != 0 || !lib_call(x, c, c->name))
    return USE_OTHER;
  if ((strcmp(c->name, "mysql_options") != 0 && strcmp(c->name, "mysql_optionsv") != 0) || arg != 0)
    return USE_NEUTRAL;
  char opt[64];
  if (!enum_arg(c, 1, opt, sizeof opt))
    return USE_BOUND;
  static const char *const bounds[] = {"MYSQL_OPT_CONNECT_TIMEOUT", "MYSQL_OPT_READ_TIMEOUT",
                                       "MYSQL_OPT_WRITE_TIMEOUT", "MYSQL_READ_DEFAULT_FILE",
                                       "MYSQL_READ_DEFAULT_GROUP"};
  for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++)
    if (strcmp(opt, bounds[i]) == 0)
      return USE_BOUND;
  return USE_NEUTRAL;
}

static void check_mysql(ctx *x, uint32_t ci) {
  const omen_c_call *c = &x->in->calls[ci];
  if (c->func == OMEN_C_NONE || x->in->funcs[c->func].incomplete || c->nargs < 8 ||
      !lib_call(x, c, "mysql_real_connect") || !type_is(c->callee, 0, "MYSQL *"))
    return;
  CXCursor m = omen_c_named_decl(c->args[0], NULL);
  if (!local_of(x, m, c->func))
    return;
  /* initialized here: m = mysql_init(...) or mysql_init(&m) */
  uint32_t origin = OMEN_C_NONE;
  for (uint32_t i = omen_c_call_first(x->in, "mysql_init"); i != OMEN_C_NONE && origin == OMEN_C_NONE;
       i = omen_c_call_next(x->in, i)) {
    const omen_c_call *o = &x->in->calls[i];
    if (o->func == c->func && o->nargs == 1 &&
        (clang_equalCursors(assigned_decl(x, o), m) ||
         clang_equalCursors(omen_c_named_decl(o->args[0], NULL), m)))
      origin = i;
  }
  if (origin == OMEN_C_NONE)
    return;
  x->budget = 4096;
  if (uses(x, m, c->func, mysql_use, 0) & USE_BOUND)
    return;
  omen_diag *d = omen_pass_report(x->pass, &rule_client, x->f, c->start, c->end,
                                  "mysql_real_connect on a handle with no connect or read timeout: an "
                                  "unreachable MySQL host blocks the connect and later queries wait forever");
  const omen_c_call *o = &x->in->calls[origin];
  omen_diag_add_related(x->pass, d, x->f, o->start, o->end, "handle initialized here");
}

/* ---- gRPC C++ ---- */

/* Is the call a gRPC client call: its result a grpc::Status or a client stream? */
static bool grpc_call(const omen_c_call *c) {
  if (!c->direct)
    return false;
  CXType t = clang_getResultType(clang_getCursorType(c->callee));
  return canon_has(t, "grpc::Status") || canon_has(t, "grpc::ClientReader") ||
         canon_has(t, "grpc::ClientWriter") || canon_has(t, "grpc::ClientAsyncResponseReader") ||
         canon_has(t, "grpc::ClientAsyncReader") || canon_has(t, "grpc::ClientAsyncWriter");
}

static void check_grpc_ctx(ctx *x, const omen_c_var *v) {
  const omen_c_index *in = x->in;
  if (v->is_static || v->func == OMEN_C_NONE || in->funcs[v->func].incomplete)
    return;
  CXType t = clang_getCanonicalType(clang_getCursorType(v->cursor));
  CXString s = clang_getTypeSpelling(t);
  const char *cs = clang_getCString(s);
  bool is_ctx = cs && strcmp(cs, "grpc::ClientContext") == 0;
  clang_disposeString(s);
  if (!is_ctx)
    return;
  uint32_t first = OMEN_C_NONE;
  for (uint32_t r = omen_c_ref_first(in, v->cursor); r != OMEN_C_NONE; r = omen_c_ref_next(in, r)) {
    const omen_c_ref *ref = &in->refs[r];
    if (ref->func != v->func)
      return;
    if (ref->flags & OMEN_C_REF_ARG) {
      const omen_c_call *c = &in->calls[ref->call];
      if (!(ref->flags & OMEN_C_REF_ADDR) || !grpc_call(c))
        return; /* handed to a helper: it may set the deadline */
      if (first == OMEN_C_NONE)
        first = ref->call;
      continue;
    }
    /* ctx.method(...): only set_deadline bounds it */
    uint32_t i = ref->end;
    while (i < x->f->len && (x->f->text[i] == ' ' || x->f->text[i] == '\t'))
      i++;
    if (i < x->f->len && x->f->text[i] == '.') {
      if (text_has(x->f, i, i + 14 < x->f->len ? i + 14 : x->f->len, ".set_deadline"))
        return;
      continue;
    }
    return; /* stored, referenced or passed some other way */
  }
  if (first == OMEN_C_NONE)
    return;
  const omen_c_call *c = &in->calls[first];
  omen_diag *d = omen_pass_report(x->pass, &rule_grpc, x->f, c->start, c->end,
                                  "this gRPC call has no deadline: a server that hangs keeps it waiting "
                                  "forever, and the calling thread hangs with it");
  omen_diag_add_related(x->pass, d, x->f, v->name_start, v->name_end, "ClientContext declared here");
  char code[256];
  snprintf(code, sizeof code,
           "%s.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(%lld));", v->name,
           timeout_ms(x->pass, &rule_grpc));
  if (c->stmt.start > v->end)
    insert_line(x, d, c, "set a deadline", code);
}

/* ---- unbounded waits in gRPC handlers ---- */

/* Does function f take a grpc::ServerContext * (a gRPC service method)? */
static bool grpc_handler(CXCursor f) {
  int n = clang_Cursor_getNumArguments(f);
  for (int i = 0; i < n && i < 8; i++) {
    CXType t = clang_getCursorType(clang_Cursor_getArgument(f, (unsigned)i));
    if (t.kind == CXType_Pointer &&
        (canon_has(t, "grpc::ServerContext *") || canon_has(t, "grpc::CallbackServerContext *")))
      return true;
  }
  return false;
}

/* Is the callee a member of std::NAME for one of names (inline namespaces skipped)? */
static bool std_member(CXCursor callee, const char *const *names) {
  CXCursor cls = clang_getCursorSemanticParent(callee);
  CXString s = clang_getCursorSpelling(cls);
  const char *cs = clang_getCString(s);
  bool ok = false;
  for (size_t i = 0; cs && names[i] && !ok; i++)
    ok = strcmp(cs, names[i]) == 0;
  clang_disposeString(s);
  if (!ok)
    return false;
  CXCursor ns = clang_getCursorSemanticParent(cls);
  while (clang_getCursorKind(ns) == CXCursor_Namespace && clang_Cursor_isInlineNamespace(ns))
    ns = clang_getCursorSemanticParent(ns);
  s = clang_getCursorSpelling(ns);
  cs = clang_getCString(s);
  ok = clang_getCursorKind(ns) == CXCursor_Namespace && cs && strcmp(cs, "std") == 0;
  clang_disposeString(s);
  return ok;
}

/* The unbounded wait a call makes ("std::future::get"), or NULL. */
static const char *unbounded_wait(const ctx *x, const omen_c_call *c) {
  static const char *const futures[] = {"future", "shared_future", "__basic_future", NULL};
  static const char *const condvars[] = {"condition_variable", "condition_variable_any", NULL};
  if (!c->direct)
    return NULL;
  if (strcmp(c->name, "get") == 0 || strcmp(c->name, "wait") == 0) {
    if (std_member(c->callee, futures))
      return strcmp(c->name, "get") == 0 ? "std::future::get" : "std::future::wait";
    if (strcmp(c->name, "wait") == 0 && std_member(c->callee, condvars))
      return "std::condition_variable::wait";
    return NULL;
  }
  if (lib_call(x, c, "pthread_cond_wait"))
    return "pthread_cond_wait";
  if (lib_call(x, c, "sem_wait"))
    return "sem_wait";
  return NULL;
}

static void check_handler_waits(ctx *x) {
  const omen_c_index *in = x->in;
  static const char *const timed[] = {"wait_for", "wait_until", "pthread_cond_timedwait", "sem_timedwait"};
  for (uint32_t fn = 0; fn < in->nfuncs; fn++) {
    if (in->funcs[fn].incomplete || !grpc_handler(in->funcs[fn].cursor))
      continue;
    bool bounded = false;
    for (size_t k = 0; k < sizeof timed / sizeof timed[0] && !bounded; k++)
      for (uint32_t i = omen_c_call_first(in, timed[k]); i != OMEN_C_NONE && !bounded;
           i = omen_c_call_next(in, i))
        bounded = in->calls[i].func == fn;
    if (bounded)
      continue;
    /* calls are in source order: start at the first one in the body */
    for (uint32_t i = omen_c_call_at(in, in->funcs[fn].body_start);
         i < in->ncalls && in->calls[i].start < in->funcs[fn].body_end; i++) {
      const omen_c_call *c = &in->calls[i];
      if (c->func != fn)
        continue;
      const char *what = unbounded_wait(x, c);
      if (!what)
        continue;
      omen_diag *d =
          omen_pass_report(x->pass, &rule_handler_wait, x->f, c->start, c->end,
                           "this gRPC handler waits with no bound (%s): if the result never comes, the "
                           "request outlives its deadline and keeps a server thread forever",
                           what);
      const omen_c_func *f = &in->funcs[fn];
      uint32_t ns = f->start, ne = f->start;
      if (omen_pass_c_in_main(x->pass, clang_getCursorLocation(f->cursor), &ns))
        ne = ns + (uint32_t)strlen(f->name);
      omen_diag_add_related(x->pass, d, x->f, ns, ne <= x->f->len ? ne : ns, "the handler");
    }
  }
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const omen_c_index *in = omen_pass_result(pass, &omen_c_inspect);
  if (!in)
    return OMEN_OK;
  ctx x = {.pass = pass, .in = in, .f = omen_pass_c_file(pass)};
  for (uint32_t i = omen_c_call_first(in, "curl_easy_perform"); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
    check_curl(&x, i, 0);
  for (uint32_t i = omen_c_call_first(in, "curl_multi_add_handle"); i != OMEN_C_NONE;
       i = omen_c_call_next(in, i))
    check_curl(&x, i, 1);
  for (uint32_t i = omen_c_call_first(in, "socket"); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
    check_socket(&x, i, false);
  for (uint32_t i = omen_c_call_first(in, "accept"); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
    check_socket(&x, i, true);
  for (uint32_t i = omen_c_call_first(in, "accept4"); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
    check_socket(&x, i, true);
  for (uint32_t i = omen_c_call_first(in, "redisConnect"); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
    check_redis(&x, i);
  static const char *const pq[] = {"PQconnectdb", "PQsetdbLogin"};
  for (size_t k = 0; k < 2; k++)
    for (uint32_t i = omen_c_call_first(in, pq[k]); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
      check_pq(&x, i);
  for (uint32_t i = omen_c_call_first(in, "PQconnectdbParams"); i != OMEN_C_NONE; i = omen_c_call_next(in, i))
    check_pq_params(&x, i);
  for (uint32_t i = omen_c_call_first(in, "mysql_real_connect"); i != OMEN_C_NONE;
       i = omen_c_call_next(in, i))
    check_mysql(&x, i);
  if (omen_pass_lang(pass) == OMEN_LANG_CPP && file_mentions(&x, "ClientContext"))
    for (uint32_t v = 0; v < in->nvars; v++)
      check_grpc_ctx(&x, &in->vars[v]);
  if (file_mentions(&x, "ServerContext"))
    check_handler_waits(&x);
  return OMEN_OK;
}

const omen_analyzer omen_c_timeouts = {
    .name = "c-timeouts",
    .title = "Finds network calls in C and C++ that can wait forever",
    .doc =
        "Reports missing-timeout rules for C and C++: libcurl transfers with no timeout, blocking connects "
        "and reads on TCP sockets with none, Redis/PostgreSQL/MySQL clients connecting without one, and "
        "gRPC C++ calls without a deadline.",
    .langs = OMEN_LANG_CFAMILY,
    .requires = requires,
    .rules = rules,
    .run = run,
};
