"""The summary engine: groups, values, order, one pass, bad keys."""

import datetime
import time

import fixtures

from vbsclient.api.reports import summary
from vbsclient import backup as backup_mod
from vbsclient import exceptions

from tests.unit import base

PROJECT = 'os-backup-project-attr:project_id'
UTC = datetime.timezone.utc


def bk(n, **fields):
    data = base.backup(n, volume_id='vol-%d' % (n % 2),
                       availability_zone='nova', **{PROJECT: 'p%d' % (n % 3)})
    data.update(fields)
    return backup_mod.Backup(data)


def as_text(rows):
    """The rows' dicts, oldest and newest as the server wrote them."""
    out = []
    for row in rows:
        data = row.to_dict()
        for key in ('oldest', 'newest'):
            found = getattr(row, key + '_backup')
            data[key] = found.raw('created_at') if found else None
        out.append(data)
    return out


class OnePass:
    """An iterable that may be iterated once, counting what it handed out."""

    def __init__(self, items):
        self.items = items
        self.iterated = False
        self.handed = 0

    def __iter__(self):
        assert not self.iterated, 'read twice'
        self.iterated = True
        for item in self.items:
            self.handed += 1
            yield item


class TestSummarize(base.TestCase):

    def test_default_groups_by_status_in_order(self):
        backups = [bk(1, status='error', size=3), bk(2, size=5),
                   bk(3, status='error', size=4), bk(4, size=None)]
        rows = summary.summarize(OnePass(backups))
        self.assertEqual(
            [{'status': 'available', 'count': 2, 'size': 5,
              'oldest': '2026-01-01T00:00:02.000000',
              'newest': '2026-01-01T00:00:04.000000'},
             {'status': 'error', 'count': 2, 'size': 7,
              'oldest': '2026-01-01T00:00:01.000000',
              'newest': '2026-01-01T00:00:03.000000'}],
            as_text(rows))

    def test_several_keys_sort_by_each_in_turn_missing_last(self):
        backups = [bk(n) for n in range(6)] + [bk(6, **{PROJECT: None})]
        rows = summary.summarize(backups, group_by=('project', 'volume'))
        self.assertEqual(
            [('p0', 'vol-0'), ('p0', 'vol-1'), ('p1', 'vol-0'),
             ('p1', 'vol-1'), ('p2', 'vol-0'), ('p2', 'vol-1'),
             (None, 'vol-0')],
            [(r.group['project'], r.group['volume']) for r in rows])
        self.assertEqual(7, sum(r.count for r in rows))

    def test_keys_in_the_order_given(self):
        rows = summary.summarize([bk(1), bk(2)], ['volume', 'status'])
        self.assertEqual(['volume', 'status'], list(rows[0].group))
        self.assertEqual(['vol-0', 'vol-1'],
                         [r.group['volume'] for r in rows])

    def test_incremental_decoded_like_the_listing(self):
        backups = [
            bk(1, is_incremental=False,
               description='{"DESC": "x", "INC": 1}'),
            bk(2, is_incremental=True, description='plain'),
            bk(3, is_incremental=True,
               description='{"DESC": "y", "INC": "0"}'),
            bk(4, is_incremental=None, description=None),
        ]
        rows = summary.summarize(backups, ['incremental'])
        self.assertEqual([(False, 1), (True, 2), (None, 1)],
                         [(r.group['incremental'], r.count) for r in rows])

    def in_local_time(self, tz):
        """Local time is ``tz`` (POSIX form) for the rest of the test."""
        self.addCleanup(time.tzset)  # after TZ is restored
        self.useFixture(fixtures.EnvironmentVariable('TZ', tz))
        time.tzset()

    def test_month_is_the_utc_year_month(self):
        # Where local time is UTC, a local-time month passes too.
        for tz in ('EAST-9', 'WEST+5'):
            self.in_local_time(tz)
            self.check_utc_month()

    def check_utc_month(self):
        backups = [
            bk(1, created_at='2026-01-31T23:30:00.000000'),
            # 2026-02-01T00:30 in UTC.
            bk(2, created_at='2026-01-31T23:30:00-01:00'),
            bk(3, created_at='2026-02-01T01:00:00Z'),
            bk(4, created_at=None),
        ]
        rows = summary.summarize(backups, ['month'])
        self.assertEqual([('2026-01', 1), ('2026-02', 2), (None, 1)],
                         [(r.group['month'], r.count) for r in rows])
        feb = as_text(rows)[1]
        # Compared as times, not as text.
        self.assertEqual('2026-01-31T23:30:00-01:00', feb['oldest'])
        self.assertEqual('2026-02-01T01:00:00Z', feb['newest'])
        self.assertEqual(datetime.datetime(2026, 2, 1, 0, 30, tzinfo=UTC),
                         rows[1].oldest)
        self.assertIsNone(rows[2].oldest)
        self.assertEqual(4, rows[2].size)

    def test_created_at_ties_go_by_id_in_any_order(self):
        same = '2026-01-01T00:00:05.000000'
        tied = [bk(n, created_at=same, status='error') for n in (3, 1, 2)]
        for order in (tied, tied[::-1], sorted(tied, key=lambda b: b.id)):
            rows = summary.summarize(order + [bk(4)], ['status'])
            error = rows[1]
            self.assertEqual(('bk-0001', 'bk-0003'),
                             (error.oldest_backup.id, error.newest_backup.id),
                             [b.id for b in order])
            self.assertEqual(error.oldest, error.newest)

    def test_availability_zone(self):
        backups = [bk(1), bk(2, availability_zone='az2')]
        rows = summary.summarize(backups, ['availability_zone'])
        self.assertEqual(['az2', 'nova'],
                         [r.group['availability_zone'] for r in rows])

    def test_only_the_api_spelling_of_a_key(self):
        # availability-zone is the CLI's spelling, translated there.
        e = self.assertRaises(exceptions.InvalidParameter,
                              summary.summarize, [bk(1)],
                              ['availability-zone'])
        self.assertIn("unknown key 'availability-zone'; use status, "
                      "project, volume, availability_zone,", str(e))

    def test_no_keys_one_total_row(self):
        rows = summary.summarize([bk(1), bk(2)], ())
        self.assertEqual([{'count': 2, 'size': 3,
                           'oldest': '2026-01-01T00:00:01.000000',
                           'newest': '2026-01-01T00:00:02.000000'}],
                         as_text(rows))

    def test_nothing_to_sum(self):
        self.assertEqual([], summary.summarize(iter([]), ['month']))

    def test_memory_is_per_group(self):
        # Many backups, two groups: only the groups are kept.
        def backups():
            for n in range(5000):
                yield bk(n, status=('available', 'error')[n % 2])
        rows = summary.summarize(backups())
        self.assertEqual([2500, 2500], [r.count for r in rows])


