//===--- WriteUnderSharedLockCheck.h ----------------------------*- C++ -*-===//
//-*-===//
#ifndef THREADLINT_CHECKS_WRITEUNDERSHAREDLOCKCHECK_H
#define THREADLINT_CHECKS_WRITEUNDERSHAREDLOCKCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A write to state while its reader/writer lock is held only in
/// shared (reader) mode.
class WriteUnderSharedLockCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
