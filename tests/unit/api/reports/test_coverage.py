"""The coverage engine: what it reads, the last backup, Covered."""

import datetime

from vbsclient.api.reports import coverage
from vbsclient import backup as backup_mod
from vbsclient import exceptions

from tests.unit import base

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CUTOFF = NOW - datetime.timedelta(days=1)


def at(hours_ago):
    when = NOW - datetime.timedelta(hours=hours_ago)
    return when.replace(tzinfo=None).isoformat(timespec='microseconds')


def vol(n, **fields):
    data = {'id': 'vol-%d' % n, 'name': 'volume-%d' % n, 'size': n,
            'status': 'available'}
    data.update(fields)
    return data


def bk(n, volume, hours_ago, data_hours_ago=None, **fields):
    """A backup created ``hours_ago``, restoring to ``data_hours_ago``.

    data_timestamp is left out unless given.
    """
    if data_hours_ago is not None:
        fields['data_timestamp'] = at(data_hours_ago)
    return backup_mod.Backup(base.backup(n, volume_id='vol-%d' % volume,
                                         created_at=at(hours_ago), **fields))


class Reader:
    """Newest-first available backups, counting the rows read."""

    def __init__(self, backups):
        self.backups = sorted(backups, key=lambda b: b.created_at,
                              reverse=True)
        self.read = 0

    def __iter__(self):
        for backup in self.backups:
            self.read += 1
            yield backup

    def probe(self, volume_ids, seen=None):
        """As the server answers one-row requests per volume and status.

        The newest counting backup, after the ``seen`` ones (offset).
        """
        self.probed = list(volume_ids)
        seen = seen or {}
        found = {}
        for volume_id in volume_ids:
            hits = []
            for status in coverage.COVERING_STATUSES:
                rows = [b for b in self.backups if b.volume_id == volume_id
                        and b.status == status]
                rows = rows[seen.get((volume_id, status), 0):]
                hits.extend(rows[:1])
            found[volume_id] = coverage.latest(hits)
        return found


def assess(volumes, reader, **kwargs):
    """coverage.assess as the client calls it, ``reader`` split at CUTOFF.

    The readers of the window and of what is older are left on
    ``reader`` (``.window``, ``.older``): how far each was read.
    """
    reader.window = Reader([b for b in reader.backups
                            if b.created_at and b.created_at >= CUTOFF])
    reader.older = Reader([b for b in reader.backups
                           if not b.created_at or b.created_at < CUTOFF])
    return coverage.assess(volumes, reader.window, reader.probe, CUTOFF,
                           older=reader.older, **kwargs)


