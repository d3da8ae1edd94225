// C11 <threads.h>: an mtx_t created with mtx_plain (or mtx_timed) deadlocks
// when its owner locks it again; mtx_trylock on it fails instead. An mtx_t
// created with mtx_recursive may be re-entered.
#include <stddef.h>
#include <string.h>
#include <threads.h>
#include <time.h>

// ------------------------------------------------- a job board --

struct board {
  mtx_t mu;
  int jobs[32];
  int n;
};

int board_init(struct board *b) {
  memset(b, 0, sizeof *b);
  return mtx_init(&b->mu, mtx_plain);
}

int board_count(struct board *b) {
  mtx_lock(&b->mu);
  int n = b->n;
  mtx_unlock(&b->mu);
  return n;
}

// Asks board_count() for the size while holding the board.
int board_post_bad(struct board *b, int job) {
  mtx_lock(&b->mu);
  if (board_count(b) >= 32) { // expect: threadlint-recursive-lock "call to 'board_count' acquires 'board::mu', which is already held: a non-recursive mutex deadlocks on itself"
    mtx_unlock(&b->mu);
    return -1;
  }
  b->jobs[b->n++] = job;
  mtx_unlock(&b->mu);
  return 0;
}

int board_post_ok(struct board *b, int job) {
  mtx_lock(&b->mu);
  if (b->n >= 32) {
    mtx_unlock(&b->mu);
    return -1;
  }
  b->jobs[b->n++] = job;
  mtx_unlock(&b->mu);
  return 0;
}

// Directly twice.
void board_clear_bad(struct board *b) {
  mtx_lock(&b->mu);
  b->n = 0;
  mtx_lock(&b->mu); // expect: threadlint-recursive-lock "'board::mu' acquired while it is already held"
  mtx_unlock(&b->mu);
}

void board_clear_ok(struct board *b) {
  mtx_lock(&b->mu);
  b->n = 0;
  mtx_unlock(&b->mu);
}

// mtx_trylock on the held mutex returns thrd_busy.
int board_busy_ok(struct board *b) {
  mtx_lock(&b->mu);
  int busy = mtx_trylock(&b->mu) != thrd_success;
  if (!busy)
    mtx_unlock(&b->mu);
  mtx_unlock(&b->mu);
  return busy;
}

// A timed mutex locked with a deadline while held: gives up.
mtx_t g_clock_mu;
long g_clock;

int clock_init(void) { return mtx_init(&g_clock_mu, mtx_timed); }

int clock_adjust_ok(long delta, const struct timespec *deadline) {
  mtx_lock(&g_clock_mu);
  g_clock += delta;
  int rc = mtx_timedlock(&g_clock_mu, deadline);
  if (rc == thrd_success)
    mtx_unlock(&g_clock_mu);
  mtx_unlock(&g_clock_mu);
  return rc;
}

// --------------------------------------- a recursive mtx_t --

mtx_t g_tree_mu;
int g_tree_nodes;

int tree_init(void) { return mtx_init(&g_tree_mu, mtx_plain | mtx_recursive); }

static void tree_add(int n) {
  mtx_lock(&g_tree_mu);
  g_tree_nodes += n;
  mtx_unlock(&g_tree_mu);
}

// g_tree_mu was created with mtx_recursive: re-entering it through
// tree_add() is what it is for.
void tree_graft_ok(int a, int b) {
  mtx_lock(&g_tree_mu);
  tree_add(a);
  tree_add(b);
  mtx_unlock(&g_tree_mu);
}

// The recursive mutex entered once.
int tree_size_ok(void) {
  mtx_lock(&g_tree_mu);
  int n = g_tree_nodes;
  mtx_unlock(&g_tree_mu);
  return n;
}
