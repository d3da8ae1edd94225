// CONFIG: {CheckOptions: {ThreadStartFunctions: "net::Pool::submit;net::post"}}
// ThreadStartFunctions names the functions that run a callable on another
// thread: a thread pool's submit() and a free post(). Unsafe calls in the
// tasks they receive, and in the functions those tasks call, are reported.
// The same code handed to a function that is not in the list
// (net::run_inline) runs on the caller's thread, and the reentrant
// versions are silent.
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>

namespace net {
class Pool {
public:
  void submit(std::function<void()> task);
};
void post(std::function<void()> task);
void run_inline(std::function<void()> task);
} // namespace net

void deliver(const std::string &text);

std::string local_stamp(std::time_t t) {
  char buf[32];
  std::strftime(buf, sizeof buf, "%F %T", std::localtime(&t)); // expect: threadlint-mt-unsafe-call "'localtime' is not thread-safe (it returns a pointer to one static struct tm) and runs in thread 'local_stamp_task'"
  return buf;
}

void local_stamp_task() { deliver(local_stamp(std::time(nullptr))); }

std::string local_stamp_ok(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%F %T", &tm);
  return buf;
}

void split_on_pool(net::Pool &pool, std::string csv) {
  pool.submit([csv]() mutable { // expect-note: "the thread is started here"
    for (char *f = std::strtok(csv.data(), ","); f; // expect: threadlint-mt-unsafe-call "'strtok' is not thread-safe (it keeps its position in a static buffer shared by all threads) and runs in thread 'lambda at options-thread-start-functions.cpp:42'"
         f = std::strtok(nullptr, ",")) // expect: threadlint-mt-unsafe-call "'strtok' is not thread-safe (it keeps its position in a static buffer shared by all threads) and runs in thread 'lambda at options-thread-start-functions.cpp:42'"
      deliver(f);
  });
}

void stamp_on_post() {
  net::post(local_stamp_task); // expect-note: "the thread is started here"
}

void split_on_pool_ok(net::Pool &pool, std::string csv) {
  pool.submit([csv]() mutable {
    char *save = nullptr;
    for (char *f = strtok_r(csv.data(), ",", &save); f;
         f = strtok_r(nullptr, ",", &save))
      deliver(f);
  });
}

void stamp_on_post_ok() {
  net::post([] { deliver(local_stamp_ok(std::time(nullptr))); });
}

// Not in the list: run_inline runs the task on the calling thread.
void split_inline_ok(std::string csv) {
  net::run_inline([csv]() mutable {
    for (char *f = std::strtok(csv.data(), ","); f; f = std::strtok(nullptr, ","))
      deliver(f);
  });
}
