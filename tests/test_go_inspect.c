/* test_go_inspect.c - go-inspect's per-function declared names (go_inspect_func_declares), which
 * go-context trusts to skip scope walks, its sites of the kinds added for the concurrency families
 * (INDEX, FOR), the sites inside tables of literals (parts of which the walk skips), and
 * go_inspect_func_around against the tree walk it replaces. */
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

  /* tables: the walk skips literal values that show no site in their text; every site that is in
   * one must still be found, whatever strings, runes, comments and numbers stand around it */
  static const char *tables = "package p\n"
                              "\n"
                              "var plain = [][]float64{{1.5, .5, 2e3}, {3, 4 << 1}, {'(', 7}} // (.[\n"
                              "var calls = []string{\"a.b(\", f(1), `[x]`, /* ( */ \"\\\"(\"}\n"
                              "var sels = []int{1, 2, t.N, -3}\n"
                              "var idx = map[string]int{\"k\": m[\"k\"], \"j\": 1 + 2*3}\n"
                              "var recv = []int{1, <-ch}\n"
                              "var typed = []T{{1}, T{2}, {3}}\n"
                              "var lits = []func(){func() { go g() }}\n"
                              "var args = h(1, 2.5, \"s\", q(3))\n";
  ok = gounit_open(&g, "t.go", tables, order, 1);
  ins = ok ? gounit_result(&g, &omen_go_inspect) : NULL;
  CHECK(ins != NULL);
  if (ins) {
    size_t nf = 0, ng = 0, nq = 0, nh = 0;
    for (size_t i = 0; i < ins->nsites[GO_SITE_CALL]; i++) {
      const char *t = ins->sites[GO_SITE_CALL][i].text;
      nf += strcmp(t, "f") == 0;
      ng += strcmp(t, "g") == 0;
      nq += strcmp(t, "q") == 0;
      nh += strcmp(t, "h") == 0;
    }
    CHECK(nf == 1 && ng == 1 && nq == 1 && nh == 1);
    CHECK(ins->nsites[GO_SITE_CALL] == 4);
    CHECK(ins->nsites[GO_SITE_SELECTOR] == 1);                                           /* t.N */
    CHECK(ins->nsites[GO_SITE_INDEX] == 1);                                              /* m["k"] */
    CHECK(ins->nsites[GO_SITE_RECV] == 1);                                               /* <-ch */
    CHECK(ins->nsites[GO_SITE_GO] == 1);                                                 /* go g() */
    CHECK(ins->nsites[GO_SITE_FUNC] == 1);                                               /* the literal */
    CHECK(ins->nsites[GO_SITE_COMPOSITE] == 8); /* the seven tables, and T{2} */
  }
  gounit_close(&g);

  /* go_inspect_func_around: the innermost function strictly around a node, as the tree says */
  static const char *nest = "package p\n"
                            "\n"
                            "var top = 1\n"
                            "\n"
                            "func A() {\n"
                            "\ta := 1\n"
                            "\tf := func() {\n"
                            "\t\tb := func() int { return a }\n"
                            "\t\t_ = b\n"
                            "\t}\n"
                            "\tg := func() { c := 2; _ = c }\n"
                            "\t_, _ = f, g\n"
                            "\td := 3\n"
                            "\t_ = d\n"
                            "}\n"
                            "\n"
                            "func B() { e := 4; _ = e }\n";
  ok = gounit_open(&g, "n.go", nest, order, 1);
  ins = ok ? gounit_result(&g, &omen_go_inspect) : NULL;
  CHECK(ins != NULL);
  if (ins) {
    static const char *const at[] = {"top", "a := 1", "return a", "_ = b", "c := 2", "d := 3", "e := 4",
                                     "func() int { return a }", "func B", "f, g"};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
      TSNode n = gounit_node(&g, at[i]);
      CHECK(!ts_node_is_null(n));
      TSNode want = go_inspect_enclosing_func(n), got = go_inspect_func_node_around(ins, 0, n);
      if (!ts_node_eq(want, got))
        fprintf(stderr, "func_around differs at %s\n", at[i]);
      CHECK(ts_node_eq(want, got));
    }
    /* the answers themselves, not only agreement */
    CHECK(go_inspect_func_around(ins, 0, gounit_node(&g, "top")) == NULL);
    const go_site *fa = go_inspect_func_around(ins, 0, gounit_node(&g, "d := 3"));
    CHECK(fa && strcmp(fa->text, "A") == 0);
    const go_site *fb = go_inspect_func_around(ins, 0, gounit_node(&g, "return a"));
    CHECK(fb && fb->fkind == GO_FUNC_LIT && ts_node_eq(fb->node, gounit_node(&g, "func() int { return a }")));
    const go_site *ff = go_inspect_func_around(ins, 0, gounit_node(&g, "func() int { return a }"));
    CHECK(ff && ff->fkind == GO_FUNC_LIT && go_inspect_func_of(ins, ff) == fa);
  }
  gounit_close(&g);

  /* block declarations: per block or case clause, the statements that may declare each name */
  static const char *blocks = "package p\n"
                              "\n"
                              "func F(n int) int {\n"
                              "\ta, b := 1, 2\n"
                              "\tvar c, d int = 3, 4\n"
                              "L:\n"
                              "\te := a\n"
                              "\tif f := n; f > 0 {\n"
                              "\t\tg := f\n"
                              "\t\t_ = g\n"
                              "\t}\n"
                              "\tswitch n {\n"
                              "\tcase 1:\n"
                              "\t\ttype h int\n"
                              "\t\t_ = h(0)\n"
                              "\t}\n"
                              "\tfor i := 0; i < n; i++ {\n"
                              "\t}\n"
                              "\t_, _, _ = b, c, d\n"
                              "\treturn e\n"
                              "}\n";
  ok = gounit_open(&g, "b.go", blocks, order, 1);
  ins = ok ? gounit_result(&g, &omen_go_inspect) : NULL;
  CHECK(ins != NULL);
  if (ins) {
    size_t n = 0;
    TSNode body = gounit_node(&g, "{\n\ta, b|");
    const go_block_decl *v = go_inspect_block_decls(ins, 0, body, &n);
    /* a, b; c, d and the spec's type name int; e under its label, and the a right of its `:=` (a
     * superset); not f (if initializer), not i (for clause), not g or h (inner scopes) */
    char names[128] = "";
    for (size_t i = 0; v && i < n && i < 16; i++) {
      strcat(names, v[i].name);
      strcat(names, " ");
    }
    if (strcmp(names, "a b c d int e a ") != 0)
      fprintf(stderr, "block decls: '%s'\n", names);
    CHECK(strcmp(names, "a b c d int e a ") == 0);
    CHECK(n == 7 && go_node_is(v[5].stmt, GO_NODE_LABELED_STATEMENT) && ts_node_eq(v[5].stmt, v[6].stmt));
    TSNode inner = gounit_node(&g, "{\n\t\tg := f");
    v = go_inspect_block_decls(ins, 0, inner, &n);
    if (n != 2)
      fprintf(stderr, "inner %s: %zu\n", ts_node_type(inner), n);
    CHECK(n == 2 && v && strcmp(v[0].name, "g") == 0 && strcmp(v[1].name, "f") == 0);
    v = go_inspect_block_decls(ins, 0, gounit_node(&g, "case 1:\n\t\ttype h int"), &n);
    CHECK(n == 2 && v && strcmp(v[0].name, "h") == 0 && strcmp(v[1].name, "int") == 0);
    TSNode empty = gounit_node(&g, "{\n\t}|\n\t_, _, _");
    CHECK(go_node_is(empty, GO_NODE_BLOCK));
    v = go_inspect_block_decls(ins, 0, empty, &n);
    CHECK(n == 0);
  }
  gounit_close(&g);
  ok = gounit_open(&g, "bad2.go", "package p\n\nfunc F() {\n\tb := \n}\n", order, 1);
  ins = ok ? gounit_result(&g, &omen_go_inspect) : NULL;
  if (ins) {
    size_t n = 0;
    CHECK(go_inspect_block_decls(ins, 0, gounit_node(&g, "{\n\tb"), &n) == NULL && n == SIZE_MAX);
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
