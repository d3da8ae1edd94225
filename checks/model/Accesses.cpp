//===--- Accesses.cpp - who touches shared state, from which threads ------===//

#include "Accesses.h"
#include "HeldLocks.h"
#include "SharedState.h"
#include "TUModel.h"
#include "Threads.h"
#include "Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <algorithm>
#include <deque>
#include <optional>
#include <set>
#include <tuple>

using namespace clang;

namespace threadlint::model {

bool Access::holds(const std::string &LockId, bool Exclusive) const {
  for (const AccessLock &L : Held)
    if (L.Id == LockId && (!Exclusive || !L.Shared))
      return true;
  return false;
}

SourceLocation Access::loc() const { return Op->getExprLoc(); }

const char *accessVerb(AccessKind K) {
  switch (K) {
  case AccessKind::Read:
    return "read";
  case AccessKind::Write:
    return "written";
  case AccessKind::Update:
    return "updated";
  }
  return "accessed";
}

bool mayBeLockWrapper(const FunctionDecl *Callee) {
  if (!Callee || Callee->hasBody() || declaredBySystem(Callee) ||
      !Callee->getDeclName().isIdentifier())
    return false;
  std::string N = Callee->getName().lower();
  return N.find("lock") != std::string::npos ||
         N.find("acquire") != std::string::npos ||
         N.find("release") != std::string::npos ||
         N.find("enter") != std::string::npos ||
         N.find("leave") != std::string::npos ||
         N.find("critical") != std::string::npos;
}

bool wrapperMayTouch(const FunctionDecl *In, const Expr *Call,
                     const LockRef &L) {
  const auto *CE = dyn_cast<CallExpr>(Call);
  if (!CE || !mayBeLockWrapper(calleeOf(CE)))
    return false;
  llvm::SmallPtrSet<const Decl *, 4> Roots;
  if (L.Decl)
    Roots.insert(L.Decl);
  for (int Index : {L.ParamIndex, L.BaseParamIndex})
    if (Index >= 0 && In && static_cast<unsigned>(Index) < In->getNumParams())
      Roots.insert(In->getParamDecl(Index));
  bool Global = L.Decl && isa<VarDecl>(L.Decl) &&
                cast<VarDecl>(L.Decl)->hasGlobalStorage();
  bool Field = L.Decl && isa<FieldDecl>(L.Decl);
  // unlock_all() with no arguments may release any global lock.
  if (CE->getNumArgs() == 0 && (Global || !L.Decl))
    return true;
  bool Touches = false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
    Touches |= Field && isa<CXXThisExpr>(
                            MC->getImplicitObjectArgument()->IgnoreImpCasts());
  for (const Expr *A : CE->arguments())
    forEachStmt(A, [&](const Stmt *S) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        Touches |= Roots.count(DRE->getDecl()) > 0;
      else if (isa<CXXThisExpr>(S))
        Touches |= Field;
      else if (const auto *ME = dyn_cast<MemberExpr>(S))
        Touches |= Roots.count(ME->getMemberDecl()) > 0;
    });
  return Touches;
}

namespace {

const Stmt *parentOf(const Stmt *S, ASTContext &Ctx) {
  DynTypedNodeList P = Ctx.getParents(*S);
  return P.empty() ? nullptr : P[0].get<Stmt>();
}

/// The variable a thread start (or a std::async call) initialises:
/// std::thread t(...), auto f = std::async(...).
const VarDecl *ownerVariable(const Stmt *Site, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*Site);
  for (int Depth = 0; Depth < 6; ++Depth) {
    DynTypedNodeList P = Ctx.getParents(N);
    if (P.empty())
      return nullptr;
    if (const auto *VD = P[0].get<VarDecl>())
      return VD;
    const auto *E = P[0].get<Expr>();
    if (!E)
      return nullptr;
    N = P[0];
  }
  return nullptr;
}

bool isLoop(const Stmt *S) {
  return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

/// The innermost loop around \p S inside function body \p Body.
const Stmt *enclosingLoop(const Stmt *S, const Stmt *Body, ASTContext &Ctx) {
  for (const Stmt *P = parentOf(S, Ctx); P && P != Body; P = parentOf(P, Ctx))
    if (isLoop(P))
      return P;
  return nullptr;
}

SourceLocation begin(const Stmt *S, const SourceManager &SM) {
  return SM.getExpansionLoc(S->getBeginLoc());
}

bool before(SourceLocation A, SourceLocation B, const SourceManager &SM) {
  return SM.isBeforeInTranslationUnit(A, B);
}

bool inConcurrentRegion(const ConcurrentRegion &R, const Stmt *S,
                        const SourceManager &SM) {
  SourceLocation L = begin(S, SM);
  if (R.Loop && before(begin(R.Loop, SM), L, SM) &&
      before(L, SM.getExpansionLoc(R.Loop->getEndLoc()), SM))
    return true;
  return before(R.From, L, SM) && (R.To.isInvalid() || before(L, R.To, SM));
}

bool isFutureType(QualType T) {
  std::string N;
  if (const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl())
    N = qualifiedName(RD);
  return N == "std::future" || N == "std::shared_future";
}

/// A call that waits for a thread by itself: join, pthread_join, thrd_join,
/// a future's get/wait.
bool isJoinCall(const CallExpr *C) {
  llvm::StringRef N = calleeName(C);
  if (N == "pthread_join" || N == "thrd_join")
    return true;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C)) {
    if (N == "join")
      return true;
    if (N == "get" || N == "wait")
      if (const CXXMethodDecl *M = MC->getMethodDecl())
        if (qualifiedName(M->getParent()).find("future") != std::string::npos)
          return true;
  }
  return false;
}

/// The state a DeclRefExpr/MemberExpr names, if it is state threads can
/// share (before looking at how it is reached).
bool isStateDecl(const ValueDecl *D, const ModelConfig &Config) {
  if (!isa<VarDecl, FieldDecl>(D))
    return false;
  QualType T = D->getType();
  if (T.isConstQualified() || T->isReferenceType() || T->isFunctionType())
    return false;
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (VD->isConstexpr() || VD->getTLSKind() != VarDecl::TLS_None ||
        isa<ParmVarDecl>(VD))
      return false;
  }
  QualType Elem = T;
  while (const ArrayType *AT = Elem->getAsArrayTypeUnsafe())
    Elem = AT->getElementType();
  if (Elem.isConstQualified())
    return false;
  if (classifyLockType(Elem, Config) || isGuardType(Elem, Config) ||
      holdsStdThreads(Elem))
    return false;
  if (const auto *RD = Elem->getAsCXXRecordDecl()) {
    std::string N = qualifiedName(RD);
    if (N.find("condition_variable") != std::string::npos ||
        N == "std::once_flag" || N == "std::latch" || N == "std::barrier" ||
        N.find("semaphore") != std::string::npos || isFutureType(Elem) ||
        N == "std::promise")
      return false;
  }
  return true;
}

