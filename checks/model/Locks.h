//===--- Locks.h - recognising locks, guards and lock operations -*- C++
//-*-===//
//
// Design note. A lock is recognised by its type: the standard mutexes, POSIX
// mutexes, rwlocks and spinlocks, C11 mtx_t, any type Clang's thread-safety
// attributes mark as a capability, any class with lock() and unlock() members
// (BasicLockable), and user-listed types. A guard is a std::lock_guard,
// std::unique_lock, std::scoped_lock, std::shared_lock, a class marked
// SCOPED_CAPABILITY, or a class whose constructor takes a lock and whose
// destructor exists to release it.
//
// A lock's identity is its declaration, not its address: a global or static
// ("g_mu"), a field for every instance of its class ("Account::mu_"), an
// element of an array of locks for any index ("mus[]"), or a parameter within
// its function. Two different instances of one field are told apart inside a
// function (this->mu_ vs other.mu_) by the instance part of the key, but share
// one global key across functions. A lock returned by reference from a getter
// (registry_mutex()) is identified by the getter. Locks reached through other
// expressions get a key from their spelling and no global identity: they are
// never matched across functions.
//
// The API knowledge (which function locks which argument, how a try-lock
// reports success) is data in LockApi tables in Locks.cpp, not matcher text.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_LOCKS_H
#define THREADLINT_MODEL_LOCKS_H

#include "ModelConfig.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class Decl;
class CXXConstructExpr;
class Expr;
class FunctionDecl;
class QualType;
class NamedDecl;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace threadlint::model {

enum class LockKind {
  Mutex,          ///< exclusive, non-recursive
  RecursiveMutex, ///< exclusive, re-entrant
  SharedMutex,    ///< exclusive or shared (reader/writer)
  SpinLock,
  Other, ///< capability, BasicLockable or configured type
};

/// How a lock is named inside one function and across functions.
struct LockRef {
  /// Identity inside the function: distinguishes this->mu_ from other.mu_.
  std::string Key;
  /// Identity across functions and translation units (a USR-based key), or
  /// empty when the lock has none (a local lock, an arbitrary expression).
  std::string GlobalKey;
  /// What users read: "g_mu", "Account::mu_", "mus[]", "m".
  std::string Name;
  /// The parameter the lock is rooted in, or -1.
  int ParamIndex = -1;
  LockKind Kind = LockKind::Other;
  const clang::ValueDecl *Decl = nullptr;
  /// A guard received as a parameter (std::unique_lock<std::mutex> &lk):
  /// stands for whatever locks the caller's guard holds.
  bool IsGuardParam = false;
  /// For a field of an object received as a parameter (acct.mu with
  /// Account &acct): that parameter's index and the field's name, so that a
  /// caller can tell which of its objects is meant.
  int BaseParamIndex = -1;
  std::string Field;

  bool operator==(const LockRef &O) const { return Key == O.Key; }
};

/// Whether a type (after references and pointers are removed when asked) is
/// a lock type, and which kind.
std::optional<LockKind> classifyLockType(clang::QualType T,
                                         const ModelConfig &Config);

enum class GuardMode { Lock, Defer, Try, Adopt, MoveFrom, Empty };

/// What a guard variable's initialisation does.
struct GuardInit {
  GuardMode Mode = GuardMode::Empty;
  bool Shared = false;
  /// The lock expressions the guard is bound to.
  llvm::SmallVector<const clang::Expr *, 2> Locks;
  /// For GuardMode::MoveFrom: the guard variable moved from.
  const clang::VarDecl *From = nullptr;
};

/// What constructing a guard with \p CE does.
GuardInit describeGuardConstruct(const clang::CXXConstructExpr *CE,
                                 const ModelConfig &Config);

/// If \p VD is a guard variable, describes what its initialiser does.
std::optional<GuardInit> describeGuardInit(const clang::VarDecl *VD,
                                           const ModelConfig &Config);

/// Whether \p T is a guard type (std::lock_guard and friends, or a user RAII
/// guard).
bool isGuardType(clang::QualType T, const ModelConfig &Config);

enum class LockOp { Acquire, Release, TryAcquire };

/// How a try-lock reports success through its value.
enum class TrySuccess { NonZero, Zero };

/// One lock operation a call performs.
struct LockEffect {
  LockOp Op;
  /// The lock (or guard) expression operated on; null for Guard operations
  /// without one.
  const clang::Expr *Lock = nullptr;
  /// Set when the operation is on a guard variable (lk.unlock(), a guard in
  /// std::lock(lk1, lk2)): the effect applies to the guard's locks.
  const clang::VarDecl *Guard = nullptr;
  bool Shared = false;
  TrySuccess Success = TrySuccess::NonZero;
  /// lk.release(): the guard lets go of its locks without unlocking them.
  bool Disown = false;
};

/// The lock operations that call \p Call (a CallExpr or a member call)
/// performs by itself, from the API tables and thread-safety attributes.
/// Calls to user functions that lock internally are not listed here: their
/// effect comes from summaries.
llvm::SmallVector<LockEffect, 2> lockEffectsOfCall(const clang::Expr *Call,
                                                   const ModelConfig &Config);

/// The guard variable an expression names (lk, std::move(lk), *plk, a
/// reference bound to lk), if any.
const clang::VarDecl *guardVariable(const clang::Expr *E,
                                    const ModelConfig &Config);

/// Resolves a lock expression (m, &m, this->mu_, a.mu_, mus[i], *pm) to its
/// identity in function \p Fn.
std::optional<LockRef> resolveLock(const clang::Expr *E,
                                   const clang::FunctionDecl *Fn,
                                   const clang::ASTContext &Ctx,
                                   const ModelConfig &Config);

/// A declaration's USR: its identity in every translation unit (empty if
/// Clang cannot make one).
std::string usrOf(const clang::Decl *D);

/// Whether \p FD is declared by the system (libc, libstdc++), not by the
/// project: a project's own write() or send() is not the POSIX one.
bool declaredBySystem(const clang::FunctionDecl *FD);

/// The LockRef standing for a guard parameter's locks.
LockRef guardParamRef(const clang::VarDecl *Guard);

/// The qualified name of a declaration as users write it: template arguments
/// and inline namespaces dropped ("std::future::get", "std::mutex").
std::string qualifiedName(const clang::NamedDecl *D);

} // namespace threadlint::model

#endif
