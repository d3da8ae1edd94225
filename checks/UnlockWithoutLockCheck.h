//===--- UnlockWithoutLockCheck.h ---------------------------------------*- C++
//-*-===//
#ifndef THREADLINT_CHECKS_UNLOCKWITHOUTLOCKCHECK_H
#define THREADLINT_CHECKS_UNLOCKWITHOUTLOCKCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// An unlock of a lock that is not held.
class UnlockWithoutLockCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
