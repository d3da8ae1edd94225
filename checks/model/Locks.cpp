//===--- Locks.cpp - recognising locks, guards and lock operations --------===//

#include "Locks.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/StringSwitch.h"
#include <algorithm>

using namespace clang;

namespace threadlint::model {

namespace {

/// The lock API of C libraries: which argument is the lock and what the call
/// does with it.
struct FreeLockFunction {
  const char *Name;
  LockOp Op;
  bool Shared;
  TrySuccess Success;
};

constexpr FreeLockFunction FreeLockFunctions[] = {
    {"pthread_mutex_lock", LockOp::Acquire, false, TrySuccess::Zero},
    {"pthread_mutex_trylock", LockOp::TryAcquire, false, TrySuccess::Zero},
    {"pthread_mutex_timedlock", LockOp::TryAcquire, false, TrySuccess::Zero},
    {"pthread_mutex_clocklock", LockOp::TryAcquire, false, TrySuccess::Zero},
    {"pthread_mutex_unlock", LockOp::Release, false, TrySuccess::Zero},
    {"pthread_rwlock_rdlock", LockOp::Acquire, true, TrySuccess::Zero},
    {"pthread_rwlock_wrlock", LockOp::Acquire, false, TrySuccess::Zero},
    {"pthread_rwlock_tryrdlock", LockOp::TryAcquire, true, TrySuccess::Zero},
    {"pthread_rwlock_trywrlock", LockOp::TryAcquire, false, TrySuccess::Zero},
    {"pthread_rwlock_timedrdlock", LockOp::TryAcquire, true, TrySuccess::Zero},
    {"pthread_rwlock_timedwrlock", LockOp::TryAcquire, false, TrySuccess::Zero},
    {"pthread_rwlock_unlock", LockOp::Release, false, TrySuccess::Zero},
    {"pthread_spin_lock", LockOp::Acquire, false, TrySuccess::Zero},
    {"pthread_spin_trylock", LockOp::TryAcquire, false, TrySuccess::Zero},
    {"pthread_spin_unlock", LockOp::Release, false, TrySuccess::Zero},
    // C11 threads: thrd_success is 0 in every libc that ships <threads.h>.
    {"mtx_lock", LockOp::Acquire, false, TrySuccess::Zero},
    {"mtx_trylock", LockOp::TryAcquire, false, TrySuccess::Zero},
    {"mtx_timedlock", LockOp::TryAcquire, false, TrySuccess::Zero},
    {"mtx_unlock", LockOp::Release, false, TrySuccess::Zero},
};

struct NamedLockType {
  const char *Name;
  LockKind Kind;
};

/// Lock types known by their typedef name (C) or class name (C++).
constexpr NamedLockType NamedLockTypes[] = {
    {"pthread_mutex_t", LockKind::Mutex},
    {"pthread_rwlock_t", LockKind::SharedMutex},
    {"pthread_spinlock_t", LockKind::SpinLock},
    {"mtx_t", LockKind::Mutex},
    {"std::mutex", LockKind::Mutex},
    {"std::timed_mutex", LockKind::Mutex},
    {"std::recursive_mutex", LockKind::RecursiveMutex},
    {"std::recursive_timed_mutex", LockKind::RecursiveMutex},
    {"std::shared_mutex", LockKind::SharedMutex},
    {"std::shared_timed_mutex", LockKind::SharedMutex},
};

enum class StdGuard { None, LockGuard, UniqueLock, ScopedLock, SharedLock };

StdGuard stdGuardOf(const CXXRecordDecl *RD) {
  if (!RD)
    return StdGuard::None;
  std::string N = qualifiedName(RD);
  return llvm::StringSwitch<StdGuard>(N)
      .Case("std::lock_guard", StdGuard::LockGuard)
      .Case("std::unique_lock", StdGuard::UniqueLock)
      .Case("std::scoped_lock", StdGuard::ScopedLock)
      .Case("std::shared_lock", StdGuard::SharedLock)
      .Default(StdGuard::None);
}

QualType stripRefsAndPointer(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return T;
}

const CXXRecordDecl *recordOf(QualType T) {
  return T.isNull() ? nullptr : T->getAsCXXRecordDecl();
}

bool hasMethodNamed(const CXXRecordDecl *RD, llvm::StringRef Name,
                    unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return false;
  RD = RD->getDefinition();
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getDeclName().isIdentifier() && M->getName() == Name &&
        M->getNumParams() == 0)
      return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (hasMethodNamed(recordOf(B.getType()), Name, Depth + 1))
      return true;
  return false;
}

std::optional<LockKind>
classifyLockTypeImpl(QualType T, const ModelConfig &Config, unsigned Depth);

/// A user RAII guard: a class whose constructor takes a lock and whose
/// destructor has a body (releasing it), or one marked SCOPED_CAPABILITY.
bool isUserGuard(const CXXRecordDecl *RD, const ModelConfig &Config,
                 unsigned Depth) {
  if (!RD || !RD->hasDefinition() || Depth > 2)
    return false;
  RD = RD->getDefinition();
  if (RD->hasAttr<ScopedLockableAttr>())
    return true;
  if (stdGuardOf(RD) != StdGuard::None)
    return false;
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  if (!Dtor || !Dtor->isUserProvided())
    return false;
  for (const CXXConstructorDecl *Ctor : RD->ctors()) {
    if (Ctor->isCopyOrMoveConstructor())
      continue;
    for (const ParmVarDecl *P : Ctor->parameters()) {
      QualType PT = P->getType();
      if (!PT->isReferenceType() && !PT->isPointerType())
        continue;
      if (classifyLockTypeImpl(PT.getNonReferenceType(), Config, Depth + 1))
        return true;
    }
  }
  return false;
}

std::optional<LockKind>
classifyLockTypeImpl(QualType T, const ModelConfig &Config, unsigned Depth) {
  if (T.isNull())
    return std::nullopt;
  // A listed typedef of a pointer (typedef struct os_lock_s *os_lock_t) is
  // the lock itself: look at the name before the pointer is stripped.
  if (const auto *TT = T.getNonReferenceType()->getAs<TypedefType>())
    for (const std::string &Extra : Config.LockTypes)
      if (TT->getDecl()->getName() == Extra)
        return LockKind::Other;
  T = stripRefsAndPointer(T);
  // Typedef names first: the POSIX and C11 types are typedefs of anonymous
  // unions and structs (and pthread_spinlock_t of a plain int).
  QualType Cur = T;
  for (int I = 0; I < 8; ++I) {
    const auto *TT = Cur->getAs<TypedefType>();
    if (!TT)
      break;
    llvm::StringRef Name = TT->getDecl()->getName();
    for (const NamedLockType &N : NamedLockTypes)
      if (Name == N.Name)
        return N.Kind;
    for (const std::string &Extra : Config.LockTypes)
      if (Name == Extra)
        return LockKind::Other;
    Cur = TT->getDecl()->getUnderlyingType();
  }
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return std::nullopt;
  std::string Name = qualifiedName(RD);
  for (const NamedLockType &N : NamedLockTypes)
    if (Name == N.Name)
      return N.Kind;
  for (const std::string &Extra : Config.LockTypes)
    if (Name == Extra)
      return LockKind::Other;
  if (!RD->hasDefinition())
    return std::nullopt;
  const CXXRecordDecl *Def = RD->getDefinition();
  // Guards have lock()/unlock() too; they are not locks themselves.
  if (stdGuardOf(Def) != StdGuard::None || isUserGuard(Def, Config, Depth))
    return std::nullopt;
  if (Def->hasAttr<CapabilityAttr>())
    return LockKind::Other;
  if (Config.BasicLockableIsLock && hasMethodNamed(Def, "lock") &&
      hasMethodNamed(Def, "unlock"))
    return LockKind::Other;
  return std::nullopt;
}

const Expr *strip(const Expr *E) {
  while (E) {
    const Expr *Next = nullptr;
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      Next = EWC->getSubExpr();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      Next = MTE->getSubExpr();
    else if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      Next = BTE->getSubExpr();
    else if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E))
      Next = ICE->getSubExpr();
    else if (const auto *FCE = dyn_cast<CXXFunctionalCastExpr>(E))
      Next = FCE->getSubExpr();
    else if (const auto *PE = dyn_cast<ParenExpr>(E))
      Next = PE->getSubExpr();
    else if (const auto *CE = dyn_cast<CStyleCastExpr>(E))
      Next = CE->getSubExpr();
    if (!Next)
      return E;
    E = Next;
  }
  return E;
}

