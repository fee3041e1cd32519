"""BackupAPI against requests-mock, through a real keystoneauth session."""

from vbsclient.api import backups
from vbsclient import exceptions

from tests.unit import base

INTERNAL = 'http://192.168.82.222:8776/v2/%s/backups/detail' % base.PROJECT_ID


class TestList(base.TestCase):

    def api(self, **kwargs):
        return backups.BackupAPI(self.token_session(), **kwargs)

    def test_vendor_example_single_page(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.vendor_example())
        result = list(self.api().list())
        self.assertEqual(
            ['1d1139d8-8989-49d3-8aa1-83eb691e6db2',
             '80e17946-6e56-46e0-9547-e9ba4f1619bd',
             'b3cf7a16-decc-4beb-8077-682737d94a58'],
            [b['id'] for b in result])
        self.assertNotIn('os-backup-project-attr:project_id', result[2])
        [req] = self.list_requests()
        self.assertEqual('volume 3.64', req.headers['OpenStack-API-Version'])
        self.assertEqual(base.TOKEN, req.headers['X-Auth-Token'])

    def test_follows_foreign_next_link_on_own_endpoint_only(self):
        self.serve_versions()
        first = [base.backup(i) for i in range(3)]
        second = [base.backup(i) for i in range(3, 5)]
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page(first, INTERNAL + '?marker=bk-0002&limit=3')},
            {'json': base.page(second)},
        ])
        result = list(self.api().list())
        self.assertEqual(['bk-%04d' % i for i in range(5)],
                         [b['id'] for b in result])
        for req in self.requests_mock.request_history:
            self.assertEqual('vbs.example.test', req.hostname)
            self.assertEqual('https', req.scheme)
        reqs = self.list_requests()
        self.assertEqual(2, len(reqs))
        self.assertEqual('/v3/%s/backups/detail' % base.PROJECT_ID,
                         reqs[1].path)
        self.assertEqual({'marker': ['bk-0002']}, base.query_of(reqs[1]))

    def test_one_authenticated_version_discovery(self):
        versions = self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([], count=0))
        api = self.api()
        list(api.list())
        self.assertEqual(0, api.count()[0])
        self.assertEqual(1, versions.call_count)
        self.assertEqual(base.TOKEN,
                         versions.last_request.headers['X-Auth-Token'])

    def test_filters_kept_and_offset_applied_once(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)],
                               INTERNAL + '?name~=other&offset=2&'
                               'marker=bk-0001')},
            {'json': base.page([base.backup(2)])},
        ])
        result = list(self.api().list({'name~': 'a&b=c'}, offset=2))
        self.assertEqual(2, len(result))
        first, second = self.list_requests()
        self.assertEqual({'name~': ['a&b=c'], 'offset': ['2']},
                         base.query_of(first))
        self.assertEqual({'name~': ['a&b=c'], 'marker': ['bk-0001']},
                         base.query_of(second))

    def test_limit_is_a_total_and_stops_requests(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1), base.backup(2)],
                               INTERNAL + '?marker=bk-0002')},
            {'json': base.page([base.backup(3), base.backup(4)],
                               INTERNAL + '?marker=bk-0004')},
        ])
        result = list(self.api().list(limit=3, marker='bk-0000'))
        self.assertEqual(['bk-0001', 'bk-0002', 'bk-0003'],
                         [b['id'] for b in result])
        first, second = self.list_requests()
        self.assertEqual({'limit': ['3'], 'marker': ['bk-0000']},
                         base.query_of(first))
        self.assertEqual({'limit': ['1'], 'marker': ['bk-0002']},
                         base.query_of(second))

    def test_limit_zero_sends_nothing(self):
        self.assertEqual([], list(self.api().list(limit=0)))
        self.assertEqual([], self.requests_mock.request_history)

    def test_empty_page_with_link_ends_listing(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=bk-1')},
            {'json': base.page([], INTERNAL + '?marker=bk-0001')},
        ])
        self.assertEqual(1, len(list(self.api().list())))
        self.assertEqual(2, len(self.list_requests()))

    def test_link_without_marker_pages_by_last_id(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?limit=1')},
            {'json': base.page([base.backup(2)])},
        ])
        self.assertEqual(2, len(list(self.api().list())))
        self.assertEqual({'marker': ['bk-0001']},
                         base.query_of(self.list_requests()[1]))

    def test_repeated_marker_is_an_error(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=m1')},
            {'json': base.page([base.backup(2)], INTERNAL + '?marker=m1')},
        ])
        e = self.assertRaises(exceptions.PaginationError, list,
                              self.api().list())
        self.assertIn('m1 again', str(e))

    def test_duplicate_backup_is_an_error(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=m1')},
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=m2')},
        ])
        e = self.assertRaises(exceptions.PaginationError, list,
                              self.api().list())
        self.assertIn('bk-0001 twice', str(e))

    def test_endless_pages_are_stopped(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(i)], INTERNAL + '?marker=m%d' % i)}
            for i in range(10)])
        e = self.assertRaises(exceptions.PaginationError, list,
                              self.api(max_pages=4).list())
        self.assertIn('after 4 pages', str(e))
        self.assertEqual(4, len(self.list_requests()))


