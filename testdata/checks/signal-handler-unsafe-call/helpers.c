// Handlers that work through helper functions of the same file: unsafe
// calls two levels down (fclose, remove, free) are reported with the chain
// that leads to them. Negative cases: helpers that only call
// async-signal-safe functions (write, strlen, unlink, close, getpid,
// clock_gettime, kill), a recursive digit formatter, and the same unsafe
// helpers called from the main program.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static FILE *g_log;
static char *g_buffer;
static const char *g_pid_path = "/run/app.pid";

// -------------------------------------- cleanup through two helpers --

static void close_log(void) {
  if (g_log)
    fclose(g_log); // expect: threadlint-signal-handler-unsafe-call "'fclose' is not async-signal-safe and is called in signal handler 'on_fatal' through 'close_log' (installed at line 39)"
  free(g_buffer); // expect: threadlint-signal-handler-unsafe-call "'free' is not async-signal-safe and is called in signal handler 'on_fatal' through 'close_log' (installed at line 39)"
}

static void cleanup(void) {
  close_log();
  remove(g_pid_path); // expect: threadlint-signal-handler-unsafe-call "'remove' is not async-signal-safe and is called in signal handler 'on_fatal' through 'cleanup' (installed at line 39)"
}

static void on_fatal(int sig) {
  cleanup();
  signal(sig, SIG_DFL);
  raise(sig);
}

void install_fatal_handlers(void) {
  signal(SIGTERM, on_fatal); // expect-note: "signal handler 'on_fatal' is installed here"
  signal(SIGINT, on_fatal);
}

// The same helpers at normal exit: not in a handler.
int shutdown_ok(void) {
  cleanup();
  return 0;
}

// --------------------------------- safe helpers for a handler's output --

static void write_str(int fd, const char *s) {
  (void)!write(fd, s, strlen(s));
}

// Recursive: prints the digits of n without a buffer.
static void write_num(int fd, long n) {
  if (n >= 10)
    write_num(fd, n / 10);
  char c = (char)('0' + n % 10);
  (void)!write(fd, &c, 1);
}

static void on_fatal_ok(int sig) {
  write_str(STDERR_FILENO, "fatal signal ");
  write_num(STDERR_FILENO, sig);
  write_str(STDERR_FILENO, " in process ");
  write_num(STDERR_FILENO, (long)getpid());
  write_str(STDERR_FILENO, "\n");
  unlink(g_pid_path);
  signal(sig, SIG_DFL);
  raise(sig);
}

void install_fatal_handlers_ok(void) {
  signal(SIGTERM, on_fatal_ok);
  signal(SIGINT, on_fatal_ok);
}

// ----------------------------------- a timer handler that stamps time --

static struct timespec g_last_tick;
static pid_t g_child;

static void stamp_tick(void) { clock_gettime(CLOCK_MONOTONIC, &g_last_tick); }

static void forward_to_child(int sig) {
  if (g_child > 0)
    kill(g_child, sig);
}

static void on_tick_ok(int sig) {
  stamp_tick();
  forward_to_child(sig);
}

void start_ticks_ok(pid_t child) {
  g_child = child;
  struct sigaction sa = {.sa_handler = on_tick_ok, .sa_flags = SA_RESTART};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  alarm(1);
}

// A handler-shaped reporter that main calls after the loop: never
// installed, so its printf is fine.
void report_signal_ok(int sig) {
  printf("stopped by signal %d at %ld.%09ld\n", sig, (long)g_last_tick.tv_sec,
         g_last_tick.tv_nsec);
}
