// A fixed-size thread pool running the server's requests.
#ifndef KVD_WORKER_POOL_H
#define KVD_WORKER_POOL_H

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kvd {

class WorkerPool {
public:
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();

  void submit(std::function<void()> job);
  /// Blocks until the queue is empty and no job is running.
  void wait_idle();
  /// Stops accepting jobs and joins every worker.
  void shutdown();
  std::size_t completed() const;
  /// The longest the queue has been.
  std::size_t peak_depth() const;

private:
  void worker_loop();

  mutable std::mutex mu_; // queue_, active_, stopping_, threads_
  std::condition_variable work_cv_;
  std::condition_variable idle_cv_;
  std::deque<std::function<void()>> queue_;
  std::size_t active_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;

  mutable std::mutex stats_mu_; // completed_, idle_snapshot_
  std::size_t completed_ = 0;
  std::size_t idle_snapshot_ = 0;

  std::atomic<std::size_t> peak_depth_{0};
};

} // namespace kvd

#endif
