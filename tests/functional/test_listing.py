"""Listing and counting against the real Keystone and Cinder.

Ground truth is the server's own answer, fetched directly by following its
next links, or the rows seeded into Cinder's database.
"""

import csv
import io
import json

from tests.functional import base
from tests.harness import seed

V = seed.VOLUME_IDS

# (CLI arguments, API query): exact and fuzzy filters, alone and combined.
FILTERS = [
    (['--name', 'daily-backup-8'], {'name': 'daily-backup-8'}),
    (['--status', 'error'], {'status': 'error'}),
    (['--volume', V[2]], {'volume_id': V[2]}),
    (['--name-like', 'daily'], {'name~': 'daily'}),
    (['--name-like', 'été'], {'name~': 'été'}),
    (['--status-like', 'error'], {'status~': 'error'}),
    (['--volume-like', V[1][:8]], {'volume_id~': V[1][:8]}),
    (['--status', 'available', '--name-like', 'web',
      '--volume-like', V[3][-6:]],
     {'status': 'available', 'name~': 'web', 'volume_id~': V[3][-6:]}),
    (['--volume', V[0], '--status-like', 'delet'],
     {'volume_id': V[0], 'status~': 'delet'}),
    (['--name', 'no such backup'], {'name': 'no such backup'}),
]


def ids_of(out):
    return out.split()


class TestDefaultPageSize(base.FunctionalTest):
    """2,345 backups: more than one page of Cinder's default 1000."""

    TOTAL = 2345

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.clear_backups()
        cls.rows = cls.cloud.seed_backups(cls.TOTAL)
        cls.admin_rows = cls.cloud.seed_backups(
            40, project_id=cls.cloud.admin.project_id)

    def test_every_page_in_server_order(self):
        since = self.cloud.cinder_log_offset()
        out = self.openstack_ok('vbs', 'backup', 'list', '-f', 'value',
                                '-c', 'ID')
        requests = self.list_requests(since)
        ids = ids_of(out)
        self.assertEqual(self.TOTAL, len(ids))
        self.assertEqual(len(set(ids)), len(ids))
        # Newest first, as seeded: the reverse of insertion order.
        self.assertEqual([r['id'] for r in reversed(self.rows)], ids)
        self.assertEqual(self.server_ids(), ids)
        self.assertEqual(3, len(requests))

    def test_count(self):
        out = self.openstack_ok('vbs', 'backup', 'count', '-f', 'value',
                                '-c', 'count')
        self.assertEqual('%d\n' % self.TOTAL, out)

    def test_filters_as_member(self):
        for args, query in FILTERS:
            out = self.openstack_ok('vbs', 'backup', 'list', '-f', 'value',
                                    '-c', 'ID', *args, in_process=True)
            self.assertEqual(self.server_ids(query=query), ids_of(out), args)
            count = self.openstack_ok('vbs', 'backup', 'count', '-f',
                                      'value', '-c', 'count', *args,
                                      in_process=True)
            self.assertEqual(len(ids_of(out)), int(count), args)

    def test_fuzzy_filters_filter(self):
        # Guard against a server that silently ignores "~" filters.
        out = self.openstack_ok('vbs', 'backup', 'list', '-f', 'value',
                                '-c', 'Name', '--name-like', 'DAILY')
        names = out.splitlines()
        self.assertTrue(names)
        self.assertLess(len(names), self.TOTAL)
        for name in names:
            self.assertIn('daily', name.lower())

    def test_filters_as_admin(self):
        for args, query in FILTERS:
            out = self.openstack_ok('vbs', 'backup', 'list', '-f', 'value',
                                    '-c', 'ID', *args, user='admin',
                                    in_process=True)
            self.assertEqual(self.server_ids('admin', query=query),
                             ids_of(out), args)
        all_admin = ids_of(self.openstack_ok(
            'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID',
            user='admin'))
        self.assertEqual([r['id'] for r in reversed(self.admin_rows)],
                         all_admin)


