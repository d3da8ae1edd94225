// C11 <threads.h>: mtx_t globals and struct fields, mtx_trylock and
// mtx_timedlock (attempts, not edges), and a callee that locks while its
// caller holds another mtx_t.
#include <stddef.h>
#include <string.h>
#include <threads.h>
#include <time.h>

// ------------------------------------------------- a print spooler --

mtx_t g_spool_mu;
mtx_t g_printer_mu;
int g_spool[64];
int g_spool_len;
int g_printer_busy;

// Spool first, then the printer.
void spool_submit_bad(int job) {
  mtx_lock(&g_spool_mu);
  g_spool[g_spool_len++ & 63] = job;
  mtx_lock(&g_printer_mu); // expect: threadlint-lock-order "'g_printer_mu' acquired while holding 'g_spool_mu'; elsewhere 'g_spool_mu' is acquired while holding 'g_printer_mu'"
  if (!g_printer_busy)
    g_printer_busy = 1;
  mtx_unlock(&g_printer_mu);
  mtx_unlock(&g_spool_mu);
}

// The printer takes the next job from the spool while it is locked.
static int spool_take(void) {
  mtx_lock(&g_spool_mu);
  int job = g_spool_len > 0 ? g_spool[--g_spool_len & 63] : -1;
  mtx_unlock(&g_spool_mu);
  return job;
}

int printer_next_bad(void) {
  mtx_lock(&g_printer_mu);
  int job = spool_take();
  g_printer_busy = job >= 0;
  mtx_unlock(&g_printer_mu);
  return job;
}

// Takes the job first, then marks the printer: one lock at a time.
int printer_next_ok(void) {
  int job = spool_take();
  mtx_lock(&g_printer_mu);
  g_printer_busy = job >= 0;
  mtx_unlock(&g_printer_mu);
  return job;
}

// Only tries the printer while holding the spool.
void spool_submit_ok(int job) {
  mtx_lock(&g_spool_mu);
  g_spool[g_spool_len++ & 63] = job;
  if (mtx_trylock(&g_printer_mu) == thrd_success) {
    g_printer_busy = 1;
    mtx_unlock(&g_printer_mu);
  }
  mtx_unlock(&g_spool_mu);
}

// A bounded wait for the printer: gives up on timeout.
int spool_kick_ok(const struct timespec *deadline) {
  mtx_lock(&g_spool_mu);
  int rc = mtx_timedlock(&g_printer_mu, deadline);
  if (rc == thrd_success) {
    g_printer_busy = g_spool_len > 0;
    mtx_unlock(&g_printer_mu);
  }
  mtx_unlock(&g_spool_mu);
  return rc;
}

int spool_length_ok(void) {
  mtx_lock(&g_spool_mu);
  int n = g_spool_len;
  mtx_unlock(&g_spool_mu);
  return n;
}

// ------------------------------------------------ a sensor hub --

struct sensor {
  mtx_t mu;
  double last;
};

struct hub {
  mtx_t mu;
  struct sensor sensors[8];
  double average;
};

// Hub first, then each sensor, in every function.
void hub_average_ok(struct hub *h) {
  mtx_lock(&h->mu);
  double sum = 0;
  for (int i = 0; i < 8; ++i) {
    mtx_lock(&h->sensors[i].mu);
    sum += h->sensors[i].last;
    mtx_unlock(&h->sensors[i].mu);
  }
  h->average = sum / 8;
  mtx_unlock(&h->mu);
}

void hub_reset_ok(struct hub *h) {
  mtx_lock(&h->mu);
  for (int i = 0; i < 8; ++i) {
    mtx_lock(&h->sensors[i].mu);
    h->sensors[i].last = 0;
    mtx_unlock(&h->sensors[i].mu);
  }
  h->average = 0;
  mtx_unlock(&h->mu);
}

// A sensor alone.
void sensor_update_ok(struct sensor *s, double v) {
  mtx_lock(&s->mu);
  s->last = v;
  mtx_unlock(&s->mu);
}
