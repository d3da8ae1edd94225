// Lock-order cycles between two locks inside single functions: globals,
// static members, fields of any instance, arrays of locks and lock getters,
// with std::lock_guard and manual lock()/unlock(). Negative cases: one
// consistent order everywhere, the first lock released before the second is
// taken, and locks that are never held together.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

// ----------------------------------------------- a ledger and its audit --

std::mutex g_ledger_mu;
std::mutex g_audit_mu;
std::map<std::string, long> g_balances;
std::vector<std::string> g_audit_log;

// post() takes the ledger, then the audit trail...
void post_bad(const std::string &account, long cents) {
  std::lock_guard<std::mutex> ledger(g_ledger_mu); // expect-note: "'g_ledger_mu' acquired here, in 'post_bad'"
  g_balances[account] += cents;
  std::lock_guard<std::mutex> audit(g_audit_mu); // expect: threadlint-lock-order "'g_audit_mu' acquired while holding 'g_ledger_mu'; elsewhere 'g_ledger_mu' is acquired while holding 'g_audit_mu' (basic.cpp:30): threads taking these paths at once deadlock"
  g_audit_log.push_back("post " + account);
}

// ... and reconcile() takes them the other way round.
void reconcile_bad() {
  std::lock_guard<std::mutex> audit(g_audit_mu); // expect-note: "'g_audit_mu' acquired here, in 'reconcile_bad'"
  std::lock_guard<std::mutex> ledger(g_ledger_mu); // expect-note: "'g_ledger_mu' acquired here while 'g_audit_mu' is held"
  g_audit_log.push_back("reconcile " + std::to_string(g_balances.size()));
}

// The same two locks in the same order as post_bad(): adds no new edge.
void post_twice_ok(const std::string &account, long a, long b) {
  std::lock_guard<std::mutex> ledger(g_ledger_mu);
  g_balances[account] += a + b;
  std::lock_guard<std::mutex> audit(g_audit_mu);
  g_audit_log.push_back("post2 " + account);
}

// ---------------------------------------- a consistent order everywhere --

std::mutex g_orders_mu;
std::mutex g_inventory_mu;
std::map<std::string, int> g_orders, g_inventory;

// Orders before inventory, in every function.
void place_order_ok(const std::string &sku) {
  std::lock_guard<std::mutex> o(g_orders_mu);
  std::lock_guard<std::mutex> i(g_inventory_mu);
  ++g_orders[sku];
  --g_inventory[sku];
}

void cancel_order_ok(const std::string &sku) {
  std::lock_guard<std::mutex> o(g_orders_mu);
  --g_orders[sku];
  std::lock_guard<std::mutex> i(g_inventory_mu);
  ++g_inventory[sku];
}

// Inventory alone, and orders alone: no pair at all.
void restock_ok(const std::string &sku, int n) {
  std::lock_guard<std::mutex> i(g_inventory_mu);
  g_inventory[sku] += n;
}

int pending_orders_ok() {
  std::lock_guard<std::mutex> o(g_orders_mu);
  int n = 0;
  for (const auto &kv : g_orders)
    n += kv.second;
  return n;
}

// --------------------------------- the first lock released before the next --

// Inventory, then orders, but never both at once.
void audit_stock_ok() {
  int total = 0;
  {
    std::lock_guard<std::mutex> i(g_inventory_mu);
    for (const auto &kv : g_inventory)
      total += kv.second;
  }
  std::lock_guard<std::mutex> o(g_orders_mu);
  g_orders["__audit"] = total;
}

// The same with manual unlock().
void audit_stock_manual_ok() {
  g_inventory_mu.lock();
  int total = static_cast<int>(g_inventory.size());
  g_inventory_mu.unlock();
  g_orders_mu.lock();
  g_orders["__count"] = total;
  g_orders_mu.unlock();
}

// A unique_lock unlocked early.
void audit_stock_unique_ok() {
  std::unique_lock<std::mutex> i(g_inventory_mu);
  int total = static_cast<int>(g_inventory.size());
  i.unlock();
  std::lock_guard<std::mutex> o(g_orders_mu);
  g_orders["__unique"] = total;
}

// -------------------------------------------- manual lock()/unlock() --

