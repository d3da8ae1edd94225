// Eviction metrics: how often the cache evicts, which keys keep coming back
// after being evicted (thrashing), and how full the cache is.
#ifndef KVD_METRICS_H
#define KVD_METRICS_H

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kvd {

class Cache;

class Metrics {
public:
  explicit Metrics(Cache &cache) : cache_(cache) {}

  /// Called by the cache for every entry it evicts.
  void on_evict(const std::string &key);
  /// Writes one sample line (evictions, thrashing keys, entries) to fd.
  void publish(int fd);

private:
  Cache &cache_;
  std::mutex mu_; // evictions_, evicted_
  std::size_t evictions_ = 0;
  std::unordered_map<std::string, std::size_t> evicted_; // key -> times
};

} // namespace kvd

#endif
