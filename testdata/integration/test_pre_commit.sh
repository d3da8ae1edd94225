#!/usr/bin/env bash
# The pre-commit hook (scripts/pre-commit.sh and .pre-commit-hooks.yaml) in a
# throw-away Git repository with a compile database:
# - a staged buggy file: exit 1 and the finding printed; as .git/hooks/pre-commit
#   the commit is refused, HEAD unchanged;
# - only a clean file staged: exit 0, and `git commit` goes through;
# - only a non-C/C++ file staged: exit 0 without even needing the driver;
# - a staged file missing from the database (even a buggy one): skipped with a
#   message, exit 0; a staged header alone: skipped with a message, exit 0;
# - files passed as arguments (the pre-commit framework's way), driver options
#   passed through, THREADLINT_COMPILE_DB and --build-dir, a missing database
#   (exit 2), staged deletions, a file name with a space.
# Environment: THREADLINT (the driver).
set -euo pipefail
: "${THREADLINT:?set THREADLINT to the threadlint driver}"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
HOOK=$ROOT/scripts/pre-commit.sh
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export THREADLINT

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# run_hook <expected exit code> <description> [args...]: runs the hook in the
# repository, output in $OUT.
run_hook() {
  local want=$1 what=$2 got=0
  shift 2
  OUT=$(cd "$REPO" && "$HOOK" "$@" 2>&1) || got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit $got, expected $want; output:"$'\n'"$OUT"
    return 0 # counted; the checks on the output still run
  fi
  pass "$what (exit $got)"
}
expect_in() { # <text> <description>
  if ! grep -qF -- "$1" <<<"$OUT"; then
    fail "$2: '$1' not in the output:"$'\n'"$OUT"
  fi
}
expect_not_in() {
  if grep -qF -- "$1" <<<"$OUT"; then
    fail "$2: '$1' should not be in the output:"$'\n'"$OUT"
  fi
}
unstage_all() { (cd "$REPO" && git reset -q); }

# --- the repository ---------------------------------------------------------
REPO=$TMP/repo
mkdir -p "$REPO/src" "$REPO/include" "$REPO/build"
cat >"$REPO/src/buggy.cpp" <<'EOF'
#include <chrono>
#include <mutex>
#include <thread>

std::mutex queue_mu;

