//===--- Threads.cpp - thread entries, thread objects, their fates --------===//

#include "Threads.h"
#include "HeldLocks.h"
#include "Locks.h"
#include "Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <deque>

using namespace clang;

namespace threadlint::model {

const char *threadApiName(ThreadApi A) {
  switch (A) {
  case ThreadApi::StdThread:
    return "std::thread";
  case ThreadApi::JThread:
    return "std::jthread";
  case ThreadApi::BoostThread:
    return "boost::thread";
  case ThreadApi::Pthread:
    return "pthread_create";
  case ThreadApi::C11:
    return "thrd_create";
  case ThreadApi::Async:
    return "std::async";
  case ThreadApi::Pool:
    return "thread pool";
  }
  return "thread";
}

namespace {

std::string recordName(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *RD = T->getAsCXXRecordDecl())
    return qualifiedName(RD);
  return {};
}

/// Strips what does not change which object or callable an expression
/// denotes: implicit conversions, parentheses, temporaries, functional casts
/// and copies of a lambda.
const Expr *strip(const Expr *E) {
  while (E) {
    const Expr *Prev = E;
    E = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto *EW = dyn_cast<ExprWithCleanups>(E))
      E = EW->getSubExpr();
    else if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
             CE && CE->getNumArgs() == 1 && CE->getConstructor() &&
             (CE->getConstructor()->isCopyOrMoveConstructor()))
      E = CE->getArg(0);
    if (E == Prev)
      break;
  }
  return E;
}

const VarDecl *localVar(const Expr *E) {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage())
        return VD;
  return nullptr;
}

const LambdaExpr *lambdaOf(const Expr *Callable) {
  const Expr *E = strip(Callable);
  if (const auto *LE = dyn_cast_or_null<LambdaExpr>(E))
    return LE;
  // auto work = [&] { ... }; std::thread t(work);
  if (const VarDecl *VD = localVar(E))
    if (VD->getInit())
      return dyn_cast_or_null<LambdaExpr>(strip(VD->getInit()));
  return nullptr;
}

const FunctionDecl *entryOf(const Expr *Callable) {
  if (const LambdaExpr *LE = lambdaOf(Callable))
    return LE->getCallOperator();
  const Expr *E = strip(Callable);
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      E = strip(UO->getSubExpr());
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return FD->getDefinition() ? FD->getDefinition() : FD;
  if (!E)
    return nullptr;
  if (const auto *RD = E->getType()->getAsCXXRecordDecl())
    if (RD->hasDefinition())
      for (const CXXMethodDecl *M : RD->methods())
        if (M->getOverloadedOperator() == OO_Call)
          return M->getDefinition() ? M->getDefinition() : M;
  return nullptr;
}

bool isStdLaunch(QualType T) {
  return recordName(T).empty() && T->isEnumeralType() &&
         qualifiedName(T->getAsTagDecl()) == "std::launch";
}

} // namespace

std::optional<ThreadStart> recognizeThreadStart(const Expr *E,
                                                const ModelConfig &Config) {
  if (auto S = recognizeThreadStart(E))
    return S;
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  if (!Call || Config.ThreadStartFunctions.empty())
    return std::nullopt;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD ||
      !llvm::is_contained(Config.ThreadStartFunctions, qualifiedName(FD)))
    return std::nullopt;
  unsigned First = isa<CXXOperatorCallExpr>(Call) ? 1 : 0;
  for (unsigned I = First; I < Call->getNumArgs(); ++I) {
    // The task: a lambda, a function, or a functor (also wrapped in the
    // std::function the submit function takes).
    const Expr *A = strip(Call->getArg(I));
    if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(A);
        CE && CE->getNumArgs() == 1)
      A = strip(CE->getArg(0));
    if (!A)
      continue;
    if (const FunctionDecl *Entry = entryOf(A)) {
      ThreadStart S;
      S.Site = E;
      S.Api = ThreadApi::Pool;
      S.Callable = A;
      S.Entry = Entry;
      for (unsigned J = I + 1; J < Call->getNumArgs(); ++J)
        S.Args.push_back(Call->getArg(J));
      return S;
    }
  }
  return std::nullopt;
}

bool isTerminatingThreadType(QualType T) {
  std::string N = recordName(T);
  return N == "std::thread" || N == "boost::thread";
}

bool isJThreadType(QualType T) { return recordName(T) == "std::jthread"; }

bool isThreadContainerType(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *AT = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    return isTerminatingThreadType(AT->getElementType());
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  if (!Spec || !Spec->isInStdNamespace())
    return false;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  return Args.size() > 0 && Args[0].getKind() == TemplateArgument::Type &&
         isTerminatingThreadType(Args[0].getAsType());
}

bool holdsStdThreads(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *AT = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    return holdsStdThreads(AT->getElementType());
  if (recordName(T) == "std::thread")
    return true;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  if (!Spec || !Spec->isInStdNamespace())
    return false;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  return Args.size() > 0 && Args[0].getKind() == TemplateArgument::Type &&
         recordName(Args[0].getAsType()) == "std::thread";
}

