"""A GET whose connection failed is sent again, within the request timeout.

Nothing here sleeps: each request's deadline is on a fake clock that only
its sleeps move (base.Clock), or its sleep is a mock (then the time asleep
still counts, see deadline).
"""

import http.client
import logging
import random
import re
import socket
import threading

import fixtures
from keystoneauth1 import exceptions as ksa_exceptions
import requests
import testtools
from urllib3 import exceptions as urllib3_exceptions

from vbsclient.api.http import deadline
from vbsclient.api.http import reconnect
from vbsclient import exceptions

from tests import hostile_server as hs
from tests.unit import base
from tests.unit import test_hostile

LIST_URL = base.LIST_URL


def no_answer(cause):
    """A requests-mock answer: the connection fails with ``cause``."""
    def answer(request, context):
        raise requests.exceptions.ConnectionError(cause, request=request)
    return {'json': answer}


def refused_cause():
    # As urllib3 raises it: the OSError as the context of its own error.
    try:
        raise ConnectionRefusedError(111, 'Connection refused')
    except ConnectionRefusedError:
        try:
            raise urllib3_exceptions.NewConnectionError(
                None, 'Failed to establish a new connection')
        except urllib3_exceptions.NewConnectionError as e:
            return e


def refused():
    return no_answer(refused_cause())


def closed():
    return no_answer(urllib3_exceptions.ProtocolError(
        'Connection aborted.', http.client.RemoteDisconnected(
            'Remote end closed connection without response')))


def reset():
    return no_answer(urllib3_exceptions.ProtocolError(
        'Connection aborted.', ConnectionResetError(104, 'Connection reset '
                                                    'by peer')))


