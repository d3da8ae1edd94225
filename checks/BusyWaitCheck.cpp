//===--- BusyWaitCheck.cpp ------------------------------------------------===//
//
// A busy wait is a loop whose only way out is state that another thread
// changes, and whose body does nothing meanwhile. Both halves are checked
// strictly, because "a loop reading a flag" is also every worker loop:
//  - the exit conditions (the loop condition and the conditions of the
//    break/return statements in the body) only read: variables, fields,
//    atomic loads and small getters of this TU that return such reads;
//  - what they read is shared: atomic or volatile objects, or plain globals,
//    statics, fields and by-reference-captured locals that some code of the
//    translation unit writes; a plain local in the exit condition means the
//    loop makes its own progress;
//  - the body only polls, counts spins in locals the exit does not depend
//    on, yields or pauses. Any other call may block or do work: not a busy
//    wait (a sleep, a condition-variable wait, a CAS retry, a work item).
//
//===----------------------------------------------------------------------===//

#include "BusyWaitCheck.h"
#include "model/Compat.h"
#include "model/Locks.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "model/Threads.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang::ast_matchers;
namespace tlm = ::threadlint::model;
using tlm::calleeName;
using tlm::forEachStmt;

namespace clang::tidy::threadlint {

namespace {

bool isYield(const CallExpr *C) {
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD)
    return false;
  std::string Q = tlm::qualifiedName(FD);
  llvm::StringRef N = calleeName(C);
  return Q == "std::this_thread::yield" || Q == "boost::this_thread::yield" ||
         N == "sched_yield" || N == "pthread_yield" || N == "thrd_yield" ||
         N == "SwitchToThread";
}

bool isSpinHint(const CallExpr *C) {
  llvm::StringRef N = calleeName(C);
  return N == "_mm_pause" || N == "__builtin_ia32_pause" || N == "__yield" ||
         N == "__builtin_arm_yield" || N == "YieldProcessor" ||
         N == "cpu_relax";
}

struct LoopFacts {
  std::vector<const Expr *> ExitConds;
  /// Locals the body assigns (spin counters, scratch values).
  llvm::DenseSet<const VarDecl *> LocalWrites;
  /// Locals the body only assigns copies of reads to (r = flag.load()):
  /// polling them polls what they copy.
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<const ValueDecl *, 2>>
      Copies;
  /// Locals the body counts with (++n, n += k, n = n * 2): its own progress.
  llvm::DenseSet<const VarDecl *> Counters;
  const Stmt *Yield = nullptr;
};

class LoopAnalysis {
public:
  explicit LoopAnalysis(ASTContext &Ctx) : Ctx(Ctx) {}

