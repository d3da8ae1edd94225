// Exceptions between the start of a std::thread and its join: a throw in the
// same function, and a callee of this translation unit that throws (directly
// or further down). The unwinding destroys the running thread, which calls
// std::terminate. Negative cases: a try/catch that joins and rethrows, a RAII
// joiner, std::jthread, noexcept callees and noexcept functions, callees that
// catch their own exceptions, and throwing calls before the start or after
// the join.
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// ------------------------------------------------- a config pipeline --

struct Settings {
  std::map<std::string, std::string> values;
};

void prefetch_assets(const std::string &dir);
void warm_cache(int entries);

// Throws on malformed input.
Settings parse_settings(const std::string &text) {
  Settings s;
  std::string::size_type eq = text.find('=');
  if (eq == std::string::npos)
    throw std::invalid_argument("missing '=' in " + text); // expect-note: "'parse_settings' throws here"
  s.values[text.substr(0, eq)] = text.substr(eq + 1);
  return s;
}

// Throws through a callee.
Settings load_settings(const std::string &path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  return parse_settings(text); // expect-note: "'load_settings' calls 'parse_settings'"
}

// The throw in this function skips the join.
void boot_direct_bad(const std::string &dir, bool strict) {
  std::thread prefetch(prefetch_assets, dir); // expect: threadlint-unjoined-thread "thread 'prefetch' can be destroyed while joinable, which calls std::terminate: an exception from line"
  if (strict && dir.empty())
    throw std::runtime_error("no asset directory"); // expect-note: "'prefetch' destroyed here during unwinding, while joinable" // expect-note: "exception thrown here"
  prefetch.join(); // expect-note: "'prefetch' is joined here, but the exception skips the join"
}

// A callee that throws: parse_settings() can throw from the start.
void boot_parse_bad(const std::string &dir, const std::string &text) {
  std::thread prefetch(prefetch_assets, dir); // expect: threadlint-unjoined-thread "join it in a RAII guard (or a catch block that rethrows)"
  Settings s = parse_settings(text); // expect-note: "an exception can leave this call"
  warm_cache(static_cast<int>(s.values.size()));
  prefetch.join();
}

// Two calls down: load_settings() -> parse_settings() -> throw.
void boot_load_bad(const std::string &dir, const std::string &path) {
  std::thread warmer(warm_cache, 1024); // expect: threadlint-unjoined-thread "an exception from line"
  Settings s = load_settings(path + "/app.conf");
  prefetch_assets(dir + "/" + s.values["theme"]);
  warmer.join();
}

// Starts the thread only after the parse.
void boot_parse_first_ok(const std::string &dir, const std::string &text) {
  Settings s = parse_settings(text);
  std::thread prefetch(prefetch_assets, dir);
  warm_cache(static_cast<int>(s.values.size()));
  prefetch.join();
}

// Joins before the throwing call.
void boot_join_first_ok(const std::string &dir, const std::string &text) {
  std::thread prefetch(prefetch_assets, dir);
  prefetch.join();
  Settings s = parse_settings(text);
  warm_cache(static_cast<int>(s.values.size()));
}

// Joins in the handler and rethrows.
void boot_rethrow_ok(const std::string &dir, const std::string &text) {
  std::thread prefetch(prefetch_assets, dir);
  try {
    Settings s = parse_settings(text);
    warm_cache(static_cast<int>(s.values.size()));
  } catch (...) {
    prefetch.join();
    throw;
  }
  prefetch.join();
}

// Swallows the error and joins after the try.
void boot_swallow_ok(const std::string &dir, const std::string &text) {
  std::thread prefetch(prefetch_assets, dir);
  try {
    Settings s = parse_settings(text);
    warm_cache(static_cast<int>(s.values.size()));
  } catch (const std::invalid_argument &) {
    warm_cache(0);
  }
  prefetch.join();
}

// The handler gives up without joining: the thread is destroyed on its
// return.
// missed: the catch handlers are not reached in the function's CFG (it has
// no exception edges), so the `return -1;` inside the handler, which
// destroys the running 'prefetch', is never seen.
int FN_boot_handler_returns(const std::string &dir, const std::string &text) {
  std::thread prefetch(prefetch_assets, dir);
  try {
    Settings s = parse_settings(text);
    warm_cache(static_cast<int>(s.values.size()));
  } catch (const std::exception &) {
    return -1;
  }
  prefetch.join();
  return 0;
}

