/* main.c - the omen command line: check, fix, explain, baseline, config, analyzers, rules, version. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "config.h"
#include "driver.h"
#include "fix.h"
#include "lsp.h"
#include "output.h"
#include "registry.h"
#include "rulepack.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

static const char usage_text[] =
    "usage: omen <command> [flags]\n"
    "\n"
    "commands:\n"
    "  check [flags] [PATH ...]   analyze Go packages and C/C++ files (default: .; ./... accepted)\n"
    "  fix [flags] [PATH ...]     apply safe fixes (check --fix); --diff previews, --unsafe-fixes widens\n"
    "  explain RULE               print a rule's documentation\n"
    "  baseline write FILE [flags] [PATH ...]\n"
    "                             record the current findings, for --baseline FILE later\n"
    "  config init [--force]      write a commented starter .omen.yml here\n"
    "  config show [--config FILE] [PATH]\n"
    "                             print the configuration in effect for PATH (default .)\n"
    "  analyzers                  list analyzers with their requirements, in run order\n"
    "  rules [--markdown]         list every rule id with severity and summary\n"
    "  rules check FILE...        validate rule files (YAML rules with tree-sitter queries)\n"
    "  rules test [FILE|DIR]...   run the examples of rule files (default: the shipped rules)\n"
    "  version                    print the version\n"
    "  lsp                        run the Language Server Protocol server on stdin/stdout\n"
    "\n"
    "check flags:\n"
    "  --format F                 text, json, sarif, github, gitlab or checkstyle (default text);\n"
    "                             repeat it to write several reports in one run\n"
    "  -o, --output FILE          write the report of the --format before it to FILE (default stdout)\n"
    "  --config FILE              use this configuration for every path (default: the nearest .omen.yml\n"
    "                             above each analyzed path)\n"
    "  --no-config                ignore .omen.yml files\n"
    "  --baseline FILE            report only findings absent from FILE (a JSON or SARIF report)\n"
    "  --write-baseline FILE      also write every current finding to FILE (JSON)\n"
    "  --new-from-rev REV         report only findings on lines added or changed since git revision REV\n"
    "  --omit-suppressed          leave findings suppressed in source out of SARIF and JSON too (GitHub\n"
    "                             code scanning ignores SARIF suppressions and would open alerts)\n"
    "  --enable A,B               run only these analyzers (and what they require)\n"
    "  --disable A,B              do not run these analyzers\n"
    "  --exclude GLOB             skip paths matching GLOB (repeatable)\n"
    "  --fail-on error|warning|note  lowest severity that makes the exit status 1 (default warning)\n"
    "  -j N                       analyze N units in parallel (default: number of cores)\n"
    "  -p DIR                     directory containing compile_commands.json\n"
    "  --rules FILE|DIR           also run the rules of these rule files (repeatable)\n"
    "  --no-default-rules         do not run the shipped rule pack\n"
    "  --diff                     print the fixes as a unified diff instead of a report\n"
    "  --fix                      apply safe fixes\n"
    "  --unsafe-fixes             with --fix or --diff, also use unsafe fixes\n"
    "  --include-generated        also analyze Go files marked \"Code generated ... DO NOT EDIT.\"\n"
    "  --stats                    print CPU time per stage and analyzer on stderr\n"
    "  -q, --quiet                no summary line, no progress, no messages about skipped files\n"
    "  --version, --help\n"
    "\n"
    "exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage, configuration or internal error\n";

typedef struct strv {
  const char **v;
  size_t n;
} strv;

static int push(strv *s, const char *x) {
  const char **nv = realloc(s->v, (s->n + 1) * sizeof *nv);
  if (!nv)
    return -1;
  s->v = nv;
  s->v[s->n++] = x;
  return 0;
}

/* splits a comma list in place into s */
static int push_list(strv *s, char *arg) {
  for (char *tok = strtok(arg, ","); tok; tok = strtok(NULL, ","))
    if (*tok && push(s, tok) != 0)
      return -1;
  return 0;
}

static int cmd_analyzers(void) {
  size_t n = omen_registry_count();
  const omen_analyzer **order = calloc(n + 1, sizeof *order);
  char err[512];
  if (!order || omen_registry_sort(omen_registry, order, &n, err, sizeof err) != OMEN_OK) {
    fprintf(stderr, "omen: registry: %s\n", order ? err : "out of memory");
    free(order);
    return EXIT_TROUBLE;
  }
  for (size_t i = 0; i < n; i++) {
    const omen_analyzer *a = order[i];
    bool go = a->langs & OMEN_LANG_GO, c = a->langs & OMEN_LANG_CFAMILY;
    const char *lang = go && c ? "any" : go ? "go" : "c/c++";
    printf("%-20s %-6s %s\n", a->name, lang, a->title);
    if (a->requires && a->requires[0]) {
      printf("%-20s        requires:", "");
      for (size_t k = 0; a->requires[k]; k++)
        printf(" %s", a->requires[k]->name);
      printf("\n");
    }
    if (a->rules && a->rules[0]) {
      printf("%-20s        reports:", "");
      for (size_t k = 0; a->rules[k]; k++)
        printf(" %s", a->rules[k]->id);
      printf("\n");
    }
  }
  free(order);
  return EXIT_CLEAN;
}

