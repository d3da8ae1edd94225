// Try-locks never wait, so a try on a lock the thread holds is not a
// self-deadlock (for a pthread mutex it returns EBUSY; for std::mutex the
// standard makes it undefined, so the re-entrant try below uses pthreads).
// A lock held because a try succeeded is held like any other: a blocking
// acquisition of it afterwards is reported.
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <pthread.h>

// ------------------------------- a re-entrancy guard on a pthread mutex --

pthread_mutex_t g_flush_mu = PTHREAD_MUTEX_INITIALIZER;
std::vector<std::string> g_pending;

// A flush that may be re-entered from a callback while the lock is held:
// the trylock returns EBUSY and the nested flush is skipped.
void flush_ok() {
  if (pthread_mutex_trylock(&g_flush_mu) != 0)
    return;
  g_pending.clear();
  pthread_mutex_unlock(&g_flush_mu);
}

void flush_from_callback_ok() {
  pthread_mutex_lock(&g_flush_mu);
  g_pending.push_back("callback");
  if (pthread_mutex_trylock(&g_flush_mu) == 0)
    pthread_mutex_unlock(&g_flush_mu);
  pthread_mutex_unlock(&g_flush_mu);
}

// A timed lock on a held mutex gives up at the deadline.
int flush_timed_ok(const struct timespec *deadline) {
  pthread_mutex_lock(&g_flush_mu);
  int rc = pthread_mutex_timedlock(&g_flush_mu, deadline);
  if (rc == 0)
    pthread_mutex_unlock(&g_flush_mu);
  pthread_mutex_unlock(&g_flush_mu);
  return rc;
}

// ------------------------------------- a lock won by a try, then taken --

std::mutex g_stats_mu;
std::map<std::string, long> g_stats;

// The try succeeded: the lock is held, and lock() waits for itself.
void sample_bad(const std::string &k) {
  if (!g_stats_mu.try_lock())
    return;
  ++g_stats[k];
  g_stats_mu.lock(); // expect: threadlint-recursive-lock "'g_stats_mu' acquired while it is already held"
  g_stats_mu.unlock();
  g_stats_mu.unlock();
}

// The try failed: nothing is held on that path, and lock() is the first
// acquisition.
void sample_or_wait_ok(const std::string &k) {
  if (!g_stats_mu.try_lock())
    g_stats_mu.lock();
  ++g_stats[k];
  g_stats_mu.unlock();
}

// try_to_lock, then a blocking lock only when it failed.
void sample_guard_ok(const std::string &k) {
  std::unique_lock<std::mutex> l(g_stats_mu, std::try_to_lock);
  if (!l.owns_lock())
    l.lock();
  ++g_stats[k];
}

// try_to_lock succeeded, then a lock_guard of the same mutex.
void sample_guard_bad(const std::string &k) {
  std::unique_lock<std::mutex> l(g_stats_mu, std::try_to_lock);
  if (l.owns_lock()) {
    std::lock_guard<std::mutex> again(g_stats_mu); // expect: threadlint-recursive-lock "'g_stats_mu' acquired while it is already held"
    ++g_stats[k];
  }
}

// Released after the try, then locked.
void sample_twice_ok(const std::string &k) {
  if (g_stats_mu.try_lock()) {
    ++g_stats[k];
    g_stats_mu.unlock();
  }
  std::lock_guard<std::mutex> l(g_stats_mu);
  ++g_stats[k + ".total"];
}

// ------------------------------------------------- timed mutexes --

std::timed_mutex g_port_mu;
int g_port_owner;

bool claim_port_ok(int who) {
  std::unique_lock<std::timed_mutex> l(g_port_mu, std::chrono::milliseconds(50));
  if (!l)
    return false;
  g_port_owner = who;
  return true;
}

// Won with try_lock_for, then locked again.
void claim_port_bad(int who) {
  if (!g_port_mu.try_lock_for(std::chrono::milliseconds(50)))
    return;
  g_port_owner = who;
  std::lock_guard<std::timed_mutex> l(g_port_mu); // expect: threadlint-recursive-lock "'g_port_mu' acquired while it is already held"
}

// ------------------------------------------------ std::try_lock --

std::mutex g_left_mu, g_right_mu;
int g_left, g_right;

bool swap_sides_ok() {
  if (std::try_lock(g_left_mu, g_right_mu) != -1)
    return false;
  std::swap(g_left, g_right);
  g_right_mu.unlock();
  g_left_mu.unlock();
  return true;
}

// std::try_lock returned -1: both are held; locking the left again hangs.
void FN_swap_sides() {
  if (std::try_lock(g_left_mu, g_right_mu) != -1)
    return;
  // missed: std::try_lock(a, b) is not modelled as acquiring its arguments
  // when it returns -1, so g_left_mu is not known to be held here.
  std::lock_guard<std::mutex> l(g_left_mu);
  std::swap(g_left, g_right);
}
