// POSIX locks in C: pthread_mutex_unlock, pthread_rwlock_unlock and
// pthread_spin_unlock of a lock that the function already released on every
// path: undefined behaviour for a default mutex (EPERM for an
// error-checking one, which code rarely checks). The usual shape is an
// error path that unlocks and then jumps to a cleanup label that unlocks
// again. Negative cases: one unlock per path, a cleanup label that is the
// only unlock, unlock helpers, trylock success (also a loop that retries
// while trylock returns EBUSY), a pthread_cond_wait loop, correlated
// conditions, lock/unlock inside a loop body, striped locks (two elements
// of an array of mutexes), and a lock taken by a wrapper defined in another
// file.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

void log_rename(int id, const char *name);

// ------------------------------------------------ a connection pool --

struct conn_pool {
  pthread_mutex_t mu;
  pthread_cond_t returned;
  int free;
  int conns[16];
};

// The empty-pool path unlocks, then jumps to the label that unlocks again.
int pool_get_bad(struct conn_pool *p) {
  int c = -1;
  pthread_mutex_lock(&p->mu);
  if (p->free == 0) {
    pthread_mutex_unlock(&p->mu);
    goto out;
  }
  c = p->conns[--p->free];
  pthread_mutex_unlock(&p->mu);
out:
  pthread_mutex_unlock(&p->mu); // expect: threadlint-unlock-without-lock "'conn_pool::mu' is unlocked here but is not held on any path to this point (it was already unlocked at line 39): unlocking a mutex that is not locked is undefined behaviour; unlock each lock once, on the path that locked it, or use a RAII guard"
  return c;
}

int pool_get_ok(struct conn_pool *p) {
  int c = -1;
  pthread_mutex_lock(&p->mu);
  if (p->free == 0)
    goto out;
  c = p->conns[--p->free];
out:
  pthread_mutex_unlock(&p->mu);
  return c;
}

void pool_put_bad(struct conn_pool *p, int c) {
  pthread_mutex_lock(&p->mu);
  p->conns[p->free++] = c;
  pthread_mutex_unlock(&p->mu); // expect-note: "already unlocked here"
  pthread_cond_signal(&p->returned);
  pthread_mutex_unlock(&p->mu); // expect: threadlint-unlock-without-lock "'conn_pool::mu' is unlocked here but is not held on any path to this point (it was already unlocked at line 59)"
}

void pool_put_ok(struct conn_pool *p, int c) {
  pthread_mutex_lock(&p->mu);
  p->conns[p->free++] = c;
  pthread_mutex_unlock(&p->mu);
  pthread_cond_signal(&p->returned);
}

// Waits for a connection: the wait re-acquires the mutex before returning.
int pool_wait_ok(struct conn_pool *p) {
  pthread_mutex_lock(&p->mu);
  while (p->free == 0)
    pthread_cond_wait(&p->returned, &p->mu);
  int c = p->conns[--p->free];
  pthread_mutex_unlock(&p->mu);
  return c;
}

int pool_try_get_ok(struct conn_pool *p) {
  int c = -1;
  if (pthread_mutex_trylock(&p->mu) == 0) {
    if (p->free > 0)
      c = p->conns[--p->free];
    pthread_mutex_unlock(&p->mu);
  }
  return c;
}

// Called with p->mu held (pool_lock() / pool_unlock() pairs in callers).
void pool_lock_ok(struct conn_pool *p) { pthread_mutex_lock(&p->mu); }
void pool_unlock_ok(struct conn_pool *p) { pthread_mutex_unlock(&p->mu); }

// Locked only when the pool is shared, under the same test both times.
int pool_count_ok(struct conn_pool *p, int shared) {
  if (shared)
    pthread_mutex_lock(&p->mu);
  int n = p->free;
  if (shared)
    pthread_mutex_unlock(&p->mu);
  return n;
}

int pool_close_all_ok(struct conn_pool *pools, int n) {
  int closed = 0;
  for (int i = 0; i < n; ++i) {
    pthread_mutex_lock(&pools[i].mu);
    closed += pools[i].free;
    pools[i].free = 0;
    pthread_mutex_unlock(&pools[i].mu);
  }
  return closed;
}

// Reads the count, then waits politely (yielding) for the mutex to reset
// the pool: the loop ends when pthread_mutex_trylock() stops returning
// EBUSY, that is, when it has locked the mutex.
int pool_reset_polite_ok(struct conn_pool *p) {
  pthread_mutex_lock(&p->mu);
  int n = p->free;
  pthread_mutex_unlock(&p->mu);
  while (pthread_mutex_trylock(&p->mu) == EBUSY)
    sched_yield();
  p->free = 0;
  pthread_mutex_unlock(&p->mu);
  return n;
}

