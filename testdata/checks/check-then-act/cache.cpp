// Check-then-act on a std::map cache with no lock at all: a thread tests
// whether a key is there (count, find, contains, empty) and inserts it when
// it is not, while another thread erases or inserts. Fields through 'this',
// a global set, and a local map that two lambdas borrow by reference.
// Negative cases: the same caches with the test and the insert under one
// lock_guard, unique_lock or scoped_lock, try_emplace/insert used without a
// test, maps touched by one thread only or only before the threads start
// and after they are joined, local maps, a thread_local memo, and a map
// filled by the constructor. Out of reach (FN_): a test and a write in two
// helper functions that each take the lock.
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

std::string render(int id);
std::string fetch(const std::string &url);

// --------------------------------- a page cache with an evicting thread --

class PageCache {
public:
  void warm(int id) {
    if (!pages_.count(id)) // expect-note: "'PageCache::pages_' tested here"
      pages_[id] = render(id); // expect: threadlint-check-then-act "check-then-act on 'PageCache::pages_': it is tested on line 27 and written here with no lock held across both, while thread"
  }

  void evict(int id) {
    pages_.erase(id); // expect-note: "writes 'PageCache::pages_' here"
  }

  void warm_locked_ok(int id) {
    std::lock_guard<std::mutex> g(mu_);
    if (!locked_pages_.count(id))
      locked_pages_[id] = render(id);
  }

  void warm_if_init_ok(int id) {
    if (std::lock_guard<std::mutex> g(mu_); !locked_pages_.contains(id))
      locked_pages_.emplace(id, render(id));
  }

  // No test: try_emplace inserts only when the key is missing, atomically
  // with respect to the lock.
  void warm_try_emplace_ok(int id) {
    std::string page = render(id);
    std::lock_guard<std::mutex> g(mu_);
    locked_pages_.try_emplace(id, std::move(page));
  }

  void evict_locked_ok(int id) {
    std::lock_guard<std::mutex> g(mu_);
    locked_pages_.erase(id);
  }

private:
  std::mutex mu_;
  std::map<int, std::string> pages_;
  std::map<int, std::string> locked_pages_;
};

void serve_pages(PageCache &cache) {
  std::thread warmer([&cache] {
    for (int id = 0; id < 100; ++id) {
      cache.warm(id);
      cache.warm_locked_ok(id);
      cache.warm_if_init_ok(id);
      cache.warm_try_emplace_ok(id);
    }
  });
  std::thread evicter([&cache] {
    for (int id = 0; id < 100; id += 2) {
      cache.evict(id);
      cache.evict_locked_ok(id);
    }
  });
  warmer.join();
  evicter.join();
}

// ----------------------------------- a local map borrowed by two threads --

void crawl(const std::vector<std::string> &a, const std::vector<std::string> &b) {
  std::unordered_map<std::string, std::string> seen;
  std::thread left([&] {
    for (const std::string &url : a)
      if (seen.find(url) == seen.end()) // expect-note: "'seen' tested here"
        seen.emplace(url, fetch(url)); // expect: threadlint-check-then-act "check-then-act on 'seen': it is tested on line 90 and written here with no lock held across both"
  });
  std::thread right([&] {
    for (const std::string &url : b)
      seen.insert({url, fetch(url)}); // expect-note: "writes 'seen' here"
  });
  left.join();
  right.join();
}

void crawl_locked_ok(const std::vector<std::string> &a,
                     const std::vector<std::string> &b) {
  std::mutex mu;
  std::unordered_map<std::string, std::string> seen;
  auto visit = [&](const std::vector<std::string> &urls) {
    for (const std::string &url : urls) {
      std::string body = fetch(url);
      std::scoped_lock lk(mu);
      if (seen.find(url) == seen.end())
        seen.emplace(url, std::move(body));
    }
  };
  std::thread left(visit, std::cref(a));
  std::thread right(visit, std::cref(b));
  left.join();
  right.join();
}

// ------------------------------------------------ a subscriber registry --

std::set<int> g_subscribers;
std::mutex g_subscribers_mu;

void subscribe(int id) {
  if (g_subscribers.find(id) == g_subscribers.end()) // expect-note: "'g_subscribers' tested here"
    g_subscribers.insert(id); // expect: threadlint-check-then-act "check-then-act on 'g_subscribers'"
}

void unsubscribe_all() {
  g_subscribers.clear(); // expect-note: "writes 'g_subscribers' here"
}

