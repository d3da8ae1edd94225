#!/usr/bin/env bash
# threadlint pre-commit hook: analyses the staged C/C++ translation units that
# are in the project's compile database and fails the commit on findings.
#
#   As a Git hook:   ln -s /path/to/threadlint/scripts/pre-commit.sh .git/hooks/pre-commit
#                    (or copy it there); it reads the staged files from Git.
#   From pre-commit: see .pre-commit-hooks.yaml (id: threadlint); pre-commit
#                    passes the staged files as arguments.
#   By hand:         scripts/pre-commit.sh [driver options] [files...]
#
# Arguments that start with '-' are passed to the driver (use the --opt=value
# form, e.g. --fail-on=error), except --build-dir=DIR, which this script
# reads; the others are files. Without files, the files staged for the commit
# (added, copied, modified or renamed) are analysed.
#
# Environment:
#   THREADLINT_COMPILE_DB  build directory holding compile_commands.json (or the
#                         file itself), relative to the repository root or
#                         absolute; default: build
#   THREADLINT            the threadlint driver; default: threadlint in PATH
#
# Exit codes: 0 nothing to report (also: no staged C/C++ file, or none of them
# in the compile database); 1 findings; 2 tool or setup error.
#
# The driver reads the files from the working tree. The pre-commit framework
# stashes unstaged changes first, so it analyses exactly what is committed;
# as a plain Git hook, a file with unstaged changes is analysed as it is on
# disk (the hook says so).
set -uo pipefail

say() { printf 'threadlint: %s\n' "$*" >&2; }

root=$(git rev-parse --show-toplevel 2>/dev/null) || {
  say "not inside a Git work tree"
  exit 2
}
cd "$root" || exit 2

build_dir=${THREADLINT_COMPILE_DB:-build}
driver_args=()
files=()
for arg in "$@"; do
  case $arg in
    --build-dir=*) build_dir=${arg#--build-dir=} ;;
    -*) driver_args+=("$arg") ;;
    *) files+=("$arg") ;;
  esac
done

from_git=0
if [ ${#files[@]} -eq 0 ]; then
  from_git=1
  while IFS= read -r -d '' f; do
    files+=("$f")
  done < <(git diff --cached --name-only --diff-filter=ACMR -z)
fi

# C/C++ sources and headers; only sources are translation units.
sources=()
headers=()
for f in ${files[@]+"${files[@]}"}; do
  case $f in
    *.c | *.cc | *.cp | *.cpp | *.cxx | *.c++ | *.C | *.CPP) sources+=("$f") ;;
    *.h | *.hh | *.hpp | *.hxx | *.h++ | *.H | *.inl | *.ipp | *.tcc) headers+=("$f") ;;
  esac
done
if [ ${#sources[@]} -eq 0 ] && [ ${#headers[@]} -eq 0 ]; then
  exit 0 # nothing for threadlint in this commit
fi
for h in ${headers[@]+"${headers[@]}"}; do
  say "$h: a header, not analysed by itself (its findings show up through the staged files that include it)"
done
if [ ${#sources[@]} -eq 0 ]; then
  exit 0
fi

db=$build_dir
[ -d "$db" ] && db=$db/compile_commands.json
if [ ! -f "$db" ]; then
  say "no compile database at '$db'; configure the project with" \
    "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or set THREADLINT_COMPILE_DB" \
    "(skip this hook once: git commit --no-verify, or SKIP=threadlint with pre-commit)"
  exit 2
fi
driver=${THREADLINT:-threadlint}
if ! command -v "$driver" >/dev/null 2>&1; then
  say "the driver '$driver' was not found; put threadlint in PATH or set THREADLINT"
  exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
  say "python3 is needed to read '$db'"
  exit 2
fi

# Keep the files that have an entry in the database, spelled as the database
# spells them (directory + file), so that the driver finds their commands.
# Output: "in<TAB>path" or "out<TAB>path", NUL-terminated.
in_db=()
while IFS= read -r -d '' line; do
  case $line in
    in$'\t'*) in_db+=("${line#in$'\t'}") ;;
    out$'\t'*) say "${line#out$'\t'}: not in $db, skipped" ;;
    *) say "$line"; exit 2 ;;
  esac
done < <(python3 - "$db" "${sources[@]}" <<'EOF'
import json, os, sys
db_path, files = sys.argv[1], sys.argv[2:]
try:
    with open(db_path) as f:
        entries = json.load(f)
    known = {}
    for e in entries:
        full = os.path.normpath(os.path.join(e['directory'], e['file']))
        known.setdefault(os.path.realpath(full), full)
except (OSError, ValueError, KeyError, TypeError) as e:
    sys.stdout.write('cannot read %s: %s\0' % (db_path, e))
    sys.exit(0)
for f in files:
    full = known.get(os.path.realpath(f))
    sys.stdout.write(('in\t%s\0' % full) if full else ('out\t%s\0' % f))
EOF
)
if [ ${#in_db[@]} -eq 0 ]; then
  exit 0
fi

if [ $from_git -eq 1 ]; then
  while IFS= read -r -d '' f; do
    for s in "${sources[@]}"; do
      [ "$f" = "$s" ] && say "$f has unstaged changes: the version on disk is analysed"
    done
  done < <(git diff --name-only -z)
fi

"$driver" -p "$db" --format=text ${driver_args[@]+"${driver_args[@]}"} "${in_db[@]}"
status=$?
if [ $status -eq 1 ]; then
  say "commit stopped: fix the findings above, or suppress one with" \
    "// NOLINT(<rule>) and a reason (bypass once: git commit --no-verify)"
fi
exit $status
