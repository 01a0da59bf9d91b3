/* leak.c - threads started into local handles that are never joined or detached. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *worker(void *arg) { return arg; }

/* The result of pthread_create is ignored and the handle is dropped. */
void fire_and_forget(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL); // want "thread-leak/thread-not-joined: thread started here is never joined or detached"
}

/* The error path returns; on success the thread is never joined. */
int start_checked(int *data) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, worker, data) != 0) { // want "never joined or detached: its stack and handle leak"
    perror("pthread_create");
    return -1;
  }
  return 0;
}

/* Unbraced error path calling exit. */
void start_or_die(void) {
  pthread_t t;
  if (pthread_create(&t, 0, worker, 0)) // want "thread-not-joined: thread started here is never joined"
    exit(1);
  puts("started");
}

/* The status is stored in a variable. */
int start_rc(void) {
  pthread_t t;
  int rc;
  rc = pthread_create(&t, NULL, worker, NULL); /* a comment */ // want "never joined or detached"
  return rc;
}

/* Declared with an initializer. */
int start_init(void) {
  pthread_t t;
  int rc = pthread_create(&t, NULL, worker, NULL); // want "never joined or detached"
  if (rc != 0)
    return rc;
  return 0;
}

/* An attribute object that is explicitly joinable does not detach the thread. */
void start_joinable_attr(void) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_JOINABLE);
  pthread_attr_setstacksize(&attr, 1 << 20);
  pthread_create(&t, &attr, worker, NULL); // want "never joined or detached"
  pthread_attr_destroy(&attr);
}

/* A fresh handle in each iteration, never joined. */
void start_many(int n) {
  for (int i = 0; i < n; i++) {
    pthread_t t;
    if (pthread_create(&t, NULL, worker, NULL) != 0) // want "never joined or detached"
      break;
  }
}

/* Created in a switch case. */
void start_case(int mode) {
  pthread_t t;
  switch (mode) {
  case 1: pthread_create(&t, NULL, worker, NULL); break; // want "never joined or detached"
  default:
    break;
  }
}

/* The if has an else branch: no fix. */
int start_else(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL) != 0) // want "never joined or detached"
    return -1;
  else
    puts("ok");
  return 0;
}

/* The branch is the success path: no fix. */
int start_success_branch(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL) == 0) // want "never joined or detached"
    return 0;
  return -1;
}

/* The status is assigned inside the condition. */
int start_assign_in_cond(void) {
  pthread_t t;
  int rc;
  if ((rc = pthread_create(&t, NULL, worker, NULL)) != 0) { // want "never joined or detached"
    fprintf(stderr, "pthread_create: %d\n", rc);
    goto fail;
  }
  return 0;
fail:
  return rc;
}

/* Created in an unbraced branch: no fix. */
void start_maybe(int yes) {
  pthread_t t;
  if (yes)
    pthread_create(&t, NULL, worker, NULL); // want "never joined or detached"
}
