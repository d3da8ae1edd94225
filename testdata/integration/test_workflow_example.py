"""docs/examples/github-code-scanning.yml: it parses, has the parts the docs
promise, its shell steps are valid bash, and it does what it says when its
`run:` steps are executed the way a GitHub runner executes them.

Without PyYAML only the structural checks on the text run (the others are
skipped). The run needs THREADLINT (the driver), git, cmake, ninja, jq and
clang++-19; it replaces the steps that install packages and build threadlint
by the driver under test, stands in for actions/checkout with a shallow clone
of a local origin, and checks the file given to upload-sarif instead of
uploading it. Scenarios, on a small CMake project in a Git repository:

- a pull request that adds a finding and moves the old ones down: the job
  fails in the Gate step; the uploaded file has the new result and the two
  unchanged ones; the new finding, and only it, is annotated;
- a pull request from a fork that fixes a finding and adds none: the job
  passes; threadlint.sarif marks the fixed one absent but the uploaded file
  leaves it out; the upload step is skipped (read-only token);
- a push to the default branch with findings: no baseline, the job passes.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKFLOW = os.path.join(ROOT, 'docs', 'examples', 'github-code-scanning.yml')
DRIVER = os.environ.get('THREADLINT', '')

try:
    import yaml
except ImportError:  # python3-yaml is not a dependency of the test suite
    yaml = None


def load_workflow():
    with open(WORKFLOW) as f:
        doc = yaml.safe_load(f)
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in doc:
        doc['on'] = doc.pop(True)
    return doc


class WorkflowText(unittest.TestCase):
    """Runs without PyYAML."""

    def test_has_the_promised_parts(self):
        with open(WORKFLOW) as f:
            text = f.read()
        self.assertNotIn('\t', text, 'tabs are not allowed in YAML indentation')
        for needle in ('github/codeql-action/upload-sarif@v3', '--baseline base.sarif',
                       '--format=sarif -o threadlint.sarif', '--source-root "$GITHUB_WORKSPACE"',
                       'CMAKE_EXPORT_COMPILE_COMMANDS=ON', 'security-events: write',
                       'category: threadlint', 'pull_request', 'clang-tidy-19',
                       'libclang-19-dev'):
            self.assertIn(needle, text)


@unittest.skipIf(yaml is None, 'PyYAML not installed (apt-get install python3-yaml)')
class WorkflowStructure(unittest.TestCase):
    def setUp(self):
        self.doc = load_workflow()
        self.job = self.doc['jobs']['threadlint']
        self.steps = self.job['steps']

    def step(self, name):
        found = [s for s in self.steps if s.get('name') == name]
        self.assertEqual(len(found), 1, name)
        return found[0]

    def test_triggers_and_permissions(self):
        self.assertIn('push', self.doc['on'])
        self.assertIn('pull_request', self.doc['on'])
        self.assertEqual(self.job['permissions']['security-events'], 'write')
        self.assertEqual(self.job['permissions']['contents'], 'read')

    def test_steps_are_well_formed(self):
        names = [s.get('name') for s in self.steps]
        self.assertEqual(len(names), len(set(names)), names)
        for s in self.steps:
            self.assertTrue(('run' in s) != ('uses' in s), s)

    def test_upload(self):
        upload = [s for s in self.steps if s.get('uses', '').startswith(
            'github/codeql-action/upload-sarif@')]
        self.assertEqual(len(upload), 1)
        self.assertEqual(upload[0]['with']['category'], 'threadlint')
        self.assertEqual(upload[0]['with']['sarif_file'], 'threadlint-upload.sarif')

    def test_the_analysis_command(self):
        run = self.step('Run threadlint')['run']
        self.assertIn('"$THREADLINT" -p build --format=sarif -o threadlint.sarif', run)
        self.assertIn('--baseline base.sarif', run)
        self.assertIn('--source-root "$GITHUB_WORKSPACE"', run)
        base = self.step('Analyse the base commit (baseline)')
        self.assertEqual(base['if'], "github.event_name == 'pull_request'")
        self.assertIn('--source-root "$RUNNER_TEMP/base"', base['run'])

    def test_shell_steps_are_valid_bash(self):
        self.assertEqual(self.job['defaults']['run']['shell'], 'bash')
        shellcheck = shutil.which('shellcheck')
        for s in self.steps:
            if 'run' not in s:
                continue
            script = re.sub(r'\$\{\{.*?\}\}', 'x', s['run'])
            proc = subprocess.run(['bash', '-n'], input=script, capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, '%s: %s' % (s['name'], proc.stderr))
            if shellcheck:
                # Steps run under bash -e -o pipefail.
                proc = subprocess.run([shellcheck, '-s', 'bash', '-S', 'warning', '-'],
                                      input='set -eo pipefail\n' + script,
                                      capture_output=True, text=True)
                self.assertEqual(proc.returncode, 0, '%s: %s' % (s['name'], proc.stdout))


# --- a stand-in for the runner --------------------------------------------

TOKEN = re.compile(r"\s*(?:(==|!=|\|\||&&|!|\(|\))|'((?:[^']|'')*)'|([A-Za-z_][\w.\-]*))")


def evaluate(expr, context):
    """Evaluates a GitHub Actions expression made of context paths, string
    literals, ==, !=, !, &&, || and parentheses; anything else is an error,
    so that the test notices when the workflow needs more."""
    tokens, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError('cannot evaluate %r at %d' % (expr, pos))
        op, lit, name = m.groups()
        tokens.append(('op', op) if op else ('lit', lit.replace("''", "'"))
                      if lit is not None else ('name', name))
        pos = m.end()
    tokens.append(('end', None))
    i = 0

    def lookup(path):
        value = context
        for part in path.split('.'):
            if not isinstance(value, dict) or part not in value:
                # Like GitHub, a property the event payload lacks is null;
                # other unknown names are errors in the test.
                if path.startswith('github.event.'):
                    return None
                raise KeyError('unknown context value %r' % path)
            value = value[part]
        return value

    def primary():
        nonlocal i
        kind, val = tokens[i]
        i += 1
        if kind == 'op' and val == '!':
            return not primary()
        if kind == 'op' and val == '(':
            v = disjunction()
            assert tokens[i] == ('op', ')'), expr
            i += 1
            return v
        if kind == 'lit':
            return val
        if kind == 'name':
            return lookup(val)
        raise ValueError('unexpected %r in %r' % (val, expr))

    def comparison():
        nonlocal i
        left = primary()
        while tokens[i] in (('op', '=='), ('op', '!=')):
            op = tokens[i][1]
            i += 1
            right = primary()
            left = (left == right) if op == '==' else (left != right)
        return left

    def conjunction():
        nonlocal i
        v = comparison()
        while tokens[i] == ('op', '&&'):
            i += 1
            right = comparison()
            v = v and right
        return v

    def disjunction():
        nonlocal i
        v = conjunction()
        while tokens[i] == ('op', '||'):
            i += 1
            right = conjunction()
            v = v or right
        return v

    value = disjunction()
    if tokens[i][0] != 'end':
        raise ValueError('trailing tokens in %r' % expr)
    return value


def substitute(text, context):
    return re.sub(r'\$\{\{(.*?)\}\}', lambda m: str(evaluate(m.group(1), context)), text)


def read_key_values(path):
    """Parses a $GITHUB_OUTPUT / $GITHUB_ENV file (name=value and name<<DELIM)."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        if '<<' in line and ('=' not in line or line.index('<<') < line.index('=')):
            name, delim = line.split('<<', 1)
            body = []
            i += 1
            while lines[i] != delim:
                body.append(lines[i])
                i += 1
            out[name] = '\n'.join(body)
        elif '=' in line:
            name, value = line.split('=', 1)
            out[name] = value
        i += 1
    return out


