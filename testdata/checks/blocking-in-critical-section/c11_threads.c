// C11 <threads.h>: mtx_t, mtx_trylock/mtx_timedlock, cnd_wait (releases its
// own mutex only), thrd_join and thrd_sleep.
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#define RING_SIZE 32

struct ring {
  mtx_t mu;
  cnd_t not_empty;
  int items[RING_SIZE];
  int head, count;
};

int ring_pop_ok(struct ring *r) {
  mtx_lock(&r->mu);
  while (r->count == 0)
    cnd_wait(&r->not_empty, &r->mu);
  int v = r->items[r->head];
  r->head = (r->head + 1) % RING_SIZE;
  --r->count;
  mtx_unlock(&r->mu);
  return v;
}

int ring_pop_timed_ok(struct ring *r, const struct timespec *deadline) {
  mtx_lock(&r->mu);
  while (r->count == 0)
    if (cnd_timedwait(&r->not_empty, &r->mu, deadline) == thrd_timedout) {
      mtx_unlock(&r->mu);
      return -1;
    }
  int v = r->items[r->head];
  mtx_unlock(&r->mu);
  return v;
}

void ring_push_ok(struct ring *r, int v) {
  mtx_lock(&r->mu);
  r->items[(r->head + r->count) % RING_SIZE] = v;
  ++r->count;
  cnd_signal(&r->not_empty);
  mtx_unlock(&r->mu);
}

// Throttles producers by sleeping with the ring locked.
void ring_push_throttled_bad(struct ring *r, int v) {
  mtx_lock(&r->mu);
  if (r->count > RING_SIZE / 2) {
    struct timespec ts = {0, 1000000};
    thrd_sleep(&ts, NULL); // expect: threadlint-blocking-in-critical-section "'thrd_sleep' sleeps while holding 'ring::mu'"
  }
  r->items[(r->head + r->count) % RING_SIZE] = v;
  ++r->count;
  mtx_unlock(&r->mu);
}

void ring_push_throttled_ok(struct ring *r, int v) {
  for (;;) {
    mtx_lock(&r->mu);
    if (r->count <= RING_SIZE / 2)
      break;
    mtx_unlock(&r->mu);
    struct timespec ts = {0, 1000000};
    thrd_sleep(&ts, NULL);
  }
  r->items[(r->head + r->count) % RING_SIZE] = v;
  ++r->count;
  mtx_unlock(&r->mu);
}

// A second mutex held across cnd_wait.
mtx_t g_log_mu;
FILE *g_log;

int ring_pop_logged_bad(struct ring *r) {
  mtx_lock(&g_log_mu);
  mtx_lock(&r->mu);
  while (r->count == 0)
    cnd_wait(&r->not_empty, &r->mu); // expect: threadlint-blocking-in-critical-section "'cnd_wait' waits while holding 'g_log_mu'; the wait releases only its own lock"
  int v = r->items[r->head];
  mtx_unlock(&r->mu);
  fprintf(g_log, "popped %d\n", v);
  mtx_unlock(&g_log_mu);
  return v;
}

int ring_pop_logged_ok(struct ring *r) {
  int v = ring_pop_ok(r);
  mtx_lock(&g_log_mu);
  fprintf(g_log, "popped %d\n", v);
  mtx_unlock(&g_log_mu);
  return v;
}

void log_sync_bad(void) {
  mtx_lock(&g_log_mu);
  fwrite("--\n", 1, 3, g_log); // expect: threadlint-blocking-in-critical-section "'fwrite' waits for I/O while holding 'g_log_mu'"
  mtx_unlock(&g_log_mu);
}

void log_sync_try_ok(void) {
  if (mtx_trylock(&g_log_mu) != thrd_success) {
    struct timespec ts = {0, 1000};
    thrd_sleep(&ts, NULL);
    return;
  }
  mtx_unlock(&g_log_mu);
}

void log_sync_try_bad(void) {
  if (mtx_trylock(&g_log_mu) == thrd_success) {
    fwrite("--\n", 1, 3, g_log); // expect: threadlint-blocking-in-critical-section "'fwrite' waits for I/O while holding 'g_log_mu'"
    mtx_unlock(&g_log_mu);
  }
}

void log_sync_timed_ok(const struct timespec *deadline) {
  if (mtx_timedlock(&g_log_mu, deadline) != thrd_success) {
    fwrite("busy\n", 1, 5, stderr);
    return;
  }
  mtx_unlock(&g_log_mu);
}

// Joining workers.
struct workers {
  mtx_t mu;
  thrd_t t[4];
  int n;
};

void workers_stop_bad(struct workers *w) {
  mtx_lock(&w->mu);
  for (int i = 0; i < w->n; ++i)
    thrd_join(w->t[i], NULL); // expect: threadlint-blocking-in-critical-section "'thrd_join' waits for a thread to finish while holding 'workers::mu'"
  w->n = 0;
  mtx_unlock(&w->mu);
}

void workers_stop_ok(struct workers *w) {
  thrd_t copy[4];
  mtx_lock(&w->mu);
  int n = w->n;
  memcpy(copy, w->t, sizeof copy);
  w->n = 0;
  mtx_unlock(&w->mu);
  for (int i = 0; i < n; ++i)
    thrd_join(copy[i], NULL);
}

int workers_count_ok(struct workers *w) {
  mtx_lock(&w->mu);
  int n = w->n;
  mtx_unlock(&w->mu);
  return n;
}

// ------------------------------------------- more C11 patterns --

// Draining the ring into a local buffer, writing it outside the lock.
void ring_dump_ok(struct ring *r, FILE *out) {
  int copy[RING_SIZE];
  mtx_lock(&r->mu);
  int n = r->count;
  for (int i = 0; i < n; ++i)
    copy[i] = r->items[(r->head + i) % RING_SIZE];
  mtx_unlock(&r->mu);
  fwrite(copy, sizeof copy[0], (size_t)n, out);
}

void ring_dump_bad(struct ring *r, FILE *out) {
  mtx_lock(&r->mu);
  fwrite(r->items, sizeof r->items[0], (size_t)r->count, out); // expect: threadlint-blocking-in-critical-section "'fwrite' waits for I/O while holding 'ring::mu'"
  mtx_unlock(&r->mu);
}

// cnd_broadcast and cnd_signal never wait.
void ring_close_ok(struct ring *r) {
  mtx_lock(&r->mu);
  r->count = 0;
  cnd_broadcast(&r->not_empty);
  mtx_unlock(&r->mu);
}

// Starting a thread under the lock does not wait for it.
static int worker_main(void *arg) {
  (void)arg;
  struct timespec ts = {0, 1000};
  thrd_sleep(&ts, NULL);
  return 0;
}

int workers_spawn_ok(struct workers *w) {
  mtx_lock(&w->mu);
  int rc = w->n < 4 ? thrd_create(&w->t[w->n], worker_main, NULL) : thrd_error;
  if (rc == thrd_success)
    ++w->n;
  mtx_unlock(&w->mu);
  return rc;
}

// A thread's own function that sleeps: no lock held by it.
int worker_sleeps_ok(void *arg) { return worker_main(arg); }
