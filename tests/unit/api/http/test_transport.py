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

    def test_timeout_none_leaves_the_session_alone(self):
        t = transport.Transport(self.token_session(), ('vbs',), 'VBS')
        self.assertEqual({}, t.request_kwargs())
        t = transport.Transport(self.token_session(), ('vbs',), 'VBS',
                                timeout=7.5)
        self.assertEqual(7.5, t.request_kwargs()['timeout'])


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
