// Every kind of lock and guard the model knows: scoped_lock, shared_lock,
// std::lock + adopt_lock, timed/recursive/shared mutexes, user RAII guards,
// capability-annotated types, any class with lock()/unlock(), and lock
// wrapper functions that return holding a lock.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

#include <unistd.h>

// ------------------------------------------------------------ scoped_lock --

struct Account {
  std::mutex mu;
  long balance = 0;
  int audit_fd = -1;
};

void transfer_bad(Account &from, Account &to, long amount) {
  std::scoped_lock lock(from.mu, to.mu);
  from.balance -= amount;
  to.balance += amount;
  char rec[64];
  int n = snprintf(rec, sizeof rec, "%ld\n", amount);
  write(from.audit_fd, rec, n); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'Account::mu' and 'Account::mu'"
}

void transfer_ok(Account &from, Account &to, long amount) {
  int fd;
  {
    std::scoped_lock lock(from.mu, to.mu);
    from.balance -= amount;
    to.balance += amount;
    fd = from.audit_fd;
  }
  char rec[64];
  int n = snprintf(rec, sizeof rec, "%ld\n", amount);
  write(fd, rec, n);
}

// ------------------------------------------------- std::lock + adopt_lock --

void swap_balances_bad(Account &a, Account &b) {
  std::lock(a.mu, b.mu);
  std::lock_guard<std::mutex> la(a.mu, std::adopt_lock);
  std::lock_guard<std::mutex> lb(b.mu, std::adopt_lock);
  std::swap(a.balance, b.balance);
  fsync(a.audit_fd); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding"
}

void swap_balances_ok(Account &a, Account &b) {
  {
    std::lock(a.mu, b.mu);
    std::lock_guard<std::mutex> la(a.mu, std::adopt_lock);
    std::lock_guard<std::mutex> lb(b.mu, std::adopt_lock);
    std::swap(a.balance, b.balance);
  }
  fsync(a.audit_fd);
}

// -------------------------------------------- shared_mutex / shared_lock --

class Config {
public:
  std::string get_bad(const std::string &key) {
    std::shared_lock<std::shared_mutex> lock(mu_);
    if (!values_.count(key))
      usleep(100); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'Config::mu_'"
    return values_[key];
  }

  std::string get_ok(const std::string &key) {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = values_.find(key);
    return it == values_.end() ? std::string() : it->second;
  }

  void reload_bad(const char *path) {
    std::unique_lock<std::shared_mutex> lock(mu_);
    FILE *f = fopen(path, "r"); // expect: threadlint-blocking-in-critical-section "'fopen' waits for I/O while holding 'Config::mu_'"
    if (f)
      fclose(f);
  }

  void reload_manual_shared_bad() {
    mu_.lock_shared();
    sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding 'Config::mu_'"
    mu_.unlock_shared();
  }

  void reload_manual_shared_ok() {
    mu_.lock_shared();
    auto n = values_.size();
    mu_.unlock_shared();
    if (n == 0)
      sleep(1);
  }

private:
  std::shared_mutex mu_;
  std::map<std::string, std::string> values_;
};

// --------------------------------------------- timed and recursive mutexes --

std::timed_mutex g_timed;
std::recursive_mutex g_rec;

void timed_bad() {
  std::lock_guard<std::timed_mutex> lock(g_timed);
  std::this_thread::sleep_for(std::chrono::milliseconds(5)); // expect: threadlint-blocking-in-critical-section "while holding 'g_timed'"
}

void recursive_bad() {
  std::lock_guard<std::recursive_mutex> outer(g_rec);
  {
    std::lock_guard<std::recursive_mutex> inner(g_rec);
  }
  // Still held by 'outer'.
  usleep(10); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'g_rec'"
}

void recursive_ok() {
  {
    std::lock_guard<std::recursive_mutex> outer(g_rec);
    std::lock_guard<std::recursive_mutex> inner(g_rec);
  }
  usleep(10);
}

// ------------------------------------------------------ user RAII guards --

class SpinLock {
public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire)) {
    }
  }
  void unlock() { flag_.clear(std::memory_order_release); }

private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

class SpinGuard {
public:
  explicit SpinGuard(SpinLock &l) : l_(l) { l_.lock(); }
  ~SpinGuard() { l_.unlock(); }
  SpinGuard(const SpinGuard &) = delete;
  SpinGuard &operator=(const SpinGuard &) = delete;

private:
  SpinLock &l_;
};

SpinLock g_stats_lock;
long g_hits, g_misses;

void record_hit_bad(int log_fd) {
  SpinGuard guard(g_stats_lock);
  ++g_hits;
  write(log_fd, "hit\n", 4); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'g_stats_lock'"
}

void record_hit_ok(int log_fd) {
  {
    SpinGuard guard(g_stats_lock);
    ++g_hits;
  }
  write(log_fd, "hit\n", 4);
}

void spin_manual_bad() {
  g_stats_lock.lock();
  ++g_misses;
  usleep(1); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'g_stats_lock'"
  g_stats_lock.unlock();
}

void spin_manual_ok() {
  g_stats_lock.lock();
  ++g_misses;
  g_stats_lock.unlock();
  usleep(1);
}

// A guard over std::mutex with a user-provided destructor.
class MutexHolder {
public:
  explicit MutexHolder(std::mutex *m) : m_(m) { m_->lock(); }
  ~MutexHolder() { m_->unlock(); }

private:
  std::mutex *m_;
};

std::mutex g_registry_mu;

void register_bad(const char *name) {
  MutexHolder h(&g_registry_mu);
  FILE *f = fopen(name, "w"); // expect: threadlint-blocking-in-critical-section "'fopen' waits for I/O while holding 'g_registry_mu'"
  (void)f;
}

