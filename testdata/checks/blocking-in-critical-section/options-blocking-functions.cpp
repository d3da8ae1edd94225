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
