//===--- Walk.h - visiting one function's statements ------------*- C++ -*-===//
//
// The statement walks every part of the model and the checks share: a
// lambda's body is a function of its own (analysed on its own), so walks of
// a function body stop at it, and only its capture initialisers, which run
// in the enclosing function, are visited.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_WALK_H
#define THREADLINT_MODEL_WALK_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
class ASTContext;
class CallExpr;
class Stmt;
} // namespace clang

namespace threadlint::model {

/// Visits \p S and its sub-statements, lambda bodies excluded.
void forEachStmt(const clang::Stmt *S,
                 llvm::function_ref<void(const clang::Stmt *)> Fn);

/// The statement \p S is part of (for a variable's initialiser: the
/// declaration statement), or null at the top of a body.
const clang::Stmt *parentStmt(const clang::Stmt *S, clang::ASTContext &Ctx);

/// The name of the function \p C calls directly, or "".
llvm::StringRef calleeName(const clang::CallExpr *C);

} // namespace threadlint::model

#endif
