// CONFIG: {CheckOptions: {threadlint-blocking-in-coroutine.ExcludedFunctions: "fsync;std::this_thread::sleep_for"}}
// ExcludedFunctions removes built-in entries: a project whose coroutines run
// on a dedicated thread of their own may accept short sleeps and fsync. The
// excluded calls are not reported, directly or through helpers; other
// blocking calls still are.
#include <unistd.h>

#include <chrono>
#include <coroutine>
#include <exception>
#include <thread>

struct Task {
  struct promise_type {
    Task get_return_object() noexcept {
      return Task{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

struct Tick {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() noexcept {}
};
Tick next_tick();

void commit(int fd) { fsync(fd); }

Task journal_ok(int fd) {
  for (;;) {
    co_await next_tick();
    commit(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

Task journal_sync_ok(int fd) {
  co_await next_tick();
  fsync(fd);
}

Task journal_slow(int fd) {
  co_await next_tick();
  usleep(1000); // expect: threadlint-blocking-in-coroutine "coroutine 'journal_slow' calls 'usleep', which sleeps"
  commit(fd);
}
