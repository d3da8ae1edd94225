//===--- Finding.h - what the driver reports --------------------*- C++ -*-===//
//
// Plain data: no Clang types, so reporters and the merge stay cheap to build.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_DRIVER_FINDING_H
#define THREADLINT_DRIVER_FINDING_H

#include <string>
#include <vector>

namespace threadlint {

struct Position {
  std::string File; ///< absolute, normalised
  unsigned Line = 0;
  unsigned Column = 0;
  /// The text of the line (for fingerprints and snippets).
  std::string LineText;
};

struct TraceStep {
  Position Where;
  std::string Message;
};

struct Finding {
  std::string RuleId; ///< "blocking-in-critical-section"
  std::string Level;  ///< "error" | "warning" | "note"
  std::string Message;
  Position Where;
  std::vector<TraceStep> Notes;
  /// One trace per thread, for findings that involve several (the sides of
  /// a lock-order cycle); empty when Notes tell one story.
  std::vector<std::vector<TraceStep>> ThreadFlows;
  /// How many translation units reported it (headers seen by many).
  unsigned Occurrences = 1;
  /// Identity across runs (assignFingerprints): the rule, the file, the
  /// statement's text and the message with its numbers blanked out, plus
  /// the rank among equals; and GitHub's primaryLocationLineHash.
  std::string Fingerprint;
  std::string LineFingerprint;
  /// "new" or "unchanged" against a baseline; empty without one.
  std::string BaselineState;
  /// A NOLINT comment suppresses it (kept only with --keep-suppressed).
  bool Suppressed = false;
};

struct TUResult {
  std::string File;
  std::vector<Finding> Findings;
  /// The translation unit could not be analysed (did not parse, no compile
  /// command, crashed); its findings are dropped.
  bool Failed = false;
  std::vector<std::string> Errors;
};

} // namespace threadlint

#endif
