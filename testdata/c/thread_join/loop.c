/* loop.c - one handle reused by every iteration: only the last thread can be joined. */
#include <pthread.h>

static void *worker(void *arg) { return arg; }

void overwrite_for(int n) {
  pthread_t t;
  for (int i = 0; i < n; i++)
    pthread_create(&t, NULL, worker, NULL); // want "thread handle t is overwritten on every iteration but joined or detached only after the loop: earlier threads cannot be joined"
  pthread_join(t, NULL);
}

int overwrite_while(int n) {
  pthread_t worker_thread;
  int i = 0;
  while (i < n) {
    if (pthread_create(&worker_thread, NULL, worker, &i) != 0) // want "overwritten on every iteration"
      return -1;
    i++;
  }
  return pthread_join(worker_thread, NULL);
}

/* The inner loop overwrites; the join is in the outer loop, after the inner one. */
void overwrite_nested(int rounds, int n) {
  pthread_t t;
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < n; i++) {
      pthread_create(&t, NULL, worker, NULL); // want "earlier threads cannot be joined"
    }
    pthread_join(t, NULL);
  }
}

/* The status is checked in the body; failing returns, succeeding overwrites. */
int overwrite_checked(int n) {
  pthread_t t;
  for (int i = 0; i < n; i++) {
    int rc = pthread_create(&t, NULL, worker, NULL); // want "overwritten on every iteration"
    if (rc != 0)
      return rc;
  }
  return pthread_join(t, NULL);
}

/* Detaching after the loop frees only the last thread too. */
void overwrite_then_detach(int n) {
  pthread_t t;
  int i = 0;
  do {
    pthread_create(&t, NULL, worker, NULL); // want "overwritten on every iteration"
  } while (++i < n);
  pthread_detach(t);
}

/* No join at all: the plain finding, and the fix detaches inside the loop. */
void never_joined_in_loop(int n) {
  pthread_t t;
  for (int i = 0; i < n; i++) {
    pthread_create(&t, NULL, worker, NULL); // want "thread started here is never joined or detached"
  }
}
