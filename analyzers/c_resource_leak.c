/* c_resource_leak.c - resource-leak/fd-not-closed and resource-leak/handle-not-released: a descriptor,
 * socket, FILE*, DIR*, CURL handle or pthread attribute object acquired into a local variable and still
 * open at a return (or the end of the function) that some path reaches. A structural walk of the
 * function body tracks the set of states the variable may be in (see walk/eval below). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers.h"
#include "c_inspect.h"
#include "c_paths.h"

static const omen_rule rule_fd = {
    .id = "resource-leak/fd-not-closed",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "File descriptor or socket is not closed on every path",
    .what = "Follows each descriptor that `open`, `openat`, `creat`, `socket`, `accept`, `accept4`, `dup`, "
            "`eventfd`, `epoll_create`, `timerfd_create`, `inotify_init` or `memfd_create` (the C library's, "
            "not a function of the same name defined in the file) returns into a local variable, and "
            "functions of the file that return such a descriptor, and reports a return (or the end of the "
            "function) that some path reaches while the descriptor is still open. Paths where the "
            "acquisition failed (`fd < 0`, `fd == -1`) need no close; a `goto` to cleanup code that closes "
            "it is followed. It stays quiet on paths where the descriptor is returned, stored (in a field, a "
            "global, an array, through a pointer), passed to a function it does not know (functions of the "
            "file are summarized: a wrapper that closes its parameter counts as a close, one that only reads "
            "it as a use), or captured by a lambda, and on functions with a backward or computed `goto`. "
            "`main` is not checked, nor code that did not compile (a missing header makes clang drop "
            "statements, such as the one that stores the descriptor). A descriptor still open only because "
            "of a state carried from one loop iteration to the next (a flag says whether it is open) is not "
            "reported.",
    .why = "A descriptor is a slot in a per-process table (often 1024 by default). An error path that "
           "returns without closing leaks one slot each time it runs; a server that hits it under load (a "
           "failed `connect`, `bind` or handshake) eventually fails every `accept`, `open` and `socket` "
           "with EMFILE. A leaked socket also keeps its connection and port open.",
    .example = "int dial(const struct sockaddr *sa, socklen_t len) {\n"
               "  int fd = socket(AF_INET, SOCK_STREAM, 0);\n"
               "  if (fd < 0)\n"
               "    return -1;\n"
               "  if (connect(fd, sa, len) < 0)\n"
               "    return -1; /* fd leaks */\n"
               "  return fd;\n"
               "}",
    .instead = "int dial(const struct sockaddr *sa, socklen_t len) {\n"
               "  int fd = socket(AF_INET, SOCK_STREAM, 0);\n"
               "  if (fd < 0)\n"
               "    return -1;\n"
               "  if (connect(fd, sa, len) < 0) {\n"
               "    close(fd);\n"
               "    return -1;\n"
               "  }\n"
               "  return fd;\n"
               "}",
    .fix = "Safe: inserts `close(fd);` just before each leaking return (adding braces when the return is an "
           "unbraced branch) or before the closing brace of a function that falls off its end, when the "
           "descriptor is open on every path that reaches there. No fix when it may already be closed or "
           "invalid there, inside macros, or where the variable is out of scope.",
    .lang = "c/c++",
};

static const omen_rule rule_handle = {
    .id = "resource-leak/handle-not-released",
    .severity = OMEN_SEV_WARNING,
    .confidence = OMEN_CONF_HIGH,
    .summary = "FILE*, DIR*, CURL handle or pthread attribute is not released on every path",
    .what = "Follows each `FILE *` from `fopen`, `fdopen`, `tmpfile`, `fmemopen` or `popen` (also "
            "`std::fopen`), each `DIR *` from `opendir` or `fdopendir`, each handle from `curl_easy_init`, "
            "`curl_easy_duphandle` or `curl_multi_init`, and each local attribute object initialized with "
            "`pthread_attr_init`, `pthread_mutexattr_init`, `pthread_condattr_init` or "
            "`pthread_rwlockattr_init`, and reports a return (or the end of the function) that some path "
            "reaches without `fclose`/`pclose`, `closedir`, `curl_easy_cleanup`/`curl_multi_cleanup` or the "
            "matching `*_destroy`. Paths where the acquisition failed (`fp == NULL`, a nonzero status) need "
            "no release. As for descriptors, it stays quiet where the handle is returned, stored, passed to "
            "an unknown function or captured, and follows `goto` cleanup code and wrapper functions of the "
            "file. RAII owners (`std::unique_ptr<FILE, decltype(&fclose)>`, classes whose destructor closes) "
            "are not tracked and so never reported, nor are variables with a `cleanup` attribute. `main` and "
            "code "
            "that did not compile are not checked.",
    .why = "A FILE or DIR stream holds a descriptor and a buffer: leaking it on an error path leaks both, "
           "and output still buffered in a FILE is never written. A CURL handle holds its connection cache, "
           "buffers and sockets. An attribute object may hold memory (a CPU set, a stack description) that "
           "only the destroy call frees.",
    .example = "int load(const char *path, struct config *c) {\n"
               "  FILE *fp = fopen(path, \"r\");\n"
               "  if (!fp)\n"
               "    return -1;\n"
               "  if (parse(fp, c) < 0)\n"
               "    return -1; /* fp leaks */\n"
               "  fclose(fp);\n"
               "  return 0;\n"
               "}",
    .instead = "int load(const char *path, struct config *c) {\n"
               "  FILE *fp = fopen(path, \"r\");\n"
               "  if (!fp)\n"
               "    return -1;\n"
               "  int rc = parse(fp, c);\n"
               "  fclose(fp);\n"
               "  return rc < 0 ? -1 : 0;\n"
               "}",
    .fix =
        "Safe: inserts the release (`fclose(fp);`, `pclose(fp);`, `closedir(d);`, `curl_easy_cleanup(h);`, "
        "`pthread_attr_destroy(&attr);`) just before each leaking return (adding braces when the return is "
        "an unbraced branch) or before the closing brace of a function that falls off its end, when the "
        "handle is open on every path that reaches there. No fix when it may already be released or "
        "invalid there, inside macros, or where the variable is out of scope.",
    .lang = "c/c++",
};

static const omen_rule *const rules[] = {&rule_fd, &rule_handle, NULL};
static const omen_analyzer *const requires[] = {&omen_c_inspect, NULL};

/* ---- what is acquired and released ---- */

typedef enum kind {
  K_FD,    /* int descriptor: close */
  K_FILE,  /* FILE *: fclose */
  K_POPEN, /* FILE * from popen: pclose */
  K_DIR,   /* DIR *: closedir */
  K_CURL,  /* CURL *: curl_easy_cleanup */
  K_CURLM, /* CURLM *: curl_multi_cleanup */
  K_ATTR,  /* pthread_*attr_t object, by address: the matching _destroy */
  K_COUNT
} kind;

typedef struct acq_fn {
  const char *name;
  kind k;
  const char *noun;
  const char *release; /* NULL: derived from the name (attributes) */
} acq_fn;

static const acq_fn acq_fns[] = {
    {"socket", K_FD, "socket", "close"},
    {"accept", K_FD, "accepted socket", "close"},
    {"accept4", K_FD, "accepted socket", "close"},
    {"open", K_FD, "file descriptor", "close"},
    {"open64", K_FD, "file descriptor", "close"},
    {"openat", K_FD, "file descriptor", "close"},
    {"openat64", K_FD, "file descriptor", "close"},
    {"creat", K_FD, "file descriptor", "close"},
    {"creat64", K_FD, "file descriptor", "close"},
    {"dup", K_FD, "duplicated descriptor", "close"},
    {"eventfd", K_FD, "eventfd descriptor", "close"},
    {"epoll_create", K_FD, "epoll descriptor", "close"},
    {"epoll_create1", K_FD, "epoll descriptor", "close"},
    {"timerfd_create", K_FD, "timerfd descriptor", "close"},
    {"inotify_init", K_FD, "inotify descriptor", "close"},
    {"inotify_init1", K_FD, "inotify descriptor", "close"},
    {"memfd_create", K_FD, "memfd descriptor", "close"},
    {"fopen", K_FILE, "FILE stream", "fclose"},
    {"fopen64", K_FILE, "FILE stream", "fclose"},
    {"fdopen", K_FILE, "FILE stream", "fclose"},
    {"tmpfile", K_FILE, "FILE stream", "fclose"},
    {"tmpfile64", K_FILE, "FILE stream", "fclose"},
    {"fmemopen", K_FILE, "FILE stream", "fclose"},
    {"popen", K_POPEN, "pipe stream", "pclose"},
    {"opendir", K_DIR, "directory stream", "closedir"},
    {"fdopendir", K_DIR, "directory stream", "closedir"},
    {"curl_easy_init", K_CURL, "CURL easy handle", "curl_easy_cleanup"},
    {"curl_easy_duphandle", K_CURL, "CURL easy handle", "curl_easy_cleanup"},
    {"curl_multi_init", K_CURLM, "CURL multi handle", "curl_multi_cleanup"},
    {"pthread_attr_init", K_ATTR, "thread attribute object", "pthread_attr_destroy"},
    {"pthread_mutexattr_init", K_ATTR, "mutex attribute object", "pthread_mutexattr_destroy"},
    {"pthread_condattr_init", K_ATTR, "condition attribute object", "pthread_condattr_destroy"},
    {"pthread_rwlockattr_init", K_ATTR, "rwlock attribute object", "pthread_rwlockattr_destroy"},
};
#define NACQ (sizeof acq_fns / sizeof acq_fns[0])

