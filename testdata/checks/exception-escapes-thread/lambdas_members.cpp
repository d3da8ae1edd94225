// Exceptions that can leave a thread entry given as a lambda or as a member
// function: a throw in a lambda body, a lambda calling a member that throws,
// std::jthread with a stop_token, &Class::method with `this`, and a member
// chain run -> step -> throw. Negative cases: lambdas whose body is one
// try/catch, handlers that hand the exception to another thread
// (std::exception_ptr, std::promise::set_exception), members that catch
// their own errors, and lambdas created but run on the calling thread.
#include <exception>
#include <future>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

void log_error(const char *what);
bool send_batch(const std::vector<std::string> &batch);
std::vector<std::string> next_batch();

// ---------------------------------------------- a throw in a lambda body --

void upload_bad(const std::vector<std::string> &batch) {
  std::thread uploader([&batch] { // expect-note: "the thread is started here"
    if (!send_batch(batch))
      throw std::runtime_error("upload failed"); // expect: threadlint-exception-escapes-thread "an exception thrown here can escape thread 'uploader' (started with std::thread at line 24)"
  });
  uploader.join();
}

void upload_ok(const std::vector<std::string> &batch) {
  std::thread uploader([&batch] {
    try {
      if (!send_batch(batch))
        throw std::runtime_error("upload failed");
    } catch (const std::exception &e) {
      log_error(e.what());
    }
  });
  uploader.join();
}

// The exception is carried to the joining thread and rethrown there.
void upload_rethrow_on_join_ok(const std::vector<std::string> &batch) {
  std::exception_ptr failure;
  std::thread uploader([&batch, &failure] {
    try {
      if (!send_batch(batch))
        throw std::runtime_error("upload failed");
    } catch (...) {
      failure = std::current_exception();
    }
  });
  uploader.join();
  if (failure)
    std::rethrow_exception(failure);
}

// The promise carries the exception to whoever waits on the future.
std::future<void> upload_with_promise_ok(std::vector<std::string> batch) {
  std::promise<void> done;
  std::future<void> result = done.get_future();
  std::thread([batch = std::move(batch), done = std::move(done)]() mutable {
    try {
      if (!send_batch(batch))
        throw std::runtime_error("upload failed");
      done.set_value();
    } catch (...) {
      done.set_exception(std::current_exception());
    }
  }).detach();
  return result;
}

// A lambda with a throw that runs on the calling thread, not in a thread.
void upload_inline_ok(const std::vector<std::string> &batch) {
  auto send_or_throw = [&batch] {
    if (!send_batch(batch))
      throw std::runtime_error("upload failed");
  };
  send_or_throw();
}

// --------------------------------------------------- a member-function entry --

class Indexer {
public:
  void start() { thread_ = std::thread(&Indexer::run, this); } // expect-note: "the thread is started here"
  void stop() {
    if (thread_.joinable())
      thread_.join();
  }

private:
  void run() {
    for (const std::string &path : paths_)
      index_file(path); // expect: threadlint-exception-escapes-thread "an exception thrown by 'Indexer::index_file' (line 102) can escape thread"
  }

  void index_file(const std::string &path) {
    if (path.empty())
      throw std::invalid_argument("empty path"); // expect-note: "'Indexer::index_file' throws here"
    std::lock_guard<std::mutex> lock(mu_);
    indexed_.push_back(path);
  }

  std::vector<std::string> paths_;
  std::vector<std::string> indexed_;
  std::mutex mu_;
  std::thread thread_;
};

class SafeIndexer {
public:
  void start_ok() { thread_ = std::thread(&SafeIndexer::run_guarded, this); }
  void stop_ok() {
    if (thread_.joinable())
      thread_.join();
  }

private:
  void run_guarded() {
    for (const std::string &path : paths_) {
      try {
        index_file(path);
      } catch (const std::invalid_argument &e) {
        log_error(e.what()); // skip this file, go on with the next
      }
    }
  }

  void index_file(const std::string &path) {
    if (path.empty())
      throw std::invalid_argument("empty path");
    indexed_.push_back(path);
  }

  std::vector<std::string> paths_;
  std::vector<std::string> indexed_;
  std::thread thread_;
};

// ------------------------------------- a lambda calling a member that throws --

class Replicator {
public:
  void start_bad() {
    worker_ = std::jthread([this](std::stop_token st) { // expect-note: "the thread is started here"
      while (!st.stop_requested())
        ship(next_batch()); // expect: threadlint-exception-escapes-thread "an exception thrown by 'Replicator::ship' (line 170) can escape thread"
    });
  }

  void start_ok() {
    worker_ = std::jthread([this](std::stop_token st) {
      while (!st.stop_requested()) {
        try {
          ship(next_batch());
        } catch (const std::exception &e) {
          log_error(e.what());
          ++failures_;
        }
      }
    });
  }

private:
  void ship(const std::vector<std::string> &batch) {
    if (!send_batch(batch))
      throw std::runtime_error("replica unreachable"); // expect-note: "'Replicator::ship' throws here"
  }

  int failures_ = 0;
  std::jthread worker_;
};

// ------------------------------------------ a lambda held in a variable --

void flush_journal();
void compact_journal() {
  throw std::logic_error("compaction is not implemented"); // expect-note: "'compact_journal' throws here"
}

void start_maintenance_bad() {
  auto maintenance = [] {
    flush_journal();
    compact_journal(); // expect: threadlint-exception-escapes-thread "an exception thrown by 'compact_journal' (line 181) can escape thread 'janitor' (started with std::thread at line 189)"
  };
  std::thread janitor(maintenance); // expect-note: "the thread is started here"
  janitor.join();
}

void start_maintenance_ok() {
  auto maintenance = [] {
    try {
      flush_journal();
      compact_journal();
    } catch (...) {
      log_error("maintenance failed");
    }
  };
  std::thread janitor(maintenance);
  janitor.join();
}