/// std::move(x), std::addressof(x) and friends: the argument.
const Expr *throughStdUtility(const Expr *E) {
  const auto *CE = dyn_cast_or_null<CallExpr>(E);
  if (!CE || CE->getNumArgs() != 1)
    return E;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return E;
  std::string N = qualifiedName(FD);
  if (N == "std::move" || N == "std::addressof" || N == "std::ref")
    return strip(CE->getArg(0));
  return E;
}

std::string printed(const Expr *E, const ASTContext &Ctx) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  PrintingPolicy P(Ctx.getLangOpts());
  P.SuppressImplicitBase = true;
  E->printPretty(OS, nullptr, P);
  return OS.str();
}

std::optional<LockRef> resolveImpl(const Expr *E, const FunctionDecl *Fn,
                                   const ASTContext &Ctx,
                                   const ModelConfig &Config, int Depth) {
  if (!E || Depth > 6)
    return std::nullopt;
  E = throughStdUtility(strip(E));
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
      return resolveImpl(UO->getSubExpr(), Fn, Ctx, Config, Depth + 1);

  LockRef R;
  if (auto K = classifyLockType(E->getType(), Config))
    R.Kind = *K;

  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return std::nullopt;
    R.Decl = VD;
    if (const auto *PVD = dyn_cast<ParmVarDecl>(VD)) {
      R.Key = "param:" + PVD->getNameAsString();
      R.Name = PVD->getNameAsString();
      R.ParamIndex = static_cast<int>(PVD->getFunctionScopeIndex());
      return R;
    }
    if (VD->hasGlobalStorage()) {
      R.GlobalKey = usrOf(VD);
      R.Key = R.GlobalKey.empty() ? qualifiedName(VD) : R.GlobalKey;
      R.Name = qualifiedName(VD);
      return R;
    }
    // A local reference bound once to a lock: the lock it names.
    if (VD->getType()->isReferenceType() && VD->getInit())
      return resolveImpl(VD->getInit(), Fn, Ctx, Config, Depth + 1);
    R.Key = "local:" + VD->getNameAsString();
    R.Name = VD->getNameAsString();
    return R;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const ValueDecl *Member = ME->getMemberDecl();
    R.Decl = Member;
    R.Name = qualifiedName(Member);
    R.GlobalKey = usrOf(Member);
    if (isa<VarDecl>(Member)) { // a static data member
      R.Key = R.GlobalKey;
      return R;
    }
    const Expr *Base = strip(ME->getBase());
    std::string Instance =
        isa<CXXThisExpr>(Base) ? std::string("this") : printed(Base, Ctx);
    R.Key = Instance + "." + Member->getNameAsString();
    R.Field = Member->getNameAsString();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Base))
      if (const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        R.BaseParamIndex = static_cast<int>(PVD->getFunctionScopeIndex());
    return R;
  }
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    auto Base = resolveImpl(ASE->getBase(), Fn, Ctx, Config, Depth + 1);
    if (!Base)
      return std::nullopt;
    R.Decl = Base->Decl;
    R.Key = Base->Key + "[" + printed(ASE->getIdx(), Ctx) + "]";
    R.GlobalKey = Base->GlobalKey.empty() ? "" : Base->GlobalKey + "[]";
    R.Name = Base->Name + "[]";
    return R;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    // A getter returning the same lock every time (registry_mutex()).
    if (const FunctionDecl *Callee = CE->getDirectCallee()) {
      if (Callee->getReturnType()->isReferenceType() ||
          Callee->getReturnType()->isPointerType()) {
        R.Decl = Callee;
        R.GlobalKey = usrOf(Callee) + "()";
        R.Key = isa<CXXMemberCallExpr>(CE) ? printed(CE, Ctx) : R.GlobalKey;
        R.Name = qualifiedName(Callee) + "()";
        return R;
      }
    }
  }
  R.Key = "expr:" + printed(E, Ctx);
  R.Name = printed(E, Ctx);
  return R;
}

} // namespace

