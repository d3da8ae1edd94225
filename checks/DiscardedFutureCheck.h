//===--- DiscardedFutureCheck.h ---------------------------------------*- C++
//-*-===//
#ifndef THREADLINT_CHECKS_DISCARDEDFUTURECHECK_H
#define THREADLINT_CHECKS_DISCARDEDFUTURECHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A std::async future or a lazy coroutine task discarded, or a future consumed
/// in the loop iteration that made it.
class DiscardedFutureCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
