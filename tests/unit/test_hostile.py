"""Token confinement, paging quirks and faults against a misbehaving server.

The server (tests/hostile_server.py) runs on 127.0.0.1; a trap listener on
127.0.0.2 fails a test if anything connects to it.  The ``openstack`` shell
runs in-process (keystoneauth's sleeps patched out); the cases about the
process itself (Ctrl-C, --debug, exit status, a terminal) are in
tests/slow/test_process.py.
"""

import threading
import time
import types
from unittest import mock

import fixtures
import hypothesis
from hypothesis import strategies as st
import testtools

from vbsclient.api.http import reconnect
from vbsclient.api.listing import fanout

from tests import hostile_server as hs
from tests import shellrun
from tests.unit import base

TOKEN = 'hostile-test-token-5f1e2d3c4b5a'
BACKUPS = [hs.backup(n) for n in range(1, 26)]


class HostileTest(shellrun.ShellFixtureMixin, testtools.TestCase):

    page_size = 10
    # Pages one at a time unless a class says otherwise.
    concurrency = '1'

    def setUp(self):
        super().setUp()
        self.clean_os_environment()
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_PAGE_CONCURRENCY', self.concurrency))
        # keystoneauth's reference to the time module, not the module's
        # sleep: the server's handlers and the tests pause for real.
        self.sleeps = mock.Mock()
        self.useFixture(fixtures.MonkeyPatch(
            'keystoneauth1.session.time',
            types.SimpleNamespace(**dict(vars(time), sleep=self.sleeps))))
        # The retries' waits (reconnect, Retry-After) are recorded by the
        # same mock, on a clock only they move: no test sleeps for them.
        self.clock = base.Clock()
        self.sleeps.side_effect = self.clock.sleep
        base.fake_deadline_clock(self, self.clock, self.sleeps)
        # Page threads a listing left behind wait on this test's clock:
        # none may outlive it.
        self.addCleanup(base.join_request_threads)
        self.trap = hs.Trap()
        self.addCleanup(self.trap.stop)
        self.fake = hs.FakeBackups(list(BACKUPS), page_size=self.page_size)
        self.server = hs.Server(self.fake).start()
        self.fake.server = self.server
        self.addCleanup(self.server.stop)
        self.endpoint = '%s/v3/%s' % (self.server.url, hs.PROJECT_ID)

    def run_cli(self, *args, env=None, **kwargs):
        env = dict({'OS_VBS_PAGE_CONCURRENCY': self.concurrency},
                   **(env or {}))
        return super().run_cli(*args, env=env, **kwargs)

    def auth(self, endpoint=None):
        return ['--os-auth-type', 'admin_token', '--os-token', TOKEN,
                '--os-endpoint', endpoint or self.endpoint]

    def list_ids(self, *args):
        rc, out, err = self.run_shell(*(self.auth() + [
            'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID'] + list(args)))
        self.assertEqual(0, rc, err)
        return out.split()

    def list_requests(self):
        return [r for r in self.server.requests
                if r['path'].endswith('/backups/detail')]

    def assertOneLineError(self, rc, out, err, *fragments):
        self.assertEqual(1, rc, err)
        self.assertEqual('', out)
        lines = err.splitlines()
        self.assertEqual(1, len(lines), err)
        self.assertNotIn('Traceback', err)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def expected(self, rows):
        return [b['id'] for b in rows]


