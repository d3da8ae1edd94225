//===--- SourceText.cpp - byte offsets to lines and columns ---------------===//

#include "SourceText.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace threadlint::SourceText {

namespace {
struct FileLines {
  std::string Text;
  std::vector<unsigned> LineStarts;
};

std::shared_ptr<const FileLines> load(const std::string &File) {
  static std::mutex Mu;
  static std::map<std::string, std::shared_ptr<const FileLines>> Cache;
  {
    std::lock_guard<std::mutex> Lock(Mu);
    auto It = Cache.find(File);
    if (It != Cache.end())
      return It->second;
  }
  auto F = std::make_shared<FileLines>();
  if (auto Buf = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false))
    F->Text = (*Buf)->getBuffer().str();
  F->LineStarts.push_back(0);
  for (unsigned I = 0; I < F->Text.size(); ++I)
    if (F->Text[I] == '\n')
      F->LineStarts.push_back(I + 1);
  std::lock_guard<std::mutex> Lock(Mu);
  return Cache.emplace(File, std::move(F)).first->second;
}
} // namespace

void lineAndColumn(const std::string &File, unsigned Offset, Position &P) {
  auto F = load(File);
  if (F->Text.empty()) {
    P.Line = 1;
    P.Column = 1;
    return;
  }
  Offset = std::min<unsigned>(Offset, F->Text.size());
  auto It = std::upper_bound(F->LineStarts.begin(), F->LineStarts.end(),
                             Offset);
  unsigned LineIndex = static_cast<unsigned>(It - F->LineStarts.begin()) - 1;
  unsigned Start = F->LineStarts[LineIndex];
  P.Line = LineIndex + 1;
  P.Column = Offset - Start + 1;
  unsigned End = LineIndex + 1 < F->LineStarts.size()
                     ? F->LineStarts[LineIndex + 1] - 1
                     : static_cast<unsigned>(F->Text.size());
  P.LineText = F->Text.substr(Start, End - Start);
  if (!P.LineText.empty() && P.LineText.back() == '\r')
    P.LineText.pop_back();
}

void fillLineText(Position &P) {
  auto F = load(P.File);
  if (P.Line == 0 || P.Line > F->LineStarts.size())
    return;
  unsigned Start = F->LineStarts[P.Line - 1];
  unsigned End = P.Line < F->LineStarts.size()
                     ? F->LineStarts[P.Line] - 1
                     : static_cast<unsigned>(F->Text.size());
  P.LineText = F->Text.substr(Start, End - Start);
  if (!P.LineText.empty() && P.LineText.back() == '\r')
    P.LineText.pop_back();
}

} // namespace threadlint::SourceText
