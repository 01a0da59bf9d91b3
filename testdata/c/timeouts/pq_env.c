/* pq_env.c - PGCONNECT_TIMEOUT set in the environment bounds libpq's connects. */
#include <stdlib.h>

#include "include/libpq-fe.h"

PGconn *db_login(const char *host, const char *user, const char *pw) {
  setenv("PGCONNECT_TIMEOUT", "5", 0);
  return PQsetdbLogin(host, "5432", NULL, NULL, "app", user, pw);
}

PGconn *db_open(void) { return PQconnectdb("host=db dbname=app"); }
