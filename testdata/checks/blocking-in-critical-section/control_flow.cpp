// Must-held across control flow: a lock held on every path to the call is
// reported; held on only some paths, or released on every path (end of
// scope, return, break, continue, goto), it is not.
#include <cstdio>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

class ConnectionPool {
public:
  // Locked on both branches (two different ways): held after the if.
  void rebalance_bad(bool fast) {
    if (fast)
      mu_.lock();
    else
      while (!mu_.try_lock())
        usleep(10);
    idle_.clear();
    usleep(100); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'ConnectionPool::mu_'"
    mu_.unlock();
  }

  // Locked on one branch only.
  void maybe_locked_ok(bool exclusive) {
    if (exclusive)
      mu_.lock();
    usleep(100);
    if (exclusive)
      mu_.unlock();
  }

  // Unlocked on one branch only: not held on every path afterwards.
  void maybe_unlocked_ok(bool release_early) {
    mu_.lock();
    idle_.push_back(1);
    if (release_early)
      mu_.unlock();
    usleep(100);
    if (!release_early)
      mu_.unlock();
  }

  // A switch where each case locks: held after it.
  void switch_bad(int mode) {
    switch (mode) {
    case 0:
      mu_.lock();
      break;
    default:
      mu_.lock();
      idle_.clear();
      break;
    }
    fsync(fileno(stdout)); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'ConnectionPool::mu_'"
    mu_.unlock();
  }

  // A switch where only one case locks.
  void switch_ok(int mode) {
    switch (mode) {
    case 0:
      mu_.lock();
      idle_.clear();
      mu_.unlock();
      break;
    case 1:
      mu_.lock();
      break;
    default:
      break;
    }
    fsync(fileno(stdout));
    if (mode == 1)
      mu_.unlock();
  }

  // Guard inside a loop body: each iteration releases it, so the sleep
  // between iterations holds nothing.
  void drain_ok() {
    for (int i = 0; i < 10; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (idle_.empty())
          break;
        idle_.pop_back();
      }
      usleep(10);
    }
  }

  // Guard inside a loop body, blocking inside it.
  void drain_bad(int fd) {
    for (int i = 0; i < 10; ++i) {
      std::lock_guard<std::mutex> lock(mu_);
      if (idle_.empty())
        continue;
      int c = idle_.back();
      idle_.pop_back();
      write(fd, &c, sizeof c); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'ConnectionPool::mu_'"
    }
  }

  // continue releases the guard before the next iteration's sleep.
  void poll_ok() {
    for (int i = 0; i < 10; ++i) {
      usleep(10);
      std::lock_guard<std::mutex> lock(mu_);
      if (idle_.empty())
        continue;
      idle_.pop_back();
    }
  }

  // Early return releases the guard; the code after the block holds nothing.
  int take_or_wait_ok() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        int c = idle_.back();
        idle_.pop_back();
        return c;
      }
    }
    usleep(1000);
    return -1;
  }

  // goto to a cleanup label after unlocking on every path.
  int goto_cleanup_ok(int fd) {
    int rc = -1;
    mu_.lock();
    if (idle_.empty()) {
      mu_.unlock();
      goto out;
    }
    idle_.pop_back();
    mu_.unlock();
    rc = 0;
  out:
    fsync(fd);
    return rc;
  }

  // goto to a label while still holding the lock on one path.
  int goto_cleanup_bad(int fd) {
    mu_.lock();
    if (idle_.empty())
      goto out;
    idle_.pop_back();
  out:
    fsync(fd); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'ConnectionPool::mu_'"
    mu_.unlock();
    return 0;
  }

  // A throw ends the path: the blocking call after the check is on the
  // path where the lock is still held.
  void validate_bad(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() > 100)
      throw std::runtime_error("pool overflow");
    fsync(fd); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'ConnectionPool::mu_'"
  }

  // The lock is taken after the blocking call on every path.
  void late_lock_ok(bool a) {
    if (a)
      usleep(1);
    else
      fsync(fileno(stdout));
    std::lock_guard<std::mutex> lock(mu_);
    idle_.clear();
  }

  // A ternary choosing the blocking call: held on both sides.
  void ternary_bad(bool a, int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    int rc = a ? fsync(fd) : 0; // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'ConnectionPool::mu_'"
    (void)rc;
  }

  // Short-circuit: the right side is evaluated under the lock too.
  bool short_circuit_bad(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    return idle_.empty() || fsync(fd) == 0; // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'ConnectionPool::mu_'"
  }

  // Unlock before the loop; the loop body sleeps.
  void unlock_before_loop_ok() {
    mu_.lock();
    size_t n = idle_.size();
    mu_.unlock();
    for (size_t i = 0; i < n; ++i)
      usleep(1);
  }

  // Lock and unlock inside the loop, sleep at the top: first iteration holds
  // nothing, later ones hold nothing either.
  void relock_in_loop_ok() {
    for (int i = 0; i < 3; ++i) {
      usleep(1);
      mu_.lock();
      idle_.push_back(i);
      mu_.unlock();
    }
  }

  // Lock taken in a loop and released after it: held on the back edge, but
  // not on the first entry, so not must-held at the sleep.
  void lock_in_loop_ok(int n) {
    bool locked = false;
    for (int i = 0; i < n; ++i) {
      usleep(1);
      if (!locked) {
        mu_.lock();
        locked = true;
      }
    }
    if (locked)
      mu_.unlock();
  }

