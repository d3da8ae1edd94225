// One entry started several times: a worker started in a loop
// (emplace_back, push_back of std::thread, std::async) bumping a global, a
// local counter captured by reference by a lambda started in a loop, the
// same function started from two places, and a shared object handed to
// every thread. Negative cases: per-thread slots of an array or vector
// indexed by the thread's number, a functor copied into each thread, each
// thread with its own object (&jobs[i]), a local per iteration handed over
// with std::ref, a thread started and joined in the same iteration
// (sequential), and a counter summed after the joins.
#include <atomic>
#include <functional>
#include <future>
#include <thread>
#include <vector>

// ---------------------------------------- a pool of identical workers --

long g_processed = 0; // expect-note: "'g_processed' is declared here; declare it as 'std::atomic<long>'"

void drain_queue() {
  for (int i = 0; i < 100; ++i)
    g_processed++; // expect: threadlint-non-atomic-update "non-atomic update of 'g_processed' in thread 'drain_queue', while another thread running 'drain_queue' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it 'std::atomic<long>' (fetch_add) or hold one mutex around every access"
}

long run_pool_bad(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(drain_queue); // expect-note: "the thread is started here"
  for (auto &t : pool)
    t.join();
  return g_processed;
}

// push_back of a temporary thread: the same.
int g_retries = 0;

void fetch_with_retry(int url) {
  if (url < 0)
    g_retries += 1; // expect: threadlint-non-atomic-update "non-atomic update of 'g_retries' in thread 'fetch_with_retry', while another thread running 'fetch_with_retry' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it 'std::atomic<int>' (fetch_add) or hold one mutex around every access"
}

void fetch_all_bad(const std::vector<int> &urls) {
  std::vector<std::thread> fetchers;
  for (int u : urls)
    fetchers.push_back(std::thread(fetch_with_retry, u)); // expect-note: "the thread is started here"
  for (auto &t : fetchers)
    t.join();
}

// ------------------------------------ a local captured by reference --

bool is_prime(long v);

long count_primes_bad(long limit, int nthreads) {
  long found = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < nthreads; ++t)
    threads.emplace_back([&found, t, limit, nthreads] {
      for (long v = t; v < limit; v += nthreads)
        if (is_prime(v))
          found++; // expect: threadlint-non-atomic-update "non-atomic update of 'found' in thread 'lambda at loops.cpp:58', while another thread running 'lambda at loops.cpp:58' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it 'std::atomic<long>' (fetch_add) or hold one mutex around every access"
    });
  for (auto &th : threads)
    th.join();
  return found;
}

// The same with push_back of a std::thread temporary.
long count_primes_pushed_bad(long limit, int nthreads) {
  long found = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < nthreads; ++t)
    threads.push_back(std::thread([&found, t, limit, nthreads] {
      for (long v = t; v < limit; v += nthreads)
        if (is_prime(v))
          found++; // expect: threadlint-non-atomic-update "non-atomic update of 'found' in thread 'lambda at loops.cpp:73', while another thread running 'lambda at loops.cpp:73' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it 'std::atomic<long>' (fetch_add) or hold one mutex around every access"
    }));
  for (auto &th : threads)
    th.join();
  return found;
}

// [&] and std::async: the same counter, four tasks.
long sum_chunks_bad(const std::vector<long> &data) {
  long sum = 0;
  std::vector<std::future<void>> parts;
  for (std::size_t c = 0; c < 4; ++c)
    parts.push_back(std::async(std::launch::async, [&, c] {
      for (std::size_t i = c; i < data.size(); i += 4)
        sum += data[i]; // expect: threadlint-non-atomic-update "non-atomic update of 'sum' in thread 'lambda at loops.cpp:88', while another thread running 'lambda at loops.cpp:88' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it 'std::atomic<long>' (fetch_add) or hold one mutex around every access"
    }));
  for (auto &p : parts)
    p.get();
  return sum;
}

// --------------------------------------- one function, two start sites --

unsigned g_flushes = 0;

void flush_cache() { g_flushes = g_flushes + 1; } // expect: threadlint-non-atomic-update "non-atomic update of 'g_flushes' in thread 'flush_cache', while another thread running 'flush_cache' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it 'std::atomic<unsigned int>' (fetch_add) or hold one mutex around every access"


void flush_twice_bad() {
  std::thread a(flush_cache); // expect-note: "the thread is started here"
  std::thread b(flush_cache);
  a.join();
  b.join();
}

