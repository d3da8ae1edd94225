//===--- MtUnsafeCallCheck.cpp --------------------------------------------===//
//
// strtok, localtime, rand and their kin keep their state in static storage
// that every caller shares. Called from two threads at once they return each
// other's results, or corrupt the state. Unlike clang-tidy's
// concurrency-mt-unsafe, which reports every call, this rule reports only
// calls the model places in a thread or alongside one: in a function a
// thread entry reaches, in a function called while a thread runs, or
// between a thread start and the wait for it. Code before the first start,
// after the last join, and in a TU that starts no threads is left alone.
// The message names the replacement; none of them is a drop-in (each needs
// a buffer or a state of the caller's), so there is no automatic fix.
//
//===----------------------------------------------------------------------===//

#include "MtUnsafeCallCheck.h"
#include "model/Accesses.h"
#include "model/LibraryCalls.h"
#include "model/TUModel.h"
#include "model/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"

namespace tlm = ::threadlint::model;

namespace clang::tidy::threadlint {

void MtUnsafeCallCheck::checkModel(tlm::TUModel &Model, ASTContext &Ctx) {
  const tlm::SharedAccesses &Acc = Model.accesses();
  if (Acc.entries().empty())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *FD : Model.functions()) {
    tlm::forEachStmt(FD->getBody(), [&](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      if (!Call)
        return;
      std::optional<tlm::MtUnsafeFunction> U =
          tlm::mtUnsafe(Call->getDirectCallee());
      if (!U)
        return;
      // tmpnam(buf) writes into the caller's buffer.
      if (StringRef(tlm::libraryFunctionName(Call->getDirectCallee())) ==
              "tmpnam" &&
          (Call->getNumArgs() != 1 ||
           !Call->getArg(0)->isNullPointerConstant(
               Ctx, Expr::NPC_ValueDependentIsNotNull)))
        return;
      std::optional<tlm::ThreadContext> In = Acc.threadContext(FD, Call);
      if (!In)
        return;
      SourceLocation Loc = SM.getExpansionLoc(Call->getBeginLoc());
      if (!firstAt(Loc))
        return;
      diag(Loc, "'%0' is not thread-safe (%1) and runs %2; %3")
          << tlm::libraryFunctionName(Call->getDirectCallee()) << U->Why
          << In->Text << U->Instead;
      if (In->Start.isValid())
        diag(SM.getExpansionLoc(In->Start), "the thread is started here",
             DiagnosticIDs::Note);
      for (const auto &[L, Text] : In->Path)
        diag(SM.getExpansionLoc(L), "%0", DiagnosticIDs::Note) << Text;
    });
  }
}

} // namespace clang::tidy::threadlint
