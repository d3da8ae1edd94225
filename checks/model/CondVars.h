//===--- CondVars.h - condition variable waits and notifications -*- C++ -*-//
//
// Design note. std::condition_variable, std::condition_variable_any,
// boost::condition_variable, pthread_cond_t and C11 cnd_t: a wait names the
// condition variable, the lock it releases while it sleeps, and its
// predicate when it has one (the overloads with a predicate re-check it in a
// loop themselves). A condition variable's identity is its declaration: a
// global, a field (for any instance), a local.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_CONDVARS_H
#define THREADLINT_MODEL_CONDVARS_H

#include <optional>
#include <string>

namespace clang {
class ASTContext;
class Expr;
class ValueDecl;
} // namespace clang

namespace threadlint::model {

struct CvWait {
  const clang::Expr *Call = nullptr;
  /// The condition variable as written (cv, this->cv_, *p).
  const clang::Expr *Cv = nullptr;
  /// Its declaration: a variable or a field; null when it cannot be told.
  const clang::ValueDecl *CvDecl = nullptr;
  /// The lock it releases: the std::unique_lock, or the mutex pointer.
  const clang::Expr *Lock = nullptr;
  /// The predicate argument, or null.
  const clang::Expr *Pred = nullptr;
  bool Timed = false;
  bool C = false; ///< pthread_cond_* / cnd_*
  /// How the call is written: "cv.wait", "cv_->wait_for",
  /// "pthread_cond_wait".
  std::string Spelling;
};

struct CvNotify {
  const clang::Expr *Call = nullptr;
  const clang::Expr *Cv = nullptr;
  const clang::ValueDecl *CvDecl = nullptr;
  std::string Spelling;
};

std::optional<CvWait> recognizeCvWait(const clang::Expr *E,
                                      const clang::ASTContext &Ctx);
std::optional<CvNotify> recognizeCvNotify(const clang::Expr *E,
                                          const clang::ASTContext &Ctx);

/// The variable or field an object expression names (cv, this->cv_, g.cv,
/// &cv, *p for a pointer variable p: p's declaration), or null.
const clang::ValueDecl *namedObject(const clang::Expr *E);

} // namespace threadlint::model

#endif
