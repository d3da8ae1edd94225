//===--- HeldLocks.cpp - which locks are held at each statement -----------===//

#include "HeldLocks.h"
#include "Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include <algorithm>

using namespace clang;

namespace threadlint::model {

bool LockSummary::operator==(const LockSummary &O) const {
  if (ReturnsHolding.size() != O.ReturnsHolding.size() ||
      Releases.size() != O.Releases.size() ||
      !(ReturnsGuardOf == O.ReturnsGuardOf))
    return false;
  for (size_t I = 0; I < ReturnsHolding.size(); ++I)
    if (!(ReturnsHolding[I].Lock == O.ReturnsHolding[I].Lock))
      return false;
  for (size_t I = 0; I < Releases.size(); ++I)
    if (!(Releases[I] == O.Releases[I]))
      return false;
  return true;
}

const FunctionDecl *calleeOf(const Expr *Call) {
  const FunctionDecl *FD = nullptr;
  if (const auto *CE = dyn_cast<CallExpr>(Call))
    FD = CE->getDirectCallee();
  else if (const auto *Ctor = dyn_cast<CXXConstructExpr>(Call))
    FD = Ctor->getConstructor();
  if (!FD)
    return nullptr;
  if (const FunctionDecl *Def = FD->getDefinition())
    return Def;
  return FD;
}

std::string describeLocks(const HeldSet &Locks) {
  std::string Out;
  for (size_t I = 0; I < Locks.size(); ++I) {
    if (I > 0)
      Out += I + 1 == Locks.size() ? " and " : ", ";
    Out += "'" + Locks[I].Lock.Name + "'";
  }
  return Out;
}

llvm::SmallVector<LockRef, 2>
FunctionLocks::locksNamedBy(const Expr *E, const ASTContext &Ctx,
                            const ModelConfig &Config) const {
  if (const VarDecl *G = guardVariable(E, Config)) {
    auto It = GuardLocks.find(G);
    if (It != GuardLocks.end())
      return It->second;
    if (isa<ParmVarDecl>(G))
      return {guardParamRef(G)};
    return {};
  }
  llvm::SmallVector<LockRef, 2> Out;
  if (auto R = resolveLock(E, Fn, Ctx, Config))
    Out.push_back(*R);
  return Out;
}

const HeldSet *FunctionLocks::mustHeldAt(const Stmt *S, ASTContext &Ctx) const {
  for (int Depth = 0; S && Depth < 16; ++Depth) {
    auto It = MustAt.find(S);
    if (It != MustAt.end())
      return &HeldSets[It->second];
    DynTypedNodeList Parents = Ctx.getParents(*S);
    S = Parents.empty() ? nullptr : Parents[0].get<Stmt>();
  }
  return nullptr;
}

llvm::SmallVector<LockRef, 2> mapCalleeLock(const FunctionLocks &Caller,
                                            const LockRef &L, const Expr *Call,
                                            const ASTContext &Ctx,
                                            const ModelConfig &Config) {
  auto InstanceOf = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
        E = UO->getSubExpr()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(E))
      return std::string("this");
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    PrintingPolicy P(Ctx.getLangOpts());
    P.SuppressImplicitBase = true;
    E->printPretty(OS, nullptr, P);
    return OS.str();
  };
  if (L.ParamIndex < 0 && L.BaseParamIndex >= 0) {
    // A field of an object the callee received: the same field of the
    // caller's argument (credit(payee) locks payee.mu, not acct.mu).
    const auto *CE = dyn_cast<CallExpr>(Call);
    if (!CE || isa<CXXOperatorCallExpr>(CE) ||
        static_cast<unsigned>(L.BaseParamIndex) >= CE->getNumArgs())
      return {};
    LockRef M = L;
    M.Key = InstanceOf(CE->getArg(L.BaseParamIndex)) + "." + L.Field;
    M.BaseParamIndex = -1;
    return {M};
  }
  if (L.ParamIndex < 0) {
    // A field of the callee's 'this' is a field of the object the call is
    // made on: the caller's 'this' for this->f(), 'other' for other.f().
    const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
    llvm::StringRef Key(L.Key);
    if (!MCE || !Key.starts_with("this."))
      return {L};
    const Expr *Obj = MCE->getImplicitObjectArgument();
    if (!Obj)
      return {L};
    Obj = Obj->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Obj))
      return {L};
    LockRef M = L;
    M.Key = InstanceOf(Obj) + Key.drop_front(4).str();
    return {M};
  }
  const auto *CE = dyn_cast<CallExpr>(Call);
  if (!CE || isa<CXXOperatorCallExpr>(CE) ||
      static_cast<unsigned>(L.ParamIndex) >= CE->getNumArgs())
    return {};
  const Expr *Arg = CE->getArg(L.ParamIndex);
  if (L.IsGuardParam) {
    if (!guardVariable(Arg, Config))
      return {};
    return Caller.locksNamedBy(Arg, Ctx, Config);
  }
  return Caller.locksNamedBy(Arg, Ctx, Config);
}

