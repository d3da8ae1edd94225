// C++ threads: the std:: forms of thread-unsafe C library calls
// (std::strtok, std::localtime, std::gmtime, std::rand, std::getenv,
// std::strerror, ::getenv/::setenv) in lambdas and functions run by
// std::thread, std::jthread and std::async, in member functions started
// with 'this', in callees of a thread entry, and in the starting function
// while a thread runs (until its join; to the end after a detach).
// Negative cases: thread_local generators, localtime_r/gmtime_r,
// std::error_code messages, the calls before the start and after the join
// (also a join by an RAII thread_guard, through the variable the thread
// was moved to, or by the destruction of a std::vector<std::jthread>),
// std::async(std::launch::deferred) (runs on the calling thread), and
// project functions that share the library's names (mylib::rand,
// Clock::localtime).
#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <functional>
#include <future>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

void publish(const std::string &text);
void store_word(const char *word);

// ---------------------------------------------- tokenising in a lambda --

void index_text_bad(std::string text) {
  std::thread tokenizer([&text] { // expect-note: "the thread is started here"
    for (char *w = std::strtok(text.data(), " \n"); w; // expect: threadlint-mt-unsafe-call "'strtok' is not thread-safe (it keeps its position in a static buffer shared by all threads) and runs in thread 'tokenizer'"
         w = std::strtok(nullptr, " \n")) // expect: threadlint-mt-unsafe-call "'strtok' is not thread-safe (it keeps its position in a static buffer shared by all threads) and runs in thread 'tokenizer'"
      store_word(w);
  });
  tokenizer.join();
}

void index_text_ok(std::string text) {
  std::thread tokenizer([&text] {
    char *save = nullptr;
    for (char *w = strtok_r(text.data(), " \n", &save); w;
         w = strtok_r(nullptr, " \n", &save))
      store_word(w);
  });
  tokenizer.join();
}

// -------------------------------- a time formatter called by a thread --

std::string format_utc(std::time_t t) {
  char buf[32];
  std::strftime(buf, sizeof buf, "%FT%TZ", std::gmtime(&t)); // expect: threadlint-mt-unsafe-call "'gmtime' is not thread-safe (it returns a pointer to one static struct tm) and runs in thread 'heartbeat'"
  return buf;
}

std::string format_utc_ok(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%FT%TZ", &tm);
  return buf;
}

