// Where the threads are: a local guarded by a local mutex, updated by
// lambdas started in a loop, which the starting thread reads without the
// lock while the workers run. Negative cases: the lambdas' by-reference
// captures (taking a reference is not a read), reads after the joins, and
// unlocked resets once the thread is known to be finished: after join(),
// after a std::future's wait(), after a std::jthread's scope, and in a
// thread started only after the first one was joined.
#include <future>
#include <mutex>
#include <thread>
#include <vector>

// ----------------------------------------- a peek while workers run --

void show(long v);

long crunch_bad(int n) {
  std::mutex mu;
  long done = 0;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.push_back(std::thread([&done, &mu] {
      std::lock_guard<std::mutex> lock(mu);
      if (done < 1000)
        done = done + 1; // expect-note: "'done' updated here while holding 'mu'"
    }));
  show(done); // expect: threadlint-inconsistent-locking "'done' is read without holding 'mu', which guards it"
  for (auto &w : workers)
    w.join();
  return done;
}

// ------------------------------------ captured by reference, all locked --

long sum_ok(int n) {
  std::mutex mu;
  long total = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.push_back(std::thread([&total, &mu, i] {
      std::lock_guard<std::mutex> lock(mu);
      if (total < 1000)
        total += i;
    }));
  for (auto &t : threads)
    t.join();
  return total;
}

long max_ok(const std::vector<long> &xs) {
  std::mutex mu;
  long best = 0;
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < 4; ++c)
    threads.push_back(std::thread([&, c] {
      for (std::size_t i = c; i < xs.size(); i += 4) {
        std::lock_guard<std::mutex> lock(mu);
        if (xs[i] > best)
          best = xs[i];
      }
    }));
  for (auto &t : threads)
    t.join();
  return best;
}

// ------------------------------------------ waited for, then touched --

// Each case: a counter the thread advances under its mutex, reset without
// the mutex once the thread is known to be finished.

std::mutex g_scan_mu;
int g_scanned = 0;

void scan_step() {
  std::lock_guard<std::mutex> lock(g_scan_mu);
  g_scanned = g_scanned + 1;
}

int scan_joined_ok() {
  std::thread t(scan_step);
  t.join();
  int n = g_scanned;
  g_scanned = 0;
  return n;
}

std::mutex g_fetch_mu;
int g_fetched = 0;

void fetch_step() {
  std::lock_guard<std::mutex> lock(g_fetch_mu);
  g_fetched = g_fetched + 1;
}

// The future is waited for before the reset.
void fetch_async_ok() {
  auto f = std::async(std::launch::async, fetch_step);
  f.wait();
  g_fetched = 0;
}

std::mutex g_parse_mu;
int g_parsed = 0;

void parse_step() {
  std::lock_guard<std::mutex> lock(g_parse_mu);
  g_parsed = g_parsed + 1;
}

// The std::jthread joins at the end of its scope, before the reset.
void parse_scoped_ok() {
  {
    std::jthread t(parse_step);
  }
  g_parsed = 0;
}

std::mutex g_load_mu;
int g_loaded = 0;

void load_step() {
  std::lock_guard<std::mutex> lock(g_load_mu);
  g_loaded = g_loaded + 1;
}

void load_reset() { g_loaded = 0; }

// The second thread starts only after the first one is joined.
void load_in_turn_ok() {
  std::thread a(load_step);
  a.join();
  std::thread b(load_reset);
  b.join();
}
