//===--- LibraryCalls.cpp -------------------------------------------------===//

#include "LibraryCalls.h"
#include "Locks.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
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
      {"strtok",
       {"it keeps its position in a static buffer shared by all "
        "threads",
        "use strtok_r with a save pointer of your own"}},
      {"localtime",
       {"it returns a pointer to one static struct tm",
        "use localtime_r with a struct tm of your own"}},
      {"gmtime",
       {"it returns a pointer to one static struct tm",
        "use gmtime_r with a struct tm of your own"}},
      {"asctime",
       {"it returns a pointer to one static buffer",
        "use strftime, or asctime_r with a buffer of your own"}},
      {"ctime",
       {"it returns a pointer to one static buffer",
        "use strftime on localtime_r's result, or ctime_r"}},
      {"rand",
       {"it updates one hidden generator state without "
        "synchronisation",
        "use a generator per thread (rand_r, or a thread_local "
        "std::mt19937)"}},
      {"drand48",
       {"it updates one hidden generator state",
        "use erand48 with a state of your own"}},
      {"lrand48",
       {"it updates one hidden generator state",
        "use nrand48 with a state of your own"}},
      {"mrand48",
       {"it updates one hidden generator state",
        "use jrand48 with a state of your own"}},
      {"strerror",
       {"it may return a pointer to one static buffer",
        "use strerror_r, or std::error_code's message()"}},
      {"strsignal",
       {"it may return a pointer to one static buffer",
        "use sigabbrev_np/sigdescr_np, or a table of your own"}},
      {"getenv",
       {"it reads the environment, which setenv and putenv in "
        "other threads modify without synchronisation",
        "read the variables once at start-up, before threads "
        "start"}},
      {"setenv",
       {"it modifies the environment while other threads may read "
        "it, and getenv returns pointers into it",
        "set the environment before threads start, or pass values "
        "explicitly"}},
      {"unsetenv",
       {"it modifies the environment while other threads may "
        "read it",
        "change the environment before threads start"}},
      {"putenv",
       {"it modifies the environment while other threads may read "
        "it",
        "change the environment before threads start"}},
      {"readdir",
       {"POSIX does not require it to be safe when several "
        "threads use one directory stream; it returns a static "
        "entry",
        "use one DIR* per thread, or std::filesystem::directory_"
        "iterator"}},
      {"gethostbyname",
       {"it returns a pointer to one static hostent", "use getaddrinfo"}},
      {"gethostbyaddr",
       {"it returns a pointer to one static hostent", "use getnameinfo"}},
      {"getservbyname",
       {"it returns a pointer to one static servent",
        "use getaddrinfo, or getservbyname_r"}},
      {"inet_ntoa",
       {"it returns a pointer to one static buffer",
        "use inet_ntop with a buffer of your own"}},
      {"getpwnam",
       {"it returns a pointer to one static passwd",
        "use getpwnam_r with a buffer of your own"}},
      {"getpwuid",
       {"it returns a pointer to one static passwd",
        "use getpwuid_r with a buffer of your own"}},
      {"getgrnam",
       {"it returns a pointer to one static group",
        "use getgrnam_r with a buffer of your own"}},
      {"getgrgid",
       {"it returns a pointer to one static group",
        "use getgrgid_r with a buffer of your own"}},
      {"getlogin",
       {"it returns a pointer to one static buffer",
        "use getlogin_r with a buffer of your own"}},
      {"ttyname",
       {"it returns a pointer to one static buffer",
        "use ttyname_r with a buffer of your own"}},
      {"ptsname",
       {"it returns a pointer to one static buffer",
        "use ptsname_r with a buffer of your own"}},
      {"tmpnam",
       {"with a null argument it returns a pointer to one static "
        "buffer, and the name can be taken before it is opened",
        "use mkstemp"}},
      {"lgamma",
       {"it writes the sign to the global signgam",
        "use lgamma_r with a sign variable of your own"}},
      {"ecvt",
       {"it returns a pointer to one static buffer",
        "use snprintf with a buffer of your own"}},
      {"fcvt",
       {"it returns a pointer to one static buffer",
        "use snprintf with a buffer of your own"}},
      {"crypt",
       {"it returns a pointer to one static buffer",
        "use crypt_r with a struct crypt_data of your own"}},
      {"setlocale",
       {"it changes the locale of the whole process while other "
        "threads use it",
        "use uselocale with a locale_t per thread"}},
      {"localeconv",
       {"it returns a pointer to a static struct that "
        "setlocale overwrites",
        "use nl_langinfo_l, or copy the values once at "
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
      "_Exit",
      "_exit",
      "abort",
      "accept",
      "access",
      "aio_error",
      "aio_return",
      "aio_suspend",
      "alarm",
      "bind",
      "cfgetispeed",
      "cfgetospeed",
      "cfsetispeed",
      "cfsetospeed",
      "chdir",
      "chmod",
      "chown",
      "clock_gettime",
      "close",
      "connect",
      "creat",
      "dup",
      "dup2",
      "execl",
      "execle",
      "execv",
      "execve",
      "faccessat",
      "fchdir",
      "fchmod",
      "fchmodat",
      "fchown",
      "fchownat",
      "fcntl",
      "fdatasync",
      "fexecve",
      "ffs",
      "fork",
      "fstat",
      "fstatat",
      "fsync",
      "ftruncate",
      "futimens",
      "getegid",
      "geteuid",
      "getgid",
      "getgroups",
      "getpeername",
      "getpgrp",
      "getpid",
      "getppid",
      "getsockname",
      "getsockopt",
      "getuid",
      "htonl",
      "htons",
      "kill",
      "link",
      "linkat",
      "listen",
      "longjmp",
      "lseek",
      "lstat",
      "memccpy",
      "memchr",
      "memcmp",
      "memcpy",
      "memmove",
      "memset",
      "mkdir",
      "mkdirat",
      "mkfifo",
      "mkfifoat",
      "mknod",
      "mknodat",
      "ntohl",
      "ntohs",
      "open",
      "openat",
      "pause",
      "pipe",
      "poll",
      "posix_trace_event",
      "pselect",
      "pthread_kill",
      "pthread_self",
      "pthread_sigmask",
      "quick_exit",
      "raise",
      "read",
      "readlink",
      "readlinkat",
      "recv",
      "recvfrom",
      "recvmsg",
      "rename",
      "renameat",
      "rmdir",
      "select",
      "sem_post",
      "send",
      "sendmsg",
      "sendto",
      "setgid",
      "setpgid",
      "setsid",
      "setsockopt",
      "setuid",
      "shutdown",
      "sigaction",
      "sigaddset",
      "sigdelset",
      "sigemptyset",
      "sigfillset",
      "sigismember",
      "siglongjmp",
      "signal",
      "sigpause",
      "sigpending",
      "sigprocmask",
      "sigqueue",
      "sigset",
      "sigsuspend",
      "sleep",
      "sockatmark",
      "socket",
      "socketpair",
      "stat",
      "stpcpy",
      "stpncpy",
      "strcat",
      "strchr",
      "strcmp",
      "strcpy",
      "strcspn",
      "strlen",
      "strncat",
      "strncmp",
      "strncpy",
      "strnlen",
      "strpbrk",
      "strrchr",
      "strspn",
      "strstr",
      "strtok_r",
      "symlink",
      "symlinkat",
      "tcdrain",
      "tcflow",
      "tcflush",
      "tcgetattr",
      "tcgetpgrp",
      "tcsendbreak",
      "tcsetattr",
      "tcsetpgrp",
      "time",
      "timer_getoverrun",
      "timer_gettime",
      "timer_settime",
      "times",
      "umask",
      "uname",
      "unlink",
      "unlinkat",
      "utime",
      "utimensat",
      "utimes",
      "wait",
      "waitpid",
      "wcpcpy",
      "wcpncpy",
      "wcscat",
      "wcschr",
      "wcscmp",
      "wcscpy",
      "wcscspn",
      "wcslen",
      "wcsncat",
      "wcsncmp",
      "wcsncpy",
      "wcsnlen",
      "wcspbrk",
      "wcsrchr",
      "wcsspn",
      "wcsstr",
      "wcstok",
      "write",
      // glibc's own names for some of the above
      "__errno_location",
      "pipe2",
      "dup3",
      // C11/C++11: fences made for signal handlers
      "atomic_signal_fence",
      "atomic_thread_fence",
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

/// std::atomic<T> of a T that no instruction updates atomically: the
/// library takes a lock inside (libatomic).
static bool isLockingAtomic(const CXXRecordDecl *RD) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || Spec->getTemplateArgs().size() != 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return false;
  QualType T = Spec->getTemplateArgs()[0].getAsType();
  if (T->isDependentType() || T->isIncompleteType())
    return false;
  uint64_t Bytes = RD->getASTContext().getTypeSizeInChars(T).getQuantity();
  return Bytes != 1 && Bytes != 2 && Bytes != 4 && Bytes != 8;
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
    // constexpr constructors of classes that own nothing (chrono
    // durations) are plain computations; std::string's allocate.
    if (!Ctor || Ctor->isTrivial() || isAtomicClass(Ctor->getParent()) ||
        (Ctor->isConstexpr() && Ctor->getParent()->hasTrivialDestructor()))
      return "";
    if (!InSystem(Ctor)) {
      Next = Ctor->getDefinition() ? cast<FunctionDecl>(Ctor->getDefinition())
                                   : nullptr;
      return "";
    }
    return "the constructor of '" + qualifiedName(Ctor->getParent()) + "'";
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return "";
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return "";
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
    if (isAtomicClass(M->getParent())) {
      if (isLockingAtomic(M->getParent()))
        return "'" + qualifiedName(M) +
               "' on an atomic that is not lock-free (the library takes a "
               "lock)";
      return "";
    }
  if (isAsyncSignalSafe(FD))
    return "";
  if (!InSystem(FD) && !FD->getBuiltinID()) {
    if (const FunctionDecl *Def = FD->getDefinition())
      Next = Def;
    return "";
  }
  auto OwnsNothing = [](QualType T) {
    const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    return !RD || !RD->hasDefinition() || RD->hasTrivialDestructor();
  };
  const auto *M = dyn_cast<CXXMethodDecl>(FD);
  // Const accessors of library objects (s.data(), v.size()) read memory
  // that already exists; iostreams are not that.
  if (M && M->isConst() && OwnsNothing(FD->getReturnType()) &&
      qualifiedName(M->getParent()).find("stream") == std::string::npos)
    return "";
  // constexpr library functions on values that own nothing (std::min,
  // chrono arithmetic) compute; on strings and containers they allocate.
  if (FD->isConstexpr()) {
    const CXXRecordDecl *Cls = M ? M->getParent() : nullptr;
    bool Plain =
        (!Cls || !Cls->hasDefinition() || Cls->hasTrivialDestructor()) &&
        OwnsNothing(FD->getReturnType());
    for (const ParmVarDecl *P : FD->parameters())
      Plain &= OwnsNothing(P->getType());
    if (Plain)
      return "";
  }
  if (FD->getBuiltinID() && !libraryFunctionName(FD))
    return "";
  std::string Name = libraryFunctionName(FD)
                         ? std::string(libraryFunctionName(FD))
                         : qualifiedName(FD);
  return "'" + Name + "'";
}

} // namespace threadlint::model
