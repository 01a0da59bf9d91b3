/* facts.h - run-level storage for the facts analyzers export from their units (omen_pass_export),
 * read back by their finish hooks once every unit has run. */
#ifndef OMEN_FACTS_H
#define OMEN_FACTS_H

#include "pass.h"

/* Caps: past them omen_facts_add refuses (OMEN_ELIMIT) and the run goes on without the fact. */
enum { OMEN_FACTS_MAX = 1000000, OMEN_FACT_MAX_BYTES = 1u << 16, OMEN_FACTS_MAX_BYTES = 256u << 20 };

typedef struct omen_facts omen_facts;

/* Caller frees with omen_facts_free. NULL when out of memory. */
omen_facts *omen_facts_new(void);
void omen_facts_free(omen_facts *fs); /* accepts NULL */

/* Copies a fact of analyzer a exported by unit (its display name) into the store. Thread-safe.
 * OMEN_ELIMIT past the caps, OMEN_ENOMEM when out of memory. */
omen_status omen_facts_add(omen_facts *fs, const omen_analyzer *a, const char *unit, const char *key,
                           const void *data, size_t len);

/* Sorts the facts (analyzer name, key, unit, data), so what a finish hook sees does not depend on
 * which worker ran first. Call once, after the workers are done. */
void omen_facts_sort(omen_facts *fs);

/* The facts of analyzer a, contiguous after omen_facts_sort; *n gets their count. Owned by the
 * store, do not free. */
const omen_fact *omen_facts_of(const omen_facts *fs, const omen_analyzer *a, size_t *n);

/* Facts in the store and how many were refused by the caps. */
size_t omen_facts_count(const omen_facts *fs);
size_t omen_facts_dropped(const omen_facts *fs);

#endif
