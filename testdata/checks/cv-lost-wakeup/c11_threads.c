// cv-lost-wakeup on C11 <threads.h>: a job slot filled and a stop flag set
// without the mtx_t the waiter passes to cnd_wait, before cnd_signal /
// cnd_broadcast. Negative cases: the same writes between mtx_lock and
// mtx_unlock (signalled inside or after), a write made after the
// broadcast's waiters have been joined, and a notify on a condition variable
// whose only waiter does not re-check any state (nothing a predicate reads).
#define _POSIX_C_SOURCE 200809L
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <threads.h>

void run_job(int job);

static mtx_t slot_mu;
static cnd_t slot_cv;
static int slot_job;
static bool slot_full;
static atomic_bool stop_flag;

static int slot_worker(void *arg) {
  (void)arg;
  mtx_lock(&slot_mu);
  for (;;) {
    while (!slot_full && !atomic_load(&stop_flag))
      cnd_wait(&slot_cv, &slot_mu); // expect-note: "the waiter checks 'slot_full' under 'slot_mu' here"
    if (!slot_full)
      break;
    int job = slot_job;
    slot_full = false;
    mtx_unlock(&slot_mu);
    run_job(job);
    mtx_lock(&slot_mu);
  }
  mtx_unlock(&slot_mu);
  return 0;
}

void post_job_bad(int job) {
  slot_job = job;
  slot_full = true; // expect: threadlint-cv-lost-wakeup "'slot_full' is written without holding 'slot_mu' before 'slot_cv' is notified"
  cnd_signal(&slot_cv); // expect-note: "'slot_cv' is notified here"
}

void post_job_ok(int job) {
  mtx_lock(&slot_mu);
  slot_job = job;
  slot_full = true;
  cnd_signal(&slot_cv);
  mtx_unlock(&slot_mu);
}

void post_job_signal_after_unlock_ok(int job) {
  mtx_lock(&slot_mu);
  slot_job = job;
  slot_full = true;
  mtx_unlock(&slot_mu);
  cnd_signal(&slot_cv);
}

void stop_worker_bad(thrd_t t) {
  atomic_store(&stop_flag, true); // expect: threadlint-cv-lost-wakeup "'stop_flag' is written without holding 'slot_mu' before 'slot_cv' is notified"
  cnd_broadcast(&slot_cv);
  thrd_join(t, NULL);
}

// The flag is cleared after the worker has been joined, for a restart.
void stop_worker_ok(thrd_t t) {
  mtx_lock(&slot_mu);
  atomic_store(&stop_flag, true);
  mtx_unlock(&slot_mu);
  cnd_broadcast(&slot_cv);
  thrd_join(t, NULL);
  atomic_store(&stop_flag, false);
}

// --------------------------------------------- a heartbeat kick --

// The heartbeat thread sleeps up to a second between beats; kick() only
// makes the next beat come sooner, and its waiter re-checks no state.
static mtx_t beat_mu;
static cnd_t beat_cv;
static atomic_int kicks;

void send_heartbeat(void);

static int heartbeat(void *arg) {
  const int *beats = arg;
  mtx_lock(&beat_mu);
  for (int i = 0; i < *beats; ++i) {
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    ts.tv_sec += 1;
    cnd_timedwait(&beat_cv, &beat_mu, &ts);
    send_heartbeat();
  }
  mtx_unlock(&beat_mu);
  return 0;
}

void kick_ok(void) {
  atomic_fetch_add(&kicks, 1);
  cnd_signal(&beat_cv);
}

int run(void) {
  mtx_init(&slot_mu, mtx_plain);
  cnd_init(&slot_cv);
  mtx_init(&beat_mu, mtx_plain);
  cnd_init(&beat_cv);
  static const int beats = 10;
  thrd_t w, hb;
  if (thrd_create(&w, slot_worker, NULL) != thrd_success)
    return -1;
  thrd_create(&hb, heartbeat, (void *)&beats);
  for (int i = 0; i < 10; ++i)
    post_job_ok(i);
  kick_ok();
  stop_worker_ok(w);
  thrd_join(hb, NULL);
  return 0;
}
