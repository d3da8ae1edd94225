// A non-recursive mutex acquired again while the same thread holds it, in
// one function: std::mutex and std::timed_mutex through guards and manual
// lock(). Negative cases: the lock released (scope end, unlock()) before the
// second acquisition, two different locks, and one acquisition per path.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

// ------------------------------------------------ a session registry --

std::mutex g_sessions_mu;
std::map<int, std::string> g_sessions;

void add_session_bad(int id, const std::string &user) {
  std::lock_guard<std::mutex> lock(g_sessions_mu); // expect-note: "'g_sessions_mu' acquired here"
  g_sessions[id] = user;
  // A copy-paste leftover: the same lock again.
  std::lock_guard<std::mutex> again(g_sessions_mu); // expect: threadlint-recursive-lock "'g_sessions_mu' acquired while it is already held: a non-recursive mutex deadlocks on itself"
  g_sessions.erase(-1);
}

void add_session_ok(int id, const std::string &user) {
  std::lock_guard<std::mutex> lock(g_sessions_mu);
  g_sessions[id] = user;
}

// Two guards of the same lock in sequential scopes.
void rename_session_ok(int id, const std::string &user) {
  {
    std::lock_guard<std::mutex> lock(g_sessions_mu);
    g_sessions.erase(id);
  }
  {
    std::lock_guard<std::mutex> lock(g_sessions_mu);
    g_sessions[id] = user;
  }
}

// ----------------------------------------------- manual lock()/unlock() --

std::mutex g_queue_mu;
std::vector<int> g_queue;

// Forgets that the early exit path above already locked.
int pop_bad() {
  g_queue_mu.lock();
  if (g_queue.empty()) {
    g_queue_mu.lock(); // expect: threadlint-recursive-lock "'g_queue_mu' acquired while it is already held"
    g_queue_mu.unlock();
    return -1;
  }
  int v = g_queue.back();
  g_queue.pop_back();
  g_queue_mu.unlock();
  return v;
}

int pop_ok() {
  g_queue_mu.lock();
  if (g_queue.empty()) {
    g_queue_mu.unlock();
    return -1;
  }
  int v = g_queue.back();
  g_queue.pop_back();
  g_queue_mu.unlock();
  return v;
}

// Unlocked, then locked again.
void push_twice_ok(int a, int b) {
  g_queue_mu.lock();
  g_queue.push_back(a);
  g_queue_mu.unlock();
  g_queue_mu.lock();
  g_queue.push_back(b);
  g_queue_mu.unlock();
}

// ------------------------------------------------ std::unique_lock --

std::mutex g_jobs_mu;
std::vector<std::string> g_jobs;

// A guard holds the lock; the manual lock() below is a second acquisition.
void submit_bad(const std::string &job) {
  std::unique_lock<std::mutex> lk(g_jobs_mu);
  g_jobs.push_back(job);
  g_jobs_mu.lock(); // expect: threadlint-recursive-lock "'g_jobs_mu' acquired while it is already held"
  g_jobs.push_back(job + ".retry");
  g_jobs_mu.unlock();
}

// unlock() through the guard, then a new guard.
void submit_ok(const std::string &job) {
  std::unique_lock<std::mutex> lk(g_jobs_mu);
  g_jobs.push_back(job);
  lk.unlock();
  std::lock_guard<std::mutex> again(g_jobs_mu);
  g_jobs.push_back(job + ".retry");
}

// The guard unlocked and re-locked by itself.
void submit_relock_ok(const std::string &job) {
  std::unique_lock<std::mutex> lk(g_jobs_mu);
  g_jobs.push_back(job);
  lk.unlock();
  lk.lock();
  g_jobs.push_back(job + ".2");
}

// A moved guard still holds the lock.
void submit_moved_bad(const std::string &job) {
  std::unique_lock<std::mutex> lk(g_jobs_mu);
  std::unique_lock<std::mutex> owner(std::move(lk));
  g_jobs_mu.lock(); // expect: threadlint-recursive-lock "'g_jobs_mu' acquired while it is already held"
  g_jobs.push_back(job);
  g_jobs_mu.unlock();
}

// A deferred guard: locked once, by lock().
void submit_deferred_ok(const std::string &job) {
  std::unique_lock<std::mutex> lk(g_jobs_mu, std::defer_lock);
  g_jobs.reserve(16);
  lk.lock();
  g_jobs.push_back(job);
}

// An adopting guard takes over the lock the thread holds: not a second
// acquisition.
void submit_adopt_ok(const std::string &job) {
  g_jobs_mu.lock();
  std::lock_guard<std::mutex> lk(g_jobs_mu, std::adopt_lock);
  g_jobs.push_back(job);
}

// -------------------------------------------------- std::timed_mutex --

std::timed_mutex g_device_mu;
int g_device_state;

void reset_device_bad() {
  std::lock_guard<std::timed_mutex> l(g_device_mu);
  g_device_state = 0;
  std::unique_lock<std::timed_mutex> again(g_device_mu); // expect: threadlint-recursive-lock "'g_device_mu' acquired while it is already held"
  g_device_state = 1;
}

