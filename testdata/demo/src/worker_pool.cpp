#include "worker_pool.h"

#include <utility>

namespace kvd {

WorkerPool::WorkerPool(std::size_t threads) {
  std::lock_guard<std::mutex> lock(mu_);
  for (std::size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this] { worker_loop(); });
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::submit(std::function<void()> job) {
  std::size_t depth;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_)
      return;
    queue_.push_back(std::move(job));
    depth = queue_.size();
  }
  // The queue's high-water mark, for the stats: atomic, so no lock needed --
  // but two submits can both pass the test, and the smaller depth can win.
  if (depth > peak_depth_.load())
    peak_depth_.store(depth); // expect: threadlint-split-atomic-update "check-then-act on atomic 'kvd::WorkerPool::peak_depth_'"
  work_cv_.notify_one();
}

std::size_t WorkerPool::peak_depth() const { return peak_depth_.load(); }

void WorkerPool::worker_loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      // Releases mu_ while waiting: fine.
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty())
        return; // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
      ++active_;
    }
    job(); // runs with no lock held
    {
      std::lock_guard<std::mutex> stats(stats_mu_);
      ++completed_;
    }
    bool idle;
    {
      std::lock_guard<std::mutex> lock(mu_);
      --active_;
      idle = queue_.empty() && active_ == 0;
    }
    if (idle)
      idle_cv_.notify_all();
  }
}

void WorkerPool::wait_idle() {
  // Holds stats_mu_ so the snapshot below matches the idle point, but the
  // workers need stats_mu_ to finish a job: the wait can never end.
  std::lock_guard<std::mutex> stats(stats_mu_);
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [this] { return queue_.empty() && active_ == 0; }); // expect: threadlint-blocking-in-critical-section "'std::condition_variable::wait' waits while holding 'kvd::WorkerPool::stats_mu_'; the wait releases only its own lock"
  idle_snapshot_ = completed_;
}

void WorkerPool::shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_)
    return;
  stopping_ = true;
  work_cv_.notify_all();
  // The workers need mu_ to see stopping_ and leave their loop.
  for (std::thread &t : threads_)
    t.join(); // expect: threadlint-blocking-in-critical-section "'std::thread::join' waits for a thread to finish while holding 'kvd::WorkerPool::mu_'"
}

std::size_t WorkerPool::completed() const {
  std::lock_guard<std::mutex> stats(stats_mu_);
  return completed_;
}

} // namespace kvd
