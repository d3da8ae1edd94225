//===--- RecursiveLockCheck.cpp -------------------------------------------===//

#include "RecursiveLockCheck.h"
#include "model/HeldLocks.h"
#include "model/TUModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

/// Whether acquiring \p Again while \p Held is held deadlocks the thread.
bool selfDeadlocks(const tlm::HeldLock &Held, const tlm::LockRef &Again,
                   bool AgainShared, const std::set<std::string> &Recursive) {
  if (Held.Lock.Kind == tlm::LockKind::RecursiveMutex ||
      Again.Kind == tlm::LockKind::RecursiveMutex)
    return false;
  // Capability, BasicLockable and configured types may be re-entrant: only
  // the lock types known not to be are reported.
  if (Held.Lock.Kind == tlm::LockKind::Other)
    return false;
  // Two shared acquisitions of a reader/writer lock succeed.
  if (Held.Shared && AgainShared)
    return false;
  if (Recursive.count(Held.Lock.Key) ||
      (!Held.Lock.GlobalKey.empty() && Recursive.count(Held.Lock.GlobalKey)))
    return false;
  return true;
}

} // namespace

void RecursiveLockCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const std::set<std::string> &Recursive = Model.recursiveAtRunTime();

  auto Report = [&](SourceLocation Loc, const std::string &Msg,
                    const tlm::HeldLock &Held,
                    const std::vector<tlm::ChainStep> &Path) {
    Loc = SM.getExpansionLoc(Loc);
    if (!firstAt(Loc))
      return;
    diag(Loc, "%0") << Msg;
    std::string First = "'" + Held.Lock.Name + "' acquired here";
    if (!Held.Via.empty())
      First += ", by the call to '" + Held.Via + "'";
    diag(SM.getExpansionLoc(Held.Site), "%0", DiagnosticIDs::Note) << First;
    for (const tlm::ChainStep &S : Path)
      diag(SM.getExpansionLoc(S.Loc), "%0", DiagnosticIDs::Note) << S.Text;
  };

  for (const FunctionDecl *FD : Model.functions()) {
    const tlm::FunctionLocks *FL = Model.locks(FD);
    if (!FL || !FL->Analysed)
      continue;
    for (const tlm::Acquisition &A : FL->Acquisitions)
      for (const tlm::HeldLock &H : A.MustBefore)
        if (H.Lock.Key == A.Lock.Lock.Key &&
            selfDeadlocks(H, A.Lock.Lock, A.Lock.Shared, Recursive))
          Report(A.Lock.Site,
                 "'" + A.Lock.Lock.Name +
                     "' acquired while it is already held: a non-recursive "
                     "mutex deadlocks on itself",
                 H,
                 {tlm::ChainStep{A.Lock.Site, "'" + A.Lock.Lock.Name +
                                                  "' acquired again here"}});
    for (const tlm::CallSite &C : FL->Calls) {
      // A function calling itself while holding what it acquires deadlocks
      // on the first recursion (testdata: recursive-lock/interprocedural.cpp,
      // walk_bad).
      if (C.Must.empty() || !C.Callee)
        continue;
      const auto *Acquires = Model.acquires(C.Callee);
      if (!Acquires)
        continue;
      for (const tlm::TransitiveAcquire &T : *Acquires)
        for (const tlm::LockRef &M :
             tlm::mapCalleeLock(*FL, T.Lock, C.Call, Ctx, Model.config()))
          for (const tlm::HeldLock &H : C.Must)
            if (H.Lock.Key == M.Key &&
                selfDeadlocks(H, M, T.Shared, Recursive)) {
              std::vector<tlm::ChainStep> Path{
                  tlm::ChainStep{C.Call->getBeginLoc(),
                                 "'" + tlm::functionName(FD, SM) + "' calls '" +
                                     tlm::functionName(C.Callee, SM) +
                                     "' while holding '" + H.Lock.Name + "'"}};
              Path.insert(Path.end(), T.Path.begin(), T.Path.end());
              Path.back().Text = "'" + M.Name + "' acquired again here";
              Report(C.Call->getBeginLoc(),
                     "call to '" + tlm::functionName(C.Callee, SM) +
                         "' acquires '" + M.Name +
                         "', which is already held: a non-recursive mutex "
                         "deadlocks on itself",
                     H, Path);
            }
    }
  }
}

} // namespace clang::tidy::threadlint
