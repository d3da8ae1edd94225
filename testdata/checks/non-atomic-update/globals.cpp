// Globals and function statics updated by thread functions: two different
// entries bumping one counter (x++, x += n, x = x + n, x = f(x)), a static
// local in a function two threads call, and a counter bumped by a worker
// while the starting thread reads it. Negative cases: std::atomic counters,
// thread_local counters, state touched only before the threads start or
// after they are joined (also two threads run one after the other, and a
// std::jthread joined at the end of its scope), a counter only one thread
// touches, plain locals and by-value captures, const data, and
// constructors.
#include <atomic>
#include <cstddef>
#include <string>
#include <thread>

// ------------------------------------------- two workers, one counter --

long g_requests = 0; // expect-note: "'g_requests' is declared here; declare it as 'std::atomic<long>'"

void serve_reads() {
  for (int i = 0; i < 1000; ++i)
    ++g_requests; // expect: threadlint-non-atomic-update "non-atomic update of 'g_requests' with no lock held, in thread 'serve_reads', while thread 'serve_writes' writes it (line 26)"
}

void serve_writes() {
  for (int i = 0; i < 1000; ++i)
    g_requests += 1; // expect: threadlint-non-atomic-update "in thread 'serve_writes', while thread 'serve_reads' writes it (line 21)"
}

long serve_bad() {
  std::thread r(serve_reads); // expect-note: "the thread is started here"
  std::thread w(serve_writes); // expect-note: "the thread is started here"
  r.join();
  w.join();
  return g_requests;
}

// ------------------------------------------------ x = x + n, x = f(x) --

double g_total_ms = 0;
unsigned g_checksum = 0; // expect-note: "declare it as 'std::atomic<unsigned int>'"

unsigned mix(unsigned h, unsigned v) { return h * 31u + v; }
double elapsed_ms(int job);

void time_job_a() {
  g_total_ms = g_total_ms + elapsed_ms(1); // expect: threadlint-non-atomic-update "non-atomic update of 'g_total_ms' with no lock held, in thread 'time_job_a', while thread 'time_job_b' writes it (line 51)"
  g_checksum = mix(g_checksum, 1); // expect: threadlint-non-atomic-update "non-atomic update of 'g_checksum' with no lock held, in thread 'time_job_a'"
}

void time_job_b() {
  g_total_ms = g_total_ms + elapsed_ms(2); // expect: threadlint-non-atomic-update "in thread 'time_job_b', while thread 'time_job_a' writes it (line 46)"
  g_checksum = mix(g_checksum, 2); // expect: threadlint-non-atomic-update "non-atomic update of 'g_checksum' with no lock held, in thread 'time_job_b'"
}

double time_jobs_bad() {
  std::thread a(time_job_a);
  std::thread b(time_job_b);
  a.join();
  b.join();
  return g_total_ms + g_checksum;
}

// ---------------------------------------------------- a static local --

std::string next_request_id() {
  static unsigned long seq = 0;
  seq++; // expect: threadlint-non-atomic-update "non-atomic update of 'seq' with no lock held, in thread 'handle_upload', while thread 'handle_download' reads it (line 68)"
  return "req-" + std::to_string(seq);
}

void handle_upload() { std::string id = next_request_id(); }
void handle_download() { std::string id = next_request_id(); }

void handle_both_bad() {
  std::thread u(handle_upload);
  std::thread d(handle_download);
  u.join();
  d.join();
}

// --------------------------------- the starting thread reads meanwhile --

int g_progress = 0;

void copy_files(int n) {
  for (int i = 0; i < n; ++i)
    g_progress++; // expect: threadlint-non-atomic-update "non-atomic update of 'g_progress' with no lock held, in thread 'copy_files', while the thread that started 'copy_files' reads it (line 94)"
}

void report(int percent);

void copy_with_progress_bad(int n) {
  std::thread t(copy_files, n); // expect-note: "the thread is started here"
  report(g_progress * 100 / n); // expect-note: "the thread that started 'copy_files' reads 'g_progress' here"
  t.join();
}

// --------------------------------------------------- atomic counters --

