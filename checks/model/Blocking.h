//===--- Blocking.h - calls that block, and functions that may -*- C++ -*-===//
//
// Design note. A call blocks when it is in the blocking table below (sleeps,
// file/socket/pipe I/O, waiting for processes, threads, futures, semaphores
// and condition variables) or the user listed it. iostream reads block when
// the stream is std::cin or a file stream; string streams never do. A
// condition-variable wait releases the lock it is given while it waits, so a
// wait blocks only the *other* locks held: WaitLock names the released one.
//
// A function may block when it makes a blocking call or calls a function that
// may block; the chain of calls down to the blocking one is kept for the
// report. Calls through pointers, virtual dispatch to unknown overriders, and
// functions without a body here are not guessed to block.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_BLOCKING_H
#define THREADLINT_MODEL_BLOCKING_H

#include "Locks.h"
#include "ModelConfig.h"
#include "clang/Basic/SourceLocation.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class Expr;
} // namespace clang

namespace threadlint::model {

enum class BlockKind { Sleep, IO, Process, Join, Future, Wait, Input, User };

/// "sleeps", "performs I/O", ... for messages.
const char *describeBlockKind(BlockKind K);

struct BlockingCall {
  BlockKind Kind;
  /// The name users know the call by ("std::this_thread::sleep_for").
  std::string Name;
  /// For waits that release a lock while waiting: that lock or its guard.
  const clang::Expr *WaitLock = nullptr;
};

/// Whether \p Call (a call or constructor expression) blocks by itself.
std::optional<BlockingCall> classifyBlockingCall(const clang::Expr *Call,
                                                 const BlockingConfig &Config);

/// One step of the chain from a call to the blocking call it leads to.
struct ChainStep {
  clang::SourceLocation Loc;
  std::string Text;
};

struct MayBlock {
  BlockingCall Blocker;
  /// From the function's first step down to the blocking call.
  std::vector<ChainStep> Chain;
  /// Caller-visible locks (globals, fields, lock and guard parameters) that
  /// are not held when the blocking call runs: released before it on some
  /// path, or released by the wait itself. A caller holding only these does
  /// not block while holding them.
  std::vector<LockRef> ReleasedBefore;
};

} // namespace threadlint::model

#endif
