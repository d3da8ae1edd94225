// Must-held across control flow: a lock held on every path to the call is
// reported; held on only some paths, or released on every path (end of
// scope, return, break, continue, goto), it is not.
#include <cstdio>
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
    fflush(stdout); // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O while holding 'ConnectionPool::mu_'"
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
    fflush(stdout);
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
      fflush(stdout);
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
