// Which object's lock is re-acquired: the same field of two different
// objects is two different mutexes. Reported only when the second
// acquisition is provably on the same object (this, the same parameter,
// the same global, the same pointer).
#include <map>
#include <mutex>
#include <string>
#include <vector>

struct Account {
  std::mutex mu;
  long balance = 0;
  std::vector<long> history;
};

// Two accounts: two mutexes.
void transfer_ok(Account &from, Account &to, long cents) {
  std::scoped_lock both(from.mu, to.mu);
  from.balance -= cents;
  to.balance += cents;
}

// Nested, different objects (ordering aside, no self-deadlock).
void audit_pair_ok(Account &a, Account &b) {
  std::lock_guard<std::mutex> la(a.mu);
  std::lock_guard<std::mutex> lb(b.mu);
  a.history.push_back(b.balance);
}

// The same parameter twice.
void deposit_bad(Account &acct, long cents) {
  std::lock_guard<std::mutex> l(acct.mu);
  acct.balance += cents;
  std::lock_guard<std::mutex> h(acct.mu); // expect: threadlint-recursive-lock "'Account::mu' acquired while it is already held"
  acct.history.push_back(cents);
}

// Through a pointer, twice.
void withdraw_bad(Account *acct, long cents) {
  acct->mu.lock();
  acct->balance -= cents;
  acct->mu.lock(); // expect: threadlint-recursive-lock "'Account::mu' acquired while it is already held"
  acct->history.push_back(-cents);
  acct->mu.unlock();
  acct->mu.unlock();
}

void withdraw_ok(Account *acct, long cents) {
  acct->mu.lock();
  acct->balance -= cents;
  acct->history.push_back(-cents);
  acct->mu.unlock();
}

// Two global accounts: different objects.
Account g_checking, g_savings;

void sweep_ok() {
  std::lock_guard<std::mutex> c(g_checking.mu);
  std::lock_guard<std::mutex> s(g_savings.mu);
  g_savings.balance += g_checking.balance;
  g_checking.balance = 0;
}

// One global account, twice.
void interest_bad() {
  std::lock_guard<std::mutex> s(g_savings.mu);
  g_savings.balance += g_savings.balance / 100;
  std::lock_guard<std::mutex> again(g_savings.mu); // expect: threadlint-recursive-lock "'Account::mu' acquired while it is already held"
  g_savings.history.push_back(g_savings.balance);
}

// Local accounts: each its own mutex.
long local_pair_ok() {
  Account a, b;
  std::lock_guard<std::mutex> la(a.mu);
  std::lock_guard<std::mutex> lb(b.mu);
  return a.balance + b.balance;
}

// ---------------------------------------- methods on this and others --

class Shard {
public:
  void put(const std::string &k, int v) {
    std::lock_guard<std::mutex> l(mu_);
    data_[k] = v;
  }

  // Under this shard's lock, puts into the neighbour: another object.
  void spill_ok(Shard &neighbour) {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto &kv : data_)
      neighbour.put(kv.first, kv.second);
    data_.clear();
  }

  // Under this shard's lock, puts into a shard found in a table: not known
  // to be this one.
  void spill_to_ok(std::vector<Shard *> &ring, size_t next) {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto &kv : data_)
      ring[next]->put(kv.first, kv.second);
  }

  // Under this shard's lock, puts into itself.
  void rehash_bad() {
    std::lock_guard<std::mutex> l(mu_);
    std::map<std::string, int> copy = data_;
    for (const auto &kv : copy)
      put(kv.first + "'", kv.second); // expect: threadlint-recursive-lock "call to 'Shard::put' acquires 'Shard::mu_', which is already held"
  }

  // Under the neighbour's lock, puts into the neighbour.
  void steal_bad(Shard &neighbour) {
    std::lock_guard<std::mutex> l(neighbour.mu_);
    if (!neighbour.data_.empty())
      neighbour.put("stolen", 1); // expect: threadlint-recursive-lock "call to 'Shard::put' acquires 'Shard::mu_', which is already held"
  }

  // Under the neighbour's lock, puts into this shard.
  void pull_ok(Shard &neighbour) {
    std::lock_guard<std::mutex> l(neighbour.mu_);
    for (const auto &kv : neighbour.data_)
      put(kv.first, kv.second);
  }

  // A static helper that locks the shard it is given.
  static void reset(Shard &s) {
    std::lock_guard<std::mutex> l(s.mu_);
    s.data_.clear();
  }

  // Under this shard's lock, resets another shard.
  void reset_other_ok(Shard &other) {
    std::lock_guard<std::mutex> l(mu_);
    reset(other);
  }

  // Under this shard's lock, resets itself.
  void reset_self_bad() {
    std::lock_guard<std::mutex> l(mu_);
    reset(*this); // expect: threadlint-recursive-lock "call to 'Shard::reset' acquires 'Shard::mu_', which is already held"
  }

  // Under the neighbour's lock, resets the neighbour: the same object
  // again, passed by reference.
  void reset_neighbour_bad(Shard &neighbour) {
    std::lock_guard<std::mutex> l(neighbour.mu_);
    reset(neighbour); // expect: threadlint-recursive-lock "call to 'Shard::reset' acquires 'Shard::mu_', which is already held"
  }

  // Under shard s's lock, resets a different shard t. reset()'s parameter
  // happens to be called 's' too: the argument, not the name, decides.
  void reset_other_named_s_ok(Shard &s, Shard &t) {
    std::lock_guard<std::mutex> l(s.mu_);
    reset(t);
  }

private:
  std::mutex mu_;
  std::map<std::string, int> data_;
};

// ------------------------------- a helper whose parameter name matches --

static void credit(Account &acct, long cents) {
  std::lock_guard<std::mutex> l(acct.mu);
  acct.balance += cents;
  acct.history.push_back(cents);
}

// Debits the payer under the payer's lock and credits the payee through
// credit(): the payee's mutex is a different one. The payer parameter is
// named 'acct', like credit()'s parameter: the argument, not the name,
// decides.
void pay_named_like_callee_ok(Account &acct, Account &payee, long cents) {
  std::lock_guard<std::mutex> l(acct.mu);
  acct.balance -= cents;
  credit(payee, cents);
}

// The same code with the payer named differently: silent, as it should be.
void pay_ok(Account &payer, Account &payee, long cents) {
  std::lock_guard<std::mutex> l(payer.mu);
  payer.balance -= cents;
  credit(payee, cents);
}

// A real re-entry through credit(), with matching names: reported.
void refund_bad(Account &acct, long cents) {
  std::lock_guard<std::mutex> l(acct.mu);
  acct.balance -= cents;
  credit(acct, 2 * cents); // expect: threadlint-recursive-lock "call to 'credit' acquires 'Account::mu', which is already held"
}

// The same real re-entry with the caller's parameter named differently.
void refund_renamed_bad(Account &customer, long cents) {
  std::lock_guard<std::mutex> l(customer.mu);
  customer.balance -= cents;
  credit(customer, 2 * cents); // expect: threadlint-recursive-lock "call to 'credit' acquires 'Account::mu', which is already held"
}
