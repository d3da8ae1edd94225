//===--- BusyWaitCheck.h ----------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_BUSYWAITCHECK_H
#define THREADLINT_CHECKS_BUSYWAITCHECK_H

#include "ModelOptions.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelConfig.h"
#include <memory>

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

/// A loop that spins until another thread changes some state, doing
/// nothing in between: no blocking, sleeping or waiting.
class BusyWaitCheck : public ClangTidyCheck {
public:
  BusyWaitCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  ModelOptions Shared;
  /// How loops that yield or pause between polls are reported: "remark"
  /// (the default: SARIF level note), "warning", or "none".
  const std::string YieldingLoops;
  ::threadlint::model::ModelConfig ModelCfg;
  std::shared_ptr<::threadlint::model::TUModel> Model;
};

} // namespace clang::tidy::threadlint

#endif