/// Mutating member functions of the standard containers and strings.
bool isMutatingLibraryMethod(llvm::StringRef N) {
  static const char *const Names[] = {"insert",
                                      "emplace",
                                      "emplace_back",
                                      "emplace_front",
                                      "emplace_hint",
                                      "push_back",
                                      "push_front",
                                      "pop_back",
                                      "pop_front",
                                      "erase",
                                      "clear",
                                      "resize",
                                      "reserve",
                                      "assign",
                                      "swap",
                                      "try_emplace",
                                      "insert_or_assign",
                                      "merge",
                                      "extract",
                                      "append",
                                      "push",
                                      "pop",
                                      "shrink_to_fit",
                                      "reset",
                                      "release",
                                      "splice",
                                      "remove",
                                      "remove_if",
                                      "unique",
                                      "sort",
                                      "replace",
                                      "operator=",
                                      "operator+=",
                                      "operator-="};
  for (const char *X : Names)
    if (N == X)
      return true;
  return false;
}

bool isMapLike(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string N = qualifiedName(RD);
  return N == "std::map" || N == "std::unordered_map" ||
         llvm::StringRef(N).ends_with("flat_map");
}

/// Whether \p Sub mentions \p D (x = x + 1, x = f(x)).
bool mentions(const Stmt *Sub, const ValueDecl *D) {
  bool Found = false;
  forEachStmt(Sub, [&](const Stmt *S) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      Found |= DRE->getDecl() == D;
    else if (const auto *ME = dyn_cast<MemberExpr>(S))
      Found |= ME->getMemberDecl() == D;
  });
  return Found;
}

class Builder {
public:
  Builder(TUModel &Model, std::vector<ThreadEntry> &Entries,
          std::vector<Access> &Accesses,
          std::vector<std::vector<char>> &Overlap,
          llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<unsigned, 2>>
              &FnEntries,
          llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<unsigned, 2>>
              &FnConcurrent)
      : Model(Model), Ctx(Model.context()), SM(Ctx.getSourceManager()),
        Entries(Entries), Accesses(Accesses), Overlap(Overlap),
        FnEntries(FnEntries), FnConcurrent(FnConcurrent) {}

  void run() {
    collectCallGraph();
    collectEntries();
    computeEntryHeld();
    for (unsigned E = 0; E < Entries.size(); ++E)
      propagate(Entries[E].Fn, E, FnEntries);
    computeRegions();
    computeOverlap();
    for (const FunctionDecl *FD : Model.functions())
      collectAccesses(FD);
  }

  /// Whether threads of two different entries can run at the same time:
  /// not when both are started in one function and neither start is in
  /// the other thread's concurrent region (start, join, start, join).
  void computeOverlap() {
    size_t N = Entries.size();
    Overlap.assign(N, std::vector<char>(N, 1));
    auto StartedWhileRunning = [&](const StartSite &S, unsigned E) {
      auto C = FnConcurrent.find(S.In);
      if (C != FnConcurrent.end() && llvm::is_contained(C->second, E))
        return true;
      auto F = FnEntries.find(S.In);
      if (F != FnEntries.end() && llvm::is_contained(F->second, E))
        return true;
      auto R = Regions.find(S.In);
      if (R != Regions.end())
        for (const Region &Reg : R->second)
          if (Reg.Entry == E && inRegion(Reg, S.Start->Site))
            return true;
      return false;
    };
    for (unsigned E = 0; E < N; ++E)
      for (unsigned F = E + 1; F < N; ++F) {
        bool Over = false;
        for (const StartSite &SE : Sites)
          for (const StartSite &SF : Sites) {
            if (SE.Entry != E || SF.Entry != F || Over)
              continue;
            if (StartedWhileRunning(SF, E) || StartedWhileRunning(SE, F) ||
                SE.In != SF.In)
              Over = true;
          }
        Overlap[E][F] = Overlap[F][E] = Over;
      }
  }

private:
  using Region = ConcurrentRegion;

