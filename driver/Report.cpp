//===--- Report.cpp - merge, text and SARIF output ------------------------===//
//
// SARIF is written with nlohmann/json rather than clang::SarifDocumentWriter:
// that one assumes a single SourceManager (one translation unit) and has no
// fingerprints, related locations or base URIs.
//
//===----------------------------------------------------------------------===//

#include "Report.h"
#include "Rules.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#ifndef THREADLINT_VERSION
#define THREADLINT_VERSION "0.0.0"
#endif
#ifndef THREADLINT_INFORMATION_URI
#define THREADLINT_INFORMATION_URI "https://github.com/threadlint/threadlint"
#endif

using nlohmann::json;
using ordered_json = nlohmann::ordered_json;

namespace threadlint {

namespace {

auto sortKey(const Finding &F) {
  return std::tie(F.Where.File, F.Where.Line, F.Where.Column, F.RuleId,
                  F.Message);
}

/// FNV-1a, 64 bit: stable across platforms and runs.
std::string hash64(const std::string &S) {
  uint64_t H = 1469598103934665603ULL;
  for (unsigned char C : S) {
    H ^= C;
    H *= 1099511628211ULL;
  }
  char Buf[17];
  std::snprintf(Buf, sizeof(Buf), "%016llx",
                static_cast<unsigned long long>(H));
  return Buf;
}

std::string withoutSpace(const std::string &S) {
  std::string Out;
  for (char C : S)
    if (!std::isspace(static_cast<unsigned char>(C)))
      Out += C;
  return Out;
}

std::string percentEncode(const std::string &Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (std::isalnum(C) || std::strchr("/-._~", C))
      Out += static_cast<char>(C);
    else {
      char Buf[4];
      std::snprintf(Buf, sizeof(Buf), "%%%02X", C);
      Out += Buf;
    }
  }
  return Out;
}

ordered_json artifactLocation(const std::string &File,
                              const std::string &Root) {
  ordered_json A;
  if (!Root.empty() && File.rfind(Root, 0) == 0) {
    A["uri"] = percentEncode(File.substr(Root.size()));
    A["uriBaseId"] = "SRCROOT";
  } else {
    A["uri"] = "file://" + percentEncode(File);
  }
  return A;
}

ordered_json physicalLocation(const Position &P, const std::string &Root) {
  ordered_json L;
  L["artifactLocation"] = artifactLocation(P.File, Root);
  ordered_json Region;
  Region["startLine"] = std::max(1u, P.Line);
  Region["startColumn"] = std::max(1u, P.Column);
  L["region"] = Region;
  return L;
}

ordered_json ruleDescriptor(const RuleInfo &R) {
  const json &M = R.Meta;
  ordered_json D;
  D["id"] = R.checkName();
  D["name"] = M.value("title", R.Id);
  D["shortDescription"] = {{"text", M.value("shortDescription", R.Id)}};
  D["fullDescription"] = {{"text", M.value("fullDescription", R.Id)}};
  if (M.contains("help"))
    D["help"] = {{"text", M["help"].value("text", "")},
                 {"markdown", M["help"].value("markdown", "")}};
  D["helpUri"] = std::string(THREADLINT_INFORMATION_URI) +
                 "/blob/main/docs/rules/" + R.Id + ".md";
  D["defaultConfiguration"] = {{"level", R.level()}};
  ordered_json Props;
  std::vector<std::string> Tags;
  if (M.contains("tags"))
    for (const auto &T : M["tags"])
      Tags.push_back(T.get<std::string>());
  if (M.contains("cwe"))
    for (const auto &C : M["cwe"])
      Tags.push_back("external/cwe/cwe-" + std::to_string(C.get<int>()));
  Props["tags"] = Tags;
  Props["precision"] = M.value("precision", "medium");
  Props["problem.severity"] = M.value("problemSeverity", "warning");
  if (M.contains("securitySeverity"))
    Props["security-severity"] = M["securitySeverity"].get<std::string>();
  D["properties"] = Props;
  return D;
}

} // namespace

std::vector<Finding> mergeFindings(const std::vector<TUResult> &Results) {
  std::map<
      std::tuple<std::string, unsigned, unsigned, std::string, std::string>,
      Finding>
      Unique;
  for (const TUResult &R : Results)
    for (const Finding &F : R.Findings) {
      auto Key = std::make_tuple(F.Where.File, F.Where.Line, F.Where.Column,
                                 F.RuleId, F.Message);
      auto [It, Inserted] = Unique.emplace(Key, F);
      if (!Inserted)
        ++It->second.Occurrences;
    }
  std::vector<Finding> Out;
  for (auto &[Key, F] : Unique)
    Out.push_back(std::move(F));
  std::stable_sort(Out.begin(), Out.end(),
                   [](const Finding &A, const Finding &B) {
                     return sortKey(A) < sortKey(B);
                   });
  return Out;
}

