/* tool_a.c - a separate program built from this directory (like a test or an example): its globals
 * are its own, even with the names tool_b.c uses. */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static int queued;

static void *producer(void *arg) {
  (void)arg;
  pthread_mutex_lock(&queue_lock);
  pthread_mutex_lock(&out_lock);
  printf("%d\n", ++queued);
  pthread_mutex_unlock(&out_lock);
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, producer, NULL) != 0)
    return 1;
  pthread_join(t, NULL);
  return 0;
}
