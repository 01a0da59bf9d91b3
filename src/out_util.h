/* out_util.h - private helpers shared by the output writers (defined in output.c). */
#ifndef OMEN_OUT_UTIL_H
#define OMEN_OUT_UTIL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "driver.h"

/* A JSON tree under construction. Every helper accepts a NULL parent (an earlier allocation
 * failed) and records failures in failed, so builders check once at the end. */
typedef struct omen_jw {
  bool failed;
} omen_jw;

/* With key NULL the new value is appended to parent (an array). */
cJSON *omen_jw_obj(omen_jw *w, cJSON *parent, const char *key);
cJSON *omen_jw_arr(omen_jw *w, cJSON *parent, const char *key);
/* s is made valid UTF-8 (invalid bytes become U+FFFD); NULL is written as "". */
void omen_jw_str(omen_jw *w, cJSON *parent, const char *key, const char *s);
void omen_jw_num(omen_jw *w, cJSON *parent, const char *key, double v);
void omen_jw_bool(omen_jw *w, cJSON *parent, const char *key, bool v);

/* Prints root (formatted, newline-terminated) to out and deletes it, also when w->failed. */
omen_status omen_jw_finish(omen_jw *w, cJSON *root, FILE *out);

/* A copy of s that is valid UTF-8; caller frees with free(). NULL on allocation failure. */
char *omen_utf8_clean(const char *s);

/* OMEN_EINTERNAL if a diagnostic of r has no rule (an invariant the writers rely on). */
omen_status omen_out_check(const omen_result *r);

/* The family of a rule id (the part before '/'), copied into buf. */
const char *omen_rule_family(const char *id, char *buf, size_t len);

/* FNV-1a (64 bits) of s including its terminator, so that consecutive fields stay apart ("a","bc"
 * differs from "ab","c"); start from OMEN_HASH_SEED. NULL hashes as "". */
#define OMEN_HASH_SEED 0xcbf29ce484222325ULL
uint64_t omen_out_hash(uint64_t h, const char *s);

/* A location as the line-based formats want it: 1-based lines, 1-based UTF-16 columns, an end
 * that is never before the start, and a range that ends at column 1 of a later line (a whole
 * line with its newline) ending on the line before, with end_col 0 (up to the end of the line). */
typedef struct omen_out_span {
  uint32_t line, col, end_line, end_col;
} omen_out_span;
omen_out_span omen_out_span_of(const omen_loc *l);

#endif
