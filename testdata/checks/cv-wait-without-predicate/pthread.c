// cv-wait-without-predicate on POSIX condition variables in C:
// pthread_cond_wait and pthread_cond_timedwait under an `if` that tests the
// condition once (also wrapped in an error-checking do-while(0) macro), in
// straight-line code, and in an endless logger loop with no exit. Negative
// cases: a bounded queue whose push and pop wait in `while` loops (also
// through the macro), a wait whose result is stored in a variable inside
// the loop, a timed wait in a loop that also ends on ETIMEDOUT, a
// wait in a loop condition, an endless consumer loop that leaves with
// `goto` and re-checks before it waits, and a pthread barrier.
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

// Error checking for pthread calls, in the usual do { } while (0) form.
#define PCHECK(call)                                                           \
  do {                                                                         \
    if ((call) != 0)                                                           \
      abort();                                                                 \
  } while (0)

// -------------------------------------------------- a bounded queue --

#define QCAP 16

struct queue {
  pthread_mutex_t mu;
  pthread_cond_t not_empty;
  pthread_cond_t not_full;
  int items[QCAP];
  int head;
  int count;
  bool closed;
};

void queue_push_ok(struct queue *q, int v) {
  pthread_mutex_lock(&q->mu);
  while (q->count == QCAP)
    pthread_cond_wait(&q->not_full, &q->mu);
  q->items[(q->head + q->count) % QCAP] = v;
  q->count++;
  pthread_cond_signal(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
}

// A spurious wakeup (or another consumer) leaves count == 0 here.
int queue_pop_bad(struct queue *q) {
  pthread_mutex_lock(&q->mu);
  if (q->count == 0)
    pthread_cond_wait(&q->not_empty, &q->mu); // expect: threadlint-cv-wait-without-predicate "'pthread_cond_wait' is not in a loop that re-checks its condition"
  int v = q->items[q->head];
  q->head = (q->head + 1) % QCAP;
  q->count--;
  pthread_cond_signal(&q->not_full);
  pthread_mutex_unlock(&q->mu);
  return v;
}

bool queue_pop_ok(struct queue *q, int *out) {
  pthread_mutex_lock(&q->mu);
  while (q->count == 0 && !q->closed)
    pthread_cond_wait(&q->not_empty, &q->mu);
  bool got = q->count > 0;
  if (got) {
    *out = q->items[q->head];
    q->head = (q->head + 1) % QCAP;
    q->count--;
    pthread_cond_signal(&q->not_full);
  }
  pthread_mutex_unlock(&q->mu);
  return got;
}

void queue_close(struct queue *q) {
  pthread_mutex_lock(&q->mu);
  q->closed = true;
  pthread_cond_broadcast(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
}

void handle(int v);

// An endless consumer that re-checks before it waits and leaves by goto.
static void *consumer_ok(void *arg) {
  struct queue *q = arg;
  pthread_mutex_lock(&q->mu);
  for (;;) {
    if (q->count == 0 && q->closed)
      goto out;
    if (q->count > 0) {
      int v = q->items[q->head];
      q->head = (q->head + 1) % QCAP;
      q->count--;
      pthread_cond_signal(&q->not_full);
      pthread_mutex_unlock(&q->mu);
      handle(v);
      pthread_mutex_lock(&q->mu);
      continue;
    }
    pthread_cond_wait(&q->not_empty, &q->mu);
  }
out:
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

// ---------------------------------------------- one-time initialisation --

static pthread_mutex_t init_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t init_cv = PTHREAD_COND_INITIALIZER;
static bool init_done;

void finish_init(void) {
  pthread_mutex_lock(&init_mu);
  init_done = true;
  pthread_cond_broadcast(&init_cv);
  pthread_mutex_unlock(&init_mu);
}

// Blocks forever if finish_init() already ran; returns early on a spurious
// wakeup.
void wait_init_bad(void) {
  pthread_mutex_lock(&init_mu);
  pthread_cond_wait(&init_cv, &init_mu); // expect: threadlint-cv-wait-without-predicate "'pthread_cond_wait' is not in a loop that re-checks its condition: a spurious wakeup returns from it with the condition still false, and a notification sent before the wait began is lost; wait in a loop: while (!<condition>) pthread_cond_wait(&init_cv, &init_mu);"
  pthread_mutex_unlock(&init_mu);
}

void wait_init_ok(void) {
  pthread_mutex_lock(&init_mu);
  while (!init_done)
    pthread_cond_wait(&init_cv, &init_mu);
  pthread_mutex_unlock(&init_mu);
}

// The same `if`, with the call wrapped in an error-checking macro: the
// macro's do { } while (0) is not a loop that re-checks anything.
void wait_init_checked_bad(void) {
  PCHECK(pthread_mutex_lock(&init_mu));
  if (!init_done)
    PCHECK(pthread_cond_wait(&init_cv, &init_mu)); // expect: threadlint-cv-wait-without-predicate "'pthread_cond_wait' is not in a loop that re-checks its condition"
  PCHECK(pthread_mutex_unlock(&init_mu));
}

void wait_init_checked_ok(void) {
  PCHECK(pthread_mutex_lock(&init_mu));
  while (!init_done)
    PCHECK(pthread_cond_wait(&init_cv, &init_mu));
  PCHECK(pthread_mutex_unlock(&init_mu));
}

// The result kept in a variable, inside the loop that re-checks.
int wait_init_rc_ok(void) {
  pthread_mutex_lock(&init_mu);
  while (!init_done) {
    int rc = pthread_cond_wait(&init_cv, &init_mu);
    if (rc != 0) {
      pthread_mutex_unlock(&init_mu);
      return rc;
    }
  }
  pthread_mutex_unlock(&init_mu);
  return 0;
}

int wait_init_timed_bad(const struct timespec *deadline) {
  int rc = 0;
  pthread_mutex_lock(&init_mu);
  if (!init_done)
    rc = pthread_cond_timedwait(&init_cv, &init_mu, deadline); // expect: threadlint-cv-wait-without-predicate "'pthread_cond_timedwait' is not in a loop that re-checks its condition"
  pthread_mutex_unlock(&init_mu);
  return rc == 0 ? 0 : -1;
}

int wait_init_timed_ok(const struct timespec *deadline) {
  int rc = 0;
  pthread_mutex_lock(&init_mu);
  while (!init_done && rc == 0)
    rc = pthread_cond_timedwait(&init_cv, &init_mu, deadline);
  bool done = init_done;
  pthread_mutex_unlock(&init_mu);
  return done ? 0 : -1;
}

// The wait is part of the loop condition; the flag is tested before each
// wait and after each wakeup.
bool wait_init_deadline_ok(const struct timespec *deadline) {
  pthread_mutex_lock(&init_mu);
  while (!init_done && pthread_cond_timedwait(&init_cv, &init_mu, deadline) == 0) {
  }
  bool done = init_done;
  pthread_mutex_unlock(&init_mu);
  return done;
}

// ------------------------------------------------------- a log writer --

#define LOGCAP 64

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t log_cv = PTHREAD_COND_INITIALIZER;
static const char *log_lines[LOGCAP];
static int log_head, log_count;

void write_line(const char *line);

// Wakes up and writes one line per wakeup: lines logged while it was
// writing wait for the next signal, and a spurious wakeup writes a stale
// slot.
static void *log_writer_bad(void *arg) {
  (void)arg;
  pthread_mutex_lock(&log_mu);
  for (;;) {
    pthread_cond_wait(&log_cv, &log_mu); // expect: threadlint-cv-wait-without-predicate "'pthread_cond_wait' is not in a loop that re-checks its condition"
    const char *line = log_lines[log_head];
    log_head = (log_head + 1) % LOGCAP;
    log_count--;
    pthread_mutex_unlock(&log_mu);
    write_line(line);
    pthread_mutex_lock(&log_mu);
  }
  return NULL;
}

static void *log_writer_ok(void *arg) {
  (void)arg;
  pthread_mutex_lock(&log_mu);
  for (;;) {
    while (log_count == 0)
      pthread_cond_wait(&log_cv, &log_mu);
    const char *line = log_lines[log_head];
    log_head = (log_head + 1) % LOGCAP;
    log_count--;
    pthread_mutex_unlock(&log_mu);
    write_line(line);
    pthread_mutex_lock(&log_mu);
  }
  return NULL;
}

// ------------------------------------------------------------ barriers --

static pthread_barrier_t start_line;

static void *runner_ok(void *arg) {
  (void)arg;
  pthread_barrier_wait(&start_line);
  return NULL;
}

int run_all(void) {
  static struct queue q = {.mu = PTHREAD_MUTEX_INITIALIZER,
                           .not_empty = PTHREAD_COND_INITIALIZER,
                           .not_full = PTHREAD_COND_INITIALIZER};
  pthread_t consumer, logger, runner;
  if (pthread_create(&consumer, NULL, consumer_ok, &q) != 0)
    return -1;
  pthread_create(&logger, NULL, log_writer_ok, NULL);
  pthread_detach(logger);
  pthread_barrier_init(&start_line, NULL, 2);
  pthread_create(&runner, NULL, runner_ok, NULL);
  pthread_barrier_wait(&start_line);
  pthread_join(runner, NULL);
  for (int i = 0; i < 100; ++i)
    queue_push_ok(&q, i);
  queue_close(&q);
  pthread_join(consumer, NULL);
  finish_init();
  (void)log_writer_bad;
  return 0;
}
