/* test_go_summary.c - the go-summary base analyzer: blocking facts and their witnesses, channel and
 * WaitGroup ops with object keys (parameters, captured locals, fields, package variables), mapping through
 * calls and literals, released parameters, watched contexts, recursion and truncation. Builds a Go unit
 * from source text and runs the base analyzers on it directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gounit.h"
#include "go_context.h"
#include "go_inspect.h"
#include "go_summary.h"
#include "reader.h"
#include "unit.h"

static const char *src = "package p\n"
                         "\n"
                         "import (\n"
                         "\t\"context\"\n"
                         "\t\"net\"\n"
                         "\t\"sync\"\n"
                         "\t\"time\"\n"
                         ")\n"
                         "\n"
                         "func Sender(ch chan<- int) {\n"
                         "\tch <- 1\n"
                         "}\n"
                         "\n"
                         "func ViaCall(out chan int) {\n"
                         "\tSender(out)\n"
                         "}\n"
                         "\n"
                         "func Rec(ch chan int, n int) {\n"
                         "\tif n > 0 {\n"
                         "\t\tRec(ch, n-1)\n"
                         "\t\treturn\n"
                         "\t}\n"
                         "\tclose(ch)\n"
                         "}\n"
                         "\n"
                         "func PingA(ch chan int, n int) {\n"
                         "\tif n > 0 {\n"
                         "\t\tPingB(ch, n-1)\n"
                         "\t}\n"
                         "}\n"
                         "\n"
                         "func PingB(c chan int, n int) {\n"
                         "\t<-c\n"
                         "\tPingA(c, n)\n"
                         "}\n"
                         "\n"
                         "func Watching(ctx context.Context, ch chan int) {\n"
                         "\tselect {\n"
                         "\tcase ch <- 1:\n"
                         "\tcase <-ctx.Done():\n"
                         "\t}\n"
                         "}\n"
                         "\n"
                         "func NonBlocking(ch chan int) {\n"
                         "\tselect {\n"
                         "\tcase v := <-ch:\n"
                         "\t\t_ = v\n"
                         "\tdefault:\n"
                         "\t}\n"
                         "}\n"
                         "\n"
                         "func Stuck() {\n"
                         "\tselect {}\n"
                         "}\n"
                         "\n"
                         "type S struct {\n"
                         "\tjobs chan int\n"
                         "\tquit chan struct{}\n"
                         "\twg   sync.WaitGroup\n"
                         "}\n"
                         "\n"
                         "func (s *S) Run() {\n"
                         "\tfor j := range s.jobs {\n"
                         "\t\t_ = j\n"
                         "\t}\n"
                         "}\n"
                         "\n"
                         "func (s *S) Loop() {\n"
                         "\tfor {\n"
                         "\t\tselect {\n"
                         "\t\tcase <-s.quit:\n"
                         "\t\t\treturn\n"
                         "\t\tcase j := <-s.jobs:\n"
                         "\t\t\t_ = j\n"
                         "\t\t}\n"
                         "\t}\n"
                         "}\n"
                         "\n"
                         "func (s *S) Start() {\n"
                         "\ts.Run()\n"
                         "}\n"
                         "\n"
                         "func Worker(wg *sync.WaitGroup) {\n"
                         "\tdefer wg.Done()\n"
                         "}\n"
                         "\n"
                         "func Waits(items []int) {\n"
                         "\tvar wg sync.WaitGroup\n"
                         "\twg.Add(1)\n"
                         "\tgo Worker(&wg)\n"
                         "\twg.Wait()\n"
                         "}\n"
                         "\n"
                         "func Spawn() int {\n"
                         "\tch := make(chan int)\n"
                         "\tgo func() {\n"
                         "\t\tch <- 1\n"
                         "\t}()\n"
                         "\treturn <-ch\n"
                         "}\n"
                         "\n"
                         "func ReadConn(c net.Conn) {\n"
                         "\tbuf := make([]byte, 10)\n"
                         "\tc.Read(buf)\n"
                         "}\n"
                         "\n"
                         "func CallsRead(c net.Conn) {\n"
                         "\tReadConn(c)\n"
                         "}\n"
                         "\n"
                         "func Cancels(cancel context.CancelFunc, c net.Conn) {\n"
                         "\tcancel()\n"
                         "\tc.Close()\n"
                         "}\n"
                         "\n"
                         "func Naps() {\n"
                         "\ttime.Sleep(time.Second)\n"
                         "}\n"
                         "\n"
                         "var events = make(chan string)\n"
                         "\n"
                         "func Publish() {\n"
                         "\tevents <- \"x\"\n"
                         "}\n"
                         "\n"
                         "func Deferred(ch chan int) {\n"
                         "\tdefer func() {\n"
                         "\t\tclose(ch)\n"
                         "\t}()\n"
                         "}\n"
                         "\n"
                         "func Callback(ch chan int, register func(func())) {\n"
                         "\tregister(func() {\n"
                         "\t\tclose(ch)\n"
                         "\t\tch <- 2\n"
                         "\t})\n"
                         "}\n"
                         "\n"
                         "func OkLoop(ch chan int) {\n"
                         "\tfor {\n"
                         "\t\tv, ok := <-ch\n"
                         "\t\tif !ok {\n"
                         "\t\t\treturn\n"
                         "\t\t}\n"
                         "\t\t_ = v\n"
                         "\t}\n"
                         "}\n";

/* ---- a unit built by hand (tests/gounit.h), with the results these tests read ---- */

