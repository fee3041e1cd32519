"""``vbs backup metrics`` against the real Keystone and Cinder.

The values are checked against the truth read from Cinder's database, the
output with prometheus_client's parser; the textfile is written by a real
process (atomically, also when the run fails), and the cost is read from
Cinder's request log against a full listing of 10,000 backups.
"""

import calendar
import collections
import datetime
import decimal
import os
import shutil
import sqlite3
import tempfile

from prometheus_client import parser
from testtools import content

from tests.functional import base
from tests.harness import procs
from tests.harness import seed

STATUSES = ('available', 'creating', 'deleting', 'error', 'error_deleting',
            'error_restoring', 'restoring')
COVERING = ('available', 'restoring')
RUN_HEALTH = ['vbs_metrics_success', 'vbs_metrics_duration_seconds',
              'vbs_metrics_last_run_timestamp_seconds']
ODD_NAME = 'met "odd" \\ name\nsecond line'


def seconds(db_time):
    """Exact Unix seconds (Decimal) of a time as Cinder stores it."""
    when = datetime.datetime.strptime(db_time, seed.DB_TIME_FORMAT)
    return (decimal.Decimal(calendar.timegm(when.utctimetuple()))
            + decimal.Decimal(when.microsecond) / 10 ** 6)


def parsed(text):
    """{(name, sorted labels): value as written (Decimal)}, in order.

    prometheus_client reads the text first: it must accept it.
    """
    families = list(parser.text_string_to_metric_families(text))
    read = collections.OrderedDict()
    for family in families:
        for sample in family.samples:
            read[sample.name, tuple(sorted(sample.labels.items()))] = None
    written = [line for line in text.splitlines()
               if line and not line.startswith('#')]
    if len(written) != len(read):
        raise AssertionError('parser read %d samples of %d lines'
                             % (len(read), len(written)))
    for key, line in zip(read, written):
        read[key] = decimal.Decimal(line.rsplit(' ', 1)[1])
    return read


def truth(cloud, project_ids, max_age=datetime.timedelta(days=1),
          status=None, name_like=None):
    """What the metrics must say, read from Cinder's database.

    ``project_ids``: the projects in scope (None: every project).
    """
    cutoff = (datetime.datetime.now(datetime.timezone.utc) - max_age
              ).replace(tzinfo=None).strftime(seed.DB_TIME_FORMAT)
    where = 'deleted = 0'
    if project_ids is not None:
        where += ' AND project_id IN (%s)' % ','.join('?' * len(project_ids))
    conn = sqlite3.connect(cloud.cinder_db_path)
    try:
        backups = conn.execute(
            'SELECT status, size, created_at, data_timestamp, volume_id, '
            'display_name FROM backups WHERE ' + where,
            project_ids or ()).fetchall()
        volumes = conn.execute(
            'SELECT id, display_name FROM volumes WHERE ' + where,
            project_ids or ()).fetchall()
    finally:
        conn.close()
    selected = [b for b in backups
                if (status is None or b[0] == status)
                and (name_like is None or name_like in b[5].lower())]
    out = {}
    for s in STATUSES:
        out['vbs_backups', (('status', s),)] = sum(
            1 for b in selected if b[0] == s)
    available = sorted(b[2] for b in selected if b[0] == 'available')
    if available:
        out['vbs_backup_newest_timestamp_seconds', ()] = seconds(
            available[-1])
        out['vbs_backup_oldest_timestamp_seconds', ()] = seconds(
            available[0])
    last = {}
    for b in backups:
        if b[0] in COVERING:
            point = b[3] or b[2]
            last[b[4]] = max(point, last.get(b[4], point))
    out['vbs_volumes', ()] = len(volumes)
    out['vbs_volumes_uncovered', ()] = sum(
        1 for v in volumes if last.get(v[0], '') < cutoff)
    per_volume = {(('volume_id', v[0]), ('volume_name', v[1] or '')):
                  seconds(last[v[0]]) if v[0] in last else 0
                  for v in volumes}
    sizes = {(('status', s),): sum(b[1] for b in selected if b[0] == s)
             for s in STATUSES}
    return out, per_volume, sizes


