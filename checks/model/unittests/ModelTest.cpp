//===--- ModelTest.cpp - unit tests of the concurrency model --------------===//
//
// Each test parses a snippet against the real system headers, runs the model
// and asks which locks are held (must) at the calls to marker functions.

#include "model/Accesses.h"
#include "model/Blocking.h"
#include "model/HeldLocks.h"
#include "model/LockGraph.h"
#include "model/Locks.h"
#include "model/SharedState.h"
#include "model/TUModel.h"
#include "model/Threads.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <map>

using namespace clang;
using namespace threadlint::model;

namespace {

struct Parsed {
  std::unique_ptr<ASTUnit> AST;
  std::shared_ptr<TUModel> Model;
};

Parsed parse(const std::string &Code, bool IsC = false,
             ModelConfig Config = {}) {
  std::vector<std::string> Args = {"-resource-dir=" THREADLINT_RESOURCE_DIR,
                                   "-pthread", "-Wno-unused-value"};
  if (IsC)
    Args.insert(Args.end(), {"-x", "c", "-std=c11"});
  else
    Args.push_back("-std=c++20");
  Parsed P;
  P.AST = tooling::buildASTFromCodeWithArgs(
      Code, Args, IsC ? "input.c" : "input.cc", "threadlint-model-test");
  EXPECT_TRUE(P.AST);
  EXPECT_FALSE(P.AST->getDiagnostics().hasErrorOccurred());
  P.Model = std::make_shared<TUModel>(P.AST->getASTContext(), Config);
  return P;
}

/// For every call to a function named marker<N>: the held (must) lock names,
/// joined with ",".
std::map<std::string, std::string> heldAtMarkers(const Parsed &P,
                                                 bool May = false) {
  std::map<std::string, std::string> Out;
  for (const FunctionDecl *FD : P.Model->functions()) {
    const FunctionLocks *FL = P.Model->locks(FD);
    if (!FL)
      continue;
    for (const CallSite &C : FL->Calls) {
      if (!C.Callee || !C.Callee->getDeclName().isIdentifier() ||
          !C.Callee->getName().starts_with("marker"))
        continue;
      std::vector<std::string> Sorted;
      for (const HeldLock &H : May ? C.May : C.Must)
        Sorted.push_back(H.Lock.Name);
      std::sort(Sorted.begin(), Sorted.end());
      std::string Names;
      for (const std::string &N : Sorted)
        Names += (Names.empty() ? "" : ",") + N;
      Out[C.Callee->getName().str()] = Names;
    }
  }
  return Out;
}

const char *Markers = "void marker1(); void marker2(); void marker3(); "
                      "void marker4(); void marker5();\n";

TEST(LockRecognition, StandardPosixC11AndCapabilityTypes) {
  auto P = parse(std::string("#include <mutex>\n#include <shared_mutex>\n"
                             "#include <pthread.h>\n") +
                 Markers + R"(
struct __attribute__((capability("mutex"))) Cap {
  void acquire() __attribute__((acquire_capability()));
  void release() __attribute__((release_capability()));
};
struct Basic { void lock(); void unlock(); };
std::timed_mutex tm; std::recursive_mutex rm; std::shared_timed_mutex sm;
pthread_spinlock_t spin; pthread_rwlock_t rw; Cap cap; Basic basic;
void f() {
  tm.lock(); rm.lock(); sm.lock_shared(); pthread_spin_lock(&spin);
  pthread_rwlock_rdlock(&rw); cap.acquire(); basic.lock();
  marker1();
  basic.unlock(); cap.release(); pthread_rwlock_unlock(&rw);
  pthread_spin_unlock(&spin); sm.unlock_shared(); rm.unlock(); tm.unlock();
  marker2();
}
)");
  auto H = heldAtMarkers(P);
  EXPECT_EQ(H["marker1"], "basic,cap,rm,rw,sm,spin,tm");
  EXPECT_EQ(H["marker2"], "");
}

TEST(Guards, ScopesEndOnEveryPath) {
  auto P = parse(std::string("#include <mutex>\n") + Markers + R"(
std::mutex a, b;
int g(int x) {
  {
    std::lock_guard<std::mutex> ga(a);
    marker1();
    if (x) return 1;            // the guard's destructor runs on return
  }
  marker2();
  for (int i = 0; i < x; ++i) {
    std::scoped_lock both(a, b);
    if (i == 3) break;
    marker3();
  }
  marker4();
  return 0;
}
)");
  auto H = heldAtMarkers(P);
  EXPECT_EQ(H["marker1"], "a");
  EXPECT_EQ(H["marker2"], "");
  EXPECT_EQ(H["marker3"], "a,b");
  EXPECT_EQ(H["marker4"], "");
}

TEST(Guards, UniqueLockModes) {
  auto P = parse(std::string("#include <mutex>\n") + Markers + R"(
std::mutex a, b;
void g() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  marker1();
  la.lock();
  std::unique_lock<std::mutex> lb(b, std::try_to_lock);
  if (!lb.owns_lock()) return;
  marker2();
  la.unlock();
  marker3();
  std::unique_lock<std::mutex> moved(std::move(lb));
  marker4();
}
void h() {
  a.lock();
  std::lock_guard<std::mutex> adopted(a, std::adopt_lock);
  marker5();
}
)");
  auto H = heldAtMarkers(P);
  EXPECT_EQ(H["marker1"], "");
  EXPECT_EQ(H["marker2"], "a,b");
  EXPECT_EQ(H["marker3"], "b");
  EXPECT_EQ(H["marker4"], "b");
  EXPECT_EQ(H["marker5"], "a");
}

