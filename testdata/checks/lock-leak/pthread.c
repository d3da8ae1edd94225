// POSIX locks in C: pthread_mutex_lock, pthread_rwlock_rdlock/wrlock and
// pthread_spin_lock, where the last return of the function unlocks but an
// early return (an error check, a full table, a bad argument) leaves the
// lock held. Negative cases: every return unlocks, one unlock reached by
// `goto out` from every error path, trylock failure paths, a
// conditional-acquire function (returns 0 holding the mutex, -1 after
// releasing it), lock wrappers, exit() on a fatal path, and a
// pthread_cond_wait loop.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// ----------------------------------------------------------- a cache --

#define CACHE_CAP 64

struct cache {
  pthread_mutex_t mu;
  int n;
  int keys[CACHE_CAP];
  int vals[CACHE_CAP];
};

// The goto leads to the unlock; the ENOSPC return does not.
int cache_put_bad(struct cache *c, int k, int v) {
  int i;
  pthread_mutex_lock(&c->mu); // expect-note: "is locked here"
  for (i = 0; i < c->n; ++i)
    if (c->keys[i] == k)
      goto update;
  if (c->n == CACHE_CAP)
    return -ENOSPC; // expect: threadlint-lock-leak "'cache::mu' (locked at line 30) is still held when the function returns here; the other paths unlock it (line 40), and every later lock of it waits forever; unlock it before this return, or leave through a single unlock (goto out)"
  i = c->n++;
  c->keys[i] = k;
update:
  c->vals[i] = v;
  pthread_mutex_unlock(&c->mu); // expect-note: "unlocked here"
  return 0;
}

// One unlock, reached from every path.
int cache_put_ok(struct cache *c, int k, int v) {
  int i, rc = 0;
  pthread_mutex_lock(&c->mu);
  for (i = 0; i < c->n; ++i)
    if (c->keys[i] == k)
      goto update;
  if (c->n == CACHE_CAP) {
    rc = -ENOSPC;
    goto out;
  }
  i = c->n++;
  c->keys[i] = k;
update:
  c->vals[i] = v;
out:
  pthread_mutex_unlock(&c->mu);
  return rc;
}

int cache_get_ok(struct cache *c, int k, int *v) {
  pthread_mutex_lock(&c->mu);
  for (int i = 0; i < c->n; ++i) {
    if (c->keys[i] == k) {
      *v = c->vals[i];
      pthread_mutex_unlock(&c->mu);
      return 0;
    }
  }
  pthread_mutex_unlock(&c->mu);
  return -ENOENT;
}

// The not-found return forgets the unlock. It is the last exit and it
// holds the mutex, while the earlier return released it: that is the shape
// of a conditional-acquire function (queue_lock_nonempty_ok below), which
// returns holding the lock by design, so it is not reported.
int FN_cache_get_not_found(struct cache *c, int k, int *v) {
  pthread_mutex_lock(&c->mu);
  for (int i = 0; i < c->n; ++i) {
    if (c->keys[i] == k) {
      *v = c->vals[i];
      pthread_mutex_unlock(&c->mu);
      return 0;
    }
  }
  return -ENOENT;
}

// Error-checked locking: when pthread_mutex_lock() fails, the mutex is not
// locked and there is nothing to release on the early return.
int cache_size_checked_ok(struct cache *c) {
  if (pthread_mutex_lock(&c->mu) != 0)
    return -1;
  int n = c->n;
  pthread_mutex_unlock(&c->mu);
  return n;
}

int cache_clear_checked_ok(struct cache *c) {
  int rc = pthread_mutex_lock(&c->mu);
  if (rc != 0)
    return rc;
  c->n = 0;
  pthread_mutex_unlock(&c->mu);
  return 0;
}

// The early path releases through a helper defined in another file.
void cache_unlock(struct cache *c);

int cache_evict_ok(struct cache *c, int k) {
  pthread_mutex_lock(&c->mu);
  if (c->n == 0) {
    cache_unlock(c);
    return -ENOENT;
  }
  for (int i = 0; i < c->n; ++i)
    if (c->keys[i] == k)
      c->keys[i] = c->keys[--c->n];
  pthread_mutex_unlock(&c->mu);
  return 0;
}

