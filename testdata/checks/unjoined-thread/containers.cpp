// Containers of std::thread in a worker pool: a vector filled with
// emplace_back/push_back in a loop, an array of threads, and the paths that
// destroy them before every thread is joined (an early return between the
// start loop and the join loop, clear(), a throw). Negative cases: a
// range-for join, an index loop join, std::for_each, joining through
// back()/at(), std::jthread containers, and a pool moved to its owner.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <stdexcept>
#include <thread>
#include <vector>

// ----------------------------------------------------- a worker pool --

struct Task {
  int id;
  int cost;
};

void run_tasks(const std::vector<Task> &tasks, std::size_t first,
               std::size_t step);
bool cancelled();
void report(int done);

// Range-for join after the start loop.
void run_pool_ok(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  for (std::thread &w : workers)
    w.join();
  report(static_cast<int>(tasks.size()));
}

// Index loop join.
void run_pool_index_ok(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  workers.reserve(n);
  for (unsigned i = 0; i < n; ++i)
    workers.push_back(std::thread(run_tasks, std::cref(tasks), i, n));
  for (std::size_t i = 0; i < workers.size(); ++i)
    workers[i].join();
}

// std::for_each with std::mem_fn.
void run_pool_for_each_ok(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  std::for_each(workers.begin(), workers.end(), std::mem_fn(&std::thread::join));
}

// std::for_each with a lambda.
void run_pool_lambda_join_ok(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  std::for_each(workers.begin(), workers.end(),
                [](std::thread &t) { t.join(); });
}

// A joinable() check per element.
void run_pool_joinable_ok(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  for (auto &w : workers)
    if (w.joinable())
      w.join();
}

// Cancellation between the start loop and the join loop.
void run_pool_bad(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers; // expect-note: "'workers' declared here"
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n); // expect: threadlint-unjoined-thread "the threads in 'workers' can be destroyed while joinable, which calls std::terminate: the 'return' on line"
  if (cancelled())
    return; // expect-note: "'workers' destroyed here while joinable"
  for (std::thread &w : workers)
    w.join();
}

// Checks for cancellation first.
void run_pool_cancel_first_ok(const std::vector<Task> &tasks, unsigned n) {
  if (cancelled())
    return;
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  for (std::thread &w : workers)
    w.join();
}

// Joins before returning on cancellation.
void run_pool_cancel_join_ok(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  if (cancelled()) {
    for (std::thread &w : workers)
      w.join();
    return;
  }
  for (std::thread &w : workers)
    w.join();
  report(static_cast<int>(tasks.size()));
}

// Detaches them all instead.
void run_pool_fire_and_forget_ok(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  for (std::thread &w : workers)
    w.detach();
}

// ------------------------------------------------------ clear() --

// Restarts the pool by clearing it: the old threads are destroyed running.
void restart_pool_bad(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n); // expect: threadlint-unjoined-thread "'workers'.clear() on line"
  report(0);
  workers.clear(); // expect-note: "'workers' destroyed here while joinable"
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  for (std::thread &w : workers)
    w.join();
}

// Joins before clearing.
void restart_pool_ok(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  for (std::thread &w : workers)
    w.join();
  workers.clear();
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  for (std::thread &w : workers)
    w.join();
}

// ------------------------------------------------ other containers --

// A fixed array of threads, started and joined by index.
void run_quad_ok(const std::vector<Task> &tasks) {
  std::thread quad[4];
  for (int i = 0; i < 4; ++i)
    quad[i] = std::thread(run_tasks, std::cref(tasks), i, 4);
  for (int i = 0; i < 4; ++i)
    quad[i].join();
}

// std::array, joined with a range-for.
void run_quad_array_ok(const std::vector<Task> &tasks) {
  std::array<std::thread, 4> quad;
  for (std::size_t i = 0; i < quad.size(); ++i)
    quad[i] = std::thread(run_tasks, std::cref(tasks), i, 4);
  for (auto &t : quad)
    t.join();
}

// A std::array of threads abandoned on a bad task list.
void run_quad_array_bad(const std::vector<Task> &tasks) {
  std::array<std::thread, 4> quad;
  for (std::size_t i = 0; i < quad.size(); ++i)
    quad[i] = std::thread(run_tasks, std::cref(tasks), i, 4); // expect: threadlint-unjoined-thread "the threads in 'quad' can be destroyed while joinable"
  if (tasks.empty())
    return;
  for (auto &t : quad)
    t.join();
}

// A deque and a list, joined from the front and the back.
void run_two_queues_ok(const std::vector<Task> &tasks) {
  std::deque<std::thread> io;
  std::list<std::thread> cpu;
  io.emplace_back(run_tasks, std::cref(tasks), 0, 2);
  cpu.emplace_back(run_tasks, std::cref(tasks), 1, 2);
  for (auto &t : io)
    t.join();
  for (auto &t : cpu)
    t.join();
}

// One helper thread appended and joined through back().
void run_with_helper_ok(const std::vector<Task> &tasks) {
  std::vector<std::thread> helpers;
  helpers.emplace_back(run_tasks, std::cref(tasks), 0, 1);
  report(1);
  helpers.back().join();
}

// A vector of jthreads joins itself.
void run_pool_jthread_ok(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::jthread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  if (cancelled())
    return;
  report(static_cast<int>(tasks.size()));
}

// ----------------------------------------- handed over to the owner --

class Pool {
public:
  ~Pool() {
    for (auto &t : threads_)
      if (t.joinable())
        t.join();
  }
  void adopt(std::vector<std::thread> threads) {
    for (auto &t : threads)
      threads_.push_back(std::move(t));
  }

private:
  std::vector<std::thread> threads_;
};

// The pool joins them in its destructor.
void spawn_into_pool_ok(Pool &pool, const std::vector<Task> &tasks,
                        unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  pool.adopt(std::move(workers));
}

// Returned to the caller.
std::vector<std::thread> spawn_ok(const std::vector<Task> &tasks,
                                  unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  return workers;
}

// ------------------------------------------ exceptions in the middle --

void check_budget(int cost) {
  if (cost > 1000)
    throw std::length_error("budget exceeded");
}

// A budget check throws after the workers started.
void run_budgeted_bad(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n); // expect: threadlint-unjoined-thread "an exception from line"
  int total = 0;
  for (const Task &t : tasks)
    total += t.cost;
  check_budget(total);
  for (std::thread &w : workers)
    w.join();
}

// Checks the budget before starting.
void run_budgeted_ok(const std::vector<Task> &tasks, unsigned n) {
  int total = 0;
  for (const Task &t : tasks)
    total += t.cost;
  check_budget(total);
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  for (std::thread &w : workers)
    w.join();
}

// --------------------------------------------- a partial join loop --

// Stops joining at the first slow worker: the rest are destroyed running.
void FN_join_until_slow(const std::vector<Task> &tasks, unsigned n) {
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back(run_tasks, std::cref(tasks), i, n);
  // missed: a join inside a loop counts as joining every element when the
  // loop is entered, so the `break` that leaves the remaining workers
  // running is not seen.
  for (std::thread &w : workers) {
    if (cancelled())
      break;
    w.join();
  }
}