def git(*args, cwd, env=None):
    return subprocess.run(['git'] + list(args), cwd=cwd, env=env, check=True,
                          capture_output=True, text=True).stdout


QUEUE_BASE = """\
#include <chrono>
#include <mutex>
#include <thread>
#include <unistd.h>

std::mutex queue_mu;
int depth;

void retry_push() {
  std::lock_guard<std::mutex> guard(queue_mu);
  while (depth > 100)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ++depth;
}

void log_pop(int fd) {
  std::lock_guard<std::mutex> guard(queue_mu);
  (void)write(fd, "pop\\n", 4);
  --depth;
}
"""

NEW_BUG = """
void drain_slowly() {
  std::lock_guard<std::mutex> guard(queue_mu);
  std::this_thread::sleep_for(std::chrono::seconds(1));
}
"""

CMAKELISTS = """\
cmake_minimum_required(VERSION 3.20)
project(queue CXX)
add_library(queue src/queue.cpp)
"""


@unittest.skipIf(yaml is None, 'PyYAML not installed (apt-get install python3-yaml)')
class WorkflowRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        missing = [t for t in ('git', 'cmake', 'ninja', 'jq', 'clang++-19') if not shutil.which(t)]
        if missing:
            raise unittest.SkipTest('not installed: ' + ' '.join(missing))
        if not (DRIVER and os.access(DRIVER, os.X_OK)):
            raise AssertionError('set THREADLINT to the threadlint driver')
        cls.tmp = tempfile.mkdtemp()
        cls.home = os.path.join(cls.tmp, 'home')
        os.mkdir(cls.home)
        cls.git_env = dict(os.environ, HOME=cls.home, GIT_CONFIG_NOSYSTEM='1',
                           GIT_AUTHOR_NAME='t', GIT_AUTHOR_EMAIL='t@example.com',
                           GIT_COMMITTER_NAME='t', GIT_COMMITTER_EMAIL='t@example.com')
        origin = cls.origin = os.path.join(cls.tmp, 'origin')
        os.makedirs(os.path.join(origin, 'src'))

        def commit(files, message):
            for name, text in files.items():
                with open(os.path.join(origin, name), 'w') as f:
                    f.write(text)
            git('add', '-A', cwd=origin, env=cls.git_env)
            git('commit', '-q', '-m', message, cwd=origin, env=cls.git_env)
            return git('rev-parse', 'HEAD', cwd=origin, env=cls.git_env).strip()

        git('init', '-q', '-b', 'main', cwd=origin, env=cls.git_env)
        git('config', 'uploadpack.allowAnySHA1InWant', 'true', cwd=origin, env=cls.git_env)
        cls.base = commit({'CMakeLists.txt': CMAKELISTS, 'src/queue.cpp': QUEUE_BASE}, 'base')
        git('checkout', '-q', '-b', 'adds-a-bug', cwd=origin, env=cls.git_env)
        cls.with_bug = '// A queue.\n\n\n' + QUEUE_BASE + NEW_BUG
        commit({'src/queue.cpp': cls.with_bug}, 'adds a bug')
        git('checkout', '-q', '-b', 'fixes-a-bug', 'main', cwd=origin, env=cls.git_env)
        commit({'src/queue.cpp': '// A queue.\n' + QUEUE_BASE.replace(
            '  (void)write(fd, "pop\\n", 4);\n', '')}, 'fixes a bug')
        git('checkout', '-q', 'main', cwd=origin, env=cls.git_env)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def run_job(self, name, branch, event):
        """Runs the workflow's job for `event` ('push' or 'pull_request') on
        `branch`; returns (succeeded, log of the steps, workspace)."""
        doc = load_workflow()
        job = doc['jobs']['threadlint']
        top = os.path.join(self.tmp, name)
        workspace = os.path.join(top, 'workspace')
        temp = os.path.join(top, 'runner-temp')
        os.makedirs(temp)
        # actions/checkout: a shallow clone of the commit under analysis.
        subprocess.run(['git', 'clone', '-q', '--depth', '1', '--branch', branch,
                        'file://' + self.origin, workspace], check=True, env=self.git_env)
        files = {k: os.path.join(top, k) for k in ('output', 'env')}
        for f in files.values():
            open(f, 'w').close()
        github = {'event_name': event, 'repository': 'org/project',
                  'event': {'pull_request': {'base': {'sha': self.base},
                                             'head': {'repo': {'full_name': self.head_repo}}}}
                  if event == 'pull_request' else {}}
        context = {'github': github, 'steps': {}, 'env': {}}
        env = dict(self.git_env, CI='true', GITHUB_ACTIONS='true', GITHUB_WORKSPACE=workspace,
                   RUNNER_TEMP=temp, GITHUB_ENV=files['env'], GITHUB_EVENT_NAME=event)
        env.update({k: substitute(str(v), context) for k, v in job.get('env', {}).items()})
        context['env'] = dict(job.get('env', {}))
        log = []
        for step in job['steps']:
            condition = step.get('if')
            if condition is not None and not evaluate(condition, context):
                log.append((step['name'], 'skipped', ''))
                continue
            if step['name'] == 'Install packages':
                log.append((step['name'], 'replaced', 'the packages are installed here'))
                continue
            if step['name'] == 'Build threadlint':
                # The driver under test stands in for the one the step builds.
                with open(files['env'], 'a') as f:
                    f.write('THREADLINT=%s\n' % DRIVER)
                env.update(read_key_values(files['env']))
                log.append((step['name'], 'replaced', DRIVER))
                continue
            if 'uses' in step:
                log.append((step['name'], 'checked', self.stand_in_for_action(step, workspace)))
                continue
            with open(files['output'], 'w'):
                pass
            step_env = dict(env, GITHUB_OUTPUT=files['output'])
            step_env.update({k: substitute(str(v), context)
                             for k, v in step.get('env', {}).items()})
            script = os.path.join(top, 'step.sh')
            with open(script, 'w') as f:
                f.write(step['run'])
            # What `shell: bash` means on a runner.
            proc = subprocess.run(['bash', '--noprofile', '--norc', '-eo', 'pipefail', script],
                                  cwd=os.path.join(workspace, step.get('working-directory', '.')),
                                  env=step_env, capture_output=True, text=True)
            if 'id' in step:
                context['steps'][step['id']] = {'outputs': read_key_values(files['output'])}
            env.update(read_key_values(files['env']))
            log.append((step['name'], proc.returncode, proc.stdout + proc.stderr))
            if proc.returncode != 0:
                return False, log, workspace
        return True, log, workspace

    def stand_in_for_action(self, step, workspace):
        action = step['uses'].split('@')[0]
        if action == 'actions/checkout':
            return 'cloned before the job'
        if action == 'github/codeql-action/upload-sarif':
            path = os.path.join(workspace, step['with']['sarif_file'])
            with open(path) as f:
                doc = json.load(f)
            self.assertEqual(doc['version'], '2.1.0')
            self.assertEqual(len(doc['runs']), 1)
            run = doc['runs'][0]
            # The category input only applies to a run without an id.
            self.assertEqual(run['automationDetails']['id'],
                             step['with']['category'].rstrip('/') + '/')
            self.assertNotIn('absent', [r.get('baselineState') for r in run['results']])
            self.uploaded = doc
            return 'would upload %d results' % len(run['results'])
        if action == 'actions/upload-artifact':
            self.assertTrue(os.path.exists(os.path.join(workspace, step['with']['path'])))
            return 'would keep ' + step['with']['path']
        self.fail('no stand-in for the action ' + action)

    def describe(self, log):
        return '\n'.join('--- %s: %s\n%s' % (n, rc, out) for n, rc, out in log)

    def step_log(self, log, name):
        return [entry for entry in log if entry[0] == name][0]

    def results(self, workspace, name):
        with open(os.path.join(workspace, name)) as f:
            return json.load(f)['runs'][0]['results']

    def test_pull_request_that_adds_a_finding_fails(self):
        self.uploaded, self.head_repo = None, 'org/project'
        ok, log, ws = self.run_job('adds', 'adds-a-bug', 'pull_request')
        text = self.describe(log)
        self.assertFalse(ok, text)
        self.assertEqual(log[-1][0], 'Gate', text)
        self.assertEqual(log[-1][1], 1, text)
        self.assertTrue(os.path.exists(os.path.join(ws, 'base.sarif')), text)
        states = sorted(r['baselineState'] for r in self.uploaded['runs'][0]['results'])
        self.assertEqual(states, ['new', 'unchanged', 'unchanged'], text)
        line = self.with_bug.splitlines().index(
            '  std::this_thread::sleep_for(std::chrono::seconds(1));') + 1
        annotations = [l for l in log[-1][2].splitlines() if l.startswith('::')]
        self.assertEqual(annotations, [
            "::warning file=src/queue.cpp,line=%d,col=3,title=threadlint-blocking-in-critical-section"
            "::'std::this_thread::sleep_for' sleeps while holding 'queue_mu'" % line], text)

    def test_pull_request_from_a_fork_that_fixes_a_finding_passes(self):
        self.uploaded, self.head_repo = None, 'someone/project'
        ok, log, ws = self.run_job('fixes', 'fixes-a-bug', 'pull_request')
        text = self.describe(log)
        self.assertTrue(ok, text)
        self.assertEqual(self.step_log(log, 'Upload to code scanning')[1], 'skipped', text)
        self.assertIn('nothing new to report', log[-1][2], text)
        self.assertEqual([l for l in log[-1][2].splitlines() if l.startswith('::')], [], text)
        self.assertEqual(sorted(r['baselineState'] for r in self.results(ws, 'threadlint.sarif')),
                         ['absent', 'unchanged'], text)
        self.assertEqual([r['baselineState'] for r in self.results(ws, 'threadlint-upload.sarif')],
                         ['unchanged'], text)

    def test_push_with_findings_passes(self):
        self.uploaded, self.head_repo = None, 'org/project'
        ok, log, ws = self.run_job('push', 'main', 'push')
        text = self.describe(log)
        self.assertTrue(ok, text)
        self.assertEqual(self.step_log(log, 'Analyse the base commit (baseline)')[1], 'skipped')
        self.assertFalse(os.path.exists(os.path.join(ws, 'base.sarif')))
        self.assertIn('the branch has findings', log[-1][2], text)
        self.assertEqual(len(self.uploaded['runs'][0]['results']), 2, text)
        self.assertNotIn('baselineState', self.uploaded['runs'][0]['results'][0])


if __name__ == '__main__':
    unittest.main()
