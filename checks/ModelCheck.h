//===--- ModelCheck.h - a check that reads the whole-TU model ---*- C++ -*-===//
//
// The data-race rules all work the same way: once per translation unit, ask
// the shared model (model/TUModel.h) and report. This base does the
// clang-tidy plumbing (the LockTypes option every rule shares, the one
// matcher, fetching the model) so that a rule is only its judgement.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODELCHECK_H
#define THREADLINT_CHECKS_MODELCHECK_H

#include "ModelOptions.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelConfig.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

class ModelCheck : public ClangTidyCheck {
public:
  ModelCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) final;

protected:
  /// Reports on one translation unit.
  virtual void checkModel(::threadlint::model::TUModel &Model,
                          ASTContext &Ctx) = 0;

  /// False when something was already reported at \p Loc in this
  /// translation unit: each instantiation of a template is analysed, and
  /// the code is reported once.
  bool firstAt(SourceLocation Loc) {
    return ReportedAt.insert(Loc.getRawEncoding()).second;
  }

private:
  ModelOptions Shared;
  ::threadlint::model::ModelConfig ModelCfg;
  std::shared_ptr<::threadlint::model::TUModel> Model;
  llvm::DenseSet<SourceLocation::UIntTy> ReportedAt;
};

} // namespace clang::tidy::threadlint

#endif