// Striped locks: two elements of one array of mutexes, in index order.
static pthread_mutex_t g_stripes[8];

void stripes_move_ok(int from, int to) {
  int a = (from < to ? from : to) % 8, b = (from < to ? to : from) % 8;
  pthread_mutex_lock(&g_stripes[a]);
  if (a != b)
    pthread_mutex_lock(&g_stripes[b]);
  /* ... move the item ... */
  if (a != b)
    pthread_mutex_unlock(&g_stripes[b]);
  pthread_mutex_unlock(&g_stripes[a]);
}

// ------------------------------------------- a registry under rwlock --

struct registry {
  pthread_rwlock_t lock;
  char names[16][32];
  int n;
};

int registry_rename_bad(struct registry *r, int id, const char *name) {
  pthread_rwlock_wrlock(&r->lock);
  if (id < 0 || id >= r->n) {
    pthread_rwlock_unlock(&r->lock);
    return -EINVAL;
  }
  snprintf(r->names[id], sizeof r->names[0], "%s", name);
  pthread_rwlock_unlock(&r->lock); // expect-note: "already unlocked here"
  log_rename(id, name);
  pthread_rwlock_unlock(&r->lock); // expect: threadlint-unlock-without-lock "'registry::lock' is unlocked here but is not held on any path to this point (it was already unlocked at line 159)"
  return 0;
}

int registry_rename_ok(struct registry *r, int id, const char *name) {
  pthread_rwlock_wrlock(&r->lock);
  if (id < 0 || id >= r->n) {
    pthread_rwlock_unlock(&r->lock);
    return -EINVAL;
  }
  snprintf(r->names[id], sizeof r->names[0], "%s", name);
  pthread_rwlock_unlock(&r->lock);
  log_rename(id, name);
  return 0;
}

// The write lock is taken through a wrapper defined in another file
// (registry_lock.c), after a first look under the read lock.
void registry_wrlock(struct registry *r);

int registry_clear_ok(struct registry *r) {
  pthread_rwlock_rdlock(&r->lock);
  int n = r->n;
  pthread_rwlock_unlock(&r->lock);
  if (n == 0)
    return 0;
  registry_wrlock(r);
  r->n = 0;
  pthread_rwlock_unlock(&r->lock);
  return n;
}

int registry_count_ok(struct registry *r) {
  pthread_rwlock_rdlock(&r->lock);
  int n = r->n;
  pthread_rwlock_unlock(&r->lock);
  return n;
}

// ------------------------------------------------- spinlock counters --

static pthread_spinlock_t g_stats_lock;
static long g_stats[8];

// Each branch unlocks, and so does the code after the if.
void stats_bump_bad(int slot) {
  pthread_spin_lock(&g_stats_lock);
  if (slot >= 0 && slot < 8) {
    g_stats[slot]++;
    pthread_spin_unlock(&g_stats_lock);
  } else {
    pthread_spin_unlock(&g_stats_lock);
  }
  pthread_spin_unlock(&g_stats_lock); // expect: threadlint-unlock-without-lock "'g_stats_lock' is unlocked here but is not held on any path to this point (it was already unlocked at line 212)"
}

void stats_bump_ok(int slot) {
  pthread_spin_lock(&g_stats_lock);
  if (slot >= 0 && slot < 8)
    g_stats[slot]++;
  pthread_spin_unlock(&g_stats_lock);
}

// ------------------------------------------------------------ threads --

static struct conn_pool g_pool = {.mu = PTHREAD_MUTEX_INITIALIZER,
                                  .returned = PTHREAD_COND_INITIALIZER,
                                  .free = 4,
                                  .conns = {1, 2, 3, 4}};

static void *client(void *arg) {
  (void)arg;
  for (int i = 0; i < 100; ++i) {
    int c = pool_wait_ok(&g_pool);
    stats_bump_ok(c & 7);
    pool_put_ok(&g_pool, c);
  }
  return NULL;
}

int run_clients(void) {
  pthread_t tids[4];
  pthread_spin_init(&g_stats_lock, PTHREAD_PROCESS_PRIVATE);
  int started = 0;
  for (; started < 4; ++started)
    if (pthread_create(&tids[started], NULL, client, NULL) != 0)
      break;
  for (int i = 0; i < started; ++i)
    pthread_join(tids[i], NULL);
  pthread_spin_destroy(&g_stats_lock);
  return started == 4 ? 0 : -1;
}
