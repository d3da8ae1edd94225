// Writes made while a std::shared_mutex is held only in shared (reader)
// mode: a cache filled under std::shared_lock (map_[k] = v, emplace,
// insert, erase), a hit counter hits_++, mutable fields written by a const
// method, a statistics struct, a vector push_back, and a project class's
// non-const method called on a shared member. Negative cases: reads under
// the shared lock (find, count, at, size on the map); writes under
// std::unique_lock / std::lock_guard of the same mutex; the upgrade pattern
// (release the shared lock, take it exclusively, check again, write);
// atomics updated under the shared lock; locals written under it; a
// per-entry std::mutex taken exclusively inside the shared section; writes
// after the shared_lock's scope ended; a lock_guard of another mutex taken
// inside the shared section; output objects of the caller (through a
// pointer or reference parameter) and a local updated by a helper lambda
// under the shared lock; a constructor.
#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

std::string compute(const std::string &key);
void handle(const std::string &value);

// ---------------------------------------------------- a read-through cache --

class Cache {
public:
  // Two readers can both miss and both insert: the map is rebalanced under
  // the feet of the other readers.
  std::string get_bad(const std::string &key) {
    std::shared_lock<std::shared_mutex> lock(mu_); // expect-note: "'Cache::mu_' acquired in shared mode here"
    auto it = map_.find(key);
    if (it != map_.end())
      return it->second;
    std::string value = compute(key);
    map_[key] = value; // expect: threadlint-write-under-shared-lock "'Cache::map_' is written while 'Cache::mu_' is held only in shared (reader) mode: other readers hold it at the same time and race with this write; take 'Cache::mu_' exclusively (std::unique_lock or std::lock_guard, lock()) to write"
    return value;
  }

  std::string get_emplace_bad(const std::string &key) {
    std::shared_lock lock(mu_); // expect-note: "acquired in shared mode here"
    auto [it, inserted] = map_.emplace(key, std::string()); // expect: threadlint-write-under-shared-lock "'Cache::map_' is written while 'Cache::mu_' is held only in shared (reader) mode"
    if (inserted)
      it->second = compute(key);
    return it->second;
  }

  void evict_bad(const std::string &key) {
    std::shared_lock lock(mu_);
    map_.erase(key); // expect: threadlint-write-under-shared-lock "'Cache::map_' is written"
  }

  void prefill_bad(const std::vector<std::string> &keys) {
    std::shared_lock lock(mu_);
    for (const std::string &k : keys)
      map_.insert({k, compute(k)}); // expect: threadlint-write-under-shared-lock "'Cache::map_' is written"
  }

  // Reads under the shared lock: what a reader lock is for.
  bool contains_ok(const std::string &key) const {
    std::shared_lock lock(mu_);
    return map_.count(key) != 0;
  }

  std::string lookup_ok(const std::string &key) const {
    std::shared_lock lock(mu_);
    auto it = map_.find(key);
    return it == map_.end() ? std::string() : it->second;
  }

  std::string at_ok(const std::string &key) const {
    std::shared_lock lock(mu_);
    return map_.at(key);
  }

  std::size_t size_ok() const {
    std::shared_lock lock(mu_);
    return map_.size();
  }

  // Writes under the exclusive lock.
  void put_ok(const std::string &key, std::string value) {
    std::unique_lock lock(mu_);
    map_[key] = std::move(value);
  }

  void clear_ok() {
    std::lock_guard<std::shared_mutex> lock(mu_);
    map_.clear();
  }

  void put_scoped_ok(const std::string &key, std::string value) {
    std::scoped_lock lock(mu_);
    map_.insert_or_assign(key, std::move(value));
  }

  // The upgrade: read under the shared lock; on a miss, release it, take
  // the lock exclusively, check again (another writer may have filled the
  // entry in between) and write.
  std::string get_ok(const std::string &key) {
    {
      std::shared_lock lock(mu_);
      auto it = map_.find(key);
      if (it != map_.end())
        return it->second;
    }
    std::string value = compute(key);
    std::unique_lock lock(mu_);
    auto [it, inserted] = map_.try_emplace(key, std::move(value));
    return it->second;
  }

  // The shared_lock's scope has ended before the write.
  void refresh_ok(const std::string &key) {
    bool present;
    {
      std::shared_lock lock(mu_);
      present = map_.count(key) != 0;
    }
    if (!present) {
      std::lock_guard<std::shared_mutex> lock(mu_);
      map_[key] = compute(key);
    }
  }

