// clients.cpp - Redis, PostgreSQL and MySQL clients from C++.
#include <memory>
#include <stdexcept>
#include <string>

#include "include/hiredis/hiredis.h"
#include "include/libpq-fe.h"
#include "include/mysql/mysql.h"

namespace store {

class Cache {
public:
  Cache(const std::string &host, int port) : ctx_(redisConnect(host.c_str(), port)) { // want "redisConnect has no timeout"
    if (!ctx_ || ctx_->err)
      throw std::runtime_error("redis");
  }
  ~Cache() { redisFree(ctx_); }

private:
  redisContext *ctx_;
};

std::unique_ptr<redisContext, void (*)(redisContext *)> open_cache(const char *host) {
  return {redisConnect(host, 6379), redisFree}; // want "client-connect-no-timeout"
}

PGconn *connect_db() {
  auto *conn = PQconnectdb("dbname=app host=10.0.0.5"); // want "PQconnectdb has no connect_timeout"
  if (PQstatus(conn) != CONNECTION_OK)
    throw std::runtime_error(PQerrorMessage(conn));
  return conn;
}

PGconn *connect_uri() {
  return PQconnectdb("postgres://app@db/app"); // want "PQconnectdb has no connect_timeout"
}

MYSQL *connect_mysql(const std::string &host) {
  MYSQL *m = mysql_init(nullptr);
  if (!mysql_real_connect(m, host.c_str(), "app", "secret", "app", 3306, nullptr, 0)) // want "mysql_real_connect on a handle with no connect or read timeout"
    throw std::runtime_error(mysql_error(m));
  return m;
}

PGconn *connect_params(const std::string &host) {
  const char *const keywords[] = {"host", "port", nullptr};
  const char *const values[] = {host.c_str(), "5432", nullptr};
  return PQconnectdbParams(keywords, values, 0); // want "PQconnectdbParams has no connect_timeout"
}

// ---- silent ----

redisContext *open_cache_timeout(const char *host) {
  timeval tv{1, 0};
  return redisConnectWithTimeout(host, 6379, tv);
}

redisContext *open_then_bound(const char *host) {
  redisContext *c = redisConnect(host, 6379);
  redisSetTimeout(c, timeval{3, 0});
  return c;
}

PGconn *connect_db_timeout() { return PQconnectdb("dbname=app host=10.0.0.5 connect_timeout=3"); }

PGconn *connect_from(const std::string &conninfo) { return PQconnectdb(conninfo.c_str()); }

MYSQL *connect_mysql_timeout(const std::string &host) {
  MYSQL *m = mysql_init(nullptr);
  unsigned int t = 3;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &t);
  return mysql_real_connect(m, host.c_str(), "app", "secret", "app", 3306, nullptr, 0);
}

struct Pool {
  MYSQL *handle;
  MYSQL *reconnect(const char *host) { return mysql_real_connect(handle, host, "u", "p", "db", 0, nullptr, 0); }
};

} // namespace store
