// Lazily started coroutine tasks that are created and dropped: the task's
// promise starts suspended (initial_suspend returns std::suspend_always), so
// a call whose result is discarded never runs the coroutine body (the
// "coroutine was never awaited" mistake). Covers a forgotten co_await in a
// coroutine, a task dropped by ordinary code, a member coroutine, a (void)
// cast, a task returned by a function declared here without a body, a
// lambda coroutine, and a drop in a loop. The Task type below keeps its
// promise logic in a base class, as cppcoro's and folly's do. Negative
// cases: co_await, tasks stored and awaited later, tasks handed to a
// scheduler or returned, eagerly started fire-and-forget coroutines (their
// body has run), and generators consumed by a loop.
#include <coroutine>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

// ------------------------------------------------------- a lazy Task<T> --

template <class T = void> class Task;

namespace detail {
struct FinalAwaiter {
  bool await_ready() noexcept { return false; }
  template <class P>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
    if (std::coroutine_handle<> next = h.promise().continuation)
      return next;
    return std::noop_coroutine();
  }
  void await_resume() noexcept {}
};

struct PromiseBase {
  std::coroutine_handle<> continuation;
  std::exception_ptr error;
  std::suspend_always initial_suspend() noexcept { return {}; } // lazy
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }
};

template <class T> struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  void return_value(T v) { value = std::move(v); }
};

template <> struct Promise<void> : PromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
};
} // namespace detail

template <class T> class Task {
public:
  using promise_type = detail::Promise<T>;

  explicit Task(std::coroutine_handle<promise_type> h) : h_(h) {}
  Task(Task &&other) noexcept : h_(std::exchange(other.h_, {})) {}
  ~Task() {
    if (h_)
      h_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
    h_.promise().continuation = caller;
    return h_;
  }
  T await_resume() {
    if (h_.promise().error)
      std::rethrow_exception(h_.promise().error);
    if constexpr (!std::is_void_v<T>)
      return std::move(*h_.promise().value);
  }

private:
  std::coroutine_handle<promise_type> h_;
};

template <class T> Task<T> detail::Promise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> detail::Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

// --------------------------------------- an eager fire-and-forget coroutine --

