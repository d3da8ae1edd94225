//===--- SharedState.cpp - state that threads share -----------------------===//

#include "SharedState.h"
#include "Locks.h"
#include "TUModel.h"
#include "Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace threadlint::model {

namespace {
bool isAtomicRecord(const CXXRecordDecl *RD, int Depth = 0) {
  if (!RD || Depth > 4)
    return false;
  std::string N = qualifiedName(RD);
  // libstdc++ and libc++ implement std::atomic<int> and friends in bases
  // (std::__atomic_base<int>, std::__atomic_float, std::__cxx_atomic_impl).
  if (N == "std::atomic" || N == "std::atomic_flag" || N == "std::atomic_ref" ||
      N == "boost::atomic" || llvm::StringRef(N).starts_with("std::__atomic") ||
      llvm::StringRef(N).starts_with("std::__cxx_atomic"))
    return true;
  if (!RD->hasDefinition())
    return false;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (isAtomicRecord(B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return true;
  return false;
}
} // namespace

StateKind stateKind(QualType T) {
  T = T.getNonReferenceType();
  // An array of atomics is atomic state, element by element.
  while (const ArrayType *AT = T->getAsArrayTypeUnsafe())
    T = AT->getElementType();
  if (T->isAtomicType())
    return StateKind::Atomic;
  if (isAtomicRecord(T->getAsCXXRecordDecl()))
    return StateKind::Atomic;
  if (T.isVolatileQualified())
    return StateKind::Volatile;
  return StateKind::Plain;
}

const ValueDecl *accessedDecl(const Expr *E) {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl();
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

bool isAtomicStoreName(llvm::StringRef N) {
  return N == "store" || N == "exchange" || N.starts_with("compare_exchange") ||
         N.starts_with("fetch_") || N == "test_and_set" || N == "clear";
}

namespace {
/// What changes an atomic for a waiter: a store, or a notify.
bool isAtomicWrite(llvm::StringRef N) {
  return isAtomicStoreName(N) || N == "notify_one" || N == "notify_all";
}
} // namespace

bool isAtomicLoad(const AtomicExpr *AE) {
  switch (AE->getOp()) {
  case AtomicExpr::AO__c11_atomic_load:
  case AtomicExpr::AO__atomic_load:
  case AtomicExpr::AO__atomic_load_n:
  case AtomicExpr::AO__opencl_atomic_load:
  case AtomicExpr::AO__scoped_atomic_load:
  case AtomicExpr::AO__scoped_atomic_load_n:
    return true;
  default:
    return false;
  }
}

llvm::DenseMap<const ValueDecl *, std::vector<WriteSite>>
collectWrites(TUModel &Model) {
  llvm::DenseMap<const ValueDecl *, std::vector<WriteSite>> Out;
  for (const FunctionDecl *FD : Model.functions())
    forEachStmt(FD->getBody(), [&](const Stmt *S) {
      const Expr *Target = nullptr;
      if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
        if (BO->isAssignmentOp())
          Target = BO->getLHS();
      } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
        if (UO->isIncrementDecrementOp())
          Target = UO->getSubExpr();
      } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
        if (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
            Op->getOperator() == OO_MinusMinus)
          Target = Op->getArg(0);
      } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
        if (const CXXMethodDecl *M = MC->getMethodDecl())
          if (M->getDeclName().isIdentifier() && isAtomicWrite(M->getName()) &&
              stateKind(MC->getObjectType()) == StateKind::Atomic)
            Target = MC->getImplicitObjectArgument();
      } else if (const auto *AE = dyn_cast<AtomicExpr>(S)) {
        // <stdatomic.h> in C: atomic_store(&x, v) is an AtomicExpr.
        if (!isAtomicLoad(AE)) {
          const Expr *A = AE->getPtr()->IgnoreParenImpCasts();
          if (const auto *UO = dyn_cast<UnaryOperator>(A);
              UO && UO->getOpcode() == UO_AddrOf)
            Target = UO->getSubExpr();
        }
      } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
        // C11 <stdatomic.h> and the GCC builtins: the object is the first
        // argument, by address.
        if (const FunctionDecl *Callee = Call->getDirectCallee())
          if (Callee->getDeclName().isIdentifier() && Call->getNumArgs() > 0) {
            llvm::StringRef N = Callee->getName();
            if (N.starts_with("atomic_store") ||
                N.starts_with("atomic_exchange") ||
                N.starts_with("atomic_fetch_") ||
                N.starts_with("atomic_compare_exchange") ||
                N.starts_with("atomic_flag_test_and_set") ||
                N.starts_with("atomic_flag_clear") ||
                N.starts_with("__atomic_store") ||
                N.starts_with("__atomic_exchange") ||
                N.starts_with("__atomic_fetch_") || N.starts_with("__sync_")) {
              const Expr *A = Call->getArg(0)->IgnoreParenImpCasts();
              if (const auto *UO = dyn_cast<UnaryOperator>(A);
                  UO && UO->getOpcode() == UO_AddrOf)
                Target = UO->getSubExpr();
            }
          }
      }
      if (!Target)
        return;
      if (const ValueDecl *D = accessedDecl(Target))
        Out[D].push_back({S->getBeginLoc(), FD});
    });
  return Out;
}

