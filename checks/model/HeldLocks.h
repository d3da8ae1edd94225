//===--- HeldLocks.h - which locks are held at each statement --*- C++ -*-===//
//
// Design note. A forward gen/kill dataflow over one function's clang::CFG
// (built with implicit destructors, so a guard's release sits exactly where
// its scope ends on every path: fall-through, return, break, continue, goto).
// Two sets flow: "must" (held on every path to the statement: intersection at
// joins) and "may" (held on some path: union). Checks report on "must" unless
// they say otherwise, so a lock taken on only one branch never causes a report.
//
// Try-locks are branch-sensitive: pthread_mutex_trylock(&m) == 0, m.try_lock(),
// !lk.owns_lock(), if (lk), and a variable holding a try-lock result add the
// lock only on the edge where the attempt succeeded.
//
// Calls to functions with a body in this translation unit apply that
// function's LockSummary (locks it returns holding, locks it releases for its
// caller). Calls to anything else change nothing: unknown code is not
// guessed. Exceptions thrown out of a function are not modelled as releasing
// guards (Clang's CFG has no exceptional edges by default); a throw only ends
// the path.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_HELDLOCKS_H
#define THREADLINT_MODEL_HELDLOCKS_H

#include "Locks.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <vector>

namespace clang {
class CFG;
class Stmt;
} // namespace clang

namespace threadlint::model {

struct HeldLock {
  LockRef Lock;
  bool Shared = false;
  /// Where this function acquired it (the guard, the lock call, or the call
  /// to a function that returned holding it).
  clang::SourceLocation Site;
  /// The guard whose destructor releases it, or null for manual locking.
  const clang::VarDecl *Owner = nullptr;
  /// When acquired by a called function: that function's name.
  std::string Via;
};

/// Held locks, sorted by LockRef::Key.
using HeldSet = std::vector<HeldLock>;

/// A call made by the function, with the locks held just before it.
struct CallSite {
  const clang::Expr *Call = nullptr;
  /// The called function (its definition when one is known), or null.
  const clang::FunctionDecl *Callee = nullptr;
  HeldSet Must;
  HeldSet May;
  /// Locks of the caller's (or guards received as parameters) that this
  /// function released, on some path, before the call.
  HeldSet Released;
};

/// One acquisition made by the function, with what was held before it.
struct Acquisition {
  HeldLock Lock;
  HeldSet MustBefore;
  const clang::Expr *At = nullptr;
};

/// What callers see of a function's locking.
struct LockSummary {
  /// Locks acquired and still held (manually) on every return: lock wrappers.
  std::vector<HeldLock> ReturnsHolding;
  /// Locks released that the function did not acquire: unlock wrappers.
  std::vector<LockRef> Releases;
  /// The locks held by the guard the function returns
  /// (std::unique_lock<std::mutex> acquire() { return ...(mu_); }).
  std::vector<LockRef> ReturnsGuardOf;

  bool operator==(const LockSummary &O) const;
};

/// A way out of the function, with the locks held on every path to it.
struct ExitPoint {
  /// The return statement or throw expression; a try statement when an
  /// exception thrown in its try block may match none of its handlers;
  /// null when control falls off the end of the body.
  const clang::Stmt *At = nullptr;
  clang::SourceLocation Loc;
  HeldSet Must;
};

/// A release the function makes (unlock(), pthread_mutex_unlock(),
/// lk.unlock()), with whether the lock was held just before it.
struct ReleasePoint {
  const clang::Expr *Call = nullptr;
  /// The lock released by a manual unlock (empty Key for a guard's unlock).
  LockRef Lock;
  /// The guard whose unlock() this is, or null.
  const clang::VarDecl *Guard = nullptr;
  /// Held on some path to the release / on every path.
  bool MayHeld = false;
  bool MustHeld = false;
};

struct FunctionLocks {
  const clang::FunctionDecl *Fn = nullptr;
  /// False when the function was too large for the budget: nothing below is
  /// filled in and checks must stay silent on it.
  bool Analysed = false;
  std::vector<CallSite> Calls;
  std::vector<Acquisition> Acquisitions;
  LockSummary Summary;
  /// The locks each guard variable is bound to.
  llvm::DenseMap<const clang::VarDecl *, llvm::SmallVector<LockRef, 2>>
      GuardLocks;
  /// The locks held on every path to each statement the CFG lists (with
  /// every sub-expression listed, so each variable access has an entry), as
  /// an index into HeldSets (consecutive equal sets are stored once).
  llvm::DenseMap<const clang::Stmt *, unsigned> MustAt;
  std::vector<HeldSet> HeldSets;
  /// Every way out of the function that the CFG reaches (not calls to
  /// noreturn functions such as abort()).
  std::vector<ExitPoint> Exits;
  /// Every unlock the function makes.
  std::vector<ReleasePoint> Releases;

  /// The locks held on every path to \p S (or to the nearest enclosing
  /// statement the CFG lists), or null if the CFG does not reach it.
  const HeldSet *mustHeldAt(const clang::Stmt *S, clang::ASTContext &Ctx) const;

  /// The locks an expression names in this function: a guard variable's
  /// locks, or the lock itself.
  llvm::SmallVector<LockRef, 2> locksNamedBy(const clang::Expr *E,
                                             const clang::ASTContext &Ctx,
                                             const ModelConfig &Config) const;
};

/// The locks in the caller that a callee's lock \p L (from its summary)
/// stands for at call \p Call: itself for globals and fields, the argument's
/// lock for a lock parameter, the guard argument's locks for a guard
/// parameter.
llvm::SmallVector<LockRef, 2> mapCalleeLock(const FunctionLocks &Caller,
                                            const LockRef &L,
                                            const clang::Expr *Call,
                                            const clang::ASTContext &Ctx,
                                            const ModelConfig &Config);

using SummaryLookup =
    llvm::function_ref<const LockSummary *(const clang::FunctionDecl *)>;

/// Runs the held-lock dataflow over \p Fn's CFG.
FunctionLocks analyzeHeldLocks(const clang::FunctionDecl *Fn,
                               const clang::CFG &Cfg,
                               const clang::ASTContext &Ctx,
                               const ModelConfig &Config,
                               SummaryLookup Summaries);

/// The function a call expression calls, preferring its definition.
const clang::FunctionDecl *calleeOf(const clang::Expr *Call);

/// "'a'", "'a' and 'b'", "'a', 'b' and 'c'".
std::string describeLocks(const HeldSet &Locks);

} // namespace threadlint::model

#endif
