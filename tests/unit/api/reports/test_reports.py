"""client.backups.summary and .coverage against a Cinder-like fake: the
requests they send, and nothing sent on bad input."""

import datetime
import signal
import threading
import warnings

from keystoneauth1 import fixture as ksa_fixture
from keystoneauth1.identity import v3
from keystoneauth1 import session as ksa_session

from vbsclient import exceptions

from tests import hostile_server as hs
from tests.unit import base

VOLUMES_URL = base.ENDPOINT + '/volumes/detail'
UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
OTHER_PROJECT = 'ee6b0f3ac7cc4bd8a5b7a4b1b8f0b6f1'


def at(hours_ago):
    when = NOW - datetime.timedelta(hours=hours_ago)
    return when.replace(tzinfo=None).isoformat(timespec='microseconds')


class FakeVolumes(hs.FakeBackups):
    """The fake's listing semantics over volumes/detail."""

    def listing(self, query):
        body = super().listing(query)
        body['volumes'] = body.pop('backups')
        if 'backups_links' in body:
            link = body.pop('backups_links')[0]
            link['href'] = link['href'].replace('backups', 'volumes')
            body['volumes_links'] = [link]
        return body


def serve(fake):
    def answer(request, context):
        return fake.listing(base.query_of(request))
    return answer


class ReportsTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.serve_versions()
        # Newest first, as Cinder's default order.
        self.backups = [
            base.backup(1, volume_id='vol-1', created_at=at(1)),
            base.backup(2, volume_id='vol-2', created_at=at(2),
                        status='error'),
            base.backup(3, volume_id='vol-1', created_at=at(3)),
            base.backup(4, volume_id='vol-2', created_at=at(10)),
            base.backup(5, volume_id='vol-3', created_at=at(30)),
            base.backup(6, volume_id='vol-2', created_at=at(40)),
            base.backup(7, volume_id='gone', created_at=at(50)),
            base.backup(8, volume_id='vol-4', created_at=at(60)),
        ]
        for backup in self.backups:
            backup['os-backup-project-attr:project_id'] = OTHER_PROJECT
        self.fake = hs.FakeBackups(self.backups, page_size=2)
        self.requests_mock.get(base.LIST_URL, json=serve(self.fake))
        self.volumes = [{'id': 'vol-%d' % n, 'name': 'v%d' % n, 'size': n,
                         'status': 'available'} for n in range(1, 6)]
        self.requests_mock.get(VOLUMES_URL, json=serve(
            FakeVolumes(self.volumes, page_size=2)))

    def api(self, **kwargs):
        return self.client(**kwargs).backups

    def queries(self, suffix):
        return [base.query_of(r) for r in self.requests_mock.request_history
                if r.path.endswith(suffix)]


class TestSummary(ReportsTest):

    def test_every_page_summed_concurrently(self):
        rows = self.api(page_concurrency=3).summary(group_by=['volume'])
        self.assertEqual([('gone', 1), ('vol-1', 2), ('vol-2', 3),
                          ('vol-3', 1), ('vol-4', 1)],
                         [(r.group['volume'], r.count) for r in rows])
        self.assertEqual(at(40), rows[2].oldest_backup.raw('created_at'))
        self.assertEqual(NOW - datetime.timedelta(hours=2), rows[2].newest)
        self.assertEqual(2 + 4 + 6, rows[2].size)

    def test_filters_go_to_the_server(self):
        rows = self.api().summary(status='error')
        self.assertEqual([('error', 1)],
                         [(r.group['status'], r.count) for r in rows])
        self.assertEqual(['error'], self.queries('/backups/detail')[0]
                         ['status'])

    def test_unknown_key_sends_nothing(self):
        e = self.assertRaises(exceptions.InvalidParameter,
                              self.api().summary, group_by=['size'])
        self.assertEqual('group_by', e.param)
        self.assertEqual([], self.requests_mock.request_history)

    def test_a_failing_page_fails_the_summary(self):
        def quirk(request, context):
            if 'marker' in base.query_of(request):
                context.status_code = 500
                return {'computeFault': {'code': 500, 'message': 'boom'}}
            return self.fake.listing(base.query_of(request))
        self.requests_mock.get(base.LIST_URL, json=quirk)
        e = self.assertRaises(exceptions.HTTPError, self.api().summary)
        self.assertEqual(500, e.status)


