//===--- TUModel.cpp - the concurrency model of one translation unit ------===//

#include "TUModel.h"
#include "Accesses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>

using namespace clang;

namespace threadlint::model {

namespace {

/// Finds the functions to analyse: definitions outside system headers,
/// template instantiations included, and lambda bodies.
class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
public:
  FunctionCollector(const SourceManager &SM,
                    std::vector<const FunctionDecl *> &Out)
      : SM(SM), Out(Out) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBodies() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    // The standard library is described by tables, not analysed: skipping
    // system headers here is also what keeps the model cheap.
    if (!isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    add(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *LE) {
    add(LE->getCallOperator());
    // A generic lambda's body is analysed in each of its instantiations.
    if (const FunctionTemplateDecl *FTD = LE->getDependentCallOperator())
      for (const FunctionDecl *Spec : FTD->specializations())
        add(Spec);
    return true;
  }

private:
  void add(const FunctionDecl *FD) {
    if (!FD || !FD->doesThisDeclarationHaveABody() || !FD->getBody() ||
        FD->isDependentContext() || FD->isInvalidDecl() || FD->isDeleted() ||
        FD->isDefaulted() || FD->isImplicit())
      return;
    if (Seen.insert(FD).second)
      Out.push_back(FD);
  }

  const SourceManager &SM;
  std::vector<const FunctionDecl *> &Out;
  llvm::DenseSet<const FunctionDecl *> Seen;
};

} // namespace

struct TUModel::Impl {
  ASTContext &Ctx;
  ModelConfig Config;
  std::vector<const FunctionDecl *> Order; // callees before callers
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<CFG>> Cfgs;
  llvm::DenseMap<const FunctionDecl *, FunctionLocks> Locks;
  std::map<std::string, llvm::DenseMap<const FunctionDecl *, MayBlock>>
      MayBlockByConfig;
  std::vector<std::vector<const FunctionDecl *>> Sccs;
  std::optional<
      llvm::DenseMap<const FunctionDecl *, std::vector<TransitiveAcquire>>>
      Acquires;
  void computeAcquires();
  std::optional<std::set<std::string>> RecursiveAtRunTime;
  std::optional<llvm::DenseMap<const FunctionDecl *, ThrowChain>> MayThrow;
  void computeMayThrow();
  std::optional<std::vector<std::pair<const FunctionDecl *, ThreadStart>>>
      Starts;
  llvm::DenseMap<const FunctionDecl *, std::vector<ThreadLeak>> Leaks;
  std::unique_ptr<SharedAccesses> Accesses;

  /// Visits each analysed function callees first; a recursive component
  /// twice, so that its members see each other's summaries.
  template <typename Fn> void bottomUp(Fn Visit) {
    for (const auto &Scc : Sccs)
      for (int Round = 0; Round < (Scc.size() > 1 ? 2 : 1); ++Round)
        for (const FunctionDecl *FD : Scc) {
          auto It = Locks.find(FD);
          if (It != Locks.end() && It->second.Analysed)
            Visit(FD, It->second);
        }
  }

  Impl(ASTContext &Ctx, ModelConfig Config)
      : Ctx(Ctx), Config(std::move(Config)) {}

