// cv-wait-without-predicate on std::condition_variable and
// std::condition_variable_any objects that are globals, reference parameters
// and pointers: wait(lk), wait_for(lk, d) and wait_until(lk, t) without a
// predicate, in straight-line code, under an `if` that tests the condition
// once, as a wait_for whose cv_status alone decides, and in an endless loop
// that has no conditional exit. Negative cases: the predicate overloads
// (also condition_variable_any's stop_token overload), waits in while,
// do-while and for loops that re-check the condition (also with the
// cv_status stored in a variable), waits in endless loops that leave
// through an `if` (break, continue, return, throw), a wait in a loop
// condition, a periodic wait_for in a `while (!stop)` loop, and waits
// that are not condition-variable waits (futures, latches, atomics).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <latch>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>

using namespace std::chrono_literals;

// ------------------------------------------------- a one-shot ready flag --

std::mutex mu;
std::condition_variable cv;
bool ready = false;
std::string config;

void publish_config(std::string text) {
  {
    std::lock_guard<std::mutex> lk(mu);
    config = std::move(text);
    ready = true;
  }
  cv.notify_all();
}

// Returns on any wakeup, and blocks forever if publish_config() ran first.
std::string read_config_bad() {
  std::unique_lock<std::mutex> lk(mu);
  cv.wait(lk); // expect: threadlint-cv-wait-without-predicate "'cv.wait' is not in a loop that re-checks its condition: a spurious wakeup returns from it with the condition still false, and a notification sent before the wait began is lost; use the overload with a predicate: cv.wait(lk, [&] { return <condition>; })"
  return config;
}

// Tests the flag once: a spurious wakeup gets past the `if` with 'ready'
// still false.
std::string read_config_if_bad() {
  std::unique_lock<std::mutex> lk(mu);
  if (!ready)
    cv.wait(lk); // expect: threadlint-cv-wait-without-predicate "'cv.wait' is not in a loop that re-checks its condition"
  return config;
}

std::string read_config_ok() {
  std::unique_lock<std::mutex> lk(mu);
  cv.wait(lk, [] { return ready; });
  return config;
}

std::string read_config_loop_ok() {
  std::unique_lock<std::mutex> lk(mu);
  while (!ready)
    cv.wait(lk);
  return config;
}

// A timed wait whose only test is the cv_status: a spurious wakeup also
// returns no_timeout, and the caller reads the config before it is set.
bool wait_config_for_bad(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lk(mu);
  if (cv.wait_for(lk, timeout) == std::cv_status::timeout) // expect: threadlint-cv-wait-without-predicate "'cv.wait_for' is not in a loop that re-checks its condition"
    return false;
  return true;
}

bool wait_config_for_ok(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lk(mu);
  return cv.wait_for(lk, timeout, [] { return ready; });
}

bool wait_config_until_bad(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lk(mu);
  if (!ready)
    cv.wait_until(lk, deadline); // expect: threadlint-cv-wait-without-predicate "'cv.wait_until' is not in a loop that re-checks its condition"
  return ready;
}

bool wait_config_until_ok(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lk(mu);
  while (!ready)
    if (cv.wait_until(lk, deadline) == std::cv_status::timeout)
      return ready;
  return true;
}

// The cv_status kept in a variable, inside the loop that re-checks.
bool wait_config_status_ok(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lk(mu);
  while (!ready) {
    std::cv_status st = cv.wait_until(lk, deadline);
    if (st == std::cv_status::timeout)
      return ready;
  }
  return true;
}

// The wait is part of the loop condition: 'ready' is tested again after
// every wakeup, and the loop ends at the deadline.
bool wait_config_deadline_ok(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lk(mu);
  while (!ready && cv.wait_until(lk, deadline) != std::cv_status::timeout) {
  }
  return ready;
}

// A bounded number of timed waits, each followed by the test in the `for`.
bool wait_config_retries_ok() {
  std::unique_lock<std::mutex> lk(mu);
  for (int tries = 0; !ready && tries < 3; ++tries)
    cv.wait_for(lk, 100ms);
  return ready;
}

// ------------------------------------------- a generation counter --