/* Library functions that use a handle without taking it over. Anything else a handle is passed to
 * (a library function not listed, a function pointer) is assumed to take ownership. */
static const char *const neutral_fns[] = {
    /* descriptors */
    "read", "write", "pread", "pwrite", "pread64", "pwrite64", "readv", "writev", "send", "sendto", "sendmsg",
    "recv", "recvfrom", "recvmsg", "connect", "bind", "listen", "setsockopt", "getsockopt", "getsockname",
    "getpeername", "fcntl", "ioctl", "fstat", "fstat64", "fchmod", "fchown", "fsync", "fdatasync",
    "ftruncate", "ftruncate64", "lseek", "lseek64", "flock", "lockf", "posix_fallocate", "fallocate",
    "posix_fadvise", "shutdown", "accept", "accept4", "dup", "dup2", "dup3", "sendfile", "splice", "tee",
    "fchdir", "fstatfs", "fstatvfs", "mmap", "mmap64", "isatty", "ttyname", "tcgetattr", "tcsetattr",
    "epoll_ctl", "epoll_wait", "epoll_pwait", "timerfd_settime", "timerfd_gettime", "eventfd_read",
    "eventfd_write", "inotify_add_watch", "inotify_rm_watch", "openat", "fstatat", "unlinkat", "mkdirat",
    "renameat", "linkat", "readlinkat", "faccessat", "fchmodat", "fchownat", "fgetxattr", "fsetxattr",
    "syncfs", "sync_file_range", "dprintf", "__read_chk", "__recv_chk", "__recvfrom_chk", "__pread_chk",
    "__dprintf_chk", "ioctlsocket",
    /* FILE */
    "fprintf", "vfprintf", "fputs", "fputc", "putc", "fwrite", "fread", "fgets", "fgetc", "getc", "getline",
    "getdelim", "fscanf", "vfscanf", "fseek", "fseeko", "fseeko64", "ftell", "ftello", "ftello64", "rewind",
    "fflush", "feof", "ferror", "clearerr", "fileno", "setvbuf", "setbuf", "setlinebuf", "fgetpos", "fsetpos",
    "ungetc", "flockfile", "funlockfile", "fputs_unlocked", "fwrite_unlocked", "fread_unlocked",
    "getc_unlocked", "putc_unlocked", "fgetc_unlocked", "fputc_unlocked", "fgets_unlocked", "__fprintf_chk",
    "__vfprintf_chk", "__fread_chk", "__fgets_chk", "__getdelim", "_IO_getc", "_IO_putc", "fileno_unlocked",
    "feof_unlocked", "ferror_unlocked",
    /* DIR */
    "readdir", "readdir64", "readdir_r", "readdir64_r", "dirfd", "rewinddir", "telldir", "seekdir",
    /* CURL */
    "curl_easy_setopt", "curl_easy_perform", "curl_easy_getinfo", "curl_easy_reset", "curl_easy_pause",
    "curl_easy_recv", "curl_easy_send", "curl_easy_upkeep", "curl_multi_perform", "curl_multi_wait",
    "curl_multi_poll", "curl_multi_info_read", "curl_multi_setopt", "curl_multi_fdset", "curl_multi_timeout",
    "curl_multi_socket_action", "curl_multi_remove_handle", "curl_multi_wakeup",
    /* values printed or logged */
    "printf", "sprintf", "snprintf", "syslog", "err", "errx", "warn", "warnx", "__printf_chk",
    "__sprintf_chk", "__snprintf_chk", "__syslog_chk", NULL};

static bool in_list(const char *const *list, const char *name) {
  for (size_t i = 0; list[i]; i++)
    if (strcmp(list[i], name) == 0)
      return true;
  return false;
}

static bool neutral_for(const char *name, unsigned arg, kind k) {
  if (k == K_CURL && strcmp(name, "curl_multi_add_handle") == 0)
    return false; /* the multi handle now refers to it */
  if (strcmp(name, "curl_multi_add_handle") == 0 && arg == 0)
    return true;
  if (k == K_ATTR) {
    static const char *const pre[] = {"pthread_attr_", "pthread_mutexattr_", "pthread_condattr_",
                                      "pthread_rwlockattr_", NULL};
    for (size_t i = 0; pre[i]; i++)
      if (strncmp(name, pre[i], strlen(pre[i])) == 0)
        return true;
    static const char *const users[] = {"pthread_create", "pthread_mutex_init", "pthread_cond_init",
                                        "pthread_rwlock_init", NULL};
    return in_list(users, name);
  }
  return in_list(neutral_fns, name);
}

/* ---- states ---- */

enum {
  ST_NONE = 1,     /* not (or no longer) this acquisition's value */
  ST_OPEN = 2,     /* acquired and still ours */
  ST_INVALID = 4,  /* the acquisition failed, or set to -1 / NULL */
  ST_CLOSED = 8,   /* released */
  ST_ESCAPED = 16, /* returned, stored or handed over */
  ST_CARRIED = 32, /* open, but acquired in an earlier iteration of a loop: a state machine across
                    * iterations (a flag or counter says whether it is open) is beyond this walk, so
                    * a return reached only in this state is not reported */
};
typedef omen_c_pset sset;

static sset map_open(sset s, unsigned to) {
  return (s & (ST_OPEN | ST_CARRIED)) ? ((s & ~(sset)(ST_OPEN | ST_CARRIED)) | to) : s;
}

/* Is the handle open on every path in st? */
static bool only_open(sset st) { return st && !(st & ~(sset)(ST_OPEN | ST_CARRIED)); }

/* ---- per-unit context ---- */

typedef struct leak {
  uint32_t start, end; /* the return statement, or the function's closing brace */
  CXCursor cond;       /* innermost if condition around it (see omen_c_exit) */
  bool cond_truth;
  sset st;
  bool at_end;        /* falling off the end of the function */
  bool braced;        /* the return sits directly in a compound statement (or label/case in one) */
  uint32_t branch_of; /* start of the statement whose unbraced branch the return is, else NONE */
  uint32_t scope_ok;  /* 1: the variable is in scope at the return */
} leak;

#define MAX_LEAKS 32
#define MAX_DEPTH 160
#define MAX_SUMMARY_DEPTH 3

typedef struct unit unit;

typedef struct walker {
  unit *u;
  CXCursor var; /* the tracked variable or parameter */
  kind k;
  uint32_t acq;    /* start offset of the acquisition call tracked; NONE in summary mode */
  CXCursor status; /* variable holding the status of an attribute init, or null */
  bool summary;    /* summarizing a parameter: collect exits, report nothing */
  bool bail;       /* something the walk cannot follow: stay silent */
  int depth;
  int sdepth;           /* summary nesting */
  const uint32_t *refs; /* offsets of the variable's references, sorted */
  uint32_t nrefs;
  leak leaks[MAX_LEAKS];
  uint32_t nleaks;
  sset exits;                      /* union of states at returns and the end */
  bool ret_fresh, ret_other;       /* returns: the tracked value while open / something else */
  uint32_t scope_start, scope_end; /* block declaring the variable (0, 0: whole function) */
  omen_c_paths *pw;                /* the walk in progress */
} walker;

typedef struct fsum {
  unsigned char param[8][K_COUNT]; /* 0 unknown, 1 in progress, 2 neutral, 3 releases, 4 escapes */
  unsigned char noret;             /* 0 unknown, 1 never returns, 2 returns, 3 in progress */
} fsum;

struct unit {
  omen_pass *pass;
  const omen_c_index *in;
  const omen_file *f;
  fsum *sums;       /* per function, allocated on first use */
  uint32_t *errors; /* sorted main-file offsets of compile errors */
  uint32_t nerrors;
  uint32_t errors_stop; /* clang stopped reporting errors (too many): code past here is unknown */
  bool errors_read;
  bool had_errors;   /* any error or fatal error in the unit */
  uint32_t *skipped; /* main-file ranges the preprocessor skipped, [start, end) pairs */
  uint32_t nskipped;
};

static bool func_clean(unit *u, uint32_t fi);
static sset eval(walker *w, CXCursor e, sset st, bool value);

/* ---- small cursor helpers ---- */

static bool ident_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char *spelling(omen_arena *a, CXCursor c) {
  CXString s = clang_getCursorSpelling(c);
  const char *cs = clang_getCString(s);
  char *r = omen_arena_strdup(a, cs ? cs : "");
  clang_disposeString(s);
  return r;
}