class TestTokenConfinement(HostileTest):

    def hrefs(self):
        trap = 'http://%s:%d' % (self.trap.host, self.trap.port)
        return {
            'other host': trap + '/v3/%s/backups/detail?{q}' % hs.PROJECT_ID,
            'v2 on other host': trap + '/v2/%s/backups/detail?{q}'
            % hs.PROJECT_ID,
            'other scheme': 'https://127.0.0.2:%d/v3/x?{q}' % self.trap.port,
            'scheme-relative': '//%s:%d/v2/x?{q}' % (self.trap.host,
                                                     self.trap.port),
            'relative v2 path': '/v2/%s/backups/detail?{q}' % hs.PROJECT_ID,
            'dot segments': '../../../../evil/backups?{q}',
            'garbage': 'ht!tp:://[127.0.0.2:%d/%%zz?{q}' % self.trap.port,
            'userinfo trick': 'http://127.0.0.1@127.0.0.2:%d/?{q}'
            % self.trap.port,
        }

    def test_requests_and_token_stay_on_the_endpoint(self):
        from urllib import parse
        for label, template in self.hrefs().items():
            self.server.requests.clear()
            self.fake.next_href = (
                lambda q, nq, t=template: t.format(q=parse.urlencode(nq)))
            self.assertEqual(self.expected(BACKUPS), self.list_ids(), label)
            self.assertEqual(0, self.trap.connections, label)
            paths = {r['path'] for r in self.server.requests}
            self.assertEqual({'/v3/', '/v3/%s/backups/detail' % hs.PROJECT_ID},
                             paths, label)
            for request in self.server.requests:
                self.assertEqual(TOKEN, request['headers'].get(
                    'X-Auth-Token'), label)
                if request['path'] != '/v3/':
                    self.assertEqual('volume 3.64', request['headers'][
                        'OpenStack-API-Version'], label)
            self.assertEqual(3, len(self.list_requests()), label)


class TestTokenConfinementConcurrent(TestTokenConfinement):
    """The same with the default page concurrency."""

    concurrency = '4'


class TestPagingQuirks(HostileTest):

    def test_full_last_page_links_to_an_empty_page(self):
        self.fake.backups = BACKUPS[:20]
        self.assertEqual(self.expected(BACKUPS[:20]), self.list_ids())
        self.assertEqual(3, len(self.list_requests()))

    def test_link_on_a_short_last_page(self):
        def quirk(request, body):
            if len(body['backups']) < 10 and body['backups']:
                body['backups_links'] = [{'rel': 'next', 'href':
                                          '?marker=' + body['backups'][-1]
                                          ['id']}]
        self.fake.quirk = quirk
        self.assertEqual(self.expected(BACKUPS), self.list_ids())
        self.assertEqual(4, len(self.list_requests()))

    def test_empty_page_that_still_has_a_link(self):
        def quirk(request, body):
            if not body['backups']:
                body['backups_links'] = [{'rel': 'next',
                                          'href': '?marker=whatever'}]
        self.fake.backups = BACKUPS[:20]
        self.fake.quirk = quirk
        self.assertEqual(self.expected(BACKUPS[:20]), self.list_ids())
        self.assertEqual(3, len(self.list_requests()))

    def test_same_marker_twice(self):
        self.fake.next_href = lambda q, nq: '?marker=%s' % BACKUPS[9]['id']
        rc, out, err = self.run_shell(*(self.auth() + [
            'vbs', 'backup', 'list', '-f', 'value']))
        self.assertOneLineError(rc, out, err, 'sent the next marker',
                                BACKUPS[9]['id'], 'again')

    def test_link_that_drops_or_changes_the_filters(self):
        from urllib import parse
        for rewrite in ({}, {'status': 'error'}, {'name~': ''},
                        {'offset': '3'}):
            self.server.requests.clear()

            def href(query, next_query, rewrite=rewrite):
                kept = {'marker': next_query['marker']}
                kept.update(rewrite)
                return '?' + parse.urlencode(kept)
            self.fake.next_href = href
            self.fake.page_size = 3
            wanted = [b for b in BACKUPS if b['status'] == 'available'
                      and '1' in b['name']]
            got = self.list_ids('--status', 'available', '--name-like', '1')
            self.assertEqual(self.expected(wanted), got, rewrite)
            for request in self.list_requests():
                self.assertEqual(['available'], request['query']['status'])
                self.assertEqual(['1'], request['query']['name~'])
                self.assertNotIn('offset', request['query'])

    def test_limit_met_sends_no_further_request(self):
        self.assertEqual(self.expected(BACKUPS[:10]),
                         self.list_ids('--limit', '10'))
        self.assertEqual(1, len(self.list_requests()))
        self.server.requests.clear()
        self.assertEqual(self.expected(BACKUPS[:13]),
                         self.list_ids('--limit', '13'))
        limits = [r['query']['limit'] for r in self.list_requests()]
        self.assertEqual([['13'], ['3']], limits)

    def test_limit_offset_marker_across_pages(self):
        for args, rows in (
                (['--offset', '7'], BACKUPS[7:]),
                (['--offset', '7', '--limit', '9'], BACKUPS[7:16]),
                (['--marker', BACKUPS[4]['id']], BACKUPS[5:]),
                (['--marker', BACKUPS[4]['id'], '--offset', '8',
                  '--limit', '11'], BACKUPS[13:24])):
            self.assertEqual(self.expected(rows), self.list_ids(*args), args)

    def test_absurd_number_of_pages(self):
        self.useFixture(fixtures.MockPatch(
            'vbsclient.api.listing.paging.MAX_PAGES', 50))
        endless = [hs.backup(n) for n in range(1, 5000)]
        self.fake.backups = endless
        self.fake.page_size = 1
        rc, out, err = self.run_shell(*(self.auth() + [
            'vbs', 'backup', 'list']))
        self.assertOneLineError(rc, out, err, 'after 50 pages')
        self.assertEqual(50, len(self.list_requests()))


