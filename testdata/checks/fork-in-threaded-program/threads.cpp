// fork() in C++ programs with std::thread, std::jthread and std::async:
// while a member worker thread runs, in a lambda run by a thread, after a
// detach, while an async task runs; the child writes to std::cerr, calls
// std::getenv, std::printf or malloc, or builds a std::string with
// operator+ before exec. Negative cases: fork
// after the jthread's scope has joined it, after join(), after the future
// is consumed, before the first thread starts, and children that only
// dup2/close/chdir and exec or _exit. Also silent: threads joined by
// their owner's destructor, by the destruction of a std::vector of
// std::jthread, or through the variable they were moved to, before fork.
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iostream>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

void poll_metrics();
void compact_cache();
int compute_checksum();

// --------------------------------- a supervisor with a worker thread --

class Supervisor {
public:
  void start() {
    metrics_ = std::thread(&Supervisor::metrics_loop, this);
  }

  // The watcher thread runs while the child is forked.
  pid_t restart_child_bad(const char *path) {
    std::thread watcher([this] { metrics_loop(); });
    pid_t pid = ::fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'watcher' may run) and the child calls 'std::operator<<' (line 39) before exec"
    if (pid == 0) {
      std::cerr << "restarting " << path << '\n'; // expect-note: "the child calls"
      ::execl(path, path, static_cast<char *>(nullptr));
      ::_exit(127);
    }
    watcher.join();
    return pid;
  }

  pid_t restart_child_ok(const char *path) {
    std::thread watcher([this] { metrics_loop(); });
    pid_t pid = ::fork();
    if (pid == 0) {
      ::execl(path, path, static_cast<char *>(nullptr));
      ::_exit(127);
    }
    if (pid > 0)
      std::cerr << "restarted " << path << " as " << pid << '\n';
    watcher.join();
    return pid;
  }

  void stop() {
    if (metrics_.joinable())
      metrics_.join();
  }

private:
  void metrics_loop() { poll_metrics(); }
  std::thread metrics_;
};

// ------------------------------------------- fork in a thread's lambda --

void run_tasks_bad(const std::vector<std::string> &scripts) {
  std::vector<std::thread> runners;
  for (const auto &s : scripts)
    runners.emplace_back([s] {
      pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (it runs in thread 'lambda at threads.cpp:75') and the child calls 'getenv' (line 78) before exec"
      if (pid == 0) {
        const char *shell = std::getenv("SHELL"); // expect-note: "the child calls 'getenv' here"
        execl(shell ? shell : "/bin/sh", "sh", "-c", s.c_str(),
              static_cast<char *>(nullptr));
        _exit(127);
      }
      int status = 0;
      waitpid(pid, &status, 0);
    });
  for (auto &t : runners)
    t.join();
}

void run_tasks_ok(const std::vector<std::string> &scripts) {
  const char *env_shell = std::getenv("SHELL");
  const char *shell = env_shell ? env_shell : "/bin/sh";
  std::vector<std::thread> runners;
  for (const auto &s : scripts)
    runners.emplace_back([s, shell] {
      pid_t pid = fork();
      if (pid == 0) {
        execl(shell, "sh", "-c", s.c_str(), static_cast<char *>(nullptr));
        _exit(127);
      }
      int status = 0;
      waitpid(pid, &status, 0);
    });
  for (auto &t : runners)
    t.join();
}

// ------------------------------------- building a command in the child --

// operator+ allocates the new string: malloc's lock may be held by a
// runner that was allocating at the fork.
void run_shell_bad(const std::vector<std::string> &scripts) {
  std::vector<std::thread> runners;
  for (const auto &s : scripts)
    runners.emplace_back([&s] {
      pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (it runs in thread 'lambda at threads.cpp:115') and the child calls 'std::operator+' (line 118) before exec"
      if (pid == 0) {
        std::string cmd = "exec " + s; // expect-note: "the child calls"
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char *>(nullptr));
        _exit(127);
      }
      waitpid(pid, nullptr, 0);
    });
  for (auto &t : runners)
    t.join();
}

// The command is built in the parent.
void run_shell_ok(const std::vector<std::string> &scripts) {
  std::vector<std::thread> runners;
  for (const auto &s : scripts)
    runners.emplace_back([&s] {
      const std::string cmd = "exec " + s;
      const char *c = cmd.c_str();
      pid_t pid = fork();
      if (pid == 0) {
        execl("/bin/sh", "sh", "-c", c, static_cast<char *>(nullptr));
        _exit(127);
      }
      waitpid(pid, nullptr, 0);
    });
  for (auto &t : runners)
    t.join();
}