class TestGroupBy(base.TestCase):

    def test_unknown_key_names_the_parameter(self):
        e = self.assertRaises(exceptions.InvalidParameter,
                              summary.check_group_by, 'status,colour')
        self.assertEqual('group_by', e.param)
        self.assertEqual(
            "invalid group_by 'status,colour': unknown key 'colour'; use "
            "status, project, volume, availability_zone, incremental, month",
            str(e))
        self.assertEqual(
            "invalid --group-by 'status,colour': unknown key 'colour'; use "
            "status, project, volume, availability-zone, incremental, month",
            e.reword({'group_by': '--group-by',
                      'availability_zone': 'availability-zone'}))

    def test_braces_in_a_key_are_text(self):
        e = self.assertRaises(exceptions.InvalidParameter,
                              summary.check_group_by, ['{month}'])
        self.assertIn("unknown key '{month}'", str(e))

    def test_not_keys(self):
        for value in (5, [5], None):
            e = self.assertRaises(exceptions.InvalidParameter,
                                  summary.check_group_by, value)
            self.assertIn('give a sequence of key names', str(e))

    def test_refused_before_reading_anything(self):
        backups = OnePass([bk(1)])
        self.assertRaises(exceptions.InvalidParameter, summary.summarize,
                          backups, ['size'])
        self.assertFalse(backups.iterated)

    def test_key_twice(self):
        e = self.assertRaises(exceptions.InvalidParameter,
                              summary.check_group_by, ['month', 'month'])
        self.assertIn("the key 'month' is given twice", str(e))

    def test_messages_echo_the_key_as_given(self):
        e = self.assertRaises(exceptions.InvalidParameter,
                              summary.check_group_by,
                              'availability_zone,month,availability_zone')
        self.assertIn("the key 'availability_zone' is given twice", str(e))
        e = self.assertRaises(exceptions.InvalidParameter,
                              summary.check_group_by, 'status, Volume-Name')
        self.assertIn("unknown key 'Volume-Name';", str(e))

    def test_a_string_of_keys(self):
        self.assertEqual(('month',), summary.check_group_by('month'))
        self.assertEqual(('month', 'availability_zone'),
                         summary.check_group_by(' month, availability_zone'))
        self.assertEqual((), summary.check_group_by(''))

    def test_unreadable_time_is_a_bad_answer(self):
        e = self.assertRaises(exceptions.BadResponse, summary.summarize,
                              [bk(1, created_at='yesterday')])
        self.assertIn("'yesterday', which is not ISO 8601", str(e))
