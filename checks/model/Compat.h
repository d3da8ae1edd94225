//===--- Compat.h - LLVM version differences in one place ------*- C++ -*-===//
//
// Every difference between the LLVM releases threadlint builds against (19
// through 22) is handled here and nowhere else, so that the rest of the code
// base reads as if there were one LLVM.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_MODEL_COMPAT_H
#define THREADLINT_MODEL_COMPAT_H

#include "llvm/Config/llvm-config.h"

#define THREADLINT_LLVM_MAJOR LLVM_VERSION_MAJOR

#if LLVM_VERSION_MAJOR < 19
#error "threadlint needs LLVM 19 or newer"
#endif

#include "clang/AST/Stmt.h"
#include <string>

namespace threadlint::compat {

/// The text of an asm statement. By LLVM 22 it may be a constant expression
/// (C++26), and getAsmString() returns a std::string.
inline std::string asmText(const clang::GCCAsmStmt *S) {
#if LLVM_VERSION_MAJOR >= 22
  return S->getAsmString();
#else
  return S->getAsmString()->getString().str();
#endif
}

} // namespace threadlint::compat

#endif
