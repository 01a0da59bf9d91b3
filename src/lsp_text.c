/* lsp_text.c - LSP positions (lines, UTF-16 code units) to byte offsets and back; file URIs; JSON
 * fields and ranges. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lsp.h"
#include "lsp_int.h"
#include "omen.h"

#define MAX_URI_PATH 4096

size_t omen_lsp_offset(const char *text, size_t len, unsigned long line, unsigned long character) {
  size_t i = 0;
  for (unsigned long l = 0; l < line; l++) {
    while (i < len && text[i] != '\n' && text[i] != '\r')
      i++;
    if (i >= len)
      return len; /* past the last line: the end of the text */
    if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
      i++;
    i++;
  }
  unsigned long units = 0;
  while (i < len && text[i] != '\n' && text[i] != '\r' && units < character) {
    uint32_t u;
    uint32_t step = omen_utf8_step((const unsigned char *)text + i, len - i, &u);
    if (units + u > character)
      break; /* inside a surrogate pair: the start of the character */
    units += u;
    i += step;
  }
  return i;
}

void omen_lsp_position(const char *text, size_t len, size_t off, unsigned long *line, unsigned long *character) {
  if (off > len)
    off = len;
  unsigned long l = 0, c = 0;
  size_t i = 0;
  while (i < off) {
    if (text[i] == '\n' || text[i] == '\r') {
      if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') {
        if (i + 1 == off)
          break; /* between \r and \n: still the end of this line */
        i++;
      }
      i++;
      l++;
      c = 0;
      continue;
    }
    uint32_t u;
    uint32_t step = omen_utf8_step((const unsigned char *)text + i, len - i, &u);
    if (i + step > off)
      break; /* inside a UTF-8 sequence: the start of the character */
    c += u;
    i += step;
  }
  *line = l;
  *character = c;
}

static int hexval(char ch) {
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

char *omen_lsp_uri_to_path(const char *uri) {
  if (strncasecmp(uri, "file://", 7) != 0)
    return NULL;
  const char *p = uri + 7;
  const char *slash = strchr(p, '/');
  if (!slash)
    return NULL;
  size_t host = (size_t)(slash - p);
  if (host != 0 && !(host == 9 && strncasecmp(p, "localhost", 9) == 0))
    return NULL; /* a file on another machine */
  p = slash;
  size_t n = strcspn(p, "?#");
  if (n > MAX_URI_PATH * 3)
    return NULL;
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] != '%') {
      out[o++] = p[i];
      continue;
    }
    int hi = i + 2 < n ? hexval(p[i + 1]) : -1;
    int lo = hi >= 0 ? hexval(p[i + 2]) : -1;
    if (lo < 0 || (hi == 0 && lo == 0)) {
      free(out);
      return NULL;
    }
    out[o++] = (char)(hi * 16 + lo);
    i += 2;
  }
  out[o] = '\0';
  if (o > MAX_URI_PATH) {
    free(out);
    return NULL;
  }
  return out;
}

char *omen_lsp_path_to_uri(const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(path);
  char *out = malloc(7 + 3 * n + 1);
  if (!out)
    return NULL;
  memcpy(out, "file://", 7);
  size_t o = 7;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)path[i];
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("-._~/", ch)) {
      out[o++] = (char)ch;
    } else {
      out[o++] = '%';
      out[o++] = hex[ch >> 4];
      out[o++] = hex[ch & 15];
    }
  }
  out[o] = '\0';
  return out;
}

/* ---- JSON ---- */

const char *lsp_str_at(const cJSON *obj, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A non-negative integer field; false when missing or not one. */
bool lsp_uint_at(const cJSON *obj, const char *key, unsigned long *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 4294967295.0 ||
      v->valuedouble != (double)(unsigned long)v->valuedouble)
    return false;
  *out = (unsigned long)v->valuedouble;
  return true;
}

/* A document version (an LSP integer: 32 bits); false when missing or not one. */
bool lsp_version_at(const cJSON *obj, long *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "version");
  if (!cJSON_IsNumber(v) || v->valuedouble < -2147483648.0 || v->valuedouble > 2147483647.0)
    return false;
  *out = (long)v->valuedouble;
  return true;
}

cJSON *lsp_json_range(const char *text, size_t len, size_t start, size_t end) {
  unsigned long l0, c0, l1, c1;
  omen_lsp_position(text, len, start, &l0, &c0);
  omen_lsp_position(text, len, end < start ? start : end, &l1, &c1);
  cJSON *r = cJSON_CreateObject();
  cJSON *a = cJSON_AddObjectToObject(r, "start");
  cJSON *b = cJSON_AddObjectToObject(r, "end");
  if (!a || !b || !cJSON_AddNumberToObject(a, "line", (double)l0) ||
      !cJSON_AddNumberToObject(a, "character", (double)c0) || !cJSON_AddNumberToObject(b, "line", (double)l1) ||
      !cJSON_AddNumberToObject(b, "character", (double)c1)) {
    cJSON_Delete(r);
    return NULL;
  }
  return r;
}
