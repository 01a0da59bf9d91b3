/* frontend.c - language detection and syntax checks shared by the driver and the fixer. */
#include "frontend.h"

#include <clang-c/Index.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "pass.h"
#include "reader.h"

const TSLanguage *tree_sitter_go(void);

const TSLanguage *omen_go_language(void) { return tree_sitter_go(); }

static bool ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

unsigned omen_lang_of_path(const char *path) {
  if (ends_with(path, ".go"))
    return OMEN_LANG_GO;
  if (ends_with(path, ".c"))
    return OMEN_LANG_C;
  static const char *const cpp[] = {".cc", ".cpp", ".cxx", ".c++", ".C", NULL};
  for (size_t i = 0; cpp[i]; i++)
    if (ends_with(path, cpp[i]))
      return OMEN_LANG_CPP;
  return 0;
}

static int count_ts_errors(TSNode n) {
  if (!ts_node_has_error(n))
    return 0;
  if (ts_node_is_missing(n) || strcmp(ts_node_type(n), "ERROR") == 0)
    return 1;
  int c = 0;
  uint32_t k = ts_node_child_count(n);
  for (uint32_t i = 0; i < k; i++)
    c += count_ts_errors(ts_node_child(n, i));
  return c;
}

int omen_syntax_errors(const char *path, const char *text, size_t len) {
  unsigned lang = omen_lang_of_path(path);
  if (lang == OMEN_LANG_GO) {
    TSParser *p = ts_parser_new();
    if (!p || !ts_parser_set_language(p, omen_go_language())) {
      ts_parser_delete(p);
      return -1;
    }
    TSTree *t = ts_parser_parse_string(p, NULL, text, (uint32_t)len);
    int n = t ? count_ts_errors(ts_tree_root_node(t)) : -1;
    ts_tree_delete(t);
    ts_parser_delete(p);
    return n;
  }
  if (lang & OMEN_LANG_CFAMILY) {
    char *abs = omen_abspath(path);
    if (!abs)
      return -1;
    CXIndex idx = clang_createIndex(0, 0);
    struct CXUnsavedFile uf = {abs, text, (unsigned long)len};
    const char *args_c[] = {"-x", "c", "-std=gnu17", "-w"};
    const char *args_cpp[] = {"-x", "c++", "-std=gnu++17", "-w"};
    CXTranslationUnit tu = NULL;
    enum CXErrorCode ec = clang_parseTranslationUnit2(idx, abs, lang == OMEN_LANG_C ? args_c : args_cpp, 4, &uf,
                                                      1, CXTranslationUnit_KeepGoing, &tu);
    int n = -1;
    if (ec == CXError_Success && tu) {
      n = 0;
      unsigned nd = clang_getNumDiagnostics(tu);
      for (unsigned i = 0; i < nd; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
          n++;
        clang_disposeDiagnostic(d);
      }
      clang_disposeTranslationUnit(tu);
    }
    clang_disposeIndex(idx);
    free(abs);
    return n;
  }
  return -1;
}

bool omen_go_generated(const char *text, size_t len) {
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((eol ? eol : end) - p);
    if (n && p[n - 1] == '\r')
      n--;
    if (n >= 8 && memcmp(p, "package ", 8) == 0)
      return false;
    if (n >= 31 && memcmp(p, "// Code generated ", 18) == 0 && memcmp(p + n - 13, " DO NOT EDIT.", 13) == 0)
      return true;
    if (!eol)
      break;
    p = eol + 1;
  }
  return false;
}
