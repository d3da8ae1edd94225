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

/// A result of an earlier run's SARIF file (--baseline).
struct BaselineResult {
  std::string Fingerprint;
  /// The SARIF result object, as JSON text, for reporting it absent.
  std::string Sarif;
};

struct ReportContext {
  std::string SourceRoot; ///< absolute, with trailing '/'
  std::vector<std::string> EnabledRules;
  std::vector<TUResult> const *Results = nullptr;
  /// With a baseline: its results that this run no longer finds.
  bool HasBaseline = false;
  std::vector<BaselineResult> Absent;
  /// Findings left out by --max-results.
  size_t Cut = 0;
  size_t MaxResults = 0;
  /// SARIF runs.automationDetails.id (GitHub's category).
  std::string Category = "threadlint/";
  /// Findings NOLINT suppresses, kept for SARIF (--keep-suppressed).
  std::vector<Finding> Suppressed;
};

/// Gives each finding its fingerprints. Line numbers take no part, so a
/// finding keeps its identity when code above it moves.
void assignFingerprints(std::vector<Finding> &Findings,
                        const std::string &SourceRoot);

/// The results of a SARIF file threadlint wrote, or an error message.
std::vector<BaselineResult> loadBaseline(const std::string &Path,
                                         std::string &Error);

/// Marks each finding "new" or "unchanged" and returns the baseline results
/// that no finding matches (fixed, or gone with their code).
std::vector<BaselineResult> applyBaseline(std::vector<Finding> &Findings,
                                          std::vector<BaselineResult> Old);

/// Keeps at most \p Max findings, errors first, then warnings, then notes,
/// new ones before unchanged ones (each in file order); returns how many
/// were left out.
size_t limitFindings(std::vector<Finding> &Findings, size_t Max);

/// JSON for scripts: {"version": 1, "tool": ..., "findings": [...],
/// "notAnalysed": [...]}.
std::string formatJson(const std::vector<Finding> &Findings,
                       const ReportContext &Ctx);

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
