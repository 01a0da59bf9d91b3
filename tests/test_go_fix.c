/* test_go_fix.c - the values fixes write for rule options: durations and sizes as Go source. */
#include <string.h>

#include "arena.h"
#include "check.h"
#include "go_fix.h"

static bool is(const char *got, const char *want) {
  if (got && strcmp(got, want) == 0)
    return true;
  fprintf(stderr, "got '%s', want '%s'\n", got ? got : "(null)", want);
  return false;
}

int main(void) {
  omen_arena *a = omen_arena_new();
  CHECK(a != NULL);
  if (!a)
    return check_done();
  /* the largest unit that divides the duration; gofmt's spacing for each place */
  CHECK(is(go_fix_duration(a, 30000000000LL, "time", true), "30 * time.Second"));
  CHECK(is(go_fix_duration(a, 10000000000LL, "time", false), "10*time.Second"));
  CHECK(is(go_fix_duration(a, 90000000000LL, "t", true), "90 * t.Second"));
  CHECK(is(go_fix_duration(a, 120000000000LL, "time", true), "2 * time.Minute"));
  CHECK(is(go_fix_duration(a, 7200000000000LL, "time", true), "2 * time.Hour"));
  CHECK(is(go_fix_duration(a, 1500000000LL, "time", true), "1500 * time.Millisecond"));
  CHECK(is(go_fix_duration(a, 250000LL, "time", false), "250*time.Microsecond"));
  CHECK(is(go_fix_duration(a, 7, "time", false), "7*time.Nanosecond"));
  CHECK(go_fix_duration(a, 0, "time", true) == NULL);
  CHECK(go_fix_duration(a, -5, "time", true) == NULL);
  /* sizes: powers of two from 1 KiB as shifts, the rest in decimal */
  const char *human = NULL;
  CHECK(is(go_fix_bytes(a, 1LL << 20, &human), "1<<20") && is(human, "1 MiB"));
  CHECK(is(go_fix_bytes(a, 1LL << 25, &human), "1<<25") && is(human, "32 MiB"));
  CHECK(is(go_fix_bytes(a, 1024, &human), "1<<10") && is(human, "1 KiB"));
  CHECK(is(go_fix_bytes(a, 1000000, &human), "1000000") && is(human, "1000000 bytes"));
  CHECK(is(go_fix_bytes(a, 512, &human), "512") && is(human, "512 bytes"));
  CHECK(is(go_fix_bytes(a, 1LL << 40, &human), "1<<40") && is(human, "1 TiB"));
  CHECK(go_fix_bytes(a, 0, NULL) == NULL);
  omen_arena_free(a);
  return check_done();
}