TEST(Dataflow, MustAndMayAtJoins) {
  auto P = parse(std::string("#include <mutex>\n") + Markers + R"(
std::mutex a;
void g(bool c) {
  if (c) a.lock();
  marker1();
  if (c) a.unlock();
}
)");
  EXPECT_EQ(heldAtMarkers(P)["marker1"], "");
  EXPECT_EQ(heldAtMarkers(P, /*May=*/true)["marker1"], "a");
}

TEST(Dataflow, TryLockOnlyOnSuccessEdge) {
  auto P = parse(std::string("#include <mutex>\n#include <pthread.h>\n") +
                 Markers + R"(
std::mutex a;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
void g() {
  if (a.try_lock()) { marker1(); a.unlock(); } else { marker2(); }
  int rc = pthread_mutex_trylock(&pm);
  if (rc != 0) return;
  marker3();
  pthread_mutex_unlock(&pm);
  while (!a.try_lock()) {}
  marker4();
  a.unlock();
}
)");
  auto H = heldAtMarkers(P);
  EXPECT_EQ(H["marker1"], "a");
  EXPECT_EQ(H["marker2"], "");
  EXPECT_EQ(H["marker3"], "pm");
  EXPECT_EQ(H["marker4"], "a");
}

TEST(Dataflow, GotoAndSwitch) {
  auto P = parse(std::string("#include <mutex>\n") + Markers + R"(
std::mutex a;
void g(int x) {
  a.lock();
  if (x) goto out;
  marker1();
out:
  marker2();
  a.unlock();
  switch (x) {
  case 1: { std::lock_guard<std::mutex> l(a); marker3(); break; }
  default: break;
  }
  marker4();
}
)");
  auto H = heldAtMarkers(P);
  EXPECT_EQ(H["marker1"], "a");
  EXPECT_EQ(H["marker2"], "a");
  EXPECT_EQ(H["marker3"], "a");
  EXPECT_EQ(H["marker4"], "");
}

