//===--- LockOrderCheck.h ---------------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_LOCKORDERCHECK_H
#define THREADLINT_CHECKS_LOCKORDERCHECK_H

#include "ModelOptions.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelConfig.h"
#include <memory>
#include <set>
#include <string>

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

/// Two locks acquired in opposite orders on different paths (a lock-order
/// cycle, across functions and files), or two instances of one class's lock
/// taken in argument order: threads taking both paths at once deadlock.
class LockOrderCheck : public ClangTidyCheck {
public:
  LockOrderCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void reportSwappedInstances(ASTContext &Ctx);

  ModelOptions Shared;
  const std::string FactsDir;
  const bool ReportInTranslationUnit;
  ::threadlint::model::ModelConfig ModelCfg;
  std::shared_ptr<::threadlint::model::TUModel> Model;
  std::set<unsigned> Reported;
  std::set<std::string> ReportedCycles;
};

} // namespace clang::tidy::threadlint

#endif
