// Detached threads whose lambda captures the starting function's locals by
// reference ([&x], [&]) or captures 'this' ([this], implicitly through [&]),
// for a temporary detached at once, a named thread detached later, a member
// thread, a std::jthread, and a lambda stored in a local first. Negative
// cases: by-value captures and init-captures, std::move into the lambda,
// shared_ptr and shared_from_this(), static locals and globals, reference
// parameters (someone else's object), and threads that are joined.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

void write_file(const std::string &path, const std::string &data);
std::string render(const std::map<std::string, std::string> &vars);

// ------------------------------------------------ a report generator --

// The buffer dies when the function returns; the thread keeps writing it.
void export_report_bad(const std::string &path) {
  std::string body = "report\n";
  std::thread([&body, path] { write_file(path, body); }).detach(); // expect: threadlint-detached-thread "detached thread captures local 'body' by reference: 'body' is destroyed when 'export_report_bad' returns, while the thread may still use it; capture by value or move the data into the thread (std::shared_ptr for data it shares), or join the thread" // expect-note: "thread started here (std::thread)" // expect-note: "the thread captures local 'body' by reference here"
}

// [&] picks up every local it uses.
void export_vars_bad(const std::string &path) {
  std::map<std::string, std::string> vars{{"title", "Q3"}};
  std::string out;
  std::thread([&] { // expect: threadlint-detached-thread "detached thread captures local 'out' by reference ([&]) (and 1 more): 'out' is destroyed when 'export_vars_bad' returns"
    out = render(vars); // expect-note: "the thread captures local 'out' by reference ([&]) here" // expect-note: "the thread captures local 'vars' by reference ([&]) here"
    write_file(path, out);
  }).detach();
}

// Copies.
void export_report_ok(const std::string &path) {
  std::string body = "report\n";
  std::thread([body, path] { write_file(path, body); }).detach();
}

// [=] copies every local it uses.
void export_vars_ok(const std::string &path) {
  std::map<std::string, std::string> vars{{"title", "Q3"}};
  std::thread([=] { write_file(path, render(vars)); }).detach();
}

// Moved in.
void export_moved_ok(const std::string &path, std::string body) {
  std::thread([path, body = std::move(body)] { write_file(path, body); })
      .detach();
}

// Init-capture by value of a computed string.
void export_rendered_ok(const std::string &path,
                        const std::map<std::string, std::string> &vars) {
  std::thread([path, text = render(vars)] { write_file(path, text); }).detach();
}

// Shared ownership.
void export_shared_ok(const std::string &path) {
  auto body = std::make_shared<std::string>("report\n");
  std::thread([body, path] { write_file(path, *body); }).detach();
}

// By reference, but joined.
void export_joined_ok(const std::string &path) {
  std::string body = "report\n";
  std::thread t([&body, &path] { write_file(path, body); });
  t.join();
}

// A reference parameter: the caller's object, not this function's local.
void export_param_ok(const std::string &path, const std::string &body) {
  std::thread([&path, &body] { write_file(path, body); }).detach();
}

// --------------------------------------------- named threads, detach later --

void export_named_bad(const std::string &path) {
  std::vector<std::string> lines{"a", "b"};
  std::thread t([&lines, path] {
    for (const std::string &l : lines)
      write_file(path, l);
  });
  std::printf("exporting %zu lines\n", lines.size());
  t.detach(); // expect: threadlint-detached-thread "detached thread captures local 'lines' by reference"
}

void export_named_ok(const std::string &path) {
  std::vector<std::string> lines{"a", "b"};
  std::thread t([lines, path] {
    for (const std::string &l : lines)
      write_file(path, l);
  });
  std::printf("exporting %zu lines\n", lines.size());
  t.detach();
}

// The lambda is stored in a local before the thread starts.
void export_stored_lambda_bad(const std::string &path) {
  int written = 0;
  auto job = [&written, path] {
    write_file(path, "x");
    ++written;
  };
  std::thread(job).detach(); // expect: threadlint-detached-thread "detached thread captures local 'written' by reference"
}

void export_stored_lambda_ok(const std::string &path) {
  auto job = [path] { write_file(path, "x"); };
  std::thread(job).detach();
}

// A std::jthread detached: it no longer joins.
void export_jthread_bad(const std::string &path) {
  std::string body = "jthread";
  std::jthread t([&body, path] { write_file(path, body); });
  t.detach(); // expect: threadlint-detached-thread "detached thread captures local 'body' by reference"
}

// A std::jthread kept: it joins on destruction.
void export_jthread_ok(const std::string &path) {
  std::string body = "jthread";
  std::jthread t([&body, path] { write_file(path, body); });
}

// ------------------------------------------ statics and globals --

std::atomic<int> g_exports{0};
std::mutex g_log_mu;

void count_export_ok(const std::string &path) {
  static std::atomic<int> s_calls{0};
  std::thread([path] {
    ++s_calls;
    ++g_exports;
    std::lock_guard<std::mutex> l(g_log_mu);
    write_file(path, "counted");
  }).detach();
}

// [&] only names statics and globals here: nothing is captured.
void count_export_all_ok(const std::string &path) {
  static int s_seq = 0;
  ++s_seq;
  std::thread([&] {
    std::lock_guard<std::mutex> l(g_log_mu);
    ++g_exports;
    write_file("/tmp/seq", std::to_string(s_seq));
  }).detach();
  std::printf("%s\n", path.c_str());
}

// ------------------------------------------------------ 'this' --