TEST(Dataflow, ThrowEndsThePath) {
  auto P = parse(std::string("#include <mutex>\n#include <stdexcept>\n") +
                 Markers + R"(
std::mutex a;
void g(int x) {
  std::lock_guard<std::mutex> l(a);
  if (x) throw std::runtime_error("x");
  marker1();
}
void h(int x) {
  try {
    std::lock_guard<std::mutex> l(a);
    marker2();
    if (x) throw 1;
  } catch (...) {
    marker3();
  }
}
)");
  auto H = heldAtMarkers(P);
  EXPECT_EQ(H["marker1"], "a");
  EXPECT_EQ(H["marker2"], "a");
}

TEST(Identity, FieldsGlobalsArraysParams) {
  auto P = parse(std::string("#include <mutex>\n") + Markers + R"(
struct Account { std::mutex mu_; void f(Account &o); };
std::mutex mus[8];
void Account::f(Account &o) {
  std::lock_guard<std::mutex> l1(mu_);
  std::lock_guard<std::mutex> l2(o.mu_);
  marker1();
}
void g(int i, std::mutex &m) {
  std::lock_guard<std::mutex> l(mus[i]);
  std::lock_guard<std::mutex> l2(m);
  marker2();
}
)");
  auto H = heldAtMarkers(P);
  // Two instances of one field stay two locks inside the function.
  EXPECT_EQ(H["marker1"], "Account::mu_,Account::mu_");
  EXPECT_EQ(H["marker2"], "m,mus[]");
  for (const FunctionDecl *FD : P.Model->functions())
    if (FD->getNameAsString() == "f")
      for (const Acquisition &A : P.Model->locks(FD)->Acquisitions)
        EXPECT_FALSE(A.Lock.Lock.GlobalKey.empty());
}

TEST(Summaries, LockWrappersAcrossCalls) {
  auto P = parse(std::string("#include <pthread.h>\n") + Markers + R"(
static pthread_mutex_t db = PTHREAD_MUTEX_INITIALIZER;
static void lock_db(void) { pthread_mutex_lock(&db); }
static void unlock_db(void) { pthread_mutex_unlock(&db); }
static void with(pthread_mutex_t *m) { pthread_mutex_lock(m); }
void g(void) {
  lock_db();
  marker1();
  unlock_db();
  marker2();
  with(&db);
  marker3();
  pthread_mutex_unlock(&db);
}
)",
                 /*IsC=*/true);
  auto H = heldAtMarkers(P);
  EXPECT_EQ(H["marker1"], "db");
  EXPECT_EQ(H["marker2"], "");
  EXPECT_EQ(H["marker3"], "db");
}

TEST(Summaries, MayBlockChainThroughCallees) {
  auto P = parse(R"(
#include <unistd.h>
#include <mutex>
#include <condition_variable>
static void leaf(int fd) { char c; (void)read(fd, &c, 1); }
static void mid(int fd) { leaf(fd); }
static void top(int fd) { mid(fd); }
std::mutex m; std::condition_variable cv;
static void waits(std::unique_lock<std::mutex> &lk) { cv.wait(lk); }
static void pure(int x) { (void)x; }
)");
  BlockingConfig BC;
  for (const FunctionDecl *FD : P.Model->functions()) {
    std::string N = FD->getNameAsString();
    const MayBlock *M = P.Model->mayBlock(FD, BC);
    if (N == "top") {
      ASSERT_TRUE(M);
      EXPECT_EQ(M->Blocker.Name, "read");
      EXPECT_EQ(M->Chain.size(), 3u);
    } else if (N == "waits") {
      ASSERT_TRUE(M);
      ASSERT_EQ(M->ReleasedBefore.size(), 1u);
      EXPECT_TRUE(M->ReleasedBefore[0].IsGuardParam);
      EXPECT_EQ(M->ReleasedBefore[0].ParamIndex, 0);
    } else if (N == "pure") {
      EXPECT_FALSE(M);
    }
  }
}

