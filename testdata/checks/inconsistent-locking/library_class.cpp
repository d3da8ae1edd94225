// A library class in a translation unit that starts no thread: it locks
// its mutex, so its methods are taken to run in different threads at once,
// and a method that reads or writes a guarded field through 'this'
// without the lock is reported. Negative cases: methods that all take the
// lock, the constructor and destructor, static helpers that do not touch
// the object, and a class that never locks (nothing says it is shared).
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

// ------------------------------------------------ one unlocked method --

class SessionCache {
public:
  SessionCache() { capacity_ = 128; }
  ~SessionCache() { entries_.clear(); }

  void put(const std::string &id, const std::string &user) {
    std::lock_guard<std::mutex> lock(mu_);
    if (entries_.size() >= capacity_)
      entries_.clear(); // expect-note: "'SessionCache::entries_' written here while holding 'SessionCache::mu_'"
    entries_[id] = user;
  }

  bool get_ok(const std::string &id, std::string &user) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end())
      return false;
    user = it->second;
    return true;
  }

  void resize_ok(std::size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    capacity_ = n; // expect-note: "'SessionCache::capacity_' written here while holding 'SessionCache::mu_'"
  }

  // Forgot the lock: a reader racing with put().
  std::size_t size() const { return entries_.size(); } // expect: threadlint-inconsistent-locking "'SessionCache::entries_' is read without holding 'SessionCache::mu_', which all 5 of its other accesses hold; the class locks it, so its methods may run in different threads at once: this access races with the guarded write on line 22; hold 'SessionCache::mu_' here"

  // And a writer racing with put() and resize_ok().
  void shrink(std::size_t n) { capacity_ = n; } // expect: threadlint-inconsistent-locking "'SessionCache::capacity_' is written without holding 'SessionCache::mu_', which both of its other accesses hold; the class locks it, so its methods may run in different threads at once: this access races with the guarded write on line 37"

private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> entries_;
  std::size_t capacity_;
};

// ------------------------------------------------ consistently locked --

class Counter {
public:
  Counter() : value_(0) {}
  void add_ok(long n) {
    std::lock_guard<std::mutex> lock(mu_);
    value_ += n;
  }
  long get_ok() const {
    std::lock_guard<std::mutex> lock(mu_);
    return value_;
  }
  static long clamp_ok(long v) { return v < 0 ? 0 : v; }

private:
  mutable std::mutex mu_;
  long value_;
};

// ------------------------------------- a class that never locks anything --

class Histogram {
public:
  void record_ok(int bucket) {
    if (bucket >= 0 && bucket < 8)
      last_ = bucket;
  }
  int last_ok() const { return last_; }

private:
  int last_ = 0;
};
