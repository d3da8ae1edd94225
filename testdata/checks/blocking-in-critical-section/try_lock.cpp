// Try-locks hold the lock only on the path where the attempt succeeded:
// the failure path (back off, sleep, retry) holds nothing.
#include <chrono>
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

class MetricsFlusher {
public:
  // The classic back-off loop: sleep only when the lock was NOT acquired.
  void flush_ok() {
    while (!mu_.try_lock())
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    samples_.clear();
    mu_.unlock();
  }

  void flush_bad(int fd) {
    if (mu_.try_lock()) {
      for (double s : samples_)
        write(fd, &s, sizeof s); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'MetricsFlusher::mu_'"
      samples_.clear();
      mu_.unlock();
    }
  }

  // Early return on failure; the rest of the function holds the lock.
  void snapshot_bad(int fd) {
    if (!mu_.try_lock())
      return;
    size_t n = samples_.size();
    write(fd, &n, sizeof n); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'MetricsFlusher::mu_'"
    mu_.unlock();
  }

  void snapshot_ok(int fd) {
    if (!mu_.try_lock()) {
      usleep(100); // the failure path holds nothing
      return;
    }
    size_t n = samples_.size();
    mu_.unlock();
    write(fd, &n, sizeof n);
  }

  // The result stored in a variable and tested later.
  void stored_result_ok() {
    bool locked = mu_.try_lock();
    if (!locked) {
      usleep(100);
      return;
    }
    samples_.push_back(1.0);
    mu_.unlock();
  }

  // else-branch of a successful try: nothing held there.
  void else_branch_ok(int fd) {
    if (mu_.try_lock()) {
      samples_.push_back(2.0);
      mu_.unlock();
    } else {
      write(fd, "busy\n", 5);
    }
  }

  // try_lock_for on a timed mutex.
  void timed_bad() {
    if (tmu_.try_lock_for(std::chrono::milliseconds(10))) {
      sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding 'MetricsFlusher::tmu_'"
      tmu_.unlock();
    }
  }

  void timed_ok() {
    if (!tmu_.try_lock_for(std::chrono::milliseconds(10))) {
      sleep(1);
      return;
    }
    tmu_.unlock();
  }

  // Shared try-lock.
  void shared_try_ok() {
    if (!smu_.try_lock_shared()) {
      usleep(10);
      return;
    }
    smu_.unlock_shared();
  }

  void shared_try_bad() {
    if (smu_.try_lock_shared()) {
      usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'MetricsFlusher::smu_'"
      smu_.unlock_shared();
    }
  }

  // A try combined with another condition: only the && path holds it.
  void combined_ok(bool urgent) {
    if (urgent && mu_.try_lock()) {
      samples_.clear();
      mu_.unlock();
      return;
    }
    usleep(10);
  }

  // unique_lock with try_to_lock, failure path.
  void guard_try_ok() {
    std::unique_lock<std::mutex> lk(mu_, std::try_to_lock);
    if (lk.owns_lock()) {
      samples_.clear();
      return;
    }
    usleep(10);
  }

  // A lock held on only one of two paths is not held after the join.
  void some_paths_ok(bool lock_first) {
    if (lock_first)
      mu_.lock();
    usleep(10);
    if (lock_first)
      mu_.unlock();
  }

  // std::try_lock(a, b) == -1 means both were acquired; on failure nothing is
  // held.
  void multi_try_ok() {
    if (std::try_lock(mu_, tmu_) != -1) {
      usleep(10);
      return;
    }
    mu_.unlock();
    tmu_.unlock();
  }

  // Spin until acquired: after the loop the lock is held.
  void spin_then_flush_bad() {
    while (!mu_.try_lock()) {
    }
    fsync(fileno(stdout)); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'MetricsFlusher::mu_'"
    mu_.unlock();
  }

  // Fall back to a blocking lock(): held on both paths.
  void fallback_bad() {
    if (!mu_.try_lock())
      mu_.lock();
    usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'MetricsFlusher::mu_'"
    mu_.unlock();
  }

  // Bounded retries: the sleeps happen only while not holding the lock.
  bool bounded_retry_ok() {
    for (int attempt = 0; attempt < 3; ++attempt) {
      if (mu_.try_lock()) {
        samples_.clear();
        mu_.unlock();
        return true;
      }
      usleep(100u << attempt);
    }
    return false;
  }

  // try_lock() on a deferred unique_lock.
  void deferred_try_bad() {
    std::unique_lock<std::mutex> lk(mu_, std::defer_lock);
    if (lk.try_lock())
      usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'MetricsFlusher::mu_'"
  }

  void deferred_try_ok() {
    std::unique_lock<std::mutex> lk(mu_, std::defer_lock);
    if (!lk.try_lock())
      usleep(10);
  }

  // A guard tested as bool: early return on failure.
  void guard_bool_bad() {
    std::unique_lock<std::mutex> lk(mu_, std::try_to_lock);
    if (!lk)
      return;
    usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'MetricsFlusher::mu_'"
  }

  // Opportunistic flush: only if the lock is free, and the I/O after the
  // unlock.
  void opportunistic_flush_ok(int fd) {
    std::vector<double> out;
    if (mu_.try_lock()) {
      out.swap(samples_);
      mu_.unlock();
    }
    if (!out.empty())
      write(fd, out.data(), out.size() * sizeof(double));
  }

  // A failed try on one mutex while holding nothing else.
  void try_nested_ok() {
    if (!mu_.try_lock())
      return;
    if (!tmu_.try_lock()) {
      mu_.unlock();
      usleep(10);
      return;
    }
    tmu_.unlock();
    mu_.unlock();
  }

  // The result tested with == false.
  void explicit_false_ok() {
    if (mu_.try_lock() == false) {
      usleep(10);
      return;
    }
    mu_.unlock();
  }

  // A try on a timed guard whose deadline passed.
  void guard_timeout_ok() {
    std::unique_lock<std::timed_mutex> lk(tmu_, std::defer_lock);
    if (!lk.try_lock_for(std::chrono::milliseconds(1))) {
      usleep(10);
      return;
    }
    samples_.clear();
  }

  // A try_lock_until path where the lock was obtained: reported.
  void until_bad() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(5);
    if (tmu_.try_lock_until(deadline)) {
      usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'MetricsFlusher::tmu_'"
      tmu_.unlock();
    }
  }

  void until_ok() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(5);
    if (!tmu_.try_lock_until(deadline)) {
      usleep(10);
      return;
    }
    tmu_.unlock();
  }

  // The failure path sleeps and retries with a blocking lock.
  void try_then_block_ok() {
    if (!mu_.try_lock()) {
      usleep(50);
      mu_.lock();
    }
    samples_.push_back(0.0);
    mu_.unlock();
  }

private:
  std::mutex mu_;
  std::timed_mutex tmu_;
  std::shared_mutex smu_;
  std::vector<double> samples_;
};
