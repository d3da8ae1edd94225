// Functions that return holding a lock on purpose, and locks handed over to
// someone else. All silent: lock wrappers that lock on every path (with and
// without ACQUIRE annotations), conditional-acquire functions whose last exit
// returns holding the lock after an early error exit released it, try-lock
// wrappers that return true holding the lock, a TRY_ACQUIRE-annotated
// function, a lock adopted by std::lock_guard / std::unique_lock, and
// correlated conditions (the lock is taken and released under the same
// test). The positives are the near-misses: the same shapes where an early
// exit keeps the lock that the last exit releases.
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define TRY_ACQUIRE(...) __attribute__((try_acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))

void work();
void flush_rows(const std::vector<int> &rows);

class Table {
public:
  // ------------------------------------------------- lock wrappers --

  // Lock both, in the table's order; unlock_all() releases them.
  void lock_all_ok() {
    rows_mu_.lock();
    index_mu_.lock();
  }
  void unlock_all_ok() {
    index_mu_.unlock();
    rows_mu_.unlock();
  }

  void lock_rows_ok() ACQUIRE(rows_mu_) { rows_mu_.lock(); }
  void unlock_rows_ok() RELEASE(rows_mu_) { rows_mu_.unlock(); }

  // Annotated: returns holding rows_mu_ on every path, and index_mu_ too
  // when asked.
  void lock_for_write_ok(bool with_index)
      __attribute__((acquire_capability(rows_mu_))) {
    rows_mu_.lock();
    if (!with_index)
      return;
    index_mu_.lock();
  }

  // ---------------------------------------- conditional acquisition --

  // Returns true holding rows_mu_ (the caller calls end_update()); false
  // after releasing it.
  bool begin_update_ok(int row) {
    rows_mu_.lock();
    if (row < 0 || row >= static_cast<int>(rows_.size())) {
      rows_mu_.unlock();
      return false;
    }
    return true;
  }
  void end_update_ok() { rows_mu_.unlock(); }

  // A try-lock wrapper: true means the caller holds rows_mu_.
  bool try_enter_ok() {
    if (!rows_mu_.try_lock())
      return false;
    if (frozen_) {
      rows_mu_.unlock();
      return false;
    }
    return true;
  }

  // Annotated as a try-acquire: true means rows_mu_ is held. Here the last
  // exit is the one that releases it, which the annotation explains.
  bool reserve_ok(int n) TRY_ACQUIRE(true, rows_mu_) {
    rows_mu_.lock();
    if (free_ >= n) {
      free_ -= n;
      return true;
    }
    rows_mu_.unlock();
    return false;
  }

  // ------------------------------------------------------- hand-offs --

  // The manual lock is adopted by a guard: the guard releases it on the
  // early return.
  void set_row_ok(int row, int v) {
    rows_mu_.lock();
    std::lock_guard<std::mutex> g(rows_mu_, std::adopt_lock);
    if (row < 0 || row >= static_cast<int>(rows_.size()))
      return;
    rows_[row] = v;
  }

  int take_row_ok(int row) {
    rows_mu_.lock();
    std::unique_lock<std::mutex> lk(rows_mu_, std::adopt_lock);
    if (row < 0 || row >= static_cast<int>(rows_.size()))
      throw std::out_of_range("row");
    int v = rows_[row];
    rows_[row] = 0;
    lk.unlock();
    return v;
  }

  void merge_ok(Table &other) {
    std::lock(rows_mu_, other.rows_mu_);
    std::lock_guard<std::mutex> mine(rows_mu_, std::adopt_lock);
    std::lock_guard<std::mutex> theirs(other.rows_mu_, std::adopt_lock);
    if (other.rows_.empty())
      return;
    rows_.insert(rows_.end(), other.rows_.begin(), other.rows_.end());
    other.rows_.clear();
  }

  // ------------------------------------------- the shapes gone wrong --

  // Like begin_update_ok(), but the check comes after the work: the early
  // return keeps rows_mu_ while the last exit releases it.
  int append_bad(int v) {
    rows_mu_.lock(); // expect-note: "is locked here"
    rows_.push_back(v);
    if (rows_.size() > 1024)
      return -1; // expect: threadlint-lock-leak "'Table::rows_mu_' (locked at line 124) is still held when the function returns here; the other paths unlock it (line 129), and every later lock of it waits forever; use std::lock_guard or std::unique_lock so that every path releases it"
    free_ = 1024 - static_cast<int>(rows_.size());
    rows_mu_.unlock(); // expect-note: "unlocked here"
    return 0;
  }

  // Two locks, both released at the end; the early return keeps both.
  int reindex_bad() {
    rows_mu_.lock(); // expect-note: "is locked here"
    index_mu_.lock(); // expect-note: "is locked here"
    if (frozen_)
      return -1; // expect: threadlint-lock-leak "'Table::rows_mu_' (locked at line 135) is still held when the function returns here; the other paths unlock it (line 141), and every later lock of it waits forever" // expect: threadlint-lock-leak "'Table::index_mu_' (locked at line 136) is still held when the function returns here; the other paths unlock it (line 140), and every later lock of it waits forever"
    index_.assign(rows_.begin(), rows_.end());
    index_mu_.unlock();
    rows_mu_.unlock();
    return 0;
  }

  void flush_ok() {
    rows_mu_.lock();
    std::vector<int> copy = rows_;
    rows_mu_.unlock();
    flush_rows(copy);
  }

private:
  std::mutex rows_mu_;
  std::mutex index_mu_;
  std::vector<int> rows_;
  std::vector<int> index_;
  int free_ = 1024;
  bool frozen_ = false;
};

// ------------------------------------------ correlated conditions --

std::mutex g_mu;
int g_total = 0;

// Taken and released under the same test: never held on every path to an
// exit.
void add_maybe_locked_ok(bool shared, int v) {
  if (shared)
    g_mu.lock();
  g_total += v;
  if (shared)
    g_mu.unlock();
}

int add_checked_maybe_locked_ok(bool shared, int v) {
  if (v < 0)
    return -1;
  if (shared)
    g_mu.lock();
  g_total += v;
  if (shared)
    g_mu.unlock();
  return g_total;
}

// With shared == true and v < 0, g_mu stays locked: but the lock is held on
// only some paths to the early return (not when shared is false), and the
// rule reports locks held on every path to an exit.
int FN_add_early_return_maybe_locked(bool shared, int v) {
  if (shared)
    g_mu.lock();
  if (v < 0)
    return -1;
  g_total += v;
  if (shared)
    g_mu.unlock();
  return g_total;
}

// Never unlocked at all: the function has the shape of a lock wrapper
// (lock_all_ok()), so it is taken to return holding the lock on purpose.
void FN_forgot_unlock(int v) {
  g_mu.lock();
  g_total += v;
}

// --------------------------------------------------------- threads --

void run_table_workers() {
  Table a, b;
  std::thread t1([&] {
    if (a.begin_update_ok(1))
      a.end_update_ok();
    if (a.try_enter_ok())
      a.unlock_rows_ok();
    a.lock_all_ok();
    a.unlock_all_ok();
    a.set_row_ok(0, 1);
    a.append_bad(3);
    add_maybe_locked_ok(true, 1);
  });
  std::thread t2([&] {
    b.merge_ok(a);
    b.reindex_bad();
    b.flush_ok();
    add_checked_maybe_locked_ok(true, 2);
  });
  t1.join();
  t2.join();
}
