/* test_go_inspect.c - go-inspect's per-function declared names (go_inspect_func_declares), which
 * go-context trusts to skip scope walks, and its sites of the kinds added for the concurrency
 * families (INDEX, FOR). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "go_inspect.h"
#include "gounit.h"

static const char *src = "package p\n"
                         "\n"
                         "type S struct{ m map[string]int }\n"
                         "\n"
                         "func (s *S) Run(n int) (err error) {\n"
                         "\tx := 1\n"
                         "\tif n > 0 {\n"
                         "\t\tx := 2\n"
                         "\t\t_ = x\n"
                         "\t}\n"
                         "\tfor i := range s.m {\n"
                         "\t\ts.m[i]++\n"
                         "\t}\n"
                         "\tf := func(y int) { z := y * 2; _ = z }\n"
                         "\tf(x)\n"
                         "\treturn nil\n"
                         "}\n";

static const go_site *func_named(const go_inspect *ins, const char *name, go_func_kind k) {
  for (size_t i = 0; i < ins->nsites[GO_SITE_FUNC]; i++) {
    const go_site *s = &ins->sites[GO_SITE_FUNC][i];
    if (s->fkind == k && (k == GO_FUNC_LIT || strcmp(s->text, name) == 0))
      return s;
  }
  return NULL;
}

int main(void) {
  static const omen_analyzer *const order[] = {&omen_go_inspect};
  gounit g;
  bool ok = gounit_open(&g, "p.go", src, order, 1);
  CHECK(ok);
  const go_inspect *ins = ok ? gounit_result(&g, &omen_go_inspect) : NULL;
  CHECK(ins != NULL);
  if (ins) {
    const go_site *run = func_named(ins, "Run", GO_FUNC_METHOD);
    const go_site *lit = func_named(ins, NULL, GO_FUNC_LIT);
    CHECK(run && lit);
    /* receiver, parameter, named result: declared once */
    CHECK(go_inspect_func_declares(ins, run, "s") == 1);
    CHECK(go_inspect_func_declares(ins, run, "n") == 1);
    CHECK(go_inspect_func_declares(ins, run, "err") == 1);
    /* x twice (shadowed in the if block), i by the range clause, f by :=; names of the literal are
     * the literal's, not Run's */
    CHECK(go_inspect_func_declares(ins, run, "x") == 2);
    CHECK(go_inspect_func_declares(ins, run, "i") == 1);
    CHECK(go_inspect_func_declares(ins, run, "f") == 1);
    CHECK(go_inspect_func_declares(ins, run, "y") == 0);
    CHECK(go_inspect_func_declares(ins, run, "z") == 0);
    CHECK(go_inspect_func_declares(ins, lit, "y") == 1);
    CHECK(go_inspect_func_declares(ins, lit, "z") == 1);
    CHECK(go_inspect_func_declares(ins, lit, "x") == 0);
    /* s.m[i] is an INDEX site; the range loop a FOR site whose sub is its range clause */
    CHECK(ins->nsites[GO_SITE_INDEX] == 1);
    CHECK(ins->nsites[GO_SITE_FOR] == 1);
    if (ins->nsites[GO_SITE_FOR] == 1)
      CHECK(strcmp(ts_node_type(ins->sites[GO_SITE_FOR][0].sub), "range_clause") == 0);
  }
  gounit_close(&g);

  /* syntax errors: the names are unknown, not "declared nowhere" */
  ok = gounit_open(&g, "bad.go", "package p\n\nfunc F(a int) {\n\tb := \n}\n", order, 1);
  ins = gounit_result(&g, &omen_go_inspect);
  CHECK(ins != NULL);
  if (ins && ins->nsites[GO_SITE_FUNC])
    CHECK(go_inspect_func_declares(ins, &ins->sites[GO_SITE_FUNC][0], "a") == SIZE_MAX);
  gounit_close(&g);
  return check_done();
}
