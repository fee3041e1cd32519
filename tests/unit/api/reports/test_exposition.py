"""Prometheus text rendering: escaping, order, absent families, numbers;
what it writes parses with prometheus_client's own parser."""

import datetime

from prometheus_client import parser

from vbsclient.api.query import params as query
from vbsclient.api.reports import exposition
from vbsclient.api.reports import metrics

from tests.unit import base

UTC = datetime.timezone.utc
NEWEST = datetime.datetime(2024, 1, 1, 8, 0, 42, tzinfo=UTC)
OLDEST = datetime.datetime(2024, 1, 1, 8, 0, 1, 250000, tzinfo=UTC)
FINISHED = datetime.datetime(2026, 12, 5, 21, 0, 0, 123456, tzinfo=UTC)
TRICKY = 'a "quoted" \\ name\non two lines'


def values(**changes):
    data = dict(
        backups={'available': 26, 'error': 4, 'restoring': 3},
        newest=NEWEST, oldest=OLDEST, volumes=3, uncovered=2,
        per_volume=(
            metrics.VolumeLast('vol-b', TRICKY, None),
            metrics.VolumeLast('vol-a', 'db-data', NEWEST),
            metrics.VolumeLast('vol-c', None, OLDEST)),
        sizes={'available': 587, 'error': 114})
    data.update(changes)
    return metrics.Metrics(**data)


RUN = metrics.Run(True, 1.25, FINISHED)


def samples(text):
    """[(name, labels, value)] as prometheus_client reads ``text``."""
    return [(s.name, s.labels, s.value)
            for family in parser.text_string_to_metric_families(text)
            for s in family.samples]


class TestRender(base.TestCase):

    def test_label_values_escaped_and_read_back(self):
        text = exposition.render(values(), RUN)
        self.assertIn('vbs_volume_last_backup_timestamp_seconds{volume_id='
                      '"vol-b",volume_name="a \\"quoted\\" \\\\ name\\non '
                      'two lines"} 0\n', text)
        read = {labels['volume_id']: (labels['volume_name'], value)
                for name, labels, value in samples(text)
                if name == 'vbs_volume_last_backup_timestamp_seconds'}
        self.assertEqual({'vol-a': ('db-data', 1704096042.0),
                          'vol-b': (TRICKY, 0.0),
                          'vol-c': ('', 1704096001.25)}, read)

    def test_escape_order_backslash_first(self):
        self.assertEqual('\\\\n', exposition.escape_label('\\n'))
        self.assertEqual('\\\\\\"', exposition.escape_label('\\"'))
        self.assertEqual('\\n\\\\', exposition.escape_label('\n\\'))

    def test_order_of_the_lines(self):
        text = exposition.render(values(), RUN)
        names = [line.split()[2] for line in text.splitlines()
                 if line.startswith('# HELP ')]
        self.assertEqual([name for name, _help in exposition.FAMILIES],
                         names)
        lines = text.splitlines()
        statuses = [line for line in lines
                    if line.startswith('vbs_backups{')]
        self.assertEqual(['vbs_backups{status="%s"} %d' % (
            s, {'available': 26, 'error': 4, 'restoring': 3}.get(s, 0))
            for s in query.STATUSES], statuses)
        volumes = [line.split('"')[1] for line in lines
                   if line.startswith('vbs_volume_last')]
        self.assertEqual(['vol-a', 'vol-b', 'vol-c'], volumes)
        # Each family: HELP, TYPE gauge, then its samples.
        for at, line in enumerate(lines):
            if line.startswith('# HELP '):
                name = line.split()[2]
                self.assertEqual('# TYPE %s gauge' % name, lines[at + 1])
                self.assertTrue(lines[at + 2].startswith(name))
        self.assertTrue(text.endswith('\n'))
        self.assertEqual(text, exposition.render(values(), RUN))

    def test_every_status_present_with_zero(self):
        read = [(labels['status'], value) for name, labels, value
                in samples(exposition.render(values(backups={}, sizes={})))
                if name in ('vbs_backups', 'vbs_backup_size_gigabytes')]
        self.assertEqual([(s, 0.0) for s in query.STATUSES] * 2, read)

    def test_absent_families(self):
        text = exposition.render(values(newest=None, oldest=None,
                                        per_volume=None, sizes=None))
        names = {name for name, _labels, _value in samples(text)}
        self.assertEqual({'vbs_backups', 'vbs_volumes',
                          'vbs_volumes_uncovered'}, names)
        self.assertNotIn('newest', text)
        self.assertNotIn('vbs_metrics_', text)

    def test_numbers_and_times(self):
        text = exposition.render(values(), RUN)
        for line in ('vbs_backup_newest_timestamp_seconds 1704096042',
                     'vbs_backup_oldest_timestamp_seconds 1704096001.25',
                     'vbs_volumes 3', 'vbs_volumes_uncovered 2',
                     'vbs_metrics_success 1',
                     'vbs_metrics_duration_seconds 1.25',
                     'vbs_metrics_last_run_timestamp_seconds '
                     '1796504400.123456'):
            self.assertIn('\n%s\n' % line, text)
        # A naive time is UTC; before 1970 is negative.
        early = datetime.datetime(1969, 12, 31, 23, 59, 58, 500000)
        self.assertIn('vbs_backup_newest_timestamp_seconds -1.5\n',
                      exposition.render(values(newest=early)))

    def test_failed_run_has_only_run_health(self):
        run = metrics.Run(False, 0.5, FINISHED)
        self.assertEqual(
            [('vbs_metrics_success', {}, 0.0),
             ('vbs_metrics_duration_seconds', {}, 0.5),
             ('vbs_metrics_last_run_timestamp_seconds', {},
              1796504400.123456)],
            samples(exposition.render(None, run)))

    def test_nothing_to_render(self):
        self.assertEqual('', exposition.render())
