/* test_facts.c - unit tests of the run-level fact store: copies, grouping by analyzer, a sort that
 * does not depend on the order facts arrive in (workers), concurrent adds, and the caps. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "facts.h"

static const omen_analyzer an_a = {.name = "alpha"}, an_b = {.name = "beta"};

/* "unit|key|data" lines of the facts of a, in store order, into buf. */
static void dump(const omen_facts *fs, const omen_analyzer *a, char *buf, size_t n) {
  size_t nf = 0, o = 0;
  const omen_fact *v = omen_facts_of(fs, a, &nf);
  buf[0] = '\0';
  for (size_t i = 0; i < nf && o < n; i++) {
    int w =
        snprintf(buf + o, n - o, "%s|%s|%.*s;", v[i].unit, v[i].key, (int)v[i].len, (const char *)v[i].data);
    if (w < 0)
      break;
    o += (size_t)w;
  }
}

static void test_copy_and_group(void) {
  omen_facts *fs = omen_facts_new();
  char key[8] = "k1", data[8] = "d1";
  CHECK(omen_facts_add(fs, &an_b, "b.c", key, data, 2) == OMEN_OK);
  strcpy(key, "XX"); /* the store holds copies */
  strcpy(data, "XX");
  CHECK(omen_facts_add(fs, &an_a, "z.c", "k2", "d", 1) == OMEN_OK);
  CHECK(omen_facts_add(fs, &an_a, "a.c", "k2", "d", 1) == OMEN_OK);
  CHECK(omen_facts_add(fs, &an_a, "a.c", "k1", "", 0) == OMEN_OK);
  CHECK(omen_facts_add(fs, &an_a, "a.c", "k2", "c", 1) == OMEN_OK);
  omen_facts_sort(fs);
  char buf[512];
  dump(fs, &an_a, buf, sizeof buf);
  CHECK_STR(buf, "a.c|k1|;a.c|k2|c;a.c|k2|d;z.c|k2|d;"); /* key, then unit, then data */
  dump(fs, &an_b, buf, sizeof buf);
  CHECK_STR(buf, "b.c|k1|d1;");
  size_t n = 0;
  const omen_fact *v = omen_facts_of(fs, &an_b, &n);
  CHECK(n == 1 && v && ((const char *)v->data)[v->len] == '\0'); /* readable as a string */
  CHECK(omen_facts_count(fs) == 5);
  CHECK(omen_facts_add(fs, &an_a, NULL, "k", "d", 1) == OMEN_EINTERNAL);
  omen_facts_free(fs);
  omen_facts_free(NULL);
}

/* Facts from several threads, in any interleaving, sort to the same sequence. */
typedef struct adder {
  omen_facts *fs;
  int id;
} adder;

static void *add_many(void *arg) {
  adder *ad = arg;
  for (int i = 0; i < 500; i++) {
    char unit[32], key[32], data[32];
    snprintf(unit, sizeof unit, "u%d.c", ad->id);
    snprintf(key, sizeof key, "k%03d", (i * 7919) % 500);
    snprintf(data, sizeof data, "%d", i);
    omen_facts_add(ad->fs, ad->id % 2 ? &an_a : &an_b, unit, key, data, strlen(data));
  }
  return NULL;
}

static char *run_threads(int reverse) {
  omen_facts *fs = omen_facts_new();
  pthread_t th[4];
  adder ad[4];
  for (int i = 0; i < 4; i++) {
    ad[i] = (adder){fs, reverse ? 3 - i : i};
    pthread_create(&th[i], NULL, add_many, &ad[i]);
  }
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  omen_facts_sort(fs);
  CHECK(omen_facts_count(fs) == 2000);
  char *buf = malloc(1 << 16);
  dump(fs, &an_a, buf, 1 << 16);
  omen_facts_free(fs);
  return buf;
}

static void test_threads_deterministic(void) {
  char *x = run_threads(0), *y = run_threads(1);
  CHECK(x && y && strcmp(x, y) == 0);
  CHECK(x && strncmp(x, "u1.c|k000|0;u3.c|k000|0;u1.c|k001|", 33) == 0);
  free(x);
  free(y);
}

static void test_caps(void) {
  omen_facts *fs = omen_facts_new();
  char *big = calloc(OMEN_FACT_MAX_BYTES + 2, 1);
  CHECK(omen_facts_add(fs, &an_a, "a.c", "k", big, OMEN_FACT_MAX_BYTES + 1) == OMEN_ELIMIT);
  CHECK(omen_facts_dropped(fs) == 1 && omen_facts_count(fs) == 0);
  /* the store's total: facts of the largest size until it refuses */
  omen_status s = OMEN_OK;
  size_t added = 0;
  while (s == OMEN_OK && added < OMEN_FACTS_MAX_BYTES / OMEN_FACT_MAX_BYTES + 8) {
    s = omen_facts_add(fs, &an_a, "a.c", "k", big, OMEN_FACT_MAX_BYTES);
    added += s == OMEN_OK;
  }
  CHECK(s == OMEN_ELIMIT);
  CHECK(added < OMEN_FACTS_MAX_BYTES / OMEN_FACT_MAX_BYTES && added > 0);
  free(big);
  omen_facts_free(fs);
}

int main(void) {
  test_copy_and_group();
  test_threads_deterministic();
  test_caps();
  return check_done();
}
