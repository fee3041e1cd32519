"""Faults of a real deployment, on the real Keystone and Cinder.

A cinder-api of this module's own (pages of PAGE, one worker) is stopped
(SIGTERM, as a service restart does) after page 3 of a listing and started
again; its tokens are validated on every request (no keystonemiddleware
cache), so a token revoked mid-listing is refused at the next page.
Commands run as real ``openstack`` processes.  Each test records its
timings as the detail "timings".
"""

import os
import re
import secrets
import signal
import subprocess
import threading
import time

from testtools import content

from tests.functional import base
from tests.harness import front
from tests.harness import httpjson
from tests.harness import keystone as keystone_mod
from tests.harness import procs
from tests import shellrun

PAGE = 5
# 41 page requests one at a time: the stop, acted on once the log shows
# page 3, lands mid-listing with 38 pages to spare on a loaded machine.
TOTAL = 200
USER = 'vbs-restart-user'

_OWN = {}


def own_cinder(cloud):
    """This module's cinder-api on the cloud's database (started once)."""
    if cloud not in _OWN:
        api = cloud._new_cinder('cinder-restart', procs.free_port(), PAGE)
        with open(api.conf_path) as fh:
            conf = fh.read()
        # A revoked token is refused at once, not after keystonemiddleware
        # cached it valid for 5 minutes.
        conf = conf.replace('[keystone_authtoken]\n',
                            '[keystone_authtoken]\ntoken_cache_time = -1\n')
        with open(api.conf_path, 'w') as fh:
            fh.write(conf)
        cloud.extra_cinders.append(api)  # stopped with the cloud
        api.start()
        api.wait()
        _OWN[cloud] = api
    return _OWN[cloud]


