#include "../include/pool.h"

namespace stats {
int drain(pool *p) {
  int n = 0;
  while (pool_take(p) >= 0)
    n++;
  return n;
}
}  // namespace stats
