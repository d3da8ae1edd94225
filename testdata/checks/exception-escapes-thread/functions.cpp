// Exceptions that can leave a thread entry given as a function to
// std::thread or std::jthread: a throw in the entry itself, a call chain
// entry -> load -> parse -> throw, a rethrow from a catch handler, a thread
// created as a temporary (named after its function), and a local lambda
// that throws. Negative cases: the same entries wrapped in try/catch, throws
// caught inside the entry or inside the callee, noexcept callees, functions
// that throw but run only on the main thread, consteval checks (a throw
// there is a compile error), throwing destructors (implicitly noexcept).
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

struct Config {
  std::string host;
  int port = 0;
};

void log_error(const char *what);
void run_server(int port);
std::string read_file(const std::string &path);
void apply(const Config &c);

// ------------------------------------------------ a throw in the entry --

void serve(int port) {
  if (port <= 0 || port > 65535)
    throw std::invalid_argument("port out of range"); // expect: threadlint-exception-escapes-thread "an exception thrown here can escape thread 'serve' (started with std::thread at line 36): an exception leaving a thread's function calls std::terminate"
  run_server(port);
}

void start_server_bad(int port) {
  std::thread server(serve, port); // expect-note: "the thread is started here"
  server.join();
}

// Validated before the thread starts, and the entry catches anyway.
void serve_checked(int port) {
  try {
    if (port <= 0 || port > 65535)
      throw std::invalid_argument("port out of range");
    run_server(port);
  } catch (const std::exception &e) {
    log_error(e.what());
  }
}

void start_server_ok(int port) {
  std::thread server(serve_checked, port);
  server.join();
}

// ---------------------------------------- a chain: load -> parse -> throw --

Config parse(const std::string &text) {
  Config c;
  std::size_t colon = text.find(':');
  if (colon == std::string::npos)
    throw std::runtime_error("config: expected host:port"); // expect-note: "'parse' throws here"
  c.host = text.substr(0, colon);
  c.port = static_cast<int>(text.size() - colon);
  return c;
}

Config load(const std::string &path) {
  std::string text = read_file(path);
  return parse(text); // expect-note: "'load' calls 'parse'"
}

void reload(std::string path) {
  Config c = load(path); // expect: threadlint-exception-escapes-thread "an exception thrown by 'parse' (line 62) can escape thread 'reload' (started with std::thread at line 79)"
  apply(c);
}

void start_reloader_bad(const std::string &path) {
  std::thread reloader(reload, path); // expect-note: "the thread is started here"
  reloader.join();
}

// The standard fix: a top-level handler in the entry.
void reload_guarded(std::string path) {
  try {
    Config c = load(path);
    apply(c);
  } catch (...) {
    log_error("reload failed");
  }
}

void start_reloader_ok(const std::string &path) {
  std::thread reloader(reload_guarded, path);
  reloader.join();
}

// The same chain, with a handler that matches what parse throws.
void reload_logged(std::string path) {
  try {
    apply(load(path));
  } catch (const std::exception &e) {
    log_error(e.what());
  }
}

void start_logged_reloader_ok(const std::string &path) {
  std::jthread reloader(reload_logged, path);
}

// ------------------------------------- callees that do not let it out --

// Catches its own exception and reports failure by value.
bool try_parse(const std::string &text, Config &out) {
  try {
    out = parse(text);
    return true;
  } catch (const std::runtime_error &) {
    return false;
  }
}

void reload_quietly(std::string path) {
  Config c;
  if (try_parse(read_file(path), c))
    apply(c);
}

void start_quiet_reloader_ok(const std::string &path) {
  std::thread reloader(reload_quietly, path);
  reloader.join();
}

// noexcept: an exception stops at this boundary (std::terminate there, not
// a thread escape); the built-in text always parses.
Config default_config() noexcept { return parse("localhost:8080"); }

void serve_defaults() { apply(default_config()); }

void start_default_server_ok() {
  std::thread server(serve_defaults);
  server.join();
}

// ----------------------------- throws that only run on the main thread --

int parse_port_arg(const char *arg) {
  int port = 0;
  if (std::sscanf(arg, "%d", &port) != 1)
    throw std::invalid_argument("usage: server PORT");
  return port;
}

void listen_forever(int port) { run_server(port); }

// parse_port_arg throws on the main thread, before any thread exists.
int main_ok(int argc, char **argv) {
  if (argc < 2)
    return 2;
  int port = parse_port_arg(argv[1]);
  std::thread listener(listen_forever, port);
  listener.join();
  return 0;
}

