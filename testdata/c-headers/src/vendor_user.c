#include <vendorpool.h>

#include "../include/pool.h"

int vendor_take(struct vpool *v) { return vpool_take(v); }
