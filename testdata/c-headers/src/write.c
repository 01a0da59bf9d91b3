#include <unistd.h>

#include "../include/pool.h"

int write_one(struct pool *p) {
  int fd = pool_take(p);
  if (fd < 0)
    return fd;
  return pool_give(p, fd);
}
