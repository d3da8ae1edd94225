//===--- Coroutines.cpp ---------------------------------------------------===//

#include "Coroutines.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace threadlint::model {

const Stmt *coroutineBody(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(FD->getBody()))
    return CB->getBody();
  return nullptr;
}

void forEachUserStmt(const Stmt *S, llvm::function_ref<void(const Stmt *)> Fn) {
  if (!S)
    return;
  Fn(S);
  if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *Init : LE->capture_inits())
      forEachUserStmt(Init, Fn);
    return;
  }
  if (const auto *CS = dyn_cast<CoroutineSuspendExpr>(S)) {
    forEachUserStmt(CS->getOperand(), Fn);
    return;
  }
  if (const auto *DS = dyn_cast<DependentCoawaitExpr>(S)) {
    forEachUserStmt(DS->getOperand(), Fn);
    return;
  }
  for (const Stmt *C : S->children())
    forEachUserStmt(C, Fn);
}

namespace {

/// A member named \p Name of \p RD or of one of its bases.
const NamedDecl *member(const CXXRecordDecl *RD, StringRef Name,
                        int Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 8)
    return nullptr;
  RD = RD->getDefinition();
  IdentifierInfo &II = RD->getASTContext().Idents.get(Name);
  auto R = RD->lookup(&II);
  if (!R.empty())
    return R.front();
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const NamedDecl *D =
            member(B.getType()->getAsCXXRecordDecl(), Name, Depth + 1))
      return D;
  return nullptr;
}

/// Whether an awaiter of type \p T suspends at once: std::suspend_always,
/// or await_ready() returning false.
bool suspends(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  if (RD->getName() == "suspend_always")
    return true;
  const auto *Ready =
      dyn_cast_or_null<CXXMethodDecl>(member(RD, "await_ready"));
  if (!Ready || !Ready->hasBody())
    return false;
  const auto *Body = dyn_cast<CompoundStmt>(Ready->getBody());
  if (!Body || Body->size() != 1)
    return false;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  if (!Ret || !Ret->getRetValue())
    return false;
  const auto *B =
      dyn_cast<CXXBoolLiteralExpr>(Ret->getRetValue()->IgnoreParenImpCasts());
  return B && !B->getValue();
}

} // namespace

bool isGenerator(const FunctionDecl *FD) {
  bool Yields = false, Awaits = false;
  forEachUserStmt(coroutineBody(FD), [&](const Stmt *S) {
    Yields |= isa<CoyieldExpr>(S);
    Awaits |= isa<CoawaitExpr, DependentCoawaitExpr>(S);
  });
  return Yields && !Awaits;
}

bool isLazyTaskType(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  const NamedDecl *P = member(RD, "promise_type");
  const CXXRecordDecl *Promise = nullptr;
  if (const auto *TD = dyn_cast_or_null<TypedefNameDecl>(P))
    Promise = TD->getUnderlyingType()->getAsCXXRecordDecl();
  else
    Promise = dyn_cast_or_null<CXXRecordDecl>(P);
  const auto *Init =
      dyn_cast_or_null<CXXMethodDecl>(member(Promise, "initial_suspend"));
  return Init && suspends(Init->getReturnType());
}

} // namespace threadlint::model