typedef struct sunit {
  gounit base;
  const go_inspect *ins;
  const go_context *ctx;
  go_summary *sum;
} sunit;

static const omen_analyzer *const order[] = {&omen_go_inspect, &omen_go_types, &omen_go_context,
                                             &omen_go_summary};

static bool sunit_open(sunit *g, const char *path, const char *text) {
  memset(g, 0, sizeof *g);
  if (!gounit_open(&g->base, path, text, order, sizeof order / sizeof *order))
    return false;
  g->ins = gounit_result(&g->base, &omen_go_inspect);
  g->ctx = gounit_result(&g->base, &omen_go_context);
  g->sum = gounit_result(&g->base, &omen_go_summary);
  return g->ins && g->ctx && g->sum;
}

static void sunit_close(sunit *g) { gounit_close(&g->base); }

/* The smallest named node spanning the first occurrence of text. */
static TSNode node_of(const sunit *g, const char *text) { return gounit_node(&g->base, text); }

static const go_fsum *sum_of(const sunit *g, const char *name) {
  for (size_t i = 0; i < g->ins->nsites[GO_SITE_FUNC]; i++)
    if (strcmp(g->ins->sites[GO_SITE_FUNC][i].text, name) == 0)
      return go_summary_at(g->sum, (uint32_t)i);
  fprintf(stderr, "no function %s\n", name);
  return NULL;
}

static const char *kind_name(go_op_kind k) {
  static const char *const names[] = {"send", "recv", "range", "close", "add", "done", "wait", "release"};
  return k < GO_OP_NKINDS ? names[k] : "?";
}

/* "send:P0 close:P0+c" — kind, then P<param>, the key for fields and globals, or L for other locals;
 * flags: b blocking, c through a callee, k in a callback, d deferred, o ok-receive, l in a loop. */
static const char *ops(const sunit *g, const char *fname) {
  static char buf[1024];
  buf[0] = '\0';
  const go_fsum *s = sum_of(g, fname);
  for (uint32_t i = 0; s && i < s->nops; i++) {
    const go_op *o = &s->ops[i];
    char who[128];
    if (o->obj.kind == GO_OBJ_LOCAL && o->obj.param >= 0)
      snprintf(who, sizeof who, "P%d", o->obj.param);
    else if (o->obj.kind == GO_OBJ_LOCAL)
      snprintf(who, sizeof who, "L");
    else
      snprintf(who, sizeof who, "%s", o->obj.key);
    size_t len = strlen(buf);
    snprintf(buf + len, sizeof buf - len, "%s%s:%s%s%s%s%s%s%s%s", i ? " " : "", kind_name(o->kind), who,
             (o->kind == GO_OP_SEND || o->kind == GO_OP_RECV) && go_op_flags_blocking(o->flags) ? "+b" : "",
             o->flags & GO_OPF_CALLEE ? "+c" : "", o->flags & GO_OPF_CALLBACK ? "+k" : "",
             o->flags & GO_OPF_DEFER ? "+d" : "", o->flags & GO_OPF_OK ? "+o" : "",
             o->flags & GO_OPF_LOOP ? "+l" : "", "");
  }
  return buf;
}

static go_block_kind block_of(const sunit *g, const char *fname) {
  const go_fsum *s = sum_of(g, fname);
  return s ? s->block : GO_BLOCK_NONE;
}

