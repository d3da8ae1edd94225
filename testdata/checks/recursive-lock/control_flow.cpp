// Control flow around re-acquisition: loops, early returns, break and
// continue, switch, goto, exceptions and lambdas. A lock is re-acquired
// only if it is still held on every path to the second acquisition.
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

std::mutex g_mu;
std::vector<int> g_items;
std::map<int, std::string> g_names;

// --------------------------------------------------------------- loops --

// A guard per iteration: released at the end of each.
void drain_ok() {
  for (;;) {
    std::lock_guard<std::mutex> l(g_mu);
    if (g_items.empty())
      break;
    g_items.pop_back();
  }
}

// Manual lock()/unlock() balanced on every path through the body,
// including `continue`.
void prune_ok() {
  for (int i = 0; i < 8; ++i) {
    g_mu.lock();
    if (g_items.empty()) {
      g_mu.unlock();
      continue;
    }
    g_items.pop_back();
    g_mu.unlock();
  }
}

// A while loop whose guard is re-created each round.
void wait_for_items_ok(int rounds) {
  while (rounds-- > 0) {
    std::unique_lock<std::mutex> l(g_mu);
    if (!g_items.empty())
      return;
  }
}

// A loop that locks the mutex it already holds on its first round.
void refill_bad(int n) {
  std::lock_guard<std::mutex> l(g_mu);
  for (int i = 0; i < n; ++i) {
    std::lock_guard<std::mutex> again(g_mu); // expect: threadlint-recursive-lock "'g_mu' acquired while it is already held"
    g_items.push_back(i);
  }
}

// ----------------------------------------------------- early returns --

int first_or_default_ok(int dflt) {
  std::unique_lock<std::mutex> l(g_mu);
  if (g_items.empty())
    return dflt;
  int v = g_items.front();
  l.unlock();
  std::lock_guard<std::mutex> again(g_mu);
  g_items.erase(g_items.begin());
  return v;
}

// The unlock() happens only on one branch: the re-lock after the branch is
// reached from the other branch with the lock still held.
void FN_rename_unlocked_on_one_branch(int id, const std::string &name,
                                      bool flush) {
  g_mu.lock();
  g_names[id] = name;
  if (flush)
    g_mu.unlock();
  else
    g_items.push_back(id);
  // missed: g_mu is held here on the !flush path only; the check reports
  // locks held on every path (the "must" set), so this lock() is silent.
  g_mu.lock();
  g_mu.unlock();
}

// ------------------------------------------------------------ switch --

void apply_ok(int op, int v) {
  switch (op) {
  case 0: {
    std::lock_guard<std::mutex> l(g_mu);
    g_items.push_back(v);
    break;
  }
  case 1: {
    std::lock_guard<std::mutex> l(g_mu);
    if (!g_items.empty())
      g_items.pop_back();
    break;
  }
  default:
    break;
  }
  std::lock_guard<std::mutex> after(g_mu);
  g_names[v] = "applied";
}

// --------------------------------------------------------------- goto --

int parse_ok(const std::string &s) {
  int rc = -1;
  g_mu.lock();
  if (s.empty())
    goto out;
  g_names[static_cast<int>(s.size())] = s;
  rc = 0;
out:
  g_mu.unlock();
  std::lock_guard<std::mutex> l(g_mu);
  return rc + static_cast<int>(g_names.size());
}

// --------------------------------------------------------- exceptions --

// The guard's scope ends in the try block; the handler locks afresh.
void store_ok(int id, const std::string &name) {
  try {
    std::lock_guard<std::mutex> l(g_mu);
    if (name.empty())
      throw std::invalid_argument("empty name");
    g_names[id] = name;
  } catch (const std::invalid_argument &) {
    std::lock_guard<std::mutex> l(g_mu);
    g_names.erase(id);
  }
}

// ------------------------------------------------------------ lambdas --

// A lambda that locks, called after the guard's scope.
void visit_ok() {
  auto bump = [] {
    std::lock_guard<std::mutex> l(g_mu);
    g_items.push_back(0);
  };
  {
    std::lock_guard<std::mutex> l(g_mu);
    g_items.clear();
  }
  bump();
}

// A lambda defined under the lock but only stored.
std::function<void()> make_bumper_ok() {
  std::lock_guard<std::mutex> l(g_mu);
  return [] {
    std::lock_guard<std::mutex> inner(g_mu);
    g_items.push_back(1);
  };
}

// A lambda with its own lock of a different mutex.
std::mutex g_other_mu;

void nested_lambda_ok() {
  std::lock_guard<std::mutex> l(g_mu);
  auto other = [] {
    std::lock_guard<std::mutex> o(g_other_mu);
    return 1;
  };
  g_items.push_back(other());
}
