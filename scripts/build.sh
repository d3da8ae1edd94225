#!/usr/bin/env bash
# Configures and builds threadlint (driver, plugin, tests) with Ninja.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${THREADLINT_BUILD_DIR:-$ROOT/build}
LLVM=${THREADLINT_LLVM_VERSION:-19}
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
  -DTHREADLINT_LLVM_VERSION="$LLVM" -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
ninja -C "$BUILD" ${THREADLINT_NINJA_FLAGS:-}
