// Updates and locks: an update with no lock held while the other threads
// update the same counter under a mutex (a lock protects nothing unless
// every access takes it). Negative cases: updates under std::lock_guard,
// std::scoped_lock, std::unique_lock, manual lock()/unlock(), an exclusive
// std::shared_mutex lock with readers taking it shared, and
// compare-exchange loops and fetch_add on atomics.
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

// ------------------------------------------- one side forgets the lock --

std::mutex g_stats_mu;
long g_bytes_in = 0;

void on_packet(int len) {
  std::lock_guard<std::mutex> lock(g_stats_mu);
  g_bytes_in += len; // expect-note: "thread 'rx' writes 'g_bytes_in' here"
}

void on_retransmit(int len) {
  // The fast path skips the lock.
  g_bytes_in += len; // expect: threadlint-non-atomic-update "non-atomic update of 'g_bytes_in' with no lock held, in thread 'rt', while thread 'rx' writes it (line 20): the load and the store interleave and updates are lost; make it 'std::atomic<long>' (fetch_add) or hold one mutex around every access"
}

void network_bad() {
  std::thread rx([] { on_packet(1500); }); // expect-note: "the thread is started here"
  std::thread rt([] { on_retransmit(1500); });
  rx.join();
  rt.join();
}

// ---------------------------------------------------- std::lock_guard --

std::mutex g_cache_mu;
long g_cache_hits = 0;
long g_cache_misses = 0;

void lookup(bool hit) {
  std::lock_guard<std::mutex> lock(g_cache_mu);
  if (hit)
    ++g_cache_hits;
  else
    g_cache_misses = g_cache_misses + 1;
}

double hit_ratio() {
  std::lock_guard<std::mutex> lock(g_cache_mu);
  return double(g_cache_hits) / double(g_cache_hits + g_cache_misses + 1);
}

double cache_ok() {
  std::thread a([] { lookup(true); });
  std::thread b([] { lookup(false); });
  double r = hit_ratio();
  a.join();
  b.join();
  return r;
}

// --------------------------------------------------- std::scoped_lock --

class Account {
public:
  void deposit(long amount) {
    std::scoped_lock lock(mu_);
    balance_ += amount;
    ++operations_;
  }
  void withdraw(long amount) {
    std::scoped_lock lock(mu_);
    balance_ -= amount;
    ++operations_;
  }
  long balance() const {
    std::scoped_lock lock(mu_);
    return balance_;
  }

private:
  mutable std::mutex mu_;
  long balance_ = 0;
  long operations_ = 0;
};

long account_ok() {
  Account acc;
  std::thread d([&acc] { acc.deposit(100); });
  std::thread w([&acc] { acc.withdraw(30); });
  long seen = acc.balance();
  d.join();
  w.join();
  return seen;
}

// --------------------------------------------------- std::unique_lock --

std::mutex g_queue_mu;
int g_queue_len = 0;

void enqueue_ok() {
  std::unique_lock<std::mutex> lock(g_queue_mu);
  g_queue_len++;
  lock.unlock();
}

void dequeue_ok() {
  std::unique_lock<std::mutex> lock(g_queue_mu, std::defer_lock);
  lock.lock();
  if (g_queue_len > 0)
    g_queue_len--;
}

void queue_ok() {
  std::thread p(enqueue_ok);
  std::thread c(dequeue_ok);
  p.join();
  c.join();
}

// ------------------------------------------- manual lock() and unlock() --

std::mutex g_log_mu;
unsigned g_log_lines = 0;

void log_line_ok() {
  g_log_mu.lock();
  g_log_lines += 1;
  g_log_mu.unlock();
}

void log_from_workers_ok() {
  std::thread workers[4];
  for (auto &w : workers)
    w = std::thread(log_line_ok);
  for (auto &w : workers)
    w.join();
}

// ------------------------------------- std::shared_mutex, exclusive writes --

std::shared_mutex g_config_mu;
int g_config_version = 0;

void bump_config_ok() {
  std::unique_lock<std::shared_mutex> lock(g_config_mu);
  ++g_config_version;
}

int read_config_ok() {
  std::shared_lock<std::shared_mutex> lock(g_config_mu);
  return g_config_version;
}

void config_ok() {
  std::thread w(bump_config_ok);
  std::thread r1(read_config_ok);
  std::thread r2(read_config_ok);
  w.join();
  r1.join();
  r2.join();
}

// --------------------------------------------------- atomics, CAS loops --

std::atomic<long> g_max_latency{0};
std::atomic<unsigned> g_sequence{0};

void record_latency_ok(long us) {
  long seen = g_max_latency.load(std::memory_order_relaxed);
  while (seen < us &&
         !g_max_latency.compare_exchange_weak(seen, us,
                                              std::memory_order_relaxed)) {
  }
}

unsigned next_sequence_ok() {
  unsigned cur = g_sequence.load();
  unsigned next;
  do {
    next = cur == 0xffffffffu ? 1 : cur + 1;
  } while (!g_sequence.compare_exchange_strong(cur, next));
  return next;
}

void latency_ok() {
  std::thread a([] { record_latency_ok(120); next_sequence_ok(); });
  std::thread b([] { record_latency_ok(80); next_sequence_ok(); });
  a.join();
  b.join();
}
