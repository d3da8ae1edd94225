//===--- DiscardedFutureCheck.cpp -----------------------------------------===//
//
// Three ways to lose the concurrency std::async and coroutines promise:
// - The future std::async returns is discarded: its destructor waits for
//   the task, so `std::async(std::launch::async, f);` runs f synchronously
//   (a deferred one never runs at all).
// - A loop starts a task and waits for it in the same iteration
//   (`auto f = std::async(...); f.get();`, `std::async(...).get()`): the
//   "parallel" fan-out runs one task after another.
// - A coroutine returning a lazily started task is called and its result
//   discarded: it never runs (the C++ form of "coroutine was never
//   awaited").
// Silent: futures kept and consumed after the loop (in a container),
// eager tasks, tasks awaited or stored, futures of promises.
//
//===----------------------------------------------------------------------===//

#include "DiscardedFutureCheck.h"
#include "model/Coroutines.h"
#include "model/Locks.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

const CallExpr *asyncCall(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreImplicit()->IgnoreParens();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    if (CE->getNumArgs() == 1) // a move of the temporary
      E = CE->getArg(0)->IgnoreImplicit()->IgnoreParens();
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || !Call->getDirectCallee())
    return nullptr;
  return tlm::qualifiedName(Call->getDirectCallee()) == "std::async" ? Call
                                                                     : nullptr;
}

bool deferred(const CallExpr *Async) {
  if (Async->getNumArgs() < 2)
    return false;
  const Expr *Policy = Async->getArg(0)->IgnoreParenImpCasts();
  if (!Policy->getType()->isEnumeralType())
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Policy))
    return DRE->getDecl()->getName() == "deferred";
  return false;
}

/// The statement \p E is the value of once wrappers (temporaries, casts to
/// void, parentheses) are stripped: a discarded value has a statement, not
/// an expression, above it.
bool discarded(const Expr *E, ASTContext &Ctx) {
  const Stmt *Cur = E;
  while (true) {
    DynTypedNodeList P = Ctx.getParents(*Cur);
    if (P.empty())
      return false;
    const Stmt *Parent = P[0].get<Stmt>();
    if (!Parent)
      return false; // an initialiser of a declaration
    if (isa<ExprWithCleanups, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
            ParenExpr, ImplicitCastExpr>(Parent)) {
      Cur = Parent;
      continue;
    }
    if (const auto *Cast = dyn_cast<ExplicitCastExpr>(Parent)) {
      if (Cast->getType()->isVoidType())
        return true;
      return false;
    }
    if (isa<Expr>(Parent))
      return false;
    if (isa<ReturnStmt, DeclStmt, CoreturnStmt>(Parent))
      return false;
    // A statement: the value of an expression statement is dropped, but not
    // a loop's or an if's condition.
    if (const auto *If = dyn_cast<IfStmt>(Parent))
      return If->getCond() != Cur;
    if (const auto *W = dyn_cast<WhileStmt>(Parent))
      return W->getCond() != Cur;
    if (const auto *F = dyn_cast<ForStmt>(Parent))
      return F->getCond() != Cur;
    if (const auto *D = dyn_cast<DoStmt>(Parent))
      return D->getCond() != Cur;
    if (const auto *Sw = dyn_cast<SwitchStmt>(Parent))
      return Sw->getCond() != Cur;
    return true;
  }
}

/// The innermost loop body \p S sits in, within its function.
const Stmt *loopBodyOf(const Stmt *S, ASTContext &Ctx) {
  const Stmt *Child = S;
  while (true) {
    DynTypedNodeList P = Ctx.getParents(*Child);
    if (P.empty())
      return nullptr;
    const Stmt *Parent = P[0].get<Stmt>();
    if (!Parent) {
      // A variable's initialiser: go on from its declaration statement.
      if (const auto *VD = P[0].get<VarDecl>()) {
        DynTypedNodeList Q = Ctx.getParents(*VD);
        if (Q.empty() || !Q[0].get<Stmt>())
          return nullptr;
        Child = Q[0].get<Stmt>();
        continue;
      }
      return nullptr;
    }
    if (isa<LambdaExpr>(Parent))
      return nullptr;
    if (const auto *W = dyn_cast<WhileStmt>(Parent); W && W->getBody() == Child)
      return Child;
    if (const auto *D = dyn_cast<DoStmt>(Parent); D && D->getBody() == Child)
      return Child;
    if (const auto *F = dyn_cast<ForStmt>(Parent); F && F->getBody() == Child)
      return Child;
    if (const auto *R = dyn_cast<CXXForRangeStmt>(Parent);
        R && R->getBody() == Child)
      return Child;
    Child = Parent;
  }
}

bool contains(const Stmt *Outer, const Stmt *Inner, const SourceManager &SM) {
  SourceRange R = Outer->getSourceRange();
  SourceLocation L = SM.getExpansionLoc(Inner->getBeginLoc());
  return !SM.isBeforeInTranslationUnit(L, SM.getExpansionLoc(R.getBegin())) &&
         !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(R.getEnd()), L);
}