class TestMicroversions(base.TestCase):

    def api(self, requested=None):
        return backups.BackupAPI(self.token_session(),
                                 explicit_version=requested)

    def test_negotiates_server_max_below_client_max(self):
        self.serve_versions(max_version='3.50')
        self.assertEqual('3.50', self.api().microversion)

    def test_explicit_version_in_range_is_used(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        list(self.api('3.40').list())
        [req] = self.list_requests()
        self.assertEqual('volume 3.40', req.headers['OpenStack-API-Version'])

    def test_explicit_version_above_server_refused_before_listing(self):
        self.serve_versions()
        e = self.assertRaises(exceptions.VersionNotSupported, list,
                              self.api('3.72').list())
        self.assertEqual('VBS backup API version 3.72 is not supported by '
                         'the server (it supports 3.0 to 3.71)', str(e))
        self.assertEqual([], self.list_requests())

    def test_no_version_document_uses_fallback_or_explicit(self):
        self.requests_mock.get(base.VERSION_URL, status_code=404)
        self.assertEqual('3.45', self.api().microversion)
        self.assertEqual('3.20', self.api('3.20').microversion)

    def test_explicit_version_below_gate_sends_nothing(self):
        e = self.assertRaises(
            exceptions.FilterNeedsMicroversion,
            self.api('3.30').check_gates, ['name', 'name~'],
            {'name~': '--name-like'})
        self.assertEqual('--name-like needs --os-vbs-backup-api-version '
                         '3.31 or later; the version in use is 3.30', str(e))
        self.assertEqual([], self.requests_mock.request_history)

    def test_negotiated_version_below_gate_sends_no_list(self):
        self.serve_versions(max_version='3.40')
        api = self.api()
        e = self.assertRaises(exceptions.FilterNeedsMicroversion,
                              api.count, {'name': 'x'})
        self.assertIn('3.45 or later; the version in use is 3.40', str(e))
        self.assertEqual([], self.list_requests())

    def test_server_minimum_above_client_max(self):
        self.serve_versions(min_version='3.70', max_version='3.71')
        self.assertRaises(exceptions.VersionNotSupported,
                          lambda: self.api().microversion)


class TestCount(base.TestCase):

    def test_count_is_one_small_request(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL,
                               json=base.page([base.backup(1)], count=42))
        api = backups.BackupAPI(self.token_session())
        self.assertEqual(42, api.count({'status~': 'err'})[0])
        [req] = self.list_requests()
        self.assertEqual(
            {'status~': ['err'], 'with_count': ['true'], 'limit': ['1']},
            base.query_of(req))
        self.assertEqual('volume 3.64', req.headers['OpenStack-API-Version'])

    def test_missing_count_is_an_error(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        api = backups.BackupAPI(self.token_session())
        self.assertRaises(exceptions.BadResponse, api.count)


class TestErrors(base.TestCase):

    def fail_with(self, **response):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, **response)
        api = backups.BackupAPI(self.token_session())
        return self.assertRaises(exceptions.VBSError, list, api.list())

    def test_cinder_error_body_and_request_id(self):
        e = self.fail_with(
            status_code=400, reason='Bad Request',
            headers={'x-openstack-request-id': 'req-123'},
            json={'badRequest': {'code': 400, 'message':
                                 'Invalid filters name~ are found in query '
                                 'options.'}})
        self.assertEqual(
            'VBS API answered 400 Bad Request to GET %s: Invalid filters '
            'name~ are found in query options. (request-id: req-123)'
            % base.LIST_URL, str(e))

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
        api = backups.BackupAPI(self.token_session())
        self.assertEqual(1, len(list(api.list())))
        self.assertEqual(3, len(self.list_requests()))

    def test_not_json(self):
        e = self.fail_with(text='<html>oops</html>')
        self.assertIsInstance(e, exceptions.BadResponse)
        self.assertIn('not JSON (oops)', str(e))

    def test_wrong_shapes(self):
        for body in ({'backups': {}}, {'nothing': []}, {'backups': [1]},
                     {'backups': [{'name': 'no id'}]}, ['backups'],
                     {'backups': [{'id': 5}]},
                     {'backups': [{'id': 'b', 'size': '1'}]},
                     {'backups': [{'id': 'b', 'size': True}]},
                     {'backups': [{'id': 'b', 'is_incremental': 'yes'}]},
                     {'backups': [{'id': 'b', 'name': ['x']}]}):
            e = self.fail_with(json=body)
            self.assertIsInstance(e, exceptions.BadResponse)
            self.assertNotIn('\n', str(e))

    def test_field_type_message(self):
        e = self.fail_with(json={'backups': [{'id': 'b1', 'size': '1'}]})
        self.assertEqual(
            'VBS API answered GET %s with backup b1 whose "size" is not of '
            'type integer: \'1\'' % base.LIST_URL, str(e))

    def test_nulls_and_unknown_fields_pass(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json={'backups': [
            {'id': 'b1', 'size': None, 'name': None, 'future': [1, 2]}]})
        api = backups.BackupAPI(self.token_session())
        self.assertEqual(1, len(list(api.list())))

    def test_connection_refused(self):
        import requests
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL,
                               exc=requests.exceptions.ConnectionError)
        api = backups.BackupAPI(self.token_session())
        e = self.assertRaises(exceptions.ConnectionFailed, list, api.list())
        self.assertIn('VBS API request failed (listing backups): Unable to '
                      'establish connection to %s' % base.LIST_URL, str(e))


