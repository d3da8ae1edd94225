//===--- LibraryCalls.h - what the C library promises about threads -*- C++
//-*-//
//
// Design note. Two tables from POSIX and the C standard that several rules
// share: the functions that keep hidden static state (strtok, localtime,
// rand, ...) and so are not thread-safe, each with its reentrant
// replacement; and the functions POSIX lists as async-signal-safe, the only
// ones a signal handler, or the child of a multithreaded process before
// exec, may call. A function is only taken to be the library one when it is
// declared in a system header at file scope or in namespace std: a
// project's own rand() is not.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_LIBRARYCALLS_H
#define THREADLINT_MODEL_LIBRARYCALLS_H

#include <optional>
#include <string>

namespace clang {
class FunctionDecl;
class Expr;
class Stmt;
} // namespace clang

namespace threadlint::model {

struct MtUnsafeFunction {
  /// Why it is unsafe: "it keeps its position in a static buffer".
  const char *Why;
  /// What to use instead: "strtok_r (with a save pointer of your own)".
  const char *Instead;
};

/// The C library function \p FD, or null when \p FD is not one.
/// ("strtok" for ::strtok and std::strtok.)
const char *libraryFunctionName(const clang::FunctionDecl *FD);

/// Whether \p FD is a thread-unsafe library function, and what replaces it.
std::optional<MtUnsafeFunction> mtUnsafe(const clang::FunctionDecl *FD);

/// Whether POSIX lists \p FD as async-signal-safe (or it is a compiler
/// builtin that needs no library state).
bool isAsyncSignalSafe(const clang::FunctionDecl *FD);

/// exec* and _exit/_Exit: where the child of fork() leaves the parent's
/// address space behind.
bool endsChildProcess(const clang::FunctionDecl *FD);

/// Why the statement \p S (a call, a construction, new or delete) is not
/// async-signal-safe: "'printf'", "'new' (it allocates memory)", "the
/// constructor of 'std::string'"; "" when it is safe or cannot be told
/// (a call through a pointer, a project function without a body here).
/// For a call to a function of the project with a body, \p Next receives
/// it so that the caller can search it in turn.
std::string signalUnsafeCall(const clang::Stmt *S,
                             const clang::FunctionDecl *&Next);

} // namespace threadlint::model

#endif
