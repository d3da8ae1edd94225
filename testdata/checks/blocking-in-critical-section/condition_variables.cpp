// Condition-variable waits release the lock they are given: cv.wait(lk) on
// the only lock held is fine; waiting while holding a second lock is not.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>

// ------------------------------------------------- a bounded work queue --

template <typename T> class BoundedQueue {
public:
  void push_ok(T v) {
    std::unique_lock<std::mutex> lk(mu_);
    not_full_.wait(lk, [&] { return q_.size() < cap_; });
    q_.push_back(std::move(v));
    not_empty_.notify_one();
  }

  T pop_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    while (q_.empty())
      not_empty_.wait(lk);
    T v = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return v;
  }

  std::optional<T> pop_for_ok(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lk(mu_);
    if (!not_empty_.wait_for(lk, timeout, [&] { return !q_.empty(); }))
      return std::nullopt;
    T v = std::move(q_.front());
    q_.pop_front();
    return v;
  }

  std::optional<T> pop_until_ok(std::chrono::steady_clock::time_point t) {
    std::unique_lock<std::mutex> lk(mu_);
    while (q_.empty())
      if (not_empty_.wait_until(lk, t) == std::cv_status::timeout)
        return std::nullopt;
    T v = std::move(q_.front());
    q_.pop_front();
    return v;
  }

private:
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> q_;
  size_t cap_ = 64;
};

template class BoundedQueue<int>;

// ---------------------------------------- waiting under a second lock --

class Scheduler {
public:
  // The wait releases queue_mu_ but config_mu_ stays held the whole time.
  void next_job_bad() {
    std::lock_guard<std::mutex> cfg(config_mu_);
    std::unique_lock<std::mutex> lk(queue_mu_);
    cv_.wait(lk, [&] { return !jobs_.empty(); }); // expect: threadlint-blocking-in-critical-section "'std::condition_variable::wait' waits while holding 'Scheduler::config_mu_'; the wait releases only its own lock"
    jobs_.pop_front();
  }

  void next_job_ok() {
    int limit;
    {
      std::lock_guard<std::mutex> cfg(config_mu_);
      limit = limit_;
    }
    std::unique_lock<std::mutex> lk(queue_mu_);
    cv_.wait(lk, [&] { return jobs_.size() <= static_cast<size_t>(limit); });
  }

  void wait_for_bad() {
    std::shared_lock<std::shared_mutex> r(state_mu_);
    std::unique_lock<std::mutex> lk(queue_mu_);
    cv_.wait_for(lk, std::chrono::seconds(1)); // expect: threadlint-blocking-in-critical-section "'std::condition_variable::wait_for' waits while holding 'Scheduler::state_mu_'"
  }

  // The guard for the wait was declared first, the second lock second: the
  // order does not matter, the second one is still held.
  void wait_order_bad() {
    std::unique_lock<std::mutex> lk(queue_mu_);
    std::lock_guard<std::mutex> cfg(config_mu_);
    cv_.wait(lk); // expect: threadlint-blocking-in-critical-section "while holding 'Scheduler::config_mu_'"
  }

  // The second lock's scope ended before the wait.
  void wait_after_inner_scope_ok() {
    std::unique_lock<std::mutex> lk(queue_mu_);
    {
      std::lock_guard<std::mutex> cfg(config_mu_);
      ++limit_;
    }
    cv_.wait(lk, [&] { return !jobs_.empty(); });
  }

  // The second lock was unlocked before the wait.
  void wait_after_unlock_ok() {
    config_mu_.lock();
    std::unique_lock<std::mutex> lk(queue_mu_);
    config_mu_.unlock();
    cv_.wait(lk);
  }

  // condition_variable_any can wait on any lockable, here a shared lock.
  void any_ok() {
    std::shared_lock<std::shared_mutex> r(state_mu_);
    cv_any_.wait(r, [&] { return limit_ > 0; });
  }

  void any_bad() {
    std::lock_guard<std::mutex> cfg(config_mu_);
    std::shared_lock<std::shared_mutex> r(state_mu_);
    cv_any_.wait(r); // expect: threadlint-blocking-in-critical-section "'std::condition_variable_any::wait' waits while holding 'Scheduler::config_mu_'"
  }

  // notify under the lock does not block.
  void submit_ok(std::function<void()> job) {
    std::lock_guard<std::mutex> lk(queue_mu_);
    jobs_.push_back(std::move(job));
    cv_.notify_one();
  }

  // Waiting without any lock other than the one being waited on, through a
  // helper that takes the guard by reference: the helper releases it.
  void wait_helper_ok() {
    std::unique_lock<std::mutex> lk(queue_mu_);
    wait_nonempty(lk);
    jobs_.pop_front();
  }

