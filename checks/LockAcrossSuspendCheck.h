//===--- LockAcrossSuspendCheck.h ---------------------------------------*- C++
//-*-===//
#ifndef THREADLINT_CHECKS_LOCKACROSSSUSPENDCHECK_H
#define THREADLINT_CHECKS_LOCKACROSSSUSPENDCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A lock held across co_await / co_yield.
class LockAcrossSuspendCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
