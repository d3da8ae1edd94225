// Blocking reached through calls to functions defined in this file: the
// warning names the callee, the notes show the chain down to the blocking
// call. Callees without a body are not guessed; a function that blocks is
// fine when its caller holds no lock.
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

// ------------------------------------------------ a write-through cache --

class Disk {
public:
  explicit Disk(int fd) : fd_(fd) {}

  // Blocks: pwrite + fdatasync.
  void store(const std::string &key, const std::string &value) {
    std::string rec = key + "=" + value + "\n";
    append(rec);
    sync_to_disk();
  }

  void append(const std::string &rec) {
    pwrite(fd_, rec.data(), rec.size(), offset_); // expect-note: "'pwrite' waits for I/O here"
    offset_ += static_cast<off_t>(rec.size());
  }

  void sync_to_disk() { fdatasync(fd_); }

  // Does not block.
  size_t bytes_written() const { return static_cast<size_t>(offset_); }

private:
  int fd_;
  off_t offset_ = 0;
};

class WriteThroughCache {
public:
  explicit WriteThroughCache(Disk &d) : disk_(d) {}

  // Two levels: put_bad -> Disk::store -> Disk::append -> pwrite.
  void put_bad(const std::string &k, const std::string &v) {
    std::lock_guard<std::mutex> lock(mu_); // expect-note: "'WriteThroughCache::mu_' acquired here"
    map_[k] = v;
    disk_.store(k, v); // expect: threadlint-blocking-in-critical-section "call to 'Disk::store' may block while holding 'WriteThroughCache::mu_': 'pwrite' waits for I/O"
  }

  void put_ok(const std::string &k, const std::string &v) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      map_[k] = v;
    }
    disk_.store(k, v);
  }

  // A callee that does not block is fine under the lock.
  size_t stats_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return map_.size() + disk_.bytes_written();
  }

  // A blocking callee with no lock held at all.
  void flush_ok() { disk_.sync_to_disk(); }

private:
  std::mutex mu_;
  std::map<std::string, std::string> map_;
  Disk &disk_;
};

// ------------------------------------------------ a three-level chain --

std::mutex g_pool_mu;
std::vector<int> g_idle;

static int dial(const sockaddr *addr, socklen_t len) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, addr, len) != 0) { // expect-note: "'connect' waits for I/O here"
    close(fd);
    return -1;
  }
  return fd;
}

static int open_connection(const sockaddr *addr, socklen_t len) {
  return dial(addr, len); // expect-note: "'open_connection' calls 'dial'"
}

static int checkout_or_dial(const sockaddr *addr, socklen_t len) {
  if (!g_idle.empty()) {
    int fd = g_idle.back();
    g_idle.pop_back();
    return fd;
  }
  return open_connection(addr, len); // expect-note: "'checkout_or_dial' calls 'open_connection'"
}

int acquire_connection_bad(const sockaddr *addr, socklen_t len) {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  return checkout_or_dial(addr, len); // expect: threadlint-blocking-in-critical-section "call to 'checkout_or_dial' may block while holding 'g_pool_mu': 'connect' waits for I/O"
}

int acquire_connection_ok(const sockaddr *addr, socklen_t len) {
  {
    std::lock_guard<std::mutex> lock(g_pool_mu);
    if (!g_idle.empty()) {
      int fd = g_idle.back();
      g_idle.pop_back();
      return fd;
    }
  }
  return open_connection(addr, len);
}

// The blocking helper called from an unlocked caller only.
int warm_up_ok(const sockaddr *addr, socklen_t len) {
  int fd = dial(addr, len);
  std::lock_guard<std::mutex> lock(g_pool_mu);
  g_idle.push_back(fd);
  return fd;
}

// ------------------------------------------------------ unknown code --

// Only declared: the model does not guess what they do.
void send_heartbeat(int fd);
std::string lookup_remote(const std::string &key);

void heartbeat_all_ok() {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  for (int fd : g_idle)
    send_heartbeat(fd);
}

std::string remote_get_ok(const std::string &key) {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  return lookup_remote(key);
}

// ----------------------------------------------- recursion and cycles --

static int g_retries;

// Mutually recursive helpers; one of them sleeps.
static void backoff(int attempt);
static void retry(int attempt) {
  if (attempt < 3)
    backoff(attempt + 1);
}
static void backoff(int attempt) {
  usleep(1000u << attempt);
  retry(attempt);
}

void retry_bad() {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  ++g_retries;
  retry(0); // expect: threadlint-blocking-in-critical-section "call to 'retry' may block while holding 'g_pool_mu': 'usleep' sleeps"
}

void retry_ok() {
  {
    std::lock_guard<std::mutex> lock(g_pool_mu);
    ++g_retries;
  }
  retry(0);
}

// Recursion without any blocking call.
static int depth(const std::vector<int> &v, size_t i) {
  return i >= v.size() ? 0 : 1 + depth(v, i + 1);
}

