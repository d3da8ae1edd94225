// Blocking waits in coroutine bodies (std::future::get, std::thread::join,
// a condition-variable wait) and blocking calls reached through functions
// defined in this file (coroutine -> load_config -> read_all -> getline;
// a member coroutine -> a member helper that sleeps), and a coroutine
// lambda that sleeps. Negative cases: the same helpers called from
// ordinary functions or from a lambda posted to a thread pool, a future
// polled with a zero timeout between awaitable sleeps, notify_one() (does
// not block), and a synchronous generator that reads a file for a
// consumer on its own thread.
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// ------------------------------------------------------------ a lazy task --

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

template <class T> struct Generator {
  struct promise_type {
    T current{};
    Generator get_return_object() noexcept {
      return Generator{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T v) noexcept {
      current = std::move(v);
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() { throw; }
  };
  std::coroutine_handle<promise_type> handle;
};

struct Timer {
  std::chrono::milliseconds delay;
  bool await_ready() const noexcept { return delay.count() <= 0; }
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() noexcept {}
};
Timer async_sleep(std::chrono::milliseconds d);

class ThreadPool {
public:
  void post(std::function<void()> job);
};

void publish(int n);
void on_line(const std::string &line);

// ------------------------------------------------------ futures and threads --

Task report(std::future<int> &count) {
  co_await async_sleep(std::chrono::milliseconds(10));
  publish(count.get()); // expect: threadlint-blocking-in-coroutine "coroutine 'report' calls 'std::future::get', which waits for a future"
}

// Poll without blocking, and suspend between polls; get() then returns at
// once.
Task report_ok(std::future<int> &count) {
  while (count.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    co_await async_sleep(std::chrono::milliseconds(10));
  publish(count.get());
}

// The same poll written with a chrono literal.
Task report_literal_ok(std::future<int> &count) {
  using namespace std::chrono_literals;
  while (count.wait_for(0s) != std::future_status::ready)
    co_await async_sleep(10ms);
  publish(count.get());
}

// Polls once, logs, and then waits anyway: get() blocks when the first
// poll said "not ready".
Task report_late(std::future<int> &count) {
  if (count.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    on_line("count not ready yet");
  co_await async_sleep(std::chrono::milliseconds(0));
  publish(count.get()); // expect: threadlint-blocking-in-coroutine "coroutine 'report_late' calls 'std::future::get', which waits for a future"
}

Task build_index(std::vector<std::string> files) {
  std::thread indexer([files] {
    for (const std::string &f : files)
      on_line(f);
  });
  co_await async_sleep(std::chrono::milliseconds(0));
  indexer.join(); // expect: threadlint-blocking-in-coroutine "coroutine 'build_index' calls 'std::thread::join', which waits for a thread to finish"
}

Task build_index_ok(ThreadPool &pool, std::vector<std::string> files) {
  pool.post([files = std::move(files)] {
    for (const std::string &f : files)
      on_line(f);
  });
  co_await async_sleep(std::chrono::milliseconds(0));
}

// ---------------------------------------------------- a condition variable --

class Mailbox {
public:
  void put(std::string m) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      messages_.push_back(std::move(m));
    }
    cv_.notify_one();
  }

  Task consume() {
    for (;;) {
      std::string m;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return !messages_.empty(); }); // expect: threadlint-blocking-in-coroutine "coroutine 'Mailbox::consume' calls 'std::condition_variable::wait', which waits"
        m = std::move(messages_.front());
        messages_.pop_front();
      }
      on_line(m);
      co_await async_sleep(std::chrono::milliseconds(0));
    }
  }

  // Takes what is there, and suspends when there is nothing.
  Task consume_ok() {
    for (;;) {
      std::deque<std::string> batch;
      {
        std::lock_guard<std::mutex> lock(mu_);
        batch.swap(messages_);
      }
      for (const std::string &m : batch)
        on_line(m);
      co_await async_sleep(std::chrono::milliseconds(5));
    }
  }

  // notify_one() does not block.
  Task put_async_ok(std::string m) {
    co_await async_sleep(std::chrono::milliseconds(0));
    put(std::move(m));
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> messages_;
};

