"""Time values for window bounds, Cinder's timestamps, and windows."""

import datetime

from vbsclient.api.query import timestamps as times
from vbsclient.api.query import windows
from vbsclient import backup
from vbsclient import exceptions

from tests.unit import base

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


class TestBound(base.TestCase):

    def bound(self, value):
        return times.bound(value, 'created_before', NOW)

    def test_date_is_midnight_utc(self):
        self.assertEqual(utc(2026, 11, 1), self.bound('2026-11-01'))
        self.assertEqual(utc(2026, 11, 1), self.bound(datetime.date(2026, 11,
                                                                    1)))

    def test_date_time_without_zone_is_utc(self):
        self.assertEqual(utc(2026, 11, 1, 8, 0),
                         self.bound('2026-11-01T08:00'))
        self.assertEqual(utc(2026, 11, 1, 8, 0, 40, 500000),
                         self.bound('2026-11-01 08:00:40.5'))

    def test_date_time_with_zone(self):
        self.assertEqual(utc(2026, 11, 1, 8), self.bound('2026-11-01T08:00Z'))
        self.assertEqual(utc(2026, 11, 1, 6),
                         self.bound('2026-11-01T08:00:00+02:00'))
        self.assertEqual(utc(2026, 11, 1, 10),
                         self.bound('2026-11-01T08:00-0200'))

    def test_ages(self):
        for text, delta in (('30d', datetime.timedelta(days=30)),
                            ('90s', datetime.timedelta(seconds=90)),
                            ('15m', datetime.timedelta(minutes=15)),
                            ('12h', datetime.timedelta(hours=12)),
                            ('2w', datetime.timedelta(weeks=2)),
                            ('0d', datetime.timedelta(0))):
            self.assertEqual(NOW - delta, self.bound(text), text)
        self.assertEqual(NOW - datetime.timedelta(days=3),
                         self.bound(datetime.timedelta(days=3)))

    def test_datetimes(self):
        self.assertEqual(utc(2026, 1, 1),
                         self.bound(datetime.datetime(2026, 1, 1)))
        plus2 = datetime.timezone(datetime.timedelta(hours=2))
        self.assertEqual(utc(2026, 1, 1), self.bound(
            datetime.datetime(2026, 1, 1, 2, tzinfo=plus2)))
        self.assertIs(UTC, self.bound('2026-01-01').tzinfo)

    def test_errors_name_the_parameter(self):
        for value, why in (('yesterday', 'ISO 8601 date'),
                           ('5y', "unknown unit 'y'"),
                           ('-5d', 'cannot be negative'),
                           ('2026-13-01', 'month must be in 1..12'),
                           ('2026-11-01T25:00', 'hour must be in 0..23'),
                           ('2026-11-01T08:00+25:00', 'out of range'),
                           ('', 'ISO 8601'),
                           (datetime.timedelta(days=-1), 'negative'),
                           (42, 'expected a datetime')):
            e = self.assertRaises(exceptions.InvalidParameter, self.bound,
                                  value)
            self.assertTrue(str(e).startswith('invalid created_before '),
                            str(e))
            self.assertIn(why, str(e))
            self.assertEqual('created_before', e.param)
            self.assertTrue(e.reword({'created_before': '--created-before'})
                            .startswith('invalid --created-before '))

    def test_too_old_echoes_what_was_given(self):
        # Not the converted value (datetime.timedelta(days=99999999)).
        for given in ('99999999d', '9999999999999d', '99999999999w'):
            e = self.assertRaises(exceptions.InvalidParameter, self.bound,
                                  given)
            self.assertEqual("invalid created_before %r: the age reaches "
                             "before year 1" % given, str(e))
            self.assertEqual(given, e.value)
        given = datetime.timedelta(days=999999)
        e = self.assertRaises(exceptions.InvalidParameter, self.bound, given)
        self.assertIs(given, e.value)

    def test_braces_and_percent_in_value_are_kept(self):
        e = self.assertRaises(exceptions.InvalidParameter, self.bound,
                              '{1}%d')
        self.assertIn("'{1}%d'", str(e))


class TestServerTime(base.TestCase):

    def test_cinder_text_is_utc(self):
        self.assertEqual(utc(2026, 1, 1, 8, 0, 40),
                         times.server_time('2026-01-01T08:00:40.000000'))
        self.assertEqual(utc(2026, 1, 1, 8, 0, 40),
                         times.server_time('2026-01-01T08:00:40'))
        self.assertEqual(utc(2026, 1, 1, 7),
                         times.server_time('2026-01-01T08:00:00+01:00'))
        self.assertIsNone(times.server_time(None))

    def test_garbage(self):
        self.assertRaises(ValueError, times.server_time, 'soon')
        self.assertRaises(ValueError, times.server_time, 12)

    def test_every_form_servers_write(self):
        # Each on every Python (3.10's fromisoformat refuses most).
        for text, expected in SERVER_FORMS:
            self.assertEqual(expected, times.server_time(text), text)
            self.assertEqual(times.UTC, times.server_time(text).tzinfo)

    def test_backup_and_windows_parse_alike(self):
        # One parser: a row a window keeps always decodes as a Backup, and
        # what a window refuses a Backup refuses too.
        window = windows.Window('created_at', after=utc(2000, 1, 1))
        for text, expected in SERVER_FORMS:
            row = {'id': 'b', 'created_at': text}
            self.assertEqual(expected, backup.Backup(row).created_at, text)
            self.assertTrue(window.contains(row), text)
        for text in NOT_SERVER_FORMS:
            row = {'id': 'b', 'created_at': text}
            self.assertRaises(exceptions.BadResponse,
                              lambda: backup.Backup(row).created_at)
            self.assertRaises(exceptions.BadResponse, window.contains, row)


