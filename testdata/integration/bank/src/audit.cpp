#include "bank.h"

Audit g_audit;

void Audit::record(const std::string &what) {
  std::lock_guard<std::mutex> guard(mu_);
  entries_ += static_cast<long>(what.size() > 0);
}

void Audit::reconcile(Ledger &ledger) {
  std::lock_guard<std::mutex> guard(mu_);
  (void)ledger.balance("cash"); // Ledger::mu_ taken while Audit::mu_ is held
}
