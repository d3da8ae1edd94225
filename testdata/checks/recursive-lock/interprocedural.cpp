// A lock re-acquired through a call: a method holding the object's lock
// calls another public method that takes it, directly or several calls
// down, through a lambda, or through a lock parameter. The object is
// tracked: this->put() re-enters this object's lock, other.put() takes a
// different object's. Negative cases: the "_locked" helper pattern, calls
// after the lock is released, calls on another object, and callees defined
// in another file.
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <vector>

// ------------------------------------------------------- an LRU cache --

class Cache {
public:
  void put(const std::string &k, const std::string &v) {
    std::lock_guard<std::mutex> g(mu_); // expect-note: "'Cache::mu_' acquired again here"
    put_locked(k, v);
  }

  bool get(const std::string &k, std::string &v) {
    std::lock_guard<std::mutex> g(mu_);
    auto it = map_.find(k);
    if (it == map_.end())
      return false;
    v = it->second;
    return true;
  }

  // Re-puts the stale entries through the public put(): mu_ is held.
  void refresh_bad() {
    std::lock_guard<std::mutex> g(mu_); // expect-note: "'Cache::mu_' acquired here"
    for (const std::string &k : stale_)
      put(k, map_[k]); // expect: threadlint-recursive-lock "call to 'Cache::put' acquires 'Cache::mu_', which is already held: a non-recursive mutex deadlocks on itself"
    stale_.clear();
  }

  // The fix: the private helper that expects the lock to be held.
  void refresh_ok() {
    std::lock_guard<std::mutex> g(mu_);
    for (const std::string &k : stale_)
      put_locked(k, map_[k]);
    stale_.clear();
  }

  // this->get() under the lock, spelled with 'this'.
  bool contains_bad(const std::string &k) {
    std::lock_guard<std::mutex> g(mu_);
    std::string ignored;
    return this->get(k, ignored); // expect: threadlint-recursive-lock "call to 'Cache::get' acquires 'Cache::mu_', which is already held"
  }

  // Another cache's put() under this cache's lock: a different mutex.
  void copy_into_ok(Cache &other) {
    std::lock_guard<std::mutex> g(mu_);
    for (const auto &kv : map_)
      other.put(kv.first, kv.second);
  }

  // The other cache's lock held, then the other cache's put(): the same
  // object, so the same mutex.
  void seed_from_bad(Cache &other) {
    std::lock_guard<std::mutex> g(other.mu_);
    if (other.map_.empty())
      other.put("seed", "1"); // expect: threadlint-recursive-lock "call to 'Cache::put' acquires 'Cache::mu_', which is already held"
  }

  // Reads a snapshot, releases the lock, then calls put().
  void warm_ok(const std::vector<std::string> &keys) {
    std::vector<std::string> missing;
    {
      std::lock_guard<std::mutex> g(mu_);
      for (const std::string &k : keys)
        if (!map_.count(k))
          missing.push_back(k);
    }
    for (const std::string &k : missing)
      put(k, "");
  }

  // Through a helper two calls down.
  void expire_bad(const std::string &k) {
    std::lock_guard<std::mutex> g(mu_);
    stale_.push_back(k);
    touch(k); // expect: threadlint-recursive-lock "call to 'Cache::touch' acquires 'Cache::mu_', which is already held"
  }

  // Through a lambda called under the lock.
  void update_bad(const std::string &k) {
    std::lock_guard<std::mutex> g(mu_);
    auto reput = [this, &k] { put(k, map_[k] + "*"); };
    reput(); // expect: threadlint-recursive-lock "acquires 'Cache::mu_', which is already held"
  }

  // A lambda stored under the lock, run after it.
  std::function<void()> deferred_update_ok(const std::string &k) {
    std::lock_guard<std::mutex> g(mu_);
    stale_.push_back(k);
    return [this, k] { put(k, "refreshed"); };
  }

  size_t size_ok() {
    std::lock_guard<std::mutex> g(mu_);
    return map_.size();
  }

private:
  void put_locked(const std::string &k, const std::string &v) { map_[k] = v; }
  void touch(const std::string &k) { bump(k); }
  void bump(const std::string &k) {
    std::string v;
    if (get(k, v))
      put_locked(k, v);
  }

  std::mutex mu_;
  std::map<std::string, std::string> map_;
  std::vector<std::string> stale_;
};

// -------------------------------------------- free functions and wrappers --

std::mutex g_registry_mu;
std::map<std::string, int> g_registry;

static int lookup(const std::string &name) {
  std::lock_guard<std::mutex> g(g_registry_mu);
  auto it = g_registry.find(name);
  return it == g_registry.end() ? -1 : it->second;
}

