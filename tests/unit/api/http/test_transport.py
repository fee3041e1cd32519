"""Transport: GETs on one endpoint, values sent exactly, failures mapped
to one-line errors."""

from urllib import parse

from hypothesis import example
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
import requests

from vbsclient.api.http import endpoint
from vbsclient.api.http import transport
from vbsclient import exceptions

from tests.unit import base

# Any code point a command line or a UTF-8 query can carry.
TEXT = st.text(st.characters(blacklist_categories=('Cs',),
                             blacklist_characters='\x00'),
               max_size=300)
SETTINGS = settings(
    max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture])


class TestErrors(base.TestCase):

    def fail_with(self, **response):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, **response)
        manager = self.client().backups
        return self.assertRaises(exceptions.VBSError, list, manager.list())

    def test_cinder_error_body_and_request_id(self):
        e = self.fail_with(
            status_code=400, reason='Bad Request',
            headers={'x-openstack-request-id': 'req-123'},
            json={'badRequest': {'code': 400, 'message':
                                 'Invalid filters name~ are found in query '
                                 'options.'}})
        self.assertIsInstance(e, exceptions.HTTPError)
        self.assertEqual(
            'VBS API answered 400 Bad Request to GET %s: Invalid filters '
            'name~ are found in query options. (request-id: req-123)'
            % base.LIST_URL, str(e))
        self.assertEqual((400, 'req-123', 'GET', base.LIST_URL),
                         (e.status, e.request_id, e.method, e.url))
        self.assertEqual('Invalid filters name~ are found in query options.',
                         e.detail)

    def test_html_gateway_page(self):
        e = self.fail_with(status_code=502, reason='Bad Gateway',
                           text='<html><head><title>502 Bad Gateway</title>'
                                '</head>\n<body>nginx</body></html>')
        self.assertIn('502 Bad Gateway to GET', str(e))
        self.assertTrue(str(e).endswith(': 502 Bad Gateway'))
        self.assertNotIn('\n', str(e))

    def test_retries_transient_failures(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'status_code': 503}, {'status_code': 429,
                                   'headers': {'Retry-After': '1'}},
            {'json': base.page([base.backup(1)])}])
        manager = self.client(page_concurrency=1).backups
        self.assertEqual(1, len(list(manager.list())))
        self.assertEqual(3, len(self.list_requests()))

    def test_not_json(self):
        e = self.fail_with(text='<html>oops</html>')
        self.assertIsInstance(e, exceptions.BadResponse)
        self.assertIn('not JSON (oops)', str(e))

    def test_json_that_is_not_an_object(self):
        e = self.fail_with(json=['backups'])
        self.assertIsInstance(e, exceptions.BadResponse)
        self.assertEqual('VBS API answered GET %s with JSON that is not an '
                         'object' % base.LIST_URL, str(e))

    def test_connection_refused(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL,
                               exc=requests.exceptions.ConnectionError)
        manager = self.client().backups
        e = self.assertRaises(exceptions.ConnectionFailed, list,
                              manager.list())
        self.assertIn('VBS API request failed (listing backups): Unable to '
                      'establish connection to %s' % base.LIST_URL, str(e))


class TestTransport(base.TestCase):

    def test_endpoint_resolved_once_and_token_stays_there(self):
        session = self.token_session()
        t = transport.Transport(session, endpoint.SERVICE_TYPES, 'VBS')
        self.requests_mock.get(base.ENDPOINT + '/things',
                               json={'things': []})
        url, body = t.get('things', {'a': 'b c'}, 'reading things')
        self.assertEqual(base.ENDPOINT + '/things', url)
        self.assertEqual({'things': []}, body)
        [req] = self.requests_mock.request_history
        self.assertEqual({'a': ['b c']}, base.query_of(req))
        self.assertEqual(base.TOKEN, req.headers['X-Auth-Token'])
        self.assertEqual('application/json', req.headers['Accept'])

    def test_locate_replaces_the_catalog_rule(self):
        t = transport.Transport(self.token_session(), ('identity',),
                                'identity', locate=lambda: base.AUTH_URL)
        self.assertEqual(base.AUTH_URL, t.endpoint)

    def test_each_request_gets_a_deadline_of_the_timeout(self):
        t = transport.Transport(self.token_session(), ('vbs',), 'VBS')
        self.assertEqual(60, t.deadline().seconds)
        t = transport.Transport(self.token_session(), ('vbs',), 'VBS',
                                timeout=7.5)
        self.assertEqual(7.5, t.deadline().seconds)


