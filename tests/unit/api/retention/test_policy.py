"""The keep policy: its checks, and its rules on one volume, by example.

Each case lists backups newest first as (id, created_at UTC, status) and
the decision expected for each, worked out by hand.
"""

import datetime
from unittest import mock

from vbsclient.api.retention import policy
from vbsclient import exceptions

from tests.unit.api.retention import rows
from tests.unit import base

ERROR_KEPT = 'error (use remove_errors=True)'

# (case, rules, now, [(id, created, status)], [(id, action, reasons)]).
CASES = [
    ('keep_last counts available backups only', {'keep_last': 2},
     '2026-12-05 12:00',
     [('a', '2026-12-05 10:00', 'creating'),
      ('b', '2026-12-04 10:00', 'available'),
      ('c', '2026-12-03 10:00', 'restoring'),
      ('d', '2026-12-02 10:00', 'available'),
      ('e', '2026-12-01 10:00', 'available'),
      ('f', '2026-11-30 10:00', 'error'),
      ('g', '2026-11-29 10:00', None)],
     [('a', 'skip', 'status creating'),
      ('b', 'keep', 'last 1'),
      ('c', 'skip', 'status restoring'),
      ('d', 'keep', 'last 2'),
      ('e', 'remove', 'no rule'),
      ('f', 'skip', ERROR_KEPT),
      ('g', 'skip', 'status unknown')]),
    ('ties on created_at: the higher id is the newer',
     {'keep_last': 1, 'keep_daily': 2}, '2026-12-05 12:00',
     [('x2', '2026-12-04 10:00', 'available'),
      ('x1', '2026-12-04 10:00', 'available'),
      ('x0', '2026-12-03 10:00', 'available')],
     [('x2', 'keep', 'last 1, daily 2026-12-04'),
      ('x1', 'remove', 'no rule'),
      ('x0', 'keep', 'daily 2026-12-03')]),
    ('overlapping rules each listed',
     {'keep_last': 1, 'keep_daily': 2, 'keep_monthly': 2,
      'keep_within': '1d'}, '2026-12-05 00:00',
     [('a', '2026-12-04 13:00', 'available'),
      ('b', '2026-12-04 09:00', 'available'),
      ('c', '2026-12-03 10:00', 'available'),
      ('d', '2026-11-20 10:00', 'available'),
      ('e', '2026-10-05 10:00', 'available')],
     [('a', 'keep', 'last 1, daily 2026-12-04, monthly 2026-12, '
       'within 1d'),
      ('b', 'keep', 'within 1d'),
      ('c', 'keep', 'daily 2026-12-03'),
      ('d', 'keep', 'monthly 2026-11'),
      ('e', 'remove', 'no rule')]),
    ('empty days do not count', {'keep_daily': 3}, '2026-12-11 00:00',
     [('a', '2026-12-10 08:00', 'available'),
      ('b', '2026-12-05 08:00', 'available'),
      ('c', '2026-12-01 08:00', 'available'),
      ('d', '2026-11-20 08:00', 'available')],
     [('a', 'keep', 'daily 2026-12-10'),
      ('b', 'keep', 'daily 2026-12-05'),
      ('c', 'keep', 'daily 2026-12-01'),
      ('d', 'remove', 'no rule')]),
    ('empty months do not count, nor periods of unavailable backups',
     {'keep_monthly': 2}, '2026-12-11 00:00',
     [('a', '2026-12-10 08:00', 'available'),
      ('b', '2026-11-10 08:00', 'error'),
      ('c', '2026-09-10 08:00', 'available'),
      ('d', '2026-06-10 08:00', 'available')],
     [('a', 'keep', 'monthly 2026-12'),
      ('b', 'skip', ERROR_KEPT),
      ('c', 'keep', 'monthly 2026-09'),
      ('d', 'remove', 'no rule')]),
    ('ISO weeks across the year end (2026 has a week 53)',
     {'keep_weekly': 3, 'keep_yearly': 2}, '2027-01-05 00:00',
     [('a', '2027-01-04 08:00', 'available'),
      ('b', '2027-01-01 08:00', 'available'),
      ('c', '2026-12-31 08:00', 'available'),
      ('d', '2026-12-27 08:00', 'available')],
     [('a', 'keep', 'weekly 2027-W01, yearly 2027'),
      ('b', 'keep', 'weekly 2026-W53'),
      ('c', 'keep', 'yearly 2026'),
      ('d', 'keep', 'weekly 2026-W52')]),
    ('hourly', {'keep_hourly': 2}, '2026-12-04 14:00',
     [('a', '2026-12-04 13:59:59.999999', 'available'),
      ('b', '2026-12-04 13:00', 'available'),
      ('c', '2026-12-04 12:59:59.999999', 'available'),
      ('d', '2026-12-04 10:00', 'available')],
     [('a', 'keep', 'hourly 2026-12-04T13'),
      ('b', 'remove', 'no rule'),
      ('c', 'keep', 'hourly 2026-12-04T12'),
      ('d', 'remove', 'no rule')]),
    ('keep_within: exactly now minus the age is kept',
     {'keep_within': '1d'}, '2026-12-05 12:00',
     [('f', '2026-12-06 08:00', 'available'),
      ('a', '2026-12-04 12:00', 'available'),
      ('b', '2026-12-04 11:59:59.999999', 'available')],
     [('f', 'keep', 'within 1d'),
      ('a', 'keep', 'within 1d'),
      ('b', 'remove', 'no rule')]),
    ('keep_within as a timedelta', {'keep_within': datetime.timedelta(
        hours=36)}, '2026-12-05 12:00',
     [('a', '2026-12-04 00:00', 'available'),
      ('b', '2026-12-03 23:59', 'available')],
     [('a', 'keep', 'within 36h'),
      ('b', 'remove', 'no rule')]),
    ('the newest available backup is always kept', {'keep_within': '1d'},
     '2026-12-05 12:00',
     [('a', '2026-12-05 11:00', 'creating'),
      ('b', '2026-12-01 10:00', 'available'),
      ('c', '2026-11-30 10:00', 'available')],
     [('a', 'skip', 'status creating'),
      ('b', 'keep', 'newest'),
      ('c', 'remove', 'no rule')]),
    ('no created_at: skipped, listed first', {'keep_last': 1},
     '2026-12-05 12:00',
     [('z', None, 'available'),
      ('a', '2026-12-04 10:00', 'available'),
      ('b', '2026-12-03 10:00', 'available')],
     [('z', 'skip', 'created_at unknown'),
      ('a', 'keep', 'last 1'),
      ('b', 'remove', 'no rule')]),
]

