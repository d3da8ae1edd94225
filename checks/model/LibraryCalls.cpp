//===--- LibraryCalls.cpp -------------------------------------------------===//

#include "LibraryCalls.h"
#include "Locks.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;

namespace threadlint::model {

const char *libraryFunctionName(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() || isa<CXXMethodDecl>(FD))
    return nullptr;
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
    // std:: (and its inline namespaces) re-declares the C functions.
    while (NS && NS->isInline())
      NS = dyn_cast<NamespaceDecl>(NS->getDeclContext()->getRedeclContext());
    if (!NS || !NS->getIdentifier() || NS->getName() != "std" ||
        !NS->getDeclContext()->getRedeclContext()->isTranslationUnit())
      return nullptr;
  } else if (!DC->isTranslationUnit()) {
    return nullptr;
  }
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  if (!SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())) &&
      !FD->getBuiltinID())
    return nullptr;
  return FD->getIdentifier()->getNameStart();
}

std::optional<MtUnsafeFunction> mtUnsafe(const FunctionDecl *FD) {
  static const llvm::StringMap<MtUnsafeFunction> Table = {
      {"strtok", {"it keeps its position in a static buffer shared by all "
                  "threads",
                  "strtok_r with a save pointer of your own"}},
      {"localtime", {"it returns a pointer to one static struct tm",
                     "localtime_r with a struct tm of your own"}},
      {"gmtime", {"it returns a pointer to one static struct tm",
                  "gmtime_r with a struct tm of your own"}},
      {"asctime", {"it returns a pointer to one static buffer",
                   "strftime, or asctime_r with a buffer of your own"}},
      {"ctime", {"it returns a pointer to one static buffer",
                 "strftime on localtime_r's result, or ctime_r"}},
      {"rand", {"it updates one hidden generator state without "
                "synchronisation",
                "a generator per thread (rand_r, or a thread_local "
                "std::mt19937)"}},
      {"drand48", {"it updates one hidden generator state",
                   "erand48 with a state of your own"}},
      {"lrand48", {"it updates one hidden generator state",
                   "nrand48 with a state of your own"}},
      {"mrand48", {"it updates one hidden generator state",
                   "jrand48 with a state of your own"}},
      {"strerror", {"it may return a pointer to one static buffer",
                    "strerror_r, or std::error_code's message()"}},
      {"strsignal", {"it may return a pointer to one static buffer",
                     "sigabbrev_np/sigdescr_np, or a table of your own"}},
      {"getenv", {"it reads the environment, which setenv and putenv in "
                  "other threads modify without synchronisation",
                  "reading the variables once at start-up, before threads "
                  "start"}},
      {"setenv", {"it modifies the environment while other threads may read "
                  "it (getenv returns pointers into it)",
                  "setting the environment before threads start, or passing "
                  "values explicitly"}},
      {"unsetenv", {"it modifies the environment while other threads may "
                    "read it",
                    "changing the environment before threads start"}},
      {"putenv", {"it modifies the environment while other threads may read "
                  "it",
                  "changing the environment before threads start"}},
      {"readdir", {"POSIX does not require it to be safe when several "
                   "threads use one directory stream; it returns a static "
                   "entry",
                   "one DIR* per thread, or std::filesystem::directory_"
                   "iterator"}},
      {"gethostbyname", {"it returns a pointer to one static hostent",
                         "getaddrinfo"}},
      {"gethostbyaddr", {"it returns a pointer to one static hostent",
                         "getnameinfo"}},
      {"getservbyname", {"it returns a pointer to one static servent",
                         "getaddrinfo, or getservbyname_r"}},
      {"inet_ntoa", {"it returns a pointer to one static buffer",
                     "inet_ntop with a buffer of your own"}},
      {"getpwnam", {"it returns a pointer to one static passwd",
                    "getpwnam_r with a buffer of your own"}},
      {"getpwuid", {"it returns a pointer to one static passwd",
                    "getpwuid_r with a buffer of your own"}},
      {"getgrnam", {"it returns a pointer to one static group",
                    "getgrnam_r with a buffer of your own"}},
      {"getgrgid", {"it returns a pointer to one static group",
                    "getgrgid_r with a buffer of your own"}},
      {"getlogin", {"it returns a pointer to one static buffer",
                    "getlogin_r with a buffer of your own"}},
      {"ttyname", {"it returns a pointer to one static buffer",
                   "ttyname_r with a buffer of your own"}},
      {"ptsname", {"it returns a pointer to one static buffer",
                   "ptsname_r with a buffer of your own"}},
      {"lgamma", {"it writes the sign to the global signgam",
                  "lgamma_r with a sign variable of your own"}},
      {"ecvt", {"it returns a pointer to one static buffer",
                "snprintf with a buffer of your own"}},
      {"fcvt", {"it returns a pointer to one static buffer",
                "snprintf with a buffer of your own"}},
      {"crypt", {"it returns a pointer to one static buffer",
                 "crypt_r with a struct crypt_data of your own"}},
      {"setlocale", {"it changes the locale of the whole process while other "
                     "threads use it",
                     "uselocale with a locale_t per thread"}},
      {"localeconv", {"it returns a pointer to a static struct that "
                      "setlocale overwrites",
                      "nl_langinfo_l, or copying the values once at "
                      "start-up"}},
  };
  const char *Name = libraryFunctionName(FD);
  if (!Name)
    return std::nullopt;
  auto It = Table.find(Name);
  if (It == Table.end())
    return std::nullopt;
  // tmpnam(NULL) and friends are left out: with a buffer they are safe.
  return It->second;
}

