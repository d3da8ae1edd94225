// Fields: a member function started as a thread bumps a field while the
// starting thread reads it through a getter; a lambda capturing 'this'
// started twice on one object; a shared object reached through a pointer
// by two entries. Negative cases: atomic fields, fields updated only in
// the constructor, a field the thread updates while nobody else looks
// until the join, an object per thread, and fields of local objects.
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

// ------------------------------------------- a downloader with a getter --

class Downloader {
public:
  void start() { worker_ = std::thread(&Downloader::run, this); } // expect-note: "the thread is started here"
  void wait() { worker_.join(); }
  long bytes_received() const { return received_; } // expect-note: "the thread that started 'Downloader::run' reads 'Downloader::received_' here"

private:
  void run() {
    for (int chunk = 0; chunk < 100; ++chunk)
      received_ += 4096; // expect: threadlint-non-atomic-update "non-atomic update of 'Downloader::received_' with no lock held, in thread 'Downloader::run', while the thread that started 'Downloader::run' reads it (line 18)"
  }

  std::thread worker_;
  long received_ = 0; // expect-note: "'Downloader::received_' is declared here; declare it as 'std::atomic<long>'"
};

void show_progress(long bytes);

void download_bad() {
  Downloader d;
  d.start();
  show_progress(d.bytes_received());
  d.wait();
}

// ------------------------------- a lambda on 'this', started twice --

class Crawler {
public:
  void crawl(int pages) {
    std::thread a([this, pages] { fetch(pages); });
    std::thread b([this, pages] { fetch(pages); });
    a.join();
    b.join();
  }

private:
  void fetch(int pages) {
    for (int p = 0; p < pages; ++p)
      visited_++; // expect: threadlint-non-atomic-update "non-atomic update of 'Crawler::visited_' in thread 'a', while thread 'b' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it 'std::atomic<unsigned int>' (fetch_add) or hold one mutex around every access"
  }

  unsigned visited_ = 0;
};

// ------------------------------------ one object, two different entries --

struct Stats {
  long reads = 0;
  long writes = 0;
  long ops = 0;
};

void reader(Stats *s) {
  s->reads++;
  s->ops++; // expect: threadlint-non-atomic-update "non-atomic update of 'Stats::ops' with no lock held, in thread 'reader', while thread 'writer' writes it (line 74)"
}

void writer(Stats *s) {
  s->writes++;
  s->ops += 1; // expect: threadlint-non-atomic-update "non-atomic update of 'Stats::ops' with no lock held, in thread 'writer', while thread 'reader' writes it (line 69)"
}

long shared_stats_bad() {
  Stats s;
  std::thread r(reader, &s);
  std::thread w(writer, &s);
  r.join();
  w.join();
  return s.ops;
}

// ------------------------------------------------------ atomic fields --

class Meter {
public:
  void start() { worker_ = std::thread(&Meter::run, this); }
  void stop() { worker_.join(); }
  long ticks() const { return ticks_.load(std::memory_order_relaxed); }

private:
  void run() {
    for (int i = 0; i < 100; ++i)
      ticks_.fetch_add(1, std::memory_order_relaxed);
  }

  std::thread worker_;
  std::atomic<long> ticks_{0};
};

long meter_ok() {
  Meter m;
  m.start();
  long seen = m.ticks();
  m.stop();
  return seen;
}

// ------------------------------------ updated only in the constructor --

class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; ++i) {
      ++size_;
      threads_.push_back(std::thread(&Pool::work, this));
    }
  }
  ~Pool() {
    for (auto &t : threads_)
      t.join();
    --size_;
  }
  int size_ok() const { return size_; }

private:
  void work() {}
  int size_ = 0;
  std::vector<std::thread> threads_;
};

int pool_ok() {
  Pool p(4);
  return p.size_ok();
}

// ----------------------------- read only after the thread is joined --

class Indexer {
public:
  long index_ok() {
    std::thread t(&Indexer::scan, this);
    t.join();
    return documents_;
  }

private:
  void scan() {
    for (int i = 0; i < 10; ++i)
      documents_ += 1;
  }

  long documents_ = 0;
};

// --------------------------------------------------- an object per thread --

struct Shard {
  long rows = 0;
  void load(int n) {
    for (int i = 0; i < n; ++i)
      rows++;
  }
};

long load_shards_ok(int n) {
  Shard a, b;
  std::thread ta(&Shard::load, &a, n);
  std::thread tb(&Shard::load, &b, n);
  ta.join();
  tb.join();
  return a.rows + b.rows;
}

// ------------------------------------------ fields of a local object --

struct Accumulator {
  double sum = 0;
  long count = 0;
};

double average_ok(const std::vector<double> &xs) {
  double result = 0;
  std::thread t([&xs, &result] {
    Accumulator acc;
    for (double x : xs) {
      acc.sum += x;
      acc.count++;
    }
    result = acc.count ? acc.sum / acc.count : 0;
  });
  t.join();
  return result;
}
