//===--- VolatileSynchronizationCheck.h -------------------------*- C++ -*-===//
//-*-===//
#ifndef THREADLINT_CHECKS_VOLATILESYNCHRONIZATIONCHECK_H
#define THREADLINT_CHECKS_VOLATILESYNCHRONIZATIONCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// volatile variables used to communicate between threads.
class VolatileSynchronizationCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
