// std::unique_lock in all its modes: locking constructor, defer_lock,
// try_to_lock, adopt_lock, member lock()/unlock()/release(), and moves.
#include <chrono>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <utility>

#include <unistd.h>

class RequestQueue {
public:
  // Basic: unique_lock held until the end of the function.
  void push_bad(const std::string &req) {
    std::unique_lock<std::mutex> lk(mu_);
    q_.push_back(req);
    fprintf(stderr, "queued %zu\n", q_.size());
    fsync(fileno(stderr)); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'RequestQueue::mu_'"
  }

  // unlock() before the I/O.
  void push_ok(const std::string &req) {
    std::unique_lock<std::mutex> lk(mu_);
    q_.push_back(req);
    size_t n = q_.size();
    lk.unlock();
    fprintf(stderr, "queued %zu\n", n);
    fsync(fileno(stderr));
  }

  // unlock(), I/O, then lock() again: only the second part is held.
  void drain_bad(int fd) {
    std::unique_lock<std::mutex> lk(mu_);
    std::string front = q_.front();
    lk.unlock();
    write(fd, front.data(), front.size());
    lk.lock();
    q_.pop_front();
    fsync(fd); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'RequestQueue::mu_'"
  }

  void drain_ok(int fd) {
    std::unique_lock<std::mutex> lk(mu_);
    std::string front = q_.front();
    q_.pop_front();
    lk.unlock();
    write(fd, front.data(), front.size());
    fsync(fd);
  }

  // defer_lock: nothing held until lock().
  void deferred_ok(int fd) {
    std::unique_lock<std::mutex> lk(mu_, std::defer_lock);
    write(fd, "x", 1);
    lk.lock();
    q_.clear();
  }

  void deferred_bad(int fd) {
    std::unique_lock<std::mutex> lk(mu_, std::defer_lock);
    lk.lock();
    q_.clear();
    write(fd, "x", 1); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'RequestQueue::mu_'"
  }

  // adopt_lock: the guard takes over a lock already held.
  void adopted_bad() {
    mu_.lock();
    std::unique_lock<std::mutex> lk(mu_, std::adopt_lock);
    q_.clear();
    usleep(100); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'RequestQueue::mu_'"
  }

  void adopted_ok() {
    mu_.lock();
    {
      std::unique_lock<std::mutex> lk(mu_, std::adopt_lock);
      q_.clear();
    } // the adopted lock is released here
    usleep(100);
  }

  // try_to_lock: held only where owns_lock() says so.
  void try_bad() {
    std::unique_lock<std::mutex> lk(mu_, std::try_to_lock);
    if (lk.owns_lock()) {
      q_.clear();
      usleep(100); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'RequestQueue::mu_'"
    }
  }

  void try_ok() {
    std::unique_lock<std::mutex> lk(mu_, std::try_to_lock);
    if (!lk.owns_lock()) {
      usleep(100); // back off: nothing is held here
      return;
    }
    q_.clear();
  }

  void try_bool_ok() {
    std::unique_lock<std::mutex> lk(mu_, std::try_to_lock);
    if (!lk)
      usleep(100);
  }

  // release(): the mutex stays locked but the guard no longer owns it; it
  // must be unlocked by hand.
  void released_bad() {
    std::unique_lock<std::mutex> lk(mu_);
    std::mutex *m = lk.release();
    usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'RequestQueue::mu_'"
    m->unlock();
  }

  void released_ok() {
    {
      std::unique_lock<std::mutex> lk(mu_);
      lk.release();
      mu_.unlock();
    }
    usleep(10);
  }

  // Moves: the lock follows the guard it was moved into.
  std::unique_lock<std::mutex> acquire() { return std::unique_lock<std::mutex>(mu_); }

  void moved_bad() {
    std::unique_lock<std::mutex> a(mu_);
    std::unique_lock<std::mutex> b(std::move(a));
    usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'RequestQueue::mu_'"
  }

  void moved_into_inner_scope_ok() {
    std::unique_lock<std::mutex> a(mu_);
    {
      std::unique_lock<std::mutex> b(std::move(a));
      q_.clear();
    } // 'b' releases here; 'a' no longer owns anything
    usleep(10);
  }

  void moved_then_unlocked_ok() {
    std::unique_lock<std::mutex> a(mu_);
    std::unique_lock<std::mutex> b(std::move(a));
    b.unlock();
    usleep(10);
  }

