//===--- DetachedThreadCheck.cpp ------------------------------------------===//
//
// A detached thread runs on after the scope that started it ends. If its
// callable reaches that scope's locals (by-reference captures, &local,
// std::ref(local)) or the object ('this'), it uses them after they die.
// Which thread is detached, and where, comes from the model (detachOf): a
// temporary's .detach(), a named thread's .detach() in the same function,
// pthread_detach/thrd_detach of its id, PTHREAD_CREATE_DETACHED, or the
// thread detaching itself.
//
//===----------------------------------------------------------------------===//

#include "DetachedThreadCheck.h"
#include "model/HeldLocks.h"
#include "model/Locks.h"
#include "model/TUModel.h"
#include "model/Threads.h"
#include "model/Walk.h"
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

void DetachedThreadCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();

  for (const auto &[FD, S] : Model.threadStarts()) {
    if (S.Api == tlm::ThreadApi::Async || S.Api == tlm::ThreadApi::Pool ||
        S.Container)
      continue;
    std::vector<tlm::Borrow> Borrows = tlm::borrowedLocals(S);
    if (Borrows.empty())
      continue;

    // Find the detach.
    tlm::Detach D = tlm::detachOf(S, FD, Ctx);
    SourceLocation DetachAt = D.At, SelfDetach = D.Self;
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
    diag(S.Site->getBeginLoc(), "thread started here (%0)", DiagnosticIDs::Note)
        << tlm::threadApiName(S.Api);
    if (SelfDetach.isValid())
      diag(SelfDetach, "the thread detaches itself here", DiagnosticIDs::Note);
    for (const tlm::Borrow &B : Borrows)
      diag(B.Loc, "the thread %0 here", DiagnosticIDs::Note) << B.What;
  }
}

} // namespace clang::tidy::threadlint
