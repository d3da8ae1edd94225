// C11: busy waits on _Atomic objects read directly, on a volatile
// sig_atomic_t and on a plain global; thrd_yield/sched_yield loops are
// remarks. Negative cases: cnd_wait and pthread_cond_wait loops, loops that
// sleep (thrd_sleep, nanosleep), atomic_flag and compare-exchange spinlocks,
// worker loops and loops that make their own progress.
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <threads.h>
#include <time.h>

void process(int item);
int next_item(void);

// --------------------------------------------- a start flag (_Atomic) --

atomic_bool g_started;
_Atomic int g_workers_ready;

void worker_started(void) {
  g_workers_ready += 1; // expect-note: "'g_workers_ready' is changed here, in 'worker_started'"
}
void start_all(void) {
  g_started = true; // expect-note: "'g_started' is changed here, in 'start_all'"
}

void wait_started_bad(void) {
  while (!g_started) { // expect: threadlint-busy-wait "busy wait: this loop spins until 'g_started' changes"
  }
}

void wait_workers_bad(void) {
  while (g_workers_ready < 4) { // expect: threadlint-busy-wait "spins until 'g_workers_ready' changes"
  }
}

void wait_started_yield_bad(void) {
  while (!g_started) // expect-remark: threadlint-busy-wait "spins until 'g_started' changes, yielding or pausing between polls"
    thrd_yield(); // expect-note: "the loop yields or pauses here"
}

void wait_started_sched_yield_bad(void) {
  do { // expect-remark: threadlint-busy-wait "yielding or pausing between polls"
    sched_yield(); // expect-note: "the loop yields or pauses here"
  } while (!g_started);
}

void wait_started_sleeping_ok(void) {
  struct timespec ts = {0, 100000};
  while (!g_started)
    thrd_sleep(&ts, NULL);
}

void wait_started_nanosleep_ok(void) {
  struct timespec ts = {0, 100000};
  while (!g_started)
    nanosleep(&ts, NULL);
}

// ------------------------------------------ a condition-variable gate --

struct gate {
  mtx_t mu;
  cnd_t cv;
  bool open;
};

void gate_open_ok(struct gate *g) {
  mtx_lock(&g->mu);
  g->open = true;
  cnd_broadcast(&g->cv);
  mtx_unlock(&g->mu);
}

void gate_wait_ok(struct gate *g) {
  mtx_lock(&g->mu);
  while (!g->open)
    cnd_wait(&g->cv, &g->mu);
  mtx_unlock(&g->mu);
}

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static int g_items;

void put_item_ok(void) {
  pthread_mutex_lock(&g_mu);
  ++g_items;
  pthread_cond_signal(&g_cv);
  pthread_mutex_unlock(&g_mu);
}

void take_item_ok(void) {
  pthread_mutex_lock(&g_mu);
  while (g_items == 0)
    pthread_cond_wait(&g_cv, &g_mu);
  --g_items;
  pthread_mutex_unlock(&g_mu);
}

// ------------------------------------------------ a plain global flag --

int g_config_version;

void reload_config(void) {
  g_config_version = g_config_version + 1; // expect-note: "'g_config_version' is changed here, in 'reload_config'"
}

void wait_config_bad(void) {
  while (g_config_version == 0) { // expect: threadlint-busy-wait "'g_config_version' is neither atomic nor volatile"
  }
}

// ------------------------------------------------------------ signals --

volatile sig_atomic_t g_quit;

void on_sigint(int sig) {
  (void)sig;
  g_quit = 1; // expect-note: "'g_quit' is changed here, in 'on_sigint'"
}

void idle_until_quit_bad(void) {
  for (;;) { // expect: threadlint-busy-wait "if a signal handler sets 'g_quit', block in sigsuspend()"
    if (g_quit)
      break;
  }
}

void serve_until_quit_ok(void) {
  while (!g_quit)
    process(next_item());
}

// ------------------------------------------ a job slot behind a pointer --

enum { JOB_PENDING, JOB_DONE };

struct job {
  _Atomic int state;
  int result;
};

void job_finish(struct job *j, int result) {
  j->result = result;
  atomic_store_explicit(&j->state, JOB_DONE, memory_order_release);
}

int job_wait_bad(struct job *j) {
  while (j->state != JOB_DONE) { // expect: threadlint-busy-wait "busy wait: this loop spins until 'job::state' changes, and its body neither blocks, sleeps nor waits: it keeps a core busy while another thread does the work; wait on a condition variable (pthread_cond_wait, cnd_wait) or a semaphore, or sleep with back-off"
  }
  return j->result;
}

int job_wait_ok(struct job *j) {
  struct timespec ts = {0, 50000};
  while (j->state != JOB_DONE)
    thrd_sleep(&ts, NULL);
  return j->result;
}

// ---------------------------------------------------------- spinlocks --

atomic_flag g_spin = ATOMIC_FLAG_INIT;
atomic_int g_owner;

void spin_lock_ok(void) {
  while (atomic_flag_test_and_set_explicit(&g_spin, memory_order_acquire)) {
  }
}

void spin_unlock_ok(void) { atomic_flag_clear_explicit(&g_spin, memory_order_release); }

void owner_lock_ok(int me) {
  int expected = 0;
  while (!atomic_compare_exchange_weak(&g_owner, &expected, me))
    expected = 0;
}

// ------------------------------------------------------- own progress --

int sum_ok(const int *v, size_t n) {
  int s = 0;
  size_t i = 0;
  while (i < n)
    s += v[i++];
  return s;
}

size_t strlen_ok(const char *s) {
  const char *p = s;
  while (*p)
    ++p;
  return (size_t)(p - s);
}

// ------------------------------------ harder shapes, and known misses --

// Atomic_load and atomic_load_explicit are macros of clang's <stdatomic.h>
// expanding to __c11_atomic_load, an AtomicExpr rather than a call, so the
// loop condition is not taken for a pure read.
void wait_started_atomic_load_bad(void) {
  while (!atomic_load(&g_started)) { // expect: threadlint-busy-wait "spins until"
  }
}

void wait_started_explicit_bad(void) {
  while (!atomic_load_explicit(&g_started, memory_order_acquire)) { // expect: threadlint-busy-wait "spins until"
  }
}

// Missed: the GCC builtin is an AtomicExpr as well.
int g_legacy_flag;
void set_legacy_flag(void) { __atomic_store_n(&g_legacy_flag, 1, __ATOMIC_RELEASE); }
void wait_legacy_flag_bad(void) {
  while (!__atomic_load_n(&g_legacy_flag, __ATOMIC_ACQUIRE)) { // expect: threadlint-busy-wait "spins until"
  }
}
