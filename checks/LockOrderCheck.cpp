//===--- LockOrderCheck.cpp -----------------------------------------------===//

#include "LockOrderCheck.h"
#include "model/HeldLocks.h"
#include "model/LockFacts.h"
#include "model/LockGraph.h"
#include "model/TUModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

using namespace clang::ast_matchers;
namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

namespace {

/// The instance part of an in-function lock key ("from" of "from.mu_").
std::string instanceOf(const std::string &Key) {
  auto Dot = Key.rfind('.');
  return Dot == std::string::npos ? std::string() : Key.substr(0, Dot);
}

/// Whether an instance is one the caller chooses: 'this' or a parameter.
bool callerChosen(const std::string &Instance, const FunctionDecl *FD) {
  if (Instance == "this")
    return true;
  for (const ParmVarDecl *P : FD->parameters())
    if (P->getName() == Instance || "*" + P->getNameAsString() == Instance)
      return true;
  return false;
}

/// Writes the facts file; returns an error message, or empty on success.
std::string writeFacts(const std::string &Dir, const tlm::TUFacts &Facts) {
  llvm::sys::fs::create_directories(Dir);
  // One file per main file, named by a hash of its path: re-analysing a file
  // replaces its facts.
  std::string Name = llvm::utohexstr(llvm::xxh3_64bits(Facts.TU)) + "-" +
                     llvm::sys::path::filename(Facts.TU).str() + ".facts.json";
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, Name);
  std::string Text = tlm::factsToJson(Facts);
  if (llvm::Error E = llvm::writeToOutput(Path, [&](llvm::raw_ostream &OS) {
        OS << Text;
        return llvm::Error::success();
      }))
    return "cannot write lock-order facts to '" + std::string(Path) +
           "': " + llvm::toString(std::move(E));
  return {};
}

} // namespace

LockOrderCheck::LockOrderCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Shared(Options),
      FactsDir(Options.get("FactsDir", "")),
      // Read as text: the bool accessors are not exported by every
      // clang-tidy binary the plugin loads into.
      ReportInTranslationUnit(
          !llvm::StringRef(Options.get("ReportInTranslationUnit", "true"))
               .equals_insensitive("false") &&
          Options.get("ReportInTranslationUnit", "true") != "0") {
  ModelCfg = Shared.config();
}

void LockOrderCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Shared.store(Options, Opts);
  Options.store(Opts, "FactsDir", FactsDir);
  Options.store(Opts, "ReportInTranslationUnit",
                ReportInTranslationUnit ? "true" : "false");
}

void LockOrderCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void LockOrderCheck::reportSwappedInstances(ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *FD : Model->functions()) {
    const tlm::FunctionLocks *FL = Model->locks(FD);
    if (!FL || !FL->Analysed)
      continue;
    // Pairs (held instance key, acquired instance key) of one field.
    std::set<std::pair<std::string, std::string>> Pairs;
    for (const tlm::Acquisition &A : FL->Acquisitions)
      for (const tlm::HeldLock &H : A.MustBefore)
        if (!H.Lock.GlobalKey.empty() &&
            H.Lock.GlobalKey == A.Lock.Lock.GlobalKey &&
            H.Lock.Key != A.Lock.Lock.Key)
          Pairs.insert({H.Lock.Key, A.Lock.Lock.Key});
    for (const tlm::Acquisition &A : FL->Acquisitions)
      for (const tlm::HeldLock &H : A.MustBefore) {
        if (!Pairs.count({H.Lock.Key, A.Lock.Lock.Key}))
          continue;
        // Both orders in one function: the code orders the instances itself
        // (by address or id), the usual fix (testdata:
        // lock-order/instances.cpp, ordered_by_address_ok).
        if (Pairs.count({A.Lock.Lock.Key, H.Lock.Key}))
          continue;
        std::string From = instanceOf(H.Lock.Key);
        std::string To = instanceOf(A.Lock.Lock.Key);
        if (!callerChosen(From, FD) || !callerChosen(To, FD))
          continue;
        SourceLocation Loc = SM.getExpansionLoc(A.Lock.Site);
        if (!Reported.insert(Loc.getRawEncoding()).second)
          continue;
        diag(Loc, "'%0' of '%1' acquired while holding '%0' of '%2': a "
                  "concurrent call with the two swapped deadlocks; %3")
            << A.Lock.Lock.Name << To << From
            << (Ctx.getLangOpts().CPlusPlus
                    ? "acquire both at once with std::scoped_lock"
                    : "acquire the two in a fixed order (e.g. by address)");
        diag(SM.getExpansionLoc(H.Site), "'%0' of '%1' acquired here",
             DiagnosticIDs::Note)
            << H.Lock.Name << From;
      }
  }
}

void LockOrderCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = Ctx.getSourceManager();
  Model = tlm::TUModel::get(Ctx, ModelCfg);
  reportSwappedInstances(Ctx);

  tlm::TUFacts Facts = tlm::extractLockFacts(*Model);
  // A missing facts file would silently lose cycles in the merge: an error
  // that fails the clang-tidy run.
  if (!FactsDir.empty())
    if (std::string Error = writeFacts(FactsDir, Facts); !Error.empty())
      configurationDiag("%0", DiagnosticIDs::Error) << Error;
  if (!ReportInTranslationUnit)
    return;
  // The cycles this translation unit shows by itself; the project-wide ones
  // come from merging every TU's facts (the driver, threadlint merge).
  tlm::LockGraph Graph({Facts});
  for (const tlm::LockCycle &C : Graph.cycles()) {
    const tlm::FactEdge &P = Graph.primary(C);
    SourceLocation Loc = tlm::fromSourcePos(P.site(), SM);
    std::string Msg = Graph.message(C);
    // Two cycles may close at one statement (scoped_lock(a, b) under c):
    // each is reported, as the driver does.
    if (Loc.isInvalid() || !ReportedCycles.insert(Msg).second)
      continue;
    diag(Loc, "%0") << Msg;
    for (const auto &Side : Graph.sides(C))
      for (const tlm::Step &S : Side) {
        SourceLocation N = tlm::fromSourcePos(S.Pos, SM);
        if (N.isValid())
          diag(N, "%0", DiagnosticIDs::Note) << S.Text;
      }
  }
}

} // namespace clang::tidy::threadlint
