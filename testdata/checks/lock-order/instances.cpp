// Two instances of one class's lock taken in argument order: transfer(a, b)
// locking a.mu_ then b.mu_ deadlocks with a concurrent transfer(b, a).
// Negative cases: both locked at once (std::scoped_lock, std::lock), the
// instances ordered by address or id, a parent/child hierarchy of two
// different fields, locks of locals, and one instance at a time.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

// ------------------------------------------------------------- a bank --

struct Account {
  std::mutex mu_;
  long balance = 0;
  std::uint64_t id = 0;
};

void transfer_bad(Account &from, Account &to, long cents) {
  std::lock_guard<std::mutex> a(from.mu_); // expect-note: "'Account::mu_' of 'from' acquired here"
  std::lock_guard<std::mutex> b(to.mu_); // expect: threadlint-lock-order "'Account::mu_' of 'to' acquired while holding 'Account::mu_' of 'from': a concurrent call with the two swapped deadlocks; acquire both at once with std::scoped_lock"
  from.balance -= cents;
  to.balance += cents;
}

// Through pointers, with manual locking.
bool transfer_ptr_bad(Account *src, Account *dst, long cents) {
  src->mu_.lock();
  if (src->balance < cents) {
    src->mu_.unlock();
    return false;
  }
  dst->mu_.lock(); // expect: threadlint-lock-order "'Account::mu_' of 'dst' acquired while holding 'Account::mu_' of 'src'"
  src->balance -= cents;
  dst->balance += cents;
  dst->mu_.unlock();
  src->mu_.unlock();
  return true;
}

// std::scoped_lock takes both without deadlock, whatever the order.
void transfer_ok(Account &from, Account &to, long cents) {
  std::scoped_lock both(from.mu_, to.mu_);
  from.balance -= cents;
  to.balance += cents;
}

// std::lock + adopting guards: the pre-C++17 spelling.
void transfer_std_lock_ok(Account &from, Account &to, long cents) {
  std::lock(from.mu_, to.mu_);
  std::lock_guard<std::mutex> a(from.mu_, std::adopt_lock);
  std::lock_guard<std::mutex> b(to.mu_, std::adopt_lock);
  from.balance -= cents;
  to.balance += cents;
}

// std::lock over deferred unique_locks.
void transfer_deferred_ok(Account &from, Account &to, long cents) {
  std::unique_lock<std::mutex> a(from.mu_, std::defer_lock);
  std::unique_lock<std::mutex> b(to.mu_, std::defer_lock);
  std::lock(a, b);
  from.balance -= cents;
  to.balance += cents;
}

// The classic fix: a global order on the instances (their addresses). Both
// orders appear in the function, so neither is an argument order.
void ordered_by_address_ok(Account &x, Account &y, long cents) {
  if (&x < &y) {
    std::lock_guard<std::mutex> a(x.mu_);
    std::lock_guard<std::mutex> b(y.mu_);
    x.balance -= cents;
    y.balance += cents;
  } else {
    std::lock_guard<std::mutex> b(y.mu_);
    std::lock_guard<std::mutex> a(x.mu_);
    x.balance -= cents;
    y.balance += cents;
  }
}

// Ordered by a stable id instead of the address.
void ordered_by_id_ok(Account &x, Account &y, long cents) {
  if (x.id < y.id) {
    x.mu_.lock();
    y.mu_.lock();
  } else {
    y.mu_.lock();
    x.mu_.lock();
  }
  x.balance -= cents;
  y.balance += cents;
  y.mu_.unlock();
  x.mu_.unlock();
}

// One account at a time: the debit is released before the credit.
void transfer_two_steps_ok(Account &from, Account &to, long cents) {
  {
    std::lock_guard<std::mutex> a(from.mu_);
    from.balance -= cents;
  }
  std::lock_guard<std::mutex> b(to.mu_);
  to.balance += cents;
}

// Two local accounts no other thread can see.
long local_accounts_ok() {
  Account a, b;
  std::lock_guard<std::mutex> la(a.mu_);
  std::lock_guard<std::mutex> lb(b.mu_);
  a.balance = 10;
  b.balance = 20;
  return a.balance + b.balance;
}

// Debits under from.mu_ and credits through a helper that locks to.mu_:
// the same argument-order pattern, one call deep.
static void credit(Account &acct, long cents) {
  std::lock_guard<std::mutex> l(acct.mu_);
  acct.balance += cents;
}

void FN_transfer_via_helper(Account &from, Account &to, long cents) {
  std::lock_guard<std::mutex> a(from.mu_);
  from.balance -= cents;
  // missed: the two-instances pattern is looked for only among the
  // function's own acquisitions; to.mu_ is taken inside credit(), so
  // FN_transfer_via_helper(a, b) against FN_transfer_via_helper(b, a) is
  // not reported.
  credit(to, cents);
}

// Credits after the debit's lock is released: one lock at a time.
void transfer_via_helper_ok(Account &from, Account &to, long cents) {
  {
    std::lock_guard<std::mutex> a(from.mu_);
    from.balance -= cents;
  }
  credit(to, cents);
}

