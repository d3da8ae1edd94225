#!/usr/bin/env python3
"""Runs rule testdata through one front end and checks the inline expectations.

A line with `// expect: threadlint-<rule> "fragment"` must get a finding of
that rule whose message contains the fragment (`// expect-remark:` for a
finding reported at remark level); `// expect-note: "fragment"`
must get a note there. Any finding without an expectation on its line fails:
unannotated code is a negative case. A file may set `// ARGS: <flags>` (the
compiler flags) and `// CONFIG: <clang-tidy config>` in its first lines.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys

EXPECT = re.compile(r'//\s*expect(-remark)?:\s*(threadlint-[\w-]+)(?:\s+"([^"]*)")?')
EXPECT_NOTE = re.compile(r'//\s*expect-note:\s*"([^"]*)"')
DIAG = re.compile(
    r'^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|error|note|remark): '
    r'(?P<msg>.*?)(?: \[(?P<check>[\w,.-]+)\])?$')


def default_args(path):
    return ['-std=c11', '-pthread'] if path.endswith('.c') else ['-std=c++20', '-pthread']


def read_spec(path):
    args, config = default_args(path), None
    expects, notes = {}, {}
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if line.startswith('// ARGS:'):
                args = shlex.split(line[len('// ARGS:'):])
            elif line.startswith('// CONFIG:'):
                config = line[len('// CONFIG:'):].strip()
            for m in EXPECT.finditer(line):
                expects.setdefault(number, []).append(
                    (m.group(2), m.group(3) or '', bool(m.group(1))))
            for m in EXPECT_NOTE.finditer(line):
                notes.setdefault(number, []).append(m.group(1))
    return args, config, expects, notes


def rule_of(path):
    """testdata/checks/<rule>/file.cpp runs with only threadlint-<rule>."""
    parts = os.path.realpath(path).split(os.sep)
    if 'checks' in parts[:-2]:
        return 'threadlint-' + parts[len(parts) - 2]
    return 'threadlint-*'


def run_frontend(opts, path, args, config, cwd=None):
    checks = rule_of(path)
    if opts.frontend == 'driver':
        cmd = [opts.driver, '--quiet', '--fail-on=never', '-j1', '--checks=' + checks]
        if config:
            cmd.append('--config=' + config)
        cmd += [path, '--'] + args
    else:
        cmd = [opts.clang_tidy, '-load', opts.plugin, '-checks=-*,' + checks,
               '--header-filter=.*', '--quiet']
        if config:
            cmd.append('-config=' + config)
        cmd += [path, '--'] + args
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    return proc


def parse_diags(output):
    diags = []
    for line in output.splitlines():
        m = DIAG.match(line)
        if m:
            diags.append(m.groupdict())
    return diags


def check_file(opts, path):
    """Returns a list of failure strings for one file."""
    args, config, expects, notes = read_spec(path)
    proc = run_frontend(opts, path, args, config)
    failures = []
    if opts.frontend == 'driver' and proc.returncode not in (0, 1):
        return ['%s: driver exited %d:\n%s' % (path, proc.returncode, proc.stderr)]
    if opts.frontend == 'plugin' and proc.returncode != 0:
        return ['%s: clang-tidy exited %d:\n%s%s' % (path, proc.returncode, proc.stdout, proc.stderr)]
    diags = parse_diags(proc.stdout)
    real = os.path.realpath(path)
    seen_notes = {}
    unmatched = {line: list(items) for line, items in expects.items()}
    for d in diags:
        same_file = os.path.realpath(d['file']) == real
        if d['kind'] == 'note':
            if same_file:
                seen_notes.setdefault(int(d['line']), []).append(d['msg'])
            continue
        if d['kind'] == 'error':
            failures.append('%s:%s: compiler error: %s' % (path, d['line'], d['msg']))
            continue
        check = d['check'] or ''
        if not check.startswith('threadlint-'):
            continue
        line = int(d['line'])
        candidates = unmatched.get(line, []) if same_file else []
        hit = next((c for c in candidates if c[0] == check and c[1] in d['msg']
                    and c[2] == (d['kind'] == 'remark')), None)
        if hit is None:
            failures.append('%s:%d: unexpected finding: %s [%s]' % (d['file'], line, d['msg'], check))
        else:
            candidates.remove(hit)
    for line, items in sorted(unmatched.items()):
        for check, fragment, _ in items:
            failures.append('%s:%d: expected %s "%s" was not reported' % (path, line, check, fragment))
    for line, fragments in sorted(notes.items()):
        for fragment in fragments:
            if not any(fragment in msg for msg in seen_notes.get(line, [])):
                failures.append('%s:%d: expected note "%s" was not reported' % (path, line, fragment))
    return failures


def instantiate_project(project, build_dir):
    """Writes DIR/compile_commands.json.in with @DEMO_DIR@ (or @PROJECT_DIR@)
    replaced by the project's absolute path into build_dir."""
    project = os.path.realpath(project)
    with open(os.path.join(project, 'compile_commands.json.in'), encoding='utf-8') as f:
        text = f.read().replace('@DEMO_DIR@', project).replace('@PROJECT_DIR@', project)
    os.makedirs(build_dir, exist_ok=True)
    with open(os.path.join(build_dir, 'compile_commands.json'), 'w', encoding='utf-8') as f:
        f.write(text)
    return build_dir


