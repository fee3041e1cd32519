"""Age windows (--created-before/-after, --data-timestamp-before/-after)
on the real Cinder: exact against the server's own listing filtered on
the client, ties and null fields, every order and microversion, and the
cost read from Cinder's request log.
"""

import datetime

from testtools import content

from tests.functional import base
from tests.harness import seed

API = seed.API_TIME_FORMAT
TIE_BASE = datetime.datetime(2025, 6, 1, 0, 0, 0)


def minute(k):
    return TIE_BASE + datetime.timedelta(minutes=k)


def text(moment):
    """A bound as the user types it (no zone: UTC)."""
    return moment.isoformat()


def tied(i, row):
    """Groups of 6 backups created in the same microsecond.

    Data timestamps in another order, every 11th one null.
    """
    return {
        'created_at': minute(i // 6),
        'updated_at': minute(i // 6),
        'data_timestamp': None if i % 11 == 3 else minute((i * 7) % 25),
    }


def in_window(row, field, after=None, before=None):
    value = row.get(field)
    if value is None:
        return False
    value = datetime.datetime.strptime(value, API)
    return ((after is None or value >= after)
            and (before is None or value < before))


class TestExactness(base.SmallPagesTest):
    """Through pages of 5.

    Windows cross page boundaries, concurrent pages overlap, and ties
    straddle both.
    """

    TOTAL = 120

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.clear_backups()
        overrides = {key: (lambda k: lambda i, row: tied(i, row)[k])(key)
                     for key in ('created_at', 'updated_at',
                                 'data_timestamp')}
        rows = cls.cloud.seed_backups(cls.TOTAL, **overrides)
        cls.rows = {r['id']: r for r in rows}

    def ids(self, *args, version=None, compare=True):
        """IDs listed; ``compare``: again one page at a time (base)."""
        pre = ['--os-vbs-backup-api-version', version] if version else []
        rc, out, err = self.small(*pre, 'vbs', 'backup', 'list', '-f',
                                  'value', '-c', 'ID', *args,
                                  compare_sequential=compare)
        self.assertEqual(0, rc, (args, err))
        return out.split()

    def count(self, *args, version=None):
        pre = ['--os-vbs-backup-api-version', version] if version else []
        rc, out, err = self.small(*pre, 'vbs', 'backup', 'count', '-f',
                                  'value', '-c', 'count', *args)
        self.assertEqual(0, rc, (args, err))
        return int(out)

    def expected(self, field, after=None, before=None, **query):
        """The server's own listing (one page of 1000), filtered here."""
        return [i for i in self.server_ids(query=query or None)
                if in_window(self.rows[i], field, after, before)]

    def args(self, field, after=None, before=None):
        option = '--created' if field == 'created_at' else '--data-timestamp'
        out = []
        if after:
            out += [option + '-after', text(after)]
        if before:
            out += [option + '-before', text(before)]
        return out

    WINDOWS = [
        ('created_at', minute(3), minute(9)),     # bounds on tie groups
        ('created_at', None, minute(1)),          # the oldest group
        ('created_at', minute(19), None),         # the newest group
        ('created_at', minute(5), minute(5) + datetime.timedelta(
            microseconds=1)),                     # one group exactly
        ('data_timestamp', minute(4), minute(12)),
        ('data_timestamp', None, minute(30)),     # every non-null one
    ]

    SORTS = ('created_at:asc', 'created_at', 'data_timestamp:asc',
             'data_timestamp:desc', 'status:asc')

    def test_every_order_is_the_server_listing_filtered(self):
        # Each window in the default order and in two others, so that every
        # order meets windows on both fields (all pairs would take minutes).
        for i, (field, after, before) in enumerate(self.WINDOWS):
            for sort in (None, self.SORTS[i % 5], self.SORTS[(i + 3) % 5]):
                query = {'sort': sort} if sort else {}
                extra = ['--sort', sort] if sort else []
                want = self.expected(field, after, before, **query)
                # One page at a time too, in the default order only (time).
                got = self.ids(*self.args(field, after, before), *extra,
                               compare=sort is None)
                self.assertEqual(want, got, (field, after, before, sort))

    def test_limit_offset_marker_apply_to_the_window(self):
        field, after, before = 'created_at', minute(3), minute(15)
        window = self.expected(field, after, before)
        self.assertGreater(len(window), 40)
        marker = window[10]
        for extra, want in (
                (['--limit', '7'], window[:7]),
                (['--offset', '13'], window[13:]),
                (['--offset', '13', '--limit', '9'], window[13:22]),
                (['--marker', marker], window[11:]),
                (['--marker', marker, '--offset', '4', '--limit', '6'],
                 window[15:21]),
                (['--offset', str(len(window))], [])):
            self.assertEqual(want, self.ids(*self.args(field, after, before),
                                            *extra), extra)
        # A marker outside the window: the window's rows after it (newest
        # first: all of them after a newer backup, none after an older).
        newer = self.expected(field, after=before)[0]
        older = self.expected(field, before=after)[0]
        self.assertEqual(window, self.ids(*self.args(field, after, before),
                                          '--marker', newer))
        self.assertEqual([], self.ids(*self.args(field, after, before),
                                      '--marker', older))

    def test_counts_split_and_ignore_nulls(self):
        for field in ('created_at', 'data_timestamp'):
            for at in (minute(0), minute(7), minute(30)):
                before = self.count(*self.args(field, before=at))
                after = self.count(*self.args(field, after=at))
                self.assertEqual(len(self.expected(field, before=at)),
                                 before)
                has = sum(1 for r in self.rows.values() if r[field])
                self.assertEqual(has, before + after, (field, at))
        window = self.args('created_at', minute(2), minute(9))
        self.assertEqual(
            len(self.expected('created_at', minute(2), minute(9),
                              status='error')),
            self.count(*window, '--status', 'error'))

    def test_both_fields_at_once(self):
        want = [i for i in self.expected('created_at', minute(2), minute(16))
                if in_window(self.rows[i], 'data_timestamp', minute(5),
                             minute(20))]
        args = (self.args('created_at', minute(2), minute(16))
                + self.args('data_timestamp', minute(5), minute(20)))
        self.assertEqual(want, self.ids(*args))
        self.assertEqual(len(want), self.count(*args))

    def test_microversion_30_and_filters(self):
        window = ('created_at', minute(4), minute(12))
        want = self.expected(*window, status='available')
        got = self.ids(*self.args(*window), '--status', 'available',
                       version='3.0')
        self.assertEqual(want, got)
        self.assertEqual(len(want), self.count(*self.args(*window),
                                               '--status', 'available',
                                               version='3.0'))

    def test_admin_across_projects(self):
        others = self.cloud.seed_backups(
            30, project_id=self.cloud.admin.project_id,
            created_at=lambda i, row: minute(i // 3),
            updated_at=lambda i, row: minute(i // 3),
            data_timestamp=lambda i, row: minute(i // 3))
        self.addCleanup(self.cloud.clear_backups,
                        self.cloud.admin.project_id)
        rows = dict(self.rows, **{r['id']: r for r in others})
        server = self.server_ids(user='admin', query={'all_tenants': 1})
        want = [i for i in server
                if in_window(rows[i], 'created_at', minute(2), minute(6))]
        self.assertTrue(set(want) & {r['id'] for r in others})
        out = self.openstack_ok(
            'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID',
            '--all-projects', *self.args('created_at', minute(2), minute(6)),
            user='admin', in_process=True)
        self.assertEqual(want, out.split())

    def test_bad_times_send_nothing(self):
        for args, option in (
                (['--created-before', '5y'], '--created-before'),
                # With "=": argparse takes a leading "-" for an option.
                (['--created-after=-3d'], '--created-after'),
                (['--data-timestamp-before', 'yesterday'],
                 '--data-timestamp-before'),
                (['--created-after', '2026-01-02', '--created-before',
                  '2026-01-01'], '--created-before')):
            for command in ('list', 'count'):
                since = self.cloud.cinder_log_offset(self.small_url)
                rc, out, err = self.small('vbs', 'backup', command, *args)
                self.assertNotEqual(0, rc)
                line = self.assertOneLine(err)
                self.assertIn(option, line)
                self.assertEqual([], self.list_requests(
                    since, url=self.small_url))


class TestCost(base.FunctionalTest):
    """10,000 backups in pages of 1000, costs from Cinder's request log.

    A 10% window and a count cost a fraction of a full listing's bytes.
    """

    TOTAL = 10000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.clear_backups()
        member = cls.cloud.member
        seed.seed_many(cls.cloud.cinder_db_path, cls.TOTAL,
                       [member.project_id], member.user_id)
        cls.full = None

    def run_logged(self, *args):
        # In-process (no start-up to wait for); the comparison run one page
        # at a time goes to another cinder-api, so this log stays ours.
        since = self.cloud.cinder_log_offset()
        out = self.openstack_ok('vbs', 'backup', *args, in_process=True,
                                compare_sequential='--created-after' in args
                                or '--created-before' in args)
        requests = self.cloud.cinder_requests(since)
        return out, requests

    def full_listing(self):
        """(rows, bytes, server seconds) of a full listing.

        Rows: every backup's (id, created_at), newest first, from the
        server; bytes and seconds: the plugin's own full listing.
        """
        if TestCost.full is None:
            rows = []
            path = self.cloud.backups_path()
            token = self.cloud.token()
            while path:
                status, _headers, body = self.cloud.api_get(
                    path, token=token, microversion='3.64')
                self.assertEqual(200, status, body)
                rows.extend((b['id'], b['created_at'])
                            for b in body['backups'])
                path = next((link['href'] for link in
                             body.get('backups_links', [])
                             if link['rel'] == 'next'), None)
            self.assertEqual(self.TOTAL, len(rows))
            out, requests = self.run_logged('list', '-f', 'value', '-c',
                                            'ID')
            self.assertEqual([i for i, _t in rows], out.split())
            TestCost.full = (rows, sum(r['bytes'] for r in requests),
                             sum(r['seconds'] for r in requests))
        return TestCost.full

    def test_ten_percent_windows_cost_under_030(self):
        rows, full_bytes, full_seconds = self.full_listing()
        times = [datetime.datetime.strptime(t, API) for _i, t in rows]
        tenth = self.TOTAL // 10
        cases = [
            ('newest', ['--created-after', text(times[tenth - 1])],
             rows[:tenth]),
            ('oldest', ['--created-before', text(times[-tenth])],
             rows[-tenth + 1:]),
            ('middle', ['--created-after', text(times[5000]),
                        '--created-before', text(times[4000])],
             rows[4001:5001]),
        ]
        for name, args, want in cases:
            out, requests = self.run_logged('list', '-f', 'value', '-c',
                                            'ID', *args)
            self.assertEqual([i for i, _t in want], out.split(), name)
            spent = sum(r['bytes'] for r in requests)
            seconds = sum(r['seconds'] for r in requests)
            self.addDetail('%s' % name, _text(
                '%d bytes = %.3fx; %.2f server s vs %.2f; %d requests'
                % (spent, spent / full_bytes, seconds, full_seconds,
                   len(requests))))
            self.assertLessEqual(spent, 0.3 * full_bytes, name)
            self.assertLess(seconds, full_seconds, name)

    def test_count_costs_under_005(self):
        rows, full_bytes, full_seconds = self.full_listing()
        median = rows[self.TOTAL // 2][1]
        out, requests = self.run_logged(
            'count', '-f', 'value', '-c', 'count', '--created-before',
            median)
        self.assertEqual(self.TOTAL // 2 - 1, int(out))
        spent = sum(r['bytes'] for r in requests)
        self.addDetail('count', _text('%d bytes = %.4fx, %d requests'
                                      % (spent, spent / full_bytes,
                                         len(requests))))
        self.assertLessEqual(spent, 0.05 * full_bytes)
        lists = [r for r in requests if r['path'].endswith('/detail')]
        self.assertTrue(all(dict(r['params']).get('limit') == '1'
                            for r in lists))


def _text(value):
    return content.text_content(value)