class TestProgressHooks(base.TestCase):

    def test_total_counted_and_reported_between_pages(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=bk-0001',
                               count=2)},
            {'json': base.page([base.backup(2)])}])
        calls = []
        api = backups.BackupAPI(self.token_session())
        result = list(api.list(on_page=lambda *a: calls.append(a),
                               count_total=True))
        self.assertEqual(2, len(result))
        self.assertEqual([(1, 1, 2)], calls)
        first, second = self.list_requests()
        self.assertEqual(['true'], base.query_of(first)['with_count'])
        self.assertNotIn('with_count', base.query_of(second))

    def test_no_count_below_345_or_after_a_marker(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        for requested, marker in (('3.44', None), (None, 'bk-0000')):
            api = backups.BackupAPI(self.token_session(),
                                    explicit_version=requested)
            list(api.list(marker=marker, count_total=True))
            req = self.list_requests()[-1]
            self.assertNotIn('with_count', base.query_of(req))
        self.assertEqual(2, len(self.list_requests()))

    def test_timeout_reaches_every_request(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        api = backups.BackupAPI(self.token_session(), timeout=7.5)
        list(api.list())
        for req in self.requests_mock.request_history:
            self.assertEqual(7.5, req.timeout)


class TestGatesBeforeAnything(base.TestCase):

    def test_limit_zero_still_refuses_a_gated_filter(self):
        api = backups.BackupAPI(self.token_session(), explicit_version='3.30')
        self.assertRaises(exceptions.FilterNeedsMicroversion, list,
                          api.list({'name~': 'x'}, limit=0))
        self.assertEqual([], self.requests_mock.request_history)

    def test_exact_filters_need_no_discovery_to_be_checked(self):
        api = backups.BackupAPI(self.token_session())
        api.check_gates(['name', 'status', 'volume_id'])
        self.assertEqual([], self.requests_mock.request_history)

    def test_negotiated_gate_needs_one_discovery(self):
        versions_doc = self.serve_versions(max_version='3.30')
        api = backups.BackupAPI(self.token_session())
        self.assertRaises(exceptions.FilterNeedsMicroversion,
                          api.check_gates, ['status~'])
        self.assertEqual(1, versions_doc.call_count)
        self.assertEqual([], self.list_requests())
