"""Incremental chains: inferred parents, and what a staying backup pins.

Ids read ``full0001-...``, ``incr0002-...``: reasons show their first 8
characters.
"""

from vbsclient.api.retention import chains
from vbsclient.api.retention import decision
from vbsclient.api.retention.decision import Reason

from tests.unit.api.retention import rows
from tests.unit import base

B = rows.backup


def ids(*names):
    return tuple(name + '-0000-uuid' for name in names)


F1, I1, I2, I3, F2, E1 = ids('full0001', 'incr0001', 'incr0002', 'incr0003',
                             'full0002', 'erro0001')


# Each kind of row once, oldest first.
MIXED = [
    B('f1', '2026-12-01 10:00'),
    B('i1', '2026-12-02 10:00', inc=True),
    # Not available: never a parent, though it has one.
    B('e1', '2026-12-03 10:00', status='error', inc=True),
    B('i2', '2026-12-04 10:00', inc=True),
    B('f2', '2026-12-05 10:00'),
    # Unknown flag: incremental.
    B('u1', '2026-12-06 10:00', inc=None),
    # Of a snapshot taken 12-03 12:00: parent's data older than that.
    B('s1', '2026-12-07 10:00', inc=True, data='2026-12-03 12:00',
      snapshot='snap'),
    # A full backup of an old snapshot: its data is older than u1's.
    B('s2', '2026-12-08 10:00', data='2026-12-01 12:00', snapshot='snap2'),
    # The newest data, not the newest row, is the parent.
    B('i3', '2026-12-09 10:00', inc=True)]


class TestParents(base.TestCase):

    def test_inferred_parents(self):
        backups = MIXED + [
            # Nothing available before it.
            B('i0', '2026-11-30 10:00', inc=True),
            B('r1', '2026-12-10 10:00', status='restoring', inc=True),
            B('i4', '2026-12-11 10:00', inc=True)]
        self.assertEqual(
            {'i0': None, 'f1': None, 'i1': 'f1', 'e1': 'i1', 'i2': 'i1',
             'f2': None, 'u1': 'f2', 's1': 'i1', 's2': None, 'i3': 'u1',
             'r1': 'i3', 'i4': 'i3'},
            chains.parents(backups))

    def test_same_created_at_ordered_by_id(self):
        backups = [B('b', '2026-12-01 10:00', inc=True),
                   B('a', '2026-12-01 10:00'),
                   B('c', '2026-12-01 10:00', inc=True)]
        self.assertEqual({'a': None, 'b': 'a', 'c': 'b'},
                         chains.parents(backups))

    def test_data_timestamp_ties_go_to_the_newer_row(self):
        backups = [B('a', '2026-12-01 10:00', data='2026-12-01 09:00'),
                   B('b', '2026-12-01 11:00', data='2026-12-01 09:00'),
                   B('c', '2026-12-01 12:00', inc=True)]
        self.assertEqual('b', chains.parents(backups)['c'])

    def test_no_created_at_no_parent(self):
        backups = [B('a', '2026-12-01 10:00'), B('z', None, inc=True)]
        self.assertEqual({'a': None, 'z': None}, chains.parents(backups))


