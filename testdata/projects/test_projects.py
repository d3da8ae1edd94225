"""End-to-end tests of the threadlint driver on small multi-file projects.

Environment: THREADLINT (the driver), SARIF_MULTITOOL (Microsoft's reference
validator; required when THREADLINT_REQUIRE_MULTITOOL=1).
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.realpath(__file__))
TESTDATA = os.path.dirname(HERE)
DRIVER = os.environ.get('THREADLINT', 'threadlint')
MULTITOOL = os.environ.get('SARIF_MULTITOOL', '')
SCHEMAS = [os.path.join(TESTDATA, 'sarif', n)
           for n in ('sarif-schema-2.1.0.json', 'sarif-schema-2.1.0-2020-12.json')]
GITHUB_RULES = os.path.join(TESTDATA, 'sarif', 'multitool-github-rules.xml')


def instantiate(project, dest):
    """Copies a project to dest and writes its compile database there."""
    shutil.copytree(os.path.join(HERE, project), dest)
    with open(os.path.join(dest, 'compile_commands.json.in')) as f:
        text = f.read().replace('@PROJECT_DIR@', dest)
    with open(os.path.join(dest, 'compile_commands.json'), 'w') as f:
        f.write(text)
    return dest


def run(*args, cwd=None):
    return subprocess.run([DRIVER] + list(args), capture_output=True, text=True, cwd=cwd)


def validate_schema(testcase, doc):
    import jsonschema
    for path in SCHEMAS:
        with open(path) as f:
            schema = json.load(f)
        validator_class = jsonschema.validators.validator_for(schema)
        errors = sorted(validator_class(schema).iter_errors(doc), key=str)
        testcase.assertEqual([], [e.message for e in errors], path)


def validate_multitool(testcase, sarif_path):
    if not (MULTITOOL and os.path.exists(MULTITOOL)):
        if os.environ.get('THREADLINT_REQUIRE_MULTITOOL') == '1':
            testcase.fail('the SARIF multitool is required but missing: %r' % MULTITOOL)
        testcase.skipTest('SARIF multitool not installed')
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, 'report.sarif')
        proc = subprocess.run([MULTITOOL, 'validate', sarif_path, '-c', GITHUB_RULES,
                               '--rule-kind', 'Sarif;Ghas', '--level', 'Error;Warning;Note',
                               '-o', report, '--log', 'ForceOverwrite'],
                              capture_output=True, text=True)
        testcase.assertTrue(os.path.exists(report), proc.stdout + proc.stderr)
        with open(report) as f:
            result = json.load(f)
        # The multitool exits 0 even when it finds errors: count them.
        errors = [r for run in result.get('runs', []) for r in run.get('results', [])
                  if r.get('level') == 'error']
        testcase.assertEqual([], [e['message'] for e in errors])
        # A file it could not load at all gives an empty report.
        testcase.assertTrue(result.get('runs'), 'the multitool produced no run')


def check_golden(testcase, name, text, project):
    """Compares SARIF with testdata/projects/<name>/expected.sarif after
    normalising the project's path and the tool's version."""
    normalised = text.replace('file://' + project + '/', 'file:///PROJECT/')
    normalised = re.sub(r'"(semanticVersion|version)": "\d+\.\d+\.\d+"', r'"\1": "X"', normalised)
    normalised = normalised.replace('"version": "X",\n  "runs"', '"version": "2.1.0",\n  "runs"')
    with open(os.path.join(HERE, name, 'expected.sarif')) as f:
        testcase.assertEqual(normalised, f.read())


class BasicProject(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.project = instantiate('basic', os.path.join(self.tmp, 'basic'))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def sarif(self, *extra):
        out = os.path.join(self.tmp, 'out.sarif')
        proc = run('-p', self.project, '--format=sarif', '-o', out,
                   '--source-root', self.project, *extra)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        with open(out) as f:
            return f.read(), out

    def test_exit_codes(self):
        self.assertEqual(run('-p', self.project).returncode, 1)
        self.assertEqual(run('-p', self.project, '--fail-on=never').returncode, 0)
        self.assertEqual(run('-p', self.project, '--fail-on=error').returncode, 0)
        clean = os.path.join(self.project, 'src', 'clean.c')
        self.assertEqual(run('-p', self.project, clean).returncode, 0)

    def test_text_output_and_header_dedup(self):
        proc = run('-p', self.project, cwd=self.project)
        lines = [l for l in proc.stdout.splitlines() if ': warning: ' in l]
        self.assertEqual(lines, [
            "include/journal.h:10:9: warning: 'write' waits for I/O while holding "
            "'journal_mu' [threadlint-blocking-in-critical-section]",
            "src/queue.cpp:15:5: warning: 'std::this_thread::sleep_for' sleeps while "
            "holding 'queue_mu' [threadlint-blocking-in-critical-section]"])
        self.assertIn('include/journal.h:9:3: note: \'journal_mu\' acquired here', proc.stdout)

    def test_sarif_valid_schema_and_multitool(self):
        text, path = self.sarif()
        doc = json.loads(text)
        validate_schema(self, doc)
        validate_multitool(self, path)  # last: it may skip

    def test_sarif_content(self):
        doc = json.loads(self.sarif()[0])
        run0 = doc['runs'][0]
        self.assertEqual(run0['originalUriBaseIds']['SRCROOT']['uri'], 'file://' + self.project + '/')
        rules = run0['tool']['driver']['rules']
        # Every rule of rules/*.json, sorted by id, whether it fired or not.
        rules_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'rules')
        every = sorted('threadlint-' + json.load(open(os.path.join(rules_dir, f)))['id']
                       for f in os.listdir(rules_dir) if f.endswith('.json'))
        self.assertEqual(len(every), 24)
        self.assertEqual([r['id'] for r in rules], every)
        blocking = rules[every.index('threadlint-blocking-in-critical-section')]
        self.assertIn('external/cwe/cwe-667', blocking['properties']['tags'])
        self.assertTrue(blocking['help']['markdown'])
        results = run0['results']
        self.assertEqual([r['locations'][0]['physicalLocation']['artifactLocation']['uri']
                          for r in results], ['include/journal.h', 'src/queue.cpp'])
        header = results[0]
        self.assertEqual(header['occurrenceCount'], 2)  # seen by two translation units
        flow = header['codeFlows'][0]['threadFlows'][0]['locations']
        self.assertEqual([s['location']['physicalLocation']['region']['startLine'] for s in flow], [9, 10])
        self.assertEqual(header['relatedLocations'][0]['message']['text'], "'journal_mu' acquired here")
        for r in results:
            self.assertRegex(r['partialFingerprints']['primaryLocationLineHash'], r'^[0-9a-f]{16}:\d+$')
        self.assertTrue(run0['invocations'][0]['executionSuccessful'])

    def test_deterministic_across_jobs(self):
        one = self.sarif('-j1')[0]
        two = self.sarif('-j2')[0]
        again = self.sarif('-j2')[0]
        self.assertEqual(one, two)
        self.assertEqual(two, again)

    def test_golden_sarif(self):
        check_golden(self, 'basic', self.sarif()[0], self.project)

    def test_fingerprint_survives_code_moving(self):
        before = json.loads(self.sarif()[0])['runs'][0]['results']
        queue = os.path.join(self.project, 'src', 'queue.cpp')
        with open(queue) as f:
            text = f.read()
        with open(queue, 'w') as f:
            f.write('// a comment\n\n\n' + text)
        after = json.loads(self.sarif()[0])['runs'][0]['results']
        self.assertEqual([r['partialFingerprints'] for r in before],
                         [r['partialFingerprints'] for r in after])
        self.assertNotEqual(before[1]['locations'], after[1]['locations'])

    def test_baseline_new_unchanged_absent(self):
        baseline = os.path.join(self.tmp, 'baseline.sarif')
        self.assertEqual(run('-p', self.project, '--format=sarif', '-o', baseline,
                             '--source-root', self.project).returncode, 1)
        queue = os.path.join(self.project, 'src', 'queue.cpp')
        with open(queue) as f:
            text = f.read()
        # Code moves, an old finding stays, a new bug arrives.
        new_bug = ('\nvoid drain_slowly() {\n  std::lock_guard<std::mutex> guard(queue_mu);\n'
                   '  std::this_thread::sleep_for(std::chrono::seconds(1));\n}\n')
        with open(queue, 'w') as f:
            f.write('// moved down\n\n' + text + new_bug)
        proc = run('-p', self.project, '--baseline', baseline, '--source-root', self.project)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(proc.stdout.count('[threadlint-'), 1, proc.stdout)
        self.assertIn('sleep_for', open(queue).read().splitlines()[
            int(proc.stdout.split(':')[1]) - 1])
        self.assertIn('1 new finding (2 unchanged, 0 absent since the baseline)', proc.stderr)
        out = os.path.join(self.tmp, 'now.sarif')
        run('-p', self.project, '--baseline', baseline, '--format=sarif', '-o', out,
            '--source-root', self.project)
        with open(out) as f:
            doc = json.load(f)
        states = sorted(r['baselineState'] for r in doc['runs'][0]['results'])
        self.assertEqual(states, ['new', 'unchanged', 'unchanged'])
        validate_schema(self, doc)
        # The new bug is fixed and an old one too: nothing new, one absent.
        with open(queue, 'w') as f:
            f.write(text.replace('    std::this_thread::sleep_for(std::chrono::milliseconds(10));', '    ;'))
        proc = run('-p', self.project, '--baseline', baseline, '--format=sarif', '-o', out,
                   '--source-root', self.project)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out) as f:
            states = sorted(r['baselineState'] for r in json.load(f)['runs'][0]['results'])
        self.assertEqual(states, ['absent', 'unchanged'])

    def test_baseline_rejects_other_files(self):
        bogus = os.path.join(self.tmp, 'bogus.sarif')
        with open(bogus, 'w') as f:
            f.write('{"version": "2.1.0", "runs": [{"results": [{"ruleId": "x"}]}]}')
        proc = run('-p', self.project, '--baseline', bogus)
        self.assertEqual(proc.returncode, 2)
        self.assertIn('no threadlint/v2 fingerprint', proc.stderr)
        proc = run('-p', self.project, '--baseline', os.path.join(self.tmp, 'missing.sarif'))
        self.assertEqual(proc.returncode, 2)

    def test_json_output(self):
        proc = run('-p', self.project, '--format=json')
        self.assertEqual(proc.returncode, 1, proc.stderr)
        doc = json.loads(proc.stdout)
        self.assertEqual(doc['version'], 1)
        self.assertEqual([(f['rule'], os.path.basename(f['file'])) for f in doc['findings']],
                         [('threadlint-blocking-in-critical-section', 'journal.h'),
                          ('threadlint-blocking-in-critical-section', 'queue.cpp')])
        first = doc['findings'][0]
        self.assertTrue(first['notes'] and first['fingerprint'] and first['line'] > 0)
        self.assertEqual(doc['notAnalysed'], [])

    def test_max_results_cuts_and_says_so(self):
        out = os.path.join(self.tmp, 'cut.sarif')
        proc = run('-p', self.project, '--format=sarif', '-o', out, '--max-results=1',
                   '--sarif-category=threadlint/basic')
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn('1 of 2 results left out', proc.stderr)
        with open(out) as f:
            doc = json.load(f)
        run0 = doc['runs'][0]
        self.assertEqual(len(run0['results']), 1)
        # GitHub's category is what precedes the last '/': one is added.
        self.assertEqual(run0['automationDetails']['id'], 'threadlint/basic/')
        notes = run0['invocations'][0]['toolExecutionNotifications']
        self.assertEqual(notes[0]['descriptor']['id'], 'threadlint-results-cut')
        validate_schema(self, doc)

    def test_output_written_atomically(self):
        out = os.path.join(self.tmp, 'report.txt')
        with open(out, 'w') as f:
            f.write('old')
        proc = run('-p', self.project, '-o', out)
        self.assertEqual(proc.returncode, 1)
        with open(out) as f:
            self.assertIn('threadlint-blocking-in-critical-section', f.read())
        self.assertEqual(sorted(os.listdir(self.tmp)), ['basic', 'report.txt'])

    def test_checks_filter_and_unknown_rule(self):
        proc = run('-p', self.project, '--checks=threadlint-blocking-in-critcal-section')
        self.assertEqual(proc.returncode, 2)
        self.assertIn("did you mean 'threadlint-blocking-in-critical-section'", proc.stderr)
        proc = run('-p', self.project, '--checks=-threadlint-*')
        self.assertEqual(proc.returncode, 2)
        self.assertIn('enables no rule', proc.stderr)

    def test_list_rules_and_version(self):
        proc = run('--list-rules')
        self.assertEqual(proc.returncode, 0)
        self.assertIn('threadlint-blocking-in-critical-section', proc.stdout)
        proc = run('--version')
        self.assertEqual(proc.returncode, 0)
        self.assertIn('threadlint', proc.stdout)

    def test_config_options(self):
        config = '{CheckOptions: {threadlint-blocking-in-critical-section.ExcludedFunctions: "write"}}'
        proc = run('-p', self.project, '--config=' + config, cwd=self.project)
        self.assertNotIn('journal.h', proc.stdout)
        self.assertIn('queue.cpp', proc.stdout)


class BrokenInputs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.project = instantiate('broken', os.path.join(self.tmp, 'broken'))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_failed_translation_units_keep_other_results(self):
        out = os.path.join(self.tmp, 'out.sarif')
        proc = run('-p', self.project, '--format=sarif', '-o', out, '--source-root', self.project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("'no_such_header.h' file not found", proc.stderr)
        self.assertIn('missing.cpp: error: no such file', proc.stderr)
        with open(out) as f:
            doc = json.load(f)
        validate_schema(self, doc)
        run0 = doc['runs'][0]
        self.assertEqual(len(run0['results']), 1)  # good.cpp still reported
        inv = run0['invocations'][0]
        self.assertFalse(inv['executionSuccessful'])
        failed = sorted(n['locations'][0]['physicalLocation']['artifactLocation']['uri']
                        for n in inv['toolExecutionNotifications'])
        self.assertEqual(failed, ['broken.cpp', 'missing.cpp'])

    def test_malformed_compile_database(self):
        with open(os.path.join(self.project, 'compile_commands.json'), 'w') as f:
            f.write('[{"directory": "/x", "file": ')
        proc = run('-p', self.project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn('cannot load the compilation database', proc.stderr)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)

    def test_missing_build_directory_and_no_input(self):
        proc = run('-p', os.path.join(self.tmp, 'nowhere'))
        self.assertEqual(proc.returncode, 2)
        proc = run()
        self.assertEqual(proc.returncode, 2)
        self.assertIn('nothing to analyse', proc.stderr)

    def test_unknown_option_values(self):
        self.assertEqual(run('-p', self.project, '--format=xml').returncode, 2)
        self.assertEqual(run('-p', self.project, '--fail-on=sometimes').returncode, 2)
        bad = run('-p', self.project, '--checks=-*,threadlint-busy-wait',
                  '--config={CheckOptions: {threadlint-busy-wait.YieldingLoops: loud}}')
        self.assertEqual(bad.returncode, 2)
        self.assertIn("invalid value 'loud' for threadlint-busy-wait.YieldingLoops", bad.stderr)



class ThreadRulesSarif(unittest.TestCase):
    """The thread rules' findings, remarks among them, as SARIF."""

    def test_levels_fixes_and_validity(self):
        files = [os.path.join(TESTDATA, 'checks', rule, name) for rule, name in
                 [('busy-wait', 'yielding.cpp'), ('unjoined-thread', 'basic.cpp'),
                  ('detached-thread', 'captures.cpp')]]
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, 'threads.sarif')
            proc = run('--format=sarif', '-o', out, '--source-root', TESTDATA,
                       '--checks=-*,threadlint-busy-wait,threadlint-unjoined-thread,'
                       'threadlint-detached-thread',
                       *files, '--', '-std=c++20', '-pthread')
            self.assertEqual(proc.returncode, 1, proc.stderr)
            with open(out) as f:
                doc = json.load(f)
            results = doc['runs'][0]['results']
            by_rule = {}
            for r in results:
                by_rule.setdefault(r['ruleId'], []).append(r)
            self.assertEqual(sorted(by_rule), ['threadlint-busy-wait', 'threadlint-detached-thread',
                                               'threadlint-unjoined-thread'])
            # Yielding loops are remarks: SARIF level note; plain flags stay warnings.
            levels = {r['level'] for r in by_rule['threadlint-busy-wait']}
            self.assertEqual(levels, {'note', 'warning'})
            # Every finding tells its story: the trace has at least one step.
            for r in results:
                self.assertTrue(r['codeFlows'][0]['threadFlows'][0]['locations'], r['message'])
            # Remarks alone do not fail the default gate.
            only = run('--checks=-*,threadlint-busy-wait', '--config={CheckOptions: '
                       '{threadlint-busy-wait.YieldingLoops: remark}}',
                       os.path.join(TESTDATA, 'checks', 'busy-wait', 'yielding.cpp'),
                       '--', '-std=c++20', '-pthread')
            self.assertIn('remark:', only.stdout)
            validate_schema(self, doc)
            validate_multitool(self, out)  # last: it may skip


