/* curl.c - libcurl transfers with and without a timeout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/curl/curl.h"

struct buf {
  char *data;
  size_t len;
};

static size_t collect(char *ptr, size_t size, size_t nmemb, void *userdata) {
  struct buf *b = userdata;
  (void)ptr;
  b->len += size * nmemb;
  return size * nmemb;
}

/* The classic: fetch a URL, no bound at all. */
int fetch(const char *url, struct buf *out) {
  CURL *h = curl_easy_init();
  if (!h)
    return -1;
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  CURLcode rc = curl_easy_perform(h); // want "missing-timeout/curl-no-timeout: this transfer has no timeout: a server that stops sending keeps it waiting forever"
  curl_easy_cleanup(h);
  return rc == CURLE_OK ? 0 : -1;
}

/* Only the connection is bounded. */
int post_event(const char *url, const char *json) {
  CURL *curl;
  curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  if (curl_easy_perform(curl) != CURLE_OK) { // want "no timeout \\(CURLOPT_CONNECTTIMEOUT bounds only the connection\\)"
    curl_easy_cleanup(curl);
    return -1;
  }
  curl_easy_cleanup(curl);
  return 0;
}

/* A low-speed limit without its time does nothing. */
int download(const char *url, FILE *out) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  CURLcode rc;
  rc = curl_easy_perform(h); // want "curl-no-timeout: this transfer has no timeout"
  curl_easy_cleanup(h);
  return (int)rc;
}

/* A helper of this file configures the handle but sets no timeout. */
static void common_options(CURL *c, const char *ua) {
  curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
}

int ping(const char *url) {
  CURL *h = curl_easy_init();
  common_options(h, "pinger/1.0");
  curl_easy_setopt(h, CURLOPT_URL, url);
  int ok = curl_easy_perform(h) == CURLE_OK; // want "curl-no-timeout"
  curl_easy_cleanup(h);
  return ok;
}

/* Retried in a loop, each attempt unbounded. */
int notify_with_retries(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  for (int attempt = 0; attempt < 3; attempt++) {
    if (curl_easy_perform(h) == CURLE_OK) { // want "curl-no-timeout"
      curl_easy_cleanup(h);
      return 0;
    }
  }
  curl_easy_cleanup(h);
  return -1;
}

/* curl_multi: the handle is added with no timeout. */
int start_transfer(CURLM *multi, const char *url) {
  CURL *easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, url);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  return curl_multi_add_handle(multi, easy) == CURLM_OK ? 0 : -1; // want "this transfer is added with no timeout"
}

/* The transfer is done by a helper; its caller made the handle and set no timeout. */
static CURLcode run_transfer(CURL *handle, FILE *out) {
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_FTP_RESPONSE_TIMEOUT, 30L);
  return curl_easy_perform(handle); // want "curl-no-timeout: this transfer has no timeout \\(CURLOPT_SERVER_RESPONSE_TIMEOUT bounds only"
}

int sync_time(const char *url, FILE *log) {
  CURL *curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url);
  CURLcode rc = run_transfer(curl, log);
  curl_easy_cleanup(curl);
  return (int)rc;
}

/* ---- silent ---- */

int fetch_bounded(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return (int)rc;
}

int fetch_low_speed(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return (int)rc;
}

/* The helper sets the timeout. */
static void set_limits(CURL *c) { curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L); }

static void prepare(CURL *c, const char *url) {
  curl_easy_setopt(c, CURLOPT_URL, url);
  set_limits(c);
}

int fetch_prepared(const char *url) {
  CURL *h = curl_easy_init();
  prepare(h, url);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return (int)rc;
}

/* Handed to a function defined elsewhere: it may set the timeout. */
extern void apply_site_defaults(CURL *c);

int fetch_site(const char *url) {
  CURL *h = curl_easy_init();
  apply_site_defaults(h);
  curl_easy_setopt(h, CURLOPT_URL, url);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return (int)rc;
}

/* A handle from the caller: configured there. */
int perform_given(CURL *h) { return curl_easy_perform(h) == CURLE_OK; }

/* A progress callback can abort the transfer. */
static int progress(void *p, long long dt, long long dn, long long ut, long long un) {
  (void)dt, (void)dn, (void)ut, (void)un;
  return *(int *)p;
}

int fetch_cancellable(const char *url, int *cancel) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  (void)cancel;
  return curl_easy_perform(h) == CURLE_OK;
}

/* Options from a table: chosen at run time. */
struct opt {
  CURLoption opt;
  long value;
};

int fetch_with(const char *url, const struct opt *opts, int n) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  for (int i = 0; i < n; i++)
    curl_easy_setopt(h, opts[i].opt, opts[i].value);
  return curl_easy_perform(h) == CURLE_OK;
}

/* Stored into a struct: the owner configures it. */
struct conn {
  CURL *easy;
};

int open_conn(struct conn *c, const char *url) {
  CURL *h = curl_easy_init();
  c->easy = h;
  curl_easy_setopt(h, CURLOPT_URL, url);
  return curl_easy_perform(h) == CURLE_OK;
}


/* The helper's only caller bounds the handle. */
static CURLcode run_bounded(CURL *handle) { return curl_easy_perform(handle); }

int fetch_via_bounded(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
  return (int)run_bounded(h);
}
