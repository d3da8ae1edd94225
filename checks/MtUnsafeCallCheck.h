//===--- MtUnsafeCallCheck.h ---------------------------------------*- C++
//-*-===//
#ifndef THREADLINT_CHECKS_MTUNSAFECALLCHECK_H
#define THREADLINT_CHECKS_MTUNSAFECALLCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A thread-unsafe C library function called in thread-reachable code.
class MtUnsafeCallCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