TEST(Blocking, StringStreamsDoNotBlockFileStreamsDo) {
  auto P = parse(R"(
#include <fstream>
#include <sstream>
#include <string>
void a(std::istringstream &s) { std::string l; std::getline(s, l); }
void b(std::ifstream &s) { std::string l; std::getline(s, l); }
)");
  BlockingConfig BC;
  for (const FunctionDecl *FD : P.Model->functions()) {
    if (FD->getNameAsString() == "a") {
      EXPECT_FALSE(P.Model->mayBlock(FD, BC));
    }
    if (FD->getNameAsString() == "b") {
      EXPECT_TRUE(P.Model->mayBlock(FD, BC));
    }
  }
}

TEST(Config, ExtraLockTypesAndBlockingFunctions) {
  ModelConfig MC;
  MC.LockTypes = {"corp::SpinGate"};
  MC.BasicLockableIsLock = false;
  auto P = parse(std::string(Markers) + R"(
namespace corp {
struct SpinGate { void lock(); void unlock(); };
struct NotALock { void lock(); void unlock(); };
void rpc();
}
corp::SpinGate gate; corp::NotALock other;
void g() { gate.lock(); other.lock(); marker1(); corp::rpc(); }
)",
                 false, MC);
  EXPECT_EQ(heldAtMarkers(P)["marker1"], "gate");
  BlockingConfig BC;
  BC.Extra = {"corp::rpc"};
  for (const FunctionDecl *FD : P.Model->functions())
    if (FD->getNameAsString() == "g")
      EXPECT_TRUE(P.Model->mayBlock(FD, BC));
}

TEST(Config, SplitList) {
  EXPECT_EQ(splitList(" a ; b,c;;"), (std::vector<std::string>{"a", "b", "c"}));
}

} // namespace

// ---- The lock graph: merging facts, cycles (no Clang involved) -----------

namespace {

TUFacts factsWith(std::vector<std::pair<std::string, std::string>> Edges,
                  const std::string &File) {
  TUFacts F;
  F.TU = File;
  unsigned Line = 1;
  for (const auto &[From, To] : Edges) {
    F.Locks[From] = FactLock{From, false};
    F.Locks[To] = FactLock{To, false};
    F.Edges.push_back(FactEdge{From,
                               To,
                               "f",
                               SourcePos{File, Line, 1},
                               {Step{SourcePos{File, Line + 1, 3}, "acq"}}});
    Line += 10;
  }
  return F;
}

TEST(LockGraph, TwoAndThreeLockCyclesOnceEach) {
  LockGraph G(
      {factsWith({{"a", "b"}, {"b", "c"}}, "/x.cc"),
       factsWith({{"b", "a"}, {"c", "d"}, {"d", "e"}, {"e", "c"}}, "/y.cc")});
  auto Cycles = G.cycles();
  ASSERT_EQ(Cycles.size(), 2u);
  EXPECT_EQ(Cycles[0].Edges.size(), 2u); // a <-> b
  EXPECT_EQ(Cycles[1].Edges.size(), 3u); // c -> d -> e -> c
  EXPECT_NE(G.message(Cycles[0]).find("'b' acquired while holding 'a'"),
            std::string::npos);
  EXPECT_EQ(G.sides(Cycles[1]).size(), 3u);
}

TEST(LockGraph, ConsistentOrderHasNoCycle) {
  LockGraph G({factsWith({{"a", "b"}, {"b", "c"}, {"a", "c"}}, "/x.cc"),
               factsWith({{"a", "b"}}, "/h.h")});
  EXPECT_TRUE(G.cycles().empty());
}

TEST(LockGraph, CallsIntoOtherTranslationUnitsCloseCycles) {
  // x.cc: f() holds a and calls g() (defined in y.cc), which takes b.
  TUFacts X;
  X.TU = "/x.cc";
  X.Locks["a"] = FactLock{"a", false};
  X.HeldCalls.push_back(
      FactHeldCall{{HeldLockFact{"a", SourcePos{"/x.cc", 3, 3}}},
                   "c:@F@g#",
                   "g",
                   "f",
                   SourcePos{"/x.cc", 4, 3}});
  TUFacts Y = factsWith({{"b", "a"}}, "/y.cc");
  Y.Functions["c:@F@g#"] =
      FactFunction{"g", {FactAcquire{"b", SourcePos{"/y.cc", 20, 3}}}, {}};
  LockGraph G({X, Y});
  auto Cycles = G.cycles();
  ASSERT_EQ(Cycles.size(), 1u);
  auto Sides = G.sides(Cycles[0]);
  bool ThroughCall = false;
  for (const auto &Side : Sides)
    for (const Step &S : Side)
      ThroughCall |= S.Text == "'f' calls 'g'";
  EXPECT_TRUE(ThroughCall);
  // The merge does not depend on the order the facts arrive in.
  LockGraph Reversed({Y, X});
  EXPECT_EQ(Reversed.message(Reversed.cycles()[0]), G.message(Cycles[0]));
}

TEST(LockGraph, FactsRoundTripAndRejection) {
  TUFacts F = factsWith({{"a", "b"}}, "/x.cc");
  F.Functions["u"] =
      FactFunction{"f",
                   {FactAcquire{"a", SourcePos{"/x.cc", 1, 1}}},
                   {FactCall{"v", "g", SourcePos{"/x.cc", 2, 2}}}};
  std::string Error;
  auto Back = factsFromJson(factsToJson(F), Error);
  ASSERT_TRUE(Back) << Error;
  EXPECT_EQ(factsToJson(*Back), factsToJson(F));
  EXPECT_FALSE(factsFromJson(
      "{\"format\": \"threadlint-facts\", \"version\": 99}", Error));
  EXPECT_NE(Error.find("version 99"), std::string::npos);
  EXPECT_FALSE(factsFromJson("[1, 2", Error));
  EXPECT_FALSE(factsFromJson(
      "{\"format\": \"threadlint-facts\", \"version\": 1}", Error));
  EXPECT_NE(Error.find("malformed"), std::string::npos);
}

} // namespace

