//===--- BlockingInCriticalSectionCheck.h -----------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_BLOCKINGINCRITICALSECTIONCHECK_H
#define THREADLINT_CHECKS_BLOCKINGINCRITICALSECTIONCHECK_H

#include "ModelOptions.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelConfig.h"
#include <memory>
#include <set>

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

/// A blocking call (sleep, I/O, join, future wait, a wait on another lock)
/// made while a lock is held, directly or through a callee.
class BlockingInCriticalSectionCheck : public ClangTidyCheck {
public:
  BlockingInCriticalSectionCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  const std::string RawBlockingFunctions;
  const std::string RawExcludedFunctions;
  ModelOptions Shared;
  ::threadlint::model::ModelConfig ModelCfg;
  ::threadlint::model::BlockingConfig BlockingCfg;
  std::shared_ptr<::threadlint::model::TUModel> Model;
  std::set<unsigned> Reported;
};

} // namespace clang::tidy::threadlint

#endif
