// Inferred guards: a bank account whose balance is written under its mutex
// but read by an unlocked getter while worker threads deposit, and a
// counter written under the wrong mutex. Negative cases: state that every
// access reads and writes under one mutex, constructor and destructor
// accesses, std::atomic fields, accesses before the threads start or after
// they are joined, and state that is only read under the lock (no locked
// write, so no guard is inferred).
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// ------------------------------------------ an unlocked balance getter --

class Account {
public:
  void deposit(long amount) {
    std::lock_guard<std::mutex> lock(mu_); // expect-note: "'Account::mu_' acquired here"
    balance_ += amount; // expect-note: "'Account::balance_' updated here while holding 'Account::mu_'"
  }
  void withdraw(long amount) {
    std::lock_guard<std::mutex> lock(mu_);
    if (balance_ >= amount)
      balance_ -= amount;
  }
  long balance() const { return balance_; } // expect: threadlint-inconsistent-locking "'Account::balance_' is read without holding 'Account::mu_', which all 3 of its other accesses hold; the thread that started 'a' and thread 'a' may run at the same time: this access races with the guarded write on line 20; hold 'Account::mu_' here"

private:
  mutable std::mutex mu_;
  long balance_ = 0;
};

void audit(long seen);

void bank_bad() {
  Account acc;
  std::thread a([&acc] { // expect-note: "the thread is started here"
    for (int i = 0; i < 100; ++i)
      acc.deposit(10);
  });
  std::thread b([&acc] {
    for (int i = 0; i < 100; ++i)
      acc.withdraw(5);
  });
  audit(acc.balance());
  a.join();
  b.join();
}

// --------------------------------------------- a write under the wrong mutex --

std::mutex g_sessions_mu;
std::mutex g_stats_mu;
int g_active_sessions = 0;

void login() {
  std::lock_guard<std::mutex> lock(g_sessions_mu);
  g_active_sessions++; // expect-note: "'g_active_sessions' updated here while holding 'g_sessions_mu'"
}

void logout() {
  std::lock_guard<std::mutex> lock(g_sessions_mu);
  g_active_sessions--;
}

int session_count() {
  std::lock_guard<std::mutex> lock(g_sessions_mu);
  return g_active_sessions;
}

// Holds a mutex, but not the one the other accesses hold.
void reset_stats() {
  std::lock_guard<std::mutex> lock(g_stats_mu);
  g_active_sessions = 0; // expect: threadlint-inconsistent-locking "'g_active_sessions' is written without holding 'g_sessions_mu', which all 3 of its other accesses hold; thread 'stats' and thread 'in' may run at the same time: this access races with the guarded write on line 59; hold 'g_sessions_mu' here"
}

void sessions_bad() {
  std::thread in([] { login(); });
  std::thread out([] { logout(); });
  std::thread stats([] { reset_stats(); });
  int n = session_count();
  in.join();
  out.join();
  stats.join();
  (void)n;
}

// ----------------------------------------------- consistently guarded --

class Inventory {
public:
  void add(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    items_ += n;
    version_++;
  }
  bool take_ok(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    if (items_ < n)
      return false;
    items_ -= n;
    version_++;
    return true;
  }
  int count_ok() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_;
  }

private:
  mutable std::mutex mu_;
  int items_ = 0;
  unsigned version_ = 0;
};

int inventory_ok() {
  Inventory inv;
  std::thread a([&inv] { inv.add(5); });
  std::thread b([&inv] { inv.take_ok(2); });
  int seen = inv.count_ok();
  a.join();
  b.join();
  return seen;
}

// ------------------------------------------- constructor and destructor --

class Registry {
public:
  Registry() { names_.reserve(16); size_ = 0; }
  ~Registry() { names_.clear(); size_ = 0; }
  void add(const std::string &n) {
    std::lock_guard<std::mutex> lock(mu_);
    names_.push_back(n);
    ++size_;
  }
  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return size_;
  }

private:
  mutable std::mutex mu_;
  std::vector<std::string> names_;
  std::size_t size_;
};

std::size_t registry_ok() {
  Registry r;
  std::thread a([&r] { r.add("x"); });
  std::thread b([&r] { r.add("y"); });
  a.join();
  b.join();
  return r.size();
}

// ---------------------------------------------------- atomic fields --

class Throttle {
public:
  void hit() {
    std::lock_guard<std::mutex> lock(mu_);
    hits_.fetch_add(1);
    window_hits_++;
  }
  long hits_ok() const { return hits_.load(); }

private:
  std::mutex mu_;
  std::atomic<long> hits_{0};
  long window_hits_ = 0;
};

long throttle_ok() {
  Throttle t;
  std::thread a([&t] { t.hit(); });
  std::thread b([&t] { t.hit(); });
  long seen = t.hits_ok();
  a.join();
  b.join();
  return seen;
}

// ------------------------------------- before the start, after the join --

std::mutex g_results_mu;
std::vector<int> g_results;

void produce_result(int v) {
  std::lock_guard<std::mutex> lock(g_results_mu);
  g_results.push_back(v);
}

std::size_t collect_ok() {
  g_results.clear();
  g_results.reserve(8);
  std::thread a(produce_result, 1);
  std::thread b(produce_result, 2);
  a.join();
  b.join();
  return g_results.size();
}

// ---------------------------------------- read under the lock, never written --

std::mutex g_table_mu;
int g_table_size = 64;

int lookup_ok(int key) {
  std::lock_guard<std::mutex> lock(g_table_mu);
  return key % g_table_size;
}

int bucket_count_ok() { return g_table_size; }

void lookups_ok() {
  std::thread a([] { lookup_ok(7); });
  std::thread b([] { bucket_count_ok(); });
  a.join();
  b.join();
}
