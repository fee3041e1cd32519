"""The real ``openstack`` process against the misbehaving server.

Exit status, ``--debug``, Ctrl-C (also in a run started with SIGINT
ignored) and the progress line on a terminal: each starts ``openstack`` as
a subprocess, so they live in the slow tier.  The server and the shell
runner are those of tests/unit/test_hostile.py.
"""

import json
import os
import pty
import signal
import subprocess
import sys

import testtools

from tests import hostile_server as hs
from tests import shellrun
from tests.unit import test_hostile as hostile

TOKEN = hostile.TOKEN
BACKUPS = hostile.BACKUPS


class TestProcess(hostile.HostileTest):
    """The real ``openstack`` process: exit status, --debug, Ctrl-C."""

    def test_debug_never_shows_the_token(self):
        # Given as OS_TOKEN: OSC itself echoes its command line in --debug.
        auth = [a for a in self.auth() if a not in ('--os-token', TOKEN)]
        rc, out, err = self.run_cli(*(auth + [
            '--debug', 'vbs', 'backup', 'list', '-f', 'json']),
            env={'OS_TOKEN': TOKEN})
        self.assertEqual(0, rc, err)
        self.assertEqual(len(BACKUPS), len(json.loads(out)))
        self.assertIn('backups/detail', err)  # the request log is there
        self.assertNotIn(TOKEN, err)
        self.assertNotIn(TOKEN, out)

    def test_error_exit_status_without_traceback(self):
        self.fake.quirk = lambda r, b: hs.Reply(
            500, json_body={'computeFault': {'code': 500,
                                             'message': 'db is down'}})
        rc, out, err = self.run_cli(*(self.auth() + [
            'vbs', 'backup', 'list']))
        self.assertOneLineError(rc, out, err, 'answered 500', 'db is down')

    def test_ctrl_c_exits_130_without_traceback(self):
        self.fake.quirk = lambda r, b: hs.Reply(action='hang', seconds=30)
        proc = shellrun.popen_interruptible(
            [shellrun.openstack_command()] + self.auth() + [
                'vbs', 'backup', 'list'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True)
        self.addCleanup(proc.kill)
        self.assertTrue(hs.wait_until(lambda: self.list_requests(), 30))
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(130, proc.returncode, err)
        self.assertNotIn('Traceback', err)
        self.assertEqual('', out)


class TestCtrlCWithSigintIgnored(testtools.TestCase):
    """The Ctrl-C tests hold in a run started with SIGINT ignored."""

    # One is enough: both start their child through the same helper.
    TEST = ('tests.slow.test_process.TestProcess.'
            'test_ctrl_c_exits_130_without_traceback')

    def test_ctrl_c_tests_pass_when_sigint_is_ignored(self):
        # As under nohup: the ignored disposition is inherited by the test
        # runner and, through it, by every child it starts.
        runner = ('import runpy, signal, sys; '
                  'signal.signal(signal.SIGINT, signal.SIG_IGN); '
                  'sys.argv[0] = "testtools.run"; '
                  'runpy.run_module("testtools.run", run_name="__main__")')
        proc = subprocess.run(
            [sys.executable, '-c', runner, self.TEST],
            capture_output=True, text=True, stdin=subprocess.DEVNULL,
            timeout=120)
        self.assertEqual(0, proc.returncode, proc.stdout + proc.stderr)
        self.assertIn('Ran 1 test', proc.stdout + proc.stderr)


class TestProgressOnATerminal(hostile.HostileTest):

    def run_with_stderr_on_a_pty(self, *args):
        leader, follower = pty.openpty()
        proc = subprocess.Popen(
            [shellrun.openstack_command()] + self.auth() + list(args),
            stdout=subprocess.PIPE, stderr=follower,
            stdin=subprocess.DEVNULL)
        os.close(follower)
        out = proc.stdout.read()
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(60)
        os.close(leader)
        return proc.returncode, out.decode(), b''.join(chunks).decode()

    def test_progress_on_stderr_only_when_it_is_a_terminal(self):
        rc, out, err = self.run_with_stderr_on_a_pty(
            'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID')
        self.assertEqual(0, rc, err)
        self.assertEqual(self.expected(BACKUPS), out.split())
        self.assertIn('\rListing VBS backups: 10 so far of 25, page 2...',
                      err)
        self.assertIn('\rListing VBS backups: 20 so far of 25, page 3...',
                      err)
        self.assertTrue(err.endswith('\r\x1b[K'), repr(err))
        # Not a terminal: nothing extra, and no count is asked for.
        self.server.requests.clear()
        rc, out2, err2 = self.run_cli(*(self.auth() + [
            'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID']))
        self.assertEqual((0, out, ''), (rc, out2, err2))
        self.assertNotIn('with_count', self.list_requests()[0]['query'])

    def test_single_page_shows_nothing(self):
        self.fake.backups = BACKUPS[:5]
        rc, out, err = self.run_with_stderr_on_a_pty(
            'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID')
        self.assertEqual(0, rc, err)
        self.assertEqual('', err)


class TestConcurrentPagesCtrlC(hostile.HostileTest):
    """Ctrl-C at the default page concurrency."""

    concurrency = '4'

    def test_ctrl_c_exits_130_at_once(self):
        def quirk(request, body):
            if 'marker' in request['query']:
                return hs.Reply(action='hang', seconds=30)
        self.fake.quirk = quirk
        proc = shellrun.popen_interruptible(
            [shellrun.openstack_command()] + self.auth() + [
                'vbs', 'backup', 'list'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True,
            env=dict(os.environ, OS_VBS_PAGE_CONCURRENCY='4'))
        self.addCleanup(proc.kill)
        self.assertTrue(hs.wait_until(lambda: len(self.list_requests()) == 3,
                                      30))
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        self.assertEqual(130, proc.returncode, err)
        self.assertNotIn('Traceback', err)
        self.assertEqual('', out)