  void collectCallGraph() {
    for (const FunctionDecl *FD : Model.functions()) {
      const FunctionLocks *FL = Model.locks(FD);
      if (!FL)
        continue;
      for (const CallSite &C : FL->Calls) {
        const FunctionDecl *Callee = C.Callee;
        if (!Callee)
          continue;
        if (const FunctionDecl *Def = Callee->getDefinition())
          Callee = Def;
        Callees[FD].push_back(Callee);
        CallersOf[Callee].push_back({FD, C.Call});
        CallSites[Callee].push_back({FD, &C});
        // A lambda handed to a call made under a lock (a condition
        // variable's predicate, std::call_once, an algorithm) runs inside
        // the call, holding those locks.
        if (const auto *CE = dyn_cast<CallExpr>(C.Call))
          if (!recognizeThreadStart(CE, Model.config()))
            for (const Expr *Arg : CE->arguments()) {
              const Expr *A = Arg->IgnoreImplicit();
              if (const auto *Ctor = dyn_cast<CXXConstructExpr>(A);
                  Ctor && Ctor->getNumArgs() == 1)
                A = Ctor->getArg(0)->IgnoreImplicit();
              if (const auto *LE = dyn_cast<LambdaExpr>(A))
                CallSites[LE->getCallOperator()].push_back({FD, &C});
            }
      }
    }
    // Functions that wait for threads, directly or through calls.
    for (const FunctionDecl *FD : Model.functions()) {
      forEachStmt(FD->getBody(), [&](const Stmt *S) {
        if (const auto *C = dyn_cast<CallExpr>(S); C && isJoinCall(C))
          Joins.insert(FD);
      });
    }
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const FunctionDecl *FD : Model.functions())
        if (!Joins.count(FD))
          for (const FunctionDecl *C : Callees[FD])
            if (Joins.count(C)) {
              Joins.insert(FD);
              Changed = true;
              break;
            }
    }
  }

  /// Locks every caller holds when it calls a function (the function's
  /// callers all in this TU, none a thread start): a private helper called
  /// under the lock, a predicate run by cv.wait. Top-down over the call
  /// graph; a function called without a lock anywhere gets none.
  void computeEntryHeld() {
    llvm::DenseSet<const FunctionDecl *> EntryFns;
    for (const ThreadEntry &E : Entries)
      EntryFns.insert(E.Fn);
    llvm::ArrayRef<const FunctionDecl *> Fns = Model.functions();
    for (int Round = 0; Round < 3; ++Round)
      for (auto It = Fns.rbegin(); It != Fns.rend(); ++It) {
        const FunctionDecl *FD = *It;
        auto Sites = CallSites.find(FD);
        if (Sites == CallSites.end() || EntryFns.count(FD))
          continue;
        std::optional<std::vector<AccessLock>> Common;
        for (const auto &[Caller, Site] : Sites->second) {
          std::vector<AccessLock> Here;
          for (const HeldLock &H : Site->Must)
            if (!H.Lock.GlobalKey.empty())
              Here.push_back(AccessLock{lockId(H.Lock), H.Lock.Name, H.Shared,
                                        H.Lock.Kind, H.Site});
          auto Inherited = EntryHeld.find(Caller);
          if (Inherited != EntryHeld.end())
            for (const AccessLock &L : Inherited->second)
              Here.push_back(L);
          if (!Common) {
            Common = std::move(Here);
            continue;
          }
          std::vector<AccessLock> Both;
          for (const AccessLock &L : *Common)
            for (const AccessLock &M : Here)
              if (L.Id == M.Id) {
                Both.push_back(L);
                Both.back().Shared = L.Shared || M.Shared;
                break;
              }
          Common = std::move(Both);
        }
        if (Common && !Common->empty())
          EntryHeld[FD] = std::move(*Common);
        else
          EntryHeld.erase(FD);
      }
  }

  /// Whether the call or construct expression \p E waits for threads.
  bool waits(const Expr *E) {
    if (const auto *C = dyn_cast<CallExpr>(E))
      if (isJoinCall(C))
        return true;
    const FunctionDecl *Callee = calleeOf(E);
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
      Callee = CE->getConstructor();
    if (Callee && Callee->getDefinition())
      Callee = Callee->getDefinition();
    return Callee && Joins.count(Callee);
  }

  /// The first wait for threads in \p FD after \p From, in source order.
  /// A join of another thread object than \p Owner (t2.join() does not
  /// wait for t1; pthread_join(other, ...) neither).
  static bool joinsAnother(const Expr *E, const VarDecl *Owner,
                           const VarDecl *MovedTo = nullptr) {
    if (!Owner)
      return false;
    const Expr *Obj = nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
        MC && calleeName(MC) == "join")
      Obj = MC->getImplicitObjectArgument();
    else if (const auto *C = dyn_cast<CallExpr>(E);
             C &&
             (calleeName(C) == "pthread_join" ||
              calleeName(C) == "thrd_join") &&
             C->getNumArgs() > 0)
      Obj = C->getArg(0);
    if (!Obj)
      return false;
    const auto *DRE = dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && VD->hasLocalStorage() && VD != Owner && VD != MovedTo &&
           !VD->getType()->isReferenceType();
  }

  /// The local a thread object is moved into (std::thread b =
  /// std::move(a); b = std::move(a);): joining it waits for the thread.
  const VarDecl *movedTo(const FunctionDecl *FD, const VarDecl *Owner) {
    const VarDecl *Out = nullptr;
    if (!Owner)
      return nullptr;
    auto IsMoveOfOwner = [&](const Expr *E) {
      if (!E)
        return false;
      E = E->IgnoreImplicit();
      if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
        if (CE->getNumArgs() == 1)
          E = CE->getArg(0)->IgnoreImplicit();
      const auto *C = dyn_cast<CallExpr>(E);
      if (!C || C->getNumArgs() != 1 || calleeName(C) != "move")
        return false;
      const auto *DRE =
          dyn_cast<DeclRefExpr>(C->getArg(0)->IgnoreParenImpCasts());
      return DRE && DRE->getDecl() == Owner;
    };
    forEachStmt(FD->getBody(), [&](const Stmt *S) {
      if (Out)
        return;
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (IsMoveOfOwner(VD->getInit()))
              Out = VD;
      } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
        if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
            IsMoveOfOwner(Op->getArg(1)))
          if (const auto *DRE =
                  dyn_cast<DeclRefExpr>(Op->getArg(0)->IgnoreParenImpCasts()))
            Out = dyn_cast<VarDecl>(DRE->getDecl());
      }
    });
    return Out;
  }

  /// Whether a class's destructor joins (a thread guard, a thread group).
  static bool destructorJoins(QualType T) {
    const auto *RD = T->getAsCXXRecordDecl();
    if (!RD || !RD->hasDefinition())
      return false;
    const CXXDestructorDecl *D = RD->getDestructor();
    if (!D || !D->hasBody())
      return false;
    bool Joins = false;
    forEachStmt(D->getBody(), [&](const Stmt *S) {
      if (const auto *C = dyn_cast<CallExpr>(S))
        Joins |= calleeName(C) == "join" || calleeName(C) == "pthread_join";
    });
    return Joins;
  }

  /// The end of the scope of a local whose destructor joins the thread
  /// started at \p Anchor: a guard constructed with the thread object
  /// (thread_guard g(t)), or the object whose member container the thread
  /// was built in (group.threads.emplace_back(...)).
  SourceLocation guardScopeEnd(const FunctionDecl *FD, const Stmt *Anchor,
                               const VarDecl *Owner, const Expr *Container) {
    const VarDecl *Holder = nullptr;
    if (Container)
      if (const auto *ME =
              dyn_cast<MemberExpr>(Container->IgnoreParenImpCasts()))
        if (const auto *DRE =
                dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
          if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
            if (VD->hasLocalStorage() && destructorJoins(VD->getType()))
              Holder = VD;
    // A container of std::jthread joins them all when destroyed.
    if (!Holder && Container)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(Container->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          if (const auto *Spec =
                  dyn_cast_or_null<ClassTemplateSpecializationDecl>(
                      VD->getType()->getAsCXXRecordDecl()))
            if (VD->hasLocalStorage() && Spec->getTemplateArgs().size() > 0 &&
                Spec->getTemplateArgs()[0].getKind() ==
                    TemplateArgument::Type &&
                isJThreadType(Spec->getTemplateArgs()[0].getAsType()))
              Holder = VD;
    if (!Holder && Owner)
      forEachStmt(FD->getBody(), [&](const Stmt *S) {
        const auto *DS = dyn_cast<DeclStmt>(S);
        if (Holder || !DS || !before(begin(Anchor, SM), begin(DS, SM), SM))
          return;
        for (const Decl *D : DS->decls()) {
          const auto *VD = dyn_cast<VarDecl>(D);
          if (!VD || !VD->getInit() || !destructorJoins(VD->getType()))
            continue;
          forEachStmt(VD->getInit(), [&](const Stmt *X) {
            if (const auto *DRE = dyn_cast<DeclRefExpr>(X))
              if (DRE->getDecl() == Owner)
                Holder = VD;
          });
        }
      });
    if (!Holder)
      return {};
    DynTypedNodeList P = Ctx.getParents(*Holder);
    const Stmt *B = P.empty() ? nullptr : P[0].get<Stmt>();
    for (; B; B = parentOf(B, Ctx))
      if (isa<CompoundStmt>(B))
        return SM.getExpansionLoc(B->getEndLoc());
    return {};
  }

  SourceLocation firstWaitAfter(const FunctionDecl *FD, SourceLocation From,
                                const Stmt *Within = nullptr,
                                const Expr **Wait = nullptr,
                                const VarDecl *Owner = nullptr,
                                const VarDecl *MovedTo = nullptr) {
    SourceLocation Best;
    forEachStmt(Within ? Within : FD->getBody(), [&](const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      if (!E || !isa<CallExpr, CXXConstructExpr>(E))
        return;
      SourceLocation L = begin(E, SM);
      if (!before(From, L, SM) || (Best.isValid() && !before(L, Best, SM)))
        return;
      if (joinsAnother(E, Owner, MovedTo))
        return;
      if (waits(E)) {
        Best = L;
        if (Wait)
          *Wait = E;
      }
    });
    return Best;
  }

  /// The object an argument hands over: x for x, &x, std::ref(x); 'this'.
  static const Expr *objectNamed(const Expr *E) {
    for (int Depth = 0; E && Depth < 4; ++Depth) {
      E = E->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(E);
          UO && UO->getOpcode() == UO_AddrOf) {
        E = UO->getSubExpr();
        continue;
      }
      if (const auto *CE = dyn_cast<CallExpr>(E)) // std::ref(x), std::cref(x)
        if (CE->getNumArgs() == 1 &&
            (calleeName(CE) == "ref" || calleeName(CE) == "cref")) {
          E = CE->getArg(0);
          continue;
        }
      if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) // reference_wrapper
        if (CE->getNumArgs() == 1) {
          E = CE->getArg(0);
          continue;
        }
      return E;
    }
    return E;
  }

  /// Whether \p E names the same object at every iteration of \p Loop.
  bool sameObject(const Expr *E, const Stmt *Loop) {
    E = objectNamed(E);
    if (!E)
      return false;
    if (isa<CXXThisExpr>(E))
      return true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD)
        return false;
      if (VD->hasGlobalStorage())
        return true;
      return !Loop || !(before(begin(Loop, SM), VD->getLocation(), SM) &&
                        before(VD->getLocation(),
                               SM.getExpansionLoc(Loop->getEndLoc()), SM));
    }
    return false;
  }

  void collectEntries() {
    llvm::DenseMap<const FunctionDecl *, unsigned> Index;
    for (const auto &[FD, S] : Model.threadStarts()) {
      if (!S.Entry)
        continue;
      const FunctionDecl *Fn =
          S.Entry->getDefinition() ? S.Entry->getDefinition() : S.Entry;
      auto [It, New] = Index.try_emplace(Fn, Entries.size());
      if (New) {
        ThreadEntry TE;
        TE.Fn = Fn;
        // The thread object's name where it has one (std::thread
        // housekeeper(...)), else the function's.
        std::string N = functionName(Fn, SM);
        if (const VarDecl *VD = ownerVariable(S.Site, Ctx))
          if (isa<LambdaExpr>(S.Callable->IgnoreImplicit()) ||
              isa<CXXMethodDecl>(Fn))
            N = VD->getName().str();
        TE.Name = "'" + N + "'";
        Entries.push_back(std::move(TE));
        SameArg.push_back(true);
        FirstArg.push_back(nullptr);
      }
      unsigned E = It->second;
      ThreadEntry &TE = Entries[E];
      TE.Starts.push_back(begin(S.Site, SM));
      Sites.push_back({FD, &S, E});

      // The object or argument the thread works on.
      const Expr *Arg = nullptr;
      bool Copy = false;
      if (isa<CXXMethodDecl>(Fn) && !cast<CXXMethodDecl>(Fn)->isStatic()) {
        const auto *MD = cast<CXXMethodDecl>(Fn);
        if (MD->getParent()->isLambda())
          Arg = nullptr; // the lambda's captures: 'this' is the creator's
        else if (MD->getOverloadedOperator() == OO_Call)
          Copy = true; // a functor: each thread runs its own copy
        else if (!S.Args.empty())
          Arg = S.Args[0];
      } else if (!S.Args.empty()) {
        Arg = S.Args[0];
      }
      const Stmt *Loop = enclosingLoop(S.Site, FD->getBody(), Ctx);
      bool Repeats = false;
      if (Loop) {
        SourceLocation W = firstWaitAfter(FD, begin(S.Site, SM), Loop);
        Repeats = W.isInvalid();
      }
      // A pool runs tasks on several threads at once, and submit sites run
      // again and again.
      if (Repeats || TE.Starts.size() > 1 || S.Api == ThreadApi::Pool)
        TE.Multi = true;
      bool Same = !Copy && (!Arg || sameObject(Arg, Loop));
      if (Arg && FirstArg[E] && TE.Starts.size() > 1) {
        const Stmt *A = objectNamed(Arg), *B = objectNamed(FirstArg[E]);
        bool BothThis = A && B && isa<CXXThisExpr>(A) && isa<CXXThisExpr>(B);
        const auto *DA = dyn_cast_or_null<DeclRefExpr>(A);
        const auto *DB = dyn_cast_or_null<DeclRefExpr>(B);
        if (!BothThis && (!DA || !DB || DA->getDecl() != DB->getDecl()))
          Same = false;
      }
      if (!FirstArg[E])
        FirstArg[E] = Arg;
      SameArg[E] = SameArg[E] && Same;
      TE.MultiSameObject = TE.Multi && SameArg[E];
    }
  }

  void propagate(const FunctionDecl *From, unsigned E,
                 llvm::DenseMap<const FunctionDecl *,
                                llvm::SmallVector<unsigned, 2>> &Into) {
    std::deque<const FunctionDecl *> Work{From};
    while (!Work.empty()) {
      const FunctionDecl *FD = Work.front();
      Work.pop_front();
      auto &Set = Into[FD];
      if (llvm::is_contained(Set, E))
        continue;
      Set.push_back(E);
      for (const FunctionDecl *C : Callees[FD])
        Work.push_back(C);
    }
  }

  /// Where the starting side runs concurrently with each entry.
  void computeRegions() {
    struct Item {
      const FunctionDecl *FD;
      SourceLocation From;
      const Stmt *Anchor; // the start or call the region begins after
      unsigned Entry;
    };
    llvm::DenseSet<std::pair<const FunctionDecl *, unsigned>> Lifted;
    std::set<std::tuple<const FunctionDecl *, SourceLocation::UIntTy, unsigned>>
        Seen;
    std::deque<Item> Work;
    for (const auto &Site : Sites)
      Work.push_back({Site.In,
                      SM.getExpansionLoc(Site.Start->Site->getEndLoc()),
                      Site.Start->Site, Site.Entry});
    while (!Work.empty()) {
      Item W = Work.front();
      Work.pop_front();
      if (!Seen.insert({W.FD, W.From.getRawEncoding(), W.Entry}).second)
        continue;
      const FunctionDecl *FD = W.FD;
      unsigned E = W.Entry;
      Region R;
      R.Entry = E;
      R.From = W.From;
      R.Site = W.Anchor ? W.Anchor->getBeginLoc() : W.From;
      const Expr *Wait = nullptr;
      // The thread's own object or id: a join of another one is no wait.
      const VarDecl *Owner = nullptr;
      if (W.Anchor) {
        Owner = ownerVariable(W.Anchor, Ctx);
        for (const StartSite &Site : Sites)
          if (Site.Start->Site == W.Anchor && Site.Start->IdArg)
            if (const auto *UO = dyn_cast<UnaryOperator>(
                    Site.Start->IdArg->IgnoreParenImpCasts());
                UO && UO->getOpcode() == UO_AddrOf)
              if (const auto *DRE = dyn_cast<DeclRefExpr>(
                      UO->getSubExpr()->IgnoreParenImpCasts()))
                Owner = dyn_cast<VarDecl>(DRE->getDecl());
      }
      const VarDecl *Moved = movedTo(FD, Owner);
      R.To = firstWaitAfter(FD, R.From, nullptr, &Wait, Owner, Moved);
      if (R.To.isInvalid() && W.Anchor)
        R.To = scopeEndOfOwner(W.Anchor);
      if (W.Anchor) {
        const Expr *Container = nullptr;
        for (const StartSite &Site : Sites)
          if (Site.Start->Site == W.Anchor)
            Container = Site.Start->Container;
        SourceLocation G = guardScopeEnd(FD, W.Anchor, Owner, Container);
        if (G.isValid() && (R.To.isInvalid() || before(G, R.To, SM))) {
          R.To = G;
          Wait = nullptr;
        }
      }
      const Stmt *Loop =
          W.Anchor ? enclosingLoop(W.Anchor, FD->getBody(), Ctx) : nullptr;
      if (Loop && firstWaitAfter(FD, R.From, Loop).isInvalid())
        R.Loop = Loop;
      Regions[FD].push_back(R);
      // Everything called in the region runs concurrently with the thread.
      forEachStmt(FD->getBody(), [&](const Stmt *S) {
        const auto *X = dyn_cast<Expr>(S);
        if (!X || !isa<CallExpr, CXXConstructExpr>(X) || !inRegion(R, X))
          return;
        const FunctionDecl *Callee = calleeOf(X);
        if (const auto *CE = dyn_cast<CXXConstructExpr>(X))
          Callee = CE->getConstructor();
        if (Callee && Callee->getDefinition())
          Callee = Callee->getDefinition();
        if (Callee && Callee != Entries[E].Fn)
          propagate(Callee, E, FnConcurrent);
      });
      // The wait is a call to a function that joins (stop() { flag = true;
      // t.join(); }): that function runs concurrently until its own wait.
      if (Wait) {
        const auto *C = dyn_cast<CallExpr>(Wait);
        const FunctionDecl *Callee =
            C && !isJoinCall(C) ? calleeOf(C) : nullptr;
        if (const auto *CE = dyn_cast<CXXConstructExpr>(Wait))
          Callee = CE->getConstructor();
        if (Callee && Callee->getDefinition())
          Callee = Callee->getDefinition();
        if (Callee && Callee->hasBody())
          Work.push_back({Callee,
                          SM.getExpansionLoc(Callee->getBody()->getBeginLoc()),
                          nullptr, E});
      }
      // The thread outlives the function: its callers go on concurrently.
      if (R.To.isInvalid() && Lifted.insert({FD, E}).second) {
        auto It = CallersOf.find(FD);
        if (It != CallersOf.end()) {
          if (It->second.size() > 1)
            Entries[E].Multi = true;
          for (const auto &[Caller, Call] : It->second)
            Work.push_back(
                {Caller, SM.getExpansionLoc(Call->getEndLoc()), Call, E});
        }
      }
    }
  }

  /// A std::jthread, or a future from std::async, bound to a local: its
  /// destructor waits at the end of the enclosing block.
  SourceLocation scopeEndOfOwner(const Stmt *At) {
    const VarDecl *VD = ownerVariable(At, Ctx);
    if (!VD || !VD->hasLocalStorage() ||
        (!isJThreadType(VD->getType()) && !isFutureType(VD->getType())))
      return {};
    DynTypedNodeList P = Ctx.getParents(*VD);
    const Stmt *B = P.empty() ? nullptr : P[0].get<Stmt>();
    for (; B; B = parentOf(B, Ctx))
      if (isa<CompoundStmt>(B))
        return SM.getExpansionLoc(B->getEndLoc());
    return {};
  }

  bool inRegion(const Region &R, const Stmt *S) const {
    return inConcurrentRegion(R, S, SM);
  }

  /// Locals some thread borrows (by-reference captures, &local, std::ref).
  const llvm::DenseSet<const VarDecl *> &borrowed() {
    if (!BorrowedReady) {
      BorrowedReady = true;
      for (const auto &[FD, S] : Model.threadStarts())
        for (const Borrow &B : borrowedLocals(S))
          if (B.Var)
            Borrowed.insert(B.Var);
    }
    return Borrowed;
  }

  /// How the state a MemberExpr names is reached; false when it belongs to
  /// the current thread alone.
  bool rootOf(const Expr *Base, const FunctionDecl *FD, AccessRoot &Root) {
    for (int Depth = 0; Base && Depth < 8; ++Depth) {
      Base = Base->IgnoreParenImpCasts();
      if (isa<CXXThisExpr>(Base)) {
        Root = AccessRoot::This;
        return true;
      }
      if (const auto *ME = dyn_cast<MemberExpr>(Base)) {
        if (ME->isArrow()) {
          // p->a->b: a field reached through a pointer field is shared as
          // far as this function can tell.
          if (!isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
            AccessRoot Inner;
            if (!rootOf(ME->getBase(), FD, Inner))
              return false;
          }
        }
        Base = ME->getBase();
        continue;
      }
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(Base)) {
        if (!ASE->getIdx()->isIntegerConstantExpr(Ctx))
          return false; // a per-thread slot
        Base = ASE->getBase();
        continue;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(Base)) {
        if (UO->getOpcode() != UO_Deref)
          return false;
        Base = UO->getSubExpr();
        Root = AccessRoot::Pointer;
        continue;
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Base)) {
        const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        if (!VD)
          return false;
        QualType T = VD->getType();
        bool Indirect = T->isPointerType() || T->isReferenceType();
        if (VD->hasGlobalStorage() && VD->getTLSKind() == VarDecl::TLS_None) {
          Root = Indirect ? AccessRoot::Pointer : AccessRoot::Global;
          return true;
        }
        if (VD->hasGlobalStorage())
          return false; // thread_local
        if (isa<ParmVarDecl>(VD) && Indirect) {
          Root = AccessRoot::Param;
          return true;
        }
        if (DRE->refersToEnclosingVariableOrCapture()) {
          if (capturedByRef(VD, FD)) {
            // A helper lambda's reference to its function's local is that
            // function's own business, unless a thread borrows the local.
            if (!borrowed().count(VD))
              return false;
            Root = AccessRoot::Borrowed;
            return true;
          }
          if (Indirect) {
            Root = AccessRoot::Pointer;
            return true;
          }
          return false; // the thread's own copy
        }
        if (borrowed().count(VD)) {
          Root = AccessRoot::Borrowed;
          return true;
        }
        if (Indirect) {
          Root = AccessRoot::Pointer;
          return true;
        }
        return false; // a local object
      }
      return false; // a call's result, a temporary: not followed
    }
    return false;
  }

  bool capturedByRef(const VarDecl *VD, const FunctionDecl *FD) {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD || !MD->getParent()->isLambda())
      return true; // a block or nested capture: assume a reference
    llvm::DenseMap<const ValueDecl *, FieldDecl *> Fields;
    FieldDecl *ThisField = nullptr;
    MD->getParent()->getCaptureFields(Fields, ThisField);
    auto It = Fields.find(VD);
    return It == Fields.end() || It->second->getType()->isReferenceType();
  }

  /// Classifies the use of the access expression \p Ref.
  bool classify(const Expr *Ref, const ValueDecl *D, AccessKind &Kind,
                const Expr *&Op) {
    const Expr *Cur = Ref;
    Op = Ref;
    Kind = AccessKind::Read;
    for (int Depth = 0; Depth < 8; ++Depth) {
      const Stmt *P = parentOf(Cur, Ctx);
      if (!P)
        return true;
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(P)) {
        if (ICE->getCastKind() == CK_LValueToRValue)
          return true; // a plain read
        Cur = ICE;
        continue;
      }
      if (isa<ParenExpr>(P)) {
        Cur = cast<Expr>(P);
        continue;
      }
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(P)) {
        if (ASE->getBase()->IgnoreParenImpCasts() != Cur->IgnoreParenImpCasts())
          return true; // used as an index: a read
        if (!ASE->getIdx()->isIntegerConstantExpr(Ctx))
          return false; // a per-thread slot
        Cur = ASE;
        continue;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
        if (UO->isIncrementDecrementOp()) {
          Kind = AccessKind::Update;
          Op = UO;
          return true;
        }
        if (UO->getOpcode() == UO_AddrOf) {
          // atomic_store(&x, v), atomic_load(&x): C11 and GNU atomics.
          const Stmt *User = parentOf(UO, Ctx);
          while (User && isa<ImplicitCastExpr, ParenExpr>(User))
            User = parentOf(User, Ctx);
          if (const auto *AE = dyn_cast_or_null<AtomicExpr>(User)) {
            Op = AE;
            Kind = isAtomicLoad(AE) ? AccessKind::Read : AccessKind::Write;
            return true;
          }
          if (const auto *C = dyn_cast_or_null<CallExpr>(User)) {
            llvm::StringRef N = calleeName(C);
            if (N.starts_with("atomic_") || N.starts_with("__atomic_") ||
                N.starts_with("__sync_")) {
              Op = C;
              Kind = N.contains("load") ? AccessKind::Read : AccessKind::Write;
              return true;
            }
          }
          return false; // escapes: what happens through it is not followed
        }
        return true;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
        if (BO->isAssignmentOp() && BO->getLHS()->IgnoreParens() == Cur) {
          Op = BO;
          Kind = BO->isCompoundAssignmentOp() || mentions(BO->getRHS(), D)
                     ? AccessKind::Update
                     : AccessKind::Write;
        }
        return true;
      }
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
        if (OC->getNumArgs() == 0 ||
            OC->getArg(0)->IgnoreParenImpCasts() != Cur->IgnoreParenImpCasts())
          return argumentUse(OC, Cur);
        OverloadedOperatorKind K = OC->getOperator();
        Op = OC;
        if (K == OO_PlusPlus || K == OO_MinusMinus ||
            (OC->isAssignmentOp() && K != OO_Equal))
          Kind = AccessKind::Update;
        else if (K == OO_Equal)
          Kind = OC->getNumArgs() > 1 && mentions(OC->getArg(1), D)
                     ? AccessKind::Update
                     : AccessKind::Write;
        else if (K == OO_Subscript) {
          if (OC->getNumArgs() > 1 &&
              !OC->getArg(1)->isIntegerConstantExpr(Ctx) &&
              !isMapLike(Cur->getType()))
            return false; // v[i]: a per-thread slot
          if (isMapLike(Cur->getType()))
            Kind = AccessKind::Write; // inserts a missing key
        }
        return true;
      }
      if (const auto *ME = dyn_cast<MemberExpr>(P)) {
        // A method call on the object (a field access is its own access).
        const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
        if (!MD)
          return false;
        const auto *Call =
            dyn_cast_or_null<CXXMemberCallExpr>(parentOf(ME, Ctx));
        Op = Call ? static_cast<const Expr *>(Call) : ME;
        if (MD->isConst() || MD->isStatic())
          return true;
        bool Library = declaredBySystem(MD);
        if ((MD->getDeclName().isIdentifier() &&
             isMutatingLibraryMethod(MD->getName())) ||
            (MD->getOverloadedOperator() != OO_None &&
             isMutatingLibraryMethod(
                 ("operator" + std::string(getOperatorSpelling(
                                   MD->getOverloadedOperator())))))) {
          Kind = AccessKind::Write;
          return true;
        }
        if (stateKind(D->getType()) == StateKind::Atomic) {
          if (MD->getDeclName().isIdentifier() &&
              isAtomicStoreName(MD->getName()))
            Kind = AccessKind::Write;
          else if (MD->getOverloadedOperator() != OO_None)
            Kind = AccessKind::Update; // ++, +=, ... : one atomic step
          return true;
        }
        if (!Library)
          Kind = AccessKind::Write; // a project's non-const method
        return true;
      }
      if (const auto *Call = dyn_cast<CallExpr>(P))
        return argumentUse(Call, Cur);
      if (isa<CXXConstructExpr>(P))
        return copies(P);
      return true;
    }
    return true;
  }

  bool partOfUpdate(const Expr *E, const ValueDecl *D) {
    const Stmt *Cur = E;
    for (int Depth = 0; Cur && Depth < 10; ++Depth) {
      const Stmt *P = parentOf(Cur, Ctx);
      if (!P || !isa<Expr>(P))
        return false;
      const Expr *Lhs = nullptr, *Rhs = nullptr;
      if (const auto *BO = dyn_cast<BinaryOperator>(P);
          BO && BO->getOpcode() == BO_Assign) {
        Lhs = BO->getLHS();
        Rhs = BO->getRHS();
      } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P);
                 OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
        Lhs = OC->getArg(0);
        Rhs = OC->getArg(1);
      }
      if (Lhs && Rhs == Cur)
        return accessedDecl(Lhs) == D;
      Cur = P;
    }
    return false;
  }

  /// Passed to a call: read when taken by value or const reference; not
  /// recorded when the callee may keep or change it.
  bool argumentUse(const CallExpr *Call, const Expr *Arg) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return false;
    unsigned Shift =
        isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) ? 1 : 0;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      if (Call->getArg(I)->IgnoreParenImpCasts() != Arg->IgnoreParenImpCasts())
        continue;
      if (I < Shift)
        return true;
      unsigned PI = I - Shift;
      if (PI >= Callee->getNumParams())
        return true; // variadic: by value
      QualType T = Callee->getParamDecl(PI)->getType();
      if (!T->isReferenceType())
        return true;
      return T.getNonReferenceType().isConstQualified();
    }
    return true;
  }

  /// Constructed from: a copy reads; anything else may keep a reference.
  static bool copies(const Stmt *Construct) {
    return cast<CXXConstructExpr>(Construct)
        ->getConstructor()
        ->isCopyOrMoveConstructor();
  }

  void collectAccesses(const FunctionDecl *FD) {
    const FunctionLocks *FL = Model.locks(FD);
    const ModelConfig &Config = Model.config();
    bool Wrapped = false;
    forEachStmt(FD->getBody(), [&](const Stmt *S) {
      if (const auto *C = dyn_cast<CallExpr>(S))
        Wrapped |= mayBeLockWrapper(calleeOf(C));
    });
    // REQUIRES(mu): the caller holds it.
    std::vector<AccessLock> Required;
    for (const auto *A : FD->specific_attrs<RequiresCapabilityAttr>())
      for (const Expr *Arg : A->args())
        if (auto L = resolveLock(Arg, FD, Ctx, Config))
          Required.push_back(AccessLock{lockId(*L), L->Name, A->isShared(),
                                        L->Kind, SourceLocation()});
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    bool CtorDtor = isa<CXXConstructorDecl, CXXDestructorDecl>(FD);
    const auto *OwnEntries = FnEntries.find(FD) != FnEntries.end()
                                 ? &FnEntries.find(FD)->second
                                 : nullptr;
    const auto *OwnConc = FnConcurrent.find(FD) != FnConcurrent.end()
                              ? &FnConcurrent.find(FD)->second
                              : nullptr;
    auto RIt = Regions.find(FD);

    forEachStmt(FD->getBody(), [&](const Stmt *S) {
      const ValueDecl *D = nullptr;
      AccessRoot Root = AccessRoot::Global;
      const auto *E = dyn_cast<Expr>(S);
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
        D = DRE->getDecl();
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD)
          return;
        if (VD->hasGlobalStorage())
          Root = AccessRoot::Global;
        else if (DRE->refersToEnclosingVariableOrCapture() &&
                 capturedByRef(VD, FD) && borrowed().count(VD))
          Root = AccessRoot::Borrowed;
        else if (!DRE->refersToEnclosingVariableOrCapture() &&
                 borrowed().count(VD))
          Root = AccessRoot::Borrowed;
        else
          return;
      } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
        D = ME->getMemberDecl();
        if (!isa<FieldDecl>(D) && !isa<VarDecl>(D))
          return;
        if (const auto *VD = dyn_cast<VarDecl>(D)) { // a static member
          if (!VD->hasGlobalStorage())
            return;
          Root = AccessRoot::Global;
        } else if (!rootOf(ME->getBase(), FD, Root)) {
          return;
        }
      } else {
        return;
      }
      if (!isStateDecl(D, Config))
        return;
      // [&x] in a capture list names x; the lambda's uses are the accesses.
      if (isa_and_nonnull<LambdaExpr>(parentOf(E, Ctx)))
        return;
      // Only the outermost member: for g.stats.hits the access is to 'hits'.
      if (const auto *P = dyn_cast_or_null<MemberExpr>(parentOf(E, Ctx)))
        if (isa<FieldDecl>(P->getMemberDecl()) &&
            P->getBase()->IgnoreParenImpCasts() == E)
          return;
      if (const auto *P = parentOf(E, Ctx))
        if (const auto *ICE = dyn_cast<ImplicitCastExpr>(P))
          if (const auto *PP = dyn_cast_or_null<MemberExpr>(parentOf(ICE, Ctx)))
            if (isa<FieldDecl>(PP->getMemberDecl()))
              return;
      Access A;
      A.State = D;
      A.Ref = E;
      A.Root = Root;
      A.In = FD;
      if (!classify(E, D, A.Kind, A.Op))
        return;
      // The read in x = x + 1 is part of the update, not an access of its
      // own.
      if (A.Kind == AccessKind::Read && partOfUpdate(E, D))
        return;
      A.InCtorDtor = CtorDtor && Root == AccessRoot::This && MD &&
                     isa<FieldDecl>(D) &&
                     cast<FieldDecl>(D)->getParent() == MD->getParent();
      const HeldSet *Held =
          FL && FL->Analysed ? FL->mustHeldAt(A.Op, Ctx) : nullptr;
      A.LocksUnknown = !FL || !FL->Analysed || Wrapped;
      if (Held)
        for (const HeldLock &H : *Held)
          A.Held.push_back(AccessLock{lockId(H.Lock), H.Lock.Name, H.Shared,
                                      H.Lock.Kind, H.Site});
      for (const AccessLock &R : Required)
        if (!A.holds(R.Id))
          A.Held.push_back(R);
      if (auto EH = EntryHeld.find(FD); EH != EntryHeld.end())
        for (const AccessLock &R : EH->second)
          if (!A.holds(R.Id))
            A.Held.push_back(R);
      std::sort(
          A.Held.begin(), A.Held.end(),
          [](const AccessLock &X, const AccessLock &Y) { return X.Id < Y.Id; });
      if (OwnEntries)
        A.Entries = *OwnEntries;
      if (OwnConc)
        A.ConcurrentWith = *OwnConc;
      if (RIt != Regions.end())
        for (const Region &R : RIt->second)
          if (inRegion(R, A.Op) &&
              !llvm::is_contained(A.ConcurrentWith, R.Entry))
            A.ConcurrentWith.push_back(R.Entry);
      Accesses.push_back(std::move(A));
    });
  }