void heartbeat() {
  for (int i = 0; i < 3; ++i) {
    publish(format_utc(std::time(nullptr)));
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

void heartbeat_ok() {
  for (int i = 0; i < 3; ++i) {
    publish(format_utc_ok(std::time(nullptr)));
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

void start_heartbeat() {
  std::jthread beat(heartbeat); // expect-note: "the thread is started here"
  std::jthread beat2(heartbeat_ok);
}

// ------------------------------- random numbers in a pool of workers --

int roll_dice_bad(int rounds) {
  std::vector<std::thread> players;
  std::vector<int> scores(4);
  for (int p = 0; p < 4; ++p)
    players.emplace_back([&scores, p, rounds] {
      for (int r = 0; r < rounds; ++r)
        scores[p] += std::rand() % 6 + 1; // expect: threadlint-mt-unsafe-call "'rand' is not thread-safe (it updates one hidden generator state without synchronisation) and runs in thread 'lambda at threads.cpp:93'"
    });
  for (auto &t : players)
    t.join();
  return scores[0];
}

int roll_dice_ok(int rounds) {
  std::vector<std::thread> players;
  std::vector<int> scores(4);
  for (int p = 0; p < 4; ++p)
    players.emplace_back([&scores, p, rounds] {
      thread_local std::mt19937 gen{std::random_device{}()};
      std::uniform_int_distribution<int> die(1, 6);
      for (int r = 0; r < rounds; ++r)
        scores[p] += die(gen);
    });
  for (auto &t : players)
    t.join();
  return scores[0];
}

// ----------------------------------------------- std::async entries --

std::string last_error_text(int err) {
  return std::strerror(err); // expect: threadlint-mt-unsafe-call "'strerror' is not thread-safe (it may return a pointer to one static buffer) and runs in thread 'lambda at threads.cpp:130'"
}

std::string last_error_text_ok(int err) {
  return std::error_code(err, std::generic_category()).message();
}

int open_config(const std::string &path);

std::future<std::string> check_config_async(std::string path) {
  return std::async(std::launch::async, [path] { // expect-note: "the thread is started here"
    if (open_config(path) < 0)
      return last_error_text(errno);
    return std::string("ok");
  });
}

std::future<std::string> check_config_async_ok(std::string path) {
  return std::async(std::launch::async, [path] {
    if (open_config(path) < 0)
      return last_error_text_ok(errno);
    return std::string("ok");
  });
}

// Deferred: the task runs in the thread that calls get(), here and now.
std::string check_config_deferred_ok(std::string path) {
  auto f = std::async(std::launch::deferred, [path] {
    const char *dir = std::getenv("CONFIG_DIR");
    return std::string(dir ? dir : "/etc") + "/" + path;
  });
  return f.get();
}

// ---------------------- the starting function while the thread runs --

void compact_db();

void maintenance_bad() {
  std::thread compactor(compact_db); // expect-note: "the thread is started here"
  const char *level = std::getenv("LOG_LEVEL"); // expect: threadlint-mt-unsafe-call "'getenv' is not thread-safe (it reads the environment, which setenv and putenv in other threads modify without synchronisation) and runs while thread 'compact_db' may run"
  publish(level ? level : "info");
  compactor.join();
}

// The environment is read before the start, and again after the join.
void maintenance_ok() {
  const char *level = std::getenv("LOG_LEVEL");
  std::thread compactor(compact_db);
  publish(level ? level : "info");
  compactor.join();
  if (const char *after = std::getenv("AFTER_COMPACT"))
    publish(after);
}

// A detached thread runs until the end of the program: every later call
// runs while it may run.
void flush_forever();

void start_flusher_bad() {
  std::thread(flush_forever).detach(); // expect-note: "the thread is started here"
  ::setenv("FLUSHER", "1", 1); // expect: threadlint-mt-unsafe-call "'setenv' is not thread-safe"
}

void start_flusher_ok() {
  ::setenv("FLUSHER", "1", 1);
  std::thread(flush_forever).detach();
}

// ------------------------------ threads joined by their owner --

// The RAII guard of "C++ Concurrency in Action": joins in its destructor.
class thread_guard {
public:
  explicit thread_guard(std::thread &t) : t_(t) {}
  ~thread_guard() {
    if (t_.joinable())
      t_.join();
  }
  thread_guard(const thread_guard &) = delete;
  thread_guard &operator=(const thread_guard &) = delete;

private:
  std::thread &t_;
};

// The guard joins the thread at the end of the block, before getenv.
void compact_guarded_ok() {
  {
    std::thread compactor(compact_db);
    thread_guard guard(compactor);
    publish("compacting");
  }
  if (const char *after = std::getenv("AFTER_COMPACT"))
    publish(after);
}

// The thread is moved to the variable that is joined.
void compact_moved_ok() {
  std::thread t(compact_db);
  std::thread owner = std::move(t);
  owner.join();
  if (const char *after = std::getenv("AFTER_COMPACT"))
    publish(after);
}

// A vector of std::jthread joins every thread when it is destroyed.
void compact_all_ok(int shards) {
  {
    std::vector<std::jthread> compactors;
    for (int i = 0; i < shards; ++i)
      compactors.emplace_back(compact_db);
  }
  if (const char *after = std::getenv("AFTER_COMPACT"))
    publish(after);
}

// ------------------------------ a member function started with 'this' --

class DirIndexer {
public:
  explicit DirIndexer(std::string root) : root_(std::move(root)) {}

  void run_bad() {
    std::thread walker(&DirIndexer::walk, this); // expect-note: "the thread is started here"
    walker.join();
  }

  void run_ok() {
    std::thread walker(&DirIndexer::walk_local_time, this);
    walker.join();
  }

private:
  void walk() {
    DIR *d = opendir(root_.c_str());
    if (!d)
      return;
    while (dirent *e = readdir(d)) // expect: threadlint-mt-unsafe-call "'readdir' is not thread-safe (POSIX does not require it to be safe when several threads use one directory stream; it returns a static entry) and runs in thread 'walker'"
      names_.emplace_back(e->d_name);
    closedir(d);
    std::time_t now = std::time(nullptr);
    stamp_ = std::asctime(std::localtime(&now)); // expect: threadlint-mt-unsafe-call "'localtime' is not thread-safe (it returns a pointer to one static struct tm) and runs in thread 'walker'" // expect: threadlint-mt-unsafe-call "'asctime' is not thread-safe (it returns a pointer to one static buffer) and runs in thread 'walker'"
  }

  void walk_local_time() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%c", &tm);
    stamp_ = buf;
  }

  std::string root_;
  std::vector<std::string> names_;
  std::string stamp_;
};

// ------------------------------- project functions with library names --

namespace mylib {
// A seeded generator of the project's own, thread_local state.
int rand() {
  thread_local unsigned state = 12345;
  state = state * 1103515245u + 12345u;
  return static_cast<int>(state >> 16) & 0x7fff;
}
} // namespace mylib

class Clock {
public:
  std::tm localtime() const {
    std::tm tm{};
    localtime_r(&now_, &tm);
    return tm;
  }
  std::time_t now_ = 0;
};

int shuffle_in_thread_ok() {
  int sum = 0;
  std::thread t([&sum] {
    for (int i = 0; i < 10; ++i)
      sum += mylib::rand();
  });
  t.join();
  return sum;
}

int hour_in_thread_ok(const Clock &clock) {
  int hour = 0;
  std::thread t([&] { hour = clock.localtime().tm_hour; });
  t.join();
  return hour;
}

// ------------------------------------------------ known false negative --

// The lambda is stored in a std::function before it is handed to the
// thread: the thread's callable is the std::function object, whose target
// is not followed.
void FN_tokenize_through_std_function(std::string text) {
  std::function<void()> job = [&text] {
    for (char *w = std::strtok(text.data(), " "); w; w = std::strtok(nullptr, " "))
      store_word(w);
  };
  std::thread t(job);
  t.join();
}
