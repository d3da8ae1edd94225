//===--- NonAtomicUpdateCheck.cpp -----------------------------------------===//
//
// x++ on a plain int is a load, an add and a store. When two threads do it
// at once, both load the same value and one increment is lost. Reported
// when the model (model/Accesses.h) finds, for an update made with no lock
// held, another access to the same state that may run at the same time in
// another thread (or the same statement in two threads of one entry) and
// that no common lock orders.
//
//===----------------------------------------------------------------------===//

#include "NonAtomicUpdateCheck.h"
#include "model/Accesses.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {
/// 'std::atomic<long>' / '_Atomic long' for a counter type, or empty.
std::string atomicSpelling(QualType T, const ASTContext &Ctx) {
  T = T.getUnqualifiedType();
  if (!T->isIntegerType() && !T->isPointerType() && !T->isFloatingType())
    return "";
  std::string Elem = T.getAsString(Ctx.getPrintingPolicy());
  return Ctx.getLangOpts().CPlusPlus ? "std::atomic<" + Elem + ">"
                                     : "_Atomic " + Elem;
}
/// The single atomic operation that replaces the update \p Op, or the
/// compare-exchange loop that does when none does.
std::string rmwFor(const Expr *Op, const ValueDecl *State,
                   const ASTContext &Ctx) {
  const bool Cxx = Ctx.getLangOpts().CPlusPlus;
  std::string Loop = Cxx ? "a compare_exchange_weak loop"
                         : "an atomic_compare_exchange_weak loop";
  std::string Prefix = Cxx ? "fetch_" : "atomic_fetch_";
  // C11 defines atomic_fetch_* for integers only.
  if (!Cxx && !State->getType()->isIntegerType())
    return Loop;
  if (isa<UnaryOperator>(Op) || isa<CXXOperatorCallExpr>(Op))
    return Prefix + (cast<Expr>(Op)->getType()->isPointerType() ||
                             !isa<UnaryOperator>(Op) ||
                             cast<UnaryOperator>(Op)->isIncrementOp()
                         ? "add"
                         : "sub");
  const auto *BO = dyn_cast<BinaryOperator>(Op);
  if (!BO)
    return Loop;
  bool Integral = State->getType()->isIntegerType();
  switch (BO->getOpcode()) {
  case BO_AddAssign:
    return Prefix + "add";
  case BO_SubAssign:
    return Prefix + "sub";
  case BO_OrAssign:
    return Integral ? Prefix + "or" : Loop;
  case BO_AndAssign:
    return Integral ? Prefix + "and" : Loop;
  case BO_XorAssign:
    return Integral ? Prefix + "xor" : Loop;
  case BO_Assign: {
    // x = x + n, x = n + x, x = x - n
    const auto *Rhs =
        dyn_cast<BinaryOperator>(BO->getRHS()->IgnoreParenImpCasts());
    if (!Rhs)
      return Loop;
    auto IsState = [&](const Expr *E) {
      return tlm::accessedDecl(E) == State &&
             isa<DeclRefExpr, MemberExpr>(E->IgnoreParenImpCasts());
    };
    auto Mentions = [&](const Expr *E) {
      bool Found = false;
      tlm::forEachStmt(E, [&](const Stmt *S) {
        if (const auto *X = dyn_cast<Expr>(S))
          Found |=
              isa<DeclRefExpr, MemberExpr>(X) && tlm::accessedDecl(X) == State;
      });
      return Found;
    };
    if (Rhs->getOpcode() == BO_Add &&
        ((IsState(Rhs->getLHS()) && !Mentions(Rhs->getRHS())) ||
         (IsState(Rhs->getRHS()) && !Mentions(Rhs->getLHS()))))
      return Prefix + "add";
    if (Rhs->getOpcode() == BO_Sub && IsState(Rhs->getLHS()) &&
        !Mentions(Rhs->getRHS()))
      return Prefix + "sub";
    return Loop;
  }
  default:
    return Loop;
  }
}
} // namespace

void NonAtomicUpdateCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const tlm::SharedAccesses &Acc = Model.accesses();
  const SourceManager &SM = Ctx.getSourceManager();
  for (const ValueDecl *State : Acc.states()) {
    if (tlm::stateKind(State->getType()) != tlm::StateKind::Plain)
      continue;
    const std::vector<unsigned> &Of = *Acc.of(State);
    for (unsigned I : Of) {
      const tlm::Access &A = Acc.all()[I];
      if (A.Kind != tlm::AccessKind::Update || !A.Held.empty() ||
          A.LocksUnknown || !Acc.threadRelevant(A))
        continue;
      // The other side: another statement if there is one (a write first),
      // else this statement in two threads at once.
      const tlm::Access *Other = nullptr;
      tlm::RaceWhy Why;
      for (int Pass = 0; Pass < 3 && !Other; ++Pass)
        for (unsigned J : Of) {
          const tlm::Access &B = Acc.all()[J];
          bool Self = I == J;
          if ((Pass == 2) != Self || (Pass == 0 && !B.writes()))
            continue;
          if (Acc.mayRace(A, B, &Why)) {
            Other = &B;
            break;
          }
        }
      if (!Other || !firstAt(A.loc()))
        continue;

      std::string Name = tlm::stateName(State);
      std::string Atomic = atomicSpelling(State->getType(), Ctx);
      // x++ and x += n are one fetch_add; x = f(x) needs a compare-exchange
      // loop.
      std::string Rmw = rmwFor(A.Op, State, Ctx);
      std::string Fix = Atomic.empty()
                            ? "hold one mutex around every access"
                            : "make it '" + Atomic + "' (" + Rmw +
                                  ") or hold one mutex around every access";
      if (Other == &A) {
        diag(A.loc(), "non-atomic update of '%0' in %1, while %2 runs the same "
                      "update: the load and the store of concurrent updates "
                      "interleave and updates are lost; %3")
            << Name << Why.First << Why.Second << Fix;
      } else {
        diag(A.loc(),
             "non-atomic update of '%0' with no lock held, in %1, while %2 "
             "%3 it (line %4): the load and the store interleave and "
             "updates are lost; %5")
            << Name << Why.First << Why.Second
            << (Other->Kind == tlm::AccessKind::Read ? "reads" : "writes")
            << SM.getExpansionLineNumber(Other->loc()) << Fix;
        diag(Other->loc(), "%0 %1 '%2' here", DiagnosticIDs::Note)
            << Why.Second
            << (Other->Kind == tlm::AccessKind::Read ? "reads" : "writes")
            << Name;
      }
      if (Why.Start.isValid())
        diag(Why.Start, "the thread is started here", DiagnosticIDs::Note);
      if (!Atomic.empty())
        diag(State->getLocation(), "'%0' is declared here; declare it as '%1'",
             DiagnosticIDs::Note)
            << Name << Atomic;
    }
  }
}

} // namespace clang::tidy::threadlint
