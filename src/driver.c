/* driver.c - finds units (Go package directories, C/C++ translation units), parses each once,
 * runs the enabled analyzers on it in parallel workers, and aggregates the diagnostics. */
#include "driver.h"

#include <clang-c/CXCompilationDatabase.h>
#include <dirent.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "config.h"
#include "facts.h"
#include "frontend.h"
#include "registry.h"
#include "suppress.h"
#include "unit.h"

enum { MAX_WALK_FILES = 2000000, MAX_DEPTH = 128 };

typedef struct job {
  unsigned lang;
  char *dir;    /* Go: package directory (display form) */
  char **files; /* Go: its .go files; C: the one source file (display form) */
  size_t nfiles;
  char *abs;   /* C: the source file's absolute path (how the same TU named two ways is recognized) */
  char **args; /* C: compiler arguments (without the source file) */
  size_t nargs;
  size_t cost;            /* rough work estimate: bytes to parse (C adds its headers' guess) */
  const omen_config *cfg; /* the configuration governing it; NULL: none */
  const bool *enabled;    /* analyzers of the order that run on it (from the CLI and cfg) */
  bool generated;         /* analyze generated Go files too */
  char **only;            /* Go: the files named on the command line; findings elsewhere in the package are
                           * not reported (the package is analyzed whole, for its declarations) */
  size_t nonly;
  bool whole; /* Go: the directory was walked: report on every file */
  /* output */
  omen_diag *diags;
  size_t ndiags;
  omen_snapshot *snaps;
  size_t nsnaps;
  omen_status status;
  size_t ngenerated;
  size_t nheaders; /* C: project headers analyzed with this TU */
  bool alone;      /* C: a header named on the command line that no TU included, parsed alone */
  char err[512];
  /* the run-level phase */
  uint32_t text_len;     /* C: the main file's length when its unit ran (a finish hook's file must match) */
  bool deferred_ignores; /* a suppression naming a run-level rule matched nothing in the unit phase */
  size_t run_from;       /* diagnostics from here on came from finish hooks; SIZE_MAX: none */
} job;

typedef struct jobs {
  job *v;
  size_t n, cap;
} jobs;

/* A configuration file in use, with the analyzers it leaves on. */
typedef struct cfg_entry {
  char *path;       /* as found (NULL: the "no configuration" entry) */
  omen_config *cfg; /* NULL for the "no configuration" entry */
  bool *enabled;    /* parallel to the order */
} cfg_entry;

typedef struct run {
  const omen_options *opt;
  omen_reader *reader;
  const omen_analyzer **order;
  size_t norder;
  bool *enabled; /* from the command line alone: what any unit may run (for --stats) */
  jobs js;
  size_t next, done;
  pthread_mutex_t mu;
  double *seconds; /* summed from the workers when they finish */
  size_t nfiles;
  cfg_entry *cfgs; /* loaded in the main thread before the workers start, read-only after */
  size_t ncfgs;
  char *cfg_err;  /* the first configuration error */
  char *memo_dir; /* the directory the walk is in, and its entry: cfg_for answers it without I/O */
  size_t memo_idx;
  omen_facts *facts; /* exported by units for the finish hooks; NULL when no enabled analyzer has one */
  /* C/C++ headers: a project header is under one of hroots (the directories named on the command
   * line and those of the files named), not a system header, not skipped nor excluded */
  char **hroots;
  size_t nhroots;
  char **claimed; /* real paths of the files analyzed so far (open addressing; under mu while workers run) */
  size_t nclaimed, capclaimed;
  char **named_h; /* headers named on the command line: analyzed alone unless a TU of the run includes them */
  size_t nnamed_h;
} run;

static cfg_entry *cfg_for(run *r, const char *path);
static cfg_entry *cfg_for_dir(run *r, const char *dir, size_t parent);
static void memo_set(run *r, const char *dir, size_t idx);
static bool job_config(run *r, job *j, const char *path);

/* ---------- path helpers ---------- */

static char *display_path(const char *path) {
  while (path[0] == '.' && path[1] == '/')
    path += 2;
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/')
    n--;
  char *s = strndup(path, n);
  return s;
}

static char *join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *s = malloc(a + b + 2);
  if (!s)
    return NULL;
  if (strcmp(dir, ".") == 0) {
    memcpy(s, name, b + 1);
    return s;
  }
  memcpy(s, dir, a);
  size_t o = a;
  if (a && dir[a - 1] != '/')
    s[o++] = '/';
  memcpy(s + o, name, b + 1);
  return s;
}

/* Absolute path to the form users see: relative to cwd when under it. */
static char *relative_to_cwd(const char *abs) {
  char *cwd = omen_abspath(".");
  if (!cwd)
    return NULL;
  size_t n = strlen(cwd);
  char *out;
  if (strcmp(cwd, "/") != 0 && strncmp(abs, cwd, n) == 0 && abs[n] == '/')
    out = strdup(abs + n + 1);
  else
    out = strdup(abs);
  free(cwd);
  return out;
}

static bool excluded(const omen_options *opt, const char *path, const char *base) {
  for (size_t i = 0; i < opt->nexcludes; i++) {
    const char *g = opt->excludes[i];
    if (fnmatch(g, path, 0) == 0 || fnmatch(g, base, 0) == 0)
      return true;
    /* a glob ending in / or stars matches the directory and everything below it */
    size_t gl = strlen(g);
    while (gl > 0 && (g[gl - 1] == '/' || g[gl - 1] == '*'))
      gl--;
    if (gl > 0 && gl < strlen(g) && strncmp(path, g, gl) == 0 && (path[gl] == '/' || path[gl] == '\0'))
      return true;
  }
  return false;
}

/* ---------- job list ---------- */

static job *add_job(jobs *js) {
  if (js->n == js->cap) {
    size_t cap = js->cap ? js->cap * 2 : 64;
    job *nv = realloc(js->v, cap * sizeof *nv);
    if (!nv)
      return NULL;
    js->v = nv;
    js->cap = cap;
  }
  job *j = &js->v[js->n++];
  memset(j, 0, sizeof *j);
  j->run_from = SIZE_MAX;
  return j;
}

static void free_job(job *j) {
  free(j->dir);
  free(j->abs);
  for (size_t i = 0; i < j->nfiles; i++)
    free(j->files[i]);
  free(j->files);
  for (size_t i = 0; i < j->nargs; i++)
    free(j->args[i]);
  free(j->args);
  for (size_t i = 0; i < j->nonly; i++)
    free(j->only[i]);
  free(j->only);
  for (size_t i = 0; i < j->ndiags; i++)
    omen_diag_clear(&j->diags[i]);
  free(j->diags);
  for (size_t i = 0; i < j->nsnaps; i++) {
    free(j->snaps[i].path);
    free(j->snaps[i].text);
  }
  free(j->snaps);
}

static bool push_str(char ***v, size_t *n, const char *s) {
  char **nv = realloc(*v, (*n + 1) * sizeof *nv);
  if (!nv)
    return false;
  *v = nv;
  nv[*n] = strdup(s);
  if (!nv[*n])
    return false;
  (*n)++;
  return true;
}

static job *go_job_for_dir(jobs *js, const char *dir) {
  for (size_t i = js->n; i > 0; i--) /* files of a directory arrive together */
    if (js->v[i - 1].lang == OMEN_LANG_GO && strcmp(js->v[i - 1].dir, dir) == 0)
      return &js->v[i - 1];
  job *j = add_job(js);
  if (!j)
    return NULL;
  j->lang = OMEN_LANG_GO;
  j->dir = strdup(dir);
  return j->dir ? j : NULL;
}

/* How a file joins: found by walking a directory, named on the command line, or a named Go file's
 * package sibling (analyzed, not reported on). */
typedef enum add_how { ADD_WALKED, ADD_NAMED, ADD_SIBLING } add_how;

static omen_status add_c_job(run *r, const char *path, unsigned lang, size_t size);

static omen_status add_file(run *r, const char *path, add_how how) {
  unsigned lang = omen_lang_of_path(path);
  if (!lang)
    return OMEN_OK;
  struct stat st;
  size_t size = stat(path, &st) == 0 ? (size_t)st.st_size : 0;
  if (r->nfiles++ > MAX_WALK_FILES)
    return OMEN_ELIMIT;
  if (lang == OMEN_LANG_GO) {
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
    if (!dir)
      return OMEN_ENOMEM;
    job *j = go_job_for_dir(&r->js, dir);
    if (j && !j->enabled && !job_config(r, j, dir)) {
      free(dir);
      return OMEN_EUSAGE;
    }
    free(dir);
    if (j && how == ADD_NAMED && !push_str(&j->only, &j->nonly, path))
      return OMEN_ENOMEM;
    if (j && how == ADD_WALKED)
      j->whole = true;
    for (size_t i = 0; j && i < j->nfiles; i++)
      if (strcmp(j->files[i], path) == 0)
        return OMEN_OK;
    if (!j || !push_str(&j->files, &j->nfiles, path))
      return OMEN_ENOMEM;
    j->cost += size;
    return OMEN_OK;
  }
  return add_c_job(r, path, lang, size);
}

/* A C/C++ TU whose main file is path (a header named alone: lang says how to parse it). */
static omen_status add_c_job(run *r, const char *path, unsigned lang, size_t size) {
  char *abs = omen_abspath(path);
  if (!abs)
    return OMEN_ENOMEM;
  for (size_t i = 0; i < r->js.n; i++) /* the same TU named twice, maybe once relative, once absolute */
    if (r->js.v[i].lang != OMEN_LANG_GO && strcmp(r->js.v[i].abs, abs) == 0) {
      free(abs);
      return OMEN_OK;
    }
  job *j = add_job(&r->js);
  if (!j) {
    free(abs);
    return OMEN_ENOMEM;
  }
  j->abs = abs;
  if (!job_config(r, j, path))
    return OMEN_EUSAGE;
  j->lang = lang;
  j->cost = size + (1u << 20);
  if (!push_str(&j->files, &j->nfiles, path))
    return OMEN_ENOMEM;
  return OMEN_OK;
}

/* A Go file named on the command line: its whole package is analyzed (the other files hold the
 * declarations it uses), findings are reported on the named file. */
