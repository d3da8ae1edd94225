// Calls that look like blocking calls but are not: members and functions of
// the program's own classes and namespaces that share a name with a blocking
// libc/std function (read, write, send, get, wait, join, sleep, ...), and
// cheap library calls that never wait. All silent, except where the real
// thing is called.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/socket.h>
#include <unistd.h>

// An in-memory ring buffer with read()/write() members.
class RingBuffer {
public:
  size_t write(const char *data, size_t n) {
    size_t k = std::min(n, sizeof buf_ - size_);
    std::memcpy(buf_ + size_, data, k);
    size_ += k;
    return k;
  }
  size_t read(char *out, size_t n) {
    size_t k = std::min(n, size_);
    std::memcpy(out, buf_, k);
    std::memmove(buf_, buf_ + k, size_ - k);
    size_ -= k;
    return k;
  }

private:
  char buf_[4096];
  size_t size_ = 0;
};

// A message channel whose send() only queues.
class Channel {
public:
  void send(std::string msg) { q_.push_back(std::move(msg)); }
  std::optional<std::string> poll() {
    if (q_.empty())
      return std::nullopt;
    std::string m = std::move(q_.front());
    q_.pop_front();
    return m;
  }

private:
  std::deque<std::string> q_;
};

// A path helper with join(), and a "future-like" value holder with get().
struct PathJoiner {
  std::string join(const std::string &a, const std::string &b) const { return a + "/" + b; }
};

template <typename T> class Lazy {
public:
  const T &get() {
    if (!v_)
      v_ = T();
    return *v_;
  }

private:
  std::optional<T> v_;
};

// An in-process "select" over a vector and a "connect" of two graph nodes.
namespace graph {
struct Node {
  std::vector<Node *> out;
};
inline void connect(Node &a, Node &b) { a.out.push_back(&b); }
inline Node *select(std::vector<Node *> &nodes, size_t i) { return nodes.at(i); }
} // namespace graph

// A simulated clock for tests, with its own sleep().
namespace simclock {
inline long g_now;
inline void sleep(long ticks) { g_now += ticks; }
} // namespace simclock

class Session {
public:
  void buffer_write_ok(const char *data, size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    ring_.write(data, n);
  }

  size_t buffer_read_ok(char *out, size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    return ring_.read(out, n);
  }

  // The real ::write next to the buffer's write: only the real one reports.
  void buffer_and_socket_bad(const char *data, size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    ring_.write(data, n);
    ::write(fd_, data, n); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'Session::mu_'"
  }

  void channel_send_ok(const std::string &m) {
    std::lock_guard<std::mutex> lock(mu_);
    chan_.send(m);
  }

