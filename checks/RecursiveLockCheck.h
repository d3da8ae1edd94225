//===--- RecursiveLockCheck.h -----------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_RECURSIVELOCKCHECK_H
#define THREADLINT_CHECKS_RECURSIVELOCKCHECK_H

#include "ModelCheck.h"

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

/// A non-recursive mutex acquired while it is already held on the same
/// path, directly or through a callee: the thread deadlocks on itself.
class RecursiveLockCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
