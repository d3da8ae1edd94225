//===--- ThreadLintModule.cpp - registers every threadlint check ----------===//
//
// The plugin's entry point. Check names come from the table generated out of
// rules/*.json; a rule file without its <Class>Check does not compile.
//
//===----------------------------------------------------------------------===//

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#include "threadlint/CheckHeaders.inc"

namespace clang::tidy::threadlint {

class ThreadLintModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
#define THREADLINT_RULE(Class, Id, Json)                                       \
  Factories.registerCheck<Class##Check>("threadlint-" Id);
#include "threadlint/RuleTable.inc"
#undef THREADLINT_RULE
  }
};

static ClangTidyModuleRegistry::Add<ThreadLintModule>
    X("threadlint-module", "Finds concurrency bugs: deadlocks, blocking under "
                           "locks, races, thread lifetime errors.");

} // namespace clang::tidy::threadlint

// Referenced by the driver so that a static link keeps the registration.
volatile int ThreadLintModuleAnchorSource = 0;
