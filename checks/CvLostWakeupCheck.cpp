//===--- CvLostWakeupCheck.cpp --------------------------------------------===//
//
// A waiter tests its condition and goes to sleep under the mutex:
//   std::unique_lock lk(mu); cv.wait(lk, [&] { return ready; });
// If another thread sets `ready` without holding `mu` and then notifies,
// the write and the notification can both fall between the waiter's test
// (false) and its sleep: the notification finds nobody waiting and the
// waiter sleeps on, possibly forever. Making `ready` atomic does not help;
// only the mutex orders the write with the waiter's test.
//
// Waiters: waits with a predicate, or in a loop whose condition tests state
// (while (!ready) cv.wait(lk)). Their state is what the predicate or the
// condition reads (globals, fields, borrowed locals); their mutex is the one
// the wait releases. Reported: a write of that state (plain or atomic, from
// the shared-state model) before a notification of the same condition
// variable in the same function, with the waiter's mutex not held at the
// write and not taken between the write and the notification. Silent:
// writes under the mutex (notifying after unlocking is fine), state the
// waiters do not test, condition variables no waiter in the TU tests a
// predicate on, functions whose locking the model cannot see.
//
//===----------------------------------------------------------------------===//

#include "CvLostWakeupCheck.h"
#include "model/Accesses.h"
#include "model/CondVars.h"
#include "model/HeldLocks.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

struct Waiter {
  const Expr *Call;
  const ValueDecl *Cv;
  std::vector<const ValueDecl *> States;
  std::string MutexId, MutexName;
};

std::string lockId(const tlm::LockRef &L) {
  if (!L.GlobalKey.empty())
    return L.GlobalKey;
  if (L.Decl)
    return "decl:" + std::to_string(reinterpret_cast<uintptr_t>(L.Decl));
  return L.Key;
}

/// The state an expression (a predicate's body, a loop condition) reads.
void statesRead(const Stmt *S, const DeclContext *Own,
                std::vector<const ValueDecl *> &Out) {
  auto Add = [&](const ValueDecl *D) {
    if (D && !llvm::is_contained(Out, D))
      Out.push_back(D);
  };
  std::vector<const Stmt *> Work{S};
  while (!Work.empty()) {
    const Stmt *X = Work.back();
    Work.pop_back();
    if (!X)
      continue;
    if (const auto *LE = dyn_cast<LambdaExpr>(X)) {
      Work.push_back(LE->getBody());
      Own = LE->getCallOperator();
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(X)) {
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        // A named predicate: auto ready = [&] { return done; };
        if (VD->getInit() && !VD->getType()->isPointerType())
          if (const auto *LE =
                  dyn_cast<LambdaExpr>(VD->getInit()->IgnoreImplicit()))
            if (LE != S) {
              Work.push_back(LE);
              continue;
            }
        if (VD->getDeclContext() != Own && !isa<ParmVarDecl>(VD))
          Add(VD);
      }
    } else if (const auto *ME = dyn_cast<MemberExpr>(X)) {
      if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        Add(FD);
    }
    for (const Stmt *C : X->children())
      Work.push_back(C);
  }
}

/// The condition of the loop the wait sits in (as the loop's body).
const Expr *loopCondition(const Stmt *S, ASTContext &Ctx) {
  for (const Stmt *P = tlm::parentStmt(S, Ctx); P;
       P = tlm::parentStmt(P, Ctx)) {
    if (isa<LambdaExpr>(P))
      return nullptr;
    if (const auto *W = dyn_cast<WhileStmt>(P))
      return W->getCond();
    if (const auto *D = dyn_cast<DoStmt>(P))
      return D->getCond();
    if (const auto *F = dyn_cast<ForStmt>(P))
      return F->getCond();
  }
  return nullptr;
}

bool before(SourceLocation A, SourceLocation B, const SourceManager &SM) {
  return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A),
                                      SM.getExpansionLoc(B));
}

} // namespace

void CvLostWakeupCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const tlm::ModelConfig &Config = Model.config();
  std::vector<Waiter> Waiters;
  std::vector<std::pair<const FunctionDecl *, tlm::CvNotify>> Notifies;
  for (const FunctionDecl *FD : Model.functions()) {
    const tlm::FunctionLocks *FL = Model.locks(FD);
    tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      if (!E)
        return;
      if (auto N = tlm::recognizeCvNotify(E, Ctx)) {
        if (N->CvDecl)
          Notifies.push_back({FD, *N});
        return;
      }
      std::optional<tlm::CvWait> W = tlm::recognizeCvWait(E, Ctx);
      if (!W || !W->CvDecl || !FL)
        return;
      Waiter Wt{E, W->CvDecl, {}, "", ""};
      if (W->Pred)
        statesRead(W->Pred, FD, Wt.States);
      else if (const Expr *Cond = loopCondition(E, Ctx))
        statesRead(Cond, FD, Wt.States);
      llvm::erase_if(Wt.States, [&](const ValueDecl *D) {
        return D == W->CvDecl || tlm::classifyLockType(D->getType(), Config);
      });
      auto Locks = FL->locksNamedBy(W->Lock, Ctx, Config);
      if (Wt.States.empty() || Locks.empty())
        return;
      Wt.MutexId = lockId(Locks.front());
      Wt.MutexName = Locks.front().Name;
      Waiters.push_back(std::move(Wt));
    });
  }
  if (Waiters.empty() || Notifies.empty())
    return;

  const tlm::SharedAccesses &Acc = Model.accesses();
  for (const auto &[FD, N] : Notifies) {
    const tlm::FunctionLocks *FL = Model.locks(FD);
    if (!FL || !FL->Analysed)
      continue;
    for (const Waiter &W : Waiters) {
      if (W.Cv != N.CvDecl)
        continue;
      for (const ValueDecl *State : W.States) {
        const std::vector<unsigned> *Of = Acc.of(State);
        if (!Of)
          continue;
        for (unsigned I : *Of) {
          const tlm::Access &A = Acc.all()[I];
          if (!A.writes() || A.In != FD || A.LocksUnknown ||
              A.holds(W.MutexId) || !before(A.loc(), N.Call->getBeginLoc(), SM))
            continue;
          // Taking the mutex after the write and before notifying orders
          // them with the waiter's test.
          bool Fenced =
              llvm::any_of(
                  FL->Acquisitions,
                  [&](const auto &Acq) {
                    return lockId(Acq.Lock.Lock) == W.MutexId && Acq.At &&
                           before(A.loc(), Acq.At->getBeginLoc(), SM) &&
                           before(Acq.At->getBeginLoc(), N.Call->getBeginLoc(),
                                  SM);
                  }) ||
              llvm::any_of(FL->GuardLocks, [&](const auto &G) {
                SourceLocation L = G.first->getLocation();
                return before(A.loc(), L, SM) &&
                       before(L, N.Call->getBeginLoc(), SM) &&
                       llvm::any_of(G.second, [&](const tlm::LockRef &R) {
                         return lockId(R) == W.MutexId;
                       });
              });
          if (Fenced)
            continue;
          // Only the last notification after the write matters.
          SourceLocation Loc = SM.getExpansionLoc(A.loc());
          if (!firstAt(Loc))
            continue;
          std::string Name = tlm::stateName(State);
          std::string Cv = N.CvDecl->getNameAsString();
          diag(Loc, "'%0' is written without holding '%1' before '%2' is "
                    "notified (line %3): the waiter (line %4) checks it "
                    "under '%1', and if this write and the notification "
                    "fall between its check and its wait, the wakeup is "
                    "lost and the waiter may sleep forever (an atomic does "
                    "not help); write '%0' while holding '%1' (notifying "
                    "after unlocking is fine)")
              << Name << W.MutexName << Cv
              << SM.getExpansionLineNumber(N.Call->getBeginLoc())
              << SM.getExpansionLineNumber(W.Call->getBeginLoc());
          diag(SM.getExpansionLoc(W.Call->getBeginLoc()),
               "the waiter checks '%0' under '%1' here", DiagnosticIDs::Note)
              << Name << W.MutexName;
          diag(SM.getExpansionLoc(N.Call->getBeginLoc()),
               "'%0' is notified here", DiagnosticIDs::Note)
              << Cv;
        }
      }
    }
  }
}

} // namespace clang::tidy::threadlint
