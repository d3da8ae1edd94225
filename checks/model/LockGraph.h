//===--- LockGraph.h - lock-order facts, their merge, and cycles -*- C++
//-*-===//
//
// Design note. Each translation unit (TU) contributes facts: the order edges
// it saw ("B acquired while A held", with where A was taken and the path to
// B's acquisition), the locks each of its functions acquires directly, the
// calls each makes, and the calls it makes while holding locks into functions
// it has no body for. Merging all TUs' facts completes the graph: a call made
// while holding A into a function defined elsewhere adds A -> X for every X
// that function acquires, directly or through its own calls (computed over
// the whole program's call graph). Locks are identified by a key that is the
// same in every TU (a USR), so a cycle whose halves live in different files
// is one cycle. The merge is linear in the size of the facts plus the cycle
// search; facts from a header seen by many TUs collapse into one edge.
//
// This file has no Clang dependency: the driver, the merge subcommand and
// the lock-order check all use it.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_LOCKGRAPH_H
#define THREADLINT_MODEL_LOCKGRAPH_H

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace threadlint::model {

constexpr int FactsVersion = 1;

struct SourcePos {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  bool operator<(const SourcePos &O) const;
  bool operator==(const SourcePos &O) const;
};

struct Step {
  SourcePos Pos;
  std::string Text;
};

struct FactLock {
  std::string Name;
  bool Recursive = false;
};

struct FactAcquire {
  std::string Lock;
  SourcePos Site;
};

struct FactCall {
  std::string Callee; ///< USR
  std::string CalleeName;
  SourcePos Site;
};

struct FactFunction {
  std::string Name;
  std::vector<FactAcquire> Acquires;
  std::vector<FactCall> Calls;
};

/// "To acquired while From held", seen in function Function.
struct FactEdge {
  std::string From;
  std::string To;
  std::string Function;
  SourcePos HeldAt;
  /// From the call made while holding From (if any) down to the acquisition
  /// of To; the last step is the acquisition.
  std::vector<Step> Path;

  const SourcePos &acquiredAt() const { return Path.back().Pos; }
  /// The statement, in the function holding From, that acquires To or calls
  /// towards its acquisition: the line to change.
  const SourcePos &site() const { return Path.front().Pos; }
};

struct HeldLockFact {
  std::string Lock;
  SourcePos Site;
};

/// A call made while holding locks into a function with no body in the TU.
struct FactHeldCall {
  std::vector<HeldLockFact> Held;
  std::string Callee; ///< USR
  std::string CalleeName;
  std::string Function;
  SourcePos Site;
};

struct TUFacts {
  std::string TU;
  std::map<std::string, FactLock> Locks;
  std::map<std::string, FactFunction> Functions; ///< by USR
  std::vector<FactEdge> Edges;
  std::vector<FactHeldCall> HeldCalls;
};

/// Versioned JSON text of a TU's facts.
std::string factsToJson(const TUFacts &F);
/// Parses facts; on failure returns nullopt and says why in \p Error.
std::optional<TUFacts> factsFromJson(const std::string &Text,
                                     std::string &Error);

/// A lock-order cycle: its edges in order (Edges[i].To == Edges[i+1].From).
struct LockCycle {
  std::vector<FactEdge> Edges;
};

class LockGraph {
public:
  /// Merges the facts of every TU into one graph.
  explicit LockGraph(const std::vector<TUFacts> &All);

  /// Every cycle once: each pair of locks taken in both orders, and for
  /// larger strongly connected components without such a pair, one shortest
  /// cycle. Deterministic order.
  std::vector<LockCycle> cycles() const;

  const std::string &name(const std::string &Key) const;

  /// The graph for Graphviz: locks as nodes, one example site per edge,
  /// cycle edges in red.
  std::string toDot() const;

  /// The message and the trace of a cycle, as users read them.
  std::string message(const LockCycle &C) const;
  /// One trace per thread (side of the cycle), each in order.
  std::vector<std::vector<Step>> sides(const LockCycle &C) const;
  /// Where the cycle is reported: the earliest of its edges' sites (the
  /// acquisition, or the call leading to it, in the function holding the
  /// other lock), chosen the same way whatever order the facts came in.
  const FactEdge &primary(const LockCycle &C) const;

private:
  std::map<std::string, FactLock> Locks;
  /// (From, To) -> the example edge with the smallest acquisition position.
  std::map<std::pair<std::string, std::string>, FactEdge> Edges;
};

} // namespace threadlint::model

#endif
