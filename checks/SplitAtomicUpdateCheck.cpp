//===--- SplitAtomicUpdateCheck.cpp ---------------------------------------===//
//
// Each operation on a std::atomic is atomic; a sequence of them is not.
// a.store(a.load() + 1) and a = a + 1 load, then store: another thread's
// update in between is overwritten. if (a.load() == 0) a.store(1) tests,
// then acts: two threads can both see 0. Reported on atomics the model
// counts as shared state (globals, statics, fields, borrowed locals), with
// the single read-modify-write that replaces the pair: fetch_add/fetch_sub,
// exchange, or compare_exchange. Silent under a lock held at both steps,
// and for compare-exchange loops (their store is the compare-exchange).
//
//===----------------------------------------------------------------------===//

#include "SplitAtomicUpdateCheck.h"
#include "model/Accesses.h"
#include "model/HeldLocks.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include <functional>
#include <optional>

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

/// Every load of \p D inside \p S.
const Expr *findLoad(const Stmt *S, const ValueDecl *D) {
  const Expr *Found = nullptr;
  tlm::forEachStmt(S, [&](const Stmt *X) {
    const auto *E = dyn_cast<Expr>(X);
    const ValueDecl *L = nullptr;
    if (!Found && E && tlm::atomicLoadOf(E, L) && L == D)
      Found = E;
  });
  return Found;
}

std::string text(const Expr *E, const ASTContext &Ctx) {
  return Lexer::getSourceText(
             CharSourceRange::getTokenRange(E->getSourceRange()),
             Ctx.getSourceManager(), Ctx.getLangOpts())
      .str();
}

/// The value type of an atomic: T of std::atomic<T> or _Atomic(T).
QualType valueType(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *AT = T->getAs<AtomicType>())
    return AT->getValueType();
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          T->getAsCXXRecordDecl()))
    if (Spec->getTemplateArgs().size() > 0 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      return Spec->getTemplateArgs()[0].getAsType();
  return T;
}

/// Whether a load or store call names its memory order.
bool hasExplicitOrder(const Stmt *S) {
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E->IgnoreParenImpCasts()))
    return MC->getNumArgs() >
               (MC->getMethodDecl() && MC->getMethodDecl()->getName() == "store"
                    ? 1u
                    : 0u) &&
           !isa<CXXDefaultArgExpr>(MC->getArg(MC->getNumArgs() - 1));
  if (const auto *CE = dyn_cast<CallExpr>(E->IgnoreParenImpCasts()))
    return tlm::calleeName(CE).ends_with("_explicit");
  return false;
}

bool commonLock(const tlm::HeldSet *A, const tlm::HeldSet *B) {
  if (!A || !B)
    return false;
  for (const tlm::HeldLock &X : *A)
    for (const tlm::HeldLock &Y : *B)
      if (X.Lock.Key == Y.Lock.Key)
        return true;
  return false;
}

} // namespace

void SplitAtomicUpdateCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const tlm::SharedAccesses &Acc = Model.accesses();
  const SourceManager &SM = Ctx.getSourceManager();
  const bool Cxx = Ctx.getLangOpts().CPlusPlus;
  // Atomics the model counts as shared (a local atomic nobody borrows is
  // not).
  llvm::DenseSet<const ValueDecl *> Shared;
  llvm::DenseMap<const Stmt *, const tlm::Access *> AccessAt;
  for (const tlm::Access &A : Acc.all())
    if (tlm::stateKind(A.State->getType()) == tlm::StateKind::Atomic) {
      Shared.insert(A.State);
      AccessAt[A.Op] = &A;
    }
  // Whether another thread may write the atomic while \p S runs. Where the
  // model knows which threads run the code (a thread entry, a function
  // that starts threads), it must show such a writer: a single producer
  // may well update its own index in two steps, and main may before it
  // starts the threads. Elsewhere any thread may call the function.
  auto AnotherWriter = [&](const Stmt *S, const ValueDecl *D,
                           const FunctionDecl *In) {
    if (!Acc.knowsTimeline(In))
      return true;
    auto It = AccessAt.find(S);
    if (It == AccessAt.end())
      return false;
    for (unsigned J : *Acc.of(D)) {
      const tlm::Access &B = Acc.all()[J];
      if (B.writes() && Acc.mayOverlap(*It->second, B, nullptr))
        return true;
    }
    return false;
  };

  for (const FunctionDecl *FD : Model.functions()) {
    const tlm::FunctionLocks *FL = Model.locks(FD);
    auto HeldAt = [&](const Stmt *S) -> const tlm::HeldSet * {
      return FL && FL->Analysed ? FL->mustHeldAt(S, Ctx) : nullptr;
    };
    tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
      // a.store(a.load() + 1), a = a + 1
      const Expr *Value = nullptr;
      if (const ValueDecl *D = tlm::atomicStoreOf(S, Value)) {
        if (!Shared.count(D))
          return;
        const Expr *Load = findLoad(Value, D);
        if (!Load)
          return;
        std::string Name = tlm::stateName(D);
        std::string Suggest = Cxx ? "a compare_exchange_weak loop, which "
                                    "retries when another update came in "
                                    "between"
                                  : "an atomic_compare_exchange_weak loop, "
                                    "which retries when another update came "
                                    "in between";
        bool Explicit = hasExplicitOrder(S) || hasExplicitOrder(Load);
        bool IsBool = valueType(D->getType())->isBooleanType();
        std::optional<FixItHint> Fix;
        const Expr *V = Value->IgnoreParenImpCasts();
        if (const auto *BO = dyn_cast<BinaryOperator>(V);
            BO && (BO->getOpcode() == BO_Add || BO->getOpcode() == BO_Sub ||
                   BO->getOpcode() == BO_Or || BO->getOpcode() == BO_And ||
                   BO->getOpcode() == BO_Xor)) {
          const ValueDecl *L = nullptr;
          const Expr *Other = nullptr;
          if (tlm::atomicLoadOf(BO->getLHS(), L) && L == D)
            Other = BO->getRHS();
          else if (BO->getOpcode() != BO_Sub &&
                   tlm::atomicLoadOf(BO->getRHS(), L) && L == D)
            Other = BO->getLHS();
          // std::atomic<bool> has no fetch_or.
          if (Other && !findLoad(Other, D) && !IsBool) {
            const char *Op = BO->getOpcode() == BO_Add   ? "add"
                             : BO->getOpcode() == BO_Sub ? "sub"
                             : BO->getOpcode() == BO_Or  ? "or"
                             : BO->getOpcode() == BO_And ? "and"
                                                         : "xor";
            std::string OtherText = text(Other, Ctx);
            Suggest = (Cxx ? std::string("fetch_") + Op
                           : std::string("atomic_fetch_") + Op) +
                      ", which reads and writes in one step";
            const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
            // Only where the statement's value is not used.
            const Stmt *P = nullptr;
            DynTypedNodeList Parents = Ctx.getParents(*S);
            if (!Parents.empty())
              P = Parents[0].get<Stmt>();
            // Memory orders stay the author's choice: no automatic edit.
            if (MC && P && isa<CompoundStmt>(P) && !OtherText.empty() &&
                !Explicit && !S->getBeginLoc().isMacroID() &&
                !S->getEndLoc().isMacroID()) {
              std::string Obj = text(MC->getImplicitObjectArgument(), Ctx);
              if (!Obj.empty())
                Fix = FixItHint::CreateReplacement(S->getSourceRange(),
                                                   Obj + ".fetch_" + Op + "(" +
                                                       OtherText + ")");
            }
          }
        }
        SourceLocation At = SM.getExpansionLoc(S->getBeginLoc());
        if (commonLock(HeldAt(Load), HeldAt(S)) || !AnotherWriter(S, D, FD) ||
            !firstAt(At))
          return;
        auto DB =
            diag(At, "'%0' is updated in two atomic steps: it is loaded, "
                     "then a value computed from the load is stored; an "
                     "update another thread makes in between is lost; use "
                     "%1")
            << Name << Suggest;
        if (Fix)
          DB << *Fix;
        return;
      }
      // if (a.load() == 0) a.store(1);
      const auto *If = dyn_cast<IfStmt>(S);
      if (!If || !If->getCond())
        return;
      const ValueDecl *D = nullptr;
      const Expr *Test = nullptr;
      tlm::forEachStmt(If->getCond(), [&](const Stmt *X) {
        const auto *E = dyn_cast<Expr>(X);
        const ValueDecl *L = nullptr;
        if (!Test && E && tlm::atomicLoadOf(E, L) && Shared.count(L)) {
          Test = E;
          D = L;
        }
      });
      if (!Test)
        return;
      // A nested test of the same atomic (double-checked locking done
      // right) is the check that counts: judged on its own.
      const Stmt *Store = nullptr;
      std::function<void(const Stmt *)> Find = [&](const Stmt *X) {
        if (!X || Store)
          return;
        if (const auto *Inner = dyn_cast<IfStmt>(X))
          if (Inner->getCond() && findLoad(Inner->getCond(), D))
            return;
        const Expr *V = nullptr;
        if (tlm::atomicStoreOf(X, V) == D) {
          Store = X;
          return;
        }
        if (isa<LambdaExpr>(X))
          return;
        for (const Stmt *C : X->children())
          Find(C);
      };
      Find(If->getThen());
      if (!Store)
        return;
      const Expr *V = nullptr;
      tlm::atomicStoreOf(Store, V);
      // if (level != v) level = v: a store of the value tested against
      // changes nothing when two threads both do it.
      const auto *ThenBlock = dyn_cast<CompoundStmt>(If->getThen());
      bool OnlyTheStore = !ThenBlock || ThenBlock->size() == 1;
      if (V && OnlyTheStore) {
        std::string Stored = text(V, Ctx);
        bool SameValue = false;
        tlm::forEachStmt(If->getCond(), [&](const Stmt *X) {
          if (const auto *BO = dyn_cast<BinaryOperator>(X))
            if (BO->isEqualityOp())
              SameValue |= text(BO->getLHS(), Ctx) == Stored ||
                           text(BO->getRHS(), Ctx) == Stored;
        });
        if (SameValue)
          return;
      }
      SourceLocation At = SM.getExpansionLoc(Store->getBeginLoc());
      if (commonLock(HeldAt(Test), HeldAt(Store)) ||
          !AnotherWriter(Store, D, FD) || !firstAt(At))
        return;
      std::string Name = tlm::stateName(D);
      bool Flag = valueType(D->getType())->isBooleanType() ||
                  (V && V->IgnoreParenImpCasts()->getType()->isBooleanType());
      std::string Suggest =
          Flag ? (Cxx ? "'exchange' (if (!" + D->getName().str() +
                            ".exchange(true)) ...)"
                      : std::string("'atomic_exchange'"))
               : (Cxx ? std::string("'compare_exchange_strong'")
                      : std::string("'atomic_compare_exchange_strong'"));
      diag(At, "check-then-act on atomic '%0': it is tested on line %1 and "
               "stored here in a separate step; two threads can both pass the "
               "test and both run this branch; use %2 to test and store in one "
               "step")
          << Name << SM.getExpansionLineNumber(Test->getExprLoc()) << Suggest;
      diag(SM.getExpansionLoc(Test->getExprLoc()), "'%0' tested here",
           DiagnosticIDs::Note)
          << Name;
    });
  }
}

} // namespace clang::tidy::threadlint
