// Direct blocking calls under std::mutex + std::lock_guard: sleeps, file and
// socket I/O, processes, threads and futures. Negative cases: the same calls
// after the guard's scope ends, after unlock(), or with no lock at all.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

std::mutex g_mu;
int g_counter;

// ---------------------------------------------------------------- sleeps --

void usleep_bad() {
  std::lock_guard<std::mutex> lock(g_mu);
  ++g_counter;
  usleep(1000); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'g_mu'"
}

void sleep_bad() {
  std::lock_guard<std::mutex> lock(g_mu); // expect-note: "'g_mu' acquired here"
  sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding 'g_mu'"
}

void nanosleep_bad() {
  std::lock_guard<std::mutex> lock(g_mu);
  timespec ts{0, 5000000};
  nanosleep(&ts, nullptr); // expect: threadlint-blocking-in-critical-section "'nanosleep' sleeps while holding 'g_mu'"
}

void sleep_for_bad() {
  std::lock_guard<std::mutex> lock(g_mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(10)); // expect: threadlint-blocking-in-critical-section "'std::this_thread::sleep_for' sleeps while holding 'g_mu'"
}

void sleep_until_bad() {
  std::lock_guard<std::mutex> lock(g_mu);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  std::this_thread::sleep_until(deadline); // expect: threadlint-blocking-in-critical-section "'std::this_thread::sleep_until' sleeps while holding 'g_mu'"
}

void sleep_after_scope_ok() {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    ++g_counter;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void sleep_without_lock_ok() {
  usleep(1000);
  sleep(1);
}

void sleep_after_manual_unlock_ok() {
  g_mu.lock();
  ++g_counter;
  g_mu.unlock();
  usleep(500);
}

void sleep_before_lock_ok() {
  usleep(500);
  std::lock_guard<std::mutex> lock(g_mu);
  ++g_counter;
}

// ------------------------------------------------- a buffered file logger --

class FileLogger {
public:
  void log_bad(const std::string &line) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back(line);
    for (const std::string &l : pending_)
      fwrite(l.data(), 1, l.size(), file_); // expect: threadlint-blocking-in-critical-section "'fwrite' waits for I/O while holding 'FileLogger::mu_'"
    fflush(file_); // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O while holding 'FileLogger::mu_'"
    pending_.clear();
  }

  // The fix: swap the buffer out under the lock, write outside it.
  void log_ok(const std::string &line) {
    std::vector<std::string> out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_.push_back(line);
      out.swap(pending_);
    }
    for (const std::string &l : out)
      fwrite(l.data(), 1, l.size(), file_);
    fflush(file_);
  }

  void reopen_bad(const char *path) {
    std::lock_guard<std::mutex> lock(mu_);
    file_ = fopen(path, "a"); // expect: threadlint-blocking-in-critical-section "'fopen' waits for I/O while holding 'FileLogger::mu_'"
  }

  void reopen_ok(const char *path) {
    FILE *f = fopen(path, "a");
    std::lock_guard<std::mutex> lock(mu_);
    file_ = f;
  }

  size_t pending_count_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return pending_.size();
  }

private:
  std::mutex mu_;
  std::vector<std::string> pending_;
  FILE *file_ = nullptr;
};

// ---------------------------------------------- a socket connection slot --

class Connection {
public:
  ssize_t send_bad(const char *buf, size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_;
    return ::send(fd_, buf, n, 0); // expect: threadlint-blocking-in-critical-section "'send' waits for I/O while holding 'Connection::mu_'"
  }

  ssize_t recv_bad(char *buf, size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    return ::recv(fd_, buf, n, 0); // expect: threadlint-blocking-in-critical-section "'recv' waits for I/O while holding 'Connection::mu_'"
  }

  ssize_t write_bad(const char *buf, size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    return ::write(fd_, buf, n); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'Connection::mu_'"
  }

  ssize_t read_bad(char *buf, size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    return ::read(fd_, buf, n); // expect: threadlint-blocking-in-critical-section "'read' waits for I/O while holding 'Connection::mu_'"
  }

  int accept_bad(int listen_fd) {
    std::lock_guard<std::mutex> lock(mu_);
    fd_ = ::accept(listen_fd, nullptr, nullptr); // expect: threadlint-blocking-in-critical-section "'accept' waits for I/O while holding 'Connection::mu_'"
    return fd_;
  }