namespace {

const Expr *stripCond(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    else
      return E;
  }
  return E;
}

bool isZero(const Expr *E, const ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  if (const auto *IL = dyn_cast<IntegerLiteral>(E))
    return IL->getValue() == 0;
  if (isa<GNUNullExpr, CXXNullPtrLiteralExpr>(E))
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return EC->getInitVal() == 0; // thrd_success
  return false;
}

struct State {
  bool Reached = false;
  HeldSet Must;
  HeldSet May;
  HeldSet Released; ///< caller's locks released on some path so far
};

HeldSet::iterator findKey(HeldSet &S, const std::string &Key) {
  return std::lower_bound(
      S.begin(), S.end(), Key,
      [](const HeldLock &H, const std::string &K) { return H.Lock.Key < K; });
}

void addTo(HeldSet &S, const HeldLock &L) {
  auto It = findKey(S, L.Lock.Key);
  if (It != S.end() && It->Lock.Key == L.Lock.Key)
    return; // already held: re-entry keeps the first acquisition
  S.insert(It, L);
}

bool removeFrom(HeldSet &S, const std::string &Key) {
  auto It = findKey(S, Key);
  if (It == S.end() || It->Lock.Key != Key)
    return false;
  S.erase(It);
  return true;
}

bool sameKeys(const HeldSet &A, const HeldSet &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (A[I].Lock.Key != B[I].Lock.Key || A[I].Owner != B[I].Owner)
      return false;
  return true;
}

HeldSet intersect(const HeldSet &A, const HeldSet &B) {
  HeldSet Out;
  for (const HeldLock &H : A) {
    auto It = std::find_if(B.begin(), B.end(), [&](const HeldLock &O) {
      return O.Lock.Key == H.Lock.Key;
    });
    if (It != B.end())
      Out.push_back(H);
  }
  return Out;
}

HeldSet unite(const HeldSet &A, const HeldSet &B) {
  HeldSet Out = A;
  for (const HeldLock &H : B)
    addTo(Out, H);
  return Out;
}

/// A branch condition that tests a try-lock's result.
struct TryTest {
  const Expr *Call = nullptr;     // the try-lock call, or
  const VarDecl *Guard = nullptr; // a guard tested with owns_lock()/bool
  bool NonZeroOnTrue = true;      // the tested value is non-zero on "true"
};

class Analyzer {
public:
  Analyzer(const FunctionDecl *Fn, const CFG &Cfg, const ASTContext &Ctx,
           const ModelConfig &Config, SummaryLookup Summaries)
      : Fn(Fn), Cfg(Cfg), Ctx(Ctx), Config(Config), Summaries(Summaries) {
    Result.Fn = Fn;
  }

