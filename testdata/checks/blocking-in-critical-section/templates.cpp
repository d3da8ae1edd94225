// Templates: every instantiation is analysed, but a blocking call written
// once in a template reports once, however many times it is instantiated.
#include <chrono>
#include <cstdio>
#include <list>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include <unistd.h>

// ---------------------------------------------------- an LRU cache --

template <typename K, typename V, typename Mutex = std::mutex>
class LruCache {
public:
  explicit LruCache(size_t cap) : cap_(cap) {}

  void put_bad(const K &k, V v) {
    std::lock_guard<Mutex> lock(mu_);
    index_[k] = std::move(v);
    if (index_.size() > cap_)
      usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'LruCache::mu_'"
  }

  bool get_ok(const K &k, V &out) {
    std::lock_guard<Mutex> lock(mu_);
    auto it = index_.find(k);
    if (it == index_.end())
      return false;
    out = it->second;
    return true;
  }

  void dump_ok(FILE *f) {
    std::unordered_map<K, V> copy;
    {
      std::lock_guard<Mutex> lock(mu_);
      copy = index_;
    }
    fprintf(f, "%zu entries\n", copy.size());
    fsync(fileno(f));
  }

  void dump_bad(FILE *f) {
    std::lock_guard<Mutex> lock(mu_);
    fprintf(f, "%zu entries\n", index_.size());
    fsync(fileno(f)); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'LruCache::mu_'"
  }

private:
  Mutex mu_;
  size_t cap_;
  std::unordered_map<K, V> index_;
};

// Instantiated three times, with two different mutex types: each warning
// above appears once.
template class LruCache<std::string, int>;
template class LruCache<int, std::string>;
template class LruCache<int, int, std::recursive_mutex>;

// ------------------------------------------- a policy-based eviction --

struct DiskSpill {
  int fd = -1;
  void on_evict(const std::string &k) { write(fd, k.data(), k.size()); }
};

struct DropSilently {
  size_t dropped = 0;
  void on_evict(const std::string &) { ++dropped; }
};

template <typename EvictionPolicy> class Store {
public:
  void evict_one() {
    std::lock_guard<std::mutex> lock(mu_);
    if (keys_.empty())
      return;
    std::string k = keys_.front();
    keys_.pop_front();
    // Blocks only for Store<DiskSpill>: reported once, naming that callee.
    policy_.on_evict(k); // expect: threadlint-blocking-in-critical-section "call to 'DiskSpill::on_evict' may block while holding 'Store::mu_': 'write' waits for I/O"
  }

  void evict_one_ok() {
    std::string k;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (keys_.empty())
        return;
      k = keys_.front();
      keys_.pop_front();
    }
    policy_.on_evict(k);
  }

private:
  std::mutex mu_;
  std::list<std::string> keys_;
  EvictionPolicy policy_;
};

template class Store<DiskSpill>;
template class Store<DropSilently>;

// A store whose only instantiation never blocks: silent.
template <typename EvictionPolicy> class QuietStore {
public:
  void evict_ok(const std::string &k) {
    std::lock_guard<std::mutex> lock(mu_);
    policy_.on_evict(k);
  }

private:
  std::mutex mu_;
  EvictionPolicy policy_;
};

template class QuietStore<DropSilently>;

// ------------------------------------------------ function templates --

// The lock is a template parameter: works for any lockable.
template <typename Lockable> void locked_sleep_bad(Lockable &m) {
  std::lock_guard<Lockable> lock(m);
  std::this_thread::sleep_for(std::chrono::milliseconds(1)); // expect: threadlint-blocking-in-critical-section "'std::this_thread::sleep_for' sleeps while holding 'm'"
}

template <typename Lockable> void unlocked_sleep_ok(Lockable &m) {
  { std::lock_guard<Lockable> lock(m); }
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

std::mutex g_a;
std::timed_mutex g_b;

void instantiate_function_templates() {
  locked_sleep_bad(g_a);
  locked_sleep_bad(g_b);
  unlocked_sleep_ok(g_a);
  unlocked_sleep_ok(g_b);
}

// A generic "with lock" helper: runs the callable under the lock. The
// callable here writes to a file: the call inside the helper reports once,
// for the instantiation whose callable blocks.
template <typename F> auto with_lock(std::mutex &m, F &&f) {
  std::lock_guard<std::mutex> lock(m);
  return f(); // expect: threadlint-blocking-in-critical-section "may block while holding 'm': 'fsync' waits for I/O"
}

std::mutex g_log_mu;
int g_lines;

void with_lock_bad() {
  with_lock(g_log_mu, [] { return fsync(fileno(stderr)); });
}

void with_lock_ok() {
  int n = with_lock(g_log_mu, [] { return ++g_lines; });
  (void)n;
}

// Variadic: a scoped_lock over a pack.
template <typename... Ms> void all_locked_bad(Ms &...ms) {
  std::scoped_lock lock(ms...);
  sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding"
}

template <typename... Ms> void all_locked_ok(Ms &...ms) {
  { std::scoped_lock lock(ms...); }
  sleep(1);
}

std::mutex g_c, g_d;

void instantiate_variadic() {
  all_locked_bad(g_c, g_d);
  all_locked_bad(g_c);
  all_locked_ok(g_c, g_d);
}

// ------------------------------------------------ more correct templates --

// A thread-safe counter map over any key type: no blocking anywhere.
template <typename K> class CounterMap {
public:
  void add_ok(const K &k, long n) {
    std::lock_guard<std::mutex> lock(mu_);
    counts_[k] += n;
  }

  long get_ok(const K &k) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = counts_.find(k);
    return it == counts_.end() ? 0 : it->second;
  }

  // Snapshot under the lock, report with I/O outside it.
  void report_ok(int fd) {
    size_t n;
    {
      std::lock_guard<std::mutex> lock(mu_);
      n = counts_.size();
    }
    write(fd, &n, sizeof n);
  }

private:
  std::mutex mu_;
  std::unordered_map<K, long> counts_;
};

template class CounterMap<int>;
template class CounterMap<std::string>;

// A member function template of a non-template class.
class Dispatcher {
public:
  template <typename Fn> void dispatch_ok(Fn fn) {
    Fn copy;
    {
      std::lock_guard<std::mutex> lock(mu_);
      copy = fn;
    }
    copy();
  }

  template <typename T> void store_ok(const T &v) {
    std::shared_lock<std::shared_mutex> lock(rw_);
    last_size_ = sizeof v;
  }

private:
  std::mutex mu_;
  std::shared_mutex rw_;
  size_t last_size_ = 0;
};

struct Beep {
  void operator()() const { usleep(1); }
};

void dispatch_instantiate() {
  Dispatcher d;
  d.dispatch_ok(Beep{});
  d.store_ok(1);
  d.store_ok(std::string("x"));
}

// A with_lock() call whose callable does not block.
void with_lock_counter_ok() {
  with_lock(g_log_mu, [] { return g_lines * 2; });
}

// A variadic helper instantiated with one and with two mutexes.
void instantiate_variadic_ok() {
  all_locked_ok(g_c);
}
