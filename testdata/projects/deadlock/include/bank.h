#pragma once
#include <map>
#include <mutex>
#include <string>

// The ledger and the audit trail live in different files; each takes its own
// lock and calls into the other.
class Ledger {
public:
  void post(const std::string &account, long cents);
  long balance(const std::string &account);

private:
  std::mutex mu_;
  std::map<std::string, long> balances_;
};

class Audit {
public:
  void record(const std::string &what);
  void reconcile(Ledger &ledger);
  void rotate();

private:
  std::mutex mu_;
  std::mutex file_mu_;
  long entries_ = 0;
};

extern Audit g_audit;

// Taken in one order everywhere: no cycle (seen by every translation unit
// that includes this header, reported nowhere).
inline std::mutex g_config_mu;
inline std::mutex g_metrics_mu;
inline void snapshot_metrics() {
  std::lock_guard<std::mutex> c(g_config_mu);
  std::lock_guard<std::mutex> m(g_metrics_mu);
}
