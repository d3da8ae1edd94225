//===--- LockAcrossSuspendCheck.cpp ---------------------------------------===//
//
// A coroutine that suspends while holding a std::mutex (a guard in scope,
// or a manual lock) keeps it locked for as long as it is suspended: every
// other coroutine that the same thread runs meanwhile and that needs the
// mutex blocks the thread - a deadlock when the holder can only resume on
// that thread - and when the coroutine resumes on another thread, that
// thread unlocks a mutex it does not own (undefined behaviour). Reported: a
// co_await or co_yield in a coroutine's own statements at which the
// held-lock dataflow finds a lock held on every path. Silent: locks
// released before the suspension (the guard's scope ends, unlock()), locks
// taken after it, and asynchronous mutexes (types without lock()/unlock()).
//
//===----------------------------------------------------------------------===//

#include "LockAcrossSuspendCheck.h"
#include "model/Coroutines.h"
#include "model/HeldLocks.h"
#include "model/TUModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

void LockAcrossSuspendCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *FD : Model.functions()) {
    const Stmt *Body = tlm::coroutineBody(FD);
    const tlm::FunctionLocks *FL = Model.locks(FD);
    if (!Body || !FL || !FL->Analysed)
      continue;
    tlm::forEachUserStmt(Body, [&](const Stmt *S) {
      const auto *Susp = dyn_cast<CoroutineSuspendExpr>(S);
      if (!Susp)
        return;
      const tlm::HeldSet *Held = FL->mustHeldAt(Susp, Ctx);
      if (!Held || Held->empty())
        return;
      SourceLocation Loc = SM.getExpansionLoc(Susp->getBeginLoc());
      if (!firstAt(Loc))
        return;
      const char *Kw = isa<CoyieldExpr>(Susp) ? "co_yield" : "co_await";
      const tlm::HeldLock &H = Held->front();
      diag(Loc, "'%0' (locked at line %1) is held across '%2': while the "
                "coroutine is suspended, any other coroutine this thread "
                "runs that needs '%0' blocks it (a deadlock if the holder "
                "can only resume here), and if the coroutine resumes on "
                "another thread, that thread unlocks a mutex it does not own "
                "(undefined behaviour); release it before suspending, or use "
                "a mutex made for coroutines")
          << H.Lock.Name << SM.getExpansionLineNumber(H.Site) << Kw;
      for (const tlm::HeldLock &L : *Held)
        diag(SM.getExpansionLoc(L.Site), "'%0' is locked here",
             DiagnosticIDs::Note)
            << L.Lock.Name;
    });
  }
}

} // namespace clang::tidy::threadlint