const Expr *atomicLoadOf(const Expr *E, const ValueDecl *&D) {
  E = E->IgnoreParenImpCasts();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || stateKind(MC->getObjectType()) != StateKind::Atomic)
      return nullptr;
    if (isa<CXXConversionDecl>(M) ||
        (M->getDeclName().isIdentifier() && M->getName() == "load")) {
      D = accessedDecl(MC->getImplicitObjectArgument());
      return D ? MC : nullptr;
    }
    return nullptr;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    llvm::StringRef N = calleeName(CE);
    if ((N == "atomic_load" || N == "atomic_load_explicit") &&
        CE->getNumArgs() > 0) {
      const Expr *A = CE->getArg(0)->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(A);
          UO && UO->getOpcode() == UO_AddrOf)
        D = accessedDecl(UO->getSubExpr());
      return D ? CE : nullptr;
    }
    return nullptr;
  }
  if (const auto *AE = dyn_cast<AtomicExpr>(E)) {
    if (!isAtomicLoad(AE))
      return nullptr;
    const Expr *A = AE->getPtr()->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(A);
        UO && UO->getOpcode() == UO_AddrOf)
      D = accessedDecl(UO->getSubExpr());
    return D ? AE : nullptr;
  }
  if (isa<DeclRefExpr, MemberExpr>(E) && E->getType()->isAtomicType()) {
    D = accessedDecl(E);
    return D ? E : nullptr;
  }
  return nullptr;
}

const ValueDecl *atomicStoreOf(const Stmt *S, const Expr *&Value) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getDeclName().isIdentifier() && M->getName() == "store" &&
        MC->getNumArgs() > 0 &&
        stateKind(MC->getObjectType()) == StateKind::Atomic) {
      Value = MC->getArg(0);
      return accessedDecl(MC->getImplicitObjectArgument());
    }
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
        stateKind(OC->getArg(0)->getType()) == StateKind::Atomic) {
      Value = OC->getArg(1);
      return accessedDecl(OC->getArg(0));
    }
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    if (BO->getOpcode() == BO_Assign &&
        BO->getLHS()->getType()->isAtomicType()) {
      Value = BO->getRHS();
      return accessedDecl(BO->getLHS());
    }
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    llvm::StringRef N = calleeName(CE);
    if ((N == "atomic_store" || N == "atomic_store_explicit") &&
        CE->getNumArgs() > 1) {
      const Expr *A = CE->getArg(0)->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(A);
          UO && UO->getOpcode() == UO_AddrOf) {
        Value = CE->getArg(1);
        return accessedDecl(UO->getSubExpr());
      }
    }
  }
  if (const auto *AE = dyn_cast<AtomicExpr>(S))
    if (AE->getOp() == AtomicExpr::AO__c11_atomic_store ||
        AE->getOp() == AtomicExpr::AO__atomic_store_n) {
      const Expr *A = AE->getPtr()->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(A);
          UO && UO->getOpcode() == UO_AddrOf) {
        Value = AE->getVal1();
        return accessedDecl(UO->getSubExpr());
      }
    }
  return nullptr;
}

std::string stateName(const ValueDecl *D) {
  if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->isLocalVarDeclOrParm())
    return VD->getName().str();

  return qualifiedName(D);
}

} // namespace threadlint::model