class TestReconnect(base.TestCase):
    """Reconnect alone, around a keystoneauth session's GET."""

    def setUp(self):
        super().setUp()
        self.clock = base.Clock()
        self.log = self.useFixture(fixtures.FakeLogger(
            name='vbsclient.http', level=logging.DEBUG,
            format='%(levelname)s %(message)s'))
        self.session = self.token_session()

    def retrying(self, budget=60, jitter=None):
        return reconnect.Reconnect(
            'listing backups', deadline.Deadline(
                budget, clock=self.clock, sleep=self.clock.sleep),
            logging.getLogger('vbsclient.http'), jitter=jitter)

    def get(self, retrying, url=LIST_URL):
        return retrying(self.session.get, url, connect_retries=0,
                        authenticated=True, raise_exc=False)

    def test_refused_then_answered(self):
        self.requests_mock.get(LIST_URL, [
            no_answer(refused_cause()), no_answer(refused_cause()),
            {'json': base.page([base.backup(1)])}])
        resp = self.get(self.retrying())
        self.assertEqual(['bk-0001'],
                         [b['id'] for b in resp.json()['backups']])
        self.assertEqual(3, len(self.list_requests()))
        self.assertEqual(2, len(self.clock.sleeps))

    def test_waits_double_capped_each_at_least_half_jittered(self):
        self.requests_mock.get(LIST_URL, [refused()] * 8 + [{'json': {}}])
        self.get(self.retrying(jitter=lambda low, high: high))
        self.assertEqual([0.5, 1, 2, 3, 3, 3, 3, 3], self.clock.sleeps)
        self.clock.sleeps.clear()
        self.requests_mock.get(LIST_URL, [refused()] * 8 + [{'json': {}}])
        self.get(self.retrying(jitter=lambda low, high: low))
        self.assertEqual([0.25, 0.5, 1, 1.5, 1.5, 1.5, 1.5, 1.5],
                         self.clock.sleeps)

    def test_real_jitter_stays_within_bounds(self):
        self.requests_mock.get(LIST_URL, [refused()] * 30 + [{'json': {}}])
        self.get(self.retrying(budget=1000))
        for retry, delay in enumerate(self.clock.sleeps, 1):
            ceiling = min(reconnect.CAP, reconnect.FIRST * 2 ** (retry - 1))
            self.assertTrue(ceiling / 2 <= delay <= ceiling, (retry, delay))
        # Not all the same: jittered.
        self.assertGreater(len(set(self.clock.sleeps[4:])), 1)

    def test_budget_spent_is_one_line_naming_url_and_wait(self):
        self.requests_mock.get(LIST_URL, json=refused()['json'])
        e = self.assertRaises(
            exceptions.ConnectionFailed, self.get,
            self.retrying(budget=10, jitter=lambda low, high: high),
            LIST_URL + '?limit=5&marker=bk-0005')
        # 0.5 + 1 + 2 + 3 + 3; a third 3 s wait would leave no time for
        # another attempt: none is made.
        self.assertEqual([0.5, 1, 2, 3, 3], self.clock.sleeps)
        self.assertEqual(6, len(self.list_requests()))
        self.assertEqual(
            'VBS API request failed (listing backups): %s refused the '
            'connection; waited 9.5 s in 6 attempts, up to the request '
            'timeout of 10 s' % LIST_URL, str(e))
        self.assertIsInstance(e.__cause__, ksa_exceptions.ConnectFailure)

    def test_time_spent_in_attempts_counts(self):
        def slow_refusal(request, context):
            self.clock.now += 4  # a connection that takes long to fail
            raise requests.exceptions.ConnectionError(
                refused_cause(), request=request)
        self.requests_mock.get(LIST_URL, json=slow_refusal)
        e = self.assertRaises(
            exceptions.ConnectionFailed, self.get,
            self.retrying(budget=10, jitter=lambda low, high: high))
        self.assertEqual([0.5, 1], self.clock.sleeps)
        self.assertIn('waited 13.5 s in 3 attempts', str(e))

    def test_reasons(self):
        for answer, reason in ((refused(), 'refused the connection'),
                               (closed(), 'closed the connection without '
                                          'an answer'),
                               (reset(), 'reset the connection'),
                               (no_answer(BrokenPipeError(32, 'Broken pipe')),
                                'dropped the connection')):
            self.requests_mock.get(LIST_URL, json=answer['json'])
            e = self.assertRaises(
                exceptions.ConnectionFailed, self.get,
                self.retrying(budget=1, jitter=lambda low, high: high))
            self.assertIn('%s %s; waited 0.5 s in 2 attempts' % (
                LIST_URL, reason), str(e))

    def test_each_retry_is_logged(self):
        self.requests_mock.get(LIST_URL, [refused(), closed(),
                                          {'json': {}}])
        self.get(self.retrying(budget=30, jitter=lambda low, high: high))
        self.assertEqual(
            ['WARNING listing backups: %s refused the connection; retry 1 '
             'in 0.50 s (30.0 s of the request timeout of 30 s left)'
             % LIST_URL,
             'WARNING listing backups: %s closed the connection without an '
             'answer; retry 2 in 1.00 s (29.5 s of the request timeout of '
             '30 s left)' % LIST_URL],
            self.log.output.splitlines())

    def test_no_budget_given_is_the_default(self):
        self.assertEqual(60.0, deadline.Deadline(None).seconds)

    def assertNotRetried(self, exc_class, *answers, method='get'):
        self.requests_mock.register_uri(method.upper(), LIST_URL,
                                        list(answers))
        send = getattr(self.session, method)
        self.assertRaises(exc_class, self.retrying(), send, LIST_URL,
                          connect_retries=0, authenticated=True)
        self.assertEqual(1, len(self.requests_mock.request_history))
        self.assertEqual([], self.clock.sleeps)
        self.assertEqual('', self.log.output)

    def test_timeout_is_not_retried(self):
        # The budget is the timeout: it is spent.
        self.assertNotRetried(ksa_exceptions.ConnectTimeout,
                              {'exc': requests.exceptions.ReadTimeout})

    def test_name_resolution_failure_is_not_retried(self):
        self.assertNotRetried(ksa_exceptions.ConnectFailure, no_answer(
            socket.gaierror(-2, 'Name or service not known')))

    def test_tls_failure_is_not_retried(self):
        self.assertNotRetried(ksa_exceptions.SSLError,
                              {'exc': requests.exceptions.SSLError})

    def test_a_failure_without_its_request_is_not_retried(self):
        self.assertNotRetried(ksa_exceptions.ConnectFailure,
                              {'exc': requests.exceptions.ConnectionError})

    def test_only_gets_are_retried(self):
        self.assertNotRetried(ksa_exceptions.ConnectFailure, refused(),
                              method='post')

    def test_answers_pass_through_at_once(self):
        for status in (400, 401, 403, 404, 500):
            self.requests_mock.get(LIST_URL, status_code=status, json={})
            before = len(self.requests_mock.request_history)
            resp = self.get(self.retrying())
            self.assertEqual(status, resp.status_code)
            self.assertEqual(before + 1,
                             len(self.requests_mock.request_history))
        self.assertEqual([], self.clock.sleeps)


