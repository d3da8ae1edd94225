// CONFIG: {CheckOptions: {LockTypes: "vendor::FastLock"}}
// LockTypes makes a vendor lock (Acquire()/Release(), no annotations) a
// lock, and its RAII holder a guard: updates made under the holder are
// protected. An update that skips the holder is still reported.
#include <thread>

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

// --------------------------------------------------- a packet counter --

vendor::FastLock g_counters_lock;
long g_packets = 0;
long g_drops = 0;

void count_packet_ok() {
  vendor::FastLockHolder hold(g_counters_lock);
  ++g_packets;
}

void count_drop_ok() {
  vendor::FastLockHolder hold(g_counters_lock);
  g_drops += 1; // expect-note: "thread 'rx1' writes 'g_drops' here"
}

// The drop path of the fast NIC forgets the holder.
void count_fast_drop() {
  g_drops += 1; // expect: threadlint-non-atomic-update "non-atomic update of 'g_drops' with no lock held, in thread 'rx2', while thread 'rx1' writes it (line 38): the load and the store interleave and updates are lost; make it 'std::atomic<long>' (fetch_add) or hold one mutex around every access"
}

void rx_loop_bad() {
  std::thread rx1([] { count_packet_ok(); count_drop_ok(); });
  std::thread rx2([] { count_packet_ok(); count_fast_drop(); });
  rx1.join();
  rx2.join();
}
