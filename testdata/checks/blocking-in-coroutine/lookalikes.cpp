// Calls in coroutines that look blocking but are not (or are not the
// C library's): console logging to std::cout / stderr, std::getline on a
// std::istringstream, a connection class's own read()/write() members, an
// awaitable named sleep in the project's namespace, std::this_thread::yield,
// read()/send() on a socket the coroutine put in O_NONBLOCK mode.
// Positive cases: opening a log file with std::ofstream and fflush() of that
// file, which do reach the disk.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <coroutine>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
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

namespace net {
// The event loop's own primitives: they suspend, they do not block.
struct Sleep {
  std::chrono::milliseconds d;
  bool await_ready() const noexcept { return d.count() <= 0; }
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() noexcept {}
};
Sleep sleep(std::chrono::milliseconds d);

struct IoResult {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  long await_resume();
};

// Non-blocking socket wrapper: read()/write() return at once (EAGAIN), and
// wait_readable() is an awaitable.
class Connection {
public:
  long read(char *buf, unsigned long len);
  long write(const char *buf, unsigned long len);
  IoResult wait_readable();
};
} // namespace net

void dispatch(const std::string &line);

Task serve_ok(net::Connection &conn) {
  std::cout << "connection accepted\n";
  char buf[4096];
  for (;;) {
    co_await conn.wait_readable();
    long n = conn.read(buf, sizeof buf);
    if (n <= 0) {
      std::fprintf(stderr, "connection closed\n");
      co_return;
    }
    std::istringstream lines(std::string(buf, static_cast<std::size_t>(n)));
    for (std::string line; std::getline(lines, line);)
      dispatch(line);
    conn.write("ok\n", 3);
  }
}

Task throttle_ok(int rounds) {
  for (int i = 0; i < rounds; ++i) {
    std::printf("round %d\n", i);
    std::this_thread::yield();
    co_await net::sleep(std::chrono::milliseconds(10));
  }
}

// ------------------------------------------ a non-blocking socket, raw --

// The classic epoll-style loop: the socket is put in non-blocking mode, the
// coroutine awaits readiness, then read()/send() return at once (or fail
// with EAGAIN) instead of blocking.
net::IoResult readable(int fd);

Task echo_nonblocking_ok(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  char buf[1024];
  for (;;) {
    co_await readable(fd);
    long n = read(fd, buf, sizeof buf);
    if (n <= 0)
      co_return;
    send(fd, buf, static_cast<std::size_t>(n), MSG_DONTWAIT);
  }
}

// ------------------------------------------------------- a real log file --

Task audit(std::string path, std::string entry) {
  std::ofstream log(path, std::ios::app); // expect: threadlint-blocking-in-coroutine "coroutine 'audit' calls 'std::basic_ofstream', which waits for I/O"
  log << entry << '\n';
  co_await net::sleep(std::chrono::milliseconds(0));
}

Task audit_c(FILE *journal, std::string entry) {
  std::fputs(entry.c_str(), journal);
  std::fflush(journal); // expect: threadlint-blocking-in-coroutine "coroutine 'audit_c' calls 'fflush', which waits for I/O"
  co_await net::sleep(std::chrono::milliseconds(0));
}

// Flushing the console is not file I/O.
Task progress_ok(int percent) {
  std::printf("%d%%\r", percent);
  std::fflush(stdout);
  co_await net::sleep(std::chrono::milliseconds(100));
}
