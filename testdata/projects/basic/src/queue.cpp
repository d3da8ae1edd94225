#include "journal.h"
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

namespace {
std::mutex queue_mu;
std::deque<int> queue;
} // namespace

void retry_push(int value) {
  std::lock_guard<std::mutex> guard(queue_mu);
  while (queue.size() > 100)
    std::this_thread::sleep_for(std::chrono::milliseconds(10)); // expect: threadlint-blocking-in-critical-section "sleeps while holding"
  queue.push_back(value);
}

int pop_and_log(int fd) {
  int value = 0;
  {
    std::lock_guard<std::mutex> guard(queue_mu);
    if (queue.empty())
      return -1;
    value = queue.front();
    queue.pop_front();
  }
  journal_append(fd, "pop\n", 4);
  return value;
}
