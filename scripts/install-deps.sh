#!/usr/bin/env bash
# Installs what threadlint needs on Debian 12: to build (default), and with
# --test also to run the test suite (GoogleTest, python3-jsonschema, Node.js
# and Microsoft's SARIF validator from npm). Installs only what is missing.
set -euo pipefail
LLVM=${THREADLINT_LLVM_VERSION:-19}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${THREADLINT_BUILD_DIR:-$ROOT/build}

pkgs=(cmake ninja-build g++ "clang-$LLVM" "clang-tidy-$LLVM" "libclang-$LLVM-dev"
      "libclang-cpp$LLVM-dev" "llvm-$LLVM-dev" nlohmann-json3-dev python3)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(libgtest-dev python3-jsonschema python3-yaml jq git)
  command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "threadlint: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  MT="$BUILD/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
  if [ ! -x "$MT" ]; then
    echo "threadlint: installing @microsoft/sarif-multitool (npm)"
    mkdir -p "$BUILD/tools"
    if ! npm install --silent --no-audit --no-fund --prefix "$BUILD/tools" \
      @microsoft/sarif-multitool@5.7.0 >"$BUILD/tools/npm.log" 2>&1; then
      echo "threadlint: warning: could not install @microsoft/sarif-multitool" \
        "(see $BUILD/tools/npm.log); SARIF is still validated against the" \
        "JSON schemas, the reference-validator test is skipped" >&2
    fi
  fi
fi
