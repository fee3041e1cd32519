"""BackupManager (``client.backups``) against requests-mock, through a real
keystoneauth session."""

import warnings

import fixtures

from vbsclient import backup as backup_mod
from vbsclient import exceptions
from vbsclient.osc.v3 import errors

from tests.unit import base

INTERNAL = 'http://192.168.82.222:8776/v2/%s/backups/detail' % base.PROJECT_ID
# UUID-shaped markers and IDs are sent as they are, never looked up.
MARKER = '00000000-1111-4222-8333-444444444444'
VOLUME = '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11'
OTHER_PROJECT = 'ee6b0f3ac7cc4bd8a5b7a4b1b8f0b6f1'
VOLUMES_URL = base.ENDPOINT + '/volumes'


def backup_url(backup_id):
    return '%s/backups/%s' % (base.ENDPOINT, backup_id)


class TestList(base.TestCase):

    def backups(self, **kwargs):
        # One page at a time: these tests follow the sequential requests.
        kwargs.setdefault('page_concurrency', 1)
        return self.client(**kwargs).backups

    def test_vendor_example_single_page(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.vendor_example())
        result = list(self.backups().list())
        self.assertEqual(
            ['1d1139d8-8989-49d3-8aa1-83eb691e6db2',
             '80e17946-6e56-46e0-9547-e9ba4f1619bd',
             'b3cf7a16-decc-4beb-8077-682737d94a58'],
            [b.id for b in result])
        for item in result:
            self.assertIsInstance(item, backup_mod.Backup)
        self.assertNotIn('os-backup-project-attr:project_id',
                         result[2].to_dict())
        self.assertIsNone(result[2].project_id)
        self.assertEqual(base.PROJECT_ID, result[0].project_id)
        [req] = self.list_requests()
        self.assertEqual('volume 3.64', req.headers['OpenStack-API-Version'])
        self.assertEqual(base.TOKEN, req.headers['X-Auth-Token'])

    def test_lazy_nothing_sent_before_iteration(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        listing = self.backups().list(name='x')
        self.assertEqual([], self.requests_mock.request_history)
        self.assertEqual([], list(listing))
        self.assertEqual(1, len(self.list_requests()))

    def test_follows_foreign_next_link_on_own_endpoint_only(self):
        self.serve_versions()
        first = [base.backup(i) for i in range(3)]
        second = [base.backup(i) for i in range(3, 5)]
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page(first, INTERNAL + '?marker=bk-0002&limit=3')},
            {'json': base.page(second)},
        ])
        result = list(self.backups().list())
        self.assertEqual(['bk-%04d' % i for i in range(5)],
                         [b.id for b in result])
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
        manager = self.backups()
        list(manager.list())
        self.assertEqual(0, manager.count())
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
        result = list(self.backups().list(name_like='a&b=c', offset=2))
        self.assertEqual(2, len(result))
        first, second = self.list_requests()
        self.assertEqual({'name~': ['a&b=c'], 'offset': ['2']},
                         base.query_of(first))
        self.assertEqual({'name~': ['a&b=c'], 'marker': ['bk-0001']},
                         base.query_of(second))

    def test_every_filter_to_its_query_key(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        list(self.backups().list(
            name='n', status='error', volume=VOLUME, name_like='a',
            status_like='err', volume_like='27', sort='name:asc,id',
            limit=5))
        [req] = self.list_requests()
        self.assertEqual(
            {'name': ['n'], 'status': ['error'], 'volume_id': [VOLUME],
             'name~': ['a'], 'status~': ['err'], 'volume_id~': ['27'],
             'sort': ['name:asc,id'], 'limit': ['5']},
            base.query_of(req))

    def test_limit_is_a_total_and_stops_requests(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1), base.backup(2)],
                               INTERNAL + '?marker=bk-0002')},
            {'json': base.page([base.backup(3), base.backup(4)],
                               INTERNAL + '?marker=bk-0004')},
        ])
        result = list(self.backups().list(limit=3, marker=MARKER))
        self.assertEqual(['bk-0001', 'bk-0002', 'bk-0003'],
                         [b.id for b in result])
        first, second = self.list_requests()
        self.assertEqual({'limit': ['3'], 'marker': [MARKER]},
                         base.query_of(first))
        self.assertEqual({'limit': ['1'], 'marker': ['bk-0002']},
                         base.query_of(second))

    def test_limit_zero_sends_nothing(self):
        self.assertEqual([], list(self.backups().list(limit=0)))
        self.assertEqual([], self.requests_mock.request_history)

    def test_empty_page_with_link_ends_listing(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=bk-1')},
            {'json': base.page([], INTERNAL + '?marker=bk-0001')},
        ])
        self.assertEqual(1, len(list(self.backups().list())))
        self.assertEqual(2, len(self.list_requests()))

    def test_link_without_marker_pages_by_last_id(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?limit=1')},
            {'json': base.page([base.backup(2)])},
        ])
        self.assertEqual(2, len(list(self.backups().list())))
        self.assertEqual({'marker': ['bk-0001']},
                         base.query_of(self.list_requests()[1]))

    def test_repeated_marker_is_an_error(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=m1')},
            {'json': base.page([base.backup(2)], INTERNAL + '?marker=m1')},
        ])
        e = self.assertRaises(exceptions.PaginationError, list,
                              self.backups().list())
        self.assertIn('m1 again', str(e))

    def test_duplicate_backup_is_an_error(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=m1')},
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=m2')},
        ])
        e = self.assertRaises(exceptions.PaginationError, list,
                              self.backups().list())
        self.assertIn('bk-0001 twice', str(e))

    def test_endless_pages_are_stopped(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(i)], INTERNAL + '?marker=m%d' % i)}
            for i in range(10)])
        manager = self.backups()
        manager.max_pages = 4
        e = self.assertRaises(exceptions.PaginationError, list,
                              manager.list())
        self.assertIn('after 4 pages', str(e))
        self.assertEqual(4, len(self.list_requests()))

    def test_marker_kept_at_concurrency_above_one(self):
        # With a marker the listing goes page by page from it: a dropped
        # marker would restart from the first row.
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(5)], INTERNAL + '?marker=bk-0005',
                               count=99)},
            {'json': base.page([base.backup(6)])},
        ])
        result = list(self.backups(page_concurrency=4).list(marker=MARKER))
        self.assertEqual(['bk-0005', 'bk-0006'], [b.id for b in result])
        first, second = self.list_requests()
        self.assertEqual([MARKER], base.query_of(first)['marker'])
        self.assertNotIn('offset', base.query_of(first))
        self.assertEqual(['bk-0005'], base.query_of(second)['marker'])

    def test_bad_values_refused_before_sending(self):
        manager = self.backups()
        for kwargs, param in (({'status': 'broken'}, 'status'),
                              ({'limit': -1}, 'limit'),
                              ({'offset': 'ten'}, 'offset'),
                              ({'sort': 'name:up'}, 'sort'),
                              ({'name': 5}, 'name'),
                              ({'project_domain': 'd'}, 'project_domain')):
            e = self.assertRaises(exceptions.InvalidParameter,
                                  manager.list, **kwargs)
            self.assertEqual(param, e.param)
        self.assertEqual([], self.requests_mock.request_history)

    def test_unknown_keyword_is_a_type_error(self):
        # Old raw API keys are not keywords.
        self.assertRaises(TypeError, self.backups().list,
                          **{'name~': 'x'})


