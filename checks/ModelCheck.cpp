//===--- ModelCheck.cpp ---------------------------------------------------===//

#include "ModelCheck.h"
#include "model/TUModel.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

ModelCheck::ModelCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Shared(Options) {
  ModelCfg = Shared.config();
}

void ModelCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Shared.store(Options, Opts);
}

void ModelCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void ModelCheck::check(const MatchFinder::MatchResult &Result) {
  Model = tlm::TUModel::get(*Result.Context, ModelCfg);
  ReportedAt.clear();
  checkModel(*Model, *Result.Context);
}

} // namespace clang::tidy::threadlint