class TestFaults(HostileTest):

    def fail_with(self, reply, *fragments):
        self.fake.quirk = lambda request, body: reply
        rc, out, err = self.run_shell(*(self.auth() + [
            'vbs', 'backup', 'list']))
        self.assertOneLineError(rc, out, err, *fragments)
        return err

    def test_http_errors(self):
        names = {400: 'badRequest', 401: 'unauthorized', 403: 'forbidden',
                 404: 'itemNotFound', 406: 'computeFault',
                 413: 'overLimit', 500: 'computeFault'}
        for status, key in names.items():
            self.server.requests.clear()
            self.fail_with(
                hs.Reply(status, json_body={key: {
                    'code': status, 'message': 'server says %d' % status}},
                    headers={'x-openstack-request-id': 'req-%d' % status}),
                'answered %d' % status, 'to GET %s/backups/detail'
                % self.endpoint, ': server says %d' % status,
                '(request-id: req-%d)' % status)
            # Once each, 401 too: a fixed token has nothing to renew
            # (renewal is tests/unit/api/http/test_reauth.py).
            self.assertEqual(1, len(self.list_requests()), status)

    def test_transient_errors_are_retried_then_reported(self):
        for status in (429, 502, 503, 504):
            self.server.requests.clear()
            self.sleeps.reset_mock()
            self.fail_with(hs.Reply(status, body=b'<html><title>%d Busy'
                                    b'</title></html>' % status,
                                    headers={'Retry-After': '2'}),
                           'answered %d' % status, '%d Busy' % status)
            self.assertEqual(4, len(self.list_requests()), status)
            delays = [c.args[0] for c in self.sleeps.call_args_list]
            # Retry-After, with every keystoneauth1 (it retries nothing).
            self.assertEqual([2, 2, 2], delays, status)

    def test_transient_error_then_success(self):
        answers = [hs.Reply(503), hs.Reply(429, headers={'Retry-After': '1'})]

        def quirk(request, body):
            return answers.pop(0) if answers else None
        self.fake.quirk = quirk
        self.assertEqual(self.expected(BACKUPS), self.list_ids())

    def test_not_json(self):
        self.fail_with(hs.Reply(200, body=b'<html><head><title>Gateway '
                                b'login</title></head></html>'),
                       'body that is not JSON (Gateway login)')

    def test_wrong_shapes(self):
        for body in ({'backups': None}, {'backup': []}, {'backups': ['x']},
                     {'backups': [{'id': 'a', 'size': 'big'}]},
                     {'backups': [{'id': 'a', 'has_dependent_backups': 1}]},
                     [1, 2]):
            self.fail_with(hs.Reply(json_body=body), 'VBS API answered GET')

    def test_truncated_body(self):
        self.fail_with(hs.Reply(json_body={'backups': []},
                                action='truncate'),
                       'VBS API request failed (listing backups)',
                       '%s/backups/detail' % self.endpoint)

    def assertRetriedUntilTheTimeout(self, err, requests):
        # The waits, on a fake clock: each retry's, and no attempt after
        # the last one that left time.
        waits = [c.args[0] for c in self.sleeps.call_args_list]
        self.assertIn('; waited %.1f s in %d attempts, up to the request '
                      'timeout of 60 s' % (sum(waits), len(waits) + 1), err)
        self.assertGreater(sum(waits), 60 - reconnect.CAP)
        self.assertLess(sum(waits), 60)
        self.assertEqual(len(waits) + 1, len(requests))

    def test_connection_dropped(self):
        # Retried until the timeout, on the fake clock.
        err = self.fail_with(hs.Reply(action='close'),
                             'VBS API request failed (listing backups): '
                             '%s/backups/detail closed the connection '
                             'without an answer; waited ' % self.endpoint)
        self.assertRetriedUntilTheTimeout(err, self.list_requests())

    def test_connection_refused(self):
        self.server.stop()
        refused = []
        self.sleeps.side_effect = lambda seconds: (
            refused.append(seconds), self.clock.sleep(seconds))
        rc, out, err = self.run_shell(*(self.auth() + [
            'vbs', 'backup', 'list']))
        self.assertOneLineError(rc, out, err,
                                'VBS API request failed (version discovery)'
                                ': %s/v3/ refused the connection; waited '
                                % self.server.url)
        # A refused connection reaches no server: one per wait, plus one.
        self.assertRetriedUntilTheTimeout(err, [None] * (len(refused) + 1))

    def test_server_that_stops_answering(self):
        self.fake.quirk = lambda r, b: hs.Reply(action='hang', seconds=30)
        started = time.monotonic()
        rc, out, err = self.run_shell(*(self.auth() + [
            '--os-vbs-timeout', '0.5', 'vbs', 'backup', 'list']))
        self.assertOneLineError(rc, out, err, 'timed out')
        self.assertLess(time.monotonic() - started, 10)


