// Shared mode taken by hand or through other forms: mu.lock_shared() /
// unlock_shared(), try_lock_shared(), try_lock_shared_for(),
// std::shared_timed_mutex, a std::shared_lock constructed with defer_lock
// or try_to_lock, globals and function statics, a helper declared with
// Clang's REQUIRES_SHARED capability attribute, and a helper whose only
// caller holds the lock in shared mode. Negative cases: the same reads;
// writes after unlock_shared(); writes under lock() of the same mutex, a
// try_lock() that succeeded, or a REQUIRES (exclusive) helper; a global
// atomic; a thread_local counter. Known miss (FN_): a write through an
// iterator that find() returned.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#define CAPABILITY(x) __attribute__((capability(x)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define REQUIRES_SHARED(...) __attribute__((requires_shared_capability(__VA_ARGS__)))

void handle(int v);

// ------------------------------------------------------ global settings --

std::shared_mutex g_settings_mu;
std::map<std::string, int> g_settings;
int g_reads = 0;
std::atomic<int> g_atomic_reads{0};
thread_local int t_reads = 0;

int setting_bad(const std::string &name) {
  g_settings_mu.lock_shared(); // expect-note: "'g_settings_mu' acquired in shared mode here"
  ++g_reads; // expect: threadlint-write-under-shared-lock "'g_reads' is updated while 'g_settings_mu' is held only in shared (reader) mode"
  int v = g_settings[name]; // expect: threadlint-write-under-shared-lock "'g_settings' is written while 'g_settings_mu' is held only in shared (reader) mode"
  g_settings_mu.unlock_shared();
  return v;
}

int setting_ok(const std::string &name) {
  g_settings_mu.lock_shared();
  ++t_reads;
  g_atomic_reads.fetch_add(1, std::memory_order_relaxed);
  auto it = g_settings.find(name);
  int v = it == g_settings.end() ? 0 : it->second;
  g_settings_mu.unlock_shared();
  return v;
}

// Written after the shared section ends.
int setting_then_count_ok(const std::string &name) {
  g_settings_mu.lock_shared();
  int v = g_settings.count(name) ? g_settings.at(name) : 0;
  g_settings_mu.unlock_shared();
  g_settings_mu.lock();
  ++g_reads;
  g_settings_mu.unlock();
  return v;
}

void set_setting_ok(const std::string &name, int v) {
  g_settings_mu.lock();
  g_settings[name] = v;
  g_settings_mu.unlock();
}

bool try_set_setting_ok(const std::string &name, int v) {
  if (!g_settings_mu.try_lock())
    return false;
  g_settings.insert_or_assign(name, v);
  g_settings_mu.unlock();
  return true;
}

bool try_bump_bad() {
  if (!g_settings_mu.try_lock_shared())
    return false;
  g_reads += 1; // expect: threadlint-write-under-shared-lock "'g_reads' is updated"
  g_settings_mu.unlock_shared();
  return true;
}

// Writes through a reference or an iterator that a call returned are not
// followed (the model records accesses to named state only): the entry is
// changed under the reader lock, and two readers race on it.
struct Limit {
  int value = 0;
  long last_used = 0;
};
std::map<std::string, Limit> g_limits;

int FN_touch_setting(const std::string &name) {
  std::shared_lock lock(g_settings_mu);
  auto it = g_limits.find(name);
  if (it == g_limits.end())
    return 0;
  it->second.last_used = std::chrono::steady_clock::now().time_since_epoch().count();
  return it->second.value;
}

// ------------------------------------------------ a deferred shared_lock --

std::shared_timed_mutex g_table_mu;
std::vector<int> g_table;

void append_deferred_bad(int v) {
  std::shared_lock<std::shared_timed_mutex> lock(g_table_mu, std::defer_lock);
  lock.lock();
  g_table.push_back(v); // expect: threadlint-write-under-shared-lock "'g_table' is written while 'g_table_mu' is held only in shared (reader) mode"
}

bool append_try_bad(int v) {
  std::shared_lock<std::shared_timed_mutex> lock(g_table_mu, std::try_to_lock);
  if (!lock.owns_lock())
    return false;
  g_table.push_back(v); // expect: threadlint-write-under-shared-lock "'g_table' is written while 'g_table_mu' is held only in shared (reader) mode"
  return true;
}

bool append_timed_bad(int v) {
  if (!g_table_mu.try_lock_shared_for(std::chrono::milliseconds(5)))
    return false;
  g_table.push_back(v); // expect: threadlint-write-under-shared-lock "'g_table' is written"
  g_table_mu.unlock_shared();
  return true;
}

int sum_table_ok() {
  std::shared_lock<std::shared_timed_mutex> lock(g_table_mu);
  int s = 0;
  for (int x : g_table)
    s += x;
  return s;
}

void append_ok(int v) {
  std::unique_lock<std::shared_timed_mutex> lock(g_table_mu);
  g_table.push_back(v);
}

int cached_sum_bad() {
  static int cached = -1;
  std::shared_lock<std::shared_timed_mutex> lock(g_table_mu);
  if (cached < 0)
    cached = static_cast<int>(g_table.size()); // expect: threadlint-write-under-shared-lock "'cached' is written while 'g_table_mu' is held only in shared (reader) mode"
  return cached;
}

// ------------------------------------------------- annotated functions --

class CAPABILITY("mutex") RwLock {
public:
  void lock();
  void unlock();
  void lock_shared();
  void unlock_shared();
};

class Registry {
public:
  // The caller holds mu_ in shared mode: the annotation says so.
  void note_lookup_bad() REQUIRES_SHARED(mu_) {
    ++lookups_; // expect: threadlint-write-under-shared-lock "'Registry::lookups_' is updated while 'Registry::mu_' is held only in shared (reader) mode"
  }

  int find_ok(int key) REQUIRES_SHARED(mu_) {
    auto it = names_.find(key);
    return it == names_.end() ? -1 : static_cast<int>(it->second.size());
  }

  void add_ok(int key, std::string name) REQUIRES(mu_) {
    names_[key] = std::move(name);
  }

  int lookup(int key) {
    mu_.lock_shared(); // expect-note: "'Registry::mu_' acquired in shared mode here"
    note_lookup_bad();
    int r = find_ok(key);
    remember_locked_bad(key);
    mu_.unlock_shared();
    return r;
  }

  void add(int key, std::string name) {
    mu_.lock();
    add_ok(key, std::move(name));
    mu_.unlock();
  }

  // No annotation, but its only caller, lookup(), holds mu_ in shared mode.
  void remember_locked_bad(int key) {
    last_key_ = key; // expect: threadlint-write-under-shared-lock "'Registry::last_key_' is written while 'Registry::mu_' is held only in shared (reader) mode"
  }

private:
  RwLock mu_;
  std::map<int, std::string> names_;
  long lookups_ = 0;
  int last_key_ = 0;
};

// --------------------------------------------------------------- threads --

Registry g_registry;

void reader(int id) {
  handle(setting_bad("threads") + setting_ok("threads") +
         setting_then_count_ok("threads") + sum_table_ok() + cached_sum_bad());
  handle(try_bump_bad());
  append_deferred_bad(id);
  append_try_bad(id);
  append_timed_bad(id);
  handle(FN_touch_setting("threads"));
  handle(g_registry.lookup(id));
}

void writer() {
  set_setting_ok("threads", 8);
  try_set_setting_ok("threads", 4);
  append_ok(1);
  g_registry.add(1, "one");
}

int main() {
  std::thread r1(reader, 1), r2(reader, 2), w(writer);
  r1.join();
  r2.join();
  w.join();
  return t_reads + g_atomic_reads.load();
}
