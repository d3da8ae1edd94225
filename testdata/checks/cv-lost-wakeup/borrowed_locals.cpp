// cv-lost-wakeup on locals shared with a thread lambda by reference: the
// lambda writes a 'done' flag the caller waits for, or the caller writes
// a 'go' flag the lambda waits for, without the mutex the waiter checks it
// under. Negative cases: the same hand-offs with the flag written under the
// mutex, a result written outside the lock that the predicate does not read,
// and a local condition variable whose waiter loops on state that is only
// changed under the lock. Known false negative: the flag written by a helper
// function called before the notify.
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

int compute(int input);

// The thread's write of 'done' can fall between the caller's test and its
// sleep; the notify then finds nobody waiting.
int compute_in_background_bad(int input) {
  std::mutex m;
  std::condition_variable done_cv;
  bool done = false;
  int result = 0;
  std::thread t([&] {
    result = compute(input);
    done = true; // expect: threadlint-cv-lost-wakeup "'done' is written without holding 'm' before 'done_cv' is notified"
    done_cv.notify_one();
  });
  std::unique_lock<std::mutex> lk(m);
  done_cv.wait(lk, [&] { return done; });
  lk.unlock();
  t.join();
  return result;
}

// 'result' is written outside the lock; the locked write of 'done' that
// follows publishes it.
int compute_in_background_ok(int input) {
  std::mutex m;
  std::condition_variable done_cv;
  bool done = false;
  int result = 0;
  std::thread t([&] {
    result = compute(input);
    {
      std::lock_guard<std::mutex> lk(m);
      done = true;
    }
    done_cv.notify_one();
  });
  std::unique_lock<std::mutex> lk(m);
  done_cv.wait(lk, [&] { return done; });
  lk.unlock();
  t.join();
  return result;
}

// A start gate: the workers wait for 'go', the caller opens it.
void run_gated_bad(int n) {
  std::mutex m;
  std::condition_variable gate;
  bool go = false;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&, i] {
      std::unique_lock<std::mutex> lk(m);
      while (!go)
        gate.wait(lk); // expect-note: "the waiter checks 'go' under 'm' here"
      lk.unlock();
      compute(i);
    });
  go = true; // expect: threadlint-cv-lost-wakeup "'go' is written without holding 'm' before 'gate' is notified"
  gate.notify_all(); // expect-note: "'gate' is notified here"
  for (std::thread &w : workers)
    w.join();
}

void run_gated_ok(int n) {
  std::mutex m;
  std::condition_variable gate;
  bool go = false;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&, i] {
      std::unique_lock<std::mutex> lk(m);
      gate.wait(lk, [&] { return go; });
      lk.unlock();
      compute(i);
    });
  {
    std::lock_guard<std::mutex> lk(m);
    go = true;
  }
  gate.notify_all();
  for (std::thread &w : workers)
    w.join();
}

// Each worker decrements 'remaining' under the lock and the last one
// notifies the caller.
void run_all_ok(int n) {
  std::mutex m;
  std::condition_variable all_done;
  int remaining = n;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&, i] {
      compute(i);
      std::lock_guard<std::mutex> lk(m);
      if (--remaining == 0)
        all_done.notify_one();
    });
  {
    std::unique_lock<std::mutex> lk(m);
    while (remaining > 0)
      all_done.wait(lk);
  }
  for (std::thread &w : workers)
    w.join();
}

// The write is in a helper called before the notify; the check compares
// writes and notifies within one function only.
static void mark_done(bool &flag) { flag = true; }

int FN_done_set_by_helper(int input) {
  std::mutex m;
  std::condition_variable done_cv;
  bool done = false;
  int result = 0;
  std::thread t([&] {
    result = compute(input);
    mark_done(done);
    done_cv.notify_one();
  });
  std::unique_lock<std::mutex> lk(m);
  done_cv.wait(lk, [&] { return done; });
  lk.unlock();
  t.join();
  return result;
}