private:
  std::mutex mu_;
  std::vector<int> idle_;
};

// ------------------------------------------ a retry loop with a budget --

class Uploader {
public:
  // Sleeps between attempts; the lock is taken per attempt in a block.
  bool upload_ok(int fd, const char *data, size_t n) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      int target;
      {
        std::lock_guard<std::mutex> lock(mu_);
        target = fd_ >= 0 ? fd_ : fd;
      }
      if (write(target, data, n) == static_cast<ssize_t>(n))
        return true;
      usleep(1000u << attempt);
    }
    return false;
  }

  // A do/while loop that releases before the condition is evaluated again.
  void drain_queue_ok() {
    bool more;
    do {
      mu_.lock();
      more = --pending_ > 0;
      mu_.unlock();
      usleep(1);
    } while (more);
  }

  // A while loop whose body blocks while the lock taken before it is held.
  void drain_queue_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    while (pending_ > 0) {
      --pending_;
      usleep(1); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'Uploader::mu_'"
    }
  }

  // Returns early on one branch while holding the lock (the guard releases
  // it); the other branch releases explicitly, then sleeps.
  int early_return_ok(bool cached) {
    std::unique_lock<std::mutex> lk(mu_);
    if (cached)
      return pending_;
    lk.unlock();
    usleep(10);
    return 0;
  }

  // Lock state depends on a flag tested twice; after the join it is only
  // "maybe" held.
  void flag_guarded_ok(bool need_lock) {
    if (need_lock)
      mu_.lock();
    ++pending_;
    if (need_lock)
      mu_.unlock();
    fsync(fd_);
  }

  // An unlock on every case of a switch.
  void switch_release_ok(int mode) {
    mu_.lock();
    switch (mode) {
    case 0:
      pending_ = 0;
      mu_.unlock();
      break;
    default:
      mu_.unlock();
      break;
    }
    fsync(fd_);
  }

  // A nested block inside an if: the guard ends with the inner block.
  void nested_block_ok(bool flag) {
    if (flag) {
      std::lock_guard<std::mutex> lock(mu_);
      ++pending_;
    } else {
      std::lock_guard<std::mutex> lock(mu_);
      --pending_;
    }
    fsync(fd_);
  }

  // Guards on both branches of an if, blocking inside each: two reports.
  void both_branches_bad(bool flag) {
    if (flag) {
      std::lock_guard<std::mutex> lock(mu_);
      fsync(fd_); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'Uploader::mu_'"
    } else {
      std::lock_guard<std::mutex> lock(mu_);
      usleep(1); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'Uploader::mu_'"
    }
  }

private:
  std::mutex mu_;
  int fd_ = -1;
  int pending_ = 0;
};

// A guard declared inside a try block is destroyed when the exception leaves
// it: the handler holds nothing.
std::mutex g_submit_mu;
std::deque<int> g_submitted;
void catch_ok(int job) {
  try {
    std::lock_guard<std::mutex> lock(g_submit_mu);
    if (g_submitted.size() > 100)
      throw std::runtime_error("queue full");
    g_submitted.push_back(job);
  } catch (const std::runtime_error &) {
    usleep(1000);
  }
}

// A guard declared outside the try block is still alive in the handler.
void catch_outer_guard_bad(int job) {
  std::lock_guard<std::mutex> lock(g_submit_mu);
  try {
    if (g_submitted.size() > 100)
      throw std::runtime_error("queue full");
    g_submitted.push_back(job);
  } catch (const std::runtime_error &) {
    usleep(1000); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'g_submit_mu'"
  }
}
