// Locks held across a suspension along the control flow: a successful
// try_lock(), std::lock() of two mutexes adopted by guards, a
// std::recursive_mutex, and a guard declared before a loop that awaits.
// Negative cases: every path releases the lock before the co_await (early
// unlock in each branch, a failed try_lock that never holds it), a lock
// taken and released inside each iteration before its await, a
// std::unique_lock moved into a helper that ends the critical section, and
// a co_await in a loop whose body locks afterwards.
#include <coroutine>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

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

struct Flush {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  bool await_resume() noexcept;
};
Flush flush_to_disk(std::vector<std::string> lines);

struct Message {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  std::string await_resume();
};
Message next_message();

// ------------------------------------------------------------------ a log --

class Journal {
public:
  // try_lock() succeeded: the lock is held in the branch that awaits.
  Task flush_if_idle_bad() {
    if (mu_.try_lock()) { // expect-note: "'Journal::mu_' is locked here"
      co_await flush_to_disk(pending_); // expect: threadlint-lock-across-suspend "'Journal::mu_' (locked at line 50) is held across 'co_await'"
      pending_.clear();
      mu_.unlock();
    }
  }

  Task flush_if_idle_ok() {
    std::vector<std::string> batch;
    if (mu_.try_lock()) {
      batch.swap(pending_);
      mu_.unlock();
    }
    if (!batch.empty())
      co_await flush_to_disk(std::move(batch));
  }

  // Each branch releases the lock before suspending.
  Task flush_some_ok(bool everything) {
    std::unique_lock<std::mutex> lock(mu_);
    std::vector<std::string> batch;
    if (everything) {
      batch.swap(pending_);
      lock.unlock();
    } else {
      if (!pending_.empty()) {
        batch.push_back(pending_.back());
        pending_.pop_back();
      }
      lock.unlock();
    }
    co_await flush_to_disk(std::move(batch));
  }

  // Early return under the lock, otherwise release, then suspend.
  Task flush_nonempty_ok() {
    std::unique_lock<std::mutex> lock(mu_);
    if (pending_.empty())
      co_return;
    std::vector<std::string> batch = std::move(pending_);
    pending_.clear();
    lock.unlock();
    co_await flush_to_disk(std::move(batch));
  }

  // Appends each message under the lock; awaits the next one unlocked.
  Task collect_ok() {
    for (;;) {
      std::string m = co_await next_message();
      std::lock_guard<std::mutex> lock(mu_);
      pending_.push_back(std::move(m));
    }
  }

  // The lock is handed to a helper that ends the critical section: after
  // the call, the moved-from guard owns nothing.
  Task flush_handoff_ok() {
    std::unique_lock<std::mutex> lock(mu_);
    std::vector<std::string> batch;
    take_all(std::move(lock), batch);
    co_await flush_to_disk(std::move(batch));
  }

  // One guard for the whole loop: every await runs locked.
  Task collect_bad() {
    std::lock_guard<std::mutex> lock(mu_); // expect-note: "'Journal::mu_' is locked here"
    for (int i = 0; i < 16; ++i)
      pending_.push_back(co_await next_message()); // expect: threadlint-lock-across-suspend "'Journal::mu_' (locked at line 115) is held across 'co_await'"
  }

private:
  // Takes over the caller's lock; it is released when this returns.
  void take_all(std::unique_lock<std::mutex> lock, std::vector<std::string> &out) {
    out.swap(pending_);
  }

  std::mutex mu_;
  std::vector<std::string> pending_;
};

// ------------------------------------------------------- two locks at once --

struct Account {
  std::mutex mu;
  long balance = 0;
};

struct Audit {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() noexcept {}
};
Audit record_transfer(long amount);

Task transfer_bad(Account &from, Account &to, long amount) {
  std::lock(from.mu, to.mu); // expect-note: "'Account::mu' is locked here"
  std::lock_guard<std::mutex> a(from.mu, std::adopt_lock);
  std::lock_guard<std::mutex> b(to.mu, std::adopt_lock);
  from.balance -= amount;
  to.balance += amount;
  co_await record_transfer(amount); // expect: threadlint-lock-across-suspend "'Account::mu' (locked at line 145) is held across 'co_await'"
}

Task transfer_ok(Account &from, Account &to, long amount) {
  {
    std::scoped_lock both(from.mu, to.mu);
    from.balance -= amount;
    to.balance += amount;
  }
  co_await record_transfer(amount);
}

// ------------------------------------------------------ a recursive mutex --

std::recursive_mutex g_registry_mu;
std::map<std::string, int> g_registry;

Task register_all_bad(std::vector<std::string> names) {
  std::lock_guard<std::recursive_mutex> lock(g_registry_mu); // expect-note: "'g_registry_mu' is locked here"
  for (const std::string &n : names) {
    g_registry[n] = 0;
    co_await record_transfer(0); // expect: threadlint-lock-across-suspend "'g_registry_mu' (locked at line 168) is held across 'co_await'"
  }
}

Task register_all_ok(std::vector<std::string> names) {
  for (const std::string &n : names) {
    {
      std::lock_guard<std::recursive_mutex> lock(g_registry_mu);
      g_registry[n] = 0;
    }
    co_await record_transfer(0);
  }
}

// ---------------------------------------------------------- out of reach --

// Held on one path only (fast == false): the check wants the lock held on
// every path that reaches the co_await, so this is not reported.
Task FN_held_on_one_path(bool fast) {
  static std::mutex mu;
  std::unique_lock<std::mutex> lock(mu);
  if (fast)
    lock.unlock();
  co_await record_transfer(0);
}