class RestartTest(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = own_cinder(cls.cloud)
        cls.cloud.clear_backups()
        cls.rows = cls.cloud.seed_backups(TOTAL)
        cls.expected = [r['id'] for r in reversed(cls.rows)]
        cls.endpoint = '%s/v3/%s' % (cls.api.url,
                                     cls.cloud.member.project_id)
        # A user of its own: revoking its tokens leaves the harness's
        # cached member and admin tokens alone.
        cls.password = secrets.token_urlsafe(12)
        admin = cls.cloud.keystone_admin()
        cls.user_id = admin.ensure_user(USER, cls.password,
                                        cls.cloud.member.project_id)
        admin.grant(cls.cloud.member.project_id, cls.user_id, 'member')
        # Setting the password of a user made by an earlier class revokes
        # its tokens, counted in whole seconds: a token the first test
        # gets in that same second would be refused too.
        time.sleep(1.1)

    def setUp(self):
        super().setUp()
        self.timings = {}
        self.retries = None
        self.addCleanup(self.record_timings)
        self.addCleanup(self.ensure_running)

    def record_timings(self):
        text = ' '.join('%s=%.2fs' % item
                        for item in sorted(self.timings.items()))
        if self.retries is not None:
            text += ' retries=%d' % self.retries
        self.addDetail('timings', content.text_content(text))

    def ensure_running(self):
        if not self.api.server.running():
            self.api.start()
            self.api.wait()

    # -- commands ---------------------------------------------------------
    def command_env(self, env=None):
        full = {k: v for k, v in os.environ.items()
                if k not in self.CLEAN_ENV}
        full['OS_CLIENT_CONFIG_FILE'] = base.clouds_file(self.cloud)
        full.update(env or {})
        return full

    def member_args(self, *options):
        return ('--os-cloud', 'vbs-local', '--os-vbs-endpoint-override',
                self.endpoint) + options

    def user_env(self):
        """Password auth of this module's own user."""
        return {'OS_AUTH_URL': self.cloud.keystone_url,
                'OS_USERNAME': USER, 'OS_PASSWORD': self.password,
                'OS_PROJECT_ID': self.cloud.member.project_id,
                'OS_USER_DOMAIN_NAME': 'Default',
                'OS_IDENTITY_API_VERSION': '3',
                'OS_VBS_ENDPOINT_OVERRIDE': self.endpoint}

    def vbs_list(self, args, env=None, after_pages=None, action=None):
        """(status, stdout, stderr) of ``openstack <args> vbs backup list``.

        With ``action``: once ``after_pages`` listing requests reached the
        API, ``action(ended)`` runs in this thread (servers started from
        another thread would get their parent-death signal when it ends);
        ``ended`` is an Event set when the command has ended.
        """
        since = self.api.log_offset()
        started = time.monotonic()
        proc = subprocess.Popen(
            [shellrun.openstack_command()] + list(args) + [
                'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            stdin=subprocess.DEVNULL, env=self.command_env(env))
        self.addCleanup(proc.kill)
        self.command = proc
        output = []
        ended = threading.Event()

        def collect():
            output.extend(proc.communicate(timeout=600))
            self.ended = time.monotonic()
            self.timings['listing'] = self.ended - started
            ended.set()

        reader = threading.Thread(target=collect, daemon=True)
        reader.start()
        if action is not None:
            while not ended.is_set():
                listed = [r for r in self.api.requests(since)
                          if r['path'].endswith('/backups/detail')]
                if len(listed) >= after_pages:
                    self.served_before = len(listed)
                    action(ended)
                    break
                time.sleep(0.01)
            else:
                self.fail('the listing ended before page %d' % after_pages)
        self.assertTrue(ended.wait(600), 'the command still runs after 600 s')
        return proc.returncode, output[0], output[1]

    # -- faults -------------------------------------------------------------
    def restart(self, ended, hold=False):
        """Stop the API (SIGTERM, as a service restart), start it again.

        ``hold``: only once the command has ended.
        """
        began = time.monotonic()
        self.api.server.stop()
        self.timings['stop'] = time.monotonic() - began
        self.restarted_at = self.api.log_offset()
        if hold:
            ended.wait(600)
        self.api.start()
        self.api.wait()
        self.back = time.monotonic()
        self.timings['restart'] = self.back - began

    def pause(self, change):
        """Hold the command (SIGSTOP) while ``change()`` runs, then a second.

        Keystone's revocation events count whole seconds: a token issued
        in the same second as the event would be refused too.  (Holding
        the API instead could hold Keystone's one worker, on a request the
        API had begun to send.)
        """
        self.command.send_signal(signal.SIGSTOP)
        try:
            change()
            time.sleep(1.1)
        finally:
            self.command.send_signal(signal.SIGCONT)

    def assertExact(self, rc, out, err):
        self.assertEqual(0, rc, err)
        ids = out.split()
        self.assertEqual(len(set(ids)), len(ids), 'a backup came twice')
        self.assertEqual(self.expected, ids)

    def assertMetRestart(self):
        self.assertLess(self.served_before, TOTAL // PAGE,
                        'the listing ended before the restart')
        after = [r for r in self.api.requests(self.restarted_at)
                 if r['path'].endswith('/backups/detail')]
        self.assertTrue(after, 'no page was asked for after the restart')
        # The command ended after the API came back (whose readiness is
        # polled every 0.2 s).
        self.assertGreater(self.ended, self.back - 1)


class TestRestart(RestartTest):
    """A cinder-api restart in the middle of a listing."""

    def test_sequential_pages(self):
        rc, out, err = self.vbs_list(
            self.member_args('--os-vbs-page-concurrency', '1', '--debug'),
            after_pages=3, action=self.restart)
        self.assertExact(rc, out, err)
        self.assertMetRestart()
        # --debug shows each retry.
        retries = [line for line in err.splitlines()
                   if 'of the request timeout of 60 s left' in line]
        self.assertTrue(retries, err)
        for line in retries:
            self.assertIn('listing backups: %s/backups/detail '
                          % self.endpoint, line)
        self.retries = len(retries)

    def test_concurrent_pages(self):
        rc, out, err = self.vbs_list(self.member_args(), after_pages=3,
                                     action=self.restart)
        self.assertExact(rc, out, err)
        self.assertEqual('', err)  # nothing printed while it waited
        self.assertMetRestart()

    def test_restart_longer_than_a_short_timeout(self):
        rc, out, err = self.vbs_list(
            self.member_args('--os-vbs-timeout', '3'), after_pages=3,
            action=lambda ended: self.restart(ended, hold=True))
        self.assertEqual((1, ''), (rc, out), err)
        line = self.assertOneLine(err)
        self.assertIn('%s/backups/detail' % self.endpoint, line)
        # Refused until the next wait would spend the budget, or (a
        # connection accepted while the API shuts down, then left
        # unanswered) timed out.
        match = re.search(r'waited (\d+\.\d) s in \d+ attempts, up to the '
                          r'request timeout of 3 s$| timed out$', line)
        self.assertIsNotNone(match, line)
        if match.group(1):
            # The last attempt may run until the deadline (plus its
            # connect time, and this loaded machine's scheduling): none
            # starts after it.
            self.assertLessEqual(float(match.group(1)), 3 + 1)
            self.assertGreater(self.timings['listing'],
                               float(match.group(1)))
        self.assertLess(self.timings['listing'], 3 + 60)


class TestWhatHolds(RestartTest):
    """What already held before connection failures were retried."""

    def test_401_mid_listing_renewed_by_password_auth(self):
        # With pages in flight (the default), so that several see the 401.
        # A front holds the listing's requests from the third on until the
        # tokens are revoked: mid-listing by construction, whatever the
        # load (the API's log can trail a fast listing).
        gate = front.Front(self.api.url).start()
        self.addCleanup(gate.stop)
        pages, reached, released = [], threading.Event(), threading.Event()
        self.addCleanup(released.set)

        def hold(request):
            if request.path.endswith('/backups/detail'):
                pages.append(request)
                if len(pages) >= 3:
                    reached.set()
                    released.wait(300)
        gate.before = hold
        admin = self.cloud.keystone_admin()

        listed = threading.Event()

        def revoke():
            # Until page 3 is held, or the listing ended without it.
            while not (reached.wait(0.1) or listed.is_set()):
                pass
            try:
                if reached.is_set():
                    # A password change (to the same) revokes the user's
                    # tokens.
                    self.pause(lambda: admin.ensure_user(USER,
                                                         self.password))
            finally:
                released.set()
        changer = threading.Thread(target=revoke, daemon=True)
        changer.start()
        rc, out, err = self.vbs_list((), env=dict(
            self.user_env(), OS_VBS_ENDPOINT_OVERRIDE='%s/v3/%s' % (
                gate.url, self.cloud.member.project_id)))
        listed.set()
        changer.join(300)
        self.assertTrue(reached.is_set(), 'the listing never held page 3 '
                        '(exit %s): %s' % (rc, err))
        self.assertExact(rc, out, err)
        self.assertEqual('', err)
        self.assertIn(401, [r.status for r in gate.requests])

    def test_refused_fixed_token_is_one_line(self):
        token, _body = keystone_mod.password_token(
            self.cloud.keystone_url, USER, self.password,
            project_id=self.cloud.member.project_id)

        def revoke():
            httpjson.call('DELETE', self.cloud.keystone_url + '/auth/tokens',
                          headers={'X-Auth-Token': self.cloud.token('admin'),
                                   'X-Subject-Token': token})

        rc, out, err = self.vbs_list(
            ('--os-auth-type', 'admin_token', '--os-endpoint', self.endpoint),
            env={'OS_TOKEN': token}, after_pages=3,
            action=lambda ended: self.pause(revoke))
        self.assertEqual((1, ''), (rc, out), err)
        line = self.assertOneLine(err)
        self.assertIn('VBS API answered 401 Unauthorized to GET %s/backups/'
                      'detail' % self.endpoint, line)

    def test_six_listings_at_once_are_exact(self):
        # One worker serves them all: the other classes' API of pages of
        # PAGE (keystonemiddleware's token cache on, as deployed).
        shared = '%s/v3/%s' % (base.extra_cinder(self.cloud, PAGE),
                               self.cloud.member.project_id)
        started = time.monotonic()
        runs = [subprocess.Popen(
            [shellrun.openstack_command(), '--os-cloud', 'vbs-local',
             '--os-vbs-endpoint-override', shared,
             'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            stdin=subprocess.DEVNULL, env=self.command_env())
            for _ in range(6)]
        for run in runs:
            self.addCleanup(run.kill)
        for run in runs:
            out, err = run.communicate(timeout=300)
            self.assertExact(run.returncode, out, err)
            self.assertEqual('', err)
        self.timings['six listings'] = time.monotonic() - started

    def test_server_gone_for_good_is_one_line_within_the_timeout(self):
        gone = 'http://127.0.0.1:%d/v3/%s' % (procs.free_port(),
                                              self.cloud.member.project_id)
        rc, out, err = self.vbs_list(('--os-cloud', 'vbs-local',
                                      '--os-vbs-endpoint-override', gone,
                                      '--os-vbs-timeout', '5'))
        self.assertEqual((1, ''), (rc, out), err)
        line = self.assertOneLine(err)
        self.assertRegex(
            line, r'^VBS API request failed \(version discovery\): '
            r'http://127\.0\.0\.1:\d+/v3/ refused the connection; waited '
            r'\d\.\d s in \d+ attempts, up to the request timeout of 5 s$')
        # It stopped when the next wait (3 s at most) would spend the
        # timeout: no attempt after it (a sleep may overrun a little).
        waited = float(re.search(r'waited (\S+) s', line).group(1))
        self.assertTrue(5 - 3 <= waited <= 5 + 1, line)
        self.assertGreater(self.timings['listing'], waited)
        self.assertLess(self.timings['listing'], 5 + 60)
