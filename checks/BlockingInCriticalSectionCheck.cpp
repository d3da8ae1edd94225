//===--- BlockingInCriticalSectionCheck.cpp -------------------------------===//

#include "BlockingInCriticalSectionCheck.h"
#include "model/Blocking.h"
#include "model/HeldLocks.h"
#include "model/TUModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

/// Removes from \p Held the locks a wait releases while it waits.
void removeReleased(tlm::HeldSet &Held, const tlm::FunctionLocks &FL,
                    const Expr *WaitLock, const ASTContext &Ctx,
                    const tlm::ModelConfig &Config) {
  for (const tlm::LockRef &L : FL.locksNamedBy(WaitLock, Ctx, Config))
    Held.erase(std::remove_if(
                   Held.begin(), Held.end(),
                   [&](const tlm::HeldLock &H) { return H.Lock.Key == L.Key; }),
               Held.end());
}

} // namespace

BlockingInCriticalSectionCheck::BlockingInCriticalSectionCheck(
    StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      RawBlockingFunctions(Options.get("BlockingFunctions", "")),
      RawExcludedFunctions(Options.get("ExcludedFunctions", "")),
      Shared(Options) {
  ModelCfg = Shared.config();
  BlockingCfg.Extra = tlm::splitList(RawBlockingFunctions);
  BlockingCfg.Excluded = tlm::splitList(RawExcludedFunctions);
}

void BlockingInCriticalSectionCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "BlockingFunctions", RawBlockingFunctions);
  Options.store(Opts, "ExcludedFunctions", RawExcludedFunctions);
  Shared.store(Options, Opts);
}

void BlockingInCriticalSectionCheck::registerMatchers(MatchFinder *Finder) {
  // One callback per translation unit: the model walks every function once.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void BlockingInCriticalSectionCheck::check(
    const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = Ctx.getSourceManager();
  Model = tlm::TUModel::get(Ctx, ModelCfg);

  for (const FunctionDecl *FD : Model->functions()) {
    const tlm::FunctionLocks *FL = Model->locks(FD);
    if (!FL || !FL->Analysed)
      continue;
    for (const tlm::CallSite &C : FL->Calls) {
      if (C.Must.empty())
        continue;
      tlm::HeldSet Held = C.Must;
      std::optional<tlm::BlockingCall> Direct =
          tlm::classifyBlockingCall(C.Call, BlockingCfg);
      const tlm::MayBlock *Via = nullptr;
      if (Direct) {
        // cv.wait(lk) releases lk's lock while it waits: only the others
        // stay held (testdata: condition_variables.cpp).
        if (Direct->WaitLock)
          removeReleased(Held, *FL, Direct->WaitLock, Ctx, ModelCfg);
      } else if (C.Callee && C.Callee != FD) {
        Via = Model->mayBlock(C.Callee, BlockingCfg);
        if (!Via)
          continue;
        // Locks the callee releases before it blocks (an unlock, or the
        // wait itself) are not held while it blocks (testdata:
        // interprocedural.cpp, publish_ok; condition_variables.cpp).
        for (const tlm::LockRef &L : Via->ReleasedBefore)
          for (const tlm::LockRef &M :
               tlm::mapCalleeLock(*FL, L, C.Call, Ctx, ModelCfg))
            Held.erase(std::remove_if(Held.begin(), Held.end(),
                                      [&](const tlm::HeldLock &H) {
                                        return H.Lock.Key == M.Key;
                                      }),
                       Held.end());
      } else {
        continue;
      }
      if (Held.empty())
        continue;

      SourceLocation Loc = SM.getExpansionLoc(C.Call->getBeginLoc());
      // Each template instantiation and macro expansion reports once.
      if (!Reported.insert(Loc.getRawEncoding()).second)
        continue;

      std::string Locks = tlm::describeLocks(Held);
      std::string Msg;
      if (Direct) {
        Msg = "'" + Direct->Name + "' " + tlm::describeBlockKind(Direct->Kind) +
              " while holding " + Locks;
        if (Direct->WaitLock)
          Msg += "; the wait releases only its own lock";
      } else {
        Msg = "call to '" + tlm::functionName(C.Callee, SM) +
              "' may block while holding " + Locks + ": '" + Via->Blocker.Name +
              "' " + tlm::describeBlockKind(Via->Blocker.Kind);
      }
      diag(Loc, "%0") << Msg;
      for (const tlm::HeldLock &H : Held) {
        std::string Note = "'" + H.Lock.Name + "' acquired here";
        if (!H.Via.empty())
          Note += ", by the call to '" + H.Via + "'";
        diag(SM.getExpansionLoc(H.Site), "%0", DiagnosticIDs::Note) << Note;
      }
      if (Via) {
        // The trace reads in order: acquired, called here, down the chain.
        diag(Loc, "%0", DiagnosticIDs::Note)
            << Locks + " still held when '" + tlm::functionName(C.Callee, SM) +
                   "' is called here";
      }
      if (Via)
        for (const tlm::ChainStep &S : Via->Chain)
          diag(SM.getExpansionLoc(S.Loc), "%0", DiagnosticIDs::Note) << S.Text;
    }
  }
}

} // namespace clang::tidy::threadlint
