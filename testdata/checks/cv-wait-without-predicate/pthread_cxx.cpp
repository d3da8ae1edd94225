// cv-wait-without-predicate on POSIX condition variables used from C++ (a
// class that owns a pthread_cond_t and a pthread_mutex_t, as in code bases
// that predate std::condition_variable): pthread_cond_wait and
// pthread_cond_timedwait under an `if`, and in straight-line code. In C++
// the <pthread.h> functions are declared inside extern "C". Negative
// cases: the same waits in `while` loops, and a timed wait in a loop that
// also ends on ETIMEDOUT.
#include <cerrno>
#include <ctime>
#include <deque>
#include <pthread.h>

class TaskQueue {
public:
  TaskQueue() {
    pthread_mutex_init(&mu_, nullptr);
    pthread_cond_init(&cv_, nullptr);
  }
  ~TaskQueue() {
    pthread_cond_destroy(&cv_);
    pthread_mutex_destroy(&mu_);
  }

  void push(int task) {
    pthread_mutex_lock(&mu_);
    tasks_.push_back(task);
    pthread_mutex_unlock(&mu_);
    pthread_cond_signal(&cv_);
  }

  void close() {
    pthread_mutex_lock(&mu_);
    closed_ = true;
    pthread_mutex_unlock(&mu_);
    pthread_cond_broadcast(&cv_);
  }

  // A spurious wakeup leaves the queue empty at front().
  int pop_bad() {
    pthread_mutex_lock(&mu_);
    if (tasks_.empty())
      pthread_cond_wait(&cv_, &mu_); // expect: threadlint-cv-wait-without-predicate "'pthread_cond_wait' is not in a loop that re-checks its condition"
    int t = tasks_.front();
    tasks_.pop_front();
    pthread_mutex_unlock(&mu_);
    return t;
  }

  bool pop_ok(int *out) {
    pthread_mutex_lock(&mu_);
    while (tasks_.empty() && !closed_)
      pthread_cond_wait(&cv_, &mu_);
    bool got = !tasks_.empty();
    if (got) {
      *out = tasks_.front();
      tasks_.pop_front();
    }
    pthread_mutex_unlock(&mu_);
    return got;
  }

  bool pop_until_bad(const timespec &deadline, int *out) {
    pthread_mutex_lock(&mu_);
    if (tasks_.empty())
      pthread_cond_timedwait(&cv_, &mu_, &deadline); // expect: threadlint-cv-wait-without-predicate "'pthread_cond_timedwait' is not in a loop that re-checks its condition"
    bool got = !tasks_.empty();
    if (got) {
      *out = tasks_.front();
      tasks_.pop_front();
    }
    pthread_mutex_unlock(&mu_);
    return got;
  }

  bool pop_until_ok(const timespec &deadline, int *out) {
    pthread_mutex_lock(&mu_);
    int rc = 0;
    while (tasks_.empty() && !closed_ && rc != ETIMEDOUT)
      rc = pthread_cond_timedwait(&cv_, &mu_, &deadline);
    bool got = !tasks_.empty();
    if (got) {
      *out = tasks_.front();
      tasks_.pop_front();
    }
    pthread_mutex_unlock(&mu_);
    return got;
  }

  // Waits for close() without looking at closed_ first: if close() already
  // ran, this sleeps forever.
  void await_close_bad() {
    pthread_mutex_lock(&mu_);
    pthread_cond_wait(&cv_, &mu_); // expect: threadlint-cv-wait-without-predicate "'pthread_cond_wait' is not in a loop that re-checks its condition"
    pthread_mutex_unlock(&mu_);
  }

  void await_close_ok() {
    pthread_mutex_lock(&mu_);
    while (!closed_)
      pthread_cond_wait(&cv_, &mu_);
    pthread_mutex_unlock(&mu_);
  }

private:
  pthread_mutex_t mu_;
  pthread_cond_t cv_;
  std::deque<int> tasks_;
  bool closed_ = false;
};

void run(int task);

static void *drain(void *arg) {
  auto *q = static_cast<TaskQueue *>(arg);
  int t;
  while (q->pop_ok(&t))
    run(t);
  return nullptr;
}

void drain_all() {
  TaskQueue q;
  pthread_t tid;
  if (pthread_create(&tid, nullptr, drain, &q) != 0)
    return;
  for (int i = 0; i < 10; ++i)
    q.push(i);
  q.close();
  pthread_join(tid, nullptr);
}