static void md_code(FILE *out, const char *lang, const char *code) {
  fprintf(out, "```%s\n%s\n```\n\n", strcmp(lang, "c/c++") == 0 ? "c" : lang, code);
}

/* One rule's section of docs/rules.md (and of omen explain). */
static void print_rule_md(FILE *out, const omen_rule *r) {
  const omen_analyzer *a = omen_rule_analyzer(r);
  fprintf(out, "<a id=\"%s\"></a>\n## %s\n\n%s.\n\n", r->id, r->id, r->summary);
  fprintf(out, "Default severity: %s. Confidence: %s. Language: %s. Reported by: %s.\n\n",
          omen_severity_str(r->severity), omen_confidence_str(r->confidence), r->lang, a ? a->name : "the engine");
  fprintf(out, "### What it does\n\n%s\n\n### Why it is bad\n\n%s\n\n", r->what, r->why);
  if (r->example && *r->example) {
    fprintf(out, "### Example\n\n");
    md_code(out, r->lang, r->example);
  }
  if (r->instead && *r->instead) {
    fprintf(out, "### Use instead\n\n");
    if (strchr(r->instead, '\n') || strchr(r->instead, '{'))
      md_code(out, r->lang, r->instead);
    else
      fprintf(out, "%s\n\n", r->instead);
  }
  fprintf(out, "### Fix\n\n%s\n\n", r->fix);
  if (r->options && r->options[0].name) {
    fprintf(out, "### Options\n\nSet in `.omen.yml` under `rules: {%s: {options: {...}}}`:\n\n", r->id);
    for (const omen_rule_option *o = r->options; o->name; o++)
      fprintf(out, "- `%s` (default `%s`): %s\n", o->name, o->def, o->doc);
    fprintf(out, "\n");
  }
  char fam[64];
  const char *slash = strchr(r->id, '/');
  snprintf(fam, sizeof fam, "%.*s", slash ? (int)(slash - r->id) : (int)strlen(r->id), r->id);
  if (strcmp(fam, "omen") == 0) {
    fprintf(out, "### How to suppress\n\nThe engine's own findings cannot be suppressed in source; switch the rule "
                 "off in `.omen.yml` (`rules: {%s: off}`) if you must.\n\n",
            r->id);
    return;
  }
  fprintf(out,
          "### How to suppress\n\nOn the line or the line above, with the reason: `//omen:ignore %s reason` "
          "(or the family, `//omen:ignore %s reason`)",
          r->id, fam);
  if (strcmp(r->lang, "go") != 0)
    fprintf(out, "; in C/C++ also `// NOLINT(omen-%s) reason`", r->id);
  fprintf(out, ". For a whole file: `//omen:file-ignore %s reason`. In `.omen.yml`: `rules: {%s: off}`, "
               "for some paths under `overrides`.",
          r->id, r->id);
  if (a)
    fprintf(out, " Or run without the analyzer: `omen check --disable %s`.", a->name);
  fprintf(out, "\n\n");
}

/* Loads the shipped rules (unless off) and the --rules paths into the process-wide pack. */
static bool load_rules(bool defaults, const strv *extra) {
  char err[1024];
  const char *dir = defaults ? omen_rulepack_default_dir() : NULL;
  if (dir && omen_rulepack_add(dir, err, sizeof err) != OMEN_OK) {
    fprintf(stderr, "omen: shipped rules: %s\n", err);
    return false;
  }
  for (size_t i = 0; extra && i < extra->n; i++) {
    if (omen_rulepack_add(extra->v[i], err, sizeof err) != OMEN_OK) {
      fprintf(stderr, "omen: --rules: %s\n", err);
      return false;
    }
  }
  return true;
}