class TestGates(base.TestCase):

    def test_explicit_version_below_gate_sends_nothing(self):
        manager = self.client(api_version='3.30').backups
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              manager.list, name='x', name_like='y')
        self.assertEqual(('name_like', '3.31', '3.30'),
                         (e.param, e.required, e.in_use))
        self.assertEqual('name_like needs api_version 3.31 or later; the '
                         'version in use is 3.30', str(e))
        self.assertEqual('--name-like needs --os-vbs-backup-api-version '
                         '3.31 or later; the version in use is 3.30',
                         errors.in_cli_words(e))
        self.assertEqual([], self.requests_mock.request_history)

    def test_limit_zero_still_refuses_a_gated_filter(self):
        manager = self.client(api_version='3.30').backups
        self.assertRaises(exceptions.UnsupportedMicroversion,
                          manager.list, name_like='x', limit=0)
        self.assertEqual([], self.requests_mock.request_history)

    def test_sort_by_name_gated(self):
        manager = self.client(api_version='3.36').backups
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              manager.list, sort='name:asc')
        self.assertEqual('sort:name', e.param)
        self.assertIn('--sort name needs --os-vbs-backup-api-version 3.37',
                      errors.in_cli_words(e))
        self.assertEqual([], self.requests_mock.request_history)

    def test_single_digit_minor_is_gated(self):
        manager = self.client(api_version='3.9').backups
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              manager.list, status_like='err')
        self.assertEqual('3.9', e.in_use)
        self.assertRaises(exceptions.UnsupportedMicroversion,
                          manager.count)
        self.assertEqual([], self.requests_mock.request_history)

    def test_negotiated_version_below_gate_sends_no_list(self):
        self.serve_versions(max_version='3.40')
        manager = self.client().backups
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              manager.count, name='x')
        self.assertEqual('count needs api_version 3.45 or later; the '
                         'version in use is 3.40', str(e))
        self.assertEqual('"vbs backup count" needs '
                         '--os-vbs-backup-api-version 3.45 or later; the '
                         'version in use is 3.40', errors.in_cli_words(e))
        self.assertEqual([], self.list_requests())

    def test_negotiated_gate_checked_after_discovery_before_listing(self):
        versions = self.serve_versions(max_version='3.30')
        listing = self.client().backups.list(volume_like='27')
        self.assertEqual([], self.requests_mock.request_history)
        e = self.assertRaises(exceptions.UnsupportedMicroversion, list,
                              listing)
        self.assertEqual('3.30', e.in_use)
        self.assertEqual(1, versions.call_count)
        self.assertEqual([], self.list_requests())

    def test_gate_checked_before_volume_lookup(self):
        volumes = self.requests_mock.get(VOLUMES_URL,
                                         json={'volumes': []})
        manager = self.client(api_version='3.30').backups
        self.assertRaises(exceptions.UnsupportedMicroversion,
                          manager.list, volume='db-volume',
                          name_like='x', marker='nightly')
        self.assertFalse(volumes.called)
        self.assertEqual([], self.requests_mock.request_history)


