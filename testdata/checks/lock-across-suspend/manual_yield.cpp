// Locks taken by hand (mutex::lock(), pthread_mutex_lock) and held across a
// co_await, and a generator that co_yields while a lock is held (the
// consumer runs arbitrary code, maybe on another thread, with the lock
// taken). Negative cases: unlock() before the suspension, async-aware
// mutexes (cppcoro-style async_mutex with lock_async()/scoped_lock_async(),
// and one with acquire()/release()) whose waiting suspends instead of
// blocking, a coroutine lambda created under a lock but run later, and
// co_yield after the lock is released.
#include <pthread.h>

#include <coroutine>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
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

struct Write {
  std::string data;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() noexcept {}
};
Write async_write(int fd, std::string data);

// --------------------------------------------------------- manual lock() --

std::mutex g_log_mu;
std::deque<std::string> g_log;

Task ship_log_bad(int fd) {
  g_log_mu.lock(); // expect-note: "'g_log_mu' is locked here"
  while (!g_log.empty()) {
    co_await async_write(fd, g_log.front()); // expect: threadlint-lock-across-suspend "'g_log_mu' (locked at line 66) is held across 'co_await'"
    g_log.pop_front();
  }
  g_log_mu.unlock();
}

Task ship_log_ok(int fd) {
  g_log_mu.lock();
  std::deque<std::string> batch;
  batch.swap(g_log);
  g_log_mu.unlock();
  for (std::string &line : batch)
    co_await async_write(fd, std::move(line));
}

// ------------------------------------------------------- pthread mutexes --

pthread_mutex_t g_conn_mu = PTHREAD_MUTEX_INITIALIZER;
int g_conn_fd = -1;

Task send_hello_bad() {
  pthread_mutex_lock(&g_conn_mu); // expect-note: "'g_conn_mu' is locked here"
  co_await async_write(g_conn_fd, "HELLO\r\n"); // expect: threadlint-lock-across-suspend "'g_conn_mu' (locked at line 89) is held across 'co_await'"
  pthread_mutex_unlock(&g_conn_mu);
}

Task send_hello_ok() {
  pthread_mutex_lock(&g_conn_mu);
  int fd = g_conn_fd;
  pthread_mutex_unlock(&g_conn_mu);
  co_await async_write(fd, "HELLO\r\n");
}

// ------------------------------------------------------------- generators --

class JobQueue {
public:
  Generator<std::string> drain_bad() {
    std::lock_guard<std::mutex> lock(mu_); // expect-note: "'JobQueue::mu_' is locked here"
    for (const std::string &job : jobs_)
      co_yield job; // expect: threadlint-lock-across-suspend "'JobQueue::mu_' (locked at line 106) is held across 'co_yield'"
  }

  Generator<std::string> drain_ok() {
    std::vector<std::string> jobs;
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs.swap(jobs_);
    }
    for (std::string &job : jobs)
      co_yield std::move(job);
  }

  // Locks per item, and yields outside each critical section.
  Generator<std::string> pop_each_ok() {
    for (;;) {
      std::string job;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (jobs_.empty())
          co_return;
        job = std::move(jobs_.back());
        jobs_.pop_back();
      }
      co_yield std::move(job);
    }
  }

private:
  std::mutex mu_;
  std::vector<std::string> jobs_;
};

// ---------------------------------------------------- async-aware mutexes --

// cppcoro-style: waiting for the mutex suspends the coroutine; the scoped
// lock it returns releases it on destruction. There is no blocking lock().
class async_mutex;

class async_mutex_lock {
public:
  async_mutex_lock(async_mutex &m, std::adopt_lock_t) noexcept : m_(&m) {}
  async_mutex_lock(async_mutex_lock &&o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
  ~async_mutex_lock();

private:
  async_mutex *m_;
};

class async_mutex {
public:
  struct lock_operation {
    async_mutex &m;
    bool await_ready() const noexcept { return m.try_lock(); }
    bool await_suspend(std::coroutine_handle<> h) noexcept;
    void await_resume() const noexcept {}
  };
  struct scoped_lock_operation {
    async_mutex &m;
    bool await_ready() const noexcept { return m.try_lock(); }
    bool await_suspend(std::coroutine_handle<> h) noexcept;
    async_mutex_lock await_resume() const noexcept { return async_mutex_lock(m, std::adopt_lock); }
  };

  bool try_lock() noexcept;
  lock_operation lock_async() noexcept { return lock_operation{*this}; }
  scoped_lock_operation scoped_lock_async() noexcept { return scoped_lock_operation{*this}; }
  void unlock();
};

inline async_mutex_lock::~async_mutex_lock() {
  if (m_)
    m_->unlock();
}

async_mutex g_session_mu;
std::vector<std::string> g_session_log;

Task append_session_ok(int fd, std::string line) {
  async_mutex_lock lock = co_await g_session_mu.scoped_lock_async();
  g_session_log.push_back(line);
  co_await async_write(fd, std::move(line));
}

// An async mutex with acquire()/release() and a guard returned by
// co_await: nothing here is a blocking lock.
class AsyncLock {
public:
  class Guard {
  public:
    explicit Guard(AsyncLock *owner) : owner_(owner) {}
    Guard(Guard &&o) noexcept : owner_(std::exchange(o.owner_, nullptr)) {}
    ~Guard() {
      if (owner_)
        owner_->release();
    }

  private:
    AsyncLock *owner_;
  };
  struct Acquire {
    AsyncLock &l;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h);
    Guard await_resume() { return Guard(&l); }
  };
  Acquire acquire() { return Acquire{*this}; }
  void release();
};

AsyncLock g_flush_lock;

Task flush_serialised_ok(int fd, std::string data) {
  AsyncLock::Guard guard = co_await g_flush_lock.acquire();
  co_await async_write(fd, std::move(data));
}

// ----------------------------------------- coroutine lambdas run later --

class Dispatcher {
public:
  // Not a coroutine: it builds one under the lock and queues it. The
  // co_await belongs to the lambda, which runs after the guard is gone.
  void schedule_ok(int fd, std::string data) {
    std::lock_guard<std::mutex> lock(mu_);
    auto send = [fd](std::string d) -> Task { co_await async_write(fd, std::move(d)); };
    pending_.push_back(send(std::move(data)));
  }

  Task run_ok() {
    std::vector<Task> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(pending_);
    }
    for (Task &t : batch)
      t.handle.resume();
    co_return;
  }

private:
  std::mutex mu_;
  std::vector<Task> pending_;
};