// Error labels in kernel style: the error path that holds the mutex jumps
// to the label that unlocks it, the one that does not jumps past it.
int cache_add_ok(struct cache *c, int k, int v) {
  if (c == NULL)
    goto err;
  pthread_mutex_lock(&c->mu);
  if (c->n == CACHE_CAP)
    goto err_unlock;
  c->keys[c->n] = k;
  c->vals[c->n++] = v;
  pthread_mutex_unlock(&c->mu);
  return 0;
err_unlock:
  pthread_mutex_unlock(&c->mu);
err:
  return -1;
}

// The same with the wrong label on the second error path: the mutex stays
// locked when v < 0. The last return is reached with the mutex held on
// that path only (the other paths to `err` do not hold it), and the rule
// reports locks held on every path to an exit.
int FN_cache_add_wrong_label(struct cache *c, int k, int v) {
  if (c == NULL)
    goto err;
  pthread_mutex_lock(&c->mu);
  if (c->n == CACHE_CAP)
    goto err_unlock;
  if (v < 0)
    goto err;
  c->keys[c->n] = k;
  c->vals[c->n++] = v;
  pthread_mutex_unlock(&c->mu);
  return 0;
err_unlock:
  pthread_mutex_unlock(&c->mu);
err:
  return -1;
}

// Bails out if another thread is using the cache.
int cache_try_clear_ok(struct cache *c) {
  if (pthread_mutex_trylock(&c->mu) != 0)
    return -EBUSY;
  c->n = 0;
  pthread_mutex_unlock(&c->mu);
  return 0;
}

// ------------------------------------------- a registry under rwlock --

struct registry {
  pthread_rwlock_t lock;
  char names[16][32];
  int n;
};

int registry_find_bad(struct registry *r, const char *name) {
  pthread_rwlock_rdlock(&r->lock); // expect-note: "is locked here"
  if (name == NULL || name[0] == '\0')
    return -EINVAL; // expect: threadlint-lock-leak "'registry::lock' (locked at line 186) is still held when the function returns here; the other paths unlock it (line 196), and every later lock of it waits forever"
  int found = -1;
  for (int i = 0; i < r->n; ++i) {
    if (strcmp(r->names[i], name) == 0) {
      found = i;
      break;
    }
  }
  pthread_rwlock_unlock(&r->lock);
  return found;
}

int registry_find_ok(struct registry *r, const char *name) {
  if (name == NULL || name[0] == '\0')
    return -EINVAL;
  int found = -1;
  pthread_rwlock_rdlock(&r->lock);
  for (int i = 0; i < r->n; ++i) {
    if (strcmp(r->names[i], name) == 0) {
      found = i;
      break;
    }
  }
  pthread_rwlock_unlock(&r->lock);
  return found;
}

int registry_add_bad(struct registry *r, const char *name) {
  pthread_rwlock_wrlock(&r->lock); // expect-note: "is locked here"
  if (r->n == 16)
    return -ENOSPC; // expect: threadlint-lock-leak "'registry::lock' (locked at line 216) is still held when the function returns here; the other paths unlock it (line 220), and every later lock of it waits forever"
  snprintf(r->names[r->n++], sizeof r->names[0], "%s", name);
  pthread_rwlock_unlock(&r->lock);
  return 0;
}

int registry_add_ok(struct registry *r, const char *name) {
  pthread_rwlock_wrlock(&r->lock);
  if (r->n == 16) {
    pthread_rwlock_unlock(&r->lock);
    return -ENOSPC;
  }
  snprintf(r->names[r->n++], sizeof r->names[0], "%s", name);
  pthread_rwlock_unlock(&r->lock);
  return 0;
}

// A lock wrapper: returns holding the write lock on every path.
void registry_lock_ok(struct registry *r) { pthread_rwlock_wrlock(&r->lock); }
void registry_unlock_ok(struct registry *r) { pthread_rwlock_unlock(&r->lock); }

// ------------------------------------------------- spinlock counters --

static pthread_spinlock_t g_stats_lock;
static long g_stats[8];

int stats_add_bad(int slot, long v) {
  pthread_spin_lock(&g_stats_lock); // expect-note: "is locked here"
  if (slot < 0 || slot >= 8)
    return -1; // expect: threadlint-lock-leak "'g_stats_lock' (locked at line 245) is still held when the function returns here; the other paths unlock it (line 249), and every later lock of it waits forever"
  g_stats[slot] += v;
  pthread_spin_unlock(&g_stats_lock);
  return 0;
}

int stats_add_ok(int slot, long v) {
  if (slot < 0 || slot >= 8)
    return -1;
  pthread_spin_lock(&g_stats_lock);
  g_stats[slot] += v;
  pthread_spin_unlock(&g_stats_lock);
  return 0;
}

