// Check-then-act across two critical sections of one mutex: the state is
// tested under the lock, the lock is released (unique_lock::unlock(),
// mutex::unlock(), the shared_lock of an "upgrade"), and the write happens
// after it is taken again. Reported whatever the threads, since the lock
// says the state is shared. Also: a re-test under the second acquisition
// that does not guard the write, and a test with no lock before a write
// under one, while another thread erases. Negative cases: test and act in one
// critical section (lock_guard, unique_lock, scoped_lock, std::lock with
// adopt_lock, a recursive_mutex taken twice, a condition-variable wait with
// a predicate), double-checked locking (a re-test under the lock guards the
// act), insert-if-absent after re-acquiring, atomics, and work done
// outside the lock with the decision taken inside it. Out of reach (FN_):
// the early-return form with two lock_guard scopes, a test kept in a local,
// and a condition-variable wait without a predicate in the branch.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

std::string load_blob(int key);
void log_miss(int key);

// ------------------------------------- a blob cache that loads unlocked --

class BlobCache {
public:
  // Loading is slow, so the lock is dropped while loading: another thread
  // may load and store the same key, or evict it, in between.
  void prefetch(int key) {
    std::unique_lock<std::mutex> lk(mu_); // expect-note: "'BlobCache::mu_' acquired here for the test"
    if (!blobs_.count(key)) { // expect-note: "'BlobCache::blobs_' tested here"
      lk.unlock();
      std::string blob = load_blob(key);
      lk.lock(); // expect-note: "'BlobCache::mu_' acquired again here for the act"
      blobs_[key] = std::move(blob); // expect: threadlint-check-then-act "check-then-act on 'BlobCache::blobs_': it is tested on line 36 and written here in a different critical section of 'BlobCache::mu_'; another thread can change it after the test released the lock; test and act under one acquisition"
    }
  }

  // The same with the mutex locked and unlocked by hand.
  void refresh(int key) {
    mu_.lock();
    if (blobs_.find(key) != blobs_.end()) {
      mu_.unlock();
      std::string blob = load_blob(key);
      mu_.lock();
      blobs_.insert_or_assign(key, std::move(blob)); // expect: threadlint-check-then-act "check-then-act on 'BlobCache::blobs_': it is tested on line 47 and written here in a different critical section of 'BlobCache::mu_'"
    }
    mu_.unlock();
  }

  // Re-tested after the lock is taken again: double-checked, and the act
  // is guarded by the second test.
  void prefetch_retest_ok(int key) {
    std::unique_lock<std::mutex> lk(mu_);
    if (!blobs_.count(key)) {
      lk.unlock();
      std::string blob = load_blob(key);
      lk.lock();
      if (!blobs_.count(key))
        blobs_[key] = std::move(blob);
    }
  }

  // Insert-if-absent after re-acquiring: try_emplace keeps whatever another
  // thread stored in between, so nothing is lost (the worst case is a load
  // done twice).
  std::string get_or_load_ok(int key) {
    std::unique_lock<std::mutex> lk(mu_);
    auto it = blobs_.find(key);
    if (it == blobs_.end()) {
      lk.unlock();
      std::string blob = load_blob(key);
      lk.lock();
      it = blobs_.try_emplace(key, std::move(blob)).first;
    }
    return it->second;
  }

  // The lock is released only after the act.
  void prefetch_then_notify_ok(int key) {
    std::unique_lock<std::mutex> lk(mu_);
    if (!blobs_.count(key)) {
      blobs_[key] = load_blob(key);
      lk.unlock();
      log_miss(key);
      lk.lock();
    }
  }

  // Decide under the lock, do the slow work outside it, store under it
  // without depending on the old decision.
  void reload_ok(int key) {
    std::string blob = load_blob(key);
    std::lock_guard<std::mutex> g(mu_);
    blobs_[key] = std::move(blob);
  }

  // An early return inside one critical section.
  void put_if_missing_ok(int key, std::string blob) {
    mu_.lock();
    if (blobs_.count(key)) {
      mu_.unlock();
      return;
    }
    blobs_[key] = std::move(blob);
    mu_.unlock();
  }

  void evict(int key) {
    std::lock_guard<std::mutex> g(mu_);
    blobs_.erase(key);
  }