// ----------------------------------------------- blocking through callees --

std::string read_all(const std::string &path) {
  std::ifstream in(path); // expect-note: "'std::basic_ifstream' waits for I/O here"
  std::string text, line;
  while (std::getline(in, line))
    text += line + "\n";
  return text;
}

struct Config {
  std::string text;
};

Config load_config(const std::string &path) {
  return Config{read_all(path)}; // expect-note: "'load_config' calls 'read_all'"
}

Task serve(std::string config_path) {
  Config c = load_config(config_path); // expect: threadlint-blocking-in-coroutine "coroutine 'serve' calls 'load_config', which calls 'std::basic_ifstream', which waits for I/O"
  on_line(c.text);
  co_await async_sleep(std::chrono::milliseconds(0));
}

// Loaded before the event loop starts.
int main_ok(int argc, char **argv) {
  Config c = load_config(argc > 1 ? argv[1] : "/etc/app.conf");
  on_line(c.text);
  return 0;
}

// Loaded on a pool thread; the coroutine does not wait for it.
Task reload_ok(ThreadPool &pool, std::string path) {
  pool.post([path] { on_line(load_config(path).text); });
  co_await async_sleep(std::chrono::milliseconds(0));
}

class Poller {
public:
  Task run() {
    for (int i = 0; i < rounds_; ++i) {
      poll_once();
      co_await async_sleep(std::chrono::milliseconds(0));
      backoff(); // expect: threadlint-blocking-in-coroutine "coroutine 'Poller::run' calls 'Poller::backoff', which calls 'std::this_thread::sleep_for', which sleeps"
    }
  }

  Task run_ok() {
    for (int i = 0; i < rounds_; ++i) {
      poll_once();
      co_await async_sleep(std::chrono::milliseconds(100 * (i + 1)));
    }
  }

  // For the synchronous client, which has no event loop.
  void run_blocking_ok() {
    for (int i = 0; i < rounds_; ++i) {
      poll_once();
      backoff();
    }
  }

private:
  void poll_once() { ++polls_; }
  void backoff() { std::this_thread::sleep_for(std::chrono::milliseconds(100)); } // expect-note: "'std::this_thread::sleep_for' sleeps here"

  int rounds_ = 3;
  int polls_ = 0;
};

// ---------------------------------------------------------- out of reach --

// A virtual call is not resolved to its overrides: FileStore::get reads a
// file, but the coroutine only sees Store::get, which has no body.
struct Store {
  virtual ~Store() = default;
  virtual std::string get(const std::string &key) = 0;
};
struct FileStore : Store {
  std::string get(const std::string &key) override { return read_all("/var/lib/app/" + key); }
};

Task FN_virtual_call(Store &store) {
  on_line(store.get("motd"));
  co_return;
}

// ------------------------------------------------------ a coroutine lambda --

void start_watchdog_bad(std::vector<Task> &tasks) {
  auto watchdog = []() -> Task {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(1)); // expect: threadlint-blocking-in-coroutine "calls 'std::this_thread::sleep_for', which sleeps"
      co_await async_sleep(std::chrono::milliseconds(0));
    }
  };
  tasks.push_back(watchdog());
}

void start_watchdog_ok(std::vector<Task> &tasks) {
  auto watchdog = []() -> Task {
    for (;;)
      co_await async_sleep(std::chrono::seconds(1));
  };
  tasks.push_back(watchdog());
}

// ------------------------------------------- a synchronous generator --

// Pulled by a plain loop on the consumer's thread: it blocks that thread
// exactly as a read loop would, no event loop is involved.
Generator<std::string> lines_of_ok(std::string path) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    co_yield line;
}
