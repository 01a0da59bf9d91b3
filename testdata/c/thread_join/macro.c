/* macro.c - creates written through macros: reported, but no fix is offered inside macros. */
#include <pthread.h>
#include <stdio.h>

static void *worker(void *arg) { return arg; }

#define SPAWN(t, fn) pthread_create(&(t), NULL, (fn), NULL)
#define CHECK(x)                                                                                   \
  do {                                                                                             \
    if ((x) != 0)                                                                                  \
      perror(#x);                                                                                  \
  } while (0)

void spawn_macro(void) {
  pthread_t t;
  SPAWN(t, worker); // want "never joined or detached"
}

void checked_macro(void) {
  pthread_t t;
  CHECK(pthread_create(&t, NULL, worker, NULL)); // want "never joined or detached"
}

void spawn_joined(void) {
  pthread_t t;
  SPAWN(t, worker);
  pthread_join(t, NULL);
}