// std::jthread joins during unwinding.
void boot_jthread_ok(const std::string &dir, const std::string &text) {
  std::jthread prefetch(prefetch_assets, dir);
  Settings s = parse_settings(text);
  warm_cache(static_cast<int>(s.values.size()));
}

// A RAII joiner.
struct Joiner {
  std::thread &t;
  ~Joiner() {
    if (t.joinable())
      t.join();
  }
};

void boot_guard_ok(const std::string &dir, const std::string &text) {
  std::thread prefetch(prefetch_assets, dir);
  Joiner j{prefetch};
  Settings s = parse_settings(text);
  warm_cache(static_cast<int>(s.values.size()));
}

// Detached, so nothing is left to join when the exception passes.
void boot_detached_ok(const std::string &dir, const std::string &text) {
  std::thread prefetch(prefetch_assets, dir);
  prefetch.detach();
  Settings s = parse_settings(text);
  warm_cache(static_cast<int>(s.values.size()));
}

// ------------------------------------------------ noexcept and catches --

// Cannot throw: reports the error in its return value.
bool try_parse(const std::string &text, Settings &out) noexcept {
  std::string::size_type eq = text.find('=');
  if (eq == std::string::npos)
    return false;
  out.values[text.substr(0, eq)] = text.substr(eq + 1);
  return true;
}

// Catches what parse_settings throws.
bool parse_or_default(const std::string &text, Settings &out) {
  try {
    out = parse_settings(text);
    return true;
  } catch (const std::invalid_argument &) {
    out = Settings{};
    return false;
  }
}

void boot_noexcept_callee_ok(const std::string &dir, const std::string &text) {
  std::thread prefetch(prefetch_assets, dir);
  Settings s;
  if (!try_parse(text, s))
    s.values["theme"] = "default";
  prefetch.join();
}

void boot_catching_callee_ok(const std::string &dir, const std::string &text) {
  std::thread prefetch(prefetch_assets, dir);
  Settings s;
  parse_or_default(text, s);
  prefetch.join();
}

// A noexcept function: an exception here terminates anyway.
void boot_noexcept_ok(const std::string &dir, const std::string &text) noexcept {
  std::thread prefetch(prefetch_assets, dir);
  Settings s = parse_settings(text);
  warm_cache(static_cast<int>(s.values.size()));
  prefetch.join();
}

// ------------------------------------------------ a worker group --

struct Batch {
  std::vector<int> items;
};

void crunch(const Batch &b);

void validate(const Batch &b) {
  for (int v : b.items)
    if (v < 0)
      throw std::out_of_range("negative item");
}

// Validates the second batch while the first is crunched.
void crunch_pair_bad(const Batch &a, const Batch &b) {
  std::thread first(crunch, std::cref(a)); // expect: threadlint-unjoined-thread "an exception from line"
  validate(b);
  std::thread second(crunch, std::cref(b));
  first.join();
  second.join();
}

void crunch_pair_ok(const Batch &a, const Batch &b) {
  validate(a);
  validate(b);
  std::thread first(crunch, std::cref(a));
  std::thread second(crunch, std::cref(b));
  first.join();
  second.join();
}

// Joins the first worker when the second batch is rejected.
void crunch_pair_rethrow_ok(const Batch &a, const Batch &b) {
  std::thread first(crunch, std::cref(a));
  try {
    validate(b);
  } catch (...) {
    first.join();
    throw;
  }
  std::thread second(crunch, std::cref(b));
  first.join();
  second.join();
}

// ------------------------------------------ a try around the thread --

struct Connection {
  explicit Connection(int fd) : fd(fd) {
    if (fd < 0)
      throw std::invalid_argument("bad descriptor");
  }
  int fd;
};

void serve_connection(int fd);

// The thread lives inside the try: the exception unwinds past it before
// the handler runs.
void accept_one_bad(int fd) {
  try {
    std::thread session(serve_connection, fd); // expect: threadlint-unjoined-thread "an exception from line"
    Settings s = load_settings("/etc/app.conf");
    session.join();
  } catch (const std::exception &) {
    warm_cache(0);
  }
}

// The constructor of a local object throws.
void accept_conn_bad(int fd) {
  std::thread warmer(warm_cache, 64); // expect: threadlint-unjoined-thread "thread 'warmer' can be destroyed while joinable, which calls std::terminate: an exception from line"
  Connection c(fd); // expect-note: "an exception can leave this call"
  serve_connection(c.fd);
  warmer.join();
}

void accept_conn_ok(int fd) {
  Connection c(fd);
  std::thread warmer(warm_cache, 64);
  serve_connection(c.fd);
  warmer.join();
}
