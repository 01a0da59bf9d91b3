/* test_registry.c - registry validation and ordering, on made-up analyzers and on the real list. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "registry.h"

static omen_status run_ok(omen_pass *p, void **r) {
  (void)p;
  *r = NULL;
  return OMEN_OK;
}

#define ANALYZER(sym, nm, req, rl)                                                                           \
  static const omen_analyzer sym = {                                                                         \
      .name = nm, .title = "t", .doc = "d", .langs = OMEN_LANG_GO, .requires = req, .rules = rl, .run = run_ok}

extern const omen_analyzer a_base, a_mid, a_top, a_x, a_y, a_lonely;
static const omen_analyzer *const req_base[] = {&a_base, NULL};
static const omen_analyzer *const req_mid[] = {&a_mid, &a_base, NULL};
static const omen_analyzer *const req_x[] = {&a_y, NULL};
static const omen_analyzer *const req_y[] = {&a_x, NULL};
static const omen_analyzer *const req_lonely[] = {&a_lonely, NULL};
static const omen_rule rule1 = {.id = "thread-leak/one", .summary = "s"};
static const omen_rule rule_bad = {.id = "Bad Id", .summary = "s"};
static const omen_rule *const rules1[] = {&rule1, NULL};
static const omen_rule *const rules_bad[] = {&rule_bad, NULL};

const omen_analyzer a_base = {.name = "base", .title = "t", .doc = "d", .langs = OMEN_LANG_GO, .run = run_ok};
const omen_analyzer a_mid = {
    .name = "mid", .title = "t", .doc = "d", .langs = OMEN_LANG_GO, .requires = req_base, .run = run_ok};
const omen_analyzer a_top = {.name = "top",
                             .title = "t",
                             .doc = "d",
                             .langs = OMEN_LANG_GO,
                             .requires = req_mid,
                             .rules = rules1,
                             .run = run_ok};
const omen_analyzer a_x = {.name = "x", .title = "t", .doc = "d", .langs = OMEN_LANG_GO, .requires = req_x, .run = run_ok};
const omen_analyzer a_y = {.name = "y", .title = "t", .doc = "d", .langs = OMEN_LANG_GO, .requires = req_y, .run = run_ok};
const omen_analyzer a_lonely = {
    .name = "lonely", .title = "t", .doc = "d", .langs = OMEN_LANG_GO, .requires = req_lonely, .run = run_ok};
ANALYZER(a_dup, "base", NULL, NULL);
ANALYZER(a_nodoc_src, "nodoc", NULL, NULL);
ANALYZER(a_top2, "top2", NULL, rules1);
ANALYZER(a_badrule, "badrule", NULL, rules_bad);

static omen_status sort(const omen_analyzer *const *list, const omen_analyzer **order, size_t *n, char *err) {
  return omen_registry_sort(list, order, n, err, 256);
}

int main(void) {
  const omen_analyzer *order[16];
  size_t n;
  char err[256];

  /* dependencies first, whatever the listed order */
  const omen_analyzer *const l1[] = {&a_top, &a_mid, &a_base, NULL};
  CHECK(sort(l1, order, &n, err) == OMEN_OK);
  CHECK(n == 3 && order[0] == &a_base && order[1] == &a_mid && order[2] == &a_top);

  /* cycles are rejected, naming the analyzers involved */
  const omen_analyzer *const l2[] = {&a_base, &a_x, &a_y, NULL};
  CHECK(sort(l2, order, &n, err) == OMEN_EINTERNAL);
  CHECK(strstr(err, "cycle") && strstr(err, " x") && strstr(err, " y") && !strstr(err, "base"));

  /* an analyzer requiring itself is a cycle too */
  const omen_analyzer *const l2b[] = {&a_lonely, NULL};
  CHECK(sort(l2b, order, &n, err) == OMEN_EINTERNAL && strstr(err, "lonely"));

  /* a requirement that is not registered */
  const omen_analyzer *const l3[] = {&a_mid, NULL};
  CHECK(sort(l3, order, &n, err) == OMEN_EINTERNAL && strstr(err, "not registered"));

  /* duplicate names */
  const omen_analyzer *const l4[] = {&a_base, &a_dup, NULL};
  CHECK(sort(l4, order, &n, err) == OMEN_EINTERNAL && strstr(err, "twice"));

  /* missing documentation */
  omen_analyzer nodoc = a_nodoc_src;
  nodoc.doc = "";
  const omen_analyzer *const l5[] = {&nodoc, NULL};
  CHECK(sort(l5, order, &n, err) == OMEN_EINTERNAL && strstr(err, "documentation"));

  /* a rule declared by two analyzers, and a malformed rule id */
  const omen_analyzer *const l6[] = {&a_base, &a_mid, &a_top, &a_top2, NULL};
  CHECK(sort(l6, order, &n, err) == OMEN_EINTERNAL && strstr(err, "thread-leak/one"));
  const omen_analyzer *const l7[] = {&a_badrule, NULL};
  CHECK(sort(l7, order, &n, err) == OMEN_EINTERNAL && strstr(err, "bad id"));

  /* the real registry is valid, ordered, and its rule table is complete and well-formed */
  size_t count = omen_registry_count();
  const omen_analyzer **real = calloc(count + 1, sizeof *real);
  CHECK(omen_registry_sort(omen_registry, real, &n, err, sizeof err) == OMEN_OK);
  CHECK(n == count);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; real[i]->requires && real[i]->requires[k]; k++)
      for (size_t j = i; j < n; j++)
        CHECK(real[j] != real[i]->requires[k]);
  size_t nrules;
  const omen_rule *const *all = omen_rules_all(&nrules);
  CHECK(all != NULL && nrules >= 6);
  static const char *const families[] = {"thread-leak/", "map-race/",      "missing-timeout/", "unbounded-stream/",
                                         "resource-leak/", "deadlock/", "omen/",            NULL};
  for (size_t i = 0; i < nrules; i++) {
    const omen_rule *r = all[i];
    CHECK(omen_rule_find(r->id) == r);
    bool fam = false;
    for (size_t k = 0; families[k]; k++)
      fam |= strncmp(r->id, families[k], strlen(families[k])) == 0;
    if (!fam)
      fprintf(stderr, "rule %s is not in a known family\n", r->id);
    CHECK(fam);
    CHECK(r->what && *r->what && r->why && *r->why && r->fix && *r->fix && r->lang && r->summary);
    if (i > 0)
      CHECK(strcmp(all[i - 1]->id, r->id) < 0);
    /* engine rules have no analyzer; all others have exactly the one that declares them */
    CHECK((strncmp(r->id, "omen/", 5) == 0) == (omen_rule_analyzer(r) == NULL));
  }
  CHECK(omen_registry_find("go-http-timeout") != NULL);
  CHECK(omen_registry_find("c-thread-join") != NULL);
  CHECK(omen_registry_find("no-such-analyzer") == NULL);
  free(real);
  return check_done();
}
