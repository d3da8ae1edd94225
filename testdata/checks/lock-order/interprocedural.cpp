// Lock-order cycles whose halves go through calls: a callee (or its callee)
// acquires a lock while the caller holds another, two classes calling into
// each other with their own locks held, and a cycle of three locks spread
// over three functions. Negative cases: callees called after the caller's
// lock is released, callees that take the locks in the same order as
// everyone else, and callees that take no lock.
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

// ------------------------------ a cache that reports into a metrics sink --

class Metrics;

class Cache {
public:
  explicit Cache(Metrics &m) : metrics_(m) {}
  void put(const std::string &key, const std::string &value);
  bool get(const std::string &key, std::string &value);
  size_t size();

private:
  std::mutex mu_;
  std::map<std::string, std::string> map_;
  Metrics &metrics_;
};

class Metrics {
public:
  void count(const std::string &name) {
    std::lock_guard<std::mutex> lock(mu_);
    ++counters_[name];
  }

  // Reports the cache size with the counters locked: Cache::mu_ while
  // Metrics::mu_ is held.
  void export_bad(Cache &cache) {
    std::lock_guard<std::mutex> lock(mu_); // expect-note: "'Metrics::mu_' acquired here, in 'Metrics::export_bad'"
    counters_["cache.size"] = static_cast<long>(cache.size()); // expect-note: "'Metrics::export_bad' calls 'Cache::size'" // expect: threadlint-lock-order "'Cache::mu_' acquired while holding 'Metrics::mu_'; elsewhere 'Metrics::mu_' is acquired while holding 'Cache::mu_'"
  }

  // The same export done right: ask the cache first, then lock.
  void export_ok(Cache &cache) {
    long n = static_cast<long>(cache.size());
    std::lock_guard<std::mutex> lock(mu_);
    counters_["cache.size"] = n;
  }

private:
  std::mutex mu_;
  std::map<std::string, long> counters_;
};

size_t Cache::size() {
  std::lock_guard<std::mutex> lock(mu_); // expect-note: "'Cache::mu_' acquired here while 'Metrics::mu_' is held"
  return map_.size();
}

// Counts the put with the cache still locked: Metrics::mu_ while Cache::mu_
// is held.
void Cache::put(const std::string &key, const std::string &value) {
  std::lock_guard<std::mutex> lock(mu_); // expect-note: "'Cache::mu_' acquired here, in 'Cache::put'"
  map_[key] = value;
  metrics_.count("cache.put"); // expect-note: "'Cache::put' calls 'Metrics::count'"
}

// Counts after the lock is released: no edge.
bool Cache::get(const std::string &key, std::string &value) {
  bool hit;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(key);
    hit = it != map_.end();
    if (hit)
      value = it->second;
  }
  metrics_.count(hit ? "cache.hit" : "cache.miss");
  return hit;
}

// ------------------------------- a cycle through several levels of calls --

// A scheduler and its timer wheel. The scheduler's lock is taken two calls
// below a timer callback, and the wheel's lock two calls below the scheduler.
std::mutex g_sched_mu;
std::mutex g_wheel_mu;
std::vector<int> g_runnable;
std::multimap<long, int> g_timers;

static void make_runnable(int task) {
  std::lock_guard<std::mutex> lock(g_sched_mu);
  g_runnable.push_back(task);
}

static void fire_timer(int task) { make_runnable(task); }

// Fires expired timers with the wheel locked.
void wheel_tick_bad(long now) {
  std::lock_guard<std::mutex> lock(g_wheel_mu);
  auto end = g_timers.upper_bound(now);
  for (auto it = g_timers.begin(); it != end; ++it)
    fire_timer(it->second); // expect: threadlint-lock-order "'g_sched_mu' acquired while holding 'g_wheel_mu'; elsewhere 'g_wheel_mu' is acquired while holding 'g_sched_mu'"
  g_timers.erase(g_timers.begin(), end);
}

static void arm_timer(long when, int task) {
  std::lock_guard<std::mutex> lock(g_wheel_mu);
  g_timers.emplace(when, task);
}

static void sleep_task(int task, long until) { arm_timer(until, task); }

// Puts a task to sleep with the scheduler locked.
void yield_until_bad(int task, long until) {
  std::lock_guard<std::mutex> lock(g_sched_mu);
  for (size_t i = 0; i < g_runnable.size(); ++i)
    if (g_runnable[i] == task)
      g_runnable.erase(g_runnable.begin() + static_cast<long>(i));
  sleep_task(task, until);
}

// Collects expired tasks under the wheel lock, schedules them after it.
void wheel_tick_ok(long now) {
  std::vector<int> fired;
  {
    std::lock_guard<std::mutex> lock(g_wheel_mu);
    auto end = g_timers.upper_bound(now);
    for (auto it = g_timers.begin(); it != end; ++it)
      fired.push_back(it->second);
    g_timers.erase(g_timers.begin(), end);
  }
  for (int task : fired)
    fire_timer(task);
}

