//===--- Blocking.cpp - calls that block ----------------------------------===//

#include "Blocking.h"
#include "Locks.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include <algorithm>

using namespace clang;

namespace threadlint::model {

namespace {

struct BlockingFunction {
  const char *Name;
  BlockKind Kind;
  /// For waits: the argument holding the lock the wait releases (-1: none;
  /// -2: the guard is the first argument of a member wait).
  int WaitLockArg = -1;
};

/// Functions that block. Members are named by the class of the object they
/// are called on, template arguments dropped.
constexpr BlockingFunction BlockingFunctions[] = {
    // Sleeping.
    {"sleep", BlockKind::Sleep},
    {"usleep", BlockKind::Sleep},
    {"nanosleep", BlockKind::Sleep},
    {"clock_nanosleep", BlockKind::Sleep},
    {"thrd_sleep", BlockKind::Sleep},
    {"std::this_thread::sleep_for", BlockKind::Sleep},
    {"std::this_thread::sleep_until", BlockKind::Sleep},
    // File, socket and pipe I/O.
    {"read", BlockKind::IO},
    {"write", BlockKind::IO},
    {"pread", BlockKind::IO},
    {"pwrite", BlockKind::IO},
    {"readv", BlockKind::IO},
    {"writev", BlockKind::IO},
    {"recv", BlockKind::IO},
    {"recvfrom", BlockKind::IO},
    {"recvmsg", BlockKind::IO},
    {"send", BlockKind::IO},
    {"sendto", BlockKind::IO},
    {"sendmsg", BlockKind::IO},
    {"connect", BlockKind::IO},
    {"accept", BlockKind::IO},
    {"accept4", BlockKind::IO},
    {"poll", BlockKind::IO},
    {"ppoll", BlockKind::IO},
    {"select", BlockKind::IO},
    {"pselect", BlockKind::IO},
    {"epoll_wait", BlockKind::IO},
    {"epoll_pwait", BlockKind::IO},
    {"fopen", BlockKind::IO},
    {"freopen", BlockKind::IO},
    {"fread", BlockKind::IO},
    {"fwrite", BlockKind::IO},
    {"fflush", BlockKind::IO},
    {"fgets", BlockKind::IO},
    {"fgetc", BlockKind::IO},
    {"fscanf", BlockKind::IO},
    {"getline", BlockKind::IO},
    {"getdelim", BlockKind::IO},
    {"fsync", BlockKind::IO},
    {"fdatasync", BlockKind::IO},
    {"sync", BlockKind::IO},
    {"flock", BlockKind::IO},
    {"getaddrinfo", BlockKind::IO},
    {"gethostbyname", BlockKind::IO},
    // Other processes.
    {"system", BlockKind::Process},
    {"popen", BlockKind::Process},
    {"pclose", BlockKind::Process},
    {"wait", BlockKind::Process},
    {"waitpid", BlockKind::Process},
    {"waitid", BlockKind::Process},
    // Other threads.
    {"pthread_join", BlockKind::Join},
    {"thrd_join", BlockKind::Join},
    {"std::thread::join", BlockKind::Join},
    {"std::jthread::join", BlockKind::Join},
    {"std::future::get", BlockKind::Future},
    {"std::future::wait", BlockKind::Future},
    {"std::future::wait_for", BlockKind::Future},
    {"std::future::wait_until", BlockKind::Future},
    {"std::shared_future::get", BlockKind::Future},
    {"std::shared_future::wait", BlockKind::Future},
    {"std::shared_future::wait_for", BlockKind::Future},
    {"std::shared_future::wait_until", BlockKind::Future},
    // Waits; condition variables release the lock they are given.
    {"pthread_cond_wait", BlockKind::Wait, 1},
    {"pthread_cond_timedwait", BlockKind::Wait, 1},
    {"pthread_cond_clockwait", BlockKind::Wait, 1},
    {"cnd_wait", BlockKind::Wait, 1},
    {"cnd_timedwait", BlockKind::Wait, 1},
    {"std::condition_variable::wait", BlockKind::Wait, 0},
    {"std::condition_variable::wait_for", BlockKind::Wait, 0},
    {"std::condition_variable::wait_until", BlockKind::Wait, 0},
    {"std::condition_variable_any::wait", BlockKind::Wait, 0},
    {"std::condition_variable_any::wait_for", BlockKind::Wait, 0},
    {"std::condition_variable_any::wait_until", BlockKind::Wait, 0},
    {"sem_wait", BlockKind::Wait},
    {"sem_timedwait", BlockKind::Wait},
    {"std::counting_semaphore::acquire", BlockKind::Wait},
    {"std::binary_semaphore::acquire", BlockKind::Wait},
    {"std::latch::wait", BlockKind::Wait},
    {"std::latch::arrive_and_wait", BlockKind::Wait},
    {"std::barrier::arrive_and_wait", BlockKind::Wait},
};

std::string recordName(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return qualifiedName(RD);
  return {};
}

/// std::cin, or a file stream: reading from it blocks on the outside world.
std::optional<BlockKind> blockingStream(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (qualifiedName(DRE->getDecl()) == "std::cin")
      return BlockKind::Input;
  std::string N = recordName(E->getType());
  if (N == "std::basic_ifstream" || N == "std::basic_fstream")
    return BlockKind::IO;
  return std::nullopt;
}

bool listed(const std::vector<std::string> &List, const std::string &Name) {
  return std::find(List.begin(), List.end(), Name) != List.end();
}

std::optional<BlockingCall> lookup(const std::string &Name, const Expr *Call,
                                   const BlockingConfig &Config,
                                   const FunctionDecl *FD) {
  if (Name.empty() || listed(Config.Excluded, Name))
    return std::nullopt;
  if (listed(Config.Extra, Name))
    return BlockingCall{BlockKind::User, Name};
  if (!FD || !declaredBySystem(FD))
    return std::nullopt;
  for (const BlockingFunction &F : BlockingFunctions) {
    if (Name != F.Name)
      continue;
    BlockingCall B{F.Kind, Name};
    if (F.WaitLockArg >= 0)
      if (const auto *CE = dyn_cast<CallExpr>(Call))
        if (static_cast<unsigned>(F.WaitLockArg) < CE->getNumArgs())
          B.WaitLock = CE->getArg(F.WaitLockArg);
    return B;
  }
  return std::nullopt;
}

} // namespace

const char *describeBlockKind(BlockKind K) {
  switch (K) {
  case BlockKind::Sleep:
    return "sleeps";
  case BlockKind::IO:
    return "waits for I/O";
  case BlockKind::Process:
    return "waits for another process";
  case BlockKind::Join:
    return "waits for a thread to finish";
  case BlockKind::Future:
    return "waits for a future";
  case BlockKind::Wait:
    return "waits";
  case BlockKind::Input:
    return "waits for console input";
  case BlockKind::User:
    return "is listed as blocking";
  }
  return "blocks";
}

std::optional<BlockingCall> classifyBlockingCall(const Expr *Call,
                                                 const BlockingConfig &Config) {
  if (const auto *Ctor = dyn_cast<CXXConstructExpr>(Call)) {
    // Constructing a file stream with a file name opens the file.
    std::string N = recordName(Ctor->getType());
    if ((N == "std::basic_ifstream" || N == "std::basic_ofstream" ||
         N == "std::basic_fstream") &&
        Ctor->getNumArgs() > 0 && !isa<CXXDefaultArgExpr>(Ctor->getArg(0)) &&
        !Ctor->getConstructor()->isCopyOrMoveConstructor())
      if (!listed(Config.Excluded, N + "::" + N.substr(N.rfind(':') + 1)))
        return BlockingCall{BlockKind::IO, N};
    return std::nullopt;
  }
  const auto *CE = dyn_cast<CallExpr>(Call);
  if (!CE)
    return std::nullopt;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return std::nullopt;

  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    const Expr *Obj = MCE->getImplicitObjectArgument();
    if (!MD || !Obj || !MD->getDeclName().isIdentifier())
      return std::nullopt;
    std::string Method = MD->getName().str();
    if (Method == "read" || Method == "get" || Method == "getline" ||
        Method == "ignore" || Method == "open")
      if (auto K = blockingStream(Obj))
        return BlockingCall{*K, recordName(Obj->getType()) + "::" + Method};
    // By the class of the object (std::future<int> -> std::future), then by
    // the class declaring the method.
    // The object's own class: f.wait() on a std::future<int> calls a base
    // class method (std::__basic_future::wait in libstdc++).
    if (auto B =
            lookup(recordName(Obj->IgnoreImpCasts()->getType()) + "::" + Method,
                   CE, Config, MD))
      return B;
    return lookup(qualifiedName(MD), CE, Config, MD);
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(CE)) {
    if (Op->getOperator() == OO_GreaterGreater && Op->getNumArgs() == 2)
      if (auto K = blockingStream(Op->getArg(0)))
        return BlockingCall{*K, "operator>>"};
    return std::nullopt;
  }
  std::string Name = qualifiedName(FD);
  if (Name == "std::getline" && CE->getNumArgs() >= 1) {
    if (auto K = blockingStream(CE->getArg(0)))
      return BlockingCall{*K, Name};
    return std::nullopt;
  }
  // Output to the console is how programs serialise their own messages;
  // only files, sockets and pipes count (testdata: basic.cpp, flush_*).
  if ((Name == "fflush" || Name == "fwrite") && CE->getNumArgs() >= 1)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(
            CE->getArg(CE->getNumArgs() - 1)->IgnoreParenImpCasts()))
      if (DRE->getDecl()->getName() == "stdout" ||
          DRE->getDecl()->getName() == "stderr")
        return std::nullopt;
  return lookup(Name, CE, Config, FD);
}

} // namespace threadlint::model
