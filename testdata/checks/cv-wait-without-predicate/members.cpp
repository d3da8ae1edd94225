// cv-wait-without-predicate on condition variables that are members of
// classes whose methods run in threads: a blocking queue (a class template
// instantiated twice: one finding per wait), a worker pool, a one-shot
// event and a connection reached through a pointer. Positive cases: an `if`
// that tests the queue once, a timed pop whose wait_for is only guarded by
// that `if`, a worker loop with no exit at all, a wait through `this->`.
// Negative cases: the predicate overloads, `while` loops that re-check the
// state, a worker loop that re-checks through `if`s before waiting, and the
// member functions called `wait` of classes that are not condition
// variables.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// ------------------------------------------------- a blocking queue --

template <typename T> class BlockingQueue {
public:
  void push(T v) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      items_.push_back(std::move(v));
    }
    not_empty_.notify_one();
  }

  void close() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      closed_ = true;
    }
    not_empty_.notify_all();
  }

  // A spurious wakeup, or a second consumer that got there first, leaves
  // the queue empty when front() runs.
  T pop_bad() {
    std::unique_lock<std::mutex> lk(mu_);
    if (items_.empty())
      not_empty_.wait(lk); // expect: threadlint-cv-wait-without-predicate "'not_empty_.wait' is not in a loop that re-checks its condition"
    T v = std::move(items_.front());
    items_.pop_front();
    return v;
  }

  std::optional<T> pop_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    not_empty_.wait(lk, [this] { return closed_ || !items_.empty(); });
    if (items_.empty())
      return std::nullopt;
    T v = std::move(items_.front());
    items_.pop_front();
    return v;
  }

  std::optional<T> pop_loop_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    while (items_.empty() && !closed_)
      not_empty_.wait(lk);
    if (items_.empty())
      return std::nullopt;
    T v = std::move(items_.front());
    items_.pop_front();
    return v;
  }

  // Gives up early on a spurious wakeup: the caller sees "timed out" long
  // before the timeout.
  std::optional<T> pop_for_bad(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lk(mu_);
    if (items_.empty())
      not_empty_.wait_for(lk, timeout); // expect: threadlint-cv-wait-without-predicate "'not_empty_.wait_for' is not in a loop that re-checks its condition: a spurious wakeup returns from it with the condition still false, and a notification sent before the wait began is lost; use the overload with a predicate: not_empty_.wait_for(lk, timeout, [&] { return <condition>; })"
    if (items_.empty())
      return std::nullopt;
    T v = std::move(items_.front());
    items_.pop_front();
    return v;
  }

  std::optional<T> pop_for_ok(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lk(mu_);
    if (!not_empty_.wait_for(lk, timeout, [this] { return !items_.empty(); }))
      return std::nullopt;
    T v = std::move(items_.front());
    items_.pop_front();
    return v;
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> lk(mu_);
    return items_.size();
  }

private:
  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::deque<T> items_;
  bool closed_ = false;
};

template class BlockingQueue<int>;
template class BlockingQueue<std::string>;

void consume(int v);

void run_pipeline_ok() {
  BlockingQueue<int> q;
  std::thread consumer([&q] {
    while (auto v = q.pop_ok())
      consume(*v);
  });
  for (int i = 0; i < 100; ++i)
    q.push(i);
  q.close();
  consumer.join();
}

// ---------------------------------------------------- a worker pool --

class WorkerPool {
public:
  explicit WorkerPool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { run_ok(); });
  }

  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread &t : workers_)
      t.join();
  }

  void submit(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
  }

private:
  void run_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      cv_.wait(lk, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty())
        return;
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lk.unlock();
      task();
      lk.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// The same pool, written without a predicate: nothing re-checks the task
// list after a wakeup, and no condition ends the loop.
class LeakyPool {
public:
  explicit LeakyPool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { run_bad(); });
  }

  ~LeakyPool() {
    for (std::thread &t : workers_)
      t.detach();
  }

  void submit(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
  }

private:
  void run_bad() {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      cv_.wait(lk); // expect: threadlint-cv-wait-without-predicate "'cv_.wait' is not in a loop that re-checks its condition"
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lk.unlock();
      task();
      lk.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> workers_;
};

// A stop flag checked after the wait, and nothing else: a spurious wakeup
// (or a notify_one for a task another worker already took) pops an empty
// deque. The `if (stopping_) return;` counts as the loop's re-check, so this
// is not reported: the check does not look at what the body does with the
// state after the exit test.
class StoppablePool {
public:
  explicit StoppablePool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { FN_run_checks_only_stop(); });
  }

  ~StoppablePool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread &t : workers_)
      t.join();
  }

private:
  void FN_run_checks_only_stop() {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      cv_.wait(lk);
      if (stopping_)
        return;
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lk.unlock();
      task();
      lk.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// A loop whose condition is a different condition: 'running_' keeps the
// consumer going, but nothing re-checks the queue after the wait, and a
// spurious wakeup pops an empty deque. Any loop with a condition counts as
// the re-check, so this is not reported.
class Consumer {
public:
  void FN_loop_on_other_condition() {
    std::unique_lock<std::mutex> lk(mu_);
    while (running_) {
      if (items_.empty())
        cv_.wait(lk);
      int v = items_.front();
      items_.pop_front();
      lk.unlock();
      consume(v);
      lk.lock();
    }
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> items_;
  bool running_ = true;
};

// -------------------------------------------------- a one-shot event --

class Event {
public:
  void set() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      set_ = true;
    }
    cv_.notify_all();
  }

  void wait_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return set_; });
  }

  bool wait_for_ok(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lk(mu_);
    return cv_.wait_for(lk, timeout, [this] { return set_; });
  }

  // Written with this->: the same mistake.
  void wait_bad() {
    std::unique_lock<std::mutex> lk(mu_);
    if (!set_)
      this->cv_.wait(lk); // expect: threadlint-cv-wait-without-predicate "'this->cv_.wait' is not in a loop that re-checks its condition"
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool set_ = false;
};

// Event::wait_ok() is not a condition-variable wait; it loops inside.
void start_after_event_ok(Event &ev) {
  ev.wait_ok();
  consume(1);
}

// --------------------------------------- a connection, via a pointer --

struct Connection {
  std::mutex mu;
  std::condition_variable ack_cv;
  unsigned acked = 0;
  unsigned sent = 0;
};

void await_ack_bad(Connection *c, unsigned seq) {
  std::unique_lock<std::mutex> lk(c->mu);
  if (c->acked < seq)
    c->ack_cv.wait(lk); // expect: threadlint-cv-wait-without-predicate "'c->ack_cv.wait' is not in a loop that re-checks its condition"
}

void await_ack_ok(Connection *c, unsigned seq) {
  std::unique_lock<std::mutex> lk(c->mu);
  c->ack_cv.wait(lk, [c, seq] { return c->acked >= seq; });
}

void on_ack(Connection *c, unsigned seq) {
  {
    std::lock_guard<std::mutex> lk(c->mu);
    c->acked = seq;
  }
  c->ack_cv.notify_all();
}

void run_connection() {
  Connection c;
  std::thread sender([&c] { await_ack_ok(&c, 3); });
  on_ack(&c, 3);
  sender.join();
  WorkerPool pool(4);
  pool.submit([] { consume(2); });
}
