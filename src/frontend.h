/* frontend.h - the Go (tree-sitter) and C/C++ (libclang) front ends as the driver and fixer use them. */
#ifndef OMEN_FRONTEND_H
#define OMEN_FRONTEND_H

#include <stdbool.h>

#include "omen.h"

/* Which language a path is, by its extension: OMEN_LANG_* or 0. Headers (.h/.hpp) return 0. */
unsigned omen_lang_of_path(const char *path);

/* Number of syntax errors in text when parsed as path's language (Go: ERROR and MISSING nodes;
 * C/C++: libclang error diagnostics with default flags). -1 when it cannot be parsed at all. */
int omen_syntax_errors(const char *path, const char *text, size_t len);

/* Is this Go source generated? The convention (go help generate): a line
 * "// Code generated ... DO NOT EDIT." before the package clause. */
bool omen_go_generated(const char *text, size_t len);

#endif
