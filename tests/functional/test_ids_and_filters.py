"""IDs in any form, fuzzy filters taken literally, --incremental/--full, the
inferred parent and a member's scoped show, on the real Keystone and Cinder
(issue 26).

Ground truth is Cinder's own answer (its stored form of IDs, its LIKE
wildcards) and the rows seeded; request counts come from its log.
"""

import datetime
import json
import uuid

from tests.functional import base
from tests.harness import seed

A, B = seed.VOLUME_IDS[:2]
IDS = [str(uuid.uuid5(uuid.NAMESPACE_URL, 'vbs-i26-%d' % i))
       for i in range(9)]
# (volume, status, incremental, data older than its creation)
ROWS = [
    (A, 'available', False, False),   # 0
    (A, 'available', True, False),    # 1
    (B, 'available', False, False),   # 2
    (A, 'error', True, False),        # 3: never a parent
    (A, 'available', True, False),    # 4: parent 1 (one request)
    (A, 'available', False, True),    # 5: a full backup of an old snapshot
    (A, 'available', True, False),    # 6: parent 4 (5's data is older)
    (B, 'available', True, False),    # 7: parent 2
    (B, 'creating', False, False),    # 8
]


def name(i):
    # Every third name holds "_", Cinder's LIKE wildcard for one character.
    return 'i26_%d' % i if i % 3 == 0 else 'i26-%d' % i


class TestIdsAndFilters(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.clear_backups()
        old = datetime.datetime(2023, 6, 1)
        cls.rows = cls.cloud.seed_backups(
            len(ROWS), id=lambda i, row: IDS[i],
            name=lambda i, row: name(i),
            volume_id=lambda i, row: ROWS[i][0],
            status=lambda i, row: ROWS[i][1],
            fail_reason=None, snapshot_id=lambda i, row: (
                'snap-i26' if ROWS[i][3] else None),
            parent_id=lambda i, row: IDS[0] if ROWS[i][2] else None,
            data_timestamp=lambda i, row: (old if ROWS[i][3]
                                           else row['created_at']))
        cls.cloud.seed_backups(1, project_id=cls.cloud.admin.project_id,
                               name='i26-admin-only')

    def value(self, *args, user='member'):
        return self.openstack_ok('vbs', 'backup', *args, '-f', 'value',
                                 user=user, in_process=True).split()

    def show(self, value):
        return json.loads(self.openstack_ok(
            'vbs', 'backup', 'show', value, '-f', 'json', in_process=True))

    # -- 1. IDs in any form Cinder accepts -----------------------------------

    def test_volume_id_in_any_form(self):
        expected = self.server_ids(query={'volume_id': A})
        self.assertEqual(6, len(expected))
        # Cinder itself compares exactly: the typed form matches nothing.
        typed = A.replace('-', '').upper()
        self.assertEqual([], self.server_ids(query={'volume_id': typed}))
        for value in (typed, A.upper(), A.replace('-', '')):
            self.assertEqual(expected, self.value(
                'list', '-c', 'ID', '--volume', value), value)
            self.assertEqual([str(len(expected))], self.value(
                'count', '-c', 'count', '--volume', value), value)

    def test_show_and_marker_by_id_in_any_form(self):
        typed = IDS[4].replace('-', '').upper()
        self.assertEqual(self.show(IDS[4]), self.show(typed))
        self.assertEqual(IDS[4], self.show(typed.lower())['ID'])
        self.assertEqual(self.server_ids(query={'marker': IDS[4]}),
                         self.value('list', '-c', 'ID', '--marker', typed))

    # -- 2. Fuzzy filters mean "contains" ------------------------------------

    def test_underscore_is_not_a_wildcard(self):
        # Cinder's own answer: "_" matches any character, so every name.
        self.assertEqual(len(ROWS), len(self.server_ids(
            query={'name~': '_'})))
        names = self.value('list', '-c', 'Name', '--name-like', '_')
        self.assertEqual(['i26_6', 'i26_3', 'i26_0'], names)
        self.assertEqual(['3'], self.value('count', '-c', 'count',
                                           '--name-like', '_'))
        self.assertEqual(['i26_3'], self.value(
            'list', '-c', 'Name', '--name-like', 'I26_3'))
        self.assertEqual([], self.value('list', '-c', 'Name',
                                        '--name-like', '%'))
        self.assertEqual(['i26_6'], self.value(
            'list', '-c', 'Name', '--name-like', '_', '--limit', '1'))
        self.assertEqual(['i26_3'], self.value(
            'list', '-c', 'Name', '--name-like', '_', '--limit', '1',
            '--offset', '1'))

    # -- 6. --incremental, --full, the inferred parent -----------------------

    def test_incremental_and_full(self):
        incremental = [IDS[i] for i in range(len(ROWS) - 1, -1, -1)
                       if ROWS[i][2]]
        full = [IDS[i] for i in range(len(ROWS) - 1, -1, -1)
                if not ROWS[i][2]]
        self.assertEqual(incremental, self.value('list', '-c', 'ID',
                                                 '--incremental'))
        self.assertEqual(full, self.value('list', '-c', 'ID', '--full'))
        self.assertEqual([str(len(incremental))], self.value(
            'count', '-c', 'count', '--incremental'))
        self.assertEqual(['1'], self.value(
            'count', '-c', 'count', '--incremental', '--volume', B))
        self.assertEqual(['2'], self.value(
            'count', '-c', 'count', '--full', '--volume', B))
        rc, _out, err = self.openstack('vbs', 'backup', 'list',
                                       '--incremental', '--full')
        self.assertEqual(2, rc)
        self.assertIn('not allowed with argument', err)

    def test_parent_inferred_with_one_request(self):
        for child, parent, requests in ((4, 1, 1), (7, 2, 1), (6, 4, 2),
                                        (1, 0, 1)):
            since = self.cloud.cinder_log_offset()
            shown = self.show(IDS[child])
            self.assertEqual(IDS[parent], shown['Parent (inferred)'], child)
            found = self.list_requests(since)
            self.assertEqual(requests, len(found), child)
            self.assertEqual(
                {'volume_id': [ROWS[child][0]], 'status': ['available'],
                 'marker': [IDS[child]], 'limit': ['1']},
                {k: [v] for k, v in found[0]['params']})
        self.assertNotIn('Parent (inferred)', self.show(IDS[5]))

    def test_parent_table_row_after_incremental(self):
        out = self.openstack_ok('vbs', 'backup', 'show', IDS[4], '-f',
                                'value', '-c', 'Incremental', '-c',
                                'Parent (inferred)', in_process=True)
        self.assertEqual('True\n%s\n' % IDS[1], out)

    # -- 4. A member's show --all-projects -----------------------------------

    def test_members_scoped_show_warns_then_not_found_in_project(self):
        rc, out, err = self.openstack('vbs', 'backup', 'show',
                                      'i26-admin-only', '--all-projects')
        self.assertEqual(1, rc)
        self.assertEqual('', out)
        self.assertEqual(
            ['Warning: --all-projects was ignored by the server (it needs '
             'the admin role); only the backups of your project %s are '
             'listed' % self.cloud.member.project_id,
             "no backup with name or ID 'i26-admin-only' in your project "
             "%s" % self.cloud.member.project_id],
            err.strip().splitlines())
        shown = json.loads(self.openstack_ok(
            'vbs', 'backup', 'show', 'i26-admin-only', '--all-projects',
            '-f', 'json', user='admin'))
        self.assertEqual('i26-admin-only', shown['Name'])
