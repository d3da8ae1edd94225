// Busy waits on std::atomic state: a consumer spins on a flag, a phase, a
// sequence number or an atomic_flag until another thread stores it, through
// the conversion operator, load(order), atomic_flag::test(order),
// std::atomic_load and small const getters. Negative cases: the same
// hand-offs done with atomic::wait, a condition variable, a semaphore or a
// latch, loops that sleep, worker loops that do work while they check a
// stop flag, CAS retry loops and test_and_set/exchange spinlocks (they
// write the state they spin on).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <latch>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

// ------------------------------------------------ a one-shot hand-off --

std::string g_payload;
std::atomic<bool> g_payload_ready{false};

void publish_payload(std::string s) {
  g_payload = std::move(s);
  g_payload_ready.store(true, std::memory_order_release); // expect-note: "'g_payload_ready' is changed here, in 'publish_payload'"
  g_payload_ready.notify_all();
}

std::string take_payload_bad() {
  while (!g_payload_ready.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "busy wait: this loop spins until 'g_payload_ready' changes, and its body neither blocks, sleeps nor waits"
  }
  return g_payload;
}

// The implicit conversion is a seq_cst load: still a spin.
std::string take_payload_implicit_bad() {
  while (!g_payload_ready) // expect: threadlint-busy-wait "spins until 'g_payload_ready' changes"
    ;
  return g_payload;
}

std::string take_payload_free_function_bad() {
  while (!std::atomic_load_explicit(&g_payload_ready, std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until 'g_payload_ready' changes"
  }
  return g_payload;
}

// C++20: sleeps in the kernel until publish_payload() notifies.
std::string take_payload_ok() {
  g_payload_ready.wait(false, std::memory_order_acquire);
  return g_payload;
}

// wait() may return spuriously: re-check in a loop, which blocks.
std::string take_payload_loop_ok() {
  while (!g_payload_ready.load(std::memory_order_acquire))
    g_payload_ready.wait(false, std::memory_order_acquire);
  return g_payload;
}

std::string take_payload_sleeping_ok() {
  while (!g_payload_ready.load(std::memory_order_acquire))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return g_payload;
}

// ----------------------------------------------------- a phase machine --

enum class Phase { Init, Loading, Running, Stopped };
std::atomic<Phase> g_phase{Phase::Init};

void enter_phase(Phase p) {
  g_phase.store(p, std::memory_order_release); // expect-note: "'g_phase' is changed here, in 'enter_phase'"
}

void await_running_bad() {
  do { // expect: threadlint-busy-wait "spins until 'g_phase' changes"
  } while (g_phase.load(std::memory_order_acquire) != Phase::Running);
}

void await_stopped_bad() {
  while (g_phase != Phase::Stopped) { // expect: threadlint-busy-wait "spins until 'g_phase' changes"
  }
}

void await_running_ok() {
  Phase p = g_phase.load(std::memory_order_acquire);
  while (p != Phase::Running) {
    g_phase.wait(p, std::memory_order_acquire);
    p = g_phase.load(std::memory_order_acquire);
  }
}

// -------------------------------------------------- a start barrier --

std::atomic_flag g_start_gate;

void open_gate() {
  g_start_gate.test_and_set(std::memory_order_release); // expect-note: "'g_start_gate' is changed here, in 'open_gate'"
  g_start_gate.notify_all();
}

void wait_at_gate_bad() {
  while (!g_start_gate.test(std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until 'g_start_gate' changes"
  }
}

void wait_at_gate_ok() {
  g_start_gate.wait(false, std::memory_order_acquire);
}

void start_workers_ok(int n) {
  std::latch ready(n);
  std::vector<std::jthread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&ready] { ready.count_down(); });
  ready.wait();
}

// ------------------------------------------------- a channel with getters --

class Channel {
public:
  void send(int v) {
    value_ = v;
    full_.store(true, std::memory_order_release); // expect-note: "'Channel::full_' is changed here, in 'Channel::send'"
    cv_.notify_one();
  }

  bool full() const { return full_.load(std::memory_order_acquire); }
  bool closed() const { return closed_; }
  void close() { closed_.store(true); }

  int receive_bad() const {
    while (!full()) { // expect: threadlint-busy-wait "spins until 'Channel::full_' changes"
    }
    return value_;
  }

