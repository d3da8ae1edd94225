//===--- InconsistentLockingCheck.cpp -------------------------------------===//
//
// Which lock guards a variable is inferred from how the code uses it: the
// lock held at most of its accesses, provided at least one write holds it
// (RacerD/Coverity style, no annotations needed). A GUARDED_BY or
// PT_GUARDED_BY annotation is believed instead. An access without the guard
// is reported when it may run at the same time as a guarded one in another
// thread and one of the two writes. Where the translation unit says nothing
// about the threads that run two methods of a class (neither is reached
// from a thread start here), they are taken to run concurrently when the
// class locks the guard (why else would it?): accesses through 'this'.
//
// Constructors and destructors, atomics, updates made with no lock at all
// (non-atomic-update's findings) and double-checked locking
// (double-checked-locking's) are left alone.
//
//===----------------------------------------------------------------------===//

#include "InconsistentLockingCheck.h"
#include "model/Accesses.h"
#include "model/Locks.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include <map>

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {
struct Guard {
  std::string Id, Name;
  unsigned Holding = 0, Total = 0;
  bool Annotated = false;
};

/// The lock a GUARDED_BY / PT_GUARDED_BY annotation names.
std::optional<Guard> annotatedGuard(const ValueDecl *D) {
  const Expr *Arg = nullptr;
  if (const auto *A = D->getAttr<GuardedByAttr>())
    Arg = A->getArg();
  else if (const auto *A = D->getAttr<PtGuardedByAttr>())
    Arg = A->getArg();
  if (!Arg)
    return std::nullopt;
  const ValueDecl *Lock = tlm::accessedDecl(Arg);
  if (!Lock)
    return std::nullopt;
  Guard G;
  G.Id = tlm::usrOf(Lock);
  G.Name = tlm::qualifiedName(Lock);
  G.Annotated = true;
  return G;
}
} // namespace

void InconsistentLockingCheck::checkModel(tlm::TUModel &Model,
                                          ASTContext &Ctx) {
  const tlm::SharedAccesses &Acc = Model.accesses();
  const SourceManager &SM = Ctx.getSourceManager();

  for (const ValueDecl *State : Acc.states()) {
    if (tlm::stateKind(State->getType()) == tlm::StateKind::Atomic)
      continue;
    std::vector<const tlm::Access *> Counted;
    for (unsigned I : *Acc.of(State)) {
      const tlm::Access &A = Acc.all()[I];
      if (!A.InCtorDtor && !A.LocksUnknown)
        Counted.push_back(&A);
    }
    if (Counted.size() < 2)
      continue;

    std::optional<Guard> G = annotatedGuard(State);
    if (!G) {
      // The lock held by the most accesses, if a write holds it too.
      std::map<std::string, Guard> Votes;
      for (const tlm::Access *A : Counted)
        for (const tlm::AccessLock &L : A->Held) {
          Guard &V = Votes[L.Id];
          V.Id = L.Id;
          V.Name = L.Name;
          ++V.Holding;
        }
      for (auto &[Id, V] : Votes) {
        bool WriteHolds = false;
        for (const tlm::Access *A : Counted)
          WriteHolds |= A->writes() && A->holds(Id, true);
        if (WriteHolds && (!G || V.Holding > G->Holding))
          G = V;
      }
      if (!G || G->Holding * 2 < Counted.size())
        continue;
    }
    G->Total = Counted.size();
    G->Holding = 0;
    for (const tlm::Access *A : Counted)
      G->Holding += A->holds(G->Id);

    std::string Name = tlm::stateName(State);
    // Double-checked locking is its own rule's finding.
    llvm::DenseSet<const FunctionDecl *> Reported;
    for (const tlm::DoubleCheck &DC : tlm::doubleChecks(Acc, State, Ctx))
      Reported.insert(DC.Outer->In);
    for (const tlm::Access *U : Counted) {
      if (U->holds(G->Id) || Reported.count(U->In))
        continue;
      // Unlocked updates racing with others are non-atomic-update's.
      if (U->Kind == tlm::AccessKind::Update && U->Held.empty())
        continue;
      // A guarded access that may run at the same time, one of them writing.
      const tlm::Access *Partner = nullptr;
      tlm::RaceWhy Why;
      for (const tlm::Access *B : Counted) {
        if (!B->holds(G->Id) || (!U->writes() && !B->writes()))
          continue;
        tlm::RaceWhy Here;
        bool Overlap = Acc.mayOverlap(*U, *B, &Here);
        if (!Overlap && U->Root == tlm::AccessRoot::This &&
            B->Root == tlm::AccessRoot::This && !Acc.threadRelevant(U->In) &&
            !Acc.threadRelevant(B->In)) {
          Overlap = true;
          Here = tlm::RaceWhy();
        }
        if (Overlap && (!Partner || (B->writes() && !Partner->writes()))) {
          Partner = B;
          Why = Here;
        }
      }
      if (!Partner || !firstAt(U->loc()))
        continue;
      Reported.insert(U->In);
      unsigned Others = G->Total - 1;
      std::string Evidence;
      if (G->Annotated)
        Evidence = "which guards it (GUARDED_BY)";
      else if (Others == 1)
        Evidence = "which its only other access holds";
      else if (G->Holding == Others && Others == 2)
        Evidence = "which both of its other accesses hold";
      else if (G->Holding == Others)
        Evidence = "which all " + std::to_string(Others) +
                   " of its other accesses hold";
      else
        Evidence = "which guards it: " + std::to_string(G->Holding) +
                   " of its " + std::to_string(Others) +
                   " other accesses hold it";
      std::string When =
          Why.First.empty()
              ? std::string("the class locks it, so its methods may run in "
                            "different threads at once")
              : Why.First + " and " + Why.Second + " may run at the same time";
      diag(U->loc(),
           "'%0' is %1 without holding '%2', %3; %4: this access races "
           "with the guarded %5 on line %6; hold '%2' here")
          << Name << tlm::accessVerb(U->Kind) << G->Name << Evidence << When
          << (Partner->writes() ? "write" : "read")
          << SM.getExpansionLineNumber(Partner->loc());
      diag(Partner->loc(), "'%0' %1 here while holding '%2'",
           DiagnosticIDs::Note)
          << Name << tlm::accessVerb(Partner->Kind) << G->Name;
      for (const tlm::AccessLock &L : Partner->Held)
        if (L.Id == G->Id && L.Site.isValid())
          diag(L.Site, "'%0' acquired here", DiagnosticIDs::Note) << G->Name;
      if (Why.Start.isValid())
        diag(Why.Start, "the thread is started here", DiagnosticIDs::Note);
    }
  }
}

} // namespace clang::tidy::threadlint
