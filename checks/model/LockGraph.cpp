//===--- LockGraph.cpp - lock-order facts, their merge, and cycles --------===//

#include "LockGraph.h"
#include <algorithm>
#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

using nlohmann::json;

namespace threadlint::model {

bool SourcePos::operator<(const SourcePos &O) const {
  return std::tie(File, Line, Column) < std::tie(O.File, O.Line, O.Column);
}
bool SourcePos::operator==(const SourcePos &O) const {
  return std::tie(File, Line, Column) == std::tie(O.File, O.Line, O.Column);
}

namespace {

json posJson(const SourcePos &P) {
  return json::array({P.File, P.Line, P.Column});
}
SourcePos posFrom(const json &J) {
  return SourcePos{J.at(0).get<std::string>(), J.at(1).get<unsigned>(),
                   J.at(2).get<unsigned>()};
}
json stepsJson(const std::vector<Step> &S) {
  json A = json::array();
  for (const Step &X : S)
    A.push_back({{"at", posJson(X.Pos)}, {"text", X.Text}});
  return A;
}
std::vector<Step> stepsFrom(const json &J) {
  std::vector<Step> Out;
  for (const json &X : J)
    Out.push_back(Step{posFrom(X.at("at")), X.at("text").get<std::string>()});
  return Out;
}

std::string baseName(const std::string &Path) {
  auto Slash = Path.find_last_of('/');
  return Slash == std::string::npos ? Path : Path.substr(Slash + 1);
}

std::string where(const SourcePos &P) {
  return baseName(P.File) + ":" + std::to_string(P.Line);
}

/// Orders edges for the choice of an example and of a primary location.
bool earlier(const FactEdge &A, const FactEdge &B) {
  return std::tie(A.site(), A.acquiredAt(), A.HeldAt, A.Function) <
         std::tie(B.site(), B.acquiredAt(), B.HeldAt, B.Function);
}

} // namespace

std::string factsToJson(const TUFacts &F) {
  json J;
  J["format"] = "threadlint-facts";
  J["version"] = FactsVersion;
  J["tu"] = F.TU;
  json Locks = json::object();
  for (const auto &[K, L] : F.Locks)
    Locks[K] = {{"name", L.Name}, {"recursive", L.Recursive}};
  J["locks"] = Locks;
  json Fns = json::object();
  for (const auto &[Usr, Fn] : F.Functions) {
    json A = json::array(), C = json::array();
    for (const FactAcquire &X : Fn.Acquires)
      A.push_back({{"lock", X.Lock}, {"at", posJson(X.Site)}});
    for (const FactCall &X : Fn.Calls)
      C.push_back({{"callee", X.Callee},
                   {"name", X.CalleeName},
                   {"at", posJson(X.Site)}});
    Fns[Usr] = {{"name", Fn.Name}, {"acquires", A}, {"calls", C}};
  }
  J["functions"] = Fns;
  json E = json::array();
  for (const FactEdge &X : F.Edges)
    E.push_back({{"from", X.From},
                 {"to", X.To},
                 {"function", X.Function},
                 {"held_at", posJson(X.HeldAt)},
                 {"path", stepsJson(X.Path)}});
  J["edges"] = E;
  json H = json::array();
  for (const FactHeldCall &X : F.HeldCalls) {
    json Held = json::array();
    for (const HeldLockFact &L : X.Held)
      Held.push_back({{"lock", L.Lock}, {"at", posJson(L.Site)}});
    H.push_back({{"held", Held},
                 {"callee", X.Callee},
                 {"name", X.CalleeName},
                 {"function", X.Function},
                 {"at", posJson(X.Site)}});
  }
  J["held_calls"] = H;
  return J.dump(1) + "\n";
}

std::optional<TUFacts> factsFromJson(const std::string &Text,
                                     std::string &Error) {
  json J = json::parse(Text, nullptr, /*allow_exceptions=*/false);
  if (J.is_discarded() || !J.is_object()) {
    Error = "not a JSON object (corrupt or truncated)";
    return std::nullopt;
  }
  if (J.value("format", "") != "threadlint-facts") {
    Error = "not a threadlint facts file";
    return std::nullopt;
  }
  if (!J.contains("version") || !J["version"].is_number_integer() ||
      J["version"].get<int>() != FactsVersion) {
    Error = "facts version " +
            (J.contains("version") ? J["version"].dump() : std::string("?")) +
            ", this threadlint reads version " + std::to_string(FactsVersion) +
            "; analyse again with this version";
    return std::nullopt;
  }
  TUFacts F;
  try {
    F.TU = J.at("tu").get<std::string>();
    for (const auto &[K, L] : J.at("locks").items())
      F.Locks[K] = FactLock{L.at("name").get<std::string>(),
                            L.at("recursive").get<bool>()};
    for (const auto &[Usr, Fn] : J.at("functions").items()) {
      FactFunction Out;
      Out.Name = Fn.at("name").get<std::string>();
      for (const json &A : Fn.at("acquires"))
        Out.Acquires.push_back(
            FactAcquire{A.at("lock").get<std::string>(), posFrom(A.at("at"))});
      for (const json &C : Fn.at("calls"))
        Out.Calls.push_back(FactCall{C.at("callee").get<std::string>(),
                                     C.at("name").get<std::string>(),
                                     posFrom(C.at("at"))});
      F.Functions[Usr] = std::move(Out);
    }
    for (const json &E : J.at("edges")) {
      FactEdge X{E.at("from").get<std::string>(), E.at("to").get<std::string>(),
                 E.at("function").get<std::string>(), posFrom(E.at("held_at")),
                 stepsFrom(E.at("path"))};
      if (X.Path.empty())
        throw std::runtime_error("edge without a path");
      F.Edges.push_back(std::move(X));
    }
    for (const json &H : J.at("held_calls")) {
      FactHeldCall X;
      for (const json &L : H.at("held"))
        X.Held.push_back(
            HeldLockFact{L.at("lock").get<std::string>(), posFrom(L.at("at"))});
      X.Callee = H.at("callee").get<std::string>();
      X.CalleeName = H.at("name").get<std::string>();
      X.Function = H.at("function").get<std::string>();
      X.Site = posFrom(H.at("at"));
      F.HeldCalls.push_back(std::move(X));
    }
  } catch (const std::exception &E) {
    Error = std::string("malformed facts: ") + E.what();
    return std::nullopt;
  }
  return F;
}

LockGraph::LockGraph(const std::vector<TUFacts> &All) {
  std::map<std::string, const FactFunction *> Functions;
  auto AddEdge = [&](FactEdge E) {
    if (E.From == E.To || E.Path.empty())
      return;
    auto Key = std::make_pair(E.From, E.To);
    auto It = Edges.find(Key);
    if (It == Edges.end())
      Edges.emplace(Key, std::move(E));
    else if (earlier(E, It->second))
      It->second = std::move(E);
  };
  for (const TUFacts &F : All) {
    for (const auto &[K, L] : F.Locks)
      Locks.emplace(K, L);
    // A function defined in a header appears in every TU including it:
    // the first copy stands for all (they are the same code).
    for (const auto &[Usr, Fn] : F.Functions)
      Functions.emplace(Usr, &Fn);
    for (const FactEdge &E : F.Edges)
      AddEdge(E);
  }

  // What each function acquires, directly or through calls, with the path:
  // rounds over the whole call graph until nothing changes (each round is
  // linear in the facts; a path grows by one call per round).
  std::map<std::string, std::map<std::string, std::vector<Step>>> Acquires;
  for (const auto &[Usr, Fn] : Functions)
    for (const FactAcquire &A : Fn->Acquires)
      Acquires[Usr].emplace(
          A.Lock, std::vector<Step>{
                      Step{A.Site, "'" + name(A.Lock) + "' acquired here"}});
  constexpr int MaxRounds = 32;
  for (int Round = 0; Round < MaxRounds; ++Round) {
    bool Changed = false;
    for (const auto &[Usr, Fn] : Functions)
      for (const FactCall &C : Fn->Calls) {
        auto Callee = Acquires.find(C.Callee);
        if (Callee == Acquires.end() || C.Callee == Usr)
          continue;
        auto &Mine = Acquires[Usr];
        for (const auto &[Lock, Path] : Callee->second) {
          if (Mine.count(Lock))
            continue;
          std::vector<Step> P{
              Step{C.Site, "'" + Fn->Name + "' calls '" + C.CalleeName + "'"}};
          P.insert(P.end(), Path.begin(), Path.end());
          Mine.emplace(Lock, std::move(P));
          Changed = true;
        }
      }
    if (!Changed)
      break;
  }
  for (const TUFacts &F : All)
    for (const FactHeldCall &H : F.HeldCalls) {
      auto Callee = Acquires.find(H.Callee);
      if (Callee == Acquires.end())
        continue;
      for (const HeldLockFact &L : H.Held)
        for (const auto &[Lock, Path] : Callee->second) {
          // Re-taking a lock the caller already holds orders nothing.
          if (std::any_of(
                  H.Held.begin(), H.Held.end(),
                  [&](const HeldLockFact &X) { return X.Lock == Lock; }))
            continue;
          FactEdge E{L.Lock, Lock, H.Function, L.Site, {}};
          E.Path.push_back(Step{H.Site, "'" + H.Function + "' calls '" +
                                            H.CalleeName + "'"});
          E.Path.insert(E.Path.end(), Path.begin(), Path.end());
          AddEdge(std::move(E));
        }
    }
}

const std::string &LockGraph::name(const std::string &Key) const {
  auto It = Locks.find(Key);
  return It == Locks.end() ? Key : It->second.Name;
}

std::vector<LockCycle> LockGraph::cycles() const {
  std::map<std::string, std::vector<std::string>> Succ;
  std::set<std::string> Nodes;
  for (const auto &[Key, E] : Edges) {
    Succ[Key.first].push_back(Key.second);
    Nodes.insert(Key.first);
    Nodes.insert(Key.second);
  }
  // Tarjan's strongly connected components.
  std::map<std::string, int> Index, Low;
  std::set<std::string> OnStack;
  std::vector<std::string> Stack;
  std::vector<std::vector<std::string>> Sccs;
  int Counter = 0;
  std::function<void(const std::string &)> Visit = [&](const std::string &V) {
    Index[V] = Low[V] = Counter++;
    Stack.push_back(V);
    OnStack.insert(V);
    for (const std::string &W : Succ[V]) {
      if (!Index.count(W)) {
        Visit(W);
        Low[V] = std::min(Low[V], Low[W]);
      } else if (OnStack.count(W)) {
        Low[V] = std::min(Low[V], Index[W]);
      }
    }
    if (Low[V] == Index[V]) {
      std::vector<std::string> Scc;
      std::string W;
      do {
        W = Stack.back();
        Stack.pop_back();
        OnStack.erase(W);
        Scc.push_back(W);
      } while (W != V);
      std::sort(Scc.begin(), Scc.end());
      Sccs.push_back(std::move(Scc));
    }
  };
  for (const std::string &N : Nodes)
    if (!Index.count(N))
      Visit(N);

  std::vector<LockCycle> Out;
  for (const auto &Scc : Sccs) {
    if (Scc.size() < 2)
      continue;
    std::set<std::string> In(Scc.begin(), Scc.end());
    bool Pair = false;
    for (size_t I = 0; I < Scc.size(); ++I)
      for (size_t J = I + 1; J < Scc.size(); ++J) {
        auto AB = Edges.find({Scc[I], Scc[J]});
        auto BA = Edges.find({Scc[J], Scc[I]});
        if (AB != Edges.end() && BA != Edges.end()) {
          Out.push_back(LockCycle{{AB->second, BA->second}});
          Pair = true;
        }
      }
    if (Pair)
      continue;
    // One shortest cycle through the component's first lock.
    const std::string &Start = Scc.front();
    std::map<std::string, std::string> Parent;
    std::deque<std::string> Queue{Start};
    std::string Last;
    while (!Queue.empty() && Last.empty()) {
      std::string V = Queue.front();
      Queue.pop_front();
      std::vector<std::string> Next = Succ[V];
      std::sort(Next.begin(), Next.end());
      for (const std::string &W : Next) {
        if (!In.count(W))
          continue;
        if (W == Start) {
          Last = V;
          break;
        }
        if (!Parent.count(W)) {
          Parent[W] = V;
          Queue.push_back(W);
        }
      }
    }
    if (Last.empty())
      continue;
    std::vector<std::string> Path{Last};
    while (Path.back() != Start)
      Path.push_back(Parent[Path.back()]);
    std::reverse(Path.begin(), Path.end());
    LockCycle C;
    for (size_t I = 0; I < Path.size(); ++I)
      C.Edges.push_back(Edges.at({Path[I], Path[(I + 1) % Path.size()]}));
    Out.push_back(std::move(C));
  }
  std::sort(Out.begin(), Out.end(),
            [&](const LockCycle &A, const LockCycle &B) {
              return earlier(primary(A), primary(B));
            });
  return Out;
}

const FactEdge &LockGraph::primary(const LockCycle &C) const {
  const FactEdge *Best = &C.Edges.front();
  for (const FactEdge &E : C.Edges)
    if (earlier(E, *Best))
      Best = &E;
  return *Best;
}

/// The cycle's edges starting with the primary one.
static std::vector<const FactEdge *> rotated(const LockCycle &C,
                                             const FactEdge &First) {
  size_t Start = 0;
  for (size_t I = 0; I < C.Edges.size(); ++I)
    if (&C.Edges[I] == &First)
      Start = I;
  std::vector<const FactEdge *> Out;
  for (size_t I = 0; I < C.Edges.size(); ++I)
    Out.push_back(&C.Edges[(Start + I) % C.Edges.size()]);
  return Out;
}

std::string LockGraph::message(const LockCycle &C) const {
  auto Order = rotated(C, primary(C));
  const FactEdge &P = *Order.front();
  std::string M = "'" + name(P.To) + "' acquired while holding '" +
                  name(P.From) + "'; elsewhere ";
  for (size_t I = 1; I < Order.size(); ++I) {
    const FactEdge &E = *Order[I];
    if (I > 1)
      M += I + 1 == Order.size() ? ", and " : ", ";
    M += "'" + name(E.To) + "' " + (I == 1 ? "is acquired " : "") +
         "while holding '" + name(E.From) + "' (" + where(E.site()) + ")";
  }
  M += ": threads taking these paths at once deadlock";
  return M;
}

std::vector<std::vector<Step>> LockGraph::sides(const LockCycle &C) const {
  std::vector<std::vector<Step>> Out;
  for (const FactEdge *E : rotated(C, primary(C))) {
    std::vector<Step> S;
    S.push_back(Step{E->HeldAt, "'" + name(E->From) + "' acquired here, in '" +
                                    E->Function + "'"});
    S.insert(S.end(), E->Path.begin(), E->Path.end());
    S.back().Text = "'" + name(E->To) + "' acquired here while '" +
                    name(E->From) + "' is held";
    Out.push_back(std::move(S));
  }
  return Out;
}

std::string LockGraph::toDot() const {
  std::set<std::pair<std::string, std::string>> InCycle;
  for (const LockCycle &C : cycles())
    for (const FactEdge &E : C.Edges)
      InCycle.insert({E.From, E.To});
  std::map<std::string, std::string> Id;
  std::set<std::string> Nodes;
  for (const auto &[Key, E] : Edges) {
    Nodes.insert(Key.first);
    Nodes.insert(Key.second);
  }
  std::vector<std::pair<std::string, std::string>> Named;
  for (const std::string &N : Nodes)
    Named.push_back({name(N), N});
  std::sort(Named.begin(), Named.end());
  auto Quote = [](const std::string &S) {
    std::string Out = "\"";
    for (char C : S)
      Out +=
          (C == '"' || C == '\\') ? std::string("\\") + C : std::string(1, C);
    return Out + "\"";
  };
  std::string Out = "// Lock-order graph: an edge A -> B means B was acquired "
                    "while A was held.\n// Red edges form cycles: potential "
                    "deadlocks.\ndigraph locks {\n  rankdir=LR;\n  node "
                    "[shape=box, fontname=\"monospace\"];\n";
  for (size_t I = 0; I < Named.size(); ++I) {
    Id[Named[I].second] = "n" + std::to_string(I);
    Out +=
        "  n" + std::to_string(I) + " [label=" + Quote(Named[I].first) + "];\n";
  }
  std::vector<const FactEdge *> Sorted;
  for (const auto &[Key, E] : Edges)
    Sorted.push_back(&E);
  std::sort(Sorted.begin(), Sorted.end(),
            [&](const FactEdge *A, const FactEdge *B) {
              return std::tie(Id[A->From], Id[A->To]) <
                     std::tie(Id[B->From], Id[B->To]);
            });
  for (const FactEdge *E : Sorted) {
    Out += "  " + Id[E->From] + " -> " + Id[E->To] +
           " [label=" + Quote(where(E->site())) + "";
    if (InCycle.count({E->From, E->To}))
      Out += ", color=red, fontcolor=red, penwidth=2";
    Out += "];\n";
  }
  return Out + "}\n";
}

} // namespace threadlint::model
