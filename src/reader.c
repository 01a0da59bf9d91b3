/* reader.c - overlay-aware reading of source files with size and binary checks. */
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct overlay {
  char *path; /* absolute */
  char *text;
  size_t len;
} overlay;

struct omen_reader {
  overlay *ov;
  size_t nov, cap;
  size_t max_size;
};

omen_reader *omen_reader_new(size_t max_size) {
  omen_reader *r = calloc(1, sizeof *r);
  if (r)
    r->max_size = max_size ? max_size : OMEN_MAX_FILE_SIZE_DEFAULT;
  return r;
}

void omen_reader_free(omen_reader *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->nov; i++) {
    free(r->ov[i].path);
    free(r->ov[i].text);
  }
  free(r->ov);
  free(r);
}

char *omen_abspath(const char *path) {
  char cwd[4096];
  size_t plen = strlen(path);
  char *raw;
  if (path[0] == '/') {
    raw = strdup(path);
  } else {
    if (!getcwd(cwd, sizeof cwd))
      return NULL;
    size_t clen = strlen(cwd);
    raw = malloc(clen + plen + 2);
    if (raw) {
      memcpy(raw, cwd, clen);
      raw[clen] = '/';
      memcpy(raw + clen + 1, path, plen + 1);
    }
  }
  if (!raw)
    return NULL;
  /* lexical clean: drop "." and empty segments, fold ".." */
  size_t n = strlen(raw);
  char *out = malloc(n + 2);
  if (!out) {
    free(raw);
    return NULL;
  }
  size_t o = 0;
  const char *p = raw;
  while (*p) {
    while (*p == '/')
      p++;
    const char *seg = p;
    while (*p && *p != '/')
      p++;
    size_t sl = (size_t)(p - seg);
    if (sl == 0 || (sl == 1 && seg[0] == '.'))
      continue;
    if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
      while (o > 0 && out[o - 1] != '/')
        o--;
      if (o > 0)
        o--;
      continue;
    }
    out[o++] = '/';
    memcpy(out + o, seg, sl);
    o += sl;
  }
  if (o == 0)
    out[o++] = '/';
  out[o] = '\0';
  free(raw);
  return out;
}

static overlay *find_overlay(const omen_reader *r, const char *abs) {
  for (size_t i = 0; i < r->nov; i++)
    if (strcmp(r->ov[i].path, abs) == 0)
      return &r->ov[i];
  return NULL;
}

omen_status omen_reader_set_overlay(omen_reader *r, const char *path, const char *text, size_t len) {
  char *abs = omen_abspath(path);
  if (!abs)
    return OMEN_ENOMEM;
  char *copy = malloc(len + 1);
  if (!copy) {
    free(abs);
    return OMEN_ENOMEM;
  }
  if (len)
    memcpy(copy, text, len);
  copy[len] = '\0';
  overlay *o = find_overlay(r, abs);
  if (o) {
    free(abs);
    free(o->text);
    o->text = copy;
    o->len = len;
    return OMEN_OK;
  }
  if (r->nov == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 8;
    overlay *nv = realloc(r->ov, cap * sizeof *nv);
    if (!nv) {
      free(abs);
      free(copy);
      return OMEN_ENOMEM;
    }
    r->ov = nv;
    r->cap = cap;
  }
  r->ov[r->nov++] = (overlay){abs, copy, len};
  return OMEN_OK;
}

omen_status omen_reader_remove_overlay(omen_reader *r, const char *path) {
  char *abs = omen_abspath(path);
  if (!abs)
    return OMEN_ENOMEM;
  overlay *o = find_overlay(r, abs);
  free(abs);
  if (!o)
    return OMEN_OK;
  free(o->path);
  free(o->text);
  *o = r->ov[--r->nov];
  return OMEN_OK;
}

size_t omen_reader_noverlays(const omen_reader *r) { return r ? r->nov : 0; }

bool omen_reader_has_overlay(const omen_reader *r, const char *path) {
  char *abs = r && r->nov ? omen_abspath(path) : NULL;
  bool found = abs && find_overlay(r, abs);
  free(abs);
  return found;
}

void omen_reader_overlay(const omen_reader *r, size_t i, const char **abspath, const char **text, size_t *len) {
  *abspath = r->ov[i].path;
  *text = r->ov[i].text;
  *len = r->ov[i].len;
}