// ------------------------------------------------- per-thread slots --

long sum_slots_ok(const std::vector<long> &data, int nthreads) {
  std::vector<long> partial(nthreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < nthreads; ++t)
    threads.push_back(std::thread([&partial, &data, t, nthreads] {
      for (std::size_t i = t; i < data.size(); i += nthreads)
        partial[t] += data[i];
    }));
  for (auto &th : threads)
    th.join();
  long total = 0;
  for (long p : partial)
    total += p;
  return total;
}

long g_hits_per_thread[8];

void count_hits(int slot) {
  for (int i = 0; i < 100; ++i)
    g_hits_per_thread[slot]++;
}

long count_hits_ok() {
  std::thread threads[8];
  for (int i = 0; i < 8; ++i)
    threads[i] = std::thread(count_hits, i);
  long total = 0;
  for (int i = 0; i < 8; ++i) {
    threads[i].join();
    total += g_hits_per_thread[i];
  }
  return total;
}

// ------------------------------------------- a functor per thread --

struct LineCounter {
  const char *text;
  long lines = 0;
  void operator()() {
    for (const char *p = text; *p; ++p)
      if (*p == '\n')
        ++lines;
  }
};

void count_lines_ok(const char *a, const char *b) {
  std::vector<std::thread> threads;
  for (const char *t : {a, b})
    threads.push_back(std::thread(LineCounter{t}));
  for (auto &th : threads)
    th.join();
}

// --------------------------------------------- an object per thread --

struct Job {
  int id = 0;
  long steps = 0;
  void run() {
    for (int i = 0; i < 10; ++i)
      steps += i;
  }
};

void run_jobs_ok(std::vector<Job> &jobs) {
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < jobs.size(); ++i)
    threads.push_back(std::thread(&Job::run, &jobs[i]));
  for (auto &th : threads)
    th.join();
}

// The same with emplace_back.
void run_jobs_emplaced_ok(std::vector<Job> &jobs) {
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < jobs.size(); ++i)
    threads.emplace_back(&Job::run, &jobs[i]);
  for (auto &th : threads)
    th.join();
}

void count_lines_emplaced_ok(const char *a, const char *b) {
  std::vector<std::thread> threads;
  for (const char *t : {a, b})
    threads.emplace_back(LineCounter{t});
  for (auto &th : threads)
    th.join();
}

struct Tally {
  long yes = 0, no = 0;
};

void tally_votes(Tally *t, int from, int to) {
  for (int v = from; v < to; ++v) {
    if (v % 2)
      t->yes++;
    else
      t->no++;
  }
}

long tally_all_ok() {
  Tally tallies[4];
  std::thread threads[4];
  for (int i = 0; i < 4; ++i)
    threads[i] = std::thread(tally_votes, &tallies[i], i * 100, i * 100 + 100);
  long yes = 0;
  for (int i = 0; i < 4; ++i) {
    threads[i].join();
    yes += tallies[i].yes;
  }
  return yes;
}

// ---------------------------------------- std::ref to a per-thread local --

void measure(long &out, int rounds) {
  for (int i = 0; i < rounds; ++i)
    out += i;
}

long measure_once_ok(int rounds) {
  long result = 0;
  std::thread t(measure, std::ref(result), rounds);
  t.join();
  return result;
}

// Two threads, each with its own result.
long measure_pair_ok(int rounds) {
  long fast = 0, slow = 0;
  std::thread a(measure, std::ref(fast), rounds);
  std::thread b(measure, std::ref(slow), rounds * 10);
  a.join();
  b.join();
  return slow - fast;
}

// A slot per thread, handed over by reference.
long measure_slots_ok(int rounds) {
  long results[4] = {};
  std::thread threads[4];
  for (int i = 0; i < 4; ++i)
    threads[i] = std::thread(measure, std::ref(results[i]), rounds + i);
  for (auto &t : threads)
    t.join();
  return results[0] + results[3];
}

// -------------------------------------- started and joined per iteration --

int g_migrations = 0;

void migrate_one() { ++g_migrations; }

int migrate_sequentially_ok(int n) {
  for (int i = 0; i < n; ++i) {
    std::thread t(migrate_one);
    t.join();
  }
  return g_migrations;
}

long sum_sequentially_ok(int n) {
  long sum = 0;
  for (int i = 0; i < n; ++i) {
    auto f = std::async(std::launch::async, [&sum, i] { sum += i; });
    f.wait();
  }
  return sum;
}