/* omen rules check FILE... / omen rules test [FILE|DIR]... */
static int cmd_rules_files(int argc, char **argv, bool test) {
  bool verbose = false;
  strv paths = {0};
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
      verbose = true;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "omen: rules %s: unknown flag '%s'\n", argv[1], argv[i]);
      free(paths.v);
      return EXIT_TROUBLE;
    } else if (push(&paths, argv[i]) != 0) {
      free(paths.v);
      return EXIT_TROUBLE;
    }
  }
  const char *def = omen_rulepack_default_dir();
  if (paths.n == 0 && (!test || !def)) {
    fprintf(stderr, test ? "omen: rules test: no shipped rules found; name rule files or directories\n"
                         : "usage: omen rules check FILE...\n");
    return EXIT_TROUBLE;
  }
  if (paths.n == 0 && push(&paths, def) != 0)
    return EXIT_TROUBLE;
  int rc = EXIT_CLEAN;
  size_t nrules = 0, nfail = 0;
  for (size_t i = 0; i < paths.n; i++) {
    omen_pack *pk = omen_pack_new();
    char err[1024];
    if (!pk) {
      fprintf(stderr, "omen: out of memory\n");
      rc = EXIT_TROUBLE;
      break;
    }
    omen_status s = omen_pack_load(pk, paths.v[i], err, sizeof err);
    if (s == OMEN_OK && test) {
      size_t n = 0, f = 0;
      s = omen_pack_test(pk, stdout, verbose, &n, &f);
      nrules += n;
      nfail += f;
      if (s != OMEN_OK)
        snprintf(err, sizeof err, "%s: %s", paths.v[i], omen_status_str(s));
    } else if (s == OMEN_OK) {
      nrules += omen_pack_nrules(pk);
    }
    if (s != OMEN_OK) {
      fprintf(stderr, "%s\n", err);
      rc = s == OMEN_EIO || s == OMEN_ENOMEM ? EXIT_TROUBLE : EXIT_FINDINGS;
      if (rc == EXIT_TROUBLE) {
        omen_pack_free(pk);
        break;
      }
    }
    omen_pack_free(pk);
  }
  free(paths.v);
  if (rc != EXIT_TROUBLE && nfail)
    rc = EXIT_FINDINGS;
  if (test)
    printf("%zu rule%s, %zu failure%s\n", nrules, nrules == 1 ? "" : "s", nfail, nfail == 1 ? "" : "s");
  else if (rc == EXIT_CLEAN)
    printf("%zu rule%s ok\n", nrules, nrules == 1 ? "" : "s");
  return rc;
}

static int cmd_rules(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "test") == 0))
    return cmd_rules_files(argc, argv, strcmp(argv[1], "test") == 0);
  bool markdown = argc > 1 && strcmp(argv[1], "--markdown") == 0;
  if (argc > 1 && !markdown) {
    fprintf(stderr, "omen: rules: unknown argument '%s'\n", argv[1]);
    return EXIT_TROUBLE;
  }
  if (!load_rules(true, NULL))
    return EXIT_TROUBLE;
  size_t n;
  const omen_rule *const *all = omen_rules_all(&n);
  if (!all) {
    fprintf(stderr, "omen: out of memory\n");
    return EXIT_TROUBLE;
  }
  if (!markdown) {
    int w = 0; /* the widest id sets the column */
    for (size_t i = 0; i < n; i++)
      if ((int)strlen(all[i]->id) > w)
        w = (int)strlen(all[i]->id);
    for (size_t i = 0; i < n; i++)
      printf("%-*s  %-8s %s\n", w, all[i]->id, omen_severity_str(all[i]->severity), all[i]->summary);
    return EXIT_CLEAN;
  }
  printf("# omen rules\n\n"
         "<!-- Generated by `omen rules --markdown` from the rule table; do not edit by hand. -->\n\n"
         "Every finding carries a rule id `family/name`. `omen explain RULE` prints a rule's section. "
         "Findings are suppressed in source with a reason (`//omen:ignore RULE reason`, see "
         "[suppressions.md](suppressions.md)) and tuned per path in `.omen.yml` (see "
         "[configuration.md](configuration.md)).\n\n"
         "| rule | severity | confidence | analyzer | summary |\n|---|---|---|---|---|\n");
  for (size_t i = 0; i < n; i++) {
    const omen_analyzer *a = omen_rule_analyzer(all[i]);
    printf("| [`%s`](#%s) | %s | %s | %s | %s |\n", all[i]->id, all[i]->id, omen_severity_str(all[i]->severity),
           omen_confidence_str(all[i]->confidence), a ? a->name : "(engine)", all[i]->summary);
  }
  printf("\n");
  for (size_t i = 0; i < n; i++)
    print_rule_md(stdout, all[i]);
  return EXIT_CLEAN;
}