public:
  const llvm::DenseMap<const FunctionDecl *, std::vector<Region>> &
  regions() const {
    return Regions;
  }

  llvm::DenseSet<const FunctionDecl *> creators() const {
    llvm::DenseSet<const FunctionDecl *> Out;
    for (const auto &[FD, R] : Regions)
      Out.insert(FD);
    return Out;
  }

  static std::string lockId(const LockRef &L) {
    if (!L.GlobalKey.empty())
      return L.GlobalKey;
    if (L.Decl)
      return "decl:" + std::to_string(reinterpret_cast<uintptr_t>(L.Decl));
    return L.Key;
  }

private:
  struct StartSite {
    const FunctionDecl *In;
    const ThreadStart *Start;
    unsigned Entry;
  };

  TUModel &Model;
  ASTContext &Ctx;
  const SourceManager &SM;
  std::vector<ThreadEntry> &Entries;
  std::vector<Access> &Accesses;
  std::vector<std::vector<char>> &Overlap;
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<unsigned, 2>>
      &FnEntries;
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<unsigned, 2>>
      &FnConcurrent;
  llvm::DenseMap<const FunctionDecl *, std::vector<const FunctionDecl *>>
      Callees;
  llvm::DenseMap<const FunctionDecl *,
                 std::vector<std::pair<const FunctionDecl *, const Expr *>>>
      CallersOf;
  llvm::DenseSet<const FunctionDecl *> Joins;
  llvm::DenseMap<const FunctionDecl *,
                 std::vector<std::pair<const FunctionDecl *, const CallSite *>>>
      CallSites;
  llvm::DenseMap<const FunctionDecl *, std::vector<AccessLock>> EntryHeld;
  std::vector<StartSite> Sites;
  std::vector<bool> SameArg;
  std::vector<const Expr *> FirstArg;
  llvm::DenseMap<const FunctionDecl *, std::vector<Region>> Regions;
  llvm::DenseSet<const VarDecl *> Borrowed;
  bool BorrowedReady = false;
};

} // namespace

