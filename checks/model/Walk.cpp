//===--- Walk.cpp - visiting one function's statements --------------------===//

#include "Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"

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

const Stmt *parentStmt(const Stmt *S, ASTContext &Ctx) {
  DynTypedNodeList P = Ctx.getParents(*S);
  if (P.empty())
    return nullptr;
  if (const auto *Parent = P[0].get<Stmt>())
    return Parent;
  // A variable's initialiser: its declaration statement is next.
  if (const auto *VD = P[0].get<VarDecl>()) {
    DynTypedNodeList Q = Ctx.getParents(*VD);
    if (!Q.empty())
      return Q[0].get<Stmt>();
  }
  return nullptr;
}

} // namespace threadlint::model
