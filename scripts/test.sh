#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${THREADLINT_BUILD_DIR:-$ROOT/build}
bash "$ROOT/scripts/install-deps.sh" --test
bash "$ROOT/scripts/build.sh"
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)"
