#include "logger.h"

#include <cerrno>
#include <ctime>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace kvd {

Logger::Logger(const std::string &path) : path_(path) {
  // The server may run with more privileges than the user who started it:
  // append only to a log file that user may write, or create a new one.
  if (::access(path.c_str(), W_OK) == 0)
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC); // expect: threadlint-check-then-act "time-of-check to time-of-use: 'path.c_str()' is checked with 'access' on line 16 and then used by name with 'open'"
  else if (errno == ENOENT)
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

Logger::~Logger() {
  flush();
  if (fd_ >= 0)
    ::close(fd_);
  if (errors_)
    std::fclose(errors_);
}

std::string Logger::timestamp() const {
  char buf[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void Logger::log(const std::string &line) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string record = timestamp() + " " + line + "\n";
  // Every thread that logs now waits for this thread's disk write.
  ::write(fd_, record.data(), record.size()); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'kvd::Logger::mu_'"
  ++written_;
}

void Logger::log_buffered(const std::string &line) {
  std::string record = timestamp() + " " + line + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(record));
}

void Logger::flush() {
  std::vector<std::string> pending;
  int fd;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending.swap(queue_);
    written_ += pending.size();
    fd = fd_;
  }
  for (const std::string &record : pending)
    ::write(fd, record.data(), record.size());
  if (!pending.empty())
    ::fsync(fd);
}

std::size_t Logger::written() const {
  return written_; // expect: threadlint-inconsistent-locking "'kvd::Logger::written_' is read without holding 'kvd::Logger::mu_'"
}

std::FILE *Logger::error_file() {
  // Most runs never report an error: open the file on first use only.
  if (!errors_) { // expect: threadlint-double-checked-locking "double-checked locking on 'kvd::Logger::errors_'"
    std::lock_guard<std::mutex> lock(mu_);
    if (!errors_)
      errors_ = std::fopen((path_ + ".err").c_str(), "a"); // expect: threadlint-blocking-in-critical-section "'fopen' waits for I/O while holding 'kvd::Logger::mu_'"
  }
  return errors_;
}

void Logger::error(const std::string &line) {
  if (std::FILE *f = error_file())
    std::fputs((timestamp() + " " + line + "\n").c_str(), f);
}

namespace {
void copy_file(int from, const std::string &to) {
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0)
    return;
  char buf[4096];
  off_t at = 0;
  ssize_t n;
  while ((n = ::pread(from, buf, sizeof buf, at)) > 0) {
    ::write(out, buf, static_cast<size_t>(n));
    at += n;
  }
  ::close(out);
}
} // namespace

void Logger::archive() {
  std::string target = path_ + ".1";
  int fd = fd_;
  // The copy can take a while: let it run on its own.
  std::thread([&target, fd] { copy_file(fd, target); }).detach(); // expect: threadlint-detached-thread "detached thread captures local 'target' by reference: 'target' is destroyed when 'kvd::Logger::archive' returns"
}

} // namespace kvd
