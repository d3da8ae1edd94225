//===--- DetachedThreadCheck.cpp ------------------------------------------===//
//
// A detached thread runs on after the scope that started it ends. If its
// callable reaches that scope's locals (by-reference captures, &local,
// std::ref(local)) or the object ('this'), it uses them after they die.
// Which thread is detached comes from the model's thread starts: a
// temporary's .detach(), a named thread's .detach() in the same function,
// pthread_detach/thrd_detach of its id, or PTHREAD_CREATE_DETACHED.
//
//===----------------------------------------------------------------------===//

#include "DetachedThreadCheck.h"
#include "model/HeldLocks.h"
#include "model/Locks.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "model/Threads.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
namespace tlm = ::threadlint::model;
using tlm::calleeName;
using tlm::forEachStmt;

namespace clang::tidy::threadlint {

namespace {

/// The variable or field an expression names (t, this->t_).
const ValueDecl *namedObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return ME->getMemberDecl();
  return nullptr;
}

bool mentions(const Stmt *S, const ValueDecl *VD) {
  bool Found = false;
  forEachStmt(S, [&](const Stmt *X) {
    if (const auto *E = dyn_cast<Expr>(X))
      if (namedObject(E) == VD)
        Found = true;
  });
  return Found;
}

/// Where the thread object started at \p Site lives: the variable it
/// initialises or is assigned to. Null for a temporary.
const ValueDecl *ownerOf(const Expr *Site, ASTContext &Ctx,
                         const Expr *&Temporary) {
  const Expr *E = Site;
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(*E);
    if (Parents.size() != 1)
      return nullptr;
    if (const auto *VD = Parents[0].get<VarDecl>())
      return VD;
    const auto *PE = Parents[0].get<Expr>();
    if (!PE)
      return nullptr;
    if (isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr,
            CXXFunctionalCastExpr, ImplicitCastExpr, ParenExpr,
            ExprWithCleanups>(PE) ||
        (isa<CXXConstructExpr>(PE) &&
         cast<CXXConstructExpr>(PE)->getNumArgs() == 1)) {
      E = PE;
      continue;
    }
    if (isa<MemberExpr>(PE)) {
      Temporary = PE;
      return nullptr;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PE);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
      return namedObject(Op->getArg(0));
    return nullptr;
  }
}

} // namespace

DetachedThreadCheck::DetachedThreadCheck(StringRef Name,
                                         ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      RawLockTypes(Options.getLocalOrGlobal("LockTypes", "")) {
  ModelCfg.LockTypes = tlm::splitList(RawLockTypes);
}

void DetachedThreadCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "LockTypes", RawLockTypes);
}

void DetachedThreadCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void DetachedThreadCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = Ctx.getSourceManager();
  Model = tlm::TUModel::get(Ctx, ModelCfg);

  for (const auto &[FD, S] : Model->threadStarts()) {
    if (S.Api == tlm::ThreadApi::Async)
      continue;
    std::vector<tlm::Borrow> Borrows = tlm::borrowedLocals(S);
    if (Borrows.empty())
      continue;

    // Find the detach.
    SourceLocation DetachAt, SelfDetach;
    if (S.Api == tlm::ThreadApi::Pthread || S.Api == tlm::ThreadApi::C11) {
      const ValueDecl *Id = nullptr;
      forEachStmt(S.IdArg, [&](const Stmt *X) {
        if (const auto *DRE = dyn_cast<DeclRefExpr>(X); DRE && !Id)
          Id = DRE->getDecl();
      });
      const ValueDecl *Attr = nullptr;
      if (S.AttrArg)
        forEachStmt(S.AttrArg, [&](const Stmt *X) {
          if (const auto *DRE = dyn_cast<DeclRefExpr>(X); DRE && !Attr)
            Attr = DRE->getDecl();
        });
      // The first join or detach of this id after the start decides.
      const CallExpr *Fate = nullptr;
      forEachStmt(FD->getBody(), [&](const Stmt *X) {
        const auto *Call = dyn_cast<CallExpr>(X);
        if (!Call || Call->getNumArgs() < 1 || !Id)
          return;
        llvm::StringRef N = calleeName(Call);
        if ((N == "pthread_detach" || N == "thrd_detach" ||
             N == "pthread_join" || N == "thrd_join") &&
            mentions(Call->getArg(0), Id) &&
            SM.isBeforeInTranslationUnit(S.Site->getBeginLoc(),
                                         Call->getBeginLoc()) &&
            (!Fate || SM.isBeforeInTranslationUnit(Call->getBeginLoc(),
                                                    Fate->getBeginLoc())))
          Fate = Call;
      });
      if (Fate && calleeName(Fate).ends_with("detach"))
        DetachAt = Fate->getBeginLoc();
      // Or created detached: pthread_attr_setdetachstate(&attr,
      // PTHREAD_CREATE_DETACHED) on the attributes passed.
      forEachStmt(FD->getBody(), [&](const Stmt *X) {
        const auto *Call = dyn_cast<CallExpr>(X);
        if (!Call || DetachAt.isValid() || !Attr || Call->getNumArgs() != 2 ||
            calleeName(Call) != "pthread_attr_setdetachstate" ||
            !mentions(Call->getArg(0), Attr))
          return;
        // PTHREAD_CREATE_DETACHED is 1 in every libc threadlint knows.
        Expr::EvalResult R;
        if (Call->getArg(1)->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 1)
          DetachAt = S.Site->getBeginLoc();
      });
      if (DetachAt.isInvalid())
        if ((SelfDetach = tlm::selfDetach(S)).isValid())
          DetachAt = S.Site->getBeginLoc();
    } else {
      const Expr *Temporary = nullptr;
      const ValueDecl *Owner = ownerOf(S.Site, Ctx, Temporary);
      if (Temporary) {
        DynTypedNodeList P = Ctx.getParents(*Temporary);
        if (P.size() == 1)
          if (const auto *MC = P[0].get<CXXMemberCallExpr>())
            if (MC->getMethodDecl() &&
                MC->getMethodDecl()->getDeclName().isIdentifier() &&
                MC->getMethodDecl()->getName() == "detach")
              DetachAt = MC->getBeginLoc();
      } else if (Owner) {
        // The first join or detach of the thread object after the start
        // decides (t may be joined, then reused for a detached thread).
        const CXXMemberCallExpr *Fate = nullptr;
        forEachStmt(FD->getBody(), [&](const Stmt *X) {
          const auto *MC = dyn_cast<CXXMemberCallExpr>(X);
          if (!MC || !MC->getMethodDecl() ||
              !MC->getMethodDecl()->getDeclName().isIdentifier())
            return;
          llvm::StringRef N = MC->getMethodDecl()->getName();
          if ((N == "detach" || N == "join") &&
              namedObject(MC->getImplicitObjectArgument()) == Owner &&
              SM.isBeforeInTranslationUnit(S.Site->getBeginLoc(),
                                           MC->getBeginLoc()) &&
              (!Fate || SM.isBeforeInTranslationUnit(MC->getBeginLoc(),
                                                      Fate->getBeginLoc())))
            Fate = MC;
        });
        if (Fate && Fate->getMethodDecl()->getName() == "detach")
          DetachAt = Fate->getBeginLoc();
      }
    }
    if (DetachAt.isInvalid())
      continue;

    // The starting function waits for the thread after detaching it (a
    // future, a latch, a condition variable): the locals outlive its use.
    bool WaitsAfter = false;
    forEachStmt(FD->getBody(), [&](const Stmt *X) {
      const auto *Call = dyn_cast<CallExpr>(X);
      if (!Call || WaitsAfter ||
          !SM.isBeforeInTranslationUnit(DetachAt, Call->getBeginLoc()))
        return;
      llvm::StringRef N = calleeName(Call);
      if (N == "wait" || N == "wait_for" || N == "wait_until" ||
          N == "arrive_and_wait" || N == "acquire" || N == "sem_wait" ||
          N == "pthread_cond_wait" || N == "pthread_cond_timedwait" ||
          N == "pthread_barrier_wait" || N == "cnd_wait" ||
          (N == "get" && isa<CXXMemberCallExpr>(Call) &&
           tlm::qualifiedName(cast<CXXMemberCallExpr>(Call)->getRecordDecl())
                   .find("future") != std::string::npos))
        WaitsAfter = true;
    });
    if (WaitsAfter)
      continue;

    const tlm::Borrow &First = Borrows.front();
    std::string More =
        Borrows.size() > 1
            ? " (and " + std::to_string(Borrows.size() - 1) + " more)"
            : "";
    std::string Fn = tlm::functionName(FD, SM);
    std::string After, Fix;
    if (!First.Var) {
      const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      std::string Class = MD ? MD->getParent()->getName().str() : "object";
      After = "nothing keeps the '" + Class + "' alive while it runs";
      Fix = "capture a std::shared_ptr to the object (shared_from_this()), "
            "or keep the thread and join it before the object is destroyed";
    } else {
      After = "'" + First.Var->getName().str() + "' is destroyed when '" + Fn +
              "' returns, while the thread may still use it";
      Fix = "capture by value or move the data into the thread "
            "(std::shared_ptr for data it shares), or join the thread";
    }
    diag(DetachAt, "detached thread %0%1: %2; %3")
        << First.What << More << After << Fix;
    diag(S.Site->getBeginLoc(), "thread started here (%0)",
         DiagnosticIDs::Note)
        << tlm::threadApiName(S.Api);
    if (SelfDetach.isValid())
      diag(SelfDetach, "the thread detaches itself here", DiagnosticIDs::Note);
    for (const tlm::Borrow &B : Borrows)
      diag(B.Loc, "the thread %0 here", DiagnosticIDs::Note) << B.What;
  }
}

} // namespace clang::tidy::threadlint