  FunctionLocks run();

private:
  void transfer(State &S, const CFGElement &E, bool Record);
  void onStmt(State &S, const Stmt *St, bool Record);
  void onCall(State &S, const Expr *Call, bool Record);
  void acquire(State &S, const LockRef &L, bool Shared, SourceLocation Site,
               const VarDecl *Owner, const std::string &Via, const Expr *At,
               bool Record, const HeldSet *Before = nullptr);
  void release(State &S, const LockRef &L, bool Record);
  void releaseOwned(State &S, const VarDecl *Guard);
  void disown(State &S, const VarDecl *Guard);
  void applyEffect(State &S, const LockEffect &E, SourceLocation Site,
                   const Expr *At, bool Record,
                   const HeldSet *Before = nullptr);
  bool isCheckedLock(const Expr *Call, const LockEffect &E) const;
  bool isNonZeroConstant(const Expr *E) const;
  std::optional<TryTest> analyzeTry(const Expr *Cond, bool NonZeroOnTrue,
                                    int Depth) const;
  void applyEdge(State &S, const CFGBlock *From, unsigned SuccIndex);
  State entryOf(const CFGBlock *B, const std::vector<State> &Out);
  void bindGuard(State &S, const VarDecl *Guard, const GuardInit &G,
                 SourceLocation Site, bool Record);
  bool guardFromCall(State &S, const VarDecl *Guard, const DeclStmt *DS,
                     bool Record);
  void onReturn(const State &S, const ReturnStmt *R);

  const FunctionDecl *Fn;
  const CFG &Cfg;
  const ASTContext &Ctx;
  const ModelConfig &Config;
  SummaryLookup Summaries;
  FunctionLocks Result;
  /// Variables initialised from a try-lock call (int rc = trylock(&m)).
  llvm::DenseMap<const VarDecl *, const Expr *> TryVars;
  /// Guards that take their locks in shared mode (std::shared_lock).
  llvm::DenseSet<const VarDecl *> SharedGuards;
};

void Analyzer::acquire(State &S, const LockRef &L, bool Shared,
                       SourceLocation Site, const VarDecl *Owner,
                       const std::string &Via, const Expr *At, bool Record,
                       const HeldSet *Before) {
  HeldLock H{L, Shared, Site, Owner, Via};
  if (Record)
    Result.Acquisitions.push_back(
        Acquisition{H, Before ? *Before : S.Must, At});
  addTo(S.Must, H);
  addTo(S.May, H);
  removeFrom(S.Released, L.Key);
}

void Analyzer::release(State &S, const LockRef &L, bool Record) {
  bool WasMay = removeFrom(S.May, L.Key);
  removeFrom(S.Must, L.Key);
  if (!WasMay && (L.ParamIndex >= 0 || !L.GlobalKey.empty()))
    addTo(S.Released, HeldLock{L});
  if (Record && !WasMay && (L.ParamIndex >= 0 || !L.GlobalKey.empty())) {
    auto &Rel = Result.Summary.Releases;
    if (std::find(Rel.begin(), Rel.end(), L) == Rel.end())
      Rel.push_back(L);
  }
}

void Analyzer::releaseOwned(State &S, const VarDecl *Guard) {
  auto Owned = [&](const HeldLock &H) { return H.Owner == Guard; };
  S.Must.erase(std::remove_if(S.Must.begin(), S.Must.end(), Owned),
               S.Must.end());
  S.May.erase(std::remove_if(S.May.begin(), S.May.end(), Owned), S.May.end());
}

void Analyzer::disown(State &S, const VarDecl *Guard) {
  for (HeldSet *Set : {&S.Must, &S.May})
    for (HeldLock &H : *Set)
      if (H.Owner == Guard)
        H.Owner = nullptr;
}

void Analyzer::applyEffect(State &S, const LockEffect &E, SourceLocation Site,
                           const Expr *At, bool Record, const HeldSet *Before) {
  if (E.Guard) {
    auto It = Result.GuardLocks.find(E.Guard);
    if (It == Result.GuardLocks.end()) {
      // lk.unlock() on a guard received as a parameter releases the
      // caller's lock (testdata: unique_lock.cpp, helper_unlocks_ok).
      if (isa<ParmVarDecl>(E.Guard) && E.Op == LockOp::Release && !E.Disown)
        release(S, guardParamRef(E.Guard), Record);
      return;
    }
    if (Record && E.Op == LockOp::Release && !E.Disown && At) {
      ReleasePoint RP;
      RP.Call = At;
      RP.Guard = E.Guard;
      for (const HeldLock &H : S.May)
        RP.MayHeld |= H.Owner == E.Guard;
      for (const HeldLock &H : S.Must)
        RP.MustHeld |= H.Owner == E.Guard;
      Result.Releases.push_back(RP);
    }
    switch (E.Op) {
    case LockOp::Acquire:
    case LockOp::TryAcquire:
      for (const LockRef &L : It->second)
        acquire(S, L, E.Shared, Site, E.Guard, "", At, Record, Before);
      return;
    case LockOp::Release:
      if (E.Disown)
        disown(S, E.Guard);
      else
        releaseOwned(S, E.Guard);
      return;
    }
    return;
  }
  auto L = resolveLock(E.Lock, Fn, Ctx, Config);
  if (!L)
    return;
  if (E.Op == LockOp::Release) {
    if (Record && At) {
      ReleasePoint RP;
      RP.Call = At;
      RP.Lock = *L;
      auto InSet = [&](HeldSet &Set) {
        auto It = findKey(Set, L->Key);
        return It != Set.end() && It->Lock.Key == L->Key;
      };
      RP.MayHeld = InSet(S.May);
      RP.MustHeld = InSet(S.Must);
      Result.Releases.push_back(RP);
    }
    release(S, *L, Record);
  } else
    acquire(S, *L, E.Shared, Site, nullptr, "", At, Record, Before);
}

