// std::unique_lock::unlock() (and std::shared_lock::unlock()) called when
// the guard owns no lock on any path to that point: it was already
// unlocked, or it was constructed with std::defer_lock and never locked.
// unlock() then throws std::system_error (operation_not_permitted).
// Negative cases: unlock, re-lock, unlock; defer_lock then lock();
// std::lock() of two deferred unique_locks; std::try_to_lock tested with
// owns_lock() or operator bool; std::adopt_lock; unlock after a
// condition-variable wait; a unique_lock returned by a function or moved
// into another one; release() followed by the mutex's own unlock().
#include <condition_variable>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <utility>
#include <vector>

void process(int job);
void prepare();

std::mutex g_mu;
std::condition_variable g_cv;
std::deque<int> g_jobs;
bool g_stop = false;

// ------------------------------------------------- already unlocked --

void worker_bad() {
  std::unique_lock<std::mutex> lk(g_mu);
  g_cv.wait(lk, [] { return g_stop || !g_jobs.empty(); });
  if (g_stop)
    return;
  int job = g_jobs.front();
  g_jobs.pop_front();
  lk.unlock(); // expect-note: "already unlocked here"
  process(job);
  lk.unlock(); // expect: threadlint-unlock-without-lock "'lk.unlock()' is called but 'lk' does not hold its lock here on any path (it was already unlocked at line 35): std::unique_lock::unlock throws std::system_error; unlock once, or test 'lk.owns_lock()' first"
}

void worker_ok() {
  std::unique_lock<std::mutex> lk(g_mu);
  g_cv.wait(lk, [] { return g_stop || !g_jobs.empty(); });
  if (g_stop)
    return;
  int job = g_jobs.front();
  g_jobs.pop_front();
  lk.unlock();
  process(job);
}

// Unlocked around the work, locked again for the next wait.
void pump_ok() {
  std::unique_lock<std::mutex> lk(g_mu);
  while (!g_stop) {
    g_cv.wait(lk, [] { return g_stop || !g_jobs.empty(); });
    if (g_jobs.empty())
      continue;
    int job = g_jobs.front();
    g_jobs.pop_front();
    lk.unlock();
    process(job);
    lk.lock();
  }
}

void batch_ok() {
  std::unique_lock<std::mutex> lk(g_mu);
  std::deque<int> jobs;
  jobs.swap(g_jobs);
  lk.unlock();
  for (int j : jobs)
    process(j);
  lk.lock();
  g_stop = g_jobs.empty();
  lk.unlock();
}

// --------------------------------------------- defer_lock, never locked --

// The lock was meant to be taken before the clear().
void reset_bad() {
  std::unique_lock<std::mutex> lk(g_mu, std::defer_lock);
  g_jobs.clear();
  lk.unlock(); // expect: threadlint-unlock-without-lock "'lk.unlock()' is called but 'lk' does not hold its lock here on any path"
}

// Locked and unlocked on one branch; on the other it was never locked.
void drain_bad(bool wait) {
  std::unique_lock<std::mutex> lk(g_mu, std::defer_lock);
  if (wait) {
    lk.lock();
    g_cv.wait(lk, [] { return !g_jobs.empty(); });
    lk.unlock();
  }
  prepare();
  lk.unlock(); // expect: threadlint-unlock-without-lock "'lk.unlock()' is called but 'lk' does not hold its lock here on any path (it was already unlocked at line 93)"
}

void deferred_ok() {
  std::unique_lock<std::mutex> lk(g_mu, std::defer_lock);
  prepare();
  lk.lock();
  g_jobs.push_back(1);
  lk.unlock();
  g_cv.notify_one();
}

struct Queue {
  std::mutex mu;
  std::vector<int> items;
};

void swap_queues_ok(Queue &a, Queue &b) {
  std::unique_lock<std::mutex> la(a.mu, std::defer_lock);
  std::unique_lock<std::mutex> lb(b.mu, std::defer_lock);
  std::lock(la, lb);
  std::swap(a.items, b.items);
  la.unlock();
  lb.unlock();
}

// ------------------------------------------------------- try_to_lock --

bool try_drain_ok() {
  std::unique_lock<std::mutex> lk(g_mu, std::try_to_lock);
  if (!lk.owns_lock())
    return false;
  std::deque<int> jobs;
  jobs.swap(g_jobs);
  lk.unlock();
  for (int j : jobs)
    process(j);
  return true;
}

void try_push_ok(int job) {
  std::unique_lock<std::mutex> lk(g_mu, std::try_to_lock);
  if (lk) {
    g_jobs.push_back(job);
    lk.unlock();
    g_cv.notify_one();
  }
}

// ------------------------------------------------------------- others --

void adopted_ok(int job) {
  g_mu.lock();
  std::unique_lock<std::mutex> lk(g_mu, std::adopt_lock);
  g_jobs.push_back(job);
  lk.unlock();
  g_cv.notify_one();
}

std::unique_lock<std::mutex> lock_jobs() {
  return std::unique_lock<std::mutex>(g_mu);
}

int take_one_ok() {
  auto lk = lock_jobs();
  if (g_jobs.empty())
    return -1;
  int job = g_jobs.front();
  g_jobs.pop_front();
  lk.unlock();
  return job;
}

// The lock moves to another unique_lock, which unlocks it.
void hand_over_ok() {
  std::unique_lock<std::mutex> lk(g_mu);
  g_jobs.push_back(0);
  std::unique_lock<std::mutex> mine = std::move(lk);
  mine.unlock();
}

// release() gives up ownership without unlocking; the mutex is then
// unlocked directly.
void release_ok() {
  std::unique_lock<std::mutex> lk(g_mu);
  g_jobs.clear();
  lk.release();
  g_mu.unlock();
}

// -------------------------------------- a helper that takes the guard --

// Finishes the update and releases the caller's lock.
void publish(std::unique_lock<std::mutex> &lk) {
  g_stop = g_jobs.empty();
  lk.unlock();
  g_cv.notify_all();
}

void publish_then_unlock_bad() {
  std::unique_lock<std::mutex> lk(g_mu);
  g_jobs.push_back(1);
  publish(lk);
  lk.unlock(); // expect: threadlint-unlock-without-lock "'lk.unlock()' is called but 'lk' does not hold its lock here on any path"
}

void publish_then_relock_ok() {
  std::unique_lock<std::mutex> lk(g_mu);
  g_jobs.push_back(1);
  publish(lk);
  lk.lock();
  g_jobs.push_back(2);
  lk.unlock();
}

// ------------------------------------------------------- shared_lock --

// std::shared_lock::unlock() throws in the same way.
std::shared_mutex g_table_mu;
int g_table_version = 0;

int read_version_bad() {
  std::shared_lock<std::shared_mutex> lk(g_table_mu);
  int v = g_table_version;
  lk.unlock(); // expect-note: "already unlocked here"
  process(v);
  lk.unlock(); // expect: threadlint-unlock-without-lock "'lk.unlock()' is called but 'lk' does not hold its lock here on any path (it was already unlocked at line 220): std::shared_lock::unlock throws std::system_error"
  return v;
}

int read_version_ok() {
  std::shared_lock<std::shared_mutex> lk(g_table_mu);
  int v = g_table_version;
  lk.unlock();
  process(v);
  return v;
}

// ------------------------------------------------------------ threads --

void run_workers() {
  std::thread w1(pump_ok);
  std::thread w2(worker_bad);
  for (int i = 0; i < 10; ++i)
    adopted_ok(i);
  {
    std::lock_guard<std::mutex> g(g_mu);
    g_stop = true;
  }
  g_cv.notify_all();
  w1.join();
  w2.join();
}
