// CONFIG: {CheckOptions: {threadlint-blocking-in-critical-section.BlockingFunctions: "db::Connection::query;rpc::call;storage::flush_all"}}
// Extra blocking functions from the BlockingFunctions option: free functions
// and members (named by their class), only declared here (no body), and
// reached directly or through local helpers.
#include <mutex>
#include <string>
#include <vector>

namespace db {
class Connection {
public:
  std::vector<std::string> query(const std::string &sql);
  bool is_open() const;
};
} // namespace db

namespace rpc {
int call(const std::string &method, const std::string &payload);
int call_async(const std::string &method, const std::string &payload);
} // namespace rpc

namespace storage {
void flush_all();
} // namespace storage

// Not listed (different namespace): not reported.
namespace local {
int call(const std::string &method, const std::string &payload);
} // namespace local

class UserCache {
public:
  std::vector<std::string> load_bad(const std::string &user) {
    std::lock_guard<std::mutex> lock(mu_);
    return conn_.query("SELECT * FROM users WHERE name='" + user + "'"); // expect: threadlint-blocking-in-critical-section "'db::Connection::query' is listed as blocking while holding 'UserCache::mu_'"
  }

  std::vector<std::string> load_ok(const std::string &user) {
    auto rows = conn_.query("SELECT * FROM users WHERE name='" + user + "'");
    std::lock_guard<std::mutex> lock(mu_);
    cached_ = rows;
    return rows;
  }

  bool healthy_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return conn_.is_open();
  }

  int notify_bad(const std::string &event) {
    std::lock_guard<std::mutex> lock(mu_);
    cached_.push_back(event);
    return rpc::call("notify", event); // expect: threadlint-blocking-in-critical-section "'rpc::call' is listed as blocking while holding 'UserCache::mu_'"
  }

  int notify_async_ok(const std::string &event) {
    std::lock_guard<std::mutex> lock(mu_);
    return rpc::call_async("notify", event);
  }

  int notify_local_ok(const std::string &event) {
    std::lock_guard<std::mutex> lock(mu_);
    return local::call("notify", event);
  }

  int notify_unlocked_ok(const std::string &event) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cached_.push_back(event);
    }
    return rpc::call("notify", event);
  }

  // Through a local helper.
  void checkpoint_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    persist(); // expect: threadlint-blocking-in-critical-section "call to 'UserCache::persist' may block while holding 'UserCache::mu_': 'storage::flush_all' is listed as blocking"
  }

  void checkpoint_ok() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cached_.clear();
    }
    persist();
  }

private:
  void persist() { storage::flush_all(); } // expect-note: "'storage::flush_all' is listed as blocking here"

  std::mutex mu_;
  db::Connection conn_;
  std::vector<std::string> cached_;
};

// A different class with a query() member is not db::Connection.
namespace search {
class Index {
public:
  std::vector<std::string> query(const std::string &q) { return {q}; }
};
} // namespace search

class SearchCache {
public:
  std::vector<std::string> find_ok(const std::string &q) {
    std::lock_guard<std::mutex> lock(mu_);
    return index_.query(q);
  }

  // The listed function called through a pointer to the connection.
  std::vector<std::string> find_remote_bad(db::Connection *c, const std::string &q) {
    std::lock_guard<std::mutex> lock(mu_);
    return c->query(q); // expect: threadlint-blocking-in-critical-section "'db::Connection::query' is listed as blocking while holding 'SearchCache::mu_'"
  }

  // Result of a listed call computed before the lock.
  std::vector<std::string> find_remote_ok(db::Connection &c, const std::string &q) {
    auto rows = c.query(q);
    std::lock_guard<std::mutex> lock(mu_);
    last_ = rows;
    return rows;
  }

  // A local function that could call the listed one but does not.
  int cached_count_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return count_rows();
  }

private:
  int count_rows() const { return static_cast<int>(last_.size()); }

  std::mutex mu_;
  search::Index index_;
  std::vector<std::string> last_;
};