  void build();
  void computeMayBlock(llvm::DenseMap<const FunctionDecl *, MayBlock> &Out,
                       const BlockingConfig &BC);
};

void TUModel::Impl::build() {
  std::vector<const FunctionDecl *> Functions;
  FunctionCollector(Ctx.getSourceManager(), Functions)
      .TraverseDecl(Ctx.getTranslationUnitDecl());

  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddInitializers = true;
  Opts.AddCXXDefaultInitExprInCtors = true;
  Opts.setAllAlwaysAdd();

  llvm::DenseMap<const FunctionDecl *, unsigned> Index;
  std::vector<std::vector<unsigned>> Edges(Functions.size());
  for (unsigned I = 0; I < Functions.size(); ++I)
    Index[Functions[I]] = I;
  for (unsigned I = 0; I < Functions.size(); ++I) {
    const FunctionDecl *FD = Functions[I];
    std::unique_ptr<CFG> G = CFG::buildCFG(FD, FD->getBody(), &Ctx, Opts);
    if (!G)
      continue;
    for (const CFGBlock *B : *G)
      for (const CFGElement &E : *B)
        if (auto CS = E.getAs<CFGStmt>())
          if (const auto *Call = dyn_cast<Expr>(CS->getStmt()))
            if (isa<CallExpr, CXXConstructExpr>(Call))
              if (const FunctionDecl *Callee = calleeOf(Call)) {
                auto It = Index.find(Callee);
                if (It != Index.end())
                  Edges[I].push_back(It->second);
              }
    Cfgs[FD] = std::move(G);
  }

  // Tarjan's algorithm emits each strongly connected component after every
  // component it calls into: exactly the bottom-up order summaries need.
  std::vector<int> Low(Functions.size(), -1), Num(Functions.size(), -1);
  std::vector<char> OnStack(Functions.size(), 0);
  std::vector<unsigned> Stack;
  int Counter = 0;
  std::function<void(unsigned)> Visit = [&](unsigned V) {
    Num[V] = Low[V] = Counter++;
    Stack.push_back(V);
    OnStack[V] = 1;
    for (unsigned W : Edges[V]) {
      if (Num[W] < 0) {
        Visit(W);
        Low[V] = std::min(Low[V], Low[W]);
      } else if (OnStack[W]) {
        Low[V] = std::min(Low[V], Num[W]);
      }
    }
    if (Low[V] == Num[V]) {
      std::vector<const FunctionDecl *> Scc;
      unsigned W;
      do {
        W = Stack.back();
        Stack.pop_back();
        OnStack[W] = 0;
        Scc.push_back(Functions[W]);
      } while (W != V);
      std::reverse(Scc.begin(), Scc.end());
      Sccs.push_back(std::move(Scc));
    }
  };
  for (unsigned I = 0; I < Functions.size(); ++I)
    if (Num[I] < 0)
      Visit(I);

  auto Lookup = [this](const FunctionDecl *FD) -> const LockSummary * {
    auto It = Locks.find(FD);
    if (It == Locks.end() || !It->second.Analysed)
      return nullptr;
    return &It->second.Summary;
  };
  for (const auto &Scc : Sccs) {
    constexpr int MaxRounds = 4;
    for (int Round = 0; Round < MaxRounds; ++Round) {
      bool Changed = false;
      for (const FunctionDecl *FD : Scc) {
        auto CIt = Cfgs.find(FD);
        if (CIt == Cfgs.end())
          continue;
        FunctionLocks FL =
            analyzeHeldLocks(FD, *CIt->second, Ctx, Config, Lookup);
        auto Old = Locks.find(FD);
        if (Old == Locks.end() || !(Old->second.Summary == FL.Summary))
          Changed = true;
        Locks[FD] = std::move(FL);
      }
      if (!Changed || Scc.size() == 1)
        break;
    }
    for (const FunctionDecl *FD : Scc)
      Order.push_back(FD);
  }
}

void TUModel::Impl::computeMayBlock(
    llvm::DenseMap<const FunctionDecl *, MayBlock> &Out,
    const BlockingConfig &BC) {
  const SourceManager &SM = Ctx.getSourceManager();
  auto Visible = [](const LockRef &L) {
    return L.ParamIndex >= 0 || !L.GlobalKey.empty();
  };
  bottomUp([&](const FunctionDecl *FD, const FunctionLocks &FL) {
    if (Out.count(FD))
      return;
    // A direct blocking call first: the shortest explanation.
    bool Found = false;
    for (const CallSite &C : FL.Calls) {
      auto B = classifyBlockingCall(C.Call, BC);
      if (!B)
        continue;
      MayBlock M{*B, {}, {}};
      M.Chain.push_back(
          {C.Call->getBeginLoc(),
           "'" + B->Name + "' " + describeBlockKind(B->Kind) + " here"});
      for (const HeldLock &H : C.Released)
        M.ReleasedBefore.push_back(H.Lock);
      if (B->WaitLock)
        for (const LockRef &L : FL.locksNamedBy(B->WaitLock, Ctx, Config))
          if (Visible(L))
            M.ReleasedBefore.push_back(L);
      Out[FD] = std::move(M);
      Found = true;
      break;
    }
    if (Found)
      return;
    for (const CallSite &C : FL.Calls) {
      if (!C.Callee || C.Callee == FD)
        continue;
      auto CIt = Out.find(C.Callee);
      if (CIt == Out.end())
        continue;
      MayBlock M{CIt->second.Blocker, {}, {}};
      for (const HeldLock &H : C.Released)
        M.ReleasedBefore.push_back(H.Lock);
      for (const LockRef &L : CIt->second.ReleasedBefore)
        for (const LockRef &Mapped : mapCalleeLock(FL, L, C.Call, Ctx, Config))
          if (Visible(Mapped))
            M.ReleasedBefore.push_back(Mapped);
      M.Chain.push_back(
          {C.Call->getBeginLoc(), "'" + functionName(FD, SM) + "' calls '" +
                                      functionName(C.Callee, SM) + "'"});
      M.Chain.insert(M.Chain.end(), CIt->second.Chain.begin(),
                     CIt->second.Chain.end());
      Out[FD] = std::move(M);
      break;
    }
  });
}

void TUModel::Impl::computeAcquires() {
  Acquires.emplace();
  auto &Out = *Acquires;
  const SourceManager &SM = Ctx.getSourceManager();
  constexpr size_t MaxPerFunction = 64; // the budget per function
  bottomUp([&](const FunctionDecl *FD, const FunctionLocks &FL) {
    std::vector<TransitiveAcquire> &Mine = Out[FD];
    auto Has = [&](const std::string &Key) {
      return std::any_of(
          Mine.begin(), Mine.end(),
          [&](const TransitiveAcquire &T) { return T.Lock.Key == Key; });
    };
    for (const Acquisition &A : FL.Acquisitions) {
      if (Mine.size() >= MaxPerFunction || Has(A.Lock.Lock.Key))
        continue;
      Mine.push_back(
          TransitiveAcquire{A.Lock.Lock,
                            A.Lock.Shared,
                            {ChainStep{A.Lock.Site, "'" + A.Lock.Lock.Name +
                                                        "' acquired here"}}});
    }
    for (const CallSite &C : FL.Calls) {
      if (!C.Callee || C.Callee == FD)
        continue;
      auto CIt = Out.find(C.Callee);
      if (CIt == Out.end())
        continue;
      for (const TransitiveAcquire &T : CIt->second)
        for (const LockRef &M :
             mapCalleeLock(FL, T.Lock, C.Call, Ctx, Config)) {
          if (Mine.size() >= MaxPerFunction || Has(M.Key))
            continue;
          TransitiveAcquire X{M, T.Shared, {}};
          X.Path.push_back(ChainStep{C.Call->getBeginLoc(),
                                     "'" + functionName(FD, SM) + "' calls '" +
                                         functionName(C.Callee, SM) + "'"});
          X.Path.insert(X.Path.end(), T.Path.begin(), T.Path.end());
          Mine.push_back(std::move(X));
        }
    }
  });
}

const std::vector<TransitiveAcquire> *
TUModel::acquires(const FunctionDecl *FD) {
  if (!P->Acquires)
    P->computeAcquires();
  auto It = P->Acquires->find(FD);
  return It == P->Acquires->end() ? nullptr : &It->second;
}

namespace {
/// Locks made recursive at run time: mtx_init(&m, mtx_plain | mtx_recursive),
/// pthread_mutex_init(&m, &attr) after
/// pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE), and globals
/// initialised with PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP (testdata:
/// recursive-lock/pthread_recursive.c, c11_threads.c).
std::set<std::string> computeRecursiveAtRunTime(TUModel &Model) {
  ASTContext &Ctx = Model.context();
  const SourceManager &SM = Ctx.getSourceManager();
  auto Text = [&](const Expr *E) {
    return Lexer::getSourceText(
               CharSourceRange::getTokenRange(E->getSourceRange()), SM,
               Ctx.getLangOpts())
        .str();
  };
  auto VarOf = [](const Expr *E) -> const VarDecl * {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      E = UO->getSubExpr()->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(DRE->getDecl());
    return nullptr;
  };
  std::set<std::string> Keys;
  std::set<const VarDecl *> RecursiveAttrs;
  for (int Pass = 0; Pass < 2; ++Pass)
    for (const FunctionDecl *FD : Model.functions()) {
      const FunctionLocks *FL = Model.locks(FD);
      if (!FL)
        continue;
      for (const CallSite &C : FL->Calls) {
        const auto *CE = dyn_cast<CallExpr>(C.Call);
        if (!C.Callee || !CE || CE->getNumArgs() < 2 ||
            !C.Callee->getDeclName().isIdentifier())
          continue;
        llvm::StringRef Name = C.Callee->getName();
        bool Recursive = false;
        if (Name == "pthread_mutexattr_settype") {
          if (Text(CE->getArg(1)).find("RECURSIVE") != std::string::npos)
            if (const VarDecl *Attr = VarOf(CE->getArg(0)))
              RecursiveAttrs.insert(Attr);
          continue;
        }
        if (Name == "mtx_init")
          Recursive =
              Text(CE->getArg(1)).find("mtx_recursive") != std::string::npos;
        else if (Name == "pthread_mutex_init")
          Recursive = RecursiveAttrs.count(VarOf(CE->getArg(1)));
        if (!Recursive)
          continue;
        for (const LockRef &L :
             FL->locksNamedBy(CE->getArg(0), Ctx, Model.config())) {
          Keys.insert(L.Key);
          if (!L.GlobalKey.empty())
            Keys.insert(L.GlobalKey);
        }
      }
    }
  // Globals and statics, in namespaces too.
  std::vector<const DeclContext *> Contexts{Ctx.getTranslationUnitDecl()};
  std::vector<const VarDecl *> Globals;
  while (!Contexts.empty()) {
    const DeclContext *DC = Contexts.back();
    Contexts.pop_back();
    for (const Decl *D : DC->decls()) {
      if (const auto *NS = dyn_cast<NamespaceDecl>(D))
        Contexts.push_back(NS);
      else if (const auto *VD = dyn_cast<VarDecl>(D))
        Globals.push_back(VD);
    }
  }
  for (const VarDecl *VD : Globals)
    if (VD->getInit() &&
        Text(VD->getInit()).find("RECURSIVE") != std::string::npos) {
      // A global lock's key is its USR (resolveLock).
      if (std::string Usr = usrOf(VD); !Usr.empty())
        Keys.insert(Usr);
    }
  return Keys;
}

} // namespace

const std::set<std::string> &TUModel::recursiveAtRunTime() {
  if (!P->RecursiveAtRunTime)
    P->RecursiveAtRunTime = computeRecursiveAtRunTime(*this);
  return *P->RecursiveAtRunTime;
}

namespace {
/// Visits the statements of one function body, skipping the bodies of
/// lambdas (functions of their own), and says whether each sits in the try
/// block of a try statement of this function.
void walkBody(const Stmt *S, bool InTry,
              llvm::function_ref<void(const Stmt *, bool)> Fn) {
  if (!S)
    return;
  Fn(S, InTry);
  if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *Init : LE->capture_inits())
      walkBody(Init, InTry, Fn);
    return;
  }
  if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
    walkBody(Try->getTryBlock(), true, Fn);
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      walkBody(Try->getHandler(I), InTry, Fn);
    return;
  }
  for (const Stmt *C : S->children())
    walkBody(C, InTry, Fn);
}
} // namespace

