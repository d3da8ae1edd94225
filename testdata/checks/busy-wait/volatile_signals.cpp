// Busy waits on volatile state: a sig_atomic_t set by a signal handler, a
// volatile stop flag in an object, a volatile field reached through a
// pointer. The message adds that volatile is not synchronisation. Negative
// cases: loops that block until a signal arrives (pause, sigsuspend,
// sigwait), sleep between polls, or do work while they check the flag.
#include <chrono>
#include <csignal>
#include <ctime>
#include <signal.h>
#include <thread>
#include <unistd.h>

void handle(int request);
int next_request();

// ------------------------------------------------------------- signals --

volatile std::sig_atomic_t g_got_sigterm = 0;
volatile std::sig_atomic_t g_got_sighup = 0;

extern "C" void on_sigterm(int) {
  g_got_sigterm = 1; // expect-note: "'g_got_sigterm' is changed here, in 'on_sigterm'"
}
extern "C" void on_sighup(int) { g_got_sighup = 1; }

void install_handlers() {
  std::signal(SIGTERM, on_sigterm);
  std::signal(SIGHUP, on_sighup);
}

void wait_for_sigterm_bad() {
  while (!g_got_sigterm) { // expect: threadlint-busy-wait "if a signal handler sets 'g_got_sigterm', block in sigsuspend() or sigwait() instead"
  }
}

void wait_for_any_signal_bad() {
  while (!g_got_sigterm && !g_got_sighup) { // expect: threadlint-busy-wait "spins until 'g_got_sigterm' or 'g_got_sighup' changes"
  }
}

// pause() sleeps until a signal is delivered.
void wait_for_sigterm_ok() {
  while (!g_got_sigterm)
    pause();
}

void wait_for_sigterm_suspend_ok() {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &old);
  while (!g_got_sigterm)
    sigsuspend(&old);
  sigprocmask(SIG_SETMASK, &old, nullptr);
}

int wait_for_signal_ok() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

void wait_for_sigterm_sleeping_ok() {
  timespec ts{0, 10 * 1000 * 1000};
  while (!g_got_sigterm)
    nanosleep(&ts, nullptr);
}

void wait_for_sigterm_usleep_ok() {
  while (!g_got_sigterm)
    usleep(10000);
}

// The usual daemon main loop: serves requests until told to stop.
void daemon_loop_ok() {
  while (!g_got_sigterm) {
    if (g_got_sighup) {
      g_got_sighup = 0;
      install_handlers();
    }
    handle(next_request());
  }
}

// --------------------------------------------- a volatile member flag --

class Ticker {
public:
  void start() {
    thread_ = std::thread([this] { run_ok(); });
  }
  void stop() {
    stop_ = true; // expect-note: "'Ticker::stop_' is changed here, in 'Ticker::stop'"
    thread_.join();
  }

  void run_ok() {
    while (!stop_) {
      ++ticks_;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void linger_bad() {
    while (!stop_) { // expect: threadlint-busy-wait "'Ticker::stop_' is volatile"
    }
  }

private:
  volatile bool stop_ = false;
  long ticks_ = 0;
  std::thread thread_;
};

// ------------------------------------- a volatile field behind a pointer --

struct Transfer {
  volatile int status; // 0 = pending, 1 = done, -1 = failed
  char buffer[512];
};

void finish_transfer(Transfer *t, int status) { t->status = status; }

int await_transfer_bad(const Transfer *t) {
  do { // expect: threadlint-busy-wait "spins until 'Transfer::status' changes"
  } while (t->status == 0);
  return t->status;
}

int await_transfer_ok(const Transfer *t) {
  while (t->status == 0)
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  return t->status;
}

// A calibration delay: the loop counts its own (volatile) counter.
void delay_ok(int n) {
  for (volatile int i = 0; i < n; i = i + 1) {
  }
}
