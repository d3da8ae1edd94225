//===--- ModelConfig.cpp --------------------------------------------------===//

#include "ModelConfig.h"
#include "llvm/ADT/StringExtras.h"

namespace threadlint::model {

std::vector<std::string> splitList(const std::string &Value) {
  std::vector<std::string> Out;
  llvm::StringRef Rest(Value);
  while (!Rest.empty()) {
    auto [Item, Tail] = Rest.split(';');
    for (llvm::StringRef Part : llvm::split(Item, ',')) {
      Part = Part.trim();
      if (!Part.empty())
        Out.push_back(Part.str());
    }
    Rest = Tail;
  }
  return Out;
}

static std::string join(const std::vector<std::string> &Items) {
  std::string Out;
  for (const std::string &I : Items)
    Out += I + ";";
  return Out;
}

std::string ModelConfig::key() const {
  return join(LockTypes) + (BasicLockableIsLock ? "|basic" : "|nobasic") + "|" +
         join(ThreadStartFunctions);
}

std::string BlockingConfig::key() const {
  return join(Extra) + "|" + join(Excluded);
}

} // namespace threadlint::model
