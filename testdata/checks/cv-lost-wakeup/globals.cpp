// cv-lost-wakeup on global state: a ready flag, a std::atomic<bool> stop
// flag, a job queue, a flag set under the wrong mutex and a version counter
// readers wait for under a shared lock (condition_variable_any), each written
// without the waiter's mutex before the condition variable is notified: the
// write can land after the waiter has tested its predicate and before it
// sleeps, and the notification is lost. Waiters with a predicate and in a
// `while` loop. Negative cases: the write under a lock_guard with the
// notify after the scope, the write and the notify under the lock, a
// unique_lock unlocked after the write, lock()/unlock() by hand, an atomic
// store followed by an empty critical section on the waiter's mutex, data
// the predicate does not read (published by the locked write of the flag),
// an unrelated statistics counter, resets written before the waiter starts
// or after it has been joined, and the version bumped under the exclusive
// lock.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <utility>

// --------------------------------------------------- a ready flag --

std::mutex mu;
std::condition_variable cv;
bool ready = false;
std::string payload;

void use(const std::string &s);

void consumer() {
  std::unique_lock<std::mutex> lk(mu);
  cv.wait(lk, [] { return ready; }); // expect-note: "the waiter checks 'ready' under 'mu' here"
  use(payload);
}

// The consumer can test 'ready' (false), the producer set it and notify
// nobody, and the consumer then go to sleep for good.
void produce_bad(std::string s) {
  payload = std::move(s);
  ready = true; // expect: threadlint-cv-lost-wakeup "'ready' is written without holding 'mu' before 'cv' is notified"
  cv.notify_one(); // expect-note: "'cv' is notified here"
}

void produce_ok(std::string s) {
  {
    std::lock_guard<std::mutex> lk(mu);
    payload = std::move(s);
    ready = true;
  }
  cv.notify_one();
}

void produce_notify_under_lock_ok(std::string s) {
  std::lock_guard<std::mutex> lk(mu);
  payload = std::move(s);
  ready = true;
  cv.notify_one();
}

void produce_unique_lock_ok(std::string s) {
  std::unique_lock<std::mutex> lk(mu);
  payload = std::move(s);
  ready = true;
  lk.unlock();
  cv.notify_one();
}

void produce_by_hand_ok(std::string s) {
  mu.lock();
  payload = std::move(s);
  ready = true;
  mu.unlock();
  cv.notify_one();
}

// 'payload' is written without the lock, but the predicate does not read
// it: the locked write of 'ready' publishes it.
void produce_payload_first_ok(std::string s) {
  payload = std::move(s);
  {
    std::lock_guard<std::mutex> lk(mu);
    ready = true;
  }
  cv.notify_one();
}

// The flag is reset after the waiter has been joined: nobody waits any more.
void run_round_ok(std::string s) {
  std::thread t(consumer);
  {
    std::lock_guard<std::mutex> lk(mu);
    payload = std::move(s);
    ready = true;
  }
  cv.notify_one();
  t.join();
  ready = false;
}

// A new round: 'ready' is reset before the consumer thread exists, so the
// unlocked write cannot race with its check.
void run_fresh_round_ok(std::string s) {
  ready = false;
  std::thread t(consumer);
  {
    std::lock_guard<std::mutex> lk(mu);
    payload = std::move(s);
    ready = true;
  }
  cv.notify_one();
  t.join();
}

// ------------------------------------- workers and an atomic stop flag --

std::mutex jobs_mu;
std::condition_variable jobs_cv;
std::deque<int> jobs;
std::atomic<bool> stop{false};
std::atomic<long> submitted{0};

void handle(int job);

void worker() {
  std::unique_lock<std::mutex> lk(jobs_mu);
  for (;;) {
    jobs_cv.wait(lk, [] { return stop.load() || !jobs.empty(); }); // expect-note: "the waiter checks 'stop' under 'jobs_mu' here"
    if (jobs.empty())
      return;
    int job = jobs.front();
    jobs.pop_front();
    lk.unlock();
    handle(job);
    lk.lock();
  }
}