  // A re-test of the same map under the second acquisition that does not
  // guard the write (it only trims the cache): the insert still depends on
  // the first, stale test.
  void prefetch_trim(int key) {
    std::unique_lock<std::mutex> lk(mu_);
    if (!blobs_.count(key)) {
      lk.unlock();
      std::string blob = load_blob(key);
      lk.lock();
      if (blobs_.size() >= 64)
        blobs_.erase(blobs_.begin());
      blobs_[key] = std::move(blob); // expect: threadlint-check-then-act "check-then-act on 'BlobCache::blobs_': it is tested on line 124 and written here in a different critical section of 'BlobCache::mu_'"
    }
  }

  // Test in one lock_guard scope, return early; write in a second scope:
  // the early return decided whether the write happens.
  void prefetch_two_scopes(int key) {
    {
      std::lock_guard<std::mutex> g(mu_);
      if (blobs_.count(key))
        return;
    }
    std::string blob = load_blob(key);
    {
      std::lock_guard<std::mutex> g(mu_);
      blobs_[key] = std::move(blob); // expect: threadlint-check-then-act "check-then-act on 'BlobCache::blobs_': it is tested on line 139 and written here in a different critical section of 'BlobCache::mu_'"
    }
  }

  // The result of the test is kept in a local and tested later: only tests
  // written in the 'if' condition itself are followed.
  void FN_prefetch_flag(int key) {
    bool missing;
    {
      std::lock_guard<std::mutex> g(mu_);
      missing = blobs_.count(key) == 0;
    }
    if (missing) {
      std::string blob = load_blob(key);
      std::lock_guard<std::mutex> g(mu_);
      blobs_[key] = std::move(blob);
    }
  }

private:
  std::mutex mu_;
  std::map<int, std::string> blobs_;
};

void run_blob_cache(BlobCache &cache) {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&cache, i] {
      cache.prefetch(i);
      cache.refresh(i);
      cache.prefetch_retest_ok(i);
      (void)cache.get_or_load_ok(i);
      cache.prefetch_then_notify_ok(i);
      cache.reload_ok(i);
      cache.put_if_missing_ok(i, "x");
      cache.prefetch_trim(i);
      cache.prefetch_two_scopes(i);
      cache.FN_prefetch_flag(i);
      cache.evict(i + 1);
    });
  for (std::thread &t : workers)
    t.join();
}

// ---------------------------------------- a reader-writer lock "upgrade" --

class Counters {
public:
  // Tested under the shared lock, which is released before the exclusive
  // lock is taken: two threads can both see the key missing and both reset
  // it, losing the increments done in between.
  void ensure(const std::string &name) {
    std::shared_lock<std::shared_mutex> r(mu_); // expect-note: "'Counters::mu_' acquired here for the test"
    if (counts_.find(name) == counts_.end()) {
      r.unlock();
      std::unique_lock<std::shared_mutex> w(mu_); // expect-note: "'Counters::mu_' acquired again here for the act"
      counts_[name] = 0; // expect: threadlint-check-then-act "check-then-act on 'Counters::counts_': it is tested on line 198 and written here in a different critical section of 'Counters::mu_'"
    }
  }

  void ensure_retest_ok(const std::string &name) {
    {
      std::shared_lock<std::shared_mutex> r(mu_);
      if (counts_.find(name) != counts_.end())
        return;
    }
    std::unique_lock<std::shared_mutex> w(mu_);
    if (counts_.find(name) == counts_.end())
      counts_[name] = 0;
  }

  void bump_ok(const std::string &name) {
    std::unique_lock<std::shared_mutex> w(mu_);
    if (counts_.find(name) == counts_.end())
      counts_[name] = 1;
    else
      ++counts_[name];
  }

  long read_ok(const std::string &name) const {
    std::shared_lock<std::shared_mutex> r(mu_);
    auto it = counts_.find(name);
    return it == counts_.end() ? 0 : it->second;
  }

private:
  mutable std::shared_mutex mu_;
  std::map<std::string, long> counts_;
};

// ------------------------------------- a test outside the lock entirely --

class Sessions {
public:
  // The test takes no lock; only the write does. close() erases under the
  // lock, between the test and the write.
  void open(int id) {
    if (!names_.count(id)) { // expect-note: "'Sessions::names_' tested here"
      std::lock_guard<std::mutex> g(mu_); // expect-note: "'Sessions::mu_' acquired here for the act"
      names_[id] = "session"; // expect: threadlint-check-then-act "check-then-act on 'Sessions::names_'"
    }
  }

  void close(int id) {
    std::lock_guard<std::mutex> g(mu_);
    names_.erase(id); // expect-note: "writes 'Sessions::names_' here"
  }

