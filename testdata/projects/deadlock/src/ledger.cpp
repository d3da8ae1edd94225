#include "bank.h"

void Ledger::post(const std::string &account, long cents) {
  std::lock_guard<std::mutex> guard(mu_);
  balances_[account] += cents;
  g_audit.record("post " + account); // Audit::mu_ taken while Ledger::mu_ is held
}

long Ledger::balance(const std::string &account) {
  std::lock_guard<std::mutex> guard(mu_);
  return balances_[account];
}