std::mutex g_sessions_mu;
std::mutex g_tokens_mu;
std::map<int, std::string> g_sessions;
std::map<std::string, int> g_tokens;

void login_bad(int id, const std::string &token) {
  g_sessions_mu.lock();
  g_tokens_mu.lock(); // expect: threadlint-lock-order "'g_tokens_mu' acquired while holding 'g_sessions_mu'; elsewhere 'g_sessions_mu' is acquired while holding 'g_tokens_mu' (basic.cpp:130)"
  g_sessions[id] = token;
  g_tokens[token] = id;
  g_tokens_mu.unlock();
  g_sessions_mu.unlock();
}

void revoke_bad(const std::string &token) {
  g_tokens_mu.lock();
  auto it = g_tokens.find(token);
  if (it != g_tokens.end()) {
    g_sessions_mu.lock();
    g_sessions.erase(it->second);
    g_sessions_mu.unlock();
    g_tokens.erase(it);
  }
  g_tokens_mu.unlock();
}

// Unlocks the sessions before taking the tokens.
void rename_session_ok(int id, const std::string &token) {
  g_sessions_mu.lock();
  g_sessions[id] = token;
  g_sessions_mu.unlock();
  g_tokens_mu.lock();
  g_tokens[token] = id;
  g_tokens_mu.unlock();
}

// ------------------------------------------------------ static members --

class Registry {
public:
  static void add_bad(const std::string &name) {
    std::lock_guard<std::mutex> n(names_mu_);
    std::lock_guard<std::mutex> i(ids_mu_); // expect: threadlint-lock-order "'Registry::ids_mu_' acquired while holding 'Registry::names_mu_'; elsewhere 'Registry::names_mu_' is acquired while holding 'Registry::ids_mu_'"
    ids_[name] = static_cast<int>(names_.size());
    names_.push_back(name);
  }

  static void compact_bad() {
    std::lock_guard<std::mutex> i(ids_mu_);
    ids_.clear();
    std::lock_guard<std::mutex> n(names_mu_);
    names_.clear();
  }

  static size_t size_ok() {
    std::lock_guard<std::mutex> n(names_mu_);
    return names_.size();
  }

  static int id_ok(const std::string &name) {
    std::lock_guard<std::mutex> i(ids_mu_);
    auto it = ids_.find(name);
    return it == ids_.end() ? -1 : it->second;
  }

private:
  static std::mutex names_mu_;
  static std::mutex ids_mu_;
  static std::vector<std::string> names_;
  static std::map<std::string, int> ids_;
};

std::mutex Registry::names_mu_;
std::mutex Registry::ids_mu_;
std::vector<std::string> Registry::names_;
std::map<std::string, int> Registry::ids_;

// ---------------------------------------------- fields of any instance --

// A connection table whose lock order is decided per method: the field lock
// is the same lock whatever the instance, so the two methods conflict.
class ConnectionTable {
public:
  void open_bad(int fd) {
    std::lock_guard<std::mutex> t(table_mu_);
    std::lock_guard<std::mutex> s(stats_mu_); // expect: threadlint-lock-order "'ConnectionTable::stats_mu_' acquired while holding 'ConnectionTable::table_mu_'; elsewhere 'ConnectionTable::table_mu_' is acquired while holding 'ConnectionTable::stats_mu_'"
    fds_.push_back(fd);
    ++opened_;
  }

  void report_bad(std::vector<int> &out) {
    std::lock_guard<std::mutex> s(stats_mu_);
    std::lock_guard<std::mutex> t(table_mu_);
    out = fds_;
    out.push_back(opened_);
  }

  // Only one lock at a time.
  int opened_ok() {
    std::lock_guard<std::mutex> s(stats_mu_);
    return opened_;
  }

  size_t table_size_ok() {
    std::lock_guard<std::mutex> t(table_mu_);
    return fds_.size();
  }

private:
  std::mutex table_mu_;
  std::mutex stats_mu_;
  std::vector<int> fds_;
  int opened_ = 0;
};

// ---------------------------------------------------- arrays of locks --

// A striped hash map: each bucket has its lock, and a separate resize lock.
std::mutex g_stripes[16];
std::mutex g_resize_mu;
std::map<std::string, int> g_buckets[16];

