// Early exits in other shapes of code: a return inside an error-checking
// macro, a function template (reported once, however many times it is
// instantiated), a lambda that locks and returns early, a return from a
// nested loop, a std::recursive_mutex, an element of an array of mutexes,
// a user class with lock()/unlock(), and a throw from a catch handler.
// Negative cases: the same with the unlock in the macro, [[noreturn]]
// error functions, timed try-locks that failed, a std::unique_lock that
// gives its mutex away with release(), and a loop whose early return
// unlocks.
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

std::mutex g_mu;
std::timed_mutex g_tmu;
std::recursive_mutex g_rmu;
std::mutex g_stripes[8];
std::vector<int> g_items;

// ------------------------------------------------------------- macros --

#define RETURN_IF(cond, v)                                                     \
  do {                                                                         \
    if (cond)                                                                  \
      return (v);                                                              \
  } while (0)

#define UNLOCK_RETURN_IF(mu, cond, v)                                          \
  do {                                                                         \
    if (cond) {                                                                \
      (mu).unlock();                                                           \
      return (v);                                                              \
    }                                                                          \
  } while (0)

int push_checked_bad(int v) {
  g_mu.lock(); // expect-note: "is locked here"
  RETURN_IF(v < 0, -1); // expect: threadlint-lock-leak "'g_mu' (locked at line 42) is still held when the function returns here"
  g_items.push_back(v);
  g_mu.unlock();
  return 0;
}

int push_checked_ok(int v) {
  g_mu.lock();
  UNLOCK_RETURN_IF(g_mu, v < 0, -1);
  g_items.push_back(v);
  g_mu.unlock();
  return 0;
}

// ---------------------------------------------------------- templates --

template <class Mutex> int pop_into(Mutex &m, std::vector<int> &q, int &out) {
  m.lock(); // expect-note: "is locked here"
  if (q.empty())
    return -1; // expect: threadlint-lock-leak "'m' (locked at line 60) is still held when the function returns here"
  out = q.back();
  q.pop_back();
  m.unlock();
  return 0;
}

template <class Mutex>
int pop_into_ok(Mutex &m, std::vector<int> &q, int &out) {
  std::lock_guard<Mutex> g(m);
  if (q.empty())
    return -1;
  out = q.back();
  q.pop_back();
  return 0;
}

int pop_both(std::vector<int> &a, std::vector<int> &b) {
  int x = 0, y = 0;
  pop_into(g_mu, a, x);
  pop_into(g_tmu, b, y);
  pop_into_ok(g_mu, a, x);
  pop_into_ok(g_tmu, b, y);
  return x + y;
}

// ------------------------------------------------------------ lambdas --

void start_pushers() {
  auto push = [](int v) {
    g_mu.lock(); // expect-note: "is locked here"
    if (v < 0)
      return; // expect: threadlint-lock-leak "'g_mu' (locked at line 92) is still held when the function returns here"
    g_items.push_back(v);
    g_mu.unlock();
  };
  auto push_ok = [](int v) {
    std::lock_guard<std::mutex> g(g_mu);
    if (v < 0)
      return;
    g_items.push_back(v);
  };
  std::thread a(push, 1);
  std::thread b(push_ok, 2);
  a.join();
  b.join();
}

// ------------------------------------------------------ nested loops --

int find_bad(const std::vector<std::vector<int>> &rows, int key) {
  g_mu.lock(); // expect-note: "is locked here"
  for (const auto &r : rows)
    for (int v : r)
      if (v == key)
        return v; // expect: threadlint-lock-leak "'g_mu' (locked at line 113) is still held when the function returns here"
  g_mu.unlock();
  return -1;
}

// The early return inside the loop unlocks; the loop never ends otherwise.
void fill_ok(int n) {
  for (;;) {
    g_mu.lock();
    if (static_cast<int>(g_items.size()) >= n) {
      g_mu.unlock();
      return;
    }
    g_items.push_back(n);
    g_mu.unlock();
  }
}

// ----------------------------------------------------- other mutexes --

// A recursive mutex is released once per lock(): one exit without the
// unlock leaves it locked for every other thread.
int visit_bad(int depth) {
  g_rmu.lock(); // expect-note: "is locked here"
  if (depth > 16)
    return -1; // expect: threadlint-lock-leak "'g_rmu' (locked at line 140) is still held when the function returns here"
  if (depth > 0)
    visit_bad(depth - 1);
  g_rmu.unlock();
  return 0;
}

int stripe_add_bad(int i, int v) {
  g_stripes[i % 8].lock(); // expect-note: "is locked here"
  if (v < 0)
    return -1; // expect: threadlint-lock-leak "(locked at line 150) is still held when the function returns here"
  g_items.push_back(v);
  g_stripes[i % 8].unlock();
  return 0;
}

// A lock type recognised by its lock() and unlock() members.
class SpinLock {
public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire))
      std::this_thread::yield();
  }
  void unlock() { flag_.clear(std::memory_order_release); }

private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

SpinLock g_spin;

int spin_push_bad(int v) {
  g_spin.lock(); // expect-note: "is locked here"
  if (v < 0)
    return -1; // expect: threadlint-lock-leak "'g_spin' (locked at line 174) is still held when the function returns here"
  g_items.push_back(v);
  g_spin.unlock();
  return 0;
}

// -------------------------------------------------------- exceptions --

// The handler translates the exception; the new one leaves with g_mu held.
void parse_bad(int v) {
  g_mu.lock(); // expect-note: "is locked here"
  try {
    if (v < 0)
      throw std::invalid_argument("negative");
    g_items.push_back(v);
  } catch (const std::invalid_argument &e) {
    throw std::runtime_error(e.what()); // expect: threadlint-lock-leak "'g_mu' (locked at line 186) is still held when the exception leaves the function here"
  }
  g_mu.unlock();
}

// ---------------------------------------------------------- negatives --

[[noreturn]] void fatal(const char *what);

void check_ok(int v) {
  g_mu.lock();
  if (v < 0)
    fatal("negative item");
  g_items.push_back(v);
  g_mu.unlock();
}

bool timed_push_ok(int v) {
  if (!g_tmu.try_lock_for(10ms))
    return false;
  g_items.push_back(v);
  g_tmu.unlock();
  return true;
}

// The unique_lock gives its mutex to the caller on one path (release()),
// and its destructor unlocks it on the other.
std::mutex *claim_ok(bool keep) {
  std::unique_lock<std::mutex> lk(g_mu);
  if (keep) {
    lk.release();
    return &g_mu;
  }
  g_items.clear();
  return nullptr;
}
