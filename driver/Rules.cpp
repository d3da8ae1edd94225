//===--- Rules.cpp - rule metadata from rules/*.json ----------------------===//

#include "Rules.h"
#include <algorithm>

namespace threadlint {

const std::vector<RuleInfo> &allRules() {
  static const std::vector<RuleInfo> Rules = [] {
    std::vector<RuleInfo> Out;
#define THREADLINT_RULE(Class, Id, Json)                                       \
  Out.push_back(RuleInfo{Id, nlohmann::json::parse(Json)});
#include "threadlint/RuleTable.inc"
#undef THREADLINT_RULE
    std::sort(Out.begin(), Out.end(),
              [](const RuleInfo &A, const RuleInfo &B) { return A.Id < B.Id; });
    return Out;
  }();
  return Rules;
}

const RuleInfo *findRule(const std::string &Id) {
  for (const RuleInfo &R : allRules())
    if (R.Id == Id)
      return &R;
  return nullptr;
}

} // namespace threadlint