// Arms the timer without the scheduler lock.
void sleep_ok(int task, long until) { sleep_task(task, until); }

// ------------------------------------------ a three-lock cycle in calls --

// Accounts, then the journal (post), journal then the index (index_entry),
// and the index then the accounts (rebuild): no two locks are taken in both
// orders, but the three together deadlock.
std::mutex g_accounts_mu;
std::mutex g_journal_mu;
std::mutex g_index_mu;
std::map<std::string, long> g_accounts;
std::vector<std::string> g_journal;
std::map<std::string, size_t> g_index;

static void journal_append(const std::string &rec) {
  std::lock_guard<std::mutex> lock(g_journal_mu);
  g_journal.push_back(rec);
}

void post_bad(const std::string &account, long cents) {
  std::lock_guard<std::mutex> lock(g_accounts_mu);
  g_accounts[account] += cents;
  journal_append(account); // expect: threadlint-lock-order "'g_journal_mu' acquired while holding 'g_accounts_mu'; elsewhere 'g_index_mu' is acquired while holding 'g_journal_mu'"
}

static long balance_of(const std::string &account) {
  std::lock_guard<std::mutex> lock(g_accounts_mu);
  return g_accounts[account];
}

static void index_entry(size_t pos) {
  std::lock_guard<std::mutex> lock(g_index_mu);
  g_index[g_journal[pos]] = pos;
}

void index_last_bad() {
  std::lock_guard<std::mutex> lock(g_journal_mu);
  if (!g_journal.empty())
    index_entry(g_journal.size() - 1);
}

void rebuild_bad() {
  std::lock_guard<std::mutex> lock(g_index_mu);
  for (auto &kv : g_index)
    kv.second = static_cast<size_t>(balance_of(kv.first));
}

// Reads a balance with nothing held.
long balance_ok(const std::string &account) { return balance_of(account); }

// Journal first, accounts after the journal lock is gone.
void replay_ok() {
  std::vector<std::string> copy;
  {
    std::lock_guard<std::mutex> lock(g_journal_mu);
    copy = g_journal;
  }
  for (const std::string &a : copy)
    (void)balance_of(a);
}

// ------------------------------ a consistent order through callees --

// The connection pool is always locked before the statistics, whether the
// statistics lock is taken directly or by a helper.
std::mutex g_pool_mu;
std::mutex g_pool_stats_mu;
std::vector<int> g_idle;
long g_checkouts;

static void note_checkout() {
  std::lock_guard<std::mutex> lock(g_pool_stats_mu);
  ++g_checkouts;
}

int checkout_ok() {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  if (g_idle.empty())
    return -1;
  int fd = g_idle.back();
  g_idle.pop_back();
  note_checkout();
  return fd;
}

void checkin_ok(int fd) {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  g_idle.push_back(fd);
  std::lock_guard<std::mutex> s(g_pool_stats_mu);
  --g_checkouts;
}

long checkouts_ok() {
  std::lock_guard<std::mutex> lock(g_pool_stats_mu);
  return g_checkouts;
}

// ------------------------- a helper that nests its two lock parameters --

// Moves work between two run queues by locking the source, then the target.
std::mutex g_fast_queue_mu;
std::mutex g_slow_queue_mu;
std::vector<int> g_fast_queue, g_slow_queue;

static void move_one(std::mutex &src_mu, std::vector<int> &src,
                     std::mutex &dst_mu, std::vector<int> &dst) {
  std::lock_guard<std::mutex> s(src_mu);
  if (src.empty())
    return;
  std::lock_guard<std::mutex> d(dst_mu);
  dst.push_back(src.back());
  src.pop_back();
}

void demote_task_bad() {
  move_one(g_fast_queue_mu, g_fast_queue, g_slow_queue_mu, g_slow_queue); // expect: threadlint-lock-order "'g_slow_queue_mu' acquired while holding 'g_fast_queue_mu'; elsewhere 'g_fast_queue_mu' is acquired while holding 'g_slow_queue_mu'"
}

void promote_task_bad() {
  move_one(g_slow_queue_mu, g_slow_queue, g_fast_queue_mu, g_fast_queue);
}

// ------------------------------ callees that take no lock, or release --

static std::string format_key(const std::string &ns, const std::string &k) {
  return ns + ":" + k;
}

void namespaced_put_ok(Cache &cache, const std::string &ns,
                       const std::string &k, const std::string &v) {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  std::string key = format_key(ns, k);
  (void)key;
  (void)v;
  (void)cache;
}

// An unlock wrapper: releases the pool lock the caller took.
static void release_pool() { g_pool_mu.unlock(); }

void checkout_then_count_ok() {
  g_pool_mu.lock();
  g_idle.clear();
  release_pool();
  note_checkout();
}

// A callback stored, not called, under the lock.
std::function<void()> g_on_drain;

void register_drain_ok() {
  std::lock_guard<std::mutex> lock(g_pool_stats_mu);
  g_on_drain = [] { checkin_ok(0); };
}
