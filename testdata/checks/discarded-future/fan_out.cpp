// Sequential fan-out: a loop that starts a task with std::async and waits
// for it (get() or wait()) in the same iteration, so the tasks run one after
// another; also std::async(...).get() directly in a loop body. Covers
// range-for, for, while and do loops, get() and wait(). Negative cases:
// fan-out then fan-in (futures in a vector, consumed after the loop), a
// future started before the loop, futures from std::promise, a single
// std::async outside any loop, and a pipeline that prefetches the next item
// while it processes the current one.
#include <chrono>
#include <cstddef>
#include <future>
#include <string>
#include <utility>
#include <vector>

std::string fetch(const std::string &url);
int render_tile(int tile);
bool ping(const std::string &host);
void store(const std::string &page);
std::string next_chunk_name(int i);
std::vector<char> read_chunk(const std::string &name);
void process(const std::vector<char> &chunk);

// ------------------------------------------------------- get() in the loop --

std::vector<std::string> fetch_all_bad(const std::vector<std::string> &urls) {
  std::vector<std::string> pages;
  for (const std::string &url : urls) {
    auto page = std::async(std::launch::async, fetch, url); // expect-note: "the task is started here"
    pages.push_back(page.get()); // expect: threadlint-discarded-future "'page.get()' waits for the task started by 'std::async' in the same loop iteration (line 29): the tasks run one after another, not in parallel; start them all first, keep the futures (in a std::vector), and get() them after the loop"
  }
  return pages;
}

// Fan out, then fan in: all fetches run at once.
std::vector<std::string> fetch_all_ok(const std::vector<std::string> &urls) {
  std::vector<std::future<std::string>> pending;
  pending.reserve(urls.size());
  for (const std::string &url : urls)
    pending.push_back(std::async(std::launch::async, fetch, url));
  std::vector<std::string> pages;
  for (auto &f : pending)
    pages.push_back(f.get());
  return pages;
}

// ------------------------------------------------- std::async(...).get() --

std::vector<int> render_all_bad(int tiles) {
  std::vector<int> out;
  for (int t = 0; t < tiles; ++t)
    out.push_back(std::async(std::launch::async, render_tile, t).get()); // expect: threadlint-discarded-future "'get()' waits for the task started by 'std::async' in the same loop iteration (line 52)"
  return out;
}

std::vector<int> render_all_ok(int tiles) {
  std::vector<std::future<int>> parts;
  for (int t = 0; t < tiles; ++t)
    parts.emplace_back(std::async(std::launch::async, render_tile, t));
  std::vector<int> out;
  for (auto &p : parts)
    out.push_back(p.get());
  return out;
}

// ------------------------------------------------- wait() in a while loop --

std::size_t count_alive_bad(const std::vector<std::string> &hosts) {
  std::size_t alive = 0, i = 0;
  while (i < hosts.size()) {
    std::future<bool> up = std::async(std::launch::async, ping, hosts[i]);
    up.wait(); // expect: threadlint-discarded-future "'up.wait()' waits for the task started by 'std::async' in the same loop iteration (line 71)"
    alive += up.get() ? 1 : 0;
    ++i;
  }
  return alive;
}

std::size_t count_alive_ok(const std::vector<std::string> &hosts) {
  std::vector<std::future<bool>> probes;
  std::size_t i = 0;
  while (i < hosts.size())
    probes.push_back(std::async(std::launch::async, ping, hosts[i++]));
  std::size_t alive = 0;
  for (auto &p : probes)
    alive += p.get() ? 1 : 0;
  return alive;
}

// ------------------------------------------------------------- a do loop --

void mirror_bad(const std::vector<std::string> &urls) {
  std::size_t i = 0;
  do {
    auto body = std::async(std::launch::async, fetch, urls[i]);
    store(body.get()); // expect: threadlint-discarded-future "'body.get()' waits for the task started by 'std::async' in the same loop iteration (line 95)"
  } while (++i < urls.size());
}

// ------------------------------------------------------ overlapping work --

// Prefetch: chunk i+1 is read while chunk i is processed, so the loop does
// overlap I/O with work even though it waits in every iteration.
void stream_chunks_ok(int count) {
  std::vector<char> current = read_chunk(next_chunk_name(0));
  for (int i = 1; i <= count; ++i) {
    auto next = std::async(std::launch::async, read_chunk, next_chunk_name(i));
    process(current);
    current = next.get();
  }
  process(current);
}

// One task started before the loop; the loop only polls it.
std::string fetch_with_progress_ok(const std::string &url) {
  auto page = std::async(std::launch::async, fetch, url);
  while (page.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
    store("still fetching " + url);
  return page.get();
}

// A single task outside any loop.
int render_one_ok(int tile) {
  auto f = std::async(std::launch::async, render_tile, tile);
  return f.get();
}

// ---------------------------------------------------- not from std::async --

// A request/response hand-off to a worker thread: the answer comes through
// a promise set by that thread, one request at a time by design.
struct Request {
  std::string url;
  std::promise<std::string> reply;
};
void submit(Request &r);

std::vector<std::string> ask_worker_ok(const std::vector<std::string> &urls) {
  std::vector<std::string> pages;
  for (const std::string &url : urls) {
    Request r{url, {}};
    std::future<std::string> answer = r.reply.get_future();
    submit(r);
    pages.push_back(answer.get());
  }
  return pages;
}

// launch::deferred runs the task inside get(): sequential, and meant to be.
std::vector<int> render_lazily_ok(int tiles) {
  std::vector<int> out;
  for (int t = 0; t < tiles; ++t) {
    auto part = std::async(std::launch::deferred, render_tile, t);
    out.push_back(part.get());
  }
  return out;
}
