#include "cache.h"

#include "metrics.h"
#include "stats.h"

#include <fstream>
#include <mutex>
#include <utility>
#include <vector>

namespace kvd {

Cache::Cache(std::string dir, std::size_t capacity, kvd_stats *stats)
    : dir_(std::move(dir)), capacity_(capacity), stats_(stats) {
  journal_ = std::fopen((dir_ + "/journal").c_str(), "a");
}

Cache::~Cache() {
  if (journal_)
    std::fclose(journal_);
}

void Cache::set_metrics(Metrics *metrics) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  metrics_ = metrics;
}

std::size_t Cache::size() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return map_.size();
}

void Cache::touch(Entry &e) { lru_.splice(lru_.begin(), lru_, e.lru); }

bool Cache::evict_one() {
  if (lru_.empty())
    return false;
  map_.erase(lru_.back());
  lru_.pop_back();
  return true;
}

bool Cache::get(const std::string &key, std::string &value) {
  bool hit = false;
  {
    std::unique_lock<std::shared_mutex> lock(mu_); // touch() reorders lru_
    auto it = map_.find(key);
    if (it != map_.end()) {
      touch(it->second);
      value = it->second.value;
      hit = true;
    }
  }
  kvd_stats_lookup(stats_, hit);
  return hit;
}

std::string Cache::get_or(const std::string &key, const std::string &fallback) {
  // A shared lock for the common miss path: only readers here.
  std::shared_lock<std::shared_mutex> lock(mu_); // expect-note: "'kvd::Cache::mu_' acquired here"
  if (map_.find(key) == map_.end()) {
    // Counted for the stats -- under a lock every other reader holds too.
    ++fallbacks_; // expect: threadlint-write-under-shared-lock "'kvd::Cache::fallbacks_' is updated while 'kvd::Cache::mu_' is held only in shared (reader) mode"
    return fallback;
  }
  // On a hit, reuse get() so the LRU order and the hit counter are updated
  // -- but get() takes mu_ exclusively, and waits for this thread's own
  // shared lock to go away.
  std::string value;
  get(key, value); // expect: threadlint-recursive-lock "call to 'kvd::Cache::get' acquires 'kvd::Cache::mu_', which is already held: a non-recursive mutex deadlocks on itself"
  return value;
}

// Journal format: one "key\tvalue\n" record per put.
void Cache::append_record(const std::string &key, const std::string &value) {
  if (!journal_)
    return;
  std::string rec = key + "\t" + value + "\n";
  std::fwrite(rec.data(), 1, rec.size(), journal_); // expect-note: "'fwrite' waits for I/O here"
}

void Cache::persist(const std::string &key, const std::string &value) {
  if (key.empty())
    return;
  append_record(key, value); // expect-note: "'kvd::Cache::persist' calls 'kvd::Cache::append_record'"
}

void Cache::put(const std::string &key, std::string value) {
  bool evicted = false;
  std::unique_lock<std::shared_mutex> lock(mu_); // expect-note: "'kvd::Cache::mu_' acquired here"
  auto it = map_.find(key);
  if (it != map_.end()) {
    it->second.value = value;
    touch(it->second);
  } else {
    if (map_.size() >= capacity_ && !lru_.empty()) {
      std::string victim = lru_.back();
      evicted = evict_one();
      // Tells the metrics with mu_ still held: Metrics::on_evict() takes
      // kvd::Metrics::mu_ (see Metrics::publish() for the other order).
      if (evicted && metrics_)
        metrics_->on_evict(victim); // expect-note: "'kvd::Cache::put' calls 'kvd::Metrics::on_evict'" // expect: threadlint-lock-order "'kvd::Metrics::mu_' acquired while holding 'kvd::Cache::mu_'; elsewhere 'kvd::Cache::mu_' is acquired while holding 'kvd::Metrics::mu_'"
    }
    lru_.push_front(key);
    map_.emplace(key, Entry{value, lru_.begin()});
  }
  // Write-ahead journal, written while every reader and writer waits.
  persist(key, value); // expect: threadlint-blocking-in-critical-section "call to 'kvd::Cache::persist' may block while holding 'kvd::Cache::mu_': 'fwrite' waits for I/O"
  lock.unlock();
  kvd_stats_put(stats_, evicted);
}

bool Cache::save_snapshot() const {
  // Copy under a shared lock; write the file with no lock held.
  std::vector<std::pair<std::string, std::string>> rows;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    rows.reserve(map_.size());
    for (const std::string &key : lru_)
      rows.emplace_back(key, map_.at(key).value);
  }
  std::ofstream out(dir_ + "/snapshot", std::ios::trunc);
  for (const auto &row : rows)
    out << row.first << '\t' << row.second << '\n';
  return static_cast<bool>(out);
}

} // namespace kvd
