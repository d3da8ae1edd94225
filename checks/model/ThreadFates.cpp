//===--- ThreadFates.cpp - what happens to member threads and thread ids -===//
//
// The translation-unit-wide half of "what happens to a thread object" (the
// per-function half is analyzeThreadOwners): member threads that a class
// starts but its destructor never reaches, and pthread/C11 thread ids that
// are never joined, detached or handed to anyone.
//
//===----------------------------------------------------------------------===//

#include "HeldLocks.h"
#include "Locks.h"
#include "TUModel.h"
#include "Threads.h"
#include "Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include <map>

using namespace clang;

namespace threadlint::model {

namespace {

/// Whether \p S names \p VD (as a variable or a field, through any object).
bool mentions(const Stmt *S, const ValueDecl *VD) {
  bool Found = false;
  forEachStmt(S, [&](const Stmt *X) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(X))
      Found |= DRE->getDecl() == VD;
    else if (const auto *ME = dyn_cast<MemberExpr>(X))
      Found |= ME->getMemberDecl() == VD;
  });
  return Found;
}

const Expr *skipTemporaries(const Expr *E) {
  while (true) {
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else
      return E;
  }
}

} // namespace

std::vector<MemberThreadLeak> memberThreadLeaks(TUModel &Model) {
  ASTContext &Ctx = Model.context();
  const SourceManager &SM = Ctx.getSourceManager();
  struct FieldUse {
    SourceLocation Started;
    const FunctionDecl *StartedIn = nullptr;
    const FunctionDecl *JoinedIn = nullptr;
    bool Detached = false;
  };
  std::map<const FieldDecl *, FieldUse> Fields;
  auto ThreadField = [](const Expr *E) -> const FieldDecl * {
    E = E->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
          if (isTerminatingThreadType(F->getType()) ||
              isThreadContainerType(F->getType()))
            return F;
    return nullptr;
  };
  for (const FunctionDecl *FD : Model.functions()) {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD || MD->getParent()->isLambda())
      continue;
    auto NoteStart = [&](const FieldDecl *F, SourceLocation L) {
      FieldUse &U = Fields[F];
      if (U.Started.isInvalid()) {
        U.Started = L;
        U.StartedIn = FD;
      }
    };
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(MD))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (const FieldDecl *F = Init->getMember())
          if (isTerminatingThreadType(F->getType()) && Init->isWritten())
            if (recognizeThreadStart(
                    skipTemporaries(Init->getInit()->IgnoreImplicit())) ||
                recognizeThreadStart(Init->getInit()->IgnoreImplicit()))
              NoteStart(F, Init->getSourceLocation());
    forEachStmt(FD->getBody(), [&](const Stmt *S) {
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
        if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
          if (const FieldDecl *F = ThreadField(Op->getArg(0)))
            if (recognizeThreadStart(
                    skipTemporaries(Op->getArg(1)->IgnoreImplicit())))
              NoteStart(F, Op->getArg(1)->getBeginLoc());
        return;
      }
      const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      if (!MC || !MC->getMethodDecl() ||
          !MC->getMethodDecl()->getDeclName().isIdentifier())
        return;
      llvm::StringRef N = MC->getMethodDecl()->getName();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (N == "emplace_back" || N == "push_back" || N == "emplace")
        if (const FieldDecl *F = ThreadField(Obj))
          if (isThreadContainerType(F->getType()))
            NoteStart(F, MC->getBeginLoc());
      // A member thread the class detaches is not the destructor's to join.
      if (N == "detach")
        if (const FieldDecl *F = ThreadField(Obj))
          Fields[F].Detached = true;
    });
  }
  // Default member initialisers: std::thread t_{[this] { run(); }};
  std::vector<const DeclContext *> Contexts{Ctx.getTranslationUnitDecl()};
  while (!Contexts.empty()) {
    const DeclContext *DC = Contexts.back();
    Contexts.pop_back();
    for (const Decl *D : DC->decls()) {
      if (D->getLocation().isValid() &&
          SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
        continue;
      if (const auto *NS = dyn_cast<NamespaceDecl>(D)) {
        Contexts.push_back(NS);
        continue;
      }
      const auto *RD = dyn_cast<CXXRecordDecl>(D);
      if (!RD || !RD->isThisDeclarationADefinition() || RD->isDependentType())
        continue;
      Contexts.push_back(RD);
      for (const FieldDecl *F : RD->fields())
        if (F->hasInClassInitializer() && isTerminatingThreadType(F->getType()))
          if (const Expr *DI = F->getInClassInitializer())
            if (recognizeThreadStart(skipTemporaries(DI->IgnoreImplicit())) ||
                recognizeThreadStart(DI->IgnoreImplicit())) {
              FieldUse &U = Fields[F];
              if (U.Started.isInvalid())
                U.Started = DI->getBeginLoc();
            }
    }
  }
  if (Fields.empty())
    return {};

  // What a destructor reaches: its body and the functions of this TU it
  // calls, transitively.
  auto Reaches = [&](const FunctionDecl *Dtor, const FieldDecl *F,
                     const FunctionDecl *&Via) {
    std::vector<const FunctionDecl *> Work{Dtor};
    llvm::DenseSet<const FunctionDecl *> Seen{Dtor};
    while (!Work.empty()) {
      const FunctionDecl *Fn = Work.back();
      Work.pop_back();
      if (mentions(Fn->getBody(), F)) {
        Via = Fn;
        return true;
      }
      forEachStmt(Fn->getBody(), [&](const Stmt *S) {
        if (!isa<CallExpr, CXXConstructExpr>(S))
          return;
        const FunctionDecl *C = calleeOf(cast<Expr>(S));
        if (C && C->hasBody() && Seen.insert(C).second && Seen.size() < 64)
          Work.push_back(C->getDefinition());
      });
    }
    return false;
  };

  std::vector<MemberThreadLeak> Out;
  for (auto &[F, U] : Fields) {
    const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
    if (!RD || U.Started.isInvalid() || U.Detached)
      continue;
    const CXXDestructorDecl *Dtor = RD->getDestructor();
    bool UserDtor = Dtor && Dtor->isUserProvided();
    if (UserDtor) {
      const FunctionDecl *Def = Dtor->getDefinition();
      if (!Def || !Def->hasBody())
        continue; // defined in another translation unit
      const FunctionDecl *Via = nullptr;
      if (Reaches(Def, F, Via))
        continue;
    }
    // Who joins it, if not the destructor.
    const FunctionDecl *Joiner = nullptr;
    for (const FunctionDecl *FD : Model.functions())
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
        if (MD->getParent() == RD && FD != U.StartedIn &&
            !isa<CXXConstructorDecl>(FD) && mentions(FD->getBody(), F)) {
          Joiner = FD;
          break;
        }
    Out.push_back(
        {F, U.Started, UserDtor ? Dtor->getDefinition() : nullptr, Joiner});
  }
  return Out;
}

