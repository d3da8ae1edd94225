// CONFIG: {CheckOptions: {LockTypes: 'vendor::RawLock'}}
// Lock types beyond the standard ones: a class marked as a capability
// (Clang thread-safety attributes) whose Acquire()/Release() carry
// acquire_capability/release_capability, and a third-party type listed in
// LockTypes whose methods are annotated the same way. Negative cases: the
// same functions releasing on every path, a RAII holder of the listed type,
// and a class with Acquire()/Release() that is neither annotated nor listed
// (not a lock).
#include <string>
#include <vector>

#define CAPABILITY(x) __attribute__((capability(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))

class CAPABILITY("mutex") Mutex {
public:
  void Acquire() ACQUIRE();
  void Release() RELEASE();
};

namespace vendor {
// Third-party: no capability attribute on the class, listed in LockTypes.
class RawLock {
public:
  void Acquire() ACQUIRE();
  void Release() RELEASE();
};

class RawLockHolder {
public:
  explicit RawLockHolder(RawLock &l) : l_(l) { l_.Acquire(); }
  ~RawLockHolder() { l_.Release(); }

private:
  RawLock &l_;
};
} // namespace vendor

// Not a lock: a counter of outstanding requests.
class Budget {
public:
  void Acquire();
  void Release();
};

Mutex g_mu;
vendor::RawLock g_raw;
Budget g_budget;
std::vector<std::string> g_log;

int log_bad(const std::string &line) {
  g_mu.Acquire(); // expect-note: "is locked here"
  if (line.empty())
    return -1; // expect: threadlint-lock-leak "'g_mu' (locked at line 53) is still held when the function returns here; the other paths unlock it (line 57), and every later lock of it waits forever; use std::lock_guard or std::unique_lock so that every path releases it"
  g_log.push_back(line);
  g_mu.Release();
  return 0;
}

int log_ok(const std::string &line) {
  g_mu.Acquire();
  if (line.empty()) {
    g_mu.Release();
    return -1;
  }
  g_log.push_back(line);
  g_mu.Release();
  return 0;
}

int raw_log_bad(const std::string &line) {
  g_raw.Acquire(); // expect-note: "is locked here"
  if (line.size() > 80)
    return -1; // expect: threadlint-lock-leak "'g_raw' (locked at line 73) is still held when the function returns here; the other paths unlock it (line 77), and every later lock of it waits forever"
  g_log.push_back(line);
  g_raw.Release();
  return 0;
}

int raw_log_holder_ok(const std::string &line) {
  vendor::RawLockHolder hold(g_raw);
  if (line.size() > 80)
    return -1;
  g_log.push_back(line);
  return 0;
}

int spend_ok(int n) {
  g_budget.Acquire();
  if (n < 0)
    return -1;
  g_log.push_back(std::to_string(n));
  g_budget.Release();
  return 0;
}
