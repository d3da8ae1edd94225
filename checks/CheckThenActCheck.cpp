//===--- CheckThenActCheck.cpp --------------------------------------------===//
//
// A decision taken on shared state is only valid while nobody else can
// change it: the test and the write it leads to must sit in one critical
// section.
//
//   if (!cache_.count(k))      // test
//     cache_[k] = load(k);     // act: another thread may have inserted k
//
// Two forms. (1) State: an if whose condition reads shared plain state and
// whose branch writes it (assignment, update, or a mutating container call
// such as insert or map operator[]), where no lock is held across both in
// one acquisition: either different critical sections (locked, released,
// locked again) or none at all. With no lock at all, it is reported only
// when the model shows another thread writing the state. (2) Files: a path
// checked with access(), stat() or lstat() and then opened, created or
// changed by path: the file can be swapped in between (TOCTOU, CWE-367).
//
//===----------------------------------------------------------------------===//

#include "CheckThenActCheck.h"
#include "model/Accesses.h"
#include "model/Locks.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "model/Threads.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

/// The object an access is made on, as spelled: 'this', a variable; empty
/// when it cannot be told (two different objects must not be matched).
std::string objectOf(const Expr *Ref) {
  const auto *ME = dyn_cast<MemberExpr>(Ref);
  if (!ME)
    return "global";
  const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(Base))
    return "this";
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Base))
    return DRE->getDecl()->getName().str();
  return "";
}

/// Whether one acquisition of a lock covers both accesses.
bool sameCriticalSection(const tlm::Access &A, const tlm::Access &B) {
  for (const tlm::AccessLock &L : A.Held)
    for (const tlm::AccessLock &M : B.Held)
      if (L.Id == M.Id && L.Site == M.Site && !(L.Shared && !M.Shared))
        return true;
  return false;
}

std::string spelled(const Expr *E, const ASTContext &Ctx) {
  return Lexer::getSourceText(
             CharSourceRange::getTokenRange(E->getSourceRange()),
             Ctx.getSourceManager(), Ctx.getLangOpts())
      .str();
}

bool isFileCheck(llvm::StringRef N) {
  return N == "access" || N == "stat" || N == "lstat" || N == "faccessat" ||
         N == "euidaccess" || N == "eaccess";
}

bool isFileUse(llvm::StringRef N) {
  return N == "open" || N == "fopen" || N == "creat" || N == "open64" ||
         N == "fopen64" || N == "unlink" || N == "remove" || N == "rename" ||
         N == "chmod" || N == "chown" || N == "truncate" || N == "opendir" ||
         N == "execv" || N == "execve" || N == "link" || N == "symlink" ||
         N == "mkdir" || N == "rmdir" || N == "freopen";
}

} // namespace

void CheckThenActCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const tlm::SharedAccesses &Acc = Model.accesses();
  const SourceManager &SM = Ctx.getSourceManager();

  // (1) Shared state.
  for (const ValueDecl *State : Acc.states()) {
    if (tlm::stateKind(State->getType()) == tlm::StateKind::Atomic)
      continue;
    const std::vector<unsigned> &Of = *Acc.of(State);
    llvm::DenseSet<const IfStmt *> Done;
    for (unsigned I : Of) {
      const tlm::Access &Test = Acc.all()[I];
      if (Test.Kind != tlm::AccessKind::Read || Test.LocksUnknown ||
          Test.InCtorDtor)
        continue;
      const IfStmt *If = tlm::testedBy(Test.Ref, Ctx);
      if (!If || Done.count(If))
        continue;
      std::string Object = objectOf(Test.Ref);
      if (Object.empty())
        continue;
      // if (m.count(k)) return; ... m[k] = v;  the act follows the if.
      bool EarlyExit = false;
      if (const Stmt *Then = If->getThen()) {
        if (const auto *CS = dyn_cast<CompoundStmt>(Then);
            CS && !CS->body_empty())
          Then = CS->body_back();
        EarlyExit = isa<ReturnStmt, ContinueStmt, BreakStmt>(Then);
      }
      for (unsigned J : Of) {
        const tlm::Access &Act = Acc.all()[J];
        if (Act.In != Test.In || !Act.writes() || objectOf(Act.Ref) != Object)
          continue;
        bool InBranch = tlm::contains(If->getThen(), Act.Op) ||
                        tlm::contains(If->getElse(), Act.Op);
        // After an early exit, only a write under the test's lock, taken
        // again, is judged: the test decided whether to get there.
        bool After = !InBranch && EarlyExit &&
                     SM.isBeforeInTranslationUnit(If->getEndLoc(), Act.loc());
        if (!InBranch && !After)
          continue;
        if (sameCriticalSection(Test, Act))
          continue;
        bool SameLockAgain = false;
        for (const tlm::AccessLock &L : Test.Held)
          SameLockAgain |= Act.holds(L.Id);
        if (After && !SameLockAgain)
          continue;
        bool Locked = !Test.Held.empty() && !Act.Held.empty();
        // Inserting only when the key is still absent (insert, emplace,
        // try_emplace) cannot overwrite what another thread stored in
        // between: the second critical section re-decides by itself.
        if (Locked)
          if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Act.Op))
            if (const CXXMethodDecl *M = MC->getMethodDecl();
                M && M->getDeclName().isIdentifier() &&
                (M->getName() == "insert" || M->getName() == "emplace" ||
                 M->getName() == "try_emplace" ||
                 M->getName() == "emplace_hint")) {
              // ...on a map or set, where the key decides.
              std::string Container = tlm::qualifiedName(M->getParent());
              if (Container.find("map") != std::string::npos ||
                  Container.find("set") != std::string::npos)
                continue;
            }
        // A re-test under the act's lock whose branch holds the act
        // (double-checked) makes it safe; double-checked-locking judges the
        // first test.
        bool Retested = false;
        for (unsigned K : Of) {
          const tlm::Access &R = Acc.all()[K];
          if (&R == &Test || R.In != Test.In || R.writes() ||
              !sameCriticalSection(R, Act))
            continue;
          if (const IfStmt *RIf = tlm::testedBy(R.Ref, Ctx)) {
            if (tlm::contains(RIf->getThen(), Act.Op) ||
                tlm::contains(RIf->getElse(), Act.Op))
              Retested = true;
            // { lock; if (m.count(k)) return; m[k] = v; }
            const Stmt *Then = RIf->getThen();
            if (const auto *CS = dyn_cast<CompoundStmt>(Then);
                CS && !CS->body_empty())
              Then = CS->body_back();
            if (isa<ReturnStmt, ContinueStmt, BreakStmt>(Then) &&
                SM.isBeforeInTranslationUnit(RIf->getEndLoc(), Act.loc()))
              Retested = true;
          }
        }
        if (Retested)
          continue;
        const tlm::Access *Other = nullptr;
        tlm::RaceWhy Why;
        if (!Locked) {
          // No single lock at all: only where another thread writes it.
          for (unsigned K : Of) {
            const tlm::Access &B = Acc.all()[K];
            if (B.writes() &&
                (Acc.mayRace(Act, B, &Why) || Acc.mayRace(Test, B, &Why))) {
              Other = &B;
              break;
            }
          }
          if (!Other)
            continue;
        }
        Done.insert(If);
        if (!firstAt(Act.loc()))
          break;
        std::string Name = tlm::stateName(State);
        if (Locked)
          diag(Act.loc(),
               "check-then-act on '%0': it is tested on line %1 and %2 here "
               "in a different critical section of '%3'; another thread can "
               "change it after the test released the lock; test and act "
               "under one acquisition")
              << Name << SM.getExpansionLineNumber(Test.loc())
              << tlm::accessVerb(Act.Kind) << Test.Held.front().Name;
        else
          diag(Act.loc(),
               "check-then-act on '%0': it is tested on line %1 and %2 here "
               "with no lock held across both, while %3 may change it in "
               "between (line %4); hold one lock around the test and the "
               "act")
              << Name << SM.getExpansionLineNumber(Test.loc())
              << tlm::accessVerb(Act.Kind) << Why.Second
              << SM.getExpansionLineNumber(Other->loc());
        diag(Test.loc(), "'%0' tested here", DiagnosticIDs::Note) << Name;
        for (const tlm::AccessLock &L : Test.Held)
          if (L.Site.isValid())
            diag(L.Site, "'%0' acquired here for the test", DiagnosticIDs::Note)
                << L.Name;
        for (const tlm::AccessLock &L : Act.Held)
          if (L.Site.isValid())
            diag(L.Site,
                 Test.holds(L.Id) ? "'%0' acquired again here for the act"
                                  : "'%0' acquired here for the act",
                 DiagnosticIDs::Note)
                << L.Name;
        if (Other)
          diag(Other->loc(), "%0 writes '%1' here", DiagnosticIDs::Note)
              << Why.Second << Name;
        break;
      }
    }
  }

  // (2) Files: check a path, then use it by name.
  for (const FunctionDecl *FD : Model.functions()) {
    tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
      const auto *If = dyn_cast<IfStmt>(S);
      if (!If || !If->getCond())
        return;
      const CallExpr *Check = nullptr;
      tlm::forEachStmt(If->getCond(), [&](const Stmt *X) {
        if (const auto *C = dyn_cast<CallExpr>(X))
          if (!Check && isFileCheck(tlm::calleeName(C)) && C->getNumArgs() > 0)
            Check = C;
      });
      if (!Check)
        return;
      unsigned PathArg = tlm::calleeName(Check) == "faccessat" ? 1 : 0;
      if (PathArg >= Check->getNumArgs())
        return;
      std::string Path = spelled(Check->getArg(PathArg), Ctx);
      if (Path.empty())
        return;
      // The use: in a branch, or after the if in the same block.
      const CallExpr *Use = nullptr;
      auto Look = [&](const Stmt *Where) {
        tlm::forEachStmt(Where, [&](const Stmt *X) {
          const auto *C = dyn_cast<CallExpr>(X);
          if (Use || !C || !isFileUse(tlm::calleeName(C)) ||
              C->getNumArgs() == 0)
            return;
          if (spelled(C->getArg(0), Ctx) == Path)
            Use = C;
        });
      };
      Look(If->getThen());
      Look(If->getElse());
      if (!Use) {
        DynTypedNodeList P = Ctx.getParents(*If);
        if (const auto *Block =
                P.empty() ? nullptr : P[0].get<CompoundStmt>()) {
          bool After = false;
          for (const Stmt *X : Block->body()) {
            if (After)
              Look(X);
            After |= X == If;
          }
        }
      }
      if (!Use || !firstAt(Use->getBeginLoc()))
        return;
      // open(path, O_CREAT | O_EXCL) fails if the file appeared meanwhile,
      // fopen(path, "wx") too; a descriptor checked with fstat afterwards
      // (CERT POS35-C) is the safe sequence.
      llvm::StringRef UseName = tlm::calleeName(Use);
      for (const Expr *Arg : Use->arguments())
        if (spelled(Arg, Ctx).find("O_EXCL") != std::string::npos)
          return;
      if ((UseName.starts_with("fopen") || UseName == "freopen") &&
          Use->getNumArgs() > 1)
        if (const auto *Mode =
                dyn_cast<StringLiteral>(Use->getArg(1)->IgnoreParenImpCasts()))
          if (Mode->getString().contains('x'))
            return;
      // The descriptor (or FILE) the use returns, checked with fstat.
      std::string Result;
      {
        DynTypedNodeList P = Ctx.getParents(*Use);
        for (int Depth = 0; !P.empty() && Depth < 4; ++Depth) {
          if (const auto *VD = P[0].get<VarDecl>()) {
            Result = VD->getName().str();
            break;
          }
          if (const auto *BO = P[0].get<BinaryOperator>();
              BO && BO->isAssignmentOp()) {
            if (const ValueDecl *D = tlm::accessedDecl(BO->getLHS()))
              Result = D->getName().str();
            break;
          }
          if (!P[0].get<Expr>())
            break;
          P = Ctx.getParents(P[0]);
        }
      }
      bool Fstat = false;
      if (!Result.empty())
        tlm::forEachStmt(FD->getBody(), [&](const Stmt *X) {
          if (const auto *C = dyn_cast<CallExpr>(X))
            if (tlm::calleeName(C) == "fstat" && C->getNumArgs() > 0 &&
                SM.isBeforeInTranslationUnit(Use->getBeginLoc(),
                                             C->getBeginLoc()) &&
                spelled(C->getArg(0), Ctx).find(Result) != std::string::npos)
              Fstat = true;
        });
      if (Fstat)
        return;
      diag(Use->getBeginLoc(),
           "time-of-check to time-of-use: '%0' is checked with '%1' on line "
           "%2 and then used by name with '%3'; the file can be replaced "
           "(for example by a symlink) in between; open it once and check "
           "the open descriptor (fstat), or let '%3' fail")
          << Path << tlm::calleeName(Check)
          << SM.getExpansionLineNumber(Check->getBeginLoc())
          << tlm::calleeName(Use);
      diag(Check->getBeginLoc(), "'%0' checked here", DiagnosticIDs::Note)
          << Path;
    });
  }
}

} // namespace clang::tidy::threadlint
