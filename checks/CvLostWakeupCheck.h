//===--- CvLostWakeupCheck.h ---------------------------------------*- C++
//-*-===//
#ifndef THREADLINT_CHECKS_CVLOSTWAKEUPCHECK_H
#define THREADLINT_CHECKS_CVLOSTWAKEUPCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A waiter's predicate state changed without its mutex before a notify.
class CvLostWakeupCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