static bool same_decl(CXCursor a, CXCursor b) {
  return !clang_Cursor_isNull(a) && !clang_Cursor_isNull(b) && clang_equalCursors(a, b);
}

static bool is_var(walker *w, CXCursor e) {
  e = omen_c_strip(e);
  return clang_getCursorKind(e) == CXCursor_DeclRefExpr && same_decl(clang_getCursorReferenced(e), w->var);
}

/* Is e the handle's value: the variable, or &variable for attribute objects? */
static bool is_handle(walker *w, CXCursor e) {
  e = omen_c_strip(e);
  if (w->k != K_ATTR)
    return is_var(w, e);
  return clang_getCursorKind(e) == CXCursor_UnaryOperator && omen_c_is_addr_of(e) &&
         is_var(w, omen_c_expr_child(e, 0));
}

/* Does [s,e) contain a reference to the tracked variable? */
static bool mentions(walker *w, uint32_t s, uint32_t e) {
  uint32_t lo = 0, hi = w->nrefs;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (w->refs[mid] < s)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < w->nrefs && w->refs[lo] < e;
}

/* The main-file offset of a declaration's definition and the TU function it is, or NONE. */
static uint32_t tu_func(unit *u, CXCursor callee) {
  CXCursor def = clang_getCursorDefinition(callee);
  uint32_t s, e;
  if (clang_Cursor_isNull(def) || !omen_c_range(u->pass, def, &s, &e))
    return OMEN_C_NONE;
  uint32_t fi = omen_c_func_at(u->in, s);
  if (fi == OMEN_C_NONE || u->in->funcs[fi].start != s)
    return OMEN_C_NONE;
  return fi;
}

/* Is callee a library function (a plain function declared outside the main file and not defined in
 * it)? */
static bool is_library(unit *u, CXCursor callee) {
  if (clang_Cursor_isNull(callee) || clang_getCursorKind(callee) != CXCursor_FunctionDecl)
    return false;
  CXCursor parent = clang_getCursorSemanticParent(callee);
  enum CXCursorKind pk = clang_getCursorKind(parent);
  if (pk != CXCursor_TranslationUnit && pk != CXCursor_Namespace && pk != CXCursor_LinkageSpec &&
      pk != CXCursor_UnexposedDecl) /* extern "C" { } */
    return false;
  uint32_t off;
  if (omen_pass_c_in_main(u->pass, clang_getCursorLocation(callee), &off))
    return false;
  CXCursor def = clang_getCursorDefinition(callee);
  return clang_Cursor_isNull(def) || !omen_pass_c_in_main(u->pass, clang_getCursorLocation(def), &off);
}

static const acq_fn *acq_by_name(const char *name) {
  for (size_t i = 0; i < NACQ; i++)
    if (strcmp(acq_fns[i].name, name) == 0)
      return &acq_fns[i];
  return NULL;
}

static bool result_type_fits(CXCursor callee, kind k) {
  CXType t = clang_getCanonicalType(clang_getResultType(clang_getCursorType(callee)));
  if (k == K_FD || k == K_ATTR)
    return t.kind == CXType_Int;
  return t.kind == CXType_Pointer;
}

/* ---- function summaries ---- */

enum { SUM_NEUTRAL = 2, SUM_RELEASES = 3, SUM_ESCAPES = 4 };

static fsum *sums_of(unit *u, uint32_t fi) {
  if (!u->sums) {
    u->sums = omen_arena_alloc(omen_pass_arena(u->pass), sizeof(fsum) * (u->in->nfuncs + 1));
    if (!u->sums)
      return NULL;
    memset(u->sums, 0, sizeof(fsum) * (u->in->nfuncs + 1));
  }
  return &u->sums[fi];
}

static CXCursor body_of(CXCursor fn) {
  omen_c_kids k = omen_c_children(fn);
  if (k.total > 0 && clang_getCursorKind(k.last) == CXCursor_CompoundStmt)
    return k.last;
  return clang_getNullCursor();
}

static bool collect_refs(unit *u, CXCursor decl, uint32_t **out, uint32_t *n) {
  uint32_t cnt = 0;
  for (uint32_t r = omen_c_ref_first(u->in, decl); r != OMEN_C_NONE; r = omen_c_ref_next(u->in, r))
    cnt++;
  uint32_t *a = omen_arena_alloc(omen_pass_arena(u->pass), sizeof(uint32_t) * (cnt + 1));
  if (!a)
    return false;
  uint32_t i = 0;
  for (uint32_t r = omen_c_ref_first(u->in, decl); r != OMEN_C_NONE && i < cnt; r = omen_c_ref_next(u->in, r))
    a[i++] = u->in->refs[r].start;
  *out = a;
  *n = i;
  return true;
}

static void walk_function(walker *w, uint32_t fi, sset init);

/* What function fi does with parameter i when it holds a handle of kind k. */
static int param_summary(walker *caller, uint32_t fi, unsigned i, kind k) {
  unit *u = caller->u;
  fsum *fs = sums_of(u, fi);
  if (!fs || i >= 8 || caller->sdepth >= MAX_SUMMARY_DEPTH || u->in->funcs[fi].incomplete ||
      !func_clean(u, fi))
    return SUM_ESCAPES;
  if (fs->param[i][k] == 1)
    return SUM_ESCAPES; /* recursion */
  if (fs->param[i][k])
    return fs->param[i][k];
  CXCursor parm = clang_Cursor_getArgument(u->in->funcs[fi].cursor, i);
  if (clang_Cursor_isNull(parm)) {
    fs->param[i][k] = SUM_ESCAPES;
    return SUM_ESCAPES;
  }
  fs->param[i][k] = 1;
  walker *w = calloc(1, sizeof *w);
  int res = SUM_ESCAPES;
  if (w) {
    w->u = u;
    w->var = parm;
    w->k = k;
    w->acq = OMEN_C_NONE;
    w->status = clang_getNullCursor();
    w->summary = true;
    w->sdepth = caller->sdepth + 1;
    if (collect_refs(u, parm, (uint32_t **)&w->refs, &w->nrefs)) {
      walk_function(w, fi, ST_OPEN);
      sset x = w->exits;
      if (!w->bail && x == ST_OPEN)
        res = SUM_NEUTRAL;
      else if (!w->bail && (x & ST_CLOSED) && !(x & ~(sset)(ST_CLOSED | ST_INVALID)))
        res = SUM_RELEASES;
    }
    free(w);
  }
  fs->param[i][k] = (unsigned char)res;
  return res;
}

/* Does function fi of the file never return (it loops forever or ends in exit on every path)? */
static bool func_noreturn(walker *caller, uint32_t fi) {
  unit *u = caller->u;
  fsum *fs = sums_of(u, fi);
  if (!fs || caller->sdepth >= MAX_SUMMARY_DEPTH || u->in->funcs[fi].incomplete)
    return false;
  if (fs->noret)
    return fs->noret == 1;
  fs->noret = 3;
  bool yes = false;
  if (func_clean(u, fi)) {
    walker *w = calloc(1, sizeof *w);
    if (w) {
      w->u = u;
      w->var = clang_getNullCursor();
      w->k = K_FD;
      w->acq = OMEN_C_NONE;
      w->status = clang_getNullCursor();
      w->summary = true;
      w->sdepth = caller->sdepth + 1;
      walk_function(w, fi, ST_NONE);
      yes = !w->bail && w->exits == 0;
      free(w);
    }
  }
  fs->noret = yes ? 1 : 2;
  return yes;
}

/* Does the call never return: exit, abort, a noreturn function, or a function of the file that
 * never returns? */
static bool call_ends(walker *w, CXCursor call) {
  if (omen_c_stmt_leaves(call))
    return true;
  CXCursor callee = clang_getCursorReferenced(call);
  if (clang_Cursor_isNull(callee) || clang_getCursorKind(callee) != CXCursor_FunctionDecl)
    return false;
  uint32_t fi = tu_func(w->u, callee);
  return fi != OMEN_C_NONE && func_noreturn(w, fi);
}

/* ---- conditions ---- */

typedef enum validity { V_UNKNOWN, V_VALID, V_INVALID } validity;

static bool cmp(long long a, const char *op, long long b) {
  if (strcmp(op, "==") == 0)
    return a == b;
  if (strcmp(op, "!=") == 0)
    return a != b;
  if (strcmp(op, "<") == 0)
    return a < b;
  if (strcmp(op, "<=") == 0)
    return a <= b;
  if (strcmp(op, ">") == 0)
    return a > b;
  return a >= b; /* ">=" */
}

/* Which kind of subject e is: 1 the handle variable (or an assignment to it), 2 the status of the
 * attribute init, 0 neither. */
