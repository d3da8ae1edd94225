//===--- ForkInThreadedProgramCheck.cpp -----------------------------------===//
//
// fork() copies the calling thread only. Every lock another thread held at
// that instant - inside malloc, stdio, the program's own mutexes - stays
// locked in the child with nobody to release it, so until it calls exec the
// child may only call async-signal-safe functions (POSIX says so in as many
// words). Reported: a fork() the model places in a thread or alongside one
// (model/Accesses.h: threadContext) whose child branch calls anything else
// before exec*/_exit, directly or in a function of this TU it calls. The
// child branch is the one where fork() returned 0: if (pid == 0), if (!pid),
// if (fork() == 0), if ((pid = fork()) == 0), switch (pid) { case 0: },
// the else of if (pid != 0) / if (pid > 0). Silent when no thread runs yet
// (or any more), when the child only calls async-signal-safe functions
// before exec, and when the child branch cannot be told.
//
//===----------------------------------------------------------------------===//

#include "ForkInThreadedProgramCheck.h"
#include "model/Accesses.h"
#include "model/LibraryCalls.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include <cstring>

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

bool isZero(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent())
    return false;
  Expr::EvalResult R;
  return E->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 0;
}

/// Whether \p E is the fork's result: the call itself, the variable it was
/// stored in, or an assignment of it.
bool isPid(const Expr *E, const CallExpr *Fork, const VarDecl *Pid) {
  E = E->IgnoreParenImpCasts();
  if (E == Fork)
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return Pid && DRE->getDecl() == Pid;
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    if (BO->getOpcode() == BO_Assign)
      return isPid(BO->getRHS(), Fork, Pid);
  return false;
}

/// How a condition tests the fork's result: true on the child's side
/// (pid == 0, !pid), false on the parent's (pid != 0, pid > 0), or none.
std::optional<bool> childOnTrue(const Expr *Cond, const CallExpr *Fork,
                                const VarDecl *Pid, const ASTContext &Ctx) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    if (UO->getOpcode() == UO_LNot && isPid(UO->getSubExpr(), Fork, Pid))
      return true;
  if (isPid(Cond, Fork, Pid))
    return false;
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO)
    return std::nullopt;
  const Expr *Other = nullptr;
  bool PidLeft = isPid(BO->getLHS(), Fork, Pid);
  if (PidLeft)
    Other = BO->getRHS();
  else if (isPid(BO->getRHS(), Fork, Pid))
    Other = BO->getLHS();
  if (!Other || !isZero(Other, Ctx))
    return std::nullopt;
  switch (BO->getOpcode()) {
  case BO_EQ:
    return true;
  case BO_NE:
    return false;
  case BO_GT:
    return PidLeft ? std::optional<bool>(false) : std::nullopt;
  case BO_LT:
    return PidLeft ? std::nullopt : std::optional<bool>(false);
  default:
    return std::nullopt;
  }
}

/// The statements the child runs: the branch of the first test of the
/// fork's result after it.
std::vector<const Stmt *> childCode(const FunctionDecl *FD,
                                    const CallExpr *Fork, const VarDecl *Pid,
                                    const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<const Stmt *> Out;
  bool Found = false;
  SourceLocation ForkLoc = SM.getExpansionLoc(Fork->getBeginLoc());
  tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
    // The test may contain the fork itself: if (fork() == 0).
    if (Found || SM.isBeforeInTranslationUnit(
                     SM.getExpansionLoc(S->getEndLoc()), ForkLoc))
      return;
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      if (!If->getCond())
        return;
      std::optional<bool> Child = childOnTrue(If->getCond(), Fork, Pid, Ctx);
      if (!Child)
        return;
      Found = true;
      if (const Stmt *B = *Child ? If->getThen() : If->getElse())
        Out.push_back(B);
      return;
    }
    if (const auto *Sw = dyn_cast<SwitchStmt>(S)) {
      if (!Sw->getCond() || !isPid(Sw->getCond(), Fork, Pid))
        return;
      Found = true;
      const auto *Body = dyn_cast_or_null<CompoundStmt>(Sw->getBody());
      if (!Body)
        return;
      bool In = false;
      for (const Stmt *C : Body->body()) {
        const Stmt *Inner = C;
        while (const auto *Case = dyn_cast<CaseStmt>(Inner)) {
          if (isZero(Case->getLHS(), Ctx))
            In = true;
          Inner = Case->getSubStmt();
        }
        if (In && isa<BreakStmt>(Inner))
          break;
        if (In)
          Out.push_back(Inner);
      }
    }
  });
  return Out;
}

struct Unsafe {
  const Stmt *At = nullptr;
  std::string Why;
  std::vector<std::pair<SourceLocation, std::string>> Chain;
};

/// Whether the statement \p S is itself a call that ends the child.
bool endsChild(const Stmt *S) {
  if (const auto *E = dyn_cast<Expr>(S))
    if (const auto *C = dyn_cast<CallExpr>(E->IgnoreImplicit()))
      return tlm::endsChildProcess(C->getDirectCallee());
  return false;
}