omen_file *omen_file_new(const char *path, const char *text, size_t len) {
  if (len > UINT32_MAX - 1)
    return NULL;
  size_t plen = strlen(path);
  omen_file *f = calloc(1, sizeof *f);
  char *t = malloc(len + 1);
  char *p = malloc(plen + 1);
  uint32_t nl = 1;
  for (size_t i = 0; i < len; i++)
    nl += text[i] == '\n';
  uint32_t *lines = malloc(sizeof(uint32_t) * nl);
  if (!f || !t || !p || !lines) {
    free(f);
    free(t);
    free(p);
    free(lines);
    return NULL;
  }
  memcpy(t, text, len);
  t[len] = '\0';
  memcpy(p, path, plen + 1);
  uint32_t k = 0;
  lines[k++] = 0;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n')
      lines[k++] = (uint32_t)i + 1;
  f->path = p;
  f->text = t;
  f->len = (uint32_t)len;
  f->lines = lines;
  f->nlines = nl;
  size_t n = plen;
  f->is_test = n > 8 && strcmp(path + n - 8, "_test.go") == 0;
  return f;
}

void omen_file_free(omen_file *f) {
  if (!f)
    return;
  free((char *)f->path);
  free((char *)f->text);
  free(f->lines);
  free(f);
}

static omen_status check_text(const char *text, size_t len, char *err, size_t errlen) {
  if (memchr(text, '\0', len)) {
    snprintf(err, errlen, "binary file (contains NUL bytes), skipped");
    return OMEN_EPARSE;
  }
  return OMEN_OK;
}

omen_status omen_reader_read(omen_reader *r, const char *path, omen_file **out, char *err, size_t errlen) {
  *out = NULL;
  if (r && r->nov) {
    char *abs = omen_abspath(path);
    if (!abs)
      return OMEN_ENOMEM;
    overlay *o = find_overlay(r, abs);
    free(abs);
    if (o) {
      omen_status s = check_text(o->text, o->len, err, errlen);
      if (s != OMEN_OK)
        return s;
      *out = omen_file_new(path, o->text, o->len);
      return *out ? OMEN_OK : OMEN_ENOMEM;
    }
  }
  size_t max = r ? r->max_size : OMEN_MAX_FILE_SIZE_DEFAULT;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open: %s", strerror(errno));
    return OMEN_EIO;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "not a regular file");
    close(fd);
    return OMEN_EIO;
  }
  if ((size_t)st.st_size > max) {
    snprintf(err, errlen, "file too large (%lld bytes, limit %zu), skipped", (long long)st.st_size, max);
    close(fd);
    return OMEN_ELIMIT;
  }
  size_t cap = (size_t)st.st_size + 1, len = 0;
  char *text = malloc(cap);
  if (!text) {
    close(fd);
    return OMEN_ENOMEM;
  }
  for (;;) {
    if (len == cap - 1) {
      char probe; /* full: at end of file, or did the file grow while we read it? */
      ssize_t pn = read(fd, &probe, 1);
      if (pn < 0 && errno == EINTR)
        continue;
      if (pn == 0)
        break;
      if (pn < 0) {
        snprintf(err, errlen, "cannot read: %s", strerror(errno));
        free(text);
        close(fd);
        return OMEN_EIO;
      }
      /* it grew: stop at the limit */
      if (cap - 1 >= max) {
        snprintf(err, errlen, "file too large (limit %zu), skipped", max);
        free(text);
        close(fd);
        return OMEN_ELIMIT;
      }
      size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
      char *nt = realloc(text, ncap);
      if (!nt) {
        free(text);
        close(fd);
        return OMEN_ENOMEM;
      }
      text = nt;
      cap = ncap;
      text[len++] = probe;
      continue;
    }
    ssize_t n = read(fd, text + len, cap - 1 - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      snprintf(err, errlen, "cannot read: %s", strerror(errno));
      free(text);
      close(fd);
      return OMEN_EIO;
    }
    if (n == 0)
      break;
    len += (size_t)n;
  }
  close(fd);
  omen_status s = check_text(text, len, err, errlen);
  if (s == OMEN_OK) {
    *out = omen_file_new(path, text, len);
    if (!*out)
      s = OMEN_ENOMEM;
  }
  free(text);
  return s;
}