static int subject(walker *w, CXCursor e) {
  e = omen_c_strip(e);
  enum CXCursorKind k = clang_getCursorKind(e);
  if (k == CXCursor_DeclRefExpr) {
    CXCursor d = clang_getCursorReferenced(e);
    if (w->k != K_ATTR && same_decl(d, w->var))
      return 1;
    if (w->k == K_ATTR && same_decl(d, w->status))
      return 2;
    return 0;
  }
  if (k == CXCursor_BinaryOperator) {
    char op[8];
    if (omen_c_operator(w->u->pass, e, op, sizeof op) && strcmp(op, "=") == 0)
      return subject(w, omen_c_expr_child(e, 0)) ? subject(w, omen_c_expr_child(e, 0))
                                                 : subject(w, omen_c_expr_child(e, 1));
    return 0;
  }
  if (k == CXCursor_CallExpr && w->k == K_ATTR) {
    uint32_t s, en;
    if (omen_c_range(w->u->pass, e, &s, &en) && s == w->acq)
      return 2;
  }
  return 0;
}

/* What "(subject op c) == truth" says about the handle. */
static validity judge(walker *w, int subj, const char *op, long long c, bool truth) {
  bool pointer = w->k != K_FD && w->k != K_ATTR;
  bool bad_in, good_in = false;
  if (subj == 2 || pointer) { /* valid iff 0 (status) / non-null (pointer) */
    if (subj == 2) {
      bad_in = cmp(1, op, c) == truth || cmp(-1, op, c) == truth || cmp(22, op, c) == truth;
      good_in = cmp(0, op, c) == truth;
      if (good_in && !bad_in)
        return V_VALID;
      if (bad_in && !good_in)
        return V_INVALID;
      return V_UNKNOWN;
    }
    if (c != 0 || (strcmp(op, "==") != 0 && strcmp(op, "!=") != 0))
      return V_UNKNOWN;
    bad_in = cmp(0, op, c) == truth;
    good_in = cmp(1, op, c) == truth;
  } else {
    long long samples[5] = {1, c - 1, c, c + 1, 1 << 20};
    bad_in = cmp(-1, op, c) == truth;
    for (int i = 0; i < 5; i++)
      if (samples[i] >= 1 && cmp(samples[i], op, c) == truth)
        good_in = true;
  }
  if (good_in && !bad_in)
    return V_VALID;
  if (bad_in && !good_in)
    return V_INVALID;
  return V_UNKNOWN;
}

static sset apply(sset st, validity v) {
  if (v == V_VALID)
    return st & ~(sset)ST_INVALID;
  if (v == V_INVALID)
    return map_open(st, ST_INVALID);
  return st;
}

/* The states on the branch where cond evaluates to truth. */
static sset refine(walker *w, CXCursor cond, bool truth, sset st) {
  CXCursor e = omen_c_strip(cond);
  enum CXCursorKind k = clang_getCursorKind(e);
  char op[8];
  if (!st)
    return st;
  if (k == CXCursor_UnaryOperator) {
    if (omen_c_operator(w->u->pass, e, op, sizeof op) && strcmp(op, "!") == 0)
      return refine(w, omen_c_expr_child(e, 0), !truth, st);
    return st;
  }
  if (k == CXCursor_BinaryOperator && omen_c_operator(w->u->pass, e, op, sizeof op)) {
    CXCursor a = omen_c_expr_child(e, 0), b = omen_c_expr_child(e, 1);
    if (strcmp(op, "&&") == 0)
      return truth ? refine(w, b, true, refine(w, a, true, st))
                   : refine(w, a, false, st) | refine(w, b, false, refine(w, a, true, st));
    if (strcmp(op, "||") == 0)
      return truth ? refine(w, a, true, st) | refine(w, b, true, refine(w, a, false, st))
                   : refine(w, b, false, refine(w, a, false, st));
    if (strcmp(op, ",") == 0)
      return refine(w, b, truth, st);
    if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0 || strcmp(op, "<") == 0 || strcmp(op, "<=") == 0 ||
        strcmp(op, ">") == 0 || strcmp(op, ">=") == 0) {
      long long c;
      int sa = subject(w, a), sb = subject(w, b);
      bool eq = strcmp(op, "==") == 0, ne = strcmp(op, "!=") == 0;
      if ((eq || ne) &&
          ((sa == 1 && !sb && !omen_c_const_int(b, &c)) || (sb == 1 && !sa && !omen_c_const_int(a, &c)))) {
        /* x == y for some other value: a handle just acquired equals nothing that existed before */
        if (eq == truth)
          return st & ~(sset)(ST_OPEN | ST_CARRIED);
        return st;
      }
      if (sa && omen_c_const_int(b, &c))
        return apply(st, judge(w, sa, op, c, truth));
      if (sb && omen_c_const_int(a, &c)) {
        /* c op x: mirror the operator */
        const char *m = op;
        if (strcmp(op, "<") == 0)
          m = ">";
        else if (strcmp(op, "<=") == 0)
          m = ">=";
        else if (strcmp(op, ">") == 0)
          m = "<";
        else if (strcmp(op, ">=") == 0)
          m = "<=";
        return apply(st, judge(w, sb, m, c, truth));
      }
      return st;
    }
  }
  int s = subject(w, e);
  if (s) /* truth value of the subject itself: x != 0 */
    return apply(st, judge(w, s, "!=", 0, truth));
  return st;
}

/* ---- expressions ---- */

typedef struct each {
  walker *w;
  sset st;
  bool value;
} each;

static enum CXChildVisitResult eval_kid(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  each *e = data;
  e->st = eval(e->w, c, e->st, e->value);
  return e->w->bail ? CXChildVisit_Break : CXChildVisit_Continue;
}

static sset eval_children(walker *w, CXCursor e, sset st, bool value) {
  each x = {w, st, value};
  clang_visitChildren(e, eval_kid, &x);
  return x.st;
}

static bool is_acq_call(walker *w, CXCursor e) {
  e = omen_c_strip(e);
  uint32_t s, en;
  return w->acq != OMEN_C_NONE && (clang_getCursorKind(e) == CXCursor_CallExpr) &&
         omen_c_range(w->u->pass, e, &s, &en) && s == w->acq;
}

/* Is t (or its element type) a struct that only describes descriptors to the kernel? */
static bool kernel_struct(CXType t) {
  t = clang_getCanonicalType(t);
  if (t.kind == CXType_ConstantArray)
    t = clang_getCanonicalType(clang_getArrayElementType(t));
  if (t.kind != CXType_Record)
    return false;
  CXString ts = clang_getTypeSpelling(t);
  const char *n = clang_getCString(ts);
  static const char *const names[] = {"struct pollfd", "pollfd", "struct epoll_event", "epoll_event", NULL};
  bool yes = n && in_list(names, n);
  clang_disposeString(ts);
  return yes;
}

/* Is lhs a field of a local struct that only describes a descriptor to the kernel (struct pollfd,
 * struct epoll_event, ...)? Storing a descriptor there does not hand it over. */
static bool kernel_struct_field(walker *w, CXCursor lhs) {
  CXCursor e = omen_c_strip(lhs);
  bool member = false;
  for (int guard = 0; guard < 8 && clang_getCursorKind(e) == CXCursor_MemberRefExpr; guard++) {
    member = true;
    e = omen_c_strip(omen_c_expr_child(e, 0));
  }
  if (!member)
    e = omen_c_strip(lhs);
  if (clang_getCursorKind(e) == CXCursor_ArraySubscriptExpr)
    e = omen_c_strip(omen_c_expr_child(e, 0));
  if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
    return false;
  CXCursor d = clang_getCursorReferenced(e);
  uint32_t v = omen_c_var_find(w->u->in, d);
  if (v == OMEN_C_NONE || w->u->in->vars[v].is_static)
    return false;
  return kernel_struct(clang_getCursorType(d));
}

/* The state after the tracked variable is set to rhs (already evaluated). */
static sset assign_var(walker *w, CXCursor rhs, sset st) {
  if (!st)
    return st;
  if (is_acq_call(w, rhs))
    return ST_OPEN;
  long long v;
  if (omen_c_const_int(rhs, &v) && (v == 0 || v == -1))
    return ST_INVALID;
  return ST_NONE;
}