class MetricsTest(base.FunctionalTest):

    def metrics(self, *args, user='member', pre=(), **kwargs):
        """``openstack [pre] vbs backup metrics [args]``."""
        kwargs.setdefault('in_process', True)
        return self.openstack(*pre, 'vbs', 'backup', 'metrics', *args,
                              user=user, **kwargs)

    def metrics_ok(self, *args, **kwargs):
        rc, out, err = self.metrics(*args, **kwargs)
        self.assertEqual((0, ''), (rc, err))
        return out

    def assertValues(self, want, got):
        """``want`` holds exactly the samples of ``got`` but run health."""
        got = collections.OrderedDict(
            (k, v) for k, v in got.items() if k[0] not in RUN_HEALTH)
        self.assertEqual(want, dict(got))


class TestValues(MetricsTest):
    """Backups in every status, volumes recent, stale, never backed up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cloud = cls.cloud
        cloud.clear_backups()
        # Old ones first: the seeding's default times follow the newest.
        cloud.seed_backups(240)
        cloud.seed_backups(7, project_id=cloud.admin.project_id)
        names = ['met-fresh', 'met-stale', 'met-none', 'met-restoring',
                 'met-error-only', ODD_NAME]
        cls.vol = dict(zip(names, cloud.seed_volumes(names)))
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None)
        hours = datetime.timedelta(hours=1)
        specs = [(cls.vol['met-fresh'], 'available', 2 * hours),
                 (cls.vol['met-fresh'], 'available', 50 * hours),
                 (cls.vol['met-stale'], 'available', 72 * hours),
                 (cls.vol['met-restoring'], 'restoring', 3 * hours),
                 (cls.vol['met-error-only'], 'error', 1 * hours),
                 (cls.vol[ODD_NAME], 'available', 30 * hours)]
        cloud.seed_backups(
            len(specs), volume_id=lambda i, row: specs[i][0],
            status=lambda i, row: specs[i][1],
            created_at=lambda i, row: now - specs[i][2],
            data_timestamp=lambda i, row: now - specs[i][2])

    def test_values_equal_the_truth(self):
        out = self.metrics_ok('--per-volume', '--sizes')
        got = parsed(out)
        want, per_volume, sizes = truth(self.cloud,
                                        [self.cloud.member.project_id])
        want.update((('vbs_volume_last_backup_timestamp_seconds', k), v)
                    for k, v in per_volume.items())
        want.update((('vbs_backup_size_gigabytes', k), v)
                    for k, v in sizes.items())
        self.assertValues(want, got)
        # Not trivially zero: every seeded status, and the new volumes.
        for s in ('available', 'error', 'creating', 'restoring'):
            self.assertLess(0, got['vbs_backups', (('status', s),)])
        self.assertEqual(0, got['vbs_backups',
                                (('status', 'error_restoring'),)])
        self.assertLessEqual(6, got['vbs_volumes', ()])
        self.assertEqual(
            0, got['vbs_volume_last_backup_timestamp_seconds',
                   (('volume_id', self.vol['met-none']),
                    ('volume_name', 'met-none'))])
        # The odd name went through the format and back.
        self.assertIn(('vbs_volume_last_backup_timestamp_seconds',
                       (('volume_id', self.vol[ODD_NAME]),
                        ('volume_name', ODD_NAME))), got)
        self.assertEqual(1, got['vbs_metrics_success', ()])
        self.assertEqual(RUN_HEALTH, [k[0] for k in got][-3:])

    def test_max_age(self):
        got = parsed(self.metrics_ok('--max-age', '60h'))
        want, _per_volume, _sizes = truth(
            self.cloud, [self.cloud.member.project_id],
            max_age=datetime.timedelta(hours=60))
        self.assertValues(want, got)

    def test_filters_select_the_backups(self):
        got = parsed(self.metrics_ok('--status', 'available',
                                     '--name-like', 'daily'))
        want, _per_volume, _sizes = truth(
            self.cloud, [self.cloud.member.project_id], status='available',
            name_like='daily')
        self.assertValues(want, got)
        self.assertLess(0, got['vbs_backups', (('status', 'available'),)])

    def test_below_345_the_same_counts_without_with_count(self):
        since = self.cloud.cinder_log_offset()
        got = parsed(self.metrics_ok(
            pre=('--os-vbs-backup-api-version', '3.40')))
        requests = self.list_requests(since)
        self.assertFalse([r for r in requests
                          if 'with_count' in dict(r['params'])])
        want, _per_volume, _sizes = truth(self.cloud,
                                          [self.cloud.member.project_id])
        self.assertValues(want, got)

    def test_admin_scope(self):
        cloud = self.cloud
        got = parsed(self.metrics_ok('--all-projects', user='admin'))
        want, _per_volume, _sizes = truth(cloud, None)
        # Both projects' backups: 240 + 6 of the member, 7 of the admin.
        self.assertEqual(253, sum(got['vbs_backups', (('status', s),)]
                                  for s in STATUSES))
        self.assertValues(want, got)
        got = parsed(self.metrics_ok('--project', cloud.member.project_id,
                                     user='admin'))
        want, _per_volume, _sizes = truth(cloud, [cloud.member.project_id])
        self.assertValues(want, got)

    def test_all_projects_as_member_warns_once(self):
        rc, out, err = self.metrics('--all-projects')
        self.assertEqual(0, rc, err)
        self.assertIn('--all-projects was ignored by the server',
                      self.assertOneLine(err))
        want, _per_volume, _sizes = truth(self.cloud,
                                          [self.cloud.member.project_id])
        self.assertValues(want, parsed(out))


class TestTextfile(MetricsTest):
    """A real ``openstack`` process writing the file."""

    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix='vbs-metrics-')
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.path = os.path.join(self.dir, 'vbs.prom')

    def read(self):
        self.assertEqual(['vbs.prom'], os.listdir(self.dir))
        with open(self.path) as fh:
            return parsed(fh.read())

    def test_atomic_and_nothing_on_stdout(self):
        with open(self.path, 'w') as fh:
            fh.write('# an older run\n')
        before = os.stat(self.path).st_ino
        rc, out, err = self.metrics('--textfile', self.path,
                                    in_process=False)
        self.assertEqual((0, '', ''), (rc, out, err))
        # Renamed over the old file, not written into it.
        self.assertNotEqual(before, os.stat(self.path).st_ino)
        got = self.read()
        self.assertEqual(1, got['vbs_metrics_success', ()])
        want, _per_volume, _sizes = truth(self.cloud,
                                          [self.cloud.member.project_id])
        self.assertValues(want, got)

    def assertFailureWritten(self, rc, out, err):
        self.assertEqual((1, ''), (rc, out), err)
        line = self.assertOneLine(err)
        got = self.read()
        self.assertEqual(RUN_HEALTH, [k[0] for k in got])
        self.assertEqual(0, got['vbs_metrics_success', ()])
        now = datetime.datetime.now(datetime.timezone.utc).timestamp()
        self.assertLess(abs(now - float(
            got['vbs_metrics_last_run_timestamp_seconds', ()])), 120)
        return line

    def test_a_stopped_endpoint_writes_success_0(self):
        gone = 'http://127.0.0.1:%d/v3/%s' % (procs.free_port(),
                                              self.cloud.member.project_id)
        line = self.assertFailureWritten(*self.metrics(
            '--textfile', self.path, in_process=False, env={
                'OS_VBS_ENDPOINT_OVERRIDE': gone,
                'OS_VBS_TIMEOUT_SECONDS': '2'}))
        self.assertIn('refused the connection', line)

    def test_a_bad_setting_writes_success_0(self):
        line = self.assertFailureWritten(*self.metrics(
            '--textfile', self.path, env={'OS_VBS_PAGE_CONCURRENCY': 'x'}))
        self.assertIn('OS_VBS_PAGE_CONCURRENCY', line)

    def test_a_wrong_password_writes_success_0(self):
        # Keystone refuses before any VBS request.
        line = self.assertFailureWritten(*self.metrics(
            '--textfile', self.path,
            pre=('--os-password', 'not-the-password')))
        self.assertIn('HTTP 401', line)

    def test_without_textfile_a_failure_prints_nothing(self):
        rc, out, err = self.metrics(env={'OS_VBS_PAGE_CONCURRENCY': 'x'})
        self.assertEqual((1, ''), (rc, out))
        self.assertOneLine(err)


class TestCost(MetricsTest):
    """10,000 backups in pages of 1000.

    The metrics read at most 0.05x the bytes of a full listing (Cinder's
    request log).
    """

    TOTAL = 10000
    RECENT = 3

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cloud = cls.cloud
        cloud.clear_backups()
        member = cloud.member
        seed.seed_many(cloud.cinder_db_path, cls.TOTAL,
                       [member.project_id], member.user_id)
        # The bulk's volumes (all backed up long ago), a volume with
        # backups of the last hours and two never backed up: coverage has
        # a window to read and volumes to probe.
        conn = sqlite3.connect(cloud.cinder_db_path)
        try:
            known = {row[0] for row in conn.execute('SELECT id FROM volumes')}
        finally:
            conn.close()
        missing = [v for v in seed.VOLUME_IDS if v not in known]
        cloud.seed_volumes(['cost-%d' % i for i in range(len(missing))],
                           ids=missing)
        cloud.seed_volumes(['cost-never-1', 'cost-never-2'])
        [fresh] = cloud.seed_volumes(['cost-fresh'])
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None)
        cloud.seed_backups(
            cls.RECENT, volume_id=fresh,
            created_at=lambda i, row: now - datetime.timedelta(hours=i + 1),
            data_timestamp=lambda i, row: now - datetime.timedelta(
                hours=i + 1))

    def logged(self, *args):
        since = self.cloud.cinder_log_offset()
        out = self.openstack_ok(*args, in_process=True,
                                compare_sequential=False)
        return out, self.cloud.cinder_requests(since)

    def test_under_005_of_a_full_listing(self):
        out, requests = self.logged('vbs', 'backup', 'list', '-f', 'value',
                                    '-c', 'ID')
        self.assertEqual(self.TOTAL + self.RECENT, len(out.split()))
        full = sum(r['bytes'] for r in requests)
        figures = []
        for version in ('3.64', '3.40'):
            out, requests = self.logged(
                '--os-vbs-backup-api-version', version, 'vbs', 'backup',
                'metrics', '--per-volume')
            got = parsed(out)
            want, per_volume, _sizes = truth(self.cloud,
                                             [self.cloud.member.project_id])
            want.update((('vbs_volume_last_backup_timestamp_seconds', k), v)
                        for k, v in per_volume.items())
            self.assertValues(want, got)
            self.assertEqual(self.TOTAL + self.RECENT, sum(
                got['vbs_backups', (('status', s),)] for s in STATUSES))
            spent = sum(r['bytes'] for r in requests)
            listed = [r for r in requests
                      if r['path'].endswith('/backups/detail')]
            probes = [r for r in listed if 'volume_id' in dict(r['params'])]
            volumes = [r for r in requests
                       if r['path'].endswith('/volumes/detail')]
            # Coverage's reading is part of the cost: probes and volumes.
            self.assertLessEqual(4, len(probes))
            self.assertLessEqual(1, len(volumes))
            figures.append(
                'at %s: %d bytes in %d requests (%d of backups: %d probes '
                'of a volume, %d with more than one row; %d volume pages), '
                'full listing %d bytes: %.4fx'
                % (version, spent, len(requests), len(listed), len(probes),
                   len([r for r in listed
                        if dict(r['params']).get('limit') != '1']),
                   len(volumes), full, spent / full))
            self.assertLessEqual(spent, 0.05 * full, figures[-1])
        self.addDetail('figures', content.text_content('\n'.join(figures)))
