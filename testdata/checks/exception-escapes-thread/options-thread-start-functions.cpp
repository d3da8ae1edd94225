// CONFIG: {CheckOptions: {ThreadStartFunctions: "jobs::Pool::submit"}}
// ThreadStartFunctions names a thread pool's submit function. Tasks given
// to the pool are not checked by this rule: whether an exception that
// leaves a task is caught, stored or fatal is the pool's decision. A
// std::thread started in the same file still is.
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

namespace jobs {
// Runs each task on a worker; a task's exception is logged and dropped.
class Pool {
public:
  void submit(std::function<void()> task);
};
} // namespace jobs

void compress(const std::string &path) {
  if (path.empty())
    throw std::invalid_argument("empty path"); // expect-note: "'compress' throws here"
}

void compress_in_pool_ok(jobs::Pool &pool, std::string path) {
  pool.submit([path] { compress(path); });
}

void compress_in_thread_bad(std::string path) {
  std::thread worker([path] { compress(path); }); // expect: threadlint-exception-escapes-thread "an exception thrown by 'compress' (line 21) can escape thread 'worker'" // expect-note: "the thread is started here"
  worker.join();
}