void TUModel::Impl::computeMayThrow() {
  MayThrow.emplace();
  auto &Out = *MayThrow;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *FD : Order) {
    if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>())
      if (FPT->isNothrow())
        continue;
    // Destructors are implicitly noexcept; a consteval function's throw is
    // a compile-time error, never a run-time exception.
    if (isa<CXXDestructorDecl>(FD) || FD->isConsteval())
      continue;
    std::optional<ThrowChain> Found;
    walkBody(FD->getBody(), false, [&](const Stmt *S, bool InTry) {
      if (Found || InTry)
        return;
      if (const auto *T = dyn_cast<CXXThrowExpr>(S)) {
        Found = ThrowChain{
            {T->getThrowLoc(), "'" + functionName(FD, SM) + "' throws here"}};
        return;
      }
      if (!isa<CallExpr, CXXConstructExpr>(S))
        return;
      const FunctionDecl *Callee = calleeOf(cast<Expr>(S));
      if (!Callee || Callee == FD)
        return;
      auto It = Out.find(Callee);
      if (It == Out.end())
        return;
      ThrowChain C{{S->getBeginLoc(), "'" + functionName(FD, SM) + "' calls '" +
                                          functionName(Callee, SM) + "'"}};
      C.insert(C.end(), It->second.begin(), It->second.end());
      Found = std::move(C);
    });
    if (Found)
      Out[FD] = std::move(*Found);
  }
}