static sset eval_call(walker *w, CXCursor e, sset st, bool value) {
  (void)value;
  unit *u = w->u;
  CXCursor callee = clang_getCursorReferenced(e);
  int nargs = clang_Cursor_getNumArguments(e);
  bool lib = is_library(u, callee);
  uint32_t fi = lib ? OMEN_C_NONE : (clang_Cursor_isNull(callee) ? OMEN_C_NONE : tu_func(u, callee));
  char *name = clang_Cursor_isNull(callee) ? "" : spelling(omen_pass_arena(u->pass), callee);
  if (!name)
    name = "";
  bool release = false, escape = false;
  /* the callee expression (a function pointer in a struct, ...) */
  omen_c_kids k = omen_c_children(e);
  if (k.n > 0 && nargs >= 0 && k.total == (unsigned)nargs + 1)
    st = eval(w, k.c[0], st, false);
  for (int i = 0; i < nargs && !w->bail; i++) {
    CXCursor a = clang_Cursor_getArgument(e, (unsigned)i);
    if (clang_Cursor_isNull(a))
      continue;
    if (!is_handle(w, a)) {
      st = eval(w, a, st, !(lib && neutral_for(name, (unsigned)i, w->k)));
      continue;
    }
    const acq_fn *af = NULL;
    if (lib) {
      for (size_t j = 0; j < NACQ; j++)
        if (acq_fns[j].k == w->k && strcmp(acq_fns[j].release, name) == 0)
          af = &acq_fns[j];
      if (!af && (w->k == K_FILE || w->k == K_POPEN) &&
          (strcmp(name, "fclose") == 0 || strcmp(name, "pclose") == 0))
        af = &acq_fns[0];
      if (af && i == 0)
        release = true;
      else if (!neutral_for(name, (unsigned)i, w->k))
        escape = true;
    } else if (fi != OMEN_C_NONE) {
      int s = param_summary(w, fi, (unsigned)i, w->k);
      if (s == SUM_RELEASES)
        release = true;
      else if (s != SUM_NEUTRAL)
        escape = true;
    } else {
      escape = true;
    }
  }
  if (release)
    st = map_open(st, ST_CLOSED);
  if (escape)
    st = map_open(st, ST_ESCAPED);
  if (w->k == K_ATTR && is_acq_call(w, e))
    st = st ? ST_OPEN : st;
  if (call_ends(w, e))
    st = 0; /* exit, abort, a noreturn function */
  return st;
}

static sset eval(walker *w, CXCursor e, sset st, bool value) {
  if (w->bail || !st)
    return st;
  if (++w->depth > MAX_DEPTH) {
    w->bail = true;
    w->depth--;
    return st;
  }
  enum CXCursorKind k = clang_getCursorKind(e);
  uint32_t s, en;
  bool ranged = omen_c_range(w->u->pass, e, &s, &en);
  if (ranged && !mentions(w, s, en) && k != CXCursor_StmtExpr) {
    /* nothing here touches the variable; only a call that does not return matters */
    if (k == CXCursor_CallExpr && call_ends(w, e))
      st = 0;
    w->depth--;
    return st;
  }
  enum CXTypeKind tk = clang_getCursorType(e).kind;
  if ((tk == CXType_Invalid || tk == CXType_Dependent) && clang_isExpression(k) && k != CXCursor_StmtExpr) {
    /* code that did not compile (a missing header) or a template: anything may happen to the handle */
    st = map_open(st, ST_ESCAPED);
    w->depth--;
    return st;
  }
  char op[8];
  switch (k) {
  case CXCursor_DeclRefExpr:
    if (value && w->k != K_ATTR && is_var(w, e))
      st = map_open(st, ST_ESCAPED);
    else if (w->k == K_ATTR && value && is_var(w, e))
      st = map_open(st, ST_ESCAPED); /* a copy of the object */
    break;
  case CXCursor_ParenExpr:
  case CXCursor_UnexposedExpr:
  case CXCursor_CStyleCastExpr:
  case CXCursor_CXXStaticCastExpr:
  case CXCursor_CXXReinterpretCastExpr:
  case CXCursor_CXXConstCastExpr:
  case CXCursor_CXXFunctionalCastExpr:
    st = eval_children(w, e, st, value);
    break;
  case CXCursor_UnaryOperator:
    if (omen_c_is_addr_of(e) && is_var(w, omen_c_expr_child(e, 0))) {
      if (w->k != K_ATTR || value)
        st = map_open(st, ST_ESCAPED); /* its address may be kept anywhere */
    } else {
      st = eval_children(w, e, st, false);
    }
    break;
  case CXCursor_BinaryOperator: {
    if (!omen_c_operator(w->u->pass, e, op, sizeof op)) {
      w->bail = true;
      break;
    }
    CXCursor a = omen_c_expr_child(e, 0), b = omen_c_expr_child(e, 1);
    if (strcmp(op, "=") == 0) {
      if (is_var(w, a)) {
        st = eval(w, b, st, false);
        st = assign_var(w, b, st);
      } else {
        bool status = w->k == K_ATTR && is_acq_call(w, b);
        st = eval(w, a, st, false);
        st = eval(w, b, st, !kernel_struct_field(w, a));
        if (status) {
          CXCursor d = omen_c_named_decl(a, NULL);
          if (!clang_Cursor_isNull(d))
            w->status = d;
        } else if (w->k == K_ATTR && !clang_Cursor_isNull(w->status) &&
                   same_decl(omen_c_named_decl(a, NULL), w->status)) {
          w->status = clang_getNullCursor();
        }
      }
    } else if (strcmp(op, "&&") == 0 || strcmp(op, "||") == 0) {
      bool and = op[0] == '&';
      st = eval(w, a, st, false);
      sset rest = eval(w, b, refine(w, a, and, st), false);
      st = refine(w, a, !and, st) | rest;
    } else if (strcmp(op, ",") == 0) {
      st = eval(w, a, st, false);
      st = eval(w, b, st, value);
    } else {
      st = eval(w, a, st, false);
      st = eval(w, b, st, false);
    }
    break;
  }
  case CXCursor_ConditionalOperator: {
    omen_c_kids ks = omen_c_children(e);
    if (ks.total == 3) {
      st = eval(w, ks.c[0], st, false);
      sset t = eval(w, ks.c[1], refine(w, ks.c[0], true, st), value);
      sset f = eval(w, ks.c[2], refine(w, ks.c[0], false, st), value);
      st = t | f;
    } else {
      st = eval_children(w, e, st, value);
    }
    break;
  }
  case CXCursor_CallExpr:
    st = eval_call(w, e, st, value);
    break;
  case CXCursor_LambdaExpr:
  case CXCursor_BlockExpr:
    st = map_open(st, ST_ESCAPED); /* captured */
    break;
  case CXCursor_StmtExpr:
    st = eval_children(w, e, st, value);
    break;
  case CXCursor_CompoundStmt: /* of a statement expression */
    if (w->pw)
      st = omen_c_paths_stmt(w->pw, e, st);
    else
      w->bail = true;
    break;
  case CXCursor_CXXThrowExpr:
    st = eval_children(w, e, st, true);
    st = 0;
    break;
  case CXCursor_MemberRefExpr:
  case CXCursor_ArraySubscriptExpr:
  case CXCursor_CompoundAssignOperator:
    st = eval_children(w, e, st, false);
    break;
  default:
    /* initializer lists, compound literals, constructors, new: the value is kept */
    st = eval_children(w, e, st,
                       k == CXCursor_InitListExpr ? value
                                                  : k != CXCursor_CXXDeleteExpr && k != CXCursor_UnaryExpr);
    break;
  }
  w->depth--;
  return st;
}

/* ---- statements (through c_paths) ---- */

static void record_leak(walker *w, const omen_c_exit *x, sset st) {
  for (uint32_t i = 0; i < w->nleaks; i++)
    if (w->leaks[i].start == x->start) {
      w->leaks[i].st |= st;
      return;
    }
  if (w->nleaks == MAX_LEAKS)
    return;
  bool in_scope = w->scope_end == 0 || (x->start >= w->scope_start && x->end <= w->scope_end);
  w->leaks[w->nleaks++] = (leak){.cond = x->cond,
                                 .cond_truth = x->cond_truth,
                                 .start = x->start,
                                 .end = x->end,
                                 .st = st,
                                 .at_end = x->at_end,
                                 .braced = x->braced,
                                 .branch_of = x->branch_of,
                                 .scope_ok = in_scope};
}

static omen_c_pset op_eval(void *client, omen_c_paths *pw, CXCursor e, omen_c_pset st) {
  walker *w = client;
  w->pw = pw;
  st = eval(w, e, st, false);
  if (w->bail)
    omen_c_paths_bail(pw);
  return st;
}

static omen_c_pset op_refine(void *client, omen_c_paths *pw, CXCursor cond, bool truth, omen_c_pset st) {
  walker *w = client;
  w->pw = pw;
  return refine(w, cond, truth, st);
}

static omen_c_pset op_decl(void *client, omen_c_paths *pw, CXCursor var, CXCursor init, omen_c_pset st) {
  walker *w = client;
  w->pw = pw;
  if (same_decl(var, w->var)) {
    omen_c_paths_block(pw, &w->scope_start, &w->scope_end);
    if (!clang_Cursor_isNull(init))
      return assign_var(w, init, eval(w, init, st, false));
    return st ? ST_NONE : st;
  }
  if (clang_Cursor_isNull(init))
    return st;
  bool status = w->k == K_ATTR && is_acq_call(w, init);
  CXType vt = clang_getCursorType(var);
  uint32_t v = omen_c_var_find(w->u->in, var);
  bool described = kernel_struct(vt) && v != OMEN_C_NONE && !w->u->in->vars[v].is_static;
  st = eval(w, init, st, clang_getCanonicalType(vt).kind != CXType_LValueReference && !described);
  if (status)
    w->status = var;
  if (w->bail)
    omen_c_paths_bail(pw);
  return st;
}

