//===--- LockFacts.cpp - a translation unit's lock-order facts ------------===//

#include "LockFacts.h"
#include "TUModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace threadlint::model {

SourcePos toSourcePos(SourceLocation Loc, const SourceManager &SM) {
  SourcePos P;
  Loc = SM.getExpansionLoc(Loc);
  if (Loc.isInvalid())
    return P;
  FileID FID = SM.getFileID(Loc);
  if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID)) {
    llvm::SmallString<256> Path(FE->getName());
    SM.getFileManager().makeAbsolutePath(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    P.File = std::string(Path);
  }
  P.Line = SM.getSpellingLineNumber(Loc);
  P.Column = SM.getSpellingColumnNumber(Loc);
  return P;
}

SourceLocation fromSourcePos(const SourcePos &P, const SourceManager &SM) {
  auto FE = SM.getFileManager().getOptionalFileRef(P.File);
  if (!FE)
    return {};
  return SM.translateFileLineCol(*FE, P.Line, P.Column);
}

TUFacts extractLockFacts(TUModel &Model) {
  ASTContext &Ctx = Model.context();
  const SourceManager &SM = Ctx.getSourceManager();
  TUFacts F;
  F.TU = toSourcePos(SM.getLocForStartOfFile(SM.getMainFileID()), SM).File;

  auto Note = [&](const LockRef &L) {
    if (L.GlobalKey.empty())
      return false;
    F.Locks.emplace(L.GlobalKey,
                    FactLock{L.Name, L.Kind == LockKind::RecursiveMutex});
    return true;
  };
  auto PathOf = [&](const std::vector<ChainStep> &Chain) {
    std::vector<Step> Out;
    for (const ChainStep &S : Chain)
      Out.push_back(Step{toSourcePos(S.Loc, SM), S.Text});
    return Out;
  };

  for (const FunctionDecl *FD : Model.functions()) {
    const FunctionLocks *FL = Model.locks(FD);
    if (!FL || !FL->Analysed)
      continue;
    std::string Name = functionName(FD, SM);
    std::string Usr = usrOf(FD);
    FactFunction Fn;
    Fn.Name = Name;

    auto Holds = [](const HeldSet &Set, const std::string &Key) {
      return std::any_of(Set.begin(), Set.end(),
                         [&](const HeldLock &H) { return H.Lock.Key == Key; });
    };
    for (const Acquisition &A : FL->Acquisitions) {
      const LockRef &To = A.Lock.Lock;
      if (!Note(To))
        continue;
      if (A.Lock.Via.empty())
        Fn.Acquires.push_back(
            FactAcquire{To.GlobalKey, toSourcePos(A.Lock.Site, SM)});
      // Taking a lock this thread already holds waits for nobody (or for
      // itself: recursive-lock's business); it orders nothing (testdata:
      // lock-order/recursive.cpp, relock_in_place_ok).
      if (Holds(A.MustBefore, To.Key))
        continue;
      for (const HeldLock &H : A.MustBefore) {
        if (!Note(H.Lock) || H.Lock.GlobalKey == To.GlobalKey)
          continue;
        F.Edges.push_back(FactEdge{H.Lock.GlobalKey,
                                   To.GlobalKey,
                                   Name,
                                   toSourcePos(H.Site, SM),
                                   {Step{toSourcePos(A.Lock.Site, SM),
                                         "'" + To.Name + "' acquired here"}}});
      }
    }

    for (const CallSite &C : FL->Calls) {
      if (!C.Callee || declaredBySystem(C.Callee))
        continue;
      std::string CalleeUsr = usrOf(C.Callee);
      std::string CalleeName = functionName(C.Callee, SM);
      SourcePos Site = toSourcePos(C.Call->getBeginLoc(), SM);
      if (!CalleeUsr.empty() && C.Callee != FD)
        Fn.Calls.push_back(FactCall{CalleeUsr, CalleeName, Site});
      // The callee's own order on the locks it is given (lock_pair(a, b)
      // nests a then b): an edge between the caller's locks (testdata:
      // lock-order/interprocedural.cpp, demote_task_bad).
      if (const FunctionLocks *CL = Model.locks(C.Callee))
        for (const Acquisition &A : CL->Acquisitions) {
          if (A.Lock.Lock.ParamIndex < 0 && A.Lock.Lock.BaseParamIndex < 0)
            continue;
          for (const HeldLock &H : A.MustBefore) {
            if (H.Lock.ParamIndex < 0 && H.Lock.BaseParamIndex < 0)
              continue;
            for (const LockRef &MTo :
                 mapCalleeLock(*FL, A.Lock.Lock, C.Call, Ctx, Model.config()))
              for (const LockRef &MFrom :
                   mapCalleeLock(*FL, H.Lock, C.Call, Ctx, Model.config())) {
                if (!Note(MTo) || !Note(MFrom) ||
                    MTo.GlobalKey == MFrom.GlobalKey)
                  continue;
                F.Edges.push_back(
                    FactEdge{MFrom.GlobalKey,
                             MTo.GlobalKey,
                             Name,
                             Site,
                             {Step{Site, "'" + Name + "' calls '" + CalleeName +
                                             "' with '" + MFrom.Name +
                                             "' and '" + MTo.Name + "'"},
                              Step{toSourcePos(A.Lock.Site, SM),
                                   "'" + MTo.Name + "' acquired here"}}});
              }
          }
        }
      if (C.Must.empty())
        continue;
      if (const auto *Callee = Model.acquires(C.Callee)) {
        // The callee's body is here: its acquisitions are edges now.
        for (const TransitiveAcquire &T : *Callee)
          for (const LockRef &M :
               mapCalleeLock(*FL, T.Lock, C.Call, Ctx, Model.config())) {
            if (!Note(M) || Holds(C.Must, M.Key))
              continue;
            for (const HeldLock &H : C.Must) {
              if (!Note(H.Lock) || H.Lock.GlobalKey == M.GlobalKey)
                continue;
              FactEdge E{H.Lock.GlobalKey,
                         M.GlobalKey,
                         Name,
                         toSourcePos(H.Site, SM),
                         {}};
              E.Path.push_back(
                  Step{Site, "'" + Name + "' calls '" + CalleeName + "'"});
              auto Rest = PathOf(T.Path);
              E.Path.insert(E.Path.end(), Rest.begin(), Rest.end());
              F.Edges.push_back(std::move(E));
            }
          }
      }
      if (!CalleeUsr.empty()) {
        // The merge follows the call into other TUs: those the callee calls
        // from here, or its body when it has none here (testdata:
        // projects/helpers).
        FactHeldCall HC{{}, CalleeUsr, CalleeName, Name, Site};
        for (const HeldLock &H : C.Must)
          if (Note(H.Lock))
            HC.Held.push_back(
                HeldLockFact{H.Lock.GlobalKey, toSourcePos(H.Site, SM)});
        if (!HC.Held.empty())
          F.HeldCalls.push_back(std::move(HC));
      }
    }
    if (!Usr.empty())
      F.Functions.emplace(Usr, std::move(Fn));
  }
  return F;
}

} // namespace threadlint::model
