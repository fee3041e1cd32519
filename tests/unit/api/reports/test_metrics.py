"""client.backups.metrics against a Cinder-like fake: the values, the
requests they cost (one row each), and nothing sent on bad input."""

import datetime
import warnings

from vbsclient.api.query import params as query
from vbsclient.api.reports import exposition
from vbsclient import exceptions

from tests.unit.api.reports import test_reports
from tests.unit import base

NOW = test_reports.NOW


def when(hours_ago):
    return NOW - datetime.timedelta(hours=hours_ago)


class TestMetrics(test_reports.ReportsTest):

    def metrics(self, api_version=None, **kwargs):
        api = self.api(page_concurrency=2, api_version=api_version)
        return api.metrics(now=NOW, **kwargs)

    def test_values(self):
        got = self.metrics(per_volume=True, sizes=True)
        self.assertEqual(
            dict({s: 0 for s in query.STATUSES}, available=7, error=1),
            got.backups)
        self.assertEqual(list(query.STATUSES), list(got.backups))
        self.assertEqual((when(1), when(60)), (got.newest, got.oldest))
        # vol-1 and vol-2 have a backup of the last day; vol-3 and vol-4
        # older ones, vol-5 none: coverage's own judgement.
        self.assertEqual((5, 3), (got.volumes, got.uncovered))
        self.assertEqual(
            [('vol-1', 'v1', when(1)), ('vol-2', 'v2', when(10)),
             ('vol-3', 'v3', when(30)), ('vol-4', 'v4', when(60)),
             ('vol-5', 'v5', None)],
            [(v.volume_id, v.volume_name, v.last_backup_at)
             for v in got.per_volume])
        self.assertEqual(
            dict({s: 0 for s in query.STATUSES}, available=34, error=2),
            got.sizes)

    def test_one_row_requests_without_sizes(self):
        got = self.metrics(max_age='2d')
        self.assertIsNone(got.per_volume)
        self.assertIsNone(got.sizes)
        self.assertEqual(2, got.uncovered)
        listed = self.queries('/backups/detail')
        # Besides coverage's reading (its own tests), single rows only.
        for q in listed:
            if 'sort' in q or q['status'][0] not in ('available',
                                                     'restoring'):
                self.assertEqual(['1'], q['limit'], q)
        # One count request per status (coverage's window searches ask
        # for available and restoring too).
        counts = [q['status'][0] for q in listed
                  if sorted(q) == ['limit', 'status', 'with_count']]
        self.assertEqual(set(query.STATUSES), set(counts))
        for status in set(query.STATUSES) - {'available', 'restoring'}:
            self.assertEqual(1, counts.count(status), status)
        self.assertIn({'status': ['available'], 'limit': ['1'],
                       'sort': ['created_at:desc'], 'with_count': ['true']},
                      listed)
        self.assertIn({'status': ['available'], 'limit': ['1'],
                       'sort': ['created_at:asc'], 'with_count': ['true']},
                      listed)

    def test_below_345_the_ordered_search_counts(self):
        got = self.metrics(api_version='3.40')
        self.assertEqual(
            dict({s: 0 for s in query.STATUSES}, available=7, error=1),
            got.backups)
        listed = self.queries('/backups/detail')
        self.assertFalse([q for q in listed if 'with_count' in q])
        # Counted by position: single rows (coverage reads its window).
        others = [q for q in listed if q['status'][0] in ('error',
                                                          'creating')]
        self.assertLess(2, len(others))
        for q in others:
            self.assertEqual(['1'], q['limit'], q)

    def test_filters_and_windows_select_the_backups(self):
        got = self.metrics(status='available', volume_like='l-2')
        self.assertEqual(dict({s: 0 for s in query.STATUSES}, available=2),
                         got.backups)
        self.assertEqual((when(10), when(40)), (got.newest, got.oldest))
        # The volumes follow the scope only.
        self.assertEqual(5, got.volumes)
        got = self.metrics(created_after='1d', per_volume=True)
        self.assertEqual(
            dict({s: 0 for s in query.STATUSES}, available=3, error=1),
            got.backups)
        self.assertEqual((when(1), when(10)), (got.newest, got.oldest))
        got = self.metrics(status='error')
        self.assertEqual((None, None), (got.newest, got.oldest))

    def test_a_volume_name_is_looked_up_once(self):
        volume_id = '2d36e33c-aac0-53eb-ba9f-c7179f439de9'
        self.volumes.append({'id': volume_id, 'name': 'db-data', 'size': 1,
                             'status': 'available'})
        for backup in self.backups[:3]:
            backup['volume_id'] = volume_id
        lookups = self.requests_mock.get(
            base.ENDPOINT + '/volumes', json={'volumes': [
                {'id': volume_id, 'name': 'db-data'}]})
        got = self.metrics(volume='db-data')
        self.assertEqual(dict({s: 0 for s in query.STATUSES}, available=2,
                              error=1), got.backups)
        self.assertEqual((when(1), when(3)), (got.newest, got.oldest))
        self.assertEqual(1, lookups.call_count)
        for q in self.queries('/backups/detail'):
            if 'sort' in q or q['status'][0] == 'error':
                self.assertEqual([volume_id], q['volume_id'], q)

    def test_a_status_filter_asks_for_its_status_only(self):
        self.metrics(status='error')
        listed = self.queries('/backups/detail')
        # error, and coverage's available and restoring; no newest/oldest.
        self.assertEqual({'error', 'available', 'restoring'},
                         {q['status'][0] for q in listed})
        self.assertEqual(1, len([q for q in listed
                                 if q['status'] == ['error']]))
        self.assertFalse([q for q in listed if 'sort' in q])

    def test_bad_values_send_nothing(self):
        for kwargs, param in (({'max_age': '1y'}, 'max_age'),
                              ({'status': 'lost'}, 'status'),
                              ({'created_after': 'soon'}, 'created_after')):
            e = self.assertRaises(exceptions.InvalidParameter, self.metrics,
                                  **kwargs)
            self.assertEqual(param, e.param)
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              self.metrics, api_version='3.30',
                              name_like='x')
        self.assertEqual([], self.requests_mock.request_history)

    def test_scope_ignored_is_told_once(self):
        for backup in self.backups:
            del backup['os-backup-project-attr:project_id']
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            self.metrics(all_projects=True)
        [warning] = [w.message for w in caught]
        self.assertIsInstance(warning, exceptions.ScopeIgnoredWarning)
        self.assertIn('volumes and backups', str(warning))

    def test_admin_scope_on_every_request(self):
        self.metrics(project=test_reports.OTHER_PROJECT, sizes=True)
        for q in (self.queries('/backups/detail')
                  + self.queries('/volumes/detail')):
            self.assertEqual(['1'], q['all_tenants'])
            self.assertEqual([test_reports.OTHER_PROJECT], q['project_id'])

    def test_renders(self):
        text = exposition.render(self.metrics())
        self.assertIn('vbs_backups{status="available"} 7\n', text)
        self.assertIn('vbs_volumes_uncovered 3\n', text)


class TestEmpty(base.TestCase):

    def test_no_backups_no_volumes(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([], count=0))
        self.requests_mock.get(test_reports.VOLUMES_URL, json={'volumes': []})
        got = self.client().backups.metrics()
        self.assertEqual({s: 0 for s in query.STATUSES}, got.backups)
        self.assertEqual((None, None, 0, 0),
                         (got.newest, got.oldest, got.volumes, got.uncovered))
