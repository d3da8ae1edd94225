//===--- Runner.cpp - analyse translation units in parallel ---------------===//

#include "Runner.h"
#include "SourceText.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace clang;
using namespace clang::tidy;

namespace threadlint {

namespace {

/// Source files as clang-tidy would read them, with the NOLINT markers made
/// unrecognisable (same length, so offsets and columns do not move):
/// clang-tidy then reports what they suppress, and the driver marks those
/// findings itself (SourceText::suppressedByNolint) to keep them for audits.
class NolintBlindFileSystem : public llvm::vfs::ProxyFileSystem {
public:
  using ProxyFileSystem::ProxyFileSystem;

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override {
    auto F = ProxyFileSystem::openFileForRead(Path);
    if (!F)
      return F;
    auto Status = (*F)->status();
    auto Buffer = (*F)->getBuffer(Path);
    if (!Status || !Buffer)
      return ProxyFileSystem::openFileForRead(Path);
    llvm::StringRef Text = (*Buffer)->getBuffer();
    if (Text.find("NOLINT") == llvm::StringRef::npos)
      return ProxyFileSystem::openFileForRead(Path);
    std::string Copy = Text.str();
    for (size_t At = Copy.find("NOLINT"); At != std::string::npos;
         At = Copy.find("NOLINT", At + 6))
      Copy[At + 5] = 'X'; // NOLINX
    return std::unique_ptr<llvm::vfs::File>(
        new BlindFile(*Status, llvm::MemoryBuffer::getMemBufferCopy(
                                   Copy, (*Buffer)->getBufferIdentifier())));
  }

private:
  class BlindFile : public llvm::vfs::File {
  public:
    BlindFile(llvm::vfs::Status S, std::unique_ptr<llvm::MemoryBuffer> B)
        : S(std::move(S)), B(std::move(B)) {}
    llvm::ErrorOr<llvm::vfs::Status> status() override { return S; }
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
    getBuffer(const llvm::Twine &Name, int64_t, bool, bool) override {
      return llvm::MemoryBuffer::getMemBufferCopy(B->getBuffer(),
                                                  B->getBufferIdentifier());
    }
    std::error_code close() override { return {}; }

