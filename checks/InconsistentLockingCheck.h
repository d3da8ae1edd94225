//===--- InconsistentLockingCheck.h -----------------------------*- C++ -*-===//
//-*-===//
#ifndef THREADLINT_CHECKS_INCONSISTENTLOCKINGCHECK_H
#define THREADLINT_CHECKS_INCONSISTENTLOCKINGCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// State that is guarded by a lock almost everywhere, accessed
/// without it somewhere a thread can reach.
class InconsistentLockingCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