void Analyzer::onCall(State &S, const Expr *Call, bool Record) {
  auto Effects = lockEffectsOfCall(Call, Config);
  if (!Effects.empty()) {
    // std::lock(a, b) takes its locks together, deadlock-free: none of them
    // is acquired while holding another (testdata: lock-order/scoped.cpp).
    HeldSet Before = S.Must;
    for (const LockEffect &E : Effects)
      if (E.Op != LockOp::TryAcquire) // try-locks act on branch edges
        applyEffect(S, E, Call->getBeginLoc(), Call, Record, &Before);
    return;
  }
  const FunctionDecl *Callee = calleeOf(Call);
  if (Record)
    Result.Calls.push_back(CallSite{Call, Callee, S.Must, S.May, S.Released});
  if (!Callee)
    return;
  // f(std::move(lk)) with f taking the guard by value: the callee owns the
  // lock now and releases it when its parameter is destroyed.
  if (const auto *CE = dyn_cast<CallExpr>(Call)) {
    unsigned Skip = isa<CXXOperatorCallExpr>(CE) && isa<CXXMethodDecl>(Callee);
    for (unsigned I = Skip; I < CE->getNumArgs(); ++I) {
      unsigned P = I - Skip;
      if (P >= Callee->getNumParams() ||
          Callee->getParamDecl(P)->getType()->isReferenceType())
        continue;
      const Expr *Arg = CE->getArg(I)->IgnoreImplicit();
      if (const auto *Ctor = dyn_cast<CXXConstructExpr>(Arg))
        if (Ctor->getNumArgs() == 1)
          Arg = Ctor->getArg(0)->IgnoreImplicit();
      const auto *Move = dyn_cast<CallExpr>(Arg);
      if (!Move || Move->getNumArgs() != 1 || calleeName(Move) != "move")
        continue;
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(Move->getArg(0)->IgnoreParenImpCasts()))
        if (const auto *G = dyn_cast<VarDecl>(DRE->getDecl()))
          if (Result.GuardLocks.count(G))
            releaseOwned(S, G);
    }
  }
  const LockSummary *Sum = Summaries(Callee);
  if (!Sum)
    return;
  std::string Via = qualifiedName(Callee);
  for (const LockRef &L : Sum->Releases)
    for (const LockRef &M : mapCalleeLock(Result, L, Call, Ctx, Config))
      release(S, M, Record);
  for (const HeldLock &H : Sum->ReturnsHolding)
    for (const LockRef &M : mapCalleeLock(Result, H.Lock, Call, Ctx, Config))
      if (!M.IsGuardParam)
        acquire(S, M, H.Shared, Call->getBeginLoc(), nullptr, Via, Call,
                Record);
}

