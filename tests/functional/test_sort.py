"""Server-side sort (--sort) and --max-items across page boundaries.

Through a cinder-api with osapi_max_limit = 5, compared with the server's
own sorted paging.
"""

import datetime

from tests.functional import base
from tests.harness import seed

from vbsclient.api.query import params as query


def varied(i, row):
    """Fields that differ in an order other than creation's."""
    return {
        'availability_zone': ('az-b', 'az-a', 'az-c')[i % 3],
        'container': 'c-%02d' % ((i * 7) % 23),
        'data_timestamp': (seed.FIRST_CREATED_AT
                           + datetime.timedelta(hours=(i * 5) % 23)),
        'updated_at': row['created_at'] + datetime.timedelta(
            minutes=(i * 11) % 23),
    }


class TestServerSort(base.SmallPagesTest):

    TOTAL = 23

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.clear_backups()
        overrides = {key: (lambda k: lambda i, row: varied(i, row)[k])(key)
                     for key in varied(0, {'created_at':
                                           seed.FIRST_CREATED_AT})}
        cls.rows = cls.cloud.seed_backups(cls.TOTAL, **overrides)

    def small_ids(self, *args, version=None):
        pre = ['--os-vbs-backup-api-version', version] if version else []
        rc, out, err = self.small(*pre, 'vbs', 'backup', 'list', '-f',
                                  'value', '-c', 'ID', *args)
        self.assertEqual(0, rc, (args, err))
        return out.split()

    def sorted_ids(self, spec, **extra):
        params = {'sort': spec}
        params.update(extra)
        return self.server_ids(query=params, base_url=self.small_url)

    def assertSortedLikeTheServer(self, spec):
        expected = self.sorted_ids(spec)
        self.assertEqual(self.TOTAL, len(expected), spec)
        since = self.cloud.cinder_log_offset(self.small_url)
        self.assertEqual(expected, self.small_ids('--sort', spec), spec)
        listing = self.list_requests(since, url=self.small_url)
        # 23 backups in pages of 5, overlapping by one when fetched at
        # once: 1 + ceil(18 / 4) requests, each with the user's sort as
        # given (no direction added).
        self.assertEqual(6, len(listing), spec)
        for request in listing:
            self.assertEqual([spec], [v for k, v in request['params']
                                      if k == 'sort'], spec)

    def test_every_key_both_directions_across_pages(self):
        for key in query.SORT_KEYS:
            for spec in (key, key + ':asc', key + ':desc'):
                self.assertSortedLikeTheServer(spec)

    def test_sort_changes_the_order(self):
        # Guard against a server (or a client) that ignores the sort.
        default = self.small_ids()
        self.assertEqual([r['id'] for r in reversed(self.rows)], default)
        ids = sorted(r['id'] for r in self.rows)
        self.assertEqual(ids, self.small_ids('--sort', 'id:asc'))
        self.assertEqual(ids[::-1], self.small_ids('--sort', 'id:desc'))
        self.assertEqual(ids[::-1], self.small_ids('--sort', 'id'))
        by_container = sorted(self.rows, key=lambda r: r['container'])
        self.assertEqual([r['id'] for r in by_container],
                         self.small_ids('--sort', 'container:asc'))

    def test_several_keys(self):
        for spec in ('status:asc,size:desc', 'availability_zone,id:asc',
                     'size,name:asc,created_at'):
            self.assertSortedLikeTheServer(spec)

    def test_sort_with_limit_and_marker(self):
        for spec in ('size:asc', 'name:desc', 'data_timestamp'):
            every = self.sorted_ids(spec)
            for n in ('4', '5', '7', '12'):
                self.assertEqual(every[:int(n)],
                                 self.small_ids('--sort', spec, '--limit', n),
                                 (spec, n))
                self.assertEqual(
                    every[:int(n)],
                    self.small_ids('--sort', spec, '--max-items', n),
                    (spec, n))
            self.assertEqual(
                every[7:13],
                self.small_ids('--sort', spec, '--marker', every[6],
                               '--limit', '6'), spec)

    def test_sort_name_gated_at_3_37(self):
        since_main = self.cloud.cinder_log_offset()
        since_small = self.cloud.cinder_log_offset(self.small_url)
        rc, out, err = self.small('--os-vbs-backup-api-version', '3.36',
                                  'vbs', 'backup', 'list', '--sort',
                                  'size,name:asc')
        self.assertEqual(1, rc, err)
        self.assertEqual('', out)
        line = self.assertOneLine(err)
        self.assertIn('--sort name', line)
        self.assertIn('3.37', line)
        self.assertEqual([], self.cloud.cinder_requests(since_main))
        self.assertEqual([], self.cloud.cinder_requests(
            since_small, url=self.small_url))
        expected = self.server_ids(query={'sort': 'name:asc'},
                                   microversion='3.37',
                                   base_url=self.small_url)
        self.assertEqual(expected, self.small_ids('--sort', 'name:asc',
                                                  version='3.37'))

    def test_bad_sort_is_a_usage_error(self):
        for spec, text in (('nonsense', 'unknown sort key'),
                           ('size:up', 'unknown sort direction'),
                           ('size,size:asc', 'sort key given twice'),
                           ('display_name', 'unknown sort key')):
            since = self.cloud.cinder_log_offset(self.small_url)
            rc, out, err = self.small('vbs', 'backup', 'list', '--sort',
                                      spec)
            self.assertEqual(2, rc, err)
            self.assertEqual('', out)
            self.assertIn(text, err, spec)
            if text == 'unknown sort key':
                for key in query.SORT_KEYS:
                    self.assertIn(key, err)
            self.assertEqual([], self.cloud.cinder_requests(
                since, url=self.small_url))

    def test_max_items_is_limit(self):
        every = self.server_ids(base_url=self.small_url)
        for n in ('3', '5', '11'):
            by_limit = self.small_ids('--limit', n)
            self.assertEqual(every[:int(n)], by_limit)
            self.assertEqual(by_limit, self.small_ids('--max-items', n))
            self.assertEqual(by_limit, self.small_ids('--max-items', n,
                                                      '--limit', n))
        since = self.cloud.cinder_log_offset(self.small_url)
        for args in (['--limit', '3', '--max-items', '4'],
                     ['--max-items', '4', '--limit', '3']):
            rc, out, err = self.small('vbs', 'backup', 'list', *args)
            self.assertEqual(2, rc, err)
            self.assertEqual('', out)
            self.assertIn('give one of them', err)
        self.assertEqual([], self.cloud.cinder_requests(
            since, url=self.small_url))