class Session : public std::enable_shared_from_this<Session> {
public:
  explicit Session(std::string user) : user_(std::move(user)) {}
  ~Session() { stop_ok(); }

  // The session can be destroyed while the thread runs.
  void refresh_bad() {
    std::thread([this] { load_profile(); }).detach(); // expect: threadlint-detached-thread "detached thread captures 'this': nothing keeps the 'Session' alive while it runs; capture a std::shared_ptr to the object (shared_from_this()), or keep the thread and join it before the object is destroyed"
  }

  // [&] captures 'this' when a member is used.
  void refresh_all_bad() {
    std::thread([&] { load_profile(); }).detach(); // expect: threadlint-detached-thread "detached thread captures 'this' implicitly"
  }

  // Keeps the session alive.
  void refresh_ok() {
    std::thread([self = shared_from_this()] { self->load_profile(); }).detach();
  }

  // Copies what the thread needs.
  void audit_ok() const {
    std::thread([user = user_] { write_file("/var/log/audit", user); })
        .detach();
  }

  // A member thread detached: still 'this'.
  void start_keepalive_bad() {
    keepalive_ = std::thread([this] { ping(); });
    keepalive_.detach(); // expect: threadlint-detached-thread "detached thread captures 'this'"
  }

  // A member thread joined by stop().
  void start_keepalive_ok() { keepalive_ = std::thread([this] { ping(); }); }
  void stop_ok() {
    if (keepalive_.joinable())
      keepalive_.join();
  }

private:
  void load_profile() { write_file("/tmp/profile", user_); }
  void ping() { write_file("/tmp/ping", user_); }

  std::string user_;
  std::thread keepalive_;
};

// ------------------------------------------- pointers captured by value --

// The pointer is copied, but it points at a local.
// missed: only by-reference captures of locals count; a pointer to a local
// captured by value is not followed to what it points at.
void FN_export_pointer_capture(const std::string &path) {
  std::string body = "pointer";
  std::string *p = &body;
  std::thread([p, path] { write_file(path, *p); }).detach();
}

// A heap object owned by the thread.
void export_heap_ok(const std::string &path) {
  auto *body = new std::string("heap");
  std::thread([body, path] {
    write_file(path, *body);
    delete body;
  }).detach();
}

// ------------------------------------------------ more locals --

// A shared_ptr captured by reference: the local handle itself dies.
void export_shared_by_ref_bad(const std::string &path) {
  auto body = std::make_shared<std::string>("report\n");
  std::thread([&body, path] { write_file(path, *body); }).detach(); // expect: threadlint-detached-thread "detached thread captures local 'body' by reference"
}

// A local reference to the process-wide template: the referenced object
// is not this function's.
const std::string &current_template();

void export_global_alias_ok(const std::string &path) {
  const std::string &tpl = current_template();
  std::thread([&tpl, path] { write_file(path, tpl); }).detach();
}

// A constant is not captured at all.
void export_constant_ok(const std::string &path) {
  constexpr int kCopies = 3;
  std::thread([&, path] {
    for (int i = 0; i < kCopies; ++i)
      write_file(path + "." + std::to_string(i), "copy");
  }).detach();
}

// One thread per file, each with its own copy of the index.
void export_each_ok(const std::vector<std::string> &paths) {
  for (std::size_t i = 0; i < paths.size(); ++i)
    std::thread([i, p = paths[i]] { write_file(p, std::to_string(i)); })
        .detach();
}

// The loop variable ends with each iteration.
void export_each_bad(const std::vector<std::string> &paths) {
  for (std::size_t i = 0; i < paths.size(); ++i)
    std::thread([&i, &paths] { write_file(paths[i], "x"); }).detach(); // expect: threadlint-detached-thread "detached thread captures local 'i' by reference"
}

// --------------------------------------- detached through another owner --

// The thread object is moved to another variable, which is detached.
// missed: only a .detach() on the variable the thread was started into is
// followed, not on a variable it was moved to.
void FN_export_moved_thread(const std::string &path) {
  std::string body = "moved";
  std::thread t([&body, path] { write_file(path, body); });
  std::thread bg = std::move(t);
  bg.detach();
}

// ------------------------------------------------ by-value parameters --

// A parameter taken by value is a local of this call.
void export_param_copy_bad(std::string path) {
  std::thread([&path] { write_file(path, "param"); }).detach(); // expect: threadlint-detached-thread "detached thread captures local 'path' by reference: 'path' is destroyed when 'export_param_copy_bad' returns"
}

void export_param_copy_ok(std::string path) {
  std::thread([path = std::move(path)] { write_file(path, "param"); }).detach();
}

// ------------------------------------------------ reuse and keep-alive --

void consume(const std::string &);

// The first thread borrows 'scratch' but is joined; the thread detached
// afterwards owns its copy of 'path'.
void reuse_after_join_ok(std::string path) {
  std::string scratch = "tmp";
  std::thread t([&scratch] { consume(scratch); });
  t.join();
  t = std::thread([path] { consume(path); });
  t.detach();
}

class Conn : public std::enable_shared_from_this<Conn> {
public:
  // 'this' is captured for convenience; 'self' keeps the object alive.
  void start_read_ok() {
    std::thread([this, self = shared_from_this()] { read_loop(); }).detach();
  }
  void start_write_ok() {
    auto self = shared_from_this();
    std::thread([this, self] { write_loop(); }).detach();
  }

private:
  void read_loop() {}
  void write_loop() {}
};