void Analyzer::bindGuard(State &S, const VarDecl *VD, const GuardInit &G,
                         SourceLocation Site, bool Record) {
  auto &Bound = Result.GuardLocks[VD];
  if (G.Mode == GuardMode::MoveFrom) {
    if (SharedGuards.count(G.From))
      SharedGuards.insert(VD);
    auto It = Result.GuardLocks.find(G.From);
    if (It != Result.GuardLocks.end())
      Bound = It->second;
    for (HeldSet *Set : {&S.Must, &S.May})
      for (HeldLock &H : *Set)
        if (H.Owner == G.From)
          H.Owner = VD;
    return;
  }
  Bound.clear();
  if (G.Shared)
    SharedGuards.insert(VD);
  else
    SharedGuards.erase(VD);
  for (const Expr *LE : G.Locks)
    if (auto L = resolveLock(LE, Fn, Ctx, Config))
      Bound.push_back(*L);
  if (G.Mode != GuardMode::Lock && G.Mode != GuardMode::Adopt)
    return;
  // std::scoped_lock(a, b) takes its locks together, deadlock-free.
  HeldSet Before = S.Must;
  for (const LockRef &L : Bound) {
    if (G.Mode == GuardMode::Adopt)
      for (HeldSet *Set : {&S.Must, &S.May}) {
        auto It = findKey(*Set, L.Key);
        if (It != Set->end() && It->Lock.Key == L.Key)
          It->Owner = VD;
      }
    acquire(S, L, G.Shared, Site, VD, "", nullptr,
            Record && G.Mode == GuardMode::Lock, &Before);
  }
}

/// Strips what lies between a guard-valued expression and the call or
/// construction that makes it (temporaries, elidable moves).
static const Expr *guardSource(const Expr *E) {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreImplicit();
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = Cast->getSubExpr();
      continue;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
      if (CE->isElidable() && CE->getNumArgs() == 1) {
        E = CE->getArg(0);
        continue;
      }
    return E;
  }
  return E;
}

bool Analyzer::guardFromCall(State &S, const VarDecl *VD, const DeclStmt *DS,
                             bool Record) {
  // auto lk = acquire(); where acquire() returns a locked guard (testdata:
  // blocking-in-critical-section/unique_lock.cpp, guard_from_factory_bad).
  const auto *Call = dyn_cast_or_null<CallExpr>(guardSource(VD->getInit()));
  const FunctionDecl *Callee = Call ? calleeOf(Call) : nullptr;
  const LockSummary *Sum = Callee ? Summaries(Callee) : nullptr;
  if (!Sum || Sum->ReturnsGuardOf.empty())
    return false;
  auto &Bound = Result.GuardLocks[VD];
  Bound.clear();
  for (const LockRef &L : Sum->ReturnsGuardOf)
    for (const LockRef &M : mapCalleeLock(Result, L, Call, Ctx, Config))
      Bound.push_back(M);
  HeldSet Before = S.Must;
  for (const LockRef &L : Bound)
    acquire(S, L, false, DS->getBeginLoc(), VD, qualifiedName(Callee), Call,
            Record, &Before);
  return true;
}

void Analyzer::onReturn(const State &S, const ReturnStmt *R) {
  if (!R->getRetValue() || !isGuardType(Fn->getReturnType(), Config) ||
      !Result.Summary.ReturnsGuardOf.empty())
    return;
  const Expr *E = guardSource(R->getRetValue());
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    if (CE->getConstructor()->isCopyOrMoveConstructor() &&
        CE->getNumArgs() == 1)
      E = guardSource(CE->getArg(0));
  if (const VarDecl *G = guardVariable(E, Config)) {
    for (const HeldLock &H : S.Must)
      if (H.Owner == G)
        Result.Summary.ReturnsGuardOf.push_back(H.Lock);
    return;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    GuardInit G = describeGuardConstruct(CE, Config);
    if (G.Mode != GuardMode::Lock && G.Mode != GuardMode::Adopt)
      return;
    for (const Expr *LE : G.Locks)
      if (auto L = resolveLock(LE, Fn, Ctx, Config))
        Result.Summary.ReturnsGuardOf.push_back(*L);
  }
}

