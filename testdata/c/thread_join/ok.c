/* ok.c - look-alikes that must stay silent: joined, detached, or the handle is kept elsewhere. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

void *joined(void) {
  pthread_t t;
  void *res = NULL;
  if (pthread_create(&t, NULL, worker, NULL) != 0)
    return NULL;
  pthread_join(t, &res);
  return res;
}

void detached(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL) == 0)
    pthread_detach(t);
}

/* Joined only on one path: not this rule's business. */
void joined_sometimes(int wait) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  if (wait)
    pthread_join(t, NULL);
  else
    pthread_detach(t);
}

void detached_attr(void) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_create(&t, &attr, worker, NULL);
  pthread_attr_destroy(&attr);
}

/* The detach state is not known. */
void attr_state(int state) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, state);
  pthread_create(&t, &attr, worker, NULL);
}

/* Attributes from elsewhere may be detached. */
void attr_param(const pthread_attr_t *attr) {
  pthread_t t;
  pthread_create(&t, attr, worker, NULL);
}

void attr_prepared(void) {
  pthread_t t;
  pthread_attr_t attr;
  extern void prepare_attr(pthread_attr_t *);
  prepare_attr(&attr);
  pthread_create(&t, &attr, worker, NULL);
}

struct pool {
  pthread_t thread;
  pthread_t workers[4];
};

pthread_t g_thread;

void in_struct(struct pool *p) { pthread_create(&p->thread, NULL, worker, NULL); }

void in_array(struct pool *p) {
  for (int i = 0; i < 4; i++)
    pthread_create(&p->workers[i], NULL, worker, NULL);
}

void in_global(void) { pthread_create(&g_thread, NULL, worker, NULL); }

void in_static(void) {
  static pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
}

void in_param(pthread_t *out) { pthread_create(out, NULL, worker, NULL); }

pthread_t returned(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  return t;
}

void stored(pthread_t *out) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  *out = t;
}

extern void register_thread(pthread_t t);
extern void start_into(pthread_t *t);

void passed(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  register_thread(t);
}

void address_passed(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  start_into(&t);
}

void cancelled(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_cancel(t);
}

/* Each thread is created into its own slot and joined in a later loop. */
void joined_in_later_loop(void) {
  pthread_t ts[8];
  for (int i = 0; i < 8; i++)
    pthread_create(&ts[i], NULL, worker, NULL);
  for (int i = 0; i < 8; i++)
    pthread_join(ts[i], NULL);
}

/* Joined in the same iteration. */
void joined_in_loop(int n) {
  pthread_t t;
  for (int i = 0; i < n; i++) {
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
  }
}

/* Retries until one thread starts: only one is ever created. */
void retry_in_header(void) {
  pthread_t t;
  while (pthread_create(&t, NULL, worker, NULL) == EAGAIN)
    sleep(1);
  pthread_join(t, NULL);
}

void retry_with_break(void) {
  pthread_t t;
  for (;;) {
    if (pthread_create(&t, NULL, worker, NULL) == 0)
      break;
    sleep(1);
  }
  pthread_join(t, NULL);
}

/* Retries while the create fails for lack of resources. */
void retry_do_while(void) {
  pthread_t t;
  int rc;
  do {
    rc = pthread_create(&t, NULL, worker, NULL);
  } while (rc == EAGAIN);
  pthread_join(t, NULL);
}

void retry_continue(void) {
  pthread_t t;
  for (int tries = 0; tries < 5; tries++) {
    int rc = pthread_create(&t, NULL, worker, NULL);
    if (rc == EAGAIN)
      continue;
    pthread_join(t, NULL);
    return;
  }
}

void retry_status_in_condition(void) {
  pthread_t t;
  int rc = EAGAIN;
  while (rc == EAGAIN) {
    rc = pthread_create(&t, NULL, worker, NULL);
  }
  pthread_join(t, NULL);
}

/* do { } while (0) runs once. */
void once(void) {
  pthread_t t;
  do {
    pthread_create(&t, NULL, worker, NULL);
  } while (0);
  pthread_join(t, NULL);
}

#define CHECK(x)                                                                                   \
  do {                                                                                             \
    if ((x) != 0)                                                                                  \
      perror(#x);                                                                                  \
  } while (0)

void through_macro(void) {
  pthread_t t;
  CHECK(pthread_create(&t, NULL, worker, NULL));
  CHECK(pthread_join(t, NULL));
}

/* A function pointer named like the real thing is not it. */
void pointer_call(int (*pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *)) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
}