std::optional<ThreadStart> recognizeThreadStart(const Expr *E) {
  if (!E)
    return std::nullopt;
  ThreadStart S;
  S.Site = E;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    QualType T = CE->getType();
    if (isTerminatingThreadType(T))
      S.Api = recordName(T) == "std::thread" ? ThreadApi::StdThread
                                             : ThreadApi::BoostThread;
    else if (isJThreadType(T))
      S.Api = ThreadApi::JThread;
    else
      return std::nullopt;
    if (CE->getNumArgs() == 0 ||
        (CE->getConstructor() &&
         CE->getConstructor()->isCopyOrMoveConstructor()))
      return std::nullopt;
    S.Callable = CE->getArg(0);
    for (unsigned I = 1; I < CE->getNumArgs(); ++I)
      S.Args.push_back(CE->getArg(I));
    S.Entry = entryOf(S.Callable);
    return S;
  }
  // threads.emplace_back(fn, args...): the container constructs the thread.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getDeclName().isIdentifier() || MC->getNumArgs() == 0)
      return std::nullopt;
    llvm::StringRef N = M->getName();
    if (N != "emplace_back" && N != "emplace_front" && N != "emplace")
      return std::nullopt;
    QualType Container = MC->getObjectType();
    const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        Container->getAsCXXRecordDecl());
    if (!Spec || !Spec->isInStdNamespace() ||
        Spec->getTemplateArgs().size() == 0 ||
        Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return std::nullopt;
    QualType Elem = Spec->getTemplateArgs()[0].getAsType();
    if (isTerminatingThreadType(Elem))
      S.Api = recordName(Elem) == "std::thread" ? ThreadApi::StdThread
                                                : ThreadApi::BoostThread;
    else if (isJThreadType(Elem))
      S.Api = ThreadApi::JThread;
    else
      return std::nullopt;
    unsigned First = N == "emplace" ? 1 : 0; // emplace(pos, fn, ...)
    if (MC->getNumArgs() <= First)
      return std::nullopt;
    const Expr *Callable = MC->getArg(First);
    // emplace_back(std::move(t)), emplace_back(std::thread(...)): a thread
    // handed over, started elsewhere.
    if (isTerminatingThreadType(Callable->getType()) ||
        isJThreadType(Callable->getType()))
      return std::nullopt;
    S.Callable = Callable;
    S.Container = MC->getImplicitObjectArgument();
    for (unsigned I = First + 1; I < MC->getNumArgs(); ++I)
      S.Args.push_back(MC->getArg(I));
    S.Entry = entryOf(S.Callable);
    return S;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || isa<CXXOperatorCallExpr>(Call))
    return std::nullopt;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return std::nullopt;
  llvm::StringRef Name = FD->getName();
  if (Name == "pthread_create" && Call->getNumArgs() == 4 && FD->isExternC()) {
    S.Api = ThreadApi::Pthread;
    S.IdArg = Call->getArg(0);
    S.AttrArg = Call->getArg(1);
    S.Callable = Call->getArg(2);
    S.Args.push_back(Call->getArg(3));
  } else if (Name == "thrd_create" && Call->getNumArgs() == 3 &&
             FD->isExternC()) {
    S.Api = ThreadApi::C11;
    S.IdArg = Call->getArg(0);
    S.Callable = Call->getArg(1);
    S.Args.push_back(Call->getArg(2));
  } else if (Name == "async" && qualifiedName(FD) == "std::async" &&
             Call->getNumArgs() >= 1) {
    S.Api = ThreadApi::Async;
    unsigned First = 0;
    if (isStdLaunch(Call->getArg(0)->getType())) {
      // launch::deferred alone runs the callable in the caller's thread.
      const Expr *P = Call->getArg(0)->IgnoreParenImpCasts();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(P))
        if (DRE->getDecl()->getName() == "deferred")
          return std::nullopt;
      First = 1;
    }
    if (Call->getNumArgs() <= First)
      return std::nullopt;
    S.Callable = Call->getArg(First);
    for (unsigned I = First + 1; I < Call->getNumArgs(); ++I)
      S.Args.push_back(Call->getArg(I));
  } else {
    return std::nullopt;
  }
  S.Entry = entryOf(S.Callable);
  return S;
}

