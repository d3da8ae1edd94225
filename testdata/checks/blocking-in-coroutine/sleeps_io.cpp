// Blocking calls made directly in a C++20 coroutine body: a sleep instead of
// an awaitable timer, POSIX socket and file I/O, C stdio, an ifstream read,
// std::getline on std::cin, and system(). The coroutine runs on an event
// loop or executor thread; while it blocks, no other coroutine on that
// thread runs. Negative cases: co_await of async timers and reads, the same
// blocking calls in ordinary functions, blocking work handed to a
// std::thread, a thread pool or std::async from the coroutine, and
// coroutines that only compute.
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
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
  // Awaiting a Task runs it and resumes the awaiting coroutine at its end.
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept;
  void await_resume() const noexcept {}
  std::coroutine_handle<promise_type> handle;
};

// The event loop's awaitables: they suspend instead of blocking.
struct Timer {
  std::chrono::milliseconds delay;
  bool await_ready() const noexcept { return delay.count() <= 0; }
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() noexcept {}
};
Timer async_sleep(std::chrono::milliseconds d);

struct Readable {
  int fd;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  long await_resume();
};
Readable async_recv(int fd, char *buf, std::size_t len);

class ThreadPool {
public:
  void post(std::function<void()> job);
};

void handle_bytes(const char *data, long n);
void on_line(const std::string &line);

// ------------------------------------------------------------------ sleeps --

Task handle(int fd) {
  std::this_thread::sleep_for(std::chrono::milliseconds(50)); // expect: threadlint-blocking-in-coroutine "coroutine 'handle' calls 'std::this_thread::sleep_for', which sleeps: it blocks the thread that runs the coroutine, and every other coroutine scheduled on that thread waits too"
  char buf[512];
  long n = co_await async_recv(fd, buf, sizeof buf);
  handle_bytes(buf, n);
}

Task handle_ok(int fd) {
  co_await async_sleep(std::chrono::milliseconds(50));
  char buf[512];
  long n = co_await async_recv(fd, buf, sizeof buf);
  handle_bytes(buf, n);
}

Task retry_connect(int attempts) {
  for (int i = 0; i < attempts; ++i) {
    usleep(100000); // expect: threadlint-blocking-in-coroutine "coroutine 'retry_connect' calls 'usleep', which sleeps"
    co_await async_sleep(std::chrono::milliseconds(0));
  }
}

Task retry_connect_ok(int attempts) {
  for (int i = 0; i < attempts; ++i)
    co_await async_sleep(std::chrono::milliseconds(100));
}

// A plain function may sleep: it is not run by the event loop.
void backoff_ok(int attempt) {
  std::this_thread::sleep_for(std::chrono::milliseconds(10 << attempt));
}

// A lambda called right away runs on the coroutine's thread.
Task warm_up(int fd) {
  auto settle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(200)); }; // expect-note: "'std::this_thread::sleep_for' sleeps here"
  settle(); // expect: threadlint-blocking-in-coroutine "coroutine 'warm_up' calls"
  char buf[64];
  long n = co_await async_recv(fd, buf, sizeof buf);
  handle_bytes(buf, n);
}

// Awaiting a coroutine that blocks: reported once, in handle() itself.
Task accept_one(int fd) { co_await handle(fd); }

// ------------------------------------------------------- socket and file I/O --

Task echo(int fd) {
  char buf[1024];
  for (;;) {
    long n = recv(fd, buf, sizeof buf, 0); // expect: threadlint-blocking-in-coroutine "coroutine 'echo' calls 'recv', which waits for I/O"
    if (n <= 0)
      co_return;
    co_await async_sleep(std::chrono::milliseconds(0));
    send(fd, buf, static_cast<std::size_t>(n), 0); // expect: threadlint-blocking-in-coroutine "coroutine 'echo' calls 'send', which waits for I/O"
  }
}

Task drain_pipe(int fd) {
  char buf[256];
  long n = read(fd, buf, sizeof buf); // expect: threadlint-blocking-in-coroutine "coroutine 'drain_pipe' calls 'read', which waits for I/O"
  handle_bytes(buf, n);
  co_return;
}

Task echo_ok(int fd) {
  char buf[1024];
  for (;;) {
    long n = co_await async_recv(fd, buf, sizeof buf);
    if (n <= 0)
      co_return;
    handle_bytes(buf, n);
  }
}

Task tail_config(const char *path) {
  FILE *f = std::fopen(path, "r"); // expect: threadlint-blocking-in-coroutine "coroutine 'tail_config' calls 'fopen', which waits for I/O"
  if (!f)
    co_return;
  char line[256];
  while (std::fgets(line, sizeof line, f)) // expect: threadlint-blocking-in-coroutine "coroutine 'tail_config' calls 'fgets', which waits for I/O"
    on_line(line);
  std::fclose(f);
  co_await async_sleep(std::chrono::seconds(1));
}

Task load_settings(std::string path) {
  std::ifstream in(path); // expect: threadlint-blocking-in-coroutine "coroutine 'load_settings' calls 'std::basic_ifstream', which waits for I/O"
  std::string line;
  while (std::getline(in, line)) // expect: threadlint-blocking-in-coroutine "coroutine 'load_settings' calls 'std::getline', which waits for I/O"
    on_line(line);
  co_await async_sleep(std::chrono::milliseconds(0));
}

Task repl() {
  std::string command;
  while (std::getline(std::cin, command)) { // expect: threadlint-blocking-in-coroutine "coroutine 'repl' calls 'std::getline', which waits for console input"
    on_line(command);
    co_await async_sleep(std::chrono::milliseconds(0));
  }
}

Task rotate_logs() {
  co_await async_sleep(std::chrono::hours(24));
  std::system("logrotate /etc/logrotate.conf"); // expect: threadlint-blocking-in-coroutine "coroutine 'rotate_logs' calls 'system', which waits for another process"
}

// -------------------------------------------------- blocking work offloaded --

// The blocking read runs on a pool thread; the coroutine only posts it.
Task load_settings_ok(ThreadPool &pool, std::string path) {
  pool.post([path] {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
      on_line(line);
  });
  co_await async_sleep(std::chrono::milliseconds(0));
}

Task rotate_logs_ok() {
  co_await async_sleep(std::chrono::hours(24));
  std::thread([] { std::system("logrotate /etc/logrotate.conf"); }).detach();
}

// The file is read by a std::async task; the future goes to the caller,
// which collects it later (a future destroyed in the coroutine frame would
// wait in its destructor).
Task tail_config_ok(std::string path, std::future<std::vector<std::string>> &lines) {
  lines = std::async(std::launch::async, [path] {
    std::vector<std::string> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
      out.push_back(line);
    return out;
  });
  co_await async_sleep(std::chrono::milliseconds(100));
}

// An ordinary function reading a file is fine.
std::vector<std::string> read_lines_ok(const std::string &path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

// A coroutine that only computes.
Task checksum_ok(std::vector<char> data, unsigned &sum) {
  for (char c : data)
    sum = sum * 31 + static_cast<unsigned char>(c);
  co_return;
}