  // Manual unlock_shared() before the exclusive lock.
  void refresh_manual_ok(const std::string &key) {
    mu_.lock_shared();
    bool present = map_.count(key) != 0;
    mu_.unlock_shared();
    if (present)
      return;
    mu_.lock();
    map_[key] = compute(key);
    mu_.unlock();
  }

private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::string> map_;
};

// ------------------------------ results handed back to the caller --

struct Quote {
  double price = 0;
  bool found = false;
  std::vector<double> history;
};

class PriceBook {
public:
  // The output objects belong to the caller (a local of each reader):
  // filling them under the reader lock is what readers do.
  bool quote_ok(const std::string &symbol, Quote *out) const {
    std::shared_lock lock(mu_);
    auto it = prices_.find(symbol);
    out->found = it != prices_.end();
    if (out->found)
      out->price = it->second;
    return out->found;
  }

  void history_ok(const std::string &symbol, Quote &out) const {
    std::shared_lock lock(mu_);
    auto it = prices_.find(symbol);
    if (it != prices_.end())
      out.history.push_back(it->second);
  }

  void symbols_ok(std::vector<std::string> &out) const {
    std::shared_lock lock(mu_);
    for (const auto &[symbol, price] : prices_)
      out.push_back(symbol);
  }

  // A local helper lambda that adds to a local of this call.
  double total_ok() const {
    std::shared_lock lock(mu_);
    double total = 0;
    auto add = [&](double p) { total += p; };
    for (const auto &[symbol, price] : prices_)
      add(price);
    return total;
  }

  void set_ok(const std::string &symbol, double price) {
    std::unique_lock lock(mu_);
    prices_[symbol] = price;
  }

private:
  mutable std::shared_mutex mu_;
  std::map<std::string, double> prices_;
};

// ----------------------------------------------------- counting hits --

class Router {
public:
  int route_bad(const std::string &path) {
    std::shared_lock lock(mu_);
    hits_++; // expect: threadlint-write-under-shared-lock "'Router::hits_' is updated while 'Router::mu_' is held only in shared (reader) mode"
    auto it = routes_.find(path);
    if (it == routes_.end()) {
      misses_ += 1; // expect: threadlint-write-under-shared-lock "'Router::misses_' is updated"
      last_miss_ = path; // expect: threadlint-write-under-shared-lock "'Router::last_miss_' is written"
      return -1;
    }
    return it->second;
  }

  // The counters are atomic: they synchronise themselves.
  int route_ok(const std::string &path) {
    std::shared_lock lock(mu_);
    hit_count_.fetch_add(1, std::memory_order_relaxed);
    auto it = routes_.find(path);
    if (it == routes_.end()) {
      ++miss_count_;
      return -1;
    }
    return it->second;
  }

  // Locals written under the shared lock belong to this call.
  int count_prefix_ok(const std::string &prefix) const {
    std::shared_lock lock(mu_);
    int n = 0;
    std::vector<int> targets;
    for (const auto &[path, target] : routes_)
      if (path.compare(0, prefix.size(), prefix) == 0) {
        ++n;
        targets.push_back(target);
      }
    return n + static_cast<int>(targets.size());
  }

  void add_route_ok(const std::string &path, int target) {
    std::unique_lock lock(mu_);
    routes_[path] = target;
  }

private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, int> routes_;
  long hits_ = 0;
  long misses_ = 0;
  std::string last_miss_;
  std::atomic<long> hit_count_{0};
  std::atomic<long> miss_count_{0};
};

// ------------------------------------- mutable fields in a const method --

class Resolver {
public:
  Resolver() {
    // The constructor: the object is not shared yet.
    std::shared_lock lock(mu_);
    memo_["localhost"] = "127.0.0.1";
  }

  std::string resolve_bad(const std::string &host) const {
    std::shared_lock lock(mu_);
    auto it = memo_.find(host);
    if (it != memo_.end())
      return it->second;
    ++lookups_; // expect: threadlint-write-under-shared-lock "'Resolver::lookups_' is updated while 'Resolver::mu_' is held only in shared (reader) mode"
    std::string addr = compute(host);
    memo_[host] = addr; // expect: threadlint-write-under-shared-lock "'Resolver::memo_' is written"
    recent_.push_back(host); // expect: threadlint-write-under-shared-lock "'Resolver::recent_' is written"
    return addr;
  }

