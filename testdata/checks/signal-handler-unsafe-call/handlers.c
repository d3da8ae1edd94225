// Signal handlers in C, installed with signal() and with sigaction() (the
// sa_handler field assigned, sa_sigaction with SA_SIGINFO, a designated
// initializer), that call printf, exit, fprintf, snprintf, malloc, syslog
// or pthread_mutex_lock, directly or through a function of this file.
// Negative cases: handlers that set a volatile sig_atomic_t or an _Atomic
// flag, write a byte to a self-pipe, post a semaphore, reap children with
// waitpid while saving errno, restore the default action and re-raise, or
// call _exit; SIG_IGN and SIG_DFL; functions shaped like handlers that are
// never installed; a handler that calls a project function only declared
// here.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

// ----------------------------------------------- Ctrl-C with signal() --

static void on_sigint(int sig) {
  printf("caught signal %d, exiting\n", sig); // expect: threadlint-signal-handler-unsafe-call "'printf' is not async-signal-safe and is called in signal handler 'on_sigint' (installed at line 34)"
  exit(1); // expect: threadlint-signal-handler-unsafe-call "'exit' is not async-signal-safe and is called in signal handler 'on_sigint' (installed at line 34)"
}

void install_sigint(void) {
  signal(SIGINT, on_sigint); // expect-note: "signal handler 'on_sigint' is installed here"
}

// The handler records the signal; the main loop prints and exits.
static volatile sig_atomic_t g_interrupted;

static void on_sigint_ok(int sig) {
  (void)sig;
  g_interrupted = 1;
}

void install_sigint_ok(void) { signal(SIGINT, on_sigint_ok); }

int main_loop_ok(void) {
  while (!g_interrupted)
    pause();
  printf("interrupted, exiting\n");
  return 1;
}

// -------------------------- SIGHUP through sigaction, and a helper --

static char *g_config;

// Called from the handler below: everything it calls runs in the handler.
static void log_event(const char *what) {
  syslog(LOG_NOTICE, "%s", what); // expect: threadlint-signal-handler-unsafe-call "'syslog' is not async-signal-safe and is called in signal handler 'on_sighup' through 'log_event' (installed at line 79)"
}

static void on_sighup(int sig) {
  (void)sig;
  log_event("reloading configuration");
  char *fresh = malloc(4096); // expect: threadlint-signal-handler-unsafe-call "'malloc' is not async-signal-safe and is called in signal handler 'on_sighup' (installed at line 79)"
  if (fresh) {
    fresh[0] = '\0';
    g_config = fresh;
  }
}

void install_sighup(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sighup;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGHUP, &sa, NULL); // expect-note: "signal handler 'on_sighup' is installed here"
}

// The handler sets a flag; the reload runs in the main loop.
static atomic_bool g_reload_requested;

static void on_sighup_ok(int sig) {
  (void)sig;
  atomic_store_explicit(&g_reload_requested, true, memory_order_relaxed);
}

void install_sighup_ok(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sighup_ok;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGHUP, &sa, NULL);
}

// Never installed as a handler: the main loop calls it.
void reload_now_ok(int sig) {
  log_event("reloading configuration");
  fprintf(stderr, "reload after signal %d\n", sig);
}

// ------------------------------------- a crash handler with SA_SIGINFO --

static void on_fault(int sig, siginfo_t *info, void *ctx) {
  (void)ctx;
  fprintf(stderr, "signal %d at address %p\n", sig, info->si_addr); // expect: threadlint-signal-handler-unsafe-call "'fprintf' is not async-signal-safe and is called in signal handler 'on_fault' (installed at line 118)"
  abort();
}

void install_fault_handler(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL); // expect-note: "signal handler 'on_fault' is installed here"
}

// write() a fixed message, restore the default action, re-raise.
static const char fault_msg[] = "fatal signal, aborting\n";

static void on_fault_ok(int sig, siginfo_t *info, void *ctx) {
  (void)info;
  (void)ctx;
  ssize_t n = write(STDERR_FILENO, fault_msg, strlen(fault_msg));
  (void)n;
  signal(sig, SIG_DFL);
  raise(sig);
}

void install_fault_handler_ok(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_fault_ok;
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
}

// ----------------------- a designated initializer and a mutex lock --

static pthread_mutex_t g_state_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_state;