def check_project(opts, project):
    """Runs a whole project (a compile database template and annotated
    sources) and checks every source file's expectations."""
    import json
    import tempfile
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        build = instantiate_project(project, tmp)
        with open(os.path.join(build, 'compile_commands.json'), encoding='utf-8') as f:
            entries = json.load(f)
        sources = sorted({os.path.realpath(os.path.join(e['directory'], e['file'])) for e in entries})
        output = ''
        if opts.frontend == 'driver':
            proc = subprocess.run([opts.driver, '--quiet', '--fail-on=never', '-p', build],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                return ['driver exited %d:\n%s' % (proc.returncode, proc.stderr)]
            output = proc.stdout
        else:
            # The plugin workflow: each translation unit in clang-tidy writes
            # its lock-order facts, then `threadlint merge` reports the
            # project-wide cycles.
            facts = os.path.join(tmp, 'facts')
            config = ('{CheckOptions: {threadlint-lock-order.FactsDir: "%s", '
                      'threadlint-lock-order.ReportInTranslationUnit: "false"}}' % facts)
            for e in entries:
                src = os.path.realpath(os.path.join(e['directory'], e['file']))
                # clang-tidy prints paths as the compile command spells them:
                # run it where the command runs.
                proc = subprocess.run([opts.clang_tidy, '-load', opts.plugin, '-checks=-*,threadlint-*',
                                       '--header-filter=.*', '--quiet', '-config=' + config,
                                       '-p', build, src],
                                      capture_output=True, text=True, cwd=e['directory'])
                if proc.returncode != 0:
                    return ['clang-tidy exited %d on %s:\n%s' % (proc.returncode, src, proc.stderr)]
                for line in proc.stdout.splitlines():
                    m = DIAG.match(line)
                    if m and not os.path.isabs(m.group('file')):
                        line = os.path.join(e['directory'], m.group('file')) + line[len(m.group('file')):]
                    output += line + '\n'
            if os.path.isdir(facts):
                proc = subprocess.run([opts.driver, 'merge', facts, '--quiet', '--fail-on=never'],
                                      capture_output=True, text=True, cwd='/')
                if proc.returncode != 0:
                    return ['threadlint merge exited %d:\n%s' % (proc.returncode, proc.stderr)]
                output += proc.stdout
    if opts.frontend == 'plugin':
        # The plugin reports a header once per translation unit including it;
        # the driver merges them. Compare unique findings.
        output = '\n'.join(dict.fromkeys(output.splitlines()))
    diags = parse_diags(output)
    annotated = []
    for root, _, names in os.walk(os.path.realpath(project)):
        annotated += [os.path.join(root, n) for n in names if n.endswith(('.c', '.cpp', '.cc', '.h', '.hpp'))]
    all_expects = {}
    for path in annotated:
        _, _, expects, notes = read_spec(path)
        all_expects[path] = ({line: list(items) for line, items in expects.items()}, notes)
    seen_notes = {}
    for d in diags:
        path = os.path.realpath(d['file'])
        line = int(d['line'])
        if d['kind'] == 'note':
            seen_notes.setdefault((path, line), []).append(d['msg'])
            continue
        check = d['check'] or ''
        if d['kind'] == 'error' or not check.startswith('threadlint-'):
            failures.append('%s:%d: unexpected diagnostic: %s' % (path, line, d['msg']))
            continue
        candidates = all_expects.get(path, ({}, {}))[0].get(line, [])
        hit = next((c for c in candidates if c[0] == check and c[1] in d['msg']
                    and c[2] == (d['kind'] == 'remark')), None)
        if hit is None:
            failures.append('%s:%d: unexpected finding: %s [%s]' % (path, line, d['msg'], check))
        else:
            candidates.remove(hit)
    for path, (expects, notes) in sorted(all_expects.items()):
        for line, items in sorted(expects.items()):
            for check, fragment, _ in items:
                failures.append('%s:%d: expected %s "%s" was not reported' % (path, line, check, fragment))
        for line, fragments in sorted(notes.items()):
            for fragment in fragments:
                if not any(fragment in m for m in seen_notes.get((path, line), [])):
                    failures.append('%s:%d: expected note "%s" was not reported' % (path, line, fragment))
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--frontend', choices=['driver', 'plugin'], required=True)
    parser.add_argument('--driver')
    parser.add_argument('--plugin')
    parser.add_argument('--clang-tidy', default='clang-tidy-19')
    parser.add_argument('--project', action='append', default=[],
                        help='a project directory with compile_commands.json.in')
    parser.add_argument('paths', nargs='*')
    opts = parser.parse_args()
    for attr in ('driver', 'plugin'):
        if getattr(opts, attr) and os.path.exists(getattr(opts, attr)):
            setattr(opts, attr, os.path.abspath(getattr(opts, attr)))

    files = []
    for p in opts.paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                files += [os.path.join(root, n) for n in names if n.endswith(('.c', '.cpp', '.cc'))]
        else:
            files.append(p)
    files.sort()
    jobs = [(f, f, check_file) for f in files]
    jobs += [('project ' + p, p, check_project) for p in opts.project]
    passed, failed = 0, 0
    for label, target, check in jobs:
        failures = check(opts, target)
        print('%s %s (%s)' % ('FAIL' if failures else 'ok  ', label, opts.frontend))
        for x in failures:
            print('  ' + x)
        failed += bool(failures)
        passed += not failures
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
