// Local std::thread objects that a path destroys while they still run: an
// early return, a join on one branch only, a break/continue out of the
// thread's scope, and reassignment of a running thread. Negative cases: a
// join or detach on every path, the if (t.joinable()) t.join(); idiom,
// std::jthread, threads moved or returned to an owner, and threads handed
// to a joiner function or a RAII guard.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// ------------------------------------------------------ a tiny server --

struct Config {
  std::string root;
  int port = 0;
  bool valid() const { return port > 0 && !root.empty(); }
};

void flush_loop(const Config &cfg);
void accept_loop(const Config &cfg);
void log_line(const std::string &line);

// Starts the flusher, then bails out on a bad config: the flusher is
// destroyed while it still runs.
void serve_bad(const Config &cfg) {
  std::thread flusher(flush_loop, std::cref(cfg)); // expect: threadlint-unjoined-thread "thread 'flusher' can be destroyed while joinable, which calls std::terminate: the 'return' on line" // expect-note: "'flusher' declared here"
  if (!cfg.valid())
    return; // expect-note: "'flusher' destroyed here while joinable"
  accept_loop(cfg);
  flusher.join(); // expect-note: "'flusher' is joined here, but not on that path"
}

// Validates before starting anything.
void serve_ok(const Config &cfg) {
  if (!cfg.valid())
    return;
  std::thread flusher(flush_loop, std::cref(cfg));
  accept_loop(cfg);
  flusher.join();
}

// Joins before the early return, too.
void serve_join_early_ok(const Config &cfg) {
  std::thread flusher(flush_loop, std::cref(cfg));
  if (!cfg.valid()) {
    flusher.join();
    return;
  }
  accept_loop(cfg);
  flusher.join();
}

// std::jthread joins in its destructor, on the early return as well.
void serve_jthread_ok(const Config &cfg) {
  std::jthread flusher([&cfg] { flush_loop(cfg); });
  if (!cfg.valid())
    return;
  accept_loop(cfg);
}

// ------------------------------------------------- a branch-only join --

void compact_index(const std::string &dir);

// Waits for the compaction only in verbose mode.
void maintenance_bad(const std::string &dir, bool verbose) {
  std::thread compactor(compact_index, dir); // expect: threadlint-unjoined-thread "thread 'compactor' can be destroyed while joinable, which calls std::terminate: 'compactor' goes out of scope on line"
  if (verbose) {
    compactor.join(); // expect-note: "'compactor' is joined here, on another path"
    log_line("compaction done");
  }
} // expect-note: "'compactor' destroyed here while joinable"

// Joins on one branch and detaches on the other.
void maintenance_ok(const std::string &dir, bool verbose) {
  std::thread compactor(compact_index, dir);
  if (verbose) {
    compactor.join();
    log_line("compaction done");
  } else {
    compactor.detach();
  }
}

// The joinable() idiom: joined whenever there is something to join.
void maintenance_maybe_ok(const std::string &dir, bool run) {
  std::thread compactor;
  if (run)
    compactor = std::thread(compact_index, dir);
  log_line("maintenance scheduled");
  if (compactor.joinable())
    compactor.join();
}

// Started on some paths, joined under the same condition.
void maintenance_same_condition_ok(const std::string &dir, bool run) {
  std::thread compactor;
  if (run)
    compactor = std::thread(compact_index, dir);
  log_line("maintenance scheduled");
  if (run)
    compactor.join();
}

// The negated form of the idiom, with an early return.
void maintenance_negated_ok(const std::string &dir, bool run) {
  std::thread compactor;
  if (run)
    compactor = std::thread(compact_index, dir);
  if (!compactor.joinable())
    return;
  compactor.join();
}

// ---------------------------------------------- loops: break/continue --

bool fetch_next(std::string &url);
void download(const std::string &url);

// A download per iteration; `break` leaves the loop body with it running.
void crawl_bad(int budget) {
  std::string url;
  while (fetch_next(url)) {
    std::thread fetcher(download, url); // expect: threadlint-unjoined-thread "thread 'fetcher' can be destroyed while joinable, which calls std::terminate: the jump on line"
    if (--budget == 0)
      break; // expect-note: "'fetcher' destroyed here while joinable"
    fetcher.join();
  }
}