static omen_c_pset op_ret(void *client, omen_c_paths *pw, CXCursor value, omen_c_pset st) {
  walker *w = client;
  w->pw = pw;
  if (clang_Cursor_isNull(value))
    return st;
  bool fresh = is_handle(w, value) && st && !(st & ~(sset)(ST_OPEN | ST_CARRIED | ST_INVALID));
  long long v;
  if (fresh && (st & (ST_OPEN | ST_CARRIED)))
    w->ret_fresh = true;
  else if (!(omen_c_const_int(value, &v) && (v == 0 || v == -1)))
    w->ret_other = true;
  st = eval(w, value, st, true);
  if (w->bail)
    omen_c_paths_bail(pw);
  return st;
}

static void op_exit(void *client, omen_c_paths *pw, const omen_c_exit *x, omen_c_pset st) {
  (void)pw;
  walker *w = client;
  w->exits |= (st & ST_CARRIED) ? ((st & ~(sset)ST_CARRIED) | ST_OPEN) : st;
  if (!w->summary && (st & ST_OPEN))
    record_leak(w, x, st);
}

/* Open in an earlier iteration: see ST_CARRIED. */
static omen_c_pset op_back_edge(void *client, omen_c_pset st) {
  (void)client;
  return (st & ST_OPEN) ? ((st & ~(sset)ST_OPEN) | ST_CARRIED) : st;
}

static bool op_matters(void *client, uint32_t start, uint32_t end) { return mentions(client, start, end); }

static void read_errors(unit *u);

/* Is [s,e) inside a region the preprocessor skipped (#if 0, the other branch of an #ifdef)? */
static bool skipped(unit *u, uint32_t s, uint32_t e) {
  for (uint32_t i = 0; i < u->nskipped; i++)
    if (u->skipped[2 * i] <= s && e <= u->skipped[2 * i + 1])
      return true;
  return false;
}

/* Code between statements that is not in the tree: in a unit that did not compile, clang dropped it
 * (and after a fatal error such as a missing header it says nothing more), so the walk cannot be
 * trusted. Blanks, comments, ';', preprocessor lines and skipped regions are fine. */
static bool op_gap(void *client, uint32_t start, uint32_t end) {
  walker *w = client;
  unit *u = w->u;
  if (!u->errors_read)
    read_errors(u);
  if (!u->had_errors)
    return false;
  const omen_file *f = u->f;
  if (end > f->len)
    return true;
  for (uint32_t i = start; i < end; i++) {
    char c = f->text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '\f' || c == '\v')
      continue;
    if (c == '/' && i + 1 < end && f->text[i + 1] == '/') {
      while (i < end && f->text[i] != '\n')
        i++;
      continue;
    }
    if (c == '/' && i + 1 < end && f->text[i + 1] == '*') {
      i += 2;
      while (i + 1 < end && !(f->text[i] == '*' && f->text[i + 1] == '/'))
        i++;
      i++;
      continue;
    }
    if (c == '#') { /* a directive: to the end of its line, with continuations */
      while (i < end && !(f->text[i] == '\n' && f->text[i - 1] != '\\'))
        i++;
      continue;
    }
    uint32_t line_end = i;
    while (line_end < end && f->text[line_end] != '\n')
      line_end++;
    if (skipped(u, i, line_end)) {
      i = line_end;
      continue;
    }
    return true;
  }
  return false;
}

static const omen_c_paths_ops walk_ops = {
    .gap = op_gap,
    .eval = op_eval,
    .refine = op_refine,
    .decl = op_decl,
    .ret = op_ret,
    .exit = op_exit,
    .back_edge = op_back_edge,
    .matters = op_matters,
};

static void walk_function(walker *w, uint32_t fi, sset init) {
  const omen_c_func *fn = &w->u->in->funcs[fi];
  CXCursor body = body_of(fn->cursor);
  if (clang_Cursor_isNull(body) || fn->incomplete) {
    w->bail = true;
    return;
  }
  if (!omen_c_paths_walk(w->u->pass, body, fn->body_end, &walk_ops, w, init))
    w->bail = true;
}

/* ---- reporting ---- */

static const char *consequence(kind k) {
  switch (k) {
  case K_FD:
    return "each time this path runs a descriptor leaks, and a long-running process runs out of them "
           "(EMFILE)";
  case K_FILE:
  case K_POPEN:
    return "its descriptor and buffer leak each time this path runs, and buffered output is never written";
  case K_DIR:
    return "its descriptor and buffer leak each time this path runs";
  case K_CURL:
  case K_CURLM:
    return "its connections, buffers and sockets leak each time this path runs";
  default:
    return "memory it holds leaks each time this path runs";
  }
}

/* Offset just past the ';' ending the statement that ends at e (e itself when none follows). */
static uint32_t past_semicolon(const omen_file *f, uint32_t e) {
  uint32_t i = e;
  while (i < f->len && (f->text[i] == ' ' || f->text[i] == '\t'))
    i++;
  return i < f->len && f->text[i] == ';' ? i + 1 : e;
}

/* The end of the function: the release goes on its own line before the closing brace, indented like
 * the variable's declaration, when that brace starts its line and the variable belongs to the
 * function's outermost block. */
static bool end_edits(walker *w, omen_fix *fx, const leak *lk, const char *release, const char *var,
                      const char *pre) {
  unit *u = w->u;
  const omen_file *f = u->f;
  uint32_t v = omen_c_var_find(u->in, w->var);
  if (!only_open(lk->st) || v == OMEN_C_NONE || lk->start >= f->len || f->text[lk->start] != '}')
    return false;
  const omen_c_func *fn = &u->in->funcs[u->in->vars[v].func];
  uint32_t indent, bindent;
  uint32_t line = omen_c_line_start(f, lk->start, &bindent);
  uint32_t vline = omen_c_line_start(f, u->in->vars[v].start, &indent);
  if (line + bindent != lk->start || w->scope_start != fn->body_start ||
      vline + indent != u->in->vars[v].start || u->in->vars[v].loop != OMEN_C_NONE)
    return false;
  if (fx)
    omen_fix_add_edit(u->pass, fx, line, line,
                      omen_arena_printf(omen_pass_arena(u->pass), "%.*s%s%s(%s%s);\n", (int)indent,
                                        f->text + vline, pre, release, w->k == K_ATTR ? "&" : "", var));
  return true;
}

/* Adds to fx (when not NULL) the edits releasing the handle before the leaking return lk; false when
 * that return cannot be fixed safely. */
static bool release_edits(walker *w, omen_fix *fx, const leak *lk, const char *release, const char *var,
                          const char *pre) {
  unit *u = w->u;
  const omen_file *f = u->f;
  if (lk->at_end)
    return end_edits(w, fx, lk, release, var, pre);
  if (!only_open(lk->st) || !lk->scope_ok || lk->start + 6 > f->len ||
      memcmp(f->text + lk->start, "return", 6) != 0 || ident_char(f->text[lk->start + 6]))
    return false;
  uint32_t end = past_semicolon(f, lk->end);
  if (end == lk->end || f->text[end - 1] != ';')
    return false;
  if (!lk->braced && lk->branch_of == OMEN_C_NONE)
    return false;
  if (!fx)
    return true;
  omen_arena *a = omen_pass_arena(u->pass);
  const char *amp = w->k == K_ATTR ? "&" : "";
  uint32_t indent;
  uint32_t line = omen_c_line_start(f, lk->start, &indent);
  bool first_on_line = line + indent == lk->start;
  if (lk->braced) {
    char *text = first_on_line ? omen_arena_printf(a, "%s%s(%s%s);\n%.*s", pre, release, amp, var,
                                                   (int)indent, f->text + line)
                               : omen_arena_printf(a, "%s%s(%s%s); ", pre, release, amp, var);
    omen_fix_add_edit(u->pass, fx, lk->start, lk->start, text);
    return true;
  }
  /* an unbraced branch: if (...)\n  return x;  or  if (...) return x; */
  uint32_t p = lk->start;
  while (p > 0 && (f->text[p - 1] == ' ' || f->text[p - 1] == '\t' || f->text[p - 1] == '\n' ||
                   f->text[p - 1] == '\r'))
    p--;
  bool after_paren = p > 0 && f->text[p - 1] == ')';
  bool after_else = p >= 4 && memcmp(f->text + p - 4, "else", 4) == 0;
  if (first_on_line && (after_paren || after_else)) {
    uint32_t oind;
    uint32_t oline = omen_c_line_start(f, p - 1, &oind);
    omen_fix_add_edit(u->pass, fx, p, p, " {");
    omen_fix_add_edit(
        u->pass, fx, lk->start, lk->start,
        omen_arena_printf(a, "%s%s(%s%s);\n%.*s", pre, release, amp, var, (int)indent, f->text + line));
    bool eol = false;
    uint32_t close_at = omen_c_after_stmt(f, end, &eol);
    omen_fix_add_edit(u->pass, fx, close_at, close_at,
                      eol ? omen_arena_printf(a, "\n%.*s}", (int)oind, f->text + oline) : " }");
    return true;
  }
  omen_fix_add_edit(u->pass, fx, lk->start, lk->start,
                    omen_arena_printf(a, "{ %s%s(%s%s); ", pre, release, amp, var));
  omen_fix_add_edit(u->pass, fx, end, end, " }");
  return true;
}

