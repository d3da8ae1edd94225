// cv-lost-wakeup on POSIX condition variables used from C++ (a class that
// owns a pthread_cond_t and a pthread_mutex_t, and a global flag): the
// waiter loops on pthread_cond_wait, the notifier changes the state without
// the mutex before pthread_cond_signal / pthread_cond_broadcast. In C++ the
// <pthread.h> functions are declared inside extern "C". Negative cases: the
// same writes between pthread_mutex_lock and pthread_mutex_unlock, with the
// signal inside or after the critical section.
#include <atomic>
#include <deque>
#include <pthread.h>

void run(int task);

// ----------------------------------------------------- a task queue --

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

  void push_ok(int task) {
    pthread_mutex_lock(&mu_);
    tasks_.push_back(task);
    pthread_mutex_unlock(&mu_);
    pthread_cond_signal(&cv_);
  }

  void close_bad() {
    closed_ = true; // expect: threadlint-cv-lost-wakeup "'TaskQueue::closed_' is written without holding 'TaskQueue::mu_'"
    pthread_cond_broadcast(&cv_);
  }

  void close_ok() {
    pthread_mutex_lock(&mu_);
    closed_ = true;
    pthread_cond_broadcast(&cv_);
    pthread_mutex_unlock(&mu_);
  }

  bool pop(int *out) {
    pthread_mutex_lock(&mu_);
    while (tasks_.empty() && !closed_)
      pthread_cond_wait(&cv_, &mu_); // expect-note: "the waiter checks 'TaskQueue::closed_' under 'TaskQueue::mu_' here"
    bool got = !tasks_.empty();
    if (got) {
      *out = tasks_.front();
      tasks_.pop_front();
    }
    pthread_mutex_unlock(&mu_);
    return got;
  }

private:
  pthread_mutex_t mu_;
  pthread_cond_t cv_;
  std::deque<int> tasks_;
  bool closed_ = false;
};

static void *drain(void *arg) {
  auto *q = static_cast<TaskQueue *>(arg);
  int t;
  while (q->pop(&t))
    run(t);
  return nullptr;
}

// ------------------------------------------------- a start signal --

static pthread_mutex_t start_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cv = PTHREAD_COND_INITIALIZER;
static std::atomic<bool> started{false};

static void *waits_for_start(void *) {
  pthread_mutex_lock(&start_mu);
  while (!started.load())
    pthread_cond_wait(&start_cv, &start_mu); // expect-note: "the waiter checks 'started' under 'start_mu' here"
  pthread_mutex_unlock(&start_mu);
  run(0);
  return nullptr;
}

void start_bad() {
  started.store(true); // expect: threadlint-cv-lost-wakeup "'started' is written without holding 'start_mu' before 'start_cv' is notified"
  pthread_cond_broadcast(&start_cv); // expect-note: "'start_cv' is notified here"
}

void start_ok() {
  pthread_mutex_lock(&start_mu);
  started.store(true);
  pthread_mutex_unlock(&start_mu);
  pthread_cond_broadcast(&start_cv);
}

void run_all() {
  TaskQueue q;
  pthread_t drainer, starter;
  if (pthread_create(&drainer, nullptr, drain, &q) != 0)
    return;
  pthread_create(&starter, nullptr, waits_for_start, nullptr);
  for (int i = 0; i < 10; ++i)
    q.push_ok(i);
  q.close_ok();
  start_ok();
  pthread_join(drainer, nullptr);
  pthread_join(starter, nullptr);
}
