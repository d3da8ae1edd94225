#include "bank.h"

Audit g_audit;

void Audit::record(const std::string &what) {
  std::lock_guard<std::mutex> guard(mu_);
  ++entries_;
}

void Audit::reconcile(Ledger &ledger) {
  std::lock_guard<std::mutex> guard(mu_);
  (void)ledger.balance("cash"); // Ledger::mu_ taken while Audit::mu_ is held // expect: threadlint-lock-order "'Ledger::mu_' acquired while holding 'Audit::mu_'; elsewhere 'Audit::mu_' is acquired while holding 'Ledger::mu_'"
}

// Both locks at once: deadlock-free whatever the order elsewhere.
void Audit::rotate() {
  std::scoped_lock both(mu_, file_mu_);
  entries_ = 0;
}

