/* handle_ok.c - handles released, returned or handed over on every path: no findings. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/curl/curl.h"

struct job {
  FILE *out;
  CURL *curl;
};

/* goto cleanup that closes. */
int count_lines(const char *path) {
  int n = -1;
  char buf[512];
  FILE *fp = fopen(path, "r");
  if (fp == NULL)
    goto out;
  n = 0;
  while (fgets(buf, sizeof buf, fp))
    n++;
  if (ferror(fp)) {
    n = -1;
    goto out;
  }
out:
  if (fp)
    fclose(fp);
  return n;
}

/* Returned to the caller. */
FILE *open_log(const char *path) {
  FILE *fp = fopen(path, "a");
  if (!fp)
    return NULL;
  setvbuf(fp, NULL, _IOLBF, 0);
  return fp;
}

/* Stored into a struct the caller owns. */
int job_init(struct job *j, const char *path) {
  j->out = NULL;
  FILE *fp = fopen(path, "w");
  if (!fp)
    return -1;
  j->out = fp;
  CURL *h = curl_easy_init();
  if (!h)
    return -1;
  j->curl = h;
  return 0;
}

/* A wrapper of the file that releases its parameter. */
static void dir_done(DIR *d) { closedir(d); }

int count_entries(const char *path) {
  DIR *d = opendir(path);
  int n = 0;
  if (!d)
    return -1;
  while (readdir(d))
    n++;
  dir_done(d);
  return n;
}

/* A helper of the file that only reads from the stream. */
static int first_char(FILE *fp) { return fgetc(fp); }

int peek(const char *path) {
  FILE *fp = fopen(path, "r");
  if (!fp)
    return -1;
  int c = first_char(fp);
  fclose(fp);
  return c;
}

/* The easy handle is cleaned up on every path. */
int fetch_ok(const char *url) {
  CURL *h = curl_easy_init();
  if (!h)
    return -1;
  if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK) {
    curl_easy_cleanup(h);
    return -1;
  }
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc == CURLE_OK ? 0 : -1;
}

static void *worker(void *arg) { return arg; }

/* The attribute is destroyed on every path; its init failure needs nothing. */
int spawn_detached(void) {
  pthread_attr_t attr;
  pthread_t t;
  int rc = pthread_attr_init(&attr);
  if (rc)
    return rc;
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  rc = pthread_create(&t, &attr, worker, NULL);
  pthread_attr_destroy(&attr);
  return rc;
}

/* Attribute object owned by a struct (not a local). */
struct pool {
  pthread_attr_t attr;
};

int pool_init(struct pool *p) {
  if (pthread_attr_init(&p->attr) != 0)
    return -1;
  return 0;
}

/* The handle is passed to an unknown function that takes it over. */
extern int queue_transfer(CURL *h);

int submit(const char *url) {
  CURL *h = curl_easy_init();
  if (!h)
    return -1;
  curl_easy_setopt(h, CURLOPT_URL, url);
  if (queue_transfer(h) != 0)
    return -1;
  return 0;
}

/* Closed in both branches. */
int write_file(const char *path, const char *s) {
  FILE *fp = fopen(path, "w");
  if (!fp)
    return -1;
  if (fputs(s, fp) < 0) {
    fclose(fp);
    return -1;
  }
  return fclose(fp) == 0 ? 0 : -1;
}

/* stdin or a file: closed only when it is not stdin. */
int cat_all(int argc, char **argv) {
  int rc = 0;
  for (int i = 0; i < argc; i++) {
    FILE *fp;
    if (strcmp(argv[i], "-") == 0)
      fp = stdin;
    else
      fp = fopen(argv[i], "r");
    if (fp == NULL) {
      rc = 1;
      continue;
    }
    int c;
    while ((c = fgetc(fp)) != EOF)
      putchar(c);
    if (fp != stdin)
      fclose(fp);
  }
  return rc;
}

/* A state machine across iterations: the file is open while a flag says so. */
int extract(FILE *in) {
  FILE *out = NULL;
  int want_header = 1;
  char block[512];
  for (;;) {
    if (fread(block, 1, sizeof block, in) != sizeof block)
      break;
    if (want_header) {
      if (block[0] == 0)
        break;
      out = fopen(block, "wb");
      want_header = 0;
    } else {
      if (out != NULL)
        fwrite(block, 1, sizeof block, out);
      if (block[511] == 0) {
        if (out != NULL)
          fclose(out);
        out = NULL;
        want_header = 1;
      }
    }
  }
  return 0;
}
