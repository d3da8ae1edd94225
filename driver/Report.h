//===--- Report.h - merge, text and SARIF output ---------------*- C++ -*-===//
#ifndef THREADLINT_DRIVER_REPORT_H
#define THREADLINT_DRIVER_REPORT_H

#include "Finding.h"
#include <string>
#include <vector>

namespace threadlint {

/// All translation units' findings as one list: a finding in a header seen by
/// many translation units appears once (with its occurrence count), and the
/// order is fixed (file, line, column, rule, message) whatever the order in
/// which the translation units finished.
std::vector<Finding> mergeFindings(const std::vector<TUResult> &Results);

struct ReportContext {
  std::string SourceRoot; ///< absolute, with trailing '/'
  std::vector<std::string> EnabledRules;
  std::vector<TUResult> const *Results = nullptr;
};

/// clang-style text: "file:line:col: warning: message [threadlint-rule]",
/// then one "note:" line per trace step.
std::string formatText(const std::vector<Finding> &Findings,
                       const ReportContext &Ctx);

/// SARIF 2.1.0, one run.
std::string formatSarif(const std::vector<Finding> &Findings,
                        const ReportContext &Ctx);

/// Writes \p Content to \p Path atomically (temporary file, then rename).
/// Returns an error message, or empty on success.
std::string writeFileAtomically(const std::string &Path,
                                const std::string &Content);

} // namespace threadlint

#endif
