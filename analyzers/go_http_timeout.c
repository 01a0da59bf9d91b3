/* go_http_timeout.c - STUB: to be written. */
#include "analyzers.h"
#include "pass.h"

static omen_status run(omen_pass *pass, void **result) {
  (void)pass;
  *result = NULL;
  return OMEN_OK;
}

const omen_analyzer omen_go_http_timeout = {
    .name = "go-http-timeout",
    .title = "stub",
    .doc = "stub",
    .langs = OMEN_LANG_GO,
    .run = run,
};
