// Other callables as thread entries: a function object's operator(), lambdas
// started by a helper template (each instantiation is its own entry), and a
// function-try-block. Negative cases: a functor whose operator() catches, a
// function-try-block that handles everything, lambdas run by the helper that
// catch, and a functor that only throws from a member the thread never calls.
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

void log_error(const char *what);
void persist(const std::string &record);

void validate(const std::string &record) {
  if (record.empty())
    throw std::invalid_argument("empty record"); // expect-note: "'validate' throws here"
}

// ------------------------------------------------------- function objects --

struct Writer {
  std::vector<std::string> records;
  void operator()() const {
    for (const std::string &r : records) {
      validate(r); // expect: threadlint-exception-escapes-thread "an exception thrown by 'validate' (line 17) can escape thread"
      persist(r);
    }
  }
};

void write_bad(std::vector<std::string> records) {
  std::thread writer{Writer{std::move(records)}}; // expect-note: "the thread is started here"
  writer.join();
}

struct CheckedWriter {
  std::vector<std::string> records;
  void operator()() const {
    for (const std::string &r : records) {
      try {
        validate(r);
        persist(r);
      } catch (const std::invalid_argument &e) {
        log_error(e.what());
      }
    }
  }
  // Throws, but the thread only runs operator().
  void require_nonempty() const {
    if (records.empty())
      throw std::logic_error("nothing to write");
  }
};

void write_ok(std::vector<std::string> records) {
  CheckedWriter w{std::move(records)};
  w.require_nonempty(); // on the starting thread
  std::thread writer{w};
  writer.join();
}

// ------------------------------------------------- a function-try-block --

void persist_all(std::vector<std::string> records) try {
  for (const std::string &r : records) {
    validate(r);
    persist(r);
  }
} catch (const std::exception &e) {
  log_error(e.what());
}

void persist_all_ok(std::vector<std::string> records) {
  std::thread t(persist_all, std::move(records));
  t.join();
}

// --------------------------------------------------- a helper template --

template <class F> void run_and_wait(F f) {
  std::thread t(std::move(f)); // expect-note: "the thread is started here"
  t.join();
}

void import_bad(std::vector<std::string> records) {
  run_and_wait([&records] { validate(records.front()); }); // expect: threadlint-exception-escapes-thread "an exception thrown by 'validate' (line 17) can escape thread"
  run_and_wait([&records] { validate(records.back()); }); // expect: threadlint-exception-escapes-thread "an exception thrown by 'validate' (line 17) can escape thread"
}

void import_ok(std::vector<std::string> records) {
  run_and_wait([&records] {
    try {
      validate(records.front());
    } catch (...) {
      log_error("bad first record");
    }
  });
}

// ---------------------------------------------------------- out of reach --

// std::bind's call operator is library code: the bound function is not
// followed.
void FN_bound_function(const std::string &record) {
  std::thread t(std::bind(validate, record));
  t.join();
}
