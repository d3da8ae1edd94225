//===--- RecursiveLockCheck.h -----------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_RECURSIVELOCKCHECK_H
#define THREADLINT_CHECKS_RECURSIVELOCKCHECK_H

#include "ModelOptions.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelConfig.h"
#include <memory>
#include <set>

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

/// A non-recursive mutex acquired while it is already held on the same
/// path, directly or through a callee: the thread deadlocks on itself.
class RecursiveLockCheck : public ClangTidyCheck {
public:
  RecursiveLockCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  ModelOptions Shared;
  ::threadlint::model::ModelConfig ModelCfg;
  std::shared_ptr<::threadlint::model::TUModel> Model;
  std::set<unsigned> Reported;
};

} // namespace clang::tidy::threadlint

#endif
