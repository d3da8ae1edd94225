#include "metrics.h"

#include "cache.h"

#include <unistd.h>

namespace kvd {

// Runs inside Cache::put(), which holds the cache's lock while it evicts:
// kvd::Metrics::mu_ is taken while kvd::Cache::mu_ is held.
void Metrics::on_evict(const std::string &key) {
  std::lock_guard<std::mutex> lock(mu_); // expect-note: "'kvd::Metrics::mu_' acquired here while 'kvd::Cache::mu_' is held"
  ++evictions_;
  ++evicted_[key];
}

void Metrics::publish(int fd) {
  std::string line;
  {
    // One consistent sample: the counters must not move while the cache's
    // size is read, so the size is read with mu_ held -- and
    // Cache::size() takes kvd::Cache::mu_, the reverse of on_evict()'s
    // order. A put() that evicts while this runs deadlocks both threads.
    std::lock_guard<std::mutex> lock(mu_); // expect-note: "'kvd::Metrics::mu_' acquired here, in 'kvd::Metrics::publish'"
    std::size_t thrashing = 0;
    for (const auto &kv : evicted_)
      if (kv.second > 1)
        ++thrashing;
    line = "evictions=" + std::to_string(evictions_) +
           " thrashing=" + std::to_string(thrashing) +
           " entries=" + std::to_string(cache_.size()) + "\n"; // expect-note: "'kvd::Metrics::publish' calls 'kvd::Cache::size'"
  }
  // Written with no lock held.
  ::write(fd, line.data(), line.size());
}

} // namespace kvd
