// kvd: a toy key-value cache server. Commands come from stdin: "get k",
// "put k v", "save", "backup", "reload", "stats", "quit"; each runs on the
// worker pool.
#include "cache.h"
#include "logger.h"
#include "metrics.h"
#include "stats.h"
#include "supervisor.h"
#include "worker_pool.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include <unistd.h>

namespace {

// Keeps the prompt and the workers' replies from interleaving.
std::mutex g_console_mu;

void print_line(const std::string &s) {
  std::lock_guard<std::mutex> lock(g_console_mu);
  std::cout << s << '\n';
}

bool read_command(std::string &line) {
  std::lock_guard<std::mutex> lock(g_console_mu);
  std::cout << "> " << std::flush;
  // Waits for the user with the console locked: no worker can print a
  // reply until a line is typed.
  return static_cast<bool>(std::getline(std::cin, line)); // expect: threadlint-blocking-in-critical-section "'std::getline' waits for console input while holding 'g_console_mu'"
}

// Set on SIGTERM (systemctl stop): the prompt loop stops at its next turn.
volatile std::sig_atomic_t g_terminate = 0;

void on_sigterm(int sig) {
  std::fprintf(stderr, "kvd: caught signal %d, stopping\n", sig); // expect: threadlint-signal-handler-unsafe-call "'fprintf' is not async-signal-safe and is called in signal handler 'on_sigterm'"
  g_terminate = 1;
}

struct Server {
  kvd::Logger log{"kvd.log"};
  kvd_stats stats{};
  kvd::Cache cache;
  kvd::Metrics metrics{cache};
  kvd::WorkerPool pool{4};
  kvd::Supervisor supervisor;
  std::atomic<bool> running{true};
  // Set by the housekeeper once it has taken its first report.
  bool housekeeper_ready = false;
  // Commands read since the last report: the prompt loop counts them, the
  // housekeeper reports the rate and starts again from zero.
  unsigned long commands_since_report = 0;
  // Toggled by the "verbose" command; the housekeeper reads it every second.
  volatile bool verbose = false;

  explicit Server(const std::string &dir)
      : cache(dir, 1024, &stats), supervisor(dir + "/kvd.conf", dir + "/snapshot", log) {
    kvd_stats_init(&stats, STDERR_FILENO);
    cache.set_metrics(&metrics);
  }

  void handle(const std::string &line) {
    std::istringstream in(line);
    std::string cmd, key, value;
    in >> cmd >> key;
    std::getline(in >> std::ws, value);
    if (cmd == "get") {
      print_line(cache.get_or(key, "(miss)"));
    } else if (cmd == "put") {
      cache.put(key, value);
      log.log_buffered("put " + key);
    } else if (cmd == "save") {
      print_line(cache.save_snapshot() ? "saved" : "save failed");
    } else if (cmd == "backup") {
      // Uploads can take minutes: run the backup command in the background.
      if (!cache.save_snapshot()) {
        print_line("save failed");
      } else {
        (void)std::async(std::launch::async, &kvd::Supervisor::backup_now, &supervisor); // expect: threadlint-discarded-future "the std::future returned by 'std::async' is discarded: its destructor waits for the task"
        print_line("backup started");
      }
    } else if (cmd == "reload") {
      supervisor.request_reload();
      print_line("reloading configuration");
    } else if (cmd == "stats") {
      kvd_stats_print(&stats, STDOUT_FILENO);
      print_line("log lines: " + std::to_string(log.written()));
    } else if (cmd == "archive") {
      log.archive();
      print_line("archiving kvd.log");
    } else if (cmd == "quit") {
      running = false;
    } else if (!cmd.empty()) {
      log.error("unknown command: " + cmd);
      print_line("unknown command: " + cmd);
    }
  }

  // Flushes the log and reports the counters and the eviction metrics
  // every second, sleeping with no lock held.
  void housekeeping() {
    kvd_stats_report(&stats);
    housekeeper_ready = true;
    while (running) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      log.flush();
      kvd_stats_report(&stats);
      if (verbose)
        metrics.publish(STDERR_FILENO);
      std::fprintf(stderr, "commands/s=%lu\n", commands_since_report);
      commands_since_report = 0;
    }
  }
};

} // namespace

int main(int argc, char **argv) {
  Server srv(argc > 1 ? argv[1] : ".");
  std::signal(SIGTERM, on_sigterm); // expect-note: "signal handler 'on_sigterm' is installed here"
  std::thread housekeeper([&srv] { srv.housekeeping(); }); // expect: threadlint-unjoined-thread "thread 'housekeeper' can be destroyed while joinable, which calls std::terminate: the 'return' on line 139 destroys 'housekeeper'"
  // The first report must be out before the prompt appears.
  while (!srv.housekeeper_ready) { // expect: threadlint-busy-wait "'Server::housekeeper_ready' is neither atomic nor volatile"
  }
  srv.supervisor.start();
  kvd::Config config = srv.supervisor.wait_config();
  if (argc > 2 && std::string(argv[2]) == "--check-config") {
    print_line("configuration ok, backup every " + std::to_string(config.backup_interval_s) + "s");
    return 0; // expect-note: "'housekeeper' destroyed here while joinable"
  }

  std::string line;
  while (srv.running && !g_terminate && read_command(line)) {
    ++srv.commands_since_report; // expect: threadlint-non-atomic-update "non-atomic update of 'Server::commands_since_report' with no lock held"
    if (line == "verbose") {
      srv.verbose = !srv.verbose; // expect: threadlint-volatile-synchronization "volatile 'Server::verbose' is used to communicate between threads"
      continue;
    }
    srv.pool.submit([&srv, line] { srv.handle(line); });
  }

  srv.running = false;
  srv.pool.wait_idle();
  print_line("completed " + std::to_string(srv.pool.completed()) +
             " jobs, at most " + std::to_string(srv.pool.peak_depth()) +
             " queued");
  srv.pool.shutdown();
  srv.supervisor.stop();
  housekeeper.join();
  srv.log.log("kvd stopped");
  return 0;
}
