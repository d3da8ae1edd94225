// C11 <threads.h>: mtx_lock with an early return that keeps the mutex while
// the last return unlocks it. Negative cases: every return unlocks, a
// single unlock reached by goto from the error paths, mtx_trylock failure,
// an error-checked mtx_lock, a lock wrapper, and a conditional-acquire
// function. Known miss: a `goto fail` whose label is the last return of the
// function.
#include <stdio.h>
#include <string.h>
#include <threads.h>

struct journal {
  mtx_t mu;
  char buf[4096];
  size_t len;
  FILE *out;
};

int journal_append_bad(struct journal *j, const char *line) {
  size_t n = strlen(line);
  mtx_lock(&j->mu); // expect-note: "is locked here"
  if (j->len + n > sizeof j->buf)
    return thrd_nomem; // expect: threadlint-lock-leak "'journal::mu' (locked at line 20) is still held when the function returns here; the other paths unlock it (line 25), and every later lock of it waits forever; unlock it before this return, or leave through a single unlock (goto out)"
  memcpy(j->buf + j->len, line, n);
  j->len += n;
  mtx_unlock(&j->mu); // expect-note: "unlocked here"
  return thrd_success;
}

int journal_append_ok(struct journal *j, const char *line) {
  size_t n = strlen(line);
  mtx_lock(&j->mu);
  if (j->len + n > sizeof j->buf) {
    mtx_unlock(&j->mu);
    return thrd_nomem;
  }
  memcpy(j->buf + j->len, line, n);
  j->len += n;
  mtx_unlock(&j->mu);
  return thrd_success;
}

int journal_flush_ok(struct journal *j) {
  int rc = thrd_success;
  mtx_lock(&j->mu);
  if (j->out == NULL) {
    rc = thrd_error;
    goto out;
  }
  if (fwrite(j->buf, 1, j->len, j->out) != j->len) {
    rc = thrd_error;
    goto out;
  }
  j->len = 0;
out:
  mtx_unlock(&j->mu);
  return rc;
}

// Someone else is flushing: try again later.
int journal_try_flush_ok(struct journal *j) {
  if (mtx_trylock(&j->mu) != thrd_success)
    return thrd_busy;
  if (j->out)
    fflush(j->out);
  mtx_unlock(&j->mu);
  return thrd_success;
}

// mtx_lock() can fail (thrd_error): then nothing is locked.
int journal_size_checked_ok(struct journal *j, size_t *len) {
  if (mtx_lock(&j->mu) != thrd_success)
    return thrd_error;
  *len = j->len;
  mtx_unlock(&j->mu);
  return thrd_success;
}

int journal_lock_ok(struct journal *j) { return mtx_lock(&j->mu); }

// Returns thrd_success holding j->mu when there is something to write.
int journal_lock_pending_ok(struct journal *j) {
  mtx_lock(&j->mu);
  if (j->len == 0) {
    mtx_unlock(&j->mu);
    return thrd_busy;
  }
  return thrd_success;
}

int journal_reopen_bad(struct journal *j, const char *path) {
  mtx_lock(&j->mu); // expect-note: "is locked here"
  if (j->out && fclose(j->out) != 0)
    return thrd_error; // expect: threadlint-lock-leak "'journal::mu' (locked at line 91) is still held when the function returns here; the other paths unlock it (line 96), and every later lock of it waits forever"
  j->out = fopen(path, "a");
  int rc = j->out ? thrd_success : thrd_error;
  mtx_unlock(&j->mu);
  return rc;
}

// The error path jumps to a label that returns without unlocking. The
// label's return is the last exit of the function and it holds the mutex,
// while the other return released it: the shape of a conditional-acquire
// function (journal_lock_pending_ok), so it is not reported.
int FN_journal_rotate(struct journal *j, const char *path) {
  mtx_lock(&j->mu);
  if (j->out == NULL)
    goto fail;
  if (freopen(path, "a", j->out) == NULL)
    goto fail;
  mtx_unlock(&j->mu);
  return thrd_success;
fail:
  return thrd_error;
}

// ------------------------------------------------------------ threads --

static struct journal g_journal;

static int writer(void *arg) {
  const char *line = arg;
  for (int i = 0; i < 100; ++i)
    journal_append_ok(&g_journal, line);
  return 0;
}

int run_writers(void) {
  thrd_t t[2];
  if (mtx_init(&g_journal.mu, mtx_plain) != thrd_success)
    return -1;
  thrd_create(&t[0], writer, "a\n");
  thrd_create(&t[1], writer, "b\n");
  thrd_join(t[0], NULL);
  thrd_join(t[1], NULL);
  journal_flush_ok(&g_journal);
  mtx_destroy(&g_journal.mu);
  return 0;
}
