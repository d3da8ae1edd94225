// Exceptions that can leave C++ code run by pthread_create, thrd_create and
// boost::thread (a minimal stand-in for the Boost header), and the ways
// that hand the exception to a future instead. Negative cases: start
// routines with a catch-all, std::async and std::packaged_task (the
// exception is stored in the future, even when the packaged_task runs on a
// std::thread), std::promise::set_exception, and a future's get() on the
// joining thread.
#include <pthread.h>
#include <threads.h>

#include <cstdint>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace boost {
// The part of <boost/thread/thread.hpp> these tests use.
class thread {
  struct thread_data_base {
    virtual ~thread_data_base() = default;
    virtual void run() = 0;
  };
  template <class F> struct thread_data : thread_data_base {
    explicit thread_data(F fn) : f(std::move(fn)) {}
    void run() override { f(); }
    F f;
  };
  void start_thread(thread_data_base *data);

public:
  template <class F> explicit thread(F f) { start_thread(new thread_data<F>(std::move(f))); }
  void join();
};
} // namespace boost

void log_error(const char *what);

struct Frame {
  int width = 0, height = 0;
};

std::vector<Frame> decode(const std::vector<std::uint8_t> &data) {
  if (data.size() < 4)
    throw std::length_error("truncated stream"); // expect-note: "'decode' throws here"
  return std::vector<Frame>(data.size() / 4);
}

struct DecodeJob {
  std::vector<std::uint8_t> data;
  std::vector<Frame> frames;
};

// ---------------------------------------------------------- pthread_create --

void *decode_main(void *arg) {
  auto *job = static_cast<DecodeJob *>(arg);
  job->frames = decode(job->data); // expect: threadlint-exception-escapes-thread "an exception thrown by 'decode' (line 47) can escape thread 'decode_main' (started with pthread_create at line 66)"
  return nullptr;
}

int decode_bad(DecodeJob &job) {
  pthread_t tid;
  if (pthread_create(&tid, nullptr, decode_main, &job) != 0) // expect-note: "the thread is started here"
    return -1;
  return pthread_join(tid, nullptr);
}

// A C start routine must not let an exception reach the C frames.
extern "C" void *decode_main_guarded(void *arg) {
  auto *job = static_cast<DecodeJob *>(arg);
  try {
    job->frames = decode(job->data);
  } catch (...) {
    job->frames.clear();
    return reinterpret_cast<void *>(1);
  }
  return nullptr;
}

int decode_ok(DecodeJob &job) {
  pthread_t tid;
  if (pthread_create(&tid, nullptr, decode_main_guarded, &job) != 0)
    return -1;
  void *failed = nullptr;
  pthread_join(tid, &failed);
  return failed ? -1 : 0;
}

// ------------------------------------------------------------- thrd_create --

int thumbnail_main(void *arg) {
  auto *job = static_cast<DecodeJob *>(arg);
  if (job->data.empty())
    throw std::invalid_argument("no image data"); // expect: threadlint-exception-escapes-thread "an exception thrown here can escape thread 'thumbnail_main' (started with thrd_create at line 104)"
  job->frames = {Frame{64, 64}};
  return 0;
}

int thumbnail_bad(DecodeJob &job) {
  thrd_t t;
  if (thrd_create(&t, thumbnail_main, &job) != thrd_success) // expect-note: "the thread is started here"
    return -1;
  int rc = 0;
  thrd_join(t, &rc);
  return rc;
}

int thumbnail_main_guarded(void *arg) {
  auto *job = static_cast<DecodeJob *>(arg);
  try {
    if (job->data.empty())
      throw std::invalid_argument("no image data");
    job->frames = {Frame{64, 64}};
    return 0;
  } catch (const std::exception &e) {
    log_error(e.what());
    return 1;
  }
}

int thumbnail_ok(DecodeJob &job) {
  thrd_t t;
  if (thrd_create(&t, thumbnail_main_guarded, &job) != thrd_success)
    return -1;
  int rc = 0;
  thrd_join(t, &rc);
  return rc;
}

// ----------------------------------------------------------- boost::thread --

void decode_boost_bad(DecodeJob &job) {
  boost::thread worker([&job] { // expect-note: "the thread is started here"
    job.frames = decode(job.data); // expect: threadlint-exception-escapes-thread "an exception thrown by 'decode' (line 47) can escape thread 'worker' (started with boost::thread at line 136)"
  });
  worker.join();
}

void decode_boost_ok(DecodeJob &job) {
  boost::thread worker([&job] {
    try {
      job.frames = decode(job.data);
    } catch (const std::exception &e) {
      log_error(e.what());
    }
  });
  worker.join();
}

// --------------------------------- the exception goes to a future instead --

std::vector<Frame> decode_async_ok(const std::vector<std::uint8_t> &data) {
  auto frames = std::async(std::launch::async, decode, std::cref(data));
  return frames.get(); // rethrows here, on the caller's thread
}

std::vector<Frame> decode_async_lambda_ok(std::vector<std::uint8_t> data) {
  auto frames = std::async(std::launch::async, [data = std::move(data)] {
    if (data.empty())
      throw std::invalid_argument("no data");
    return decode(data);
  });
  return frames.get();
}

// packaged_task::operator() stores the exception; the thread itself never
// sees it.
std::vector<Frame> decode_packaged_ok(const std::vector<std::uint8_t> &data) {
  std::packaged_task<std::vector<Frame>(const std::vector<std::uint8_t> &)> task(decode);
  std::future<std::vector<Frame>> frames = task.get_future();
  std::thread worker(std::move(task), std::cref(data));
  worker.join();
  return frames.get();
}

std::vector<Frame> decode_promise_ok(const std::vector<std::uint8_t> &data) {
  std::promise<std::vector<Frame>> result;
  std::future<std::vector<Frame>> frames = result.get_future();
  std::thread worker([&data, &result] {
    try {
      result.set_value(decode(data));
    } catch (...) {
      result.set_exception(std::current_exception());
    }
  });
  worker.join();
  return frames.get();
}

// ---------------------------------------------------------- out of reach --

// get() rethrows what decode threw, inside the thread; a library call is not
// guessed to throw, so this is not reported.
void FN_future_get_in_thread(const std::vector<std::uint8_t> &data) {
  std::thread collector([&data] {
    auto frames = std::async(std::launch::async, decode, std::cref(data));
    log_error(frames.get().empty() ? "no frames" : "decoded");
  });
  collector.join();
}
