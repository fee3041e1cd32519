"""Reasons in words, and the order of a plan's rows."""

from vbsclient.api.retention import decision
from vbsclient.api.retention.decision import Reason

from tests.unit.api.retention import rows
from tests.unit import base


class TestReason(base.TestCase):

    def test_texts(self):
        for reason, text in (
                (Reason('last', 3), 'last 3'),
                (Reason('hourly', '2026-12-04T13'), 'hourly 2026-12-04T13'),
                (Reason('daily', '2026-12-04'), 'daily 2026-12-04'),
                (Reason('weekly', '2026-W49'), 'weekly 2026-W49'),
                (Reason('monthly', '2026-12'), 'monthly 2026-12'),
                (Reason('yearly', '2026'), 'yearly 2026'),
                (Reason('within', '30d'), 'within 30d'),
                (Reason('newest', None), 'newest'),
                (Reason('parent', '3f2a9c1e-77aa-4d21'),
                 'parent of 3f2a9c1e'),
                (Reason('status', 'creating'), 'status creating'),
                (Reason('status', None), 'status unknown'),
                (Reason('error', None), 'error (use remove_errors=True)'),
                (Reason('no_time', None), 'created_at unknown'),
                (Reason('no_volume', None), 'volume_id unknown'),
                (Reason('unordered', '3f2a9c1e-77aa'),
                 'chain unknown: 3f2a9c1e has no created_at'),
                (Reason('no_rule', None), 'no rule')):
            self.assertEqual(text, str(reason))

    def test_front_end_words(self):
        names = {'remove_errors': '--remove-errors', 'name': '--name'}
        self.assertEqual('error (use --remove-errors)',
                         Reason('error', None).text(names))
        self.assertEqual('status error',
                         Reason('status', 'error').text(names))

    def test_decision_text_and_defaults(self):
        made = decision.Decision(rows.backup('a', '2026-12-01 10:00'),
                                 decision.KEEP,
                                 [Reason('last', 1), Reason('parent', 'b')])
        self.assertEqual('last 1, parent of b', made.reason_text())
        self.assertEqual((None, None), (made.parent_id, made.result))
        self.assertIsInstance(made.reasons, tuple)
        self.assertEqual('removed', made._replace(result='removed').result)


class TestNewestFirst(base.TestCase):

    def test_order(self):
        given = [rows.backup('a', '2026-12-01 10:00'),
                 rows.backup('c', '2026-12-01 10:00'),
                 rows.backup('y', None),
                 rows.backup('b', '2026-12-02 10:00'),
                 rows.backup('z', None),
                 rows.backup('d', '2026-12-01 09:59:59.999999')]
        self.assertEqual(['z', 'y', 'b', 'c', 'a', 'd'],
                         [b.id for b in decision.newest_first(given)])

    def test_volume_key(self):
        self.assertEqual(['a', 'b', None],
                         sorted([None, 'b', 'a'], key=decision.volume_key))
