//===--- Runner.h - analyse translation units in parallel ------*- C++ -*-===//
//
// Each translation unit runs through the clang-tidy engine with the
// threadlint checks, on a pool of worker threads, isolated so that one that
// fails to parse or crashes costs only its own results. Results come back in
// the order of the input files, whatever the number of threads.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_DRIVER_RUNNER_H
#define THREADLINT_DRIVER_RUNNER_H

#include "Finding.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
}

namespace threadlint {

struct RunOptions {
  std::string Checks = "-*,threadlint-*";
  std::string HeaderFilter = ".*";
  /// --config text (YAML/JSON, as clang-tidy's --config); else .clang-tidy
  /// files are read as clang-tidy reads them.
  std::optional<std::string> Config;
  unsigned Jobs = 1;
  bool Progress = false;
  std::vector<std::string> ExtraArgs;
  /// Check options set by the driver itself (they win over config files).
  std::map<std::string, std::string> CheckOptions;
  /// Keep findings that a NOLINT comment suppresses, marked Suppressed.
  bool KeepSuppressed = false;
};

std::vector<TUResult> runAll(const clang::tooling::CompilationDatabase &DB,
                             const std::vector<std::string> &Files,
                             const RunOptions &Options);

} // namespace threadlint

#endif
