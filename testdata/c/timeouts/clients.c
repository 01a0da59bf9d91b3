/* clients.c - Redis, PostgreSQL and MySQL clients connecting with and without a timeout. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

#include "include/hiredis/hiredis.h"
#include "include/libpq-fe.h"
#include "include/mysql/mysql.h"

#define CONNINFO "host=db.internal dbname=orders"

long long counter_incr(const char *host, const char *key) {
  redisContext *c = redisConnect(host, 6379); // want "client-connect-no-timeout: redisConnect has no timeout: an unreachable Redis host"
  if (!c || c->err)
    return -1;
  redisReply *r = redisCommand(c, "INCR %s", key);
  long long v = r ? r->integer : -1;
  freeReplyObject(r);
  redisFree(c);
  return v;
}

redisContext *cache_open(const char *host, int port) {
  return redisConnect(host, port); // want "redisConnect has no timeout"
}

PGconn *db_open(void) {
  PGconn *conn = PQconnectdb("host=db.internal dbname=app user=svc"); // want "PQconnectdb has no connect_timeout"
  if (PQstatus(conn) != CONNECTION_OK) {
    fprintf(stderr, "%s", PQerrorMessage(conn));
    PQfinish(conn);
    return NULL;
  }
  return conn;
}

PGconn *db_open_macro(void) {
  return PQconnectdb(CONNINFO); // want "PQconnectdb has no connect_timeout"
}

PGconn *db_open_uri(void) {
  PGconn *conn;
  conn = PQconnectdb("postgresql://db.internal/app?sslmode=require"); // want "client-connect-no-timeout"
  return conn;
}

PGconn *db_login(const char *host, const char *user, const char *pw) {
  return PQsetdbLogin(host, "5432", NULL, NULL, "app", user, pw); // want "PQsetdbLogin has no connect_timeout"
}

MYSQL *mysql_open(const char *host, const char *user, const char *pw) {
  MYSQL *m = mysql_init(NULL);
  char reconnect = 1;
  mysql_options(m, MYSQL_OPT_RECONNECT, &reconnect);
  if (!mysql_real_connect(m, host, user, pw, "app", 3306, NULL, 0)) { // want "mysql_real_connect on a handle with no connect or read timeout"
    mysql_close(m);
    return NULL;
  }
  return m;
}

int mysql_count(const char *host) {
  MYSQL mysql;
  mysql_init(&mysql);
  if (mysql_real_connect(&mysql, host, "ro", "", "stats", 0, NULL, 0) == NULL) // want "mysql_real_connect on a handle with no connect"
    return -1;
  int rc = mysql_query(&mysql, "SELECT 1");
  mysql_close(&mysql);
  return rc;
}

PGconn *db_params(const char *host) {
  const char *keys[] = {"host", "user", "application_name", NULL};
  const char *vals[] = {host, "svc", "billing", NULL};
  return PQconnectdbParams(keys, vals, 0); // want "PQconnectdbParams has no connect_timeout"
}

/* ---- silent ---- */

redisContext *cache_open_timeout(const char *host) {
  struct timeval tv = {1, 500000};
  return redisConnectWithTimeout(host, 6379, tv);
}

redisContext *cache_open_then_timeout(const char *host) {
  redisContext *c = redisConnect(host, 6379);
  struct timeval tv = {2, 0};
  redisSetTimeout(c, tv);
  return c;
}

redisContext *cache_local(void) { return redisConnectUnix("/run/redis.sock"); }

PGconn *db_open_timeout(void) { return PQconnectdb("host=db.internal dbname=app connect_timeout=5"); }

PGconn *db_open_runtime(const char *conninfo) { return PQconnectdb(conninfo); }

PGconn *db_open_service(void) { return PQconnectdb("service=orders"); }

PGconn *db_open_async(void) { return PQconnectStart("host=db.internal dbname=app"); }

MYSQL *mysql_open_timeout(const char *host) {
  MYSQL *m = mysql_init(NULL);
  unsigned int secs = 5;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &secs);
  mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &secs);
  return mysql_real_connect(m, host, "u", "p", "app", 0, NULL, 0);
}

MYSQL *mysql_open_given(MYSQL *m, const char *host) { return mysql_real_connect(m, host, "u", "p", "app", 0, NULL, 0); }

extern void mysql_apply_defaults(MYSQL *m);

MYSQL *mysql_open_defaults(const char *host) {
  MYSQL *m = mysql_init(NULL);
  mysql_apply_defaults(m);
  return mysql_real_connect(m, host, "u", "p", "app", 0, NULL, 0);
}

MYSQL *mysql_open_cnf(const char *host) {
  MYSQL *m = mysql_init(NULL);
  mysql_options(m, MYSQL_READ_DEFAULT_GROUP, "client");
  return mysql_real_connect(m, host, NULL, NULL, NULL, 0, NULL, 0);
}

PGconn *db_params_timeout(const char *host) {
  const char *keys[] = {"host", "connect_timeout", NULL};
  const char *vals[] = {host, "5", NULL};
  return PQconnectdbParams(keys, vals, 0);
}

PGconn *db_params_filled(const char *host, const char *extra) {
  const char *keys[] = {"host", NULL, NULL};
  const char *vals[] = {host, NULL, NULL};
  keys[1] = extra;
  vals[1] = "5";
  return PQconnectdbParams(keys, vals, 0);
}