  /// Whether \p E only reads; the declarations it reads are added to \p
  /// Reads, the locals used as bases of member accesses to \p Bases.
  bool pure(const Expr *E, llvm::SmallVectorImpl<const ValueDecl *> &Reads,
            int Depth = 0) {
    if (!E || Depth > 24)
      return false;
    E = E->IgnoreParenImpCasts();
    if (isa<IntegerLiteral, CXXBoolLiteralExpr, CharacterLiteral,
            FloatingLiteral, CXXNullPtrLiteralExpr, GNUNullExpr,
            UnaryExprOrTypeTraitExpr, StringLiteral, CXXThisExpr,
            CXXDefaultArgExpr>(E))
      return true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (isa<EnumConstantDecl>(DRE->getDecl()))
        return true;
      if (isa<VarDecl>(DRE->getDecl()))
        Reads.push_back(DRE->getDecl());
      return isa<VarDecl, FunctionDecl>(DRE->getDecl());
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (!isa<FieldDecl>(ME->getMemberDecl()))
        return false;
      Reads.push_back(ME->getMemberDecl());
      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
      if (isa<CXXThisExpr>(Base))
        return true;
      llvm::SmallVector<const ValueDecl *, 2> BaseReads;
      if (!pure(Base, BaseReads, Depth + 1))
        return false;
      Bases.insert(BaseReads.begin(), BaseReads.end());
      return true;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
        return false;
      return pure(UO->getSubExpr(), Reads, Depth + 1);
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->isAssignmentOp() || BO->isCommaOp())
        return false;
      return pure(BO->getLHS(), Reads, Depth + 1) &&
             pure(BO->getRHS(), Reads, Depth + 1);
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      return pure(AS->getBase(), Reads, Depth + 1) &&
             pure(AS->getIdx(), Reads, Depth + 1);
    if (const auto *CO = dyn_cast<ConditionalOperator>(E))
      return pure(CO->getCond(), Reads, Depth + 1) &&
             pure(CO->getTrueExpr(), Reads, Depth + 1) &&
             pure(CO->getFalseExpr(), Reads, Depth + 1);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M)
        return false;
      const Expr *Obj = MC->getImplicitObjectArgument();
      bool Arrow = false;
      if (const auto *ME =
              dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()))
        Arrow = ME->isArrow();
      // Atomic loads: load(), test(), the conversion operator.
      if (tlm::stateKind(MC->getObjectType()) == tlm::StateKind::Atomic &&
          (isa<CXXConversionDecl>(M) ||
           (M->getDeclName().isIdentifier() &&
            (M->getName() == "load" || M->getName() == "test")))) {
        for (const Expr *A : MC->arguments())
          if (!pure(A, Reads, Depth + 1))
            return false;
        // p->load(), (*p).load(): the atomic p points to.
        const Expr *Ptr = nullptr;
        if (Arrow)
          Ptr = Obj;
        else if (const auto *UO =
                     dyn_cast<UnaryOperator>(Obj->IgnoreParenImpCasts());
                 UO && UO->getOpcode() == UO_Deref)
          Ptr = UO->getSubExpr();
        if (Ptr) {
          llvm::SmallVector<const ValueDecl *, 2> PtrReads;
          if (!pure(Ptr, PtrReads, Depth + 1))
            return false;
          if (const ValueDecl *P = tlm::accessedDecl(Ptr)) {
            AtomicPointers.insert(P);
            Reads.push_back(P);
          }
          return true;
        }
        return pure(Obj, Reads, Depth + 1);
      }
      // A small const getter of this TU: return this->ready_;
      if (M->isConst() && MC->getNumArgs() == 0)
        if (const Expr *R = getterResult(M)) {
          // The object is where the state lives, not the state.
          llvm::SmallVector<const ValueDecl *, 2> BaseReads;
          if (!pure(Obj, BaseReads, Depth + 1))
            return false;
          Bases.insert(BaseReads.begin(), BaseReads.end());
          return pure(R, Reads, Depth + 1);
        }
      return false;
    }
    if (const auto *AE = dyn_cast<AtomicExpr>(E)) {
      // atomic_load(&flag) in C expands to an AtomicExpr.
      if (!tlm::isAtomicLoad(AE))
        return false;
      const Expr *A = AE->getPtr()->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(A);
          UO && UO->getOpcode() == UO_AddrOf) {
        // __atomic_load_n(&plain, ...) reads a plain int atomically.
        if (const ValueDecl *D = tlm::accessedDecl(UO->getSubExpr()))
          AtomicallyRead.insert(D);
        return pure(UO->getSubExpr(), Reads, Depth + 1);
      }
      return false;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      if (isa<CXXOperatorCallExpr>(Call))
        return false;
      llvm::StringRef N = calleeName(Call);
      if ((N == "atomic_load" || N == "atomic_load_explicit" ||
           N == "__atomic_load_n" || N == "atomic_flag_test" ||
           N == "atomic_flag_test_explicit") &&
          Call->getNumArgs() >= 1) {
        const Expr *A = Call->getArg(0)->IgnoreParenImpCasts();
        if (const auto *UO = dyn_cast<UnaryOperator>(A);
            UO && UO->getOpcode() == UO_AddrOf)
          A = UO->getSubExpr();
        for (unsigned I = 1; I < Call->getNumArgs(); ++I)
          if (!pure(Call->getArg(I), Reads, Depth + 1))
            return false;
        return pure(A, Reads, Depth + 1);
      }
      if (N == "__builtin_expect" && Call->getNumArgs() == 2)
        return pure(Call->getArg(0), Reads, Depth + 1) &&
               pure(Call->getArg(1), Reads, Depth + 1);
      if (const FunctionDecl *FD = Call->getDirectCallee();
          FD && !isa<CXXMethodDecl>(FD) && Call->getNumArgs() == 0)
        if (const Expr *R = getterResult(FD))
          return pure(R, Reads, Depth + 1);
      return false;
    }
    return false;
  }

  /// The expression a one-statement getter returns.
  const Expr *getterResult(const FunctionDecl *FD) {
    const FunctionDecl *Def = FD->getDefinition();
    if (!Def || !Def->hasBody())
      return nullptr;
    const auto *Body = dyn_cast<CompoundStmt>(Def->getBody());
    if (!Body || Body->size() != 1)
      return nullptr;
    const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
    if (!Ret || !Ret->getRetValue())
      return nullptr;
    return Ret->getRetValue();
  }

  /// Whether \p S only polls, counts, yields or pauses.
  bool idle(const Stmt *S, LoopFacts &F) {
    if (!S || isa<NullStmt, ContinueStmt>(S))
      return true;
    if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      for (const Stmt *C : CS->body())
        if (!idle(C, F))
          return false;
      return true;
    }
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      if (If->getInit() || If->getConditionVariable())
        return false;
      llvm::SmallVector<const ValueDecl *, 4> Ignored;
      if (!pure(If->getCond(), Ignored))
        return false;
      if (exits(If->getThen()) && !If->getElse()) {
        F.ExitConds.push_back(If->getCond());
        return true;
      }
      return idle(If->getThen(), F) && idle(If->getElse(), F);
    }
    if (isa<GCCAsmStmt>(S)) {
      // asm volatile("pause"), asm("yield"): a spin hint.
      std::string Text = ::threadlint::compat::asmText(cast<GCCAsmStmt>(S));
      if (Text.find("pause") != std::string::npos ||
          Text.find("yield") != std::string::npos) {
        F.Yield = S;
        return true;
      }
      return false;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls()) {
        const auto *VD = dyn_cast<VarDecl>(D);
        llvm::SmallVector<const ValueDecl *, 4> Copied;
        if (!VD || (VD->getInit() && !pure(VD->getInit(), Copied)))
          return false;
        F.LocalWrites.insert(VD);
        F.Copies[VD].append(Copied.begin(), Copied.end());
      }
      return true;
    }
    const auto *E = dyn_cast<Expr>(S);
    if (!E)
      return false;
    E = E->IgnoreParenImpCasts();
    if (const auto *Cast = dyn_cast<CStyleCastExpr>(E);
        Cast && Cast->getType()->isVoidType())
      E = Cast->getSubExpr()->IgnoreParenImpCasts();
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      if (isYield(Call) || isSpinHint(Call)) {
        F.Yield = Call;
        return true;
      }
    }
    // Spin counters: ++spins, spins += 1, x = <read>.
    const Expr *Target = nullptr;
    const Expr *Value = nullptr;
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->isIncrementDecrementOp())
      Target = UO->getSubExpr();
    else if (const auto *BO = dyn_cast<BinaryOperator>(E);
             BO && BO->isAssignmentOp()) {
      Target = BO->getLHS();
      Value = BO->getRHS();
    }
    if (Target) {
      const auto *DRE = dyn_cast<DeclRefExpr>(Target->IgnoreParenImpCasts());
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
          tlm::stateKind(VD->getType()) != tlm::StateKind::Plain)
        return false;
      llvm::SmallVector<const ValueDecl *, 4> Copied;
      if (Value && !pure(Value, Copied))
        return false;
      F.LocalWrites.insert(VD);
      bool PlainCopy = Value &&
                       cast<BinaryOperator>(E)->getOpcode() == BO_Assign &&
                       llvm::find(Copied, VD) == Copied.end();
      if (PlainCopy)
        F.Copies[VD].append(Copied.begin(), Copied.end());
      else
        F.Counters.insert(VD);
      return true;
    }
    llvm::SmallVector<const ValueDecl *, 4> Ignored;
    return pure(E, Ignored);
  }

  bool exits(const Stmt *S) {
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
      return CS->size() == 1 && exits(CS->body_front());
    if (const auto *R = dyn_cast_or_null<ReturnStmt>(S))
      return !R->getRetValue() || R->getRetValue()->isEvaluatable(Ctx);
    return isa_and_nonnull<BreakStmt, GotoStmt>(S);
  }

  llvm::DenseSet<const ValueDecl *> Bases;
  /// Pointers through which the exit conditions load an atomic.
  llvm::DenseSet<const ValueDecl *> AtomicPointers;
  /// Plain objects the exit conditions read with atomic builtins.
  llvm::DenseSet<const ValueDecl *> AtomicallyRead;