std::atomic<long> g_served{0};
std::atomic<unsigned> g_errors{0};

void serve_atomic_a_ok() {
  for (int i = 0; i < 1000; ++i)
    ++g_served;
}

void serve_atomic_b_ok() {
  for (int i = 0; i < 1000; ++i) {
    g_served.fetch_add(1, std::memory_order_relaxed);
    g_errors += 1;
  }
}

long serve_atomic_ok() {
  std::thread a(serve_atomic_a_ok);
  std::thread b(serve_atomic_b_ok);
  a.join();
  b.join();
  return g_served.load() + g_errors.load();
}

// ------------------------------------------------- thread_local counters --

thread_local long t_allocations = 0;

void allocate_some_ok() {
  for (int i = 0; i < 100; ++i)
    t_allocations += 16;
}

void allocate_in_two_threads_ok() {
  std::thread a(allocate_some_ok);
  std::thread b(allocate_some_ok);
  a.join();
  b.join();
}

// ----------------------------------- before the start, after the join --

int g_batches = 0;

void process_batches() {
  for (int i = 0; i < 10; ++i)
    g_batches++;
}

int run_batches_ok() {
  g_batches = 0;
  g_batches += 1; // the header batch, before the thread exists
  std::thread t(process_batches);
  t.join();
  g_batches += 1; // the trailer batch, after the thread is gone
  return g_batches;
}

// ----------------------------------------------- one thread, one state --

long g_bytes_compressed = 0;

void compress_all_ok() {
  for (int i = 0; i < 64; ++i)
    g_bytes_compressed += 4096;
}

void decompress_all_ok() {
  long local_bytes = 0;
  for (int i = 0; i < 64; ++i)
    local_bytes += 4096;
}

void run_codecs_ok() {
  std::thread c(compress_all_ok);
  std::thread d(decompress_all_ok);
  c.join();
  d.join();
}

// -------------------------------------------------------- const data --

const int kRetries = 3;
constexpr int kWidth = 80;

int retries_left_ok(int used) {
  int left = kRetries;
  left -= used;
  return left + kWidth;
}

void check_retries_ok() {
  std::thread a([] { retries_left_ok(1); });
  std::thread b([] { retries_left_ok(2); });
  a.join();
  b.join();
}

// ------------------------------------------------------- constructors --

struct Histogram {
  Histogram() {
    for (int i = 0; i < 8; ++i)
      total_ += 0;
    ++generation_;
  }
  long total_ = 0;
  int generation_ = 0;
};

void build_histograms_ok() {
  std::thread a([] { Histogram h; });
  std::thread b([] { Histogram h; });
  a.join();
  b.join();
}

// ------------------------------------------------- one phase at a time --

long g_phase_items = 0;

void load_phase() { g_phase_items += 100; }
void index_phase() { g_phase_items += 10; }

// The second thread starts only after the first one has been joined.
long two_phases_ok() {
  std::thread load(load_phase);
  load.join();
  std::thread index(index_phase);
  index.join();
  return g_phase_items;
}

// ---------------------------------------- std::jthread joins at scope end --

int g_compactions = 0;

void compact() { ++g_compactions; }

int compact_scoped_ok() {
  {
    std::jthread t(compact);
  } // joined here
  g_compactions += 1;
  return g_compactions;
}

// --------------------------------------------------- the thread's own --

void spin_local_ok(int n) {
  std::thread a([n] {
    long steps = 0;
    for (int i = 0; i < n; ++i)
      steps += i;
  });
  std::thread b([n]() mutable {
    while (n > 0)
      n -= 1;
  });
  a.join();
  b.join();
}

// ------------------------------------------------- known false negatives --

void add_bytes(long &total, long n) { total += n; }

// Both threads add to 'sent' through a reference parameter.
// missed: accesses through reference and pointer parameters are not
// recorded (only globals, fields, and locals borrowed by name).
long FN_shared_through_reference_parameter() {
  long sent = 0;
  std::thread a(add_bytes, std::ref(sent), 100);
  std::thread b(add_bytes, std::ref(sent), 200);
  a.join();
  b.join();
  return sent;
}
