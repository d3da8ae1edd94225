// cv-lost-wakeup on POSIX condition variables in C: a ready flag, a C11
// _Atomic shutdown flag, a pending-work counter, a reload request (its
// waiter stores pthread_cond_wait's result in a variable) and a queue's
// closed field, written without the mutex the waiter passes to
// pthread_cond_wait before pthread_cond_signal / pthread_cond_broadcast.
// Negative cases: the same writes between pthread_mutex_lock and
// pthread_mutex_unlock, signalled inside or after the critical section, and
// a statistics field no waiter reads.
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

void handle(int v);

// -------------------------------------------------------- a ready flag --

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;
static int value;

static void *waiter(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  while (!ready)
    pthread_cond_wait(&cv, &mu); // expect-note: "the waiter checks 'ready' under 'mu' here"
  int v = value;
  pthread_mutex_unlock(&mu);
  handle(v);
  return NULL;
}

void set_ready_bad(int v) {
  value = v;
  ready = 1; // expect: threadlint-cv-lost-wakeup "'ready' is written without holding 'mu' before 'cv' is notified"
  pthread_cond_signal(&cv); // expect-note: "'cv' is notified here"
}

void set_ready_ok(int v) {
  pthread_mutex_lock(&mu);
  value = v;
  ready = 1;
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
}

void set_ready_signal_after_unlock_ok(int v) {
  pthread_mutex_lock(&mu);
  value = v;
  ready = 1;
  pthread_mutex_unlock(&mu);
  pthread_cond_signal(&cv);
}

// ------------------------------------------ an atomic shutdown flag --

static pthread_mutex_t work_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;
static atomic_bool shutdown_requested;
static int pending;

static void *worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&work_mu);
  for (;;) {
    while (pending == 0 && !atomic_load(&shutdown_requested))
      pthread_cond_wait(&work_cv, &work_mu); // expect-note: "the waiter checks 'shutdown_requested' under 'work_mu' here"
    if (pending == 0)
      break;
    pending--;
    pthread_mutex_unlock(&work_mu);
    handle(0);
    pthread_mutex_lock(&work_mu);
  }
  pthread_mutex_unlock(&work_mu);
  return NULL;
}

// _Atomic does not close the window between the worker's test and its
// sleep: the broadcast can come first, and the join below hangs.
void shutdown_bad(pthread_t t) {
  atomic_store(&shutdown_requested, true); // expect: threadlint-cv-lost-wakeup "'shutdown_requested' is written without holding 'work_mu' before 'work_cv' is notified"
  pthread_cond_broadcast(&work_cv);
  pthread_join(t, NULL);
}

void shutdown_ok(pthread_t t) {
  pthread_mutex_lock(&work_mu);
  atomic_store(&shutdown_requested, true);
  pthread_mutex_unlock(&work_mu);
  pthread_cond_broadcast(&work_cv);
  pthread_join(t, NULL);
}

void post_work_bad(void) {
  pending++; // expect: threadlint-cv-lost-wakeup "'pending' is written without holding 'work_mu' before 'work_cv' is notified"
  pthread_cond_signal(&work_cv);
}

void post_work_ok(void) {
  pthread_mutex_lock(&work_mu);
  pending++;
  pthread_mutex_unlock(&work_mu);
  pthread_cond_signal(&work_cv);
}

// ------------------------------------------------- a reload request --

static pthread_mutex_t reload_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reload_cv = PTHREAD_COND_INITIALIZER;
static bool reload_requested;

void reload_config(void);

// The waiter keeps pthread_cond_wait's result in a variable.
static void *reloader(void *arg) {
  (void)arg;
  pthread_mutex_lock(&reload_mu);
  while (!reload_requested) {
    int rc = pthread_cond_wait(&reload_cv, &reload_mu); // expect-note: "the waiter checks 'reload_requested' under 'reload_mu' here"
    if (rc != 0)
      break;
  }
  reload_requested = false;
  pthread_mutex_unlock(&reload_mu);
  reload_config();
  return NULL;
}

void request_reload_bad(void) {
  reload_requested = true; // expect: threadlint-cv-lost-wakeup "'reload_requested' is written without holding 'reload_mu' before 'reload_cv' is notified"
  pthread_cond_signal(&reload_cv);
}

void request_reload_ok(void) {
  pthread_mutex_lock(&reload_mu);
  reload_requested = true;
  pthread_mutex_unlock(&reload_mu);
  pthread_cond_signal(&reload_cv);
}

// ---------------------------------------------------------- a queue --

struct queue {
  pthread_mutex_t mu;
  pthread_cond_t not_empty;
  int items[32];
  int head, count;
  bool closed;
  unsigned long closes;
};

bool queue_pop(struct queue *q, int *out) {
  pthread_mutex_lock(&q->mu);
  while (q->count == 0 && !q->closed)
    pthread_cond_wait(&q->not_empty, &q->mu); // expect-note: "the waiter checks 'queue::closed' under 'queue::mu' here"
  bool got = q->count > 0;
  if (got) {
    *out = q->items[q->head];
    q->head = (q->head + 1) % 32;
    q->count--;
  }
  pthread_mutex_unlock(&q->mu);
  return got;
}

void queue_close_bad(struct queue *q) {
  q->closed = true; // expect: threadlint-cv-lost-wakeup "'queue::closed' is written without holding 'queue::mu' before 'not_empty' is notified"
  pthread_cond_broadcast(&q->not_empty);
}

// 'closes' is a statistic no waiter reads.
void queue_close_ok(struct queue *q) {
  q->closes++;
  pthread_mutex_lock(&q->mu);
  q->closed = true;
  pthread_cond_broadcast(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
}

static void *consumer(void *arg) {
  struct queue *q = arg;
  int v;
  while (queue_pop(q, &v))
    handle(v);
  return NULL;
}

// ---------------------------------------------------------- threads --

int run(void) {
  static struct queue q = {.mu = PTHREAD_MUTEX_INITIALIZER,
                           .not_empty = PTHREAD_COND_INITIALIZER};
  pthread_t w, c, r, l;
  if (pthread_create(&w, NULL, worker, NULL) != 0)
    return -1;
  pthread_create(&c, NULL, consumer, &q);
  pthread_create(&r, NULL, waiter, NULL);
  pthread_create(&l, NULL, reloader, NULL);
  request_reload_ok();
  post_work_ok();
  set_ready_ok(42);
  queue_close_ok(&q);
  shutdown_ok(w);
  pthread_join(c, NULL);
  pthread_join(r, NULL);
  pthread_join(l, NULL);
  return 0;
}
