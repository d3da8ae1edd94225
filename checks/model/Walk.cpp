//===--- Walk.cpp - visiting one function's statements --------------------===//

#include "Walk.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace threadlint::model {

void forEachStmt(const Stmt *S, llvm::function_ref<void(const Stmt *)> Fn) {
  if (!S)
    return;
  Fn(S);
  if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *Init : LE->capture_inits())
      forEachStmt(Init, Fn);
    return;
  }
  for (const Stmt *C : S->children())
    forEachStmt(C, Fn);
}

llvm::StringRef calleeName(const CallExpr *C) {
  const FunctionDecl *FD = C->getDirectCallee();
  return FD && FD->getDeclName().isIdentifier() ? FD->getName() : "";
}

} // namespace threadlint::model
