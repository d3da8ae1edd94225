//===--- NonAtomicUpdateCheck.h ---------------------------------*- C++ -*-===//
//-*-===//
#ifndef THREADLINT_CHECKS_NONATOMICUPDATECHECK_H
#define THREADLINT_CHECKS_NONATOMICUPDATECHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A read-modify-write (x++, x += n, x = x + n) of plain shared state
/// that another thread also touches, with no lock held: updates are lost.
class NonAtomicUpdateCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
