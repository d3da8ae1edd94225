// Lambdas: a lambda body is its own function. Defining one under a lock does
// not run it; calling it under a lock does; a lambda that locks and blocks
// in its own body is reported there.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <unistd.h>

class EventLoop {
public:
  // Deferred work: queued under the lock, run later by run_pending_ok().
  void post_ok(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back([fd] {
      char buf[256];
      read(fd, buf, sizeof buf);
    });
  }

  void post_sleep_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.emplace_back([] { std::this_thread::sleep_for(std::chrono::milliseconds(5)); });
  }

  void run_pending_ok() {
    std::vector<std::function<void()>> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(tasks_);
    }
    for (auto &t : batch)
      t();
  }

  // Running the queued tasks with the lock held: the calls go through
  // std::function, whose target is unknown, so nothing can be said.
  void run_pending_locked_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto &t : tasks_)
      t();
    tasks_.clear();
  }

  // A lambda called right away under the lock runs under the lock.
  void flush_now_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    auto flush = [] { fsync(fileno(stdout)); };
    flush(); // expect: threadlint-blocking-in-critical-section "may block while holding 'EventLoop::mu_': 'fsync' waits for I/O"
  }

  // Immediately-invoked lambda.
  void init_bad(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    ready_ = [&] { return fsync(fd) == 0; }(); // expect: threadlint-blocking-in-critical-section "may block while holding 'EventLoop::mu_': 'fsync' waits for I/O"
  }

  // The same lambda called after the guard's scope.
  void flush_later_ok() {
    std::function<void()> flush;
    {
      std::lock_guard<std::mutex> lock(mu_);
      flush = [] { fsync(fileno(stdout)); };
    }
    flush();
  }

  void flush_after_scope_ok() {
    auto flush = [] { fsync(fileno(stdout)); };
    {
      std::lock_guard<std::mutex> lock(mu_);
      ready_ = true;
    }
    flush();
  }

  // A thread started under the lock runs its body elsewhere.
  void spawn_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([] { sleep(1); });
  }

  // A lambda that takes the lock itself and blocks inside.
  void schedule_bad() {
    workers_.emplace_back([this] {
      std::lock_guard<std::mutex> lock(mu_);
      usleep(100); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'EventLoop::mu_'"
    });
  }

  void schedule_ok() {
    workers_.emplace_back([this] {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ready_ = true;
      }
      usleep(100);
    });
  }

  // A predicate lambda used by an algorithm under the lock: it does not
  // block, so nothing to report.
  size_t count_ready_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<size_t>(std::count_if(tasks_.begin(), tasks_.end(),
                                             [](const auto &t) { return static_cast<bool>(t); }));
  }

  // A generic lambda instantiated twice, calling a blocking function under
  // the lock it takes: one report.
  void generic_bad() {
    auto dump = [this](auto value) {
      std::lock_guard<std::mutex> lock(mu_);
      fwrite(&value, sizeof value, 1, trace_); // expect: threadlint-blocking-in-critical-section "'fwrite' waits for I/O while holding 'EventLoop::mu_'"
    };
    dump(1);
    dump(2.0);
  }

  // Calling a generic lambda that blocks, under the lock.
  void generic_called_under_lock_bad() {
    auto dump = [this](auto value) { fwrite(&value, sizeof value, 1, trace_); };
    std::lock_guard<std::mutex> lock(mu_);
    dump(42); // expect: threadlint-blocking-in-critical-section "may block while holding 'EventLoop::mu_': 'fwrite' waits for I/O"
  }

  void generic_ok() {
    auto dump = [](auto value) { fwrite(&value, sizeof value, 1, stderr); };
    dump(1);
    dump(2.0);
  }


  // A comparator lambda passed to std::sort under the lock.
  void sort_tasks_ok(std::vector<int> &prio) {
    std::lock_guard<std::mutex> lock(mu_);
    std::sort(prio.begin(), prio.end(), [](int a, int b) { return a > b; });
  }

  // A lambda that blocks, stored in a member and never called here.
  void install_hook_ok(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    on_close_ = [fd] { fsync(fd); };
  }

  // A lambda capturing the guard's mutex and locking it itself, called after
  // the caller released nothing (no caller lock), sleeping after its own
  // scope.
  void self_locking_lambda_ok() {
    auto step = [this] {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ready_ = !ready_;
      }
      usleep(1);
    };
    step();
    step();
  }

  // An immediately-invoked lambda that does not block.
  void init_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    ready_ = [&] { return !tasks_.empty(); }();
  }

  // Nested lambdas: the inner one blocks but only the outer one is called,
  // and it merely returns the inner one.
  void nested_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    auto make = [] { return [] { sleep(1); }; };
    auto later = make();
    (void)later;
  }

  ~EventLoop() {
    for (auto &w : workers_)
      w.join();
  }

private:
  std::mutex mu_;
  FILE *trace_ = nullptr;
  std::vector<std::function<void()>> tasks_;
  std::vector<std::thread> workers_;
  std::function<void()> on_close_;
  bool ready_ = false;
};