// Two global accounts locked in opposite orders by two functions.
Account g_checking, g_savings;

void FN_sweep_to_savings(long cents) {
  std::lock_guard<std::mutex> c(g_checking.mu_);
  // missed: a field's lock is one lock for every instance across
  // functions, so g_checking.mu_ -> g_savings.mu_ here and the reverse in
  // FN_top_up_checking() collapse into 'Account::mu_' -> 'Account::mu_',
  // which is not an edge: the cycle between the two globals is not reported.
  std::lock_guard<std::mutex> s(g_savings.mu_);
  g_checking.balance -= cents;
  g_savings.balance += cents;
}

void FN_top_up_checking(long cents) {
  std::lock_guard<std::mutex> s(g_savings.mu_);
  std::lock_guard<std::mutex> c(g_checking.mu_);
  g_savings.balance -= cents;
  g_checking.balance += cents;
}

// ---------------------------------------------- this and another object --

class Inventory {
public:
  // Locks this, then the other inventory: a.merge_bad(b) against
  // b.merge_bad(a) deadlocks.
  void merge_bad(Inventory &other) {
    std::lock_guard<std::mutex> mine(mu_);
    std::lock_guard<std::mutex> theirs(other.mu_); // expect: threadlint-lock-order "'Inventory::mu_' of 'other' acquired while holding 'Inventory::mu_' of 'this'"
    for (const auto &kv : other.stock_)
      stock_[kv.first] += kv.second;
    other.stock_.clear();
  }

  void merge_ok(Inventory &other) {
    if (&other == this)
      return;
    std::scoped_lock both(mu_, other.mu_);
    for (const auto &kv : other.stock_)
      stock_[kv.first] += kv.second;
    other.stock_.clear();
  }

  // Copies the other inventory, then locks this one: one lock at a time.
  void copy_from_ok(Inventory &other) {
    std::map<std::string, int> snapshot;
    {
      std::lock_guard<std::mutex> theirs(other.mu_);
      snapshot = other.stock_;
    }
    std::lock_guard<std::mutex> mine(mu_);
    stock_ = snapshot;
  }

  int count_ok(const std::string &sku) {
    std::lock_guard<std::mutex> mine(mu_);
    return stock_[sku];
  }

private:
  std::mutex mu_;
  std::map<std::string, int> stock_;
};

// --------------------------------------- a parent/child hierarchy --

// A directory tree: the directory's lock is always taken before the lock of
// an entry in it. Two different fields, one order.
struct Entry {
  std::mutex mu_;
  std::string name;
  long size = 0;
};

class Directory {
public:
  void resize_entry_ok(size_t i, long size) {
    std::lock_guard<std::mutex> d(mu_);
    if (i >= entries_.size())
      return;
    std::lock_guard<std::mutex> e(entries_[i]->mu_);
    entries_[i]->size = size;
  }

  long total_size_ok() {
    std::lock_guard<std::mutex> d(mu_);
    long total = 0;
    for (Entry *e : entries_) {
      std::lock_guard<std::mutex> l(e->mu_);
      total += e->size;
    }
    return total;
  }

  // An entry passed in: still directory first, entry second.
  void rename_ok(Entry &e, const std::string &name) {
    std::lock_guard<std::mutex> d(mu_);
    std::lock_guard<std::mutex> l(e.mu_);
    e.name = name;
  }

private:
  std::mutex mu_;
  std::vector<Entry *> entries_;
};

// A tree whose nodes lock themselves and then their parent (leaf to root).
class Node {
public:
  void add_child_size_ok(long delta) {
    std::lock_guard<std::mutex> self(mu_);
    size_ += delta;
    if (parent_) {
      std::lock_guard<std::mutex> up(parent_->mu_);
      parent_->size_ += delta;
    }
  }

private:
  std::mutex mu_;
  Node *parent_ = nullptr;
  long size_ = 0;
};

// --------------------------------------------------- a matching engine --

struct Book {
  std::mutex mu_;
  std::vector<long> bids, asks;
};

// Crosses two order books in argument order.
void cross_bad(Book &left, Book &right) {
  std::unique_lock<std::mutex> l(left.mu_);
  std::unique_lock<std::mutex> r(right.mu_); // expect: threadlint-lock-order "'Book::mu_' of 'right' acquired while holding 'Book::mu_' of 'left'"
  if (!left.bids.empty() && !right.asks.empty()) {
    left.bids.pop_back();
    right.asks.pop_back();
  }
}

// Snapshots each book under its own lock.
size_t depth_ok(Book &left, Book &right) {
  size_t n;
  {
    std::lock_guard<std::mutex> l(left.mu_);
    n = left.bids.size();
  }
  std::lock_guard<std::mutex> r(right.mu_);
  return n + right.asks.size();
}

// One parameter and one global book: the global is always second.
Book g_house_book;

void hedge_ok(Book &client) {
  std::lock_guard<std::mutex> c(client.mu_);
  std::lock_guard<std::mutex> h(g_house_book.mu_);
  g_house_book.bids.insert(g_house_book.bids.end(), client.asks.begin(),
                           client.asks.end());
}
