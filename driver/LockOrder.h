//===--- LockOrder.h - project-wide lock-order findings --------*- C++ -*-===//
//
// Reads the lock-order facts each translation unit wrote, merges them into
// the program's lock graph (checks/model/LockGraph.h) and turns its cycles
// into findings. Used by the driver after a run, and by `threadlint merge`
// over the facts the plugin wrote during a normal build.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_DRIVER_LOCKORDER_H
#define THREADLINT_DRIVER_LOCKORDER_H

#include "Finding.h"
#include <set>
#include <string>
#include <vector>

namespace threadlint {

struct FactsLoad {
  unsigned Files = 0;
  std::vector<std::string> Errors; ///< one line per rejected file
};

/// Findings for every lock-order cycle in the facts under \p Dir. Facts of
/// the translation units in \p Skip (those that failed) are ignored. When
/// \p Dot is given, the lock graph in Graphviz form is stored there.
/// Cycles reported where a NOLINT comment names the rule, or in a header
/// that \p HeaderFilter (a regular expression; files in \p MainFiles always
/// pass) excludes, are left out, as clang-tidy leaves out its own findings.
std::vector<Finding> lockOrderFindings(const std::string &Dir,
                                       const std::set<std::string> &Skip,
                                       const std::string &Level,
                                       const std::string &HeaderFilter,
                                       const std::set<std::string> &MainFiles,
                                       FactsLoad &Load, std::string *Dot);

} // namespace threadlint

#endif
