// Busy waits on plain (non-atomic, non-volatile) state that other code of
// the translation unit writes: globals, fields, function statics and locals
// shared with a thread by reference. Each is also a data race, and the
// message says so. Negative cases: the same flags read under the mutex that
// guards them with a condition variable, plain locals the loop changes
// itself, and worker loops that do work.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

void handle(int request);
int next_request();
void load_tables();

// ------------------------------------------------- a shutdown flag --

bool g_shutdown = false;
std::mutex g_shutdown_mu;
std::condition_variable g_shutdown_cv;

void request_shutdown() {
  g_shutdown = true; // expect-note: "'g_shutdown' is changed here, in 'request_shutdown'"
}

void request_shutdown_locked() {
  {
    std::lock_guard<std::mutex> lock(g_shutdown_mu);
    g_shutdown = true;
  }
  g_shutdown_cv.notify_all();
}

void main_thread_bad() {
  while (!g_shutdown) { // expect: threadlint-busy-wait "'g_shutdown' is neither atomic nor volatile: polling it while another thread writes it is a data race, and the compiler may hoist the load out of the loop"
  }
}

void main_thread_for_bad() {
  for (;;) { // expect: threadlint-busy-wait "busy wait: this loop spins until 'g_shutdown' changes"
    if (g_shutdown)
      break;
  }
}

void main_thread_ok() {
  std::unique_lock<std::mutex> lock(g_shutdown_mu);
  g_shutdown_cv.wait(lock, [] { return g_shutdown; });
}

void main_thread_explicit_loop_ok() {
  std::unique_lock<std::mutex> lock(g_shutdown_mu);
  while (!g_shutdown)
    g_shutdown_cv.wait(lock);
}

// Polls under the lock and sleeps between polls.
void main_thread_polling_ok() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(g_shutdown_mu);
      if (g_shutdown)
        break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// A worker loop: handles requests until shutdown, under the lock.
void serve_ok() {
  for (;;) {
    int r = next_request();
    std::lock_guard<std::mutex> lock(g_shutdown_mu);
    if (g_shutdown)
      break;
    handle(r);
  }
}

// ---------------------------------------------- a state in a namespace --

namespace net {
enum State { Disconnected, Connecting, Connected };
int g_link_state = Disconnected;

void on_link_up() {
  g_link_state = Connected; // expect-note: "'net::g_link_state' is changed here, in 'net::on_link_up'"
}

void await_link_bad() {
  while (g_link_state != Connected) { // expect: threadlint-busy-wait "spins until 'net::g_link_state' changes"
  }
}
} // namespace net

// ------------------------------------------------- fields and getters --

class Loader {
public:
  void run() {
    load_tables();
    std::lock_guard<std::mutex> lock(mu_);
    loaded_ = true; // expect-note: "'Loader::loaded_' is changed here, in 'Loader::run'"
    cv_.notify_all();
  }

  bool loaded() const { return loaded_; }

  void wait_bad() const {
    while (!loaded()) { // expect: threadlint-busy-wait "'Loader::loaded_' is neither atomic nor volatile"
    }
  }

  void wait_ok() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return loaded(); });
  }

  bool wait_for_ok(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return loaded_; });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool loaded_ = false;
};

struct Job {
  int id;
  bool done;
  int result;
};

void complete(Job *job, int result) {
  job->result = result;
  job->done = true; // expect-note: "'Job::done' is changed here, in 'complete'"
}

int result_of_bad(const Job *job) {
  while (!job->done) { // expect: threadlint-busy-wait "spins until 'Job::done' changes"
  }
  return job->result;
}

// Walks a batch: the loop advances its own cursor.
int first_pending_ok(const std::vector<Job> &jobs) {
  std::size_t i = 0;
  while (i < jobs.size() && jobs[i].done)
    ++i;
  return i < jobs.size() ? jobs[i].id : -1;
}

int count_done_ok(const Job *jobs, int n) {
  int done = 0;
  for (int i = 0; i < n; ++i)
    if (jobs[i].done)
      ++done;
  return done;
}

// -------------------------------------- a home-made call_once (static) --

void init_once_bad() {
  static bool initialized = false;
  static bool in_progress = false;
  if (in_progress) {
    while (!initialized) { // expect: threadlint-busy-wait "'initialized' is neither atomic nor volatile"
    }
    return;
  }
  in_progress = true;
  load_tables();
  initialized = true; // expect-note: "'initialized' is changed here, in 'init_once_bad'"
}

void init_once_ok() {
  static std::once_flag once;
  std::call_once(once, load_tables);
}

void init_static_ok() {
  static const bool initialized = (load_tables(), true);
  (void)initialized;
}

// ------------------------------------- a local shared with a std::thread --

void run_in_background_bad() {
  bool finished = false;
  std::thread worker([&] {
    load_tables();
    finished = true; // expect-note: "'finished' is changed here"
  });
  while (!finished) { // expect: threadlint-busy-wait "'finished' is neither atomic nor volatile"
  }
  worker.join();
}

void run_in_background_ok() {
  std::thread worker([] { load_tables(); });
  worker.join();
}

void run_in_background_cv_ok() {
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  std::thread worker([&] {
    load_tables();
    std::lock_guard<std::mutex> lock(mu);
    finished = true;
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    while (!finished)
      cv.wait(lock);
  }
  worker.join();
}

// ------------------------------------------------------- plain locals --

// Nobody else can change a local that no thread captured.
int retry_ok(int attempts) {
  bool ok = false;
  int tries = 0;
  while (!ok && tries < attempts) {
    ok = next_request() >= 0;
    ++tries;
  }
  return tries;
}

int parse_digits_ok(const std::string &s) {
  int value = 0;
  std::size_t pos = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    value = value * 10 + (s[pos] - '0');
    ++pos;
  }
  return value;
}

int gcd_ok(int a, int b) {
  while (b != 0) {
    int t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// ------------------------------------ harder shapes, and known misses --

// A plain local captured by reference, polled inside the lambda that runs on
// the thread (the loop is analysed in the lambda's body, where the capture is
// not seen).
void spin_inside_thread_bad() {
  bool go = false;
  std::thread t([&] {
    while (!go) { // expect: threadlint-busy-wait "spins until"
    }
    load_tables();
  });
  go = true;
  t.join();
}

void set_flag(bool &flag) { flag = true; }

// A local shared with the thread through std::ref, not a lambda.
void shared_through_std_ref_bad() {
  bool finished = false;
  std::thread t(set_flag, std::ref(finished));
  while (!finished) { // expect: threadlint-busy-wait "spins until"
  }
  t.join();
}

// Missed: a plain flag reached through a reference parameter is taken for
// a local nobody else can change.
void FN_wait_on_reference(const bool &stop) {
  while (!stop) {
  }
}