static int leak_order(const void *a, const void *b) {
  const leak *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* The call whose failure the branch (cond, truth) handles: `if (connect(...) < 0)`, `if (!fgets(...))`,
 * `if ((rc = f(...)) != 0)`, the else of `if (f(...) == 0)`; a null cursor when the branch does not
 * read as a failure check. */
static CXCursor failed_call(walker *w, CXCursor cond, bool truth) {
  char op[8];
  for (int guard = 0; guard < 4 && !clang_Cursor_isNull(cond); guard++) {
    cond = omen_c_strip(cond);
    if (clang_getCursorKind(cond) != CXCursor_UnaryOperator ||
        !omen_c_operator(w->u->pass, cond, op, sizeof op) || strcmp(op, "!") != 0)
      break;
    cond = omen_c_expr_child(cond, 0);
    truth = !truth;
  }
  if (clang_Cursor_isNull(cond))
    return cond;
  CXCursor call = cond, other = clang_getNullCursor();
  bool bare = true;
  if (clang_getCursorKind(cond) == CXCursor_BinaryOperator &&
      omen_c_operator(w->u->pass, cond, op, sizeof op) && strcmp(op, "=") != 0) {
    call = omen_c_expr_child(cond, 0);
    other = omen_c_expr_child(cond, 1);
    bare = false;
  }
  call = omen_c_strip(call);
  if (clang_getCursorKind(call) == CXCursor_BinaryOperator) /* (rc = f(...)) */
    call = omen_c_strip(omen_c_expr_child(call, 1));
  if (clang_getCursorKind(call) != CXCursor_CallExpr)
    return clang_getNullCursor();
  bool fails;
  long long k;
  if (bare) {
    /* if (!fgets(...)): fails when the result is false (NULL, 0) */
    fails =
        !truth && clang_getCanonicalType(clang_getCursorResultType(clang_getCursorReferenced(call))).kind ==
                      CXType_Pointer;
  } else if (omen_c_const_int(other, &k) && (k == 0 || k == -1)) {
    bool lt = strcmp(op, "<") == 0, ne = strcmp(op, "!=") == 0, eq = strcmp(op, "==") == 0,
         ge = strcmp(op, ">=") == 0;
    fails = (k == 0 && ((lt && truth) || (ge && !truth) || (ne && truth) || (eq && !truth))) ||
            (k == -1 && ((eq && truth) || (ne && !truth)));
    if (k == 0 && eq && truth)
      fails = clang_getCanonicalType(clang_getCursorResultType(clang_getCursorReferenced(call))).kind ==
              CXType_Pointer; /* == NULL */
    if (k == 0 && ne && truth &&
        clang_getCanonicalType(clang_getCursorResultType(clang_getCursorReferenced(call))).kind ==
            CXType_Pointer)
      fails = false; /* != NULL is success */
  } else {
    return clang_getNullCursor();
  }
  if (!fails || is_acq_call(w, call))
    return clang_getNullCursor();
  return call;
}

/* One finding per acquisition, at its first leaking return; the others are related locations, and
 * the fix (when every one of them can be fixed) releases before each. */
static void report(walker *w, const omen_c_call *call, const acq_fn *af, const char *var) {
  unit *u = w->u;
  const omen_file *f = u->f;
  if (w->nleaks == 0)
    return;
  qsort(w->leaks, w->nleaks, sizeof(leak), leak_order);
  const omen_rule *rule = af->k == K_FD ? &rule_fd : &rule_handle;
  const char *prefix = "";
  if (call->start + 5 <= f->len && memcmp(f->text + call->start, "std::", 5) == 0)
    prefix = "std::";
  else if (call->start + 2 <= f->len && memcmp(f->text + call->start, "::", 2) == 0)
    prefix = "::";
  omen_pos acq = omen_file_pos(f, call->start);
  const leak *lk = &w->leaks[0];
  const char *where = lk->at_end ? "at the end of the function" : "at this return";
  bool opened = af->k == K_FD || af->k == K_FILE || af->k == K_POPEN || af->k == K_DIR;
  const char *how = only_open(lk->st) ? (opened ? "is still open" : "is still held")
                                      : (opened ? "can still be open" : "can still be held");
  char more[64] = "", when[96] = "";
  if (w->nleaks > 1)
    snprintf(more, sizeof more, " (and on %u more path%s)", w->nleaks - 1, w->nleaks > 2 ? "s" : "");
  CXCursor failed = lk->at_end ? clang_getNullCursor() : failed_call(w, lk->cond, lk->cond_truth);
  if (!clang_Cursor_isNull(failed)) {
    char *fname = spelling(omen_pass_arena(u->pass), clang_getCursorReferenced(failed));
    if (fname && fname[0] && strlen(fname) < 64)
      snprintf(when, sizeof when, " when %s() fails", fname);
  }
  omen_diag *d = omen_pass_report(
      u->pass, rule, f, lk->start, lk->end,
      "the %s from %s() on line %u (%s) %s %s%s%s, and nothing releases it on this "
      "path: %s",
      af->noun, call->name, (unsigned)acq.line, var, how, where, when, more, consequence(af->k));
  omen_diag_add_related(u->pass, d, f, call->start, call->end, "%s acquired here", af->noun);
  bool fixable = true;
  for (uint32_t i = 0; i < w->nleaks; i++) {
    if (i > 0)
      omen_diag_add_related(u->pass, d, f, w->leaks[i].start, w->leaks[i].end, "%s also %s here", var,
                            w->leaks[i].at_end ? "reaches the end of the function"
                                               : "returns without release");
    fixable = fixable && release_edits(w, NULL, &w->leaks[i], af->release, var, prefix);
  }
  if (!fixable)
    return;
  omen_fix *fx =
      omen_diag_add_fix(u->pass, d, f, OMEN_FIX_SAFE, "%s%s(%s%s) before %s", prefix, af->release,
                        af->k == K_ATTR ? "&" : "", var, w->nleaks > 1 ? "each leaking return" : "returning");
  for (uint32_t i = 0; i < w->nleaks; i++)
    release_edits(w, fx, &w->leaks[i], af->release, var, prefix);
}

/* ---- acquisitions ---- */

/* The local variable the call's result (or, for attributes, the object its first argument points to)
 * goes into, or a null cursor. */
static CXCursor target_var(unit *u, const omen_c_call *call, kind k) {
  const omen_c_index *in = u->in;
  const omen_file *f = u->f;
  if (k == K_ATTR) {
    bool addr = false;
    if (call->nargs < 1)
      return clang_getNullCursor();
    CXCursor d = omen_c_named_decl(call->args[0], &addr);
    uint32_t v = omen_c_var_find(in, d);
    return addr && v != OMEN_C_NONE && !in->vars[v].is_static && !clang_Cursor_hasAttrs(d)
               ? d
               : clang_getNullCursor();
  }
  /* x = call, T x = call, (x = call): only '=', blanks, parentheses and casts between them */
  uint32_t best = OMEN_C_NONE, best_end = 0;
  CXCursor decl = clang_getNullCursor();
  /* vars and refs are in source order: look only at those between the statement and the call */
  uint32_t lo = 0, hi = in->nvars;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (in->vars[mid].start < call->stmt.start)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (uint32_t i = lo; i < in->nvars && in->vars[i].start < call->start; i++) {
    const omen_c_var *v = &in->vars[i];
    if (v->func == call->func && v->name_end <= call->start && v->name_end > best_end) {
      best = i;
      best_end = v->name_end;
      decl = v->cursor;
    }
  }
  lo = 0;
  hi = in->nrefs;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (in->refs[mid].start < call->stmt.start)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (uint32_t r = lo; r < in->nrefs && in->refs[r].start < call->start; r++) {
    const omen_c_ref *ref = &in->refs[r];
    if (ref->func == call->func && ref->end <= call->start && ref->end > best_end) {
      uint32_t v = omen_c_var_find(in, ref->decl);
      if (v == OMEN_C_NONE)
        continue;
      best = v;
      best_end = ref->end;
      decl = ref->decl;
    }
  }
  /* static storage, or __attribute__((cleanup(...))) (systemd's _cleanup_close_): not ours to track */
  if (best == OMEN_C_NONE || in->vars[best].is_static || clang_Cursor_hasAttrs(decl))
    return clang_getNullCursor();
  int eq = 0, depth = 0;
  for (uint32_t i = best_end; i < call->start; i++) {
    char c = f->text[i];
    if (c == '=')
      eq++;
    else if (c == '(')
      depth++;
    else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':')
      continue;
    else if (c == ')' || c == '*' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9'))
      continue; /* a cast: (FILE *), (int) */
    else
      return clang_getNullCursor();
  }
  (void)depth;
  if (eq != 1)
    return clang_getNullCursor();
  /* the variable's type must hold the handle */
  CXType t = clang_getCanonicalType(clang_getCursorType(decl));
  if (k == K_FD ? t.kind != CXType_Int : t.kind != CXType_Pointer)
    return clang_getNullCursor();
  return decl;
}

static bool is_main(const omen_c_func *fn) { return strcmp(fn->name, "main") == 0; }

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* The main file's regions skipped by the preprocessor. */
static void read_skipped(unit *u, CXTranslationUnit tu) {
  CXSourceRangeList *list = clang_getAllSkippedRanges(tu);
  if (!list)
    return;
  unsigned n = list->count > 4096 ? 4096 : list->count;
  u->skipped = n ? omen_arena_alloc(omen_pass_arena(u->pass), sizeof(uint32_t) * 2 * n) : NULL;
  for (unsigned i = 0; u->skipped && i < n; i++) {
    uint32_t s, e;
    if (omen_pass_c_in_main(u->pass, clang_getRangeStart(list->ranges[i]), &s) &&
        omen_pass_c_in_main(u->pass, clang_getRangeEnd(list->ranges[i]), &e) && s <= e) {
      u->skipped[2 * u->nskipped] = s;
      u->skipped[2 * u->nskipped + 1] = e + 1;
      u->nskipped++;
    }
  }
  clang_disposeSourceRangeList(list);
}

/* Reads the unit's compile errors once: clang drops statements it could not compile (a missing
 * header leaves a close or a store out of the tree), so functions with errors are not judged. */
static void read_errors(unit *u) {
  u->errors_read = true;
  u->errors_stop = UINT32_MAX;
  CXTranslationUnit tu = omen_pass_c_tu(u->pass);
  unsigned n = tu ? clang_getNumDiagnostics(tu) : 0;
  if (n == 0)
    return;
  if (n > 4096)
    n = 4096;
  u->errors = omen_arena_alloc(omen_pass_arena(u->pass), sizeof(uint32_t) * n);
  if (!u->errors) {
    u->errors_stop = 0;
    return;
  }
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
    uint32_t off;
    if (sev >= CXDiagnostic_Error) {
      u->had_errors = true;
      if (omen_pass_c_in_main(u->pass, clang_getDiagnosticLocation(d), &off))
        u->errors[u->nerrors++] = off;
      if (sev == CXDiagnostic_Fatal) {
        CXString m = clang_getDiagnosticSpelling(d);
        const char *ms = clang_getCString(m);
        if (ms && strstr(ms, "too many errors"))
          u->errors_stop = 0; /* the point is fixed below, once the last error is known */
        clang_disposeString(m);
      }
    }
    clang_disposeDiagnostic(d);
  }
  qsort(u->errors, u->nerrors, sizeof(uint32_t), cmp_u32);
  if (u->had_errors)
    read_skipped(u, tu);
  if (u->errors_stop == 0 && u->nerrors > 0)
    u->errors_stop = u->errors[u->nerrors - 1];
}

