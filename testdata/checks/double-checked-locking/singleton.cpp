// Double-checked locking on plain pointers: the classic lazily created
// singleton (static member pointer), the early-return form
// ('if (p) return p; lock; if (!p) p = new ...'), a class template
// singleton, a std::unique_ptr, and a per-object lazy member. Negative
// cases: the fixes the message proposes (function-local static,
// std::call_once, std::atomic<T*> with acquire/release), a single check
// under the lock, a thread_local fast path in front of a locked slow path,
// a plain pointer published through an atomic flag, and a re-test under
// the lock after a test under the same lock.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// ----------------------------------------------------- the classic form --

class Widget {
public:
  static Widget *instance();
  static Widget *instance_early_return();
  void draw();

private:
  Widget();
  static Widget *instance_;
  static std::mutex mu_;
};

Widget *Widget::instance_ = nullptr;
std::mutex Widget::mu_;

Widget *Widget::instance() {
  if (instance_ == nullptr) { // expect: threadlint-double-checked-locking "double-checked locking on 'Widget::instance_': this first test reads it without holding 'Widget::mu_' while another thread may be writing it (line 38); nothing orders the initialisation before the write of 'Widget::instance_', so a thread can see it set and use what is not initialised yet; use a function-local static (initialised once, thread-safely) or std::call_once; or make it std::atomic<Widget *> loaded with memory_order_acquire and stored with memory_order_release"
    std::lock_guard<std::mutex> lock(mu_); // expect-note: "'Widget::mu_' acquired here"
    if (instance_ == nullptr) // expect-note: "'Widget::instance_' tested again under 'Widget::mu_'"
      instance_ = new Widget; // expect-note: "'Widget::instance_' written here"
  }
  return instance_;
}

// ------------------------------------------------- the early-return form --

Widget *Widget::instance_early_return() {
  if (instance_) // expect: threadlint-double-checked-locking "double-checked locking on 'Widget::instance_': this first test reads it without holding 'Widget::mu_' while another thread may be writing it (line 50)"
    return instance_;
  std::lock_guard<std::mutex> lock(mu_); // expect-note: "'Widget::mu_' acquired here"
  if (!instance_) // expect-note: "'Widget::instance_' tested again under 'Widget::mu_'"
    instance_ = new Widget; // expect-note: "'Widget::instance_' written here"
  return instance_;
}

// ------------------------------------------------------- a class template --

// Reported once, at the template, however many instantiations there are.
template <class T> class Lazy {
public:
  static T &get() {
    if (!obj_) { // expect: threadlint-double-checked-locking "double-checked locking on 'Lazy::obj_'"
      std::lock_guard<std::mutex> g(mu_);
      if (!obj_)
        obj_ = new T();
    }
    return *obj_;
  }

private:
  static T *obj_;
  static std::mutex mu_;
};
template <class T> T *Lazy<T>::obj_ = nullptr;
template <class T> std::mutex Lazy<T>::mu_;

struct Fonts {
  std::vector<std::string> names;
};
struct Colors {
  std::vector<int> palette;
};

// --------------------------------------------------------- a unique_ptr --

class Registry {
public:
  static Registry &get() {
    if (!inst_) { // expect: threadlint-double-checked-locking "double-checked locking on 'Registry::inst_'"
      std::lock_guard<std::mutex> g(mu_);
      if (!inst_)
        inst_ = std::make_unique<Registry>(); // expect-note: "'Registry::inst_' written here"
    }
    return *inst_;
  }

private:
  static std::unique_ptr<Registry> inst_;
  static std::mutex mu_;
};
std::unique_ptr<Registry> Registry::inst_;
std::mutex Registry::mu_;

// --------------------------------------------- a lazily built member --

struct Index {
  std::vector<int> keys;
};
Index *build_index(const std::string &path);

class Table {
public:
  explicit Table(std::string path) : path_(std::move(path)) {}

  const Index &index() {
    if (index_ == nullptr) { // expect: threadlint-double-checked-locking "double-checked locking on 'Table::index_': this first test reads it without holding 'Table::mu_'"
      std::unique_lock<std::mutex> lk(mu_);
      if (index_ == nullptr)
        index_ = build_index(path_);
    }
    return *index_;
  }

  // Fix: check under the lock only.
  const Index &index_locked_ok() {
    std::lock_guard<std::mutex> g(mu_);
    if (index_ == nullptr)
      index_ = build_index(path_);
    return *index_;
  }

