// Member threads: a class starts a std::thread (or a vector of them) in its
// constructor or in start(), and its destructor must join it. Reported: a
// destructor that never touches the thread, a class without a destructor,
// and a stop() that joins but is not called by the destructor. Negative
// cases: the destructor joins directly, with the joinable() idiom, through
// stop() or a helper chain, std::jthread members, and classes that never
// start their thread member.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

void write_to_disk(const std::string &line);

// ------------------------------------------------- async loggers --

// The destructor stops the loop and joins.
class AsyncLogger {
public:
  AsyncLogger() : writer_(&AsyncLogger::drain, this) {}
  ~AsyncLogger() {
    {
      std::lock_guard<std::mutex> l(mu_);
      done_ = true;
    }
    cv_.notify_one();
    writer_.join();
  }
  void log(std::string line) {
    std::lock_guard<std::mutex> l(mu_);
    queue_.push_back(std::move(line));
    cv_.notify_one();
  }

  void destructor_joins_ok();

private:
  void drain() {
    std::unique_lock<std::mutex> l(mu_);
    while (!done_ || !queue_.empty()) {
      cv_.wait(l, [this] { return done_ || !queue_.empty(); });
      while (!queue_.empty()) {
        std::string line = std::move(queue_.front());
        queue_.pop_front();
        l.unlock();
        write_to_disk(line);
        l.lock();
      }
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool done_ = false;
  std::thread writer_;
};

void AsyncLogger::destructor_joins_ok() { log("destructor joins"); }

// Forgot the join: the destructor only flags the loop to stop.
class LeakyLogger {
public:
  LeakyLogger() : writer_([this] { drain(); }) {} // expect: threadlint-unjoined-thread "member thread 'LeakyLogger::writer_' is started here, but the destructor of 'LeakyLogger' does not join it: destroying a 'LeakyLogger' while the thread runs calls std::terminate; join it in the destructor, or make it a std::jthread"
  ~LeakyLogger() { done_ = true; } // expect-note: "the destructor does not reach 'LeakyLogger::writer_'"
  void log(const std::string &line) {
    std::lock_guard<std::mutex> l(mu_);
    queue_.push_back(line);
  }

private:
  void drain() {
    while (!done_) {
      std::lock_guard<std::mutex> l(mu_);
      while (!queue_.empty()) {
        write_to_disk(queue_.front());
        queue_.pop_front();
      }
    }
  }

  std::mutex mu_;
  std::deque<std::string> queue_;
  std::atomic<bool> done_{false};
  std::thread writer_; // expect-note: "'LeakyLogger::writer_' declared here"
};

// ------------------------------------------ start()/stop() services --

// stop() joins, and the destructor calls it.
class Poller {
public:
  ~Poller() { stop(); }
  void start() {
    running_ = true;
    thread_ = std::thread([this] { loop(); });
  }
  void stop() {
    running_ = false;
    if (thread_.joinable())
      thread_.join();
  }

  int polls_ok() const { return polls_.load(); }

private:
  void loop() {
    while (running_)
      ++polls_;
  }

  std::atomic<bool> running_{false};
  std::atomic<int> polls_{0};
  std::thread thread_;
};

// stop() joins, but nothing makes sure it runs.
class Watchdog {
public:
  ~Watchdog() { armed_ = false; } // expect-note: "the destructor does not reach 'Watchdog::thread_'"
  void start() {
    armed_ = true;
    thread_ = std::thread([this] { watch(); }); // expect: threadlint-unjoined-thread "member thread 'Watchdog::thread_' is started here, but the destructor of 'Watchdog' does not join it"
  }
  void stop() { // expect-note: "joins it, but the destructor does not call it"
    armed_ = false;
    thread_.join();
  }

private:
  void watch() {
    while (armed_)
      std::this_thread::yield();
  }

  std::atomic<bool> armed_{false};
  std::thread thread_;
};

// No destructor at all.
class Ticker {
public:
  void start(int hz) {
    thread_ = std::thread([this, hz] { tick(hz); }); // expect: threadlint-unjoined-thread "member thread 'Ticker::thread_' is started here, but 'Ticker' has no destructor to join it"
  }

private:
  void tick(int hz) {
    while (ticks_ < hz * 60)
      ++ticks_;
  }

  std::atomic<int> ticks_{0};
  std::thread thread_;
};

// The destructor reaches the join through two helpers.
class Uploader {
public:
  ~Uploader() { shutdown(); }
  void begin(std::string url) {
    url_ = std::move(url);
    worker_ = std::thread(&Uploader::upload, this);
  }

  bool shutdown_ok() const { return url_.empty(); }

private:
  void shutdown() {
    cancel_ = true;
    wait_for_worker();
  }
  void wait_for_worker() {
    if (worker_.joinable())
      worker_.join();
  }
  void upload() {
    while (!cancel_)
      std::this_thread::yield();
  }

  std::string url_;
  std::atomic<bool> cancel_{false};
  std::thread worker_;
};

// Destructor defined out of the class, with the joinable() idiom.
class Indexer {
public:
  explicit Indexer(std::string root);
  ~Indexer();

  const std::string &root_ok() const { return root_; }

private:
  void crawl() { write_to_disk(root_); }

  std::string root_;
  std::thread crawler_;
};

Indexer::Indexer(std::string root)
    : root_(std::move(root)), crawler_([this] { crawl(); }) {}

Indexer::~Indexer() {
  if (crawler_.joinable())
    crawler_.join();
}

// --------------------------------------------------- thread vectors --

// Starts a vector of workers; the destructor joins all of them.
class WorkerGroup {
public:
  explicit WorkerGroup(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this, i] { work(i); });
  }
  ~WorkerGroup() {
    stop_ = true;
    for (std::thread &t : workers_)
      t.join();
  }

