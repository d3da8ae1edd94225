//===--- DoubleCheckedLockingCheck.h ----------------------------*- C++ -*-===//
//-*-===//
#ifndef THREADLINT_CHECKS_DOUBLECHECKEDLOCKINGCHECK_H
#define THREADLINT_CHECKS_DOUBLECHECKEDLOCKINGCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// Double-checked locking on a plain (non-atomic) pointer or flag.
class DoubleCheckedLockingCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