// std::atomic does not help: the store can still fall between the worker's
// test of 'stop' and its sleep, and join() below then waits forever.
void stop_workers_bad(std::thread &t) {
  stop.store(true); // expect: threadlint-cv-lost-wakeup "'stop' is written without holding 'jobs_mu' before 'jobs_cv' is notified"
  jobs_cv.notify_all();
  t.join();
}

void stop_workers_assign_bad(std::thread &t) {
  stop = true; // expect: threadlint-cv-lost-wakeup "'stop' is written without holding 'jobs_mu' before 'jobs_cv' is notified"
  jobs_cv.notify_all();
  t.join();
}

void stop_workers_ok(std::thread &t) {
  {
    std::lock_guard<std::mutex> lk(jobs_mu);
    stop.store(true);
  }
  jobs_cv.notify_all();
  t.join();
}

// The atomic store, then an empty critical section on the waiter's mutex,
// then the notify: a worker that tested 'stop' before the store still holds
// 'jobs_mu' until it sleeps, so the lock below waits for it to be asleep,
// and one that tests after the lock sees the store. Correct, and used where
// the flag is set from many places.
void stop_workers_empty_lock_ok(std::thread &t) {
  stop.store(true);
  { std::lock_guard<std::mutex> lk(jobs_mu); }
  jobs_cv.notify_all();
  t.join();
}

// The queue itself is the predicate's state: pushing without the lock is
// a data race and a lost wakeup.
void submit_bad(int job) {
  jobs.push_back(job); // expect: threadlint-cv-lost-wakeup "'jobs' is written without holding 'jobs_mu' before 'jobs_cv' is notified"
  jobs_cv.notify_one();
}

// The statistics counter is not read by the predicate.
void submit_ok(int job) {
  submitted.fetch_add(1);
  {
    std::lock_guard<std::mutex> lk(jobs_mu);
    jobs.push_back(job);
  }
  jobs_cv.notify_one();
}

// ----------------------------------------------- the wrong mutex --

std::mutex stats_mu;
bool draining = false;
std::mutex drain_mu;
std::condition_variable drain_cv;

void await_drain() {
  std::unique_lock<std::mutex> lk(drain_mu);
  while (!draining)
    drain_cv.wait(lk); // expect-note: "the waiter checks 'draining' under 'drain_mu' here"
}

// Holds a mutex, but not the one the waiter checks 'draining' under.
void start_drain_bad() {
  std::lock_guard<std::mutex> lk(stats_mu);
  draining = true; // expect: threadlint-cv-lost-wakeup "'draining' is written without holding 'drain_mu' before 'drain_cv' is notified"
  drain_cv.notify_all();
}

void start_drain_ok() {
  {
    std::lock_guard<std::mutex> lk(drain_mu);
    draining = true;
  }
  drain_cv.notify_all();
}

// ------------------------------- readers waiting for a new version --

// Readers wait under a shared lock with condition_variable_any; the writer
// publishes under the exclusive lock.
std::shared_mutex config_mu;
std::condition_variable_any config_cv;
unsigned config_version = 0;

unsigned await_config_change(unsigned seen) {
  std::shared_lock<std::shared_mutex> lk(config_mu);
  config_cv.wait(lk, [seen] { return config_version != seen; }); // expect-note: "the waiter checks 'config_version' under 'config_mu' here"
  return config_version;
}

void publish_config_ok() {
  {
    std::unique_lock<std::shared_mutex> lk(config_mu);
    ++config_version;
  }
  config_cv.notify_all();
}

void publish_config_bad() {
  ++config_version; // expect: threadlint-cv-lost-wakeup "'config_version' is written without holding 'config_mu' before 'config_cv' is notified"
  config_cv.notify_all();
}

// ---------------------------------------------------------- threads --

void run() {
  std::thread c(consumer);
  std::thread w(worker);
  std::thread d(await_drain);
  std::thread r([] { await_config_change(0); });
  produce_ok("hello");
  submit_ok(1);
  start_drain_ok();
  publish_config_ok();
  stop_workers_ok(w);
  c.join();
  d.join();
  r.join();
}