private:
  ASTContext &Ctx;
};

/// Locals of \p FD that a lambda captures by reference or a thread started
/// here receives by reference or address (std::ref(x), &x).
llvm::DenseSet<const VarDecl *> sharedLocals(const FunctionDecl *FD,
                                             tlm::TUModel &Model) {
  llvm::DenseSet<const VarDecl *> Out;
  forEachStmt(FD->getBody(), [&](const Stmt *S) {
    if (const auto *LE = dyn_cast<LambdaExpr>(S))
      for (const LambdaCapture &C : LE->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
            Out.insert(VD);
  });
  for (const auto &[Fn, Start] : Model.threadStarts())
    if (Fn == FD)
      for (const tlm::Borrow &B : tlm::borrowedLocals(Start))
        if (B.Var)
          Out.insert(B.Var);
  return Out;
}

/// Whether loop \p Loop sits in a loop that takes a spin lock on one of
/// \p Polled with an exchange, test_and_set or compare-exchange.
bool insideSpinLockAcquire(const Stmt *Loop, const FunctionDecl *FD,
                           llvm::ArrayRef<const ValueDecl *> Polled,
                           ASTContext &Ctx) {
  const Stmt *Cur = Loop;
  for (int Depth = 0; Depth < 6; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(*Cur);
    if (Parents.size() != 1)
      return false;
    Cur = Parents[0].get<Stmt>();
    if (!Cur || Cur == FD->getBody())
      return false;
    if (!isa<WhileStmt, DoStmt, ForStmt>(Cur))
      continue;
    bool Found = false;
    forEachStmt(Cur, [&](const Stmt *X) {
      const Expr *Obj = nullptr;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(X)) {
        const CXXMethodDecl *M = MC->getMethodDecl();
        if (M && M->getDeclName().isIdentifier() &&
            (M->getName() == "exchange" || M->getName() == "test_and_set" ||
             M->getName().starts_with("compare_exchange")))
          Obj = MC->getImplicitObjectArgument();
      } else if (const auto *AE = dyn_cast<AtomicExpr>(X)) {
        if (!tlm::isAtomicLoad(AE))
          Obj = AE->getPtr();
      } else if (const auto *Call = dyn_cast<CallExpr>(X)) {
        if (calleeName(Call).starts_with("atomic_flag_test_and_set") &&
            Call->getNumArgs() > 0)
          Obj = Call->getArg(0);
      }
      if (!Obj)
        return;
      const Expr *E = Obj->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(E);
          UO && UO->getOpcode() == UO_AddrOf)
        E = UO->getSubExpr();
      if (llvm::is_contained(Polled, tlm::accessedDecl(E)))
        Found = true;
    });
    if (Found)
      return true;
  }
  return false;
}

} // namespace

