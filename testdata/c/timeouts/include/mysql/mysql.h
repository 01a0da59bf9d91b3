/* mysql/mysql.h - declaration-only stub of the MySQL/MariaDB client API for omen's testdata. */
#ifndef OMEN_STUB_MYSQL_H
#define OMEN_STUB_MYSQL_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct st_mysql {
  unsigned int port;
  char *host;
} MYSQL;

enum mysql_option {
  MYSQL_OPT_CONNECT_TIMEOUT,
  MYSQL_OPT_COMPRESS,
  MYSQL_OPT_NAMED_PIPE,
  MYSQL_INIT_COMMAND,
  MYSQL_READ_DEFAULT_FILE,
  MYSQL_READ_DEFAULT_GROUP,
  MYSQL_SET_CHARSET_DIR,
  MYSQL_SET_CHARSET_NAME,
  MYSQL_OPT_LOCAL_INFILE,
  MYSQL_OPT_PROTOCOL,
  MYSQL_SHARED_MEMORY_BASE_NAME,
  MYSQL_OPT_READ_TIMEOUT,
  MYSQL_OPT_WRITE_TIMEOUT,
  MYSQL_OPT_RECONNECT = 20,
};

MYSQL *mysql_init(MYSQL *mysql);
int mysql_options(MYSQL *mysql, enum mysql_option option, const void *arg);
MYSQL *mysql_real_connect(MYSQL *mysql, const char *host, const char *user, const char *passwd, const char *db,
                          unsigned int port, const char *unix_socket, unsigned long clientflag);
int mysql_query(MYSQL *mysql, const char *q);
const char *mysql_error(MYSQL *mysql);
void mysql_close(MYSQL *sock);

#ifdef __cplusplus
}
#endif

#endif