class TestAssess(base.TestCase):

    def setUp(self):
        super().setUp()
        self.reader = Reader([
            bk(1, 1, 2), bk(2, 1, 5), bk(3, 2, 20), bk(4, 3, 30),
            bk(5, 2, 40), bk(6, 4, 50), bk(7, 3, 60), bk(8, 4, 70),
        ])
        self.volumes = [vol(n) for n in range(1, 6)]

    def assess(self, **kwargs):
        return assess(self.volumes, self.reader, **kwargs)

    def test_window_then_one_probe_per_uncovered_volume(self):
        rows = self.assess()
        self.assertEqual(
            [('vol-1', 'bk-0001', at(2), True),
             ('vol-2', 'bk-0003', at(20), True),
             ('vol-3', 'bk-0004', at(30), False),
             ('vol-4', 'bk-0006', at(50), False),
             ('vol-5', None, None, False)],
            [(r.volume_id, r.last_backup_id,
              r.last_backup and r.last_backup.raw('created_at'), r.covered)
             for r in rows])
        self.assertEqual(NOW - datetime.timedelta(hours=30),
                         rows[2].last_backup_at)
        # The window (3 rows), nothing older.
        self.assertEqual((3, 0), (self.reader.window.read,
                                  self.reader.older.read))
        self.assertEqual(['vol-3', 'vol-4', 'vol-5'], self.reader.probed)
        self.assertEqual({'volume_id': 'vol-5', 'volume_name': 'volume-5',
                          'volume_status': 'available',
                          'size': 5, 'project_id': None,
                          'last_backup_id': None, 'last_backup_at': None,
                          'data_timestamp': None,
                          'covered': False}, rows[-1].to_dict())

    def test_beyond_the_bound_the_rest_of_the_listing_instead(self):
        self.reader.probe = None  # must not be called
        rows = self.assess(probe_bound=2)
        self.assertEqual(
            ['bk-0001', 'bk-0003', 'bk-0004', 'bk-0006', None],
            [r.last_backup_id for r in rows])
        # vol-5 has none: the older listing is read to its end.
        self.assertEqual(5, self.reader.older.read)

    def test_the_rest_is_read_only_until_every_volume_has_its_backup(self):
        self.volumes = self.volumes[:4]
        self.reader.probe = None
        rows = self.assess(probe_bound=0)
        self.assertEqual(['bk-0001', 'bk-0003', 'bk-0004', 'bk-0006'],
                         [r.last_backup_id for r in rows])
        self.assertEqual(3, self.reader.older.read)

    def test_an_older_listing_given_is_read_instead_of_the_rest(self):
        window = Reader(self.reader.backups[:3])
        older = Reader(self.reader.backups[3:])
        rows = coverage.assess(self.volumes, window, None, CUTOFF,
                               probe_bound=0, older=older)
        self.assertEqual(['bk-0001', 'bk-0003', 'bk-0004', 'bk-0006', None],
                         [r.last_backup_id for r in rows])
        self.assertEqual(5, older.read)

    def test_uncovered_only(self):
        rows = self.assess(uncovered=True)
        self.assertEqual(['vol-3', 'vol-4', 'vol-5'],
                         [r.volume_id for r in rows])

    def test_everything_covered_reads_no_more(self):
        self.volumes = self.volumes[:2]
        self.reader.probe = None
        rows = self.assess()
        self.assertEqual([True, True], [r.covered for r in rows])
        self.assertEqual(0, self.reader.older.read)

    def test_a_backup_exactly_at_the_cutoff_covers(self):
        self.reader = Reader([bk(1, 1, 24), bk(2, 2, 24.001)])
        rows = self.assess()
        self.assertEqual([True, False, False, False, False],
                         [r.covered for r in rows])

    def test_deleted_volumes_left_out_and_volume_order_kept(self):
        self.volumes = [vol(3), vol(1, status='deleted'), vol(2)]
        rows = self.assess()
        self.assertEqual(['vol-3', 'vol-2'], [r.volume_id for r in rows])

    def test_no_volumes_reads_no_backup(self):
        self.volumes = []
        self.assertEqual([], self.assess(probe_bound=0))
        self.assertEqual((0, 0), (self.reader.window.read,
                                  self.reader.older.read))

    def test_backup_without_a_time_is_not_covering(self):
        self.reader = Reader([])
        self.reader.backups = [backup_mod.Backup(
            base.backup(1, volume_id='vol-1', created_at=None))]
        rows = self.assess(probe_bound=0)
        self.assertEqual(('bk-0001', False),
                         (rows[0].last_backup_id, rows[0].covered))


