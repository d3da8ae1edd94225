// cv-lost-wakeup on fields of classes whose methods run in threads: a work
// queue closed without its mutex, a push whose append ended up outside the
// critical section, a thread pool whose destructor sets an atomic stop flag
// without the mutex before notify_all, a countdown latch that decrements a
// std::atomic count and notifies, a pipeline stage whose stop() clears its
// running flag unlocked, and a flush request whose waiter's predicate is a
// named lambda. Negative cases: the same classes written correctly (the
// state changed under the waiter's mutex, notified inside or after the
// critical section), a helper that writes and notifies and is only called
// with the mutex held, a stop() that unlocks a unique_lock before
// notifying, and a counter of notifications that no predicate reads. Known
// false negative: a predicate that reads the state through a getter.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

void handle(int item);

// ------------------------------------------------------ a work queue --

class WorkQueue {
public:
  void push_ok(int v) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      items_.push_back(v);
    }
    cv_.notify_one();
  }

  // The critical section was narrowed to the counter; the append ended up
  // outside it.
  void push_bad(int v) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      ++pushes_;
    }
    items_.push_back(v); // expect: threadlint-cv-lost-wakeup "'WorkQueue::items_' is written without holding 'WorkQueue::mu_' before 'cv_' is notified"
    cv_.notify_one();
  }

  // A consumer that has just found the queue empty and not yet slept
  // misses this notify, and close() returns while it sleeps forever.
  void close_bad() {
    closed_ = true; // expect: threadlint-cv-lost-wakeup "'WorkQueue::closed_' is written without holding 'WorkQueue::mu_' before 'cv_' is notified"
    cv_.notify_all();
  }

  void close_ok() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

  // The write is in a helper that every caller calls with mu_ held.
  void push_batch_ok(const std::vector<int> &vs) {
    std::lock_guard<std::mutex> lk(mu_);
    for (int v : vs)
      push_locked(v);
  }

  std::optional<int> pop() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return closed_ || !items_.empty(); }); // expect-note: "the waiter checks 'WorkQueue::closed_' under 'WorkQueue::mu_' here"
    if (items_.empty())
      return std::nullopt;
    int v = items_.front();
    items_.pop_front();
    return v;
  }

private:
  // Called with mu_ held.
  void push_locked(int v) {
    items_.push_back(v);
    cv_.notify_one();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> items_;
  bool closed_ = false;
  unsigned long pushes_ = 0;
};

void drain_queue_ok() {
  WorkQueue q;
  std::thread consumer([&q] {
    while (auto v = q.pop())
      handle(*v);
  });
  for (int i = 0; i < 100; ++i)
    q.push_ok(i);
  q.push_batch_ok({100, 101, 102});
  q.close_ok();
  consumer.join();
}

// -------------------------------------------------- countdown latches --

// The count is atomic, so the decrement itself is safe; the wakeup is
// not: the last count_down() can run between a waiter's test of count_ and
// its sleep.
class AtomicLatch {
public:
  explicit AtomicLatch(int n) : count_(n) {}

  void count_down_bad() {
    if (count_.fetch_sub(1) == 1) // expect: threadlint-cv-lost-wakeup "'AtomicLatch::count_' is written without holding 'AtomicLatch::mu_' before 'cv_' is notified"
      cv_.notify_all(); // expect-note: "'cv_' is notified here"
  }

  void wait() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return count_.load() == 0; }); // expect-note: "the waiter checks 'AtomicLatch::count_' under 'AtomicLatch::mu_' here"
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<int> count_;
};

class Latch {
public:
  explicit Latch(int n) : count_(n) {}

  void count_down_ok() {
    std::lock_guard<std::mutex> lk(mu_);
    if (--count_ == 0)
      cv_.notify_all();
  }

  void wait() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return count_ == 0; });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_;
};

void run_latches_ok() {
  AtomicLatch a(2);
  Latch b(2);
  std::vector<std::thread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&] {
      a.count_down_bad();
      b.count_down_ok();
    });
  a.wait();
  b.wait();
  for (std::thread &t : ts)
    t.join();
}

// ------------------------------------------------- a pipeline stage --

class Stage {
public:
  explicit Stage(std::function<void(int)> sink) : sink_(std::move(sink)) {
    thread_ = std::thread([this] { run(); });
  }