std::vector<Borrow> borrowedLocals(const ThreadStart &S) {
  std::vector<Borrow> Out;
  auto OwnsItsStorage = [](const VarDecl *VD) {
    // A reference refers to someone else's object: whether that outlives
    // the thread is not visible here.
    return !VD->hasLocalStorage() || VD->getType()->isReferenceType();
  };
  if (const LambdaExpr *LE = lambdaOf(S.Callable)) {
    // [this, self = shared_from_this()]: the copy keeps the object alive.
    bool KeepsThisAlive = false;
    const CXXRecordDecl *ThisClass = nullptr;
    if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(
            LE->getLambdaClass()->getDeclContext()))
      ThisClass = MD->getParent();
    for (const LambdaCapture &C : LE->captures())
      if (ThisClass && C.capturesVariable() && C.getCaptureKind() == LCK_ByCopy)
        if (const ValueDecl *V = C.getCapturedVar()) {
          std::string T = recordName(V->getType());
          const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
              V->getType().getNonReferenceType()->getAsCXXRecordDecl());
          if ((T != "std::shared_ptr" && T != "boost::shared_ptr") || !Spec ||
              Spec->getTemplateArgs().size() < 1 ||
              Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
            continue;
          const CXXRecordDecl *Pointee =
              Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
          if (Pointee &&
              (Pointee->getCanonicalDecl() == ThisClass->getCanonicalDecl() ||
               (ThisClass->hasDefinition() &&
                ThisClass->isDerivedFrom(Pointee)) ||
               (Pointee->hasDefinition() && Pointee->isDerivedFrom(ThisClass))))
            KeepsThisAlive = true;
        }
    for (const LambdaCapture &C : LE->captures()) {
      if (C.capturesThis()) {
        if (KeepsThisAlive)
          continue;
        if (C.getCaptureKind() == LCK_This)
          Out.push_back({C.getLocation(),
                         C.isImplicit() ? "captures 'this' implicitly"
                                        : "captures 'this'",
                         nullptr});
        continue;
      }
      if (!C.capturesVariable() || C.getCaptureKind() != LCK_ByRef)
        continue;
      const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar());
      if (!VD || OwnsItsStorage(VD))
        continue;
      Out.push_back({C.getLocation(),
                     "captures local '" + VD->getName().str() +
                         "' by reference" + (C.isImplicit() ? " ([&])" : ""),
                     VD});
    }
  }
  for (const Expr *A : S.Args) {
    const Expr *E = A->IgnoreParenCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr()->IgnoreParenCasts();
    if (isa<CXXThisExpr>(E)) {
      Out.push_back({A->getBeginLoc(), "receives 'this'", nullptr});
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf) {
      if (const VarDecl *VD = localVar(UO->getSubExpr()->IgnoreParens()))
        if (!OwnsItsStorage(VD))
          Out.push_back(
              {A->getBeginLoc(),
               "receives the address of local '" + VD->getName().str() + "'",
               VD});
      continue;
    }
    // A local array, passed by name: it decays to a pointer to its first
    // element (at the call, or when std::thread decay-copies it).
    if (const VarDecl *VD = localVar(E))
      if (VD->getType()->isArrayType() && !OwnsItsStorage(VD)) {
        Out.push_back({A->getBeginLoc(),
                       "receives local array '" + VD->getName().str() + "'",
                       VD});
        continue;
      }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      std::string N = FD ? qualifiedName(FD) : "";
      if ((N == "std::ref" || N == "std::cref") && Call->getNumArgs() == 1) {
        if (const VarDecl *VD =
                localVar(Call->getArg(0)->IgnoreParenImpCasts()))
          if (!OwnsItsStorage(VD))
            Out.push_back({A->getBeginLoc(),
                           "receives a reference to local '" +
                               VD->getName().str() + "' (" + N + ")",
                           VD});
        continue;
      }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
        if (FD && FD->getDeclName().isIdentifier() &&
            (FD->getName() == "data" || FD->getName() == "c_str"))
          if (const VarDecl *VD = localVar(
                  MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
            if (!OwnsItsStorage(VD))
              Out.push_back({A->getBeginLoc(),
                             "receives a pointer into local '" +
                                 VD->getName().str() + "'",
                             VD});
    }
  }
  return Out;
}

bool contains(const Stmt *Outer, const Stmt *Inner) {
  if (!Outer || !Inner)
    return false;
  if (Outer == Inner)
    return true;
  for (const Stmt *C : Outer->children())
    if (contains(C, Inner))
      return true;
  return false;
}

SourceLocation selfDetach(const ThreadStart &S) {
  if (!S.Entry || !S.Entry->hasBody())
    return {};
  SourceLocation Found;
  forEachStmt(S.Entry->getBody(), [&](const Stmt *X) {
    const auto *Call = dyn_cast<CallExpr>(X);
    if (!Call || Call->getNumArgs() != 1)
      return;
    llvm::StringRef N = calleeName(Call);
    if (N != "pthread_detach" && N != "thrd_detach")
      return;
    if (const auto *Self =
            dyn_cast<CallExpr>(Call->getArg(0)->IgnoreParenImpCasts()))
      if ((calleeName(Self) == "pthread_self" ||
           calleeName(Self) == "thrd_current") &&
          Found.isInvalid())
        Found = Call->getBeginLoc();
  });
  return Found;
}

bool createdDetached(const ThreadStart &S, const FunctionDecl *Fn,
                     ASTContext &Ctx) {
  if (!S.AttrArg || S.AttrArg->IgnoreParenCasts()->isNullPointerConstant(
                        Ctx, Expr::NPC_ValueDependentIsNotNull))
    return false;
  const ValueDecl *Attr = nullptr;
  forEachStmt(S.AttrArg, [&](const Stmt *X) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(X); DRE && !Attr)
      Attr = DRE->getDecl();
  });
  if (!Attr)
    return true; // attributes from elsewhere: not ours to judge
  const auto *AttrVar = dyn_cast<VarDecl>(Attr);
  if (AttrVar && !AttrVar->hasLocalStorage())
    return true;
  bool Detached = false, SetElsewhere = false;
  forEachStmt(Fn->getBody(), [&](const Stmt *X) {
    const auto *Call = dyn_cast<CallExpr>(X);
    if (!Call || Call->getNumArgs() < 1 || Call == S.Site)
      return;
    bool OnAttr = false;
    forEachStmt(Call->getArg(0), [&](const Stmt *Y) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Y))
        OnAttr |= DRE->getDecl() == Attr;
    });
    if (!OnAttr)
      return;
    llvm::StringRef N = calleeName(Call);
    if (N == "pthread_attr_setdetachstate" && Call->getNumArgs() == 2) {
      // PTHREAD_CREATE_DETACHED is 1 in every C library threadlint knows.
      Expr::EvalResult R;
      if (Call->getArg(1)->EvaluateAsInt(R, Ctx))
        Detached |= R.Val.getInt() == 1;
      else
        Detached = true;
    } else if (!N.starts_with("pthread_attr_")) {
      SetElsewhere = true; // handed to a helper that may set anything
    }
  });
  return Detached || SetElsewhere;
}

