// Manual lock()/unlock() in C++ (a global std::mutex, a class member, a
// std::shared_mutex taken with lock_shared(), a mutex passed as a parameter,
// the mutex of one element of an array, one of two objects' mutexes taken
// with std::lock) where the last exit of the function unlocks but another
// exit leaves it still locked: an early return, a return inside a switch or
// a loop, a return reached through a break, and a throw that is not caught
// in the function. Known miss: an exception thrown by a callee. Negative cases: every exit unlocks,
// RAII guards, std::unique_lock's own lock()/unlock() (its destructor
// releases), exits before the lock is taken, throws caught in the function,
// an unlock in a catch handler before the rethrow, abort() on an error path,
// returns inside lambdas, try_lock failure paths, and an unlock done by a
// helper on the early path.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))

void log_error(const char *what);
int compute(int v);

std::mutex g_mu;
std::map<std::string, int> g_index;
std::vector<int> g_queue;

// ------------------------------------------------------ early returns --

int lookup_bad(const std::string &key) {
  g_mu.lock(); // expect-note: "is locked here"
  auto it = g_index.find(key);
  if (it == g_index.end())
    return -1; // expect: threadlint-lock-leak "'g_mu' (locked at line 35) is still held when the function returns here; the other paths unlock it (line 40), and every later lock of it waits forever; use std::lock_guard or std::unique_lock so that every path releases it"
  int v = it->second;
  g_mu.unlock(); // expect-note: "unlocked here"
  return v;
}

int lookup_ok(const std::string &key) {
  g_mu.lock();
  auto it = g_index.find(key);
  if (it == g_index.end()) {
    g_mu.unlock();
    return -1;
  }
  int v = it->second;
  g_mu.unlock();
  return v;
}

int lookup_guard_ok(const std::string &key) {
  std::lock_guard<std::mutex> g(g_mu);
  auto it = g_index.find(key);
  if (it == g_index.end())
    return -1;
  return it->second;
}

// std::unique_lock's own lock() and unlock(): its destructor releases the
// mutex on the early return.
int lookup_unique_ok(const std::string &key) {
  std::unique_lock<std::mutex> lk(g_mu, std::defer_lock);
  lk.lock();
  auto it = g_index.find(key);
  if (it == g_index.end())
    return -1;
  int v = it->second;
  lk.unlock();
  return compute(v);
}

// The early return comes before the lock.
int lookup_checked_ok(const std::string &key) {
  if (key.empty())
    return -1;
  g_mu.lock();
  int v = g_index[key];
  g_mu.unlock();
  return v;
}

// try_lock() failed: nothing is held on the early return.
bool try_clear_ok() {
  if (!g_mu.try_lock())
    return false;
  g_queue.clear();
  g_mu.unlock();
  return true;
}

// abort() does not return: the lock does not matter any more.
void check_index_ok() {
  g_mu.lock();
  if (g_index.size() > 1000000) {
    log_error("index corrupt");
    std::abort();
  }
  g_index.erase("");
  g_mu.unlock();
}

// The returns belong to the lambda, not to the function.
long count_negative_ok() {
  g_mu.lock();
  long n = std::count_if(g_queue.begin(), g_queue.end(), [](int v) {
    if (v < 0)
      return true;
    return false;
  });
  g_mu.unlock();
  return n;
}

// -------------------------------------------------------------- switch --

int apply_bad(int op, int v) {
  g_mu.lock(); // expect-note: "is locked here"
  switch (op) {
  case 0:
    g_queue.push_back(v);
    break;
  case 1:
    if (!g_queue.empty())
      g_queue.pop_back();
    break;
  default:
    log_error("unknown op");
    return -1; // expect: threadlint-lock-leak "'g_mu' (locked at line 122) is still held when the function returns here; the other paths unlock it (line 135), and every later lock of it waits forever"
  }
  g_mu.unlock();
  return 0;
}

int apply_ok(int op, int v) {
  g_mu.lock();
  switch (op) {
  case 0:
    g_queue.push_back(v);
    break;
  case 1:
    if (!g_queue.empty())
      g_queue.pop_back();
    break;
  default:
    g_mu.unlock();
    log_error("unknown op");
    return -1;
  }
  g_mu.unlock();
  return 0;
}

// ------------------------------------------ a return through a break --

std::mutex g_turn_mu;
int g_turn = 0;
bool g_closed = false;

