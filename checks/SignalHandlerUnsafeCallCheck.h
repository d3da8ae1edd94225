//===--- SignalHandlerUnsafeCallCheck.h
//---------------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_SIGNALHANDLERUNSAFECALLCHECK_H
#define THREADLINT_CHECKS_SIGNALHANDLERUNSAFECALLCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// A function that is not async-signal-safe called in a signal handler.
class SignalHandlerUnsafeCallCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