void subscribe_locked_ok(int id) {
  std::unique_lock<std::mutex> lk(g_subscribers_mu);
  if (g_subscribers.find(id) == g_subscribers.end())
    g_subscribers.insert(id);
}

// insert() on a set is its own test: no check-then-act.
bool subscribe_insert_ok(int id) {
  std::lock_guard<std::mutex> g(g_subscribers_mu);
  return g_subscribers.insert(id).second;
}

void run_subscriptions() {
  std::thread a([] { subscribe(1); subscribe_locked_ok(2); subscribe_insert_ok(3); });
  std::thread b([] { unsubscribe_all(); });
  a.join();
  b.join();
}

// ------------------------------------------- maps owned by one thread --

// A local map: nobody else can see it.
std::map<int, std::string> render_all_ok(const std::vector<int> &ids) {
  std::map<int, std::string> out;
  for (int id : ids)
    if (!out.count(id))
      out[id] = render(id);
  return out;
}

// Filled by main before the threads start and read after they are joined;
// the threads only read it.
std::map<std::string, std::string> g_routes;

void load_routes_ok() {
  if (!g_routes.count("/"))
    g_routes["/"] = "index";
}

std::string route_of(const std::string &path) {
  auto it = g_routes.find(path);
  return it == g_routes.end() ? std::string() : it->second;
}

void add_fallback_ok() {
  if (g_routes.empty())
    g_routes["*"] = "404";
}

// One worker thread owns its memo: started once, nothing else touches it.
class Resolver {
public:
  void run() {
    for (const std::string &host : hosts_)
      if (memo_.find(host) == memo_.end())
        memo_[host] = fetch(host);
  }
  std::vector<std::string> hosts_;
  std::map<std::string, std::string> memo_;
};

int run_routes() {
  load_routes_ok();
  Resolver resolver;
  resolver.hosts_ = {"a", "b"};
  std::thread worker(&Resolver::run, &resolver);
  std::thread reader([] { (void)route_of("/"); });
  worker.join();
  reader.join();
  add_fallback_ok();
  return static_cast<int>(resolver.memo_.size());
}

// A per-thread memo: each thread has its own map.
thread_local std::map<int, std::string> t_rendered;

const std::string &render_cached_ok(int id) {
  if (!t_rendered.count(id))
    t_rendered[id] = render(id);
  return t_rendered[id];
}

// The constructor fills the map before any thread can see the object; the
// threads then use it under the lock.
class Catalog {
public:
  Catalog(int first, int last) {
    for (int id = first; id < last; ++id)
      if (!entries_.count(id))
        entries_[id] = render(id);
  }

  std::string get_ok(int id) const {
    std::lock_guard<std::mutex> g(mu_);
    auto it = entries_.find(id);
    return it == entries_.end() ? std::string() : it->second;
  }

  void drop_ok(int id) {
    std::lock_guard<std::mutex> g(mu_);
    entries_.erase(id);
  }

private:
  mutable std::mutex mu_;
  std::map<int, std::string> entries_;
};

void run_catalog() {
  Catalog catalog(0, 10);
  std::thread a([&catalog] { (void)catalog.get_ok(1); (void)render_cached_ok(1); });
  std::thread b([&catalog] { catalog.drop_ok(1); (void)render_cached_ok(1); });
  a.join();
  b.join();
}

// --------------------------------------- test and write in two functions --

class Directory {
public:
  bool has(int id) const {
    std::lock_guard<std::mutex> g(mu_);
    return names_.count(id) != 0;
  }
  void add(int id) {
    std::lock_guard<std::mutex> g(mu_);
    names_[id] = render(id);
  }
  void remove(int id) {
    std::lock_guard<std::mutex> g(mu_);
    names_.erase(id);
  }

  // Two critical sections through helpers: has() tests under the lock and
  // add() writes under it, but the lock is released in between. The test
  // and the write are in different functions, and the check only pairs a
  // test in the condition of an 'if' with a write in its branch.
  void FN_add_missing(int id) {
    if (!has(id))
      add(id);
  }

private:
  mutable std::mutex mu_;
  std::map<int, std::string> names_;
};

void directory_main(Directory &d) {
  std::thread a([&d] { d.FN_add_missing(1); d.add(2); });
  std::thread b([&d] { d.remove(1); });
  a.join();
  b.join();
}