BusyWaitCheck::BusyWaitCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Shared(Options),
      YieldingLoops(Options.getLocalOrGlobal("YieldingLoops", "remark")) {
  ModelCfg = Shared.config();
}

void BusyWaitCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Shared.store(Options, Opts);
  Options.store(Opts, "YieldingLoops", YieldingLoops);
}

void BusyWaitCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void BusyWaitCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = Ctx.getSourceManager();
  if (YieldingLoops != "remark" && YieldingLoops != "warning" &&
      YieldingLoops != "none") {
    configurationDiag("invalid value '%0' for threadlint-busy-wait."
                      "YieldingLoops: expected remark, warning or none",
                      DiagnosticIDs::Error)
        << YieldingLoops;
    return;
  }
  Model = tlm::TUModel::get(Ctx, ModelCfg);
  std::optional<llvm::DenseMap<const ValueDecl *, std::vector<tlm::WriteSite>>>
      Writes;

  for (const FunctionDecl *FD : Model->functions()) {
    std::optional<llvm::DenseSet<const VarDecl *>> Shared;
    forEachStmt(FD->getBody(), [&](const Stmt *S) {
      const Expr *Cond = nullptr;
      const Stmt *Body = nullptr;
      const Expr *Inc = nullptr;
      if (const auto *W = dyn_cast<WhileStmt>(S)) {
        if (W->getConditionVariable())
          return;
        Cond = W->getCond();
        Body = W->getBody();
      } else if (const auto *D = dyn_cast<DoStmt>(S)) {
        Cond = D->getCond();
        Body = D->getBody();
      } else if (const auto *F = dyn_cast<ForStmt>(S)) {
        if (F->getConditionVariable())
          return;
        Cond = F->getCond();
        Body = F->getBody();
        Inc = F->getInc();
      } else {
        return;
      }
      if (S->getBeginLoc().isMacroID())
        return;
      LoopAnalysis LA(Ctx);
      LoopFacts Facts;
      if (Cond) {
        bool Value = false;
        if (Cond->EvaluateAsBooleanCondition(Value, Ctx)) {
          if (!Value)
            return; // do { } while (0)
        } else {
          Facts.ExitConds.push_back(Cond);
        }
      }
      if (Inc && !LA.idle(Inc, Facts))
        return;
      if (!LA.idle(Body, Facts) || Facts.ExitConds.empty())
        return;

      llvm::SmallVector<const ValueDecl *, 4> Reads;
      for (const Expr *E : Facts.ExitConds)
        if (!LA.pure(E, Reads))
          return;
      // Bases of member accesses must stay put.
      for (const ValueDecl *B : LA.Bases)
        if (const auto *VD = dyn_cast<VarDecl>(B);
            VD && Facts.LocalWrites.count(VD))
          return;

      if (!Shared)
        Shared = sharedLocals(FD, *Model);
      // A local is shared when a lambda or a thread of this function reaches
      // it by reference, or when this function is a lambda that captured it.
      auto IsShared = [&](const VarDecl *VD) {
        return Shared->count(VD) || VD->getDeclContext() != FD;
      };
      std::vector<const ValueDecl *> Polled, Plain, Volatile;
      bool ThreadEvidence = false;
      llvm::SmallVector<const ValueDecl *, 8> Work(Reads.rbegin(),
                                                   Reads.rend());
      llvm::DenseSet<const ValueDecl *> Visited;
      while (!Work.empty()) {
        const ValueDecl *D = Work.pop_back_val();
        if (!Visited.insert(D).second)
          continue;
        const auto *VD = dyn_cast<VarDecl>(D);
        if (LA.AtomicPointers.count(D)) {
          Polled.push_back(D);
          continue;
        }
        if (LA.Bases.count(D) && !isa<FieldDecl>(D)) {
          // p in p->ready, obj in obj.ready: where the state lives, not
          // the state. A local object is only shared if a thread can reach
          // it by reference.
          if (VD && VD->hasLocalStorage() && !VD->getType()->isPointerType() &&
              !VD->getType()->isReferenceType() && !IsShared(VD))
            return;
          continue;
        }
        tlm::StateKind K = LA.AtomicallyRead.count(D)
                               ? tlm::StateKind::Atomic
                               : tlm::stateKind(D->getType());
        if (VD && VD->hasLocalStorage()) {
          if (Facts.Counters.count(VD))
            return; // the loop makes its own progress
          auto C = Facts.Copies.find(VD);
          if (C != Facts.Copies.end()) {
            // r = flag.load(): polling r polls the flag.
            Work.append(C->second.begin(), C->second.end());
            continue;
          }
          if (Facts.LocalWrites.count(VD))
            return;
          if (K == tlm::StateKind::Plain) {
            if (VD->getType()->isReferenceType() || !IsShared(VD))
              continue; // fixed for the loop: a bound, a parameter, an index
            ThreadEvidence |= Shared->count(VD) || VD->getDeclContext() != FD;
          }
        }
        if (VD && VD->isConstexpr())
          continue;
        if (K == tlm::StateKind::Plain && D->getType().isConstQualified())
          continue;
        Polled.push_back(D);
        if (K == tlm::StateKind::Plain)
          Plain.push_back(D);
        else if (K == tlm::StateKind::Volatile)
          Volatile.push_back(D);
      }
      if (Polled.empty())
        return;
      // A plain flag needs a writer somewhere else to be "another thread's".
      if (!Writes)
        Writes = tlm::collectWrites(*Model);
      auto WriterOf = [&](const ValueDecl *D) -> const tlm::WriteSite * {
        auto It = Writes->find(D);
        if (It == Writes->end())
          return nullptr;
        for (const tlm::WriteSite &W : It->second)
          if (!(S->getSourceRange().fullyContains(SourceRange(W.Loc))))
            return &W;
        return nullptr;
      };
      bool AnySynchronised = Polled.size() > Plain.size();
      if (!AnySynchronised && !ThreadEvidence &&
          std::none_of(Plain.begin(), Plain.end(),
                       [&](const ValueDecl *D) { return WriterOf(D); }))
        return;
      // The inner read loop of a test-and-test-and-set spinlock: an
      // enclosing loop acquires the same atomic with an exchange.
      if (insideSpinLockAcquire(S, FD, Polled, Ctx))
        return;

      bool Yielding = Facts.Yield != nullptr;
      // A plain flag is a data race whatever the loop does between polls:
      // never a mere remark.
      bool Racy = !Plain.empty();
      if (Yielding && !Racy && YieldingLoops == "none")
        return;
      bool Cxx = Ctx.getLangOpts().CPlusPlus;
      std::string Names;
      for (size_t I = 0; I < Polled.size(); ++I) {
        if (I)
          Names += I + 1 == Polled.size() ? " or " : ", ";
        Names += "'" +
                 std::string(LA.AtomicPointers.count(Polled[I]) ? "*" : "") +
                 tlm::stateName(Polled[I]) + "'";
      }
      std::string Msg;
      if (Yielding)
        Msg = "this loop spins until " + Names +
              " changes, yielding or pausing between polls: it still keeps a "
              "core busy while another thread does the work";
      else
        Msg = "busy wait: this loop spins until " + Names +
              " changes, and its body neither blocks, sleeps nor waits: it "
              "keeps a core busy while another thread does the work";
      Msg += Cxx ? "; wait on a std::condition_variable (or std::atomic::wait "
                   "in C++20), or sleep with back-off"
                 : "; wait on a condition variable (pthread_cond_wait, "
                   "cnd_wait) or a semaphore, or sleep with back-off";
      if (Racy)
        Msg += "; '" + tlm::stateName(Plain.front()) +
               "' is neither atomic nor volatile: polling it while another "
               "thread writes it is a data race, and the compiler may hoist "
               "the load out of the loop so that it spins forever (make it " +
               (Cxx ? "std::atomic)" : "_Atomic)");
      else if (!Volatile.empty() &&
               Volatile.front()->getType().getAsString().find("sig_atomic_t") !=
                   std::string::npos)
        Msg += "; if a signal handler sets '" +
               tlm::stateName(Volatile.front()) +
               "', block in sigsuspend() or sigwait() instead";
      else if (!Volatile.empty())
        Msg += "; '" + tlm::stateName(Volatile.front()) +
               "' is volatile, which is not synchronisation in C or C++: use " +
               (Cxx ? "std::atomic" : "_Atomic");
      auto Level = Yielding && !Racy && YieldingLoops == "remark"
                       ? DiagnosticIDs::Remark
                       : DiagnosticIDs::Warning;
      diag(S->getBeginLoc(), "%0", Level) << Msg;
      for (const ValueDecl *D : Polled)
        if (const tlm::WriteSite *W = WriterOf(D)) {
          diag(W->Loc, "'%0' is changed here, in '%1'", DiagnosticIDs::Note)
              << tlm::stateName(D) << tlm::functionName(W->In, SM);
          break;
        }
      if (Yielding)
        diag(Facts.Yield->getBeginLoc(), "the loop yields or pauses here",
             DiagnosticIDs::Note);
    });
  }
}

} // namespace clang::tidy::threadlint