void stripe_put_bad(const std::string &key, int v) {
  size_t b = std::hash<std::string>()(key) % 16;
  std::lock_guard<std::mutex> s(g_stripes[b]);
  if (g_buckets[b].size() > 64) {
    std::lock_guard<std::mutex> r(g_resize_mu); // expect: threadlint-lock-order "'g_resize_mu' acquired while holding 'g_stripes[]'; elsewhere 'g_stripes[]' is acquired while holding 'g_resize_mu'"
    g_buckets[b].clear();
  }
  g_buckets[b][key] = v;
}

void resize_bad() {
  std::lock_guard<std::mutex> r(g_resize_mu);
  for (int b = 0; b < 16; ++b) {
    std::lock_guard<std::mutex> s(g_stripes[b]);
    g_buckets[b].clear();
  }
}

// One stripe at a time, nothing else held.
int stripe_get_ok(const std::string &key) {
  size_t b = std::hash<std::string>()(key) % 16;
  std::lock_guard<std::mutex> s(g_stripes[b]);
  auto it = g_buckets[b].find(key);
  return it == g_buckets[b].end() ? 0 : it->second;
}

// ------------------------------------------------------ lock getters --

std::mutex &config_mutex() {
  static std::mutex mu;
  return mu;
}

std::mutex &plugins_mutex() {
  static std::mutex mu;
  return mu;
}

std::map<std::string, std::string> g_config;
std::vector<std::string> g_plugins;

void load_plugin_bad(const std::string &name) {
  std::lock_guard<std::mutex> c(config_mutex());
  std::string dir = g_config["plugin_dir"];
  std::lock_guard<std::mutex> p(plugins_mutex()); // expect: threadlint-lock-order "'plugins_mutex()' acquired while holding 'config_mutex()'; elsewhere 'config_mutex()' is acquired while holding 'plugins_mutex()'"
  g_plugins.push_back(dir + "/" + name);
}

void configure_plugins_bad() {
  std::lock_guard<std::mutex> p(plugins_mutex());
  std::lock_guard<std::mutex> c(config_mutex());
  g_config["plugins"] = std::to_string(g_plugins.size());
}

std::string plugin_dir_ok() {
  std::lock_guard<std::mutex> c(config_mutex());
  return g_config["plugin_dir"];
}

// ------------------------------------------------ reader/writer locks --

std::shared_mutex g_routes_mu;
std::mutex g_route_stats_mu;
std::map<std::string, int> g_routes;
long g_lookups;

// Shared lock of the routes, then the stats lock: a reader can still be
// blocked by a writer waiting on the routes, so the order matters.
int route_lookup_bad(const std::string &path) {
  std::shared_lock<std::shared_mutex> r(g_routes_mu);
  std::lock_guard<std::mutex> s(g_route_stats_mu); // expect: threadlint-lock-order "'g_route_stats_mu' acquired while holding 'g_routes_mu'"
  ++g_lookups;
  return g_routes[path];
}

void route_reset_bad() {
  std::lock_guard<std::mutex> s(g_route_stats_mu);
  g_lookups = 0;
  std::unique_lock<std::shared_mutex> w(g_routes_mu);
  g_routes.clear();
}

// Reads the stats, then (after releasing them) the routes.
long route_report_ok() {
  long n;
  {
    std::lock_guard<std::mutex> s(g_route_stats_mu);
    n = g_lookups;
  }
  std::shared_lock<std::shared_mutex> r(g_routes_mu);
  return n + static_cast<long>(g_routes.size());
}

// ------------------------------------------------------ local mutexes --

// Locks local to a function are not shared with any other thread through
// a name: their orders are not compared across functions.
void local_batch_ok(std::vector<int> &out) {
  std::mutex a, b;
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
  out.push_back(1);
}

void local_batch_reversed_ok(std::vector<int> &out) {
  std::mutex a, b;
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
  out.push_back(2);
}

// ------------------------------------------------------ no locking --

long sum_balances_ok(const std::map<std::string, long> &snapshot) {
  long total = 0;
  for (const auto &kv : snapshot)
    total += kv.second;
  return total;
}