void Analyzer::onStmt(State &S, const Stmt *St, bool Record) {
  if (const auto *R = dyn_cast<ReturnStmt>(St)) {
    if (Record)
      onReturn(S, R);
    return;
  }
  // lk = std::unique_lock<std::mutex>(m); lk = std::move(other);
  // (testdata: unique_lock.cpp, move_assigned_then_unlocked_ok)
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(St))
    if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
      if (const VarDecl *G = guardVariable(Op->getArg(0), Config))
        if (!isa<ParmVarDecl>(G)) {
          releaseOwned(S, G);
          const Expr *Rhs = Op->getArg(1)->IgnoreImplicit();
          GuardInit Init;
          if (const VarDecl *From = guardVariable(Rhs, Config)) {
            Init.Mode = GuardMode::MoveFrom;
            Init.From = From;
          } else {
            if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(Rhs))
              Rhs = Cast->getSubExpr()->IgnoreImplicit();
            if (const auto *CE = dyn_cast<CXXConstructExpr>(Rhs))
              Init = describeGuardConstruct(CE, Config);
          }
          bindGuard(S, G, Init, Op->getBeginLoc(), Record);
          return;
        }
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD)
        continue;
      if (auto G = describeGuardInit(VD, Config)) {
        if (G->Mode == GuardMode::Empty && guardFromCall(S, VD, DS, Record))
          continue;
        bindGuard(S, VD, *G, DS->getBeginLoc(), Record);
        continue;
      }
      // int rc = pthread_mutex_trylock(&m); ... if (rc == 0)
      if (const Expr *Init = VD->getInit()) {
        const Expr *I = stripCond(Init);
        for (const LockEffect &E : lockEffectsOfCall(I, Config))
          if (E.Op == LockOp::TryAcquire || isCheckedLock(I, E))
            TryVars[VD] = I;
      }
    }
    return;
  }
  if (isa<CallExpr>(St)) {
    onCall(S, cast<Expr>(St), Record);
    return;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(St)) {
    // Guards are handled at their declaration; other constructors are calls.
    if (!isGuardType(CE->getType(), Config) && Record)
      Result.Calls.push_back(
          CallSite{CE, calleeOf(CE), S.Must, S.May, S.Released});
  }
}

void Analyzer::transfer(State &S, const CFGElement &E, bool Record) {
  if (auto CS = E.getAs<CFGStmt>()) {
    if (Record) {
      std::vector<HeldSet> &Sets = Result.HeldSets;
      if (Sets.empty() || !sameKeys(Sets.back(), S.Must))
        Sets.push_back(S.Must);
      Result.MustAt.try_emplace(CS->getStmt(), Sets.size() - 1);
    }
    onStmt(S, CS->getStmt(), Record);
  } else if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
    releaseOwned(S, D->getVarDecl());
  }
}

std::optional<TryTest>
Analyzer::analyzeTry(const Expr *Cond, bool NonZeroOnTrue, int Depth) const {
  if (!Cond || Depth > 8)
    return std::nullopt;
  Cond = stripCond(Cond);
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
    if (UO->getOpcode() == UO_LNot)
      return analyzeTry(UO->getSubExpr(), !NonZeroOnTrue, Depth + 1);
    return std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    // The left operand of && and || was tested in an earlier block.
    if (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr)
      return analyzeTry(BO->getRHS(), NonZeroOnTrue, Depth + 1);
    if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) {
      bool Flip = BO->getOpcode() == BO_EQ;
      if (isZero(BO->getRHS(), Ctx))
        return analyzeTry(BO->getLHS(), Flip ? !NonZeroOnTrue : NonZeroOnTrue,
                          Depth + 1);
      if (isZero(BO->getLHS(), Ctx))
        return analyzeTry(BO->getRHS(), Flip ? !NonZeroOnTrue : NonZeroOnTrue,
                          Depth + 1);
      // trylock(&m) == EBUSY: the error code is non-zero where it is equal.
      if (isNonZeroConstant(BO->getRHS()))
        return analyzeTry(BO->getLHS(), Flip ? NonZeroOnTrue : !NonZeroOnTrue,
                          Depth + 1);
    }
    return std::nullopt;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Cond)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      auto It = TryVars.find(VD);
      if (It != TryVars.end())
        return TryTest{It->second, nullptr, NonZeroOnTrue};
    }
    return std::nullopt;
  }
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Cond)) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    const VarDecl *Guard =
        guardVariable(MCE->getImplicitObjectArgument(), Config);
    if (Guard && MD &&
        (isa<CXXConversionDecl>(MD) ||
         (MD->getDeclName().isIdentifier() && MD->getName() == "owns_lock")))
      return TryTest{nullptr, Guard, NonZeroOnTrue};
  }
  if (isa<CallExpr>(Cond))
    for (const LockEffect &E : lockEffectsOfCall(Cond, Config))
      if (E.Op == LockOp::TryAcquire || isCheckedLock(Cond, E))
        return TryTest{Cond, nullptr, NonZeroOnTrue};
  return std::nullopt;
}

