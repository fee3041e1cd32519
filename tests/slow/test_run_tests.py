"""tools/run-tests: its summary, and missing Pythons outside and under CI.

tox is replaced by a stand-in that prints what tox 4 prints for such a run
(one environment tested, two whose Python is missing), so the script's own
logic is what is tested.
"""

import os
import subprocess

import fixtures
import testtools

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# "python -m tox ...": answers --version, records the arguments, then
# prints tox's output for a run with or without skipping missing Pythons.
FAKE_PYTHON = '''#!/bin/sh
shift 2
[ "$1" = --version ] && exit 0
printf '%s\\n' "$@" >"$FAKE_TOX_DIR/args"
if [ "$1" = --skip-missing-interpreters ]; then
    cat "$FAKE_TOX_DIR/skip.out"; exit "$(cat "$FAKE_TOX_DIR/skip.rc")"
fi
cat "$FAKE_TOX_DIR/fail.out"; exit 1
'''

TESTED = '''py311: commands[0]> stestr run --suppress-attachments
======
Totals
======
 - Passed: 5
 - Failed: 0
 - Skipped: 1
 - Expected Fail: 0
 - Unexpected Success: 0
 - Total: 6
py311: OK \u2714 in 3.1 seconds
'''

SKIP_OUT = TESTED + '''\
py310: skipped because could not find python interpreter with spec(s): py310
py310: SKIP \u26a0 in 0.92 seconds
lower-constraints: skipped because could not find python interpreter with \
spec(s): python3.10
  py311: OK (3.1=setup[1.0]+cmd[2.1] seconds)
  py310: SKIP (0.92 seconds)
  lower-constraints: SKIP (0.59 seconds)
  congratulations :) (4.61 seconds)
'''

FAIL_OUT = TESTED + '''\
py310: failed with could not find python interpreter matching any of the \
specs py310
py310: FAIL \u2716 in 1.78 seconds
lower-constraints: failed with could not find python interpreter matching \
any of the specs python3.10
  py311: OK (3.1=setup[1.0]+cmd[2.1] seconds)
  py310: FAIL code 1 (1.78 seconds)
  lower-constraints: FAIL code 1 (1.05 seconds)
  evaluation failed :( (5.94 seconds)
'''


class TestRunTests(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        venv_bin = os.path.join(self.dir, 'venv', 'bin')
        os.makedirs(venv_bin)
        python = os.path.join(venv_bin, 'python')
        with open(python, 'w') as fh:
            fh.write(FAKE_PYTHON)
        os.chmod(python, 0o755)
        self.write('skip.out', SKIP_OUT)
        self.write('skip.rc', '0')
        self.write('fail.out', FAIL_OUT)

    def write(self, name, text):
        with open(os.path.join(self.dir, name), 'w') as fh:
            fh.write(text)

    def run_tests(self, ci):
        env = {k: v for k, v in os.environ.items() if k != 'CI'}
        # RabbitMQ, which the functional tier needs, taken as installed.
        env.update(VBS_TOOLS_VENV=os.path.join(self.dir, 'venv'),
                   FAKE_TOX_DIR=self.dir, VBS_RABBITMQ_SERVER='/bin/sh')
        if ci is not None:
            env['CI'] = ci
        proc = subprocess.run(
            ['bash', os.path.join(ROOT, 'tools', 'run-tests')],
            capture_output=True, text=True, env=env,
            stdin=subprocess.DEVNULL, timeout=60)
        with open(os.path.join(self.dir, 'args')) as fh:
            args = fh.read().split()
        return proc.returncode, proc.stdout.splitlines(), args

    def test_outside_ci_a_missing_python_is_skipped(self):
        for ci in (None, '', 'false'):
            rc, lines, args = self.run_tests(ci)
            self.assertEqual(0, rc, lines)
            self.assertEqual(['--skip-missing-interpreters', 'true'], args)
            self.assertEqual([
                'skipped: py310, no python3.10 found',
                'skipped: lower-constraints, no python3.10 found',
                '5 passed, 0 failed, 3 skipped'], lines[-3:])

    def test_every_environment_skipped_is_no_failure(self):
        # tools/run-tests -e py310 without it: tox itself exits 1.
        self.write('skip.out', 'py310: skipped because could not find '
                   'python interpreter with spec(s): py310\n'
                   '  py310: SKIP (0.03 seconds)\n'
                   '  evaluation failed :( (8.02 seconds)\n')
        self.write('skip.rc', '1')
        rc, lines, args = self.run_tests(None)
        self.assertEqual(0, rc, lines)
        self.assertEqual(['skipped: py310, no python3.10 found',
                          '0 passed, 0 failed, 1 skipped'], lines[-2:])

    def test_under_ci_a_missing_python_fails(self):
        rc, lines, args = self.run_tests('true')
        self.assertEqual(1, rc, lines)
        self.assertEqual([], args)
        self.assertEqual([
            'failed: py310, no python3.10 found (required under CI)',
            'failed: lower-constraints, no python3.10 found (required '
            'under CI)',
            '5 passed, 2 failed, 1 skipped'], lines[-3:])

    def test_failed_tests_and_a_failed_step_both_count(self):
        self.write('fail.out', TESTED.replace(
            ' - Failed: 0', ' - Failed: 2').replace('py311: OK', 'py311: FAIL')
            + 'pep8: commands[0]> flake8\n./x.py:1:1: F401\n'
            '  py311: FAIL code 1 (3.1 seconds)\n'
            '  pep8: FAIL code 1 (2.0 seconds)\n')
        rc, lines, args = self.run_tests('true')
        self.assertEqual(1, rc, lines)
        self.assertEqual('5 passed, 3 failed, 1 skipped', lines[-1])

    def test_tox_failing_without_a_failed_environment_is_a_failure(self):
        self.write('fail.out', 'ROOT: HandledError| provided environments '
                   'not found in configuration file: nope\n')
        rc, lines, args = self.run_tests('true')
        self.assertEqual(1, rc, lines)
        self.assertEqual('0 passed, 1 failed, 0 skipped', lines[-1])

    def test_every_stestr_run_of_an_environment_counts(self):
        # tox -e slow runs stestr twice; a failed test in the second is
        # that one failure, not one more for the environment.
        def run(path, passed, failed):
            return ('slow: commands[%d]> stestr %srun --suppress-attachments\n'
                    '======\nTotals\n======\n - Passed: %d\n'
                    ' - Failed: %d\n - Skipped: 0\n'
                    % (bool(path), path, passed, failed))
        self.write('fail.out', run('', 5, 0) + run('--test-path x ', 2, 1)
                   + '  slow: FAIL code 1 (9.0 seconds)\n')
        rc, lines, args = self.run_tests('true')
        self.assertEqual(1, rc, lines)
        self.assertEqual('7 passed, 1 failed, 0 skipped', lines[-1])
