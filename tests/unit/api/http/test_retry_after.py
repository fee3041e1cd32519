"""Retry-After is honoured up to the request timeout, refused beyond it.

The ``openstack`` shell runs in-process against tests/hostile_server.py,
with keystoneauth's sleep patched: what it was asked to sleep is recorded.
"""

import email.utils
import re
import time

import testtools

from vbsclient.api.http import retry_after

from tests import hostile_server as hs
from tests.unit import test_hostile

BACKUPS = [hs.backup(n) for n in range(1, 4)]


class TestRetryAfter(test_hostile.HostileTest):

    def setUp(self):
        super().setUp()
        self.fake.backups = list(BACKUPS)
        # Answers queued per path; then the fake Cinder's own.
        self.queued = {}
        self.server.respond = self.respond

    def respond(self, request):
        queue = self.queued.get(request['path'].rstrip('/').rsplit('/')[-1])
        if queue:
            return queue.pop(0)
        return self.fake(request)

    def answer_first(self, where, *replies):
        """``where``: 'detail' (the listing) or 'v3' (version discovery)."""
        self.queued[where] = list(replies)

    def busy(self, retry_after, status=503):
        return hs.Reply(status, json_body={'message': 'busy'},
                        headers={'Retry-After': retry_after})

    def vbs_list(self, *options):
        return self.run_shell(*(self.auth() + list(options) + [
            'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID']))

    def requests_to(self, suffix):
        return [r for r in self.server.requests
                if r['path'].endswith(suffix)]

    def assertRefused(self, rc, out, err, line):
        self.assertEqual(1, rc, err)
        self.assertEqual('', out)
        self.assertEqual([line], err.splitlines())
        self.assertEqual([], self.sleeps.call_args_list)

    def test_hour_long_retry_after_fails_at_once(self):
        self.answer_first('detail', self.busy('3600'))
        rc, out, err = self.vbs_list()
        self.assertRefused(
            rc, out, err,
            'VBS API answered 503 Service Unavailable to GET %s/backups/detail'
            ' with Retry-After: 3600 s, longer than the request timeout of '
            '60 s; try again later' % self.endpoint)
        self.assertEqual(1, len(self.requests_to('/backups/detail')))

    def test_short_retry_after_is_honoured(self):
        self.answer_first('detail', self.busy('2'), self.busy('3', 429))
        rc, out, err = self.vbs_list()
        self.assertEqual(0, rc, err)
        self.assertEqual([b['id'] for b in BACKUPS], out.split())
        self.assertEqual([2, 3],
                         [c.args[0] for c in self.sleeps.call_args_list])
        self.assertEqual(3, len(self.requests_to('/backups/detail')))

    def test_the_time_left_is_the_cap(self):
        self.answer_first('detail', self.busy('2'), self.busy('3'))
        rc, out, err = self.vbs_list('--os-vbs-timeout', '5')
        self.assertEqual(1, rc, err)
        self.assertEqual(
            ['VBS API answered 503 Service Unavailable to GET '
             '%s/backups/detail with Retry-After: 3 s, but only 3.0 s of '
             'the request timeout of 5 s is left; try again later'
             % self.endpoint], err.splitlines())
        # The 2 s wait was honoured, the 3 s one would have left no time.
        self.assertEqual([2],
                         [c.args[0] for c in self.sleeps.call_args_list])
        self.assertEqual(2, len(self.requests_to('/backups/detail')))

    def test_always_busy_ends_within_the_timeout(self):
        # The case: 503 with Retry-After: 2, a timeout of 4.
        self.answer_first('detail', *[self.busy('2')] * 10)
        rc, out, err = self.vbs_list('--os-vbs-timeout', '4')
        self.assertEqual(1, rc, err)
        self.assertIn('Retry-After: 2 s, but only 2.0 s of the request '
                      'timeout of 4 s is left', err)
        self.assertEqual([2],
                         [c.args[0] for c in self.sleeps.call_args_list])
        self.assertEqual(2, len(self.requests_to('/backups/detail')))

    def test_http_date_beyond_the_timeout(self):
        date = email.utils.formatdate(time.time() + 3600, usegmt=True)
        self.answer_first('detail', self.busy(date))
        rc, out, err = self.vbs_list()
        self.assertEqual(1, rc, err)
        self.assertEqual([], self.sleeps.call_args_list)
        match = re.match(
            r'VBS API answered 503 Service Unavailable to GET \S+ with '
            r'Retry-After: %s \((\d+) s from now\), longer than the '
            r'request timeout of 60 s; try again later\n$' % date, err)
        self.assertIsNotNone(match, err)
        # Less the seconds this test took so far.
        self.assertTrue(3500 < int(match.group(1)) <= 3600, err)

    def test_short_http_date_is_honoured(self):
        date = email.utils.formatdate(time.time() + 45, usegmt=True)
        self.answer_first('detail', self.busy(date))
        rc, out, err = self.vbs_list()
        self.assertEqual(0, rc, err)
        [wait] = [c.args[0] for c in self.sleeps.call_args_list]
        # Less the seconds this test took so far (the date has no
        # fraction), on a machine however loaded.
        self.assertTrue(15 < wait <= 45, wait)

    def test_version_discovery_is_capped_too(self):
        self.answer_first('v3', self.busy('86400', 429))
        rc, out, err = self.vbs_list()
        self.assertRefused(
            rc, out, err,
            'VBS API answered 429 Too Many Requests to GET %s/v3/ with '
            'Retry-After: 86400 s, longer than the request timeout of 60 s; '
            'try again later' % self.server.url)
        self.assertEqual([], self.requests_to('/backups/detail'))

    def test_status_not_retried_keeps_its_own_error(self):
        self.answer_first('detail', self.busy('3600', status=500))
        rc, out, err = self.vbs_list()
        self.assertRefused(
            rc, out, err,
            'VBS API answered 500 Internal Server Error to GET '
            '%s/backups/detail: busy' % self.endpoint)


class TestSeconds(testtools.TestCase):

    def test_values(self):
        now = 1767225600  # 2026-01-01T00:00:00Z
        for value, expected in (
                ('0', 0), (' 120 ', 120), ('3600', 3600),
                ('Thu, 01 Jan 2026 01:00:00 GMT', 3600.0),
                ('Wed, 31 Dec 2025 23:00:00 GMT', 0.0),
                ('-5', None), ('1.5', None), ('soon', None), ('', None),
                (None, None)):
            self.assertEqual(expected, retry_after.seconds(value, now=now),
                             value)
