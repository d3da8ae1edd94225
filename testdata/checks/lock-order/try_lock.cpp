// A try-lock that fails does not wait, so taking a lock with try_lock()
// while holding another adds no order: a thread that backs off cannot be
// part of a deadlock. A lock *held* because a try-lock succeeded is held
// like any other, and a blocking acquisition under it is an edge.
#include <chrono>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

// ------------------------------------------- a cache with a write-back --

std::mutex g_cache_mu;
std::mutex g_disk_mu;
std::map<std::string, std::string> g_cache, g_dirty;

// The disk writer holds the disk lock and takes the cache lock.
void write_back_ok() {
  std::lock_guard<std::mutex> d(g_disk_mu);
  std::lock_guard<std::mutex> c(g_cache_mu);
  g_dirty.clear();
}

// The cache only *tries* the disk lock while holding its own, and backs off
// when the writer has it: no deadlock with write_back_ok().
void put_opportunistic_ok(const std::string &k, const std::string &v) {
  std::lock_guard<std::mutex> c(g_cache_mu);
  g_cache[k] = v;
  if (g_disk_mu.try_lock()) {
    g_dirty.erase(k);
    g_disk_mu.unlock();
  } else {
    g_dirty[k] = v;
  }
}

// The same with std::try_to_lock.
void put_try_to_lock_ok(const std::string &k, const std::string &v) {
  std::lock_guard<std::mutex> c(g_cache_mu);
  g_cache[k] = v;
  std::unique_lock<std::mutex> d(g_disk_mu, std::try_to_lock);
  if (!d.owns_lock()) {
    g_dirty[k] = v;
    return;
  }
  g_dirty.erase(k);
}

// try_lock() on a guard that was deferred.
void put_deferred_try_ok(const std::string &k) {
  std::lock_guard<std::mutex> c(g_cache_mu);
  std::unique_lock<std::mutex> d(g_disk_mu, std::defer_lock);
  if (d.try_lock())
    g_dirty.erase(k);
}

// std::try_lock over both: nothing waits.
bool flush_if_idle_ok() {
  if (std::try_lock(g_cache_mu, g_disk_mu) != -1)
    return false;
  g_dirty.clear();
  g_disk_mu.unlock();
  g_cache_mu.unlock();
  return true;
}

// ------------------------------------ timed attempts under another lock --

std::timed_mutex g_index_mu;
std::mutex g_segment_mu;
std::vector<int> g_segments;

void merge_segments_ok() {
  std::lock_guard<std::timed_mutex> i(g_index_mu);
  std::lock_guard<std::mutex> s(g_segment_mu);
  g_segments.clear();
}

// Waits a bounded time for the index while holding a segment: a timeout
// ends the wait, so it is not an edge either.
bool add_segment_ok(int seg) {
  std::lock_guard<std::mutex> s(g_segment_mu);
  g_segments.push_back(seg);
  if (!g_index_mu.try_lock_for(std::chrono::milliseconds(5)))
    return false;
  g_index_mu.unlock();
  return true;
}

bool add_segment_until_ok(int seg) {
  std::lock_guard<std::mutex> s(g_segment_mu);
  g_segments.push_back(seg);
  std::unique_lock<std::timed_mutex> i(g_index_mu, std::chrono::milliseconds(5));
  return i.owns_lock();
}

// --------------------------------- a lock held after a successful try --

std::mutex g_router_mu;
std::mutex g_peers_mu;
std::vector<std::string> g_routes_out, g_peers;

// Once try_lock() succeeded the router lock is held; the peers lock is then
// taken with a blocking lock, and announce_bad() takes them the other way.
void refresh_routes_bad() {
  if (!g_router_mu.try_lock())
    return;
  std::lock_guard<std::mutex> p(g_peers_mu); // expect: threadlint-lock-order "'g_peers_mu' acquired while holding 'g_router_mu'; elsewhere 'g_router_mu' is acquired while holding 'g_peers_mu'"
  g_routes_out = g_peers;
  g_router_mu.unlock();
}

void announce_bad(const std::string &peer) {
  std::lock_guard<std::mutex> p(g_peers_mu);
  g_peers.push_back(peer);
  std::lock_guard<std::mutex> r(g_router_mu);
  g_routes_out.push_back(peer);
}

// The failed branch holds nothing: taking the peers lock there is alone.
void refresh_or_wait_ok() {
  if (g_router_mu.try_lock()) {
    g_routes_out.clear();
    g_router_mu.unlock();
    return;
  }
  std::lock_guard<std::mutex> p(g_peers_mu);
  g_peers.clear();
}

// ---------------------------------------------- reader/writer try-locks --

std::shared_mutex g_snapshot_mu;
std::mutex g_writer_mu;
std::vector<int> g_snapshot;

void publish_ok(std::vector<int> fresh) {
  std::lock_guard<std::mutex> w(g_writer_mu);
  std::unique_lock<std::shared_mutex> s(g_snapshot_mu);
  g_snapshot.swap(fresh);
}

// Under the snapshot's shared lock, the writer lock is only tried.
int read_and_maybe_compact_ok() {
  std::shared_lock<std::shared_mutex> s(g_snapshot_mu);
  int n = static_cast<int>(g_snapshot.size());
  std::unique_lock<std::mutex> w(g_writer_mu, std::try_to_lock);
  if (w)
    n = -n;
  return n;
}

// A shared try-lock under the writer lock.
bool peek_ok() {
  std::lock_guard<std::mutex> w(g_writer_mu);
  if (!g_snapshot_mu.try_lock_shared())
    return false;
  bool empty = g_snapshot.empty();
  g_snapshot_mu.unlock_shared();
  return empty;
}
