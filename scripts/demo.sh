#!/usr/bin/env bash
# Runs threadlint on the bundled demo project (testdata/demo): findings on the
# screen, SARIF written to threadlint-demo.sarif. Installs and builds first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${THREADLINT_BUILD_DIR:-$ROOT/build}
bash "$ROOT/scripts/install-deps.sh"
bash "$ROOT/scripts/build.sh"
DEMO="$ROOT/testdata/demo"
mkdir -p "$BUILD/demo"
sed "s|@DEMO_DIR@|$DEMO|g" "$DEMO/compile_commands.json.in" >"$BUILD/demo/compile_commands.json"
cd "$ROOT"
status=0
"$BUILD/bin/threadlint" -p "$BUILD/demo" --source-root "$ROOT" \
  --sarif-output "$ROOT/threadlint-demo.sarif" || status=$?
echo "SARIF written to $ROOT/threadlint-demo.sarif"
# Exit code 1 means "findings": what the demo is there to show.
[ "$status" -le 1 ]