// The only way out of the loop is the break, taken with g_turn_mu held.
int take_turn_bad(int me) {
  for (;;) {
    g_turn_mu.lock(); // expect-note: "is locked here"
    if (g_turn == me)
      break;
    g_turn_mu.unlock();
    std::this_thread::yield();
  }
  if (g_closed)
    return -1; // expect: threadlint-lock-leak "'g_turn_mu' (locked at line 167) is still held when the function returns here; the other paths unlock it (line 170), and every later lock of it waits forever"
  g_turn = (me + 1) % 4;
  g_turn_mu.unlock();
  return 0;
}

int take_turn_ok(int me) {
  for (;;) {
    g_turn_mu.lock();
    if (g_turn == me)
      break;
    g_turn_mu.unlock();
    std::this_thread::yield();
  }
  if (g_closed) {
    g_turn_mu.unlock();
    return -1;
  }
  g_turn = (me + 1) % 4;
  g_turn_mu.unlock();
  return 0;
}

// ------------------------------------- a return from inside a loop --

struct Bucket {
  std::mutex mu;
  int key = 0;
  int hits = 0;
};

Bucket g_buckets[16];

// Returns from the loop with the matching bucket still locked.
bool touch_bad(int key) {
  for (Bucket &b : g_buckets) {
    b.mu.lock(); // expect-note: "is locked here"
    if (b.key == key) {
      ++b.hits;
      return true; // expect: threadlint-lock-leak "'Bucket::mu' (locked at line 210) is still held when the function returns here; the other paths unlock it (line 215), and every later lock of it waits forever"
    }
    b.mu.unlock();
  }
  return false;
}

bool touch_ok(int key) {
  for (Bucket &b : g_buckets) {
    std::lock_guard<std::mutex> g(b.mu);
    if (b.key == key) {
      ++b.hits;
      return true;
    }
  }
  return false;
}

bool touch_manual_ok(int key) {
  for (Bucket &b : g_buckets) {
    b.mu.lock();
    bool match = b.key == key;
    if (match)
      ++b.hits;
    b.mu.unlock();
    if (match)
      return true;
  }
  return false;
}

// ---------------------------------------------- a class and throw --

long parse_amount(const std::string &text);

class Account {
public:
  void withdraw_bad(long amount) {
    mu_.lock(); // expect-note: "is locked here"
    if (amount > balance_)
      throw std::runtime_error("insufficient funds"); // expect: threadlint-lock-leak "'Account::mu_' (locked at line 251) is still held when the exception leaves the function here; the other paths unlock it (line 255), and every later lock of it waits forever"
    balance_ -= amount;
    mu_.unlock(); // expect-note: "unlocked here"
  }

  void withdraw_ok(long amount) {
    mu_.lock();
    if (amount > balance_) {
      mu_.unlock();
      throw std::runtime_error("insufficient funds");
    }
    balance_ -= amount;
    mu_.unlock();
  }

  void withdraw_guard_ok(long amount) {
    std::lock_guard<std::mutex> g(mu_);
    if (amount > balance_)
      throw std::runtime_error("insufficient funds");
    balance_ -= amount;
  }

  // The throw is caught in the function; the unlock after the try runs.
  void deposit_ok(long amount) {
    mu_.lock();
    try {
      if (amount <= 0)
        throw std::invalid_argument("deposit must be positive");
      balance_ += amount;
    } catch (const std::invalid_argument &) {
      ++rejected_;
    }
    mu_.unlock();
  }

  // Unlocked in the handler before the exception is passed on.
  void charge_fee_ok(long fee) {
    mu_.lock();
    try {
      if (fee > balance_)
        throw std::runtime_error("fee exceeds balance");
      balance_ -= fee;
    } catch (...) {
      mu_.unlock();
      throw;
    }
    mu_.unlock();
  }

  // The handler catches std::invalid_argument only: the runtime_error
  // leaves the function with mu_ locked.
  void refund_bad(long amount) {
    mu_.lock(); // expect-note: "is locked here"
    try {
      if (amount > refundable_)
        throw std::runtime_error("refund exceeds payments"); // expect: threadlint-lock-leak "'Account::mu_' (locked at line 305) is still held when the exception leaves the function here; the other paths unlock it (line 316), and every later lock of it waits forever"
      if (amount <= 0)
        throw std::invalid_argument("refund must be positive");
      balance_ += amount;
      refundable_ -= amount;
    } catch (const std::invalid_argument &) {
      ++rejected_;
    }
    mu_.unlock();
  }

  // An exception thrown by a callee is not followed: parse_amount() may
  // throw (std::stol does on bad input) and leave mu_ locked, but only
  // `throw` statements of the function itself are considered.
  void FN_deposit_text(const std::string &text) {
    mu_.lock();
    balance_ += parse_amount(text);
    mu_.unlock();
  }

