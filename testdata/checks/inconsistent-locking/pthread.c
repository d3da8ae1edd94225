// POSIX threads in C: globals guarded by a pthread_mutex_t everywhere but
// in one function (a read of the queue length, a write of the head), and a
// struct field guarded by the mutex in the same struct. Negative cases:
// every access under the mutex, pthread_rwlock_t readers and writers,
// initialisation before pthread_create, and cleanup after pthread_join.
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#define QCAP 64

// ------------------------------------------------ a job queue in globals --

static pthread_mutex_t g_queue_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_queue[QCAP];
static int g_head = 0;
static int g_len = 0;

static void queue_push(int job) {
  pthread_mutex_lock(&g_queue_mu);
  if (g_len < QCAP) {
    g_queue[(g_head + g_len) % QCAP] = job;
    g_len++; // expect-note: "'g_len' updated here while holding 'g_queue_mu'"
  }
  pthread_mutex_unlock(&g_queue_mu);
}

static int queue_pop(int *job) {
  int ok = 0;
  pthread_mutex_lock(&g_queue_mu);
  if (g_len > 0) {
    *job = g_queue[g_head];
    g_head = (g_head + 1) % QCAP; // expect-note: "'g_head' updated here while holding 'g_queue_mu'"
    g_len--;
    ok = 1;
  }
  pthread_mutex_unlock(&g_queue_mu);
  return ok;
}

// A monitoring function that peeks without the lock, and a reset that
// forgets it.
static void queue_report(void) {
  printf("queue: %d jobs\n", g_len); // expect: threadlint-inconsistent-locking "'g_len' is read without holding 'g_queue_mu', which all 5 of its other accesses hold"
}

static void queue_reset(void) {
  g_head = 0; // expect: threadlint-inconsistent-locking "'g_head' is written without holding 'g_queue_mu', which all 3 of its other accesses hold; thread 'monitor' and thread 'consumer' may run at the same time: this access races with the guarded write on line 34; hold 'g_queue_mu' here"
}

// A slot read without the lock.
// missed: elements indexed by a non-constant are taken to be per-thread
// slots and are not recorded, so the queue array has no inferred guard.
int FN_peek_slot(int i) {
  return g_queue[i % QCAP];
}

static void *producer(void *arg) {
  (void)arg;
  for (int i = 0; i < 100; ++i)
    queue_push(i);
  return NULL;
}

static void *consumer(void *arg) {
  (void)arg;
  int job;
  for (int i = 0; i < 100; ++i)
    queue_pop(&job);
  return NULL;
}

static void *monitor(void *arg) {
  (void)arg;
  queue_report();
  FN_peek_slot(0);
  queue_reset();
  return NULL;
}

int run_queue_bad(void) {
  pthread_t p, c, m;
  pthread_create(&p, NULL, producer, NULL);
  pthread_create(&c, NULL, consumer, NULL); // expect-note: "the thread is started here"
  pthread_create(&m, NULL, monitor, NULL);
  pthread_join(p, NULL);
  pthread_join(c, NULL);
  pthread_join(m, NULL);
  return 0;
}

// -------------------------------------------- a struct with its own mutex --

struct conn_pool {
  pthread_mutex_t mu;
  int idle;
  int busy;
};

static void *borrow_conn(void *arg) {
  struct conn_pool *pool = arg;
  pthread_mutex_lock(&pool->mu);
  if (pool->idle > 0) {
    pool->idle--;
    pool->busy++; // expect-note: "'conn_pool::busy' updated here while holding 'conn_pool::mu'"
  }
  pthread_mutex_unlock(&pool->mu);
  return NULL;
}

static int pool_busy(struct conn_pool *pool) {
  return pool->busy; // expect: threadlint-inconsistent-locking "'conn_pool::busy' is read without holding 'conn_pool::mu', which its only other access holds; the thread that started 'borrow_conn' and thread 'borrow_conn' may run at the same time: this access races with the guarded write on line 106; hold 'conn_pool::mu' here"
}

int run_pool_bad(struct conn_pool *pool) {
  pthread_t a, b;
  pthread_create(&a, NULL, borrow_conn, pool);
  pthread_create(&b, NULL, borrow_conn, pool);
  int busy = pool_busy(pool);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return busy;
}

// --------------------------------------------------- always under the lock --

static pthread_mutex_t g_stats_mu = PTHREAD_MUTEX_INITIALIZER;
static long g_requests;
static long g_errors;

static void *serve_ok(void *arg) {
  int fail = arg != NULL;
  pthread_mutex_lock(&g_stats_mu);
  g_requests = g_requests + 1;
  if (fail)
    g_errors = g_errors + 1;
  pthread_mutex_unlock(&g_stats_mu);
  return NULL;
}

static long error_rate_ok(void) {
  pthread_mutex_lock(&g_stats_mu);
  long rate = g_requests ? g_errors * 100 / g_requests : 0;
  pthread_mutex_unlock(&g_stats_mu);
  return rate;
}

long run_stats_ok(void) {
  pthread_t a, b;
  g_requests = 0; /* before any thread exists */
  g_errors = 0;
  pthread_create(&a, NULL, serve_ok, NULL);
  pthread_create(&b, NULL, serve_ok, &a);
  long rate = error_rate_ok();
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%ld requests\n", g_requests); /* after the joins */
  return rate;
}

// ------------------------------------------------------ a read-write lock --

static pthread_rwlock_t g_routes_lock = PTHREAD_RWLOCK_INITIALIZER;
static int g_route_count;

static void *add_route_ok(void *arg) {
  (void)arg;
  pthread_rwlock_wrlock(&g_routes_lock);
  g_route_count = g_route_count + 1;
  pthread_rwlock_unlock(&g_routes_lock);
  return NULL;
}

static int route_count_ok(void) {
  pthread_rwlock_rdlock(&g_routes_lock);
  int n = g_route_count;
  pthread_rwlock_unlock(&g_routes_lock);
  return n;
}

int run_routes_ok(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, add_route_ok, NULL);
  pthread_create(&b, NULL, add_route_ok, NULL);
  int n = route_count_ok();
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return n;
}
