//===--- BlockingInCoroutineCheck.h ---------------------------------------*-
// C++ -*-===//
#ifndef THREADLINT_CHECKS_BLOCKINGINCOROUTINECHECK_H
#define THREADLINT_CHECKS_BLOCKINGINCOROUTINECHECK_H

#include "ModelCheck.h"
#include "model/Blocking.h"

namespace clang::tidy::threadlint {

/// A blocking call inside a C++20 coroutine.
class BlockingInCoroutineCheck : public ModelCheck {
public:
  BlockingInCoroutineCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;

private:
  const std::string RawBlockingFunctions;
  const std::string RawExcludedFunctions;
  ::threadlint::model::BlockingConfig BlockingCfg;
};

} // namespace clang::tidy::threadlint

#endif