const TUModel::ThrowChain *TUModel::mayThrow(const FunctionDecl *FD) {
  if (!P->MayThrow)
    P->computeMayThrow();
  if (!FD)
    return nullptr;
  auto It = P->MayThrow->find(FD);
  return It == P->MayThrow->end() ? nullptr : &It->second;
}

const std::vector<std::pair<const FunctionDecl *, ThreadStart>> &
TUModel::threadStarts() {
  if (!P->Starts) {
    P->Starts.emplace();
    for (const FunctionDecl *FD : P->Order)
      walkBody(FD->getBody(), false, [&](const Stmt *S, bool) {
        if (const auto *E = dyn_cast<Expr>(S))
          if (auto Start = recognizeThreadStart(E, P->Config))
            P->Starts->push_back({FD, std::move(*Start)});
      });
  }
  return *P->Starts;
}

const std::vector<ThreadLeak> &TUModel::threadLeaks(const FunctionDecl *FD) {
  auto It = P->Leaks.find(FD);
  if (It != P->Leaks.end())
    return It->second;
  std::vector<ThreadLeak> Found;
  if (const CFG *G = cfg(FD))
    Found = analyzeThreadOwners(FD, *G, P->Ctx,
                                [&](const Expr *Call) -> const ThrowChain * {
                                  return mayThrow(calleeOf(Call));
                                });
  return P->Leaks[FD] = std::move(Found);
}

