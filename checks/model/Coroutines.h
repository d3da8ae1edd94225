//===--- Coroutines.h - C++20 coroutines ------------------------*- C++ -*-===//
//
// Design note. A coroutine is a function whose body uses co_await, co_yield
// or co_return (Clang wraps it in a CoroutineBodyStmt). Its own statements
// are those the user wrote; the promise's initial and final suspends and
// each co_await's await_ready/await_suspend/await_resume calls are the
// library's machinery and are not walked. A task type starts lazily when
// its promise's initial_suspend() returns std::suspend_always (or an
// awaiter whose await_ready() returns false): until awaited, nothing of its
// body runs.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_COROUTINES_H
#define THREADLINT_MODEL_COROUTINES_H

#include "clang/AST/Type.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace clang {
class FunctionDecl;
class Stmt;
} // namespace clang

namespace threadlint::model {

/// The statements the user wrote in coroutine \p FD, or null when \p FD is
/// not a coroutine.
const clang::Stmt *coroutineBody(const clang::FunctionDecl *FD);

/// Visits \p S and its sub-statements: not lambda bodies (functions of
/// their own), and of a co_await / co_yield only the operand.
void forEachUserStmt(const clang::Stmt *S,
                     llvm::function_ref<void(const clang::Stmt *)> Fn);

/// A generator: a coroutine that yields values and never awaits. It runs
/// on its consumer's thread, in step with the consumer's loop.
bool isGenerator(const clang::FunctionDecl *FD);

/// Whether values of type \p T are coroutine tasks that start suspended.
bool isLazyTaskType(clang::QualType T);

} // namespace threadlint::model

#endif