  void feed_ok(int v) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      inbox_.push_back(v);
    }
    wake_.notify_one();
  }

  // The stage thread can miss the notify, and join() then hangs.
  void stop_bad() {
    running_ = false; // expect: threadlint-cv-lost-wakeup "'Stage::running_' is written without holding 'Stage::mu_' before 'wake_' is notified"
    wake_.notify_one();
    thread_.join();
  }

  // The unique_lock is released before the notify: the write was under it.
  void stop_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    running_ = false;
    lk.unlock();
    wake_.notify_one();
    thread_.join();
  }

private:
  void run() {
    std::unique_lock<std::mutex> lk(mu_);
    while (running_ || !inbox_.empty()) {
      wake_.wait(lk, [this] { return !running_ || !inbox_.empty(); }); // expect-note: "the waiter checks 'Stage::running_' under 'Stage::mu_' here"
      while (!inbox_.empty()) {
        int v = inbox_.front();
        inbox_.pop_front();
        lk.unlock();
        sink_(v);
        lk.lock();
      }
    }
  }

  std::function<void(int)> sink_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<int> inbox_;
  bool running_ = true;
  std::thread thread_;
};

// ----------------------------------------------------- a thread pool --

// The stop flag is set in the destructor, while the workers still run: a
// worker between its predicate check and its sleep misses notify_all(),
// and the join() below never returns. A destructor is not single-threaded
// when it is what stops the threads.
class ThreadPool {
public:
  explicit ThreadPool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { run(); });
  }

  ~ThreadPool() {
    stop_.store(true); // expect: threadlint-cv-lost-wakeup "'ThreadPool::stop_' is written without holding 'ThreadPool::mu_' before 'cv_' is notified"
    cv_.notify_all();
    for (std::thread &t : workers_)
      t.join();
  }

  void submit_ok(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
  }

private:
  void run() {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      cv_.wait(lk, [this] { return stop_.load() || !tasks_.empty(); }); // expect-note: "the waiter checks 'ThreadPool::stop_' under 'ThreadPool::mu_' here"
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
  std::atomic<bool> stop_{false};
  std::vector<std::thread> workers_;
};

// The same pool with the flag set under the mutex.
class SafeThreadPool {
public:
  explicit SafeThreadPool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { run(); });
  }

  ~SafeThreadPool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread &t : workers_)
      t.join();
  }

  void submit_ok(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
  }

private:
  void run() {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      cv_.wait(lk, [this] { return stop_ || !tasks_.empty(); });
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
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

void run_pools_ok() {
  ThreadPool a(2);
  a.submit_ok([] { handle(1); });
  SafeThreadPool b(2);
  b.submit_ok([] { handle(2); });
}

// ------------------------------------------------ a flush request --

// The predicate is a named lambda; it reads 'flush_requested_' like an
// inline one.
class Flusher {
public:
  void request_flush_bad() {
    flush_requested_ = true; // expect: threadlint-cv-lost-wakeup "'Flusher::flush_requested_' is written without holding 'Flusher::mu_' before 'cv_' is notified"
    cv_.notify_one();
  }

  void request_flush_ok() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      flush_requested_ = true;
    }
    cv_.notify_one();
  }

  void await_flush_request() {
    std::unique_lock<std::mutex> lk(mu_);
    auto requested = [this] { return flush_requested_; };
    cv_.wait(lk, requested);
    flush_requested_ = false;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool flush_requested_ = false;
};

// The predicate calls a getter; the check does not look into it, so the
// state it reads is not known.
class Loader {
public:
  void FN_finish_through_getter() {
    loaded_ = true;
    cv_.notify_all();
  }

  void await_loaded() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return is_loaded(); });
  }

private:
  bool is_loaded() const { return loaded_; }

  std::mutex mu_;
  std::condition_variable cv_;
  bool loaded_ = false;
};

// ------------------------------------------- counting notifications --

// 'signals_' is not part of any predicate: counting the notify outside
// the lock loses nothing.
class Doorbell {
public:
  void ring_ok() {
    signals_.fetch_add(1, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lk(mu_);
      ++rings_;
    }
    cv_.notify_all();
  }

  unsigned long await_ring_ok(unsigned long seen) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return rings_ != seen; });
    return rings_;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  unsigned long rings_ = 0;
  std::atomic<unsigned long> signals_{0};
};

void run_stage_ok() {
  Flusher f;
  std::thread flusher([&f] { f.await_flush_request(); });
  f.request_flush_ok();
  flusher.join();
  Loader l;
  std::thread loader([&l] { l.await_loaded(); });
  l.FN_finish_through_getter();
  loader.join();
  Stage s(handle);
  s.feed_ok(1);
  s.stop_ok();
  Doorbell bell;
  std::thread listener([&bell] { bell.await_ring_ok(0); });
  bell.ring_ok();
  listener.join();
}