static omen_status add_package_of(run *r, const char *path) {
  omen_status s = add_file(r, path, ADD_NAMED);
  const char *slash = strrchr(path, '/');
  char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
  DIR *d = dir ? opendir(dir) : NULL;
  if (!dir)
    return OMEN_ENOMEM;
  const cfg_entry *ce = cfg_for(r, dir);
  const omen_config *cfg = ce ? ce->cfg : NULL;
  struct dirent *e;
  while (s == OMEN_OK && d && (e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (e->d_name[0] == '.' || n < 4 || strcmp(e->d_name + n - 3, ".go") != 0)
      continue;
    char *p = join(dir, e->d_name);
    struct stat st;
    if (!p)
      s = OMEN_ENOMEM;
    else if (!excluded(r->opt, p, e->d_name) && !(cfg && omen_config_excluded(cfg, p)) && stat(p, &st) == 0 &&
             S_ISREG(st.st_mode) && strcmp(p, path) != 0)
      s = add_file(r, p, ADD_SIBLING);
    free(p);
  }
  if (d)
    closedir(d);
  free(dir);
  return s;
}

/* Largest first, so no worker is left with a big unit at the end; output order is restored later. */
static int cmp_cost(const void *a, const void *b) {
  const job *x = a, *y = b;
  if (x->cost != y->cost)
    return x->cost > y->cost ? -1 : 1;
  return strcmp(x->files[0], y->files[0]);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Does cfg exclude path (a directory as "dir/", so that `vendor/`-style globs match it before the walk
 * enters it)? */
static bool config_excludes(const omen_config *cfg, const char *path, bool dir) {
  if (!cfg)
    return false;
  if (!dir)
    return omen_config_excluded(cfg, path);
  size_t n = strlen(path);
  char *d = malloc(n + 2);
  if (!d)
    return omen_config_excluded(cfg, path);
  memcpy(d, path, n);
  memcpy(d + n, "/", 2);
  bool ex = omen_config_excluded(cfg, d);
  free(d);
  return ex;
}

static omen_status walk(run *r, const char *dir, int depth, size_t parent) {
  if (depth > MAX_DEPTH)
    return OMEN_OK;
  const cfg_entry *ce = cfg_for_dir(r, dir, parent); /* its excludes apply to the entries */
  if (!ce)
    return OMEN_EUSAGE;
  const omen_config *cfg = ce->cfg; /* (ce moves when deeper directories load more files) */
  size_t here = (size_t)(ce - r->cfgs);
  DIR *d = opendir(dir);
  if (!d) {
    if (r->opt->log)
      fprintf(r->opt->log, "omen: %s: cannot open directory\n", dir);
    return OMEN_OK;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  omen_status s = OMEN_OK;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue; /* hidden files and directories, . and .. */
    if (!push_str(&names, &n, e->d_name)) {
      s = OMEN_ENOMEM;
      break;
    }
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n && s == OMEN_OK; i++) {
    char *p = join(dir, names[i]);
    if (!p) {
      s = OMEN_ENOMEM;
      break;
    }
    struct stat st;
    if (!excluded(r->opt, p, names[i]) && lstat(p, &st) == 0 &&
        !config_excludes(cfg, p, S_ISDIR(st.st_mode))) {
      if (S_ISDIR(st.st_mode)) {
        if (strcmp(names[i], "vendor") != 0 && strcmp(names[i], "testdata") != 0 &&
            strcmp(names[i], "node_modules") != 0)
          s = walk(r, p, depth + 1, here);
        memo_set(r, dir, here); /* back in dir: its files' entry again */
      } else if (S_ISREG(st.st_mode)) {
        s = add_file(r, p, ADD_WALKED);
      }
    }
    free(p);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return s;
}

/* ---------- compile database ---------- */

typedef struct cmd {
  char *abs; /* absolute source path */
  char **args;
  size_t nargs;
} cmd;

typedef struct compdb {
  cmd *v;
  size_t n;
} compdb;

static void compdb_free(compdb *db) {
  for (size_t i = 0; i < db->n; i++) {
    free(db->v[i].abs);
    for (size_t k = 0; k < db->v[i].nargs; k++)
      free(db->v[i].args[k]);
    free(db->v[i].args);
  }
  free(db->v);
  db->v = NULL;
  db->n = 0;
}

static char *abs_in(const char *dir, const char *p) {
  if (p[0] == '/')
    return omen_abspath(p);
  char *j = join(dir, p);
  if (!j)
    return NULL;
  char *a = omen_abspath(j);
  free(j);
  return a;
}

/* Options whose value is a path, written separately ("-I", "dir") or joined ("-Idir", "--sysroot=dir"). */
static const char *const path_opts[] = {
    "-I",           "-isystem",    "-iquote", "-idirafter", "-include",  "-imacros", "-isysroot",
    "-cxx-isystem", "-iframework", "-F",      "--sysroot=", "--sysroot", NULL};

static bool path_option(const char *a) {
  for (size_t i = 0; path_opts[i]; i++)
    if (strcmp(a, path_opts[i]) == 0 && path_opts[i][strlen(path_opts[i]) - 1] != '=')
      return true;
  return false;
}

/* Appends opt followed by value, made absolute against the entry's directory dir when relative
 * ("=..." is relative to the sysroot: kept). false when out of memory. */
static bool push_arg(cmd *m, const char *dir, const char *opt, const char *value) {
  char *abs = value[0] == '/' || value[0] == '=' || !value[0] || !dir ? NULL : abs_in(dir, value);
  const char *v = abs ? abs : value;
  size_t n = strlen(opt) + strlen(v) + 1;
  char *a = malloc(n);
  bool ok = a != NULL;
  if (ok) {
    snprintf(a, n, "%s%s", opt, v);
    ok = push_str(&m->args, &m->nargs, a);
  }
  free(a);
  free(abs);
  return ok;
}

/* Appends one argument, its path made absolute when it is a joined path option ("-Iinc"). */
static bool push_joined(cmd *m, const char *dir, const char *a) {
  for (size_t i = 0; path_opts[i]; i++) {
    size_t n = strlen(path_opts[i]);
    if (strncmp(a, path_opts[i], n) == 0 && a[n] &&
        strcmp(path_opts[i], "--sysroot") != 0) { /* not "--sysrootX" */
      char opt[32];
      snprintf(opt, sizeof opt, "%s", path_opts[i]);
      return push_arg(m, dir, opt, a + n);
    }
  }
  return push_str(&m->args, &m->nargs, a);
}

static omen_status load_compdb(const omen_options *opt, compdb *db, char *err, size_t errlen) {
  const char *dir = opt->compdb_dir;
  struct stat st;
  if (!dir) {
    if (stat("compile_commands.json", &st) == 0)
      dir = ".";
    else if (stat("build/compile_commands.json", &st) == 0)
      dir = "build";
    else
      return OMEN_OK;
  } else {
    char *p = join(dir, "compile_commands.json");
    bool there = p && stat(p, &st) == 0;
    free(p);
    if (!there) {
      snprintf(err, errlen, "%s: no compile_commands.json there", dir);
      return OMEN_EUSAGE;
    }
  }
  CXCompilationDatabase_Error ec;
  CXCompilationDatabase cdb = clang_CompilationDatabase_fromDirectory(dir, &ec);
  if (ec != CXCompilationDatabase_NoError || !cdb) {
    snprintf(err, errlen,
             "%s/compile_commands.json cannot be loaded (is it valid JSON with directory, "
             "file and command or arguments in each entry?)",
             dir);
    return OMEN_EUSAGE;
  }
  CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(cdb);
  unsigned n = cmds ? clang_CompileCommands_getSize(cmds) : 0;
  omen_status s = OMEN_OK;
  db->v = calloc(n ? n : 1, sizeof *db->v);
  if (!db->v)
    s = OMEN_ENOMEM;
  for (unsigned i = 0; i < n && s == OMEN_OK; i++) {
    CXCompileCommand c = clang_CompileCommands_getCommand(cmds, i);
    CXString d = clang_CompileCommand_getDirectory(c);
    CXString f = clang_CompileCommand_getFilename(c);
    const char *ds = clang_getCString(d), *fs = clang_getCString(f);
    cmd *m = &db->v[db->n];
    m->abs = abs_in(ds ? ds : ".", fs ? fs : "");
    if (!m->abs)
      s = OMEN_ENOMEM;
    /* no -working-directory: clang's driver would chdir the whole process to it (LLVM's real file
     * system follows the process's directory), breaking every relative path after the first TU and
     * racing between workers; relative path options are made absolute instead (push_arg) */
    unsigned na = clang_CompileCommand_getNumArgs(c);
    for (unsigned k = 1; k < na && s == OMEN_OK; k++) { /* args[0] is the compiler */
      CXString a = clang_CompileCommand_getArg(c, k);
      const char *as = clang_getCString(a);
      bool skip = !as || strcmp(as, "-c") == 0;
      if (as && (strcmp(as, "-o") == 0 || strcmp(as, "-MF") == 0 || strcmp(as, "-MT") == 0 ||
                 strcmp(as, "-MQ") == 0)) {
        k++; /* and its value */
        skip = true;
      }
      if (!skip && as[0] != '-') {
        char *aa = abs_in(ds ? ds : ".", as);
        skip = aa && strcmp(aa, m->abs) == 0; /* the source file itself */
        free(aa);
      }
      if (!skip && path_option(as) && k + 1 < na) { /* "-I dir": the option, then its value */
        CXString v = clang_CompileCommand_getArg(c, ++k);
        const char *vs = clang_getCString(v);
        if (!push_str(&m->args, &m->nargs, as) || !push_arg(m, ds, "", vs ? vs : ""))
          s = OMEN_ENOMEM;
        clang_disposeString(v);
        skip = true;
      }
      if (!skip && !push_joined(m, ds, as))
        s = OMEN_ENOMEM;
      clang_disposeString(a);
    }
    clang_disposeString(d);
    clang_disposeString(f);
    if (s == OMEN_OK)
      db->n++;
    else {
      free(m->abs);
      for (size_t k = 0; k < m->nargs; k++)
        free(m->args[k]);
      free(m->args);
    }
  }
  if (cmds)
    clang_CompileCommands_dispose(cmds);
  clang_CompilationDatabase_dispose(cdb);
  return s;
}

static omen_status default_args(job *j) {
  const char *c[] = {"-x", "c", "-std=gnu17"};
  const char *cpp[] = {"-x", "c++", "-std=gnu++17"};
  const char **a = j->lang == OMEN_LANG_C ? c : cpp;
  for (size_t i = 0; i < 3; i++)
    if (!push_str(&j->args, &j->nargs, a[i]))
      return OMEN_ENOMEM;
  return OMEN_OK;
}

/* Under one of the given roots (absolute form), not excluded? */
static bool in_roots(const omen_options *opt, char *const *roots, size_t nroots, const char *abs) {
  char *disp = relative_to_cwd(abs);
  if (!disp)
    return false;
  const char *base = strrchr(disp, '/');
  base = base ? base + 1 : disp;
  bool ok = false;
  for (size_t i = 0; i < nroots && !ok; i++) {
    size_t n = strlen(roots[i]);
    ok = strcmp(roots[i], abs) == 0 || (strncmp(roots[i], abs, n) == 0 && (abs[n] == '/' || n == 1));
  }
  if (ok) {
    ok = !excluded(opt, disp, base);
    /* skipped directories, as in the walk */
    for (const char *p = disp; ok && *p;) {
      const char *e = strchr(p, '/');
      if (!e)
        break;
      size_t l = (size_t)(e - p);
      if ((l == 6 && strncmp(p, "vendor", 6) == 0) || (l == 8 && strncmp(p, "testdata", 8) == 0) ||
          (l == 12 && strncmp(p, "node_modules", 12) == 0) || p[0] == '.')
        ok = false;
      p = e + 1;
    }
  }
  free(disp);
  return ok;
}

/* ---------- headers ---------- */

enum { MAX_CLAIMED = 1 << 22, MAX_HEADERS_PER_TU = 4096 };

static size_t str_hash(const char *s) {
  size_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Claims the file at real path key for analysis: 1 when this call claimed it, 0 when it was claimed
 * before, -1 out of memory or past the cap. Under r->mu while workers run. */
static int claim(run *r, const char *key) {
  if (2 * (r->nclaimed + 1) > r->capclaimed) {
    size_t cap = r->capclaimed ? r->capclaimed * 2 : 256;
    if (cap > MAX_CLAIMED)
      return -1;
    char **nv = calloc(cap, sizeof *nv);
    if (!nv)
      return -1;
    for (size_t i = 0; i < r->capclaimed; i++) {
      if (!r->claimed[i])
        continue;
      size_t k = str_hash(r->claimed[i]) & (cap - 1);
      while (nv[k])
        k = (k + 1) & (cap - 1);
      nv[k] = r->claimed[i];
    }
    free(r->claimed);
    r->claimed = nv;
    r->capclaimed = cap;
  }
  size_t k = str_hash(key) & (r->capclaimed - 1);
  for (; r->claimed[k]; k = (k + 1) & (r->capclaimed - 1))
    if (strcmp(r->claimed[k], key) == 0)
      return 0;
  if (!(r->claimed[k] = strdup(key)))
    return -1;
  r->nclaimed++;
  return 1;
}

/* claim() by the file's real path (its lexical absolute path when it has none: an editor buffer). */
static int claim_path(run *r, const char *abs) {
  char *real = realpath(abs, NULL);
  int c = claim(r, real ? real : abs);
  free(real);
  return c;
}

static bool skipped_dir(const char *name, size_t len) {
  return (len == 6 && strncmp(name, "vendor", 6) == 0) || (len == 8 && strncmp(name, "testdata", 8) == 0) ||
         (len == 12 && strncmp(name, "node_modules", 12) == 0) || name[0] == '.';
}

/* Is the header at abs (absolute, lexically clean) part of the project, as the walk would see it:
 * under a header root, in no directory the walk skips, not excluded by --exclude or by cfg? *disp
 * gets its display path (caller frees) when it is. */
static bool project_header(const run *r, const omen_config *cfg, const char *abs, char **disp) {
  *disp = NULL;
  const char *rest = NULL;
  for (size_t i = 0; i < r->nhroots && !rest; i++) {
    size_t n = strlen(r->hroots[i]);
    if (strncmp(r->hroots[i], abs, n) == 0 && (abs[n] == '/' || n == 1))
      rest = abs + (n == 1 ? 1 : n + 1);
  }
  if (!rest)
    return false;
  for (const char *p = rest, *e; (e = strchr(p, '/')) != NULL; p = e + 1)
    if (skipped_dir(p, (size_t)(e - p)))
      return false;
  char *d = relative_to_cwd(abs);
  if (!d)
    return false;
  bool ok = true;
  /* every directory on the way, as the walk tests them, then the file */
  for (char *e = strchr(d + 1, '/'); ok && e; e = strchr(e + 1, '/')) {
    *e = '\0';
    const char *base = strrchr(d, '/');
    ok = !excluded(r->opt, d, base ? base + 1 : d) && !config_excludes(cfg, d, true);
    *e = '/';
  }
  const char *base = strrchr(d, '/');
  if (ok)
    ok = !excluded(r->opt, d, base ? base + 1 : d) && !(cfg && omen_config_excluded(cfg, d));
  if (!ok) {
    free(d);
    return false;
  }
  *disp = d;
  return true;
}

typedef struct inclusions {
  CXTranslationUnit tu;
  CXFile v[MAX_HEADERS_PER_TU]; /* the files the TU includes that are not system headers */
  size_t n;
} inclusions;

static void on_inclusion(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData data) {
  inclusions *in = data;
  if (depth == 0 || !file || in->n == MAX_HEADERS_PER_TU)
    return; /* the main file */
  if (clang_Location_isInSystemHeader(clang_getLocationForOffset(in->tu, file, 0)))
    return;
  for (size_t i = 0; i < in->n; i++) /* a header without include guards comes once per #include */
    if (clang_File_isEqual(in->v[i], file))
      return;
  (void)stack;
  in->v[in->n++] = file;
}

/* ---------- analysis of one job ---------- */

typedef struct worker {
  TSParser *parser;
  CXIndex index;
  double *seconds; /* per analyzer of the order, then Go parse, then C parse */
} worker;

static omen_status snapshot(job *j, const omen_file *f) {
  for (size_t i = 0; i < j->nsnaps; i++)
    if (strcmp(j->snaps[i].path, f->path) == 0)
      return OMEN_OK;
  omen_snapshot *ns = realloc(j->snaps, (j->nsnaps + 1) * sizeof *ns);
  if (!ns)
    return OMEN_ENOMEM;
  j->snaps = ns;
  omen_snapshot *s = &ns[j->nsnaps];
  s->path = strdup(f->path);
  s->text = malloc(f->len + 1);
  if (!s->path || !s->text) {
    free(s->path);
    free(s->text);
    return OMEN_ENOMEM;
  }
  memcpy(s->text, f->text, f->len + 1);
  s->len = f->len;
  j->nsnaps++;
  return OMEN_OK;
}

/* Moves the unit's diagnostics into the job, snapshotting files that fixes edit. */
static omen_status collect(job *j, omen_unit *u, const omen_file *const *files, size_t nfiles) {
  omen_status s = OMEN_OK;
  omen_diag *nd = realloc(j->diags, (j->ndiags + u->ndiags + 1) * sizeof *nd);
  if (!nd)
    s = OMEN_ENOMEM;
  else
    j->diags = nd;
  for (size_t i = 0; i < u->ndiags; i++) {
    omen_diag *d = u->diags[i];
    omen_diag_drop_empty_fixes(d);
    if (s == OMEN_OK) {
      for (size_t k = 0; k < d->nfixes && s == OMEN_OK; k++)
        for (size_t m = 0; m < nfiles && s == OMEN_OK; m++)
          if (strcmp(files[m]->path, d->fixes[k].path) == 0)
            s = snapshot(j, files[m]);
      j->diags[j->ndiags++] = *d;
    } else {
      omen_diag_clear(d);
    }
    free(d);
  }
  free(u->diags);
  u->diags = NULL;
  u->ndiags = u->capdiags = 0;
  return s;
}

/* A file of a finished unit, for the work after its analyzers ran. */
typedef struct unit_file {
  const omen_file *f;
  unsigned lang;
  TSNode root;          /* Go */
  CXTranslationUnit tu; /* C/C++ */
  CXFile cx;
} unit_file;

/* Is rule live at path for job j: its analyzer runs there (engine rules always) and the
 * configuration does not switch it off? */
static bool rule_live(const run *r, const job *j, const omen_rule *rule, const char *path) {
  const omen_analyzer *a = omen_rule_analyzer(rule);
  if (a && !(a->langs & j->lang))
    return false; /* a rule of another language cannot fire in this file */
  if (a) {
    bool on = false;
    for (size_t k = 0; k < r->norder; k++)
      if (r->order[k] == a)
        on = j->enabled[k];
    if (!on)
      return false;
  }
  omen_severity sev;
  return !j->cfg || omen_config_rule_severity(j->cfg, path, rule, &sev);
}

/* The configured severity of diagnostics [from, ndiags) of j; those whose rule is off at their path
 * are dropped. */
static void configure(job *j, size_t from) {
  if (!j->cfg)
    return;
  size_t o = from;
  for (size_t i = from; i < j->ndiags; i++) {
    omen_diag *d = &j->diags[i];
    omen_severity sev;
    if (!omen_config_rule_severity(j->cfg, d->loc.path, d->rule, &sev)) {
      omen_diag_clear(d);
      continue;
    }
    d->severity = sev;
    j->diags[o++] = *d;
  }
  j->ndiags = o;
}

/* Does g name a live rule of an analyzer with a finish hook (its findings come in the run-level phase)? */
static bool names_run_rule(const run *r, const job *j, const omen_ignore *g, const char *path) {
  for (size_t k = 0; k < r->norder; k++) {
    const omen_analyzer *a = r->order[k];
    for (size_t q = 0; a->finish && a->rules && a->rules[q]; q++)
      if (omen_ignore_names(g, a->rules[q]->id) && rule_live(r, j, a->rules[q], path))
        return true;
  }
  return false;
}

/* Suppression comments of file uf: marks the diagnostics they cover, and reports the directives
 * that are malformed or, while a rule they name is live, matched nothing. A directive that matched
 * nothing but names a rule reported in the run-level phase waits for that phase (run_phase: true),
 * which applies the directives to the finish hooks' findings and reports only those. */
static omen_status suppress(run *r, job *j, size_t from, const unit_file *uf, bool run_phase) {
  omen_ignores ig = {0};
  omen_status s = omen_ignores_scan(uf->f, uf->lang, &ig);
  if (s == OMEN_OK && ig.n)
    s = omen_ignores_apply(&ig, uf->f->path, j->diags + from, j->ndiags - from);
  omen_unit tmp = {0};
  size_t nrules = 0;
  const omen_rule *const *all = omen_rules_all(&nrules);
  for (size_t i = 0; i < ig.n && s == OMEN_OK; i++) {
    const omen_ignore *g = &ig.v[i];
    char msg[600];
    if (g->problem && run_phase)
      continue; /* reported in the unit phase */
    if (g->problem) {
      snprintf(msg, sizeof msg, "this suppression is ignored: %s", g->problem);
      omen_unit_report(&tmp, &omen_rule_invalid_ignore, uf->f, g->start, g->end, msg);
      continue;
    }
    if (g->used)
      continue;
    bool live = false;
    for (size_t k = 0; all && k < nrules && !live; k++) /* the engine's own rules cannot be suppressed */
      live = strncmp(all[k]->id, "omen/", 5) != 0 && omen_ignore_names(g, all[k]->id) &&
             rule_live(r, j, all[k], uf->f->path);
    if (!live)
      continue; /* every rule it names is off in this run: it may match again when they are back */
    bool deferred = names_run_rule(r, j, g, uf->f->path);
    if (deferred && !run_phase) {
      j->deferred_ignores = true;
      continue;
    }
    if (run_phase && !deferred)
      continue; /* decided in the unit phase */
    if (run_phase && r->js.n < 2)
      continue; /* one unit (an editor's file): what pairs units cannot show up, so it may be in use */
    char names[300];
    size_t len = 0;
    names[0] = '\0';
    for (size_t k = 0; k < g->nnames && len < sizeof names; k++) {
      int w = snprintf(names + len, sizeof names - len, "%s%s", k ? ", " : "", g->names[k]);
      if (w < 0)
        break;
      len += (size_t)w;
    }
    snprintf(
        msg, sizeof msg,
        "this suppression of %s matches no finding here any more; delete it, or move it to the line it is "
        "meant for",
        names);
    omen_unit_report(&tmp, &omen_rule_unused_ignore, uf->f, g->start, g->end, msg);
  }
  omen_ignores_free(&ig);
  if (tmp.status != OMEN_OK && s == OMEN_OK)
    s = tmp.status;
  omen_status cs = collect(j, &tmp, NULL, 0);
  return s == OMEN_OK ? cs : s;
}

/* After a unit's analyzers ran, while its files and trees are alive: configured severities,
 * suppressions, and each diagnostic's enclosing function and fingerprints (diagnostics [from,
 * ndiags) of j are the unit's). */
static omen_status finish_unit(run *r, job *j, size_t from, const unit_file *uf, size_t nuf) {
  configure(j, from);
  size_t reported = j->ndiags; /* the directives' own reports come after */
  omen_status s = OMEN_OK;
  for (size_t k = 0; k < nuf && s == OMEN_OK; k++)
    s = suppress(r, j, from, &uf[k], false);
  configure(j, reported);
  for (size_t i = from; i < j->ndiags && s == OMEN_OK; i++) {
    omen_diag *d = &j->diags[i];
    const unit_file *u = NULL;
    for (size_t k = 0; k < nuf && !u; k++)
      if (strcmp(uf[k].f->path, d->loc.path) == 0)
        u = &uf[k];
    if (!u)
      continue; /* a read error: no text */
    if (!d->scope) {
      d->scope = u->lang == OMEN_LANG_GO ? omen_go_scope_at(u->root, u->f->text, d->loc.start)
                                         : omen_c_scope_at(u->tu, u->cx, d->loc.start);
    }
    omen_diag_fingerprint(d, u->f);
  }
  return s;
}

static void first_error(TSNode n, TSNode *out, bool *found) {
  if (*found || !ts_node_has_error(n))
    return;
  if (ts_node_is_missing(n) || strcmp(ts_node_type(n), "ERROR") == 0) {
    *out = n;
    *found = true;
    return;
  }
  uint32_t k = ts_node_child_count(n);
  for (uint32_t i = 0; i < k && !*found; i++)
    first_error(ts_node_child(n, i), out, found);
}

static void report_read_error(job *j, omen_unit *u, const char *path, const char *why, FILE *log) {
  if (log)
    fprintf(log, "omen: %s: %s\n", path, why);
  omen_file *f = omen_file_new(path, "", 0);
  if (!f)
    return;
  char msg[600];
  snprintf(msg, sizeof msg, "not analyzed: %s", why);
  omen_unit_report(u, &omen_rule_read_error, f, 0, 0, msg);
  const omen_file *files[1] = {f};
  collect(j, u, files, 0);
  omen_file_free(f);
  (void)files;
}

static const char *go_package_name(const omen_go_file *g) {
  TSNode root = g->root;
  uint32_t n = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(root, i);
    if (strcmp(ts_node_type(c), "package_clause") == 0) {
      TSNode id = ts_node_named_child(c, 0);
      if (!ts_node_is_null(id))
        return g->file->text + ts_node_start_byte(id); /* not NUL-terminated: see pkg_len */
    }
  }
  return NULL;
}

static size_t pkg_len(const char *p) {
  size_t n = 0;
  while (p && (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
               (p[n] >= '0' && p[n] <= '9') || (unsigned char)p[n] >= 0x80))
    n++;
  return n;
}

static bool canceled(const run *r) {
  return r->opt->cancel && atomic_load_explicit(r->opt->cancel, memory_order_relaxed);
}

static omen_status run_go(run *r, worker *w, job *j) {
  omen_file **files = calloc(j->nfiles, sizeof *files);
  omen_go_file *gf = calloc(j->nfiles, sizeof *gf);
  const char **pkgs = calloc(j->nfiles, sizeof *pkgs);
  omen_arena **scan_arenas = calloc(j->nfiles, sizeof *scan_arenas);
  void ***scans = calloc(j->nfiles, sizeof *scans);
  omen_status s = (files && gf && pkgs && scan_arenas && scans) ? OMEN_OK : OMEN_ENOMEM;
  size_t ngf = 0;
  omen_unit eu = {0};
  eu.lang = OMEN_LANG_GO;
  for (size_t i = 0; i < j->nfiles && s == OMEN_OK; i++) {
    char why[512];
    omen_file *f = NULL;
    omen_status rs = omen_reader_read(r->reader, j->files[i], &f, why, sizeof why);
    if (rs == OMEN_ENOMEM) {
      s = rs;
      break;
    }
    if (rs != OMEN_OK) {
      report_read_error(j, &eu, j->files[i], why, r->opt->log);
      continue;
    }
    if (!j->generated && omen_go_generated(f->text, f->len)) {
      j->ngenerated++;
      omen_file_free(f);
      continue;
    }
    double t0 = omen_thread_seconds();
    TSTree *t = ts_parser_parse_string(w->parser, NULL, f->text, f->len);
    w->seconds[r->norder] += omen_thread_seconds() - t0;
    if (!t) {
      report_read_error(j, &eu, j->files[i], "tree-sitter could not parse it", r->opt->log);
      omen_file_free(f);
      continue;
    }
    files[ngf] = f;
    gf[ngf].file = f;
    gf[ngf].tree = t;
    gf[ngf].root = ts_tree_root_node(t);
    pkgs[ngf] = go_package_name(&gf[ngf]);
    /* analyzers that scan files do it now, while the new tree is still in cache */
    s = omen_unit_scan(r->order, r->norder, j->enabled, &gf[ngf], &scan_arenas[ngf], &scans[ngf], w->seconds);
    ngf++;
  }
  /* group files by package clause: one unit per package */
  bool *done = calloc(ngf + 1, sizeof *done);
  if (!done)
    s = OMEN_ENOMEM;
  for (size_t i = 0; i < ngf && s == OMEN_OK; i++) {
    if (done[i])
      continue;
    omen_unit u = {0};
    u.lang = OMEN_LANG_GO;
    u.arena = omen_arena_new();
    u.gofiles = calloc(ngf, sizeof *u.gofiles);
    u.scans = calloc(ngf, sizeof *u.scans);
    u.bad = calloc(ngf, sizeof *u.bad);
    u.nbad = calloc(ngf, sizeof *u.nbad);
    const omen_file **ufiles = calloc(ngf, sizeof *ufiles);
    if (!u.arena || !u.gofiles || !u.scans || !u.bad || !u.nbad || !ufiles) {
      s = OMEN_ENOMEM;
    } else {
      size_t li = pkg_len(pkgs[i]);
      u.pkg = omen_arena_strndup(u.arena, pkgs[i] ? pkgs[i] : "", li);
      u.dir = j->dir;
      for (size_t k = i; k < ngf; k++) {
        size_t lk = pkg_len(pkgs[k]);
        if (done[k] || lk != li || (li && memcmp(pkgs[k], pkgs[i], li) != 0))
          continue;
        done[k] = true;
        ufiles[u.ngofiles] = gf[k].file;
        u.scans[u.ngofiles] = scans[k];
        u.gofiles[u.ngofiles++] = gf[k];
      }
      for (size_t k = 0; k < u.ngofiles && s == OMEN_OK; k++) {
        TSNode root = u.gofiles[k].root;
        if (!ts_node_has_error(root))
          continue;
        TSNode e = root;
        bool found = false;
        first_error(root, &e, &found);
        uint32_t nc = ts_node_child_count(root);
        u.bad[k] = omen_arena_alloc(u.arena, sizeof(omen_range) * (nc + 1));
        if (!u.bad[k]) {
          s = OMEN_ENOMEM;
          break;
        }
        for (uint32_t c = 0; c < nc; c++) {
          TSNode ch = ts_node_child(root, c);
          if (ts_node_has_error(ch) || ts_node_is_missing(ch))
            u.bad[k][u.nbad[k]++] = (omen_range){ts_node_start_byte(ch), ts_node_end_byte(ch) + 1};
        }
        char msg[256];
        if (ts_node_is_missing(e))
          snprintf(msg, sizeof msg,
                   "syntax error: missing '%s'; declarations containing errors were not analyzed",
                   ts_node_type(e));
        else
          snprintf(msg, sizeof msg, "syntax error; declarations containing errors were not analyzed");
        omen_unit_report(&u, &omen_rule_syntax_error, u.gofiles[k].file, ts_node_start_byte(e),
                         ts_node_end_byte(e), msg);
        if (r->opt->log)
          fprintf(r->opt->log, "omen: %s: syntax errors; some declarations not analyzed\n",
                  u.gofiles[k].file->path);
      }
      u.order = r->order;
      u.cfg = j->cfg;
      u.cancel = r->opt->cancel;
      u.seconds = w->seconds;
      u.norder = r->norder;
      u.facts = r->facts;
      u.unit_name = j->dir;
      if (s == OMEN_OK) {
        s = omen_unit_run(&u, j->enabled);
        if (s == OMEN_EINTERNAL)
          snprintf(j->err, sizeof j->err, "internal error while analyzing package %s in %s", u.pkg, j->dir);
      }
      size_t from = j->ndiags;
      omen_status cs = collect(j, &u, ufiles, u.ngofiles);
      if (s == OMEN_OK)
        s = cs;
      unit_file *uf = calloc(u.ngofiles + 1, sizeof *uf);
      if (!uf && s == OMEN_OK)
        s = OMEN_ENOMEM;
      for (size_t k = 0; uf && k < u.ngofiles; k++)
        uf[k] = (unit_file){u.gofiles[k].file, OMEN_LANG_GO, u.gofiles[k].root, NULL, NULL};
      if (s == OMEN_OK)
        s = finish_unit(r, j, from, uf, u.ngofiles);
      free(uf);
    }
    for (size_t k = 0; k < u.ndiags; k++) {
      omen_diag_clear(u.diags[k]);
      free(u.diags[k]);
    }
    free(u.diags);
    free(ufiles);
    free(u.gofiles);
    free(u.scans);
    free(u.bad);
    free(u.nbad);
    omen_arena_free(u.arena);
  }
  free(done);
  for (size_t i = 0; i < ngf; i++) {
    omen_arena_free(scan_arenas[i]);
    ts_tree_delete(gf[i].tree);
    omen_file_free(files[i]);
  }
  free(files);
  free(gf);
  free(pkgs);
  free(scan_arenas);
  free(scans);
  return s;
}

/* After the analyzers of C/C++ unit u ran (status s): its diagnostics move into j and are finished
 * while the TU is alive; u's memory is released. */
static omen_status c_unit_done(run *r, job *j, omen_unit *u, omen_status s) {
  const omen_file *files[1] = {u->cfile};
  size_t from = j->ndiags;
  omen_status cs = collect(j, u, files, 1);
  if (s == OMEN_OK)
    s = cs;
  unit_file uf = {u->cfile, j->lang, {{0}, NULL, NULL}, u->tu, u->tu ? u->cxmain : NULL};
  if (s == OMEN_OK)
    s = finish_unit(r, j, from, &uf, 1);
  for (size_t k = 0; k < u->ndiags; k++) {
    omen_diag_clear(u->diags[k]);
    free(u->diags[k]);
  }
  free(u->diags);
  u->diags = NULL;
  u->ndiags = 0;
  omen_arena_free(u->arena);
  u->arena = NULL;
  return s;
}

/* Reads the C/C++ file at path (the main file of j's TU, or a header) for unit u. A file that cannot
 * be read is reported on j and leaves *f NULL; only running out of memory is an error. */
static omen_status read_c_file(run *r, job *j, omen_unit *u, const char *path, omen_file **f) {
  char why[512];
  omen_status s = omen_reader_read(r->reader, path, f, why, sizeof why);
  if (s == OMEN_ENOMEM)
    return s;
  if (s != OMEN_OK) {
    *f = NULL;
    report_read_error(j, u, path, why, r->opt->log);
  }
  return OMEN_OK;
}

/* The analyzers of j once more on its parsed TU, with the project header file (display path disp)
 * as the focus file: what they see as "the main file" and report on. */
static omen_status run_header(run *r, worker *w, job *j, CXTranslationUnit tu, CXFile file,
                              const char *disp) {
  omen_file *hf = NULL;
  omen_unit u = {0};
  u.lang = j->lang;
  omen_status s = read_c_file(r, j, &u, disp, &hf);
  if (s != OMEN_OK || !hf)
    return s;
  size_t len = 0;
  const char *text = clang_getFileContents(tu, file, &len);
  if (!text || len != hf->len || memcmp(text, hf->text, len) != 0) {
    /* offsets would not agree: it changed on disk since clang read it */
    if (r->opt->log)
      fprintf(r->opt->log, "omen: %s: changed while being analyzed; not analyzed\n", disp);
    omen_file_free(hf);
    return OMEN_OK;
  }
  j->nheaders++;
  u.arena = omen_arena_new();
  u.tu = tu;
  u.cfile = hf;
  u.cxmain = file;
  u.order = r->order;
  u.norder = r->norder;
  u.cfg = j->cfg;
  u.cancel = r->opt->cancel;
  u.seconds = w->seconds;
  s = u.arena ? omen_unit_run(&u, j->enabled) : OMEN_ENOMEM;
  if (s == OMEN_EINTERNAL)
    snprintf(j->err, sizeof j->err, "internal error while analyzing %s", disp);
  s = c_unit_done(r, j, &u, s);
  omen_file_free(hf);
  return s;
}

/* The project headers j's TU includes that no other unit of the run claimed yet: each is analyzed
 * here, once per run, whichever TU gets to it first. System headers never are. */
static omen_status run_headers(run *r, worker *w, job *j, CXTranslationUnit tu) {
  inclusions *in = malloc(sizeof *in);
  if (!in)
    return OMEN_ENOMEM;
  in->n = 0;
  in->tu = tu;
  clang_getInclusions(tu, on_inclusion, in);
  omen_status s = OMEN_OK;
  for (size_t i = 0; i < in->n && s == OMEN_OK; i++) {
    CXFile file = in->v[i];
    CXString name = clang_getFileName(file);
    const char *ns = clang_getCString(name);
    char *abs = ns && *ns ? omen_abspath(ns) : NULL, *disp = NULL;
    clang_disposeString(name);
    if (abs && project_header(r, j->cfg, abs, &disp)) {
      char *real = realpath(abs, NULL);
      pthread_mutex_lock(&r->mu);
      int c = claim(r, real ? real : abs);
      pthread_mutex_unlock(&r->mu);
      free(real);
      if (c < 0)
        s = OMEN_ENOMEM;
      else if (c > 0)
        s = run_header(r, w, j, tu, file, disp);
    }
    free(abs);
    free(disp);
  }
  free(in);
  return s;
}

static omen_status run_c(run *r, worker *w, job *j) {
  const char *path = j->files[0];
  omen_file *f = NULL;
  omen_unit u = {0};
  u.lang = j->lang;
  omen_status s = read_c_file(r, j, &u, path, &f);
  if (s != OMEN_OK || !f)
    return s;
  u.cfile = f;
  if (!w->index)
    w->index = clang_createIndex(0, 0);
  char *abs = omen_abspath(path);
  size_t nov = omen_reader_noverlays(r->reader);
  struct CXUnsavedFile *uf = calloc(nov + 1, sizeof *uf);
  const char **args = calloc(j->nargs + 2, sizeof *args);
  if (!abs || !uf || !args || !w->index) {
    free(abs);
    free(uf);
    free(args);
    omen_file_free(f);
    return OMEN_ENOMEM;
  }
  /* the main file as read (so analysis and offsets agree), then other editor overlays */
  size_t nuf = 0;
  uf[nuf++] = (struct CXUnsavedFile){abs, f->text, f->len};
  for (size_t i = 0; i < nov; i++) {
    const char *op, *ot;
    size_t ol;
    omen_reader_overlay(r->reader, i, &op, &ot, &ol);
    if (strcmp(op, abs) != 0)
      uf[nuf++] = (struct CXUnsavedFile){op, ot, (unsigned long)ol};
  }
  size_t na = 0;
  for (size_t i = 0; i < j->nargs; i++)
    args[na++] = j->args[i];
  args[na++] = "-w";
  CXTranslationUnit tu = NULL;
  if (canceled(r)) {
    free(abs);
    free(uf);
    free(args);
    omen_file_free(f);
    return OMEN_ECANCELED;
  }
  double t0 = omen_thread_seconds();
  enum CXErrorCode ec = clang_parseTranslationUnit2(w->index, abs, args, (int)na, uf, (unsigned)nuf,
                                                    CXTranslationUnit_KeepGoing, &tu);
  w->seconds[r->norder + 1] += omen_thread_seconds() - t0;
  if (ec != CXError_Success || !tu) {
    char m[256];
    snprintf(m, sizeof m, "clang could not parse this translation unit (libclang error %d); not analyzed",
             (int)ec);
    if (r->opt->log)
      fprintf(r->opt->log, "omen: %s: %s\n", path, m);
    omen_unit_report(&u, &omen_rule_compile_error, f, 0, 0, m);
  } else {
    u.arena = omen_arena_new();
    u.tu = tu;
    u.cxmain = clang_getFile(tu, abs);
    u.order = r->order;
    u.cfg = j->cfg;
    u.cancel = r->opt->cancel;
    u.seconds = w->seconds;
    u.norder = r->norder;
    u.facts = r->facts;
    u.unit_name = path;
    j->text_len = f->len;
    /* first error, once per TU */
    unsigned nd = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < nd; i++) {
      CXDiagnostic d = clang_getDiagnostic(tu, i);
      enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
      if (sev >= CXDiagnostic_Error) {
        CXString sp = clang_getDiagnosticSpelling(d);
        CXFile df;
        unsigned line, col, off;
        clang_getFileLocation(clang_getDiagnosticLocation(d), &df, &line, &col, &off);
        char m[700];
        uint32_t at = 0;
        if (df && u.cxmain && clang_File_isEqual(df, u.cxmain)) {
          at = off;
          snprintf(m, sizeof m, "compile error, analysis may be incomplete: %s", clang_getCString(sp));
        } else {
          CXString fn = clang_getFileName(df);
          snprintf(m, sizeof m, "compile error in %s:%u, analysis may be incomplete: %s",
                   df ? clang_getCString(fn) : "<command line>", line, clang_getCString(sp));
          clang_disposeString(fn);
        }
        clang_disposeString(sp);
        clang_disposeDiagnostic(d);
        if (!j->alone) /* a header alone need not compile: it relies on what its includers include first */
          omen_unit_report(&u, &omen_rule_compile_error, f, at, at, m);
        if (r->opt->log)
          fprintf(r->opt->log, "omen: %s: %s\n", path, m);
        break;
      }
      clang_disposeDiagnostic(d);
    }
    if (!u.arena)
      s = OMEN_ENOMEM;
    else {
      s = omen_unit_run(&u, j->enabled);
      if (s == OMEN_EINTERNAL)
        snprintf(j->err, sizeof j->err, "internal error while analyzing %s", path);
    }
  }
  s = c_unit_done(r, j, &u, s);
  if (s == OMEN_OK && tu)
    s = run_headers(r, w, j, tu);
  if (tu)
    clang_disposeTranslationUnit(tu);
  omen_file_free(f);
  free(abs);
  free(uf);
  free(args);
  return s;
}

static void *work(void *arg) {
  run *r = arg;
  worker w = {0};
  w.parser = ts_parser_new();
  w.seconds = calloc(r->norder + 2, sizeof *w.seconds);
  bool ok = w.parser && w.seconds && ts_parser_set_language(w.parser, omen_go_language());
  for (;;) {
    pthread_mutex_lock(&r->mu);
    size_t i = r->next++;
    pthread_mutex_unlock(&r->mu);
    if (i >= r->js.n)
      break;
    job *j = &r->js.v[i];
    if (!ok) {
      j->status = OMEN_ENOMEM;
      continue;
    }
    if (canceled(r)) {
      j->status = OMEN_ECANCELED;
      continue;
    }
    j->status = j->lang == OMEN_LANG_GO ? run_go(r, &w, j) : run_c(r, &w, j);
    if (r->opt->progress) {
      pthread_mutex_lock(&r->mu);
      r->done++;
      r->opt->progress(r->opt->progress_ctx, r->done, r->js.n,
                       j->lang == OMEN_LANG_GO ? j->dir : j->files[0]);
      pthread_mutex_unlock(&r->mu);
    }
  }
  ts_parser_delete(w.parser);
  if (w.index)
    clang_disposeIndex(w.index);
  pthread_mutex_lock(&r->mu);
  for (size_t i = 0; w.seconds && i < r->norder + 2; i++)
    r->seconds[i] += w.seconds[i];
  pthread_mutex_unlock(&r->mu);
  free(w.seconds);
  return NULL;
}

/* ---------- the run-level phase ---------- */

enum { MAX_RUN_FILES = 100000 };

/* Files the finish hooks asked for, read once each (f NULL: unreadable or changed). */
typedef struct run_file {
  char *path;
  omen_file *f;
} run_file;

typedef struct run_files {
  run *r;
  run_file *v;
  size_t n;
} run_files;

/* The job whose unit holds file path (a C/C++ main file, a file of a Go package), or NULL. */
static job *job_of_path(run *r, const char *path) {
  for (size_t i = 0; i < r->js.n; i++) {
    job *j = &r->js.v[i];
    for (size_t k = 0; k < j->nfiles; k++)
      if (strcmp(j->files[k], path) == 0)
        return j;
  }
  return NULL;
}

static const omen_file *run_file_get(void *ctx, const char *path) {
  run_files *rf = ctx;
  for (size_t i = 0; i < rf->n; i++)
    if (strcmp(rf->v[i].path, path) == 0)
      return rf->v[i].f;
  job *j = job_of_path(rf->r, path);
  if (!j || rf->n == MAX_RUN_FILES)
    return NULL; /* only the files of this run's units */
  run_file *nv = realloc(rf->v, (rf->n + 1) * sizeof *nv);
  if (!nv)
    return NULL;
  rf->v = nv;
  run_file *e = &nv[rf->n];
  e->path = strdup(path);
  e->f = NULL;
  if (!e->path)
    return NULL;
  rf->n++;
  char why[512];
  if (omen_reader_read(rf->r->reader, path, &e->f, why, sizeof why) != OMEN_OK)
    e->f = NULL;
  else if (j->lang != OMEN_LANG_GO && e->f->len != j->text_len) { /* edited since: offsets are stale */
    omen_file_free(e->f);
    e->f = NULL;
  }
  return e->f;
}

static void run_files_free(run_files *rf) {
  for (size_t i = 0; i < rf->n; i++) {
    free(rf->v[i].path);
    omen_file_free(rf->v[i].f);
  }
  free(rf->v);
}

/* Moves the finish hook's diagnostics of u into the jobs of their files, through the configuration
 * of each (severity; dropped when the rule is off there, or the analyzer does not run there). */
static omen_status place_run_diags(run *r, run_files *rf, omen_unit *u) {
  omen_status s = OMEN_OK;
  for (size_t i = 0; i < u->ndiags; i++) {
    omen_diag *d = u->diags[i];
    job *j = job_of_path(r, d->loc.path);
    const omen_file *f = j ? run_file_get(rf, d->loc.path) : NULL;
    omen_severity sev = d->severity;
    bool keep = s == OMEN_OK && f && rule_live(r, j, d->rule, d->loc.path) &&
                (!j->cfg || omen_config_rule_severity(j->cfg, d->loc.path, d->rule, &sev));
    omen_diag *nd = keep ? realloc(j->diags, (j->ndiags + 1) * sizeof *nd) : NULL;
    if (keep && !nd)
      s = OMEN_ENOMEM;
    if (nd) {
      j->diags = nd;
      d->severity = sev;
      omen_diag_drop_empty_fixes(d);
      for (size_t k = 0; k < d->nfixes && s == OMEN_OK; k++)
        if (strcmp(d->fixes[k].path, f->path) == 0)
          s = snapshot(j, f);
      if (j->run_from == SIZE_MAX)
        j->run_from = j->ndiags;
      j->diags[j->ndiags++] = *d;
    } else {
      omen_diag_clear(d);
    }
    free(d);
  }
  free(u->diags);
  u->diags = NULL;
  u->ndiags = u->capdiags = 0;
  return s;
}

/* After every unit ran: each enabled analyzer with a finish hook gets its facts and reports; then
 * suppressions (the directives that waited for this phase) and fingerprints of what it reported. */
static omen_status finish_run(run *r, char *err, size_t errlen) {
  omen_facts_sort(r->facts);
  run_files rf = {r, NULL, 0};
  omen_status s = OMEN_OK;
  for (size_t i = 0; i < r->norder && s == OMEN_OK; i++) {
    const omen_analyzer *a = r->order[i];
    if (!r->enabled[i] || !a->finish)
      continue;
    bool ran = false; /* on some unit of the run */
    for (size_t k = 0; k < r->js.n && !ran; k++)
      ran = (a->langs & r->js.v[k].lang) && r->js.v[k].enabled[i];
    if (!ran)
      continue;
    if (canceled(r)) {
      s = OMEN_ECANCELED;
      break;
    }
    omen_unit u = {0};
    u.lang = a->langs;
    u.arena = omen_arena_new();
    u.order = r->order;
    u.norder = r->norder;
    u.run_facts = omen_facts_of(r->facts, a, &u.nrun_facts);
    u.file_by_path = run_file_get;
    u.file_ctx = &rf;
    if (!u.arena) {
      s = OMEN_ENOMEM;
      break;
    }
    omen_pass pass = {&u, a, i};
    double t0 = omen_thread_seconds();
    s = a->finish(&pass);
    r->seconds[i] += omen_thread_seconds() - t0;
    if (s == OMEN_OK)
      s = u.status;
    if (s == OMEN_EINTERNAL)
      snprintf(err, errlen, "internal error in the run-level phase of %s", a->name);
    omen_status ps = place_run_diags(r, &rf, &u);
    if (s == OMEN_OK)
      s = ps;
    omen_arena_free(u.arena);
  }
  for (size_t i = 0; i < r->js.n && s == OMEN_OK; i++) {
    job *j = &r->js.v[i];
    if (j->run_from == SIZE_MAX && !j->deferred_ignores)
      continue;
    size_t from = j->run_from == SIZE_MAX ? j->ndiags : j->run_from;
    for (size_t k = 0; k < j->nfiles && s == OMEN_OK; k++) {
      const omen_file *f = run_file_get(&rf, j->files[k]);
      if (!f)
        continue;
      unit_file uf = {f, j->lang, {{0}, NULL, NULL}, NULL, NULL};
      size_t reported = j->ndiags;
      s = suppress(r, j, 0, &uf,
                   true); /* all of j's findings: a directive may have matched in either phase */
      configure(j, reported);
    }
    for (size_t k = from; k < j->ndiags && s == OMEN_OK; k++) {
      const omen_file *f = run_file_get(&rf, j->diags[k].loc.path);
      if (f)
        omen_diag_fingerprint(&j->diags[k], f);
    }
  }
  run_files_free(&rf);
  return s;
}

/* A header named on the command line that no TU of the run included, as a TU of its own: with the
 * flags (and the language, when its name allows) of the database entry nearest to it (the longest
 * common directory; the first of those), else with the defaults. */
static omen_status add_alone(run *r, const compdb *db, const char *path) {
  unsigned lang = omen_lang_of_header(path);
  char *abs = omen_abspath(path);
  if (!abs)
    return OMEN_ENOMEM;
  const cmd *best = NULL;
  size_t bestn = 0;
  for (size_t i = 0; i < db->n; i++) {
    unsigned el = omen_lang_of_path(db->v[i].abs);
    if (!el || el == OMEN_LANG_GO || (lang == OMEN_LANG_CPP && el != OMEN_LANG_CPP))
      continue;
    size_t n = 0, dir = 0;
    for (; abs[n] && abs[n] == db->v[i].abs[n]; n++)
      if (abs[n] == '/')
        dir = n + 1;
    if (dir > bestn) {
      best = &db->v[i];
      bestn = dir;
    }
  }
  free(abs);
  if (best)
    lang = omen_lang_of_path(best->abs);
  struct stat st;
  size_t before = r->js.n;
  omen_status s = add_c_job(r, path, lang, stat(path, &st) == 0 ? (size_t)st.st_size : 0);
  if (s != OMEN_OK || r->js.n == before)
    return s;
  job *j = &r->js.v[r->js.n - 1];
  j->alone = true;
  if (!best)
    return default_args(j);
  for (size_t k = 0; k < best->nargs; k++)
    if (!push_str(&j->args, &j->nargs, best->args[k]))
      return OMEN_ENOMEM;
  /* last, so it wins: a .h is a C or C++ header as its neighbour is a C or C++ file */
  return push_str(&j->args, &j->nargs, "-x") &&
                 push_str(&j->args, &j->nargs, lang == OMEN_LANG_C ? "c" : "c++")
             ? OMEN_OK
             : OMEN_ENOMEM;
}

/* Runs jobs [from, n) of r in opt->jobs workers (the calling thread is one of them). */
static omen_status run_pool(run *r, size_t from) {
  unsigned nj = r->opt->jobs;
  if (nj == 0) {
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    nj = c > 0 ? (unsigned)c : 1;
  }
  if (nj > r->js.n - from)
    nj = r->js.n > from ? (unsigned)(r->js.n - from) : 1;
  if (nj > 256)
    nj = 256;
  pthread_t *th = calloc(nj, sizeof *th);
  if (!th)
    return OMEN_ENOMEM;
  r->next = from;
  unsigned started = 0;
  for (unsigned i = 1; i < nj; i++) {
    if (pthread_create(&th[i], NULL, work, r) != 0)
      break;
    started++;
  }
  work(r);
  for (unsigned i = 1; i <= started; i++)
    pthread_join(th[i], NULL);
  free(th);
  return OMEN_OK;
}

/* ---------- aggregation ---------- */

static int cmp_diag(const void *a, const void *b) {
  const omen_diag *x = a, *y = b;
  int c = strcmp(x->loc.path, y->loc.path);
  if (c)
    return c;
  if (x->loc.start_pos.line != y->loc.start_pos.line)
    return x->loc.start_pos.line < y->loc.start_pos.line ? -1 : 1;
  if (x->loc.start_pos.col != y->loc.start_pos.col)
    return x->loc.start_pos.col < y->loc.start_pos.col ? -1 : 1;
  c = strcmp(x->rule->id, y->rule->id);
  if (c)
    return c;
  if (x->loc.end != y->loc.end)
    return x->loc.end < y->loc.end ? -1 : 1;
  return strcmp(x->message, y->message);
}

void omen_diags_sort_dedupe(omen_diag *diags, size_t *n) {
  if (*n == 0)
    return;
  qsort(diags, *n, sizeof *diags, cmp_diag);
  size_t o = 1;
  for (size_t i = 1; i < *n; i++) {
    if (cmp_diag(&diags[o - 1], &diags[i]) == 0) {
      omen_diag_clear(&diags[i]);
      continue;
    }
    diags[o++] = diags[i];
  }
  *n = o;
}

static int cmp_snap(const void *a, const void *b) {
  return strcmp(((const omen_snapshot *)a)->path, ((const omen_snapshot *)b)->path);
}

const omen_snapshot *omen_result_snapshot(const omen_result *res, const char *path) {
  omen_snapshot key = {(char *)path, NULL, 0};
  return bsearch(&key, res->snapshots, res->nsnapshots, sizeof key, cmp_snap);
}

void omen_result_free(omen_result *res) {
  if (!res)
    return;
  for (size_t i = 0; i < res->ndiags; i++)
    omen_diag_clear(&res->diags[i]);
  free(res->diags);
  for (size_t i = 0; i < res->nsnapshots; i++) {
    free(res->snapshots[i].path);
    free(res->snapshots[i].text);
  }
  free(res->snapshots);
  free(res->timings);
  memset(res, 0, sizeof *res);
}

/* ---------- enable/disable ---------- */

static bool config_on(const omen_config *c, const char *name) {
  return !c || omen_config_analyzer_on(c, name);
}

/* The analyzers that run under configuration c (NULL: none), into on[] (parallel to the order): the
 * command line's --enable list, else what c switches on (its enable list, or all it does not
 * disable); then what those require; then off what --disable names. */
static omen_status mask_for(run *r, const omen_config *c, bool *on, char *err, size_t errlen) {
  const omen_options *o = r->opt;
  for (size_t k = 0; k < r->norder; k++)
    on[k] = o->nenable == 0 && config_on(c, r->order[k]->name);
  for (size_t i = 0; i < o->nenable; i++)
    for (size_t k = 0; k < r->norder; k++)
      if (strcmp(r->order[k]->name, o->enable[i]) == 0)
        on[k] = true;
  /* requirements of enabled analyzers: walk the order backwards (dependents come later) */
  for (size_t k = r->norder; k > 0; k--) {
    const omen_analyzer *a = r->order[k - 1];
    if (!on[k - 1])
      continue;
    for (size_t q = 0; a->requires && a->requires[q]; q++)
      for (size_t m = 0; m < r->norder; m++)
        if (r->order[m] == a->requires[q])
          on[m] = true;
  }
  for (size_t i = 0; i < o->ndisable; i++)
    for (size_t k = 0; k < r->norder; k++)
      if (strcmp(r->order[k]->name, o->disable[i]) == 0)
        on[k] = false;
  for (size_t k = 0; k < r->norder; k++) {
    const omen_analyzer *a = r->order[k];
    if (!on[k])
      continue;
    for (size_t q = 0; a->requires && a->requires[q]; q++) {
      for (size_t m = 0; m < r->norder; m++) {
        if (r->order[m] == a->requires[q] && !on[m]) {
          snprintf(err, errlen, "cannot disable %s: %s requires it (disable %s too)", r->order[m]->name,
                   a->name, a->name);
          return OMEN_EUSAGE;
        }
      }
    }
  }
  if (c && o->nenable == 0) { /* the configuration disabled something another analyzer needs */
    for (size_t k = 0; k < r->norder; k++) {
      if (!on[k] || config_on(c, r->order[k]->name))
        continue;
      for (size_t m = 0; m < r->norder; m++) {
        const omen_analyzer *a = r->order[m];
        for (size_t q = 0; on[m] && a->requires && a->requires[q]; q++) {
          if (a->requires[q] == r->order[k]) {
            snprintf(err, errlen, "%s: cannot disable %s: %s requires it (disable %s too)",
                     omen_config_path(c), r->order[k]->name, a->name, a->name);
            return OMEN_EUSAGE;
          }
        }
      }
    }
  }
  return OMEN_OK;
}

static omen_status select_analyzers(run *r, char *err, size_t errlen) {
  const omen_options *o = r->opt;
  const char *const *lists[2] = {o->enable, o->disable};
  size_t counts[2] = {o->nenable, o->ndisable};
  for (int l = 0; l < 2; l++) {
    for (size_t i = 0; i < counts[l]; i++) {
      if (!omen_registry_find(lists[l][i])) {
        snprintf(err, errlen, "unknown analyzer '%s' (see 'omen analyzers')", lists[l][i]);
        return OMEN_EUSAGE;
      }
    }
  }
  return mask_for(r, NULL, r->enabled, err, errlen);
}

/* The configuration entry governing path (a file or directory): with --no-config, or when no
 * .omen.yml is found above it, the entry without configuration; with --config, that file's. Loads
 * each file once. NULL after a configuration error (r->cfg_err says which). Main thread only. */
static cfg_entry *cfg_for(run *r, const char *path) {
  if (r->cfg_err)
    return NULL;
  if (r->memo_dir && strcmp(r->memo_dir, path) == 0)
    return &r->cfgs[r->memo_idx];
  const omen_options *o = r->opt;
  char found[4096];
  const char *want = NULL;
  if (o->no_config)
    want = NULL;
  else if (o->config_file)
    want = o->config_file;
  else if (omen_config_find(path, found, sizeof found))
    want = found;
  char *abs = want ? omen_abspath(want) : NULL;
  if (want && !abs) {
    r->cfg_err = strdup(want);
    return NULL;
  }
  for (size_t i = 0; i < r->ncfgs; i++) {
    if (abs ? r->cfgs[i].path && strcmp(r->cfgs[i].path, abs) == 0 : !r->cfgs[i].path) {
      free(abs);
      return &r->cfgs[i];
    }
  }
  cfg_entry *nv = realloc(r->cfgs, (r->ncfgs + 1) * sizeof *nv);
  char err[1024];
  err[0] = '\0';
  if (!nv) {
    free(abs);
    r->cfg_err = strdup("out of memory");
    return NULL;
  }
  r->cfgs = nv;
  cfg_entry *e = &nv[r->ncfgs];
  memset(e, 0, sizeof *e);
  e->path = abs;
  omen_status st = abs ? omen_config_load(want, &e->cfg, err, sizeof err) : OMEN_OK;
  if (st == OMEN_OK) {
    e->enabled = calloc(r->norder + 1, sizeof *e->enabled);
    st = e->enabled ? mask_for(r, e->cfg, e->enabled, err, sizeof err) : OMEN_ENOMEM;
  }
  r->ncfgs++; /* freed with the others, also when it failed */
  if (st != OMEN_OK) {
    r->cfg_err = strdup(err[0] ? err : omen_status_str(st));
    return NULL;
  }
  return e;
}

static void free_cfgs(run *r) {
  for (size_t i = 0; i < r->ncfgs; i++) {
    free(r->cfgs[i].path);
    omen_config_free(r->cfgs[i].cfg);
    free(r->cfgs[i].enabled);
  }
  free(r->cfgs);
  free(r->cfg_err);
  free(r->memo_dir);
}

/* Remembers that directory dir is governed by entry idx (out of memory: forgets; cfg_for searches). */
static void memo_set(run *r, const char *dir, size_t idx) {
  free(r->memo_dir);
  r->memo_dir = strdup(dir);
  r->memo_idx = idx;
}

/* The entry of directory dir, a subdirectory the walk enters from a directory governed by entry
 * parent (SIZE_MAX: none known): only a .omen.yml in dir itself can change it, so one stat instead of
 * a search up to the root. Remembered for the files the walk adds from dir. */
static cfg_entry *cfg_for_dir(run *r, const char *dir, size_t parent) {
  cfg_entry *e = NULL;
  if (parent != SIZE_MAX && !r->cfg_err && (r->opt->no_config || r->opt->config_file)) {
    e = &r->cfgs[parent];
  } else if (parent != SIZE_MAX && !r->cfg_err) {
    char *p = join(dir, OMEN_CONFIG_NAME);
    struct stat st;
    if (p && stat(p, &st) != 0)
      e = &r->cfgs[parent];
    free(p);
  }
  if (!e) {
    free(r->memo_dir); /* a fresh search: the memo must not answer it */
    r->memo_dir = NULL;
    e = cfg_for(r, dir);
  }
  if (!e)
    return NULL;
  size_t idx = (size_t)(e - r->cfgs);
  memo_set(r, dir, idx);
  return &r->cfgs[idx];
}

/* Points job j at the configuration governing path. */
static bool job_config(run *r, job *j, const char *path) {
  cfg_entry *e = cfg_for(r, path);
  if (!e)
    return false;
  j->cfg = e->cfg;
  j->enabled = e->enabled;
  bool gen = false;
  j->generated = r->opt->include_generated || (e->cfg && omen_config_include_generated(e->cfg, &gen) && gen);
  return true;
}

/* ---------- entry point ---------- */

omen_status omen_check(const omen_options *opt, omen_reader *reader, omen_result *res, char *err,
                       size_t errlen) {
  memset(res, 0, sizeof *res);
  err[0] = '\0';
  run r = {0};
  r.opt = opt;
  r.reader = reader;
  size_t nreg = omen_registry_count();
  r.order = calloc(nreg + 1, sizeof *r.order);
  r.enabled = calloc(nreg + 1, sizeof *r.enabled);
  r.seconds = calloc(nreg + 2, sizeof *r.seconds);
  if (!r.order || !r.enabled || !r.seconds) {
    free(r.order);
    free(r.enabled);
    free(r.seconds);
    return OMEN_ENOMEM;
  }
  omen_status s = omen_registry_sort(omen_registry, r.order, &r.norder, err, errlen);
  if (s == OMEN_OK)
    s = select_analyzers(&r, err, errlen);
  compdb db = {0};
  if (s == OMEN_OK)
    s = load_compdb(opt, &db, err, errlen);

  /* expand paths */
  char **roots = calloc(opt->npaths + 1, sizeof *roots);
  size_t nroots = 0;
  const char *dot = ".";
  const char *const *paths = opt->npaths ? opt->paths : &dot;
  size_t npaths = opt->npaths ? opt->npaths : 1;
  if (!roots && s == OMEN_OK)
    s = OMEN_ENOMEM;
  for (size_t i = 0; i < npaths && s == OMEN_OK; i++) {
    char *p = strdup(paths[i]);
    if (!p) {
      s = OMEN_ENOMEM;
      break;
    }
    size_t n = strlen(p);
    if (n >= 3 && strcmp(p + n - 3, "...") == 0) { /* "./..." and "dir/..." as in Go tools */
      p[n - 3] = '\0';
      if (n > 3 && p[n - 4] == '/')
        p[n - 4] = '\0';
      if (!*p)
        strcpy(p, ".");
    }
    char *disp = display_path(p);
    free(p);
    if (!disp || !*disp) {
      free(disp);
      disp = strdup(".");
      if (!disp) {
        s = OMEN_ENOMEM;
        break;
      }
    }
    struct stat st;
    bool on_disk = stat(disp, &st) == 0;
    if (!on_disk && omen_reader_has_overlay(reader, disp) && omen_lang_of_path(disp)) {
      memset(&st, 0, sizeof st); /* an editor buffer never saved: a file that exists only in memory */
      st.st_mode = S_IFREG;
    } else if (!on_disk) {
      snprintf(err, errlen, "%s: no such file or directory", disp);
      free(disp);
      s = OMEN_EUSAGE;
      break;
    }
    roots[nroots] = omen_abspath(disp);
    if (!roots[nroots]) {
      free(disp);
      s = OMEN_ENOMEM;
      break;
    }
    /* headers under a named directory, or beside a named file, are the project's */
    char *hr = strdup(roots[nroots]);
    char *slash = hr && !S_ISDIR(st.st_mode) ? strrchr(hr, '/') : NULL;
    if (slash)
      slash[slash == hr] = '\0';
    if (!hr || !push_str(&r.hroots, &r.nhroots, hr))
      s = OMEN_ENOMEM;
    free(hr);
    nroots++;
    const cfg_entry *ce = S_ISDIR(st.st_mode) ? NULL : cfg_for(&r, disp);
    if (S_ISDIR(st.st_mode))
      s = walk(&r, disp, 0, SIZE_MAX);
    else if (!ce)
      s = OMEN_EUSAGE;
    else if (ce->cfg && omen_config_excluded(ce->cfg, disp))
      ; /* named, but the configuration excludes it (pre-commit passes every staged file) */
    else if (omen_lang_of_path(disp) == OMEN_LANG_GO)
      s = add_package_of(&r, disp);
    else if (omen_lang_of_path(disp))
      s = add_file(&r, disp, ADD_NAMED);
    else if (omen_lang_of_header(disp))
      s = push_str(&r.named_h, &r.nnamed_h, disp) ? OMEN_OK : OMEN_ENOMEM;
    else if (opt->log)
      fprintf(opt->log, "omen: %s: not a Go, C or C++ source file, skipped\n", disp);
    free(disp);
  }
  /* compile database entries under the roots become units; walked C files take their flags */
  for (size_t i = 0; i < db.n && s == OMEN_OK; i++) {
    if (!omen_lang_of_path(db.v[i].abs) || !in_roots(opt, roots, nroots, db.v[i].abs))
      continue;
    char *disp = relative_to_cwd(db.v[i].abs);
    if (!disp) {
      s = OMEN_ENOMEM;
      break;
    }
    s = add_file(&r, disp, ADD_WALKED);
    free(disp);
  }
  for (size_t i = 0; i < r.js.n && s == OMEN_OK; i++) {
    job *j = &r.js.v[i];
    if (j->lang == OMEN_LANG_GO)
      continue;
    const cmd *c = NULL;
    for (size_t k = 0; k < db.n && !c; k++)
      if (strcmp(db.v[k].abs, j->abs) == 0)
        c = &db.v[k];
    if (c) {
      for (size_t k = 0; k < c->nargs && s == OMEN_OK; k++)
        if (!push_str(&j->args, &j->nargs, c->args[k]))
          s = OMEN_ENOMEM;
    } else {
      s = default_args(j);
    }
  }
  for (size_t i = 0; i < nroots; i++)
    free(roots[i]);
  free(roots);
  if (s == OMEN_ELIMIT)
    snprintf(err, errlen, "more than %d source files; name fewer paths", MAX_WALK_FILES);
  if (r.cfg_err) {
    snprintf(err, errlen, "%s", r.cfg_err);
    s = OMEN_EUSAGE;
  }
  if (s == OMEN_OK) { /* fail-on comes from the configuration of the first path */
    char first[4096];
    snprintf(first, sizeof first, "%s", paths[0]);
    size_t fl = strlen(first);
    if (fl >= 3 && strcmp(first + fl - 3, "...") == 0) /* "dir/..." */
      first[fl - 3] = '\0';
    const cfg_entry *ce = cfg_for(&r, first[0] ? first : ".");
    if (ce && ce->cfg)
      res->has_fail_on = omen_config_fail_on(ce->cfg, &res->fail_on);
    if (r.cfg_err) {
      snprintf(err, errlen, "%s", r.cfg_err);
      s = OMEN_EUSAGE;
    }
  }

  /* run; the output is sorted afterwards, so it does not depend on -j or on scheduling */
  for (size_t i = 0; i < r.norder && s == OMEN_OK && !r.facts; i++)
    if (r.enabled[i] && r.order[i]->finish && !(r.facts = omen_facts_new()))
      s = OMEN_ENOMEM;
  if (s == OMEN_OK) {
    if (r.js.n > 1)
      qsort(r.js.v, r.js.n, sizeof *r.js.v, cmp_cost);
    pthread_mutex_init(&r.mu, NULL);
    /* a file analyzed as a TU of its own is no header to analyze again (#include "x.c") */
    for (size_t i = 0; i < r.js.n && s == OMEN_OK; i++)
      if (r.js.v[i].lang != OMEN_LANG_GO && claim_path(&r, r.js.v[i].abs) < 0)
        s = OMEN_ENOMEM;
    if (s == OMEN_OK)
      s = run_pool(&r, 0);
    /* headers named on the command line that no TU of the run included: each parsed alone */
    size_t first = r.js.n;
    for (size_t i = 0; i < r.nnamed_h && s == OMEN_OK; i++) {
      char *abs = omen_abspath(r.named_h[i]);
      int c = abs ? claim_path(&r, abs) : -1;
      free(abs);
      if (c < 0)
        s = OMEN_ENOMEM;
      else if (c > 0)
        s = add_alone(&r, &db, r.named_h[i]);
    }
    if (s == OMEN_OK && r.js.n > first)
      s = run_pool(&r, first);
    pthread_mutex_destroy(&r.mu);
    bool failed = false;
    for (size_t i = 0; i < r.js.n && !failed; i++)
      failed = r.js.v[i].status != OMEN_OK;
    if (s == OMEN_OK && r.facts && !failed)
      s = finish_run(&r, err, errlen);
  }

  compdb_free(&db);

  /* aggregate */
  size_t total = 0, nsnap = 0;
  for (size_t i = 0; i < r.js.n; i++) {
    job *j = &r.js.v[i];
    if (s == OMEN_OK && j->status != OMEN_OK) {
      s = j->status;
      if (j->err[0])
        snprintf(err, errlen, "%s", j->err);
    }
    total += j->ndiags;
    nsnap += j->nsnaps;
    res->nfiles += j->nfiles - j->ngenerated + j->nheaders;
    res->ngenerated += j->ngenerated;
  }
  res->nunits = r.js.n;
  if (s == OMEN_OK) {
    res->diags = calloc(total + 1, sizeof *res->diags);
    res->snapshots = calloc(nsnap + 1, sizeof *res->snapshots);
    if (!res->diags || !res->snapshots)
      s = OMEN_ENOMEM;
  }
  for (size_t i = 0; i < r.js.n; i++) {
    job *j = &r.js.v[i];
    if (j->lang == OMEN_LANG_GO && !j->whole && j->nonly) { /* only Go files named on the command line */
      size_t o = 0;
      for (size_t k = 0; k < j->ndiags; k++) {
        bool named = false;
        for (size_t m = 0; m < j->nonly && !named; m++)
          named = strcmp(j->only[m], j->diags[k].loc.path) == 0;
        if (named)
          j->diags[o++] = j->diags[k];
        else
          omen_diag_clear(&j->diags[k]);
      }
      j->ndiags = o;
    }
    if (s == OMEN_OK) {
      if (j->ndiags)
        memcpy(res->diags + res->ndiags, j->diags, j->ndiags * sizeof *j->diags);
      res->ndiags += j->ndiags;
      j->ndiags = 0;
      if (j->nsnaps)
        memcpy(res->snapshots + res->nsnapshots, j->snaps, j->nsnaps * sizeof *j->snaps);
      res->nsnapshots += j->nsnaps;
      j->nsnaps = 0;
    }
    free_job(j);
  }
  free(r.js.v);
  if (s == OMEN_OK) {
    res->timings = calloc(r.norder + 2, sizeof *res->timings);
    if (!res->timings)
      s = OMEN_ENOMEM;
  }
  if (s == OMEN_OK) {
    res->timings[res->ntimings++] = (omen_timing){"parse Go (tree-sitter)", r.seconds[r.norder]};
    res->timings[res->ntimings++] = (omen_timing){"parse C/C++ (libclang)", r.seconds[r.norder + 1]};
    for (size_t i = 0; i < r.norder; i++)
      if (r.enabled[i])
        res->timings[res->ntimings++] = (omen_timing){r.order[i]->name, r.seconds[i]};
  }
  free(r.order);
  free(r.enabled);
  free(r.seconds);
  free_cfgs(&r);
  omen_facts_free(r.facts);
  for (size_t i = 0; i < r.nhroots; i++)
    free(r.hroots[i]);
  free(r.hroots);
  for (size_t i = 0; i < r.capclaimed; i++)
    free(r.claimed[i]);
  free(r.claimed);
  for (size_t i = 0; i < r.nnamed_h; i++)
    free(r.named_h[i]);
  free(r.named_h);
  if (s != OMEN_OK) {
    if (!err[0])
      snprintf(err, errlen, "%s", omen_status_str(s));
    omen_result_free(res);
    return s;
  }
  omen_diags_sort_dedupe(res->diags, &res->ndiags);
  qsort(res->snapshots, res->nsnapshots, sizeof *res->snapshots, cmp_snap);
  size_t o = 0;
  for (size_t i = 0; i < res->nsnapshots; i++) {
    if (o > 0 && strcmp(res->snapshots[o - 1].path, res->snapshots[i].path) == 0) {
      free(res->snapshots[i].path);
      free(res->snapshots[i].text);
      continue;
    }
    res->snapshots[o++] = res->snapshots[i];
  }
  res->nsnapshots = o;
  for (size_t i = 0; i < res->ndiags; i++) {
    if (res->diags[i].suppressed)
      res->nsuppressed++;
    else
      res->count[res->diags[i].severity]++;
  }
  return OMEN_OK;
}