# What servers write, and the instant each stands for.
SERVER_FORMS = (
    ('2026-04-14T00:00:04.12Z', utc(2026, 4, 14, 0, 0, 4, 120000)),
    ('2026-04-14T00:00:04.120000+0000', utc(2026, 4, 14, 0, 0, 4, 120000)),
    ('2026-04-14T02:00:04+0200', utc(2026, 4, 14, 0, 0, 4)),
    ('2026-04-14T02:00:04+02', utc(2026, 4, 14, 0, 0, 4)),
    ('2026-04-14T00:00:04.1234567', utc(2026, 4, 14, 0, 0, 4, 123456)),
    ('2026-04-14T00:00:04.1234567Z', utc(2026, 4, 14, 0, 0, 4, 123456)),
    ('2026-04-14T00:00:04', utc(2026, 4, 14, 0, 0, 4)),
    ('2026-04-14T00:00', utc(2026, 4, 14)),
    ('2026-01-01 00:00:59.000000', utc(2026, 1, 1, 0, 0, 59)),
    ('2026-01-01T00:00:59.000000', utc(2026, 1, 1, 0, 0, 59)),
    ('2026-01-01T00:00:59.5z', utc(2026, 1, 1, 0, 0, 59, 500000)),
)
# Not a server's timestamp for either (3.11's fromisoformat takes some).
NOT_SERVER_FORMS = ('2026-04-14', '2026-W16-2', '20260414T000004',
                    'yesterday', '2026-04-14T25:00:00')


class TestWindows(base.TestCase):

    def test_split_at_the_bound(self):
        before, = windows.from_params({'created_before': '2026-01-01T08:00'},
                                      NOW)
        after, = windows.from_params({'created_after': '2026-01-01T08:00'},
                                     NOW)
        at = {'id': 'x', 'created_at': '2026-01-01T08:00:00.000000'}
        earlier = {'id': 'y', 'created_at': '2026-01-01T07:59:59.999999'}
        self.assertFalse(before.contains(at))
        self.assertTrue(after.contains(at))
        self.assertTrue(before.contains(earlier))
        self.assertFalse(after.contains(earlier))

    def test_null_and_missing_in_no_window(self):
        for params in ({'data_timestamp_before': '2030-01-01'},
                       {'data_timestamp_after': '2000-01-01'}):
            window, = windows.from_params(params, NOW)
            self.assertIsNone(window.side({'data_timestamp': None}))
            self.assertFalse(window.contains({'id': 'x'}))

    def test_one_window_per_field(self):
        found = windows.from_params({
            'created_before': '2026-02-01', 'created_after': '2026-01-01',
            'data_timestamp_after': '7d', 'name': 'ignored'}, NOW)
        self.assertEqual(['created_at', 'data_timestamp'],
                         [w.field for w in found])
        self.assertEqual((utc(2026, 1, 1), utc(2026, 2, 1)),
                         (found[0].after, found[0].before))
        self.assertIsNone(found[1].before)
        self.assertEqual([], windows.from_params({'name': 'x'}, NOW))

    def test_empty_window_names_both(self):
        for after, before in (('2026-02-01', '2026-01-01'),
                              ('2026-01-01', '2026-01-01T00:00Z'),
                              ('1d', '2d')):
            e = self.assertRaises(
                exceptions.InvalidParameter, windows.from_params,
                {'data_timestamp_after': after,
                 'data_timestamp_before': before}, NOW)
            self.assertEqual('data_timestamp_after', e.param)
            self.assertIn('window is empty', str(e))
            # What was given, then the instants they stand for.
            self.assertTrue(str(e).startswith(
                "invalid data_timestamp_after %r: 20" % after), str(e))
            self.assertIn(' is not earlier than data_timestamp_before %r '
                          '(20' % before, str(e))
            self.assertIn('--data-timestamp-before', e.reword({
                'data_timestamp_before': '--data-timestamp-before'}))

    def test_malformed_cinder_timestamp_is_a_bad_response(self):
        window, = windows.from_params({'created_after': '1d'}, NOW)
        e = self.assertRaises(exceptions.BadResponse, window.side,
                              {'id': 'b1', 'created_at': 'Tuesday'})
        self.assertIn('b1', str(e))
