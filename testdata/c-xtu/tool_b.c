/* tool_b.c - another program of this directory, with globals of the same names as tool_a.c's,
 * taken in the other order: a different process, no deadlock. */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static int printed;

static void *printer(void *arg) {
  (void)arg;
  pthread_mutex_lock(&out_lock);
  pthread_mutex_lock(&queue_lock);
  printf("%d\n", ++printed);
  pthread_mutex_unlock(&queue_lock);
  pthread_mutex_unlock(&out_lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, printer, NULL) != 0)
    return 1;
  pthread_join(t, NULL);
  return 0;
}
