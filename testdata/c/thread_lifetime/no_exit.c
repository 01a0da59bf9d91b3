/* no_exit.c - thread routines that can never end, while someone joins them or one runs per client. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <threads.h>
#include <unistd.h>

struct queue;
void *queue_pop(struct queue *q);
void deliver(void *msg);
void handle(int fd);

/* Joined through a local handle. */
static void *pump(void *arg) {
  struct queue *q = arg;
  for (;;) /* want "thread-no-exit: this thread routine loops forever with no way out, but its thread is waited for on line 26" */
    deliver(queue_pop(q));
  return NULL;
}

void drain(struct queue *q) {
  pthread_t t;
  pthread_create(&t, NULL, pump, q);
  pthread_join(t, NULL);
}

/* Joined through a struct field by a stop function. */
struct server {
  pthread_t ticker;
  int interval;
};

static void *tick(void *arg) {
  struct server *s = arg;
  while (1) { /* want "loops forever with no way out, but its thread is waited for on line 45" */
    sleep(s->interval);
    puts("tick");
  }
}

void server_start(struct server *s) { pthread_create(&s->ticker, NULL, tick, s); }

void server_stop(struct server *s) { pthread_join(s->ticker, NULL); }

/* One thread per accepted connection, each looping forever. */
static void *session(void *arg) {
  int fd = (int)(long)arg;
  for (;;) /* want "the loop on line 55 starts a new thread running it on every iteration" */
    handle(fd);
}

void serve(int lfd) {
  while (1) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0)
      continue;
    pthread_t t;
    pthread_create(&t, NULL, session, (void *)(long)fd);
    pthread_detach(t);
  }
}

/* C11 threads. */
static int watcher(void *arg) {
  do { /* want "waited for on line 75" */
    deliver(arg);
  } while (1);
}

void watch(void *what) {
  thrd_t t;
  thrd_create(&t, watcher, what);
  thrd_join(t, NULL);
}

/* An array of workers joined in a loop. */
static void *spin(void *arg) {
  for (;;) { /* want "waited for on line 90" */
    deliver(arg);
  }
}

void spin_all(void *arg) {
  pthread_t tids[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&tids[i], NULL, spin, arg);
  for (int i = 0; i < 4; i++)
    pthread_join(tids[i], NULL);
}

/* ---- silent look-alikes ---- */

/* A process-lifetime worker started once and never joined. */
static void *housekeeping(void *arg) {
  for (;;) {
    sleep(60);
    deliver(arg);
  }
}

void start_housekeeping(void) {
  pthread_t t;
  pthread_create(&t, NULL, housekeeping, NULL);
  pthread_detach(t);
}

/* A stop flag in the condition. */
static atomic_int stopping;
static void *polite(void *arg) {
  while (!atomic_load(&stopping))
    deliver(arg);
  return NULL;
}

void run_polite(void) {
  pthread_t t;
  pthread_create(&t, NULL, polite, NULL);
  atomic_store(&stopping, 1);
  pthread_join(t, NULL);
}

/* A break on the flag. */
static void *breaker(void *arg) {
  for (;;) {
    if (atomic_load(&stopping))
      break;
    deliver(arg);
  }
  return NULL;
}

void run_breaker(void) {
  pthread_t t;
  pthread_create(&t, NULL, breaker, NULL);
  pthread_join(t, NULL);
}

/* Returns on error, or exits the thread. */
static void *reader(void *arg) {
  int fd = (int)(long)arg;
  char buf[512];
  for (;;) {
    if (read(fd, buf, sizeof buf) <= 0)
      return NULL;
    handle(fd);
  }
}

static void *exiter(void *arg) {
  while (1) {
    if (!arg)
      pthread_exit(NULL);
    deliver(arg);
  }
}

void run_reader(int fd) {
  pthread_t a, b;
  pthread_create(&a, NULL, reader, (void *)(long)fd);
  pthread_create(&b, NULL, exiter, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

/* Cancellation: a cancellation point the code relies on. */
static void *cancellable(void *arg) {
  for (;;) {
    pthread_testcancel();
    deliver(arg);
  }
}

void run_cancellable(void) {
  pthread_t t;
  pthread_create(&t, NULL, cancellable, NULL);
  pthread_join(t, NULL);
}

/* A pool of forever workers started once in a counted loop. */
void start_pool(void) {
  for (int i = 0; i < 8; i++) {
    pthread_t t;
    pthread_create(&t, NULL, housekeeping, NULL);
    pthread_detach(t);
  }
}

/* The routine only calls the function that loops; stop() joins it. */
struct poller {
  pthread_t thread;
  int fd;
};

static void poll_forever(struct poller *p) {
  while (1) /* want "loops forever with no way out, but its thread is waited for on line 207" */
    handle(p->fd);
}

static void *poller_main(void *arg) {
  poll_forever(arg);
  return NULL;
}

void poller_start(struct poller *p) { pthread_create(&p->thread, NULL, poller_main, p); }
void poller_stop(struct poller *p) { pthread_join(p->thread, NULL); }

/* The same shape where the called function returns: silent. */
static void poll_until_closed(struct poller *p) {
  while (1) {
    if (p->fd < 0)
      return;
    handle(p->fd);
  }
}

static void *poller_main_ok(void *arg) {
  poll_until_closed(arg);
  return NULL;
}

void poller_start_ok(struct poller *p) { pthread_create(&p->thread, NULL, poller_main_ok, p); }
void poller_stop_ok(struct poller *p) { pthread_join(p->thread, NULL); }

/* The loop calls a helper that exits the thread when asked to stop: silent. */
static atomic_int quitting;
static void exit_if_quitting(void) {
  if (atomic_load(&quitting))
    pthread_exit(NULL);
}

static void *checked(void *arg) {
  for (;;) {
    exit_if_quitting();
    deliver(arg);
  }
}

void run_checked(void) {
  pthread_t t;
  pthread_create(&t, NULL, checked, NULL);
  atomic_store(&quitting, 1);
  pthread_join(t, NULL);
}
