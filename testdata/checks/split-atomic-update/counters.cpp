// Updates of std::atomic split into a load and a store: a.store(a.load() + n),
// a = a + n, a.store(a - n), a running maximum, on globals, function statics,
// class statics, fields, a template's field, and a local that threads borrow
// by reference or std::ref. Negative cases: the single read-modify-write
// operations (++a, a += n, fetch_add, fetch_or, exchange), compare-exchange
// loops (while and do/while), load and store under one mutex held at both, a
// local atomic no thread borrows, stores of a value computed from another
// atomic, resets, reads, a counter with a single writer (an SPSC ring buffer
// index), and an atomic updated only while no other thread runs. Known
// misses (FN_): the load in an earlier statement, and an atomic reached
// through a reference parameter.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

void handle(int request);
int next_request();

// ------------------------------------------------ a global request counter --

std::atomic<long> g_requests{0};
std::atomic<long> g_bytes{0};
std::atomic<std::uint32_t> g_error_mask{0};

void count_request_bad() {
  g_requests.store(g_requests.load() + 1); // expect: threadlint-split-atomic-update "'g_requests' is updated in two atomic steps: it is loaded, then a value computed from the load is stored; an update another thread makes in between is lost; use fetch_add, which reads and writes in one step"
}

// The conversion operator and operator= are a load and a store too.
void count_request_operators_bad() {
  g_requests = g_requests + 1; // expect: threadlint-split-atomic-update "'g_requests' is updated in two atomic steps"
}

// Explicit memory orders do not make the pair one step.
void add_bytes_relaxed_bad(long n) {
  g_bytes.store(g_bytes.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); // expect: threadlint-split-atomic-update "use fetch_add"
}

void release_bytes_bad(long n) {
  g_bytes.store(g_bytes - n); // expect: threadlint-split-atomic-update "use fetch_sub"
}

// The load on the right of the operator.
void add_bytes_reversed_bad(long n) {
  g_bytes.store(n + g_bytes.load()); // expect: threadlint-split-atomic-update "use fetch_add"
}

void record_error_bad(std::uint32_t bit) {
  g_error_mask.store(g_error_mask.load() | bit); // expect: threadlint-split-atomic-update "use fetch_or"
}

void clear_error_bad(std::uint32_t bit) {
  g_error_mask.store(g_error_mask.load() & ~bit); // expect: threadlint-split-atomic-update "use fetch_and"
}

void count_request_ok() { g_requests.fetch_add(1, std::memory_order_relaxed); }
void count_request_increment_ok() { ++g_requests; }
void add_bytes_ok(long n) { g_bytes += n; }
void release_bytes_ok(long n) { g_bytes.fetch_sub(n, std::memory_order_relaxed); }
void record_error_ok(std::uint32_t bit) { g_error_mask.fetch_or(bit); }
void clear_error_ok(std::uint32_t bit) { g_error_mask &= ~bit; }

// Take the mask and clear it in one step.
std::uint32_t take_errors_ok() { return g_error_mask.exchange(0); }

// A reset stores a constant: nothing is lost that the caller did not mean
// to drop.
void reset_counters_ok() {
  g_requests.store(0);
  g_bytes = 0;
}

long read_counters_ok() {
  return g_requests.load(std::memory_order_relaxed) + g_bytes;
}

// ----------------------------------------------------- a running maximum --

std::atomic<int> g_peak_depth{0};
std::atomic<int> g_depth{0};

void note_depth_bad(int depth) {
  g_peak_depth.store(std::max(g_peak_depth.load(), depth)); // expect: threadlint-split-atomic-update "'g_peak_depth' is updated in two atomic steps"
}

// The compare-exchange loop: its store is the compare-exchange, which
// fails (and reloads) if another thread got in between.
void note_depth_ok(int depth) {
  int peak = g_peak_depth.load(std::memory_order_relaxed);
  while (peak < depth &&
         !g_peak_depth.compare_exchange_weak(peak, depth, std::memory_order_relaxed)) {
  }
}