/// The first call in \p Code (in order) that is not async-signal-safe,
/// before a statement that ends the child (exec, _exit: one on the main
/// path, not under an if). Sets \p Ended when the search stopped there.
std::optional<Unsafe> firstUnsafe(llvm::ArrayRef<const Stmt *> Code,
                                  bool &Ended, int Depth,
                                  const SourceManager &SM) {
  std::optional<Unsafe> Found;
  for (const Stmt *Top : Code) {
    if (const auto *CS = dyn_cast<CompoundStmt>(Top)) {
      std::vector<const Stmt *> Inner(CS->body_begin(), CS->body_end());
      Found = firstUnsafe(Inner, Ended, Depth, SM);
      if (Found || Ended)
        break;
      continue;
    }
    if (endsChild(Top)) {
      Ended = true;
      break;
    }
    tlm::forEachStmt(Top, [&](const Stmt *S) {
      if (Found || Ended)
        return;
      if (const auto *C = dyn_cast<CallExpr>(S))
        if (tlm::endsChildProcess(C->getDirectCallee()))
          return; // a conditional exit: the child may go on
      const FunctionDecl *Next = nullptr;
      std::string Why = tlm::signalUnsafeCall(S, Next);
      if (!Why.empty()) {
        Found = Unsafe{S, Why, {}};
        return;
      }
      if (Next && Next->hasBody() && Depth < 3) {
        bool InnerEnded = false;
        std::optional<Unsafe> Inner =
            firstUnsafe({Next->getBody()}, InnerEnded, Depth + 1, SM);
        if (Inner) {
          Inner->Chain.insert(
              Inner->Chain.begin(),
              {S->getBeginLoc(),
               "the child calls '" + tlm::functionName(Next, SM) + "'"});
          Found = std::move(Inner);
        } else if (InnerEnded) {
          Ended = true; // the callee execs
        }
      }
    });
    if (Found || Ended)
      break;
  }
  return Found;
}

} // namespace

void ForkInThreadedProgramCheck::checkModel(tlm::TUModel &Model,
                                            ASTContext &Ctx) {
  const tlm::SharedAccesses &Acc = Model.accesses();
  if (Acc.entries().empty())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *FD : Model.functions()) {
    tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
      const auto *Fork = dyn_cast<CallExpr>(S);
      if (!Fork)
        return;
      const char *Name = tlm::libraryFunctionName(Fork->getDirectCallee());
      if (!Name || StringRef(Name) != "fork")
        return;
      std::optional<tlm::ThreadContext> In = Acc.threadContext(FD, Fork);
      if (!In)
        return;
      // Where the result goes: pid_t pid = fork(); or pid = fork();
      const VarDecl *Pid = nullptr;
      tlm::forEachStmt(FD->getBody(), [&](const Stmt *P) {
        if (const auto *DS = dyn_cast<DeclStmt>(P)) {
          for (const Decl *D : DS->decls())
            if (const auto *VD = dyn_cast<VarDecl>(D))
              if (VD->getInit() && VD->getInit()->IgnoreParenImpCasts() == Fork)
                Pid = VD;
        } else if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
          if (BO->getOpcode() == BO_Assign &&
              BO->getRHS()->IgnoreParenImpCasts() == Fork)
            if (const auto *DRE =
                    dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
              Pid = dyn_cast<VarDecl>(DRE->getDecl());
        }
      });
      std::vector<const Stmt *> Child = childCode(FD, Fork, Pid, Ctx);
      if (Child.empty())
        return;
      bool Ended = false;
      std::optional<Unsafe> U = firstUnsafe(Child, Ended, 0, SM);
      if (!U)
        return;
      SourceLocation Loc = SM.getExpansionLoc(Fork->getBeginLoc());
      if (!firstAt(Loc))
        return;
      // "it runs in thread 'w'" / "thread 'w' may run".
      std::string Threads = In->RunsIt ? "it runs " + In->Text
                                       : In->Text.substr(std::strlen("while "));
      diag(Loc, "'fork()' is called while other threads may run (%0) and the "
                "child calls %1 (line %2) before exec: a lock another thread "
                "held at the fork (in malloc, stdio or the program's own "
                "mutexes) stays locked forever in the child; call only "
                "async-signal-safe functions between fork and exec, fork "
                "before starting threads, or use posix_spawn")
          << Threads << U->Why
          << SM.getExpansionLineNumber(U->At->getBeginLoc());
      if (In->Start.isValid())
        diag(SM.getExpansionLoc(In->Start), "the thread is started here",
             DiagnosticIDs::Note);
      for (const auto &[L, Text] : In->Path)
        diag(SM.getExpansionLoc(L), "%0", DiagnosticIDs::Note) << Text;
      for (const auto &[L, Text] : U->Chain)
        diag(SM.getExpansionLoc(L), "%0", DiagnosticIDs::Note) << Text;
      diag(SM.getExpansionLoc(U->At->getBeginLoc()), "the child calls %0 here",
           DiagnosticIDs::Note)
          << U->Why;
    });
  }
}

} // namespace clang::tidy::threadlint
