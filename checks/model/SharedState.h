//===--- SharedState.h - state that threads share ---------------*- C++ -*-===//
//
// Design note. How a variable is meant to be shared is read off its type:
// std::atomic / std::atomic_flag / std::atomic_ref / C11 _Atomic objects are
// synchronised by themselves; volatile ones are not (volatile only stops the
// compiler from caching the value, it orders nothing); everything else is
// plain state that needs a lock. Where the code writes a variable is
// collected once per translation unit, so that a rule can show the other
// side of a conflict. Single atomic loads and plain atomic stores are told
// apart from read-modify-writes (atomicLoadOf, atomicStoreOf).
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_SHAREDSTATE_H
#define THREADLINT_MODEL_SHAREDSTATE_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace clang {
class AtomicExpr;
class Expr;
class FunctionDecl;
class QualType;
class Stmt;
class ValueDecl;
} // namespace clang

namespace threadlint::model {

class TUModel;

enum class StateKind { Atomic, Volatile, Plain };

/// Arrays count as their elements; std::atomic<int> and its library bases
/// are atomic.
StateKind stateKind(clang::QualType T);

/// Whether a std::atomic member function of this name stores a value
/// (store, exchange, compare_exchange_*, fetch_*, test_and_set, clear).
bool isAtomicStoreName(llvm::StringRef N);

/// Whether a C11/GNU atomic builtin only loads.
bool isAtomicLoad(const clang::AtomicExpr *AE);

/// The variable or field an access expression reads or writes through
/// (x, obj.f, p->f, this->f, a[i] → a), or null.
const clang::ValueDecl *accessedDecl(const clang::Expr *E);

struct WriteSite {
  clang::SourceLocation Loc;
  const clang::FunctionDecl *In = nullptr;
};

/// Every variable and field written in the analysed functions (assignment,
/// compound assignment, ++/--, and atomic stores and read-modify-writes),
/// with the first write in source order.
llvm::DenseMap<const clang::ValueDecl *, std::vector<WriteSite>>
collectWrites(TUModel &Model);

/// If \p E loads atomic state in one step (a.load(), the conversion of a
/// std::atomic to its value, atomic_load(&a), a read of a C11 _Atomic),
/// sets \p D to it and returns the loading expression.
const clang::Expr *atomicLoadOf(const clang::Expr *E,
                                const clang::ValueDecl *&D);

/// If \p S is a plain store to atomic state (a.store(v), a = v,
/// atomic_store(&a, v), x = v on a C11 _Atomic), the state, with the stored
/// value in \p Value. Read-modify-writes are not stores here.
const clang::ValueDecl *atomicStoreOf(const clang::Stmt *S,
                                      const clang::Expr *&Value);

/// How a user names a variable or field: 'g_ready', 'Worker::stop_'.
std::string stateName(const clang::ValueDecl *D);

} // namespace threadlint::model

#endif