if __name__ == '__main__':
    unittest.main()


PLUGIN = os.environ.get('THREADLINT_PLUGIN', '')
CLANG_TIDY = os.environ.get('CLANG_TIDY', 'clang-tidy-19')


class KeptSuppressions(unittest.TestCase):
    """NOLINT-ed findings: left out by default; with --keep-suppressed kept in
    SARIF with suppressions (kind inSource), never gating, never as text."""

    SOURCE = """#include <thread>
long g_hits = 0, g_misses = 0, g_drops = 0, g_bytes = 0;
void hit() { g_hits++; } // NOLINT(threadlint-non-atomic-update): lossy statistics
// NOLINTNEXTLINE(threadlint-non-atomic-update)
void miss() { g_misses++; }
// NOLINTBEGIN(threadlint-*)
void drop() { g_drops++; }
// NOLINTEND(threadlint-*)
void bytes() { g_bytes++; }
int main() {
  std::thread a(hit), b(hit), c(miss), d(miss), e(drop), f(drop), g(bytes), h(bytes);
  a.join(); b.join(); c.join(); d.join(); e.join(); f.join(); g.join(); h.join();
}
"""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.src = os.path.join(self.tmp, 'stats.cpp')
        with open(self.src, 'w') as f:
            f.write(self.SOURCE)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def sarif(self, *extra):
        out = os.path.join(self.tmp, 'out.sarif')
        proc = run('--format=sarif', '-o', out, '--source-root', self.tmp, *extra,
                   self.src, '--', '-std=c++20', '-pthread')
        with open(out) as f:
            return proc, json.load(f)

    def test_left_out_by_default(self):
        proc, doc = self.sarif()
        self.assertEqual(proc.returncode, 1, proc.stderr)
        results = doc['runs'][0]['results']
        self.assertEqual([r['locations'][0]['physicalLocation']['region']['startLine']
                          for r in results], [9])
        self.assertNotIn('suppressions', results[0])

    def test_kept_for_audits(self):
        proc, doc = self.sarif('--keep-suppressed')
        self.assertEqual(proc.returncode, 1, proc.stderr)
        validate_schema(self, doc)
        results = doc['runs'][0]['results']
        by_line = {r['locations'][0]['physicalLocation']['region']['startLine']: r
                   for r in results}
        self.assertEqual(sorted(by_line), [3, 5, 7, 9])
        for line in (3, 5, 7):
            self.assertEqual(by_line[line]['suppressions'], [{'kind': 'inSource'}])
        self.assertNotIn('suppressions', by_line[9])
        # Positions are exact: the markers were hidden without moving text.
        self.assertEqual(by_line[3]['locations'][0]['physicalLocation']['region']
                         ['startColumn'], 20)

    def test_never_gate_nor_print(self):
        only = os.path.join(self.tmp, 'only.cpp')
        with open(only, 'w') as f:
            f.write(self.SOURCE.replace('void bytes() { g_bytes++; }',
                                        'void bytes() {}'))
        text = run('--keep-suppressed', only, '--', '-std=c++20', '-pthread')
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertEqual(text.stdout, '')
        self.assertIn('0 findings', text.stderr)


