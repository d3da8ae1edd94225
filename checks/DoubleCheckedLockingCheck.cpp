//===--- DoubleCheckedLockingCheck.cpp ------------------------------------===//
//
//   if (!instance_) {                  // 1: read without the lock
//     std::lock_guard<std::mutex> g(mu_);
//     if (!instance_)                  // 2: read again under it
//       instance_ = new Widget;        // 3: write under it
//   }
//
// The unlocked read races with the write. On a plain pointer nothing orders
// the stores that construct the Widget before the store of the pointer, so
// the first check can see a non-null pointer to an object not yet built
// (and the compiler may keep the flag in a register). Found on the model's
// accesses: a test of plain or volatile shared state made with no lock,
// before (or around) a test of the same state under a lock whose branch
// writes it. Atomics (any memory order the code chose) are left alone.
//
//===----------------------------------------------------------------------===//

#include "DoubleCheckedLockingCheck.h"
#include "model/Accesses.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "model/Threads.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

void DoubleCheckedLockingCheck::checkModel(tlm::TUModel &Model,
                                           ASTContext &Ctx) {
  const tlm::SharedAccesses &Acc = Model.accesses();
  const SourceManager &SM = Ctx.getSourceManager();
  const bool Cxx = Ctx.getLangOpts().CPlusPlus;
  for (const ValueDecl *State : Acc.states()) {
    if (tlm::stateKind(State->getType()) == tlm::StateKind::Atomic)
      continue;
    for (const tlm::DoubleCheck &DC : tlm::doubleChecks(Acc, State, Ctx)) {
      const tlm::Access &Inner = *DC.Inner;
      const tlm::Access *Outer = DC.Outer, *Write = DC.Write;
      if (!firstAt(Outer->loc()))
        continue;
      std::string Name = tlm::stateName(State);
      const tlm::AccessLock &Lock = Inner.Held.front();
      // In a template, the type as written (T *), not the first
      // instantiation's.
      QualType T = State->getType().getUnqualifiedType();
      if (const auto *F = dyn_cast<FieldDecl>(State))
        if (const auto *Spec =
                dyn_cast<ClassTemplateSpecializationDecl>(F->getParent()))
          if (const CXXRecordDecl *Pattern =
                  Spec->getSpecializedTemplate()->getTemplatedDecl())
            for (const FieldDecl *PF : Pattern->fields())
              if (PF->getName() == F->getName())
                T = PF->getType().getUnqualifiedType();
      std::string Atomic =
          T->isPointerType() || T->isIntegralOrEnumerationType()
              ? "make it std::atomic<" +
                    T.getAsString(Ctx.getPrintingPolicy()) +
                    "> loaded with memory_order_acquire and stored with "
                    "memory_order_release"
              : "";
      std::string Fix;
      if (!Cxx)
        Fix = "use pthread_once (or call_once from <threads.h>)";
      else if (isa<FieldDecl>(State))
        Fix = "use std::call_once with a std::once_flag member" +
              (Atomic.empty() ? "" : ", or " + Atomic);
      else
        Fix = "use a function-local static (initialised once, "
              "thread-safely) or std::call_once" +
              (Atomic.empty() ? "" : "; or " + Atomic);
      diag(Outer->loc(),
           "double-checked locking on '%0': this first test reads it "
           "without holding '%1' while another thread may be writing it "
           "(line %2); nothing orders the initialisation before the "
           "write of '%0', so a thread can see it set and use what is not "
           "initialised yet; %3")
          << Name << Lock.Name << SM.getExpansionLineNumber(Write->loc())
          << Fix;
      if (Lock.Site.isValid())
        diag(Lock.Site, "'%0' acquired here", DiagnosticIDs::Note) << Lock.Name;
      diag(Inner.loc(), "'%0' tested again under '%1'", DiagnosticIDs::Note)
          << Name << Lock.Name;
      diag(Write->loc(), "'%0' %1 here", DiagnosticIDs::Note)
          << Name << tlm::accessVerb(Write->Kind);
    }
  }
}

} // namespace clang::tidy::threadlint
