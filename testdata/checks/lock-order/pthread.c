// POSIX threads in C: pthread mutexes, rwlocks and spinlocks as globals and
// struct fields, lock wrapper functions, a callee that locks while the
// caller holds, the two-instances pattern over struct pointers, and
// trylock paths that back off.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

// --------------------------------------------- a routing daemon in C --

pthread_mutex_t g_iface_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t g_fib_lock = PTHREAD_RWLOCK_INITIALIZER;
int g_iface_up[32];
int g_fib[256];

// Interface state, then the forwarding table (as a writer).
void iface_down_bad(int i) {
  pthread_mutex_lock(&g_iface_mu);
  g_iface_up[i] = 0;
  pthread_rwlock_wrlock(&g_fib_lock); // expect: threadlint-lock-order "'g_fib_lock' acquired while holding 'g_iface_mu'; elsewhere 'g_iface_mu' is acquired while holding 'g_fib_lock'"
  for (int r = 0; r < 256; ++r)
    if (g_fib[r] == i)
      g_fib[r] = -1;
  pthread_rwlock_unlock(&g_fib_lock);
  pthread_mutex_unlock(&g_iface_mu);
}

// The forwarding table (as a reader), then interface state.
int route_lookup_bad(int dst) {
  pthread_rwlock_rdlock(&g_fib_lock);
  int i = g_fib[dst & 255];
  pthread_mutex_lock(&g_iface_mu);
  int up = i >= 0 && g_iface_up[i];
  pthread_mutex_unlock(&g_iface_mu);
  pthread_rwlock_unlock(&g_fib_lock);
  return up ? i : -1;
}

// Copies the route out, then checks the interface: one lock at a time.
int route_lookup_ok(int dst) {
  pthread_rwlock_rdlock(&g_fib_lock);
  int i = g_fib[dst & 255];
  pthread_rwlock_unlock(&g_fib_lock);
  if (i < 0)
    return -1;
  pthread_mutex_lock(&g_iface_mu);
  int up = g_iface_up[i];
  pthread_mutex_unlock(&g_iface_mu);
  return up ? i : -1;
}

// Only tries the interface lock under the table: backs off when busy.
int route_lookup_try_ok(int dst) {
  pthread_rwlock_rdlock(&g_fib_lock);
  int i = g_fib[dst & 255];
  int up = -1;
  if (i >= 0 && pthread_mutex_trylock(&g_iface_mu) == 0) {
    up = g_iface_up[i];
    pthread_mutex_unlock(&g_iface_mu);
  }
  pthread_rwlock_unlock(&g_fib_lock);
  return up > 0 ? i : -1;
}

// A timed lock that gives up: not an edge either.
int iface_probe_ok(int i, const struct timespec *deadline) {
  pthread_rwlock_rdlock(&g_fib_lock);
  int rc = pthread_mutex_timedlock(&g_iface_mu, deadline);
  if (rc == 0) {
    rc = g_iface_up[i];
    pthread_mutex_unlock(&g_iface_mu);
  }
  pthread_rwlock_unlock(&g_fib_lock);
  return rc;
}

// ------------------------------------- struct fields and their callees --

struct conn {
  pthread_mutex_t mu;
  int fd;
  long bytes;
};

struct conn_table {
  pthread_mutex_t mu;
  struct conn *conns[64];
  int n;
};

static void conn_account(struct conn *c, long n) {
  pthread_mutex_lock(&c->mu);
  c->bytes += n;
  pthread_mutex_unlock(&c->mu);
}

// The table, then each connection (through conn_account()).
void table_charge_all_bad(struct conn_table *t, long n) {
  pthread_mutex_lock(&t->mu);
  for (int i = 0; i < t->n; ++i)
    conn_account(t->conns[i], n); // expect: threadlint-lock-order "'conn::mu' acquired while holding 'conn_table::mu'; elsewhere 'conn_table::mu' is acquired while holding 'conn::mu'"
  pthread_mutex_unlock(&t->mu);
}

