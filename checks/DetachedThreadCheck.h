//===--- DetachedThreadCheck.h ----------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_DETACHEDTHREADCHECK_H
#define THREADLINT_CHECKS_DETACHEDTHREADCHECK_H

#include "ModelOptions.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelConfig.h"
#include <memory>

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

/// A detached thread that keeps using the locals (or the object) of the
/// scope that started it: they die while it runs.
class DetachedThreadCheck : public ClangTidyCheck {
public:
  DetachedThreadCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  ModelOptions Shared;
  ::threadlint::model::ModelConfig ModelCfg;
  std::shared_ptr<::threadlint::model::TUModel> Model;
};

} // namespace clang::tidy::threadlint

#endif