SharedAccesses::SharedAccesses(TUModel &Model) {
  Builder B(Model, Entries, Accesses, EntryOverlap, FnEntries, FnConcurrent);
  B.run();
  Creators = B.creators();
  Regions = B.regions();
  SM = &Model.context().getSourceManager();
  this->Model = &Model;
  for (unsigned I = 0; I < Accesses.size(); ++I) {
    auto [It, New] = ByState.try_emplace(Accesses[I].State);
    if (New)
      StateOrder.push_back(Accesses[I].State);
    It->second.push_back(I);
  }
}

const std::vector<unsigned> *SharedAccesses::of(const ValueDecl *State) const {
  auto It = ByState.find(State);
  return It == ByState.end() ? nullptr : &It->second;
}

bool SharedAccesses::threadRelevant(const FunctionDecl *FD) const {
  return FnEntries.count(FD) || FnConcurrent.count(FD);
}

std::optional<ThreadContext>
SharedAccesses::threadContext(const FunctionDecl *FD, const Stmt *S) const {
  if (FD && FD->getDefinition())
    FD = FD->getDefinition();
  auto Describe = [&](unsigned E, bool Runs) {
    ThreadContext C;
    C.Entry = E;
    C.RunsIt = Runs;
    C.Text = Runs ? "in thread " + Entries[E].Name
                  : "while thread " + Entries[E].Name + " may run";
    C.Start = Entries[E].Starts.front();
    return C;
  };
  if (auto It = FnEntries.find(FD); It != FnEntries.end()) {
    ThreadContext C = Describe(It->second.front(), true);
    // The calls from the thread's function down to FD (breadth first).
    const FunctionDecl *Root = Entries[C.Entry].Fn;
    llvm::DenseMap<const FunctionDecl *,
                   std::pair<const FunctionDecl *, const Expr *>>
        Parent;
    std::deque<const FunctionDecl *> Work{Root};
    Parent[Root] = {nullptr, nullptr};
    while (!Work.empty() && !Parent.count(FD)) {
      const FunctionDecl *F = Work.front();
      Work.pop_front();
      const FunctionLocks *FL = Model->locks(F);
      if (!FL)
        continue;
      for (const CallSite &CS : FL->Calls) {
        const FunctionDecl *Callee = CS.Callee;
        if (Callee && Callee->getDefinition())
          Callee = Callee->getDefinition();
        if (Callee && !Parent.count(Callee)) {
          Parent[Callee] = {F, CS.Call};
          Work.push_back(Callee);
        }
      }
    }
    if (FD != Root && Parent.count(FD))
      for (const FunctionDecl *F = FD; F && F != Root; F = Parent[F].first) {
        const auto &[Caller, Call] = Parent[F];
        if (!Caller)
          break;
        C.Path.insert(C.Path.begin(),
                      {Call->getBeginLoc(), "'" + functionName(Caller, *SM) +
                                                "' calls '" +
                                                functionName(F, *SM) + "'"});
      }
    return C;
  }
  if (auto It = FnConcurrent.find(FD); It != FnConcurrent.end()) {
    ThreadContext C = Describe(It->second.front(), false);
    // The start whose region calls FD, when a caller's region does.
    for (const auto &[Caller, Rs] : Regions)
      for (const ConcurrentRegion &R : Rs) {
        if (R.Entry != C.Entry || !Caller->getBody())
          continue;
        bool Calls = false;
        forEachStmt(Caller->getBody(), [&](const Stmt *X) {
          if (const auto *CE = dyn_cast<CallExpr>(X))
            if (const FunctionDecl *Callee = CE->getDirectCallee())
              Calls |= (Callee->getDefinition() ? Callee->getDefinition()
                                                : Callee) == FD &&
                       inConcurrentRegion(R, CE, *SM);
        });
        if (Calls) {
          C.Start = R.Site;
          return C;
        }
      }
    return C;
  }
  if (auto It = Regions.find(FD); It != Regions.end() && S)
    for (const ConcurrentRegion &R : It->second)
      if (inConcurrentRegion(R, S, *SM)) {
        ThreadContext C = Describe(R.Entry, false);
        C.Start = R.Site;
        return C;
      }
  return std::nullopt;
}