class TestArgumentsReachTheServerExactly(HostileTest):

    # Examples from the profile (tests/unit/__init__.py).
    @hypothesis.settings(suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(
        name=st.text(st.characters(blacklist_categories=('Cs',),
                                   blacklist_characters='\x00'),
                     min_size=1, max_size=200),
        pattern=st.text(st.characters(blacklist_categories=('Cs',),
                                      blacklist_characters='\x00'),
                        min_size=1, max_size=200))
    @hypothesis.example(name='a&b=c#d%20e+f~g h', pattern='%+~ &=#')
    @hypothesis.example(name='x' * 3000, pattern='Ünïcödé ☃ 备份')
    def test_filters_round_trip_through_the_cli(self, name, pattern):
        self.server.requests.clear()
        # --opt=value: argparse reads a separate value that starts with
        # "-" as an option, for any command.
        rc, out, err = self.run_shell(*(self.auth() + [
            'vbs', 'backup', 'list', '--name=' + name,
            '--name-like=' + pattern, '--volume-like=' + pattern,
            '-f', 'value']))
        self.assertEqual(0, rc, err)
        [request] = self.list_requests()
        self.assertEqual({'name': [name], 'name~': [pattern],
                          'volume_id~': [pattern]}, request['query'])


class TestConcurrentPages(HostileTest):
    """The default page concurrency against a misbehaving server."""

    concurrency = '4'

    def offsets(self):
        return sorted(int(r['query']['offset'][-1])
                      for r in self.list_requests() if 'offset' in r['query'])

    def test_pages_by_offset_overlapping_by_one(self):
        self.assertEqual(self.expected(BACKUPS), self.list_ids())
        # 0-9; 10-18 after row 9 by marker; 18-24 skipping 8 rows after it.
        self.assertEqual([8], self.offsets())
        self.assertEqual(3, len(self.list_requests()))
        self.assertEqual(['true'], self.list_requests()[0]['query'][
            'with_count'])

    def test_slow_page_does_not_idle_the_others(self):
        # The second page is held until later ones were asked for.  At
        # most 2 (the concurrency) in flight; asked for and not yet read,
        # at most AHEAD x 2.
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_PAGE_CONCURRENCY', '2'))
        rows = [hs.backup(n) for n in range(1, 96)]
        self.fake.backups = rows
        ahead = fanout.AHEAD * 2
        lock = threading.Lock()
        in_flight = [0, 0]  # now, most
        held = []

        def quirk(request, body):
            with lock:
                in_flight[0] += 1
                in_flight[1] = max(in_flight)
            try:
                if (request['query'].get('marker') == [rows[9]['id']]
                        and 'offset' not in request['query']):
                    hs.wait_until(
                        lambda: len(self.list_requests()) > ahead, 5)
                    time.sleep(0.2)  # room for one beyond the bound
                    held.append(len(self.list_requests()))
                else:
                    time.sleep(0.05)  # room to overlap
            finally:
                with lock:
                    in_flight[0] -= 1
        self.fake.quirk = quirk
        self.assertEqual(self.expected(rows), self.list_ids())
        # The first page, the held one and the 3 after it; nothing more.
        self.assertEqual([1 + ahead], held)
        self.assertEqual(2, in_flight[1])
        self.assertEqual(11, len(self.list_requests()))

    def test_failed_page_fails_the_listing_and_prints_nothing(self):
        def quirk(request, body):
            if request['query'].get('offset') == ['8']:
                return hs.Reply(500, json_body={'computeFault': {
                    'code': 500, 'message': 'page 3 is down'}})
        self.fake.quirk = quirk
        rc, out, err = self.run_shell(*(self.auth() + [
            'vbs', 'backup', 'list', '-f', 'value']))
        self.assertOneLineError(rc, out, err, 'answered 500',
                                'page 3 is down')

    def test_server_ignoring_offset_falls_back_to_markers(self):
        def quirk(request, body):
            if 'offset' in request['query']:
                query = dict(request['query'])
                del query['offset']
                return hs.Reply(json_body=self.fake.listing(query))
        self.fake.quirk = quirk
        self.assertEqual(self.expected(BACKUPS), self.list_ids())
        # Every page after the first goes by marker, so only the last
        # request tells the fall-back: the page after row 18 (the last row
        # verified), by marker alone, one page at a time.
        requests = self.list_requests()
        self.assertEqual(4, len(requests))
        self.assertEqual({'marker': [BACKUPS[18]['id']]},
                         requests[-1]['query'])

    def test_count_that_lies(self):
        for count in (3, 11, 24, 26, 250):
            self.server.requests.clear()

            def quirk(request, body, count=count):
                if 'count' in body:
                    body['count'] = count
            self.fake.quirk = quirk
            self.assertEqual(self.expected(BACKUPS), self.list_ids(), count)


class TestMarkerWithConcurrentPages(HostileTest):
    """--marker at the default page concurrency starts after the marker."""

    concurrency = '4'

    def test_marker_across_pages(self):
        for args, rows in (
                (['--marker', BACKUPS[4]['id']], BACKUPS[5:]),
                (['--marker', BACKUPS[4]['id'], '--limit', '12'],
                 BACKUPS[5:17]),
                (['--marker', BACKUPS[4]['id'], '--offset', '8'],
                 BACKUPS[13:])):
            self.server.requests.clear()
            self.assertEqual(self.expected(rows), self.list_ids(*args), args)
            self.assertEqual([BACKUPS[4]['id']],
                             self.list_requests()[0]['query']['marker'],
                             args)