// A value computed from another atomic: one load, one store of a different
// object.
void snapshot_depth_ok() {
  g_peak_depth.store(g_depth.load() + 1);
}

// -------------------------------------------- a doubling with a CAS loop --

std::atomic<std::size_t> g_capacity{16};

void grow_bad() {
  g_capacity = g_capacity * 2; // expect: threadlint-split-atomic-update "'g_capacity' is updated in two atomic steps"
}

void grow_ok() {
  std::size_t cap = g_capacity.load();
  while (!g_capacity.compare_exchange_weak(cap, cap * 2)) {
  }
}

void grow_do_while_ok() {
  std::size_t cap = g_capacity.load(std::memory_order_relaxed);
  std::size_t next;
  do {
    next = cap < 1024 ? cap * 2 : cap + 1024;
  } while (!g_capacity.compare_exchange_weak(cap, next, std::memory_order_acq_rel,
                                             std::memory_order_relaxed));
}

// ----------------------------------------------------- statics and fields --

int calls_bad() {
  static std::atomic<int> calls{0};
  calls.store(calls.load() + 1); // expect: threadlint-split-atomic-update "'calls' is updated in two atomic steps"
  return calls.load();
}

int calls_ok() {
  static std::atomic<int> calls{0};
  return calls.fetch_add(1) + 1;
}

class Connection {
public:
  void on_send_bad(std::size_t n) {
    sent_.store(sent_.load() + n); // expect: threadlint-split-atomic-update "'Connection::sent_' is updated in two atomic steps"
    s_total_.store(s_total_.load() + n); // expect: threadlint-split-atomic-update "'Connection::s_total_' is updated in two atomic steps"
  }

  void on_send_ok(std::size_t n) {
    sent_.fetch_add(n, std::memory_order_relaxed);
    s_total_ += n;
  }

  // The load and the store under the same lock: every writer takes it.
  void on_retry_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    retries_.store(retries_.load() + 1);
  }

  void on_retry_manual_ok() {
    mu_.lock();
    int r = retries_.load();
    retries_.store(r + 1);
    mu_.unlock();
  }

  std::size_t sent_ok() const { return sent_.load(); }

private:
  std::mutex mu_;
  std::atomic<std::size_t> sent_{0};
  std::atomic<int> retries_{0};
  static std::atomic<std::size_t> s_total_;
};
std::atomic<std::size_t> Connection::s_total_{0};

void serve(Connection &c) {
  for (int i = 0; i < 100; ++i) {
    c.on_send_bad(64);
    c.on_send_ok(64);
    c.on_retry_ok();
    c.on_retry_manual_ok();
  }
}

void run_connection() {
  Connection c;
  std::thread a(serve, std::ref(c));
  std::thread b(serve, std::ref(c));
  a.join();
  b.join();
}

// A template: one finding, however many times it is instantiated.
template <class T> class Gauge {
public:
  void add_bad(T v) {
    value_.store(value_.load() + v); // expect: threadlint-split-atomic-update "'Gauge::value_' is updated in two atomic steps"
  }
  void add_ok(T v) { value_.fetch_add(v); }
  T get_ok() const { return value_.load(); }

private:
  std::atomic<T> value_{0};
};

Gauge<int> g_queue_len;
Gauge<long> g_heap_bytes;

// --------------------------------------------------------- borrowed locals --

void count_done(std::atomic<int> &done) { done.fetch_add(1); }

int parallel_sum_bad(const std::vector<int> &items) {
  std::atomic<int> total{0};
  std::vector<std::thread> workers;
  for (int part = 0; part < 4; ++part)
    workers.emplace_back([&, part] {
      for (std::size_t i = part; i < items.size(); i += 4)
        total.store(total.load() + items[i]); // expect: threadlint-split-atomic-update "'total' is updated in two atomic steps"
    });
  for (std::thread &w : workers)
    w.join();
  return total.load();
}