class TestSummaryNames(ReportsTest):
    """Names beside the volume and project IDs: one request per kind."""

    OWN_NAME = 'ops'

    def api(self, **kwargs):
        # A password session: the token's project and its name are known.
        token = ksa_fixture.V3Token(project_id=base.PROJECT_ID,
                                    project_name=self.OWN_NAME)
        token.add_service('vbs').add_standard_endpoints(
            public=base.ENDPOINT, region='RegionOne')
        token.add_service('identity').add_standard_endpoints(
            public=base.AUTH_URL, region='RegionOne')
        self.requests_mock.post(base.AUTH_URL + '/auth/tokens', json=token,
                                headers={'X-Subject-Token': base.TOKEN})
        self.requests_mock.get(base.AUTH_URL, json={'version': {
            'id': 'v3.14', 'status': 'stable', 'links': [
                {'rel': 'self', 'href': base.AUTH_URL}]}})
        auth = v3.Password(auth_url=base.AUTH_URL, username='u',
                           password='pw', user_domain_id='default',
                           project_id=base.PROJECT_ID)
        return self.client(ksa_session.Session(auth=auth), **kwargs).backups

    def projects(self, **response):
        return self.requests_mock.get(
            base.AUTH_URL + '/projects', **(response or {'json': {
                'projects': [{'id': OTHER_PROJECT, 'name': 'other'},
                             {'id': base.PROJECT_ID, 'name': 'ops'}]}}))

    def test_volume_names_from_one_listing(self):
        rows = self.api(page_concurrency=1).summary(group_by='volume,status')
        self.assertEqual(
            [('gone', None), ('vol-1', 'v1'), ('vol-2', 'v2'),
             ('vol-2', 'v2'), ('vol-3', 'v3'), ('vol-4', 'v4')],
            [(r.group['volume'], r.names['volume']) for r in rows])
        self.assertEqual('v1', rows[1].to_dict()['volume_name'])
        volumes = self.queries('/volumes/detail')
        self.assertEqual(1, len([q for q in volumes if 'marker' not in q]))
        self.assertNotIn('all_tenants', volumes[0])

    def test_volumes_listed_in_the_scope(self):
        self.projects()
        self.api().summary(group_by=['volume'], all_projects=True)
        self.assertEqual(['1'], self.queries('/volumes/detail')[0]
                         ['all_tenants'])
        self.api().summary(group_by=['volume'], project=OTHER_PROJECT)
        self.assertEqual([OTHER_PROJECT], self.queries('/volumes/detail')[-1]
                         ['project_id'])

    def test_project_names_from_one_keystone_listing(self):
        projects = self.projects()
        self.backups[0]['os-backup-project-attr:project_id'] = (
            base.PROJECT_ID)
        rows = self.api().summary(group_by=['project'], all_projects=True)
        self.assertEqual(
            [(base.PROJECT_ID, 'ops'), (OTHER_PROJECT, 'other')],
            sorted((r.group['project'], r.names['project']) for r in rows))
        self.assertEqual(1, projects.call_count)
        self.assertEqual([], self.queries('/volumes/detail'))

    def test_own_project_named_without_keystone(self):
        projects = self.projects()
        for backup in self.backups:
            backup['os-backup-project-attr:project_id'] = base.PROJECT_ID
        rows = self.api().summary(group_by=['project'])
        self.assertEqual([(base.PROJECT_ID, 'ops')],
                         [(r.group['project'], r.names['project'])
                          for r in rows])
        self.assertEqual(0, projects.call_count)

    def test_a_member_sees_no_owner_named_as_the_token_project(self):
        projects = self.projects(status_code=403, json={'error': {
            'code': 403, 'message': 'forbidden', 'title': 'Forbidden'}})
        for backup in self.backups:
            del backup['os-backup-project-attr:project_id']
        rows = self.api().summary(group_by=['project'])
        self.assertEqual([(None, 'ops')], [
            (r.group['project'], r.names['project']) for r in rows])
        self.assertEqual(0, projects.call_count)

    def test_unknown_projects_unnamed_when_keystone_refuses(self):
        self.projects(status_code=403, json={'error': {
            'code': 403, 'message': 'forbidden', 'title': 'Forbidden'}})
        self.backups[0]['os-backup-project-attr:project_id'] = (
            base.PROJECT_ID)
        rows = self.api().summary(group_by=['project'], all_projects=True)
        self.assertEqual(
            [(base.PROJECT_ID, 'ops'), (OTHER_PROJECT, None)],
            sorted((r.group['project'], r.names['project']) for r in rows))

    def test_other_keys_ask_for_no_names(self):
        projects = self.projects()
        rows = self.api().summary(group_by=['status', 'month'])
        self.assertEqual({}, rows[0].names)
        self.assertNotIn('volume_name', rows[0].to_dict())
        self.assertEqual([], self.queries('/volumes/detail'))
        self.assertEqual(0, projects.call_count)