static void test_ops(const sunit *g) {
  CHECK_STR(ops(g, "Sender"), "send:P0+b");
  CHECK_STR(ops(g, "ViaCall"), "send:P0+b+c");
  CHECK_STR(ops(g, "Rec"), "close:P0");
  CHECK_STR(ops(g, "PingB"), "recv:P0+b recv:P0+b+c"); /* through PingA, back to itself */
  CHECK_STR(ops(g, "PingA"), "recv:P0+b+c");
  CHECK_STR(ops(g, "Watching"), "send:P1");
  CHECK_STR(ops(g, "NonBlocking"), "recv:P0");
  CHECK_STR(ops(g, "Run"), "range:S.jobs");
  CHECK_STR(ops(g, "Loop"), "recv:S.quit+l recv:S.jobs+l"); /* select cases with a way out: not blocking */
  CHECK_STR(ops(g, "Start"), "range:S.jobs+c");
  CHECK_STR(ops(g, "Worker"), "done:P0+d");
  CHECK_STR(ops(g, "Waits"), "add:L wait:L");
  CHECK_STR(ops(g, "Publish"), "send:G.events+b");
  CHECK_STR(ops(g, "Cancels"), "release:P0 release:P1");
  CHECK_STR(ops(g, "Deferred"), "close:P0+c+d");
  CHECK_STR(ops(g, "Callback"), "close:P0+k");
  CHECK_STR(ops(g, "OkLoop"), "recv:P0+b+o+l");
}

static void test_blocks(const sunit *g) {
  CHECK(block_of(g, "Sender") == GO_BLOCK_SEND);
  CHECK(block_of(g, "ViaCall") == GO_BLOCK_SEND);
  CHECK(block_of(g, "Watching") == GO_BLOCK_NONE);
  CHECK(block_of(g, "NonBlocking") == GO_BLOCK_NONE);
  CHECK(block_of(g, "Stuck") == GO_BLOCK_SELECT0);
  CHECK(block_of(g, "Run") == GO_BLOCK_RANGE);
  CHECK(block_of(g, "Waits") == GO_BLOCK_WAITGROUP);
  CHECK(block_of(g, "ReadConn") == GO_BLOCK_IO);
  CHECK(block_of(g, "CallsRead") == GO_BLOCK_IO);
  CHECK(block_of(g, "Worker") == GO_BLOCK_NONE);
  CHECK(block_of(g, "Naps") == GO_BLOCK_NONE);
  const go_fsum *s = sum_of(g, "Naps");
  CHECK(s && (s->flags & GO_SUM_SLEEPS));
  s = sum_of(g, "Watching");
  CHECK(s && (s->flags & GO_SUM_WATCHES_CTX));
  s = sum_of(g, "Loop");
  CHECK(s && (s->flags & GO_SUM_WATCHES_QUIT) && !(s->flags & GO_SUM_WATCHES_CTX));
  /* the witness of a propagated block is the op in the callee; the node is the call */
  s = sum_of(g, "ViaCall");
  CHECK(s && ts_node_eq(s->block_witness, node_of(g, "ch <- 1")) &&
        ts_node_eq(s->block_node, node_of(g, "Sender(out)")));
  TSNode w;
  uint32_t wf;
  CHECK(go_summary_call_blocks(g->sum, 0, node_of(g, "ReadConn(c)"), &w, &wf) == GO_BLOCK_IO);
  CHECK(ts_node_eq(w, node_of(g, "c.Read(buf)")) && wf == 0);
  CHECK(go_summary_call_blocks(g->sum, 0, node_of(g, "Sender(out)"), NULL, NULL) == GO_BLOCK_SEND);
  CHECK(go_summary_call_blocks(g->sum, 0, node_of(g, "time.Sleep(time.Second)"), NULL, NULL) ==
        GO_BLOCK_NONE);
}

static void test_released(const sunit *g) {
  const go_fsum *s = sum_of(g, "Cancels");
  CHECK(s && s->releases == 3);
  s = sum_of(g, "Rec");
  CHECK(s && s->releases == 1);
  s = sum_of(g, "Sender");
  CHECK(s && s->releases == 0);
}

/* A goroutine literal's op on a captured variable has the spawner's key; a go statement's callee maps
 * parameters to the arguments. */
