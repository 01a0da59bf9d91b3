/* curl/curl.h - declaration-only stub of libcurl's API for omen's testdata (real signatures). */
#ifndef OMEN_STUB_CURL_H
#define OMEN_STUB_CURL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void CURL;
typedef void CURLM;

typedef enum {
  CURLE_OK = 0,
  CURLE_OPERATION_TIMEDOUT = 28,
} CURLcode;

typedef enum {
  CURLM_OK = 0,
} CURLMcode;

#define CURLOPTTYPE_LONG 0
#define CURLOPTTYPE_OBJECTPOINT 10000
#define CURLOPTTYPE_FUNCTIONPOINT 20000
#define CURLOPTTYPE_STRINGPOINT CURLOPTTYPE_OBJECTPOINT
#define CURLOPTTYPE_CBPOINT CURLOPTTYPE_OBJECTPOINT
#define CURLOPT(na, t, nu) na = t + nu

typedef enum {
  CURLOPT(CURLOPT_WRITEDATA, CURLOPTTYPE_CBPOINT, 1),
  CURLOPT(CURLOPT_URL, CURLOPTTYPE_STRINGPOINT, 2),
  CURLOPT(CURLOPT_POSTFIELDS, CURLOPTTYPE_OBJECTPOINT, 15),
  CURLOPT(CURLOPT_LOW_SPEED_LIMIT, CURLOPTTYPE_LONG, 19),
  CURLOPT(CURLOPT_LOW_SPEED_TIME, CURLOPTTYPE_LONG, 20),
  CURLOPT(CURLOPT_USERAGENT, CURLOPTTYPE_STRINGPOINT, 18),
  CURLOPT(CURLOPT_HTTPHEADER, CURLOPTTYPE_OBJECTPOINT, 23),
  CURLOPT(CURLOPT_TIMEOUT, CURLOPTTYPE_LONG, 13),
  CURLOPT(CURLOPT_VERBOSE, CURLOPTTYPE_LONG, 41),
  CURLOPT(CURLOPT_NOPROGRESS, CURLOPTTYPE_LONG, 43),
  CURLOPT(CURLOPT_FOLLOWLOCATION, CURLOPTTYPE_LONG, 52),
  CURLOPT(CURLOPT_PROGRESSFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 56),
  CURLOPT(CURLOPT_CONNECTTIMEOUT, CURLOPTTYPE_LONG, 78),
  CURLOPT(CURLOPT_WRITEFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 11),
  CURLOPT(CURLOPT_NOSIGNAL, CURLOPTTYPE_LONG, 99),
  CURLOPT(CURLOPT_SERVER_RESPONSE_TIMEOUT, CURLOPTTYPE_LONG, 112),
  CURLOPT(CURLOPT_UPLOAD, CURLOPTTYPE_LONG, 46),
  CURLOPT(CURLOPT_CONNECT_ONLY, CURLOPTTYPE_LONG, 141),
  CURLOPT(CURLOPT_TIMEOUT_MS, CURLOPTTYPE_LONG, 155),
  CURLOPT(CURLOPT_CONNECTTIMEOUT_MS, CURLOPTTYPE_LONG, 156),
  CURLOPT(CURLOPT_XFERINFOFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 219),
} CURLoption;

#define CURLOPT_FTP_RESPONSE_TIMEOUT CURLOPT_SERVER_RESPONSE_TIMEOUT

struct curl_slist {
  char *data;
  struct curl_slist *next;
};

CURLcode curl_global_init(long flags);
CURL *curl_easy_init(void);
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...);
CURLcode curl_easy_perform(CURL *curl);
void curl_easy_cleanup(CURL *curl);
CURL *curl_easy_duphandle(CURL *curl);
const char *curl_easy_strerror(CURLcode);
struct curl_slist *curl_slist_append(struct curl_slist *list, const char *data);
void curl_slist_free_all(struct curl_slist *list);

CURLM *curl_multi_init(void);
CURLMcode curl_multi_add_handle(CURLM *multi_handle, CURL *curl_handle);
CURLMcode curl_multi_remove_handle(CURLM *multi_handle, CURL *curl_handle);
CURLMcode curl_multi_perform(CURLM *multi_handle, int *running_handles);
CURLMcode curl_multi_poll(CURLM *multi_handle, void *extra_fds, unsigned int extra_nfds, int timeout_ms,
                          int *ret);
CURLMcode curl_multi_cleanup(CURLM *multi_handle);

#define CURL_GLOBAL_DEFAULT 3L

#ifdef __cplusplus
}
#endif

#endif