class TestCoverage(ReportsTest):

    def rows(self, **kwargs):
        api = self.api(page_concurrency=kwargs.pop('page_concurrency', 2))
        return api.coverage(now=NOW, **kwargs)

    def test_window_then_probes(self):
        rows = self.rows(max_age='1d')
        self.assertEqual(
            [('vol-1', 'bk-0001', True), ('vol-2', 'bk-0004', True),
             ('vol-3', 'bk-0005', False), ('vol-4', 'bk-0008', False),
             ('vol-5', None, False)],
            [(r.volume_id, r.last_backup_id, r.covered) for r in rows])
        listed = self.queries('/backups/detail')
        probes = [q for q in listed if 'volume_id' in q]
        # The window of the last day per counting status (its edge found
        # by single-row requests), then one request of one row per
        # uncovered volume and status.
        for query in listed:
            self.assertIn(query['status'], (['available'], ['restoring']))
        self.assertEqual(
            [{'status': [status], 'volume_id': ['vol-%d' % n],
              'limit': ['1']} for n in (3, 4, 5)
             for status in ('available', 'restoring')],
            sorted(probes, key=lambda q: (q['volume_id'], q['status'])))
        self.assertEqual(probes, listed[-6:])

    def test_ctrl_c_during_probes_returns_at_once(self):
        # A probe blocked on the server's answer must not hold Ctrl-C
        # back: the call ends while the answer is still outstanding.
        entered, release, answered = (threading.Event(), threading.Event(),
                                      threading.Event())

        def answer(request, context):
            query = base.query_of(request)
            if 'volume_id' in query:
                entered.set()
                release.wait(30)  # only so that a failing run ends
                answered.set()
            return self.fake.listing(query)
        self.requests_mock.get(base.LIST_URL, json=answer)
        self.addCleanup(answered.wait, 30)
        self.addCleanup(release.set)
        self.addCleanup(signal.signal, signal.SIGINT,
                        signal.signal(signal.SIGINT,
                                      signal.default_int_handler))
        main = threading.main_thread().ident

        def interrupt():
            entered.wait(30)
            signal.pthread_kill(main, signal.SIGINT)
        threading.Thread(target=interrupt, daemon=True).start()
        self.assertRaises(KeyboardInterrupt, self.rows, max_age='1d')
        self.assertTrue(entered.is_set())
        self.assertFalse(answered.is_set())

    def test_restoring_counts_and_data_timestamp_decides(self):
        # vol-3's newest is restoring and recent; vol-1's newest was made
        # an hour ago from a 30-hour-old snapshot, its next one (3h) is
        # recent from the volume itself; vol-2's only recent one restores
        # to 40 hours ago: its probe skips it (offset 1).
        self.backups[0]['data_timestamp'] = at(30)
        self.backups[3]['data_timestamp'] = at(40)
        self.backups.insert(0, base.backup(9, volume_id='vol-3',
                                           created_at=at(0.5),
                                           status='restoring'))
        rows = self.rows(max_age='1d')
        self.assertEqual(
            [('vol-1', 'bk-0003', at(3), True),
             ('vol-2', 'bk-0004', at(40), False),
             ('vol-3', 'bk-0009', at(0.5), True),
             ('vol-4', 'bk-0008', at(60), False),
             ('vol-5', None, None, False)],
            [(r.volume_id, r.last_backup_id,
              r.last_backup and (r.last_backup.raw('data_timestamp')
                                 or r.last_backup.raw('created_at')),
              r.covered) for r in rows])
        self.assertEqual(NOW - datetime.timedelta(hours=40),
                         rows[1].data_timestamp)
        self.assertEqual('available', rows[1].volume_status)
        self.assertIn({'status': ['available'], 'volume_id': ['vol-2'],
                       'limit': ['1'], 'offset': ['1']},
                      self.queries('/backups/detail'))

    def test_beyond_the_bound_one_listing_instead(self):
        rows = self.rows(max_age='2h', probe_bound=1)
        self.assertEqual(['bk-0001', 'bk-0004', 'bk-0005', 'bk-0008', None],
                         [r.last_backup_id for r in rows])
        self.assertEqual([True, False, False, False, False],
                         [r.covered for r in rows])
        # Beyond the bound, no probe: the listing of the older ones,
        # read until every volume but vol-5 (which has none) is found.
        listed = self.queries('/backups/detail')
        self.assertFalse([q for q in listed if 'volume_id' in q])
        self.assertIn({'status': ['available'], 'marker': ['bk-0001'],
                       'limit': ['7']}, listed)

    def test_uncovered_and_age_units(self):
        rows = self.rows(max_age=datetime.timedelta(hours=36),
                         uncovered=True)
        self.assertEqual(['vol-4', 'vol-5'], [r.volume_id for r in rows])

    def test_admin_scope_on_every_request(self):
        self.rows(project=OTHER_PROJECT)
        for query in (self.queries('/backups/detail')
                      + self.queries('/volumes/detail')):
            self.assertEqual(['1'], query['all_tenants'])
            self.assertEqual([OTHER_PROJECT], query['project_id'])

    def test_all_projects_ignored_is_told(self):
        for backup in self.backups:
            del backup['os-backup-project-attr:project_id']
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            self.rows(all_projects=True)
        # Reported at the caller's line, not in the library (or heapq).
        self.assertEqual([__file__.rstrip('c')],
                         [w.filename for w in caught])
        [warning] = [w.message for w in caught]
        self.assertIsInstance(warning, exceptions.ScopeIgnoredWarning)
        self.assertIn('only the volumes and backups of your project',
                      str(warning))

    def test_project_not_kept_is_scope_ignored(self):
        # The owner shown is compared with the project asked for.
        e = self.assertRaises(exceptions.ScopeIgnored, self.rows,
                              project=base.PROJECT_ID)
        self.assertEqual(
            'the server did not keep project %s: it answered with the '
            'volumes and backups of project %s'
            % (base.PROJECT_ID, OTHER_PROJECT), str(e))

    def test_bad_age_sends_nothing(self):
        for age in ('1y', '-1d', 'soon', '2026-11-01', 5):
            e = self.assertRaises(exceptions.InvalidParameter, self.rows,
                                  max_age=age)
            self.assertEqual('max_age', e.param)
            self.assertTrue(str(e).startswith('invalid max_age '), e)
        self.assertEqual([], self.requests_mock.request_history)

    def test_volume_pages_concurrent_at_the_backups_microversion(self):
        self.rows()
        [first] = [r for r in self.requests_mock.request_history
                   if r.path.endswith('/volumes/detail')
                   and 'with_count' in base.query_of(r)]
        self.assertEqual('volume 3.64',
                         first.headers['OpenStack-API-Version'])

    def test_bad_volume_answer(self):
        self.requests_mock.get(VOLUMES_URL, json={'volumes': [{'id': 'v',
                                                               'size': 'x'}]})
        e = self.assertRaises(exceptions.BadResponse, self.rows)
        self.assertIn('volume v whose "size" is not of type integer', str(e))