class TestCount(base.TestCase):

    def test_count_is_one_small_request(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL,
                               json=base.page([base.backup(1)], count=42))
        manager = self.client().backups
        self.assertEqual(42, manager.count(status_like='err'))
        [req] = self.list_requests()
        self.assertEqual(
            {'status~': ['err'], 'with_count': ['true'], 'limit': ['1']},
            base.query_of(req))
        self.assertEqual('volume 3.64', req.headers['OpenStack-API-Version'])

    def test_missing_count_is_an_error(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        self.assertRaises(exceptions.BadResponse,
                          self.client().backups.count)

    def test_count_takes_no_paging_keywords(self):
        manager = self.client().backups
        for name in ('limit', 'offset', 'marker', 'sort'):
            self.assertRaises(TypeError, manager.count, **{name: 1})


class TestProgressHooks(base.TestCase):

    def test_total_counted_and_reported_between_pages(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(1)], INTERNAL + '?marker=bk-0001',
                               count=2)},
            {'json': base.page([base.backup(2)])}])
        calls = []
        manager = self.client(page_concurrency=1).backups
        result = list(manager.list(on_page=lambda *a: calls.append(a)))
        self.assertEqual(2, len(result))
        self.assertEqual([(1, 1, 2)], calls)
        first, second = self.list_requests()
        self.assertEqual(['true'], base.query_of(first)['with_count'])
        self.assertNotIn('with_count', base.query_of(second))

    def test_no_count_without_on_page_when_sequential(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        list(self.client(page_concurrency=1).backups.list())
        self.assertNotIn('with_count',
                         base.query_of(self.list_requests()[0]))

    def test_no_count_below_345_or_after_a_marker(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        for requested, marker in (('3.44', None), (None, MARKER)):
            manager = self.client(api_version=requested,
                                  page_concurrency=1).backups
            list(manager.list(marker=marker, on_page=lambda *a: None))
            req = self.list_requests()[-1]
            self.assertNotIn('with_count', base.query_of(req))
        self.assertEqual(2, len(self.list_requests()))


class TestVolumeLookup(base.TestCase):

    def listing(self, **kwargs):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([], count=0))
        return list(self.client().backups.list(**kwargs))

    def test_uuid_is_sent_unchecked_in_cinders_form(self):
        # Cinder stores IDs lower case and hyphenated and compares them
        # exactly: any other spelling would match nothing.
        volumes = self.requests_mock.get(VOLUMES_URL, json={'volumes': []})
        for value in (VOLUME, VOLUME.upper(), VOLUME.replace('-', ''),
                      VOLUME.replace('-', '').upper(),
                      '{%s}' % VOLUME, 'urn:uuid:' + VOLUME):
            self.listing(volume=value)
            self.assertEqual([VOLUME], base.query_of(
                self.list_requests()[-1])['volume_id'])
            self.client().backups.count(volume=value)
            self.assertEqual([VOLUME], base.query_of(
                self.list_requests()[-1])['volume_id'])
        self.assertFalse(volumes.called)

    def test_whole_volume_id_as_volume_like_in_cinders_form(self):
        self.listing(volume_like=VOLUME.replace('-', '').upper())
        self.assertEqual([VOLUME], base.query_of(
            self.list_requests()[-1])['volume_id~'])
        self.listing(volume_like='27F3A1C4')
        self.assertEqual(['27F3A1C4'], base.query_of(
            self.list_requests()[-1])['volume_id~'])

    def test_names_looked_up_with_one_request(self):
        # Hyphens do not make a name an ID, nor does a UUID-like prefix.
        for name in ('db', 'db-volume-1', 'a-b-c-d-e',
                     '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a1',
                     '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11-old'):
            self.requests_mock.reset()
            volumes = self.requests_mock.get(
                VOLUMES_URL, json={'volumes': [{'id': VOLUME,
                                                'name': name}]})
            self.listing(volume=name)
            self.assertEqual(1, volumes.call_count, name)
            self.assertEqual({'name': [name], 'limit': ['5']},
                             base.query_of(volumes.last_request))
            self.assertEqual([VOLUME], base.query_of(
                self.list_requests()[-1])['volume_id'])

    def test_no_volume_of_that_name(self):
        self.requests_mock.get(VOLUMES_URL, json={'volumes': []})
        e = self.assertRaises(exceptions.NotFound, self.listing,
                              volume='db-volume')
        self.assertEqual("no volume with name or ID 'db-volume'", str(e))
        self.assertEqual([], self.list_requests())

    def test_several_volumes_of_that_name(self):
        ids = ['vol-a', 'vol-b']
        self.requests_mock.get(VOLUMES_URL, json={'volumes': [
            {'id': i, 'name': 'db'} for i in ids]})
        e = self.assertRaises(exceptions.NoUniqueMatch, self.listing,
                              volume='db')
        self.assertEqual(ids, e.ids)
        self.assertEqual("2 volumes are named 'db' (vol-a, vol-b); use the "
                         "ID", str(e))
        self.assertEqual([], self.list_requests())

    def test_count_resolves_the_volume_too(self):
        self.serve_versions()
        self.requests_mock.get(VOLUMES_URL, json={'volumes': [
            {'id': VOLUME}]})
        self.requests_mock.get(base.LIST_URL, json=base.page([], count=3))
        self.assertEqual(3, self.client().backups.count(volume='db-1'))
        self.assertEqual([VOLUME], base.query_of(
            self.list_requests()[0])['volume_id'])

    def test_name_looked_up_in_the_scope_asked_for(self):
        # An admin's --project X --volume <name>: X's volume, not one of
        # the token's project.
        for scope, sent, where in (
                ({'project': OTHER_PROJECT},
                 {'all_tenants': ['1'], 'project_id': [OTHER_PROJECT]},
                 ' in project %s' % OTHER_PROJECT),
                ({'all_projects': True}, {'all_tenants': ['1']},
                 ' in any project')):
            self.requests_mock.reset()
            volumes = self.requests_mock.get(VOLUMES_URL, json={
                'volumes': [{'id': VOLUME, 'name': 'db'}]})
            self.listing(volume='db', **scope)
            self.assertEqual(dict(sent, name=['db'], limit=['5']),
                             base.query_of(volumes.last_request))
            listing = base.query_of(self.list_requests()[-1])
            self.assertEqual([VOLUME], listing['volume_id'])
            self.assertEqual(sent, {k: v for k, v in listing.items()
                                    if k in ('all_tenants', 'project_id')})
            # The message names the scope searched.
            self.requests_mock.get(VOLUMES_URL, json={'volumes': []})
            e = self.assertRaises(exceptions.NotFound, self.listing,
                                  volume='db', **scope)
            self.assertEqual("no volume with name or ID 'db'" + where,
                             str(e))

    def test_count_looks_the_name_up_in_the_project(self):
        self.serve_versions()
        volumes = self.requests_mock.get(VOLUMES_URL, json={'volumes': [
            {'id': VOLUME}]})
        self.requests_mock.get(base.LIST_URL, json=base.page([], count=2))
        self.assertEqual(2, self.client().backups.count(
            volume='db', project=OTHER_PROJECT))
        self.assertEqual([OTHER_PROJECT], base.query_of(
            volumes.last_request)['project_id'])

    def test_refused_project_filter_on_the_volume_lookup(self):
        self.serve_versions()
        self.requests_mock.get(VOLUMES_URL, status_code=400, json={
            'badRequest': {'code': 400, 'message':
                           'Invalid filters project_id are found in query '
                           'options.'}})
        e = self.assertRaises(exceptions.ScopeIgnored, list,
                              self.client().backups.list(
                                  volume='db', project=OTHER_PROJECT))
        self.assertIn('project needs the admin role', str(e))
        self.assertEqual([], self.list_requests())


class TestFind(base.TestCase):

    def setUp(self):
        super().setUp()
        self.serve_versions()
        self.backups = self.client(page_concurrency=1).backups

    def by_name(self, found):
        return self.requests_mock.get(base.LIST_URL,
                                      json=base.page(found))

    def test_uuid_is_one_get_by_id(self):
        shown = self.requests_mock.get(backup_url(MARKER), json={
            'backup': base.backup(1, id=MARKER)})
        result = self.backups.find(MARKER)
        self.assertEqual(MARKER, result.id)
        self.assertEqual(1, shown.call_count)
        self.assertEqual([], self.list_requests())

    def test_name_is_one_filtered_request(self):
        self.by_name([base.backup(1, name='nightly')])
        self.assertEqual('bk-0001', self.backups.find('nightly').id)
        [req] = self.list_requests()
        self.assertEqual({'name': ['nightly'], 'limit': ['5']},
                         base.query_of(req))

    def test_hyphenated_name_is_a_name(self):
        self.by_name([base.backup(1, name='db-nightly-1')])
        self.assertEqual('bk-0001', self.backups.find('db-nightly-1').id)
        self.assertEqual(['db-nightly-1'], base.query_of(
            self.list_requests()[0])['name'])

    def test_no_match_names_the_scope_options(self):
        self.by_name([])
        e = self.assertRaises(exceptions.NotFound, self.backups.find,
                              'nightly')
        self.assertNotIsInstance(e, exceptions.MarkerNotFound)
        self.assertEqual("no backup with name or ID 'nightly'; an admin "
                         "may look in every project with all_projects or "
                         "in one with project", str(e))
        self.assertEqual("no backup with name or ID 'nightly'; an admin "
                         "may look in every project with --all-projects or "
                         "in one with --project", errors.in_cli_words(e))

    def test_several_matches(self):
        self.by_name([base.backup(i, name='nightly') for i in (1, 2, 3)])
        e = self.assertRaises(exceptions.NoUniqueMatch, self.backups.find,
                              'nightly')
        self.assertEqual(['bk-0001', 'bk-0002', 'bk-0003'], e.ids)
        self.assertIn("3 backups are named 'nightly'", str(e))
        self.assertIn('bk-0001, bk-0002, bk-0003', str(e))

    def test_many_matches_say_or_more(self):
        self.by_name([base.backup(i, name='n') for i in range(5)])
        e = self.assertRaises(exceptions.NoUniqueMatch, self.backups.find,
                              'n')
        self.assertIn('5 or more backups', str(e))

    def test_uuid_that_404s_is_tried_as_a_name(self):
        shown = self.requests_mock.get(
            backup_url(MARKER), status_code=404,
            json={'itemNotFound': {'code': 404, 'message': 'gone'}})
        self.by_name([base.backup(7, name=MARKER)])
        self.assertEqual('bk-0007', self.backups.find(MARKER).id)
        self.assertEqual(1, shown.call_count)
        self.assertEqual([MARKER],
                         base.query_of(self.list_requests()[0])['name'])

    def test_uuid_error_other_than_404_is_raised(self):
        self.requests_mock.get(backup_url(MARKER), status_code=500)
        self.useFixture(fixtures.MockPatch(
            'vbsclient.api.http.transport.RETRIES', 0))
        e = self.assertRaises(exceptions.HTTPError, self.backups.find,
                              MARKER)
        self.assertEqual(500, e.status)
        self.assertEqual([], self.list_requests())

    def test_all_projects_scope(self):
        self.by_name([])
        e = self.assertRaises(exceptions.NotFound, self.backups.find,
                              'nightly', all_projects=True)
        self.assertEqual("no backup with name or ID 'nightly' in any "
                         "project", str(e))
        self.assertEqual({'name': ['nightly'], 'limit': ['5'],
                          'all_tenants': ['1']},
                         base.query_of(self.list_requests()[0]))

    def test_project_scope(self):
        self.by_name([base.backup(1, name='nightly', **{
            'os-backup-project-attr:project_id': OTHER_PROJECT})])
        self.assertEqual('bk-0001', self.backups.find(
            'nightly', project=OTHER_PROJECT).id)
        self.assertEqual({'name': ['nightly'], 'limit': ['5'],
                          'all_tenants': ['1'],
                          'project_id': [OTHER_PROJECT]},
                         base.query_of(self.list_requests()[0]))

    def test_get_404_is_not_found(self):
        self.requests_mock.get(
            backup_url(MARKER), status_code=404,
            json={'itemNotFound': {'code': 404, 'message': 'no such'}})
        e = self.assertRaises(exceptions.NotFound, self.backups.get, MARKER)
        self.assertIn('no backup with ID %r' % MARKER, str(e))
        self.assertIn('404: no such', str(e))

    def test_uuid_in_any_form_is_shown_by_its_canonical_id(self):
        shown = self.requests_mock.get(backup_url(MARKER), json={
            'backup': base.backup(1, id=MARKER)})
        typed = MARKER.replace('-', '').upper()
        self.assertEqual(MARKER, self.backups.find(typed).id)
        self.assertEqual(MARKER, self.backups.get(typed).id)
        self.assertEqual(2, shown.call_count)
        self.assertEqual([], self.list_requests())

    def test_get_404_echoes_the_id_as_typed(self):
        self.requests_mock.get(backup_url(MARKER), status_code=404)
        typed = MARKER.replace('-', '').upper()
        e = self.assertRaises(exceptions.NotFound, self.backups.get, typed)
        self.assertIn('no backup with ID %r' % typed, str(e))

    def test_get_quotes_the_id(self):
        self.requests_mock.get(base.ENDPOINT + '/backups/a%2Fb%3Fc',
                               json={'backup': base.backup(1)})
        self.assertEqual('bk-0001', self.backups.get('a/b?c').id)


class TestMarkerLookup(base.TestCase):

    def test_uuid_marker_sent_in_cinders_form(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        for concurrency in (1, 4):
            manager = self.client(page_concurrency=concurrency).backups
            list(manager.list(marker=MARKER.replace('-', '').upper()))
            self.assertEqual({'marker': [MARKER]},
                             base.query_of(self.list_requests()[-1]))

    def test_named_marker_is_looked_up_then_sent_as_id(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page([base.backup(3, name='nightly')])},
            {'json': base.page([base.backup(4)])}])
        manager = self.client(page_concurrency=1).backups
        self.assertEqual(['bk-0004'],
                         [b.id for b in manager.list(marker='nightly')])
        lookup, listing = self.list_requests()
        self.assertEqual({'name': ['nightly'], 'limit': ['5']},
                         base.query_of(lookup))
        self.assertEqual({'marker': ['bk-0003']}, base.query_of(listing))

    def test_named_marker_looked_up_in_the_scope(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([
            base.backup(3, name='nightly', **{
                'os-backup-project-attr:project_id': OTHER_PROJECT})]))
        manager = self.client(page_concurrency=1).backups
        list(manager.list(marker='nightly', project=OTHER_PROJECT))
        lookup, listing = self.list_requests()
        scope = {'all_tenants': ['1'], 'project_id': [OTHER_PROJECT]}
        self.assertEqual(dict(scope, name=['nightly'], limit=['5']),
                         base.query_of(lookup))
        self.assertEqual(dict(scope, marker=['bk-0003']),
                         base.query_of(listing))

    def test_named_marker_not_found_lists_nothing(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        manager = self.client().backups
        self.assertRaises(exceptions.NotFound, list,
                          manager.list(marker='nightly'))
        self.assertEqual(1, len(self.list_requests()))


class TestScope(base.TestCase):

    def client_for(self, rows, **kwargs):
        # A catalog session: the token's project is known.
        session = self.catalog_session([
            ('vbs', base.VBS_ROOT + '/v2/%s' % base.PROJECT_ID)])
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page(rows, count=1))
        return self.client(session, **kwargs)

    def test_ignored_all_projects_warns(self):
        client = self.client_for([base.backup(1)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = list(client.backups.list(all_projects=True))
        self.assertEqual(1, len(result))
        [warning] = caught
        self.assertIs(exceptions.ScopeIgnoredWarning, warning.category)
        # Reported at the caller's line, not inside the library.
        self.assertEqual(__file__.rstrip('c'), warning.filename)
        self.assertEqual(
            'all_projects was ignored by the server (it needs the admin '
            'role); only the backups of your project %s are listed'
            % base.PROJECT_ID, str(warning.message))
        self.assertEqual(['1'], base.query_of(
            self.list_requests()[0])['all_tenants'])

    def test_ignored_all_projects_warns_on_count(self):
        client = self.client_for([base.backup(1)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            self.assertEqual(1, client.backups.count(all_projects=True))
        self.assertEqual([exceptions.ScopeIgnoredWarning],
                         [w.category for w in caught])
        self.assertEqual(__file__.rstrip('c'), caught[0].filename)

    def test_no_warning_when_owners_are_shown(self):
        client = self.client_for([base.backup(1, **{
            'os-backup-project-attr:project_id': OTHER_PROJECT})])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            list(client.backups.list(all_projects=True))
        self.assertEqual([], caught)

    def test_no_warning_below_3_18(self):
        # The owner field does not exist yet: nothing to tell by.
        client = self.client_for([base.backup(1)], api_version='3.17')
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            list(client.backups.list(all_projects=True))
        self.assertEqual([], caught)

    def test_project_without_owners_warns_and_lists(self):
        # A policy may hide the owner field from admins too: its absence
        # proves nothing, so the listing goes on, with a warning.
        client = self.client_for([base.backup(1)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = list(client.backups.list(project=OTHER_PROJECT))
        self.assertEqual(['bk-0001'], [b.id for b in result])
        [warning] = caught
        self.assertIs(exceptions.ScopeIgnoredWarning, warning.category)
        self.assertEqual(__file__.rstrip('c'), warning.filename)
        self.assertEqual(
            'the server sent the backups without their owner, so project '
            '%s could not be checked (without the admin role they are '
            'those of your project %s)' % (OTHER_PROJECT, base.PROJECT_ID),
            str(warning.message))
        self.assertTrue(errors.in_cli_words(warning.message).startswith(
            'the server sent the backups without their owner, so --project '
            '%s could not be checked' % OTHER_PROJECT))
        self.assertEqual({'all_tenants': ['1'],
                          'project_id': [OTHER_PROJECT],
                          'with_count': ['true']},
                         base.query_of(self.list_requests()[0]))

    def test_project_without_owners_warns_on_count(self):
        client = self.client_for([base.backup(1)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            self.assertEqual(1, client.backups.count(project=OTHER_PROJECT))
        self.assertEqual([exceptions.ScopeIgnoredWarning],
                         [w.category for w in caught])
        self.assertIn('could not be checked', str(caught[0].message))

    def test_own_project_without_owners_does_not_warn(self):
        client = self.client_for([base.backup(1)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            list(client.backups.list(project=base.PROJECT_ID))
        self.assertEqual([], caught)

    def test_project_with_its_owner_is_kept(self):
        client = self.client_for([base.backup(1, **{
            'os-backup-project-attr:project_id': OTHER_PROJECT})])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            self.assertEqual(1, len(list(client.backups.list(
                project=OTHER_PROJECT))))
            self.assertEqual(1, client.backups.count(project=OTHER_PROJECT))
        self.assertEqual([], caught)

    def test_project_with_another_owner_is_scope_ignored(self):
        # The server dropped the project filter (or answered for another
        # project): the owner it shows is compared with the one asked for.
        client = self.client_for([base.backup(1, **{
            'os-backup-project-attr:project_id': base.PROJECT_ID})])
        for call in (lambda: list(client.backups.list(
                         project=OTHER_PROJECT)),
                     lambda: client.backups.count(project=OTHER_PROJECT)):
            e = self.assertRaises(exceptions.ScopeIgnored, call)
            self.assertEqual(
                'the server did not keep project %s: it answered with the '
                'backups of project %s' % (OTHER_PROJECT, base.PROJECT_ID),
                str(e))
            self.assertIn('did not keep --project %s' % OTHER_PROJECT,
                          errors.in_cli_words(e))

    def test_refused_project_filter_is_scope_ignored(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, status_code=400, json={
            'badRequest': {'code': 400, 'message':
                           'Invalid filters project_id are found in query '
                           'options.'}})
        client = self.client(page_concurrency=1)
        e = self.assertRaises(exceptions.ScopeIgnored, list,
                              client.backups.list(project=OTHER_PROJECT))
        self.assertIn('project needs the admin role (the server refused '
                      'the project filter: Invalid filters project_id',
                      str(e))
        self.assertIn('--project needs the admin role',
                      errors.in_cli_words(e))
