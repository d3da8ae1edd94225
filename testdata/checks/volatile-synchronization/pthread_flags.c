// volatile used between POSIX threads in C: a volatile int "done" flag set
// by a worker and polled by main, a volatile stop flag in a struct shared
// through a pointer, and a volatile counter updated by two threads (also
// with C11 <threads.h>). The advice names _Atomic. Negative cases: memory-
// mapped device registers (*(volatile uint32_t *)ADDR = 1; a volatile
// pointer to a register block used by one thread only); volatile
// sig_atomic_t set by a signal handler and read by main; an _Atomic flag; a
// volatile counter guarded by one mutex in both threads; a volatile written
// before pthread_create and read after pthread_join; a volatile local.
// Known miss (FN_): a flag the thread reads through the pointer it was
// handed.
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <threads.h>
#include <time.h>

void handle(int v);
int next_item(void);

// -------------------------------------------------------- a done flag --

static int g_answer;
static volatile int g_done;

static void *solver(void *arg) {
  (void)arg;
  g_answer = 42;
  g_done = 1; // expect: threadlint-volatile-synchronization "volatile 'g_done' is used to communicate between threads: thread 'solver' writes it here and the thread that started 'solver' reads it (line 42); volatile does not make accesses atomic or ordered: the accesses are a data race, and nothing orders the writes made before this one: the other thread can see the flag set before the data it announces; declare it '_Atomic int' (<stdatomic.h>) instead of volatile"
  return NULL;
}

int solve_bad(void) {
  pthread_t t;
  g_done = 0;
  if (pthread_create(&t, NULL, solver, NULL) != 0) // expect-note: "the thread is started here"
    return -1;
  while (!g_done) // expect-note: "the thread that started 'solver' reads 'g_done' here"
    ;
  int r = g_answer;
  pthread_join(t, NULL);
  return r;
}

static int g_answer2;
static atomic_int g_done2;

static void *solver_ok(void *arg) {
  (void)arg;
  g_answer2 = 42;
  atomic_store_explicit(&g_done2, 1, memory_order_release);
  return NULL;
}

int solve_ok(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, solver_ok, NULL) != 0)
    return -1;
  while (!atomic_load_explicit(&g_done2, memory_order_acquire))
    ;
  int r = g_answer2;
  pthread_join(t, NULL);
  return r;
}

// --------------------------------------- a stop flag behind a pointer --

struct worker {
  pthread_t tid;
  volatile bool stop;
  long handled;
};

static void *worker_main(void *arg) {
  struct worker *w = arg;
  while (!w->stop) // expect-note: "reads 'worker::stop' here"
    handle(next_item());
  return NULL;
}

void run_worker_bad(struct worker *w) {
  w->stop = false;
  pthread_create(&w->tid, NULL, worker_main, w);
  handle(next_item());
  w->stop = true; // expect: threadlint-volatile-synchronization "volatile 'worker::stop' is used to communicate between threads: the thread that started 'worker_main' writes it here and thread 'worker_main' reads it (line 80); volatile does not make accesses atomic or ordered: the accesses are a data race, and nothing orders the writes made before this one: the other thread can see the flag set before the data it announces; declare it '_Atomic bool' (<stdatomic.h>) instead of volatile"
  pthread_join(w->tid, NULL);
}

// ------------------------------------------------------- a counter --

static volatile long g_items;

static void *count_items(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i)
    g_items++; // expect: threadlint-volatile-synchronization "volatile 'g_items' is updated by more than one thread at once (thread 'count_items'): volatile does not make accesses atomic or ordered; the update is not atomic, so concurrent updates are lost; declare it '_Atomic long' (<stdatomic.h>) instead of volatile"
  return NULL;
}

long count_bad(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, count_items, NULL);
  pthread_create(&b, NULL, count_items, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return g_items;
}

static volatile int g_c11_hits;

static int c11_hit(void *arg) {
  (void)arg;
  g_c11_hits += 1; // expect: threadlint-volatile-synchronization "volatile 'g_c11_hits' is updated by more than one thread at once"
  return 0;
}

