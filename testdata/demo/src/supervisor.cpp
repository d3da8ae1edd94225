#include "supervisor.h"

#include "logger.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <sys/wait.h>
#include <unistd.h>

namespace kvd {

namespace {

std::string trim(const std::string &s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos)
    return "";
  std::size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// kvd.conf: one "key = value" per line, '#' starts a comment line.
Config parse_config(const std::string &text) {
  Config c;
  std::istringstream in(text);
  std::string line;
  unsigned number = 0;
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#')
      continue;
    std::size_t eq = line.find('=');
    if (eq == std::string::npos)
      throw std::runtime_error("kvd.conf:" + std::to_string(number) + ": expected 'key = value'"); // expect-note: "'kvd::parse_config' throws here"
    std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (key == "capacity")
      c.capacity = std::strtoul(value.c_str(), nullptr, 10);
    else if (key == "backup_command")
      c.backup_command = value;
    else if (key == "backup_interval")
      c.backup_interval_s = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
  }
  return c;
}

// Runs `command arg` and waits for it; returns its exit status.
int run_command(const std::string &command, const std::string &arg) {
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (it runs in thread 'kvd::Supervisor::run') and the child calls 'fprintf'"
  if (pid < 0)
    return -1;
  if (pid == 0) {
    std::fprintf(stderr, "kvd: running %s %s\n", command.c_str(), arg.c_str()); // expect-note: "the child calls 'fprintf' here"
    execlp(command.c_str(), command.c_str(), arg.c_str(), static_cast<char *>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

Supervisor::Supervisor(std::string config_path, std::string snapshot_path, Logger &log)
    : config_path_(std::move(config_path)), snapshot_path_(std::move(snapshot_path)), log_(log) {}

Supervisor::~Supervisor() { stop(); }

void Supervisor::start() { thread_ = std::thread(&Supervisor::run, this); } // expect-note: "the thread is started here"

Config Supervisor::wait_config() {
  std::unique_lock<std::mutex> lock(mu_);
  // The supervisor thread loads the file as soon as it starts.
  if (!loaded_)
    loaded_cv_.wait(lock); // expect: threadlint-cv-wait-without-predicate "'loaded_cv_.wait' is not in a loop that re-checks its condition"
  return config_;
}

void Supervisor::request_reload() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    reload_requested_ = true;
  }
  cv_.notify_one();
}

void Supervisor::stop() {
  // An atomic flag: no need to take mu_ just to set it.
  stopping_ = true; // expect: threadlint-cv-lost-wakeup "'kvd::Supervisor::stopping_' is written without holding 'kvd::Supervisor::mu_' before 'cv_' is notified"
  cv_.notify_all(); // expect-note: "'cv_' is notified here"
  if (thread_.joinable())
    thread_.join();
}

int Supervisor::backup_now() {
  std::string command;
  {
    std::lock_guard<std::mutex> lock(mu_);
    command = config_.backup_command;
  }
  if (command.empty())
    return 0;
  return run_command(command, snapshot_path_);
}

// Installs a new configuration; one that would leave no room in the cache
// is refused and the old one stays.
bool Supervisor::apply(const Config &c) {
  mu_.lock();
  if (c.capacity == 0) {
    log_.error("kvd.conf: capacity must be positive; keeping the old configuration");
    return false; // expect: threadlint-lock-leak "'kvd::Supervisor::mu_' (locked at line 119) is still held when the function returns here"
  }
  config_ = c;
  loaded_ = true;
  mu_.unlock();
  loaded_cv_.notify_all();
  return true;
}

void Supervisor::reload() {
  std::ifstream in(config_path_);
  std::ostringstream text;
  text << in.rdbuf();
  if (!apply(parse_config(text.str()))) // expect-note: "'kvd::Supervisor::reload' calls 'kvd::parse_config'"
    return;
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", std::localtime(&now)); // expect: threadlint-mt-unsafe-call "'localtime' is not thread-safe (it returns a pointer to one static struct tm) and runs in thread 'kvd::Supervisor::run'"
  log_.log(std::string("configuration loaded at ") + stamp);
}

void Supervisor::run() {
  reload(); // expect: threadlint-exception-escapes-thread "an exception thrown by 'kvd::parse_config' (line 43) can escape thread 'kvd::Supervisor::run'"
  for (;;) {
    bool reload_due;
    {
      std::unique_lock<std::mutex> lock(mu_);
      std::chrono::seconds interval(std::max(config_.backup_interval_s, 60u));
      cv_.wait_for(lock, interval, [this] { return stopping_ || reload_requested_; }); // expect-note: "the waiter checks 'kvd::Supervisor::stopping_' under 'kvd::Supervisor::mu_' here"
      if (stopping_)
        return;
      reload_due = reload_requested_;
      reload_requested_ = false;
    }
    if (reload_due)
      reload();
    else
      backup_now();
  }
}

} // namespace kvd
