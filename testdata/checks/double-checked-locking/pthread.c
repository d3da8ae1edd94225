// Double-checked locking in C with POSIX threads: a global table pointer
// and a library 'initialized' flag tested without the pthread mutex, then
// re-tested and set under it; the same with a C11 mtx_t. Negative cases:
// pthread_once, call_once from <threads.h>, _Atomic pointers with
// acquire/release, a single test under the mutex, and a thread-local
// cache.
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <threads.h>

struct table {
  int size;
  int *slots;
};

static struct table *make_table(int size) {
  struct table *t = malloc(sizeof *t);
  t->size = size;
  t->slots = calloc((size_t)size, sizeof *t->slots);
  return t;
}

// ------------------------------------------------------ a global pointer --

static struct table *g_table;
static pthread_mutex_t g_table_mu = PTHREAD_MUTEX_INITIALIZER;

struct table *get_table(void) {
  if (g_table == NULL) { // expect: threadlint-double-checked-locking "double-checked locking on 'g_table': this first test reads it without holding 'g_table_mu' while another thread may be writing it (line 34); nothing orders the initialisation before the write of 'g_table', so a thread can see it set and use what is not initialised yet; use pthread_once (or call_once from <threads.h>)"
    pthread_mutex_lock(&g_table_mu); // expect-note: "'g_table_mu' acquired here"
    if (g_table == NULL) // expect-note: "'g_table' tested again under 'g_table_mu'"
      g_table = make_table(64); // expect-note: "'g_table' written here"
    pthread_mutex_unlock(&g_table_mu);
  }
  return g_table;
}

// -------------------------------------------------- an 'initialized' flag --

static bool lib_initialized;
static int lib_fd = -1;

static int open_device(void);

void lib_init(void) {
  if (lib_initialized) // expect: threadlint-double-checked-locking "double-checked locking on 'lib_initialized': this first test reads it without holding 'g_table_mu'"
    return;
  pthread_mutex_lock(&g_table_mu);
  if (!lib_initialized) {
    lib_fd = open_device();
    lib_initialized = true;
  }
  pthread_mutex_unlock(&g_table_mu);
}

// ----------------------------------------------------------- C11 mtx_t --

static mtx_t g_pool_mu;
static struct table *g_pool;

struct table *get_pool(void) {
  if (!g_pool) { // expect: threadlint-double-checked-locking "double-checked locking on 'g_pool': this first test reads it without holding 'g_pool_mu'"
    mtx_lock(&g_pool_mu);
    if (!g_pool)
      g_pool = make_table(16);
    mtx_unlock(&g_pool_mu);
  }
  return g_pool;
}

// ----------------------------------------------------------- negatives --

// Fix: pthread_once.
static pthread_once_t g_index_once = PTHREAD_ONCE_INIT;
static struct table *g_index;

static void make_index(void) { g_index = make_table(128); }

struct table *get_index_ok(void) {
  pthread_once(&g_index_once, make_index);
  return g_index;
}

// Fix: call_once from <threads.h>.
static once_flag g_names_once = ONCE_FLAG_INIT;
static struct table *g_names;

static void make_names(void) { g_names = make_table(32); }

struct table *get_names_ok(void) {
  call_once(&g_names_once, make_names);
  return g_names;
}

// Fix: an _Atomic pointer, acquire on the fast path, release on publish.
static _Atomic(struct table *) g_cache;

struct table *get_cache_ok(void) {
  struct table *t = atomic_load_explicit(&g_cache, memory_order_acquire);
  if (t == NULL) {
    pthread_mutex_lock(&g_table_mu);
    t = atomic_load_explicit(&g_cache, memory_order_relaxed);
    if (t == NULL) {
      t = make_table(8);
      atomic_store_explicit(&g_cache, t, memory_order_release);
    }
    pthread_mutex_unlock(&g_table_mu);
  }
  return t;
}

// Fix: test only under the mutex.
static struct table *g_stats;

struct table *get_stats_ok(void) {
  pthread_mutex_lock(&g_table_mu);
  if (g_stats == NULL)
    g_stats = make_table(4);
  struct table *t = g_stats;
  pthread_mutex_unlock(&g_table_mu);
  return t;
}

// A thread-local cache: the unlocked test reads the thread's own copy.
static _Thread_local struct table *t_scratch;

struct table *get_scratch_ok(void) {
  if (t_scratch == NULL) {
    pthread_mutex_lock(&g_table_mu);
    if (t_scratch == NULL)
      t_scratch = make_table(2);
    pthread_mutex_unlock(&g_table_mu);
  }
  return t_scratch;
}

// -------------------------------------------------------------- threads --

static void *worker(void *arg) {
  (void)arg;
  get_table();
  lib_init();
  get_pool();
  get_index_ok();
  get_names_ok();
  get_cache_ok();
  get_stats_ok();
  get_scratch_ok();
  return NULL;
}

int main(void) {
  mtx_init(&g_pool_mu, mtx_plain);
  pthread_t a, b;
  pthread_create(&a, NULL, worker, NULL);
  pthread_create(&b, NULL, worker, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  mtx_destroy(&g_pool_mu);
  return 0;
}
