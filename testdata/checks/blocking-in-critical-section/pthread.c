// POSIX threads in C: pthread_mutex_t, pthread_rwlock_t, pthread_spinlock_t,
// trylock paths, pthread_cond_wait (releases its own mutex only),
// pthread_join, sem_wait and file I/O.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

// ------------------------------------------------ a job queue in C --

struct job {
  struct job *next;
  int fd;
};

struct job_queue {
  pthread_mutex_t mu;
  pthread_cond_t nonempty;
  struct job *head;
  int closed;
};

void queue_push_ok(struct job_queue *q, struct job *j) {
  pthread_mutex_lock(&q->mu);
  j->next = q->head;
  q->head = j;
  pthread_cond_signal(&q->nonempty);
  pthread_mutex_unlock(&q->mu);
}

struct job *queue_pop_ok(struct job_queue *q) {
  pthread_mutex_lock(&q->mu);
  while (!q->head && !q->closed)
    pthread_cond_wait(&q->nonempty, &q->mu);
  struct job *j = q->head;
  if (j)
    q->head = j->next;
  pthread_mutex_unlock(&q->mu);
  return j;
}

// Handles the job while still holding the queue lock.
void queue_pop_and_run_bad(struct job_queue *q) {
  pthread_mutex_lock(&q->mu);
  struct job *j = q->head;
  if (j) {
    q->head = j->next;
    char buf[512];
    read(j->fd, buf, sizeof buf); // expect: threadlint-blocking-in-critical-section "'read' waits for I/O while holding"
  }
  pthread_mutex_unlock(&q->mu);
}

void queue_pop_and_run_ok(struct job_queue *q) {
  pthread_mutex_lock(&q->mu);
  struct job *j = q->head;
  if (j)
    q->head = j->next;
  pthread_mutex_unlock(&q->mu);
  if (j) {
    char buf[512];
    read(j->fd, buf, sizeof buf);
  }
}

// --------------------------------------- a wait on a second mutex --

pthread_mutex_t g_stats_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_ready_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t g_ready_cv = PTHREAD_COND_INITIALIZER;
int g_ready;
long g_waits;

void wait_ready_bad(void) {
  pthread_mutex_lock(&g_stats_mu);
  ++g_waits;
  pthread_mutex_lock(&g_ready_mu);
  while (!g_ready)
    pthread_cond_wait(&g_ready_cv, &g_ready_mu); // expect: threadlint-blocking-in-critical-section "'pthread_cond_wait' waits while holding 'g_stats_mu'; the wait releases only its own lock"
  pthread_mutex_unlock(&g_ready_mu);
  pthread_mutex_unlock(&g_stats_mu);
}

void wait_ready_ok(void) {
  pthread_mutex_lock(&g_stats_mu);
  ++g_waits;
  pthread_mutex_unlock(&g_stats_mu);
  pthread_mutex_lock(&g_ready_mu);
  while (!g_ready)
    pthread_cond_wait(&g_ready_cv, &g_ready_mu);
  pthread_mutex_unlock(&g_ready_mu);
}

int wait_ready_timed_ok(const struct timespec *deadline) {
  int rc = 0;
  pthread_mutex_lock(&g_ready_mu);
  while (!g_ready && rc != ETIMEDOUT)
    rc = pthread_cond_timedwait(&g_ready_cv, &g_ready_mu, deadline);
  pthread_mutex_unlock(&g_ready_mu);
  return rc;
}

// --------------------------------------------------------- trylock --

void stats_flush_bad(FILE *out) {
  if (pthread_mutex_trylock(&g_stats_mu) == 0) {
    fprintf(out, "%ld\n", g_waits);
    fsync(fileno(out)); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'g_stats_mu'"
    pthread_mutex_unlock(&g_stats_mu);
  }
}

void stats_flush_ok(FILE *out) {
  if (pthread_mutex_trylock(&g_stats_mu) != 0) {
    usleep(100); // busy: back off without the lock
    return;
  }
  long w = g_waits;
  pthread_mutex_unlock(&g_stats_mu);
  fprintf(out, "%ld\n", w);
  fsync(fileno(out));
}

void stats_flush_rc_ok(void) {
  int rc = pthread_mutex_trylock(&g_stats_mu);
  if (rc != 0) {
    sleep(1);
    return;
  }
  ++g_waits;
  pthread_mutex_unlock(&g_stats_mu);
}

void stats_flush_rc_bad(void) {
  int rc = pthread_mutex_trylock(&g_stats_mu);
  if (rc == 0) {
    sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding 'g_stats_mu'"
    pthread_mutex_unlock(&g_stats_mu);
  }
}