const VarDecl *guardVariable(const Expr *E, const ModelConfig &Config);

namespace {

bool isTagType(const Expr *E, llvm::StringRef Tag) {
  const CXXRecordDecl *RD = recordOf(E->getType());
  return RD && qualifiedName(RD) == Tag;
}

bool isChronoArg(const Expr *E) {
  const CXXRecordDecl *RD = recordOf(E->getType());
  if (!RD)
    return false;
  std::string N = qualifiedName(RD);
  return N == "std::chrono::duration" || N == "std::chrono::time_point";
}

} // namespace

std::string usrOf(const Decl *D) {
  llvm::SmallString<128> Buf;
  if (index::generateUSRForDecl(D, Buf))
    return {};
  return std::string(Buf);
}

bool declaredBySystem(const FunctionDecl *FD) {
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  return SM.isInSystemHeader(
      SM.getExpansionLoc(FD->getFirstDecl()->getLocation()));
}

std::string qualifiedName(const NamedDecl *D) {
  if (!D)
    return {};
  llvm::SmallVector<std::string, 4> Parts;
  if (D->getDeclName().isIdentifier())
    Parts.push_back(D->getName().str());
  else
    Parts.push_back(D->getNameAsString());
  for (const DeclContext *DC = D->getDeclContext();
       DC && !DC->isTranslationUnit(); DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      // Users write neither inline nor anonymous namespaces.
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getName().str());
    } else if (const auto *RD = dyn_cast<CXXRecordDecl>(DC)) {
      if (RD->isLambda())
        Parts.push_back("(lambda)");
      else
        Parts.push_back(RD->getName().empty() ? "(anonymous)"
                                              : RD->getName().str());
    } else if (const auto *R = dyn_cast<RecordDecl>(DC)) {
      Parts.push_back(R->getName().str());
    } else if (const auto *FD = dyn_cast<FunctionDecl>(DC)) {
      Parts.push_back(FD->getNameAsString());
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (!Out.empty())
      Out += "::";
    Out += *It;
  }
  return Out;
}

