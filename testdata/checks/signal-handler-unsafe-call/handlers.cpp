// Signal handlers in C++ installed with std::signal and sigaction (free
// functions and static member functions) that write to std::cout, call
// printf, allocate with new, build a std::string (also with operator+),
// lock a std::mutex, call std::exit, or store to a std::atomic that is not
// lock-free, directly or through a helper that two handlers share
// (reported once, at the helper's call). Negative cases: lock-free
// std::atomic store/load/fetch_add/exchange and assignment, a volatile
// std::sig_atomic_t published after std::atomic_signal_fence, a self-pipe
// write that preserves errno, a write() of a prebuilt std::string's
// characters, std::_Exit and std::abort, SIG_IGN, a captureless lambda
// that only sets a flag, a handler-shaped function that is never
// installed, and a project function only declared in this file.
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <signal.h>
#include <string>
#include <unistd.h>

// ------------------------------------------------------- shutting down --

void on_sigterm(int) {
  std::cout << "shutting down\n"; // expect: threadlint-signal-handler-unsafe-call "'std::operator<<' is not async-signal-safe and is called in signal handler 'on_sigterm' (installed at line 33)"
  std::exit(0); // expect: threadlint-signal-handler-unsafe-call "'exit' is not async-signal-safe and is called in signal handler 'on_sigterm' (installed at line 33)"
}

void install_shutdown() {
  std::signal(SIGTERM, on_sigterm); // expect-note: "signal handler 'on_sigterm' is installed here"
}

std::atomic<bool> g_stop{false};

void on_sigterm_ok(int) { g_stop.store(true, std::memory_order_relaxed); }

void on_sigint_ok(int) { g_stop = true; }

void install_shutdown_ok() {
  std::signal(SIGTERM, on_sigterm_ok);
  std::signal(SIGINT, on_sigint_ok);
  std::signal(SIGPIPE, SIG_IGN);
}

// A captureless lambda converts to a handler.
void install_lambda_ok() {
  std::signal(SIGINT, [](int) { g_stop.store(true); });
}

// Called by main when it sees g_stop: not a handler.
void shutdown_ok(int code) {
  std::cout << "shutting down\n";
  std::exit(code);
}

// ------------------------------ statistics dumped by two handlers --

struct Stats {
  long requests = 0;
  long errors = 0;
};

Stats g_stats;
std::mutex g_stats_mu;

void dump_stats() {
  g_stats_mu.lock(); // expect: threadlint-signal-handler-unsafe-call "'std::mutex::lock' is not async-signal-safe and is called in signal handler 'on_sigusr1' through 'dump_stats' (installed at line 79)"
  std::cerr << g_stats.requests; // expect: threadlint-signal-handler-unsafe-call "'std::basic_ostream::operator<<' is not async-signal-safe and is called in signal handler 'on_sigusr1' through 'dump_stats' (installed at line 79)"
  g_stats_mu.unlock(); // expect: threadlint-signal-handler-unsafe-call "'std::mutex::unlock' is not async-signal-safe and is called in signal handler 'on_sigusr1' through 'dump_stats' (installed at line 79)"
}

void on_sigusr1(int) { dump_stats(); }
void on_sigusr2(int) { dump_stats(); }

void install_stats_handlers() {
  std::signal(SIGUSR1, on_sigusr1); // expect-note: "signal handler 'on_sigusr1' is installed here"
  std::signal(SIGUSR2, on_sigusr2);
}

// The handlers count and flag; the main loop prints.
std::atomic<long> g_signals_seen{0};
std::atomic<int> g_dump_requested{0};

void on_sigusr1_ok(int) {
  g_signals_seen.fetch_add(1, std::memory_order_relaxed);
  g_dump_requested.exchange(1);
}

void on_sigusr2_ok(int) {
  if (g_dump_requested.load() == 0)
    g_dump_requested.store(2);
}

void install_stats_handlers_ok() {
  std::signal(SIGUSR1, on_sigusr1_ok);
  std::signal(SIGUSR2, on_sigusr2_ok);
}

// ------------------------------- allocating in the handler (sigaction) --

struct Event {
  int sig;
};

Event *g_pending = nullptr;

void remember(const std::string &what);

void on_sighup(int sig) {
  g_pending = new Event{sig}; // expect: threadlint-signal-handler-unsafe-call "'new' (it allocates memory) is not async-signal-safe and is called in signal handler 'on_sighup' (installed at line 129)"
  remember(std::string("SIGHUP")); // expect: threadlint-signal-handler-unsafe-call "the constructor of 'std::basic_string' is not async-signal-safe and is called in signal handler 'on_sighup' (installed at line 129)"
}

