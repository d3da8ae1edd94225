// Check-then-act on std::atomic: a test of an atomic, then a separate store
// to it in the branch (if (!flag) flag = true; if (a.load() == 0)
// a.store(1)), on globals, fields and a class static. Flags get 'exchange'
// as the fix, other values 'compare_exchange_strong'. Negative cases: the
// same with exchange or compare_exchange, double-checked locking done right
// on an atomic pointer, test and store under one mutex, a test-and-test-
// and-set spinlock, a test of one atomic and a store to another, a store
// made only when the value differs (the same as storing unconditionally),
// and a store in a lambda that the branch only defines. Known miss (FN_): a
// test made in a helper function.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>

void start_engine();
void log_warning(const std::string &msg);
void handle(int request);

// -------------------------------------------------- run-once with a flag --

std::atomic<bool> g_engine_started{false};

void ensure_engine_bad() {
  if (!g_engine_started) { // expect-note: "'g_engine_started' tested here"
    g_engine_started = true; // expect: threadlint-split-atomic-update "check-then-act on atomic 'g_engine_started': it is tested on line 25 and stored here in a separate step; two threads can both pass the test and both run this branch; use 'exchange' (if (!g_engine_started.exchange(true)) ...) to test and store in one step"
    start_engine();
  }
}

void ensure_engine_load_bad() {
  if (!g_engine_started.load(std::memory_order_acquire)) { // expect-note: "'g_engine_started' tested here"
    g_engine_started.store(true, std::memory_order_release); // expect: threadlint-split-atomic-update "use 'exchange'"
    start_engine();
  }
}

// exchange returns the old value: only one thread sees false.
void ensure_engine_ok() {
  if (!g_engine_started.exchange(true, std::memory_order_acq_rel))
    start_engine();
}

void ensure_engine_cas_ok() {
  bool expected = false;
  if (g_engine_started.compare_exchange_strong(expected, true))
    start_engine();
}

// ------------------------------------------------------ warn only once --

std::atomic<bool> g_warned_deprecated{false};

void use_deprecated_api_bad() {
  if (!g_warned_deprecated.load(std::memory_order_relaxed)) { // expect-note: "tested here"
    g_warned_deprecated.store(true, std::memory_order_relaxed); // expect: threadlint-split-atomic-update "check-then-act on atomic 'g_warned_deprecated'"
    log_warning("old_api() is deprecated");
  }
}

void use_deprecated_api_ok() {
  if (!g_warned_deprecated.exchange(true, std::memory_order_relaxed))
    log_warning("old_api() is deprecated");
}

// ------------------------------------------------------ a state machine --

enum State { kIdle, kRunning, kStopping };
std::atomic<int> g_state{kIdle};

bool begin_run_bad() {
  if (g_state.load() == kIdle) { // expect-note: "'g_state' tested here"
    g_state.store(kRunning); // expect: threadlint-split-atomic-update "check-then-act on atomic 'g_state': it is tested on line 72 and stored here in a separate step; two threads can both pass the test and both run this branch; use 'compare_exchange_strong' to test and store in one step"
    return true;
  }
  return false;
}

bool begin_run_ok() {
  int expected = kIdle;
  return g_state.compare_exchange_strong(expected, kRunning);
}

// A test of one atomic and a store to another.
std::atomic<bool> g_stop_requested{false};
void request_stop_ok() {
  if (g_state.load() == kRunning)
    g_stop_requested.store(true);
}

// Stores only when the value changes (to avoid dirtying the cache line):
// two threads that both pass the test store what they would have stored
// anyway.
std::atomic<int> g_log_level{0};
void set_log_level_ok(int level) {
  if (g_log_level.load(std::memory_order_relaxed) != level)
    g_log_level.store(level, std::memory_order_relaxed);
}

// --------------------------------------------- a lazily built singleton --

struct Config {
  std::string path;
};
Config *load_config();

std::atomic<Config *> g_config{nullptr};
std::mutex g_config_mu;

