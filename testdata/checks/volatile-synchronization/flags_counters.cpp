// volatile variables used between threads in C++: a stop flag set by main
// and polled by a worker, a "ready" flag that publishes data, counters
// incremented by several threads (named threads, a pool built with
// emplace_back), a borrowed local, and volatile fields of classes whose
// member function runs in a thread (a separate request_stop(), and a stop()
// that sets the flag and joins). One finding per variable,
// at the first racing write. Negative cases: std::atomic flags and
// counters; a volatile accessed by one thread only (a benchmark sink, a
// spin-delay counter, a volatile local); a volatile under a mutex held by
// both threads; a volatile written only before the thread starts or after
// it is joined; a volatile sig_atomic_t set by a signal handler.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

void handle(int request);
int next_request();

// ------------------------------------------------------ a stop flag --

volatile bool g_stop = false;

void serve_loop() {
  while (!g_stop) // expect-note: "thread 'serve_loop' reads 'g_stop' here"
    handle(next_request());
}

void run_server_bad() {
  std::thread t(serve_loop); // expect-note: "the thread is started here"
  std::this_thread::sleep_for(std::chrono::seconds(1));
  g_stop = true; // expect: threadlint-volatile-synchronization "volatile 'g_stop' is used to communicate between threads: the thread that started 'serve_loop' writes it here and thread 'serve_loop' reads it (line 28); volatile does not make accesses atomic or ordered: the accesses are a data race, and nothing orders the writes made before this one: the other thread can see the flag set before the data it announces; declare it 'std::atomic<bool>' instead of volatile"
  t.join();
}

std::atomic<bool> g_atomic_stop{false};

void serve_loop_ok() {
  while (!g_atomic_stop.load(std::memory_order_acquire))
    handle(next_request());
}

void run_server_ok() {
  std::thread t(serve_loop_ok);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  g_atomic_stop.store(true, std::memory_order_release);
  t.join();
}

// --------------------------------------------- a flag that publishes data --

int g_result;
volatile int g_result_ready = 0;

void compute_result() {
  g_result = 42;
  g_result_ready = 1; // expect: threadlint-volatile-synchronization "volatile 'g_result_ready' is used to communicate between threads: thread 'compute_result' writes it here and the thread that started 'compute_result' reads it"
}

int wait_for_result_bad() {
  std::thread t(compute_result);
  while (!g_result_ready) // expect-note: "reads 'g_result_ready' here"
    std::this_thread::yield();
  int r = g_result;
  t.join();
  return r;
}

// -------------------------------------------------------- a counter --

volatile long g_processed = 0;

void process_batch(int n) {
  for (int i = 0; i < n; ++i) {
    handle(i);
    g_processed++; // expect: threadlint-volatile-synchronization "volatile 'g_processed' is updated by more than one thread at once (thread 'process_batch'): volatile does not make accesses atomic or ordered; the update is not atomic, so concurrent updates are lost; declare it 'std::atomic<long>' instead of volatile"
  }
}

void run_batches_bad() {
  std::thread a(process_batch, 100); // expect-note: "the thread is started here"
  std::thread b(process_batch, 100);
  a.join();
  b.join();
}

// The same, with the threads in a pool built by emplace_back.
volatile long g_failed = 0;

void check_batch(int n) {
  for (int i = 0; i < n; ++i)
    if (next_request() < 0)
      g_failed = g_failed + 1; // expect: threadlint-volatile-synchronization "volatile 'g_failed' is updated by more than one thread at once"
}

void run_checks_bad() {
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back(check_batch, 100);
  for (std::thread &t : pool)
    t.join();
}

std::atomic<long> g_processed_ok{0};

void process_batch_ok(int n) {
  for (int i = 0; i < n; ++i) {
    handle(i);
    g_processed_ok.fetch_add(1, std::memory_order_relaxed);
  }
}

void run_batches_ok() {
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back(process_batch_ok, 100);
  for (std::thread &t : pool)
    t.join();
}

// ------------------------------------------- a volatile under a mutex --

std::mutex g_progress_mu;
volatile int g_progress = 0;

void advance_progress_ok() {
  std::lock_guard<std::mutex> lock(g_progress_mu);
  g_progress = g_progress + 1;
}

int read_progress_ok() {
  std::lock_guard<std::mutex> lock(g_progress_mu);
  return g_progress;
}

void run_progress_ok() {
  std::thread t([] {
    for (int i = 0; i < 10; ++i)
      advance_progress_ok();
  });
  handle(read_progress_ok());
  t.join();
}

// ---------------------------------------------- a borrowed local flag --