std::string g_service_name = "indexer";

// operator+ allocates the new string.
void on_sigusr2_reload(int) {
  remember(g_service_name + " reloaded"); // expect: threadlint-signal-handler-unsafe-call "'std::operator+' is not async-signal-safe and is called in signal handler 'on_sigusr2_reload' (installed at line 125)"
}

void install_sighup() {
  std::signal(SIGUSR2, on_sigusr2_reload);
  struct sigaction sa{};
  sa.sa_handler = on_sighup;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGHUP, &sa, nullptr); // expect-note: "signal handler 'on_sighup' is installed here"
}

// A fixed event slot, no allocation.
volatile std::sig_atomic_t g_last_signal = 0;

void on_sighup_ok(int sig) { g_last_signal = sig; }

void install_sighup_ok() {
  struct sigaction sa{};
  sa.sa_handler = on_sighup_ok;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGHUP, &sa, nullptr);
}

// ------------------------------------------- data behind a signal fence --

// The handler fills in plain data, then publishes it with a release signal
// fence before the flag: std::atomic_signal_fence exists for this.
int g_alarm_overruns = 0;
volatile std::sig_atomic_t g_alarm_ready = 0;

void on_sigalrm_ok(int) {
  ++g_alarm_overruns;
  std::atomic_signal_fence(std::memory_order_release);
  g_alarm_ready = 1;
}

void install_alarm_ok() { std::signal(SIGALRM, on_sigalrm_ok); }

// ---------------------------------------- self-pipe and hard exits --

int g_self_pipe[2] = {-1, -1};

void on_sigchld_ok(int) {
  const int saved = errno;
  const char byte = 'c';
  (void)!::write(g_self_pipe[1], &byte, 1);
  errno = saved;
}

void on_sigabrt_ok(int) {
  static const char msg[] = "aborted\n";
  (void)!::write(STDERR_FILENO, msg, std::strlen(msg));
  std::_Exit(134);
}

void on_sigxcpu_ok(int) {
  static const char msg[] = "cpu limit\n";
  (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
  std::abort();
}

// The message is built before the handler is installed and never changed:
// reading its characters and length in the handler allocates nothing.
const std::string g_goodbye = std::string("service stopping") + "\n";

void on_sigusr1_goodbye_ok(int) {
  (void)!::write(STDERR_FILENO, g_goodbye.data(), g_goodbye.size());
}

void on_sigusr2_goodbye_ok(int) {
  (void)!::write(STDERR_FILENO, g_goodbye.c_str(), g_goodbye.length());
}

// A function the project defines elsewhere: not guessed.
void notify_supervisor(int sig);

void on_sigpwr_ok(int sig) { notify_supervisor(sig); }

void install_misc_ok() {
  if (::pipe(g_self_pipe) == 0)
    std::signal(SIGCHLD, on_sigchld_ok);
  std::signal(SIGABRT, on_sigabrt_ok);
  std::signal(SIGXCPU, on_sigxcpu_ok);
  std::signal(SIGPWR, on_sigpwr_ok);
  std::signal(SIGURG, on_sigusr1_goodbye_ok);
  std::signal(SIGVTALRM, on_sigusr2_goodbye_ok);
}

// ------------------------ static member functions, a large atomic --

class Terminal {
public:
  static void install() {
    std::signal(SIGWINCH, &Terminal::on_resize); // expect-note: "signal handler 'Terminal::on_resize' is installed here"
  }
  static void install_ok() { std::signal(SIGWINCH, &Terminal::on_resize_ok); }

private:
  static void on_resize(int) {
    std::printf("terminal resized\n"); // expect: threadlint-signal-handler-unsafe-call "'printf' is not async-signal-safe and is called in signal handler 'Terminal::on_resize' (installed at line 215)"
  }
  static void on_resize_ok(int) { resized_.store(true); }
  static std::atomic<bool> resized_;
};

std::atomic<bool> Terminal::resized_{false};

// 64 bytes: not lock-free, so std::atomic takes a lock inside libatomic.
struct Snapshot {
  long values[8];
};

std::atomic<Snapshot> g_snapshot;

void on_sigprof(int) {
  g_snapshot.store(Snapshot{}); // expect: threadlint-signal-handler-unsafe-call "'std::atomic::store' on an atomic that is not lock-free (the library takes a lock) is not async-signal-safe and is called in signal handler 'on_sigprof' (installed at line 240)"
}

void install_profiler() { std::signal(SIGPROF, on_sigprof); }