# Time zones: (case, rules, [(id, created UTC)], expected), all available.
ZONE_CASES = [
    ('Berlin days across the spring change (2026-03-29)',
     {'keep_daily': 4, 'timezone': 'Europe/Berlin'},
     [('a', '2026-03-29 22:30'),    # 03-30 00:30 CEST
      ('b', '2026-03-29 21:30'),    # 03-29 23:30 CEST
      ('c', '2026-03-28 23:30'),    # 03-29 00:30 CET
      ('d', '2026-03-28 22:30')],   # 03-28 23:30 CET
     [('a', 'keep', 'daily 2026-03-30'),
      ('b', 'keep', 'daily 2026-03-29'),
      ('c', 'remove', 'no rule'),
      ('d', 'keep', 'daily 2026-03-28')]),
    ('the same backups in UTC', {'keep_daily': 4},
     [('a', '2026-03-29 22:30'), ('b', '2026-03-29 21:30'),
      ('c', '2026-03-28 23:30'), ('d', '2026-03-28 22:30')],
     [('a', 'keep', 'daily 2026-03-29'),
      ('b', 'remove', 'no rule'),
      ('c', 'keep', 'daily 2026-03-28'),
      ('d', 'remove', 'no rule')]),
    ('Berlin hours: 02 does not exist on 2026-03-29',
     {'keep_hourly': 3, 'timezone': 'Europe/Berlin'},
     [('a', '2026-03-29 01:30'),    # 03:30 CEST
      ('b', '2026-03-29 00:59'),    # 01:59 CET
      ('c', '2026-03-29 00:10'),    # 01:10 CET
      ('d', '2026-03-28 23:50')],   # 00:50 CET
     [('a', 'keep', 'hourly 2026-03-29T03'),
      ('b', 'keep', 'hourly 2026-03-29T01'),
      ('c', 'remove', 'no rule'),
      ('d', 'keep', 'hourly 2026-03-29T00')]),
    ('Berlin hours: 02 happens twice on 2026-10-25, one period',
     {'keep_hourly': 2, 'timezone': 'Europe/Berlin'},
     [('a', '2026-10-25 01:40'),    # 02:40 CET
      ('b', '2026-10-25 00:20'),    # 02:20 CEST
      ('c', '2026-10-24 23:50')],   # 01:50 CEST
     [('a', 'keep', 'hourly 2026-10-25T02'),
      ('b', 'remove', 'no rule'),
      ('c', 'keep', 'hourly 2026-10-25T01')]),
    ('New York days across the spring change (2026-03-08)',
     {'keep_daily': 3, 'timezone': 'America/New_York'},
     [('a', '2026-03-09 03:30'),    # 03-08 23:30 EDT
      ('b', '2026-03-08 05:30'),    # 03-08 00:30 EST
      ('c', '2026-03-08 04:30')],   # 03-07 23:30 EST
     [('a', 'keep', 'daily 2026-03-08'),
      ('b', 'remove', 'no rule'),
      ('c', 'keep', 'daily 2026-03-07')]),
    ('New York years: New Year in UTC is still 2026 there',
     {'keep_yearly': 2, 'timezone': 'America/New_York'},
     [('a', '2027-01-01 03:00'),    # 2026-12-31 22:00 EST
      ('b', '2026-12-31 20:00'),
      ('c', '2025-07-01 12:00')],
     [('a', 'keep', 'yearly 2026'),
      ('b', 'remove', 'no rule'),
      ('c', 'keep', 'yearly 2025')]),
    ('the same years in UTC', {'keep_yearly': 2},
     [('a', '2027-01-01 03:00'), ('b', '2026-12-31 20:00'),
      ('c', '2025-07-01 12:00')],
     [('a', 'keep', 'yearly 2027'),
      ('b', 'keep', 'yearly 2026'),
      ('c', 'remove', 'no rule')]),
    ('Berlin weeks: Sunday 23:30 UTC is Monday there',
     {'keep_weekly': 2, 'timezone': 'Europe/Berlin'},
     [('a', '2026-12-06 23:30'),    # Mon 12-07 00:30 CET
      ('b', '2026-12-06 10:00')],
     [('a', 'keep', 'weekly 2026-W50'),
      ('b', 'keep', 'weekly 2026-W49')]),
    ('the same weeks in UTC', {'keep_weekly': 2},
     [('a', '2026-12-06 23:30'), ('b', '2026-12-06 10:00')],
     [('a', 'keep', 'weekly 2026-W49'),
      ('b', 'remove', 'no rule')]),
]


