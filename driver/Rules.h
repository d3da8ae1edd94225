//===--- Rules.h - rule metadata from rules/*.json -------------*- C++ -*-===//
#ifndef THREADLINT_DRIVER_RULES_H
#define THREADLINT_DRIVER_RULES_H

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace threadlint {

struct RuleInfo {
  std::string Id; ///< "blocking-in-critical-section"
  nlohmann::json Meta;

  std::string checkName() const { return "threadlint-" + Id; }
  std::string level() const { return Meta.value("level", "warning"); }
};

/// Every rule, sorted by id; generated from rules/*.json at build time.
const std::vector<RuleInfo> &allRules();
const RuleInfo *findRule(const std::string &Id);

} // namespace threadlint

#endif