std::string formatText(const std::vector<Finding> &Findings,
                       const ReportContext &Ctx) {
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  std::string CwdPrefix = std::string(Cwd) + "/";
  auto Shown = [&](const std::string &File) {
    return File.rfind(CwdPrefix, 0) == 0 ? File.substr(CwdPrefix.size()) : File;
  };
  std::string Out;
  for (const Finding &F : Findings) {
    Out += Shown(F.Where.File) + ":" + std::to_string(F.Where.Line) + ":" +
           std::to_string(F.Where.Column) + ": " + F.Level + ": " + F.Message +
           " [threadlint-" + F.RuleId + "]\n";
    for (const TraceStep &N : F.Notes)
      Out += Shown(N.Where.File) + ":" + std::to_string(N.Where.Line) + ":" +
             std::to_string(N.Where.Column) + ": note: " + N.Message + "\n";
  }
  return Out;
}

std::string formatSarif(const std::vector<Finding> &Findings,
                        const ReportContext &Ctx) {
  ordered_json Driver;
  Driver["name"] = "threadlint";
  Driver["version"] = THREADLINT_VERSION;
  Driver["semanticVersion"] = THREADLINT_VERSION;
  Driver["informationUri"] = THREADLINT_INFORMATION_URI;
  std::map<std::string, size_t> RuleIndex;
  ordered_json Rules = ordered_json::array();
  for (const std::string &Id : Ctx.EnabledRules)
    if (const RuleInfo *R = findRule(Id)) {
      RuleIndex[Id] = Rules.size();
      Rules.push_back(ruleDescriptor(*R));
    }
  Driver["rules"] = Rules;

  ordered_json Results = ordered_json::array();
  std::vector<const Finding *> All;
  for (const Finding &F : Findings)
    All.push_back(&F);
  for (const Finding &F : Ctx.Suppressed)
    All.push_back(&F);
  for (const Finding *FP : All) {
    const Finding &F = *FP;
    ordered_json R;
    R["ruleId"] = "threadlint-" + F.RuleId;
    if (RuleIndex.count(F.RuleId))
      R["ruleIndex"] = RuleIndex[F.RuleId];
    // A remark is SARIF's "note": worth seeing, not a defect to gate on.
    R["level"] = F.Level == "error"                         ? "error"
                 : F.Level == "note" || F.Level == "remark" ? "note"
                                                            : "warning";
    R["message"] = {{"text", F.Message}};
    ordered_json Loc;
    Loc["physicalLocation"] = physicalLocation(F.Where, Ctx.SourceRoot);
    R["locations"] = ordered_json::array({Loc});

    ordered_json Related = ordered_json::array();
    ordered_json Flow = ordered_json::array();
    bool PrimaryInFlow = false;
    int Id = 1;
    for (const TraceStep &N : F.Notes) {
      ordered_json RL;
      RL["id"] = Id++;
      RL["physicalLocation"] = physicalLocation(N.Where, Ctx.SourceRoot);
      RL["message"] = {{"text", N.Message}};
      Related.push_back(RL);
      ordered_json Step;
      Step["location"] = {
          {"physicalLocation", physicalLocation(N.Where, Ctx.SourceRoot)},
          {"message", {{"text", N.Message}}}};
      Flow.push_back(Step);
      if (N.Where.File == F.Where.File && N.Where.Line == F.Where.Line &&
          N.Where.Column == F.Where.Column)
        PrimaryInFlow = true;
    }
    // The trace tells the story in order: the notes, then (unless a note
    // already stands there) the reported statement itself.
    if (!PrimaryInFlow) {
      ordered_json Step;
      Step["location"] = {
          {"physicalLocation", physicalLocation(F.Where, Ctx.SourceRoot)},
          {"message", {{"text", F.Message}}}};
      Flow.push_back(Step);
    }
    if (!Related.empty())
      R["relatedLocations"] = Related;
    if (!F.Notes.empty())
      R["codeFlows"] = ordered_json::array(
          {{{"threadFlows", ordered_json::array({{{"locations", Flow}}})}}});
    // Findings involving several threads: the first flow above tells the
    // whole story in order (what viewers that show one flow display), and a
    // second code flow has one thread flow per thread.
    if (!F.ThreadFlows.empty()) {
      ordered_json PerThread = ordered_json::array();
      for (const auto &Side : F.ThreadFlows) {
        ordered_json Locs = ordered_json::array();
        for (const TraceStep &N : Side)
          Locs.push_back({{"location",
                           {{"physicalLocation",
                             physicalLocation(N.Where, Ctx.SourceRoot)},
                            {"message", {{"text", N.Message}}}}}});
        PerThread.push_back({{"locations", Locs}});
      }
      R["codeFlows"].push_back({{"threadFlows", PerThread}});
    }

    R["partialFingerprints"] = {{"primaryLocationLineHash", F.LineFingerprint},
                                {"threadlint/v2", F.Fingerprint}};
    if (!F.BaselineState.empty())
      R["baselineState"] = F.BaselineState;
    if (F.Occurrences > 1)
      R["occurrenceCount"] = F.Occurrences;
    if (F.Suppressed)
      R["suppressions"] = ordered_json::array({{{"kind", "inSource"}}});
    Results.push_back(R);
  }
  for (const BaselineResult &B : Ctx.Absent) {
    ordered_json R = ordered_json::parse(B.Sarif, nullptr, false);
    if (R.is_discarded() || !R.is_object())
      continue;
    R["baselineState"] = "absent";
    Results.push_back(R);
  }

  ordered_json Invocation;
  bool Success = true;
  ordered_json Notifications = ordered_json::array();
  if (Ctx.Results)
    for (const TUResult &TU : *Ctx.Results) {
      if (!TU.Failed)
        continue;
      Success = false;
      std::string Text = "translation unit not analysed";
      for (const std::string &E : TU.Errors)
        Text += "\n" + E;
      ordered_json N;
      N["level"] = "error";
      N["message"] = {{"text", Text}};
      ordered_json L;
      L["physicalLocation"] = {
          {"artifactLocation", artifactLocation(TU.File, Ctx.SourceRoot)}};
      N["locations"] = ordered_json::array({L});
      N["descriptor"] = {{"id", "threadlint-translation-unit-failed"}};
      Notifications.push_back(N);
    }
  if (Ctx.Cut) {
    ordered_json N;
    N["level"] = "warning";
    N["message"] = {
        {"text", std::to_string(Ctx.Cut) + " of " +
                     std::to_string(Ctx.Cut + Findings.size()) +
                     " results left out (--max-results=" +
                     std::to_string(Ctx.MaxResults) +
                     "; GitHub code scanning accepts at most 25000 per run)"}};
    N["descriptor"] = {{"id", "threadlint-results-cut"}};
    Notifications.push_back(N);
  }
  Invocation["executionSuccessful"] = Success;
  if (!Notifications.empty())
    Invocation["toolExecutionNotifications"] = Notifications;

  ordered_json Run;
  Run["tool"] = {{"driver", Driver}};
  Run["automationDetails"] = {{"id", Ctx.Category}};
  if (!Ctx.SourceRoot.empty())
    Run["originalUriBaseIds"] = {
        {"SRCROOT", {{"uri", "file://" + percentEncode(Ctx.SourceRoot)}}}};
  Run["invocations"] = ordered_json::array({Invocation});
  Run["results"] = Results;
  Run["columnKind"] = "unicodeCodePoints";

  ordered_json Doc;
  Doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  Doc["version"] = "2.1.0";
  Doc["runs"] = ordered_json::array({Run});
  return Doc.dump(2) + "\n";
}

