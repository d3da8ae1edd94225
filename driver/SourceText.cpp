//===--- SourceText.cpp - byte offsets to lines and columns ---------------===//

#include "SourceText.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
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
  auto It =
      std::upper_bound(F->LineStarts.begin(), F->LineStarts.end(), Offset);
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

namespace {
/// Whether a NOLINT-family marker at \p Pos of \p Text names \p Check:
/// no list means every check.
bool namesCheck(llvm::StringRef Rest, const std::string &Check) {
  if (!Rest.starts_with("("))
    return true;
  llvm::StringRef List = Rest.drop_front().split(')').first;
  llvm::SmallVector<llvm::StringRef, 4> Items;
  List.split(Items, ',');
  for (llvm::StringRef Item : Items) {
    Item = Item.trim();
    if (Item == "*" || Item == Check ||
        (Item.ends_with("*") &&
         llvm::StringRef(Check).starts_with(Item.drop_back())))
      return true;
  }
  return false;
}

bool lineHas(llvm::StringRef Line, llvm::StringRef Marker,
             const std::string &Check) {
  size_t At = 0;
  while ((At = Line.find(Marker, At)) != llvm::StringRef::npos) {
    llvm::StringRef Rest = Line.substr(At + Marker.size());
    // NOLINT must not match NOLINTNEXTLINE / NOLINTBEGIN.
    if (!(Marker == "NOLINT" &&
          (Rest.starts_with("NEXTLINE") || Rest.starts_with("BEGIN") ||
           Rest.starts_with("END"))) &&
        namesCheck(Rest, Check))
      return true;
    At += Marker.size();
  }
  return false;
}
} // namespace

bool suppressedByNolint(const std::string &File, unsigned Line,
                        const std::string &Check) {
  auto F = load(File);
  auto LineText = [&](unsigned N) -> llvm::StringRef {
    if (N == 0 || N > F->LineStarts.size())
      return {};
    unsigned Start = F->LineStarts[N - 1];
    unsigned End = N < F->LineStarts.size()
                       ? F->LineStarts[N] - 1
                       : static_cast<unsigned>(F->Text.size());
    return llvm::StringRef(F->Text).substr(Start, End - Start);
  };
  if (lineHas(LineText(Line), "NOLINT", Check) ||
      lineHas(LineText(Line - 1), "NOLINTNEXTLINE", Check))
    return true;
  int Depth = 0;
  for (unsigned N = 1; N < Line; ++N) {
    if (lineHas(LineText(N), "NOLINTBEGIN", Check))
      ++Depth;
    if (lineHas(LineText(N), "NOLINTEND", Check) && Depth > 0)
      --Depth;
  }
  return Depth > 0;
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