// If the signal arrives while the main thread holds g_state_mu, the
// handler deadlocks on it.
static void on_sigterm(int sig) {
  (void)sig;
  pthread_mutex_lock(&g_state_mu); // expect: threadlint-signal-handler-unsafe-call "'pthread_mutex_lock' is not async-signal-safe and is called in signal handler 'on_sigterm' (installed at line 159)"
  g_state = 2;
  pthread_mutex_unlock(&g_state_mu); // expect: threadlint-signal-handler-unsafe-call "'pthread_mutex_unlock' is not async-signal-safe and is called in signal handler 'on_sigterm' (installed at line 159)"
}

void install_sigterm(void) {
  struct sigaction sa = {.sa_handler = on_sigterm, .sa_flags = SA_RESTART};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL); // expect-note: "signal handler 'on_sigterm' is installed here"
}

static _Atomic int g_state_request;

static void on_sigterm_ok(int sig) {
  (void)sig;
  atomic_store(&g_state_request, 2);
}

void install_sigterm_ok(void) {
  struct sigaction sa = {.sa_handler = on_sigterm_ok, .sa_flags = SA_RESTART};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
}

// -------------------------------------- formatting into a buffer --

static void on_sigusr1(int sig) {
  char line[64];
  int n = snprintf(line, sizeof line, "got signal %d\n", sig); // expect: threadlint-signal-handler-unsafe-call "'snprintf' is not async-signal-safe and is called in signal handler 'on_sigusr1' (installed at line 185)"
  if (n > 0)
    (void)!write(STDERR_FILENO, line, (size_t)n);
}

void install_sigusr1(void) {
  signal(SIGUSR1, &on_sigusr1); // expect-note: "signal handler 'on_sigusr1' is installed here"
}

// Fixed text, and the digits converted by hand.
static void on_sigusr1_ok(int sig) {
  char line[] = "got signal 00\n";
  line[11] = (char)('0' + sig / 10 % 10);
  line[12] = (char)('0' + sig % 10);
  (void)!write(STDERR_FILENO, line, sizeof line - 1);
}

void install_sigusr1_ok(void) { signal(SIGUSR1, &on_sigusr1_ok); }

// ------------------------------------------------- the self-pipe trick --

static int g_wake_pipe[2];

static void on_sigchld_ok(int sig) {
  int saved = errno;
  unsigned char b = (unsigned char)sig;
  (void)!write(g_wake_pipe[1], &b, 1);
  errno = saved;
}

// Reaping children in the handler: waitpid is async-signal-safe.
static void on_sigchld_reap_ok(int sig) {
  (void)sig;
  int saved = errno;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

int install_sigchld_ok(int reap_in_handler) {
  if (pipe2(g_wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
    return -1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = reap_in_handler ? on_sigchld_reap_ok : on_sigchld_ok;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  return sigaction(SIGCHLD, &sa, NULL);
}

// ------------------------------------------------ waking a thread --

// sem_post is async-signal-safe: the handler wakes a thread that does the
// work.
static sem_t g_work_ready;

static void on_sigusr2_ok(int sig) {
  (void)sig;
  sem_post(&g_work_ready);
}

void install_sigusr2_ok(void) {
  sem_init(&g_work_ready, 0, 0);
  struct sigaction sa = {.sa_handler = on_sigusr2_ok};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR2, &sa, NULL);
}

// ------------------------------------------ watchdogs and dispositions --

static void on_alarm_ok(int sig) {
  (void)sig;
  static const char msg[] = "watchdog expired\n";
  (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
  _exit(3);
}

void arm_watchdog_ok(unsigned seconds) {
  signal(SIGALRM, on_alarm_ok);
  alarm(seconds);
}

void default_dispositions_ok(void) {
  signal(SIGPIPE, SIG_IGN);
  signal(SIGQUIT, SIG_DFL);
  struct sigaction sa = {.sa_handler = SIG_IGN};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTTOU, &sa, NULL);
}

// A project function only declared here: what it does is not guessed.
void request_shutdown(int sig);

static void on_sigquit_ok(int sig) { request_shutdown(sig); }

void install_sigquit_ok(void) { signal(SIGQUIT, on_sigquit_ok); }

// --------------------------------------------- known false negative --

// Handlers installed from a table: the handler is read from an array at
// run time, not named at the install site, so it is not known to be one.
static void on_sigwinch(int sig) {
  printf("resized (%d)\n", sig);
}

struct handler_entry {
  int sig;
  void (*fn)(int);
};

static const struct handler_entry k_handlers[] = {{SIGWINCH, on_sigwinch}};

void FN_install_from_table(void) {
  for (size_t i = 0; i < sizeof k_handlers / sizeof k_handlers[0]; ++i)
    signal(k_handlers[i].sig, k_handlers[i].fn);
}
