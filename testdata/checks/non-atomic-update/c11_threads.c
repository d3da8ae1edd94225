// C11 <threads.h>: thrd_create workers updating a global, with and without
// the mtx_t that guards it. Negative cases: every access under mtx_lock,
// an _Atomic counter, and a thrd_create/thrd_join pair per iteration.
#include <stdatomic.h>
#include <stddef.h>
#include <threads.h>

#define NTHREADS 4

// ----------------------------------------------------- no lock at all --

static long g_frames = 0;

static int render_tile(void *arg) {
  (void)arg;
  g_frames += 1; // expect: threadlint-non-atomic-update "non-atomic update of 'g_frames' in thread 'render_tile', while another thread running 'render_tile' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it '_Atomic long' (atomic_fetch_add) or hold one mutex around every access"
  return 0;
}

long render_bad(void) {
  thrd_t t[NTHREADS];
  for (int i = 0; i < NTHREADS; ++i)
    thrd_create(&t[i], render_tile, NULL); // expect-note: "the thread is started here"
  for (int i = 0; i < NTHREADS; ++i)
    thrd_join(t[i], NULL);
  return g_frames;
}

// ------------------------------------------------------- under a mtx_t --

static mtx_t g_pixels_mu;
static long g_pixels = 0;

static int shade_tile_ok(void *arg) {
  long n = (long)(size_t)arg;
  mtx_lock(&g_pixels_mu);
  g_pixels += n;
  mtx_unlock(&g_pixels_mu);
  return 0;
}

long shade_ok(void) {
  thrd_t t[NTHREADS];
  mtx_init(&g_pixels_mu, mtx_plain);
  for (int i = 0; i < NTHREADS; ++i)
    thrd_create(&t[i], shade_tile_ok, (void *)(size_t)(i * 64));
  for (int i = 0; i < NTHREADS; ++i)
    thrd_join(t[i], NULL);
  mtx_destroy(&g_pixels_mu);
  return g_pixels;
}

// --------------------------------------------------------- _Atomic --

static _Atomic long g_tiles;

static int blit_tile_ok(void *arg) {
  (void)arg;
  g_tiles += 1;
  return 0;
}

long blit_ok(void) {
  thrd_t t[NTHREADS];
  for (int i = 0; i < NTHREADS; ++i)
    thrd_create(&t[i], blit_tile_ok, NULL);
  for (int i = 0; i < NTHREADS; ++i)
    thrd_join(t[i], NULL);
  return g_tiles;
}

// ----------------------------------------- one thread at a time --

static long g_passes = 0;

static int run_pass(void *arg) {
  (void)arg;
  g_passes++;
  return 0;
}

long passes_ok(int n) {
  for (int i = 0; i < n; ++i) {
    thrd_t t;
    if (thrd_create(&t, run_pass, NULL) != thrd_success)
      break;
    thrd_join(t, NULL);
  }
  return g_passes;
}
