// Recursive mutexes and the same lock taken twice. Re-entering a
// std::recursive_mutex the thread already holds never waits, so it orders
// nothing; taking the same non-recursive lock twice is recursive-lock's
// finding, not a lock order. A recursive mutex taken for the first time
// still waits like any other, and can be part of a cycle.
#include <map>
#include <mutex>
#include <string>
#include <vector>

// ------------------------------ a recursive mutex in a real cycle --

std::recursive_mutex g_scene_mu;
std::mutex g_gpu_mu;
std::vector<int> g_scene;
int g_frames;

// Scene (first acquisition, it waits), then the GPU.
void render_bad() {
  std::lock_guard<std::recursive_mutex> s(g_scene_mu);
  std::lock_guard<std::mutex> g(g_gpu_mu); // expect: threadlint-lock-order "'g_gpu_mu' acquired while holding 'g_scene_mu'; elsewhere 'g_scene_mu' is acquired while holding 'g_gpu_mu'"
  ++g_frames;
}

// GPU, then the scene: a thread in render_bad() holds the scene and waits
// for the GPU; this one holds the GPU and waits for the scene.
void upload_bad(int mesh) {
  std::lock_guard<std::mutex> g(g_gpu_mu);
  std::lock_guard<std::recursive_mutex> s(g_scene_mu);
  g_scene.push_back(mesh);
}

// ----------------------------------------- re-entering a recursive mutex --

// A document model whose public methods lock the recursive mutex and call
// each other.
class Document {
public:
  // The document lock, the index lock, and then a re-entry of the document
  // lock (through set_title()) while the index lock is held. The re-entry
  // does not wait (this thread owns mu_): no index -> document order.
  void import_ok(const std::string &title) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    std::lock_guard<std::mutex> i(index_mu_);
    index_.clear();
    set_title(title);
  }

  void set_title(const std::string &t) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    title_ = t;
  }

  void append(const std::string &para) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    paragraphs_.push_back(para);
  }

  // Re-enters mu_ through set_title() and append(): nothing waits.
  void load_ok(const std::string &title, const std::vector<std::string> &ps) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    set_title(title);
    for (const std::string &p : ps)
      append(p);
  }

  // The same re-entry, directly.
  size_t size_ok() {
    std::lock_guard<std::recursive_mutex> outer(mu_);
    std::lock_guard<std::recursive_mutex> inner(mu_);
    return paragraphs_.size();
  }

  // The document lock, then the index lock: the only order used.
  void reindex_ok() {
    std::lock_guard<std::recursive_mutex> l(mu_);
    std::lock_guard<std::mutex> i(index_mu_);
    index_.clear();
    for (size_t n = 0; n < paragraphs_.size(); ++n)
      index_[paragraphs_[n]] = n;
  }

private:
  std::recursive_mutex mu_;
  std::mutex index_mu_;
  std::string title_;
  std::vector<std::string> paragraphs_;
  std::map<std::string, size_t> index_;
};

// The same false cycle without a call: re-entering the recursive mutex
// while another lock is held.
std::recursive_mutex g_tree_mu;
std::mutex g_tree_stats_mu;
int g_nodes, g_visits;

void relock_in_place_ok() {
  std::lock_guard<std::recursive_mutex> t(g_tree_mu);
  std::lock_guard<std::mutex> s(g_tree_stats_mu);
  ++g_visits;
  // Re-entry: g_tree_mu is already held by this thread and does not wait,
  // yet it is recorded as "g_tree_mu acquired while holding g_tree_stats_mu",
  // closing a cycle with the line above.
  std::lock_guard<std::recursive_mutex> again(g_tree_mu);
  ++g_nodes;
}

// Re-entry with nothing else held in between.
int tree_size_ok() {
  std::lock_guard<std::recursive_mutex> t(g_tree_mu);
  std::lock_guard<std::recursive_mutex> again(g_tree_mu);
  return g_nodes;
}

// ---------------------------------------- the same lock taken twice --

std::mutex g_cfg_mu;
int g_cfg_version;

// Locks g_cfg_mu twice: a self-deadlock that recursive-lock reports; no
// second lock is involved, so there is no lock order here.
void reload_config_twice() {
  std::lock_guard<std::mutex> a(g_cfg_mu);
  std::lock_guard<std::mutex> b(g_cfg_mu);
  ++g_cfg_version;
}

int config_version_ok() {
  std::lock_guard<std::mutex> l(g_cfg_mu);
  return g_cfg_version;
}
