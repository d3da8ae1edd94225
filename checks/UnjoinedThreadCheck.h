//===--- UnjoinedThreadCheck.h ----------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_UNJOINEDTHREADCHECK_H
#define THREADLINT_CHECKS_UNJOINEDTHREADCHECK_H

#include "ModelOptions.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelConfig.h"
#include <memory>

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

/// A thread that can be destroyed while joinable (std::terminate), and
/// pthread/C11 threads that are never joined or detached.
class UnjoinedThreadCheck : public ClangTidyCheck {
public:
  UnjoinedThreadCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void checkLocals(ASTContext &Ctx);
  void checkTemporaries(ASTContext &Ctx);
  void checkMembers(ASTContext &Ctx);
  void checkThreadIds(ASTContext &Ctx);

  ModelOptions Shared;
  ::threadlint::model::ModelConfig ModelCfg;
  std::shared_ptr<::threadlint::model::TUModel> Model;
};

} // namespace clang::tidy::threadlint

#endif