class TestEveryGet(base.TestCase):
    """Through the client: pages, counts, shows, look-ups and discovery.

    The deadlines are on base.TestCase's fake clock; the waits are recorded.
    """

    def setUp(self):
        super().setUp()
        self.sleeps = self.clock.sleeps
        self.vbs = self.client(timeout=30, page_concurrency=1)
        self.api = self.vbs.backups

    def test_version_discovery(self):
        self.requests_mock.get(base.VERSION_URL, [refused()] * 4 + [
            closed(), {'json': base.version_document()}])
        self.requests_mock.get(LIST_URL, json=base.page([base.backup(1)]))
        self.assertEqual(['bk-0001'], [b.id for b in self.api.list()])
        self.assertEqual(5, len(self.sleeps))
        [page] = self.list_requests()
        self.assertEqual('volume 3.64', page.headers['OpenStack-API-Version'])

    def test_a_page_mid_listing(self):
        self.serve_versions()
        self.requests_mock.get(LIST_URL, [
            {'json': base.page([base.backup(1)],
                               LIST_URL + '?marker=bk-0001')},
            reset(), refused(), refused(), refused(), refused(),
            {'json': base.page([base.backup(2)])}])
        self.assertEqual(['bk-0001', 'bk-0002'],
                         [b.id for b in self.api.list()])
        self.assertEqual(7, len(self.list_requests()))
        self.assertEqual({'marker': ['bk-0001']},
                         base.query_of(self.list_requests()[-1]))

    def test_count_show_and_find(self):
        self.serve_versions()
        self.requests_mock.get(LIST_URL, [refused()] * 4 + [
            {'json': base.page([base.backup(1)], count=7)}] + [
            closed()] * 4 + [{'json': base.page([base.backup(1)])}])
        self.requests_mock.get(base.ENDPOINT + '/backups/bk-0001', [
            refused()] * 4 + [{'json': {'backup': base.backup(1)}}])
        self.assertEqual(7, self.api.count())
        self.assertEqual('bk-0001', self.api.get('bk-0001').id)
        self.assertEqual('bk-0001', self.api.find('backup-1').id)
        self.assertEqual(12, len(self.sleeps))

    def test_volume_lookup(self):
        self.serve_versions()
        self.requests_mock.get(base.ENDPOINT + '/volumes', [reset()] * 4 + [
            {'json': {'volumes': [{'id': 'vol-1'}]}}])
        self.assertEqual(['vol-1'], self.vbs.volumes.find('data', 5))
        self.assertEqual(4, len(self.sleeps))

    def test_budget_is_the_timeout(self):
        self.requests_mock.get(base.VERSION_URL, json=refused()['json'])
        api = self.client(timeout=5).backups
        e = self.assertRaises(exceptions.ConnectionFailed, list, api.list())
        match = re.match(
            r'VBS API request failed \(version discovery\): %s refused the '
            r'connection; waited (\d+\.\d) s in (\d+) attempts, up to the '
            r'request timeout of 5 s$' % re.escape(base.VERSION_URL), str(e))
        self.assertIsNotNone(match, str(e))
        # Every wait ended before the deadline, with an attempt after it.
        waited = sum(self.sleeps)
        self.assertLess(waited, 5.0)
        self.assertEqual('%.1f' % waited, match.group(1))
        self.assertEqual(len(self.sleeps) + 1, int(match.group(2)))
        self.assertEqual(int(match.group(2)), len([
            r for r in self.requests_mock.request_history
            if r.url == base.VERSION_URL]))

    def test_4xx_never_retried(self):
        self.serve_versions()
        for status in (400, 401, 403, 404, 406):
            self.requests_mock.get(LIST_URL, status_code=status, json={
                'badRequest': {'code': status, 'message': 'no'}})
            before = len(self.list_requests())
            e = self.assertRaises(exceptions.HTTPError, list,
                                  self.api.list())
            self.assertEqual(status, e.status)
            self.assertEqual(before + 1, len(self.list_requests()))
        self.assertEqual(0, len(self.sleeps))


def _fixed_port():
    """A free port below the kernel's range for port 0."""
    try:
        with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for _ in range(100):
        port = random.randint(10000, max(10001, low - 1))
        with socket.socket() as probe:
            try:
                probe.bind(('127.0.0.1', port))
            except OSError:
                continue
        return port
    raise RuntimeError('no free port below %d' % low)