  // ... but not a second lock held by the caller.
  void wait_helper_bad() {
    std::lock_guard<std::mutex> cfg(config_mu_);
    std::unique_lock<std::mutex> lk(queue_mu_);
    wait_nonempty(lk); // expect: threadlint-blocking-in-critical-section "call to 'Scheduler::wait_nonempty' may block while holding 'Scheduler::config_mu_'"
  }

private:
  void wait_nonempty(std::unique_lock<std::mutex> &lk) {
    cv_.wait(lk, [&] { return !jobs_.empty(); });
  }

  std::mutex config_mu_, queue_mu_;
  std::shared_mutex state_mu_;
  std::condition_variable cv_;
  std::condition_variable_any cv_any_;
  std::deque<std::function<void()>> jobs_;
  int limit_ = 8;
};

// ------------------------------- a wait while holding the lock manually --

std::mutex g_state_mu, g_done_mu;
std::condition_variable g_done_cv;
bool g_done;

// g_state_mu was locked by hand; waiting on g_done_mu keeps it held.
void wait_done_bad() {
  g_state_mu.lock();
  std::unique_lock<std::mutex> lk(g_done_mu);
  g_done_cv.wait(lk, [] { return g_done; }); // expect: threadlint-blocking-in-critical-section "while holding 'g_state_mu'"
  lk.unlock();
  g_state_mu.unlock();
}

void wait_done_ok() {
  std::unique_lock<std::mutex> lk(g_done_mu);
  g_done_cv.wait(lk, [] { return g_done; });
}

void signal_done_ok() {
  {
    std::lock_guard<std::mutex> lk(g_done_mu);
    g_done = true;
  }
  g_done_cv.notify_all();
}

// ------------------------------------ waits reached through helper layers --

class Dispatcher {
public:
  // Two helper layers taking the guard by reference:
  // wait_for_work() -> wait_with_deadline() -> cv_.wait(lk). The wait releases
  // the only lock held.
  void run_once_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    wait_for_work(lk);
    pending_.pop_front();
  }

  // A helper taking the guard by pointer and waiting on '*lk'.
  void run_once_ptr_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    wait_ptr(&lk);
    pending_.pop_front();
  }

  // Waiting on a local reference to the guard releases the guard's lock.
  void wait_through_reference_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    std::unique_lock<std::mutex> &ref = lk;
    cv_.wait(ref, [&] { return !pending_.empty(); });
  }

  // condition_variable_any waiting directly on a manually locked mutex.
  void wait_on_mutex_ok() {
    mu_.lock();
    cv_any_.wait(mu_, [&] { return !pending_.empty(); });
    pending_.pop_front();
    mu_.unlock();
  }

  // The guard was moved into another guard, which is the one waited on.
  void wait_on_moved_guard_ok() {
    std::unique_lock<std::mutex> first(mu_);
    std::unique_lock<std::mutex> lk(std::move(first));
    cv_.wait(lk, [&] { return !pending_.empty(); });
  }

  // adopt_lock guard waited on.
  void wait_on_adopted_ok() {
    mu_.lock();
    std::unique_lock<std::mutex> lk(mu_, std::adopt_lock);
    cv_.wait(lk, [&] { return !pending_.empty(); });
  }

private:
  void wait_with_deadline(std::unique_lock<std::mutex> &lk) {
    cv_.wait_for(lk, std::chrono::milliseconds(100),
                 [&] { return !pending_.empty(); });
  }
  void wait_for_work(std::unique_lock<std::mutex> &lk) {
    wait_with_deadline(lk);
  }
  void wait_ptr(std::unique_lock<std::mutex> *lk) {
    cv_.wait(*lk, [&] { return !pending_.empty(); });
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable_any cv_any_;
  std::deque<int> pending_;
};

// ------------------------------------------- a shutdown barrier, done right --

class Shutdown {
public:
  // Flags set under the lock, notified after it.
  void request_ok() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      requested_ = true;
    }
    cv_.notify_all();
  }

  // A wait with a timeout in a loop, on the only lock held.
  bool await_ok(std::chrono::milliseconds step) {
    std::unique_lock<std::mutex> lk(mu_);
    for (int i = 0; i < 10 && !requested_; ++i)
      cv_.wait_for(lk, step);
    return requested_;
  }

  // Reading the flag with the config lock in an inner scope, then waiting.
  void await_with_config_ok() {
    bool verbose;
    {
      std::lock_guard<std::mutex> c(config_mu_);
      verbose = verbose_;
    }
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return requested_ || verbose; });
  }

  // wait_until on the only lock held.
  bool await_until_ok(std::chrono::steady_clock::time_point t) {
    std::unique_lock<std::mutex> lk(mu_);
    return cv_.wait_until(lk, t, [&] { return requested_; });
  }

private:
  std::mutex mu_, config_mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool verbose_ = false;
};
