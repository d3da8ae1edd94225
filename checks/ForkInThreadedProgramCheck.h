//===--- ForkInThreadedProgramCheck.h ---------------------------------------*-
// C++ -*-===//
#ifndef THREADLINT_CHECKS_FORKINTHREADEDPROGRAMCHECK_H
#define THREADLINT_CHECKS_FORKINTHREADEDPROGRAMCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// fork() while other threads may run, with a child that calls unsafe functions
/// before exec.
class ForkInThreadedProgramCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