Config *config_bad() {
  if (!g_config.load(std::memory_order_acquire)) // expect-note: "'g_config' tested here"
    g_config.store(load_config(), std::memory_order_release); // expect: threadlint-split-atomic-update "use 'compare_exchange_strong'"
  return g_config.load(std::memory_order_acquire);
}

// Double-checked locking done right: the inner test and the store are
// under the mutex, the pointer is atomic with acquire/release.
Config *config_ok() {
  Config *c = g_config.load(std::memory_order_acquire);
  if (!c) {
    std::lock_guard<std::mutex> lock(g_config_mu);
    c = g_config.load(std::memory_order_relaxed);
    if (!c) {
      c = load_config();
      g_config.store(c, std::memory_order_release);
    }
  }
  return c;
}

Config *config_dcl_ok() {
  if (!g_config.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(g_config_mu);
    if (!g_config.load(std::memory_order_relaxed))
      g_config.store(load_config(), std::memory_order_release);
  }
  return g_config.load(std::memory_order_acquire);
}

// ------------------------------------------------------- class members --

class Job {
public:
  void cancel_bad() {
    if (state_.load() == kRunning) // expect-note: "'Job::state_' tested here"
      state_.store(kStopping); // expect: threadlint-split-atomic-update "check-then-act on atomic 'Job::state_'"
  }

  void cancel_ok() {
    int expected = kRunning;
    state_.compare_exchange_strong(expected, kStopping);
  }

  // Test and store under the same mutex.
  void finish_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    if (state_.load() == kStopping)
      state_.store(kIdle);
  }

  void register_bad() {
    if (!s_registered) // expect-note: "'Job::s_registered' tested here"
      s_registered = true; // expect: threadlint-split-atomic-update "'exchange'"
  }

  int state_ok() const { return state_.load(); }

private:
  std::mutex mu_;
  std::atomic<int> state_{kIdle};
  static std::atomic<bool> s_registered;
};
std::atomic<bool> Job::s_registered{false};

// ----------------------------------------------------------- a spinlock --

// Test-and-test-and-set: the test only avoids a write; the acquisition is
// the exchange.
class SpinLock {
public:
  void lock_ok() {
    for (;;) {
      if (!locked_.load(std::memory_order_relaxed) &&
          !locked_.exchange(true, std::memory_order_acquire))
        return;
      std::this_thread::yield();
    }
  }
  void unlock_ok() { locked_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> locked_{false};
};

SpinLock g_spin;
int g_guarded = 0;

void bump_guarded_ok() {
  g_spin.lock_ok();
  ++g_guarded;
  g_spin.unlock_ok();
}

// The store is in a callback the branch only defines.
std::atomic<bool> g_flushed{false};
void on_flush_ok() {
  if (!g_flushed.load()) {
    auto mark = [] { g_flushed.store(true); };
    std::thread t(mark);
    t.join();
  }
}

// -------------------------------------------------------- a known miss --

bool is_idle() { return g_state.load() == kIdle; }

// The test is in a helper: the condition is not looked through calls.
void FN_begin_if_idle() {
  if (is_idle())
    g_state.store(kRunning);
}

// --------------------------------------------------------------- threads --

void worker(Job *job) {
  ensure_engine_bad();
  ensure_engine_load_bad();
  ensure_engine_ok();
  ensure_engine_cas_ok();
  use_deprecated_api_bad();
  use_deprecated_api_ok();
  if (begin_run_bad() || begin_run_ok())
    handle(1);
  request_stop_ok();
  set_log_level_ok(2);
  handle(config_bad()->path.size() + config_ok()->path.size() +
         config_dcl_ok()->path.size());
  job->cancel_bad();
  job->cancel_ok();
  job->finish_ok();
  job->register_bad();
  bump_guarded_ok();
  on_flush_ok();
  FN_begin_if_idle();
}

int main() {
  Job job;
  std::thread a(worker, &job), b(worker, &job);
  a.join();
  b.join();
  return job.state_ok();
}
