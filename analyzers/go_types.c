/* go_types.c - STUB: to be written. */
#include "analyzers.h"
#include "pass.h"

static omen_status run(omen_pass *pass, void **result) {
  (void)pass;
  *result = NULL;
  return OMEN_OK;
}

const omen_analyzer omen_go_types = {
    .name = "go-types",
    .title = "stub",
    .doc = "stub",
    .langs = OMEN_LANG_GO,
    .run = run,
};
