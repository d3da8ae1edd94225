//===--- SignalHandlerUnsafeCallCheck.cpp ---------------------------------===//
//
// A signal interrupts the thread that receives it anywhere: inside malloc,
// inside printf, while it holds a mutex. A handler that calls one of those
// functions again re-enters code whose locks its own thread already holds
// (a deadlock) or whose state is half updated. POSIX lists the functions a
// handler may call (async-signal-safe, model/LibraryCalls.h); everything
// else in the C and C++ libraries is off limits, and so are new/delete and
// the constructors of library classes that allocate or lock.
//
// Handlers are the functions (or captureless lambdas) installed with
// signal() / std::signal() or stored in a struct sigaction's sa_handler /
// sa_sigaction. Their bodies, and the bodies of the functions of this TU
// they call, are searched; each unsafe call is reported once, with the
// call chain from the handler. Calls through pointers and to project
// functions without a body here are not guessed. Lock-free std::atomic
// operations and writes to volatile sig_atomic_t are what a handler should
// do, and are silent.
//
//===----------------------------------------------------------------------===//

#include "SignalHandlerUnsafeCallCheck.h"
#include "model/LibraryCalls.h"
#include "model/Locks.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

struct Install {
  const FunctionDecl *Handler;
  SourceLocation At;
};

const FunctionDecl *handlerOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(DRE->getDecl());
  if (const auto *LE = dyn_cast<LambdaExpr>(E))
    return LE->getCallOperator();
  // A captureless lambda converted to a function pointer.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const auto *LE = dyn_cast<LambdaExpr>(
            MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
      return LE->getCallOperator();
  return nullptr;
}

bool isSigactionHandlerField(const Expr *E) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  if (!ME || !ME->getMemberDecl()->getIdentifier())
    return false;
  StringRef N = ME->getMemberDecl()->getName();
  return N == "sa_handler" || N == "sa_sigaction";
}

bool isSigactionType(QualType T) {
  const auto *RD = T->getAsRecordDecl();
  return RD && RD->getIdentifier() && RD->getName() == "sigaction";
}

/// The sigaction() call after \p Set (the handler stored in a struct
/// sigaction) in \p FD: where the handler is installed. \p Set's own place
/// when there is none.
SourceLocation installCall(const FunctionDecl *FD, const Stmt *Set,
                           const SourceManager &SM) {
  SourceLocation Out;
  SourceLocation From = SM.getExpansionLoc(Set->getBeginLoc());
  tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (Out.isValid() || !Call)
      return;
    const char *Name = tlm::libraryFunctionName(Call->getDirectCallee());
    if (Name && StringRef(Name) == "sigaction" &&
        SM.isBeforeInTranslationUnit(From,
                                     SM.getExpansionLoc(Call->getBeginLoc())))
      Out = Call->getBeginLoc();
  });
  return Out.isValid() ? Out : Set->getBeginLoc();
}

} // namespace

void SignalHandlerUnsafeCallCheck::checkModel(tlm::TUModel &Model,
                                              ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<Install> Installs;
  for (const FunctionDecl *FD : Model.functions())
    tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
      if (const auto *Call = dyn_cast<CallExpr>(S)) {
        const FunctionDecl *Callee = Call->getDirectCallee();
        const char *Name = tlm::libraryFunctionName(Callee);
        if (Name &&
            (StringRef(Name) == "signal" || StringRef(Name) == "sysv_signal" ||
             StringRef(Name) == "bsd_signal") &&
            Call->getNumArgs() == 2)
          if (const FunctionDecl *H = handlerOf(Call->getArg(1)))
            Installs.push_back({H, Call->getBeginLoc()});
        return;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
        if (BO->getOpcode() == BO_Assign &&
            isSigactionHandlerField(BO->getLHS()))
          if (const FunctionDecl *H = handlerOf(BO->getRHS()))
            Installs.push_back({H, installCall(FD, BO, SM)});
        return;
      }
      if (const auto *IL = dyn_cast<InitListExpr>(S)) {
        if (!isSigactionType(IL->getType()))
          return;
        // {.sa_handler = h}: the handler is in the (union) member's list.
        std::vector<const Expr *> Work(IL->inits().begin(), IL->inits().end());
        while (!Work.empty()) {
          const Expr *E = Work.back();
          Work.pop_back();
          if (!E)
            continue;
          if (const auto *Sub =
                  dyn_cast<InitListExpr>(E->IgnoreParenImpCasts()))
            Work.insert(Work.end(), Sub->inits().begin(), Sub->inits().end());
          else if (const FunctionDecl *H = handlerOf(E))
            Installs.push_back({H, installCall(FD, IL, SM)});
        }
      }
    });

  llvm::DenseSet<const FunctionDecl *> Done;
  for (const Install &I : Installs) {
    const FunctionDecl *Handler = I.Handler->getDefinition();
    if (!Handler || !Handler->hasBody() || !Done.insert(Handler).second)
      continue;
    std::string HName = tlm::functionName(Handler, SM);
    unsigned InstallLine = SM.getExpansionLineNumber(I.At);
    // Depth-first through the callees, keeping the chain for the notes.
    struct Step {
      const FunctionDecl *Fn;
      std::vector<std::pair<SourceLocation, std::string>> Chain;
    };
    llvm::DenseSet<const FunctionDecl *> Seen{Handler};
    std::vector<Step> Work{{Handler, {}}};
    while (!Work.empty()) {
      Step W = std::move(Work.back());
      Work.pop_back();
      std::vector<Step> Later;
      tlm::forEachStmt(W.Fn->getBody(), [&](const Stmt *S) {
        const FunctionDecl *Next = nullptr;
        std::string Why = tlm::signalUnsafeCall(S, Next);
        if (Next && Next->hasBody() && W.Chain.size() < 6 &&
            Seen.insert(Next).second) {
          Step N{Next, W.Chain};
          N.Chain.push_back({S->getBeginLoc(),
                             "'" + tlm::functionName(W.Fn, SM) + "' calls '" +
                                 tlm::functionName(Next, SM) + "'"});
          Later.push_back(std::move(N));
        }
        if (Why.empty())
          return;
        SourceLocation Loc = SM.getExpansionLoc(S->getBeginLoc());
        if (!firstAt(Loc))
          return;
        std::string Through =
            W.Chain.empty() ? ""
                            : " through '" + tlm::functionName(W.Fn, SM) + "'";
        diag(Loc, "%0 is not async-signal-safe and is called in signal "
                  "handler '%1'%2 (installed at line %3): if the signal "
                  "arrives while the interrupted code is inside it, or holds "
                  "a lock it takes, the program deadlocks or corrupts its "
                  "state; in a handler, only set a volatile sig_atomic_t or "
                  "lock-free atomic flag, or write() to a pipe, and do the "
                  "work outside it")
            << Why << HName << Through << InstallLine;
        diag(SM.getExpansionLoc(I.At), "signal handler '%0' is installed here",
             DiagnosticIDs::Note)
            << HName;
        for (const auto &[L, Text] : W.Chain)
          diag(SM.getExpansionLoc(L), "%0", DiagnosticIDs::Note) << Text;
      });
      for (Step &N : llvm::reverse(Later))
        Work.push_back(std::move(N));
    }
  }
}

} // namespace clang::tidy::threadlint
