// CONFIG: {CheckOptions: {threadlint-busy-wait.YieldingLoops: none}}
// YieldingLoops: none stays silent on loops that yield or pause between
// polls; a loop that does nothing at all is still a warning.
#include <atomic>
#include <immintrin.h>
#include <sched.h>
#include <thread>

std::atomic<bool> g_leader_elected{false};
std::atomic<bool> g_snapshot_done{false};
bool g_plain_done = false;

void elect() { g_leader_elected.store(true, std::memory_order_release); }
void snapshot_finished() {
  g_snapshot_done.store(true, std::memory_order_release); // expect-note: "'g_snapshot_done' is changed here, in 'snapshot_finished'"
}
void plain_finished() { g_plain_done = true; }

void follow_leader_ok() {
  while (!g_leader_elected.load(std::memory_order_acquire))
    std::this_thread::yield();
}

void follow_leader_pause_ok() {
  while (!g_leader_elected.load(std::memory_order_acquire))
    _mm_pause();
}

void follow_leader_sched_yield_ok() {
  do {
    sched_yield();
  } while (!g_leader_elected.load(std::memory_order_acquire));
}

void follow_leader_blocking_ok() {
  g_leader_elected.wait(false, std::memory_order_acquire);
}

// YieldingLoops: none silences the performance remark only: a plain flag is
// a data race, and that is reported whatever the loop does between polls.
void plain_flag_yield_bad() {
  while (!g_plain_done) // expect: threadlint-busy-wait "'g_plain_done' is neither atomic nor volatile"
    std::this_thread::yield();
}

void await_snapshot_bad() {
  while (!g_snapshot_done.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "busy wait: this loop spins until 'g_snapshot_done' changes"
  }
}

void await_snapshot_ok() {
  g_snapshot_done.wait(false, std::memory_order_acquire);
}
