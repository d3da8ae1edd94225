// NOLINT comments suppress findings in both front ends.
#include <mutex>
#include <unistd.h>

std::mutex g_flush_mu;

void nolint_ok(int fd) {
  std::lock_guard<std::mutex> lock(g_flush_mu);
  (void)write(fd, "x", 1); // NOLINT(threadlint-blocking-in-critical-section)
}

void nolint_all_ok(int fd) {
  std::lock_guard<std::mutex> lock(g_flush_mu);
  (void)write(fd, "x", 1); // NOLINT
}

void nolintnextline_ok(int fd) {
  std::lock_guard<std::mutex> lock(g_flush_mu);
  // NOLINTNEXTLINE(threadlint-blocking-in-critical-section)
  (void)write(fd, "x", 1);
}

// NOLINTBEGIN(threadlint-blocking-in-critical-section)
void nolint_block_ok(int fd) {
  std::lock_guard<std::mutex> lock(g_flush_mu);
  (void)write(fd, "x", 1);
  usleep(10);
}
// NOLINTEND(threadlint-blocking-in-critical-section)

void nolint_other_check_bad(int fd) {
  std::lock_guard<std::mutex> lock(g_flush_mu);
  (void)write(fd, "x", 1); // NOLINT(bugprone-unused-return-value) // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'g_flush_mu'"
}