namespace {

TEST(LockOrderModel, ScopedLockIsOneStepAndCalleesAreFollowed) {
  auto P = parse(R"(
#include <mutex>
struct Cache {
  std::mutex mu_;
  void put() { std::lock_guard<std::mutex> g(mu_); }
  void refresh(Cache &other) {
    std::lock_guard<std::mutex> g(mu_);
    put();        // this->mu_ again
    other.put();  // other.mu_
  }
};
std::mutex a, b;
void both() { std::scoped_lock l(a, b); }
)");
  for (const FunctionDecl *FD : P.Model->functions()) {
    std::string N = FD->getNameAsString();
    const FunctionLocks *FL = P.Model->locks(FD);
    if (N == "both") {
      ASSERT_EQ(FL->Acquisitions.size(), 2u);
      for (const Acquisition &A : FL->Acquisitions)
        EXPECT_TRUE(A.MustBefore.empty());
    }
    if (N == "refresh") {
      std::vector<std::string> Keys;
      for (const CallSite &C : FL->Calls)
        if (C.Callee && C.Callee->getNameAsString() == "put")
          for (const TransitiveAcquire &T : *P.Model->acquires(C.Callee))
            for (const LockRef &M :
                 mapCalleeLock(*FL, T.Lock, C.Call, P.AST->getASTContext(), {}))
              Keys.push_back(M.Key);
      EXPECT_EQ(Keys, (std::vector<std::string>{"this.mu_", "other.mu_"}));
    }
  }
}

} // namespace

namespace {

TEST(Guards, ReturnedFromAFunction) {
  auto P = parse(std::string("#include <mutex>\n") + Markers + R"(
struct Q {
  std::mutex mu_;
  std::unique_lock<std::mutex> acquire() {
    return std::unique_lock<std::mutex>(mu_);
  }
  std::unique_lock<std::mutex> named() {
    std::unique_lock<std::mutex> lk(mu_);
    return lk;
  }
  void f() {
    { auto lk = acquire(); marker1(); }
    marker2();
    auto lk = named();
    marker3();
  }
};
)");
  auto H = heldAtMarkers(P);
  EXPECT_EQ(H["marker1"], "Q::mu_");
  EXPECT_EQ(H["marker2"], "");
  EXPECT_EQ(H["marker3"], "Q::mu_");
}

} // namespace