void reset_device_ok() {
  std::lock_guard<std::timed_mutex> l(g_device_mu);
  g_device_state = 0;
}

// A timed attempt with nothing held, then the lock released.
bool poll_device_ok() {
  if (!g_device_mu.try_lock_for(std::chrono::milliseconds(1)))
    return false;
  int state = g_device_state;
  g_device_mu.unlock();
  return state != 0;
}

// ---------------------------------------------------- scoped_lock --

std::mutex g_a_mu, g_b_mu;
long g_a, g_b;

// The scoped_lock takes g_a_mu again.
void rebalance_bad() {
  std::lock_guard<std::mutex> a(g_a_mu);
  std::scoped_lock both(g_a_mu, g_b_mu); // expect: threadlint-recursive-lock "'g_a_mu' acquired while it is already held"
  g_a = g_b = (g_a + g_b) / 2;
}

void rebalance_ok() {
  std::scoped_lock both(g_a_mu, g_b_mu);
  g_a = g_b = (g_a + g_b) / 2;
}

// Two different locks, nested.
void move_a_to_b_ok() {
  std::lock_guard<std::mutex> a(g_a_mu);
  std::lock_guard<std::mutex> b(g_b_mu);
  g_b += g_a;
  g_a = 0;
}

// ------------------------------------------ one acquisition per path --

// Locked on either branch, never both.
void log_either_ok(bool urgent, const std::string &msg) {
  if (urgent) {
    std::lock_guard<std::mutex> l(g_sessions_mu);
    g_sessions[0] = msg;
  } else {
    std::lock_guard<std::mutex> l(g_sessions_mu);
    g_sessions[1] = msg;
  }
}

// An early return releases the guard before the loop's next acquisition.
int count_until_ok(int limit) {
  int n = 0;
  for (int i = 0; i < limit; ++i) {
    std::lock_guard<std::mutex> l(g_queue_mu);
    if (g_queue.empty())
      return n;
    n += g_queue.back();
  }
  return n;
}

// ------------------------------------------------ condition variables --

// A bounded queue: the waits release the lock and take it back inside
// wait(); the guard then releases it once.
std::mutex g_bq_mu;
std::condition_variable g_bq_not_empty, g_bq_not_full;
std::vector<int> g_bq;

void bq_push_ok(int v) {
  std::unique_lock<std::mutex> lk(g_bq_mu);
  g_bq_not_full.wait(lk, [] { return g_bq.size() < 64; });
  g_bq.push_back(v);
  lk.unlock();
  g_bq_not_empty.notify_one();
}

int bq_pop_ok() {
  std::unique_lock<std::mutex> lk(g_bq_mu);
  while (g_bq.empty())
    g_bq_not_empty.wait(lk);
  int v = g_bq.back();
  g_bq.pop_back();
  g_bq_not_full.notify_one();
  return v;
}

bool bq_pop_for_ok(int &out) {
  std::unique_lock<std::mutex> lk(g_bq_mu);
  if (!g_bq_not_empty.wait_for(lk, std::chrono::milliseconds(10),
                               [] { return !g_bq.empty(); }))
    return false;
  out = g_bq.back();
  g_bq.pop_back();
  return true;
}

// Waits, then takes the lock again by hand: wait() returned holding it.
void bq_drain_bad() {
  std::unique_lock<std::mutex> lk(g_bq_mu);
  g_bq_not_empty.wait(lk, [] { return !g_bq.empty(); });
  g_bq_mu.lock(); // expect: threadlint-recursive-lock "'g_bq_mu' acquired while it is already held"
  g_bq.clear();
  g_bq_mu.unlock();
}

// ----------------------------------------- constructors and destructors --

class Connection {
public:
  explicit Connection(int fd) {
    std::lock_guard<std::mutex> l(mu_);
    fd_ = fd;
  }
  ~Connection() {
    std::lock_guard<std::mutex> l(mu_);
    fd_ = -1;
  }

  // Closes through a copy of the state, one lock at a time.
  int reopen_ok(int fd) {
    int old;
    {
      std::lock_guard<std::mutex> l(mu_);
      old = fd_;
    }
    std::lock_guard<std::mutex> l(mu_);
    fd_ = fd;
    return old;
  }

private:
  std::mutex mu_;
  int fd_ = -1;
};

// Constructs a Connection (which locks its own, new mutex) while holding
// the registry lock: a different mutex.
std::mutex g_conn_registry_mu;
std::vector<Connection *> g_conns;

void open_connection_ok(int fd) {
  std::lock_guard<std::mutex> l(g_conn_registry_mu);
  g_conns.push_back(new Connection(fd));
}

// ------------------------------------------------ a loop with a leak --

// The `continue` leaves g_queue_mu locked, so the next iteration's lock()
// deadlocks.
void FN_drain_skipping_negatives() {
  for (int i = 0; i < 8; ++i) {
    g_queue_mu.lock();
    if (!g_queue.empty() && g_queue.back() < 0)
      continue;
    // missed: the lock above is held at the loop head only on the path
    // through `continue`, not on every path, so the second iteration's
    // lock() is not reported.
    if (!g_queue.empty())
      g_queue.pop_back();
    g_queue_mu.unlock();
  }
}