class TestRestartAtTheSocket(test_hostile.HostileTest):
    """The fake server goes away during page 2 and comes back on its port.

    Page 2's connection is closed without an answer; at the first wait
    the server is stopped (connections are refused), at the BACK-th it
    listens again: more failures in a row than keystoneauth's own retries
    (3) used to survive.  While it is away, connections kept alive from
    before are closed without an answer too, as a real restart does
    (stopping the fake server only stops it accepting).
    """

    BACK = 5

    def setUp(self):
        super().setUp()
        # The server comes back on its port: one outside the range the
        # kernel hands out for port 0, so no other test's server can take
        # it while this one is away.
        self.server.stop()
        self.server = hs.Server(self.fake, port=_fixed_port()).start()
        self.fake.server = self.server
        self.addCleanup(self.server.stop)
        self.endpoint = '%s/v3/%s' % (self.server.url, hs.PROJECT_ID)
        self.fake.backups = [hs.backup(n) for n in range(1, 36)]
        self.seen = []
        self.waits = 0
        self.down = False
        self.lock = threading.Lock()
        self.fake.quirk = self.drop_second_page
        self.sleeps.side_effect = self.restart_step

    def drop_second_page(self, request, body):
        with self.lock:
            self.seen.append(request)
            if len(self.seen) == 2 or self.down:
                return hs.Reply(action='close')

    def restart_step(self, seconds):
        # Counted here, under the lock: the mock's call_count is raised
        # before this runs, so page threads waiting at once could both
        # read 2 (and the server never go away) or skip BACK.
        with self.lock:
            self.waits += 1
            if self.waits == 1:
                self.go_away()
            elif self.waits == self.BACK:
                self.down = False
                self.server = hs.Server(self.fake, port=self.server.port)
                self.fake.server = self.server
                self.addCleanup(self.server.stop)
                self.server.start()

    def go_away(self):
        self.down = True
        self.server.stop()

    def vbs_list(self, *options):
        return self.run_shell(*(self.auth() + list(options) + [
            'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID']))

    def test_listing_is_exact_and_quiet(self):
        rc, out, err = self.vbs_list()
        self.assertEqual((0, ''), (rc, err))
        self.assertEqual(self.expected(self.fake.backups), out.split())
        self.assertGreaterEqual(self.sleeps.call_count, self.BACK)

    def test_debug_shows_each_retry(self):
        rc, out, err = self.vbs_list('--debug')
        self.assertEqual(0, rc, err)
        self.assertEqual(self.expected(self.fake.backups), out.split())
        retries = [line for line in err.splitlines()
                   if 'of the request timeout of 60 s left' in line]
        self.assertEqual(self.sleeps.call_count, len(retries), err)
        self.assertIn('listing backups: %s/backups/detail closed the '
                      'connection without an answer; retry 1 in '
                      % self.endpoint, retries[0])
        # Then refused while it is away (with pages in flight, a
        # connection kept alive is closed, one waiting to be accepted may
        # be reset).
        for line in retries[1:]:
            self.assertRegex(line, 'refused the connection|reset the '
                             'connection|closed the connection')
        if self.concurrency == '1':
            self.assertIn('refused the connection', retries[1])

    def test_restart_longer_than_the_timeout(self):
        self.sleeps.side_effect = lambda seconds: self.go_away()
        rc, out, err = self.vbs_list('--os-vbs-timeout', '4')
        self.assertOneLineError(
            rc, out, err, 'VBS API request failed (listing backups): '
            '%s/backups/detail refused the connection; waited '
            % self.endpoint, 'up to the request timeout of 4 s')
        # No attempt after the deadline: the waits end by it.  (The fake
        # clock is shared: another page thread's sleep may move it up to
        # the deadline while this one waits, never past it.)
        self.assertRegex(err, r'; waited ([0-3]\.\d|4\.0) s in ')

    def test_4xx_never_retried(self):
        for status in (400, 401, 403, 404, 409, 413):
            self.seen.clear()
            self.fake.quirk = lambda request, body, status=status: hs.Reply(
                status, json_body={'message': 'no'})
            rc, out, err = self.vbs_list()
            self.assertOneLineError(rc, out, err, 'answered %d' % status)
            self.assertEqual(1, len(self.list_requests()))
            self.server.requests.clear()
        self.assertEqual(0, self.sleeps.call_count)


class TestRestartAtTheSocketConcurrentPages(TestRestartAtTheSocket):

    concurrency = '4'


class TestFailure(testtools.TestCase):

    def test_query_is_left_out(self):
        req = requests.Request('GET', LIST_URL + '?name=secret').prepare()
        try:
            raise requests.exceptions.ConnectionError(
                ConnectionRefusedError(111, 'refused'), request=req)
        except requests.exceptions.ConnectionError as e:
            self.assertEqual((LIST_URL, 'refused the connection'),
                             reconnect.failure(e))
