// Temporary std::thread objects: a thread constructed in an expression
// statement is destroyed at the end of that statement while it runs, which
// calls std::terminate. Forms: braces, parentheses with arguments, a lambda,
// a cast to void, inside if/for bodies, in a lambda body and in a function
// template. Negative cases: .join()/.detach() on the temporary, std::jthread
// temporaries, temporaries moved into a container, returned, used to
// initialise or assign a variable, or handed to a function.
#include <cstddef>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// ------------------------------------------------ a notification hub --

void send_email(const std::string &to);
void send_sms(const std::string &to);
void flush_metrics();

// Fire-and-forget written as a temporary: terminates at once.
void notify_bad(const std::string &user) {
  std::thread(send_email, user); // expect: threadlint-unjoined-thread "temporary std::thread is destroyed at the end of the statement while its thread runs, which calls std::terminate; name it and join it (a std::jthread temporary would join at once, running the work synchronously)"
  send_sms(user);
}

void flush_bad() {
  std::thread{flush_metrics}; // expect: threadlint-unjoined-thread "temporary std::thread is destroyed at the end of the statement"
}

void notify_lambda_bad(const std::string &user) {
  std::thread([user] { send_email(user); }); // expect: threadlint-unjoined-thread "temporary std::thread is destroyed"
}

// A temporary discarded through a cast to void.
void notify_void_bad(const std::string &user) {
  (void)std::thread(send_sms, user); // expect: threadlint-unjoined-thread "temporary std::thread is destroyed"
}

void notify_if_bad(const std::string &user, bool urgent) {
  if (urgent)
    std::thread(send_sms, user); // expect: threadlint-unjoined-thread "temporary std::thread is destroyed"
  send_email(user);
}

void notify_all_bad(const std::vector<std::string> &users) {
  for (std::size_t i = 0; i < users.size(); ++i)
    std::thread(send_email, users[i]); // expect: threadlint-unjoined-thread "temporary std::thread is destroyed"
}

// The same as the body of a range-for.
void notify_each_bad(const std::vector<std::string> &users) {
  for (const std::string &u : users)
    std::thread(send_email, u); // expect: threadlint-unjoined-thread "temporary std::thread is destroyed"
}

// Inside a lambda body.
void schedule_bad(std::vector<void (*)()> &hooks) {
  hooks.push_back([] {
    std::thread{flush_metrics}; // expect: threadlint-unjoined-thread "temporary std::thread is destroyed"
  });
}

// A function template, instantiated once below.
template <class Fn> void spawn_each_bad(const std::vector<std::string> &to, Fn fn) {
  for (std::size_t i = 0; i < to.size(); ++i)
    std::thread(fn, to[i]); // expect: threadlint-unjoined-thread "temporary std::thread is destroyed"
}

void broadcast(const std::vector<std::string> &users) {
  spawn_each_bad(users, send_sms);
}

// ---------------------------------------------- temporaries done right --

void notify_detach_ok(const std::string &user) {
  std::thread(send_email, user).detach();
}

void notify_join_ok(const std::string &user) {
  std::thread{send_email, user}.join();
}

// Joins at once: synchronous, but well-defined.
void flush_jthread_ok() {
  std::jthread{flush_metrics};
}

void notify_all_ok(const std::vector<std::string> &users) {
  std::vector<std::thread> senders;
  for (const std::string &u : users)
    senders.push_back(std::thread(send_email, u));
  for (std::thread &t : senders)
    t.join();
}

std::thread start_flush_ok() { return std::thread(flush_metrics); }

void named_ok(const std::string &user) {
  std::thread t = std::thread(send_sms, user);
  t.join();
}

void assigned_ok(const std::string &user) {
  std::thread t;
  t = std::thread(send_sms, user);
  t.join();
}

void run_and_join(std::thread t) { t.join(); }

void handed_over_ok(const std::string &user) {
  run_and_join(std::thread(send_email, user));
}

// Constructed in an if's init-statement and joined in the branch.
bool started_ok(const std::string &user) {
  if (std::thread t(send_sms, user); t.joinable()) {
    t.join();
    return true;
  }
  return false;
}

// A temporary constructed in the loop body and detached there.
void notify_all_detach_ok(const std::vector<std::string> &users) {
  for (const std::string &u : users)
    std::thread(send_email, u).detach();
}
