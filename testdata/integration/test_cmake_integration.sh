#!/usr/bin/env bash
# The plugin inside a CMake build, with the project in bank/ (a lock-order
# cycle whose halves are in src/ledger.cpp and src/audit.cpp, and one blocking
# call under a lock within ledger.cpp):
#
# 1. CMAKE_CXX_CLANG_TIDY given on the command line, as docs/ci-and-ide.md
#    shows it (clang-tidy-19;-load=...;-checks=...;--config=...FactsDir...):
#    the Ninja build succeeds, prints the per-file finding and nothing fatal,
#    writes one facts file per source file; `threadlint merge` reports the
#    cycle across the files with exit code 1 (and SARIF with one result).
# 2. The same through docs/examples/threadlint.cmake: extra CheckOptions reach
#    the plugin, the threadlint-merge target fails the build step on the
#    cycle and writes threadlint.sarif, THREADLINT_FAIL_ON=never makes it
#    pass, `--target clean` removes the facts, THREADLINT_WARNINGS_AS_ERRORS=ON
#    fails the compilation of the file with the finding.
#
# Environment: THREADLINT (driver), THREADLINT_PLUGIN (libthreadlint.so),
# CLANG_TIDY (clang-tidy-19). Needs cmake, ninja and clang++-19.
set -euo pipefail
: "${THREADLINT:?}" "${THREADLINT_PLUGIN:?}" "${CLANG_TIDY:?}"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CXX=${THREADLINT_TEST_CXX:-clang++-19}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# A copy of the project, so that nothing is written into the source tree.
PROJECT=$TMP/bank
cp -r "$HERE/bank" "$PROJECT"

CYCLE="src/audit.cpp:12:9: warning: 'Ledger::mu_' acquired while holding 'Audit::mu_'; elsewhere 'Audit::mu_' is acquired while holding 'Ledger::mu_' (ledger.cpp:8): threads taking these paths at once deadlock [threadlint-lock-order]"
PER_FILE="src/ledger.cpp:19:3: warning: 'std::this_thread::sleep_for' sleeps while holding 'Ledger::mu_' [threadlint-blocking-in-critical-section]"

check_build_log() { # <log> <what>
  if grep -Eiq 'error|fatal|undefined symbol|unable to|not found|unknown' "$1"; then
    fail "$2: the build printed an error:"$'\n'"$(cat "$1")"
  fi
  if grep -q 'threadlint-lock-order' "$1"; then
    fail "$2: a lock-order finding in the build log (ReportInTranslationUnit=false was not applied)"
  fi
  if grep -qF "$PER_FILE" "$1"; then
    pass "$2: the plugin reports in the build log"
  else
    fail "$2: the per-file finding is missing from the build log:"$'\n'"$(cat "$1")"
  fi
}

check_facts() { # <dir> <what>
  local n
  n=$({ find "$1" -maxdepth 1 -name '*.facts.json' 2>/dev/null || true; } | wc -l)
  if [ "$n" -ne 2 ]; then
    fail "$2: $n facts files in $1, expected 2"
    return
  fi
  if python3 - "$1" <<'EOF'; then
import glob, json, os, sys
tus = []
for path in glob.glob(os.path.join(sys.argv[1], '*.facts.json')):
    with open(path) as f:
        doc = json.load(f)
    assert doc['format'] == 'threadlint-facts', path
    tus.append(os.path.basename(doc['tu']))
assert sorted(tus) == ['audit.cpp', 'ledger.cpp'], tus
EOF
    pass "$2: one facts file per source file"
  else
    fail "$2: the facts files are not the expected ones"
  fi
}

# --- 1. CMAKE_CXX_CLANG_TIDY on the command line ------------------------------
FACTS=$TMP/facts
B1=$TMP/build1
CONFIG="--config={CheckOptions: {threadlint-lock-order.FactsDir: '$FACTS', threadlint-lock-order.ReportInTranslationUnit: 'false'}}"
if ! cmake -S "$PROJECT" -B "$B1" -G Ninja -DCMAKE_CXX_COMPILER="$CXX" \
  "-DCMAKE_CXX_CLANG_TIDY=$CLANG_TIDY;-load=$THREADLINT_PLUGIN;-checks=-*,threadlint-*;$CONFIG" \
  >"$TMP/configure1.log" 2>&1; then
  cat "$TMP/configure1.log" >&2
  echo "FAIL: cmake configure" >&2
  exit 1
fi
if cmake --build "$B1" >"$TMP/build1.log" 2>&1; then
  pass "command line: the build succeeds"
else
  fail "command line: the build failed:"$'\n'"$(cat "$TMP/build1.log")"
fi
check_build_log "$TMP/build1.log" "command line"
check_facts "$FACTS" "command line"

