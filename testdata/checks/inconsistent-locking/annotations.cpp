// Clang thread-safety annotations: a GUARDED_BY field read without its
// mutex (the annotation is believed even where most accesses do not hold
// the lock), and a PT_GUARDED_BY pointer. Negative cases: helpers marked
// REQUIRES called with the lock held, a field guarded by annotation and
// accessed only under it, and a capability type with its own lock()
// and unlock().
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#define CAPABILITY(x) __attribute__((capability(x)))
#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define PT_GUARDED_BY(x) __attribute__((pt_guarded_by(x)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))

// ------------------------------------------ a GUARDED_BY field, unlocked --

class RateLimiter {
public:
  bool allow() {
    std::lock_guard<std::mutex> lock(mu_);
    if (tokens_ == 0)
      return false;
    --tokens_; // expect-note: "'RateLimiter::tokens_' updated here while holding 'RateLimiter::mu_'"
    return true;
  }
  void refill(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    tokens_ = n;
  }
  // "Only a hint": still a data race with allow() and refill().
  int tokens_hint() const { return tokens_; } // expect: threadlint-inconsistent-locking "'RateLimiter::tokens_' is read without holding 'RateLimiter::mu_', which guards it (GUARDED_BY)"

private:
  mutable std::mutex mu_;
  int tokens_ GUARDED_BY(mu_) = 10;
};

void limiter_bad() {
  RateLimiter rl;
  std::thread a([&rl] { rl.allow(); });
  std::thread b([&rl] { rl.refill(5); });
  int hint = rl.tokens_hint();
  a.join();
  b.join();
  (void)hint;
}

// An annotated field written without the lock: the annotation counts even
// though most accesses here do not take it.
std::mutex g_route_mu;
std::string g_default_route GUARDED_BY(g_route_mu);

std::string route_for(const std::string &host) {
  if (host.empty())
    return g_default_route; // expect: threadlint-inconsistent-locking "'g_default_route' is read without holding 'g_route_mu', which guards it (GUARDED_BY); thread 'b' and thread 'a' may run at the same time: this access races with the guarded write on line 65; hold 'g_route_mu' here"
  return host + "/" + g_default_route;
}

void set_default_route(const std::string &r) {
  std::lock_guard<std::mutex> lock(g_route_mu); // expect-note: "'g_route_mu' acquired here"
  g_default_route = r; // expect-note: "'g_default_route' written here while holding 'g_route_mu'"
}

void routes_bad() {
  std::thread a([] { set_default_route("/v2"); }); // expect-note: "the thread is started here"
  std::thread b([] { route_for("example.org"); });
  a.join();
  b.join();
}

// ------------------------------------------------------- PT_GUARDED_BY --

class Buffer {
public:
  void write(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    data_->push_back(v);
  }
  // PT_GUARDED_BY guards what data_ points to; the model records the
  // accesses to the pointer, not through it.
  std::size_t FN_size_unlocked() const { return data_->size(); }

private:
  mutable std::mutex mu_;
  std::vector<int> *data_ PT_GUARDED_BY(mu_) = new std::vector<int>;
};

std::size_t buffer_bad() {
  Buffer buf;
  std::thread a([&buf] { buf.write(1); });
  std::thread b([&buf] { buf.write(2); });
  std::size_t n = buf.FN_size_unlocked();
  a.join();
  b.join();
  return n;
}

// ------------------------------------------ REQUIRES helpers, lock held --

class Ledger {
public:
  void post(long amount) {
    std::lock_guard<std::mutex> lock(mu_);
    apply_ok(amount);
    check_invariants_ok();
  }
  long total_ok() const {
    std::lock_guard<std::mutex> lock(mu_);
    return total_;
  }

private:
  void apply_ok(long amount) REQUIRES(mu_) {
    total_ = total_ + amount;
    entries_++;
  }
  void check_invariants_ok() const REQUIRES(mu_) {
    if (entries_ == 0 && total_ != 0)
      __builtin_trap();
  }

  mutable std::mutex mu_;
  long total_ GUARDED_BY(mu_) = 0;
  long entries_ GUARDED_BY(mu_) = 0;
};

long ledger_ok() {
  Ledger l;
  std::thread a([&l] { l.post(10); });
  std::thread b([&l] { l.post(-3); });
  long seen = l.total_ok();
  a.join();
  b.join();
  return seen;
}

// ----------------------------------------- a capability type of one's own --

class CAPABILITY("mutex") SpinMutex {
public:
  void lock() ACQUIRE();
  void unlock() RELEASE();
};

SpinMutex g_ring_mu;
int g_ring_head GUARDED_BY(g_ring_mu) = 0;

void ring_push_ok() {
  g_ring_mu.lock();
  g_ring_head = (g_ring_head + 1) % 64;
  g_ring_mu.unlock();
}

int ring_head_ok() {
  g_ring_mu.lock();
  int h = g_ring_head;
  g_ring_mu.unlock();
  return h;
}

void ring_ok() {
  std::thread a(ring_push_ok);
  std::thread b(ring_push_ok);
  int h = ring_head_ok();
  a.join();
  b.join();
  (void)h;
}
