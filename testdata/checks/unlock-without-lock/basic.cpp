// Manual unlock() of a std::mutex or std::shared_mutex (a global, a class
// member, a parameter) at a point where the function has already released
// it on every path: a double unlock, undefined behaviour that usually
// corrupts the mutex or unlocks it under another thread's feet. Negative
// cases: balanced lock()/unlock(), one unlock on each branch, unlock
// helpers that never lock (the caller holds the lock, annotated RELEASE or
// not), correlated conditions, lock and unlock in a loop body, unlock and
// re-lock around a slow call, the try_lock success branch, an unlock in a
// catch handler before the rethrow, two instances of one class, hand-over-
// hand locking along a list, and a lock taken through a lock wrapper.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))

void write_batch(const std::vector<std::string> &batch);
void write_line(const std::string &line);
void notify_listeners(int level);
void work();

std::mutex g_mu;
std::vector<std::string> g_pending;

// ---------------------------------------------------- double unlocks --

void flush_bad() {
  g_mu.lock();
  std::vector<std::string> batch;
  batch.swap(g_pending);
  g_mu.unlock(); // expect-note: "already unlocked here"
  write_batch(batch);
  g_mu.unlock(); // expect: threadlint-unlock-without-lock "'g_mu' is unlocked here but is not held on any path to this point (it was already unlocked at line 35): unlocking a mutex that is not locked is undefined behaviour; unlock each lock once, on the path that locked it, or use a RAII guard"
}

void flush_ok() {
  g_mu.lock();
  std::vector<std::string> batch;
  batch.swap(g_pending);
  g_mu.unlock();
  write_batch(batch);
}

// Both branches release the mutex, then the common path releases it again.
void enqueue_bad(const std::string &s) {
  g_mu.lock();
  if (g_pending.size() >= 100) {
    std::vector<std::string> batch;
    batch.swap(g_pending);
    g_mu.unlock();
    write_batch(batch);
  } else {
    g_pending.push_back(s);
    g_mu.unlock();
  }
  g_mu.unlock(); // expect: threadlint-unlock-without-lock "'g_mu' is unlocked here but is not held on any path to this point (it was already unlocked at line 58)"
}

void enqueue_ok(const std::string &s) {
  g_mu.lock();
  if (g_pending.size() >= 100) {
    std::vector<std::string> batch;
    batch.swap(g_pending);
    g_mu.unlock();
    write_batch(batch);
  } else {
    g_pending.push_back(s);
    g_mu.unlock();
  }
}

// ------------------------------------------------------ unlock helpers --

// The caller locked g_mu; these release it for the caller.
void leave_ok() { g_mu.unlock(); }
void leave_annotated_ok() RELEASE(g_mu) { g_mu.unlock(); }

void enter() { g_mu.lock(); }

// Locks through a wrapper, unlocks directly.
void push_through_wrapper_ok(const std::string &s) {
  enter();
  g_pending.push_back(s);
  g_mu.unlock();
}

// Locks directly, then again through the wrapper.
void push_twice_ok(const std::string &a, const std::string &b) {
  g_mu.lock();
  g_pending.push_back(a);
  g_mu.unlock();
  work();
  enter();
  g_pending.push_back(b);
  g_mu.unlock();
}

// The helper already released g_mu; the unlock after it is a second one.
void push_and_leave_bad(const std::string &s) {
  g_mu.lock();
  g_pending.push_back(s);
  leave_ok();
  g_mu.unlock(); // expect: threadlint-unlock-without-lock "'g_mu' is unlocked here but is not held on any path to this point"
}

// A helper that unlocks twice but never locks: whether its caller held
// g_mu twice is not known, so unlocks in a function that does not lock the
// mutex itself are not checked.
void FN_leave_twice() {
  g_mu.unlock();
  g_mu.unlock();
}

// ------------------------------------------------------- control flow --

// Taken and released under the same test.
void append_maybe_locked_ok(bool shared, const std::string &s) {
  if (shared)
    g_mu.lock();
  g_pending.push_back(s);
  if (shared)
    g_mu.unlock();
}

void append_all_ok(const std::vector<std::string> &lines) {
  for (const auto &l : lines) {
    g_mu.lock();
    g_pending.push_back(l);
    g_mu.unlock();
  }
}

bool try_append_ok(const std::string &s) {
  if (g_mu.try_lock()) {
    g_pending.push_back(s);
    g_mu.unlock();
    return true;
  }
  return false;
}

void append_or_throw_ok(const std::string &s) {
  g_mu.lock();
  try {
    if (s.empty())
      throw std::invalid_argument("empty line");
    g_pending.push_back(s);
  } catch (...) {
    g_mu.unlock();
    throw;
  }
  g_mu.unlock();
}

// The unlock inside the loop runs again on the second iteration, when the
// mutex is no longer held. The mutex is held on the path of the first
// iteration, and the rule only reports an unlock where it is held on no
// path at all.
void FN_unlock_in_loop(const std::vector<std::string> &lines) {
  g_mu.lock();
  for (const auto &l : lines) {
    g_pending.push_back(l);
    g_mu.unlock();
  }
}

