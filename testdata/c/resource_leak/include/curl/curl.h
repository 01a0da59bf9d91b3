/* Minimal declarations from libcurl's curl/curl.h (the real signatures), for the tests. */
#ifndef CURLINC_CURL_H
#define CURLINC_CURL_H
typedef void CURL;
typedef void CURLM;
typedef enum { CURLE_OK = 0, CURLE_FAILED_INIT = 2 } CURLcode;
typedef enum { CURLM_OK = 0 } CURLMcode;
typedef enum { CURLOPT_URL = 10002, CURLOPT_TIMEOUT_MS = 155, CURLOPT_WRITEDATA = 10001 } CURLoption;
#ifdef __cplusplus
extern "C" {
#endif
CURL *curl_easy_init(void);
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...);
CURLcode curl_easy_perform(CURL *curl);
void curl_easy_cleanup(CURL *curl);
CURL *curl_easy_duphandle(CURL *curl);
const char *curl_easy_strerror(CURLcode);
CURLM *curl_multi_init(void);
CURLMcode curl_multi_add_handle(CURLM *multi_handle, CURL *curl_handle);
CURLMcode curl_multi_perform(CURLM *multi_handle, int *running_handles);
CURLMcode curl_multi_cleanup(CURLM *multi_handle);
#ifdef __cplusplus
}
#endif
#endif