// ------------------------------------------- compile-time checks only --

// consteval: a throw here is a compile error, never a run-time exception
// (the pattern std::format and fmt use to check format strings).
consteval int checked_port(int port) {
  if (port <= 0 || port > 65535)
    throw "port out of range";
  return port;
}

void serve_default_port() { run_server(checked_port(8080)); }

void start_default_port_ok() {
  std::thread server(serve_default_port);
  server.join();
}

// --------------------------------------------------- rethrow in a handler --

void compact_segment(int segment);

// A handler is not inside its try block: `throw;` leaves the entry.
void compact_all(int segments) {
  try {
    for (int s = 0; s < segments; ++s)
      compact_segment(s);
  } catch (const std::exception &e) {
    log_error(e.what());
    throw; // expect: threadlint-exception-escapes-thread "an exception thrown here can escape thread 'compact_all' (started with std::thread at line 199)"
  }
}

void start_compactor_bad(int segments) {
  std::thread compactor(compact_all, segments); // expect-note: "the thread is started here"
  compactor.join();
}

void compact_all_logged(int segments) {
  try {
    for (int s = 0; s < segments; ++s)
      compact_segment(s);
  } catch (const std::exception &e) {
    log_error(e.what());
  }
}

void start_compactor_ok(int segments) {
  std::thread compactor(compact_all_logged, segments);
  compactor.join();
}

// ---------------------------------------------- threads without a name --

struct Shard {
  std::vector<std::string> keys;
};

void check_shard(const Shard &s) {
  if (s.keys.empty())
    throw std::logic_error("empty shard"); // expect-note: "'check_shard' throws here"
}

void verify(const Shard *s) {
  check_shard(*s); // expect: threadlint-exception-escapes-thread "an exception thrown by 'check_shard' (line 225) can escape thread 'verify' (started with std::thread at line 235)"
}

void verify_all_bad(const std::vector<Shard> &shards) {
  std::vector<std::thread> pool;
  for (const Shard &s : shards)
    pool.push_back(std::thread(verify, &s)); // expect-note: "the thread is started here"
  for (std::thread &t : pool)
    t.join();
}

// --------------------------------------------- a local lambda that throws --

void ingest(int batch_size) {
  auto require_positive = [](int v) {
    if (v <= 0)
      throw std::out_of_range("batch size must be positive"); // expect-note: "throws here"
  };
  require_positive(batch_size); // expect: threadlint-exception-escapes-thread "can escape thread 'ingest'"
  run_server(batch_size);
}

void start_ingest_bad(int batch_size) {
  std::thread ingester(ingest, batch_size); // expect-note: "the thread is started here"
  ingester.join();
}

// The lambda validates on the starting thread, before the thread exists.
void start_ingest_ok(int batch_size) {
  auto require_positive = [](int v) {
    if (v <= 0)
      throw std::out_of_range("batch size must be positive");
  };
  require_positive(batch_size);
  std::thread ingester(listen_forever, batch_size);
  ingester.join();
}

// ---------------------------------------------------- a throwing destructor --

class TempDir {
public:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  // Destructors are noexcept: this calls std::terminate wherever it runs,
  // which is not what this rule is about.
  ~TempDir() {
    if (std::remove(path_.c_str()) != 0)
      throw std::runtime_error("cannot remove " + path_);
  }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

void render_into(const std::string &dir);

void render_job(std::string dir) {
  TempDir tmp(dir);
  render_into(tmp.path());
}

void start_render_ok(const std::string &dir) {
  std::thread renderer(render_job, dir);
  renderer.join();
}

// ---------------------------------------------------------- out of reach --

// std::stoi throws std::invalid_argument on "abc"; library functions are
// not guessed to throw, so this is not reported.
void apply_port(std::string text) { run_server(std::stoi(text)); }

void FN_library_throws(const std::string &text) {
  std::thread t(apply_port, text);
  t.join();
}

// Any try around the call silences the entry, even when its handler cannot
// catch what parse throws (std::runtime_error is not a std::system_error).
void reload_wrong_handler(std::string path) {
  try {
    apply(load(path));
  } catch (const std::system_error &e) {
    log_error(e.what());
  }
}

void FN_narrow_catch(const std::string &path) {
  std::thread t(reload_wrong_handler, path);
  t.join();
}