// ----------------------------------------------------- class members --

class Logger {
public:
  void set_level_bad(int level) {
    mu_.lock();
    level_ = level;
    mu_.unlock(); // expect-note: "already unlocked here"
    notify_listeners(level);
    mu_.unlock(); // expect: threadlint-unlock-without-lock "'Logger::mu_' is unlocked here but is not held on any path to this point (it was already unlocked at line 178)"
  }

  void set_level_ok(int level) {
    mu_.lock();
    level_ = level;
    mu_.unlock();
    notify_listeners(level);
  }

  // Unlocked around the slow write, locked again before the next check.
  void drain_ok() {
    mu_.lock();
    while (!lines_.empty()) {
      std::string l = std::move(lines_.back());
      lines_.pop_back();
      mu_.unlock();
      write_line(l);
      mu_.lock();
    }
    mu_.unlock();
  }

  // The error branch unlocks and falls through (a missing return): the
  // last unlock is reached with mu_ held on one path and released on the
  // other. Held on some path, so not reported.
  void FN_reopen_missing_return(const std::string &path) {
    mu_.lock();
    if (path.empty()) {
      mu_.unlock();
      write_line("empty path");
    }
    path_ = path;
    mu_.unlock();
  }

private:
  std::mutex mu_;
  int level_ = 0;
  std::vector<std::string> lines_;
  std::string path_;
};

// ------------------------------------- shared_mutex, unlock_shared() --

class Catalog {
public:
  std::string name_bad(int id) const {
    mu_.lock_shared();
    auto it = names_.find(id);
    std::string n = it == names_.end() ? std::string() : it->second;
    mu_.unlock_shared(); // expect-note: "already unlocked here"
    if (n.empty()) {
      mu_.unlock_shared(); // expect: threadlint-unlock-without-lock "'Catalog::mu_' is unlocked here but is not held on any path to this point (it was already unlocked at line 231)"
      return "?";
    }
    return n;
  }

  std::string name_ok(int id) const {
    mu_.lock_shared();
    auto it = names_.find(id);
    if (it == names_.end()) {
      mu_.unlock_shared();
      return "?";
    }
    std::string n = it->second;
    mu_.unlock_shared();
    return n;
  }

  void rename_ok(int id, const std::string &name) {
    mu_.lock();
    names_[id] = name;
    mu_.unlock();
  }

private:
  mutable std::shared_mutex mu_;
  std::map<int, std::string> names_;
};

// ------------------------------------------------- a mutex parameter --

int store_bad(std::mutex &m, std::map<int, int> &table, int k, int v) {
  m.lock();
  switch (k % 3) {
  case 0:
    table[k] = v;
    m.unlock();
    break;
  default:
    m.unlock();
    return -1;
  }
  m.unlock(); // expect: threadlint-unlock-without-lock "'m' is unlocked here but is not held on any path to this point (it was already unlocked at line 272)"
  return 0;
}

int store_ok(std::mutex &m, std::map<int, int> &table, int k, int v) {
  m.lock();
  switch (k % 3) {
  case 0:
    table[k] = v;
    break;
  default:
    m.unlock();
    return -1;
  }
  m.unlock();
  return 0;
}

// ------------------------------------------ two instances of a class --

struct Wallet {
  std::mutex mu;
  long cents = 0;
};

void transfer_ok(Wallet &from, Wallet &to, long cents) {
  std::lock(from.mu, to.mu);
  from.cents -= cents;
  to.cents += cents;
  from.mu.unlock();
  to.mu.unlock();
}

// The caller passes the wallets in a fixed order.
long audit_pair_ok(Wallet &first, Wallet &second) {
  first.mu.lock();
  second.mu.lock();
  long total = first.cents + second.cents;
  second.mu.unlock();
  first.mu.unlock();
  return total;
}

// Hand-over-hand along a list: lock the next node, then release the
// current one.
struct Node {
  std::mutex mu;
  int value = 0;
  Node *next = nullptr;
};

int sum_list_ok(Node *head) {
  if (!head)
    return 0;
  head->mu.lock();
  Node *cur = head;
  int sum = 0;
  for (;;) {
    sum += cur->value;
    Node *next = cur->next;
    if (!next)
      break;
    next->mu.lock();
    cur->mu.unlock();
    cur = next;
  }
  cur->mu.unlock();
  return sum;
}

// ------------------------------------------------------------ threads --

void run_loggers() {
  Logger log;
  Catalog cat;
  Wallet a, b;
  std::thread t1([&] {
    log.set_level_ok(1);
    log.drain_ok();
    flush_ok();
    transfer_ok(a, b, 10);
  });
  std::thread t2([&] {
    log.set_level_bad(2);
    cat.rename_ok(1, "x");
    enqueue_ok("line");
    audit_pair_ok(a, b);
  });
  t1.join();
  t2.join();
}
