/* out_text.c - the text report: clang-tidy style lines, related notes, fixes, a summary line.
 * Suppressed findings are left out and counted in the summary. */
#include <string.h>

#include "out_util.h"
#include "output.h"

#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

static const char *const sev_color[] = {
    [OMEN_SEV_NOTE] = "\033[1;36m",
    [OMEN_SEV_WARNING] = "\033[1;35m",
    [OMEN_SEV_ERROR] = "\033[1;31m",
};

/* Writes s with control characters escaped, so that a file name or message cannot move the
 * cursor or recolour the terminal. */
static void put_safe(FILE *out, const char *s) {
  if (!s)
    return;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p < 0x20 && *p != '\t') || *p == 0x7F)
      fprintf(out, "\\x%02x", *p);
    else
      fputc(*p, out);
  }
}

static void put_loc(FILE *out, const omen_loc *l, bool color) {
  if (color)
    fputs(ANSI_BOLD, out);
  put_safe(out, l->path);
  fprintf(out, ":%u:%u:", l->start_pos.line, l->start_pos.col);
  if (color)
    fputs(ANSI_RESET, out);
}

static void put_severity(FILE *out, omen_severity s, bool color) {
  if (color && (unsigned)s <= OMEN_SEV_ERROR)
    fprintf(out, "%s%s:" ANSI_RESET, sev_color[s], omen_severity_str(s));
  else
    fprintf(out, "%s:", omen_severity_str(s));
}

static const char *plural(size_t n, const char *one, const char *many) { return n == 1 ? one : many; }

omen_status omen_write_text(FILE *out, const omen_result *r, const omen_output_opts *o) {
  omen_status s = omen_out_check(r);
  if (s != OMEN_OK)
    return s;
  bool color = o && o->color;
  for (size_t i = 0; i < r->ndiags; i++) {
    const omen_diag *d = &r->diags[i];
    if (d->suppressed)
      continue;
    put_loc(out, &d->loc, color);
    fputc(' ', out);
    put_severity(out, d->severity, color);
    fputc(' ', out);
    put_safe(out, d->message);
    fputs(" [", out);
    put_safe(out, d->rule->id);
    fputs("]\n", out);
    for (size_t k = 0; k < d->nrelated; k++) {
      fputs("    ", out);
      put_loc(out, &d->related[k].loc, color);
      fputc(' ', out);
      put_severity(out, OMEN_SEV_NOTE, color);
      fputc(' ', out);
      put_safe(out, d->related[k].message);
      fputc('\n', out);
    }
    for (size_t k = 0; k < d->nfixes; k++) {
      const omen_fix *f = &d->fixes[k];
      fprintf(out, "    fix available (%s): ", f->applicability == OMEN_FIX_UNSAFE ? "unsafe" : "safe");
      put_safe(out, f->message);
      fputc('\n', out);
    }
  }
  if (!(o && o->quiet)) {
    size_t total = r->count[OMEN_SEV_ERROR] + r->count[OMEN_SEV_WARNING] + r->count[OMEN_SEV_NOTE];
    if (total == 0)
      fprintf(out, "no findings");
    else
      fprintf(out, "%zu %s (%zu %s, %zu %s, %zu %s)", total, plural(total, "finding", "findings"),
              r->count[OMEN_SEV_ERROR], plural(r->count[OMEN_SEV_ERROR], "error", "errors"),
              r->count[OMEN_SEV_WARNING], plural(r->count[OMEN_SEV_WARNING], "warning", "warnings"),
              r->count[OMEN_SEV_NOTE], plural(r->count[OMEN_SEV_NOTE], "note", "notes"));
    fprintf(out, " in %zu %s", r->nfiles, plural(r->nfiles, "file", "files"));
    if (r->ngenerated)
      fprintf(out, " (%zu generated %s left out)", r->ngenerated, plural(r->ngenerated, "file", "files"));
    /* what was found but not shown, so that a clean-looking run is not mistaken for a clean tree */
    const char *sep = "; ";
    if (r->nsuppressed) {
      fprintf(out, "%s%zu suppressed", sep, r->nsuppressed);
      sep = ", ";
    }
    if (o && o->nbaselined) {
      fprintf(out, "%s%zu in the baseline not shown", sep, o->nbaselined);
      sep = ", ";
    }
    if (o && o->nunchanged)
      fprintf(out, "%s%zu on unchanged lines not shown", sep, o->nunchanged);
    fputc('\n', out);
  }
  if (fflush(out) != 0 || ferror(out))
    return OMEN_EIO;
  return OMEN_OK;
}
