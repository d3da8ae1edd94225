#!/usr/bin/env python3
"""Every rule has rules/<id>.json, checks/<Class>Check.h/.cpp, a doc page
docs/rules/<id>.md naming its options and handbook section, and testdata with
more negative than positive cases."""
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
for p in problems:
    print(p)
print('%d passed, %d failed' % (len(rules) - len({p.split(':')[0] for p in problems}), len(problems)))
sys.exit(1 if problems or not rules else 0)
