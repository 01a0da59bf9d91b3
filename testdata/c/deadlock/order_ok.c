/* Look-alikes that must stay silent: one consistent order, released before the second lock. */
#include <pthread.h>

static pthread_mutex_t a_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c_lock = PTHREAD_MUTEX_INITIALIZER;
static int a, b, c;

void ab(void) {
  pthread_mutex_lock(&a_lock);
  pthread_mutex_lock(&b_lock);
  a = b;
  pthread_mutex_unlock(&b_lock);
  pthread_mutex_unlock(&a_lock);
}

void ab_again(void) {
  pthread_mutex_lock(&a_lock);
  a++;
  pthread_mutex_lock(&b_lock);
  b++;
  pthread_mutex_unlock(&b_lock);
  pthread_mutex_unlock(&a_lock);
}

/* b then a, but a is taken only after b is released */
void b_then_a(void) {
  pthread_mutex_lock(&b_lock);
  b = 0;
  pthread_mutex_unlock(&b_lock);
  pthread_mutex_lock(&a_lock);
  a = 0;
  pthread_mutex_unlock(&a_lock);
}

void bc(void) {
  pthread_mutex_lock(&b_lock);
  pthread_mutex_lock(&c_lock);
  c = b;
  pthread_mutex_unlock(&c_lock);
  pthread_mutex_unlock(&b_lock);
}

/* a, then c: consistent with a -> b -> c */
void ac(void) {
  pthread_mutex_lock(&a_lock);
  pthread_mutex_lock(&c_lock);
  c = a;
  pthread_mutex_unlock(&c_lock);
  pthread_mutex_unlock(&a_lock);
}

/* both orders, but always under big_lock: the paths cannot interleave */
static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t x_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t y_lock = PTHREAD_MUTEX_INITIALIZER;
static int x, y;

void xy(void) {
  pthread_mutex_lock(&big_lock);
  pthread_mutex_lock(&x_lock);
  pthread_mutex_lock(&y_lock);
  x = y;
  pthread_mutex_unlock(&y_lock);
  pthread_mutex_unlock(&x_lock);
  pthread_mutex_unlock(&big_lock);
}

void yx(void) {
  pthread_mutex_lock(&big_lock);
  pthread_mutex_lock(&y_lock);
  pthread_mutex_lock(&x_lock);
  y = x;
  pthread_mutex_unlock(&x_lock);
  pthread_mutex_unlock(&y_lock);
  pthread_mutex_unlock(&big_lock);
}