std::mutex gen_mu;
std::condition_variable gen_cv;
unsigned long generation = 0;

void bump_generation() {
  {
    std::lock_guard<std::mutex> lk(gen_mu);
    ++generation;
  }
  gen_cv.notify_all();
}

// Waits for the next change: the do-while re-checks after each wakeup.
unsigned long await_next_generation_ok() {
  std::unique_lock<std::mutex> lk(gen_mu);
  const unsigned long seen = generation;
  do {
    gen_cv.wait(lk);
  } while (generation == seen);
  return generation;
}

unsigned long await_next_generation_bad() {
  std::unique_lock<std::mutex> lk(gen_mu);
  gen_cv.wait(lk); // expect: threadlint-cv-wait-without-predicate "'gen_cv.wait' is not in a loop that re-checks its condition"
  return generation;
}

// ----------------------------------------------------- a job queue --

std::mutex jobs_mu;
std::condition_variable jobs_cv;
std::deque<int> jobs;
bool stopping = false;

void handle(int job);

void submit(int job) {
  {
    std::lock_guard<std::mutex> lk(jobs_mu);
    jobs.push_back(job);
  }
  jobs_cv.notify_one();
}

void stop_jobs() {
  {
    std::lock_guard<std::mutex> lk(jobs_mu);
    stopping = true;
  }
  jobs_cv.notify_all();
}

// An endless loop that never looks at the queue before taking from it: a
// spurious wakeup pops an empty deque, and a job submitted before the first
// wait sits there until the next one.
void job_loop_bad() {
  std::unique_lock<std::mutex> lk(jobs_mu);
  for (;;) {
    jobs_cv.wait(lk); // expect: threadlint-cv-wait-without-predicate "'jobs_cv.wait' is not in a loop that re-checks its condition"
    int job = jobs.front();
    jobs.pop_front();
    lk.unlock();
    handle(job);
    lk.lock();
  }
}

void job_loop_ok() {
  std::unique_lock<std::mutex> lk(jobs_mu);
  for (;;) {
    jobs_cv.wait(lk, [] { return stopping || !jobs.empty(); });
    if (jobs.empty())
      return;
    int job = jobs.front();
    jobs.pop_front();
    lk.unlock();
    handle(job);
    lk.lock();
  }
}

// An endless loop that tests the state itself: the wait is only reached
// when there is nothing to do, and the loop starts over after it.
void job_loop_break_ok() {
  std::unique_lock<std::mutex> lk(jobs_mu);
  while (true) {
    if (stopping)
      break;
    if (!jobs.empty()) {
      int job = jobs.front();
      jobs.pop_front();
      lk.unlock();
      handle(job);
      lk.lock();
      continue;
    }
    jobs_cv.wait(lk);
  }
}

// The same shape, the other way round: wait, then `continue` while empty.
void job_loop_continue_ok() {
  std::unique_lock<std::mutex> lk(jobs_mu);
  for (;;) {
    if (stopping)
      return;
    if (jobs.empty()) {
      jobs_cv.wait(lk);
      continue;
    }
    int job = jobs.front();
    jobs.pop_front();
    lk.unlock();
    handle(job);
    lk.lock();
  }
}

// A periodic flusher: the timed wait is an interruptible sleep, the
// `while` re-checks the stop flag after it.
std::mutex flush_mu;
std::condition_variable flush_cv;
bool flush_stop = false;
void flush_buffers();

void flusher_ok() {
  std::unique_lock<std::mutex> lk(flush_mu);
  while (!flush_stop) {
    flush_cv.wait_for(lk, 100ms);
    flush_buffers();
  }
}

// ------------------------------------------- a cancellable result --

std::mutex result_mu;
std::condition_variable result_cv;
bool result_ready = false;
bool cancelled = false;
int result;

int await_result_ok() {
  std::unique_lock<std::mutex> lk(result_mu);
  for (;;) {
    if (cancelled)
      throw std::runtime_error("cancelled");
    if (result_ready)
      return result;
    result_cv.wait(lk);
  }
}

// ------------------------------- references, pointers, parameters --

struct Mailbox {
  std::mutex mu;
  std::condition_variable arrived;
  std::deque<std::string> messages;
};

