"""Delete order: children before parents, independent chains apart."""

from vbsclient.api.retention import decision
from vbsclient.api.retention.decision import Reason
from vbsclient.api.retention import order

from tests.unit.api.retention import rows
from tests.unit import base

B = rows.backup


def summary(chains):
    """(volume, ids in order, {id: sorted removed children}) per chain."""
    return [(c.volume_id, [d.backup.id for d in c.decisions],
             {k: sorted(v) for k, v in c.children.items()})
            for c in chains]


class TestDeleteChains(base.TestCase):

    def assert_children_first(self, chains):
        for chain in chains:
            place = {d.backup.id: n for n, d in enumerate(chain.decisions)}
            for parent, children in chain.children.items():
                for child in children:
                    self.assertLess(place[child], place[parent])

    def test_cases(self):
        cases = [
            ('one chain, newest first',
             [B('f1', '2026-12-01 10:00'),
              B('i1', '2026-12-02 10:00', inc=True),
              B('i2', '2026-12-03 10:00', inc=True),
              B('f2', '2026-12-04 10:00')], {},
             [('v1', ['i2', 'i1', 'f1'],
               {'i2': [], 'i1': ['i2'], 'f1': ['i1']})]),
            ('chains of a volume apart, volumes in order',
             [B('g1', '2026-12-01 09:00', volume='v2'),
              B('g2', '2026-12-02 09:00', volume='v2'),
              B('f1', '2026-12-01 10:00'),
              B('i1', '2026-12-02 10:00', inc=True),
              B('f2', '2026-12-03 10:00'),
              B('i2', '2026-12-04 10:00', inc=True),
              B('f3', '2026-12-05 10:00')], {},
             [('v1', ['i2', 'f2'], {'i2': [], 'f2': ['i2']}),
              ('v1', ['i1', 'f1'], {'i1': [], 'f1': ['i1']}),
              ('v2', ['g1'], {'g1': []})]),
            ('a parent waits for all its removed children',
             [B('p', '2026-12-01 10:00'),
              B('c1', '2026-12-02 10:00', status='error', inc=True),
              B('c2', '2026-12-03 10:00', inc=True),
              B('f', '2026-12-04 10:00')], {'remove_errors': True},
             [('v1', ['c2', 'c1', 'p'],
               {'c2': [], 'c1': [], 'p': ['c1', 'c2']})]),
            ('nothing removed', [B('f', '2026-12-04 10:00')], {}, []),
        ]
        for case, backups, keywords, expected in cases:
            decided = rows.plan(backups, keep_last=1, **keywords)
            found = order.delete_chains(decided)
            self.assertEqual(expected, summary(found), case)
            self.assert_children_first(found)
            self.assertEqual(summary(found),
                             summary(order.delete_chains(decided[::-1])),
                             case)

    def test_parent_that_stays_starts_no_chain(self):
        kept = B('k', '2026-12-01 10:00')
        child = B('c', '2026-12-02 10:00', inc=True)
        decided = [
            decision.Decision(child, decision.REMOVE,
                              [Reason('no_rule', None)], parent_id='k'),
            decision.Decision(kept, decision.KEEP, [Reason('last', 1)])]
        self.assertEqual([('v1', ['c'], {'c': []})],
                         summary(order.delete_chains(decided)))
