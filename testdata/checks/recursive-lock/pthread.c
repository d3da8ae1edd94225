// POSIX threads in C with default (non-recursive) mutexes: a mutex, a
// rwlock taken for writing, or a spinlock acquired again by the thread that
// holds it, directly, through a callee, or through a lock wrapper.
// Negative cases: two read locks of a rwlock, trylock, locks released
// before the second acquisition, and two different structs' locks.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

// ------------------------------------------------ a hash table in C --

struct entry {
  struct entry *next;
  char key[32];
  int value;
};

struct table {
  pthread_mutex_t mu;
  struct entry *buckets[64];
  int size;
};

static unsigned hash(const char *k) {
  unsigned h = 5381;
  while (*k)
    h = h * 33 + (unsigned char)*k++;
  return h & 63;
}

int table_get(struct table *t, const char *key, int *out) {
  pthread_mutex_lock(&t->mu);
  for (struct entry *e = t->buckets[hash(key)]; e; e = e->next)
    if (strcmp(e->key, key) == 0) {
      *out = e->value;
      pthread_mutex_unlock(&t->mu);
      return 1;
    }
  pthread_mutex_unlock(&t->mu);
  return 0;
}

static int table_get_locked(struct table *t, const char *key, int *out) {
  for (struct entry *e = t->buckets[hash(key)]; e; e = e->next)
    if (strcmp(e->key, key) == 0) {
      *out = e->value;
      return 1;
    }
  return 0;
}

// Checks for the key with the public getter while holding the table.
int table_insert_bad(struct table *t, const char *key, int value) {
  int old;
  pthread_mutex_lock(&t->mu);
  if (table_get(t, key, &old)) { // expect: threadlint-recursive-lock "call to 'table_get' acquires 'table::mu', which is already held: a non-recursive mutex deadlocks on itself"
    pthread_mutex_unlock(&t->mu);
    return 0;
  }
  struct entry *e = calloc(1, sizeof *e);
  strncpy(e->key, key, sizeof e->key - 1);
  e->value = value;
  e->next = t->buckets[hash(key)];
  t->buckets[hash(key)] = e;
  ++t->size;
  pthread_mutex_unlock(&t->mu);
  return 1;
}

int table_insert_ok(struct table *t, const char *key, int value) {
  int old;
  pthread_mutex_lock(&t->mu);
  if (table_get_locked(t, key, &old)) {
    pthread_mutex_unlock(&t->mu);
    return 0;
  }
  struct entry *e = calloc(1, sizeof *e);
  strncpy(e->key, key, sizeof e->key - 1);
  e->value = value;
  e->next = t->buckets[hash(key)];
  t->buckets[hash(key)] = e;
  ++t->size;
  pthread_mutex_unlock(&t->mu);
  return 1;
}

// Locks the table twice on the resize path.
void table_clear_bad(struct table *t) {
  pthread_mutex_lock(&t->mu);
  if (t->size > 1000)
    pthread_mutex_lock(&t->mu); // expect: threadlint-recursive-lock "'table::mu' acquired while it is already held"
  memset(t->buckets, 0, sizeof t->buckets);
  t->size = 0;
  pthread_mutex_unlock(&t->mu);
}

// Copies one table into another: two different mutexes.
void table_copy_ok(struct table *dst, struct table *src) {
  pthread_mutex_lock(&src->mu);
  pthread_mutex_lock(&dst->mu);
  memcpy(dst->buckets, src->buckets, sizeof dst->buckets);
  dst->size = src->size;
  pthread_mutex_unlock(&dst->mu);
  pthread_mutex_unlock(&src->mu);
}

// Copies one key from another table while holding this table's lock: the
// lookup takes src's mutex, a different one, although table_get()'s
// parameter is named 't' like this function's.
int table_copy_other_key_ok(struct table *t, struct table *src, const char *key) {
  int v;
  pthread_mutex_lock(&t->mu);
  int found = table_get(src, key, &v);
  if (found && table_get_locked(t, key, &v) == 0)
    ++t->size;
  pthread_mutex_unlock(&t->mu);
  return found;
}

// The same with the parameters named differently: silent, as it should be.
int table_copy_key_ok(struct table *dst, struct table *src, const char *key) {
  int v;
  pthread_mutex_lock(&dst->mu);
  int found = table_get(src, key, &v);
  if (found && table_get_locked(dst, key, &v) == 0)
    ++dst->size;
  pthread_mutex_unlock(&dst->mu);
  return found;
}

// Looks up after releasing its own lock.
int table_size_then_get_ok(struct table *t, const char *key) {
  int v = 0;
  pthread_mutex_lock(&t->mu);
  int n = t->size;
  pthread_mutex_unlock(&t->mu);
  if (n > 0)
    table_get(t, key, &v);
  return v;
}