// A connection closing itself removes itself from the table with its own
// lock held: the other order.
void conn_close_bad(struct conn *c, struct conn_table *t) {
  pthread_mutex_lock(&c->mu);
  c->fd = -1;
  pthread_mutex_lock(&t->mu);
  for (int i = 0; i < t->n; ++i)
    if (t->conns[i] == c)
      t->conns[i] = t->conns[--t->n];
  pthread_mutex_unlock(&t->mu);
  pthread_mutex_unlock(&c->mu);
}

// Marks the connection closed, releases it, then edits the table.
void conn_close_ok(struct conn *c, struct conn_table *t) {
  pthread_mutex_lock(&c->mu);
  c->fd = -1;
  pthread_mutex_unlock(&c->mu);
  pthread_mutex_lock(&t->mu);
  for (int i = 0; i < t->n; ++i)
    if (t->conns[i] == c)
      t->conns[i] = t->conns[--t->n];
  pthread_mutex_unlock(&t->mu);
}

long conn_bytes_ok(struct conn *c) {
  pthread_mutex_lock(&c->mu);
  long b = c->bytes;
  pthread_mutex_unlock(&c->mu);
  return b;
}

// ------------------------------------- two instances in argument order --

struct account {
  pthread_mutex_t mu;
  long balance;
};

void account_transfer_bad(struct account *from, struct account *to, long n) {
  pthread_mutex_lock(&from->mu);
  pthread_mutex_lock(&to->mu); // expect: threadlint-lock-order "'account::mu' of 'to' acquired while holding 'account::mu' of 'from'"
  from->balance -= n;
  to->balance += n;
  pthread_mutex_unlock(&to->mu);
  pthread_mutex_unlock(&from->mu);
}

// Ordered by address: deadlock-free.
void account_transfer_ok(struct account *from, struct account *to, long n) {
  struct account *first = from < to ? from : to;
  struct account *second = from < to ? to : from;
  if (from < to) {
    pthread_mutex_lock(&from->mu);
    pthread_mutex_lock(&to->mu);
  } else {
    pthread_mutex_lock(&to->mu);
    pthread_mutex_lock(&from->mu);
  }
  from->balance -= n;
  to->balance += n;
  pthread_mutex_unlock(&second->mu);
  pthread_mutex_unlock(&first->mu);
}

// Tries the second account and backs off, releasing the first.
int account_transfer_try_ok(struct account *from, struct account *to, long n) {
  for (;;) {
    pthread_mutex_lock(&from->mu);
    if (pthread_mutex_trylock(&to->mu) == 0)
      break;
    pthread_mutex_unlock(&from->mu);
  }
  from->balance -= n;
  to->balance += n;
  pthread_mutex_unlock(&to->mu);
  pthread_mutex_unlock(&from->mu);
  return 0;
}

// ------------------------------------------- spinlocks and wrappers --

pthread_spinlock_t g_alloc_spin;
pthread_spinlock_t g_stats_spin;
long g_allocated, g_alloc_calls;

static void alloc_lock(void) { pthread_spin_lock(&g_alloc_spin); }
static void alloc_unlock(void) { pthread_spin_unlock(&g_alloc_spin); }

// Allocator lock (through its wrapper), then the stats spinlock, in every
// function: a consistent order.
void *pool_alloc_ok(size_t n) {
  alloc_lock();
  g_allocated += (long)n;
  pthread_spin_lock(&g_stats_spin);
  ++g_alloc_calls;
  pthread_spin_unlock(&g_stats_spin);
  alloc_unlock();
  return malloc(n);
}

void pool_free_ok(void *p, size_t n) {
  alloc_lock();
  g_allocated -= (long)n;
  pthread_spin_lock(&g_stats_spin);
  --g_alloc_calls;
  pthread_spin_unlock(&g_stats_spin);
  alloc_unlock();
  free(p);
}

long pool_calls_ok(void) {
  pthread_spin_lock(&g_stats_spin);
  long n = g_alloc_calls;
  pthread_spin_unlock(&g_stats_spin);
  return n;
}

// A spinlock try under the stats lock: backs off.
int pool_try_reset_ok(void) {
  pthread_spin_lock(&g_stats_spin);
  int done = 0;
  if (pthread_spin_trylock(&g_alloc_spin) == 0) {
    g_allocated = 0;
    pthread_spin_unlock(&g_alloc_spin);
    done = 1;
  }
  pthread_spin_unlock(&g_stats_spin);
  return done;
}