bool Analyzer::isCheckedLock(const Expr *Call, const LockEffect &E) const {
  // pthread_mutex_lock, mtx_lock, ...: C calls that return an error code
  // and lock only when it is 0.
  return E.Op == LockOp::Acquire && !E.Guard && Call &&
         Call->getType()->isIntegerType() && isa<CallExpr>(Call) &&
         !isa<CXXMemberCallExpr>(Call);
}

bool Analyzer::isNonZeroConstant(const Expr *E) const {
  if (!E || E->isValueDependent())
    return false;
  Expr::EvalResult R;
  return E->EvaluateAsInt(R, Ctx) && R.Val.getInt() != 0;
}

void Analyzer::applyEdge(State &S, const CFGBlock *From, unsigned SuccIndex) {
  // Entering a handler: guards declared inside the try block were destroyed
  // while the exception left it (testdata: control_flow.cpp, catch_ok).
  if (const auto *Try =
          dyn_cast_or_null<CXXTryStmt>(From->getTerminatorStmt())) {
    SourceRange R = Try->getTryBlock()->getSourceRange();
    const SourceManager &SM = Ctx.getSourceManager();
    auto Inside = [&](const HeldLock &H) {
      if (!H.Owner)
        return false;
      SourceLocation L = H.Owner->getLocation();
      return !SM.isBeforeInTranslationUnit(L, R.getBegin()) &&
             !SM.isBeforeInTranslationUnit(R.getEnd(), L);
    };
    for (HeldSet *Set : {&S.Must, &S.May})
      Set->erase(std::remove_if(Set->begin(), Set->end(), Inside), Set->end());
    return;
  }
  if (From->succ_size() != 2)
    return;
  const Stmt *Term = From->getTerminatorStmt();
  if (!Term || isa<SwitchStmt>(Term))
    return;
  const auto *CondExpr = dyn_cast_or_null<Expr>(From->getTerminatorCondition());
  auto Test = analyzeTry(CondExpr, true, 0);
  if (!Test)
    return;
  unsigned NonZeroBranch = Test->NonZeroOnTrue ? 0 : 1;
  if (Test->Guard) {
    if (SuccIndex != NonZeroBranch)
      return;
    // A shared_lock that got its lock (try_to_lock, a timeout) holds it in
    // shared mode.
    LockEffect E{LockOp::Acquire, nullptr, Test->Guard,
                 SharedGuards.count(Test->Guard) > 0};
    auto It = Result.GuardLocks.find(Test->Guard);
    if (It == Result.GuardLocks.end())
      return;
    for (const LockRef &L : It->second) {
      auto Held = findKey(S.Must, L.Key);
      if (Held == S.Must.end() || Held->Lock.Key != L.Key)
        applyEffect(S, E, CondExpr->getBeginLoc(), nullptr, false);
    }
    return;
  }
  for (const LockEffect &E : lockEffectsOfCall(Test->Call, Config)) {
    // A checked lock call that failed locked nothing: drop what the call
    // added (testdata: lock-leak/pthread.c, checked_ok).
    if (isCheckedLock(Test->Call, E)) {
      if (SuccIndex == NonZeroBranch)
        if (auto L = resolveLock(E.Lock, Fn, Ctx, Config))
          for (HeldSet *Set : {&S.Must, &S.May})
            removeFrom(*Set, L->Key);
      continue;
    }
    if (E.Op != LockOp::TryAcquire)
      continue;
    unsigned Success =
        E.Success == TrySuccess::NonZero ? NonZeroBranch : 1 - NonZeroBranch;
    if (SuccIndex == Success)
      applyEffect(S, E, Test->Call->getBeginLoc(), nullptr, false);
  }
}

