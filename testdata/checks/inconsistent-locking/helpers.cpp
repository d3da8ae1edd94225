// Helpers and callers: a private helper that reads or writes guarded state
// and is only ever called while its caller holds the lock, in a class
// whose threads start in this file and in a library class. Positive case:
// a helper that is also called from a path that does not hold the lock.
// Negative cases: helpers called only with the lock held, with and
// without a REQUIRES annotation.
#include <map>
#include <mutex>
#include <string>
#include <thread>

#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))

// ---------------------------- a helper called only with the lock held --

class Scoreboard {
public:
  void record(const std::string &player, int points) {
    std::lock_guard<std::mutex> lock(mu_);
    scores_[player] += points;
    bump_version_ok();
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mu_);
    scores_.clear();
    bump_version_ok();
  }
  unsigned version() {
    std::lock_guard<std::mutex> lock(mu_);
    return version_;
  }
  void reset() {
    std::lock_guard<std::mutex> lock(mu_);
    scores_.clear();
    version_ = 0;
  }
  int best() {
    std::lock_guard<std::mutex> lock(mu_);
    return best_locked_ok();
  }

private:
  // Called only from record() and clear(), which hold mu_.
  void bump_version_ok() { version_ = version_ + 1; }
  // Called only from best(), which holds mu_.
  int best_locked_ok() const {
    int b = 0;
    for (const auto &[name, score] : scores_)
      if (score > b)
        b = score;
    return b;
  }

  std::mutex mu_;
  std::map<std::string, int> scores_;
  unsigned version_ = 0;
};

int scoreboard_ok() {
  Scoreboard sb;
  std::thread a([&sb] { sb.record("ada", 3); });
  std::thread b([&sb] { sb.clear(); });
  std::thread c([&sb] { sb.reset(); });
  unsigned v = sb.version();
  int best = sb.best();
  a.join();
  b.join();
  c.join();
  return best + int(v);
}

// ---------------------------------------- the same with REQUIRES --

class Scoreboard2 {
public:
  void record(const std::string &player, int points) {
    std::lock_guard<std::mutex> lock(mu_);
    scores_[player] += points;
    bump_version_ok();
  }
  unsigned version() {
    std::lock_guard<std::mutex> lock(mu_);
    return version_;
  }

private:
  void bump_version_ok() REQUIRES(mu_) { version_ = version_ + 1; }

  std::mutex mu_;
  std::map<std::string, int> scores_;
  unsigned version_ = 0;
};

unsigned scoreboard2_ok() {
  Scoreboard2 sb;
  std::thread a([&sb] { sb.record("ada", 3); });
  std::thread b([&sb] { sb.record("bob", 1); });
  unsigned v = sb.version();
  a.join();
  b.join();
  return v;
}

// ------------------------------- a library class with a locked helper --

class Catalog {
public:
  void add(const std::string &sku, int qty) {
    std::lock_guard<std::mutex> lock(mu_);
    stock_[sku] = qty;
    note_change_ok(sku);
  }
  void remove(const std::string &sku) {
    std::lock_guard<std::mutex> lock(mu_);
    stock_.erase(sku);
    note_change_ok(sku);
  }
  std::string last_change() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_changed_;
  }
  void forget_changes() {
    std::lock_guard<std::mutex> lock(mu_);
    last_changed_.clear();
  }

private:
  void note_change_ok(const std::string &sku) { last_changed_ = sku; }

  std::mutex mu_;
  std::map<std::string, int> stock_;
  std::string last_changed_;
};

// ------------------------- a helper also reached without the lock --

std::mutex g_limits_mu;
int g_limit = 100;

static void apply_limit(int v) { g_limit = v; } // expect: threadlint-inconsistent-locking "'g_limit' is written without holding 'g_limits_mu'"

void set_limit_locked(int v) {
  std::lock_guard<std::mutex> lock(g_limits_mu);
  apply_limit(v);
}

int current_limit() {
  std::lock_guard<std::mutex> lock(g_limits_mu);
  return g_limit;
}

void double_limit() {
  std::lock_guard<std::mutex> lock(g_limits_mu);
  g_limit = g_limit * 2; // expect-note: "'g_limit' updated here while holding 'g_limits_mu'"
}

// The admin thread calls the helper directly, without the lock.
void admin_reset() { apply_limit(0); }

void limits_bad() {
  std::thread a([] { set_limit_locked(50); });
  std::thread b([] { double_limit(); });
  std::thread c([] { admin_reset(); });
  int seen = current_limit();
  a.join();
  b.join();
  c.join();
  (void)seen;
}