// `continue` skips the join.
void crawl_skip_bad(const std::vector<std::string> &urls) {
  for (const std::string &url : urls) {
    std::thread fetcher(download, url); // expect: threadlint-unjoined-thread "thread 'fetcher' can be destroyed while joinable, which calls std::terminate: the jump on line"
    if (url.empty())
      continue; // expect-note: "'fetcher' destroyed here while joinable"
    fetcher.join(); // expect-note: "'fetcher' is joined here, but not on that path"
  }
}

void crawl_ok(int budget) {
  std::string url;
  while (fetch_next(url)) {
    std::thread fetcher(download, url);
    fetcher.join();
    if (--budget == 0)
      break;
  }
}

void crawl_skip_ok(const std::vector<std::string> &urls) {
  for (const std::string &url : urls) {
    if (url.empty())
      continue;
    std::thread fetcher(download, url);
    fetcher.join();
  }
}

// ------------------------------------------------------ reassignment --

void heartbeat(int seconds);

// The second assignment destroys the first thread while it runs.
void restart_heartbeat_bad() {
  std::thread hb(heartbeat, 1); // expect: threadlint-unjoined-thread "thread 'hb' can be destroyed while joinable, which calls std::terminate: assigning to 'hb' on line"
  log_line("heartbeat started");
  hb = std::thread(heartbeat, 5); // expect-note: "'hb' destroyed here while joinable"
  hb.join();
}

// Joined before the new thread is moved in.
void restart_heartbeat_ok() {
  std::thread hb(heartbeat, 1);
  log_line("heartbeat started");
  hb.join();
  hb = std::thread(heartbeat, 5);
  hb.join();
}

// Assigned to an empty thread.
void start_heartbeat_late_ok(bool fast) {
  std::thread hb;
  log_line("configuring heartbeat");
  hb = std::thread(heartbeat, fast ? 1 : 5);
  hb.join();
}

// ------------------------------------------- handed over to an owner --

std::thread start_reporter(int interval) {
  std::thread t(heartbeat, interval);
  return t;
}

// Returned to the caller, which owns it now.
std::thread make_reporter_ok(int interval) {
  std::thread t(heartbeat, interval);
  log_line("reporter started");
  return t;
}

// The returned thread is joined.
void use_reporter_ok() {
  std::thread r = start_reporter(10);
  log_line("reporting");
  r.join();
}

// The returned thread is dropped on an early return.
void use_reporter_bad(bool dry_run) {
  std::thread r = start_reporter(10); // expect: threadlint-unjoined-thread "thread 'r' can be destroyed while joinable, which calls std::terminate: the 'return' on line"
  if (dry_run)
    return; // expect-note: "'r' destroyed here while joinable"
  r.join();
}

// Moved into a registry that joins its threads at shutdown.
std::vector<std::thread> g_background;

void register_background_ok(int interval) {
  std::thread t(heartbeat, interval);
  log_line("registering reporter");
  g_background.push_back(std::move(t));
}

// Moved into another local that is joined.
void hand_over_ok(int interval) {
  std::thread t(heartbeat, interval);
  std::thread owner = std::move(t);
  owner.join();
}

// Joined by a helper that takes the thread by reference.
void join_and_log(std::thread &t, const char *what) {
  t.join();
  std::printf("%s finished\n", what);
}

void helper_join_ok() {
  std::thread t(heartbeat, 3);
  log_line("waiting");
  join_and_log(t, "heartbeat");
}

// A helper taking ownership.
void join_owned(std::thread t) {
  if (t.joinable())
    t.join();
}

void helper_owns_ok() {
  std::thread t(heartbeat, 3);
  join_owned(std::move(t));
}

// --------------------------------------------------- a RAII joiner --

class JoinGuard {
public:
  explicit JoinGuard(std::thread &t) : t_(t) {}
  ~JoinGuard() {
    if (t_.joinable())
      t_.join();
  }
  JoinGuard(const JoinGuard &) = delete;
  JoinGuard &operator=(const JoinGuard &) = delete;

private:
  std::thread &t_;
};

// The guard joins on every exit, the early return included.
void guarded_serve_ok(const Config &cfg) {
  std::thread flusher(flush_loop, std::cref(cfg));
  JoinGuard guard(flusher);
  if (!cfg.valid())
    return;
  accept_loop(cfg);
}