void stats_flush_not_ok(void) {
  if (!pthread_mutex_trylock(&g_stats_mu)) {
    ++g_waits;
    pthread_mutex_unlock(&g_stats_mu);
  } else {
    usleep(10);
  }
}

// ------------------------------------------------ rwlock and spinlock --

pthread_rwlock_t g_routes_lock = PTHREAD_RWLOCK_INITIALIZER;
char g_routes[16][64];

void routes_reload_bad(const char *path) {
  pthread_rwlock_wrlock(&g_routes_lock);
  FILE *f = fopen(path, "r"); // expect: threadlint-blocking-in-critical-section "'fopen' waits for I/O while holding 'g_routes_lock'"
  if (f) {
    for (int i = 0; i < 16 && fgets(g_routes[i], 64, f); ++i) // expect: threadlint-blocking-in-critical-section "'fgets' waits for I/O while holding 'g_routes_lock'"
      ;
    fclose(f);
  }
  pthread_rwlock_unlock(&g_routes_lock);
}

void routes_reload_ok(const char *path) {
  char fresh[16][64];
  memset(fresh, 0, sizeof fresh);
  FILE *f = fopen(path, "r");
  if (f) {
    for (int i = 0; i < 16 && fgets(fresh[i], 64, f); ++i)
      ;
    fclose(f);
  }
  pthread_rwlock_wrlock(&g_routes_lock);
  memcpy(g_routes, fresh, sizeof fresh);
  pthread_rwlock_unlock(&g_routes_lock);
}

void routes_lookup_bad(int sock, int i) {
  pthread_rwlock_rdlock(&g_routes_lock);
  struct pollfd p = {sock, POLLOUT, 0};
  poll(&p, 1, 1000); // expect: threadlint-blocking-in-critical-section "'poll' waits for I/O while holding 'g_routes_lock'"
  write(sock, g_routes[i], strlen(g_routes[i])); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'g_routes_lock'"
  pthread_rwlock_unlock(&g_routes_lock);
}

void routes_lookup_ok(int sock, int i) {
  char copy[64];
  pthread_rwlock_rdlock(&g_routes_lock);
  memcpy(copy, g_routes[i], sizeof copy);
  pthread_rwlock_unlock(&g_routes_lock);
  write(sock, copy, strlen(copy));
}

void routes_tryread_ok(void) {
  if (pthread_rwlock_tryrdlock(&g_routes_lock) != 0) {
    usleep(10);
    return;
  }
  pthread_rwlock_unlock(&g_routes_lock);
}

pthread_spinlock_t g_counter_spin;
long g_counter;

void counter_bump_bad(int fd) {
  pthread_spin_lock(&g_counter_spin);
  ++g_counter;
  fd_set set;
  FD_ZERO(&set);
  FD_SET(fd, &set);
  select(fd + 1, &set, NULL, NULL, NULL); // expect: threadlint-blocking-in-critical-section "'select' waits for I/O while holding 'g_counter_spin'"
  pthread_spin_unlock(&g_counter_spin);
}

void counter_bump_ok(void) {
  pthread_spin_lock(&g_counter_spin);
  ++g_counter;
  pthread_spin_unlock(&g_counter_spin);
}

// ------------------------------------- threads, semaphores, processes --

struct pool {
  pthread_mutex_t mu;
  pthread_t threads[4];
  int n;
  sem_t slots;
};

void pool_shutdown_bad(struct pool *p) {
  pthread_mutex_lock(&p->mu);
  for (int i = 0; i < p->n; ++i)
    pthread_join(p->threads[i], NULL); // expect: threadlint-blocking-in-critical-section "'pthread_join' waits for a thread to finish while holding"
  p->n = 0;
  pthread_mutex_unlock(&p->mu);
}

void pool_shutdown_ok(struct pool *p) {
  pthread_t copy[4];
  pthread_mutex_lock(&p->mu);
  int n = p->n;
  memcpy(copy, p->threads, sizeof copy);
  p->n = 0;
  pthread_mutex_unlock(&p->mu);
  for (int i = 0; i < n; ++i)
    pthread_join(copy[i], NULL);
}

void pool_reserve_bad(struct pool *p) {
  pthread_mutex_lock(&p->mu);
  sem_wait(&p->slots); // expect: threadlint-blocking-in-critical-section "'sem_wait' waits while holding"
  ++p->n;
  pthread_mutex_unlock(&p->mu);
}