const SharedAccesses &TUModel::accesses() {
  if (!P->Accesses)
    P->Accesses = std::make_unique<SharedAccesses>(*this);
  return *P->Accesses;
}

TUModel::TUModel(ASTContext &Ctx, ModelConfig Config)
    : P(std::make_unique<Impl>(Ctx, std::move(Config))) {
  P->build();
}

TUModel::~TUModel() = default;

ASTContext &TUModel::context() const { return P->Ctx; }
const ModelConfig &TUModel::config() const { return P->Config; }

llvm::ArrayRef<const FunctionDecl *> TUModel::functions() const {
  return P->Order;
}

const FunctionLocks *TUModel::locks(const FunctionDecl *FD) const {
  auto It = P->Locks.find(FD);
  return It == P->Locks.end() ? nullptr : &It->second;
}

const CFG *TUModel::cfg(const FunctionDecl *FD) const {
  auto It = P->Cfgs.find(FD);
  return It == P->Cfgs.end() ? nullptr : It->second.get();
}

const MayBlock *TUModel::mayBlock(const FunctionDecl *FD,
                                  const BlockingConfig &Config) {
  auto Key = Config.key();
  auto It = P->MayBlockByConfig.find(Key);
  if (It == P->MayBlockByConfig.end()) {
    It = P->MayBlockByConfig.emplace(Key, decltype(It->second)()).first;
    P->computeMayBlock(It->second, Config);
  }
  auto F = It->second.find(FD);
  return F == It->second.end() ? nullptr : &F->second;
}

std::shared_ptr<TUModel> TUModel::get(ASTContext &Ctx,
                                      const ModelConfig &Config) {
  static std::mutex Mu;
  static std::map<std::tuple<const void *, const void *, std::string>,
                  std::weak_ptr<TUModel>>
      Models;
  auto Key = std::make_tuple(
      static_cast<const void *>(&Ctx),
      static_cast<const void *>(Ctx.getTranslationUnitDecl()), Config.key());
  {
    std::lock_guard<std::mutex> Lock(Mu);
    for (auto It = Models.begin(); It != Models.end();)
      It = It->second.expired() ? Models.erase(It) : std::next(It);
    auto It = Models.find(Key);
    if (It != Models.end())
      if (auto Existing = It->second.lock())
        return Existing;
  }
  // Built outside the lock: other translation units analyse in parallel, and
  // one translation unit's checks run on one thread.
  auto Model = std::make_shared<TUModel>(Ctx, Config);
  std::lock_guard<std::mutex> Lock(Mu);
  Models[Key] = Model;
  return Model;
}

std::string functionName(const FunctionDecl *FD, const SourceManager &SM) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda()) {
      PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(MD->getLocation()));
      if (P.isValid())
        return "lambda at " + llvm::sys::path::filename(P.getFilename()).str() +
               ":" + std::to_string(P.getLine());
      return "lambda";
    }
  return qualifiedName(FD);
}

} // namespace threadlint::model
