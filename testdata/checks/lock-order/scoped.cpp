// std::scoped_lock(a, b) and std::lock(a, b) take several locks at once
// without deadlock, whatever order other code uses: they add no order
// between the locks they take together. They still order against locks
// held before them and taken after them.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

// ----------------------------------- a replicated key-value store --

std::mutex g_primary_mu;
std::mutex g_replica_mu;
std::map<std::string, std::string> g_primary, g_replica;

// Both at once, one spelling...
void replicate_ok(const std::string &k, const std::string &v) {
  std::scoped_lock both(g_primary_mu, g_replica_mu);
  g_primary[k] = v;
  g_replica[k] = v;
}

// ... and the other argument order: still deadlock-free.
void failover_ok() {
  std::scoped_lock both(g_replica_mu, g_primary_mu);
  g_primary = g_replica;
}

// std::lock with adopting guards.
void compare_ok(std::vector<std::string> &diff) {
  std::lock(g_replica_mu, g_primary_mu);
  std::lock_guard<std::mutex> r(g_replica_mu, std::adopt_lock);
  std::lock_guard<std::mutex> p(g_primary_mu, std::adopt_lock);
  for (const auto &kv : g_primary)
    if (g_replica[kv.first] != kv.second)
      diff.push_back(kv.first);
}

// std::lock over deferred unique_locks.
void resync_ok() {
  std::unique_lock<std::mutex> p(g_primary_mu, std::defer_lock);
  std::unique_lock<std::mutex> r(g_replica_mu, std::defer_lock);
  std::lock(p, r);
  g_replica = g_primary;
}

// One sequential order that agrees with nobody's: the scoped_lock calls
// above cannot deadlock with it (they back off), so it is alone.
void promote_replica_ok(const std::string &k) {
  std::lock_guard<std::mutex> r(g_replica_mu);
  std::lock_guard<std::mutex> p(g_primary_mu);
  g_primary[k] = g_replica[k];
}

// std::lock with manual unlocks.
void swap_roles_ok() {
  std::lock(g_primary_mu, g_replica_mu);
  g_primary.swap(g_replica);
  g_replica_mu.unlock();
  g_primary_mu.unlock();
}

// --------------------------- a shared_mutex in a multi-lock acquisition --

class Catalog {
public:
  // Exclusive lock of the schema and the data lock together.
  void migrate_ok() {
    std::scoped_lock both(schema_mu_, data_mu_);
    rows_.clear();
    ++version_;
  }

  // The other order, also together.
  void vacuum_ok() {
    std::scoped_lock both(data_mu_, schema_mu_);
    rows_.shrink_to_fit();
  }

  // A shared schema lock alone, then released.
  int version_ok() {
    std::shared_lock<std::shared_mutex> s(schema_mu_);
    return version_;
  }

private:
  std::shared_mutex schema_mu_;
  std::mutex data_mu_;
  std::vector<std::string> rows_;
  int version_ = 0;
};

// ---------------- a scoped_lock of one mutex is an ordinary acquisition --

std::mutex g_users_mu;
std::mutex g_quota_mu;
std::map<std::string, long> g_users, g_quota;

void charge_bad(const std::string &user, long bytes) {
  std::scoped_lock u(g_users_mu);
  std::scoped_lock q(g_quota_mu); // expect: threadlint-lock-order "'g_quota_mu' acquired while holding 'g_users_mu'; elsewhere 'g_users_mu' is acquired while holding 'g_quota_mu'"
  g_users[user] += bytes;
  g_quota[user] -= bytes;
}

void reset_quota_bad(const std::string &user) {
  std::scoped_lock q(g_quota_mu);
  std::scoped_lock u(g_users_mu);
  g_quota[user] = g_users[user];
}

// ------------- locks held before a scoped_lock, or taken inside it --

// The scoped_lock waits for the shard locks while the rebalance lock is
// held, and the shard writer takes the rebalance lock while holding a shard:
// a real cycle through the multi-lock acquisition.
std::mutex g_rebalance_mu;
std::mutex g_shard_a_mu, g_shard_b_mu;
std::vector<int> g_shard_a, g_shard_b;
bool g_rebalancing;

void rebalance_bad() {
  std::lock_guard<std::mutex> r(g_rebalance_mu);
  std::scoped_lock shards(g_shard_a_mu, g_shard_b_mu); // expect: threadlint-lock-order "'g_shard_a_mu' acquired while holding 'g_rebalance_mu'; elsewhere 'g_rebalance_mu' is acquired while holding 'g_shard_a_mu'"
  g_shard_a.swap(g_shard_b);
}

void shard_write_bad(int v) {
  std::lock_guard<std::mutex> a(g_shard_a_mu);
  g_shard_a.push_back(v);
  std::lock_guard<std::mutex> r(g_rebalance_mu);
  g_rebalancing = true;
}

// The rebalance flag checked before the shard lock.
void shard_write_ok(int v) {
  {
    std::lock_guard<std::mutex> r(g_rebalance_mu);
    if (g_rebalancing)
      return;
  }
  std::lock_guard<std::mutex> b(g_shard_b_mu);
  g_shard_b.push_back(v);
}

// A lock taken inside a scoped_lock of two others, in a consistent order.
std::mutex g_left_mu, g_right_mu, g_log_mu;
std::vector<std::string> g_log;

void pair_and_log_ok() {
  std::scoped_lock pair(g_left_mu, g_right_mu);
  std::lock_guard<std::mutex> l(g_log_mu);
  g_log.push_back("pair");
}

void log_only_ok() {
  std::lock_guard<std::mutex> l(g_log_mu);
  g_log.push_back("only");
}

void pair_reversed_and_log_ok() {
  std::scoped_lock pair(g_right_mu, g_left_mu);
  std::lock_guard<std::mutex> l(g_log_mu);
  g_log.push_back("reversed");
}