  private:
    llvm::vfs::Status S;
    std::unique_ptr<llvm::MemoryBuffer> B;
  };
};

const char *levelName(tooling::Diagnostic::Level L) {
  switch (L) {
  case tooling::Diagnostic::Error:
    return "error";
  case tooling::Diagnostic::Warning:
    return "warning";
  case tooling::Diagnostic::Remark:
    return "remark";
  default:
    return "note";
  }
}

Position positionOf(const tooling::DiagnosticMessage &M,
                    const std::string &BuildDirectory) {
  Position P;
  llvm::SmallString<256> Path(M.FilePath);
  if (!llvm::sys::path::is_absolute(Path)) {
    llvm::SmallString<256> Abs(BuildDirectory);
    llvm::sys::path::append(Abs, Path);
    Path = Abs;
  }
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  P.File = std::string(Path);
  SourceText::lineAndColumn(P.File, M.FileOffset, P);
  return P;
}

TUResult analyseOne(const tooling::CompilationDatabase &DB,
                    const std::string &File, const RunOptions &Options) {
  TUResult R;
  R.File = File;
  if (!llvm::sys::fs::exists(File)) {
    R.Failed = true;
    R.Errors.push_back(File + ": error: no such file");
    return R;
  }
  if (DB.getCompileCommands(File).empty()) {
    R.Failed = true;
    R.Errors.push_back(File + ": error: no compile command for this file in "
                              "the compilation database");
    return R;
  }

  // A physical file system of its own: each one keeps its own working
  // directory, so translation units on other threads are not disturbed.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Base =
      llvm::vfs::createPhysicalFileSystem();
  if (Options.KeepSuppressed)
    Base = new NolintBlindFileSystem(Base);
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS(
      new llvm::vfs::OverlayFileSystem(Base));

  ClangTidyGlobalOptions Global;
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  ClangTidyOptions Overrides;
  Overrides.Checks = Options.Checks;
  Overrides.HeaderFilterRegex = Options.HeaderFilter;
  Overrides.SystemHeaders = false;
  // Clang's builtin headers live next to the compiler, not next to us.
  Overrides.ExtraArgsBefore =
      std::vector<std::string>{"-resource-dir=" THREADLINT_RESOURCE_DIR,
                               // no "N warnings generated." lines
                               "-fno-caret-diagnostics"};
  Overrides.ExtraArgs = Options.ExtraArgs;
  for (const auto &[Key, Value] : Options.CheckOptions)
    Overrides.CheckOptions[Key] = ClangTidyOptions::ClangTidyValue(Value);
  std::unique_ptr<ClangTidyOptionsProvider> Provider;
  if (Options.Config) {
    auto Parsed =
        parseConfiguration(llvm::MemoryBufferRef(*Options.Config, "--config"));
    if (!Parsed) {
      R.Failed = true;
      R.Errors.push_back("error: invalid --config: " +
                         Parsed.getError().message());
      return R;
    }
    Provider = std::make_unique<ConfigOptionsProvider>(Global, Defaults,
                                                       *Parsed, Overrides, FS);
  } else {
    Provider =
        std::make_unique<FileOptionsProvider>(Global, Defaults, Overrides, FS);
  }
  ClangTidyContext Context(std::move(Provider));
  std::vector<ClangTidyError> Errors =
      runClangTidy(Context, DB, {File}, FS, /*ApplyAnyFix=*/false);

  for (const ClangTidyError &E : Errors) {
    llvm::StringRef Name = E.DiagnosticName;
    if (Name.starts_with("clang-diagnostic-")) {
      if (E.DiagLevel == tooling::Diagnostic::Error) {
        R.Failed = true;
        Position P = positionOf(E.Message, E.BuildDirectory);
        R.Errors.push_back(P.File + ":" + std::to_string(P.Line) + ":" +
                           std::to_string(P.Column) +
                           ": error: " + E.Message.Message);
      }
      continue;
    }
    if (Name.starts_with("clang-tidy-config") &&
        E.DiagLevel == tooling::Diagnostic::Error) {
      R.Failed = true;
      R.Errors.push_back(File + ": error: " + E.Message.Message);
      continue;
    }
    if (!Name.consume_front("threadlint-"))
      continue;
    Finding F;
    F.RuleId = Name.str();
    F.Level = levelName(E.DiagLevel);
    F.Message = E.Message.Message;
    F.Where = positionOf(E.Message, E.BuildDirectory);
    for (const tooling::DiagnosticMessage &N : E.Notes)
      F.Notes.push_back(TraceStep{positionOf(N, E.BuildDirectory), N.Message});
    if (Options.KeepSuppressed)
      F.Suppressed = SourceText::suppressedByNolint(F.Where.File, F.Where.Line,
                                                    "threadlint-" + F.RuleId);
    R.Findings.push_back(std::move(F));
  }
  // Code that did not parse gives an AST with holes; what the checks say
  // about it cannot be trusted, so the translation unit reports its errors
  // instead.
  if (R.Failed)
    R.Findings.clear();
  return R;
}

} // namespace

std::vector<TUResult> runAll(const tooling::CompilationDatabase &DB,
                             const std::vector<std::string> &Files,
                             const RunOptions &Options) {
  std::vector<TUResult> Results(Files.size());
  std::atomic<size_t> Next{0};
  std::atomic<size_t> Done{0};
  std::mutex ProgressMu;
  llvm::CrashRecoveryContext::Enable();

  auto Worker = [&] {
    for (;;) {
      size_t I = Next++;
      if (I >= Files.size())
        return;
      TUResult R;
      llvm::CrashRecoveryContext CRC;
      bool Ok = CRC.RunSafely([&] { R = analyseOne(DB, Files[I], Options); });
      if (!Ok) {
        R = TUResult();
        R.File = Files[I];
        R.Failed = true;
        R.Errors.push_back(Files[I] +
                           ": error: threadlint crashed on this file");
      }
      Results[I] = std::move(R);
      size_t N = ++Done;
      if (Options.Progress) {
        std::lock_guard<std::mutex> Lock(ProgressMu);
        std::fprintf(stderr, "\r\033[K[%zu/%zu] %s", N, Files.size(),
                     llvm::sys::path::filename(Files[I]).str().c_str());
        std::fflush(stderr);
      }
    }
  };
  unsigned Jobs = std::max(1u, std::min<unsigned>(Options.Jobs, Files.size()));
  std::vector<std::thread> Threads;
  for (unsigned J = 1; J < Jobs; ++J)
    Threads.emplace_back(Worker);
  Worker();
  for (std::thread &T : Threads)
    T.join();
  if (Options.Progress && !Files.empty())
    std::fprintf(stderr, "\r\033[K");
  return Results;
}

} // namespace threadlint
