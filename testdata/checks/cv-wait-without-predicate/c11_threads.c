// cv-wait-without-predicate on C11 <threads.h> condition variables:
// cnd_wait and cnd_timedwait under an `if`, in straight-line code, and a
// cnd_timedwait whose thrd_timedout result is the only test. Negative cases:
// a mailbox whose receive waits in a `while` loop, a shutdown wait that
// loops until a flag or a deadline, a do-while that waits for the next
// tick of a counter, and an endless worker loop that leaves with `return`.
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stddef.h>
#include <threads.h>
#include <time.h>

// ------------------------------------------------------- a mailbox --

struct mailbox {
  mtx_t mu;
  cnd_t arrived;
  int message;
  bool full;
  bool closed;
};

void mailbox_send(struct mailbox *mb, int message) {
  mtx_lock(&mb->mu);
  mb->message = message;
  mb->full = true;
  cnd_signal(&mb->arrived);
  mtx_unlock(&mb->mu);
}

int mailbox_receive_bad(struct mailbox *mb) {
  mtx_lock(&mb->mu);
  if (!mb->full)
    cnd_wait(&mb->arrived, &mb->mu); // expect: threadlint-cv-wait-without-predicate "'cnd_wait' is not in a loop that re-checks its condition"
  int m = mb->message;
  mb->full = false;
  mtx_unlock(&mb->mu);
  return m;
}

bool mailbox_receive_ok(struct mailbox *mb, int *out) {
  mtx_lock(&mb->mu);
  while (!mb->full && !mb->closed)
    cnd_wait(&mb->arrived, &mb->mu);
  bool got = mb->full;
  if (got) {
    *out = mb->message;
    mb->full = false;
  }
  mtx_unlock(&mb->mu);
  return got;
}

// Only the return value is tested: thrd_success is also what a spurious
// wakeup returns.
bool mailbox_receive_timed_bad(struct mailbox *mb, const struct timespec *deadline, int *out) {
  mtx_lock(&mb->mu);
  if (cnd_timedwait(&mb->arrived, &mb->mu, deadline) == thrd_timedout) { // expect: threadlint-cv-wait-without-predicate "'cnd_timedwait' is not in a loop that re-checks its condition"
    mtx_unlock(&mb->mu);
    return false;
  }
  *out = mb->message;
  mb->full = false;
  mtx_unlock(&mb->mu);
  return true;
}

bool mailbox_receive_timed_ok(struct mailbox *mb, const struct timespec *deadline, int *out) {
  mtx_lock(&mb->mu);
  while (!mb->full) {
    if (cnd_timedwait(&mb->arrived, &mb->mu, deadline) == thrd_timedout)
      break;
  }
  bool got = mb->full;
  if (got) {
    *out = mb->message;
    mb->full = false;
  }
  mtx_unlock(&mb->mu);
  return got;
}

// ----------------------------------------------------------- shutdown --

static mtx_t state_mu;
static cnd_t state_cv;
static bool shutting_down;
static unsigned long ticks;

void request_shutdown(void) {
  mtx_lock(&state_mu);
  shutting_down = true;
  cnd_broadcast(&state_cv);
  mtx_unlock(&state_mu);
}

void tick(void) {
  mtx_lock(&state_mu);
  ++ticks;
  cnd_broadcast(&state_cv);
  mtx_unlock(&state_mu);
}

void await_shutdown_bad(void) {
  mtx_lock(&state_mu);
  cnd_wait(&state_cv, &state_mu); // expect: threadlint-cv-wait-without-predicate "'cnd_wait' is not in a loop that re-checks its condition"
  mtx_unlock(&state_mu);
}

bool await_shutdown_ok(const struct timespec *deadline) {
  mtx_lock(&state_mu);
  int rc = thrd_success;
  while (!shutting_down && rc == thrd_success)
    rc = cnd_timedwait(&state_cv, &state_mu, deadline);
  bool down = shutting_down;
  mtx_unlock(&state_mu);
  return down;
}

bool await_shutdown_timed_bad(const struct timespec *deadline) {
  mtx_lock(&state_mu);
  if (!shutting_down)
    cnd_timedwait(&state_cv, &state_mu, deadline); // expect: threadlint-cv-wait-without-predicate "'cnd_timedwait' is not in a loop that re-checks its condition"
  bool down = shutting_down;
  mtx_unlock(&state_mu);
  return down;
}

// Waits for the next tick: the do-while compares after each wakeup.
unsigned long await_next_tick_ok(void) {
  mtx_lock(&state_mu);
  unsigned long seen = ticks;
  do {
    cnd_wait(&state_cv, &state_mu);
  } while (ticks == seen);
  unsigned long now = ticks;
  mtx_unlock(&state_mu);
  return now;
}

void poll_devices(void);

// An endless worker loop that re-checks both conditions before it waits.
static int device_poller_ok(void *arg) {
  (void)arg;
  mtx_lock(&state_mu);
  unsigned long seen = ticks;
  for (;;) {
    if (shutting_down) {
      mtx_unlock(&state_mu);
      return 0;
    }
    if (ticks != seen) {
      seen = ticks;
      mtx_unlock(&state_mu);
      poll_devices();
      mtx_lock(&state_mu);
      continue;
    }
    cnd_wait(&state_cv, &state_mu);
  }
}

int run_poller(void) {
  mtx_init(&state_mu, mtx_plain);
  cnd_init(&state_cv);
  thrd_t poller;
  if (thrd_create(&poller, device_poller_ok, NULL) != thrd_success)
    return -1;
  for (int i = 0; i < 10; ++i)
    tick();
  request_shutdown();
  thrd_join(poller, NULL);
  return 0;
}
