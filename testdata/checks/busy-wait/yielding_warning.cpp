// CONFIG: {CheckOptions: {threadlint-busy-wait.YieldingLoops: warning}}
// YieldingLoops: warning reports loops that yield or pause between polls as
// warnings, like the loops that do nothing at all. Loops that sleep, block
// or do work stay silent.
#include <atomic>
#include <chrono>
#include <immintrin.h>
#include <sched.h>
#include <thread>

namespace audio {

std::atomic<bool> g_buffer_free{false};
std::atomic<bool> g_device_open{false};

void on_buffer_done() {
  g_buffer_free.store(true, std::memory_order_release); // expect-note: "'audio::g_buffer_free' is changed here, in 'audio::on_buffer_done'"
  g_buffer_free.notify_one();
}
void open_device() { g_device_open.store(true, std::memory_order_release); }

void submit(const float *samples, int n);

void submit_yield_bad(const float *samples, int n) {
  while (!g_buffer_free.load(std::memory_order_acquire)) // expect: threadlint-busy-wait "this loop spins until 'audio::g_buffer_free' changes, yielding or pausing between polls"
    std::this_thread::yield(); // expect-note: "the loop yields or pauses here"
  submit(samples, n);
}

void submit_pause_bad(const float *samples, int n) {
  while (!g_buffer_free.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "yielding or pausing between polls"
    _mm_pause(); // expect-note: "the loop yields or pauses here"
  }
  submit(samples, n);
}

// Not yielding at all: a warning whatever the option says.
void await_device_bad() {
  while (!g_device_open.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "busy wait: this loop spins until 'audio::g_device_open' changes"
  }
}

void submit_ok(const float *samples, int n) {
  g_buffer_free.wait(false, std::memory_order_acquire);
  submit(samples, n);
}

void submit_sleeping_ok(const float *samples, int n) {
  while (!g_buffer_free.load(std::memory_order_acquire))
    std::this_thread::sleep_for(std::chrono::microseconds(250));
  submit(samples, n);
}

bool try_submit_ok(const float *samples, int n) {
  for (int i = 0; i < 32; ++i) {
    if (g_buffer_free.load(std::memory_order_acquire)) {
      submit(samples, n);
      return true;
    }
    sched_yield();
  }
  return false;
}

void await_device_ok() {
  g_device_open.wait(false, std::memory_order_acquire);
}

void pump_ok(const float *samples, int n) {
  int offset = 0;
  while (offset < n && !g_device_open.load(std::memory_order_acquire)) {
    submit(samples + offset, 64);
    offset += 64;
    std::this_thread::yield();
  }
}

} // namespace audio
