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
    fsync(fileno(stderr));                                                     \
  } while (0)
// A logging macro that only formats into a buffer.
#define LOG_BUFFER(buf, ...) snprintf((buf), sizeof(buf), __VA_ARGS__)
// Flushes both standard streams: two blocking calls in one expansion.
#define FLUSH_ALL()                                                            \
  do {                                                                         \
    fsync(fileno(stdout));                                                     \
    fsync(fileno(stderr));                                                     \
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
    fsync(fileno(stdout)); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'Registry::mu_'"
  }

  // Lock written out, blocking call from a macro.
  void remove_bad(size_t i) {
    std::lock_guard<std::mutex> lock(mu_);
    names_.erase(names_.begin() + static_cast<long>(i));
    LOG_FLUSH("removed %zu\n", i); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'Registry::mu_'"
  }

  // Two blocking calls inside one expansion: one warning for the line.
  void clear_bad() {
    LOCK_SCOPE(mu_);
    names_.clear();
    FLUSH_ALL(); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'Registry::mu_'"
  }

  // The same macro expanded on two lines: one warning on each line.
  void rename_bad(size_t i, const std::string &to) {
    LOCK_SCOPE(mu_);
    LOG_FLUSH("renaming %zu\n", i); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O"
    names_[i] = to;
    LOG_FLUSH("renamed to %s\n", to.c_str()); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O"
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
DEFINE_LOCKED_COUNTER(errors, fsync(fileno(stderr))) // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'errors_mu'"
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

// A macro that unlocks and returns on error: the I/O after it is outside.
#define UNLOCK_AND_RETURN_IF(cond, m)                                          \
  do {                                                                         \
    if (cond) {                                                                \
      (m).unlock();                                                            \
      return;                                                                  \
    }                                                                          \
  } while (0)

std::mutex g_cfg_mu;
int g_cfg_version;

void cfg_update_ok(int v) {
  g_cfg_mu.lock();
  UNLOCK_AND_RETURN_IF(v <= g_cfg_version, g_cfg_mu);
  g_cfg_version = v;
  g_cfg_mu.unlock();
  LOG_FLUSH("config v%d\n", v);
}

// A macro that takes a lock inside a lambda that is only stored.
#define DEFER_LOCKED(m, body) [&] { LOCK_SCOPE(m); body; }

void cfg_deferred_ok() {
  auto later = DEFER_LOCKED(g_cfg_mu, ++g_cfg_version);
  BACKOFF();
  later();
}

// A lock macro in a function template instantiated twice: its non-blocking
// body stays silent.
template <typename T> T cfg_read_ok(const T &v) {
  LOCK_SCOPE(g_cfg_mu);
  return v + static_cast<T>(g_cfg_version);
}

void cfg_instantiate_ok() {
  cfg_read_ok(1);
  cfg_read_ok(2.0);
}

// A macro chosen by a condition at compile time: only the lock-free variant
// is compiled.
#define SYNC_POLICY 0
#if SYNC_POLICY
#define MAYBE_SYNC(fd) fsync(fd)
#else
#define MAYBE_SYNC(fd) ((void)(fd))
#endif

void cfg_persist_ok(int fd) {
  LOCK_SCOPE(g_cfg_mu);
  MAYBE_SYNC(fd);
}

// A macro that locks and blocks in a template, instantiated twice: one
// warning at the single expansion.
#define LOCKED_PAUSE(m)                                                        \
  do {                                                                         \
    std::lock_guard<std::mutex> pause_guard(m);                                \
    usleep(10);                                                                \
  } while (0)

template <typename T> void cfg_pause_bad(T) {
  LOCKED_PAUSE(g_cfg_mu); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'g_cfg_mu'"
}

void cfg_pause_instantiate() {
  cfg_pause_bad(1);
  cfg_pause_bad('c');
}

// Two guard macros in separate blocks; the sleep between them holds nothing.
void cfg_two_blocks_ok() {
  {
    LOCK_SCOPE(g_cfg_mu);
    ++g_cfg_version;
  }
  BACKOFF();
  {
    LOCK_SCOPE(g_cfg_mu);
    --g_cfg_version;
  }
}

// Guard macros that are fine: counters, format-only logging, a scoped
// macro inside a loop with the sleep outside the block.
#define COUNT_UNDER(m, var)                                                    \
  do {                                                                         \
    LOCK_SCOPE(m);                                                             \
    ++(var);                                                                   \
  } while (0)

long g_ticks;

void tick_ok() {
  COUNT_UNDER(g_cfg_mu, g_ticks);
  BACKOFF();
}

void tick_many_ok(int n) {
  for (int i = 0; i < n; ++i) {
    COUNT_UNDER(g_cfg_mu, g_ticks);
    BACKOFF();
  }
}

void describe_cfg_ok(char (&buf)[64]) {
  LOCK_SCOPE(g_cfg_mu);
  LOG_BUFFER(buf, "v%d ticks=%ld", g_cfg_version, g_ticks);
}
