// Guards and user lock types. User RAII guards over a standard mutex count
// as acquisitions of that mutex. User lock types (BasicLockable classes,
// capability-annotated classes) may be re-entrant by design, so re-entering
// them is never reported; the examples below are re-entrant.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>

// ----------------------------------- a user guard over a std::mutex --

class MutexHolder {
public:
  explicit MutexHolder(std::mutex &m) : m_(m) { m_.lock(); }
  ~MutexHolder() { m_.unlock(); }
  MutexHolder(const MutexHolder &) = delete;
  MutexHolder &operator=(const MutexHolder &) = delete;

private:
  std::mutex &m_;
};

std::mutex g_plugins_mu;
std::map<std::string, void *> g_plugins;

void *find_plugin(const std::string &name) {
  MutexHolder h(g_plugins_mu);
  auto it = g_plugins.find(name);
  return it == g_plugins.end() ? nullptr : it->second;
}

void load_plugin_bad(const std::string &name, void *handle) {
  MutexHolder h(g_plugins_mu);
  if (find_plugin(name)) // expect: threadlint-recursive-lock "call to 'find_plugin' acquires 'g_plugins_mu', which is already held"
    return;
  g_plugins[name] = handle;
}

void load_plugin_ok(const std::string &name, void *handle) {
  MutexHolder h(g_plugins_mu);
  g_plugins.emplace(name, handle);
}

void unload_plugin_bad(const std::string &name) {
  MutexHolder h(g_plugins_mu);
  MutexHolder again(g_plugins_mu); // expect: threadlint-recursive-lock "'g_plugins_mu' acquired while it is already held"
  g_plugins.erase(name);
}

// ----------------------- a re-entrant BasicLockable (owner + depth) --

class ReentrantSpinLock {
public:
  void lock() {
    std::thread::id me = std::this_thread::get_id();
    if (owner_.load(std::memory_order_acquire) == me) {
      ++depth_;
      return;
    }
    while (flag_.test_and_set(std::memory_order_acquire)) {
    }
    owner_.store(me, std::memory_order_release);
    depth_ = 1;
  }
  void unlock() {
    if (--depth_ > 0)
      return;
    owner_.store(std::thread::id(), std::memory_order_release);
    flag_.clear(std::memory_order_release);
  }

private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
  std::atomic<std::thread::id> owner_{};
  int depth_ = 0;
};

ReentrantSpinLock g_event_lock;
std::map<int, std::string> g_events;

static void record_event(int id, const std::string &what) {
  std::lock_guard<ReentrantSpinLock> l(g_event_lock);
  g_events[id] = what;
}

void record_pair_ok(int id, const std::string &a, const std::string &b) {
  std::lock_guard<ReentrantSpinLock> l(g_event_lock);
  record_event(id, a);
  record_event(id + 1, b);
}

void record_nested_ok(int id) {
  g_event_lock.lock();
  g_event_lock.lock();
  g_events.erase(id);
  g_event_lock.unlock();
  g_event_lock.unlock();
}

// -------------------- a capability-annotated re-entrant mutex class --

#define CAPABILITY(x) __attribute__((capability(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define SCOPED_CAPABILITY __attribute__((scoped_lockable))

class CAPABILITY("mutex") ReentrantMutex {
public:
  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

private:
  std::recursive_mutex mu_;
};

class SCOPED_CAPABILITY ReentrantLock {
public:
  explicit ReentrantLock(ReentrantMutex *m) ACQUIRE(m) : m_(m) { m_->Lock(); }
  ~ReentrantLock() RELEASE() { m_->Unlock(); }

private:
  ReentrantMutex *m_;
};

class Inbox {
public:
  void add(const std::string &msg) {
    ReentrantLock l(&mu_);
    messages_[next_++] = msg;
  }

  void add_all_ok(const std::string &a, const std::string &b) {
    ReentrantLock l(&mu_);
    add(a);
    add(b);
  }

  size_t size_ok() {
    mu_.Lock();
    size_t n = messages_.size();
    mu_.Unlock();
    return n;
  }

private:
  ReentrantMutex mu_;
  std::map<int, std::string> messages_;
  int next_ = 0;
};

// ---------------------------------------------- std::unique_lock moves --

std::mutex g_table_mu;
std::map<int, int> g_table;

// Hands the held lock to the caller.
std::unique_lock<std::mutex> lock_table_ok() {
  std::unique_lock<std::mutex> l(g_table_mu);
  return l;
}

// The returned guard holds the lock; a second guard deadlocks.
void update_table_bad(int k, int v) {
  std::unique_lock<std::mutex> l = lock_table_ok();
  std::lock_guard<std::mutex> again(g_table_mu); // expect: threadlint-recursive-lock "'g_table_mu' acquired while it is already held"
  g_table[k] = v;
}

// The guard released before the next acquisition.
void update_table_ok(int k, int v) {
  {
    std::unique_lock<std::mutex> l(g_table_mu);
    g_table.erase(k);
  }
  std::lock_guard<std::mutex> again(g_table_mu);
  g_table[k] = v;
}

// release() lets go of the lock without unlocking: still held.
void leak_table_lock_bad() {
  std::unique_lock<std::mutex> l(g_table_mu);
  std::mutex *m = l.release();
  g_table_mu.lock(); // expect: threadlint-recursive-lock "'g_table_mu' acquired while it is already held"
  g_table_mu.unlock();
  m->unlock();
}