static void test_identity(const sunit *g) {
  const go_site *spawn_go = NULL, *worker_go = NULL;
  for (size_t i = 0; i < g->ins->nsites[GO_SITE_GO]; i++) {
    const go_site *s = &g->ins->sites[GO_SITE_GO][i];
    if (ts_node_start_byte(s->node) < ts_node_start_byte(node_of(g, "func Spawn")))
      worker_go = s;
    else
      spawn_go = s;
  }
  CHECK(spawn_go && worker_go);
  if (!spawn_go || !worker_go)
    return;
  TSNode call;
  const go_ctx_func *lit = go_summary_goroutine(g->sum, spawn_go, &call);
  const go_fsum *ls = go_summary_of(g->sum, lit);
  CHECK(lit && ls && ls->nops == 1);
  go_obj ch;
  TSNode spawn = node_of(g, "func Spawn() int {");
  CHECK_STR(ts_node_type(spawn), "function_declaration");
  TSNode decl = node_of(g, "ch := make(chan int)");
  decl = ts_node_named_child(ts_node_named_child(decl, 0), 0); /* the identifier ch */
  CHECK(go_summary_obj(g->sum, 0, spawn, decl, &ch) && ch.kind == GO_OBJ_LOCAL && ch.param == -1);
  CHECK_STR(ch.name, "ch");
  if (ls && ls->nops == 1 && ch.key) {
    go_obj m;
    CHECK(go_summary_map(g->sum, lit, 0, call, &ls->ops[0].obj, &m) && strcmp(m.key, ch.key) == 0);
    const go_op *found[2];
    CHECK(go_summary_ops(ls, GO_OP_SEND, ch.key, found, 2) == 1);
    CHECK(go_summary_ops(ls, GO_OP_RECV, ch.key, found, 2) == 0);
  }
  const go_ctx_func *w = go_summary_goroutine(g->sum, worker_go, &call);
  const go_fsum *ws = go_summary_of(g->sum, w);
  CHECK(w && ws && ws->nops == 1);
  if (ws && ws->nops == 1) {
    go_obj m;
    CHECK(go_summary_map(g->sum, w, 0, call, &ws->ops[0].obj, &m) && m.kind == GO_OBJ_LOCAL && m.param == -1);
    CHECK_STR(m.name, "wg");
  }
  /* per-function sites */
  const go_site *const *sites;
  int32_t si = go_context_index(g->ctx, go_context_func_node(g->ctx, 0, spawn));
  CHECK(si >= 0 && go_summary_sites(g->sum, GO_SITE_GO, (uint32_t)si, &sites) == 1);
  CHECK(si >= 0 && go_summary_sites(g->sum, GO_SITE_RECV, (uint32_t)si, &sites) == 1);
  CHECK(si >= 0 && go_summary_sites(g->sum, GO_SITE_SEND, (uint32_t)si, &sites) == 0);
}

static void test_helpers(const sunit *g) {
  CHECK(go_summary_is_quit_name(g->base.f, node_of(g, "s.quit")));
  CHECK(!go_summary_is_quit_name(g->base.f, node_of(g, "s.jobs")));
  CHECK(go_summary_is_done_chan(g->base.f, node_of(g, "ctx.Done()")));
  TSNode sel = node_of(g, "case <-ctx.Done():");
  while (!ts_node_is_null(sel) && strcmp(ts_node_type(sel), "select_statement") != 0)
    sel = ts_node_parent(sel);
  CHECK(go_summary_select_escapes(g->sum, 0, sel));
  CHECK_STR(go_summary_block_label(GO_BLOCK_RANGE), "a range over a channel");
}

/* Many ops: the list is cut at GO_SUMMARY_MAX_OPS and marked. */
static void test_truncated(void) {
  char *text = malloc(64 * 1024);
  if (!text)
    return;
  size_t n = (size_t)snprintf(text, 64 * 1024, "package p\n\nfunc Many(");
  for (int i = 0; i < 70; i++)
    n += (size_t)snprintf(text + n, 64 * 1024 - n, "%sc%d chan int", i ? ", " : "", i);
  n += (size_t)snprintf(text + n, 64 * 1024 - n, ") {\n");
  for (int i = 0; i < 70; i++)
    n += (size_t)snprintf(text + n, 64 * 1024 - n, "\tclose(c%d)\n", i);
  snprintf(text + n, 64 * 1024 - n, "}\n");
  sunit g;
  bool ok = sunit_open(&g, "many.go", text);
  CHECK(ok);
  if (ok) {
    const go_fsum *s = sum_of(&g, "Many");
    CHECK(s && s->nops == GO_SUMMARY_MAX_OPS && (s->flags & GO_SUM_TRUNCATED));
  }
  sunit_close(&g);
  free(text);
}

/* Broken code: summaries are computed and marked unknown, nothing crashes. */
static void test_broken(void) {
  sunit g;
  bool ok = sunit_open(&g, "broken.go", "package p\n\nfunc F(ch chan int) {\n\tch <- \n\tfor {\n}\n");
  CHECK(ok);
  if (ok) {
    const go_fsum *s = sum_of(&g, "F");
    CHECK(s && (s->flags & GO_SUM_UNKNOWN));
  }
  sunit_close(&g);
}

int main(void) {
  sunit g;
  bool ok = sunit_open(&g, "sum.go", src);
  CHECK(ok);
  if (ok) {
    test_ops(&g);
    test_blocks(&g);
    test_released(&g);
    test_identity(&g);
    test_helpers(&g);
  }
  sunit_close(&g);
  test_truncated();
  test_broken();
  return check_done();
}