struct FireAndForget {
  struct promise_type {
    FireAndForget get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; } // runs at once
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

// ------------------------------------------------------------ I/O awaitables --

struct ReadAwaiter {
  int fd;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  std::string await_resume();
};
ReadAwaiter async_read(int fd);

struct Scheduler {
  void spawn(Task<void> t);
};

void log_line(const std::string &s);

Task<std::string> fetch(int fd) {
  std::string body = co_await async_read(fd);
  co_return body;
}

Task<void> flush(int fd) {
  std::string rest = co_await async_read(fd);
  log_line(rest);
}

Task<void> send_heartbeat(int fd); // defined in another file

class Session {
public:
  explicit Session(int fd) : fd_(fd) {}
  Task<void> close() {
    co_await flush(fd_);
    fd_ = -1;
  }
  int fd() const { return fd_; }

private:
  int fd_;
};

// ---------------------------------------------- a forgotten co_await --

Task<std::string> handle_request_bad(int fd) {
  fetch(fd); // expect: threadlint-discarded-future "the coroutine task returned by 'fetch' is discarded without being awaited: it starts suspended, so its body never runs; co_await it, or keep it and await it later"
  co_return "ok";
}

Task<std::string> handle_request_ok(int fd) {
  std::string body = co_await fetch(fd);
  co_return body;
}

// Created first, awaited after other work.
Task<std::string> handle_request_later_ok(int fd) {
  Task<std::string> pending = fetch(fd);
  log_line("request accepted");
  co_return co_await std::move(pending);
}

// ------------------------------------------- a task dropped by plain code --

void on_idle_bad(int fd) {
  flush(fd); // expect: threadlint-discarded-future "the coroutine task returned by 'flush' is discarded without being awaited"
}

void on_idle_ok(Scheduler &sched, int fd) {
  sched.spawn(flush(fd));
}

// A non-coroutine that builds the task and lets its caller await it.
Task<void> on_idle_deferred_ok(int fd) {
  return flush(fd);
}

// -------------------------------------------------------- member coroutines --

Task<void> shutdown_bad(Session &s) {
  s.close(); // expect: threadlint-discarded-future "the coroutine task returned by 'Session::close' is discarded without being awaited"
  co_return;
}

Task<void> shutdown_ok(Session &s) {
  co_await s.close();
}

// ---------------------------------------- a (void) cast, a declared callee --

void keepalive_bad(int fd) {
  (void)flush(fd); // expect: threadlint-discarded-future "the coroutine task returned by 'flush' is discarded without being awaited"
}

Task<void> keepalive_loop_bad(int fd) {
  for (int i = 0; i < 3; ++i) {
    send_heartbeat(fd); // expect: threadlint-discarded-future "the coroutine task returned by 'send_heartbeat' is discarded without being awaited"
    co_await async_read(fd);
  }
}

Task<void> keepalive_loop_ok(int fd) {
  for (int i = 0; i < 3; ++i) {
    co_await send_heartbeat(fd);
    co_await async_read(fd);
  }
}

// ------------------------------------------------------ a coroutine lambda --

void send_all_bad(const std::vector<int> &fds) {
  auto say_bye = [](int fd) -> Task<void> { co_await flush(fd); };
  for (int fd : fds)
    say_bye(fd); // expect: threadlint-discarded-future "the coroutine task returned by"
}

Task<void> send_all_ok(std::vector<int> fds) {
  auto say_bye = [](int fd) -> Task<void> { co_await flush(fd); };
  for (int fd : fds)
    co_await say_bye(fd);
}

// ------------------------------------------------------- fan-out, then join --

Task<void> flush_all_bad(const std::vector<int> &fds) {
  for (int fd : fds)
    flush(fd); // expect: threadlint-discarded-future "the coroutine task returned by 'flush' is discarded without being awaited"
  co_return;
}

Task<void> flush_all_ok(const std::vector<int> &fds) {
  std::vector<Task<void>> pending;
  for (int fd : fds)
    pending.push_back(flush(fd));
  for (Task<void> &t : pending)
    co_await std::move(t);
}

// emplace_back returns a reference to the stored task: nothing is dropped.
Task<void> flush_all_emplace_ok(const std::vector<int> &fds) {
  std::vector<Task<void>> pending;
  pending.reserve(fds.size());
  for (int fd : fds)
    pending.emplace_back(flush(fd));
  for (Task<void> &t : pending)
    co_await std::move(t);
}

// A group that adopts tasks and runs them; add() returns the stored task.
class TaskGroup {
public:
  Task<void> &add(Task<void> t) {
    tasks_.push_back(std::move(t));
    return tasks_.back();
  }
  Task<void> join_all();

private:
  std::vector<Task<void>> tasks_;
};

Task<void> flush_group_ok(TaskGroup &group, std::vector<int> fds) {
  for (int fd : fds)
    group.add(flush(fd));
  co_await group.join_all();
}

// ------------------------------------------------- eager coroutines run --

FireAndForget log_async(int fd) {
  std::string line = co_await async_read(fd);
  log_line(line);
}

void on_readable_ok(int fd) {
  log_async(fd); // started at once: dropping the handle is the idiom
}

// -------------------------------------------------------------- generators --

template <class T> class Generator {
public:
  struct promise_type {
    T current{};
    Generator get_return_object() noexcept {
      return Generator(std::coroutine_handle<promise_type>::from_promise(*this));
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
  explicit Generator(std::coroutine_handle<promise_type> h) : h_(h) {}
  Generator(Generator &&o) noexcept : h_(std::exchange(o.h_, {})) {}
  ~Generator() {
    if (h_)
      h_.destroy();
  }
  bool next() {
    h_.resume();
    return !h_.done();
  }
  const T &value() const { return h_.promise().current; }

private:
  std::coroutine_handle<promise_type> h_;
};

Generator<int> fds_in_range(int lo, int hi) {
  for (int fd = lo; fd < hi; ++fd)
    co_yield fd;
}

void close_range_ok(int lo, int hi) {
  Generator<int> g = fds_in_range(lo, hi);
  while (g.next())
    log_line(std::to_string(g.value()));
}

// ---------------------------------------------------------- out of reach --

// Stored in a variable and never awaited: the body never runs either, but
// only expression statements are checked.
void FN_stored_never_awaited(int fd) {
  Task<void> t = flush(fd);
  log_line("flushed?");
}