  // The early path leaves through a helper that releases the lock.
  bool close_ok() {
    mu_.lock();
    if (closed_) {
      release();
      return false;
    }
    closed_ = true;
    mu_.unlock();
    return true;
  }

  long balance() {
    std::lock_guard<std::mutex> g(mu_);
    return balance_;
  }

private:
  void release() RELEASE(mu_) { mu_.unlock(); }

  std::mutex mu_;
  long balance_ = 0;
  long refundable_ = 0;
  int rejected_ = 0;
  bool closed_ = false;
};

// ------------------------------------- shared_mutex, lock_shared() --

class Config {
public:
  std::string get_bad(const std::string &key) const {
    mu_.lock_shared(); // expect-note: "is locked here"
    auto it = values_.find(key);
    if (it == values_.end())
      return {}; // expect: threadlint-lock-leak "'Config::mu_' (locked at line 360) is still held when the function returns here; the other paths unlock it (line 365), and every later lock of it waits forever"
    std::string v = it->second;
    mu_.unlock_shared(); // expect-note: "unlocked here"
    return v;
  }

  std::string get_ok(const std::string &key) const {
    mu_.lock_shared();
    auto it = values_.find(key);
    std::string v = it == values_.end() ? std::string() : it->second;
    mu_.unlock_shared();
    return v;
  }

  std::string get_shared_lock_ok(const std::string &key) const {
    std::shared_lock<std::shared_mutex> lk(mu_);
    auto it = values_.find(key);
    if (it == values_.end())
      return {};
    return it->second;
  }

  bool set_bad(const std::string &key, const std::string &value) {
    mu_.lock(); // expect-note: "is locked here"
    if (frozen_)
      return false; // expect: threadlint-lock-leak "'Config::mu_' (locked at line 386) is still held when the function returns here; the other paths unlock it (line 390), and every later lock of it waits forever"
    values_[key] = value;
    mu_.unlock();
    return true;
  }

private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::string> values_;
  bool frozen_ = false;
};

// ------------------------------------------------- a mutex parameter --

int pop_front_bad(std::mutex &m, std::vector<int> &q) {
  m.lock(); // expect-note: "is locked here"
  if (q.empty())
    return -1; // expect: threadlint-lock-leak "'m' (locked at line 403) is still held when the function returns here; the other paths unlock it (line 408), and every later lock of it waits forever"
  int v = q.front();
  q.erase(q.begin());
  m.unlock();
  return v;
}

int pop_front_ok(std::mutex &m, std::vector<int> &q) {
  std::lock_guard<std::mutex> g(m);
  if (q.empty())
    return -1;
  int v = q.front();
  q.erase(q.begin());
  return v;
}

// ----------------------------------------- two instances of a class --

struct Wallet {
  std::mutex mu;
  long cents = 0;
};

bool transfer_ok(Wallet &from, Wallet &to, long cents) {
  std::lock(from.mu, to.mu);
  if (from.cents < cents) {
    from.mu.unlock();
    to.mu.unlock();
    return false;
  }
  from.cents -= cents;
  to.cents += cents;
  from.mu.unlock();
  to.mu.unlock();
  return true;
}

// Only one side is released before the early return: to.mu stays locked.
bool transfer_keeps_one_side_bad(Wallet &from, Wallet &to, long cents) {
  std::lock(from.mu, to.mu); // expect-note: "is locked here"
  if (from.cents < cents) {
    from.mu.unlock();
    return false; // expect: threadlint-lock-leak "'Wallet::mu' (locked at line 444) is still held when the function returns here; the other paths unlock it (line 452), and every later lock of it waits forever"
  }
  from.cents -= cents;
  to.cents += cents;
  from.mu.unlock();
  to.mu.unlock();
  return true;
}

// --------------------------------------------------------- threads --

void run_workers() {
  Account acct;
  Config cfg;
  Wallet a, b;
  std::thread t1([&] {
    lookup_ok("a");
    apply_ok(0, 1);
    take_turn_ok(0);
    touch_ok(3);
    acct.withdraw_ok(10);
    cfg.get_ok("k");
  });
  std::thread t2([&] {
    lookup_bad("a");
    apply_bad(1, 2);
    take_turn_bad(1);
    touch_bad(4);
    try {
      acct.withdraw_bad(5);
    } catch (const std::exception &) {
    }
    cfg.set_bad("k", "v");
    transfer_ok(a, b, 5);
  });
  t1.join();
  t2.join();
}
