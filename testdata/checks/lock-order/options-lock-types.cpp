// CONFIG: {CheckOptions: {LockTypes: "vendor::FastLock"}}
// LockTypes makes a vendor lock (Acquire()/Release(), no annotations) a
// lock; its RAII holder then counts as a guard, and its instances take part
// in lock orders like any other lock. Without the option the same code
// orders nothing (see the plain Counter below).
#include <map>
#include <mutex>
#include <string>

namespace vendor {
class FastLock {
public:
  void Acquire();
  void Release();
};

class FastLockHolder {
public:
  explicit FastLockHolder(FastLock &l) : l_(l) { l_.Acquire(); }
  ~FastLockHolder() { l_.Release(); }
  FastLockHolder(const FastLockHolder &) = delete;

private:
  FastLock &l_;
};
} // namespace vendor

// ---------------------------------------------- a telemetry exporter --

vendor::FastLock g_buffer_lock;
std::mutex g_sink_mu;
std::map<std::string, double> g_buffer, g_sink;

void export_bad() {
  vendor::FastLockHolder b(g_buffer_lock);
  std::lock_guard<std::mutex> s(g_sink_mu); // expect: threadlint-lock-order "'g_sink_mu' acquired while holding 'g_buffer_lock'; elsewhere 'g_buffer_lock' is acquired while holding 'g_sink_mu'"
  g_sink.insert(g_buffer.begin(), g_buffer.end());
}

void sink_rotate_bad() {
  std::lock_guard<std::mutex> s(g_sink_mu);
  g_sink.clear();
  vendor::FastLockHolder b(g_buffer_lock);
  g_buffer.clear();
}

// Copies the buffer out first.
void export_ok() {
  std::map<std::string, double> copy;
  {
    vendor::FastLockHolder b(g_buffer_lock);
    copy.swap(g_buffer);
  }
  std::lock_guard<std::mutex> s(g_sink_mu);
  g_sink.insert(copy.begin(), copy.end());
}

void record_ok(const std::string &k, double v) {
  vendor::FastLockHolder b(g_buffer_lock);
  g_buffer[k] = v;
}

// A holder-like class of something that is not a lock: a reference count.
struct Counter {
  void Acquire();
  void Release();
};

class CounterRef {
public:
  explicit CounterRef(Counter &c) : c_(c) { c_.Acquire(); }
  ~CounterRef() { c_.Release(); }

private:
  Counter &c_;
};

Counter g_refs;

void pin_then_sink_ok() {
  CounterRef r(g_refs);
  std::lock_guard<std::mutex> s(g_sink_mu);
  g_sink["pinned"] = 1;
}

void sink_then_pin_ok() {
  std::lock_guard<std::mutex> s(g_sink_mu);
  CounterRef r(g_refs);
  g_sink["pinned"] = 2;
}