bool SharedAccesses::mayOverlap(const Access &A, const Access &B,
                                RaceWhy *Why) const {
  if (A.InCtorDtor || B.InCtorDtor)
    return false;
  auto SameEntryTwice = [&](unsigned E) {
    const ThreadEntry &TE = Entries[E];
    bool ViaObject = A.Root == AccessRoot::This ||
                     A.Root == AccessRoot::Pointer ||
                     A.Root == AccessRoot::Param;
    return ViaObject ? TE.MultiSameObject : TE.Multi;
  };
  for (unsigned EA : A.Entries)
    for (unsigned EB : B.Entries)
      if ((EA != EB && EntryOverlap[EA][EB]) ||
          (EA == EB && SameEntryTwice(EA))) {
        if (Why) {
          Why->First = "thread " + Entries[EA].Name;
          Why->Second = EA == EB ? "another thread running " + Entries[EB].Name
                                 : "thread " + Entries[EB].Name;
          Why->Start = Entries[EB].Starts.front();
        }
        return true;
      }
  for (unsigned EA : A.ConcurrentWith)
    if (llvm::is_contained(B.Entries, EA)) {
      if (Why) {
        Why->First = "the thread that started " + Entries[EA].Name;
        Why->Second = "thread " + Entries[EA].Name;
        Why->Start = Entries[EA].Starts.front();
      }
      return true;
    }
  for (unsigned EB : B.ConcurrentWith)
    if (llvm::is_contained(A.Entries, EB)) {
      if (Why) {
        Why->First = "thread " + Entries[EB].Name;
        Why->Second = "the thread that started " + Entries[EB].Name;
        Why->Start = Entries[EB].Starts.front();
      }
      return true;
    }
  return false;
}

