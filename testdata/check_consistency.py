#!/usr/bin/env python3
"""Every rule has rules/<id>.json, checks/<Class>Check.h/.cpp, a doc page
docs/rules/<id>.md naming its options and handbook section, and testdata with
more negative than positive cases; docs/handbook-coverage.md names exactly the
rules in rules/ (as `threadlint-<id>`, linked to rules/<id>.md)."""
import glob
import json
import os
import re
import sys

root = sys.argv[1]
problems = []
rules = sorted(glob.glob(os.path.join(root, 'rules', '*.json')))
for path in rules:
    meta = json.load(open(path))
    rid = meta['id']
    cls = ''.join(p.capitalize() for p in rid.split('-'))
    for req in ('title', 'level', 'shortDescription', 'fullDescription', 'help', 'handbook', 'cwe'):
        if req not in meta:
            problems.append('%s: missing "%s"' % (path, req))
    if len(meta.get('fullDescription', '')) > 1024:
        problems.append('%s: fullDescription over 1024 characters' % path)
    for ext in ('h', 'cpp'):
        if not os.path.exists(os.path.join(root, 'checks', '%sCheck.%s' % (cls, ext))):
            problems.append('%s: no checks/%sCheck.%s' % (rid, cls, ext))
    doc = os.path.join(root, 'docs', 'rules', rid + '.md')
    if not os.path.exists(doc):
        problems.append('%s: no %s' % (rid, doc))
    else:
        text = open(doc).read()
        for option in meta.get('options', {}):
            if option not in text:
                problems.append('%s: option %s not documented' % (doc, option))
        section = meta.get('handbook', '').split(' ')[0]
        if section and section not in text:
            problems.append('%s: handbook section %s not named' % (doc, section))
    tests = glob.glob(os.path.join(root, 'testdata', 'checks', rid, '*.c*'))
    if not tests:
        problems.append('%s: no testdata/checks/%s/' % (rid, rid))
    positives = negatives = 0
    for t in tests:
        text = open(t).read()
        positives += len(re.findall(r'//\s*expect(?:-remark)?:', text))
        # Distinct functions named *_ok that are defined (a body follows).
        negatives += len(set(re.findall(r'\b(\w+_ok)\s*\([^;{)]*\)[^;{()]*\{', text)))
    if negatives <= positives:
        problems.append('%s: %d positive vs %d negative (_ok) cases; negatives must outnumber'
                        % (rid, positives, negatives))

# The handbook coverage page maps every handbook section to rules: every rule
# it names must exist, and every rule must appear on it.
coverage = os.path.join(root, 'docs', 'handbook-coverage.md')
ids = {json.load(open(path))['id'] for path in rules}
if not os.path.exists(coverage):
    problems.append('%s: missing' % coverage)
else:
    text = open(coverage).read()
    named = set(re.findall(r'threadlint-([a-z0-9]+(?:-[a-z0-9]+)*)', text))
    for rid in sorted(named - ids):
        problems.append('%s: names threadlint-%s, but there is no rules/%s.json'
                        % (coverage, rid, rid))
    for rid in sorted(ids - named):
        problems.append('%s: not named in %s' % (rid, coverage))
    for name, target in sorted(set(re.findall(
            r'\[`threadlint-([a-z0-9-]+)`\]\(([^)]*)\)', text))):
        if target != 'rules/%s.md' % name:
            problems.append('%s: threadlint-%s links to %s, not rules/%s.md'
                            % (coverage, name, target, name))

for p in problems:
    print(p)
failed = {p.split(':')[0] for p in problems}
print('%d passed, %d failed' % (max(0, len(rules) - len(failed)), len(problems)))
sys.exit(1 if problems or not rules else 0)