  // Fix: std::call_once.
  const Index &index_once_ok() {
    std::call_once(once_, [this] { once_index_ = build_index(path_); });
    return *once_index_;
  }

  // Fix: an atomic pointer, acquire on the fast path, release on publish.
  const Index &index_atomic_ok() {
    Index *p = atomic_index_.load(std::memory_order_acquire);
    if (p == nullptr) {
      std::lock_guard<std::mutex> g(mu_);
      p = atomic_index_.load(std::memory_order_relaxed);
      if (p == nullptr) {
        p = build_index(path_);
        atomic_index_.store(p, std::memory_order_release);
      }
    }
    return *p;
  }

  // The same fix tested directly on the atomic.
  const Index &index_atomic_direct_ok() {
    if (!atomic_index_.load(std::memory_order_acquire)) {
      std::lock_guard<std::mutex> g(mu_);
      if (!atomic_index_.load(std::memory_order_relaxed))
        atomic_index_.store(build_index(path_), std::memory_order_release);
    }
    return *atomic_index_.load(std::memory_order_acquire);
  }

  // The test is under the lock, the lock is dropped while building, then
  // taken again for a re-test: both tests hold the lock.
  const Index &index_build_unlocked_ok() {
    std::unique_lock<std::mutex> lk(mu_);
    if (index_ == nullptr) {
      lk.unlock();
      Index *built = build_index(path_);
      lk.lock();
      if (index_ == nullptr)
        index_ = built;
      else
        delete built;
    }
    return *index_;
  }

  // The plain pointer is published through an atomic flag: the fast path
  // tests the flag (acquire), not the pointer.
  const Index &index_flagged_ok() {
    if (published_.load(std::memory_order_acquire))
      return *flagged_index_;
    std::lock_guard<std::mutex> g(mu_);
    if (flagged_index_ == nullptr) {
      flagged_index_ = build_index(path_);
      published_.store(true, std::memory_order_release);
    }
    return *flagged_index_;
  }

private:
  std::string path_;
  std::mutex mu_;
  std::once_flag once_;
  Index *index_ = nullptr;
  Index *once_index_ = nullptr;
  Index *flagged_index_ = nullptr;
  std::atomic<bool> published_{false};
  std::atomic<Index *> atomic_index_{nullptr};
};

// ----------------------------------------------------------- other fixes --

// A function-local static: initialised once, thread-safely (C++11).
Widget &widget_ok() {
  static Widget *w = Widget::instance();
  return *w;
}

struct Settings {
  std::string theme;
};
Settings load_settings();

const Settings &settings_ok() {
  static const Settings s = load_settings();
  return s;
}

// A per-thread cache in front of a locked slow path: the unlocked test
// reads the thread's own pointer, the shared one is only touched under the
// lock.
Settings *g_shared_settings = nullptr;
std::mutex g_settings_mu;
thread_local Settings *t_settings = nullptr;

Settings *settings_cached_ok() {
  if (t_settings)
    return t_settings;
  std::lock_guard<std::mutex> g(g_settings_mu);
  if (!g_shared_settings)
    g_shared_settings = new Settings(load_settings());
  t_settings = g_shared_settings;
  return t_settings;
}

// A thread_local lazily built object: each thread has its own, the lock is
// not even needed.
thread_local Settings *t_private = nullptr;

Settings *private_settings_ok() {
  if (!t_private) {
    std::lock_guard<std::mutex> g(g_settings_mu);
    if (!t_private)
      t_private = new Settings(load_settings());
  }
  return t_private;
}

int main() {
  Table table("/var/db/index");
  auto work = [&table] {
    Widget::instance()->draw();
    Widget::instance_early_return()->draw();
    widget_ok().draw();
    (void)Lazy<Fonts>::get();
    (void)Lazy<Colors>::get();
    (void)Registry::get();
    (void)table.index();
    (void)table.index_locked_ok();
    (void)table.index_once_ok();
    (void)table.index_atomic_ok();
    (void)table.index_atomic_direct_ok();
    (void)table.index_build_unlocked_ok();
    (void)table.index_flagged_ok();
    (void)settings_ok();
    (void)settings_cached_ok();
    (void)private_settings_ok();
  };
  std::thread a(work);
  std::thread b(work);
  a.join();
  b.join();
  return 0;
}