namespace {
/// The variable or field an expression names (t, this->t_).
const ValueDecl *namedObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return ME->getMemberDecl();
  return nullptr;
}

bool mentions(const Stmt *S, const ValueDecl *VD) {
  bool Found = false;
  forEachStmt(S, [&](const Stmt *X) {
    if (const auto *E = dyn_cast<Expr>(X))
      if (namedObject(E) == VD)
        Found = true;
  });
  return Found;
}

/// Where the thread object started at \p Site lives: the variable it
/// initialises or is assigned to. Null for a temporary.
const ValueDecl *ownerOf(const Expr *Site, ASTContext &Ctx,
                         const Expr *&Temporary) {
  const Expr *E = Site;
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(*E);
    if (Parents.size() != 1)
      return nullptr;
    if (const auto *VD = Parents[0].get<VarDecl>())
      return VD;
    const auto *PE = Parents[0].get<Expr>();
    if (!PE)
      return nullptr;
    if (isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr,
            CXXFunctionalCastExpr, ImplicitCastExpr, ParenExpr,
            ExprWithCleanups>(PE) ||
        (isa<CXXConstructExpr>(PE) &&
         cast<CXXConstructExpr>(PE)->getNumArgs() == 1)) {
      E = PE;
      continue;
    }
    if (isa<MemberExpr>(PE)) {
      Temporary = PE;
      return nullptr;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PE);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
      return namedObject(Op->getArg(0));
    return nullptr;
  }
}

} // namespace

Detach detachOf(const ThreadStart &S, const FunctionDecl *FD, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation DetachAt, SelfDetach;
  if (S.Api == ThreadApi::Pthread || S.Api == ThreadApi::C11) {
    const ValueDecl *Id = nullptr;
    forEachStmt(S.IdArg, [&](const Stmt *X) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(X); DRE && !Id)
        Id = DRE->getDecl();
    });
    const ValueDecl *Attr = nullptr;
    if (S.AttrArg)
      forEachStmt(S.AttrArg, [&](const Stmt *X) {
        if (const auto *DRE = dyn_cast<DeclRefExpr>(X); DRE && !Attr)
          Attr = DRE->getDecl();
      });
    // The first join or detach of this id after the start decides.
    const CallExpr *Fate = nullptr;
    forEachStmt(FD->getBody(), [&](const Stmt *X) {
      const auto *Call = dyn_cast<CallExpr>(X);
      if (!Call || Call->getNumArgs() < 1 || !Id)
        return;
      llvm::StringRef N = calleeName(Call);
      if ((N == "pthread_detach" || N == "thrd_detach" || N == "pthread_join" ||
           N == "thrd_join") &&
          mentions(Call->getArg(0), Id) &&
          SM.isBeforeInTranslationUnit(S.Site->getBeginLoc(),
                                       Call->getBeginLoc()) &&
          (!Fate || SM.isBeforeInTranslationUnit(Call->getBeginLoc(),
                                                 Fate->getBeginLoc())))
        Fate = Call;
    });
    if (Fate && calleeName(Fate).ends_with("detach"))
      DetachAt = Fate->getBeginLoc();
    // Or created detached: pthread_attr_setdetachstate(&attr,
    // PTHREAD_CREATE_DETACHED) on the attributes passed.
    forEachStmt(FD->getBody(), [&](const Stmt *X) {
      const auto *Call = dyn_cast<CallExpr>(X);
      if (!Call || DetachAt.isValid() || !Attr || Call->getNumArgs() != 2 ||
          calleeName(Call) != "pthread_attr_setdetachstate" ||
          !mentions(Call->getArg(0), Attr))
        return;
      // PTHREAD_CREATE_DETACHED is 1 in every libc threadlint knows.
      Expr::EvalResult R;
      if (Call->getArg(1)->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 1)
        DetachAt = S.Site->getBeginLoc();
    });
    if (DetachAt.isInvalid())
      if ((SelfDetach = selfDetach(S)).isValid())
        DetachAt = S.Site->getBeginLoc();
  } else {
    const Expr *Temporary = nullptr;
    const ValueDecl *Owner = ownerOf(S.Site, Ctx, Temporary);
    if (Temporary) {
      DynTypedNodeList P = Ctx.getParents(*Temporary);
      if (P.size() == 1)
        if (const auto *MC = P[0].get<CXXMemberCallExpr>())
          if (MC->getMethodDecl() &&
              MC->getMethodDecl()->getDeclName().isIdentifier() &&
              MC->getMethodDecl()->getName() == "detach")
            DetachAt = MC->getBeginLoc();
    } else if (Owner) {
      // The first join or detach of the thread object after the start
      // decides (t may be joined, then reused for a detached thread).
      const CXXMemberCallExpr *Fate = nullptr;
      forEachStmt(FD->getBody(), [&](const Stmt *X) {
        const auto *MC = dyn_cast<CXXMemberCallExpr>(X);
        if (!MC || !MC->getMethodDecl() ||
            !MC->getMethodDecl()->getDeclName().isIdentifier())
          return;
        llvm::StringRef N = MC->getMethodDecl()->getName();
        if ((N == "detach" || N == "join") &&
            namedObject(MC->getImplicitObjectArgument()) == Owner &&
            SM.isBeforeInTranslationUnit(S.Site->getBeginLoc(),
                                         MC->getBeginLoc()) &&
            (!Fate || SM.isBeforeInTranslationUnit(MC->getBeginLoc(),
                                                   Fate->getBeginLoc())))
          Fate = MC;
      });
      if (Fate && Fate->getMethodDecl()->getName() == "detach")
        DetachAt = Fate->getBeginLoc();
    }
  }
  return {DetachAt, SelfDetach};
}