int parallel_sum_ok(const std::vector<int> &items) {
  std::atomic<int> total{0};
  std::vector<std::thread> workers;
  for (int part = 0; part < 4; ++part)
    workers.emplace_back([&, part] {
      int local = 0;
      for (std::size_t i = part; i < items.size(); i += 4)
        local += items[i];
      total.fetch_add(local, std::memory_order_relaxed);
    });
  for (std::thread &w : workers)
    w.join();
  return total.load();
}

// A local atomic that no thread sees: the two steps cannot be interleaved.
int local_counter_ok(const std::vector<int> &items) {
  std::atomic<int> seen{0};
  for (int x : items)
    if (x > 0)
      seen.store(seen.load() + 1);
  return seen.load();
}

// ----------------------------------------- a single-producer ring buffer --

// Only the producer thread writes tail_ and only the consumer writes head_:
// a load and a store by the one writer lose nothing. This is the usual SPSC
// queue; a fetch_add would cost a locked instruction for no gain.
class SpscRing {
public:
  bool push_ok(int v) {
    std::size_t t = tail_.load(std::memory_order_relaxed);
    if (t - head_.load(std::memory_order_acquire) == kSize)
      return false;
    slots_[t % kSize] = v;
    tail_.store(tail_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    return true;
  }

  bool pop_ok(int &out) {
    std::size_t h = head_.load(std::memory_order_relaxed);
    if (h == tail_.load(std::memory_order_acquire))
      return false;
    out = slots_[h % kSize];
    head_.store(h + 1, std::memory_order_release);
    return true;
  }

private:
  static constexpr std::size_t kSize = 64;
  int slots_[kSize] = {};
  std::atomic<std::size_t> head_{0};
  std::atomic<std::size_t> tail_{0};
};

void run_spsc_ok() {
  SpscRing ring;
  std::thread producer([&ring] {
    for (int i = 0; i < 1000; ++i)
      while (!ring.push_ok(i))
        std::this_thread::yield();
  });
  std::thread consumer([&ring] {
    int v = 0;
    for (int i = 0; i < 1000; ++i)
      while (!ring.pop_ok(v))
        std::this_thread::yield();
    handle(v);
  });
  producer.join();
  consumer.join();
}

// ------------------------------------ updated before the workers start --

std::atomic<int> g_run_id{0};

int current_run_ok() { return g_run_id.load(std::memory_order_relaxed); }

// Only main updates the run id, and only while no worker runs: the workers
// started after the store and joined before the next one only read it.
void run_batches_ok(int batches) {
  for (int i = 0; i < batches; ++i) {
    g_run_id.store(g_run_id.load() + 1);
    std::thread a([] { handle(current_run_ok()); });
    std::thread b([] { handle(current_run_ok()); });
    a.join();
    b.join();
  }
}

// ------------------------------------------------------- known misses --

std::atomic<int> g_sessions{0};

// The same lost update, with the load in its own statement: only a load
// inside the stored expression is recognised (tracking the value through
// a local would also flag the correct single-writer form of SpscRing).
void FN_open_session() {
  int n = g_sessions.load();
  g_sessions.store(n + 1);
}

// A reference parameter: which atomic it names is not known in this
// function, and parameters are not shared state in the model.
void FN_bump(std::atomic<int> &counter) { counter.store(counter.load() + 1); }

// --------------------------------------------------------------- threads --

void worker() {
  for (int i = 0; i < 1000; ++i) {
    handle(next_request());
    count_request_bad();
    count_request_ok();
    add_bytes_relaxed_bad(512);
    note_depth_bad(i);
    note_depth_ok(i);
    calls_bad();
    calls_ok();
    g_queue_len.add_bad(1);
    g_queue_len.add_ok(-1);
    g_heap_bytes.add_bad(4096);
    g_heap_bytes.add_ok(-4096);
    FN_open_session();
    FN_bump(g_sessions);
  }
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  run_connection();
  run_spsc_ok();
  run_batches_ok(3);
  return static_cast<int>(read_counters_ok());
}