static int cmd_explain(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: omen explain RULE   (omen rules lists them)\n");
    return EXIT_TROUBLE;
  }
  if (!load_rules(true, NULL))
    return EXIT_TROUBLE;
  const omen_rule *r = omen_rule_find(argv[1]);
  if (r) {
    print_rule_md(stdout, r);
    return EXIT_CLEAN;
  }
  size_t n;
  const omen_rule *const *all = omen_rules_all(&n);
  fprintf(stderr, "omen: explain: no rule '%s'", argv[1]);
  const char *sep = "; did you mean: ";
  size_t shown = 0;
  for (size_t i = 0; all && i < n && shown < 8; i++) { /* ids containing what was typed */
    if (argv[1][0] && strstr(all[i]->id, argv[1])) {
      fprintf(stderr, "%s%s", sep, all[i]->id);
      sep = ", ";
      shown++;
    }
  }
  fprintf(stderr, "\n");
  return EXIT_TROUBLE;
}

static double wall_now(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The progress line on a terminal: shown once a run has taken half a second, redrawn at most ten
 * times a second, erased at the end. */
typedef struct progress {
  double start, last, delay;
  bool shown;
} progress;

static void progress_cb(void *ctx, size_t done, size_t total, const char *path) {
  progress *p = ctx;
  double now = mono_now();
  if (now - p->start < p->delay || (now - p->last < 0.1 && done < total))
    return;
  p->last = now;
  p->shown = true;
  size_t n = strlen(path);
  const char *tail = n > 60 ? path + n - 57 : path;
  fprintf(stderr, "\r\033[Komen: [%zu/%zu] %s%s", done, total, n > 60 ? "..." : "", tail);
  fflush(stderr);
}

static void progress_end(progress *p) {
  if (p->shown)
    fputs("\r\033[K", stderr);
  p->shown = false;
}

/* One report to write: a format and a file (NULL: stdout). */
typedef struct outspec {
  omen_format fmt;
  const char *path;
} outspec;

static void recount(omen_result *res) {
  memset(res->count, 0, sizeof res->count);
  res->nsuppressed = 0;
  for (size_t i = 0; i < res->ndiags; i++) {
    if (res->diags[i].suppressed)
      res->nsuppressed++;
    else
      res->count[res->diags[i].severity]++;
  }
}

static bool write_report(omen_format fmt, const char *path, const omen_result *res, const omen_output_opts *oo) {
  FILE *out = path ? fopen(path, "w") : stdout;
  if (!out) {
    fprintf(stderr, "omen: %s: cannot write: %s\n", path, strerror(errno));
    return false;
  }
  omen_status s = omen_write(fmt, out, res, oo);
  if (path && fclose(out) != 0 && s == OMEN_OK)
    s = OMEN_EIO;
  if (!path && fflush(out) != 0 && s == OMEN_OK)
    s = OMEN_EIO;
  if (s != OMEN_OK) {
    fprintf(stderr, "omen: writing the %s report%s%s: %s\n", omen_format_name(fmt), path ? " to " : "",
            path ? path : "", omen_status_str(s));
    return false;
  }
  return true;
}

typedef enum check_mode { MODE_CHECK, MODE_FIX, MODE_BASELINE } check_mode;

/* check, fix (mode FIX: --fix implied) and baseline write (mode BASELINE: baseline_out is the file). */
static int cmd_check(int argc, char **argv, check_mode mode, const char *baseline_out) {
  enum {
    O_FORMAT = 256,
    O_ENABLE,
    O_DISABLE,
    O_EXCLUDE,
    O_FAILON,
    O_DIFF,
    O_FIX,
    O_UNSAFE,
    O_GENERATED,
    O_STATS,
    O_CONFIG,
    O_NOCONFIG,
    O_BASELINE,
    O_WRITEBASE,
    O_NEWFROM,
    O_OMITSUP,
    O_RULES,
    O_NODEFRULES,
    O_VERSION,
    O_HELP
  };
  static const struct option longopts[] = {
      {"format", required_argument, NULL, O_FORMAT},
      {"output", required_argument, NULL, 'o'},
      {"enable", required_argument, NULL, O_ENABLE},
      {"disable", required_argument, NULL, O_DISABLE},
      {"exclude", required_argument, NULL, O_EXCLUDE},
      {"fail-on", required_argument, NULL, O_FAILON},
      {"diff", no_argument, NULL, O_DIFF},
      {"fix", no_argument, NULL, O_FIX},
      {"unsafe-fixes", no_argument, NULL, O_UNSAFE},
      {"quiet", no_argument, NULL, 'q'},
      {"include-generated", no_argument, NULL, O_GENERATED},
      {"stats", no_argument, NULL, O_STATS},
      {"config", required_argument, NULL, O_CONFIG},
      {"no-config", no_argument, NULL, O_NOCONFIG},
      {"baseline", required_argument, NULL, O_BASELINE},
      {"write-baseline", required_argument, NULL, O_WRITEBASE},
      {"new-from-rev", required_argument, NULL, O_NEWFROM},
      {"omit-suppressed", no_argument, NULL, O_OMITSUP},
      {"rules", required_argument, NULL, O_RULES},
      {"no-default-rules", no_argument, NULL, O_NODEFRULES},
      {"version", no_argument, NULL, O_VERSION},
      {"help", no_argument, NULL, O_HELP},
      {NULL, 0, NULL, 0},
  };
  outspec outs[16];
  size_t nouts = 0;
  strv enable = {0}, disable = {0}, exclude = {0}, rules = {0};
  bool default_rules = true;
  omen_severity fail_on = OMEN_SEV_WARNING;
  bool fail_on_given = false;
  bool diff = false, fix = mode == MODE_FIX, unsafe = false, quiet = false, generated = false, stats = false;
  bool no_config = false, omit_suppressed = false;
  const char *config = NULL, *baseline = NULL, *write_baseline = baseline_out, *new_from = NULL;
  long jobs = 0;
  const char *compdb = NULL;
  int c, rc = EXIT_TROUBLE;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:j:p:q", longopts, NULL)) != -1) {
    switch (c) {
    case O_FORMAT: {
      omen_format f;
      if (!omen_format_parse(optarg, &f)) {
        fprintf(stderr, "omen: --format: unknown format '%s' (text, json, sarif, github, gitlab, checkstyle)\n",
                optarg);
        goto out;
      }
      if (nouts == sizeof outs / sizeof *outs) {
        fprintf(stderr, "omen: --format: at most %zu reports in one run\n", sizeof outs / sizeof *outs);
        goto out;
      }
      outs[nouts++] = (outspec){f, NULL};
      break;
    }
    case 'o':
      if (nouts == 0) /* -o before any --format: the text report */
        outs[nouts++] = (outspec){OMEN_FORMAT_TEXT, NULL};
      if (outs[nouts - 1].path) {
        fprintf(stderr, "omen: -o %s: the %s report already goes to %s (give --format before each -o)\n", optarg,
                omen_format_name(outs[nouts - 1].fmt), outs[nouts - 1].path);
        goto out;
      }
      outs[nouts - 1].path = optarg;
      break;
    case O_ENABLE:
      if (push_list(&enable, optarg) != 0)
        goto oom;
      break;
    case O_DISABLE:
      if (push_list(&disable, optarg) != 0)
        goto oom;
      break;
    case O_EXCLUDE:
      if (push(&exclude, optarg) != 0)
        goto oom;
      break;
    case O_FAILON:
      if (!omen_severity_parse(optarg, &fail_on)) {
        fprintf(stderr, "omen: --fail-on: expected error, warning or note, got '%s'\n", optarg);
        goto out;
      }
      fail_on_given = true;
      break;
    case O_DIFF:
      diff = true;
      break;
    case O_FIX:
      fix = true;
      break;
    case O_UNSAFE:
      unsafe = true;
      break;
    case 'q':
      quiet = true;
      break;
    case O_GENERATED:
      generated = true;
      break;
    case O_STATS:
      stats = true;
      break;
    case O_CONFIG:
      config = optarg;
      break;
    case O_NOCONFIG:
      no_config = true;
      break;
    case O_BASELINE:
      baseline = optarg;
      break;
    case O_WRITEBASE:
      if (mode == MODE_BASELINE) {
        fprintf(stderr, "omen: baseline write: the baseline file is the first argument\n");
        goto out;
      }
      write_baseline = optarg;
      break;
    case O_NEWFROM:
      new_from = optarg;
      break;
    case O_OMITSUP:
      omit_suppressed = true;
      break;
    case O_RULES:
      if (push(&rules, optarg) != 0)
        goto oom;
      break;
    case O_NODEFRULES:
      default_rules = false;
      break;
    case 'j': {
      char *end;
      jobs = strtol(optarg, &end, 10);
      if (*end || jobs < 1 || jobs > 256) {
        fprintf(stderr, "omen: -j: expected a number from 1 to 256, got '%s'\n", optarg);
        goto out;
      }
      break;
    }
    case 'p':
      compdb = optarg;
      break;
    case O_VERSION:
      printf("omen %s\n", OMEN_VERSION);
      rc = EXIT_CLEAN;
      goto out;
    case O_HELP:
      fputs(usage_text, stdout);
      rc = EXIT_CLEAN;
      goto out;
    case ':':
      fprintf(stderr, "omen: %s needs a value\n", argv[optind - 1]);
      goto out;
    default:
      fprintf(stderr, "omen: unknown flag '%s' (see omen --help)\n", argv[optind - 1]);
      goto out;
    }
  }
  if (diff && fix && mode != MODE_FIX) {
    fprintf(stderr, "omen: --diff and --fix cannot be used together\n");
    goto out;
  }
  if (diff && mode == MODE_FIX)
    fix = false; /* omen fix --diff: preview */
  if (config && no_config) {
    fprintf(stderr, "omen: --config and --no-config cannot be used together\n");
    goto out;
  }
  if (!load_rules(default_rules, &rules))
    goto out;
  if (nouts == 0)
    outs[nouts++] = (outspec){OMEN_FORMAT_TEXT, NULL};
  for (size_t i = 0, to_stdout = 0; i < nouts; i++) {
    if (!outs[i].path && ++to_stdout > 1) {
      fprintf(stderr, "omen: only one report can go to stdout: give -o FILE after --format %s\n",
              omen_format_name(outs[i].fmt));
      goto out;
    }
    for (size_t k = 0; k < i; k++) {
      if (outs[i].path && outs[k].path && strcmp(outs[i].path, outs[k].path) == 0) {
        fprintf(stderr, "omen: two reports would be written to %s\n", outs[i].path);
        goto out;
      }
    }
  }
  {
    omen_baseline *base = NULL;
    omen_changes *changes = NULL;
    char err[1024];
    if (baseline && omen_baseline_load(baseline, &base, err, sizeof err) != OMEN_OK) {
      fprintf(stderr, "omen: --baseline: %s\n", err);
      goto out;
    }
    if (new_from && omen_changes_since(new_from, &changes, err, sizeof err) != OMEN_OK) {
      fprintf(stderr, "omen: --new-from-rev: %s\n", err);
      omen_baseline_free(base);
      goto out;
    }
    progress prog = {mono_now(), 0, 0.5, false};
    const char *delay = getenv("OMEN_PROGRESS_DELAY"); /* seconds before the line appears */
    if (delay && *delay)
      prog.delay = atof(delay);
    omen_options opt = {0};
    opt.paths = (const char *const *)argv + optind;
    opt.npaths = (size_t)(argc - optind);
    opt.excludes = exclude.v;
    opt.nexcludes = exclude.n;
    opt.enable = enable.v;
    opt.nenable = enable.n;
    opt.disable = disable.v;
    opt.ndisable = disable.n;
    opt.jobs = (unsigned)jobs;
    opt.compdb_dir = compdb;
    opt.log = quiet ? NULL : stderr;
    opt.include_generated = generated;
    opt.config_file = config;
    opt.no_config = no_config;
    if (!quiet && isatty(STDERR_FILENO)) {
      opt.progress = progress_cb;
      opt.progress_ctx = &prog;
    }
    omen_reader *reader = omen_reader_new(0);
    if (!reader) {
      omen_baseline_free(base);
      omen_changes_free(changes);
      goto oom;
    }
    omen_result res;
    double started = wall_now();
    omen_status s = omen_check(&opt, reader, &res, err, sizeof err);
    progress_end(&prog);
    if (s != OMEN_OK) {
      fprintf(stderr, "omen: %s\n", err);
      omen_reader_free(reader);
      omen_baseline_free(base);
      omen_changes_free(changes);
      goto out;
    }
    rc = EXIT_CLEAN;
    omen_output_opts oo = {0};
    oo.quiet = quiet;
    oo.start_time = started;
    if (write_baseline) { /* every current finding, before any filtering */
      oo.end_time = wall_now();
      if (!write_report(OMEN_FORMAT_JSON, write_baseline, &res, &oo))
        rc = EXIT_TROUBLE;
      else if (mode == MODE_BASELINE && !quiet)
        fprintf(stderr, "omen: wrote %zu finding%s to %s\n", res.ndiags - res.nsuppressed,
                res.ndiags - res.nsuppressed == 1 ? "" : "s", write_baseline);
    }
    if (changes)
      oo.nunchanged = omen_changes_filter(changes, res.diags, &res.ndiags);
    if (base)
      oo.nbaselined = omen_baseline_filter(base, res.diags, &res.ndiags);
    recount(&res);
    if (!fail_on_given && res.has_fail_on)
      fail_on = res.fail_on;
    bool failing = false;
    for (int sev = (int)fail_on; sev <= OMEN_SEV_ERROR; sev++)
      failing |= res.count[sev] > 0;
    if (rc == EXIT_CLEAN && mode != MODE_BASELINE)
      rc = failing ? EXIT_FINDINGS : EXIT_CLEAN;
    oo.exit_code = rc;
    oo.end_time = wall_now();
    if (mode == MODE_BASELINE) {
      /* the file is the report */
    } else if (diff) {
      s = omen_fixes_diff(&res, unsafe, stdout);
      if (s != OMEN_OK) {
        fprintf(stderr, "omen: writing the diff: %s\n", omen_status_str(s));
        rc = EXIT_TROUBLE;
      }
    } else {
      /* --omit-suppressed: the reports see the result without them (a shallow view; res owns them) */
      omen_result shown = res;
      omen_diag *kept = omit_suppressed ? malloc((res.ndiags ? res.ndiags : 1) * sizeof *kept) : NULL;
      if (kept) {
        shown.ndiags = 0;
        for (size_t i = 0; i < res.ndiags; i++)
          if (!res.diags[i].suppressed)
            kept[shown.ndiags++] = res.diags[i];
        shown.diags = kept;
        shown.nsuppressed = 0;
      } else if (omit_suppressed) {
        fprintf(stderr, "omen: out of memory\n");
        rc = EXIT_TROUBLE;
      }
      for (size_t i = 0; i < nouts && rc != EXIT_TROUBLE; i++) {
        omen_output_opts o1 = oo;
        o1.color = outs[i].fmt == OMEN_FORMAT_TEXT && !outs[i].path && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
        if (!write_report(outs[i].fmt, outs[i].path, &shown, &o1))
          rc = EXIT_TROUBLE;
      }
      free(kept);
    }
    if (stats) {
      double total = 0;
      for (size_t i = 0; i < res.ntimings; i++)
        total += res.timings[i].seconds;
      fprintf(stderr, "%-32s %10s %7s\n", "stage (CPU time, all workers)", "seconds", "share");
      for (size_t i = 0; i < res.ntimings; i++)
        fprintf(stderr, "%-32s %10.3f %6.1f%%\n", res.timings[i].name, res.timings[i].seconds,
                total > 0 ? 100 * res.timings[i].seconds / total : 0.0);
      fprintf(stderr, "%-32s %10.3f\n", "total", total);
    }
    if (fix && rc != EXIT_TROUBLE) {
      omen_fix_report rep = {0};
      s = omen_fixes_apply(&res, unsafe, reader, &rep);
      if (s != OMEN_OK) {
        fprintf(stderr, "omen: --fix: %s\n", omen_status_str(s));
        rc = EXIT_TROUBLE;
      }
      size_t changed = 0, applied = 0, left = 0;
      for (size_t i = 0; i < rep.nfiles; i++) {
        const omen_fix_outcome *o = &rep.files[i];
        if (o->error)
          fprintf(stderr, "omen: %s: not fixed: %s\n", o->path, o->error);
        else if (!quiet && o->skipped)
          fprintf(stderr, "omen: %s: applied %zu fix%s, skipped %zu (overlapping another fix, or the result "
                          "would not parse)\n",
                  o->path, o->applied, o->applied == 1 ? "" : "es", o->skipped);
        else if (!quiet)
          fprintf(stderr, "omen: %s: applied %zu fix%s\n", o->path, o->applied, o->applied == 1 ? "" : "es");
        changed += !o->error && o->applied;
        applied += o->error ? 0 : o->applied;
        left += o->error ? o->applied + o->skipped : o->skipped;
      }
      if (!quiet && mode == MODE_FIX)
        fprintf(stderr, "omen: fixed %zu finding%s in %zu file%s; %zu fix%s not applied\n", applied,
                applied == 1 ? "" : "s", changed, changed == 1 ? "" : "s", left, left == 1 ? "" : "es");
      if (s == OMEN_OK && rc == EXIT_FINDINGS && rep.fixed) { /* fixed findings no longer fail the run */
        bool still = false;
        for (size_t i = 0; i < res.ndiags && !still; i++)
          still = !res.diags[i].suppressed && !rep.fixed[i] && res.diags[i].severity >= fail_on;
        if (!still)
          rc = EXIT_CLEAN;
      }
      omen_fix_report_free(&rep);
    }
    omen_result_free(&res);
    omen_reader_free(reader);
    omen_baseline_free(base);
    omen_changes_free(changes);
  }
  goto out;
oom:
  fprintf(stderr, "omen: out of memory\n");
out:
  free(enable.v);
  free(disable.v);
  free(exclude.v);
  free(rules.v);
  return rc;
}

