// CONFIG: {CheckOptions: {threadlint-blocking-in-coroutine.BlockingFunctions: "db::Connection::query;rpc::call"}}
// Extra blocking functions from the BlockingFunctions option: a synchronous
// database client and an RPC stub, declared here without a body, called from
// coroutines directly and through a helper. Negative cases: the asynchronous
// variants (awaitables), the listed calls in ordinary functions and in a
// lambda posted to a thread pool.
#include <coroutine>
#include <exception>
#include <functional>
#include <string>
#include <vector>

struct Task {
  struct promise_type {
    Task get_return_object() noexcept {
      return Task{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

namespace db {
struct Rows {
  std::vector<std::string> values;
};
struct QueryAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  Rows await_resume();
};
class Connection {
public:
  Rows query(const std::string &sql);                   // blocks until the reply
  QueryAwaiter query_async(const std::string &sql);     // suspends instead
};
} // namespace db

namespace rpc {
std::string call(const std::string &method, const std::string &body);
}

class ThreadPool {
public:
  void post(std::function<void()> job);
};

void render(const db::Rows &rows);

Task list_users(db::Connection &conn) {
  db::Rows rows = conn.query("SELECT name FROM users"); // expect: threadlint-blocking-in-coroutine "coroutine 'list_users' calls 'db::Connection::query', which is listed as blocking"
  render(rows);
  co_return;
}

Task list_users_ok(db::Connection &conn) {
  db::Rows rows = co_await conn.query_async("SELECT name FROM users");
  render(rows);
}

std::string lookup_owner(const std::string &id) { return rpc::call("owner", id); } // expect-note: "'rpc::call' is listed as blocking here"

Task show_owner(std::string id) {
  std::string owner = lookup_owner(id); // expect: threadlint-blocking-in-coroutine "coroutine 'show_owner' calls 'lookup_owner', which calls 'rpc::call', which is listed as blocking"
  render(db::Rows{{owner}});
  co_return;
}

// The synchronous path of a command-line tool: no event loop.
void show_owner_cli_ok(const std::string &id) {
  render(db::Rows{{lookup_owner(id)}});
}

Task show_owner_offloaded_ok(ThreadPool &pool, std::string id) {
  pool.post([id] { render(db::Rows{{lookup_owner(id)}}); });
  co_return;
}
