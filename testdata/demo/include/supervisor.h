// The supervisor: a background thread that loads the configuration file,
// reloads it on request and runs the backup command on a timer.
#ifndef KVD_SUPERVISOR_H
#define KVD_SUPERVISOR_H

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace kvd {

class Logger;

struct Config {
  std::size_t capacity = 1024;
  std::string backup_command;        // run as: <command> <snapshot path>
  unsigned backup_interval_s = 3600; // at least 60
};

class Supervisor {
public:
  Supervisor(std::string config_path, std::string snapshot_path, Logger &log);
  ~Supervisor();

  /// Starts the supervisor thread, which loads the configuration first.
  void start();
  /// Blocks until the first configuration is loaded, and returns it.
  Config wait_config();
  /// Asks the supervisor thread to read the configuration file again.
  void request_reload();
  /// Runs the backup command on the snapshot now; returns its exit status.
  int backup_now();
  /// Stops the supervisor thread and joins it.
  void stop();

private:
  void run();
  void reload();
  bool apply(const Config &c);

  const std::string config_path_;
  const std::string snapshot_path_;
  Logger &log_;

  std::mutex mu_; // config_, loaded_, reload_requested_
  std::condition_variable cv_;        // reload_requested_, stopping_
  std::condition_variable loaded_cv_; // loaded_
  Config config_;
  bool loaded_ = false;
  bool reload_requested_ = false;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

} // namespace kvd

#endif
