//===--- TUModel.h - the concurrency model of one translation unit -*- C++ -*-//
//
// Design note. Built once per translation unit and configuration, and shared
// by every check that asks (TUModel::get): each function's CFG is built once,
// the held-lock dataflow runs once per function, and summaries are computed
// bottom-up over the call graph, strongly connected components iterated until
// their summaries stop changing (at most a few rounds; recursion converges
// fast because summaries only grow by lock names seen in the component).
//
// Analysed functions: definitions outside system headers, template
// instantiations, and lambda bodies. Functions in system headers are never
// analysed: the standard library is described by the API tables instead.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_TUMODEL_H
#define THREADLINT_MODEL_TUMODEL_H

#include "Blocking.h"
#include "HeldLocks.h"
#include "ModelConfig.h"
#include "Threads.h"
#include "llvm/ADT/ArrayRef.h"
#include <memory>
#include <set>

namespace clang {
class ASTContext;
class CFG;
class FunctionDecl;
class SourceManager;
} // namespace clang

namespace threadlint::model {

class SharedAccesses;

struct TransitiveAcquire {
  LockRef Lock;
  bool Shared = false;
  std::vector<ChainStep> Path;
};

class TUModel {
public:
  /// The model of the translation unit \p Ctx belongs to, built on first use
  /// and shared while any caller holds it.
  static std::shared_ptr<TUModel> get(clang::ASTContext &Ctx,
                                      const ModelConfig &Config);

  TUModel(clang::ASTContext &Ctx, ModelConfig Config);
  ~TUModel();

  clang::ASTContext &context() const;
  const ModelConfig &config() const;

  /// Analysed functions, callees before callers.
  llvm::ArrayRef<const clang::FunctionDecl *> functions() const;
  const FunctionLocks *locks(const clang::FunctionDecl *FD) const;
  const clang::CFG *cfg(const clang::FunctionDecl *FD) const;

  /// Whether \p FD may block, with the chain down to the blocking call.
  /// Computed for all functions at once on first use of a configuration.
  const MayBlock *mayBlock(const clang::FunctionDecl *FD,
                           const BlockingConfig &Config);

  /// What \p FD acquires, directly or through calls to functions of this
  /// TU, each with the path to the acquisition (the last step). Locks are
  /// named as \p FD sees them (its parameters, its 'this').
  const std::vector<TransitiveAcquire> *acquires(const clang::FunctionDecl *FD);

  /// Keys of the locks this TU makes recursive when it creates them:
  /// mtx_init(&m, mtx_plain | mtx_recursive), pthread_mutex_init(&m, &attr)
  /// after pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE), and
  /// globals initialised with PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP. Their
  /// type alone says "non-recursive".
  const std::set<std::string> &recursiveAtRunTime();

  /// Whether an exception can leave \p FD: a throw outside any try in it,
  /// or a call to a function of this TU that may throw. The chain leads
  /// from \p FD's statement down to the throw. Null for noexcept functions
  /// and for code this TU cannot see (library calls are not guessed).
  using ThrowChain = std::vector<std::pair<clang::SourceLocation, std::string>>;
  const ThrowChain *mayThrow(const clang::FunctionDecl *FD);

  /// Every thread start in the analysed functions, with the function that
  /// makes it.
  const std::vector<std::pair<const clang::FunctionDecl *, ThreadStart>> &
  threadStarts();

  /// Where \p FD's local thread objects may be destroyed while running.
  const std::vector<ThreadLeak> &threadLeaks(const clang::FunctionDecl *FD);

  /// Who reads and writes shared state, under which locks, from which
  /// threads (Accesses.h). Built on first use.
  const SharedAccesses &accesses();

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

/// How users know a function: its qualified name, or "lambda at file:line".
std::string functionName(const clang::FunctionDecl *FD,
                         const clang::SourceManager &SM);

} // namespace threadlint::model

#endif
