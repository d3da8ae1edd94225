//===--- LockFacts.h - a translation unit's lock-order facts ---*- C++ -*-===//
//
// Turns one TU's model into the facts the lock graph merges (LockGraph.h):
// order edges with their paths, direct acquisitions and calls per function
// (keyed by USR, so that other TUs can follow calls into them), and calls
// made while holding locks into functions with no body here. Only locks with
// a global identity (globals, statics, fields, lock getters) take part;
// functions declared in system headers are not followed.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_LOCKFACTS_H
#define THREADLINT_MODEL_LOCKFACTS_H

#include "LockGraph.h"
#include "clang/Basic/SourceLocation.h"

namespace clang {
class SourceManager;
}

namespace threadlint::model {

class TUModel;

TUFacts extractLockFacts(TUModel &Model);

/// A location as an absolute, normalised file path, line and column.
SourcePos toSourcePos(clang::SourceLocation Loc,
                      const clang::SourceManager &SM);

/// Back from a SourcePos to a location in this TU (invalid if the file is
/// not part of it).
clang::SourceLocation fromSourcePos(const SourcePos &P,
                                    const clang::SourceManager &SM);

} // namespace threadlint::model

#endif
