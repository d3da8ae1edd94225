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
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

const Stmt *parentStmt(const Stmt *S, ASTContext &Ctx) {
  DynTypedNodeList P = Ctx.getParents(*S);
  if (P.empty())
    return nullptr;
  return P[0].get<Stmt>();
}

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
        if (isa<BreakStmt, ContinueStmt, ReturnStmt, GotoStmt, CXXThrowExpr>(
                T))
          Found = true;
        else if (const auto *C = dyn_cast<CallExpr>(T))
          if (const FunctionDecl *F = C->getDirectCallee())
            Found |= F->isNoReturn();
      });
  });
  return Found;
}

/// Whether a loop around \p S (within its function) re-checks a condition.
bool inRecheckingLoop(const Stmt *S, ASTContext &Ctx) {
  const Stmt *Child = S;
  for (const Stmt *P = parentStmt(S, Ctx); P;
       Child = P, P = parentStmt(P, Ctx)) {
    if (isa<LambdaExpr>(P))
      return false;
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
      return true;
    } else {
      continue;
    }
    if (Child != Body)
      return true; // the wait is in the loop's condition or increment
    if (!alwaysTrue(Cond, Ctx) || hasConditionalExit(Body))
      return true;
  }
  return false;
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
      if (!W || W->Pred || inRecheckingLoop(E, Ctx))
        return;
      // A wait helper: every caller waits in a loop.
      auto It = CallsOf.find(FD);
      if (It != CallsOf.end() && !It->second.empty() &&
          llvm::all_of(It->second, [&](const Expr *Call) {
            return inRecheckingLoop(Call, Ctx);
          }))
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
