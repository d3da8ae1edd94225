// C11 atomics: x = x + 1 on an _Atomic int, atomic_store(&a, atomic_load(&a)
// + n), the _explicit forms, an _Atomic field of a struct shared through a
// pointer, and check-then-act (if (!done) done = true; if
// (atomic_load(&state) == 0) atomic_store(&state, 1); a high-water mark).
// The advice names the <stdatomic.h> functions. Negative cases: ++, += and atomic_fetch_add on an
// _Atomic (single read-modify-writes), atomic_exchange, a compare-exchange
// loop, load and store under one pthread mutex, an _Atomic local no thread
// sees, a store of a value computed from another atomic, and resets.
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

void handle(int request);
void open_log(void);

// ----------------------------------------------------------- counters --

static _Atomic int g_served;
static atomic_long g_bytes;
static _Atomic unsigned g_flags;

static void count_served_bad(void) {
  g_served = g_served + 1; // expect: threadlint-split-atomic-update "'g_served' is updated in two atomic steps: it is loaded, then a value computed from the load is stored; an update another thread makes in between is lost; use atomic_fetch_add, which reads and writes in one step"
}

static void add_bytes_bad(long n) {
  atomic_store(&g_bytes, atomic_load(&g_bytes) + n); // expect: threadlint-split-atomic-update "use atomic_fetch_add"
}

static void sub_bytes_bad(long n) {
  atomic_store_explicit(&g_bytes, atomic_load_explicit(&g_bytes, memory_order_relaxed) - n, // expect: threadlint-split-atomic-update "use atomic_fetch_sub"
                        memory_order_relaxed);
}

static void set_flag_bad(unsigned bit) {
  g_flags = g_flags | bit; // expect: threadlint-split-atomic-update "use atomic_fetch_or"
}

// On an _Atomic object, ++ and += are one atomic read-modify-write.
static void count_served_ok(void) { g_served++; }
static void count_served_twice_ok(void) { g_served += 2; }
static void add_bytes_ok(long n) { atomic_fetch_add(&g_bytes, n); }
static void sub_bytes_ok(long n) {
  atomic_fetch_sub_explicit(&g_bytes, n, memory_order_relaxed);
}
static void set_flag_ok(unsigned bit) { g_flags |= bit; }
static unsigned take_flags_ok(void) { return atomic_exchange(&g_flags, 0u); }
static void reset_ok(void) {
  atomic_store(&g_bytes, 0);
  g_served = 0;
}

// A value computed from another atomic.
static _Atomic int g_last_served;
static void snapshot_ok(void) { atomic_store(&g_last_served, atomic_load(&g_served) + 0); }

// ------------------------------------------------------ a running maximum --

static _Atomic long g_max_latency;

// Two threads can both pass the test; the smaller value may be stored last.
static void note_latency_bad(long us) {
  if (us > atomic_load(&g_max_latency)) // expect-note: "'g_max_latency' tested here"
    atomic_store(&g_max_latency, us); // expect: threadlint-split-atomic-update "check-then-act on atomic 'g_max_latency'"
}

static void note_latency_ok(long us) {
  long cur = atomic_load_explicit(&g_max_latency, memory_order_relaxed);
  while (us > cur &&
         !atomic_compare_exchange_weak(&g_max_latency, &cur, us)) {
  }
}

// ------------------------------------------------------ check-then-act --

static atomic_bool g_log_open;

static void ensure_log_bad(void) {
  if (!g_log_open) { // expect-note: "'g_log_open' tested here"
    g_log_open = true; // expect: threadlint-split-atomic-update "check-then-act on atomic 'g_log_open': it is tested on line 80 and stored here in a separate step; two threads can both pass the test and both run this branch; use 'atomic_exchange' to test and store in one step"
    open_log();
  }
}

static void ensure_log_ok(void) {
  if (!atomic_exchange(&g_log_open, true))
    open_log();
}

enum { IDLE, BUSY };
static _Atomic int g_device;

static int claim_device_bad(void) {
  if (atomic_load(&g_device) == IDLE) { // expect-note: "'g_device' tested here"
    atomic_store(&g_device, BUSY); // expect: threadlint-split-atomic-update "use 'atomic_compare_exchange_strong' to test and store in one step"
    return 1;
  }
  return 0;
}

static int claim_device_ok(void) {
  int expected = IDLE;
  return atomic_compare_exchange_strong(&g_device, &expected, BUSY);
}

static pthread_mutex_t g_device_mu = PTHREAD_MUTEX_INITIALIZER;

// The test and the store under the same mutex.
static int claim_device_locked_ok(void) {
  int claimed = 0;
  pthread_mutex_lock(&g_device_mu);
  if (atomic_load(&g_device) == IDLE) {
    atomic_store(&g_device, BUSY);
    claimed = 1;
  }
  pthread_mutex_unlock(&g_device_mu);
  return claimed;
}

static void release_device_ok(void) { atomic_store(&g_device, IDLE); }

// ------------------------------------------- a struct behind a pointer --

struct pool {
  _Atomic int free_slots;
  _Atomic int in_use;
};

/* The pool is reached through a parameter of a function the threads call:
   the model does not follow which object the caller passes (&g_pool). */
static void FN_pool_take(struct pool *p) {
  p->free_slots = p->free_slots - 1;
}

static void pool_take_ok(struct pool *p) {
  atomic_fetch_sub(&p->free_slots, 1);
  p->in_use++;
}

// ------------------------------------------------------- a private copy --

static int count_positive_ok(const int *v, size_t n) {
  _Atomic int seen = 0;
  for (size_t i = 0; i < n; ++i)
    if (v[i] > 0)
      seen = seen + 1;
  return seen;
}

// --------------------------------------------------------------- threads --

static struct pool g_pool = {8, 0};

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 100; ++i) {
    handle(i);
    count_served_bad();
    count_served_ok();
    count_served_twice_ok();
    add_bytes_bad(64);
    add_bytes_ok(64);
    sub_bytes_bad(1);
    sub_bytes_ok(1);
    set_flag_bad(1u << (i % 8));
    set_flag_ok(1u);
    snapshot_ok();
    note_latency_bad(i);
    note_latency_ok(i);
    ensure_log_bad();
    ensure_log_ok();
    if (claim_device_bad() || claim_device_ok() || claim_device_locked_ok())
      release_device_ok();
    FN_pool_take(&g_pool);
    pool_take_ok(&g_pool);
  }
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, worker, NULL);
  pthread_create(&b, NULL, worker, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  int v[3] = {1, -2, 3};
  handle(count_positive_ok(v, 3) + (int)take_flags_ok());
  reset_ok();
  return 0;
}