  // Either flag ends the wait: both are polled.
  bool try_receive_bad(int &out) const {
    for (;;) { // expect: threadlint-busy-wait "spins until 'Channel::full_' or 'Channel::closed_' changes"
      if (full())
        break;
      if (closed())
        return false;
    }
    out = value_;
    return true;
  }

// `return -1` is not taken for a way out of the loop (only `return;`, `return
// <literal>;`, break and goto are), so the loop is not analysed at all.
  int receive_or_close_bad() const {
    for (;;) { // expect: threadlint-busy-wait "spins until"
      if (full())
        break;
      if (closed())
        return -1;
    }
    return value_;
  }

  int receive_ok() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return full(); });
    return value_;
  }

  int receive_with_timeout_ok() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return full(); }))
      return -1;
    return value_;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> full_{false};
  std::atomic<bool> closed_{false};
  int value_ = 0;
};

// ------------------------------------------- a template's atomic member --

template <class T> class Slot {
public:
  void put(T v) {
    value_ = std::move(v);
    ready_.store(true, std::memory_order_release); // expect-note: "'Slot::ready_' is changed here, in 'Slot::put'"
  }
  // One finding for the template, not one per instantiation.
  T get_bad() {
    while (!ready_.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until 'Slot::ready_' changes"
    }
    return value_;
  }
  T get_ok() {
    ready_.wait(false, std::memory_order_acquire);
    return value_;
  }

private:
  std::atomic<bool> ready_{false};
  T value_{};
};

int use_slots_ok() {
  Slot<int> a;
  Slot<std::string> b;
  a.put(1);
  b.put("x");
  return a.get_bad() + a.get_ok() + static_cast<int>(b.get_bad().size() + b.get_ok().size());
}

// ---------------------------------------------- a static member stop flag --

struct Poller {
  static std::atomic<bool> s_stop;
  static void request_stop() { s_stop.store(true, std::memory_order_relaxed); }

  void idle_until_stop_bad() {
    while (!s_stop.load(std::memory_order_relaxed)) { // expect: threadlint-busy-wait "spins until 'Poller::s_stop' changes"
    }
  }

  // A worker loop: the body does the work, the flag only ends it.
  void run_ok() {
    while (!s_stop.load(std::memory_order_relaxed))
      poll_once();
  }

  void poll_once();
};
std::atomic<bool> Poller::s_stop{false};

// ------------------------------------------------ a counting hand-off --

std::atomic<bool> g_flushing{false};
std::atomic<int> g_pending{0};
std::counting_semaphore<64> g_items{0};
std::mutex g_done_mu;
std::condition_variable g_done_cv;

void begin_flush() { g_flushing.store(true, std::memory_order_release); } // expect-note: "'g_flushing' is changed here, in 'begin_flush'"
void end_flush() {
  g_flushing.store(false, std::memory_order_release);
  g_flushing.notify_all();
}

void finish_one() {
  g_pending.fetch_sub(1, std::memory_order_acq_rel);
  g_done_cv.notify_all();
}

// The body counts the spins, but the exit does not depend on the count.
int wait_for_flush_bad() {
  int spins = 0;
  while (g_flushing.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until 'g_flushing' changes"
    ++spins;
  }
  return spins;
}

void wait_for_flush_ok() { g_flushing.wait(true, std::memory_order_acquire); }

// std::atomic<int>: libstdc++ implements load() in std::__atomic_base<int>.
int drain_spin_bad() {
  int spins = 0;
  while (g_pending.load(std::memory_order_acquire) > 0) { // expect: threadlint-busy-wait "spins until"
    ++spins;
  }
  return spins;
}

void drain_ok() {
  std::unique_lock<std::mutex> lock(g_done_mu);
  g_done_cv.wait(lock, [] { return g_pending.load() == 0; });
}

void consume_items_ok(int n) {
  while (n-- > 0)
    g_items.acquire();
}

void consume_until_idle_ok() {
  while (g_pending.load(std::memory_order_acquire) > 0) {
    g_items.acquire();
    finish_one();
  }
}

// ------------------------------------------- lock-free stack, counters --

struct Node {
  int value;
  Node *next;
};
std::atomic<Node *> g_top{nullptr};
std::atomic<int> g_refs{1};

// CAS retry loops write the state they test.
void push_ok(Node *n) {
  n->next = g_top.load(std::memory_order_relaxed);
  while (!g_top.compare_exchange_weak(n->next, n, std::memory_order_release,
                                      std::memory_order_relaxed)) {
  }
}