void assignFingerprints(std::vector<Finding> &Findings,
                        const std::string &SourceRoot) {
  std::map<std::string, unsigned> Seen; // fingerprint -> occurrences so far
  for (Finding &F : Findings) {
    std::string Rel = F.Where.File.rfind(SourceRoot, 0) == 0
                          ? F.Where.File.substr(SourceRoot.size())
                          : F.Where.File;
    // Messages name lines ("the 'return' on line 12", "(metrics.cpp:31)"):
    // blank the numbers out.
    std::string Message;
    for (char C : F.Message)
      if (!std::isdigit(static_cast<unsigned char>(C)))
        Message += C;
      else if (Message.empty() || Message.back() != '#')
        Message += '#';
    std::string Text = withoutSpace(F.Where.LineText);
    std::string LineHash = hash64(Text);
    std::string Identity =
        hash64(F.RuleId + "|" + Rel + "|" + Text + "|" + Message);
    F.Fingerprint = Identity + ":" + std::to_string(++Seen[Identity]);
    F.LineFingerprint =
        LineHash + ":" + std::to_string(++Seen["line:" + Rel + ":" + LineHash]);
  }
}

std::vector<BaselineResult> loadBaseline(const std::string &Path,
                                         std::string &Error) {
  std::vector<BaselineResult> Out;
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    Error = Buffer.getError().message();
    return Out;
  }
  ordered_json Doc =
      ordered_json::parse((*Buffer)->getBuffer().begin(),
                          (*Buffer)->getBuffer().end(), nullptr, false);
  if (Doc.is_discarded() || !Doc.is_object() || !Doc.contains("runs") ||
      !Doc["runs"].is_array()) {
    Error = "not a SARIF file";
    return Out;
  }
  for (const ordered_json &Run : Doc["runs"]) {
    if (!Run.is_object() || !Run.contains("results"))
      continue;
    for (const ordered_json &R : Run["results"]) {
      if (!R.is_object() || R.value("baselineState", "") == "absent")
        continue;
      auto FP = R.find("partialFingerprints");
      if (FP == R.end() || !FP->is_object() || !FP->contains("threadlint/v2") ||
          !(*FP)["threadlint/v2"].is_string()) {
        Error = "a result has no threadlint/v2 fingerprint (was the file "
                "written by this version of threadlint?)";
        return {};
      }
      Out.push_back({(*FP)["threadlint/v2"].get<std::string>(), R.dump()});
    }
  }
  return Out;
}