bool isAsyncSignalSafe(const FunctionDecl *FD) {
  // POSIX.1-2017, System Interfaces, 2.4.3 Signal Actions, plus the C
  // standard's signal-safe functions (abort, _Exit, quick_exit, signal).
  static const llvm::StringSet<> Safe = {
      "_Exit", "_exit", "abort", "accept", "access", "aio_error",
      "aio_return", "aio_suspend", "alarm", "bind", "cfgetispeed",
      "cfgetospeed", "cfsetispeed", "cfsetospeed", "chdir", "chmod", "chown",
      "clock_gettime", "close", "connect", "creat", "dup", "dup2", "execl",
      "execle", "execv", "execve", "faccessat", "fchdir", "fchmod",
      "fchmodat", "fchown", "fchownat", "fcntl", "fdatasync", "fexecve",
      "ffs", "fork", "fstat", "fstatat", "fsync", "ftruncate", "futimens",
      "getegid", "geteuid", "getgid", "getgroups", "getpeername", "getpgrp",
      "getpid", "getppid", "getsockname", "getsockopt", "getuid", "htonl",
      "htons", "kill", "link", "linkat", "listen", "longjmp", "lseek",
      "lstat", "memccpy", "memchr", "memcmp", "memcpy", "memmove", "memset",
      "mkdir", "mkdirat", "mkfifo", "mkfifoat", "mknod", "mknodat", "ntohl",
      "ntohs", "open", "openat", "pause", "pipe", "poll", "posix_trace_event",
      "pselect", "pthread_kill", "pthread_self", "pthread_sigmask",
      "quick_exit", "raise", "read", "readlink", "readlinkat", "recv",
      "recvfrom", "recvmsg", "rename", "renameat", "rmdir", "select",
      "sem_post", "send", "sendmsg", "sendto", "setgid", "setpgid", "setsid",
      "setsockopt", "setuid", "shutdown", "sigaction", "sigaddset",
      "sigdelset", "sigemptyset", "sigfillset", "sigismember", "siglongjmp",
      "signal", "sigpause", "sigpending", "sigprocmask", "sigqueue", "sigset",
      "sigsuspend", "sleep", "sockatmark", "socket", "socketpair", "stat",
      "stpcpy", "stpncpy", "strcat", "strchr", "strcmp", "strcpy", "strcspn",
      "strlen", "strncat", "strncmp", "strncpy", "strnlen", "strpbrk",
      "strrchr", "strspn", "strstr", "strtok_r", "symlink", "symlinkat",
      "tcdrain", "tcflow", "tcflush", "tcgetattr", "tcgetpgrp",
      "tcsendbreak", "tcsetattr", "tcsetpgrp", "time", "timer_getoverrun",
      "timer_gettime", "timer_settime", "times", "umask", "uname", "unlink",
      "unlinkat", "utime", "utimensat", "utimes", "wait", "waitpid",
      "wcpcpy", "wcpncpy", "wcscat", "wcschr", "wcscmp", "wcscpy", "wcscspn",
      "wcslen", "wcsncat", "wcsncmp", "wcsncpy", "wcsnlen", "wcspbrk",
      "wcsrchr", "wcsspn", "wcsstr", "wcstok", "write",
      // glibc's own names for some of the above
      "__errno_location", "pipe2", "dup3",
  };
  if (!FD || !FD->getIdentifier())
    return false;
  if (unsigned ID = FD->getBuiltinID()) {
    (void)ID;
    const char *Name = FD->getIdentifier()->getNameStart();
    // __builtin_memcpy and the like need no library state; the library
    // functions Clang knows as builtins are judged by name below.
    if (llvm::StringRef(Name).starts_with("__builtin") ||
        llvm::StringRef(Name).starts_with("__atomic") ||
        llvm::StringRef(Name).starts_with("__sync") ||
        llvm::StringRef(Name).starts_with("__c11_atomic"))
      return true;
  }
  const char *Name = libraryFunctionName(FD);
  if (!Name)
    return false;
  return Safe.contains(Name);
}

