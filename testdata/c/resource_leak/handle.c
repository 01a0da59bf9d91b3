/* handle.c - FILE*, DIR*, CURL handles and pthread attributes still held at a return. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "include/curl/curl.h"

struct config {
  int port;
};

/* fopen, then a parse error returns without fclose. */
int load_config(const char *path, struct config *c) {
  char line[256];
  FILE *fp = fopen(path, "r");
  if (!fp)
    return -1;
  if (!fgets(line, sizeof line, fp))
    return -1; // want "resource-leak/handle-not-released: the FILE stream from fopen\\(\\) on line 16 \\(fp\\) is still open at this return when fgets\\(\\) fails \\(and on 1 more path\\)"
  if (sscanf(line, "port=%d", &c->port) != 1) {
    fprintf(stderr, "bad config\\n");
    return -1; /* reported with the return above */
  }
  fclose(fp);
  return 0;
}

/* popen'ed command abandoned when its output is empty. */
int run_cmd(const char *cmd, char *out, int n) {
  FILE *p = popen(cmd, "r");
  if (p == NULL)
    return -1;
  if (fgets(out, n, p) == NULL)
    return -1; // want "pipe stream from popen\\(\\) on line 31 \\(p\\)"
  return pclose(p);
}

/* A directory scan stops early. */
int has_entry(const char *dir, const char *name) {
  DIR *d = opendir(dir);
  struct dirent *de;
  if (!d)
    return -1;
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, name) == 0)
      return 1; // want "directory stream from opendir\\(\\) on line 41 \\(d\\)"
  }
  closedir(d);
  return 0;
}

/* A CURL handle dropped when setting the URL fails. */
int fetch(const char *url) {
  CURL *h = curl_easy_init();
  if (!h)
    return -1;
  if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK)
    return -1; // want "CURL easy handle from curl_easy_init\\(\\) on line 55 \\(h\\)"
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc == CURLE_OK ? 0 : -1;
}

/* A multi handle dropped on the error path. */
int start_multi(CURL *easy) {
  CURLM *m = curl_multi_init();
  if (m == NULL)
    return -1;
  if (curl_multi_add_handle(m, easy) != CURLM_OK)
    return -1; // want "CURL multi handle from curl_multi_init\\(\\) on line 68 \\(m\\)"
  int running = 0;
  curl_multi_perform(m, &running);
  curl_multi_cleanup(m);
  return running;
}

static void *worker(void *arg) { return arg; }

/* A thread attribute never destroyed when setting the stack size fails. */
int spawn_small(pthread_t *t) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0)
    return -1;
  if (pthread_attr_setstacksize(&attr, 1 << 16) != 0)
    return -1; // want "thread attribute object from pthread_attr_init\\(\\) on line 84 \\(attr\\)"
  int rc = pthread_create(t, &attr, worker, NULL);
  pthread_attr_destroy(&attr);
  return rc;
}

/* A mutex attribute whose status is kept in a variable. */
int init_recursive(pthread_mutex_t *mu) {
  pthread_mutexattr_t ma;
  int rc = pthread_mutexattr_init(&ma);
  if (rc != 0)
    return rc;
  rc = pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
  if (rc != 0)
    return rc; // want "mutex attribute object from pthread_mutexattr_init\\(\\) on line 96 \\(ma\\)"
  rc = pthread_mutex_init(mu, &ma);
  pthread_mutexattr_destroy(&ma);
  return rc;
}

/* tmpfile with a goto to a label that only returns. */
int spool(const char *data) {
  FILE *tmp = tmpfile();
  if (tmp == NULL)
    goto fail;
  if (fputs(data, tmp) == EOF)
    goto fail;
  fclose(tmp);
  return 0;
fail:
  perror("spool");
  return -1; // want "FILE stream from tmpfile\\(\\) on line 109 \\(tmp\\) can still be open"
}