class TestDecide(base.TestCase):

    def test_cases(self):
        for case, rules, now, backups, expected in CASES:
            given = [rows.backup(i, t, status=s) for i, t, s in backups]
            self.assertEqual(expected, rows.decide(given, now, **rules),
                             case)

    def test_zone_cases(self):
        for case, rules, backups, expected in ZONE_CASES:
            given = [rows.backup(i, t) for i, t in backups]
            self.assertEqual(expected,
                             rows.decide(given, '2027-06-01 00:00', **rules),
                             case)

    def test_order_of_input_does_not_matter(self):
        given = [rows.backup('a', '2026-12-01 10:00'),
                 rows.backup('c', '2026-12-03 10:00'),
                 rows.backup('b', '2026-12-02 10:00')]
        self.assertEqual([('c', 'keep', 'last 1'), ('b', 'keep', 'last 2'),
                          ('a', 'remove', 'no rule')],
                         rows.decide(given, keep_last=2))

    def test_remove_errors(self):
        given = [rows.backup('a', '2026-12-04 10:00'),
                 rows.backup('b', '2026-12-03 10:00', status='error'),
                 rows.backup('c', '2026-12-02 10:00', status='creating')]
        self.assertEqual([('a', 'keep', 'last 1'),
                          ('b', 'remove', 'status error'),
                          ('c', 'skip', 'status creating')],
                         rows.decide(given, remove_errors=True, keep_last=1))

    def test_naive_now_is_utc(self):
        given = [rows.backup('a', '2026-12-05 10:00'),
                 rows.backup('b', '2026-12-04 11:59')]
        decided = policy.decide(given, policy.KeepPolicy(keep_within='1d'),
                                datetime.datetime(2026, 12, 5, 12))
        self.assertEqual(['keep', 'remove'], [d.action for d in decided])

    def test_huge_within_keeps_everything(self):
        given = [rows.backup('a', '2026-12-05 10:00'),
                 rows.backup('b', '0001-01-02 00:00')]
        self.assertEqual(
            [('a', 'keep', 'within 1000000w'),
             ('b', 'keep', 'within 1000000w')],
            rows.decide(given, keep_within='1000000w'))

    def test_empty_policy_refused(self):
        self.assertRaises(exceptions.EmptyPolicy, rows.decide, [])
        self.assertRaises(exceptions.EmptyPolicy, rows.decide,
                          [rows.backup('a', '2026-12-05 10:00')],
                          keep_last=0, keep_within='0d')