static int cmd_baseline(int argc, char **argv) {
  if (argc < 3 || strcmp(argv[1], "write") != 0 || argv[2][0] == '-') {
    fprintf(stderr, "usage: omen baseline write FILE [check flags] [PATH ...]\n");
    return EXIT_TROUBLE;
  }
  /* "baseline write FILE rest..." runs like "check rest..." */
  const char *file = argv[2];
  argv[2] = argv[0];
  return cmd_check(argc - 2, argv + 2, MODE_BASELINE, file);
}

static int cmd_config(int argc, char **argv) {
  if (!load_rules(true, NULL))
    return EXIT_TROUBLE;
  if (argc >= 2 && strcmp(argv[1], "init") == 0) {
    bool force = argc == 3 && strcmp(argv[2], "--force") == 0;
    if (argc > 3 || (argc == 3 && !force)) {
      fprintf(stderr, "usage: omen config init [--force]\n");
      return EXIT_TROUBLE;
    }
    struct stat st;
    if (!force && lstat(OMEN_CONFIG_NAME, &st) == 0) {
      fprintf(stderr, "omen: %s already exists (--force overwrites it)\n", OMEN_CONFIG_NAME);
      return EXIT_TROUBLE;
    }
    const char *text = omen_config_starter();
    if (!text) {
      fprintf(stderr, "omen: out of memory\n");
      return EXIT_TROUBLE;
    }
    FILE *f = fopen(OMEN_CONFIG_NAME, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
      fprintf(stderr, "omen: %s: cannot write: %s\n", OMEN_CONFIG_NAME, strerror(errno));
      return EXIT_TROUBLE;
    }
    printf("wrote %s\n", OMEN_CONFIG_NAME);
    return EXIT_CLEAN;
  }
  if (argc >= 2 && strcmp(argv[1], "show") == 0) {
    const char *file = NULL, *path = ".";
    for (int i = 2; i < argc; i++) {
      if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
        file = argv[++i];
      else if (argv[i][0] != '-' && strcmp(path, ".") == 0)
        path = argv[i];
      else {
        fprintf(stderr, "usage: omen config show [--config FILE] [PATH]\n");
        return EXIT_TROUBLE;
      }
    }
    char found[4096], err[1024];
    if (!file && omen_config_find(path, found, sizeof found))
      file = found;
    omen_config *c = NULL;
    if (file && omen_config_load(file, &c, err, sizeof err) != OMEN_OK) {
      fprintf(stderr, "omen: %s\n", err);
      return EXIT_TROUBLE;
    }
    if (!file)
      printf("# no %s at or above %s: the defaults\n", OMEN_CONFIG_NAME, path);
    omen_status s = omen_config_show(c, path, stdout);
    omen_config_free(c);
    if (s != OMEN_OK) {
      fprintf(stderr, "omen: config show: %s\n", omen_status_str(s));
      return EXIT_TROUBLE;
    }
    return EXIT_CLEAN;
  }
  fprintf(stderr, "usage: omen config init [--force] | omen config show [--config FILE] [PATH]\n");
  return EXIT_TROUBLE;
}