State Analyzer::entryOf(const CFGBlock *B, const std::vector<State> &Out) {
  State In;
  if (B == &Cfg.getEntry()) {
    In.Reached = true;
    return In;
  }
  for (const CFGBlock *P : B->preds()) {
    if (!P || !Out[P->getBlockID()].Reached)
      continue;
    State Edge = Out[P->getBlockID()];
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : P->succs()) {
      if (Succ.getReachableBlock() == B) {
        applyEdge(Edge, P, Index);
        break;
      }
      ++Index;
    }
    if (!In.Reached) {
      In = std::move(Edge);
      continue;
    }
    In.Must = intersect(In.Must, Edge.Must);
    In.May = unite(In.May, Edge.May);
    In.Released = unite(In.Released, Edge.Released);
  }
  return In;
}

FunctionLocks Analyzer::run() {
  // Reverse post-order, so most blocks see their predecessors first.
  std::vector<const CFGBlock *> Order;
  {
    std::vector<char> Seen(Cfg.getNumBlockIDs(), 0);
    std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>>
        Stack;
    Stack.push_back({&Cfg.getEntry(), Cfg.getEntry().succ_begin()});
    Seen[Cfg.getEntry().getBlockID()] = 1;
    while (!Stack.empty()) {
      auto &[B, It] = Stack.back();
      if (It == B->succ_end()) {
        Order.push_back(B);
        Stack.pop_back();
        continue;
      }
      const CFGBlock *Next = It->getReachableBlock();
      ++It;
      if (Next && !Seen[Next->getBlockID()]) {
        Seen[Next->getBlockID()] = 1;
        Stack.push_back({Next, Next->succ_begin()});
      }
    }
    std::reverse(Order.begin(), Order.end());
  }

  std::vector<State> Out(Cfg.getNumBlockIDs());
  constexpr int MaxPasses = 32; // the budget: loops converge in a few passes
  bool Changed = true;
  int Pass = 0;
  for (; Changed && Pass < MaxPasses; ++Pass) {
    Changed = false;
    for (const CFGBlock *B : Order) {
      State S = entryOf(B, Out);
      if (!S.Reached)
        continue;
      for (const CFGElement &E : *B)
        transfer(S, E, false);
      State &Old = Out[B->getBlockID()];
      if (!Old.Reached || !sameKeys(Old.Must, S.Must) ||
          !sameKeys(Old.May, S.May) || !sameKeys(Old.Released, S.Released)) {
        Old = std::move(S);
        Changed = true;
      }
    }
  }
  if (Changed)
    return Result; // over budget: Analysed stays false

  // One recording pass over the fixed point.
  for (const CFGBlock *B : Order) {
    State S = entryOf(B, Out);
    if (!S.Reached)
      continue;
    for (const CFGElement &E : *B)
      transfer(S, E, true);
  }
  for (const CFGBlock *P : Cfg.getExit().preds()) {
    if (!P || !Out[P->getBlockID()].Reached || P->hasNoReturnElement())
      continue;
    ExitPoint X;
    for (const CFGElement &E : *P)
      if (auto CS = E.getAs<CFGStmt>())
        if (isa<ReturnStmt, CXXThrowExpr>(CS->getStmt()))
          X.At = CS->getStmt();
    if (!X.At)
      if (const Stmt *T = P->getTerminatorStmt())
        if (isa<ReturnStmt, CXXThrowExpr, CXXTryStmt>(T))
          X.At = T;
    if (X.At)
      X.Loc = X.At->getBeginLoc();
    else if (const Stmt *Body = Fn->getBody())
      X.Loc = Body->getEndLoc();
    X.Must = Out[P->getBlockID()].Must;
    Result.Exits.push_back(std::move(X));
  }
  State AtExit = entryOf(&Cfg.getExit(), Out);
  if (AtExit.Reached)
    for (const HeldLock &H : AtExit.Must)
      if (!H.Owner && (H.Lock.ParamIndex >= 0 || !H.Lock.GlobalKey.empty()))
        Result.Summary.ReturnsHolding.push_back(H);
  Result.Analysed = true;
  return Result;
}

} // namespace

FunctionLocks analyzeHeldLocks(const FunctionDecl *Fn, const CFG &Cfg,
                               const ASTContext &Ctx, const ModelConfig &Config,
                               SummaryLookup Summaries) {
  Analyzer A(Fn, Cfg, Ctx, Config, Summaries);
  return A.run();
}

} // namespace threadlint::model
