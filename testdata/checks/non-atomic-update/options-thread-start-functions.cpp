// CONFIG: {CheckOptions: {ThreadStartFunctions: "net::Pool::submit;net::post"}}
// ThreadStartFunctions names the functions that run a callable on another
// thread: here a thread pool's submit() and a free post(). Their tasks run
// on several pool threads at once, so an unlocked update in a task loses
// updates. The same code handed to a function not in the list is not a
// thread start.
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace net {
class Pool {
public:
  void submit(std::function<void()> task);
};
void post(std::function<void()> task);
void run_inline(std::function<void()> task);
} // namespace net

void serve(int request);

long g_served = 0;
long g_posted = 0;
long g_inline = 0;
long g_locked = 0;
std::mutex g_mu;

void dispatch_bad(net::Pool &pool, int request) {
  pool.submit([request] {
    serve(request);
    ++g_served; // expect: threadlint-non-atomic-update "non-atomic update of 'g_served' in thread 'lambda at options-thread-start-functions.cpp:30', while another thread running 'lambda at options-thread-start-functions.cpp:30' runs the same update"
  });
}

void count_post() { g_posted += 1; } // expect: threadlint-non-atomic-update "non-atomic update of 'g_posted'"

void post_bad() { net::post(count_post); }

// Not in the list: runs on the caller's thread as far as the model knows.
void run_inline_ok(int request) {
  net::run_inline([request] {
    serve(request);
    ++g_inline;
  });
}

void dispatch_locked_ok(net::Pool &pool, int request) {
  pool.submit([request] {
    serve(request);
    std::lock_guard<std::mutex> lock(g_mu);
    ++g_locked;
  });
}

// A task that only updates its own copy.
void dispatch_local_ok(net::Pool &pool, int request) {
  pool.submit([request]() mutable {
    ++request;
    serve(request);
  });
}

// Per-task slots: each task writes its own element.
void dispatch_slots_ok(net::Pool &pool, std::vector<long> &slots) {
  for (std::size_t i = 0; i < slots.size(); ++i)
    pool.submit([&slots, i] { slots[i] = static_cast<long>(i); });
}
