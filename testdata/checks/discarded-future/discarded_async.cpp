// The std::future returned by std::async thrown away: its destructor waits
// for the task, so a "fire and forget" call runs synchronously (launch::async
// and the default policy), or never runs at all (launch::deferred). Covers
// free functions, lambdas, members, a (void) cast written to silence
// [[nodiscard]], and discards in a loop. Negative cases: futures kept in a
// variable, a member or a container and consumed later, futures returned to
// the caller or kept to the end of the scope, and std::thread temporaries
// (not futures).
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <utility>
#include <vector>

void flush_cache();
void warm_up_index();
void send_metrics(std::string snapshot);
std::string take_snapshot();
int checksum(const std::string &path);
void write_report(const std::string &path);

// -------------------------------------------------- launch::async, discarded --

void on_shutdown_bad() {
  std::async(std::launch::async, flush_cache); // expect: threadlint-discarded-future "the std::future returned by 'std::async' is discarded: its destructor waits for the task, so this call runs synchronously; keep the future and call get() after the work that should overlap with it"
}

// What the author meant: the flush runs while the caller goes on.
std::future<void> on_shutdown_ok() {
  return std::async(std::launch::async, flush_cache);
}

// The (void) cast silences [[nodiscard]], not the blocking destructor.
void report_metrics_bad() {
  (void)std::async(std::launch::async, send_metrics, take_snapshot()); // expect: threadlint-discarded-future "the std::future returned by 'std::async' is discarded: its destructor waits for the task"
}

// The default policy may run the task on a new thread: the same wait.
void report_metrics_default_policy_bad() {
  std::async(send_metrics, take_snapshot()); // expect: threadlint-discarded-future "the std::future returned by 'std::async' is discarded: its destructor waits for the task"
}

// A detached thread really is fire-and-forget (it owns its data).
void report_metrics_ok() {
  std::thread(send_metrics, take_snapshot()).detach();
}

// ----------------------------------------------- launch::deferred, discarded --

void prepare_bad() {
  std::async(std::launch::deferred, warm_up_index); // expect: threadlint-discarded-future "the std::future returned by 'std::async' is discarded: the deferred task never runs; keep the future and call get() where the result is needed"
}

void prepare_ok() {
  auto warm = std::async(std::launch::deferred, warm_up_index);
  warm.wait(); // runs warm_up_index here, on this thread
}

// -------------------------------------------------------------- in a class --

class Exporter {
public:
  void export_bad(const std::string &path) {
    std::async(std::launch::async, [this, path] { write(path); }); // expect: threadlint-discarded-future "the std::future returned by 'std::async' is discarded: its destructor waits for the task"
  }

  // Kept in a member: the caller can go on, finish() collects it.
  void export_ok(const std::string &path) {
    pending_ = std::async(std::launch::async, [this, path] { write(path); });
  }

  void finish_ok() {
    if (pending_.valid())
      pending_.get();
  }

private:
  void write(const std::string &path) { write_report(path); }
  std::future<void> pending_;
};

// ------------------------------------------------------------- in a loop --

// Every iteration waits for its own task: nothing overlaps.
void touch_all_bad(const std::vector<std::string> &paths) {
  for (const std::string &p : paths)
    std::async(std::launch::async, write_report, p); // expect: threadlint-discarded-future "the std::future returned by 'std::async' is discarded: its destructor waits for the task"
}

void touch_all_ok(const std::vector<std::string> &paths) {
  std::vector<std::future<void>> done;
  done.reserve(paths.size());
  for (const std::string &p : paths)
    done.push_back(std::async(std::launch::async, write_report, p));
  for (auto &f : done)
    f.get();
}

// --------------------------------------------- futures used later, not lost --

int total_checksum_ok(const std::string &a, const std::string &b) {
  auto first = std::async(std::launch::async, checksum, a);
  int second = checksum(b); // overlaps with the task
  return first.get() + second;
}

bool checksum_with_timeout_ok(const std::string &path, int &out) {
  std::future<int> f = std::async(std::launch::async, checksum, path);
  if (f.wait_for(std::chrono::seconds(5)) != std::future_status::ready)
    return false; // still waits in ~future, but the author chose that
  out = f.get();
  return true;
}

std::shared_future<int> shared_checksum_ok(const std::string &path) {
  std::shared_future<int> f = std::async(std::launch::async, checksum, path).share();
  return f;
}

// Kept until the end of the scope on purpose: the two calls overlap, and
// the future's destructor joins the task like a std::jthread would.
void rebuild_ok() {
  auto index = std::async(std::launch::async, warm_up_index);
  flush_cache();
}
