#!/usr/bin/env python3
"""Benchmark: the threadlint driver against `clang -fsyntax-only` over the same
translation units. Not a test: it prints medians and their ratio.

  scripts/bench.py                       the demo project
  scripts/bench.py -p build/             any compile database (repeatable)
"""
import argparse
import json
import re
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def syntax_only_commands(db_dir, llvm):
    with open(os.path.join(db_dir, 'compile_commands.json')) as f:
        entries = json.load(f)
    cmds = []
    for e in entries:
        args = e.get('arguments') or shlex.split(e['command'])
        src = e['file']
        compiler = 'clang-%s' % llvm if src.endswith('.c') else 'clang++-%s' % llvm
        out, skip = [compiler], False
        for a in args[1:]:
            if skip:
                skip = False
                continue
            if a in ('-c', src):
                continue
            if a == '-o':
                skip = True
                continue
            out.append(a)
        cmds.append((e['directory'], out + ['-fsyntax-only', src]))
    return cmds


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('-p', dest='dbs', action='append', default=[], help='build dir with compile_commands.json')
    ap.add_argument('--driver', default=os.path.join(ROOT, 'build', 'bin', 'threadlint'))
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--llvm', default=os.environ.get('THREADLINT_LLVM_VERSION', '19'))
    ap.add_argument('--checks', default='threadlint-*')
    opts = ap.parse_args()

    tmp = tempfile.mkdtemp()
    dbs = opts.dbs
    if not dbs:
        demo = os.path.join(ROOT, 'testdata', 'demo')
        with open(os.path.join(demo, 'compile_commands.json.in')) as f:
            text = f.read().replace('@DEMO_DIR@', demo)
        with open(os.path.join(tmp, 'compile_commands.json'), 'w') as f:
            f.write(text)
        dbs = [tmp]

    for db in dbs:
        cmds = syntax_only_commands(db, opts.llvm)

        def clang():
            for cwd, cmd in cmds:
                subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        merges = []

        def driver():
            # -j1: the same serial work as the clang loop above.
            p = subprocess.run([opts.driver, '-p', db, '-j1', '--quiet', '--fail-on=never',
                                '--timings', '--checks=' + opts.checks, '-o', os.devnull],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if p.returncode != 0:
                sys.exit('driver failed (%d): %s' % (p.returncode, p.stderr))
            m = re.search(r'merge ([0-9.]+) s', p.stderr)
            if m:
                merges.append(float(m.group(1)))

        clang()  # warm the file cache
        c = [timed(clang) for _ in range(opts.runs)]
        d = [timed(driver) for _ in range(opts.runs)]
        mc, md = statistics.median(c), statistics.median(d)
        print('%s: %d translation units, %d runs each' % (db, len(cmds), opts.runs))
        print('  clang-%s -fsyntax-only  median %.3f s' % (opts.llvm, mc))
        print('  threadlint (%s)  median %.3f s' % (opts.checks, md))
        print('  ratio threadlint / syntax-only: %.2f' % (md / mc))
        if merges:
            print('  of which the project-wide lock-order merge: median %.3f s' % statistics.median(merges))


if __name__ == '__main__':
    main()
