// Joining threads, waiting for futures, semaphores and latches under a lock.
#include <chrono>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <semaphore>
#include <thread>
#include <vector>

class WorkerPool {
public:
  void start_ok(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    for (int i = 0; i < n; ++i)
      threads_.emplace_back([this] { run(); });
  }

  void shutdown_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (auto &t : threads_)
      t.join(); // expect: threadlint-blocking-in-critical-section "'std::thread::join' waits for a thread to finish while holding 'WorkerPool::mu_'"
    threads_.clear();
  }

  void shutdown_ok() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      threads.swap(threads_);
    }
    for (auto &t : threads)
      t.join();
  }

  // detach() does not wait.
  void abandon_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto &t : threads_)
      t.detach();
    threads_.clear();
  }

  void stop_monitor_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    monitor_->join(); // expect: threadlint-blocking-in-critical-section "'std::thread::join' waits for a thread to finish while holding 'WorkerPool::mu_'"
  }

  void stop_reaper_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    reaper_.request_stop();
    reaper_.join(); // expect: threadlint-blocking-in-critical-section "'std::jthread::join' waits for a thread to finish while holding 'WorkerPool::mu_'"
  }

  // request_stop() does not wait; the jthread joins in its destructor,
  // outside the lock here.
  void stop_reaper_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    reaper_.request_stop();
  }

  bool joinable_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return monitor_ && monitor_->joinable();
  }

  // Futures.
  int compute_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    auto f = std::async(std::launch::async, [] { return 42; });
    return f.get(); // expect: threadlint-blocking-in-critical-section "'std::future::get' waits for a future while holding 'WorkerPool::mu_'"
  }

  int compute_ok() {
    auto f = std::async(std::launch::async, [] { return 42; });
    int v = f.get();
    std::lock_guard<std::mutex> lock(mu_);
    last_ = v;
    return v;
  }

  int shared_result_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    return shared_.get(); // expect: threadlint-blocking-in-critical-section "'std::shared_future::get' waits for a future while holding 'WorkerPool::mu_'"
  }

  // Copying a shared_future under the lock, waiting outside.
  int shared_result_ok() {
    std::shared_future<int> f;
    {
      std::lock_guard<std::mutex> lock(mu_);
      f = shared_;
    }
    return f.get();
  }

  // Fulfilling a promise does not block.
  void publish_ok(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    promise_.set_value(v);
  }

  // Semaphores and latches.
  void reserve_slot_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    slots_.acquire(); // expect: threadlint-blocking-in-critical-section "'std::counting_semaphore::acquire' waits while holding 'WorkerPool::mu_'"
    ++active_;
  }

  void reserve_slot_ok() {
    slots_.acquire();
    std::lock_guard<std::mutex> lock(mu_);
    ++active_;
  }

  bool try_reserve_slot_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!slots_.try_acquire())
      return false;
    ++active_;
    return true;
  }

  void release_slot_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    --active_;
    slots_.release();
  }

  void await_startup_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    started_.wait(); // expect: threadlint-blocking-in-critical-section "'std::latch::wait' waits while holding 'WorkerPool::mu_'"
  }

  void signal_started_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    started_.count_down();
  }

private:
  void run() {}

  std::mutex mu_;
  std::vector<std::thread> threads_;
  std::unique_ptr<std::thread> monitor_;
  std::jthread reaper_;
  std::shared_future<int> shared_;
  std::promise<int> promise_;
  std::counting_semaphore<8> slots_{8};
  std::latch started_{1};
  bool stopping_ = false;
  int last_ = 0;
  int active_ = 0;
};

// ------------------------------------- a result cache for async lookups --

class AsyncCache {
public:
  // Stores the future under the lock; nobody waits here.
  void start_ok(int key) {
    auto f = std::async(std::launch::async, [key] { return key * 2; }).share();
    std::lock_guard<std::mutex> lock(mu_);
    pending_[key % 16] = f;
  }

  // Polls readiness with a zero timeout outside the lock.
  bool ready_ok(int key) {
    std::shared_future<int> f;
    {
      std::lock_guard<std::mutex> lock(mu_);
      f = pending_[key % 16];
    }
    return f.valid() &&
           f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }

  // Gets the value outside the lock.
  int value_ok(int key) {
    std::shared_future<int> f;
    {
      std::lock_guard<std::mutex> lock(mu_);
      f = pending_[key % 16];
    }
    return f.valid() ? f.get() : -1;
  }

private:
  std::mutex mu_;
  std::shared_future<int> pending_[16];
};

// ---------------------------------------------- a background flusher --

class BackgroundFlusher {
public:
  // Starts the thread under the lock: starting does not wait.
  void start_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!thread_.joinable())
      thread_ = std::thread([] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); });
  }

  // Moves the thread out under the lock and joins it afterwards.
  void stop_ok() {
    std::thread t;
    {
      std::lock_guard<std::mutex> lock(mu_);
      t = std::move(thread_);
    }
    if (t.joinable())
      t.join();
  }

  // Hands a promise's future out under the lock.
  std::future<void> done_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return done_.get_future();
  }

  // Swaps a packaged task in, runs it outside.
  void run_task_ok() {
    std::packaged_task<int()> task;
    {
      std::lock_guard<std::mutex> lock(mu_);
      task = std::move(task_);
    }
    if (task.valid())
      task();
  }

private:
  std::mutex mu_;
  std::thread thread_;
  std::promise<void> done_;
  std::packaged_task<int()> task_;
};
