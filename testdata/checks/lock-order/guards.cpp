// Every way of holding a lock takes part in the order: std::unique_lock
// (deferred, re-locked, moved), std::shared_lock, user RAII guards, a
// BasicLockable spin lock, capability-annotated types, and lock wrapper
// functions that return holding a lock. Negative cases: guards whose scope
// (or unlock()) ends before the next acquisition, deferred guards never
// locked, and guards moved out of the function.
#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

// ------------------------------------------------ std::unique_lock --

// A job scheduler: the queue lock and the worker-state lock.
class Scheduler {
public:
  // Deferred, then locked: holds queue_mu_ from lock() on.
  void enqueue_bad(int job) {
    std::unique_lock<std::mutex> q(queue_mu_, std::defer_lock);
    q.lock();
    queue_.push_back(job);
    std::unique_lock<std::mutex> w(workers_mu_); // expect: threadlint-lock-order "'Scheduler::workers_mu_' acquired while holding 'Scheduler::queue_mu_'; elsewhere 'Scheduler::queue_mu_' is acquired while holding 'Scheduler::workers_mu_'"
    ++wakeups_;
  }

  // Worker state first, then the queue: the other order.
  int steal_bad() {
    std::lock_guard<std::mutex> w(workers_mu_);
    std::unique_lock<std::mutex> q(queue_mu_);
    if (queue_.empty())
      return -1;
    int job = queue_.front();
    queue_.pop_front();
    return job;
  }

  // A deferred guard that is never locked holds nothing.
  void peek_ok(std::vector<int> &out) {
    std::unique_lock<std::mutex> q(queue_mu_, std::defer_lock);
    std::lock_guard<std::mutex> w(workers_mu_);
    out.push_back(wakeups_);
  }

  // Unlocked before the second lock, re-locked after it is released.
  void rebalance_ok() {
    std::unique_lock<std::mutex> q(queue_mu_);
    int n = static_cast<int>(queue_.size());
    q.unlock();
    {
      std::lock_guard<std::mutex> w(workers_mu_);
      wakeups_ += n;
    }
    q.lock();
    queue_.clear();
  }

  // Hands the locked guard to the caller: nothing else is taken here.
  std::unique_lock<std::mutex> lock_queue_ok() {
    std::unique_lock<std::mutex> q(queue_mu_);
    return q;
  }

  // A guard moved into another guard keeps the lock; released at scope end.
  void drain_ok() {
    {
      std::unique_lock<std::mutex> q(queue_mu_);
      std::unique_lock<std::mutex> moved(std::move(q));
      queue_.clear();
    }
    std::lock_guard<std::mutex> w(workers_mu_);
    wakeups_ = 0;
  }

private:
  std::mutex queue_mu_;
  std::mutex workers_mu_;
  std::deque<int> queue_;
  int wakeups_ = 0;
};

// --------------------------------------------- std::shared_lock --

class RouteTable {
public:
  // Reads the table under a shared lock and takes the hit counter inside.
  int lookup_bad(const std::string &path) {
    std::shared_lock<std::shared_mutex> r(table_mu_);
    std::lock_guard<std::mutex> h(hits_mu_); // expect: threadlint-lock-order "'RouteTable::hits_mu_' acquired while holding 'RouteTable::table_mu_'"
    ++hits_[path];
    return routes_[path];
  }

  // Writes the table while holding the hit counter.
  void reload_bad(std::map<std::string, int> fresh) {
    std::lock_guard<std::mutex> h(hits_mu_);
    hits_.clear();
    std::unique_lock<std::shared_mutex> w(table_mu_);
    routes_.swap(fresh);
  }

  // Manual shared lock released before the counter.
  int lookup_ok(const std::string &path) {
    table_mu_.lock_shared();
    int v = routes_[path];
    table_mu_.unlock_shared();
    std::lock_guard<std::mutex> h(hits_mu_);
    ++hits_[path];
    return v;
  }

  size_t hit_count_ok() {
    std::lock_guard<std::mutex> h(hits_mu_);
    return hits_.size();
  }

private:
  std::shared_mutex table_mu_;
  std::mutex hits_mu_;
  std::map<std::string, int> routes_;
  std::map<std::string, long> hits_;
};

// --------------------------------------------- user RAII guards --

// A spin lock with lock()/unlock() (BasicLockable) and its guard.
class SpinLock {
public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire)) {
    }
  }
  void unlock() { flag_.clear(std::memory_order_release); }

private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

class SpinGuard {
public:
  explicit SpinGuard(SpinLock &l) : l_(l) { l_.lock(); }
  ~SpinGuard() { l_.unlock(); }
  SpinGuard(const SpinGuard &) = delete;
  SpinGuard &operator=(const SpinGuard &) = delete;

private:
  SpinLock &l_;
};

SpinLock g_freelist_lock;
SpinLock g_pagecount_lock;
std::vector<void *> g_freelist;
long g_pages;

void *alloc_page_bad() {
  SpinGuard f(g_freelist_lock);
  if (g_freelist.empty())
    return nullptr;
  void *p = g_freelist.back();
  g_freelist.pop_back();
  SpinGuard c(g_pagecount_lock); // expect: threadlint-lock-order "'g_pagecount_lock' acquired while holding 'g_freelist_lock'; elsewhere 'g_freelist_lock' is acquired while holding 'g_pagecount_lock'"
  --g_pages;
  return p;
}