void scan_with_cancel_bad() {
  volatile bool cancelled = false;
  std::thread scanner([&cancelled] {
    for (int i = 0; i < 1000000 && !cancelled; ++i) // expect-note: "reads 'cancelled' here"
      handle(i);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  cancelled = true; // expect: threadlint-volatile-synchronization "volatile 'cancelled' is used to communicate between threads"
  scanner.join();
}

void scan_with_cancel_ok() {
  std::atomic<bool> cancelled{false};
  std::thread scanner([&cancelled] {
    for (int i = 0; i < 1000000 && !cancelled.load(std::memory_order_relaxed); ++i)
      handle(i);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  cancelled.store(true, std::memory_order_relaxed);
  scanner.join();
}

// ------------------------------------------- a member-function thread --

class Poller {
public:
  void start() { thread_ = std::thread(&Poller::run, this); }

  void request_stop_bad() {
    running_ = false; // expect: threadlint-volatile-synchronization "volatile 'Poller::running_' is used to communicate between threads: the thread that started 'Poller::run' writes it here and thread 'Poller::run' reads it"
  }

  void join() { thread_.join(); }

  void run() {
    while (running_) // expect-note: "thread 'Poller::run' reads 'Poller::running_' here"
      handle(next_request());
  }

private:
  volatile bool running_ = true;
  std::thread thread_;
};

void run_poller() {
  Poller p;
  p.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  p.request_stop_bad();
  p.join();
}

// The usual shape: stop() sets the flag, then joins.
class Heartbeat {
public:
  void start() { thread_ = std::thread(&Heartbeat::beat, this); }

  void stop_bad() {
    stopping_ = true; // expect: threadlint-volatile-synchronization "volatile 'Heartbeat::stopping_' is used to communicate between threads"
    thread_.join();
  }

  void beat() {
    while (!stopping_) {
      handle(0);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

private:
  volatile bool stopping_ = false;
  std::thread thread_;
};

void run_heartbeat() {
  Heartbeat h;
  h.start();
  handle(next_request());
  h.stop_bad();
}

class Ticker {
public:
  void start_ok() { thread_ = std::thread(&Ticker::run_ok, this); }
  void stop_ok() {
    running_.store(false);
    thread_.join();
  }
  void run_ok() {
    while (running_.load())
      handle(next_request());
  }

private:
  std::atomic<bool> running_{true};
  std::thread thread_;
};

void run_ticker_ok() {
  Ticker t;
  t.start_ok();
  t.stop_ok();
}

// ------------------------------------------- written before the start --

volatile int g_verbosity = 0;

void log_worker_ok() {
  if (g_verbosity > 1)
    handle(g_verbosity);
}

// Set while no other thread runs; the thread start orders it with the
// worker's reads, and the second write comes after the join.
void run_logged_ok(int level) {
  g_verbosity = level;
  std::thread t(log_worker_ok);
  t.join();
  g_verbosity = 0;
}

// -------------------------------------------------- one thread only --

// A benchmark sink: volatile keeps the compiler from dropping the loop;
// no other thread reads it.
volatile std::uint64_t g_sink;

void bench_hash_ok(int n) {
  std::uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < n; ++i) {
    h = (h ^ static_cast<std::uint64_t>(i)) * 1099511628211ull;
    g_sink = h;
  }
}

void run_bench_ok() {
  std::thread t(bench_hash_ok, 1000000);
  t.join();
}

void spin_delay_ok(int n) {
  for (volatile int i = 0; i < n; i = i + 1) {
  }
}

int measure_ok() {
  volatile int sink = 0;
  for (int i = 0; i < 100; ++i)
    sink = sink + i;
  return sink;
}

void run_delay_ok() {
  std::thread t([] {
    spin_delay_ok(1000);
    handle(measure_ok());
  });
  spin_delay_ok(1000);
  t.join();
}

// ------------------------------------------------------------- signals --

volatile std::sig_atomic_t g_got_sigint = 0;

extern "C" void on_sigint_ok(int) { g_got_sigint = 1; }

void main_loop_ok() {
  std::signal(SIGINT, on_sigint_ok);
  std::thread helper([] { handle(0); });
  while (!g_got_sigint)
    handle(next_request());
  g_got_sigint = 0;
  helper.join();
}

int main() {
  run_server_bad();
  run_server_ok();
  handle(wait_for_result_bad());
  run_batches_bad();
  run_batches_ok();
  run_progress_ok();
  scan_with_cancel_bad();
  scan_with_cancel_ok();
  run_checks_bad();
  run_poller();
  run_heartbeat();
  run_ticker_ok();
  run_logged_ok(2);
  run_bench_ok();
  run_delay_ok();
  main_loop_ok();
}
