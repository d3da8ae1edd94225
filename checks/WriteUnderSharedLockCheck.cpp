//===--- WriteUnderSharedLockCheck.cpp ------------------------------------===//
//
// A reader/writer lock held in shared mode (std::shared_lock, lock_shared(),
// pthread_rwlock_rdlock) admits every other reader at the same time. A
// write made under it races with those readers, and with other writers
// that made the same mistake. Reported for writes to shared state (the
// model's accesses: fields, globals, borrowed locals; container mutations
// such as insert or map operator[]) when a lock is held in shared mode and
// none exclusively. Atomics are left alone: they synchronise themselves;
// so are objects reached through a pointer or reference parameter (often
// the caller's own, filled in by a reader).
//
//===----------------------------------------------------------------------===//

#include "WriteUnderSharedLockCheck.h"
#include "model/Accesses.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "clang/AST/ASTContext.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

void WriteUnderSharedLockCheck::checkModel(tlm::TUModel &Model,
                                           ASTContext &Ctx) {
  const tlm::SharedAccesses &Acc = Model.accesses();
  for (const tlm::Access &A : Acc.all()) {
    // Through a pointer or reference parameter the object may be the
    // caller's own: an out parameter a reader fills.
    if (!A.writes() || A.InCtorDtor ||
        tlm::stateKind(A.State->getType()) == tlm::StateKind::Atomic)
      continue;
    // ...unless the object is shared after all: elsewhere its field is
    // accessed under a lock held exclusively (a table entry with its own
    // mutex).
    if (A.Root == tlm::AccessRoot::Param) {
      bool LockedElsewhere = false;
      for (unsigned J : *Acc.of(A.State))
        for (const tlm::AccessLock &L : Acc.all()[J].Held)
          LockedElsewhere |= !L.Shared;
      if (!LockedElsewhere)
        continue;
    }
    const tlm::AccessLock *SharedLock = nullptr;
    bool Exclusive = false;
    for (const tlm::AccessLock &L : A.Held) {
      if (L.Shared && !SharedLock)
        SharedLock = &L;
      Exclusive |= !L.Shared;
    }
    if (!SharedLock || Exclusive || !firstAt(A.loc()))
      continue;
    std::string Name = tlm::stateName(A.State);
    diag(A.loc(),
         "'%0' is %1 while '%2' is held only in shared (reader) mode: other "
         "readers hold it at the same time and race with this write; take "
         "'%2' exclusively (%3) to write")
        << Name << tlm::accessVerb(A.Kind) << SharedLock->Name
        << (Ctx.getLangOpts().CPlusPlus
                ? "std::unique_lock or std::lock_guard, lock()"
                : "pthread_rwlock_wrlock");
    if (SharedLock->Site.isValid())
      diag(SharedLock->Site, "'%0' acquired in shared mode here",
           DiagnosticIDs::Note)
          << SharedLock->Name;
  }
}

} // namespace clang::tidy::threadlint
