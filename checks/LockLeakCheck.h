//===--- LockLeakCheck.h ---------------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_LOCKLEAKCHECK_H
#define THREADLINT_CHECKS_LOCKLEAKCHECK_H

#include "ModelCheck.h"
#include "model/HeldLocks.h"
#include <set>

namespace clang::tidy::threadlint {

/// A manual lock left held on an early exit.
class LockLeakCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;

private:
  void report(const ::threadlint::model::HeldLock &H,
              const ::threadlint::model::ReleasePoint &Unlock,
              SourceLocation At, bool Throw, bool Cxx, const SourceManager &SM);
  std::set<std::pair<SourceLocation::UIntTy, std::string>> Reported;
};

} // namespace clang::tidy::threadlint

#endif