class DeadlockProject(unittest.TestCase):
    """A lock-order cycle whose halves live in two translation units."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.project = instantiate('deadlock', os.path.join(self.tmp, 'deadlock'))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def sarif(self, *extra):
        out = os.path.join(self.tmp, 'out.sarif')
        proc = run('-p', self.project, '--format=sarif', '-o', out, '--source-root', self.project, *extra)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        with open(out) as f:
            return json.load(f), out

    def test_cross_file_cycle_with_one_thread_flow_per_side(self):
        doc, path = self.sarif()
        validate_schema(self, doc)
        results = doc['runs'][0]['results']
        self.assertEqual([r['ruleId'] for r in results], ['threadlint-lock-order'])
        r = results[0]
        self.assertIn("'Ledger::mu_' acquired while holding 'Audit::mu_'", r['message']['text'])
        loc = r['locations'][0]['physicalLocation']
        self.assertEqual((loc['artifactLocation']['uri'], loc['region']['startLine']), ('src/audit.cpp', 12))
        whole, per_thread = r['codeFlows']
        self.assertEqual(len(whole['threadFlows']), 1)  # the whole story, for one-flow viewers
        sides = per_thread['threadFlows']
        self.assertEqual(len(sides), 2)
        files = [[s['location']['physicalLocation']['artifactLocation']['uri'] for s in side['locations']]
                 for side in sides]
        self.assertEqual(files, [['src/audit.cpp', 'src/audit.cpp', 'src/ledger.cpp'],
                                 ['src/ledger.cpp', 'src/ledger.cpp', 'src/audit.cpp']])
        self.assertEqual(len(whole['threadFlows'][0]['locations']), 6)
        validate_multitool(self, path)  # last: it may skip

    def test_deterministic_across_jobs(self):
        self.assertEqual(self.sarif('-j1')[0], self.sarif('-j2')[0])

    def test_golden_sarif(self):
        self.sarif()
        with open(os.path.join(self.tmp, 'out.sarif')) as f:
            check_golden(self, 'deadlock', f.read(), self.project)

    def test_lock_graph(self):
        dot = os.path.join(self.tmp, 'locks.dot')
        proc = run('-p', self.project, '--lock-graph=' + dot)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        with open(dot) as f:
            text = f.read()
        self.assertIn('digraph locks', text)
        self.assertEqual(text.count('penwidth=2'), 2)  # the two cycle edges
        self.assertIn('label="g_config_mu"', text)     # a consistent order: not red
        self.assertEqual(text.count(' -> n'), 3)

    def test_fingerprint_survives_code_moving(self):
        before = self.sarif()[0]['runs'][0]['results'][0]
        audit = os.path.join(self.project, 'src', 'audit.cpp')
        with open(audit) as f:
            text = f.read()
        with open(audit, 'w') as f:
            f.write('// moved down\n\n' + text)
        after = self.sarif()[0]['runs'][0]['results'][0]
        self.assertEqual(before['partialFingerprints'], after['partialFingerprints'])
        self.assertNotEqual(before['locations'], after['locations'])

    def run_plugin(self, facts):
        config = ('{CheckOptions: {threadlint-lock-order.FactsDir: "%s", '
                  'threadlint-lock-order.ReportInTranslationUnit: "false"}}' % facts)
        for src in ('src/ledger.cpp', 'src/audit.cpp'):
            proc = subprocess.run([CLANG_TIDY, '-load', PLUGIN, '-checks=-*,threadlint-*',
                                   '-config=' + config, '-p', self.project,
                                   os.path.join(self.project, src)],
                                  capture_output=True, text=True, cwd=self.project)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertNotIn('warning:', proc.stdout)  # each file alone is fine

    def test_plugin_facts_then_merge_equals_driver(self):
        if not (PLUGIN and os.path.exists(PLUGIN)):
            self.skipTest('plugin not built')
        facts = os.path.join(self.tmp, 'facts')
        self.run_plugin(facts)
        self.assertEqual(len([n for n in os.listdir(facts) if n.endswith('.facts.json')]), 2)
        out = os.path.join(self.tmp, 'merged.sarif')
        proc = run('merge', facts, '--format=sarif', '-o', out, '--source-root', self.project)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        with open(out) as f:
            merged = json.load(f)
        driver = self.sarif()[0]
        self.assertEqual(merged['runs'][0]['results'], driver['runs'][0]['results'])

    def test_plugin_fails_when_facts_cannot_be_written(self):
        if not (PLUGIN and os.path.exists(PLUGIN)):
            self.skipTest('plugin not built')
        blocker = os.path.join(self.tmp, 'not-a-directory')
        open(blocker, 'w').close()
        config = '{CheckOptions: {threadlint-lock-order.FactsDir: "%s/facts"}}' % blocker
        proc = subprocess.run([CLANG_TIDY, '-load', PLUGIN, '-checks=-*,threadlint-*',
                               '-config=' + config, '-p', self.project,
                               os.path.join(self.project, 'src', 'audit.cpp')],
                              capture_output=True, text=True, cwd=self.project)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn('cannot write lock-order facts', proc.stdout + proc.stderr)

    def test_merge_rejects_corrupt_and_foreign_facts(self):
        if not (PLUGIN and os.path.exists(PLUGIN)):
            self.skipTest('plugin not built')
        facts = os.path.join(self.tmp, 'facts')
        self.run_plugin(facts)
        with open(os.path.join(facts, 'broken.facts.json'), 'w') as f:
            f.write('{"format": "threadlint-facts", "version": 1, "tu": ')
        with open(os.path.join(facts, 'old.facts.json'), 'w') as f:
            json.dump({'format': 'threadlint-facts', 'version': 0}, f)
        proc = run('merge', facts)
        self.assertEqual(proc.returncode, 2)
        self.assertIn('broken.facts.json: rejected: not a JSON object', proc.stderr)
        self.assertIn('old.facts.json: rejected: facts version 0, this threadlint reads version 1', proc.stderr)
        self.assertIn('threadlint-lock-order', proc.stdout)  # the valid facts still count
        out = os.path.join(self.tmp, 'rejected.sarif')
        proc = run('merge', facts, '--format=sarif', '-o', out)
        self.assertEqual(proc.returncode, 2)
        with open(out) as f:
            inv = json.load(f)['runs'][0]['invocations'][0]
        self.assertFalse(inv['executionSuccessful'])
        self.assertEqual(len(inv['toolExecutionNotifications']), 2)
        self.assertEqual(run('merge', os.path.join(self.tmp, 'nowhere')).returncode, 2)
        empty = os.path.join(self.tmp, 'empty')
        os.mkdir(empty)
        proc = run('merge', empty)
        self.assertEqual(proc.returncode, 2)
        self.assertIn('no facts files', proc.stderr)


class DeadlockSuppressionAndFilters(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.project = instantiate('deadlock', os.path.join(self.tmp, 'deadlock'))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_nolint_on_the_reported_line(self):
        audit = os.path.join(self.project, 'src', 'audit.cpp')
        with open(audit) as f:
            lines = f.read().split('\n')
        lines[11] += ' // NOLINT(threadlint-lock-order)'  # audit.cpp:12
        with open(audit, 'w') as f:
            f.write('\n'.join(lines))
        proc = run('-p', self.project)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertNotIn('threadlint-lock-order', proc.stdout)

    def test_header_filter_hides_cycles_in_headers(self):
        header = os.path.join(self.project, 'include', 'bank.h')
        with open(header, 'a') as f:
            f.write('inline std::mutex g_x_mu, g_y_mu;\n'
                    'inline void xy() { std::lock_guard<std::mutex> a(g_x_mu);'
                    ' std::lock_guard<std::mutex> b(g_y_mu); }\n'
                    'inline void yx() { std::lock_guard<std::mutex> b(g_y_mu);'
                    ' std::lock_guard<std::mutex> a(g_x_mu); }\n')
        shown = run('-p', self.project).stdout
        self.assertIn("'g_y_mu' acquired while holding 'g_x_mu'", shown)
        self.assertEqual(shown.count('[threadlint-lock-order]'), 2)  # once, not per TU
        hidden = run('-p', self.project, '--header-filter=^$').stdout
        self.assertNotIn("g_x_mu", hidden)
        self.assertIn("'Ledger::mu_' acquired while holding 'Audit::mu_'", hidden)

    def test_lock_graph_needs_the_rule(self):
        proc = run('-p', self.project, '--checks=threadlint-recursive-lock',
                   '--lock-graph=' + os.path.join(self.tmp, 'g.dot'))
        self.assertEqual(proc.returncode, 2)
        self.assertIn('--lock-graph needs threadlint-lock-order', proc.stderr)