Node *pop_ok() {
  Node *n = g_top.load(std::memory_order_acquire);
  while (n && !g_top.compare_exchange_weak(n, n->next, std::memory_order_acquire)) {
  }
  return n;
}

// Waits for a producer to push, but sleeps between polls.
Node *pop_waiting_ok() {
  Node *n = pop_ok();
  while (!n) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    n = pop_ok();
  }
  return n;
}

Node *peek_when_nonempty_bad() {
  while (!g_top.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until 'g_top' changes"
  }
  return g_top.load(std::memory_order_acquire);
}

bool try_retain_ok() {
  int n = g_refs.load(std::memory_order_relaxed);
  do {
    if (n == 0)
      return false;
  } while (!g_refs.compare_exchange_weak(n, n + 1, std::memory_order_acq_rel));
  return true;
}

// ---------------------------------------------------------- spinlocks --

class FlagSpinLock {
public:
  // test_and_set writes: the loop is the lock, not a wait for someone.
  void lock_ok() {
    while (flag_.test_and_set(std::memory_order_acquire)) {
    }
  }
  void lock_waiting_ok() {
    while (flag_.test_and_set(std::memory_order_acquire))
      flag_.wait(true, std::memory_order_relaxed);
  }
  void unlock_ok() {
    flag_.clear(std::memory_order_release);
    flag_.notify_one();
  }

private:
  std::atomic_flag flag_;
};

class ExchangeSpinLock {
public:
  void lock_ok() {
    while (locked_.exchange(true, std::memory_order_acquire)) {
    }
  }
  bool try_lock_ok() {
    bool expected = false;
    return locked_.compare_exchange_strong(expected, true, std::memory_order_acquire);
  }
  void unlock_ok() { locked_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> locked_{false};
};

// ------------------------------------------------- shared with a thread --

void process(int item);

void run_with_helper_bad() {
  std::atomic<bool> helper_done{false};
  std::thread helper([&] {
    process(1);
    helper_done.store(true, std::memory_order_release); // expect-note: "'helper_done' is changed here"
  });
  while (!helper_done.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until 'helper_done' changes"
  }
  helper.join();
}

void run_with_helper_ok() {
  std::thread helper([] { process(1); });
  helper.join();
}

class Service {
public:
  void start() {
    thread_ = std::thread([this] {
      while (!running_.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until 'Service::running_' changes"
      }
      serve_ok();
    });
  }
  void go() { running_.store(true, std::memory_order_release); }
  void stop() { stopping_.store(true); }

  void serve_ok() {
    while (!stopping_.load(std::memory_order_relaxed)) {
      process(next_request_++);
    }
  }

  void start_ok() {
    thread_ = std::thread([this] {
      running_.wait(false, std::memory_order_acquire);
      serve_ok();
    });
  }

private:
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  int next_request_ = 0;
  std::thread thread_;
};

// ------------------------------------ harder shapes, and known misses --

std::atomic<bool> g_config_loaded{false};
std::atomic<std::uint64_t> g_epoch{0};
std::atomic<bool> g_worker_ready[8];

void load_config() { g_config_loaded.store(true); }
void advance_epoch() { g_epoch.fetch_add(1, std::memory_order_release); }
void mark_worker_ready(int id) { g_worker_ready[id].store(true, std::memory_order_release); }

// load() with the default memory order.
void wait_config_default_order_bad() {
  while (!g_config_loaded.load()) { // expect: threadlint-busy-wait "spins until"
  }
}

// An atomic reached through a pointer (p->load(), *p).
void wait_through_pointer_bad(const std::atomic<bool> *flag) {
  while (!flag->load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until"
  }
}

// The state is compared with a parameter the loop does not change.
void await_phase_bad(Phase want) {
  while (g_phase.load(std::memory_order_acquire) != want) { // expect: threadlint-busy-wait "spins until"
  }
}

// The same for an index into an array of atomics.
void wait_for_worker_bad(int id) {
  while (!g_worker_ready[id].load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until"
  }
}

// A getter called on a reference parameter.
int receive_from_bad(const Channel &ch) {
  while (!ch.full()) { // expect: threadlint-busy-wait "spins until"
  }
  return 0;
}

void wait_config_ok() {
  g_config_loaded.wait(false);
}

void wait_for_epoch_ok(std::uint64_t target) {
  std::uint64_t seen = g_epoch.load(std::memory_order_acquire);
  while (seen < target) {
    g_epoch.wait(seen, std::memory_order_acquire);
    seen = g_epoch.load(std::memory_order_acquire);
  }
}
