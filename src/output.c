/* output.c - format names, dispatch to the writers, and the JSON helpers they share. */
#include "output.h"

#include <stdlib.h>
#include <string.h>

#include "out_util.h"

static const char *const format_names[] = {
    [OMEN_FORMAT_TEXT] = "text",     [OMEN_FORMAT_JSON] = "json",     [OMEN_FORMAT_SARIF] = "sarif",
    [OMEN_FORMAT_GITHUB] = "github", [OMEN_FORMAT_GITLAB] = "gitlab", [OMEN_FORMAT_CHECKSTYLE] = "checkstyle",
};

bool omen_format_parse(const char *s, omen_format *out) {
  for (size_t i = 0; s && i < sizeof format_names / sizeof *format_names; i++) {
    if (strcmp(s, format_names[i]) == 0) {
      *out = (omen_format)i;
      return true;
    }
  }
  return false;
}

const char *omen_format_name(omen_format f) {
  return (size_t)f < sizeof format_names / sizeof *format_names ? format_names[f] : "?";
}

omen_status omen_write(omen_format f, FILE *out, const omen_result *r, const omen_output_opts *o) {
  switch (f) {
  case OMEN_FORMAT_TEXT:
    return omen_write_text(out, r, o);
  case OMEN_FORMAT_JSON:
    return omen_write_json(out, r, o);
  case OMEN_FORMAT_SARIF:
    return omen_write_sarif(out, r, o);
  case OMEN_FORMAT_GITHUB:
    return omen_write_github(out, r, o);
  case OMEN_FORMAT_GITLAB:
    return omen_write_gitlab(out, r, o);
  case OMEN_FORMAT_CHECKSTYLE:
    return omen_write_checkstyle(out, r, o);
  }
  return OMEN_EUSAGE;
}

omen_status omen_out_check(const omen_result *r) {
  if (!r || (r->ndiags && !r->diags))
    return OMEN_EINTERNAL;
  for (size_t i = 0; i < r->ndiags; i++)
    if (!r->diags[i].rule || !r->diags[i].rule->id)
      return OMEN_EINTERNAL;
  return OMEN_OK;
}

const char *omen_rule_family(const char *id, char *buf, size_t len) {
  const char *slash = strchr(id, '/');
  size_t n = slash ? (size_t)(slash - id) : strlen(id);
  snprintf(buf, len, "%.*s", (int)n, id);
  return buf;
}

uint64_t omen_out_hash(uint64_t h, const char *s) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  do {
    h ^= *p;
    h *= 0x100000001b3ULL;
  } while (*p++);
  return h;
}

omen_out_span omen_out_span_of(const omen_loc *l) {
  omen_out_span sp;
  sp.line = l->start_pos.line ? l->start_pos.line : 1;
  sp.col = l->start_pos.col16 ? l->start_pos.col16 : 1;
  sp.end_line = l->end_pos.line;
  sp.end_col = l->end_pos.col16;
  if (sp.end_line < sp.line || (sp.end_line == sp.line && sp.end_col < sp.col)) {
    sp.end_line = sp.line;
    sp.end_col = sp.col;
  }
  if (sp.end_line > sp.line && sp.end_col <= 1) {
    sp.end_line--;
    sp.end_col = 0;
  }
  return sp;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if the byte there starts none. */
static size_t utf8_seq(const unsigned char *s) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  size_t n;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0; /* overlong */
    else if (c == 0xED)
      hi = 0x9F; /* surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F; /* above U+10FFFF */
  } else {
    return 0;
  }
  if (s[1] < lo || s[1] > hi)
    return 0;
  for (size_t k = 2; k < n; k++)
    if ((s[k] & 0xC0) != 0x80)
      return 0; /* also stops at the NUL terminator */
  return n;
}

char *omen_utf8_clean(const char *s) {
  if (!s)
    s = "";
  size_t len = strlen(s);
  if (len > (SIZE_MAX - 1) / 3)
    return NULL;
  char *out = malloc(len * 3 + 1); /* each bad byte may become a 3-byte U+FFFD */
  if (!out)
    return NULL;
  const unsigned char *p = (const unsigned char *)s;
  size_t o = 0;
  while (*p) {
    size_t n = utf8_seq(p);
    if (n == 0) {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      p++;
    } else {
      memcpy(out + o, p, n);
      o += n;
      p += n;
    }
  }
  out[o] = '\0';
  return out;
}

static cJSON *jw_add(omen_jw *w, cJSON *parent, const char *key, cJSON *item) {
  if (!parent || !item) {
    cJSON_Delete(item);
    w->failed = true;
    return NULL;
  }
  bool ok = key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item);
  if (!ok) {
    cJSON_Delete(item);
    w->failed = true;
    return NULL;
  }
  return item;
}

cJSON *omen_jw_obj(omen_jw *w, cJSON *parent, const char *key) {
  return jw_add(w, parent, key, cJSON_CreateObject());
}

cJSON *omen_jw_arr(omen_jw *w, cJSON *parent, const char *key) {
  return jw_add(w, parent, key, cJSON_CreateArray());
}

void omen_jw_str(omen_jw *w, cJSON *parent, const char *key, const char *s) {
  char *clean = omen_utf8_clean(s);
  if (!clean) {
    w->failed = true;
    return;
  }
  jw_add(w, parent, key, cJSON_CreateString(clean));
  free(clean);
}

void omen_jw_num(omen_jw *w, cJSON *parent, const char *key, double v) {
  jw_add(w, parent, key, cJSON_CreateNumber(v));
}

void omen_jw_bool(omen_jw *w, cJSON *parent, const char *key, bool v) {
  jw_add(w, parent, key, cJSON_CreateBool(v));
}

omen_status omen_jw_finish(omen_jw *w, cJSON *root, FILE *out) {
  if (!root || w->failed) {
    cJSON_Delete(root);
    return OMEN_ENOMEM;
  }
  char *text = cJSON_Print(root);
  cJSON_Delete(root);
  if (!text)
    return OMEN_ENOMEM;
  size_t len = strlen(text);
  bool ok = fwrite(text, 1, len, out) == len && fputc('\n', out) != EOF && fflush(out) == 0;
  free(text);
  return ok && !ferror(out) ? OMEN_OK : OMEN_EIO;
}