rc=0
(cd "$PROJECT" && "$THREADLINT" merge "$FACTS") >"$TMP/merge.out" 2>"$TMP/merge.err" || rc=$?
if [ "$rc" -eq 1 ] && grep -qF "$CYCLE" "$TMP/merge.out" &&
  grep -qF "threadlint: 1 finding in 2 facts files" "$TMP/merge.err"; then
  pass "threadlint merge reports the cycle across the files (exit 1)"
else
  fail "threadlint merge: exit $rc, expected 1 and the cycle; stdout:"$'\n'"$(cat "$TMP/merge.out")"$'\n'"stderr: $(cat "$TMP/merge.err")"
fi
(cd "$PROJECT" && "$THREADLINT" merge "$FACTS" --format=sarif -o "$TMP/merge.sarif" --quiet) || true
if python3 - "$TMP/merge.sarif" <<'EOF'; then
import json, sys
run = json.load(open(sys.argv[1]))['runs'][0]
results = run['results']
assert [r['ruleId'] for r in results] == ['threadlint-lock-order'], results
uri = results[0]['locations'][0]['physicalLocation']['artifactLocation']['uri']
assert uri == 'src/audit.cpp', uri
assert run['invocations'][0]['executionSuccessful'] is True
EOF
  pass "threadlint merge --format=sarif: one lock-order result in src/audit.cpp"
else
  fail "threadlint merge --format=sarif"
fi

# --- 2. docs/examples/threadlint.cmake ----------------------------------------
B2=$TMP/build2
if ! cmake -S "$PROJECT" -B "$B2" -G Ninja -DCMAKE_CXX_COMPILER="$CXX" \
  -DTHREADLINT_MODULE="$ROOT/docs/examples/threadlint.cmake" \
  -DTHREADLINT_PLUGIN="$THREADLINT_PLUGIN" -DTHREADLINT_CLANG_TIDY="$CLANG_TIDY" \
  -DTHREADLINT_DRIVER="$THREADLINT" \
  "-DTHREADLINT_CHECK_OPTIONS=threadlint-blocking-in-critical-section.BlockingFunctions: 'rpc::call, Audit::record'" \
  >"$TMP/configure2.log" 2>&1; then
  cat "$TMP/configure2.log" >&2
  echo "FAIL: cmake configure with docs/examples/threadlint.cmake" >&2
  exit 1
fi
if cmake --build "$B2" >"$TMP/build2.log" 2>&1; then
  pass "module: the build succeeds"
else
  fail "module: the build failed:"$'\n'"$(cat "$TMP/build2.log")"
fi
check_build_log "$TMP/build2.log" "module"
if grep -qF "src/ledger.cpp:8:3: warning: 'Audit::record' is listed as blocking while holding 'Ledger::mu_'" "$TMP/build2.log"; then
  pass "module: THREADLINT_CHECK_OPTIONS reach the plugin"
else
  fail "module: THREADLINT_CHECK_OPTIONS (BlockingFunctions) had no effect:"$'\n'"$(cat "$TMP/build2.log")"
fi
check_facts "$B2/threadlint-facts" "module"

rc=0
cmake --build "$B2" --target threadlint-merge >"$TMP/target.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] && grep -qF "$CYCLE" "$TMP/target.log" && [ -s "$B2/threadlint.sarif" ]; then
  pass "module: the threadlint-merge target fails on the cycle and writes threadlint.sarif"
else
  fail "module: threadlint-merge: exit $rc:"$'\n'"$(cat "$TMP/target.log")"
fi
cmake -DTHREADLINT_FAIL_ON=never "$B2" >/dev/null
if cmake --build "$B2" --target threadlint-merge >"$TMP/target2.log" 2>&1; then
  pass "module: THREADLINT_FAIL_ON=never: threadlint-merge passes"
else
  fail "module: THREADLINT_FAIL_ON=never: threadlint-merge failed:"$'\n'"$(cat "$TMP/target2.log")"
fi
cmake --build "$B2" --target clean >/dev/null
if [ -e "$B2/threadlint-facts" ]; then
  fail "module: --target clean left the facts directory"
else
  pass "module: --target clean removes the facts"
fi

cmake -DTHREADLINT_FAIL_ON=warning -DTHREADLINT_WARNINGS_AS_ERRORS=ON "$B2" >/dev/null
if cmake --build "$B2" >"$TMP/build3.log" 2>&1; then
  fail "module: THREADLINT_WARNINGS_AS_ERRORS=ON: the build passed despite the finding"
elif grep -q "ledger.cpp:19:3: error: .*threadlint-blocking-in-critical-section" "$TMP/build3.log"; then
  pass "module: THREADLINT_WARNINGS_AS_ERRORS=ON fails the build on the finding"
else
  fail "module: THREADLINT_WARNINGS_AS_ERRORS=ON: the build failed for another reason:"$'\n'"$(cat "$TMP/build3.log")"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all CMake integration checks passed"