  void open_ok(int id) {
    std::lock_guard<std::mutex> g(mu_);
    if (!names_.count(id))
      names_[id] = "session";
  }

private:
  std::mutex mu_;
  std::map<int, std::string> names_;
};

void run_sessions() {
  Sessions s;
  std::thread a([&s] { s.open(1); s.open_ok(2); });
  std::thread b([&s] { s.close(1); });
  a.join();
  b.join();
}

// ---------------------------------- one critical section, several shapes --

class Ledger {
public:
  void credit_ok(long amount) {
    std::lock_guard<std::mutex> g(mu_);
    if (balance_ + amount <= limit_)
      balance_ += amount;
  }

  void transfer_ok(Ledger &to, long amount) {
    std::lock(mu_, to.mu_);
    std::lock_guard<std::mutex> a(mu_, std::adopt_lock);
    std::lock_guard<std::mutex> b(to.mu_, std::adopt_lock);
    if (balance_ >= amount) {
      balance_ -= amount;
      to.balance_ += amount;
    }
  }

  void transfer_scoped_ok(Ledger &to, long amount) {
    std::scoped_lock lk(mu_, to.mu_);
    if (balance_ >= amount) {
      balance_ -= amount;
      to.balance_ += amount;
    }
  }

  // A recursive mutex taken again inside the branch: the outer acquisition
  // still covers the test and the act.
  void audit_ok() {
    std::lock_guard<std::recursive_mutex> g(audit_mu_);
    if (audits_.empty()) {
      std::lock_guard<std::recursive_mutex> again(audit_mu_);
      audits_.push_back(balance_snapshot());
    }
  }

  // The wait releases the lock, but the predicate re-tests on wake-up.
  void settle_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    if (!settled_) {
      cv_.wait(lk, [this] { return pending_ == 0; });
      settled_ = true;
    }
  }

  // A condition-variable wait without a predicate inside the branch
  // releases the lock: the state may have changed when it returns. The
  // model does not treat the wait as a release (cv-wait-without-predicate
  // reports the wait itself).
  void FN_settle_unguarded() {
    std::unique_lock<std::mutex> lk(mu_);
    if (!settled_) {
      cv_.wait(lk);
      settled_ = true;
    }
  }

  void finish_one() {
    {
      std::lock_guard<std::mutex> g(mu_);
      --pending_;
      settled_ = false;
    }
    cv_.notify_all();
  }

private:
  long balance_snapshot();
  std::mutex mu_;
  std::recursive_mutex audit_mu_;
  std::condition_variable cv_;
  long balance_ = 0;
  long limit_ = 1000;
  int pending_ = 0;
  bool settled_ = false;
  std::vector<long> audits_;
};

// ----------------------------------------------------- atomic counters --

// Check-then-act on an atomic is split-atomic-update's finding, not this
// rule's.
std::atomic<int> g_tickets{10};

bool take_ticket_ok() {
  if (g_tickets.load() > 0) {
    g_tickets.fetch_sub(1);
    return true;
  }
  return false;
}

// ------------------------------------------ double-checked initialisation --

// double-checked-locking reports the unlocked first test; the write is
// guarded by the re-test under the lock, so it is not a check-then-act.
struct Catalog {
  std::map<int, std::string> items;
};
Catalog *g_catalog = nullptr;
std::mutex g_catalog_mu;

Catalog *catalog_ok() {
  if (g_catalog == nullptr) {
    std::lock_guard<std::mutex> g(g_catalog_mu);
    if (g_catalog == nullptr)
      g_catalog = new Catalog;
  }
  return g_catalog;
}

int run_all() {
  Counters counters;
  Ledger a, b;
  std::thread t1([&] {
    counters.ensure("x");
    counters.ensure_retest_ok("y");
    counters.bump_ok("x");
    a.credit_ok(5);
    a.transfer_ok(b, 1);
    a.transfer_scoped_ok(b, 1);
    a.audit_ok();
    a.settle_ok();
    a.FN_settle_unguarded();
    (void)take_ticket_ok();
    (void)catalog_ok();
  });
  std::thread t2([&] {
    (void)counters.read_ok("x");
    counters.bump_ok("y");
    b.transfer_ok(a, 2);
    a.finish_one();
    (void)take_ticket_ok();
    (void)catalog_ok();
  });
  t1.join();
  t2.join();
  return 0;
}