void free_page_bad(void *p) {
  g_pagecount_lock.lock();
  ++g_pages;
  g_freelist_lock.lock();
  g_freelist.push_back(p);
  g_freelist_lock.unlock();
  g_pagecount_lock.unlock();
}

// Each spin lock on its own.
long pages_ok() {
  SpinGuard c(g_pagecount_lock);
  return g_pages;
}

void free_page_ok(void *p) {
  {
    SpinGuard f(g_freelist_lock);
    g_freelist.push_back(p);
  }
  SpinGuard c(g_pagecount_lock);
  ++g_pages;
}

// A guard over a std::mutex through a pointer, with a user destructor.
class MutexHolder {
public:
  explicit MutexHolder(std::mutex *m) : m_(m) { m_->lock(); }
  ~MutexHolder() { m_->unlock(); }

private:
  std::mutex *m_;
};

std::mutex g_users_mu;
std::mutex g_groups_mu;
std::map<std::string, std::string> g_user_group;
std::map<std::string, int> g_group_size;

void add_user_bad(const std::string &user, const std::string &group) {
  MutexHolder u(&g_users_mu);
  g_user_group[user] = group;
  MutexHolder g(&g_groups_mu); // expect: threadlint-lock-order "'g_groups_mu' acquired while holding 'g_users_mu'"
  ++g_group_size[group];
}

void rename_group_bad(const std::string &from, const std::string &to) {
  MutexHolder g(&g_groups_mu);
  g_group_size[to] = g_group_size[from];
  MutexHolder u(&g_users_mu);
  for (auto &kv : g_user_group)
    if (kv.second == from)
      kv.second = to;
}

// The holders' scopes do not overlap.
void move_user_ok(const std::string &user, const std::string &group) {
  {
    MutexHolder u(&g_users_mu);
    g_user_group[user] = group;
  }
  MutexHolder g(&g_groups_mu);
  ++g_group_size[group];
}

// ------------------------------------- capability-annotated types --

#define CAPABILITY(x) __attribute__((capability(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define SCOPED_CAPABILITY __attribute__((scoped_lockable))

class CAPABILITY("mutex") Mutex {
public:
  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

private:
  std::mutex mu_;
};

class SCOPED_CAPABILITY MutexLock {
public:
  explicit MutexLock(Mutex *mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() { mu_->Unlock(); }

private:
  Mutex *mu_;
};

// A session store with an index: both capabilities.
class SessionStore {
public:
  void insert_bad(int id, const std::string &user) {
    MutexLock s(&sessions_mu_);
    sessions_[id] = user;
    MutexLock i(&index_mu_); // expect: threadlint-lock-order "'SessionStore::index_mu_' acquired while holding 'SessionStore::sessions_mu_'"
    index_[user] = id;
  }

  void expire_bad(const std::string &user) {
    index_mu_.Lock();
    int id = index_[user];
    sessions_mu_.Lock();
    sessions_.erase(id);
    sessions_mu_.Unlock();
    index_mu_.Unlock();
  }

  // Index, then sessions, one at a time.
  void expire_ok(const std::string &user) {
    int id;
    {
      MutexLock i(&index_mu_);
      id = index_[user];
    }
    MutexLock s(&sessions_mu_);
    sessions_.erase(id);
  }

private:
  Mutex sessions_mu_;
  Mutex index_mu_;
  std::map<int, std::string> sessions_;
  std::map<std::string, int> index_;
};

// ------------------------------------------------ lock wrappers --

std::mutex g_journal_mu;
std::mutex g_checkpoint_mu;
std::vector<std::string> g_journal;
long g_checkpoint;

// Return holding g_journal_mu / release it. The cycle below is reported at
// the acquisition with the smallest position among its edges: the one in this
// wrapper, reached from checkpoint_bad() while g_checkpoint_mu is held.
void lock_journal() { g_journal_mu.lock(); }
void unlock_journal() { g_journal_mu.unlock(); }

void append_bad(const std::string &rec) {
  lock_journal();
  g_journal.push_back(rec);
  std::lock_guard<std::mutex> c(g_checkpoint_mu); // expect-note: "'g_checkpoint_mu' acquired here while 'g_journal_mu' is held" // expect: threadlint-lock-order "'g_checkpoint_mu' acquired while holding 'g_journal_mu'; elsewhere 'g_journal_mu' is acquired while holding 'g_checkpoint_mu'"
  ++g_checkpoint;
  unlock_journal();
}

void checkpoint_bad() {
  std::lock_guard<std::mutex> c(g_checkpoint_mu);
  lock_journal(); // expect-note: "'checkpoint_bad' calls 'lock_journal'"
  g_checkpoint = static_cast<long>(g_journal.size());
  unlock_journal();
}

// The wrapper's lock released before the checkpoint lock.
void append_ok(const std::string &rec) {
  lock_journal();
  g_journal.push_back(rec);
  unlock_journal();
  std::lock_guard<std::mutex> c(g_checkpoint_mu);
  ++g_checkpoint;
}

// The wrapper pair alone.
size_t journal_size_ok() {
  lock_journal();
  size_t n = g_journal.size();
  unlock_journal();
  return n;
}

long checkpoint_ok() {
  std::lock_guard<std::mutex> c(g_checkpoint_mu);
  return g_checkpoint;
}
