// CONFIG: {CheckOptions: {LockTypes: "vendor::FastLock"}}
// LockTypes makes a vendor lock (Acquire()/Release(), no annotations) a
// lock, and its RAII holder a guard: the guard of a field is inferred from
// the holder like from std::lock_guard, and an access that skips it is
// reported. Without the option the holder is not a guard, nothing is
// inferred, and nothing is reported.
#include <string>
#include <thread>

namespace vendor {
class FastLock {
public:
  void Acquire();
  void Release();
};

class FastLockHolder {
public:
  explicit FastLockHolder(FastLock &l) : l_(l) { l_.Acquire(); }
  ~FastLockHolder() { l_.Release(); }
  FastLockHolder(const FastLockHolder &) = delete;

private:
  FastLock &l_;
};
} // namespace vendor

// ------------------------------------------------ a DNS resolver cache --

class Resolver {
public:
  void set_upstream_ok(const std::string &addr) {
    vendor::FastLockHolder hold(lock_); // expect-note: "'Resolver::lock_' acquired here"
    upstream_ = addr; // expect-note: "'Resolver::upstream_' written here while holding 'Resolver::lock_'"
  }
  std::string upstream_ok() {
    vendor::FastLockHolder hold(lock_);
    return upstream_;
  }
  // Logs without taking the lock.
  std::size_t upstream_length() { return upstream_.size(); } // expect: threadlint-inconsistent-locking "'Resolver::upstream_' is read without holding 'Resolver::lock_', which both of its other accesses hold; the thread that started 'a' and thread 'a' may run at the same time: this access races with the guarded write on line 34; hold 'Resolver::lock_' here"

private:
  vendor::FastLock lock_;
  std::string upstream_;
};

void resolve_bad(Resolver &r) {
  std::thread a([&r] { r.set_upstream_ok("10.0.0.53"); });
  std::size_t n = r.upstream_length();
  a.join();
  (void)n;
}