int c11_count_bad(void) {
  thrd_t a, b;
  thrd_create(&a, c11_hit, NULL);
  thrd_create(&b, c11_hit, NULL);
  thrd_join(a, NULL);
  thrd_join(b, NULL);
  return g_c11_hits;
}

// The same counter under one mutex in both threads.
static pthread_mutex_t g_items_mu = PTHREAD_MUTEX_INITIALIZER;
static volatile long g_locked_items;

static void *count_items_ok(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&g_items_mu);
    g_locked_items++;
    pthread_mutex_unlock(&g_items_mu);
  }
  return NULL;
}

long count_locked_ok(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, count_items_ok, NULL);
  pthread_create(&b, NULL, count_items_ok, NULL);
  pthread_mutex_lock(&g_items_mu);
  long seen = g_locked_items;
  pthread_mutex_unlock(&g_items_mu);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return seen;
}

// ------------------------------------------ written before the start --

static volatile int g_mode;

static void *mode_reader_ok(void *arg) {
  (void)arg;
  handle(g_mode);
  return NULL;
}

int run_mode_ok(int mode) {
  pthread_t t;
  g_mode = mode;
  pthread_create(&t, NULL, mode_reader_ok, NULL);
  pthread_join(t, NULL);
  g_mode = 0;
  return 0;
}

// ------------------------------------------------ memory-mapped I/O --

#define UART_BASE 0x40001000u

struct uart_regs {
  uint32_t data;
  uint32_t status;
  uint32_t ctrl;
};

static volatile struct uart_regs *const g_uart = (volatile struct uart_regs *)UART_BASE;
static volatile uint32_t *g_gpio_out = (volatile uint32_t *)0x40020014u;

static void led_on_ok(void) { *(volatile uint32_t *)0x40000000u = 1; }

static void uart_putc_ok(char c) {
  while ((g_uart->status & 0x20u) == 0)
    ;
  g_uart->data = (uint32_t)c;
}

static void *console_thread_ok(void *arg) {
  const char *msg = arg;
  for (const char *p = msg; *p; ++p)
    uart_putc_ok(*p);
  *g_gpio_out = 1u;
  return NULL;
}

void console_ok(void) {
  pthread_t t;
  led_on_ok();
  pthread_create(&t, NULL, console_thread_ok, "boot\n");
  pthread_join(t, NULL);
}

// ---------------------------------------------------------- signals --

static volatile sig_atomic_t g_got_sigterm;

static void on_sigterm_ok(int sig) {
  (void)sig;
  g_got_sigterm = 1;
}

static void *helper_ok(void *arg) {
  (void)arg;
  handle(1);
  return NULL;
}

int main_loop_ok(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_sigterm_ok;
  sigaction(SIGTERM, &sa, NULL);
  pthread_t t;
  pthread_create(&t, NULL, helper_ok, NULL);
  while (!g_got_sigterm)
    handle(next_item());
  pthread_join(t, NULL);
  return 0;
}

// ------------------------------------------------ a volatile local --

static void *delay_thread_ok(void *arg) {
  (void)arg;
  volatile unsigned spin = 0;
  for (unsigned i = 0; i < 100000u; ++i)
    spin = spin + i;
  return NULL;
}

void delay_ok(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, delay_thread_ok, NULL);
  pthread_create(&b, NULL, delay_thread_ok, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

// ------------------------------------------------------ a known miss --

// The thread reads the flag through the pointer it was given: accesses
// through a pointer are matched to the variable only by name, so the two
// sides are not paired.
static void *waiter(void *arg) {
  volatile int *ready = arg;
  while (!*ready)
    ;
  return NULL;
}

int FN_start_and_signal(void) {
  volatile int ready = 0;
  pthread_t t;
  pthread_create(&t, NULL, waiter, (void *)&ready);
  handle(next_item());
  ready = 1;
  pthread_join(t, NULL);
  return 0;
}

int main(void) {
  static struct worker w;
  handle(solve_bad() + solve_ok() + (int)count_bad() + c11_count_bad() +
         (int)count_locked_ok() + run_mode_ok(2));
  run_worker_bad(&w);
  console_ok();
  delay_ok();
  FN_start_and_signal();
  return main_loop_ok();
}
