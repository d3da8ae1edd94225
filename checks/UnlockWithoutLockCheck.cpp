//===--- UnlockWithoutLockCheck.cpp ---------------------------------------===//
//
// Unlocking a std::mutex (or a pthread/C11 mutex) the thread does not hold
// is undefined behaviour; std::unique_lock::unlock() on a guard that holds
// nothing throws std::system_error. Reported, from the held-lock dataflow:
// an unlock of a lock the function takes somewhere, at a point no path
// reaches holding it (a double unlock; an unlock on both branches and again
// after them), and lk.unlock() where the guard holds its lock on no path.
// Silent: unlock helpers that never lock (the caller locked), unlocks where
// the lock is held on some paths only (correlated branches are not
// guessed), try-lock successes.
//
//===----------------------------------------------------------------------===//

#include "UnlockWithoutLockCheck.h"
#include "model/Accesses.h"
#include "model/HeldLocks.h"
#include "model/Locks.h"
#include "model/TUModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

/// A guard made with std::defer_lock: it holds nothing until locked.
bool deferred(const VarDecl *Guard) {
  const Expr *Init = Guard->getInit();
  if (!Init)
    return false;
  const auto *CE = dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit());
  if (!CE)
    return false;
  for (const Expr *A : CE->arguments())
    if (const auto *RD = A->getType()->getAsCXXRecordDecl())
      if (RD->getName() == "defer_lock_t")
        return true;
  return false;
}

} // namespace

void UnlockWithoutLockCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  auto Before = [&](SourceLocation A, SourceLocation B) {
    return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A),
                                        SM.getExpansionLoc(B));
  };
  for (const FunctionDecl *FD : Model.functions()) {
    const tlm::FunctionLocks *FL = Model.locks(FD);
    if (!FL || !FL->Analysed)
      continue;
    // A lock wrapper defined in another file may lock or unlock here.
    auto WrapperTouches = [&](const tlm::LockRef &L) {
      return llvm::any_of(FL->Calls, [&](const tlm::CallSite &C) {
        return tlm::wrapperMayTouch(FD, C.Call, L);
      });
    };
    for (const tlm::ReleasePoint &R : FL->Releases) {
      if (R.MayHeld || (!R.Guard && WrapperTouches(R.Lock)))
        continue;
      SourceLocation At = R.Call->getBeginLoc();
      // The previous release of the same lock or guard, for the note.
      const tlm::ReleasePoint *Prev = nullptr;
      for (const tlm::ReleasePoint &P : FL->Releases)
        if (&P != &R && P.Guard == R.Guard &&
            (R.Guard || P.Lock.Key == R.Lock.Key) &&
            Before(P.Call->getBeginLoc(), At) &&
            (!Prev || Before(Prev->Call->getBeginLoc(), P.Call->getBeginLoc())))
          Prev = &P;
      std::string Already = Prev ? " (it was already unlocked at line " +
                                       std::to_string(SM.getExpansionLineNumber(
                                           Prev->Call->getBeginLoc())) +
                                       ")"
                                 : "";
      SourceLocation Loc = SM.getExpansionLoc(At);
      if (R.Guard) {
        auto G = FL->GuardLocks.find(R.Guard);
        bool Locks = llvm::any_of(FL->Acquisitions, [&](const auto &A) {
          return A.Lock.Owner == R.Guard;
        });
        if (G == FL->GuardLocks.end() || G->second.empty() ||
            !(Locks || deferred(R.Guard)) || !firstAt(Loc))
          continue;
        std::string Name = R.Guard->getNameAsString();
        std::string Type = "std::unique_lock";
        if (const auto *RD = R.Guard->getType()->getAsCXXRecordDecl())
          Type = tlm::qualifiedName(RD);
        diag(Loc, "'%0.unlock()' is called but '%0' does not hold its lock "
                  "here on any path%1: %2::unlock throws std::system_error; "
                  "unlock once, or test '%0.owns_lock()' first")
            << Name << Already << Type;
      } else {
        bool Locks = llvm::any_of(FL->Acquisitions, [&](const auto &A) {
          return A.Lock.Lock.Key == R.Lock.Key;
        });
        if (!Locks || !firstAt(Loc))
          continue;
        diag(Loc, "'%0' is unlocked here but is not held on any path to "
                  "this point%1: unlocking a mutex that is not locked is "
                  "undefined behaviour; unlock each lock once, on the path "
                  "that locked it, or use a RAII guard")
            << R.Lock.Name << Already;
      }
      if (Prev)
        diag(SM.getExpansionLoc(Prev->Call->getBeginLoc()),
             "already unlocked here", DiagnosticIDs::Note);
    }
  }
}

} // namespace clang::tidy::threadlint
