//===--- Threads.h - thread entries, thread objects, their fates -*- C++
//-*-===//
//
// Design note. Threads are recognised where they start: a std::thread,
// std::jthread or boost::thread constructed with a callable, pthread_create,
// C11 thrd_create and std::async (not launch::deferred alone). A start names
// the callable, the function the new thread runs (its entry: a function, a
// lambda's call operator, a functor's operator()), and the arguments handed
// to it.
//
// What then happens to a thread object is a forward dataflow over the
// creating function's CFG (analyzeThreadOwners): each local std::thread, or
// local container of them, is not started, running, or finished (joined,
// detached, moved to an owner) on each path, and every point where a running
// thread would be destroyed (scope exit, reassignment, clear(), an exception
// thrown past it) is recorded with the path that leads there. A thread object
// whose address or reference escapes is left alone: someone else owns it.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_THREADS_H
#define THREADLINT_MODEL_THREADS_H

#include "ModelConfig.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class FieldDecl;
class CFG;
class Expr;
class FunctionDecl;
class QualType;
class Stmt;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace threadlint::model {

class TUModel;

enum class ThreadApi {
  StdThread,
  JThread,
  BoostThread,
  Pthread,
  C11,
  Async,
  /// A configured thread-pool submit function (ThreadStartFunctions).
  Pool,
};

/// "std::thread", "pthread_create", ...
const char *threadApiName(ThreadApi A);

struct ThreadStart {
  /// The construct expression or the call that starts the thread.
  const clang::Expr *Site = nullptr;
  ThreadApi Api = ThreadApi::StdThread;
  /// The callable as written (a lambda, a function name, a functor).
  const clang::Expr *Callable = nullptr;
  /// The function the new thread runs, when it can be told.
  const clang::FunctionDecl *Entry = nullptr;
  /// The arguments handed to the entry.
  llvm::SmallVector<const clang::Expr *, 4> Args;
  /// pthread_create / thrd_create: the thread id argument (&tid).
  const clang::Expr *IdArg = nullptr;
  /// pthread_create: the attribute argument.
  const clang::Expr *AttrArg = nullptr;
  /// threads.emplace_back(fn, ...): the container the thread is built in.
  const clang::Expr *Container = nullptr;
};

/// The thread \p E starts, if it is a thread start.
std::optional<ThreadStart> recognizeThreadStart(const clang::Expr *E);

/// The same, and calls to the configured thread-pool submit functions
/// (ModelConfig::ThreadStartFunctions): the first callable argument runs on
/// a pool thread.
std::optional<ThreadStart> recognizeThreadStart(const clang::Expr *E,
                                                const ModelConfig &Config);

/// std::thread and boost::thread: destroying one that is joinable calls
/// std::terminate. (std::jthread joins itself.)
bool isTerminatingThreadType(clang::QualType T);
bool isJThreadType(clang::QualType T);
/// A standard container (or array) whose elements are std::thread.
bool isThreadContainerType(clang::QualType T);
/// std::thread itself, or a container (or array) of std::thread: what
/// std::jthread can replace (not boost::thread).
bool holdsStdThreads(clang::QualType T);

/// Something of the creating scope that the new thread keeps using.
struct Borrow {
  clang::SourceLocation Loc;
  /// "captures local 'buf' by reference", "receives 'this'", ...
  std::string What;
  /// The local variable, or null for 'this'.
  const clang::VarDecl *Var = nullptr;
};

/// Locals of the creating function (and 'this') that the thread reaches by
/// reference or pointer: by-reference lambda captures, a captured or passed
/// 'this', &local and std::ref(local) arguments. Objects with static storage
/// and data the callable owns (by-value captures, shared_ptr) are not
/// borrowed.
std::vector<Borrow> borrowedLocals(const ThreadStart &S);

/// Where the thread's entry detaches the thread running it
/// (pthread_detach(pthread_self()), thrd_detach(thrd_current())), or an
/// invalid location.
clang::SourceLocation selfDetach(const ThreadStart &S);

/// Where a started thread is detached, if it is: .detach() on the
/// temporary, the first of join()/detach() on the thread object after the
/// start (in the same function), the first of pthread_join/pthread_detach
/// (thrd_*) on its id, PTHREAD_CREATE_DETACHED attributes, or the thread
/// detaching itself (then At is the start and Self the self-detach).
struct Detach {
  clang::SourceLocation At;
  clang::SourceLocation Self;
};
Detach detachOf(const ThreadStart &S, const clang::FunctionDecl *Fn,
                clang::ASTContext &Ctx);

/// Whether a pthread_create in \p Fn passes attributes that
/// pthread_attr_setdetachstate(..., PTHREAD_CREATE_DETACHED) set up.
bool createdDetached(const ThreadStart &S, const clang::FunctionDecl *Fn,
                     clang::ASTContext &Ctx);

/// Whether \p Inner is \p Outer or one of its sub-statements.
bool contains(const clang::Stmt *Outer, const clang::Stmt *Inner);

/// A member thread (or container of them) that its class starts, in a
/// constructor, a member function or a default member initialiser, and
/// does not detach, while the destructor never reaches it (directly or
/// through functions of the translation unit it calls).
struct MemberThreadLeak {
  const clang::FieldDecl *Field = nullptr;
  clang::SourceLocation Started;
  /// The user-provided destructor that does not reach it; null when the
  /// class has none (the implicit one does not join).
  const clang::FunctionDecl *Dtor = nullptr;
  /// Another member function that does reach it (a stop() the destructor
  /// does not call), if any.
  const clang::FunctionDecl *Joiner = nullptr;
};
std::vector<MemberThreadLeak> memberThreadLeaks(TUModel &Model);

/// A pthread_create/thrd_create whose local id variable is never joined,
/// detached, stored, returned or captured, and whose thread neither runs
/// detached nor detaches itself.
struct UnjoinedId {
  const ThreadStart *Start = nullptr;
  const clang::FunctionDecl *In = nullptr;
  const clang::VarDecl *Id = nullptr;
};
std::vector<UnjoinedId> unjoinedThreadIds(TUModel &Model);

/// Where a thread object's running thread would be destroyed.
enum class LeakKind { ScopeExit, Return, Jump, Reassign, Clear, Exception };

struct ThreadLeak {
  /// The thread object: a local std::thread or container of them.
  const clang::VarDecl *Owner = nullptr;
  LeakKind Kind = LeakKind::ScopeExit;
  /// Where the running thread is destroyed (the return, the closing brace,
  /// the assignment, the throw or the call that may throw).
  clang::SourceLocation At;
  /// Where the thread was started.
  clang::SourceLocation Started;
  /// A join or detach of this owner on another path, if any.
  clang::SourceLocation JoinedElsewhere;
  /// The owner is a std::thread only ever joined, detached or queried
  /// (never assigned, moved or handed over): std::jthread replaces it.
  bool JThreadDropIn = false;
  /// Exception: the chain from the call down to the throw.
  std::vector<std::pair<clang::SourceLocation, std::string>> ThrowChain;
};

/// Whether a call may let an exception out, with the chain to the throw.
using MayThrowLookup = llvm::function_ref<const std::vector<
    std::pair<clang::SourceLocation, std::string>> *(const clang::Expr *Call)>;

/// Runs the thread-object dataflow over \p Fn's CFG.
std::vector<ThreadLeak> analyzeThreadOwners(const clang::FunctionDecl *Fn,
                                            const clang::CFG &Cfg,
                                            clang::ASTContext &Ctx,
                                            MayThrowLookup MayThrow);

} // namespace threadlint::model

#endif
