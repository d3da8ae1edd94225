// C11 <threads.h>: mtx_unlock of a mutex that the function already
// released on every path (undefined behaviour). Negative cases: one unlock
// per path, mtx_trylock success, a cnd_wait loop, an unlock helper, and an
// mtx_t passed by pointer.
#include <stdio.h>
#include <string.h>
#include <threads.h>

struct journal {
  mtx_t mu;
  cnd_t flushed;
  char buf[4096];
  size_t len;
  FILE *out;
};

int journal_flush_bad(struct journal *j) {
  char copy[4096];
  mtx_lock(&j->mu);
  size_t len = j->len;
  memcpy(copy, j->buf, len);
  j->len = 0;
  mtx_unlock(&j->mu); // expect-note: "already unlocked here"
  size_t written = fwrite(copy, 1, len, j->out);
  cnd_broadcast(&j->flushed);
  mtx_unlock(&j->mu); // expect: threadlint-unlock-without-lock "'journal::mu' is unlocked here but is not held on any path to this point (it was already unlocked at line 23): unlocking a mutex that is not locked is undefined behaviour; unlock each lock once, on the path that locked it, or use a RAII guard"
  return written == len ? thrd_success : thrd_error;
}

int journal_flush_ok(struct journal *j) {
  char copy[4096];
  mtx_lock(&j->mu);
  size_t len = j->len;
  memcpy(copy, j->buf, len);
  j->len = 0;
  mtx_unlock(&j->mu);
  size_t written = fwrite(copy, 1, len, j->out);
  cnd_broadcast(&j->flushed);
  return written == len ? thrd_success : thrd_error;
}

int journal_try_append_ok(struct journal *j, const char *line) {
  size_t n = strlen(line);
  if (mtx_trylock(&j->mu) != thrd_success)
    return thrd_busy;
  if (j->len + n <= sizeof j->buf) {
    memcpy(j->buf + j->len, line, n);
    j->len += n;
  }
  mtx_unlock(&j->mu);
  return thrd_success;
}

void journal_wait_empty_ok(struct journal *j) {
  mtx_lock(&j->mu);
  while (j->len != 0)
    cnd_wait(&j->flushed, &j->mu);
  mtx_unlock(&j->mu);
}

// Releases the lock its caller took.
void journal_unlock_ok(struct journal *j) { mtx_unlock(&j->mu); }

int locked_len_ok(mtx_t *mu, const struct journal *j) {
  mtx_lock(mu);
  int n = (int)j->len;
  mtx_unlock(mu);
  return n;
}

// ------------------------------------------------------------ threads --

static struct journal g_journal;

static int flusher(void *arg) {
  (void)arg;
  for (int i = 0; i < 10; ++i)
    journal_flush_ok(&g_journal);
  return 0;
}

int run_flusher(void) {
  thrd_t t;
  if (mtx_init(&g_journal.mu, mtx_plain) != thrd_success)
    return -1;
  cnd_init(&g_journal.flushed);
  g_journal.out = stdout;
  thrd_create(&t, flusher, NULL);
  journal_try_append_ok(&g_journal, "hello\n");
  thrd_join(t, NULL);
  cnd_destroy(&g_journal.flushed);
  mtx_destroy(&g_journal.mu);
  return 0;
}