  // Timed unique_lock (a try-lock with a timeout) is held only on success.
  void timed_ok() {
    std::unique_lock<std::timed_mutex> lk(tmu_, std::chrono::milliseconds(5));
    if (!lk.owns_lock()) {
      sleep(1);
      return;
    }
  }

  void timed_bad() {
    std::unique_lock<std::timed_mutex> lk(tmu_, std::chrono::milliseconds(5));
    if (lk.owns_lock())
      sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding 'RequestQueue::tmu_'"
  }

  // Two guards, one unlocked: only the other remains.
  void two_guards_bad() {
    std::unique_lock<std::mutex> a(mu_);
    std::unique_lock<std::timed_mutex> b(tmu_);
    a.unlock();
    usleep(1); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'RequestQueue::tmu_'"
  }

  void two_guards_ok() {
    std::unique_lock<std::mutex> a(mu_);
    std::unique_lock<std::timed_mutex> b(tmu_);
    b.unlock();
    a.unlock();
    usleep(1);
  }

  // Move-assignment into an empty guard: the lock is still held (by 'b').
  void move_assigned_bad() {
    std::unique_lock<std::mutex> a(mu_);
    std::unique_lock<std::mutex> b;
    b = std::move(a);
    usleep(1); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'RequestQueue::mu_'"
  }

  // After 'b = std::move(a)' the lock belongs to 'b', and b.unlock() releases
  // it.
  void move_assigned_then_unlocked_ok() {
    std::unique_lock<std::mutex> a(mu_);
    std::unique_lock<std::mutex> b;
    b = std::move(a);
    b.unlock();
    usleep(1);
  }

  // A guard returned by a function that locked it (acquire() above returns
  // std::unique_lock<std::mutex>(mu_)) holds mu_ until the end of the scope.
  void guard_from_factory_bad() {
    auto lk = acquire();
    q_.clear();
    usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'RequestQueue::mu_'"
  }

  // The same guard, unlocked before the sleep.
  void guard_from_factory_released_ok() {
    auto lk = acquire();
    q_.clear();
    lk.unlock();
    usleep(10);
  }

  // Move-assigning a freshly locked temporary into an empty guard.
  void assign_locked_temporary_bad() {
    std::unique_lock<std::mutex> lk;
    lk = std::unique_lock<std::mutex>(mu_);
    usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'RequestQueue::mu_'"
  }

  // The factory's guard ends with its scope.
  void guard_from_factory_ok() {
    {
      auto lk = acquire();
      q_.clear();
    }
    usleep(10);
  }

  void guard_from_factory_unlocked_ok() {
    auto lk = acquire();
    q_.clear();
    lk.unlock();
    usleep(10);
  }

  // A deferred guard that is never locked.
  void deferred_never_locked_ok(int fd) {
    std::unique_lock<std::mutex> lk(mu_, std::defer_lock);
    if (q_.empty())
      fsync(fd);
  }

  // A guard passed to a helper that unlocks it: the sleep after the call
  // holds nothing.
  void helper_unlocks_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    q_.clear();
    drop(lk);
    usleep(10);
  }

  // lock()/unlock() on the guard in a loop, sleeping while unlocked.
  void relock_loop_ok() {
    std::unique_lock<std::mutex> lk(mu_, std::defer_lock);
    for (int i = 0; i < 3; ++i) {
      lk.lock();
      q_.push_back("tick");
      lk.unlock();
      usleep(10);
    }
  }

  // The same helper shape taking the mutex itself is understood.
  void helper_unlocks_mutex_ok() {
    mu_.lock();
    q_.clear();
    drop_mutex(mu_);
    usleep(10);
  }

  // Moved out into a guard returned to the caller... and the caller's
  // scope ends at once: nothing held afterwards.
  void shared_then_exclusive_ok() {
    {
      std::unique_lock<std::mutex> lk(mu_);
      std::unique_lock<std::mutex> other(std::move(lk));
      other.unlock();
    }
    usleep(10);
  }

  // A unique_lock over a recursive mutex locked twice, released twice.
  void recursive_ok() {
    std::unique_lock<std::recursive_mutex> a(rmu_);
    {
      std::unique_lock<std::recursive_mutex> b(rmu_);
    }
    a.unlock();
    usleep(10);
  }

private:
  static void drop(std::unique_lock<std::mutex> &lk) { lk.unlock(); }
  static void drop_mutex(std::mutex &m) { m.unlock(); }

  std::mutex mu_;
  std::recursive_mutex rmu_;
  std::timed_mutex tmu_;
  std::deque<std::string> q_;
};
