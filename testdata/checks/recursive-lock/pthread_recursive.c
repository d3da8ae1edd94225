// Recursive pthread mutexes (PTHREAD_MUTEX_RECURSIVE, or glibc's static
// PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP) may be re-entered by their owner.
// The check cannot see a mutex's attributes at the lock call, so in a file
// that makes pthread mutexes recursive it trusts every pthread_mutex_t;
// rwlocks and spinlocks are still checked.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// ------------------------------------------ a re-entrant logger in C --

struct logger {
  pthread_mutex_t mu;
  FILE *out;
  int depth;
  char prefix[16];
};

void logger_init(struct logger *l, FILE *out) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&l->mu, &attr);
  pthread_mutexattr_destroy(&attr);
  l->out = out;
  l->depth = 0;
  l->prefix[0] = '\0';
}

void logger_write(struct logger *l, const char *msg) {
  pthread_mutex_lock(&l->mu);
  fprintf(l->out, "%s%s\n", l->prefix, msg);
  pthread_mutex_unlock(&l->mu);
}

// Writes a header and a body as one block: re-enters l->mu through
// logger_write().
void logger_block_ok(struct logger *l, const char *head, const char *body) {
  pthread_mutex_lock(&l->mu);
  ++l->depth;
  logger_write(l, head);
  logger_write(l, body);
  --l->depth;
  pthread_mutex_unlock(&l->mu);
}

// Direct re-entry.
void logger_set_prefix_ok(struct logger *l, const char *p) {
  pthread_mutex_lock(&l->mu);
  pthread_mutex_lock(&l->mu);
  strncpy(l->prefix, p, sizeof l->prefix - 1);
  pthread_mutex_unlock(&l->mu);
  pthread_mutex_unlock(&l->mu);
}

// A statically initialised recursive mutex (glibc).
pthread_mutex_t g_registry_mu = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
int g_registry[16];

static void registry_set(int i, int v) {
  pthread_mutex_lock(&g_registry_mu);
  g_registry[i & 15] = v;
  pthread_mutex_unlock(&g_registry_mu);
}

void registry_swap_ok(int a, int b) {
  pthread_mutex_lock(&g_registry_mu);
  int t = g_registry[a & 15];
  registry_set(a, g_registry[b & 15]);
  registry_set(b, t);
  pthread_mutex_unlock(&g_registry_mu);
}

// -------------------------------- a default mutex in the same file --

pthread_mutex_t g_counter_mu = PTHREAD_MUTEX_INITIALIZER;
long g_counter;

void counter_double_lock_bad(void) {
  pthread_mutex_lock(&g_counter_mu);
  ++g_counter;
  pthread_mutex_lock(&g_counter_mu); // expect: threadlint-recursive-lock "'g_counter_mu' acquired while it is already held"
  pthread_mutex_unlock(&g_counter_mu);
  pthread_mutex_unlock(&g_counter_mu);
}

// ---------------------------------- rwlocks and spinlocks still count --

pthread_rwlock_t g_levels_lock = PTHREAD_RWLOCK_INITIALIZER;
int g_level;

void level_raise_bad(void) {
  pthread_rwlock_wrlock(&g_levels_lock);
  ++g_level;
  pthread_rwlock_wrlock(&g_levels_lock); // expect: threadlint-recursive-lock "'g_levels_lock' acquired while it is already held"
  pthread_rwlock_unlock(&g_levels_lock);
  pthread_rwlock_unlock(&g_levels_lock);
}

int level_get_ok(void) {
  pthread_rwlock_rdlock(&g_levels_lock);
  int v = g_level;
  pthread_rwlock_unlock(&g_levels_lock);
  return v;
}

pthread_spinlock_t g_tick_spin;
long g_ticks;

void tick_bad(void) {
  pthread_spin_lock(&g_tick_spin);
  ++g_ticks;
  pthread_spin_lock(&g_tick_spin); // expect: threadlint-recursive-lock "'g_tick_spin' acquired while it is already held"
  pthread_spin_unlock(&g_tick_spin);
}

void tick_ok(void) {
  pthread_spin_lock(&g_tick_spin);
  ++g_ticks;
  pthread_spin_unlock(&g_tick_spin);
}
