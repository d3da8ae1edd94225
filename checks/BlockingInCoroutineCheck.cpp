//===--- BlockingInCoroutineCheck.cpp -------------------------------------===//
//
// Coroutines share threads: while one of them sleeps, reads a file or waits
// for a future inside its body, no other coroutine scheduled on that thread
// (an event loop, an executor's worker) makes progress. Reported: a call in
// a coroutine's own statements that blocks (the blocking-call table of
// model/Blocking.h, as blocking-in-critical-section uses it, with the same
// BlockingFunctions / ExcludedFunctions options), or a call to a function
// of this TU that may block, with the chain down to the blocking call.
// Silent: blocking work in lambdas handed to a thread, a pool or std::async
// (offloaded: a function of its own), ordinary functions, and co_await of
// asynchronous operations.
//
//===----------------------------------------------------------------------===//

#include "BlockingInCoroutineCheck.h"
#include "model/Blocking.h"
#include "model/CondVars.h"
#include "model/Coroutines.h"
#include "model/HeldLocks.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

/// f.wait_for(0s), f.wait_for(std::chrono::seconds(0)): a poll.
bool isZeroTimeoutPoll(const CXXMemberCallExpr *MC) {
  const CXXMethodDecl *M = MC->getMethodDecl();
  if (!M || !M->getIdentifier() || M->getName() != "wait_for" ||
      MC->getNumArgs() != 1)
    return false;
  bool Any = false, NonZero = false;
  tlm::forEachStmt(MC->getArg(0), [&](const Stmt *S) {
    if (const auto *IL = dyn_cast<IntegerLiteral>(S)) {
      Any = true;
      NonZero |= IL->getValue() != 0;
    }
  });
  return Any && !NonZero;
}

} // namespace

BlockingInCoroutineCheck::BlockingInCoroutineCheck(StringRef Name,
                                                   ClangTidyContext *Context)
    : ModelCheck(Name, Context),
      RawBlockingFunctions(Options.get("BlockingFunctions", "")),
      RawExcludedFunctions(Options.get("ExcludedFunctions", "")) {
  BlockingCfg.Extra = tlm::splitList(RawBlockingFunctions);
  BlockingCfg.Excluded = tlm::splitList(RawExcludedFunctions);
}

void BlockingInCoroutineCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "BlockingFunctions", RawBlockingFunctions);
  Options.store(Opts, "ExcludedFunctions", RawExcludedFunctions);
  ModelCheck::storeOptions(Opts);
}

void BlockingInCoroutineCheck::checkModel(tlm::TUModel &Model,
                                          ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *FD : Model.functions()) {
    const Stmt *Body = tlm::coroutineBody(FD);
    if (!Body || tlm::isGenerator(FD))
      continue;
    // Futures this coroutine polls (f.wait_for(0s)): their get() follows a
    // ready poll and does not block.
    llvm::SmallPtrSet<const ValueDecl *, 4> Polled;
    tlm::forEachUserStmt(Body, [&](const Stmt *S) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
        if (isZeroTimeoutPoll(MC))
          if (const ValueDecl *D =
                  tlm::namedObject(MC->getImplicitObjectArgument()))
            Polled.insert(D);
    });
    std::string Coro = tlm::functionName(FD, SM);
    tlm::forEachUserStmt(Body, [&](const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      if (!E || !isa<CallExpr, CXXConstructExpr>(E))
        return;
      std::optional<tlm::BlockingCall> Direct =
          tlm::classifyBlockingCall(E, BlockingCfg);
      if (Direct && Direct->Kind == tlm::BlockKind::Future)
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
          if (isZeroTimeoutPoll(MC) ||
              Polled.count(tlm::namedObject(MC->getImplicitObjectArgument())))
            return;
      const tlm::MayBlock *Via = nullptr;
      const FunctionDecl *Callee = nullptr;
      if (!Direct) {
        Callee = tlm::calleeOf(E);
        if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
          Callee = CE->getConstructor();
        if (!Callee || Callee == FD)
          return;
        if (const FunctionDecl *Def = Callee->getDefinition())
          Callee = Def;
        if (tlm::coroutineBody(Callee))
          return; // a coroutine called here is reported in its own body
        Via = Model.mayBlock(Callee, BlockingCfg);
        if (!Via)
          return;
      }
      SourceLocation Loc = SM.getExpansionLoc(E->getBeginLoc());
      if (!firstAt(Loc))
        return;
      const tlm::BlockingCall &B = Direct ? *Direct : Via->Blocker;
      std::string What =
          "'" + B.Name + "', which " + tlm::describeBlockKind(B.Kind);
      if (Via)
        What = "'" + tlm::functionName(Callee, SM) + "', which calls " + What;
      diag(Loc, "coroutine '%0' calls %1: it blocks the thread that runs "
                "the coroutine, and every other coroutine scheduled on that "
                "thread waits too; co_await an asynchronous equivalent, or "
                "offload the call to a thread pool and co_await its result")
          << Coro << What;
      if (Via)
        for (const tlm::ChainStep &Step : Via->Chain)
          diag(SM.getExpansionLoc(Step.Loc), "%0", DiagnosticIDs::Note)
              << Step.Text;
    });
  }
}

} // namespace clang::tidy::threadlint
