#include <mutex>
#include <unistd.h>
std::mutex mu;
void slow() {
  std::lock_guard<std::mutex> g(mu);
  sleep(1); // expect: threadlint-blocking-in-critical-section "'sleep' sleeps while holding 'mu'"
}
