// A std::mutex held through a guard (std::lock_guard, std::unique_lock,
// std::scoped_lock, std::shared_lock, a user RAII guard) across a co_await:
// the coroutine suspends with the mutex locked, every other user of the
// mutex blocks its thread until the coroutine is resumed, and a coroutine
// resumed on another thread unlocks a mutex it does not own. Negative
// cases: the guard's scope ends before the co_await, unique_lock::unlock()
// before it, the lock taken after it, co_return under a guard, and guards in
// ordinary functions.
#include <coroutine>
#include <exception>
#include <map>
#include <mutex>
#include <shared_mutex>
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

// An awaitable network call: the coroutine suspends until the reply comes.
struct Reply {
  std::string key;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  std::string await_resume();
};

class Client {
public:
  Reply get(std::string key) { return Reply{std::move(key)}; }
};

struct Ack {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  bool await_resume();
};
Ack publish(const std::string &topic, const std::string &value);

// ------------------------------------------------------ a cache in a server --

class Cache {
public:
  explicit Cache(Client &c) : client_(c) {}

  Task refresh_bad(std::string key) {
    std::lock_guard<std::mutex> lock(mu_); // expect-note: "'Cache::mu_' is locked here"
    std::string value = co_await client_.get(key); // expect: threadlint-lock-across-suspend "'Cache::mu_' (locked at line 60) is held across 'co_await': while the coroutine is suspended, any other coroutine this thread runs that needs 'Cache::mu_' blocks it"
    entries_[key] = std::move(value);
  }

  // Fetch first, then lock for the update only.
  Task refresh_ok(std::string key) {
    std::string value = co_await client_.get(key);
    std::lock_guard<std::mutex> lock(mu_);
    entries_[key] = std::move(value);
  }

  // Read under the lock in its own scope, then suspend.
  Task refresh_if_missing_ok(std::string key) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (entries_.count(key))
        co_return;
    }
    std::string value = co_await client_.get(key);
    std::lock_guard<std::mutex> lock(mu_);
    entries_.emplace(key, std::move(value));
  }

  Task refresh_all_bad() {
    std::unique_lock<std::mutex> lock(mu_); // expect-note: "'Cache::mu_' is locked here"
    for (auto &[key, value] : entries_)
      value = co_await client_.get(key); // expect: threadlint-lock-across-suspend "'Cache::mu_' (locked at line 85) is held across 'co_await'"
  }

  // Snapshot the keys, release, then await each.
  Task refresh_all_ok() {
    std::unique_lock<std::mutex> lock(mu_);
    std::vector<std::string> keys;
    for (auto &entry : entries_)
      keys.push_back(entry.first);
    lock.unlock();
    for (const std::string &key : keys) {
      std::string value = co_await client_.get(key);
      lock.lock();
      entries_[key] = std::move(value);
      lock.unlock();
    }
  }

  // Unlocked around the first await, but the second one runs locked again.
  Task refresh_twice_bad(std::string key) {
    std::unique_lock<std::mutex> lock(mu_);
    lock.unlock();
    std::string first = co_await client_.get(key);
    lock.lock(); // expect-note: "'Cache::mu_' is locked here"
    entries_[key] = first;
    std::string second = co_await client_.get(key); // expect: threadlint-lock-across-suspend "'Cache::mu_' (locked at line 110) is held across 'co_await'"
    entries_[key] = std::move(second);
  }

  // A guard in a coroutine that does not suspend while it is held.
  Task lookup_ok(std::string key, std::string &out) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end())
      out = it->second;
    co_return;
  }

  // An ordinary function: no suspension at all.
  std::size_t size_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_.size();
  }

private:
  Client &client_;
  std::mutex mu_;
  std::map<std::string, std::string> entries_;
};

// ------------------------------------------------- scoped_lock, shared_lock --

std::mutex g_outbox_mu;
std::vector<std::pair<std::string, std::string>> g_outbox;

Task drain_outbox_bad() {
  std::scoped_lock lock(g_outbox_mu); // expect-note: "'g_outbox_mu' is locked here"
  while (!g_outbox.empty()) {
    co_await publish(g_outbox.back().first, g_outbox.back().second); // expect: threadlint-lock-across-suspend "'g_outbox_mu' (locked at line 143) is held across 'co_await'"
    g_outbox.pop_back();
  }
}

Task drain_outbox_ok() {
  std::vector<std::pair<std::string, std::string>> batch;
  {
    std::scoped_lock lock(g_outbox_mu);
    batch.swap(g_outbox);
  }
  for (auto &[topic, value] : batch)
    co_await publish(topic, value);
}

class Registry {
public:
  Task announce_bad() {
    std::shared_lock<std::shared_mutex> read(mu_); // expect-note: "'Registry::mu_' is locked here"
    for (const std::string &name : names_)
      co_await publish("registry", name); // expect: threadlint-lock-across-suspend "'Registry::mu_' (locked at line 163) is held across 'co_await'"
  }

  Task announce_ok() {
    std::vector<std::string> names;
    {
      std::shared_lock<std::shared_mutex> read(mu_);
      names = names_;
    }
    for (const std::string &name : names)
      co_await publish("registry", name);
  }

private:
  std::shared_mutex mu_;
  std::vector<std::string> names_;
};

// -------------------------------------------------------- a user RAII guard --

class SpinLock {
public:
  void lock();
  void unlock();
};

class SpinGuard {
public:
  explicit SpinGuard(SpinLock &l) : l_(l) { l_.lock(); }
  ~SpinGuard() { l_.unlock(); }

private:
  SpinLock &l_;
};

SpinLock g_stats_lock;
long g_published = 0;

Task publish_counted_bad(std::string topic, std::string value) {
  SpinGuard guard(g_stats_lock); // expect-note: "'g_stats_lock' is locked here"
  if (co_await publish(topic, value)) // expect: threadlint-lock-across-suspend "'g_stats_lock' (locked at line 204) is held across 'co_await'"
    ++g_published;
}

Task publish_counted_ok(std::string topic, std::string value) {
  bool ok = co_await publish(topic, value);
  SpinGuard guard(g_stats_lock);
  if (ok)
    ++g_published;
}
