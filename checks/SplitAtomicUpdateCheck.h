//===--- SplitAtomicUpdateCheck.h -------------------------------*- C++ -*-===//
//-*-===//
#ifndef THREADLINT_CHECKS_SPLITATOMICUPDATECHECK_H
#define THREADLINT_CHECKS_SPLITATOMICUPDATECHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// An update of an atomic made of two atomic steps (a load, then a
/// store), or a check of an atomic followed by a separate store.
class SplitAtomicUpdateCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
