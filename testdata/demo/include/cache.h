// An LRU key-value cache with a write-ahead journal and snapshots.
#ifndef KVD_CACHE_H
#define KVD_CACHE_H

#include <cstddef>
#include <cstdio>
#include <list>
#include <shared_mutex>
#include <string>
#include <unordered_map>

struct kvd_stats;

namespace kvd {

class Metrics;

class Cache {
public:
  Cache(std::string dir, std::size_t capacity, kvd_stats *stats);
  ~Cache();

  /// Reports every eviction to \p metrics (set once, before serving).
  void set_metrics(Metrics *metrics);

  bool get(const std::string &key, std::string &value);
  /// The value of \p key, or \p fallback when it is not cached.
  std::string get_or(const std::string &key, const std::string &fallback);
  void put(const std::string &key, std::string value);
  std::size_t size() const;

  /// Writes every entry to <dir>/snapshot.
  bool save_snapshot() const;

private:
  struct Entry {
    std::string value;
    std::list<std::string>::iterator lru;
  };

  void touch(Entry &e);
  bool evict_one();
  void persist(const std::string &key, const std::string &value);
  void append_record(const std::string &key, const std::string &value);

  const std::string dir_;
  const std::size_t capacity_;
  kvd_stats *stats_;
  Metrics *metrics_ = nullptr;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> map_;
  std::list<std::string> lru_; // most recent first
  std::FILE *journal_ = nullptr;
  std::size_t fallbacks_ = 0; // get_or() calls answered with the fallback
};

} // namespace kvd

#endif