//===----------------------------------------------------------------------===//
// Threads
//===----------------------------------------------------------------------===//

namespace {
const FunctionDecl *functionNamed(const Parsed &P, llvm::StringRef Name) {
  for (const FunctionDecl *FD : P.Model->functions())
    if (FD->getDeclName().isIdentifier() && FD->getName() == Name)
      return FD;
  return nullptr;
}

/// "kind@line" for each leak of each owner in \p Fn.
std::vector<std::string> leaksIn(const Parsed &P, llvm::StringRef Fn) {
  const SourceManager &SM = P.AST->getSourceManager();
  std::vector<std::string> Out;
  const FunctionDecl *FD = functionNamed(P, Fn);
  EXPECT_TRUE(FD) << Fn.str();
  if (!FD)
    return Out;
  static const char *Kinds[] = {"scope",    "return", "jump",
                                "reassign", "clear",  "exception"};
  for (const ThreadLeak &L : P.Model->threadLeaks(FD))
    Out.push_back(L.Owner->getName().str() + ":" +
                  Kinds[static_cast<int>(L.Kind)] + "@" +
                  std::to_string(SM.getExpansionLineNumber(L.At)));
  std::sort(Out.begin(), Out.end());
  return Out;
}
} // namespace

TEST(Threads, StartsOfEveryApiWithTheirEntries) {
  Parsed P = parse(R"cc(
#include <future>
#include <pthread.h>
#include <thread>
void work(int);
void *entry(void *);
struct Functor { void operator()() const; };
void starts() {
  std::thread a(work, 1);
  std::jthread b([] {});
  pthread_t t;
  pthread_create(&t, nullptr, entry, nullptr);
  auto f = std::async(std::launch::async, work, 2);
  auto d = std::async(std::launch::deferred, work, 3);
  std::thread c{Functor{}};
  std::thread moved(std::move(a));
}
)cc");
  std::vector<std::string> Seen;
  for (const auto &[FD, S] : P.Model->threadStarts())
    Seen.push_back(std::string(threadApiName(S.Api)) + "->" +
                   (S.Entry ? qualifiedName(S.Entry) : "?"));
  std::sort(Seen.begin(), Seen.end());
  EXPECT_EQ(Seen,
            (std::vector<std::string>{
                "pthread_create->entry", "std::async->work",
                "std::jthread->starts::(lambda)::operator()",
                "std::thread->Functor::operator()", "std::thread->work"}));
}

TEST(Threads, BorrowedLocalsOnlyByReferenceOrAddress) {
  Parsed P = parse(R"cc(
#include <functional>
#include <memory>
#include <string>
#include <thread>
void use(int *);
void take(std::string &);
struct S {
  int n;
  void run();
  void go() {
    int x = 0, y = 0;
    static int z = 0;
    std::string s;
    auto sp = std::make_shared<int>(1);
    std::thread([&x, y, sp, this] { use(&x); use(&z); }).detach();
    std::thread(use, &y).detach();
    std::thread(take, std::ref(s)).detach();
    std::thread([*this] {}).detach();
  }
};
)cc");
  std::vector<std::string> Seen;
  for (const auto &[FD, S] : P.Model->threadStarts())
    for (const Borrow &B : borrowedLocals(S))
      Seen.push_back(B.What);
  EXPECT_EQ(Seen, (std::vector<std::string>{
                      "captures local 'x' by reference", "captures 'this'",
                      "receives the address of local 'y'",
                      "receives a reference to local 's' (std::ref)"}));
}

