// Spin loops that yield (std::this_thread::yield, sched_yield) or pause
// (_mm_pause, __builtin_ia32_pause, asm("pause")) between polls: still busy
// waits, reported as remarks by default (YieldingLoops: remark), with a note
// at the yield. Negative cases: yielding or pausing loops that also sleep or
// back off, bounded spins that then block, and worker loops that yield only
// when they have nothing to do.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <immintrin.h>
#include <mutex>
#include <optional>
#include <sched.h>
#include <semaphore>
#include <thread>

std::atomic<bool> g_frame_ready{false};
std::atomic<bool> g_vsync{false};
bool g_plain_ready = false;

void present_frame() {
  g_frame_ready.store(true, std::memory_order_release); // expect-note: "'g_frame_ready' is changed here, in 'present_frame'"
  g_frame_ready.notify_all();
}
void on_vsync() { g_vsync.store(true, std::memory_order_release); }
void set_plain_ready() {
  g_plain_ready = true; // expect-note: "'g_plain_ready' is changed here, in 'set_plain_ready'"
}

// ---------------------------------------------------- yielding loops --

void wait_frame_yield_bad() {
  while (!g_frame_ready.load(std::memory_order_acquire)) // expect-remark: threadlint-busy-wait "this loop spins until 'g_frame_ready' changes, yielding or pausing between polls: it still keeps a core busy"
    std::this_thread::yield(); // expect-note: "the loop yields or pauses here"
}

void wait_frame_sched_yield_bad() {
  while (!g_frame_ready.load(std::memory_order_acquire)) { // expect-remark: threadlint-busy-wait "yielding or pausing between polls"
    sched_yield(); // expect-note: "the loop yields or pauses here"
  }
}

void wait_vsync_pause_bad() {
  while (!g_vsync.load(std::memory_order_acquire)) // expect-remark: threadlint-busy-wait "spins until 'g_vsync' changes, yielding or pausing"
    _mm_pause(); // expect-note: "the loop yields or pauses here"
}

void wait_vsync_builtin_pause_bad() {
  do { // expect-remark: threadlint-busy-wait "spins until 'g_vsync' changes, yielding or pausing"
    __builtin_ia32_pause(); // expect-note: "the loop yields or pauses here"
  } while (!g_vsync.load(std::memory_order_acquire));
}

void wait_vsync_asm_pause_bad() {
  for (;;) { // expect-remark: threadlint-busy-wait "spins until 'g_vsync' changes, yielding or pausing"
    if (g_vsync.load(std::memory_order_acquire))
      break;
    asm volatile("pause" ::: "memory"); // expect-note: "the loop yields or pauses here"
  }
}

// Counting the yields does not make the loop progress.
int wait_frame_counting_bad() {
  int yields = 0;
  while (!g_frame_ready.load(std::memory_order_acquire)) { // expect-remark: threadlint-busy-wait "spins until 'g_frame_ready' changes"
    ++yields;
    std::this_thread::yield(); // expect-note: "the loop yields or pauses here"
  }
  return yields;
}

// Yielding does not make a plain flag safe to poll: the data race is still
// reported, at the yielding loops' level.
void wait_plain_yield_bad() {
  while (!g_plain_ready) // expect: threadlint-busy-wait "'g_plain_ready' is neither atomic nor volatile"
    std::this_thread::yield(); // expect-note: "the loop yields or pauses here"
}

// ----------------------------------------------- blocking or backing off --

void wait_frame_ok() { g_frame_ready.wait(false, std::memory_order_acquire); }

// Spin a little (cheap when the frame is nearly ready), then block.
void wait_frame_spin_then_block_ok() {
  for (int i = 0; i < 128; ++i) {
    if (g_frame_ready.load(std::memory_order_acquire))
      return;
    _mm_pause();
  }
  g_frame_ready.wait(false, std::memory_order_acquire);
}

void wait_frame_bounded_ok() {
  for (int i = 0; i < 64 && !g_frame_ready.load(std::memory_order_acquire); ++i)
    std::this_thread::yield();
}

// Exponential back-off: pause, then yield, then sleep.
void wait_vsync_backoff_ok() {
  unsigned spins = 0;
  while (!g_vsync.load(std::memory_order_acquire)) {
    if (spins < 16) {
      for (unsigned i = 0; i < (1u << spins); ++i)
        _mm_pause();
    } else if (spins < 32) {
      std::this_thread::yield();
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    ++spins;
  }
}

void wait_vsync_yield_and_sleep_ok() {
  while (!g_vsync.load(std::memory_order_acquire)) {
    std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

std::mutex g_frame_mu;
std::condition_variable g_frame_cv;
std::binary_semaphore g_frame_sem{0};

void wait_frame_cv_ok() {
  std::unique_lock<std::mutex> lock(g_frame_mu);
  g_frame_cv.wait(lock, [] { return g_frame_ready.load(std::memory_order_acquire); });
}

void wait_frame_semaphore_ok() { g_frame_sem.acquire(); }

bool wait_frame_timed_ok() {
  return g_frame_sem.try_acquire_for(std::chrono::milliseconds(16));
}

int wait_frame_future_ok(std::future<int> &frame) {
  frame.wait();
  return frame.get();
}

// A fixed delay: the loop counts its own pauses.
void relax_ok(int n) {
  while (n-- > 0)
    _mm_pause();
}

void relax_for_ok(int n) {
  for (int i = 0; i < n; ++i)
    _mm_pause();
}

void render_batch();

// Yields between units of work, not between polls.
void render_loop_ok() {
  while (!g_vsync.load(std::memory_order_acquire)) {
    render_batch();
    std::this_thread::yield();
  }
}

// -------------------------------------- a worker that yields when idle --

class TaskQueue {
public:
  void push(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
  }
  std::optional<std::function<void()>> try_pop() {
    std::lock_guard<std::mutex> lock(mu_);
    if (tasks_.empty())
      return std::nullopt;
    auto t = std::move(tasks_.front());
    tasks_.pop_front();
    return t;
  }
  void stop() { stop_.store(true, std::memory_order_release); }

  // Runs tasks, yields only when there is nothing to run.
  void run_ok() {
    while (!stop_.load(std::memory_order_acquire)) {
      if (auto task = try_pop())
        (*task)();
      else
        std::this_thread::yield();
    }
  }

  void run_blocking_ok() {
    while (!stop_.load(std::memory_order_acquire)) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(10), [this] { return !tasks_.empty(); });
    }
  }

  // Help while waiting: run queued tasks until the flag is set.
  void help_until_ok(const std::atomic<bool> &done) {
    while (!done.load(std::memory_order_acquire)) {
      if (auto task = try_pop())
        (*task)();
      else
        std::this_thread::yield();
    }
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::atomic<bool> stop_{false};
};