std::vector<BaselineResult> applyBaseline(std::vector<Finding> &Findings,
                                          std::vector<BaselineResult> Old) {
  std::multimap<std::string, size_t> ByFingerprint;
  for (size_t I = 0; I < Old.size(); ++I)
    ByFingerprint.emplace(Old[I].Fingerprint, I);
  std::vector<char> Matched(Old.size(), 0);
  for (Finding &F : Findings) {
    auto It = ByFingerprint.find(F.Fingerprint);
    if (It == ByFingerprint.end()) {
      F.BaselineState = "new";
      continue;
    }
    F.BaselineState = "unchanged";
    Matched[It->second] = 1;
    ByFingerprint.erase(It);
  }
  std::vector<BaselineResult> Absent;
  for (size_t I = 0; I < Old.size(); ++I)
    if (!Matched[I])
      Absent.push_back(std::move(Old[I]));
  return Absent;
}

size_t limitFindings(std::vector<Finding> &Findings, size_t Max) {
  if (Findings.size() <= Max)
    return 0;
  // Errors, then warnings, then notes; new findings before known ones.
  auto Rank = [](const Finding &F) {
    int Level = F.Level == "error" ? 0 : F.Level == "warning" ? 1 : 2;
    return Level * 2 + (F.BaselineState == "unchanged" ? 1 : 0);
  };
  std::vector<size_t> Order(Findings.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::stable_sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    return Rank(Findings[A]) < Rank(Findings[B]);
  });
  std::vector<char> Keep(Findings.size(), 0);
  for (size_t I = 0; I < Max; ++I)
    Keep[Order[I]] = 1;
  std::vector<Finding> Kept;
  for (size_t I = 0; I < Findings.size(); ++I)
    if (Keep[I])
      Kept.push_back(std::move(Findings[I]));
  size_t Cut = Findings.size() - Kept.size();
  Findings = std::move(Kept);
  return Cut;
}

std::string formatJson(const std::vector<Finding> &Findings,
                       const ReportContext &Ctx) {
  auto Pos = [](const Position &P) {
    return ordered_json{
        {"file", P.File}, {"line", P.Line}, {"column", P.Column}};
  };
  ordered_json List = ordered_json::array();
  for (const Finding &F : Findings) {
    ordered_json J = Pos(F.Where);
    J["rule"] = "threadlint-" + F.RuleId;
    J["level"] = F.Level;
    J["message"] = F.Message;
    ordered_json Notes = ordered_json::array();
    for (const TraceStep &N : F.Notes) {
      ordered_json NJ = Pos(N.Where);
      NJ["message"] = N.Message;
      Notes.push_back(NJ);
    }
    J["notes"] = Notes;
    J["fingerprint"] = F.Fingerprint;
    if (!F.BaselineState.empty())
      J["baselineState"] = F.BaselineState;
    J["occurrences"] = F.Occurrences;
    List.push_back(J);
  }
  ordered_json Failed = ordered_json::array();
  if (Ctx.Results)
    for (const TUResult &TU : *Ctx.Results)
      if (TU.Failed)
        Failed.push_back({{"file", TU.File}, {"errors", TU.Errors}});
  ordered_json Doc;
  Doc["version"] = 1;
  Doc["tool"] = {{"name", "threadlint"}, {"version", THREADLINT_VERSION}};
  Doc["findings"] = List;
  Doc["absent"] = Ctx.Absent.size();
  Doc["resultsLeftOut"] = Ctx.Cut;
  Doc["notAnalysed"] = Failed;
  return Doc.dump(2) + "\n";
}

std::string writeFileAtomically(const std::string &Path,
                                const std::string &Content) {
  llvm::Error E = llvm::writeToOutput(Path, [&](llvm::raw_ostream &OS) {
    OS << Content;
    return llvm::Error::success();
  });
  if (E)
    return llvm::toString(std::move(E));
  return {};
}

} // namespace threadlint