// The condition variable is a reference parameter.
std::string receive_bad(std::condition_variable &arrived, std::unique_lock<std::mutex> &lk,
                        std::deque<std::string> &messages) {
  if (messages.empty())
    arrived.wait(lk); // expect: threadlint-cv-wait-without-predicate "'arrived.wait' is not in a loop that re-checks its condition"
  std::string m = std::move(messages.front());
  messages.pop_front();
  return m;
}

std::string receive_ok(std::condition_variable &arrived, std::unique_lock<std::mutex> &lk,
                       std::deque<std::string> &messages) {
  arrived.wait(lk, [&] { return !messages.empty(); });
  std::string m = std::move(messages.front());
  messages.pop_front();
  return m;
}

// Through a pointer.
void wait_done_bad(std::condition_variable *done, std::unique_lock<std::mutex> &lk,
                   const bool *finished) {
  if (!*finished)
    done->wait(lk); // expect: threadlint-cv-wait-without-predicate "'done->wait' is not in a loop that re-checks its condition"
}

void wait_done_ok(std::condition_variable *done, std::unique_lock<std::mutex> &lk,
                  const bool *finished) {
  done->wait(lk, [finished] { return *finished; });
}

// A field of a struct reached through a reference.
std::string take_message_bad(Mailbox &box) {
  std::unique_lock<std::mutex> lk(box.mu);
  box.arrived.wait(lk); // expect: threadlint-cv-wait-without-predicate "'box.arrived.wait' is not in a loop that re-checks its condition"
  std::string m = std::move(box.messages.front());
  box.messages.pop_front();
  return m;
}

std::string take_message_ok(Mailbox &box) {
  std::unique_lock<std::mutex> lk(box.mu);
  while (box.messages.empty())
    box.arrived.wait(lk);
  std::string m = std::move(box.messages.front());
  box.messages.pop_front();
  return m;
}

// ------------------------------ condition_variable_any, shared locks --

std::shared_mutex table_mu;
std::condition_variable_any table_cv;
int table_version = 0;

int await_table_change_bad(int seen) {
  std::shared_lock<std::shared_mutex> lk(table_mu);
  if (table_version == seen)
    table_cv.wait(lk); // expect: threadlint-cv-wait-without-predicate "'table_cv.wait' is not in a loop that re-checks its condition"
  return table_version;
}

int await_table_change_ok(int seen) {
  std::shared_lock<std::shared_mutex> lk(table_mu);
  table_cv.wait(lk, [seen] { return table_version != seen; });
  return table_version;
}

// condition_variable_any's stop_token overload also takes a predicate.
std::mutex work_mu;
std::condition_variable_any work_cv;
std::deque<int> work;

void drain_until_stopped_ok(std::stop_token st) {
  std::unique_lock<std::mutex> lk(work_mu);
  while (!st.stop_requested()) {
    if (!work_cv.wait(lk, st, [] { return !work.empty(); }))
      return;
    int item = work.front();
    work.pop_front();
    lk.unlock();
    handle(item);
    lk.lock();
  }
}

// ------------------------------------------ waits of other kinds --

int compute();

int wait_future_ok() {
  std::future<int> f = std::async(std::launch::async, compute);
  f.wait();
  return f.get();
}

void wait_latch_ok(int n) {
  std::latch started(n);
  std::thread t([&started, n] {
    for (int i = 0; i < n; ++i)
      started.count_down();
  });
  started.wait();
  t.join();
}

std::atomic<bool> go{false};

void wait_atomic_ok() {
  go.wait(false);
}

// ------------------------------------------------------ the threads --

void start_threads() {
  std::thread reader(read_config_ok);
  std::thread worker(job_loop_ok);
  std::thread flusher(flusher_ok);
  std::jthread drainer(drain_until_stopped_ok);
  publish_config("threads=4");
  submit(1);
  submit(2);
  stop_jobs();
  {
    std::lock_guard<std::mutex> lk(flush_mu);
    flush_stop = true;
  }
  flush_cv.notify_all();
  reader.join();
  worker.join();
  flusher.join();
}