  int connect_bad(const sockaddr *addr, socklen_t len) {
    std::lock_guard<std::mutex> lock(mu_);
    return ::connect(fd_, addr, len); // expect: threadlint-blocking-in-critical-section "'connect' waits for I/O while holding 'Connection::mu_'"
  }

  // Copy the descriptor under the lock, do the I/O without it.
  ssize_t send_ok(const char *buf, size_t n) {
    int fd;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++requests_;
      fd = fd_;
    }
    return ::send(fd, buf, n, 0);
  }

  ssize_t recv_ok(char *buf, size_t n) {
    mu_.lock();
    int fd = fd_;
    mu_.unlock();
    return ::recv(fd, buf, n, 0);
  }

  ssize_t write_ok(const char *buf, size_t n) { return ::write(fd_, buf, n); }

  int requests_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

private:
  std::mutex mu_;
  int fd_ = -1;
  int requests_ = 0;
};

// ------------------------------------------------------------ processes --

std::mutex g_jobs_mu;
std::vector<pid_t> g_jobs;

void run_hook_bad(const char *cmd) {
  std::lock_guard<std::mutex> lock(g_jobs_mu);
  std::system(cmd); // expect: threadlint-blocking-in-critical-section "'system' waits for another process while holding 'g_jobs_mu'"
}

void run_hook_ok(const char *cmd) {
  std::system(cmd);
  std::lock_guard<std::mutex> lock(g_jobs_mu);
  g_jobs.clear();
}

FILE *open_pipe_bad(const char *cmd) {
  std::lock_guard<std::mutex> lock(g_jobs_mu);
  return popen(cmd, "r"); // expect: threadlint-blocking-in-critical-section "'popen' waits for another process while holding 'g_jobs_mu'"
}

void reap_bad() {
  std::lock_guard<std::mutex> lock(g_jobs_mu);
  for (pid_t pid : g_jobs)
    waitpid(pid, nullptr, 0); // expect: threadlint-blocking-in-critical-section "'waitpid' waits for another process while holding 'g_jobs_mu'"
  g_jobs.clear();
}

void reap_ok() {
  std::vector<pid_t> jobs;
  {
    std::lock_guard<std::mutex> lock(g_jobs_mu);
    jobs.swap(g_jobs);
  }
  for (pid_t pid : jobs)
    waitpid(pid, nullptr, 0);
}

// ------------------------------------------------- threads and futures --

class Service {
public:
  void stop_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = false;
    worker_.join(); // expect: threadlint-blocking-in-critical-section "'std::thread::join' waits for a thread to finish while holding 'Service::mu_'"
  }

  void stop_ok() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      running_ = false;
    }
    if (worker_.joinable())
      worker_.join();
  }

  int result_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    return pending_.get(); // expect: threadlint-blocking-in-critical-section "'std::future::get' waits for a future while holding 'Service::mu_'"
  }

  // FN: std::future::wait is declared in libstdc++'s base class
  // std::__basic_future, so the call's object is converted to the base and
  // neither 'std::future::wait' nor 'std::__basic_future::wait' matches the
  // table (get() is declared in std::future itself and is found). The same
  // holds for wait_for/wait_until and for std::shared_future.
  void FN_wait_result_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.wait(); // expect: threadlint-blocking-in-critical-section "'std::future::wait' waits for a future while holding 'Service::mu_'"
  }

  int result_ok() {
    std::future<int> f;
    {
      std::lock_guard<std::mutex> lock(mu_);
      f = std::move(pending_);
    }
    return f.get();
  }

  bool result_ready_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return pending_.valid();
  }

private:
  std::mutex mu_;
  bool running_ = true;
  std::thread worker_;
  std::future<int> pending_;
};

// --------------------------------------------------- unknown functions --

// Declared, never defined here: unknown code is not guessed.
void flush_metrics_somewhere();
int compute_checksum(const char *data, size_t n);

void call_unknown_ok() {
  std::lock_guard<std::mutex> lock(g_mu);
  flush_metrics_somewhere();
  g_counter = compute_checksum("abc", 3);
}

// Cheap non-blocking libc calls under a lock are fine.
void cheap_calls_ok(char *dst, const char *src) {
  std::lock_guard<std::mutex> lock(g_mu);
  snprintf(dst, 16, "%d", g_counter);
  g_counter += static_cast<int>(strtol(src, nullptr, 10));
  std::abs(g_counter);
}
