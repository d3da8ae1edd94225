//===--- CvWaitWithoutPredicateCheck.cpp ----------------------------------===//
//
// A condition variable's wait may return with nothing notified (a spurious
// wakeup), and a notification sent before the wait began is not saved. A
// wait is only correct inside a loop that re-checks the condition it waits
// for - or in the overloads that take the condition as a predicate and loop
// themselves. Reported: std::condition_variable(_any) wait / wait_for /
// wait_until without a predicate, pthread_cond_wait / pthread_cond_timedwait
// and C11 cnd_wait / cnd_timedwait, when no loop around them re-checks a
// condition: straight-line code, an if (a spurious wakeup passes it), an
// endless loop with no conditional exit. Silent: the predicate overloads,
// loops with a condition (while, do-while, for), endless loops whose body
// has an if that leaves or restarts the loop, waits inside a loop's
// condition, and wait helpers every caller of which calls them in such a
// loop. (clang-tidy's bugprone-spuriously-wake-up-functions looks only at
// waits nested in an if.)
//
//===----------------------------------------------------------------------===//

#include "CvWaitWithoutPredicateCheck.h"
#include "model/CondVars.h"
#include "model/HeldLocks.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

bool alwaysTrue(const Expr *Cond, ASTContext &Ctx) {
  if (!Cond)
    return true;
  if (Cond->isValueDependent())
    return false;
  bool Value = false;
  return Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
}

/// Whether \p Body has an if whose branch leaves or restarts the loop.
bool hasConditionalExit(const Stmt *Body) {
  bool Found = false;
  tlm::forEachStmt(Body, [&](const Stmt *S) {
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If || Found)
      return;
    for (const Stmt *Branch : {If->getThen(), If->getElse()})
      tlm::forEachStmt(Branch, [&](const Stmt *T) {
        if (isa<BreakStmt, ContinueStmt, ReturnStmt, GotoStmt, CXXThrowExpr>(T))
          Found = true;
        else if (const auto *C = dyn_cast<CallExpr>(T))
          if (const FunctionDecl *F = C->getDirectCallee())
            Found |= F->isNoReturn();
      });
  });
  return Found;
}

enum class Loop { None, Rechecks, Endless };

bool alwaysFalse(const Expr *Cond, ASTContext &Ctx) {
  if (!Cond || Cond->isValueDependent())
    return false;
  bool Value = true;
  return Cond->EvaluateAsBooleanCondition(Value, Ctx) && !Value;
}

/// The loops around \p S (within its function): one re-checks a
/// condition, or there are only endless ones, or none.
Loop loopAround(const Stmt *S, ASTContext &Ctx) {
  Loop Found = Loop::None;
  const Stmt *Child = S;
  for (const Stmt *P = tlm::parentStmt(S, Ctx); P;
       Child = P, P = tlm::parentStmt(P, Ctx)) {
    if (isa<LambdaExpr>(P))
      return Found;
    const Expr *Cond = nullptr;
    const Stmt *Body = nullptr;
    if (const auto *W = dyn_cast<WhileStmt>(P)) {
      Cond = W->getCond();
      Body = W->getBody();
    } else if (const auto *D = dyn_cast<DoStmt>(P)) {
      Cond = D->getCond();
      Body = D->getBody();
    } else if (const auto *F = dyn_cast<ForStmt>(P)) {
      Cond = F->getCond();
      Body = F->getBody();
    } else if (isa<CXXForRangeStmt>(P)) {
      return Loop::Rechecks;
    } else {
      continue;
    }
    // do { ... } while (0): a macro's statement wrapper, not a loop.
    if (alwaysFalse(Cond, Ctx))
      continue;
    if (Child != Body)
      return Loop::Rechecks; // the wait is in the loop's condition
    if (!alwaysTrue(Cond, Ctx) || hasConditionalExit(Body))
      return Loop::Rechecks;
    Found = Loop::Endless;
  }
  return Found;
}

bool underIf(const Stmt *S, ASTContext &Ctx) {
  for (const Stmt *P = tlm::parentStmt(S, Ctx); P; P = tlm::parentStmt(P, Ctx))
    if (isa<IfStmt, SwitchStmt, ConditionalOperator>(P))
      return true;
    else if (isa<LambdaExpr>(P))
      return false;
  return false;
}

