/* omen.c - small shared pieces: names of enums, diagnostics' memory, positions in files. */
#include <stdlib.h>
#include <string.h>

#include "omen.h"

const char *omen_status_str(omen_status s) {
  switch (s) {
  case OMEN_OK:
    return "ok";
  case OMEN_ENOMEM:
    return "out of memory";
  case OMEN_EIO:
    return "input/output error";
  case OMEN_EPARSE:
    return "parse error";
  case OMEN_EUSAGE:
    return "usage error";
  case OMEN_ECHANGED:
    return "file changed since it was read";
  case OMEN_ELIMIT:
    return "size limit reached";
  case OMEN_EINTERNAL:
    return "internal error";
  case OMEN_ECANCELED:
    return "canceled";
  }
  return "unknown error";
}

static const char *const sev_names[] = {"note", "warning", "error"};
static const char *const conf_names[] = {"low", "medium", "high"};

const char *omen_severity_str(omen_severity s) { return (unsigned)s < 3 ? sev_names[s] : "?"; }
const char *omen_confidence_str(omen_confidence c) { return (unsigned)c < 3 ? conf_names[c] : "?"; }

bool omen_severity_parse(const char *s, omen_severity *out) {
  for (int i = 0; i < 3; i++) {
    if (strcmp(s, sev_names[i]) == 0) {
      *out = (omen_severity)i;
      return true;
    }
  }
  return false;
}

static void fix_clear(omen_fix *f) {
  free(f->message);
  free(f->path);
  for (size_t j = 0; j < f->nedits; j++)
    free(f->edits[j].text);
  free(f->edits);
}

void omen_diag_clear(omen_diag *d) {
  if (!d)
    return;
  free(d->message);
  free(d->loc.path);
  for (size_t i = 0; i < d->nrelated; i++) {
    free(d->related[i].message);
    free(d->related[i].loc.path);
  }
  free(d->related);
  for (size_t i = 0; i < d->nfixes; i++)
    fix_clear(&d->fixes[i]);
  free(d->fixes);
  free(d->scope);
  free(d->suppress_reason);
  memset(d, 0, sizeof *d);
}

void omen_diag_drop_empty_fixes(omen_diag *d) {
  size_t k = 0;
  for (size_t i = 0; i < d->nfixes; i++) {
    if (d->fixes[i].nedits)
      d->fixes[k++] = d->fixes[i];
    else
      fix_clear(&d->fixes[i]);
  }
  d->nfixes = k;
}

uint32_t omen_utf8_step(const unsigned char *s, size_t avail, uint32_t *units) {
  unsigned char c = s[0];
  uint32_t n = 1;
  if (c >= 0xF0 && c <= 0xF4)
    n = 4;
  else if (c >= 0xE0)
    n = 3;
  else if (c >= 0xC2 && c < 0xE0)
    n = 2;
  bool ok = n <= avail;
  for (uint32_t k = 1; ok && k < n; k++)
    ok = (s[k] & 0xC0) == 0x80;
  if (!ok)
    n = 1;
  *units = n == 4 ? 2 : 1;
  return n;
}

omen_pos omen_file_pos(const omen_file *f, uint32_t off) {
  omen_pos p = {1, 1, 1};
  if (!f || !f->lines || f->nlines == 0)
    return p;
  if (off > f->len)
    off = f->len;
  /* binary search: last line start <= off */
  uint32_t lo = 0, hi = f->nlines - 1;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo + 1) / 2;
    if (f->lines[mid] <= off)
      lo = mid;
    else
      hi = mid - 1;
  }
  uint32_t start = f->lines[lo];
  p.line = lo + 1;
  p.col = off - start + 1;
  /* UTF-16 units: count code points, astral ones twice; invalid bytes count as one unit each */
  uint32_t units = 0;
  const unsigned char *s = (const unsigned char *)f->text;
  for (uint32_t i = start; i < off;) {
    uint32_t u;
    i += omen_utf8_step(s + i, off - i, &u);
    units += u;
  }
  p.col16 = units + 1;
  return p;
}