  std::string resolve_ok(const std::string &host) const {
    {
      std::shared_lock lock(mu_);
      auto it = memo_.find(host);
      if (it != memo_.end())
        return it->second;
    }
    std::string addr = compute(host);
    std::unique_lock lock(mu_);
    ++lookups_;
    memo_.emplace(host, addr);
    recent_.push_back(host);
    return addr;
  }

private:
  mutable std::shared_mutex mu_;
  mutable std::map<std::string, std::string> memo_;
  mutable std::vector<std::string> recent_;
  mutable long lookups_ = 0;
};

// ------------------------------- per-entry locks inside a shared section --

struct Account {
  std::mutex mu;
  long balance = 0;
  std::vector<long> history;
};

class Bank {
public:
  // The table is only read (find); each account is written under its own
  // mutex, taken exclusively: the usual two-level scheme.
  bool deposit_ok(int id, long amount) {
    std::shared_lock table(table_mu_);
    auto it = accounts_.find(id);
    if (it == accounts_.end())
      return false;
    Account &acct = *it->second;
    std::lock_guard<std::mutex> entry(acct.mu);
    acct.balance += amount;
    acct.history.push_back(amount);
    return true;
  }

  // The same, without the per-entry lock.
  bool deposit_bad(int id, long amount) {
    std::shared_lock table(table_mu_);
    auto it = accounts_.find(id);
    if (it == accounts_.end())
      return false;
    Account *acct = it->second;
    acct->balance += amount; // expect: threadlint-write-under-shared-lock "'Account::balance' is updated while 'Bank::table_mu_' is held only in shared (reader) mode"
    return true;
  }

  // A second mutex taken exclusively guards the write.
  void audit_ok(int id) {
    std::shared_lock table(table_mu_);
    std::lock_guard<std::mutex> audit(audit_mu_);
    audited_.push_back(id);
  }

  void open_ok(int id, Account *a) {
    std::unique_lock table(table_mu_);
    accounts_[id] = a;
  }

private:
  std::shared_mutex table_mu_;
  std::mutex audit_mu_;
  std::map<int, Account *> accounts_;
  std::vector<int> audited_;
};

// ------------------------------------------- a project class's method --

class Histogram {
public:
  void record(long v) { buckets_[v < 0 ? 0 : v % 16]++; }
  long total() const { return total_; }

private:
  long buckets_[16] = {};
  long total_ = 0;
};

class Metrics {
public:
  void observe_bad(long latency) {
    std::shared_lock lock(mu_);
    latency_.record(latency); // expect: threadlint-write-under-shared-lock "'Metrics::latency_' is written while 'Metrics::mu_' is held only in shared (reader) mode"
  }

  long total_ok() const {
    std::shared_lock lock(mu_);
    return latency_.total();
  }

  void observe_ok(long latency) {
    std::unique_lock lock(mu_);
    latency_.record(latency);
  }

private:
  mutable std::shared_mutex mu_;
  Histogram latency_;
};

// --------------------------------------------------------------- threads --

Cache g_cache;
Router g_router;
Resolver g_resolver;
Bank g_bank;
Metrics g_metrics;
PriceBook g_prices;

void serve(int id) {
  const std::string key = "k" + std::to_string(id % 7);
  handle(g_cache.get_bad(key));
  handle(g_cache.get_emplace_bad(key));
  handle(g_cache.get_ok(key));
  handle(g_cache.lookup_ok(key));
  g_cache.refresh_ok(key);
  g_cache.refresh_manual_ok(key);
  if (g_cache.contains_ok(key))
    g_cache.evict_bad(key);
  g_router.route_bad("/" + key);
  g_router.route_ok("/" + key);
  handle(g_resolver.resolve_bad(key));
  handle(g_resolver.resolve_ok(key));
  g_bank.deposit_ok(id % 3, 10);
  g_bank.deposit_bad(id % 3, 10);
  g_bank.audit_ok(id);
  g_metrics.observe_bad(id);
  g_metrics.observe_ok(id);
  Quote q;
  std::vector<std::string> symbols;
  if (g_prices.quote_ok(key, &q))
    g_prices.history_ok(key, q);
  g_prices.symbols_ok(symbols);
  g_prices.set_ok(key, g_prices.total_ok() + q.price + symbols.size());
}

int main() {
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back(serve, i);
  for (std::thread &t : pool)
    t.join();
  return static_cast<int>(g_cache.size_ok() + g_metrics.total_ok());
}
