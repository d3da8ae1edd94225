//===--- LockLeakCheck.h ---------------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_LOCKLEAKCHECK_H
#define THREADLINT_CHECKS_LOCKLEAKCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A manual lock left held on an early exit.
class LockLeakCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