void retry_push() {
  std::lock_guard<std::mutex> guard(queue_mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
}
EOF
cat >"$REPO/src/clean.cpp" <<'EOF'
#include <mutex>

std::mutex counter_mu;
int counter;

void bump() {
  std::lock_guard<std::mutex> guard(counter_mu);
  ++counter;
}
EOF
cp "$REPO/src/clean.cpp" "$REPO/src/with space.cpp"
# A buggy file that the build does not compile: not in the database.
cp "$REPO/src/buggy.cpp" "$REPO/src/outside.cpp"
printf '#pragma once\nvoid bump();\n' >"$REPO/include/util.h"
printf '# demo\n' >"$REPO/README.md"
python3 - "$REPO" <<'EOF'
import json, sys
repo = sys.argv[1]
entries = [{'directory': repo, 'file': f,
            'arguments': ['clang++-19', '-std=c++17', '-pthread', '-c', f]}
           for f in ('src/buggy.cpp', 'src/clean.cpp', 'src/with space.cpp')]
with open(repo + '/build/compile_commands.json', 'w') as f:
    json.dump(entries, f, indent=1)
EOF
(
  cd "$REPO"
  git init -q
  git config user.name test
  git config user.email test@example.com
  git config commit.gpgsign false
  git config core.hooksPath .git/hooks
  printf 'build/\n' >.gitignore
  git add .gitignore README.md
  git commit -q -m initial
)

# --- invoked as Git would (no arguments: the staged files) ------------------
(cd "$REPO" && git add src/buggy.cpp)
if run_hook 1 "staged buggy file"; then
  expect_in "src/buggy.cpp:9:3: warning: 'std::this_thread::sleep_for' sleeps while holding 'queue_mu' [threadlint-blocking-in-critical-section]" "staged buggy file"
  expect_in "src/buggy.cpp:8:3: note: 'queue_mu' acquired here" "staged buggy file"
  expect_in "commit stopped" "staged buggy file"
fi
unstage_all

(cd "$REPO" && git add src/clean.cpp)
run_hook 0 "only a clean file staged" && expect_not_in "warning:" "only a clean file staged"
unstage_all

(cd "$REPO" && git add "src/with space.cpp")
run_hook 0 "a clean file whose name has a space"
unstage_all

(cd "$REPO" && printf 'more\n' >>README.md && git add README.md)
OUT=$(cd "$REPO" && THREADLINT=/nonexistent/threadlint "$HOOK" 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 0 ] && [ -z "$OUT" ]; then
  pass "only a non-C/C++ file staged (exit 0, silent, driver not needed)"
else
  fail "only a non-C/C++ file staged: exit $rc, output: $OUT"
fi
unstage_all

(cd "$REPO" && git add src/outside.cpp)
if run_hook 0 "staged file not in the database"; then
  expect_in "src/outside.cpp: not in build/compile_commands.json, skipped" "staged file not in the database"
  expect_not_in "warning:" "staged file not in the database"
fi
(cd "$REPO" && git add src/buggy.cpp)
if run_hook 1 "staged files in and not in the database"; then
  expect_in "src/outside.cpp: not in build/compile_commands.json, skipped" "mixed"
  expect_in "src/buggy.cpp:9:3: warning:" "mixed"
fi
unstage_all

(cd "$REPO" && git add include/util.h)
run_hook 0 "only a header staged" && expect_in "include/util.h: a header, not analysed by itself" "only a header staged"
unstage_all

# A staged deletion is not analysed.
(cd "$REPO" && git add src/clean.cpp && git commit -q --no-verify -m clean && git rm -q src/clean.cpp)
run_hook 0 "a staged deletion" && expect_not_in "clean.cpp" "a staged deletion"
(cd "$REPO" && git reset -q && git checkout -q -- src/clean.cpp)

# Unstaged changes on top of a staged file: the hook says what it analyses.
(cd "$REPO" && git add src/buggy.cpp && printf '// edited\n' >>src/buggy.cpp)
run_hook 1 "unstaged changes to a staged file" &&
  expect_in "src/buggy.cpp has unstaged changes" "unstaged changes to a staged file"
(cd "$REPO" && git checkout -q -- src/buggy.cpp && git reset -q)

# Run from a subdirectory: paths are still the repository's.
(cd "$REPO" && git add src/buggy.cpp)
OUT=$(cd "$REPO/src" && "$HOOK" 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 1 ] && grep -qF "src/buggy.cpp:9:3: warning:" <<<"$OUT"; then
  pass "run from a subdirectory"
else
  fail "run from a subdirectory: exit $rc, output: $OUT"
fi
unstage_all

# --- invoked as the pre-commit framework does: files as arguments -----------
run_hook 1 "files as arguments" src/buggy.cpp README.md src/clean.cpp &&
  expect_in "src/buggy.cpp:9:3: warning:" "files as arguments"
run_hook 0 "files as arguments, only clean ones" src/clean.cpp README.md
run_hook 0 "driver options pass through (--fail-on=never)" --fail-on=never src/buggy.cpp &&
  expect_in "src/buggy.cpp:9:3: warning:" "--fail-on=never still prints"
run_hook 2 "a bad driver option is a tool error" --fail-on=sometimes src/buggy.cpp

# --- where the compile database is -------------------------------------------
mv "$REPO/build" "$REPO/out"
run_hook 2 "no compile database" src/buggy.cpp && expect_in "no compile database" "no compile database"
OUT=$(cd "$REPO" && THREADLINT_COMPILE_DB=out "$HOOK" src/buggy.cpp 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 1 ]; then pass "THREADLINT_COMPILE_DB"; else fail "THREADLINT_COMPILE_DB: exit $rc: $OUT"; fi
run_hook 1 "--build-dir=DIR" --build-dir=out src/buggy.cpp
run_hook 1 "--build-dir=FILE.json" --build-dir="$REPO/out/compile_commands.json" src/buggy.cpp
mv "$REPO/out" "$REPO/build"

# --- installed as .git/hooks/pre-commit: git commit itself -------------------
ln -s "$HOOK" "$REPO/.git/hooks/pre-commit"
head_before=$(cd "$REPO" && git rev-parse HEAD)
(cd "$REPO" && git add src/buggy.cpp)
OUT=$(cd "$REPO" && git commit -q -m buggy 2>&1) && rc=0 || rc=$?
if [ "$rc" -ne 0 ] && [ "$(cd "$REPO" && git rev-parse HEAD)" = "$head_before" ] &&
  grep -qF "src/buggy.cpp:9:3: warning:" <<<"$OUT"; then
  pass "git commit refused by the installed hook"
else
  fail "git commit with the hook and a buggy file: exit $rc, output: $OUT"
fi
unstage_all
(cd "$REPO" && printf '\nint other;\n' >>src/clean.cpp && git add src/clean.cpp)
OUT=$(cd "$REPO" && git commit -q -m clean 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 0 ] && [ "$(cd "$REPO" && git rev-parse HEAD)" != "$head_before" ]; then
  pass "git commit of a clean file goes through the installed hook"
else
  fail "git commit of a clean file: exit $rc, output: $OUT"
fi

# --- .pre-commit-hooks.yaml ----------------------------------------------------
python3 - "$ROOT" <<'EOF' || fail ".pre-commit-hooks.yaml"
import os, sys
root = sys.argv[1]
path = os.path.join(root, '.pre-commit-hooks.yaml')
text = open(path).read()
try:
    import yaml
except ImportError:
    yaml = None
if yaml:
    hooks = yaml.safe_load(text)
    hook = {h['id']: h for h in hooks}['threadlint']
    entry, language = hook['entry'], hook['language']
    assert hook.get('require_serial') is True, hook
    assert set(hook['types_or']) == {'c', 'c++'}, hook
else:  # no PyYAML: the lines that matter
    print('PyYAML not installed: checking .pre-commit-hooks.yaml line by line')
    fields = dict(l.strip().lstrip('- ').split(': ', 1) for l in text.splitlines()
                  if l.strip().startswith(('entry:', 'language:', '- id:')))
    assert fields.get('id') == 'threadlint', fields
    entry, language = fields['entry'], fields['language']
assert language == 'script', language
script = os.path.join(root, entry)
assert os.path.isfile(script) and os.access(script, os.X_OK), script + ' is not an executable file'
print('ok: .pre-commit-hooks.yaml names the executable %s' % entry)
EOF

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all pre-commit hook checks passed"
