// cv-wait-without-predicate and thin condition-variable wrappers, as in
// LevelDB's port::CondVar or Chromium's base::ConditionVariable: the
// wrapper's Wait() is a single wait without a predicate by design, and its
// callers loop on their own condition. Negative cases: a wrapper whose
// callers in this file all wait in a loop, and those callers; wrappers
// whose callers live in other files (a header-only one, and one defined out
// of line on pthread_cond_t). Positive case: a caller that calls a
// wrapper's Wait once under an `if`: the finding is at that call, with a
// note at the wrapper's wait.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <pthread.h>
#include <thread>

// ------------------------------------------- a LevelDB-style CondVar --

class Mutex {
public:
  void Lock() { mu_.lock(); }
  void Unlock() { mu_.unlock(); }

private:
  friend class CondVar;
  std::mutex mu_;
};

class CondVar {
public:
  explicit CondVar(Mutex *mu) : mu_(mu) {}

  // The caller holds *mu_ and re-checks its condition after Wait_ok()
  // returns, as after pthread_cond_wait.
  void Wait_ok() {
    std::unique_lock<std::mutex> lock(mu_->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }

  bool TimedWait_ok(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_->mu_, std::adopt_lock);
    bool timed_out = cv_.wait_for(lock, timeout) == std::cv_status::timeout;
    lock.release();
    return timed_out;
  }

  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

private:
  std::condition_variable cv_;
  Mutex *const mu_;
};

class WriteBatchQueue {
public:
  WriteBatchQueue() : cv_(&mu_) {}

  void Push(int batch) {
    mu_.Lock();
    batches_.push_back(batch);
    cv_.Signal();
    mu_.Unlock();
  }

  int Pop_ok() {
    mu_.Lock();
    while (batches_.empty())
      cv_.Wait_ok();
    int b = batches_.front();
    batches_.pop_front();
    mu_.Unlock();
    return b;
  }

  bool PopFor_ok(std::chrono::milliseconds timeout, int *out) {
    mu_.Lock();
    while (batches_.empty())
      if (cv_.TimedWait_ok(timeout))
        break;
    bool got = !batches_.empty();
    if (got) {
      *out = batches_.front();
      batches_.pop_front();
    }
    mu_.Unlock();
    return got;
  }

private:
  Mutex mu_;
  CondVar cv_;
  std::deque<int> batches_;
};

void write_batches() {
  WriteBatchQueue q;
  std::thread writer([&q] {
    int b;
    for (int i = 0; i < 10; ++i)
      if (!q.PopFor_ok(std::chrono::milliseconds(10), &b))
        b = q.Pop_ok();
  });
  for (int i = 0; i < 10; ++i)
    q.Push(i);
  writer.join();
}

// ------------------------- the same wrapper, with one careless caller --

class Monitor {
public:
  void Enter() { mu_.lock(); }
  void Leave() { mu_.unlock(); }

  void Wait_ok() {
    std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
    cv_.wait(lock); // expect-note: "'cv_.wait' waits here"
    lock.release();
  }

  void NotifyAll() { cv_.notify_all(); }

private:
  std::mutex mu_;
  std::condition_variable cv_;
};

struct Inbox {
  Monitor mon;
  std::deque<int> items;
};

int take_ok(Inbox &in) {
  in.mon.Enter();
  while (in.items.empty())
    in.mon.Wait_ok();
  int v = in.items.front();
  in.items.pop_front();
  in.mon.Leave();
  return v;
}

// Waits once: a spurious wakeup leaves the inbox empty.
int take_once_bad(Inbox &in) {
  in.mon.Enter();
  if (in.items.empty())
    in.mon.Wait_ok(); // expect: threadlint-cv-wait-without-predicate "'Monitor::Wait_ok' waits on 'cv_.wait' (line 119) and is not in a loop that re-checks its condition"
  int v = in.items.front();
  in.items.pop_front();
  in.mon.Leave();
  return v;
}

// ---------------------------------- a wrapper nothing here calls --

// A header-only wrapper (LevelDB's port/port_stdcxx.h style) included into a
// file that only signals: its callers are in other files.
namespace port {
class CondVar {
public:
  explicit CondVar(std::mutex *mu) : mu_(mu) {}

  void Wait_ok() {
    std::unique_lock<std::mutex> lock(*mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }

  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

private:
  std::condition_variable cv_;
  std::mutex *const mu_;
};
} // namespace port

void finish_compaction(std::mutex &mu, port::CondVar &done) {
  std::lock_guard<std::mutex> lk(mu);
  done.SignalAll();
}

// ----------------------- a Chromium-style wrapper defined out of line --

// The callers of ConditionVariable::Wait_ok are in other files; this file
// only defines it.
class ConditionVariable {
public:
  explicit ConditionVariable(pthread_mutex_t *user_mutex) : user_mutex_(user_mutex) {
    pthread_cond_init(&condition_, nullptr);
  }
  ~ConditionVariable() { pthread_cond_destroy(&condition_); }

  void Wait_ok();
  void Signal();
  void Broadcast();

private:
  pthread_cond_t condition_;
  pthread_mutex_t *user_mutex_;
};

void ConditionVariable::Wait_ok() {
  int rv = pthread_cond_wait(&condition_, user_mutex_);
  (void)rv;
}

void ConditionVariable::Signal() { pthread_cond_signal(&condition_); }
void ConditionVariable::Broadcast() { pthread_cond_broadcast(&condition_); }