static uint32_t first_error(unit *u, uint32_t start) {
  uint32_t lo = 0, hi = u->nerrors;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (u->errors[mid] < start)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Did function fi compile cleanly (as far as clang says)? */
static bool func_clean(unit *u, uint32_t fi) {
  if (!u->errors_read)
    read_errors(u);
  const omen_c_func *fn = &u->in->funcs[fi];
  if (fn->end >= u->errors_stop)
    return false;
  uint32_t i = first_error(u, fn->start);
  return !(i < u->nerrors && u->errors[i] < fn->end);
}

/* Does a compile error of function fi sit in a statement that names var? Such a statement may be
 * missing from the tree (a store, a close), so the variable cannot be followed. The statement is
 * approximated by the text from the previous ';', '{' or '}' to the next ';'. */
static bool errors_touch(unit *u, uint32_t fi, const char *var) {
  if (!u->errors_read)
    read_errors(u);
  const omen_c_func *fn = &u->in->funcs[fi];
  const omen_file *f = u->f;
  size_t n = strlen(var);
  if (fn->end >= u->errors_stop)
    return true;
  for (uint32_t i = first_error(u, fn->start); i < u->nerrors && u->errors[i] < fn->end; i++) {
    uint32_t s = u->errors[i], e = u->errors[i];
    while (s > fn->start && f->text[s - 1] != ';' && f->text[s - 1] != '{' && f->text[s - 1] != '}')
      s--;
    while (e < fn->end && f->text[e] != ';')
      e++;
    for (uint32_t k = s; k + n <= e; k++)
      if (memcmp(f->text + k, var, n) == 0 && (k == 0 || !ident_char(f->text[k - 1])) &&
          !ident_char(f->text[k + n]))
        return true;
  }
  return false;
}

/* Walks the function of call with its target variable tracked; reports when report is set. Returns
 * whether the function returns the acquired handle fresh on its success paths (a wrapper). */
static bool check_acq(unit *u, uint32_t ci, const acq_fn *af, bool do_report) {
  const omen_c_call *call = &u->in->calls[ci];
  if (call->func == OMEN_C_NONE || call->in_macro || u->in->funcs[call->func].incomplete)
    return false;
  CXCursor var = target_var(u, call, af->k);
  if (clang_Cursor_isNull(var))
    return false;
  char *vname = spelling(omen_pass_arena(u->pass), var);
  if (!vname || !vname[0] || errors_touch(u, call->func, vname))
    return false;
  walker *w = calloc(1, sizeof *w);
  if (!w)
    return false;
  w->u = u;
  w->var = var;
  w->k = af->k;
  w->acq = call->start;
  w->status = clang_getNullCursor();
  bool fresh = false;
  if (collect_refs(u, var, (uint32_t **)&w->refs, &w->nrefs)) {
    walk_function(w, call->func, ST_NONE);
    if (!w->bail && do_report && !is_main(&u->in->funcs[call->func])) {
      report(w, call, af, vname);
    }
    fresh = !w->bail && w->ret_fresh && !w->ret_other;
  }
  free(w);
  return fresh;
}

/* Is call a library acquisition? Returns its descriptor or NULL. */
static const acq_fn *library_acq(unit *u, const omen_c_call *call) {
  if (!call->direct)
    return NULL;
  const acq_fn *af = acq_by_name(call->name);
  if (!af || !is_library(u, call->callee) || !result_type_fits(call->callee, af->k))
    return NULL;
  return af;
}

static omen_status run(omen_pass *pass, void **result) {
  *result = NULL;
  const omen_c_index *in = omen_pass_result(pass, &omen_c_inspect);
  if (!in || !in->nfuncs)
    return OMEN_OK;
  unit u = {.pass = pass, .in = in, .f = omen_pass_c_file(pass)};
  if (!u.f)
    return OMEN_OK;
  /* functions of the file that return a fresh handle: their callers acquire it */
  uint32_t wrappers[64];
  const acq_fn *wrap_af[64];
  uint32_t nwrap = 0;
  for (size_t a = 0; a < NACQ; a++) {
    for (uint32_t i = omen_c_call_first(in, acq_fns[a].name); i != OMEN_C_NONE; i = omen_c_call_next(in, i)) {
      const omen_c_call *call = &in->calls[i];
      const acq_fn *af = library_acq(&u, call);
      if (!af)
        continue;
      bool fresh = check_acq(&u, i, af, true);
      if (fresh && nwrap < 64 && af->k != K_ATTR) {
        bool dup = false;
        for (uint32_t k = 0; k < nwrap; k++)
          dup |= wrappers[k] == call->func;
        if (!dup) {
          wrap_af[nwrap] = af;
          wrappers[nwrap++] = call->func;
        }
      }
    }
  }
  for (uint32_t k = 0; k < nwrap; k++) {
    const omen_c_func *fn = &in->funcs[wrappers[k]];
    if (!fn->name[0])
      continue;
    for (uint32_t i = omen_c_call_first(in, fn->name); i != OMEN_C_NONE; i = omen_c_call_next(in, i)) {
      const omen_c_call *call = &in->calls[i];
      if (!call->direct || clang_Cursor_isNull(call->callee) || tu_func(&u, call->callee) != wrappers[k])
        continue;
      acq_fn wrapped = *wrap_af[k];
      wrapped.name = fn->name;
      check_acq(&u, i, &wrapped, true);
    }
  }
  return OMEN_OK;
}

const omen_analyzer omen_c_resource_leak = {
    .name = "c-resource-leak",
    .title = "Finds descriptors, sockets, FILE*, DIR*, CURL handles and attributes leaked on some path",
    .doc = "Reports resource-leak/fd-not-closed and resource-leak/handle-not-released: a resource acquired "
           "into a local variable and still open at a return or the end of the function on some path "
           "(error paths, goto cleanup followed), unless it is returned, stored or handed over there. "
           "Functions of the file that close their parameter count as releases, and functions that return "
           "a fresh descriptor or handle as acquisitions.",
    .langs = OMEN_LANG_CFAMILY,
    .requires = requires,
    .rules = rules,
    .run = run,
};
