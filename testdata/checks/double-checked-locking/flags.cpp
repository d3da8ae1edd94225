// Double-checked locking on flags and volatile state: a bool
// 'initialized_' guarding one-time set-up work, a counter-like state
// re-tested under a std::unique_lock, a volatile pointer and a volatile
// flag (volatile is not synchronisation). Negative cases: std::atomic<bool>
// with acquire/release, std::call_once, a single check under the lock, a
// re-test under the lock that only reads, an unlocked test that never
// re-tests under a lock, a test under a shared lock before the exclusive
// re-test, and a flag set up before the threads start.
#include <atomic>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

void load_tables();
void open_devices();
void register_codecs();

// ----------------------------------------------------- a bool 'initialized_' --

class Engine {
public:
  void start() {
    if (!initialized_) { // expect: threadlint-double-checked-locking "double-checked locking on 'Engine::initialized_': this first test reads it without holding 'Engine::mu_' while another thread may be writing it (line 29); nothing orders the initialisation before the write of 'Engine::initialized_', so a thread can see it set and use what is not initialised yet; use std::call_once with a std::once_flag member, or make it std::atomic<bool> loaded with memory_order_acquire and stored with memory_order_release"
      std::lock_guard<std::mutex> g(mu_); // expect-note: "'Engine::mu_' acquired here"
      if (!initialized_) { // expect-note: "'Engine::initialized_' tested again under 'Engine::mu_'"
        load_tables();
        initialized_ = true; // expect-note: "'Engine::initialized_' written here"
      }
    }
  }

  // The flag is tested with '&&' and the lock is a unique_lock.
  void open(bool lazy) {
    if (lazy && !devices_open_) { // expect: threadlint-double-checked-locking "double-checked locking on 'Engine::devices_open_'"
      std::unique_lock<std::mutex> lk(mu_);
      if (!devices_open_) {
        open_devices();
        devices_open_ = true;
      }
    }
  }

  // Fix: std::atomic<bool>, acquire on the fast path, release after the
  // work.
  void start_atomic_ok() {
    if (!ready_.load(std::memory_order_acquire)) {
      std::lock_guard<std::mutex> g(mu_);
      if (!ready_.load(std::memory_order_relaxed)) {
        load_tables();
        ready_.store(true, std::memory_order_release);
      }
    }
  }

  // Fix: std::call_once.
  void start_once_ok() { std::call_once(codecs_once_, register_codecs); }

  // Fix: one test, under the lock.
  void start_locked_ok() {
    std::lock_guard<std::mutex> g(mu_);
    if (!initialized_) {
      load_tables();
      initialized_ = true;
    }
  }

  // A re-test under the lock that only reads: nothing is initialised
  // under the lock, so this is not double-checked locking. (The unlocked
  // read races with open(); inconsistent-locking reports that.)
  bool devices_ready_ok() {
    if (devices_open_)
      return true;
    std::lock_guard<std::mutex> g(mu_);
    if (devices_open_)
      return true;
    return false;
  }

  // The one-time work is done by a callee that also sets the flag: the
  // write is not in the branch of the re-test, so it is not seen.
  void FN_start_via_helper() {
    if (!helper_done_) {
      std::lock_guard<std::mutex> g(mu_);
      if (!helper_done_)
        init_locked();
    }
  }

private:
  void init_locked() {
    load_tables();
    helper_done_ = true;
  }

  std::mutex mu_;
  std::once_flag codecs_once_;
  bool initialized_ = false;
  bool devices_open_ = false;
  bool helper_done_ = false;
  std::atomic<bool> ready_{false};
};

// ---------------------------------------------------- volatile state --

struct Config {
  std::map<std::string, std::string> values;
};
Config *load_config();

static Config *volatile g_config = nullptr;
static std::mutex g_config_mu;

Config *config() {
  if (!g_config) { // expect: threadlint-double-checked-locking "double-checked locking on 'g_config': this first test reads it without holding 'g_config_mu' while another thread may be writing it (line 119); nothing orders the initialisation before the write of 'g_config', so a thread can see it set and use what is not initialised yet; use a function-local static (initialised once, thread-safely) or std::call_once; or make it std::atomic<Config *> loaded with memory_order_acquire"
    std::lock_guard<std::mutex> g(g_config_mu);
    if (!g_config)
      g_config = load_config(); // expect-note: "'g_config' written here"
  }
  return g_config;
}

static volatile bool g_logging_ready = false;

void init_logging() {
  if (g_logging_ready) // expect: threadlint-double-checked-locking "double-checked locking on 'g_logging_ready'"
    return;
  std::lock_guard<std::mutex> g(g_config_mu);
  if (!g_logging_ready) {
    open_devices();
    g_logging_ready = true;
  }
}

// --------------------------------------------------------- negatives --

// An unlocked test that is never repeated under a lock: this rule's pattern
// needs the second test. Set up by main before any thread starts.
static bool g_verbose = false;
static int g_log_level = 0;

void parse_flags_ok(int argc) {
  if (argc > 1 && !g_verbose)
    g_verbose = true;
  if (g_verbose)
    g_log_level = 2;
}

// A read under the shared lock, the re-test and the write under the
// exclusive lock of the same shared_mutex.
class Symbols {
public:
  int id_of_ok(const std::string &name) {
    {
      std::shared_lock<std::shared_mutex> r(mu_);
      auto it = ids_.find(name);
      if (it != ids_.end())
        return it->second;
    }
    std::unique_lock<std::shared_mutex> w(mu_);
    if (ids_.find(name) == ids_.end())
      ids_[name] = next_id_++;
    return ids_[name];
  }

private:
  std::shared_mutex mu_;
  std::map<std::string, int> ids_;
  int next_id_ = 0;
};

int main(int argc, char **) {
  parse_flags_ok(argc);
  Engine engine;
  Symbols symbols;
  auto work = [&] {
    engine.start();
    engine.open(true);
    engine.start_atomic_ok();
    engine.start_once_ok();
    engine.start_locked_ok();
    (void)engine.devices_ready_ok();
    engine.FN_start_via_helper();
    (void)config();
    init_logging();
    (void)symbols.id_of_ok("main");
  };
  std::thread a(work);
  std::thread b(work);
  a.join();
  b.join();
  return 0;
}