void pool_reserve_ok(struct pool *p) {
  sem_wait(&p->slots);
  pthread_mutex_lock(&p->mu);
  ++p->n;
  pthread_mutex_unlock(&p->mu);
}

void pool_release_ok(struct pool *p) {
  pthread_mutex_lock(&p->mu);
  --p->n;
  sem_post(&p->slots); // posting does not block
  pthread_mutex_unlock(&p->mu);
}

// Through a helper: the chain is shown.
static void run_hook(const char *cmd) {
  system(cmd); // expect-note: "'system' waits for another process here"
}

void pool_hook_bad(struct pool *p, const char *cmd) {
  pthread_mutex_lock(&p->mu);
  run_hook(cmd); // expect: threadlint-blocking-in-critical-section "call to 'run_hook' may block while holding"
  pthread_mutex_unlock(&p->mu);
}

void pool_hook_ok(struct pool *p, const char *cmd) {
  pthread_mutex_lock(&p->mu);
  ++p->n;
  pthread_mutex_unlock(&p->mu);
  run_hook(cmd);
}

// Lock taken on one branch only.
void pool_maybe_locked_ok(struct pool *p, int locked) {
  if (locked)
    pthread_mutex_lock(&p->mu);
  usleep(1);
  if (locked)
    pthread_mutex_unlock(&p->mu);
}

// getline on a FILE*.
pthread_mutex_t g_input_mu = PTHREAD_MUTEX_INITIALIZER;

ssize_t read_command_bad(char **line, size_t *cap) {
  pthread_mutex_lock(&g_input_mu);
  ssize_t n = getline(line, cap, stdin); // expect: threadlint-blocking-in-critical-section "'getline' waits for I/O while holding 'g_input_mu'"
  pthread_mutex_unlock(&g_input_mu);
  return n;
}

ssize_t read_command_ok(char **line, size_t *cap) {
  ssize_t n = getline(line, cap, stdin);
  pthread_mutex_lock(&g_input_mu);
  pthread_mutex_unlock(&g_input_mu);
  return n;
}

// ------------------------------------- more correct patterns in C --

struct conn_table {
  pthread_mutex_t mu;
  int fds[64];
  int n;
};

// Copy the descriptors out, then write to each without the lock.
void conn_broadcast_ok(struct conn_table *t, const char *msg) {
  int fds[64];
  pthread_mutex_lock(&t->mu);
  int n = t->n;
  memcpy(fds, t->fds, sizeof fds);
  pthread_mutex_unlock(&t->mu);
  for (int i = 0; i < n; ++i)
    write(fds[i], msg, strlen(msg));
}

// Accept outside the lock, register inside.
void conn_accept_ok(struct conn_table *t, int listen_fd) {
  int fd = accept(listen_fd, NULL, NULL);
  pthread_mutex_lock(&t->mu);
  if (t->n < 64)
    t->fds[t->n++] = fd;
  pthread_mutex_unlock(&t->mu);
}

// An error path that unlocks before logging; the success path unlocks too.
int conn_remove_ok(struct conn_table *t, int fd) {
  pthread_mutex_lock(&t->mu);
  for (int i = 0; i < t->n; ++i)
    if (t->fds[i] == fd) {
      t->fds[i] = t->fds[--t->n];
      pthread_mutex_unlock(&t->mu);
      return 0;
    }
  pthread_mutex_unlock(&t->mu);
  fprintf(stderr, "unknown fd %d\n", fd);
  fsync(fileno(stderr));
  return -1;
}

// A lock wrapper in C: returns holding the table lock.
static void conn_lock(struct conn_table *t) { pthread_mutex_lock(&t->mu); }
static void conn_unlock(struct conn_table *t) { pthread_mutex_unlock(&t->mu); }

void conn_wrapped_bad(struct conn_table *t) {
  conn_lock(t);
  usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding"
  conn_unlock(t);
}

void conn_wrapped_ok(struct conn_table *t) {
  conn_lock(t);
  ++t->n;
  conn_unlock(t);
  usleep(10);
}

// A spinlock try path.
void counter_try_ok(void) {
  if (pthread_spin_trylock(&g_counter_spin) != 0) {
    usleep(1);
    return;
  }
  ++g_counter;
  pthread_spin_unlock(&g_counter_spin);
}

// A timed lock that failed: nothing held.
int stats_timed_ok(const struct timespec *deadline) {
  if (pthread_mutex_timedlock(&g_stats_mu, deadline) != 0) {
    fsync(STDERR_FILENO);
    return -1;
  }
  ++g_waits;
  pthread_mutex_unlock(&g_stats_mu);
  return 0;
}