//===----------------------------------------------------------------------===//
// The thread-object dataflow.
//===----------------------------------------------------------------------===//

namespace {

enum StateBit : uint8_t {
  NotStarted = 1, // default-constructed or emptied
  Running = 2,    // owns a running thread
  Finished = 4,   // joined, detached or handed over
};

enum class EvKind { Start, Empty, Finish, Assign, Clear };

struct Event {
  unsigned Owner;
  EvKind Kind;
  /// Assign: the state after the assignment (NotStarted or Running).
  uint8_t After = Running;
};

/// Which thread owner an expression names: the owner itself, an element of
/// an owned container (ts[i], ts.at(i), ts.back()), or the variable of a
/// range-for over the container.
class OwnerIndex {
public:
  llvm::DenseMap<const VarDecl *, unsigned> Index;
  llvm::DenseMap<const VarDecl *, unsigned> LoopVars;

  std::optional<unsigned> named(const Expr *E) const {
    for (int Depth = 0; E && Depth < 8; ++Depth) {
      E = E->IgnoreParenImpCasts();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
        const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        if (!VD)
          return std::nullopt;
        auto It = Index.find(VD);
        if (It != Index.end())
          return It->second;
        auto LIt = LoopVars.find(VD);
        if (LIt != LoopVars.end())
          return LIt->second;
        return std::nullopt;
      }
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
        if (Op->getOperator() != OO_Subscript || Op->getNumArgs() < 1)
          return std::nullopt;
        E = Op->getArg(0);
        continue;
      }
      if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
        E = AS->getBase();
        continue;
      }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
        const CXXMethodDecl *M = MC->getMethodDecl();
        if (!M || !M->getDeclName().isIdentifier())
          return std::nullopt;
        llvm::StringRef N = M->getName();
        if (N != "at" && N != "front" && N != "back")
          return std::nullopt;
        E = MC->getImplicitObjectArgument();
        continue;
      }
      return std::nullopt;
    }
    return std::nullopt;
  }
};

const Stmt *innermostLoop(const Stmt *S, const ParentMap &PM,
                          const Stmt *Body) {
  for (const Stmt *P = PM.getParent(S); P && P != Body; P = PM.getParent(P)) {
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P))
      return P;
    if (isa<LambdaExpr>(P))
      return nullptr;
  }
  return nullptr;
}

bool isAncestor(const Stmt *Anc, const Stmt *S, const ParentMap &PM) {
  for (; S; S = PM.getParent(S))
    if (S == Anc)
      return true;
  return false;
}

/// The state a thread owner starts with, from its initialiser.
uint8_t initialState(const VarDecl *VD) {
  const Expr *Init = VD->getInit();
  if (!Init)
    return NotStarted;
  const Expr *E = strip(Init);
  if (recognizeThreadStart(E) || recognizeThreadStart(Init->IgnoreImplicit()))
    return Running;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit()))
    if (CE->getNumArgs() == 0 || !CE->getConstructor() ||
        !CE->getConstructor()->isCopyOrMoveConstructor())
      return NotStarted; // default, or a container sized with empty threads
  if (isa<InitListExpr, ImplicitValueInitExpr>(E))
    return NotStarted;
  // Returned by a function, or moved from another thread object.
  return Running;
}

uint8_t assignedState(const Expr *RHS) {
  const Expr *E = strip(RHS);
  if (recognizeThreadStart(E))
    return Running;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    if (CE->getNumArgs() == 0)
      return NotStarted;
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    if (IL->getNumInits() == 0)
      return NotStarted;
  return Running;
}

} // namespace

