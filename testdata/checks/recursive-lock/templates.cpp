// Re-entry inside templates: class templates whose methods call each other
// under the lock, and a class template parameterised on its mutex type,
// which is a self-deadlock with std::mutex and fine with
// std::recursive_mutex.
#include <map>
#include <mutex>
#include <string>
#include <vector>

// ------------------------------------------------ an object pool --

template <typename T> class Pool {
public:
  T *acquire() {
    std::lock_guard<std::mutex> l(mu_);
    if (free_.empty())
      return nullptr;
    T *p = free_.back();
    free_.pop_back();
    return p;
  }

  void release(T *p) {
    std::lock_guard<std::mutex> l(mu_);
    free_.push_back(p);
  }

  // Grabs a batch through acquire() while holding the pool.
  std::vector<T *> acquire_many_bad(size_t n) {
    std::lock_guard<std::mutex> l(mu_);
    std::vector<T *> out;
    while (out.size() < n && !free_.empty())
      out.push_back(acquire()); // expect: threadlint-recursive-lock "call to 'Pool::acquire' acquires 'Pool::mu_', which is already held"
    return out;
  }

  std::vector<T *> acquire_many_ok(size_t n) {
    std::lock_guard<std::mutex> l(mu_);
    std::vector<T *> out;
    while (out.size() < n && !free_.empty()) {
      out.push_back(free_.back());
      free_.pop_back();
    }
    return out;
  }

  size_t available_ok() {
    std::lock_guard<std::mutex> l(mu_);
    return free_.size();
  }

private:
  std::mutex mu_;
  std::vector<T *> free_;
};

void use_pools_ok(Pool<int> &ints, Pool<std::string> &strs) {
  int *i = ints.acquire();
  if (i)
    ints.release(i);
  std::string *s = strs.acquire();
  if (s)
    strs.release(s);
  (void)ints.acquire_many_ok(2);
}

void use_pools_bad(Pool<int> &ints) { (void)ints.acquire_many_bad(4); }

// ----------------------------------------- a mutex type as a parameter --

// Instantiations are checked with their real mutex type: a template that
// re-enters its lock is fine with std::recursive_mutex and reported when
// instantiated with std::mutex (at the template's line, once).
template <typename Mutex> class Registry {
public:
  void add(const std::string &name) {
    std::lock_guard<Mutex> l(mu_);
    names_[name] = static_cast<int>(names_.size());
  }

  // Adds several names through add() while holding mu_.
  void add_all_ok(const std::vector<std::string> &names) {
    std::lock_guard<Mutex> l(mu_);
    for (const std::string &n : names)
      add(n);
  }

  int size_ok() {
    std::lock_guard<Mutex> l(mu_);
    return static_cast<int>(names_.size());
  }

private:
  Mutex mu_;
  std::map<std::string, int> names_;
};

// Only ever used with a recursive mutex.
void fill_registry_ok(Registry<std::recursive_mutex> &r) {
  r.add_all_ok({"a", "b"});
}

// The same shape, instantiated with std::mutex.
template <typename Mutex> class Index {
public:
  void insert(const std::string &k) {
    std::lock_guard<Mutex> l(mu_);
    keys_.push_back(k);
  }

  void insert_all_bad(const std::vector<std::string> &ks) {
    std::lock_guard<Mutex> l(mu_);
    for (const std::string &k : ks)
      insert(k); // expect: threadlint-recursive-lock "call to 'Index::insert' acquires 'Index::mu_', which is already held"
  }

private:
  Mutex mu_;
  std::vector<std::string> keys_;
};

void fill_index_bad(Index<std::mutex> &ix) { ix.insert_all_bad({"a", "b"}); }

// Only insert() of a recursive-mutex index: no re-entry anywhere.
void fill_index_ok(Index<std::recursive_mutex> &ix) { ix.insert("a"); }

// ------------------------------------------ a function template --

std::mutex g_metrics_mu;
std::map<std::string, double> g_metrics;

template <typename T> void set_metric(const std::string &k, T v) {
  std::lock_guard<std::mutex> l(g_metrics_mu);
  g_metrics[k] = static_cast<double>(v);
}

template <typename T> void set_metrics_bad(const std::vector<T> &vs) {
  std::lock_guard<std::mutex> l(g_metrics_mu);
  for (size_t i = 0; i < vs.size(); ++i)
    set_metric("m" + std::to_string(i), vs[i]); // expect: threadlint-recursive-lock "acquires 'g_metrics_mu', which is already held"
}

template <typename T> void set_metrics_ok(const std::vector<T> &vs) {
  for (size_t i = 0; i < vs.size(); ++i)
    set_metric("m" + std::to_string(i), vs[i]);
}

void record_all_ok() {
  set_metrics_ok(std::vector<int>{1, 2});
  set_metrics_ok(std::vector<double>{0.5});
}

void record_all_bad() { set_metrics_bad(std::vector<int>{1, 2}); }
