#include <mutex>
std::mutex b_mu;
void a_take();
void b_take() { std::lock_guard<std::mutex> l(b_mu); }
void b_then_a() {
  std::lock_guard<std::mutex> l(b_mu);
  a_take();
}
// Releases b_mu before calling into a.cpp: no edge.
void b_then_a_released_ok() {
  { std::lock_guard<std::mutex> l(b_mu); }
  a_take();
}