std::vector<ThreadLeak> analyzeThreadOwners(const FunctionDecl *Fn,
                                            const CFG &Cfg, ASTContext &Ctx,
                                            MayThrowLookup MayThrow) {
  std::vector<ThreadLeak> Leaks;
  const Stmt *Body = Fn->getBody();
  if (!Body)
    return Leaks;

  // The owners: local std::thread objects and containers of them.
  OwnerIndex Owners;
  std::vector<const VarDecl *> OwnerVars;
  std::vector<const DeclStmt *> OwnerDecls;
  forEachStmt(Body, [&](const Stmt *S) {
    const auto *DS = dyn_cast<DeclStmt>(S);
    if (!DS)
      return;
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
            (isTerminatingThreadType(VD->getType()) ||
             isThreadContainerType(VD->getType()))) {
          Owners.Index[VD] = OwnerVars.size();
          OwnerVars.push_back(VD);
          OwnerDecls.push_back(DS);
        }
  });
  if (OwnerVars.empty())
    return Leaks;
  const unsigned N = OwnerVars.size();

  ParentMap PM(const_cast<Stmt *>(Body));
  // Range-for loops over a container: their variable names its elements.
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *RF = dyn_cast<CXXForRangeStmt>(S))
      if (auto O = Owners.named(RF->getRangeInit()))
        Owners.LoopVars[RF->getLoopVariable()] = *O;
  });

  llvm::DenseMap<const Stmt *, std::vector<Event>> Events;
  std::vector<char> Escaped(N, 0), HasFinish(N, 0), NotDropIn(N, 0);
  std::vector<SourceLocation> StartedAt(N), FinishedAt(N);
  auto NoteStart = [&](unsigned O, SourceLocation L) {
    if (StartedAt[O].isInvalid())
      StartedAt[O] = L;
  };
  for (unsigned O = 0; O < N; ++O) {
    if (initialState(OwnerVars[O]) == Running)
      NoteStart(O, OwnerVars[O]->getInit()->getBeginLoc());
  }

  // Each use of an owner: an event, or an escape that makes it someone
  // else's business.
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
      for (const LambdaCapture &C : LE->captures())
        if (C.capturesVariable())
          if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar())) {
            auto It = Owners.Index.find(VD);
            if (It != Owners.Index.end())
              Escaped[It->second] = 1;
          }
      return;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(S);
    if (!DRE)
      return;
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    auto It = VD ? Owners.Index.find(VD) : Owners.Index.end();
    if (It == Owners.Index.end())
      return;
    unsigned O = It->second;
    // The meaningful parent.
    const Stmt *Child = DRE;
    const Stmt *P = PM.getParent(Child);
    while (P && (isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr,
                     CXXBindTemporaryExpr>(P))) {
      Child = P;
      P = PM.getParent(P);
    }
    if (!P) {
      Escaped[O] = 1;
      return;
    }
    if (isa<MemberExpr>(P)) {
      const Stmt *Q = PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(P));
      const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Q);
      if (!MC || MC->getCallee()->IgnoreParenImpCasts() != P)
        return; // a member function named, not called
      const CXXMethodDecl *M = MC->getMethodDecl();
      llvm::StringRef Name =
          M && M->getDeclName().isIdentifier() ? M->getName() : "";
      if (Name == "join" || Name == "detach") {
        Events[MC].push_back({O, EvKind::Finish});
        HasFinish[O] = 1;
        if (FinishedAt[O].isInvalid())
          FinishedAt[O] = MC->getBeginLoc();
      } else if (Name == "emplace_back" || Name == "push_back" ||
                 Name == "emplace" || Name == "insert" ||
                 Name == "emplace_front" || Name == "push_front") {
        Events[MC].push_back({O, EvKind::Start});
        NoteStart(O, MC->getBeginLoc());
      } else if (Name == "clear") {
        Events[MC].push_back({O, EvKind::Clear});
      } else if (Name == "swap") {
        Escaped[O] = 1;
      }
      // joinable, get_id, size, begin, at, ...: element access and queries.
      return;
    }
    // ts[i] = std::thread(...) starts an element.
    if (isa<ArraySubscriptExpr>(P) ||
        (isa<CXXOperatorCallExpr>(P) &&
         cast<CXXOperatorCallExpr>(P)->getOperator() == OO_Subscript)) {
      const Stmt *Q = PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(P));
      if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(Q);
          Op && Op->getOperator() == OO_Equal &&
          Op->getArg(0)->IgnoreParenImpCasts() == P &&
          assignedState(Op->getArg(1)) == Running) {
        Events[Op].push_back({O, EvKind::Start});
        NoteStart(O, Op->getArg(1)->getBeginLoc());
      }
      return;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
          Op->getArg(0)->IgnoreParenImpCasts() ==
              cast<Expr>(Child)->IgnoreParenImpCasts()) {
        uint8_t After = assignedState(Op->getArg(1));
        Events[Op].push_back({O, EvKind::Assign, After});
        NotDropIn[O] = 1;
        if (After == Running)
          NoteStart(O, Op->getArg(1)->getBeginLoc());
        return;
      }
      Escaped[O] = 1;
      return;
    }
    if (const auto *RF = dyn_cast<DeclStmt>(P)) {
      // auto &&__range = ts; of a range-for: element access.
      for (const Stmt *Q = PM.getParent(RF); Q; Q = nullptr)
        if (isa<CXXForRangeStmt>(Q))
          return;
      Escaped[O] = 1;
      return;
    }
    NotDropIn[O] = 1; // returned, moved or handed to a function
    if (isa<ReturnStmt>(P)) {
      Events[P].push_back({O, EvKind::Finish});
      HasFinish[O] = 1;
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(P)) {
      // print_id(const std::thread &): the callee only looks at it.
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        unsigned Shift =
            isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) ? 1
                                                                         : 0;
        for (unsigned I = Shift; I < Call->getNumArgs(); ++I)
          if (Call->getArg(I)->IgnoreParenImpCasts() ==
                  cast<Expr>(Child)->IgnoreParenImpCasts() &&
              I - Shift < Callee->getNumParams()) {
            QualType T = Callee->getParamDecl(I - Shift)->getType();
            if (T->isLValueReferenceType() &&
                T->getPointeeType().isConstQualified())
              return;
          }
      }
      // std::move(t) into an owner, t handed to a function (a joiner, a
      // registry): from here on it is not this function's to join.
      Events[Call].push_back({O, EvKind::Finish});
      HasFinish[O] = 1;
      return;
    }
    if (isa<CXXConstructExpr>(P)) {
      Events[P].push_back({O, EvKind::Finish});
      HasFinish[O] = 1;
      return;
    }
    Escaped[O] = 1;
  });

  // join()/detach() of a container's elements inside a loop finishes the
  // container when the loop is entered: the loop runs over all of them.
  forEachStmt(Body, [&](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    if (!MC || !MC->getMethodDecl() ||
        !MC->getMethodDecl()->getDeclName().isIdentifier())
      return;
    llvm::StringRef Name = MC->getMethodDecl()->getName();
    if (Name != "join" && Name != "detach")
      return;
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (Owners.Index.count(localVar(Obj->IgnoreParenImpCasts())))
      return; // handled above
    auto O = Owners.named(Obj);
    if (!O)
      return;
    const Stmt *Loop = innermostLoop(MC, PM, Body);
    Events[Loop ? Loop : MC].push_back({*O, EvKind::Finish});
    HasFinish[*O] = 1;
    if (FinishedAt[*O].isInvalid())
      FinishedAt[*O] = MC->getBeginLoc();
  });

  // std::for_each(ts.begin(), ts.end(), ...) and other calls handed an
  // iterator into a container.
  forEachStmt(Body, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call || isa<CXXMemberCallExpr>(Call) || isa<CXXOperatorCallExpr>(Call))
      return;
    for (const Expr *A : Call->arguments())
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(
              A->IgnoreParenImpCasts()->IgnoreImplicit()))
        if (auto O = Owners.named(MC->getImplicitObjectArgument())) {
          Events[Call].push_back({*O, EvKind::Finish});
          HasFinish[*O] = 1;
        }
  });

  bool NoThrowFn = false;
  if (const auto *FPT = Fn->getType()->getAs<FunctionProtoType>())
    NoThrowFn = FPT->isNothrow();

  auto Reportable = [&](unsigned O, uint8_t S) {
    if (Escaped[O] || !(S & Running))
      return false;
    // Started on some paths only and joined on some: the two usually go
    // together (if (c) t = std::thread(...); ... if (c) t.join();).
    if ((S & NotStarted) && HasFinish[O] &&
        !isThreadContainerType(OwnerVars[O]->getType()))
      return false;
    return true;
  };

  // Live bit: owners whose declaration was reached and not yet destroyed.
  constexpr uint8_t Live = 8;
  using State = std::vector<uint8_t>;
  std::vector<std::optional<State>> In(Cfg.getNumBlockIDs());
  std::deque<const CFGBlock *> Work;
  const CFGBlock &Entry = Cfg.getEntry();
  In[Entry.getBlockID()] = State(N, 0);
  Work.push_back(&Entry);
  std::vector<char> Queued(Cfg.getNumBlockIDs(), 0);
  Queued[Entry.getBlockID()] = 1;
  // Leaks found in the final pass only (the fixed point first).
  bool Record = false;
  llvm::DenseSet<std::pair<unsigned, unsigned>> Seen;

  auto AddLeak =
      [&](unsigned O, LeakKind K, SourceLocation At,
          std::vector<std::pair<SourceLocation, std::string>> Chain = {}) {
        if (!Record || !Seen.insert({O, At.getRawEncoding()}).second)
          return;
        ThreadLeak L;
        L.Owner = OwnerVars[O];
        L.Kind = K;
        L.At = At;
        L.Started = StartedAt[O];
        L.JoinedElsewhere = FinishedAt[O];
        L.ThrowChain = std::move(Chain);
        L.JThreadDropIn =
            !NotDropIn[O] && recordName(L.Owner->getType()) == "std::thread";
        Leaks.push_back(std::move(L));
      };

  auto ExceptionEscapes = [&](const Stmt *Thrower, unsigned O) {
    // Caught inside the owner's scope (a try nested in it)? Then the
    // handler decides.
    for (const Stmt *P = PM.getParent(Thrower); P && P != Body;
         P = PM.getParent(P)) {
      const auto *Try = dyn_cast<CXXTryStmt>(P);
      if (!Try)
        continue;
      if (!isAncestor(Try->getTryBlock(), Thrower, PM))
        continue; // thrown from a handler
      if (!isAncestor(Try, OwnerDecls[O], PM))
        return false;
    }
    return true;
  };

  auto Transfer = [&](const CFGBlock &B, State S) -> State {
    for (const CFGElement &E : B) {
      if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
        auto It = Owners.Index.find(D->getVarDecl());
        if (It == Owners.Index.end())
          continue;
        unsigned O = It->second;
        if ((S[O] & Live) && Reportable(O, S[O])) {
          const Stmt *T = D->getTriggerStmt();
          if (isa_and_nonnull<ReturnStmt>(T))
            AddLeak(O, LeakKind::Return, T->getBeginLoc());
          else if (isa_and_nonnull<BreakStmt, ContinueStmt, GotoStmt>(T))
            AddLeak(O, LeakKind::Jump, T->getBeginLoc());
          else if (T)
            AddLeak(O, LeakKind::ScopeExit, T->getEndLoc());
        }
        S[O] = 0;
        continue;
      }
      auto CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      // The CFG splits multi-variable declarations: match the variables.
      if (const auto *DS = dyn_cast<DeclStmt>(St))
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D)) {
            auto OIt = Owners.Index.find(VD);
            if (OIt != Owners.Index.end())
              S[OIt->second] = Live | initialState(VD);
          }
      auto It = Events.find(St);
      if (It != Events.end())
        for (const Event &Ev : It->second) {
          uint8_t &X = S[Ev.Owner];
          switch (Ev.Kind) {
          case EvKind::Start:
            X = Live | Running;
            break;
          case EvKind::Empty:
            X = Live | NotStarted;
            break;
          case EvKind::Finish:
            X = Live | Finished;
            break;
          case EvKind::Assign:
          case EvKind::Clear:
            if ((X & Live) && Reportable(Ev.Owner, X))
              AddLeak(Ev.Owner,
                      Ev.Kind == EvKind::Assign ? LeakKind::Reassign
                                                : LeakKind::Clear,
                      St->getBeginLoc());
            X = Live | (Ev.Kind == EvKind::Assign ? Ev.After : NotStarted);
            break;
          }
        }
      // Exceptions leave the scope without the destructors in the CFG.
      if (NoThrowFn)
        continue;
      std::vector<std::pair<SourceLocation, std::string>> Chain;
      if (const auto *Throw = dyn_cast<CXXThrowExpr>(St)) {
        Chain.push_back({Throw->getThrowLoc(), "exception thrown here"});
      } else if (isa<CallExpr, CXXConstructExpr>(St)) {
        const auto *Found = MayThrow(cast<Expr>(St));
        if (!Found)
          continue;
        Chain = *Found;
      } else {
        continue;
      }
      for (unsigned O = 0; O < N; ++O)
        if ((S[O] & Live) && Reportable(O, S[O]) && ExceptionEscapes(St, O))
          AddLeak(O, LeakKind::Exception, St->getBeginLoc(), Chain);
    }
    return S;
  };

  // On the edge where t.joinable() is false, t is not running.
  auto JoinableTest = [&](const Stmt *Cond,
                          bool &Negated) -> std::optional<unsigned> {
    Negated = false;
    const Expr *E = dyn_cast_or_null<Expr>(Cond);
    while (E) {
      E = E->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(E);
          UO && UO->getOpcode() == UO_LNot) {
        Negated = !Negated;
        E = UO->getSubExpr();
        continue;
      }
      break;
    }
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E);
    if (!MC || !MC->getMethodDecl() ||
        !MC->getMethodDecl()->getDeclName().isIdentifier() ||
        MC->getMethodDecl()->getName() != "joinable")
      return std::nullopt;
    if (const VarDecl *VD =
            localVar(MC->getImplicitObjectArgument()->IgnoreParenImpCasts())) {
      auto It = Owners.Index.find(VD);
      if (It != Owners.Index.end())
        return It->second;
    }
    return std::nullopt;
  };

  auto Run = [&]() {
    while (!Work.empty()) {
      const CFGBlock *B = Work.front();
      Work.pop_front();
      Queued[B->getBlockID()] = 0;
      State Out = Transfer(*B, *In[B->getBlockID()]);
      bool Negated = false;
      std::optional<unsigned> Tested =
          B->succ_size() == 2
              ? JoinableTest(B->getTerminatorCondition(), Negated)
              : std::nullopt;
      const Stmt *Term = B->getTerminatorStmt();
      unsigned SuccIdx = 0;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
        unsigned Idx = SuccIdx++;
        const CFGBlock *SB = Succ.getReachableBlock();
        if (!SB)
          continue;
        State S = Out;
        // A loop joining every element of a container: finished on entry.
        if (Term) {
          auto It = Events.find(Term);
          if (It != Events.end())
            for (const Event &Ev : It->second)
              if (Ev.Kind == EvKind::Finish && (S[Ev.Owner] & Live))
                S[Ev.Owner] = Live | Finished;
        }
        if (Tested && (Idx == 1) != Negated && (S[*Tested] & Running))
          S[*Tested] = (S[*Tested] & ~Running) | Finished;
        auto &Dst = In[SB->getBlockID()];
        bool Changed = false;
        if (!Dst) {
          Dst = S;
          Changed = true;
        } else {
          for (unsigned O = 0; O < N; ++O) {
            uint8_t M = (*Dst)[O] | S[O];
            if (M != (*Dst)[O]) {
              (*Dst)[O] = M;
              Changed = true;
            }
          }
        }
        if (Changed && !Queued[SB->getBlockID()]) {
          Queued[SB->getBlockID()] = 1;
          Work.push_back(SB);
        }
      }
    }
  };
  Run();
  // Reporting pass over the fixed point.
  Record = true;
  for (const CFGBlock *B : Cfg)
    if (In[B->getBlockID()])
      Transfer(*B, *In[B->getBlockID()]);
  return Leaks;
}

} // namespace threadlint::model
