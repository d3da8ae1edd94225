//===--- CvWaitWithoutPredicateCheck.h ---------------------------------------*-
// C++ -*-===//
#ifndef THREADLINT_CHECKS_CVWAITWITHOUTPREDICATECHECK_H
#define THREADLINT_CHECKS_CVWAITWITHOUTPREDICATECHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A condition-variable wait that no loop re-checks.
class CvWaitWithoutPredicateCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
