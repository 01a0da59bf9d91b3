/* registry.c - the explicit list of analyzers; the engine validates and orders it at start-up. */
#include "analyzers.h"

const omen_analyzer *const omen_registry[] = {
    /* Go: base analyzers */
    &omen_go_inspect,
    &omen_go_types,
    &omen_go_cfg,
    &omen_go_context,
    &omen_go_locks,
    &omen_go_summary,
    /* Go: families */
    &omen_go_http_timeout,
    &omen_go_timeouts,
    &omen_go_resource_leak,
    &omen_go_unbounded_stream,
    &omen_go_goroutine_leak,
    &omen_go_deadlock,
    &omen_go_map_race,
    /* C/C++ */
    &omen_c_inspect,
    &omen_c_thread_join,
    &omen_c_threads,
    &omen_c_thread_lifetime,
    &omen_c_resource_leak,
    &omen_c_timeouts,
    &omen_c_unbounded_stream,
    &omen_c_locks,
    &omen_c_deadlock,
    &omen_c_map_race,
    &omen_rule_pack,
    NULL,
};
