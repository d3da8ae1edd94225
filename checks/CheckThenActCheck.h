//===--- CheckThenActCheck.h ------------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_CHECKTHENACTCHECK_H
#define THREADLINT_CHECKS_CHECKTHENACTCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A test of shared state and the write that depends on it in
/// different critical sections, or outside any; filesystem TOCTOU.
class CheckThenActCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
