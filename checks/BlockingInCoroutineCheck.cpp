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
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

/// f.wait_for(0s), f.wait_for(std::chrono::seconds(0)): a poll.
bool isZeroTimeoutPoll(const CXXMemberCallExpr *MC) {
  const CXXMethodDecl *MD = MC->getMethodDecl();
  if (!MD || !MD->getIdentifier() || MD->getName() != "wait_for" ||
      MC->getNumArgs() != 1)
    return false;
  // As written: seconds(0), 0s, 0ms, milliseconds::zero().
  const ASTContext &Ctx = MD->getASTContext();
  const SourceManager &SM = Ctx.getSourceManager();
  std::string Text;
  for (char C : Lexer::getSourceText(
           CharSourceRange::getTokenRange(
               SM.getExpansionRange(MC->getArg(0)->getSourceRange())
                   .getAsRange()),
           SM, Ctx.getLangOpts()))
    if (!isspace(static_cast<unsigned char>(C)))
      Text += C;
  StringRef T(Text);
  if (T.ends_with("(0)") || T.ends_with("{0}") || T.ends_with("::zero()"))
    return true;
  return llvm::is_contained({"0ns", "0us", "0ms", "0s", "0min", "0h", "0"}, T);
}

/// Whether the source text of \p E contains \p Word (a macro's name).
bool spells(const Expr *E, StringRef Word, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange R = CharSourceRange::getTokenRange(
      SM.getExpansionRange(E->getSourceRange()).getAsRange());
  return Lexer::getSourceText(R, SM, Ctx.getLangOpts()).contains(Word);
}

bool isDescriptorIO(StringRef Name) {
  return llvm::is_contained({"read", "write", "recv", "send", "recvfrom",
                             "sendto", "recvmsg", "sendmsg", "accept",
                             "accept4", "connect", "readv", "writev"},
                            Name);
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
  // The program puts descriptors in non-blocking mode (fcntl O_NONBLOCK,
  // socket/accept4 SOCK_NONBLOCK): its coroutines do I/O on readiness.
  bool NonBlockingIO = false;
  for (const FunctionDecl *FD : Model.functions())
    tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
      if (const auto *C = dyn_cast<CallExpr>(S))
        for (const Expr *A : C->arguments())
          NonBlockingIO |= spells(A, "NONBLOCK", Ctx);
    });
  for (const FunctionDecl *FD : Model.functions()) {
    const Stmt *Body = tlm::coroutineBody(FD);
    if (!Body || tlm::isGenerator(FD))
      continue;
    // Where a future is known to be ready: after a loop that polls it
    // (while (f.wait_for(0s) != ready) co_await ...;), and in the branch of
    // an if that found it ready. There its get() does not block.
    std::vector<std::pair<const ValueDecl *, SourceRange>> Ready;
    tlm::forEachUserStmt(Body, [&](const Stmt *S) {
      const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      if (!MC || !isZeroTimeoutPoll(MC))
        return;
      const ValueDecl *D = tlm::namedObject(MC->getImplicitObjectArgument());
      if (!D)
        return;
      for (const Stmt *P = tlm::parentStmt(MC, Ctx); P;
           P = tlm::parentStmt(P, Ctx)) {
        if (const auto *W = dyn_cast<WhileStmt>(P)) {
          Ready.push_back({D, {W->getEndLoc(), Body->getEndLoc()}});
          break;
        }
        if (const auto *If = dyn_cast<IfStmt>(P)) {
          const auto *Cmp =
              dyn_cast<BinaryOperator>(If->getCond()->IgnoreParenImpCasts());
          bool Eq = !Cmp || Cmp->getOpcode() == BO_EQ;
          if (const Stmt *Branch = Eq ? If->getThen() : If->getElse())
            Ready.push_back({D, Branch->getSourceRange()});
          break;
        }
        if (!isa<Expr>(P))
          break;
      }
    });
    auto KnownReady = [&](const CXXMemberCallExpr *MC) {
      const ValueDecl *D = tlm::namedObject(MC->getImplicitObjectArgument());
      SourceLocation L = SM.getExpansionLoc(MC->getBeginLoc());
      return llvm::any_of(Ready, [&](const auto &R) {
        return R.first == D &&
               !SM.isBeforeInTranslationUnit(
                   L, SM.getExpansionLoc(R.second.getBegin())) &&
               !SM.isBeforeInTranslationUnit(
                   SM.getExpansionLoc(R.second.getEnd()), L);
      });
    };
    std::string Coro = tlm::functionName(FD, SM);
    tlm::forEachUserStmt(Body, [&](const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      if (!E || !isa<CallExpr, CXXConstructExpr>(E))
        return;
      std::optional<tlm::BlockingCall> Direct =
          tlm::classifyBlockingCall(E, BlockingCfg);
      if (Direct && Direct->Kind == tlm::BlockKind::Future)
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
          if (isZeroTimeoutPoll(MC) || KnownReady(MC))
            return;
      // Descriptors in non-blocking mode: an event loop's read after a
      // readiness co_await, a send(..., MSG_DONTWAIT).
      if (Direct && Direct->Kind == tlm::BlockKind::IO && NonBlockingIO &&
          isDescriptorIO(Direct->Name))
        return;
      if (Direct && Direct->Kind == tlm::BlockKind::IO)
        if (const auto *C = dyn_cast<CallExpr>(E))
          for (const Expr *A : C->arguments())
            if (spells(A, "MSG_DONTWAIT", Ctx))
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