int depth_ok() {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  return depth(g_idle, 0);
}

// ---------------------------------------- a callee that takes the lock --

// Locks internally and does its I/O after releasing: calling it without
// holding anything is fine.
class Journal {
public:
  void record(const std::string &line) {
    std::string copy;
    {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.push_back(line);
      copy = line;
    }
    fputs(copy.c_str(), stderr);
    fsync(fileno(stderr));
  }

  void checkpoint_ok() { record("checkpoint"); }

  // But calling it while holding another lock still blocks under that lock.
  void checkpoint_bad(std::mutex &outer) {
    std::lock_guard<std::mutex> lock(outer);
    record("checkpoint"); // expect: threadlint-blocking-in-critical-section "call to 'Journal::record' may block while holding 'outer': 'fsync' waits for I/O"
  }

private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

// A callee whose blocking call is on a path taken only sometimes still may
// block: the warning is about the callee, not about a path.
static void maybe_flush(bool verbose) {
  if (verbose)
    fsync(fileno(stdout));
}

void log_bad(bool verbose) {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  maybe_flush(verbose); // expect: threadlint-blocking-in-critical-section "call to 'maybe_flush' may block while holding 'g_pool_mu'"
}

void log_ok(bool verbose) {
  { std::lock_guard<std::mutex> lock(g_pool_mu); }
  maybe_flush(verbose);
}

// --------------------------------- callees that release the caller's lock --

std::mutex g_batch_mu;
std::vector<std::string> g_batch;

// An unlock wrapper that does its I/O after releasing g_batch_mu.
static void release_and_publish() {
  std::vector<std::string> out;
  out.swap(g_batch);
  g_batch_mu.unlock();
  for (const std::string &s : out)
    fputs(s.c_str(), stdout);
  fsync(fileno(stdout));
}

// release_and_publish() unlocks g_batch_mu before its fsync, so nothing is
// held while it blocks.
void publish_ok(const std::string &s) {
  g_batch_mu.lock();
  g_batch.push_back(s);
  release_and_publish();
}

// Drops the caller's guard around the wait and takes it back.
static void pause_unlocked(std::unique_lock<std::mutex> &lk) {
  lk.unlock();
  usleep(1000);
  lk.lock();
}

// The sleep in pause_unlocked() happens between lk.unlock() and lk.lock(),
// with nothing held.
void throttled_drain_ok() {
  std::unique_lock<std::mutex> lk(g_batch_mu);
  while (g_batch.size() > 100) {
    g_batch.pop_back();
    pause_unlocked(lk);
  }
}

// Calling the unlock wrapper the correct way, the sleep afterwards is fine.
void publish_then_sleep_ok(const std::string &s) {
  g_batch_mu.lock();
  g_batch.push_back(s);
  g_batch_mu.unlock();
  usleep(10);
}

// ------------------------------------------------ a metrics registry --

class Metrics {
public:
  // Pure helpers called under the lock: nothing blocks.
  void observe_ok(const std::string &name, double v) {
    std::lock_guard<std::mutex> lock(mu_);
    bucket(name).push_back(clamp(v));
  }

  // A blocking exporter called after the lock is released.
  void export_ok(int fd) {
    std::vector<double> snapshot;
    {
      std::lock_guard<std::mutex> lock(mu_);
      snapshot = bucket("latency");
    }
    ship(fd, snapshot);
  }

  // ... and called under it: reported with the chain.
  void export_bad(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    ship(fd, bucket("latency")); // expect: threadlint-blocking-in-critical-section "call to 'Metrics::ship' may block while holding 'Metrics::mu_': 'send' waits for I/O"
  }

  // A function that only *takes* a function that blocks, without calling it.
  void register_exporter_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    exporter_ = &Metrics::ship;
  }

  // A blocking helper used only from an unlocked timer thread.
  void on_timer_ok(int fd) { ship(fd, {}); }

private:
  std::vector<double> &bucket(const std::string &name) { return buckets_[name]; }
  static double clamp(double v) { return v < 0 ? 0 : v; }
  void ship(int fd, const std::vector<double> &values) {
    encode_and_send(fd, values);
  }
  static void encode_and_send(int fd, const std::vector<double> &values) {
    ::send(fd, values.data(), values.size() * sizeof(double), 0);
  }

  std::mutex mu_;
  std::map<std::string, std::vector<double>> buckets_;
  void (Metrics::*exporter_)(int, const std::vector<double> &) = nullptr;
};

// A function defined after its caller: the call graph does not depend on
// the order of definitions.
static void late_sleeper();

void calls_late_sleeper_bad() {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  late_sleeper(); // expect: threadlint-blocking-in-critical-section "call to 'late_sleeper' may block while holding 'g_pool_mu': 'usleep' sleeps"
}

void calls_late_sleeper_ok() { late_sleeper(); }

static void late_sleeper() { usleep(10); }