TEST(Threads, OwnerDataflowFindsEachDestroyingPath) {
  Parsed P = parse(R"cc(
#include <stdexcept>
#include <thread>
#include <vector>
void work();
void check(int v) { if (v < 0) throw std::invalid_argument("v"); }
void early(bool c) {
  std::thread t(work);
  if (c)
    return;
  t.join();
}
void branch(bool c) {
  std::thread t(work);
  if (c)
    t.join();
}
void idiom(bool c) {
  std::thread t;
  if (c)
    t = std::thread(work);
  if (t.joinable())
    t.join();
}
void reassign() {
  std::thread t(work);
  t = std::thread(work);
  t.join();
}
void throws(int v) {
  std::thread t(work);
  check(v);
  t.join();
}
void caught(int v) {
  std::thread t(work);
  try {
    check(v);
  } catch (...) {
    t.join();
    throw;
  }
  t.join();
}
void pool(bool c) {
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back(work);
  if (c)
    return;
  for (auto &t : ts)
    t.join();
}
void handed(std::vector<std::thread> &out) {
  std::thread t(work);
  out.push_back(std::move(t));
}
)cc");
  EXPECT_EQ(leaksIn(P, "early"), std::vector<std::string>{"t:return@10"});
  EXPECT_EQ(leaksIn(P, "branch"), std::vector<std::string>{"t:scope@17"});
  EXPECT_TRUE(leaksIn(P, "idiom").empty());
  EXPECT_EQ(leaksIn(P, "reassign"), std::vector<std::string>{"t:reassign@27"});
  EXPECT_EQ(leaksIn(P, "throws"), std::vector<std::string>{"t:exception@32"});
  EXPECT_TRUE(leaksIn(P, "caught").empty());
  EXPECT_EQ(leaksIn(P, "pool"), std::vector<std::string>{"ts:return@50"});
  EXPECT_TRUE(leaksIn(P, "handed").empty());
  const TUModel::ThrowChain *C = P.Model->mayThrow(functionNamed(P, "check"));
  ASSERT_TRUE(C);
  EXPECT_EQ(C->front().second, "'check' throws here");
  EXPECT_FALSE(P.Model->mayThrow(functionNamed(P, "caught")) == nullptr);
  EXPECT_TRUE(P.Model->mayThrow(functionNamed(P, "early")) == nullptr);
}

TEST(SharedState, KindsAndWriters) {
  Parsed P = parse(R"cc(
#include <atomic>
std::atomic<bool> a;
volatile int v;
int plain;
struct S { int f; void set() { f = 1; } };
void writer() { a.store(true); v = 1; ++plain; }
)cc");
  ASTContext &Ctx = P.AST->getASTContext();
  auto Lookup = [&](llvm::StringRef Name) -> const ValueDecl * {
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->getName() == Name)
          return VD;
    return nullptr;
  };
  EXPECT_EQ(stateKind(Lookup("a")->getType()), StateKind::Atomic);
  EXPECT_EQ(stateKind(Lookup("v")->getType()), StateKind::Volatile);
  EXPECT_EQ(stateKind(Lookup("plain")->getType()), StateKind::Plain);
  auto Writes = collectWrites(*P.Model);
  EXPECT_TRUE(Writes.count(Lookup("a")));
  EXPECT_TRUE(Writes.count(Lookup("v")));
  EXPECT_TRUE(Writes.count(Lookup("plain")));
  EXPECT_EQ(Writes.size(), 4u); // and S::f
}

