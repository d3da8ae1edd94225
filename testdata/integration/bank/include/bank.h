#pragma once
#include <map>
#include <mutex>
#include <string>

// The ledger and the audit trail live in different files; each takes its own
// lock and calls into the other while holding it.
class Ledger {
public:
  void post(const std::string &account, long cents);
  long balance(const std::string &account);
  void flush();

private:
  std::mutex mu_;
  std::map<std::string, long> balances_;
};

class Audit {
public:
  void record(const std::string &what);
  void reconcile(Ledger &ledger);

private:
  std::mutex mu_;
  long entries_ = 0;
};

extern Audit g_audit;
