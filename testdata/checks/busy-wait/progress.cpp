// Loops that read shared state but are not busy waits: they make their own
// progress (a local counter, cursor or pointer in the exit condition),
// bound the spin and then block, retry a compare-exchange, or do work in
// the body. The two findings at the end spin while only counting or
// recording what they see: neither changes the exit condition.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <immintrin.h>
#include <mutex>
#include <thread>

// Shared state, written by the producer functions below: each loop that
// reads it would be reported if it did not make its own progress.
std::atomic<bool> g_ready{false};
std::atomic<bool> g_cancel{false};
int g_table[64];
int g_table_size = 0;

struct Entry {
  int key;
  bool valid;
  Entry *next;
};
Entry *g_bucket = nullptr;

void publish() { g_ready.store(true, std::memory_order_release); }
void cancel() { g_cancel.store(true, std::memory_order_relaxed); }
void insert(int key) {
  g_table[g_table_size] = key;
  g_table_size = g_table_size + 1;
}
void invalidate(Entry *e) { e->valid = false; }
void relink(Entry *e) { e->next = nullptr; }

void do_work();
void block_until_ready();

// ------------------------------------------------------- bounded spins --

bool ready_within_ok(int max_spins) {
  for (int i = 0; i < max_spins; ++i)
    if (g_ready.load(std::memory_order_acquire))
      return true;
  return false;
}

bool ready_within_counted_ok(int max_spins) {
  int spins = 0;
  while (!g_ready.load(std::memory_order_acquire) && spins < max_spins)
    ++spins;
  return spins < max_spins;
}

void ready_then_block_ok() {
  int spins = 0;
  while (!g_ready.load(std::memory_order_acquire)) {
    if (++spins > 1000) {
      block_until_ready();
      return;
    }
    _mm_pause();
  }
}

void spin_budget_ok() {
  int budget = 4096;
  while (budget > 0 && !g_cancel.load(std::memory_order_relaxed))
    --budget;
}

void spin_with_break_ok() {
  int spins = 0;
  while (!g_ready.load(std::memory_order_acquire)) {
    ++spins;
    if (spins >= 100)
      break;
  }
}

// --------------------------------------------------- cursors and lists --

int find_slot_ok(int key) {
  int i = 0;
  while (i < g_table_size && g_table[i] != key)
    ++i;
  return i;
}

int find_slot_for_ok(int key) {
  for (int i = 0; i < g_table_size; ++i)
    if (g_table[i] == key)
      return i;
  return -1;
}

const Entry *first_valid_ok() {
  const Entry *e = g_bucket;
  while (e && !e->valid)
    e = e->next;
  return e;
}

const Entry *last_entry_ok(const Entry *e) {
  while (e->next)
    e = e->next;
  return e;
}

std::size_t count_entries_ok() {
  std::size_t n = 0;
  for (const Entry *e = g_bucket; e; e = e->next)
    ++n;
  return n;
}

std::size_t copy_until_nul_ok(char *dst, const char *src, std::size_t cap) {
  std::size_t n = 0;
  while (n + 1 < cap && src[n] != '\0') {
    dst[n] = src[n];
    ++n;
  }
  dst[n] = '\0';
  return n;
}

int binary_search_ok(const int *sorted, int n, int key) {
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (sorted[mid] < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

// ----------------------------------------------------- work in the body --

void work_until_cancelled_ok() {
  while (!g_cancel.load(std::memory_order_relaxed))
    do_work();
}

void work_then_check_ok() {
  do {
    do_work();
  } while (!g_cancel.load(std::memory_order_relaxed));
}

void deadline_poll_ok(std::chrono::milliseconds budget) {
  auto deadline = std::chrono::steady_clock::now() + budget;
  while (!g_ready.load(std::memory_order_acquire)) {
    if (std::chrono::steady_clock::now() > deadline)
      return;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

// ------------------------------------------------- compare-exchange --

std::atomic<Entry *> g_free_list{nullptr};

void release_entry_ok(Entry *e) {
  Entry *head = g_free_list.load(std::memory_order_relaxed);
  do {
    e->next = head;
  } while (!g_free_list.compare_exchange_weak(head, e, std::memory_order_release,
                                              std::memory_order_relaxed));
}

Entry *acquire_entry_ok() {
  Entry *head = g_free_list.load(std::memory_order_acquire);
  while (head && !g_free_list.compare_exchange_weak(head, head->next))
    _mm_pause();
  return head;
}

// --------------------------------------------------- one-shot blocks --

void clear_table_ok() {
  do {
    std::memset(g_table, 0, sizeof g_table);
    g_table_size = 0;
  } while (false);
}

// --------------------------------------- counting is not progressing --

long count_spins_bad() {
  long spins = 0;
  while (!g_ready.load(std::memory_order_acquire)) // expect: threadlint-busy-wait "spins until 'g_ready' changes"
    ++spins;
  return spins;
}

// The body records a snapshot, but the exit condition does not read it.
int last_size_seen_bad() {
  int seen = 0;
  while (!g_cancel.load(std::memory_order_acquire)) { // expect: threadlint-busy-wait "spins until 'g_cancel' changes"
    seen = g_table_size;
  }
  return seen;
}

// ------------------------------------ harder shapes, and known misses --

// The loop copies the shared state into a local and tests the copy.
void spin_on_snapshot_bad() {
  bool ready;
  do { // expect: threadlint-busy-wait "spins until"
    ready = g_ready.load(std::memory_order_acquire);
  } while (!ready);
}

void spin_on_local_copy_bad() {
  for (;;) { // expect: threadlint-busy-wait "spins until"
    bool cancelled = g_cancel.load(std::memory_order_acquire);
    if (cancelled)
      break;
  }
}
