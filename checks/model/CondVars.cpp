//===--- CondVars.cpp -----------------------------------------------------===//

#include "CondVars.h"
#include "Locks.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace threadlint::model {

namespace {

bool isCvClass(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  std::string N = qualifiedName(RD);
  return N == "std::condition_variable" || N == "std::condition_variable_any" ||
         N == "std::_V2::condition_variable_any" ||
         N == "boost::condition_variable" ||
         N == "boost::condition_variable_any";
}

std::string spelling(const Expr *Callee, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange R = CharSourceRange::getTokenRange(Callee->getSourceRange());
  StringRef Text = Lexer::getSourceText(R, SM, Ctx.getLangOpts());
  std::string Out;
  for (char Ch : Text)
    if (!isspace(static_cast<unsigned char>(Ch)))
      Out += Ch;
  return Out;
}

const FunctionDecl *directCallee(const Expr *E) {
  if (const auto *CE = dyn_cast<CallExpr>(E))
    return CE->getDirectCallee();
  return nullptr;
}

} // namespace

const ValueDecl *namedObject(const Expr *E) {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl();
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
        return nullptr;
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
      E = ASE->getBase();
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

std::optional<CvWait> recognizeCvWait(const Expr *E, const ASTContext &Ctx) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier() || !isCvClass(M->getParent()))
      return std::nullopt;
    StringRef Name = M->getName();
    unsigned N = MC->getNumArgs();
    CvWait W;
    if (Name == "wait") {
      W.Pred = N >= 2 ? MC->getArg(N - 1) : nullptr;
    } else if (Name == "wait_for" || Name == "wait_until") {
      W.Timed = true;
      W.Pred = N >= 3 ? MC->getArg(N - 1) : nullptr;
    } else {
      return std::nullopt;
    }
    if (N == 0)
      return std::nullopt;
    W.Call = E;
    W.Cv = MC->getImplicitObjectArgument();
    W.CvDecl = namedObject(W.Cv);
    W.Lock = MC->getArg(0);
    W.Spelling = spelling(MC->getCallee(), Ctx);
    return W;
  }
  const FunctionDecl *FD = directCallee(E);
  if (!FD || !FD->getIdentifier() ||
      !FD->getDeclContext()->getRedeclContext()->isFileContext())
    return std::nullopt;
  StringRef Name = FD->getName();
  const auto *CE = cast<CallExpr>(E);
  if (CE->getNumArgs() < 2)
    return std::nullopt;
  CvWait W;
  if (Name == "pthread_cond_timedwait" || Name == "cnd_timedwait" ||
      Name == "pthread_cond_clockwait")
    W.Timed = true;
  else if (Name != "pthread_cond_wait" && Name != "cnd_wait")
    return std::nullopt;
  W.C = true;
  W.Call = E;
  W.Cv = CE->getArg(0);
  W.CvDecl = namedObject(W.Cv);
  W.Lock = CE->getArg(1);
  W.Spelling = Name.str();
  return W;
}

std::optional<CvNotify> recognizeCvNotify(const Expr *E,
                                          const ASTContext &Ctx) {
  CvNotify Out;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier() || !isCvClass(M->getParent()) ||
        (M->getName() != "notify_one" && M->getName() != "notify_all"))
      return std::nullopt;
    Out.Call = E;
    Out.Cv = MC->getImplicitObjectArgument();
    Out.Spelling = spelling(MC->getCallee(), Ctx);
  } else {
    const FunctionDecl *FD = directCallee(E);
    if (!FD || !FD->getIdentifier() ||
        !FD->getDeclContext()->getRedeclContext()->isFileContext())
      return std::nullopt;
    StringRef Name = FD->getName();
    if (Name != "pthread_cond_signal" && Name != "pthread_cond_broadcast" &&
        Name != "cnd_signal" && Name != "cnd_broadcast")
      return std::nullopt;
    const auto *CE = cast<CallExpr>(E);
    if (CE->getNumArgs() < 1)
      return std::nullopt;
    Out.Call = E;
    Out.Cv = CE->getArg(0);
    Out.Spelling = Name.str();
  }
  Out.CvDecl = namedObject(Out.Cv);
  return Out;
}

} // namespace threadlint::model