bool inRecheckingLoop(const Stmt *S, ASTContext &Ctx) {
  return loopAround(S, Ctx) == Loop::Rechecks;
}

std::string text(const Expr *E, const ASTContext &Ctx) {
  return Lexer::getSourceText(
             CharSourceRange::getTokenRange(E->getSourceRange()),
             Ctx.getSourceManager(), Ctx.getLangOpts())
      .str();
}

} // namespace

void CvWaitWithoutPredicateCheck::checkModel(tlm::TUModel &Model,
                                             ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  // Call sites of each function, for wait helpers.
  llvm::DenseMap<const FunctionDecl *, std::vector<const Expr *>> CallsOf;
  for (const FunctionDecl *FD : Model.functions())
    if (const tlm::FunctionLocks *FL = Model.locks(FD))
      for (const tlm::CallSite &C : FL->Calls)
        if (C.Callee)
          CallsOf[C.Callee].push_back(C.Call);

  for (const FunctionDecl *FD : Model.functions()) {
    tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      if (!E)
        return;
      std::optional<tlm::CvWait> W = tlm::recognizeCvWait(E, Ctx);
      if (!W || W->Pred)
        return;
      Loop Around = loopAround(E, Ctx);
      if (Around == Loop::Rechecks)
        return;
      // A wait helper (void Wait() { cv_.wait(lk); }): judged at its
      // callers, each of which must wait in a loop.
      auto It = CallsOf.find(FD);
      if (Around == Loop::None && It != CallsOf.end() && !It->second.empty()) {
        for (const Expr *Call : It->second) {
          if (inRecheckingLoop(Call, Ctx))
            continue;
          SourceLocation Loc = SM.getExpansionLoc(Call->getBeginLoc());
          if (!firstAt(Loc))
            continue;
          diag(Loc, "'%0' waits on '%1' (line %2) and is not in a loop that "
                    "re-checks its condition: a spurious wakeup returns from "
                    "it with the condition still false, and a notification "
                    "sent before the wait began is lost; call it in a loop: "
                    "while (!<condition>) %0(...);")
              << tlm::functionName(FD, SM) << W->Spelling
              << SM.getExpansionLineNumber(E->getBeginLoc());
          diag(SM.getExpansionLoc(E->getBeginLoc()), "'%0' waits here",
               DiagnosticIDs::Note)
              << W->Spelling;
        }
        return;
      }
      // A condition variable wrapper's Wait() (LevelDB's port::CondVar,
      // Chromium's ConditionVariable) whose callers are elsewhere: it waits
      // unconditionally on a lock its caller took; the callers loop.
      const tlm::FunctionLocks *FL = Model.locks(FD);
      if (Around == Loop::None && It == CallsOf.end() && FL && FL->Analysed &&
          FL->Acquisitions.empty() && !underIf(E, Ctx))
        return;
      SourceLocation Loc = SM.getExpansionLoc(E->getBeginLoc());
      if (!firstAt(Loc))
        return;
      std::string Hint;
      const auto *Call = dyn_cast<CallExpr>(E);
      if (W->C) {
        std::string Args;
        for (unsigned I = 0; I < Call->getNumArgs(); ++I)
          Args += (I ? ", " : "") + text(Call->getArg(I), Ctx);
        Hint = "wait in a loop: while (!<condition>) " + W->Spelling + "(" +
               Args + ");";
      } else {
        std::string Args;
        for (unsigned I = 0; I < Call->getNumArgs(); ++I)
          Args += text(Call->getArg(I), Ctx) + ", ";
        Hint = "use the overload with a predicate: " + W->Spelling + "(" +
               Args + "[&] { return <condition>; })";
      }
      diag(Loc, "'%0' is not in a loop that re-checks its condition: a "
                "spurious wakeup returns from it with the condition still "
                "false, and a notification sent before the wait began is "
                "lost; %1")
          << W->Spelling << Hint;
    });
  }
}

} // namespace clang::tidy::threadlint