/// Whether the loop body does other work between the declaration of the
/// future \p F and the wait \p Wait (prefetching: the task overlaps it).
bool overlaps(const Stmt *Body, const VarDecl *F, const Stmt *Wait,
              const SourceManager &SM) {
  const auto *CS = dyn_cast<CompoundStmt>(Body);
  if (!CS)
    return false;
  SourceLocation From = SM.getExpansionLoc(F->getEndLoc());
  SourceLocation To = SM.getExpansionLoc(Wait->getBeginLoc());
  for (const Stmt *S : CS->body()) {
    SourceLocation B = SM.getExpansionLoc(S->getBeginLoc());
    if (!SM.isBeforeInTranslationUnit(From, B) ||
        !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(S->getEndLoc()), To))
      continue;
    bool Work = false;
    tlm::forEachStmt(
        S, [&](const Stmt *X) { Work |= isa<CallExpr, CXXConstructExpr>(X); });
    if (Work)
      return true;
  }
  return false;
}

} // namespace

void DiscardedFutureCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  if (!Ctx.getLangOpts().CPlusPlus)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *FD : Model.functions()) {
    // Futures of std::async kept in locals declared in a loop body.
    llvm::DenseMap<const VarDecl *, std::pair<const CallExpr *, const Stmt *>>
        LoopFutures;
    llvm::DenseSet<const VarDecl *> Consumed;
    const Stmt *Body =
        tlm::coroutineBody(FD) ? tlm::coroutineBody(FD) : FD->getBody();
    tlm::forEachUserStmt(Body, [&](const Stmt *S) {
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (const CallExpr *A = asyncCall(VD->getInit()))
              if (const Stmt *Body = loopBodyOf(DS, Ctx))
                LoopFutures[VD] = {A, Body};
        return;
      }
      const auto *E = dyn_cast<Expr>(S);
      if (!E)
        return;
      // get()/wait() in the iteration that started the task.
      const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
      const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
      std::string Cls = M ? tlm::qualifiedName(M->getParent()) : "";
      if (M && M->getIdentifier() &&
          (M->getName() == "get" || M->getName() == "wait") &&
          (Cls == "std::future" || Cls == "std::shared_future" ||
           Cls == "std::__basic_future")) {
        const Expr *Obj = MC->getImplicitObjectArgument()->IgnoreImplicit();
        const CallExpr *Async = asyncCall(Obj);
        const VarDecl *Future = nullptr;
        if (!Async)
          if (const auto *DRE = dyn_cast<DeclRefExpr>(Obj->IgnoreParens()))
            if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
              auto It = LoopFutures.find(VD);
              if (It != LoopFutures.end() &&
                  contains(It->second.second, MC, SM) &&
                  !overlaps(It->second.second, VD, MC, SM)) {
                Async = It->second.first;
                Future = VD;
              }
            }
        // A deferred task runs inside get(): sequential by design. Each
        // future is reported at its first wait.
        if (!Async || deferred(Async) ||
            (Async == asyncCall(Obj) && !loopBodyOf(MC, Ctx)) ||
            (Future && !Consumed.insert(Future).second))
          return;
        SourceLocation Loc = SM.getExpansionLoc(MC->getExprLoc());
        if (!firstAt(Loc))
          return;
        std::string Call = M->getName().str();
        if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()))
          if (const auto *DRE =
                  dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
            Call = DRE->getDecl()->getNameAsString() +
                   (ME->isArrow() ? "->" : ".") + Call;
        diag(Loc, "'%0()' waits for the task started by 'std::async' in the "
                  "same loop iteration (line %1): the tasks run one after "
                  "another, not in parallel; start them all first, keep the "
                  "futures (in a std::vector), and get() them after the loop")
            << Call << SM.getExpansionLineNumber(Async->getBeginLoc());
        diag(SM.getExpansionLoc(Async->getBeginLoc()),
             "the task is started here", DiagnosticIDs::Note);
        return;
      }
      const auto *Call = dyn_cast<CallExpr>(E);
      if (!Call || !discarded(Call, Ctx))
        return;
      if (Call == asyncCall(Call)) {
        SourceLocation Loc = SM.getExpansionLoc(Call->getBeginLoc());
        if (!firstAt(Loc))
          return;
        if (deferred(Call))
          diag(Loc, "the std::future returned by 'std::async' is discarded: "
                    "the deferred task never runs; keep the future and "
                    "call get() where the result is needed");
        else
          diag(Loc, "the std::future returned by 'std::async' is discarded: "
                    "its destructor waits for the task, so this call runs "
                    "synchronously; keep the future and call get() after "
                    "the work that should overlap with it");
        return;
      }
      // A reference to a task kept elsewhere (v.emplace_back(task())) is
      // not a new task; a lambda coroutine called through operator() is.
      QualType Ret = Call->getCallReturnType(Ctx);
      if (Ret->isReferenceType() || !tlm::isLazyTaskType(Ret))
        return;
      SourceLocation Loc = SM.getExpansionLoc(Call->getBeginLoc());
      if (!firstAt(Loc))
        return;
      const FunctionDecl *Callee = Call->getDirectCallee();
      std::string Name;
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
        Name = Lexer::getSourceText(CharSourceRange::getTokenRange(
                                        Op->getArg(0)->getSourceRange()),
                                    SM, Ctx.getLangOpts())
                   .str();
      else
        Name = Callee ? tlm::functionName(Callee, SM) : "the call";
      diag(Loc, "the coroutine task returned by '%0' is discarded without "
                "being awaited: it starts suspended, so its body never runs; "
                "co_await it, or keep it and await it later")
          << Name;
    });
  }
}

} // namespace clang::tidy::threadlint
