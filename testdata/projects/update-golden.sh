#!/usr/bin/env bash
# Regenerates testdata/projects/<name>/expected.sarif with the built driver,
# normalised as test_projects.py compares it. Review the diff before committing.
# Usage: testdata/projects/update-golden.sh basic deadlock
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DRIVER=${THREADLINT:-$HERE/../../build/bin/threadlint}
for name in "$@"; do
  tmp=$(mktemp -d)
  cp -r "$HERE/$name" "$tmp/$name"
  sed "s|@PROJECT_DIR@|$tmp/$name|g" "$tmp/$name/compile_commands.json.in" \
    >"$tmp/$name/compile_commands.json"
  "$DRIVER" -p "$tmp/$name" --format=sarif -o "$tmp/out.sarif" \
    --source-root "$tmp/$name" --quiet || true
  /usr/bin/python3 - "$tmp" "$name" "$HERE/$name/expected.sarif" <<'PY'
import re, sys
tmp, name, dest = sys.argv[1:]
t = open(tmp + '/out.sarif').read()
t = t.replace('file://%s/%s/' % (tmp, name), 'file:///PROJECT/')
t = re.sub(r'"(semanticVersion|version)": "\d+\.\d+\.\d+"', r'"\1": "X"', t)
t = t.replace('"version": "X",\n  "runs"', '"version": "2.1.0",\n  "runs"')
open(dest, 'w').write(t)
PY
  rm -rf "$tmp"
done