std::optional<LockKind> classifyLockType(QualType T,
                                         const ModelConfig &Config) {
  return classifyLockTypeImpl(T, Config, 0);
}

bool isGuardType(QualType T, const ModelConfig &Config) {
  if (T.isNull())
    return false;
  const CXXRecordDecl *RD = recordOf(T.getNonReferenceType());
  return stdGuardOf(RD) != StdGuard::None || isUserGuard(RD, Config, 0);
}

const VarDecl *guardVariable(const Expr *E, const ModelConfig &Config) {
  for (int Depth = 0; E && Depth < 4; ++Depth) {
    E = throughStdUtility(strip(E));
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E))
      if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf) {
        E = UO->getSubExpr();
        continue;
      }
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
    if (!DRE)
      return nullptr;
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || !isGuardType(stripRefsAndPointer(VD->getType()), Config))
      return nullptr;
    // A local reference or pointer bound once to a guard: that guard
    // (testdata: condition_variables.cpp, wait_through_reference_ok).
    if (!isa<ParmVarDecl>(VD) && VD->getInit() &&
        (VD->getType()->isReferenceType() || VD->getType()->isPointerType())) {
      E = VD->getInit();
      if (const auto *AO = dyn_cast<UnaryOperator>(strip(E)))
        if (AO->getOpcode() == UO_AddrOf)
          E = AO->getSubExpr();
      continue;
    }
    return VD;
  }
  return nullptr;
}

GuardInit describeGuardConstruct(const CXXConstructExpr *CE,
                                 const ModelConfig &Config) {
  GuardInit G;
  G.Shared = stdGuardOf(recordOf(CE->getType())) == StdGuard::SharedLock;
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (Ctor && Ctor->isCopyOrMoveConstructor() && CE->getNumArgs() >= 1) {
    if (const VarDecl *From = guardVariable(CE->getArg(0), Config)) {
      G.Mode = GuardMode::MoveFrom;
      G.From = From;
    }
    return G;
  }
  if (CE->getNumArgs() == 0)
    return G;
  G.Mode = GuardMode::Lock;
  for (const Expr *Arg : CE->arguments()) {
    if (isa<CXXDefaultArgExpr>(Arg))
      continue;
    if (isTagType(Arg, "std::defer_lock_t"))
      G.Mode = GuardMode::Defer;
    else if (isTagType(Arg, "std::try_to_lock_t") || isChronoArg(Arg))
      G.Mode = GuardMode::Try;
    else if (isTagType(Arg, "std::adopt_lock_t"))
      G.Mode = GuardMode::Adopt;
    else if (classifyLockType(Arg->getType(), Config))
      G.Locks.push_back(Arg);
  }
  if (G.Locks.empty())
    G.Mode = GuardMode::Empty;
  return G;
}

std::optional<GuardInit> describeGuardInit(const VarDecl *VD,
                                           const ModelConfig &Config) {
  if (!VD || !isGuardType(VD->getType(), Config) ||
      VD->getType()->isReferenceType())
    return std::nullopt;
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(strip(VD->getInit()));
  if (!CE) {
    // Declared without a constructor we can see (a guard returned by a
    // function): it holds nothing we know of.
    GuardInit G;
    G.Shared = stdGuardOf(recordOf(VD->getType())) == StdGuard::SharedLock;
    return G;
  }
  return describeGuardConstruct(CE, Config);
}