/* omen lsp [--rules FILE|DIR]... [--no-default-rules] [--stdio]: the rule flags are taken here. */
static int cmd_lsp(int argc, char **argv) {
  strv rest = {0}, rules = {0};
  bool defaults = true;
  int rc = EXIT_TROUBLE;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc) {
      if (push(&rules, argv[++i]) != 0)
        goto out;
    } else if (strcmp(argv[i], "--no-default-rules") == 0) {
      defaults = false;
    } else if (push(&rest, argv[i]) != 0) {
      goto out;
    }
  }
  if (load_rules(defaults, &rules))
    rc = omen_lsp_main((int)rest.n, (char **)rest.v);
out:
  free(rest.v);
  free(rules.v);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EXIT_TROUBLE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "check") == 0)
    return cmd_check(argc - 1, argv + 1, MODE_CHECK, NULL);
  if (strcmp(cmd, "fix") == 0)
    return cmd_check(argc - 1, argv + 1, MODE_FIX, NULL);
  if (strcmp(cmd, "explain") == 0)
    return cmd_explain(argc - 1, argv + 1);
  if (strcmp(cmd, "baseline") == 0)
    return cmd_baseline(argc - 1, argv + 1);
  if (strcmp(cmd, "config") == 0)
    return cmd_config(argc - 1, argv + 1);
  if (strcmp(cmd, "analyzers") == 0)
    return cmd_analyzers();
  if (strcmp(cmd, "rules") == 0)
    return cmd_rules(argc - 1, argv + 1);
  if (strcmp(cmd, "lsp") == 0)
    return cmd_lsp(argc - 1, argv + 1);
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("omen %s\n", OMEN_VERSION);
    return EXIT_CLEAN;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    fputs(usage_text, stdout);
    return EXIT_CLEAN;
  }
  fprintf(stderr, "omen: unknown command '%s'\n\n%s", cmd, usage_text);
  return EXIT_TROUBLE;
}
