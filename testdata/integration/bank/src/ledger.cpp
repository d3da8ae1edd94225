#include "bank.h"
#include <chrono>
#include <thread>

void Ledger::post(const std::string &account, long cents) {
  std::lock_guard<std::mutex> guard(mu_);
  balances_[account] += cents;
  g_audit.record("post " + account); // Audit::mu_ taken while Ledger::mu_ is held
}

long Ledger::balance(const std::string &account) {
  std::lock_guard<std::mutex> guard(mu_);
  return balances_[account];
}

// A finding within this file: the plugin reports it in the build log.
void Ledger::flush() {
  std::lock_guard<std::mutex> guard(mu_);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}