class TestSmallPages(base.SmallPagesTest):
    """63 backups through a cinder-api with osapi_max_limit = 5."""

    TOTAL = 63

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.clear_backups()
        cls.rows = cls.cloud.seed_backups(cls.TOTAL)

    def small(self, *args, **kwargs):
        rc, out, err = super().small(*args, **kwargs)
        self.assertEqual(0, rc, 'openstack %s failed: %s' % (args, err))
        return out

    def all_ids(self):
        return self.server_ids(base_url=self.small_url)

    SEQUENTIAL = {'OS_VBS_PAGE_CONCURRENCY': '1'}

    def test_every_page_and_request_count(self):
        since = self.cloud.cinder_log_offset(self.small_url)
        ids = ids_of(self.small('vbs', 'backup', 'list', '-f', 'value',
                                '-c', 'ID', env=self.SEQUENTIAL))
        self.assertEqual([r['id'] for r in reversed(self.rows)], ids)
        requests = self.cloud.cinder_requests(since, url=self.small_url)
        listing = [r for r in requests
                   if r['path'].endswith('/backups/detail')]
        # 13 pages; the last one is short, so Cinder writes no next link.
        self.assertEqual(13, len(listing))
        self.assertEqual(1, len(requests) - len(listing))  # discovery
        for request in listing[1:]:
            self.assertEqual(['marker'], [k for k, _ in request['params']])

    def test_concurrent_pages_and_request_count(self):
        since = self.cloud.cinder_log_offset(self.small_url)
        ids = ids_of(self.small('vbs', 'backup', 'list', '-f', 'value',
                                '-c', 'ID'))
        self.assertEqual([r['id'] for r in reversed(self.rows)], ids)
        listing = self.list_requests(since, url=self.small_url)
        # Pages of 5 overlapping by one: 1 + ceil((63 - 5) / 4) requests,
        # the last one short, within ceil(N / (P - 1)) + 3.
        self.assertEqual(1 + 15, len(listing))
        self.assertLessEqual(len(listing), -(-self.TOTAL // 4) + 3)
        self.assertIn(('with_count', 'true'), listing[0]['params'])
        # The others by marker (the last row of the furthest page answered
        # when each was asked for) and an offset from it: never more than
        # 4 pages of rows to skip, wherever the page is.
        later = [dict(r['params']) for r in listing[1:]]
        self.assertTrue(all('marker' in p for p in later))
        self.assertLessEqual(max(int(p.get('offset', 0)) for p in later),
                             4 * (self.PAGE - 1))

    def test_limit_offset_marker_across_page_boundaries(self):
        every = self.all_ids()
        self.assertEqual(self.TOTAL, len(every))
        cases = [
            (['--limit', '5'], every[:5]),
            (['--limit', '12'], every[:12]),
            (['--offset', '4'], every[4:]),
            (['--offset', '4', '--limit', '9'], every[4:13]),
            (['--marker', every[6]], every[7:]),
            (['--marker', every[6], '--limit', '6'], every[7:13]),
            (['--marker', every[9], '--offset', '3', '--limit', '17'],
             every[13:30]),
            (['--offset', '70'], []),
            (['--limit', '0'], []),
        ]
        for args, expected in cases:
            out = self.small('vbs', 'backup', 'list', '-f', 'value', '-c',
                             'ID', *args)
            self.assertEqual(expected, ids_of(out), args)

    def test_no_request_after_limit(self):
        since = self.cloud.cinder_log_offset(self.small_url)
        self.small('vbs', 'backup', 'list', '--limit', '10', '-f', 'value',
                   env=self.SEQUENTIAL)
        listing = self.list_requests(since, url=self.small_url)
        self.assertEqual([[('limit', '10')], [('limit', '5')]],
                         [[p for p in r['params'] if p[0] == 'limit']
                          for r in listing])
        self.assertEqual(2, len(listing))

    def test_no_request_after_limit_concurrent(self):
        expected = self.all_ids()[:10]
        since = self.cloud.cinder_log_offset(self.small_url)
        out = self.small('vbs', 'backup', 'list', '--limit', '10', '-f',
                         'value', '-c', 'ID')
        self.assertEqual(expected, ids_of(out))
        listing = self.list_requests(since, url=self.small_url)
        # 0-4; 5-8 after row 4; 8-9 skipping 3 rows after it: the last
        # asks for two rows, not five.
        self.assertEqual([('0', '10'), ('0', '4'), ('3', '2')], sorted(
            (dict(r['params']).get('offset', '0'), dict(r['params'])['limit'])
            for r in listing))

    def test_filters_across_pages(self):
        for args, query in FILTERS:
            out = self.small('vbs', 'backup', 'list', '-f', 'value', '-c',
                             'ID', *args)
            self.assertEqual(self.server_ids(query=query,
                                             base_url=self.small_url),
                             ids_of(out), args)

    def test_long_json_matches_the_server_fields(self):
        rows = json.loads(self.small('vbs', 'backup', 'list', '--long',
                                     '-f', 'json'))
        status, _h, body = self.cloud.api_get(
            self.cloud.backups_path() + '?limit=100', microversion='3.64')
        server = {b['id']: b for b in body['backups']}
        self.assertEqual(self.TOTAL, len(rows))
        fields = {'ID': 'id', 'Name': 'name', 'Status': 'status',
                  'Size': 'size', 'Incremental': 'is_incremental',
                  'Created At': 'created_at', 'Volume ID': 'volume_id',
                  'Availability Zone': 'availability_zone',
                  'Container': 'container', 'Object Count': 'object_count',
                  'Snapshot ID': 'snapshot_id', 'Fail Reason': 'fail_reason',
                  'Has Dependent Backups': 'has_dependent_backups',
                  'Data Timestamp': 'data_timestamp',
                  'Updated At': 'updated_at'}
        for row in rows:
            backup = server[row['ID']]
            for header, field in fields.items():
                self.assertEqual(backup.get(field), row[header],
                                 (row['ID'], header))
            self.assertIsInstance(row['Size'], int)
            self.assertIsInstance(row['Incremental'], bool)
            # A member is not sent the admin-only fields: they are null.
            self.assertIsNone(row['Project ID'])
            self.assertIsNone(row['User ID'])

    def test_every_output_format(self):
        every = self.all_ids()
        table = self.small('vbs', 'backup', 'list', '--limit', '7')
        self.assertEqual(7 + 4, len(table.splitlines()))
        self.assertIn('| ID ', table.splitlines()[1])
        data = json.loads(self.small('vbs', 'backup', 'list', '--limit', '7',
                                     '-f', 'json'))
        self.assertEqual(every[:7], [r['ID'] for r in data])
        yaml_out = self.small('vbs', 'backup', 'list', '--limit', '7', '-f',
                              'yaml', '-c', 'ID', '-c', 'Size')
        self.assertEqual(7, yaml_out.count('- ID: '))
        rows = list(csv.reader(io.StringIO(self.small(
            'vbs', 'backup', 'list', '--limit', '7', '-f', 'csv'))))
        self.assertEqual(['ID', 'Name', 'Description', 'Status', 'Size',
                          'Incremental', 'Created At'], rows[0])
        self.assertEqual(every[:7], [r[0] for r in rows[1:]])
        value = self.small('vbs', 'backup', 'list', '--limit', '7', '-f',
                           'value', '-c', 'ID', '-c', 'Status')
        self.assertEqual(every[:7], [line.split()[0]
                                     for line in value.splitlines()])
        by_size = json.loads(self.small(
            'vbs', 'backup', 'list', '-f', 'json', '-c', 'ID', '-c', 'Size',
            '--sort-column', 'Size', '--sort-column', 'ID'))
        keys = [(r['Size'], r['ID']) for r in by_size]
        self.assertEqual(sorted(keys), keys)
        count = json.loads(self.small('vbs', 'backup', 'count', '-f',
                                      'json'))
        self.assertEqual({'count': self.TOTAL}, count)
