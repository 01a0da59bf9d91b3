/* hiredis/hiredis.h - declaration-only stub of hiredis for omen's testdata (real signatures). */
#ifndef OMEN_STUB_HIREDIS_H
#define OMEN_STUB_HIREDIS_H

#include <stddef.h>
#include <sys/time.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct redisReply {
  int type;
  long long integer;
  size_t len;
  char *str;
} redisReply;

typedef struct redisContext {
  int err;
  char errstr[128];
  int fd;
} redisContext;

redisContext *redisConnect(const char *ip, int port);
redisContext *redisConnectWithTimeout(const char *ip, int port, const struct timeval tv);
redisContext *redisConnectNonBlock(const char *ip, int port);
redisContext *redisConnectUnix(const char *path);
int redisSetTimeout(redisContext *c, const struct timeval tv);
void redisFree(redisContext *c);
void *redisCommand(redisContext *c, const char *format, ...);
void freeReplyObject(void *reply);

#ifdef __cplusplus
}
#endif

#endif
