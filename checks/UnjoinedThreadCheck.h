//===--- UnjoinedThreadCheck.h ----------------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_UNJOINEDTHREADCHECK_H
#define THREADLINT_CHECKS_UNJOINEDTHREADCHECK_H

#include "ModelCheck.h"
#include <memory>

namespace threadlint::model {
class TUModel;
}

namespace clang::tidy::threadlint {

/// A thread that can be destroyed while joinable (std::terminate), and
/// pthread/C11 threads that are never joined or detached.
class UnjoinedThreadCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;

private:
  void checkLocals(::threadlint::model::TUModel &Model, ASTContext &Ctx);
  void checkTemporaries(::threadlint::model::TUModel &Model, ASTContext &Ctx);
  void checkMembers(::threadlint::model::TUModel &Model, ASTContext &Ctx);
  void checkThreadIds(::threadlint::model::TUModel &Model, ASTContext &Ctx);
};

} // namespace clang::tidy::threadlint

#endif
