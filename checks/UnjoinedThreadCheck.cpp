//===--- UnjoinedThreadCheck.cpp ------------------------------------------===//
//
// Four shapes of one bug: a std::thread that still runs when it is
// destroyed calls std::terminate.
//  - local thread objects and containers of them, through the model's
//    thread-object dataflow (every exit path, reassignment, exceptions);
//  - temporaries: std::thread{f}; ends its own life at the semicolon;
//  - member threads that the class starts but its destructor never touches
//    (the model's memberThreadLeaks);
//  - pthread_create/thrd_create ids never joined or detached (the model's
//    unjoinedThreadIds; no terminate, but the thread is never reaped and
//    main may return under it).
//
//===----------------------------------------------------------------------===//

#include "UnjoinedThreadCheck.h"
#include "model/HeldLocks.h"
#include "model/Locks.h"
#include "model/TUModel.h"
#include "model/Threads.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include <map>

using namespace clang::ast_matchers;
namespace tlm = ::threadlint::model;
using tlm::calleeName;
using tlm::forEachStmt;

namespace clang::tidy::threadlint {

namespace {

std::string lineOf(SourceLocation L, const SourceManager &SM) {
  return std::to_string(SM.getExpansionLineNumber(L));
}

} // namespace

void UnjoinedThreadCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  checkLocals(Model, Ctx);
  checkTemporaries(Model, Ctx);
  checkMembers(Model, Ctx);
  checkThreadIds(Model, Ctx);
}

void UnjoinedThreadCheck::checkLocals(tlm::TUModel &Model, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *FD : Model.functions()) {
    const std::vector<tlm::ThreadLeak> &Leaks = Model.threadLeaks(FD);
    // One finding per thread object: the first path in source order.
    std::map<const VarDecl *, std::vector<const tlm::ThreadLeak *>> ByOwner;
    for (const tlm::ThreadLeak &L : Leaks)
      ByOwner[L.Owner].push_back(&L);
    for (auto &[Owner, List] : ByOwner) {
      std::sort(List.begin(), List.end(), [&](auto *A, auto *B) {
        return SM.isBeforeInTranslationUnit(A->At, B->At);
      });
      const tlm::ThreadLeak &L = *List.front();
      bool Container = tlm::isThreadContainerType(Owner->getType());
      std::string Name = "'" + Owner->getName().str() + "'";
      std::string What =
          Container ? "the threads in " + Name : "thread " + Name;
      std::string StillJoinable = std::string(" while ") +
                                  (Container ? "they are" : "it is") +
                                  " still joinable";
      std::string Why;
      switch (L.Kind) {
      case tlm::LeakKind::Return:
        Why = "the 'return' on line " + lineOf(L.At, SM) + " destroys " + Name +
              StillJoinable;
        break;
      case tlm::LeakKind::Jump:
        Why = "the jump on line " + lineOf(L.At, SM) + " leaves the scope of " +
              Name + StillJoinable;
        break;
      case tlm::LeakKind::ScopeExit:
        Why = Name + " goes out of scope on line " + lineOf(L.At, SM) +
              StillJoinable +
              (L.JoinedElsewhere.isValid() ? " on some path" : "");
        break;
      case tlm::LeakKind::Reassign:
        Why = "assigning to " + Name + " on line " + lineOf(L.At, SM) +
              " destroys the thread it still runs";
        break;
      case tlm::LeakKind::Clear:
        Why = Name + ".clear() on line " + lineOf(L.At, SM) +
              " destroys threads that are still joinable";
        break;
      case tlm::LeakKind::Exception:
        Why = "an exception from line " + lineOf(L.At, SM) + " unwinds past " +
              Name + " before " + (Container ? "they are" : "it is") +
              " joined";
        break;
      }
      std::string Fix =
          L.Kind == tlm::LeakKind::Exception
              ? "join it in a RAII guard (or a catch block that rethrows)"
          : Container ? "join or detach them on every path"
                      : "join or detach it on every path";
      if (tlm::holdsStdThreads(Owner->getType()) &&
          Ctx.getLangOpts().CPlusPlus20)
        Fix += Container ? ", or store std::jthread, which joins on destruction"
                         : ", or use std::jthread, which joins on destruction";
      SourceLocation Primary =
          L.Started.isValid() ? L.Started : Owner->getLocation();
      {
        auto D = diag(Primary, "%0 can be destroyed while joinable, which "
                               "calls std::terminate: %1; %2")
                 << What << Why << Fix;
        // std::thread t(...) → std::jthread t(...), where that compiles and
        // means the same on the paths that already join.
        if (L.JThreadDropIn && Ctx.getLangOpts().CPlusPlus20)
          if (const TypeSourceInfo *TSI = Owner->getTypeSourceInfo()) {
            SourceRange R = TSI->getTypeLoc().getSourceRange();
            if (R.isValid() && !R.getBegin().isMacroID() &&
                Lexer::getSourceText(CharSourceRange::getTokenRange(R), SM,
                                     Ctx.getLangOpts()) == "std::thread")
              D << FixItHint::CreateReplacement(R, "std::jthread");
          }
      }
      diag(Owner->getLocation(), "%0 declared here", DiagnosticIDs::Note)
          << Name;
      if (L.Kind == tlm::LeakKind::Exception &&
          (L.ThrowChain.empty() || L.ThrowChain.front().first != L.At))
        diag(L.At, "an exception can leave this call", DiagnosticIDs::Note);
      if (L.Kind == tlm::LeakKind::Exception)
        for (const auto &[Loc, Text] : L.ThrowChain)
          diag(Loc, "%0", DiagnosticIDs::Note) << Text;
      if (L.JoinedElsewhere.isValid() && L.Kind != tlm::LeakKind::Reassign &&
          L.Kind != tlm::LeakKind::Clear)
        diag(L.JoinedElsewhere,
             L.Kind == tlm::LeakKind::Exception ? "%0 is joined here, but the "
                                                  "exception skips the join"
             : L.Kind == tlm::LeakKind::ScopeExit
                 ? "%0 is joined here, on another path"
                 : "%0 is joined here, but not on that path",
             DiagnosticIDs::Note)
            << Name;
      diag(L.At,
           L.Kind == tlm::LeakKind::Exception
               ? "%0 destroyed here during unwinding, while joinable"
               : "%0 destroyed here while joinable",
           DiagnosticIDs::Note)
          << Name;
    }
  }
}