class TestRecoveryPoint(base.TestCase):
    """Coverage judges the point a backup restores to."""

    def assess(self, backups, volumes=2, **kwargs):
        return assess([vol(n) for n in range(1, volumes + 1)],
                      Reader(backups), **kwargs)

    def test_a_recent_backup_of_an_old_point_does_not_cover(self):
        # Created 2 hours ago from a 40-hour-old snapshot: it restores
        # to 40 hours ago, beyond the day.
        rows = self.assess([bk(1, 1, 2, 40), bk(2, 2, 3, 3)])
        self.assertEqual(
            [('bk-0001', NOW - datetime.timedelta(hours=2),
              NOW - datetime.timedelta(hours=40), False),
             ('bk-0002', NOW - datetime.timedelta(hours=3),
              NOW - datetime.timedelta(hours=3), True)],
            [(r.last_backup_id, r.last_backup_at, r.data_timestamp,
              r.covered) for r in rows])

    def test_without_a_data_timestamp_the_creation_time(self):
        rows = self.assess([bk(1, 1, 2), bk(2, 2, 30)])
        self.assertEqual(
            [(NOW - datetime.timedelta(hours=2), True),
             (NOW - datetime.timedelta(hours=30), False)],
            [(r.data_timestamp, r.covered) for r in rows])

    def test_the_last_backup_is_the_one_restoring_latest(self):
        # Newest created first, yet the older one restores later.
        rows = self.assess([bk(1, 1, 1, 50), bk(2, 1, 5, 5)], volumes=1)
        self.assertEqual(('bk-0002', True),
                         (rows[0].last_backup_id, rows[0].covered))

    def test_an_older_backup_restoring_later_than_a_recent_one(self):
        # The recent backup restores to 60h ago, the older one (36h) to
        # 36h ago: not covered either way, the later point is shown.
        reader = Reader([bk(1, 1, 2, 60), bk(2, 1, 36, 36)])
        rows = assess([vol(1)], reader)
        self.assertEqual(['vol-1'], reader.probed)
        self.assertEqual(('bk-0002', False),
                         (rows[0].last_backup_id, rows[0].covered))

    def test_restoring_counts_error_does_not(self):
        rows = self.assess([bk(1, 1, 2, status='restoring'),
                            bk(2, 2, 1, status='error'),
                            bk(3, 2, 30)])
        self.assertEqual([('bk-0001', True), ('bk-0003', False)],
                         [(r.last_backup_id, r.covered) for r in rows])

    def test_the_definition_in_one_place(self):
        self.assertEqual(('available', 'restoring'),
                         coverage.COVERING_STATUSES)
        old = bk(1, 1, 1, 30)
        self.assertEqual(NOW - datetime.timedelta(hours=30),
                         coverage.recovery_point(old))
        self.assertFalse(coverage.covers(old, CUTOFF))
        self.assertTrue(coverage.covers(bk(2, 1, 1, 24), CUTOFF))
        self.assertFalse(coverage.covers(
            bk(3, 1, 1, status='creating'), CUTOFF))
        self.assertIsNone(coverage.recovery_point(None))


class TestCostBeyondTheBound(base.TestCase):
    """Beyond the probe bound the older backups are counted first."""

    def setUp(self):
        super().setUp()
        self.volumes = [vol(n) for n in range(1, 11)]
        self.window = Reader([bk(1, 1, 2)])
        self.older = Reader([bk(2, 2, 30), bk(3, 3, 40), bk(4, 2, 50)])
        self.counted = []

    def assess(self, count, probe_bound=2):
        def count_older():
            self.counted.append(count)
            return count
        return coverage.assess(self.volumes, self.window, self.older.probe,
                               CUTOFF, probe_bound=probe_bound,
                               older=self.older, count_older=count_older)

    def test_many_older_backups_few_volumes_probes(self):
        # 9 volumes to find; probing them costs 9 * PROBE_COST rows.
        rows = self.assess(9 * coverage.PROBE_COST + 1)
        self.assertEqual(0, self.older.read)
        self.assertEqual(['vol-%d' % n for n in range(2, 11)],
                         self.older.probed)
        self.assertEqual(['bk-0001', 'bk-0002', 'bk-0003'] + [None] * 7,
                         [r.last_backup_id for r in rows])

    def test_few_older_backups_are_read(self):
        rows = self.assess(9 * coverage.PROBE_COST)
        self.assertEqual(3, self.older.read)
        self.assertFalse(hasattr(self.older, 'probed'))
        self.assertEqual(['bk-0001', 'bk-0002', 'bk-0003'] + [None] * 7,
                         [r.last_backup_id for r in rows])

    def test_within_the_bound_nothing_counted(self):
        self.assess(10 ** 6, probe_bound=9)
        self.assertEqual([], self.counted)
        self.assertEqual(0, self.older.read)


class TestCutoff(base.TestCase):

    def test_ages(self):
        for age, delta in (('36h', datetime.timedelta(hours=36)),
                           ('7d', datetime.timedelta(days=7)),
                           (' 2w ', datetime.timedelta(weeks=2)),
                           (datetime.timedelta(minutes=5),
                            datetime.timedelta(minutes=5))):
            self.assertEqual(NOW - delta, coverage.cutoff(age, NOW))

    def test_not_an_age(self):
        for age, why in (('7y', "unknown unit 'y'"),
                         ('-1d', 'cannot be negative'),
                         ('2026-11-01', 'give an age <n><unit>'),
                         ('d', 'give an age <n><unit>'),
                         (7, 'give a timedelta')):
            e = self.assertRaises(exceptions.InvalidParameter,
                                  coverage.cutoff, age, NOW)
            self.assertIn(why, str(e))
            self.assertEqual('max_age', e.param)
            self.assertTrue(e.reword({'max_age': '--max-age'}).startswith(
                'invalid --max-age '))