// --------------------------------------------- after a detached thread --

void start_background_compaction_bad(const char *tool) {
  std::thread(compact_cache).detach();
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'compact_cache' may run) and the child calls 'printf' (line 152) before exec"
  if (!pid) {
    std::printf("compacting with %s\n", tool); // expect-note: "the child calls 'printf' here"
    execlp(tool, tool, static_cast<char *>(nullptr));
    _exit(127);
  }
}

// The child redirects its output and execs: async-signal-safe only.
void start_background_compaction_ok(const char *tool, int log_fd) {
  std::thread(compact_cache).detach();
  pid_t pid = fork();
  if (!pid) {
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    close(log_fd);
    if (chdir("/") != 0)
      _exit(126);
    execlp(tool, tool, static_cast<char *>(nullptr));
    _exit(127);
  }
}

// -------------------------------------------- while an async task runs --

int checksum_and_archive_bad(const char *archiver) {
  auto sum = std::async(std::launch::async, compute_checksum);
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'compute_checksum' may run) and the child calls 'malloc' (line 179) before exec"
  if (pid == 0) {
    void *scratch = std::malloc(1 << 20); // expect-note: "the child calls 'malloc' here"
    (void)scratch;
    execlp(archiver, archiver, static_cast<char *>(nullptr));
    _exit(127);
  }
  return sum.get();
}

// The future is consumed before fork.
int checksum_and_archive_ok(const char *archiver) {
  auto sum = std::async(std::launch::async, compute_checksum);
  int value = sum.get();
  pid_t pid = fork();
  if (pid == 0) {
    std::printf("archiving, checksum %d\n", value);
    execlp(archiver, archiver, static_cast<char *>(nullptr));
    _exit(127);
  }
  return value;
}

// -------------------------------------------- joined threads, no threads --

// The jthread is joined at the end of its scope, before fork.
void warm_then_fork_ok(const char *prog) {
  {
    std::jthread warmer(compact_cache);
  }
  pid_t pid = fork();
  if (pid == 0) {
    std::cout << "starting " << prog << std::endl;
    execl(prog, prog, static_cast<char *>(nullptr));
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

void join_then_fork_ok(const char *prog) {
  std::thread poller(poll_metrics);
  poller.join();
  pid_t pid = fork();
  if (pid == 0) {
    std::string banner = std::string("starting ") + prog;
    std::cout << banner << '\n';
    execl(prog, prog, static_cast<char *>(nullptr));
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

// Threads owned by a struct that joins them in its destructor, destroyed
// before fork.
struct JoiningThreads {
  std::vector<std::thread> threads;
  ~JoiningThreads() {
    for (auto &t : threads)
      if (t.joinable())
        t.join();
  }
};

void group_then_fork_ok(const char *prog) {
  {
    JoiningThreads workers;
    workers.threads.emplace_back(compact_cache);
    workers.threads.emplace_back(poll_metrics);
  }
  pid_t pid = fork();
  if (pid == 0) {
    std::printf("starting %s\n", prog);
    execl(prog, prog, static_cast<char *>(nullptr));
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

// The thread is moved to the variable that is joined.
void moved_then_fork_ok(const char *prog) {
  std::thread t(poll_metrics);
  std::thread owner = std::move(t);
  owner.join();
  pid_t pid = fork();
  if (pid == 0) {
    std::printf("starting %s\n", prog);
    execl(prog, prog, static_cast<char *>(nullptr));
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

// A vector of std::jthread joins every thread when it is destroyed.
void warm_all_then_fork_ok(const char *prog, int n) {
  {
    std::vector<std::jthread> warmers;
    for (int i = 0; i < n; ++i)
      warmers.emplace_back(compact_cache);
  }
  pid_t pid = fork();
  if (pid == 0) {
    std::printf("starting %s\n", prog);
    execl(prog, prog, static_cast<char *>(nullptr));
    _exit(127);
  }
  waitpid(pid, nullptr, 0);
}

// Fork first, then start the threads.
void fork_then_threads_ok(const char *prog) {
  pid_t pid = fork();
  if (pid == 0) {
    std::cerr << "helper " << getpid() << '\n';
    execl(prog, prog, static_cast<char *>(nullptr));
    _exit(127);
  }
  std::thread poller(poll_metrics);
  poller.join();
  waitpid(pid, nullptr, 0);
}
