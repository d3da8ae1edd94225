// std::recursive_mutex and std::recursive_timed_mutex are made to be
// re-entered by the thread that holds them: never reported, directly or
// through calls. A plain mutex next to them still is.
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

// --------------------------------- a widget tree with re-entrant calls --

class Widget {
public:
  void set_visible(bool v) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    visible_ = v;
    for (Widget *c : children_)
      c->set_visible(v);
  }

  void resize(int w, int h) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    w_ = w;
    h_ = h;
  }

  // Calls set_visible() and resize() on itself while holding mu_.
  void show_at_ok(int w, int h) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    resize(w, h);
    set_visible(true);
  }

  // Direct re-entry.
  int area_ok() {
    std::lock_guard<std::recursive_mutex> outer(mu_);
    std::unique_lock<std::recursive_mutex> inner(mu_);
    return w_ * h_;
  }

  // Manual re-entry.
  void toggle_ok() {
    mu_.lock();
    mu_.lock();
    visible_ = !visible_;
    mu_.unlock();
    mu_.unlock();
  }

  // The layout cache beside it is a plain mutex: re-entering it is a bug.
  void relayout_bad() {
    std::lock_guard<std::recursive_mutex> l(mu_);
    std::lock_guard<std::mutex> c(layout_mu_);
    layout_.clear();
    invalidate_layout(); // expect: threadlint-recursive-lock "call to 'Widget::invalidate_layout' acquires 'Widget::layout_mu_', which is already held"
  }

  void relayout_ok() {
    std::lock_guard<std::recursive_mutex> l(mu_);
    invalidate_layout();
    resize(w_, h_);
  }

private:
  void invalidate_layout() {
    std::lock_guard<std::mutex> c(layout_mu_);
    layout_.clear();
  }

  std::recursive_mutex mu_;
  std::mutex layout_mu_;
  std::vector<Widget *> children_;
  std::vector<int> layout_;
  bool visible_ = true;
  int w_ = 0, h_ = 0;
};

// ------------------------------------- std::recursive_timed_mutex --

std::recursive_timed_mutex g_journal_mu;
std::vector<std::string> g_journal;

static void journal_append(const std::string &line) {
  std::lock_guard<std::recursive_timed_mutex> l(g_journal_mu);
  g_journal.push_back(line);
}

void journal_batch_ok(const std::vector<std::string> &lines) {
  std::lock_guard<std::recursive_timed_mutex> l(g_journal_mu);
  for (const std::string &s : lines)
    journal_append(s);
}

bool journal_try_batch_ok(const std::vector<std::string> &lines) {
  std::unique_lock<std::recursive_timed_mutex> l(g_journal_mu,
                                                 std::chrono::milliseconds(10));
  if (!l.owns_lock())
    return false;
  for (const std::string &s : lines)
    journal_append(s);
  return true;
}

// A recursive mutex locked through a wrapper, twice.
void lock_journal() { g_journal_mu.lock(); }
void unlock_journal() { g_journal_mu.unlock(); }

void journal_nested_ok() {
  lock_journal();
  lock_journal();
  g_journal.push_back("nested");
  unlock_journal();
  unlock_journal();
}

// ------------------------------------------ a plain mutex beside them --

std::recursive_mutex g_tree_mu;
std::mutex g_count_mu;
int g_count;

void count_nodes_bad() {
  std::lock_guard<std::recursive_mutex> t(g_tree_mu);
  std::lock_guard<std::recursive_mutex> t2(g_tree_mu);
  std::lock_guard<std::mutex> c(g_count_mu);
  ++g_count;
  std::lock_guard<std::mutex> c2(g_count_mu); // expect: threadlint-recursive-lock "'g_count_mu' acquired while it is already held"
}

int count_nodes_ok() {
  std::lock_guard<std::recursive_mutex> t(g_tree_mu);
  std::lock_guard<std::recursive_mutex> t2(g_tree_mu);
  std::lock_guard<std::mutex> c(g_count_mu);
  return g_count;
}

// A pthread mutex made recursive by its static initialiser, in a namespace.
#include <pthread.h>
namespace registry {
pthread_mutex_t g_registry_mu = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
int g_entries;
} // namespace registry

void registry_reenter_ok() {
  pthread_mutex_lock(&registry::g_registry_mu);
  pthread_mutex_lock(&registry::g_registry_mu);
  ++registry::g_entries;
  pthread_mutex_unlock(&registry::g_registry_mu);
  pthread_mutex_unlock(&registry::g_registry_mu);
}
