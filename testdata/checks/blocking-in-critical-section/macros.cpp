// Locks and blocking calls that come from macro expansions: the warning is
// placed at the expansion (the line that uses the macro), once per expansion.
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include <unistd.h>

#define CONCAT_(a, b) a##b
#define CONCAT(a, b) CONCAT_(a, b)
// A scoped-lock macro, as found in many code bases.
#define LOCK_SCOPE(m) std::lock_guard<std::mutex> CONCAT(scope_guard_, __LINE__)(m)
// A logging macro that writes and flushes.
#define LOG_FLUSH(...)                                                         \
  do {                                                                         \
    fprintf(stderr, __VA_ARGS__);                                              \
    fflush(stderr);                                                            \
  } while (0)
// A logging macro that only formats into a buffer.
#define LOG_BUFFER(buf, ...) snprintf((buf), sizeof(buf), __VA_ARGS__)
// Flushes both standard streams: two blocking calls in one expansion.
#define FLUSH_ALL()                                                            \
  do {                                                                         \
    fflush(stdout);                                                            \
    fflush(stderr);                                                            \
  } while (0)
// Lock, run, unlock in one statement.
#define WITH_LOCK(m, stmt)                                                     \
  do {                                                                         \
    (m).lock();                                                                \
    stmt;                                                                      \
    (m).unlock();                                                              \
  } while (0)
#define BACKOFF() usleep(100)

class Registry {
public:
  // Lock from a macro, blocking call written out.
  void add_bad(const std::string &name) {
    LOCK_SCOPE(mu_);
    names_.push_back(name);
    fflush(stdout); // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O while holding 'Registry::mu_'"
  }

  // Lock written out, blocking call from a macro.
  void remove_bad(size_t i) {
    std::lock_guard<std::mutex> lock(mu_);
    names_.erase(names_.begin() + static_cast<long>(i));
    LOG_FLUSH("removed %zu\n", i); // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O while holding 'Registry::mu_'"
  }

  // Two blocking calls inside one expansion: one warning for the line.
  void clear_bad() {
    LOCK_SCOPE(mu_);
    names_.clear();
    FLUSH_ALL(); // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O while holding 'Registry::mu_'"
  }

  // The same macro expanded on two lines: one warning on each line.
  void rename_bad(size_t i, const std::string &to) {
    LOCK_SCOPE(mu_);
    LOG_FLUSH("renaming %zu\n", i); // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O"
    names_[i] = to;
    LOG_FLUSH("renamed to %s\n", to.c_str()); // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O"
  }

  // Lock, blocking call and unlock all inside one macro expansion.
  void with_lock_bad() {
    WITH_LOCK(mu_, BACKOFF()); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'Registry::mu_'"
  }

  // ---- negatives ----

  // Macro scope ends before the logging.
  void add_ok(const std::string &name) {
    {
      LOCK_SCOPE(mu_);
      names_.push_back(name);
    }
    LOG_FLUSH("added %s\n", name.c_str());
  }

  // A macro that only formats under the lock.
  void describe_ok(char (&buf)[64]) {
    LOCK_SCOPE(mu_);
    LOG_BUFFER(buf, "%zu names", names_.size());
  }

  // The macro unlocks before the statement after it.
  void with_lock_ok() {
    WITH_LOCK(mu_, names_.clear());
    BACKOFF();
  }

  // Backoff macro used without any lock held.
  void backoff_ok() {
    for (int i = 0; i < 3; ++i)
      BACKOFF();
  }

  // A lock from a macro on only one branch.
  void maybe_locked_ok(bool exclusive) {
    if (exclusive) {
      LOCK_SCOPE(mu_);
      names_.clear();
    }
    FLUSH_ALL();
  }

private:
  std::mutex mu_;
  std::vector<std::string> names_;
};

// A macro defining whole functions: each expansion defines one function;
// the bad one is reported at its expansion line.
#define DEFINE_LOCKED_COUNTER(name, extra)                                     \
  std::mutex name##_mu;                                                        \
  long name##_value;                                                           \
  void name##_increment() {                                                    \
    std::lock_guard<std::mutex> lock(name##_mu);                               \
    ++name##_value;                                                            \
    extra;                                                                     \
  }

DEFINE_LOCKED_COUNTER(requests, (void)0)
DEFINE_LOCKED_COUNTER(errors, fflush(stderr)) // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O while holding 'errors_mu'"
DEFINE_LOCKED_COUNTER(bytes, bytes_value += 0)

// A debug-only block compiled out: nothing to report.
#ifdef REGISTRY_DEBUG_SLEEP
#define DEBUG_SLEEP() sleep(1)
#else
#define DEBUG_SLEEP() ((void)0)
#endif

std::mutex g_dbg_mu;

void debug_hook_ok() {
  std::lock_guard<std::mutex> lock(g_dbg_mu);
  DEBUG_SLEEP();
}
