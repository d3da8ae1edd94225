//===--- ModelConfig.h - user configuration of the model -------*- C++ -*-===//
//
// What a user can tell the model that it cannot see in the code: extra lock
// types, and the functions that block. Checks read these from their options
// and pass them in; the model never reads options itself.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_MODELCONFIG_H
#define THREADLINT_MODEL_MODELCONFIG_H

#include <string>
#include <vector>

namespace threadlint::model {

struct ModelConfig {
  /// Fully qualified names of extra lock types (beyond the standard, POSIX,
  /// C11, capability-annotated and BasicLockable ones).
  std::vector<std::string> LockTypes;
  /// Whether any class with lock() and unlock() members counts as a lock.
  bool BasicLockableIsLock = true;
  /// Fully qualified names of functions that run a callable argument on
  /// another thread (thread-pool submit functions: "ThreadPool::submit").
  std::vector<std::string> ThreadStartFunctions;

  /// A stable text form, used to share one model per configuration.
  std::string key() const;
};

struct BlockingConfig {
  /// Fully qualified names added to the built-in list of blocking functions.
  std::vector<std::string> Extra;
  /// Fully qualified names removed from the built-in list.
  std::vector<std::string> Excluded;

  std::string key() const;
};

/// Splits a ';' or ',' separated option value into trimmed, non-empty items.
std::vector<std::string> splitList(const std::string &Value);

} // namespace threadlint::model

#endif
