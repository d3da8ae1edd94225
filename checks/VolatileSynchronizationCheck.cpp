//===--- VolatileSynchronizationCheck.cpp ---------------------------------===//
//
// volatile only stops the compiler from caching or dropping accesses; in C
// and C++ it neither makes an access atomic nor orders the accesses around
// it. A volatile flag written by one thread and read by another is a data
// race: the reader can see the flag before the data it announces, and
// `volatile int n; n++` loses updates like any plain int. Reported when the
// model finds a volatile variable (not an atomic) written in one thread and
// accessed in another with no common lock, once per variable, at the
// write. Silent for volatile sig_atomic_t (the signal-handler idiom), for
// memory-mapped registers and other volatile state that no two threads
// touch, and under a common lock.
//
//===----------------------------------------------------------------------===//

#include "VolatileSynchronizationCheck.h"
#include "model/Accesses.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

void VolatileSynchronizationCheck::checkModel(tlm::TUModel &Model,
                                              ASTContext &Ctx) {
  const tlm::SharedAccesses &Acc = Model.accesses();
  const SourceManager &SM = Ctx.getSourceManager();
  const bool Cxx = Ctx.getLangOpts().CPlusPlus;
  for (const ValueDecl *State : Acc.states()) {
    QualType T = State->getType();
    if (tlm::stateKind(T) != tlm::StateKind::Volatile)
      continue;
    if (T.getAsString().find("sig_atomic_t") != std::string::npos)
      continue;
    const std::vector<unsigned> &Of = *Acc.of(State);
    const tlm::Access *W = nullptr, *Other = nullptr;
    tlm::RaceWhy Why;
    for (unsigned I : Of) {
      const tlm::Access &A = Acc.all()[I];
      if (!A.writes())
        continue;
      for (unsigned J : Of) {
        const tlm::Access &B = Acc.all()[J];
        if (Acc.mayRace(A, B, &Why)) {
          W = &A;
          Other = &B;
          break;
        }
      }
      if (W)
        break;
    }
    if (!W || !firstAt(W->loc()))
      continue;
    std::string Name = tlm::stateName(State);
    QualType Plain = T.getUnqualifiedType();
    Plain.removeLocalVolatile();
    std::string Elem = Plain.getAsString(Ctx.getPrintingPolicy());
    std::string Fix =
        Cxx ? "declare it 'std::atomic<" + Elem + ">' instead of volatile"
            : "declare it '_Atomic " + Elem +
                  "' (<stdatomic.h>) instead of volatile";
    // Lost updates need two writers; one writer and a reader race.
    bool Counter = W->Kind == tlm::AccessKind::Update && Other->writes();
    std::string What =
        Counter ? "the update is not atomic, so concurrent updates are lost"
                : "the accesses are a data race, and nothing orders the "
                  "writes made before this one: the other thread can see "
                  "the flag set before the data it announces";
    if (W == Other)
      diag(W->loc(),
           "volatile '%0' is %1 by more than one thread at once (%2): "
           "volatile does not make accesses atomic or ordered; %3; %4")
          << Name << tlm::accessVerb(W->Kind) << Why.First << What << Fix;
    else
      diag(W->loc(),
           "volatile '%0' is used to communicate between threads: %1 %2 it "
           "here and %3 %4 it (line %5); volatile does not make accesses "
           "atomic or ordered: %6; %7")
          << Name << Why.First
          << (W->Kind == tlm::AccessKind::Update ? "updates" : "writes")
          << Why.Second << (Other->writes() ? "writes" : "reads")
          << SM.getExpansionLineNumber(Other->loc()) << What << Fix;
    if (W != Other)
      diag(Other->loc(), "%0 %1 '%2' here", DiagnosticIDs::Note)
          << Why.Second << (Other->writes() ? "writes" : "reads") << Name;
    if (Why.Start.isValid())
      diag(Why.Start, "the thread is started here", DiagnosticIDs::Note);
  }
}

} // namespace clang::tidy::threadlint
