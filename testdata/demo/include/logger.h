// A small append-only logger shared by every thread of the server.
#ifndef KVD_LOGGER_H
#define KVD_LOGGER_H

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace kvd {

class Logger {
public:
  /// Opens (appends to) the log file; logs to stderr if it cannot.
  explicit Logger(const std::string &path);
  ~Logger();

  /// Writes one line at once.
  void log(const std::string &line);
  /// Queues one line; flush() writes the queue.
  void log_buffered(const std::string &line);
  /// Writes every queued line and syncs the file.
  void flush();
  /// Copies the log to <path>.1 in the background.
  void archive();

private:
  std::string timestamp() const;

  mutable std::mutex mu_;
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> queue_;
  std::size_t written_ = 0;
};

} // namespace kvd

#endif
