// Detached threads that use the starting function's locals, where the
// function waits for the thread after detaching it: a future's get() or
// wait(), a std::latch, a std::barrier, a counting semaphore, a condition
// variable. The locals outlive their use, so these are negative cases. A
// wait before the detach, or no wait at all, is still reported.
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <future>
#include <latch>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

std::string fetch(const std::string &url);
void parse(const std::string &body, std::vector<std::string> &out);

// ------------------------------------------------- futures and promises --

// Waits for the thread's result through a promise.
std::string fetch_with_timeout_ok(const std::string &url) {
  std::promise<std::string> done;
  std::future<std::string> result = done.get_future();
  std::thread([&done, &url] { done.set_value(fetch(url)); }).detach();
  return result.get();
}

// wait_for() with a timeout: the locals are still alive when it returns.
bool fetch_ready_ok(const std::string &url) {
  std::promise<std::string> done;
  std::future<std::string> result = done.get_future();
  std::string tag = "fetch";
  std::thread([&done, &url, &tag] { done.set_value(tag + fetch(url)); })
      .detach();
  return result.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
}

// Nothing waits: the promise dies with this frame.
void fetch_fire_and_forget_bad(const std::string &url) {
  std::promise<std::string> done;
  std::thread([&done, url] { done.set_value(fetch(url)); }).detach(); // expect: threadlint-detached-thread "detached thread captures local 'done' by reference"
}

// ------------------------------------------------------------ latches --

// Splits the parse over workers and waits on a latch.
std::vector<std::string> parse_all_ok(const std::vector<std::string> &bodies) {
  std::vector<std::vector<std::string>> parts(bodies.size());
  std::latch finished(static_cast<std::ptrdiff_t>(bodies.size()));
  for (std::size_t i = 0; i < bodies.size(); ++i)
    std::thread([&parts, &bodies, &finished, i] {
      parse(bodies[i], parts[i]);
      finished.count_down();
    }).detach();
  finished.wait();
  std::vector<std::string> out;
  for (auto &p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

// arrive_and_wait() on a barrier.
void parse_pair_ok(const std::string &a, const std::string &b) {
  std::vector<std::string> left, right;
  std::barrier sync(3);
  std::thread([&] {
    parse(a, left);
    sync.arrive_and_wait();
  }).detach();
  std::thread([&] {
    parse(b, right);
    sync.arrive_and_wait();
  }).detach();
  sync.arrive_and_wait();
}

// A semaphore released by the thread.
std::string fetch_sem_ok(const std::string &url) {
  std::binary_semaphore ready(0);
  std::string body;
  std::thread([&] {
    body = fetch(url);
    ready.release();
  }).detach();
  ready.acquire();
  return body;
}

// ---------------------------------------------- condition variables --

std::string fetch_cv_ok(const std::string &url) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::string body;
  std::thread([&] {
    std::string b = fetch(url);
    std::lock_guard<std::mutex> l(mu);
    body = std::move(b);
    done = true;
    cv.notify_one();
  }).detach();
  std::unique_lock<std::mutex> l(mu);
  cv.wait(l, [&] { return done; });
  return body;
}

// ------------------------------------------------ waiting too early --

// The latch is waited on before the second thread is detached; nothing
// waits for that one.
void parse_twice_bad(const std::string &a) {
  std::vector<std::string> first, second;
  std::latch one(1);
  std::thread([&first, &a, &one] {
    parse(a, first);
    one.count_down();
  }).detach();
  one.wait();
  std::thread([&second, &a] { parse(a, second); }).detach(); // expect: threadlint-detached-thread "detached thread captures local 'second' by reference"
}