std::vector<UnjoinedId> unjoinedThreadIds(TUModel &Model) {
  ASTContext &Ctx = Model.context();
  std::vector<UnjoinedId> Out;
  for (const auto &[FD, S] : Model.threadStarts()) {
    if (S.Api != ThreadApi::Pthread && S.Api != ThreadApi::C11)
      continue;
    // Created detached through its attributes.
    if (createdDetached(S, FD, Ctx))
      continue;
    // The id variable: &tid, &tids[i], tids + i.
    const Expr *Id = S.IdArg->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Id);
        UO && UO->getOpcode() == UO_AddrOf)
      Id = UO->getSubExpr()->IgnoreParenCasts();
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Id))
      Id = AS->getBase()->IgnoreParenCasts();
    if (const auto *BO = dyn_cast<BinaryOperator>(Id))
      Id = BO->getLHS()->IgnoreParenCasts();
    const auto *DRE = dyn_cast<DeclRefExpr>(Id);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !VD->hasLocalStorage())
      continue;
    // Any other use of the id: joined, detached, or handed to someone.
    bool Used = false;
    forEachStmt(FD->getBody(), [&](const Stmt *St) {
      if (Used || St == S.Site)
        return;
      // The statement that creates the thread mentions the id: only a
      // stored result (rc = pthread_create(&tid, ...)) is looked at.
      if (contains(St, S.Site) && !isa<BinaryOperator, DeclStmt>(St))
        return;
      if (const auto *Call = dyn_cast<CallExpr>(St)) {
        if (Call == S.Site)
          return;
        for (const Expr *A : Call->arguments())
          Used |= mentions(A, VD);
        return;
      }
      // rc = pthread_create(&tid, ...) stores the result, not the id.
      if (const auto *BO = dyn_cast<BinaryOperator>(St);
          BO && BO->isAssignmentOp() && mentions(BO->getRHS(), VD) &&
          !contains(BO->getRHS(), S.Site))
        Used = true;
      else if (const auto *R = dyn_cast<ReturnStmt>(St);
               R && R->getRetValue() && mentions(R->getRetValue(), VD))
        Used = true;
      else if (const auto *DS = dyn_cast<DeclStmt>(St))
        for (const Decl *D : DS->decls())
          if (const auto *V = dyn_cast<VarDecl>(D))
            if (V != VD && V->getInit() && mentions(V->getInit(), VD) &&
                !contains(V->getInit(), S.Site))
              Used = true;
    });
    // Captured by a lambda, or the thread detaches itself.
    forEachStmt(FD->getBody(), [&](const Stmt *St) {
      if (const auto *LE = dyn_cast<LambdaExpr>(St))
        for (const LambdaCapture &C : LE->captures())
          if (C.capturesVariable() && C.getCapturedVar() == VD)
            Used = true;
    });
    if (Used)
      continue;
    if (selfDetach(S).isValid())
      continue;
    Out.push_back({&S, FD, VD});
  }
  return Out;
}

} // namespace threadlint::model
