//===--- ThreadLintMain.cpp - the threadlint command line -----------------===//
//
// Shaped like clang-tidy's main: options in one category, early modes that
// parse no code (--list-rules, --version), then one run, the reporters, and
// the exit code: 0 no finding at or above --fail-on, 1 findings, 2 usage or
// tool error (including translation units that could not be analysed; the
// other translation units' results are still reported and written).
//
//===----------------------------------------------------------------------===//

#include "LockOrder.h"
#include "Report.h"
#include "Rules.h"
#include "Runner.h"
#include "clang-tidy/GlobList.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <set>
#include <thread>

using namespace llvm;
using namespace clang::tooling;

extern volatile int ThreadLintModuleAnchorSource;
static int ThreadLintModuleAnchorDestination = ThreadLintModuleAnchorSource;

namespace threadlint {
namespace {

cl::OptionCategory Category("threadlint options");

cl::opt<std::string> BuildPath(
    "p",
    cl::desc("Build directory containing compile_commands.json (or the "
             "file itself)"),
    cl::value_desc("build-path"), cl::cat(Category));
cl::list<std::string> Sources(cl::Positional,
                              cl::desc("[<file> ...] (default: every "
                                       "translation unit in the database)"),
                              cl::cat(Category));
cl::opt<std::string>
    Checks("checks",
           cl::desc("Comma-separated globs of rules to run, clang-tidy style "
                    "(e.g. 'threadlint-*,-threadlint-busy-wait')"),
           cl::init("threadlint-*"), cl::cat(Category));
cl::opt<std::string> Format("format",
                            cl::desc("Output format: text, sarif or json"),
                            cl::init("text"), cl::cat(Category));
cl::opt<std::string> Output("o",
                            cl::desc("Write the output to <file> (atomically) "
                                     "instead of standard output"),
                            cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string>
    SarifOutput("sarif-output",
                cl::desc("Also write SARIF 2.1.0 to <file> (atomically)"),
                cl::value_desc("file"), cl::cat(Category));
cl::opt<unsigned> Jobs("j",
                       cl::desc("Translation units analysed in parallel "
                                "(default: all cores)"),
                       cl::init(0), cl::Prefix, cl::cat(Category));
cl::opt<std::string> FailOn(
    "fail-on",
    cl::desc("Lowest level that makes the exit code "
             "1: error, warning, note (remarks count as notes) or never"),
    cl::init("warning"), cl::cat(Category));
cl::opt<std::string>
    Baseline("baseline",
             cl::desc("SARIF file of an earlier run: results are marked new, "
                      "unchanged or absent, and only new ones set the exit "
                      "code (text output lists only new ones)"),
             cl::value_desc("file.sarif"), cl::cat(Category));
cl::opt<unsigned>
    MaxResults("max-results",
               cl::desc("Report at most this many results, errors first "
                        "(default 25000, GitHub's limit per run; 0: no "
                        "limit)"),
               cl::init(25000), cl::cat(Category));
cl::opt<std::string>
    SarifCategory("sarif-category",
                  cl::desc("SARIF automationDetails.id, GitHub's category "
                           "for telling analyses apart (default "
                           "'threadlint/')"),
                  cl::init("threadlint/"), cl::cat(Category));
cl::opt<bool> ListRules("list-rules", cl::desc("List the rules and exit"),
                        cl::cat(Category));
cl::opt<std::string>
    Config("config",
           cl::desc("Configuration in YAML/JSON, as clang-tidy's --config "
                    "(CheckOptions); default: .clang-tidy files"),
           cl::cat(Category));
cl::opt<std::string> HeaderFilter(
    "header-filter",
    cl::desc("Regular expression of headers whose findings are shown "
             "(default: all non-system headers)"),
    cl::init(".*"), cl::cat(Category));
cl::opt<std::string>
    SourceRoot("source-root",
               cl::desc("Root that SARIF paths are relative to (default: the "
                        "current directory)"),
               cl::cat(Category));
cl::list<std::string> ExtraArgs("extra-arg",
                                cl::desc("Extra compiler argument"),
                                cl::cat(Category));
cl::opt<std::string>
    LockGraphOutput("lock-graph",
                    cl::desc("Write the project's lock-order graph to <file> "
                             "(Graphviz dot; cycle edges in red)"),
                    cl::value_desc("file.dot"), cl::cat(Category));
cl::opt<bool> Timings("timings",
                      cl::desc("Print how long analysis and the project-wide "
                               "merge took, on standard error"),
                      cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("No summary line on standard error"),
                    cl::cat(Category));
cl::opt<bool> KeepSuppressed(
    "keep-suppressed",
    cl::desc("Keep findings a NOLINT comment suppresses in the SARIF output, "
             "marked with suppressions (kind inSource), for audits; they "
             "never count for --fail-on and are not shown as text"),
    cl::cat(Category));

int levelRank(const std::string &L) {
  if (L == "error")
    return 3;
  if (L == "warning")
    return 2;
  if (L == "note" || L == "remark")
    return 1;
  return 0;
}

int usageError(const std::string &Msg) {
  errs() << "threadlint: error: " << Msg << "\n";
  return 2;
}

/// Rule ids the --checks globs enable, or an error naming an unknown rule.
Expected<std::vector<std::string>> enabledRules(const std::string &Globs) {
  std::vector<std::string> Known;
  for (const RuleInfo &R : allRules())
    Known.push_back(R.checkName());
  for (StringRef Item : llvm::split(Globs, ',')) {
    Item = Item.trim();
    Item.consume_front("-");
    if (Item.empty() || Item.contains('*'))
      continue;
    if (std::find(Known.begin(), Known.end(), Item) != Known.end())
      continue;
    std::string Best;
    unsigned BestDistance = 4;
    for (const std::string &K : Known) {
      unsigned D = Item.edit_distance(K);
      if (D < BestDistance)
        BestDistance = D, Best = K;
    }
    std::string Msg = "unknown rule '" + Item.str() + "'";
    if (!Best.empty())
      Msg += "; did you mean '" + Best + "'?";
    Msg += " (see --list-rules)";
    return createStringError(inconvertibleErrorCode(), Msg);
  }
  clang::tidy::GlobList List("-*," + Globs);
  std::vector<std::string> Out;
  for (const RuleInfo &R : allRules())
    if (List.contains(R.checkName()))
      Out.push_back(R.Id);
  return Out;
}

} // namespace
} // namespace threadlint

int main(int argc, const char **argv) {
  using namespace threadlint;
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "threadlint " THREADLINT_VERSION " (LLVM " LLVM_VERSION_STRING ")\n";
  });

  // threadlint merge <facts dir> [output options]: the project-wide part of
  // a plugin run (lock-order facts written with FactsDir).
  bool Merge = argc > 1 && StringRef(argv[1]) == "merge";
  std::vector<const char *> Args(argv, argv + argc);
  if (Merge)
    Args.erase(Args.begin() + 1);
  argc = static_cast<int>(Args.size());
  argv = Args.data();

  std::string FixedError;
  std::unique_ptr<CompilationDatabase> DB;
  if (!Merge)
    DB = FixedCompilationDatabase::loadFromCommandLine(argc, argv, FixedError);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "threadlint: finds concurrency bugs in C and C++ code.\n\n"
          "  threadlint -p build/                 every file in "
          "build/compile_commands.json\n"
          "  threadlint -p build/ src/a.cpp       one file, flags from the "
          "database\n"
          "  threadlint a.cpp -- -std=c++20       flags given after --\n"
          "  threadlint merge <facts dir>         project-wide lock-order "
          "findings from\n"
          "                                       facts the plugin wrote "
          "(threadlint-lock-order.FactsDir)\n",
          &errs()))
    return 2;

  if (ListRules) {
    for (const RuleInfo &R : allRules())
      outs() << R.checkName() << "  [" << R.level() << "]  "
             << R.Meta.value("shortDescription", "") << "\n";
    return 0;
  }
  if (Format != "text" && Format != "sarif" && Format != "json")
    return usageError("unknown --format '" + Format +
                      "'; expected text, sarif or json");
  std::vector<BaselineResult> BaselineResults;
  if (!Baseline.empty()) {
    std::string E;
    BaselineResults = loadBaseline(Baseline, E);
    if (!E.empty())
      return usageError("cannot use '" + Baseline + "' as a baseline: " + E);
  }
  if (FailOn != "never" && levelRank(FailOn) == 0)
    return usageError("unknown --fail-on '" + FailOn +
                      "'; expected error, warning, note or never");
  auto Enabled = enabledRules(Checks);
  if (!Enabled)
    return usageError(toString(Enabled.takeError()));
  if (Enabled->empty())
    return usageError("--checks='" + Checks + "' enables no rule");

  ReportContext Ctx;
  SmallString<256> Root(SourceRoot.empty() ? "." : SourceRoot.c_str());
  sys::fs::make_absolute(Root);
  sys::path::remove_dots(Root, /*remove_dot_dot=*/true);
  Ctx.SourceRoot = std::string(Root);
  if (Ctx.SourceRoot.back() != '/')
    Ctx.SourceRoot += '/';
  Ctx.EnabledRules = *Enabled;
  const RuleInfo *LockOrderRule = findRule("lock-order");
  bool LockOrder = LockOrderRule && std::find(Enabled->begin(), Enabled->end(),
                                              "lock-order") != Enabled->end();

  auto Emit = [&](std::vector<TUResult> &Results, unsigned FileCount,
                  unsigned Failed, bool ToolError) -> int {
    std::vector<Finding> Findings = mergeFindings(Results);
    // NOLINT-ed findings (--keep-suppressed) go to SARIF only.
    Ctx.Suppressed.clear();
    for (Finding &F : Findings)
      if (F.Suppressed)
        Ctx.Suppressed.push_back(std::move(F));
    Findings.erase(
        std::remove_if(Findings.begin(), Findings.end(),
                       [](const Finding &F) { return F.Suppressed; }),
        Findings.end());
    Ctx.Results = &Results;
    // GitHub reads the category as what precedes the last '/': end it with
    // one, as github/codeql-action does.
    Ctx.Category = SarifCategory;
    if (Ctx.Category.empty() || Ctx.Category.back() != '/')
      Ctx.Category += '/';
    assignFingerprints(Findings, Ctx.SourceRoot);
    assignFingerprints(Ctx.Suppressed, Ctx.SourceRoot);
    if (!Baseline.empty()) {
      Ctx.HasBaseline = true;
      Ctx.Absent = applyBaseline(Findings, BaselineResults);
    }
    // The gate counts every finding, including any --max-results leaves out.
    unsigned Gating = 0;
    for (const Finding &F : Findings)
      if ((!Ctx.HasBaseline || F.BaselineState == "new") && FailOn != "never" &&
          levelRank(F.Level) >= levelRank(FailOn))
        ++Gating;
    Ctx.MaxResults = MaxResults;
    if (MaxResults)
      Ctx.Cut = limitFindings(Findings, MaxResults);
    if (Ctx.Cut)
      errs() << "threadlint: " << Ctx.Cut << " of " << Ctx.Cut + Findings.size()
             << " results left out (--max-results=" << MaxResults << ")\n";
    std::vector<Finding> NewOnly;
    if (Ctx.HasBaseline)
      for (const Finding &F : Findings)
        if (F.BaselineState == "new")
          NewOnly.push_back(F);
    std::string Main =
        Format == "sarif" ? formatSarif(Findings, Ctx)
        : Format == "json"
            ? formatJson(Findings, Ctx)
            : formatText(Ctx.HasBaseline ? NewOnly : Findings, Ctx);
    if (Output.empty()) {
      outs() << Main;
      outs().flush();
    } else if (std::string E = writeFileAtomically(Output, Main); !E.empty()) {
      return usageError("cannot write '" + Output + "': " + E);
    }
    if (!SarifOutput.empty())
      if (std::string E =
              writeFileAtomically(SarifOutput, formatSarif(Findings, Ctx));
          !E.empty())
        return usageError("cannot write '" + SarifOutput + "': " + E);
    if (!Quiet && Ctx.HasBaseline)
      errs() << "threadlint: " << NewOnly.size() << " new finding"
             << (NewOnly.size() == 1 ? "" : "s") << " ("
             << Findings.size() - NewOnly.size() << " unchanged, "
             << Ctx.Absent.size() << " absent since the baseline) in "
             << FileCount << (Merge ? " facts file" : " file")
             << (FileCount == 1 ? "" : "s")
             << (Failed ? ", " + std::to_string(Failed) + " not analysed" : "")
             << "\n";
    else if (!Quiet)
      errs() << "threadlint: " << Findings.size() << " finding"
             << (Findings.size() == 1 ? "" : "s") << " in " << FileCount
             << (Merge ? " facts file" : " file") << (FileCount == 1 ? "" : "s")
             << (Failed ? ", " + std::to_string(Failed) + " not analysed" : "")
             << "\n";
    if (Failed || ToolError)
      return 2;
    return Gating ? 1 : 0;
  };

  if (!LockGraphOutput.empty() && !LockOrder)
    return usageError("--lock-graph needs threadlint-lock-order, which "
                      "--checks disables");
  std::vector<std::string> Files;
  auto ProjectWide =
      [&](const std::string &Dir, const std::set<std::string> &Skip,
          std::vector<TUResult> &Results, FactsLoad &Load) -> bool {
    std::string Dot;
    TUResult Merged;
    std::set<std::string> MainFiles(Files.begin(), Files.end());
    Merged.Findings = lockOrderFindings(Dir, Skip, LockOrderRule->level(),
                                        HeaderFilter, MainFiles, Load, &Dot);
    Results.push_back(std::move(Merged));
    // A rejected facts file is a tool error: SARIF says so too.
    for (const std::string &E : Load.Errors) {
      TUResult Rejected;
      Rejected.File = E.substr(0, E.find(": "));
      Rejected.Failed = true;
      Rejected.Errors.push_back(E);
      Results.push_back(std::move(Rejected));
    }
    for (const std::string &E : Load.Errors)
      errs() << "threadlint: " << E << "\n";
    if (!LockGraphOutput.empty())
      if (std::string E = writeFileAtomically(LockGraphOutput, Dot);
          !E.empty()) {
        usageError("cannot write '" + LockGraphOutput + "': " + E);
        return false;
      }
    return true;
  };

  if (Merge) {
    if (Sources.size() != 1)
      return usageError("usage: threadlint merge <facts dir> [options]");
    if (!sys::fs::is_directory(Sources.front()))
      return usageError("'" + Sources.front() + "' is not a directory");
    if (!LockOrder)
      return usageError("merge reports threadlint-lock-order, which "
                        "--checks disables");
    std::vector<TUResult> Results;
    FactsLoad Load;
    if (!ProjectWide(Sources.front(), {}, Results, Load))
      return 2;
    if (Load.Files == 0 && Load.Errors.empty())
      return usageError("no facts files (*.facts.json) in '" + Sources.front() +
                        "'");
    return Emit(Results, Load.Files, 0, !Load.Errors.empty());
  }

  std::string Error;
  if (!BuildPath.empty()) {
    SmallString<256> JsonPath(BuildPath);
    if (sys::fs::is_directory(BuildPath))
      sys::path::append(JsonPath, "compile_commands.json");
    if (sys::fs::exists(JsonPath))
      DB = JSONCompilationDatabase::loadFromFile(
          JsonPath, Error, JSONCommandLineSyntax::AutoDetect);
    else if (sys::fs::is_directory(BuildPath))
      DB = CompilationDatabase::loadFromDirectory(BuildPath, Error);
    else
      Error = "no such file or directory";
    if (!DB) {
      std::replace(Error.begin(), Error.end(), '\n', ' ');
      return usageError("cannot load the compilation database from '" +
                        std::string(JsonPath) +
                        "': " + StringRef(Error).trim().str());
    }
  } else if (!DB && !Sources.empty()) {
    DB = CompilationDatabase::autoDetectFromSource(Sources.front(), Error);
    if (!DB)
      return usageError("no compilation database found for '" +
                        Sources.front() +
                        "'; pass -p <build dir> or compiler flags after --");
  }
  if (!DB)
    return usageError("nothing to analyse: pass -p <build dir>, or files "
                      "followed by -- and compiler flags");

  if (Sources.empty()) {
    Files = DB->getAllFiles();
    if (Files.empty())
      return usageError("the compilation database lists no files");
  } else {
    for (const std::string &S : Sources) {
      SmallString<256> Abs(S);
      sys::fs::make_absolute(Abs);
      sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
      Files.push_back(std::string(Abs));
    }
  }
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());

  RunOptions Run;
  Run.Checks = "-*," + Checks;
  Run.HeaderFilter = HeaderFilter;
  if (Config.getNumOccurrences())
    Run.Config = Config;
  Run.Jobs = Jobs ? Jobs : std::max(1u, std::thread::hardware_concurrency());
  Run.Progress = sys::Process::StandardErrIsDisplayed();
  Run.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  Run.KeepSuppressed = KeepSuppressed;
  // Lock-order cycles span translation units: each TU writes its facts and
  // the driver reports the cycles of the merged graph, once.
  SmallString<128> FactsDir;
  if (LockOrder) {
    if (std::error_code EC =
            sys::fs::createUniqueDirectory("threadlint-facts", FactsDir))
      return usageError("cannot create a temporary directory: " + EC.message());
    Run.CheckOptions["threadlint-lock-order.FactsDir"] = std::string(FactsDir);
    Run.CheckOptions["threadlint-lock-order.ReportInTranslationUnit"] = "false";
  }
  auto Start = std::chrono::steady_clock::now();
  std::vector<TUResult> Results = runAll(*DB, Files, Run);
  auto Analysed = std::chrono::steady_clock::now();

  unsigned Failed = 0;
  std::set<std::string> FailedFiles;
  for (const TUResult &R : Results)
    if (R.Failed) {
      ++Failed;
      FailedFiles.insert(R.File);
      for (const std::string &E : R.Errors)
        errs() << E << "\n";
      errs() << "threadlint: " << R.File
             << ": not analysed (the other files' results are kept)\n";
    }
  bool ToolError = false;
  if (LockOrder) {
    FactsLoad Load;
    ToolError =
        !ProjectWide(std::string(FactsDir), FailedFiles, Results, Load) ||
        !Load.Errors.empty();
    sys::fs::remove_directories(FactsDir);
  }
  if (Timings) {
    auto Seconds = [](auto D) {
      return std::chrono::duration<double>(D).count();
    };
    errs() << llvm::format(
        "threadlint: timings: analysis %.3f s, merge %.3f s\n",
        Seconds(Analysed - Start),
        Seconds(std::chrono::steady_clock::now() - Analysed));
  }
  return Emit(Results, static_cast<unsigned>(Files.size()), Failed, ToolError);
}
