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
#include "model/Accesses.h"
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
  return llvm::any_of(
      Set, [&](const tlm::HeldLock &H) { return H.Lock.Key == Key; });
}

/// Whether handler \p H catches exceptions of type \p T.
bool catches(const CXXCatchStmt *H, QualType T) {
  if (!H->getExceptionDecl())
    return true; // catch (...)
  QualType C = H->getCaughtType().getNonReferenceType().getUnqualifiedType();
  T = T.getUnqualifiedType();
  if (C->isPointerType() && T->isPointerType()) {
    C = C->getPointeeType().getUnqualifiedType();
    T = T->getPointeeType().getUnqualifiedType();
  }
  if (C.getCanonicalType() == T.getCanonicalType())
    return true;
  const auto *CR = C->getAsCXXRecordDecl();
  const auto *TR = T->getAsCXXRecordDecl();
  return CR && TR && TR->hasDefinition() && TR->isDerivedFrom(CR);
}

/// The throws in \p Try's block (not in a nested try) whose exception none
/// of its handlers catches.
std::vector<const CXXThrowExpr *> uncaughtThrows(const CXXTryStmt *Try) {
  std::vector<const CXXThrowExpr *> Out;
  std::vector<const Stmt *> Work{Try->getTryBlock()};
  while (!Work.empty()) {
    const Stmt *S = Work.back();
    Work.pop_back();
    if (!S || isa<CXXTryStmt, LambdaExpr>(S))
      continue;
    if (const auto *T = dyn_cast<CXXThrowExpr>(S)) {
      if (!T->getSubExpr())
        continue; // a rethrow: its type is not known here
      QualType Ty = T->getSubExpr()->getType();
      bool Caught = false;
      for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
        Caught |= catches(Try->getHandler(I), Ty);
      if (!Caught)
        Out.push_back(T);
      continue;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return Out;
}

} // namespace

void LockLeakCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  Reported.clear();
  const bool Cxx = Ctx.getLangOpts().CPlusPlus;
  for (const FunctionDecl *FD : Model.functions()) {
    const tlm::FunctionLocks *FL = Model.locks(FD);
    if (!FL || !FL->Analysed || FL->Exits.size() < 2 || FL->Releases.empty())
      continue;
    if (FD->hasAttr<AcquireCapabilityAttr>() ||
        FD->hasAttr<TryAcquireCapabilityAttr>())
      continue;
    // A lock wrapper defined in another file may lock or unlock here.
    auto WrapperTouches = [&](const tlm::LockRef &L) {
      return llvm::any_of(FL->Calls, [&](const tlm::CallSite &C) {
        return tlm::wrapperMayTouch(FD, C.Call, L);
      });
    };
    // The normal exit: the last return or the end of the body.
    const tlm::ExitPoint *Normal = nullptr;
    for (const tlm::ExitPoint &X : FL->Exits) {
      if (X.At && isa<CXXThrowExpr, CXXTryStmt>(X.At))
        continue;
      if (!Normal ||
          SM.isBeforeInTranslationUnit(SM.getExpansionLoc(Normal->Loc),
                                       SM.getExpansionLoc(X.Loc)))
        Normal = &X;
    }
    if (!Normal)
      continue;
    for (const tlm::ExitPoint &X : FL->Exits) {
      if (&X == Normal)
        continue;
      for (const tlm::HeldLock &H : X.Must) {
        if (H.Owner || holds(Normal->Must, H.Lock.Key) ||
            WrapperTouches(H.Lock))
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
        // An exception leaving a try block that no handler catches.
        std::vector<SourceLocation> Locs;
        if (const auto *Try = dyn_cast_or_null<CXXTryStmt>(X.At)) {
          for (const CXXThrowExpr *T : uncaughtThrows(Try))
            Locs.push_back(T->getBeginLoc());
        } else {
          Locs.push_back(X.Loc);
        }
        for (SourceLocation L : Locs)
          report(H, *Unlock, L, X.At && isa<CXXThrowExpr, CXXTryStmt>(X.At),
                 Cxx, SM);
      }
    }
  }
}

void LockLeakCheck::report(const tlm::HeldLock &H,
                           const tlm::ReleasePoint &Unlock, SourceLocation At,
                           bool Throw, bool Cxx, const SourceManager &SM) {
  SourceLocation Loc = SM.getExpansionLoc(At);
  if (!Reported.insert({Loc.getRawEncoding(), H.Lock.Key}).second)
    return;
  std::string Where = Throw ? "when the exception leaves the function here"
                            : "when the function returns here";
  std::string Fix = Cxx ? "use std::lock_guard or std::unique_lock so that "
                          "every path releases it"
                        : "unlock it before this return, or leave through a "
                          "single unlock (goto out)";
  diag(Loc, "'%0' (locked at line %1) is still held %2; the other paths "
            "unlock it (line %3), and every later lock of it waits forever; "
            "%4")
      << H.Lock.Name << SM.getExpansionLineNumber(H.Site) << Where
      << SM.getExpansionLineNumber(Unlock.Call->getBeginLoc()) << Fix;
  diag(SM.getExpansionLoc(H.Site), "'%0' is locked here", DiagnosticIDs::Note)
      << H.Lock.Name;
  diag(SM.getExpansionLoc(Unlock.Call->getBeginLoc()),
       "'%0' is unlocked here on the other paths", DiagnosticIDs::Note)
      << H.Lock.Name;
}

} // namespace clang::tidy::threadlint
