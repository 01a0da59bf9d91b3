/* cancel.c - forever routines stopped with pthread_cancel before the join: silent. */
#include <pthread.h>
#include <stddef.h>

void deliver(void *msg);

static void *loop(void *arg) {
  for (;;)
    deliver(arg);
}

void run_and_cancel(void) {
  pthread_t t;
  pthread_create(&t, NULL, loop, NULL);
  pthread_cancel(t);
  pthread_join(t, NULL);
}
