// Lock guards and manual locking: std::scoped_lock, std::unique_lock
// (with defer_lock, and released early with unlock()), std::shared_lock,
// and lock()/unlock() by hand. Positive cases: a field touched after the
// unique_lock has been released, and a read after a manual unlock().
// Negative cases: the same accesses inside the guard's scope, an update
// made while holding the guard lock through std::scoped_lock of two
// mutexes, and reads under a shared lock with writes under an exclusive
// one.
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

// ------------------------------------------- released too early --

class JobQueue {
public:
  void push(int job) {
    std::unique_lock<std::mutex> lock(mu_);
    jobs_.push_back(job);
    lock.unlock();
    last_pushed_ = job; // expect: threadlint-inconsistent-locking "'JobQueue::last_pushed_' is written without holding 'JobQueue::mu_', which both of its other accesses hold"
  }
  bool pop_ok(int &job) {
    std::unique_lock<std::mutex> lock(mu_);
    if (jobs_.empty())
      return false;
    job = jobs_.back();
    jobs_.pop_back();
    last_pushed_ = -1; // expect-note: "'JobQueue::last_pushed_' written here while holding 'JobQueue::mu_'"
    return true;
  }
  int last_pushed_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_pushed_;
  }

private:
  std::mutex mu_;
  std::vector<int> jobs_;
  int last_pushed_ = -1;
};

void jobs_bad() {
  JobQueue q;
  std::thread p([&q] { q.push(1); });
  std::thread c([&q] { int j; q.pop_ok(j); });
  int last = q.last_pushed_ok();
  p.join();
  c.join();
  (void)last;
}

// ------------------------------------------------ manual lock/unlock --

std::mutex g_name_mu;
std::string g_server_name = "localhost";

void rename_server(const std::string &n) {
  g_name_mu.lock();
  g_server_name = n; // expect-note: "'g_server_name' written here while holding 'g_name_mu'"
  g_name_mu.unlock();
}

std::size_t name_length() {
  g_name_mu.lock();
  std::size_t n = g_server_name.size();
  g_name_mu.unlock();
  return n + g_server_name.size(); // expect: threadlint-inconsistent-locking "'g_server_name' is read without holding 'g_name_mu', which both of its other accesses hold; thread 'b' and thread 'a' may run at the same time: this access races with the guarded write on line 62; hold 'g_name_mu' here"
}

void names_bad() {
  std::thread a([] { rename_server("a.example"); }); // expect-note: "the thread is started here"
  std::thread b([] { name_length(); });
  a.join();
  b.join();
}

// ------------------------------------------------- std::scoped_lock --

class Transfer {
public:
  void move_ok(long amount) {
    std::scoped_lock lock(from_mu_, to_mu_);
    from_ -= amount;
    to_ += amount;
  }
  long from_ok() {
    std::scoped_lock lock(from_mu_);
    return from_;
  }
  long to_ok() {
    std::scoped_lock lock(to_mu_);
    return to_;
  }

private:
  std::mutex from_mu_, to_mu_;
  long from_ = 1000, to_ = 0;
};

long transfer_ok() {
  Transfer t;
  std::thread a([&t] { t.move_ok(10); });
  std::thread b([&t] { t.move_ok(20); });
  long seen = t.from_ok() + t.to_ok();
  a.join();
  b.join();
  return seen;
}

// --------------------------------------- unique_lock with defer_lock --

std::mutex g_epoch_mu;
unsigned g_epoch = 0;

void advance_epoch_ok() {
  std::unique_lock<std::mutex> lock(g_epoch_mu, std::defer_lock);
  lock.lock();
  g_epoch = g_epoch + 1;
}

unsigned current_epoch_ok() {
  std::unique_lock<std::mutex> lock(g_epoch_mu);
  return g_epoch;
}

void epochs_ok() {
  std::thread a(advance_epoch_ok);
  std::thread b(advance_epoch_ok);
  unsigned e = current_epoch_ok();
  a.join();
  b.join();
  (void)e;
}

// ------------------------------------- shared readers, exclusive writers --

class Config {
public:
  void set_ok(const std::string &v) {
    std::unique_lock<std::shared_mutex> lock(mu_);
    value_ = v;
  }
  std::string get_ok() const {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return value_;
  }

private:
  mutable std::shared_mutex mu_;
  std::string value_;
};

void config_ok() {
  Config c;
  std::thread w([&c] { c.set_ok("v2"); });
  std::thread r([&c] { c.get_ok(); });
  std::string seen = c.get_ok();
  w.join();
  r.join();
}

// ----------------------------------------- manual lock, all accesses --

std::mutex g_peers_mu;
int g_peers = 0;

void add_peer_ok() {
  g_peers_mu.lock();
  g_peers = g_peers + 1;
  g_peers_mu.unlock();
}

int peers_ok() {
  g_peers_mu.lock();
  int n = g_peers;
  g_peers_mu.unlock();
  return n;
}

void peers_run_ok() {
  std::thread a(add_peer_ok);
  std::thread b(add_peer_ok);
  int n = peers_ok();
  a.join();
  b.join();
  (void)n;
}
