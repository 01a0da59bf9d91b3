/* macro.c - calls written through macros, and code that does not compile: no crash, no fix in macros. */
#include "include/curl/curl.h"
#include "include/hiredis/hiredis.h"

#define PERFORM(h) curl_easy_perform(h)
#define CONNECT(host) redisConnect(host, 6379)
#define SETOPT(h, o, v) curl_easy_setopt(h, o, v)

int via_macro(const char *url) {
  CURL *h = curl_easy_init();
  SETOPT(h, CURLOPT_URL, url);
  return PERFORM(h) == CURLE_OK; // want "curl-no-timeout"
}

int bounded_via_macro(const char *url) {
  CURL *h = curl_easy_init();
  SETOPT(h, CURLOPT_URL, url);
  SETOPT(h, CURLOPT_TIMEOUT, 5L);
  return PERFORM(h) == CURLE_OK;
}

redisContext *cache(void) {
  return CONNECT("cache"); // want "redisConnect has no timeout"
}

int broken(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, undeclared_url); // want "omen/compile-error"
  curl_easy_setopt(h, CURLOPT_NO_SUCH_OPTION, 1L);
  return curl_easy_perform(h) + missing_function(h);
}
