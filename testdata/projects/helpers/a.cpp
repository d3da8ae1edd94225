// Holds a_mu and reaches b.cpp's b_take() through a helper of this file.
#include <mutex>
std::mutex a_mu;
void b_take();
static void helper() { b_take(); }
void a_then_b() {
  std::lock_guard<std::mutex> l(a_mu);
  helper(); // expect: threadlint-lock-order "'b_mu' acquired while holding 'a_mu'; elsewhere 'a_mu' is acquired while holding 'b_mu'"
}
void a_take() { std::lock_guard<std::mutex> l(a_mu); }
