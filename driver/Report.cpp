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
  std::map<std::string, unsigned> Seen; // fingerprint -> occurrences so far
  for (const Finding &F : Findings) {
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

    // Fingerprints from the rule, the file, the statement's text and the
    // message: not the line number, so findings keep their identity when
    // code above them moves.
    std::string Rel = F.Where.File.rfind(Ctx.SourceRoot, 0) == 0
                          ? F.Where.File.substr(Ctx.SourceRoot.size())
                          : F.Where.File;
    std::string LineHash = hash64(withoutSpace(F.Where.LineText));
    std::string Identity =
        hash64(F.RuleId + "|" + Rel + "|" + withoutSpace(F.Where.LineText) +
               "|" + F.Message);
    unsigned Nth = ++Seen[Identity];
    unsigned LineNth = ++Seen["line:" + Rel + ":" + LineHash];
    R["partialFingerprints"] = {
        {"primaryLocationLineHash", LineHash + ":" + std::to_string(LineNth)},
        {"threadlint/v1", Identity + ":" + std::to_string(Nth)}};
    if (F.Occurrences > 1)
      R["occurrenceCount"] = F.Occurrences;
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
  Invocation["executionSuccessful"] = Success;
  if (!Notifications.empty())
    Invocation["toolExecutionNotifications"] = Notifications;

  ordered_json Run;
  Run["tool"] = {{"driver", Driver}};
  Run["automationDetails"] = {{"id", "threadlint/"}};
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