namespace {
/// Accesses of the named state: "function:kind:locks" in source order.
std::vector<std::string> accessesOf(const Parsed &P, llvm::StringRef Name) {
  std::vector<std::string> Out;
  const SharedAccesses &Acc = P.Model->accesses();
  for (const ValueDecl *D : Acc.states()) {
    if (D->getName() != Name)
      continue;
    for (unsigned I : *Acc.of(D)) {
      const Access &A = Acc.all()[I];
      std::string Locks;
      for (const AccessLock &L : A.Held)
        Locks += (Locks.empty() ? "" : ",") + L.Name;
      Out.push_back(A.In->getNameAsString() + ":" + accessVerb(A.Kind) + ":" +
                    Locks);
    }
  }
  return Out;
}

const Access *accessIn(const Parsed &P, llvm::StringRef Name,
                       llvm::StringRef Fn, AccessKind K) {
  const SharedAccesses &Acc = P.Model->accesses();
  for (const Access &A : Acc.all())
    if (A.State->getName() == Name && A.In->getNameAsString() == Fn &&
        A.Kind == K)
      return &A;
  return nullptr;
}
} // namespace

TEST(Accesses, KindsLocksAndWhatIsNotShared) {
  Parsed P = parse(R"cc(
#include <map>
#include <mutex>
std::mutex mu;
int counter;
thread_local int mine;
const int limit = 3;
std::map<int, int> table;
struct Stats { int hits; void bump() { ++hits; } };
void helper() { counter = 0; } // only called under mu
void work(int *slots, int i) {
  counter++;
  counter = counter + 2;
  mine++;
  slots[i]++;
  Stats local; local.hits++;
  { std::lock_guard<std::mutex> g(mu); table[1] = limit; helper(); }
  int n = table.count(2);
  (void)n;
}
)cc");
  EXPECT_EQ(accessesOf(P, "counter"),
            (std::vector<std::string>{"helper:written:mu",
                                      "work:updated:", "work:updated:"}));
  EXPECT_EQ(accessesOf(P, "table"),
            (std::vector<std::string>{"work:written:mu", "work:read:"}));
  EXPECT_TRUE(accessesOf(P, "mine").empty());     // thread_local
  EXPECT_TRUE(accessesOf(P, "limit").empty());    // const
  EXPECT_TRUE(accessesOf(P, "hits").size() == 1); // through 'this' only
}

TEST(Accesses, ThreadsRegionsAndRaces) {
  Parsed P = parse(R"cc(
#include <thread>
#include <vector>
int total, before, after, loops;
void add() { total += 1; }
void count() { ++loops; }
void run() {
  before = 1;
  std::thread t(add);
  total = 5;
  t.join();
  after = total;
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back(count);
  for (auto &w : pool)
    w.join();
  for (int i = 0; i < 4; ++i) {
    std::thread s([] { before++; });
    s.join();
  }
}
)cc");
  const SharedAccesses &Acc = P.Model->accesses();
  ASSERT_EQ(Acc.entries().size(), 3u);
  EXPECT_EQ(Acc.entries()[0].Name, "'add'");
  EXPECT_FALSE(Acc.entries()[0].Multi);
  EXPECT_TRUE(Acc.entries()[1].Multi);  // started in a loop, joined after it
  EXPECT_FALSE(Acc.entries()[2].Multi); // joined in the same iteration

  const Access *InThread = accessIn(P, "total", "add", AccessKind::Update);
  const Access *Concurrent = accessIn(P, "total", "run", AccessKind::Write);
  const Access *AfterJoin = accessIn(P, "total", "run", AccessKind::Read);
  ASSERT_TRUE(InThread && Concurrent && AfterJoin);
  RaceWhy Why;
  EXPECT_TRUE(Acc.mayRace(*InThread, *Concurrent, &Why));
  EXPECT_EQ(Why.First, "thread 'add'");
  EXPECT_EQ(Why.Second, "the thread that started 'add'");
  EXPECT_FALSE(Acc.mayRace(*InThread, *AfterJoin, nullptr));
  const Access *Loop = accessIn(P, "loops", "count", AccessKind::Update);
  ASSERT_TRUE(Loop);
  EXPECT_TRUE(Acc.mayRace(*Loop, *Loop, nullptr)); // four threads at once
  const Access *Before = accessIn(P, "before", "run", AccessKind::Write);
  ASSERT_TRUE(Before);
  EXPECT_TRUE(Before->ConcurrentWith.empty());
}
