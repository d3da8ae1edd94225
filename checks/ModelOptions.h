//===--- ModelOptions.h - the options every rule shares ---------*- C++ -*-===//
//
// LockTypes and ThreadStartFunctions describe the program, not a rule: every
// check reads them as global options (a check-local value wins, as
// clang-tidy does it), so that all rules of a run share one model.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODELOPTIONS_H
#define THREADLINT_CHECKS_MODELOPTIONS_H

#include "clang-tidy/ClangTidyCheck.h"
#include "model/ModelConfig.h"

namespace clang::tidy::threadlint {

class ModelOptions {
public:
  explicit ModelOptions(ClangTidyCheck::OptionsView &Options)
      : RawLockTypes(Options.getLocalOrGlobal("LockTypes", "")),
        RawThreadStarts(Options.getLocalOrGlobal("ThreadStartFunctions", "")) {
    Config.LockTypes = ::threadlint::model::splitList(RawLockTypes);
    Config.ThreadStartFunctions =
        ::threadlint::model::splitList(RawThreadStarts);
  }

  void store(ClangTidyCheck::OptionsView &Options,
             ClangTidyOptions::OptionMap &Opts) const {
    Options.store(Opts, "LockTypes", RawLockTypes);
    Options.store(Opts, "ThreadStartFunctions", RawThreadStarts);
  }

  const ::threadlint::model::ModelConfig &config() const { return Config; }

private:
  std::string RawLockTypes;
  std::string RawThreadStarts;
  ::threadlint::model::ModelConfig Config;
};

} // namespace clang::tidy::threadlint

#endif
