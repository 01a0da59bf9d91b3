// curl.cpp - libcurl from C++: RAII wrappers, lambdas, members.
#include <memory>
#include <string>
#include <vector>

#include "include/curl/curl.h"

namespace api {

static size_t append(char *ptr, size_t size, size_t nmemb, void *userdata) {
  static_cast<std::string *>(userdata)->append(ptr, size * nmemb);
  return size * nmemb;
}

std::string get(const std::string &url) {
  std::string body;
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(h); // want "curl-no-timeout: this transfer has no timeout"
  curl_easy_cleanup(h);
  if (rc != CURLE_OK)
    return "";
  return body;
}

bool put(const std::string &url, const std::string &payload) {
  auto *curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  const bool ok = curl_easy_perform(curl) == CURLE_OK; // want "CURLOPT_CONNECTTIMEOUT bounds only the connection"
  curl_easy_cleanup(curl);
  return ok;
}

struct Client {
  std::string base;
  bool health() {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, (base + "/health").c_str());
    auto rc = curl_easy_perform(h); // want "curl-no-timeout"
    curl_easy_cleanup(h);
    return rc == CURLE_OK;
  }
};

int fetch_all(const std::vector<std::string> &urls) {
  int failed = 0;
  for (const auto &u : urls) {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, u.c_str());
    if (curl_easy_perform(h) != CURLE_OK) // want "curl-no-timeout"
      failed++;
    curl_easy_cleanup(h);
  }
  return failed;
}

void enqueue(CURLM *multi, const std::string &url) {
  CURL *easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_multi_add_handle(multi, easy); // want "this transfer is added with no timeout"
}

class Uploader {
public:
  bool upload(const std::string &url) {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    const bool ok = send(h);
    curl_easy_cleanup(h);
    return ok;
  }

private:
  bool send(CURL *h) {
    return curl_easy_perform(h) == CURLE_OK; // want "curl-no-timeout"
  }
};

// ---- silent ----

std::string get_bounded(const std::string &url) {
  std::string body;
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 3000L);
  curl_easy_perform(h);
  curl_easy_cleanup(h);
  return body;
}

struct Handle {
  CURL *raw = curl_easy_init();
  ~Handle() { curl_easy_cleanup(raw); }
};

bool via_member(const std::string &url) {
  Handle h; // a field: configured by its owner
  curl_easy_setopt(h.raw, CURLOPT_URL, url.c_str());
  return curl_easy_perform(h.raw) == CURLE_OK;
}

bool with_unique_ptr(const std::string &url) {
  std::unique_ptr<CURL, void (*)(CURL *)> h(curl_easy_init(), curl_easy_cleanup);
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  return curl_easy_perform(h.get()) == CURLE_OK;
}

bool in_lambda(const std::string &url) {
  CURL *h = curl_easy_init();
  auto configure = [h](long ms) { curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms); };
  configure(1000);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  return curl_easy_perform(h) == CURLE_OK;
}

static void limits(CURL *c) {
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 10L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 20L);
}

bool with_helper(const std::string &url) {
  CURL *h = curl_easy_init();
  limits(h);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  return curl_easy_perform(h) == CURLE_OK;
}

bool connect_only(const std::string &url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  return curl_easy_perform(h) == CURLE_OK;
}

// Not libcurl: a method named like it.
struct Fake {
  int curl_easy_perform(void *) { return 0; }
};

int fake(Fake &f) {
  CURL *h = curl_easy_init();
  return f.curl_easy_perform(h);
}

} // namespace api