class TestParent(base.TestCase):
    """One backup's parent from the server's rows after it: the same rule."""

    def earlier(self, backups, backup):
        # What volume_id=...&status=available&marker=<backup> lists.
        before = [b for b in decision.newest_first(backups)
                  if b.created_at and (b.created_at, b.id)
                  < (backup.created_at, backup.id)]
        return [b for b in before if b.status == 'available']

    def test_same_as_parents_for_every_backup(self):
        backups = MIXED + [
            B('s3', '2026-12-09 11:00', inc=True, data='2026-12-01 11:00',
              snapshot='snap3'),
            B('i0', '2026-11-30 10:00', inc=True),
            B('t1', '2026-12-10 10:00', inc=True),
            B('t2', '2026-12-10 10:00', inc=True),
            B('i4', '2026-12-11 10:00', inc=True)]
        expected = chains.parents(backups)
        self.assertEqual('i1', expected['s1'])
        self.assertEqual('f1', expected['s3'])
        for backup in backups:
            self.assertEqual(
                expected[backup.id],
                chains.parent(backup, self.earlier(backups, backup)),
                backup.id)

    def test_reads_only_as_far_as_needed(self):
        backups = [B('b%d' % i, '2026-12-%02d 10:00' % i) for i in
                   range(1, 10)]
        child = B('c', '2026-12-20 10:00', inc=True)
        read = []

        def rows():
            for b in self.earlier(backups, child):
                read.append(b.id)
                yield b
        self.assertEqual('b9', chains.parent(child, rows()))
        self.assertEqual(['b9'], read)
        # Of a snapshot: the newest row's data is too new, and an older
        # row's data may be newer than the next row's creation.
        snap = B('s', '2026-12-20 10:00', inc=True, data='2026-12-05 12:00',
                 snapshot='x')
        read.clear()
        self.assertEqual('b5', chains.parent(
            snap, self._reading(self.earlier(backups, snap), read)))
        self.assertEqual(['b9', 'b8', 'b7', 'b6', 'b5'], read)

    def _reading(self, backups, read):
        for b in backups:
            read.append(b.id)
            yield b

    def test_full_or_untimed_backups_need_nothing(self):
        def nothing():
            raise AssertionError('read')
            yield
        self.assertIsNone(chains.parent(B('f', '2026-12-01 10:00'),
                                        nothing()))
        self.assertIsNone(chains.parent(B('u', None, inc=True), nothing()))

    def test_rows_not_before_it_or_not_available_are_no_parents(self):
        child = B('c', '2026-12-05 10:00', inc=True)
        self.assertIsNone(chains.parent(child, [
            B('later', '2026-12-06 10:00'),
            B('same', '2026-12-05 10:00'),
            B('err', '2026-12-04 10:00', status='error')]))
        self.assertEqual('a', chains.parent(child, [
            B('d', '2026-12-05 10:00'), B('a', '2026-12-05 10:00')]))


# (case, backups oldest first as (id, created, status, inc), selected ids
# or None, plan keywords, [(id, action, reasons)] newest first).
CASES = [
    ('a kept incremental pins its whole chain',
     [(F1, '12-01', 'available', False), (I1, '12-02', 'available', True),
      (I2, '12-03', 'available', True), (I3, '12-04', 'available', True)],
     None, {'keep_last': 1},
     [(I3, 'keep', 'last 1'),
      (I2, 'keep', 'parent of incr0003'),
      (I1, 'keep', 'parent of incr0002'),
      (F1, 'keep', 'parent of incr0001')]),
    ('unknown incremental flags are incremental',
     [(F1, '12-01', 'available', None), (I1, '12-02', 'available', None),
      (I2, '12-03', 'available', None)],
     None, {'keep_last': 1},
     [(I2, 'keep', 'last 1'),
      (I1, 'keep', 'parent of incr0002'),
      (F1, 'keep', 'parent of incr0001')]),
    ('a full backup ends the chain',
     [(F1, '12-01', 'available', False), (I1, '12-02', 'available', True),
      (F2, '12-03', 'available', False), (I2, '12-04', 'available', True)],
     None, {'keep_last': 1},
     [(I2, 'keep', 'last 1'),
      (F2, 'keep', 'parent of incr0002'),
      (I1, 'remove', 'no rule'),
      (F1, 'remove', 'no rule')]),
    ('a rule-kept parent lists the rule and the child',
     [(F1, '12-01', 'available', False), (I1, '12-02', 'available', True),
      (I2, '12-03', 'available', True)],
     None, {'keep_last': 1, 'keep_monthly': 1},
     [(I2, 'keep', 'last 1, monthly 2026-12'),
      (I1, 'keep', 'parent of incr0002'),
      (F1, 'keep', 'parent of incr0001')]),
    ('an error child pins its ancestors',
     [(F1, '12-01', 'available', False), (I1, '12-02', 'available', True),
      (E1, '12-03', 'error', True), (F2, '12-04', 'available', False)],
     None, {'keep_last': 1},
     [(F2, 'keep', 'last 1'),
      (E1, 'skip', 'error (use remove_errors=True)'),
      (I1, 'keep', 'parent of erro0001'),
      (F1, 'keep', 'parent of incr0001')]),
    ('with remove_errors it does not',
     [(F1, '12-01', 'available', False), (I1, '12-02', 'available', True),
      (E1, '12-03', 'error', True), (F2, '12-04', 'available', False)],
     None, {'keep_last': 1, 'remove_errors': True},
     [(F2, 'keep', 'last 1'),
      (E1, 'remove', 'status error'),
      (I1, 'remove', 'no rule'),
      (F1, 'remove', 'no rule')]),
    ('creating, restoring, deleting, error_deleting children pin',
     [(F1, '12-01', 'available', False), (I1, '12-02', 'creating', True),
      (F2, '12-03', 'available', False), (I2, '12-04', 'deleting', True),
      (I3, '12-05', 'available', False)],
     None, {'keep_last': 1},
     [(I3, 'keep', 'last 1'),
      (I2, 'skip', 'status deleting'),
      (F2, 'keep', 'parent of incr0002'),
      (I1, 'skip', 'status creating'),
      (F1, 'keep', 'parent of incr0001')]),
    ('two children of one parent (the first failed)',
     [(F1, '12-01', 'available', False), (E1, '12-02', 'error', True),
      (I2, '12-03', 'available', True)],
     None, {'keep_last': 1},
     [(I2, 'keep', 'last 1'),
      (E1, 'skip', 'error (use remove_errors=True)'),
      (F1, 'keep', 'parent of incr0002, parent of erro0001')]),
    ('an unselected backup pins; the rules see only the selected',
     [(F1, '12-01', 'available', False), (I1, '12-02', 'available', True),
      (I2, '12-03', 'available', True), (F2, '12-04', 'available', False),
      (I3, '12-05', 'available', True)],
     (F1, I1, F2), {'keep_last': 1},
     [(F2, 'keep', 'last 1, parent of incr0003'),
      (I1, 'keep', 'parent of incr0002'),
      (F1, 'keep', 'parent of incr0001')]),
    ('a removed child does not pin',
     [(F1, '12-01', 'available', False), (I1, '12-02', 'available', True),
      (F2, '12-03', 'available', False)],
     None, {'keep_last': 1},
     [(F2, 'keep', 'last 1'),
      (I1, 'remove', 'no rule'),
      (F1, 'remove', 'no rule')]),
]