static int lookup_locked(const std::string &name) {
  auto it = g_registry.find(name);
  return it == g_registry.end() ? -1 : it->second;
}

int register_bad(const std::string &name) {
  std::lock_guard<std::mutex> g(g_registry_mu);
  if (lookup(name) >= 0) // expect: threadlint-recursive-lock "call to 'lookup' acquires 'g_registry_mu', which is already held"
    return -1;
  int id = static_cast<int>(g_registry.size());
  g_registry[name] = id;
  return id;
}

int register_ok(const std::string &name) {
  std::lock_guard<std::mutex> g(g_registry_mu);
  if (lookup_locked(name) >= 0)
    return -1;
  int id = static_cast<int>(g_registry.size());
  g_registry[name] = id;
  return id;
}

// lookup() with nothing held.
bool registered_ok(const std::string &name) { return lookup(name) >= 0; }

// A lock wrapper called twice in a row.
void lock_registry() { g_registry_mu.lock(); }
void unlock_registry() { g_registry_mu.unlock(); }

void bulk_register_bad(const std::vector<std::string> &names) {
  lock_registry(); // expect-note: "by the call to 'lock_registry'"
  for (const std::string &n : names)
    g_registry[n] = static_cast<int>(g_registry.size());
  lock_registry(); // expect: threadlint-recursive-lock "'g_registry_mu' acquired while it is already held"
  unlock_registry();
}

void bulk_register_ok(const std::vector<std::string> &names) {
  lock_registry();
  for (const std::string &n : names)
    g_registry[n] = static_cast<int>(g_registry.size());
  unlock_registry();
}

// A callee that locks whatever mutex it is given.
static void bump_under(std::mutex &m, int &counter) {
  std::lock_guard<std::mutex> g(m);
  ++counter;
}

std::mutex g_hits_mu, g_misses_mu;
int g_hits, g_misses;

void record_hit_bad() {
  std::lock_guard<std::mutex> g(g_hits_mu);
  bump_under(g_hits_mu, g_hits); // expect: threadlint-recursive-lock "call to 'bump_under' acquires 'g_hits_mu', which is already held"
}

// The same callee with the other mutex: not held.
void record_miss_ok() {
  std::lock_guard<std::mutex> g(g_hits_mu);
  bump_under(g_misses_mu, g_misses);
}

// -------------------------------------------------- unknown callees --

// Declared here, defined in another file: not followed.
void notify_registry_listeners(const std::string &name);

void announce_ok(const std::string &name) {
  std::lock_guard<std::mutex> g(g_registry_mu);
  g_registry[name] = 0;
  notify_registry_listeners(name);
}

// A std::function called under the lock: its target is unknown here.
void for_each_ok(const std::function<void(const std::string &)> &fn) {
  std::lock_guard<std::mutex> g(g_registry_mu);
  for (const auto &kv : g_registry)
    fn(kv.first);
}

// ------------------------------------- a callee defined after the caller --

class Scheduler {
public:
  void tick_bad();
  void schedule(int task);
  void tick_ok();

private:
  std::mutex mu_;
  std::list<int> ready_;
};

void Scheduler::tick_bad() {
  std::lock_guard<std::mutex> g(mu_);
  if (ready_.empty())
    schedule(0); // expect: threadlint-recursive-lock "call to 'Scheduler::schedule' acquires 'Scheduler::mu_', which is already held"
}

void Scheduler::tick_ok() {
  bool idle;
  {
    std::lock_guard<std::mutex> g(mu_);
    idle = ready_.empty();
  }
  if (idle)
    schedule(0);
}

void Scheduler::schedule(int task) {
  std::lock_guard<std::mutex> g(mu_);
  ready_.push_back(task);
}

// A function calling itself while holding the lock it takes: the first
// recursion waits for itself.
std::mutex g_walk_mu;
int g_walk_visits;
void walk_bad(int depth) {
  std::lock_guard<std::mutex> guard(g_walk_mu);
  ++g_walk_visits;
  if (depth > 0)
    walk_bad(depth - 1); // expect: threadlint-recursive-lock "call to 'walk_bad' acquires 'g_walk_mu', which is already held"
}

// Recursion after the guard's scope: nothing is held at the call.
void walk_released_ok(int depth) {
  {
    std::lock_guard<std::mutex> guard(g_walk_mu);
    ++g_walk_visits;
  }
  if (depth > 0)
    walk_released_ok(depth - 1);
}

// Recursion through a helper that expects the lock to be held.
static void walk_locked(int depth) {
  ++g_walk_visits;
  if (depth > 0)
    walk_locked(depth - 1);
}
void walk_helper_ok(int depth) {
  std::lock_guard<std::mutex> guard(g_walk_mu);
  walk_locked(depth);
}
