// Busy waits written with a project's macros: a macro in the condition
// (READY(), LIKELY()) or in the body (CPU_RELAX()) of a loop written out in
// the function: the finding is on the loop keyword. Negative cases:
// do { } while (0) statement macros and a wait macro that sleeps.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <immintrin.h>
#include <thread>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CPU_RELAX() _mm_pause()
#define READY(flag) (flag).load(std::memory_order_acquire)
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "check failed: %s\n", #cond);                       \
      std::abort();                                                            \
    }                                                                          \
  } while (0)
#define SLEEP_UNTIL(cond)                                                      \
  do {                                                                         \
    while (!(cond))                                                            \
      std::this_thread::sleep_for(std::chrono::milliseconds(1));               \
  } while (0)
#define SPIN_PAUSE(n)                                                          \
  for (int spin_i_ = 0; spin_i_ < (n); ++spin_i_)                              \
  CPU_RELAX()
#define SPIN_UNTIL(cond)                                                       \
  while (!(cond)) {                                                            \
  }

std::atomic<bool> g_db_open{false};
std::atomic<bool> g_cache_warm{false};

void open_db() {
  g_db_open.store(true, std::memory_order_release); // expect-note: "'g_db_open' is changed here, in 'open_db'"
  g_db_open.notify_all();
}
void warm_cache() {
  g_cache_warm.store(true, std::memory_order_release); // expect-note: "'g_cache_warm' is changed here, in 'warm_cache'"
}

void query_bad() {
  while (!READY(g_db_open)) { // expect: threadlint-busy-wait "spins until 'g_db_open' changes"
  }
}

void query_unlikely_bad() {
  while (UNLIKELY(!g_db_open.load(std::memory_order_acquire))) { // expect: threadlint-busy-wait "spins until 'g_db_open' changes"
  }
}

void serve_relaxing_bad() {
  while (!LIKELY(g_cache_warm.load(std::memory_order_acquire))) // expect-remark: threadlint-busy-wait "spins until 'g_cache_warm' changes, yielding or pausing"
    CPU_RELAX(); // expect-note: "the loop yields or pauses here"
}

void query_ok() {
  CHECK(READY(g_db_open));
}

void query_waiting_ok() {
  SLEEP_UNTIL(READY(g_db_open));
}

void query_blocking_ok() {
  g_db_open.wait(false, std::memory_order_acquire);
  CHECK(g_db_open.load());
}

void serve_ok() {
  for (int i = 0; i < 100 && !READY(g_cache_warm); ++i)
    CPU_RELAX();
  g_cache_warm.wait(false, std::memory_order_acquire);
}

bool query_bounded_ok() {
  for (int i = 0; i < 100; ++i)
    if (LIKELY(READY(g_db_open)))
      return true;
  return false;
}

// Back-off written with the macros: pause a growing number of times, then
// sleep.
void warm_backoff_ok() {
  int round = 0;
  while (!READY(g_cache_warm)) {
    if (round < 10)
      SPIN_PAUSE(1 << round);
    else
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    ++round;
  }
}

void warm_check_ok() {
  while (!READY(g_cache_warm)) {
    CHECK(READY(g_db_open));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Missed: a loop whose keyword comes from a macro is skipped altogether.
void FN_spin_macro() {
  SPIN_UNTIL(READY(g_cache_warm));
}
