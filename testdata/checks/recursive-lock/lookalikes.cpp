// Things that look like taking a lock twice but are not: weak_ptr::lock(),
// std::call_once, counting semaphores, a "lock" method with arguments, and
// file locks. None of them is a mutex held by the thread.
#include <atomic>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

// --------------------------------------------- std::weak_ptr::lock() --

struct Session {
  std::string user;
};

std::weak_ptr<Session> g_current;

std::string current_user_twice_ok() {
  std::shared_ptr<Session> a = g_current.lock();
  std::shared_ptr<Session> b = g_current.lock();
  return (a ? a->user : "") + (b ? b->user : "");
}

// --------------------------------------------------- std::call_once --

std::once_flag g_init_once;
std::vector<int> g_table;

static void init_table() { g_table.assign(256, 0); }

void ensure_table_twice_ok() {
  std::call_once(g_init_once, init_table);
  std::call_once(g_init_once, init_table);
}

// --------------------------------------------- counting semaphores --

std::counting_semaphore<8> g_slots(8);

void reserve_two_slots_ok() {
  g_slots.acquire();
  g_slots.acquire();
  g_slots.release(2);
}

// ------------------------------------------- a "lock" that is not one --

// An account whose lock(reason) freezes it; a method with arguments is not
// a BasicLockable lock() and the class is not a lock type.
class FrozenAccount {
public:
  void lock(const std::string &reason) { reasons_.push_back(reason); }
  void unlock(const std::string &reason) { reasons_.push_back("-" + reason); }

private:
  std::vector<std::string> reasons_;
};

void freeze_twice_ok(FrozenAccount &a) {
  a.lock("fraud");
  a.lock("chargeback");
  a.unlock("fraud");
}

// ----------------------------------------------------------- flock --

// Advisory file locks: another process's business, and re-locking a file
// the process already holds is allowed (it converts the lock).
void upgrade_file_lock_ok(int fd) {
  flock(fd, LOCK_SH);
  flock(fd, LOCK_EX);
  flock(fd, LOCK_UN);
}

// -------------------------- an atomic flag used as a one-shot latch --

std::atomic_flag g_started = ATOMIC_FLAG_INIT;

bool start_once_ok() {
  if (g_started.test_and_set())
    return false;
  return !g_started.test_and_set();
}

// --------------------------------- a real mutex next to the lookalikes --

std::mutex g_session_mu;

void swap_session_bad(std::shared_ptr<Session> s) {
  std::lock_guard<std::mutex> l(g_session_mu);
  std::shared_ptr<Session> old = g_current.lock();
  g_current = s;
  g_session_mu.lock(); // expect: threadlint-recursive-lock "'g_session_mu' acquired while it is already held"
  g_session_mu.unlock();
}

void swap_session_ok(std::shared_ptr<Session> s) {
  std::lock_guard<std::mutex> l(g_session_mu);
  std::shared_ptr<Session> old = g_current.lock();
  g_current = s;
}
