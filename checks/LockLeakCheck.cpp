//===--- LockLeakCheck.cpp ------------------------------------------------===//
//
// A function that locks by hand and unlocks at its end has to unlock on
// every other way out too. An early return, or a throw, that forgets leaves
// the mutex locked: the next lock() of it - in any thread - waits forever.
// Reported: a lock taken manually (lock(), pthread_mutex_lock(), mtx_lock(),
// a lock wrapper's call) that the function's normal exit (its last return,
// or the end of its body) no longer holds, but that is held on every path to
// another exit (an early return, a throw leaving the function), when the
// function unlocks it somewhere. Silent: RAII guards; lock wrappers that
// return holding on every path, or whose last exit holds it (a conditional
// acquire: an error path unlocks and returns early); functions annotated
// ACQUIRE/TRY_ACQUIRE; locks held on some paths only (correlated branches);
// exits through noreturn calls (abort, exit). Exceptions thrown by callees
// are not modelled (the CFG has no exceptional edges).
//
//===----------------------------------------------------------------------===//

#include "LockLeakCheck.h"
#include "model/HeldLocks.h"
#include "model/TUModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

bool holds(const tlm::HeldSet &Set, const std::string &Key) {
  return llvm::any_of(Set,
                      [&](const tlm::HeldLock &H) { return H.Lock.Key == Key; });
}

} // namespace

void LockLeakCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const bool Cxx = Ctx.getLangOpts().CPlusPlus;
  for (const FunctionDecl *FD : Model.functions()) {
    const tlm::FunctionLocks *FL = Model.locks(FD);
    if (!FL || !FL->Analysed || FL->Exits.size() < 2 || FL->Releases.empty())
      continue;
    if (FD->hasAttr<AcquireCapabilityAttr>() ||
        FD->hasAttr<TryAcquireCapabilityAttr>())
      continue;
    // The normal exit: the last return or the end of the body.
    const tlm::ExitPoint *Normal = nullptr;
    for (const tlm::ExitPoint &X : FL->Exits) {
      if (X.At && isa<CXXThrowExpr>(X.At))
        continue;
      if (!Normal || SM.isBeforeInTranslationUnit(
                         SM.getExpansionLoc(Normal->Loc),
                         SM.getExpansionLoc(X.Loc)))
        Normal = &X;
    }
    if (!Normal)
      continue;
    for (const tlm::ExitPoint &X : FL->Exits) {
      if (&X == Normal)
        continue;
      for (const tlm::HeldLock &H : X.Must) {
        if (H.Owner || holds(Normal->Must, H.Lock.Key))
          continue;
        // The function unlocks it: the leak is this path's, not a design.
        const tlm::ReleasePoint *Unlock = nullptr;
        for (const tlm::ReleasePoint &R : FL->Releases)
          if (!R.Guard && R.Lock.Key == H.Lock.Key && R.MayHeld) {
            Unlock = &R;
            break;
          }
        if (!Unlock)
          continue;
        SourceLocation Loc = SM.getExpansionLoc(X.Loc);
        if (!firstAt(Loc))
          continue;
        bool Throw = X.At && isa<CXXThrowExpr>(X.At);
        std::string Where = Throw ? "when the exception leaves the function "
                                    "here"
                                  : "when the function returns here";
        std::string Fix =
            Cxx ? "use std::lock_guard or std::unique_lock so that every "
                  "path releases it"
                : "unlock it before this return, or leave through a single "
                  "unlock (goto out)";
        diag(Loc, "'%0' (locked at line %1) is still held %2; the other "
                  "paths unlock it (line %3), and every later lock of it "
                  "waits forever; %4")
            << H.Lock.Name << SM.getExpansionLineNumber(H.Site) << Where
            << SM.getExpansionLineNumber(Unlock->Call->getBeginLoc()) << Fix;
        diag(SM.getExpansionLoc(H.Site), "'%0' is locked here",
             DiagnosticIDs::Note)
            << H.Lock.Name;
        diag(SM.getExpansionLoc(Unlock->Call->getBeginLoc()),
             "'%0' is unlocked here on the other paths", DiagnosticIDs::Note)
            << H.Lock.Name;
      }
    }
  }
}

} // namespace clang::tidy::threadlint
