//===--- Accesses.h - who touches shared state, from which threads -*- C++ -*-//
//
// Design note. The shared-state model the data-race rules share. Built once
// per translation unit (TUModel::accesses), in three steps:
//
// 1. Thread entries. Every thread start of the TU (Threads.h) names the
//    function its thread runs. An entry "runs more than once at a time" when
//    it has several start sites, or a start inside a loop that does not also
//    wait for the thread in that loop; "on the same object" when every start
//    hands it the same object or argument ('this', a variable declared
//    outside the loop), not an element, a fresh allocation or a functor copy.
//
// 2. Thread contexts. A function belongs to every entry that reaches it
//    through calls of this TU. The starting side runs concurrently with the
//    new thread from the start until the first wait for it (join, a future's
//    get/wait, a call to a function that joins, the end of a std::jthread's
//    scope); when no such wait follows, the thread outlives the function and
//    its callers continue concurrently after the call. Accesses in those
//    regions, and in everything called from them, are concurrent with the
//    entry. Accesses before a start or after the wait are ordered with it.
//    Regions are judged in source order within a function (a join on one
//    branch counts for both): this errs towards silence.
//
// 3. Accesses. Every read, write and read-modify-write of state that can be
//    shared: globals and statics (not thread_local, not const), fields
//    reached through 'this', a global, a pointer or reference (per class, as
//    lock identities are), and locals that a thread borrows (by-reference
//    capture, &local, std::ref). Fields of local objects, by-value captures
//    and parameters taken by value are the thread's own and not recorded;
//    neither are elements indexed by a non-constant (per-thread slots), nor
//    objects whose address escapes or that are passed by non-const reference
//    (what the callee does is not guessed). Each access carries the locks
//    held on every path to it (HeldLocks.h), plus the capabilities its
//    function REQUIRES, plus the locks every caller holds when calling its
//    function (a helper only called under the lock; a lambda handed to a
//    call made under a lock, such as a condition variable's predicate).
//
// Two accesses race (mayRace) when they touch the same state, one writes,
// no lock is held by both (in exclusive mode by at least one), and their
// threads can overlap.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_ACCESSES_H
#define THREADLINT_MODEL_ACCESSES_H

#include "Locks.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class IfStmt;
class Expr;
class FunctionDecl;
class SourceManager;
class Stmt;
class ValueDecl;
} // namespace clang

namespace threadlint::model {

class TUModel;

enum class AccessKind {
  Read,
  Write,
  /// Read and written by one expression: x++, x += n, x = x + n, x = f(x).
  Update,
};

/// How an access reaches its state.
enum class AccessRoot {
  Global,   ///< a global or static, or a field of one
  Borrowed, ///< a local a thread borrows, or a field of it
  This,     ///< a field through 'this'
  Pointer,  ///< a field through a pointer or reference
  Param,    ///< a field through a pointer or reference parameter
};

struct AccessLock {
  /// Identity across functions (a lock's global key, or its declaration).
  std::string Id;
  std::string Name;
  bool Shared = false;
  LockKind Kind = LockKind::Other;
  /// Where the function acquired it (invalid for a REQUIRES capability).
  clang::SourceLocation Site;
};

struct Access {
  const clang::ValueDecl *State = nullptr;
  /// The expression naming the state (a DeclRefExpr or MemberExpr).
  const clang::Expr *Ref = nullptr;
  /// The whole access: the assignment, increment or call; Ref for reads.
  const clang::Expr *Op = nullptr;
  AccessKind Kind = AccessKind::Read;
  AccessRoot Root = AccessRoot::Global;
  const clang::FunctionDecl *In = nullptr;
  /// Locks held on every path to the access, sorted by Id.
  std::vector<AccessLock> Held;
  /// The held locks are unknown (the function was too large to analyse) or
  /// may be taken by a lock wrapper this TU cannot see.
  bool LocksUnknown = false;
  /// In a constructor or destructor of the state's class: the object is not
  /// shared yet, or no longer.
  bool InCtorDtor = false;
  /// Indices into SharedAccesses::entries(): threads that run this access.
  llvm::SmallVector<unsigned, 2> Entries;
  /// Entries whose threads may run while the starting side runs this access.
  llvm::SmallVector<unsigned, 2> ConcurrentWith;