LockRef guardParamRef(const VarDecl *Guard) {
  LockRef R;
  R.Key = "guardparam:" + Guard->getNameAsString();
  R.Name = Guard->getNameAsString();
  R.Decl = Guard;
  R.IsGuardParam = true;
  if (const auto *P = dyn_cast<ParmVarDecl>(Guard))
    R.ParamIndex = static_cast<int>(P->getFunctionScopeIndex());
  return R;
}

llvm::SmallVector<LockEffect, 2> lockEffectsOfCall(const Expr *Call,
                                                   const ModelConfig &Config) {
  llvm::SmallVector<LockEffect, 2> Effects;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    const Expr *Obj = MCE->getImplicitObjectArgument();
    if (!MD || !Obj || !MD->getDeclName().isIdentifier())
      return Effects;
    llvm::StringRef Name = MD->getName();
    QualType ObjType = stripRefsAndPointer(Obj->getType());
    if (isGuardType(ObjType, Config)) {
      const VarDecl *Guard = guardVariable(Obj, Config);
      if (!Guard)
        return Effects;
      bool Shared = stdGuardOf(recordOf(ObjType)) == StdGuard::SharedLock;
      LockEffect E{LockOp::Acquire, nullptr, Guard, Shared};
      if (Name == "lock")
        Effects.push_back(E);
      else if (Name == "unlock")
        E.Op = LockOp::Release, Effects.push_back(E);
      else if (Name.starts_with("try_lock"))
        E.Op = LockOp::TryAcquire, Effects.push_back(E);
      else if (Name == "release")
        E.Op = LockOp::Release, E.Disown = true, Effects.push_back(E);
      return Effects;
    }
    if (!classifyLockType(ObjType, Config))
      return Effects;
    LockEffect E{LockOp::Acquire, Obj, nullptr, false};
    if (const auto *A = MD->getAttr<AcquireCapabilityAttr>()) {
      if (A->args_size() == 0) {
        E.Shared = A->isShared();
        Effects.push_back(E);
      }
      return Effects;
    }
    if (const auto *A = MD->getAttr<ReleaseCapabilityAttr>()) {
      if (A->args_size() == 0)
        E.Op = LockOp::Release, Effects.push_back(E);
      return Effects;
    }
    if (const auto *A = MD->getAttr<TryAcquireCapabilityAttr>()) {
      if (A->args_size() == 0) {
        E.Op = LockOp::TryAcquire;
        E.Shared = A->isShared();
        E.Success = TrySuccess::NonZero;
        if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(
                A->getSuccessValue()->IgnoreParenImpCasts()))
          E.Success = B->getValue() ? TrySuccess::NonZero : TrySuccess::Zero;
        Effects.push_back(E);
      }
      return Effects;
    }
    if (Name == "lock" || Name == "lock_shared") {
      E.Shared = Name == "lock_shared";
      Effects.push_back(E);
    } else if (Name == "unlock" || Name == "unlock_shared") {
      E.Op = LockOp::Release;
      Effects.push_back(E);
    } else if (Name.starts_with("try_lock")) {
      E.Op = LockOp::TryAcquire;
      E.Shared = Name.starts_with("try_lock_shared");
      Effects.push_back(E);
    }
    return Effects;
  }
  const auto *CE = dyn_cast<CallExpr>(Call);
  if (!CE || isa<CXXOperatorCallExpr>(CE))
    return Effects;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return Effects;
  std::string Name = qualifiedName(FD);
  if (Name == "std::lock") {
    // std::lock(a, b, ...) acquires all of them without deadlock.
    for (const Expr *Arg : CE->arguments()) {
      LockEffect E{LockOp::Acquire, Arg, guardVariable(Arg, Config), false};
      if (E.Guard)
        E.Lock = nullptr;
      Effects.push_back(E);
    }
    return Effects;
  }
  if (CE->getNumArgs() == 0)
    return Effects;
  for (const FreeLockFunction &F : FreeLockFunctions)
    if (Name == F.Name) {
      Effects.push_back(
          LockEffect{F.Op, CE->getArg(0), nullptr, F.Shared, F.Success});
      break;
    }
  return Effects;
}

std::optional<LockRef> resolveLock(const Expr *E, const FunctionDecl *Fn,
                                   const ASTContext &Ctx,
                                   const ModelConfig &Config) {
  return resolveImpl(E, Fn, Ctx, Config, 0);
}

} // namespace threadlint::model
