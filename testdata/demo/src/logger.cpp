#include "logger.h"

#include <ctime>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace kvd {

Logger::Logger(const std::string &path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

Logger::~Logger() {
  flush();
  if (fd_ >= 0)
    ::close(fd_);
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
