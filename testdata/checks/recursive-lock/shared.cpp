// Reader/writer locks: an exclusive acquisition while the same thread holds
// the lock (shared or exclusive) deadlocks, and so does a shared acquisition
// under its own exclusive lock. Two shared acquisitions are not reported:
// neither waits for the thread itself (libstdc++'s shared_mutex is a
// reader-preferring pthread rwlock; the standard leaves recursive shared
// locking undefined, which is outside this rule).
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>

// ------------------------------------------------ a config store --

class ConfigStore {
public:
  std::string get(const std::string &k) {
    std::shared_lock<std::shared_mutex> r(mu_);
    auto it = values_.find(k);
    return it == values_.end() ? std::string() : it->second;
  }

  void set(const std::string &k, const std::string &v) {
    std::unique_lock<std::shared_mutex> w(mu_);
    values_[k] = v;
  }

  // Upgrading a read lock in place: the exclusive lock waits for every
  // reader, including this thread.
  void set_default_bad(const std::string &k, const std::string &v) {
    std::shared_lock<std::shared_mutex> r(mu_);
    if (values_.count(k))
      return;
    std::unique_lock<std::shared_mutex> w(mu_); // expect: threadlint-recursive-lock "'ConfigStore::mu_' acquired while it is already held: a non-recursive mutex deadlocks on itself"
    values_[k] = v;
  }

  // The same upgrade through set().
  void set_default_call_bad(const std::string &k, const std::string &v) {
    std::shared_lock<std::shared_mutex> r(mu_);
    if (!values_.count(k))
      set(k, v); // expect: threadlint-recursive-lock "call to 'ConfigStore::set' acquires 'ConfigStore::mu_', which is already held"
  }

  // Release the read lock, then write (re-checking under the write lock).
  void set_default_ok(const std::string &k, const std::string &v) {
    {
      std::shared_lock<std::shared_mutex> r(mu_);
      if (values_.count(k))
        return;
    }
    std::unique_lock<std::shared_mutex> w(mu_);
    values_.emplace(k, v);
  }

  // A shared read under the exclusive lock: waits for the writer, itself.
  void rename_bad(const std::string &from, const std::string &to) {
    std::unique_lock<std::shared_mutex> w(mu_);
    values_[to] = get(from); // expect: threadlint-recursive-lock "call to 'ConfigStore::get' acquires 'ConfigStore::mu_', which is already held"
    values_.erase(from);
  }

  void rename_ok(const std::string &from, const std::string &to) {
    std::unique_lock<std::shared_mutex> w(mu_);
    auto it = values_.find(from);
    if (it == values_.end())
      return;
    values_[to] = it->second;
    values_.erase(it);
  }

  // Two shared locks in one thread: both succeed.
  std::string get_pair_ok(const std::string &a, const std::string &b) {
    std::shared_lock<std::shared_mutex> r(mu_);
    return get(a) + get(b);
  }

  // Shared, then shared again directly.
  size_t count_ok() {
    std::shared_lock<std::shared_mutex> r1(mu_);
    std::shared_lock<std::shared_mutex> r2(mu_);
    return values_.size();
  }

  // Manual lock_shared() twice.
  bool has_both_ok(const std::string &a, const std::string &b) {
    mu_.lock_shared();
    bool ha = values_.count(a) != 0;
    mu_.lock_shared();
    bool hb = values_.count(b) != 0;
    mu_.unlock_shared();
    mu_.unlock_shared();
    return ha && hb;
  }

  // Exclusive twice, manually.
  void clear_bad() {
    mu_.lock();
    values_.clear();
    mu_.lock(); // expect: threadlint-recursive-lock "'ConfigStore::mu_' acquired while it is already held"
    mu_.unlock();
    mu_.unlock();
  }

  void clear_ok() {
    mu_.lock();
    values_.clear();
    mu_.unlock();
  }

private:
  std::shared_mutex mu_;
  std::map<std::string, std::string> values_;
};

// -------------------------------------------- std::shared_timed_mutex --

std::shared_timed_mutex g_schema_mu;
int g_schema_version;

void migrate_bad() {
  std::lock_guard<std::shared_timed_mutex> w(g_schema_mu);
  ++g_schema_version;
  std::shared_lock<std::shared_timed_mutex> r(g_schema_mu); // expect: threadlint-recursive-lock "'g_schema_mu' acquired while it is already held"
}

int schema_version_ok() {
  std::shared_lock<std::shared_timed_mutex> r(g_schema_mu);
  return g_schema_version;
}

int schema_version_twice_ok() {
  std::shared_lock<std::shared_timed_mutex> r(g_schema_mu);
  std::shared_lock<std::shared_timed_mutex> again(g_schema_mu);
  return g_schema_version;
}