bool SharedAccesses::mayRace(const Access &A, const Access &B,
                             RaceWhy *Why) const {
  if (!A.writes() && !B.writes())
    return false;
  for (const AccessLock &L : A.Held)
    for (const AccessLock &M : B.Held)
      if (L.Id == M.Id && !(L.Shared && M.Shared))
        return false;
  return mayOverlap(A, B, Why);
}

} // namespace threadlint::model

namespace threadlint::model {

const IfStmt *testedBy(const Expr *E, ASTContext &Ctx) {
  const Stmt *Cur = E;
  for (int Depth = 0; Cur && Depth < 10; ++Depth) {
    const Stmt *Parent = parentOf(Cur, Ctx);
    if (const auto *If = dyn_cast_or_null<IfStmt>(Parent))
      return If->getCond() == Cur ? If : nullptr;
    if (!Parent || !isa<Expr>(Parent))
      return nullptr;
    Cur = Parent;
  }
  return nullptr;
}

std::vector<DoubleCheck> doubleChecks(const SharedAccesses &Acc,
                                      const ValueDecl *State, ASTContext &Ctx) {
  std::vector<DoubleCheck> Out;
  const std::vector<unsigned> *Of = Acc.of(State);
  if (!Of)
    return Out;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::DenseSet<const FunctionDecl *> Seen;
  for (unsigned I : *Of) {
    const Access &Inner = Acc.all()[I];
    if (Inner.Kind != AccessKind::Read || Inner.Held.empty() ||
        Seen.count(Inner.In))
      continue;
    const IfStmt *InnerIf = testedBy(Inner.Ref, Ctx);
    if (!InnerIf)
      continue;
    DoubleCheck D;
    D.Inner = &Inner;
    for (unsigned J : *Of) {
      const Access &W = Acc.all()[J];
      if (W.In == Inner.In && W.writes() &&
          (contains(InnerIf->getThen(), W.Op) ||
           contains(InnerIf->getElse(), W.Op))) {
        D.Write = &W;
        break;
      }
    }
    if (!D.Write)
      continue;
    for (unsigned J : *Of) {
      const Access &O = Acc.all()[J];
      if (O.In != Inner.In || O.Kind != AccessKind::Read || O.LocksUnknown ||
          !SM.isBeforeInTranslationUnit(O.loc(), Inner.loc()) ||
          !testedBy(O.Ref, Ctx))
        continue;
      bool Common = false;
      for (const AccessLock &L : Inner.Held)
        Common |= O.holds(L.Id);
      if (!Common) {
        D.Outer = &O;
        break;
      }
    }
    if (!D.Outer)
      continue;
    Seen.insert(Inner.In);
    Out.push_back(D);
  }
  return Out;
}

} // namespace threadlint::model