class TestKeepPolicy(base.TestCase):

    def test_bad_values(self):
        for rules, start, why in (
                ({'keep_daily': -1}, "invalid keep_daily -1", 'whole'),
                ({'keep_last': True}, 'invalid keep_last True', 'whole'),
                ({'keep_weekly': '3'}, "invalid keep_weekly '3'", 'whole'),
                ({'keep_yearly': 1.5}, 'invalid keep_yearly 1.5', 'whole'),
                ({'keep_within': '3y'}, "invalid keep_within '3y'",
                 'units s, m, h, d, w'),
                ({'keep_within': '-3d'}, "invalid keep_within '-3d'",
                 'such as 30d'),
                ({'keep_within': '2026-01-01'}, 'invalid keep_within',
                 'such as 30d'),
                ({'keep_within': 5}, 'invalid keep_within 5', 'timedelta'),
                ({'keep_within': '99999999999d'}, 'invalid keep_within',
                 'too large'),
                ({'keep_within': datetime.timedelta(days=-1)},
                 'invalid keep_within', 'cannot be negative'),
                ({'timezone': 'Nope/Zone'}, "invalid timezone 'Nope/Zone'",
                 'IANA'),
                ({'timezone': ''}, "invalid timezone ''", 'IANA'),
                ({'timezone': '../etc/passwd'}, 'invalid timezone', 'IANA'),
                ({'timezone': 'utc'}, "invalid timezone 'utc'", 'IANA'),
                ({'timezone': 1}, 'invalid timezone 1', 'IANA')):
            e = self.assertRaises(exceptions.InvalidParameter,
                                  policy.KeepPolicy,
                                  **dict({'keep_hourly': 1}, **rules))
            self.assertTrue(str(e).startswith(start), str(e))
            self.assertIn(why, str(e))
            self.assertEqual(1, len(str(e).splitlines()))

    def test_reworded_for_a_front_end(self):
        e = self.assertRaises(exceptions.InvalidParameter,
                              policy.KeepPolicy, keep_daily=-1)
        self.assertEqual('invalid --keep-daily -1: expected a whole number, '
                         '0 or more', e.reword({'keep_daily': '--keep-daily'}))

    def test_no_zone_database(self):
        with mock.patch('zoneinfo.ZoneInfo',
                        side_effect=KeyError('Europe/Berlin')), \
                mock.patch('zoneinfo.available_timezones',
                           return_value=set()):
            e = self.assertRaises(exceptions.InvalidParameter,
                                  policy.KeepPolicy, keep_last=1,
                                  timezone='Europe/Berlin')
        self.assertIn('install the tzdata package', str(e))

    def test_within_text(self):
        for given, text in (('30d', '30d'), (' 12 h', '12h'), ('2w', '2w'),
                            ('0d', None), (datetime.timedelta(0), None),
                            (datetime.timedelta(days=14), '2w'),
                            (datetime.timedelta(days=30), '30d'),
                            (datetime.timedelta(hours=36), '36h'),
                            (datetime.timedelta(seconds=90), '90s'),
                            (datetime.timedelta(minutes=90), '90m'),
                            (datetime.timedelta(milliseconds=1500), '1.5s')):
            self.assertEqual(text, policy.KeepPolicy(
                keep_within=given).within_text, given)

    def test_is_empty(self):
        for rules, empty in (({}, True),
                             ({'keep_last': 0, 'keep_daily': None}, True),
                             ({'keep_within': '0d'}, True),
                             ({'keep_within': '0 h'}, True),
                             ({'keep_within': datetime.timedelta(0)}, True),
                             ({'timezone': 'Europe/Berlin'}, True),
                             ({'keep_yearly': 1}, False),
                             ({'keep_hourly': 1}, False),
                             ({'keep_within': '1s'}, False)):
            self.assertEqual(empty, policy.KeepPolicy(**rules).is_empty,
                             rules)

    def test_check(self):
        kept = policy.KeepPolicy(keep_last=1)
        self.assertIs(kept, kept.check())
        e = self.assertRaises(exceptions.EmptyPolicy,
                              policy.KeepPolicy().check)
        self.assertEqual('no keep rule given: give at least one of '
                         'keep_last, keep_hourly, keep_daily, keep_weekly, '
                         'keep_monthly, keep_yearly, keep_within', str(e))
        self.assertIn('--keep-within', e.reword({'keep_within':
                                                 '--keep-within'}))

    def test_defaults(self):
        kept = policy.KeepPolicy(keep_daily=7, timezone=None)
        self.assertEqual(('UTC', 7, 0, None),
                         (kept.timezone, kept.keep_daily, kept.keep_last,
                          kept.keep_within))
        self.assertEqual('<KeepPolicy keep_daily=7 timezone=UTC>',
                         repr(kept))
