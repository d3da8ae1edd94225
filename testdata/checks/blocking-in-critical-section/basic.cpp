// Direct blocking calls under std::mutex + std::lock_guard: sleeps, file and
// socket I/O, processes, threads and futures. Negative cases: the same calls
// after the guard's scope ends, after unlock(), or with no lock at all.
#include <algorithm>
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
    pending_.clear();
  }

  // fflush on a file stream writes the stdio buffer out: blocking I/O.
  void flush_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    fflush(file_); // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O while holding 'FileLogger::mu_'"
  }

  void flush_ok() {
    FILE *f;
    {
      std::lock_guard<std::mutex> lock(mu_);
      f = file_;
    }
    fflush(f);
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

  // std::future::wait is declared in libstdc++'s base class std::__basic_future;
  // the call is matched by the class of the object it is called on.
  void wait_result_bad() {
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

// --------------------------------- a connection acceptor, done right --

class Acceptor {
public:
  // Block in accept() without the lock; publish the result under it.
  void accept_one_ok(int listen_fd) {
    int fd = ::accept(listen_fd, nullptr, nullptr);
    std::lock_guard<std::mutex> lock(mu_);
    clients_.push_back(fd);
  }

  // Dial outside, register inside.
  int dial_ok(const sockaddr *addr, socklen_t len) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(fd, addr, len) != 0)
      return -1;
    std::lock_guard<std::mutex> lock(mu_);
    clients_.push_back(fd);
    return fd;
  }

  // Snapshot the clients, then broadcast without the lock.
  void broadcast_ok(const char *msg, size_t n) {
    std::vector<int> clients;
    {
      std::lock_guard<std::mutex> lock(mu_);
      clients = clients_;
    }
    for (int fd : clients)
      ::send(fd, msg, n, 0);
  }

  // The same, with manual lock()/unlock().
  void broadcast_manual_ok(const char *msg, size_t n) {
    mu_.lock();
    std::vector<int> clients = clients_;
    mu_.unlock();
    for (int fd : clients)
      ::write(fd, msg, n);
  }

  // Waits for a child process, then records it.
  void reap_child_ok(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    std::lock_guard<std::mutex> lock(mu_);
    exit_codes_.push_back(status);
  }

  // Reads a whole file before taking the lock.
  void load_banner_ok(const char *path) {
    char buf[256] = {0};
    if (FILE *f = fopen(path, "r")) {
      fread(buf, 1, sizeof buf - 1, f);
      fclose(f);
    }
    std::lock_guard<std::mutex> lock(mu_);
    banner_ = buf;
  }

  // Reads a line of a pipe outside the lock.
  void read_version_ok() {
    char line[64] = {0};
    if (FILE *p = popen("uname -r", "r")) {
      fgets(line, sizeof line, p);
      pclose(p);
    }
    std::lock_guard<std::mutex> lock(mu_);
    banner_ += line;
  }

  // Joins a helper thread it started, before locking.
  void run_probe_ok() {
    std::thread probe([] {});
    probe.join();
    std::lock_guard<std::mutex> lock(mu_);
    ++probes_;
  }

  // Waits for a future before locking.
  void collect_ok(std::future<int> f) {
    int v = f.get();
    std::lock_guard<std::mutex> lock(mu_);
    exit_codes_.push_back(v);
  }

  // Sleeps between retries, taking the lock only to check the state.
  bool wait_for_clients_ok() {
    for (int i = 0; i < 5; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (!clients_.empty())
          return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

private:
  std::mutex mu_;
  std::vector<int> clients_;
  std::vector<int> exit_codes_;
  std::string banner_;
  int probes_ = 0;
};

// ------------------------ the project's own functions named like libc --

// An in-memory frame builder whose free functions overload POSIX names.
struct Frame {
  std::string bytes;
};

ssize_t write(Frame &f, const void *data, size_t n) {
  f.bytes.append(static_cast<const char *>(data), n);
  return static_cast<ssize_t>(n);
}

ssize_t send(Frame &f, int flags) { return static_cast<ssize_t>(f.bytes.size()) + flags; }

unsigned sleep(Frame &f) { return static_cast<unsigned>(f.bytes.size()); }

std::mutex g_frame_mu;
Frame g_frame;

void user_function_named_write_ok(const char *s, size_t n) {
  std::lock_guard<std::mutex> lock(g_frame_mu);
  write(g_frame, s, n);
}

ssize_t user_function_named_send_ok() {
  std::lock_guard<std::mutex> lock(g_frame_mu);
  return send(g_frame, 0);
}

unsigned user_function_named_sleep_ok() {
  std::lock_guard<std::mutex> lock(g_frame_mu);
  return sleep(g_frame);
}

// The POSIX write() right beside it is still the real one.
void posix_write_beside_user_write_bad(int fd, const char *s, size_t n) {
  std::lock_guard<std::mutex> lock(g_frame_mu);
  write(g_frame, s, n);
  write(fd, g_frame.bytes.data(), g_frame.bytes.size()); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'g_frame_mu'"
}

// ------------------------------------------------ a token-bucket limiter --

class RateLimiter {
public:
  // Computes the wait under the lock, sleeps after releasing it.
  void acquire_ok() {
    std::chrono::microseconds wait{0};
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (tokens_ > 0)
        --tokens_;
      else
        wait = std::chrono::microseconds(1000);
    }
    if (wait.count() > 0)
      std::this_thread::sleep_for(wait);
  }

  // Same with unlock() on the early path and the guard on the other.
  void acquire_manual_ok() {
    mu_.lock();
    if (tokens_ > 0) {
      --tokens_;
      mu_.unlock();
      return;
    }
    mu_.unlock();
    usleep(1000);
  }

  // Sleeping inside the lock to "pace" callers: reported.
  void acquire_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    while (tokens_ == 0)
      usleep(1000); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'RateLimiter::mu_'"
    --tokens_;
  }

  void refill_ok(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    tokens_ = std::min(tokens_ + n, 100);
  }

  int available_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return tokens_;
  }

private:
  std::mutex mu_;
  int tokens_ = 10;
};

// ------------------------------------------------------ an audit trail --

class AuditTrail {
public:
  // Format under the lock, write outside it.
  void record_ok(const std::string &who, const std::string &what) {
    std::string line;
    {
      std::lock_guard<std::mutex> lock(mu_);
      line = std::to_string(++seq_) + " " + who + " " + what + "\n";
    }
    ::write(fd_, line.data(), line.size());
  }

  // Buffer in memory under the lock: nothing blocks.
  void record_buffered_ok(const std::string &what) {
    std::lock_guard<std::mutex> lock(mu_);
    buffer_ += what;
    buffer_ += '\n';
  }

  // Take the buffer, then write and sync it.
  void flush_buffer_ok() {
    std::string out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      out.swap(buffer_);
    }
    ::write(fd_, out.data(), out.size());
    fsync(fd_);
  }

  // Writes and syncs the buffer while holding the lock.
  void flush_buffer_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    ::write(fd_, buffer_.data(), buffer_.size()); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'AuditTrail::mu_'"
    buffer_.clear();
  }

  // Opens the file before publishing the descriptor.
  void rotate_ok(const char *path) {
    FILE *f = fopen(path, "a");
    int fd = f ? fileno(f) : -1;
    std::lock_guard<std::mutex> lock(mu_);
    fd_ = fd;
  }

  size_t pending_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return buffer_.size();
  }

private:
  std::mutex mu_;
  std::string buffer_;
  long seq_ = 0;
  int fd_ = -1;
};