// exit() does not return.
void stats_check_ok(void) {
  pthread_spin_lock(&g_stats_lock);
  if (g_stats[0] < 0) {
    fprintf(stderr, "stats corrupt\n");
    exit(1);
  }
  g_stats[0] = 0;
  pthread_spin_unlock(&g_stats_lock);
}

// -------------------------------------------------- a work queue --

struct queue {
  pthread_mutex_t mu;
  pthread_cond_t nonempty;
  int items[32];
  int n;
  int closed;
};

// Returns 0 holding q->mu when the queue has an item (the caller takes it
// and unlocks), -1 after releasing it.
int queue_lock_nonempty_ok(struct queue *q) {
  pthread_mutex_lock(&q->mu);
  if (q->n == 0) {
    pthread_mutex_unlock(&q->mu);
    return -1;
  }
  return 0;
}

int queue_pop_bad(struct queue *q, int *out) {
  pthread_mutex_lock(&q->mu); // expect-note: "is locked here"
  while (q->n == 0 && !q->closed)
    pthread_cond_wait(&q->nonempty, &q->mu);
  if (q->closed)
    return -1; // expect: threadlint-lock-leak "'queue::mu' (locked at line 295) is still held when the function returns here; the other paths unlock it (line 301), and every later lock of it waits forever"
  *out = q->items[--q->n];
  pthread_mutex_unlock(&q->mu);
  return 0;
}

int queue_pop_ok(struct queue *q, int *out) {
  int rc = 0;
  pthread_mutex_lock(&q->mu);
  while (q->n == 0 && !q->closed)
    pthread_cond_wait(&q->nonempty, &q->mu);
  if (q->closed)
    rc = -1;
  else
    *out = q->items[--q->n];
  pthread_mutex_unlock(&q->mu);
  return rc;
}

// A plain mutex passed by pointer.
int locked_copy_bad(pthread_mutex_t *mu, char *dst, const char *src,
                    size_t size) {
  pthread_mutex_lock(mu); // expect-note: "is locked here"
  size_t len = strlen(src);
  if (len >= size)
    return -ERANGE; // expect: threadlint-lock-leak "'mu' (locked at line 321) is still held when the function returns here; the other paths unlock it (line 326), and every later lock of it waits forever"
  memcpy(dst, src, len + 1);
  pthread_mutex_unlock(mu);
  return 0;
}

// ------------------------------------------------------------ threads --

static struct queue g_queue = {.mu = PTHREAD_MUTEX_INITIALIZER,
                               .nonempty = PTHREAD_COND_INITIALIZER};

static void *consumer(void *arg) {
  (void)arg;
  int v;
  while (queue_pop_ok(&g_queue, &v) == 0)
    stats_add_ok(v & 7, 1);
  return NULL;
}

int run_consumers(void) {
  pthread_t tids[2];
  pthread_spin_init(&g_stats_lock, PTHREAD_PROCESS_PRIVATE);
  for (int i = 0; i < 2; ++i)
    if (pthread_create(&tids[i], NULL, consumer, NULL) != 0)
      return -1;
  pthread_mutex_lock(&g_queue.mu);
  g_queue.closed = 1;
  pthread_cond_broadcast(&g_queue.nonempty);
  pthread_mutex_unlock(&g_queue.mu);
  for (int i = 0; i < 2; ++i)
    pthread_join(tids[i], NULL);
  return 0;
}

// ------------------------------------- a wrapper-like name that is not one --

// log_release_notes() is declared only and its name speaks of "release",
// but it is handed neither the lock nor the cache: the leak is reported.
void log_release_notes(void);

int cache_drop_one_bad(struct cache *c) {
  pthread_mutex_lock(&c->mu); // expect-note: "is locked here"
  log_release_notes();
  if (c->n == 0)
    return -ENOENT; // expect: threadlint-lock-leak "is still held when the function returns here"
  c->n--;
  pthread_mutex_unlock(&c->mu);
  return 0;
}

// The same shape, but the declared-only helper receives the cache: it may
// be the one that unlocks (a wrapper in another file), so nothing is said.
void cache_release(struct cache *c);

int cache_drop_one_via_wrapper_ok(struct cache *c) {
  pthread_mutex_lock(&c->mu);
  if (c->n == 0) {
    cache_release(c);
    return -ENOENT;
  }
  c->n--;
  pthread_mutex_unlock(&c->mu);
  return 0;
}