class TestClose(base.TestCase):

    def test_cases(self):
        for case, backups, selected, keywords, expected in CASES:
            given = [B(i, '2026-%s 10:00' % day, status=status, inc=inc)
                     for i, day, status, inc in backups]
            decided = rows.plan(given, selected=selected, **keywords)
            self.assertEqual(expected, rows.rows(decided), case)

    def test_parent_id_set(self):
        given = [B(F1, '2026-12-01 10:00'),
                 B(I1, '2026-12-02 10:00', inc=True)]
        decided = rows.plan(given, keep_last=1)
        self.assertEqual([I1, F1], [d.backup.id for d in decided])
        self.assertEqual([F1, None], [d.parent_id for d in decided])

    def test_a_backup_without_created_at_blocks_removals(self):
        given = [B(F1, '2026-12-01 10:00'), B(F2, '2026-12-02 10:00'),
                 B(I1, None, inc=True)]
        self.assertEqual(
            [(I1, 'skip', 'created_at unknown'),
             (F2, 'keep', 'last 1'),
             (F1, 'skip', 'chain unknown: incr0001 has no created_at')],
            rows.rows(rows.plan(given, keep_last=1)))

    def test_unselected_backup_without_created_at_blocks_too(self):
        given = [B(F1, '2026-12-01 10:00'), B(F2, '2026-12-02 10:00'),
                 B(I1, None, inc=True)]
        self.assertEqual(
            [(F2, 'keep', 'last 1'),
             (F1, 'skip', 'chain unknown: incr0001 has no created_at')],
            rows.rows(rows.plan(given, selected=(F1, F2), keep_last=1)))

    def test_close_keeps_the_order_given(self):
        given = [B('a', '2026-12-01 10:00'),
                 B('b', '2026-12-02 10:00', inc=True)]
        made = [decision.Decision(given[0], decision.REMOVE,
                                  [Reason('no_rule', None)]),
                decision.Decision(given[1], decision.SKIP,
                                  [Reason('status', 'creating')])]
        self.assertEqual([('a', 'keep', 'parent of b'),
                          ('b', 'skip', 'status creating')],
                         rows.rows(chains.close(given, made)))
