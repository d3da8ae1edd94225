//===--- SourceText.h - byte offsets to lines and columns ------*- C++ -*-===//
//
// clang-tidy reports byte offsets; this is the one place they become line and
// column numbers (1-based, columns in bytes as Clang counts them), with the
// line's text for fingerprints. Files are read once and cached.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_DRIVER_SOURCETEXT_H
#define THREADLINT_DRIVER_SOURCETEXT_H

#include "Finding.h"
#include <string>

namespace threadlint::SourceText {

/// Fills P.Line, P.Column and P.LineText from a byte offset into P.File.
void lineAndColumn(const std::string &File, unsigned Offset, Position &P);

/// Whether a clang-tidy NOLINT comment suppresses check \p Check at line
/// \p Line of \p File (NOLINT, NOLINTNEXTLINE, NOLINTBEGIN/END, with or
/// without a list of checks; globs as clang-tidy reads them).
bool suppressedByNolint(const std::string &File, unsigned Line,
                        const std::string &Check);

/// Fills P.LineText from P.File and P.Line.
void fillLineText(Position &P);

} // namespace threadlint::SourceText

#endif
