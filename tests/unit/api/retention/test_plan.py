"""The plan over many volumes: grouping, order, selection, checks."""

from vbsclient.api.retention import plan
from vbsclient.api.retention import policy
from vbsclient import exceptions

from tests.unit.api.retention import rows
from tests.unit import base

B = rows.backup


class TestPlan(base.TestCase):

    def backups(self):
        return [B('b1', '2026-12-01 10:00', volume='vb'),
                B('a1', '2026-12-01 10:00', volume='va'),
                B('n1', '2026-12-01 10:00', volume=None),
                B('b2', '2026-12-02 10:00', volume='vb'),
                B('a2', '2026-12-02 10:00', volume='va'),
                B('a3', '2026-12-03 10:00', volume='va')]

    def test_per_volume_by_volume_then_newest_first(self):
        self.assertEqual(
            [('a3', 'keep', 'last 1'), ('a2', 'remove', 'no rule'),
             ('a1', 'remove', 'no rule'),
             ('b2', 'keep', 'last 1'), ('b1', 'remove', 'no rule'),
             ('n1', 'skip', 'volume_id unknown')],
            rows.rows(rows.plan(self.backups(), keep_last=1)))

    def test_selected_ids_predicate_or_backups(self):
        expected = [('a2', 'keep', 'last 1'), ('a1', 'remove', 'no rule'),
                    ('b1', 'keep', 'last 1')]
        backups = self.backups()
        chosen = ('a1', 'a2', 'b1')
        for selected in (chosen, set(chosen),
                         lambda b: b.id in chosen,
                         [b for b in backups if b.id in chosen]):
            self.assertEqual(expected, rows.rows(rows.plan(
                backups, selected=selected, keep_last=1)))

    def test_nothing(self):
        self.assertEqual([], rows.plan([], keep_daily=1))

    def test_empty_policy_refused_before_anything(self):
        e = self.assertRaises(exceptions.EmptyPolicy, plan.plan, [],
                              policy.KeepPolicy(timezone='Europe/Berlin'),
                              rows.utc('2026-12-05 12:00'))
        self.assertIn('keep_daily', str(e))

    def test_second_plan_of_what_stays_removes_nothing(self):
        backups = [B('f1', '2026-12-01 10:00'),
                   B('i1', '2026-12-02 10:00', inc=True),
                   B('f2', '2026-12-03 10:00'),
                   B('i2', '2026-12-04 10:00', inc=True),
                   B('e1', '2026-12-04 11:00', status='error', inc=True),
                   B('f3', '2026-12-05 10:00')]
        first = rows.plan(backups, keep_daily=2)
        left = [d.backup for d in first if d.action != 'remove']
        self.assertEqual(['e1', 'i2', 'f2'],
                         [b.id for b in left if b.id != 'f3'])
        second = rows.plan(left, keep_daily=2)
        self.assertEqual([], [d for d in second if d.action == 'remove'])