  std::optional<std::string> channel_poll_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return chan_.poll();
  }

  // The real ::send: reported.
  void socket_send_bad(const std::string &m) {
    std::lock_guard<std::mutex> lock(mu_);
    chan_.send(m);
    ::send(fd_, m.data(), m.size(), 0); // expect: threadlint-blocking-in-critical-section "'send' waits for I/O while holding 'Session::mu_'"
  }

  std::string path_join_ok(const std::string &dir, const std::string &file) {
    std::lock_guard<std::mutex> lock(mu_);
    return joiner_.join(dir, file);
  }

  int lazy_get_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return lazy_.get();
  }

  void graph_connect_ok(graph::Node &a, graph::Node &b) {
    std::lock_guard<std::mutex> lock(mu_);
    graph::connect(a, b);
  }

  graph::Node *graph_select_ok(std::vector<graph::Node *> &nodes) {
    std::lock_guard<std::mutex> lock(mu_);
    return graph::select(nodes, 0);
  }

  void simulated_sleep_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    simclock::sleep(100);
  }

  // Cheap standard-library work under the lock.
  std::string format_ok(int code) {
    std::lock_guard<std::mutex> lock(mu_);
    char buf[32];
    std::snprintf(buf, sizeof buf, "E%04d", code);
    return std::string(buf) + std::to_string(std::strlen(buf));
  }

  void sort_ok(std::vector<int> &v) {
    std::lock_guard<std::mutex> lock(mu_);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }

  long timestamp_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + static_cast<long>(std::time(nullptr)) + getpid();
  }

  void allocate_ok(size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    void *p = std::malloc(n);
    std::free(p);
    auto owned = std::make_unique<char[]>(n);
    (void)owned;
  }

  // Thread queries that do not wait.
  void thread_queries_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    auto id = std::this_thread::get_id();
    (void)id;
    std::this_thread::yield();
    if (worker_.joinable())
      worker_.detach();
  }

  // Futures and promises queried, not waited on.
  bool future_queries_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    promise_.set_value(1);
    return result_.valid();
  }

  // Signalling never blocks.
  void signal_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    cv_.notify_all();
    sem_post(&sem_);
    pthread_cond_broadcast(&pcv_);
  }

  // Non-blocking descriptor setup: socket(), fcntl() do not wait.
  int make_socket_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    fd_ = fd;
    return fd;
  }

  // A trywait: returns at once.
  bool try_reserve_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return sem_trywait(&sem_) == 0;
  }

  // Atomics need no lock, and nothing blocks here.
  void atomics_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    hits_.fetch_add(1, std::memory_order_relaxed);
    hits_.store(0);
  }

  // Map lookups with names like get/find.
  std::string lookup_ok(const std::string &k) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = kv_.find(k);
    return it == kv_.end() ? std::string() : it->second;
  }

private:
  std::mutex mu_;
  RingBuffer ring_;
  Channel chan_;
  PathJoiner joiner_;
  Lazy<int> lazy_;
  std::thread worker_;
  std::promise<int> promise_;
  std::future<int> result_;
  std::condition_variable cv_;
  sem_t sem_;
  pthread_cond_t pcv_ = PTHREAD_COND_INITIALIZER;
  std::atomic<long> hits_{0};
  std::map<std::string, std::string> kv_;
  int fd_ = -1;
};

// Functions in an anonymous namespace that shadow libc names.
namespace {
int read(int slot) { return slot * 2; }
void usleep_simulated(int) {}
} // namespace

std::mutex g_slots_mu;

int shadowed_read_ok(int slot) {
  std::lock_guard<std::mutex> lock(g_slots_mu);
  usleep_simulated(slot);
  return read(slot);
}

// The real one, qualified: reported.
ssize_t real_read_bad(int fd, char *buf, size_t n) {
  std::lock_guard<std::mutex> lock(g_slots_mu);
  return ::read(fd, buf, n); // expect: threadlint-blocking-in-critical-section "'read' waits for I/O while holding 'g_slots_mu'"
}

// --------------------------------------- a job object with wait()/join() --

// A user class whose wait()/join()/get() do not block: they only read state.
class Job {
public:
  bool wait() const { return done_; }
  void join(const Job &other) { deps_ += other.deps_ + 1; }
  int get() const { return result_; }
  void sleep() { state_ = 2; }   // marks the job as parked
  void accept() { state_ = 1; }  // marks the job as accepted
  void connect(Job &next) { next_ = &next; }

private:
  bool done_ = false;
  int deps_ = 0;
  int result_ = 0;
  int state_ = 0;
  Job *next_ = nullptr;
};

class JobBoard {
public:
  bool poll_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return current_.wait();
  }

  void merge_ok(const Job &other) {
    std::lock_guard<std::mutex> lock(mu_);
    current_.join(other);
  }

  int result_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return current_.get();
  }

  void park_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    current_.sleep();
  }

  void accept_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    current_.accept();
  }

  void chain_ok(Job &next) {
    std::lock_guard<std::mutex> lock(mu_);
    current_.connect(next);
  }

private:
  std::mutex mu_;
  Job current_;
};
