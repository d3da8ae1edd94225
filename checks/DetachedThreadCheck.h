//===--- DetachedThreadCheck.h ----------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_DETACHEDTHREADCHECK_H
#define THREADLINT_CHECKS_DETACHEDTHREADCHECK_H

#include "ModelCheck.h"
#include <memory>

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

/// A detached thread that keeps using the locals (or the object) of the
/// scope that started it: they die while it runs.
class DetachedThreadCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
