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

unsigned omen_lang_of_header(const char *path) {
  if (ends_with(path, ".h"))
    return OMEN_LANG_C;
  static const char *const cpp[] = {".hh", ".hpp", ".hxx", ".h++", ".H", NULL};
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

static char *node_str(TSNode n, const char *text) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  return ts_node_is_null(n) || e < s ? NULL : strndup(text + s, e - s);
}

/* "(*T)" or "T" for a method's receiver list `(r *T)`, `(T)`, `(r *T[K])`. */
static char *receiver_text(TSNode recv, const char *text) {
  TSNode decl = ts_node_named_child(recv, 0);
  TSNode ty = ts_node_is_null(decl) ? decl : ts_node_child_by_field_name(decl, "type", 4);
  if (ts_node_is_null(ty))
    return NULL;
  bool ptr = strcmp(ts_node_type(ty), "pointer_type") == 0;
  if (ptr)
    ty = ts_node_named_child(ty, 0);
  if (!ts_node_is_null(ty) && strcmp(ts_node_type(ty), "generic_type") == 0)
    ty = ts_node_child_by_field_name(ty, "type", 4);
  char *name = node_str(ty, text);
  if (!name)
    return NULL;
  size_t n = strlen(name) + 4;
  char *out = malloc(n);
  if (out)
    snprintf(out, n, ptr ? "(*%s)" : "%s", name);
  free(name);
  return out;
}

char *omen_go_scope_at(TSNode root, const char *text, uint32_t off) {
  if (ts_node_is_null(root) || !text)
    return NULL;
  /* the top-level declaration around off: a child of the root (no parent walks) */
  uint32_t n = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < n; i++) {
    TSNode d = ts_node_named_child(root, i);
    if (ts_node_start_byte(d) > off)
      break;
    if (ts_node_end_byte(d) <= off)
      continue;
    const char *k = ts_node_type(d);
    bool method = strcmp(k, "method_declaration") == 0;
    if (!method && strcmp(k, "function_declaration") != 0)
      return NULL;
    char *name = node_str(ts_node_child_by_field_name(d, "name", 4), text);
    if (!name || !method)
      return name;
    char *recv = receiver_text(ts_node_child_by_field_name(d, "receiver", 8), text);
    if (!recv)
      return name;
    size_t len = strlen(recv) + strlen(name) + 2;
    char *out = malloc(len);
    if (out)
      snprintf(out, len, "%s.%s", recv, name);
    free(recv);
    free(name);
    return out;
  }
  return NULL;
}

static bool is_function_cursor(enum CXCursorKind k) {
  return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
         k == CXCursor_Destructor || k == CXCursor_ConversionFunction || k == CXCursor_FunctionTemplate;
}

char *omen_c_scope_at(CXTranslationUnit tu, CXFile file, uint32_t off) {
  if (!tu || !file)
    return NULL;
  CXCursor c = clang_getCursor(tu, clang_getLocationForOffset(tu, file, off));
  /* up through lambdas and blocks to the function */
  for (int guard = 0; guard < 64 && !clang_Cursor_isNull(c) && !is_function_cursor(clang_getCursorKind(c));
       guard++) {
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_TranslationUnit || clang_isInvalid(k))
      return NULL;
    c = clang_getCursorSemanticParent(c);
  }
  if (clang_Cursor_isNull(c) || !is_function_cursor(clang_getCursorKind(c)))
    return NULL;
  char buf[1024];
  size_t len = 0;
  buf[0] = '\0';
  /* qualifiers, innermost last */
  CXCursor parts[16];
  size_t np = 0;
  for (CXCursor p = c; np < 16 && !clang_Cursor_isNull(p); p = clang_getCursorSemanticParent(p)) {
    enum CXCursorKind k = clang_getCursorKind(p);
    if (k == CXCursor_TranslationUnit || clang_isInvalid(k))
      break;
    parts[np++] = p;
  }
  for (size_t i = np; i > 0; i--) {
    CXString sp = clang_getCursorSpelling(parts[i - 1]);
    const char *t = clang_getCString(sp);
    int w = snprintf(buf + len, sizeof buf - len, "%s%s", len ? "::" : "", t && *t ? t : "(anonymous)");
    clang_disposeString(sp);
    if (w < 0 || (size_t)w >= sizeof buf - len)
      break;
    len += (size_t)w;
  }
  return len ? strdup(buf) : NULL;
}

