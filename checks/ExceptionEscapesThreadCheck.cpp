//===--- ExceptionEscapesThreadCheck.cpp ----------------------------------===//
//
// An exception that leaves the function a std::thread, std::jthread,
// boost::thread or pthread runs calls std::terminate: the whole process
// dies, with no chance for the starting thread to handle it. Reported: a
// thread entry from which a throw can escape - a throw outside any try
// block in the entry, or a call outside any try block to a function of
// this TU that may throw the same way (TUModel::mayThrow, transitively) -
// once per entry, at the entry's statement through which it escapes, with
// the chain down to the throw. Silent: entries that catch (any try around
// the call), noexcept callees, std::async and std::packaged_task (their
// future carries the exception), and library calls (not guessed).
//
//===----------------------------------------------------------------------===//

#include "ExceptionEscapesThreadCheck.h"
#include "model/Accesses.h"
#include "model/TUModel.h"
#include "model/Threads.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

void ExceptionEscapesThreadCheck::checkModel(tlm::TUModel &Model,
                                             ASTContext &Ctx) {
  if (!Ctx.getLangOpts().CXXExceptions)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  const tlm::SharedAccesses &Acc = Model.accesses();
  llvm::DenseSet<const FunctionDecl *> Done;
  for (const auto &[FD, Start] : Model.threadStarts()) {
    switch (Start.Api) {
    case tlm::ThreadApi::StdThread:
    case tlm::ThreadApi::JThread:
    case tlm::ThreadApi::BoostThread:
    case tlm::ThreadApi::Pthread:
    case tlm::ThreadApi::C11:
      break;
    default:
      continue; // futures carry the exception; pools decide themselves
    }
    const FunctionDecl *Entry = Start.Entry;
    if (!Entry)
      continue;
    if (const FunctionDecl *Def = Entry->getDefinition())
      Entry = Def;
    const tlm::TUModel::ThrowChain *Chain = Model.mayThrow(Entry);
    if (!Chain || Chain->empty() || !Done.insert(Entry).second)
      continue;
    std::string Thread = "running '" + tlm::functionName(Entry, SM) + "'";
    for (const tlm::ThreadEntry &TE : Acc.entries())
      if (TE.Fn == Entry) {
        Thread = TE.Name;
        break;
      }
    SourceLocation Loc = SM.getExpansionLoc(Chain->front().first);
    if (!firstAt(Loc))
      continue;
    // The last step reads "'parse' throws here".
    const std::string &Last = Chain->back().second;
    std::string Thrower = Last.substr(0, Last.rfind(" throws here"));
    std::string What = Chain->size() == 1
                           ? std::string("an exception thrown here")
                           : "an exception thrown by " + Thrower + " (line " +
                                 std::to_string(SM.getExpansionLineNumber(
                                     Chain->back().first)) +
                                 ")";
    diag(Loc, "%0 can escape thread %1 (started with %2 at line %3): an "
              "exception leaving a thread's function calls std::terminate; "
              "catch it in the thread function (hand it over with "
              "std::exception_ptr), or run the work with std::async or "
              "std::packaged_task so that the future carries it")
        << What << Thread << tlm::threadApiName(Start.Api)
        << SM.getExpansionLineNumber(Start.Site->getBeginLoc());
    for (size_t I = 1; I < Chain->size(); ++I)
      diag(SM.getExpansionLoc((*Chain)[I].first), "%0", DiagnosticIDs::Note)
          << (*Chain)[I].second;
    diag(SM.getExpansionLoc(Start.Site->getBeginLoc()),
         "the thread is started here", DiagnosticIDs::Note);
  }
}

} // namespace clang::tidy::threadlint
