/* pool.c - starts background workers that drain a job queue. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct job {
  int id;
};

static void *run_job(void *arg) {
  struct job *j = arg;
  printf("job %d done\n", j->id);
  free(j);
  return NULL;
}

int submit(int id) {
  pthread_t t;
  struct job *j = malloc(sizeof *j);
  if (!j)
    return -1;
  j->id = id;
  if (pthread_create(&t, NULL, run_job, j) != 0) {
    free(j);
    return -1;
  }
  return 0;
}

int main(void) {
  for (int i = 0; i < 4; i++)
    submit(i);
  pthread_exit(NULL);
}