  int size_ok() const { return static_cast<int>(workers_.size()); }

private:
  void work(int slot) {
    while (!stop_)
      done_[slot & 7] += 1;
  }

  std::atomic<bool> stop_{false};
  std::atomic<int> done_[8] = {};
  std::vector<std::thread> workers_;
};

// Starts workers and has no destructor.
class Fanout {
public:
  void spawn(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([i] { write_to_disk(std::to_string(i)); }); // expect: threadlint-unjoined-thread "member thread 'Fanout::workers_' is started here, but 'Fanout' has no destructor to join it: destroying a 'Fanout' while the thread runs calls std::terminate; join it in the destructor, or store std::jthread"
  }

private:
  std::vector<std::thread> workers_;
};

// -------------------------------------------------------- jthreads --

// A jthread member joins itself (after requesting a stop).
class Sampler {
public:
  Sampler()
      : thread_([this](std::stop_token st) {
          while (!st.stop_requested())
            ++samples_;
        }) {}

  int samples_ok() const { return samples_.load(); }

private:
  std::atomic<int> samples_{0};
  std::jthread thread_;
};

class SamplerPool {
public:
  void add_ok() {
    threads_.emplace_back([](std::stop_token st) {
      while (!st.stop_requested())
        std::this_thread::yield();
    });
  }

private:
  std::vector<std::jthread> threads_;
};

// -------------------------------------------- never started here --

// Holds a thread member that is only ever moved in by the owner, who joins
// it through release().
class ThreadSlot {
public:
  void put_ok(std::thread t) { t_ = std::move(t); }
  std::thread release_ok() { return std::move(t_); }
  ~ThreadSlot() {
    if (t_.joinable())
      t_.join();
  }

private:
  std::thread t_;
};

// ------------------------------------- a default member initializer --

// The thread starts from the default member initializer, and nothing joins
// it.
class Heartbeat_bad {
public:
  int beats() const { return beats_.load(); }

private:
  std::atomic<int> beats_{0};
  std::thread pulse_{[this] { // expect: threadlint-unjoined-thread "member thread 'Heartbeat_bad::pulse_' is started here, but 'Heartbeat_bad' has no destructor to join it"
    while (beats_ < 1000)
      ++beats_;
  }};
};

// ----------------------------------------------------- class templates --

// A typed job runner: the destructor joins.
template <class Job> class Runner {
public:
  explicit Runner(Job job) : job_(std::move(job)), thread_([this] { job_(); }) {}
  ~Runner() { thread_.join(); }

  bool started_ok() const { return thread_.joinable(); }

private:
  Job job_;
  std::thread thread_;
};

// The same without the join.
template <class Job> class LeakyRunner {
public:
  explicit LeakyRunner(Job job)
      : job_(std::move(job)), thread_([this] { job_(); }) {} // expect: threadlint-unjoined-thread "member thread 'LeakyRunner::thread_' is started here, but 'LeakyRunner' has no destructor to join it"

private:
  Job job_;
  std::thread thread_;
};

void run_jobs() {
  Runner<void (*)()> r([] { write_to_disk("runner"); });
  LeakyRunner<void (*)()> l([] { write_to_disk("leaky"); });
}

// ------------------------------------------- member threads detached --

// A daemon thread detached as soon as it starts: nothing to join.
class Daemon {
public:
  Daemon() : t_(flush_forever) { t_.detach(); }
  void poke_ok() {}

private:
  static void flush_forever() {}
  std::thread t_;
};

class LateDaemon {
public:
  void start_ok() {
    t_ = std::thread([] {});
    t_.detach();
  }

private:
  std::thread t_;
};
