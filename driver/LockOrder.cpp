//===--- LockOrder.cpp - project-wide lock-order findings -----------------===//

#include "LockOrder.h"
#include "SourceText.h"
#include "model/LockGraph.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include <algorithm>

namespace threadlint {

namespace {

Position positionOf(const model::SourcePos &P) {
  Position Out;
  Out.File = P.File;
  Out.Line = P.Line;
  Out.Column = P.Column;
  SourceText::fillLineText(Out);
  return Out;
}

} // namespace

std::vector<Finding> lockOrderFindings(const std::string &Dir,
                                       const std::set<std::string> &Skip,
                                       const std::string &Level,
                                       const std::string &HeaderFilter,
                                       const std::set<std::string> &MainFiles,
                                       FactsLoad &Load, std::string *Dot) {
  llvm::Regex Filter(HeaderFilter);
  std::vector<std::string> Paths;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (llvm::StringRef(It->path()).ends_with(".facts.json"))
      Paths.push_back(It->path());
  if (EC)
    Load.Errors.push_back(Dir + ": " + EC.message());
  std::sort(Paths.begin(), Paths.end()); // the same graph whatever the order

  std::vector<model::TUFacts> All;
  std::set<std::string> MainSet(MainFiles.begin(), MainFiles.end());
  for (const std::string &Path : Paths) {
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    if (!Buf) {
      Load.Errors.push_back(Path + ": " + Buf.getError().message());
      continue;
    }
    std::string Error;
    auto Facts = model::factsFromJson((*Buf)->getBuffer().str(), Error);
    if (!Facts) {
      Load.Errors.push_back(Path + ": rejected: " + Error);
      continue;
    }
    ++Load.Files;
    if (!Skip.count(Facts->TU))
      All.push_back(std::move(*Facts));
    if (!All.empty())
      MainSet.insert(All.back().TU);
  }

  model::LockGraph Graph(All);
  if (Dot)
    *Dot = Graph.toDot();
  std::vector<Finding> Out;
  for (const model::LockCycle &C : Graph.cycles()) {
    const model::FactEdge &P = Graph.primary(C);
    const std::string &File = P.site().File;
    if (SourceText::suppressedByNolint(File, P.site().Line,
                                       "threadlint-lock-order"))
      continue;
    if (!MainSet.count(File) && !Filter.match(File))
      continue;
    Finding F;
    F.RuleId = "lock-order";
    F.Level = Level;
    F.Message = Graph.message(C);
    F.Where = positionOf(P.site());
    for (const auto &Side : Graph.sides(C)) {
      std::vector<TraceStep> Flow;
      for (const model::Step &S : Side)
        Flow.push_back(TraceStep{positionOf(S.Pos), S.Text});
      F.Notes.insert(F.Notes.end(), Flow.begin(), Flow.end());
      F.ThreadFlows.push_back(std::move(Flow));
    }
    Out.push_back(std::move(F));
  }
  return Out;
}

} // namespace threadlint