class TestOneDeadline(base.TestCase):
    """A GET with all its retries ends within the timeout of its start.

    On base.TestCase's fake clock, which only the retries' waits and the
    answers below move; requests-mock records each attempt's timeout.
    """

    def setUp(self):
        super().setUp()
        self.serve_versions()

    def timeouts(self):
        return [r.timeout for r in self.list_requests()]

    def test_503_with_retry_after_2_and_a_timeout_of_4(self):
        self.requests_mock.get(base.LIST_URL, status_code=503,
                               headers={'Retry-After': '2'}, json={})
        api = self.client(timeout=4, page_concurrency=1).backups
        e = self.assertRaises(exceptions.RetryAfterTooLong, list,
                              api.list())
        self.assertEqual(
            'VBS API answered 503 Service Unavailable to GET %s with '
            'Retry-After: 2 s, but only 2.0 s of the request timeout of 4 s '
            'is left; try again later' % base.LIST_URL, str(e))
        # One wait of 2 s; the second attempt read for the 2 s left; a
        # third would start at the deadline: none is sent.
        self.assertEqual([2], self.clock.sleeps)
        self.assertEqual([4, 2], self.timeouts())
        self.assertEqual([], self.ksa_sleeps.call_args_list)

    def test_slow_answers_shorten_the_next_attempt(self):
        def slow_503(request, context):
            self.clock.now += 1.5
            context.status_code = 503
            return {}
        self.requests_mock.get(base.LIST_URL, json=slow_503)
        api = self.client(timeout=4, page_concurrency=1).backups
        e = self.assertRaises(exceptions.HTTPError, list, api.list())
        self.assertEqual(503, e.status)
        # 1.5 s + a 0.5 s backoff, 1.5 s more: the 1 s backoff would
        # leave no time, so the 503 is the answer.
        self.assertEqual([0.5], self.clock.sleeps)
        self.assertEqual([4, 2], self.timeouts())

    def test_reconnect_and_status_retries_share_the_deadline(self):
        from tests.unit.api.http import test_reconnect
        self.requests_mock.get(base.LIST_URL, [test_reconnect.refused()] * 3
                               + [{'status_code': 503, 'json': {},
                                   'headers': {'Retry-After': '3'}},
                                  {'json': base.page([base.backup(1)])}])
        api = self.client(timeout=4, page_concurrency=1).backups
        e = self.assertRaises(exceptions.RetryAfterTooLong, list,
                              api.list())
        # The reconnect's three waits (1.75 s to 3.5 s, jittered) leave
        # less than the 3 s asked for.
        waits = self.clock.sleeps
        self.assertEqual(3, len(waits))
        self.assertIn('but only %.1f s of the request timeout of 4 s is '
                      'left' % (4 - sum(waits)), str(e))
        expected = [4, 4 - waits[0], 4 - sum(waits[:2]), 4 - sum(waits)]
        for want, got in zip(expected, self.timeouts(), strict=True):
            self.assertAlmostEqual(want, got)


class TestQueryRoundTrip(base.TestCase):

    def setUp(self):
        super().setUp()
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))

    @SETTINGS
    @given(name=TEXT, pattern=TEXT)
    @example(name='a&b=c#d%20e+f~g h', pattern='%%%+++~~~   &&==##')
    @example(name='x' * 5000, pattern='Ünïcödé ☃ 备份 🚀')
    @example(name='', pattern=' ')
    def test_filters_round_trip(self, name, pattern):
        # One page at a time: no with_count, so any stray key shows.
        client = self.client(page_concurrency=1)
        marker = ('8b5b5b6e-6c47-4ea0-9d73-%012d' % len(name)
                  if name else None)
        list(client.backups.list(name=name, name_like=pattern,
                                 volume_like=pattern, marker=marker))
        req = self.list_requests()[-1]
        sent = parse.parse_qs(parse.urlsplit(req.url).query,
                              keep_blank_values=True, strict_parsing=False,
                              encoding='utf-8', errors='strict')
        self.assertEqual([name], sent['name'])
        self.assertEqual([pattern], sent['name~'])
        self.assertEqual([pattern], sent['volume_id~'])
        if name:
            self.assertEqual([marker], sent['marker'])
        # No fragment and no stray parameter: nothing leaked out of a value.
        self.assertEqual('', parse.urlsplit(req.url).fragment)
        self.assertLessEqual(set(sent),
                             {'name', 'name~', 'volume_id~', 'marker'})