// A trylock on the held mutex returns EBUSY: no deadlock.
int table_is_busy_ok(struct table *t) {
  pthread_mutex_lock(&t->mu);
  int busy = pthread_mutex_trylock(&t->mu) != 0;
  if (!busy)
    pthread_mutex_unlock(&t->mu);
  pthread_mutex_unlock(&t->mu);
  return busy;
}

// ----------------------------------------------------- rwlocks --

pthread_rwlock_t g_routes_lock = PTHREAD_RWLOCK_INITIALIZER;
int g_routes[256];

int route_get(int dst) {
  pthread_rwlock_rdlock(&g_routes_lock);
  int r = g_routes[dst & 255];
  pthread_rwlock_unlock(&g_routes_lock);
  return r;
}

// A read lock, then a write lock: the writer waits for this reader.
void route_set_default_bad(int dst, int via) {
  pthread_rwlock_rdlock(&g_routes_lock);
  if (g_routes[dst & 255] == 0) {
    pthread_rwlock_wrlock(&g_routes_lock); // expect: threadlint-recursive-lock "'g_routes_lock' acquired while it is already held"
    g_routes[dst & 255] = via;
    pthread_rwlock_unlock(&g_routes_lock);
  }
  pthread_rwlock_unlock(&g_routes_lock);
}

// A write lock, then a read through route_get().
int route_swap_bad(int a, int b) {
  pthread_rwlock_wrlock(&g_routes_lock);
  int old = route_get(a); // expect: threadlint-recursive-lock "call to 'route_get' acquires 'g_routes_lock', which is already held"
  g_routes[a & 255] = g_routes[b & 255];
  g_routes[b & 255] = old;
  pthread_rwlock_unlock(&g_routes_lock);
  return old;
}

// Two read locks: both succeed.
int route_sum_ok(int a, int b) {
  pthread_rwlock_rdlock(&g_routes_lock);
  int s = route_get(a) + route_get(b);
  pthread_rwlock_unlock(&g_routes_lock);
  return s;
}

// Read, release, then write.
void route_set_default_ok(int dst, int via) {
  pthread_rwlock_rdlock(&g_routes_lock);
  int missing = g_routes[dst & 255] == 0;
  pthread_rwlock_unlock(&g_routes_lock);
  if (!missing)
    return;
  pthread_rwlock_wrlock(&g_routes_lock);
  if (g_routes[dst & 255] == 0)
    g_routes[dst & 255] = via;
  pthread_rwlock_unlock(&g_routes_lock);
}

// A write try under a read lock fails with EBUSY.
int route_try_upgrade_ok(int dst, int via) {
  pthread_rwlock_rdlock(&g_routes_lock);
  int done = 0;
  if (pthread_rwlock_trywrlock(&g_routes_lock) == 0) {
    g_routes[dst & 255] = via;
    pthread_rwlock_unlock(&g_routes_lock);
    done = 1;
  }
  pthread_rwlock_unlock(&g_routes_lock);
  return done;
}

// ---------------------------------------------- spinlocks and wrappers --

pthread_spinlock_t g_free_spin;
void *g_free_list[128];
int g_free_count;

static void free_lock(void) { pthread_spin_lock(&g_free_spin); }
static void free_unlock(void) { pthread_spin_unlock(&g_free_spin); }

void *pool_take(void) {
  free_lock();
  void *p = g_free_count > 0 ? g_free_list[--g_free_count] : NULL;
  free_unlock();
  return p;
}

// Takes two blocks, the second through pool_take() with the lock held.
void pool_take_two_bad(void **a, void **b) {
  free_lock();
  *a = g_free_count > 0 ? g_free_list[--g_free_count] : NULL;
  *b = pool_take(); // expect: threadlint-recursive-lock "call to 'pool_take' acquires 'g_free_spin', which is already held"
  free_unlock();
}

void pool_take_two_ok(void **a, void **b) {
  *a = pool_take();
  *b = pool_take();
}

// The wrapper twice: the spin never ends.
void pool_reset_bad(void) {
  free_lock();
  g_free_count = 0;
  free_lock(); // expect: threadlint-recursive-lock "'g_free_spin' acquired while it is already held"
  free_unlock();
}

void pool_reset_ok(void) {
  free_lock();
  g_free_count = 0;
  free_unlock();
}

int pool_try_count_ok(void) {
  free_lock();
  int n = g_free_count;
  if (pthread_spin_trylock(&g_free_spin) == 0)
    pthread_spin_unlock(&g_free_spin);
  free_unlock();
  return n;
}
