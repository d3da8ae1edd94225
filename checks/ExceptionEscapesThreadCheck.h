//===--- ExceptionEscapesThreadCheck.h ---------------------------------------*-
// C++ -*-===//
#ifndef THREADLINT_CHECKS_EXCEPTIONESCAPESTHREADCHECK_H
#define THREADLINT_CHECKS_EXCEPTIONESCAPESTHREADCHECK_H

#include "ModelCheck.h"

namespace clang::tidy::threadlint {

/// An exception that can leave a thread entry (std::terminate).
class ExceptionEscapesThreadCheck : public ModelCheck {
public:
  using ModelCheck::ModelCheck;

protected:
  void checkModel(::threadlint::model::TUModel &Model,
                  ASTContext &Ctx) override;
};

} // namespace clang::tidy::threadlint

#endif
