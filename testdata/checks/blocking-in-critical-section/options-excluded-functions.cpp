// CONFIG: {CheckOptions: {threadlint-blocking-in-critical-section.ExcludedFunctions: "fdatasync;usleep;std::this_thread::sleep_for"}}
// ExcludedFunctions removes built-in entries: fdatasync, usleep and
// std::this_thread::sleep_for are not reported any more (directly or through
// helpers); everything else still is.
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include <time.h>
#include <unistd.h>

std::mutex g_out_mu;
int g_lines;

void datasync_ok(int fd) {
  std::lock_guard<std::mutex> lock(g_out_mu);
  ++g_lines;
  fdatasync(fd);
}

void short_pause_ok() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  usleep(1);
}

void sleep_for_ok() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  std::this_thread::sleep_for(std::chrono::microseconds(1));
}

static void datasync_helper(int fd) { fdatasync(fd); }

void datasync_through_helper_ok(int fd) {
  std::lock_guard<std::mutex> lock(g_out_mu);
  datasync_helper(fd);
}

// Not excluded: still reported.
void long_pause_bad() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding 'g_out_mu'"
}

void sleep_until_bad() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  std::this_thread::sleep_until(std::chrono::steady_clock::now()); // expect: threadlint-blocking-in-critical-section "'std::this_thread::sleep_until' sleeps while holding 'g_out_mu'"
}

void write_bad(FILE *out, const char *s, size_t n) {
  std::lock_guard<std::mutex> lock(g_out_mu);
  fwrite(s, 1, n, out); // expect: threadlint-blocking-in-critical-section "'fwrite' waits for I/O while holding 'g_out_mu'"
}

// A helper with an excluded call first and a blocking one after: the
// remaining blocking call is found.
static void datasync_and_sync(int fd) {
  fdatasync(fd);
  fsync(fd);
}

void sync_bad(int fd) {
  std::lock_guard<std::mutex> lock(g_out_mu);
  datasync_and_sync(fd); // expect: threadlint-blocking-in-critical-section "call to 'datasync_and_sync' may block while holding 'g_out_mu': 'fsync' waits for I/O"
}

void sync_ok(int fd) {
  { std::lock_guard<std::mutex> lock(g_out_mu); }
  datasync_and_sync(fd);
}

// Excluding sleep_for leaves sleep_until and the POSIX sleeps listed (see
// above), and excluding usleep does not touch nanosleep.
void nanosleep_bad() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  timespec ts{0, 1000};
  nanosleep(&ts, nullptr); // expect: threadlint-blocking-in-critical-section "'nanosleep' sleeps while holding 'g_out_mu'"
}

// Excluded calls in a helper called from a loop under the lock.
void batch_datasync_ok(const int *fds, int n) {
  std::lock_guard<std::mutex> lock(g_out_mu);
  for (int i = 0; i < n; ++i)
    datasync_helper(fds[i]);
}

// Excluded calls inside a lambda run immediately under the lock.
void lambda_pause_ok() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  [] { usleep(5); }();
}

// Not held at all.
void nothing_held_ok(int fd) {
  fsync(fd);
  sleep(0);
}