bool endsChildProcess(const FunctionDecl *FD) {
  const char *Name = libraryFunctionName(FD);
  if (!Name)
    return false;
  llvm::StringRef N(Name);
  return N.starts_with("exec") || N == "fexecve" || N == "_exit" ||
         N == "_Exit" || N == "abort";
}

static bool isAtomicClass(const CXXRecordDecl *RD) {
  std::string N = qualifiedName(RD);
  return N.rfind("std::atomic", 0) == 0 || N.rfind("std::__atomic", 0) == 0;
}

/// Why a call is not async-signal-safe, or "" when it is, or may be (code
/// this TU cannot see). \p Next receives a callee to search further.
std::string signalUnsafeCall(const Stmt *S, const FunctionDecl *&Next) {
  Next = nullptr;
  const SourceManager *SM = nullptr;
  auto InSystem = [&](const Decl *D) {
    SM = &D->getASTContext().getSourceManager();
    return SM->isInSystemHeader(SM->getExpansionLoc(D->getLocation()));
  };
  if (isa<CXXNewExpr>(S))
    return "'new' (it allocates memory)";
  if (isa<CXXDeleteExpr>(S))
    return "'delete' (it frees memory)";
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (!Ctor || Ctor->isTrivial() || Ctor->isConstexpr() ||
        isAtomicClass(Ctor->getParent()))
      return "";
    if (!InSystem(Ctor)) {
      Next = Ctor->getDefinition() ? cast<FunctionDecl>(Ctor->getDefinition())
                                   : nullptr;
      return "";
    }
    return "the constructor of '" + qualifiedName(Ctor->getParent()) +
           "'";
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return "";
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return "";
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
    if (isAtomicClass(M->getParent()))
      return "";
  if (isAsyncSignalSafe(FD))
    return "";
  if (!InSystem(FD) && !FD->getBuiltinID()) {
    if (const FunctionDecl *Def = FD->getDefinition())
      Next = Def;
    return "";
  }
  if (FD->isConstexpr())
    return "";
  if (FD->getBuiltinID() && !libraryFunctionName(FD))
    return "";
  std::string Name = libraryFunctionName(FD)
                         ? std::string(libraryFunctionName(FD))
                         : qualifiedName(FD);
  return "'" + Name + "'";
}

} // namespace threadlint::model