void UnjoinedThreadCheck::checkTemporaries(tlm::TUModel &Model,
                                           ASTContext &Ctx) {
  for (const auto &[FD, S] : Model.threadStarts()) {
    if ((S.Api != tlm::ThreadApi::StdThread &&
         S.Api != tlm::ThreadApi::BoostThread) ||
        S.Container)
      continue;
    // Climb to the full-expression: a discarded temporary's parent is a
    // statement (or a cast to void).
    const Expr *E = S.Site;
    DynTypedNodeList Parents = Ctx.getParents(*E);
    bool Discarded = false;
    while (Parents.size() == 1) {
      const auto *PE = Parents[0].get<Expr>();
      if (!PE) {
        Discarded = Parents[0].get<Stmt>() != nullptr;
        break;
      }
      if (isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr,
              CXXFunctionalCastExpr, ExprWithCleanups, ParenExpr>(PE)) {
        E = PE;
        Parents = Ctx.getParents(*E);
        continue;
      }
      if (const auto *Cast = dyn_cast<ExplicitCastExpr>(PE);
          Cast && Cast->getType()->isVoidType()) {
        Discarded = true;
        Parents = DynTypedNodeList(DynTypedNode());
      }
      break;
    }
    if (!Discarded)
      continue;
    // A statement parent that uses the value (return, condition, a
    // declaration) is not a discard.
    if (Parents.size() == 1)
      if (const auto *St = Parents[0].get<Stmt>())
        if (!isa<CompoundStmt, IfStmt, ForStmt, WhileStmt, DoStmt, CaseStmt,
                 DefaultStmt, LabelStmt, SwitchStmt, CXXForRangeStmt>(St) ||
            (isa<IfStmt>(St) && cast<IfStmt>(St)->getCond() == E) ||
            (isa<WhileStmt>(St) && cast<WhileStmt>(St)->getCond() == E))
          continue;
    diag(S.Site->getBeginLoc(),
         "temporary %0 is destroyed at the end of the statement while its "
         "thread runs, which calls std::terminate; name it and join it%1")
        << tlm::threadApiName(S.Api)
        << (S.Api == tlm::ThreadApi::StdThread
                ? std::string(" (a std::jthread temporary would join at once, "
                              "running the work synchronously)")
                : std::string());
  }
}

void UnjoinedThreadCheck::checkMembers(tlm::TUModel &Model, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const tlm::MemberThreadLeak &L : tlm::memberThreadLeaks(Model)) {
    const FieldDecl *F = L.Field;
    const auto *RD = cast<CXXRecordDecl>(F->getParent());
    bool UserDtor = L.Dtor != nullptr;
    const FunctionDecl *Joiner = L.Joiner;
    std::string Field = "'" + tlm::qualifiedName(F) + "'";
    std::string Class = RD->getName().str();
    bool Std = tlm::holdsStdThreads(F->getType());
    diag(L.Started,
         "member thread %0 is started here, but %1 join it: "
         "destroying a '%2' while the thread runs calls std::terminate; join "
         "it in the destructor%3")
        << Field
        << (UserDtor ? "the destructor of '" + Class + "' does not"
                     : "'" + Class + "' has no destructor to")
        << Class
        << (Std && Ctx.getLangOpts().CPlusPlus20
                ? std::string(tlm::isThreadContainerType(F->getType())
                                  ? ", or store std::jthread"
                                  : ", or make it a std::jthread")
                : std::string());
    diag(F->getLocation(), "%0 declared here", DiagnosticIDs::Note) << Field;
    if (UserDtor)
      diag(L.Dtor->getLocation(), "the destructor does not reach %0",
           DiagnosticIDs::Note)
          << Field;
    if (Joiner)
      diag(Joiner->getLocation(),
           "'%0' joins it, but the destructor does not call it",
           DiagnosticIDs::Note)
          << tlm::functionName(Joiner, SM);
  }
}

void UnjoinedThreadCheck::checkThreadIds(tlm::TUModel &Model, ASTContext &Ctx) {
  for (const tlm::UnjoinedId &U : tlm::unjoinedThreadIds(Model)) {
    const tlm::ThreadStart &S = *U.Start;
    const VarDecl *VD = U.Id;
    bool Posix = S.Api == tlm::ThreadApi::Pthread;
    diag(S.Site->getBeginLoc(),
         "the thread created here is never joined or detached: '%0' is not "
         "passed to %1 or %2, so the thread is never reaped and the program "
         "may exit while it still runs; join it, or detach it if nobody "
         "waits for it")
        << VD->getName() << (Posix ? "pthread_join" : "thrd_join")
        << (Posix ? "pthread_detach" : "thrd_detach");
    diag(VD->getLocation(), "thread id '%0' declared here", DiagnosticIDs::Note)
        << VD->getName();
  }
}

} // namespace clang::tidy::threadlint
