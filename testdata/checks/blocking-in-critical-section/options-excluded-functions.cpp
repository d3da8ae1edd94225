// CONFIG: {CheckOptions: {threadlint-blocking-in-critical-section.ExcludedFunctions: "fflush;std::this_thread::yield;usleep"}}
// ExcludedFunctions removes built-in entries: fflush and usleep are not
// reported any more (directly or through helpers); everything else still is.
#include <cstdio>
#include <mutex>

#include <unistd.h>

std::mutex g_out_mu;
int g_lines;

void flush_ok() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  ++g_lines;
  fflush(stdout);
}

void short_pause_ok() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  usleep(1);
}

static void flush_helper() { fflush(stderr); }

void flush_through_helper_ok() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  flush_helper();
}

// Not excluded: still reported.
void long_pause_bad() {
  std::lock_guard<std::mutex> lock(g_out_mu);
  sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding 'g_out_mu'"
}

void write_bad(const char *s, size_t n) {
  std::lock_guard<std::mutex> lock(g_out_mu);
  fwrite(s, 1, n, stdout); // expect: threadlint-blocking-in-critical-section "'fwrite' waits for I/O while holding 'g_out_mu'"
}

// A helper with an excluded call first and a blocking one after: the
// remaining blocking call is found.
static void flush_and_sync(int fd) {
  fflush(stdout);
  fsync(fd);
}

void sync_bad(int fd) {
  std::lock_guard<std::mutex> lock(g_out_mu);
  flush_and_sync(fd); // expect: threadlint-blocking-in-critical-section "call to 'flush_and_sync' may block while holding 'g_out_mu': 'fsync' waits for I/O"
}

void sync_ok(int fd) {
  { std::lock_guard<std::mutex> lock(g_out_mu); }
  flush_and_sync(fd);
}