void register_ok(const char *name) {
  FILE *f = fopen(name, "w");
  MutexHolder h(&g_registry_mu);
  (void)f;
}

// A struct that merely keeps a reference to a mutex (no user destructor)
// is not a guard and locks nothing.
struct MutexRef {
  std::mutex &m;
};

void mutex_ref_ok() {
  MutexRef r{g_registry_mu};
  (void)r;
  sleep(1);
}

// ----------------------------------------- capability-annotated types --

#define CAPABILITY(x) __attribute__((capability(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define SCOPED_CAPABILITY __attribute__((scoped_lockable))

class CAPABILITY("mutex") Mutex {
public:
  void Acquire() ACQUIRE();
  void Release() RELEASE();
};

class SCOPED_CAPABILITY MutexLock {
public:
  explicit MutexLock(Mutex *mu) ACQUIRE(mu) : mu_(mu) { mu_->Acquire(); }
  ~MutexLock() RELEASE() { mu_->Release(); }

private:
  Mutex *mu_;
};

class SessionTable {
public:
  void expire_bad() {
    MutexLock l(&mu_);
    ++generation_;
    sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding 'SessionTable::mu_'"
  }

  void expire_manual_bad() {
    mu_.Acquire();
    ++generation_;
    usleep(100); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'SessionTable::mu_'"
    mu_.Release();
  }

  void expire_ok() {
    {
      MutexLock l(&mu_);
      ++generation_;
    }
    sleep(1);
  }

  void expire_manual_ok() {
    mu_.Acquire();
    ++generation_;
    mu_.Release();
    usleep(100);
  }

private:
  Mutex mu_;
  int generation_ = 0;
};

// ----------------------------------------------------- lock wrappers --

std::mutex g_table_mu;

// Returns holding g_table_mu.
void lock_table() { g_table_mu.lock(); }
void unlock_table() { g_table_mu.unlock(); }

void wrapper_bad() {
  lock_table(); // expect-note: "by the call to 'lock_table'"
  usleep(50); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'g_table_mu'"
  unlock_table();
}

void wrapper_ok() {
  lock_table();
  ++g_hits;
  unlock_table();
  usleep(50);
}

// Locks only on some paths: not a wrapper, callers hold nothing for sure.
void maybe_lock_table(bool really) {
  if (really)
    g_table_mu.lock();
}

void maybe_wrapper_ok(bool really) {
  maybe_lock_table(really);
  usleep(50);
  if (really)
    g_table_mu.unlock();
}

// ------------------------------------------------ more correct patterns --

class Ledger {
public:
  // scoped_lock over two mutexes in an inner scope, I/O after it.
  void post_ok(int fd, long amount) {
    {
      std::scoped_lock lock(mu_, journal_mu_);
      total_ += amount;
    }
    fsync(fd);
  }

  // scoped_lock over one mutex (CTAD), nothing blocking inside.
  long total_ok() {
    std::scoped_lock lock(mu_);
    return total_;
  }

  // std::lock() with manual unlocks before the I/O.
  void rotate_ok(int fd) {
    std::lock(mu_, journal_mu_);
    total_ = 0;
    journal_mu_.unlock();
    mu_.unlock();
    fsync(fd);
  }

  // Two adopting guards in a scope that ends before the sleep.
  void reset_ok() {
    {
      std::lock(mu_, journal_mu_);
      std::lock_guard<std::mutex> a(mu_, std::adopt_lock);
      std::lock_guard<std::mutex> b(journal_mu_, std::adopt_lock);
      total_ = 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  // A shared lock in an inner scope, file read after it.
  void export_ok(const char *path) {
    long snapshot;
    {
      std::shared_lock<std::shared_mutex> r(view_mu_);
      snapshot = total_;
    }
    if (FILE *f = fopen(path, "w")) {
      fprintf(f, "%ld\n", snapshot);
      fclose(f);
    }
  }

  // Manual shared lock/unlock, then the I/O.
  void export_manual_ok(int fd) {
    view_mu_.lock_shared();
    long snapshot = total_;
    view_mu_.unlock_shared();
    write(fd, &snapshot, sizeof snapshot);
  }

  // A timed mutex guard whose scope ends first.
  void timed_ok() {
    {
      std::lock_guard<std::timed_mutex> lock(timed_);
      ++total_;
    }
    usleep(10);
  }

  // Nested user guards over two spin locks, both released before I/O.
  void nested_spin_ok(int fd) {
    {
      SpinGuard a(spin_a_);
      SpinGuard b(spin_b_);
      ++total_;
    }
    write(fd, "ok\n", 3);
  }

  // Inner guard released, outer still held: reported.
  void nested_spin_bad(int fd) {
    SpinGuard a(spin_a_);
    {
      SpinGuard b(spin_b_);
      ++total_;
    }
    write(fd, "ok\n", 3); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'Ledger::spin_a_'"
  }

private:
  std::mutex mu_, journal_mu_;
  std::shared_mutex view_mu_;
  std::timed_mutex timed_;
  SpinLock spin_a_, spin_b_;
  long total_ = 0;
};

// The lock wrapper with the unlock wrapper called before the sleep, from a
// helper that takes both.
static void with_table_locked_ok() {
  lock_table();
  ++g_misses;
  unlock_table();
}

void after_wrapped_section_ok() {
  with_table_locked_ok();
  usleep(50);
}

// A capability-annotated lock held through its scoped guard in a nested
// block only.
class Counter {
public:
  void bump_ok() {
    {
      MutexLock l(&mu_);
      ++n_;
    }
    usleep(1);
  }

  int read_ok() {
    MutexLock l(&mu_);
    return n_;
  }

private:
  Mutex mu_;
  int n_ = 0;
};