  bool writes() const { return Kind != AccessKind::Read; }
  bool holds(const std::string &LockId, bool Exclusive = false) const;
  clang::SourceLocation loc() const;
};

struct ThreadEntry {
  const clang::FunctionDecl *Fn = nullptr;
  /// "thread 'worker'", "thread running the lambda at main.cpp:12".
  std::string Name;
  /// The first start site (more in Starts).
  std::vector<clang::SourceLocation> Starts;
  /// More than one thread may run it at the same time...
  bool Multi = false;
  /// ...on the same object or argument.
  bool MultiSameObject = false;
};

/// Why two accesses can overlap: the threads involved, ready for a message.
struct RaceWhy {
  /// "thread 'worker'" / "another thread running 'worker'" / "the thread
  /// that started 'worker'".
  std::string First, Second;
  /// The start of the thread involved (for a note).
  clang::SourceLocation Start;
};

/// Where a function runs concurrently with a thread it started (directly
/// or through a callee that leaves it running).
struct ConcurrentRegion {
  unsigned Entry = 0;
  clang::SourceLocation From;        ///< exclusive
  clang::SourceLocation To;          ///< exclusive; invalid: the end
  const clang::Stmt *Loop = nullptr; ///< the whole loop is concurrent too
  /// The thread start (or the call that leaves a thread running) it
  /// begins after.
  clang::SourceLocation Site;
};

/// Which thread a statement runs in or alongside, ready for a message.
struct ThreadContext {
  unsigned Entry = 0;
  /// The statement runs in the entry's thread (else: alongside it).
  bool RunsIt = false;
  /// "in thread 'worker'" / "while thread 'worker' may run".
  std::string Text;
  clang::SourceLocation Start;
  /// When the statement runs in the thread through calls: each call from
  /// the thread's function down ("'run' calls 'reload'").
  std::vector<std::pair<clang::SourceLocation, std::string>> Path;
};

class SharedAccesses {
public:
  explicit SharedAccesses(TUModel &Model);

  const std::vector<ThreadEntry> &entries() const { return Entries; }
  const std::vector<Access> &all() const { return Accesses; }
  /// The accesses of one state, in source order.
  const std::vector<unsigned> *of(const clang::ValueDecl *State) const;
  /// States with at least one access, in the order first seen.
  const std::vector<const clang::ValueDecl *> &states() const {
    return StateOrder;
  }

  /// Whether a thread runs \p A, or runs while the starting side does.
  bool threadRelevant(const Access &A) const {
    return !A.Entries.empty() || !A.ConcurrentWith.empty();
  }
  /// Whether \p A and \p B can run at the same time in different threads
  /// (not looking at locks). \p A may be \p B: one statement run by two
  /// threads at once.
  bool mayOverlap(const Access &A, const Access &B, RaceWhy *Why) const;
  /// mayOverlap, one of them writes, and no common lock protects them.
  bool mayRace(const Access &A, const Access &B, RaceWhy *Why) const;

  /// Whether \p FD may be run by a thread, or concurrently with one.
  bool threadRelevant(const clang::FunctionDecl *FD) const;
  /// Whether the model knows when \p FD runs relative to the threads: it
  /// is run by one, or starts (or outlives the start of) one. Elsewhere any
  /// thread may call it at any time.
  bool knowsTimeline(const clang::FunctionDecl *FD) const {
    return threadRelevant(FD) || Creators.count(FD);
  }
  /// The thread \p S (in \p FD) runs in, or alongside: \p FD is run by a
  /// thread entry, or called while one runs, or \p S lies between a thread
  /// start and the wait for it. None: single-threaded as far as the TU shows.
  std::optional<ThreadContext> threadContext(const clang::FunctionDecl *FD,
                                             const clang::Stmt *S) const;

private:
  std::vector<ThreadEntry> Entries;
  /// Whether threads of two entries may run at the same time.
  std::vector<std::vector<char>> EntryOverlap;
  std::vector<Access> Accesses;
  llvm::DenseMap<const clang::ValueDecl *, std::vector<unsigned>> ByState;
  std::vector<const clang::ValueDecl *> StateOrder;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<unsigned, 2>>
      FnEntries, FnConcurrent;
  llvm::DenseSet<const clang::FunctionDecl *> Creators;
  llvm::DenseMap<const clang::FunctionDecl *, std::vector<ConcurrentRegion>>
      Regions;
  const clang::SourceManager *SM = nullptr;
  TUModel *Model = nullptr;
};

/// Double-checked locking: a test of the state with no lock (Outer), before
/// or around a test of it under a lock (Inner) whose branch writes it
/// (Write). All three in one function.
struct DoubleCheck {
  const Access *Outer = nullptr;
  const Access *Inner = nullptr;
  const Access *Write = nullptr;
};
std::vector<DoubleCheck> doubleChecks(const SharedAccesses &Acc,
                                      const clang::ValueDecl *State,
                                      clang::ASTContext &Ctx);

/// The if statement whose condition contains \p E (within the operators
/// of the condition), or null.
const clang::IfStmt *testedBy(const clang::Expr *E, clang::ASTContext &Ctx);

/// "read", "written", "updated".
const char *accessVerb(AccessKind K);

/// Whether a call to a function this TU has no body for may take or release
/// a lock on the caller's behalf: a project function (not a system one)
/// whose name speaks of locking (lock_accounts(), acquire(), enter_cs()).
bool mayBeLockWrapper(const clang::FunctionDecl *Callee);

/// Whether \p Call (in \p In) is a call to such a wrapper that may act on
/// lock \p L: it is handed the lock, the object or parameter the lock
/// belongs to, or 'this' for a field; or it takes no arguments and the lock
/// is a global.
bool wrapperMayTouch(const clang::FunctionDecl *In, const clang::Expr *Call,
                     const LockRef &L);

} // namespace threadlint::model

#endif
