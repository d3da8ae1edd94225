// Lock orders in templates: class templates whose members lock fields,
// function templates over guard and mutex types, and generic code that is
// instantiated several times. Negative cases: templates that keep one
// order in every instantiation and templates that never nest locks.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

// --------------------------------- a bounded queue with a stats block --

template <typename T> class BoundedQueue {
public:
  bool push_bad(T v) {
    std::lock_guard<std::mutex> q(queue_mu_);
    if (items_.size() >= 1024) {
      std::lock_guard<std::mutex> s(stats_mu_); // expect: threadlint-lock-order "'BoundedQueue::stats_mu_' acquired while holding 'BoundedQueue::queue_mu_'"
      ++dropped_;
      return false;
    }
    items_.push_back(std::move(v));
    return true;
  }

  // Reads the stats, then peeks at the queue with the stats still locked.
  size_t report_bad() {
    std::lock_guard<std::mutex> s(stats_mu_);
    std::lock_guard<std::mutex> q(queue_mu_);
    return dropped_ + items_.size();
  }

  size_t dropped_ok() {
    std::lock_guard<std::mutex> s(stats_mu_);
    return dropped_;
  }

  bool pop_ok(T &out) {
    std::lock_guard<std::mutex> q(queue_mu_);
    if (items_.empty())
      return false;
    out = std::move(items_.back());
    items_.pop_back();
    return true;
  }

private:
  std::mutex queue_mu_;
  std::mutex stats_mu_;
  std::vector<T> items_;
  size_t dropped_ = 0;
};

// Two instantiations: the cycle is the same and is reported once.
void use_queues_bad(BoundedQueue<int> &ints, BoundedQueue<std::string> &strs) {
  ints.push_bad(1);
  strs.push_bad("x");
  (void)ints.report_bad();
  (void)strs.report_bad();
}

// ------------------------------- a function template over lock types --

std::mutex g_meta_mu;
std::shared_mutex g_blocks_mu;
std::map<int, std::string> g_meta;
std::vector<int> g_blocks;

// Locks the metadata, then the block map with whatever guard it is given.
template <typename Guard> void allocate_block_bad(int id) {
  std::lock_guard<std::mutex> m(g_meta_mu);
  Guard b(g_blocks_mu); // expect: threadlint-lock-order "'g_blocks_mu' acquired while holding 'g_meta_mu'; elsewhere 'g_meta_mu' is acquired while holding 'g_blocks_mu'"
  g_meta[id] = "allocated";
}

void free_block_bad(int id) {
  std::unique_lock<std::shared_mutex> b(g_blocks_mu);
  std::lock_guard<std::mutex> m(g_meta_mu);
  g_meta.erase(id);
}

void allocate_both_bad() {
  allocate_block_bad<std::unique_lock<std::shared_mutex>>(1);
  allocate_block_bad<std::shared_lock<std::shared_mutex>>(2);
}

// -------------------------- generic helpers that keep a single order --

// Locks two mutexes of any type, always outer first.
template <typename Outer, typename Inner, typename F>
void with_nested_ok(Outer &outer, Inner &inner, F f) {
  std::lock_guard<Outer> o(outer);
  std::lock_guard<Inner> i(inner);
  f();
}

std::mutex g_tenant_mu;
std::mutex g_billing_mu;
long g_invoices;

void bill_tenant_ok() {
  with_nested_ok(g_tenant_mu, g_billing_mu, [] { ++g_invoices; });
}

void bill_again_ok() {
  with_nested_ok(g_tenant_mu, g_billing_mu, [] { g_invoices += 2; });
}

// The same helper called with the two locks swapped: the callee nests its
// two parameters, so the order is the callers' argument order.
std::mutex g_export_mu;
std::mutex g_archive_mu;
long g_exported, g_archived;

void export_then_archive_bad() {
  with_nested_ok(g_export_mu, g_archive_mu, [] { ++g_exported; }); // expect: threadlint-lock-order "'g_archive_mu' acquired while holding 'g_export_mu'; elsewhere 'g_export_mu' is acquired while holding 'g_archive_mu'"
}

void archive_then_export_bad() {
  with_nested_ok(g_archive_mu, g_export_mu, [] { ++g_archived; });
}

// A generic "locked value" wrapper: each instance locks only itself.
template <typename T> class Locked {
public:
  template <typename F> auto with_ok(F f) {
    std::lock_guard<std::mutex> l(mu_);
    return f(value_);
  }

private:
  std::mutex mu_;
  T value_{};
};

int count_words_ok(Locked<std::vector<std::string>> &words) {
  return words.with_ok([](std::vector<std::string> &w) {
    return static_cast<int>(w.size());
  });
}

// A template that copies under one lock and publishes under another, with
// no overlap.
template <typename T> class Publisher {
public:
  void publish_ok() {
    std::vector<T> copy;
    {
      std::lock_guard<std::mutex> s(staging_mu_);
      copy.swap(staging_);
    }
    std::lock_guard<std::mutex> l(live_mu_);
    live_ = std::move(copy);
  }

  void stage_ok(T v) {
    std::lock_guard<std::mutex> s(staging_mu_);
    staging_.push_back(std::move(v));
  }

private:
  std::mutex staging_mu_;
  std::mutex live_mu_;
  std::vector<T> staging_, live_;
};

void publish_all_ok(Publisher<int> &a, Publisher<double> &b) {
  a.stage_ok(1);
  a.publish_ok();
  b.stage_ok(2.0);
  b.publish_ok();
}
