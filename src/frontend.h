/* frontend.h - the Go (tree-sitter) and C/C++ (libclang) front ends as the driver and fixer use them. */
#ifndef OMEN_FRONTEND_H
#define OMEN_FRONTEND_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <tree_sitter/api.h>

#include "omen.h"

/* Which language a path is, by its extension: OMEN_LANG_* or 0. Headers (.h/.hpp) return 0. */
unsigned omen_lang_of_path(const char *path);
/* OMEN_LANG_C (.h) or OMEN_LANG_CPP (.hh .hpp .hxx .h++ .H) for a header named alone on the command
 * line (headers a TU includes are analyzed in that TU's language); 0 for anything else. */
unsigned omen_lang_of_header(const char *path);

/* Number of syntax errors in text when parsed as path's language (Go: ERROR and MISSING nodes;
 * C/C++: libclang error diagnostics with default flags). -1 when it cannot be parsed at all. */
int omen_syntax_errors(const char *path, const char *text, size_t len);

/* Is this Go source generated? The convention (go help generate): a line
 * "// Code generated ... DO NOT EDIT." before the package clause. */
bool omen_go_generated(const char *text, size_t len);

/* The function enclosing byte off of a Go file (root: its tree's root; text: its source), as a
 * fingerprint and people name it: "Serve", "(*Server).Serve", "T.String"; the named function around
 * a func literal. NULL at top level or when out of memory; the caller frees it. */
char *omen_go_scope_at(TSNode root, const char *text, uint32_t off);

/* The same for C/C++: the function or method around byte off of file in tu, qualified by its
 * namespaces and classes ("ns::Pool::worker", "main"). NULL outside functions. */
char *omen_c_scope_at(CXTranslationUnit tu, CXFile file, uint32_t off);

#endif