// A guard owning the thread.
class ScopedThread {
public:
  explicit ScopedThread(std::thread t) : t_(std::move(t)) {}
  ~ScopedThread() { t_.join(); }

private:
  std::thread t_;
};

void scoped_serve_ok(const Config &cfg) {
  ScopedThread flusher{std::thread(flush_loop, std::cref(cfg))};
  if (!cfg.valid())
    return;
  accept_loop(cfg);
}

// ---------------------------------------------- a join after a switch --

enum class Mode { Fast, Slow, Off };

void tune(Mode m) {
  std::this_thread::sleep_for(std::chrono::milliseconds(m == Mode::Fast ? 1 : 10));
}

void run_mode_ok(Mode m) {
  std::thread tuner(tune, m);
  switch (m) {
  case Mode::Fast:
    log_line("fast");
    break;
  case Mode::Slow:
    log_line("slow");
    break;
  case Mode::Off:
    log_line("off");
    break;
  }
  tuner.join();
}

// One case returns before the join.
void run_mode_bad(Mode m) {
  std::thread tuner(tune, m); // expect: threadlint-unjoined-thread "thread 'tuner' can be destroyed while joinable, which calls std::terminate: the 'return' on line"
  switch (m) {
  case Mode::Fast:
    log_line("fast");
    break;
  case Mode::Off:
    log_line("off");
    return; // expect-note: "'tuner' destroyed here while joinable"
  default:
    break;
  }
  tuner.join();
}

// A lambda that joins, called on every path: the thread escapes into it.
void lambda_join_ok(const Config &cfg) {
  std::thread flusher(flush_loop, std::cref(cfg));
  auto finish = [&flusher] { flusher.join(); };
  if (!cfg.valid()) {
    finish();
    return;
  }
  accept_loop(cfg);
  finish();
}

// ------------------------------------------------------ goto cleanup --

bool handshake(const Config &cfg);

// A goto forward to the join, inside the thread's scope.
void serve_goto_ok(const Config &cfg) {
  std::thread flusher(flush_loop, std::cref(cfg));
  if (!handshake(cfg))
    goto done;
  accept_loop(cfg);
done:
  flusher.join();
}

// A goto past the join, out of the block that owns the thread.
void serve_goto_bad(const Config &cfg) {
  {
    std::thread flusher(flush_loop, std::cref(cfg)); // expect: threadlint-unjoined-thread "the jump on line"
    if (!handshake(cfg))
      goto fail; // expect-note: "'flusher' destroyed here while joinable"
    accept_loop(cfg);
    flusher.join();
  }
  return;
fail:
  log_line("handshake failed");
}

// --------------------------------------------------- function templates --

template <class Fn> void run_in_background_bad(Fn fn, bool wait) {
  std::thread t(fn); // expect: threadlint-unjoined-thread "the 'return' on line"
  if (!wait)
    return;
  t.join();
}

template <class Fn> void run_in_background_ok(Fn fn, bool wait) {
  std::thread t(fn);
  if (!wait) {
    t.detach();
    return;
  }
  t.join();
}

void schedule_background(bool wait) {
  run_in_background_bad([] { log_line("tick"); }, wait);
  run_in_background_bad(+[] { log_line("tock"); }, wait);
  run_in_background_ok([] { log_line("tick"); }, wait);
}

// ------------------------------------------- a const reference is no owner --

void print_thread_id(const std::thread &t);

// Prints the id (a const reference can neither join nor take the thread),
// then returns early.
void serve_print_id_bad(const Config &cfg) {
  std::thread flusher(flush_loop, std::cref(cfg)); // expect: threadlint-unjoined-thread "the 'return' on line 417 destroys 'flusher'"
  print_thread_id(flusher);
  if (!cfg.valid())
    return;
  accept_loop(cfg);
  flusher.join();
}

// ------------------------------------------------------ fatal exits --

// std::exit() and std::abort() do not return: no destructor runs on
// those paths.
void serve_or_die_ok(const Config &cfg) {
  std::thread flusher(flush_loop, std::cref(cfg));
  if (!handshake(cfg)) {
    std::fprintf(stderr, "handshake failed\n");
    std::exit(1);
  }
  accept_loop(cfg);
  flusher.join();
}

void serve_or_abort_ok(const Config &cfg) {
  std::thread flusher(flush_loop, std::cref(cfg));
  if (!cfg.valid())
    std::abort();
  accept_loop(cfg);
  flusher.join();
}
