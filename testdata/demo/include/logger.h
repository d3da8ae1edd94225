// A small append-only logger shared by every thread of the server.
#ifndef KVD_LOGGER_H
#define KVD_LOGGER_H

#include <cstddef>
#include <cstdio>
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
  /// Appends one line to <path>.err, which is opened on first use.
  void error(const std::string &line);
  /// How many lines have been written so far.
  std::size_t written() const;

private:
  std::string timestamp() const;
  std::FILE *error_file();

  mutable std::mutex mu_;
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> queue_;
  std::size_t written_ = 0;
  std::FILE *errors_ = nullptr;
};

} // namespace kvd

#endif
